"""``run(settings, host, port)``: serve the app with uvicorn. ``kg serve`` calls it.

uvicorn picks uvloop and httptools (both installed with ``uvicorn[standard]``); the access log is off: a log
line per request is a large share of the cost of a cached GraphQL answer, and the reverse proxy in front logs
requests anyway.
"""

from __future__ import annotations

import uvicorn

from api.main import create_app
from kg.config import Settings

__all__ = ["run"]


def run(settings: Settings, host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info") -> None:
    """Serve the API on ``host:port`` until interrupted.

    Args:
        settings: the settings to serve with (store location, limits, CORS …).
        host: interface to bind; the default stays on loopback.
        port: TCP port.
        log_level: uvicorn's log level.
    """
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, proxy_headers=True,
                server_header=False, access_log=False)

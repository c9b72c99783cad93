"""Virtuoso fixtures: the private instance of scripts/virtuoso, loaded once per session with the curated build.

Every test of a ``test_virtuoso_*.py`` module is marked ``virtuoso``; the ``endpoint`` fixture skips it, with the
reason, when no server answers. The other modules here test kg.remote_store without a server.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from kg.config import PROJECT_ROOT, Settings
from kg.remote_store import RemoteStore, is_remote

SCRIPTS = PROJECT_ROOT / "scripts" / "virtuoso"
DEFAULT_ENDPOINT = "sparql+http://127.0.0.1:18890/sparql"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if path.parent == Path(__file__).parent and path.name.startswith("test_virtuoso_"):
            item.add_marker(pytest.mark.virtuoso)


@pytest.fixture(scope="session")
def endpoint() -> str:
    settings = Settings()
    store = settings.store if is_remote(settings) else DEFAULT_ENDPOINT
    url = RemoteStore.endpoint_of(store)
    try:
        httpx.get(url, params={"query": "ASK {}"}, timeout=3).raise_for_status()
    except httpx.HTTPError as exc:
        pytest.skip(f"no Virtuoso answers on {url} ({type(exc).__name__}); start one with "
                    "scripts/virtuoso/install.sh && scripts/virtuoso/start.sh")
    if shutil.which("isql-vt") is None:
        pytest.skip("isql-vt (Virtuoso client) is not installed: scripts/virtuoso/install.sh")
    return store

"""HTML rendering: one jinja2 environment over ``api/templates/``, autoescaping everything.

Pages carry a strict Content-Security-Policy: no script at all, styles only from the page itself, forms
posting only to this site. Nothing is loaded from another origin (no CDN, the service runs offline).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

__all__ = ["HTML_HEADERS", "html_response", "plain_title", "render", "safe_href"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

HTML_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def safe_href(iri: str) -> str | None:
    """``iri`` when it may be a link target (http or https), else None (no ``javascript:`` links).

    >>> safe_href("javascript:alert(1)") is None
    True
    """
    return iri if urlsplit(iri).scheme.lower() in {"http", "https"} else None


_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def plain_title(text: str) -> str:
    """``text`` without bidirectional control characters: a ``<title>`` cannot isolate them with ``<bdi>``,
    so a right-to-left override in a label would reverse the rest of the window title.

    >>> plain_title("\u202eevil\u202c name")
    'evil name'
    """
    return text.translate(_BIDI_CONTROLS)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["safe_href"] = safe_href
    env.filters["plain_title"] = plain_title
    return env


def render(template: str, **context: object) -> str:
    """The template rendered with ``context`` (every value escaped unless marked safe)."""
    return _environment().get_template(template).render(**context)


def html_response(template: str, *, status_code: int = 200, headers: dict[str, str] | None = None,
                  **context: object) -> HTMLResponse:
    """An HTML response with the security headers of every page."""
    return HTMLResponse(render(template, **context), status_code=status_code,
                        headers={**HTML_HEADERS, **(headers or {})})

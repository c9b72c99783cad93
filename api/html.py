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

__all__ = ["HTML_HEADERS", "html_response", "render", "safe_href"]

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


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["safe_href"] = safe_href
    return env


def render(template: str, **context: object) -> str:
    """The template rendered with ``context`` (every value escaped unless marked safe)."""
    return _environment().get_template(template).render(**context)


def html_response(template: str, *, status_code: int = 200, headers: dict[str, str] | None = None,
                  **context: object) -> HTMLResponse:
    """An HTML response with the security headers of every page."""
    return HTMLResponse(render(template, **context), status_code=status_code,
                        headers={**HTML_HEADERS, **(headers or {})})

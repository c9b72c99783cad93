"""Routes ``GET|HEAD /id/{kind}/{name}``: every entity IRI under the base dereferences here.

Policy (slash IRIs, no redirect): the entity IRI answers 200 with the representation ``Accept`` asks for
(HTML first: browsers, ``*/*`` and no header get the page) and names the document it sent in
``Content-Location`` (``/id/company/verkor.ttl``); the documents themselves are served at the IRI plus a file
extension (``.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``). Every answer carries ``Vary: Accept``,
``Link`` headers to the other formats (``rel="alternate"``) and to the entity it describes
(``rel="describes"``), a weak ETag, Last-Modified and Cache-Control; conditional requests get 304. Hash IRIs
of facts (``<fact>#amount``, ``#time``, ``#date``) are described in their fact's document.

Unknown kinds, extensions and entities give 404, malformed slugs 400 (an HTML page or plain text, per
``Accept``); an ``Accept`` with nothing we write gives 406 listing what we do write.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from api.deps import SettingsDep, StoreDep
from api.html import HTML_HEADERS, html_response, render
from api.linked_data.caching import Validators, not_modified, validators
from api.linked_data.describe import describe, inbound, labels
from api.linked_data.formats import CONTENT_TYPES, EXTENSIONS, HTML, RDF_TYPES, choose, extension_of, rdf_body
from api.linked_data.paths import BadIdentifier, Target, UnknownIdentifier, resolve
from api.linked_data.view import build_view
from kg.namespaces import Minter

__all__ = ["build_router"]


def build_router() -> APIRouter:
    """The Linked Data router: ``/id/{kind}/{name}`` (GET and HEAD)."""
    router = APIRouter(tags=["linked data"])
    router.add_api_route(
        "/id/{kind}/{name}", entity_document, methods=["GET", "HEAD"], response_class=Response,
        summary="An entity, fact or source: HTML page or RDF (Turtle, JSON-LD, N-Triples, RDF/XML)",
    )
    return router


def entity_document(kind: str, name: str, request: Request, settings: SettingsDep,
                    store: StoreDep) -> Response:
    """The description of ``<base>id/<kind>/<slug>`` in the format asked for by extension or ``Accept``."""
    accept = request.headers.get("accept")
    minter = Minter(settings.base_iri)
    try:
        target = resolve(minter, kind, name)
    except UnknownIdentifier as exc:
        return _problem(request, 404, "Not Found", str(exc), html=choose(accept) == HTML)
    except BadIdentifier as exc:
        return _problem(request, 400, "Bad Request", str(exc), html=choose(accept) == HTML)
    media_type = target.media_type or choose(accept)
    if media_type is None:
        return _not_acceptable(request)
    root = request.scope.get("root_path", "").rstrip("/")
    current = validators(store, target.iri, media_type, root)
    headers = _headers(target, media_type, root, current)
    triples = describe(store, target.iri)
    if not triples:
        return _problem(request, 404, "Not Found", f"nothing is known about <{target.iri}>",
                        html=media_type == HTML, hint="check the identifier, or search with /sparql")
    if not_modified(request.headers.get("if-none-match"), request.headers.get("if-modified-since"), current):
        return Response(status_code=304, headers=headers)
    if media_type == HTML:
        view = build_view(target, triples, labels(store, target.iri), inbound(store, target.iri),
                          minter, root)
        body = render("entity.html", view=view).encode("utf-8")
        headers.update(HTML_HEADERS)
    else:
        body = rdf_body(media_type, triples)
    return _send(request, body, media_type, headers)


def _headers(target: Target, media_type: str, root: str, current: Validators) -> dict[str, str]:
    document = f"{root}{target.path}"
    links = [f'<{document}.{extension_of(t)}>; rel="alternate"; type="{t}"'
             for t in (HTML, *RDF_TYPES) if t != media_type]
    links.append(f'<{target.iri}>; rel="describes"')
    headers = {"Vary": "Accept", "Link": ", ".join(links), **current.headers()}
    if target.media_type is None:
        headers["Content-Location"] = f"{document}.{extension_of(media_type)}"
    return headers


def _send(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    headers = {**headers, "Content-Type": CONTENT_TYPES[media_type]}
    if request.method == "HEAD":
        return Response(b"", headers={**headers, "Content-Length": str(len(body))})
    return Response(body, headers=headers)


def _problem(request: Request, status: int, title: str, message: str, *, html: bool,
             hint: str = "") -> Response:
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers)
    if html:
        return html_response("error.html", status_code=status, headers=headers,
                             status=status, title=title, message=message, hint=hint)
    text = f"{status} {title}: {message}\n" + (f"Hint: {hint}\n" if hint else "")
    return PlainTextResponse(text, status_code=status, headers=headers)


def _not_acceptable(request: Request) -> Response:
    offered = ", ".join(CONTENT_TYPES[t].split(";")[0] for t in (HTML, *RDF_TYPES))
    extensions = ", ".join(f".{ext}" for ext in EXTENSIONS)
    hint = f"send one of these in Accept, or add an extension to the path ({extensions})"
    return _problem(request, 406, "Not Acceptable", f"this resource is available as {offered}",
                    html=False, hint=hint)

"""Release downloads at stable URLs: ``/releases`` (index), ``/releases/<version>/`` (DCAT-AP/VoID catalog)
and
``/releases/<version>/<file>`` (the dumps written by `kg release`). Releases never change once written, so
responses are cacheable forever.

The ``.nt.gz`` dump is served as ``application/gzip`` (an attachment), not as N-Triples with
``Content-Encoding: gzip``: clients (browsers, curl --compressed, requests, httpx) undo a content encoding on
the fly, so the saved ``.nt.gz`` file would hold plain N-Triples and neither its name nor the catalog's
checksum and byte size would match it. As ``application/gzip`` every client saves the bytes the catalog
describes (its dcat:mediaType N-Triples with dcat:compressFormat gzip says what is inside).

Mount it in api/main.py with ``app.include_router(releases.build_router())``.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse

from kg.errors import SourceError
from kg.release import DUMP_FILES, http_media_type, release_dir, releases_root

__all__ = ["build_router"]

_IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
_MEDIA = {**{name: http_media_type(name) for name in DUMP_FILES}, "manifest.json": "application/json"}


def build_router() -> APIRouter:
    router = APIRouter(prefix="/releases", tags=["releases"])

    @router.get("")
    async def index(request: Request) -> JSONResponse:
        root = releases_root(request.app.state.settings)
        versions = (
            sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
            if root.is_dir()
            else []
        )
        return JSONResponse(
            {
                "releases": [
                    {
                        "version": v,
                        "url": f"/releases/{v}/",
                        "files": [f"/releases/{v}/{name}" for name in _MEDIA],
                    }
                    for v in versions
                ]
            }
        )

    def _file(request: Request, version: str, name: str) -> FileResponse:
        try:
            folder = release_dir(request.app.state.settings, version)
        except SourceError:
            raise HTTPException(404, f"no release {version!r}") from None
        path = folder / name
        if name not in _MEDIA or not path.is_file():
            raise HTTPException(404, f"no file {name!r} in release {version!r}")
        headers = dict(_IMMUTABLE)
        if name.endswith(".gz"):
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return FileResponse(path, media_type=_MEDIA[name], headers=headers)

    @router.get("/{version}/")
    async def catalog(request: Request, version: str) -> FileResponse:
        return _file(request, version, "catalog.ttl")

    @router.get("/{version}/{name}")
    async def download(request: Request, version: str, name: str) -> FileResponse:
        return _file(request, version, name)

    return router

"""HTTP caching of entity documents: a weak ETag per published store and representation, Last-Modified from
the store, and conditional GET (``If-None-Match``, then ``If-Modified-Since``) answered with 304.

A published store is never written again (kg/store.py), so a document only changes when ``current`` points
at a new store: the store directory's name and time stamp identify its content.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from kg.remote_store import Store
from kg.store import KgStore

__all__ = ["CACHE_CONTROL", "Validators", "not_modified", "validators"]

CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True)
class Validators:
    """The ETag and Last-Modified of one representation."""

    etag: str
    last_modified: datetime

    def headers(self) -> dict[str, str]:
        return {"ETag": self.etag, "Last-Modified": format_datetime(self.last_modified, usegmt=True),
                "Cache-Control": CACHE_CONTROL}


def validators(store: Store, *representation: str) -> Validators:
    """Validators of a representation (IRI, media type, mount path…) of the store's current content.

    The embedded store's content is its directory (path and modification time); a remote store's is its
    endpoint and served graphs, and it was last modified when this process started serving them.
    """
    if isinstance(store, KgStore):
        stat = store.path.stat()
        modified, version = datetime.fromtimestamp(int(stat.st_mtime), UTC), f"{store.path}\x1f{stat.st_mtime_ns}"
    else:
        modified, version = store.opened_at.replace(microsecond=0), store.revision
    digest = hashlib.sha256("\x1f".join((version, *representation)).encode())
    return Validators(f'W/"{digest.hexdigest()[:32]}"', modified)


def not_modified(if_none_match: str | None, if_modified_since: str | None, current: Validators) -> bool:
    """True when the client's copy is current (RFC 9110 §13.1: If-None-Match wins over If-Modified-Since)."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or current.etag.removeprefix("W/") in tags
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        return False
    return current.last_modified <= since

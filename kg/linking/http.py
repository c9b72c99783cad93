"""The HTTP side of live linking: an on-disk cache, retries with backoff, a rate limit, a User-Agent, a host
allow-list and an offline mode. Tests hand in an ``httpx.MockTransport`` that replays recorded responses.

A cached answer is a JSON file ``<cache_dir>/<host>/<sha256 of method, URL, parameters and body>.json``;
with ``offline=True`` only the cache answers and a miss raises LinkError.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from kg.errors import LinkError

MAX_RETRY_AFTER_S = 60.0  # a server asking for longer is not waited for beyond this

__all__ = ["CachedClient"]

_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class CachedClient:
    """GET/POST returning parsed JSON, through a cache, for a fixed set of hosts.

    Args:
        cache_dir: where answers are kept (``Settings.cache_dir``).
        user_agent: sent with every request (``Settings.user_agent``); Wikimedia asks for a contact in it.
        allowed_hosts: the only hosts this client may reach.
        offline: answer from the cache only.
        transport: an httpx transport (tests pass ``httpx.MockTransport``).
        min_interval_s: least time between two requests to the network (rate limit).
        max_retries: retries after the first try on 429, 5xx and transport errors.
        backoff_s: first retry delay; doubled on each retry, or the server's Retry-After when it sends one.
        timeout_s: per-request timeout.
        sleep / clock: injectable for tests.
    """

    def __init__(
        self,
        cache_dir: Path,
        user_agent: str,
        allowed_hosts: frozenset[str],
        *,
        offline: bool = False,
        transport: httpx.BaseTransport | None = None,
        min_interval_s: float = 1.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        timeout_s: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.allowed_hosts = allowed_hosts
        self.offline = offline
        self.min_interval_s = min_interval_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self._sleep, self._clock = sleep, clock
        self._last_request: float | None = None
        self.network_requests = 0
        self._client = httpx.Client(
            transport=transport,
            timeout=timeout_s,
            follow_redirects=False,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> CachedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_json(
        self, url: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        """The JSON answer of a GET, from the cache when it has it."""
        return self._fetch("GET", url, params or {}, None, headers or {})

    def post_json(self, url: str, data: dict[str, str], headers: dict[str, str] | None = None) -> Any:
        """The JSON answer of a form POST (SPARQL queries too long for a URL), cached like a GET."""
        return self._fetch("POST", url, {}, data, headers or {})

    def cache_path(self, method: str, url: str, params: dict[str, str], data: dict[str, str] | None) -> Path:
        key = json.dumps(
            [method, url, sorted(params.items()), sorted((data or {}).items())], ensure_ascii=False
        )
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.cache_dir / (urlsplit(url).hostname or "unknown") / f"{digest}.json"

    def _fetch(
        self,
        method: str,
        url: str,
        params: dict[str, str],
        data: dict[str, str] | None,
        headers: dict[str, str],
    ) -> Any:
        host = urlsplit(url).hostname or ""
        if host not in self.allowed_hosts:
            raise LinkError(
                f"host {host!r} is not among the configured hosts {sorted(self.allowed_hosts)}",
                hint="live clients may reach only their own service",
            )
        path = self.cache_path(method, url, params, data)
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))["body"]
        if self.offline:
            raise LinkError(
                f"offline and not cached: {method} {url} {params or data}",
                hint="run once without --offline, or use recorded responses",
            )
        body = self._with_retries(method, url, params, data, headers)
        self._store(path, {"method": method, "url": url, "params": params, "data": data, "body": body})
        return body

    def _wait_for_slot(self) -> None:
        if self._last_request is not None:
            wait = self.min_interval_s - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()

    def _with_retries(
        self,
        method: str,
        url: str,
        params: dict[str, str],
        data: dict[str, str] | None,
        headers: dict[str, str],
    ) -> Any:
        delay = self.backoff_s
        for attempt in range(self.max_retries + 1):
            self._wait_for_slot()
            self.network_requests += 1
            try:
                response = self._client.request(
                    method, url, params=params or None, data=data, headers=headers
                )
            except httpx.TransportError as exc:
                if attempt == self.max_retries:
                    raise LinkError(f"{method} {url} failed: {exc}") from exc
                self._sleep(delay)
                delay *= 2
                continue
            if response.status_code in _RETRY_STATUS and attempt < self.max_retries:
                retry_after = response.headers.get("Retry-After", "")
                wanted = float(retry_after) if retry_after.isdigit() else delay
                self._sleep(min(wanted, MAX_RETRY_AFTER_S))
                delay *= 2
                continue
            if response.status_code != 200:
                raise LinkError(f"{method} {url} answered HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError as exc:
                raise LinkError(f"{method} {url} did not answer JSON") from exc
        raise LinkError(f"{method} {url} failed after {self.max_retries} retries")

    @staticmethod
    def _store(path: Path, record: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=1)
        os.replace(tmp, path)

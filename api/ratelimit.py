"""Per-client rate limit: ``Settings.rate_limit_per_minute`` requests per client address per minute (0: off).

A token bucket per client address: it holds up to ``per_minute`` tokens and refills at ``per_minute / 60``
tokens a second, so a client may burst up to the limit and then gets one request per refill interval. A
request without a token is answered ``429 Too Many Requests`` with ``Retry-After`` (whole seconds until the
next token), in the error format of every other refusal (api/errors.py). ``/health`` is never limited, so a
load balancer's probes cannot lock the service out.

The client address is the ASGI ``client`` host, which uvicorn (``proxy_headers=True``) takes from
``X-Forwarded-For`` only when the proxy is trusted. Buckets that are full again are dropped once more than
``max_clients`` are held, so a flood of spoofed or rotating addresses cannot grow memory without bound.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import problem_response

__all__ = ["RateLimit", "TokenBuckets"]

UNLIMITED_PATHS = frozenset({"/health"})


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """One token bucket per key.

    Args:
        per_minute: bucket size and refill per minute.
        clock: monotonic seconds (injectable for tests).
        max_clients: buckets kept before full ones are dropped.
    """

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> float:
        """Take a token for ``key``: 0.0 when granted, else the seconds until the next token."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            self._evict_full(now)
            bucket = self._buckets[key] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _evict_full(self, now: float) -> None:
        if len(self._buckets) < self.max_clients:
            return
        refill = self.capacity / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}


class RateLimit:
    """ASGI middleware refusing requests over ``per_minute`` per client address with 429 (0: off)."""

    def __init__(self, app: ASGIApp, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.per_minute = per_minute
        self.buckets = TokenBuckets(per_minute, clock=clock) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or scope.get("path") in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = str(max(1, math.ceil(wait)))
        response = problem_response(
            Request(scope), 429, "Too Many Requests",
            f"more than {self.per_minute} requests per minute from this address",
            hint=f"retry after {retry_after} s; the limit is KG_RATE_LIMIT_PER_MINUTE",
            headers={"Retry-After": retry_after},
        )
        await response(scope, receive, send)

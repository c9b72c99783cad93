"""Keep what every publication's first GraphQL requests would otherwise compute: the totals of each group class.

    task = start_warming(app, settings, orders)   # in the app's lifespan; task.cancel() on shutdown

A background task looks at the published store every ``WARM_INTERVAL_S`` seconds (the remote store's pointer is
re-read at most as often); when its version is new, it reads the totals of every group class into the router's
kept orders (`api.graphql.aggregates.warm_class_totals`) on a worker thread. Until that is done, requests compute
and keep them themselves, as they would without this task. Nothing published yet, or a store that cannot be
read, is tried again at the next tick.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import FastAPI

from api.deps import app_store
from api.graphql.aggregates import warm_class_totals
from api.graphql.memo import Lru, store_version
from kg.config import Settings
from kg.errors import KgError

__all__ = ["WARM_INTERVAL_S", "start_warming", "warm_once"]

log = logging.getLogger(__name__)

WARM_INTERVAL_S = 5.0


def warm_once(app: FastAPI, settings: Settings, orders: Lru[Any], warmed: str | None) -> str | None:
    """Warm the current publication unless it is ``warmed``; the version now warm (None: nothing readable)."""
    try:
        store = app_store(app, settings)
    except KgError:
        return warmed
    version = store_version(store)
    if version is None or version == warmed:
        return warmed
    read = warm_class_totals(store, orders)
    log.info("kept the totals of %d group classes of %s", read, version)
    return version


def start_warming(app: FastAPI, settings: Settings, orders: Lru[Any]) -> asyncio.Task[None] | None:
    """Start the background task (None when kept orders are off)."""
    if not orders.enabled:
        return None

    async def loop() -> None:
        warmed: str | None = None
        while True:
            try:
                warmed = await asyncio.to_thread(warm_once, app, settings, orders, warmed)
            except Exception:  # noqa: BLE001 - a failed warm-up must never stop the server; requests still work
                log.exception("warming the GraphQL totals failed; requests compute them instead")
            await asyncio.sleep(WARM_INTERVAL_S)

    return asyncio.create_task(loop(), name="graphql-warm-totals")

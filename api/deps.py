"""Request dependencies: the app's settings, store and SPARQL executor, as ``Annotated`` aliases.

``create_app`` puts the settings and the executor on ``app.state``; the store is opened once per app on first
use (`app_store`, via `kg.remote_store.open_store`: the embedded Oxigraph store or a SPARQL endpoint, as
``KG_STORE`` says) and follows publications. Tests build an app with their own ``Settings`` instead of
overriding globals.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from api.sparql.executor import Executor
from api.sparql.remote import RemoteExecutor
from kg.config import Settings
from kg.remote_store import Store, open_store

__all__ = [
    "ExecutorDep", "SettingsDep", "StoreDep", "app_store", "get_executor", "get_settings", "get_store",
    "published_path",
]

_STORE_LOCK = threading.Lock()


def published_path(settings: Settings) -> Path:
    """The published store: the ``current`` symlink under ``settings.data_dir`` (swapped on publication)."""
    return settings.data_dir / "current"


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def app_store(app: FastAPI, settings: Settings) -> Store:
    """The app's store (``app.state.kg_store``), opened on first use and refreshed on each later use.

    Raises:
        StoreError: nothing is published (answered 503 by api/errors.py).
    """
    store: Store | None = getattr(app.state, "kg_store", None)
    if store is None:
        with _STORE_LOCK:
            store = getattr(app.state, "kg_store", None) or open_store(settings)
            app.state.kg_store = store
    else:
        store.refresh()
    return store


def get_store(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> Store:
    """The app's store (see `app_store`)."""
    return app_store(request.app, settings)


def get_executor(request: Request) -> Executor | RemoteExecutor:
    """The app's SPARQL executor: the worker pool, or the forwarder of a remote store."""
    return request.app.state.sparql_executor


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ExecutorDep = Annotated[Executor | RemoteExecutor, Depends(get_executor)]

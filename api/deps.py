"""Request dependencies: the app's settings and SPARQL executor, as ``Annotated`` aliases.

``create_app`` puts both on ``app.state``; tests build an app with their own ``Settings`` instead of
overriding globals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from api.sparql.executor import Executor
from kg.config import Settings

__all__ = ["ExecutorDep", "SettingsDep", "get_executor", "get_settings", "published_path"]


def published_path(settings: Settings) -> Path:
    """The published store: the ``current`` symlink under ``settings.data_dir`` (swapped on publication)."""
    return settings.data_dir / "current"


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def get_executor(request: Request) -> Executor:
    """The app's SPARQL worker pool."""
    return request.app.state.sparql_executor


SettingsDep = Annotated[Settings, Depends(get_settings)]
ExecutorDep = Annotated[Executor, Depends(get_executor)]

"""Virtuoso fixtures: the private instance of scripts/virtuoso, loaded once per session with the curated build.

Every test of a ``test_virtuoso_*.py`` module is marked ``virtuoso``; the ``endpoint`` fixture skips it, with the
reason, when no server answers. The other modules here test kg.remote_store without a server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.backends import virtuoso_store


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = Path(str(item.fspath))
        if path.parent == Path(__file__).parent and path.name.startswith("test_virtuoso_"):
            item.add_marker(pytest.mark.virtuoso)


@pytest.fixture(scope="session")
def endpoint() -> str:
    return virtuoso_store()

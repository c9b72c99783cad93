from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.errors import HttpProblem
from api.sparql.executor import Executor
from api.sparql.jobs import BOOLEAN, RESULTS_JSON, SOLUTIONS, Job
from kg.errors import QueryTimeout
from tests.api.sparql_store import ENDLESS_QUERY

ASK = Job(query="ASK {}", base_iri="", formats={BOOLEAN: RESULTS_JSON})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def executor(data_dir: Path) -> Iterator[Executor]:
    pool = Executor(data_dir / "current", size=1, timeout_s=1.0, prefixes={})
    yield pool
    pool.close()


def test_workers_survive_the_thread_that_started_them(executor: Executor) -> None:
    def start_and_linger() -> None:
        executor.start()
        time.sleep(0.6)  # long enough for the worker to arm its parent-death signal

    starter = threading.Thread(target=start_and_linger)
    starter.start()
    starter.join()
    time.sleep(0.3)
    assert all(_alive(pid) for pid in executor.pids())
    assert executor.run(ASK).body == b'{"head":{},"boolean":true}'


def test_overrun_raises_timeout_and_replaces_the_worker(executor: Executor) -> None:
    executor.start()
    [before] = executor.pids()
    with pytest.raises(QueryTimeout, match="limit: 1 s"):
        executor.run(Job(query=ENDLESS_QUERY, base_iri="", formats={SOLUTIONS: RESULTS_JSON}))
    [after] = executor.pids()
    assert after != before
    assert not _alive(before)
    assert executor.run(ASK).error == ""


def test_close_stops_every_worker(executor: Executor) -> None:
    executor.start()
    pids = executor.pids()
    executor.close()
    assert executor.pids() == []
    assert not any(_alive(pid) for pid in pids)


def test_missing_store_gives_no_store_outcome(tmp_path: Path) -> None:
    pool = Executor(tmp_path / "current", size=1, timeout_s=5.0, prefixes={})
    try:
        assert pool.run(ASK).error == "no-store"
    finally:
        pool.close()


def test_no_idle_worker_in_time_is_503_with_retry_after(data_dir: Path) -> None:
    pool = Executor(data_dir / "current", size=1, timeout_s=0.3, prefixes={})
    try:
        pool.start()
        pool._idle.get()  # the only worker is taken, as by a long query
        with pytest.raises(HttpProblem) as raised:
            pool.run(ASK)
        assert raised.value.status == 503
        assert raised.value.headers == {"Retry-After": "1"}
    finally:
        pool.close()

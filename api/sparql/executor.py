"""Parent side of the query pool: a fixed number of worker processes, each used by one query at a time.

pyoxigraph has no cancellation, so a time limit is only real if the process computing can be stopped.
``Executor.run`` hands a ``Job`` to an idle worker and waits up to ``timeout_s``; on overrun it kills the
worker with SIGKILL, starts a replacement and raises ``QueryTimeout``. The other workers keep serving
meanwhile, and the replacement is ready after an interpreter start (~0.1-0.2 s). Workers are fresh
interpreters (``subprocess``, not ``multiprocessing``): nothing of the server process (threads, locks,
``__main__``) is inherited, and Linux kills them if the server dies (PR_SET_PDEATHSIG).

``run`` blocks; the router calls it from a thread (``run_in_threadpool``). Workers start lazily on the
first job, or eagerly with ``start()`` (the app's lifespan does so); ``close()`` stops them.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

from api.errors import HttpProblem
from api.sparql.jobs import Job, Outcome
from kg.errors import QueryTimeout

__all__ = ["Executor"]

log = logging.getLogger(__name__)

# The directory holding the ``api`` package, put first on the worker's sys.path (the project may not be
# installed). The worker is a fresh interpreter: it never re-imports the parent's ``__main__``.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from api.sparql.worker import main; main(sys.argv[2:])"


class _Overrun(Exception):
    pass


class _Worker:
    """One worker process and the parent's end of its socket pair."""

    def __init__(self, current: Path, prefixes: dict[str, str]) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, _SOURCE_ROOT, str(theirs.fileno()), str(os.getpid())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            )
        self.conn = Connection(ours.detach())
        self.conn.send((str(current), prefixes))

    @property
    def pid(self) -> int:
        return self.process.pid

    def exchange(self, job: Job, timeout_s: float) -> Outcome:
        """Send ``job`` and wait for its outcome; ``_Overrun`` past ``timeout_s``, EOFError if it died."""
        self.conn.send(job)
        if not self.conn.poll(timeout_s):
            raise _Overrun
        return self.conn.recv()

    def kill(self) -> None:
        """SIGKILL the process and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("SPARQL worker %s did not exit after SIGKILL", self.pid)
        self.conn.close()


class Executor:
    """A pool of ``size`` worker processes serving queries against the store at ``current``.

    Args:
        current: the published store path (the ``current`` symlink).
        size: number of worker processes.
        timeout_s: wall-clock limit of one query; also the longest wait for an idle worker.
        prefixes: prefixes offered to the Turtle/RDF-XML/JSON-LD writers.
    """

    def __init__(self, current: Path, *, size: int, timeout_s: float, prefixes: dict[str, str]) -> None:
        self.current = current
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self.prefixes = dict(prefixes)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        # Linux's PR_SET_PDEATHSIG fires when the *thread* that started a worker exits, and request threads
        # come and go; so every worker is started from this one thread, which lives until ``close()``.
        self._spawner: ThreadPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers (idempotent)."""
        with self._lock:
            if self._started:
                return
            self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-sparql-spawner")
            for _ in range(self.size):
                self._add()
            self._started = True

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            for each in list(self._all):
                each.kill()
            self._all.clear()
            self._idle = queue.Queue()
            self._started = False
            if self._spawner is not None:
                self._spawner.shutdown(wait=True)
                self._spawner = None

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and /health)."""
        with self._lock:
            return sorted(each.pid for each in self._all)

    def run(self, job: Job) -> Outcome:
        """Run ``job`` on an idle worker within the time limit.

        Raises:
            QueryTimeout: the query ran past ``timeout_s``; its worker was killed and replaced.
            HttpProblem: 503 when no worker became idle in time, 500 when the worker died.
        """
        self.start()
        chosen = self._checkout()
        started = time.monotonic()
        try:
            outcome = chosen.exchange(job, self.timeout_s)
        except _Overrun:
            self._replace(chosen)
            elapsed = time.monotonic() - started
            raise QueryTimeout(
                f"the query was stopped after {elapsed:.1f} s (limit: {self.timeout_s:g} s)"
            ) from None
        except (EOFError, OSError) as exc:
            self._replace(chosen)
            log.error("SPARQL worker %s died: %r", chosen.pid, exc)
            raise HttpProblem(500, "the query worker stopped unexpectedly; the query was not answered",
                              hint="retry; if it happens again the query may need too much memory") from None
        self._idle.put(chosen)
        return outcome

    def _checkout(self) -> _Worker:
        try:
            return self._idle.get(timeout=self.timeout_s)
        except queue.Empty:
            raise HttpProblem(
                503, f"all {self.size} query workers are busy", hint="retry in a moment",
                headers={"Retry-After": "1"},
            ) from None

    def _add(self) -> None:
        assert self._spawner is not None
        fresh = self._spawner.submit(_Worker, self.current, self.prefixes).result()
        self._all.add(fresh)
        self._idle.put(fresh)

    def _replace(self, dead: _Worker) -> None:
        dead.kill()
        with self._lock:
            self._all.discard(dead)
            if self._started:
                self._add()

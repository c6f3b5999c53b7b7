"""The CPU pool: model work runs in worker processes (or threads), so the event loop keeps answering,
behind one bounded queue, so that load beyond capacity gets a fast 503 instead of a connection that
hangs. One queue in front of all workers keeps them evenly busy whichever connection a request came on."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any


class Busy(Exception):
    """The queue is full, or the request waited its whole time limit without starting (→ 503)."""


class TimedOut(Exception):
    """The work started but did not finish within the time limit (→ 504)."""


class Pool:
    """`processes` > 0: that many worker processes, each running `initializer(*initargs)` once (to load
    the model); 0: `threads` threads in this process (tests, and small deployments)."""

    def __init__(self, *, processes: int = 0, threads: int = 1, queue: int = 64, timeout: float = 10.0,
                 initializer: Callable | None = None, initargs: tuple = ()):
        self.processes = max(0, processes)
        self.threads = max(1, threads)
        self.limit = max(1, queue)
        self.timeout = timeout
        self._initializer, self._initargs = initializer, initargs
        self._executor: Executor | None = None  # started on first use, again after a shutdown or crash
        self._lock = threading.Lock()
        self._pending = 0  # queued + running, counted until the work really ends (not when we give up)
        self._seconds_each: float | None = None  # moving average of one article's time on a worker

    @property
    def workers(self) -> int:
        return self.processes or self.threads

    @property
    def pending(self) -> int:
        return self._pending

    def _release(self, weight: int) -> None:
        with self._lock:
            self._pending -= weight

    def _start(self) -> Executor:
        with self._lock:
            if self._executor is None:
                if self.processes:
                    # spawn, not fork: the server process has threads, and a forked lock can stay locked.
                    self._executor = ProcessPoolExecutor(
                        self.processes, mp_context=multiprocessing.get_context("spawn"),
                        initializer=self._initializer, initargs=self._initargs,
                    )
                else:
                    self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="newsbrief-cpu")
            return self._executor

    async def run(self, fn: Callable[..., Any], *args, weight: int = 1) -> Any:
        """`fn(*args)` on a worker. `weight` counts a batch as the articles it holds."""
        with self._lock:
            reason = self.busy(weight)
            if reason:
                raise Busy(reason)
            self._pending += weight
        try:
            future: Future = self._start().submit(_timed, fn, weight, *args)
        except (RuntimeError, BrokenProcessPool):  # shutting down, or a worker died: start afresh next time
            self._release(weight)
            self._reset()
            raise Busy("the server's workers are restarting; retry shortly") from None
        future.add_done_callback(lambda done: self._finished(done, weight))
        waiter = asyncio.wrap_future(future)
        try:
            # shield: on a timeout we decide what to cancel, rather than wait_for cancelling blindly.
            result, _ = await asyncio.wait_for(asyncio.shield(waiter), self.timeout)
            return result
        except TimeoutError:
            waiter.add_done_callback(_consume)
            if future.cancel():
                raise Busy(f"the request waited {self.timeout:g} s in the queue; retry shortly") from None
            # Running work cannot be stopped; its result is dropped and `pending` still counts it.
            raise TimedOut(f"the article took longer than the {self.timeout:g} s limit") from None
        except BrokenProcessPool:  # a worker died (out of memory, a crash in native code)
            self._reset()
            raise Busy("a worker stopped unexpectedly and is being restarted; retry shortly") from None

    def busy(self, weight: int = 1) -> str | None:
        """Why `weight` more articles would be refused now, or None."""
        # An oversized batch may still run alone on an idle pool, or it could never run at all.
        if self._pending and self._pending + weight > self.limit:
            return f"the server is busy ({self._pending} articles queued); retry shortly"
        # Say so now, not after the time limit, when the work ahead cannot be done in time anyway.
        wait = self.expected_wait()
        if self._pending and wait > self.timeout:
            return f"the server is busy (about {wait:.0f} s of work queued); retry shortly"
        return None

    def expected_wait(self) -> float:
        """Seconds the queued work should take to clear, from recent articles' times."""
        return self._pending * (self._seconds_each or 0.0) / self.workers

    def _finished(self, future: Future, weight: int) -> None:
        with self._lock:
            self._pending -= weight
            if not future.cancelled() and future.exception() is None:
                each = future.result()[1]
                self._seconds_each = each if self._seconds_each is None else 0.8 * self._seconds_each + 0.2 * each

    async def warm(self, fn: Callable[..., Any], *args) -> None:
        """Run `fn(*args)` once per worker's worth of jobs at once, so every process starts now."""
        await asyncio.gather(*(asyncio.wrap_future(self._start().submit(fn, *args)) for _ in range(self.workers)))

    def _reset(self, wait: bool = False) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)

    def shutdown(self) -> None:
        # Queued work is dropped; running work (one article per worker) finishes so workers exit cleanly.
        # An app can be started and stopped more than once in a process (tests do): the next run restarts.
        self._reset(wait=True)


def _timed(fn: Callable[..., Any], weight: int, *args) -> tuple[Any, float]:
    """`fn(*args)` and the seconds it took per article, measured where it ran."""
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) / max(1, weight)


def _consume(fut: asyncio.Future) -> None:
    # Nobody awaits an abandoned job: read its outcome so asyncio does not log it as never retrieved.
    if not fut.cancelled():
        fut.exception()

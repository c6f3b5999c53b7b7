"""The CPU pool: model work runs in threads so the event loop keeps answering, behind a bounded queue
so that load beyond capacity gets a fast 503 instead of a connection that hangs."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable


class Busy(Exception):
    """The queue is full, or the request waited its whole time limit without starting (→ 503)."""


class TimedOut(Exception):
    """The work started but did not finish within the time limit (→ 504)."""


class Pool:
    def __init__(self, threads: int = 1, queue: int = 64, timeout: float = 10.0):
        self.threads = max(1, threads)
        self.limit = max(1, queue)
        self.timeout = timeout
        self._executor: ThreadPoolExecutor | None = None  # started on first use, again after a shutdown
        self._lock = threading.Lock()
        self._pending = 0  # queued + running, counted until the work really ends (not when we give up)

    @property
    def pending(self) -> int:
        return self._pending

    def _release(self, weight: int) -> None:
        with self._lock:
            self._pending -= weight

    async def run(self, fn: Callable[..., Any], *args, weight: int = 1) -> Any:
        """`fn(*args)` on a pool thread. `weight` counts a batch as the articles it holds."""
        with self._lock:
            # An oversized batch may still run alone on an idle pool, or it could never run at all.
            if self._pending and self._pending + weight > self.limit:
                raise Busy(f"the server is busy ({self._pending} articles queued); retry shortly")
            self._pending += weight
        try:
            future: Future = self._start().submit(fn, *args)
        except RuntimeError:  # the executor is shutting down
            self._release(weight)
            raise Busy("the server is shutting down") from None
        future.add_done_callback(lambda _: self._release(weight))
        waiter = asyncio.wrap_future(future)
        try:
            # shield: on a timeout we decide what to cancel, rather than wait_for cancelling blindly.
            return await asyncio.wait_for(asyncio.shield(waiter), self.timeout)
        except TimeoutError:
            waiter.add_done_callback(_consume)
            if future.cancel():
                raise Busy(f"the request waited {self.timeout:g} s in the queue; retry shortly") from None
            # A running thread cannot be stopped; its result is dropped and `pending` still counts it.
            raise TimedOut(f"the article took longer than the {self.timeout:g} s limit") from None

    def _start(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="newsbrief-cpu")
            return self._executor

    def shutdown(self) -> None:
        # An app can be started and stopped more than once in a process (tests do): the next run restarts.
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _consume(fut: asyncio.Future) -> None:
    # Nobody awaits an abandoned job: read its outcome so asyncio does not log it as never retrieved.
    if not fut.cancelled():
        fut.exception()

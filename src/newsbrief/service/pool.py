"""The CPU pool: model work runs in worker processes (or threads), so the event loop keeps answering,
behind one bounded queue, so that load beyond capacity gets a fast 503 instead of a connection that
hangs. One queue in front of all workers keeps them evenly busy whichever connection a request came on.

With processes, a job is handed to a worker only when that worker is idle, so a request that waited
its whole time limit never started (→ 503); a job past its time limit has its worker killed and
replaced (→ 504), so a runaway article cannot hold a worker beyond its request's deadline.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any


class Busy(Exception):
    """The queue is full, or the request waited its whole time limit without starting (→ 503)."""


class TimedOut(Exception):
    """The work started but did not finish within the time limit (→ 504)."""


class WorkerDied(Exception):
    """A worker process ended in the middle of a job (killed, out of memory, a crash in native code)."""


class Pool:
    """`processes` > 0: that many worker processes, each running `initializer(*initargs)` once (to load
    the model); 0: `threads` threads in this process (tests, and small deployments; a thread cannot be
    stopped, so there a job past its limit keeps its thread, and counts as pending, until it ends)."""

    def __init__(self, *, processes: int = 0, threads: int = 1, queue: int = 64, timeout: float = 10.0,
                 initializer: Callable | None = None, initargs: tuple = ()):
        self.processes = max(0, processes)
        self.threads = max(1, threads)
        self.limit = max(1, queue)
        self.timeout = timeout
        self._initializer, self._initargs = initializer, initargs
        self._lock = threading.Lock()
        self._pending = 0  # queued + running, counted until the work really ends (not when we give up)
        self._seconds_each: float | None = None  # moving average of one article's time on a worker
        self._threads: ThreadPoolExecutor | None = None  # processes == 0
        self._idle: asyncio.Queue[_Worker] | None = None  # processes > 0: workers free to take a job
        self._io: ThreadPoolExecutor | None = None  # one thread per worker process waits on its pipe
        self._loop: asyncio.AbstractEventLoop | None = None
        self._processes: set[_Worker] = set()  # every live worker process, idle or busy
        self.restarts = 0  # workers replaced after a timeout or a crash

    @property
    def workers(self) -> int:
        return self.processes or self.threads

    @property
    def pending(self) -> int:
        return self._pending

    # --- admission --------------------------------------------------------------------------------

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

    def _admit(self, weight: int) -> None:
        with self._lock:
            reason = self.busy(weight)
            if reason:
                raise Busy(reason)
            self._pending += weight

    def _release(self, weight: int, seconds_each: float | None = None) -> None:
        with self._lock:
            self._pending -= weight
            if seconds_each is not None:
                old = self._seconds_each
                self._seconds_each = seconds_each if old is None else 0.8 * old + 0.2 * seconds_each

    @contextmanager
    def holding(self, weight: int = 1):
        """Count `weight` articles against the queue while the block runs (a URL being fetched)."""
        self._admit(weight)
        try:
            yield
        finally:
            self._release(weight)

    # --- running ----------------------------------------------------------------------------------

    async def run(self, fn: Callable[..., Any], *args, weight: int = 1, timeout: float | None = None) -> Any:
        """`fn(*args)` on a worker. `weight` counts a batch as the articles it holds; `timeout` (default:
        the pool's) is what is left of the request's time."""
        self._admit(weight)
        limit = self.timeout if timeout is None else timeout
        if self.processes:
            return await self._run_process(fn, args, weight, limit)
        return await self._run_thread(fn, args, weight, limit)

    async def _run_thread(self, fn, args, weight: int, limit: float):
        with self._lock:
            if self._threads is None:
                self._threads = ThreadPoolExecutor(self.threads, thread_name_prefix="newsbrief-cpu")
            executor = self._threads
        future: Future = executor.submit(_timed, fn, weight, *args)
        future.add_done_callback(lambda done: self._thread_finished(done, weight))
        waiter = asyncio.wrap_future(future)
        try:
            # shield: on a timeout we decide what to cancel, rather than wait_for cancelling blindly.
            result, _ = await asyncio.wait_for(asyncio.shield(waiter), limit)
            return result
        except TimeoutError:
            waiter.add_done_callback(_consume)
            if future.cancel():
                raise Busy(f"the request waited {self.timeout:g} s in the queue; retry shortly") from None
            raise TimedOut(f"the article took longer than the {self.timeout:g} s limit") from None

    def _thread_finished(self, future: Future, weight: int) -> None:
        ok = not future.cancelled() and future.exception() is None
        self._release(weight, future.result()[1] if ok else None)

    async def _run_process(self, fn, args, weight: int, limit: float):
        started = time.monotonic()
        try:
            idle = self._start_processes()
            try:
                worker = await asyncio.wait_for(idle.get(), limit)
            except TimeoutError:  # never reached a worker: nothing ran
                raise Busy(f"the request waited {self.timeout:g} s in the queue; retry shortly") from None
            left = limit - (time.monotonic() - started)
            job = asyncio.get_running_loop().run_in_executor(self._io, worker.call, _timed, (fn, weight, *args))
            try:
                result, each = await asyncio.wait_for(asyncio.shield(job), max(0.0, left))
            except TimeoutError:
                job.add_done_callback(_consume)
                self._replace(worker)  # killing it ends the job now: the worker is free within the deadline
                raise TimedOut(f"the article took longer than the {self.timeout:g} s limit") from None
            except WorkerDied:
                self._replace(worker)
                raise Busy("a worker stopped unexpectedly and is being restarted; retry shortly") from None
            except BaseException:
                if job.done():  # the job's own error (an unreadable article): the worker is fine
                    idle.put_nowait(worker)
                else:  # cancelled while it runs: stop it rather than let it run unbounded
                    job.add_done_callback(_consume)
                    self._replace(worker)
                raise
            idle.put_nowait(worker)
        except BaseException:
            self._release(weight)
            raise
        self._release(weight, each)
        return result

    def _start_processes(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if self._idle is None or self._loop is not loop:
            self._stop_processes()
            self._loop = loop
            self._io = ThreadPoolExecutor(self.processes, thread_name_prefix="newsbrief-worker-io")
            self._idle = asyncio.Queue()
            for _ in range(self.processes):
                self._idle.put_nowait(self._spawn())  # its first job waits for the initializer's "ready"
        return self._idle

    def _spawn(self) -> _Worker:
        worker = _Worker(self._initializer, self._initargs)
        self._processes.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._processes.discard(worker)
        self.restarts += 1
        idle, loop = self._idle, self._loop
        if idle is None or loop is None:
            return
        fresh = self._spawn()

        def ready(done) -> None:  # idle only once its model is loaded, so no job waits on the loading
            if done.exception() is None and self._idle is idle:
                idle.put_nowait(fresh)
            else:
                fresh.kill()
                self._processes.discard(fresh)

        loop.run_in_executor(self._io, fresh.wait_ready).add_done_callback(ready)

    async def warm(self, fn: Callable[..., Any], *args) -> None:
        """Run `fn(*args)` once on every worker, so every process starts (and loads the model) now."""
        if not self.processes:
            with self._lock:
                if self._threads is None:
                    self._threads = ThreadPoolExecutor(self.threads, thread_name_prefix="newsbrief-cpu")
            await asyncio.gather(*(asyncio.wrap_future(self._threads.submit(fn, *args)) for _ in range(self.threads)))
            return
        idle = self._start_processes()
        workers = [await idle.get() for _ in range(self.processes)]
        loop = asyncio.get_running_loop()
        try:
            await asyncio.gather(*(loop.run_in_executor(self._io, w.call, fn, args) for w in workers))
        finally:
            for w in workers:
                idle.put_nowait(w)

    def _stop_processes(self) -> None:
        idle, self._idle = self._idle, None
        while idle is not None and not idle.empty():
            worker = idle.get_nowait()
            worker.stop()
            self._processes.discard(worker)
        for worker in self._processes:  # busy with a job nobody will wait for now
            worker.kill()
        self._processes.clear()
        if self._io is not None:
            self._io.shutdown(wait=False, cancel_futures=True)
            self._io = None

    def shutdown(self) -> None:
        # Queued work is dropped; running thread work finishes so threads exit cleanly. An app can be
        # started and stopped more than once in a process (tests do): the next run restarts.
        with self._lock:
            threads, self._threads = self._threads, None
        if threads is not None:
            threads.shutdown(wait=True, cancel_futures=True)
        self._stop_processes()


class _Worker:
    """One model process and the pipe it takes jobs on, one job at a time."""

    def __init__(self, initializer: Callable | None, initargs: tuple):
        # spawn, not fork: the server process has threads, and a forked lock can stay locked.
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, initializer, initargs), daemon=True,
                                       name="newsbrief-worker")
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self) -> None:
        """Block until the worker has run its initializer (it says "ready" once)."""
        if not self.ready:
            self._receive()
            self.ready = True

    def call(self, fn: Callable, args: tuple) -> Any:
        self.wait_ready()
        try:
            self.conn.send((fn, args))
        except OSError:
            raise WorkerDied() from None
        return self._receive()

    def _receive(self) -> Any:
        try:
            ok, value = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerDied() from None
        if ok:
            return value
        raise value

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.kill()
        self.conn.close()


def _serve(conn, initializer: Callable | None, initargs: tuple) -> None:
    """A worker process's life: load the model, then run jobs until told to stop (None) or killed."""
    import pickle
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops the workers
    if initializer is not None:
        initializer(*initargs)
    conn.send((True, "ready"))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        fn, args = job
        try:
            reply = (True, fn(*args))
        except Exception as e:
            reply = (False, e)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError):  # an exception that does not pickle
            conn.send((False, RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


def _timed(fn: Callable[..., Any], weight: int, *args) -> tuple[Any, float]:
    """`fn(*args)` and the seconds it took per article, measured where it ran."""
    started = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - started) / max(1, weight)


def _consume(fut: asyncio.Future) -> None:
    # Nobody awaits an abandoned job: read its outcome so asyncio does not log it as never retrieved.
    if not fut.cancelled():
        fut.exception()

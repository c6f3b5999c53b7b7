"""Engines run chunks somewhere and hand back their results: in this process, in a local process pool,
or on a Dask distributed cluster. They share one driver loop (`run`) that keeps a bounded number of
chunks in flight, so the lazy plan, the memory and the parts on disk all stay bounded.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator

from newsbrief.errors import InputError


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Engine:
    name = "engine"
    slots = 1  # chunks that can run at once

    def submit(self, fn: Callable, *args):
        raise NotImplementedError

    def wait(self, pending: set) -> tuple[set, set]:
        return cf.wait(pending, return_when=cf.FIRST_COMPLETED)

    def run(self, fn: Callable, items: Iterable, *args) -> Iterator:
        """fn(item, *args) for every item, results as they finish (not in order)."""
        window = 2 * self.slots + 1  # enough to keep every slot busy while results are merged
        pending: set = set()
        try:
            for item in items:
                pending.add(self.submit(fn, item, *args))
                while len(pending) >= window:
                    done, pending = self.wait(pending)
                    for future in done:
                        yield future.result()
            while pending:
                done, pending = self.wait(pending)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class InlineEngine(Engine):
    """One worker: this process. No pool to start, nothing to pickle."""

    name = "local"

    def __init__(self, initializer: Callable | None = None, initargs: tuple = ()):
        if initializer:
            initializer(*initargs)

    def submit(self, fn, *args):
        future = cf.Future()
        future.set_result(fn(*args))  # exceptions propagate at once, before any later chunk runs
        return future


class LocalEngine(Engine):
    """A pool of worker processes on this machine, each loading the model once (`initializer`)."""

    name = "local"

    def __init__(self, workers: int, initializer: Callable | None = None, initargs: tuple = ()):
        self.slots = workers
        threads = max(1, cpu_count() // workers)
        # spawn, not fork: a forked child of a process with threads (torch, rich) can deadlock.
        self.pool = cf.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(os.getpid(), threads, initializer, initargs),
        )

    def submit(self, fn, *args):
        try:
            return self.pool.submit(fn, *args)
        except cf.process.BrokenProcessPool as e:
            raise InputError(f"a worker process died ({e}); what was done is kept for --resume") from None

    def wait(self, pending):
        done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
        for future in done:
            if isinstance(future.exception(), cf.process.BrokenProcessPool):
                raise InputError("a worker process died (out of memory?); what was done is kept for --resume")
        return done, pending

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


def _init_worker(parent: int, threads: int, initializer, initargs) -> None:
    # Ctrl-C goes to the whole process group: the client decides how to stop, not each worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    # Math libraries would otherwise each start a thread per core in every worker.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(threads))
    if initializer:
        initializer(*initargs)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def _die_with_parent(parent: int) -> None:
    """A killed client (kill -9) must not leave workers behind, still writing into its job directory."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the client died before prctl took effect
        os._exit(1)


ENGINES = ("local", "dask")


def check_engine(engine: str, scheduler: str | None) -> None:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask")


def make_engine(engine: str, workers: int | None, scheduler: str | None, initializer=None, initargs=()) -> Engine:
    check_engine(engine, scheduler)
    workers = workers or cpu_count()
    if engine == "dask":
        from newsbrief.batch.cluster import DaskEngine  # imports distributed: only when asked for

        return DaskEngine(scheduler, workers, initializer, initargs)
    if workers == 1:
        return InlineEngine(initializer, initargs)
    return LocalEngine(workers, initializer, initargs)


def map_ordered(
    fn: Callable, items: Iterable, *, workers: int | None = None, engine: str = "local",
    scheduler: str | None = None, initializer: Callable | None = None, initargs: tuple = (),
) -> Iterator:
    """fn(item) for every item on the chosen engine, results in input order — for jobs besides `batch`
    (eval, training feature extraction). Items should be chunks of work, not single articles, and `fn`
    and `initializer` module-level functions, so that they pickle."""
    with make_engine(engine, workers, scheduler, initializer, initargs) as eng:
        waiting: dict[int, object] = {}
        following = 0
        for i, result in eng.run(_numbered, enumerate(items), fn):
            waiting[i] = result
            while following in waiting:
                yield waiting.pop(following)
                following += 1


def _numbered(item: tuple, fn: Callable) -> tuple:
    return item[0], fn(item[1])

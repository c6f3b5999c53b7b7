"""The local engine: one worker is this process (`InlineExecutor`: no pool to start, nothing to
pickle); more are a pool of spawned worker processes, each loading the model once."""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable

from newsbrief.batch.engine import Engine, cpu_count


class InlineExecutor(cf.Executor):
    """Runs each task in this process as it is submitted."""

    def __init__(self, initializer: Callable | None = None, initargs: tuple = ()):
        if initializer:
            initializer(*initargs)

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        future: cf.Future = cf.Future()
        future.set_result(fn(*args, **kwargs))  # exceptions propagate at once, before any later chunk runs
        return future


def local_engine(workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> Engine:
    if workers == 1:
        executor: cf.Executor = InlineExecutor(initializer, initargs)
        return Engine("local", executor, 1, lambda: None)
    threads = max(1, cpu_count() // workers)
    # spawn, not fork: a forked child of a process with threads (torch, rich) can deadlock.
    pool = cf.ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker, initargs=(os.getpid(), threads, initializer, initargs),
    )
    return Engine("local", pool, workers, lambda: pool.shutdown(wait=True, cancel_futures=True))


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

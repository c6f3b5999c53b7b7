"""The Dask engine: the same chunks and part files as the local engine, run on a distributed cluster
through `Client.get_executor()`."""

from __future__ import annotations

from collections.abc import Callable

import dask
from distributed import Client, LocalCluster, WorkerPlugin

from newsbrief.batch.engine import Engine
from newsbrief.errors import InputError


# Dask's statistical profiler walks every thread's stack each 10 ms, and its watchdogs wake the event loop
# every 20-500 ms; on pure-Python tasks that cost ~0.9 ms more CPU per article than the local pool. The
# LocalCluster's workers run without the profiler and with slower watchdogs.
QUIET_WORKERS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_, which pins glibc's mmap threshold: every numpy matrix
    # of an article is then mapped and unmapped afresh (3x the system time of the local pool).
    "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
}


def dask_engine(scheduler: str | None, workers: int, initializer: Callable | None = None, initargs: tuple = ()) -> Engine:
    """A Dask distributed cluster: the given scheduler, or a LocalCluster of `workers` started here.

    Every worker must see the inputs and the job directory at the same paths (one machine, or a
    shared file system), since workers read their byte ranges and write their part files themselves.
    """
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)  # gives up after distributed.comm.timeouts.connect
        else:
            # One thread per worker process: the models are CPU-bound Python, the GIL would serialise threads.
            with dask.config.set(QUIET_WORKERS):
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
                )
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise InputError(f"cannot connect to the Dask scheduler at {scheduler}: {e}") from None
    if initializer:
        client.register_plugin(_Initializer(initializer, initargs), name="newsbrief-init")
    executor = client.get_executor(pure=False)

    def close() -> None:
        executor.shutdown(wait=False)
        client.close()
        if cluster is not None:
            cluster.close()

    return Engine("dask", executor, max(1, sum(client.nthreads().values())), close)


class _Initializer(WorkerPlugin):
    """Load the model on each worker as it joins, like a process pool's initializer."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def setup(self, worker):
        self.fn(*self.args)

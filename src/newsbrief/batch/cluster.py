"""The Dask engine: the same chunks and part files as the local engine, run on a distributed cluster."""

from __future__ import annotations

from collections.abc import Callable

import dask
from distributed import Client, LocalCluster, WorkerPlugin, wait

from newsbrief.batch.engines import Engine
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


class DaskEngine(Engine):
    """A Dask distributed cluster: the given scheduler, or a LocalCluster started here.

    Every worker must see the inputs and the job directory at the same paths (one machine, or a
    shared file system), since workers read their byte ranges and write their part files themselves.
    """

    name = "dask"

    def __init__(self, scheduler: str | None, workers: int, initializer: Callable | None = None, initargs: tuple = ()):
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler)  # gives up after distributed.comm.timeouts.connect
            else:
                # One thread per worker process: the models are CPU-bound Python, the GIL would serialise threads.
                with dask.config.set(QUIET_WORKERS):
                    self.cluster = LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None,
                    )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as e:
            if self.cluster is not None:
                self.cluster.close()
            raise InputError(f"cannot connect to the Dask scheduler at {scheduler}: {e}") from None
        self.slots = max(1, sum(self.client.nthreads().values()))
        if initializer:
            self.client.register_plugin(_Initializer(initializer, initargs), name="newsbrief-init")

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False)

    def wait(self, pending):
        done, not_done = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done), set(not_done)

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class _Initializer(WorkerPlugin):
    """Load the model on each worker as it joins, like a process pool's initializer."""

    def __init__(self, fn, args):
        self.fn, self.args = fn, args

    def setup(self, worker):
        self.fn(*self.args)

"""The Dask engine: the same chunks and part files as the local engine, run on a distributed cluster."""

from __future__ import annotations

from collections.abc import Callable

from distributed import Client, LocalCluster, WorkerPlugin, wait

from newsbrief.batch.engines import Engine
from newsbrief.errors import InputError


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

"""Where training's per-document work runs (oracle labels, candidate-set and cut labels): the batch
engines — this process, a local process pool, or a Dask cluster — as `newsbrief batch` and `eval` use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

CHUNK = 200  # documents a work unit: a few seconds of oracle search, small to pickle


@dataclass(frozen=True)
class Compute:
    workers: int | None = None  # None: all cores (or the cluster's own workers with Dask)
    engine: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster

    def map(self, fn: Callable, items: Sequence, chunk: int = CHUNK) -> list:
        """[fn(item) for item in items], computed in chunks on the engine (one worker: in this process);
        `fn` must be module-level."""
        from newsbrief.batch.engines import map_ordered

        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        results = map_ordered(
            partial(_apply, fn), chunks, workers=self.workers, engine=self.engine, scheduler=self.scheduler
        )
        return [r for part in results for r in part]


def _apply(fn: Callable, chunk: Sequence) -> list:
    return [fn(item) for item in chunk]

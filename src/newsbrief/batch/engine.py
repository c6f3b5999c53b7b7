"""The engine interface: where chunks of work run. An engine is a `concurrent.futures.Executor` —
this process or a local process pool (`local_engine`), a Dask cluster (`dask_engine`, through
`Client.get_executor()`) — with its number of slots; one driver loop (`run`) keeps a bounded number of
chunks in flight on any of them, so the lazy plan, the memory and the parts on disk all stay bounded.
`engines.make_engine` picks one by name.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from newsbrief.errors import InputError

ENGINES = ("local", "dask")


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass
class Engine:
    name: str  # "local" or "dask"
    executor: cf.Executor
    slots: int  # chunks that can run at once
    close: Callable[[], None]  # stop the workers (and a cluster started for them)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_engine(engine: str, scheduler: str | None) -> None:
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask")


def run(engine: Engine, fn: Callable, items: Iterable, *args) -> Iterator:
    """fn(item, *args) for every item, results as they finish (not in order)."""
    window = 2 * engine.slots + 1  # enough to keep every slot busy while results are merged
    pending: set[cf.Future] = set()
    try:
        for item in items:
            pending.add(_submit(engine, fn, item, *args))
            while len(pending) >= window:
                done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                yield from (_result(future) for future in done)
        while pending:
            done, pending = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            yield from (_result(future) for future in done)
    finally:
        for future in pending:
            future.cancel()


def _submit(engine: Engine, fn: Callable, *args) -> cf.Future:
    try:
        return engine.executor.submit(fn, *args)
    except cf.process.BrokenProcessPool as e:
        raise InputError(f"a worker process died ({e}); what was done is kept for --resume") from None


def _result(future: cf.Future):
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        raise InputError("a worker process died (out of memory?); what was done is kept for --resume") from None

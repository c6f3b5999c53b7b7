"""The engines by name (`--engine local|dask`), and `map_ordered` for the jobs besides `batch`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from newsbrief.batch.engine import Engine, check_engine, cpu_count, run


def make_engine(engine: str, workers: int | None, scheduler: str | None, initializer=None, initargs=()) -> Engine:
    """An engine whose every worker has run `initializer(*initargs)` (to load the model) before its first task."""
    check_engine(engine, scheduler)
    workers = workers or cpu_count()
    if engine == "dask":
        from newsbrief.batch.dask_engine import dask_engine  # imports distributed: only when asked for

        return dask_engine(scheduler, workers, initializer, initargs)
    from newsbrief.batch.local_engine import local_engine

    return local_engine(workers, initializer, initargs)


def map_ordered(
    fn: Callable, items: Iterable, *, workers: int | None = None, engine: str = "local",
    scheduler: str | None = None, initializer: Callable | None = None, initargs: tuple = (),
) -> Iterator:
    """fn(item) for every item on the chosen engine, results in input order — for jobs besides `batch`
    (eval, training's labelling). Items should be chunks of work, not single articles, and `fn`
    and `initializer` module-level functions, so that they pickle."""
    with make_engine(engine, workers, scheduler, initializer, initargs) as eng:
        waiting: dict[int, object] = {}
        following = 0
        for i, result in run(eng, _numbered, enumerate(items), fn):
            waiting[i] = result
            while following in waiting:
                yield waiting.pop(following)
                following += 1


def _numbered(item: tuple, fn: Callable) -> tuple:
    return item[0], fn(item[1])

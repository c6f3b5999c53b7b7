"""Batch jobs: one output line per input record, in input order — a brief or an error record."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsbrief.brief import error_record, make_brief
from newsbrief.errors import InputError
from newsbrief.ingest import Fields, Record, iter_records, record_document


@dataclass
class BatchSummary:
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return (self.ok + self.errors) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return f"{self.ok:,} ok, {self.errors:,} errors in {self.seconds:.1f}s ({self.rate:,.0f} articles/s)"


def brief_record(record: Record, model: str | None, count: int, max_words: int | None, facts: bool) -> dict:
    try:
        doc = record_document(record)
        return make_brief(doc, model=model, count=count, max_words=max_words, facts=facts)
    except InputError as e:
        return error_record(record.id, e)
    except Exception as e:  # a bug on one record must not end the run; it is reported in its line
        return error_record(record.id, e)


def brief_records(records: Iterable[Record], **options) -> Iterator[dict]:
    for record in records:
        yield brief_record(record, **options)


def run_batch(
    inputs: str | Path,
    output: str | Path,
    *,
    model: str | None = None,
    count: int = 3,
    max_words: int | None = None,
    facts: bool = False,
    fields: Fields = Fields(),
    progress: bool | None = None,
) -> BatchSummary:
    from newsbrief.highlights import get

    get(model)  # load once, before the clock starts and before any output is written
    summary = BatchSummary()
    start = time.perf_counter()
    records = iter_records(inputs, fields)
    out_path = Path(output)
    try:
        out = open(out_path, "w", encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {out_path}: {e.strerror}") from None
    with out, _progress(progress) as bar:
        for result in brief_records(records, model=model, count=count, max_words=max_words, facts=facts):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if "error" in result:
                summary.errors += 1
            else:
                summary.ok += 1
            bar()
    summary.seconds = time.perf_counter() - start
    return summary


class _progress:
    """A rich progress bar with the rate when stderr is a terminal; nothing otherwise."""

    def __init__(self, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("briefing"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(), transient=True,
        )
        self._progress.start()
        task = self._progress.add_task("batch", total=None, rate="-")
        started = time.perf_counter()
        done = 0

        def advance():
            nonlocal done
            done += 1
            if done % 50 == 0:
                rate = done / max(time.perf_counter() - started, 1e-9)
                self._progress.update(task, completed=done, rate=f"{rate:,.0f}")

        return advance

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.stop()

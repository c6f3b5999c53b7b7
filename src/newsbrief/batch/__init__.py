"""Batch jobs: one output line per input record, in input order — a brief or an error record.

    run_batch(["a.jsonl.gz", "articles/"], "out.jsonl", workers=4)            # local process pool
    run_batch("a.jsonl", "out.jsonl.gz", engine="dask", scheduler="tcp://…")  # a Dask cluster

The inputs are cut into chunks (`plan`), workers brief each chunk into a part file (`work`), and the
client merges the parts in order into the output (`job`); docs/batch.md describes how a killed run
resumes without losing or repeating a record.
"""

from __future__ import annotations

import gzip
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from newsbrief.batch.engine import ENGINES, Engine, check_engine, run
from newsbrief.batch.engines import make_engine, map_ordered
from newsbrief.batch.job import Job, job_dir
from newsbrief.batch.plan import CHUNK_BYTES, CHUNK_RECORDS, expand_inputs, plan_chunks
from newsbrief.batch.progress import MODES, Progress
from newsbrief.batch.safety import check_input, check_output, resolve_output
from newsbrief.batch.work import Options, OutputError, cpu_seconds, run_chunk, start_worker
from newsbrief.errors import InputError
from newsbrief.ingest import Fields
from newsbrief.options import BriefOptions

__all__ = ["BatchSummary", "OutputError", "Progress", "run_batch", "ENGINES", "MODES", "map_ordered"]


@dataclass
class BatchSummary:
    ok: int = 0  # over the whole output, including what a resumed run found done
    errors: int = 0
    seconds: float = 0.0  # this run, after start-up
    records: int = 0  # briefed by this run
    startup: float = 0.0  # starting workers and loading the model in each
    engine: str = "local"
    workers: int = 1
    worker_rss_kib: list[int] | None = None  # each finished chunk's worker peak RSS, in finishing order
    cpu: float = 0.0  # CPU seconds this run spent on chunks, all processes (start-up excluded)

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    @property
    def resumed(self) -> int:
        return self.ok + self.errors - self.records

    def line(self) -> str:
        text = f"{self.ok:,} ok, {self.errors:,} errors in {self.seconds:.1f}s ({self.rate:,.0f} articles/s"
        text += f", {self.workers} worker{'s' * (self.workers != 1)}"
        if self.startup >= 0.05:
            text += f", start-up {self.startup:.1f}s"
        text += ")"
        if self.resumed:
            text += f"; {self.resumed:,} were done before this run resumed"
        return text


def run_batch(
    inputs: str | Path | list[str | Path],
    output: str | Path,
    *,
    options: BriefOptions = BriefOptions(),
    fields: Fields = Fields(),
    progress: str | bool | None = None,
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    chunk_records: int = CHUNK_RECORDS,
    archive: str | None = None,
    urls: bool = False,
    allow_private: bool = False,
    fetch_timeout: float | None = None,
) -> BatchSummary:
    """Brief every record of `inputs` into `output` (module docstring). With `urls`, each input is a file of
    web addresses, one a line, fetched as `newsbrief highlights URL` fetches one (`allow_private`,
    `fetch_timeout`)."""
    started = time.perf_counter()
    check_engine(engine, scheduler)
    specs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    if not specs:
        raise InputError("no inputs given")
    for spec in specs:
        check_input(str(spec))
    sources = expand_inputs(specs, urls)
    output = resolve_output(Path(output))
    _check_output(output, sources)
    if resume and not job_dir(output).exists() and output.exists():
        return _finished(output)  # the run being resumed had already finished
    if archive is not None:
        from newsbrief.archive import prepare_archive

        archive = prepare_archive(archive, options.facts)  # opened (and migrated) once here: a bad archive stops the run now

    manifest = {
        "inputs": [s.fingerprint() for s in sources],
        # The model by name (never None), so a resume is not run on a new default model.
        "options": {**options.to_dict(), "fields": [fields.id, fields.article, fields.highlights]},
        "chunks": [chunk_records, CHUNK_BYTES],
        "gzip": output.name.lower().endswith(".gz"),
    }
    if urls:  # which pages may be fetched, and how long each may take, decide which lines are errors
        manifest["fetch"] = {"allow_private": allow_private, "timeout": fetch_timeout}
    job = Job(output, manifest, resume)
    summary = BatchSummary(engine=engine, worker_rss_kib=[])
    try:
        if not job.complete:
            html = any(s.kind in ("files", "urls") for s in sources)
            work = Options(str(job.parts), options, fields, manifest["gzip"], html, archive, allow_private, fetch_timeout)
            try:
                eng = make_engine(engine, workers, scheduler, start_worker, (work,))
            except BaseException:
                job.discard()
                raise
            with eng:
                summary.workers = eng.slots
                _warm_up(eng)
                summary.startup = time.perf_counter() - started
                _run(eng, job, sources, work, chunk_records, progress, summary)
                summary.seconds = time.perf_counter() - started - summary.startup
        job.finish()
    except KeyboardInterrupt:
        print(f"newsbrief: stopped; {job.ok + job.errors:,} records kept: continue with --resume", file=sys.stderr)
        raise
    except OutputError as e:
        if job.dir.exists():
            raise OutputError(f"{e}; {job.ok + job.errors:,} records are kept: fix it, then run again with --resume") from None
        raise
    finally:
        job.close()
    summary.ok, summary.errors = job.ok, job.errors
    return summary


def _run(eng: Engine, job: Job, sources, options: Options, chunk_records: int, mode, summary: BatchSummary):
    bar = Progress(mode, sum(s.size for s in sources))
    spans: dict[int, int] = {}
    total = 0

    def todo():
        nonlocal total
        for chunk in plan_chunks(sources, chunk_records):
            total = chunk.index + 1
            if chunk.index < job.merged or chunk.index in job.done:
                bar.done += chunk.span  # done by the interrupted run
                continue
            spans[chunk.index] = chunk.span
            yield chunk

    worker_cpu: dict[int, float] = {}
    client_cpu = cpu_seconds()
    try:
        job.merge()  # parts the interrupted run finished but had not merged
        for part in run(eng, run_chunk, todo(), options):
            job.add(part)
            summary.records += part.ok + part.errors
            summary.worker_rss_kib.append(part.rss)
            if part.pid != os.getpid():  # an inline worker's CPU is the client's own
                worker_cpu[part.pid] = max(worker_cpu.get(part.pid, 0.0), part.cpu)
            bar.advance(part.ok + part.errors, spans.pop(part.index))
    finally:
        bar.close()
    summary.cpu = cpu_seconds() - client_cpu + sum(worker_cpu.values())
    if job.merged != total or job.done:  # a part of another plan: refuse rather than write a wrong output
        raise InputError(f"{job.dir}: the parts on disk do not match the inputs; delete it to start over")


def _warm_up(eng: Engine) -> None:
    """Start every worker and load its model before the clock starts."""
    if eng.slots > 1 and eng.name == "local":
        seen: set[int] = set()
        try:
            for _ in range(50):
                seen.update(eng.executor.map(_pid, [0.05] * eng.slots))
                if len(seen) >= eng.slots:
                    break
        except BrokenProcessPool:
            raise InputError("the worker processes could not start (their error is above)") from None


def _pid(pause: float) -> int:
    time.sleep(pause)  # so that one worker cannot take every warm-up task
    return os.getpid()


def _check_output(output: Path, sources) -> None:
    if output.is_dir():
        raise OutputError(f"cannot write {output}: it is a directory")
    if not output.parent.is_dir():
        raise OutputError(f"cannot write {output}: no such directory {output.parent}")
    if not os.access(output.parent, os.W_OK):
        raise OutputError(f"cannot write {output}: permission denied")
    check_output(output, [(s.kind, s.path) for s in sources], [f[0] for s in sources for f in s.files])


def _finished(output: Path) -> BatchSummary:
    opener = gzip.open if output.name.lower().endswith(".gz") else open
    summary = BatchSummary(workers=0)
    with opener(output, "rb") as f:
        for line in f:
            if line.startswith(b'{"schema"'):
                summary.ok += 1
            else:
                summary.errors += 1
    return summary

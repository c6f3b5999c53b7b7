"""The worker side of a batch job: one chunk in, one part file out.

This module is what a worker process (local pool or Dask) imports; it loads no model by itself and is
cheap to import. A part file is written whole to a temporary name, flushed to disk and then renamed:
after a crash a part either exists complete or not at all.
"""

from __future__ import annotations

import gzip
import os
import resource
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from newsbrief.batch import plan
from newsbrief.batch.plan import Chunk, iter_lines
from newsbrief.brief import brief_records, json_line, make_brief
from newsbrief.document import Document
from newsbrief.errors import InputError, NewsbriefError
from newsbrief.ingest import Fields, Record, read_file, read_url, record_document
from newsbrief.ingest.dataset import _record as row_record
from newsbrief.ingest.dataset import parse_line
from newsbrief.options import BriefOptions


class OutputError(NewsbriefError):
    """The output cannot be written (unwritable path, full disk): the run stops, its work is kept."""


@dataclass(frozen=True)
class Options:
    """Everything a worker needs besides its chunk; small, so it travels with every task."""

    parts: str  # the directory part files go to
    brief: BriefOptions = field(default_factory=BriefOptions)
    fields: Fields = field(default_factory=Fields)
    gzip: bool = False  # each part is then one gzip member; members concatenate into a valid .gz
    html: bool = False  # the inputs include article files or web pages: warm up the HTML extractor too
    archive: str | None = None  # each chunk's briefs also go into this archive, before its part is committed
    allow_private: bool = False  # may a URL input name a page on this machine or its network?
    fetch_timeout: float | None = None  # seconds for the whole fetch of one page (None: PAGE_TIMEOUT)


@dataclass(frozen=True, slots=True)
class Part:
    index: int
    name: str  # file name in the parts directory
    ok: int
    errors: int
    rss: int = 0  # the worker's peak resident memory so far, in KiB (memory stays flat if this does)
    pid: int = 0
    cpu: float = 0.0  # CPU seconds the worker has spent on chunks so far (start-up excluded)


def part_name(index: int, ok: int, errors: int) -> str:
    # The counts ride in the name, so a resumed run knows them without reading the part.
    return f"{index:09d}.{ok}.{errors}.part"


def parse_part_name(name: str) -> Part | None:
    bits = name.split(".")
    if len(bits) != 4 or bits[3] != "part" or not all(b.isdigit() for b in bits[:3]):
        return None
    return Part(int(bits[0]), name, int(bits[1]), int(bits[2]))


_started_cpu = 0.0


def start_worker(options: Options) -> None:
    """Load the model (and the facts extractor) once in this process, before the first chunk: brief a
    two-sentence article (and page, for article files), so what loads lazily on first use is loaded too."""
    global _started_cpu
    from newsbrief.ingest import read_html, read_text

    make_brief(read_text("Warm-up sentence one. And a second one."), options.brief)
    if options.html:
        try:
            read_html(_WARM_UP_PAGE)
        except InputError:  # too short to count as an article; the extractor is loaded all the same
            pass
    if options.archive:
        from newsbrief.archive import open_worker_archive

        open_worker_archive(options.archive)
    _started_cpu = cpu_seconds()


_WARM_UP_PAGE = "<html><body><article><p>Warm-up sentence one. And a second one.</p></article></body></html>"


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def read_article_file(path: str, rid: str) -> Document:
    doc = read_file(path)
    doc.id = doc.id or rid  # a .json article file may carry its own id
    return doc


def chunk_records(chunk: Chunk, fields: Fields) -> Iterator[Record]:
    if chunk.kind == "range":
        with open(chunk.path, "rb") as f:
            f.seek(chunk.start)
            number = chunk.first
            for length, blank, line in iter_lines(f, keep=True, end=chunk.end):
                if blank:
                    continue
                yield _line_record(number, line, length, fields)
                number += 1
    elif chunk.kind == "lines":
        for number, line in enumerate(chunk.items, chunk.first):
            yield _line_record(number, line, len(line or b""), fields)
    elif chunk.kind == "rows":
        for number, row in enumerate(chunk.items, chunk.first):
            yield Record(number, str(number), error=row) if isinstance(row, InputError) else row_record(number, row, fields)
    else:
        raise ValueError(f"unknown chunk kind {chunk.kind!r}")


def _line_record(number: int, line: bytes | None, length: int, fields: Fields) -> Record:
    if line is None:
        message = f"record {number}: line too long ({length:,} bytes; the limit is {plan.MAX_LINE_BYTES:,})"
        return Record(number, str(number), error=InputError(message))
    # Bad bytes become U+FFFD, as in ingest.iter_records, so both read a file the same way.
    return parse_line(number, line.decode("utf-8", "replace"), fields)


class _Reading:
    """A record's read(), keeping the Document it gave: the archive stores its text and date."""

    def __init__(self, read: Callable[[], Document]):
        self.read, self.document = read, None

    def __call__(self) -> Document:
        self.document = self.read()
        return self.document


def read_page(url: str | None, options: Options) -> Document:
    if url is None:
        raise InputError(f"line too long to be a URL (the limit is {plan.MAX_LINE_BYTES:,} bytes)")
    return read_url(url, allow_private=options.allow_private, timeout=options.fetch_timeout, id=url)


def brief_chunk(chunk: Chunk, options: Options) -> list[tuple[dict, Document | None]]:
    """Each record's brief (or error record) and the Document it was made from (None for an error)."""
    if chunk.kind == "files":
        records = [(rid, _Reading(partial(read_article_file, path, rid))) for path, rid in chunk.items]
    elif chunk.kind == "urls":
        records = [(url, _Reading(partial(read_page, url, options))) for url in chunk.items]
    else:
        records = [(r.id, _Reading(partial(record_document, r))) for r in chunk_records(chunk, options.fields)]
    briefs = brief_records(records, options.brief)
    return [(brief, None if "error" in brief else reading.document) for brief, (_, reading) in zip(briefs, records, strict=True)]


def run_chunk(chunk: Chunk, options: Options) -> Part:
    """Brief a chunk and commit its part file; return what the client needs to merge it."""
    briefed = brief_chunk(chunk, options)
    if options.archive:
        from newsbrief.archive import archive_documents

        # Before the part is committed: a run killed in between redoes the chunk, and adding is idempotent.
        archive_documents(options.archive, briefed)
    results = [brief for brief, _ in briefed]
    errors = sum(1 for r in results if "error" in r)
    data = b"".join(json_line(r) for r in results)
    if options.gzip:
        data = gzip.compress(data, mtime=0)  # mtime=0: the same records give the same bytes
    name = part_name(chunk.index, len(results) - errors, errors)
    write_atomic(Path(options.parts) / name, data)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return Part(chunk.index, name, len(results) - errors, errors, rss, os.getpid(), cpu_seconds() - _started_cpu)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all (temporary file, fsync, rename)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise OutputError(f"cannot write {path.parent}: {e.strerror or e}") from None

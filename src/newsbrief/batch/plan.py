"""The plan of a batch job: its inputs cut into numbered chunks, the unit of work, of output and of resume.

The plan is a pure function of the inputs and the chunk size, so a resumed run (or another engine) cuts
exactly the same chunks. It is generated lazily, while the workers already run, so a 10 GB input is
never held in memory: an uncompressed JSONL file becomes byte ranges that workers read themselves; a
gzipped JSONL or a CSV (which cannot be seeked into) is read here and shipped as raw lines / rows; a
directory or glob of article files becomes lists of paths; a file of web addresses (`--urls`), lists of
URLs that workers fetch.
"""

from __future__ import annotations

import csv
import glob
import gzip
import hashlib
import io
import itertools
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsbrief.errors import InputError
from newsbrief.ingest.dataset import csv_rows, is_dataset

CHUNK_RECORDS = 250  # small enough to balance 2 workers on 10k records, big enough to amortise a task
CHUNK_BYTES = 16 * 2**20  # a chunk of long articles stops earlier, so memory per task stays bounded
# A JSONL line longer than this is an error record, read past without holding it in memory. It is well
# above MAX_ARTICLE_CHARS so that a 5 MB article still gets the reader's "too long" message.
MAX_LINE_BYTES = 64 * 2**20
_READ = 2**20


@dataclass(frozen=True, slots=True)
class Input:
    kind: str  # "jsonl" (seekable), "jsonl.gz", "csv", "files", "urls"
    path: str  # as given
    files: tuple[tuple[str, str, int], ...] = ()  # kind "files": (path, id, size), sorted

    @property
    def size(self) -> int:
        return sum(f[2] for f in self.files) if self.kind == "files" else os.path.getsize(self.path)

    def fingerprint(self) -> dict:
        """What must not change between a run and its resume."""
        if self.kind == "files":
            h = hashlib.sha1()
            for path, _, size in self.files:
                h.update(f"{path}\t{size}\t{os.stat(path).st_mtime_ns}\n".encode())
            return {"kind": self.kind, "path": self.path, "files": len(self.files), "sha1": h.hexdigest()}
        st = os.stat(self.path)
        return {"kind": self.kind, "path": os.path.abspath(self.path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int  # position in the job: part files are merged in this order
    source: int  # which input
    kind: str  # "range" | "lines" | "rows" | "files" | "urls"
    first: int  # 1-based number, within its input, of the chunk's first record
    span: int  # input bytes the chunk covers, for progress
    path: str = ""  # "range": the file; workers read [start, end) themselves
    start: int = 0
    end: int = 0
    items: tuple = ()  # "lines": raw JSON lines; "rows": CSV dicts; "files": (path, id) pairs; "urls": URLs


def expand_inputs(specs: list[str | Path], urls: bool = False) -> list[Input]:
    """Dataset files, directories and globs (or, with `urls`, files of web addresses) → Inputs, in the
    order given; bad ones fail here, up front."""
    inputs = []
    for spec in specs:
        spec = str(spec)
        path = Path(spec)
        if urls:
            if not path.is_file():
                raise InputError(f"{spec}: {'a directory' if path.is_dir() else 'no such file'}; with --urls each INPUT "
                                 "is a text file of web addresses, one a line")
            inputs.append(Input("urls", spec))
        elif path.is_dir():
            inputs.append(Input("files", spec, tuple(_walk(path))))
        elif path.is_file() and is_dataset(path):
            inputs.append(Input(_dataset_kind(path), spec))
        elif path.is_file():  # one article file
            inputs.append(Input("files", spec, ((spec, spec, path.stat().st_size),)))
        elif glob.has_magic(spec):
            paths = sorted(p for p in glob.glob(spec, recursive=True) if os.path.isfile(p))
            if not paths:
                raise InputError(f"{spec}: no files match")
            inputs.append(Input("files", spec, tuple((p, p, os.path.getsize(p)) for p in paths)))
        elif spec[:8].lower().startswith(("http://", "https://")):
            raise InputError(f"{spec}: batch reads web addresses from a file: write them one a line and give it with --urls")
        else:
            raise InputError(f"{spec}: no such file or directory")
    return inputs


def _dataset_kind(path: Path) -> str:
    name = path.name.lower()
    if ".csv" in name:
        return "csv"
    return "jsonl.gz" if name.endswith(".gz") else "jsonl"


def _walk(root: Path) -> Iterator[tuple[str, str, int]]:
    """Every visible regular file below `root`, in sorted order; its id is the path relative to `root`."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):  # .DS_Store, editor swap files: not articles
                continue
            full = os.path.join(dirpath, name)
            if os.path.isfile(full):
                yield full, Path(os.path.relpath(full, root)).as_posix(), os.path.getsize(full)


def plan_chunks(inputs: list[Input], records: int = CHUNK_RECORDS, max_bytes: int = CHUNK_BYTES) -> Iterator[Chunk]:
    index = 0
    for source, inp in enumerate(inputs):
        cut = {"jsonl": _ranges, "jsonl.gz": _gz_lines, "csv": _csv_rows, "files": _file_lists, "urls": _urls}[inp.kind]
        for fields in cut(inp, records, max_bytes):
            yield Chunk(index, source, **fields)
            index += 1


def _ranges(inp: Input, records: int, max_bytes: int) -> Iterator[dict]:
    with open(inp.path, "rb") as f:
        start = pos = count = 0
        first = 1
        for length, blank in iter_lines(f):
            pos += length
            count += not blank
            if count == records or pos - start >= max_bytes:
                yield dict(kind="range", first=first, span=pos - start, path=inp.path, start=start, end=pos)
                start, first, count = pos, first + count, 0
        if pos > start:
            yield dict(kind="range", first=first, span=pos - start, path=inp.path, start=start, end=pos)


def iter_lines(f, keep: bool = False, end: int | None = None) -> Iterator:
    """(length, blank) per line of a binary file, up to byte `end` — or (length, blank, line) with
    `keep`, where a line longer than MAX_LINE_BYTES comes out as None, read past in bounded pieces."""
    pos = f.tell() if end is not None else 0
    while end is None or pos < end:
        line = f.readline(MAX_LINE_BYTES)
        if not line:
            return
        length = len(line)
        if length == MAX_LINE_BYTES and not line.endswith(b"\n"):
            line = None
            while True:  # skip the rest of the oversized line
                piece = f.readline(_READ)
                length += len(piece)
                if not piece or piece.endswith(b"\n"):
                    break
        pos += length
        blank = line is not None and line.isspace()
        yield (length, blank, line) if keep else (length, blank)


def _gz_lines(inp: Input, records: int, max_bytes: int) -> Iterator[dict]:
    with open(inp.path, "rb") as raw:
        try:
            with gzip.GzipFile(fileobj=raw) as f:
                lines = ((line, n, raw.tell()) for n, blank, line in iter_lines(f, keep=True) if not blank)
                yield from _batches(lines, "lines", records, max_bytes)
        except (OSError, EOFError, zlib.error) as e:  # truncated or not gzip at all
            raise InputError(f"{inp.path}: cannot read the rest of the file ({e})") from None


def _csv_rows(inp: Input, records: int, max_bytes: int) -> Iterator[dict]:
    with open(inp.path, "rb") as raw:
        f = gzip.GzipFile(fileobj=raw) if inp.path.lower().endswith(".gz") else raw
        # Same decoding as ingest.iter_records: bad bytes become U+FFFD rather than ending the file.
        text = io.TextIOWrapper(f, encoding="utf-8", errors="replace", newline="")
        try:
            # A broken row travels as its InputError, and the worker writes its error line.
            rows = ((row, sum(len(v) for v in row.values()) if isinstance(row, dict) else 0, raw.tell())
                    for row in csv_rows(text))
            yield from _batches(rows, "rows", records, max_bytes)
        except (OSError, EOFError, zlib.error, csv.Error) as e:
            raise InputError(f"{inp.path}: cannot read the rest of the file ({e})") from None


def _urls(inp: Input, records: int, max_bytes: int) -> Iterator[dict]:
    """A file of web addresses, one a line: every line that is not blank is a record (a line that is not a
    URL gets its error line; one too long to read, None), so a batch has one output line per address."""
    with open(inp.path, "rb") as f:
        urls = ((line.decode("utf-8", "replace").strip() if line is not None else None, n, f.tell())
                for n, blank, line in iter_lines(f, keep=True) if not blank)
        yield from _batches(urls, "urls", records, max_bytes)


def _file_lists(inp: Input, records: int, max_bytes: int) -> Iterator[dict]:
    sizes = [size for _, _, size in inp.files]
    files = (((path, rid), size, pos) for (path, rid, size), pos in zip(inp.files, itertools.accumulate(sizes)))
    yield from _batches(files, "files", records, max_bytes)


def _batches(items, kind: str, records: int, max_bytes: int) -> Iterator[dict]:
    """Chunks of `records` items (fewer when they pass `max_bytes`); items are (item, bytes, position
    in the input file) where the position only serves the progress bar."""
    batch: list = []
    nbytes = done = pos = 0
    first = 1
    for item, length, pos in items:
        batch.append(item)
        nbytes += length
        if len(batch) == records or nbytes >= max_bytes:
            yield dict(kind=kind, first=first, span=pos - done, items=tuple(batch))
            first, done, batch, nbytes = first + len(batch), pos, [], 0
    if batch:
        yield dict(kind=kind, first=first, span=pos - done, items=tuple(batch))

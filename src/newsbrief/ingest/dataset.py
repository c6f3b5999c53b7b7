"""Datasets of articles: JSONL, JSONL.gz and CSV with `id` / `article` / `highlights` fields.

Records are streamed one at a time. A record that cannot be used (broken JSON, no article) comes out
as a Record carrying an error, never silently skipped: a batch yields one result per input record.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsbrief.errors import InputError

DATASET_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".csv", ".csv.gz")


@dataclass(frozen=True, slots=True)
class Fields:
    id: str = "id"
    article: str = "article"
    highlights: str = "highlights"
    date: str | None = None  # a field holding the story's date, when the dataset has one


@dataclass(slots=True)
class Record:
    number: int  # 1-based position in the input
    id: str
    article: str | None = None
    highlights: list[str] | None = None
    source: str | None = None
    date: str | None = None
    error: InputError | None = None


def is_dataset(path: str | Path) -> bool:
    return str(path).lower().endswith(DATASET_SUFFIXES)


def _open_text(path: Path) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")
    # Bad bytes become U+FFFD: a broken record must not end the stream for the good ones after it.
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _highlights(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def _record(number: int, obj, fields: Fields) -> Record:
    if not isinstance(obj, dict):
        return Record(number, str(number), error=InputError(f"record {number} is not a JSON object"))
    rid = obj.get(fields.id)
    rid = str(number) if rid is None or rid == "" else str(rid)
    article = obj.get(fields.article)
    date = obj.get(fields.date) if fields.date else None
    rec = Record(number, rid, highlights=_highlights(obj.get(fields.highlights)), source=obj.get("source"),
                 date=str(date) if date is not None else None)
    if article is None:
        rec.error = InputError(f"record {rid} has no {fields.article!r} field")
    elif not isinstance(article, str):
        rec.error = InputError(f"record {rid}: {fields.article!r} must be a string")
    else:
        rec.article = article
    return rec


def parse_line(number: int, line: str, fields: Fields = Fields()) -> Record:
    """The Record of one JSONL line (batch workers parse their own lines with this)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return Record(number, str(number), error=InputError(f"record {number}: invalid JSON ({e.msg})"))
    return _record(number, obj, fields)


def iter_records(path: str | Path, fields: Fields = Fields()) -> Iterator[Record]:
    path = Path(path)
    check_readable(path)
    with _open_text(path) as f:
        try:
            if ".csv" in path.name.lower():
                csv.field_size_limit(64 * 1024 * 1024)
                for number, row in enumerate(csv.DictReader(f), 1):
                    yield _record(number, row, fields)
                return
            number = 0
            for line in f:
                if not line.strip():
                    continue
                number += 1
                yield parse_line(number, line, fields)
        except (OSError, EOFError, csv.Error) as e:  # truncated gzip, unreadable CSV
            raise InputError(f"{path}: cannot read the rest of the file ({e})") from None


def check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file")

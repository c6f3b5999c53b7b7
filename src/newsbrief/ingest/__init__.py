"""Ingest: plain text, HTML pages, `.story` files and datasets → Document."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsbrief.document import Document
from newsbrief.errors import InputError
from newsbrief.ingest.dataset import Fields, Record, is_dataset, iter_records
from newsbrief.ingest.html import looks_like_html, read_html
from newsbrief.ingest.story import read_story
from newsbrief.ingest.text import check_article, decode, read_text

__all__ = [
    "Fields", "Record", "is_dataset", "iter_records", "read_html", "read_story", "read_text",
    "read", "read_file", "read_stdin", "record_document", "MAX_FILE_BYTES",
]

# One article file; HTML pages carry scripts and markup, so allow more than MAX_ARTICLE_CHARS.
MAX_FILE_BYTES = 10 * 1024 * 1024


def read(article: "str | Document", **meta) -> Document:
    """A Document from a Document, HTML or plain text."""
    if isinstance(article, Document):
        return article
    if not isinstance(article, str):
        raise InputError(f"expected text or a Document, not {type(article).__name__}")
    if looks_like_html(article):
        return read_html(article, **meta)
    if "\n@highlight" in article:
        return read_story(article, **meta)
    return read_text(article, **meta)


def read_file(path: str | Path) -> Document:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path} is too large ({size / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")
    return read_bytes(path.read_bytes(), name=str(path))


def read_stdin() -> Document:
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"standard input is too large (the limit is {MAX_FILE_BYTES // 2**20} MB)")
    if not data.strip():
        raise InputError("standard input is empty")
    return read_bytes(data, name="standard input")


def read_bytes(data: bytes, name: str = "input") -> Document:
    text = decode(data, name)
    lower = name.lower()
    if lower.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
        return read_html(text)
    if lower.endswith(".story"):
        return read_story(text)
    if lower.endswith(".json"):
        return read_json_record(text, name)
    return read_text(text)


def read_json_record(text: str, name: str = "input") -> Document:
    """One article as a JSON object with an `article` field (the corpus record and sample layout)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{name} is not valid JSON ({e.msg} at line {e.lineno})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("article"), str):
        raise InputError(f"{name}: a JSON input needs an 'article' string field")
    meta = {k: obj[k] for k in ("id", "title", "date", "source") if isinstance(obj.get(k), str)}
    reference = obj.get("highlights")
    if isinstance(reference, str):
        meta["reference"] = [line.strip() for line in reference.splitlines() if line.strip()]
    return read(obj["article"], **meta)


def record_document(record: Record) -> Document:
    """The Document of a dataset record (raises the record's error, if it has one)."""
    if record.error is not None:
        raise record.error
    check_article(record.article, record.id)
    return read(record.article, id=record.id, source=record.source, date=record.date, reference=record.highlights or [])

"""Ingest: plain text, HTML pages, `.story` files and datasets → Document."""

from __future__ import annotations

import json
import os
import stat
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
    "read", "read_file", "read_stdin", "read_url", "is_url", "record_document", "MAX_FILE_BYTES",
]

# One article file; HTML pages carry scripts and markup, so allow more than MAX_ARTICLE_CHARS.
MAX_FILE_BYTES = 10 * 1024 * 1024


def read(article: str | Document, **meta) -> Document:
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
    """An article file; also a pipe or FIFO (`/dev/stdin`, `<(...)`), read as a stream."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a directory, not a file")
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        with open(path, "rb") as f:
            return _read_stream(f, str(path))
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        if os.isatty(0) and os.path.realpath(path) == os.path.realpath("/dev/stdin"):
            raise InputError(f"{path} is the terminal: pipe an article into it, or give a FILE")
        raise InputError(f"{path} is a device, not an article file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path} is too large ({size / 2**20:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")
    return read_bytes(path.read_bytes(), name=str(path))


def is_url(text: str) -> bool:
    """Whether a command's argument names a web page rather than a file."""
    return text[:8].lower().startswith(("http://", "https://"))


def read_url(url: str, *, allow_private: bool = False, timeout: float | None = None, max_bytes: int = MAX_FILE_BYTES,
             **meta) -> Document:
    """The article of the web page at `url`, read as its saved HTML file is read. The service's fetcher
    gets it: public addresses only unless `allow_private` (a page on the user's own intranet), every
    redirect checked, one deadline of `timeout` seconds (default: PAGE_TIMEOUT) over the whole fetch, at
    most `max_bytes`. Every failure is an InputError that names the URL and says what went wrong."""
    from newsbrief.ingest.fetch import PAGE_TIMEOUT, FetchError, ForbiddenAddress, fetch_page

    try:
        page = fetch_page(url, timeout=timeout or PAGE_TIMEOUT, max_bytes=max_bytes, allow_private=allow_private)
    except FetchError as e:
        detail = f" ({e.detail})" if e.detail else ""
        hint = "; give --allow-private-addresses to fetch from your own network" if isinstance(e, ForbiddenAddress) else ""
        raise InputError(f"{url}: {e}{detail}{hint}") from None
    head = page.body[:1000].decode("utf-8", "replace")
    if not page.is_html and (page.content_type or not looks_like_html(head)):
        kind = f"the server says it is {page.content_type}" if page.content_type else "it has no type and is not HTML"
        raise InputError(f"{url}: not an HTML page ({kind})")
    if not page.body.strip():
        raise InputError(f"{url}: the page is empty")
    # The server's charset when it gives one; else the bytes are decoded as a saved file's are.
    text = page.text().lstrip("\ufeff") if page.charset else decode(page.body, url)
    return read_html(text, **meta)


def read_stdin() -> Document:
    return _read_stream(sys.stdin.buffer, "standard input")


def _read_stream(f, name: str) -> Document:
    data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{name} is too large (the limit is {MAX_FILE_BYTES // 2**20} MB)")
    if not data.strip():
        raise InputError(f"{name} is empty (nothing was written to it)")
    return read_bytes(data, name=name)


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

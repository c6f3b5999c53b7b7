"""Plain text (and bytes that should be text) → Document."""

from __future__ import annotations

from newsbrief.document import Document, segment
from newsbrief.errors import InputError

# A long feature story is ~100 KB; a megabyte of text is not one article.
MAX_ARTICLE_CHARS = 1_000_000


def decode(data: bytes, name: str = "input") -> str:
    """UTF-8 text from bytes, or an InputError saying why these bytes are not an article."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{name} is not valid UTF-8 (bad byte at offset {e.start})") from None
    return text


def read_text(text: str, **meta) -> Document:
    """An article from plain text: paragraphs split at blank lines or single newlines."""
    check_article(text, meta.get("id"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = segment(text, **meta)
    if not doc.sentences:
        raise InputError(f"{_label(meta.get('id'))}has no article sentences")
    return doc


def check_article(text: str, id: str | None = None) -> None:
    if not isinstance(text, str):
        raise InputError(f"{_label(id)}article must be text, not {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{_label(id)}article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{_label(id)}article is too long ({len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,})"
        )


def _label(id: str | None) -> str:
    return f"{id}: " if id else ""

"""Plain text (and bytes that should be text) → Document."""

from __future__ import annotations

import codecs
import re

from newsbrief.document import Document, segment
from newsbrief.errors import InputError
from newsbrief.ingest.furniture import find_furniture

# A long feature story is ~100 KB; a megabyte of text is not one article.
MAX_ARTICLE_CHARS = 1_000_000


# The 8-bit encodings news text arrives in besides UTF-8; read only when detection is confident.
LEGACY_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


def decode(data: bytes, name: str = "input") -> str:
    """Text from bytes (UTF-8; UTF-16/32 with a byte-order mark or plainly UTF-16; Windows-1252 or
    Latin-1 when that is clearly what they are), or an InputError saying why these bytes are not an
    article and how to convert them."""
    wide = _wide_encoding(data)
    if wide:
        try:
            return data.decode(wide).lstrip("\ufeff")
        except UnicodeDecodeError:
            raise InputError(f"{name} looks like UTF-16 or UTF-32 text but does not decode as {wide}") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        legacy = _legacy_text(data)
        if legacy is not None:
            return legacy
        raise InputError(
            f"{name} is not valid UTF-8 (bad byte at offset {e.start}) nor clearly Windows-1252/Latin-1 text; "
            f"convert it to UTF-8 first: `iconv -f ENCODING -t UTF-8 {name} > {name}.utf8`, with the encoding it was saved in"
        ) from None


def _wide_encoding(data: bytes) -> str | None:
    """"utf-32"/"utf-16" (with a byte-order mark), "utf-16-le"/"-be" (without: every other byte a NUL
    where Latin text has one), or None."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:8192]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.3 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.3 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _legacy_text(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None or best.chaos > 0.1:
        return None
    return str(best)


def read_text(text: str, **meta) -> Document:
    """An article from plain text: paragraphs split at blank lines or single newlines."""
    check_article(text, meta.get("id"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = segment(text, dropped=find_furniture(text), **meta)
    if not doc.sentences:
        if doc.dropped:
            kinds = sorted({d.kind for d in doc.dropped})
            raise InputError(f"{_label(meta.get('id'))}has no article sentences: all its text is page furniture or "
                             f"photo captions ({', '.join(kinds)}), which are not story text")
        raise InputError(f"{_label(meta.get('id'))}has no article sentences")
    return doc


# JSON can spell half of a UTF-16 pair ("\\ud800"); Python keeps it in a str that cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_unicode(text: str, id: str | None = None) -> None:
    found = _SURROGATE.search(text)
    if found:
        raise InputError(f"{_label(id)}article holds a lone surrogate (U+{ord(found.group()):04X}) at character "
                         f"{found.start():,}: it is not valid Unicode text")


def escape_surrogates(value: str) -> str:
    """`value` with any lone surrogate written out as \\udXXX: for ids and titles, which are echoed back."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8") if _SURROGATE.search(value) else value


def check_article(text: str, id: str | None = None) -> None:
    if not isinstance(text, str):
        raise InputError(f"{_label(id)}article must be text, not {type(text).__name__}")
    check_unicode(text, id)
    if not text.strip():
        raise InputError(f"{_label(id)}article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{_label(id)}article is too long ({len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,})"
        )


def _label(id: str | None) -> str:
    return f"{id}: " if id else ""

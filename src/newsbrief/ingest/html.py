"""HTML pages → Document, with trafilatura doing the boilerplate removal (navigation, ads, comments)."""

from __future__ import annotations

import re

from newsbrief.document import Document
from newsbrief.errors import InputError
from newsbrief.ingest.text import read_text

_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<!--)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:1000]))


def read_html(html: str, **meta) -> Document:
    import trafilatura  # lazy: heavy import

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not body.strip():
        raise InputError("no article text found in the HTML page")
    meta.setdefault("title", extracted.title or None)
    meta.setdefault("byline", extracted.author or None)
    meta.setdefault("date", extracted.date or None)
    return read_text(body, **meta)

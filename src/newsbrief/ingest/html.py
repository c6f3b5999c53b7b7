"""HTML pages → Document, with trafilatura doing the boilerplate removal (navigation, ads, comments)."""

from __future__ import annotations

import re

from newsbrief.document import Document
from newsbrief.errors import InputError
from newsbrief.ingest.text import check_unicode, read_text

MIN_ARTICLE_WORDS = 10
_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<!--)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:1000]))


def read_html(html: str, **meta) -> Document:
    import trafilatura  # lazy: heavy import

    check_unicode(html, meta.get("id"))
    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    # A few words left after boilerplate removal are a menu or a caption, not an article.
    if not body or len(body.split()) < MIN_ARTICLE_WORDS:
        raise InputError("no article text found in the HTML page")
    title = extracted.title or None
    if title and body.lstrip().startswith(title):
        # trafilatura keeps the <h1> as the body's first line; it is the title, not a sentence.
        body = body.lstrip()[len(title) :].lstrip("\n")
    meta.setdefault("title", title)
    meta.setdefault("byline", extracted.author or None)
    meta.setdefault("date", extracted.date or None)
    return read_text(body, **meta)

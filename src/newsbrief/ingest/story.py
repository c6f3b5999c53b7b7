"""CNN/DailyMail `.story` files: the article, then each reference highlight after an `@highlight` line."""

from __future__ import annotations

from newsbrief.document import Document
from newsbrief.ingest.text import read_text


def split_story(text: str) -> tuple[str, list[str]]:
    article, *highlights = text.split("@highlight")
    return article.rstrip(), [h.strip() for h in highlights if h.strip()]


def read_story(text: str, **meta) -> Document:
    article, highlights = split_story(text)
    return read_text(article, reference=highlights, **meta)

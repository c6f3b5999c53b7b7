"""Small text helpers shared by the fact extractors."""

from __future__ import annotations

import re
from bisect import bisect_right

from newsbrief.document import Document

WORD = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")


class SentenceIndex:
    """Maps a character offset to the index of the content sentence that holds it."""

    def __init__(self, doc: Document):
        self.doc = doc
        self._starts = [s.start for s in doc.sentences]

    def at(self, offset: int) -> int:
        """The sentence holding `offset`, or the last one before it; -1 before the first sentence."""
        i = bisect_right(self._starts, offset) - 1
        return self.doc.sentences[i].index if i >= 0 else -1

    def span(self, index: int) -> tuple[int, int]:
        s = self.doc.sentences[index]
        return s.start, s.end


def words_after(text: str, pos: int, limit: int = 6) -> list[re.Match]:
    """Up to `limit` word matches after `pos`, stopping at the first punctuation mark between words."""
    out = []
    for m in WORD.finditer(text, pos):
        gap = text[pos : m.start()]
        if gap.strip():
            break
        out.append(m)
        pos = m.end()
        if len(out) >= limit:
            break
    return out


def words_before(text: str, pos: int, limit: int = 6) -> list[re.Match]:
    """Up to `limit` word matches ending before `pos`, nearest last, stopping at punctuation."""
    window_start = max(0, pos - 40 * limit)
    found = list(WORD.finditer(text, window_start, pos))
    out = []
    end = pos
    for m in reversed(found):
        if text[m.end() : end].strip():
            break
        out.append(m)
        end = m.start()
        if len(out) >= limit:
            break
    return out[::-1]

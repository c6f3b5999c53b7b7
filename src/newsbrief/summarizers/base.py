"""One base class for every highlights model, and the highlight it produces.

A model scores the sentences of a Document; `Summarizer.summarize` turns scores into highlights
(redundancy control, count and word budget, article order). Models are named and loaded by
`newsbrief.registry`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from newsbrief.document import Document


@dataclass(frozen=True, slots=True)
class Highlight:
    text: str
    start: int  # character offsets into Document.text: text == document.text[start:end]
    end: int
    sentence_index: int
    score: float
    # Set when compression cut words out: the pieces of Document.text the text is made of, in order
    # (text == "".join(pieces), its first letter capitalised when the sentence's opening was cut).
    spans: tuple[tuple[int, int], ...] | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["sentence"] = d.pop("sentence_index")
        if self.spans is None:
            del d["spans"]
        else:
            d["spans"] = [list(span) for span in self.spans]
        return d


_WORD = re.compile(r"\w+")


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


class Summarizer(ABC):
    name: str = ""
    default_count = 3  # highlights when the caller gives no count
    block_trigrams = True  # skip a sentence that repeats a trigram of one already chosen

    @abstractmethod
    def score(self, doc: Document) -> Sequence[float]:
        """A score for each of the first sentences of `doc` (all of them, or the model's window);
        higher is a better highlight. Sentences past the window rank after the scored ones."""

    def ranked_last(self, doc: Document) -> Sequence[bool] | None:
        """Sentences to rank after all others whatever their score (None: none). Their scores stay the
        model's own, so a highlight's `score` says what the model thought of it."""
        return None

    def summarize(self, doc: Document, count: int | None = None, max_words: int | None = None) -> list[Highlight]:
        """Highlights in article order: `count` of them (None: the model's default), within `max_words`
        words in all (both at least 1: `BriefOptions` checks them)."""
        if not doc.sentences:
            return []
        return self.select(doc, count, max_words)

    def select(self, doc: Document, count: int | None, max_words: int | None) -> list[Highlight]:
        """The best sentences one at a time, skipping repeats (trigram blocking) and what overflows the budget."""
        count = self.default_count if count is None else count
        scores = list(self.score(doc))
        last = self.ranked_last(doc) or [False] * len(doc.sentences)
        scored = len(scores)
        # Unscored sentences (past the model's window) follow the scored ones of their group, in article
        # order, and carry the lowest score the model gave if one is chosen.
        scores += [min(scores, default=0.0)] * (len(doc.sentences) - scored)
        order = sorted(range(len(doc.sentences)), key=lambda i: (last[i], i >= scored, -scores[i] if i < scored else 0, i))
        chosen: list[int] = []
        seen: set[tuple[str, ...]] = set()
        words = 0
        for i in order:
            if len(chosen) == count:
                break
            sentence = doc.sentences[i]
            grams = _trigrams(sentence.text)
            if self.block_trigrams and grams & seen:
                continue
            if max_words is not None and words + sentence.words > max_words:
                continue
            chosen.append(i)
            seen |= grams
            words += sentence.words
        highlights = [self._highlight(doc, i, scores[i]) for i in sorted(chosen)]
        if not highlights and max_words is not None:
            # Nothing fits the budget whole: cut the best sentence at a word boundary.
            highlights = [_cut(self._highlight(doc, order[0], scores[order[0]]), max_words)]
        return highlights

    @staticmethod
    def _highlight(doc: Document, i: int, score: float) -> Highlight:
        s = doc.sentences[i]
        return Highlight(s.text, s.start, s.end, i, float(score))


def _cut(h: Highlight, max_words: int) -> Highlight:
    spans = [m.end() for m in re.finditer(r"\S+", h.text)]
    end = spans[max_words - 1]
    return Highlight(h.text[:end], h.start, h.start + end, h.sentence_index, h.score)

"""One base class for every highlights model, and the registry that names them.

A model scores the sentences of a Document; `Summarizer.summarize` turns scores into highlights
(redundancy control, count and word budget, article order). Models register under a name, as in
spaCy's registry, so the CLI, the API, batch jobs and the service all pick them the same way.
"""

from __future__ import annotations

import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from newsbrief.document import Document
from newsbrief.errors import InputError


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


_REGISTRY: dict[str, Callable[[], "Summarizer"]] = {}
DEFAULT_MODEL = "rerank"


def register(name: str):
    """Class decorator: make a Summarizer available as `model=name`."""

    def deco(cls):
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return deco


def available() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


@lru_cache(maxsize=None)
def get(name: str | None = None) -> "Summarizer":
    """The model registered as `name`, loaded once per process."""
    _load_builtin()
    name = name or DEFAULT_MODEL
    if name in _REGISTRY:
        return _REGISTRY[name]()
    if os.path.isfile(os.path.join(name, "meta.json")):
        return _load_trained(name)
    raise InputError(
        f"unknown model {name!r}; choose one of: {', '.join(sorted(_REGISTRY))}, or a directory made by `newsbrief train`"
    )


def _load_trained(path: str) -> "Summarizer":
    """A model trained with `newsbrief train --out DIR`: DIR/meta.json names its kind."""
    try:
        with open(os.path.join(path, "meta.json"), encoding="utf-8") as f:
            kind = json.load(f).get("kind")
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read the model's meta.json ({e})") from None
    if kind not in _REGISTRY:
        raise InputError(f"{path}: model kind {kind!r} is not one this version can load")
    model = _REGISTRY[kind](path)
    model.name = path  # briefs name the model they came from
    return model


def _load_builtin() -> None:
    # Importing the modules registers them; kept lazy so `newsbrief --help` stays fast.
    from newsbrief.highlights import fast, lead, rerank  # noqa: F401


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
        """One score per sentence of `doc`; higher is a better highlight."""

    def ranked_last(self, doc: Document) -> Sequence[bool] | None:
        """Sentences to rank after all others whatever their score (None: none). Their scores stay the
        model's own, so a highlight's `score` says what the model thought of it."""
        return None

    def summarize(
        self, doc: Document, count: int | None = None, max_words: int | None = None, compress: bool = False
    ) -> list[Highlight]:
        """Highlights in article order: `count` of them (None: the model's default), within `max_words`
        words in all; with `compress`, the learned compressor then cuts what editors cut."""
        if count is not None and count < 1:
            raise InputError("count must be at least 1")
        if max_words is not None and max_words < 1:
            raise InputError("max_words must be at least 1")
        if not doc.sentences:
            return []
        highlights = self.select(doc, count, max_words)
        if compress:
            from newsbrief.highlights.compress import compress_highlights

            highlights = compress_highlights(doc, highlights)
        return highlights

    def select(self, doc: Document, count: int | None, max_words: int | None) -> list[Highlight]:
        """The best sentences one at a time, skipping repeats (trigram blocking) and what overflows the budget."""
        count = self.default_count if count is None else count
        scores = self.score(doc)
        last = self.ranked_last(doc) or [False] * len(scores)
        order = sorted(range(len(doc.sentences)), key=lambda i: (last[i], -scores[i], i))
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

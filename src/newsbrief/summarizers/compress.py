"""Learned compression: cut from a highlight what editors cut from the sentence it came from.

Rules propose the cuts editors make (a trailing ", police said", a leading "Officials said that", an
"according to ...", a parenthesis, an aside between dashes, a ", who ..." clause, an opening "On Tuesday,",
a leading "But"); a booster trained on the corpus predicts how much each cut changes
the highlights' ROUGE against the editors' own, and the cuts it expects to help are made. A compressed
highlight keeps pointing at the article: `spans` lists the pieces it is made of.
Trained by `newsbrief train --model compress`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np

from newsbrief.summarizers.base import Highlight
from newsbrief.summarizers.features import TOKEN, Idf
from newsbrief.registry import register

THRESHOLD = 0.002  # predicted ROUGE-1+2 F gain a cut needs (tuned on validation: the best of 0-0.004)

_VERB = (
    r"(?:said|says|told|tells|added|adds|explained|revealed|claimed|claims|reported|reports|insisted|insists|"
    r"admitted|admits|warned|warns|announced|confirmed|believes|stated)"
)
_DASH = r"(?:--|—|–|-)"
RULES = [
    # ", police said." / ", a spokesman for the agency told CNN on Tuesday." / ", according to reports."
    ("attribution_end", re.compile(
        r",\s+(?:[^,;:]{0,60}?\s)?" + _VERB + r"(?:\s+[\w'’-]+){0,4}?(?=[.!?]?\W*$)|,\s+according to [^,;:]{1,60}?(?=[.!?]?\W*$)",
        re.I)),
    # ", Jonathan Freed, NSA director of communications, said in a statement."
    ("attribution_end_apposition", re.compile(
        r",\s+[^,;:]{1,40},\s+[^,;:]{1,60}?,?\s" + _VERB + r"(?:\s+[\w'’-]+){0,4}?(?=[.!?]?\W*$)", re.I)),
    # "Police said on Tuesday that ..." (what follows is the news)
    ("attribution_start", re.compile(
        r"^(?:[^,;:\"'‘“]{1,60}?)\s" + _VERB
        + r"(?:\s(?:on|in|at|last|this)\s[^,;:]{1,30}?|\s(?:yesterday|today|tonight))?(?:\sthat)?\s+(?=\w)", re.I)),
    ("according_to", re.compile(r"^according to [^,]{1,60},\s*|,\s*according to [^,]{1,60},", re.I)),
    ("parenthesis", re.compile(r"\s*\([^()]{1,100}\)")),
    # "On Tuesday, " / "After the vote, ": time and circumstance, not the clause that carries the news
    ("opening_phrase", re.compile(
        r"^(?:on|in|at|by|after|before|during|last|earlier|later|yesterday|today|this|early|late)\b[^,]{0,40},\s+", re.I)),
    ("relative_clause", re.compile(r",\s+(?:who|whose)\s[^,]{1,80},", re.I)),
    ("dash_aside", re.compile(r"\s+" + _DASH + r"\s+[^-—–]{1,80}?\s+" + _DASH + r"(?=\s)")),
    ("connective", re.compile(r"^(?:but|and|however|meanwhile|also|so|yet|now|then|still|instead|indeed)\b,?\s+", re.I)),
]
CUTS = [name for name, _ in RULES]  # a cut's rule: its feature "kind" is the index in this list
FEATURES = [
    "kind", "cut_words", "cut_share", "sentence_words", "idf_mean", "idf_max", "idf_min", "in_other_highlights",
    "in_first_sentence", "digits", "quote", "sentence_index", "highlight_index", "highlights_words", "cut_at",
    "cut_to_end", "highlights",
]
MIN_WORDS_LEFT = 5


def proposals(text: str) -> list[tuple[int, int, int]]:
    """(rule, start, end) of every cut the rules propose in `text` that leaves at least 5 words."""
    out = []
    for k, (_, rx) in enumerate(RULES):
        for m in rx.finditer(text):
            a, b = m.span()
            if b > a and TOKEN.search(text[a:b].lower()) and len(TOKEN.findall((text[:a] + text[b:]).lower())) >= MIN_WORDS_LEFT:
                out.append((k, a, b))
    return out


def cut_features(doc, texts: list[str], indices: list[int], idf: Idf):
    """Feature rows and (highlight, start, end) keys of every proposed cut in the highlights `texts`."""
    words = [set(TOKEN.findall(t.lower())) for t in texts]
    first = set(TOKEN.findall(doc.sentences[0].text.lower())) if doc.sentences else set()
    total = sum(len(TOKEN.findall(t.lower())) for t in texts)
    rows, keys = [], []
    for j, text in enumerate(texts):
        n = len(TOKEN.findall(text.lower()))
        others = set().union(*(w for k, w in enumerate(words) if k != j))
        for rule, a, b in proposals(text):
            gone = TOKEN.findall(text[a:b].lower())
            w = np.array([idf.table.get(g, idf.default) for g in gone])
            rows.append([
                rule, len(gone), len(gone) / max(n, 1), n, w.mean(), w.max(), w.min(),
                sum(g in others for g in gone) / len(gone), sum(g in first for g in gone) / len(gone),
                sum(g[0].isdigit() for g in gone), bool(re.search(r"[\"“”'‘’]", text[a:b])), indices[j], j, total,
                a / max(len(text), 1), b >= len(text.rstrip(".!?\"'’” ")), len(texts),
            ])
            keys.append((j, a, b))
    return np.array(rows, np.float32).reshape(-1, len(FEATURES)), keys


def choose_cuts(keys, gains, threshold: float = THRESHOLD) -> dict[int, list[tuple[int, int]]]:
    """The cuts to make per highlight: best predicted gain first, none overlapping another."""
    cuts: dict[int, list[tuple[int, int]]] = {}
    for (j, a, b), g in sorted(zip(keys, gains), key=lambda kg: -kg[1]):
        mine = cuts.setdefault(j, [])
        if g > threshold and all(b <= a2 or a >= b2 for a2, b2 in mine):
            mine.append((a, b))
    return cuts


def apply_cuts(text: str, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces of `text` (offsets into it) that remain after the cuts."""
    pieces, at = [], 0
    for a, b in sorted(cuts):
        if a > at:
            pieces.append((at, a))
        at = b
    if at < len(text):
        pieces.append((at, len(text)))
    return pieces


@register("compress", role="compress")
class Compressor:
    trained_with = {"features": FEATURES, "cuts": CUTS}

    def __init__(self, path: Path, threshold: float = THRESHOLD):
        import lightgbm as lgb  # lazy: keeps `newsbrief --help` fast

        self.threshold = threshold
        self.idf = Idf.load(path / "idf.json.gz")
        self.booster = lgb.Booster(model_file=str(path / "booster.txt"))

    def __call__(self, doc, highlights: list[Highlight]) -> list[Highlight]:
        """`highlights` with the cuts the booster expects to help."""
        texts = [h.text for h in highlights]
        rows, keys = cut_features(doc, texts, [h.sentence_index for h in highlights], self.idf)
        if not keys:
            return highlights
        cuts = choose_cuts(keys, self.booster.predict(rows, num_threads=1), self.threshold)
        out = []
        for j, h in enumerate(highlights):
            if not cuts.get(j):
                out.append(h)
                continue
            pieces = apply_cuts(h.text, cuts[j])
            text = "".join(h.text[a:b] for a, b in pieces)
            if pieces[0][0] > 0 and h.text[:1].isupper():  # the opening was cut: start like a sentence
                text = text[:1].upper() + text[1:]
            spans = tuple((h.start + a, h.start + b) for a, b in pieces)
            out.append(replace(h, text=text, start=spans[0][0], end=spans[-1][1], spans=spans))
        return out

"""Sentence labels from the reference highlights: the greedy ROUGE-1+2 oracle (as in BertSum).

Tokens follow Google's rouge-score (lowercase, alphanumeric, Porter stems of words over 3 letters),
so labels agree with the scorer the project reports.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from newsbrief.summarizers.features import TOKEN


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word) if len(word) > 3 else word


def rouge_tokens(text: str) -> list[str]:
    return [_stem(t) for t in TOKEN.findall(text.lower())]


def _f1(overlap: int, produced: int, wanted: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / produced, overlap / wanted
    return 2 * p * r / (p + r)


def _bigrams(ts: list[str]) -> Counter:
    return Counter(zip(ts, ts[1:]))


def greedy_oracle(sentences: list[str], reference: list[str], max_sentences: int = 3) -> list[int]:
    """Indices of the sentences whose union greedily maximises ROUGE-1 F + ROUGE-2 F."""
    ref = [t for line in reference for t in rouge_tokens(line)]
    ref1, ref2 = Counter(ref), _bigrams(ref)
    n1, n2 = max(sum(ref1.values()), 1), max(sum(ref2.values()), 1)
    toks = [rouge_tokens(s) for s in sentences]
    uni = [Counter(t) for t in toks]
    bi = [_bigrams(t) for t in toks]
    chosen: list[int] = []
    got1, got2 = Counter(), Counter()
    best = 0.0
    for _ in range(max_sentences):
        pick, pick_score = -1, best
        for i in range(len(sentences)):
            if i in chosen or not toks[i]:
                continue
            c1, c2 = got1 + uni[i], got2 + bi[i]
            o1 = sum((c1 & ref1).values())
            o2 = sum((c2 & ref2).values())
            score = _f1(o1, sum(c1.values()), n1) + _f1(o2, max(sum(c2.values()), 1), n2)
            if score > pick_score:
                pick, pick_score = i, score
        if pick < 0:
            break
        chosen.append(pick)
        got1, got2 = got1 + uni[pick], got2 + bi[pick]
        best = pick_score
    return sorted(chosen)

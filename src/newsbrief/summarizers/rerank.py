"""`rerank` (the default): choose the set of highlights as a whole, not one sentence at a time.

The `fast` booster ranks the sentences. Every set of 2–4 of its top 6 is then scored by a second booster
that predicts the set's ROUGE against editors' highlights from what the set looks like as a whole: its
sentences' scores, its length, where its sentences sit, how much they repeat each other (summary-level
reranking, as in MatchSum, with a booster in place of a transformer). So the model learns how many
highlights an article needs and what redundancy costs. Trained by `newsbrief train --model rerank`.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np

from newsbrief.registry import register
from newsbrief.summarizers.base import Summarizer
from newsbrief.summarizers.fast import SentenceBooster
from newsbrief.summarizers.features import COLUMN, FEATURES, TOKEN
from newsbrief.summarizers.select import dangling, fragment, ranked_last

TOP = 6  # candidate sentences: the best-scored by the sentence booster
SIZES = (2, 3, 4)  # highlights per set; CNN prints 3-4, DailyMail about 4, and short stories need fewer

SET_FEATURES = [
    "k", "words", "chars", "words_max", "words_min",
    "s_sum", "s_mean", "s_min", "s_max", "p_sum", "logp_sum", "s_minus_top", "s_left_out", "gap",
    "rank_sum", "rank_max", "pos_min", "pos_max", "pos_mean", "has_first", "adjacent",
    "overlap_max", "trigrams_shared", "quotes", "said_end", "dangling",
    "n_sent", "doc_words_mean",
]
SET_COLUMN = {name: j for j, name in enumerate(SET_FEATURES)}


@cache
def _sets(m: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All k-subsets of range(m) as rows (n, k), and the pairs inside each as (n, k(k-1)/2, 2)."""
    sets = np.array(list(combinations(range(m), k)), np.int64).reshape(-1, k)
    pairs = np.array(list(combinations(range(k), 2)), np.int64).reshape(-1, 2)
    return sets, sets[:, pairs]


def candidates(doc, x: np.ndarray, raw: np.ndarray, sizes: tuple[int, ...] = SIZES):
    """The admissible highlight sets of `doc` (sentence indices in article order) and their feature rows.

    `x` is the sentence feature matrix and `raw` the sentence booster's scores for the first len(raw)
    sentences. A set is admissible when it has no question or fragment, and every sentence that opens
    with a pronoun or connective has the sentence before it in the set too (its antecedent is shown).
    """
    n = len(raw)
    hanging = dangling(doc)[:n]
    poor = fragment(doc)[:n]
    # The best-scored first, dangling sentences and fragments after all others; fragments never enter.
    ranked = sorted(range(n), key=lambda i: (bool(hanging[i] or poor[i]), -raw[i], i))
    pool = np.array([i for i in ranked[:TOP] if not poor[i]], np.int64)
    m = len(pool)
    tokens = [TOKEN.findall(doc.sentences[i].text.lower()) for i in pool]
    words = [set(t) for t in tokens]
    grams = [set(zip(t, t[1:], t[2:])) for t in tokens]
    overlap = np.zeros((m, m), np.float32)  # word-set Jaccard of two pool sentences
    shared = np.zeros((m, m), np.float32)  # trigrams they share
    for a, b in combinations(range(m), 2):
        overlap[a, b] = len(words[a] & words[b]) / max(len(words[a] | words[b]), 1)
        shared[a, b] = len(grams[a] & grams[b])
    s = raw[pool] if m else np.zeros(0)
    p = 1 / (1 + np.exp(-s))
    top3, total = s[:3].sum(), s.sum()
    w, chars, quotes, said = (x[pool, COLUMN[name]] if m else np.zeros(0) for name in ("words", "chars", "quote", "said_end"))

    chosen, blocks = [], []
    for k in sizes:
        if k > m:
            continue
        sets, pairs = _sets(m, k)
        order = np.sort(pool[sets], axis=1)  # article positions of each set's sentences
        antecedent = (order[:, :, None] - 1 == order[:, None, :]).any(2)
        ok = ~(hanging[order] & ~antecedent).any(1)
        sets, pairs, order = sets[ok], pairs[ok], order[ok]
        if not len(sets):
            continue
        sc = s[sets]
        member = np.zeros((len(sets), m), bool)
        np.put_along_axis(member, sets, True, axis=1)
        best_left = np.where(member, -np.inf, s).max(1) if k < m else np.full(len(sets), -5.0)
        columns = {
            "k": k,
            "words": w[sets].sum(1),
            "chars": chars[sets].sum(1),
            "words_max": w[sets].max(1),
            "words_min": w[sets].min(1),
            "s_sum": sc.sum(1),
            "s_mean": sc.mean(1),
            "s_min": sc.min(1),
            "s_max": sc.max(1),
            "p_sum": p[sets].sum(1),
            "logp_sum": np.log(p[sets]).sum(1),
            "s_minus_top": sc.sum(1) - top3,
            "s_left_out": total - sc.sum(1),
            "gap": best_left - sc.min(1),
            "rank_sum": sets.sum(1),
            "rank_max": sets.max(1),
            "pos_min": order[:, 0],
            "pos_max": order[:, -1],
            "pos_mean": order.mean(1),
            "has_first": order[:, 0] == 0,
            "adjacent": (np.diff(order, axis=1) == 1).sum(1),
            "overlap_max": overlap[pairs[..., 0], pairs[..., 1]].max(1),
            "trigrams_shared": shared[pairs[..., 0], pairs[..., 1]].sum(1),
            "quotes": quotes[sets].sum(1),
            "said_end": said[sets].sum(1),
            "dangling": hanging[order].sum(1),
            "n_sent": len(doc.sentences),
            "doc_words_mean": x[0, COLUMN["doc_words_mean"]],
        }
        f = np.empty((len(sets), len(SET_FEATURES)), np.float32)
        for name in SET_FEATURES:
            f[:, SET_COLUMN[name]] = columns[name]
        chosen += [tuple(int(i) for i in row) for row in order]
        blocks.append(f)
    rows = np.concatenate(blocks) if blocks else np.zeros((0, len(SET_FEATURES)), np.float32)
    return chosen, rows


@register("rerank")
class Rerank(Summarizer):
    trained_with = {"sentence_features": FEATURES, "set_features": SET_FEATURES}

    def __init__(self, path: Path):
        import lightgbm as lgb  # lazy: keeps `newsbrief --help` fast

        self.sentences = SentenceBooster(path)
        self.sets = lgb.Booster(model_file=str(path / "sets.txt"))

    def score(self, doc):
        return self.sentences.score(doc).tolist()

    def ranked_last(self, doc):
        return ranked_last(doc)

    def select(self, doc, count, max_words):
        """With `count` None the model decides how many highlights (2–4); a count in that range picks
        the best set of exactly that size. Other counts, very short articles and word budgets that no
        set fits fall back to choosing sentences one at a time."""
        if count is not None and count not in SIZES:
            return super().select(doc, count, max_words)
        x = self.sentences.features(doc)
        raw = self.sentences.predict(x, doc)
        sets, rows = candidates(doc, x, raw, (count,) if count else SIZES)
        if max_words is not None and sets:
            fits = np.array([sum(doc.sentences[i].words for i in c) <= max_words for c in sets])
            sets, rows = [c for c, ok in zip(sets, fits) if ok], rows[fits]
        if not sets:
            return super().select(doc, count, max_words)
        best = sets[int(np.argmax(self.sets.predict(rows, num_threads=1)))]
        return [self._highlight(doc, i, raw[i]) for i in best]

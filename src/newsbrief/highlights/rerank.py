"""`rerank` (the default): choose the set of highlights as a whole, not one sentence at a time.

The `fast` booster ranks the sentences. Every set of 2–4 of its top 6 is then scored by a second booster
that predicts the set's ROUGE against editors' highlights from what the set looks like as a whole: its
sentences' scores, its length, where its sentences sit, how much they repeat each other (summary-level
reranking, as in MatchSum, with a booster in place of a transformer). So the model learns how many
highlights an article needs and what redundancy costs. Trained by `newsbrief train --model rerank`.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np

from newsbrief.highlights.base import Summarizer, register
from newsbrief.highlights.fast import MODELS, Booster
from newsbrief.highlights.features import TOKEN
from newsbrief.highlights.select import dangling, fragment

TOP = 6  # candidate sentences: the best-scored by the sentence booster
SIZES = (2, 3, 4)  # highlights per set; CNN prints 3-4, DailyMail about 4, and short stories need fewer

SET_FEATURES = [
    "k", "words", "chars", "words_max", "words_min",
    "s_sum", "s_mean", "s_min", "s_max", "p_sum", "logp_sum", "s_minus_top", "s_left_out", "gap",
    "rank_sum", "rank_max", "pos_min", "pos_max", "pos_mean", "has_first", "adjacent",
    "overlap_max", "trigrams_shared", "quotes", "said_end", "dangling",
    "n_sent", "doc_words_mean",
]


@lru_cache(maxsize=None)
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
    demoted = raw - 1e3 * (hanging | poor)
    pool = np.array([i for i in sorted(range(n), key=lambda i: (-demoted[i], i))[:TOP] if not poor[i]], np.int64)
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
    w, chars, quotes, said = (x[pool, j] if m else np.zeros(0) for j in (4, 5, 19, 21))

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
        f = np.empty((len(sets), len(SET_FEATURES)), np.float32)
        f[:, 0] = k
        f[:, 1] = w[sets].sum(1)
        f[:, 2] = chars[sets].sum(1)
        f[:, 3] = w[sets].max(1)
        f[:, 4] = w[sets].min(1)
        f[:, 5] = sc.sum(1)
        f[:, 6] = sc.mean(1)
        f[:, 7] = sc.min(1)
        f[:, 8] = sc.max(1)
        f[:, 9] = p[sets].sum(1)
        f[:, 10] = np.log(p[sets]).sum(1)
        f[:, 11] = sc.sum(1) - top3
        f[:, 12] = total - sc.sum(1)
        f[:, 13] = best_left - sc.min(1)
        f[:, 14] = sets.sum(1)
        f[:, 15] = sets.max(1)
        f[:, 16] = order[:, 0]
        f[:, 17] = order[:, -1]
        f[:, 18] = order.mean(1)
        f[:, 19] = order[:, 0] == 0
        f[:, 20] = (np.diff(order, axis=1) == 1).sum(1)
        f[:, 21] = overlap[pairs[..., 0], pairs[..., 1]].max(1)
        f[:, 22] = shared[pairs[..., 0], pairs[..., 1]].sum(1)
        f[:, 23] = quotes[sets].sum(1)
        f[:, 24] = said[sets].sum(1)
        f[:, 25] = hanging[order].sum(1)
        f[:, 26] = len(doc.sentences)
        f[:, 27] = x[0, 24]
        chosen += [tuple(int(i) for i in row) for row in order]
        blocks.append(f)
    rows = np.concatenate(blocks) if blocks else np.zeros((0, len(SET_FEATURES)), np.float32)
    return chosen, rows


@register("rerank")
class Rerank(Summarizer):
    def __init__(self, path: Path | None = None):
        import lightgbm as lgb  # lazy: keeps `newsbrief --help` fast

        path = Path(path) if path else MODELS / "rerank"
        self.sentences = Booster(path)
        self.sets = lgb.Booster(model_file=str(path / "sets.txt"))

    def score(self, doc):
        return self.sentences.score(doc).tolist()

    def ranked_last(self, doc):
        from newsbrief.highlights.select import ranked_last

        return ranked_last(doc)

    def select(self, doc, count, max_words):
        """With `count` None the model decides how many highlights (2–4); a count in that range picks
        the best set of exactly that size. Other counts, very short articles and word budgets that no
        set fits fall back to choosing sentences one at a time."""
        if count is not None and count not in SIZES:
            return super().select(doc, count, max_words)
        x = self.sentences.features(doc)
        raw = self.sentences.predict(x)
        sets, rows = candidates(doc, x, raw, (count,) if count else SIZES)
        if max_words is not None and sets:
            fits = np.array([sum(doc.sentences[i].words for i in c) <= max_words for c in sets])
            sets, rows = [c for c, ok in zip(sets, fits) if ok], rows[fits]
        if not sets:
            return super().select(doc, count, max_words)
        best = sets[int(np.argmax(self.sets.predict(rows, num_threads=1)))]
        return [self._highlight(doc, i, raw[i]) for i in best]

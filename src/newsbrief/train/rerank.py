"""Train the `rerank` model: the `fast` sentence booster, then a booster over whole highlight sets.

The set booster must learn from sentence scores like those it will meet on unseen articles, so its
training sets are built from out-of-fold sentence scores (each half of the documents scored by a booster
trained on the other half). Each candidate set is labelled with its ROUGE-1 F + ROUGE-2 F against the
reference (rouge-score's tokens and stems), centred per document: the booster learns which set of an
article is better, not which articles are easy.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsbrief.summarizers.rerank import SET_FEATURES, SIZES, TOP, candidates
from newsbrief.train import fast
from newsbrief.train.compute import Compute
from newsbrief.train.oracle import _bigrams, _f1, rouge_tokens

PARAMS = {
    "objective": "regression",
    "learning_rate": 0.05,
    "num_leaves": 63,
    "min_data_in_leaf": 200,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
}
ROUNDS = 300


def set_rouge(sentences: list[str], reference: list[str], sets: list[tuple[int, ...]]) -> np.ndarray:
    """ROUGE-1 F + ROUGE-2 F of each set of sentences against the reference."""
    ref = [t for line in reference for t in rouge_tokens(line)]
    ref1, ref2 = Counter(ref), _bigrams(ref)
    n1, n2 = max(len(ref), 1), max(len(ref) - 1, 1)
    toks = {i: rouge_tokens(sentences[i]) for c in sets for i in c}
    uni = {i: Counter(t) for i, t in toks.items()}
    bi = {i: _bigrams(t) for i, t in toks.items()}
    out = np.zeros(len(sets), np.float32)
    for k, c in enumerate(sets):
        c1, c2 = Counter(), Counter()
        for i in c:
            c1.update(uni[i])
            c2.update(bi[i])
        out[k] = _f1(sum((c1 & ref1).values()), max(sum(c1.values()), 1), n1) + _f1(
            sum((c2 & ref2).values()), max(sum(c2.values()), 1), n2
        )
    return out


def _labelled_sets(args):
    doc, x, raw = args
    sets, rows = candidates(doc, x, raw)
    y = set_rouge([s.text for s in doc.sentences], doc.reference, sets)
    return rows, y - y.mean() if len(y) else y


def out_of_fold_scores(x: np.ndarray, y: np.ndarray, sizes: list[int], log=print) -> list[np.ndarray]:
    """Sentence scores for every document from a booster that did not train on it (two folds)."""
    import lightgbm as lgb

    bounds = np.cumsum([0, *sizes])
    fold = np.arange(len(sizes)) % 2
    row_fold = np.repeat(fold, sizes)
    scores = np.empty(len(x), np.float64)
    for f in (0, 1):
        booster = lgb.train(fast.PARAMS, lgb.Dataset(x[row_fold != f], y[row_fold != f]), num_boost_round=fast.ROUNDS)
        scores[row_fold == f] = booster.predict(x[row_fold == f], raw_score=True)
        log(f"fold {f + 1}/2 scored")
    return [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def train(
    docs: list, out: Path, compute: Compute = Compute(), cache: Path | None = None, name: str = "train", log=print
) -> None:
    import lightgbm as lgb

    t0 = time.time()
    x, y, sizes = fast.train(docs, out, compute=compute, cache=cache, name=name, log=log)
    raw = out_of_fold_scores(x, y, sizes, log)
    bounds = np.cumsum([0, *sizes])
    jobs = [(d, x[a:b], r) for d, a, b, r in zip(docs, bounds[:-1], bounds[1:], raw)]
    parts = compute.map(_labelled_sets, jobs)
    sx = np.concatenate([p[0] for p in parts])
    sy = np.concatenate([p[1] for p in parts])
    log(f"{len(sx)} candidate sets; {time.time() - t0:.0f} s")
    booster = lgb.train(PARAMS, lgb.Dataset(sx, sy, feature_name=SET_FEATURES), num_boost_round=ROUNDS)
    booster.save_model(str(out / "sets.txt"))
    (out / "meta.json").write_text(json.dumps({
        "kind": "rerank", "documents": len(docs), "top": TOP, "sizes": list(SIZES),
        "sentence_features": fast.FEATURES, "set_features": SET_FEATURES,
        "sentence_rounds": fast.ROUNDS, "set_rounds": ROUNDS,
    }, indent=1) + "\n")
    log(f"trained in {time.time() - t0:.0f} s -> {out}")

"""Train the compressor: which proposed cuts raise the highlights' ROUGE against the editors' own.

Each training article's highlights are the sentences the greedy ROUGE oracle picks (what a good model
shows); every cut the rules propose in them is labelled with the change in ROUGE-1 F + ROUGE-2 F of the
whole set of highlights when that cut alone is made, and a booster learns to predict it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

from newsbrief.summarizers.compress import CUTS, FEATURES, cut_features
from newsbrief.summarizers.features import Idf, tokens
from newsbrief.train.compute import Compute
from newsbrief.train.fast import cached_oracle_labels
from newsbrief.train.oracle import _bigrams, _f1, rouge_tokens

PARAMS = {
    "objective": "regression",
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_data_in_leaf": 100,
    "verbose": -1,
    "num_threads": 2,
}
ROUNDS = 300


def _rouge12(token_lists, ref1: Counter, ref2: Counter, n1: int, n2: int) -> float:
    c1, c2 = Counter(), Counter()
    for ts in token_lists:
        c1.update(ts)
        c2.update(_bigrams(ts))
    return _f1(sum((c1 & ref1).values()), max(sum(c1.values()), 1), n1) + _f1(
        sum((c2 & ref2).values()), max(sum(c2.values()), 1), n2
    )


def labelled_cuts(doc, picked: list[int], idf: Idf):
    """Feature rows of the cuts proposed in the oracle's sentences, and each cut's ROUGE gain."""
    texts = [doc.sentences[i].text for i in picked]
    rows, keys = cut_features(doc, texts, picked, idf)
    ref = [t for line in doc.reference for t in rouge_tokens(line)]
    ref1, ref2, n1, n2 = Counter(ref), _bigrams(ref), max(len(ref), 1), max(len(ref) - 1, 1)
    toks = [rouge_tokens(t) for t in texts]
    base = _rouge12(toks, ref1, ref2, n1, n2)
    gains = np.zeros(len(keys), np.float32)
    for k, (j, a, b) in enumerate(keys):
        cut = list(toks)
        cut[j] = rouge_tokens(texts[j][:a] + texts[j][b:])
        gains[k] = _rouge12(cut, ref1, ref2, n1, n2) - base
    return rows, gains


def _job(args):
    return labelled_cuts(*args)


def train(
    docs: list, out: Path, compute: Compute = Compute(), cache: Path | None = None, name: str = "train", log=print
) -> None:
    import lightgbm as lgb

    t0 = time.time()
    out.mkdir(parents=True, exist_ok=True)
    idf = Idf.fit(set(tokens(d.text)) for d in docs)
    idf.save(out / "idf.json.gz")
    labels = cached_oracle_labels(docs, cache, name, compute)
    jobs = [(d, picked, idf) for d, picked in zip(docs, labels) if picked]
    parts = compute.map(_job, jobs)
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    log(f"{len(x)} proposed cuts, {(y > 0).mean():.2f} of them raise ROUGE; {time.time() - t0:.0f} s")
    booster = lgb.train(PARAMS, lgb.Dataset(x, y, feature_name=FEATURES, categorical_feature=[0]), num_boost_round=ROUNDS)
    booster.save_model(str(out / "booster.txt"))
    (out / "meta.json").write_text(json.dumps(
        {"kind": "compress", "documents": len(docs), "cuts": CUTS, "features": FEATURES, "rounds": ROUNDS}, indent=1
    ) + "\n")
    log(f"trained in {time.time() - t0:.0f} s -> {out}")

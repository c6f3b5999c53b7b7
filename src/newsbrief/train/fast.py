"""Train the `fast` model: LightGBM over hand features, labels from the greedy ROUGE oracle."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from newsbrief.summarizers.features import FEATURES, SCORED_SENTENCES, Idf, features, tokens
from newsbrief.train.compute import Compute
from newsbrief.train.oracle import greedy_oracle

PARAMS = {
    "objective": "binary",
    "learning_rate": 0.1,
    "num_leaves": 31,
    "min_data_in_leaf": 100,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 2,
}
ROUNDS = 200  # scoring cost grows with the trees: 200 at rate 0.1 matched 400 at 0.05


def _oracle(doc) -> list[int]:
    return greedy_oracle([s.text for s in doc.sentences[:SCORED_SENTENCES]], doc.reference)


def labelled(docs, idf: Idf, labels: list[list[int]]):
    """Feature matrix, 0/1 labels and document sizes over `docs`."""
    xs, ys, sizes = [], [], []
    for doc, picked in zip(docs, labels):
        x = features(doc, idf, limit=SCORED_SENTENCES)
        y = np.zeros(len(x), np.float32)
        y[picked] = 1.0
        xs.append(x)
        ys.append(y)
        sizes.append(len(x))
    return np.concatenate(xs), np.concatenate(ys), sizes


def cached_oracle_labels(docs, cache: Path | None, name: str, compute: Compute = Compute()) -> list[list[int]]:
    """The greedy oracle's sentences of each document (the slow part of training, run on `compute`),
    kept in `cache` (one JSON file per dataset and size) for later runs."""
    path = cache / f"oracle_{name}_{len(docs)}.json" if cache else None
    if path and path.exists():
        return json.loads(path.read_text())
    labels = compute.map(_oracle, docs)
    if path:
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(labels))
    return labels


def train(
    docs: list, out: Path, rounds: int = ROUNDS, compute: Compute = Compute(), cache: Path | None = None,
    name: str = "train", params: dict | None = None, log=print,
):
    """Train and save the sentence booster; returns its training matrix, labels and document sizes."""
    import lightgbm as lgb

    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    idf = Idf.fit(set(tokens(d.text)) for d in docs)
    idf.save(out / "idf.json.gz")
    x, y, sizes = labelled(docs, idf, cached_oracle_labels(docs, cache, name, compute))
    log(f"{len(docs)} documents, {len(x)} sentences, {y.mean():.3f} positive; {time.time() - t0:.0f} s")
    booster = lgb.train({**PARAMS, **(params or {})}, lgb.Dataset(x, y, feature_name=FEATURES), num_boost_round=rounds)
    booster.save_model(str(out / "booster.txt"))
    (out / "meta.json").write_text(
        json.dumps({"kind": "fast", "features": FEATURES, "documents": len(docs), "rounds": rounds}, indent=1) + "\n"
    )
    log(f"trained in {time.time() - t0:.0f} s -> {out}")
    return x, y, sizes

"""ROUGE and speed of highlights models side by side in one run, on one slice of a dataset.

    python bench/models_rouge.py ../shared/data/cnndm/validation.jsonl.gz --limit 1000 lead fast \\
        fast=/tmp/some/model/dir

A model is a registered name, or KIND=DIR to try a trained model directory before shipping it.
"""

from __future__ import annotations

import argparse
import time

from newsbrief.evaluate import LABELS, METRICS, score_pairs
from newsbrief.highlights import get
from newsbrief.train.data import documents


def load(spec: str):
    """A registered name, or KIND=DIR; the registry loads a trained directory of a registered kind."""
    kind, _, path = spec.partition("=")
    if kind == "context":  # experimental, not registered
        from newsbrief.highlights.context import Context

        return Context(path)
    return get(path or kind)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("models", nargs="+")
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--count", type=int, default=3)
    args = ap.parse_args()
    docs = list(documents([args.data], limit=args.limit, min_sentences=1))
    refs = [d.reference for d in docs]
    for spec in args.models:
        model = load(spec)
        t0 = time.perf_counter()
        preds = [[h.text for h in model.summarize(d, count=args.count)] for d in docs]
        dt = time.perf_counter() - t0
        means = score_pairs(preds, refs).mean(0)
        cols = "  ".join(f"{LABELS[m]} {v:.2f}" for m, v in zip(METRICS, means))
        words = sum(len(" ".join(p).split()) for p in preds) / len(preds)
        print(f"{spec:40s} {cols}  words {words:.1f}  {len(docs) / dt:.0f} docs/s  (n={len(docs)})", flush=True)


if __name__ == "__main__":
    main()

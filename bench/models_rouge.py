"""ROUGE and speed of highlights models side by side in one run, on one slice of a dataset.

    python bench/models_rouge.py ../shared/data/cnndm/validation.jsonl.gz --limit 1000 lead fast rerank \\
        /tmp/some/model/dir --compress

`dangling` counts highlights that open with a pronoun or connective ("He", "But") while the sentence
before them is not shown.

A model is a registered name or a directory made by `newsbrief train` (of any kind, `context` too).
"""

from __future__ import annotations

import argparse
import time

from newsbrief.brief import select_highlights
from newsbrief.evaluate import LABELS, METRICS, score_pairs
from newsbrief.options import BriefOptions
from newsbrief.registry import load_model
from newsbrief.train.data import documents


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("models", nargs="+")
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--count", type=int, default=None, help="highlights per article (default: each model's own)")
    ap.add_argument("--compress", action="store_true", help="also score each model with the learned compressor")
    args = ap.parse_args()
    docs = list(documents([args.data], limit=args.limit, min_sentences=1))
    refs = [d.reference for d in docs]
    runs = [(spec, compress) for spec in args.models for compress in ((False, True) if args.compress else (False,))]
    for spec, compress in runs:
        options = BriefOptions(model=spec, count=args.count, compress=compress)
        load_model(spec)  # loading is not timed
        t0 = time.perf_counter()
        outputs = [select_highlights(d, options) for d in docs]
        dt = time.perf_counter() - t0
        preds = [[h.text for h in hs] for hs in outputs]
        means = score_pairs(preds, refs).mean(0)
        cols = "  ".join(f"{LABELS[m]} {v:.2f}" for m, v in zip(METRICS, means))
        words = sum(len(" ".join(p).split()) for p in preds) / len(preds)
        hanging = sum(_dangling(d, hs) for d, hs in zip(docs, outputs))
        name = spec + (" +compress" if compress else "")
        print(f"{name:40s} {cols}  words {words:.1f}  dangling {hanging}  {len(docs) / dt:.0f} docs/s  (n={len(docs)})",
              flush=True)


def _dangling(doc, highlights) -> int:
    """Highlights that open with a pronoun or connective while the sentence before them is not shown."""
    from newsbrief.summarizers.select import dangling

    flags = dangling(doc)
    shown = {h.sentence_index for h in highlights}
    return sum(bool(flags[h.sentence_index]) and h.sentence_index - 1 not in shown for h in highlights)


if __name__ == "__main__":
    main()

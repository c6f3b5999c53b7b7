"""`newsbrief train DATA... --out DIR [--model KIND] [--limit N]`: train a model of any kind the registry
knows that has a training module (`newsbrief.train.KIND` with `train(docs, out, ...)`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsbrief.cli.common import engine_options, positive_int


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("train", help="train a highlights model or a compressor on datasets with reference highlights")
    p.add_argument("data", nargs="+", help="JSONL / JSONL.gz / CSV datasets with article and highlights fields")
    p.add_argument("--out", required=True, type=Path, help="directory for the model files")
    p.add_argument("--model", default="rerank", metavar="KIND",
                   help="model kind: rerank (the default model), fast, compress (for --compressor) or context (needs torch)")
    p.add_argument("--limit", type=positive_int, default=None, help="train on the first N documents only")
    p.add_argument("--cache", type=Path, default=None, help="keep oracle labels (and MiniLM window vectors) here for later runs")
    # Labelling the documents (the oracle's search, each candidate set's ROUGE) is most of the time: it runs
    # on the batch engines. The boosters themselves train in this process, on LightGBM's own threads.
    engine_options(p, "processes labelling the documents (default: all cores)")
    return p


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args) -> int:
    import importlib
    import importlib.util

    from newsbrief.batch.engine import check_engine
    from newsbrief.errors import InputError
    from newsbrief.train.compute import Compute
    from newsbrief.registry import trainable_kinds
    from newsbrief.train.data import documents

    if args.model not in trainable_kinds():
        raise InputError(f"unknown model kind {args.model!r}; choose one of: {', '.join(trainable_kinds())}")
    check_engine(args.engine, args.scheduler)  # before reading the data: that takes a while
    if args.model == "context" and not (importlib.util.find_spec("torch") and importlib.util.find_spec("sentence_transformers")):
        raise InputError("the context model needs torch: pip install torch==2.13.0, then pip install 'newsbrief[encoder]'")
    docs = list(documents(args.data, limit=args.limit))
    if not docs:
        raise InputError("no training documents with reference highlights")
    train = importlib.import_module(f"newsbrief.train.{args.model}").train
    compute = Compute(workers=args.workers, engine=args.engine, scheduler=args.scheduler)
    train(docs, args.out, compute=compute, cache=args.cache, name=Path(args.data[0]).name.split(".")[0], log=_log)
    return 0

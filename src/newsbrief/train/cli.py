"""`newsbrief train DATA... --out DIR [--model KIND] [--limit N]`: train a highlights model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = ("rerank", "fast", "compress", "context")


def add_parser(subparsers) -> argparse.ArgumentParser:
    from newsbrief.cli import engine_options

    p = subparsers.add_parser("train", help="train a highlights model on datasets with reference highlights")
    p.add_argument("data", nargs="+", help="JSONL / JSONL.gz / CSV datasets with article and highlights fields")
    p.add_argument("--out", required=True, type=Path, help="directory for the model files")
    p.add_argument("--model", choices=KINDS, default="rerank", help="model kind (default: rerank, the default model)")
    p.add_argument("--limit", type=int, default=None, help="train on the first N documents only")
    p.add_argument("--cache", type=Path, default=None, help="keep oracle labels (and MiniLM window vectors) here for later runs")
    # Labelling the documents (the oracle's search, each candidate set's ROUGE) is most of the time: it runs
    # on the batch engines. The boosters themselves train in this process, on LightGBM's own threads.
    engine_options(p, "processes labelling the documents (default: all cores)")
    p.set_defaults(func=run)
    return p


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args) -> int:
    import importlib.util

    from newsbrief.batch.engines import check_engine
    from newsbrief.errors import InputError
    from newsbrief.train.data import documents

    check_engine(args.engine, args.scheduler)  # before reading the data: that takes a while
    if args.model == "context" and not (importlib.util.find_spec("torch") and importlib.util.find_spec("sentence_transformers")):
        raise InputError("the context model needs torch: pip install torch==2.13.0, then pip install 'newsbrief[encoder]'")
    docs = list(documents(args.data, limit=args.limit))
    if not docs:
        raise InputError("no training documents with reference highlights")
    name = Path(args.data[0]).name.split(".")[0]
    if args.model == "rerank":
        from newsbrief.train.rerank import train
    elif args.model == "fast":
        from newsbrief.train.fast import train
    elif args.model == "compress":
        from newsbrief.train.compress import train
    else:
        from newsbrief.train.context import train
    from newsbrief.train.compute import Compute

    compute = Compute(workers=args.workers, engine=args.engine, scheduler=args.scheduler)
    train(docs, args.out, compute=compute, cache=args.cache, name=name, log=_log)
    return 0

"""`newsbrief batch INPUT... -o OUTPUT`: brief every record of datasets, article folders or files of URLs into JSONL."""

from __future__ import annotations

import argparse
import sys

from newsbrief.cli.common import (
    brief_options,
    engine_options,
    fetch_options,
    field_options,
    fields,
    model_options,
    positive_int,
)


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "batch", help="brief every record of datasets or article folders into JSONL, resumably, on all cores or Dask",
        description="One output line per input record, in input order: a brief, or {\"id\", \"error\"}.",
    )
    p.add_argument("input", nargs="+", metavar="INPUT",
                   help="JSONL, JSONL.gz or CSV dataset, or a directory or glob of .txt/.html/.story files "
                        "(with --urls: a text file of web addresses, one a line)")
    p.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="OUTPUT.jsonl or OUTPUT.jsonl.gz")
    model_options(p)
    p.add_argument("--facts", action="store_true", help="add each article's facts")
    field_options(p)
    engine_options(p, "worker processes (default: all cores)")
    p.add_argument("--urls", action="store_true",
                   help="each INPUT is a text file of http(s):// addresses, one a line: fetch and brief each page")
    fetch_options(p)
    p.add_argument("--resume", action="store_true", help="continue an interrupted run of the same command")
    p.add_argument("--archive", metavar="DB", default=None,
                   help="also store each brief in this archive (SQLite file or postgresql:// URL; see `newsbrief archive`)")
    p.add_argument("--chunk-size", type=positive_int, default=250, metavar="N",
                   help="records per work unit (default: 250)")
    p.add_argument("--progress", choices=("auto", "bar", "lines", "off"), default="auto",
                   help="a bar on a terminal, a line every 10 s otherwise (default: auto)")
    return p


def run(args) -> int:
    from newsbrief.batch import run_batch
    from newsbrief.errors import InputError

    if not args.urls and (args.allow_private_addresses or args.fetch_timeout is not None):
        # Ignoring them would let a user believe a dataset's pages were fetched under these settings.
        raise InputError("--allow-private-addresses and --fetch-timeout apply to files of web addresses: add --urls")
    summary = run_batch(
        args.input, args.output, options=brief_options(args, facts=args.facts), fields=fields(args),
        workers=args.workers, engine=args.engine, scheduler=args.scheduler, resume=args.resume,
        chunk_records=args.chunk_size, progress=args.progress, archive=args.archive, urls=args.urls,
        allow_private=args.allow_private_addresses, fetch_timeout=args.fetch_timeout,
    )
    print(summary.line(), file=sys.stderr)
    return 0

"""What the commands share: argument types, option groups, reading the article, and `BriefOptions`
from the parsed arguments. Cheap to import: `newsbrief --help` loads no model."""

from __future__ import annotations

import argparse
import os
import sys

from newsbrief.errors import NewsbriefError

EXIT_INPUT = 1  # the input could not be used; argparse uses 2 for bad arguments


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def non_negative_int(value: str) -> int:
    if value.strip() == "0":
        return 0
    return positive_int(value)


def positive_float(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if not x > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return x


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


MODEL_HELP = "highlights model: a name from `newsbrief models` or a directory made by `newsbrief train`"


def model_options(p: argparse.ArgumentParser) -> None:
    """--model, --count, --max-words, --compress and --compressor: what `brief_options` reads."""
    p.add_argument("--model", default=None, help=MODEL_HELP)
    p.add_argument("--count", type=positive_int, default=None,
                   help="number of highlights (default: the model decides, 2-4; 3 for lead and fast)")
    p.add_argument("--max-words", type=positive_int, default=None, help="word budget over all highlights")
    p.add_argument("--compress", action="store_true",
                   help="cut attributions, asides and the like from highlights, as editors do (learned)")
    p.add_argument("--compressor", default=None, metavar="MODEL",
                   help="compress with this compressor: a directory made by `newsbrief train --model compress` "
                        "(implies --compress)")


def brief_options(args: argparse.Namespace, facts: bool = False):
    """The one BriefOptions of a command, validated (an unknown model fails here, before any reading)."""
    from newsbrief.options import BriefOptions

    return BriefOptions(model=args.model, count=args.count, max_words=args.max_words, facts=facts,
                        compress=args.compressor or args.compress)


def engine_options(p: argparse.ArgumentParser, workers_help: str, default: int | None = None) -> None:
    """--workers, --engine and --scheduler: where `batch`, `eval` and `train` run their chunks."""
    p.add_argument("--workers", type=positive_int, default=default, metavar="N", help=workers_help)
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="a local process pool (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="Dask scheduler to run on (with --engine dask; default: start a LocalCluster)")


def field_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--id-field", default="id", help="dataset field holding the record id (default: id)")
    p.add_argument("--article-field", default="article", help="dataset field holding the article (default: article)")
    p.add_argument("--highlights-field", default="highlights", help="dataset field holding reference highlights")
    p.add_argument("--date-field", default=None, help="dataset field holding the story's date (ISO 8601), if any")


def fields(args: argparse.Namespace):
    from newsbrief.ingest import Fields

    return Fields(args.id_field, args.article_field, args.highlights_field, args.date_field)


def fetch_options(p: argparse.ArgumentParser) -> None:
    """--allow-private-addresses and --fetch-timeout: how a command fetches an article given by URL."""
    p.add_argument("--allow-private-addresses", action="store_true",
                   help="let a URL name a page on this machine or its own network (loopback, private, link-local "
                        "addresses); off by default: only public pages are fetched")
    # The default is newsbrief.ingest.fetch.PAGE_TIMEOUT (not imported here: `--help` stays fast).
    p.add_argument("--fetch-timeout", type=positive_float, default=None, metavar="SECONDS",
                   help="the whole fetch of one page, redirects included (default: 20)")


def read_document(path: str, args: argparse.Namespace | None = None):
    """The article a command was given: a web page (http:// or https://), a file (text, HTML, .story, a
    JSON record) or stdin. `args` carries the fetch options."""
    from newsbrief.ingest import is_dataset, is_url, read_file, read_stdin, read_url

    if is_url(path):
        return read_url(path, allow_private=getattr(args, "allow_private_addresses", False),
                        timeout=getattr(args, "fetch_timeout", None))
    if path == "-":
        if sys.stdin.isatty():  # waiting on a terminal would look like a hang
            raise NewsbriefError("no input: give an article FILE or pipe text to standard input")
        return read_stdin()
    if is_dataset(path):
        raise NewsbriefError(f"{path} is a dataset; brief its records with `newsbrief batch {path} -o OUTPUT.jsonl`")
    return read_file(path)

"""The `newsbrief` command line. Heavy modules are imported inside each command so `--help` is fast."""

from __future__ import annotations

import argparse
import json
import sys

from newsbrief import __version__
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


def engine_options(p: argparse.ArgumentParser, workers_help: str, default: int | None = None) -> None:
    """--workers, --engine and --scheduler: where `batch`, `eval` and `train` run their chunks."""
    p.add_argument("--workers", type=positive_int, default=default, metavar="N", help=workers_help)
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="a local process pool (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="Dask scheduler to run on (with --engine dask; default: start a LocalCluster)")


def non_negative_int(value: str) -> int:
    if value.strip() == "0":
        return 0
    return positive_int(value)


def _default_workers() -> int:
    import os

    return max(1, min(4, os.cpu_count() or 1))


def positive_float(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if not x > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, got {value}")
    return x


def _model_options(p: argparse.ArgumentParser, count: bool = True) -> None:
    p.add_argument("--model", default=None,
                   help="highlights model: a name from `newsbrief models` or a directory made by `newsbrief train`")
    if count:
        p.add_argument("--count", type=positive_int, default=None,
                       help="number of highlights (default: the model decides, 2-4; 3 for lead and fast)")
    p.add_argument("--max-words", type=positive_int, default=None, help="word budget over all highlights")
    p.add_argument("--compress", action="store_true",
                   help="cut attributions, asides and the like from highlights, as editors do (learned)")


def _field_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--id-field", default="id", help="dataset field holding the record id (default: id)")
    p.add_argument("--article-field", default="article", help="dataset field holding the article (default: article)")
    p.add_argument("--highlights-field", default="highlights", help="dataset field holding reference highlights")


def _fields(args):
    from newsbrief.ingest import Fields

    return Fields(args.id_field, args.article_field, args.highlights_field)


def read_document(path: str):
    """The article a command was given: a file (text, HTML, .story, a JSON record) or stdin."""
    from newsbrief.ingest import is_dataset, read_file, read_stdin

    if path == "-":
        if sys.stdin.isatty():  # waiting on a terminal would look like a hang
            raise NewsbriefError("no input: give an article FILE or pipe text to standard input")
        return read_stdin()
    if is_dataset(path):
        raise NewsbriefError(f"{path} is a dataset; brief its records with `newsbrief batch {path} -o OUTPUT.jsonl`")
    return read_file(path)


# --- commands -------------------------------------------------------------------------------------


def cmd_highlights(args) -> int:
    from newsbrief.brief import make_brief

    doc = read_document(args.file)
    brief = make_brief(doc, model=args.model, count=args.count, max_words=args.max_words, facts=args.facts,
                       compress=args.compress)
    if args.format == "json":
        print(json.dumps(brief, ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        if doc.title:
            print(f"## {doc.title}\n")
        for h in brief["highlights"]:
            print(f"- {h['text']}")
    else:
        for h in brief["highlights"]:
            print(f"• {h['text']}")
    return 0


def cmd_batch(args) -> int:
    from newsbrief.batch import run_batch

    summary = run_batch(
        args.input, args.output, model=args.model, count=args.count, max_words=args.max_words, compress=args.compress,
        facts=args.facts, fields=_fields(args), workers=args.workers, engine=args.engine,
        scheduler=args.scheduler, resume=args.resume, chunk_records=args.chunk_size, progress=args.progress,
    )
    print(summary.line(), file=sys.stderr)
    return 0


def cmd_eval(args) -> int:
    from newsbrief.evaluate import evaluate
    from newsbrief.highlights import DEFAULT_MODEL, get
    from newsbrief.ingest import iter_records, record_document

    model = args.model or DEFAULT_MODEL
    models = [model] + (["lead"] if model != "lead" else [])
    for name in models:
        get(name)  # an unknown model fails here, before any reading
    skipped = {"no_reference": 0, "invalid": 0}

    def documents():
        for n, record in enumerate(iter_records(args.data, _fields(args))):
            if args.limit is not None and n >= args.limit:
                return
            if not record.highlights:
                skipped["no_reference"] += 1
                continue
            try:
                yield record_document(record)
            except NewsbriefError:
                skipped["invalid"] += 1

    report = evaluate(documents(), models, count=args.count, max_words=args.max_words, compress=args.compress, data=args.data,
                      workers=args.workers, engine=args.engine, scheduler=args.scheduler).to_dict()
    report["skipped"] = skipped
    if report["documents"] == 0:
        raise NewsbriefError(f"{args.data}: no records with an article and reference highlights to score")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_eval(report)
    return 0


def _print_eval(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ROUGE F1 ×100 on {report['documents']:,} documents of {report['data']}")
    for col in ("model", "subset", "R1", "R2", "RLsum", "95% CI (R1)", "words"):
        table.add_column(col, justify="left" if col in ("model", "subset") else "right")
    for m in report["models"]:
        rows = [("all", m)] + sorted(m.get("by_source", {}).items())
        for subset, r in rows:
            lo, hi = r["ci95"]["R1"]
            table.add_row(m["model"], subset, f"{r['R1']:.2f}", f"{r['R2']:.2f}", f"{r['RLsum']:.2f}",
                          f"{lo:.2f}–{hi:.2f}", f"{r['mean_words']:.1f}")
    Console().print(table)
    skipped = report["skipped"]
    if any(skipped.values()):
        print(f"skipped: {skipped['no_reference']} without reference highlights, {skipped['invalid']} unreadable")


def cmd_models(args) -> int:
    from newsbrief.highlights import DEFAULT_MODEL, available

    for name in available():
        print(f"{name}{'  (default)' if name == DEFAULT_MODEL else ''}")
    return 0


def cmd_serve(args) -> int:
    from newsbrief.errors import InputError
    from newsbrief.highlights import available

    if args.model is not None and args.model not in available():
        raise InputError(f"unknown model {args.model!r}; choose one of: {', '.join(available())}")
    import uvicorn

    from newsbrief.service import Settings, create_app

    settings = Settings(
        model=args.model, max_body=int(args.max_body * 2**20), timeout=args.timeout, workers=args.workers,
        queue=args.queue, max_batch=args.max_batch, allow_fetch=args.allow_fetch, archive=args.archive,
    )
    # One HTTP process; the model runs in `--workers` processes behind its single queue.
    uvicorn.run(
        create_app(settings), host=args.host, port=args.port, access_log=False, log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )
    return 0


# --- parser ---------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Story highlights and facts for news articles, offline, on a CPU."
    )
    parser.add_argument("--version", action="version", version=f"newsbrief {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("highlights", help="highlights of one article (text, HTML or .story)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="article file, or - for stdin (default)")
    _model_options(p)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--facts", action="store_true", help="add the article's facts (json format)")
    p.set_defaults(func=cmd_highlights)

    p = sub.add_parser(
        "batch", help="brief every record of datasets or article folders into JSONL, resumably, on all cores or Dask",
        description="One output line per input record, in input order: a brief, or {\"id\", \"error\"}.",
    )
    p.add_argument("input", nargs="+", metavar="INPUT",
                   help="JSONL, JSONL.gz or CSV dataset, or a directory or glob of .txt/.html/.story files")
    p.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="OUTPUT.jsonl or OUTPUT.jsonl.gz")
    _model_options(p)
    p.add_argument("--facts", action="store_true", help="add each article's facts")
    _field_options(p)
    engine_options(p, "worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run of the same command")
    p.add_argument("--chunk-size", type=positive_int, default=250, metavar="N",
                   help="records per work unit (default: 250)")
    p.add_argument("--progress", choices=("auto", "bar", "lines", "off"), default="auto",
                   help="a bar on a terminal, a line every 10 s otherwise (default: auto)")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("eval", help="ROUGE against reference highlights, with Lead-3 side by side")
    p.add_argument("data", metavar="DATA", help="dataset with reference highlights (JSONL, JSONL.gz, CSV)")
    _model_options(p)
    p.add_argument("--limit", type=positive_int, default=None, help="score only the first N records")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    engine_options(p, "score on N processes (default: 1)", default=1)
    _field_options(p)
    p.set_defaults(func=cmd_eval)

    from newsbrief.archive.cli import add_parser as add_archive_parser
    from newsbrief.facts.cli import add_parser as add_facts_parser
    from newsbrief.train.cli import add_parser as add_train_parser

    add_facts_parser(sub)
    add_train_parser(sub)
    add_archive_parser(sub)

    p = sub.add_parser("models", help="list the highlights models")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("serve", help="HTTP API and web page (open http://HOST:PORT/)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=positive_int, default=8000, help="port (default: 8000)")
    p.add_argument("--workers", type=non_negative_int, default=_default_workers(),
                   help="model worker processes, each loading the model once; 0 runs it in the server process "
                        f"(default: {_default_workers()}, one per core up to 4)")
    p.add_argument("--model", default=None, help="default highlights model (default: the shipped default)")
    p.add_argument("--queue", type=positive_int, default=64, help="articles queued or running before a fast 503 (default: 64)")
    p.add_argument("--timeout", type=positive_float, default=30.0, help="seconds per request, queueing included, before 503/504 (default: 30)")
    p.add_argument("--max-body", type=positive_float, default=2.0, metavar="MB", help="request body limit in MB (default: 2)")
    p.add_argument("--max-batch", type=positive_int, default=16, help="articles per batch request (default: 16)")
    p.add_argument("--allow-fetch", action="store_true", help="let requests name an http(s) URL for the server to fetch")
    p.add_argument("--archive", metavar="DB", default=None,
                   help="serve this archive (SQLite file or postgresql:// URL) under /v1/archive")
    p.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except NewsbriefError as e:
        print(f"newsbrief: error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("newsbrief: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `newsbrief ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())

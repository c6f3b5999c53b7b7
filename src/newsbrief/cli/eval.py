"""`newsbrief eval DATA`: ROUGE against reference highlights, with Lead-3 side by side."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace

from newsbrief.cli.common import brief_options, engine_options, field_options, fields, model_options, positive_int
from newsbrief.errors import NewsbriefError


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("eval", help="ROUGE against reference highlights, with Lead-3 side by side")
    p.add_argument("data", metavar="DATA", help="dataset with reference highlights (JSONL, JSONL.gz, CSV)")
    model_options(p)
    p.add_argument("--limit", type=positive_int, default=None, help="score only the first N records")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    engine_options(p, "score on N processes (default: 1)", default=1)
    field_options(p)
    return p


def run(args) -> int:
    from newsbrief.evaluate import evaluate
    from newsbrief.ingest import iter_records, record_document

    options = brief_options(args)  # an unknown model fails here, before any reading
    models = [options] + ([replace(options, model="lead")] if options.model != "lead" else [])
    skipped = {"no_reference": 0, "invalid": 0}

    def documents():
        for n, record in enumerate(iter_records(args.data, fields(args))):
            if args.limit is not None and n >= args.limit:
                return
            if not record.highlights:
                skipped["no_reference"] += 1
                continue
            try:
                yield record_document(record)
            except NewsbriefError:
                skipped["invalid"] += 1

    report = evaluate(documents(), models, data=args.data, workers=args.workers, engine=args.engine,
                      scheduler=args.scheduler).to_dict()
    report["skipped"] = skipped
    if report["documents"] == 0:
        raise NewsbriefError(f"{args.data}: no records with an article and reference highlights to score")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_table(report)
    return 0


def _print_table(report: dict) -> None:
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

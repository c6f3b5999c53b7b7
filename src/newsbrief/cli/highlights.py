"""`newsbrief highlights [FILE|URL|-]`: the highlights of one article (text, HTML, .story, a JSON record or a web page)."""

from __future__ import annotations

import argparse
import json

from newsbrief.cli.common import brief_options, fetch_options, model_options, read_document


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("highlights", help="highlights of one article (text, HTML, .story or a web page)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE",
                   help="article file, an http(s):// page, or - for stdin (default)")
    model_options(p)
    fetch_options(p)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--facts", action="store_true", help="add the article's facts (json format)")
    return p


def run(args) -> int:
    from newsbrief.brief import make_brief

    options = brief_options(args, facts=args.facts)
    doc = read_document(args.file, args)
    brief = make_brief(doc, options)
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

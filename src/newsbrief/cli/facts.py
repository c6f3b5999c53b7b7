"""`newsbrief facts [FILE|URL|-] [--format json|markdown]`: the facts of one article."""

from __future__ import annotations

import argparse
import json
import sys

from newsbrief.cli.common import fetch_options, read_document


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "facts",
        help="entities, quotes with speakers, numbers, casualties and dates of an article",
        description="Print the facts of one article (text, HTML, .story, a JSON object with an 'article' field, "
                    "or a web page by its http(s):// address).",
    )
    p.add_argument("file", nargs="?", default="-", help="the article file or URL; '-' or nothing reads standard input")
    p.add_argument("--format", choices=("json", "markdown"), default="json", help="output format (default: json)")
    fetch_options(p)
    return p


def run(args) -> int:
    from newsbrief.brief import make_brief
    from newsbrief.facts import extract_facts
    from newsbrief.facts.render import to_markdown
    from newsbrief.options import BriefOptions

    doc = read_document(args.file, args)
    if args.format == "markdown":
        sys.stdout.write(to_markdown(doc, extract_facts(doc)))
    else:
        json.dump(make_brief(doc, BriefOptions(highlights=False, facts=True)), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 0

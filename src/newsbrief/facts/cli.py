"""`newsbrief facts [FILE|-] [--format json|markdown]`: the facts of one article.

The main CLI wires this in with `add_parser(subparsers)`; `run(args)` returns the exit code. Imports
stay inside `run` so that `newsbrief --help` does not load spaCy.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "facts",
        help="entities, quotes with speakers, numbers, casualties and dates of an article",
        description="Print the facts of one article (plain text, or a JSON object with an 'article' field).",
    )
    p.add_argument("file", nargs="?", default="-", help="the article; '-' or nothing reads standard input")
    p.add_argument("--format", choices=("json", "markdown"), default="json", help="output format (default: json)")
    p.set_defaults(func=run)
    return p


def read_document(path: str):
    """A Document from an article file (text, HTML, .story), a JSON object with an "article" field
    (the corpus record and sample format), or standard input ("-")."""
    from newsbrief.cli import _read_document
    from newsbrief.errors import InputError
    from newsbrief.ingest import load

    if path.lower().endswith(".json"):
        try:
            with open(path, encoding="utf-8") as f:
                obj = json.load(f)
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path} is not valid JSON ({getattr(exc, 'msg', exc)})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("article"), str):
            raise InputError(f"{path}: a JSON input needs an 'article' string field")
        meta = {k: obj[k] for k in ("id", "title", "date", "source") if isinstance(obj.get(k), str)}
        return load(obj["article"], **meta)
    return _read_document(path)  # text, HTML, .story or stdin, as `newsbrief highlights` reads them


def run(args) -> int:
    from newsbrief.errors import NewsbriefError

    try:
        from newsbrief.facts import extract_facts
        from newsbrief.facts.render import brief, to_markdown

        doc = read_document(args.file)
        facts = extract_facts(doc)
    except NewsbriefError as exc:
        print(f"newsbrief: error: {exc}", file=sys.stderr)
        return 1
    if args.format == "markdown":
        sys.stdout.write(to_markdown(doc, facts))
    else:
        json.dump(brief(doc, facts), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m newsbrief.facts.cli`) until the main CLI wires the subcommand in."""
    parser = argparse.ArgumentParser(prog="newsbrief")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

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
    """A Document from a text file, a JSON object with "article" (the corpus / sample format), or stdin."""
    from newsbrief.document import segment

    if path == "-":
        raw = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as f:
            raw = f.read()
    stripped = raw.lstrip()
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError as exc:
            try:  # a JSON-lines file: the first record
                obj = json.loads(stripped.splitlines()[0])
            except json.JSONDecodeError:
                raise ValueError(f"not valid JSON: {exc.msg} (line {exc.lineno})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("article"), str):
            raise ValueError("a JSON input needs an 'article' string field")
        meta = {k: obj[k] for k in ("id", "title", "date", "source") if isinstance(obj.get(k), str)}
        return segment(obj["article"], **meta)
    if not raw.strip():
        raise ValueError("the input is empty")
    return segment(raw)


def run(args) -> int:
    from newsbrief.facts import extract_facts
    from newsbrief.facts.nlp import ModelMissing
    from newsbrief.facts.render import brief, to_markdown

    try:
        doc = read_document(args.file)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"newsbrief facts: cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"newsbrief facts: {args.file}: {exc}", file=sys.stderr)
        return 2
    try:
        facts = extract_facts(doc)
    except ModelMissing as exc:
        print(f"newsbrief facts: {exc}", file=sys.stderr)
        return 3
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

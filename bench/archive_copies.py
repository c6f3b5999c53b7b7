"""Build a synthetic archive of N stories fast: a base archived the usual way, then bulk copies in SQL.

    # SQLite (a file) or PostgreSQL (a cluster this command starts under --pg-dir, left running)
    nice -n 10 .venv/bin/python bench/archive_copies.py --briefs WORK/briefs.jsonl --stories 1000000 \
        --target WORK/archive-1m.db
    nice -n 10 .venv/bin/python bench/archive_copies.py --briefs WORK/briefs.jsonl --stories 1000000 \
        --pg-dir WORK/pg-1m --port 55432
    .venv/bin/python bench/archive_copies.py --pg-dir WORK/pg-1m --port 55432 --stop   # stop that server

1. The base: the briefs (`newsbrief batch --facts` of the validation set; `--base N` takes the first N)
   with their article text from the dataset, each given a day over 2010-2025, go in through
   Archive.add_many (the path `archive add` and `batch --archive` take): its stories/s is reported.
2. The copies: copy k of base story pk is pk + k × base, id "id~k", a day of its own; every row a story
   owns is copied with it, entities are shared (a copy names the same people). Done by INSERT ... SELECT
   over a table of copy numbers, 20 copies to a statement, with the secondary indexes, the FTS triggers
   (SQLite) and the GIN indexes (PostgreSQL) dropped first and built once at the end: row-by-row index
   upkeep is what made the earlier copier run at 178 stories/s.
3. What adds keep up to date is then set as adds would have left it: entities' story counts and the
   co-occurrence counts (each copy names the same pairs: the base's counts × copies), and entity_days
   (from the mentions' days). `ANALYZE` at the end. Timings of each step are printed and written to
   TARGET.build.json (SQLite) or PG-DIR/build.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pwd
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VALIDATION = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"
FIRST_DAY = dt.date(2010, 1, 1)
DAYS = 5844  # 2010-01-01 .. 2025-12-31
PER_STATEMENT = 20  # copies per INSERT ... SELECT

# Copy k of base story pk gets this day, the same on both databases (k = 0 is the base's own day).
_DAY_SQL = {
    "sqlite": "date('2010-01-01', '+' || ((s.pk * 7919 + c.k * 104729) % 5844) || ' days')",
    "postgresql": "to_char(date '2010-01-01' + ((s.pk * 7919 + c.k * 104729) % 5844)::int, 'YYYY-MM-DD')",
}


def base_day(pk: int) -> str:
    return (FIRST_DAY + dt.timedelta(days=(pk * 7919) % DAYS)).isoformat()


def load_base(briefs_path: Path, limit: int | None) -> list[tuple[dict, dict]]:
    """(brief, {"text", "source", "date"}) of the briefs that are not errors, in file order."""
    from newsbrief.archive import dataset_stories

    stories = dataset_stories(VALIDATION)
    base = []
    with open(briefs_path, encoding="utf-8") as f:
        for line in f:
            brief = json.loads(line)
            if "error" not in brief and brief.get("id") in stories:
                base.append((brief, dict(stories[brief["id"]])))
            if limit and len(base) >= limit:
                break
    for pk, (_, meta) in enumerate(base, start=1):  # a fresh archive gives the base pks 1..n in this order
        meta["date"] = base_day(pk)
    return base


def copy_statements(dialect: str, base: int, quotes: int) -> list[str]:
    """INSERT ... SELECT of every table a story owns, for the copies listed in table `copies` (k)."""
    day = _DAY_SQL[dialect]
    search = dialect == "postgresql"
    return [
        "INSERT INTO stories (pk, id, title, date, source, lang, model, text, highlights_text, added_at"
        f"{', search' if search else ''}) SELECT s.pk + c.k * {base}, s.id || '~' || c.k, s.title, {day}, s.source, "
        f"s.lang, s.model, s.text, s.highlights_text, s.added_at{', s.search' if search else ''} "
        f"FROM stories s, copies c WHERE s.pk <= {base}",
        f"INSERT INTO highlights SELECT h.story + c.k * {base}, h.rank, h.text, h.start_offset, h.end_offset, h.sentence, "
        f"h.score FROM highlights h, copies c WHERE h.story <= {base}",
        f"INSERT INTO mentions SELECT m.story + c.k * {base}, m.entity, m.local_id, m.name, m.role, m.count, "
        f"m.first_offset, m.spans, {day} FROM mentions m JOIN stories s ON s.pk = m.story, copies c WHERE m.story <= {base}",
        "INSERT INTO quotes (pk, story, rank, text, start_offset, end_offset, sentence, speaker, speaker_entity, cue, "
        f"attribution, date, speaker_start, speaker_end{', search' if search else ''}) "
        f"SELECT q.pk + c.k * {quotes}, q.story + c.k * {base}, q.rank, q.text, q.start_offset, q.end_offset, "
        f"q.sentence, q.speaker, q.speaker_entity, q.cue, q.attribution, {day}, q.speaker_start, q.speaker_end"
        f"{', q.search' if search else ''} FROM quotes q JOIN stories s ON s.pk = q.story, copies c "
        f"WHERE q.story <= {base}",
        f"INSERT INTO quote_subjects (quote, entity, date, story, rank) SELECT qs.quote + c.k * {quotes}, qs.entity, "
        f"{day}, qs.story + c.k * {base}, qs.rank FROM quote_subjects qs JOIN stories s ON s.pk = qs.story, copies c "
        f"WHERE qs.story <= {base}",
        f"INSERT INTO quantities SELECT t.story + c.k * {base}, t.rank, t.text, t.start_offset, t.end_offset, "
        f"t.sentence, t.value, t.counts, t.qualifier, t.vague FROM quantities t, copies c WHERE t.story <= {base}",
        f"INSERT INTO casualties SELECT t.story + c.k * {base}, t.rank, t.kind, t.killed, t.killed_text, "
        "t.killed_start, t.killed_end, t.wounded, t.wounded_text, t.wounded_start, t.wounded_end, t.place, "
        f"t.place_entity, t.date_text, t.date_value, CASE WHEN t.date = s.date THEN {day} ELSE t.date END, "
        f"t.start_offset, t.end_offset FROM casualties t JOIN stories s ON s.pk = t.story, copies c "
        f"WHERE t.story <= {base}",
        f"INSERT INTO dates SELECT t.story + c.k * {base}, t.rank, t.text, t.start_offset, t.end_offset, t.sentence, "
        f"t.value, t.relative, t.modifier FROM dates t, copies c WHERE t.story <= {base}",
    ]


class Steps:
    """Timed steps, printed and kept for the build's JSON record."""

    def __init__(self, record: Path, **facts):
        self.record = record
        self.facts = {**facts, "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "steps": {}}

    def __call__(self, name: str, run) -> None:
        t, cpu = time.perf_counter(), time.process_time()
        run()
        wall = time.perf_counter() - t
        self.facts["steps"][name] = round(wall, 1)
        print(f"{name}: {wall:.1f} s (this process's CPU {time.process_time() - cpu:.1f} s; load {os.getloadavg()[0]:.1f})",
              flush=True)
        self.save()

    def save(self) -> None:
        self.record.write_text(json.dumps(self.facts, indent=1))


def build(archive_url: str, dialect: str, base_items: list, stories: int, steps: Steps, execute, index_sql,
          fresh_index_sql, finish: bool = False) -> None:
    """The three steps on an empty archive at `archive_url`; `execute(sql)` runs one statement on a
    bulk connection; `index_sql()` lists the CREATE statements of the indexes (and triggers) to drop,
    `fresh_index_sql()` those of a new archive. `finish`: only step 3, on a build stopped in step 2."""
    from newsbrief.archive import Archive

    def add_base() -> None:
        with Archive(archive_url) as archive:
            t = time.perf_counter()
            for _, error in archive.add_many(base_items, per_transaction=500):
                if error is not None:
                    raise error
            steps.facts["base_archived_per_s"] = round(len(base_items) / (time.perf_counter() - t), 1)

    base = len(base_items)
    if finish:  # a build stopped during its copies: they are committed 20 at a time
        stories_now = int(execute("SELECT count(*) FROM stories", fetch=True))
        if stories_now % base:
            raise SystemExit(f"{stories_now} stories is not a whole number of copies of {base}")
        copies = stories_now // base
        creates = fresh_index_sql()
    else:
        steps("base (Archive.add_many)", add_base)
        copies = max(1, round(stories / base))
        creates = index_sql()
    quotes = int(execute(f"SELECT coalesce(max(pk), 0) FROM quotes WHERE story <= {base}", fetch=True))
    steps.facts.update(base=base, copies=copies, stories=base * copies, finished_early=finish)

    def drop() -> None:
        for name, kind, _ in creates:
            execute(f"DROP {kind} {name}")

    def copy() -> None:
        execute("CREATE TEMP TABLE copies (k INTEGER)")
        statements = copy_statements(dialect, base, quotes)
        for first in range(1, copies, PER_STATEMENT):
            execute("DELETE FROM copies")
            last = min(copies, first + PER_STATEMENT)
            execute("INSERT INTO copies (k) VALUES " + ", ".join(f"({k})" for k in range(first, last)))
            execute("BEGIN")
            for statement in statements:
                execute(statement)
            execute("COMMIT")
            print(f"  {min(copies, first + PER_STATEMENT) * base:,} stories, load {os.getloadavg()[0]:.1f}", flush=True)

    if not finish:
        steps("drop indexes and triggers", drop)
        steps("copies (INSERT ... SELECT)", copy)
    creates = [(name, kind, sql.replace(f"CREATE {kind} ", f"CREATE {kind} IF NOT EXISTS ", 1)) for name, kind, sql in creates]
    steps("indexes", lambda: [execute(sql) for _, _, sql in creates if not sql.upper().startswith("CREATE TRIGGER")])
    if dialect == "sqlite":
        steps("full-text indexes (FTS5 rebuild)", lambda: (execute("INSERT INTO stories_fts (stories_fts) VALUES ('rebuild')"),
                                                            execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild')")))
        steps("triggers", lambda: [execute(sql) for _, _, sql in creates if sql.upper().startswith("CREATE TRIGGER")])
    else:
        steps("identity sequences", lambda: (
            execute("SELECT setval(pg_get_serial_sequence('stories', 'pk'), (SELECT max(pk) FROM stories))", fetch=True),
            execute("SELECT setval(pg_get_serial_sequence('quotes', 'pk'), (SELECT max(pk) FROM quotes))", fetch=True)))

    def counts() -> None:
        execute("BEGIN")
        execute(f"UPDATE entities SET stories = stories * {copies}")
        execute(f"UPDATE cooccurrences SET stories = stories * {copies}")
        execute("DELETE FROM entity_days")
        execute("INSERT INTO entity_days (entity, day, stories) SELECT entity, coalesce(date, ''), count(DISTINCT story) "
                "FROM mentions GROUP BY entity, date")
        execute("COMMIT")

    steps("entity counts, entity_days", counts)
    # SQLite: statistics from a sample of each index (a full ANALYZE reads every index of a 5 GB file)
    steps("analyze", lambda: (execute("PRAGMA analysis_limit=1000") if dialect == "sqlite" else None, execute("ANALYZE")))


def sqlite_main(args, base_items, steps: Steps) -> None:
    import sqlite3

    target = Path(args.target)
    for suffix in ("", "-wal", "-shm") if not args.finish else ():
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    conn: sqlite3.Connection | None = None

    def execute(sql: str, fetch: bool = False):
        nonlocal conn
        if conn is None:
            conn = sqlite3.connect(target, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("PRAGMA cache_size=-2000000")  # 2 GB
            conn.execute("PRAGMA temp_store=FILE")
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if fetch else None

    def index_sql(of: sqlite3.Connection | None = None) -> list[tuple[str, str, str]]:
        execute("SELECT 1", fetch=True)
        return [(name, kind.upper(), sql) for name, kind, sql in (of or conn).execute(  # type: ignore[union-attr]
            "SELECT name, type, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
            "AND tbl_name NOT LIKE '%_fts%' ORDER BY type, name")]

    def fresh_index_sql() -> list[tuple[str, str, str]]:
        import tempfile

        from newsbrief.archive import Archive

        with tempfile.TemporaryDirectory() as tmp:
            Archive(Path(tmp) / "fresh.db").close()
            fresh = sqlite3.connect(Path(tmp) / "fresh.db")
            try:
                return index_sql(fresh)
            finally:
                fresh.close()

    build(str(target), "sqlite", base_items, args.stories, steps, execute, index_sql, fresh_index_sql, args.finish)
    execute("PRAGMA wal_checkpoint(TRUNCATE)")
    from newsbrief.archive import schema

    size = target.stat().st_size
    steps.facts.update(bytes=size, bytes_per_story=round(size / steps.facts["stories"]), schema_version=schema.VERSION)
    steps.save()
    print(json.dumps(steps.facts))


# --- PostgreSQL: a cluster kept under --pg-dir ----------------------------------------------------------


def pg_command(pg_dir: Path, *args: str) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import _unprivileged_user, bindir

    command = [str(bindir() / args[0]), *args[1:]]
    user = _unprivileged_user()
    if user:
        command = ["runuser", "-u", user, "--", *command]
    subprocess.run(command, check=True, cwd=pg_dir)


def pg_start(pg_dir: Path, port: int) -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_server import SUPERUSER, _unprivileged_user

    data = pg_dir / "data"
    user = _unprivileged_user()
    if not data.exists():
        pg_dir.mkdir(parents=True, exist_ok=True)
        if user:
            entry = pwd.getpwnam(user)
            os.chown(pg_dir, entry.pw_uid, entry.pw_gid)
        pg_command(pg_dir, "initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C",
                   "--no-sync")
    options = (f"-p {port} -k {pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB "
               "-c max_wal_size=8GB -c checkpoint_timeout=30min")
    if not (data / "postmaster.pid").exists():
        pg_command(pg_dir, "pg_ctl", "-D", str(data), "-o", options, "-l", str(pg_dir / "server.log"), "-w", "-t", "120",
                   "start")
    return f"postgresql://{SUPERUSER}@127.0.0.1:{port}"


def postgres_main(args, base_items, steps: Steps) -> None:
    import psycopg

    server = pg_start(Path(args.pg_dir), args.port)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if not args.finish:
            admin.execute(f"DROP DATABASE IF EXISTS {args.database}")
            admin.execute(f"CREATE DATABASE {args.database}")
        admin.execute("DROP DATABASE IF EXISTS archive_fresh")
        admin.execute("CREATE DATABASE archive_fresh")
    url = f"{server}/{args.database}"
    conn = psycopg.connect(url, autocommit=True)

    def execute(sql: str, fetch: bool = False):
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if fetch else None

    def index_sql(of=None) -> list[tuple[str, str, str]]:
        rows = (of or conn).execute("SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
                                    "ORDER BY i.indexname").fetchall()
        return [(name, "INDEX", sql) for name, sql in rows]

    def fresh_index_sql() -> list[tuple[str, str, str]]:
        from newsbrief.archive import Archive

        Archive(f"{server}/archive_fresh").close()
        with psycopg.connect(f"{server}/archive_fresh", autocommit=True) as fresh:
            return index_sql(fresh)

    build(url, "postgresql", base_items, args.stories, steps, execute, index_sql, fresh_index_sql, args.finish)
    size = int(execute("SELECT pg_database_size(current_database())", fetch=True))
    from newsbrief.archive import schema

    steps.facts.update(url=url, bytes=size, bytes_per_story=round(size / steps.facts["stories"]),
                       schema_version=schema.VERSION)
    steps.save()
    conn.close()
    print(json.dumps(steps.facts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--briefs", help="briefs of the validation set made with --facts")
    parser.add_argument("--base", type=int, help="use only the first N briefs as the base")
    parser.add_argument("--stories", type=int, default=1_000_000, help="stories wanted (rounded to whole copies)")
    parser.add_argument("--target", help="the SQLite archive to write (replaced)")
    parser.add_argument("--pg-dir", help="build in PostgreSQL: the cluster's directory (made when missing)")
    parser.add_argument("--port", type=int, default=55432, help="the cluster's loopback port")
    parser.add_argument("--database", default="archive_1m")
    parser.add_argument("--stop", action="store_true", help="stop the cluster under --pg-dir")
    parser.add_argument("--finish", action="store_true",
                        help="finish a build stopped during its copies (indexes, full text, counts) at the size it reached")
    args = parser.parse_args()
    if args.stop:
        pg_command(Path(args.pg_dir), "pg_ctl", "-D", str(Path(args.pg_dir) / "data"), "-m", "fast", "-w", "stop")
        return
    if not args.briefs or bool(args.target) == bool(args.pg_dir):
        parser.error("give --briefs and one of --target (SQLite) or --pg-dir (PostgreSQL)")
    random.seed(0)
    base_items = load_base(Path(args.briefs), args.base)
    record = Path(f"{args.target}.build.json") if args.target else Path(args.pg_dir) / "build.json"
    if args.finish:
        record = record.with_suffix(".finish.json")
    steps = Steps(record, dialect="sqlite" if args.target else "postgresql", load_at_start=os.getloadavg()[0])
    if args.target:
        sqlite_main(args, base_items, steps)
    else:
        postgres_main(args, base_items, steps)


if __name__ == "__main__":
    main()

"""Grow an archive to N stories by copies of its stories made in SQL, for the page's render benchmark.

    .venv/bin/python bench/archive_copies.py out/validation-archive.db out/archive-big.db --stories 1000000

The copies are bench/archive_bench.py's (`replicate`: every table copied with new pks, ids "id~k" and
dates over 2010-2025, entities shared), made on a copy of an archive already built (by
bench/page_screenshots.py, from the validation set's briefs) rather than from the briefs; each copy is
committed, so the archive can be used at whatever size the run has reached when it is stopped, after
`--finish` has set the entities' story counts."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def finish(archive) -> None:
    """Each entity's story count, as adding the copies one by one would have left it."""
    archive.db.execute("UPDATE entities SET stories = (SELECT count(DISTINCT story) FROM mentions WHERE entity = entities.pk)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="the archive to copy from (left as it is)")
    parser.add_argument("target", help="the archive to write")
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--finish", action="store_true", help="only set the entities' story counts of TARGET")
    args = parser.parse_args()

    from archive_bench import replicate
    from newsbrief.archive import Archive

    if not args.finish:
        shutil.copyfile(args.source, args.target)
    with Archive(args.target) as archive:
        base = archive.count()
        quotes = archive.db.value("SELECT coalesce(max(pk), 0) FROM quotes")
        started, k = time.perf_counter(), 1
        while not args.finish and base * k < args.stories:
            replicate(archive, base, quotes, k)
            k += 1
            if k % 10 == 0:
                print(f"{archive.count():,} stories, {time.perf_counter() - started:.0f} s", flush=True)
        finish(archive)
        print(f"{args.target}: {archive.count():,} stories, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

"""Facts speed on published text, this checkout against another one, side by side in one run.

    git worktree add ../nb-old 70339dc                      # the code to compare against
    .venv/bin/python bench/facts_speed.py --against ../nb-old --rounds 3

Each round times `extract_facts_many` (one process, spaCy batches of 16) over the cased published
stories of ../shared/data/cnndm/validation-cased.jsonl.gz in a fresh subprocess per checkout, the two
alternating, so both see the same machine load; segmentation is outside the timing. A batch the code
crashes on is timed again story by story without the story it crashes on. Reports the median stories
per wall-clock second and per CPU-second (the steadier figure on a shared machine).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / ".." / "shared" / "data" / "cnndm" / "validation-cased.jsonl.gz"


def _child(src: str, limit: int) -> None:
    """Time the facts of the checkout whose sources are at `src`; print JSON."""
    sys.path.insert(0, src)
    from newsbrief.document import segment
    from newsbrief.facts import extract_facts, extract_facts_many

    with gzip.open(ARTICLES, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f][:limit]
    docs = [segment(r["article"], id=r["id"]) for r in records]
    list(extract_facts_many(docs[:5]))  # warm up: model load, lazy imports, the gazetteer
    done = failed = 0
    wall = cpu = 0.0
    for i in range(0, len(docs), 16):  # spaCy's batch size; a batch that crashes is redone story by story
        chunk = docs[i : i + 16]
        w, c = time.perf_counter(), time.process_time()
        try:
            done += len(list(extract_facts_many(chunk)))
        except Exception:  # older code crashes on some stories (issue 12's IndexError): time the others
            w, c = time.perf_counter(), time.process_time()
            for doc in chunk:
                try:
                    extract_facts(doc)
                    done += 1
                except Exception:
                    failed += 1
        wall, cpu = wall + time.perf_counter() - w, cpu + time.process_time() - c
    print(json.dumps({"stories": done, "failed": failed, "wall": wall, "cpu": cpu}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, required=True, help="another checkout of newsbrief (its src/ is timed)")
    ap.add_argument("--stories", type=int, default=267, help="published stories to time (at most 267)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.stories)
        return 0
    checkouts = {"this checkout": ROOT / "src", f"{args.against.name}": args.against.resolve() / "src"}
    runs: dict[str, list[dict]] = {name: [] for name in checkouts}
    for _ in range(args.rounds):
        for name, src in checkouts.items():
            out = subprocess.run(
                [sys.executable, __file__, "--against", str(args.against), "--stories", str(args.stories), "--child", str(src)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"facts on {args.stories} published stories, {args.rounds} alternating rounds (median):\n")
    print("| code | stories/s | stories per CPU-second | stories it crashed on |")
    print("| --- | ---: | ---: | ---: |")
    for name, rs in runs.items():
        wall = statistics.median(r["stories"] / r["wall"] for r in rs)
        cpu = statistics.median(r["stories"] / r["cpu"] for r in rs)
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {rs[0]['failed']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

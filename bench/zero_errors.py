"""Every story of the shared sets through `newsbrief batch --facts`: how many error records?

    nice -n 10 .venv/bin/python bench/zero_errors.py                 # all three sets
    nice -n 10 .venv/bin/python bench/zero_errors.py --sets cased    # one set

Runs the real command line on ../shared/data (English validation, the cased validation set, the French
OrangeSum validation set); writes the outputs to a temporary directory, prints one markdown row per set
with its records, error records and the error types, and the first few error messages.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SETS = {
    "validation": DATA / "cnndm" / "validation.jsonl.gz",
    "cased": DATA / "cnndm" / "validation-cased.jsonl.gz",
    "orangesum": DATA / "orangesum" / "validation.jsonl.gz",
}


def run(name: str, path: Path, out_dir: Path, workers: int) -> dict:
    output = out_dir / f"{name}.jsonl"
    command = [sys.executable, "-m", "newsbrief", "batch", str(path), "-o", str(output), "--facts",
               "--progress", "off", "--workers", str(workers)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name}: batch exited {done.returncode}: {done.stderr.strip()}")
    records = errors = facts_failed = 0
    kinds: collections.Counter = collections.Counter()
    examples = []
    with open(output, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            records += 1
            if "error" in record:
                errors += 1
                kinds[record["error"]["type"]] += 1
                if len(examples) < 5:
                    examples.append(f"{record['id']}: {record['error']['message']}")
            elif "facts_error" in record:  # highlights kept, facts lost: counted apart, still not zero
                facts_failed += 1
                kinds["facts:" + record["facts_error"]["type"]] += 1
                if len(examples) < 5:
                    examples.append(f"{record['id']} (facts): {record['facts_error']['message']}")
    return {"set": name, "records": records, "errors": errors, "facts_failed": facts_failed,
            "kinds": dict(kinds), "examples": examples, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            row = run(name, SETS[name], Path(tmp), args.workers)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print("| set | records | error records | facts failed | seconds |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['set']} | {r['records']:,} | {r['errors']} | {r['facts_failed']} | {r['seconds']:.0f} |")
    for r in rows:
        for example in r["examples"]:
            print(f"- {r['set']}: {example}")


if __name__ == "__main__":
    main()

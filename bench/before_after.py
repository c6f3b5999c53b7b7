"""The code now, side by side with an earlier checkout of it, in one run: validation ROUGE, batch
articles/s, cold start of `newsbrief highlights`, and the facts gold-set F1. Rounds alternate between the
two versions and figures are compared as ratios, because the machine is shared and noisy.

    git worktree add ../before 70339dc         # the code before issue 10's refactor
    .venv/bin/python bench/before_after.py ../before
    .venv/bin/python bench/before_after.py ../before --only batch --batch-data ../shared/data/cnndm/validation-cased.jsonl.gz \\
        --engines local --workers 1 --records 1068 --rounds 5      # published text, one worker

Both versions run on this venv's Python, each from its own `src/` (PYTHONPATH), as `python -m newsbrief`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VALIDATION = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"


def run(version: Path, *argv: str) -> subprocess.CompletedProcess:
    """`newsbrief ARGV` from `version`'s code; `.cpu` is the CPU seconds it and its workers spent."""
    env = {**os.environ, "PYTHONPATH": str(version / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "newsbrief", *argv], env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"{version}: newsbrief {' '.join(argv)} failed:\n{proc.stderr}")
    proc.cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime  # type: ignore[attr-defined]
    return proc


def rouge(versions: dict[str, Path], limit: int | None, workers: int) -> list[str]:
    rows = ["| model | version | R1 | R2 | RLsum | documents |", "|---|---|---|---|---|---|"]
    for model in ("rerank", "fast"):
        for label, version in versions.items():
            argv = ["eval", str(VALIDATION), "--model", model, "--json", "--workers", str(workers)]
            report = json.loads(run(version, *argv, *(["--limit", str(limit)] if limit else [])).stdout)
            for m in report["models"]:
                if m["model"] == model or model == "rerank":  # lead comes with each run; show it once
                    scores = " | ".join(f"{m[k]:.2f}" for k in ("R1", "R2", "RLsum"))
                    rows.append(f"| {m['model']} | {label} | {scores} | {m['documents']:,} |")
    return rows


def batch(versions: dict[str, Path], records: int, rounds: int, workers: int, source: Path = VALIDATION,
          engines: tuple[str, ...] = ("local", "dask")) -> list[str]:
    tmp = Path(tempfile.mkdtemp(prefix="before_after_"))
    data = tmp / "input.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    with open(data, "w", encoding="utf-8") as out:  # the source's records again and again, when it has fewer
        out.writelines(lines[n % len(lines)] for n in range(records))
    rows = ["| engine | version | articles/s, each round | median | ratio to before | CPU ms an article (whole run) | ratio |",
            "|---|---|---|---|---|---|---|"]
    for engine in engines:
        rates: dict[str, list[float]] = {label: [] for label in versions}
        cpu: dict[str, list[float]] = {label: [] for label in versions}
        outputs: dict[str, bytes] = {}
        for k in range(rounds):
            order = list(versions.items()) if k % 2 == 0 else list(versions.items())[::-1]
            for label, version in order:
                output = tmp / f"{label}-{engine}.jsonl"
                output.unlink(missing_ok=True)
                proc = run(version, "batch", str(data), "-o", str(output), "--workers", str(workers), "--engine", engine,
                           "--progress", "off")
                rates[label].append(float(re.search(r"\(([\d,.]+) articles/s", proc.stderr).group(1).replace(",", "")))
                cpu[label].append(proc.cpu * 1000 / records)
                outputs[label] = output.read_bytes()
        medians = {label: statistics.median(r) for label, r in rates.items()}
        cpus = {label: statistics.median(c) for label, c in cpu.items()}
        first, first_cpu = next(iter(medians.values())), next(iter(cpus.values()))
        for label, r in rates.items():
            rows.append(f"| {engine} | {label} | {', '.join(f'{x:.0f}' for x in r)} | {medians[label]:.0f} | "
                        f"{medians[label] / first:.2f} | {cpus[label]:.1f} | {cpus[label] / first_cpu:.2f} |")
        same = len(set(outputs.values())) == 1
        rows.append(f"| {engine} | outputs byte-identical | **{same}** | | | | |")
    return rows


def cold_start(versions: dict[str, Path], rounds: int) -> list[str]:
    article = str(ROOT / "examples" / "article.txt")
    times: dict[str, list[float]] = {label: [] for label in versions}
    outputs: dict[str, str] = {}
    for k in range(rounds):
        order = list(versions.items()) if k % 2 == 0 else list(versions.items())[::-1]
        for label, version in order:
            started = time.perf_counter()
            outputs[label] = run(version, "highlights", article, "--format", "json").stdout
            times[label].append(time.perf_counter() - started)
    medians = {label: statistics.median(t) for label, t in times.items()}
    first = next(iter(medians.values()))
    rows = ["| version | seconds, median of rounds | ratio to before |", "|---|---|---|"]
    rows += [f"| {label} | {medians[label]:.2f} | {medians[label] / first:.2f} |" for label in versions]
    rows.append(f"| same brief JSON | **{len(set(outputs.values())) == 1}** | |")
    return rows


def facts(versions: dict[str, Path]) -> list[str]:
    tables = {}
    for label, version in versions.items():
        with tempfile.NamedTemporaryFile(suffix=".json") as f:
            proc = subprocess.run([sys.executable, str(version / "bench" / "facts_bench.py"), "--speed", "0", "--json", f.name],
                                  capture_output=True, text=True)
            if proc.returncode:
                raise SystemExit(f"{version}: facts_bench failed:\n{proc.stderr}")
            tables[label] = json.loads(Path(f.name).read_text())
    labels = list(versions)
    same = tables[labels[0]] == tables[labels[1]]
    return [f"facts gold-set figures (every P/R/F1 of `bench/facts_bench.py --speed 0 --json`) identical: **{same}**"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path, help="a checkout of the earlier code")
    ap.add_argument("--limit", type=int, default=None, help="validation records for ROUGE (default: all 4,368)")
    ap.add_argument("--records", type=int, default=1000, help="records per batch run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=("rouge", "batch", "cold", "facts"), action="append")
    ap.add_argument("--batch-data", type=Path, default=VALIDATION,
                    help="the JSONL.gz the batch runs read (its records repeated up to --records)")
    ap.add_argument("--engines", nargs="+", default=["local", "dask"], choices=("local", "dask"))
    args = ap.parse_args()
    versions = {"before": args.before.resolve(), "after": ROOT}
    parts = args.only or ["cold", "facts", "batch", "rouge"]
    for part in parts:
        if part == "rouge":
            rows = rouge(versions, args.limit, args.workers)
        elif part == "batch":
            rows = batch(versions, args.records, args.rounds, args.workers, args.batch_data, tuple(args.engines))
        elif part == "cold":
            rows = cold_start(versions, 2 * args.rounds + 1)
        else:
            rows = facts(versions)
        print(f"\n## {part}\n" + "\n".join(rows), flush=True)


if __name__ == "__main__":
    main()

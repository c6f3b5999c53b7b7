"""Batch benchmark: local engine 1 vs 2 workers, Dask LocalCluster of 2 workers, memory per worker, and
kill -9 / --resume. Every configuration runs side by side in one process run, alternating, so that the
load other jobs put on the machine hits them alike; the best of the rounds is reported.

    .venv/bin/python bench/batch_bench.py                       # everything, markdown rows on stdout
    .venv/bin/python bench/batch_bench.py --only speed --html 2000   # + 2,000 HTML pages

Inputs are built in a temporary directory from ../shared/data/cnndm (repeated and re-id'd), never
copied into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "cnndm"


def make_jsonl(path: Path, n: int, source: str = "validation") -> Path:
    """n records from the corpus, repeated as needed, each with a fresh id so ids stay unique."""
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < n:
            with gzip.open(DATA / f"{source}.jsonl.gz", "rt", encoding="utf-8") as f:
                for line in f:
                    r = json.loads(line)
                    r["id"] = f"r{written:08d}"
                    out.write(json.dumps(r, ensure_ascii=False) + "\n")
                    written += 1
                    if written == n:
                        break
    return path


def make_html(folder: Path, jsonl: Path, n: int) -> Path:
    """n web pages (title, nav, article paragraphs, footer): the extraction dominates the cost."""
    folder.mkdir()
    with open(jsonl, encoding="utf-8") as f:
        for i, line in zip(range(n), f):
            r = json.loads(line)
            paras = "".join(f"<p>{html.escape(s)}</p>\n" for s in r["article"].splitlines())
            page = (
                f"<!doctype html><html><head><title>Story {i}</title></head><body>"
                "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
                f"<article><h1>Story {i}</h1>{paras}</article><footer>© News Ltd. All rights reserved.</footer>"
                "</body></html>"
            )
            (folder / f"{i:06d}.html").write_text(page, encoding="utf-8")
    return folder


def _spin(n: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t


def parallel_capacity(n: int = 5_000_000) -> float:
    """What 2 processes of pure CPU get over 1 right now: the ceiling for any 2-worker speed-up while
    other jobs share the machine (2.0 on 2 idle cores)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [1000, 1000]))  # start both
        one = _spin(n) + _spin(n)
        t = time.perf_counter()
        list(pool.map(_spin, [n, n]))
        return one / (time.perf_counter() - t)


def speed(inp: Path, tmp: Path, label: str, rounds: int, model: str, facts: bool, chunk: int) -> list[str]:
    configs = [("local", 1), ("local", 2), ("dask", 2)]
    best: dict = {}
    outputs: dict = {}
    capacity = []
    for r in range(rounds):
        capacity.append(parallel_capacity())
        print(f"  parallel capacity of the machine now: {capacity[-1]:.2f}×", file=sys.stderr, flush=True)
        for engine, workers in configs:
            out = tmp / f"{label}-{engine}-{workers}-{r}.jsonl"
            s = run_fresh(inp, out, model, workers=workers, engine=engine, facts=facts, chunk=chunk)
            rss = s["workers"]
            row = dict(rate=s["rate"], seconds=s["seconds"], wall=s["wall"], records=s["records"], errors=s["errors"],
                       rss_first=rss[0] // 1024, rss_last=max(rss) // 1024, load=os.getloadavg()[0],
                       cpu_ms=1000 * s["cpu"] / s["records"])
            print(f"  {label} {engine} x{workers} round {r + 1}: {row}", file=sys.stderr, flush=True)
            if (engine, workers) not in best or row["rate"] > best[engine, workers]["rate"]:
                best[engine, workers] = row
            outputs.setdefault((engine, workers), out.read_bytes())
            out.unlink()
    same = len(set(outputs.values())) == 1
    base = best["local", 1]["rate"]
    local2 = best["local", 2]["rate"]
    rows = []
    for (engine, workers), row in best.items():
        cmd = f"newsbrief batch {label} -o out.jsonl --model {model}{' --facts' if facts else ''} --workers {workers}"
        cmd += f" --chunk-size {chunk}" if chunk != 250 else ""
        cmd += " --engine dask" if engine == "dask" else ""
        ratio = f"{row['rate'] / base:.2f}× 1 worker"
        if engine == "dask":
            ratio += f", {row['rate'] / local2:.0%} of local ×2"
        rows.append(
            f"| {label} | `{cmd}` | {row['records']:,} | {row['seconds']:.1f} s ({row['wall']:.1f} s with start-up) "
            f"| {row['rate']:,.0f}/s | {ratio} | {row['cpu_ms']:.2f} ms | {row['rss_first']} → {row['rss_last']} MiB "
            f"| {row['load']:.1f} |"
        )
    rows.append(f"| {label} | outputs of the three configurations byte-identical: **{same}**; 2 processes of pure "
                f"CPU got {', '.join(f'{c:.2f}×' for c in capacity)} of 1 in the same rounds | | | | | | | |")
    return rows


_RUN = """
import json, resource, sys, time
from newsbrief.batch import run_batch
from newsbrief.options import BriefOptions
inp, out, model, workers, engine, facts, chunk = sys.argv[1:]
t = time.perf_counter()
s = run_batch(inp, out, options=BriefOptions(model=model, facts=facts == "1"), workers=int(workers), engine=engine,
              progress="off", chunk_records=int(chunk))
print(json.dumps({"client": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "workers": s.worker_rss_kib,
                  "rate": s.rate, "seconds": s.seconds, "wall": time.perf_counter() - t, "records": s.records,
                  "errors": s.errors, "cpu": s.cpu}))
"""


def run_fresh(inp: Path, out: Path, model: str, workers: int = 2, engine: str = "local", facts: bool = False,
              chunk: int = 250) -> dict:
    """One batch in a new process, as the command line would run it: no cache warmed by an earlier run
    (the HTML extractor's caches would otherwise favour whichever configuration ran in this process)."""
    args = [str(inp), str(out), model, str(workers), engine, "1" if facts else "0", str(chunk)]
    proc = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def memory(tmp: Path, sizes: list[int], model: str) -> list[str]:
    """Peak RSS of the client and of each worker on a small and an 8× larger input: flat if equal."""
    rows = []
    for n in sizes:
        inp = make_jsonl(tmp / f"mem{n}.jsonl", n, "train")
        m = run_fresh(inp, tmp / "mem.jsonl", model)
        w = [k // 1024 for k in m["workers"]]
        rows.append(
            f"| {n:,} records ({inp.stat().st_size / 2**20:,.0f} MiB JSONL) | `newsbrief batch mem.jsonl -o out.jsonl "
            f"--model {model} --workers 2` | {m['client'] // 1024} MiB | {w[0]} MiB | {max(w)} MiB | {m['rate']:,.0f}/s |"
        )
        inp.unlink()
    return rows


def _merged(state: Path) -> int:
    try:
        s = json.loads(state.read_text())
        return s["ok"] + s["errors"]
    except (OSError, ValueError):
        return 0


def resume(tmp: Path, n: int, kills: int, model: str, seed: int) -> list[str]:
    inp = make_jsonl(tmp / f"resume{n}.jsonl", n)
    ref, out = tmp / "ref.jsonl", tmp / "killed.jsonl"
    base = [sys.executable, "-m", "newsbrief", "batch", str(inp), "--model", model, "--workers", "2", "--progress", "off"]
    subprocess.run(base + ["-o", str(ref)], check=True, stderr=subprocess.DEVNULL)
    rng = random.Random(seed)
    # Random points spread over the run: once the merged output passes a random record count, wait a
    # random fraction of a second more (so the kill lands mid-chunk, mid-write), then kill -9.
    targets = sorted(rng.randrange(n // 20, n * 19 // 20) for _ in range(kills))
    state = tmp / "killed.jsonl.job" / "state.json"
    log = []
    for target in targets:
        proc = subprocess.Popen(base + ["-o", str(out), "--resume"], stderr=subprocess.DEVNULL)
        while proc.poll() is None and _merged(state) < target:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        log.append(f"{_merged(state):,}")
    proc = subprocess.run(base + ["-o", str(out), "--resume"], capture_output=True, text=True)
    got = out.read_bytes()
    ids = [json.loads(l)["id"] for l in got.splitlines()]
    return [
        f"| {n:,} records, `--workers 2`, kill -9 {kills}× at random points (seed {seed}) then `--resume` "
        f"| records merged when killed: {', '.join(log)} | lines: {len(ids):,} "
        f"| unique ids: {len(set(ids)) == len(ids)}, in order: {ids == sorted(ids)} "
        f"| byte-identical to an uninterrupted run: **{got == ref.read_bytes()}** | exit {proc.returncode} |"
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", choices=("speed", "memory", "resume"), action="append")
    p.add_argument("--records", type=int, default=10_000)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--model", default="lead")
    p.add_argument("--facts", action="store_true", help="also brief facts (a heavier per-article cost)")
    p.add_argument("--chunk-size", type=int, default=250, help="records per chunk (smaller for a costly model)")
    p.add_argument("--html", type=int, default=0, metavar="N",
                   help="also N of the articles as a folder of HTML pages (extraction makes each costlier)")
    p.add_argument("--memory-records", type=int, nargs="+", default=[5_000, 40_000])
    args = p.parse_args()
    parts = args.only or ["speed", "memory", "resume"]
    print(f"cores: {len(os.sched_getaffinity(0))}, load before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="nb-bench-") as d:
        tmp = Path(d)
        if "speed" in parts:
            inp = make_jsonl(tmp / f"articles{args.records}.jsonl", args.records)
            print("| input | command | records | time | rate | speed-up | CPU per article (all processes, after start-up) "
                  "| worker RSS first → peak | load |")
            print("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
            for row in speed(inp, tmp, f"{args.records:,} JSONL records", args.rounds, args.model, args.facts, args.chunk_size):
                print(row, flush=True)
            if args.html:
                folder = make_html(tmp / "pages", inp, args.html)
                for row in speed(folder, tmp, f"{args.html:,} HTML pages", args.rounds, args.model, args.facts, args.chunk_size):
                    print(row, flush=True)
        if "memory" in parts:
            print("\n| input | command | client peak RSS | worker RSS after its first chunk | worker peak RSS | rate |")
            print("| --- | --- | ---: | ---: | ---: | ---: |")
            for row in memory(tmp, args.memory_records, args.model):
                print(row, flush=True)
        if "resume" in parts:
            print("\n| run | kills | lines | ids | output | |\n| --- | --- | --- | --- | --- | --- |")
            for row in resume(tmp, 20_000, 5, args.model, seed=3):
                print(row, flush=True)


if __name__ == "__main__":
    main()

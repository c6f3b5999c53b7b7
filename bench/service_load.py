"""Load benchmark of `newsbrief serve` on loopback: latency percentiles, errors and server memory.

    .venv/bin/python bench/service_load.py --requests 2000 --concurrency 10 50 --workers 2

Starts the server as a subprocess on a free 127.0.0.1 port, sends a bounded number of requests with
realistic 600–900-word articles (validation articles from ../shared, re-cased and set in paragraphs so
that the sentence segmenter runs as on a real story), and stops the server. Only loopback traffic.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"


def articles(path: Path, n: int, lo: int = 600, hi: int = 900) -> list[str]:
    """`n` validation articles of lo–hi words, as a person would paste them: cased, in paragraphs."""
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            words = len(record["article"].split())
            if not lo <= words <= hi:
                continue
            sentences = [s.strip() for s in record["article"].split("\n") if s.strip()]
            sentences = [s[:1].upper() + s[1:] for s in sentences]
            sentences = [re.sub(r"\bi\b", "I", s) for s in sentences]
            paragraphs = [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
            out.append("\n\n".join(paragraphs))
            if len(out) == n:
                break
    if not out:
        sys.exit(f"no {lo}–{hi}-word articles in {path}")
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (uvicorn workers), in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


async def load(url: str, texts: list[str], requests: int, concurrency: int, timeout: float) -> dict:
    latencies, busy_latencies, statuses, failures = [], [], {}, {}
    next_index = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal next_index
        while next_index < requests:  # bounded: exactly `requests` requests in all
            i = next_index
            next_index += 1
            started = time.perf_counter()
            try:
                r = await client.post(f"{url}/v1/brief", json={"text": texts[i % len(texts)], "count": 3})
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                if r.status_code == 503:
                    busy_latencies.append(time.perf_counter() - started)
                    latencies.append(time.perf_counter() - started)
                    # A well-behaved client waits as told before its next request.
                    await asyncio.sleep(float(r.headers.get("retry-after", "1")))
                    continue
            except httpx.HTTPError as e:
                failures[type(e).__name__] = failures.get(type(e).__name__, 0) + 1
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
    wall = time.perf_counter() - started
    ok = statuses.get(200, 0)
    return {
        "requests": requests, "concurrency": concurrency, "seconds": round(wall, 2),
        "throughput_rps": round(requests / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p90_ms": round(percentile(latencies, 90) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1), "max_ms": round(max(latencies) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
        "ok": ok, "status": {str(k): v for k, v in sorted(statuses.items())}, "client_errors": failures,
        "errors": requests - ok,
        # How fast the server says "busy": the point of a bounded queue is that this stays small.
        "busy_p50_ms": round(percentile(busy_latencies, 50) * 1000, 1) if busy_latencies else None,
    }


class MemorySampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self):
        while not self.stop.wait(0.5):
            self.peak = max(self.peak, tree_rss_mb(self.pid))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000, help="requests per concurrency level (default: 2000)")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[10, 50], help="concurrent clients (default: 10 50)")
    ap.add_argument("--workers", type=int, default=2, help="server model workers (default: 2, one per core)")
    ap.add_argument("--queue", type=int, default=64, help="server queue (default: 64)")
    ap.add_argument("--server-timeout", type=float, default=30.0, help="server time limit per request (default: 30)")
    ap.add_argument("--model", default=None, help="highlights model (default: the package default)")
    ap.add_argument("--articles", type=int, default=50, help="distinct articles to cycle through (default: 50)")
    ap.add_argument("--data", type=Path, default=DATA, help="CNN/DailyMail validation JSONL.gz")
    ap.add_argument("--client-timeout", type=float, default=60.0, help="seconds before the client gives up")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here as JSON")
    args = ap.parse_args()

    texts = articles(args.data, args.articles)
    words = [len(t.split()) for t in texts]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "newsbrief", "serve", "--port", str(port), "--workers", str(args.workers),
               "--queue", str(args.queue), "--timeout", str(args.server_timeout),
               "--log-level", "warning"]
    if args.model:
        command += ["--model", args.model]
    log = tempfile.NamedTemporaryFile("w+", prefix="newsbrief-serve-", suffix=".log", delete=False)
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    results = {"command": " ".join(["bench/service_load.py", *sys.argv[1:]]), "levels": []}
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                health = httpx.get(f"{url}/healthz", timeout=1).json()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit(f"the server did not start:\n{log.read()[-3000:]}")
                time.sleep(0.3)
        # Warm every worker (connections land on workers at random) before measuring memory.
        asyncio.run(load(url, texts, 20 * args.workers, 2 * args.workers, args.client_timeout))
        results.update({
            "model": health["model"], "workers": args.workers, "queue": args.queue,
            "articles": len(texts), "words_min": min(words), "words_max": max(words),
            "words_mean": round(statistics.fmean(words)), "cpus": os.cpu_count(), "python": platform.python_version(),
        })
        print(f"server: model {health['model']}, {args.workers} worker process(es), queue {args.queue}; "
              f"{len(texts)} articles of {min(words)}–{max(words)} words", flush=True)
        for concurrency in args.concurrency:
            before = tree_rss_mb(server.pid)
            sampler = MemorySampler(server.pid)
            sampler.start()
            level = asyncio.run(load(url, texts, args.requests, concurrency, args.client_timeout))
            sampler.stop.set()
            sampler.join()
            after = tree_rss_mb(server.pid)
            level.update({"rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
                          "rss_peak_mb": round(max(sampler.peak, after), 1)})
            results["levels"].append(level)
            print(json.dumps(level), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        os.unlink(log.name)

    print()
    print("| clients | requests | p50 ms | p90 ms | p99 ms | max ms | req/s | 200 | 503 (p50 ms) | other errors "
          "| RSS before → after (peak) MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results["levels"]:
        busy = r["status"].get("503", 0)
        other = r["errors"] - busy
        busy_ms = f" ({r['busy_p50_ms']:.0f})" if r["busy_p50_ms"] is not None else ""
        print(f"| {r['concurrency']} | {r['requests']} | {r['p50_ms']:.0f} | {r['p90_ms']:.0f} | {r['p99_ms']:.0f} | "
              f"{r['max_ms']:.0f} | {r['throughput_rps']} | {r['ok']} | {busy}{busy_ms} | {other} | "
              f"{r['rss_before_mb']:.0f} → {r['rss_after_mb']:.0f} ({r['rss_peak_mb']:.0f}) |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What reading an article by URL costs over reading its saved file: CPU milliseconds per page for
`read_file(PAGE)`, `read_url(URL)` as shipped (one TLS context for every fetch), and `read_url(URL)` with
a new TLS context per fetch (as the fetcher made one before), in interleaved rounds of one process.

    nice -n 10 .venv/bin/python bench/fetch_bench.py --pages 50 --rounds 3

The page is tests/fixtures/web/harbour.html, served by `python -m http.server` in a subprocess on
127.0.0.1 (so the server's CPU is not counted, and no traffic leaves the machine). CPU time is the
reading process's (user + system), which the machine's load does not inflate as it does wall time;
the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsbrief.ingest import fetch, read_file, read_url

PAGE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "web" / "harbour.html"


def cpu() -> float:
    t = os.times()
    return t.user + t.system


def serve(directory: str) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", directory],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server, port
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("the page server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=50, help="reads per way per round")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(PAGE, Path(d) / "harbour.html")
        server, port = serve(d)
        url = f"http://127.0.0.1:{port}/harbour.html"
        try:
            assert read_url(url, allow_private=True).text == read_file(PAGE).text  # and warms every import up

            def fresh_context():
                fetch._tls_context.cache_clear()
                return read_url(url, allow_private=True)

            ways = {"read_file (saved page)": lambda: read_file(PAGE),
                    "read_url (shipped: one TLS context)": lambda: read_url(url, allow_private=True),
                    "read_url (a TLS context per fetch)": fresh_context}
            spent = {name: 0.0 for name in ways}
            for _ in range(args.rounds):
                for name, way in ways.items():
                    started = cpu()
                    for _ in range(args.pages):
                        way()
                    spent[name] += cpu() - started
        finally:
            server.terminate()
            server.wait()
    n = args.pages * args.rounds
    print(f"{n} reads each, load average {os.getloadavg()[0]:.1f}")
    print("| way | CPU ms per page |\n| --- | --- |")
    for name, seconds in spent.items():
        print(f"| {name} | {1000 * seconds / n:.1f} |")


if __name__ == "__main__":
    main()

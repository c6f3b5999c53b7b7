"""The archive page's render time in Chromium: a results page, an entity's page and the map, on an archive
built by bench/archive_bench.py (or any archive), served by the real service in this process.

    .venv/bin/python bench/page_render.py ARCHIVE.db [--runs 10]

For each view it opens the view's address in a fresh page, waits until the page has drawn it and reads
two numbers from the browser: the view's own render (ui.js `timed`: from the API's answers in hand to the
next frame after the DOM is built, so style and layout count; for the entity page, drawn section by
section as answers come, the union of its sections' measures: tests/browser_support.py `render_ms`) and
the API time (the slowest of the view's /v1/archive requests, from the browser's resource timing). The
entity is the one named in the most stories (the biggest timeline, quote and co-occurrence lists); the
search word is one most stories hold.
A second table gives each of the views' requests apart (p50 and p99 of the browser's timing), to hold
against issue 13's targets (search and a timeline under 100 ms p99, a quote search under 200 ms).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import render_ms  # noqa: E402


def request_name(url: str) -> str:
    """/v1/archive/entities/42/timeline?per=month → "entities/{id}/timeline?per=month": one row per question."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/{id}", parts.path.removeprefix("/v1/archive/"))
    query = parse_qs(parts.query)
    keys = [k for k in ("per", "speaker_entity", "about", "place_entity", "q", "entity", "name") if k in query]
    return path + ("?" + "&".join(k if k in ("speaker_entity", "about", "q", "entity", "name") else f"{k}={query[k][0]}"
                                  for k in keys) if keys else "")


def measure(page, base: str, address: str, view: str, requests: dict | None = None) -> tuple[float, float]:
    page.goto("about:blank")
    page.goto(base + "/" + address)
    page.wait_for_selector(f"body[data-rendered='{view}']", state="attached", timeout=120_000)
    render = render_ms(page, view)  # a view drawn in parts (the entity page): the union of the parts' measures
    timings = page.evaluate("""performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/v1/archive/')).map((e) => [e.name, e.duration])""")
    if requests is not None:
        for url, ms in timings:
            requests[(view, request_name(url))].append(ms)
    return render, max(ms for _, ms in timings)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", help="a SQLite archive file or a postgresql:// URL")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--word", default="police", help="the search word (default: police)")
    args = parser.parse_args()

    from browser_support import launch_chromium
    from newsbrief.archive import Archive
    from newsbrief.service import Settings, create_app

    from service_support import live_server

    with Archive(args.archive) as archive:
        stories = archive.count()
        entity_id, entity_name, entity_stories = archive.db.rows(
            "SELECT pk, name, stories FROM entities ORDER BY stories DESC LIMIT 1")[0]
        found = archive.search(args.word, limit=1)
        hits = ("over " if found.get("total_is_lower_bound") else "") + f"{found['total']:,}"
        events = archive.event_places()["totals"]["events"]
    views = {
        f"results page (search “{args.word}”: {hits} stories)": (f"#/search?q={args.word}", "search"),
        f"entity page ({entity_name}: {entity_stories:,} stories)": (f"#/entity/{entity_id}", "entity"),
        f"map (all {events:,} events)": ("#/map", "map"),
    }
    print(f"archive {Path(args.archive).name}: {stories:,} stories; {args.runs} runs per view in Chromium\n")
    print("| view | render p50 ms | render max ms | API p50 ms | API max ms |\n| --- | ---: | ---: | ---: | ---: |")
    with live_server(create_app(Settings(workers=0, archive=args.archive))) as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: dict = defaultdict(list)
        for label, (address, view) in views.items():
            measure(page, base, address, view)  # once untimed: caches warm, as for a reader's second look
            renders, apis = zip(*(measure(page, base, address, view, requests) for _ in range(args.runs)))
            print(f"| {label} | {statistics.median(renders):.0f} | {max(renders):.0f} | "
                  f"{statistics.median(apis):.0f} | {max(apis):.0f} |", flush=True)
    print("\n| view | request (/v1/archive/…) | p50 ms | p99 ms |\n| --- | --- | ---: | ---: |")
    for (view, name), times in requests.items():
        print(f"| {view} | `{name}` | {statistics.median(times):.0f} | {p99(times):.0f} |")


if __name__ == "__main__":
    main()

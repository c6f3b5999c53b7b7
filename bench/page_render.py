"""The archive page's render time in Chromium: a results page, an entity's page and the map, on an archive
built by bench/archive_bench.py (or any archive), served by the real service in this process.

    .venv/bin/python bench/page_render.py ARCHIVE.db [--runs 10]

For each view it opens the view's address in a fresh page, waits until the page has drawn it and reads
two numbers from the browser: the view's own render (ui.js `timed`: from the API's answers in hand to the
next frame after the DOM is built, so style and layout count; for the entity page, drawn section by
section as answers come, the sum of its sections') and the API time (the slowest of the view's
/v1/archive requests, from the browser's resource timing). The entity is the one named in the most
stories (the biggest timeline, quote and co-occurrence lists); the search word is one most stories hold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def measure(page, base: str, address: str, view: str) -> tuple[float, float]:
    page.goto("about:blank")
    page.goto(base + "/" + address)
    page.wait_for_selector(f"body[data-rendered='{view}']", state="attached", timeout=120_000)
    # A view drawn in parts (the entity page) has a measure per part: their sum is its render.
    render = page.evaluate(f"performance.getEntriesByName('render:{view}').reduce((sum, e) => sum + e.duration, 0)")
    api = page.evaluate("""Math.max(...performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/v1/archive/')).map((e) => e.duration))""")
    return render, api


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
        hits = archive.search(args.word, limit=1)["total"]
        events = archive.event_places()["totals"]["events"]
    views = {
        f"results page (search “{args.word}”: {hits:,} stories)": (f"#/search?q={args.word}", "search"),
        f"entity page ({entity_name}: {entity_stories:,} stories)": (f"#/entity/{entity_id}", "entity"),
        f"map (all {events:,} events)": ("#/map", "map"),
    }
    print(f"archive {Path(args.archive).name}: {stories:,} stories; {args.runs} runs per view in Chromium\n")
    print("| view | render p50 ms | render max ms | API p50 ms | API max ms |\n| --- | ---: | ---: | ---: | ---: |")
    with live_server(create_app(Settings(workers=0, archive=args.archive))) as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for label, (address, view) in views.items():
            measure(page, base, address, view)  # once untimed: caches warm, as for a reader's second look
            renders, apis = zip(*(measure(page, base, address, view) for _ in range(args.runs)))
            print(f"| {label} | {statistics.median(renders):.0f} | {max(renders):.0f} | "
                  f"{statistics.median(apis):.0f} | {max(apis):.0f} |", flush=True)


if __name__ == "__main__":
    main()

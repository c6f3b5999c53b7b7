"""The README's screenshots of the archive page, from the shared validation set archived.

    .venv/bin/newsbrief batch ../shared/data/cnndm/validation.jsonl.gz -o out/validation-briefs.jsonl --facts
    .venv/bin/python bench/page_screenshots.py out/validation-briefs.jsonl out/validation-archive.db

Builds the archive (if the file does not exist yet) from the briefs and the stories' text, with the days
bench/archive_copies.py gives the base of its synthetic archive (spread over 2010-2025: the dataset has
none); then serves it and saves docs/archive-search.png, docs/archive-entity.png and docs/archive-map.png
from Chromium.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
DOCS = ROOT / "docs"


def build(briefs: Path, path: Path) -> None:
    from archive_copies import load_base
    from newsbrief.archive import Archive

    base = load_base(briefs, None)  # (brief, {text, source, date}): the big archive's base, the same days
    with Archive(path) as archive:
        for story, error in archive.add_many(base, per_transaction=500):
            if error is not None:
                raise SystemExit(f"story {story} was not stored: {error}")
        print(f"{archive.count():,} stories in {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("briefs", help="the validation set's briefs, made with --facts")
    parser.add_argument("archive", help="the archive file to build (kept if it exists)")
    parser.add_argument("--search", default="ISIS")
    parser.add_argument("--entity", default="david cameron")
    args = parser.parse_args()
    if not Path(args.archive).exists():
        build(Path(args.briefs), Path(args.archive))

    from browser_support import launch_chromium
    from newsbrief.archive import Archive
    from newsbrief.service import Settings, create_app

    from service_support import live_server

    with Archive(args.archive) as archive:
        entity = archive.entities(args.entity, limit=1)["items"][0]["id"]
    shots = {"archive-search": (f"#/search?q={args.search}", "search"), "archive-entity": (f"#/entity/{entity}", "entity"),
             "archive-map": ("#/map", "map")}
    with live_server(create_app(Settings(workers=0, archive=args.archive))) as base, launch_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        for name, (address, view) in shots.items():
            page.goto(base + "/" + address)
            page.wait_for_selector(f"body[data-rendered='{view}']", state="attached", timeout=120_000)
            page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)
            print(f"docs/{name}.png: {address}")


if __name__ == "__main__":
    main()

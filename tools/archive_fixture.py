"""Make the briefs of the browser tests' small archive: tests/fixtures/archive_page/stories.jsonl (stories
written for the tests: quotes by known speakers, entities across stories, casualty events in several
places and one story with no date) → briefs.jsonl, one brief with facts per story, carrying the `text`
and `date` the archive stores with it.

    .venv/bin/python tools/archive_fixture.py

The hostile story's entity "Omar Khalil" is renamed with markup in it: the extractor never returns such a
name from text, but an archive filled by other tools could hold one, and the page must show it as text.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsbrief.brief import make_brief
from newsbrief.ingest import read
from newsbrief.options import BriefOptions

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "archive_page"
HOSTILE_NAME = "Omar <img src=x onerror='window.__pwned = 4'> Khalil <script>window.__pwned = 5</script>"


def main() -> None:
    lines = []
    for line in (FIXTURES / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        doc = read(story["article"], id=story["id"], title=story["title"], date=story.get("date"))
        brief = make_brief(doc, BriefOptions(count=3, facts=True))
        if story["id"] == "hostile-1":
            for entity in brief["facts"]["entities"]:
                if entity["name"] == "Omar Khalil":
                    entity["name"] = HOSTILE_NAME
            for quote in brief["facts"]["quotes"]:
                if quote["speaker"] == "Omar Khalil":
                    quote["speaker"] = HOSTILE_NAME
        brief["text"] = doc.text
        brief["date"] = story.get("date")
        lines.append(json.dumps(brief, ensure_ascii=False, sort_keys=True))
    (FIXTURES / "briefs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

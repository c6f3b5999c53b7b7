"""The published-text facts gold set (bench/gold/published/): which stories, which half, and loading
them with their article text from ../shared, checking that every annotated offset holds.

    .venv/bin/python bench/published_gold.py candidates      # the selection ranking, best first
    .venv/bin/python bench/published_gold.py split           # write split.json from the ranking
    .venv/bin/python bench/published_gold.py check           # verify every annotated offset
    .venv/bin/python bench/published_gold.py show ID         # one article, 160 characters a line with offsets

Stories are chosen by `rank_candidates` (quote marks and casualty numbers, see GUIDELINES.md) and split
by `half_of` (a hash of the id); the articles are read from ../shared by id, never copied here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / ".." / "shared" / "data" / "cnndm" / "validation-cased.jsonl.gz"
GOLD = ROOT / "bench" / "gold" / "published"

# An opening quote mark: a curly opener, or a straight one at the start of a word.
_OPENING = re.compile(r"[“‘]|(?:^|(?<=[\s(\[—-]))[\"'](?=\w)")
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred|thousand|dozen)\b",
    re.IGNORECASE,
)
_CASUALTY = re.compile(
    r"\b(?:killed|killing|died|dead|deaths?|injured|injuring|wounded|wounding|injuries|fatalities|lives)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def load_articles() -> dict[str, str]:
    with gzip.open(ARTICLES, "rt", encoding="utf-8") as f:
        return {rec["id"]: rec["article"] for rec in map(json.loads, f)}


def selection_score(text: str) -> tuple[int, int]:
    """(opening quote marks, sentences with both a number and a casualty word) of one article: only a
    way to choose stories worth annotating, never an annotation."""
    tolls = sum(1 for s in _SENTENCE_END.split(text) if _NUMBER.search(s) and _CASUALTY.search(s))
    return len(_OPENING.findall(text)), tolls


def rank_candidates(articles: dict[str, str]) -> list[str]:
    """Ids by selection priority: every story with a toll hint first (most quote marks first), then the
    rest by quote marks; ties by id. The gold set takes this order from the top."""

    def key(story_id: str):
        quotes, tolls = selection_score(articles[story_id])
        return (tolls == 0, -quotes, story_id)

    return sorted(articles, key=key)


SELECTED = 80  # stories taken from the top of the ranking


def selected_split(articles: dict[str, str]) -> dict[str, list[str]]:
    """The gold set's stories by half: the top SELECTED of the ranking, split by `half_of`."""
    chosen = rank_candidates(articles)[:SELECTED]
    return {half: sorted(i for i in chosen if half_of(i) == half) for half in ("dev", "heldout")}


def half_of(story_id: str) -> str:
    """'dev' or 'heldout', from the first hex digit of the id's SHA-1 (even: dev)."""
    return "dev" if int(hashlib.sha1(story_id.encode()).hexdigest()[0], 16) % 2 == 0 else "heldout"


def load_gold(half: str | None = None) -> list[dict]:
    """The annotated stories (each file `<id>.json`), optionally one half, sorted by id."""
    split = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))
    ids = split["dev"] + split["heldout"] if half is None else split[half]
    stories = []
    for story_id in sorted(ids):
        story = json.loads((GOLD / f"{story_id}.json").read_text(encoding="utf-8"))
        story["half"] = "dev" if story_id in split["dev"] else "heldout"
        stories.append(story)
    return stories


def offset_errors(story: dict, text: str) -> list[str]:
    """Every annotated span whose offsets do not give its text in the article."""
    errors = []
    spans = [("quote", q["start"], q["end"], q["text"]) for q in story["quotes"]]
    spans += [("casualty", c["start"], c["end"], c["text"]) for c in story["casualties"]]
    spans += [(e["type"], s, t, m) for e in story["entities"] for m, (s, t) in zip(e["mentions"], e["spans"])]
    for kind, start, end, words in spans:
        if text[start:end] != words:
            errors.append(f"{story['id']}: {kind} [{start}:{end}] is {text[start:end]!r}, not {words!r}")
    return errors


def main(argv: list[str]) -> int:
    articles = load_articles()
    if argv[:1] == ["candidates"]:
        for rank, story_id in enumerate(rank_candidates(articles)):
            print(rank, story_id, half_of(story_id), *selection_score(articles[story_id]))
        return 0
    if argv[:1] == ["split"]:
        (GOLD / "split.json").write_text(json.dumps(selected_split(articles), indent=1) + "\n", encoding="utf-8")
        return 0
    if argv[:1] == ["show"] and len(argv) == 2:
        if argv[1] not in articles:
            print(f"no story {argv[1]!r} in {ARTICLES.name}", file=sys.stderr)
            return 2
        text = articles[argv[1]]
        print("\n".join(f"{at:5d} {text[at : at + 160]}" for at in range(0, len(text), 160)))
        return 0
    if argv[:1] == ["check"]:
        errors = [e for story in load_gold() for e in offset_errors(story, articles[story["id"]])]
        print("\n".join(errors) or "all offsets hold")
        return 1 if errors else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

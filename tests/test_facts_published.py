"""The published-text facts gold set and its scorer (bench/published_gold.py, bench/facts_published.py):
every annotated offset holds in the article, the halves are the documented split, and the scorer's
numbers on a small hand-made story are pinned."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import facts_published as fp  # noqa: E402
import published_gold  # noqa: E402

needs_shared = pytest.mark.skipif(not published_gold.ARTICLES.exists(), reason="../shared is not beside the repo")


@needs_shared
def test_every_annotated_offset_gives_its_text():
    articles = published_gold.load_articles()
    stories = published_gold.load_gold()
    assert len(stories) >= 42
    assert [e for s in stories for e in published_gold.offset_errors(s, articles[s["id"]])] == []


@needs_shared
def test_the_halves_are_the_hash_split_of_the_top_of_the_ranking():
    split = json.loads((published_gold.GOLD / "split.json").read_text(encoding="utf-8"))
    assert not set(split["dev"]) & set(split["heldout"])
    for half, ids in split.items():
        assert all(published_gold.half_of(i) == half for i in ids)
    ranked = published_gold.rank_candidates(published_gold.load_articles())[: published_gold.SELECTED]
    assert set(split["dev"]) | set(split["heldout"]) <= set(ranked)


def test_offset_errors_names_a_span_that_does_not_hold():
    story = {"id": "x", "quotes": [{"text": "abc", "start": 1, "end": 4}], "casualties": [], "entities": []}
    assert published_gold.offset_errors(story, "zabcz") == []
    assert published_gold.offset_errors(story, "zzabc") == ["x: quote [1:4] is 'zab', not 'abc'"]


# A story written for this test; offsets are found, not typed.
TEXT = (
    'Mayor Ann Lee said: "We will rebuild." Her son Tom Lee said: \'It was awful.\' '
    "A resident said the fire was 'like a war zone'. Two people were killed and 12 injured "
    "in Springfield, Acme Corp said."
)


def _span(words: str, marks: bool = False) -> tuple[int, int]:
    start = TEXT.index(words)
    return (start - 1, start + len(words) + 1) if marks else (start, start + len(words))


def _quote(words: str, speaker: dict) -> dict:
    start, end = _span(words)
    return {"text": words, "start": start, "end": end, "speaker": speaker}


STORY = {
    "id": "hand-made",
    "quotes": [
        _quote("We will rebuild.", {"name": "Ann Lee"}),
        _quote("It was awful.", {"name": "Tom Lee"}),
        _quote("like a war zone", {"name": "unnamed", "description": "a resident"}),
    ],
    "entities": [
        {"name": "Ann Lee", "type": "person", "mentions": ["Ann Lee"]},
        {"name": "Tom Lee", "type": "person", "mentions": ["Tom Lee"]},
        {"name": "Springfield", "type": "place", "mentions": ["Springfield"]},
        {"name": "Acme Corp", "type": "organization", "mentions": ["Acme Corp"]},
    ],
    "casualties": [{"kind": "killed", "number": 2}, {"kind": "injured", "number": 12}],
}


def test_scorer_numbers_on_a_hand_made_story():
    prediction = fp.Prediction(
        quotes=[
            (*_span("We will rebuild."), "Lee"),  # right span; "Lee" is both Ann and Tom: wrong speaker
            (*_span("It was awful.", marks=True), "Mr Tom Lee"),  # marks included, honorific: right
            (*_span("Two people were killed"), "Acme Corp"),  # narration, not a quote
        ],
        entities=[("person", ["Lee"]), ("person", ["Springfield"]), ("organization", ["the Acme Corp"])],
        casualties=[("killed", 2), ("killed", 2), ("injured", 12)],
    )
    scores = fp.new_scores()
    fp.score_story(STORY, prediction, scores)
    got = {m: (round(s.p, 3), round(s.r, 3), round(s.f1, 3)) for m, s in scores.items()}
    assert got == {
        "quote spans": (0.667, 0.667, 0.667),
        "quote -> speaker": (0.333, 0.333, 0.333),
        "people": (0.5, 1.0, 0.667),  # "Lee" names both people; "Springfield" is a place
        "organisations": (1.0, 1.0, 1.0),
        "places": (0.0, 0.0, 0.0),
        "casualty counts": (0.667, 1.0, 0.8),  # the toll restated is counted twice
    }


def test_names_are_compared_without_titles_possessives_or_hyphens():
    assert fp.norm("King Juan Carlos’s") == "juan carlos"
    assert fp.norm("the Lib-Dem.") == "lib dem"
    assert fp.norm("General Motors") == "general motors"


def test_quote_spans_match_when_the_overlap_is_half_of_each():
    assert fp.spans_match((0, 10), (5, 15))
    assert not fp.spans_match((0, 10), (6, 16))
    assert not fp.spans_match((0, 100), (0, 40))  # a prediction that swallows narration around a quote
    assert fp.match_quotes([(0, 10), (0, 9)], [(0, 10)]) == {0: 0}


def test_speaker_rule_for_surnames_and_unnamed_speakers():
    unnamed = {"name": "unnamed", "description": "a resident"}
    assert fp.speaker_matches("resident", unnamed, STORY)
    assert fp.speaker_matches("unnamed", unnamed, STORY)
    assert not fp.speaker_matches("Ann Lee", unnamed, STORY)
    assert not fp.speaker_matches("Lee", {"name": "Ann Lee"}, STORY)
    alone = {**STORY, "entities": STORY["entities"][:1]}
    assert fp.speaker_matches("Lee", {"name": "Ann Lee"}, alone)
    assert not fp.speaker_matches("Twitter", {"name": "Ann Lee"}, alone)


def test_the_baselines_adapters_give_offsets_into_the_article():
    import spacy

    text = '"We will rebuild the whole street," Mayor Ann Lee said in Springfield. Acme Corp agreed.'
    doc = spacy.load(fp.SPACY_MODEL)(text)
    ((start, end, speaker),) = fp.textacy_quotes(doc)
    assert (text[start:end], speaker) == ('"We will rebuild the whole street,"', "Mayor Ann Lee")
    assert fp.textacy_quotes(spacy.load(fp.SPACY_MODEL)('He said "no and then left.')) is None  # odd marks
    assert ("place", ["Springfield"]) in fp.spacy_entities(doc)


def test_newsbrief_adapter_scores_a_plain_story_in_full():
    """Through the adapter, newsbrief's facts of a plain story score 1.0 on every metric."""
    text = (
        "Two people were killed and 12 injured in a blast in Springfield on Monday, police said. "
        '"We will rebuild the whole street," Mayor Ann Lee said.'
    )
    start = text.index("We will")
    story = {
        "id": "plain",
        "quotes": [{"start": start, "end": text.index('," Mayor') + 1, "speaker": {"name": "Ann Lee"}}],
        "entities": [
            {"name": "Ann Lee", "type": "person", "mentions": ["Ann Lee"]},
            {"name": "Springfield", "type": "place", "mentions": ["Springfield"]},
        ],
        "casualties": [{"kind": "killed", "number": 2}, {"kind": "injured", "number": 12}],
    }
    scores = fp.new_scores()
    fp.score_story(story, fp.newsbrief_prediction(text), scores)
    assert {m: s.f1 for m, s in scores.items() if m != "organisations"} == {
        "quote spans": 1.0, "quote -> speaker": 1.0, "people": 1.0, "places": 1.0, "casualty counts": 1.0,
    }  # fmt: skip

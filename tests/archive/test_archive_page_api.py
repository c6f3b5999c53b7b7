"""What the page asks the archive beyond issue 13's questions, on SQLite and on PostgreSQL: search with
date and entity filters, the events of one place (or of none), the events per place for the map, and the
story titles quotes and events carry. The archive is built from the page's committed briefs
(tests/fixtures/archive_page), the same as the browser tests'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsbrief.archive import Archive
from postgres_server import postgres_server

BRIEFS = Path(__file__).parents[1] / "fixtures" / "archive_page" / "briefs.jsonl"


@pytest.fixture(scope="module")
def pg():
    yield from postgres_server()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request, tmp_path_factory):
    url = str(tmp_path_factory.mktemp("page") / "archive.db") if request.param == "sqlite" else request.getfixturevalue("pg").new_database()
    with Archive(url) as a:
        for line in BRIEFS.read_text(encoding="utf-8").splitlines():
            a.add(json.loads(line))
        yield a


def stories(answer: dict) -> list[str]:
    return [item["story"] for item in answer["items"]]


def test_search_by_date_range_and_entity(archive):
    assert archive.search("Derna")["total"] == 4
    assert sorted(stories(archive.search("Derna", date_from="2014-11-05"))) == ["derna-2", "derna-3"]
    assert sorted(stories(archive.search("Derna", date_to="2014-11"))) == ["derna-1", "derna-2"]  # a month: to its end
    assert stories(archive.search("Derna", entity="Haftar")) == ["derna-3"]
    # An entity and no words: the stories naming it, newest first, with no match to show.
    answer = archive.search(None, entity="Benotman")
    assert (answer["total"], stories(answer)) == (3, ["derna-3", "derna-2", "derna-1"])
    assert answer["items"][0]["match"] is None


def test_events_per_place_for_the_map(archive):
    answer = archive.event_places()
    places = {p["name"]: (p["events"], p["killed"], round(p["latitude"], 2)) for p in answer["places"]}
    assert places == {"Derna": (2, 17, 32.77), "Aleppo": (1, 30, 36.2), "Kabul": (1, 9, 34.53),
                      "Benghazi": (1, 7, 32.11), "Tripoli": (1, 3, 32.89)}
    assert answer["totals"] == {"events": 7, "stories": 7, "killed": 70, "wounded": 0}
    assert answer["unplaced"] == {"events": 1, "stories": 1, "killed": 4}
    assert answer["undated"] == {"events": 1}
    later = archive.event_places(date_from="2015-01-01")
    assert sorted(p["name"] for p in later["places"]) == ["Aleppo", "Kabul", "Tripoli"]
    assert later["unplaced"]["events"] == 0  # the undated event is left out by a date filter...
    assert later["undated"] == {"events": 1}  # ...and still counted
    # "bombing" finds the car bombing and the suicide bombings; most events, then most killed, first.
    assert [p["name"] for p in archive.event_places(kind="bombing")["places"]] == ["Derna", "Kabul", "Benghazi"]


def test_events_of_one_place_or_of_none_with_titles(archive):
    derna = next(p["id"] for p in archive.event_places()["places"] if p["name"] == "Derna")
    answer = archive.events(place_entity=derna)
    assert [(e["story"], e["kind"], e["killed"]["value"]) for e in answer["items"]] == [
        ("derna-3", "air strike", 5), ("derna-1", "car bombing", 12)]
    assert answer["items"][0]["title"] == "Air strikes hit militant camps near Derna"
    none = archive.events(place_entity="none")
    assert [(e["story"], e["place"], e["date"]) for e in none["items"]] == [("undated-1", None, None)]


def test_quotes_carry_their_story_title(archive):
    benotman = archive.entities("Benotman")["items"][0]["id"]
    answer = archive.quotes(speaker_entity=benotman)
    assert [(q["story"], q["title"]) for q in answer["items"]] == [
        ("derna-2", "Libya's parliament condemns Derna attacks"), ("derna-1", "Militants tighten grip on Derna")]

"""The archive on a small committed set of stories (tests/fixtures/archive: four stories written for these
tests and the briefs `newsbrief batch --facts` made of them), every test on SQLite and on a real
PostgreSQL server started by the tests (tests/postgres_server.py)."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from newsbrief.archive import Archive, ArchiveError, schema
from newsbrief.archive.cli import story_metadata
from newsbrief.errors import InputError
from postgres_server import postgres_server

FIXTURES = Path(__file__).parent / "fixtures" / "archive"
STORIES = FIXTURES / "stories.jsonl"
BRIEFS = FIXTURES / "briefs.jsonl"


@pytest.fixture(scope="session")
def pg():
    yield from postgres_server()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return request.getfixturevalue("pg").new_database()


def briefs() -> list[dict]:
    return [json.loads(line) for line in BRIEFS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def metadata() -> dict[str, dict]:
    return story_metadata(str(STORIES), "date")


@pytest.fixture
def archive(url, metadata):
    with Archive(url) as a:
        for brief in briefs():
            a.add(brief, **metadata[brief["id"]])
        yield a


def source(archive: Archive, story: str, start: int, end: int) -> str:
    return archive.story(story)["text"][start:end]


# --- answers on the fixture stories ---------------------------------------------------------------


def test_quotes_of_one_speaker_across_three_stories(archive):
    answer = archive.quotes(speaker="Benotman")
    assert answer["total"] == 4
    assert [q["story"] for q in answer["items"]] == ["arc-3", "arc-2", "arc-1", "arc-1"]  # newest first
    assert [q["date"] for q in answer["items"]] == ["2015-02-16", "2014-11-20", "2014-11-03", "2014-11-03"]
    first = answer["items"][0]
    assert first["text"] == "The Islamic State has made Derna its base in North Africa,"
    for q in answer["items"]:
        assert source(archive, q["story"], q["start"], q["end"]) == q["text"]
        assert q["speaker"] == "Noman Benotman"
    assert source(archive, "arc-2", *answer["items"][1]["speaker_span"]) == "Benotman"
    # paging: the same four, two at a time
    pages = archive.quotes(speaker="Benotman", limit=2)["items"] + archive.quotes(speaker="Benotman", limit=2, offset=2)["items"]
    assert pages == answer["items"]


def test_casualty_totals_for_a_country_include_its_places(archive):
    libya = archive.events(place="Libya")
    assert libya["totals"] == {"events": 4, "killed": 63, "wounded": 0}
    assert sorted((e["place"]["name"], e["killed"]["value"]) for e in libya["items"]) == [
        ("Benghazi", 7), ("Derna", 12), ("Derna", 40), ("Tobruk", 4)]
    derna = archive.events(place="Derna")
    assert derna["totals"] == {"events": 2, "killed": 52, "wounded": 0}
    assert [e["story"] for e in derna["items"]] == ["arc-3", "arc-1"]
    assert derna["items"][0]["place"]["country"] == "LY"
    assert derna["items"][0]["place"]["latitude"] == pytest.approx(32.767, abs=0.01)
    for e in libya["items"]:
        assert source(archive, e["story"], e["killed"]["start"], e["killed"]["end"]) == e["killed"]["text"]
        assert e["place"]["name"] in source(archive, e["story"], e["start"], e["end"])


def test_events_by_kind_and_date_range(archive):
    assert archive.events(kind="bombing")["totals"] == {"events": 2, "killed": 16, "wounded": 0}
    assert archive.events(place="Libya", date_from="2014-11", date_to="2014-11")["totals"]["killed"] == 23
    switzerland = archive.events(place="Switzerland")
    assert switzerland["totals"] == {"events": 1, "killed": 0, "wounded": 3}
    assert switzerland["items"][0]["date"] == "2015-03-01"  # "in March" of the story's year


def test_search_folds_diacritics_and_shows_the_matching_highlight(archive):
    assert {i["story"] for i in archive.search("Zurich")["items"]} == {"arc-3", "arc-4"}
    assert {i["story"] for i in archive.search("zürich")["items"]} == {"arc-3", "arc-4"}
    tobruk = archive.search("suicide bombing Tobruk")
    assert tobruk["total"] == 1
    match = tobruk["items"][0]["match"]
    assert match["in"] == "highlight"
    assert source(archive, "arc-2", match["start"], match["end"]) == match["text"]
    assert "Tobruk" in match["text"]
    assert archive.search('"Quilliam Foundation"')["total"] == 2
    assert archive.search('"Foundation Quilliam"')["total"] == 0
    assert archive.search("Derna")["total"] == 3


def test_people_of_one_name_stay_apart_unless_descriptions_agree(archive):
    zelins = archive.entities("Aaron Zelin")["items"]
    assert [(z["stories"], z["description"]) for z in zelins] == [
        (2, "a fellow at the Washington Institute for Near East Policy"), (1, "a nurse in Zürich")]
    researcher, nurse = zelins
    assert [q["story"] for q in archive.quotes(speaker_entity=researcher["id"])["items"]] == ["arc-4", "arc-1"]
    assert [q["story"] for q in archive.quotes(speaker_entity=nurse["id"])["items"]] == ["arc-3"]
    # "Benotman" in arc-2 has no description: nothing says he is someone else
    benotman = archive.entities("Benotman")["items"]
    assert [(b["name"], b["stories"]) for b in benotman] == [("Noman Benotman", 3)]


def test_aliases_make_one_organisation(archive):
    found = archive.entities("ISIL")["items"]
    assert [(e["name"], e["type"], e["stories"]) for e in found] == [("Islamic State", "organization", 2)]
    assert set(archive.entity(found[0]["id"])["names"]) == {"ISIS", "Islamic State"}


def test_entity_timeline_cooccurrence_and_quotes_about_it(archive):
    benotman = archive.entities("Benotman")["items"][0]["id"]
    assert archive.timeline(benotman, per="month")["items"] == [{"month": "2014-11", "stories": 2}, {"month": "2015-02", "stories": 1}]
    assert archive.timeline(benotman, per="week")["items"] == [
        {"week": "2014-11-03", "stories": 1}, {"week": "2014-11-17", "stories": 1}, {"week": "2015-02-16", "stories": 1}]
    assert archive.timeline(benotman, per="day")["total"] == 3
    together = archive.cooccurring(benotman, limit=4)
    assert together["total"] == 19
    assert [(e["name"], e["together"]) for e in together["items"]] == [
        ("Derna", 3), ("Islamic State", 2), ("Libyan", 2), ("Quilliam Foundation", 2)]  # ties: first archived first
    derna = archive.entities("Derna", type="place")["items"][0]
    assert (derna["country"], derna["stories"]) == ("LY", 3)
    about = archive.quotes(about=derna["id"])["items"]
    assert [(q["story"], q["speaker"]) for q in about] == [("arc-3", "Noman Benotman"), ("arc-1", "Noman Benotman")]


# --- filling --------------------------------------------------------------------------------------


def test_adding_again_keeps_one_copy_the_newest(archive, metadata):
    brief = briefs()[1]
    brief["title"] = "Bombings in eastern Libya (updated)"
    brief["facts"]["quotes"] = brief["facts"]["quotes"][1:]
    archive.add(brief, **metadata["arc-2"])
    assert archive.count() == 4
    assert archive.story("arc-2")["title"] == "Bombings in eastern Libya (updated)"
    assert archive.quotes(speaker="Benotman")["total"] == 3
    assert archive.entities("Benotman")["items"][0]["stories"] == 3  # still named in arc-2
    assert archive.search("updated")["total"] == 1


def test_a_failed_write_leaves_the_stored_copy(archive, metadata):
    broken = briefs()[0]
    del broken["facts"]["quotes"][0]["start"]
    with pytest.raises(InputError, match="arc-1 does not follow the brief schema"):
        archive.add(broken, **metadata["arc-1"])
    assert archive.count() == 4
    assert archive.quotes(speaker="Benotman")["total"] == 4
    assert archive.search("Raqqa")["total"] == 1


def test_briefs_without_ids_or_with_errors_are_refused(archive):
    with pytest.raises(InputError, match="no id"):
        archive.add({"schema": "newsbrief.brief/1", "facts": {}})
    with pytest.raises(InputError, match="batch error record"):
        archive.add({"id": "x", "error": {"type": "InputError", "message": "empty"}})
    assert archive.count() == 4


def test_a_story_without_date_or_text_still_answers(url):
    with Archive(url) as a:
        a.add(briefs()[3])
        assert a.timeline(a.entities("Aaron Zelin")["items"][0]["id"])["undated"] == 1
        assert a.quotes(speaker="Zelin")["items"][0]["date"] is None
        assert a.story("arc-4")["text"] is None
        assert a.search("phones")["items"][0]["match"]["in"] == "highlight"  # highlights are searched


def _add_many(url: str, prefix: str, rounds: int) -> None:
    with Archive(url) as a:
        for n in range(rounds):
            for brief in briefs():
                a.add({**brief, "id": f"{prefix}-{brief['id']}-{n % 3}"})


def test_two_writers_at_once_store_everything(url):
    Archive(url).close()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_add_many, args=(url, prefix, 6)) for prefix in ("a", "b")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    assert [w.exitcode for w in writers] == [0, 0]
    with Archive(url) as a:
        assert a.count() == 2 * 4 * 3
        assert a.quotes(speaker="Benotman")["total"] == 2 * 3 * 4
        assert a.entities("Benotman")["items"][0]["stories"] == 2 * 3 * 3


# --- opening --------------------------------------------------------------------------------------


def _raw(url: str):
    if url.startswith("postgresql://"):
        import psycopg

        return psycopg.connect(url, autocommit=True), "%s"
    return sqlite3.connect(url, isolation_level=None), "?"


def test_an_older_archive_is_migrated_in_place(url):
    dialect = "postgresql" if url.startswith("postgresql://") else "sqlite"
    conn, mark = _raw(url)
    conn.execute("CREATE TABLE newsbrief_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute(f"INSERT INTO newsbrief_meta VALUES ('application', {mark}), ('version', '1')", (schema.APPLICATION,))
    for statement in schema.MIGRATIONS[dialect][0]:
        conn.execute(statement)
    conn.execute("INSERT INTO stories (id, title, added_at) VALUES ('old-1', 'Kept from version 1', '2014-01-01')")
    conn.close()
    with Archive(url) as a:
        assert a.db.version() == schema.VERSION == 2
        assert a.story("old-1")["title"] == "Kept from version 1"
        a.add(briefs()[0])
        assert a.quotes(about=a.entities("Derna")["items"][0]["id"])["total"] == 1


def test_a_newer_archive_is_refused(url):
    Archive(url).close()
    conn, _ = _raw(url)
    conn.execute("UPDATE newsbrief_meta SET value = '99' WHERE key = 'version'")
    conn.close()
    with pytest.raises(ArchiveError, match="schema version 99, newer than this newsbrief knows"):
        Archive(url)


def test_a_database_of_something_else_is_refused(url):
    conn, _ = _raw(url)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.close()
    with pytest.raises(ArchiveError, match="not a newsbrief archive .it holds other tables: invoices"):
        Archive(url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n")
    with pytest.raises(ArchiveError, match="is not a newsbrief archive .not a SQLite database"):
        Archive(path)
    assert path.read_text() == "shopping list\n"


def test_postgres_that_cannot_be_reached_or_refuses(pg):
    with pytest.raises(ArchiveError, match="password authentication failed"):
        Archive(pg.url(password="wrong"))
    closed = pg.url().replace(f":{pg.port}/", ":1/")
    with pytest.raises(ArchiveError, match="cannot connect to PostgreSQL at postgresql://newsbrief:\\*\\*\\*@127.0.0.1:1/"):
        Archive(closed)
    url = pg.new_database()
    pg.admin("DROP ROLE IF EXISTS reader", "CREATE ROLE reader LOGIN PASSWORD 'reader'")
    with pytest.raises(ArchiveError, match="lacks the rights"):
        Archive(url.replace("newsbrief:archive-test@", "reader:reader@"))


def test_a_full_disk_stops_writing_and_keeps_what_was_stored(tmp_path, metadata):
    path = tmp_path / "small.db"
    with Archive(path) as a:
        a.add(briefs()[0], **metadata["arc-1"])
        pages = a.db.value("PRAGMA page_count")
        a.db.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own "database or disk is full"
        big = {**briefs()[1], "id": "big"}
        with pytest.raises(ArchiveError, match="disk is full"):
            a.add(big, text="x " * 200_000)
        assert a.story_ids() == ["arc-1"]
    with Archive(path) as a:
        assert a.quotes(speaker="Benotman")["total"] == 2
        a.db.conn.execute("INSERT INTO stories_fts (stories_fts) VALUES ('integrity-check')")

"""The archive on a small committed set of stories (tests/fixtures/archive: four stories written for these
tests and the briefs `newsbrief batch --facts` made of them), every test on SQLite and on a real
PostgreSQL server started by the tests (tests/postgres_server.py)."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from newsbrief.archive import Archive, ArchiveError, dataset_stories, queries, schema
from newsbrief.errors import InputError
from postgres_server import postgres_server

FIXTURES = Path(__file__).parents[1] / "fixtures" / "archive"
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
    return dataset_stories(STORIES, "date")


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


def test_users_extend_the_aliases(url, metadata, tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"organization": {"Quilliam Foundation": ["Quilliam", "the Quilliam think tank"]}}))
    with Archive(url, aliases=aliases) as a:
        for brief in briefs():
            a.add(brief, **metadata[brief["id"]])
    with Archive(url) as a:  # stored in the archive: later opens know them
        assert [(e["name"], e["stories"]) for e in a.entities("the Quilliam think tank")["items"]] == [("Quilliam Foundation", 2)]
    aliases.write_text('{"organisation": {}}')
    with pytest.raises(InputError, match="'organisation' is not one of person, organization, place, group"):
        Archive(url, aliases=aliases)


def test_entity_timeline_cooccurrence_and_quotes_about_it(archive):
    benotman = archive.entities("Benotman")["items"][0]["id"]
    assert archive.timeline(benotman, per="month")["items"] == [{"month": "2014-11", "stories": 2}, {"month": "2015-02", "stories": 1}]
    assert archive.timeline(benotman, per="week")["items"] == [
        {"week": "2014-11-03", "stories": 1}, {"week": "2014-11-17", "stories": 1}, {"week": "2015-02-16", "stories": 1}]
    assert archive.timeline(benotman, per="day")["total"] == 3
    together = archive.cooccurring(benotman, limit=4)
    assert (together["total"], together["stories_considered"]) == (19, 3)
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
        assert a.db.version() == schema.VERSION == 3
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


# --- the same answers from the CLI and the HTTP API -----------------------------------------------


def _cli_json(capsys, *argv: str) -> dict:
    from newsbrief.cli import main

    assert main(["archive", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_answers_as_the_python_api(archive, url, capsys):
    assert _cli_json(capsys, "search", "Derna", "--db", url) == archive.search("Derna")
    assert _cli_json(capsys, "quotes", "--speaker", "Benotman", "--limit", "3", "--db", url) == archive.quotes(speaker="Benotman", limit=3)
    assert _cli_json(capsys, "events", "--place", "Libya", "--from", "2014-11-01", "--db", url) == archive.events(
        place="Libya", date_from="2014-11-01")
    entity = _cli_json(capsys, "entity", "Benotman", "--per", "week", "--db", url)
    benotman = archive.entities("Benotman")["items"][0]["id"]
    assert entity["entity"] == archive.entity(benotman)
    assert entity["timeline"] == archive.timeline(benotman, per="week", limit=200)
    assert entity["quotes"] == archive.quotes(speaker_entity=benotman, limit=10)
    assert entity["cooccurring"] == archive.cooccurring(benotman, limit=10)


def test_cli_add_stores_good_lines_and_names_the_bad_ones(url, tmp_path, capsys):
    from newsbrief.cli import main

    lines = BRIEFS.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "briefs.jsonl"
    bad.write_text("\n".join([lines[0], '{"id": "cut', '{"facts": {}}', lines[1],
                              '{"id": "x", "error": {"type": "InputError", "message": "empty article"}}', lines[2]]) + "\n")
    assert main(["archive", "add", str(bad), "--db", url, "--stories", str(STORIES), "--date-field", "date"]) == 1
    err = capsys.readouterr().err
    assert "briefs.jsonl line 2: not stored: invalid JSON" in err
    assert "briefs.jsonl line 3: not stored: the brief has no id" in err
    assert "briefs.jsonl line 5: not stored: record 'x' is a batch error record" in err
    assert "error: 3 briefs not stored (briefs.jsonl line 2, briefs.jsonl line 3, briefs.jsonl line 5)" in err
    with Archive(url) as a:
        assert a.story_ids() == ["arc-1", "arc-2", "arc-3"]
        assert a.story("arc-2")["date"] == "2014-11-20"
    assert main(["archive", "add", str(bad), "--db", url]) == 1  # again: idempotent
    with Archive(url) as a:
        assert a.count() == 3


def test_cli_refuses_a_file_that_is_not_an_archive(tmp_path, capsys):
    from newsbrief.cli import main

    notes = tmp_path / "notes.db"
    notes.write_text("not a database")
    assert main(["archive", "search", "Derna", "--db", str(notes)]) == 1
    assert "notes.db is not a newsbrief archive (not a SQLite database)" in capsys.readouterr().err
    assert main(["serve", "--archive", str(notes), "--workers", "0"]) == 1


def test_http_answers_as_the_python_api(url, metadata):
    from fastapi.testclient import TestClient

    from newsbrief.service import Settings, create_app

    with Archive(url) as a:
        for brief in briefs()[:3]:
            a.add(brief, **metadata[brief["id"]])
    with TestClient(create_app(Settings(workers=0, archive=url)), base_url="http://localhost") as c:
        last = {**briefs()[3], **metadata["arc-4"]}
        r = c.post("/v1/archive/stories", json=last)
        assert (r.status_code, r.json()) == (201, {"story": "arc-4", "stored": True})
        with Archive(url) as a:
            benotman = a.entities("Benotman")["items"][0]["id"]
            derna = a.entities("Derna")["items"][0]["id"]
            same = {
                "/v1/archive/search?q=Zurich": a.search("Zurich"),
                "/v1/archive/entities?name=ISIL": a.entities("ISIL"),
                f"/v1/archive/entities/{benotman}": a.entity(benotman),
                f"/v1/archive/entities/{benotman}/timeline?per=month": a.timeline(benotman, per="month"),
                f"/v1/archive/entities/{benotman}/quotes?limit=2&offset=1": a.quotes(speaker_entity=benotman, limit=2, offset=1),
                f"/v1/archive/entities/{derna}/quotes-about": a.quotes(about=derna),
                f"/v1/archive/entities/{benotman}/cooccurring": a.cooccurring(benotman),
                "/v1/archive/quotes?speaker=Zelin&from=2015-01-01": a.quotes(speaker="Zelin", date_from="2015-01-01"),
                "/v1/archive/events?place=Libya&kind=bombing": a.events(place="Libya", kind="bombing"),
                "/v1/archive/stories/arc-4": a.story("arc-4"),
            }
        for path, expected in same.items():
            r = c.get(path)
            assert (r.status_code, r.json()) == (200, expected), path
        assert same["/v1/archive/events?place=Libya&kind=bombing"]["totals"] == {"events": 2, "killed": 16, "wounded": 0}
        r = c.get("/v1/archive/entities/99999")
        assert r.status_code == 404 and "no entity 99999" in r.json()["error"]["message"]
        assert c.get("/v1/archive/stories/nope").status_code == 404
        r = c.get("/v1/archive/events?from=last-week")
        assert r.status_code == 422 and "'last-week' is not a date" in r.json()["error"]["message"]
        assert c.get("/v1/archive/search?q=Derna&limit=0").status_code == 422
        assert c.get("/v1/archive/search?q=%22%22").status_code == 422
        assert c.post("/v1/archive/stories", json={"facts": {}}).status_code == 422
        r = c.post("/v1/archive/stories", json={"id": "arc-1", "facts": {"quotes": [{"text": "no offsets"}]}})
        assert r.status_code == 422 and "does not follow the brief schema" in r.json()["error"]["message"]
        assert c.get("/v1/archive/quotes?speaker=Benotman").json()["total"] == 4  # the refused write changed nothing
        assert "/v1/archive/events" in c.get("/openapi.json").json()["paths"]


def test_batch_writes_each_brief_into_the_archive(url, tmp_path, capsys):
    from newsbrief.cli import main

    out = tmp_path / "briefs.jsonl"
    argv = ["batch", str(STORIES), "-o", str(out), "--facts", "--date-field", "date", "--workers", "1", "--progress", "off"]
    assert main([*argv, "--archive", url]) == 0
    assert main([*argv, "-o", str(tmp_path / "again.jsonl"), "--archive", url]) == 0  # a second run: still one copy each
    with Archive(url) as a:
        assert a.story_ids() == ["arc-1", "arc-2", "arc-3", "arc-4"]
        assert a.story("arc-3")["date"] == "2015-02-16"
        quotes = a.quotes(speaker="Benotman")
        assert [q["story"] for q in quotes["items"]] == ["arc-3", "arc-2", "arc-1", "arc-1"]
        for q in quotes["items"]:
            assert source(a, q["story"], q["start"], q["end"]) == q["text"]
        assert a.events(place="Libya")["totals"] == {"events": 4, "killed": 63, "wounded": 0}
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["arc-1", "arc-2", "arc-3", "arc-4"]
    capsys.readouterr()
    assert main(["batch", str(STORIES), "-o", str(tmp_path / "no-facts.jsonl"), "--archive", url]) == 1
    assert "--archive keeps briefs with their facts: add --facts" in capsys.readouterr().err


# --- schema version 3: bounded questions (docs/archive.md, "Scale") ---------------------------------


@pytest.fixture
def pair(request, tmp_path):
    """Two empty archives of one dialect."""
    if request.param == "sqlite":
        return str(tmp_path / "a.db"), str(tmp_path / "b.db")
    server = request.getfixturevalue("pg")
    return server.new_database(), server.new_database()


def _questions(a: Archive) -> dict:
    benotman = a.entities("Benotman")["items"][0]["id"]
    derna = a.entities("Derna", type="place")["items"][0]["id"]
    return {
        "timeline": [a.timeline(benotman, per=per) for per in ("day", "week", "month")],
        "together": a.cooccurring(benotman, limit=50),
        "about": a.quotes(about=derna),
        "said": a.quotes(speaker="Benotman"),
        "search": a.search("Derna"),
        "words": a.quotes(q="base"),
        "entities": [(e["name"], e["stories"]) for e in a.entities("Islamic State")["items"]],
    }


@pytest.mark.parametrize("pair", ["sqlite", "postgresql"], indirect=True)
def test_a_version_2_archive_is_upgraded_and_answers_as_a_new_one(pair, metadata):
    new_url, old_url = pair
    with Archive(new_url) as new:
        for brief in briefs():
            new.add(brief, **metadata[brief["id"]])
        expected = _questions(new)
        # The same stories in a version-2 archive: its schema's tables, filled with the version-3 rows.
        dialect = new.dialect
        conn, mark = _raw(old_url)
        conn.execute("CREATE TABLE newsbrief_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(f"INSERT INTO newsbrief_meta VALUES ('application', {mark}), ('version', '2')", (schema.APPLICATION,))
        for step in schema.MIGRATIONS[dialect][:2]:
            for statement in step:
                conn.execute(statement)
        for table in ("stories", "entities", "highlights", "mentions", "quotes", "quote_subjects", "quantities", "casualties",
                      "dates", "aliases"):
            columns = [d[0] for d in conn.execute(f"SELECT * FROM {table} WHERE 1 = 0").description]
            rows = new.db.rows(f"SELECT {', '.join(columns)} FROM {table}")
            marks = ", ".join([mark] * len(columns))
            conn.cursor().executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        conn.close()
    with Archive(old_url) as old:
        assert old.db.version() == 3
        assert _questions(old) == expected
    assert expected["timeline"][2]["items"] == [{"month": "2014-11", "stories": 2}, {"month": "2015-02", "stories": 1}]
    assert [(e["name"], e["together"]) for e in expected["together"]["items"][:2]] == [("Derna", 3), ("Islamic State", 2)]


def test_replacing_a_story_moves_its_counts(archive, metadata):
    benotman = archive.entities("Benotman")["items"][0]["id"]
    first = briefs()[0]
    assert archive.timeline(benotman, per="month")["items"] == [{"month": "2014-11", "stories": 2}, {"month": "2015-02", "stories": 1}]
    archive.add(first, **{**metadata[first["id"]], "date": "2016-01-05"})
    assert archive.timeline(benotman, per="month")["items"] == [
        {"month": "2014-11", "stories": 1}, {"month": "2015-02", "stories": 1}, {"month": "2016-01", "stories": 1}]
    assert [(e["name"], e["together"]) for e in archive.cooccurring(benotman, limit=2)["items"]] == [
        ("Derna", 3), ("Islamic State", 2)]  # the same story again: the same pairs, counted once
    archive.add(first, **{**metadata[first["id"]], "date": None})
    assert archive.timeline(benotman, per="month")["undated"] == 1
    assert archive.db.value("SELECT count(*) FROM entity_days WHERE stories <= 0") == 0
    assert archive.db.value("SELECT count(*) FROM cooccurrences WHERE stories <= 0") == 0
    assert archive.db.value("SELECT sum(stories) FROM entity_days WHERE entity = ?", (benotman,)) == 3


def test_counts_stop_at_the_cap_and_say_so(archive, monkeypatch):
    full = archive.search("Derna")
    assert (full["total"], full["total_is_lower_bound"]) == (3, False)
    monkeypatch.setattr(queries, "CAP", 2)
    capped = archive.search("Derna")
    assert (capped["total"], capped["total_is_lower_bound"]) == (2, True)
    # ranked among the newest two archived matches: the first-archived one is left out
    assert sorted(i["story"] for i in capped["items"]) == sorted(i["story"] for i in full["items"] if i["story"] != "arc-1")
    said = archive.quotes(speaker="Benotman")
    assert (said["total"], said["total_is_lower_bound"], len(said["items"])) == (2, True, 4)  # the page is whole
    benotman = archive.entities("Benotman")["items"][0]["id"]
    together = archive.cooccurring(benotman)
    assert (together["total"], together["total_is_lower_bound"], together["stories_considered"]) == (2, True, 3)
    words = archive.quotes(q="Derna")  # two quotes hold the word: both, newest first
    assert (words["total"], words["total_is_lower_bound"], [q["story"] for q in words["items"]]) == (2, False, ["arc-3", "arc-1"])
    monkeypatch.setattr(queries, "CAP", 1)
    words = archive.quotes(q="Derna")  # the newest archived one only
    assert (words["total"], words["total_is_lower_bound"], [q["story"] for q in words["items"]]) == (1, True, ["arc-3"])

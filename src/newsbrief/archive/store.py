"""Writing briefs into the archive: one story, all its rows, in one transaction.

Adding is idempotent by story id: a story already there is deleted with everything it owns and written
again in the same transaction, so a story added twice (or a batch resumed after a kill) leaves one copy,
the newest, and a failed write leaves the previous copy as it was."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsbrief.archive.dates import event_day, story_day
from newsbrief.archive.db import Database
from newsbrief.archive.geo import geocode
from newsbrief.archive.names import (
    Aliases,
    description_words,
    descriptions_agree,
    fold,
    name_key,
)
from newsbrief.errors import InputError

_CHILD_TABLES = ("highlights", "mentions", "quantities", "casualties", "dates")


@dataclass(frozen=True, slots=True)
class StoryMeta:
    """What the brief itself does not carry: the article text its offsets index into, and its date."""

    text: str | None = None
    date: str | None = None
    source: str | None = None
    lang: str | None = None

    @classmethod
    def of(cls, brief: dict, **given: Any) -> StoryMeta:
        """Explicit values win; else the brief's own fields (the service's briefs carry "text")."""
        values = {k: given.get(k) if given.get(k) is not None else brief.get(k) for k in ("text", "date", "source", "lang")}
        return cls(**{k: v if isinstance(v, str) else None for k, v in values.items()})


def check_brief(brief: object) -> dict:
    """The brief as a dict with an id, or an InputError saying what is wrong with it."""
    if not isinstance(brief, dict):
        raise InputError(f"a brief must be a JSON object, not {type(brief).__name__}")
    if "error" in brief:
        message = (brief["error"] or {}).get("message")
        raise InputError(f"record {brief.get('id')!r} is a batch error record ({message}), not a brief")
    story_id = brief.get("id")
    if not isinstance(story_id, str | int) or isinstance(story_id, bool) or str(story_id).strip() == "":
        raise InputError("the brief has no id: the archive keys stories by id")
    for field in ("highlights",):
        if field in brief and not isinstance(brief[field], list):
            raise InputError(f"brief {story_id}: {field!r} must be a list")
    facts = brief.get("facts")
    if facts is not None and not isinstance(facts, dict):
        raise InputError(f"brief {story_id}: 'facts' must be an object")
    return brief


class Writer:
    """Entity resolution and row writing for one Database; `add` is Archive.add's body."""

    def __init__(self, db: Database, aliases: Aliases):
        self.db = db
        self.aliases = aliases
        # key → pk of organisations, places and groups (never deleted, so a committed pk stays right);
        # people are looked up each time, since their descriptions decide.
        self._entities: dict[str, int] = {}
        self._chunk_entities: dict[str, int] = {}
        self._story_entities: dict[str, int] = {}

    def store_aliases(self) -> None:
        upsert = ("INSERT INTO aliases (alias_key, type, name) VALUES (?, ?, ?) "
                  "ON CONFLICT (alias_key) DO UPDATE SET type = excluded.type, name = excluded.name")
        with self.db.transaction() as cursor:
            self.db.executemany(cursor, upsert, self.aliases.rows())

    def load_aliases(self) -> None:
        """Aliases stored in the archive (by earlier --aliases files) join the ones given now."""
        for key, kind, name in self.db.rows("SELECT alias_key, type, name FROM aliases"):
            self.aliases.table.setdefault(key, (kind, name))

    # --- stories ------------------------------------------------------------------------------------

    def add(self, brief: dict, meta: StoryMeta) -> str:
        ((story_id, error),) = self.add_many([(brief, meta)], per_transaction=1)
        if error is not None:
            raise error
        return story_id

    def add_many(self, items: Iterable[tuple[object, StoryMeta]],
                 per_transaction: int = 100) -> Iterator[tuple[str | None, InputError | None]]:
        """(story id, None) for each stored story, (id or None, the reason) for each refused one, in order,
        each once its transaction has committed. Stories are written `per_transaction` to a transaction,
        each under its own savepoint: a story that cannot be written is rolled back alone; a database
        error (disk full, busy) rolls back the uncommitted ones and raises, and what was committed stays."""
        chunk: list[tuple[object, StoryMeta]] = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= per_transaction:
                yield from self._write(chunk)
                chunk = []
        if chunk:
            yield from self._write(chunk)

    def _write(self, chunk: list[tuple[object, StoryMeta]]) -> list[tuple[str | None, InputError | None]]:
        results: list[tuple[str | None, InputError | None]] = []
        self._chunk_entities: dict[str, int] = {}
        try:
            with self.db.transaction() as cursor:
                for brief, meta in chunk:
                    results.append(self._write_story(cursor, brief, meta))
        finally:
            new_entities, self._chunk_entities = self._chunk_entities, {}
        self._entities.update(new_entities)  # only once committed: a rolled-back entity row is gone
        return results

    def _write_story(self, cursor, brief: object, meta: StoryMeta) -> tuple[str | None, InputError | None]:
        try:
            checked = check_brief(brief)
        except InputError as e:
            return (str(brief["id"]) if isinstance(brief, dict) and brief.get("id") is not None else None), e
        story_id = str(checked["id"])
        self._story_entities: dict[str, int] = {}
        cursor.execute("SAVEPOINT story")
        try:
            self._delete(cursor, story_id)
            self._insert(cursor, story_id, checked, checked.get("facts") or {}, meta)
        except Exception as e:
            if not _bad_brief(e):
                raise
            cursor.execute("ROLLBACK TO SAVEPOINT story")
            cursor.execute("RELEASE SAVEPOINT story")
            reason = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
            return story_id, InputError(f"brief {story_id} does not follow the brief schema ({reason}); not stored")
        cursor.execute("RELEASE SAVEPOINT story")
        self._chunk_entities.update(self._story_entities)
        return story_id, None

    def _delete(self, cursor, story_id: str) -> None:
        db = self.db
        row = cursor.execute(db.sql("SELECT pk FROM stories WHERE id = ?"), (story_id,)).fetchone()
        if row is None:
            return
        pk = row[0]
        cursor.execute(db.sql("UPDATE entities SET stories = stories - 1 WHERE pk IN "
                              "(SELECT DISTINCT entity FROM mentions WHERE story = ?)"), (pk,))
        day = cursor.execute(db.sql("SELECT coalesce(date, '') FROM stories WHERE pk = ?"), (pk,)).fetchone()[0]
        self._count_entities(cursor, pk, day, -1)
        cursor.execute(db.sql("DELETE FROM quote_subjects WHERE quote IN (SELECT pk FROM quotes WHERE story = ?)"), (pk,))
        cursor.execute(db.sql("DELETE FROM quotes WHERE story = ?"), (pk,))
        for table in _CHILD_TABLES:
            cursor.execute(db.sql(f"DELETE FROM {table} WHERE story = ?"), (pk,))
        cursor.execute(db.sql("DELETE FROM stories WHERE pk = ?"), (pk,))

    def _insert(self, cursor, story_id: str, brief: dict, facts: dict, meta: StoryMeta) -> None:
        db = self.db
        day = story_day(meta.date)
        highlights = brief.get("highlights") or []
        highlights_text = "\n".join(h["text"] for h in highlights)
        added = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        values = [story_id, brief.get("title"), day, meta.source, meta.lang, brief.get("model"), meta.text,
                  highlights_text, added]
        columns = "id, title, date, source, lang, model, text, highlights_text, added_at"
        if db.dialect == "postgresql":
            texts = self._search_texts(brief.get("title"), highlights_text, meta.text)
            story = db.insert_returning(cursor, f"INSERT INTO stories ({columns}, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                        f"{self._tsvector_sql(3)})", values + texts)
        else:
            story = db.insert_returning(cursor, f"INSERT INTO stories ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
        db.executemany(cursor, "INSERT INTO highlights VALUES (?, ?, ?, ?, ?, ?, ?)", [
            (story, rank, h["text"], h["start"], h["end"], h.get("sentence"), h.get("score"))
            for rank, h in enumerate(highlights)])

        entities = {}  # brief-local id → archive entity pk
        mention_rows = []
        for e in facts.get("entities") or []:
            pk = self._entity(cursor, e["name"], e["type"], e.get("role"))
            entities[e["id"]] = pk
            mention_rows.append((story, pk, e["id"], e["name"], e.get("role"), int(e.get("mentions") or 0), e.get("first"),
                                 json.dumps(e.get("spans") or []), day))
        db.executemany(cursor, "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", mention_rows)
        named = sorted(set(entities.values()))
        db.executemany(cursor, "UPDATE entities SET stories = stories + 1 WHERE pk = ?", [(pk,) for pk in named])
        self._count_entities(cursor, story, day or "", +1)

        self._quotes(cursor, story, day, facts.get("quotes") or [], facts.get("entities") or [], entities)
        db.executemany(cursor, "INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (story, rank, q["text"], q["start"], q["end"], q.get("sentence"), q.get("value"), q.get("counts"),
             q.get("qualifier"), bool(q.get("vague"))) for rank, q in enumerate(facts.get("quantities") or [])])
        casualty_rows = []
        for rank, c in enumerate(facts.get("casualties") or []):
            place = entities.get(c.get("place_id")) if c.get("place_id") else None
            if place is None and c.get("place"):
                place = self._entity(cursor, c["place"], "place", None)
            killed, wounded = c.get("killed") or {}, c.get("wounded") or {}
            casualty_rows.append((
                story, rank, c.get("kind"),
                killed.get("value"), killed.get("text"), killed.get("start"), killed.get("end"),
                wounded.get("value"), wounded.get("text"), wounded.get("start"), wounded.get("end"),
                c.get("place"), place, c.get("date"), c.get("date_value"), event_day(c.get("date_value"), day),
                c["start"], c["end"]))
        db.executemany(cursor, f"INSERT INTO casualties VALUES ({', '.join(['?'] * 18)})", casualty_rows)
        db.executemany(cursor, "INSERT INTO dates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (story, rank, d["text"], d["start"], d["end"], d.get("sentence"), d.get("value"), bool(d.get("relative")),
             d.get("modifier")) for rank, d in enumerate(facts.get("dates") or [])])

    def _count_entities(self, cursor, story: int, day: str, step: int) -> None:
        """Keep entity_days (stories per entity per day; '' for undated) and cooccurrences (stories per
        pair of entities) in step with one story's mentions, one statement each (rows in entity order:
        concurrent PostgreSQL writers then lock them in one order). A count that falls to 0 is deleted."""
        db = self.db
        named = "SELECT DISTINCT entity FROM mentions WHERE story = ?"
        pairs = ("SELECT DISTINCT a.entity, b.entity FROM mentions a JOIN mentions b ON b.story = a.story "
                 "AND b.entity <> a.entity WHERE a.story = ?")
        if step > 0:
            cursor.execute(db.sql(f"INSERT INTO entity_days (entity, day, stories) SELECT entity, ?, 1 FROM ({named}) e "
                                  "WHERE true ORDER BY entity ON CONFLICT (entity, day) "
                                  "DO UPDATE SET stories = entity_days.stories + 1"), (day, story))
            cursor.execute(db.sql(f"INSERT INTO cooccurrences (entity, other, stories) SELECT p.*, 1 FROM ({pairs}) p "
                                  "WHERE true ORDER BY 1, 2 ON CONFLICT (entity, other) "
                                  "DO UPDATE SET stories = cooccurrences.stories + 1"), (story,))
            return
        cursor.execute(db.sql(f"UPDATE entity_days SET stories = stories - 1 WHERE day = ? AND entity IN ({named})"),
                       (day, story))
        cursor.execute(db.sql(f"UPDATE cooccurrences SET stories = stories - 1 WHERE (entity, other) IN ({pairs})"), (story,))
        cursor.execute(db.sql(f"DELETE FROM entity_days WHERE stories <= 0 AND day = ? AND entity IN ({named})"), (day, story))
        cursor.execute(db.sql(f"DELETE FROM cooccurrences WHERE stories <= 0 AND entity IN ({named})"), (story,))

    def _quotes(self, cursor, story: int, day: str | None, quotes: list, brief_entities: list, entities: dict) -> None:
        db = self.db
        spans = [(entities[e["id"]], s, t) for e in brief_entities for s, t in e.get("spans") or []]
        columns = ("story, rank, text, start_offset, end_offset, sentence, speaker, speaker_entity, cue, attribution, date, "
                   "speaker_start, speaker_end")
        rows, speakers = [], []
        for rank, q in enumerate(quotes):
            speaker = entities.get(q.get("speaker_id")) if q.get("speaker_id") else None
            speaker_span = q.get("speaker_span") or [None, None]
            rows.append([story, rank, q["text"], q["start"], q["end"], q.get("sentence"), q.get("speaker"), speaker,
                         q.get("cue"), q.get("attribution"), day, speaker_span[0], speaker_span[1]])
            speakers.append(speaker)
        if not rows:
            return
        marks = ", ".join("?" * len(rows[0]))
        if db.dialect == "postgresql":
            db.executemany(cursor, f"INSERT INTO quotes ({columns}, search) VALUES ({marks}, {self._tsvector_sql(1)})",
                           [row + self._search_texts(row[2]) for row in rows])
        else:
            db.executemany(cursor, f"INSERT INTO quotes ({columns}) VALUES ({marks})", rows)
        pks = dict(cursor.execute(db.sql("SELECT rank, pk FROM quotes WHERE story = ?"), (story,)).fetchall())
        # What was said about an entity: a quote whose words name it (its speaker aside).
        subjects = sorted({(pks[rank], pk, day, story, rank) for rank, q in enumerate(quotes) for pk, s, t in spans
                           if q["start"] <= s and t <= q["end"] and pk != speakers[rank]})
        db.executemany(cursor, "INSERT INTO quote_subjects (quote, entity, date, story, rank) VALUES (?, ?, ?, ?, ?)", subjects)

    # --- PostgreSQL full text -----------------------------------------------------------------------

    def _tsvector_sql(self, parts: int) -> str:
        """title (A), highlights (B), text (D): the weights SQLite's bm25 gets as column weights."""
        fold_sql = "unaccent(?)" if self.db.unaccent else "?"
        weights = "ABD" if parts == 3 else "D"
        return " || ".join(f"setweight(to_tsvector('simple', coalesce({fold_sql}, '')), '{w}')" for w in weights[:parts])

    def _search_texts(self, *texts: str | None) -> list[str | None]:
        return [t if t is None or self.db.unaccent else fold(t) for t in texts]

    # --- entities across stories --------------------------------------------------------------------

    def _entity(self, cursor, name: str, kind: str, role: str | None) -> int:
        """The archive entity a story's entity is: by alias, normalised name and type; places by their
        gazetteer id; people of one name split when their descriptions disagree (docs/archive.md)."""
        kind, name = self.aliases.resolve(name, kind)
        place = geocode(name) if kind == "place" else None
        base = f"place:geo:{place.geonameid}" if place else f"{kind}:{name_key(name)}"
        db = self.db
        folded = name_key(name)
        if kind == "person":
            candidates = cursor.execute(db.sql("SELECT pk, key, description FROM entities WHERE name_key = ? AND type = 'person' "
                                               "ORDER BY pk"), (folded,)).fetchall()
            chosen = _same_person(candidates, role)
            if chosen is not None:
                pk, description = chosen
                if role and not description:
                    cursor.execute(db.sql("UPDATE entities SET description = ? WHERE pk = ?"), (role, pk))
                return pk
            key = base if not candidates else f"{base}#{len(candidates) + 1}"
        else:
            known = self._entities.get(base) or self._chunk_entities.get(base) or self._story_entities.get(base)
            if known:
                return known
            row = cursor.execute(db.sql("SELECT pk FROM entities WHERE key = ?"), (base,)).fetchone()
            if row:
                self._story_entities[base] = row[0]
                return row[0]
            key = base
        last_name = folded.rsplit(" ", 1)[-1] if kind == "person" else None
        values = (key, name, folded, last_name, kind, role,
                  place.country if place else None, place.admin1 if place else None,
                  place.latitude if place else None, place.longitude if place else None, place.geonameid if place else None)
        # Another writer (PostgreSQL) may add the same key meanwhile: then its row is the one.
        row = cursor.execute(db.sql("INSERT INTO entities (key, name, name_key, last_name, type, description, country, admin1, "
                                    "latitude, longitude, geonameid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                    "ON CONFLICT (key) DO NOTHING RETURNING pk"),
                             values).fetchone()
        pk = row[0] if row else cursor.execute(db.sql("SELECT pk FROM entities WHERE key = ?"), (key,)).fetchone()[0]
        if kind != "person":
            self._story_entities[key] = pk
        return pk


def _bad_brief(error: Exception) -> bool:
    """Errors that come from one brief's content (a missing field, a wrong type, a number out of range),
    as opposed to the database's state: the former refuse that story alone."""
    if isinstance(error, KeyError | TypeError | ValueError | AttributeError | IndexError | OverflowError):
        return True
    if "binding parameter" in str(error) or "cannot adapt" in str(error):  # a list or object where a value goes
        return True
    return type(error).__module__.startswith("psycopg") and any(c.__name__ == "DataError" for c in type(error).__mro__)


def _same_person(candidates: list[tuple], role: str | None) -> tuple[int, str | None] | None:
    """Among the people already archived under this name, the one this mention is: the one whose
    description shares the most words with `role`; else the first with no description to disagree;
    with no role, the first of them. None: every one of them is described otherwise — a new person."""
    if not candidates:
        return None
    if not role:
        return candidates[0][0], candidates[0][2]
    best, best_overlap = None, 0
    for pk, _, description in candidates:
        agree = descriptions_agree(description, role)
        if agree is None and best is None:
            best = (pk, description)
        elif agree:
            overlap = len(description_words(description) & description_words(role))
            if overlap > best_overlap:
                best, best_overlap = (pk, description), overlap
    return best

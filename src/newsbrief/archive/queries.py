"""The questions the archive answers, each a page: {"total", "total_is_lower_bound", "limit", "offset",
"items"}; every item names its story (`story`) and the character offsets of its source in that story's text.

Every question reads a bounded number of rows however big the archive grows (docs/archive.md, "Scale"):
counts stop at CAP (then `total` is CAP and `total_is_lower_bound` is true: "over 1,000", never a wrong
number), full-text questions rank or order the newest CAP matches (by the order stories were archived),
and the rest read indexes kept in the order they answer in."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from newsbrief.archive.dates import parse_day, parse_day_end
from newsbrief.archive.db import Database
from newsbrief.archive.geo import geocode
from newsbrief.archive.names import Aliases, fold, name_key
from newsbrief.errors import InputError

MAX_LIMIT = 200
CAP = 1000  # counts stop here; full-text matches beyond the newest CAP are not ranked
BUCKETS = ("day", "week", "month")
_TERM = re.compile(r"\w+")
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|([^\s"]+)')


def check_page(limit: int, offset: int) -> tuple[int, int]:
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be 1 to {MAX_LIMIT}, not {limit!r}")
    if not isinstance(offset, int) or offset < 0:
        raise InputError(f"offset must be 0 or more, not {offset!r}")
    return limit, offset


def page(total: int, limit: int, offset: int, items: list, lower_bound: bool = False, **extra: Any) -> dict:
    return {"total": total, "total_is_lower_bound": lower_bound, "limit": limit, "offset": offset, **extra,
            "items": items}


def capped_count(db: Database, select: str, params: Sequence[Any]) -> tuple[int, bool]:
    """How many rows `select` gives, counting no further than CAP: (count, whether it stopped there)."""
    n = db.value(f"SELECT count(*) FROM ({select} LIMIT {CAP + 1}) counted", params)
    return min(n, CAP), n > CAP


# --- full-text search -----------------------------------------------------------------------------


def parse_query(text: str) -> list[list[str]]:
    """Words and "quoted phrases" → a list of phrases (each a list of folded terms), all required."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("the search needs words (q)")
    phrases = []
    for phrase, word in _PHRASE_OR_WORD.findall(text):
        terms = _TERM.findall(fold(phrase or word))
        if terms:
            phrases.append(terms)
    if not phrases:
        raise InputError(f"the search {text!r} has no words to look for")
    if sum(map(len, phrases)) > 32:
        raise InputError("the search has too many words (32 at most)")
    return phrases


def _match_sql(db: Database, phrases: list[list[str]]) -> str:
    """FTS5 MATCH text ("a b" "c") or a PostgreSQL tsquery (a <-> b & c); terms are \\w+ only."""
    if db.dialect == "sqlite":
        return " ".join('"' + " ".join(p) + '"' for p in phrases)
    return " & ".join("(" + " <-> ".join(p) + ")" for p in phrases)


def search(db: Database, q: str | None, limit: int = 20, offset: int = 0, *, aliases: Aliases | None = None,
           entity: str | None = None, date_from: str | None = None, date_to: str | None = None) -> dict:
    """Stories ranked by the words `q`; narrowed to a date range and to stories that name `entity` (a name,
    resolved as find_entities resolves it). With an entity and no words: its stories, newest first.

    Bounded: the newest CAP matching stories (the last archived) are ranked; beyond them `total` says CAP
    and `total_is_lower_bound` is true. A word in a fifth of a million stories would otherwise make every
    question rank 200,000 of them."""
    limit, offset = check_page(limit, offset)
    phrases = parse_query(q) if q or not entity else []
    where, params = [], []
    if entity:
        found = find_entities(db, aliases or Aliases(), entity, limit=MAX_LIMIT)["items"]
        ids = [e["id"] for e in found]
        where.append(f"s.pk IN (SELECT story FROM mentions WHERE entity IN ({', '.join('?' * len(ids)) or 'NULL'}))")
        params += ids
    _date_range(where, params, "s.date", date_from, date_to)
    if not phrases:
        clause = " WHERE " + " AND ".join(where)
        total, lower = capped_count(db, f"SELECT 1 FROM stories s{clause}", params)
        rows = db.rows(f"SELECT s.pk, s.id, s.title, s.date, s.source, 0 FROM stories s{clause} "
                       "ORDER BY s.date DESC NULLS LAST, s.pk DESC LIMIT ? OFFSET ?", [*params, limit, offset])
    else:
        match = _match_sql(db, phrases)
        extra = "".join(" AND " + w for w in where)
        if db.dialect == "sqlite":
            found = db.rows(
                "SELECT s.pk, s.id, s.title, s.date, s.source, -bm25(stories_fts, 10.0, 5.0, 1.0) FROM stories_fts "
                f"JOIN stories s ON s.pk = stories_fts.rowid WHERE stories_fts MATCH ?{extra} "
                f"ORDER BY stories_fts.rowid DESC LIMIT {CAP + 1}", (match, *params))
        else:
            newest = newest_postgres(db, "stories s", "s.pk", f"s.search @@ to_tsquery('simple', ?){extra}", (match, *params))
            found = db.rows(
                "SELECT s.pk, s.id, s.title, s.date, s.source, ts_rank(s.search, to_tsquery('simple', ?), 1) FROM stories s "
                f"WHERE s.pk IN ({_ints(newest)}) ORDER BY s.pk DESC", (match,))
        total, lower = min(len(found), CAP), len(found) > CAP
        ranked = sorted(found[:CAP], key=lambda r: (-float(r[5]), r[0]))
        rows = ranked[offset : offset + limit]
    matches = _matching_sources(db, [row[0] for row in rows], phrases) if phrases else {}
    items = []
    for pk, story_id, title, date, source, score in rows:
        items.append({"story": story_id, "title": title, "date": date, "source": source, "score": round(float(score), 6),
                      "match": matches.get(pk)})
    return page(total, limit, offset, items, lower, query=q)


def _ints(rows: Sequence[Sequence[Any]]) -> str:
    """The first column of `rows` (pks from the database) as an SQL list of integers."""
    return ", ".join(str(int(row[0])) for row in rows) or "NULL"


FIRST_WINDOW = 5000  # pks; each further window is 4 times wider
RARE = 0.005  # matches per pk read so far under which the rest is read as the match alone


def newest_postgres(db: Database, table: str, pk: str, condition: str, params: Sequence[Any]) -> list[tuple]:
    """The pks of the newest CAP + 1 rows of `table` (pk order) that meet `condition` (a GIN match and
    more), on PostgreSQL. GIN cannot give matches in pk order, and the planner's alternative (walk the pk
    index backwards, test each row) unpacks a toasted tsvector per row: 150 ms for a common name. So the
    match is ANDed, as bitmaps, with pk windows from the newest back (5,000 pks, then 4× wider each
    time), which touches only the matching rows of the windows read."""
    top = db.value(f"SELECT max({pk}) FROM {table}") or 0
    found: list[tuple] = []
    high, width = top, FIRST_WINDOW
    with db.transaction() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")  # bitmaps, not a backward walk over the pk index
        cursor.execute("SET LOCAL enable_seqscan = off")
        while high > 0 and len(found) <= CAP:
            if top - high >= 4 * FIRST_WINDOW and len(found) < RARE * (top - high):
                # A rare match: the pk range of a wide window costs more to read than the matches left.
                # ({pk} + 0: the range as a filter on the matching rows, not an index condition.)
                found += cursor.execute(db.sql(f"SELECT {pk} FROM {table} WHERE {condition} AND {pk} + 0 <= ? "
                                               f"ORDER BY {pk} DESC LIMIT ?"), (*params, high, CAP + 1 - len(found))).fetchall()
                break
            low = max(0, high - width)
            found += cursor.execute(db.sql(f"SELECT {pk} FROM {table} WHERE {condition} AND {pk} > ? AND {pk} <= ? "
                                           f"ORDER BY {pk} DESC LIMIT ?"), (*params, low, high, CAP + 1 - len(found))).fetchall()
            high, width = low, width * 4
    return found


def _folded_with_offsets(text: str) -> tuple[str, list[int] | range]:
    """fold(text) and, for each folded character, the offset of the character it came from."""
    if text.isascii():
        return text.lower(), range(len(text))
    folded = text.translate({ord(c): fold(c) for c in set(text)})
    if len(folded) == len(text):  # every character folds to one: offsets carry over
        return folded, range(len(text))
    out, where = [], []
    for i, ch in enumerate(text):
        folded = fold(ch)
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _find_terms(text: str, phrases: list[list[str]]) -> tuple[int, int] | None:
    """Offsets in `text` of the first required phrase's first occurrence as whole words."""
    folded, where = _folded_with_offsets(text)
    found = None
    for terms in phrases:
        pattern = r"\b" + r"\W+".join(map(re.escape, terms)) + r"\b"
        m = re.search(pattern, folded)
        if m is None:
            return None
        if found is None:
            found = (where[m.start()], where[m.end() - 1] + 1)
    return found


def _matching_sources(db: Database, stories: list[int], phrases: list[list[str]]) -> dict[int, dict | None]:
    """Per story: the highlight that holds every searched phrase (else the first with any), or where the
    text (else the title) does. Two queries for the whole page."""
    highlights: dict[int, list[tuple]] = {pk: [] for pk in stories}
    for story, rank, text, start, end in db.rows("SELECT story, rank, text, start_offset, end_offset FROM highlights "
                                                 f"WHERE story IN ({_ints([(pk,) for pk in stories])}) ORDER BY story, rank"):
        highlights[story].append((rank, text, start, end))
    found: dict[int, dict | None] = {}
    for story, rows in highlights.items():
        for need_all in (True, False):
            hit = next((row for row in rows if (all if need_all else any)(_find_terms(row[1], [p]) for p in phrases)), None)
            if hit is not None:
                rank, text, start, end = hit
                found[story] = {"in": "highlight", "highlight": rank, "text": text, "start": start, "end": end, "context": None}
                break
    rest = [pk for pk in stories if pk not in found]
    for story, title, text in db.rows(f"SELECT pk, title, text FROM stories WHERE pk IN ({_ints([(pk,) for pk in rest])})"):
        found[story] = None
        for field, value in (("text", text), ("title", title)):
            span = next((span for span in (_find_terms(value or "", [terms]) for terms in phrases) if span), None)
            if span:
                start, end = span
                found[story] = {"in": field, "highlight": None, "text": value[start:end], "start": start, "end": end,
                                "context": value[max(0, start - 80) : end + 80]}
                break
    return found


# --- entities -------------------------------------------------------------------------------------

_ENTITY_COLUMNS = "pk, name, type, description, country, admin1, latitude, longitude, stories"


def _entity_dict(row: tuple) -> dict:
    pk, name, kind, description, country, admin1, lat, lon, stories = row
    return {"id": pk, "name": name, "type": kind, "description": description, "country": country, "admin1": admin1,
            "latitude": lat, "longitude": lon, "stories": stories}


def entity(db: Database, entity_id: int) -> dict:
    row = db.rows(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE pk = ?", (entity_id,))
    if not row:
        raise LookupError(f"no entity {entity_id} in the archive")
    out = _entity_dict(row[0])
    names = db.rows("SELECT name, count(*) AS n FROM mentions WHERE entity = ? GROUP BY name ORDER BY n DESC, name LIMIT 10",
                    (entity_id,))
    out["names"] = [name for name, _ in names]
    return out


def find_entities(db: Database, aliases: Aliases, name: str, kind: str | None = None, limit: int = 20, offset: int = 0) -> dict:
    """Entities by name: the name itself (after aliases), its numbered namesakes, and people whose last
    name it is ("Benotman" → "Noman Benotman"); the most reported first."""
    limit, offset = check_page(limit, offset)
    if not isinstance(name, str) or not name_key(name):
        raise InputError("an entity search needs a name")
    _, canonical = aliases.resolve(name, kind or "")
    key = name_key(canonical)
    where = "(name_key = ? OR last_name = ?"
    params: list[Any] = [key, key]
    place = geocode(canonical)
    if place and place.geonameid:
        where += " OR key = ?"
        params.append(f"place:geo:{place.geonameid}")
    where += ")"
    if kind:
        where += " AND type = ?"
        params.append(kind)
    total = db.value(f"SELECT count(*) FROM entities WHERE {where}", params)
    rows = db.rows(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE {where} ORDER BY stories DESC, pk LIMIT ? OFFSET ?",
                   [*params, limit, offset])
    return page(total, limit, offset, [_entity_dict(r) for r in rows], name=name)


def timeline(db: Database, entity_id: int, per: str = "day", limit: int = 100, offset: int = 0) -> dict:
    """Stories naming the entity per day, week (from its Monday) or month; undated stories counted apart.
    Read from entity_days (stories per entity per day, kept on every add): at most one row per day."""
    limit, offset = check_page(limit, offset)
    if per not in BUCKETS:
        raise InputError(f"per must be one of {', '.join(BUCKETS)}, not {per!r}")
    if db.dialect == "sqlite":
        bucket = {"day": "day", "week": "date(day, 'weekday 0', '-6 days')", "month": "substr(day, 1, 7)"}[per]
    else:
        bucket = {"day": "day", "week": "to_char(date_trunc('week', day::date), 'YYYY-MM-DD')",
                  "month": "substr(day, 1, 7)"}[per]
    grouped = (f"SELECT {bucket} AS bucket, sum(stories) AS stories FROM entity_days "
               f"WHERE entity = ? AND day <> '' GROUP BY {bucket}")
    total = db.value(f"SELECT count(*) FROM ({grouped}) buckets", (entity_id,))
    rows = db.rows(f"{grouped} ORDER BY bucket LIMIT ? OFFSET ?", (entity_id, limit, offset))
    undated = db.value("SELECT stories FROM entity_days WHERE entity = ? AND day = ''", (entity_id,)) or 0
    return page(total, limit, offset, [{per: b, "stories": int(n)} for b, n in rows], entity=entity_id, per=per,
                undated=int(undated))


def cooccurring(db: Database, entity_id: int, limit: int = 20, offset: int = 0) -> dict:
    """The entities named in the most stories together with this one, over all its stories: read from
    cooccurrences (stories per pair, kept on every add), in the order of its index."""
    limit, offset = check_page(limit, offset)
    total, lower = capped_count(db, "SELECT 1 FROM cooccurrences WHERE entity = ?", (entity_id,))
    considered = db.value("SELECT stories FROM entities WHERE pk = ?", (entity_id,)) or 0
    rows = db.rows("SELECT other, stories FROM cooccurrences WHERE entity = ? ORDER BY stories DESC, other "
                   "LIMIT ? OFFSET ?", (entity_id, limit, offset))
    entities = {r[0]: _entity_dict(r) for r in db.rows(
        f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE pk IN ({', '.join('?' * len(rows)) or 'NULL'})", [r[0] for r in rows])}
    return page(total, limit, offset, [{**entities[pk], "together": n} for pk, n in rows], lower, entity=entity_id,
                stories_considered=considered)


# --- quotes ---------------------------------------------------------------------------------------

_QUOTE_COLUMNS = ("s.id, s.title, q.rank, q.text, q.start_offset, q.end_offset, q.speaker, q.speaker_entity, q.speaker_start, "
                  "q.speaker_end, q.cue, q.date")


def _quote_dict(row: tuple) -> dict:
    story, title, rank, text, start, end, speaker, speaker_entity, speaker_start, speaker_end, cue, date = row
    return {"story": story, "title": title, "quote": rank, "text": text, "start": start, "end": end, "speaker": speaker,
            "speaker_entity": speaker_entity,
            "speaker_span": [speaker_start, speaker_end] if speaker_start is not None else None, "cue": cue, "date": date}


_QUOTE_ORDER = "{t}.date DESC NULLS LAST, {t}.story DESC, {t}.rank"


def quotes(db: Database, aliases: Aliases, *, speaker: str | None = None, speaker_entity: int | None = None,
           about: int | None = None, q: str | None = None, date_from: str | None = None, date_to: str | None = None,
           limit: int = 20, offset: int = 0) -> dict:
    """Quotes by a speaker (a name, or an entity id), about an entity, holding words, in a date range;
    newest first. Without words, each speaker's (or the subject's) quotes are read in the order of an index
    on (speaker or subject, date, story, rank), so a page costs its own rows. With words, the newest CAP
    matching quotes (the last archived) are the ones put in date order."""
    limit, offset = check_page(limit, offset)
    where, params = [], []
    speakers: list[int] | None = None
    if speaker is not None:
        speakers = [e["id"] for e in find_entities(db, aliases, speaker, "person", limit=MAX_LIMIT)["items"]]
        speakers += [e["id"] for e in find_entities(db, aliases, speaker, "organization", limit=MAX_LIMIT)["items"]]
    if speaker_entity is not None:
        where.append("q.speaker_entity = ?")
        params.append(speaker_entity)
    _date_range(where, params, "q.date", date_from, date_to)
    if q:
        match = _match_sql(db, parse_query(q))
        if speakers is not None:
            where.append(f"q.speaker_entity IN ({', '.join('?' * len(speakers)) or 'NULL'})")
            params += speakers
        if about is not None:
            where.append("q.pk IN (SELECT quote FROM quote_subjects WHERE entity = ?)")
            params.append(about)
        extra = "".join(" AND " + w for w in where)
        if db.dialect == "sqlite":
            found = db.rows("SELECT q.pk FROM quotes_fts JOIN quotes q ON q.pk = quotes_fts.rowid WHERE quotes_fts MATCH ?"
                            f"{extra} ORDER BY quotes_fts.rowid DESC LIMIT {CAP + 1}", (match, *params))
        else:
            found = newest_postgres(db, "quotes q", "q.pk", f"q.search @@ to_tsquery('simple', ?){extra}", (match, *params))
        total, lower = min(len(found), CAP), len(found) > CAP
        # Put in order here: a planner given "these 1,000 pks, by date" may walk the date index instead.
        keys = db.rows(f"SELECT q.pk, q.date, q.story, q.rank FROM quotes q WHERE q.pk IN ({_ints(found[:CAP])})")
        keys.sort(key=lambda k: k[3])
        keys.sort(key=lambda k: (k[1] is not None, k[1] or "", k[2]), reverse=True)  # date (undated last), story: newest first
        chosen = [pk for pk, *_ in keys[offset : offset + limit]]
        rows = {r[-1]: r[:-1] for r in db.rows(f"SELECT {_QUOTE_COLUMNS}, q.pk FROM quotes q JOIN stories s ON s.pk = q.story "
                                               f"WHERE q.pk IN ({_ints([(pk,) for pk in chosen])})")}
        return page(total, limit, offset, [_quote_dict(rows[pk]) for pk in chosen], lower)
    # One ordered run per speaker (or the subject, or all quotes by date), each cut at offset + limit, merged.
    extra = "".join(" AND " + w for w in where)
    runs: list[tuple[str, list]] = []
    if about is not None:
        spoken = ""
        if speakers is not None:
            spoken = f" AND q.speaker_entity IN ({', '.join('?' * len(speakers)) or 'NULL'})"
        runs.append(("FROM quote_subjects qs JOIN quotes q ON q.pk = qs.quote WHERE qs.entity = ?" + extra + spoken,
                     [about, *params, *(speakers or [])]))
        order = _QUOTE_ORDER.format(t="qs")
    elif speakers is not None:
        runs += [(f"FROM quotes q WHERE q.speaker_entity = ?{extra}", [pk, *params]) for pk in speakers]
        order = _QUOTE_ORDER.format(t="q")
    else:
        runs.append(("FROM quotes q WHERE " + (" AND ".join(where) or "1 = 1"), params))
        order = _QUOTE_ORDER.format(t="q")
    if not runs:
        return page(0, limit, offset, [])
    counts = [capped_count(db, f"SELECT 1 {body}", run_params) for body, run_params in runs]
    total = sum(n for n, _ in counts)
    lower = total > CAP or any(capped for _, capped in counts)
    union = " UNION ALL ".join(f"SELECT * FROM (SELECT q.pk AS pk {body} ORDER BY {order} LIMIT {offset + limit}) run{i}"
                               for i, (body, _) in enumerate(runs))
    rows = db.rows(f"SELECT {_QUOTE_COLUMNS} FROM ({union}) top JOIN quotes q ON q.pk = top.pk JOIN stories s ON s.pk = q.story "
                   f"ORDER BY {_QUOTE_ORDER.format(t='q')} LIMIT ? OFFSET ?",
                   [p for _, run_params in runs for p in run_params] + [limit, offset])
    return page(min(total, CAP), limit, offset, [_quote_dict(r) for r in rows], lower)


def _date_range(where: list, params: list, column: str, date_from: str | None, date_to: str | None) -> None:
    start, end = parse_day(date_from, "from"), parse_day_end(date_to, "to")
    if start:
        where.append(f"{column} >= ?")
        params.append(start)
    if end:
        where.append(f"{column} <= ?")
        params.append(end)


# --- casualty events ------------------------------------------------------------------------------


def _place_filter(db: Database, aliases: Aliases, place: str) -> tuple[str, list]:
    """Entities a place filter covers: a country → every place in it; a US state → its cities;
    a city → itself; a name the gazetteer does not know → places of that name."""
    _, canonical = aliases.resolve(place, "place")
    found = geocode(canonical)
    if found is None:
        return "SELECT pk FROM entities WHERE key = ?", [f"place:{name_key(canonical)}"]
    if found.level == "country":
        return "SELECT pk FROM entities WHERE country = ?", [found.country]
    if found.level == "admin1":
        return "SELECT pk FROM entities WHERE country = ? AND admin1 = ?", [found.country, found.admin1]
    return "SELECT pk FROM entities WHERE geonameid = ?", [found.geonameid]


def _event_filters(db: Database, aliases: Aliases, place: str | None, kind: str | None,
                   date_from: str | None, date_to: str | None, place_entity: int | str | None = None) -> tuple[str, list]:
    """The WHERE clause over casualties `c` for the events filters; `place_entity` is one place entity's id
    (its own events only, not those of the places inside it), or "none" for the events that name no place."""
    where, params = [], []
    if place:
        subquery, place_params = _place_filter(db, aliases, place)
        where.append(f"c.place_entity IN ({subquery})")
        params += place_params
    if place_entity == "none":
        where.append("c.place_entity IS NULL")
    elif place_entity is not None:
        where.append("c.place_entity = ?")
        params.append(int(place_entity))
    if kind:
        where.append("lower(c.kind) LIKE ?")
        params.append("%" + kind.lower().replace("%", "") + "%")
    _date_range(where, params, "c.date", date_from, date_to)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def events(db: Database, aliases: Aliases, *, place: str | None = None, kind: str | None = None,
           date_from: str | None = None, date_to: str | None = None, place_entity: int | str | None = None,
           limit: int = 20, offset: int = 0) -> dict:
    """Casualty events with their totals (all matching events, not just this page); newest first."""
    limit, offset = check_page(limit, offset)
    clause, params = _event_filters(db, aliases, place, kind, date_from, date_to, place_entity)
    count, killed, wounded = db.rows(
        f"SELECT count(*), coalesce(sum(c.killed), 0), coalesce(sum(c.wounded), 0) FROM casualties c{clause}", params)[0]
    rows = db.rows(
        "SELECT s.id, s.title, c.rank, c.kind, c.killed, c.killed_text, c.killed_start, c.killed_end, c.wounded, "
        "c.wounded_text, c.wounded_start, c.wounded_end, c.place, c.place_entity, e.country, e.latitude, e.longitude, "
        "c.date_text, c.date_value, c.date, c.start_offset, c.end_offset "
        f"FROM casualties c JOIN stories s ON s.pk = c.story LEFT JOIN entities e ON e.pk = c.place_entity{clause} "
        "ORDER BY c.date DESC NULLS LAST, c.story DESC, c.rank LIMIT ? OFFSET ?", [*params, limit, offset])
    items = []
    for (story, title, rank, kind_, k, kt, ks, ke, w, wt, ws, we, place_name, place_entity_, country, lat, lon,
         date_text, date_value, date, start, end) in rows:
        items.append({
            "story": story, "title": title, "event": rank, "kind": kind_,
            "killed": {"value": k, "text": kt, "start": ks, "end": ke} if kt is not None else None,
            "wounded": {"value": w, "text": wt, "start": ws, "end": we} if wt is not None else None,
            "place": {"name": place_name, "entity": place_entity_, "country": country, "latitude": lat, "longitude": lon}
            if place_name else None,
            "date_text": date_text, "date_value": date_value, "date": date, "start": start, "end": end})
    totals = {"events": count, "killed": int(killed), "wounded": int(wounded)}
    return page(count, limit, offset, items, totals=totals)


def event_places(db: Database, aliases: Aliases, *, kind: str | None = None, date_from: str | None = None,
                 date_to: str | None = None, limit: int = 1000) -> dict:
    """The events per place, for a map: each place entity with its coordinates (null where the gazetteer
    has none) and its events, stories, killed and wounded, the most events first; the events that name no
    place and those with no date counted apart, so none is silently left out."""
    clause, params = _event_filters(db, aliases, None, kind, date_from, date_to)
    placed = clause + (" AND " if clause else " WHERE ") + "c.place_entity IS NOT NULL"
    rows = db.rows(
        "SELECT e.pk, e.name, e.country, e.admin1, e.latitude, e.longitude, p.events, p.stories, p.killed, p.wounded "
        "FROM (SELECT c.place_entity AS place, count(*) AS events, count(DISTINCT c.story) AS stories, "
        "coalesce(sum(c.killed), 0) AS killed, coalesce(sum(c.wounded), 0) AS wounded "
        f"FROM casualties c{placed} GROUP BY c.place_entity) p JOIN entities e ON e.pk = p.place "
        "ORDER BY p.events DESC, p.killed DESC, e.pk LIMIT ?", [*params, limit])
    places = [{"id": pk, "name": name, "country": country, "admin1": admin1, "latitude": lat, "longitude": lon,
               "events": n, "stories": stories, "killed": int(killed), "wounded": int(wounded)}
              for pk, name, country, admin1, lat, lon, n, stories, killed, wounded in rows]
    count, stories, killed, wounded, unplaced, unplaced_stories, unplaced_killed = db.rows(
        "SELECT count(*), count(DISTINCT c.story), coalesce(sum(c.killed), 0), coalesce(sum(c.wounded), 0), "
        "count(*) - count(c.place_entity), count(DISTINCT CASE WHEN c.place_entity IS NULL THEN c.story END), "
        f"coalesce(sum(CASE WHEN c.place_entity IS NULL THEN c.killed END), 0) FROM casualties c{clause}", params)[0]
    undated_clause, undated_params = _event_filters(db, aliases, None, kind, None, None)
    joiner = " AND" if undated_clause else " WHERE"
    undated = db.value(f"SELECT count(*) FROM casualties c{undated_clause}{joiner} c.date IS NULL",
                       undated_params)
    kinds = [k for k, in db.rows("SELECT kind FROM casualties WHERE kind IS NOT NULL "
                                 "GROUP BY kind ORDER BY count(*) DESC, kind LIMIT 30")]
    return {"totals": {"events": count, "stories": stories, "killed": int(killed), "wounded": int(wounded)},
            "unplaced": {"events": unplaced, "stories": unplaced_stories, "killed": int(unplaced_killed)},
            "undated": {"events": undated}, "kinds": kinds, "places": places}


# --- one story ------------------------------------------------------------------------------------


def story(db: Database, story_id: str) -> dict:
    rows = db.rows("SELECT pk, id, title, date, source, lang, model, text, added_at FROM stories WHERE id = ?", (story_id,))
    if not rows:
        raise LookupError(f"no story {story_id!r} in the archive")
    pk, sid, title, date, source, lang, model, text, added = rows[0]
    highlights = [{"text": t, "start": s, "end": e, "sentence": n, "score": sc}
                  for t, s, e, n, sc in db.rows("SELECT text, start_offset, end_offset, sentence, score FROM highlights "
                                                "WHERE story = ? ORDER BY rank", (pk,))]
    entities = [{"entity": e, "id": local, "name": name, "role": role, "mentions": count, "spans": json.loads(spans)}
                for e, local, name, role, count, spans in db.rows(
                    "SELECT entity, local_id, name, role, count, spans FROM mentions WHERE story = ? ORDER BY first_offset",
                    (pk,))]
    return {"id": sid, "title": title, "date": date, "source": source, "lang": lang, "model": model, "text": text,
            "added_at": added, "highlights": highlights, "entities": entities}

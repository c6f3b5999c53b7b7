"""The archive's schema: a small versioned set of SQL steps per dialect, applied in order.

Why not Alembic: the schema has dialect-specific parts that are most of its difficulty (an FTS5 table with
triggers on SQLite, tsvector columns with GIN indexes on PostgreSQL), and an archive must migrate itself
when a user opens it, with no migration scripts directory or tool at hand. So each version is a list of
statements for each dialect; `meta` holds the application name and the version; opening an archive applies
the missing steps in one transaction, and refuses a newer version or a database that is not an archive.

Version 1: stories, highlights, entities, mentions, quotes, quantities, casualties, dates, aliases, FTS.
Version 2: what was said about an entity (quote_subjects), and offsets of the entity named as a quote's
speaker; added as a migration so that a version-1 archive is upgraded in place.
Version 3: what keeps every question's work bounded at a million stories (docs/archive.md, "Scale"):
per-entity per-day story counts (entity_days) and per-pair co-occurrence counts (cooccurrences), kept in
step on every add and delete, so that a timeline or an entity's company reads a few hundred rows instead of
joining millions of mentions; quote indexes in the questions' own order (date, story, rank, newest first),
so that "the newest 20" stops after 20 index entries; quote_subjects carries the quote's story and rank for
the same reason. The migration fills the new tables from the rows already there.
"""

from __future__ import annotations

APPLICATION = "newsbrief-archive"

_TABLES_V1 = """
CREATE TABLE stories (
    pk {serial} PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT,
    date TEXT,
    source TEXT,
    lang TEXT,
    model TEXT,
    text TEXT,
    highlights_text TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX stories_date ON stories (date);
CREATE TABLE highlights (
    story BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    sentence INTEGER,
    score REAL,
    PRIMARY KEY (story, rank)
);
CREATE TABLE entities (
    pk {serial} PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    last_name TEXT,
    type TEXT NOT NULL,
    description TEXT,
    country TEXT,
    admin1 TEXT,
    latitude REAL,
    longitude REAL,
    geonameid BIGINT,
    stories INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_name ON entities (name_key, type);
CREATE INDEX entities_last_name ON entities (last_name);
CREATE INDEX entities_country ON entities (country, admin1);
CREATE TABLE mentions (
    story BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    entity BIGINT NOT NULL REFERENCES entities (pk),
    local_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT,
    count INTEGER NOT NULL,
    first_offset INTEGER,
    spans TEXT NOT NULL,
    date TEXT,
    PRIMARY KEY (story, local_id)
);
CREATE INDEX mentions_entity ON mentions (entity, date, story);
CREATE TABLE quotes (
    pk {serial} PRIMARY KEY,
    story BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    sentence INTEGER,
    speaker TEXT,
    speaker_entity BIGINT REFERENCES entities (pk),
    cue TEXT,
    attribution TEXT,
    date TEXT,
    UNIQUE (story, rank)
);
CREATE INDEX quotes_speaker ON quotes (speaker_entity, date);
CREATE INDEX quotes_date ON quotes (date);
CREATE TABLE quantities (
    story BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    sentence INTEGER,
    value REAL,
    counts TEXT,
    qualifier TEXT,
    vague BOOLEAN NOT NULL,
    PRIMARY KEY (story, rank)
);
CREATE TABLE casualties (
    story BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    kind TEXT,
    killed INTEGER,
    killed_text TEXT,
    killed_start INTEGER,
    killed_end INTEGER,
    wounded INTEGER,
    wounded_text TEXT,
    wounded_start INTEGER,
    wounded_end INTEGER,
    place TEXT,
    place_entity BIGINT REFERENCES entities (pk),
    date_text TEXT,
    date_value TEXT,
    date TEXT,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    PRIMARY KEY (story, rank)
);
CREATE INDEX casualties_place ON casualties (place_entity, date);
CREATE INDEX casualties_date ON casualties (date);
CREATE TABLE dates (
    story BIGINT NOT NULL REFERENCES stories (pk) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    sentence INTEGER,
    value TEXT,
    relative BOOLEAN NOT NULL,
    modifier TEXT,
    PRIMARY KEY (story, rank)
);
CREATE TABLE aliases (
    alias_key TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL
);
"""

_V2 = """
CREATE TABLE quote_subjects (
    quote BIGINT NOT NULL REFERENCES quotes (pk) ON DELETE CASCADE,
    entity BIGINT NOT NULL REFERENCES entities (pk),
    date TEXT,
    PRIMARY KEY (quote, entity)
);
CREATE INDEX quote_subjects_entity ON quote_subjects (entity, date);
ALTER TABLE quotes ADD COLUMN speaker_start INTEGER;
ALTER TABLE quotes ADD COLUMN speaker_end INTEGER;
"""

_V3 = """
CREATE TABLE entity_days (
    entity BIGINT NOT NULL REFERENCES entities (pk),
    day TEXT NOT NULL,
    stories INTEGER NOT NULL,
    PRIMARY KEY (entity, day)
);
INSERT INTO entity_days (entity, day, stories)
    SELECT entity, coalesce(date, ''), count(DISTINCT story) FROM mentions GROUP BY entity, date;
CREATE TABLE cooccurrences (
    entity BIGINT NOT NULL REFERENCES entities (pk),
    other BIGINT NOT NULL REFERENCES entities (pk),
    stories INTEGER NOT NULL,
    PRIMARY KEY (entity, other)
);
INSERT INTO cooccurrences (entity, other, stories)
    SELECT a.entity, b.entity, count(DISTINCT a.story) FROM mentions a JOIN mentions b ON b.story = a.story
    AND b.entity <> a.entity GROUP BY a.entity, b.entity;
CREATE INDEX cooccurrences_top ON cooccurrences (entity, stories DESC, other);
ALTER TABLE quote_subjects ADD COLUMN story BIGINT;
ALTER TABLE quote_subjects ADD COLUMN rank INTEGER;
UPDATE quote_subjects SET story = (SELECT q.story FROM quotes q WHERE q.pk = quote_subjects.quote),
    rank = (SELECT q.rank FROM quotes q WHERE q.pk = quote_subjects.quote);
DROP INDEX quote_subjects_entity;
CREATE INDEX quote_subjects_entity ON quote_subjects (entity, date DESC{nulls}, story DESC, rank);
DROP INDEX quotes_speaker;
CREATE INDEX quotes_speaker ON quotes (speaker_entity, date DESC{nulls}, story DESC, rank);
DROP INDEX quotes_date;
CREATE INDEX quotes_date ON quotes (date DESC{nulls}, story DESC, rank);
DROP INDEX mentions_entity;
CREATE INDEX mentions_entity ON mentions (entity, date DESC{nulls}, story DESC);
DROP INDEX stories_date;
CREATE INDEX stories_date ON stories (date DESC{nulls}, pk DESC);
"""

# Full text: SQLite keeps an FTS5 index over the stories table's own columns (external content, kept in
# step by triggers) and one over quotes; diacritics are folded by the tokenizer. PostgreSQL stores a
# tsvector made from folded text (see Database.fold_sql) with a GIN index; 'simple' config on both sides
# (no stemming, no stop words) so that the two answer the same.
_SQLITE_FTS_V1 = """
CREATE VIRTUAL TABLE stories_fts USING fts5(
    title, highlights_text, text, content='stories', content_rowid='pk',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts (rowid, title, highlights_text, text)
    VALUES (new.pk, new.title, new.highlights_text, new.text);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts (stories_fts, rowid, title, highlights_text, text)
    VALUES ('delete', old.pk, old.title, old.highlights_text, old.text);
END;
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='pk',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, text) VALUES (new.pk, new.text);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, text) VALUES ('delete', old.pk, old.text);
END;
"""

_POSTGRES_FTS_V1 = """
ALTER TABLE stories ADD COLUMN search tsvector;
CREATE INDEX stories_search ON stories USING GIN (search);
ALTER TABLE quotes ADD COLUMN search tsvector;
CREATE INDEX quotes_search ON quotes USING GIN (search);
"""


def _sqlite_v1() -> str:
    return _TABLES_V1.replace("{serial}", "INTEGER") + _SQLITE_FTS_V1


def _postgres_v1() -> str:
    return _TABLES_V1.replace("{serial}", "BIGINT GENERATED BY DEFAULT AS IDENTITY") + _POSTGRES_FTS_V1


def _statements(script: str) -> list[str]:
    """Split a script on ';' at line ends, keeping trigger bodies (…; END;) whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and (not text.upper().startswith("CREATE TRIGGER") or text.upper().endswith("END;")):
            statements.append(text)
            current = []
    return [s for s in statements if s.strip()]


# MIGRATIONS[dialect][n] brings a version-n archive to version n + 1.
MIGRATIONS: dict[str, list[list[str]]] = {
    # SQLite's descending order already puts NULL last; PostgreSQL's index must say so to serve
    # ORDER BY … DESC NULLS LAST.
    "sqlite": [_statements(_sqlite_v1()), _statements(_V2), _statements(_V3.replace("{nulls}", ""))],
    "postgresql": [_statements(_postgres_v1()), _statements(_V2), _statements(_V3.replace("{nulls}", " NULLS LAST"))],
}
VERSION = len(MIGRATIONS["sqlite"])

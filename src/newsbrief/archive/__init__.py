"""The archive: every brief and its facts kept in SQLite (default) or PostgreSQL, searchable across stories.

    from newsbrief.archive import Archive
    with Archive("newsbrief.db") as archive:          # or "postgresql://user@host/db"
        archive.add(brief, text=doc.text, date="2014-11-03")
        archive.search("Derna")["items"][0]["match"]
        archive.quotes(speaker="Benotman")

docs/archive.md describes the schema, the entity rules and the CLI and HTTP interfaces."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsbrief.archive import queries
from newsbrief.archive.db import DEFAULT_PATH, ArchiveBusy, ArchiveError, Database
from newsbrief.archive.names import Aliases
from newsbrief.archive.store import StoryMeta, Writer

__all__ = [
    "DEFAULT_PATH", "Archive", "ArchiveBusy", "ArchiveError", "archive_documents", "dataset_stories", "open_worker_archive",
    "prepare_archive",
]


class Archive:
    """An open archive. `url` is a SQLite path (default newsbrief.db) or a postgresql:// URL; `aliases`
    names a JSON file of extra aliases (docs/archive.md), stored in the archive for later adds."""

    def __init__(self, url: str | Path | None = None, *, aliases: str | Path | None = None, busy_timeout: float | None = None):
        self.db = Database(url, **({"busy_timeout": busy_timeout} if busy_timeout is not None else {}))
        try:
            self.aliases = Aliases.load(aliases)
            self._writer = Writer(self.db, self.aliases)
            if aliases is not None or not self.db.value("SELECT count(*) FROM aliases"):
                self._writer.store_aliases()
            self._writer.load_aliases()
        except BaseException:
            self.db.close()
            raise

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def dialect(self) -> str:
        return self.db.dialect

    # --- filling ------------------------------------------------------------------------------------

    def add(self, brief: dict, *, text: str | None = None, date: str | None = None, source: str | None = None,
            lang: str | None = None) -> str:
        """Store one brief (made with facts) in one transaction; a story of the same id is replaced.
        `text` is the article text its offsets index into; `date` an ISO date. Returns the story id."""
        return self._writer.add(brief, StoryMeta.of(brief, text=text, date=date, source=source, lang=lang))

    def add_many(self, items: Iterable[tuple[object, dict]], *,
                 per_transaction: int = 100) -> Iterator[tuple[str | None, Exception | None]]:
        """Store (brief, {"text", "date", "source", "lang"}) pairs, `per_transaction` stories to a
        transaction; yields (story id, None) or (id or None, InputError) per pair, in order, once committed."""
        pairs = ((brief, StoryMeta.of(brief if isinstance(brief, dict) else {}, **meta)) for brief, meta in items)
        return self._writer.add_many(pairs, per_transaction)

    def add_document(self, brief: dict, doc: Any) -> str:
        """Store a brief with what its Document knows: text, date (from an HTML page), source."""
        return self.add(brief, text=doc.text, date=doc.date, source=doc.source)

    def count(self) -> int:
        return self.db.value("SELECT count(*) FROM stories")

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.db.rows("SELECT id FROM stories ORDER BY id")]

    # --- questions ----------------------------------------------------------------------------------

    def search(self, q: str | None, *, entity: str | None = None, date_from: str | None = None,
               date_to: str | None = None, limit: int = 20, offset: int = 0) -> dict:
        return queries.search(self.db, q, limit, offset, aliases=self.aliases, entity=entity, date_from=date_from,
                              date_to=date_to)

    def story(self, story_id: str) -> dict:
        return queries.story(self.db, story_id)

    def entities(self, name: str, *, type: str | None = None, limit: int = 20, offset: int = 0) -> dict:
        return queries.find_entities(self.db, self.aliases, name, type, limit, offset)

    def entity(self, entity_id: int) -> dict:
        return queries.entity(self.db, entity_id)

    def timeline(self, entity_id: int, *, per: str = "day", limit: int = 100, offset: int = 0) -> dict:
        return queries.timeline(self.db, entity_id, per, limit, offset)

    def cooccurring(self, entity_id: int, *, limit: int = 20, offset: int = 0) -> dict:
        return queries.cooccurring(self.db, entity_id, limit, offset)

    def quotes(self, *, speaker: str | None = None, speaker_entity: int | None = None, about: int | None = None,
               q: str | None = None, date_from: str | None = None, date_to: str | None = None,
               limit: int = 20, offset: int = 0) -> dict:
        return queries.quotes(self.db, self.aliases, speaker=speaker, speaker_entity=speaker_entity, about=about, q=q,
                              date_from=date_from, date_to=date_to, limit=limit, offset=offset)

    def events(self, *, place: str | None = None, kind: str | None = None, date_from: str | None = None,
               date_to: str | None = None, place_entity: int | str | None = None, limit: int = 20, offset: int = 0) -> dict:
        return queries.events(self.db, self.aliases, place=place, kind=kind, date_from=date_from, date_to=date_to,
                              place_entity=place_entity, limit=limit, offset=offset)

    def event_places(self, *, kind: str | None = None, date_from: str | None = None, date_to: str | None = None) -> dict:
        return queries.event_places(self.db, self.aliases, kind=kind, date_from=date_from, date_to=date_to)



def dataset_stories(dataset: str | Path, date_field: str | None = None) -> dict[str, dict]:
    """id → {"text", "date", "source"} of a dataset's stories (the text as briefs' offsets index it), for
    briefs made from it earlier; `date_field` names the field holding each story's date."""
    from newsbrief.errors import InputError
    from newsbrief.ingest import Fields, iter_records, record_document

    stories = {}
    for record in iter_records(dataset, Fields(date=date_field)):
        try:
            doc = record_document(record)
        except InputError:
            continue  # a record that could not be read has no brief either
        stories[record.id] = {"text": doc.text, "date": doc.date, "source": doc.source}
    return stories


def prepare_archive(url: str, facts: bool) -> str:
    """Check a batch's --archive before any work: it opens (migrating it if older), and the briefs will
    carry facts. Returns the URL the workers use (a SQLite path made absolute: workers may run elsewhere)."""
    from newsbrief.archive.db import is_postgres_url
    from newsbrief.errors import InputError

    if not facts:
        raise InputError("--archive keeps briefs with their facts: add --facts")
    if not is_postgres_url(url):
        url = str(Path(url.removeprefix("sqlite:///")).resolve())
    Archive(url).close()
    return url


_worker_archives: dict[str, Archive] = {}  # one open archive per batch worker process


def open_worker_archive(url: str) -> Archive:
    """The batch worker's archive, opened once with the gazetteer loaded (at start-up, like the model)."""
    archive = _worker_archives.get(url)
    if archive is None:
        from newsbrief.archive.geo import geocode

        archive = _worker_archives[url] = Archive(url)
        geocode("")
    return archive


def archive_documents(url: str, briefed: list[tuple[dict, Any]]) -> None:
    """Store a batch chunk's briefs with their Documents' text, date and source, in one transaction.
    Error records are not stored (their line in the output says why). Raises ArchiveError if the
    database fails, which stops the batch before the chunk's part is committed."""
    archive = open_worker_archive(url)
    pairs = [(brief, {"text": doc.text, "date": doc.date, "source": doc.source})
             for brief, doc in briefed if doc is not None and "error" not in brief]
    for story_id, error in archive.add_many(pairs, per_transaction=max(1, len(pairs))):
        if error is not None:
            raise ArchiveError(f"story {story_id} could not be archived: {error}")

"""The archive's HTTP API under /v1/archive/…, on when the service is started with an archive
(`newsbrief serve --archive DB`). Read-only: every answer is a page of the archive's query results."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from newsbrief.archive import Archive
from newsbrief.archive.geo import geocode
from newsbrief.archive.queries import BUCKETS, MAX_LIMIT

_LIMIT = Query(20, ge=1, le=MAX_LIMIT)
_OFFSET = Query(0, ge=0)


def install_archive_routes(app: FastAPI, url: str) -> Archive:
    archive = Archive(url)
    geocode("Derna")  # the gazetteer loads in seconds: at start, not in the first reader's search
    # One connection, shared by the request threads: SQLite and psycopg connections take one statement
    # at a time.
    lock = threading.Lock()

    def answer(question, *args: Any, **kwargs: Any) -> JSONResponse:
        with lock:
            try:
                return JSONResponse(question(*args, **kwargs))
            except LookupError as e:
                return JSONResponse({"error": {"status": 404, "type": "not_found", "message": str(e.args[0])}}, status_code=404)

    @app.get("/v1/archive/search", tags=["archive"])
    def search(q: str | None = None, entity: str | None = None, date_from: str | None = Query(None, alias="from"),
               date_to: str | None = Query(None, alias="to"), limit: int = _LIMIT, offset: int = _OFFSET):
        """Stories ranked by the words of `q` (\\"quoted phrases\\" kept together), each with its matching
        highlight; narrowed to a date range and to the stories that name `entity`."""
        return answer(archive.search, q, entity=entity, date_from=date_from, date_to=date_to, limit=limit, offset=offset)

    @app.get("/v1/archive/stories/{story_id}", tags=["archive"])
    def story(story_id: str):
        """One story: its text, highlights (offsets into the text) and entities."""
        return answer(archive.story, story_id)

    @app.get("/v1/archive/entities", tags=["archive"])
    def entities(name: str, type: str | None = None, limit: int = _LIMIT, offset: int = _OFFSET):
        return answer(archive.entities, name, type=type, limit=limit, offset=offset)

    @app.get("/v1/archive/entities/{entity_id}", tags=["archive"])
    def entity(entity_id: int):
        return answer(archive.entity, entity_id)

    @app.get("/v1/archive/entities/{entity_id}/timeline", tags=["archive"])
    def timeline(entity_id: int, per: str = Query("day", pattern="^(" + "|".join(BUCKETS) + ")$"),
                 limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = _OFFSET):
        return answer(archive.timeline, entity_id, per=per, limit=limit, offset=offset)

    @app.get("/v1/archive/entities/{entity_id}/cooccurring", tags=["archive"])
    def cooccurring(entity_id: int, limit: int = _LIMIT, offset: int = _OFFSET):
        return answer(archive.cooccurring, entity_id, limit=limit, offset=offset)

    @app.get("/v1/archive/quotes", tags=["archive"])
    def quotes(speaker: str | None = None, speaker_entity: int | None = None, about: int | None = None,
               q: str | None = None, date_from: str | None = Query(None, alias="from"),
               date_to: str | None = Query(None, alias="to"), limit: int = _LIMIT, offset: int = _OFFSET):
        return answer(archive.quotes, speaker=speaker, speaker_entity=speaker_entity, about=about, q=q,
                      date_from=date_from, date_to=date_to, limit=limit, offset=offset)

    @app.get("/v1/archive/events", tags=["archive"])
    def events(place: str | None = None, place_entity: str | None = Query(None, pattern=r"^(\d+|none)$"),
               kind: str | None = None, date_from: str | None = Query(None, alias="from"),
               date_to: str | None = Query(None, alias="to"), limit: int = _LIMIT, offset: int = _OFFSET):
        return answer(archive.events, place=place, place_entity=place_entity, kind=kind, date_from=date_from,
                      date_to=date_to, limit=limit, offset=offset)

    @app.get("/v1/archive/events/places", tags=["archive"])
    def event_places(kind: str | None = None, date_from: str | None = Query(None, alias="from"),
                     date_to: str | None = Query(None, alias="to")):
        """Events per place with coordinates, for a map; events with no place or no date counted apart."""
        return answer(archive.event_places, kind=kind, date_from=date_from, date_to=date_to)

    return archive

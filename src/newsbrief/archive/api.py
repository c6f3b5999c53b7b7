"""The archive's HTTP API under /v1/archive, an APIRouter that `newsbrief serve --archive DB` includes in
the service's app, so that its authentication, limits and error shapes apply here too.

Every list answer is a page: {"total", "total_is_lower_bound", "limit", "offset", "items"} (limit 1-200,
default 20; totals counted up to 1,000, then `total_is_lower_bound` is true); every item
carries its story id and the character offsets of its source in that story's text (GET
/v1/archive/stories/{id} returns the text). docs/archive.md has the reference."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from newsbrief.archive import Archive, ArchiveBusy, ArchiveError
from newsbrief.archive.geo import geocode
from newsbrief.archive.queries import MAX_LIMIT

Limit = Query(20, ge=1, le=MAX_LIMIT, description="answers per page")
Offset = Query(0, ge=0, description="answers to skip")
DateFrom = Query(None, alias="from", description="from this day: YYYY-MM-DD (YYYY-MM, YYYY: its first day)")
DateTo = Query(None, alias="to", description="up to this day, included: YYYY-MM-DD (YYYY-MM, YYYY: its last day)")
EntityId = Path(..., ge=1, description="an entity id, as entity answers give it")


# --- response shapes (documented in /openapi.json) ------------------------------------------------


class Page(BaseModel):
    total: int = Field(description="answers in all pages; counted up to 1,000 (then see total_is_lower_bound)")
    total_is_lower_bound: bool = Field(False, description="true when counting stopped at 1,000: there are more "
                                       "(\"over 1,000\"), and a full-text answer ranks the newest 1,000 matches")
    limit: int
    offset: int


class Span(BaseModel):
    text: str | None
    start: int | None = Field(description="character offset in the story's text")
    end: int | None


class Match(BaseModel):
    model_config = ConfigDict(extra="allow")
    in_: Literal["highlight", "text", "title"] = Field(alias="in", description="where the searched words are")
    highlight: int | None = Field(None, description="the highlight's index, when in a highlight")
    text: str
    start: int
    end: int
    context: str | None = Field(None, description="the words around a match in the text")


class SearchHit(BaseModel):
    story: str
    title: str | None
    date: str | None
    source: str | None
    score: float = Field(description="relevance; higher is better (bm25 on SQLite, ts_rank on PostgreSQL)")
    match: Match | None


class SearchPage(Page):
    query: str | None
    items: list[SearchHit]


class Entity(BaseModel):
    id: int
    name: str
    type: Literal["person", "organization", "place", "group"]
    description: str | None
    country: str | None = Field(description="ISO 3166 code, for geocoded places")
    admin1: str | None
    latitude: float | None
    longitude: float | None
    stories: int = Field(description="stories that name it")


class EntityDetail(Entity):
    names: list[str] = Field(description="the names stories use for it, most used first")


class EntityPage(Page):
    name: str
    items: list[Entity]


class Together(Entity):
    together: int = Field(description="stories naming both")


class TogetherPage(Page):
    entity: int
    stories_considered: int = Field(description="the entity's stories, all of them counted")
    items: list[Together]


class TimelinePage(Page):
    entity: int
    per: Literal["day", "week", "month"]
    undated: int = Field(description="stories without a date")
    items: list[dict[str, Any]] = Field(description='{"day"|"week"|"month": "2014-11-03", "stories": 2}; a week is its Monday')


class Quote(BaseModel):
    story: str
    title: str | None = Field(None, description="the story's title")
    quote: int = Field(description="the quote's index in the story's brief")
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_entity: int | None
    speaker_span: list[int] | None
    cue: str | None
    date: str | None = Field(description="the story's date")


class QuotePage(Page):
    items: list[Quote]


class Place(BaseModel):
    name: str
    entity: int | None
    country: str | None
    latitude: float | None
    longitude: float | None


class Count(BaseModel):
    value: int | None = Field(description="null for vague counts (\"dozens\")")
    text: str | None
    start: int | None
    end: int | None


class Event(BaseModel):
    story: str
    title: str | None = Field(None, description="the story's title")
    event: int
    kind: str | None
    killed: Count | None
    wounded: Count | None
    place: Place | None
    date_text: str | None
    date_value: str | None
    date: str | None = Field(description="the day it is filed under: its own date, else the story's")
    start: int
    end: int


class Totals(BaseModel):
    events: int
    killed: int
    wounded: int


class EventPage(Page):
    totals: Totals
    items: list[Event]


class PlaceEvents(BaseModel):
    id: int = Field(description="the place's entity id")
    name: str
    country: str | None
    admin1: str | None
    latitude: float | None = Field(description="null where the gazetteer has no coordinates (a country)")
    longitude: float | None
    events: int
    stories: int
    killed: int
    wounded: int


class Unplaced(BaseModel):
    events: int
    stories: int
    killed: int


class Undated(BaseModel):
    events: int = Field(description="events with no date, whatever the date filter")


class EventPlaces(BaseModel):
    totals: dict[str, int] = Field(description="events, stories, killed, wounded over all matching events")
    unplaced: Unplaced = Field(description="the matching events that name no place")
    undated: Undated
    kinds: list[str] = Field(description="the most frequent kinds of event in the archive")
    places: list[PlaceEvents]


class StoryIn(BaseModel):
    """A brief made with facts (docs/schema.md), with the article text its offsets index into."""

    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=200)
    text: str | None = Field(None, description="the article text (the service's briefs carry it)")
    date: str | None = Field(None, description="the story's date, ISO 8601")
    source: str | None = None
    lang: str | None = None
    facts: dict[str, Any] | None = None
    highlights: list[dict[str, Any]] | None = None


class Stored(BaseModel):
    story: str
    stored: bool = True


# --- the router -----------------------------------------------------------------------------------


class _Archives(threading.local):
    """One open Archive per server thread: SQLite and psycopg connections are not shared across threads."""

    def __init__(self, url: str, aliases: str | None):
        self.url, self.aliases, self.archive = url, aliases, None

    def get(self) -> Archive:
        if self.archive is None:
            self.archive = Archive(self.url, aliases=self.aliases)
        return self.archive


def archive_router(url: str, aliases: str | None = None) -> APIRouter:

    Archive(url, aliases=aliases).close()  # open (and migrate) once now: a bad URL stops the server at start
    geocode("Derna")  # the gazetteer loads in seconds: at start, not in the first search that names an entity
    archives = _Archives(url, aliases)
    router = APIRouter(prefix="/v1/archive", tags=["archive"])
    errors = {404: {"description": "no such story or entity"}, 422: {"description": "a parameter cannot be used"},
              503: {"description": "the archive's database is busy or cannot be reached"}}

    def answer(question: Callable[[Archive], Any]) -> Any:
        try:
            return question(archives.get())
        except LookupError as e:
            raise HTTPException(404, str(e)) from None
        except ArchiveBusy as e:
            raise HTTPException(503, str(e), headers={"Retry-After": "1"}) from None
        except ArchiveError as e:
            archives.archive = None  # reconnect next time: the server may be back
            raise HTTPException(503, str(e)) from None

    @router.get("/search", response_model=SearchPage, responses=errors)
    def search(q: str | None = Query(None, max_length=500, description='words (all required) and "quoted phrases"'),
               entity: str | None = Query(None, max_length=200,
                                          description="only stories that name this entity (a name, alias or last name)"),
               date_from: str | None = DateFrom, date_to: str | None = DateTo, limit: int = Limit, offset: int = Offset):
        """Full-text search over stories' titles, highlights and text, ranked; each hit shows where it matched.
        With `entity` and no words: the stories that name it, newest first."""
        return answer(lambda a: a.search(q, entity=entity, date_from=date_from, date_to=date_to, limit=limit, offset=offset))

    @router.get("/entities", response_model=EntityPage, responses=errors)
    def entities(name: str = Query(..., min_length=1, max_length=200, description="a name, alias or last name"),
                 type: Literal["person", "organization", "place", "group"] | None = None,
                 limit: int = Limit, offset: int = Offset):
        """Entities by name (aliases resolved; "Benotman" finds "Noman Benotman"), the most reported first."""
        return answer(lambda a: a.entities(name, type=type, limit=limit, offset=offset))

    @router.get("/entities/{entity_id}", response_model=EntityDetail, responses=errors)
    def entity(entity_id: int = EntityId):
        """One entity: type, description, where it is (places), the names used for it, its story count."""
        return answer(lambda a: a.entity(entity_id))

    @router.get("/entities/{entity_id}/timeline", response_model=TimelinePage, responses=errors)
    def timeline(entity_id: int = EntityId, per: Literal["day", "week", "month"] = "day",
                 limit: int = Query(100, ge=1, le=MAX_LIMIT), offset: int = Offset):
        """Stories naming the entity per day, week or month, oldest first."""
        return answer(lambda a: (a.entity(entity_id), a.timeline(entity_id, per=per, limit=limit, offset=offset))[1])

    @router.get("/entities/{entity_id}/quotes", response_model=QuotePage, responses=errors)
    def said(entity_id: int = EntityId, date_from: str | None = DateFrom, date_to: str | None = DateTo,
             limit: int = Limit, offset: int = Offset):
        """What the entity said: the quotes attributed to it, newest first."""
        return answer(lambda a: (a.entity(entity_id), a.quotes(speaker_entity=entity_id, date_from=date_from, date_to=date_to,
                                                                limit=limit, offset=offset))[1])

    @router.get("/entities/{entity_id}/quotes-about", response_model=QuotePage, responses=errors)
    def said_about(entity_id: int = EntityId, limit: int = Limit, offset: int = Offset):
        """What was said about the entity: quotes whose words name it, newest first."""
        return answer(lambda a: (a.entity(entity_id), a.quotes(about=entity_id, limit=limit, offset=offset))[1])

    @router.get("/entities/{entity_id}/cooccurring", response_model=TogetherPage, responses=errors)
    def cooccurring(entity_id: int = EntityId, limit: int = Limit, offset: int = Offset):
        """The entities named in the most stories together with this one."""
        return answer(lambda a: (a.entity(entity_id), a.cooccurring(entity_id, limit=limit, offset=offset))[1])

    @router.get("/quotes", response_model=QuotePage, responses=errors)
    def quotes(speaker: str | None = Query(None, max_length=200,
                                            description="the speaker's name; a last name finds the full one"),
               speaker_entity: int | None = Query(None, ge=1),
               about: int | None = Query(None, ge=1, description="an entity the quote names"),
               q: str | None = Query(None, max_length=500, description="words in the quote"),
               date_from: str | None = DateFrom, date_to: str | None = DateTo, limit: int = Limit, offset: int = Offset):
        """Quotes by speaker, by words, by date range; newest first."""
        return answer(lambda a: a.quotes(speaker=speaker, speaker_entity=speaker_entity, about=about, q=q,
                                         date_from=date_from, date_to=date_to, limit=limit, offset=offset))

    @router.get("/events", response_model=EventPage, responses=errors)
    def events(place: str | None = Query(None, max_length=200,
                                          description="a place; a country or US state includes the places in it"),
               place_entity: str | None = Query(None, pattern=r"^(\d+|none)$",
                                                description='one place entity\'s own events, or "none": those with no place'),
               kind: str | None = Query(None, max_length=100, description='words of the kind ("bombing")'),
               date_from: str | None = DateFrom, date_to: str | None = DateTo, limit: int = Limit, offset: int = Offset):
        """Casualty events with place, kind and date filters, and the totals over all matching events."""
        return answer(lambda a: a.events(place=place, place_entity=place_entity, kind=kind, date_from=date_from,
                                         date_to=date_to, limit=limit, offset=offset))

    @router.get("/events/places", response_model=EventPlaces, responses=errors)
    def event_places(kind: str | None = Query(None, max_length=100, description='words of the kind ("bombing")'),
                     date_from: str | None = DateFrom, date_to: str | None = DateTo):
        """Events per place with its coordinates, for a map (at most 1,000 places, the most events first); the
        events with no place and those with no date counted apart."""
        return answer(lambda a: a.event_places(kind=kind, date_from=date_from, date_to=date_to))

    @router.get("/stories/{story_id}", responses=errors)
    def story(story_id: str = Path(..., max_length=200)):
        """One archived story: its text (what every offset indexes into), date, highlights and entities."""
        return answer(lambda a: a.story(story_id))

    @router.post("/stories", status_code=201, response_model=Stored, responses=errors)
    def add(body: StoryIn) -> JSONResponse:
        """Store one brief (made with facts) and its text; a story of the same id is replaced."""
        brief = body.model_dump(exclude_none=True)
        story_id = answer(lambda a: a.add(brief))
        return JSONResponse({"story": story_id, "stored": True}, status_code=201)

    return router

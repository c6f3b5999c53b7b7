"""The facts of one article as plain dataclasses; `to_dict()` gives the JSON form in docs/schema.md.

Every fact carries character offsets into `Document.text`, so a reader can always go back to the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal

EntityType = Literal["person", "organization", "place", "group"]


def _plain(value):
    """JSON-ready form: tuples become lists, nested facts their dicts, whole floats ints."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _fields(obj) -> dict:
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    spans: list[tuple[int, int]] = field(default_factory=list)  # every mention, sorted
    aliases: list[str] = field(default_factory=list)  # other surface forms ("Benotman")
    role: str | None = None  # "a former Libyan jihadist ..." / "British Prime Minister"

    @property
    def first(self) -> int:
        return self.spans[0][0] if self.spans else -1

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "role": self.role,
            "aliases": self.aliases,
            "mentions": len(self.spans),
            "first": self.first,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(slots=True)
class Quote:
    text: str  # the words inside the marks (several paragraphs for a continued quote)
    start: int
    end: int
    sentence: int  # index of the sentence the quote starts in (-1 when outside the sentences)
    speaker: str | None = None  # canonical entity name, or the attributed phrase ("police")
    speaker_id: str | None = None  # Entity.id when the speaker is a known entity
    speaker_span: tuple[int, int] | None = None  # the words that name the speaker for this quote
    cue: str | None = None  # "said", "told", "according to", "continued" ...
    attribution: str | None = None  # before | after | inside | previous (continues the last speaker)

    def to_dict(self) -> dict:
        return _fields(self)


@dataclass(slots=True)
class Quantity:
    text: str  # "up to 300", "half a dozen"
    start: int
    end: int
    sentence: int
    value: float | None  # None for vague amounts ("dozens")
    counts: str | None = None  # what is counted: "Libyan jihadists", "miles", "population"
    qualifier: str | None = None  # "about", "up to", "at least", "more than" ...
    vague: bool = False

    def to_dict(self) -> dict:
        return _fields(self)


@dataclass(slots=True)
class DateMention:
    text: str
    start: int
    end: int
    sentence: int
    value: str | None  # ISO date or partial ("2014-11", "XXXX-07-23"); None when not resolvable
    relative: bool = False  # "months later", "last week", "friday"
    modifier: str | None = None  # early / mid / late

    def to_dict(self) -> dict:
        return _fields(self)


@dataclass(slots=True)
class Count:
    """A casualty count: the number and the words that give it."""

    value: int | None  # None when vague ("dozens")
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return _fields(self)


@dataclass(slots=True)
class CasualtyEvent:
    kind: str | None  # "suicide bombing", "air strike", "attack" ... as the text names it
    start: int  # the sentence(s) that report the event
    end: int
    sentences: list[int]
    killed: Count | None = None
    wounded: Count | None = None
    place: str | None = None
    place_id: str | None = None
    date: str | None = None  # the date words ("early November")
    date_value: str | None = None

    def to_dict(self) -> dict:
        return _fields(self)


@dataclass(slots=True)
class Facts:
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    casualties: list[CasualtyEvent] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    def entity(self, name: str) -> Entity | None:
        """The entity called `name` (canonical name or alias, case-insensitive)."""
        key = name.lower()
        for e in self.entities:
            if e.name.lower() == key or key in (a.lower() for a in e.aliases):
                return e
        return None

    def to_dict(self) -> dict:
        return _fields(self)

"""The brief: an article's highlights (and facts), one JSON shape shared by the CLI, batch, the HTTP API
and the Python API. Its schema is versioned (`SCHEMA`) and documented in docs/schema.md.

`brief` makes one `Brief`, `make_brief` its JSON; `brief_records` briefs many, one result or one error
record each — the one rule that batch jobs and the service's batch requests share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsbrief.document import Document
from newsbrief.options import BriefOptions
from newsbrief.summarizers.base import Highlight

if TYPE_CHECKING:
    from newsbrief.facts.types import Facts

SCHEMA = "newsbrief.brief/1"


@dataclass(frozen=True)
class Brief:
    document: Document
    model: str | None  # the model that chose the highlights; None when highlights were not asked for
    highlights: list[Highlight] | None
    facts: Facts | None

    def to_dict(self) -> dict:
        """The brief JSON of docs/schema.md; `highlights` and `facts` appear when they were asked for."""
        out: dict = {"schema": SCHEMA, "id": self.document.id, "title": self.document.title}
        if self.highlights is not None:
            out["model"] = self.model
            out["highlights"] = [h.to_dict() for h in self.highlights]
        if self.facts is not None:
            out["facts"] = self.facts.to_dict()
        return out


def select_highlights(doc: Document, options: BriefOptions) -> list[Highlight]:
    """The highlights `options` ask for: the model's choice, then the compressor's cuts."""
    from newsbrief.registry import load_model

    highlights = load_model(options.model).summarize(doc, count=options.count, max_words=options.max_words)
    if options.compress:
        highlights = load_model(options.compress, "compress")(doc, highlights)
    return highlights


def brief(doc: Document, options: BriefOptions = BriefOptions()) -> Brief:
    """The brief of one Document, as `options` ask."""
    highlights = select_highlights(doc, options) if options.highlights else None
    facts = None
    if options.facts:
        from newsbrief.facts import extract_facts

        facts = extract_facts(doc)
    return Brief(doc, options.model if options.highlights else None, highlights, facts)


def make_brief(doc: Document, options: BriefOptions = BriefOptions()) -> dict:
    """The brief JSON of docs/schema.md."""
    return brief(doc, options).to_dict()


def error_record(id: str | None, error: BaseException) -> dict:
    """The line a batch writes for a record it could not brief: the run goes on."""
    return {"id": id, "error": {"type": type(error).__name__, "message": str(error)}}


def brief_records(records: Iterable[tuple[str | None, Callable[[], Document]]], options: BriefOptions) -> Iterator[dict]:
    """One brief JSON per (id, read) record, in order, where `read()` gives its Document; a record that
    cannot be read or briefed gets its error record instead, and the others go on."""
    for id, read in records:
        try:
            yield make_brief(read(), options)
        except Exception as e:  # a bad record, or a bug on one record, must not end the run: it gets its line
            yield error_record(id, e)

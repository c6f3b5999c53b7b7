"""The brief: an article's highlights (and facts), one JSON shape shared by the CLI, batch, the HTTP API
and the Python API. Its schema is versioned (`SCHEMA`) and documented in docs/schema.md.

`brief` makes one `Brief`, `make_brief` its JSON; `brief_records` briefs many, one result or one error
record each — the one rule that batch jobs and the service's batch requests share.
"""

from __future__ import annotations

import json
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
    facts_error: dict | None = None  # {"type", "message"} when facts were asked for and failed

    def to_dict(self) -> dict:
        """The brief JSON of docs/schema.md; `highlights` and `facts` appear when they were asked for."""
        out: dict = {"schema": SCHEMA, "id": self.document.id, "title": self.document.title}
        if self.highlights is not None:
            out["model"] = self.model
            out["highlights"] = [h.to_dict() for h in self.highlights]
        if self.facts is not None:
            out["facts"] = self.facts.to_dict()
        if self.facts_error is not None:
            out["facts_error"] = self.facts_error
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
    facts, facts_error = None, None
    if options.facts:
        from newsbrief.facts import extract_facts

        try:
            facts = extract_facts(doc)
        except Exception as e:  # a bug on one story must not cost it its highlights
            facts_error = {"type": type(e).__name__, "message": f"the facts could not be extracted: {e}"}
    return Brief(doc, options.model if options.highlights else None, highlights, facts, facts_error)


def make_brief(doc: Document, options: BriefOptions = BriefOptions()) -> dict:
    """The brief JSON of docs/schema.md."""
    return brief(doc, options).to_dict()


def error_record(id: str | None, error: BaseException) -> dict:
    """The line a batch writes for a record it could not brief: the run goes on."""
    return {"id": id, "error": {"type": type(error).__name__, "message": str(error)}}


def json_line(result: dict) -> bytes:
    """One JSONL line of UTF-8. Whatever a result holds, a line comes out: one that cannot be encoded
    (a lone surrogate that slipped past the input checks, a value JSON has no form for) becomes the
    error record of its id, in ASCII-escaped JSON."""
    try:
        return (json.dumps(result, ensure_ascii=False) + "\n").encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError) as e:
        rid = result.get("id") if isinstance(result, dict) else None
        error = error_record(rid if isinstance(rid, str) or rid is None else str(rid), e)
        error["error"]["message"] = f"the result could not be written as JSON: {e}"
        return (json.dumps(error, ensure_ascii=True) + "\n").encode("ascii")


def brief_records(records: Iterable[tuple[str | None, Callable[[], Document]]], options: BriefOptions) -> Iterator[dict]:
    """One brief JSON per (id, read) record, in order, where `read()` gives its Document; a record that
    cannot be read or briefed gets its error record instead, and the others go on."""
    for id, read in records:
        try:
            yield make_brief(read(), options)
        except Exception as e:  # a bad record, or a bug on one record, must not end the run: it gets its line
            yield error_record(id, e)

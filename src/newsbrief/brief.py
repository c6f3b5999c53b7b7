"""The brief: one JSON shape for an article's highlights (and facts), shared by the CLI, batch and the
HTTP API. Its schema is versioned (`SCHEMA`) and documented in docs/schema.md."""

from __future__ import annotations

from newsbrief.document import Document

SCHEMA = "newsbrief.brief/1"


def make_brief(
    doc: Document,
    *,
    model: str | None = None,
    count: int | None = None,
    max_words: int | None = None,
    highlights: bool = True,
    facts: bool = False,
    compress: bool = False,
) -> dict:
    """The brief of docs/schema.md; `highlights` and `facts` appear when asked for."""
    out = {"schema": SCHEMA, "id": doc.id, "title": doc.title}
    if highlights:
        from newsbrief.highlights import get

        summarizer = get(model)
        out["model"] = summarizer.name
        out["highlights"] = [h.to_dict() for h in summarizer.summarize(doc, count=count, max_words=max_words, compress=compress)]
    if facts:
        from newsbrief.facts import extract_facts

        out["facts"] = extract_facts(doc).to_dict()
    return out


def error_record(id: str | None, error: BaseException) -> dict:
    """The line a batch writes for a record it could not brief: the run goes on."""
    return {"id": id, "error": {"type": type(error).__name__, "message": str(error)}}

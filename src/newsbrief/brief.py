"""The brief: one JSON shape for an article's highlights (and facts), shared by the CLI, batch and the
HTTP API. Its schema is versioned (`SCHEMA`) and documented in docs/schema.md."""

from __future__ import annotations

import json

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

        try:
            out["facts"] = extract_facts(doc).to_dict()
        except Exception as e:  # a bug on one story must not cost it its highlights
            out["facts_error"] = {"type": type(e).__name__, "message": f"the facts could not be extracted: {e}"}
    return out


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

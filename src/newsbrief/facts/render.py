"""Facts as Markdown for people (the JSON form is the brief: newsbrief.brief.make_brief)."""

from __future__ import annotations

from newsbrief.document import Document
from newsbrief.facts.types import Facts


def _fmt(value) -> str:
    if value is None:
        return "?"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def to_markdown(doc: Document, facts: Facts) -> str:
    lines = [f"# Facts: {doc.title or doc.id or 'article'}", ""]
    groups = [("People", "person"), ("Organisations", "organization"), ("Places", "place"), ("Groups", "group")]
    for heading, type_ in groups:
        ents = [e for e in facts.entities if e.type == type_]
        if not ents:
            continue
        lines += [f"## {heading}", ""]
        for e in sorted(ents, key=lambda e: (-len(e.spans), e.first)):
            role = f" — {e.role}" if e.role else ""
            lines.append(f"- **{e.name}**{role} ({len(e.spans)} mention{'s' if len(e.spans) != 1 else ''})")
        lines.append("")
    if facts.quotes:
        lines += ["## Quotes", ""]
        for q in facts.quotes:
            who = q.speaker or "unattributed"
            lines.append(f"- **{who}**: “{' '.join(q.text.split())}”")
        lines.append("")
    if facts.casualties:
        lines += ["## Casualties", ""]
        for c in facts.casualties:
            parts = []
            if c.killed:
                parts.append(f"{c.killed.text} killed")
            if c.wounded:
                parts.append(f"{c.wounded.text} wounded")
            where = f" in {c.place}" if c.place else ""
            when = f", {c.date}" if c.date else ""
            lines.append(f"- {c.kind or 'event'}{where}{when}: {', '.join(parts)}")
        lines.append("")
    if facts.quantities:
        lines += ["## Numbers", ""]
        for q in facts.quantities:
            what = f" {q.counts}" if q.counts else ""
            lines.append(f"- {q.text}{what}" + (" (vague)" if q.vague else f" = {_fmt(q.value)}"))
        lines.append("")
    if facts.dates:
        lines += ["## Dates", ""]
        for d in facts.dates:
            lines.append(f"- {d.text}" + (f" → {d.value}" if d.value else " (relative)"))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

"""Facts of a news article: entities, quotes with speakers, quantities, casualty events and dates.

    from newsbrief.document import segment
    from newsbrief.facts import extract_facts
    facts = extract_facts(segment(text))
    facts.to_dict()  # the "facts" part of the brief, see docs/schema.md

`extract_facts_many` runs spaCy over a batch with `nlp.pipe`, which is what batch jobs should use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsbrief.document import Document
from newsbrief.facts.types import CasualtyEvent, Count, DateMention, Entity, Facts, Quantity, Quote

__all__ = [
    "FACTS_VERSION", "CasualtyEvent", "Count", "DateMention", "Entity", "Facts", "Quantity", "Quote",
    "extract_facts", "extract_facts_many",
]  # fmt: skip

FACTS_VERSION = 1


def _assemble(doc: Document, spacy_doc) -> Facts:
    from newsbrief.facts.dates import extract_dates
    from newsbrief.facts.entities import extract_entities
    from newsbrief.facts.events import extract_casualties
    from newsbrief.facts.numbers import extract_quantities
    from newsbrief.facts.quotes import extract_quotes
    from newsbrief.facts.text import SentenceIndex

    index = SentenceIndex(doc)
    table = extract_entities(doc, spacy_doc)
    quotes = extract_quotes(doc, table, index)
    quantities = extract_quantities(doc, index)
    dates = extract_dates(doc, index)
    casualties = extract_casualties(doc, table, dates, index, quantities)
    return Facts(
        entities=table.entities,
        quotes=quotes,
        quantities=quantities,
        casualties=casualties,
        dates=dates,
    )


def extract_facts(doc: Document) -> Facts:
    """All the facts of one document."""
    from newsbrief.facts.nlp import load

    return _assemble(doc, load()(doc.text))


def extract_facts_many(docs: Iterable[Document], batch_size: int = 16, n_process: int = 1) -> Iterator[Facts]:
    """Facts for many documents, in order; spaCy sees them in batches (and `n_process` processes)."""
    from newsbrief.facts.nlp import load

    docs = list(docs)
    texts = (d.text for d in docs)
    for doc, spacy_doc in zip(docs, load().pipe(texts, batch_size=batch_size, n_process=n_process)):
        yield _assemble(doc, spacy_doc)

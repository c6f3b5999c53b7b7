"""Training documents read from datasets (JSONL / JSONL.gz / CSV) with reference highlights."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsbrief.document import Document
from newsbrief.errors import InputError
from newsbrief.ingest import iter_records, record_document


def documents(paths: Sequence[str], limit: int | None = None, min_sentences: int = 3) -> Iterator[Document]:
    """Documents that have references and at least `min_sentences` sentences, `limit` in all."""
    n = 0
    for path in paths:
        for record in iter_records(path):
            if limit is not None and n >= limit:
                return
            try:
                doc = record_document(record)
            except InputError:
                continue
            if doc.reference and len(doc.sentences) >= min_sentences:
                n += 1
                yield doc

"""The Python API, in the style of spaCy's `nlp(text) -> Doc`:

    nb = newsbrief.load(model="rerank", facts=True)   # loads the model once
    brief = nb(text_or_html)                          # a Brief
    brief.highlights, brief.facts, brief.document, brief.to_dict()

and `newsbrief.highlights(text)` for the highlights alone.
"""

from __future__ import annotations

from dataclasses import replace

from newsbrief.brief import Brief, brief, select_highlights
from newsbrief.document import Document
from newsbrief.ingest import read
from newsbrief.options import BriefOptions
from newsbrief.registry import load_model
from newsbrief.summarizers.base import Highlight


class Newsbrief:
    """Briefs articles with the options it was made with (a call may change any of them)."""

    def __init__(self, options: BriefOptions):
        self.options = options
        if options.highlights:
            load_model(options.model)  # load now, not on the first article
        if options.compress:
            load_model(options.compress, "compress")

    def __call__(self, article: str | Document, **options) -> Brief:
        """The brief of `article`: plain text, an HTML page, a `.story` text or a Document."""
        return brief(read(article), replace(self.options, **options) if options else self.options)

    def __repr__(self) -> str:
        return f"newsbrief.load({self.options!r})"


def load(
    model: str | None = None, *, count: int | None = None, max_words: int | None = None, facts: bool = False,
    compress: bool | str = False,
) -> Newsbrief:
    """A briefer with `model` (a name from `newsbrief models` or a directory made by `newsbrief train`;
    the default when None). `compress` is True for the shipped compressor, or a trained one's directory."""
    return Newsbrief(BriefOptions(model=model, count=count, max_words=max_words, facts=facts, compress=compress))


def highlights(
    article: str | Document, count: int | None = None, max_words: int | None = None, model: str | None = None,
    compress: bool | str = False,
) -> list[Highlight]:
    """The article's story highlights, in article order, each pointing at its source span.

    `article` is plain text, an HTML page or a Document. `max_words` is a budget over all highlights
    together; `model` names a model (`newsbrief models`) or a trained directory, the default when None.
    `compress` cuts attributions, asides and the like the way editors do (each highlight then lists its `spans`).
    """
    options = BriefOptions(model=model, count=count, max_words=max_words, compress=compress)
    return select_highlights(read(article), options)

"""Highlights: sentence scorers (one per module), selection, and the registry that names them.

`newsbrief.highlights(text)` is the public entry point: this module is itself callable,
so the function and the package share the name without one shadowing the other.
"""

from __future__ import annotations

import sys
import types

from newsbrief.highlights.base import DEFAULT_MODEL, Highlight, Summarizer, available, get, register

__all__ = ["DEFAULT_MODEL", "Highlight", "Summarizer", "available", "get", "register", "summarize"]


def summarize(
    source, count: int | None = None, max_words: int | None = None, model: str | None = None, compress: bool = False
) -> list[Highlight]:
    """The article's story highlights, in article order, each pointing at its source span.

    `source` is plain text, an HTML page or a Document. `max_words` is a budget over all highlights
    together; `model` names a registered model (`available()`), the default when None. `compress` cuts
    attributions, asides and the like the way editors do (each highlight then lists its `spans`).
    """
    from newsbrief.ingest import load

    return get(model).summarize(load(source), count=count, max_words=max_words, compress=compress)


class _CallableModule(types.ModuleType):
    def __call__(self, source, count: int | None = None, max_words: int | None = None, model: str | None = None,
                 compress: bool = False):
        return summarize(source, count=count, max_words=max_words, model=model, compress=compress)

    __call__.__doc__ = summarize.__doc__


sys.modules[__name__].__class__ = _CallableModule

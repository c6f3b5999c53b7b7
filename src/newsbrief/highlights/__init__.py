"""Highlights: sentence scorers (one per module), selection, and the registry that names them.

`newsbrief.highlights(text, count=3)` is the public entry point: this module is itself callable,
so the function and the package share the name without one shadowing the other.
"""

from __future__ import annotations

import sys
import types

from newsbrief.highlights.base import DEFAULT_MODEL, Highlight, Summarizer, available, get, register

__all__ = ["DEFAULT_MODEL", "Highlight", "Summarizer", "available", "get", "register", "summarize"]


def summarize(source, count: int = 3, max_words: int | None = None, model: str | None = None) -> list[Highlight]:
    """The article's story highlights, in article order, each pointing at its source span.

    `source` is plain text, an HTML page or a Document. `max_words` is a budget over all highlights
    together; `model` names a registered model (`available()`), the default when None.
    """
    from newsbrief.ingest import load

    return get(model).summarize(load(source), count=count, max_words=max_words)


class _CallableModule(types.ModuleType):
    def __call__(self, source, count: int = 3, max_words: int | None = None, model: str | None = None):
        return summarize(source, count=count, max_words=max_words, model=model)

    __call__.__doc__ = summarize.__doc__


sys.modules[__name__].__class__ = _CallableModule

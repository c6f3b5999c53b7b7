"""newsbrief: story highlights and facts for news articles, offline, on a CPU.

    >>> import newsbrief
    >>> nb = newsbrief.load()                 # the default model; newsbrief.load(model="models/ours")
    >>> brief = nb(text_or_html)
    >>> for h in brief.highlights:
    ...     print(h.text, h.start, h.end)
    >>> newsbrief.highlights(text, count=3)   # the highlights alone

Imports are lazy so that `import newsbrief` and the command line start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["load", "highlights", "read", "Newsbrief", "Brief", "BriefOptions", "Document", "Highlight"]

_LAZY = {
    "load": "newsbrief.api",
    "highlights": "newsbrief.api",
    "Newsbrief": "newsbrief.api",
    "read": "newsbrief.ingest",
    "Brief": "newsbrief.brief",
    "BriefOptions": "newsbrief.options",
    "Document": "newsbrief.document",
    "Highlight": "newsbrief.summarizers.base",
}

if TYPE_CHECKING:
    from newsbrief.api import Newsbrief, highlights, load
    from newsbrief.brief import Brief
    from newsbrief.document import Document
    from newsbrief.ingest import read
    from newsbrief.options import BriefOptions
    from newsbrief.summarizers.base import Highlight


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'newsbrief' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)

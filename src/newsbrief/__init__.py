"""newsbrief: story highlights and facts for news articles, offline, on a CPU.

    >>> import newsbrief
    >>> for h in newsbrief.highlights(text, count=3):
    ...     print(h.text, h.start, h.end)

Imports are lazy so that `import newsbrief` and the command line start fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
__all__ = ["highlights", "read", "Document", "Highlight"]

_LAZY = {
    "highlights": ("newsbrief.highlights", None),  # a callable module: newsbrief.highlights(text)
    "read": ("newsbrief.ingest", "load"),
    "Document": ("newsbrief.document", "Document"),
    "Highlight": ("newsbrief.highlights", "Highlight"),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'newsbrief' has no attribute {name!r}")
    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attr is None else getattr(module, attr)

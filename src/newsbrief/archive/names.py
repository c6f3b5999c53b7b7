"""Folding and normalising names and search text, the same way for SQLite and PostgreSQL.

`fold` is what both full-text indexes see and what cross-story entity keys are made of: lower case,
diacritics removed ("Zürich" → "zurich"), so "Zurich" finds "Zürich" on either database."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from newsbrief.errors import InputError

DEFAULT_ALIASES = Path(__file__).with_name("aliases.json")
ENTITY_TYPES = ("person", "organization", "place", "group")
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_THE = re.compile(r"^the ")
# Words that say nothing about who a person is: two descriptions agree when they share another word.
_DESCRIPTION_STOPWORDS = frozenset(
    ["a", "an", "the", "of", "for", "and", "in", "on", "at", "to", "with", "from", "by", "former", "now", "who", "is", "was", "his", "her", "their", "its", "new", "senior", "chief", "head", "also", "one", "u.s.", "us"]
)


def fold(text: str) -> str:
    """Lower case without diacritics (NFKD, combining marks dropped); ß → ss via casefold."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The normalised form entities are matched on across stories: folded, punctuation → one space,
    a leading "the" dropped ("The Islamic State" = "Islamic State"; "U.S." = "u s")."""
    return _LEADING_THE.sub("", _NON_WORD.sub(" ", fold(name)).strip())


def description_words(description: str | None) -> set[str]:
    if not description:
        return set()
    return {w for w in name_key(description).split() if w not in _DESCRIPTION_STOPWORDS and len(w) > 1}


def descriptions_agree(first: str | None, second: str | None) -> bool | None:
    """None when either description is missing (nothing says they differ), else whether they share a word."""
    a, b = description_words(first), description_words(second)
    if not a or not b:
        return None
    return bool(a & b)


class Aliases:
    """Names that stand for one entity: {"organization": {"Islamic State": ["ISIS", "ISIL", ...]}}.

    An alias maps whatever type the extractor gave the name (NER often calls "ISIS" a group in one story
    and an organisation in the next) to the canonical name and its type."""

    def __init__(self, table: dict[str, tuple[str, str]] | None = None):
        self.table: dict[str, tuple[str, str]] = dict(table or {})  # name_key → (type, canonical name)

    @classmethod
    def load(cls, *paths: str | Path | None) -> Aliases:
        aliases = cls()
        for path in (DEFAULT_ALIASES, *paths):
            if path is not None:
                aliases.update_from_file(Path(path))
        return aliases

    def update_from_file(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path}: no such aliases file") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(f"{path}: not a JSON aliases file ({e})") from None
        self.update(data, str(path))

    def update(self, data: object, origin: str = "aliases") -> None:
        if not isinstance(data, dict):
            raise InputError(f'{origin}: expected {{"organization": {{"Islamic State": ["ISIS", ...]}}, ...}}')
        for kind, groups in data.items():
            if kind not in ENTITY_TYPES or not isinstance(groups, dict):
                raise InputError(f"{origin}: {kind!r} is not one of {', '.join(ENTITY_TYPES)} with a name → aliases object")
            for canonical, names in groups.items():
                if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                    raise InputError(f"{origin}: the aliases of {canonical!r} must be a list of names")
                for name in (canonical, *names):
                    self.table[name_key(name)] = (kind, canonical)

    def resolve(self, name: str, kind: str) -> tuple[str, str]:
        """(type, name) after aliases: ("organization", "ISIL") → ("organization", "Islamic State")."""
        return self.table.get(name_key(name), (kind, name))

    def rows(self) -> list[tuple[str, str, str]]:
        return [(key, kind, canonical) for key, (kind, canonical) in sorted(self.table.items())]

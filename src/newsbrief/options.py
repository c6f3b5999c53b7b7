"""`BriefOptions`: what a brief is asked for — one frozen type, validated once where it is built (the
CLI, batch, eval, the HTTP API, the Python API) and passed on as it is, to worker processes too."""

from __future__ import annotations

from dataclasses import dataclass

from newsbrief.errors import InputError
from newsbrief.registry import DEFAULT_COMPRESSOR, DEFAULT_MODEL, resolve


@dataclass(frozen=True, slots=True)
class BriefOptions:
    model: str = DEFAULT_MODEL  # a registered name or a directory made by `newsbrief train`
    count: int | None = None  # highlights; None: the model decides
    max_words: int | None = None  # budget over all highlights together
    highlights: bool = True
    facts: bool = False
    # The compressor that cuts attributions and asides: a name or a directory made by
    # `newsbrief train --model compress`; None: no compression. True stands for the shipped one.
    compress: str | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise in place, once
        set_(self, "model", self.model or DEFAULT_MODEL)
        if self.compress is True:
            set_(self, "compress", DEFAULT_COMPRESSOR)
        elif self.compress is False or self.compress == "":
            set_(self, "compress", None)
        for name in ("count", "max_words"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise InputError(f"{name} must be a whole number of at least 1, not {value!r}")
        if not isinstance(self.model, str):
            raise InputError(f"model must be a name or a directory, not {self.model!r}")
        if self.highlights:
            resolve(self.model)  # unknown names, unreadable or mismatched model directories fail here
        if self.compress is not None:
            if not isinstance(self.compress, str):
                raise InputError(f"compress must be true, false, a name or a directory, not {self.compress!r}")
            resolve(self.compress, "compress")

    def to_dict(self) -> dict:
        """The options as JSON (a batch job's manifest records them, so a resume uses the same)."""
        return {"model": self.model, "count": self.count, "max_words": self.max_words,
                "highlights": self.highlights, "facts": self.facts, "compress": self.compress}

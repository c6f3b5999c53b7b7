"""`fast`: a LightGBM booster over hand features (no torch). Trained by `newsbrief train --model fast`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsbrief.document import Document
from newsbrief.summarizers.base import Summarizer
from newsbrief.summarizers.features import FEATURES, SCORED_SENTENCES, Idf, features
from newsbrief.summarizers.select import ranked_last
from newsbrief.registry import register


class SentenceBooster:
    """The sentence booster and its IDF table, read from a model directory."""

    def __init__(self, path: Path):
        import lightgbm as lgb  # lazy: keeps `newsbrief --help` fast

        self.idf = Idf.load(path / "idf.json.gz")
        self.booster = lgb.Booster(model_file=str(path / "booster.txt"))

    def features(self, doc: Document) -> np.ndarray:
        return features(doc, self.idf, limit=SCORED_SENTENCES)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.booster.predict(x, raw_score=True, num_threads=1)

    def score(self, doc: Document) -> np.ndarray:
        """Scores of the first SCORED_SENTENCES sentences."""
        return self.predict(self.features(doc))


@register("fast")
class Fast(Summarizer):
    trained_with = {"features": FEATURES}

    def __init__(self, path: Path):
        self.model = SentenceBooster(path)

    def score(self, doc):
        return self.model.score(doc).tolist()

    def ranked_last(self, doc):
        return ranked_last(doc)

"""`fast`: a LightGBM booster over hand features (no torch). Trained by `newsbrief train --model fast`."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsbrief.document import Document
from newsbrief.registry import register
from newsbrief.summarizers.base import Summarizer
from newsbrief.summarizers.features import FEATURES, SCORED_SENTENCES, Idf, features
from newsbrief.summarizers.select import ranked_last, restated

# What a sentence's score gains per share of a photo caption it restates (`select.restated`). A rule
# over the trained booster, its weight chosen on training articles (docs/benchmarks.md, "Published text").
CAPTION_WEIGHT = 2.0


class SentenceBooster:
    """The sentence booster and its IDF table, read from a model directory."""

    def __init__(self, path: Path):
        import lightgbm as lgb  # lazy: keeps `newsbrief --help` fast

        self.idf = Idf.load(path / "idf.json.gz")
        self.booster = lgb.Booster(model_file=str(path / "booster.txt"))

    def features(self, doc: Document) -> np.ndarray:
        return features(doc, self.idf, limit=SCORED_SENTENCES)

    def predict(self, x: np.ndarray, doc: Document | None = None) -> np.ndarray:
        """The booster's scores of feature rows `x`; with the `doc` they come from, plus what each
        gains for restating a photo caption."""
        raw = self.booster.predict(x, raw_score=True, num_threads=1)
        if doc is not None and doc.dropped and CAPTION_WEIGHT:
            raw = raw + CAPTION_WEIGHT * restated(doc, len(raw))
        return raw

    def score(self, doc: Document) -> np.ndarray:
        """Scores of the first SCORED_SENTENCES sentences."""
        return self.predict(self.features(doc), doc)


@register("fast")
class Fast(Summarizer):
    trained_with = {"features": FEATURES}

    def __init__(self, path: Path):
        self.model = SentenceBooster(path)

    def score(self, doc):
        return self.model.score(doc).tolist()

    def ranked_last(self, doc):
        return ranked_last(doc)

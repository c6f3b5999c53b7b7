"""`fast`: a LightGBM booster over hand features (no torch). Trained by `newsbrief train --model fast`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from newsbrief.highlights.base import Summarizer, register

LIMIT = 60  # sentences scored; editors' highlights come from the top of the article
MODELS = Path(str(resources.files("newsbrief") / "models"))


class Booster:
    """The booster and its IDF table, read from a model directory."""

    def __init__(self, path: Path):
        import lightgbm as lgb  # lazy: keeps `newsbrief --help` fast

        from newsbrief.highlights.features import Idf

        self.idf = Idf.load(path / "idf.json.gz")
        self.booster = lgb.Booster(model_file=str(path / "booster.txt"))

    def features(self, doc) -> np.ndarray:
        from newsbrief.highlights.features import features

        return features(doc, self.idf, limit=LIMIT)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.booster.predict(x, raw_score=True, num_threads=1)

    def score(self, doc) -> np.ndarray:
        scores = self.predict(self.features(doc))
        # Sentences past the limit rank last, in article order.
        tail = -1e3 - np.arange(len(doc.sentences) - len(scores))
        return np.concatenate([scores, tail])


@register("fast")
class Fast(Summarizer):
    faithful = True  # keep sentences opening with an unresolved pronoun or connective out

    def __init__(self, path: Path | None = None):
        self.model = Booster(Path(path) if path else MODELS / "fast")

    def score(self, doc):
        return self.model.score(doc).tolist()

    def ranked_last(self, doc):
        from newsbrief.highlights.select import ranked_last

        return ranked_last(doc) if self.faithful else None

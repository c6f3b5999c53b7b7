"""`context`: a small transformer over the article's sentences, reading MiniLM vectors and hand features.

Each sentence enters as its hand features (those of `fast`) plus, for the sentences in the encoder's
window, its contextual MiniLM vector; two self-attention layers let every sentence see the others.
The final score adds the `fast` booster's score (weighted as trained), which covers the sentences
past the window. Torch is imported when the model loads, not when this module is imported.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from newsbrief.summarizers.base import Summarizer
from newsbrief.summarizers.fast import SentenceBooster
from newsbrief.summarizers.features import FEATURES, SCORED_SENTENCES
from newsbrief.registry import register

# Counts and positions enter the network on a log scale.
LOG_FEATURES = ("pos", "n_sent", "words", "chars", "central_rank", "idf_sum")


def head_class():
    import torch
    from torch import nn

    class Head(nn.Module):
        def __init__(self, n_features: int, dim: int = 384, width: int = 64, layers: int = 2):
            super().__init__()
            self.features = nn.Linear(n_features, width)
            self.vectors = nn.Linear(dim + 1, width)
            self.position = nn.Embedding(SCORED_SENTENCES, width)
            self.norm = nn.LayerNorm(width)
            layer = nn.TransformerEncoderLayer(width, 4, 2 * width, dropout=0.1, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
            self.out = nn.Linear(width, 1)

        def forward(self, feats, vecs, pad):
            # feats (B, N, F) normalised; vecs (B, N, dim + 1) with an in-window flag; pad (B, N) True = padding
            n = feats.shape[1]
            h = self.features(feats) + self.vectors(vecs) + self.position(torch.arange(n))
            h = self.encoder(self.norm(torch.nn.functional.gelu(h)), src_key_padding_mask=pad)
            return self.out(h).squeeze(-1)

    return Head


def prepare(x: np.ndarray, names: list[str], mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Hand features as the network reads them: logs of counts, then standardised."""
    x = x.copy()
    for name in LOG_FEATURES:
        j = names.index(name)
        x[:, j] = np.log1p(np.maximum(x[:, j], 0))
    return (x - mean) / std


def with_flag(vectors: np.ndarray, n: int) -> np.ndarray:
    """(n, dim + 1): the window's vectors and a 1/0 flag; zeros for sentences past the window."""
    out = np.zeros((n, vectors.shape[1] + 1), np.float32)
    k = min(len(vectors), n)
    out[:k, :-1] = vectors[:k]
    out[:k, -1] = 1.0
    return out


@register("context")
class Context(Summarizer):
    trained_with = {"features": FEATURES}

    def __init__(self, path: Path):
        import torch

        meta = json.loads((path / "meta.json").read_text())
        self.mean = np.asarray(meta["mean"], np.float32)
        self.std = np.asarray(meta["std"], np.float32)
        self.booster_weight = meta["booster_weight"]
        # The `fast` model beside this one supplies the IDF table and the booster.
        self.fast = SentenceBooster(path.parent / meta["fast"])
        self.head = head_class()(len(FEATURES), **meta["head"])
        self.head.load_state_dict(torch.load(path / "head.pt", weights_only=True))
        self.head.eval()

    def score(self, doc):
        from newsbrief.summarizers.encoder import encode

        return self.score_with(doc, encode([s.text for s in doc.sentences[:SCORED_SENTENCES]]))

    def score_with(self, doc, vectors: np.ndarray) -> np.ndarray:
        """Scores of the first SCORED_SENTENCES sentences given the window vectors (training caches
        them; `score` computes them)."""
        import torch

        x = self.fast.features(doc)
        n = len(x)
        boost = self.fast.predict(x)
        vecs = with_flag(vectors.astype(np.float32), n)
        feats = prepare(x, FEATURES, self.mean, self.std)
        with torch.inference_mode():
            logits = self.head(
                torch.from_numpy(feats)[None], torch.from_numpy(vecs)[None], torch.zeros(1, n, dtype=torch.bool)
            )[0].numpy()
        return logits + self.booster_weight * boost

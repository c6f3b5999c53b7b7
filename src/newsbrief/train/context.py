"""Train the `context` model: a transformer head over MiniLM window vectors and hand features.

Needs the `fast` model (its IDF table and booster) in the directory beside `--out`. Window vectors
take most of the time (one int8 MiniLM pass per article); with `cache` they are kept as shards of
1,000 documents and reused by later runs.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from newsbrief.summarizers.context import head_class, prepare, with_flag
from newsbrief.summarizers.fast import SentenceBooster
from newsbrief.summarizers.features import FEATURES
from newsbrief.train.compute import Compute
from newsbrief.train.fast import cached_oracle_labels

SHARD = 1000
HEAD = {"width": 64, "layers": 2}
EPOCHS = 4
BATCH = 32


def window_vectors(docs, cache: Path | None, name: str, log=print) -> list[np.ndarray]:
    from newsbrief.summarizers.encoder import encode

    out: list[np.ndarray] = []
    t0 = time.time()
    for k in range(0, len(docs), SHARD):
        shard_path = cache / f"{name}_{k // SHARD:03d}.npy" if cache else None
        if shard_path and shard_path.exists():
            shard = list(np.load(shard_path, allow_pickle=True))
        else:
            shard = [encode([s.text for s in d.sentences]).astype(np.float16) for d in docs[k : k + SHARD]]
            if shard_path and len(shard) == SHARD:
                cache.mkdir(parents=True, exist_ok=True)
                np.save(shard_path, np.array(shard, dtype=object), allow_pickle=True)
        out.extend(shard[: len(docs) - k])
        log(f"window vectors: {len(out)} documents, {time.time() - t0:.0f} s")
    return out


def _batches(items, size, rng):
    order = rng.permutation(len(items))
    for k in range(0, len(order), size):
        yield [items[i] for i in order[k : k + size]]


def _collate(batch):
    import torch

    n = max(len(x) for x, _, _ in batch)
    feats = torch.zeros(len(batch), n, batch[0][0].shape[1])
    vecs = torch.zeros(len(batch), n, batch[0][1].shape[1])
    ys = torch.zeros(len(batch), n)
    pad = torch.ones(len(batch), n, dtype=torch.bool)
    for b, (x, v, y) in enumerate(batch):
        m = len(x)
        feats[b, :m] = torch.from_numpy(x)
        vecs[b, :m] = torch.from_numpy(v)
        ys[b, :m] = torch.from_numpy(y)
        pad[b, :m] = False
    return feats, vecs, ys, pad


def train(
    docs: list, out: Path, compute: Compute = Compute(), cache: Path | None = None, name: str = "train", log=print,
    seed: int = 0, epochs: int = EPOCHS,
) -> None:
    import torch

    t0 = time.time()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    fast = SentenceBooster(out.parent / "fast")
    vectors = window_vectors(docs, cache, name, log)
    labels = cached_oracle_labels(docs, cache, name, compute)
    log(f"oracle labels: {time.time() - t0:.0f} s")
    raw = [fast.features(d) for d in docs]
    stacked = np.concatenate(raw)
    zero, one = np.zeros(len(FEATURES), np.float32), np.ones(len(FEATURES), np.float32)
    logged = prepare(stacked, FEATURES, zero, one)
    mean, std = logged.mean(0), logged.std(0) + 1e-6
    items = []
    for x, v, picked in zip(raw, vectors, labels):
        y = np.zeros(len(x), np.float32)
        y[picked] = 1.0
        items.append((prepare(x, FEATURES, mean, std).astype(np.float32), with_flag(v.astype(np.float32), len(x)), y))

    held = max(len(items) // 20, 1)  # a slice kept out to pick the epoch and the booster weight
    dev, fit = items[:held], items[held:]
    head = head_class()(len(FEATURES), **HEAD)
    opt = torch.optim.AdamW(head.parameters(), lr=1e-3, weight_decay=0.01)
    steps = epochs * ((len(fit) + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-3, total_steps=steps, pct_start=0.1)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    best, best_state = -1.0, None
    for epoch in range(epochs):
        head.train()
        total = 0.0
        for batch in _batches(fit, BATCH, rng):
            feats, vecs, ys, pad = _collate(batch)
            loss = (loss_fn(head(feats, vecs, pad), ys) * ~pad).sum() / (~pad).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(batch)
        hit = _dev_hits(head, dev, docs[:held], fast, 0.0)
        log(f"epoch {epoch + 1}: loss {total / len(fit):.4f}, dev oracle hits@3 {hit:.4f}, {time.time() - t0:.0f} s")
        if hit > best:
            best, best_state = hit, {k: v.clone() for k, v in head.state_dict().items()}
    head.load_state_dict(best_state)
    # The booster saw these documents in training, so this weight leans its way; checked on validation.
    hits = {w: _dev_hits(head, dev, docs[:held], fast, w) for w in (0.0, 0.25, 0.5, 1.0)}
    log("dev oracle hits@3 by booster weight: " + ", ".join(f"{w}: {h:.4f}" for w, h in hits.items()))
    weight = max(hits, key=hits.get)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(head.state_dict(), out / "head.pt")
    meta = {
        "kind": "context", "features": FEATURES, "mean": mean.tolist(), "std": std.tolist(),
        "head": HEAD, "booster_weight": weight, "fast": "fast", "documents": len(docs),
    }
    (out / "meta.json").write_text(json.dumps(meta) + "\n")
    log(f"trained in {time.time() - t0:.0f} s (booster weight {weight}) -> {out}")


def _dev_hits(head, dev, docs, fast, weight: float) -> float:
    """Share of the top-3 picks that are oracle sentences: a cheap stand-in for ROUGE on the dev slice."""
    import torch

    head.eval()
    hits = 0
    with torch.inference_mode():
        for (x, v, y), doc in zip(dev, docs):
            s = head(torch.from_numpy(x)[None], torch.from_numpy(v)[None], torch.zeros(1, len(x), dtype=torch.bool))
            s = s[0].numpy()
            if weight:
                s = s + weight * fast.predict(fast.features(doc))
            hits += y[np.argsort(-s)[:3]].sum()
    return hits / (3 * len(dev))

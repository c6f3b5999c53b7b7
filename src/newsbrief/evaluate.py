"""ROUGE evaluation against reference highlights, with Google's rouge-score.

Scores are F1 × 100: ROUGE-1, ROUGE-2 and ROUGE-Lsum (stemmed; Lsum with one sentence a line, the
way the CNN/DailyMail literature reports it), averaged over documents, with 95% bootstrap intervals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsbrief.options import BriefOptions

METRICS = ("rouge1", "rouge2", "rougeLsum")
LABELS = {"rouge1": "R1", "rouge2": "R2", "rougeLsum": "RLsum"}


def _scorer():
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)


def score_pairs(predictions: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> np.ndarray:
    """Per-document F1 × 100, shape (documents, 3) in METRICS order."""
    scorer = _scorer()
    rows = []
    for pred, ref in zip(predictions, references, strict=True):
        s = scorer.score("\n".join(ref), "\n".join(pred))
        rows.append([s[m].fmeasure * 100 for m in METRICS])
    return np.asarray(rows, dtype=float).reshape(-1, len(METRICS))


def bootstrap_ci(values: np.ndarray, samples: int = 1000, seed: int = 0) -> np.ndarray:
    """95% percentile-bootstrap interval of the column means, shape (2, columns)."""
    if len(values) < 2:
        return np.vstack([values.mean(0), values.mean(0)]) if len(values) else np.zeros((2, values.shape[1]))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(values), size=(samples, len(values)))
    means = values[idx].mean(axis=1)
    return np.percentile(means, [2.5, 97.5], axis=0)


@dataclass
class ModelReport:
    model: str
    scores: np.ndarray  # (documents, 3)
    words: list[int]
    sources: list[str]
    errors: int = 0

    def summary(self) -> dict:
        def block(rows: np.ndarray, words: list[int]) -> dict:
            ci = bootstrap_ci(rows)
            out = {LABELS[m]: round(float(rows[:, i].mean()), 2) if len(rows) else 0.0 for i, m in enumerate(METRICS)}
            out["ci95"] = {LABELS[m]: [round(float(ci[0, i]), 2), round(float(ci[1, i]), 2)] for i, m in enumerate(METRICS)}
            out["mean_words"] = round(float(np.mean(words)), 1) if words else 0.0
            out["documents"] = len(rows)
            return out

        result = {"model": self.model, **block(self.scores, self.words), "errors": self.errors}
        by_source = {}
        for src in sorted(set(self.sources)):
            keep = [i for i, s in enumerate(self.sources) if s == src]
            by_source[src] = block(self.scores[keep], [self.words[i] for i in keep])
        if len(by_source) > 1:
            result["by_source"] = by_source
        return result


@dataclass
class EvalReport:
    data: str
    documents: int
    models: list[ModelReport] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"data": self.data, "documents": self.documents, "models": [m.summary() for m in self.models]}


def evaluate(
    documents: Iterable,
    models: Sequence[BriefOptions],
    data: str = "",
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    chunk: int = 200,
) -> EvalReport:
    """Score the highlights of each of `models` (the options of each brief) on Documents that carry
    reference highlights.

    With `workers` > 1 or `engine="dask"` the chunks are scored on the batch engines (ROUGE is the
    cost); the report is the same, since chunks come back in input order."""
    from functools import partial

    score = partial(_score_chunk, models=tuple(models))
    chunks = _chunks(documents, chunk)
    if workers == 1 and engine == "local":
        results = map(score, chunks)
    else:
        from newsbrief.batch.engines import map_ordered

        results = map_ordered(score, chunks, workers=workers, engine=engine, scheduler=scheduler)
    sources: list[str] = []
    scores: list[list[np.ndarray]] = [[] for _ in models]
    words: list[list[int]] = [[] for _ in models]
    errors = [0] * len(models)
    for chunk_sources, per_model in results:
        sources += chunk_sources
        for k, (rows, w, e) in enumerate(per_model):
            scores[k].append(rows)
            words[k] += w
            errors[k] += e
    report = EvalReport(data=data, documents=len(sources))
    for k, options in enumerate(models):
        rows = np.vstack(scores[k]) if scores[k] else np.zeros((0, len(METRICS)))
        report.models.append(ModelReport(options.model, rows, words[k], sources, errors[k]))
    return report


def _chunks(items: Iterable, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _score_chunk(docs: list, models: tuple[BriefOptions, ...]):
    """Each model's per-document ROUGE rows, word counts and errors on a chunk of documents."""
    from newsbrief.brief import select_highlights

    refs = [doc.reference for doc in docs]
    per_model = []
    for options in models:
        preds, words, errors = [], [], 0
        for doc in docs:
            try:
                hs = select_highlights(doc, options)
            except Exception:  # counted, and scored as an empty summary: nothing silently dropped
                errors += 1
                hs = []
            preds.append([h.text for h in hs])
            words.append(sum(len(h.text.split()) for h in hs))
        per_model.append((score_pairs(preds, refs), words, errors))
    return [doc.source or "unknown" for doc in docs], per_model

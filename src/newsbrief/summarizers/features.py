"""Hand features of a document's sentences, as one numpy matrix (one row a sentence).

Everything is computed on lowercased tokens so that a model trained on the lowercased corpus reads
cased articles the same way. Paragraph structure is not used: the corpus has one sentence a line,
so paragraph features would mean something else on real articles.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from itertools import chain, repeat
from pathlib import Path

import numpy as np

from newsbrief.document import Document

TOKEN = re.compile(r"[a-z0-9]+")
_QUOTE = re.compile(r"[\"“”]|''|``")
_SAID_END = re.compile(r"\b(?:said|says|told|added|according to)\b[^.!?]{0,60}[.!?\"'”]*\s*$")
# Openers that need an antecedent or a preceding sentence to make sense.
OPENERS = frozenset(
    "he she it they his her its their them this that these those but however and so also "
    "meanwhile yet then there him".split()
)

SCORED_SENTENCES = 60  # sentences a model scores and trains on; editors' highlights come from the top

FEATURES = [
    "pos", "rel_pos", "inv_pos", "n_sent", "words", "chars", "words_z",
    "central", "central_rank", "sim_first", "sim_lead", "sim_prev", "sim_next",
    "idf_mean", "idf_max", "idf_sum", "rare_frac", "shared_frac",
    "digit_frac", "quote", "quote_start", "said_end", "question", "opener", "doc_words_mean",
]
COLUMN = {name: j for j, name in enumerate(FEATURES)}  # read a feature by its name, not its position


class Idf:
    """Inverse document frequencies from the training corpus; unseen words get the maximum."""

    def __init__(self, table: dict[str, float], default: float):
        self.table = table
        self.default = default

    @classmethod
    def fit(cls, token_sets, min_df: int = 3) -> "Idf":
        df: dict[str, int] = {}
        n = 0
        for tokens in token_sets:
            n += 1
            for t in tokens:
                df[t] = df.get(t, 0) + 1
        table = {t: round(math.log((n + 1) / (c + 1)), 3) for t, c in df.items() if c >= min_df}
        return cls(table, round(math.log((n + 1) / min_df), 3))

    def save(self, path: Path) -> None:
        # Sorted, and no timestamp in the gzip header: the same training run gives the same bytes (the
        # table's order would otherwise follow set iteration, which changes with each process's hash seed).
        data = json.dumps({"default": self.default, "idf": self.table}, separators=(",", ":"), sort_keys=True).encode()
        path.write_bytes(gzip.compress(data, mtime=0))

    @classmethod
    def load(cls, path: Path) -> "Idf":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
        return cls(data["idf"], data["default"])


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.maximum(norms, 1e-9)


def features(doc: Document, idf: Idf, limit: int = SCORED_SENTENCES) -> np.ndarray:
    """An (n_sentences, len(FEATURES)) float32 matrix over the first `limit` sentences."""
    sents = doc.sentences[:limit]
    n = len(sents)
    texts = [s.text.lower() for s in sents]
    toks = [TOKEN.findall(t) for t in texts]
    lengths = np.array([len(ts) for ts in toks])
    flat = list(chain.from_iterable(toks))
    vocab = {t: i for i, t in enumerate(dict.fromkeys(flat))}  # word -> column, in first-seen order
    ids = np.fromiter(map(vocab.__getitem__, flat), np.int64, len(flat))
    v = max(len(vocab), 1)
    rows = np.repeat(np.arange(n), lengths)
    tf = np.bincount(rows * v + ids, minlength=n * v).reshape(n, v).astype(np.float32)
    w = np.fromiter(map(idf.table.get, vocab, repeat(idf.default)), np.float32, len(vocab)) if vocab else np.zeros(1, np.float32)
    is_digit = np.array([t[0].isdigit() for t in vocab] or [False])
    tfidf = tf * w
    unit = _unit_rows(tfidf)
    doc_vec = tfidf.sum(0)
    rest = _unit_rows(doc_vec[None, :] - tfidf)  # the document without the sentence itself
    central = (unit * rest).sum(1)
    lead = _unit_rows(tfidf[:3].sum(0, keepdims=True))[0]
    near = (unit[1:] * unit[:-1]).sum(1)  # cosine of each sentence with the next
    sim_prev = np.concatenate([[0.0], near])
    sim_next = np.concatenate([near, [0.0]])

    words = lengths.astype(np.float32)
    present = (tf > 0).astype(np.float32)
    in_sents = present.sum(0)  # in how many sentences each word occurs
    idf_sum = present @ w
    n_types = np.maximum(present.sum(1), 1)
    shared = present @ ((in_sents > 1) & (w > 2.0)).astype(np.float32)
    rare = present @ (w > 6.0).astype(np.float32)
    digits = tf @ is_digit.astype(np.float32)

    pos = np.arange(n, dtype=np.float32)
    columns = {
        "pos": pos,
        "rel_pos": pos / len(doc.sentences),
        "inv_pos": 1.0 / (pos + 1),
        "n_sent": len(doc.sentences),
        "words": words,
        "chars": [len(t) for t in texts],
        "words_z": (words - words.mean()) / (words.std() + 1e-6),
        "central": central,
        "central_rank": (-central).argsort().argsort(),
        "sim_first": unit @ unit[0],
        "sim_lead": unit @ lead,
        "sim_prev": sim_prev,
        "sim_next": sim_next,
        "idf_mean": idf_sum / n_types,
        "idf_max": (present * w).max(1),
        "idf_sum": idf_sum,
        "rare_frac": rare / n_types,
        "shared_frac": shared / n_types,
        "digit_frac": digits / np.maximum(words, 1),
        "quote": [_QUOTE.search(t) is not None for t in texts],
        "quote_start": [_QUOTE.match(t) is not None for t in texts],
        "said_end": [_SAID_END.search(t) is not None for t in texts],
        "question": ["?" in t for t in texts],
        "opener": [bool(ts) and ts[0] in OPENERS for ts in toks],
        "doc_words_mean": words.mean(),
    }
    out = np.empty((n, len(FEATURES)), np.float32)
    for name in FEATURES:
        out[:, COLUMN[name]] = columns[name]
    return out

"""Highlights from running text, not the corpus's one sentence a line: segmentation and ROUGE side by side.

    python bench/raw_text.py ../shared/data/cnndm/validation.jsonl.gz --limit 1000

The corpus ships its articles lowercased with one sentence a line, so `eval` on it never exercises the
sentence segmenter; articles from a page or a feed are running text. Each record is scored in five
forms built from the same lines (nothing is written to disk):

- `lines`: as shipped (the segmenter is skipped);
- `joined`: the lines joined into one lowercased paragraph;
- `cased lines`: each line's first letter and the pronoun "i" capitalised, as a stand-in for cased copy
  (the corpus has no cased text; proper names stay lowercased), still one a line;
- `cased`: the same, all in one paragraph;
- `paragraphs`: the same, two lines a paragraph.

For each form: boundary precision and recall against the corpus lines (a boundary is the start of a line
other than the first), segmentation time per article, and ROUGE of `lead` and the default model.
"""

from __future__ import annotations

import argparse
import re
import time

from newsbrief.document import segment
from newsbrief.evaluate import LABELS, METRICS, evaluate
from newsbrief.ingest import read
from newsbrief.ingest.dataset import iter_records
from newsbrief.options import BriefOptions
from newsbrief.registry import DEFAULT_MODEL

_FIRST_LETTER = re.compile(r"^([^a-z]*)([a-z])")
_I = re.compile(r"(?<![a-z])i(?![a-z])")


def _capitalise(line: str) -> str:
    return _I.sub("I", _FIRST_LETTER.sub(lambda m: m.group(1) + m.group(2).upper(), line, count=1))


def forms(lines: list[str]) -> dict[str, tuple[str, list[int]]]:
    """Each form's text and the offsets where lines 2.. begin in it."""

    def build(pieces: list[str], seps: list[str]) -> tuple[str, list[int]]:
        text, starts = pieces[0], []
        for sep, piece in zip(seps, pieces[1:]):
            text += sep
            starts.append(len(text))
            text += piece
        return text, starts

    n = len(lines)
    return {
        "lines": build(lines, ["\n"] * (n - 1)),
        "joined": build(lines, [" "] * (n - 1)),
        "cased lines": build([_capitalise(l) for l in lines], ["\n"] * (n - 1)),
        "cased": build([_capitalise(l) for l in lines], [" "] * (n - 1)),
        "paragraphs": build([_capitalise(l) for l in lines], ["\n\n" if i % 2 else " " for i in range(1, n)]),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--limit", type=int, default=1000)
    args = ap.parse_args()

    records = []
    for record in iter_records(args.data):
        if len(records) == args.limit:
            break
        lines = [l.strip() for l in (record.article or "").split("\n") if l.strip()]
        if record.error is None and record.highlights and len(lines) >= 3:
            records.append((record, lines))

    models = ["lead", DEFAULT_MODEL]
    print(f"{len(records)} records; models: {', '.join(models)}\n")
    header = f"{'form':<12} {'P':>6} {'R':>6} {'sent/doc':>8} {'seg ms':>7}"
    header += "".join(f" {m + ' ' + LABELS[k]:>13}" for m in models for k in METRICS) + f" {'words':>6}"
    print(header)
    for name in ("lines", "joined", "cased lines", "cased", "paragraphs"):
        texts, gold = [], []
        for record, lines in records:
            text, starts = forms(lines)[name]
            texts.append(text)
            gold.append(set(starts))
        started = time.perf_counter()
        segmented = [segment(t) for t in texts]
        seg_ms = (time.perf_counter() - started) / len(texts) * 1000
        tp = fp = fn = 0
        for doc, g in zip(segmented, gold):
            found = {s.start for s in doc.sentences[1:]}
            tp, fp, fn = tp + len(found & g), fp + len(found - g), fn + len(g - found)
        docs = [
            read(t, id=r.id, source=r.source, reference=r.highlights) for t, (r, _) in zip(texts, records)
        ]
        report = evaluate(docs, [BriefOptions(model=m) for m in models]).to_dict()["models"]
        row = f"{name:<12} {tp / max(tp + fp, 1):6.3f} {tp / max(tp + fn, 1):6.3f}"
        row += f" {sum(len(d.sentences) for d in segmented) / len(segmented):8.1f} {seg_ms:7.1f}"
        row += "".join(f" {m[LABELS[k]]:13.2f}" for m in report for k in METRICS)
        row += f" {report[-1]['mean_words']:6.1f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()

"""Highlights on published text: the 267 stories of `validation-cased.jsonl.gz` in three forms, every model
side by side in one run, with a count of highlights that hold page furniture or a photo caption.

    .venv/bin/python bench/published_text.py                       # ROUGE and furniture/caption counts
    .venv/bin/python bench/published_text.py --show 5              # and the first offending highlights

The three forms of each story (same id, same reference highlights):

- `corpus`: its record in `validation.jsonl.gz` (lowercased, one sentence a line, a period on every line);
- `published`: its record in `validation-cased.jsonl.gz` (cased running text, furniture left in);
- `run-on`: the published text with the closing period of every furniture piece and caption-like piece
  deleted (the space after it stays), so that it runs into the next sentence, as in copies that lost them.
  A piece is the text between two sentence ends, cut by this file's own simple rule: after `.`, `!` or `?`
  (and any closing quotes), before white space and a capital or an opening quote. A piece is furniture or
  caption-like when `furniture_or_caption` below says so; only a closing `.` is deleted, and never the
  article's last.

`furniture_or_caption` is this benchmark's own check, written apart from newsbrief's code (it shares no
pattern with `newsbrief.ingest.furniture`): a list of furniture phrases, the DailyMail caption form
"Label of up to five words: Sentence" (not a speaker's "He said: ..."), and "pictured left/right",
"(left)", "(right)", "(above)".
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from pathlib import Path

import numpy as np

from newsbrief.errors import InputError
from newsbrief.evaluate import score_pairs
from newsbrief.ingest import read
from newsbrief.options import BriefOptions

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cnndm"

FURNITURE = re.compile(
    r"scroll down for (?:video|more)|read more\b|share this (?:article|story|page)|follow @|follow us on|"
    r"click here\b|sign up (?:for|to)\b|\bpublished: |\bupdated: |last updated (?:at|on)|daily mail reporter|"
    r"\b(?:photo|picture|image)s?: |\((?:photo|picture|image)s?\b|getty images|contributed to this report|"
    r"\((?:ap|reuters|afp|efe|upi|dpa|ansa|pa)\)",
    re.IGNORECASE,
)
SPEECH = (
    "said says say added adds told tells wrote writes tweeted explained insisted read reads admitted revealed "
    "claimed warned stated continued posted asked replied commented declared announced confirmed joked "
    "recalled shared noted argued agreed urged concluded"
).split()
# "Missing: A search has been ...": a short label, a colon, then no quotation (that is a speaker).
CAPTION_LABEL = re.compile(r"^([A-Za-z][\w'’.-]*(?: [\w'’.-]+){0,4}) ?: (?![‘'\"“])\S")
PICTURED = re.compile(r"pictured (?:left|right|above|below|centre|center|top|bottom)\b|\((?:left|right|above|below)\)",
                      re.IGNORECASE)
PIECE_END = re.compile(r"(?<=[.!?])[’'\"”]*\s+(?=[A-Z‘'\"“])")


def pieces(text: str) -> list[tuple[int, int]]:
    """Spans of `text` between this file's simple sentence ends."""
    spans, start = [], 0
    for m in PIECE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


NOT_A_LABEL = set("and but so he she it they we i you there this that what as if when while".split())


def is_caption(piece: str) -> bool:
    m = CAPTION_LABEL.match(piece.strip())
    if m and m.group(1).split()[-1].lower() not in SPEECH and m.group(1).split()[0].lower() not in NOT_A_LABEL:
        return True
    return bool(PICTURED.search(piece))


def furniture_or_caption(text: str) -> str | None:
    """"furniture" or "caption" when `text` (a highlight) holds one, else None."""
    if FURNITURE.search(text):
        return "furniture"
    # A caption may open the highlight or have run into it: look at each piece and at each point where
    # a label could start after a lowercase word or a number (the run-on seam).
    for a, b in pieces(text):
        if is_caption(text[a:b]):
            return "caption"
    return None


def run_on(text: str) -> str:
    """The published text with the closing period of each furniture or caption-like piece deleted."""
    out = list(text)
    spans = pieces(text)
    for a, b in spans[:-1]:
        piece = text[a:b]
        if furniture_or_caption(piece) and piece.endswith("."):
            out[b - 1] = ""
    return "".join(out)


def load(limit: int | None) -> dict[str, list[dict]]:
    with gzip.open(DATA / "validation-cased.jsonl.gz", "rt", encoding="utf-8") as f:
        published = [json.loads(line) for line in f][:limit]
    wanted = {r["id"] for r in published}
    corpus = {}
    with gzip.open(DATA / "validation.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in wanted:
                corpus[r["id"]] = r
    return {
        "corpus": [corpus[r["id"]] for r in published],
        "published": published,
        "run-on": [{**r, "article": run_on(r["article"])} for r in published],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=["rerank", "fast", "lead"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--show", type=int, default=0, help="print up to N offending highlights per form and model")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    from newsbrief.brief import select_highlights

    forms = load(args.limit)
    changed = sum(a["article"] != b["article"] for a, b in zip(forms["published"], forms["run-on"]))
    removed = sum(len(a["article"]) - len(b["article"]) for a, b in zip(forms["published"], forms["run-on"]))
    print(f"run-on form: {removed} periods deleted in {changed} of {len(forms['published'])} stories")
    rows, figures = [], {}
    for form, records in forms.items():
        docs, refs, errors = [], [], 0
        t0 = time.process_time()
        for r in records:
            try:
                docs.append(read(r["article"], id=r["id"]))
            except InputError:
                errors += 1
                docs.append(None)
            refs.append([h.strip() for h in r["highlights"].splitlines() if h.strip()])
        read_cpu = time.process_time() - t0
        for model in args.models:
            options = BriefOptions(model=model)
            preds, bad = [], []
            for doc in docs:
                hs = select_highlights(doc, options) if doc is not None else []
                preds.append([h.text for h in hs])
                bad += [(doc.id, h.text, kind) for h in hs if (kind := furniture_or_caption(h.text))]
            means = score_pairs(preds, refs).mean(0)
            words = float(np.mean([len(" ".join(p).split()) for p in preds]))
            kinds = {k: sum(b[2] == k for b in bad) for k in ("furniture", "caption")}
            figures[(form, model)] = [*map(float, means)]
            rows.append((form, model, *means, words, kinds["furniture"], kinds["caption"], errors, read_cpu))
            for id, text, kind in bad[: args.show]:
                print(f"  [{form} {model} {kind}] {id}: {text}")
    print("\n| form | model | R1 | R2 | RLsum | words | with furniture | with a caption | read errors | read CPU s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for form, model, r1, r2, rl, words, fur, cap, err, cpu in rows:
        print(f"| {form} | {model} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {words:.1f} | {fur} | {cap} | {err} | {cpu:.2f} |")
    if {"rerank", "lead"} <= set(args.models):
        print("\n| form | rerank R1 | rerank − lead R1 | rerank R1 − corpus form's |")
        print("|---|---:|---:|---:|")
        base = figures[("corpus", "rerank")][0]
        for form in forms:
            r1 = figures[(form, "rerank")][0]
            print(f"| {form} | {r1:.2f} | {r1 - figures[(form, 'lead')][0]:+.2f} | {r1 - base:+.2f} |")
    if args.json:
        args.json.write_text(json.dumps([dict(zip(
            ("form", "model", "R1", "R2", "RLsum", "words", "furniture", "caption", "errors", "read_cpu"), map(
                lambda v: v if isinstance(v, str | int) else round(float(v), 3), row))) for row in rows], indent=1))


if __name__ == "__main__":
    main()

"""Quality and speed of newsbrief models and peer tools, side by side in one run.

Each system runs in its own subprocess over the same validation articles (so its peak memory is its
own); the parent scores every system's output with the same ROUGE scorer as `newsbrief eval`.

    python bench/peers.py --data ../shared/data/cnndm/validation.jsonl.gz \
        --systems lead,sumy-lexrank,sumy-textrank,lede

Any registered newsbrief model name is a system; peers are `sumy-lexrank`, `sumy-textrank`, `lede`.
Peers get the article's sentences from newsbrief's document model (the corpus is one sentence a line)
and the same number of sentences (3); lede, which takes a character budget, gets Lead-3's length.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WORD = re.compile(r"\w+", re.UNICODE)


class _RegexTokenizer:
    """sumy's own tokenizer needs NLTK's punkt data, which cannot be installed here."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return _WORD.findall(sentence)


def _sumy(kind: str):
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    tokenizer = _RegexTokenizer()
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))

    def run(doc, count):
        model = ObjectDocumentModel([Paragraph([Sentence(s.text, tokenizer) for s in doc.sentences])])
        return [str(s) for s in summarizer(model, count)]

    return run


def _lede():
    import lede

    def run(doc, count):
        budget = sum(len(s.text) + 1 for s in doc.sentences[:count])
        summary = lede.summarize("\n".join(s.text for s in doc.sentences), max_length=budget).summary
        return [line.strip() for line in summary.splitlines() if line.strip()]

    return run


def _newsbrief(name: str):
    from newsbrief.registry import load_model

    model = load_model(name)

    def run(doc, count):
        # As `newsbrief highlights` runs by default: lead and fast give 3, rerank decides (2-4).
        return [h.text for h in model.summarize(doc)]

    return run


def system(name: str):
    if name.startswith("sumy-"):
        return _sumy(name.removeprefix("sumy-"))
    if name == "lede":
        return _lede()
    return _newsbrief(name)


def worker(name: str, data: str, limit: int | None, count: int, out: str) -> None:
    """Run one system over the data; write its outputs and timings as JSON."""
    from newsbrief.ingest import iter_records, record_document

    docs = []
    for n, record in enumerate(iter_records(data)):
        if limit is not None and n >= limit:
            break
        if record.error is None and record.highlights:
            docs.append(record_document(record))
    t0 = time.perf_counter()
    run = system(name)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    outputs = [run(doc, count) for doc in docs]
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(out).write_text(json.dumps({
        "outputs": outputs, "references": [d.reference for d in docs], "sources": [d.source for d in docs],
        "seconds": seconds, "load_seconds": load, "peak_mb": peak_mb,
    }))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/cnndm/validation.jsonl.gz")
    ap.add_argument("--systems", default="lead,sumy-lexrank,sumy-textrank,lede")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.data, args.limit, args.count, args.out)
        return

    from newsbrief.evaluate import LABELS, METRICS, bootstrap_ci, score_pairs

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.systems.split(","):
            out = Path(tmp) / f"{name}.json"
            cmd = [sys.executable, __file__, "--worker", name, "--data", args.data, "--count", str(args.count),
                   "--out", str(out)] + (["--limit", str(args.limit)] if args.limit else [])
            subprocess.run(cmd, check=True)
            r = json.loads(out.read_text())
            scores = score_pairs(r["outputs"], r["references"])
            ci = bootstrap_ci(scores)
            row = {"system": name, "documents": len(scores)}
            row.update({LABELS[m]: round(float(scores[:, i].mean()), 2) for i, m in enumerate(METRICS)})
            row["R1_ci95"] = [round(float(ci[0, 0]), 2), round(float(ci[1, 0]), 2)]
            row["words"] = round(sum(len(" ".join(o).split()) for o in r["outputs"]) / max(len(scores), 1), 1)
            row["articles_per_s"] = round(len(scores) / r["seconds"], 1)
            row["load_s"] = round(r["load_seconds"], 2)
            row["peak_mb"] = round(r["peak_mb"])
            rows.append(row)
            print(f"{name}: done", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| system | R1 | R2 | RLsum | R1 95% CI | words | articles/s | load s | peak MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['system']} | {r['R1']:.2f} | {r['R2']:.2f} | {r['RLsum']:.2f} | "
              f"{r['R1_ci95'][0]:.2f}–{r['R1_ci95'][1]:.2f} | {r['words']} | {r['articles_per_s']:,} | "
              f"{r['load_s']} | {r['peak_mb']} |")


if __name__ == "__main__":
    main()

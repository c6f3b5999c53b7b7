"""Quantities: numbers (digits or words) with what they count and how sure the text is about them.

"800 fighters", "population of about 100,000", "just about 200 miles", "up to 300 Libyan jihadists",
"half a dozen camps", "dozens" (vague). Dates, times, years, ages and ordinals are not quantities.
"""

from __future__ import annotations

import re

from newsbrief.document import Document
from newsbrief.facts.types import Quantity
from newsbrief.facts.text import SentenceIndex, words_after, words_before

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "dozen": 12}  # fmt: skip
_VAGUE = {"dozens", "scores", "hundreds", "thousands", "millions", "billions"}

_UNIT_WORD = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?"
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion|dozen)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    r"(?<![\w.,$£€-])(?P<cur>[$£€])?(?:"
    r"(?P<digits>" + _DIGITS + r")(?:\s+(?P<dscale>" + _SCALE_WORD + r"))?"
    r"|(?P<half>half\s+a\s+" + _SCALE_WORD + r")"
    r"|(?P<a>an?\s+" + _SCALE_WORD + r"(?:\s+(?:and\s+)?" + _UNIT_WORD + r")?)"
    r"|(?P<words>" + _UNIT_WORD + r"(?:[\s-]+(?:and\s+)?(?:" + _UNIT_WORD + "|" + _SCALE_WORD + r"))*)"
    r"|(?P<vague>(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores(?=\s+of\b)|hundreds|thousands|millions|billions)"
    r")(?P<pct>\s*%|\s+percent\b|\s+per\s+cent\b)?(?![\w%])",
    re.IGNORECASE,
)

_QUALIFIERS = (
    "just about", "just over", "just under", "more than", "less than", "fewer than", "at least",
    "at most", "up to", "as many as", "as few as", "close to", "an estimated", "upwards of",
    "about", "around", "approximately", "roughly", "nearly", "almost", "some", "over", "only",
    "under", "estimated",
)  # fmt: skip
_QUALIFIER = re.compile(r"\b(" + "|".join(q.replace(" ", r"\s+") for q in _QUALIFIERS) + r")\s+$", re.IGNORECASE)

_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_TIME_WORDS = set(
    "a.m. p.m. am pm o'clock year years years-old year-old day days week weeks month months decade decades "
    "century centuries time times hour hours minute minutes second seconds night nights morning "
    "afternoon evening".split()
)
# Words that end a counted noun phrase ("800 fighters and ...", "300 jihadists who ...").
_STOP = set(
    """a an the and or but nor of in on at by for from to with without into onto over under about after
    before since during than as that which who whom whose what when where while because if so though
    although is are was were be been being am has have had do does did will would can could may might
    must shall should not no yes this these those there here it its they them their he she his her we
    our you your i my me us him per each every all some any more most less least other another such
    same than then also just only even still very too up down out off again against between among
    through across around toward towards near inside outside within upon via like unlike
    killed wounded injured dead died die dying said says say told tell according reported
    including included remain remained left leaving killing injuring wounding were""".split()
)


def parse_number(words: str) -> float | None:
    """Value of a number written in digits or words: "100,000", "1.5 million", "twenty-one", "half a dozen"."""
    s = words.lower().replace(",", "").strip()
    s = re.sub(r"\s+", " ", s)
    if s in _VAGUE or " of " in s:
        return None
    if s.startswith("half a "):
        return _SCALES.get(s[7:], 0) / 2 or None
    total, current = 0.0, 0.0
    for tok in re.split(r"[\s-]+", s):
        if tok in ("and", ""):
            continue
        if tok in ("a", "an"):
            current = 1
        elif re.fullmatch(r"\d+(?:\.\d+)?", tok):
            current += float(tok)
        elif tok in _UNITS:
            current += _UNITS[tok]
        elif tok in _SCALES:
            scale = _SCALES[tok]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
        else:
            return None
    return total + current


def _counted(text: str, end: int) -> tuple[str | None, int]:
    """What the number at `end` counts: the short noun phrase after it ("Libyan jihadists")."""
    ws = words_after(text, end, limit=4)
    if ws and ws[0].group().lower() == "of" and len(ws) > 1:  # "dozens of fighters", "a dozen of"
        ws = ws[1:]
    kept = []
    for i, m in enumerate(ws):
        w = m.group().lower()
        if w in _STOP or w[0].isdigit():
            break
        # "14 wounded." / "dozens targeted for" -- a participle that is not followed by its noun
        if w.endswith("ed") and (i + 1 >= len(ws) or ws[i + 1].group().lower() in _STOP):
            break
        kept.append(m)
        if len(kept) == 3:
            break
    if not kept:
        return None, end
    return text[kept[0].start() : kept[-1].end()], kept[-1].end()


def _counted_before(text: str, start: int) -> str | None:
    """"population of about 100,000": the noun before "of" names what the number counts."""
    ws = words_before(text, start, limit=3)
    names = [m.group().lower() for m in ws]
    if len(names) >= 2 and names[-1] == "of" and names[-2] not in _STOP and not names[-2][0].isdigit():
        return ws[-2].group()
    return None


def _is_date_or_time(text: str, m: re.Match) -> bool:
    before = [w.group().lower().rstrip(".") for w in words_before(text, m.start(), limit=2)]
    after = [w.group().lower() for w in words_after(text, m.end(), limit=2)]
    if m.group("digits"):
        d = m.group("digits")
        if before and before[-1] in _MONTHS or after and after[0] in _MONTHS:
            return True  # "July 23", "23 July"
        if re.fullmatch(r"(1[89]|20)\d\d", d) and not m.group("cur") and not m.group("pct"):
            return True  # a year
        if text[m.end() : m.end() + 1] in (":",) or after and after[0] in ("a.m", "p.m", "am", "pm"):
            return True
    if text[m.end() : m.end() + 1] == "-" and re.match(r"-(?:years?|months?|weeks?|days?)[- ]old", text[m.end() :]):
        return True  # an age: "35-year-old"
    if text[m.end() : m.end() + 2].lower() in ("st", "nd", "rd", "th"):
        return True
    if re.match(r"-\d|\d-", text[m.end() : m.end() + 2]) or text[m.start() - 1 : m.start()] == "-" and m.start() > 1 and text[m.start() - 2].isdigit():
        return True  # a score or a range's bound: "beat Arsenal 3-1"
    if m.group("words") and re.match(r"-[a-z]", text[m.end() : m.end() + 2], re.IGNORECASE):
        return True  # a compound word: "ten-for-one", "three-time champion"
    return False


def extract_quantities(doc: Document, index: SentenceIndex | None = None) -> list[Quantity]:
    text = doc.text
    index = index or SentenceIndex(doc)
    lo = doc.sentences[0].start if doc.sentences else 0
    out: list[Quantity] = []
    for m in _NUMBER.finditer(text, lo):
        if _is_date_or_time(text, m):
            continue
        raw = m.group()
        vague = bool(m.group("vague"))
        value = None if vague else parse_number(raw.lstrip("$£€").replace("%", "").replace("per cent", "").replace("percent", ""))
        if value is None and not vague:
            continue
        if re.match(r",\s*$", text[max(0, m.start() - 2) : m.start()]) and text[m.end() : m.end() + 1] == "," and not words_after(text, m.end() + 1, 1) == []:
            prev = words_before(text, m.start() - 2, limit=1)
            if prev and prev[0].group()[0].isupper() and value and value < 120:
                continue  # "Lucy Letby, 33, ...": an age
        word = m.group("words")
        if word and word.lower() == "one":
            after = words_after(text, m.end(), limit=1)
            before = words_before(text, m.start(), limit=1)
            # "one of those shipments", "no one", "one another": not a count
            if not after or after[0].group().lower() in _STOP | {"another"} or (before and before[-1].group().lower() in ("no", "the", "any", "every", "some")):
                continue
        counts, _ = _counted(text, m.end())
        if counts and counts.lower().split()[0] in _TIME_WORDS:
            continue  # "three days", "two years": durations belong with dates
        start = m.start()
        qualifier = None
        q = _QUALIFIER.search(text, max(0, start - 20), start)
        if q:
            qualifier = re.sub(r"\s+", " ", q.group(1).lower())
            start = q.start(1)
        if m.group("pct"):
            counts = "percent"
        elif m.group("cur"):
            counts = {"$": "dollars", "£": "pounds", "€": "euros"}[m.group("cur")]
        elif counts is None and text[m.end() : m.end() + 1] == "-":
            unit = re.match(r"-([a-z]+)", text[m.end() :], re.IGNORECASE)
            counts = unit.group(1) if unit else None  # "6.4-magnitude", "200-mile"
        elif counts is None:
            counts = _counted_before(text, start)
        out.append(
            Quantity(
                text=text[start : m.end()],
                start=start,
                end=m.end(),
                sentence=index.at(m.start()),
                value=value,
                counts=counts,
                qualifier=qualifier,
                vague=vague,
            )
        )
    return out

"""Date expressions, absolute and relative, normalised against the article's own date when it has one.

"in early November" -> 2014-11 (modifier early) for a story dated 2014-12-01, or XXXX-11 without a date;
"July 23" -> XXXX-07-23; "friday" / "last week" / "two days ago" -> resolved by dateparser from the
article date; "months later" stays relative with no value.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from newsbrief.document import Document
from newsbrief.facts.types import DateMention
from newsbrief.facts.text import SentenceIndex

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan\.|feb\.|aug\.|sept?\.|oct\.|nov\.|dec\.)"
_MOD = r"(?:(?P<{}>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)[\s-]+)?"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_UNIT = r"(?:days?|weeks?|months?|years?|decades?)"
_COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few|\d+)"

_DATE = re.compile(
    r"\b(?:"
    # July 23, 2014 / early November / June 2014 / 23 July
    r"(?P<md>" + _MOD.format("mod") + r"(?P<month>" + _MONTH + r")(?:\s+" + _DAY + r"\b)?(?:,?\s+" + _YEAR + r")?)"
    r"|(?P<dm>(?P<day2>[12]\d|3[01]|0?[1-9])\s+(?P<month2>" + _MONTH + r")(?:\s+(?P<year2>(?:19|20)\d\d))?)"
    r"|(?P<season>(?:(?:the|last|this|next)\s+)(?:summer|spring|autumn|fall|winter)(?:\s+of\s+(?P<year3>(?:19|20)\d\d))?)"
    r"|(?P<wd>(?:(?:last|next|this)\s+)?" + _WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?)"
    r"|(?P<rel>(?:yesterday|today|tomorrow|tonight)"
    r"|(?:last|next|this|earlier\s+this|later\s+this)\s+(?:week(?:end)?|month|year)"
    r"|" + _COUNT + r"\s+" + _UNIT + r"\s+(?:ago|later|earlier|before|after)"
    r"|(?:days|weeks|months|years|decades)\s+(?:later|earlier|ago|before)"
    r"|the\s+(?:same|next|following|previous)\s+(?:day|week|month|year|morning|night))"
    r"|(?P<yr>(?<![\d,.])" + _MOD.format("mod2") + r"(?P<year4>(?:19|20)\d\d)(?!\s*%|\s+percent|[\d,]))"
    r")\b",
    re.IGNORECASE,
)
_MOD_NORMAL = {"the end of": "late", "the beginning of": "early", "the start of": "early", "the middle of": "mid"}
# "may" and "march" are usually verbs: accept them as months only in a date-like frame.
_AMBIGUOUS = {"may", "march"}
_MONTH_FRAME = re.compile(r"(?:\b(?:in|early|mid|late|since|until|by|last|this|next|of|from|through)[\s-]+)$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _dateparser(expression: str, base: str) -> str | None:
    """Resolve a relative expression ("last week", "two days ago", "friday") against `base`."""
    import dateparser  # imported lazily: it costs ~0.3 s

    from datetime import datetime

    settings = {"RELATIVE_BASE": datetime.fromisoformat(base), "PREFER_DATES_FROM": "past"}
    words = re.sub(r"^(?:on|this)\s+|\s+(?:morning|afternoon|evening|night)$", "", expression.lower())
    parsed = dateparser.parse(words, languages=["en"], settings=settings)
    if parsed is None:
        return None
    if re.search(r"\byears?\b|decades?", words):
        return f"{parsed.year:04d}"
    if re.search(r"\bweeks?\b", words):
        year, week, _ = parsed.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if re.search(r"\bmonths?\b", words):
        return f"{parsed.year:04d}-{parsed.month:02d}"
    return parsed.date().isoformat()


def _year_for(month: int, day: int | None, base: date | None) -> int | None:
    """The year of a month (and day) named without one: the latest not well after the article date."""
    if base is None:
        return None
    candidate = date(base.year, month, min(day or 1, 28))
    return base.year - 1 if candidate > base + timedelta(days=31) else base.year


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _weekday(expression: str, base: date) -> str:
    """News says "said friday" of the last such day up to the story date, "next friday" of the one after."""
    words = expression.lower().split()
    target = next(_WEEKDAYS.index(w) for w in words if w in _WEEKDAYS)
    if words[0] == "next":
        return (base + timedelta(days=(target - base.weekday() - 1) % 7 + 1)).isoformat()
    back = (base.weekday() - target) % 7
    if words[0] == "last" and back == 0:
        back = 7
    return (base - timedelta(days=back)).isoformat()


def _base(doc: Document) -> date | None:
    if not doc.date:
        return None
    try:
        return date.fromisoformat(doc.date[:10])
    except ValueError:
        return None


def _normalize(m: re.Match, base: date | None) -> tuple[str | None, bool, str | None]:
    """(value, relative, modifier) for one match."""
    mod = m.group("mod") or m.group("mod2")
    mod = _MOD_NORMAL.get(re.sub(r"\s+", " ", mod.lower()), mod.lower()) if mod else None
    if m.group("md") or m.group("dm"):
        month = _MONTHS[(m.group("month") or m.group("month2")).lower().rstrip(".")]
        day = m.group("day") or m.group("day2")
        day = int(day) if day else None
        year = m.group("year") or m.group("year2")
        year = int(year) if year else _year_for(month, day, base)
        y = f"{year:04d}" if year else "XXXX"
        value = f"{y}-{month:02d}" + (f"-{day:02d}" if day else "")
        return value, False, mod
    if m.group("yr"):
        return m.group("year4"), False, mod
    if m.group("season"):
        if m.group("year3"):
            return m.group("year3"), False, None
        return None, True, None
    expression = m.group()
    if base is None:
        return None, True, None
    if m.group("wd"):
        return _weekday(expression, base), True, None
    if re.search(r"later|earlier|before|after|same|next|following|previous", expression, re.IGNORECASE) and not re.match(
        r"(?:next|this)\s", expression, re.IGNORECASE
    ):
        return None, True, None  # relative to another event, not to the article date
    return _dateparser(expression, base.isoformat()), True, None


def extract_dates(doc: Document, index: SentenceIndex | None = None) -> list[DateMention]:
    text = doc.text
    index = index or SentenceIndex(doc)
    base = _base(doc)
    lo = doc.sentences[0].start if doc.sentences else 0
    out = []
    for m in _DATE.finditer(text, lo):
        month = m.group("month")
        if month and month.lower() in _AMBIGUOUS and not m.group("day") and not m.group("year"):
            if not (m.group("mod") or _MONTH_FRAME.search(text, max(0, m.start() - 12), m.start())):
                continue
            if month[0].islower() and text != text.lower():
                continue  # cased text: "may" in lower case is the verb
        value, relative, mod = _normalize(m, base)
        out.append(DateMention(m.group(), m.start(), m.end(), index.at(m.start()), value, relative, mod))
    return out

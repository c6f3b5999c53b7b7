"""Casualty events: how many were killed and wounded, in what, where and when.

A count is a quantity tied to a casualty word in its sentence, either way round: "One person was
killed and 14 wounded", "three anti-ISIS activists were found beheaded", "killing six fighters and
injuring 20", "the death toll rose to 30". Counts in one sentence make one event; its kind ("suicide
bombing", "air strike"), place and date come from that sentence, or from the sentence before when
the event is named there ("... a suicide bombing in early November in Tobruk. One person was killed").
"""

from __future__ import annotations

import re

from newsbrief.document import Document
from newsbrief.facts.entities import EntityTable
from newsbrief.facts.text import SentenceIndex
from newsbrief.facts.types import CasualtyEvent, Count, DateMention, Quantity

_KILLED = r"killed|dead|died|slain|beheaded|executed|murdered|massacred|shot\s+dead|perished|lost\s+their\s+lives|lost\s+his\s+life|lost\s+her\s+life"
_WOUNDED = r"wounded|injured|hurt|maimed"
# NUM [noun phrase] [were|was ...] KILLED: "One person was killed", "14 wounded", "three ... were found beheaded"
_PASSIVE = re.compile(
    r"^(?:\s+[\w’'-]+){0,5}?\s*(?:,\s*)?(?:\s+(?:were|was|have\s+been|had\s+been|has\s+been|are|is|been|being|later|also|"
    r"reportedly|all|found|confirmed|left|now|believed|feared|thought|known|said|reported|to\s+be|to\s+have\s+been|to\s+have))*"
    r"\s+(?P<w>" + _KILLED + "|" + _WOUNDED + r"|deaths|fatalities|casualties|injuries|victims\s+died)\b",
    re.IGNORECASE,
)
# "killed his wife": the casualty verb has an object, so the number before it counts the killers
_OBJECT_AFTER = re.compile(r"\s+(?:his|her|their|its|the|a|an|him|them|two|three|four|five|six|seven|eight|nine|ten|\d)\b", re.IGNORECASE)
_AUXILIARY = re.compile(r"\b(?:were|was|been|are|is|be)\b", re.IGNORECASE)
# "the father of three", "a mother-of-two": children, not a count of the dead
_FAMILY_OF = re.compile(r"\b(?:father|mother|mum|mom|dad|parent|grandfather|grandmother|grandmother|family)[\s-]+of[\s-]*$", re.IGNORECASE)
# KILLING NUM: "killing four", "killed 21 soldiers", "injuring 20", "leaving 3 dead" (handled by _PASSIVE)
_ACTIVE = re.compile(
    r"(?<!to\s)\b(?P<w>killing|killed|kills|kill|wounding|wounded|injuring|injured|injures|beheading|beheaded|executing|executed|"
    r"massacring|decapitated|decapitating|slaughtered|slaughtering|murdered|murdering|murder\s+of|deaths?\s+of|killings\s+of)\s+"
    r"(?:(?:at\s+least|more\s+than|about|some|nearly|up\s+to|as\s+many\s+as|over|around|another|a\s+further|an\s+estimated)\s+)?$",
    re.IGNORECASE,
)
_TOLL = re.compile(r"\bdeath\s+toll\s+(?:\w+\s+){0,8}?(?:to|at|of|is|was|stands\s+at|reached|hit)\s+(?:\w+\s+){0,2}?$", re.IGNORECASE)
_KIND = re.compile(
    r"\b(suicide\s+bombings?|car\s+bomb(?:ing)?s?(?:\s+attacks?)?|suicide\s+attacks?|bombings?|bomb\s+attacks?|"
    r"twin[- ]attacks?|terror(?:ist)?\s+attacks?|air\s*strikes?|airstrikes?|drone\s+strikes?|attacks?|explosions?|"
    r"blasts?|shootings?|gunfire|crash(?:es)?|earthquakes?|fires?|clashes|ambush(?:es)?|raids?|massacres?|"
    r"storms?|floods?|flooding|stampedes?|collisions?|accidents?|avalanches?|landslides?|fighting|riots?|"
    r"beheadings?|executions?|shelling|rocket\s+attacks?|hurricane|tornado(?:es)?|typhoon|cyclone)\b",
    re.IGNORECASE,
)
_KIND_VERB = re.compile(
    r"\b(bombed|struck|attacked|shelled|opened\s+fire|stabbed|shot|ambushed|raided|stormed|crashed|exploded|collided)\b",
    re.IGNORECASE,
)
_VERB_KIND = {"bombed": "bombing", "struck": "strike", "attacked": "attack", "shelled": "shelling", "stabbed": "stabbing",
              "shot": "shooting", "ambushed": "ambush", "raided": "raid", "stormed": "attack", "crashed": "crash",
              "exploded": "explosion", "collided": "collision"}  # fmt: skip
_AIR = re.compile(r"\b(?:air\s+force|jets?|warplanes?|aircraft|drones?|air\s+raids?)\b", re.IGNORECASE)
_PLACE_PREP = re.compile(r"\b(?:in|at|near|outside|on|across|inside|into|from)\s+(?:the\s+)?$", re.IGNORECASE)
_APPROXIMATE = {
    "about", "around", "approximately", "roughly", "nearly", "almost", "some", "at least", "more than",
    "over", "up to", "as many as", "close to", "an estimated", "estimated", "upwards of", "just over",
    "just under", "just about", "fewer than", "less than",
}  # fmt: skip
_NOT_CASUALTY = {"miles", "percent", "dollars", "pounds", "euros", "kilometers", "km", "years", "times"}


def _role_of(text: str, q: Quantity, sent_start: int) -> str | None:
    """"killed" or "wounded" when the quantity is a casualty count, else None."""
    if q.counts and q.counts.split()[-1].lower() in _NOT_CASUALTY:
        return None
    after = text[q.end : q.end + 90]
    if _FAMILY_OF.search(text[max(sent_start, q.start - 25) : q.start]):
        return None
    m = _PASSIVE.match(after)
    if m and "." not in after[: m.start("w")]:
        active = not _AUXILIARY.search(after[: m.start("w")]) and _OBJECT_AFTER.match(after, m.end("w"))
        if not active:
            return _kind_of_word(m.group("w"))
    before = text[max(sent_start, q.start - 40) : q.start]
    m = _ACTIVE.search(before)
    if m:
        return _kind_of_word(m.group("w"))
    if _TOLL.search(text[max(sent_start, q.start - 90) : q.start]):
        return "killed"
    clause = re.split(r"[.;]", after, maxsplit=1)[0]
    if re.search(r"\b(?:with|for)\s+(?:[\w-]+\s+){0,2}(?:wounds|injuries)\b", clause):
        return "wounded"  # "32 people ... were taken to the hospital with gunshot wounds"
    return None


_PART = re.compile(r"\b(?:including|included|among\s+(?:them|the\s+dead|those|the\s+victims))\b|\s[-–—]{1,2}\s|:")


def _part_of(text: str, q: Quantity, counted: list[tuple[str, Quantity]]) -> str | None:
    """A part of a toll stated just before in its sentence takes the toll's role: "16 people killed --
    four adults and 12 children", "ten people, including two pilots, died" (the total's role)."""
    if q.value is None or q.vague or (q.counts and q.counts.split()[-1].lower() in _NOT_CASUALTY):
        return None
    for role, total in reversed(counted):
        between = text[total.end : q.start]
        if total.value is not None and q.value < total.value and len(between) <= 120 and ";" not in between and _PART.search(between):
            return role
    return None


def _kind_of_word(w: str) -> str:
    return "wounded" if re.match(r"wound|injur|hurt|maim", w, re.IGNORECASE) else "killed"


def _kind(text: str, lo: int, hi: int) -> tuple[str | None, int]:
    """The event named in text[lo:hi], nearest the end, and where it is."""
    found = list(_KIND.finditer(text, lo, hi))
    if found:
        m = found[-1]
        return re.sub(r"\s+", " ", m.group(1).lower()), m.start()
    verbs = list(_KIND_VERB.finditer(text, lo, hi))
    if verbs:
        m = verbs[-1]
        kind = _VERB_KIND.get(m.group(1).lower(), "shooting")
        if kind in ("bombing", "strike") and _AIR.search(text, max(0, lo - 200), hi):
            kind = "air strike"
        return kind, m.start()
    return None, -1


def _place(text: str, table: EntityTable, lo: int, hi: int, after: int = -1) -> tuple[str | None, str | None]:
    """The first place named with a preposition ("in Tobruk") in text[lo:hi], after the event word if any."""
    found = []
    for e in table.entities:
        if e.type != "place":
            continue
        for s, _ in e.spans:
            if lo <= s < hi and _PLACE_PREP.search(text[max(lo, s - 12) : s]):
                found.append((s < after, s, e))
    if not found:
        return None, None
    _, _, e = min(found, key=lambda f: (f[0], f[1]))
    return e.name, e.id


def _date(dates: list[DateMention], lo: int, hi: int) -> DateMention | None:
    inside = [d for d in dates if lo <= d.start < hi]
    inside.sort(key=lambda d: (d.relative, d.start))
    return inside[0] if inside else None


def extract_casualties(
    doc: Document, table: EntityTable, dates: list[DateMention], index: SentenceIndex, quantities: list[Quantity]
) -> list[CasualtyEvent]:
    text = doc.text
    by_sentence: dict[int, list[tuple[str, Quantity]]] = {}
    for q in quantities:
        if q.sentence < 0:
            continue
        s_start, _ = index.span(q.sentence)
        role = _role_of(text, q, s_start)
        if role is None:
            role = _part_of(text, q, by_sentence.get(q.sentence, []))
        if role:
            by_sentence.setdefault(q.sentence, []).append((role, q))
    events: list[CasualtyEvent] = []
    reported: dict[tuple[str, int | None], list[tuple[str | None, str | None]]] = {}
    for si in sorted(by_sentence):
        s_start, s_end = index.span(si)
        kind, at = _kind(text, s_start, s_end)
        lo = s_start
        if kind is None and si > 0:  # "... a suicide bombing in Tobruk. One person was killed"
            p_start, p_end = index.span(si - 1)
            kind, at = _kind(text, p_start, p_end)
            if kind:
                lo = p_start
        if kind is None and re.search(r"behead", text[s_start:s_end], re.IGNORECASE):
            kind = "beheading"
        place, place_id = _place(text, table, lo, s_end, at)
        if place is None and lo == s_start and si > 0 and kind and _kind(text, *index.span(si - 1))[0]:
            place, place_id = _place(text, table, *index.span(si - 1))  # "bombed ... in Derna. They struck"
            if place:
                lo = index.span(si - 1)[0]
        date = _date(dates, lo, s_end) or (_date(dates, index.span(si - 1)[0], s_start) if lo < s_start else None)
        event = CasualtyEvent(kind=kind, start=lo, end=s_end, sentences=sorted({index.at(lo), si}), place=place, place_id=place_id)
        if date:
            event.date, event.date_value = date.text, date.value
            if re.search(r"same\s+day", date.text, re.IGNORECASE) and events and events[-1].date:
                event.date_value = events[-1].date_value  # "the same day" as the event before
        for role, q in sorted(by_sentence[si], key=lambda rq: rq[1].start):
            count = Count(None if q.vague else int(q.value), q.text, q.start, q.end, q.vague or q.qualifier in _APPROXIMATE)
            told = (_counted(q.counts), place)
            earlier = reported.get((role, count.value), []) if count.value is not None else []
            if any(_same_toll(told, before) for before in earlier):
                continue  # the same toll again, in a photo caption or a later paragraph: one event
            reported.setdefault((role, count.value), []).append(told)
            if getattr(event, role) is not None:  # a second count of the same kind: a second event
                events.append(event)
                event = CasualtyEvent(kind=kind, start=s_start, end=s_end, sentences=[si], place=place, place_id=place_id)
            setattr(event, role, count)
        if event.killed or event.wounded:
            events.append(event)
    return events


_GENERIC_VICTIMS = {None, "people", "persons", "person", "others", "victims", "dead", "lives"}
# kinds of victim that cannot be one another: "three civilians" and "three soldiers" are two tolls
_VICTIM_GROUPS = set(
    """civilian soldier troop policeman police officer child adult student militant fighter rebel worker
    passenger tourist pilgrim prisoner woman man girl boy miner firefighter journalist""".split()
)


def _counted(noun: str | None) -> str | None:
    """The head of what a count counts, singular and lowercased: "three civilians" -> "civilian"."""
    if not noun:
        return None
    head = noun.split()[-1].lower()
    return head if head in _GENERIC_VICTIMS else head.removesuffix("s")


def _same_toll(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Two counts of one number tell one toll unless they count other victims ("three civilians",
    "three soldiers") or name other places."""
    (noun_a, place_a), (noun_b, place_b) = a, b
    if noun_a in _VICTIM_GROUPS and noun_b in _VICTIM_GROUPS and noun_a != noun_b:
        return False
    return not (place_a and place_b and place_a != place_b)

"""People, organisations, places and groups, one canonical entity each, with mentions and a role.

spaCy's small English model finds the names but often types them wrongly in news text ("Noman
Benotman" NORP, "Benotman" ORG, "Sirte" PERSON, "Derna" ORG). A layer of rules decides the type of a
whole cluster of mentions from its votes: spaCy's labels, name shape and keywords, the words around
each mention (a speech verb after it, "in" before it, an appositive "a former jihadist" or "a jihadi
group"), and the other names it is listed with ("Benghazi, Sirte, al-Khums and even Tripoli").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from newsbrief.document import Document
from newsbrief.facts.gazetteer import ORGANISATIONS, given_name_sex, is_organisation, place_kind
from newsbrief.facts.types import Entity
from newsbrief.lexicon import MONTHS, SAID, SPEECH_VERBS_AFTER_NAME, TITLES_BEFORE_NAME, WEEKDAYS, alternation

_LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group"}
_PARTICLES = {"al", "el", "abu", "bin", "ibn", "de", "van", "von", "la", "le", "da", "di", "del", "der", "du", "bint", "mc"}
_ORG_WORDS = set(
    """council brigade brigades foundation institute institution group party army forces force ministry
    university college school company corp corp. inc inc. ltd agency committee association union bank
    court department police church state movement front organization organisation network commission
    office administration government club team league federation fund board authority service services
    bureau center centre hospital times post news press channel airlines airways coalition alliance
    battalion regiment caliphate mujahideen taliban""".split()
)
_PLACE_WORDS = set(
    """city town village province county district region mountains mountain river sea ocean island
    islands valley desert street avenue square airport base camp border state's coast gulf bay lake
    peninsula empire lough loch glacier""".split()
)
_PERSON_ROLE_WORDS = set(
    """jihadist fellow leader envoy preacher veteran ringleader official spokesman spokeswoman spokesperson
    minister president director chief secretary senator governor mayor analyst expert professor
    researcher scientist lawyer attorney judge commander general officer soldier journalist reporter
    correspondent editor author writer actor actress singer player coach manager founder chairman
    chairwoman ceo executive member activist resident witness student teacher doctor surgeon man woman
    boy girl son daughter father mother wife husband brother sister friend aide adviser advisor
    ambassador diplomat prosecutor detective sheriff captain colonel sergeant lieutenant priest imam
    cleric pastor bishop pope king queen prince princess emperor candidate lawmaker legislator
    congressman congresswoman representative politician economist historian filmmaker director star
    producer designer artist model founder owner partner employee worker farmer victim suspect
    survivor pilot driver fighter militant rebel mother-of-two father-of-three""".split()
)
_GROUP_ROLE_WORDS = _ORG_WORDS | {"faction", "militia", "outfit", "firm", "newspaper", "broadcaster", "charity", "organisation", "brand", "maker", "manufacturer", "retailer", "airline", "insurgents"}
_PLACE_ROLE_WORDS = _PLACE_WORDS | {"capital", "home", "hometown", "stronghold", "country", "nation", "kingdom", "republic", "emirate", "neighborhood", "suburb", "port", "area"}
_TITLES = TITLES_BEFORE_NAME
_SPEECH_AFTER = re.compile(
    r"^[’'”\"]?(?:s)?\s*(?:,\s*(?:who|a|an|the)\b[^.;:]{0,120}?,\s*)?"
    + alternation(SPEECH_VERBS_AFTER_NAME) + r"\b"
)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|from|across|into|to|toward|towards|around|throughout|via)\s+(?:the\s+)?$", re.IGNORECASE)
_ORG_BEFORE = re.compile(r"\b(?:group|faction|militia|organization|organisation|company|firm|party|movement)\s+$", re.IGNORECASE)
_APPOSITIVE = re.compile(r",\s+((?:a|an|the)\s+[^,;.()“”\"]{2,160}?)(?=\s*(?:[,;)]|\.(?:\s|$)|$|\s+" + alternation(SAID) + r"\b))")
_ROLE_BEFORE_COMMA = re.compile(r"(?:^|[.;]\s+|,\s+)((?:[A-Z][\w’'.-]*\s+){0,4}(?:\w+’s\s+|\w+'s\s+)?[^,;.“”\"]{0,60}),\s+$")
_COMPETITION = re.compile(r"\b(?:league|cup|premiership|championship|championships|open|grand prix|trophy|awards|olympics|games|finals|series|formula one)$")
# a club, not its town, in a sports story: "against Burnley", "Tottenham striker", "Leeds fans"
_SPORT = re.compile(r"\b(?:match|goal|goals|league|striker|midfielder|defender|goalkeeper|season|club|coach|fixture|squad|tournament|cup)\b", re.IGNORECASE)
_TEAM_BEFORE = re.compile(r"\b(?:against|beat|beating|beaten\s+by|joined|join|joining|signed\s+for|sign\s+for|loan\s+at|face|faced|facing|play|played|playing|host|hosts|hosted|visit|visiting|draw\s+with|lost\s+to|former)\s+$", re.IGNORECASE)
_TEAM_AFTER = re.compile(r"(?:[’']s)?\s+(?:boss|manager|striker|midfielder|defender|goalkeeper|keeper|captain|fans|supporters|winger|forward|chairman|squad|side|player|players|star|coach|team|academy|owner|legend)\b", re.IGNORECASE)
# the second word of a club's name ("Luton Town", "Leeds United", "Blackburn Rovers")
_TEAM_WORDS = set("united town city rovers wanderers athletic albion rangers hotspur county villa argyle".split())
_NOT_SURNAMES = set("road lane studios studio pines bleus athletics saint-germain hall park gardens".split())
_EVENT_WORDS = {"typhoon", "hurricane", "cyclone", "storm", "tropical", "el nino", "la nina", "operation"}
_NOT_TITLE_START = {*MONTHS, *WEEKDAYS, *"back but and when after then last on in at as while".split()}
_SEX_WORDS = {
    **dict.fromkeys("mr sir lord he his him man boy father son husband brother king prince actor nephew uncle".split(), "m"),
    **dict.fromkeys("mrs ms miss lady dame she her woman girl mother daughter wife sister queen princess actress niece aunt".split(), "f"),
}  # fmt: skip
_LIST_SEP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?(?:even\s+)?|\s+(?:and|or)\s+(?:even\s+)?)$")
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady)\.?\s+(?=\S)")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$")


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    text: str
    label: str  # our type from spaCy's label


@dataclass(slots=True)
class _Cluster:
    keys: list[str]
    mentions: list[_Mention] = field(default_factory=list)
    votes: Counter = field(default_factory=Counter)


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    span = text[start:end]
    # "(CNN)If Azealia Banks": a dateline glued to the sentence's first word
    m = re.match(r"\([A-Z]{2,}\)\s*(?:(?:If|When|As|After|Before|While|But|And|So|Then|In|At)\s+)?(?=[A-Z])", span)
    if m and end - start > m.end():
        start += m.end()
        span = text[start:end]
    m = re.match(r"(?:the|The)\s+", span)
    if m and end - start > m.end():
        start += m.end()
    span = text[start:end]
    p = _POSSESSIVE.search(span)
    if p and p.start() > 0:
        end = start + p.start()
    # "Paulina Gretzky - daughter", "Manchester United 3-0": a dash clause or a score is no part of a name
    m = re.search(r"\s+(?:[-–—]\s+[a-z][\w\s]*|\d+-\d+)$", text[start:end])
    if m and m.start() > 0:
        end = start + m.start()
    while end > start and text[end - 1] in ".,;:’'\"”":
        if text[end - 1] == "." and re.search(r"\b[A-Za-z]\.[A-Za-z]\.$|\b[A-Z][a-z]?\.$", text[start:end]):
            break  # "U.S.", "Jr."
        end -= 1
    return start, end


def _key(name: str) -> str:
    return re.sub(r"[\s-]+", " ", name.replace("’", "'")).strip().lower()


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s]+", _key(name)) if t]


def _person_shape(name: str) -> bool:
    toks = name.split()
    if not 2 <= len(toks) <= 5:
        return False
    lowered = {t.lower().strip(".,") for t in toks}
    if lowered & (_ORG_WORDS | _PLACE_WORDS):
        return False
    return all(t[0].isupper() or t.lower() in _PARTICLES or "-" in t for t in toks) and toks[-1][0].isupper()


def _role_kind(role: str) -> str | None:
    """The type a descriptive phrase implies: "a former Libyan jihadist" -> person."""
    words = re.findall(r"[a-z][a-z-]*", role.lower())
    # the head noun is the last word before "of/in/at/for/who/..."
    head_zone = []
    for w in words[1:] if words and words[0] in ("a", "an", "the") else words:
        if w in ("of", "in", "at", "for", "who", "which", "that", "with", "from", "on", "now", "and", "whose", "to", "near"):
            break
        head_zone.append(w)
    for w in reversed(head_zone[-2:]):
        if w in _PERSON_ROLE_WORDS:
            return "person"
        if w in _GROUP_ROLE_WORDS:
            return "organization"
        if w in _PLACE_ROLE_WORDS:
            return "place"
    return None


class EntityTable:
    """Entities of one document; quotes add speakers to it and ask it who "he" or "it" is."""

    def __init__(self, doc: Document, entities: list[Entity], cased: bool):
        self.doc = doc
        self.entities = entities
        self.cased = cased
        self._by_alias: dict[str, Entity] = {}
        self._sex: dict[str, str | None] = {}
        self._next_id = len(entities) + 1
        self._occupied: list[tuple[int, int]] = []
        self._covered = bytearray(len(doc.text))  # 1 where a mention stands: a fast test before the exact one
        for e in entities:
            for sp in e.spans:
                self._occupy(sp)
        for e in entities:
            for a in [e.name, *e.aliases]:
                self._by_alias.setdefault(_key(a), e)

    def find(self, phrase: str, at: int | None = None) -> Entity | None:
        """The entity a phrase names: its name, an alias, or a person's surname. A surname that
        several people share goes to the one whose full name came last before `at`."""
        k = _key(re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE))
        k = _HONORIFIC.sub("", re.sub(r"'s?$", "", k))
        if at is not None and " " not in k:
            namesakes = [e for e in self.entities if e.type == "person" and len(e.name.split()) >= 2 and _tokens(e.name)[-1] == k]
            # the son called "Archie" elsewhere is not the one "Mr Lamb" or "Lamb" names
            by_surname = [e for e in namesakes if e.name.split()[0] not in e.aliases]
            if len(namesakes) > 1 and len(by_surname) == 1:
                return by_surname[0]
            if len(namesakes) > 1:
                return max(namesakes, key=lambda e: max((s for s, t in e.spans if s < at and " " in self.doc.text[s:t]), default=-1))
        if k in self._by_alias:
            return self._by_alias[k]
        toks = k.split()
        if toks:
            for e in self.entities:
                if e.type == "person" and len(toks) <= 2 and _tokens(e.name)[-len(toks) :] == toks:
                    return e
            # "Foreign Secretary Philip Hammond": the phrase ends with a person's name
            for e in self.entities:
                et = _tokens(e.name)
                if e.type == "person" and len(et) >= 2 and toks[-len(et) :] == et:
                    return e
        return None

    def add(self, name: str, type_: str, start: int, end: int, role: str | None = None) -> Entity:
        """A new entity found by another extractor (a speaker spaCy missed), with one mention."""
        e = Entity(f"e{self._next_id}", name, type_, [(start, end)], [], role)
        self._next_id += 1
        if type_ == "person" and len(name.split()) >= 2:
            # spaCy may have split the name it missed: "Harish" (a place) of "Harish Chandra Sharma"
            parts = {name.split()[0].lower(), name.split()[-1].lower()}
            for other in [o for o in self.entities if o.name.lower() in parts and " " not in o.name]:
                self.entities.remove(other)
                self._release(other.spans)
                e.aliases.append(other.name)
        self.entities.append(e)
        self._by_alias.setdefault(_key(name), e)
        self._add_string_mentions(e)
        return e

    def _add_string_mentions(self, *entities: Entity) -> None:
        """Count every occurrence of the entities' names, also those spaCy missed, where no other
        mention stands ("Islamic" inside "Islamic State" is not a mention of "Islamic"). One pass
        over the text for all of them; at each place the longest name wins."""
        owner: dict[str, Entity] = {}
        for e in sorted(entities, key=lambda e: -len(e.name)):
            for alias in (e.name, *e.aliases):
                if len(alias) >= 3:
                    owner.setdefault(alias if self.cased else alias.lower(), e)
        if not owner:
            return
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(owner, key=len, reverse=True))) + r")(?![\w-])",
            0 if self.cased else re.IGNORECASE,
        )
        taken = {id(e): set(e.spans) for e in entities}
        lo = self.doc.sentences[0].start if self.doc.sentences else 0
        for m in pattern.finditer(self.doc.text, lo):
            e = owner[m.group() if self.cased else m.group().lower()]
            a, b = m.span()
            clash = [(s, t) for s, t in self._occupied if s < b and a < t] if any(self._covered[a:b]) else []
            if clash and all(a <= s and t <= b and t - s < b - a for s, t in clash):
                self._release(clash)  # "Mujahideen of Libya" takes its "Libya" back from Libya
                for sp in taken.values():
                    sp.difference_update(clash)
                clash = []
            if not clash:
                taken[id(e)].add((a, b))
                self._occupy((a, b))
        for e in entities:
            e.spans = sorted(taken[id(e)])

    def _occupy(self, span: tuple[int, int]) -> None:
        self._occupied.append(span)
        self._covered[span[0] : span[1]] = b"\x01" * (span[1] - span[0])

    def _release(self, spans: list[tuple[int, int]]) -> None:
        drop = set(spans)
        self._occupied = [sp for sp in self._occupied if sp not in drop]
        for s, t in drop:
            self._covered[s:t] = bytes(t - s)
        for s, t in self._occupied:  # spans overlapping a released one stay covered
            self._covered[s:t] = b"\x01" * (t - s)
        for other in self.entities:
            other.spans = [sp for sp in other.spans if sp not in drop]

    def sex(self, e: Entity) -> str | None:
        """"m" or "f" when the text says so right by a mention ("Mr Lamb", "the actress Jane Doe"),
        else None."""
        if e.id not in self._sex:
            votes = Counter()
            text = self.doc.text
            for s, t in e.spans:
                # the words next to the mention in its own sentence ("... his boat. Smith told" says nothing)
                before, after = text[max(0, s - 40) : s], text[t : t + 40]
                if self.cased:
                    before = re.split(r"[.!?]['’\"”]?\s", before)[-1]
                    after = re.split(r"[.!?]['’\"”]?(?:\s|$)", after)[0]
                near = before.lower().split()[-3:] + after.lower().strip(" ,").split()[:3]
                votes.update(_SEX_WORDS[w.strip(".,")] for w in near if w.strip(".,") in _SEX_WORDS)
            sex = votes.most_common(1)[0][0] if votes and len(votes) == 1 else None
            given = given_name_sex(e.name.split()[0]) if e.type == "person" and " " in e.name else None
            if given in ("m", "f") and (sex is None or votes[given] * 2 >= sum(votes.values())):
                sex = given  # "Jane Smith" is a she, "Rob Tannenbaum" not the "she" who said it
            self._sex[e.id] = sex
        return self._sex[e.id]

    def last_before(self, offset: int, types: tuple[str, ...], skip: list[tuple[int, int]] = (), sex: str | None = None) -> Entity | None:
        """The entity of one of `types` mentioned last before `offset`, outside the `skip` spans (and not
        known to be of the other sex than `sex`)."""
        best, best_at = None, -1
        for e in self.entities:
            if e.type not in types or sex and self.sex(e) not in (None, sex):
                continue
            for s, t in e.spans:
                if t <= offset and s > best_at and not any(a <= s < b for a, b in skip):
                    best, best_at = e, s
        return best


def _known_organisations(text: str, named: set[str], count: int) -> list[Entity]:
    """Platforms and outlets of the alias table that spaCy did not tag ("on Twitter", "(CNN)")."""
    found = []
    for name in ORGANISATIONS:
        if _key(name) in named:
            continue
        spans = [m.span() for m in re.finditer(rf"(?<![\w@#.-]){re.escape(name)}(?![\w-])", text)]
        if spans:
            found.append(Entity(f"e{count + len(found) + 1}", name, "organization", spans, []))
    return found


def _nearest_full_mention(owners: list[str], by_key: dict[str, list[_Mention]], offset: int, cased: bool = True) -> str:
    """Of the full names that end with one surname, the one named last before `offset` (or, when
    none is, first after it): "Lamb" after "Archie Lamb" is Archie, after "Norman Lamb" Norman."""
    # the son called "Archie" elsewhere is not the one "Mr Lamb" or "Lamb" names
    formal = [f for f in owners if f.split()[0] not in by_key]
    if len(formal) == 1 and cased:
        return formal[0]
    before = [(m.start, f) for f in owners for m in by_key[f] if m.start < offset]
    if before:
        return max(before)[1]
    return min((m.start, f) for f in owners for m in by_key[f])[1]


def extract_entities(doc: Document, spacy_doc) -> EntityTable:
    text = doc.text
    cased = doc.cased
    lo = doc.sentences[0].start if doc.sentences else 0
    inside = [(x.start, x.end) for x in doc.sentences]
    mentions: list[_Mention] = []
    for ent in spacy_doc.ents:
        label = _LABELS.get(ent.label_)
        if label is None or ent.end_char <= lo:
            continue
        s, e = _clean(text, ent.start_char, ent.end_char)  # "(CNN)If Azealia Banks": the dateline off first
        if not any(a <= s and e <= b for a, b in inside):
            continue  # subheads ("Concerns in Egypt") and datelines are not running text
        if text[s : s + 1] == "@" or text[max(0, s - 1) : s] in ("#", "@"):
            continue  # "#MyChoice", "@Amaa_Yaar": a hashtag or a handle, not a name
        name = text[s:e]
        if not re.search(r"\w", name) or (cased and not any(c.isupper() for c in name)):
            continue
        mentions.append(_Mention(s, e, name, label))

    # Cluster the mentions by their name; a surname joins the full name it ends ("Benotman").
    by_key: dict[str, list[_Mention]] = defaultdict(list)
    for m in mentions:
        by_key[_HONORIFIC.sub("", _key(m.text))].append(m)
    full_names = [k for k in by_key if len(k.split()) >= 2 and _person_shape(by_key[k][0].text)
                  and any(m.label in ("person", "group") for m in by_key[k])]  # fmt: skip
    parent: dict[str, str] = {}
    shared: dict[str, list[str]] = {}
    for k in by_key:
        toks = k.split()
        owners = [
            f for f in full_names
            if len(f.split()) > len(toks) and (f.split()[-len(toks) :] == toks or (len(toks) == 1 and f.split()[0] == k))
        ]  # fmt: skip
        if len(owners) == 1:
            parent[k] = owners[0]
        elif len(owners) > 1 and len(toks) == 1:
            shared[k] = owners  # a surname two people share (a father and a son): decided per mention
    for k in list(parent):  # "al anbari" -> "abu nabil al anbari", never a chain
        while parent[k] in parent:
            parent[k] = parent[parent[k]]
    clusters: dict[str, _Cluster] = {}
    for k, ms in by_key.items():
        for m in ms:
            owner = _nearest_full_mention(shared[k], by_key, m.start, cased) if k in shared else k
            c = clusters.setdefault(parent.get(owner, owner), _Cluster(keys=[]))
            if k not in c.keys:
                c.keys.append(k)
            c.mentions.append(m)

    # Lists of names share a type: "in al Bayda, Benghazi (...), Sirte, al-Khums and even Tripoli".
    parens = [(p.start(), p.end()) for p in re.finditer(r"\([^()]*\)", text)]
    ordered = [m for m in sorted(mentions, key=lambda m: m.start) if not any(a < m.start < b for a, b in parens)]
    chains: list[list[_Mention]] = []
    for m in ordered:
        if chains:
            prev = chains[-1][-1]
            gap = re.sub(r"\([^()]*\)", "", text[prev.end : m.start])
            if _LIST_SEP.match(gap) and "\n" not in gap:
                chains[-1].append(m)
                continue
        chains.append([m])
    list_vote: dict[int, str] = {}
    for chain in chains:
        if len(chain) < 3:
            continue
        labels = Counter(m.label for m in chain)
        top, n = labels.most_common(1)[0]
        if labels["place"] >= 2 or _PLACE_BEFORE.search(text[max(0, chain[0].start - 20) : chain[0].start]):
            top = "place"
        elif n * 2 <= len(chain):
            continue
        for m in chain:
            list_vote[m.start] = top

    for root, c in clusters.items():
        name = max((m.text for m in c.mentions if _HONORIFIC.sub("", _key(m.text)) == root), key=len, default=c.mentions[0].text)
        words = {w.strip(".,").lower() for w in name.split()}
        if words & _ORG_WORDS:
            c.votes["organization"] += 3
        labels = {m.label for m in c.mentions if _HONORIFIC.sub("", _key(m.text)) == root}
        if words & _PLACE_WORDS and not (cased and labels == {"person"}):  # "Morgan Lake", a PERSON, is no lake
            c.votes["place"] += 3
        gazetteer = place_kind(name)
        if is_organisation(name):
            c.votes["organization"] += 6  # "Twitter", "the BBC": never a person, whatever surrounds them
        elif gazetteer == "country" or (gazetteer == "city" and " " in name):
            c.votes["place"] += 4  # "South Carolina", "United States", "Colorado Springs"
        elif gazetteer == "city":
            c.votes["place"] += 1  # one word: also a name ("Jackson"), so only a tie-breaker
        # a name's shape speaks for a person only where spaCy itself never called it a place or an
        # organisation ("Real Madrid"), and never for a group ("South African", NORP throughout)
        if _person_shape(name) and labels <= {"person", "group"} and labels != {"group"} and not gazetteer:
            c.votes["person"] += 1.5
        # a given name in front ("Lucas Neill", "Demian Maia" tagged ORG or LOC; "Felipe", "Rosa" alone)
        # is a person unless the gazetteer, a keyword or a club name says otherwise
        parts = name.split()
        if (
            len(parts) in (2, 3) and all(w[:1].isupper() and not w.isupper() for w in parts[1:]) and given_name_sex(parts[0])
            and not gazetteer and not place_kind(parts[0]) and not is_organisation(name)
            and not words & (_ORG_WORDS | _TEAM_WORDS | _PLACE_WORDS | _NOT_SURNAMES)
        ):  # fmt: skip
            c.votes["person"] += 4
        placed = "place" in labels or gazetteer is not None
        for m in c.mentions:
            following = text[m.end : m.end + 20].lower()
            modifier = re.match(r"\s+(?:branch|wing|council|government|police|authorities|office|province|airport|today)\b", following)
            weight = {"place": 1.5}.get(m.label, 1.0)
            if len(c.keys) > 1 and _HONORIFIC.sub("", _key(m.text)) == root:
                weight *= 3  # spaCy reads a full name better than the surname alone ("Mourinho" ORG)
            if not (modifier and m.label == "organization"):
                c.votes[m.label] += weight
            if m.start in list_vote:
                c.votes[list_vote[m.start]] += 3
            before = text[max(0, m.start - 30) : m.start]
            if _PLACE_BEFORE.search(before):
                # "at Arsenal" is a club; "in Gotzis", "at Anfield" (one word, no given name) are places
                lone = " " not in name and not given_name_sex(name) and m.label == "person"
                c.votes["place"] += 1.5 if placed or lone else 0.5
            if _ORG_BEFORE.search(before) or re.match(r"\s+(?:group|account|faction|militia)\b", following):
                c.votes["organization"] += 3
            described = re.search(r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,2}$", before, re.IGNORECASE)  # "the Dutchman said"
            if _SPEECH_AFTER.match(text[m.end : m.end + 160]) and not words & _ORG_WORDS and gazetteer != "country" and not described:
                c.votes["person"] += 2
            if re.search(r"according\s+to\s+$", before, re.IGNORECASE) and not words & _ORG_WORDS:
                c.votes["person"] += 1
            ap = _APPOSITIVE.match(text, m.end)
            if ap:
                kind = _role_kind(ap.group(1))
                if kind:
                    c.votes[kind] += 4

    # "GM" is "General Motors", "UAW" the "United Auto Workers": an acronym joins the name it abbreviates
    for root in [r for r in clusters if r.isalpha() and 2 <= len(r) <= 5 and " " not in r]:
        surface = clusters[root].mentions[0].text
        if not surface.isupper():
            continue
        for other, oc in clusters.items():
            initials = "".join(w[0] for w in other.split() if w not in ("of", "and", "the", "for"))
            if other != root and initials == root and root in clusters:
                oc.keys += clusters[root].keys
                oc.mentions += clusters[root].mentions
                oc.votes.update(clusters[root].votes)
                del clusters[root]
                break

    if len(_SPORT.findall(text)) >= 4:
        for root, c in clusters.items():
            if len(root.split()) >= 2 and root.split()[-1] in _TEAM_WORDS:
                c.votes["organization"] += 6  # "Leeds United", "Luton Town" in a sports story
                continue
            if any(m.label == "person" and _HONORIFIC.sub("", _key(m.text)) == root and " " in root for m in c.mentions):
                continue  # "Adam Lallana", a PERSON by his full name, is no club
            team = sum(bool(_TEAM_BEFORE.search(text[max(0, m.start - 25) : m.start]) or _TEAM_AFTER.match(text, m.end)) for m in c.mentions)
            c.votes["organization"] += 2.5 * team

    entities: list[Entity] = []
    for root, c in sorted(clusters.items(), key=lambda kv: min(m.start for m in kv[1].mentions)):
        if root.split()[0] in _EVENT_WORDS or root in _EVENT_WORDS or _COMPETITION.search(root):
            continue  # "Typhoon Haikui", "El Nino", "the Champions League": events, not entities
        # No votes when every mention was an organisation tag discounted for the word after it ("House
        # office expenses"): the tagger's own label is then all there is to go on.
        type_ = (c.votes or Counter(m.label for m in c.mentions)).most_common(1)[0][0]
        surface = Counter(m.text for m in c.mentions)
        if type_ == "person":
            name = max(surface, key=lambda n: (len(n.split()), surface[n]))
        else:
            name = max(surface, key=lambda n: (surface[n], len(n)))
        aliases = sorted({m.text for m in c.mentions} - {name}, key=lambda a: (-surface[a], a))
        short = re.sub(r"\s+(?:province|county|state|region|district)$", "", name, flags=re.IGNORECASE)
        if type_ == "place" and short != name and short not in aliases:
            aliases.append(short)  # "Fujian province" is "Fujian"
        # "Benotman" joins by its surname: make it an alias even when spaCy never tagged it alone
        if type_ == "person" and len(name.split()) >= 2:
            surname = name.split()[-1]
            if surname not in aliases and len(surname) > 2:
                aliases.append(surname)
        spans = sorted({(m.start, m.end) for m in c.mentions})
        entities.append(Entity(f"e{len(entities) + 1}", name, type_, spans, aliases))

    if cased:
        entities += _known_organisations(text, {_key(n) for e in entities for n in [e.name, *e.aliases]}, len(entities))
    table = EntityTable(doc, entities, cased)
    table._add_string_mentions(*entities)
    for e in entities:
        e.role = _role(text, e, cased)
    return table


def _role(text: str, e: Entity, cased: bool) -> str | None:
    """The role or description the text gives right next to a mention: appositive or title."""
    for _, t in e.spans:
        ap = _APPOSITIVE.match(text, t)
        if ap and not re.match(r"(?:the|a|an)\s+(?:same|other|one|day|time|way)\b", ap.group(1), re.IGNORECASE):
            role = ap.group(1).strip()
            kind = _role_kind(role)
            if e.type == "person" and kind in (None, "person") or e.type != "person" and kind == e.type:
                return role
    if e.type != "person":
        return None
    for s, _ in e.spans:
        title = _title_before(text, s, cased)
        if title:
            return title
    return None


def _title_before(text: str, start: int, cased: bool) -> str | None:
    """"British Prime Minister David Cameron" -> "British Prime Minister"; "ISIS leader" -> "ISIS leader"."""
    words = list(re.finditer(r"[\w’'.-]+", text[max(0, start - 80) : start]))
    base = max(0, start - 80)
    kept = []
    end = start
    for m in reversed(words):
        gap = text[base + m.end() : end]
        if gap.strip():
            break
        w = m.group()
        low = w.lower()
        if low in _TITLES or (cased and w[0].isupper() and low not in ("the", "a", "an", "in", "by", "according")):
            kept.append(base + m.start())
            end = base + m.start()
            continue
        break
    # "Back in August British Prime Minister": the title starts after dates and sentence openers
    while kept and (text[kept[-1] :].split()[0].lower().strip(".,") in _NOT_TITLE_START):
        kept.pop()
    if not kept:
        return None
    phrase = text[kept[-1] : start].strip()
    if not any(w.lower() in _TITLES for w in phrase.split()):
        return None
    # drop leading words before the title proper that are sentence-initial capitals ("In")
    return phrase

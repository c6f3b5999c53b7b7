"""Direct quotes and who said them.

Quote marks are paired over the raw text, straight or curly, so a quote may run over several
sentences and paragraphs (news style reopens every paragraph of a long quote with a mark and closes
only the last). The speaker is looked for where news writing puts it, in this order: after the quote
in its sentence (", Benotman told CNN", "said Benotman", "it said", ", according to X"), before it
("X said:", "X warned that if ISIS "...", "According to X, ... "..."), between two parts of one
quote, and last the speaker of the quote just before (a quote paragraph that goes on). "he", "she",
"it", "they" resolve to the last quoted speaker or the last entity of a fitting type. A quote the rules
leave without a speaker in cased text takes the subject of the clause leading into it, from spaCy's
dependency parse of that clause alone (`_attribute_parse`).
"""

from __future__ import annotations

import re

from newsbrief.document import Document
from newsbrief.facts.entities import EntityTable
from newsbrief.facts.gazetteer import is_organisation, place_kind
from newsbrief.facts.marks import is_caption, quote_groups
from newsbrief.facts.text import SentenceIndex
from newsbrief.facts.types import Quote
from newsbrief.lexicon import SAID, SPEECH_PHRASES, SPEECH_VERBS, TITLE_WORDS, WEEKDAYS, alternation

_VERBS = "|".join((*SPEECH_VERBS, *SPEECH_PHRASES))
_VERB = rf"(?:{_VERBS})"
_PRONOUNS = {"he": ("person",), "she": ("person",), "it": ("organization", "group", "place"),
             "they": ("organization", "group", "person"), "him": ("person",), "her": ("person",)}  # fmt: skip
_GENERIC = set(
    """police official officials authorities authority spokesman spokeswoman spokesperson source sources
    statement report witnesses witness residents resident experts expert analysts analyst lawyers lawyer
    attorney attorneys prosecutors prosecutor investigators investigator doctors doctor family friends
    friend officers officer ministry government agency company court group army military study
    researchers researcher people man woman neighbor neighbours neighbors neighbour teacher student
    students parents mother father son daughter wife husband brother sister officials. medics fans
    message video letter post tweet release commission department office team club board site
    spokesmen aides aide adviser advisers campaign authorities' others one another someone""".split()
)
_DETERMINERS = re.compile(r"^(?:the|a|an|one|some|another|his|her|their|its|our|several|many|two|three|other)\s", re.IGNORECASE)
_CLAUSE_WORDS = set(
    """and but that because which who when while as if so after before then though although where
    since until or nor whether than also however yet""".split()
)
_ABBREV = r"(?:(?:sgt|det|dr|gen|col|capt|lt|maj|gov|sen|rep|mr|mrs|ms|st|prof|rev|insp|cpl|pvt|supt|[a-z])\.\s*)*"
_NP_WORDS = r"[\w’'.\-@]+"
_AFTER_NP_VERB = re.compile(
    rf"^[\s,.!?…—–'’\"”-]*(?P<np>{_ABBREV}(?:{_NP_WORDS}\s+){{0,7}}?{_NP_WORDS})"
    rf"(?P<app>\s*,\s*[^,.;“”\"]{{1,120}}?,?)?"
    rf"\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+|have\s+|once\s+|previously\s+|recently\s+)?(?P<v>{_VERB})\b",
    re.IGNORECASE,
)
_AFTER_VERB_NP = re.compile(
    rf"^[\s,.!?…—–'’\"”-]*(?P<v>{_VERB}|according\s+to)\s+(?P<np>{_ABBREV}(?:{_NP_WORDS}\s+){{0,6}}?{_NP_WORDS})"
    rf"(?=\s*(?:[,.;:!?)]|$|\s+(?:in|on|at|of|to|during|after|before|last|this|on|from)\b))",
    re.IGNORECASE,
)
_ACCORDING = re.compile(rf"\baccording\s+to\s+(?P<np>{_ABBREV}(?:{_NP_WORDS}\s+){{0,6}}?{_NP_WORDS})(?=\s*[,.;:)]|$)", re.IGNORECASE)
_BEFORE_VERB = re.compile(rf"\b(?P<v>{_VERB})\b", re.IGNORECASE)
_PERSONAL = {"i", "we", "you", "my", "our", "your", "me", "us", "i'm", "we're", "you're", "i've", "we've"}
# "the actor said" speaks of the person just named; "the paramedic said" of someone not named
_COREFERRING = set(
    """actor actress singer star president minister senator governor mayor player coach striker defender
    midfielder goalkeeper manager premier pope king queen prince princess rapper musician comedian author
    writer filmmaker director ceo executive founder billionaire candidate congressman congresswoman
    lawmaker chancellor superstar businessman businesswoman winger forward captain boss frenchman
    englishman scotsman welshman dutchman mp boss chairman campaigner photographer international keeper
    veteran fighter champion youngster skipper""".split()
)
_TITLE_WORDS = TITLE_WORDS
# what a person says or writes: "his comments", "her statement" speak for the person
_DESCRIBED = re.compile(r"\b[Tt]he\s+(?:[a-z][\w-]*\s+){0,2}$")
_UTTERANCES = set(
    """reign comments remarks words statement message post tweet tweets blog website column book memoir
    letter interview speech account verdict response reply answer explanation assessment""".split()
)
_SUBJECT_DESCRIPTION = re.compile(
    r"\s*(?:(?:But|And|So|Yet|Now)\s+)?((?:The|the)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+)\s+"
    r"(?:will|would|has|had|is|was|have|also|later|then|said|says|told|[a-z]+ed|[a-z]+s)\b"
)
_REPORTED_BY = re.compile(r"(?:a|an|the)\s+(?:tweet|post|video|message|clip)\s+(?:by|from)\s", re.IGNORECASE)
_CHANT = re.compile(r"\b(?:chant(?:s|ed|ing)?|sang|singing|shouting|shouted)\b", re.IGNORECASE)
_SUBJECT_VERB = re.compile(rf"[’']?s?,?\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)?{_VERB}\b")
_FINITE_AFTER = re.compile(r"\s+(?:has|have|had|is|was|were|are|will|would|can|could|did|does|also|then|later|[a-z]+ed|[a-z]+s)\b")
_SUBJECT_LEAD = {"the", "a", "an", "but", "and", "however", "meanwhile", "now", "then", "so", "yet", "his", "her", "their", "its"}
_ADVERBS_BEFORE_VERB = re.compile(
    r"(?:\s+(?:recently|also|later|then|once|previously|reportedly|earlier|has|had|have|would|will|again|"
    r"further|repeatedly|publicly|first|last|now|simply|just|only))+\s*$",
    re.IGNORECASE,
)


def find_quote_spans(text: str, lo: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the words inside each quote, a quote continued over paragraphs as one span.

    Cased text is paired by `marks.quote_groups` with double and single marks together. The
    lowercased corpus (one sentence a line) moves closing single marks to the next line, so there
    single marks are paired line by line, outside the double-mark quotes."""
    cased = text != text.lower()
    spans = [(g[0][0], g[-1][1]) for g in quote_groups(text, lo, singles=cased)]
    if not cased:
        spans += _single_quote_spans(text, lo, spans)
    return sorted(spans)


# A single mark opens a quote after a space or the start of a line and before a word (or after a colon:
# "added:' he changed"); it closes after a word or punctuation and before a space or punctuation.
# "players' wives" looks like a close too, so a close right after punctuation ("...it,' he said") is
# preferred over one right after a letter.
_SQ_OPEN = re.compile(r"(?:^|(?<=[\s(\[:—–]))(['‘])\s?(?=\w)", re.M)
_SQ_CLOSE = re.compile(r"(?<=\S)(['’])(?=[\s,.;:!?)\]—–]|$)", re.M)
# The corpus detaches some closing marks: "it's not possible, 'dore added."
_SQ_DETACHED = re.compile(r"(?<=[,.!?…])\s+(')(?=\w)")
_LINE = re.compile(r"[^\n]+")
_WORDS = re.compile(r"[a-z’']+")


def _single_quote_spans(text: str, lo: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Quotes in single marks, line by line.

    The DailyMail corpus (one sentence a line) moves the closing mark of a quote that ends a line to
    the start of the next line ("'we came here to get the three points.\\n'we tried ..."): a straight
    mark that starts a line while a quote is open closes it, and opens another only when that line
    speaks in the first or second person. An open quote also ends where a new one is introduced
    ("... said: '") and is dropped when no close comes within four lines (an apostrophe: 'em, '90s).
    """

    def inside(i: int) -> bool:
        return any(s - 1 <= i <= e for s, e in taken)

    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    open_lines = 0
    prev_end = lo
    for line in _LINE.finditer(text, lo):
        a, b = line.span()
        pos = a
        if open_at is not None:
            lead = re.match(r"[ \t]*(['‘’])", text[a:b])
            intro = re.search(r":\s*['‘]\s*\w", text[a:b])
            if lead and lead.group(1) == "‘":
                pos = a + lead.end()  # the reopening mark of a quote that goes on
            elif lead or intro or open_lines >= 4:
                if lead or intro:
                    spans.append((open_at, prev_end))
                open_at = None
                if lead:
                    pos = a + lead.end()
                    if set(_WORDS.findall(text[pos:b].lower())) & _PERSONAL:
                        open_at, open_lines = pos, 0
        while pos < b:
            if open_at is None:
                m = next((m for m in _SQ_OPEN.finditer(text, pos, b) if not inside(m.start())), None)
                if m is None:
                    break
                open_at, open_lines = m.end(), 0
                pos = m.end()
            closers = [(c.start(), text[c.start() - 1] in ".,!?…:") for c in _SQ_CLOSE.finditer(text, pos, b) if not inside(c.start())]
            closers += [(c.start(1), True) for c in _SQ_DETACHED.finditer(text, pos, b) if not inside(c.start(1))]
            end = _pick_closer(text, sorted(closers), b)
            if end is None:
                break
            close_at = end
            while close_at > open_at and text[close_at - 1].isspace():
                close_at -= 1
            if close_at > open_at:
                spans.append((open_at, close_at))
            open_at = None
            pos = end + 1
        if open_at is not None:
            open_lines += 1
            prev_end = b
    return spans


def _pick_closer(text: str, closers: list[tuple[int, bool]], limit: int) -> int | None:
    for i, (at, punctuated) in enumerate(closers):
        if punctuated:
            return at
        # a plain close that another quote follows before the next punctuated close ends this quote
        later = next((c for c, p in closers[i + 1 :] if p), limit)
        if _SQ_OPEN.search(text, at + 1, later):
            return at
    return closers[0][0] if closers else None


def _is_quote(text: str, s: int, e: int, cased: bool) -> bool:
    """A quotation rather than a name, title or scare-quoted term ("Barqa", "Grey Gardens")."""
    inner = text[s:e]
    words = inner.split()
    # a partial quote ("he was 'immensely proud'") starts in lower case; "AI factories" is a term
    if len(words) >= 4 or (cased and len(words) >= 2 and not inner[:1].isupper()):
        if cased and len(words) <= 8 and all(w[0].isupper() or w.lower() in ("of", "the", "a", "and", "in", "to", "for") for w in words):
            return False  # Title Case: a book, a film, a slogan
        return True
    # a short quote is speech when it talks in the first or second person ("I love it.") or a speech
    # verb follows ("Never," she said.); otherwise it is a term or a title ("Find Cayman.")
    if re.search(r"[.!?,…]$", inner.strip()) and {w.lower().strip(".,!?") for w in words} & _PERSONAL:
        return True
    after = re.split(r"[.!?\n]", text[e + 1 : e + 80], maxsplit=1)[0]
    spoken = re.search(r"[,!?…]$", inner.strip()) or after.startswith(",")
    return len(words) >= 2 and bool(spoken) and bool(_AFTER_NP_VERB.match(after) or _AFTER_VERB_NP.match(after))


def _clean_np(np: str) -> str:
    np = np.strip(" ,.;:")
    np = re.sub(r"^(?:and|but|so|then)\s+", "", np, flags=re.IGNORECASE)
    return np


def _trim_np_before(words: list[str]) -> list[str]:
    """Keep the words of the noun phrase right before a verb: after the last clause word."""
    out: list[str] = []
    for w in reversed(words):
        if w.lower() in _CLAUSE_WORDS or len(out) >= 7:
            break
        out.append(w)
    return out[::-1]


class _Resolver:
    def __init__(self, doc: Document, table: EntityTable, quote_spans: list[tuple[int, int]], index: SentenceIndex):
        self.doc = doc
        self.table = table
        self.quote_spans = quote_spans
        self.index = index
        self.cased = doc.cased
        self.description: str | None = None

    def _quoted(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.quote_spans)

    def _subject(self, start: int, end: int) -> bool:
        """The mention at start:end is the subject of its clause: only a title, a possessive or a
        sentence opener comes before it in its sentence ("Everton manager Roberto Martinez said"), or
        a speech verb follows it ("..., Deila said")."""
        text = self.doc.text
        sent_start, sent_end = self.index.span(self.index.at(start)) if self.index.at(start) >= 0 else (0, len(text))
        if is_caption(text[sent_start:sent_end]):
            return False  # "Maia (left), pictured fighting Yakovlev, ...": a photo caption
        if _SUBJECT_VERB.match(text, end) or _FINITE_AFTER.match(text, end):
            return True
        lead = text[sent_start:start]
        lead = lead[lead.rfind("”") + 1 :] if "”" in lead else lead
        words = re.findall(r"[\w’'.-]+", lead)
        return all(w[:1].isupper() or w.lower() in _SUBJECT_LEAD or w.lower().endswith(("’s", "'s")) for w in words)

    def antecedent(self, at: int, types: tuple[str, ...], last: Quote | None, pronoun: str):
        """Who "he", "she", "they" or "the striker" at `at` is: the last quote's speaker while the story
        stays with them, else the person who was last the subject of a sentence, else the last one
        named. Mentions inside quotes and people of the other sex ("Mr", "actress") do not count."""
        sex = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(pronoun)
        here = self.index.at(at)
        found = []
        for e in self.table.entities:
            if e.type not in types or self.table.sex(e) not in (None, sex or self.table.sex(e)):
                continue
            for s, t in e.spans:
                if t <= at and here - self.index.at(s) <= 4 and not self._quoted(s) and self._subject(s, t):
                    described = self.cased and _DESCRIBED.search(self.doc.text, max(0, s - 40), s)
                    if described:  # "The senior Lib Dem referred ...": a description of someone named before
                        titled = self.titled(self.doc.text[described.start() : t].lower(), self.doc.text[described.start() : t], s)
                        if titled is not None and titled.type in types:
                            found.append((s, titled))
                        if titled is not None or " " not in self.doc.text[s:t]:
                            continue  # "The Blues No 1 is ...": a one-word description names no one; "the actor Tom Hanks" does
                    found.append((s, e))
        mentions = sorted(found, key=lambda m: m[0])
        previous = next((e for e in self.table.entities if last and e.id == last.speaker_id), None)
        if previous and (previous.type not in types or sex and self.table.sex(previous) not in (None, sex)):
            previous = None
        # mentions since the last quote, past its own attribution ("..., Mr Hussain added. Carlisle told ...")
        since = last.end if last else -1
        if last and self.cased:
            i = self.index.at(last.end - 1)
            since = max(last.end, self.index.span(i)[1] if i >= 0 else -1)
        after = [e for s, e in mentions if s >= since]
        if previous and (previous in after or not after) and here - self.index.at(last.end) <= 6:
            return previous
        if after:
            return after[-1]
        if mentions:
            return mentions[-1][1]
        return self.table.last_before(at, types, self.quote_spans, sex if self.cased else None)

    def titled(self, low: str, np: str, np_start: int):
        """The person last named before `np_start` with the title or description `np` gives ("the
        Minister" for "Care Minister Norman Lamb", "the United captain" for "Manchester United captain
        Wayne Rooney"): its last word and its capitalised words stand by one of their mentions."""
        words = re.findall(r"[\w’'-]+", np)[1:]
        if not words or len(words) > 4:
            return None
        head = words[-1].lower()
        if head in _GENERIC or head in ("same", "other", "first", "latter", "former"):
            return None
        wanted = {head} | {w.lower() for w in words[:-1] if w[:1].isupper()}
        text = self.doc.text
        best, best_at = None, -1
        for e in self.table.entities:
            if e.type != "person":
                continue
            context = set(re.findall(r"[\w’'-]+", (e.role or "").lower()))
            for s, _ in e.spans:
                sent_start = self.index.span(self.index.at(s))[0] if self.index.at(s) >= 0 else 0
                context |= set(re.findall(r"[\w’'-]+", text[max(sent_start, s - 50) : s].lower())[-5:])
            latest = max((s for s, _ in e.spans if s < np_start), default=-1)
            if wanted <= context and latest > best_at:
                best, best_at = e, latest
        return best

    def resolve(self, np: str, np_start: int, at: int, last: Quote | None, role: str | None = None):
        """(speaker name, entity id) for the phrase `np` found at `np_start`, for a quote at `at`; a
        speaker without a name leaves its whole description in `self.description` ("a resident")."""
        self.description = None
        np = _clean_np(np)
        handle = re.search(r"@\w+", np)
        if handle:  # "Twitter user @roopabanerjee": known by the handle
            return handle.group(), None
        if _REPORTED_BY.match(np) and _CHANT.search(self.doc.text, max(0, at - 200), at + 200):
            # "according to a tweet by X" for a chant: X only reported it, the crowd spoke
            self.description = np
            return np.split()[1], None
        low = np.lower()
        coreferring = re.fullmatch(r"the\s+(?:[\w-]+\s+){0,3}([\w-]+)", low)
        refers = coreferring and (
            coreferring.group(1) in _COREFERRING
            or re.search(r"-year-old$|(?:ian|ard|ese|ish)$", coreferring.group(1))
            or re.search(r"\d+-year-old\s+\w+$", low)  # "the 29-year-old German"
        )
        if coreferring and self.cased:  # "the Minister", "the United captain": the person the story gave that title
            e = self.titled(low, np, np_start)
            if e:
                return e.name, e.id
        owner = re.fullmatch(r"(his|her|their|its)\s+([\w-]+)", low)
        if owner and owner.group(2) in _UTTERANCES:  # "His reign began ..., explaining:" speaks of him
            pronoun = {"his": "he", "her": "she", "their": "they", "its": "it"}[owner.group(1)]
            e = self.antecedent(np_start, _PRONOUNS[pronoun], last, pronoun)
            return (e.name, e.id) if e else (None, None)
        if low in _PRONOUNS or refers:  # "the spaniard", "the 29-year-old", "the actor" name no one new
            e = self.antecedent(np_start, _PRONOUNS.get(low, ("person",)), last, low)
            return (e.name, e.id) if e else (None, None)
        if low in ("i", "we", "you", "this", "that", "there", "which", "who"):
            return None, None
        e = self.table.find(np, np_start)
        if e:
            return e.name, e.id
        # an entity mention inside the phrase: "British Prime Minister David Cameron"
        name_toks = [w.lower() for w in np.split()]
        while len(name_toks) > 1 and name_toks[0] in _TITLE_WORDS | {"the"}:
            name_toks.pop(0)
        for ent in self.table.entities:
            et = [w.lower() for w in ent.name.split()]
            # the phrase must end with the whole entity: not "jeremy" of "sgt. jeremy lewis"
            if ent.type in ("person", "organization") and any(np_start <= s and t <= np_start + len(np) for s, t in ent.spans):
                if name_toks[-len(et) :] == et and (len(et) >= 2 or len(name_toks) == 1):
                    return ent.name, ent.id
                # "Former Leeds United footballer Carlisle": a title, then the surname of a person named before
                if ent.type == "person" and len(et) >= 2 and name_toks[-1] == et[-1] and self.cased and np.split()[-1][:1].isupper():
                    return ent.name, ent.id
        bare = re.sub(r"^(?:the)\s+", "", np, flags=re.IGNORECASE)
        # "cardinal timothy dolan", "sgt. rich mills": the title is a role, the rest the name
        words = bare.split()
        lead = 0
        while lead < len(words) - 1 and words[lead].lower() in _TITLE_WORDS:
            lead += 1
        if lead and not _DETERMINERS.match(bare):
            role = role or " ".join(words[:lead])
            np_start += np.find(words[lead])
            np = bare = " ".join(words[lead:])
            e = self.table.find(bare)
            if e:
                return e.name, e.id
        head = bare.lower().split()[-1] if bare.split() else ""
        words = bare.split()
        if not self.cased and len(words) >= 4 and head not in _GENERIC and any(w.lower().rstrip("'s’") in _GENERIC | _TITLE_WORDS for w in words[:-2]):
            # "the club's director of cricket mick newell": a role, then a two-word name
            name_words = words[-2:]
            role = role or " ".join(words[:-2])
            np_start += np.rfind(" ".join(name_words))
            np = bare = " ".join(name_words)
            e = self.table.find(bare)
            if e:
                return e.name, e.id
        if _DETERMINERS.match(bare) or head.rstrip(".") in _GENERIC or len(np.split()) > 5:
            # "police", "a spokesman", "a lawyer for the 32-year-old man": a speaker without a name
            core = re.split(r"\s+(?:for|of|at|from|with|in|on|to)\s+", bare, maxsplit=1)[0]
            self.description = np
            return re.sub(r"^(?:a|an|the|one|another|his|her|their|its)\s+", "", core, flags=re.IGNORECASE), None
        if self.cased and not all(w[0].isupper() or w.lower() in ("al", "el", "de", "van", "von", "bin", "of", "the") for w in bare.split()):
            return bare, None
        if place_kind(bare) or (" " not in bare and re.search(r"(?:s|man|ian|ese|ish)$", bare)):
            return bare, None  # "Blues", "the Dutchman", "Brazil": not a new person to list
        kind = "organization" if (set(bare.lower().split()) & {"of", "group", "council", "ministry"}) or is_organisation(bare) else "person"
        s = np_start + (len(np) - len(bare))
        e = self.table.add(bare, kind, s, s + len(bare), role)
        return e.name, e.id


def _sentence_bounds(doc: Document, index: SentenceIndex, offset: int) -> tuple[int, int]:
    i = index.at(offset)
    if i < 0:
        return 0, len(doc.text)
    return index.span(i)


def _paragraph_end(text: str, offset: int) -> int:
    n = text.find("\n", offset)
    return len(text) if n < 0 else n


def extract_quotes(doc: Document, table: EntityTable, index: SentenceIndex | None = None) -> list[Quote]:
    text = doc.text
    index = index or SentenceIndex(doc)
    cased = doc.cased
    lo = doc.sentences[0].start if doc.sentences else 0
    # every span between quote marks, also scare quotes: they are not places to look for a speaker
    all_spans = find_quote_spans(text, lo)
    spans = [(s, e) for s, e in all_spans if _is_quote(text, s, e, cased)]
    resolver = _Resolver(doc, table, all_spans, index)
    _register_sources(text, lo, resolver, all_spans)
    quotes: list[Quote] = []
    for qi, (s, e) in enumerate(spans):
        q = Quote(text=text[s:e], start=s, end=e, sentence=index.at(s))
        close = e + 1 if e < len(text) and text[e] in "”\"'’" else e
        sent_start, _ = _sentence_bounds(doc, index, s)
        _, sent_end = _sentence_bounds(doc, index, max(s, close - 1))
        para_end = _paragraph_end(text, close)
        next_quote = spans[qi + 1][0] - 1 if qi + 1 < len(spans) else len(text)
        after_end = min(max(sent_end, close), para_end, next_quote)
        after = text[close:after_end]
        # the sentence may end inside the quote ("... army.…”"): take the rest of the paragraph line
        if not after.strip(" ,.") and close < para_end:
            after = text[close : min(para_end, next_quote)]
        last = quotes[-1] if quotes else None
        # a quote that ends its sentence ("... pitch.' Pressed on ...") has nothing after it to say
        # who spoke: the next sentence is about something else ("The judge told him ...")
        ended = cased and q.text.rstrip().endswith((".", "…")) and not re.match(r"[\s”’'\"]*[a-z,]", after)
        prev_end = quotes[-1].end + 1 if quotes and quotes[-1].end >= sent_start else sent_start
        before_start = max(sent_start, prev_end)
        # a partial quote ("said his daughter was 'just thrilled' with ...") is the words of the
        # sentence's speaker, not of whatever follows it
        partial = cased and q.text[:1].islower() and text[before_start : s - 1].strip()
        found = partial and _attribute_before(text, before_start, s - 1, q, resolver, last)
        found = found or (not ended and not partial and _attribute_after(after, close, q, resolver, last))
        if not found:
            found = _attribute_before(text, before_start, s - 1, q, resolver, last)
        if not found:
            found = _attribute_subject(text, sent_start, s - 1, q, resolver, last)
        if not found and partial and not ended:  # "... refused to leave – 'and at that point ...,' Mr Lamb told"
            found = _attribute_after(after, close, q, resolver, last)
        if cased and (not found or _junk(q)):  # the parser reads lowercased corpus text poorly
            found = _attribute_parse(text, before_start, s - 1, q, resolver, last) or (found and not _junk(q))
        if not found and last and last.speaker and _recent(text, index, last, q):
            q.speaker, q.speaker_id, q.cue, q.attribution = last.speaker, last.speaker_id, last.cue, "previous"
            q.speaker_span, q.speaker_description = last.speaker_span, last.speaker_description
        quotes.append(q)
    # "...," X said, "...": the second part takes the speaker found between the two parts
    for a, b in zip(quotes, quotes[1:]):
        same_line = "\n" not in text[a.end : b.start]
        if same_line and (b.attribution == "previous" and a.attribution == "after" or b.attribution == "before" and b.speaker_span == a.speaker_span):
            b.attribution = "inside"
    return quotes


_NOT_NAME = _GENERIC | _CLAUSE_WORDS | set(WEEKDAYS) | set(
    """the a an it he she they we i you his her their its this that there today yesterday last next in
    on at of to for with by from""".split()
)
# "said sgt. jeremy lewis with the city's police", "said l.l. doungal, a police official"
_SAID_OR_ACCORDING = alternation((*SAID, r"according\s+to"))
_SAID_NAME = re.compile(
    rf"\b{_SAID_OR_ACCORDING}\s+(?P<np>{_ABBREV}[a-z][\w’'-]+(?:\s+[a-z][\w’'-]+){{1,2}})"
    r"(?=\s*(?:,|\.(?:\s|$)|$)|\s+(?:with|of|from|at|in|on|who)\b)",
    re.IGNORECASE | re.MULTILINE,
)


def _register_sources(text: str, lo: int, r: _Resolver, skip: list[tuple[int, int]]) -> None:
    """People named as sources outside quotes ("..., said sgt. jeremy lewis.") become entities, so a
    later "he said" can find them. Only two- or three-word names with no common word in them."""
    for m in _SAID_NAME.finditer(text, lo):
        np = m.group("np")
        words = [w.lower().rstrip(".") for w in np.split()]
        if any(w in _NOT_NAME for w in words) or any(a <= m.start() < b for a, b in skip):
            continue
        if r.cased and not all(w[0].isupper() for w in np.split()):
            continue
        if r.table.find(np) is None:
            r.resolve(np, m.start("np"), m.start("np"), None)


def _recent(text: str, index: SentenceIndex, last: Quote, q: Quote) -> bool:
    """The quote just before ended in this or the previous paragraph (a quote that goes on)."""
    # a whole quote paragraph goes on past a photo caption or two; a partial quote is narration's
    whole = q.text[:1].isupper() and len(q.text.split()) >= 5
    return text.count("\n\n", last.end, q.start) <= (2 if whole else 1) and index.at(q.start) - index.at(last.end) <= (6 if whole else 3)


def _set(q: Quote, r: _Resolver, name, eid, span, cue, how) -> bool:
    if not name:
        return False
    q.speaker, q.speaker_id, q.speaker_span, q.cue, q.attribution = name, eid, span, cue, how
    q.speaker_description = r.description if eid is None else None
    return True


def _attribute_after(after: str, offset: int, q: Quote, r: _Resolver, last: Quote | None) -> bool:
    m = _AFTER_VERB_NP.match(after)
    np_words = m.group("np").lower().split() if m else []
    if m and np_words not in (["that"], ["the"], ["it"]) and np_words[0] not in ("in", "on", "at", "to", "during", "via"):
        np = m.group("np")
        np_start = offset + m.start("np")
        # "said l.l. doungal, a police official ..." gives the speaker a role
        role_m = re.match(r"\s*,\s*((?:a|an|the)\s[^,.;“”\"]{2,120})", after[m.end("np") :])
        name, eid = r.resolve(np, np_start, q.start, last, role_m.group(1).strip() if role_m else None)
        return _set(q, r, name, eid, (np_start, np_start + len(np)), _cue(m.group("v")), "after")
    m = _AFTER_NP_VERB.match(after)
    if m:
        np = m.group("np")
        words = np.split()
        if words and words[-1].lower() not in _CLAUSE_WORDS and not any(w.lower() in ("that", "which") for w in words):
            np_start = offset + m.start("np")
            role = m.group("app").strip(" ,") if m.group("app") else None
            if role and _DETERMINERS.match(np) and not _DETERMINERS.match(role + " ") and len(role.split()) <= 4:
                # ", a family friend, joel saldanas, told": the name is the part between the commas
                np, role = role, np
                np_start = offset + m.start("app") + m.group("app").find(np)
            name, eid = r.resolve(np, np_start, q.start, last, role)
            return _set(q, r, name, eid, (np_start, np_start + len(np)), _cue(m.group("v")), "after")
    m = _ACCORDING.search(after[:80])
    if m:
        np_start = offset + m.start("np")
        name, eid = r.resolve(m.group("np"), np_start, q.start, last)
        return _set(q, r, name, eid, (np_start, np_start + len(m.group("np"))), "according to", "after")
    return False


def _attribute_before(text: str, lo: int, hi: int, q: Quote, r: _Resolver, last: Quote | None) -> bool:
    before = text[lo:hi]
    m = None
    for m in _ACCORDING.finditer(before):  # noqa: B007 - the last match is wanted
        pass
    if m:
        np_start = lo + m.start("np")
        name, eid = r.resolve(m.group("np"), np_start, q.start, last)
        if _set(q, r, name, eid, (np_start, np_start + len(m.group("np"))), "according to", "before"):
            return True
    verbs = list(_BEFORE_VERB.finditer(before))
    for v in reversed(verbs):
        head = before[: v.start()]
        head = head[: _ADVERBS_BEFORE_VERB.search(head).start()] + " " if _ADVERBS_BEFORE_VERB.search(head) else head
        # "a convicted rapist, who blamed his victim and said": the speaker is the one "who" speaks
        rel = re.search(r"((?:[\w’'.-]+\s+){0,3}[\w’'.-]+),?\s+who\s[^.;“”\"]{0,120}$", head)
        if rel and not re.search(r"\b(?:said|says|told)\b", head[rel.end(1) :]):
            np = rel.group(1)
            np_start = lo + rel.start(1)
            name, eid = r.resolve(np, np_start, q.start, last, None)
            if _set(q, r, name, eid, (np_start, np_start + len(np)), _cue(v.group("v")), "before"):
                return True
        # "Noman Benotman, a former jihadist, said": step over the appositive
        # "Mr Lamb, 57, said", "Mr Jonsson, from Sweden, said": an age or an origin, not a name
        head = re.sub(r",\s*(?:\d{1,3}|(?:from|of|in|at|for|with)\s[^,;:.“”\"]{1,60}),\s*$", " ", head)
        app = re.search(r",\s*(?:who|a|an|the)\s[^,.;“”\"]{1,120},\s*$", head)
        role = None
        if app:
            role = app.group().strip(" ,")
            head = head[: app.start()]
        else:  # "another user, molly nichols, said": the name between commas, the role before it
            named = re.search(r"([^,;:.“”\"]{1,80}),\s*([^,;:.“”\"]{2,60}),\s*$", head)
            if named and not _DETERMINERS.match(named.group(2).strip() + " ") and len(named.group(2).split()) <= 4:
                role = named.group(1).strip()
                head = head[: named.end(2)]
        tail = re.split(r"[,;:.!?()“”\"—–]|\s-\s", head)[-1]
        words = _trim_np_before(tail.split())
        if not words:
            continue
        found = re.search(r"\s+".join(map(re.escape, words)) + r"\s*$", head)
        np = found.group().strip()
        np_start = lo + found.start()
        name, eid = r.resolve(np, np_start, q.start, last, role)
        if _set(q, r, name, eid, (np_start, np_start + len(np)), _cue(v.group("v")), "before"):
            return True
    return False


def _attribute_subject(text: str, lo: int, hi: int, q: Quote, r: _Resolver, last: Quote | None) -> bool:
    """A quote set in a sentence without a speech verb ("Rodgers praised his 'technical ability'",
    "He said he was 'disgusted'"): the subject of that sentence."""
    lead = text[lo:hi]
    if not lead.strip() or r._quoted(lo):
        return False
    pronoun = re.match(r"\s*(?:(?:But|And|So|Yet|Now|However|Meanwhile),?\s+)?(he|she|they|it)\b", lead, re.IGNORECASE)
    if pronoun:
        e = r.antecedent(lo + pronoun.start(1), _PRONOUNS[pronoun.group(1).lower()], last, pronoun.group(1).lower())
        return bool(e) and _set(q, r, e.name, e.id, (lo + pronoun.start(1), lo + pronoun.end(1)), None, "subject")
    described = _SUBJECT_DESCRIPTION.match(lead)
    if described:  # "The Liverpool manager will be using words like 'great character'"
        name, eid = r.resolve(described.group(1), lo + described.start(1), q.start, last)
        if _set(q, r, name, eid, (lo + described.start(1), lo + described.end(1)), None, "subject"):
            return True
    named = sorted(
        (s, t, e) for e in r.table.entities if e.type in ("person", "organization")
        for s, t in e.spans if lo <= s < hi and r._subject(s, t)
    )  # fmt: skip
    if not named:
        return False
    s, t, e = named[0]
    r.description = None
    return _set(q, r, e.name, e.id, (s, t), None, "subject")


_SUBORDINATORS = {"when", "as", "if", "after", "before", "while", "because", "although", "though", "since", "until", "once"}
_PRONOUN_SUBJECTS = {"it", "they", "he", "she", "we", "i", "you", "this", "that", "who", "which"}


def _junk(q: Quote) -> bool:
    """A speaker the rules made of words that name no one: "they took to the website to", "hilarious"."""
    if q.speaker is None:
        return True
    if q.speaker_id is not None:
        return False
    words = q.speaker.split()
    return words[0].lower() in _PRONOUN_SUBJECTS | _CLAUSE_WORDS or (len(words) == 1 and words[0].islower() and words[0] not in _GENERIC)


def _attribute_parse(text: str, lo: int, hi: int, q: Quote, r: _Resolver, last: Quote | None) -> bool:
    """The subject of the clause that leads into the quote, by spaCy's dependency parse of the words before
    it in its sentence: "One reviewer awarded it five stars, saying: '...'", "visitors ... slammed the
    attraction saying: '...'", "another reviewer ... took to the website to tell others it '...'". From
    the last word the parse climbs to the verbs that govern it, past the subjects of reported clauses
    ("warned that it is '...'") and of pronouns in subordinate clauses, to the first subject of a
    governing verb."""
    lead = text[lo:hi]
    if len(lead.split()) < 3 or r._quoted(lo) or is_caption(lead) or lead.split()[0].lower() in _SUBORDINATORS:
        return False  # "When the officers stopped him, '...'": the lead is all subordinate clause
    from newsbrief.facts.nlp import parser

    doc = parser()(lead)
    tokens = [t for t in doc if not t.is_punct and not t.is_space]
    if not tokens:
        return False
    tok, reported = tokens[-1], False
    for _ in range(12):
        # "When the officers stopped and spoke to him, '...'": a subordinate clause's subject is not the speaker
        subordinate = tok.dep_ == "advcl" or any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in tok.children)
        if not reported and not subordinate:
            subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tokens[-1].i]
            for subj in subjects:
                if subj.lower_ in _PRONOUN_SUBJECTS and tok.dep_ != "ROOT":
                    continue  # "as they took to the website": the main clause says who "they" are
                np_start = lo + subj.left_edge.idx
                np = text[np_start : lo + subj.idx + len(subj.text)]
                if subj.lower_ in ("that", "which", "who", "this"):
                    return False
                name, eid = r.resolve(np, np_start, q.start, last)
                return _set(q, r, name, eid, (np_start, np_start + len(np)), None, "subject")
        reported = tok.dep_ == "ccomp" or any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children)
        if tok.head is tok:
            return False
        tok = tok.head
    return False


def _cue(verb: str) -> str:
    v = re.sub(r"\s+", " ", verb.lower())
    return "told" if v.startswith("told") else "tells" if v.startswith("tells ") else v

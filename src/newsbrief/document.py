"""The document model: paragraphs and sentences with character offsets into the original text.

Every `Sentence` satisfies ``document.text[s.start:s.end] == s.text``. Structure that is not article
content -- a dateline ("DERNA, Libya (CNN) --"), a byline, subheads ("Similarities to Syria"), a
"Story highlights" block -- is recognised here and kept out of `Document.sentences`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from newsbrief.lexicon import MONTHS, WEEKDAYS, alternation

ParagraphKind = Literal["body", "subhead", "byline", "highlights", "caption"]
DroppedKind = Literal[
    "video-link", "read-more", "share", "follow", "click-here", "sign-up", "byline", "timestamp", "picture-credit",
    "dateline", "contributor", "caption",
]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int
    index: int  # position among the document's content sentences
    paragraph: int  # index into Document.paragraphs

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    kind: ParagraphKind
    sentences: tuple[int, ...] = ()  # indices into Document.sentences


@dataclass(frozen=True, slots=True)
class Dropped:
    """Text kept out of the sentences: page furniture ("Scroll down for video") or a photo caption."""

    kind: DroppedKind
    text: str
    start: int  # offsets into Document.text: text == document.text[start:end]
    end: int

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Document:
    text: str
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    id: str | None = None
    title: str | None = None
    byline: str | None = None
    date: str | None = None  # ISO date when the source gives one
    dateline: str | None = None  # "DERNA, Libya (CNN) --", kept out of the sentences
    source: str | None = None  # e.g. "cnn" / "dailymail" in the corpus
    reference: list[str] = field(default_factory=list)  # reference highlights, when the input has them
    dropped: list[Dropped] = field(default_factory=list)  # furniture and captions, in text order
    # Whether the text has capitals at all (the corpus ships lowercased text): computed once, here.
    cased: bool = field(init=False)

    def __post_init__(self) -> None:
        self.cased = self.text != self.text.lower()

    @property
    def subheads(self) -> list[str]:
        return [self.text[p.start : p.end] for p in self.paragraphs if p.kind == "subhead"]

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    def __repr__(self) -> str:
        return (
            f"Document(id={self.id!r}, title={self.title!r}, paragraphs={len(self.paragraphs)}, "
            f"sentences={len(self.sentences)})"
        )


# --- segmentation ---------------------------------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"[^\n]+")
# A place where a sentence could end inside a paragraph; paragraphs without one skip the segmenter.
_CANDIDATE_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")
_TERMINAL = re.compile(r"[.!?…:;\"'”’)\]]\s*$")

# "DERNA, Libya (CNN) --", "(CNN) --", "new delhi (cnn)", "LONDON, England (Reuters) -"
_AGENCY_DATELINE = re.compile(
    r"^\s*(?:[^\n()]{0,60}?\s*)?\((?:cnn|ap|reuters|afp|upi|bloomberg|efe|dpa|ansa|xinhua|kyodo|yonhap|pa|tass|"
    r"ew\.com|ew|cnnmoney|the hollywood reporter|"
    r"variety|billboard|people\.com|rs\.com|rolling stone|mashable|time\.com|health\.com|mental floss|wired|"
    r"the daily beast|fortune|money|travel ?\+ ?leisure|cnet|vogue)[^)\n]{0,40}\)"
    r"\s*(?:--|—|–|-|:)?\s*",
    re.IGNORECASE,
)
# "WASHINGTON — ", "NEW YORK, N.Y. -- " (capitals, then a dash)
_CAPS_DATELINE = re.compile(r"^\s*[A-Z][A-Z.' -]{2,40}(?:, [A-Z][A-Za-z. ]{1,25})?\s+(?:--|—|–)\s+")
_BYLINE = re.compile(r"^\s*(?:by|from)\b[ .]*[A-Z\w][^\n]{0,80}$", re.IGNORECASE)
_DAILYMAIL_JUNK = re.compile(
    r"^(?:by \. [^\n]*? \. )?(?:published: \. [^\n]*? \. (?:\| \. )?)?(?:updated: \. [^\n]*? \. )",
    re.IGNORECASE,
)
_HIGHLIGHTS_HEADER = re.compile(r"^\s*story highlights\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd  # imported lazily: it costs ~0.1 s

    return pysbd.Segmenter(language="en", clean=False)


def _pysbd_sentences(text: str) -> list[str]:
    # Segmenter.segment would also locate each sentence with a regex of its own, compiled anew for every
    # sentence: a third of the time. We locate them ourselves, so take the processor's output as it is.
    return _segmenter().processor(text).process()


_OPENING_QUOTE = re.compile(r'(?:^|(?<=[\s(\[{—–-]))"(?=\S)')


def _for_segmenter(chunk: str) -> str:
    """`chunk` as pysbd reads it best, character for character the same length (offsets hold).

    pysbd keeps whatever lies between two "--" together (an aside), but news copy uses "--" as a single
    dash, so whole paragraphs ran together between one dash and the next: they become em dashes.
    It pairs straight quotes blindly too, so an inch mark (12") or one quote's close and the next one's
    open hid the sentence ends between them: they become curly quotes, which say which is which.
    """
    chunk = chunk.replace("--", "\u2014\u2014")
    return _OPENING_QUOTE.sub("\u201c", chunk).replace('"', "\u201d")


# A sure sentence end: a word, its full stop (or ! or ?), closing quotes, space, then a capital.
_CLEAR_END = {
    True: re.compile(r"(?<![\w.'’-])([A-Za-z]+)([.!?])([”’)]*)\s+(?=[“‘(]?[A-Z])"),
    False: re.compile(r"(?<![\w.'’-])([a-z]+)([.!?])([”’)]*)\s+(?=[“‘(]?[a-z])"),  # lowercased copy
}


_MARK = re.compile(r"[“”‘()]|’(?!\w)")  # opening and closing quotes and parentheses ("he’d" is no close)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    return frozenset(English.Abbreviation.ABBREVIATIONS)


def _clear_ends(shown: str, cased: bool) -> list[int]:
    """Offsets in `shown` where a sentence surely ends: after a word that is no abbreviation ("Gen.",
    "Mrs."), outside quotes and parentheses (a quote of two sentences stays one with its attribution).

    Most sentence ends in news copy are of this kind. Cutting there first leaves pysbd only the pieces
    that still hold a full stop ("Gen. Smith", "5 a.m. Tuesday"): 3-4 times faster, and pysbd missed
    many of these ends (after a quote, before the next one).
    """
    abbreviations = _abbreviations()
    # Quotes do not nest in news copy, and a quote running on into the next paragraph is never closed:
    # the last mark before a stop, opening or closing, says whether the stop is inside a quote.
    marks = [(m.start(), m.group() in "“‘(") for m in _MARK.finditer(shown)]
    cuts = []
    for m in _CLEAR_END[cased].finditer(shown):
        word, stop = m.group(1), m.group(2)
        last = bisect_left(marks, (m.end(3), False)) - 1
        if last >= 0 and marks[last][1]:
            continue
        # "Gen.", "Mass.", "Inc." are left to pysbd; in cased copy "me." or "miss." end a sentence.
        if stop == "." and (len(word) < 2 or word.lower() in abbreviations and (word[0].isupper() or not cased)):
            continue
        cuts.append(m.end())
    return cuts


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within text[start:end] (one paragraph), trimmed of surrounding space."""
    chunk = text[start:end]
    if not _CANDIDATE_BOUNDARY.search(chunk.rstrip()):
        return [_trim(text, start, end)]
    # In lowercased copy every sentence opens in lowercase: only cased text tells a false split by it.
    cased = chunk != chunk.lower()
    shown = _for_segmenter(chunk)
    spans = []
    cuts = [0, *_clear_ends(shown, cased), len(chunk)]
    for a, b in zip(cuts, cuts[1:]):
        piece = shown[a:b]
        if _CANDIDATE_BOUNDARY.search(piece.rstrip()):
            spans += _pysbd_spans(text, piece, start + a)
        else:
            spans.append(_trim(text, start + a, start + b))
    return _merge_false_splits(text, [s for s in spans if s[1] > s[0]], cased)


def _pysbd_spans(text: str, shown: str, offset: int) -> list[tuple[int, int]]:
    """pysbd's sentences of `shown`, which is text[offset:offset + len(shown)] as _for_segmenter gives it."""
    spans = []
    cursor = 0
    for piece in _pysbd_sentences(shown):
        piece = piece.strip()
        if not piece:
            continue
        at = shown.find(piece, cursor)
        if at < 0:  # the segmenter altered the text; fall back to the whole remainder
            spans.append(_trim(text, offset + cursor, offset + len(shown)))
            break
        spans.append((offset + at, offset + at + len(piece)))
        cursor = at + len(piece)
    return spans


_TIME_OR_ABBREV_END = re.compile(r"(?:\b[ap]\.m\.|\bNo\.|\bU\.S\.)$")
_DAY_OR_MONTH = re.compile(
    alternation([w.capitalize() for w in (*WEEKDAYS, *MONTHS)] + "ET EST EDT GMT UTC local".split()) + r"\b"
)


def _merge_false_splits(text: str, spans: list[tuple[int, int]], cased: bool) -> list[tuple[int, int]]:
    """Rejoin what the segmenter splits wrongly in news copy: "at 5 a.m. Tuesday", a lowercase start
    (in `cased` text)."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev = text[merged[-1][0] : merged[-1][1]]
            head = text[start:end]
            if (cased and head[0].islower()) or (_TIME_OR_ABBREV_END.search(prev) and _DAY_OR_MONTH.match(head)):
                merged[-1] = (merged[-1][0], end)
                continue
        merged.append((start, end))
    return merged


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_subhead(chunk: str) -> bool:
    """A short title-like line with no closing punctuation: "Similarities to Syria"."""
    words = chunk.split()
    if not words or len(words) > 8 or _TERMINAL.search(chunk):
        return False
    return chunk[0].isupper() and not chunk.isupper() or (chunk.isupper() and len(words) <= 6)


def _dateline_length(chunk: str) -> int:
    for pattern in (_AGENCY_DATELINE, _CAPS_DATELINE, _DAILYMAIL_JUNK):
        m = pattern.match(chunk)
        if m and m.end() < len(chunk):
            return m.end()
    return 0


def looks_sentence_per_line(text: str) -> bool:
    """The CNN/DailyMail corpus ships lowercased text with one sentence a line."""
    return text == text.lower() and text.count("\n") >= 2 and "\n\n" not in text.strip()


def _blank(text: str, dropped: Sequence[Dropped]) -> str:
    """`text` with each dropped span's characters other than newlines made spaces: same length, same lines."""
    parts, at = [], 0
    for d in dropped:
        parts += [text[at : d.start], re.sub(r"[^\n]", " ", text[d.start : d.end])]
        at = d.end
    parts.append(text[at:])
    return "".join(parts)


def _around(spans: list[tuple[int, int]], dropped: Sequence[Dropped], text: str) -> list[tuple[int, int]]:
    """`spans` cut where a dropped span lies inside one (furniture that ran into a sentence)."""
    out = []
    for s, e in spans:
        for d in dropped:
            if s < d.start and d.end < e:
                out.append(_trim(text, s, d.start))
                s = d.end
        out.append(_trim(text, s, e))
    return [(s, e) for s, e in out if e > s]


# --- captions -------------------------------------------------------------------------------------
# A DailyMail photo caption opens with a short label and a colon ("Missing: A search has been launched
# ..."), or points at the picture ("pictured left", "(right)"). A speaker's "He said: 'We ...'" is no
# caption (a quote follows; the label ends in a speech verb).
_CAPTION_LABEL = re.compile(r"([A-Z0-9][\w'’.&-]*(?: [\w'’.&-]+){0,4}): (?=[A-Z0-9])")
_SPEECH = frozenset(
    "said says say added adds told tells wrote writes tweeted explained insisted read reads admitted revealed claimed "
    "warned stated continued posted asked replied commented declared announced confirmed joked recalled noted argued "
    "agreed urged concluded is are was were".split()
)
_POINTING = re.compile(r"\bpictured (?:left|right|above|below|centre|center|top|bottom|inset)\b|"
                       r"\((?:pictured )?(?:left|right|above|below|centre|center|top|bottom|inset)\)", re.IGNORECASE)
# Where a caption that lost its closing period runs into the next sentence: before a word that opens
# sentences, an opening quote, or the next caption's label; never after a word that needs one to follow.
_OPENERS = (
    "The A An He She It They We I His Her Its Their Our This That These Those There But And However Police Officers "
    "In On At After Before When While During Last Earlier Now Then Meanwhile Mr Mrs Ms Dr According Against Despite "
    "Today Yesterday"
).split()
_VERB = r"(?:was|is|has|had|have|says|said|will|would|could|can|did|does|were|are|also|then|now|insists|added)"
_SEAM = re.compile(
    r"(?<=[\w%)])\s+(?="
    r"(?:" + "|".join(_OPENERS) + r")\b(?![:'’-])"  # a word that opens sentences
    r"|[A-Z][a-z]+ing\b"  # "Speaking to ...", "Commenting on ..."
    r"|[‘“'\"][A-Z]"  # a quotation
    r"|[A-Z][\w'’.&-]*(?: [\w'’.&-]+){0,4}: [A-Z0-9]"  # the next caption's label
    r"|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?(?:, \d+,)? " + _VERB + r"\b)"  # a name and its verb: "Murray was made ..."
)
_NEEDS_MORE = frozenset(
    "of the a an in on at to for with and or by from as into onto about than that which who whose where when his "
    "their its our my your this these those said says told is are was were be been has have had not alongside like "
    "captain striker manager boss president midfielder defender forward coach star team-mate teammate".split()
)


def _is_label(match: re.Match | None) -> bool:
    return bool(match) and match.group(1).split()[-1].lower() not in _SPEECH  # type: ignore[union-attr]


def _caption_end(text: str, start: int, end: int) -> int:
    """Where the caption opening text[start:end] ends (`end` when it is all caption), or `start` when
    the sentence opens with none."""
    # Cheap checks first: most sentences have no colon near their start, no parenthesis, no "pictured".
    head = min(end, start + 60)
    label = _CAPTION_LABEL.match(text, start, head) if text.find(": ", start, head) >= 0 else None
    if not _is_label(label):
        label = None
        if (text.find("(", start, end) < 0 and text.find("ictured", start, end) < 0) or not _POINTING.search(text, start, end):
            return start
    # A caption that ran on: it ends at the first seam past its label and three more words.
    body = label.end() if label else start
    for m in _SEAM.finditer(text, body, end):
        before = text[body : m.start()].rsplit(None, 1)
        if len(text[body : m.start()].split()) >= 3 and before and before[-1].lower() not in _NEEDS_MORE:
            return m.start()
    return end


Spans = list[tuple[int, int]]


def _without_captions(text: str, spans: Spans) -> tuple[Spans, Spans]:
    """(sentences, captions): `spans` with captions taken out, run-on captions cut where they end."""
    sentences, captions = [], []
    for s, e in spans:
        while s < e:
            cut = _caption_end(text, s, e)
            if cut == s:
                sentences.append((s, e))
                break
            captions.append(_trim(text, s, cut))
            s = _trim(text, cut, e)[0]
    return sentences, captions


def segment(
    text: str,
    *,
    sentence_per_line: bool | None = None,
    dropped: Sequence[Dropped] = (),
    **meta,
) -> Document:
    """Split `text` into paragraphs and sentences, with offsets into `text` itself.

    Paragraphs are separated by blank lines or single newlines. With `sentence_per_line` (detected
    for lowercased corpus text when None) each line is one sentence and the segmenter is skipped.
    `dropped` (page furniture, `newsbrief.ingest.furniture`) is read as blank space; photo captions are
    found here. Both end up in `Document.dropped`, never in the sentences.
    """
    if sentence_per_line is None:
        sentence_per_line = looks_sentence_per_line(text)
    furniture = list(dropped)
    original, text = text, _blank(text, furniture) if furniture else text
    removed: list[Dropped] = []
    blocks = [m.span() for m in _LINE.finditer(text)]
    blocks = [_trim(text, a, b) for a, b in blocks]
    blocks = [(a, b) for a, b in blocks if b > a]

    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    reference: list[str] = list(meta.pop("reference", None) or [])
    dateline = meta.pop("dateline", None)
    byline = meta.pop("byline", None)
    i = 0
    # A "Story highlights" block at the top: reference highlights, not article text.
    if blocks and _HIGHLIGHTS_HEADER.match(text[blocks[0][0] : blocks[0][1]]):
        paragraphs.append(Paragraph(*blocks[0], "highlights"))
        i = 1
        # The block runs until a blank line, a dateline, or a long line (the article has begun).
        while i < len(blocks) and len(reference) < 6:
            a, b = blocks[i]
            chunk = text[a:b]
            if text.count("\n", blocks[i - 1][1], a) > 1 or _dateline_length(chunk) or len(chunk.split()) > 30:
                break
            reference.append(chunk)
            paragraphs.append(Paragraph(a, b, "highlights"))
            i += 1

    first_content = True
    cased = text != text.lower()
    # Captions are read in cased English copy only (DailyMail's); a French "Résultat : ..." is a sentence.
    # The lowercased corpus keeps its caption lines as sentences: the shipped models were trained and are
    # measured on it with them, and taking them out cost 0.13 R1 on validation (docs/benchmarks.md).
    captioned = cased and text.count(" the ") >= text.count(" de ") + text.count(" la ")
    for a, b in blocks[i:]:
        chunk = text[a:b]
        if _BYLINE.match(chunk) and len(chunk.split()) <= 12 and not _TERMINAL.search(chunk.rstrip(".")):
            byline = byline or chunk.strip()
            paragraphs.append(Paragraph(a, b, "byline"))
            continue
        if not sentence_per_line and _is_subhead(chunk) and sentences:
            paragraphs.append(Paragraph(a, b, "subhead"))
            continue
        if first_content:
            first_content = False
            cut = _dateline_length(chunk)
            if cut:
                dateline = dateline or chunk[:cut].strip()
                ds, de = _trim(text, a, a + cut)
                removed.append(Dropped("dateline", original[ds:de], ds, de))
                a, b = _trim(text, a + cut, b)
        spans = [(a, b)] if sentence_per_line else _split_sentences(text, a, b)
        if furniture and not sentence_per_line:
            spans = _around(spans, furniture, text)
        spans, captions = _without_captions(text, spans) if captioned else (spans, [])
        removed += [Dropped("caption", original[s:e], s, e) for s, e in captions]
        p_index = len(paragraphs)
        ids = []
        for s, e in spans:
            ids.append(len(sentences))
            sentences.append(Sentence(original[s:e], s, e, len(sentences), p_index))
        paragraphs.append(Paragraph(a, b, "body" if ids or not captions else "caption", tuple(ids)))

    return Document(
        text=original,
        paragraphs=paragraphs,
        sentences=sentences,
        reference=reference,
        dateline=dateline,
        byline=byline,
        dropped=sorted([*furniture, *removed], key=lambda d: d.start),
        **meta,
    )

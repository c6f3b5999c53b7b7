"""The document model: paragraphs and sentences with character offsets into the original text.

Every `Sentence` satisfies ``document.text[s.start:s.end] == s.text``. Structure that is not article
content -- a dateline ("DERNA, Libya (CNN) --"), a byline, subheads ("Similarities to Syria"), a
"Story highlights" block -- is recognised here and kept out of `Document.sentences`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

ParagraphKind = Literal["body", "subhead", "byline", "highlights"]


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
    r"^\s*(?:[^\n()]{0,60}?\s*)?\((?:cnn|ap|reuters|afp|upi|bloomberg|ew\.com|ew|cnnmoney|the hollywood reporter|"
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


def _split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within text[start:end] (one paragraph), trimmed of surrounding space."""
    chunk = text[start:end]
    if not _CANDIDATE_BOUNDARY.search(chunk.rstrip()):
        return [_trim(text, start, end)]
    spans = []
    cursor = 0
    for piece in _segmenter().segment(chunk):
        piece = piece.strip()
        if not piece:
            continue
        at = chunk.find(piece, cursor)
        if at < 0:  # the segmenter altered the text; fall back to the whole remainder
            spans.append(_trim(text, start + cursor, end))
            break
        spans.append((start + at, start + at + len(piece)))
        cursor = at + len(piece)
    return _merge_false_splits(text, [s for s in spans if s[1] > s[0]])


_TIME_OR_ABBREV_END = re.compile(r"(?:\b[ap]\.m\.|\bNo\.|\bU\.S\.)$")
_DAY_OR_MONTH = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|ET|EST|EDT|GMT|UTC|local)\b"
)


def _merge_false_splits(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Rejoin what the segmenter splits wrongly in news copy: "at 5 a.m. Tuesday", a lowercase start."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged:
            prev = text[merged[-1][0] : merged[-1][1]]
            head = text[start:end]
            if head[0].islower() or (_TIME_OR_ABBREV_END.search(prev) and _DAY_OR_MONTH.match(head)):
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


def segment(
    text: str,
    *,
    sentence_per_line: bool | None = None,
    **meta,
) -> Document:
    """Split `text` into paragraphs and sentences, with offsets into `text` itself.

    Paragraphs are separated by blank lines or single newlines. With `sentence_per_line` (detected
    for lowercased corpus text when None) each line is one sentence and the segmenter is skipped.
    """
    if sentence_per_line is None:
        sentence_per_line = looks_sentence_per_line(text)
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
                a, b = _trim(text, a + cut, b)
        spans = [(a, b)] if sentence_per_line else _split_sentences(text, a, b)
        p_index = len(paragraphs)
        ids = []
        for s, e in spans:
            ids.append(len(sentences))
            sentences.append(Sentence(text[s:e], s, e, len(sentences), p_index))
        paragraphs.append(Paragraph(a, b, "body", tuple(ids)))

    return Document(
        text=text,
        paragraphs=paragraphs,
        sentences=sentences,
        reference=reference,
        dateline=dateline,
        byline=byline,
        **meta,
    )

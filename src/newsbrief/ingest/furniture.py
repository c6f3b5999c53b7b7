"""Page furniture: the lines a news page carries that are not the story ("Scroll down for video", "READ
MORE: ..." links, "Share this article", bylines and time stamps, picture credits, agency datelines, "...
contributed to this report"). `find_furniture` finds them; the segmenter then reads the text with them
blanked out, so every other offset stays exact, and the Document lists them (`Document.dropped`: kind and
span). Agency datelines ("MADRID (EFE) --") are the segmenter's, with CNN's.

Most phrases are so particular to page furniture that they are dropped wherever they stand, also when a
copy lost the period after them and they run into the next sentence. The others (a byline, a credit line,
"Photo: ...", "Read more: ...") are dropped only where a line or a sentence starts.

Speed: each rule has a keyword, found with `str.find` on the lowercased text; its pattern runs only there.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newsbrief.document import Dropped, DroppedKind

_END = r"(?:\s*[.:!])?"


class _Rule(NamedTuple):
    keyword: str  # lowercase; the pattern matches from where it is found
    kind: DroppedKind
    pattern: re.Pattern
    at_start: bool  # only where a line or a sentence starts


def _rule(keyword: str, kind: DroppedKind, pattern: str, at_start: bool = False) -> _Rule:
    return _Rule(keyword, kind, re.compile(pattern, re.IGNORECASE), at_start)


_RULES = [
    _rule("scroll", "video-link",
          r"scroll\s+down\s+for\s+(?:the\s+)?(?:video|more|pictures|photos)s?(?:\s+and\s+(?:videos?|pictures|photos))?" + _END),
    _rule("share", "share", r"share\s+(?:or\s+comment\s+on\s+)?this\s+(?:article|story|page)" + _END, at_start=True),
    _rule("e-mail to a friend", "share", r"e-mail\s+to\s+a\s+friend" + _END),
    _rule("follow", "follow",
          r"follow\s+(?:@\w+|us\s+on\s+(?:twitter|facebook|instagram)\b)(?:\s+on\s+(?:twitter|instagram)\b)?" + _END),
    _rule("click here", "click-here", r"click\s+here\b[^.!?\n]{0,120}[.!]?"),
    _rule("published", "timestamp", r"published\s*:\s*\.?\s*\d{1,2}:\d{2}\s*(?:[a-z]{2,4}\b)?,?\s*\d{1,2}\s+[a-z]+\s+\d{4}"
                                    r"(?:\s*[.|])*"),
    _rule("updated", "timestamp", r"updated\s*:\s*\.?\s*\d{1,2}:\d{2}\s*(?:[a-z]{2,4}\b)?,?\s*\d{1,2}\s+[a-z]+\s+\d{4}"
                                  r"(?:\s*[.|])*"),
    _rule("last updated", "timestamp",
          r"last\s+updated\s+at\s+\d{1,2}[:.]\d{2}\s*(?:[ap]m)?\s+on\s+\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\s+\d{4}\s*\.?"),
    _rule("(photo", "picture-credit", r"\(photos?(?:\s+credit)?\s*:[^()\n]{1,60}\)"),
    _rule("(picture", "picture-credit", r"\(pictures?(?:\s+credit)?\s*:[^()\n]{1,60}\)"),
    _rule("(image", "picture-credit", r"\(images?(?:\s+credit)?\s*:[^()\n]{1,60}\)"),
    _rule("photo", "picture-credit", r"photos?(?:\s+credit)?\s*:\s*[^\n.!?]{1,60}(?:\.|(?=\n|$))", at_start=True),
    _rule("picture", "picture-credit", r"pictures?(?:\s+credit)?\s*:\s*[^\n.!?]{1,60}(?:\.|(?=\n|$))", at_start=True),
    _rule("image", "picture-credit", r"images?(?:\s+credit)?\s*:\s*[^\n.!?]{1,60}(?:\.|(?=\n|$))", at_start=True),
    _rule("read more", "read-more", r"read\s+more\s*:[^\n]*(?:\n[^\S\n]*[^\n.!?]{1,120}(?=\n|$))*", at_start=True),
    _rule("sign up", "sign-up", r"sign\s+up\s+(?:for|to)\s[^\n.!?]{0,120}[.!]?", at_start=True),
    _rule("by", "byline", r"by\s*\.\s+[^\n.|]{1,60}?\s*\.(?=\s*(?:published|updated|\||$|\n))", at_start=True),
]
# "CNN's Jane Doe contributed to this report.": the keyword ends the line, which is dropped from its start.
_CONTRIBUTOR = re.compile(r"contributed\s+(?:to\s+this\s+(?:report|story|article)|reporting)\b[^\n.!?]{0,40}[.!]?(?=\s|$)",
                          re.IGNORECASE)
_LINE_START = re.compile(r"(?:^|\n|[.!?][\"'”’)]*\s|\|)[^\S\n]*(?=[^\n.!?]*\Z)")


def _at_start(text: str, i: int) -> bool:
    """Whether text[i] opens the text, a line, or a sentence (after a stop, closing quotes and space)."""
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j == 0 or text[j - 1] in "\n|":
        return True
    if j == i:
        return False
    while j > 0 and text[j - 1] in "\"'”’)":
        j -= 1
    return j == 0 or text[j - 1] in ".!?"


def find_furniture(text: str) -> list[Dropped]:
    """The furniture in `text`, in order and not overlapping, as Dropped spans of `text`."""
    low = text.lower()
    found: list[tuple[int, int, DroppedKind]] = []
    for rule in _RULES:
        i = low.find(rule.keyword)
        while i >= 0:
            if (i == 0 or not low[i - 1].isalnum()) and (not rule.at_start or _at_start(text, i)):
                m = rule.pattern.match(text, i)
                if m:
                    found.append((i, m.end(), rule.kind))
            i = low.find(rule.keyword, i + 1)
    i = low.find("contributed")
    while i >= 0:
        m = _CONTRIBUTOR.match(text, i)
        start = _LINE_START.search(text, max(0, i - 160), i) if m else None
        if m and start:
            found.append((start.end(), m.end(), "contributor"))
        i = low.find("contributed", i + 1)
    out: list[Dropped] = []
    for start, end, kind in sorted(found):
        while end > start and text[end - 1].isspace():
            end -= 1
        if out and start < out[-1].end:  # overlapping finds: the first wins
            continue
        if end > start:
            out.append(Dropped(kind, text[start:end], start, end))
    return out

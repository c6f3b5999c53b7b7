"""Quote marks as English prints them: which marks open, close or are apostrophes, and how they pair.

Double (“ ” ") and single (‘ ’ ') marks are read in one pass with a small stack, so a quote inside a
quote is nested rather than closing its parent. News style runs a long quote over several paragraphs
by reopening each paragraph with a mark and closing only the last; published text without its line
breaks shows this as a second opening mark right after a sentence end, which continues the quote. A
mark that opens where no quote can continue means the one before was never closed: it is dropped
and pairing starts afresh there, so one stray mark cannot turn the rest of a story inside out.
"""

from __future__ import annotations

import re

DOUBLE, SINGLE = "double", "single"
_OPEN_BEFORE = set(" \t\n([{—–-/…\"“‘'")
_CLOSE_AFTER = set(" \t\n,.;:!?)]}—–-…\"”’'")
_STRONG_BEFORE = set(".,;:!?…—–-\"”")
# straight apostrophes that start a word: 'em, 'n', 'til, 'cause, 'tis, '90s
_ELISION = re.compile(r"(?:em|n|til|cause|cos|tis|twas|bout|\d0s|\d\d)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’')\]]*\s+(?=[\"“‘'A-Z])")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|me|my|we|We|we're|we’re|us|our|Our|you|You|your|Your)\b")
_CAPTION_MARK = re.compile(
    r"\((?:[\w\s,-]*\s)?(?:left|right|centre|center|middle|pictured|above|below|top|bottom|inset|front|back)\b[^)]{0,30}\)|\bpictured\b",
    re.IGNORECASE,
)
_NAME = r"(?:[A-Z][\w'’.-]+\s+)*[A-Z][\w'’.-]+"
# what people do in photo captions: "Rosberg tries out the new car", "Rodgers looks on"
_CAPTION_VERB = (
    r"(?:looks|celebrates|reacts|tries|sits|poses|smiles|walks|leaves|arrives|shakes|holds|watches|stands|"
    r"waves|jumps|kicks|clears|greets|congratulates|trains|gestures|lifts|wears|applauds|shows|takes|"
    r"heads|runs|prepares|appears|speaks|chats|hugs|embraces|receives|pictured)"
)
_NAME_ACTS = re.compile(rf"{_NAME}\s+(?:[A-Z][\w'’-]+\s+)+(?:[a-z]+s|is|was|has)\b|{_NAME}\s+(?:\([^)]*\)\s+)?{_CAPTION_VERB}\b|{_NAME},\s+who\s")
_CONTINUE_LIMIT = 1500  # characters a quote may run without a close before a reopening mark ends it
_UNCLOSED_LIMIT = 400  # an unclosed last quote keeps at most this much of the text after its mark


class _Mark:
    __slots__ = ("at", "kind", "role", "strong")

    def __init__(self, at: int, kind: str, role: str, strong: bool = True):
        self.at, self.kind, self.role, self.strong = at, kind, role, strong


def _marks(text: str, lo: int, singles: bool) -> list[_Mark]:
    """Every quote mark from `lo` with its kind and role: open, close or either (a straight mark
    between two words); apostrophes are left out."""
    out = []
    pattern = "[\"“”‘’']" if singles else "[\"“”]"
    for m in re.finditer(pattern, text[lo:]):
        i = lo + m.start()
        ch = m.group()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch == "“":
            out.append(_Mark(i, DOUBLE, "open"))
        elif ch == "”":
            out.append(_Mark(i, DOUBLE, "close"))
        elif ch == '"':
            opens = (before in _OPEN_BEFORE or before.isspace()) and not after.isspace()
            closes = not before.isspace() and (after in _CLOSE_AFTER)
            out.append(_Mark(i, DOUBLE, "open" if opens and not closes else "close" if closes and not opens else "either"))
        elif ch == "‘":
            if not re.match(r"\d0s\b", text[i + 1 : i + 5]):
                out.append(_Mark(i, SINGLE, "open"))
        elif before.isalnum() and after.isalnum():
            continue  # it's, don’t, rock'n'roll
        elif (before in _OPEN_BEFORE or before.isspace()) and (after.isalnum() or after in "…\"“"):
            if ch == "'" and not _ELISION.match(text, i + 1):
                out.append(_Mark(i, SINGLE, "open"))
        elif not before.isspace() and after in _CLOSE_AFTER:
            out.append(_Mark(i, SINGLE, "close", strong=before in _STRONG_BEFORE))
    return out


def _possessive(text: str, mark: _Mark, later: list[_Mark]) -> bool:
    """A weak single close after an "s" that a word follows ("the players’ wages") is a plural
    possessive when a strong close of the same quote comes later, before any new opening mark."""
    if mark.strong or text[mark.at - 1] not in "sSzZ" or not re.match(r"\s+\w", text[mark.at + 1 : mark.at + 4]):
        return False
    for m in later:
        if m.kind == SINGLE and m.role == "open":
            return False
        if m.kind == SINGLE and m.role == "close" and m.strong:
            return True
    return False


def _continues(text: str, start: int, mark_at: int) -> bool:
    """A reopening mark continues the open quote: a sentence ended just before it (or a line did),
    and that sentence is not a photo caption or narration set between two quotes."""
    if mark_at - start > _CONTINUE_LIMIT:
        return False
    gap = text[start:mark_at]
    if "\n" in gap[-3:]:
        return True
    return bool(_SENTENCE_END.search(gap))


def _interruption(text: str, start: int, mark_at: int) -> int | None:
    """Where a photo caption or a narration sentence cuts into the open quote before a reopening
    mark (the quote ends before it and the mark opens a new one), or None. The quote's own first
    sentence is never one."""
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, start, mark_at)]
    for lo, hi in zip(breaks, breaks[1:] + [mark_at]):
        if _narration(text[lo:hi]):
            return lo
    return None


def _last_sentence(gap: str) -> str:
    ends = list(_SENTENCE_BREAK.finditer(gap.rstrip()))
    return gap[ends[-1].end() :] if ends else gap


def is_caption(sentence: str) -> bool:
    """A photo caption's marks: "(left)", "(pictured)", "pictured"."""
    return bool(_CAPTION_MARK.search(sentence))


def _narration(sentence: str) -> bool:
    """A sentence in the reporter's voice rather than the speaker's: no first or second person, and
    a photo caption's marks ("(left)", "pictured") or a name followed by a present-tense verb
    ("Celtic's Efe Ambrose leaves the field ...", "Nicolas, who lives in ...")."""
    if _FIRST_PERSON.search(sentence):
        return False
    return is_caption(sentence) or bool(_NAME_ACTS.match(sentence.strip()))


def _paragraph_ended(text: str, part_start: int, mark: _Mark, role: str, kind: str) -> bool:
    """An open quote ended with its paragraph: a line break came, and the next paragraph neither
    reopens the quote with a mark nor closes it."""
    para_end = text.find("\n", part_start, mark.at)
    if para_end < 0:
        return False
    if mark.kind != kind:
        return True
    between = text[para_end : mark.at]
    if role == "open":
        return bool(between.strip())
    return "\n" in between.lstrip()


def _trimmed(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def quote_groups(text: str, lo: int = 0, singles: bool = True) -> list[list[tuple[int, int]]]:
    """The quotes of `text` from `lo`, each as its parts: (start, end) of the words inside the marks,
    one part per paragraph of a quote that is continued. Nested quotes stay inside their parent.
    `singles=False` pairs double marks only."""
    marks = _marks(text, lo, singles)
    groups: list[list[tuple[int, int]]] = []
    stack: list[_Mark] = []  # the outer open mark, and a nested one
    parts: list[tuple[int, int]] = []  # finished parts of the open outer quote
    part_start = 0

    def finish(end: int) -> None:
        nonlocal parts
        span = _trimmed(text, part_start, end)
        done = parts + ([span] if span else [])
        if done:
            groups.append(done)
        parts = []

    for k, mark in enumerate(marks):
        role = mark.role
        if role == "either":  # a straight double mark between words: it closes an open double quote
            role = "close" if any(m.kind == DOUBLE for m in stack) else "open"
        if stack and _paragraph_ended(text, part_start, mark, role, stack[0].kind):
            finish(text.index("\n", part_start))
            stack = []
        if role == "open":
            if not stack:
                stack, part_start = [mark], mark.at + 1
            elif stack[-1].kind != mark.kind and len(stack) == 1:
                stack.append(mark)  # a quote inside the quote
            else:
                if len(stack) == 2:
                    stack.pop()  # the nested quote was never closed
                cut = _interruption(text, part_start, mark.at) if _continues(text, part_start, mark.at) else None
                if stack[0].kind == mark.kind and cut is not None:
                    finish(cut)  # a caption came between: what follows it is a new quote
                    stack, part_start = [mark], mark.at + 1
                elif stack[0].kind == mark.kind and _continues(text, part_start, mark.at):
                    span = _trimmed(text, part_start, mark.at)
                    if span:
                        parts.append(span)
                    part_start = mark.at + 1
                elif stack[0].kind == mark.kind and len(stack) == 1 and not _SENTENCE_BREAK.search(text, part_start, mark.at):
                    stack.append(mark)  # 'people say 'good on you'': a quote in the same marks
                elif stack[0].kind == mark.kind:
                    # the open mark was never closed: keep what ended with a sentence before the
                    # narration, drop a fragment, and start afresh here
                    gap = text[part_start : mark.at]
                    narration = len(gap.rstrip()) - len(_last_sentence(gap).rstrip())
                    finish(part_start + narration if _SENTENCE_END.search(gap) and narration > 0 else part_start)
                    stack, part_start = [mark], mark.at + 1
                else:
                    stack.append(mark)
        else:
            depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d].kind == mark.kind), None)
            if depth is None or (mark.kind == SINGLE and _possessive(text, mark, marks[k + 1 :])):
                continue  # a stray close or a possessive
            if depth == 0:
                finish(mark.at)
                stack = []
            else:
                stack.pop()
    if stack:
        end = len(text)
        if end - part_start > _UNCLOSED_LIMIT:
            para = text.find("\n", part_start)
            end = para if para >= 0 else part_start + _UNCLOSED_LIMIT
            stop = max(text.rfind(c, part_start, end) for c in ".!?")
            end = stop + 1 if stop > part_start else end
        finish(end)
    return groups

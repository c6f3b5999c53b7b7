"""Selection rules shared by the learned models."""

from __future__ import annotations

import numpy as np

from newsbrief.summarizers.features import OPENERS, TOKEN


def dangling(doc) -> np.ndarray:
    """True for sentences that open with a pronoun or connective ("He", "But", "These fighters").

    Shown alone, such a sentence points at something the reader has not seen. The first sentence is
    exempt: it has no antecedent to miss.
    """
    out = np.zeros(len(doc.sentences), bool)
    for s in doc.sentences[1:]:
        m = TOKEN.search(s.text[:40].lower())
        out[s.index] = bool(m) and m.start() < 3 and m.group() in OPENERS
    return out


def fragment(doc) -> np.ndarray:
    """True for questions and sentences under five words ("A town in Syria or Iraq?", "No.").

    They set a scene in the article but say nothing on their own, so they make poor highlights.
    """
    return np.array([s.text.rstrip("\"'”’ ").endswith("?") or s.words < 5 for s in doc.sentences], bool)


# Words a caption and a sentence share by grammar alone.
_COMMON = frozenset(
    "the a an of to in and on for at by with from is was were are be has have had he she it his her they their that "
    "this as said".split()
)


def restated(doc, n: int) -> np.ndarray:
    """For each of the first `n` sentences, the largest share of a photo caption's words it holds.

    A caption restates the sentence its picture illustrates ("Missing: A search has been launched for
    ..."): the editors thought that sentence worth a picture. Captions are not highlights themselves
    (`Document.dropped`), so this is how what they say still counts.
    """
    out = np.zeros(n)
    captions = [set(TOKEN.findall(d.text.lower())) - _COMMON for d in doc.dropped if d.kind == "caption"]
    captions = [c for c in captions if c]
    if captions:
        for s in doc.sentences[:n]:
            words = set(TOKEN.findall(s.text.lower()))
            out[s.index] = max(len(words & c) / len(c) for c in captions)
    return out


def ranked_last(doc) -> list[bool]:
    """Dangling sentences and fragments: ranked after all others, chosen only when nothing else is left."""
    return (dangling(doc) | fragment(doc)).tolist()

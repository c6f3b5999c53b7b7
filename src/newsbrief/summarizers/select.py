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


def ranked_last(doc) -> list[bool]:
    """Dangling sentences and fragments: ranked after all others, chosen only when nothing else is left."""
    return (dangling(doc) | fragment(doc)).tolist()

"""The Python API: newsbrief.highlights(), the registry, budgets."""

import pytest

import newsbrief
from newsbrief.errors import InputError
from newsbrief.registry import available, load_model

from conftest import EXAMPLE


def test_highlights_lead_offsets_and_order():
    text = EXAMPLE.read_text(encoding="utf-8")
    hs = newsbrief.highlights(text, count=3, model="lead")
    assert [h.sentence_index for h in hs] == [0, 1, 2]
    assert [(h.start, h.end) for h in hs] == [(30, 289), (291, 393), (394, 486)]
    for h in hs:
        assert text[h.start : h.end] == h.text


def test_word_budget_is_over_all_highlights():
    text = EXAMPLE.read_text(encoding="utf-8")
    hs = newsbrief.highlights(text, count=3, max_words=40, model="lead")
    assert sum(len(h.text.split()) for h in hs) <= 40
    # The 45-word lead does not fit; the next sentences that do fill the budget.
    assert [h.sentence_index for h in hs] == [1, 2, 6]
    (cut,) = newsbrief.highlights(text, count=3, max_words=5, model="lead")
    assert cut.text == "Floodwaters from the Guaíba river"  # nothing fits whole: cut at a word boundary
    assert text[cut.start : cut.end] == cut.text


def test_registry_and_errors():
    assert "lead" in available()
    assert load_model("lead") is load_model("lead")  # loaded once per process
    with pytest.raises(InputError, match="unknown model 'nope'"):
        newsbrief.highlights("A story.", model="nope")
    with pytest.raises(InputError, match="count must be a whole number of at least 1, not 0"):
        newsbrief.highlights("A story.", count=0, model="lead")
    with pytest.raises(InputError, match="empty"):
        newsbrief.highlights("   \n", model="lead")


def test_read_returns_a_document():
    doc = newsbrief.read("One. Two.")
    assert isinstance(doc, newsbrief.Document)
    assert newsbrief.highlights(doc, count=1, model="lead")[0].text == "One."

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


def test_load_gives_a_briefer_whose_briefs_are_the_brief_json(capsys):
    import inspect
    import json

    from newsbrief.cli import main

    assert inspect.isfunction(newsbrief.highlights)  # a plain function, not a callable module
    nb = newsbrief.load(model="lead", count=2)
    text = EXAMPLE.read_text(encoding="utf-8")
    brief = nb(text)
    assert isinstance(brief, newsbrief.Brief) and isinstance(brief.document, newsbrief.Document)
    assert [h.sentence_index for h in brief.highlights] == [0, 1] and brief.facts is None
    assert [h.sentence_index for h in nb(text, count=1).highlights] == [0]  # one call's options
    assert main(["highlights", str(EXAMPLE), "--model", "lead", "--count", "2", "--format", "json"]) == 0
    assert brief.to_dict() == json.loads(capsys.readouterr().out)
    assert nb.options == newsbrief.BriefOptions(model="lead", count=2)
    with pytest.raises(InputError, match="max_words must be a whole number of at least 1, not 0"):
        newsbrief.load(max_words=0)


def test_the_package_ships_its_types():
    from importlib import resources

    assert resources.files("newsbrief").joinpath("py.typed").is_file()

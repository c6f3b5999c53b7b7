"""The issue's acceptance checks on the shared Derna sample."""

import pytest

from newsbrief.document import segment
from newsbrief.facts import extract_facts


@pytest.fixture(scope="module")
def derna(derna_text):
    doc = segment(derna_text)
    return doc, extract_facts(doc)


def _quotes_by(facts, speaker):
    return [q for q in facts.quotes if q.speaker == speaker]


def test_benotman_is_one_person_with_his_role(derna):
    doc, facts = derna
    people = [e for e in facts.entities if e.type == "person" and "Benotman" in e.name]
    assert len(people) == 1
    b = people[0]
    assert b.name == "Noman Benotman"
    assert b.role.startswith("a former Libyan jihadist now involved in counter-terrorism for the Quilliam Foundation")
    assert b.first == doc.text.index("Noman Benotman") == 1323
    assert len(b.spans) == doc.text.count("Benotman") == 9


def test_quotes_and_speakers(derna):
    doc, facts = derna
    benotman = _quotes_by(facts, "Noman Benotman")
    assert [q.text[:30] for q in benotman] == [
        "Derna today looks identical to",
        "ISIS pose a serious threat in ",
        "Most of the local population i",
    ]
    # a quote of two sentences keeps both, with offsets into the text
    two = benotman[1]
    assert two.text.endswith("creating an Islamic emirate in eastern Libya,")
    assert doc.text[two.start : two.end] == two.text
    assert [q.cue for q in benotman] == ["told", "said", "told"]

    zelin = _quotes_by(facts, "Aaron Zelin")
    assert [q.text for q in zelin] == [
        "could have some level of viability, at least in the short term",
        "trafficking, smuggling and other black market activities.",
    ]
    assert zelin[0].cue == "according to" and zelin[0].attribution == "before"

    cameron = _quotes_by(facts, "David Cameron")
    assert len(cameron) == 1 and cameron[0].text.startswith("succeeds, we would be facing a terrorist state")
    assert cameron[0].cue == "warned"

    # "it said" resolves to the group that spoke in the paragraph before
    muj = _quotes_by(facts, "Mujahideen of Libya")
    assert [q.text[:20] for q in muj] == ["the secularists and ", "We have prepared for"]
    assert muj[1].cue == "said" and muj[1].attribution == "after"
    assert len(facts.quotes) == 8  # scare quotes ("Barqa", "Mujahideen of Libya") are not quotes


def test_five_casualty_events(derna):
    _, facts = derna
    got = [
        (c.kind, c.killed and c.killed.value, c.wounded and c.wounded.value, c.place, c.date)
        for c in facts.casualties
    ]
    assert got == [
        ("beheading", 3, None, None, "early November"),
        ("suicide bombing", 1, 14, "Tobruk", "early November"),
        ("car bombing", 4, None, "Labraq", "the same day"),
        ("air strike", 6, 20, "Derna", "November"),
        ("attack", 21, None, None, "July"),
    ]


def test_places(derna):
    _, facts = derna
    for name in ["Derna", "Tobruk", "Benghazi", "Sirte", "Tripoli"]:
        assert facts.entity(name).type == "place", name
    assert facts.entity("Ansar Beit al Maqdis").type == "organization"
    assert facts.entity("David Cameron").role == "British Prime Minister"
    assert facts.entity("Baghdadi").name == "Abu Bakr al Baghdadi"
    assert facts.entity("al Anbari").name == "Abu Nabil al Anbari"


def test_quantities(derna):
    _, facts = derna
    got = {(q.text, q.value, q.counts, q.qualifier, q.vague) for q in facts.quantities}
    for expected in [
        ("about 100,000", 100000, "population", "about", False),
        ("just about 200", 200, "miles", "just about", False),
        ("800", 800, "fighters", None, False),
        ("half a dozen", 6, "camps", None, False),
        ("up to 300", 300, "Libyan jihadists", "up to", False),
        ("dozens", None, None, None, True),
        ("nine", 9, "suicide bombers", None, False),
    ]:
        assert expected in got
    # the dates "July 23", "October 2" and the year "2014" are not quantities
    assert not {"23", "2", "2014"} & {q.text for q in facts.quantities}


def test_dates(derna):
    _, facts = derna
    got = [(d.text, d.value, d.modifier) for d in facts.dates]
    assert ("early November", "XXXX-11", "early") in got
    assert ("July 23", "XXXX-07-23", None) in got
    assert ("2014", "2014", None) in got
    assert ("months later", None, None) in got


def test_to_dict_round_trips_offsets(derna):
    doc, facts = derna
    d = facts.to_dict()
    assert set(d) == {"entities", "quotes", "quantities", "casualties", "dates"}
    for q in d["quotes"]:
        assert doc.text[q["start"] : q["end"]] == q["text"]
    for e in d["entities"]:
        for s, t in e["spans"]:
            assert doc.text[s:t]

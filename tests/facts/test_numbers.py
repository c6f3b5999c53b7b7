"""Number words, qualifiers, what is counted, casualty counts and dates, on small pinned cases."""

import pytest

from newsbrief.document import segment
from newsbrief.facts import extract_facts
from newsbrief.facts.numbers import extract_quantities, parse_number


@pytest.mark.parametrize(
    "words, value",
    [
        ("twenty-one", 21), ("half a dozen", 6), ("a dozen", 12), ("100,000", 100000),
        ("1.5 million", 1_500_000), ("two hundred and fifty", 250), ("three thousand five hundred", 3500),
        ("dozens", None), ("tens of thousands", None),
    ],
)  # fmt: skip
def test_parse_number(words, value):
    assert parse_number(words) == value


def _q(text):
    doc = segment(text)
    return [(q.text, q.value, q.counts, q.qualifier, q.vague) for q in extract_quantities(doc)]


def test_quantities_with_what_they_count():
    assert _q("Some 1.5 million people fled, and $2 billion in aid came; 40% of homes were lost.") == [
        ("Some 1.5 million", 1_500_000, "people", "some", False),
        ("$2 billion", 2_000_000_000, "dollars", None, False),
        ("40%", 40, "percent", None, False),
    ]
    assert _q("Tens of thousands of protesters and scores of police were there for a 35-year-old man on May 5, 2014.") == [
        ("Tens of thousands", None, "protesters", None, True),
        ("scores", None, "police", None, True),
    ]
    # "one of", "no one" and durations are not counts
    assert _q("One of the men said no one came for three days.") == []


CASES = [
    ("At least 12 people were killed and dozens injured when a bus crashed in Peru on Monday.",
     [("crash", 12, None, "Peru", "Monday")]),  # fmt: skip
    ("The death toll from the earthquake in Nepal rose to 8,000.", [("earthquake", 8000, None, "Nepal", None)]),
    ("Gunmen attacked a checkpoint, killing 21 soldiers and wounding dozens.", [("attack", 21, None, None, None)]),
    ("Two police officers were shot dead in Brooklyn.", [("shooting", 2, None, "Brooklyn", None)]),
    ("A fire tore through the market. Four people died and 30 were hurt.", [("fire", 4, 30, None, None)]),
    ("The company said 300 workers would lose their jobs.", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_casualties(text, expected):
    facts = extract_facts(segment(text))
    got = [
        (c.kind, c.killed and c.killed.value, c.wounded and c.wounded.value, c.place, c.date) for c in facts.casualties
    ]
    assert got == expected


def test_vague_wounded_count_is_kept():
    facts = extract_facts(segment("Gunmen attacked a checkpoint, killing 21 soldiers and wounding dozens."))
    (event,) = facts.casualties
    assert event.wounded.text == "dozens" and event.wounded.value is None


def test_dates_against_the_article_date():
    doc = segment("Police said Tuesday the attack came last week, two days after a raid in early May.", date="2015-03-12")
    got = [(d.text, d.value, d.relative) for d in extract_facts(doc).dates]
    assert got == [
        ("Tuesday", "2015-03-10", True),
        ("last week", "2015-W10", True),
        ("two days after", None, True),
        ("early May", "2014-05", False),
    ]

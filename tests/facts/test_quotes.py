"""Quote attribution cases that quote tools get wrong: after, inside, told, pronouns, according to."""

import pytest

from newsbrief.document import segment
from newsbrief.facts import extract_facts
from newsbrief.facts.quotes import find_quote_spans

STORY = """Flood waters rose across Riverton on Tuesday, officials said.

"We will rebuild every home," Mayor Jane Smith said. "This town has come back before."

"It was chaos," said Tom Brown, a local fisherman who lost his boat.

Smith told reporters: "The water came in less than an hour."

"We tried to hold the levee," she said, "but the river was too strong."

"The numbers from the state are wrong," according to Maria Lopez, a hydrologist at Ohio State University.

Lopez spent the night on the levee. "I have never seen anything like it," she told CNN.

"The first warning came at noon. Nobody believed it.

"By two o'clock the main street was under water," Brown says.

"The fire is contained," police said.

A band called “The Levee Boys” played in the evening.
"""


@pytest.fixture(scope="module")
def story():
    doc = segment(STORY)
    return doc, extract_facts(doc)


def _speakers(facts):
    return [(q.text.split()[0], q.speaker, q.cue, q.attribution) for q in facts.quotes]


def test_speakers(story):
    _, facts = story
    assert _speakers(facts) == [
        ("We", "Jane Smith", "said", "after"),
        ("This", "Jane Smith", "said", "inside"),
        ("It", "Tom Brown", "said", "after"),
        ("The", "Jane Smith", "told", "before"),
        ("We", "Jane Smith", "said", "after"),
        ("but", "Jane Smith", "said", "inside"),
        ("The", "Maria Lopez", "according to", "after"),
        ("I", "Maria Lopez", "told", "after"),
        ("The", "Tom Brown", "says", "after"),
        ("The", "police", "said", "after"),
    ]


def test_roles_and_titles(story):
    _, facts = story
    assert facts.entity("Tom Brown").role == "a local fisherman who lost his boat"
    assert facts.entity("Maria Lopez").role == "a hydrologist at Ohio State University"
    assert facts.entity("Jane Smith").role == "Mayor"
    assert facts.entity("police") is None  # a speaker without a name is not an entity


def test_quote_over_two_paragraphs(story):
    doc, facts = story
    q = facts.quotes[8]
    assert q.text.startswith("The first warning came at noon. Nobody believed it.\n\n\"By two o'clock")
    assert q.text.endswith("under water,")
    assert doc.text[q.start : q.end] == q.text
    assert q.start == doc.text.index("The first warning")


def test_title_in_quote_marks_is_not_a_quote(story):
    _, facts = story
    assert not [q for q in facts.quotes if "Levee Boys" in q.text]


def test_nested_and_curly_marks():
    text = "“He told me ‘run’ and I ran,” said Ann Lee. Then: “Go.”"
    spans = find_quote_spans(text)
    assert [text[s:e] for s, e in spans] == ["He told me ‘run’ and I ran,", "Go."]
    facts = extract_facts(segment(text))
    assert facts.quotes[0].speaker == "Ann Lee"


def test_lowercased_corpus_quotes():
    text = (
        "new delhi (cnn) thousands stormed a jail, authorities said friday.\n"
        "the suspect died, said l.l. doungal, a police official in nagaland state.\n"
        '"there were thousands of them. many of them were students in uniform," doungal said.\n'
        "police initially used teargas, he said.\n"
        '"the situation is still volatile," he said.\n'
    )
    doc = segment(text, date="2015-03-06")
    facts = extract_facts(doc)
    assert [(q.text[:20], q.speaker) for q in facts.quotes] == [
        ("there were thousands", "l.l. doungal"),
        ("the situation is sti", "l.l. doungal"),
    ]
    assert facts.entity("doungal").role == "a police official in nagaland state"
    assert [(d.text, d.value) for d in facts.dates] == [("friday", "2015-03-06")]


def test_single_marks_of_the_dailymail_corpus():
    text = (
        "rio ferdinand gave his view on the debate.\n"
        "'it's inevitable we do all this, but we should just enjoy the players' skill,' ferdinand said.\n"
        "the '90s were different, he added.\n"
    )
    spans = find_quote_spans(text)
    assert [text[s:e] for s, e in spans] == ["it's inevitable we do all this, but we should just enjoy the players' skill,"]
    facts = extract_facts(segment(text))
    assert [(q.speaker, q.cue) for q in facts.quotes] == [("ferdinand", "said")]


def test_curly_single_marks():
    text = "The minister called it ‘a disgrace to the country’ on Monday. The players’ union said nothing."
    assert [text[s:e] for s, e in find_quote_spans(text)] == ["a disgrace to the country"]


def test_corpus_moves_closing_marks_to_the_next_line():
    # as the DailyMail corpus ships it: the close of a line-ending quote starts the next line
    text = (
        "manchester city winger jesus navas felt their luck was simply out.\n"
        "the spaniard said: 'we came here to get the three points.\n"
        "i think we were a bit unlucky to concede the goal.\n"
        "'we tried really hard but we couldn't score.\n"
        "'george boyd scored burnley's winner with a sweetly struck shot.\n"
        "the club's director of cricket mick newell said in a statement: 'we have found ourselves short.\n"
        "'a family friend, joel saldanas, told reporters.\n"
    )
    facts = extract_facts(segment(text))
    got = [(q.text, q.speaker, q.attribution) for q in facts.quotes]
    assert got == [
        ("we came here to get the three points.\ni think we were a bit unlucky to concede the goal.", "jesus navas", "before"),
        ("we tried really hard but we couldn't score.", "jesus navas", "previous"),
        ("we have found ourselves short.", "mick newell", "before"),
    ]
    assert facts.entity("mick newell").role == "club's director of cricket"


def test_name_between_commas_after_the_quote():
    text = "'he was laying in the bed,' a family friend, joel saldanas, told click2houston.\nmore text here.\n"
    (q,) = extract_facts(segment(text)).quotes
    assert (q.speaker, q.cue) == ("joel saldanas", "told")


def test_source_named_outside_a_quote_is_who_he_is():
    text = (
        "a tornado hit the city on tuesday, said maj. shannon clark of the sheriff's office.\n"
        "another tornado was spotted south of town, said sgt. jeremy lewis with the city's police.\n"
        '"we have about a 2-mile square area with significant damage," he said.\n'
    )
    facts = extract_facts(segment(text))
    assert [(q.speaker, q.cue) for q in facts.quotes] == [("jeremy lewis", "said")]
    assert facts.entity("jeremy lewis").role == "sgt."

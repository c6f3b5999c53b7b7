"""Page furniture and photo captions: dropped before the models see the text, offsets of the rest exact."""

import pytest

from newsbrief.errors import InputError
from newsbrief.ingest import read, read_html, read_story
from newsbrief.ingest.furniture import find_furniture

BODY = "Police searched the river for a second day on Sunday. The missing student was last seen at a party."
FIRST, SECOND = BODY.split(". ")
FIRST += "."


def sentences(doc):
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
    for d in doc.dropped:
        assert doc.text[d.start : d.end] == d.text
    return [s.text for s in doc.sentences]


@pytest.mark.parametrize(
    ("furniture", "kind"),
    [
        ("Scroll down for video.", "video-link"),
        ("SCROLL DOWN FOR VIDEO", "video-link"),  # no period: it would run into the next sentence
        ("Scroll down for videos and pictures", "video-link"),
        ("Share this article", "share"),
        ("Share or comment on this article:", "share"),
        ("Follow @MailSport on Twitter.", "follow"),
        ("Click here to see all the stats from the game.", "click-here"),
        ("Sign up for our daily newsletter.", "sign-up"),
        ("Photo: Getty Images.", "picture-credit"),
        ("(Image: Reuters)", "picture-credit"),
        ("Last updated at 9:05 AM on 1st March 2011.", "timestamp"),
        ("PUBLISHED: 11:09 EST, 2 April 2013 | . UPDATED: 11:56 EST, 2 April 2013 .", "timestamp"),
        ("READ MORE: Police find car of missing student", "read-more"),
    ],
)
def test_each_furniture_pattern_is_dropped_and_the_rest_keeps_its_offsets(furniture, kind):
    text = f"{FIRST} {furniture} {SECOND}"
    if kind == "read-more":  # a link list is a line of its own
        text = f"{FIRST}\n{furniture}\n{SECOND}"
    doc = read(text)
    assert sentences(doc) == [FIRST, SECOND]
    assert doc.sentences[1].start == text.index(SECOND)
    assert {d.kind for d in doc.dropped} == {kind}
    dropped = " ".join(d.text for d in doc.dropped)
    assert dropped.replace(" . ", " ").rstrip(" .") in furniture.replace(" . ", " ") or furniture.rstrip(".") in dropped


def test_a_byline_and_time_stamps_in_the_corpus_layout():
    text = ("by.\nleesa smith.\npublished:.\n05:15 est, 9 june 2014.\n|.\nupdated:.\n04:22 est, 10 june 2014.\n"
            "police searched the river for a second day on sunday.\nthe student was last seen at a party.\n")
    doc = read(text)
    assert sentences(doc) == ["police searched the river for a second day on sunday.", "the student was last seen at a party."]
    assert [d.kind for d in doc.dropped] == ["byline", "timestamp", "timestamp"]
    assert doc.dropped[0].text == "by.\nleesa smith."


@pytest.mark.parametrize("dateline", ["LONDON (Reuters) - ", "(AP) — ", "MADRID (EFE) — ", "WASHINGTON (CNN) -- "])
def test_agency_datelines(dateline):
    doc = read(dateline + BODY)
    assert sentences(doc) == [FIRST, SECOND]
    assert doc.dropped[0].kind == "dateline" and doc.dropped[0].text == dateline.strip()
    assert doc.sentences[0].start == len(dateline)


def test_a_contributor_credit_line():
    text = f"{BODY} CNN's Jane Doe and Ali Khan contributed to this report."
    doc = read(text)
    assert sentences(doc) == [FIRST, SECOND + "."] or sentences(doc) == [FIRST, SECOND]
    (credit,) = doc.dropped
    assert (credit.kind, credit.text) == ("contributor", "CNN's Jane Doe and Ali Khan contributed to this report.")
    assert credit.start == text.index("CNN's")


def test_furniture_words_in_a_story_sentence_stay():
    text = ("She said she would share this article with her family. He clicked the photo: a blue car. "
            "The image of the woodpecker went viral. The reporters contributed to the fund.")
    assert find_furniture(text) == []
    assert len(read(text).sentences) == 4


def test_furniture_in_html_and_story_files():
    html = f"<html><body><article><p>{FIRST}</p><p>Scroll down for video</p><p>{SECOND} It was cold.</p></article></body></html>"
    doc = read_html(html)
    assert [d.kind for d in doc.dropped] == ["video-link"]
    assert not any("Scroll" in s for s in sentences(doc))
    story = read_story(f"{FIRST}\n\nScroll down for video\n\n{SECOND}\n\n@highlight\n\nA highlight")
    assert sentences(story) == [FIRST, SECOND] and story.reference == ["A highlight"]


def test_a_story_that_is_all_furniture_is_a_clear_error():
    with pytest.raises(InputError, match="all its text is page furniture or photo captions"):
        read("Scroll down for video. Share this article. Click here for more.")


# --- captions ---------------------------------------------------------------------------------------

RUN_ON = ("Eloi's family are offering a reward for his safe return. Scroll down for video "
          "Missing: A search has been launched to find 19-year-old UC Berkeley student Eloi Vasquez after a party on Friday "
          "He was last seen leaving a party held by a fraternity in the early hours of Saturday. "
          "The star soccer player has no money or ID, police say.")


def test_a_run_on_caption_is_cut_at_the_right_character():
    doc = read(RUN_ON)
    caption = next(d for d in doc.dropped if d.kind == "caption")
    assert caption.text == "Missing: A search has been launched to find 19-year-old UC Berkeley student Eloi Vasquez after a party on Friday"
    assert caption.end == RUN_ON.index(" He was last seen")
    assert sentences(doc) == [
        "Eloi's family are offering a reward for his safe return.",
        "He was last seen leaving a party held by a fraternity in the early hours of Saturday.",
        "The star soccer player has no money or ID, police say.",
    ]
    assert doc.sentences[1].start == RUN_ON.index("He was last seen")


def test_captions_that_point_at_the_picture_and_speakers_that_are_no_captions():
    text = ("Chelsea beat Arsenal 2-0 on Sunday. Jose Mourinho (left) congratulates Courtois after the game. "
            "Mourinho said: 'We were the better side.' Drogba: The striker scored twice in the second half.")
    doc = read(text)
    assert sentences(doc) == ["Chelsea beat Arsenal 2-0 on Sunday.", "Mourinho said: 'We were the better side.'"]
    assert [d.text for d in doc.dropped] == ["Jose Mourinho (left) congratulates Courtois after the game.",
                                             "Drogba: The striker scored twice in the second half."]


def test_a_caption_never_becomes_a_highlight():
    from newsbrief.brief import select_highlights
    from newsbrief.options import BriefOptions

    doc = read(RUN_ON)
    for model in ("rerank", "fast", "lead"):
        texts = [h.text for h in select_highlights(doc, BriefOptions(model=model))]
        assert texts and not any("Missing:" in t or "Scroll" in t for t in texts), model


def test_lead_takes_the_first_three_content_sentences():
    from newsbrief.brief import select_highlights
    from newsbrief.options import BriefOptions

    text = ("By . Daily Mail Reporter . PUBLISHED: 11:09 EST, 2 April 2013 | . UPDATED: 11:56 EST, 2 April 2013 . "
            "Scroll down for video. Missing: A student has vanished after a party on Friday. " + RUN_ON)
    doc = read(text)
    lead = [h.text for h in select_highlights(doc, BriefOptions(model="lead"))]
    assert lead == [s.text for s in doc.sentences[:3]]
    assert lead[0] == "Eloi's family are offering a reward for his safe return."
    assert [d.kind for d in doc.dropped][:4] == ["byline", "timestamp", "timestamp", "video-link"]

"""One case of each failure class met on published stories (issue 12), in sentences written for these
tests: quote marks as published, speakers, entity types and casualty counts."""

import pytest

from newsbrief.document import segment
from newsbrief.facts import extract_facts
from newsbrief.facts.marks import quote_groups


def facts_of(text: str):
    return extract_facts(segment(text))


def quoted(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in group] for group in quote_groups(text)]


# --- quote marks ------------------------------------------------------------------------------------


def test_single_curly_marks_with_straight_apostrophes_inside():
    text = "The coach was calm. ‘We didn't play well and it's my fault,’ said Dan Holt. Fans' songs went on."
    assert quoted(text) == [["We didn't play well and it's my fault,"]]


def test_closing_single_mark_after_a_plural_is_a_possessive_when_the_quote_closes_later():
    text = "‘The players’ wages are not the issue,’ said Dan Holt."
    assert quoted(text) == [["The players’ wages are not the issue,"]]


def test_nested_quotes_stay_inside_their_parent():
    text = "“She told me ‘never again’ and walked out,” said Ann Voss. ‘People keep saying 'good luck' to me,’ she added."
    assert quoted(text) == [["She told me ‘never again’ and walked out,"], ["People keep saying 'good luck' to me,"]]


def test_a_quote_continued_over_paragraphs_reopens_and_closes_once():
    # running text as published: each paragraph of the quote reopens with a mark, only the last closes
    text = (
        "Dan Holt spoke after the match. ‘We started slowly. The second half was better. "
        "‘We will be ready for Saturday.’ The club is third."
    )
    facts = facts_of(text)
    assert quoted(text) == [["We started slowly. The second half was better.", "We will be ready for Saturday."]]
    (q,) = facts.quotes
    assert q.text.startswith("We started slowly.") and q.text.endswith("ready for Saturday.")


def test_an_unclosed_mark_does_not_turn_the_rest_of_the_story_into_quotes():
    text = (
        "Rita Gomez said the plan was 'simply too late for the valley and everyone knew it. "
        "The council met on Monday. Its members voted against the plan. "
        "Later Gomez added: 'We will appeal.' The vote was close."
    )
    groups = quoted(text)
    assert ["We will appeal."] in groups
    assert not any("The council met" in part for group in groups for part in group)


def test_a_photo_caption_between_two_quotes_ends_the_first():
    text = (
        "‘We have to win at home. It is that simple. Leon Park (left) celebrates with the fans after the game. "
        "‘Nobody is safe yet.’ The league resumes next week."
    )
    assert quoted(text) == [["We have to win at home. It is that simple."], ["Nobody is safe yet."]]


# --- speakers ---------------------------------------------------------------------------------------


def test_father_and_son_with_one_surname_keep_their_own_quotes():
    text = (
        "Peter Crane, a retired builder, met his son Tom Crane at the station. "
        "‘I am proud of him,’ Peter Crane said. Tom Crane later spoke to reporters. "
        "‘My father taught me everything I know about work,’ Crane said."
    )
    speakers = [q.speaker for q in facts_of(text).quotes]
    assert speakers == ["Peter Crane", "Tom Crane"]


def test_the_platform_she_wrote_on_is_not_the_speaker():
    text = (
        "Maria Olsen shared the news with her followers. "
        "‘This is the best day of my life,’ she said on Twitter. Her manager confirmed it."
    )
    facts = facts_of(text)
    assert [q.speaker for q in facts.quotes] == ["Maria Olsen"]
    assert facts.entity("Twitter") is None or facts.entity("Twitter").type == "organization"


def test_a_chant_reported_in_a_tweet_is_not_said_by_the_tweeter():
    text = (
        "Fans chanted outside the stadium on Sunday. "
        "‘Sack the board, sack the board,’ according to a tweet by Kevin Marsh. The club did not comment."
    )
    (q,) = facts_of(text).quotes
    assert q.speaker != "Kevin Marsh"
    assert q.speaker_description == "a tweet by Kevin Marsh"


def test_a_speaker_named_in_the_next_sentence_does_not_take_the_quote_before_it():
    text = (
        "Sam Patel spoke for ten minutes in court. ‘I regret everything I did that night.’ "
        "The judge told him the sentence would be decided in May."
    )
    (q,) = facts_of(text).quotes
    assert q.speaker != "judge" and q.cue != "told"


def test_she_said_after_a_photo_caption_is_never_a_place_in_the_caption():
    text = (
        "Laura Finch opened her bakery in 2010. Crowds queue outside the shop in Colorado Springs (pictured). "
        "‘We sell out every morning,’ she said."
    )
    facts = facts_of(text)
    assert [q.speaker for q in facts.quotes] == ["Laura Finch"]
    assert facts.entity("Colorado Springs").type == "place"


def test_an_unnamed_speaker_is_reported_as_unnamed_with_their_description():
    text = "The storm hit the town at night. ‘The water came up to the windows,’ a resident said. Jon Hale runs the shelter."
    (q,) = facts_of(text).quotes
    assert (q.speaker_id, q.speaker_description) == (None, "a resident")
    assert q.speaker != "Jon Hale"


# --- entity types -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["South Carolina", "United States", "Colorado Springs"])
def test_states_countries_and_cities_are_places_not_people(name):
    text = (
        f"Officials in {name} said the plan would go ahead. Jen Ruiz, a teacher, disagreed. "
        f"{name} said it would pay for the new bridge."
    )
    facts = facts_of(text)
    assert facts.entity(name).type == "place"
    assert facts.entity("Jen Ruiz").type == "person"


def test_a_platform_is_an_organisation():
    text = "Twitter said it had removed the posts. Twitter later apologised to Omar Reid."
    facts = facts_of(text)
    assert facts.entity("Twitter").type == "organization"


# --- casualty counts --------------------------------------------------------------------------------


def _counts(facts):
    return [(role, c.value, c.approximate) for e in facts.casualties for role, c in (("killed", e.killed), ("wounded", e.wounded)) if c]


def test_the_father_of_three_is_not_a_toll():
    facts = facts_of("The father of three allegedly killed his neighbour after a row over a fence, police said.")
    assert _counts(facts) == []


def test_a_toll_restated_in_a_caption_is_one_event():
    text = (
        "Four people were killed when a bridge collapsed in the city on Monday. "
        "Rescuers searched the river. Four people were killed in the collapse (pictured). "
        "Officials said 12 were injured."
    )
    assert _counts(facts_of(text)) == [("killed", 4, False), ("wounded", 12, False)]


def test_an_approximate_toll_keeps_its_number_beside_a_smaller_one():
    text = "Some 3,862 people are known to have died in the epidemic, and 12 nurses were killed last month."
    assert sorted(_counts(facts_of(text))) == [("killed", 12, False), ("killed", 3862, True)]


def test_a_speaker_known_only_by_a_handle_is_that_handle():
    text = "The video drew replies. ‘This is the worst advert of the year,’ wrote Twitter user @dan_k_77. Others agreed."
    (q,) = facts_of(text).quotes
    assert q.speaker == "@dan_k_77"


# --- second round (issue 12): speakers past captions and titles, unnamed subjects, given names, parts of tolls


def test_he_said_goes_to_the_subject_named_after_the_last_quotes_own_attribution():
    text = (
        "‘The van was swerving across the lane,’ prosecutor Ann Bell said. ‘It nearly hit a bus,’ Ms Bell added. "
        "Tom Reed spoke to a radio station last week. He said he was 'deeply sorry' for the crash."
    )
    quotes = facts_of(text).quotes
    assert [q.speaker for q in quotes] == ["Ann Bell", "Ann Bell", "Tom Reed"]


def test_she_said_never_goes_to_a_man_known_by_his_given_name():
    text = "Lena Moss was interviewed by Rob Hart for the magazine. ‘I will not stop singing,’ she told him."
    (q,) = facts_of(text).quotes
    assert q.speaker == "Lena Moss"


def test_a_title_given_earlier_names_the_speaker_and_a_son_called_by_first_name_is_not_mr():
    text = (
        "Health Minister Carl Dunn said his son Ben Dunn had been threatened. Ben, 24, works in music. "
        "‘This man tried to ruin my son,’ the Minister said. Later Mr Dunn added: ‘We went to the police.’"
    )
    quotes = facts_of(text).quotes
    assert [q.speaker for q in quotes] == ["Carl Dunn", "Carl Dunn"]


def test_his_statement_speaks_for_him():
    text = (
        "Joe Marsh was named manager on Friday. His reign began with a training session, explaining: "
        "‘We have a lot of work to do before Saturday.’"
    )
    (q,) = facts_of(text).quotes
    assert q.speaker == "Joe Marsh"


def test_the_subject_of_the_sentence_leading_into_a_quote_is_an_unnamed_speaker_with_a_description():
    text = (
        "The hotel opened in May. Hilarious online reviews praise the view. "
        "One reviewer gave the hotel five stars, saying: ‘Best week of my life, even the rain was nice.’"
    )
    (q,) = facts_of(text).quotes
    assert q.speaker_id is None and q.speaker_description == "One reviewer"


def test_a_subordinate_clause_leading_into_a_quote_gives_no_speaker():
    text = (
        "‘The driver could not stand up,’ prosecutor Ann Bell said. "
        "When the officers stopped and spoke to Reed, ‘his speech was slurred’, Ms Bell added."
    )
    speakers = [q.speaker for q in facts_of(text).quotes]
    assert speakers == ["Ann Bell", "Ann Bell"]


def test_a_quote_paragraph_after_a_photo_caption_goes_on_with_the_last_speaker():
    text = (
        "‘We trained hard all week and the players are ready,’ Joe Marsh said. "
        "Marsh (right) during his spell as Hull manager, where he was in charge from 2010. "
        "Hull won the cup in 2012 (pictured) with Marsh in the dugout. "
        "‘Nobody gave us a chance last year and we proved them wrong, so we can do it again.’"
    )
    quotes = facts_of(text).quotes
    assert [q.speaker for q in quotes] == ["Joe Marsh", "Joe Marsh"]


def test_a_name_glued_to_the_dateline_is_still_an_entity():
    facts = facts_of("(CNN)If Mara Quinn is asked to leave, she will go. Quinn said so on Monday.")
    assert facts.entity("Mara Quinn") is not None


def test_a_club_named_with_town_or_united_is_an_organisation_in_a_sports_story():
    text = (
        "Luton Town beat Leeds United 2-0 in the league on Saturday. The striker scored both goals and the "
        "manager praised the squad. Luton Town are third in the league after the match."
    )
    facts = facts_of(text)
    assert facts.entity("Luton Town").type == "organization"


def test_a_given_name_in_front_makes_a_person_and_tells_the_sex():
    from newsbrief.facts.gazetteer import given_name_sex

    assert [given_name_sex(w) for w in ("Lucas", "Paulina", "Kmart", "lucas")] == ["m", "f", None, None]


def test_hashtags_and_handles_are_not_people():
    facts = facts_of("The campaign #MyChoice went viral. Critics led by @KateMoss77 mocked it. Ann Bell defended it.")
    names = {e.name for e in facts.entities if e.type == "person"}
    assert "MyChoice" not in names and not any(n.startswith("@") for n in names)


def test_the_parts_of_a_toll_are_counts_of_the_same_kind():
    text = "Relatives of 16 people killed in the school shooting -- four adults and 12 children -- have sued the maker."
    assert sorted(_counts(facts_of(text))) == [("killed", 4, False), ("killed", 12, False), ("killed", 16, False)]


def test_the_same_number_of_other_victims_is_another_toll():
    text = (
        "A bomb hit a market in the south, killing three civilians, a police officer said. "
        "Another bomb hit a patrol in the north, killing three soldiers, he added."
    )
    assert _counts(facts_of(text)) == [("killed", 3, False), ("killed", 3, False)]

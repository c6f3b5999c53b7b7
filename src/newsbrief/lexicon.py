"""Word lists in one place: speech verbs, titles, weekdays and months.

Where modules need different lists on purpose, each is a named subset here, so that a word added for one
use is a visible choice for the others. Lists that become regular expressions keep their order: in an
alternation the first word that matches wins. All words are lowercase; patterns match them case-blind.
"""

from __future__ import annotations

from collections.abc import Iterable

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# Abbreviations with their month's number; "may" has none.
MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                       "oct": 10, "nov": 11, "dec": 12}
MONTH_NUMBERS = {month: n for n, month in enumerate(MONTHS, 1)} | MONTH_ABBREVIATIONS

# Every verb that attributes a quote ("..., he said"; "she told reporters"), for the quote finder.
SPEECH_VERBS = (
    "said says say told tells tell added adds asked asks explained explains wrote writes warned warns "
    "noted notes stated states declared declares insisted insists continued continues recalled recalls "
    "tweeted tweets claimed claims replied replies acknowledged acknowledges argued argues admitted "
    "admits confirmed confirms announced announces remarked testified posted agreed agrees complained "
    "complains urged urges joked jokes conceded concedes predicted predicts cautioned threatened "
    "threatens vowed vows pledged promised promises suggested suggests observed shouted yelled "
    "whispered cried shouted screamed yelled exclaimed responded responds answered answers reported reports described "
    "describes wrote stressed stresses emphasized emphasised maintained maintains recounted "
    "explained pleaded boasted mused laughed sighed began begins concluded concludes repeated "
    "reiterated assured assures informed messaged texted shared echoed countered quipped railed "
    "snapped demanded demands advised advises estimated estimates believes believed thinks thought "
    "called calls"
).split()
# Phrases that attribute as the verbs do ("was quoted as saying", "told reporters").
SPEECH_PHRASES = (r"(?:is|was)\s+quoted\s+as\s+saying", r"told\s+\w+", r"tells\s+\w+")
# The verbs after a name that make it a speaker ("Benotman said"), for telling people from organisations.
SPEECH_VERBS_AFTER_NAME = (
    "said says told tells added adds explained wrote writes warned insisted noted stated argued claimed "
    "asked replied recalled tweeted declared acknowledged admitted confirmed announced"
).split()
# The verbs of an attribution that compression may cut (", police said"): the common ones, and the
# reporting verbs ("revealed", "reported") that rarely carry the news themselves.
ATTRIBUTION_VERBS = (
    "said says told tells added adds explained revealed claimed claims reported reports insisted insists "
    "admitted admits warned warns announced confirmed believes stated"
).split()
# The plainest attributions: a name or an appositive right before them is a speaker.
SAID = ("said", "says", "told")
# A sentence that ends in one of these is an attribution (a feature of the highlights models).
SAID_AT_END = (*SAID, "added", "according to")

# Titles and descriptions that stand before a person's name ("Prime Minister David Cameron"), for roles.
TITLES_BEFORE_NAME = frozenset(
    """president prime minister secretary senator sen. rep. gov. governor mayor chief director leader
    envoy spokesman spokeswoman general gen. col. colonel capt. captain lt. sgt. officer judge justice
    dr. professor prof. pope king queen prince princess sheikh ayatollah chairman chairwoman ceo
    commander coach manager attorney ambassador chancellor president-elect vice deputy foreign
    defense defence interior finance state head founder""".split()
)
# Title words inside a speaker's phrase ("a spokesman for the mayor", "Mr. Smith"), forms of address included.
TITLE_WORDS = frozenset(
    """president prime minister secretary senator sen. rep. gov. governor mayor chief director envoy
    spokesman spokeswoman general gen. col. colonel capt. captain lt. sgt. sergeant det. detective officer
    judge justice dr. doctor professor prof. pope king queen prince princess sheikh cardinal bishop
    archbishop father rev. chairman chairwoman ceo commander coach manager ambassador chancellor deputy
    maj. major cpl. corporal pvt. private insp. inspector supt. superintendent mr. mrs. ms. sir dame lord
    lady""".split()
)


def alternation(words: Iterable[str]) -> str:
    """`(?:a|b|c)` of words (or pattern fragments), in their order."""
    return "(?:" + "|".join(words) + ")"

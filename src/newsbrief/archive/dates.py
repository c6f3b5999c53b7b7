"""Dates as the archive filters and buckets them: ISO days (YYYY-MM-DD) as text, the same on both databases."""

from __future__ import annotations

import datetime as dt
import re

from newsbrief.errors import InputError

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def story_day(value: object) -> str | None:
    """A story's date as YYYY-MM-DD from what pages and datasets give ("2014-11-03T10:00:00Z",
    "2014-11-03"); None when there is none or it is not a date."""
    if not isinstance(value, str):
        return None
    match = _DAY.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def event_day(value: str | None, story_date: str | None) -> str | None:
    """The day an event is filed under: its own normalised date (a month or a year counts from its first
    day, an ISO week from its Monday), else the story's date. A date without a year ("XXXX-11", from a
    brief made without the article date) takes the story's year, or the year before when it falls after
    the story's date, as docs/schema.md resolves them."""
    if value and value.startswith("XXXX-") and story_date:
        year = int(story_date[:4])
        value = f"{year}{value[4:]}"
        if value[:7] > story_date[:7]:
            value = f"{year - 1}{value[4:]}"
    if value:
        if day := story_day(value):
            return day
        if m := _MONTH.match(value):
            return f"{m[1]}-{m[2]}-01"
        if m := _YEAR.match(value):
            return f"{m[1]}-01-01"
        if m := _WEEK.match(value):
            try:
                return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1).isoformat()
            except ValueError:
                pass
    return story_date


def parse_day(value: str | None, name: str) -> str | None:
    """A date filter given by a user: YYYY-MM-DD (or YYYY-MM, YYYY: their first day)."""
    if value is None or value == "":
        return None
    day = story_day(value) or (event_day(value, None) if _MONTH.match(value) or _YEAR.match(value) else None)
    if day is None:
        raise InputError(f"{name}: {value!r} is not a date (use YYYY-MM-DD)")
    return day


def parse_day_end(value: str | None, name: str) -> str | None:
    """The last day a `to` filter covers: "2014-11" → "2014-11-31" compares as the month's end."""
    day = parse_day(value, name)
    if day is None:
        return None
    if _MONTH.match(value or ""):
        return day[:8] + "31"
    if _YEAR.match(value or ""):
        return day[:5] + "12-31"
    return day

"""The days an article tells of, and how far apart two articles' days are.

Two articles about one happening are written within days of it; two invitations four months
apart are two stories even when their words are alike. An article's days are its publication
day and the calendar days its text names (TimeML values such as ``2018-07-19``, or
``XXXX-03-20`` when the text does not fix the year). Two articles are as far apart as their
*closest* pair of days: a background date in one never splits them while another date agrees,
and an article with no days at all is never kept apart on time.

Days named in a text are weak evidence on their own: on Clust-McMs dev (no publication dates),
15 of the 64 same-event pairs that both name a day name none within 14 days of each other
(one names the trial, the other the crime). So days are *firm* evidence (they keep two articles
apart) only when at least one of them is dated by its publication, which says when the
happening is news; otherwise they are soft evidence the clusterer weighs (see ``cluster.py``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# A day whose year is known is its proleptic ordinal; one whose year is unknown is (month, day).
Day = int | tuple[int, int]

_DAY_VALUE = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})")
# A leap year, so that an unknown-year February 29 exists.
_ANY_YEAR = 2000
_YEAR_DAYS = 366


def parse_day(value: str | None) -> Day | None:
    """A TimeML value's day, when it names one (``2018-07-19T10:00`` counts; ``2018-07`` does not)."""
    match = _DAY_VALUE.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    try:
        if year == "XXXX":
            date(_ANY_YEAR, int(month), int(day))
            return (int(month), int(day))
        return date(int(year), int(month), int(day)).toordinal()
    except ValueError:
        return None


@dataclass(frozen=True)
class Days:
    """The days an article (or a story, its members' together) tells of, and whether any is a
    publication day."""

    days: frozenset[Day] = frozenset()
    published: bool = False

    def __or__(self, other: Days) -> Days:
        return Days(self.days | other.days, self.published or other.published)


NO_DAYS = Days()


def article_days(published: date | None, values: Iterable[str | None]) -> Days:
    """The distinct days an article tells of: its publication day and the day values in its text."""
    days: set[Day] = {published.toordinal()} if published else set()
    days.update(day for day in map(parse_day, values) if day is not None)
    return Days(frozenset(days), published is not None)


def _apart(a: Day, b: Day) -> int:
    if isinstance(a, int) and isinstance(b, int):
        return abs(a - b)
    if isinstance(a, int):
        a, b = b, a
    # a has no year: compare it with b's month and day, around the year boundary either way.
    month, day = a  # type: ignore[misc]
    if isinstance(b, int):
        known = date.fromordinal(b)
        candidates = [_safe_ordinal(year, month, day) for year in (known.year - 1, known.year, known.year + 1)]
        return min(abs(c - b) for c in candidates)
    first = date(_ANY_YEAR, month, day).toordinal()
    second = date(_ANY_YEAR, *b).toordinal()
    distance = abs(first - second)
    return min(distance, _YEAR_DAYS - distance)


def _safe_ordinal(year: int, month: int, day: int) -> int:
    """February 29 of a common year falls on February 28."""
    try:
        return date(year, month, day).toordinal()
    except ValueError:
        return date(year, month, day - 1).toordinal()


def days_apart(first: Days, second: Days) -> int:
    """Days between the closest pair of the two articles' days; 0 (no evidence of time apart)
    when either has none."""
    if not (first.days and second.days):
        return 0
    return min(_apart(a, b) for a in first.days for b in second.days)


def years_apart_days(first: Days, second: Days) -> int | None:
    """Days between the closest pair of days whose year is known; None when either has none.

    A storyline spans months: whether two articles fall within one needs years, and a day
    without one ("March 20") would match that day of every year.
    """
    known = [d for d in first.days if isinstance(d, int)]
    others = [d for d in second.days if isinstance(d, int)]
    if not known or not others:
        return None
    return min(abs(a - b) for a in known for b in others)


def firm(first: Days, second: Days) -> bool:
    """Whether the distance between two articles' days is firm evidence: one is dated by its
    publication."""
    return first.published or second.published

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


def article_days(published: date | None, values: Iterable[str | None]) -> Days:
    """The distinct days an article tells of: its publication day and the day values in its text."""
    days: set[Day] = {published.toordinal()} if published else set()
    days.update(day for day in map(parse_day, values) if day is not None)
    return Days(frozenset(days), published is not None)


def _apart(a: Day, b: Day) -> int:
    if isinstance(a, int) and isinstance(b, int):
        return abs(a - b)
    if isinstance(a, int):
        return _apart(b, a)
    # a has no year: compare it with b's month and day, around the year boundary either way.
    month, day = a
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


class GroupDays:
    """The days of a growing group of articles (a story, a storyline), kept up in place: adding an
    article costs its own days, not the group's."""

    def __init__(self) -> None:
        self.days: set[Day] = set()
        self.published = False
        # The span of the days whose year is known (ordinals), which places a storyline in time.
        self.first: int | None = None
        self.last: int | None = None

    def add(self, days: Days) -> None:
        self.days.update(days.days)
        self.published = self.published or days.published
        for day in days.days:
            if isinstance(day, int):
                self.first = day if self.first is None else min(self.first, day)
                self.last = day if self.last is None else max(self.last, day)

    def absorb(self, other: GroupDays) -> None:
        self.add(other.as_days())

    def as_days(self) -> Days:
        return Days(frozenset(self.days), self.published)

    def years_apart(self, days: Days) -> int | None:
        """Days between the article's closest known-year day and the group's known-year span;
        None when either has no such day.

        A storyline spans months: whether an article falls within one needs years, and a day
        without one ("March 20") would match that day of every year.
        """
        known = [d for d in days.days if isinstance(d, int)]
        if not known or self.first is None or self.last is None:
            return None
        return min(max(0, self.first - d, d - self.last) for d in known)


def firm(first: Days, second: Days) -> bool:
    """Whether the distance between two articles' days is firm evidence: one is dated by its
    publication."""
    return first.published or second.published

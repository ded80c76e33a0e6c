"""TimeML values (``2018-07-19``, ``2018-07``, ``2018-W29``, ``2018-FA``, ``XXXX-03-20``) read
for comparison and shown at their own granularity: a month stays a month, a season a season,
and a year the text does not give stays unknown rather than being guessed.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_VALUE = re.compile(
    r"^(?P<year>\d{4}|XXXX)"
    r"(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|W(?P<week>\d{2})|(?P<season>SP|SU|FA|WI)|Q(?P<quarter>[1-4])))?$"
)
_SEASON_MONTHS = {"SP": (3, 4, 5), "SU": (6, 7, 8), "FA": (9, 10, 11), "WI": (12, 1, 2)}
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "fall", "WI": "winter"}


@dataclass(frozen=True)
class TimeValue:
    """The parts of a calendar TimeML value; ``None`` where the value leaves a part open."""

    raw: str
    year: int | None
    month: int | None = None
    day: int | None = None
    week: int | None = None
    season: str | None = None
    quarter: int | None = None

    @property
    def granularity(self) -> str:
        if self.day:
            return "day"
        if self.month:
            return "month"
        if self.week:
            return "week"
        if self.season:
            return "season"
        if self.quarter:
            return "quarter"
        return "year"

    def months(self) -> tuple[int, ...]:
        """The months this value can fall in (all twelve when it fixes none)."""
        if self.month:
            return (self.month,)
        if self.season:
            return _SEASON_MONTHS[self.season]
        if self.quarter:
            return tuple(range(3 * self.quarter - 2, 3 * self.quarter + 1))
        if self.week and self.year:
            first = date.fromisocalendar(self.year, self.week, 1)
            last = date.fromisocalendar(self.year, self.week, 7)
            return tuple(sorted({first.month, last.month}))
        return tuple(range(1, 13))

    def sort_key(self, assumed_year: int | None = None) -> tuple[int, int, int]:
        """Earliest possible (year, month, day); an unknown year sorts as ``assumed_year``."""
        year = self.year or assumed_year or 0
        if self.week and self.year:
            first = date.fromisocalendar(self.year, self.week, 1)
            return (first.year, first.month, first.day)
        return (year, self.months()[0] if (self.month or self.season or self.quarter) else 1, self.day or 1)


def parse_value(value: str | None) -> TimeValue | None:
    """A calendar value's parts; None for durations, ``PRESENT_REF``, times of day, or nothing."""
    if not value:
        return None
    match = _VALUE.match(value[:10] if len(value) > 10 and value[10] == "T" else value)
    if not match:
        return None
    parts = match.groupdict()
    return TimeValue(
        raw=value,
        year=None if parts["year"] == "XXXX" else int(parts["year"]),
        month=int(parts["month"]) if parts["month"] else None,
        day=int(parts["day"]) if parts["day"] else None,
        week=int(parts["week"]) if parts["week"] else None,
        season=parts["season"],
        quarter=int(parts["quarter"]) if parts["quarter"] else None,
    )


def compatible(a: TimeValue, b: TimeValue) -> bool:
    """Whether two values can name the same time: every part both fix agrees (a day in the
    fall is compatible with ``2018-FA``; ``XXXX-03-20`` with ``2018-03-20``)."""
    if a.year and b.year and a.year != b.year:
        return False
    if not set(a.months()) & set(b.months()):
        return False
    if a.day and b.day and a.day != b.day:
        return False
    for week, other in ((a, b), (b, a)):
        if week.week and week.year and other.day and other.month and other.year:
            if date(other.year, other.month, other.day).isocalendar()[:2] != (week.year, week.week):
                return False
    return True


def later_than(value: TimeValue, day: date) -> bool:
    """Whether ``value`` certainly falls after ``day`` (its earliest possible day is later)."""
    if value.year is None:
        return False
    return value.sort_key() > (day.year, day.month, day.day)


def show_value(value: str | None) -> str:
    """A value in words at its own granularity: "20 March, year unknown", "fall 2018"."""
    parsed = parse_value(value)
    if parsed is None:
        return value or "date unknown"
    year = str(parsed.year) if parsed.year else "year unknown"
    if parsed.day and parsed.month:
        return f"{parsed.day} {calendar.month_name[parsed.month]} {year}" if parsed.year else f"{parsed.day} {calendar.month_name[parsed.month]}, {year}"
    if parsed.month:
        return f"{calendar.month_name[parsed.month]} {year}" if parsed.year else f"{calendar.month_name[parsed.month]}, {year}"
    if parsed.week:
        return f"week {parsed.week} of {year}"
    if parsed.season:
        return f"{_SEASON_NAMES[parsed.season]} {year}" if parsed.year else f"{_SEASON_NAMES[parsed.season]}, {year}"
    if parsed.quarter:
        return f"Q{parsed.quarter} {year}"
    return year

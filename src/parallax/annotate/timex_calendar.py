"""Calendar arithmetic that writes TimeML values at a given granularity.

The tagger decides *which* period an expression means (an offset in some unit from the
document date); these helpers only turn "the document date moved by n units" into the TimeML
string for that unit ("2018-W29", "2018-Q3", "199", "2018-FA"), so granularity is never lost
by going through a full date.
"""
from __future__ import annotations

import datetime

# how much farther a date ahead of the DCT counts than one behind it when no tense decides
# (1.5 and 2 give the same TimeBank tune figures; 3 loses dates a few months ahead)
AHEAD_WEIGHT = 2
SEASONS = ("SP", "SU", "FA", "WI")  # in order within a year; winter is the one starting in December


def add_months(day: datetime.date, months: int) -> tuple[int, int]:
    """(year, month) of ``day``'s month moved by ``months``."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def season_position(day: datetime.date) -> tuple[int, int]:
    """(year, index into SEASONS) of a date's meteorological season.

    Winter belongs to the year of its December, so 15 January 2019 is in 2018's winter.
    """
    if day.month <= 2:
        return day.year - 1, SEASONS.index("WI")
    return day.year, (day.month - 3) // 3


def relative_season(season: str, offset: int, dct: datetime.date) -> str:
    """ "last fall" / "this fall" / "next fall": the nearest such season before, at or after now."""
    now = season_position(dct)
    year = now[0]
    wanted = SEASONS.index(season)
    if offset < 0 and (year, wanted) >= now:
        year -= 1
    elif offset > 0 and (year, wanted) <= now:
        year += 1
    return f"{year:04d}-{season}"


def shift(dct: datetime.date, unit: str, offset: int) -> str:
    """TimeML value of the period of kind ``unit`` lying ``offset`` such periods from ``dct``.

    ``unit`` is a TimeML unit code: D, W, WE (the weekend of a week), M, Q, H (half year),
    Y, DE (decade), CE (century).
    """
    if unit == "D":
        return (dct + datetime.timedelta(days=offset)).isoformat()
    if unit in ("W", "WE"):
        year, week, _ = (dct + datetime.timedelta(weeks=offset)).isocalendar()
        return f"{year}-W{week:02d}" + ("-WE" if unit == "WE" else "")
    if unit == "M":
        year, month = add_months(dct, offset)
        return f"{year:04d}-{month:02d}"
    if unit == "Q":
        year, month = add_months(dct, 3 * offset)
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if unit == "H":
        year, month = add_months(dct, 6 * offset)
        return f"{year:04d}-H{(month - 1) // 6 + 1}"
    if unit == "Y":
        return f"{dct.year + offset:04d}"
    if unit == "DE":
        return f"{dct.year // 10 + offset:03d}"
    if unit == "CE":
        return f"{dct.year // 100 + offset:02d}"
    raise ValueError(f"unknown TimeML unit {unit!r}")


def pick_year(month: int, day: int | None, dct: datetime.date, direction: int) -> int:
    """The year of a month (and day) given without one, read against the document date.

    ``direction`` -1 takes the latest occurrence on or before the DCT (news past), +1 the
    earliest on or after it (plans), 0 the nearest, where a date ahead counts ``AHEAD_WEIGHT``
    times its distance and a tie goes to the past: news reports the past, so "in March" written in
    November is last March (8 months back against 4 ahead, twice 4), while "payable Jan. 2" and
    "record date Nov. 9" stay ahead.
    Month-only comparisons use month steps.
    """
    def distance(year: int) -> int:
        if day is None:
            return (year * 12 + month) - (dct.year * 12 + dct.month)
        try:
            return (datetime.date(year, month, day) - dct).days
        except ValueError:  # 29 February in a common year
            return (datetime.date(year, month, 28) - dct).days
    candidates = [dct.year - 1, dct.year, dct.year + 1]
    if direction < 0:
        return max(y for y in candidates if distance(y) <= 0)
    if direction > 0:
        return min(y for y in candidates if distance(y) >= 0)
    return min(candidates, key=lambda y: (distance(y) * AHEAD_WEIGHT if distance(y) > 0 else -distance(y), y))


def weekday_date(weekday: int, dct: datetime.date, direction: int) -> datetime.date:
    """The date of ISO ``weekday`` (1 = Monday) near the DCT.

    direction -1: on or before the DCT; +1: on or after; -2 / +2: strictly before / after
    ("last Monday", "next Monday"); 0: in the DCT's own ISO week ("this Monday").
    """
    delta = weekday - dct.isoweekday()
    if direction == 0:
        return dct + datetime.timedelta(days=delta)
    if direction < 0:
        back = (-delta) % 7
        if direction == -2 and back == 0:
            back = 7
        return dct - datetime.timedelta(days=back)
    ahead = delta % 7
    if direction == 2 and ahead == 0:
        ahead = 7
    return dct + datetime.timedelta(days=ahead)

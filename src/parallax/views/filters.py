"""One filter vocabulary for the CLI and the API: outlet, country, kind, language, entity,
storyline, PLOVER type and a date range (``since``/``until``), on search and on the stories list.

Dates are what an analyst types: ``2025-03-01``, ``2025-03`` (the month: its first day as a
start, its last as an end), ``7d`` or ``2w`` (that many days or weeks before today), ``today``,
``yesterday``. Anything else is one numbered error (E901), never a traceback. Country and kind
describe outlets as the curated registry knows them (``resources/outlets.json``), so they are
turned into the store's outlet names here, before the store is asked. Every value is sanitised
as a search query is (``clean.encoding.sanitize``): a NUL or a lone surrogate a user typed must
not reach the store, where PostgreSQL refuses the one and UTF-8 cannot carry the other.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date, timedelta

from parallax.errors import Errors, ParallaxError
from parallax.model import SearchFilters
from parallax.store import Store

# Names of the filters, the same for CLI options (--NAME) and API query parameters (NAME=).
FILTER_HELP: dict[str, str] = {
    "outlet": "the outlet's name as stored, e.g. 'Voice of America'",
    "country": "the outlet's country, two letters (ISO 3166-1), e.g. US",
    "kind": "the outlet's kind: wire agency, state media, public broadcaster or commercial",
    "language": "the article's language, two letters (ISO 639-1), e.g. en",
    "entity": "articles mentioning this entity (its name, any case)",
    "storyline": "articles of this storyline (its id)",
    "plover": "articles with an event of this PLOVER type, e.g. CONSULT",
    "since": "published on or after: YYYY-MM-DD, YYYY-MM, 7d, 2w, today, yesterday",
    "until": "published on or before: YYYY-MM-DD, YYYY-MM, 7d, 2w, today, yesterday",
}

_RELATIVE = re.compile(r"(\d{1,5})\s*([dw])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_day(value: str, *, end: bool = False, today: date | None = None) -> date:
    """The day ``value`` names; a month is its first day, or its last when ``end``."""
    text = value.strip().lower()
    today = today or date.today()
    if text in ("today", "yesterday"):
        return today - timedelta(days=1 if text == "yesterday" else 0)
    if relative := _RELATIVE.fullmatch(text):
        n = int(relative.group(1))
        return today - timedelta(days=n * (7 if relative.group(2) == "w" else 1))
    try:
        if month := _MONTH.fullmatch(text):
            year, number = int(month.group(1)), int(month.group(2))
            return date(year, number, calendar.monthrange(year, number)[1] if end else 1)
        return date.fromisoformat(text)
    except ValueError:
        raise ParallaxError(Errors.E901, value=repr(value)) from None


_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smh]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600}
# The shortest polling interval accepted: a feed polled faster than this is hammered.
MIN_INTERVAL_SECONDS = 10


def parse_interval(value: str) -> float:
    """Seconds in "90", "90s", "15m" or "1h" (E906 for anything else or under the minimum)."""
    found = _INTERVAL.fullmatch(value.strip().lower())
    seconds = float(found.group(1)) * _UNIT_SECONDS[found.group(2)] if found else 0.0
    if seconds < MIN_INTERVAL_SECONDS:
        raise ParallaxError(Errors.E906, value=repr(value), least=MIN_INTERVAL_SECONDS)
    return seconds


def make_filters(*, outlet: str | None = None, country: str | None = None, kind: str | None = None,
                 language: str | None = None, entity: str | None = None, storyline: int | None = None,
                 plover: str | None = None, since: str | None = None, until: str | None = None) -> SearchFilters:
    """Filters from what a user typed (an empty value is no filter, as an HTML form sends it)."""
    # Imported here, not above: the CLI imports this module to list the filter options, and
    # ``parallax --help`` needs neither the sanitiser nor the outlet registry (tests/test_flow.py).
    from parallax.clean.encoding import sanitize
    from parallax.clean.outlets import outlet_kinds

    outlet, country, kind, language, entity, plover, since, until = (
        sanitize(value) if value else None for value in (outlet, country, kind, language, entity, plover, since, until))
    if kind:
        known = outlet_kinds()
        kind = kind.strip().lower().replace("_", " ").replace("-", " ")
        if kind not in known:
            raise ParallaxError(Errors.E902, value=repr(kind), known=", ".join(known))
    if country:
        country = country.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise ParallaxError(Errors.E903, value=repr(country))
    return SearchFilters(
        entity=entity or None, outlet=outlet or None, plover=plover.strip().upper() if plover else None,
        since=parse_day(since) if since else None, until=parse_day(until, end=True) if until else None,
        country=country or None, kind=kind or None, language=language.strip().lower() if language else None,
        storyline=storyline,
    )


def resolve(store: Store, filters: SearchFilters) -> SearchFilters:
    """The filters with ``outlets`` set to the store's outlets that ``country`` and ``kind`` admit."""
    if not filters.country and not filters.kind:
        return filters
    from parallax.clean.outlets import outlet_profile  # as in make_filters

    admitted = []
    for name in store.facet_values()["outlets"]:
        profile = outlet_profile(name)
        if profile and (not filters.country or profile.country == filters.country) \
                and (not filters.kind or profile.kind == filters.kind):
            admitted.append(name)
    return replace(filters, outlets=tuple(admitted))

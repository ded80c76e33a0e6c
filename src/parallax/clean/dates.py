"""Publication dates from the evidence the container gives: records, feeds, HTTP headers, URLs.

The cleaners find dates inside pages and texts; this module reads the dates that come with
a document (a JSONL ``published`` field, a feed item's date, an HTTP Last-Modified header) or
sit in its URL, each at the granularity its evidence supports.
"""
from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from parallax.model import PublicationDate

if TYPE_CHECKING:
    from htmldate.utils import Extractor

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_date_value(value: str, source: str) -> PublicationDate | None:
    """Read an ISO 8601 or RFC 2822 date string, keeping only the precision it has."""
    value = value.strip()
    if not value:
        return None
    if m := _YEAR_MONTH.match(value):
        return PublicationDate(f"{m[1]}-{m[2]}", "month", source)
    if _YEAR.match(value):
        return PublicationDate(value, "year", source)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if len(value) <= 10:  # a bare date: no time of day was given
        return PublicationDate(parsed.date().isoformat(), "day", source)
    return PublicationDate(parsed.isoformat(), "datetime", source)


@lru_cache(maxsize=1)
def _url_options() -> Extractor:
    from htmldate.utils import Extractor  # htmldate loads numpy and lxml: only once a URL is read

    # Dates outside this window in a URL are more likely IDs than dates.
    return Extractor(False, datetime(2100, 1, 1), datetime(1990, 1, 1), False, "%Y-%m-%d")


def date_from_url(url: str | None) -> PublicationDate | None:
    """The day a news URL encodes (``/2018/07/19/``), via htmldate's URL rules."""
    if not url:
        return None
    from htmldate.extractors import extract_url_date

    found = extract_url_date(url, _url_options())
    return PublicationDate(found, "day", "url") if found else None

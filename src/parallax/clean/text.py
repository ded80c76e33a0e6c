"""Plain text → Article: headline, body without furniture, and a date only when the header fixes one.

A text dump has no metadata, so everything comes from the lines themselves:
- the title is the heading-shaped line above the first paragraph that shares most words with
  the body (menus and teasers above an article rarely do);
- the published date is read only from the article's own header (the lines between the title
  and the first paragraph, e.g. "July 19, 2018 / 3:02 PM" or "Published 12 March 2019") and from
  a dateline opening the first paragraph. Dates anywhere else, and above all in furniture
  blocks ("Related Articles" teasers dated 2026), say nothing about this article, so they are
  never used; when the header has no date the answer is None, not a guess.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from parallax.clean.furniture import (
    FURNITURE_KINDS,
    LineKind,
    drop_lines,
    is_known_furniture,
    label_lines,
    wrapped_paragraphs,
)
from parallax.model import Article, PublicationDate
from parallax.settings import Options

_HEADING_END = (".", ",", ";", ":")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _DateRules:
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # (regex, which groups mean what)
    month_year: re.Pattern[str]
    time: re.Pattern[str]
    cue: re.Pattern[str]
    months: dict[str, int]
    header_lines: int
    dateline_chars: int
    date_time_gap_chars: int


@lru_cache(maxsize=1)
def _date_rules() -> _DateRules:
    folder = resources.files("parallax").joinpath("resources")
    dates = json.loads(folder.joinpath("furniture_dates.json").read_text("utf-8"))
    limits = json.loads(folder.joinpath("furniture.json").read_text("utf-8"))["thresholds"]
    months: dict[str, int] = dates["month_names"]
    month = "(?P<month>" + "|".join(sorted(map(re.escape, months), key=len, reverse=True)) + r")\.?"
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    patterns = (
        (re.compile(rf"\b{year}-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"), "ymd"),
        (re.compile(rf"\b(?P<day>[0-3]?\d)\.\s?(?P<mon>[01]?\d)\.\s?{year}\b"), "dmy"),
        (re.compile(rf"\b{month}\s+{day},?\s+{year}\b", re.IGNORECASE), "named"),
        (re.compile(rf"\b{day}\s+(?:de\s+)?{month},?\s+(?:de\s+)?{year}\b", re.IGNORECASE), "named"),
        (re.compile(rf"\b(?P<a>[0-3]?\d)[/-](?P<b>[0-3]?\d)[/-]{year}\b"), "ambiguous"),
    )
    cues = "|".join(map(re.escape, sorted(dates["header_date_cues"], key=len, reverse=True)))
    return _DateRules(
        patterns=patterns,
        month_year=re.compile(rf"\b{month}\s+{year}\b", re.IGNORECASE),
        time=re.compile(r"\b(?P<h>[0-2]?\d)[:.](?P<m>[0-5]\d)\s*(?P<ampm>[ap]\.?m\.?)?(?!\d)", re.IGNORECASE),
        cue=re.compile(rf"\b(?:{cues})\b", re.IGNORECASE),
        months=months,
        header_lines=limits["title_max_lines_before_body"],
        dateline_chars=dates["thresholds"]["dateline_chars"],
        date_time_gap_chars=dates["thresholds"]["date_time_gap_chars"],
    )


def _valid_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_in(match: re.Match[str], kind: str, rules: _DateRules) -> date | None:
    year = int(match["year"])
    if kind in ("ymd", "dmy"):
        return _valid_day(year, int(match["mon"]), int(match["day"]))
    if kind == "named":
        return _valid_day(year, rules.months[match["month"].lower()], int(match["day"]))
    first, second = int(match["a"]), int(match["b"])
    if first > 12 >= second:  # only one reading is a date: day-month-year
        return _valid_day(year, second, first)
    if second > 12 >= first:
        return _valid_day(year, first, second)
    return None  # 08-01-2026: August 1st or 8 January? The text does not say.


def find_date(line: str) -> PublicationDate | None:
    """The first calendar date a line states, at the granularity it states it (source "text").

    A time right after the date makes it a (local, zone-less) datetime; a bare "March 2019"
    counts only next to a cue such as "Published", since a month and year alone is as often a
    mention in a teaser as a date stamp.
    """
    rules = _date_rules()
    found = [(m.start(), m, kind) for pattern, kind in rules.patterns for m in pattern.finditer(line)]
    for _, match, kind in sorted(found, key=lambda item: item[0]):
        day = _day_in(match, kind, rules)
        if day is None:
            continue
        clock = rules.time.search(line, match.end())
        if clock and clock.start() - match.end() <= rules.date_time_gap_chars:
            hour, minute = int(clock["h"]), int(clock["m"])
            if clock["ampm"]:
                hour = hour % 12 + (12 if clock["ampm"].lower().startswith("p") else 0)
            if hour < 24:
                value = f"{day.isoformat()}T{hour:02d}:{minute:02d}:00"
                return PublicationDate(value=value, granularity="datetime", source="text")
        return PublicationDate(value=day.isoformat(), granularity="day", source="text")
    month_year = rules.month_year.search(line)
    if month_year and rules.cue.search(line):
        month = rules.months[month_year["month"].lower()]
        return PublicationDate(value=f"{month_year['year']}-{month:02d}", granularity="month", source="text")
    return None


@dataclass(frozen=True)
class _TitleRules:
    max_words: int
    min_words: int
    search_lines: int
    min_word_chars: int
    min_overlap: float


@lru_cache(maxsize=1)
def _title_rules() -> _TitleRules:
    folder = resources.files("parallax").joinpath("resources")
    data = json.loads(folder.joinpath("furniture.json").read_text("utf-8"))
    limits, title = data["thresholds"], data["title"]
    return _TitleRules(
        max_words=limits["title_max_words"],
        min_words=limits["title_min_words"],
        search_lines=title["search_lines"],
        min_word_chars=title["min_word_chars"],
        min_overlap=title["min_overlap"],
    )


def _content_words(text: str, min_chars: int) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if len(word) >= min_chars}


def _pick_title(lines: list[str], kinds: list[LineKind], first_prose: int) -> int | None:
    """The headline: the heading-shaped line above the first paragraph that shares most words
    with the body (the count first, so a two-word section label that happens to recur in the
    body does not beat a headline; then the share).

    A full page dump puts menus, section names and teasers above an article; what sets the
    headline apart is that it talks about what the body talks about. Ties go to the line nearer
    the body. Lines inside furniture blocks, known furniture ("Share this") and sentences are
    never headlines.
    """
    rules = _title_rules()
    body_words = _content_words(
        " ".join(line for line, kind in zip(lines[first_prose:], kinds[first_prose:]) if kind == LineKind.BODY),
        rules.min_word_chars,
    )
    best, best_score = None, (0, 0.0)
    candidates = [i for i in range(first_prose) if kinds[i] not in (LineKind.BLANK, LineKind.BLOCK)]
    for index in candidates[-rules.search_lines :]:
        line = lines[index].strip()
        words = line.split()
        if not rules.min_words <= len(words) <= rules.max_words or line.endswith(_HEADING_END):
            continue
        if is_known_furniture(line):
            continue
        own = _content_words(line, rules.min_word_chars)
        shared = len(own & body_words)
        if not own or shared / len(own) < rules.min_overlap:
            continue
        score = (shared, shared / len(own))
        if score >= best_score:
            best, best_score = index, score
    if best is None and candidates and kinds[candidates[-1]] == LineKind.BODY:
        # A heading the classifier kept right above the text is the headline even when it words
        # things differently from the body ("Sanction of Albanian PM" over "sanctioning Albania's").
        last = lines[candidates[-1]].strip()
        if rules.min_words <= len(last.split()) <= rules.max_words and not last.endswith(_HEADING_END):
            best = candidates[-1]
    return best


def _first_prose(lines: list[str], kinds: list[LineKind]) -> int | None:
    """The first body line that is not heading-shaped: where the article's text starts."""
    rules = _title_rules()
    for index, kind in enumerate(kinds):
        if kind != LineKind.BODY:
            continue
        line = lines[index].strip()
        if len(line.split()) > rules.max_words or line.endswith(_HEADING_END):
            return index
    return None


def _header_date(lines: list[str], kinds: list[LineKind], title: int | None, first_body: int | None) -> PublicationDate | None:
    """A date from the article's header region or the dateline of its first paragraph.

    The region is the lines between the title (or the top) and the first paragraph, at most
    ``title_max_lines_before_body`` non-blank lines back from that paragraph, and never a line
    inside a furniture block.
    """
    rules = _date_rules()
    if first_body is None:
        return None
    start = title + 1 if title is not None else 0
    region = [i for i in range(start, first_body) if kinds[i] != LineKind.BLANK and kinds[i] != LineKind.BLOCK]
    region = region[-rules.header_lines :]
    for index in region:
        found = find_date(lines[index])
        if found:
            return found
    return find_date(lines[first_body][: rules.dateline_chars])


def clean_text(text: str, options: Options) -> Article:
    """An Article from a plain-text dump: furniture removed (kept for audit), title found.

    As SPEC.md has it, ``text`` is the input minus its furniture lines: the headline is not
    furniture, so it stays in the text (and is also given as ``title``).

    ``options`` is accepted for the common cleaner signature; plain-text cleaning reads its
    thresholds from ``resources/furniture.json``. ``language`` is left to the caller.
    """
    lines = text.splitlines()
    line_kinds = label_lines(lines)
    # Title and dates are judged on logical lines: a hard-wrapped paragraph is one unit.
    groups = wrapped_paragraphs(lines)
    logical = [" ".join(lines[i].strip() for i in group) for group in groups]
    kinds = [line_kinds[group[0]] for group in groups]
    first_prose = _first_prose(logical, kinds)
    title = _pick_title(logical, kinds, first_prose) if first_prose is not None else None
    title_lines = set(groups[title]) if title is not None else set()
    remove = [kind in FURNITURE_KINDS and i not in title_lines for i, kind in enumerate(line_kinds)]
    furniture = [
        line for i, (line, kind) in enumerate(zip(lines, line_kinds)) if kind in FURNITURE_KINDS and i not in title_lines
    ]
    return Article(
        text=drop_lines(lines, remove),
        title=logical[title] if title is not None else None,
        published=_header_date(logical, kinds, title, first_prose),
        furniture=furniture,
        extractor="text",
    )

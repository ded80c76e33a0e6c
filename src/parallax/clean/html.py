"""HTML news page → :class:`~parallax.model.Article`.

trafilatura finds the main text (reader comments left out, tables kept); what it leaves on
news pages is furniture lines news sites share: "Related articles" headings with their teaser
headlines, "Read more: …", photo credits, share and newsletter prompts. One line pass drops
those (patterns in ``resources/html_furniture.json``); every removed line is kept in
``Article.furniture`` so a reader can audit what was thrown away.

Each rule was measured on the tune halves of both page dev sets (extraction-dev and the
fundus news pages, ``benchmarks/extraction.py --ablate``) and kept only if it helped on both:
the pruning of furniture elements by class and id names before extraction (captions, related
blocks, share bars, prompts) helped on neither in sum (fundus text F1 0.912 with it, 0.945
without; extraction-dev 0.932 / 0.933) and is gone, as is the byline line pattern (no effect on
either: bylines are read from the page's metadata, ``clean/bylines.py``), and the fallback to
trafilatura's baseline extractor when the main extraction found too little (it never ran on
the 608 tune pages: trafilatura's own fallbacks already cover those layouts). A first line that
is the headline leaves the text (the title holds it; it helped on both tune halves). Titles, bylines and the
publication date come from ``clean/headlines.py``, ``clean/bylines.py`` and htmldate.
"""
from __future__ import annotations

import json
import re
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import trafilatura
from htmldate import find_date
from htmldate.core import examine_header, json_search
from htmldate.utils import Extractor as DateRules
from htmldate.validators import get_max_date, get_min_date
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from parallax.clean.bylines import host_names, page_authors
from parallax.clean.dates import date_from_url
from parallax.clean.headlines import page_headline
from parallax.errors import Errors, InputError
from parallax.model import Article, PublicationDate
from parallax.settings import Options

# a line that ends like a sentence is prose, not a teaser headline
_SENTENCE_END = re.compile(r"[.!?…][\"”»’')]?$")
# "Read more: Some headline" is a teaser itself, not the heading of a block
_TEXT_AFTER_COLON = re.compile(r":\s*\S")
# typographic and straight quotes: a headline line and the declared headline may differ in them
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


@dataclass(frozen=True)
class FurniturePatterns:
    """The named line patterns of ``resources/html_furniture.json``, compiled.

    Kept apart from the code so that a pattern can be added (or ablated by the benchmark)
    without touching the cleaner.
    """

    lines: dict[str, re.Pattern[str]]
    max_line_chars: int
    teaser_max_chars: int

    @classmethod
    def from_json(cls, data: dict) -> FurniturePatterns:
        """Compile the patterns of ``data`` (the resource file, or a variant of it to ablate)."""
        return cls(
            lines={name: re.compile(rx, re.I) for name, rx in data["lines"].items()},
            max_line_chars=int(data["max_line_chars"]),
            teaser_max_chars=int(data["teaser_max_chars"]),
        )


def load_patterns_data() -> dict:
    """The raw JSON of ``resources/html_furniture.json``."""
    text = resources.files("parallax").joinpath("resources/html_furniture.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def default_patterns() -> FurniturePatterns:
    """The shipped patterns, compiled once per process."""
    return FurniturePatterns.from_json(load_patterns_data())


def clean_html(
    body: bytes | str,
    url: str | None,
    options: Options,
    patterns: FurniturePatterns | None = None,
) -> Article:
    """Turn one HTML page into an Article, or raise ``InputError(E110)`` if it holds no article.

    ``body`` may be bytes in any encoding: trafilatura's loader reads the declared charset or
    detects one, so the page is decoded once, by the parser that uses it.
    """
    patterns = patterns or default_patterns()
    tree = load_html(body)
    if tree is None:
        raise InputError(Errors.E110)
    metadata = extract_metadata(deepcopy(tree), default_url=url, extensive=False)
    site_names = [metadata.sitename or "", *host_names(metadata.url or url)]
    published = publication_date(tree, metadata.url or url)
    # trafilatura settings measured best on the dev set (benchmarks/extraction.py): reader comments
    # are not the article, tables often are (election results, schedules).
    text = trafilatura.extract(deepcopy(tree), url=url, include_comments=False, include_tables=True,
                               include_formatting=False) or ""
    text, dropped_lines = _drop_furniture_lines(text, patterns)
    title = page_headline(tree, metadata.title, site_names)
    text = _without_headline_line(text, title)
    if len(text) < options.min_text_chars:
        raise InputError(Errors.E110)
    return Article(
        text=text,
        title=title,
        authors=page_authors(tree, metadata.author, site_names, metadata.url or url),
        url=metadata.url or url,
        outlet=metadata.sitename or None,
        published=published,
        furniture=dropped_lines,
        extractor="trafilatura",
    )


def _drop_furniture_lines(text: str, patterns: FurniturePatterns) -> tuple[str, list[str]]:
    """Split extracted text into kept lines and furniture lines.

    A line is furniture when it is short and matches a pattern. A "Related" heading also takes
    the teaser headlines under it: short lines that do not end a sentence, up to the first
    line of prose.
    """
    kept: list[str] = []
    dropped: list[str] = []
    under_heading = False
    for line in text.split("\n"):
        stripped = line.strip(" |\t\xa0")
        if under_heading and len(stripped) <= patterns.teaser_max_chars and not _SENTENCE_END.search(stripped):
            dropped.append(stripped)
            continue
        under_heading = False
        group = _furniture_group(stripped, patterns)
        if group is None:
            kept.append(line)
            continue
        dropped.append(stripped)
        under_heading = group == "related" and not _TEXT_AFTER_COLON.search(stripped)
    return "\n".join(kept).strip(), dropped


def _without_headline_line(text: str, title: str | None) -> str:
    """The text without a first line that is the headline: trafilatura keeps the ``<h1>`` on some
    pages and not on others, and the article's ``title`` holds it either way (so it is not
    furniture: nothing is lost). Measured on the tune halves of both page dev sets
    (``benchmarks/extraction.py``): text F1 fundus +0.0024, extraction-dev +0.0003."""
    first, _, rest = text.partition("\n")
    return rest.strip() if title and _line_key(first) == _line_key(title) else text


def _line_key(line: str) -> str:
    """A line as compared with the headline: whitespace and case folded, quotes of either style one."""
    return " ".join(line.translate(_QUOTES).split()).casefold()


def _furniture_group(line: str, patterns: FurniturePatterns) -> str | None:
    """The name of the line pattern group a short line matches, if any."""
    if len(line) > patterns.max_line_chars:
        return None
    return next((name for name, rx in patterns.lines.items() if rx.match(line)), None)


def publication_date(tree: HtmlElement, url: str | None) -> PublicationDate | None:
    """The page's own publication date at day granularity, or None when it is probably wrong.

    htmldate finds it (publication, not update, dates: ``original_date``; the URL, the
    publisher's meta tags and JSON-LD, then date elements and the text). Our own cascade around
    it (declared dates first, then a search of the pruned page) was no better on either dev set
    (benchmarks/extraction.py), so htmldate's answer is taken, but not when the publisher's
    own evidence contradicts it: a date in the meta tags, JSON-LD or URL that is another day
    means the page says two things, and an unknown date is better than a wrong one.

    No further refusal is made because none was found that removes more wrong dates than right
    ones (issue 12, tune halves): besides the single rules in ``BENCHMARKS.md``, a regularised
    logistic model over 13 evidence features (which declared sources, htmldate's fast mode, the
    first ``<time>`` element agree; a modified date that differs; a date from a generic
    ``date`` meta tag alone; how many dates the text holds) never rated a given date more
    probably wrong than right in site-grouped 5-fold CV.
    """
    found = find_date(deepcopy(tree), original_date=True, url=url or None)
    if not found:
        return None
    rules = _date_rules()
    from_url = date_from_url(url)
    evidence = (examine_header(tree, rules), json_search(tree, rules), from_url.value if from_url else None)
    if any(other and other[:10] != found[:10] for other in evidence):
        return None
    if from_url and from_url.value == found and not any(evidence[:2]):
        return from_url
    return PublicationDate(value=found, granularity="day", source="html")


@lru_cache(maxsize=1)
def _date_rules() -> DateRules:
    """htmldate's options for the declared-date search: publication (not update) dates, up to today."""
    return DateRules(False, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")

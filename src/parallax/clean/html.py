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
is the headline leaves the text (the title holds it; it helped on both tune halves). So do the lines
the plain-text furniture lexicon knows (``furniture.is_furniture_phrase``: cookie and login
prompts, "Follow X on Twitter …" paragraphs, bylines, block headers), whatever their length; its
bare dates and rows of figures stay (a table's). Each rule also counts the sites it helps and
hurts (``--ablate``): on both tune halves every one helps on more sites than it hurts. Titles, bylines and the
publication date come from ``clean/headlines.py``, ``clean/bylines.py`` and a vote of the page's
date sources, htmldate's answer one of them (``publication_date``).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import trafilatura
from htmldate import find_date
from htmldate.core import examine_header, json_search
from htmldate.extractors import try_date_expr
from htmldate.utils import Extractor as DateRules
from htmldate.validators import get_max_date, get_min_date
from lxml.html import HtmlElement
from trafilatura.metadata import Document, extract_metadata
from trafilatura.utils import load_html

from parallax.clean.bylines import host_names, jsonld_objects, page_authors
from parallax.clean.dates import date_from_url
from parallax.clean.furniture import is_block_header, is_furniture_phrase
from parallax.clean.headlines import page_headline
from parallax.errors import Errors, InputError
from parallax.model import Article, PublicationDate
from parallax.settings import Options

# a line that ends like a sentence is prose, not a teaser headline
_SENTENCE_END = re.compile(r"[.!?…][\"”»’')]?$")
# the line groups that head a block of teaser headlines: the "related" patterns and the furniture
# lexicon's block headers (as in plain text, where they open a block that runs until prose resumes;
# tune text F1 extraction-dev 0.9357 unchanged, fundus 0.9476 -> 0.9478, sites 3/0; validation
# 0.9349 -> 0.9355, 2/0, fundus 0.9454 unchanged, 1/0)
_HEADINGS = frozenset({"related", "lexicon heading"})
# "Read more: Some headline" is a teaser itself, not the heading of a block
_TEXT_AFTER_COLON = re.compile(r":\s*\S")
# typographic and straight quotes: a headline line and the declared headline may differ in them
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
# a text piece longer than this is prose that mentions a date, not a date line
_DATE_STRING_CHARS = 80
# how much text after the headline the date line may follow (the first date further down is the
# article's mention of a day as often as the page's date)
_DATE_LINE_CHARS = 1000
# elements that hold other articles (lists of related ones, teasers) or the site's own furniture
_OTHER_ITEMS = frozenset({"li", "aside", "nav", "footer"})
# elements whose text no reader sees
_NO_TEXT = frozenset({"script", "style", "noscript", "template"})
# meta tags that date a page without saying which of its days they mean: Dublin Core's "date" is
# "a point or period of time associated with an event in the lifecycle of the resource" (a print
# edition's day, the last change) and a bare "date" is no standard at all; "article:published_time",
# "DC.date.issued", "pubdate" and the like name the publication
_GENERIC_DATE_META = frozenset({"date", "dc.date", "dc:date", "dcterms.date"})
# the date sources that read machine-readable times (an instant in some zone), not a written day
_INSTANT_SOURCES = frozenset({"htmldate", "meta", "json-ld", "microdata", "time"})
# how many more sources than the JSON-LD ``datePublished`` another day needs to win against it
_JSON_LD_MARGIN = 2
# a label that says the date after it is the page's publication ("Published", "Erschienen am")
_PUBLISHED_LABEL = re.compile(
    r"\bpublished|veröffentlicht|erschienen|publié|publicado|pubblicato|gepubliceerd|opublikowano|publicerad|julkaistu",
    re.I)


# trafilatura's settings, measured on both page dev sets (``benchmarks/extraction.py --ablate``):
# reader comments are not the article (with them, tune text F1 extraction-dev 0.933 -> 0.928, fundus
# 0.947 -> 0.943), tables often are (election results, schedules; trafilatura's default)
EXTRACTION: dict[str, Any] = {"include_comments": False, "include_tables": True, "include_formatting": False}


@dataclass(frozen=True)
class FurniturePatterns:
    """The named line patterns of ``resources/html_furniture.json``, compiled.

    Kept apart from the code so that a pattern can be added (or ablated by the benchmark)
    without touching the cleaner.
    """

    lines: dict[str, re.Pattern[str]]
    max_line_chars: int
    teaser_max_chars: int
    lexicon: bool

    @classmethod
    def from_json(cls, data: dict) -> FurniturePatterns:
        """Compile the patterns of ``data`` (the resource file, or a variant of it to ablate)."""
        return cls(
            lines={name: re.compile(rx, re.I) for name, rx in data["lines"].items()},
            max_line_chars=int(data["max_line_chars"]),
            teaser_max_chars=int(data["teaser_max_chars"]),
            lexicon=bool(data["lexicon"]),
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
    metadata, site_names = _metadata(tree, url)
    published = publication_date(tree, metadata.url or url)
    title = page_headline(tree, metadata.title, site_names)
    text, dropped_lines = article_text(trafilatura.extract(deepcopy(tree), url=url, **EXTRACTION) or "", title, patterns)
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


def article_text(extracted: str, title: str | None, patterns: FurniturePatterns) -> tuple[str, list[str]]:
    """trafilatura's ``extracted`` text without its furniture lines (the second value) and
    without a first line that is the headline ``title``: every rule cleaning applies on top of
    trafilatura, in one place so that ``benchmarks/extraction.py --ablate`` can switch each off
    on one extraction of a page (a pattern group through ``patterns``, the headline line with
    ``title=None``) and count the sites each rule helps and hurts."""
    text, dropped_lines = _drop_furniture_lines(extracted, patterns)
    return _without_headline_line(text, title), dropped_lines


def html_headline(tree: HtmlElement, url: str | None) -> str | None:
    """The headline ``clean_html`` gives a page's tree (``article_text`` takes it as ``title``)."""
    metadata, site_names = _metadata(tree, url)
    return page_headline(tree, metadata.title, site_names)


def _metadata(tree: HtmlElement, url: str | None) -> tuple[Document, list[str]]:
    """trafilatura's metadata of a page, and the names of its outlet (its site name, its host's)."""
    metadata = extract_metadata(deepcopy(tree), default_url=url, extensive=False)
    return metadata, [metadata.sitename or "", *host_names(metadata.url or url)]


def html_authors(body: bytes | str, url: str | None) -> list[str]:
    """The bylines ``clean_html`` gives a page, without extracting its text: the authors-only
    pass of ``benchmarks/extraction.py`` (seconds instead of minutes while measuring a rule)."""
    tree = load_html(body)
    if tree is None:
        return []
    metadata, site_names = _metadata(tree, url)
    return page_authors(tree, metadata.author, site_names, metadata.url or url)


def html_published(body: bytes | str, url: str | None) -> PublicationDate | None:
    """The publication date ``clean_html`` gives a page, without extracting its text: the
    dates-only pass of ``benchmarks/extraction.py`` (a page too short to be an article, which
    ``clean_html`` refuses, is dated all the same)."""
    page = _dated_page(body, url)
    return publication_date(*page) if page else None


def html_date_sources(body: bytes | str, url: str | None) -> dict[str, str | None]:
    """The day each date source gives a page (``date_sources``): what a wrong or missing date
    rests on, for ``benchmarks/extraction.py --date-errors``."""
    page = _dated_page(body, url)
    return date_sources(*page) if page else {}


def _dated_page(body: bytes | str, url: str | None) -> tuple[HtmlElement, str | None] | None:
    """A page's tree and the address its dates are read with (its canonical one, else ``url``)."""
    tree = load_html(body)
    if tree is None:
        return None
    metadata, _ = _metadata(tree, url)
    return tree, metadata.url or url


def _drop_furniture_lines(text: str, patterns: FurniturePatterns) -> tuple[str, list[str]]:
    """Split extracted text into kept lines and furniture lines.

    A line is furniture when it is short and matches a pattern, or the furniture lexicon knows
    it. A "Related" heading, or a block header of the lexicon, also takes the teaser headlines
    under it: short lines that do not end a sentence, up to the first line of prose.
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
        under_heading = group in _HEADINGS and not _TEXT_AFTER_COLON.search(stripped)
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
    """The name of the line pattern group a short line matches, if any; else "lexicon" for a line
    of any length the plain-text furniture lexicon knows (``furniture.is_furniture_phrase``)."""
    if len(line) <= patterns.max_line_chars and (
            group := next((name for name, rx in patterns.lines.items() if rx.match(line)), None)):
        return group
    if not (patterns.lexicon and is_furniture_phrase(line)):
        return None
    return "lexicon heading" if is_block_header(line) else "lexicon"


def publication_date(tree: HtmlElement, url: str | None) -> PublicationDate | None:
    """The page's own publication date at day granularity, or None when it is probably wrong.

    Independent sources each give one day, and the day most of them give is the page's:
    htmldate's answer (publication, not update, dates: ``original_date``; its fast mode: the meta
    tags, JSON-LD and date elements, not its search of the whole text), the publisher's meta tags, its JSON-LD
    ``datePublished``, the URL, its microdata (``itemprop="datePublished"``), the first
    ``<time>`` element, the first date written after the headline and the first date the page
    labels as its publication ("Published", "Erschienen am"), the last four outside list items,
    asides, navigation and footers (related articles, teasers). Where two days tie,
    or the JSON-LD ``datePublished`` gives a day that wins by fewer than ``_JSON_LD_MARGIN`` other
    sources, the page says two things and
    an unknown date is better than a wrong one; so where the date line under the headline (its
    first ``<time>`` or text date) is the day the page declares as its update (meta tags or
    JSON-LD ``dateModified``), later than the day that won (a "modified" day before the
    publication is no update of it: tune extraction-dev 0.837 → 0.840 right, wrong 0.062 unchanged,
    fundus unchanged; validation unchanged, 0.831 / 0.075 and 0.972 / 0.014). htmldate reads the
    URL first, so where the URL gives a day htmldate's answer is that day again and does not vote a
    second time.

    Chosen on the tune halves against the rule before (htmldate's answer, refused where the
    meta tags, JSON-LD or URL gave another day; issue 12, ``benchmarks/extraction.py``):
    extraction-dev right / wrong 0.853 / 0.111 → 0.851 / 0.095, fundus 0.948 / 0.017 unchanged;
    validation 0.847 / 0.139 → 0.825 / 0.103 and 0.972 / 0.021 → 0.972 / 0.014 (fewer wrong
    dates for fewer right ones). The date line showing the update: tune extraction-dev 0.851 /
    0.095 → 0.845 / 0.084, fundus unchanged; validation 0.825 / 0.103 → 0.825 / 0.092, fundus
    0.972 / 0.014 → 0.958 / 0.014 (two right dates of pages that show their update). Where the day
    that wins has only the meta tags behind it (and htmldate, which read them) and only generic
    ``date`` / ``DC.date`` tags give it, nothing says it is the publication's: no date. Tune
    extraction-dev 0.845 / 0.084 → 0.837 / 0.071 (3 right dates for 5 wrong ones, among them print
    editions dated the day after), fundus unchanged; validation 0.825 / 0.092 → 0.819 / 0.083,
    fundus unchanged. The text date votes only within ``_DATE_LINE_CHARS`` of the headline: tune
    extraction-dev 0.837 / 0.071 → 0.842 / 0.073 (2 right for 1 wrong), fundus unchanged;
    validation 0.819 / 0.083 → 0.828 / 0.083, fundus 0.958 → 0.965 right. Where the JSON-LD
    ``datePublished`` and a generic date tag disagree, the tag (and htmldate, which read it) does not
    vote (a print edition's day after the JSON-LD's): tune fundus 0.948 → 0.966 right, wrong
    unchanged, extraction-dev unchanged; validation unchanged. Not kept: generic date tags never
    voting, tune extraction-dev 0.842 / 0.073 → 0.848 / 0.079 (2 right for 2 wrong). The labelled
    publication date: tune extraction-dev 0.842 / 0.073 → 0.845 / 0.071, fundus unchanged; validation
    unchanged (0.828 / 0.083, 0.972 / 0.014). Not kept: no date where only undeclared sources (htmldate's
    search, ``<time>``, text) give a day the page writes only after a last-change label ("last
    edited", "Letzte Änderung"): tune 0.842 / 0.073 → 0.842 / 0.065, but validation 0.828 → 0.825 right.
    JSON-LD outvoted by two sources or more, not by one (before, by any): tune extraction-dev 0.845 /
    0.071 → 0.853 / 0.071 (3 right dates, no wrong one), fundus unchanged; validation 0.828 / 0.083
    → 0.833 / 0.083, fundus unchanged (margin 3: tune 0.848 / 0.071). Tried on tune and not kept: weighting JSON-LD above the other
    sources, refusing where the URL or the meta tags lose the vote too (extraction-dev 0.842 /
    0.092, 0.837 / 0.092), votes from related blocks by class name as well (0.851 / 0.103).
    htmldate votes in its fast mode: its extensive search reads any date of the whole text, where
    our text source reads only the date line by the headline, and alone it was wrong on a third of
    the tune pages it decided (a wrong date is worse than none): tune extraction-dev 0.853 / 0.071
    → 0.837 / 0.062 (6 right for 3 wrong), fundus unchanged; validation 0.833 / 0.083 → 0.828 /
    0.075 (2 right for 3 wrong), fundus unchanged. The JSON-LD votes its article object's
    ``datePublished`` where htmldate's pattern read another object's first (an image's, a video's;
    ``_article_json_ld_date``), and htmldate's answer of that day does not vote: tune fundus 0.966 /
    0.017 → 0.974 / 0.009, extraction-dev unchanged; validation unchanged. Reading the article
    object's day wherever one is declared (also where htmldate's pattern finds none, an RFC 2822
    day) cost two right tune dates (a UTC time past midnight, a page dated by its update). Nor does
    a meta day vote against the JSON-LD's where every meta tag giving it holds, to the second, the
    JSON-LD article's ``dateModified`` (``_meta_dates_are_the_update``: a template that fills
    ``article:published_time`` with the last change's time, or gives only ``modified_time``): tune
    fundus 0.974 → 0.983 right, wrong unchanged, extraction-dev 0.837 / 0.062 unchanged (one right
    date gained, one lost to no date: a page labelled with the update it shows); validation
    extraction-dev 0.828 → 0.831 right, wrong 0.075 unchanged, fundus unchanged. A UTC instant the
    page also gives in its own zone votes for that zone's day (``_days_in_the_publishers_zone``):
    tune extraction-dev 0.840 / 0.062 → 0.842 / 0.060, fundus unchanged; validation unchanged.
    """
    sources = date_sources(tree, url)
    declared = sources["json-ld"]
    votes = Counter(day[:10] for day in sources.values() if day)
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    day = ranked[0][0]
    if declared and declared[:10] != day and votes[day] - votes[declared[:10]] < _JSON_LD_MARGIN:
        return None  # the JSON-LD says another day and the others do not clearly outnumber it
    modified = examine_header(tree, _date_rules(original=False)) or json_search(tree, _date_rules(original=False))
    if modified and modified[:10] > day and modified in (sources["time"], sources["text"]):
        return None  # the page shows the day it declares as its update: which day is meant is unclear
    if {name for name, found in sources.items() if found and found[:10] == day} <= {"meta", "htmldate"} and (
            _only_generic_meta_dates(tree, day)):
        return None  # a generic date tag alone (htmldate read the same tag) gives this day
    if sources["url"] == day and not (sources["meta"] or sources["json-ld"]):
        return PublicationDate(value=day, granularity="day", source="url")
    return PublicationDate(value=day, granularity="day", source="html")


def date_sources(tree: HtmlElement, url: str | None) -> dict[str, str | None]:
    """The day each of the page's date sources gives (``publication_date`` counts their votes),
    after the corrections that make each one the publication's: the JSON-LD article object's own
    day, a generic date tag or the update's time not voting against it, a UTC time moved to the
    publisher's zone."""
    rules = _date_rules()
    from_url = date_from_url(url)
    sources = {
        # htmldate reads the URL first: where it gives a day, htmldate's answer is that day again
        "htmldate": None if from_url else find_date(deepcopy(tree), original_date=True, extensive_search=False,
                                                    url=url or None),
        "meta": examine_header(tree, rules),
        "json-ld": json_search(tree, rules),
        "url": from_url.value if from_url else None,
        "microdata": _first_date(_microdata_dates(tree)),
        "time": _first_date(_time_element_dates(tree)),
        "text": _first_date(_texts_after_headline(tree)),
        "label": _first_date(_texts_after_published_label(tree)),
    }
    article_day = _article_json_ld_date(tree)
    if sources["json-ld"] and article_day and sources["json-ld"] != article_day:
        # htmldate's JSON pattern read the first "datePublished" of the script, another object's
        # (an image's, a video's); htmldate's answer, where it is that day, read the same
        sources["htmldate"] = None if sources["htmldate"] == sources["json-ld"] else sources["htmldate"]
        sources["json-ld"] = article_day
    meta, declared = sources["meta"], sources["json-ld"]
    if meta and declared and meta[:10] != declared[:10] and (
            _only_generic_meta_dates(tree, meta[:10]) or _meta_dates_are_the_update(tree, meta[:10])):
        # the JSON-LD names its day the publication's, a generic date tag or the update's time
        # (which htmldate read) does not
        sources["meta"] = None
        sources["htmldate"] = None if sources["htmldate"] == meta else sources["htmldate"]
    for utc_day, local_day in _days_in_the_publishers_zone(tree).items():
        # the sources that read a time of day (a URL's or a text's day is the publisher's already)
        sources = {name: local_day if name in _INSTANT_SOURCES and found and found[:10] == utc_day else found
                   for name, found in sources.items()}
    return sources


def _article_json_ld_date(tree: HtmlElement) -> str | None:
    """The ``datePublished`` of the page's first JSON-LD article object (NewsArticle, BlogPosting…),
    read by htmldate's parser: schema.org dates the article there, while the images, videos and
    other works nested in it carry their own ``datePublished``."""
    rules = _date_rules()
    for item, is_article in jsonld_objects(tree):
        value = item.get("datePublished")
        if is_article and isinstance(value, str) and len(value) <= _DATE_STRING_CHARS and (
                day := try_date_expr(value, rules.format, True, rules.min, rules.max)):
            return day
    return None


def _meta_dates(tree: HtmlElement, day: str) -> list[tuple[str, str]]:
    """The meta tags that give ``day``: each one's name (lower case) and content."""
    rules = _date_rules()
    return [
        ((element.get("name") or element.get("property") or element.get("itemprop") or "").lower(), content)
        for element in tree.iter("meta")
        if (content := element.get("content")) and len(content) <= _DATE_STRING_CHARS
        and try_date_expr(content, rules.format, True, rules.min, rules.max) == day
    ]


def _only_generic_meta_dates(tree: HtmlElement, day: str) -> bool:
    """Whether the meta tags that give ``day`` are all generic ``date`` tags (``_GENERIC_DATE_META``):
    a day only such a tag gives may be the print edition's or the last change's."""
    tags = _meta_dates(tree, day)
    return bool(tags) and all(key in _GENERIC_DATE_META for key, _ in tags)


def _meta_dates_are_the_update(tree: HtmlElement, day: str) -> bool:
    """Whether every meta tag that gives ``day`` holds, to the second, the instant the JSON-LD
    article object declares as its ``dateModified``: whatever the tag is named (a template fills
    ``article:published_time`` with the last change's time, or gives only ``modified_time``),
    that day is the update's."""
    updates = {instant for item, is_article in jsonld_objects(tree) if is_article
               and (instant := _instant(item.get("dateModified")))}
    tags = _meta_dates(tree, day)
    return bool(tags) and all(_instant(content) in updates for _, content in tags)


def _days_in_the_publishers_zone(tree: HtmlElement) -> dict[str, str]:
    """Each UTC day of an instant on the page (meta tags, ``<time>`` elements, the JSON-LD
    article's dates) that the page also gives in a zone of its own, to the second, mapped to that
    zone's day (where its instants so given all fall on one): a template writes its times in UTC
    and its date line in the publisher's zone ("2022-05-04T03:37:37+00:00" in the meta tags,
    "2022-05-03T23:37:37-04:00" by the headline), and the day it was published is the publisher's."""
    instants = [instant for value in (
        *(element.get("content") for element in tree.iter("meta")),
        *(element.get("datetime") for element in tree.iter("time")),
        *(item.get(key) for item, is_article in jsonld_objects(tree) if is_article for key in ("datePublished", "dateModified")),
    ) if (instant := _instant(value))]
    in_utc = [instant for instant in instants if instant.utcoffset() == timedelta(0)]
    elsewhere = {instant: instant.date().isoformat() for instant in instants if instant.utcoffset()}
    moved: dict[str, set[str]] = {}
    for instant in in_utc:
        if instant in elsewhere:
            moved.setdefault(instant.date().isoformat(), set()).add(elsewhere[instant])
    return {day: local for day, (local, *others) in moved.items() if not others and local != day}


def _instant(value: object) -> datetime | None:
    """An ISO 8601 date with its time of day as a point in time, else None (a bare day is no instant)."""
    if not isinstance(value, str) or len(value.strip()) <= len("2000-01-01"):
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _first_date(strings: Iterator[str]) -> str | None:
    """The first of ``strings`` that reads as a date (htmldate's parser, up to today)."""
    rules = _date_rules()
    for string in strings:
        if len(string) <= _DATE_STRING_CHARS and (day := try_date_expr(string, rules.format, True, rules.min, rules.max)):
            return day
    return None


def _microdata_dates(tree: HtmlElement) -> Iterator[str]:
    """The values of the page's ``itemprop="datePublished"`` / ``"dateCreated"`` elements, in order."""
    for element in tree.xpath('//*[@itemprop="datePublished" or @itemprop="dateCreated"]'):
        if not _in_other_items(element):
            yield (element.get("content") or element.get("datetime") or element.text_content()).strip()


def _time_element_dates(tree: HtmlElement) -> Iterator[str]:
    """The ``datetime`` (or else the text) of each ``<time>`` element, in order."""
    for element in tree.iter("time"):
        if not _in_other_items(element):
            yield (element.get("datetime") or element.text_content() or "").strip()


def _in_other_items(element: HtmlElement) -> bool:
    """Whether an element sits in a list item, aside, navigation or footer: a date there is
    another article's (a related-article list, a teaser) or the site's, not this page's."""
    return any(node.tag in _OTHER_ITEMS for node in (element, *element.iterancestors()))


def _texts_after_headline(tree: HtmlElement) -> Iterator[str]:
    """The page's text pieces holding a digit from the first ``<h1>`` on, up to ``_DATE_LINE_CHARS``
    characters of text after it (the whole page without one): the date line sits by the headline,
    and a date further down is one the article mentions (tune: the first date found there was the
    page's on 17 of 34 pages, against 287 of 307 nearer the headline)."""
    headline = tree.find(".//h1")
    reached = headline is None
    read = 0
    for element in tree.iter():
        reached = reached or element is headline
        if not reached or not isinstance(element.tag, str) or element.tag in _NO_TEXT or _in_other_items(element):
            continue
        for text in (element.text, element.tail):
            if headline is not None and read >= _DATE_LINE_CHARS:
                return
            if text and any(char.isdigit() for char in text):
                yield text.strip()
            read += len(text.strip()) if text else 0


def _texts_after_published_label(tree: HtmlElement) -> Iterator[str]:
    """The text after each ``_PUBLISHED_LABEL`` (or, where the label ends its text piece, the
    next piece: "Erschienen am" <span>01.11.2023</span>), outside lists, asides, navigation and
    footers: the page's own word for which of its dates is the publication's."""
    after_label = False
    for element in tree.iter():
        if not isinstance(element.tag, str) or _in_other_items(element):
            continue
        for text in (element.tail,) if element.tag in _NO_TEXT else (element.text, element.tail):
            if not text or not text.strip():
                continue
            text = text.strip()
            label = _PUBLISHED_LABEL.search(text)
            rest = text[label.end():] if label else ""
            if rest.strip(" :.-–"):
                yield rest[:_DATE_STRING_CHARS]
            if after_label:
                yield text
            after_label = bool(label) and not rest.strip(" :.-–")


@lru_cache(maxsize=2)
def _date_rules(original: bool = True) -> DateRules:
    """htmldate's options for the declared-date search: publication (or else update) dates, up to today."""
    return DateRules(False, get_max_date(None), get_min_date(None), original, "%Y-%m-%d")

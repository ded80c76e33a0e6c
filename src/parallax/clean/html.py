"""HTML news page → :class:`~parallax.model.Article`.

trafilatura finds the main text of almost any page; what it leaves on news pages is the
furniture news sites share: photo captions and credits, "Related articles" and "Read more"
blocks, share bars, newsletter and app prompts. This module runs a short cascade around it,
in the spirit of trafilatura's own ``trafilatura_sequence``:

1. ``pruned``: news furniture elements (matched by class/id/aria patterns from
   ``resources/html_furniture.json``) are cut from the page, then trafilatura extracts;
2. ``trafilatura``: if pruning left too little text (a site that names its article container
   "story-related" loses its article), trafilatura runs on the untouched page;
3. ``baseline``: trafilatura's baseline (every paragraph-like element) rescues pages whose
   layout defeats the extractor.

Whatever stage wins, its text goes through one line pass that drops furniture lines the DOM
did not mark ("Read more: …", "Photo: Reuters"). Every removed line is kept in
``Article.furniture`` so a reader can audit what was thrown away. The figures that chose each
setting come from ``benchmarks/extraction.py``; it also measures the plain-text furniture
classifier (``parallax.clean.furniture``) on top of this cascade (``--furniture``), which is not
applied here because it cost more recall than it gained precision (F1 0.931 → 0.910).
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

# trafilatura settings measured best on the dev set (benchmarks/extraction.py): reader comments
# are not the article, tables often are (election results, schedules).
_EXTRACT_SETTINGS = {"include_comments": False, "include_tables": True, "include_formatting": False}
# the attributes a site uses to name what an element is for; only class and id can also name
# it as content ("Share this article" is a fine aria-label for a share bar)
_NAMING_ATTRIBUTES = ("class", "id", "aria-label", "data-component")
_CONTENT_ATTRIBUTES = ("class", "id")
# a line that ends like a sentence is prose, not a teaser headline
_SENTENCE_END = re.compile(r"[.!?…][\"”»’')]?$")
# "Read more: Some headline" is a teaser itself, not the heading of a block
_TEXT_AFTER_COLON = re.compile(r":\s*\S")
# elements that start a new line when the text of a removed element is kept as furniture
_LINE_BREAKING_TAGS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "tr", "br", "button", "time"})


@dataclass(frozen=True)
class FurniturePatterns:
    """The named furniture patterns of ``resources/html_furniture.json``, compiled.

    Kept apart from the code so that a pattern can be added (or ablated by the benchmark)
    without touching the cascade.
    """

    tags: dict[str, tuple[str, ...]]
    elements: dict[str, re.Pattern[str]]
    container_tags: frozenset[str]
    protect: re.Pattern[str]
    max_text_share: float
    lines: dict[str, re.Pattern[str]]
    max_line_chars: int
    teaser_max_chars: int

    @classmethod
    def from_json(cls, data: dict) -> FurniturePatterns:
        """Compile the patterns of ``data`` (the resource file, or a variant of it to ablate)."""
        return cls(
            tags={name: tuple(tags) for name, tags in data["tags"].items()},
            elements={name: re.compile(rx, re.I) for name, rx in data["elements"].items()},
            container_tags=frozenset(data["container_tags"]),
            protect=re.compile(data["protect"], re.I),
            max_text_share=float(data["max_text_share"]),
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
    pruned = deepcopy(tree)
    removed = _prune_furniture_elements(pruned, patterns)
    published = publication_date(tree, metadata.url or url)
    text, extractor = _main_text(tree, pruned, url, options)
    if extractor != "pruned":
        removed = []
    text, dropped_lines = _drop_furniture_lines(text, patterns)
    if len(text) < options.min_text_chars:
        raise InputError(Errors.E110)
    return Article(
        text=text,
        title=page_headline(tree, metadata.title, site_names),
        authors=page_authors(tree, metadata.author, site_names),
        url=metadata.url or url,
        outlet=metadata.sitename or None,
        published=published,
        furniture=removed + dropped_lines,
        extractor=extractor,
    )


def _main_text(tree: HtmlElement, pruned: HtmlElement, url: str | None, options: Options) -> tuple[str, str]:
    """Run the cascade (it consumes both trees); return the text and the stage that gave it."""
    text = _extract(pruned, url)
    if len(text) >= options.min_text_chars:
        return text, "pruned"
    # the pruning may have taken the article itself: try the page as it came
    text = _extract(deepcopy(tree), url)
    if len(text) >= options.min_text_chars:
        return text, "trafilatura"
    _, text, _ = trafilatura.baseline(tree)
    return text.strip(), "baseline"


def _extract(tree: HtmlElement, url: str | None) -> str:
    """trafilatura's main text with our settings, "" when it finds none."""
    return trafilatura.extract(tree, url=url, **_EXTRACT_SETTINGS) or ""


def _prune_furniture_elements(tree: HtmlElement, patterns: FurniturePatterns) -> list[str]:
    """Remove furniture elements from ``tree`` in place; return their text lines.

    An element is furniture when its tag is listed, or it is a container whose naming
    attributes match a pattern. Guards keep the article: nothing holding the page's ``<h1>``
    or a large share of its text goes, nor an element also named as content (sites fold
    the article into "entry-content read-more" behind a button).
    """
    removed: list[str] = []
    page_chars = len(tree.text_content())
    doomed = [el for el in tree.iter() if isinstance(el.tag, str) and _is_furniture(el, patterns)]
    for element in doomed:
        if element.getparent() is None or not _attached(element, tree) or element.find(".//h1") is not None:
            continue
        if len(element.text_content()) > patterns.max_text_share * page_chars:
            continue
        removed.extend(_element_lines(element))
        element.drop_tree()
    return removed


def _is_furniture(element: HtmlElement, patterns: FurniturePatterns) -> bool:
    if any(element.tag in tags for tags in patterns.tags.values()):
        return True
    if element.tag not in patterns.container_tags:
        return False
    names = " ".join(element.get(attribute, "") for attribute in _NAMING_ATTRIBUTES)
    content_names = " ".join(element.get(attribute, "") for attribute in _CONTENT_ATTRIBUTES)
    return (
        bool(names.strip())
        and any(rx.search(names) for rx in patterns.elements.values())
        and not patterns.protect.search(content_names)
    )


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` is still in ``root`` (an ancestor may have been dropped already)."""
    for ancestor in element.iterancestors():
        if ancestor is root:
            return True
    return False


def _element_lines(element: HtmlElement) -> list[str]:
    """The text of an element one line per block (paragraph, list item, caption…)."""
    element = deepcopy(element)
    for node in element.iter():
        if node.tag in _LINE_BREAKING_TAGS:
            node.tail = "\n" + (node.tail or "")
            node.text = "\n" + (node.text or "")
    text = element.text_content()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


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

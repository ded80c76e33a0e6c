"""Cleaning: a RawDocument becomes an Article (main text, title, outlet, date, language).

Cleaners register by media type; :func:`clean` picks one, then fills in what the container
told us (hints) and what only the whole article settles (language, a date from the URL).
"""
from __future__ import annotations

from collections.abc import Callable

from parallax.clean.bylines import byline_names
from parallax.clean.dates import date_from_url, parse_date_value
from parallax.clean.encoding import decode_text
from parallax.clean.language import identify_language
from parallax.clean.outlets import outlet_from_furniture, outlet_from_url
from parallax.errors import Errors, InputError
from parallax.model import Article, PublicationDate, RawDocument
from parallax.settings import Options

Cleaner = Callable[[RawDocument, Options], Article]


# Each cleaner imports its stack (trafilatura, jusText) when it first runs: a job that reads only
# plain text, or only asks this module for its media types, does not pay for the HTML stack.
def _html(doc: RawDocument, options: Options) -> Article:
    from parallax.clean.html import clean_html

    # decoded here, not by trafilatura: its loader ignores the transport's and the page's charset
    return clean_html(decode_text(doc.body, doc.hints.get("charset")), doc.url, options)


def _text(doc: RawDocument, options: Options) -> Article:
    from parallax.clean.text import clean_text

    text = decode_text(doc.body)
    if len(text) > options.max_article_chars:  # told before its lines are parsed: it cannot pass
        raise InputError(Errors.E116, chars=len(text), limit=options.max_article_chars)
    return clean_text(text, options)


CLEANERS: dict[str, Cleaner] = {"text/html": _html, "text/plain": _text}

# Which hint is trusted for the publication date, best first, with the source name it gets.
# A record's or feed's own date beats what we infer from the page; an HTTP Last-Modified
# header is weaker evidence than the page itself.
_DATE_HINTS_BEFORE_PAGE = (("published", "given"),)
_DATE_HINTS_AFTER_PAGE = (("last_modified", "http"),)


def clean(doc: RawDocument, options: Options) -> Article:
    """Clean one document; raises InputError when it holds no usable article, or one over the
    per-input limits (``[input]`` in settings.cfg): more tags than ``max_html_tags`` (told
    before parsing) or text longer than ``max_article_chars``."""
    cleaner = CLEANERS.get(doc.media_type)
    if cleaner is None:
        raise InputError(Errors.E111, detail=doc.media_type)
    if doc.media_type == "text/html" and doc.body.count(b"<") > options.max_html_tags:
        raise InputError(Errors.E118, limit=options.max_html_tags)
    article = cleaner(doc, options)
    if len(article.text.strip()) < options.min_text_chars:
        raise InputError(Errors.E110)
    if len(article.text) > options.max_article_chars:
        raise InputError(Errors.E116, chars=len(article.text), limit=options.max_article_chars)
    hints = doc.hints
    article.origin = doc.origin
    article.url = article.url or hints.get("url") or doc.url
    article.title = hints.get("title") or article.title
    article.authors = byline_names(hints["authors"]) if hints.get("authors") else article.authors
    article.outlet = (
        hints.get("outlet") or article.outlet or outlet_from_url(article.url) or outlet_from_furniture(article.furniture)
    )
    article.published = (
        _date_hint(hints, _DATE_HINTS_BEFORE_PAGE)
        or article.published
        # a page's cleaner has read its URL already, and may have found it contradicted
        or (date_from_url(article.url) if doc.media_type != "text/html" else None)
        or _date_hint(hints, _DATE_HINTS_AFTER_PAGE)
    )
    article.language = hints.get("language") or identify_language(
        article.text, options.language_min_confidence, options.language_min_chars
    )
    return article


def _date_hint(hints: dict[str, str], order: tuple[tuple[str, str], ...]) -> PublicationDate | None:
    for key, source in order:
        if hints.get(key) and (found := parse_date_value(hints[key], source)):
            return found
    return None


__all__ = ["clean", "CLEANERS", "Cleaner"]

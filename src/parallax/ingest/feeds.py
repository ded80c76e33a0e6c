"""RSS and Atom feeds: each item's page, fetched, with what the feed says about it as hints.

A feed item is a pointer, not an article (most feeds carry a teaser), so each item's link is
fetched through the run's polite fetcher and yielded as a page. The feed knows things the page
may hide behind furniture: the item's title and date and the outlet's name travel as hints.
An item whose page cannot be fetched is one Skip; the other items go on. feedparser reads a
feed cut short without a word, up to the cut: its items are yielded, then one Skip says the
rest of the feed is lost.
"""
from __future__ import annotations

import calendar
import io
import time
from collections.abc import Iterator
from datetime import datetime, timezone

import feedparser

from parallax.budget import OverBudget, time_budget
from parallax.errors import Errors, InputError
from parallax.ingest.blob import Blob, Head
from parallax.ingest.documents import make_document, media_type_of
from parallax.ingest.http import PAGE_TYPES
from parallax.ingest.registry import ReadContext, Reader
from parallax.model import RawDocument, Skip

_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_FEED_ROOTS = ("<rss", "<feed", "<rdf:rdf")
_FEED_ENDS = ("</rss>", "</feed>", "</rdf:rdf>")
# Bytes at the end of a feed looked at for its closing tag.
_TAIL_BYTES = 64


def sniff_feed(head: Head) -> bool:
    """An RSS, Atom or RSS 1.0 root element after the XML prolog, or a server that says feed."""
    return head.content_type in _FEED_TYPES or _root_element(head.text).startswith(_FEED_ROOTS)


def _root_element(text: str) -> str:
    """``text`` from its first element tag on, past the XML declaration, comments and doctype."""
    rest = text
    while rest.startswith(("<?", "<!")):
        closing = "-->" if rest.startswith("<!--") else ">"
        cut = rest.find(closing)
        if cut < 0:
            return ""
        rest = rest[cut + len(closing) :].lstrip()
    return rest.lower()


def read_feed(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    body = blob.read_all(context.options.max_file_bytes)
    headers = {"content-location": blob.url} if blob.url else {}
    if blob.charset:  # feedparser weighs it against the XML declaration as RFC 7303 says
        headers["content-type"] = f"{blob.content_type or 'application/xml'}; charset={blob.charset}"
    try:
        with time_budget(context.options.document_seconds):  # 48 MB of items took feedparser 165 s
            feed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except OverBudget:
        raise InputError(Errors.E120, seconds=f"{context.options.document_seconds:g}") from None
    except ValueError as err:  # feedparser 6.0 fails on a non-UTF-8 byte in the declared encoding's name
        raise InputError(Errors.E109, detail=f"unreadable XML declaration: {err}") from err
    if not feed.entries:
        problem = feed.get("bozo_exception")
        raise InputError(Errors.E109, detail=str(problem).splitlines()[0] if problem else "no items")
    channel = feed.get("feed", {})
    for number, entry in enumerate(feed.entries, start=1):
        link = entry.get("link")
        if not link:
            yield Skip(f"{blob.origin}#item{number}", Errors.E109.format(detail=f"item {number} has no link"))
            continue
        if context.known_url is not None and context.known_url(link):
            continue  # a poller's next round: the store has this item, its page is not fetched again
        hints = {
            "title": entry.get("title", ""),
            "published": _iso_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            "outlet": channel.get("title", ""),
            "language": channel.get("language", ""),
            "url": link,
        }
        try:
            page = context.fetcher.fetch(link, accept=PAGE_TYPES)
            media_type = media_type_of(page.content_type, page.body)
            yield make_document(link, page.body, media_type, url=page.url, hints={**page.hints(), **hints}, charset=page.charset)
        except InputError as err:
            yield Skip(link, str(err))
    if feed.bozo and not _root_closed(body):
        yield Skip(blob.origin, Errors.E109.format(detail=f"cut short after item {len(feed.entries)}; the rest is lost"))


def _root_closed(body: bytes) -> bool:
    """Whether the feed ends with its root element's end tag (NULs dropped for UTF-16 feeds)."""
    tail = body[-_TAIL_BYTES:].replace(b"\x00", b"").decode("latin-1").strip().lower()
    return tail.endswith(_FEED_ENDS)


def _iso_date(parsed: time.struct_time | None) -> str:
    """feedparser's UTC struct_time as ISO 8601 (``2018-07-19T14:03:00+00:00``), or ""."""
    if parsed is None:
        return ""
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc).isoformat()


FEED_READER = Reader(name="feed", sniff=sniff_feed, read=read_feed)

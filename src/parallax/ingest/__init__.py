"""Ingest: every kind of news input → a stream of RawDocument, or Skip with a one-line reason.

``read_sources(["crawl.warc.gz", "feeds/", "https://example.org/rss", "-"], options)`` yields
one RawDocument per article found and one Skip per input (or part of one) that could not be
read; it never raises for bad input, so a run over thousands of inputs is not stopped by one.

Kinds are told apart by content, not by file name, through a registry of readers
(:mod:`parallax.ingest.registry`). The built-in ones below register the same way an outside
reader would, most specific first: a WARC or a feed is also markup or text, and plain text is
the last resort.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from parallax.ingest.blob import Blob, Head
from parallax.ingest.documents import HTML_READER, TEXT_READER
from parallax.ingest.feeds import FEED_READER
from parallax.ingest.jsonl import JSONL_READER
from parallax.ingest.registry import ReadContext, Reader, read_blob, register_reader, registered_readers
from parallax.ingest.sources import expand_source
from parallax.ingest.warc import WARC_READER
from parallax.model import RawDocument, Skip
from parallax.settings import Options

__all__ = ["Blob", "Head", "ReadContext", "Reader", "read_sources", "register_reader", "registered_readers"]

BUILTIN_READERS = (WARC_READER, FEED_READER, JSONL_READER, HTML_READER, TEXT_READER)

for _reader in BUILTIN_READERS:
    register_reader(_reader)


def read_sources(
    sources: Sequence[str], options: Options, *, stdin: BinaryIO | None = None, context: ReadContext | None = None
) -> Iterator[RawDocument | Skip]:
    """Every document the sources hold, in order, with a Skip for each unreadable input or part.

    A source is a file or directory path, an http(s) URL (a page or a feed, decided by the
    response), or "-" for ``stdin``. One polite HTTP client serves the whole run.
    """
    owned = context is None  # a caller's context (a poller's, kept across rounds) stays open
    context = context or ReadContext(options)
    try:
        for source in sources:
            for item in expand_source(source, context, stdin):
                if isinstance(item, Skip):
                    yield item
                else:
                    yield from read_blob(item, context)
    finally:
        if owned:
            context.close()

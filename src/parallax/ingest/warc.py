"""Web archives (WARC, plain or per-record gzipped): each archived 200 HTML or text page.

A crawl's WARC also holds requests, metadata, redirects, images and scripts; only response
records with status 200 and an HTML or text payload are articles, the rest are passed over
without a word (a crawl has thousands of them). A response record whose HTTP status line is
not one (warcio reads any first line as one) cannot be told from an article, so it is one
Skip E114 naming the record, and the archive goes on. The record's offset is kept in the
origin (``crawl.warc.gz@3345``) so the page can be found again in the archive.

warcio stops silently at a truncated archive, so the reader checks it itself: a record whose
block is shorter than its Content-Length, bytes left over after the last record, or a last
gzip member without its end (a cut in the 8-byte trailer leaves the record whole but loses
whatever followed), end the archive with one Skip E108 after the records before the break; so
does a record without the WARC-Type and Content-Length every record has (a "WARC/1.0" line
followed by junk).
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from parallax.errors import Errors, InputError
from parallax.ingest.blob import GZIP_MAGIC, Blob, Head
from parallax.ingest.documents import make_document, media_type_of
from parallax.ingest.http import PAGE_TYPES, split_content_type
from parallax.ingest.registry import ReadContext, Reader
from parallax.model import RawDocument, Skip

# warcio meets a damaged archive with any of these; AttributeError is its reaction to a gzip
# member cut inside the WARC header block (warcio 1.8.1).
_DAMAGE = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError)

# How far past the last record to look for leftovers; anything but blank means a cut record.
_TAIL_PROBE_BYTES = 64

# Read size when checking that the last gzip member is whole.
_MEMBER_CHUNK_BYTES = 1 << 16

# What an HTTP response starts with: "HTTP/1.1 200 OK" (RFC 9112), the reason phrase optional.
_HTTP_PROTOCOL = re.compile(r"HTTP/\d(\.\d)?", re.IGNORECASE)
_HTTP_STATUS = re.compile(r"\d{3}")

# The longest part of a broken status line quoted in a message.
_QUOTED_CHARS = 60


def sniff_warc(head: Head) -> bool:
    return head.data.startswith(b"WARC/")


def read_warc(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    """Every page of the archive and a Skip for each damaged part; one Skip E122 for an archive
    without a single page (only requests, images, redirects): it must not pass without a word."""
    said = False
    for item in _warc_items(blob, context.options.max_bytes):
        said = True
        yield item
    if not said:
        yield Skip(blob.origin, Errors.E122.format())


def _warc_items(blob: Blob, limit: int) -> Iterator[RawDocument | Skip]:
    start_of_last_record = end_of_last_record = 0
    with blob.open_raw() as raw:
        records = ArchiveIterator(raw)
        try:
            for record in records:
                if record.rec_type is None or record.length is None:
                    # WARC/1.x requires both (ISO 28500 §5); warcio takes any junk after a
                    # "WARC/" line for headers, so a record without them is the archive's end.
                    yield Skip(f"{blob.origin}@{end_of_last_record}",
                               Errors.E108.format(detail="a record without WARC-Type or Content-Length"))
                    return
                try:
                    page = _page_of(record, limit)  # read before the offset: asking for it reads to the end
                    problem = None
                except InputError as err:
                    page, problem = None, str(err)
                records.read_to_end(record)
                offset = records.get_record_offset()
                origin = f"{blob.origin}@{offset}"
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield Skip(origin, Errors.E108.format(detail="record cut short"))
                    return
                if problem is not None:
                    yield Skip(origin, problem)
                elif page is not None:
                    yield _document(origin, page, limit)
                start_of_last_record, end_of_last_record = offset, offset + records.get_record_length()
        except _DAMAGE as err:
            detail = f"unreadable record: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
            yield Skip(f"{blob.origin}@{end_of_last_record}", Errors.E108.format(detail=detail))
            return
    with blob.open_raw() as raw:
        raw.seek(end_of_last_record)
        cut = bool(raw.read(_TAIL_PROBE_BYTES).strip()) or not _gzip_member_ends(raw, start_of_last_record)
    if cut:
        yield Skip(f"{blob.origin}@{end_of_last_record}", Errors.E108.format(detail="truncated record at the end"))


def _gzip_member_ends(raw: BinaryIO, offset: int) -> bool:
    """False when the gzip member at ``offset`` stops before its end (True for a plain WARC)."""
    raw.seek(offset)
    if raw.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
        return True
    raw.seek(offset)
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    while not member.eof and (chunk := raw.read(_MEMBER_CHUNK_BYTES)):
        member.decompress(chunk, _MEMBER_CHUNK_BYTES)  # output dropped, bounded: only the end matters
        while member.unconsumed_tail and not member.eof:
            member.decompress(member.unconsumed_tail, _MEMBER_CHUNK_BYTES)
    return member.eof


@dataclass(frozen=True)
class _Page:
    body: bytes  # at most the page cap plus one byte, so an oversized page can be told
    content_type: str | None
    charset: str | None  # the archived Content-Type's charset label
    hints: dict[str, str]


def _page_of(record: ArcWarcRecord, limit: int) -> _Page | None:
    """The page in a 200 HTML or text response record, None for any other record.

    Raises InputError E114 for an HTTP response record without a readable status line.
    """
    if record.rec_type != "response":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    http = record.http_headers
    if not url.lower().startswith(("http:", "https:")):
        return None  # dns: and other non-HTTP captures carry no page
    if http is None or not _HTTP_PROTOCOL.fullmatch(http.protocol) or not _HTTP_STATUS.fullmatch(http.get_statuscode()):
        line = f"{http.protocol} {http.statusline}".strip() if http is not None else ""
        detail = f"status line {line[:_QUOTED_CHARS]!r}" if line else "no HTTP response in the record"
        record_id = record.rec_headers.get_header("WARC-Record-ID") or "without an id"
        raise InputError(Errors.E114, record=f"{record_id} ({url})", detail=detail)
    if http.get_statuscode() != "200":
        return None
    content_type, charset = split_content_type(http.get_header("Content-Type"))
    if content_type and content_type not in PAGE_TYPES:
        return None
    hints = {
        "url": url,
        "fetched": record.rec_headers.get_header("WARC-Date") or "",
        "last_modified": http.get_header("Last-Modified") or "",
    }
    return _Page(record.content_stream().read(limit + 1), content_type or None, charset, hints)


def _document(origin: str, page: _Page, limit: int) -> RawDocument | Skip:
    if len(page.body) > limit:
        return Skip(origin, Errors.E104.format(limit=limit))
    try:
        media_type = media_type_of(page.content_type, page.body)
        return make_document(origin, page.body, media_type, url=page.hints["url"] or None, hints=page.hints, charset=page.charset)
    except InputError as err:
        return Skip(origin, str(err))


WARC_READER = Reader(name="warc", sniff=sniff_warc, read=read_warc)

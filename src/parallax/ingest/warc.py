"""Web archives (WARC, plain or per-record gzipped): each archived 200 HTML or text page.

A crawl's WARC also holds requests, metadata, redirects, images and scripts; only response
records with status 200 and an HTML or text payload are articles, the rest are passed over
without a word (a crawl has thousands of them). The record's offset is kept in the origin
(``crawl.warc.gz@3345``) so the page can be found again in the archive.

warcio stops silently at a truncated archive, so the reader checks it itself: a record whose
block is shorter than its Content-Length, or bytes left over after the last record, end the
archive with one Skip E108 after the records before the break have been yielded.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from parallax.errors import Errors, InputError
from parallax.ingest.blob import Blob, Head
from parallax.ingest.documents import make_document, media_type_of
from parallax.ingest.http import PAGE_TYPES
from parallax.ingest.registry import ReadContext, Reader
from parallax.model import RawDocument, Skip

# warcio meets a damaged archive with any of these; AttributeError is its reaction to a gzip
# member cut inside the WARC header block (warcio 1.8.1).
_DAMAGE = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, AttributeError)

# How far past the last record to look for leftovers; anything but blank means a cut record.
_TAIL_PROBE_BYTES = 64


def sniff_warc(head: Head) -> bool:
    return head.data.startswith(b"WARC/")


def read_warc(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    limit = context.options.max_bytes
    end_of_last_record = 0
    with blob.open_raw() as raw:
        records = ArchiveIterator(raw)
        try:
            for record in records:
                page = _page_of(record, limit)  # read before the offset: asking for it reads to the end
                records.read_to_end(record)
                offset = records.get_record_offset()
                origin = f"{blob.origin}@{offset}"
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield Skip(origin, Errors.E108.format(detail="record cut short"))
                    return
                if page is not None:
                    yield _document(origin, page, limit)
                end_of_last_record = offset + records.get_record_length()
        except _DAMAGE as err:
            detail = f"unreadable record: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
            yield Skip(f"{blob.origin}@{end_of_last_record}", Errors.E108.format(detail=detail))
            return
    with blob.open_raw() as raw:
        raw.seek(end_of_last_record)
        leftover = raw.read(_TAIL_PROBE_BYTES)
    if leftover.strip():
        yield Skip(f"{blob.origin}@{end_of_last_record}", Errors.E108.format(detail="truncated record at the end"))


@dataclass(frozen=True)
class _Page:
    body: bytes  # at most the page cap plus one byte, so an oversized page can be told
    content_type: str | None
    hints: dict[str, str]


def _page_of(record: ArcWarcRecord, limit: int) -> _Page | None:
    """The page in a 200 HTML or text response record, None for any other record."""
    http = record.http_headers
    if record.rec_type != "response" or http is None or http.get_statuscode() != "200":
        return None
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type and content_type not in PAGE_TYPES:
        return None
    hints = {
        "url": record.rec_headers.get_header("WARC-Target-URI") or "",
        "fetched": record.rec_headers.get_header("WARC-Date") or "",
        "last_modified": http.get_header("Last-Modified") or "",
    }
    return _Page(record.content_stream().read(limit + 1), content_type or None, hints)


def _document(origin: str, page: _Page, limit: int) -> RawDocument | Skip:
    if len(page.body) > limit:
        return Skip(origin, Errors.E104.format(limit=limit))
    try:
        media_type = media_type_of(page.content_type, page.body)
        return make_document(origin, page.body, media_type, url=page.hints["url"] or None, hints=page.hints)
    except InputError as err:
        return Skip(origin, str(err))


WARC_READER = Reader(name="warc", sniff=sniff_warc, read=read_warc)

"""Single-document inputs: an HTML page or a plain-text article (either possibly gzipped).

Every reader that ends up with one page's bytes (a file, a fetched URL, a feed item, a WARC
record) builds its RawDocument through :func:`make_document`, so every page is checked the
same way: empty, binary and undecodable bodies become numbered skips here rather than
surprises in the cleaner.
"""
from __future__ import annotations

from collections.abc import Iterator

from parallax.clean.encoding import decode_text, looks_binary, sanitize
from parallax.errors import Errors, InputError
from parallax.ingest.blob import HEAD_BYTES, Blob, Head
from parallax.ingest.registry import ReadContext, Reader
from parallax.model import RawDocument, Skip

HTML = "text/html"
PLAIN = "text/plain"

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def make_document(
    origin: str,
    body: bytes,
    media_type: str,
    *,
    url: str | None = None,
    hints: dict[str, str] | None = None,
    charset: str | None = None,
) -> RawDocument:
    """A checked RawDocument; raises InputError E101/E102/E105 for a body that is not text.

    ``charset`` is the label the transport gave (HTTP or an archived HTTP header). Plain text
    is stored as UTF-8 so that later stages and content hashes never meet its original
    encoding again. HTML keeps its bytes (its ``<meta charset>`` must stay true to them) and
    the transport's label travels with it as the ``charset`` hint, which the cleaner decodes
    with: the page's own bytes do not say it. Text, metadata and origin are sanitised here
    (``clean.encoding.sanitize``), once for every reader.
    """
    text = decode_text(body, charset)
    if media_type == PLAIN:
        body = text.encode("utf-8")
    elif charset:
        hints = {**(hints or {}), "charset": charset}
    kept_hints = {key: sanitize(value) for key, value in (hints or {}).items() if value}
    return RawDocument(origin=sanitize(origin), media_type=media_type, body=body,
                       url=sanitize(url) if url else url, hints=kept_hints)


def media_type_of(content_type: str | None, body: bytes) -> str:
    """``text/html`` or ``text/plain`` for a page: the server's word, else the page's first bytes."""
    if content_type in _HTML_TYPES:
        return HTML
    if content_type == PLAIN:
        return PLAIN
    return HTML if Head.of(body[:HEAD_BYTES], "").text.startswith("<") else PLAIN


def sniff_html(head: Head) -> bool:
    """Text that starts with markup (feeds are sniffed before), or that its name or server calls HTML."""
    if looks_binary(head.data):
        return False
    return head.text.startswith("<") or head.content_type in _HTML_TYPES or head.has_suffix(*_HTML_SUFFIXES)


def sniff_text(head: Head) -> bool:
    """Anything that reads as text: the last resort, tried after every other reader."""
    return not looks_binary(head.data)


def read_html(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    body = blob.read_all(context.options.max_file_bytes)
    yield make_document(blob.origin, body, HTML, url=blob.url, hints=blob.hints, charset=blob.charset)


def read_text(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    body = blob.read_all(context.options.max_file_bytes)
    cap = context.options.max_article_chars
    if len(body) > 4 * cap:  # no encoding takes over 4 bytes a character: told without decoding
        raise InputError(Errors.E116, chars=f"at least {len(body) // 4}", limit=cap)
    yield make_document(blob.origin, body, PLAIN, url=blob.url, hints=blob.hints, charset=blob.charset)


HTML_READER = Reader(name="html", sniff=sniff_html, read=read_html)
TEXT_READER = Reader(name="text", sniff=sniff_text, read=read_text)

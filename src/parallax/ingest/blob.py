"""One input as a reader sees it: where it came from, how to open it, and what it starts with.

A file, stdin and a fetched URL all become a :class:`Blob`, so every reader works on all three.
Gzip is undone here, once, so that readers and sniffers see the content and never care whether
it came compressed (the WARC reader, which needs the compressed offsets, asks for the raw bytes).
"""
from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from parallax.clean.encoding import byte_order_mark_codec
from parallax.errors import Errors, InputError

GZIP_MAGIC = b"\x1f\x8b"

# Bytes a sniffer sees: enough to pass an XML prolog, a doctype and a few comments.
HEAD_BYTES = 4096

# Gzip failures as Python reports them: a bad header, a bad CRC, an early end of stream.
GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)

_COMPRESSED_SUFFIX = re.compile(r"\.(gz|gzip)$")
# Names that say plain text: such a file is never taken for JSON lines by its first character
# (a text that starts with "{" is still text; issue 12). Markup is still sniffed: a saved page
# named ``.txt`` is HTML.
TEXT_SUFFIXES = (".txt", ".text")


@dataclass(frozen=True)
class Head:
    """The first bytes of an input (decompressed), with what its name and server say about it.

    ``text`` is the same start as text for sniffing markup: a byte-order mark honoured, other
    bytes read as latin-1 (which maps each byte to one character, so ASCII markers survive in
    any ASCII-compatible encoding), leading blanks removed.
    """

    data: bytes
    name: str  # lower-case file name or URL path, ".gz" removed: "feed.xml", "crawl.warc"
    content_type: str | None = None
    text: str = ""

    @classmethod
    def of(cls, data: bytes, name: str, content_type: str | None = None) -> Head:
        codec = byte_order_mark_codec(data)
        text = data.decode(codec, errors="ignore") if codec else data.decode("latin-1")
        name = _COMPRESSED_SUFFIX.sub("", name.lower())
        return cls(data=data, name=name, content_type=content_type, text=text.lstrip("\ufeff \t\r\n\f"))

    def has_suffix(self, *suffixes: str) -> bool:
        return self.name.endswith(suffixes)

    @property
    def named_text(self) -> bool:
        """Whether its name says plain text: its first character must not make it JSON."""
        return self.has_suffix(*TEXT_SUFFIXES)


@dataclass
class Blob:
    """An input not yet read: its origin (for messages and resumption) and a way to open it."""

    origin: str
    name: str
    open_raw: Callable[[], BinaryIO]
    url: str | None = None
    content_type: str | None = None
    charset: str | None = None  # the charset label its server gave, for decoding
    hints: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_bytes(cls, origin: str, data: bytes, **kwargs: object) -> Blob:
        return cls(origin=origin, open_raw=lambda: io.BytesIO(data), **kwargs)  # type: ignore[arg-type]

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The content as a stream, gunzipped if it is gzip; gzip damage becomes E103."""
        with self.open_raw() as raw:
            if raw.read(len(GZIP_MAGIC)) != GZIP_MAGIC:
                raw.seek(0)
                yield raw
                return
            raw.seek(0)
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                try:
                    yield unzipped  # type: ignore[misc]  # a GzipFile is a binary stream; typeshed does not make it a BinaryIO
                except GZIP_ERRORS as err:
                    raise InputError(Errors.E103, detail=_describe(err)) from err

    def head(self) -> Head:
        """The first bytes, decompressed; a gzip cut short still shows what it starts with."""
        with self.open_raw() as raw:
            start = raw.read(len(GZIP_MAGIC))
            raw.seek(0)
            data = _gunzip_prefix(raw, HEAD_BYTES) if start == GZIP_MAGIC else raw.read(HEAD_BYTES)
        return Head.of(data, self.name, self.content_type)

    def read_all(self, limit: int) -> bytes:
        """The whole content, refused with E104 beyond ``limit`` bytes (a gzip bomb included)."""
        with self.open() as stream:
            data = stream.read(limit + 1)
        if len(data) > limit:
            raise InputError(Errors.E104, limit=limit)
        return data


def _gunzip_prefix(raw: BinaryIO, size: int) -> bytes:
    """Up to ``size`` decompressed bytes across gzip members, without failing on a cut stream.

    Sniffing must see a truncated ``.warc.gz`` as a WARC (its reader reports the break
    precisely); GzipFile would only raise. A damaged header is still E103.
    """
    out = b""
    member = zlib.decompressobj(zlib.MAX_WBITS | 16)
    while len(out) < size and (chunk := raw.read(size)):
        try:
            while chunk:
                out += member.decompress(chunk)
                if not member.eof:
                    break
                chunk = member.unused_data
                member = zlib.decompressobj(zlib.MAX_WBITS | 16)
        except zlib.error as err:
            raise InputError(Errors.E103, detail=_describe(err)) from err
    return out[:size]


def _describe(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text.rstrip(".")

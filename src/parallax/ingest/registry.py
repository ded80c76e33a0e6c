"""The reader registry: a kind of input is a name, a sniffer and a reader.

Built-in readers (WARC, feeds, JSON lines, HTML, plain text) register through
:func:`register_reader` exactly as an outside one would, and the first reader whose sniffer
accepts an input's first bytes reads it. Sniffing is by content first (magic bytes, the first
non-blank characters), because file names lie: a ``.txt`` that holds HTML is HTML.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from parallax.clean.encoding import looks_binary
from parallax.errors import Errors, InputError
from parallax.ingest.blob import Blob, Head
from parallax.ingest.http import Fetcher
from parallax.model import RawDocument, Skip
from parallax.settings import Options

# Formats we recognise but do not read, by signature (offset, bytes): a clear "unsupported
# PDF" beats a vague "binary data".
KNOWN_BINARY_FORMATS: dict[str, tuple[int, bytes]] = {
    "PDF": (0, b"%PDF-"),
    "PNG image": (0, b"\x89PNG\r\n\x1a\n"),
    "JPEG image": (0, b"\xff\xd8\xff"),
    "GIF image": (0, b"GIF8"),
    "WebP/RIFF media": (0, b"RIFF"),
    "ZIP archive or Office document": (0, b"PK\x03\x04"),
    "bzip2": (4, b"1AY&SY"),
    "xz": (0, b"\xfd7zXZ\x00"),
    "zstd": (0, b"\x28\xb5\x2f\xfd"),
    "7z archive": (0, b"7z\xbc\xaf\x27\x1c"),
    "legacy Office document": (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    "SQLite database": (0, b"SQLite format 3\x00"),
    "ELF executable": (0, b"\x7fELF"),
    "MP4/QuickTime media": (4, b"ftyp"),
}


@dataclass
class ReadContext:
    """What readers share during one run: the options and one polite HTTP client. A poller
    (``jobs.follow``) keeps one context across its rounds, with ``conditional`` GETs of its
    sources and ``known_url`` telling the feed reader which items the store already holds."""

    options: Options
    conditional: bool = False
    known_url: Callable[[str], bool] | None = None
    _fetcher: Fetcher | None = field(default=None, repr=False)

    @property
    def fetcher(self) -> Fetcher:
        """The run's fetcher, created on first use so a run over local files opens no client."""
        if self._fetcher is None:
            self._fetcher = Fetcher(self.options)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None


Sniffer = Callable[[Head], bool]
ReadFunction = Callable[[Blob, ReadContext], Iterator[RawDocument | Skip]]


@dataclass(frozen=True)
class Reader:
    """A kind of input: ``sniff`` says whether an input is of this kind, ``read`` reads it.

    ``read`` yields RawDocuments and, for parts it cannot read (a bad JSON line, a feed item
    whose page is gone), Skips; it raises InputError when the whole input is unusable.
    """

    name: str
    sniff: Sniffer
    read: ReadFunction


_READERS: list[Reader] = []


def register_reader(reader: Reader, *, before: str | None = None) -> Reader:
    """Add a reader, last or ahead of the reader named ``before`` (more specific kinds first)."""
    if any(existing.name == reader.name for existing in _READERS):
        raise ValueError(f"a reader named {reader.name!r} is already registered")
    names = [existing.name for existing in _READERS]
    if before is None:
        _READERS.append(reader)
    elif before in names:
        _READERS.insert(names.index(before), reader)
    else:
        raise ValueError(f"no reader named {before!r} to insert before (have {names})")
    return reader


def registered_readers() -> tuple[Reader, ...]:
    """The readers in the order they are tried."""
    return tuple(_READERS)


def reader_for(head: Head) -> Reader:
    """The first reader that accepts ``head``, or InputError E111/E102 when none does."""
    for name, (offset, signature) in KNOWN_BINARY_FORMATS.items():
        if head.data[offset : offset + len(signature)] == signature:
            raise InputError(Errors.E111, detail=name)
    for reader in _READERS:
        if reader.sniff(head):
            return reader
    if looks_binary(head.data):
        raise InputError(Errors.E102)
    raise InputError(Errors.E111, detail=head.name or "no reader accepts it")


def read_blob(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    """Everything one input holds; any failure ends this input with one Skip, never an exception."""
    try:
        head = blob.head()
        if not head.data.strip():
            # Read to the end first: a gzip cut before its first content (a truncated .warc.gz)
            # is E103 broken, not empty.
            blob.read_all(context.options.max_file_bytes)
            raise InputError(Errors.E101)
        reader = reader_for(head)
        yield from reader.read(blob, context)
    except InputError as err:
        yield Skip(origin=blob.origin, reason=str(err))
    except OSError as err:
        yield Skip(origin=blob.origin, reason=Errors.E113.format(detail=err.strerror or type(err).__name__))
    except Exception as err:  # noqa: BLE001 - a parser's surprise at one hostile input must not stop the run
        message = str(err).splitlines()[0] if str(err) else ""
        detail = f"{type(err).__name__}: {message}" if message else type(err).__name__
        yield Skip(origin=blob.origin, reason=Errors.E115.format(detail=detail))

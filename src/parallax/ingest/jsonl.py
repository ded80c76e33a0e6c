"""JSON lines: one article per line, ``{"id", "text", "title"?, "published"?, "url"?, "outlet"?, "language"?}``.

Dumps from scrapers and datasets are rarely perfect, so a bad line costs only itself: it
becomes a Skip naming its line number and the other lines are read as usual. The file is
streamed, so a large dump is never held in memory whole.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from parallax.errors import Errors, InputError
from parallax.ingest.blob import Blob, Head
from parallax.ingest.documents import PLAIN, make_document
from parallax.ingest.registry import ReadContext, Reader
from parallax.model import RawDocument, Skip

# Record fields passed on as hints, under the same names (``id`` lets tools answer per record).
HINT_FIELDS = ("id", "title", "published", "url", "outlet", "language")

_JSONL_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/json"})


def sniff_jsonl(head: Head) -> bool:
    """JSON, by its first character, name or media type (a whole JSON document is refused in read)."""
    return head.text.startswith(("{", "[")) or head.content_type in _JSONL_TYPES or head.has_suffix(".jsonl", ".ndjson")


def read_jsonl(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    if _is_json_document(blob.head()):
        # A pretty-printed document would otherwise give one E106 per line: one E111 says it all.
        raise InputError(Errors.E111, detail="a JSON document, not JSON lines")
    with blob.open() as stream:
        # A record is one article, so it gets the cap of one page, not of a whole file.
        for number, line in _numbered_lines(stream, context.options.max_bytes):
            origin = f"{blob.origin}#{number}"
            if line is None:
                yield Skip(origin, Errors.E104.format(limit=context.options.max_bytes))
                continue
            try:
                yield _record_document(origin, line)
            except InputError as err:
                yield Skip(origin, str(err))


def _numbered_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Non-blank lines with their 1-based numbers; ``None`` for a line over ``limit`` bytes.

    Reading with a cap keeps one endless line (a gzip bomb, a file without newlines) from
    filling memory: its bytes are drained in ``limit``-sized pieces and dropped.
    """
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if len(line) > limit:
            while line and not line.endswith(b"\n"):
                line = stream.readline(limit + 1)
            yield number, None
        elif line.strip():
            yield number, line


def _record_document(origin: str, line: bytes) -> RawDocument:
    try:
        record = json.loads(line)
    except ValueError as err:  # JSONDecodeError and UnicodeDecodeError both
        raise InputError(Errors.E106, detail=_first_line(err)) from err
    if not isinstance(record, dict):
        raise InputError(Errors.E106, detail=f"a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(Errors.E107)
    hints = {key: str(record[key]) for key in HINT_FIELDS if isinstance(record.get(key), (str, int, float))}
    return make_document(origin, text.encode("utf-8"), PLAIN, url=hints.get("url"), hints=hints)


def _is_json_document(head: Head) -> bool:
    """An array, or an object opened alone on its first line (pretty-printed): not JSON lines."""
    return head.text.startswith("[") or head.text.split("\n", 1)[0].strip() == "{"


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0]


JSONL_READER = Reader(name="jsonl", sniff=sniff_jsonl, read=read_jsonl)

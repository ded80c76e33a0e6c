"""JSON lines: one article per line, ``{"id", "text", "title"?, "authors"? (or "author"), "published"?, "url"?,
"outlet"?, "language"?}``.

Dumps from scrapers and datasets are rarely perfect, so a bad line costs only itself: it
becomes a Skip naming its line number and the other lines are read as usual. The file is
streamed, so a large dump is never held in memory whole.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any, BinaryIO

from parallax.clean.encoding import sanitize
from parallax.errors import Errors, InputError
from parallax.ingest.blob import Blob, Head
from parallax.ingest.documents import PLAIN, make_document
from parallax.ingest.registry import ReadContext, Reader
from parallax.model import RawDocument, Skip

# Record fields passed on as hints, under the same names (``id`` lets tools answer per record).
HINT_FIELDS = ("id", "title", "published", "url", "outlet", "language")

_JSONL_TYPES = frozenset({"application/x-ndjson", "application/jsonl", "application/json"})

# A JSON string (escapes included), whose brackets do not nest anything.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
# Every byte but the four brackets, deleted to leave the nesting skeleton.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENING = frozenset(b"[{")


def sniff_jsonl(head: Head) -> bool:
    """JSON, by its name or media type, or by its first character when its name says nothing
    (stdin, a URL): a ``.txt`` starting with "{" is text (a whole JSON document is refused in read)."""
    if head.content_type in _JSONL_TYPES or head.has_suffix(".jsonl", ".ndjson"):
        return True
    return not head.named_text and head.text.startswith(("{", "["))


def read_jsonl(blob: Blob, context: ReadContext) -> Iterator[RawDocument | Skip]:
    if _is_json_document(blob.head()):
        # A pretty-printed document would otherwise give one E106 per line: one E111 says it all.
        raise InputError(Errors.E111, detail="a JSON document, not JSON lines")
    options = context.options
    with blob.open() as stream:
        # A record is one article, so it gets the cap of one page, not of a whole file; the whole
        # file (decompressed: a gzip bomb of short lines too) gets the cap of a file.
        read = skipped = 0
        for number, line in _numbered_lines(stream, options.max_bytes):
            origin = f"{blob.origin}#{number}"
            read += len(line) if line is not None else options.max_bytes
            if read > options.max_file_bytes:
                yield Skip(origin, Errors.E104.format(limit=options.max_file_bytes) + f"; lines from {number} on not read")
                return
            if skipped >= options.max_skipped_records:
                yield Skip(origin, Errors.E121.format(skipped=skipped))
                return
            if line is None:
                skipped += 1
                yield Skip(origin, Errors.E104.format(limit=options.max_bytes))
                continue
            try:
                yield _record_document(origin, line, options.max_json_depth)
            except InputError as err:
                skipped += 1
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


def parse_json(data: bytes, max_depth: int) -> Any:
    """``data`` parsed as JSON; InputError E117 when it nests deeper than ``max_depth`` (told by a
    linear scan before parsing, so no parser recursion meets it), E106 when it is not JSON."""
    skeleton = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    if len(skeleton) > max_depth and max(accumulate(1 if b in _OPENING else -1 for b in skeleton)) > max_depth:
        raise InputError(Errors.E117, limit=max_depth)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:  # JSONDecodeError and UnicodeDecodeError both
        raise InputError(Errors.E106, detail=_first_line(err)) from err


def _record_document(origin: str, line: bytes, max_depth: int) -> RawDocument:
    record = parse_json(line, max_depth)
    if not isinstance(record, dict):
        raise InputError(Errors.E106, detail=f"a JSON {type(record).__name__}, not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(Errors.E107)
    hints = {key: str(record[key]) for key in HINT_FIELDS if isinstance(record.get(key), (str, int, float))}
    if authors := _byline(record):
        hints["authors"] = authors
    return make_document(origin, sanitize(text).encode("utf-8"), PLAIN, url=hints.get("url"), hints=hints)


def _byline(record: dict[str, Any]) -> str:
    """The record's ``authors`` (a list or a string) or ``author`` as one "A; B" byline hint."""
    value = record.get("authors", record.get("author"))
    names = value if isinstance(value, list) else [value]
    return "; ".join(name for name in names if isinstance(name, str) and name.strip())


def _is_json_document(head: Head) -> bool:
    """An array, or an object opened alone on its first line (pretty-printed): not JSON lines."""
    return head.text.startswith("[") or head.text.split("\n", 1)[0].strip() == "{"


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0]


JSONL_READER = Reader(name="jsonl", sniff=sniff_jsonl, read=read_jsonl)

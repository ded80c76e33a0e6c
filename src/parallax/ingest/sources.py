"""From what the user typed (paths, URLs, "-") to Blobs, the inputs readers work on.

Directories are walked recursively in sorted order, so that a run killed half way and started
again meets its inputs in the same order. Hidden entries (``.git``, ``.DS_Store``) are not
news and are passed over; links to directories are not followed (a link to a parent would
make the walk endless) and each is one Skip, since the user may have meant its files. Sizes are checked by ``stat`` before a file is opened, and stdin is
capped while it is read, so a 200 MB dump is refused without being read.

A page or text saved to disk loses the metadata its site gave it (the URL, the publication
date, the outlet). A sidecar ``NAME.meta.json`` beside the file puts it back: its ``title``,
``published``, ``url``, ``outlet`` and ``language`` become the document's hints, as a JSONL
record's fields do. Sidecars are read with their file, never as inputs of their own.
"""
from __future__ import annotations

import re
import stat
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from parallax.errors import Errors, InputError
from parallax.ingest.blob import Blob
from parallax.ingest.http import SOURCE_TYPES, NotModified, check_url
from parallax.ingest.jsonl import parse_json
from parallax.ingest.registry import ReadContext
from parallax.model import Skip
from parallax.settings import Options

SIDECAR_SUFFIX = ".meta.json"
SIDECAR_FIELDS = ("title", "published", "url", "outlet", "language")
STDIN = "-"
STDIN_ORIGIN = "<stdin>"

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def expand_source(source: str, context: ReadContext, stdin: BinaryIO | None) -> Iterator[Blob | Skip]:
    """The inputs one source names: a file, every file under a directory, a URL, or stdin."""
    if source == STDIN:
        yield _stdin_blob(stdin, context.options.max_file_bytes)
    elif _URL.match(source):
        if (blob := _url_blob(source, context)) is not None:  # None: unchanged since the last poll
            yield blob
    else:
        yield from _path_blobs(Path(source), context.options)


def _stdin_blob(stdin: BinaryIO | None, limit: int) -> Blob | Skip:
    if stdin is None:
        return Skip(STDIN_ORIGIN, Errors.E112.format())
    data = stdin.read(limit + 1)
    if len(data) > limit:
        return Skip(STDIN_ORIGIN, Errors.E104.format(limit=limit))
    return Blob.from_bytes(STDIN_ORIGIN, data, name="")


def _url_blob(url: str, context: ReadContext) -> Blob | Skip | None:
    """A source URL fetched; what it is (page, feed, JSON lines, WARC) is decided by the response."""
    try:
        check_url(url)  # before the fetcher is made: a run with only a gopher: URL opens no client
        response = context.fetcher.fetch(url, accept=SOURCE_TYPES, conditional=context.conditional)
    except InputError as err:
        return Skip(url, str(err))
    except NotModified:
        return None
    return Blob.from_bytes(
        url,
        response.body,
        name=urlsplit(response.url).path,
        url=response.url,
        content_type=response.content_type or None,
        charset=response.charset,
        hints=response.hints(),
    )


def _path_blobs(path: Path, options: Options) -> Iterator[Blob | Skip]:
    origin, limit = str(path), options.max_file_bytes
    try:
        info = path.stat()
    except FileNotFoundError:
        yield Skip(origin, Errors.E112.format())
        return
    except OSError as err:
        yield Skip(origin, Errors.E113.format(detail=err.strerror or type(err).__name__))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _directory_blobs(path, options)
    elif not stat.S_ISREG(info.st_mode):
        yield Skip(origin, Errors.E111.format(detail="not a regular file"))
    elif info.st_size > limit:
        yield Skip(origin, Errors.E104.format(limit=limit))
    else:
        hints = yield from _sidecar_hints(path, options)
        yield Blob(origin=origin, name=path.name, open_raw=lambda: path.open("rb"), url=hints.get("url"), hints=hints)


def _sidecar_hints(path: Path, options: Options) -> Generator[Skip, None, dict[str, str]]:
    """The metadata in ``path``'s sidecar (a generator so a broken sidecar can say so);
    returns {} when there is none or it cannot be read — the file itself is still ingested."""
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        if sidecar.stat().st_size > options.max_bytes:
            raise InputError(Errors.E104, limit=options.max_bytes)
        data = parse_json(sidecar.read_bytes().removeprefix(b"\xef\xbb\xbf"), options.max_json_depth)
    except OSError as err:
        yield Skip(str(sidecar), Errors.E113.format(detail=f"sidecar ignored: {err.strerror or type(err).__name__}"))
        return {}
    except InputError as err:
        yield Skip(str(sidecar), f"{err} (sidecar ignored)")
        return {}
    if not isinstance(data, dict):
        yield Skip(str(sidecar), Errors.E106.format(detail="sidecar ignored: not a JSON object"))
        return {}
    return {key: str(data[key]) for key in SIDECAR_FIELDS if data.get(key) not in (None, "")}


def _directory_blobs(directory: Path, options: Options) -> Iterator[Blob | Skip]:
    try:
        entries = sorted(
            entry for entry in directory.iterdir() if not entry.name.startswith(".") and not entry.name.endswith(SIDECAR_SUFFIX)
        )
    except OSError as err:
        yield Skip(str(directory), Errors.E113.format(detail=err.strerror or type(err).__name__))
        return
    for entry in entries:
        if entry.is_symlink() and entry.is_dir():
            yield Skip(str(entry), Errors.E111.format(detail="a link to a directory, not followed in a walk: give it as a source"))
        else:
            yield from _path_blobs(entry, options)

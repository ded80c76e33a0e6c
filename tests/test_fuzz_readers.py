"""Property tests of every reader (hypothesis): whatever the input, ingest ends it as articles or
numbered Skip lines (one per JSON line at least), never an exception, never nothing.

Inputs come from ``benchmarks/fuzz.py``'s generators (seeded: hypothesis draws the seed) and from
hypothesis's own bytes and text, as files, on stdin, and as a real loopback server's answers to
a URL (any status, type, encoding, body and length). Bounded: a few dozen examples per reader, no deadline (a page
takes what cleaning takes); ``benchmarks/fuzz.py`` runs 10,000."""
from __future__ import annotations

import io
import json
import random
import tempfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_script, serving
from parallax import jobs
from parallax.settings import load_options
from parallax.store import open_store

FUZZ = load_script(Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py")
OPTIONS = load_options()
# Derandomised: the suite draws the same examples on every run, so a CI run fails on a change,
# never on the luck of the draw; the wide random search is benchmarks/fuzz.py's (10,000 inputs).
BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None,
                   derandomize=True)

# Characters hypothesis's text leaves out by default and a reader meets in the wild.
HOSTILE = st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\ufffe", "\u202e", "\r", "\x85"])
TEXT = st.lists(st.one_of(st.text(max_size=40), HOSTILE), max_size=20).map("".join)


def _ingest(name: str, data: bytes, beside: dict[str, bytes] | None = None) -> tuple[int, int, bool]:
    """(outcomes, non-blank lines, whole file refused) of one input ingested into a real store."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for other, content in (beside or {}).items():
            (Path(folder) / other).write_bytes(content)
        with open_store(str(Path(folder) / "p.db")) as store:
            summary = jobs.ingest([str(path)], store, OPTIONS)
            assert store.integrity_ok()
    outcomes = summary.ingested + summary.duplicate + len(summary.skipped)
    lines = len([line for line in data.split(b"\n") if line.strip()])
    return outcomes, lines, any(skip.origin == str(path) for skip in summary.skipped)


@pytest.mark.parametrize("kind", FUZZ.KINDS)
@BOUNDED
@given(seed=st.integers(0, 2**32 - 1))
def test_every_generated_input_ends_as_articles_or_skips(kind: str, seed: int) -> None:
    name, data, beside = FUZZ.make_input(kind, random.Random(seed))
    outcomes, lines, refused = _ingest(name, data, beside)
    assert outcomes >= 1
    if name == "records.jsonl" and not refused:
        assert outcomes >= lines  # every record an article or its own numbered line


@BOUNDED
@given(data=st.binary(max_size=5_000), name=st.sampled_from(["x.html", "x.txt", "x.jsonl", "x.xml", "x.warc", "x"]))
def test_any_bytes_under_any_name(data: bytes, name: str) -> None:
    assert _ingest(name, data)[0] >= (1 if data.strip() else 0)


@BOUNDED
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "url", "outlet", "published", "language"]),
                                        st.one_of(TEXT, st.integers(), st.none(), st.lists(st.integers(), max_size=3)),
                                        max_size=7), min_size=1, max_size=8))
def test_json_lines_of_any_values(records: list[dict[str, object]]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    outcomes, lines, _ = _ingest("records.jsonl", data)
    assert outcomes == lines == len(records)


@BOUNDED
@given(text=TEXT, meta=st.dictionaries(st.sampled_from(["title", "url", "outlet", "published", "language"]), TEXT, max_size=5))
def test_text_with_a_sidecar_of_any_values(text: str, meta: dict[str, str]) -> None:
    body = ("The council met on Tuesday and agreed to keep the bridge closed. " * 3 + text).encode("utf-8", "surrogatepass")
    sidecar = json.dumps(meta).encode()
    assert _ingest("a.txt", body, {"a.txt.meta.json": sidecar})[0] >= 1


@BOUNDED
@given(data=st.binary(max_size=5_000))
def test_any_bytes_on_stdin(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "p.db")) as store:
        summary = jobs.ingest(["-"], store, OPTIONS, stdin=io.BytesIO(data))
        assert store.integrity_ok()
    assert summary.ingested + summary.duplicate + len(summary.skipped) >= 1


# What the URL reader's server answers next (one example at a time: hypothesis runs them in turn).
ANSWER: dict[str, object] = {}


class _Answering(BaseHTTPRequestHandler):
    """Answers every page with ``ANSWER``: any status, type, encoding and body, its length true,
    false or left out; robots.txt is absent (everything allowed)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/robots.txt":
            self.send_error(404)
            return
        body = bytes(ANSWER["body"])  # type: ignore[call-overload]
        self.send_response(int(ANSWER["status"]))  # type: ignore[call-overload]
        for name, value in ANSWER["headers"].items():  # type: ignore[attr-defined]
            self.send_header(name, value)
        if ANSWER["length"] is not None:
            self.send_header("Content-Length", str(len(body) + int(ANSWER["length"])))  # type: ignore[call-overload]
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def answering() -> Iterator[str]:
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Answering)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@BOUNDED
@given(status=st.sampled_from([200, 200, 200, 203, 204, 301, 404, 410, 500, 503]),
       content_type=st.sampled_from(["text/html", "text/html; charset=utf-16", "text/plain; charset=bogus", "application/rss+xml",
                                     "application/json", "image/png", "", "text/html; charset=utf-8"]),
       encoding=st.sampled_from([None, "gzip", "deflate", "br", "identity"]),
       body=st.one_of(st.binary(max_size=3_000), TEXT.map(lambda t: f"<html><body><p>{t}</p></body></html>".encode("utf-8", "surrogatepass"))),
       length=st.sampled_from([0, 0, None, -1]))
def test_any_answer_to_a_url(answering: str, status: int, content_type: str, encoding: str | None, body: bytes,
                             length: int | None) -> None:
    """Whatever a server answers (a body shorter than its length stalls: cut by the read timeout)."""
    headers = {"Content-Type": content_type} if content_type else {}
    if encoding:
        headers["Content-Encoding"] = encoding
    ANSWER.update(status=status, headers=headers, body=body, length=length)
    options = load_options(allow_private_hosts=("127.0.0.1",), read_timeout=0.3, total_timeout=1.0, retries=0,
                           per_host_interval=0.0)
    with tempfile.TemporaryDirectory() as folder, open_store(str(Path(folder) / "p.db")) as store:
        summary = jobs.ingest([f"{answering}/news/page.html"], store, options)
        assert store.integrity_ok()
    outcomes = summary.ingested + len(summary.skipped)
    # One outcome for the page; a JSON answer is read as JSON Lines, one outcome per record.
    assert outcomes == 1 or (content_type == "application/json" and outcomes > 1
                             and all(skip.origin.startswith(f"{answering}/news/page.html#") for skip in summary.skipped))

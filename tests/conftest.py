"""Shared fixtures: a real local web server, so ingest is tested against real HTTP, not mocks.

The server serves ``tests/fixtures/web/`` (with ``__BASE__`` in pages and feeds replaced by
its own address, so feed items point back at it) and a few routes that misbehave the way real
servers do: one that stalls, one that trickles, one that sends junk, one that fails once, one
that is too big, redirects of every kind. Every stall is bounded so the suite cannot hang.
"""
from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from parallax.settings import Options, load_options

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

# Longest any route stalls: above the tests' read timeouts, short enough for a quick suite.
STALL_SECONDS = 3.0
BIG_BYTES = 300_000

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}

ROBOTS_TXT = b"User-agent: *\nDisallow: /private/\n"


class _TestServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.flaky_seen: set[str] = set()
        self.lock = threading.Lock()
        self.requests: list[str] = []

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up on a stalled route is expected, not an error worth printing."""


class _Handler(BaseHTTPRequestHandler):
    server: _TestServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the test output is for test failures."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.requests.append(path)
        if path == "/robots.txt":
            self._send(200, "text/plain", ROBOTS_TXT)
        elif path == "/hang":
            self._hang()
        elif path == "/trickle":
            self._trickle()
        elif path == "/garbage":
            self._send(200, "text/html", random.Random(7).randbytes(4096))
        elif path.startswith("/flaky/"):
            self._flaky(path)
        elif path == "/big":
            self._send(200, "text/html", _big_page())
        elif path == "/big-unsized":
            self._send(200, "text/html", _big_page(), sized=False)
        elif path == "/redirect":
            self._redirect("/news/bridge-vote.html")
        elif path == "/redirect-private":
            self._redirect("/private/report.html")
        elif path == "/redirect-loop":
            self._redirect("/redirect-loop")
        elif path == "/redirect-ftp":
            self._redirect("ftp://127.0.0.1/file.html")
        elif path.startswith("/status/"):
            self._send(int(path.rsplit("/", 1)[1]), "text/plain", b"status page\n")
        elif path == "/image.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))
        else:
            self._static(path)

    def _send(self, status: int, content_type: str, body: bytes, *, sized: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if sized:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _hang(self) -> None:
        """Headers and a first byte, then nothing: a read timeout must cut it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<")
        self.wfile.flush()
        time.sleep(STALL_SECONDS)

    def _trickle(self) -> None:
        """A byte every 0.1 s: never idle long enough for a read timeout, only a deadline cuts it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        stop = time.monotonic() + STALL_SECONDS
        while time.monotonic() < stop:
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)

    def _flaky(self, path: str) -> None:
        """500 on the first request for each path, 200 afterwards."""
        with self.server.lock:
            first = path not in self.server.flaky_seen
            self.server.flaky_seen.add(path)
        if first:
            self._send(500, "text/plain", b"try again\n")
        else:
            self._send(200, "text/html", b"<html><body><p>Recovered on the second try.</p></body></html>")

    def _static(self, path: str) -> None:
        target = (WEB / path.lstrip("/")).resolve()
        if WEB not in target.parents or not target.is_file():
            self._send(404, "text/plain", b"not found\n")
            return
        body = target.read_bytes().replace(b"__BASE__", self.server.base.encode("ascii"))
        self._send(200, _CONTENT_TYPES.get(target.suffix, "application/octet-stream"), body)


def _big_page() -> bytes:
    paragraph = b"<p>" + b"A long page of filler text. " * 40 + b"</p>\n"
    return b"<html><body>" + paragraph * (BIG_BYTES // len(paragraph) + 1) + b"</body></html>"


@pytest.fixture(scope="session")
def web_server() -> Iterator[_TestServer]:
    """A real HTTP server on 127.0.0.1 (random port) for the whole session; ``.base`` is its URL."""
    server = _TestServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def web_base(web_server: _TestServer) -> str:
    return web_server.base


@pytest.fixture
def fast_options() -> Options:
    """Options with short timeouts and no politeness delay, so HTTP tests take milliseconds."""
    return load_options(
        connect_timeout=2.0,
        read_timeout=0.5,
        total_timeout=2.0,
        per_host_interval=0.0,
        retries=1,
        backoff=0.05,
    )

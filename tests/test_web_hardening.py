"""The web app refuses what it cannot serve with a 4xx, never a 5xx: ids past 63 bits, pages past
the last, searches past their caps or their time budget; every answer carries a CSP and the
other security headers; the Host header is checked; webhook credentials are never served."""
from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import serving

from parallax import jobs
from parallax.settings import load_options
from parallax.store import open_store
from parallax.views.watch import add_watch
from parallax.web import create_app
from parallax.web.app import running

TOO_BIG = "9" * 30  # past 64 bits
PARAGRAPH = "The council met on Tuesday and agreed to keep the harbour bridge closed until repairs are done. "


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hardening")
    records = folder / "records.jsonl"
    records.write_text("".join(json.dumps({"id": n, "title": f"Bridge {n}", "text": PARAGRAPH * (3 + n)}) + "\n"
                               for n in range(40)), "utf-8")
    location = str(folder / "p.db")
    with open_store(location) as store:
        jobs.ingest([str(records)], store, load_options())
        add_watch(store, "hook", "keyword", "bridge", webhook="https://hooks.example.org/services/T0/B0/XYZ?key=secret")
    return location


@pytest.fixture(scope="module")
def client(store_path: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_path), raise_server_exceptions=False) as opened:
        yield opened


@pytest.mark.parametrize("path", [
    f"/articles/{TOO_BIG}", f"/api/articles/{TOO_BIG}", f"/api/articles/{TOO_BIG}/annotations", f"/entities/{TOO_BIG}",
    f"/api/entities/{TOO_BIG}", f"/stories/{TOO_BIG}", f"/api/stories/{TOO_BIG}", f"/api/stories/{2**63}/compare",
    f"/storylines/{TOO_BIG}", f"/api/storylines/{TOO_BIG}", f"/api/storylines/{TOO_BIG}/timeline", "/api/articles/-1",
    f"/stories?page={TOO_BIG}", f"/api/stories?page={2**62}", f"/api/stories?min_articles={TOO_BIG}",
    f"/search?q=bridge&page={TOO_BIG}", f"/api/search?q=bridge&page={2**62}", f"/api/search?storyline={TOO_BIG}",
    f"/api/stories?storyline={TOO_BIG}", "/api/search?page=0",
])
def test_numbers_out_of_range_are_a_422_not_a_server_error(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 422


LONG = "x" * 401  # past TEXT_MAX


@pytest.mark.parametrize("path", [
    "/articles/1?mark=1-" + "9" * 5_000, "/articles/1?mark=" + "9" * 5_000 + "-1", "/api/search?q=bridge&storyline=" + "9" * 5_000,
    f"/api/search?q=bridge&entity={LONG}", f"/api/stories?outlet={LONG}", f"/search?q=bridge&language={LONG}",
    f"/api/attention?plover={LONG}", f"/api/entities?q={LONG}", f"/entities?q={LONG}", f"/api/watches/{LONG}/alerts",
    f"/watches/{LONG}/feed.atom",
])
def test_text_past_its_cap_is_a_422_not_a_server_error(client: TestClient, path: str) -> None:
    """Names, filter values and spans are capped too (a 5,000-digit number in one was a 500)."""
    assert client.get(path).status_code == 422


def test_the_largest_id_is_a_plain_404(client: TestClient) -> None:
    assert client.get(f"/api/articles/{2**63 - 1}").status_code == 404


@pytest.mark.parametrize(("query", "message"), [
    (" ".join(["a*"] * 60), "E410 a query of 60 terms; at most 16"),
    ("a* b* c* d*", "E410 a query of 4 prefix terms (word*); at most 3"),
    ("x" * 1000, "E410 a query of 1000 characters; at most 400"),
])
def test_searches_past_their_caps_are_refused(client: TestClient, query: str, message: str) -> None:
    answer = client.get("/api/search", params={"q": query})
    assert answer.status_code == 422 and answer.json()["detail"][0]["msg"].startswith(message)
    assert client.get("/search", params={"q": query}).status_code == 422
    assert client.get("/api/search", params={"q": "harbour bridge b*"}).status_code == 200


def test_a_search_past_its_time_budget_is_stopped(store_path: str) -> None:
    with TestClient(create_app(store_path, options=load_options(search_seconds=1e-9))) as slow:
        answer = slow.get("/api/search", params={"q": "bridge"})
        assert answer.status_code == 503 and answer.json()["detail"].startswith("E309 the query ran past its 1e-09s budget")
    with TestClient(create_app(store_path)) as normal:
        assert normal.get("/api/search", params={"q": "bridge"}).json()["total"] == 40


@pytest.mark.parametrize("path", ["/", "/search?q=bridge", "/api/overview", "/articles/1", "/nowhere", "/docs"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]  # no inline script runs
    if path == "/docs":
        assert "'sha256-" in policy  # Swagger UI's one start-up script, by its hash


def test_the_host_header_must_name_this_server(store_path: str) -> None:
    with running(store_path) as base:
        port = base.rsplit(":", 1)[1]
        for host, status in [(f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), (f"[::1]:{port}", 200),
                             (f"rebind.attacker.example:{port}", 421), ("evil.example", 421)]:
            answer = httpx.get(f"{base}/api/watches", headers={"host": host})
            assert answer.status_code == status, host
    with TestClient(create_app(store_path, host="127.0.0.1", options=load_options(allowed_hosts=("news.lan",)))) as named:
        assert named.get("/", headers={"host": "news.lan:8787"}).status_code == 200


def test_webhook_credentials_are_never_served(client: TestClient) -> None:
    for path in ("/api/watches", "/watches"):
        body = client.get(path).text
        assert "secret" not in body and "XYZ" not in body
    assert client.get("/api/watches").json()[0]["webhook"] == "https://hooks.example.org/…"


class _EchoingReceiver(BaseHTTPRequestHandler):
    """A webhook receiver that refuses every POST as Apache does, quoting the URL it was asked for."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = f"<p>The requested URL {self.path} was not found on this server.</p>".encode()
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_delivery_error_quoting_the_webhook_serves_no_part_of_it(tmp_path: Path) -> None:
    """The error a receiver answers with is kept with the alert and shown; when it quotes the
    webhook's path and query (their secret), neither is stored or served."""
    secret = "/services/T0B0/XYZ9secret?key=hunter22long"
    location = str(tmp_path / "p.db")
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _EchoingReceiver)) as receiver:
        webhook = f"http://127.0.0.1:{receiver.server_address[1]}{secret}"
        with open_store(location) as store:
            add_watch(store, "hook", "keyword", "bridge", webhook=webhook, allow_private=("127.0.0.1",))
            records = tmp_path / "r.jsonl"
            records.write_text(json.dumps({"id": 1, "title": "Bridge", "text": PARAGRAPH * 3}) + "\n", "utf-8")
            options = load_options(allow_private_hosts=("127.0.0.1",), webhook_attempts=1, webhook_timeout=2.0)
            jobs.ingest([str(records)], store, options)
            _, delivery = jobs.raise_alerts(store, options, stories=False)
            assert delivery.failed == 1
            stored = store.recent_alerts("hook", 5)[0].webhook_error or ""
    assert stored.startswith("HTTP 404") and "was not found" in stored
    for part in ("XYZ9secret", "hunter22long", "T0B0"):
        assert part not in stored
    with TestClient(create_app(location)) as app:
        for path in ("/api/watches/hook/alerts", "/watches"):
            answer = app.get(path)
            assert answer.status_code == 200 and "was not found" in answer.text
            assert not any(part in answer.text for part in ("XYZ9secret", "hunter22long", "T0B0")), path


def test_several_worker_processes_keep_the_host_check_and_the_token(store_path: str) -> None:
    """``parallax serve --workers 2``: two processes answer on one socket, each with the Host
    check and the token rule, and stopping the server stops them."""
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    src = Path(__file__).resolve().parents[1] / "src"
    server = subprocess.Popen([sys.executable, "-m", "parallax", "serve", "--db", store_path, "--port", str(port),
                               "--workers", "2", "--token", "s3cret"], env={**os.environ, "PYTHONPATH": str(src)},
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/overview", headers={"authorization": "Bearer s3cret"}).status_code == 200:
                    break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        workers = [c for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
        assert len(workers) == 2
        for _ in range(6):  # whichever worker answers
            assert httpx.get(f"{base}/api/overview").status_code == 401
            assert httpx.get(f"{base}/api/overview", headers={"authorization": "Bearer s3cret"}).status_code == 200
            assert httpx.get(f"{base}/api/overview", headers={"authorization": "Bearer s3cret",
                                                                 "host": "rebind.attacker.example"}).status_code == 421
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert "(2 worker processes)" in err and "Traceback" not in err
    assert not any(Path(f"/proc/{w}").exists() for w in workers)


def test_a_search_whose_client_leaves_is_stopped(store_path: str, tmp_path: Path) -> None:
    """Sixty prefix terms (allowed here) take this store half a minute to search; the client
    gives up after one second, and the server stops reading the store right after, not when the
    search would have ended. Seen from the store: a reader holds back a checkpoint of pages
    written after it began (SQLite cannot copy them into the file under it)."""
    import shutil
    import sqlite3
    import threading
    import time

    location = tmp_path / "leaving.db"
    shutil.copyfile(store_path, location)
    observer = sqlite3.connect(location, isolation_level=None)
    observer.execute("CREATE TABLE probe (x INTEGER)")

    def someone_reading() -> bool:
        observer.execute("INSERT INTO probe VALUES (1)")
        _, logged, copied = observer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return bool(copied < logged)

    def wait_for(wanted: bool, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while someone_reading() != wanted:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    assert not someone_reading()
    patient = load_options(max_query_terms=60, max_prefix_terms=60, search_seconds=600)
    left = threading.Event()
    with running(str(location), options=patient) as base:
        def ask() -> None:
            with pytest.raises(httpx.ReadTimeout):
                httpx.get(f"{base}/api/search", params={"q": " ".join(["a*"] * 60)}, timeout=1.0)
            left.set()

        client = threading.Thread(target=ask)
        client.start()
        assert wait_for(True, 30), "the search never started reading"
        client.join(60)
        assert left.is_set() and someone_reading()  # the client left; the search was still reading
        assert wait_for(False, 5), "the search went on reading after its client left"
    observer.close()

"""Shared fixtures: a real local web server, so ingest is tested against real HTTP, not mocks.

The server serves ``tests/fixtures/web/`` (with ``__BASE__`` in pages and feeds replaced by
its own address, so feed items point back at it) and a few routes that misbehave the way real
servers do: one that stalls, one that trickles, one that sends junk, one that fails once, one
that is too big, redirects of every kind. Every stall is bounded so the suite cannot hang.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest
from filelock import FileLock

from parallax.settings import Options, load_options

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def load_script(path: Path) -> ModuleType:
    """A benchmark or build script (not a package module) imported for its functions; it is
    registered in ``sys.modules`` first because its dataclasses look their module up by name."""
    spec = importlib.util.spec_from_file_location(f"{path.parent.name}_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
        elif path == "/redirect-metadata":  # inward: a cloud's metadata service (SSRF)
            self._redirect("http://169.254.169.254/latest/meta-data/")
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
        # An ETag as real servers send one; asked again with it (If-None-Match), the answer is 304.
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", _CONTENT_TYPES.get(target.suffix, "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


def _big_page() -> bytes:
    paragraph = b"<p>" + b"A long page of filler text. " * 40 + b"</p>\n"
    return b"<html><body>" + paragraph * (BIG_BYTES // len(paragraph) + 1) + b"</body></html>"


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """Run ``server`` in a daemon thread for the duration of the block, then close it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def web_server() -> Iterator[_TestServer]:
    """A real HTTP server on 127.0.0.1 (random port) for the whole session; ``.base`` is its URL."""
    with serving(_TestServer()) as server:
        yield server


@pytest.fixture(scope="session")
def web_base(web_server: _TestServer) -> str:
    return web_server.base


@pytest.fixture
def fast_options() -> Options:
    """Options with short timeouts and no politeness delay, so HTTP tests take milliseconds; the
    test server's loopback address allowed explicitly (refused by default: SSRF)."""
    return load_options(
        allow_private_hosts=("127.0.0.1",),
        connect_timeout=2.0,
        read_timeout=0.5,
        total_timeout=2.0,
        per_host_interval=0.0,
        retries=1,
        backoff=0.05,
    )


# --- Stores for the views and the web UI ---------------------------------------------------------
# Built once per run from the bundled demo corpus (the two seeds and 89 VOA stories) plus two
# hostile inputs whose text, title, outlet and URL carry script injections.

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
INJECTION = Path(__file__).resolve().parent / "fixtures" / "injection"


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The store ``name``, made by ``build(path)`` once for the whole test run (with any file
    ``build`` leaves beside it).

    Under pytest-xdist (`make test` runs two workers) each worker is a pytest session of its own,
    so a session fixture alone would build its store once per worker, and the annotated ones take
    half a minute each. The first worker to ask builds it in the run's shared temp folder under a
    file lock, the others wait and read the same file (as pytest-xdist's docs do for session
    fixtures). It is built in a folder of another name, renamed when done, so a build that fails
    leaves no half-made store behind. A test that writes takes a copy; reading a story's page or
    digest still stores its view when none is stored yet (the same content whoever makes it, two
    writers ordered by SQLite's busy timeout), so the shared stores are not strictly read-only."""
    import shutil

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    done = root / "built-once" / name
    done.parent.mkdir(exist_ok=True)
    with FileLock(f"{done}.lock"):
        if not done.exists():
            partial = done.with_name(f"{name}.partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            build(partial / "store.db")
            partial.rename(done)
    return done / "store.db"


# Hand-made annotations of the two seeds, in SPEC.md's annotation JSON, so that tests of the
# views run without models (as spaCy's tests build a Doc by hand). Surface forms longest first.
HAND_ENTITIES = {
    ("Donald Trump", "PERSON"): ["U.S. President Donald Trump", "President Trump", "Donald Trump", "Mr. Trump", "Trump"],
    ("Vladimir Putin", "PERSON"): ["Russian President Vladimir Putin", "President Putin", "Vladimir Putin", "Putin"],
    ("Sergei Lavrov", "PERSON"): ["Foreign Minister Sergei Lavrov", "Lavrov"],
    ("Sarah Huckabee Sanders", "PERSON"): ["White House Press Secretary Sarah Huckabee Sanders", "Sanders"],
    ("Russia", "GPE"): ["Russia"],
    ("Helsinki", "GPE"): ["Helsinki"],
}


def hand_annotation(text: str, quotes: list[dict], events: list[dict], times: list[dict], attributions: list[dict],
                    stances: dict[str, str] | None = None) -> dict:
    """An annotation of ``text``: entities found by their surface forms; the rest given as
    {"content"/"evidence"/"text": exact substring, ...} and turned into offsets here. Claims are
    the lines of those pieces (asserted), and of each piece of ``stances`` with its stance."""
    import re

    def span(piece: str) -> dict:
        start = text.index(piece)
        return {"start": start, "end": start + len(piece)}

    entities, ids = [], {}
    for (name, type_), forms in HAND_ENTITIES.items():
        found = [{"start": m.start(), "end": m.end()} for m in re.finditer(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b", text)]
        if found:
            ids[name] = f"e{len(entities) + 1}"
            entities.append({"id": ids[name], "name": name, "type": type_, "mentions": found})
    def line(piece: str, stance: str = "asserted") -> dict:
        """The hand-made claim of a piece: its line, with no slots read."""
        found = span(piece)
        start = text.rfind("\n", 0, found["start"]) + 1
        end = text.find("\n", found["end"])
        return {"start": start, "end": len(text) if end < 0 else end, "verb": None, "stance": stance,
                "negated": False, "quantities": [], "places": []}

    pieces = [*(v["evidence"] for v in events), *(q["content"] for q in quotes), *(a["content"] for a in attributions)]
    claims = {line(piece)["start"]: line(piece) for piece in pieces}
    claims.update({line(piece)["start"]: line(piece, stance) for piece, stance in (stances or {}).items()})
    return {
        "text": text,
        "entities": entities,
        "claims": [claims[start] for start in sorted(claims)],
        "times": [{**span(t["text"]), "text": t["text"], "type": "DATE", "value": t["value"]} for t in times],
        "quotes": [
            {"kind": q["kind"], "content": span(q["content"]), "cue": span(q["cue"]),
             "speaker": {"entity": ids[q["speaker"]], "name": q["speaker"], **span(q["speaker_text"])}, "channel": q["channel"]}
            for q in quotes
        ],
        "attributions": [{"content": span(a["content"]), "chain": a["chain"]} for a in attributions],
        "events": [
            {"plover": v["plover"], "mode": None, "cameo": v.get("cameo"), "status": "asserted",
             "actor": {"entity": ids[v["actor"]], "text": v["actor"]}, "target": {"entity": ids[v["target"]], "text": v["target"]},
             "date": v.get("date"), "place": v.get("place"), "according_to": ids.get(v.get("according_to", "")),
             "evidence": span(v["evidence"])}
            for v in events
        ],
    }


SEED_ANNOTATIONS = {
    "Trump Asked Aide To Invite Putin To Washington, White House Says": dict(
        quotes=[{"kind": "direct", "content": "The Summit with Russia was a great success", "cue": "he said",
                 "speaker": "Donald Trump", "speaker_text": "he said", "channel": "tweet"}],
        events=[{"plover": "CONSULT", "cameo": "036", "actor": "Donald Trump", "target": "Vladimir Putin", "place": "Washington",
                 "evidence": "President Trump has asked his national security adviser to invite Russian President Vladimir Putin to Washington"}],
        times=[{"text": "Thursday", "value": "2018-07-19"}],
        attributions=[],
    ),
    "Russia says Trump invited Putin to U.S. during phone call": dict(
        quotes=[{"kind": "direct", "content": "We proceed from the fact that the U.S. president in a telephone conversation",
                 "cue": "said", "speaker": "Sergei Lavrov", "speaker_text": "Lavrov", "channel": "interview"}],
        events=[{"plover": "CONSULT", "actor": "Donald Trump", "target": "Vladimir Putin", "date": "2018-03-20",
                 "according_to": "Sergei Lavrov", "evidence": "Trump and Putin spoke by phone on March 20."}],
        times=[{"text": "March 20", "value": "XXXX-03-20"}],
        attributions=[{"content": "U.S. President Donald Trump invited his Russian counterpart Vladimir Putin to the United States",
                       "chain": ["RIA Novosti", "Russian Foreign Ministry"]}],
    ),
}


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus and the hostile inputs ingested (not annotated) into one store file."""
    from parallax import jobs
    from parallax.store.sqlite import SQLiteStore

    def build(path: Path) -> None:
        sources = [str(DEMO / "seeds"), str(DEMO / "voa" / "voa_stories.jsonl"), str(INJECTION)]
        with SQLiteStore(path) as store:
            jobs.ingest(sources, store, load_options())

    return built_once(tmp_path_factory, "demo", build)


@pytest.fixture(scope="session")
def hand_annotated_store(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with the seeds annotated by hand (SEED_ANNOTATIONS), no models involved."""
    import shutil

    from parallax.store.sqlite import SQLiteStore

    def build(path: Path) -> None:
        shutil.copyfile(demo_store, path)
        with SQLiteStore(path) as store:
            for article in store.iter_articles():
                if article.title in SEED_ANNOTATIONS:
                    assert article.id is not None
                    store.save_annotations(article.id, hand_annotation(article.text, **SEED_ANNOTATIONS[article.title]), "hand")

    return built_once(tmp_path_factory, "hand", build)


@pytest.fixture(scope="session")
def annotated_demo_store(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store annotated by the real pipeline (spaCy and all): for slow tests."""
    import shutil

    from parallax import jobs
    from parallax.store.sqlite import SQLiteStore

    def build(path: Path) -> None:
        shutil.copyfile(demo_store, path)
        with SQLiteStore(path) as store:
            jobs.annotate_store(store)

    return built_once(tmp_path_factory, "annotated", build)


# --- Story tables, filled here until ingest writes them -----------------------------------------
def add_stories(path: Path, storylines: dict[str, list[list[int]]], merged: dict[int, int] | None = None,
                copies: dict[int, int] | None = None, titled: bool = True) -> dict[str, list[int]]:
    """Write storylines of stories of article ids into the store's story tables (migration 3).

    ``merged`` maps a story's index (1-based, in the order given) to the one it merged into;
    ``copies`` maps an article id to the article it copies; ``titled=False`` leaves storylines
    untitled (the keys then only name them here). Returns story ids per storyline."""
    from parallax.store.sqlite import SQLiteStore

    now = "2026-01-01T00:00:00+00:00"
    made: dict[str, list[int]] = {}
    with SQLiteStore(path) as store:
        db = store.db
        db.execute("BEGIN")
        numbered: list[int] = []
        for title, stories in storylines.items():
            line = db.execute("INSERT INTO storylines (title, updated_at) VALUES (?, ?)", (title if titled else None, now)).lastrowid
            made[title] = []
            for articles in stories:
                story = db.execute("INSERT INTO stories (storyline_id, updated_at) VALUES (?, ?)", (line, now)).lastrowid
                numbered.append(story)
                made[title].append(story)
                for article in articles:
                    db.execute("INSERT INTO story_articles (article_id, story_id, copy_of, added_at) VALUES (?,?,?,?)",
                               (article, story, (copies or {}).get(article), now))
        for source, target in (merged or {}).items():
            db.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (numbered[target - 1], numbered[source - 1]))
        db.execute("COMMIT")
    return made


def _ids_by_title(path: Path) -> dict[str, int]:
    from parallax.store.sqlite import SQLiteStore

    with SQLiteStore(path) as store:
        return {a.title or "": a.id for a in store.iter_articles() if a.id is not None}


@pytest.fixture(scope="session")
def hand_storied_store(hand_annotated_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-annotated store with hand-made stories: the two seeds in one story of the
    "Trump and Putin" storyline (with a VOA story merged into it and another beside it), and
    the hostile inputs in a story of their own."""
    import shutil

    def build(path: Path) -> None:
        shutil.copyfile(hand_annotated_store, path)
        ids = _ids_by_title(path)
        seeds = [ids[t] for t in SEED_ANNOTATIONS]
        voa = sorted(i for t, i in ids.items() if t not in SEED_ANNOTATIONS)
        hostile = [i for t, i in ids.items() if "<" in t]
        others = [i for i in voa if i not in hostile]
        add_stories(path, {"Trump and Putin": [seeds, [others[0]], [others[1]]], "hostile": [hostile]}, merged={2: 1})

    return built_once(tmp_path_factory, "hand-storied", build)


@pytest.fixture(scope="session")
def storied_demo_store(annotated_demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The annotated demo store with its stories from the real clusterer (``cluster_records``
    over every article in id order), written as ingest will write them."""
    import shutil

    from parallax.store.sqlite import SQLiteStore
    from parallax.stories import cluster_records

    def build(path: Path) -> None:
        shutil.copyfile(annotated_demo_store, path)
        with SQLiteStore(path) as store:
            articles = list(store.iter_articles())
        records = [{"id": str(a.id), "title": a.title or "", "text": a.text,
                    "published": a.published.value[:10] if a.published else None} for a in articles]
        lines: dict[str, dict[str, list[int]]] = {}
        for row in cluster_records(records):
            lines.setdefault(str(row["storyline"]), {}).setdefault(str(row["story"]), []).append(int(row["id"]))
        add_stories(path, {k: list(stories.values()) for k, stories in lines.items()}, titled=False)

    return built_once(tmp_path_factory, "storied", build)


@pytest.fixture(scope="session")
def development_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A story of two outlets a day apart: the first says Lavrov has not commented, the second
    quotes him (hand-annotated, as the seeds are)."""
    from parallax import jobs
    from parallax.store.sqlite import SQLiteStore

    said = {"Silence": "Foreign Minister Sergei Lavrov has not commented on the invitation to Washington.",
            "Answer": "Lavrov said the invitation to Washington was an honour for Russia."}
    both = "\n\nThe invitation was first made in a telephone call between the two presidents in the spring, officials said."
    records = [{"id": "Silence", "published": "2018-07-20", "outlet": "Moscow Courier"},
               {"id": "Answer", "published": "2018-07-21", "outlet": "Baltic Herald"}]
    quote = {"kind": "indirect", "content": "the invitation to Washington was an honour for Russia", "cue": "said",
             "speaker": "Sergei Lavrov", "speaker_text": "Lavrov", "channel": None}

    def build(path: Path) -> None:
        source = tmp_path_factory.mktemp("development-src") / "two.jsonl"
        source.write_text("".join(json.dumps({**r, "title": r["id"], "text": said[r["id"]] + both}) + "\n" for r in records), "utf-8")
        with SQLiteStore(path) as store:
            jobs.ingest([str(source)], store, load_options())
            ids = {a.title: a.id for a in store.iter_articles()}
            for article in store.iter_articles():
                assert article.id is not None
                quotes = [quote] if article.title == "Answer" else []
                stances = {said["Silence"]: "not_commented"} if article.title == "Silence" else {}
                store.save_annotations(article.id, hand_annotation(article.text, quotes, [], [], [], stances), "hand")
        add_stories(path, {"Lavrov answers": [[ids["Silence"], ids["Answer"]]]})

    return built_once(tmp_path_factory, "development", build)


@pytest.fixture(scope="session")
def bundled_demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store `parallax demo` builds from the whole bundled corpus (seeds, VOA, official
    statements): real pipeline, real clusterer, stories told by more than one outlet. What the
    command printed lies beside it (``bundled_demo_output``): test_cli checks the run itself."""
    import contextlib
    import io

    from parallax.cli import main

    def build(path: Path) -> None:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            assert main(["demo", "--db", str(path), "--no-serve", "--no-progress"]) == 0
        (path.parent / "demo.out").write_text(printed.getvalue(), "utf-8")

    return built_once(tmp_path_factory, "bundled", build)


@pytest.fixture(scope="session")
def bundled_demo_output(bundled_demo_store: Path) -> str:
    """What `parallax demo` printed as it built ``bundled_demo_store``."""
    return (bundled_demo_store.parent / "demo.out").read_text("utf-8")


@pytest.fixture(scope="session")
def seed_story_store(annotated_demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store annotated by the real pipeline with the two seeds (CBS News and the Moscow
    wire, which tell one invitation) put in one story of their own."""
    import shutil

    def build(path: Path) -> None:
        shutil.copyfile(annotated_demo_store, path)
        ids = _ids_by_title(path)
        add_stories(path, {"Trump invites Putin": [[ids[title] for title in SEED_ANNOTATIONS]]})

    return built_once(tmp_path_factory, "seed-story", build)


# --- PostgreSQL: a throwaway cluster, and the same stores on both backends ----------------------
# Debian's `postgresql` package (`make test` installs it): initdb/pg_ctl run as the `postgres`
# user when the suite runs as root, the server listens on 127.0.0.1 only, on a free port, with
# fsync off, in a temporary folder removed afterwards.
BACKENDS = ("sqlite", "postgres")


class PostgresCluster:
    """A running throwaway cluster; ``database()`` makes a fresh, migrated database."""

    def __init__(self, root: Path) -> None:
        import getpass
        import os
        import shutil
        import socket
        import subprocess

        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
        if not found:
            pytest.fail("PostgreSQL is not installed: `make test` installs Debian's postgresql package")
        self._bin = found[-1].parent
        self._root = root
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(root, "postgres")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._run("initdb", "-D", str(root / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {root} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=50")
        self._run("pg_ctl", "-D", str(root / "data"), "-o", options, "-l", str(root / "log"), "-w", "start")
        self.user = "postgres" if self._as else getpass.getuser()
        self._made = 0
        self.template = self._create("parallax_template")
        from parallax.store.postgres import PostgresStore

        PostgresStore(self.template).close()  # every database made from it starts migrated
        self._subprocess = subprocess

    def _run(self, tool: str, *args: str) -> None:
        import subprocess

        subprocess.run([*self._as, str(self._bin / tool), *args], check=True, capture_output=True, cwd=self._root)

    def url(self, name: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"

    def _create(self, name: str, template: str = "template0") -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def database(self) -> str:
        """A new database holding an empty Parallax store."""
        self._made += 1
        return self._create(f"parallax_{self._made}", "parallax_template")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self._root / "data"), "-m", "immediate", "-w", "stop")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="parallax-pg-"))
    cluster = PostgresCluster(root)
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


class Stores:
    """Stores of one backend for a test: empty ones, and copies of the session's SQLite stores."""

    def __init__(self, backend: str, request: pytest.FixtureRequest, directory: Path) -> None:
        self.backend = backend
        self._request = request
        self._tmp = directory
        self._made = 0

    def empty(self) -> str:
        """The location of a new, empty store."""
        if self.backend == "postgres":
            return self._request.getfixturevalue("postgres").database()
        self._made += 1
        return str(self._tmp / f"store{self._made}.db")

    def copy_of(self, path: Path) -> str:
        """The location of a new store holding what the SQLite store at ``path`` holds."""
        import shutil

        from parallax.store import open_store
        from parallax.store.copy import copy_store
        from parallax.store.sqlite import SQLiteStore

        if self.backend == "sqlite":
            location = self.empty()
            shutil.copyfile(path, location)
            return location
        location = self.empty()
        with SQLiteStore(path) as source, open_store(location) as target:
            copy_store(source, target)  # type: ignore[arg-type]
        return location


@pytest.fixture(params=BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Stores:
    """Run the test once on SQLite and once on PostgreSQL."""
    return Stores(request.param, request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Stores:
    """The same, for stores a module's tests share (and only read)."""
    return Stores(request.param, request, tmp_path_factory.mktemp(request.param))

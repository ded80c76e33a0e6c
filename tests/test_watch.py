"""Watches: matching, one alert per match however often the store is checked, webhook delivery to a
real HTTP receiver on 127.0.0.1 (failures retried on the next check), Atom feeds and the CLI."""
from __future__ import annotations

import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax import jobs
from parallax.cli import main
from parallax.errors import Errors, InputError
from parallax.settings import Options, load_options
from parallax.store import Store, open_store
from parallax.views.search import search_articles
from parallax.views.watch import add_watch, check_watches, list_watches, recent_alerts, remove_watch
from parallax.web import create_app

from conftest import Stores, serving

ATOM = "{http://www.w3.org/2005/Atom}"


class Receiver(ThreadingHTTPServer):
    """A webhook receiver: records every POST's JSON; answers 500 while ``failing``."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}/hook"
        self.failing = False
        self.posts: list[dict] = []  # every POST that arrived, answered or refused
        self.accepted: list[dict] = []
        self.lock = threading.Lock()


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.posts.append(body)
            status = 500 if self.server.failing else 200
            if status == 200:
                self.server.accepted.append(body)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with serving(Receiver()) as server:
        yield server


@pytest.fixture
def options() -> Options:
    return load_options(webhook_timeout=2.0, webhook_attempts=3, webhook_backoff=0.01, delivery_budget=5.0,
                        allow_private_hosts=("127.0.0.1",))  # the receivers listen on loopback


@pytest.fixture
def store_path(hand_annotated_store: Path, stores: Stores) -> str:
    """A private copy of the demo store whose two seeds are annotated by hand, on each backend."""
    return stores.copy_of(hand_annotated_store)


def _id_of(store: Store, title_start: str) -> int:
    (found,) = [a.id for a in store.iter_articles() if a.title and a.title.startswith(title_start)]
    assert found is not None
    return found


def test_entity_keyword_and_plover_watches_alert_once_per_article(store_path: str) -> None:
    with open_store(store_path) as store:
        cbs, moscow = _id_of(store, "Trump Asked Aide"), _id_of(store, "Russia says")
        add_watch(store, "putin", "entity", "putin")  # a surname finds "Vladimir Putin" through its mentions
        add_watch(store, "lavrov", "entity", "Sergei Lavrov")
        add_watch(store, "helsinki", "keyword", "Helsinki summit")
        add_watch(store, "consult", "plover", "consult")
        first = check_watches(store, None)
        by_watch: dict[str, set[int | None]] = {}
        for alert in first:
            by_watch.setdefault(alert.watch, set()).add(alert.article_id)
        expected_keyword = {h.article_id for h in search_articles(store, "Helsinki summit", limit=1000).hits}
        assert by_watch["putin"] == {cbs, moscow}
        assert by_watch["lavrov"] == {moscow}
        assert by_watch["consult"] == {cbs, moscow}
        assert by_watch["helsinki"] == expected_keyword and cbs in expected_keyword
        assert len(first) == sum(len(ids) for ids in by_watch.values())  # one alert per (watch, article)
        assert "Vladimir Putin" in next(a for a in first if a.watch == "putin").reason
        consult = next(a for a in first if a.watch == "consult" and a.article_id == moscow)
        assert consult.reason.startswith("CONSULT event: Trump and Putin spoke by phone")
        # Checking again — the whole store or the same articles — raises nothing new.
        assert check_watches(store, None) == []
        assert check_watches(store, [cbs, moscow]) == []
        assert store._run("SELECT count(*) FROM alerts").fetchone()[0] == len(first)
        assert {w.name: w.alerts for w in list_watches(store)}["putin"] == 2
        assert {a.story_id for a in first} == {None}  # no article has a story yet


def test_an_alert_names_the_story_its_article_is_in(store_path: str) -> None:
    with open_store(store_path) as store:
        cbs, moscow = _id_of(store, "Trump Asked Aide"), _id_of(store, "Russia says")
        _file_story(store, 7, 3, [cbs])
        _file_story(store, 8, 3, [moscow])
        store._run("UPDATE stories SET merged_into = 7 WHERE id = 8")
        add_watch(store, "putin", "entity", "putin")
        add_watch(store, "consult", "plover", "consult")
        alerts = check_watches(store, [cbs, moscow])
        assert {(a.watch, a.article_id, a.story_id) for a in alerts} == {
            ("putin", cbs, 7), ("putin", moscow, 7), ("consult", cbs, 7), ("consult", moscow, 7)}
        assert {a.payload()["story"] for a in alerts} == {7}


def test_a_watch_added_later_sees_only_what_it_is_checked_against(store_path: str) -> None:
    with open_store(store_path) as store:
        cbs = _id_of(store, "Trump Asked Aide")
        add_watch(store, "putin", "entity", "Vladimir Putin")
        assert [a.article_id for a in check_watches(store, [cbs])] == [cbs]
        assert [a.article_id for a in check_watches(store, None)] == [_id_of(store, "Russia says")]


def test_watch_validation(store_path: str) -> None:
    with open_store(store_path) as store:
        add_watch(store, "w", "keyword", "ceasefire")
        cases = [
            (("w", "keyword", "truce"), Errors.E601),
            (("p", "plover", "PARADE"), Errors.E603),
            (("k", "keyword", "*** ---"), Errors.E604),
            (("s", "storyline", "999"), Errors.E605),
            (("e", "entity", "  "), Errors.E607),
        ]
        for (name, kind, value), code in cases:
            with pytest.raises(InputError) as raised:
                add_watch(store, name, kind, value)
            assert raised.value.code is code
        with pytest.raises(InputError) as raised:
            add_watch(store, "h", "keyword", "ceasefire", webhook="ftp://example.org/hook")
        assert raised.value.code is Errors.E606
        with pytest.raises(InputError) as raised:
            remove_watch(store, "nope")
        assert raised.value.code is Errors.E602
        remove_watch(store, "w")
        assert list_watches(store) == []


def _write_article(folder: Path, name: str, headline: str, topic: str) -> None:
    body = (
        f"{headline}\n\n"
        f"Officials met on Tuesday to discuss {topic}, a spokesperson for the regional council said after the session. "
        f"The council will publish its findings on {topic} next month, and residents may send comments until then.\n\n"
        "Several members said the schedule was too tight, but the chair insisted that the work could be done in time."
    )
    (folder / name).write_text(body, encoding="utf-8")


def test_ingest_raises_one_alert_per_match_across_repeated_ingests(
    tmp_path: Path, receiver: Receiver, options: Options, stores: Stores
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write_article(inbox, "a.txt", "Council weighs new harbour tolls", "the harbour tolls")
    _write_article(inbox, "b.txt", "Council reviews school bus routes", "the bus routes")
    with open_store(stores.empty()) as store:
        add_watch(store, "tolls", "keyword", "harbour tolls", webhook=receiver.url, allow_private=("127.0.0.1",))
        summary = jobs.ingest([str(inbox)], store, options)
        alerts, delivery = jobs.raise_alerts(store, options, stories=False)
        assert [a.title for a in alerts] == ["Council weighs new harbour tolls"]
        assert delivery.delivered == 1 and len(receiver.accepted) == 1
        posted = receiver.accepted[0]
        assert posted["watch"] == "tolls" and posted["alert"] == alerts[0].id
        assert posted["article"]["title"] == "Council weighs new harbour tolls" and posted["reason"] == "matches harbour tolls"

        # The same inputs again, plus one new match: only the new article alerts, and only once.
        _write_article(inbox, "c.txt", "Harbour tolls vote delayed", "a delay to the vote on harbour tolls")
        summary = jobs.ingest([str(inbox)], store, options)
        assert summary.ingested == 1 and summary.duplicate == 2
        alerts, _ = jobs.raise_alerts(store, options, stories=False)
        assert [a.title for a in alerts] == ["Harbour tolls vote delayed"]
        again, _ = jobs.raise_alerts(store, options, whole_store=True)
        assert again == []
        assert [p["article"]["title"] for p in receiver.posts] == [
            "Council weighs new harbour tolls", "Harbour tolls vote delayed"
        ]


def test_a_failing_webhook_is_retried_on_the_next_check_and_delivers_once(
    store_path: str, receiver: Receiver, options: Options
) -> None:
    with open_store(store_path) as store:
        lavrov_webhook = receiver.url
        add_watch(store, "lavrov", "entity", "Lavrov", webhook=lavrov_webhook, allow_private=("127.0.0.1",))
        receiver.failing = True
        alerts, delivery = jobs.raise_alerts(store, options, whole_store=True)
        assert len(alerts) == 1 and delivery.failed == 1 and delivery.delivered == 0
        assert len(receiver.posts) == options.webhook_attempts  # retried within the check, then left
        (stored,) = recent_alerts(store, "lavrov")
        assert not stored.webhook_delivered and stored.webhook_attempts == 1 and "HTTP 500" in (stored.webhook_error or "")

        receiver.failing = False
        alerts, delivery = jobs.raise_alerts(store, options)  # the next check, with no new articles
        assert alerts == [] and delivery.delivered == 1
        alerts, delivery = jobs.raise_alerts(store, options, whole_store=True)
        assert alerts == [] and delivery.delivered == 0
        assert len(receiver.accepted) == 1 and receiver.accepted[0]["article"]["title"].startswith("Russia says")
        (stored,) = recent_alerts(store, "lavrov")
        assert stored.webhook_delivered and stored.webhook_error is None


def test_a_dead_receiver_does_not_hold_up_a_check(store_path: str, options: Options) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    closed.close()  # nothing listens there now: every connection is refused
    with open_store(store_path) as store:
        add_watch(store, "putin", "entity", "Putin", webhook=dead, allow_private=("127.0.0.1",))
        started = time.monotonic()
        alerts, delivery = jobs.raise_alerts(store, options, whole_store=True)
        assert len(alerts) == 2
        # The first alert fails (and is recorded); the second waits: its receiver already failed.
        assert delivery.failed == 1 and delivery.deferred == 1 and "ConnectError" in delivery.errors[0]
        assert time.monotonic() - started < options.delivery_budget


def _file_story(store: Store, story: int, storyline: int, article_ids: list[int], copies: dict[int, int] | None = None) -> None:
    """What the story clusterer writes: a storyline, a story in it, its articles in arrival order."""
    store._run("INSERT INTO storylines (id, title, updated_at) VALUES (?, ?, '2025-01-01') ON CONFLICT DO NOTHING",
               (storyline, f"line {storyline}"))
    store._run("INSERT INTO stories (id, storyline_id, title, updated_at) VALUES (?, ?, ?, '2025-01-01') ON CONFLICT DO NOTHING",
                     (story, storyline, f"story {story}"))
    for article_id in article_ids:
        store._run("INSERT INTO story_articles (article_id, story_id, copy_of, added_at) VALUES (?, ?, ?, '2025-01-01')",
                         (article_id, story, (copies or {}).get(article_id)))


def _annotate_events(store: Store, article_id: int, plovers: list[str]) -> None:
    article = store.get_article(article_id)
    assert article is not None
    evidence = {"start": 0, "end": min(40, len(article.text))}
    annotation = {"text": article.text, "entities": [], "times": [], "quotes": [], "attributions": [],
                  "events": [{"plover": p, "evidence": evidence} for p in plovers]}
    store.save_annotations(article_id, annotation, "hand")


def test_storyline_watch_alerts_on_developments_only(store_path: str) -> None:
    with open_store(store_path) as store:
        cbs, moscow = _id_of(store, "Trump Asked Aide"), _id_of(store, "Russia says")
        voa = [a.id for a in store.iter_articles() if a.outlet == "Voice of America"][:7]
        assert len(voa) == 7
        first, same, new_type, copy, other_story, unwatched, merged_in = voa
        _annotate_events(store, first, ["CONSULT"])
        _annotate_events(store, same, ["CONSULT"])
        _annotate_events(store, new_type, ["CONSULT", "PROTEST"])
        _file_story(store, 1, 1, [first, same, new_type, copy, cbs], copies={copy: first})
        _file_story(store, 2, 1, [other_story])
        _file_story(store, 3, 2, [unwatched])
        add_watch(store, "line", "storyline", "1")
        reasons = {a.article_id: a.reason for a in check_watches(store, None)}
        # Arrival order is id order: the CBS seed (a CONSULT event) came first and opened story 1.
        assert cbs < first
        assert reasons == {
            cbs: "new story 1 in storyline 1",
            first: "first report from Voice of America",
            new_type: "new event type PROTEST",
            other_story: "new story 2 in storyline 1",
        }
        assert all(a.story_id in (1, 2) for a in recent_alerts(store, "line"))
        # Another outlet's telling filed later is one more development, raised once.
        _file_story(store, 1, 1, [moscow])
        assert [(a.article_id, a.reason) for a in check_watches(store, [moscow])] == [
            (moscow, "first report from an unnamed outlet")  # the wire seed names no outlet
        ]
        assert check_watches(store, None) == []
        # A story merged into a watched one brings its articles along: they count as story 1's.
        _file_story(store, 4, 2, [merged_in])
        store._run("UPDATE stories SET merged_into = 1 WHERE id = 4")
        _annotate_events(store, merged_in, ["AID"])
        assert [(a.article_id, a.story_id, a.reason) for a in check_watches(store, [merged_in])] == [
            (merged_in, 1, "new event type AID")
        ]


def test_atom_feeds_and_watches_page(store_path: str) -> None:
    with open_store(store_path) as store:
        add_watch(store, "putin", "entity", "Putin")
        add_watch(store, "alerts", "keyword", "alert")  # matches the hostile fixtures' script text
        raised = check_watches(store, None)
    hostile = [a for a in raised if a.watch == "alerts"]
    assert hostile, "the injection fixtures carry alert(...) in their text"
    with TestClient(create_app(str(store_path))) as client:
        response = client.get("/watches/feed.atom")
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)  # well-formed even with hostile titles
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == len(raised)
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert len(set(ids)) == len(ids)
        titles = [e.findtext(f"{ATOM}title") for e in entries]
        assert any(t and t.startswith("[putin] Trump Asked Aide") for t in titles)
        links = {e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in entries}
        assert all(link.startswith("http://testserver/articles/") for link in links)
        assert not any("javascript:" in (l.get("href") or "") for l in feed.iter(f"{ATOM}link"))

        one = ET.fromstring(client.get("/watches/putin/feed.atom").content)
        assert len(one.findall(f"{ATOM}entry")) == 2
        assert client.get("/watches/nope/feed.atom").status_code == 404

        page = client.get("/watches")
        assert page.status_code == 200 and "<script>alert" not in page.text and "&lt;script&gt;" in page.text
        assert "/watches/putin/feed.atom" in page.text
        api = client.get("/api/watches").json()
        assert {w["name"]: w["alerts"] for w in api} == {"alerts": len(hostile), "putin": 2}
        assert len(client.get("/api/watches/putin/alerts").json()) == 2


def test_cli_watch_commands(store_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(store_path)
    assert main(["watch", "add", "consult", "--plover", "consult", "--db", db]) == 0
    assert main(["watch", "add", "consult", "--keyword", "x", "--db", db]) == 2
    assert "E601" in capsys.readouterr().err
    assert main(["watch", "check", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.count("alert [consult] article ") == 2 and "2 new alerts" in out
    assert main(["watch", "check", "--db", db]) == 0
    assert "0 new alerts" in capsys.readouterr().out
    assert main(["watch", "list", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "consult\tplover CONSULT\t2 alerts"
    assert main(["watch", "rm", "consult", "--db", db]) == 0
    assert main(["watch", "list", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == "removed watch consult"


def test_cli_ingest_prints_each_new_alert_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _write_article(inbox, "a.txt", "Council weighs new harbour tolls", "the harbour tolls")
    db = str(tmp_path / "cli.db")
    assert main(["ingest", str(inbox), "--db", db, "--no-annotate", "--no-progress"]) == 0
    assert main(["watch", "add", "tolls", "--keyword", "tolls", "--db", db]) == 0
    capsys.readouterr()
    _write_article(inbox, "b.txt", "Tolls vote delayed again", "a delay to the vote on the tolls")
    for _ in range(2):  # the second run finds both inputs already stored: nothing new, no alert
        assert main(["ingest", str(inbox), "--db", db, "--no-annotate", "--no-progress"]) == 0
    alert_lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("alert ")]
    assert len(alert_lines) == 1 and alert_lines[0].startswith("alert [tolls] article 2 ")
    assert alert_lines[0].endswith("Tolls vote delayed again — matches tolls")


def test_a_nul_or_lone_surrogate_in_a_watch_is_sanitised_as_a_query_is(store_path: str) -> None:
    """Names and values as the CLI and the API take them: a NUL dropped, a lone surrogate U+FFFD,
    as in a search query; never a server error (PostgreSQL refuses a NUL; UTF-8 a surrogate)."""
    with open_store(store_path) as store:
        add_watch(store, "lav\x00rov", "entity", "Sergei\x00 Lavrov")
        add_watch(store, "summit\ud800", "keyword", "Helsinki\x00 summit")
        assert {w.name: w.value for w in list_watches(store)} == {"lavrov": "Sergei Lavrov",
                                                                  "summit\ufffd": "Helsinki summit"}
        check_watches(store, None)
        assert recent_alerts(store, "lavrov\x00") == recent_alerts(store, "lavrov") != []
        assert recent_alerts(store, "\udfff") == []
    with TestClient(create_app(store_path)) as client:
        answer = client.get("/api/watches/lav%00rov/alerts")
        assert answer.status_code == 200
        assert answer.json() == client.get("/api/watches/lavrov/alerts").json() != []
        assert client.get("/api/watches/x%00/alerts").status_code == 404
        assert client.get("/watches/lavrov%00/feed.atom").status_code == 200
    with open_store(store_path) as store:
        remove_watch(store, "summit\ud800")
        assert [w.name for w in list_watches(store)] == ["lavrov"]


@pytest.mark.parametrize("hook", ["http://ex\udcffample.org/", "http://example.org/\udcff", "http://example.org/\x00"])
def test_a_webhook_with_a_nul_or_lone_surrogate_is_refused_with_its_code(store_path: str, hook: str) -> None:
    with open_store(store_path) as store, pytest.raises(InputError) as refused:
        add_watch(store, "hooked", "keyword", "putin", hook)
    assert str(refused.value).startswith("E208 ")
    with open_store(store_path) as store:
        assert list_watches(store) == []

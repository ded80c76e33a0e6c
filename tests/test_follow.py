"""Feeds on a schedule: conditional GETs (ETag → 304), items the store holds never fetched
again, one polite fetcher across rounds, and the watches firing without anyone typing ingest."""
from __future__ import annotations

from pathlib import Path

import pytest

from parallax import jobs
from parallax.cli import main
from parallax.errors import ParallaxError
from parallax.ingest import ReadContext, read_sources
from parallax.ingest.http import Fetcher, NotModified
from parallax.settings import Options
from parallax.store.sqlite import SQLiteStore
from parallax.views.filters import parse_interval
from parallax.views.watch import add_watch

FEED = "/feeds/world.rss"
ITEMS = ["/news/bridge-vote.html", "/news/ferry-strike.html", "/news/removed.html"]


def test_intervals() -> None:
    assert parse_interval("15m") == 900 and parse_interval("1h") == 3600 and parse_interval(" 90 ") == 90
    assert parse_interval("2.5m") == 150
    for bad in ("2s", "soon", "-5m", "15 minutes"):
        with pytest.raises(ParallaxError, match="^E906 "):
            parse_interval(bad)


def test_a_conditional_get_of_an_unchanged_feed_is_a_304(web_server, fast_options: Options) -> None:
    url = web_server.base + FEED
    with Fetcher(fast_options) as fetcher:
        first = fetcher.fetch(url, accept=None, conditional=True)
        assert first.etag and fetcher.validators[url] == {"If-None-Match": first.etag}
        with pytest.raises(NotModified):
            fetcher.fetch(url, accept=None, conditional=True)
        assert fetcher.fetch(url, accept=None).body == first.body  # an unconditional GET reads it again


def test_a_feeds_items_the_store_holds_are_not_fetched(web_server, fast_options: Options) -> None:
    before = len(web_server.requests)
    context = ReadContext(fast_options, known_url=lambda url: url.endswith(("bridge-vote.html", "ferry-strike.html")))
    try:
        items = list(read_sources([web_server.base + FEED], fast_options, context=context))
    finally:
        context.close()
    asked = web_server.requests[before:]
    assert "/news/bridge-vote.html" not in asked and "/news/ferry-strike.html" not in asked
    assert [i.origin for i in items] == [web_server.base + "/news/removed.html", web_server.base + "/private/report.html"]


@pytest.mark.slow
def test_follow_polls_politely_and_alerts_without_an_ingest(web_server, fast_options: Options, tmp_path: Path) -> None:
    db = tmp_path / "follow.db"
    with SQLiteStore(db) as store:
        add_watch(store, "bridge", "keyword", "bridge")
        before = len(web_server.requests)
        naps: list[float] = []
        runs: list[jobs.IngestRun] = []
        done = jobs.follow([web_server.base + FEED], store, fast_options, every=600, rounds=3,
                           on_round=lambda n, run: runs.append(run), sleep=naps.append)
    asked = web_server.requests[before:]
    assert done == 3 and naps == [600, 600]  # slept between rounds, not before the first
    assert [r.summary.ingested for r in runs] == [2, 0, 0]
    assert [a.watch for a in runs[0].alerts] == ["bridge"] and runs[0].alerts[0].story_id is not None
    assert runs[1].alerts == [] and runs[2].alerts == []
    assert asked.count(FEED) == 3  # asked each round; rounds 2 and 3 answered 304
    assert all(asked.count(item) == 1 for item in ITEMS)  # each item page fetched once, in round 1
    assert asked.count("/robots.txt") == 1  # one fetcher for all rounds


def test_follow_cli_errors_and_one_round(web_server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cli.db")
    assert main(["follow", web_server.base + FEED, "--every", "5s", "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("parallax follow: error: E906 unreadable interval '5s'") and err.count("\n") == 1
    loopback = Path(__file__).parent / "fixtures" / "loopback.cfg"  # 127.0.0.1 allowed (refused by default: SSRF)
    assert main(["--config", str(loopback), "watch", "run", web_server.base + "/no/such/feed.rss", "--rounds", "1",
                 "--db", db]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("round 1: ingested 0, duplicate 0, skipped 1")
    assert "E201 HTTP error (404 Not Found)" in err

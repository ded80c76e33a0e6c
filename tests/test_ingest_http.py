"""The fetcher and URL/feed sources, against the real local server in conftest.py."""
from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from parallax.errors import InputError
from parallax.ingest import read_sources
from parallax.ingest.http import Fetcher
from parallax.model import RawDocument, Skip
from parallax.settings import Options

WEB = Path(__file__).resolve().parent / "fixtures" / "web"


def fetch_error(options: Options, url: str) -> str:
    with Fetcher(options) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(url)
    return str(caught.value)


def test_fetches_a_page_with_the_honest_user_agent(web_server, fast_options):
    with Fetcher(fast_options) as fetcher:
        response = fetcher.fetch(web_server.base + "/news/bridge-vote.html")
    assert response.content_type == "text/html"
    assert "Old Swing Bridge" in response.body.decode("utf-8")
    assert fast_options.user_agent.startswith("Parallax/")


def test_follows_redirects_to_the_final_url(web_base, fast_options):
    with Fetcher(fast_options) as fetcher:
        response = fetcher.fetch(web_base + "/redirect")
    assert response.url == web_base + "/news/bridge-vote.html"


def test_robots_txt_is_honoured_and_fetched_once_per_host(web_server, fast_options):
    assert fetch_error(fast_options, web_server.base + "/private/report.html").startswith("E203")
    with Fetcher(fast_options) as fetcher:
        before = web_server.requests.count("/robots.txt")
        fetcher.fetch(web_server.base + "/news/bridge-vote.html")
        fetcher.fetch(web_server.base + "/news/ferry-strike.html")
        assert web_server.requests.count("/robots.txt") == before + 1


def test_a_redirect_into_a_disallowed_path_is_refused(web_base, fast_options):
    assert fetch_error(fast_options, web_base + "/redirect-private").startswith("E203")


def test_robots_can_be_switched_off(web_base, fast_options):
    options = dataclasses.replace(fast_options, obey_robots=False)
    with Fetcher(options) as fetcher:
        assert b"disallowed by robots.txt" in fetcher.fetch(web_base + "/private/report.html").body


def test_only_http_and_https(web_base, fast_options):
    assert fetch_error(fast_options, "ftp://127.0.0.1/file.html").startswith("E204")
    assert fetch_error(fast_options, web_base + "/redirect-ftp").startswith("E204")


def test_a_stalled_response_is_cut_by_the_read_timeout(web_base, fast_options):
    started = time.monotonic()
    assert fetch_error(fast_options, web_base + "/hang") == "E202 timed out after 0.5s"
    assert time.monotonic() - started < 2.0


def test_a_trickling_response_is_cut_by_the_total_deadline(web_base, fast_options):
    options = dataclasses.replace(fast_options, total_timeout=0.6)
    started = time.monotonic()
    assert fetch_error(options, web_base + "/trickle") == "E202 timed out after 0.6s"
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("route", ["/big", "/big-unsized"])
def test_responses_over_the_size_cap_are_refused(web_base, fast_options, route):
    options = dataclasses.replace(fast_options, max_bytes=50_000)
    assert fetch_error(options, web_base + route) == "E205 response larger than the 50000 byte cap"


def test_a_5xx_is_retried_with_backoff(web_base, fast_options):
    options = dataclasses.replace(fast_options, backoff=0.2)
    started = time.monotonic()
    with Fetcher(options) as fetcher:
        response = fetcher.fetch(web_base + "/flaky/retried")
    assert b"second try" in response.body
    assert time.monotonic() - started >= 0.2


def test_without_retries_the_5xx_is_reported(web_base, fast_options):
    options = dataclasses.replace(fast_options, retries=0)
    assert fetch_error(options, web_base + "/flaky/not-retried") == "E201 HTTP error (500 Internal Server Error)"


def test_client_errors_are_not_retried(web_server, fast_options):
    before = web_server.requests.count("/status/404")
    assert fetch_error(fast_options, web_server.base + "/status/404") == "E201 HTTP error (404 Not Found)"
    assert web_server.requests.count("/status/404") == before + 1


def test_redirect_loops_end(web_base, fast_options):
    assert "redirects" in fetch_error(fast_options, web_base + "/redirect-loop")


def test_other_media_types_are_refused_before_reading(web_base, fast_options):
    assert fetch_error(fast_options, web_base + "/image.png") == "E206 not an HTML or text response (image/png)"


def test_connection_refused_is_an_error_not_a_crash(fast_options):
    # Port 9 (discard) on localhost: nothing listens there in the test environment.
    message = fetch_error(dataclasses.replace(fast_options, retries=0), "http://127.0.0.1:9/")
    assert message.startswith("E201 HTTP error (connection failed")


def test_requests_to_one_host_are_spaced(web_base, fast_options):
    options = dataclasses.replace(fast_options, per_host_interval=0.3)
    with Fetcher(options) as fetcher:
        fetcher.fetch(web_base + "/news/bridge-vote.html")  # also fetches robots.txt, spaced too
        started = time.monotonic()
        fetcher.fetch(web_base + "/news/ferry-strike.html")
    assert time.monotonic() - started >= 0.29


# --- URL sources and feeds through read_sources


def test_a_url_source_is_a_page_with_fetch_hints(web_base, fast_options):
    [document] = read_sources([web_base + "/news/bridge-vote.html"], fast_options)
    assert isinstance(document, RawDocument)
    assert document.media_type == "text/html"
    assert document.origin == document.url == web_base + "/news/bridge-vote.html"
    assert document.hints["fetched"].endswith("+00:00")


def test_junk_served_as_html_is_skipped(web_base, fast_options):
    [skip] = read_sources([web_base + "/garbage"], fast_options)
    assert skip == Skip(web_base + "/garbage", "E102 binary data, not text or HTML")


def test_an_rss_url_yields_each_item_page_with_feed_hints(web_base, fast_options):
    items = list(read_sources([web_base + "/feeds/world.rss"], fast_options))
    assert [type(item).__name__ for item in items] == ["RawDocument", "RawDocument", "Skip", "Skip"]
    bridge, ferry, removed, private = items
    assert bridge.origin == web_base + "/news/bridge-vote.html"
    assert bridge.hints["title"] == "Harbour council backs €40m bridge repair"
    assert bridge.hints["published"] == "2024-03-14T21:05:00+00:00"
    assert bridge.hints["outlet"] == "The Lakeside Courier"
    assert bridge.hints["language"] == "en"
    assert ferry.hints["published"] == "2024-03-15T07:30:00+00:00"  # +0100 in the feed
    assert b"<p>Crews on the island ferry" in ferry.body  # broken HTML passed on as it is
    assert removed == Skip(web_base + "/news/removed.html", "E201 HTTP error (404 Not Found)")
    assert private == Skip(web_base + "/private/report.html", "E203 disallowed by robots.txt")


def test_an_atom_url_resolves_relative_links_and_keeps_plain_text(web_base, fast_options):
    logbook, ferry = read_sources([web_base + "/feeds/islands.atom"], fast_options)
    assert logbook.media_type == "text/plain"
    assert logbook.hints["published"] == "2024-03-16T08:30:00+00:00"
    assert logbook.hints["outlet"] == "Island Weekly"
    assert ferry.origin == web_base + "/news/ferry-strike.html"
    assert ferry.hints["published"] == "2024-03-15T08:30:00+00:00"  # only <updated> given


def test_a_feed_file_fetches_its_items(web_base, fast_options, tmp_path):
    feed = tmp_path / "saved-feed.xml"  # a name that says nothing: the content decides
    feed.write_bytes((WEB / "feeds" / "world.rss").read_bytes().replace(b"__BASE__", web_base.encode()))
    documents = [item for item in read_sources([str(feed)], fast_options) if isinstance(item, RawDocument)]
    assert [document.hints["title"] for document in documents] == [
        "Harbour council backs €40m bridge repair",
        "Ferry crews announce 48-hour strike",
    ]


def test_a_broken_feed_is_one_skip(tmp_path, fast_options):
    feed = tmp_path / "broken.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', encoding="utf-8")
    [skip] = read_sources([str(feed)], fast_options)
    assert skip.reason.startswith("E109 broken feed")


def test_unreachable_and_unsupported_url_sources_are_skips(fast_options):
    options = dataclasses.replace(fast_options, retries=0)
    unreachable, gopher = read_sources(["http://127.0.0.1:9/news.html", "gopher://example.org/"], options)
    assert unreachable.origin == "http://127.0.0.1:9/news.html"
    assert unreachable.reason.startswith("E201")
    assert gopher == Skip("gopher://example.org/", "E204 only http and https URLs are fetched")

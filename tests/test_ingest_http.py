"""The fetcher and URL/feed sources, against the real local server in conftest.py."""
from __future__ import annotations

import dataclasses
import logging
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import STALL_SECONDS, serving

from parallax.errors import InputError
from parallax.ingest import read_sources
from parallax.ingest.http import Fetcher
from parallax.jobs import clean_one
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
    message = fetch_error(dataclasses.replace(fast_options, retries=0, obey_robots=False), "http://127.0.0.1:9/")
    assert message.startswith("E210 cannot reach 127.0.0.1:9: nothing answers there")
    # robots.txt is asked first; with nothing listening the server is unreachable, not its robots.txt unreadable
    message = fetch_error(dataclasses.replace(fast_options, retries=0), "http://127.0.0.1:9/")
    assert message.startswith("E210 cannot reach 127.0.0.1:9") and "robots" not in message


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
    assert unreachable.reason.startswith("E210 cannot reach 127.0.0.1:9")
    assert gopher == Skip("gopher://example.org/", "E204 only http and https URLs are fetched")


# --- a site of our own: its charsets, its robots.txt


class _Site(ThreadingHTTPServer):
    """A real server whose routes are fixed (Content-Type, body) pairs; it notes when each path was asked for."""

    daemon_threads = True

    def __init__(self, routes: dict[str, tuple[str, bytes]], stalls: frozenset[str] = frozenset()) -> None:
        super().__init__(("127.0.0.1", 0), _SiteHandler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.routes = {path: (content_type, body.replace(b"__BASE__", self.base.encode())) for path, (content_type, body) in routes.items()}
        self.stalls = stalls  # paths that answer nothing for STALL_SECONDS
        self.asked: list[tuple[str, float]] = []


class _SiteHandler(BaseHTTPRequestHandler):
    server: _Site

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.server.asked.append((self.path, time.monotonic()))
        if self.path in self.server.stalls:
            time.sleep(STALL_SECONDS)
            return
        content_type, body = self.server.routes.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.server.routes else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _page(title: str, lead: str, head: str = "") -> str:
    filler = "The council met on Thursday evening and the vote was close. " * 4
    return (f"<html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{lead}</p><p>{filler}</p></article></body></html>")


def _cleaned(document: RawDocument | Skip, options: Options) -> str:
    assert isinstance(document, RawDocument), document
    article = clean_one(document, options)
    assert not isinstance(article, Skip), article
    return article.text


# Short non-ASCII leads among English text: too little for any detector, so only the label tells.
CHARSET_PAGES = {
    "windows-1251": "Лавров и Путин",
    "koi8-r": "Москва заявила о переговорах",
    "shift_jis": "東京都知事",
    "iso-8859-2": "Łódź: minister powiedział, że rozmowy były trudne",
    "iso-8859-1": "Zürich café",
}


@pytest.mark.parametrize("charset", list(CHARSET_PAGES))
def test_the_http_charset_decodes_a_page_without_a_meta_charset(fast_options, charset):
    lead = CHARSET_PAGES[charset]
    routes = {"/robots.txt": ("text/plain", b""), "/story.html": (f"text/html; charset={charset}", _page("Story", lead).encode(charset))}
    with serving(_Site(routes)) as site:
        [document] = read_sources([site.base + "/story.html"], fast_options)
    assert lead in _cleaned(document, fast_options)


def test_the_http_charset_decodes_plain_text(fast_options):
    text = "Лавров и Путин. " + "The council met on Thursday evening and the vote was close. " * 3
    routes = {"/robots.txt": ("text/plain", b""), "/story.txt": ("text/plain; charset=windows-1251", text.encode("cp1251"))}
    with serving(_Site(routes)) as site:
        [document] = read_sources([site.base + "/story.txt"], fast_options)
    assert document.body.decode("utf-8") == text


@pytest.mark.parametrize(("served", "head", "body_codec"), [
    ("text/html; charset=windows-1251", '<meta charset="windows-1252">', "cp1251"),  # HTTP beats meta
    ("text/html; charset=windows-1251", "", "utf-8-sig"),  # a byte-order mark beats HTTP
    ("text/html; charset=iso-8859-1", "", "utf-8"),  # Apache's default label on a UTF-8 page
    ("text/html; charset=x-klingon", '<meta charset="koi8-r">', "koi8-r"),  # unknown label: the meta decides
    ('text/html; charset="utf-8"', '<meta charset="windows-1251">', "cp1251"),  # label that cannot decode it
    ("text/html; charset=utf-7", '<meta charset="windows-1251">', "cp1251"),  # not a web encoding
    ("text/html; charset=utf-16", '<meta charset="windows-1251">', "cp1251"),  # UTF-16 without its mark
])
def test_charset_evidence_in_browser_order_and_a_wrong_label_loses_nothing(fast_options, served, head, body_codec):
    lead = "Лавров и Путин"
    routes = {"/robots.txt": ("text/plain", b""), "/story.html": (served, _page("Story", lead, head).encode(body_codec))}
    with serving(_Site(routes)) as site:
        [document] = read_sources([site.base + "/story.html"], fast_options)
    assert lead in _cleaned(document, fast_options)


def test_an_ascii_page_in_iso_2022_jp_is_read_by_its_http_charset(fast_options):
    lead = "外務省の声明"
    page = _page("Story", lead).encode("iso2022_jp")
    assert page.isascii()  # valid UTF-8 too: only the label says what it is
    routes = {"/robots.txt": ("text/plain", b""), "/story.html": ("text/html; charset=ISO-2022-JP", page)}
    with serving(_Site(routes)) as site:
        [document] = read_sources([site.base + "/story.html"], fast_options)
    assert lead in _cleaned(document, fast_options)


CYRILLIC_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Вечерняя Москва</title><language>ru</language>
<item><title>Лавров и Путин</title><link>__BASE__/story.html</link></item>
</channel></rss>"""


def test_a_feed_and_its_items_are_read_in_their_http_charset(fast_options):
    lead = "Лавров и Путин"
    routes = {
        "/robots.txt": ("text/plain", b""),
        "/feed.rss": ("application/rss+xml; charset=windows-1251", CYRILLIC_FEED.encode("cp1251")),
        "/story.html": ("text/html; charset=windows-1251", _page("Story", lead).encode("cp1251")),
    }
    with serving(_Site(routes)) as site:
        [document] = read_sources([site.base + "/feed.rss"], fast_options)
    assert document.hints["title"] == lead
    assert document.hints["outlet"] == "Вечерняя Москва"
    assert lead in _cleaned(document, fast_options)


def _spacing(site: _Site, first: str, second: str) -> float:
    times = dict(site.asked)
    return times[second] - times[first]


# Arrival times at the server jitter by some milliseconds on a loaded machine, hence the margins.
@pytest.mark.parametrize(("crawl_delay", "interval", "spacing"), [(1, 0.0, 0.9), (0, 0.3, 0.25)])
def test_requests_to_a_host_wait_the_longer_of_its_crawl_delay_and_the_interval(fast_options, crawl_delay, interval, spacing):
    options = dataclasses.replace(fast_options, per_host_interval=interval)
    routes = _story_routes(2) | {"/robots.txt": ("text/plain", f"User-agent: *\nCrawl-delay: {crawl_delay}\n".encode())}
    with serving(_Site(routes)) as site, Fetcher(options) as fetcher:
        fetcher.fetch(site.base + "/1.html")
        fetcher.fetch(site.base + "/2.html")
        assert _spacing(site, "/robots.txt", "/1.html") >= spacing
        assert _spacing(site, "/1.html", "/2.html") >= spacing


def test_a_hostile_crawl_delay_is_capped_and_said_once(fast_options, caplog):
    options = dataclasses.replace(fast_options, max_crawl_delay=0.3)
    routes = {"/robots.txt": ("text/plain", b"User-agent: *\nCrawl-delay: 3600\n")}
    routes |= {f"/{n}.html": ("text/html", _page(str(n), "x").encode()) for n in range(3)}
    started = time.monotonic()
    with serving(_Site(routes)) as site, Fetcher(options) as fetcher, caplog.at_level(logging.WARNING):
        for n in range(3):
            fetcher.fetch(f"{site.base}/{n}.html")
        assert _spacing(site, "/1.html", "/2.html") >= 0.25
    assert time.monotonic() - started < 3.0
    host = site.base.removeprefix("http://")
    assert [record.getMessage() for record in caplog.records] == [
        f"E207 robots.txt of {host} asks for 3600s between requests; waiting 0.3s (max_crawl_delay)"
    ]


# --- inputs that used to be dropped without a word, or to stop the run


def _items_feed(count: int, extra: str = "") -> str:
    items = "".join(f"<item><title>Story {n}{extra}</title><link>__BASE__/{n}.html</link></item>\n" for n in range(1, count + 1))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Courier</title>\n{items}</channel></rss>\n'


def _story_routes(count: int) -> dict[str, tuple[str, bytes]]:
    routes = {"/robots.txt": ("text/plain", b"")}
    return routes | {f"/{n}.html": ("text/html; charset=utf-8", _page(f"Story {n}", "Lead.").encode()) for n in range(1, count + 1)}


def test_a_feed_cut_short_yields_its_items_then_says_the_rest_is_lost(fast_options, tmp_path):
    with serving(_Site(_story_routes(4))) as site:
        whole = _items_feed(4).replace("__BASE__", site.base).encode()
        feed = tmp_path / "feed.xml"
        feed.write_bytes(whole[: whole.index(b"<item><title>Story 3")])
        items = list(read_sources([str(feed)], fast_options))
    assert [item.hints["title"] for item in items[:-1]] == ["Story 1", "Story 2"]
    assert items[-1] == Skip(str(feed), "E109 broken feed (cut short after item 2; the rest is lost)")


def test_a_whole_feed_with_a_markup_error_is_read_without_a_false_alarm(fast_options, tmp_path):
    with serving(_Site(_story_routes(2))) as site:
        feed = tmp_path / "feed.xml"
        feed.write_text(_items_feed(2, extra=" & AT&T").replace("__BASE__", site.base), encoding="utf-8")  # a bare &
        items = list(read_sources([str(feed)], fast_options))
    assert [type(item).__name__ for item in items] == ["RawDocument", "RawDocument"]


def test_a_feed_whose_declared_encoding_is_not_text_is_one_e109_and_the_run_goes_on(fast_options, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b'<?xml version="1.0" encoding="\xb4\xdb"?><rss version="2.0"><channel><title>x</title>'
                       b"<item><title>a</title><link>http://127.0.0.1:9/a</link></item></channel></rss>")
    after = tmp_path / "after.txt"
    after.write_text("A plain article that follows the broken feed.\n", encoding="utf-8")
    skip, document = read_sources([str(broken), str(after)], fast_options)
    assert skip.origin == str(broken) and skip.reason.startswith("E109 broken feed (unreadable XML declaration")
    assert isinstance(document, RawDocument)


def test_malformed_urls_are_skips_not_crashes(fast_options, tmp_path):
    with serving(_Site(_story_routes(1))) as site:
        feed = tmp_path / "feed.xml"
        feed.write_text(_items_feed(1).replace("__BASE__/1.html", "http://[broken/1.html")
                        .replace("</channel>", f"<item><title>Fine</title><link>{site.base}/1.html</link></item></channel>"),
                        encoding="utf-8")
        source, bad_item, good_item = read_sources(["http://[oops/news.html", str(feed)], fast_options)
    assert source == Skip("http://[oops/news.html", "E208 not a valid URL (Invalid IPv6 URL)")
    assert bad_item == Skip("http://[broken/1.html", "E208 not a valid URL (Invalid IPv6 URL)")
    assert isinstance(good_item, RawDocument)


def test_a_robots_txt_that_cannot_be_read_forbids_the_site_once_per_run(fast_options):
    with serving(_Site(_story_routes(2), stalls=frozenset({"/robots.txt"}))) as site:
        started = time.monotonic()
        first, second = read_sources([site.base + "/1.html", site.base + "/2.html"], fast_options)
        elapsed = time.monotonic() - started
        asked = [path for path, _ in site.asked]
    assert first.reason == second.reason == (
        "E209 robots.txt could not be read (E202 timed out after 0.5s), so the site is not crawled (RFC 9309)")
    assert asked == ["/robots.txt"]  # the pages are never asked for, and robots.txt only once
    assert elapsed < 2.0

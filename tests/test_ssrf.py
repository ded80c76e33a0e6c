"""Parallax is nobody's proxy: pages, feed items and webhooks aimed at private, loopback or
link-local addresses are refused (E220) unless settings.cfg allows them; webhooks carrying a
user name or password are refused (E608). The suite's own servers are allowed explicitly."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from parallax.errors import Errors, InputError
from parallax.ingest import read_sources
from parallax.ingest.http import Fetcher
from parallax.model import RawDocument, Skip
from parallax.settings import Options
from parallax.store import open_store
from parallax.views.watch import add_watch
from parallax.webhooks import DeliveryPolicy, deliver_alerts


def _refused(options: Options, url: str) -> str:
    with Fetcher(options) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(url)
    return str(caught.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/", "http://0.0.0.0:9/", "http://169.254.169.254/latest/meta-data/",
                                 "http://10.1.2.3/", "http://[::1]:9/", "http://localhost:9/"])
def test_private_destinations_are_refused_by_default(fast_options: Options, url: str) -> None:
    closed = dataclasses.replace(fast_options, allow_private_hosts=())
    assert _refused(closed, url).startswith("E220 refusing ")


def test_an_allowed_address_or_network_is_fetched(web_base: str, fast_options: Options) -> None:
    for allowed in (("127.0.0.1",), ("127.0.0.0/8",)):
        with Fetcher(dataclasses.replace(fast_options, allow_private_hosts=allowed)) as fetcher:
            assert fetcher.fetch(web_base + "/news/bridge-vote.html").body


def test_a_redirect_inward_is_refused(web_base: str, fast_options: Options) -> None:
    """The first hop is allowed (the test server), the redirect's target is not."""
    options = dataclasses.replace(fast_options, allow_private_hosts=("127.0.0.1",))
    with Fetcher(options) as fetcher, pytest.raises(InputError) as caught:
        fetcher.fetch(web_base + "/redirect-metadata")
    assert caught.value.code is Errors.E220


def test_feed_items_linking_to_loopback_are_skipped(tmp_path: Path, fast_options: Options) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>Inside</title><link>http://127.0.0.1:9/admin</link></item>
      <item><title>Metadata</title><link>http://169.254.169.254/latest/</link></item>
    </channel></rss>""", encoding="utf-8")
    found = list(read_sources([str(feed)], dataclasses.replace(fast_options, allow_private_hosts=())))
    assert [type(f) for f in found] == [Skip, Skip]
    assert all(isinstance(f, Skip) and f.reason.startswith("E220 refusing ") for f in found)
    assert not any(isinstance(f, RawDocument) for f in found)


@pytest.mark.parametrize(("webhook", "code"), [
    ("http://127.0.0.1:8000/hook", Errors.E220), ("http://0.0.0.0/hook", Errors.E220),
    ("http://169.254.169.254/hook", Errors.E220), ("https://user:pass@hooks.example.org/x", Errors.E608),
    ("file:///etc/passwd", Errors.E606),
])
def test_webhooks_inward_or_with_credentials_are_refused(tmp_path: Path, webhook: str, code: Errors) -> None:
    with open_store(str(tmp_path / "p.db")) as store, pytest.raises(InputError) as caught:
        add_watch(store, "w", "keyword", "harbour", webhook=webhook)
    assert caught.value.code is code
    with open_store(str(tmp_path / "p.db")) as store:
        assert add_watch(store, "w", "keyword", "harbour", webhook="http://127.0.0.1:8000/hook",
                         allow_private=("127.0.0.1",)).webhook == "http://127.0.0.1:8000/hook"


def test_delivery_checks_the_destination_again(tmp_path: Path) -> None:
    """A webhook saved while allowed is not posted to once the setting no longer allows it."""
    with open_store(str(tmp_path / "p.db")) as store:
        store.add_watch("w", "keyword", "harbour", "http://127.0.0.1:9/hook")
        watch = store.get_watch("w")
        assert watch is not None
        store._run("INSERT INTO articles (id, content_hash, text, origin, ingested_at) VALUES (1, 'h', 'x', 'o', 'now')")
        store.add_alerts([(watch.id, 1, None, "matches harbour")])
        report = deliver_alerts(store, DeliveryPolicy(timeout=1, attempts=1, backoff=0, budget=5))
        assert report.failed == 1 and report.errors[0].endswith("E220 refusing 127.0.0.1: 127.0.0.1 is a private, "
                                                                "loopback or link-local address (allow it in settings.cfg "
                                                                "[http] allow_private_hosts)")

"""Alerts derive from store state: a run killed after storing its articles but before checking
them leaves them unchecked, and the next run raises exactly the alerts an uninterrupted run
raises, once each; articles a concurrent ingest has not yet given a story wait their turn."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import Stores
from parallax import jobs
from parallax.settings import load_options
from parallax.store import Store, open_store
from parallax.views.watch import add_watch

PARAGRAPH = "Officials met on Tuesday to discuss {topic}; the council will publish its findings next month. "


def _inbox(folder: Path, topics: list[str]) -> Path:
    folder.mkdir(exist_ok=True)
    with (folder / f"part{len(list(folder.iterdir()))}.jsonl").open("w", encoding="utf-8") as out:
        for topic in topics:
            out.write(json.dumps({"id": topic, "title": f"Council on {topic}", "text": PARAGRAPH.format(topic=topic) * 3}) + "\n")
    return folder


def _alerts(store: Store) -> list[tuple[str, int]]:
    return [(a.watch, a.article_id or 0) for a in store.recent_alerts(None, 1000)]


def test_a_rerun_raises_the_alerts_a_killed_run_did_not(tmp_path: Path, stores: Stores) -> None:
    options = load_options()
    clean, killed = stores.empty(), stores.empty()
    inbox = _inbox(tmp_path / "inbox", ["harbour tolls", "bus routes", "harbour dredging"])
    for location in (clean, killed):
        with open_store(location) as store:
            add_watch(store, "harbour", "keyword", "harbour")
    with open_store(clean) as store:
        jobs.ingest([str(inbox)], store, options)
        alerts, _ = jobs.raise_alerts(store, options, stories=False)
        assert len(alerts) == 2
        expected = _alerts(store)
    with open_store(killed) as store:
        jobs.ingest([str(inbox)], store, options)  # what a run killed before its alerts leaves
        assert _alerts(store) == []
        again = jobs.ingest([str(inbox)], store, options)  # the rerun: nothing new to store...
        assert again.ingested == 0
        alerts, _ = jobs.raise_alerts(store, options, stories=False)  # ...but the alerts come now
        assert len(alerts) == 2 and _alerts(store) == expected
        assert jobs.raise_alerts(store, options, stories=False)[0] == []  # and only once


def test_articles_without_a_story_yet_are_checked_when_they_have_one(tmp_path: Path, stores: Stores) -> None:
    options = load_options()
    with open_store(stores.empty()) as store:
        add_watch(store, "harbour", "keyword", "harbour")
        jobs.ingest([str(_inbox(tmp_path / "inbox", ["harbour tolls", "harbour fees"]))], store, options)
        assert store.settled_through(stories=True) == 0  # stored, not yet given stories
        assert jobs.raise_alerts(store, options)[0] == []
        assert [w.checked_through for w in store.watches()] == [0]
        store.record_failure(1, "stories", "E198 could not be given a story (test)")
        store.record_failure(1, "stories", "E198 could not be given a story (test)")  # given up on
        assert store.settled_through(stories=True) == 1
        alerts, _ = jobs.raise_alerts(store, options)
        assert [a.article_id for a in alerts] == [1]
        assert [w.checked_through for w in store.watches()] == [1]


def test_a_new_watch_starts_at_the_newest_article(tmp_path: Path, stores: Stores) -> None:
    options = load_options()
    with open_store(stores.empty()) as store:
        jobs.ingest([str(_inbox(tmp_path / "inbox", ["harbour tolls"]))], store, options)
        add_watch(store, "harbour", "keyword", "harbour")
        assert jobs.raise_alerts(store, options, stories=False)[0] == []
        jobs.ingest([str(_inbox(tmp_path / "inbox", ["harbour fees"]))], store, options)
        assert [a.article_id for a in jobs.raise_alerts(store, options, stories=False)[0]] == [2]

"""Stored story views (issue 15): a story's comparison and timeline are kept in the store, read
on the next request instead of computed, made again when the members, their annotations or
the comparison's code change, and made ahead of the pages by ingest. On SQLite and PostgreSQL.

Whether a comparison was computed is counted (calls of ``views.stories._compared``), never timed.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from parallax import jobs
from parallax.store import Store, open_store
from parallax.store.sqlite import SQLiteStore
from parallax.store.gateway import now
from parallax.views import stories

from conftest import Stores


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """The labels of the comparisons computed while the test runs; the in-process memory of views
    starts (and is left) empty, so a view not computed was read from the store."""
    calls: list[object] = []
    real = stories._compared

    def counted(store: Store, articles: list[stories.StoryArticleInfo], label: int | str) -> object:
        calls.append(label)
        return real(store, articles, label)

    monkeypatch.setattr(stories, "_compared", counted)
    stories._VIEWS.clear()
    yield calls
    stories._VIEWS.clear()


def _fresh_copy(stores: Stores, path: Path) -> str:
    """A copy of the store at ``path`` without the views earlier tests stored in it."""
    location = stores.copy_of(path)
    with open_store(location) as store:
        with store.transaction():
            store._run("DELETE FROM story_views")  # type: ignore[attr-defined]
    return location


def _two_article_stories(store: Store) -> list[int]:
    return [s.id for s in stories.list_stories(store, min_articles=2)]


def test_a_stored_view_is_read_on_the_next_request_not_computed(stores: Stores, hand_storied_store: Path,
                                                               made: list[object]) -> None:
    location = _fresh_copy(stores, hand_storied_store)
    with open_store(location) as store:
        story = _two_article_stories(store)[0]
        first = stories.story_view(store, story)
        line = first.storyline_id if first else None
        assert first is not None and first.comparison is not None and line is not None
        first_line = stories.storyline_view(store, line)
    assert made == [story, f"storyline {line}"]
    stories._VIEWS.clear()  # another server worker, or a later process
    with open_store(location) as store:
        again = stories.story_view(store, story)
        again_line = stories.storyline_view(store, line)
    assert made == [story, f"storyline {line}"]  # nothing computed again
    assert again is not None and again.comparison == first.comparison and again.timeline == first.timeline
    assert again_line is not None and first_line is not None and again_line.comparison == first_line.comparison
    assert again.comparison is not None and again.comparison["facts"]  # a real comparison, kept whole


def test_a_view_goes_stale_when_members_annotations_or_the_comparison_change(
        stores: Stores, hand_storied_store: Path, made: list[object], monkeypatch: pytest.MonkeyPatch) -> None:
    location = _fresh_copy(stores, hand_storied_store)
    with open_store(location) as store:
        story = _two_article_stories(store)[0]
        before = stories.story_view(store, story)
        assert before is not None and len(made) == 1
        stories._VIEWS.clear()
        # Re-annotated (a new time on one member's annotation): made again.
        with store.transaction():
            store._run("UPDATE annotations SET annotated_at = ? WHERE article_id = ?",  # type: ignore[attr-defined]
                       ("2099-01-01T00:00:00+00:00", before.articles[0].id))
        assert stories.story_view(store, story) is not None and len(made) == 2
        stories._VIEWS.clear()
        # One member fewer: made again, of the members left.
        with store.transaction():
            store._run("DELETE FROM story_articles WHERE article_id = ?", (before.articles[-1].id,))  # type: ignore[attr-defined]
        fewer = stories.story_view(store, story)
        assert fewer is not None and len(fewer.articles) == len(before.articles) - 1 and len(made) == 3
        stories._VIEWS.clear()
        assert stories.story_view(store, story) is not None and len(made) == 3  # and then read
        stories._VIEWS.clear()
        # Other comparison code: made again, and the stored one replaced.
        monkeypatch.setattr(stories, "_compare_code", lambda: "another version")
        assert stories.story_view(store, story) is not None and len(made) == 4
        stories._VIEWS.clear()
        assert stories.story_view(store, story) is not None and len(made) == 4


def test_the_state_covers_the_comparison_code_version() -> None:
    from parallax.compare import COMPARE_VERSION

    assert stories._compare_code().startswith(f"{COMPARE_VERSION}:")


def test_ingest_stage_makes_the_views_of_the_stories_it_changed(stores: Stores, hand_storied_store: Path,
                                                                made: list[object]) -> None:
    location = _fresh_copy(stores, hand_storied_store)
    with open_store(location) as store:
        seeds, hostile = _two_article_stories(store)
        since = now()
        assert jobs.refresh_story_views(store, store.stories_changed_since(since, 2)) == 0  # nothing changed since
        with store.transaction():
            store._run("UPDATE stories SET updated_at = ? WHERE id = ?", (now(), hostile))  # type: ignore[attr-defined]
        assert jobs.refresh_story_views(store, store.stories_changed_since(since, 2)) == 1 and made == [hostile]
        assert jobs.refresh_story_views(store, store.stories_changed_since(since, 2)) == 0  # made already: not made twice
        stories._VIEWS.clear()
        assert stories.story_view(store, hostile) is not None and made == [hostile]  # the page reads it
        assert stories.story_view(store, seeds) is not None and made == [hostile, seeds]


def test_a_story_that_cannot_be_compared_costs_one_line_and_the_stage_goes_on(
        stores: Stores, hand_storied_store: Path, made: list[object]) -> None:
    location = _fresh_copy(stores, hand_storied_store)
    lines: list[tuple[str, str, str]] = []
    with open_store(location) as store:
        seeds, hostile = _two_article_stories(store)
        broken = next(a.id for a in store.story_members([seeds]) if a.annotated)
        since = now()
        with store.transaction():
            store._run("UPDATE annotations SET json = ? WHERE article_id = ?",  # type: ignore[attr-defined]
                       (json.dumps({"claims": "not a list"}), broken))
            store._run("UPDATE stories SET updated_at = ?", (now(),))  # type: ignore[attr-defined]
        assert jobs.refresh_story_views(store, store.stories_changed_since(since, 2), progress=lambda *line: lines.append(line)) == 1
    assert [(status, origin) for status, origin, _ in lines] == [("failed", f"story {seeds}")]
    assert lines[0][2].startswith("E705 ") and made == [seeds, hostile]


def test_ingest_leaves_every_story_of_two_or_more_articles_with_its_view(bundled_demo_store: Path, tmp_path: Path,
                                                                        made: list[object]) -> None:
    """The real ingest (``parallax demo``): the pages of its stories compare nothing."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(bundled_demo_store, copy)
    with SQLiteStore(copy) as store:
        several = _two_article_stories(store)
        assert len(several) >= 3
        views = [stories.story_view(store, story) for story in several]
    assert made == [] and all(v is not None for v in views)
    assert any(v.comparison is not None and v.comparison["facts"] for v in views if v is not None)


def test_stories_refresh_views_makes_the_missing_ones_once(hand_storied_store: Path, tmp_path: Path,
                                                           made: list[object], capsys: pytest.CaptureFixture[str]) -> None:
    from parallax.cli import main

    copy = tmp_path / "refresh.db"
    shutil.copyfile(hand_storied_store, copy)
    with SQLiteStore(copy) as store:
        store.db.execute("DELETE FROM story_views")
        several = _two_article_stories(store)
    argv = ["stories", "--db", str(copy), "--min-articles", "2", "--refresh-views"]
    assert main(argv) == 0
    assert capsys.readouterr().err == f"{len(several)} story views made, 0 already current or failed\n"
    assert main(argv) == 0
    assert capsys.readouterr().err == f"0 story views made, {len(several)} already current or failed\n"
    assert sorted(made) == sorted(several)

"""Stories and storylines as the store holds them, with each one's comparison and timeline.

A story that was merged into another (``stories.merged_into``) is shown as the story it became,
and its articles count there. An article folded as a near-copy of another (``copy_of``) is
listed with the story but left out of its comparison: a reprint of a wire story is the wire's
telling, not a second outlet agreeing with it. Only annotated articles can be compared.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from parallax.clean.outlets import outlet_profile
from parallax.store import SQLiteStore
from parallax.views.compare import StoryArticle, compare_story, tellings
from parallax.views.timeline import timeline

STORIES_PAGE = 50


@dataclass(frozen=True)
class StorySummary:
    id: int
    title: str | None
    storyline_id: int | None
    first_published: str | None
    last_published: str | None
    articles: int
    outlets: list[str]


@dataclass(frozen=True)
class StoryArticleInfo:
    """An article of a story with its outlet as the registry describes it."""

    id: int
    title: str | None
    outlet: str | None
    outlet_country: str | None
    outlet_kind: str | None
    published: str | None
    published_granularity: str | None
    url: str | None
    story_id: int
    copy_of: int | None
    annotated: bool


@dataclass(frozen=True)
class StoryView:
    id: int
    title: str | None
    storyline_id: int | None
    articles: list[StoryArticleInfo]
    comparison: dict[str, Any] | None  # None: fewer than two annotated articles to compare
    timeline: list[dict[str, Any]] = field(default_factory=list)
    merged_from: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StorylineView:
    id: int
    title: str | None
    stories: list[StorySummary]
    articles: list[StoryArticleInfo]
    comparison: dict[str, Any] | None
    timeline: list[dict[str, Any]] = field(default_factory=list)


def list_stories(store: SQLiteStore, *, limit: int = STORIES_PAGE, offset: int = 0, min_articles: int = 1) -> list[StorySummary]:
    """Stories (as merged) with the most articles first, then the most recent."""
    rows = store.db.execute(
        f"""{_SUMMARY_SELECT} WHERE s.merged_into IS NULL GROUP BY s.id HAVING count(a.id) >= ?
            ORDER BY count(a.id) DESC, max(a.published) DESC, s.id LIMIT ? OFFSET ?""",
        (min_articles, limit, offset),
    )
    return [_summary(r) for r in rows]


def count_stories(store: SQLiteStore) -> int:
    return int(store.db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0])


def story_view(store: SQLiteStore, story_id: int) -> StoryView | None:
    """One story: its articles with outlet metadata, the comparison and the timeline."""
    final = store.resolve_story(story_id)
    if final is None:
        return None
    row = store.db.execute("SELECT id, title, storyline_id FROM stories WHERE id = ?", (final,)).fetchone()
    members = _merged_members(store.db, final)
    articles = _articles(store.db, "sa.story_id IN (%s)" % ",".join("?" * len(members)), members)
    comparison, events = _compare(store, articles, final)
    return StoryView(row["id"], row["title"] or _first_title(articles), row["storyline_id"], articles, comparison, events,
                     merged_from=[m for m in members if m != final])


def storyline_view(store: SQLiteStore, storyline_id: int) -> StorylineView | None:
    """One storyline: its stories, all their articles compared together, and its timeline."""
    row = store.db.execute("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,)).fetchone()
    if row is None:
        return None
    stories = [
        _summary(r) for r in store.db.execute(
            f"""{_SUMMARY_SELECT} WHERE s.storyline_id = ? AND s.merged_into IS NULL GROUP BY s.id
                ORDER BY min(a.published), s.id""",
            (storyline_id,),
        )
    ]
    articles = _articles(store.db, "s.storyline_id = ?", [storyline_id])
    comparison, events = _compare(store, articles, f"storyline {storyline_id}")
    return StorylineView(row["id"], row["title"] or _first_title(articles), stories, articles, comparison, events)


def find_storyline(store: SQLiteStore, query: str) -> int | None:
    """The storyline a query names: its id; else the storyline most articles mentioning an entity
    of that name belong to; else the one the best full-text matches belong to."""
    db = store.db
    if query.strip().isdigit():
        row = db.execute("SELECT id FROM storylines WHERE id = ?", (int(query),)).fetchone()
        if row:
            return int(row[0])
    row = db.execute(
        """SELECT s.storyline_id FROM entities e JOIN entity_mentions m ON m.entity_id = e.id
           JOIN story_articles sa ON sa.article_id = m.article_id JOIN stories s ON s.id = sa.story_id
           WHERE lower(e.name) = lower(?) AND s.storyline_id IS NOT NULL
           GROUP BY s.storyline_id ORDER BY count(DISTINCT m.article_id) DESC, count(*) DESC LIMIT 1""",
        (query.strip(),),
    ).fetchone()
    if row:
        return int(row[0])
    words = re.findall(r"\w+", query)
    if not words:
        return None
    match = " ".join(f'"{w}"' for w in words)
    row = db.execute(
        """SELECT s.storyline_id FROM articles_fts f JOIN story_articles sa ON sa.article_id = f.rowid
           JOIN stories s ON s.id = sa.story_id WHERE articles_fts MATCH ? AND s.storyline_id IS NOT NULL
           GROUP BY s.storyline_id ORDER BY min(f.rank) LIMIT 1""",
        (match,),
    ).fetchone()
    return int(row[0]) if row else None


def story_articles_for_comparison(store: SQLiteStore, articles: list[StoryArticleInfo]) -> list[StoryArticle]:
    """The annotated originals (no copies) of a story, as the comparison takes them."""
    chosen = []
    for info in articles:
        if info.copy_of is not None or not info.annotated:
            continue
        annotation = store.annotation(info.id)
        if annotation is not None:
            chosen.append(StoryArticle(str(info.id), annotation, info.outlet, info.published, info.title))
    return chosen


# --- internals -------------------------------------------------------------------------------
# Every story's articles count for the story its merges lead to (``root``).
_SUMMARY_SELECT = """
    WITH RECURSIVE root(id, root) AS (
        SELECT id, id FROM stories WHERE merged_into IS NULL
        UNION ALL SELECT m.id, root.root FROM stories m JOIN root ON m.merged_into = root.id)
    SELECT s.id, s.title, s.storyline_id, min(a.published) AS first_published, max(a.published) AS last_published,
           count(a.id) AS articles, group_concat(DISTINCT a.outlet) AS outlets,
           (SELECT a2.title FROM root r2 JOIN story_articles sa2 ON sa2.story_id = r2.id
            JOIN articles a2 ON a2.id = sa2.article_id WHERE r2.root = s.id
            ORDER BY a2.published IS NULL, a2.published, a2.id LIMIT 1) AS first_title
    FROM stories s JOIN root ON root.root = s.id JOIN story_articles sa ON sa.story_id = root.id
    JOIN articles a ON a.id = sa.article_id"""


def _summary(row: sqlite3.Row) -> StorySummary:
    outlets = sorted(set((row["outlets"] or "").split(","))) if row["outlets"] else []
    return StorySummary(row["id"], row["title"] or row["first_title"], row["storyline_id"], row["first_published"],
                        row["last_published"], row["articles"], outlets)


def _first_title(articles: list[StoryArticleInfo]) -> str | None:
    """A story without a title of its own is called by its first article's."""
    return next((a.title for a in articles if a.title), None)


def _merged_members(db: sqlite3.Connection, final: int) -> list[int]:
    """``final`` and every story whose merges lead into it."""
    members, frontier = [final], [final]
    while frontier:
        found = [int(r[0]) for r in db.execute(
            "SELECT id FROM stories WHERE merged_into IN (%s)" % ",".join("?" * len(frontier)), frontier)]
        found = [f for f in found if f not in members]
        members += found
        frontier = found
    return members


def _articles(db: sqlite3.Connection, where: str, params: list[Any]) -> list[StoryArticleInfo]:
    rows = db.execute(
        f"""SELECT a.id, a.title, a.outlet, a.published, a.published_granularity, a.url, sa.story_id, sa.copy_of,
                   n.article_id IS NOT NULL AS annotated
            FROM story_articles sa JOIN stories s ON s.id = sa.story_id JOIN articles a ON a.id = sa.article_id
            LEFT JOIN annotations n ON n.article_id = a.id
            WHERE {where} ORDER BY a.published IS NULL, a.published, a.id""",
        params,
    )
    infos = []
    for r in rows:
        profile = outlet_profile(r["outlet"], r["url"])
        infos.append(StoryArticleInfo(
            r["id"], r["title"], r["outlet"], profile.country if profile else None, profile.kind if profile else None,
            r["published"], r["published_granularity"], r["url"], r["story_id"], r["copy_of"], bool(r["annotated"]),
        ))
    return infos


def _compare(store: SQLiteStore, articles: list[StoryArticleInfo], label: int | str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    chosen = story_articles_for_comparison(store, articles)
    told = [t for article in chosen for t in tellings(article)]
    comparison = compare_story(chosen, label, told) if len(chosen) >= 2 else None
    return comparison, timeline(chosen, told)

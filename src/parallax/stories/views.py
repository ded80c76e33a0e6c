"""Reading stories back from the store: the list (`parallax stories`) and one story (`parallax show`).

A story that was merged into another is shown as the story it lives in now (``merged_into``
is followed), with the ids it absorbed listed. Copies are folded under the article they copy,
each keeping its outlet and URL; every URL an article was seen at (its sightings) is kept too.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from parallax.errors import Errors, ParallaxError
from parallax.store import SQLiteStore


def live_story(db: sqlite3.Connection, story: int) -> int | None:
    """The story ``story`` lives in now (itself unless merged); None when there is no such story."""
    seen: set[int] = set()
    while story not in seen:
        seen.add(story)
        row = db.execute("SELECT merged_into FROM stories WHERE id = ?", (story,)).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return story
        story = int(row[0])
    return story


def list_stories(store: SQLiteStore, limit: int | None = None) -> list[dict[str, Any]]:
    """Live stories, newest first: id, title, article and copy counts, outlets, dates, storyline."""
    rows = store.db.execute(
        """SELECT st.id, st.title, st.first_published, st.last_published, st.storyline_id,
                   sl.title AS storyline_title,
                   count(sa.article_id) AS articles, count(sa.copy_of) AS copies,
                   group_concat(DISTINCT a.outlet) AS outlets
            FROM stories st JOIN story_articles sa ON sa.story_id = st.id
            JOIN articles a ON a.id = sa.article_id
            LEFT JOIN storylines sl ON sl.id = st.storyline_id
            WHERE st.merged_into IS NULL
            GROUP BY st.id ORDER BY coalesce(st.last_published, '') DESC, st.id DESC LIMIT ?""",
        (-1 if limit is None else limit,)).fetchall()
    return [{
        "id": r["id"], "title": r["title"], "articles": r["articles"], "copies": r["copies"],
        "outlets": sorted(filter(None, (r["outlets"] or "").split(","))),
        "first_published": r["first_published"], "last_published": r["last_published"],
        "storyline": {"id": r["storyline_id"], "title": r["storyline_title"]},
    } for r in rows]


def show_story(store: SQLiteStore, story_id: int) -> dict[str, Any]:
    """One story with its articles (copies folded under their original) and its storyline."""
    db = store.db
    live = live_story(db, story_id)
    if live is None:
        raise ParallaxError(Errors.E701, value=story_id)
    story = db.execute("SELECT * FROM stories WHERE id = ?", (live,)).fetchone()
    members = db.execute(
        """SELECT a.id, a.title, a.outlet, a.url, a.published, a.language, sa.copy_of
           FROM story_articles sa JOIN articles a ON a.id = sa.article_id
           WHERE sa.story_id = ? ORDER BY coalesce(a.published, ''), a.id""", (live,)).fetchall()
    urls: dict[int, list[str]] = {}
    for article_id, url in db.execute(
            """SELECT si.article_id, si.url FROM sightings si JOIN story_articles sa ON sa.article_id = si.article_id
               WHERE sa.story_id = ? AND si.url IS NOT NULL ORDER BY si.id""", (live,)):
        urls.setdefault(int(article_id), []).append(url)

    def article(row: sqlite3.Row) -> dict[str, Any]:
        seen_at = [u for u in dict.fromkeys([row["url"], *urls.get(row["id"], [])]) if u]
        return {"id": row["id"], "title": row["title"], "outlet": row["outlet"], "url": row["url"],
                "published": row["published"], "language": row["language"], "seen_at": seen_at}

    originals = {r["id"]: {**article(r), "copies": []} for r in members if r["copy_of"] is None}
    for row in members:
        if row["copy_of"] is not None:
            original = originals.get(row["copy_of"])
            # A copy whose original sits in another story (merges never split, so rare) stands alone.
            if original is None:
                originals[row["id"]] = {**article(row), "copies": [], "copy_of": row["copy_of"]}
            else:
                original["copies"].append(article(row))
    merged = [int(r[0]) for r in db.execute(
        "SELECT from_story FROM story_merges WHERE into_story = ? ORDER BY id", (live,))]
    storyline = db.execute("SELECT id, title FROM storylines WHERE id = ?", (story["storyline_id"],)).fetchone()
    siblings = db.execute(
        """SELECT st.id, st.title, st.first_published, st.last_published, count(sa.article_id) AS articles
            FROM stories st JOIN story_articles sa ON sa.story_id = st.id
            WHERE st.storyline_id = ? AND st.merged_into IS NULL
            GROUP BY st.id ORDER BY coalesce(st.first_published, ''), st.id""", (story["storyline_id"],)).fetchall()
    outlets = sorted({a["outlet"] for a in members if a["outlet"]})
    return {
        "id": live, "requested": story_id, "title": story["title"],
        "first_published": story["first_published"], "last_published": story["last_published"],
        "outlets": outlets, "merged_from": merged,
        "articles": list(originals.values()),
        "storyline": {
            "id": storyline["id"] if storyline else None, "title": storyline["title"] if storyline else None,
            "stories": [{"id": s["id"], "title": s["title"], "articles": s["articles"],
                         "first_published": s["first_published"], "last_published": s["last_published"]}
                        for s in siblings],
        },
    }

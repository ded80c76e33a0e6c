"""One story as `parallax show STORY` gives it: its articles, copies folded under the article
they copy with every outlet and URL kept, and the storyline it belongs to.

(`views/stories.py` lists stories and compares their articles; this view is the fold: who ran
which text where.) A story merged into another is shown as the story it lives in now, with the
ids it absorbed.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from parallax.errors import Errors, ParallaxError
from parallax.store import SQLiteStore


def storyline_titles(store: SQLiteStore, storyline_ids: Iterable[int | None]) -> dict[int, str | None]:
    """Titles of the given storylines."""
    ids = sorted({i for i in storyline_ids if i is not None})
    if not ids:
        return {}
    rows = store.db.execute(f"SELECT id, title FROM storylines WHERE id IN ({','.join('?' * len(ids))})", ids)
    return {int(r[0]): r[1] for r in rows}


def show_story(store: SQLiteStore, story_id: int) -> dict[str, Any]:
    """One story with its articles (copies folded under their original) and its storyline."""
    db = store.db
    live = store.resolve_story(story_id)
    if live is None:
        raise ParallaxError(Errors.E701, value=story_id)
    story = db.execute("SELECT * FROM stories WHERE id = ?", (live,)).fetchone()
    members = db.execute(
        """SELECT a.id, a.title, a.outlet, a.url, a.published, a.language, sa.copy_of
           FROM story_articles sa JOIN articles a ON a.id = sa.article_id
           WHERE sa.story_id = ? ORDER BY a.published IS NULL, a.published, a.id""", (live,)).fetchall()
    seen_at: dict[int, list[str]] = {}
    for article_id, url in db.execute(
            """SELECT si.article_id, si.url FROM sightings si JOIN story_articles sa ON sa.article_id = si.article_id
               WHERE sa.story_id = ? AND si.url IS NOT NULL ORDER BY si.id""", (live,)):
        seen_at.setdefault(int(article_id), []).append(url)

    def article(row: sqlite3.Row) -> dict[str, Any]:
        urls = [u for u in dict.fromkeys([row["url"], *seen_at.get(row["id"], [])]) if u]
        return {"id": row["id"], "title": row["title"], "outlet": row["outlet"], "url": row["url"],
                "published": row["published"], "language": row["language"], "seen_at": urls}

    originals = {r["id"]: {**article(r), "copies": []} for r in members if r["copy_of"] is None}
    for row in members:
        if row["copy_of"] is None:
            continue
        if row["copy_of"] in originals:
            originals[row["copy_of"]]["copies"].append(article(row))
        else:  # its original lives in another story: the copy stands on its own here
            originals[row["id"]] = {**article(row), "copies": [], "copy_of": row["copy_of"]}
    merged = [int(r[0]) for r in db.execute("SELECT from_story FROM story_merges WHERE into_story = ? ORDER BY id", (live,))]
    siblings = db.execute(
        """SELECT st.id, st.title, st.first_published, st.last_published, count(sa.article_id) AS articles
           FROM stories st JOIN story_articles sa ON sa.story_id = st.id
           WHERE st.storyline_id = ? AND st.merged_into IS NULL
           GROUP BY st.id ORDER BY st.first_published IS NULL, st.first_published, st.id""",
        (story["storyline_id"],)).fetchall()
    return {
        "id": live, "requested": story_id, "title": story["title"],
        "first_published": story["first_published"], "last_published": story["last_published"],
        "outlets": sorted({a["outlet"] for a in members if a["outlet"]}), "merged_from": merged,
        "articles": list(originals.values()),
        "storyline": {
            "id": story["storyline_id"],
            "title": storyline_titles(store, [story["storyline_id"]]).get(story["storyline_id"]),
            "stories": [dict(s) for s in siblings],
        },
    }

"""Stories and storylines in the store: what story assignment writes and reads back to rebuild
its clusterer, and what the story pages and commands read.

A story merged into another keeps its row with ``merged_into`` set (merges can chain); its
articles are re-filed under the story it merged into. Titles are set by the stories stage
(``stories/store.py``); this module only stores them.
"""
from __future__ import annotations

import json
import time
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from parallax.errors import Errors, StoreError
from parallax.model import (
    AssignedArticle, IndexCheckpoint, PublicationDate, SearchFilters, Story, StoryMatch, StoryMember, Storyline,
    StorySummary,
)
from parallax.store.gateway import Gateway, now
from parallax.store.sql_articles import GIVE_UP_AFTER
from parallax.store.sql_search import filter_sets

# Parts a stored index checkpoint is written in (a value in SQLite is at most 1 GB), a part a
# transaction: small, so an assigner writing articles beside the checkpoint's writer (a thread
# of its own, ``stories/store.py``) waits a few milliseconds at most for SQLite's write lock.
INDEX_PART_BYTES = 4 << 20
# A checkpoint's parts are numbered from its ``first_part``, which alternates between 0 and
# this: the next one is written beside the current one, which stays whole until it replaces it.
INDEX_PART_RANGE = 1 << 20

_STORY_COLUMNS = "id, storyline_id, title, first_published, last_published, merged_into"


class StoriesSQL(Gateway):
    """Story assignment's state and the story pages."""

    # -- what assignment reads ---------------------------------------------------------------
    def articles_without_story(self) -> list[int]:
        """Articles not yet given a story, oldest id first, but those assignment has failed on
        ``GIVE_UP_AFTER`` times."""
        return self._ids(f"""SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id
                            WHERE s.article_id IS NULL AND NOT EXISTS (SELECT 1 FROM article_failures f
                                  WHERE f.article_id = a.id AND f.stage = 'stories' AND f.attempts >= {GIVE_UP_AFTER})
                            ORDER BY a.id""")

    def assigned_without_vector(self, model: str) -> list[int]:
        """Articles with a story but no stored vector of ``model``."""
        return self._ids(
            """SELECT s.article_id FROM story_articles s LEFT JOIN article_vectors v ON v.article_id = s.article_id
               WHERE v.vector IS NULL OR v.model != ? ORDER BY s.article_id""", (model,))

    def assigned_articles(self) -> list[AssignedArticle]:
        """Every article with a story, by id, with what assignment kept of it."""
        rows = self._run(
            """SELECT s.article_id, s.story_id, a.published, a.published_granularity, v.vector,
                      g.sketch, g.shingles, g.days, g.entities
               FROM story_articles s JOIN articles a ON a.id = s.article_id
               LEFT JOIN article_vectors v ON v.article_id = s.article_id
               LEFT JOIN article_signals g ON g.article_id = s.article_id
               ORDER BY s.article_id""")
        return [
            AssignedArticle(
                int(r[0]), int(r[1]), PublicationDate(r[2], r[3] or "", "store") if r[2] else None,
                bytes(r[4]) if r[4] is not None else None, bytes(r[5]) if r[5] is not None else None,
                int(r[6] or 0), json.loads(r[7] or "[]"), json.loads(r[8] or "[]"),
            )
            for r in rows
        ]

    def vectors(self, model: str, article_ids: Sequence[int]) -> dict[int, bytes]:
        """The stored ``model`` vectors of these articles (those it has)."""
        return {int(r[0]): bytes(r[1]) for r in self._run(
            f"SELECT article_id, vector FROM article_vectors WHERE model = ? AND {self._in_ids('article_id')}",
            (model, self._id_list(article_ids)))}

    def save_vectors(self, model: str, vectors: Iterable[tuple[int, bytes]]) -> None:
        with self.transaction():
            self._run_many(
                """INSERT INTO article_vectors (article_id, model, vector) VALUES (?, ?, ?)
                   ON CONFLICT (article_id) DO UPDATE SET model = excluded.model, vector = excluded.vector""",
                [(article_id, model, vector) for article_id, vector in vectors])

    def index_checkpoint(self) -> IndexCheckpoint | None:
        row = self._one("SELECT format, articles, digest FROM story_index WHERE id = 1")
        return IndexCheckpoint(row[0], int(row[1]), row[2]) if row else None

    def index_checkpoint_data(self) -> bytes:
        return b"".join(bytes(r[0]) for r in self._run(
            """SELECT p.data FROM story_index i JOIN story_index_parts p
               ON p.part >= i.first_part AND p.part < i.first_part + ? WHERE i.id = 1 ORDER BY p.part""",
            (INDEX_PART_RANGE,)))

    def save_index_checkpoint(self, checkpoint: IndexCheckpoint, data: bytes) -> None:
        """Replace the stored index checkpoint. Its parts are written beside the current
        checkpoint's, a part a transaction, then it becomes the stored one in one transaction,
        and the old parts are dropped a part a transaction: a reader (or a restart after a kill)
        finds the old checkpoint or the new one, whole. Inside a caller's transaction, all of it
        is that transaction."""
        current = self._value("SELECT first_part FROM story_index WHERE id = 1") or 0
        first = INDEX_PART_RANGE if current == 0 else 0
        view = memoryview(data)
        self._drop_index_parts(first)  # what a write killed midway left
        for n, start in enumerate(range(0, len(data), INDEX_PART_BYTES)):
            began = time.perf_counter()
            with self.transaction():
                self._run("INSERT INTO story_index_parts (part, data) VALUES (?, ?)", (first + n, view[start:start + INDEX_PART_BYTES]))
            self._let_writers_in(time.perf_counter() - began)
        with self.transaction():
            self._run(
                """INSERT INTO story_index (id, format, articles, digest, written_at, first_part) VALUES (1, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET format = excluded.format, articles = excluded.articles,
                   digest = excluded.digest, written_at = excluded.written_at, first_part = excluded.first_part""",
                (checkpoint.format, checkpoint.articles, checkpoint.digest, now(), first))
        self._drop_index_parts(INDEX_PART_RANGE - first)

    def _drop_index_parts(self, first: int) -> None:
        """Delete the parts numbered from ``first``, a part a transaction."""
        for part in [int(r[0]) for r in self._run("SELECT part FROM story_index_parts WHERE part >= ? AND part < ?",
                                                   (first, first + INDEX_PART_RANGE))]:
            began = time.perf_counter()
            with self.transaction():
                self._run("DELETE FROM story_index_parts WHERE part = ?", (part,))
            self._let_writers_in(time.perf_counter() - began)

    def live_stories(self) -> list[Story]:
        """Stories not merged into another, by id."""
        return [_story(r) for r in self._run(
            f"SELECT {_STORY_COLUMNS} FROM stories WHERE merged_into IS NULL ORDER BY id")]

    def principal_entities(self, article_id: int, types: Sequence[str], limit: int) -> list[str]:
        """Names of the article's most mentioned entities of these types (first mention breaks ties)."""
        return [r[0] for r in self._run(
            f"""SELECT e.name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                WHERE m.article_id = ? AND e.type IN ({','.join('?' * len(types))})
                GROUP BY e.id ORDER BY count(*) DESC, min(m.start) LIMIT ?""",
            (article_id, *types, limit))]

    # -- what assignment writes -----------------------------------------------------------------
    def new_story(self) -> int:
        """A new story in a storyline of its own."""
        stamp = now()
        with self.transaction():
            storyline = self._value("INSERT INTO storylines (updated_at) VALUES (?) RETURNING id", (stamp,))
            return int(self._value("INSERT INTO stories (storyline_id, updated_at) VALUES (?, ?) RETURNING id",
                                   (storyline, stamp)))

    def file_article(self, article_id: int, story: int, *, merged: Sequence[int] = (),
                     linked: Sequence[tuple[int, int]] = (), copy_of: int | None = None, title: str | None = None,
                     sketch: bytes | None = None, shingles: int = 0, days: Sequence[str] = (),
                     entities: Sequence[str] = ()) -> None:
        """File an article under ``story``: fold the ``merged`` stories into it, join the storylines
        of each ``linked`` pair of stories, keep it as a copy of ``copy_of`` (an article that is
        itself a copy stands for its original), and keep its signals for a restart. A titled
        original (no copy, a title) or a merge leaves the story's title stale until
        ``set_story_titles`` chooses it again."""
        stamp = now()
        stale = 1 if merged or (copy_of is None and title) else 0
        with self.transaction():
            for folded in merged:
                self._run("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (story, folded))
                self._run("UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?", (story, stamp, folded))
                self._run("INSERT INTO story_merges (from_story, into_story, bridging_article, at) VALUES (?,?,?,?)",
                          (folded, story, article_id, stamp))
            for kept, folded in linked:
                self._join_storylines(kept, folded, stamp)
            if copy_of is not None:
                copy_of = self._value("SELECT coalesce(copy_of, article_id) FROM story_articles WHERE article_id = ?",
                                      (copy_of,)) or copy_of
            self._run("INSERT INTO story_articles (article_id, story_id, copy_of, added_at) VALUES (?,?,?,?)",
                      (article_id, story, copy_of, stamp))
            if merged:
                self._run(
                    """UPDATE stories SET title = COALESCE(title, ?), updated_at = ?, title_stale = 1,
                           first_published = (SELECT min(a.published) FROM story_articles s JOIN articles a ON a.id = s.article_id
                                              WHERE s.story_id = stories.id),
                           last_published = (SELECT max(a.published) FROM story_articles s JOIN articles a ON a.id = s.article_id
                                             WHERE s.story_id = stories.id)
                       WHERE id = ?""", (title or None, stamp, story))
            else:
                # One article more: the story's span widens to its day (what min/max over every
                # member gives, without reading every member: a story's size is not a cost here).
                self._run(
                    """UPDATE stories SET title = COALESCE(title, ?), updated_at = ?, title_stale = CASE WHEN ? = 1 THEN 1 ELSE title_stale END,
                           first_published = CASE WHEN first_published IS NULL OR
                                   (SELECT published FROM articles WHERE id = ?) < first_published
                               THEN coalesce((SELECT published FROM articles WHERE id = ?), first_published)
                               ELSE first_published END,
                           last_published = CASE WHEN last_published IS NULL OR
                                   (SELECT published FROM articles WHERE id = ?) > last_published
                               THEN coalesce((SELECT published FROM articles WHERE id = ?), last_published)
                               ELSE last_published END
                       WHERE id = ?""", (title or None, stamp, stale, *[article_id] * 4, story))
            self._run(
                """INSERT INTO article_signals (article_id, sketch, shingles, days, entities) VALUES (?,?,?,?,?)
                   ON CONFLICT (article_id) DO UPDATE SET sketch = excluded.sketch, shingles = excluded.shingles,
                   days = excluded.days, entities = excluded.entities""",
                (article_id, sketch, shingles, json.dumps(list(days)), json.dumps(list(entities), ensure_ascii=False)))

    def _join_storylines(self, kept_story: int, folded_story: int, stamp: str) -> None:
        """Fold the storyline of one story into another's."""
        lines = {int(r[0]): r[1] for r in self._run(
            "SELECT id, storyline_id FROM stories WHERE id IN (?, ?)", (kept_story, folded_story))}
        kept, folded = lines[kept_story], lines[folded_story]
        if kept == folded:
            return
        self._run("UPDATE stories SET storyline_id = ? WHERE storyline_id = ?", (kept, folded))
        self._run("DELETE FROM storylines WHERE id = ?", (folded,))
        self._run("UPDATE storylines SET updated_at = ? WHERE id = ?", (stamp, kept))

    def central_title_candidates(self, story: int, model: str) -> list[tuple[str, bytes]]:
        """(title, stored vector) of the story's titled originals, by id."""
        return [(r[0], bytes(r[1])) for r in self._run(
            """SELECT a.title, v.vector FROM story_articles s JOIN articles a ON a.id = s.article_id
               JOIN article_vectors v ON v.article_id = s.article_id
               WHERE s.story_id = ? AND s.copy_of IS NULL AND v.model = ? AND coalesce(a.title, '') != ''
               ORDER BY s.article_id""", (story, model))]

    def storyline_story_titles(self, storyline: int) -> list[tuple[int, str, int]]:
        """(story id, title, articles) of the storyline's titled live stories, by id."""
        return [(int(r[0]), r[1], int(r[2])) for r in self._run(
            """SELECT st.id, st.title, count(sa.article_id) FROM stories st
               LEFT JOIN story_articles sa ON sa.story_id = st.id
               WHERE st.storyline_id = ? AND st.merged_into IS NULL AND st.title IS NOT NULL
               GROUP BY st.id ORDER BY st.id""", (storyline,))]

    def storyline_titled_stories(self, storyline: int) -> list[tuple[int, str]]:
        """(story id, title) of the storyline's titled live stories, by id."""
        return [(int(r[0]), r[1]) for r in self._run(
            """SELECT id, title FROM stories WHERE storyline_id = ? AND merged_into IS NULL AND title IS NOT NULL
               ORDER BY id""", (storyline,))]

    def stale_titles(self, stories: Collection[int]) -> list[int]:
        """Those of these stories whose title may no longer be their central original's."""
        return self._ids(f"SELECT id FROM stories WHERE {self._in_ids('id')} AND title_stale = 1 ORDER BY id",
                         (self._id_list(stories),))

    def set_story_titles(self, titles: dict[int, str], chosen: Collection[int] = ()) -> None:
        """Set these titles; the stories ``chosen`` (those titled, and any whose title was chosen
        again and kept) are no longer stale."""
        self._run_many("UPDATE stories SET title = ? WHERE id = ?", [(t, s) for s, t in titles.items()])
        self._run_many("UPDATE stories SET title_stale = 0 WHERE id = ?", [(s,) for s in {*titles, *chosen}])

    def set_storyline_titles(self, titles: dict[int, str | None]) -> None:
        stamp = now()
        self._run_many("UPDATE storylines SET title = ?, updated_at = ? WHERE id = ?",
                       [(t, stamp, line) for line, t in titles.items()])

    # -- reading stories --------------------------------------------------------------------
    def get_story(self, story_id: int) -> Story | None:
        row = self._one(f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = ?", (story_id,))
        return _story(row) if row else None

    def get_storyline(self, storyline_id: int) -> Storyline | None:
        row = self._one("SELECT id, title FROM storylines WHERE id = ?", (storyline_id,))
        return Storyline(int(row[0]), row[1]) if row else None

    def merged_stories(self) -> dict[int, int]:
        """Every merged story and the one it merged into."""
        return {int(r[0]): int(r[1]) for r in self._run("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL")}

    def resolve_story(self, story_id: int) -> int | None:
        """The story ``story_id`` became after merges; None if there is no such story."""
        seen = set()
        current: int | None = story_id
        while current is not None and current not in seen:
            seen.add(current)
            row = self._one("SELECT merged_into FROM stories WHERE id = ?", (current,))
            if row is None:
                return None
            if row[0] is None:
                return current
            current = int(row[0])
        return current

    def merged_members(self, final: int) -> list[int]:
        """``final`` and every story whose merges lead into it."""
        members, frontier = [final], [final]
        while frontier:
            found = [f for f in self._ids(f"SELECT id FROM stories WHERE {self._in_ids('merged_into')}",
                                          (self._id_list(frontier),)) if f not in members]
            members += found
            frontier = found
        return members

    def merged_from(self, story_id: int) -> list[int]:
        """The stories merged straight into this one, in the order they were."""
        return self._ids("SELECT from_story FROM story_merges WHERE into_story = ? ORDER BY id", (story_id,))

    def story_members(self, story_ids: Sequence[int]) -> list[StoryMember]:
        """The articles filed under these stories, oldest first (undated last)."""
        return self._members(self._in_ids("sa.story_id"), self._id_list(story_ids))

    def storyline_members(self, storyline_id: int) -> list[StoryMember]:
        """The articles of every story of the storyline, oldest first (undated last)."""
        return self._members("s.storyline_id = ?", storyline_id)

    def _members(self, where: str, param: object) -> list[StoryMember]:
        rows = self._run(
            f"""SELECT a.id, a.title, a.outlet, a.url, a.published, a.published_granularity, a.language, sa.story_id,
                       sa.copy_of, n.article_id IS NOT NULL, a.authors, n.version || ' ' || n.annotated_at
                FROM story_articles sa JOIN stories s ON s.id = sa.story_id JOIN articles a ON a.id = sa.article_id
                LEFT JOIN annotations n ON n.article_id = a.id
                WHERE {where} ORDER BY a.published IS NULL, a.published, a.id""",
            (param,),
        )
        return [StoryMember(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]), json.loads(r[10]), r[11])
                for r in rows]

    # -- stored views of story pages (views/stories.py) -------------------------------------
    def stored_view(self, kind: str, subject: int, state: str) -> str | None:
        """The JSON view of ``kind`` ("story" or "storyline") ``subject`` kept for members and
        code in ``state``; None when none is kept or the one kept was made for another state."""
        return self._value("SELECT view FROM story_views WHERE kind = ? AND subject = ? AND state = ?",
                           (kind, subject, state))

    def keep_view(self, kind: str, subject: int, state: str, view: str, *, wait: float | None = None) -> bool:
        """Keep ``view`` as the one of ``subject`` in ``state`` (replacing any older one). With
        ``wait``, give up (False) rather than wait longer than that many seconds for another
        writer: a page being served must not queue behind an ingest's write for a cache."""
        try:
            with self._waiting_at_most(wait), self.transaction():
                self._run(
                    """INSERT INTO story_views (kind, subject, state, view, made_at) VALUES (?,?,?,?,?)
                       ON CONFLICT (kind, subject) DO UPDATE SET state = excluded.state, view = excluded.view,
                       made_at = excluded.made_at""", (kind, subject, state, view, now()))
        except StoreError as exc:
            if wait is None or exc.code is not Errors.E308:
                raise
            return False
        return True

    def stories_changed_since(self, stamp: str, min_articles: int) -> list[int]:
        """Live stories of at least ``min_articles`` articles that were filed into, merged into or
        had an article annotated at or after ``stamp`` (the store's time, ``gateway.now``)."""
        return self._ids(
            """SELECT s.id FROM stories s JOIN story_articles sa ON sa.story_id = s.id
               LEFT JOIN annotations n ON n.article_id = sa.article_id
               WHERE s.merged_into IS NULL GROUP BY s.id
               HAVING count(*) >= ? AND (max(s.updated_at) >= ? OR max(n.annotated_at) >= ?) ORDER BY s.id""",
            (min_articles, stamp, stamp))

    def story_sighting_urls(self, story_id: int) -> dict[int, list[str]]:
        """Every URL each article of the story was seen at, in the order seen."""
        urls: dict[int, list[str]] = {}
        for article_id, url in self._run(
                """SELECT si.article_id, si.url FROM sightings si JOIN story_articles sa ON sa.article_id = si.article_id
                   WHERE sa.story_id = ? AND si.url IS NOT NULL ORDER BY si.id""", (story_id,)):
            urls.setdefault(int(article_id), []).append(url)
        return urls

    def storyline_story_counts(self, storyline_id: int) -> list[tuple[Story, int]]:
        """The storyline's live stories that have articles, with how many, earliest first."""
        rows = self._run(
            """SELECT st.id, st.storyline_id, st.title, st.first_published, st.last_published, st.merged_into,
                      count(sa.article_id)
               FROM stories st JOIN story_articles sa ON sa.story_id = st.id
               WHERE st.storyline_id = ? AND st.merged_into IS NULL
               GROUP BY st.id ORDER BY st.first_published IS NULL, st.first_published, st.id""", (storyline_id,))
        return [(_story(r), int(r[6])) for r in rows]

    def list_stories(self, limit: int, offset: int = 0, min_articles: int = 1,
                     filters: SearchFilters | None = None) -> list[StorySummary]:
        """Stories (as merged) with the most articles first, then the most recent; with
        ``filters``, only stories one of whose articles passes them all."""
        narrowing, params = self._story_filter(filters)
        rows = self._run(
            f"""{self._summary_select()} WHERE s.merged_into IS NULL {narrowing} GROUP BY s.id HAVING count(a.id) >= ?
                ORDER BY count(a.id) DESC, max(a.published) {self.desc_missing_last}, s.id LIMIT ? OFFSET ?""",
            (*params, min_articles, limit, offset),
        )
        return [_summary(r) for r in rows]

    def count_filtered_stories(self, min_articles: int, filters: SearchFilters | None) -> int:
        """How many stories ``list_stories`` pages through with these arguments."""
        if min_articles <= 1 and (filters is None or not filters.active()):
            return self.count_stories()
        narrowing, params = self._story_filter(filters)
        return int(self._value(
            f"""SELECT count(*) FROM ({self._summary_select()} WHERE s.merged_into IS NULL {narrowing}
                GROUP BY s.id HAVING count(a.id) >= ?) AS listed""", (*params, min_articles)))

    @staticmethod
    def _story_filter(filters: SearchFilters | None) -> tuple[str, list[object]]:
        """A condition on the summary's story ``s``: one of its articles is in every filter's set."""
        if filters is None or not filters.active():
            return "", []
        id_sets, params = filter_sets(filters)
        passing = " AND ".join(f"fa.article_id IN ({q})" for q in id_sets)
        return (f"AND s.id IN (SELECT fr.root FROM root fr JOIN story_articles fa ON fa.story_id = fr.id WHERE {passing})",
                params)

    def storyline_stories(self, storyline_id: int) -> list[StorySummary]:
        """The storyline's live stories, earliest first."""
        rows = self._run(
            f"""{self._summary_select()} WHERE s.storyline_id = ? AND s.merged_into IS NULL GROUP BY s.id
                ORDER BY min(a.published) IS NOT NULL, min(a.published), s.id""",
            (storyline_id,),
        )
        return [_summary(r) for r in rows]

    def count_stories(self) -> int:
        return int(self._value("SELECT count(*) FROM stories WHERE merged_into IS NULL"))

    def storyline_titles(self, storyline_ids: Iterable[int | None]) -> dict[int, str | None]:
        """Titles of the given storylines."""
        ids = sorted({i for i in storyline_ids if i is not None})
        if not ids:
            return {}
        return {int(r[0]): r[1] for r in self._run(
            f"SELECT id, title FROM storylines WHERE {self._in_ids('id')}", (self._id_list(ids),))}

    def storyline_mentioning(self, name: str) -> int | None:
        """The storyline most articles mentioning an entity of this name (any case) belong to."""
        found = self._value(
            """SELECT s.storyline_id FROM entities e JOIN entity_mentions m ON m.entity_id = e.id
               JOIN story_articles sa ON sa.article_id = m.article_id JOIN stories s ON s.id = sa.story_id
               WHERE lower(e.name) = lower(?) AND s.storyline_id IS NOT NULL
               GROUP BY s.storyline_id ORDER BY count(DISTINCT m.article_id) DESC, count(*) DESC LIMIT 1""",
            (name.strip(),),
        )
        return int(found) if found is not None else None

    def storyline_members_in_order(self, story_ids: Sequence[int]) -> list[StoryMatch]:
        """The articles filed under these stories in arrival order (article id)."""
        return [StoryMatch(int(r[0]), int(r[1]), r[2], r[3]) for r in self._run(
            f"""SELECT sa.article_id, sa.story_id, sa.copy_of, ar.outlet FROM story_articles sa
                JOIN articles ar ON ar.id = sa.article_id WHERE {self._in_ids('sa.story_id')} ORDER BY sa.article_id""",
            (self._id_list(story_ids),))]

    def _summary_select(self) -> str:
        """Story summaries: every story's articles count for the story its merges lead to (``root``).

        The first article's title comes from one ranked pass over the members (``first``), not a
        subquery per story over ``root``: PostgreSQL keeps no index on a CTE, so that subquery was
        quadratic in stories (a 100k-article store sat in it for over 47 minutes)."""
        return f"""
            WITH RECURSIVE root(id, root) AS (
                SELECT id, id FROM stories WHERE merged_into IS NULL
                UNION ALL SELECT m.id, root.root FROM stories m JOIN root ON m.merged_into = root.id),
            first AS (
                SELECT ranked.story, ranked.title FROM (
                    SELECT r.root AS story, a.title, ROW_NUMBER() OVER (
                        PARTITION BY r.root ORDER BY a.published IS NULL, a.published, a.id) AS place
                    FROM root r JOIN story_articles sa ON sa.story_id = r.id JOIN articles a ON a.id = sa.article_id
                ) ranked WHERE ranked.place = 1)
            SELECT s.id, s.title, s.storyline_id, min(a.published) AS first_published, max(a.published) AS last_published,
                   count(a.id) AS articles, {self._distinct_joined("a.outlet")} AS outlets,
                   max(first.title) AS first_title
            FROM stories s JOIN root ON root.root = s.id JOIN story_articles sa ON sa.story_id = root.id
            JOIN articles a ON a.id = sa.article_id LEFT JOIN first ON first.story = s.id"""


def _story(row: Any) -> Story:
    return Story(int(row[0]), row[1], row[2], row[3], row[4], row[5])


def _summary(row: Any) -> StorySummary:
    outlets = sorted(set(row["outlets"].split(","))) if row["outlets"] else []
    return StorySummary(row["id"], row["title"] or row["first_title"], row["storyline_id"], row["first_published"],
                        row["last_published"], int(row["articles"]), outlets)

"""The embedded store: one SQLite file in WAL mode, written through one connection per process.

The laptop default. A write transaction starts ``IMMEDIATE`` (it takes the file's one write
lock at once, so two writers queue instead of failing half-way), which also makes every step
that reads before it writes (entity linking, alert matching) safe against other processes.
Full-text search is an FTS5 index kept in step with ``articles`` by triggers.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parallax.errors import Errors, StoreError
from parallax.model import FoundArticle, MATCH_CLOSE, MATCH_OPEN, ELLIPSIS
from parallax.store.migrations import MIGRATIONS
from parallax.store.sql_articles import ArticlesSQL
from parallax.store.sql_charts import ChartsSQL
from parallax.store.sql_entities import EntitiesSQL
from parallax.store.sql_search import SNIPPET_TOKENS, TEXT_WEIGHT, TITLE_WEIGHT, SearchSQL, found
from parallax.store.sql_stories import StoriesSQL
from parallax.store.sql_watches import WatchesSQL


class SQLiteStore(ArticlesSQL, ChartsSQL, EntitiesSQL, StoriesSQL, WatchesSQL, SearchSQL):
    """Articles and everything derived from them, in one SQLite file."""

    def __init__(self, path: str | Path, *, any_thread: bool = False) -> None:
        """``any_thread`` lets the connection pass between threads, used by one at a time (the web
        app opens a store per request, and FastAPI runs a request's steps on pool threads)."""
        self.location = str(path)
        self.db = sqlite3.connect(self.location, isolation_level=None, timeout=30, check_same_thread=not any_thread)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(Errors.E301, detail=f"{self.location}: {exc}") from exc

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        found_version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if found_version > len(MIGRATIONS):
            raise StoreError(Errors.E302, found=found_version, known=len(MIGRATIONS))
        for version in range(found_version + 1, len(MIGRATIONS) + 1):
            # executescript commits implicitly, so the version bump rides in the same script.
            self.db.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[version - 1]}\nPRAGMA user_version = {version};\nCOMMIT;"
            )

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok") and super().integrity_ok()

    # -- the dialect ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _in_ids(self, column: str) -> str:
        return f"{column} IN (SELECT value FROM json_each(?))"

    def _id_list(self, ids: Iterable[int]) -> object:
        return json.dumps([int(i) for i in ids])

    def _distinct_joined(self, expression: str) -> str:
        return f"group_concat(DISTINCT {expression})"

    def _json_list(self, expression: str) -> str:
        return f"json_group_array({expression})"

    @staticmethod
    def _as_list(value: Any) -> list[Any]:
        return list(json.loads(value)) if value else []

    def _hint(self, index: str) -> str:
        return f"INDEXED BY {index}"

    def _serialize(self, lock: str) -> None:
        """Nothing to wait for: the ``IMMEDIATE`` transaction already holds the file's one write lock."""

    @contextmanager
    def assigning(self) -> Iterator[None]:
        """Story assignment, one process at a time: a SQLite store has one writing process (its
        ingest), so nothing is taken here; a second assigner would stop at the first article both
        tried to file (its key in ``story_articles``) rather than file it twice."""
        yield

    # -- full-text search (FTS5) ------------------------------------------------------------
    def _full_text(self, expression: str, id_sets: list[str], params: list[object], offset: int,
                   limit: int) -> tuple[int, list[FoundArticle]]:
        # The unary plus keeps the id sets out of FTS5's rowid look-ups: one match scan, then a set test.
        matching = "FROM articles_fts WHERE articles_fts MATCH ?" + "".join(f" AND +articles_fts.rowid IN ({s})" for s in id_sets)
        total = int(self._value(f"SELECT count(*) {matching}", (expression, *params)))
        ranking = f"bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}), articles_fts.rowid"
        rows = self._run(
            f"""SELECT a.id, a.title, a.outlet, a.published, a.published_granularity,
                       snippet(articles_fts, 1, ?, ?, ?, ?) AS snip
                FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                WHERE articles_fts MATCH ? AND articles_fts.rowid IN (SELECT rowid {matching} ORDER BY {ranking} LIMIT ? OFFSET ?)
                ORDER BY {ranking}""",
            (MATCH_OPEN, MATCH_CLOSE, ELLIPSIS, SNIPPET_TOKENS, expression, expression, *params, limit, offset),
        )
        return total, [found(r) for r in rows]

    def articles_matching(self, expression: str, article_ids: Sequence[int] | None) -> list[int]:
        scope, params = self._scope("rowid", article_ids)
        return self._ids(f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND {scope} ORDER BY rowid",
                         (expression, *params))

    def storyline_matching(self, words: Sequence[str]) -> int | None:
        found_line = self._value(
            """SELECT s.storyline_id FROM articles_fts f JOIN story_articles sa ON sa.article_id = f.rowid
               JOIN stories s ON s.id = sa.story_id WHERE articles_fts MATCH ? AND s.storyline_id IS NOT NULL
               GROUP BY s.storyline_id ORDER BY min(f.rank) LIMIT 1""",
            (" ".join(f'"{w}"' for w in words),),
        )
        return int(found_line) if found_line is not None else None

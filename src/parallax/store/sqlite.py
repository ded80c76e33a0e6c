"""The embedded store: one SQLite file in WAL mode, written through one connection per process.

The laptop default. A write transaction starts ``IMMEDIATE`` (it takes the file's one write
lock at once, so two writers queue instead of failing half-way), which also makes every step
that reads before it writes (entity linking, alert matching) safe against other processes.
Full-text search is an FTS5 index kept in step with ``articles`` by triggers.
"""
from __future__ import annotations

import fcntl
import json
import sqlite3
import time
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
from parallax.store.sql_search import SNIPPET_TOKENS, TEXT_WEIGHT, TITLE_WEIGHT, SearchSQL, in_order
from parallax.store.sql_stories import StoriesSQL
from parallax.store.sql_watches import WatchesSQL

# Virtual-machine steps between two looks at a statement's time budget (``time_limit``).
PROGRESS_STEPS = 1_000
# Seconds a writer waits for another process's write transaction before E308.
BUSY_SECONDS = 30.0
# How long to wait for another process switching the same new store to WAL, and between tries.
WAL_SWITCH_SECONDS = 30.0
WAL_SWITCH_WAIT = 0.05


class SQLiteStore(ArticlesSQL, ChartsSQL, EntitiesSQL, StoriesSQL, WatchesSQL, SearchSQL):
    """Articles and everything derived from them, in one SQLite file."""

    def __init__(self, path: str | Path, *, any_thread: bool = False) -> None:
        """``any_thread`` lets the connection pass between threads, used by one at a time (the web
        app opens a store per request, and FastAPI runs a request's steps on pool threads)."""
        self.location = str(path)
        _check_openable(Path(self.location))
        try:
            self.db = sqlite3.connect(self.location, isolation_level=None, timeout=BUSY_SECONDS,
                                      check_same_thread=not any_thread)
        except sqlite3.Error as exc:
            raise StoreError(Errors.E305, path=self.location, detail=str(exc)) from exc
        self.db.row_factory = sqlite3.Row
        try:
            with self._errors_as_lines():
                _use_wal(self.db)
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if "unable to open" in str(exc):
                raise StoreError(Errors.E305, path=self.location, detail=str(exc)) from exc
            raise StoreError(Errors.E301, detail=f"{self.location}: {exc}") from exc
        except StoreError:
            self.db.close()
            raise

    # -- errors -----------------------------------------------------------------------------
    @contextmanager
    def _errors_as_lines(self) -> Iterator[None]:
        """SQLite's failures that are the store's state, not a bug (read-only, disk full or I/O,
        locked past the busy timeout), as one numbered StoreError: the run stops with one line."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            error = _store_error(self.location, exc)
            if error is None:
                raise
            raise error from exc

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._errors_as_lines():
            return self.db.execute(sql, params)

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._errors_as_lines():
            self.db.cursor().executemany(sql, list(rows))

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Bring the schema up to date under the write lock: the version is read inside the same
        ``IMMEDIATE`` transaction that migrates, so two processes opening a new store at once
        queue, and the second finds the schema made (not half of it, nor "table exists")."""
        if self.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
            return  # the common case, without taking the write lock
        with self.transaction():
            found_version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if found_version > len(MIGRATIONS):
                raise StoreError(Errors.E302, found=found_version, known=len(MIGRATIONS))
            for version in range(found_version + 1, len(MIGRATIONS) + 1):
                for statement in _statements(MIGRATIONS[version - 1]):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {version}")

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        return bool(self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok") and super().integrity_ok()

    @contextmanager
    def time_limit(self, seconds: float) -> Iterator[None]:
        """Stop a statement of this block that runs past ``seconds`` (StoreError E309): SQLite
        calls the handler every ``PROGRESS_STEPS`` virtual-machine steps, and a true answer
        interrupts the statement."""
        deadline = time.monotonic() + seconds
        self.db.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            raise StoreError(Errors.E309, seconds=f"{seconds:g}") from exc
        finally:
            self.db.set_progress_handler(None, 0)

    def interrupt(self) -> None:
        """Stop the statement this store is running now (called from another thread: a search
        whose client has left). Nothing happens between statements."""
        self.db.interrupt()

    def _let_writers_in(self, held: float) -> None:
        """SQLite has one writer at a time, and a writer kept waiting retries after ever longer
        sleeps (1, 2, 5, 10 ms...): a long write pauses as long as it held the lock, so the
        other writer's next try finds it free."""
        if not self.db.in_transaction:
            time.sleep(held)

    def connect_again(self) -> SQLiteStore:
        """Another connection to this store file, for another thread."""
        return SQLiteStore(self.location)

    # -- the dialect ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.db.in_transaction:
            yield
            return
        with self._errors_as_lines():
            self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            with self._errors_as_lines():
                self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:  # SQLite may have rolled back itself (a full disk)
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the first failure is the one to report; the journal undoes the rest on next open
            raise

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

    @contextmanager
    def _waiting_at_most(self, seconds: float | None) -> Iterator[None]:
        if seconds is None:
            yield
            return
        self.db.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")

    def _hint(self, index: str) -> str:
        return f"INDEXED BY {index}"

    def _serialize(self, lock: str) -> None:
        """Nothing to wait for: the ``IMMEDIATE`` transaction already holds the file's one write lock."""

    @contextmanager
    def assigning(self) -> Iterator[None]:
        """Story assignment, one process at a time (two ingests into one store each end with it):
        an exclusive ``flock`` on ``STORE-assign.lock`` beside the store, which the system lets go
        if the process dies. Not a lock on the store file itself: closing any handle of that file
        would drop SQLite's own locks. A second assigner waits, then finds the articles filed."""
        try:
            handle = open(f"{self.location}-assign.lock", "ab")
        except OSError:  # a folder we cannot write in: neither can we write the store
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- full-text search (FTS5) ------------------------------------------------------------
    _hit_id = "articles_fts.rowid"

    def _matching(self, expression: str, id_sets: list[str], params: list[object]) -> tuple[str, list[object]]:
        # The unary plus keeps the id sets out of FTS5's rowid look-ups: one match scan, then a
        # set test (a bare rowid bound, the newest matches', is one FTS5 seeks to).
        where = "".join(f" AND +articles_fts.rowid IN ({s})" for s in id_sets)
        return f"FROM articles_fts WHERE articles_fts MATCH ?{where}", [expression, *params]

    def _rank(self, expression: str) -> tuple[str, list[object], str]:
        return f"bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT})", [], "ASC"

    def _hits(self, expression: str, article_ids: list[int]) -> list[FoundArticle]:
        rows = self._run(
            f"""SELECT a.id, a.title, a.outlet, a.published, a.published_granularity,
                       snippet(articles_fts, 1, ?, ?, ?, ?) AS snip
                FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({', '.join('?' * len(article_ids)) or 'NULL'})""",
            (MATCH_OPEN, MATCH_CLOSE, ELLIPSIS, SNIPPET_TOKENS, expression, *article_ids),
        )
        return in_order(rows, article_ids)

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


def _statements(script: str) -> list[str]:
    """A migration script as its statements (a trigger's ``BEGIN … END;`` is one), for running
    inside a transaction: ``executescript`` would commit the one open first."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in (*statements, current.strip()) if s]


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch a store to WAL, waiting for another process doing the same: the switch needs the
    file alone, and SQLite answers "database is locked" at once rather than waiting for it."""
    deadline = time.monotonic() + WAL_SWITCH_SECONDS
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_SWITCH_WAIT)


def _check_openable(path: Path) -> None:
    """E305 for a path SQLite would refuse with only "unable to open database file"."""
    if path.is_dir():
        raise StoreError(Errors.E305, path=path, detail="a directory, not a store file")
    if not path.parent.is_dir():
        raise StoreError(Errors.E305, path=path, detail=f"no folder {path.parent}")


def _store_error(location: str, exc: sqlite3.OperationalError) -> StoreError | None:
    """The numbered error for a failure of the store's state, None for any other (a bug)."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(Errors.E306, path=location, detail=text)
    if "full" in text or "I/O error" in text:
        return StoreError(Errors.E307, path=location, detail=text)
    if "locked" in text or "busy" in text:
        return StoreError(Errors.E308, path=location, detail=f"{text} after {BUSY_SECONDS:g}s")
    if "unable to open" in text:
        return StoreError(Errors.E305, path=location, detail=text)
    return None

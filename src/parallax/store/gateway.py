"""The one road SQL takes to a database, and the few places the two backends' SQL differs.

The store's queries are written once (``sql_*.py``), in the SQL both SQLite and PostgreSQL
speak: ``?`` placeholders, ``INSERT … ON CONFLICT``, ``RETURNING id``, ``count(*) FILTER``,
``WITH RECURSIVE`` and ``MATERIALIZED``, explicit ``x IS NULL`` ordering where a value may be
missing. What they do not share is asked of the backend through the hooks below: how a list
of ids is passed, how distinct values are gathered, index hints, how "newest first" places
undated rows, full-text search, and how writers are kept from racing. Each backend's module
(``sqlite.py``, ``postgres.py``) answers them; nothing outside ``store/`` writes SQL.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timezone
from typing import Any, Self


def now() -> str:
    """The current time as the store writes it (UTC, ISO 8601, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Gateway(ABC):
    """Runs the store's SQL on one connection (``db``, a DB-API connection of the backend)."""

    db: Any
    location: str
    # A descending order that puts rows without a value last.
    desc_missing_last = "DESC"
    # Columns the database computes itself (never inserted).
    generated_columns: frozenset[str] = frozenset()

    def close(self) -> None:
        self.db.close()

    def _let_writers_in(self, held: float) -> None:
        """Between the transactions of a long write (a stored index checkpoint, written beside
        the articles' assignment): give other writers their turn, having held the database's
        writes for ``held`` seconds. Nothing to do where writers do not wait for one another."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running SQL ------------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement; returns the backend's cursor (iterable over rows that can be
        read by column name or position)."""
        return self.db.execute(sql, params)

    def _run_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.db.cursor().executemany(sql, list(rows))

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._run(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._run(sql, params).fetchall())

    def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._one(sql, params)
        return row[0] if row is not None else None

    def _ids(self, sql: str, params: Sequence[Any] = ()) -> list[int]:
        return [int(r[0]) for r in self._run(sql, params)]

    def _scope(self, column: str, article_ids: Sequence[int] | None) -> tuple[str, list[object]]:
        """SQL limiting ``column`` to the articles in scope (``None``: all), and its parameters."""
        if article_ids is None:
            return "1 = 1", []
        return self._in_ids(column), [self._id_list(article_ids)]

    def _stream(self, sql: str, batch: int) -> Iterator[Any]:
        """Rows of a large result a batch at a time (bounded memory)."""
        cursor = self._run(sql)
        while rows := cursor.fetchmany(batch):
            yield from rows

    # -- what differs ------------------------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """The store's one transaction idiom: ``with store.transaction(): …`` commits on exit and
        rolls back on any exception; a transaction opened inside another joins it."""

    @abstractmethod
    def _in_ids(self, column: str) -> str:
        """SQL testing ``column`` against a list of ids passed as one parameter (``_id_list``)."""

    @abstractmethod
    def _id_list(self, ids: Iterable[int]) -> object:
        """A list of ids as the one parameter of ``_in_ids``."""

    @abstractmethod
    def _distinct_joined(self, expression: str) -> str:
        """SQL aggregating the distinct values of ``expression`` into one comma-joined text."""

    @abstractmethod
    def _json_list(self, expression: str) -> str:
        """SQL aggregating ``expression`` into a JSON array (read back with ``_as_list``)."""

    @staticmethod
    @abstractmethod
    def _as_list(value: Any) -> list[Any]:
        """A ``_json_list`` value as a Python list."""

    def restart_ids(self, table: str) -> None:
        """After rows were inserted with their ids (``copy.py``): new rows of ``table`` get ids
        after them. SQLite does so by itself (a new rowid is one past the largest)."""

    def _waiting_at_most(self, seconds: float | None) -> AbstractContextManager[None]:
        """Within the block, wait at most ``seconds`` (None: as long as usual) for another
        process's write lock before E308. PostgreSQL's writers lock rows, not the database, so
        only SQLite (one write lock per file) needs to shorten its wait."""
        return nullcontext()

    def _hint(self, index: str) -> str:
        """An index hint naming ``index`` for the planner that needs one, else nothing."""
        return ""

    @abstractmethod
    def _serialize(self, lock: str) -> None:
        """Inside a write transaction: wait until no other writer holds ``lock`` (a named step
        whose reads decide its writes: entity linking, alert matching), until commit."""

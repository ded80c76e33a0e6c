"""The store: the only place Parallax keeps state, and the only code that speaks SQL.

``open_store`` picks the backend from the location: a ``postgresql://`` (or ``postgres://``)
URL opens a PostgreSQL database (``store/postgres.py``, for many users and writers at once);
anything else is a file path (default ``./parallax.db``, or ``$PARALLAX_DB``) and opens the
embedded SQLite store (``store/sqlite.py``). Both implement ``Store`` (``store/base.py``).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from parallax.errors import Errors, StoreError
from parallax.store.base import Store

DEFAULT_DB = "parallax.db"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def store_location(location: str | None = None) -> str:
    """The store a command means: ``location``, else ``$PARALLAX_DB``, else ``./parallax.db``."""
    return location or os.environ.get("PARALLAX_DB") or DEFAULT_DB


def is_postgres(location: str) -> bool:
    return location.startswith(POSTGRES_SCHEMES)


def open_store(location: str | None = None, *, create: bool = True) -> Store:
    """Open (creating and migrating if needed) the store at ``location`` (see ``store_location``).

    ``create=False`` is for commands that only read: a SQLite file that does not exist is an
    error (E303), never a new empty store that answers "no stories" to a mistyped ``--db``."""
    where = store_location(location)
    if not create and not is_postgres(where) and not Path(where).is_file():
        raise StoreError(Errors.E303, path=where)
    if is_postgres(where):
        from parallax.store.postgres import PostgresStore  # psycopg loads only for PostgreSQL

        return PostgresStore(where)
    # Imported here, as PostgreSQL's is: the SQLite backend's SQL modules cost ~40 ms to load,
    # which ``parallax --help`` and a process that only names the ``Store`` type need not pay.
    from parallax.store.sqlite import SQLiteStore

    return SQLiteStore(where)


class StorePool(Protocol):
    """Stores for concurrent users of one location (the web app's requests): ``pool.store()``
    lends one for a ``with`` block."""

    def store(self) -> AbstractContextManager[Store]: ...
    def close(self) -> None: ...


class _SQLiteOpener:
    """A SQLite connection per use: opening one costs about a millisecond, and SQLite serialises
    writers itself, so there is nothing to pool."""

    def __init__(self, path: str) -> None:
        self._path = path

    @contextmanager
    def store(self) -> Iterator[Store]:
        from parallax.store.sqlite import SQLiteStore

        # The connection may pass between threads (FastAPI runs a request's steps on pool threads), used by one at a time.
        with SQLiteStore(self._path, any_thread=True) as opened:
            yield opened

    def close(self) -> None:
        """Nothing stays open between uses."""


def open_pool(location: str | None = None, *, size: int = 8) -> StorePool:
    """Stores for up to ``size`` concurrent users of the (migrated) store at ``location``."""
    where = store_location(location)
    if is_postgres(where):
        from parallax.store.postgres import PostgresPool

        return PostgresPool(where, size=size)
    return _SQLiteOpener(where)


__all__ = ["DEFAULT_DB", "Store", "StorePool", "is_postgres", "open_pool", "open_store", "store_location"]

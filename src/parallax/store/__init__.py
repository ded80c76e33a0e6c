"""The store: the only place Parallax keeps state.

``open_store`` picks the backend from the location: a file path (default ``./parallax.db``,
or ``$PARALLAX_DB``) opens the embedded SQLite store.
"""
from __future__ import annotations

import os

from parallax.store.sqlite import Added, SQLiteStore

DEFAULT_DB = "parallax.db"


def open_store(location: str | None = None) -> SQLiteStore:
    """Open (creating and migrating if needed) the store at ``location``."""
    return SQLiteStore(location or os.environ.get("PARALLAX_DB") or DEFAULT_DB)


__all__ = ["Added", "SQLiteStore", "open_store", "DEFAULT_DB"]

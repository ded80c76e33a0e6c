"""Versioned schema migrations, applied in order inside one transaction each.

Append a new entry to ``MIGRATIONS`` to change the schema; never edit a shipped one, since
stores in the wild have already run it.
"""
from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: articles, their raw inputs, every place each was seen, and what was skipped.
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT,
        url_key TEXT UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        title TEXT,
        text TEXT NOT NULL,
        outlet TEXT,
        published TEXT,
        published_granularity TEXT,
        published_source TEXT,
        language TEXT,
        extractor TEXT,
        origin TEXT NOT NULL,
        furniture TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE TABLE raw_documents (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        media_type TEXT NOT NULL,
        codec TEXT NOT NULL,
        body BLOB NOT NULL
    );
    CREATE TABLE sightings (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        url TEXT,
        raw_hash TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        UNIQUE (origin, raw_hash)
    );
    CREATE INDEX sightings_article ON sightings(article_id);
    CREATE TABLE skipped_inputs (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
]

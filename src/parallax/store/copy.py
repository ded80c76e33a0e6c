"""Copying a whole store from one backend to the other: a laptop's SQLite file moved into the
shared PostgreSQL database (or back), every row with its id, in one transaction.

Derived search indexes are not copied: SQLite's FTS5 index and PostgreSQL's ``article_search``
are filled by their triggers as the articles arrive.
"""
from __future__ import annotations

from parallax.store.gateway import Gateway

# Every table, parents before the rows that reference them.
TABLES = (
    "articles", "raw_documents", "sightings", "skipped_inputs", "annotations", "entities", "entity_mentions",
    "quotes", "events", "storylines", "stories", "story_articles", "story_merges", "article_vectors",
    "article_signals", "story_index", "story_index_parts", "story_views", "watches", "alerts",
)
# Rows moved at a time.
BATCH_ROWS = 2000


def copy_store(source: Gateway, target: Gateway) -> int:
    """Copy every row of ``source`` into ``target`` (an empty store); returns the rows copied."""
    copied = 0
    with target.transaction():
        for table in TABLES:
            kept = set(_columns(target, table)) - target.generated_columns
            # A story may have merged into a later one: merges are filled in once all stories are there.
            written = [c for c in _columns(source, table) if c in kept and not (table == "stories" and c == "merged_into")]
            insert = f"INSERT INTO {table} ({', '.join(_quoted(c) for c in written)}) VALUES ({', '.join('?' * len(written))})"
            batch: list[tuple[object, ...]] = []
            for row in source._stream(f"SELECT {', '.join(_quoted(c) for c in written)} FROM {table}", BATCH_ROWS):
                batch.append(tuple(row))
                if len(batch) == BATCH_ROWS:
                    target._run_many(insert, batch)
                    copied, batch = copied + len(batch), []
            target._run_many(insert, batch)
            copied += len(batch)
            target.restart_ids(table)
        target._run_many("UPDATE stories SET merged_into = ? WHERE id = ?",
                         [(r[1], r[0]) for r in source._run("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL")])
    return copied


def _columns(store: Gateway, table: str) -> list[str]:
    return [d[0] for d in store._run(f"SELECT * FROM {table} LIMIT 0").description]


def _quoted(column: str) -> str:
    return f'"{column}"'

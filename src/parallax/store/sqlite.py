"""The embedded store: one SQLite file in WAL mode, written through one connection.

Every write of an article (row, raw input, sighting) is one transaction, so a process killed at
any instant leaves either the whole article or none of it; re-running the ingest then finds
what is already there by URL, content hash or (origin, raw hash) and adds only the rest.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator
from typing import Any
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from parallax.errors import Errors, StoreError
from parallax.model import Article, PublicationDate, RawDocument
from parallax.store.annotations import write_annotations
from parallax.store.keys import content_hash, raw_hash, url_key
from parallax.store.migrations import MIGRATIONS


@dataclass(frozen=True)
class Added:
    """What storing one article did: ``status`` is "ingested" or "duplicate"."""

    article_id: int
    status: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SQLiteStore:
    """Articles and everything derived from them, in one SQLite file."""

    def __init__(self, path: str | Path, *, any_thread: bool = False) -> None:
        """``any_thread`` lets the connection pass between threads, used by one at a time (the web
        app opens a store per request, and FastAPI runs a request's steps on pool threads)."""
        self.path = str(path)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=not any_thread)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(Errors.E301, detail=f"{self.path}: {exc}") from exc

    # -- schema ---------------------------------------------------------------------------
    def _migrate(self) -> None:
        found = self.db.execute("PRAGMA user_version").fetchone()[0]
        if found > len(MIGRATIONS):
            raise StoreError(Errors.E302, found=found, known=len(MIGRATIONS))
        for version in range(found + 1, len(MIGRATIONS) + 1):
            # executescript commits implicitly, so the version bump rides in the same script.
            self.db.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[version - 1]}\nPRAGMA user_version = {version};\nCOMMIT;"
            )

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------
    def seen(self, doc: RawDocument) -> int | None:
        """The article an identical input from the same origin already produced, if any."""
        row = self.db.execute(
            "SELECT article_id FROM sightings WHERE origin = ? AND raw_hash = ?",
            (doc.origin, raw_hash(doc.body)),
        ).fetchone()
        return int(row[0]) if row else None

    def add_article(self, article: Article, doc: RawDocument) -> Added:
        """Store ``article`` (cleaned from ``doc``) unless its URL or text is already stored.

        A duplicate still records where it was seen, so the store knows every origin of a text.
        """
        key = url_key(article.url)
        digest = content_hash(article.text)
        cur = self.db.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            row = cur.execute(
                "SELECT id FROM articles WHERE content_hash = ? OR (url_key IS NOT NULL AND url_key = ?)",
                (digest, key),
            ).fetchone()
            if row:
                added = Added(int(row[0]), "duplicate")
            else:
                pub = article.published
                cur.execute(
                    """INSERT INTO articles (url, url_key, content_hash, title, text, outlet, published,
                       published_granularity, published_source, language, extractor, origin, furniture,
                       ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (
                        article.url, key, digest, article.title, article.text, article.outlet,
                        pub.value if pub else None, pub.granularity if pub else None,
                        pub.source if pub else None, article.language, article.extractor,
                        article.origin, json.dumps(article.furniture, ensure_ascii=False), _now(),
                    ),
                )
                article_id = int(cur.lastrowid)
                cur.execute(
                    "INSERT INTO raw_documents (article_id, media_type, codec, body) VALUES (?,?,?,?)",
                    (article_id, doc.media_type, "zlib", zlib.compress(doc.body, 6)),
                )
                added = Added(article_id, "ingested")
            cur.execute(
                "INSERT OR IGNORE INTO sightings (article_id, origin, url, raw_hash, seen_at) VALUES (?,?,?,?,?)",
                (added.article_id, doc.origin, doc.url, raw_hash(doc.body), _now()),
            )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return added

    def save_annotations(self, article_id: int, annotation: dict[str, Any], version: str) -> None:
        """Store one article's annotation JSON and its queryable parts, in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            write_annotations(self.db, article_id, annotation, version, _now())
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def articles_to_annotate(self, version: str) -> list[int]:
        """Ids of articles with no annotations of this version yet, oldest first (a killed run resumes)."""
        rows = self.db.execute(
            """SELECT a.id FROM articles a LEFT JOIN annotations n ON n.article_id = a.id
               WHERE n.article_id IS NULL OR n.version != ? ORDER BY a.id""",
            (version,),
        )
        return [int(r[0]) for r in rows]

    def annotation(self, article_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT json FROM annotations WHERE article_id = ?", (article_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def record_skip(self, origin: str, reason: str) -> None:
        """Keep the reason an input was skipped, so `parallax` can tell what it left out."""
        self.db.execute(
            "INSERT INTO skipped_inputs (origin, reason, at) VALUES (?,?,?)", (origin, reason, _now())
        )

    # -- reading --------------------------------------------------------------------------
    def count_articles(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def get_article(self, article_id: int) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        for row in self.db.execute("SELECT * FROM articles ORDER BY id"):
            yield _article(row)

    def raw_body(self, article_id: int) -> bytes | None:
        row = self.db.execute("SELECT codec, body FROM raw_documents WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        return zlib.decompress(row["body"]) if row["codec"] == "zlib" else bytes(row["body"])

    def sightings(self, article_id: int) -> list[str]:
        rows = self.db.execute("SELECT origin FROM sightings WHERE article_id = ? ORDER BY id", (article_id,))
        return [r[0] for r in rows]

    def resolve_story(self, story_id: int) -> int | None:
        """The story ``story_id`` became after merges; None if there is no such story (stories
        merge as articles bridge them, so an id once shown may live on in another)."""
        seen = set()
        current: int | None = story_id
        while current is not None and current not in seen:
            seen.add(current)
            row = self.db.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
            if row is None:
                return None
            if row[0] is None:
                return current
            current = int(row[0])
        return current

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _article(row: sqlite3.Row) -> Article:
    published = (
        PublicationDate(row["published"], row["published_granularity"], row["published_source"])
        if row["published"]
        else None
    )
    return Article(
        id=row["id"], text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet"],
        published=published, language=row["language"], furniture=json.loads(row["furniture"]),
        origin=row["origin"], extractor=row["extractor"],
    )

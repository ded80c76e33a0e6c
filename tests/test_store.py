"""The store on both backends: migrations, idempotent writes, dedup keys, refusing what it cannot use."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from parallax.errors import StoreError
from parallax.model import Article, PublicationDate, RawDocument
from conftest import PostgresCluster, Stores
from parallax.store import open_store
from parallax.store.sqlite import SQLiteStore
from parallax.store.keys import content_hash, url_key
from parallax.store.migrations import MIGRATIONS
from parallax.store.migrations_postgres import MIGRATIONS as POSTGRES_MIGRATIONS


def _doc(origin: str, body: bytes = b"raw bytes") -> RawDocument:
    return RawDocument(origin, "text/plain", body)


def _article(text: str, url: str | None = None) -> Article:
    return Article(text=text, url=url, title="T", published=PublicationDate("2018-07-19", "day", "given"))


def test_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with SQLiteStore(str(tmp_path / "s.db")) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_text_twice_is_stored_once_and_both_sightings_kept(stores: Stores) -> None:
    with open_store(stores.empty()) as store:
        first = store.add_article(_article("Putin was invited."), _doc("a.txt"))
        again = store.add_article(_article("putin   was INVITED."), _doc("b.txt", b"other"))
        assert (first.status, again.status) == ("ingested", "duplicate")
        assert again.article_id == first.article_id
        assert store.count_articles() == 1
        assert store.sightings(first.article_id) == ["a.txt", "b.txt"]


def test_same_url_with_tracking_parameters_is_a_duplicate(stores: Stores) -> None:
    with open_store(stores.empty()) as store:
        store.add_article(_article("One text.", "https://www.example.com/news/a/"), _doc("1"))
        added = store.add_article(
            _article("A revised text.", "http://example.com/news/a?utm_source=feed#comments"), _doc("2")
        )
        assert added.status == "duplicate"


def test_raw_input_is_kept_compressed_and_round_trips(stores: Stores) -> None:
    body = ("<html>" + "news " * 2000 + "</html>").encode()
    with open_store(stores.empty()) as store:
        added = store.add_article(_article("Some text."), _doc("p.html", body))
        assert store.raw_body(added.article_id) == body
        stored = store._value("SELECT length(body) FROM raw_documents")
        assert stored < len(body) / 10


def test_seen_finds_an_input_already_ingested(stores: Stores) -> None:
    with open_store(stores.empty()) as store:
        doc = _doc("feed.xml#3", b"item")
        assert store.seen(doc) is None
        added = store.add_article(_article("Text."), doc)
        assert store.seen(doc) == added.article_id
        assert store.seen(_doc("feed.xml#3", b"changed item")) is None


def test_article_round_trips(stores: Stores) -> None:
    with open_store(stores.empty()) as store:
        article = _article("Body.", "https://cbsnews.com/a")
        article.furniture = ["Watch CBS News"]
        article.language = "en"
        added = store.add_article(article, _doc("x"))
        back = store.get_article(added.article_id)
        assert back is not None
        assert (back.text, back.url, back.language, back.furniture) == ("Body.", article.url, "en", ["Watch CBS News"])
        assert back.published == article.published


def test_authors_round_trip_and_reach_story_members_and_exports(stores: Stores) -> None:
    """Issue 12: the byline is stored with the article and read back by every view of it."""
    from parallax.views.export import rows

    with open_store(stores.empty()) as store:
        article = _article("A ferry line was approved.", "https://courier.example.org/a")
        article.authors = ["Ana Costa", "Luís Lima"]
        added = store.add_article(article, _doc("x"))
        plain = store.add_article(_article("No byline here."), _doc("y"))
        back = store.get_article(added.article_id)
        assert back is not None and back.authors == ["Ana Costa", "Luís Lima"]
        assert store.get_article(plain.article_id).authors == []
        story = store.new_story()
        store.file_article(added.article_id, story)
        assert [m.authors for m in store.story_members([story])] == [["Ana Costa", "Luís Lima"]]
        assert [r["authors"] for r in rows(store, "articles")] == [["Ana Costa", "Luís Lima"], []]


def test_a_store_made_before_bylines_is_migrated_with_none(tmp_path: Path) -> None:
    """A version-9 store (before the authors column) opens, keeps its articles, and has no bylines."""
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    for version, script in enumerate(MIGRATIONS[:9], start=1):
        db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    db.execute("""INSERT INTO articles (url_key, content_hash, text, origin, ingested_at)
                  VALUES ('k', 'h', 'Old text.', 'old.txt', '2025-01-01T00:00:00')""")
    db.commit()
    db.close()
    with SQLiteStore(str(path)) as store:
        assert store.schema_version == len(MIGRATIONS)
        old = store.get_article(1)
        assert old is not None and (old.text, old.authors) == ("Old text.", [])


def test_a_file_that_is_not_a_database_is_refused_with_e301(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"\x00\x01not sqlite at all" * 100)
    with pytest.raises(StoreError, match="E301"):
        open_store(str(path))
    assert path.read_bytes().startswith(b"\x00\x01not sqlite")  # left untouched


def test_a_store_from_a_newer_parallax_is_refused_with_e302(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.close()
    with pytest.raises(StoreError, match="E302"):
        open_store(str(path))


def test_a_new_postgres_store_is_migrated_and_searchable(postgres: PostgresCluster) -> None:
    with open_store(postgres.database()) as store:
        assert store.schema_version == len(POSTGRES_MIGRATIONS)
        assert "@" in store.location and ":" not in store.location.split("//")[1].split("@")[0]  # no password shown
        assert store._value("SHOW default_transaction_isolation") == "read committed"


def test_a_postgres_store_made_before_the_partitioned_search_index_is_migrated_and_searchable(postgres: PostgresCluster) -> None:
    """A version-5 store (the tsvector a generated column of ``articles``) keeps its articles
    searchable after migration 6 moves the index into ``article_search``, and new articles
    are indexed as they arrive, in the partition of their id."""
    import psycopg

    from parallax.views.search import search_articles

    name = f"old_search_{len(POSTGRES_MIGRATIONS)}"
    with psycopg.connect(postgres.url("postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    with psycopg.connect(postgres.url(name), autocommit=True) as db:
        db.execute("CREATE TABLE parallax_schema (version INTEGER NOT NULL)")
        for version, script in enumerate(POSTGRES_MIGRATIONS[:5], start=1):
            db.execute(script)
            db.execute("INSERT INTO parallax_schema (version) VALUES (%s)", (version,))
        for n, article_id in enumerate((7, 250_003), start=1):
            db.execute("""INSERT INTO articles (id, url_key, content_hash, title, text, origin, ingested_at)
                          VALUES (%s, %s, %s, 'Bridge vote', %s, 'old.txt', '2025-01-01T00:00:00')""",
                       (article_id, f"k{n}", f"h{n}", f"The council voted on the bridge, story {n}."))
        db.execute("SELECT setval(pg_get_serial_sequence('articles', 'id'), 250003)")
    with open_store(postgres.url(name)) as store:
        assert store.schema_version == len(POSTGRES_MIGRATIONS)
        assert [h.article_id for h in search_articles(store, "bridge council").hits] == [250_003, 7]
        new_id = store.add_article(_article("A new bridge opened, the council said."), _doc("new.txt")).article_id
        assert new_id == 250_004
        assert store.articles_matching('"bridge"', None) == [7, 250_003, 250_004]
        assert store._value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'article_search'::regclass") == 3
        store._run("DELETE FROM articles WHERE id = 7")
        assert store.articles_matching('"bridge"', None) == [250_003, 250_004]


def test_a_postgres_store_from_a_newer_parallax_is_refused_with_e302(postgres: PostgresCluster) -> None:
    location = postgres.database()
    with open_store(location) as store:
        store._run("INSERT INTO parallax_schema (version) VALUES (?)", (len(POSTGRES_MIGRATIONS) + 5,))
    with pytest.raises(StoreError, match="E302"):
        open_store(location)


def test_an_unreachable_postgres_store_is_refused_with_e304_without_its_password() -> None:
    with pytest.raises(StoreError, match="E304") as refused:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nowhere?connect_timeout=2")
    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.Example.com/a/b/?utm_source=x&b=2&a=1#frag", "https://example.com/a/b?a=1&b=2"),
        ("http://example.com/a", "https://example.com/a"),
        ("file:///tmp/x.html", None),
        (None, None),
    ],
)
def test_url_key(url: str | None, key: str | None) -> None:
    assert url_key(url) == key


def test_content_hash_folds_case_and_whitespace_only() -> None:
    assert content_hash("A  b\nC") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b c d")

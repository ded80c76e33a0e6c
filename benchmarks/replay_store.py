"""The demo store, and the same store replayed to many more articles, for benchmarks at scale.

``build_demo_store`` makes the store ``parallax demo`` makes: the bundled seeds and 89 VOA
stories ingested, annotated and grouped into stories by the real pipeline. ``replay`` then
copies its rows, generation after generation, until the store holds the articles asked for.
Each generation copies every original article (the last generation only as many as are still
needed, whole stories first) with:

- a perturbed title and text: the title carries the copy's outlet, the text is followed by the
  lead paragraph of another original and a credit line naming the copy, so content hashes, URLs
  and full-text postings differ from copy to copy while the words stay those of real news;
- its annotation (the JSON given the new text: the text only grew, so every offset still
  holds), its mentions of the same store-wide entities, its quotes, events and sightings;
- a copy of its original's story and storyline, so stories keep the demo's sizes and a story
  page at scale compares as many articles as one on the demo, while entity pages and searches
  see every copy.

Copies rotate through the outlet registry's outlets, with URLs on their domains. Every table is
copied by one ``INSERT … SELECT`` per generation inside one transaction, rows keeping explicit
ids (original id + generation × stride) so that references map without a look-up. Raw inputs,
story merge records and the clusterer's signals and vectors are not copied: no view reads them.
Nor are the stored story views (their JSON names article ids): ``web_latency.py`` makes the
views of the stories it requests, as the ingest that would have filed them does.
"""
from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

from parallax import jobs
from parallax.settings import load_options
from parallax.store.sqlite import SQLiteStore
from parallax.store.keys import content_hash, url_key

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
REPLAY_CACHE_KIB = 256 * 1024  # page cache while replaying


def build_demo_store(path: Path) -> None:
    """Ingest, annotate, assign stories to the demo inputs at ``path`` and store their stories'
    views, as ``parallax demo`` does (one ``run_ingest``, in this process)."""
    with SQLiteStore(path) as store:
        jobs.run_ingest([str(DEMO / "seeds"), str(DEMO / "voa" / "voa_stories.jsonl")], store, load_options(),
                        engine="serial")


def replay(store: SQLiteStore, target: int) -> list[int]:
    """Copy the store's articles and all that hangs on them until it holds ``target`` articles
    (see the module docstring); returns the copies' ids in the order they were made."""
    db = store.db
    originals = db.execute(
        """SELECT a.id, a.text FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id
           ORDER BY sa.story_id IS NULL, sa.story_id, a.id"""
    ).fetchall()
    total = len(originals)
    if total == 0 or total >= target:
        return []
    strides = {
        table: int(db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        for table in ("articles", "stories", "storylines")
    }
    outlets = _registry_outlets()
    db.create_function("content_hash", 1, content_hash, deterministic=True)
    db.create_function("url_key", 1, url_key, deterministic=True)
    db.executescript(
        """CREATE TEMP TABLE replay_source (position INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE, lead TEXT NOT NULL);
           CREATE TEMP TABLE replay_outlet (position INTEGER PRIMARY KEY, name TEXT NOT NULL, domain TEXT NOT NULL);
           CREATE TEMP TABLE replay_batch (id INTEGER PRIMARY KEY);
           CREATE TEMP TABLE replay_stories (id INTEGER PRIMARY KEY);"""
    )
    db.executemany("INSERT INTO replay_source VALUES (?, ?, ?)",
                   [(i, row["id"], _lead(row["text"])) for i, row in enumerate(originals)])
    db.executemany("INSERT INTO replay_outlet VALUES (?, ?, ?)",
                   [(i, name, domain) for i, (name, domain) in enumerate(outlets)])
    copies: list[int] = []
    generation = 0
    # Gigabytes pass through one transaction: written once to the file, not first to the WAL,
    # with a cache that holds the indexes being filled. The store is back in WAL mode after.
    db.execute("PRAGMA journal_mode=MEMORY")
    db.execute(f"PRAGMA cache_size={-REPLAY_CACHE_KIB}")
    db.execute("BEGIN")
    try:
        while total < target:
            generation += 1
            count = min(len(originals), target - total)
            _copy_generation(db, generation, count, len(originals), len(outlets), strides)
            copies += [int(r[0]) + generation * strides["articles"]
                       for r in db.execute("SELECT id FROM replay_batch ORDER BY id")]
            total += count
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.executescript("DROP TABLE temp.replay_source; DROP TABLE temp.replay_outlet; "
                         "DROP TABLE temp.replay_batch; DROP TABLE temp.replay_stories;")
        db.execute("PRAGMA cache_size=-2000")  # SQLite's default
        db.execute("PRAGMA journal_mode=WAL")
    return copies


def _copy_generation(db: sqlite3.Connection, generation: int, count: int, originals: int, outlets: int,
                     strides: dict[str, int]) -> None:
    """One generation of copies of the first ``count`` originals (in story order)."""
    shift = {"gen": generation, "art": generation * strides["articles"], "story": generation * strides["stories"],
             "line": generation * strides["storylines"], "n": originals, "outlets": outlets, "count": count}
    db.execute("DELETE FROM replay_batch")
    db.execute("INSERT INTO replay_batch SELECT id FROM replay_source WHERE position < :count", shift)
    db.execute("DELETE FROM replay_stories")
    db.execute(
        """INSERT INTO replay_stories
           WITH RECURSIVE wanted(id) AS (
               SELECT story_id FROM story_articles WHERE article_id IN (SELECT id FROM replay_batch)
               UNION SELECT s.merged_into FROM stories s JOIN wanted w ON s.id = w.id WHERE s.merged_into IS NOT NULL)
           SELECT id FROM wanted""")
    db.execute(
        """INSERT INTO storylines (id, title, updated_at) SELECT id + :line, title, updated_at FROM storylines
           WHERE id IN (SELECT storyline_id FROM stories WHERE id IN (SELECT id FROM replay_stories))""", shift)
    db.execute(
        """INSERT INTO stories (id, storyline_id, title, first_published, last_published, merged_into, updated_at)
           SELECT id + :story, storyline_id + :line, title, first_published, last_published, merged_into + :story, updated_at
           FROM stories WHERE id IN (SELECT id FROM replay_stories)""", shift)
    db.execute(
        """INSERT INTO articles (id, url, url_key, content_hash, title, text, outlet, published, published_granularity,
                                 published_source, language, extractor, origin, furniture, ingested_at)
           WITH copy AS (
               SELECT a.*, o.name AS new_outlet,
                      'https://' || o.domain || '/replay/' || :gen || '/' || a.id AS new_url,
                      a.text || char(10, 10) || other.lead || char(10, 10)
                          || 'Copy ' || :gen || ' of article ' || a.id || ', as ' || o.name || ' ran it.' AS new_text
               FROM replay_batch b JOIN articles a ON a.id = b.id JOIN replay_source s ON s.id = a.id
               JOIN replay_source other ON other.position = (s.position + :gen) % :n
               JOIN replay_outlet o ON o.position = (s.position + :gen) % :outlets)
           SELECT id + :art, new_url, url_key(new_url), content_hash(new_text), coalesce(title || ' - ' || new_outlet, title),
                  new_text, new_outlet, published, published_granularity, published_source, language, extractor,
                  origin || '#replay' || :gen, furniture, ingested_at
           FROM copy""", shift)
    db.execute(
        """INSERT INTO sightings (article_id, origin, url, raw_hash, seen_at)
           SELECT s.article_id + :art, s.origin || '#replay' || :gen, a.url, s.raw_hash, s.seen_at
           FROM sightings s JOIN articles a ON a.id = s.article_id + :art
           WHERE s.article_id IN (SELECT id FROM replay_batch)""", shift)
    db.execute(
        """INSERT INTO annotations (article_id, version, json, annotated_at)
           SELECT n.article_id + :art, n.version, json_set(n.json, '$.text', a.text), n.annotated_at
           FROM annotations n JOIN articles a ON a.id = n.article_id + :art
           WHERE n.article_id IN (SELECT id FROM replay_batch)""", shift)
    db.execute(
        """INSERT INTO entity_mentions (article_id, entity_id, local_id, start, end, text)
           SELECT article_id + :art, entity_id, local_id, start, end, text FROM entity_mentions
           WHERE article_id IN (SELECT id FROM replay_batch)""", shift)
    db.execute(
        """INSERT INTO quotes (article_id, kind, content, content_start, content_end, speaker_entity_id, speaker_text, cue, channel)
           SELECT article_id + :art, kind, content, content_start, content_end, speaker_entity_id, speaker_text, cue, channel
           FROM quotes WHERE article_id IN (SELECT id FROM replay_batch) ORDER BY id""", shift)
    db.execute(
        """INSERT INTO events (article_id, rank, plover, mode, cameo, status, actor_entity_id, actor_text, target_entity_id,
                               target_text, date, place, according_to_entity_id, evidence, evidence_start, evidence_end)
           SELECT article_id + :art, rank, plover, mode, cameo, status, actor_entity_id, actor_text, target_entity_id,
                  target_text, date, place, according_to_entity_id, evidence, evidence_start, evidence_end
           FROM events WHERE article_id IN (SELECT id FROM replay_batch) ORDER BY id""", shift)
    db.execute(
        """INSERT INTO story_articles (article_id, story_id, copy_of, added_at)
           SELECT article_id + :art, story_id + :story,
                  CASE WHEN copy_of IN (SELECT id FROM replay_batch) THEN copy_of + :art END, added_at FROM story_articles
           WHERE article_id IN (SELECT id FROM replay_batch)""", shift)


def _lead(text: str) -> str:
    """An article's lead paragraph, which copies of other articles carry as an added paragraph."""
    return text.strip().split("\n", 1)[0]


def _registry_outlets() -> list[tuple[str, str]]:
    """(name, domain) of every outlet the registry knows, which copies rotate through."""
    data = json.loads(resources.files("parallax.resources").joinpath("outlets.json").read_text("utf-8"))
    return [(outlet["name"], outlet["domains"][0]) for outlet in data["outlets"]]

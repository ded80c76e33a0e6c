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
    # 2: annotations — the whole JSON per article, plus the parts views query: entities across
    # articles, their mentions, quotes and events; and full-text search over articles.
    """
    CREATE TABLE annotations (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        json TEXT NOT NULL,
        annotated_at TEXT NOT NULL
    );
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        UNIQUE (name, type)
    );
    CREATE TABLE entity_mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        local_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id);
    CREATE INDEX entity_mentions_article ON entity_mentions(article_id);
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        content TEXT NOT NULL,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        speaker_entity_id INTEGER REFERENCES entities(id),
        speaker_text TEXT,
        cue TEXT,
        channel TEXT
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_speaker ON quotes(speaker_entity_id);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        plover TEXT NOT NULL,
        mode TEXT,
        cameo TEXT,
        status TEXT,
        actor_entity_id INTEGER REFERENCES entities(id),
        actor_text TEXT,
        target_entity_id INTEGER REFERENCES entities(id),
        target_text TEXT,
        date TEXT,
        place TEXT,
        according_to_entity_id INTEGER REFERENCES entities(id),
        evidence TEXT NOT NULL,
        evidence_start INTEGER NOT NULL,
        evidence_end INTEGER NOT NULL
    );
    CREATE INDEX events_article ON events(article_id);
    CREATE INDEX events_plover ON events(plover);
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id');
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    """,
    # 3: stories — near-duplicate copies folded, articles grouped into stories (which can merge
    # when a later article bridges them), stories threaded into storylines; the vectors the
    # online clusterer needs to rebuild its index after a restart.
    """
    CREATE TABLE storylines (
        id INTEGER PRIMARY KEY,
        title TEXT,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        storyline_id INTEGER REFERENCES storylines(id),
        title TEXT,
        first_published TEXT,
        last_published TEXT,
        merged_into INTEGER REFERENCES stories(id),
        updated_at TEXT NOT NULL
    );
    CREATE INDEX stories_storyline ON stories(storyline_id);
    CREATE TABLE story_articles (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL REFERENCES stories(id),
        copy_of INTEGER REFERENCES articles(id),
        added_at TEXT NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE story_merges (
        id INTEGER PRIMARY KEY,
        from_story INTEGER NOT NULL REFERENCES stories(id),
        into_story INTEGER NOT NULL REFERENCES stories(id),
        bridging_article INTEGER REFERENCES articles(id),
        at TEXT NOT NULL
    );
    CREATE TABLE article_vectors (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    """,
    # 4: watches and the alerts they raised (one per watch and article or story development).
    """
    CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        webhook TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        watch_id INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
        article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,
        story_id INTEGER REFERENCES stories(id),
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL,
        webhook_delivered INTEGER NOT NULL DEFAULT 0,
        UNIQUE (watch_id, article_id, story_id)
    );
    CREATE INDEX alerts_watch ON alerts(watch_id);
    """,
    # 5: webhook failures are kept on the alert (how many checks failed to deliver it, and the
    # last error), so a failing receiver is visible and the alert is retried on the next check.
    """
    ALTER TABLE alerts ADD COLUMN webhook_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE alerts ADD COLUMN webhook_error TEXT;
    CREATE INDEX alerts_undelivered ON alerts(webhook_delivered, id);
    """,
    # 6: what story assignment keeps of each assigned article so that a restart rebuilds the
    # clusterer without re-reading texts or annotations: its MinHash sketch (copy detection),
    # the days it tells of and its principal entities (JSON lists).
    """
    CREATE TABLE article_signals (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        sketch BLOB,
        shingles INTEGER NOT NULL DEFAULT 0,
        days TEXT NOT NULL DEFAULT '[]',
        entities TEXT NOT NULL DEFAULT '[]'
    );
    """,
    # 7: indexes the web pages need at scale (benchmarks/web_latency.py, 50k articles): an
    # entity's articles and names, a speaker's articles and a PLOVER type's articles read from
    # the index alone (each replaces the one-column index it extends); an outlet's articles; an
    # entity's events as actor or target, with what orders them.
    """
    CREATE INDEX entity_mentions_entity_article ON entity_mentions(entity_id, article_id, text);
    DROP INDEX entity_mentions_entity;
    CREATE INDEX quotes_speaker_article ON quotes(speaker_entity_id, article_id);
    DROP INDEX quotes_speaker;
    CREATE INDEX events_plover_article ON events(plover, article_id);
    DROP INDEX events_plover;
    CREATE INDEX events_actor ON events(actor_entity_id, article_id, rank, date);
    CREATE INDEX events_target ON events(target_entity_id, article_id, rank, date);
    CREATE INDEX articles_outlet ON articles(outlet);
    """,
    # 8: the story clusterer's nearest-neighbour index as it stood after its first ``articles``
    # assigned articles (by id), in parts, so that a restart loads it instead of inserting every
    # vector again. Derived data: ``format`` names what made it (vector model, index library
    # version) and ``digest`` the article ids and vectors it holds; a mismatch means it is rebuilt.
    """
    CREATE TABLE story_index (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        format TEXT NOT NULL,
        articles INTEGER NOT NULL,
        digest TEXT NOT NULL,
        written_at TEXT NOT NULL
    );
    CREATE TABLE story_index_parts (
        part INTEGER PRIMARY KEY,
        data BLOB NOT NULL
    );
    """,
    # 9: for the entity page at scale (benchmarks/web_latency.py, 50k articles): each article's
    # date by its id, so counting an entity's articles per month or dating its events reads this
    # index once per article instead of the whole date index (article rows are wide: the text
    # comes before the date); an entity's mentions by their text, so its names are counted in
    # index order instead of sorting every mention.
    """
    CREATE INDEX articles_id_published ON articles(id, published);
    CREATE INDEX entity_mentions_entity_text ON entity_mentions(entity_id, text);
    """,
    # 10: a stage that fails on one article is recorded on it (with its numbered reason and the
    # runs that tried), so the article is retried once and then left alone, never blocking the
    # rest; each watch keeps the last article id it was checked through, so alerts derive from the
    # store (articles not yet checked) and a killed run's arrivals are checked by the next run.
    # Existing watches start at the newest article: they were checked through it.
    """
    CREATE TABLE article_failures (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1,
        at TEXT NOT NULL,
        PRIMARY KEY (article_id, stage)
    );
    ALTER TABLE watches ADD COLUMN checked_through INTEGER NOT NULL DEFAULT 0;
    UPDATE watches SET checked_through = (SELECT coalesce(max(id), 0) FROM articles);
    """,
    # 11: the byline: the article's authors as a JSON list of names (issue 12). Articles stored
    # before it have none; re-ingesting their pages does not change them (the text is the key).
    """
    ALTER TABLE articles ADD COLUMN authors TEXT NOT NULL DEFAULT '[]';
    """,
    # 12: an outlet's articles by date, from the index alone: a story's coverage asks which
    # outlets published in its days (views/charts.py coverage; was 0.5 s on a 50k store's busy
    # days, reading every article of the window). Replaces the outlet index it extends.
    """
    CREATE INDEX articles_outlet_published ON articles(outlet, published);
    DROP INDEX articles_outlet;
    """,
    # 13: each story's (and storyline's) page as computed, so a page is read, not recomputed per
    # request (issue 15: a comparison embeds and aligns every sentence, ~0.3-1.6 s). ``kind`` is
    # "story" or "storyline"; ``state`` a digest of the members as compared (ids, stories,
    # copies, annotations) and of the comparison's code (views/stories.py), so a view of other
    # members or older code is stale and made again; ``view`` the JSON.
    """
    CREATE TABLE story_views (
        kind TEXT NOT NULL,
        subject INTEGER NOT NULL,
        state TEXT NOT NULL,
        view TEXT NOT NULL,
        made_at TEXT NOT NULL,
        PRIMARY KEY (kind, subject)
    );
    """,
    # 14: the stored index checkpoint's parts are numbered from ``first_part`` (0 or
    # ``INDEX_PART_RANGE``, in turn), so the next one is written beside it, outside the
    # assigning article's transaction, and replaces it whole (``sql_stories.py``). A story's
    # originals (its members that are no copy) by an index of their own: a story's title is
    # chosen among them after each batch that touches it, and a story of the 1M replay may hold
    # 15,000 members of which 4 are originals (each member was read to find them). And whether a
    # story's title may no longer be its central original's (a titled original joined it, or a
    # story merged into it, since its title was chosen): set with the article, cleared when the
    # title is chosen again, so only those stories are read again, even after a kill.
    """
    ALTER TABLE story_index ADD COLUMN first_part INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX story_articles_originals ON story_articles (story_id, article_id) WHERE copy_of IS NULL;
    ALTER TABLE stories ADD COLUMN title_stale INTEGER NOT NULL DEFAULT 0;
    """,
]

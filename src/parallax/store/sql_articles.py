"""Articles in the store: writing them idempotently, their annotations, and reading them back.

Every write of an article (row, raw input, sighting) is one transaction, so a process killed at
any instant leaves either the whole article or none of it; re-running the ingest then finds
what is already there by URL, content hash or (origin, raw hash) and adds only the rest. Two
writers storing the same text at once both end with one article: the second one's insert
meets the first one's key and reads its row instead.
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Collection, Iterator
from typing import Any

from parallax.model import (
    Added, Article, ArticleFailure, ArticleEntity, ArticleEvent, ArticleQuote, ArticleRef, PublicationDate, RawDocument, Span,
)
from parallax.store.gateway import Gateway, now
from parallax.store.keys import content_hash, raw_hash, url_key

# Rows fetched at a time by an export (bounded memory whatever the store size).
EXPORT_BATCH_ROWS = 5000
# Runs that try a stage on an article before it is left alone: the first, and one retry (a
# failure may be the run's, not the article's: memory, a killed worker).
GIVE_UP_AFTER = 2
# Export columns stored as a JSON list in one text column (the same in both backends), by position.
_STORED_LISTS = {"articles": frozenset({3})}
# The tables ``overview_counts`` counts.
COUNTED_TABLES = ("articles", "annotations", "entities", "quotes", "events", "skipped_inputs")

_FIND_ARTICLE = "SELECT id FROM articles WHERE content_hash = ? OR (url_key IS NOT NULL AND url_key = ?)"
_REF_COLUMNS = "id, title, outlet, published, published_granularity"


class ArticlesSQL(Gateway):
    """Ingest, annotation and article reads."""

    # -- writing --------------------------------------------------------------------------
    def seen(self, doc: RawDocument) -> int | None:
        """The article an identical input from the same origin already produced, if any."""
        found = self._value("SELECT article_id FROM sightings WHERE origin = ? AND raw_hash = ?",
                            (doc.origin, raw_hash(doc.body)))
        return int(found) if found is not None else None

    def has_url(self, url: str) -> bool:
        """Whether an article was stored from this URL (or one the same once normalised)."""
        return self._value("SELECT 1 FROM articles WHERE url_key = ? UNION ALL SELECT 1 FROM sightings WHERE url = ? LIMIT 1",
                           (url_key(url), url)) is not None

    def add_article(self, article: Article, doc: RawDocument) -> Added:
        """Store ``article`` (cleaned from ``doc``) unless its URL or text is already stored.

        A duplicate still records where it was seen, so the store knows every origin of a text.
        """
        key = url_key(article.url)
        digest = content_hash(article.text)
        with self.transaction():
            row = self._one(_FIND_ARTICLE, (digest, key))
            if row is None:
                pub = article.published
                row = self._one(
                    """INSERT INTO articles (url, url_key, content_hash, title, text, outlet, published,
                       published_granularity, published_source, language, extractor, origin, furniture,
                       authors, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING RETURNING id""",
                    (
                        article.url, key, digest, article.title, article.text, article.outlet,
                        pub.value if pub else None, pub.granularity if pub else None,
                        pub.source if pub else None, article.language, article.extractor,
                        article.origin, json.dumps(article.furniture, ensure_ascii=False),
                        json.dumps(article.authors, ensure_ascii=False), now(),
                    ),
                )
                if row is not None:
                    self._run("INSERT INTO raw_documents (article_id, media_type, codec, body) VALUES (?,?,?,?)",
                              (int(row[0]), doc.media_type, "zlib", zlib.compress(doc.body, 6)))
                    added = Added(int(row[0]), "ingested")
                else:  # another writer stored this text or URL since the look-up
                    added = Added(int(self._value(_FIND_ARTICLE, (digest, key))), "duplicate")
            else:
                added = Added(int(row[0]), "duplicate")
            self._run(
                "INSERT INTO sightings (article_id, origin, url, raw_hash, seen_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                (added.article_id, doc.origin, doc.url, raw_hash(doc.body), now()),
            )
        return added

    def record_skip(self, origin: str, reason: str) -> None:
        """Keep the reason an input was skipped, so `parallax` can tell what it left out."""
        self._run("INSERT INTO skipped_inputs (origin, reason, at) VALUES (?,?,?)", (origin, reason, now()))

    def save_annotations(self, article_id: int, annotation: dict[str, Any], version: str,
                         unlinked: Collection[str] = ()) -> None:
        """Replace one article's annotation JSON and its queryable parts, in one transaction.

        Entities are linked across articles as they are written (``entity_id``), which reads
        what other writers wrote: one writer links at a time. The ``unlinked`` entities (local
        ids: the article's own outlet) stay in the JSON but join no store-wide entity."""
        text = annotation["text"]
        with self.transaction():
            self._serialize("entities")
            for table in ("entity_mentions", "quotes", "events"):
                self._run(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
            local_to_global: dict[str, int] = {}
            for entity in annotation["entities"]:
                if entity["id"] in unlinked:
                    continue
                gid = self.entity_id(entity["name"], entity["type"])
                local_to_global[entity["id"]] = gid
                self._run_many(
                    'INSERT INTO entity_mentions (article_id, entity_id, local_id, start, "end", text) VALUES (?,?,?,?,?,?)',
                    [(article_id, gid, entity["id"], m["start"], m["end"], text[m["start"]:m["end"]])
                     for m in entity["mentions"]],
                )
            self._run_many(
                """INSERT INTO quotes (article_id, kind, content, content_start, content_end, speaker_entity_id,
                   speaker_text, cue, channel) VALUES (?,?,?,?,?,?,?,?,?)""",
                [_quote_row(article_id, quote, text, local_to_global) for quote in annotation["quotes"]],
            )
            self._run_many(
                """INSERT INTO events (article_id, rank, plover, mode, cameo, status, actor_entity_id, actor_text,
                   target_entity_id, target_text, date, place, according_to_entity_id, evidence, evidence_start,
                   evidence_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [_event_row(article_id, rank, event, text, local_to_global)
                 for rank, event in enumerate(annotation["events"])],
            )
            self._run(
                """INSERT INTO annotations (article_id, version, json, annotated_at) VALUES (?,?,?,?)
                   ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, json = excluded.json,
                   annotated_at = excluded.annotated_at""",
                (article_id, version, json.dumps(annotation, ensure_ascii=False), now()),
            )

    def record_failure(self, article_id: int, stage: str, reason: str) -> None:
        """Keep that ``stage`` failed on the article (one more attempt), so the next run retries it
        once and later runs leave it alone."""
        self._run(
            """INSERT INTO article_failures (article_id, stage, reason, attempts, at) VALUES (?,?,?,1,?)
               ON CONFLICT (article_id, stage) DO UPDATE SET reason = excluded.reason,
               attempts = article_failures.attempts + 1, at = excluded.at""",
            (article_id, stage, reason, now()))

    def clear_failure(self, article_id: int, stage: str) -> None:
        """``stage`` succeeded on the article after all."""
        self._run("DELETE FROM article_failures WHERE article_id = ? AND stage = ?", (article_id, stage))

    def article_failures(self, article_id: int) -> list[ArticleFailure]:
        return [ArticleFailure(r[0], r[1], int(r[2]), r[3]) for r in self._run(
            "SELECT stage, reason, attempts, at FROM article_failures WHERE article_id = ? ORDER BY stage", (article_id,))]

    def entity_id(self, name: str, type_: str) -> int:
        """The store-wide id of an entity, created on first sight (inside ``save_annotations``).

        A bare surname ("Trump") joins the one stored person whose full name ends with it, when
        there is exactly one, so that an entity page later gathers everything."""
        found = self._value("SELECT id FROM entities WHERE name = ? AND type = ?", (name, type_))
        if found is not None:
            return int(found)
        if type_ == "PERSON" and " " not in name.strip():
            fuller = self._ids("SELECT id FROM entities WHERE type = 'PERSON' AND lower(name) LIKE lower(?) LIMIT 2", (f"% {name}",))
            if len(fuller) == 1:
                return fuller[0]
        return int(self._value("INSERT INTO entities (name, type) VALUES (?, ?) RETURNING id", (name, type_)))

    # -- reading --------------------------------------------------------------------------
    def articles_to_annotate(self, version: str) -> list[int]:
        """Ids of articles with no annotations of this version yet, oldest first (a killed run
        resumes), but those annotation has failed on ``GIVE_UP_AFTER`` times."""
        return self._ids(
            f"""SELECT a.id FROM articles a LEFT JOIN annotations n ON n.article_id = a.id
               WHERE (n.article_id IS NULL OR n.version != ?) AND NOT EXISTS (SELECT 1 FROM article_failures f
                     WHERE f.article_id = a.id AND f.stage = 'annotate' AND f.attempts >= {GIVE_UP_AFTER})
               ORDER BY a.id""",
            (version,),
        )

    def annotation(self, article_id: int) -> dict[str, Any] | None:
        found = self._value("SELECT json FROM annotations WHERE article_id = ?", (article_id,))
        return json.loads(found) if found is not None else None

    def annotation_version(self, article_id: int) -> str | None:
        found = self._value("SELECT version FROM annotations WHERE article_id = ?", (article_id,))
        return str(found) if found is not None else None

    def count_articles(self) -> int:
        return int(self._value("SELECT count(*) FROM articles"))

    def get_article(self, article_id: int) -> Article | None:
        row = self._one("SELECT * FROM articles WHERE id = ?", (article_id,))
        return _article(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        for row in self._stream("SELECT * FROM articles ORDER BY id", EXPORT_BATCH_ROWS):
            yield _article(row)

    def raw_body(self, article_id: int) -> bytes | None:
        row = self._one("SELECT codec, body FROM raw_documents WHERE article_id = ?", (article_id,))
        if row is None:
            return None
        return zlib.decompress(row["body"]) if row["codec"] == "zlib" else bytes(row["body"])

    def sightings(self, article_id: int) -> list[str]:
        return [r[0] for r in self._run("SELECT origin FROM sightings WHERE article_id = ? ORDER BY id", (article_id,))]

    def integrity_ok(self) -> bool:
        """Whether every article came whole: its raw input and at least one sighting stored with it."""
        broken = self._value(
            """SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM raw_documents r WHERE r.article_id = a.id)
               OR NOT EXISTS (SELECT 1 FROM sightings s WHERE s.article_id = a.id)""")
        return int(broken) == 0

    # -- an article's page ------------------------------------------------------------------
    def article_entities(self, article_id: int) -> list[ArticleEntity]:
        """The article's entities, most mentioned first, each with its mention offsets."""
        rows = self._run(
            """SELECT e.id, m.local_id, e.name, e.type, m.start, m."end" FROM entity_mentions m
               JOIN entities e ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start""",
            (article_id,),
        )
        grouped: dict[tuple[int, str], ArticleEntity] = {}
        for r in rows:
            key = (r[0], r[1])
            if key not in grouped:
                grouped[key] = ArticleEntity(r[0], r[1], r[2], r[3], [])
            grouped[key].mentions.append(Span(r[4], r[5]))
        return sorted(grouped.values(), key=lambda e: (-len(e.mentions), e.mentions[0].start))

    def article_quotes(self, article_id: int) -> list[ArticleQuote]:
        rows = self._run(
            """SELECT kind, content, content_start, content_end, speaker_text, speaker_entity_id, cue, channel
               FROM quotes WHERE article_id = ? ORDER BY content_start""",
            (article_id,),
        )
        return [ArticleQuote(*r) for r in rows]

    def article_events(self, article_id: int) -> list[ArticleEvent]:
        rows = self._run(
            """SELECT v.plover, v.mode, v.cameo, v.status, v.actor_text, v.actor_entity_id, v.target_text,
                      v.target_entity_id, v.date, v.place, s.name, v.according_to_entity_id, v.evidence,
                      v.evidence_start, v.evidence_end
               FROM events v LEFT JOIN entities s ON s.id = v.according_to_entity_id
               WHERE v.article_id = ? ORDER BY v.rank""",
            (article_id,),
        )
        return [ArticleEvent(*r) for r in rows]

    # -- the store at a glance ----------------------------------------------------------------
    def overview_counts(self) -> dict[str, int]:
        """Rows in each of ``COUNTED_TABLES``."""
        return {table: int(self._value(f"SELECT count(*) FROM {table}")) for table in COUNTED_TABLES}

    def outlet_counts(self) -> list[tuple[str | None, int]]:
        return [(r[0], int(r[1])) for r in self._run(
            "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY 2 DESC, 1")]

    def newest_articles(self, limit: int) -> list[ArticleRef]:
        rows = self._run(
            f"""SELECT {_REF_COLUMNS} FROM articles
                ORDER BY published IS NULL, published DESC, id DESC LIMIT ?""",
            (limit,),
        )
        return [ArticleRef(*r) for r in rows]

    # -- exports ------------------------------------------------------------------------------
    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of an export table (``views/export.py`` names their columns) in a stable
        order, streamed; list-valued columns come as Python lists."""
        sql, lists = self._export_queries()[table]
        stored = _STORED_LISTS.get(table, frozenset())
        for row in self._stream(sql, EXPORT_BATCH_ROWS):
            yield tuple(self._as_list(v) if i in lists else json.loads(v) if i in stored else v for i, v in enumerate(row))

    def _export_queries(self) -> dict[str, tuple[str, frozenset[int]]]:
        """Each table's query and the positions of its list-valued columns aggregated by the query
        (``_STORED_LISTS`` names those stored as JSON text)."""
        return {
            # An article's story is the one it was filed under, or the story that one merged into.
            "articles": ("""SELECT a.id, a.url, a.title, a.authors, a.outlet, a.published, a.published_granularity, a.language,
                                   a.origin, a.ingested_at, coalesce(s.merged_into, s.id), s.storyline_id, sa.copy_of, a.text
                            FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id
                            LEFT JOIN stories s ON s.id = sa.story_id ORDER BY a.id""", frozenset()),
            "quotes": ("""SELECT q.id, q.article_id, q.kind, q.speaker_text, q.speaker_entity_id, e.name, q.cue, q.channel,
                                 q.content, q.content_start, q.content_end
                          FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id ORDER BY q.article_id, q.id""",
                       frozenset()),
            "events": ("""SELECT v.id, v.article_id, v.rank, v.plover, v.mode, v.cameo, v.status, v.actor_text,
                                 v.actor_entity_id, ae.name, v.target_text, v.target_entity_id, te.name, v.date, v.place,
                                 v.according_to_entity_id, se.name, v.evidence, v.evidence_start, v.evidence_end,
                                 a.outlet, a.url, a.published, a.published_granularity, a.ingested_at
                          FROM events v JOIN articles a ON a.id = v.article_id
                          LEFT JOIN entities ae ON ae.id = v.actor_entity_id
                          LEFT JOIN entities te ON te.id = v.target_entity_id
                          LEFT JOIN entities se ON se.id = v.according_to_entity_id
                          ORDER BY v.article_id, v.rank""", frozenset()),
            "stories": (f"""WITH filed AS (SELECT sa.article_id, coalesce(st.merged_into, st.id) AS story_id
                                           FROM story_articles sa JOIN stories st ON st.id = sa.story_id)
                            SELECT s.id, s.storyline_id, s.title, s.first_published, s.last_published, count(a.id),
                                   {self._json_list("DISTINCT a.outlet")} FILTER (WHERE a.outlet IS NOT NULL),
                                   {self._json_list("a.id")}
                            FROM stories s LEFT JOIN filed f ON f.story_id = s.id LEFT JOIN articles a ON a.id = f.article_id
                            WHERE s.merged_into IS NULL
                            GROUP BY s.id ORDER BY s.id""", frozenset({6, 7})),
        }


def _quote_row(article_id: int, quote: dict[str, Any], text: str, entities: dict[str, int]) -> tuple[Any, ...]:
    content, speaker, cue = quote["content"], quote.get("speaker"), quote.get("cue")
    return (
        article_id, quote["kind"], text[content["start"]:content["end"]], content["start"], content["end"],
        entities.get(speaker["entity"]) if speaker and speaker.get("entity") else None,
        (speaker.get("name") or speaker.get("text")) if speaker else None,
        text[cue["start"]:cue["end"]] if cue else None, quote.get("channel"),
    )


def _event_row(article_id: int, rank: int, event: dict[str, Any], text: str, entities: dict[str, int]) -> tuple[Any, ...]:
    actor, target, evidence = event.get("actor") or {}, event.get("target") or {}, event["evidence"]
    return (
        article_id, rank, event["plover"], event.get("mode"), event.get("cameo"), event.get("status"),
        entities.get(actor.get("entity") or ""), actor.get("text"),
        entities.get(target.get("entity") or ""), target.get("text"),
        event.get("date"), event.get("place"), entities.get(event.get("according_to") or ""),
        text[evidence["start"]:evidence["end"]], evidence["start"], evidence["end"],
    )


def _article(row: Any) -> Article:
    published = (
        PublicationDate(row["published"], row["published_granularity"], row["published_source"])
        if row["published"]
        else None
    )
    return Article(
        id=row["id"], text=row["text"], title=row["title"], url=row["url"], outlet=row["outlet"],
        published=published, language=row["language"], furniture=json.loads(row["furniture"]),
        origin=row["origin"], extractor=row["extractor"], authors=json.loads(row["authors"]),
    )

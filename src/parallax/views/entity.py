"""An entity's profile across the store: where it is mentioned, what it said, what it did or had
done to it, who appears beside it, and how often over time.

Entities are store-wide rows (one per name and type, linked across articles when annotations
are written), so every query here starts from one entity id and reads the tables the annotation
writer fills; nothing is recomputed from text.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from parallax.store import SQLiteStore

# How many rows of each list a profile carries; the article list is the long one.
MAX_ARTICLES = 200
MAX_QUOTES = 200
MAX_EVENTS = 200
MAX_NEIGHBOURS = 30
# Co-occurring entities are counted over the entity's latest articles only: a much-mentioned
# entity's neighbours would otherwise aggregate every mention of a large share of the store.
MAX_COOCCURRENCE_ARTICLES = 500
MAX_ALIASES = 20
# Entities listed by a name look-up or on the home page.
MAX_LISTED = 50


@dataclass(frozen=True)
class EntitySummary:
    id: int
    name: str
    type: str
    mentions: int
    articles: int


@dataclass(frozen=True)
class ArticleRef:
    """Enough of an article to list and link it."""

    id: int
    title: str | None
    outlet: str | None
    published: str | None
    published_granularity: str | None


@dataclass(frozen=True)
class EntityArticle:
    article: ArticleRef
    mentions: int


@dataclass(frozen=True)
class EntityQuote:
    article: ArticleRef
    kind: str
    content: str
    cue: str | None
    channel: str | None
    speaker_text: str | None


@dataclass(frozen=True)
class EntityEvent:
    article: ArticleRef
    role: str  # "actor" or "target"
    plover: str
    mode: str | None
    status: str | None
    actor: str | None
    actor_id: int | None
    target: str | None
    target_id: int | None
    date: str | None
    place: str | None
    evidence: str


@dataclass(frozen=True)
class Alias:
    text: str
    count: int


@dataclass(frozen=True)
class Period:
    """Articles mentioning the entity in one month ("2025-03"); a year ("2018") for articles dated
    only to the year, None for undated ones."""

    period: str | None
    articles: int
    mentions: int


@dataclass(frozen=True)
class EntityProfile:
    entity: EntitySummary
    aliases: list[Alias] = field(default_factory=list)
    articles: list[EntityArticle] = field(default_factory=list)
    quotes: list[EntityQuote] = field(default_factory=list)
    events: list[EntityEvent] = field(default_factory=list)
    co_occurring: list[EntitySummary] = field(default_factory=list)
    over_time: list[Period] = field(default_factory=list)


_ARTICLE_COLUMNS = "a.id AS a_id, a.title AS a_title, a.outlet AS a_outlet, a.published AS a_published, a.published_granularity AS a_granularity"
# Newest first, undated last: SQLite sorts NULL below every value, so a descending walk of the
# date index (its entries end with the id) gives this order and can stop at a LIMIT.
_NEWEST_FIRST = "ORDER BY published DESC, id DESC"
# The ids of the latest ``?`` articles among those a query (with its parameters before) selects,
# newest first. The date index holds each article's date and id, so articles are chosen
# without reading them: article rows are wide (the text comes before the date).
_LATEST = f"SELECT id FROM articles INDEXED BY articles_published WHERE id IN ({{}}) {_NEWEST_FIRST} LIMIT ?"
# The same, walking the date index newest first and asking the mention index of each article
# until enough are found: far quicker for an entity in a good share of the store, far slower
# for a rare one.
_LATEST_WALKING = f"""SELECT id FROM articles a INDEXED BY articles_published
    WHERE EXISTS (SELECT 1 FROM entity_mentions m WHERE m.entity_id = ? AND m.article_id = a.id) {_NEWEST_FIRST} LIMIT ?"""
_MENTIONING = "SELECT article_id FROM entity_mentions WHERE entity_id = ?"
_SUMMARY = """SELECT e.id, e.name, e.type, count(*) AS mentions, count(DISTINCT m.article_id) AS articles
              FROM entities e JOIN entity_mentions m ON m.entity_id = e.id"""


def entity_profile(store: SQLiteStore, entity_id: int) -> EntityProfile | None:
    """Everything the store knows about one entity, or None if there is no such entity."""
    db = store.db
    row = db.execute("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    # Every article mentioning the entity is in one period (undated ones in their own), so the
    # totals come with the counts over time: the mentions are read once for both.
    over_time = _over_time(db, entity_id)
    summary = EntitySummary(row["id"], row["name"], row["type"], sum(p.mentions for p in over_time),
                            sum(p.articles for p in over_time))
    latest = _latest_mentioning(db, summary, max(MAX_ARTICLES, MAX_COOCCURRENCE_ARTICLES))
    return EntityProfile(
        entity=summary,
        aliases=_aliases(db, entity_id),
        articles=_articles(db, entity_id, latest[:MAX_ARTICLES]),
        quotes=_quotes(db, entity_id),
        events=_events(db, entity_id),
        co_occurring=_co_occurring(db, entity_id, latest[:MAX_COOCCURRENCE_ARTICLES]),
        over_time=over_time,
    )


def find_entities(store: SQLiteStore, name: str = "", *, limit: int = MAX_LISTED) -> list[EntitySummary]:
    """Entities whose name contains ``name`` (all of them when empty), most mentioned first."""
    rows = store.db.execute(
        f"{_SUMMARY} WHERE e.name LIKE ? ESCAPE '\\' GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.name LIMIT ?",
        ("%" + _escape_like(name.strip()) + "%", limit),
    )
    return [_entity_summary(r) for r in rows]


def _aliases(db: sqlite3.Connection, entity_id: int) -> list[Alias]:
    rows = db.execute(
        "SELECT text, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY text ORDER BY 2 DESC, 1 LIMIT ?",
        (entity_id, MAX_ALIASES),
    )
    return [Alias(r[0], r[1]) for r in rows]


def _latest_mentioning(db: sqlite3.Connection, entity: EntitySummary, limit: int) -> list[int]:
    """The ids of the latest ``limit`` articles that mention the entity, newest first.

    Walking the date index visits about ``limit`` x (articles in the store / the entity's) of
    them; gathering the entity's articles first costs about as many as it has, plus one pass
    over the date index. The cheaper one is chosen (the highest id stands for the store's size).
    """
    stored = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    if entity.articles and limit * stored / entity.articles < entity.articles:
        rows = db.execute(_LATEST_WALKING, (entity.id, limit))
    else:
        rows = db.execute(_LATEST.format(_MENTIONING), (entity.id, limit))
    return [int(r[0]) for r in rows]


def _articles(db: sqlite3.Connection, entity_id: int, latest: list[int]) -> list[EntityArticle]:
    rows = db.execute(
        f"""SELECT {_ARTICLE_COLUMNS},
                   (SELECT count(*) FROM entity_mentions m WHERE m.entity_id = ? AND m.article_id = a.id) AS n
            FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))
            ORDER BY a.published DESC, a.id DESC""",
        (entity_id, json.dumps(latest)),
    )
    return [EntityArticle(_article_ref(r), r["n"]) for r in rows]


def _quotes(db: sqlite3.Connection, entity_id: int) -> list[EntityQuote]:
    # Each of the latest articles the entity is quoted in holds one of its quotes at least, so
    # the latest quotes are all among that many articles.
    speaking = "SELECT article_id FROM quotes WHERE speaker_entity_id = ?"
    rows = db.execute(
        f"""SELECT {_ARTICLE_COLUMNS}, q.kind, q.content, q.cue, q.channel, q.speaker_text
            FROM quotes q JOIN articles a ON a.id = q.article_id
            WHERE q.speaker_entity_id = ? AND q.article_id IN ({_LATEST.format(speaking)})
            ORDER BY a.published DESC, a.id DESC, q.content_start LIMIT ?""",
        (entity_id, entity_id, MAX_QUOTES, MAX_QUOTES),
    )
    return [EntityQuote(_article_ref(r), r["kind"], r["content"], r["cue"], r["channel"], r["speaker_text"]) for r in rows]


def _events(db: sqlite3.Connection, entity_id: int) -> list[EntityEvent]:
    """The entity's latest events as actor or target, dated by their own date, else by their
    article's: the events are chosen with article dates from the date index, and only the
    chosen ones are joined to their articles."""
    rows = db.execute(
        f"""WITH involved AS MATERIALIZED (
                SELECT id, article_id, rank, date FROM events WHERE actor_entity_id = ?1 OR target_entity_id = ?1),
            chosen AS (
                SELECT v.id FROM involved v JOIN articles d INDEXED BY articles_id_published ON d.id = v.article_id
                ORDER BY coalesce(v.date, substr(d.published, 1, 10)) IS NULL, coalesce(v.date, substr(d.published, 1, 10)) DESC,
                         v.article_id DESC, v.rank LIMIT ?2)
            SELECT {_ARTICLE_COLUMNS}, v.*, CASE WHEN v.actor_entity_id = ?1 THEN 'actor' ELSE 'target' END AS role
            FROM events v JOIN articles a ON a.id = v.article_id WHERE v.id IN (SELECT id FROM chosen)
            ORDER BY coalesce(v.date, substr(a.published, 1, 10)) IS NULL, coalesce(v.date, substr(a.published, 1, 10)) DESC,
                     a.id DESC, v.rank""",
        (entity_id, MAX_EVENTS),
    )
    return [
        EntityEvent(
            _article_ref(r), r["role"], r["plover"], r["mode"], r["status"], r["actor_text"], r["actor_entity_id"],
            r["target_text"], r["target_entity_id"], r["date"], r["place"], r["evidence"],
        )
        for r in rows
    ]


def _co_occurring(db: sqlite3.Connection, entity_id: int, latest: list[int]) -> list[EntitySummary]:
    """Other entities mentioned in the same articles (the latest ``MAX_COOCCURRENCE_ARTICLES``),
    by how many articles they share."""
    rows = db.execute(
        f"""{_SUMMARY} WHERE m.entity_id != ? AND m.article_id IN (SELECT value FROM json_each(?))
            GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.name LIMIT ?""",
        (entity_id, json.dumps(latest), MAX_NEIGHBOURS),
    )
    return [_entity_summary(r) for r in rows]


def _over_time(db: sqlite3.Connection, entity_id: int) -> list[Period]:
    """Articles and mentions per month of publication; undated articles last, as their own row.
    Counts come from the mention index, dates from the id-and-date index: no article is read."""
    rows = db.execute(
        """SELECT substr(a.published, 1, 7) AS period, count(*), sum(c.n)
           FROM (SELECT article_id, count(*) AS n FROM entity_mentions WHERE entity_id = ? GROUP BY article_id) c
           JOIN articles a INDEXED BY articles_id_published ON a.id = c.article_id
           GROUP BY period ORDER BY period IS NULL, period""",
        (entity_id,),
    )
    return [Period(r[0], r[1], r[2]) for r in rows]


def _article_ref(row: sqlite3.Row) -> ArticleRef:
    return ArticleRef(row["a_id"], row["a_title"], row["a_outlet"], row["a_published"], row["a_granularity"])


def _entity_summary(row: sqlite3.Row) -> EntitySummary:
    return EntitySummary(row["id"], row["name"], row["type"], row["mentions"], row["articles"])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

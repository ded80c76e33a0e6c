"""Saved watches and the alerts they raise as articles arrive.

A watch is one standing question, of one of four kinds:

- ``entity``: articles that mention an entity. The name is resolved through the store-wide
  entities: every entity whose canonical name is the watched name, or that some article refers to
  by it (a watch on "Putin" finds "Vladimir Putin"); case is ignored (ASCII letters only, as
  SQLite's NOCASE).
- ``keyword``: articles matching words in the full-text index, with the search box's query
  language (every word must appear; ``"a phrase"``; ``word*`` for a prefix).
- ``plover``: articles with an event of a PLOVER type among their annotated events.
- ``storyline``: new developments in the stories of one storyline. An article arriving in the
  storyline is a development when it is not a near-duplicate copy and brings at least one of:
  a story new to the storyline (the first article of its story); an outlet not telling its story
  before (the first article from that outlet in the story); a PLOVER event type that no earlier
  article of its story had. "Earlier" is arrival order (article ids). Another report by an outlet
  already telling the story, with nothing new in it, raises no alert: the watch reports
  developments, not volume.

Each alert is one (watch, article): the ``alerts`` table's UNIQUE constraint cannot enforce that
alone, because SQLite's UNIQUE treats NULL story ids as distinct, so ``check_watches`` also looks
for an earlier alert inside the same write transaction. Re-checking the whole store, or ingesting
the same input again, therefore never repeats an alert.

Delivery to webhooks is a job apart (``parallax/webhooks.py``): an alert is stored first, and this
module only keeps the record of its delivery (``undelivered_alerts``, ``record_delivery``).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from parallax.errors import Errors, InputError
from parallax.store import SQLiteStore
from parallax.views.search import fts_expression

KINDS = ("entity", "keyword", "plover", "storyline")
# Characters of an event's evidence sentence quoted in an alert's reason.
REASON_EVIDENCE_CHARS = 160
# Alerts listed on the watches page and in an Atom feed, newest first.
RECENT_ALERTS = 50


@dataclass(frozen=True)
class Watch:
    id: int
    name: str
    kind: str
    value: str
    webhook: str | None
    active: bool
    created_at: str
    alerts: int = 0
    undelivered: int = 0


@dataclass(frozen=True)
class Alert:
    """One alert with enough of its article to show it anywhere (terminal, feed, webhook)."""

    id: int
    watch: str
    kind: str
    value: str
    reason: str
    created_at: str
    article_id: int | None
    story_id: int | None
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    webhook_delivered: bool
    webhook_attempts: int
    webhook_error: str | None

    def payload(self) -> dict[str, Any]:
        """The JSON a webhook receives."""
        return {
            "alert": self.id,
            "watch": self.watch,
            "kind": self.kind,
            "value": self.value,
            "reason": self.reason,
            "created_at": self.created_at,
            "story": self.story_id,
            "article": {"id": self.article_id, "title": self.title, "outlet": self.outlet,
                        "url": self.url, "published": self.published},
        }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# -- managing watches --------------------------------------------------------------------------
def plover_types() -> list[str]:
    """The PLOVER event types the event coder can assign (from the shipped codebook)."""
    book = json.loads(resources.files("parallax").joinpath("resources/plover_codebook.json").read_text("utf-8"))
    return sorted(book["modes"])


def add_watch(store: SQLiteStore, name: str, kind: str, value: str, webhook: str | None = None) -> Watch:
    """Save a watch, refusing what could never match (an unknown PLOVER type, a keyword with no
    words, a storyline the store does not have) so a typo does not sit silent for weeks."""
    name, value = name.strip(), value.strip()
    if not name or not value:
        raise InputError(Errors.E607)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if kind == "plover":
        value = value.upper()
        if value not in plover_types():
            raise InputError(Errors.E603, value=value, known=", ".join(plover_types()))
    elif kind == "keyword" and fts_expression(value) is None:
        raise InputError(Errors.E604)
    elif kind == "storyline":
        if not value.isdigit() or store.db.execute("SELECT 1 FROM storylines WHERE id = ?", (int(value),)).fetchone() is None:
            raise InputError(Errors.E605, value=value)
    if webhook is not None and not webhook.lower().startswith(("http://", "https://")):
        raise InputError(Errors.E606, value=webhook)
    try:
        store.db.execute(
            "INSERT INTO watches (name, kind, value, webhook, active, created_at) VALUES (?,?,?,?,1,?)",
            (name, kind, value, webhook, _now()),
        )
    except sqlite3.IntegrityError:
        raise InputError(Errors.E601, name=name) from None
    found = get_watch(store, name)
    assert found is not None
    return found


def remove_watch(store: SQLiteStore, name: str) -> None:
    """Delete a watch and its alerts."""
    if store.db.execute("DELETE FROM watches WHERE name = ?", (name,)).rowcount == 0:
        raise InputError(Errors.E602, name=name)


_WATCH_SELECT = """SELECT w.*, count(a.id) AS n_alerts,
                          count(a.id) FILTER (WHERE w.webhook IS NOT NULL AND a.webhook_delivered = 0) AS n_undelivered
                   FROM watches w LEFT JOIN alerts a ON a.watch_id = w.id"""


def list_watches(store: SQLiteStore) -> list[Watch]:
    return [_watch(r) for r in store.db.execute(f"{_WATCH_SELECT} GROUP BY w.id ORDER BY w.name")]


def get_watch(store: SQLiteStore, name: str) -> Watch | None:
    row = store.db.execute(f"{_WATCH_SELECT} WHERE w.name = ? GROUP BY w.id", (name,)).fetchone()
    return _watch(row) if row else None


def _watch(row: sqlite3.Row) -> Watch:
    return Watch(row["id"], row["name"], row["kind"], row["value"], row["webhook"], bool(row["active"]),
                 row["created_at"], row["n_alerts"], row["n_undelivered"])


# -- matching ----------------------------------------------------------------------------------
def check_watches(store: SQLiteStore, article_ids: Iterable[int] | None) -> list[Alert]:
    """Match the given articles (``None``: the whole store) against every active watch and store
    one alert per new (watch, article) match; returns only the alerts this call created."""
    db = store.db
    watches = [_watch(r) for r in db.execute(f"{_WATCH_SELECT} WHERE w.active = 1 GROUP BY w.id ORDER BY w.id")]
    if not watches:
        return []
    created: list[int] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        scope = _scope(db, article_ids)
        for watch in watches:
            for article_id, story_id, reason in _MATCHERS[watch.kind](db, watch.value, scope):
                already = db.execute(
                    "SELECT 1 FROM alerts WHERE watch_id = ? AND article_id = ?", (watch.id, article_id)
                ).fetchone()
                if already:
                    continue
                cursor = db.execute(
                    """INSERT OR IGNORE INTO alerts (watch_id, article_id, story_id, reason, created_at)
                       VALUES (?,?,?,?,?)""",
                    (watch.id, article_id, story_id, reason, _now()),
                )
                if cursor.rowcount:
                    created.append(int(cursor.lastrowid))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    finally:
        db.execute("DROP TABLE IF EXISTS temp.watch_scope")
    return _alerts(db, "a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id", [json.dumps(created)]) if created else []


def _scope(db: sqlite3.Connection, article_ids: Iterable[int] | None) -> str:
    """SQL naming the article ids to check: a temporary table of them, or all articles."""
    if article_ids is None:
        return "SELECT id FROM articles"
    db.execute("CREATE TEMP TABLE IF NOT EXISTS watch_scope (article_id INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.watch_scope")
    db.executemany("INSERT OR IGNORE INTO temp.watch_scope VALUES (?)", ((int(i),) for i in article_ids))
    return "SELECT article_id FROM temp.watch_scope"


Match = tuple[int, int | None, str]  # (article id, story id or None, reason)


def _entity_matches(db: sqlite3.Connection, name: str, scope: str) -> list[Match]:
    rows = db.execute(
        f"""WITH watched AS (
                SELECT id FROM entities WHERE name = ? COLLATE NOCASE
                UNION SELECT DISTINCT entity_id FROM entity_mentions WHERE text = ? COLLATE NOCASE)
            SELECT m.article_id, e.name, count(*) AS n FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
            WHERE m.entity_id IN (SELECT id FROM watched) AND m.article_id IN ({scope})
            GROUP BY m.article_id, e.id ORDER BY m.article_id, n DESC""",
        (name, name),
    )
    by_article: dict[int, list[str]] = {}
    for article_id, entity_name, count in rows:
        by_article.setdefault(article_id, []).append(f"{entity_name} ({count}×)")
    return [(article_id, None, "mentions " + ", ".join(names)) for article_id, names in by_article.items()]


def _keyword_matches(db: sqlite3.Connection, query: str, scope: str) -> list[Match]:
    expression = fts_expression(query)
    if expression is None:
        return []
    rows = db.execute(
        f"SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({scope}) ORDER BY rowid", (expression,)
    )
    return [(row[0], None, f"matches {query}") for row in rows]


def _plover_matches(db: sqlite3.Connection, plover: str, scope: str) -> list[Match]:
    rows = db.execute(
        f"""SELECT article_id, evidence FROM events
            WHERE plover = ? AND article_id IN ({scope}) AND rank = (
                SELECT min(rank) FROM events v WHERE v.article_id = events.article_id AND v.plover = events.plover)
            ORDER BY article_id""",
        (plover,),
    )
    return [(article_id, None, f"{plover} event: {_clip(evidence)}") for article_id, evidence in rows]


def _storyline_matches(db: sqlite3.Connection, storyline: str, scope: str) -> list[Match]:
    """Developments (see the module docstring) brought by articles in scope to the storyline."""
    merged = dict(db.execute("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL").fetchall())
    watched = {int(r[0]) for r in db.execute("SELECT id FROM stories WHERE storyline_id = ? AND merged_into IS NULL", (int(storyline),))}
    filed_under = [story for story in (*watched, *merged) if _live_story(story, merged) in watched]
    members: dict[int, list[sqlite3.Row]] = {}  # live story id -> its articles in arrival order
    for row in db.execute(
        """SELECT sa.article_id, sa.story_id, sa.copy_of, ar.outlet FROM story_articles sa
           JOIN articles ar ON ar.id = sa.article_id
           WHERE sa.story_id IN (SELECT value FROM json_each(?)) ORDER BY sa.article_id""",
        (json.dumps(filed_under),),
    ):
        members.setdefault(_live_story(row["story_id"], merged), []).append(row)
    in_scope = {int(r[0]) for r in db.execute(scope)}
    matches: list[Match] = []
    for story_id in sorted(members):
        articles = members[story_id]
        event_types = _event_types(db, [r["article_id"] for r in articles])
        outlets_before: set[str | None] = set()
        types_before: set[str] = set()
        for position, row in enumerate(articles):
            news = []
            if position == 0:
                news.append(f"new story {story_id} in storyline {storyline}")
            elif row["outlet"] not in outlets_before:
                news.append(f"first report from {row['outlet'] or 'an unnamed outlet'}")
            fresh = sorted(event_types.get(row["article_id"], set()) - types_before)
            if fresh and position:
                news.append("new event type " + ", ".join(fresh))
            if news and row["copy_of"] is None and row["article_id"] in in_scope:
                matches.append((row["article_id"], story_id, "; ".join(news)))
            outlets_before.add(row["outlet"])
            types_before |= event_types.get(row["article_id"], set())
    return matches


def _live_story(story_id: int, merged: dict[int, int]) -> int:
    """The story a merged one now lives in (merges can chain)."""
    seen = {story_id}
    while story_id in merged and merged[story_id] not in seen:
        story_id = merged[story_id]
        seen.add(story_id)
    return story_id


def _event_types(db: sqlite3.Connection, article_ids: list[int]) -> dict[int, set[str]]:
    types: dict[int, set[str]] = {}
    rows = db.execute(
        "SELECT article_id, plover FROM events WHERE article_id IN (SELECT value FROM json_each(?))", (json.dumps(article_ids),)
    )
    for article_id, plover in rows:
        types.setdefault(article_id, set()).add(plover)
    return types


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= REASON_EVIDENCE_CHARS else flat[: REASON_EVIDENCE_CHARS - 1].rstrip() + "…"


_MATCHERS = {
    "entity": _entity_matches,
    "keyword": _keyword_matches,
    "plover": _plover_matches,
    "storyline": _storyline_matches,
}


# -- reading alerts ----------------------------------------------------------------------------
def recent_alerts(store: SQLiteStore, watch: str | None = None, limit: int = RECENT_ALERTS) -> list[Alert]:
    """The newest alerts, of one watch or of all."""
    if watch is None:
        return _alerts(store.db, "1 = 1 ORDER BY a.id DESC LIMIT ?", [limit])
    return _alerts(store.db, "w.name = ? ORDER BY a.id DESC LIMIT ?", [watch, limit])


def _alerts(db: sqlite3.Connection, condition: str, params: list[object]) -> list[Alert]:
    rows = db.execute(
        f"""SELECT a.*, w.name AS watch, w.kind, w.value, ar.title, ar.outlet, ar.url, ar.published
            FROM alerts a JOIN watches w ON w.id = a.watch_id LEFT JOIN articles ar ON ar.id = a.article_id
            WHERE {condition}""",
        params,
    )
    return [
        Alert(r["id"], r["watch"], r["kind"], r["value"], r["reason"], r["created_at"], r["article_id"], r["story_id"],
              r["title"], r["outlet"], r["url"], r["published"], bool(r["webhook_delivered"]), r["webhook_attempts"],
              r["webhook_error"])
        for r in rows
    ]


def undelivered_alerts(store: SQLiteStore) -> list[Alert]:
    """Every alert of a watch with a webhook not yet delivered, oldest first."""
    return _alerts(store.db, "w.webhook IS NOT NULL AND a.webhook_delivered = 0 ORDER BY a.id", [])


def watch_webhooks(store: SQLiteStore) -> dict[str, str]:
    """The webhook of each watch that has one, by watch name."""
    return dict(store.db.execute("SELECT name, webhook FROM watches WHERE webhook IS NOT NULL").fetchall())


def record_delivery(store: SQLiteStore, alert_id: int, error: str | None) -> None:
    """Keep the outcome of one delivery attempt: delivered (``error`` None), or the error."""
    if error is None:
        store.db.execute("UPDATE alerts SET webhook_delivered = 1, webhook_error = NULL WHERE id = ?", (alert_id,))
    else:
        store.db.execute("UPDATE alerts SET webhook_attempts = webhook_attempts + 1, webhook_error = ? WHERE id = ?",
                         (error, alert_id))

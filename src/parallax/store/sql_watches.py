"""Saved watches and their alerts in the store, and the look-ups that match articles to them.

Matching rules live in ``views/watch.py``; here are the reads they need, each limited to a
scope of articles (a list of ids, or ``None`` for the whole store). Each alert is one
(watch, article): the ``alerts`` table's UNIQUE constraint cannot enforce that alone, because
UNIQUE treats NULL story ids as distinct, so ``add_alerts`` looks for an earlier alert inside its
write transaction, with other alert writers held off until it commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from parallax.model import Alert, Watch
from parallax.store.gateway import Gateway, now
from parallax.store.sql_articles import GIVE_UP_AFTER

_WATCH_SELECT = """SELECT w.*, count(a.id) AS n_alerts,
                          count(a.id) FILTER (WHERE w.webhook IS NOT NULL AND a.webhook_delivered = 0) AS n_undelivered
                   FROM watches w LEFT JOIN alerts a ON a.watch_id = w.id"""
_ALERT_SELECT = """SELECT a.*, w.name AS watch, w.kind, w.value, ar.title, ar.outlet, ar.url, ar.published
                   FROM alerts a JOIN watches w ON w.id = a.watch_id LEFT JOIN articles ar ON ar.id = a.article_id"""


class WatchesSQL(Gateway):
    """Watches, alerts and webhook bookkeeping."""

    def add_watch(self, name: str, kind: str, value: str, webhook: str | None) -> bool:
        """Save a watch; False when one of that name exists."""
        row = self._one(
            """INSERT INTO watches (name, kind, value, webhook, active, created_at, checked_through)
               VALUES (?,?,?,?,1,?, (SELECT coalesce(max(id), 0) FROM articles))
               ON CONFLICT (name) DO NOTHING RETURNING id""",
            (name, kind, value, webhook, now()),
        )
        return row is not None

    def settled_through(self, *, stories: bool) -> int:
        """The last article id up to which every article is through its stages: given a story
        (or given up on, see ``GIVE_UP_AFTER``) when ``stories``, else merely stored."""
        newest = int(self._value("SELECT coalesce(max(id), 0) FROM articles"))
        if not stories:
            return newest
        waiting = self._value(f"""SELECT min(a.id) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles s
                                  WHERE s.article_id = a.id) AND NOT EXISTS (SELECT 1 FROM article_failures f
                                  WHERE f.article_id = a.id AND f.stage = 'stories' AND f.attempts >= {GIVE_UP_AFTER})""")
        return newest if waiting is None else int(waiting) - 1

    def unchecked_articles(self, watch_id: int, through: int) -> list[int]:
        """Articles after the watch's ``checked_through`` and up to ``through``, by id."""
        return self._ids("""SELECT a.id FROM articles a JOIN watches w ON w.id = ?
                            WHERE a.id > w.checked_through AND a.id <= ? ORDER BY a.id""", (watch_id, through))

    def mark_checked(self, watch_id: int, through: int) -> None:
        """The watch has been checked through article ``through`` (never moved back)."""
        self._run("UPDATE watches SET checked_through = ? WHERE id = ? AND checked_through < ?", (through, watch_id, through))

    def remove_watch(self, name: str) -> bool:
        """Delete a watch and its alerts; False when there is none of that name."""
        return bool(self._run("DELETE FROM watches WHERE name = ?", (name,)).rowcount)

    def watches(self, *, active_only: bool = False) -> list[Watch]:
        """The saved watches, by name (active ones only: by id, the order they are checked in)."""
        if active_only:
            return [_watch(r) for r in self._run(f"{_WATCH_SELECT} WHERE w.active = 1 GROUP BY w.id ORDER BY w.id")]
        return [_watch(r) for r in self._run(f"{_WATCH_SELECT} GROUP BY w.id ORDER BY w.name")]

    def get_watch(self, name: str) -> Watch | None:
        row = self._one(f"{_WATCH_SELECT} WHERE w.name = ? GROUP BY w.id", (name,))
        return _watch(row) if row else None

    def storyline_exists(self, storyline_id: int) -> bool:
        return self._one("SELECT 1 FROM storylines WHERE id = ?", (storyline_id,)) is not None

    # -- matching -----------------------------------------------------------------------------
    def entity_mentions_named(self, name: str, article_ids: Sequence[int] | None) -> list[tuple[int, str, int]]:
        """(article, entity name, mentions) for the articles in scope that mention an entity whose
        name is ``name`` or that some article refers to by it (case ignored), most mentioned first."""
        scope, params = self._scope("m.article_id", article_ids)
        rows = self._run(
            f"""WITH watched AS (
                    SELECT id FROM entities WHERE lower(name) = lower(?)
                    UNION SELECT DISTINCT entity_id FROM entity_mentions WHERE lower(text) = lower(?))
                SELECT m.article_id, e.name, count(*) AS n FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                WHERE m.entity_id IN (SELECT id FROM watched) AND {scope}
                GROUP BY m.article_id, e.id ORDER BY m.article_id, n DESC""",
            (name, name, *params),
        )
        return [(int(r[0]), r[1], int(r[2])) for r in rows]

    def first_events_of_type(self, plover: str, article_ids: Sequence[int] | None) -> list[tuple[int, str]]:
        """(article, evidence of its highest-ranked event of this PLOVER type) in scope."""
        scope, params = self._scope("article_id", article_ids)
        rows = self._run(
            f"""SELECT article_id, evidence FROM events
                WHERE plover = ? AND {scope} AND rank = (
                    SELECT min(rank) FROM events v WHERE v.article_id = events.article_id AND v.plover = events.plover)
                ORDER BY article_id""",
            (plover, *params),
        )
        return [(int(r[0]), r[1]) for r in rows]

    def event_types(self, article_ids: Sequence[int]) -> dict[int, set[str]]:
        """The PLOVER types of each article's events."""
        types: dict[int, set[str]] = {}
        for article_id, plover in self._run(
                f"SELECT article_id, plover FROM events WHERE {self._in_ids('article_id')}", (self._id_list(article_ids),)):
            types.setdefault(int(article_id), set()).add(plover)
        return types

    def live_stories_of(self, storyline_id: int) -> set[int]:
        return set(self._ids("SELECT id FROM stories WHERE storyline_id = ? AND merged_into IS NULL", (storyline_id,)))

    # -- alerts -------------------------------------------------------------------------------
    def add_alerts(self, alerts: Iterable[tuple[int, int, int | None, str]]) -> list[int]:
        """Store (watch, article, story, reason) alerts, skipping any (watch, article) already
        alerted; returns the new alerts' ids."""
        created: list[int] = []
        with self.transaction():
            self._serialize("alerts")
            for watch_id, article_id, story_id, reason in alerts:
                if self._one("SELECT 1 FROM alerts WHERE watch_id = ? AND article_id = ?", (watch_id, article_id)):
                    continue
                row = self._one(
                    """INSERT INTO alerts (watch_id, article_id, story_id, reason, created_at) VALUES (?,?,?,?,?)
                       ON CONFLICT DO NOTHING RETURNING id""",
                    (watch_id, article_id, story_id, reason, now()),
                )
                if row is not None:
                    created.append(int(row[0]))
        return created

    def alerts_by_id(self, alert_ids: Sequence[int]) -> list[Alert]:
        return self._alerts(f"{self._in_ids('a.id')} ORDER BY a.id", [self._id_list(alert_ids)])

    def recent_alerts(self, watch: str | None, limit: int) -> list[Alert]:
        """The newest alerts, of one watch or of all."""
        if watch is None:
            return self._alerts("1 = 1 ORDER BY a.id DESC LIMIT ?", [limit])
        return self._alerts("w.name = ? ORDER BY a.id DESC LIMIT ?", [watch, limit])

    def undelivered_alerts(self) -> list[Alert]:
        """Alerts of watches with a webhook that it has not yet taken, oldest first."""
        return self._alerts("w.webhook IS NOT NULL AND a.webhook_delivered = 0 ORDER BY a.id", [])

    def _alerts(self, condition: str, params: list[object]) -> list[Alert]:
        return [
            Alert(r["id"], r["watch"], r["kind"], r["value"], r["reason"], r["created_at"], r["article_id"],
                  r["story_id"], r["title"], r["outlet"], r["url"], r["published"], bool(r["webhook_delivered"]),
                  int(r["webhook_attempts"]), r["webhook_error"])
            for r in self._run(f"{_ALERT_SELECT} WHERE {condition}", params)
        ]

    def webhooks(self) -> dict[str, str]:
        """Each watch's webhook, by watch name."""
        return {r[0]: r[1] for r in self._run("SELECT name, webhook FROM watches WHERE webhook IS NOT NULL")}

    def alert_delivered(self, alert_id: int) -> None:
        self._run("UPDATE alerts SET webhook_delivered = 1, webhook_error = NULL WHERE id = ?", (alert_id,))

    def alert_failed(self, alert_id: int, error: str) -> None:
        self._run("UPDATE alerts SET webhook_attempts = webhook_attempts + 1, webhook_error = ? WHERE id = ?",
                  (error, alert_id))


def _watch(row: Any) -> Watch:
    return Watch(row["id"], row["name"], row["kind"], row["value"], row["webhook"], bool(row["active"]),
                 row["created_at"], int(row["n_alerts"]), int(row["n_undelivered"]), int(row["checked_through"]))

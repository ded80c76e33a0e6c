"""An entity's profile as the store reads it: where it is mentioned, what it said, what it did
or had done to it, who appears beside it, and how often over time.

Entities are store-wide rows (one per name and type, linked across articles when annotations
are written), so every query here starts from one entity id and reads the tables the annotation
writer fills. Article rows are wide (the text comes before the date), so the queries choose
articles from indexes (``articles_published``: date and id; ``articles_id_published``: id and
date) and read only the few they show; on SQLite the index is named to the planner.
"""
from __future__ import annotations

from typing import Any

from parallax.model import Alias, ArticleRef, EntityArticle, EntityEvent, EntityQuote, EntitySummary, Period
from parallax.store.gateway import Gateway

_ARTICLE_COLUMNS = ("a.id AS a_id, a.title AS a_title, a.outlet AS a_outlet, a.published AS a_published, "
                    "a.published_granularity AS a_granularity")
_SUMMARY = """SELECT e.id, e.name, e.type, count(*) AS mentions, count(DISTINCT m.article_id) AS articles
              FROM entities e JOIN entity_mentions m ON m.entity_id = e.id"""
_MENTIONING = "SELECT article_id FROM entity_mentions WHERE entity_id = ?"


class EntitiesSQL(Gateway):
    """The entity page and entity look-ups."""

    def get_entity(self, entity_id: int) -> tuple[int, str, str] | None:
        """(id, name, type) of an entity."""
        row = self._one("SELECT id, name, type FROM entities WHERE id = ?", (entity_id,))
        return (int(row[0]), row[1], row[2]) if row else None

    def find_entities(self, name: str, limit: int) -> list[EntitySummary]:
        """Entities whose name contains ``name`` (all of them when empty), most mentioned first."""
        rows = self._run(
            f"{_SUMMARY} WHERE lower(e.name) LIKE lower(?) ESCAPE '\\' GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.name LIMIT ?",
            ("%" + _escape_like(name.strip()) + "%", limit),
        )
        return [_entity_summary(r) for r in rows]

    def entity_names(self) -> list[tuple[int, str, str]]:
        """(id, name, type) of every entity, for the alias merge pass."""
        return [(int(r[0]), r[1], r[2]) for r in self._run("SELECT id, name, type FROM entities ORDER BY id")]

    def entity_weights(self, entity_ids: list[int]) -> dict[int, int]:
        """How many articles mention each of these entities."""
        return {int(r[0]): int(r[1]) for r in self._run(
            f"""SELECT entity_id, count(DISTINCT article_id) FROM entity_mentions
                WHERE {self._in_ids('entity_id')} GROUP BY entity_id""", (self._id_list(entity_ids),))}

    def merge_entities(self, pairs: list[tuple[int, int]]) -> None:
        """Fold each (source, target) entity into its target: mentions, quotes and events follow,
        and the source row goes (a later article naming it again is folded by the next pass)."""
        with self.transaction():
            self._serialize("entities")
            for source, target in pairs:
                self._run("UPDATE entity_mentions SET entity_id = ? WHERE entity_id = ?", (target, source))
                self._run("UPDATE quotes SET speaker_entity_id = ? WHERE speaker_entity_id = ?", (target, source))
                for column in ("actor_entity_id", "target_entity_id", "according_to_entity_id"):
                    self._run(f"UPDATE events SET {column} = ? WHERE {column} = ?", (target, source))
                self._run("DELETE FROM entities WHERE id = ?", (source,))

    def entity_aliases(self, entity_id: int, limit: int) -> list[Alias]:
        rows = self._run(
            "SELECT text, count(*) FROM entity_mentions WHERE entity_id = ? GROUP BY text ORDER BY 2 DESC, 1 LIMIT ?",
            (entity_id, limit),
        )
        return [Alias(r[0], int(r[1])) for r in rows]

    def latest_mentioning(self, entity: EntitySummary, limit: int) -> list[int]:
        """The ids of the latest ``limit`` articles that mention the entity, newest first.

        Walking the date index newest first and asking the mention index of each article visits
        about ``limit`` x (articles in the store / the entity's) of them; gathering the entity's
        articles first costs about as many as it has, plus one pass over the date index. The
        cheaper one is chosen (the highest id stands for the store's size)."""
        stored = int(self._value("SELECT coalesce(max(id), 0) FROM articles"))
        if entity.articles and limit * stored / entity.articles < entity.articles:
            return self._ids(self.latest_walking_sql(), (entity.id, limit))
        return self._ids(self.latest_among_sql(_MENTIONING), (entity.id, limit))

    def latest_among_sql(self, among: str) -> str:
        """SQL for the ids of the latest ``?`` articles among those ``among`` selects (with its
        parameters before), newest first, chosen from the date index without reading articles."""
        return (f"SELECT id FROM articles {self._hint('articles_published')} WHERE id IN ({among}) "
                f"ORDER BY published {self.desc_missing_last}, id DESC LIMIT ?")

    def latest_walking_sql(self) -> str:
        """SQL for the same, walking the date index newest first and asking the mention index of
        each article until enough are found: far quicker for an entity in a good share of the
        store, far slower for a rare one."""
        return (f"SELECT id FROM articles a {self._hint('articles_published')} WHERE EXISTS "
                "(SELECT 1 FROM entity_mentions m WHERE m.entity_id = ? AND m.article_id = a.id) "
                f"ORDER BY published {self.desc_missing_last}, id DESC LIMIT ?")

    def entity_articles(self, entity_id: int, article_ids: list[int]) -> list[EntityArticle]:
        """These articles (newest first), each with how often it mentions the entity."""
        rows = self._run(
            f"""SELECT {_ARTICLE_COLUMNS},
                       (SELECT count(*) FROM entity_mentions m WHERE m.entity_id = ? AND m.article_id = a.id) AS n
                FROM articles a WHERE {self._in_ids("a.id")}
                ORDER BY a.published {self.desc_missing_last}, a.id DESC""",
            (entity_id, self._id_list(article_ids)),
        )
        return [EntityArticle(_article_ref(r), int(r["n"])) for r in rows]

    def entity_quotes(self, entity_id: int, limit: int) -> list[EntityQuote]:
        """The entity's latest quotes: each of the latest articles it is quoted in holds one of
        its quotes at least, so the latest quotes are all among that many articles."""
        speaking = "SELECT article_id FROM quotes WHERE speaker_entity_id = ?"
        rows = self._run(
            f"""SELECT {_ARTICLE_COLUMNS}, q.kind, q.content, q.cue, q.channel, q.speaker_text
                FROM quotes q JOIN articles a ON a.id = q.article_id
                WHERE q.speaker_entity_id = ? AND q.article_id IN ({self.latest_among_sql(speaking)})
                ORDER BY a.published {self.desc_missing_last}, a.id DESC, q.content_start LIMIT ?""",
            (entity_id, entity_id, limit, limit),
        )
        return [EntityQuote(_article_ref(r), r["kind"], r["content"], r["cue"], r["channel"], r["speaker_text"])
                for r in rows]

    def entity_events(self, entity_id: int, limit: int) -> list[EntityEvent]:
        """The entity's latest events as actor or target, dated by their own date, else by their
        article's: the events are chosen with article dates from the id-and-date index, and only
        the chosen ones are joined to their articles."""
        day = "coalesce(v.date, substr({0}.published, 1, 10))"
        rows = self._run(
            f"""WITH involved AS MATERIALIZED (
                    SELECT id, article_id, rank, date FROM events WHERE actor_entity_id = ? OR target_entity_id = ?),
                chosen AS (
                    SELECT v.id FROM involved v JOIN articles d {self._hint('articles_id_published')} ON d.id = v.article_id
                    ORDER BY {day.format('d')} IS NULL, {day.format('d')} DESC, v.article_id DESC, v.rank LIMIT ?)
                SELECT {_ARTICLE_COLUMNS}, v.*, CASE WHEN v.actor_entity_id = ? THEN 'actor' ELSE 'target' END AS role
                FROM events v JOIN articles a ON a.id = v.article_id WHERE v.id IN (SELECT id FROM chosen)
                ORDER BY {day.format('a')} IS NULL, {day.format('a')} DESC, a.id DESC, v.rank""",
            (entity_id, entity_id, limit, entity_id),
        )
        return [
            EntityEvent(
                _article_ref(r), r["role"], r["plover"], r["mode"], r["status"], r["actor_text"], r["actor_entity_id"],
                r["target_text"], r["target_entity_id"], r["date"], r["place"], r["evidence"],
            )
            for r in rows
        ]

    def co_occurring(self, entity_id: int, article_ids: list[int], limit: int) -> list[EntitySummary]:
        """Other entities mentioned in these articles, by how many of them they share."""
        rows = self._run(
            f"""{_SUMMARY} WHERE m.entity_id != ? AND {self._in_ids("m.article_id")}
                GROUP BY e.id ORDER BY articles DESC, mentions DESC, e.name LIMIT ?""",
            (entity_id, self._id_list(article_ids), limit),
        )
        return [_entity_summary(r) for r in rows]

    def entity_over_time(self, entity_id: int) -> list[Period]:
        """Articles and mentions per month of publication; undated articles last, as their own row.
        Counts come from the mention index, dates from the id-and-date index: no article is read."""
        rows = self._run(
            f"""SELECT substr(a.published, 1, 7), count(*), sum(c.n)
                FROM (SELECT article_id, count(*) AS n FROM entity_mentions WHERE entity_id = ? GROUP BY article_id) c
                JOIN articles a {self._hint('articles_id_published')} ON a.id = c.article_id
                GROUP BY substr(a.published, 1, 7) ORDER BY substr(a.published, 1, 7) IS NULL, substr(a.published, 1, 7)""",
            (entity_id,),
        )
        return [Period(r[0], int(r[1]), int(r[2])) for r in rows]


def _article_ref(row: Any) -> ArticleRef:
    return ArticleRef(row["a_id"], row["a_title"], row["a_outlet"], row["a_published"], row["a_granularity"])


def _entity_summary(row: Any) -> EntitySummary:
    return EntitySummary(row["id"], row["name"], row["type"], int(row["mentions"]), int(row["articles"]))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""What the charts read: articles counted per publication day and group (outlet, entity, story,
storyline), the outlets publishing in a window (for a story's blindspots), and the storylines of
an entity's articles. Filters are the search's (``filter_sets``), so a chart shows what a list with
the same filters lists. Days are the first ten characters of ``published``: a month- or year-dated
article counts on its month's or year's first day in SQL's eyes, and the chart keeps it apart
(``views/charts.py``)."""
from __future__ import annotations

from collections.abc import Sequence

from parallax.model import SearchFilters
from parallax.store.gateway import Gateway
from parallax.store.sql_search import filter_sets

UNKNOWN_OUTLET = "(outlet unknown)"


class ChartsSQL(Gateway):
    """Counts over time for the attention charts and a story's coverage."""

    def _where(self, filters: SearchFilters, column: str) -> tuple[str, list[object]]:
        id_sets, params = filter_sets(filters)
        return "".join(f" AND {column} IN ({s})" for s in id_sets), params

    def daily_by_outlet(self, filters: SearchFilters) -> list[tuple[str | None, str | None, str, int]]:
        """(day, granularity, outlet, articles) for the articles that pass the filters."""
        where, params = self._where(filters, "a.id")
        rows = self._run(
            f"""SELECT substr(a.published, 1, 10), a.published_granularity, coalesce(a.outlet, ?), count(*)
                FROM articles a WHERE 1 = 1 {where} GROUP BY 1, 2, 3""", (UNKNOWN_OUTLET, *params))
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]

    def top_entities(self, filters: SearchFilters, types: Sequence[str], limit: int) -> list[tuple[int, str]]:
        """(id, name) of the entities of these types in most of the filtered articles."""
        where, params = self._where(filters, "m.article_id")
        rows = self._run(
            f"""SELECT e.id, e.name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                WHERE e.type IN ({', '.join('?' * len(types))}) {where}
                GROUP BY e.id, e.name ORDER BY count(DISTINCT m.article_id) DESC, e.name LIMIT ?""",
            (*types, *params, limit))
        return [(int(r[0]), r[1]) for r in rows]

    def daily_by_entity(self, filters: SearchFilters, entity_ids: Sequence[int]) -> list[tuple[str | None, str | None, int, int]]:
        """(day, granularity, entity id, articles mentioning it) among the filtered articles."""
        where, params = self._where(filters, "a.id")
        rows = self._run(
            f"""SELECT substr(a.published, 1, 10), a.published_granularity, m.entity_id, count(DISTINCT a.id)
                FROM entity_mentions m JOIN articles a ON a.id = m.article_id
                WHERE {self._in_ids('m.entity_id')} {where} GROUP BY 1, 2, 3""",
            (self._id_list(entity_ids), *params))
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]

    def top_storylines(self, filters: SearchFilters, limit: int) -> list[tuple[int, str | None]]:
        """(id, title) of the storylines with most of the filtered articles."""
        where, params = self._where(filters, "sa.article_id")
        rows = self._run(
            f"""SELECT s.storyline_id, l.title FROM story_articles sa JOIN stories s ON s.id = sa.story_id
                JOIN storylines l ON l.id = s.storyline_id WHERE 1 = 1 {where}
                GROUP BY s.storyline_id, l.title ORDER BY count(*) DESC, s.storyline_id LIMIT ?""", (*params, limit))
        return [(int(r[0]), r[1]) for r in rows]

    def event_places(self, filters: SearchFilters) -> dict[str, int]:
        """Place name → events naming it, among the filtered articles' events."""
        where, params = self._where(filters, "v.article_id")
        return {r[0]: int(r[1]) for r in self._run(
            f"SELECT v.place, count(*) FROM events v WHERE v.place IS NOT NULL {where} GROUP BY v.place", params)}

    def count_events(self, filters: SearchFilters) -> int:
        """Events in the filtered articles."""
        where, params = self._where(filters, "v.article_id")
        return int(self._value(f"SELECT count(*) FROM events v WHERE 1 = 1 {where}", params))

    def outlets_publishing(self, first_day: str, last_day: str) -> list[str]:
        """Outlets with an article published from ``first_day`` to ``last_day`` (inclusive days)."""
        # Each outlet asked of the (outlet, published) index: no article row is read, however busy the days.
        return [r[0] for r in self._run(
            """SELECT o.outlet FROM (SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL) o
               WHERE EXISTS (SELECT 1 FROM articles a WHERE a.outlet = o.outlet AND a.published >= ? AND a.published < ?)
               ORDER BY o.outlet""", (first_day, last_day + "~"))]

    def storylines_of_articles(self, article_ids: Sequence[int]) -> dict[int, tuple[int, str | None, int]]:
        """Article id → (storyline id, storyline title, story id), for the articles that have a story."""
        if not article_ids:
            return {}
        rows = self._run(
            f"""SELECT sa.article_id, s.storyline_id, l.title, s.id FROM story_articles sa
                JOIN stories s ON s.id = sa.story_id JOIN storylines l ON l.id = s.storyline_id
                WHERE {self._in_ids('sa.article_id')}""", (self._id_list(article_ids),))
        return {int(r[0]): (int(r[1]), r[2], int(r[3])) for r in rows}

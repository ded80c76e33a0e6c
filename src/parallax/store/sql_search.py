"""Full-text search over stored articles, narrowed by entity, outlet, date range and PLOVER type.

A query reaches the store as an *expression*: quoted terms, all required, a ``*`` after a
term's closing quote making its last word a prefix (``"bridge" "city council" "vot"*``);
``views/search.py`` builds it from what an analyst typed. Each backend matches it with its own
full-text index (SQLite: FTS5, ranked by BM25; PostgreSQL: a generated ``tsvector`` with a GIN
index, ranked by ``ts_rank``), the title weighing ``TITLE_WEIGHT`` times a word of the text, and
marks matched words in snippets with ``MATCH_OPEN``/``MATCH_CLOSE``.

Articles are wide rows (the text comes before the outlet and date), so nothing reads one until
the page's few hits are chosen: filters are sets of article ids taken from indexes, matches are
counted and ranked in the full-text index, and only the page's hits are joined to their
articles and given snippets.

The order of the results, the same on both backends: every match is counted (``total`` is
exact), and the **newest ``RANKED_MATCHES`` matches** (the most recently stored, highest ids,
of those the filters admit) come first, best match first, the newer of two equally good ones
first (ts_rank, blind to length, gives many articles one score); when a query matches more
articles than that, the older matches follow them newest first, unranked. A query matching at
most ``RANKED_MATCHES`` articles (in a store of a million, a word of at most 5% of them) is
ranked in full, exactly; one matching more would have ranked every hit to show a page (0.9 s
for a word of 989k of 1M articles on SQLite), so its first page is the best of the newest
``RANKED_MATCHES``, not of all: an older article that would rank first is listed after them.
On the 1M replay, of 30 sampled queries past the bound 25 (SQLite) / 22 (PostgreSQL) got
another first page than exact ranking, holding 49% / 43% of its articles on average (BM25 put
the shortest texts first, and there those were the oldest); ``benchmarks/scale.py`` measures it.
"""
from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from parallax.model import ArticleRef, FoundArticle, SearchFilters
from parallax.store.gateway import Gateway

# Words of context in a snippet.
SNIPPET_TOKENS = 24
# Column weights (title, text): a word in the headline says more about the article.
TITLE_WEIGHT = 4.0
TEXT_WEIGHT = 1.0
# Characters of the opening given for an article listed without a text query.
LEAD_CHARS = 220
# Matches ranked for a query: the newest this many (by id); older ones follow, newest first.
RANKED_MATCHES = 50_000

# A term of an expression: its quoted body and whether a prefix star follows.
EXPRESSION_TERM = re.compile(r'"([^"]*)"(\*?)')


class SearchSQL(Gateway):
    """Search, and the full-text look-ups of watches and storylines."""

    def search_articles(self, expression: str | None, filters: SearchFilters, offset: int,
                        limit: int) -> tuple[int, list[FoundArticle]]:
        """How many articles match, and the page of them at ``offset``: best match first, or
        newest first when there is no expression."""
        id_sets, params = filter_sets(filters)
        if expression is None:
            return self._browse(id_sets, params, offset, limit)
        return self._full_text(expression, id_sets, params, offset, limit)

    def _full_text(self, expression: str, id_sets: list[str], params: list[object], offset: int,
                   limit: int) -> tuple[int, list[FoundArticle]]:
        """``search_articles`` for an expression, each of ``id_sets`` (SQL selecting article
        ids, taking ``params`` in order) narrowing it: the newest ``RANKED_MATCHES`` matches
        best first (newest first among equals), then any older ones newest first."""
        matching, match_params = self._matching(expression, id_sets, params)
        hit = self._hit_id
        total = int(self._value(f"SELECT count(*) {matching}", match_params))
        ranked = min(total, RANKED_MATCHES)
        page: list[int] = []
        if offset < ranked:
            # One pass: the index hands matches out newest first, each is scored as it comes,
            # and the best of them make the page; no older match is read or scored.
            rank, rank_params, best_first = self._rank(expression)
            page = self._ids(f"""SELECT hit FROM (SELECT {hit} AS hit, {rank} AS score {matching} ORDER BY {hit} DESC LIMIT ?) newest
                                 ORDER BY score {best_first}, hit DESC LIMIT ? OFFSET ?""",
                             (*rank_params, *match_params, RANKED_MATCHES, limit, offset))
        if total > ranked and len(page) < limit:
            # Past the ranked matches: the older ones, newest first.
            oldest_ranked = self._value(f"SELECT {hit} {matching} ORDER BY {hit} DESC LIMIT 1 OFFSET ?",
                                        (*match_params, ranked - 1))
            page += self._ids(f"SELECT {hit} {matching} AND {hit} < ? ORDER BY {hit} DESC LIMIT ? OFFSET ?",
                              (*match_params, oldest_ranked, limit - len(page), max(0, offset - ranked)))
        return total, self._hits(expression, page)

    # The column of a match's article id in ``_matching``'s SQL.
    _hit_id = "id"

    @abstractmethod
    def _matching(self, expression: str, id_sets: list[str], params: list[object]) -> tuple[str, list[object]]:
        """``FROM … WHERE …`` SQL of the articles matching the expression within ``id_sets``
        (one row each, its id in ``_hit_id``), and its parameters."""

    @abstractmethod
    def _rank(self, expression: str) -> tuple[str, list[object], str]:
        """SQL scoring a row of ``_matching`` for the expression, its parameters, and the
        direction (``ASC``/``DESC``) that puts the best match first."""

    @abstractmethod
    def _hits(self, expression: str, article_ids: list[int]) -> list[FoundArticle]:
        """These articles as hits with snippets marking the expression's matches, in this order."""

    @abstractmethod
    def articles_matching(self, expression: str, article_ids: Sequence[int] | None) -> list[int]:
        """Ids of the articles in scope (``None``: all) that match the expression, by id."""

    @abstractmethod
    def storyline_matching(self, words: Sequence[str]) -> int | None:
        """The storyline of the best full-text match of all these words."""

    def _browse(self, id_sets: list[str], params: list[object], offset: int, limit: int) -> tuple[int, list[FoundArticle]]:
        where = "".join(f" AND id IN ({s})" for s in id_sets)
        total = int(self._value(f"SELECT count(*) FROM articles WHERE 1 = 1 {where}", params))
        newest_first = "ORDER BY published IS NULL, published DESC, id DESC"
        # The date index holds each article's date and id, so the page is chosen without reading articles.
        rows = self._run(
            f"""SELECT id, title, outlet, published, published_granularity, substr(text, 1, ?) AS lead FROM articles
                WHERE id IN (SELECT id FROM articles {self._hint('articles_published')} WHERE 1 = 1 {where}
                             {newest_first} LIMIT ? OFFSET ?)
                {newest_first}""",
            (LEAD_CHARS, *params, limit, offset),
        )
        return total, [found(r) for r in rows]

    def facet_values(self) -> dict[str, list[str]]:
        """The outlets, PLOVER types and languages present in the store, for the filter forms' choices."""
        outlets = [r[0] for r in self._run("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]
        plovers = [r[0] for r in self._run("SELECT DISTINCT plover FROM events ORDER BY plover")]
        languages = [r[0] for r in self._run("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY language")]
        return {"outlets": outlets, "plover": plovers, "languages": languages}


def filter_sets(filters: SearchFilters) -> tuple[list[str], list[object]]:
    """Each filter as a query for the ids of the articles it admits, read from an index, with
    the queries' parameters in order."""
    sets: list[str] = []
    params: list[object] = []
    if filters.outlet:
        sets.append("SELECT id FROM articles WHERE outlet = ?")
        params.append(filters.outlet)
    if filters.outlets is not None:
        # Outlets a country or kind admits (resolved from the registry); none admitted: no article.
        sets.append(f"SELECT id FROM articles WHERE outlet IN ({', '.join('?' * len(filters.outlets)) or 'NULL'})")
        params.extend(filters.outlets)
    if filters.language:
        sets.append("SELECT id FROM articles WHERE language = ?")
        params.append(filters.language)
    if filters.storyline is not None:
        sets.append("SELECT sa.article_id FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE s.storyline_id = ?")
        params.append(filters.storyline)
    bounds: list[str] = []
    if filters.since:
        # ISO dates sort as text, and any date of that day or later sorts at or after the day.
        bounds.append("published >= ?")
        params.append(filters.since.isoformat())
    if filters.until:
        # A month- or year-granular date ("2018-07") sorts before its days, so compare with the next day.
        bounds.append("published < ?")
        params.append((filters.until + timedelta(days=1)).isoformat())
    if bounds:
        sets.append("SELECT id FROM articles WHERE " + " AND ".join(bounds))
    if filters.entity:
        # The entities first, then their mentions by the mention index: a join let SQLite scan
        # every mention instead (0.9 s on a 50k store, 3.3M mentions).
        sets.append("""SELECT article_id FROM entity_mentions
                       WHERE entity_id IN (SELECT id FROM entities WHERE lower(name) = lower(?))""")
        params.append(filters.entity)
    if filters.plover:
        sets.append("SELECT article_id FROM events WHERE plover = ?")
        params.append(filters.plover.upper())
    return sets, params


def in_order(rows: Iterable[Any], article_ids: list[int]) -> list[FoundArticle]:
    """Hits from rows of ``found``'s shape, in the order of ``article_ids``."""
    hits = {row[0]: found(row) for row in rows}
    return [hits[i] for i in article_ids if i in hits]


def found(row: Any) -> FoundArticle:
    """A hit from a row of (id, title, outlet, published, published_granularity, snippet)."""
    return FoundArticle(ArticleRef(row[0], row[1], row[2], row[3], row[4]), row[5] or "")

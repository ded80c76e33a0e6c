"""Full-text search over stored articles, narrowed by entity, outlet, date range and PLOVER type.

A query reaches the store as an *expression*: quoted terms, all required, a ``*`` after a
term's closing quote making its last word a prefix (``"bridge" "city council" "vot"*``);
``views/search.py`` builds it from what an analyst typed. Each backend matches it with its own
full-text index (SQLite: FTS5, ranked by BM25; PostgreSQL: a ``tsvector`` per article in a table
partitioned by article id, a GIN index in each partition, ranked by ``ts_rank``), the title
weighing ``TITLE_WEIGHT`` times a word of the text, and
marks matched words in snippets with ``MATCH_OPEN``/``MATCH_CLOSE``.

Articles are wide rows (the text comes before the outlet and date), so nothing reads one until
the page's few hits are chosen: filters are sets of article ids taken from indexes, matches are
counted and ranked in the full-text index, and only the page's hits are joined to their
articles and given snippets.

The order of the results, the same on both backends: the **newest ``RANKED_MATCHES`` matches**
(the most recently stored, highest ids, of those the filters admit) come first, best match first,
the newer of two equally good ones first (ts_rank, blind to length, gives many articles one
score); when a query matches more articles than that, the older matches follow them newest
first, unranked. A query matching at most ``RANKED_MATCHES`` articles (in a store of a million, a
word of at most 5% of them) is ranked in full, exactly; one matching more would have ranked every
hit to show a page (0.9 s for a word of 989k of 1M articles on SQLite), so its first page is the
best of the newest ``RANKED_MATCHES``, not of all: an older article that would rank first is
listed after them. On the 1M replay, of 30 sampled queries past the bound 25 (SQLite) / 22
(PostgreSQL) got another first page than exact ranking, holding 49% / 43% of its articles on
average (BM25 put the shortest texts first, and there those were the oldest);
``benchmarks/scale.py`` measures it.

The count, the same on both backends (``FoundPage``): matches are counted newest first as far as
the ranked window or the end of the page asked for, whichever is further, and one more. A query
matching no more than that gets its exact ``total``; one matching more gets ``exact`` false and
``total`` = that bound + 1, a true lower bound ("more than 50,000 articles"), which still exceeds
the page's end, so a "next page" test against ``total`` stays right. Counting every match cost what
the page did not need: a word of 989k of 1M articles took 222–320 ms to count on PostgreSQL 15 (a
parallel scan of every row; a GIN bitmap count visits the heap too: 380–560 ms for 77k heap
blocks with the bitmap kept exact by a 256 MB work_mem), over the 300 ms budget with the page,
and the page's order is decided within the window; counted this way, 29 ms. PostgreSQL counts in the ranking pass,
SQLite apart (``_counts_while_ranking``). Listing without a query (``_browse``) counts exactly.
"""
from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from parallax.model import ArticleRef, FoundArticle, FoundPage, SearchFilters
from parallax.store.gateway import Gateway

# Words of context in a snippet.
SNIPPET_TOKENS = 24
# Column weights (title, text): a word in the headline says more about the article.
TITLE_WEIGHT = 4.0
TEXT_WEIGHT = 1.0
# Characters of the opening given for an article listed without a text query.
LEAD_CHARS = 220
# Matches ranked for a query: the newest this many (by id); older ones follow, newest first.
# Matches are counted as far as this too (or the page's end past it), and one more.
RANKED_MATCHES = 50_000

# A term of an expression: its quoted body and whether a prefix star follows.
EXPRESSION_TERM = re.compile(r'"([^"]*)"(\*?)')


class SearchSQL(Gateway):
    """Search, and the full-text look-ups of watches and storylines."""

    def search_articles(self, expression: str | None, filters: SearchFilters, offset: int,
                        limit: int) -> FoundPage:
        """How many articles match (exactly, or at least so many past the counting bound), and
        the page of them at ``offset``: best match first, or newest first when there is no
        expression."""
        id_sets, params = filter_sets(filters)
        if expression is None:
            return self._browse(id_sets, params, offset, limit)
        return self._full_text(expression, id_sets, params, offset, limit)

    def _full_text(self, expression: str, id_sets: list[str], params: list[object], offset: int,
                   limit: int) -> FoundPage:
        """``search_articles`` for an expression, each of ``id_sets`` (SQL selecting article
        ids, taking ``params`` in order) narrowing it: the newest ``RANKED_MATCHES`` matches
        best first (newest first among equals), then any older ones newest first; counted
        newest first up to the ranked window or the page's end, whichever is further, and one
        more."""
        matching, match_params = self._matching(expression, id_sets, params)
        hit = self._hit_id
        bound = max(RANKED_MATCHES, offset + limit)
        counted = None if self._counts_while_ranking else self._count(matching, match_params, bound)
        page: list[int] = []
        if offset < RANKED_MATCHES and (counted is None or offset < counted):
            # The index hands matches out newest first, each is scored as it comes, and the
            # best of the newest RANKED_MATCHES make the page; no older match is read or scored.
            best_first = self._rank(expression)[2]
            if counted is None:
                # The same pass counts, as far as the bound and one more.
                newest, newest_params = self._newest(expression, id_sets, params, bound + 1, numbered=True)
                rows = self._all(f"""WITH newest AS MATERIALIZED ({newest})
                                     SELECT hit, (SELECT count(*) FROM newest) AS counted FROM newest
                                     WHERE nth <= ? ORDER BY score {best_first}, hit DESC LIMIT ? OFFSET ?""",
                                 (*newest_params, RANKED_MATCHES, limit, offset))
                page = [int(row[0]) for row in rows]
                counted = int(rows[0][1]) if rows else None
            else:
                newest, newest_params = self._newest(expression, id_sets, params, RANKED_MATCHES)
                page = self._ids(f"SELECT hit FROM ({newest}) newest ORDER BY score {best_first}, hit DESC LIMIT ? OFFSET ?",
                                 (*newest_params, limit, offset))
        if counted is None:  # a page past the ranked matches, or past every match
            counted = self._count(matching, match_params, bound)
        ranked = min(counted, RANKED_MATCHES)
        if counted > ranked and len(page) < limit:
            # Past the ranked matches: the older ones, newest first.
            oldest_ranked = self._value(f"SELECT {hit} {matching} ORDER BY {hit} DESC LIMIT 1 OFFSET ?",
                                        (*match_params, ranked - 1))
            page += self._ids(f"SELECT {hit} {matching} AND {hit} < ? ORDER BY {hit} DESC LIMIT ? OFFSET ?",
                              (*match_params, oldest_ranked, limit - len(page), max(0, offset - ranked)))
        return FoundPage(counted, counted <= bound, self._hits(expression, page))

    def _newest(self, expression: str, id_sets: list[str], params: list[object], wanted: int, *,
                numbered: bool = False) -> tuple[str, list[object]]:
        """SQL of the newest ``wanted`` matches (fewer if fewer match) as rows (hit, score), and
        with ``numbered`` their place newest first (nth, from 1), and its parameters: the
        full-text index hands matches out newest first, each scored as it comes."""
        matching, match_params = self._matching(expression, id_sets, params)
        rank, rank_params, _ = self._rank(expression)
        newest = f"SELECT {self._hit_id} AS hit, {rank} AS score {matching} ORDER BY {self._hit_id} DESC LIMIT ?"
        if numbered:
            newest = f"SELECT hit, score, row_number() OVER (ORDER BY hit DESC) AS nth FROM ({newest}) unnumbered"
        return newest, [*rank_params, *match_params, wanted]

    def _count(self, matching: str, params: Sequence[object], bound: int) -> int:
        """The matches of ``_matching``'s SQL counted newest first as far as ``bound`` and one more."""
        return int(self._value(f"SELECT count(*) FROM (SELECT {self._hit_id} {matching} ORDER BY {self._hit_id} DESC LIMIT ?) newest",
                               (*params, bound + 1)))

    # The column of a match's article id in ``_matching``'s SQL.
    _hit_id = "id"
    # Whether the ranking pass counts too (True), or matches are counted apart first. FTS5
    # counts from its index without reading a row (SQLite, 1M replay, median of 10: 'will',
    # 32k matches, 33 ms counted apart, 62 ms counted by window functions in the ranking pass);
    # PostgreSQL reads each candidate row (its tsvector, and the heap for visibility) and would
    # read them twice ('news share', 103k of 1M, its newest 50,000 among the newest 479k: 495 ms
    # counted apart, 295 ms in one pass; 'will' 221 / 157 ms).
    _counts_while_ranking = False

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

    def _browse(self, id_sets: list[str], params: list[object], offset: int, limit: int) -> FoundPage:
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
        return FoundPage(total, True, [found(r) for r in rows])

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

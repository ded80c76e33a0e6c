"""Full-text search over stored articles, narrowed by entity, outlet, date range and PLOVER type.

The query language is deliberately small, because analysts paste headlines and quotes into the
box and FTS5's own syntax (``AND``, ``NEAR``, ``-``, ``:``, unbalanced quotes) would turn
that into syntax errors: every word must appear, ``"a phrase"`` must appear as written, and a
word ending in ``*`` matches as a prefix. A query with no words lists the filtered articles,
newest first, so the same page browses an outlet or an entity.

Snippets come from FTS5's ``snippet()`` with private-use markers around matches; they are split
here into plain segments, so no caller ever has to trust markup that came from article text.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from parallax.store import SQLiteStore

# Search results per page, and words of context in an FTS5 snippet.
PAGE_SIZE = 20
SNIPPET_TOKENS = 24
# BM25 column weights (title, text): a word in the headline says more about the article.
TITLE_WEIGHT = 4.0
TEXT_WEIGHT = 1.0
# Characters of the opening shown for an article listed without a text query.
LEAD_CHARS = 220

_MATCH_OPEN, _MATCH_CLOSE, _ELLIPSIS = "\ue000", "\ue001", "…"
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search; every field is optional. Dates are inclusive days."""

    entity: str | None = None  # an entity's name, matched without regard to case
    outlet: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    plover: str | None = None  # a PLOVER event type, e.g. "CONSULT"

    def active(self) -> bool:
        return any(value is not None for value in (self.entity, self.outlet, self.date_from, self.date_to, self.plover))


@dataclass(frozen=True)
class Segment:
    """A piece of a snippet; ``match`` marks the words the query matched."""

    text: str
    match: bool = False


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    title: str | None
    outlet: str | None
    published: str | None
    published_granularity: str | None
    snippet: list[Segment]


@dataclass(frozen=True)
class SearchResult:
    query: str
    fts_query: str | None  # the FTS5 expression the query became (None when it has no words)
    filters: SearchFilters
    total: int
    offset: int
    hits: list[SearchHit] = field(default_factory=list)


def fts_expression(query: str) -> str | None:
    """The user's query as a safe FTS5 expression: each word or phrase quoted, all required.

    Inside FTS5 double quotes only ``"`` is special, so quoting every term disarms the rest.
    """
    parts: list[str] = []
    for phrase, word in _TERM.findall(query):
        body = phrase if phrase else word.rstrip("*").replace('"', "")
        if _WORD.search(body):
            parts.append(f'"{body}"' + ("*" if word.endswith("*") else ""))
    return " ".join(parts) or None


def search_articles(
    store: SQLiteStore, query: str, filters: SearchFilters | None = None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> SearchResult:
    """Articles matching ``query`` and ``filters``: best match first, or newest first without words.

    Articles are wide rows (the text comes before the outlet and date), so nothing reads one
    until the page's few hits are chosen: filters are sets of article ids taken from indexes,
    matches are counted and ranked in the full-text index, and only the page's hits are joined
    to their articles and given snippets.
    """
    filters = filters or SearchFilters()
    expression = fts_expression(query)
    id_sets, params = _filter_sets(filters)
    if expression is None:
        return _browse(store.db, query, filters, id_sets, params, offset, limit)
    # The unary plus keeps the id sets out of FTS5's rowid look-ups: one match scan, then a set test.
    matching = "FROM articles_fts WHERE articles_fts MATCH ?" + "".join(f" AND +articles_fts.rowid IN ({s})" for s in id_sets)
    total = store.db.execute(f"SELECT count(*) {matching}", (expression, *params)).fetchone()[0]
    ranking = f"bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT}), articles_fts.rowid"
    rows = store.db.execute(
        f"""SELECT a.id, a.title, a.outlet, a.published, a.published_granularity,
                   snippet(articles_fts, 1, ?, ?, ?, ?) AS snip
            FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
            WHERE articles_fts MATCH ? AND articles_fts.rowid IN (SELECT rowid {matching} ORDER BY {ranking} LIMIT ? OFFSET ?)
            ORDER BY {ranking}""",
        (_MATCH_OPEN, _MATCH_CLOSE, _ELLIPSIS, SNIPPET_TOKENS, expression, expression, *params, limit, offset),
    ).fetchall()
    hits = [_hit(row, split_snippet(row["snip"])) for row in rows]
    return SearchResult(query, expression, filters, int(total), offset, hits)


def _browse(
    db: sqlite3.Connection, query: str, filters: SearchFilters, id_sets: list[str], params: list[object], offset: int,
    limit: int,
) -> SearchResult:
    where = "".join(f" AND id IN ({s})" for s in id_sets)
    total = db.execute(f"SELECT count(*) FROM articles WHERE 1 = 1 {where}", params).fetchone()[0]
    newest_first = "ORDER BY published IS NULL, published DESC, id DESC"
    # The date index holds each article's date and id, so the page is chosen without reading articles.
    rows = db.execute(
        f"""SELECT id, title, outlet, published, published_granularity, substr(text, 1, ?) AS lead FROM articles
            WHERE id IN (SELECT id FROM articles INDEXED BY articles_published WHERE 1 = 1 {where}
                         {newest_first} LIMIT ? OFFSET ?)
            {newest_first}""",
        (LEAD_CHARS, *params, limit, offset),
    ).fetchall()
    hits = [_hit(row, [Segment(_shorten(row["lead"]))]) for row in rows]
    return SearchResult(query, None, filters, int(total), offset, hits)


def _filter_sets(filters: SearchFilters) -> tuple[list[str], list[object]]:
    """Each filter as a query for the ids of the articles it admits, read from an index, with
    the queries' parameters in order."""
    sets: list[str] = []
    params: list[object] = []
    if filters.outlet:
        sets.append("SELECT id FROM articles WHERE outlet = ?")
        params.append(filters.outlet)
    bounds: list[str] = []
    if filters.date_from:
        # ISO dates sort as text, and any date of that day or later sorts at or after the day.
        bounds.append("published >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        # A month- or year-granular date ("2018-07") sorts before its days, so compare with the next day.
        bounds.append("published < ?")
        params.append((filters.date_to + timedelta(days=1)).isoformat())
    if bounds:
        sets.append("SELECT id FROM articles WHERE " + " AND ".join(bounds))
    if filters.entity:
        sets.append("""SELECT m.article_id FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                       WHERE e.name = ? COLLATE NOCASE""")
        params.append(filters.entity)
    if filters.plover:
        sets.append("SELECT article_id FROM events WHERE plover = ?")
        params.append(filters.plover.upper())
    return sets, params


def split_snippet(snippet: str) -> list[Segment]:
    """An FTS5 snippet with match markers as plain segments."""
    segments: list[Segment] = []
    for piece in re.split(f"({_MATCH_OPEN}.*?{_MATCH_CLOSE})", snippet):
        if not piece:
            continue
        if piece.startswith(_MATCH_OPEN):
            segments.append(Segment(piece[1:-1], True))
        else:
            segments.append(Segment(piece))
    return segments


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) < LEAD_CHARS - 1 else flat[: flat.rfind(" ")] + " " + _ELLIPSIS


def _hit(row: sqlite3.Row, snippet: list[Segment]) -> SearchHit:
    return SearchHit(
        row["id"], row["title"], row["outlet"], row["published"], row["published_granularity"], snippet
    )


def facet_values(store: SQLiteStore) -> dict[str, list[str]]:
    """The outlets and PLOVER types present in the store, for the search form's choices."""
    outlets = [r[0] for r in store.db.execute("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")]
    plovers = [r[0] for r in store.db.execute("SELECT DISTINCT plover FROM events ORDER BY plover")]
    return {"outlets": outlets, "plover": plovers}

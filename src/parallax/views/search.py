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
    """Articles matching ``query`` and ``filters``: best match first, or newest first without words."""
    filters = filters or SearchFilters()
    expression = fts_expression(query)
    where, params = _filter_sql(filters)
    if expression is None:
        return _browse(store.db, query, filters, where, params, offset, limit)
    base = f"FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? {where}"
    total = store.db.execute(f"SELECT count(*) {base}", (expression, *params)).fetchone()[0]
    rows = store.db.execute(
        f"""SELECT a.id, a.title, a.outlet, a.published, a.published_granularity,
                   snippet(articles_fts, 1, ?, ?, ?, ?) AS snip
            {base} ORDER BY bm25(articles_fts, ?, ?) LIMIT ? OFFSET ?""",
        (_MATCH_OPEN, _MATCH_CLOSE, _ELLIPSIS, SNIPPET_TOKENS, expression, *params, TITLE_WEIGHT, TEXT_WEIGHT, limit, offset),
    ).fetchall()
    hits = [_hit(row, split_snippet(row["snip"])) for row in rows]
    return SearchResult(query, expression, filters, int(total), offset, hits)


def _browse(
    db: sqlite3.Connection, query: str, filters: SearchFilters, where: str, params: list[object], offset: int, limit: int
) -> SearchResult:
    base = f"FROM articles a WHERE 1 = 1 {where}"
    total = db.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    rows = db.execute(
        f"""SELECT a.id, a.title, a.outlet, a.published, a.published_granularity, substr(a.text, 1, ?) AS lead
            {base} ORDER BY a.published IS NULL, a.published DESC, a.id DESC LIMIT ? OFFSET ?""",
        (LEAD_CHARS, *params, limit, offset),
    ).fetchall()
    hits = [_hit(row, [Segment(_shorten(row["lead"]))]) for row in rows]
    return SearchResult(query, None, filters, int(total), offset, hits)


def _filter_sql(filters: SearchFilters) -> tuple[str, list[object]]:
    """SQL conditions on ``a`` (articles) for the filters, with their parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.outlet:
        clauses.append("a.outlet = ?")
        params.append(filters.outlet)
    if filters.date_from:
        clauses.append("substr(a.published, 1, 10) >= ?")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        # A month- or year-granular date ("2018-07") sorts before its days, so compare with the next day.
        clauses.append("a.published < ?")
        params.append((filters.date_to + timedelta(days=1)).isoformat())
    if filters.entity:
        clauses.append(
            """EXISTS (SELECT 1 FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
                       WHERE m.article_id = a.id AND e.name = ? COLLATE NOCASE)"""
        )
        params.append(filters.entity)
    if filters.plover:
        clauses.append("EXISTS (SELECT 1 FROM events v WHERE v.article_id = a.id AND v.plover = ?)")
        params.append(filters.plover.upper())
    return "".join(f" AND {c}" for c in clauses), params


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

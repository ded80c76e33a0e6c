"""Full-text search over stored articles, narrowed by entity, outlet, date range and PLOVER type.

The query language is deliberately small, because analysts paste headlines and quotes into the
box and FTS5's own syntax (``AND``, ``NEAR``, ``-``, ``:``, unbalanced quotes) would turn
that into syntax errors: every word must appear, ``"a phrase"`` must appear as written, and a
word ending in ``*`` matches as a prefix. A query with no words lists the filtered articles,
newest first, so the same page browses an outlet or an entity.

The store matches the query's FTS5-style expression (``store/sql_search.py``) with its own
full-text index and marks matches in snippets with private-use characters; they are split here
into plain segments, so no caller ever has to trust markup that came from article text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from parallax.clean.encoding import sanitize
from parallax.clean.outlets import outlet_kinds, outlet_profile
from parallax.errors import Errors, InputError
from parallax.model import ELLIPSIS, MATCH_CLOSE, MATCH_OPEN, FoundArticle, SearchFilters
from parallax.store import Store
from parallax.store.sql_search import LEAD_CHARS
from parallax.views.filters import resolve

# Search results per page.
PAGE_SIZE = 20

_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w")


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
    total: int  # how many articles match: exactly when ``total_exact``, else at least this many
    offset: int
    hits: list[SearchHit] = field(default_factory=list)
    # False when the store stopped counting (a query matching more than ``RANKED_MATCHES``
    # articles, ``store/sql_search.py``): more than ``total - 1`` articles match.
    total_exact: bool = True


def query_cost(query: str) -> tuple[int, int]:
    """How many terms the query has, and how many of them are prefix terms (``word*``): what a
    search costs grows with both, so the web app caps them (``check_query``)."""
    terms = _TERM.findall(query)
    return len(terms), sum(1 for phrase, word in terms if not phrase and word.endswith("*"))


def check_query(query: str, *, max_chars: int, max_terms: int, max_prefixes: int) -> None:
    """InputError E410 for a query over the caps (characters, terms, prefix terms)."""
    if len(query) > max_chars:
        raise InputError(Errors.E410, count=len(query), what="characters", limit=max_chars)
    terms, prefixes = query_cost(query)
    if terms > max_terms:
        raise InputError(Errors.E410, count=terms, what="terms", limit=max_terms)
    if prefixes > max_prefixes:
        raise InputError(Errors.E410, count=prefixes, what="prefix terms (word*)", limit=max_prefixes)


def fts_expression(query: str) -> str | None:
    """The user's query as a safe FTS5 expression: each word or phrase quoted, all required.

    Inside FTS5 double quotes only ``"`` is special, so quoting every term disarms the rest.
    The query is sanitised as ingested text is (a NUL ended the string SQLite was given: a
    server error on ``q=0%00``, found by the schemathesis test).
    """
    parts: list[str] = []
    for phrase, word in _TERM.findall(sanitize(query)):
        body = phrase if phrase else word.rstrip("*").replace('"', "")
        if _WORD.search(body):
            parts.append(f'"{body}"' + ("*" if word.endswith("*") else ""))
    return " ".join(parts) or None


def search_articles(
    store: Store, query: str, filters: SearchFilters | None = None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> SearchResult:
    """Articles matching ``query`` and ``filters``: best match first, or newest first without words."""
    filters = filters or SearchFilters()
    expression = fts_expression(query)
    found = store.search_articles(expression, resolve(store, filters), offset, limit)
    hits = [_hit(f, split_snippet(f.snippet) if expression else [Segment(_shorten(f.snippet))]) for f in found.articles]
    return SearchResult(query, expression, filters, found.total, offset, hits, found.exact)


def total_text(result: SearchResult) -> str:
    """How many articles matched, in words: "1 article", "1,037 articles", or "more than 50,000
    articles" when the store stopped counting."""
    if not result.total_exact:
        return f"more than {result.total - 1:,} articles"
    return f"{result.total:,} article{'' if result.total == 1 else 's'}"


def split_snippet(snippet: str) -> list[Segment]:
    """An FTS5 snippet with match markers as plain segments."""
    segments: list[Segment] = []
    for piece in re.split(f"({MATCH_OPEN}.*?{MATCH_CLOSE})", snippet):
        if not piece:
            continue
        if piece.startswith(MATCH_OPEN):
            segments.append(Segment(piece[1:-1], True))
        else:
            segments.append(Segment(piece))
    return segments


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) < LEAD_CHARS - 1 else flat[: flat.rfind(" ")] + " " + ELLIPSIS


def _hit(found: FoundArticle, snippet: list[Segment]) -> SearchHit:
    a = found.article
    return SearchHit(a.id, a.title, a.outlet, a.published, a.published_granularity, snippet)


def facet_values(store: Store) -> dict[str, list[str]]:
    """The outlets, PLOVER types and languages present in the store, and the registry's outlet
    kinds and countries of its outlets, for the filter forms' choices."""
    values = store.facet_values()
    profiles = [p for p in (outlet_profile(o) for o in values["outlets"]) if p is not None]
    return {**values, "kinds": outlet_kinds(), "countries": sorted({p.country for p in profiles})}

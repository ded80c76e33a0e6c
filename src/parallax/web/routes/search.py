"""Full-text search with filters; the page and the API take the same parameters."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from parallax.store import Store
from parallax.views.search import PAGE_SIZE, SearchFilters, SearchResult, facet_values, search_articles
from parallax.web.dependencies import MAX_LIMIT, get_store, query_filters, templates

router = APIRouter()


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: SearchFilters
    page: int
    limit: int = PAGE_SIZE


def search_request(
    q: str = Query("", description='words that must all appear; "a phrase"; word* for a prefix'),
    filters: SearchFilters = Depends(query_filters),
    page: int = Query(1, ge=1),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT, description="articles per page"),
) -> SearchRequest:
    return SearchRequest(q, filters, page, limit)


def _run(store: Store, request: SearchRequest) -> SearchResult:
    return search_articles(store, request.query, request.filters, offset=(request.page - 1) * request.limit,
                           limit=request.limit)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request, params: SearchRequest = Depends(search_request), store: Store = Depends(get_store)
) -> HTMLResponse:
    result = _run(store, params) if params.query.strip() or params.filters.active() else None
    context = {"params": params, "result": result, "choices": facet_values(store), "page_size": params.limit}
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/api/search", tags=["search"])
def search_api(params: SearchRequest = Depends(search_request), store: Store = Depends(get_store)) -> SearchResult:
    """Articles matching the query and filters, best match first (newest first with no words)."""
    return _run(store, params)

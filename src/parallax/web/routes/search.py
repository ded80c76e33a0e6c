"""Full-text search with filters; the page and the API take the same parameters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from parallax.store import Store
from parallax.views.search import PAGE_SIZE, SearchFilters, SearchResult, facet_values, search_articles
from parallax.web.dependencies import get_store, templates

router = APIRouter()


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: SearchFilters
    page: int


def _day(name: str, value: str | None) -> date | None:
    # An HTML form sends an empty date field as "", which must mean "no bound", not an error.
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def search_request(
    q: str = Query("", description='words that must all appear; "a phrase"; word* for a prefix'),
    entity: str | None = Query(None, description="an entity's name (any case)"),
    outlet: str | None = Query(None, description="the outlet's name as stored"),
    date_from: str | None = Query(None, description="first publication day, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="last publication day, YYYY-MM-DD"),
    plover: str | None = Query(None, description="a PLOVER event type, e.g. CONSULT"),
    page: int = Query(1, ge=1),
) -> SearchRequest:
    filters = SearchFilters(
        entity=entity or None,
        outlet=outlet or None,
        date_from=_day("date_from", date_from),
        date_to=_day("date_to", date_to),
        plover=plover or None,
    )
    return SearchRequest(q, filters, page)


def _run(store: Store, request: SearchRequest) -> SearchResult:
    return search_articles(store, request.query, request.filters, offset=(request.page - 1) * PAGE_SIZE)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request, params: SearchRequest = Depends(search_request), store: Store = Depends(get_store)
) -> HTMLResponse:
    result = _run(store, params) if params.query.strip() or params.filters.active() else None
    context = {"params": params, "result": result, "choices": facet_values(store), "page_size": PAGE_SIZE}
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/api/search", tags=["search"])
def search_api(params: SearchRequest = Depends(search_request), store: Store = Depends(get_store)) -> SearchResult:
    """Articles matching the query and filters, best match first (newest first with no words)."""
    return _run(store, params)

"""Full-text search with filters; the page and the API take the same parameters."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from parallax.errors import Errors, InputError, StoreError
from parallax.settings import Options
from parallax.store import Store
from parallax.views.search import PAGE_SIZE, SearchFilters, SearchResult, check_query, facet_values, search_articles
from parallax.web.dependencies import DEPARTED, MAX_LIMIT, PageQuery, get_store, query_filters, templates

router = APIRouter()
# Seconds between two looks at whether a search's client is still there.
DEPARTURE_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class SearchRequest:
    query: str
    filters: SearchFilters
    page: int
    limit: int = PAGE_SIZE


def search_request(
    request: Request,
    q: str = Query("", description='words that must all appear; "a phrase"; word* for a prefix '
                                   "(at most settings.cfg's [web] max_query_chars, max_query_terms, max_prefix_terms)"),
    filters: SearchFilters = Depends(query_filters),
    page: int = PageQuery,
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT, description="articles per page"),
) -> SearchRequest:
    """The search asked for, refused with a 422 (E410) past the caps on its words."""
    options: Options = request.app.state.options
    try:
        check_query(q, max_chars=options.max_query_chars, max_terms=options.max_query_terms,
                    max_prefixes=options.max_prefix_terms)
    except InputError as exc:
        raise HTTPException(422, str(exc)) from exc
    return SearchRequest(q, filters, page, limit)


def _run(store: Store, request: SearchRequest, seconds: float) -> SearchResult:
    """The search, stopped with a 503 (E309) past its time budget (``search_seconds``)."""
    try:
        with store.time_limit(seconds):
            return search_articles(store, request.query, request.filters, offset=(request.page - 1) * request.limit,
                                   limit=request.limit)
    except StoreError as exc:
        if exc.code is not Errors.E309:
            raise
        raise HTTPException(503, str(exc)) from exc


async def _searched(request: Request, store: Store, params: SearchRequest) -> SearchResult:
    """The search (``_run``) on a worker thread, its statement stopped (``Store.interrupt``)
    when the client leaves: an abandoned search must not hold a thread and a core until its
    budget runs out (issue 15: one search went on for 26 s after its client had gone)."""
    work = asyncio.ensure_future(run_in_threadpool(_run, store, params, request.app.state.options.search_seconds))
    departed: asyncio.Event | None = request.scope.get(DEPARTED)
    while not work.done():
        await asyncio.wait({work}, timeout=DEPARTURE_POLL_SECONDS)
        if not work.done() and departed is not None and departed.is_set():
            await run_in_threadpool(store.interrupt)  # again each round: an interrupt between statements does nothing
    return work.result()


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
async def search_page(
    request: Request, params: SearchRequest = Depends(search_request), store: Store = Depends(get_store)
) -> HTMLResponse:
    result = await _searched(request, store, params) if params.query.strip() or params.filters.active() else None
    context = {"params": params, "result": result, "choices": await run_in_threadpool(facet_values, store),
               "page_size": params.limit}
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/api/search", tags=["search"])
async def search_api(request: Request, params: SearchRequest = Depends(search_request),
                     store: Store = Depends(get_store)) -> SearchResult:
    """Articles matching the query and filters, best match first (newest first with no words)."""
    return await _searched(request, store, params)

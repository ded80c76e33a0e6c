"""Stories and storylines: the list, each story's page (timeline, side-by-side comparison of its
outlets, quotes, source chains) and each storyline's page, with the JSON API mirroring them."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from parallax.errors import Errors
from parallax.store import Store
from parallax.views.charts import articles_over_time, coverage
from parallax.views.compare_table import columns_of, compare_table, write_csv
from parallax.views.stories import (
    STORIES_PAGE, StorylineView, StorySummary, StoryView, count_stories, list_stories, story_view, storyline_view,
)
from parallax.model import SearchFilters
from parallax.views.search import facet_values
from parallax.web.dependencies import ID_MAX, PageQuery, StoreId, MAX_LIMIT, get_store, not_found, query_filters, templates

router = APIRouter()

@dataclass(frozen=True)
class StoryListing:
    total: int
    page: int
    limit: int
    filters: SearchFilters
    stories: list[StorySummary] = field(default_factory=list)


MinQuery = Query(1, ge=1, le=ID_MAX, description="only stories with at least this many articles")
LimitQuery = Query(STORIES_PAGE, ge=1, le=MAX_LIMIT, description="stories per page")


def story_listing(page: int = PageQuery, min_articles: int = MinQuery, limit: int = LimitQuery,
                  filters: SearchFilters = Depends(query_filters), store: Store = Depends(get_store)) -> StoryListing:
    """The page of stories the request asks for: filtered, at least ``min_articles`` long."""
    stories = list_stories(store, limit=limit, offset=(page - 1) * limit, min_articles=min_articles, filters=filters)
    return StoryListing(count_stories(store, min_articles=min_articles, filters=filters), page, limit, filters, stories)


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(request: Request, min_articles: int = MinQuery, listing: StoryListing = Depends(story_listing),
                 store: Store = Depends(get_store)) -> HTMLResponse:
    return templates.TemplateResponse(request, "stories.html", {"listing": listing, "min_articles": min_articles,
                                                                "choices": facet_values(store)})


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(story_id: StoreId, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    view = story_view(store, story_id)
    if view is None:
        return not_found(request, f"There is no story {story_id} in this store.")
    return templates.TemplateResponse(request, "story.html", _page(store, view, "story"))


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
def storyline_page(storyline_id: StoreId, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    view = storyline_view(store, storyline_id)
    if view is None:
        return not_found(request, f"There is no storyline {storyline_id} in this store.")
    return templates.TemplateResponse(request, "story.html", _page(store, view, "storyline"))


def _page(store: Store, view: StoryView | StorylineView, kind: str) -> dict[str, Any]:
    """The page's parts: the view, its articles over time by outlet and its coverage by outlet
    country and kind, its comparison as a grid with its differences (None: nothing to compare),
    the facts its differences are about, and its articles by id."""
    table = compare_table(view.comparison, columns_of(view.articles)) if view.comparison is not None else None
    days = sorted(a.published[:10] for a in view.articles if a.published)
    return {"s": view, "kind": kind, "t": table, "differing": table.differing if table else {},
            "info": {str(a.id): a for a in view.articles},
            "attention": articles_over_time("Articles by outlet", ((a.outlet, a.published, a.published_granularity)
                                                                  for a in view.articles)),
            "coverage": coverage(store, (a.outlet for a in view.articles), days[0] if days else None,
                                 days[-1] if days else None)}


FormatQuery = Query("json", description="json (SPEC.md's compare shape) or csv")
WhatQuery = Query("facts", description="with format=csv: one row per (fact, article), or per (difference, article)")


def _comparison_response(view: StoryView | StorylineView | None, missing: str, what_label: str, name: str,
                         format: Literal["json", "csv"], what: Literal["facts", "differences"]) -> Response:
    """The comparison as JSON, or as the CSV ``parallax compare --format csv`` writes."""
    if view is None:
        raise HTTPException(404, missing)
    if view.comparison is None:
        raise HTTPException(404, Errors.E702.format(what=what_label, value=view.id))
    if format == "json":
        return JSONResponse(view.comparison)
    out = io.StringIO()
    write_csv([compare_table(view.comparison, columns_of(view.articles))], what, out)
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'inline; filename="{name}-{what}.csv"'})


@router.get("/api/stories", tags=["stories"])
def stories_api(listing: StoryListing = Depends(story_listing)) -> StoryListing:
    """Stories (merged ones as the story they became), most articles first, then most recent;
    filtered like search (a story passes when one of its articles passes every filter)."""
    return listing


@router.get("/api/stories/{story_id}", tags=["stories"])
def story_api(story_id: StoreId, store: Store = Depends(get_store)) -> StoryView:
    """One story: its articles with outlet country and kind, its comparison and its timeline."""
    view = story_view(store, story_id)
    if view is None:
        raise HTTPException(404, f"no story {story_id}")
    return view


@router.get("/api/stories/{story_id}/compare", tags=["stories"], response_model=None,
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def story_compare_api(story_id: StoreId, format: Literal["json", "csv"] = FormatQuery,
                      what: Literal["facts", "differences"] = WhatQuery, store: Store = Depends(get_store)) -> Response:
    """The story compared claim by claim (SPEC.md's ``parallax compare`` shape), or as CSV."""
    view = story_view(store, story_id)
    return _comparison_response(view, f"no story {story_id}", "story", f"story-{view.id if view else story_id}", format, what)


@router.get("/api/storylines/{storyline_id}", tags=["storylines"])
def storyline_api(storyline_id: StoreId, store: Store = Depends(get_store)) -> StorylineView:
    """One storyline: its stories, all their articles compared together, and its timeline."""
    view = storyline_view(store, storyline_id)
    if view is None:
        raise HTTPException(404, f"no storyline {storyline_id}")
    return view


@router.get("/api/storylines/{storyline_id}/compare", tags=["storylines"], response_model=None,
            responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def storyline_compare_api(storyline_id: StoreId, format: Literal["json", "csv"] = FormatQuery,
                          what: Literal["facts", "differences"] = WhatQuery, store: Store = Depends(get_store)) -> Response:
    """All the storyline's articles compared together (``parallax compare N --by storyline``), or as CSV."""
    view = storyline_view(store, storyline_id)
    return _comparison_response(view, f"no storyline {storyline_id}", "storyline", f"storyline-{storyline_id}", format, what)


@router.get("/api/storylines/{storyline_id}/timeline", tags=["storylines"])
def storyline_timeline_api(storyline_id: StoreId, store: Store = Depends(get_store)) -> list[dict[str, Any]]:
    """The storyline's events in date order, each at its own granularity with its evidence."""
    view = storyline_view(store, storyline_id)
    if view is None:
        raise HTTPException(404, f"no storyline {storyline_id}")
    return view.timeline

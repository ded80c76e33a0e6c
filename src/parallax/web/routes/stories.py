"""Stories and storylines: the list, each story's page (timeline, side-by-side comparison of its
outlets, quotes, source chains) and each storyline's page, with the JSON API mirroring them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from parallax.store import SQLiteStore
from parallax.views.stories import (
    STORIES_PAGE, StorylineView, StorySummary, StoryView, count_stories, list_stories, resolve_story, story_view,
    storyline_view,
)
from parallax.web.dependencies import get_store, not_found, templates

router = APIRouter()

# Beyond this many articles sharing facts, the side-by-side view stacks each fact's tellings as
# cards instead of one narrow column per article.
MAX_COLUMNS = 5


@dataclass(frozen=True)
class StoryListing:
    total: int
    page: int
    stories: list[StorySummary] = field(default_factory=list)


def _listing(store: SQLiteStore, page: int, min_articles: int) -> StoryListing:
    stories = list_stories(store, limit=STORIES_PAGE, offset=(page - 1) * STORIES_PAGE, min_articles=min_articles)
    return StoryListing(count_stories(store), page, stories)


PageQuery = Query(1, ge=1)
MinQuery = Query(1, ge=1, description="only stories with at least this many articles")


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(request: Request, page: int = PageQuery, min_articles: int = MinQuery,
                 store: SQLiteStore = Depends(get_store)) -> HTMLResponse:
    listing = _listing(store, page, min_articles)
    return templates.TemplateResponse(request, "stories.html", {"listing": listing, "min_articles": min_articles,
                                                                "page_size": STORIES_PAGE})


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(story_id: int, request: Request, store: SQLiteStore = Depends(get_store)) -> HTMLResponse:
    view = story_view(store, story_id)
    if view is None:
        return not_found(request, f"There is no story {story_id} in this store.")
    return templates.TemplateResponse(request, "story.html", {"s": view, "kind": "story", **_page_parts(view.comparison, view.articles)})


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
def storyline_page(storyline_id: int, request: Request, store: SQLiteStore = Depends(get_store)) -> HTMLResponse:
    view = storyline_view(store, storyline_id)
    if view is None:
        return not_found(request, f"There is no storyline {storyline_id} in this store.")
    return templates.TemplateResponse(request, "story.html", {"s": view, "kind": "storyline", **_page_parts(view.comparison, view.articles)})


def _page_parts(comparison: dict[str, Any] | None, articles: list[Any]) -> dict[str, Any]:
    """What the page lays out, so the template only loops: the compared articles as columns;
    side by side, the facts told by all and those told by several but not all; the facts only
    one article tells, per article (folded away: they are most of any story); the statements
    several articles share."""
    by_id = {str(a.id): a for a in articles}
    outlet_of = {key: a.outlet or "outlet unknown" for key, a in by_id.items()}
    if comparison is None:
        return {"columns": [], "everyone": [], "agreed": [], "partial": [], "alone": {}, "statements": [],
                "outlet_of": outlet_of, "stacked": False}
    everyone = set(comparison["articles"])
    compared = [f for f in comparison["facts"] if f["kind"] in ("event", "quote", "claim", "quantity")]
    alone: dict[str, list[dict[str, Any]]] = {}
    for fact in compared:
        if len(fact["told_by"]) == 1:
            alone.setdefault(fact["told_by"][0], []).append(fact)
    agreed = [f for f in compared if set(f["told_by"]) == everyone]
    partial = [f for f in compared if 1 < len(f["told_by"]) < len(everyone)]
    telling = {a for f in agreed + partial for a in f["told_by"]}
    return {
        # Only articles that share a fact get a column: the rest say nothing side by side.
        "columns": [by_id[a] for a in comparison["articles"] if a in telling],
        "everyone": [by_id[a] for a in comparison["articles"]],
        "agreed": agreed,
        "partial": partial,
        "alone": alone,
        "statements": [f for f in compared if f["kind"] in ("quote", "claim")],
        "outlet_of": outlet_of,
        "stacked": len(telling) > MAX_COLUMNS,
    }


@router.get("/api/stories", tags=["stories"])
def stories_api(page: int = PageQuery, min_articles: int = MinQuery, store: SQLiteStore = Depends(get_store)) -> StoryListing:
    """Stories (merged ones as the story they became), most articles first, then most recent."""
    return _listing(store, page, min_articles)


@router.get("/api/stories/{story_id}", tags=["stories"])
def story_api(story_id: int, store: SQLiteStore = Depends(get_store)) -> StoryView:
    """One story: its articles with outlet country and kind, its comparison and its timeline."""
    view = story_view(store, story_id)
    if view is None:
        raise HTTPException(404, f"no story {story_id}")
    return view


@router.get("/api/stories/{story_id}/compare", tags=["stories"])
def story_compare_api(story_id: int, store: SQLiteStore = Depends(get_store)) -> dict[str, Any]:
    """The story compared claim by claim (SPEC.md's ``parallax compare`` shape)."""
    view = story_view(store, story_id)
    if view is None:
        raise HTTPException(404, f"no story {story_id}")
    if view.comparison is None:
        raise HTTPException(404, f"story {resolve_story(store, story_id)} has fewer than two annotated articles to compare")
    return view.comparison


@router.get("/api/storylines/{storyline_id}", tags=["storylines"])
def storyline_api(storyline_id: int, store: SQLiteStore = Depends(get_store)) -> StorylineView:
    """One storyline: its stories, all their articles compared together, and its timeline."""
    view = storyline_view(store, storyline_id)
    if view is None:
        raise HTTPException(404, f"no storyline {storyline_id}")
    return view


@router.get("/api/storylines/{storyline_id}/timeline", tags=["storylines"])
def storyline_timeline_api(storyline_id: int, store: SQLiteStore = Depends(get_store)) -> list[dict[str, Any]]:
    """The storyline's events in date order, each at its own granularity with its evidence."""
    view = storyline_view(store, storyline_id)
    if view is None:
        raise HTTPException(404, f"no storyline {storyline_id}")
    return view.timeline

"""Stories: articles about one real-world happening, told by several outlets.

The store has no story tables yet (story clustering is being built), so these routes say so
rather than show an empty list that looks like "no stories found".
"""
from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from parallax.web.dependencies import not_found, templates

router = APIRouter()

NOT_YET = "This store has no stories: story clustering does not write to the store yet."


@dataclass(frozen=True)
class StoryListing:
    stories: list[dict[str, object]] = field(default_factory=list)
    note: str = NOT_YET


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_page(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "stories.html", {"listing": StoryListing()})


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story_page(story_id: str, request: Request) -> HTMLResponse:
    return not_found(request, f"There is no story {story_id}. {NOT_YET}")


@router.get("/api/stories", tags=["stories"])
def stories_api() -> StoryListing:
    """Stories in the store (none until story clustering writes them; ``note`` says why)."""
    return StoryListing()


@router.get("/api/stories/{story_id}", tags=["stories"])
def story_api(story_id: str) -> None:
    """One story (none exist until story clustering writes them)."""
    raise HTTPException(404, f"no story {story_id}: {NOT_YET}")

"""The home page: what the store holds, newest articles first."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from parallax.store import Store
from parallax.views.overview import Overview, overview
from parallax.web.dependencies import get_store, templates

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home_page(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    return templates.TemplateResponse(request, "home.html", {"overview": overview(store)})


@router.get("/api/overview", tags=["overview"])
def home_api(store: Store = Depends(get_store)) -> Overview:
    """Counts, outlets, newest articles and most mentioned entities."""
    return overview(store)

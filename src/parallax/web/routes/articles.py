"""An article with its annotations, highlighted in its text."""
from __future__ import annotations

from typing import Any

import re

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from parallax.store import Store
from parallax.views.article import ArticleView, article_view, mark_up
from parallax.web.dependencies import TEXT_MAX, StoreId, get_store, not_found, templates

router = APIRouter()


_SPAN = re.compile(r"(\d+)-(\d+)")

MarkQuery = Query(None, max_length=TEXT_MAX, description="a span START-END of the text to highlight (a comparison's evidence); #evidence lands on it")


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(article_id: StoreId, request: Request, mark: str | None = MarkQuery,
                 store: Store = Depends(get_store)) -> HTMLResponse:
    view = article_view(store, article_id)
    if view is None:
        return not_found(request, f"There is no article {article_id} in this store.")
    span = _span(mark, len(view.text))
    context = {"a": view, "paragraphs": mark_up(view, span), "mark": mark, "marked": span is not None}
    return templates.TemplateResponse(request, "article.html", context)


def _span(mark: str | None, length: int) -> tuple[int, int] | None:
    """A ``START-END`` span inside the text; None when absent or not one (the page says so)."""
    found = _SPAN.fullmatch(mark or "")
    if not found:
        return None
    start, end = int(found[1]), int(found[2])
    return (start, end) if 0 <= start < end <= length else None


@router.get("/api/articles/{article_id}", tags=["articles"])
def article_api(article_id: StoreId, store: Store = Depends(get_store)) -> ArticleView:
    """The article, where it was seen, and its entities, quotes, source chains, events and times."""
    view = article_view(store, article_id)
    if view is None:
        raise HTTPException(404, f"no article {article_id}")
    return view


@router.get("/api/articles/{article_id}/annotations", tags=["articles"])
def annotations_api(article_id: StoreId, store: Store = Depends(get_store)) -> dict[str, Any]:
    """The stored annotation JSON exactly as the annotators wrote it (SPEC.md's shape)."""
    annotation = store.annotation(article_id)
    if annotation is None:
        raise HTTPException(404, f"no annotations for article {article_id}")
    return annotation

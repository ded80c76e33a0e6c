"""Attention over time (articles per day, week or month by outlet, entity, story or storyline)
and the map of events' places, narrowed by the same filters as search and the stories list;
the pages draw them, the API gives their numbers."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from parallax.model import SearchFilters
from parallax.store import Store
from parallax.views.charts import TimeChart, attention
from parallax.views.places import EventMap, event_map
from parallax.views.search import facet_values
from parallax.web.dependencies import get_store, query_filters, templates

router = APIRouter()

ByQuery = Query("outlet", description="one line per outlet, entity, story or storyline (the largest six)")
Grouping = Literal["outlet", "entity", "story", "storyline"]


@router.get("/attention", response_class=HTMLResponse, include_in_schema=False)
def attention_page(request: Request, by: Grouping = ByQuery, filters: SearchFilters = Depends(query_filters),
                   store: Store = Depends(get_store)) -> HTMLResponse:
    return templates.TemplateResponse(request, "attention.html", {
        "chart": attention(store, by, filters), "by": by, "f": filters, "choices": facet_values(store)})


@router.get("/api/attention", tags=["charts"])
def attention_api(by: Grouping = ByQuery, filters: SearchFilters = Depends(query_filters),
                  store: Store = Depends(get_store)) -> TimeChart | None:
    """Articles over time that pass the filters, a line per group, on a real time axis (the bin
    follows the span: days, weeks or months); null when no article has a date."""
    return attention(store, by, filters)


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def map_page(request: Request, filters: SearchFilters = Depends(query_filters),
             store: Store = Depends(get_store)) -> HTMLResponse:
    found = event_map(store, filters)
    return templates.TemplateResponse(request, "map.html", {"m": found, "f": filters, "choices": facet_values(store)})


@router.get("/api/map", tags=["charts"])
def map_api(filters: SearchFilters = Depends(query_filters), store: Store = Depends(get_store)) -> EventMap:
    """The places of the events in articles that pass the filters, resolved by the offline
    gazetteer (cities, else countries at their capitals), with the names it does not know."""
    return event_map(store, filters)

"""Entities: look-up by name, and each entity's profile across the store."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from parallax.store import Store
from parallax.views.charts import entity_charts
from parallax.views.entity import EntityProfile, EntitySummary, TimelineEntry, entity_profile, entity_timeline, find_entities
from parallax.web.dependencies import TEXT_MAX, StoreId, get_store, not_found, templates

router = APIRouter()

NameQuery = Query("", max_length=TEXT_MAX, description="part of an entity's name; empty lists the most mentioned")


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities_page(request: Request, q: str = NameQuery, store: Store = Depends(get_store)) -> HTMLResponse:
    return templates.TemplateResponse(request, "entities.html", {"q": q, "entities": find_entities(store, q)})


@router.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
def entity_page(entity_id: StoreId, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    profile = entity_profile(store, entity_id)
    if profile is None:
        return not_found(request, f"There is no entity {entity_id} in this store.")
    chart, lanes = entity_charts(store, entity_id, profile.entity.name, profile.over_time,
                                 (a.article for a in profile.articles))
    return templates.TemplateResponse(request, "entity.html", {"p": profile, "chart": chart, "lanes": lanes})


@router.get("/api/entities", tags=["entities"])
def entities_api(q: str = NameQuery, store: Store = Depends(get_store)) -> list[EntitySummary]:
    """Entities whose name contains ``q``, most mentioned first."""
    return find_entities(store, q)


@router.get("/api/entities/{entity_id}", tags=["entities"])
def entity_api(entity_id: StoreId, store: Store = Depends(get_store)) -> EntityProfile:
    """Mentions, quotes by the entity, events as actor or target, co-occurring entities, over time."""
    profile = entity_profile(store, entity_id)
    if profile is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return profile


@router.get("/api/entities/{entity_id}/timeline", tags=["entities"])
def entity_timeline_api(entity_id: StoreId, store: Store = Depends(get_store)) -> list[TimelineEntry]:
    """The entity's events as actor or target across every storyline, in date order, each with
    its article's storyline (``parallax timeline NAME``)."""
    if store.get_entity(entity_id) is None:
        raise HTTPException(404, f"no entity {entity_id}")
    return entity_timeline(store, entity_id)

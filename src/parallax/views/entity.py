"""An entity's profile across the store: where it is mentioned, what it said, what it did or had
done to it, who appears beside it, and how often over time.

Entities are store-wide rows (one per name and type, linked across articles when annotations
are written), so every read starts from one entity id (``store/sql_entities.py``); nothing is
recomputed from text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from parallax.clean.encoding import sanitize
from parallax.model import Alias, EntityArticle, EntityEvent, EntityQuote, EntitySummary, Period
from parallax.store import Store

# How many rows of each list a profile carries; the article list is the long one.
MAX_ARTICLES = 200
MAX_QUOTES = 200
MAX_EVENTS = 200
MAX_NEIGHBOURS = 30
# Co-occurring entities are counted over the entity's latest articles only: a much-mentioned
# entity's neighbours would otherwise aggregate every mention of a large share of the store.
MAX_COOCCURRENCE_ARTICLES = 500
MAX_ALIASES = 20
# Entities listed by a name look-up or on the home page.
MAX_LISTED = 50


@dataclass(frozen=True)
class EntityProfile:
    entity: EntitySummary
    aliases: list[Alias] = field(default_factory=list)
    articles: list[EntityArticle] = field(default_factory=list)
    quotes: list[EntityQuote] = field(default_factory=list)
    events: list[EntityEvent] = field(default_factory=list)
    co_occurring: list[EntitySummary] = field(default_factory=list)
    over_time: list[Period] = field(default_factory=list)


def entity_profile(store: Store, entity_id: int) -> EntityProfile | None:
    """Everything the store knows about one entity, or None if there is no such entity."""
    found = store.get_entity(entity_id)
    if found is None:
        return None
    # Every article mentioning the entity is in one period (undated ones in their own), so the
    # totals come with the counts over time: the mentions are read once for both.
    over_time = store.entity_over_time(entity_id)
    summary = EntitySummary(*found, sum(p.mentions for p in over_time), sum(p.articles for p in over_time))
    latest = store.latest_mentioning(summary, max(MAX_ARTICLES, MAX_COOCCURRENCE_ARTICLES))
    return EntityProfile(
        entity=summary,
        aliases=store.entity_aliases(entity_id, MAX_ALIASES),
        articles=store.entity_articles(entity_id, latest[:MAX_ARTICLES]),
        quotes=store.entity_quotes(entity_id, MAX_QUOTES),
        events=store.entity_events(entity_id, MAX_EVENTS),
        co_occurring=store.co_occurring(entity_id, latest[:MAX_COOCCURRENCE_ARTICLES], MAX_NEIGHBOURS),
        over_time=over_time,
    )


def find_entities(store: Store, name: str = "", *, limit: int = MAX_LISTED) -> list[EntitySummary]:
    """Entities whose name contains ``name`` (all of them when empty), most mentioned first; the
    name is sanitised as a search query is (a NUL or a lone surrogate never reaches the store)."""
    return store.find_entities(sanitize(name), limit)


@dataclass(frozen=True)
class TimelineEntry:
    """One of an entity's events on its timeline across storylines: the day it happened (its own
    date, else its article's day), and the storyline its article is in."""

    day: str | None
    storyline: int | None
    storyline_title: str | None
    event: EntityEvent


def entity_timeline(store: Store, entity_id: int, *, limit: int = MAX_EVENTS) -> list[TimelineEntry]:
    """The entity's latest ``limit`` events as actor or target, in date order (undated last),
    each with its article's storyline: the entity across every storyline, not one."""
    events = store.entity_events(entity_id, limit)
    lines = store.storylines_of_articles(sorted({e.article.id for e in events}))
    entries = []
    for event in events:
        day = event.date or (event.article.published[:10] if event.article.published else None)
        line = lines.get(event.article.id)
        entries.append(TimelineEntry(day, line[0] if line else None, line[1] if line else None, event))
    return sorted(entries, key=lambda e: (e.day is None, e.day or "", e.event.article.id))

"""What a store holds at a glance: counts, the newest articles, the most mentioned entities."""
from __future__ import annotations

from dataclasses import dataclass, field

from parallax.model import ArticleRef, EntitySummary
from parallax.store import Store
from parallax.views.entity import find_entities

# Rows on the home page.
NEWEST_ARTICLES = 25
TOP_ENTITIES = 30


@dataclass(frozen=True)
class OutletCount:
    outlet: str | None
    articles: int


@dataclass(frozen=True)
class Overview:
    articles: int
    annotated: int
    entities: int
    quotes: int
    events: int
    skipped_inputs: int
    outlets: list[OutletCount] = field(default_factory=list)
    newest: list[ArticleRef] = field(default_factory=list)
    top_entities: list[EntitySummary] = field(default_factory=list)


def overview(store: Store) -> Overview:
    counts = store.overview_counts()
    return Overview(
        articles=counts["articles"],
        annotated=counts["annotations"],
        entities=counts["entities"],
        quotes=counts["quotes"],
        events=counts["events"],
        skipped_inputs=counts["skipped_inputs"],
        outlets=[OutletCount(outlet, n) for outlet, n in store.outlet_counts()],
        newest=store.newest_articles(NEWEST_ARTICLES),
        top_entities=find_entities(store, limit=TOP_ENTITIES),
    )

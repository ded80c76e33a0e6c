"""What a store holds at a glance: counts, the newest articles, the most mentioned entities."""
from __future__ import annotations

from dataclasses import dataclass, field

from parallax.store import SQLiteStore
from parallax.views.entity import ArticleRef, EntitySummary, find_entities

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


def overview(store: SQLiteStore) -> Overview:
    db = store.db

    def count(table: str) -> int:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    outlets = db.execute("SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY 2 DESC, 1")
    newest = db.execute(
        """SELECT id, title, outlet, published, published_granularity FROM articles
           ORDER BY published IS NULL, published DESC, id DESC LIMIT ?""",
        (NEWEST_ARTICLES,),
    )
    return Overview(
        articles=count("articles"),
        annotated=count("annotations"),
        entities=count("entities"),
        quotes=count("quotes"),
        events=count("events"),
        skipped_inputs=count("skipped_inputs"),
        outlets=[OutletCount(r[0], r[1]) for r in outlets],
        newest=[ArticleRef(*r) for r in newest],
        top_entities=find_entities(store, limit=TOP_ENTITIES),
    )

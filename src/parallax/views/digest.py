"""The store's biggest stories in a few lines each: what ``parallax demo`` ends with.

A story's headline is its comparison in numbers — how many facts every outlet tells, how many
only some tell, where they contradict and what changed over time — plus the first contradiction
spelled out, because that is the line that makes a reader open the story.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parallax.store import Store
from parallax.views.stories import list_stories, story_view

# Stories shown in the digest, and the fewest articles a story needs to be worth comparing.
DIGEST_STORIES = 5
MIN_COMPARED_ARTICLES = 2


@dataclass(frozen=True)
class StoryDigest:
    id: int
    title: str | None
    articles: int
    outlets: list[str]
    compared: bool  # False when fewer than two annotated originals could be compared
    facts: int = 0
    told_by_all: int = 0
    told_by_some: int = 0
    contradictions: int = 0
    developments: int = 0
    first_contradiction: str | None = None


def biggest_stories(store: Store, limit: int = DIGEST_STORIES) -> list[StoryDigest]:
    """The stories with the most articles (at least two), each with its comparison counted."""
    digests = []
    for summary in list_stories(store, limit=limit, min_articles=MIN_COMPARED_ARTICLES):
        view = story_view(store, summary.id)
        comparison = view.comparison if view is not None else None
        if comparison is None:
            digests.append(StoryDigest(summary.id, summary.title, summary.articles, summary.outlets, compared=False))
            continue
        compared = len(comparison["articles"])
        told = [len(fact["told_by"]) for fact in comparison["facts"]]
        digests.append(StoryDigest(
            summary.id, summary.title, summary.articles, summary.outlets, compared=True,
            facts=len(told), told_by_all=sum(n == compared for n in told), told_by_some=sum(n < compared for n in told),
            contradictions=len(comparison["contradictions"]), developments=len(comparison["developments"]),
            first_contradiction=_difference_line(comparison["contradictions"][0]) if comparison["contradictions"] else None,
        ))
    return digests


def _difference_line(difference: dict[str, Any]) -> str:
    """"date of <about>: 2018-03-20 (article 12) vs 2018-07-19 (article 13)"."""
    values = " vs ".join(f"{value} (article {article})" for article, value in difference["values"].items())
    return f"{difference['kind']} of {difference['about']}: {values}"

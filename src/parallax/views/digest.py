"""What ``parallax demo`` ends with: the stories told by the most outlets, then the others whose
comparison finds differences, in a few lines each.

A story's headline is its comparison in numbers — how many facts every article tells, how many
two or more tell, how many one alone, where they contradict and what changed over time — plus
the first difference spelled out (a contradiction, else a development), because that is the
line that makes a reader open the story. Stories told by several outlets come first: how each
outlet tells a story is what the comparison is for, and a story told by one outlet in many
articles would otherwise push every story two outlets tell out of the digest.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Collection
from typing import Any

from parallax.store import Store
from parallax.model import StorySummary
from parallax.views.stories import list_stories, story_view

# Stories shown in the digest, and the fewest articles a story needs to be worth comparing.
DIGEST_STORIES = 5
# Stories shown after them for the differences their comparison finds.
DIFFERENCE_STORIES = 3
MIN_COMPARED_ARTICLES = 2
# The biggest stories (by articles) the digest chooses its stories among, by outlets: enough to
# reach the two-outlet stories of a corpus that one outlet dominates, without comparing a large
# store's every story (each digest story is compared, or its stored comparison read).
CANDIDATE_STORIES = 200


@dataclass(frozen=True)
class StoryDigest:
    id: int
    title: str | None
    articles: int
    outlets: list[str]
    compared: bool  # False when fewer than two annotated originals could be compared
    compared_articles: int = 0  # the articles compared (near-copies and unannotated ones left out)
    facts: int = 0
    told_by_all: int = 0
    told_by_several: int = 0  # by two or more articles but not all
    told_by_one: int = 0
    contradictions: int = 0
    developments: int = 0
    first_difference: str | None = None  # the first contradiction, else the first development


def biggest_stories(store: Store, limit: int = DIGEST_STORIES) -> list[StoryDigest]:
    """The stories told by the most outlets, then with the most articles (at least two), each
    with its comparison counted."""
    candidates = list_stories(store, limit=CANDIDATE_STORIES, min_articles=MIN_COMPARED_ARTICLES)
    chosen = sorted(candidates, key=lambda summary: (-len(summary.outlets), -summary.articles))[:limit]
    return [_digest(store, summary) for summary in chosen]


def stories_with_differences(store: Store, shown: Collection[int] = (), limit: int = DIFFERENCE_STORIES) -> list[StoryDigest]:
    """The stories whose comparison finds contradictions or developments, those with the most
    contradictions first, leaving out the stories already ``shown``. A wire that updates a toll
    over three days tells a story alone, and the digest by outlets leaves it out; yet how its
    figures moved is the comparison at work, and a reader of the demo should see it."""
    candidates = list_stories(store, limit=CANDIDATE_STORIES, min_articles=MIN_COMPARED_ARTICLES)
    digests = [_digest(store, summary) for summary in candidates if summary.id not in shown]
    found = [d for d in digests if d.contradictions or d.developments]
    return sorted(found, key=lambda d: (-d.contradictions, -d.developments, -d.articles))[:limit]


def _digest(store: Store, summary: StorySummary) -> StoryDigest:
    """One story's comparison in numbers, read from its stored view (or made, when none is stored)."""
    view = story_view(store, summary.id)
    comparison = view.comparison if view is not None else None
    if comparison is None:
        return StoryDigest(summary.id, summary.title, summary.articles, summary.outlets, compared=False)
    compared = len(comparison["articles"])
    told = [len(fact["told_by"]) for fact in comparison["facts"]]
    differences = ([("contradiction", d) for d in comparison["contradictions"]]
                   + [("development", d) for d in comparison["developments"]])
    return StoryDigest(
        summary.id, summary.title, summary.articles, summary.outlets, compared=True, compared_articles=compared,
        facts=len(told), told_by_all=sum(n == compared for n in told),
        told_by_several=sum(1 < n < compared for n in told), told_by_one=sum(n == 1 for n in told),
        contradictions=len(comparison["contradictions"]), developments=len(comparison["developments"]),
        first_difference=_difference_line(*differences[0]) if differences else None,
    )


def _difference_line(what: str, difference: dict[str, Any]) -> str:
    """"contradiction: date of <about>: 2018-03-20 (article 12) vs 2018-07-19 (article 13)"."""
    values = " vs ".join(f"{value} (article {article})" for article, value in difference["values"].items())
    return f"{what}: {difference['kind']} of {difference['about']}: {values}"

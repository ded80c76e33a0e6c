"""Online story clustering: each article, in arrival order, joins a story or starts one.

An article is compared with its nearest earlier articles (an approximate-nearest-neighbour
index over lead embeddings keeps this sublinear in the corpus), never with the future, so the
same code can later run against the store as articles arrive. A story is bounded in time:
articles published further apart than ``story_days`` never share one. When a new article is
close to two stories at ``merge_threshold`` it bridges them and they merge. Stories that are
related but not one happening (the same thread weeks apart, a looser match) are linked into
a storyline.

Near-duplicates (wire copies, reposts) are folded first: a copy joins its original's story
whatever its embedding says.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from usearch.index import Index

from parallax.stories.copies import CopyIndex
from parallax.stories.embed import embed_multilingual, lead_text
from parallax.stories.params import StoryParams, load_story_params

Embedder = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class StoryItem:
    """What clustering reads of an article."""

    id: str
    title: str
    text: str
    published: date | None = None


class _UnionFind:
    """Disjoint sets over 0..n-1, grown one element at a time; the smaller root wins."""

    def __init__(self) -> None:
        self._parent: list[int] = []

    def make(self) -> int:
        self._parent.append(len(self._parent))
        return len(self._parent) - 1

    def find(self, x: int) -> int:
        root = x
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[x] != root:
            self._parent[x], x = root, self._parent[x]
        return root

    def union(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        if a != b:
            a, b = min(a, b), max(a, b)
            self._parent[b] = a
        return a


def _days_apart(a: date | None, b: date | None) -> int:
    """Days between two publication dates; 0 when either is unknown (no evidence against)."""
    return abs((a - b).days) if a and b else 0


class OnlineClusterer:
    """Assigns articles to stories one at a time, keeping its state in memory.

    ``add`` returns the story the article joined at that moment; a later merge can fold that
    story into an older one, so ask ``story_of`` / ``storyline_of`` for the current answer.
    """

    def __init__(self, params: StoryParams | None = None,
                 embedder: Embedder = embed_multilingual) -> None:
        self._params = params or load_story_params()
        self._embedder = embedder
        self._copies = CopyIndex(self._params)
        self._index: Index | None = None
        self._position: dict[str, int] = {}
        self._story_of_article: list[int] = []
        self._dates: list[date | None] = []
        self._stories = _UnionFind()
        self._storylines = _UnionFind()
        # Per story root: the sum of its members' vectors (the centroid's direction).
        self._sums: dict[int, np.ndarray] = {}

    @property
    def params(self) -> StoryParams:
        return self._params

    def add(self, item: StoryItem) -> int:
        """Cluster one article (embedding it alone); return its story id."""
        vector = self._embedder([lead_text(item.title, item.text, self._params.lead_chars)])[0]
        return self.add_embedded(item, vector)

    def add_embedded(self, item: StoryItem, vector: np.ndarray) -> int:
        """Cluster one article whose unit-length lead embedding is already computed."""
        position = len(self._story_of_article)
        self._position[item.id] = position
        self._dates.append(item.published)
        original = self._copies.add(position, f"{item.title}\n{item.text}")
        if original is not None:
            story = self._stories.find(self._story_of_article[original])
        else:
            story = self._assign(item.published, vector)
        self._story_of_article.append(story)
        self._sums[story] = self._sums.get(story, 0.0) + vector
        self._remember(position, vector)
        return story

    def story_of(self, article_id: str) -> int:
        """The article's story now (after any merges)."""
        return self._stories.find(self._story_of_article[self._position[article_id]])

    def storyline_of(self, article_id: str) -> int:
        """The storyline of the article's story now."""
        return self._storylines.find(self.story_of(article_id))

    def _remember(self, position: int, vector: np.ndarray) -> None:
        if self._index is None:
            self._index = Index(ndim=len(vector), metric="cos")
        self._index.add(position, vector, threads=1)

    def _story_scores(self, published: date | None, vector: np.ndarray,
                      ) -> tuple[dict[int, float], dict[int, float]]:
        """Best pair score per nearby story: within story time bounds, and within storyline ones."""
        in_story: dict[int, float] = {}
        in_storyline: dict[int, float] = {}
        if self._index is None or not len(self._index):
            return in_story, in_storyline
        matches = self._index.search(vector, self._params.neighbours, threads=1)
        for key, distance in zip(matches.keys, matches.distances):
            neighbour = int(key)
            score = 1.0 - float(distance)
            story = self._stories.find(self._story_of_article[neighbour])
            gap = _days_apart(published, self._dates[neighbour])
            if gap <= self._params.story_days:
                in_story[story] = max(score, in_story.get(story, score))
            if gap <= self._params.storyline_days:
                in_storyline[story] = max(score, in_storyline.get(story, score))
        weight = self._params.centroid_weight
        for scores in (in_story, in_storyline):
            for story, nearest in scores.items():
                centroid = self._sums[story]
                to_centroid = float(centroid @ vector) / float(np.linalg.norm(centroid))
                scores[story] = (1.0 - weight) * nearest + weight * to_centroid
        return in_story, in_storyline

    def _assign(self, published: date | None, vector: np.ndarray) -> int:
        in_story, in_storyline = self._story_scores(published, vector)
        ranked = sorted(in_story.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= self._params.join_threshold:
            story = ranked[0][0]
            for other, score in ranked[1:]:
                if score >= self._params.merge_threshold:
                    merged = self._stories.union(story, other)
                    self._storylines.union(story, other)
                    self._sums[merged] = self._sums.pop(story) + self._sums.pop(other)
                    story = merged
        else:
            story = self._stories.make()
            self._storylines.make()
        for other, score in in_storyline.items():
            if score >= self._params.storyline_threshold:
                self._storylines.union(story, other)
        return story


def cluster_items(items: Iterable[StoryItem], params: StoryParams | None = None,
                  embedder: Embedder = embed_multilingual) -> list[tuple[str, int, int]]:
    """(id, story, storyline) per item in input order, clustering online in that order.

    Embeddings are computed in one batch first (the slow part, and order-free); assignment
    then runs strictly in arrival order, each article seeing only earlier ones.
    """
    items = list(items)
    clusterer = OnlineClusterer(params, embedder)
    lead_chars = clusterer.params.lead_chars
    vectors = embedder([lead_text(i.title, i.text, lead_chars) for i in items])
    for item, vector in zip(items, vectors):
        clusterer.add_embedded(item, vector)
    return [(i.id, clusterer.story_of(i.id), clusterer.storyline_of(i.id)) for i in items]

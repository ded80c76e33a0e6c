"""Online story clustering: each article, in arrival order, joins a story or starts one.

An article is compared with its nearest earlier articles (an approximate-nearest-neighbour
index over lead embeddings keeps this sublinear in the corpus), never with the future, so the
same code runs against the store as articles arrive (``stories/store.py``). A story is bounded
in time: articles whose days (publication day, and the calendar days their text tells of) are
all further apart than ``story_days`` never share one when either is dated by its publication
(see ``stories/dates.py``), which is what keeps two invitations months apart in two stories
of one storyline. When a new article is
close to two stories at ``merge_threshold`` it bridges them and they merge. Stories that are
related but not one happening (the same thread weeks apart, a looser match) are linked into
a storyline.

Near-duplicates (wire copies, reposts) are folded first: a copy joins its original's story
whatever its embedding says.
"""
from __future__ import annotations

import bisect
import gc
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import count
from typing import TypeVar

import numpy as np
from usearch.index import Index

from parallax.stories.copies import CopyIndex, Sketch
from parallax.stories.dates import Days, GroupDays, article_days, days_apart, firm
from parallax.stories.embed import embed_multilingual, lead_text
from parallax.stories.params import StoryParams, load_story_params

Embedder = Callable[[Sequence[str]], np.ndarray]
T = TypeVar("T")

# Every this many articles the nearest-neighbour index is checkpointed: serialised and loaded
# back. Loading one resets what the index library does not save (the random source that draws
# each insertion's graph level), so a clusterer rebuilt from a stored checkpoint plus the articles
# after it holds the very index one that never stopped holds, and assigns alike: where runs
# stopped and restarted never changes a story. A rebuild from the stored checkpoint inserts fewer
# than STORED_CHECKPOINTS times this many vectors.
INDEX_CHECKPOINT = 5000
# The store keeps every checkpoint up to this many, then every this-many-th: a checkpoint is the
# whole index (2 kB an article), so keeping each would write the store's size again every 5,000
# articles; a restart then inserts at most this many checkpoint intervals of articles.
STORED_CHECKPOINTS = 10


@dataclass(frozen=True)
class StoryItem:
    """What clustering reads of an article.

    ``dates`` are the calendar days its text tells of (TimeML values, ``XXXX-03-20`` when the
    year is not fixed), which with ``published`` keep apart happenings months apart whose
    words are alike. ``entities`` are its principal actors: two stories join one storyline
    only when they share one (when both name any).
    """

    id: str
    title: str
    text: str
    published: date | None = None
    dates: tuple[str, ...] = ()
    entities: frozenset[str] = frozenset()


@dataclass
class Assignment:
    """What adding one article did: the story it is in, and what changed around it."""

    story: int
    started: bool = False
    # The id of the earlier article this one is a copy of (wire copy, repost).
    copy_of: str | None = None
    # Stories folded into ``story`` because this article bridged them.
    merged: list[int] = field(default_factory=list)
    # Storylines joined, each as (the storyline kept, the one folded into it), named by root story.
    linked: list[tuple[int, int]] = field(default_factory=list)


class _UnionFind:
    """Disjoint sets over integer keys, grown one key at a time; the smaller root wins, so the
    oldest story (lowest id) names a merged one."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}

    def make(self, key: int) -> int:
        self._parent.setdefault(key, key)
        return key

    def find(self, x: int) -> int:
        root = x
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[x] != root:
            self._parent[x], x = root, self._parent[x]
        return root

    def union(self, a: int, b: int) -> tuple[int, int | None]:
        """Join the sets of a and b: (the root kept, the root folded in, or None if already one)."""
        a, b = self.find(a), self.find(b)
        if a == b:
            return a, None
        kept, folded = min(a, b), max(a, b)
        self._parent[folded] = kept
        return kept, folded


class OnlineClusterer:
    """Assigns articles to stories one at a time, keeping its state in memory.

    ``add`` returns the story the article joined at that moment; a later merge can fold that
    story into an older one, so ask ``story_of`` / ``storyline_of`` for the current answer.
    Story ids come from ``new_story`` (by default 0, 1, 2 ...; the store passes one that
    creates a row), and must grow: the oldest story keeps its id when stories merge.
    """

    def __init__(self, params: StoryParams | None = None,
                 embedder: Embedder = embed_multilingual,
                 new_story: Callable[[], int] | None = None) -> None:
        self._params = params or load_story_params()
        self._embedder = embedder
        self._new_story = new_story or count().__next__
        self._copies = CopyIndex(self._params)
        self._index: Index | None = None
        # The latest checkpoint not yet taken: (articles it holds, the serialised index).
        self._checkpoint: tuple[int, bytes] | None = None
        self._position: dict[str, int] = {}
        # Per article (by position): its story as assigned, days, publication day and entities.
        # Articles share few distinct days and entity sets: each distinct value is kept once.
        self._story_of_article = array("q")
        self._distinct: dict[object, object] = {}
        self._days: list[Days] = []
        self._entities: list[frozenset[str]] = []
        self._stories = _UnionFind()
        self._storylines = _UnionFind()
        # Per story root: the sum of its members' vectors (the centroid's direction), and the
        # days its members tell of.
        self._sums: dict[int, np.ndarray] = {}
        self._sizes: dict[int, int] = {}  # articles per live story
        self._story_days: dict[int, GroupDays] = {}
        # Per story root: its members' publication days (ordinals, sorted), and per article its
        # own. A dated article joins no story whose dated members are all further off than
        # story_days, however close an undated or yearless member ("March 20") brings it.
        self._published: list[int | None] = []
        self._story_published: dict[int, list[int]] = {}
        # Per storyline root: the days its stories tell of (what places it in time), and the sum
        # of its members' vectors (a storyline is joined by its centroid, so links cannot chain
        # away from its subject one similar story at a time).
        self._storyline_days: dict[int, GroupDays] = {}
        self._storyline_sums: dict[int, np.ndarray] = {}

    @property
    def params(self) -> StoryParams:
        return self._params

    def __len__(self) -> int:
        return len(self._story_of_article)

    def embed(self, items: Sequence[StoryItem]) -> np.ndarray:
        """Unit-length lead embeddings of the items, one row each (the slow, order-free part)."""
        return self._embedder([lead_text(i.title, i.text, self._params.lead_chars) for i in items])

    def sketch(self, item: StoryItem) -> Sketch | None:
        """The item's near-duplicate sketch (title and text)."""
        return self._copies.sketch(f"{item.title}\n{item.text}")

    def add(self, item: StoryItem) -> int:
        """Cluster one article (embedding it alone); return its story id."""
        return self.add_embedded(item, self.embed([item])[0])

    def add_embedded(self, item: StoryItem, vector: np.ndarray) -> int:
        """Cluster one article whose unit-length lead embedding is already computed."""
        return self.assign(item, vector, self.sketch(item)).story

    def assign(self, item: StoryItem, vector: np.ndarray, sketch: Sketch | None) -> Assignment:
        """Cluster one embedded, sketched article and say what it changed."""
        position = self._remember_item(item)
        original = self._copies.add_sketch(item.id, sketch) if sketch is not None else None
        if original is not None:
            assignment = Assignment(self.story_of(str(original)), copy_of=str(original))
        else:
            assignment = self._assign(position, vector)
        self._join(position, assignment.story, vector)
        return assignment

    def restore_many(self, items: Sequence[StoryItem], vectors: np.ndarray, sketches: Sequence[Sketch | None],
                     stories: Sequence[int], checkpoint: tuple[int, bytes] | None = None) -> None:
        """Put articles back into the stories they were assigned to, in their arrival order, into
        a clusterer that holds none yet (rebuilding after a restart); deciding nothing.

        ``checkpoint`` is an index checkpoint (see ``INDEX_CHECKPOINT``) this clusterer's
        predecessor made when it held the first of these articles, as :meth:`take_checkpoint`
        gave it: only the articles after it are inserted (an insertion costs a graph search, most
        of what a rebuild costs), in one call per checkpoint interval, which builds the graph that
        inserting them one by one would.
        """
        if len(self):
            raise ValueError("restore_many rebuilds an empty clusterer")
        # Millions of small containers (LSH buckets, days) and no cycle among them: the cyclic
        # collector would walk the growing heap again and again (a third of a rebuild's time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            sketched = [(item.id, sketch) for item, sketch in zip(items, sketches) if sketch is not None]
            self._copies.restore_many([key for key, _ in sketched], [sketch for _, sketch in sketched])
            for item, story in zip(items, stories):
                position = self._remember_item(item)
                self._stories.make(story)
                self._storylines.make(story)
                self._join_state(position, self._stories.find(story), vectors[position])
        finally:
            if collecting:
                gc.enable()
        held = 0
        if checkpoint is not None:
            held, data = checkpoint
            if not self.is_checkpoint(held) or held > len(vectors):
                raise ValueError(f"not a checkpoint of these articles: {held}")
            self._index = Index.restore(bytearray(data))
        while held < len(vectors):
            end = min(len(vectors), (held // INDEX_CHECKPOINT + 1) * INDEX_CHECKPOINT)
            if self._index is None:
                self._index = Index(ndim=vectors.shape[1], metric="cos")
            self._index.add(np.arange(held, end), vectors[held:end], threads=1)
            held = end
            if held % INDEX_CHECKPOINT == 0:
                self._make_checkpoint()

    @staticmethod
    def is_checkpoint(articles: int) -> bool:
        """Whether an index holding this many articles is one a checkpoint makes."""
        return articles > 0 and articles % INDEX_CHECKPOINT == 0

    def take_checkpoint(self) -> tuple[int, bytes] | None:
        """The index checkpoint made since the last call, if any: (articles it holds, bytes)."""
        checkpoint, self._checkpoint = self._checkpoint, None
        return checkpoint

    @staticmethod
    def is_stored_checkpoint(articles: int) -> bool:
        """Whether the store keeps this checkpoint (see ``STORED_CHECKPOINTS``)."""
        every = STORED_CHECKPOINTS * INDEX_CHECKPOINT
        return OnlineClusterer.is_checkpoint(articles) and (articles <= every or articles % every == 0)

    def _make_checkpoint(self) -> None:
        assert self._index is not None
        saved = self._index.save()  # an index with no path saves to a bytearray
        assert saved is not None
        # The graph goes before its copy is read back: two copies of it at a time, not three.
        self._index = None
        restored = Index.restore(saved)  # None only for bytes that hold no index
        assert restored is not None
        self._index = restored
        self._checkpoint = (len(restored), saved)

    def link_storyline(self, story: int, other: int) -> None:
        """Record that two restored stories share a storyline."""
        self._union_storylines(story, other)

    def story_of(self, article_id: str) -> int:
        """The article's story now (after any merges)."""
        return self._stories.find(self._story_of_article[self._position[article_id]])

    def story_size(self, story: int) -> int:
        """How many articles the live story holds."""
        return self._sizes.get(story, 0)

    def storyline_of(self, article_id: str) -> int:
        """The storyline of the article's story now, named by its oldest story."""
        return self._storylines.find(self.story_of(article_id))

    def _remember_item(self, item: StoryItem) -> int:
        position = len(self._story_of_article)
        self._position[item.id] = position
        self._days.append(self._once(article_days(item.published, item.dates)))
        self._published.append(self._once(item.published.toordinal()) if item.published else None)
        self._entities.append(self._once(item.entities))
        return position

    def _once(self, value: T) -> T:
        """The one kept copy of an immutable value equal to this one."""
        return self._distinct.setdefault(value, value)  # type: ignore[return-value]

    def _join(self, position: int, story: int, vector: np.ndarray) -> None:
        self._join_state(position, story, vector)
        if self._index is None:
            self._index = Index(ndim=len(vector), metric="cos")
        self._index.add(position, vector, threads=1)
        if (position + 1) % INDEX_CHECKPOINT == 0:
            self._make_checkpoint()

    def _join_state(self, position: int, story: int, vector: np.ndarray) -> None:
        """Everything joining a story changes but the nearest-neighbour index."""
        self._story_of_article.append(story)
        self._sums[story] = self._sums.get(story, 0.0) + vector
        self._sizes[story] = self._sizes.get(story, 0) + 1
        self._story_days.setdefault(story, GroupDays()).add(self._days[position])
        published = self._published[position]
        if published is not None:
            bisect.insort(self._story_published.setdefault(story, []), published)
        line = self._storylines.find(story)
        self._storyline_days.setdefault(line, GroupDays()).add(self._days[position])
        self._storyline_sums[line] = self._storyline_sums.get(line, 0.0) + vector

    def _story_scores(self, position: int, vector: np.ndarray,
                      ) -> tuple[dict[int, float], dict[int, float]]:
        """Score per nearby story, for joining it and for linking storylines with it.

        A story is a candidate to join when one of the article's nearest neighbours in it is
        within ``story_days`` of it; when its neighbours are only further apart in days the
        texts name (neither dated by publication), it stays a candidate at a score lowered by
        ``told_days_penalty``; when they are further apart with a publication date, it is not a
        candidate. Storylines take stories that share a principal actor (when both name any)
        and whose storyline's days with a known year lie within ``storyline_days`` of the
        article's (when both have such days), scored against the storyline's centroid. Every
        join score is lowered where the article's neighbourhood is crowded (``_crowding``).
        """
        near: set[int] = set()
        apart_softly: set[int] = set()
        in_storyline: set[int] = set()
        nearest: dict[int, float] = {}
        # (story, cosine) of each neighbour that could share the article's story, nearest first.
        neighbourhood: list[tuple[int, float]] = []
        if self._index is None or not len(self._index):
            return {}, {}
        days, entities = self._days[position], self._entities[position]
        matches = self._index.search(vector, self._params.neighbours, threads=1)
        for key, distance in zip(matches.keys, matches.distances):
            neighbour = int(key)
            story = self._stories.find(self._story_of_article[neighbour])
            nearest[story] = max(1.0 - float(distance), nearest.get(story, -1.0))
            other_days = self._days[neighbour]
            gap = days_apart(days, other_days)
            if gap <= self._params.story_days or not firm(days, other_days):
                (near if gap <= self._params.story_days else apart_softly).add(story)
                neighbourhood.append((story, 1.0 - float(distance)))
            others = self._entities[neighbour]
            line_days = self._storyline_days.get(self._storylines.find(story))
            line_gap = line_days.years_apart(days) if line_days else None
            in_time = line_gap is None or line_gap <= self._params.storyline_days
            if in_time and (not entities or not others or entities & others):
                in_storyline.add(story)
        published = self._published[position]
        if published is not None:
            near = {story for story in near if self._near_days(self._story_published.get(story, []), published)}
            apart_softly = {story for story in apart_softly if self._near_days(self._story_published.get(story, []), published)}
            neighbourhood = [(story, cosine) for story, cosine in neighbourhood if story in near | apart_softly]
        linkage = {story: self._linkage(story, nearest[story], vector) for story in near | apart_softly}
        # Stories the article is close enough to bridge are not its background but part of its
        # happening (a story split early in a dense stream): only the others crowd it.
        neighbourhood = [(story, cosine) for story, cosine in neighbourhood
                         if linkage[story] < self._params.merge_threshold]
        in_story = {story: linkage[story] - self._crowding(story, neighbourhood) for story in near}
        for story in apart_softly - near:
            in_story[story] = linkage[story] - self._crowding(story, neighbourhood) - self._params.told_days_penalty
        return in_story, {story: self._to_storyline(story, vector) for story in in_storyline}

    def _near_days(self, days: list[int], day: int) -> bool:
        """Whether ``days`` (sorted publication days of a story's members) is empty or holds one
        within ``story_days`` of ``day``: a 2018 readout never joins a 2025 story through an
        undated article that tells of "March 20"."""
        at = bisect.bisect_left(days, day)
        return not days or any(abs(days[i] - day) <= self._params.story_days for i in (at - 1, at) if 0 <= i < len(days))

    def _to_storyline(self, story: int, vector: np.ndarray) -> float:
        """Cosine of the article with the centroid of the story's storyline."""
        centroid = self._storyline_sums[self._storylines.find(story)]
        return float(centroid @ vector) / float(np.linalg.norm(centroid))

    def _crowding(self, story: int, neighbourhood: list[tuple[int, float]]) -> float:
        """How much a crowded neighbourhood lowers the article's score for a story.

        ``neighbourhood`` holds the article's neighbours that could share its story (near enough
        in time) in stories it is not close enough to bridge. Where many of them are nearly as
        close as this story (the mean cosine of the ``background_neighbours`` nearest outside it
        is above ``background_floor``), a cosine that would mean "the same happening" in a
        sparse store means only "the same topic": the score drops by ``background_weight`` times the excess, so a growing store of one
        topic's news does not chain its happenings into one story.
        """
        others = [cosine for other, cosine in neighbourhood if other != story][:self._params.background_neighbours]
        if not others:
            return 0.0
        excess = sum(others) / len(others) - self._params.background_floor
        return self._params.background_weight * max(0.0, excess)

    def _linkage(self, story: int, nearest: float, vector: np.ndarray) -> float:
        """The article's score for a story: its nearest member's cosine mixed with the cosine to
        the story's centroid (pure nearest-neighbour linkage chains unrelated stories)."""
        centroid = self._sums[story]
        to_centroid = float(centroid @ vector) / float(np.linalg.norm(centroid))
        weight = self._params.centroid_weight
        return (1.0 - weight) * nearest + weight * to_centroid

    def _centroid_lift(self, story: int, vector: np.ndarray) -> float:
        """How much the story's centroid lifts the article's score over its members' mean cosine
        (centroid cosine less mean member cosine, times ``centroid_weight``).

        Averaging a story's members cancels what each tells alone, so a centroid sits closer to
        any article of the topic than the members do, and the more so the more they spread: a
        story of several neighbouring happenings outscores the article's own single-article
        story (on Clust-McMs tune, a Queen's funeral article chose Liz Truss's first-week story,
        centroid cosine 0.649 against 0.598 for the funeral article before it, though its mean
        cosine to the Truss articles was 0.587)."""
        total = self._sums[story]
        shared = float(total @ vector)
        lift = shared / float(np.linalg.norm(total)) - shared / self._sizes[story]
        return self._params.centroid_weight * lift

    def _assign(self, position: int, vector: np.ndarray) -> Assignment:
        """Join a story, merging in every other at ``merge_threshold``, or start one.

        Stories at ``merge_threshold`` are the article's happening (it bridges them): it joins
        one of them. Otherwise it joins, among the stories at ``join_threshold``, the one its
        members are on average closest to (see ``_centroid_lift``), not the one whose centroid
        is. Were the choice by members made among all of them, a lower story chosen would take
        in the bridging one: in the demo store a March 2025 G7 article, at merge level with its
        G7 story, chose the undated 2018 Trump-Putin wire copy (one article), and the G7 and
        tariff stories were merged into it. The thresholds stay on the centroid score."""
        in_story, in_storyline = self._story_scores(position, vector)
        bridging = [story for story, score in in_story.items() if score >= self._params.merge_threshold]
        eligible = bridging or [story for story, score in in_story.items() if score >= self._params.join_threshold]
        if eligible:
            chosen = max(eligible, key=lambda story: in_story[story] - self._centroid_lift(story, vector))
            assignment = Assignment(chosen)
            for other, score in sorted(in_story.items(), key=lambda kv: -kv[1]):
                if other != chosen and score >= self._params.merge_threshold \
                        and self._same_time(assignment.story, other):
                    self._merge(assignment, other)
        else:
            story = self._new_story()
            self._stories.make(story)
            self._storylines.make(story)
            assignment = Assignment(story, started=True)
        for other, score in in_storyline.items():
            if score >= self._params.storyline_threshold:
                self._link(assignment, assignment.story, other)
        return assignment

    def _same_time(self, story: int, other: int) -> bool:
        """Whether two stories' days allow them to be one happening: an undated article close
        to both must not bridge two happenings its dated neighbours keep apart."""
        days, other_days = self._story_days[story].as_days(), self._story_days[other].as_days()
        if firm(days, other_days) and days_apart(days, other_days) > self._params.story_days:
            return False
        first, second = sorted((self._story_published.get(story, []), self._story_published.get(other, [])), key=len)
        return not first or any(self._near_days(second, day) for day in first)

    def _merge(self, assignment: Assignment, other: int) -> None:
        """Fold ``other`` and ``assignment.story`` into one story (the older id is kept)."""
        kept, folded = self._stories.union(assignment.story, other)
        if folded is None:
            return
        self._link(assignment, kept, folded)
        self._sums[kept] = self._sums.pop(kept) + self._sums.pop(folded)
        self._sizes[kept] = self._sizes.pop(kept, 0) + self._sizes.pop(folded, 0)
        self._story_days.setdefault(kept, GroupDays()).absorb(self._story_days.pop(folded, GroupDays()))
        self._story_published[kept] = sorted(self._story_published.get(kept, []) + self._story_published.pop(folded, []))
        assignment.merged.append(folded)
        assignment.story = kept

    def _link(self, assignment: Assignment, story: int, other: int) -> None:
        kept, folded = self._union_storylines(story, other)
        if folded is not None:
            assignment.linked.append((kept, folded))

    def _union_storylines(self, story: int, other: int) -> tuple[int, int | None]:
        kept, folded = self._storylines.union(story, other)
        if folded is not None:
            self._storyline_days.setdefault(kept, GroupDays()).absorb(self._storyline_days.pop(folded, GroupDays()))
            total = self._storyline_sums.pop(kept, 0.0) + self._storyline_sums.pop(folded, 0.0)
            self._storyline_sums[kept] = np.asarray(total)
        return kept, folded


def cluster_items(items: Iterable[StoryItem], params: StoryParams | None = None,
                  embedder: Embedder = embed_multilingual) -> list[tuple[str, int, int]]:
    """(id, story, storyline) per item in input order, clustering online in that order.

    Embeddings are computed in one batch first (the slow part, and order-free); assignment
    then runs strictly in arrival order, each article seeing only earlier ones.
    """
    items = list(items)
    clusterer = OnlineClusterer(params, embedder)
    vectors = clusterer.embed(items)
    for item, vector in zip(items, vectors):
        clusterer.add_embedded(item, vector)
    return [(i.id, clusterer.story_of(i.id), clusterer.storyline_of(i.id)) for i in items]

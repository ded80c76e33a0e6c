"""Stories and storylines as the store holds them, with each one's comparison and timeline.

A story that was merged into another (``stories.merged_into``) is shown as the story it became,
and its articles count there. An article folded as a near-copy of another (``copy_of``) is
listed with the story but left out of its comparison: a reprint of a wire story is the wire's
telling, not a second outlet agreeing with it. Only annotated articles can be compared.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from parallax.model import SearchFilters, StoryMember, StorySummary
from parallax.store import Store
from parallax.errors import StoreError
from parallax.views.filters import resolve

if TYPE_CHECKING:
    from parallax.compare import StoryArticle

# The comparison (numpy, scikit-learn's model, the claims vocabulary), the sanitiser and the
# outlet registry are imported inside the functions that use them: ``parallax stories`` lists
# what the store holds and needs none of them, and the comparison's imports alone cost it ~0.4 s
# of start-up (issue 11: light commands under 0.3 s).

STORIES_PAGE = 50


@dataclass(frozen=True)
class StoryArticleInfo:
    """An article of a story with its outlet as the registry describes it."""

    id: int
    title: str | None
    outlet: str | None
    outlet_country: str | None
    outlet_kind: str | None
    published: str | None
    published_granularity: str | None
    url: str | None
    story_id: int
    copy_of: int | None
    annotated: bool


@dataclass(frozen=True)
class StoryView:
    id: int
    title: str | None
    storyline_id: int | None
    articles: list[StoryArticleInfo]
    comparison: dict[str, Any] | None  # None: fewer than two annotated articles to compare
    timeline: list[dict[str, Any]] = field(default_factory=list)
    merged_from: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class StorylineView:
    id: int
    title: str | None
    stories: list[StorySummary]
    articles: list[StoryArticleInfo]
    comparison: dict[str, Any] | None
    timeline: list[dict[str, Any]] = field(default_factory=list)


def list_stories(store: Store, *, limit: int = STORIES_PAGE, offset: int = 0, min_articles: int = 1,
                 filters: SearchFilters | None = None) -> list[StorySummary]:
    """Stories (as merged) with the most articles first, then the most recent; with ``filters``
    (``views/filters.py``), those one of whose articles passes them all."""
    return store.list_stories(limit, offset, min_articles, resolve(store, filters) if filters else None)


def count_stories(store: Store, *, min_articles: int = 1, filters: SearchFilters | None = None) -> int:
    """How many stories ``list_stories`` pages through with the same arguments."""
    return store.count_filtered_stories(min_articles, resolve(store, filters) if filters else None)


def story_view(store: Store, story_id: int) -> StoryView | None:
    """One story: its articles with outlet metadata, the comparison and the timeline (read from
    the store's stored view when it was made for these members, else made and stored)."""
    final = store.resolve_story(story_id)
    story = store.get_story(final) if final is not None else None
    if story is None:
        return None
    stories = store.merged_members(story.id)
    members = store.story_members(stories)
    articles = _with_outlets(members)
    comparison, events = _compare(store, "story", story.id, members, articles)
    return StoryView(story.id, story.title or _first_title(articles), story.storyline_id, articles, comparison, events,
                     merged_from=[m for m in stories if m != story.id])


def storyline_view(store: Store, storyline_id: int) -> StorylineView | None:
    """One storyline: its stories, all their articles compared together, and its timeline."""
    line = store.get_storyline(storyline_id)
    if line is None:
        return None
    members = store.storyline_members(storyline_id)
    articles = _with_outlets(members)
    comparison, events = _compare(store, "storyline", storyline_id, members, articles)
    return StorylineView(line.id, line.title or _first_title(articles), store.storyline_stories(storyline_id), articles,
                         comparison, events)


def refresh_story_view(store: Store, story_id: int) -> bool:
    """Make and store the story's view unless the one stored was made for its present members
    and code; returns whether it was made. Ingest calls it for the stories it changed, so their
    pages are read, not computed, when first asked for."""
    story = store.get_story(story_id)
    if story is None:
        return False
    members = store.story_members(store.merged_members(story.id))
    if store.stored_view("story", story.id, _state(members, story.id)) is not None:
        return False
    _compare(store, "story", story.id, members, _with_outlets(members), wait=None)
    return True


def find_storyline(store: Store, query: str) -> int | None:
    """The storyline a query names: its id; else the storyline most articles mentioning an entity
    of that name belong to; else the one the best full-text matches belong to. The query is
    sanitised as a search query is (a NUL or a lone surrogate never reaches the store)."""
    from parallax.clean.encoding import sanitize

    query = sanitize(query)
    if query.strip().isdigit() and store.get_storyline(int(query)) is not None:
        return int(query)
    found = store.storyline_mentioning(query)
    if found is not None:
        return found
    words = re.findall(r"\w+", query)
    return store.storyline_matching(words) if words else None


def comparable(articles: list[StoryArticleInfo]) -> int:
    """How many of these articles a comparison takes: annotated originals (no copies)."""
    return sum(1 for a in articles if a.annotated and a.copy_of is None)


def storyline_articles(store: Store, storyline_id: int) -> list[StoryArticleInfo]:
    """A storyline's articles with their outlets, without comparing them."""
    return _with_outlets(store.storyline_members(storyline_id))


def story_articles_for_comparison(store: Store, articles: list[StoryArticleInfo]) -> list[StoryArticle]:
    """The annotated originals (no copies) of a story, as the comparison takes them."""
    from parallax.compare import StoryArticle

    chosen = []
    for info in articles:
        if info.copy_of is not None or not info.annotated:
            continue
        annotation = store.annotation(info.id)
        if annotation is not None:
            chosen.append(StoryArticle(str(info.id), annotation, info.outlet, info.published, info.title))
    return chosen


# --- internals -------------------------------------------------------------------------------
def _first_title(articles: list[StoryArticleInfo]) -> str | None:
    """A story without a title of its own is called by its first article's."""
    return next((a.title for a in articles if a.title), None)


def _with_outlets(members: list[StoryMember]) -> list[StoryArticleInfo]:
    """Story members with their outlet as the registry describes it."""
    from parallax.clean.outlets import outlet_profile

    infos = []
    for m in members:
        profile = outlet_profile(m.outlet, m.url)
        infos.append(StoryArticleInfo(
            m.id, m.title, m.outlet, profile.country if profile else None, profile.kind if profile else None,
            m.published, m.published_granularity, m.url, m.story_id, m.copy_of, m.annotated,
        ))
    return infos


# Views already read or made in this process, most recently used last (see ``_compare``).
View = tuple[dict[str, Any] | None, list[dict[str, Any]]]
_VIEWS: OrderedDict[tuple[Any, ...], View] = OrderedDict()
_VIEWS_LOCK = threading.Lock()
_MAKING: dict[tuple[Any, ...], threading.Lock] = {}  # one lock per view being made
VIEWS_KEPT = 256
# Seconds a page waits for an ingest's write lock to store a view it made (else it is not
# stored this time; the ingest stores the views of the stories it changes itself).
PAGE_WRITE_WAIT = 0.2


def _compare(store: Store, kind: str, subject: int, members: list[StoryMember], articles: list[StoryArticleInfo],
             *, wait: float | None = PAGE_WRITE_WAIT) -> View:
    """The comparison and timeline of a story's (or storyline's) articles: from this process's
    memory, else from the view stored for the same members and code, else made (embedding and
    aligning every sentence: 0.3-1.6 s) and stored, so no later request nor another server
    worker makes it again. The key (``_state``) covers what the comparison reads of each member
    it compares, and the comparison's code, so a story that gains, loses, merges or re-annotates
    an original, or a new comparison, is compared anew (a copy filed into it is not compared).
    Requests for one view that arrive together wait for the first one's instead of each making
    it (sixteen at once each took the cores for seconds). ``wait``: see ``Store.keep_view``."""
    state = _state(members, subject)
    key = (store.location, kind, subject, state)
    with _VIEWS_LOCK:
        if key in _VIEWS:
            _VIEWS.move_to_end(key)
            return _VIEWS[key]
        making = _MAKING.setdefault(key, threading.Lock())
    try:
        with making:
            with _VIEWS_LOCK:
                if key in _VIEWS:
                    return _VIEWS[key]
            stored = store.stored_view(kind, subject, state)
            if stored is None:
                comparison, events = _compared(store, articles, subject if kind == "story" else f"storyline {subject}")
                stored = json.dumps({"comparison": comparison, "timeline": events}, ensure_ascii=False)
                try:
                    store.keep_view(kind, subject, state, stored, wait=wait)
                except StoreError:
                    if wait is None:
                        raise  # ingest's refresh: a store that cannot be written is the run's failure
                    # A page is served from a read-only or full store all the same, without storing.
            view = json.loads(stored)
            made: View = (view["comparison"], view["timeline"])
            with _VIEWS_LOCK:
                _VIEWS[key] = made
                while len(_VIEWS) > VIEWS_KEPT:
                    _VIEWS.popitem(last=False)
    finally:
        with _VIEWS_LOCK:
            _MAKING.pop(key, None)
    return made


def _state(members: list[StoryMember], subject: int) -> str:
    """A digest of what a view is made of: the comparison's code and what it reads of each
    member it compares (the annotated originals: a copy filed into the story changes nothing
    compared) — its story, annotation version and time, outlet, date and title."""
    compared = [(m.id, m.story_id, m.annotation_stamp, m.outlet, m.published, m.title)
                for m in members if m.copy_of is None and m.annotation_stamp is not None]
    parts = [_compare_code(), subject, compared]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


@cache
def _compare_code() -> str:
    """``COMPARE_VERSION`` and a digest of the comparison's sources, model and vocabulary: a view
    made by other code is stale even when a change forgot to bump the version."""
    from parallax.compare import COMPARE_VERSION

    digest = hashlib.sha256(COMPARE_VERSION.encode())
    package, views = resources.files("parallax.compare"), resources.files("parallax.views")
    for part in [*sorted((p for p in package.iterdir() if p.name.endswith(".py")), key=lambda p: p.name),
                 views.joinpath("timeline.py"), views.joinpath("dates.py"),
                 resources.files("parallax.resources").joinpath("compare_model.json"),
                 resources.files("parallax.resources").joinpath("claims.json")]:  # the differences read its vocabulary
        digest.update(part.read_bytes())
    return f"{COMPARE_VERSION}:{digest.hexdigest()[:16]}"


def _compared(store: Store, articles: list[StoryArticleInfo], label: int | str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    from parallax.compare import compare_story
    from parallax.views.timeline import timeline

    chosen = story_articles_for_comparison(store, articles)
    if not chosen:
        return None, []
    # A storyline holds several stories: its statements are compared within each story.
    within = {str(info.id): info.story_id for info in articles}
    comparison = compare_story(chosen, label, within=within)
    return (comparison if len(chosen) >= 2 else None), timeline(chosen, comparison)

"""Stories and storylines as the store holds them, with each one's comparison and timeline.

A story that was merged into another (``stories.merged_into``) is shown as the story it became,
and its articles count there. An article folded as a near-copy of another (``copy_of``) is
listed with the story but left out of its comparison: a reprint of a wire story is the wire's
telling, not a second outlet agreeing with it. Only annotated articles can be compared.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from parallax.clean.outlets import outlet_profile
from parallax.model import SearchFilters, StoryMember, StorySummary
from parallax.store import Store
from parallax.compare import StoryArticle, compare_story
from parallax.views.filters import resolve
from parallax.views.timeline import timeline

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
    """One story: its articles with outlet metadata, the comparison and the timeline."""
    final = store.resolve_story(story_id)
    story = store.get_story(final) if final is not None else None
    if story is None:
        return None
    members = store.merged_members(story.id)
    articles = _with_outlets(store.story_members(members))
    comparison, events = _compare(store, articles, story.id)
    return StoryView(story.id, story.title or _first_title(articles), story.storyline_id, articles, comparison, events,
                     merged_from=[m for m in members if m != story.id])


def storyline_view(store: Store, storyline_id: int) -> StorylineView | None:
    """One storyline: its stories, all their articles compared together, and its timeline."""
    line = store.get_storyline(storyline_id)
    if line is None:
        return None
    articles = storyline_articles(store, storyline_id)
    comparison, events = _compare(store, articles, f"storyline {storyline_id}")
    return StorylineView(line.id, line.title or _first_title(articles), store.storyline_stories(storyline_id), articles,
                         comparison, events)


def find_storyline(store: Store, query: str) -> int | None:
    """The storyline a query names: its id; else the storyline most articles mentioning an entity
    of that name belong to; else the one the best full-text matches belong to."""
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
    infos = []
    for m in members:
        profile = outlet_profile(m.outlet, m.url)
        infos.append(StoryArticleInfo(
            m.id, m.title, m.outlet, profile.country if profile else None, profile.kind if profile else None,
            m.published, m.published_granularity, m.url, m.story_id, m.copy_of, m.annotated,
        ))
    return infos


# Comparisons already made in this process, most recently used last (see ``_compare``).
_COMPARISONS: OrderedDict[tuple[Any, ...], tuple[dict[str, Any] | None, list[dict[str, Any]]]] = OrderedDict()
_COMPARISONS_LOCK = threading.Lock()
_MAKING: dict[tuple[Any, ...], threading.Lock] = {}  # one lock per comparison being made
COMPARISONS_KEPT = 256


def _compare(store: Store, articles: list[StoryArticleInfo], label: int | str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The comparison and timeline of a story's (or storyline's) articles, made once per set of
    members: a page asked for again (the web app, a second ``show``) is answered from memory
    instead of embedding and aligning every sentence again (about 0.9 s for a four-article story
    on a loaded machine). The key is the store, the label and each member with its story, copy
    and annotation state, so a story that gains, loses, merges or annotates an article is compared
    anew."""
    key = (store.location, str(label), tuple((a.id, a.story_id, a.copy_of, a.annotated) for a in articles))
    with _COMPARISONS_LOCK:
        if key in _COMPARISONS:
            _COMPARISONS.move_to_end(key)
            return _COMPARISONS[key]
        # Requests for one story that arrive together wait for the first one's comparison
        # rather than each making it (sixteen at once each took the cores for seconds).
        making = _MAKING.setdefault(key, threading.Lock())
    with making:
        with _COMPARISONS_LOCK:
            if key in _COMPARISONS:
                return _COMPARISONS[key]
        made = _compared(store, articles, label)
        with _COMPARISONS_LOCK:
            _COMPARISONS[key] = made
            _MAKING.pop(key, None)
            while len(_COMPARISONS) > COMPARISONS_KEPT:
                _COMPARISONS.popitem(last=False)
    return made


def _compared(store: Store, articles: list[StoryArticleInfo], label: int | str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    chosen = story_articles_for_comparison(store, articles)
    if not chosen:
        return None, []
    # A storyline holds several stories: its statements are compared within each story.
    within = {str(info.id): info.story_id for info in articles}
    comparison = compare_story(chosen, label, within=within)
    return (comparison if len(chosen) >= 2 else None), timeline(chosen, comparison)

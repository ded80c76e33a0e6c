"""Saved watches and the alerts they raise as articles arrive.

A watch is one standing question, of one of four kinds:

- ``entity``: articles that mention an entity. The name is resolved through the store-wide
  entities: every entity whose canonical name is the watched name, or that some article refers to
  by it (a watch on "Putin" finds "Vladimir Putin"); case is ignored (ASCII letters only, as
  SQLite's NOCASE).
- ``keyword``: articles matching words in the full-text index, with the search box's query
  language (every word must appear; ``"a phrase"``; ``word*`` for a prefix).
- ``plover``: articles with an event of a PLOVER type among their annotated events.
- ``storyline``: new developments in the stories of one storyline. An article arriving in the
  storyline is a development when it is not a near-duplicate copy and brings at least one of:
  a story new to the storyline (the first article of its story); an outlet not telling its story
  before (the first article from that outlet in the story); a PLOVER event type that no earlier
  article of its story had. "Earlier" is arrival order (article ids). Another report by an outlet
  already telling the story, with nothing new in it, raises no alert: the watch reports
  developments, not volume.

Each alert is one (watch, article) (``Store.add_alerts`` keeps it so), so re-checking the whole
store, or ingesting the same input again, never repeats an alert.

Delivery to webhooks is a job apart (``parallax/webhooks.py``): an alert is stored first, and the
store keeps the record of its delivery.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit
from importlib import resources

from parallax.clean.encoding import sanitize
from parallax.errors import Errors, InputError
from parallax.ingest.http import check_destination
from parallax.model import Alert, StoryMatch, Watch
from parallax.store import Store
from parallax.views.search import fts_expression

KINDS = ("entity", "keyword", "plover", "storyline")
# Characters of an event's evidence sentence quoted in an alert's reason.
REASON_EVIDENCE_CHARS = 160
# Alerts listed on the watches page and in an Atom feed, newest first.
RECENT_ALERTS = 50


# -- managing watches --------------------------------------------------------------------------
def plover_types() -> list[str]:
    """The PLOVER event types the event coder can assign (from the shipped codebook)."""
    book = json.loads(resources.files("parallax").joinpath("resources/plover_codebook.json").read_text("utf-8"))
    return sorted(book["modes"])


def _typed(text: str) -> str:
    """A watch name or value as a user typed it, sanitised as a search query is and trimmed: the
    one form it is stored, looked up and removed by."""
    return sanitize(text).strip()


def add_watch(store: Store, name: str, kind: str, value: str, webhook: str | None = None,
              allow_private: Sequence[str] = ()) -> Watch:
    """Save a watch, refusing what could never match (an unknown PLOVER type, a keyword with no
    words, a storyline the store does not have) so a typo does not sit silent for weeks, and a
    webhook that is not http(s), carries credentials in its URL (E608) or points at a private,
    loopback or link-local address not in ``allow_private`` (E220, SSRF). The name and value are
    sanitised as a search query is (a NUL or a lone surrogate never reaches the store); a webhook
    that sanitising would change is refused (E208), as posting to an altered URL would be wrong."""
    name, value = _typed(name), _typed(value)
    if not name or not value:
        raise InputError(Errors.E607)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if kind == "plover":
        value = value.upper()
        if value not in plover_types():
            raise InputError(Errors.E603, value=value, known=", ".join(plover_types()))
    elif kind == "keyword" and fts_expression(value) is None:
        raise InputError(Errors.E604)
    elif kind == "storyline":
        if not value.isdigit() or not store.storyline_exists(int(value)):
            raise InputError(Errors.E605, value=value)
    if webhook is not None:
        if sanitize(webhook) != webhook:
            raise InputError(Errors.E208, detail="a control character or a broken encoding in it")
        if not webhook.lower().startswith(("http://", "https://")):
            raise InputError(Errors.E606, value=webhook)
        if urlsplit(webhook).username is not None:
            raise InputError(Errors.E608)
        check_destination(webhook, allow_private)
    if not store.add_watch(name, kind, value, webhook):
        raise InputError(Errors.E601, name=name)
    found = store.get_watch(name)
    assert found is not None
    return found


def webhook_origin(url: str | None) -> str | None:
    """A webhook URL as it may be shown: ``https://hooks.example.org/…`` (scheme and host; the
    user part, path and query, which often hold the credential, left out)."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "…"
    return f"{parts.scheme}://{host}{port}/…"


def remove_watch(store: Store, name: str) -> None:
    """Delete a watch and its alerts (the name sanitised as ``add_watch`` sanitised it)."""
    if not store.remove_watch(_typed(name)):
        raise InputError(Errors.E602, name=name)


def list_watches(store: Store) -> list[Watch]:
    return store.watches()


def get_watch(store: Store, name: str) -> Watch | None:
    """The watch of this name (sanitised as ``add_watch`` sanitised it), if there is one."""
    return store.get_watch(_typed(name))


# -- matching ----------------------------------------------------------------------------------
def check_watches(store: Store, article_ids: Iterable[int] | None) -> list[Alert]:
    """Match the given articles (``None``: the whole store) against every active watch and store
    one alert per new (watch, article) match; returns only the alerts this call created."""
    watches = store.watches(active_only=True)
    if not watches:
        return []
    scope = None if article_ids is None else sorted({int(i) for i in article_ids})
    created = store.add_alerts([match for watch in watches for match in _alert_rows(store, watch, scope)])
    return store.alerts_by_id(created) if created else []


def _alert_rows(store: Store, watch: Watch, scope: Scope) -> list[tuple[int, int, int | None, str]]:
    """(watch, article, story, reason) of the watch's matches among the articles in scope. An
    entity, keyword or PLOVER match names no story; the alert still carries the story the article
    is in (the one its story merged into), so a receiver can follow it there."""
    matches = _MATCHERS[watch.kind](store, watch.value, scope)
    filed = store.storylines_of_articles(sorted({a for a, s, _ in matches if s is None}))
    return [(watch.id, a, s if s is not None or a not in filed else store.resolve_story(filed[a][2]), reason)
            for a, s, reason in matches]


def check_arrivals(store: Store, *, stories: bool = True) -> list[Alert]:
    """Match every article no watch has been checked against yet and store the alerts; returns
    the alerts this call created.

    What is unchecked is store state (each watch's ``checked_through``), not a run's list of the
    articles it added, so a run killed before its alerts leaves them to the next run, which raises
    exactly the alerts an uninterrupted run would have, once each (``add_alerts``). Only settled
    articles are checked (``Store.settled_through``: with ``stories``, those given a story, whose
    entities and events the watches read), so a concurrent ingest's half-done articles wait."""
    through = store.settled_through(stories=stories)
    created: list[int] = []
    for watch in store.watches(active_only=True):
        if watch.checked_through >= through:
            continue
        matches = _alert_rows(store, watch, store.unchecked_articles(watch.id, through))
        with store.transaction():
            created += store.add_alerts(matches)
            store.mark_checked(watch.id, through)
    return store.alerts_by_id(created) if created else []


Match = tuple[int, int | None, str]  # (article id, story id or None, reason)
Scope = list[int] | None  # the article ids to check, or None for all


def _entity_matches(store: Store, name: str, scope: Scope) -> list[Match]:
    by_article: dict[int, list[str]] = {}
    for article_id, entity_name, count in store.entity_mentions_named(name, scope):
        by_article.setdefault(article_id, []).append(f"{entity_name} ({count}×)")
    return [(article_id, None, "mentions " + ", ".join(names)) for article_id, names in by_article.items()]


def _keyword_matches(store: Store, query: str, scope: Scope) -> list[Match]:
    expression = fts_expression(query)
    if expression is None:
        return []
    return [(article_id, None, f"matches {query}") for article_id in store.articles_matching(expression, scope)]


def _plover_matches(store: Store, plover: str, scope: Scope) -> list[Match]:
    return [(article_id, None, f"{plover} event: {_clip(evidence)}")
            for article_id, evidence in store.first_events_of_type(plover, scope)]


def _storyline_matches(store: Store, storyline: str, scope: Scope) -> list[Match]:
    """Developments (see the module docstring) brought by articles in scope to the storyline."""
    merged = store.merged_stories()
    watched = store.live_stories_of(int(storyline))
    filed_under = [story for story in (*watched, *merged) if _live_story(story, merged) in watched]
    members: dict[int, list[StoryMatch]] = {}  # live story id -> its articles in arrival order
    for member in store.storyline_members_in_order(filed_under):
        members.setdefault(_live_story(member.story_id, merged), []).append(member)
    in_scope = None if scope is None else set(scope)
    matches: list[Match] = []
    for story_id in sorted(members):
        articles = members[story_id]
        event_types = store.event_types([m.article_id for m in articles])
        outlets_before: set[str | None] = set()
        types_before: set[str] = set()
        for position, member in enumerate(articles):
            news = []
            if position == 0:
                news.append(f"new story {story_id} in storyline {storyline}")
            elif member.outlet not in outlets_before:
                news.append(f"first report from {member.outlet or 'an unnamed outlet'}")
            fresh = sorted(event_types.get(member.article_id, set()) - types_before)
            if fresh and position:
                news.append("new event type " + ", ".join(fresh))
            if news and member.copy_of is None and (in_scope is None or member.article_id in in_scope):
                matches.append((member.article_id, story_id, "; ".join(news)))
            outlets_before.add(member.outlet)
            types_before |= event_types.get(member.article_id, set())
    return matches


def _live_story(story_id: int, merged: dict[int, int]) -> int:
    """The story a merged one now lives in (merges can chain)."""
    seen = {story_id}
    while story_id in merged and merged[story_id] not in seen:
        story_id = merged[story_id]
        seen.add(story_id)
    return story_id


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= REASON_EVIDENCE_CHARS else flat[: REASON_EVIDENCE_CHARS - 1].rstrip() + "…"


_MATCHERS = {
    "entity": _entity_matches,
    "keyword": _keyword_matches,
    "plover": _plover_matches,
    "storyline": _storyline_matches,
}


# -- reading alerts ----------------------------------------------------------------------------
def recent_alerts(store: Store, watch: str | None = None, limit: int = RECENT_ALERTS) -> list[Alert]:
    """The newest alerts, of one watch (its name sanitised as ``add_watch`` sanitised it) or of all."""
    return store.recent_alerts(sanitize(watch).strip() if watch is not None else None, limit)

"""Entity profiles, on the demo corpus with the two seeds annotated by hand."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Stores
from parallax.store import Store, open_store
from parallax.views.article import article_view, mark_up
from parallax.views.entity import entity_profile, find_entities


@pytest.fixture(scope="module")
def store(hand_annotated_store: Path, module_stores: Stores):
    """The hand-annotated demo store, on each backend."""
    with open_store(module_stores.copy_of(hand_annotated_store)) as opened:
        yield opened


def entity_id(store: Store, name: str) -> int:
    (found,) = [e for e in find_entities(store, name) if e.name == name]
    return found.id


def test_find_entities_by_part_of_the_name(store: Store) -> None:
    assert [e.name for e in find_entities(store, "putin")] == ["Vladimir Putin"]
    assert find_entities(store, "100%_") == []  # LIKE wildcards are literal
    everyone = find_entities(store)
    assert everyone[0].articles >= everyone[-1].articles


def test_profile_gathers_mentions_across_articles(store: Store) -> None:
    profile = entity_profile(store, entity_id(store, "Vladimir Putin"))
    assert profile is not None
    assert profile.entity.articles == 2
    assert profile.entity.mentions == sum(r.mentions for r in profile.articles)
    assert {a.text for a in profile.aliases} >= {"Putin", "Russian President Vladimir Putin"}
    # The CBS seed is dated by its sidecar (July 2018); the wire story has no date.
    assert [p.period for p in profile.over_time] == ["2018-07", None]


def test_quotes_by_the_entity_and_events_in_either_role(store: Store) -> None:
    lavrov = entity_profile(store, entity_id(store, "Sergei Lavrov"))
    assert lavrov is not None
    assert [q.content for q in lavrov.quotes] == ["We proceed from the fact that the U.S. president in a telephone conversation"]
    assert lavrov.quotes[0].channel == "interview"
    assert lavrov.events == []  # the source of an event, not its actor or target
    putin = entity_profile(store, entity_id(store, "Vladimir Putin"))
    trump = entity_profile(store, entity_id(store, "Donald Trump"))
    assert putin is not None and trump is not None
    assert {v.role for v in putin.events} == {"target"} and len(putin.events) == 2
    assert {v.role for v in trump.events} == {"actor"}
    assert {v.date for v in trump.events} == {"2018-03-20", None}


def test_co_occurring_entities_ranked_by_shared_articles(store: Store) -> None:
    profile = entity_profile(store, entity_id(store, "Vladimir Putin"))
    assert profile is not None
    names = [e.name for e in profile.co_occurring]
    assert names[0] in {"Donald Trump", "Russia"} and "Vladimir Putin" not in names
    assert "Sergei Lavrov" in names and "Sarah Huckabee Sanders" in names


def test_unknown_entity_has_no_profile(store: Store) -> None:
    assert entity_profile(store, 10**9) is None


def test_article_view_resolves_store_wide_ids(store: Store) -> None:
    (hit,) = [a for a in store.iter_articles() if a.title and a.title.startswith("Russia says")]
    assert hit.id is not None
    view = article_view(store, hit.id)
    assert view is not None and view.annotation_version == "hand"
    assert view.attributions[0].chain == ["RIA Novosti", "Russian Foreign Ministry"]
    assert view.events[0].according_to == "Sergei Lavrov"
    assert view.times[0].value == "XXXX-03-20"
    assert {e.name for e in view.entities} >= {"Donald Trump", "Vladimir Putin", "Sergei Lavrov"}


def test_mark_up_covers_the_text_exactly_once(store: Store) -> None:
    (hit,) = [a for a in store.iter_articles() if a.title and a.title.startswith("Russia says")]
    assert hit.id is not None
    view = article_view(store, hit.id)
    assert view is not None
    paragraphs = mark_up(view)
    rebuilt = "\n".join("".join(p.text for p in para) for para in paragraphs)
    assert rebuilt == "\n".join(line for line in view.text.split("\n") if line.strip())
    pieces = [p for para in paragraphs for p in para]
    lavrov = entity_id(store, "Sergei Lavrov")
    assert {p.text for p in pieces if p.entity_id == lavrov} == {"Foreign Minister Sergei Lavrov", "Lavrov"}
    quoted = "".join(p.text for p in pieces if p.quote == 0)
    assert quoted == view.quotes[0].content
    assert "".join(p.text for p in pieces if p.time == 0) == "March 20"


def test_entity_inside_a_quote_keeps_both_highlights(store: Store) -> None:
    (hit,) = [a for a in store.iter_articles() if a.title and a.title.startswith("Trump Asked Aide")]
    assert hit.id is not None
    view = article_view(store, hit.id)
    assert view is not None
    pieces = [p for para in mark_up(view) for p in para]
    assert [(p.text, p.entity_type) for p in pieces if p.quote == 0 and p.entity_id] == [("Russia", "GPE")]


def test_latest_articles_walked_or_gathered_agree(store: Store) -> None:
    """The two ways of choosing an entity's latest articles (walking the date index for a
    frequent entity, gathering its articles first for a rare one) choose the same, undated last."""
    for entity in find_entities(store):
        for limit in (1, 2, 50):
            walked = store._ids(store.latest_walking_sql(), (entity.id, limit))
            gathered = store._ids(store.latest_among_sql("SELECT article_id FROM entity_mentions WHERE entity_id = ?"),
                                  (entity.id, limit))
            assert walked == gathered == store.latest_mentioning(entity, limit)
            assert len(walked) == min(limit, entity.articles)
    putin = entity_profile(store, entity_id(store, "Vladimir Putin"))
    assert putin is not None and putin.articles[-1].article.published is None

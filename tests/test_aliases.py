"""Entity aliases: an acronym joins the one organisation whose initials it is, curated and user
rules join or keep apart, merges move mentions, quotes and events; an article's own outlet is
not linked as an entity of its text."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax import jobs
from parallax.aliases import AliasRules, acronym_of, initials, load_rules, own_outlet_entities, plan_merges
from parallax.errors import InputError
from parallax.settings import load_options
from parallax.store import open_store
from parallax.views.entity import entity_profile, find_entities

from conftest import Stores


def no_weights(ids: list[int]) -> dict[int, int]:
    return {}


def test_acronyms_and_initials() -> None:
    assert acronym_of("U.N.") == "UN" and acronym_of("NATO") == "NATO" and acronym_of("E.U.") == "EU"
    assert acronym_of("Nato") is None and acronym_of("A") is None and acronym_of("United Nations") is None
    assert initials("European Union") == {"EU"} and initials("Voice of America") == {"VA", "VOA"}
    assert "DPRK" in initials("the Democratic People's Republic of Korea") and initials("Vladimir putin") == set()


def test_an_acronym_joins_the_one_name_it_abbreviates() -> None:
    entities = [(1, "United Nations", "ORG"), (2, "U.N.", "ORG"), (3, "UN", "ORG"), (4, "BLA", "ORG"),
                (5, "Baloch Liberation Army", "ORG"), (6, "Bolivian Labour Alliance", "ORG"), (7, "EU", "ORG"),
                (8, "Eastern Ukraine", "GPE"), (9, "DHS", "ORG")]
    merges = {(m.source, m.target, m.rule) for m in plan_merges(entities, AliasRules(), no_weights)}
    # BLA has two candidates, EU's only candidate is another type, DHS has none: none is joined.
    assert merges == {(2, 1, "acronym"), (3, 1, "acronym")}


def test_curated_and_user_rules(tmp_path: Path) -> None:
    entities = [(1, "State Department", "ORG"), (2, "State", "ORG"), (3, "Georgia", "GPE"), (4, "Georgia (US state)", "GPE"),
                (5, "European Union", "ORG"), (6, "EU", "GPE"), (7, "UNO", "ORG"), (8, "United Nations", "ORG"),
                (9, "United Nations", "GPE")]
    user = tmp_path / "aliases.txt"
    user.write_text("# mine\nUnited Nations = UNO   # old name\nState != State Department\nGeorgia = Georgia (US state)\n", "utf-8")
    rules = load_rules(user)
    merges = {(m.source, m.target, m.rule) for m in plan_merges(entities, rules, lambda ids: {9: 5, 8: 2})}
    # UNO joins the United Nations most articles mention (9); the other row of that name stays.
    assert merges == {(4, 3, "user"), (6, 5, "curated"), (7, 9, "user")}
    assert (2, 1, "curated") not in merges  # the user kept State apart
    assert {(m.source, m.target) for m in plan_merges(entities, load_rules(), no_weights)} >= {(2, 1), (6, 5)}


def test_a_bad_aliases_file_is_one_numbered_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("United Nations = U.N.\njust words\n", "utf-8")
    with pytest.raises(InputError, match=r"^E905 aliases file .* line 2: 'just words'"):
        load_rules(bad)
    with pytest.raises(InputError, match="^E904 cannot read the aliases file"):
        load_rules(tmp_path / "missing.txt")


def test_the_articles_own_outlet_is_found_by_its_names_and_initials() -> None:
    annotation = {"entities": [{"id": "e1", "name": "VOA", "type": "ORG"}, {"id": "e2", "name": "Voice of America", "type": "ORG"},
                               {"id": "e3", "name": "Donald Trump", "type": "PERSON"}, {"id": "e4", "name": "VOA News", "type": "ORG"},
                               {"id": "e5", "name": "CBS News", "type": "ORG"}]}
    assert own_outlet_entities(annotation, "Voice of America") == {"e1", "e2", "e4"}
    assert own_outlet_entities(annotation, None, "https://www.voanews.com/a/x.html") == {"e1", "e2", "e4"}
    assert own_outlet_entities(annotation, "CBS News") == {"e5"}
    assert own_outlet_entities(annotation, None) == set()


def _annotate(store, article_id: int, entities: list[tuple[str, str, str]], unlinked: set[str] = set()) -> dict:
    article = store.get_article(article_id)
    text = article.text
    found = []
    for local, name, type_ in entities:
        found.append({"id": local, "name": name, "type": type_, "mentions": [{"start": 0, "end": min(5, len(text))}]})
    annotation = {"text": text, "entities": found, "times": [], "attributions": [], "claims": [],
                  "quotes": [{"kind": "direct", "content": {"start": 0, "end": 10}, "cue": None,
                              "speaker": {"entity": found[0]["id"], "name": found[0]["name"], "start": 0, "end": 3}, "channel": None}],
                  "events": [{"plover": "CONSULT", "actor": {"entity": found[0]["id"], "text": found[0]["name"]},
                              "evidence": {"start": 0, "end": 10}}]}
    store.save_annotations(article_id, annotation, "hand", unlinked)
    return annotation


def test_merging_moves_mentions_quotes_and_events_and_the_outlet_stays_unlinked(hand_annotated_store: Path, stores: Stores) -> None:
    with open_store(stores.copy_of(hand_annotated_store)) as store:
        voa = [a.id for a in store.iter_articles() if a.outlet == "Voice of America"][:2]
        _annotate(store, voa[0], [("e1", "U.N.", "ORG"), ("e2", "VOA", "ORG")], {"e2"})
        _annotate(store, voa[1], [("e1", "United Nations", "ORG")])
        assert not find_entities(store, "VOA")  # the outlet itself is no entity of its articles
        assert json.loads(json.dumps(store.annotation(voa[0])))["entities"][1]["name"] == "VOA"  # still annotated
        merges = jobs.merge_aliases(store, load_options())
        assert [(m.source_name, m.target_name, m.rule) for m in merges] == [("U.N.", "United Nations", "curated")]
        (un,) = find_entities(store, "United Nations")
        assert un.articles == 2 and not find_entities(store, "U.N.")
        profile = entity_profile(store, un.id)
        assert profile is not None and len(profile.quotes) == 2 and len(profile.events) == 2
        assert {a.text for a in profile.aliases} == {store.get_article(voa[0]).text[:5], store.get_article(voa[1]).text[:5]}
        assert jobs.merge_aliases(store, load_options()) == []  # nothing left to join


@pytest.mark.slow
def test_the_demo_joins_un_and_never_ranks_voa(bundled_demo_store: Path) -> None:
    with open_store(str(bundled_demo_store)) as store:
        names = {e.name for e in find_entities(store, "", limit=200)}
        assert "United Nations" in names and "U.N." not in names
        assert "VOA" not in names and "Voice of America" not in names

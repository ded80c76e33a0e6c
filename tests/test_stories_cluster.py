"""Online story clustering: joining, starting, bridging merges, time bounds, storylines."""
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from parallax.errors import InputError
from parallax.stories import cluster_records, story_item
from parallax.stories import cluster
from parallax.stories.cluster import OnlineClusterer, StoryItem, cluster_items
from parallax.stories.params import load_story_params

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seeds"


def _unit(*components: float) -> np.ndarray:
    vector = np.array(components, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _item(id_: str, text: str, published: date | None = None) -> StoryItem:
    return StoryItem(id=id_, title="", text=text, published=published)


def _clusterer(**changes: object) -> OnlineClusterer:
    """A clusterer at round thresholds, the crowding of neighbourhoods off unless asked for."""
    changes = {"join_threshold": 0.8, "merge_threshold": 0.85, "storyline_threshold": 0.5,
               "background_weight": 0.0, **changes}
    params = replace(load_story_params(), **changes)
    return OnlineClusterer(params, embedder=lambda texts: np.zeros((len(texts), 3), np.float32))


def test_close_articles_join_and_distant_ones_start_stories() -> None:
    clusterer = _clusterer()
    first = clusterer.add_embedded(_item("a", "quake"), _unit(1, 0, 0))
    assert clusterer.add_embedded(_item("b", "quake again"), _unit(1, 0.1, 0)) == first
    assert clusterer.add_embedded(_item("c", "election"), _unit(0, 0, 1)) != first
    assert clusterer.story_of("a") == clusterer.story_of("b") != clusterer.story_of("c")
    assert clusterer.storyline_of("a") != clusterer.storyline_of("c")


def test_bridging_article_merges_two_stories() -> None:
    clusterer = _clusterer()
    left = clusterer.add_embedded(_item("l", "one"), _unit(1, 0.35, 0))
    right = clusterer.add_embedded(_item("r", "two"), _unit(0.35, 1, 0))
    assert left != right
    clusterer.add_embedded(_item("bridge", "both"), _unit(1, 1, 0))
    assert clusterer.story_of("l") == clusterer.story_of("r") == clusterer.story_of("bridge")


def test_among_stories_it_may_join_an_article_takes_the_one_its_members_are_closest_to() -> None:
    """A spread story's centroid scores higher (0.90) than a single article closer to the new
    one than the spread story's members are on average (0.86 against 0.855): the new article
    joins the single article, not the spread story (the neighbouring happening)."""
    clusterer = _clusterer(merge_threshold=0.95)
    centroid = _unit(0.9, 0.4359, 0, 0)
    spread = {clusterer.add_embedded(_item(f"u{sign}", "neighbouring happening"),
                                     0.95 * centroid + sign * 0.3122 * _unit(0, 0, 1, 0)) for sign in (1, -1)}
    assert len(spread) == 1
    single = clusterer.add_embedded(_item("m", "this happening"), _unit(0.86, 0, 0, 0.5103))
    assert single not in spread
    assert clusterer.add_embedded(_item("v", "this happening again"), _unit(1, 0, 0, 0)) == single
    assert clusterer.story_of("u1") != clusterer.story_of("v")


def test_a_crowded_neighbourhood_raises_the_bar_to_join() -> None:
    """The same cosine joins a story in a sparse store and not among many near articles of
    other stories (one topic's news: each of its happenings is about as close as this one)."""
    sparse = _clusterer(background_weight=0.75, background_floor=0.4)
    story = sparse.add_embedded(_item("a", "quake"), _unit(1, 0, 0))
    assert sparse.add_embedded(_item("b", "quake again"), _unit(1, 0.5, 0)) == story
    crowded = _clusterer(background_weight=0.75, background_floor=0.4, join_threshold=0.85, merge_threshold=0.9)
    story = crowded.add_embedded(_item("a", "quake"), _unit(1, 0, 0))
    others = {crowded.add_embedded(_item(f"o{i}", "other"), _unit(0.6, 0.4 + 0.1 * i, 1)) for i in range(5)}
    assert story not in others
    assert crowded.add_embedded(_item("b", "quake again"), _unit(1, 0.5, 0)) != story
    relaxed = _clusterer(background_weight=0.0, join_threshold=0.85, merge_threshold=0.9)
    story = relaxed.add_embedded(_item("a", "quake"), _unit(1, 0, 0))
    for i in range(5):
        relaxed.add_embedded(_item(f"o{i}", "other"), _unit(0.6, 0.4 + 0.1 * i, 1))
    assert relaxed.add_embedded(_item("b", "quake again"), _unit(1, 0.5, 0)) == story


def test_days_told_in_the_text_part_happenings_months_apart() -> None:
    clusterer = _clusterer(story_days=14, storyline_days=365)
    clusterer.add_embedded(StoryItem("july", "", "invitation", date(2018, 7, 19), ("2018-07-19",)), _unit(1, 0, 0))
    clusterer.add_embedded(StoryItem("call", "", "invitation", None, ("XXXX-03-20",)), _unit(1, 0.05, 0))
    clusterer.add_embedded(StoryItem("undated", "", "invitation"), _unit(1, 0.02, 0))
    assert clusterer.story_of("july") != clusterer.story_of("call")
    assert clusterer.storyline_of("july") == clusterer.storyline_of("call")
    assert clusterer.story_of("undated") in {clusterer.story_of("july"), clusterer.story_of("call")}


def test_a_dated_article_joins_no_story_of_other_years_through_a_yearless_member() -> None:
    """A 2018 readout near an undated article telling of "March 20" that joined March 2025
    stories starts a story of its own: the story's dated members are years away."""
    clusterer = _clusterer(story_days=14)
    clusterer.add_embedded(StoryItem("g7", "", "ceasefire", date(2025, 3, 14)), _unit(1, 0, 0))
    clusterer.add_embedded(StoryItem("seed", "", "call", None, ("XXXX-03-20",)), _unit(1, 0.1, 0))
    assert clusterer.story_of("seed") == clusterer.story_of("g7")  # yearless: March 20 is near March 14
    clusterer.add_embedded(StoryItem("readout", "", "call", date(2018, 3, 20), ("2018-03-20",)), _unit(1, 0.15, 0))
    assert clusterer.story_of("readout") != clusterer.story_of("g7")
    clusterer.add_embedded(StoryItem("later", "", "ceasefire", date(2025, 3, 20)), _unit(1, 0.05, 0))
    assert clusterer.story_of("later") == clusterer.story_of("g7")


def test_storylines_need_a_shared_principal_actor_when_both_name_one() -> None:
    clusterer = _clusterer(story_days=14, storyline_days=365)
    clusterer.add_embedded(StoryItem("a", "", "x", date(2018, 1, 1), entities=frozenset({"Trump"})), _unit(1, 0, 0))
    clusterer.add_embedded(StoryItem("b", "", "x", date(2018, 6, 1), entities=frozenset({"Merkel"})), _unit(1, 0.05, 0))
    clusterer.add_embedded(StoryItem("c", "", "x", date(2018, 9, 1), entities=frozenset({"Trump", "Putin"})), _unit(1, 0.1, 0))
    assert len({clusterer.story_of(k) for k in "abc"}) == 3
    assert clusterer.storyline_of("a") == clusterer.storyline_of("c") != clusterer.storyline_of("b")


def test_articles_too_far_apart_in_time_share_a_storyline_not_a_story() -> None:
    clusterer = _clusterer(story_days=14, storyline_days=365)
    clusterer.add_embedded(_item("march", "invitation", date(2018, 3, 20)), _unit(1, 0, 0))
    clusterer.add_embedded(_item("july", "invitation", date(2018, 7, 19)), _unit(1, 0.05, 0))
    assert clusterer.story_of("march") != clusterer.story_of("july")
    assert clusterer.storyline_of("march") == clusterer.storyline_of("july")


def test_a_copy_joins_its_original_whatever_its_vector() -> None:
    clusterer = _clusterer()
    body = ("Lavrov said Moscow would consider any date the White House proposed for a summit.\n"
            "The two sides were talking about arms control, Syria and Ukraine, he told reporters.")
    clusterer.add_embedded(_item("wire", body), _unit(1, 0, 0))
    clusterer.add_embedded(_item("repost", "Watch CBS News\n" + body), _unit(0, 1, 0))
    assert clusterer.story_of("repost") == clusterer.story_of("wire")


def test_cluster_items_keeps_input_order() -> None:
    vectors = {"x": _unit(1, 0, 0), "y": _unit(0, 1, 0)}
    items = [StoryItem(id=str(i), title=t, text="") for i, t in enumerate("xyx")]
    result = cluster_items(items, load_story_params(),
                           embedder=lambda texts: np.stack([vectors[t] for t in texts]))
    assert [id_ for id_, _, _ in result] == ["0", "1", "2"]
    assert result[0][1] == result[2][1] != result[1][1]


def test_records_are_checked() -> None:
    assert story_item({"id": 7, "text": "x", "published": "2018-07-19T10:00:00Z"}).published == date(2018, 7, 19)
    with pytest.raises(InputError, match="E501"):
        story_item({"text": "no id"})
    with pytest.raises(InputError, match="E107"):
        story_item({"id": "1", "title": " ", "text": ""})
    with pytest.raises(InputError, match="E502"):
        story_item({"id": "1", "text": "x", "published": "yesterday"})


def _seed_body(name: str) -> str:
    import json
    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))["articles"][name]
    lines = (SEEDS / name).read_text("utf-8").splitlines()
    return "\n\n".join(lines[n - 1] for n in gold["body_lines"])


@pytest.mark.slow
def test_real_model_wire_copies_fold_and_different_happenings_part() -> None:
    court = ("A man who sexually assaulted two teenage girls in his youth group was given 21 months "
             "of probation on Tuesday by a Singapore court, which also ordered community service.")
    quake = ("A magnitude 6.4 earthquake struck off the coast of northern Sumatra on Wednesday, "
             "Indonesia's meteorology agency said, and no tsunami warning was issued.")
    quake_other_outlet = ("Indonesia said no tsunami warning was issued after a 6.4-magnitude "
                          "quake hit waters off northern Sumatra on Wednesday.")
    records = [{"id": "court", "title": "", "text": court},
               {"id": "quake", "title": "", "text": quake},
               {"id": "quake2", "title": "", "text": quake_other_outlet}]
    stories = {r["id"]: r["story"] for r in cluster_records(records)}
    assert stories["quake"] == stories["quake2"] != stories["court"]


def _cluster_seeds() -> list[dict]:
    """The seeds' bodies, each with the publication date a reader sees (gold metadata: the CBS
    page is dated 2018-07-19, the wire copy carries none)."""
    if not SEEDS.is_dir():
        pytest.skip("seed articles not present")
    import json
    metadata = json.loads((SEEDS / "gold.json").read_text("utf-8"))["metadata"]
    names = ["000_608ef5858c58f38e.txt", "004_5dab1425809c78bc.txt"]
    return cluster_records({"id": n, "title": "", "text": _seed_body(n), "published": metadata[n]["published"]}
                           for n in names)


@pytest.mark.slow
def test_real_model_seeds_are_one_storyline_of_two_stories() -> None:
    """Lead cosine 0.71 would join them; the days they tell of (July 19 vs March 20) part them."""
    result = _cluster_seeds()
    assert result[0]["storyline"] == result[1]["storyline"]
    assert result[0]["story"] != result[1]["story"]


def test_a_clusterer_rebuilt_from_a_checkpoint_is_the_one_that_never_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "INDEX_CHECKPOINT", 16)
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(6, 16))
    vectors = np.stack([_unit(*(centres[i % 6] + 0.3 * rng.normal(size=16))) for i in range(60)])
    items = [_item(str(i), f"text {i}") for i in range(60)]
    live = _clusterer()
    checkpoints = {}
    for item, vector in zip(items, vectors):
        live.assign(item, vector, None)
        checkpoint = live.take_checkpoint()
        if checkpoint is not None:
            checkpoints[checkpoint[0]] = checkpoint
    assert sorted(checkpoints) == [16, 32, 48]
    stories = [live.story_of(item.id) for item in items]
    cold, warm = _clusterer(), _clusterer()
    cold.restore_many(items, vectors, [None] * len(items), stories)
    warm.restore_many(items, vectors, [None] * len(items), stories, checkpoints[32])
    # Inserted one batch per checkpoint interval, from nothing or from a checkpoint: the same graph.
    assert cold.take_checkpoint() == warm.take_checkpoint() == checkpoints[48]
    assert [warm.story_of(i.id) for i in items] == [cold.story_of(i.id) for i in items] == stories
    newcomers = [(_item(f"n{i}", "new"), _unit(*(centres[i % 6] + 0.3 * rng.normal(size=16)))) for i in range(10)]
    assigned = [[c.assign(item, v, None).story for item, v in newcomers] for c in (live, cold, warm)]
    assert assigned[0] == assigned[1] == assigned[2]
    assert live.take_checkpoint() == cold.take_checkpoint() == warm.take_checkpoint() != None  # noqa: E711
    with pytest.raises(ValueError):
        warm.restore_many(items, vectors, [None] * len(items), stories)
    with pytest.raises(ValueError):
        _clusterer().restore_many(items, vectors, [None] * len(items), stories, (20, checkpoints[32][1]))

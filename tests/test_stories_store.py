"""Stories kept in the store: the seeds split into two stories of one storyline, assignment is
idempotent and resumes after a kill, copies fold with every outlet remembered, a bridging
article merges two stories and the merge is recorded."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_ANNOTATIONS, SHARED_DATA, hand_annotation
from parallax import jobs
from parallax.cli import main
from parallax.settings import load_options
from conftest import Stores
from parallax.store import open_store
from parallax.store.sqlite import SQLiteStore
from parallax.stories.params import load_story_params
from parallax.stories import cluster
from parallax.stories.store import _CentralTitle, _StoryWriter, assign_stories, storyline_title, without_attribution
from parallax.stories.views import show_story
from parallax.views.stories import list_stories

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
SEEDS = SHARED_DATA / "seeds"

WIRE = (
    "U.S. President Donald Trump invited his Russian counterpart Vladimir Putin to the United "
    "States during a phone call, RIA Novosti reported on Friday, citing the Foreign Ministry.\n\n"
    "The news agency quoted Foreign Minister Sergei Lavrov as saying Trump returned to the subject "
    "of an invitation a couple of times during the call and that Moscow now expected a formal one.\n\n"
    "Lavrov said Moscow would consider any date the White House proposed, and that the two sides "
    "were talking about arms control, Syria and Ukraine before any summit could happen."
)


def _state(location: str) -> dict[str, object]:
    """Everything assignment writes, to compare two runs."""
    with open_store(location) as store:
        return {
            "articles": [tuple(r) for r in store._run("SELECT article_id, story_id, copy_of FROM story_articles ORDER BY article_id")],
            "stories": [tuple(r) for r in store._run("SELECT id, storyline_id, title, first_published, last_published, merged_into "
                                                     "FROM stories ORDER BY id")],
            "storylines": [tuple(r) for r in store._run("SELECT id, title FROM storylines ORDER BY id")],
            "merges": [tuple(r) for r in store._run("SELECT from_story, into_story, bridging_article FROM story_merges ORDER BY id")],
        }


def _ingest_records(location: str | Path, records: list[dict], folder: Path | None = None) -> None:
    source = (folder or Path(location).parent) / f"records{len(list((folder or Path(location).parent).glob('records*')))}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    with open_store(str(location)) as store:
        jobs.ingest([str(source)], store, load_options())


# -- with a stand-in embedder: vectors chosen per title, no model ---------------------------------
def _embedder(vectors: dict[str, tuple[float, ...]]):
    def embed(texts):
        rows = [np.array(vectors[text.split(".")[0]], dtype=np.float32) for text in texts]
        return np.stack([row / np.linalg.norm(row) for row in rows])
    return embed


def _params():
    """Round thresholds; no crowding (three hand-placed vectors are no neighbourhood)."""
    return replace(load_story_params(), join_threshold=0.8, merge_threshold=0.85, storyline_threshold=0.5,
                   background_weight=0.0)


def _record(id_: str, title: str, text: str, outlet: str, published: str = "2018-04-06") -> dict:
    """A feed record; short texts get a second paragraph of their own so that cleaning keeps them."""
    if len(text) < 200:
        text += f"\n\nThe report, number {id_} in this series, gives the details as {outlet} has them so far."
    return {"id": id_, "title": title, "text": text, "outlet": outlet, "published": published,
            "url": f"https://{outlet.lower().replace(' ', '')}.example/{id_}"}


def test_bridging_article_merges_two_stories_and_the_merge_is_recorded(
        tmp_path: Path, stores: Stores, capsys: pytest.CaptureFixture[str]) -> None:
    path = stores.empty()
    _ingest_records(path, [
        _record("l", "Left", "A quake struck the north of the island and damaged roads and bridges.", "Outlet A"),
        _record("r", "Right", "Rescuers searched collapsed houses after the tremor in the island's north.", "Outlet B"),
        _record("b", "Bridge", "The northern quake: damaged bridges, rescuers in collapsed houses, officials said.", "Outlet C"),
    ], tmp_path)
    embed = _embedder({"Left": (1, 0.35, 0), "Right": (0.35, 1, 0), "Bridge": (1, 1, 0)})
    with open_store(path) as store:
        assert assign_stories(store, embedder=embed, params=_params()) == 3
        merges = store._run("SELECT from_story, into_story, bridging_article FROM story_merges").fetchall()
        assert len(merges) == 1
        (folded, kept, bridge), = merges
        assert folded > kept
        assert store._run("SELECT merged_into FROM stories WHERE id = ?", (folded,)).fetchone()[0] == kept
        assert {r[0] for r in store._run("SELECT story_id FROM story_articles")} == {kept}
        shown = show_story(store, folded)  # the merged id still answers: with the story it lives in
        assert shown["id"] == kept and shown["merged_from"] == [folded]
        assert len(shown["articles"]) == 3
        assert [s.id for s in list_stories(store)] == [kept]
    assert main(["stories", "--db", path, "--json"]) == 0
    (listed,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert listed["id"] == kept and listed["articles"] == 3 and listed["outlets"] == ["Outlet A", "Outlet B", "Outlet C"]
    assert main(["stories", "--db", path]) == 0
    assert f"[{kept}] " in (text := capsys.readouterr().out) and "  3 articles, 3 outlets  " in text
    assert main(["show", str(folded), "--db", path]) == 0
    shown_text = capsys.readouterr().out
    assert f"story {kept} (asked for {folded}, merged into it)" in shown_text and "Outlet C" in shown_text
    assert main(["show", "999", "--db", path]) == 2
    assert "E701" in capsys.readouterr().err


def test_wire_copy_with_other_furniture_folds_and_keeps_every_outlet(tmp_path: Path, stores: Stores) -> None:
    path = stores.empty()
    _ingest_records(path, [
        _record("w", "Russia says Trump invited Putin", WIRE, "Reuters"),
        # The same wire text elsewhere: another headline, other furniture, the tail trimmed.
        _record("c", "Trump invited Putin to U.S., Kremlin says",
                "Watch CBS News\n\nAdvertisement\n\n" + WIRE.rsplit("\n\n", 1)[0]
                + "\n\nShare this article on Facebook", "CBS News"),
        _record("o", "Other", "The city council approved next year's budget after a long debate over library funding "
                "and the cost of repairing roads in the northern districts.", "Local"),
    ], tmp_path)
    embed = _embedder({"Russia says Trump invited Putin": (1, 0, 0),
                       "Trump invited Putin to U": (0, 1, 0), "Other": (0, 0, 1)})
    with open_store(path) as store:
        assign_stories(store, embedder=embed, params=_params())
        rows = store._run("SELECT a.outlet, sa.story_id, sa.copy_of FROM story_articles sa "
                                "JOIN articles a ON a.id = sa.article_id ORDER BY a.id").fetchall()
        (_, wire_story, none), (_, copy_story, copy_of), (_, other_story, _) = rows
        assert none is None and copy_of is not None and copy_story == wire_story != other_story
        shown = show_story(store, wire_story)
        (original,) = shown["articles"]
        assert original["outlet"] == "Reuters"
        assert [(c["outlet"], c["url"]) for c in original["copies"]] == [("CBS News", "https://cbsnews.example/c")]
        assert shown["outlets"] == ["CBS News", "Reuters"]


def test_a_story_title_is_chosen_again_when_an_original_joins_even_after_a_kill(tmp_path: Path, stores: Stores) -> None:
    """A copy joining a story leaves its title as it is (its originals are unchanged); a titled
    original or a merge marks it stale with the article itself, so a run killed before the
    batch's titles were chosen leaves the next run to choose it, whatever joins next."""
    path = stores.empty()
    wire = _record("w", "Russia says Trump invited Putin", WIRE, "Reuters")
    copy = _record("c", "Trump invited Putin to U.S., Kremlin says", WIRE.rsplit("\n\n", 1)[0], "CBS News")
    again = _record("c2", "Trump invited Putin to U.S., Kremlin says", WIRE.replace("Syria and Ukraine", "Syria, Iran and Ukraine"),
                    "CBS News 2")
    embed = _embedder({"Russia says Trump invited Putin": (1, 0, 0), "Trump invited Putin to U": (0, 1, 0)})
    _ingest_records(path, [wire], tmp_path)
    with open_store(path) as store:
        assign_stories(store, embedder=embed, params=_params())
        (story,) = [r[0] for r in store._run("SELECT id FROM stories")]
        assert store._run("SELECT title, title_stale FROM stories").fetchone()[:] == ("Russia says Trump invited Putin", 0)
        # As a run killed between an original's assignment and its batch's titles leaves it.
        store._run("UPDATE stories SET title = 'Stale', title_stale = 1 WHERE id = ?", (story,))
    _ingest_records(path, [copy], tmp_path)
    with open_store(path) as store:
        assign_stories(store, embedder=embed, params=_params())
        assert store._value("SELECT copy_of FROM story_articles WHERE story_id = ? AND copy_of IS NOT NULL", (story,))
        assert store._run("SELECT title, title_stale FROM stories").fetchone()[:] == ("Russia says Trump invited Putin", 0)
        store._run("UPDATE stories SET title = 'Kept' WHERE id = ?", (story,))
    _ingest_records(path, [again], tmp_path)
    with open_store(path) as store:
        assign_stories(store, embedder=embed, params=_params())
        assert store._value("SELECT count(*) FROM story_articles WHERE story_id = ?", (story,)) == 3
        assert store._value("SELECT title FROM stories WHERE id = ?", (story,)) == "Kept"  # copies: not read again


def test_assignment_is_idempotent_and_resumes_after_a_kill(tmp_path: Path, stores: Stores) -> None:
    records = [_record(str(i), f"T{i % 4}", f"Article number {i} about topic {i % 4}, told at some length here.",
                       f"Outlet {i % 3}") for i in range(12)]
    embed = _embedder({f"T{k}": tuple(float(k == j) + 0.05 for j in range(4)) for k in range(4)})
    whole, killed = stores.empty(), stores.empty()
    _ingest_records(whole, records, tmp_path)
    _ingest_records(killed, records, tmp_path)
    with open_store(whole) as store:
        assert assign_stories(store, embedder=embed, params=_params(), batch_size=5) == 12
        assert assign_stories(store, embedder=embed, params=_params()) == 0
    before = _state(whole)

    def kill_after_seven(status: str, origin: str, detail: str, seen: list[int] = []) -> None:
        seen.append(1)
        if len(seen) == 7:
            raise KeyboardInterrupt

    with open_store(killed) as store, pytest.raises(KeyboardInterrupt):
        assign_stories(store, kill_after_seven, embedder=embed, params=_params(), batch_size=5)
    with open_store(killed) as store:
        assert store._run("SELECT count(*) FROM story_articles").fetchone()[0] == 7
        assert assign_stories(store, embedder=embed, params=_params(), batch_size=5) == 5
    assert _state(killed) == before
    assert len(before["stories"]) == 4


def _stored_index(location: str) -> tuple[int, str, bytes, str]:
    """The stored index checkpoint: articles it holds, digest, bytes, when written."""
    with open_store(location) as store:
        articles, digest, written = store._one("SELECT articles, digest, written_at FROM story_index")
        return int(articles), digest, store.index_checkpoint_data(), written


def test_restart_loads_the_stored_index_checkpoint_and_is_the_run_that_never_stopped(
        tmp_path: Path, stores: Stores, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "INDEX_CHECKPOINT", 4)
    records = [_record(str(i), f"T{i % 4}", f"Article number {i} about topic {i % 4}, told at some length here.",
                       f"Outlet {i % 3}") for i in range(20)]
    embed = _embedder({f"T{k}": tuple(float(k == j) + 0.05 for j in range(4)) for k in range(4)})
    paths = {name: stores.empty() for name in ("whole", "loaded", "rebuilt", "tampered")}
    _ingest_records(paths["whole"], records, tmp_path)
    with open_store(paths["whole"]) as store:
        assert assign_stories(store, embedder=embed, params=_params()) == 20
    for name in ("loaded", "rebuilt", "tampered"):
        _ingest_records(paths[name], records[:14], tmp_path)
        with open_store(paths[name]) as store:
            assign_stories(store, embedder=embed, params=_params(), batch_size=5)
    loaded = _stored_index(paths["loaded"])
    assert loaded[0] == 12  # checkpoints at 4, 8 and 12 articles; the latest is kept
    with open_store(paths["rebuilt"]) as store:
        store._run("DELETE FROM story_index")
    with open_store(paths["tampered"]) as store:
        store._run("UPDATE article_vectors SET vector = ? WHERE article_id = 3",
                         (np.array([0.5, 0.5, 0.5, 0.5], dtype=np.float32).tobytes(),))
    # A restart that finds the checkpoint current loads it and leaves it; one that finds it
    # missing or holding other vectors inserts every vector and writes the checkpoint anew.
    for name in ("loaded", "rebuilt", "tampered"):
        with open_store(paths[name]) as store:
            _StoryWriter(store, _params(), embed).close()  # its checkpoint written
    assert _stored_index(paths["loaded"]) == loaded
    assert _stored_index(paths["rebuilt"])[:3] == loaded[:3]
    assert _stored_index(paths["tampered"])[0] == 12 and _stored_index(paths["tampered"])[1] != loaded[1]
    # Loaded or rebuilt, the restarted run ends where the one that never stopped did.
    for name in ("loaded", "rebuilt"):
        _ingest_records(paths[name], records[14:], tmp_path)
        with open_store(paths[name]) as store:
            assert assign_stories(store, embedder=embed, params=_params()) == 6
        assert _state(paths[name]) == _state(paths["whole"])
        assert _stored_index(paths[name])[:3] == _stored_index(paths["whole"])[:3]


@pytest.mark.parametrize("seed", range(6))
def test_a_followed_central_title_is_the_one_a_reading_of_every_member_finds(seed: int) -> None:
    """``_CentralTitle``: while it says it can tell, the central member it follows is the one
    computed from all members; stories of near copies (ties), spread members and vectors of
    other norms included."""
    rng = np.random.default_rng(seed)
    dims = 8
    centre = rng.normal(size=dims)
    spread = (0.05, 0.5, 2.0)[seed % 3]
    vectors = (centre + spread * rng.normal(size=(400, dims))).astype(np.float32)
    if seed % 2:
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)  # unit vectors, as the embedder's
    vectors[::7] = vectors[0]  # exact ties, broken by the first (lowest id)
    titles = [f"T{i}" for i in range(len(vectors))]

    def central(count: int) -> str:
        members = vectors[:count].astype(np.float64)
        return titles[int(np.argmax(members @ members.sum(axis=0)))]

    followed, told, read_again = _CentralTitle(titles[:40], vectors[:40]), 0, 0
    assert followed.title == central(40)
    for k in range(40, len(vectors)):
        if followed.add(titles[k], vectors[k]):
            told += 1
        else:
            read_again += 1
            followed = _CentralTitle(titles[:k + 1], vectors[:k + 1])
        assert followed.title == central(k + 1)
    assert told > read_again


def test_a_stored_index_checkpoint_is_replaced_whole(stores: Stores) -> None:
    """``save_index_checkpoint`` writes a checkpoint beside the stored one and swaps it in: the
    parts of a write killed midway are never read, and are cleared by the next write."""
    from parallax.model import IndexCheckpoint
    from parallax.store.sql_stories import INDEX_PART_BYTES, INDEX_PART_RANGE

    first, second = bytes(range(256)) * (INDEX_PART_BYTES // 128 + 3), b"second checkpoint"
    with open_store(stores.empty()) as store:
        assert store.index_checkpoint() is None and store.index_checkpoint_data() == b""
        store.save_index_checkpoint(IndexCheckpoint("f", 5, "d1"), first)
        assert store.index_checkpoint() == IndexCheckpoint("f", 5, "d1") and store.index_checkpoint_data() == first
        parts = store._value("SELECT count(*) FROM story_index_parts")
        assert parts == 3
        # A write killed after two of its parts: the stored checkpoint is still the first, whole.
        beside = INDEX_PART_RANGE - store._value("SELECT first_part FROM story_index")
        store._run("INSERT INTO story_index_parts (part, data) VALUES (?, ?), (?, ?)", (beside, b"half", beside + 1, b"written"))
        assert store.index_checkpoint_data() == first
        store.save_index_checkpoint(IndexCheckpoint("f", 10, "d2"), second)
        assert store.index_checkpoint() == IndexCheckpoint("f", 10, "d2") and store.index_checkpoint_data() == second
        assert [tuple(r) for r in store._run("SELECT part, data FROM story_index_parts")] == [(beside, second)]
        store.save_index_checkpoint(IndexCheckpoint("f", 15, "d3"), first)
        assert store.index_checkpoint_data() == first and store._value("SELECT count(*) FROM story_index_parts") == 3


def test_storyline_titles_drop_the_attribution() -> None:
    assert without_attribution("Trump Asked Aide To Invite Putin To Washington, White House Says") == \
        "Trump Asked Aide To Invite Putin To Washington"
    assert without_attribution("Russia says Trump invited Putin to U.S. during phone call") == \
        "Trump invited Putin to U.S. during phone call"
    assert without_attribution("Trump says he will go") == "Trump says he will go"


# -- the seeds and the VOA corpus, real embedding model -------------------------------------------
def _seed_records() -> list[dict]:
    """The seeds as a feed would give them: the CBS page with the date the gold gives it (the
    page text itself carries none), the wire copy undated."""
    if not SEEDS.is_dir():
        pytest.skip("seed articles not present")
    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))
    records = []
    for name, meta in gold["metadata"].items():
        records.append({"id": name, "title": gold["articles"][name]["title"], "text": (SEEDS / name).read_text("utf-8"),
                        "published": meta["published"], "outlet": meta["outlet"]})
    return records


@pytest.mark.slow
def test_seeds_are_one_storyline_of_two_stories_among_voa(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    _ingest_records(path, _seed_records())
    with SQLiteStore(path) as store:
        jobs.ingest([str(DEMO / "voa" / "voa_stories.jsonl")], store, load_options())
        seeds = {}
        for article in store.iter_articles():
            if article.title in SEED_ANNOTATIONS:
                assert article.id is not None
                store.save_annotations(article.id, hand_annotation(article.text, **SEED_ANNOTATIONS[article.title]), "hand")
                seeds[article.title] = article.id
        assigned = assign_stories(store)
        assert assigned == store.count_articles()
        stories = {t: store.db.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (i,)).fetchone()[0]
                   for t, i in seeds.items()}
        lines = {store.db.execute("SELECT storyline_id FROM stories WHERE id = ?", (s,)).fetchone()[0]
                 for s in stories.values()}
        assert len(set(stories.values())) == 2 and len(lines) == 1
        (storyline,) = lines
        title = storyline_title(store, storyline)
        assert title and "Putin" in title and not title.lower().endswith("says")
        shown = show_story(store, next(iter(stories.values())))
        assert shown["storyline"]["title"] == title and len(shown["storyline"]["stories"]) == 2
        assert assign_stories(store) == 0

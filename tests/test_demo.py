"""`parallax demo`'s ending: the stories told by the most outlets with their comparison, then serve only for a person."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from parallax.cli import main
from parallax.store.sqlite import SQLiteStore
from parallax.views.digest import biggest_stories, stories_with_differences

SEEDS = Path(__file__).resolve().parents[1] / "data" / "demo" / "seeds"


def test_digest_counts_each_big_story_comparison(hand_storied_store: Path) -> None:
    with SQLiteStore(hand_storied_store) as store:
        digests = biggest_stories(store)
    seeds = digests[0]  # the seeds' story, with a VOA story merged into it, is the biggest
    assert seeds.articles == 3 and seeds.compared
    assert seeds.facts == seeds.told_by_all + seeds.told_by_several + seeds.told_by_one and seeds.told_by_all >= 1
    order = [(len(d.outlets), d.articles) for d in digests]
    assert order == sorted(order, reverse=True)
    hostile = next(d for d in digests if d.id != seeds.id)
    assert not hostile.compared  # neither hostile input is annotated: nothing to compare


def test_digest_puts_stories_told_by_several_outlets_before_bigger_ones_told_by_one(
        hand_storied_store: Path, tmp_path: Path) -> None:
    # A corpus one outlet dominates (the demo's is mostly VOA) has its biggest stories told by
    # that outlet alone; ordered by size, they kept every story two outlets tell out of the digest.
    import shutil

    from conftest import add_stories

    path = tmp_path / "storied.db"
    shutil.copyfile(hand_storied_store, path)
    with SQLiteStore(path) as store:
        filed = {row[0] for row in store.db.execute("SELECT article_id FROM story_articles")}
        voa = [a.id for a in store.iter_articles() if a.outlet == "Voice of America" and a.id not in filed]
    add_stories(path, {"one outlet, many articles": [voa[:4]]})
    with SQLiteStore(path) as store:
        digests = biggest_stories(store)
    assert [len(d.outlets) for d in digests][:2] == [2, 1]
    assert digests[0].articles == 3 and digests[0].compared_articles == 2 and digests[1].articles == 4 and digests[1].outlets == ["Voice of America"]
    assert digests[0].first_difference is None or digests[0].first_difference.split(":")[0] in ("contradiction", "development")


@pytest.mark.slow
def test_digest_adds_the_stories_whose_comparison_finds_differences(storied_demo_store: Path, tmp_path: Path) -> None:
    # In the demo the stories two outlets tell show no difference, and the one whose figures
    # moved (a wire updating the train hijacking's toll over three days) is told by one outlet
    # alone: a digest by outlets never showed the comparison finding anything.
    import shutil

    path = tmp_path / "storied.db"
    shutil.copyfile(storied_demo_store, path)  # story views are stored as they are made
    with SQLiteStore(path) as store:
        differing = stories_with_differences(store)
        assert stories_with_differences(store, shown={d.id for d in differing}) == []
    assert differing and all((d.contradictions or d.developments) and d.first_difference for d in differing)
    toll = next(d for d in differing if d.outlets == ["Voice of America"] and d.developments)
    assert toll.first_difference is not None and toll.first_difference.startswith("development: quantity")
    order = [(d.contradictions, d.developments) for d in differing]
    assert order == sorted(order, reverse=True)


@pytest.mark.slow
def test_demo_without_a_terminal_prints_the_summary_and_exits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))  # as under CI or a script: not a terminal
    code = main(["demo", "--db", str(tmp_path / "demo.db"), "--corpus", str(SEEDS), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ingested 2, duplicate 0, skipped 0, annotated 2" in out
    assert "stories told by the most outlets:" in out or "no stories of two or more articles" in out
    assert "serving the demo store" not in out


OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "demo" / "official" / "statements.jsonl"
DATA_README = Path(__file__).resolve().parents[1] / "data" / "README.md"
# Hosts whose texts may ship, with the outlet each record must name: US government works (public
# domain) and the Kremlin's English site (CC BY 4.0, credited by title and URL in data/README.md).
OFFICIAL_HOSTS = {"www.whitehouse.gov": "The White House", "bidenwhitehouse.archives.gov": "The White House",
                  "en.kremlin.ru": "President of Russia"}
# A US government work whose own page is not stored anywhere we can read, shipped from a stored page
# that reproduces it in full: the copy's host and the government outlet the record names (the copy
# is credited by title and URL in data/README.md, as the CC BY articles are).
COPY_HOSTS = {"gazetadielli.com": "U.S. Department of State"}


def test_official_statements_are_openly_licensed_and_credited() -> None:
    from urllib.parse import urlparse

    records = [json.loads(line) for line in OFFICIAL.read_text("utf-8").splitlines() if line.strip()]
    credits = DATA_README.read_text("utf-8")
    assert len({r["id"] for r in records}) == len(records) == 10
    for record in records:
        assert all(record.get(key) for key in ("id", "title", "text", "published", "url", "outlet", "language"))
        host = urlparse(record["url"]).hostname or ""
        assert (OFFICIAL_HOSTS | COPY_HOSTS).get(host) == record["outlet"], record["url"]
        # CC BY articles and copies: each credited by title and URL
        if record["outlet"] == "President of Russia" or host in COPY_HOSTS:
            assert record["url"] in credits and record["title"] in credits.replace("\n    ", " ")

"""Story and storyline pages and their API, over hand-made stories of hand-annotated seeds."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.store import SQLiteStore
from parallax.web import create_app

from test_web import HOSTILE


@pytest.fixture(scope="module")
def client(hand_storied_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hand_storied_store))) as opened:
        yield opened


def story_ids(db: Path) -> list[int]:
    with SQLiteStore(db) as store:
        return [int(r[0]) for r in store.db.execute("SELECT id FROM stories ORDER BY id")]


def test_stories_list_merged_stories_as_the_story_they_became(client: TestClient, hand_storied_store: Path) -> None:
    seeds, merged, beside, hostile = story_ids(hand_storied_store)
    listing = client.get("/api/stories").json()
    assert listing["total"] == 3
    (top, *_) = listing["stories"]
    assert top["id"] == seeds and top["articles"] == 3 and "CBS News" in top["outlets"]
    assert merged not in [s["id"] for s in listing["stories"]]
    page = client.get("/stories").text
    assert f'href="/stories/{seeds}"' in page and f'href="/storylines/{top["storyline_id"]}"' in page
    assert [s["id"] for s in client.get("/api/stories", params={"min_articles": 2}).json()["stories"]] == [seeds, hostile]


def test_story_page_compares_the_seeds_side_by_side(client: TestClient, hand_storied_store: Path) -> None:
    seeds, merged, *_ = story_ids(hand_storied_store)
    api = client.get(f"/api/stories/{merged}").json()  # a merged story answers as the story it became
    assert api["id"] == seeds and api["merged_from"] == [merged]
    cbs = next(a for a in api["articles"] if a["outlet"] == "CBS News")
    assert (cbs["outlet_country"], cbs["outlet_kind"]) == ("US", "commercial")
    assert any(not a["annotated"] for a in api["articles"])  # the VOA article merged in, not annotated here
    comparison = client.get(f"/api/stories/{seeds}/compare").json()
    assert set(comparison) >= {"story", "articles", "facts", "contradictions", "developments"}
    (invitation,) = [f for f in comparison["facts"] if f["kind"] == "event" and len(f["told_by"]) == 2]
    assert invitation["text"] == "Donald Trump CONSULT → Vladimir Putin"
    moscow = next(a for a in invitation["told_by"] if a != str(cbs["id"]))
    assert invitation["chains"] == {str(cbs["id"]): ["CBS News"], moscow: ["Sergei Lavrov"]}
    assert comparison["contradictions"] == []  # one side dates the call, the other does not: no clash
    page = client.get(f"/stories/{seeds}")
    assert page.status_code == 200
    assert 'class="grid compare"' in page.text and "Told by all" in page.text and "Told by only one" in page.text
    assert "<b>RIA Novosti</b> ← <b>Russian Foreign Ministry</b>" in page.text
    assert "Trump and Putin spoke by phone on March 20." in page.text  # the evidence sentence
    assert "US · commercial" in page.text


def test_storyline_page_and_timeline(client: TestClient, hand_storied_store: Path) -> None:
    seeds, _, beside, _ = story_ids(hand_storied_store)
    storyline = client.get(f"/api/stories/{seeds}").json()["storyline_id"]
    api = client.get(f"/api/storylines/{storyline}").json()
    assert {s["id"] for s in api["stories"]} == {seeds, beside}
    timeline = client.get(f"/api/storylines/{storyline}/timeline").json()
    assert timeline and timeline[0]["shown"] == "20 March 2018" and timeline[0]["granularity"] == "day"
    page = client.get(f"/storylines/{storyline}").text
    assert "20 March 2018" in page and f'href="/stories/{beside}"' in page


def test_missing_stories_and_storylines_are_404(client: TestClient, hand_storied_store: Path) -> None:
    *_, hostile = story_ids(hand_storied_store)
    assert client.get("/stories/999999").status_code == 404
    assert client.get("/storylines/999999").status_code == 404
    assert client.get("/api/storylines/999999/timeline").status_code == 404
    assert client.get(f"/api/stories/{hostile}/compare").status_code == 404  # nothing annotated to compare


def test_hostile_text_is_escaped_on_story_pages(client: TestClient, hand_storied_store: Path) -> None:
    *_, hostile = story_ids(hand_storied_store)
    for path in ("/stories", f"/stories/{hostile}"):
        body = client.get(path).text
        assert not [h for h in HOSTILE if h in body], path
    assert "&lt;b onmouseover=alert(5)&gt;Daily Hostile&lt;/b&gt;" in client.get(f"/stories/{hostile}").text


def test_openapi_documents_the_story_routes(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/compare",
            "/api/storylines/{storyline_id}", "/api/storylines/{storyline_id}/timeline"} <= paths

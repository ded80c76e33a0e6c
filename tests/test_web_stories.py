"""Story and storyline pages and their API, over hand-made stories of hand-annotated seeds."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from parallax.store.sqlite import SQLiteStore
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
    invitation = next(f for f in comparison["facts"] if len(f["told_by"]) == 2 and "invite" in f["text"])
    moscow = next(a for a in invitation["told_by"] if a != str(cbs["id"]))
    assert invitation["chains"][str(cbs["id"])][0] == "CBS News" and invitation["sentences"][moscow]
    assert not any(c["kind"] == "date" for c in comparison["contradictions"])  # one side dates the call, the other does not
    page = client.get(f"/stories/{seeds}")
    assert page.status_code == 200
    assert 'class="grid compare shared"' in page.text and "Told by one article only" in page.text
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


# --- the comparison: the grid, the differences, CSV, links to the evidence --------------------
def story_page_tree(client: TestClient, path: str) -> lxml.html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200
    return lxml.html.fromstring(response.text)


def test_story_grid_has_a_row_per_fact_a_column_per_article_and_counts_as_the_json(client: TestClient, hand_storied_store: Path) -> None:
    seeds, *_ = story_ids(hand_storied_store)
    comparison = client.get(f"/api/stories/{seeds}/compare").json()
    tree = story_page_tree(client, f"/stories/{seeds}")
    rows = tree.xpath("//table[contains(@class, 'compare')]//tr[contains(@class, 'fact-row')]")
    assert [r.get("id") for r in rows] == [f["id"] for f in comparison["facts"] if len(f["told_by"]) > 1] + [
        f["id"] for f in comparison["facts"] if len(f["told_by"]) == 1]
    (shared,) = tree.xpath("//table[contains(@class, 'shared')]")
    assert shared.xpath("caption") and all(th.get("scope") == "col" for th in shared.xpath(".//tr[1]/th"))
    heads = [th.text_content() for th in shared.xpath(".//tr[1]/th")[1:]]
    assert len(heads) == len(comparison["articles"]) and heads[0].startswith("CBS News") and "2018-07-19" in heads[0]
    assert heads[1].startswith("outlet unknown") and "date unknown" in heads[1]  # the Moscow wire, undated
    counts = " ".join(tree.get_element_by_id("counts").text_content().split())
    assert counts == (f"{len(comparison['facts'])} facts · {sum(len(f['told_by']) > 1 for f in comparison['facts'])} told by two or more"
                      f" · {len(comparison['contradictions'])} contradictions · {len(comparison['developments'])} developments")


def test_a_cell_links_to_its_sentence_highlighted_in_the_article(client: TestClient, hand_storied_store: Path) -> None:
    seeds, *_ = story_ids(hand_storied_store)
    comparison = client.get(f"/api/stories/{seeds}/compare").json()
    (invitation,) = [f for f in comparison["facts"] if len(f["told_by"]) == 2]
    tree = story_page_tree(client, f"/stories/{seeds}")
    row = tree.get_element_by_id(invitation["id"])
    for article, span in invitation["evidence"].items():
        href = f"/articles/{article}?mark={span['start']}-{span['end']}#evidence"
        (link,) = row.xpath(f".//a[@href='{href}']")
        assert " ".join(link.text_content().split()) == invitation["sentences"][article]
        article_page = story_page_tree(client, href.split("#")[0])
        marked = " ".join("".join(m.text_content() for m in article_page.xpath("//mark[@class='evidence']")).split())
        assert marked == invitation["sentences"][article] and article_page.xpath("//mark[@id='evidence']")
    cbs = next(iter(invitation["evidence"]))
    unmarked = client.get(f"/articles/{cbs}?mark=90000-90001").text
    assert "is not a span of this article's text" in unmarked and 'id="evidence"' not in unmarked


def test_compare_api_serves_json_and_csv_for_stories_and_storylines(client: TestClient, hand_storied_store: Path) -> None:
    seeds, *_ = story_ids(hand_storied_store)
    comparison = client.get(f"/api/stories/{seeds}/compare").json()
    facts = client.get(f"/api/stories/{seeds}/compare", params={"format": "csv"})
    assert facts.status_code == 200 and facts.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(facts.text)))
    assert len(rows) == sum(len(f["told_by"]) for f in comparison["facts"]) and {r["story"] for r in rows} == {str(seeds)}
    differences = client.get(f"/api/stories/{seeds}/compare", params={"format": "csv", "what": "differences"}).text
    assert differences.splitlines()[0].startswith("story,section,rank,kind,about,facts,article")
    assert client.get(f"/api/stories/{seeds}/compare", params={"format": "xml"}).status_code == 422
    storyline = client.get(f"/api/stories/{seeds}").json()["storyline_id"]
    together = client.get(f"/api/storylines/{storyline}/compare").json()
    assert set(comparison["articles"]) <= set(together["articles"])
    assert client.get(f"/api/storylines/{storyline}/compare", params={"format": "csv"}).text.startswith("story,fact,kind")
    assert client.get("/api/storylines/999999/compare").status_code == 404


@pytest.fixture(scope="module")
def development_client(development_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(development_store))) as opened:
        yield opened


def test_developments_are_placed_on_the_articles_publication_days(development_client: TestClient) -> None:
    (story,) = development_client.get("/api/stories").json()["stories"]
    comparison = development_client.get(f"/api/stories/{story['id']}/compare").json()
    (development,) = comparison["developments"]
    tree = story_page_tree(development_client, f"/stories/{story['id']}")
    (axis,) = tree.xpath("//table[contains(@class, 'axis')]")
    assert axis.xpath("caption") and [th.text_content() for th in axis.xpath(".//tr[1]/th")] == ["development", "2018-07-20", "2018-07-21"]
    (row,) = axis.xpath(".//tr[starts-with(@id, 'development-')]")
    cells = [" ".join(td.text_content().split()) for td in row.xpath("td")]
    assert cells[0].startswith("Moscow Courier") and "no comment" in cells[0]
    assert cells[1].startswith("Baltic Herald") and "honour for Russia" in cells[1]
    assert development["facts"] and all(tree.get_element_by_id(f).get("class").endswith("differs development") for f in development["facts"])


def test_a_story_is_compared_once_until_its_members_change(hand_storied_store: Path, tmp_path: Path) -> None:
    import shutil

    from parallax.views.stories import story_view

    with SQLiteStore(hand_storied_store) as store:
        story = story_ids(hand_storied_store)[0]
        first, again = story_view(store, story), story_view(store, story)
    assert first is not None and again is not None and again.comparison is first.comparison
    # The same members elsewhere (another store) are another key; one article fewer is another comparison.
    copy = tmp_path / "copy.db"
    shutil.copyfile(hand_storied_store, copy)
    with SQLiteStore(copy) as store:
        other = story_view(store, story)
        store.db.execute("DELETE FROM story_articles WHERE story_id = ? AND article_id = ?", (story, first.articles[-1].id))
        fewer = story_view(store, story)
    assert other is not None and other.comparison is not first.comparison and other.comparison == first.comparison
    assert fewer is not None and len(fewer.articles) == len(first.articles) - 1


def test_requests_for_one_story_at_once_make_its_comparison_once(hand_storied_store: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil
    import threading

    from parallax.views import stories

    copy = tmp_path / "together.db"
    shutil.copyfile(hand_storied_store, copy)
    with SQLiteStore(copy) as store:
        store.db.execute("DELETE FROM story_views")  # the session's store keeps the views earlier tests made
    made: list[int] = []
    real = stories._compared

    def counted(*args: object, **kwargs: object) -> object:
        made.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stories, "_compared", counted)
    story = story_ids(copy)[0]
    views: list[object] = []

    def view() -> None:
        with SQLiteStore(copy) as store:
            views.append(stories.story_view(store, story))

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(views) == 4 and len(made) == 1

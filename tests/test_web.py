"""The web UI and JSON API through FastAPI's in-process client: pages, API, escaping, token."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.errors import ParallaxError, StoreError
from parallax.store.sqlite import SQLiteStore
from parallax.web import create_app, get, serve
from parallax.web.app import is_loopback
from parallax.web.dependencies import is_web_url, show_date

# Every executable form the hostile fixtures carry (tests/fixtures/injection/).
HOSTILE = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "<script>alert(3)</script>",
           "<b onmouseover=alert(5)>", "<svg onload=alert(6)>", "<script>alert(7)</script>"]


@pytest.fixture(scope="module")
def client(hand_annotated_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hand_annotated_store))) as opened:
        yield opened


def article_id(db: Path, title_start: str) -> int:
    with SQLiteStore(db) as store:
        (found,) = [a.id for a in store.iter_articles() if a.title and a.title.startswith(title_start)]
    assert found is not None
    return found


def test_home_counts_and_lists_newest(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    overview = client.get("/api/overview").json()
    assert overview["articles"] == 93 and overview["annotated"] == 2
    assert f"<b>{overview['articles']}</b> articles" in page.text
    assert overview["newest"][0]["title"] in page.text


def test_article_page_shows_annotations(client: TestClient, hand_annotated_store: Path) -> None:
    moscow = article_id(hand_annotated_store, "Russia says")
    page = client.get(f"/articles/{moscow}")
    assert page.status_code == 200
    assert "<b>RIA Novosti</b> ← <b>Russian Foreign Ministry</b>" in page.text
    assert 'class="ent t-PERSON"' in page.text and 'class="q"' in page.text
    assert "date unknown" in page.text
    api = client.get(f"/api/articles/{moscow}").json()
    assert api["events"][0]["plover"] == "CONSULT" and api["events"][0]["according_to"] == "Sergei Lavrov"
    raw = client.get(f"/api/articles/{moscow}/annotations").json()
    assert raw["attributions"][0]["chain"] == ["RIA Novosti", "Russian Foreign Ministry"]


def test_removed_furniture_is_kept_for_audit(client: TestClient, hand_annotated_store: Path) -> None:
    cbs = article_id(hand_annotated_store, "Trump Asked Aide")
    page = client.get(f"/articles/{cbs}").text
    assert "Removed page furniture (" in page and "Watch CBS News" in page


def test_dated_article_shows_granularity_and_source(client: TestClient, hand_annotated_store: Path) -> None:
    voa = article_id(hand_annotated_store, "Iraq says key Islamic State leader is dead")
    page = client.get(f"/articles/{voa}").text
    assert "2025-03-14 20:30 UTC" in page and "(datetime, from given)" in page


def test_entity_page_and_api(client: TestClient) -> None:
    (putin,) = client.get("/api/entities", params={"q": "Putin"}).json()
    page = client.get(f"/entities/{putin['id']}")
    assert page.status_code == 200 and "Vladimir Putin" in page.text
    profile = client.get(f"/api/entities/{putin['id']}").json()
    assert profile["entity"]["articles"] == 2 and len(profile["events"]) == 2
    assert "Sergei Lavrov" in client.get("/entities", params={"q": "lavrov"}).text


def test_search_page_and_api_agree(client: TestClient) -> None:
    params = {"q": "Putin", "outlet": "CBS News", "since": "", "plover": "CONSULT"}
    api = client.get("/api/search", params=params).json()
    assert api["total"] == 1 and api["hits"][0]["outlet"] == "CBS News"
    page = client.get("/search", params=params).text
    assert api["hits"][0]["title"] in page and "<mark>Putin</mark>" in page
    assert client.get("/search").status_code == 200
    bad = client.get("/api/search", params={"q": "x", "until": "last tuesday"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["msg"].startswith("E901 ") and "YYYY-MM-DD" in bad.text


def test_a_count_stopped_at_its_bound_says_more_than_on_the_page_and_in_the_api(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``RANKED_MATCHES`` the store stops counting: the API's ``total`` is a lower bound
    with ``total_exact`` false, the page says "more than", and the next page is offered."""
    import parallax.store.sql_search as sql_search

    exact = client.get("/api/search", params={"q": "the"}).json()
    assert exact["total_exact"] is True and exact["total"] > 20
    assert f'id="total">{exact["total"]} articles for' in client.get("/search", params={"q": "the"}).text
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", 5)
    bounded = client.get("/api/search", params={"q": "the", "limit": 3}).json()
    assert (bounded["total"], bounded["total_exact"], len(bounded["hits"])) == (6, False, 3)
    page = client.get("/search", params={"q": "the", "limit": 3}).text
    assert 'id="total">more than 5 articles for' in page and "next →" in page


def test_a_store_without_stories_says_so(client: TestClient) -> None:
    page = client.get("/stories")
    assert page.status_code == 200 and "No stories in this store" in page.text
    assert client.get("/api/stories").json()["stories"] == []
    assert client.get("/stories/1").status_code == 404
    assert client.get("/api/stories/1").status_code == 404


def test_missing_things_are_404(client: TestClient) -> None:
    assert client.get("/articles/999999").status_code == 404
    assert client.get("/entities/999999").status_code == 404
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/api/entities/999999").status_code == 404


def test_openapi_documents_every_api_route(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/overview", "/api/articles/{article_id}", "/api/articles/{article_id}/annotations",
            "/api/entities", "/api/entities/{entity_id}", "/api/search", "/api/stories"} <= paths
    assert not any(not p.startswith("/api/") for p in paths)  # HTML pages stay out of the API document


@pytest.mark.parametrize("path", ["/", "/search?q=alert", "/search?q=ministry", "/entities"])
def test_hostile_text_is_escaped_in_listings(client: TestClient, path: str) -> None:
    body = client.get(path).text
    assert not [h for h in HOSTILE if h in body]


@pytest.mark.parametrize("title_start", ["Officials deny", "Harbour talks"])
def test_hostile_article_page_is_escaped(client: TestClient, hand_annotated_store: Path, title_start: str) -> None:
    body = client.get(f"/articles/{article_id(hand_annotated_store, title_start)}").text
    assert not [h for h in HOSTILE if h in body]
    assert "&lt;script&gt;" in body or "&lt;svg onload=alert(6)&gt;" in body
    assert 'href="javascript:' not in body


def test_hostile_text_round_trips_through_the_api(client: TestClient, hand_annotated_store: Path) -> None:
    api = client.get(f"/api/articles/{article_id(hand_annotated_store, 'Officials deny')}")
    assert api.headers["content-type"] == "application/json"
    assert "<script>alert(1)</script>" in json.loads(api.text)["title"]  # data, served as JSON, kept intact


def test_token_is_required_when_set(hand_annotated_store: Path) -> None:
    with TestClient(create_app(str(hand_annotated_store), token="s3cret")) as client:
        assert client.get("/").status_code == 401
        assert client.get("/api/overview").status_code == 401
        assert client.get("/api/overview", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/overview", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert client.get("/api/overview", headers={"X-Parallax-Token": "s3cret"}).status_code == 200
        assert client.get("/static/parallax.css").status_code == 401
        first = client.get("/?token=s3cret")
        assert first.status_code == 200 and first.cookies.get("parallax_token") == "s3cret"
        assert client.get("/entities").status_code == 200  # the cookie carries the token on


def test_serve_refuses_an_open_non_loopback_bind(hand_annotated_store: Path) -> None:
    with pytest.raises(ParallaxError, match="E401"):
        serve(str(hand_annotated_store), host="0.0.0.0")
    with pytest.raises(ParallaxError, match="E401"):
        serve(str(hand_annotated_store), host="192.168.1.20")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")


def test_app_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="E303"):
        create_app(str(tmp_path / "absent.db"))


def test_get_helper_answers_in_process(demo_store: Path) -> None:
    status, body = get(str(demo_store), "/api/stories")
    assert status == 200 and json.loads(body)["stories"] == []
    assert get(str(demo_store), "/articles/0")[0] == 404


@pytest.mark.parametrize(
    "value, granularity, shown",
    [("2018-07", "month", "July 2018"), ("2018", "year", "2018"), ("2018-07-19", "day", "2018-07-19"),
     ("2025-03-14T20:30:26+00:00", "datetime", "2025-03-14 20:30 UTC"),
     ("2025-03-14T20:30:26+03:00", "datetime", "2025-03-14 20:30 UTC+0300"), (None, None, "date unknown")],
)
def test_dates_keep_their_granularity(value: str | None, granularity: str | None, shown: str) -> None:
    assert show_date(value, granularity) == shown


def test_only_web_urls_become_links() -> None:
    assert is_web_url("https://www.voanews.com/a/x.html") and is_web_url("HTTP://example.org")
    assert not is_web_url("javascript:alert(4)") and not is_web_url("data:text/html,x") and not is_web_url(None)


def test_concurrent_requests_each_get_their_own_store(hand_annotated_store: Path) -> None:
    """Parallel clients against the real server: no connection is shared between requests."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from parallax.web.app import running

    with running(str(hand_annotated_store)) as base:
        def fetch(i: int) -> int:
            with httpx.Client(base_url=base) as http:
                return http.get(f"/articles/{i % 90 + 1}").status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(fetch, range(48)))
    assert statuses == [200] * 48


def test_pages_answer_errors_as_html_and_the_api_as_json(client: TestClient) -> None:
    page = client.get("/stories/abc")
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "<h1>422 Unprocessable Entity</h1>" in page.text and "story_id" in page.text and "&#39;abc&#39;" in page.text
    nowhere = client.get("/no/such/page")
    assert nowhere.status_code == 404 and "There is no page at /no/such/page." in nowhere.text
    bad_date = client.get("/search", params={"q": "x", "since": "someday"})
    assert bad_date.status_code == 422 and "E901 unreadable date" in bad_date.text and "<h1>" in bad_date.text
    api = client.get("/api/stories/abc")
    assert api.status_code == 422 and api.json()["detail"][0]["loc"] == ["path", "story_id"]
    assert client.get("/api/nothing").json() == {"detail": "Not Found"}


def test_docs_are_served_from_the_package(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/static-docs/swagger-ui-bundle.js" in docs and "http" not in docs.split("<body>")[0].replace("http-equiv", "")
    assert client.get("/static-docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404  # ReDoc would fetch its logo from a CDN


def test_article_page_and_api_show_the_byline(client: TestClient, hand_annotated_store: Path) -> None:
    """Issue 12: a record's author reaches the store, the article page and its JSON."""
    iraq = article_id(hand_annotated_store, "Iraq says key Islamic State leader is dead")
    page = client.get(f"/articles/{iraq}").text
    assert '<span class="authors">By Jeff Seldin</span>' in page
    assert client.get(f"/api/articles/{iraq}").json()["authors"] == ["Jeff Seldin"]

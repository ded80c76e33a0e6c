"""One filter vocabulary for the CLI and the API: dates as analysts type them, outlet country
and kind from the registry, and the stories list filtered and paged like search."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.cli import main
from parallax.errors import ParallaxError
from parallax.views.filters import make_filters, parse_day
from parallax.web import create_app

from test_web_stories import story_ids

TODAY = date(2025, 3, 14)


@pytest.fixture(scope="module")
def client(hand_storied_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hand_storied_store))) as opened:
        yield opened


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("typed", "start", "end"), [
    ("2025-03-01", date(2025, 3, 1), date(2025, 3, 1)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("7d", date(2025, 3, 7), date(2025, 3, 7)),
    ("2w", date(2025, 2, 28), date(2025, 2, 28)),
    ("yesterday", date(2025, 3, 13), date(2025, 3, 13)),
    (" Today ", TODAY, TODAY),
])
def test_dates_as_an_analyst_types_them(typed: str, start: date, end: date) -> None:
    assert parse_day(typed, today=TODAY) == start
    assert parse_day(typed, end=True, today=TODAY) == end


@pytest.mark.parametrize("typed", ["last week", "2025-13-01", "2025-02-30", "-3d", "d7", ""])
def test_an_unreadable_date_is_one_numbered_error(typed: str) -> None:
    with pytest.raises(ParallaxError) as caught:
        parse_day(typed, today=TODAY)
    assert str(caught.value).startswith("E901 ") and "\n" not in str(caught.value)


def test_kind_and_country_are_checked_and_normalised() -> None:
    assert make_filters(kind="State_Media", country="ru ", plover="consult").kind == "state media"
    assert make_filters(country="ru").country == "RU" and make_filters(plover="consult").plover == "CONSULT"
    with pytest.raises(ParallaxError, match="^E902 .*known: commercial, public broadcaster, state media, wire agency"):
        make_filters(kind="tabloid")
    with pytest.raises(ParallaxError, match="^E903 "):
        make_filters(country="Russia")
    assert not make_filters(outlet="", since="", entity="").active()  # an empty form field is no filter


def test_stories_api_honours_limit_and_pages(client: TestClient) -> None:
    whole = client.get("/api/stories").json()
    assert whole["total"] == 3 and len(whole["stories"]) == 3
    first = client.get("/api/stories", params={"limit": 2}).json()
    assert first["limit"] == 2 and [s["id"] for s in first["stories"]] == [s["id"] for s in whole["stories"][:2]]
    second = client.get("/api/stories", params={"limit": 2, "page": 2}).json()
    assert [s["id"] for s in second["stories"]] == [whole["stories"][2]["id"]]
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    assert client.get("/api/stories", params={"limit": 100_000}).status_code == 422


def test_stories_filtered_by_outlet_country_kind_storyline_and_date(client: TestClient, hand_storied_store: Path) -> None:
    seeds, merged, beside, hostile = story_ids(hand_storied_store)

    def listed(**params: object) -> list[int]:
        answer = client.get("/api/stories", params=params)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["total"] == len(body["stories"])
        return [s["id"] for s in body["stories"]]

    assert listed(outlet="CBS News") == [seeds]
    assert listed(country="US", kind="commercial") == [seeds]  # CBS News
    assert sorted(listed(kind="state media")) == sorted([seeds, beside])  # VOA, merged into the seeds' story, and beside it
    assert listed(country="RU") == []  # the Moscow wire names no outlet of the registry
    line = client.get(f"/api/stories/{seeds}").json()["storyline_id"]
    assert sorted(listed(storyline=line)) == sorted([seeds, beside])
    assert listed(entity="vladimir putin") == [seeds]
    assert listed(plover="consult") == [seeds]
    assert listed(language="en", min_articles=2) == [seeds, hostile]
    assert listed(since="2030-01-01") == [] and seeds in listed(since="2000-01")
    bad = client.get("/api/stories", params={"since": "fortnight"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["msg"].startswith("E901 ")
    page = client.get("/stories", params={"outlet": "CBS News"}).text
    assert f'href="/stories/{seeds}"' in page and f'href="/stories/{beside}"' not in page
    assert '<option selected>CBS News</option>' in page and 'name="since"' in page


def test_search_takes_the_same_filters(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Putin", "country": "US", "kind": "commercial", "limit": 1}).json()
    assert hits["total"] == 1 and hits["hits"][0]["outlet"] == "CBS News" and len(hits["hits"]) == 1
    assert client.get("/api/search", params={"q": "Putin", "since": "2w"}).json()["total"] == 0


def test_cli_lists_stories_with_the_apis_filters(capsys: pytest.CaptureFixture[str], hand_storied_store: Path) -> None:
    seeds, merged, beside, hostile = story_ids(hand_storied_store)
    db = str(hand_storied_store)
    code, out, _ = run(capsys, "stories", "--db", db, "--json", "--kind", "state media", "--limit", "1")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [seeds]
    code, out, _ = run(capsys, "stories", "--db", db, "--json", "--outlet", "CBS News", "--since", "2000-01-01")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == [seeds]
    code, out, err = run(capsys, "search", "Putin", "--since", "yesterday", "--db", db)
    assert code == 0 and out == "0 articles\n" and err == ""
    code, out, err = run(capsys, "search", "Putin", "--since", "last week", "--db", db)
    assert code == 2 and out == "" and err.startswith("parallax search: error: E901 ") and err.count("\n") == 1
    code, _, err = run(capsys, "stories", "--db", db, "--kind", "tabloid")
    assert code == 2 and "E902" in err and err.count("\n") == 1


def test_a_filter_in_a_broken_encoding_is_a_value_not_a_traceback(capsys: pytest.CaptureFixture[str],
                                                                  hand_storied_store: Path) -> None:
    """An argument not valid UTF-8 reaches Python as lone surrogates (surrogateescape); each
    filter sanitises it as a query is, so it finds nothing or gets its numbered line."""
    db = str(hand_storied_store)
    broken = b"Voice of America\xff".decode("utf-8", "surrogateescape")
    code, out, err = run(capsys, "search", "Putin", "--outlet", broken, "--db", db)
    assert (code, out, err) == (0, "0 articles\n", "")
    code, out, err = run(capsys, "stories", "--db", db, "--json", "--entity", broken, "--language", broken)
    assert (code, out) == (0, "")
    code, _, err = run(capsys, "stories", "--db", db, "--country", broken)
    assert code == 2 and "E903" in err and err.count("\n") == 1
    code, out, err = run(capsys, "entity", broken, "--db", db)
    assert code == 1 and out == "" and err.count("\n") == 1

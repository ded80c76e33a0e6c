"""Server-drawn charts: real time axes, the bin following the span, a story's coverage by
outlet country and kind with its blindspots, an entity across storylines; and their pages."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from parallax.store.sqlite import SQLiteStore
from parallax.views.charts import OTHERS, Counts, coverage, time_chart
from parallax.web import create_app

from test_web_stories import story_ids


@pytest.fixture(scope="module")
def client(hand_storied_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hand_storied_store))) as opened:
        yield opened


def counts(series: dict[str, dict[str, int]], undated: int = 0) -> Counts:
    made = Counts()
    for name, days in series.items():
        for day, n in days.items():
            made.add(name, day, n)
    made.add("x", None, undated) if undated else None
    return made


def xs(chart_points: str) -> list[float]:
    return [float(p.split(",")[0]) for p in chart_points.split()]


def test_months_years_apart_stand_years_apart() -> None:
    chart = time_chart("t", "articles", counts({"VOA": {"2018-04-10": 1, "2019-11-05": 2, "2025-03-01": 1}}))
    assert chart is not None and chart.bin == "month"
    (line,) = chart.lines
    dots = [d.x for d in line.dots]
    # 19 months from April 2018 to November 2019, 64 more to March 2025: spaced as time is.
    assert (dots[1] - dots[0]) / (dots[2] - dots[1]) == pytest.approx(19 / 64, rel=0.02)
    assert len(xs(line.points)) == 84 and line.total == 4  # every month drawn, the empty ones as zero
    assert [t.label for t in chart.x_ticks] == [str(y) for y in range(2019, 2026)]
    assert chart.y_ticks[0].label == "0" and int(chart.y_ticks[-1].label) >= 2


def test_the_bin_follows_the_span() -> None:
    days = time_chart("t", "articles", counts({"a": {"2025-03-01": 1, "2025-03-09": 3}}))
    weeks = time_chart("t", "articles", counts({"a": {"2025-01-01": 1, "2025-09-09": 1}}))
    assert days is not None and days.bin == "day" and len(xs(days.lines[0].points)) == 9
    assert weeks is not None and weeks.bin == "week"
    assert all(d.label.startswith("week of ") for d in weeks.lines[0].dots)
    monday = date.fromisoformat(weeks.lines[0].dots[0].label.split()[2].rstrip(":"))
    assert monday.weekday() == 0


def test_undated_and_coarse_dates_are_counted_not_drawn() -> None:
    chart = time_chart("t", "articles", counts({"a": {"2025-03-01": 2, "2025-03": 1, "2025": 1}}, undated=3))
    assert chart is not None and chart.bin == "day" and chart.lines[0].total == 2
    assert chart.undated == 3 and chart.imprecise == 2
    assert time_chart("t", "articles", counts({}, undated=2)) is None


def test_more_series_than_lines_are_summed_as_others() -> None:
    chart = time_chart("t", "articles", counts({f"o{i}": {"2025-03-01": 10 - i} for i in range(9)}), max_series=4)
    assert chart is not None and [l.name for l in chart.lines] == ["o0", "o1", "o2", OTHERS]
    assert chart.lines[-1].total == sum(10 - i for i in range(3, 9))


def test_coverage_shows_who_told_it_and_who_published_then_but_did_not(hand_storied_store: Path) -> None:
    with SQLiteStore(hand_storied_store) as store:
        voa_day = store.db.execute(
            "SELECT substr(published, 1, 10) FROM articles WHERE outlet = 'Voice of America' AND published IS NOT NULL LIMIT 1"
        ).fetchone()[0]
        cov = coverage(store, ["CBS News", "Moscow Courier", None], voa_day, voa_day)
    assert cov.countries == ["US"] and cov.kinds == ["commercial", "state media"]
    assert cov.cells["commercial"]["US"].told == ["CBS News"]
    assert cov.cells["state media"]["US"].silent == ["Voice of America"]  # published those days, did not tell it
    assert cov.unregistered_told == ["Moscow Courier"]


def test_attention_api_counts_every_dated_article_once(client: TestClient, hand_storied_store: Path) -> None:
    db = sqlite3.connect(hand_storied_store)
    per_outlet = dict(db.execute("SELECT coalesce(outlet, '(outlet unknown)'), count(*) FROM articles "
                                 "WHERE published_granularity IN ('day', 'datetime') GROUP BY 1"))
    undated = db.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
    chart = client.get("/api/attention", params={"by": "outlet"}).json()
    assert {l["name"]: l["total"] for l in chart["lines"]} == per_outlet and chart["undated"] == undated
    one = client.get("/api/attention", params={"by": "outlet", "outlet": "CBS News"}).json()
    assert [(l["name"], l["total"]) for l in one["lines"]] == [("CBS News", 1)]
    seeds, *_ = story_ids(hand_storied_store)
    stories = client.get("/api/attention", params={"by": "story"}).json()
    assert stories["lines"][0]["href"] == f"/stories/{seeds}"
    entities = client.get("/api/attention", params={"by": "entity", "outlet": "CBS News"}).json()
    assert "Vladimir Putin" in [l["name"] for l in entities["lines"]]
    assert client.get("/api/attention", params={"by": "storyline"}).json()["lines"]
    assert client.get("/api/attention", params={"by": "weather"}).status_code == 422
    assert client.get("/api/attention", params={"since": "2030-01-01"}).json() is None
    page = lxml.html.fromstring(client.get("/attention", params={"by": "outlet"}).text)
    assert len(page.xpath("//*[@id='attention']//svg//g[@class='series']")) == len(per_outlet)


def test_story_page_draws_its_articles_by_outlet_and_its_coverage(client: TestClient, hand_storied_store: Path) -> None:
    seeds, *_ = story_ids(hand_storied_store)
    page = lxml.html.fromstring(client.get(f"/stories/{seeds}").text)
    (chart,) = page.xpath("//*[@id='story-attention']//svg")
    story = client.get(f"/api/stories/{seeds}").json()
    dated = [a for a in story["articles"] if a["published"]]
    assert sum(int(g.get("data-total")) for g in chart.xpath(".//g[@class='series']")) == len(dated)
    told = {s.text_content().strip("● ") for s in page.xpath("//*[@id='coverage']//span[@class='told-by']")} - {"told the story"}
    assert told == {a["outlet"] for a in story["articles"] if a["outlet"]}


def test_entity_page_places_its_articles_on_a_time_axis_and_across_storylines(client: TestClient) -> None:
    (putin,) = client.get("/api/entities", params={"q": "Putin"}).json()
    page = lxml.html.fromstring(client.get(f"/entities/{putin['id']}").text)
    assert page.xpath("//*[@id='entity-attention']//svg//g[@class='series']")
    lanes = page.xpath("//*[@id='entity-storylines']//g[@class='lane']")
    assert lanes and lanes[0].xpath(".//a")[0].get("href").startswith("/storylines/")


def test_an_entity_of_many_months_is_drawn_from_its_monthly_counts(hand_storied_store: Path) -> None:
    from parallax.model import Period
    from parallax.views.charts import entity_charts

    with SQLiteStore(hand_storied_store) as store:
        (putin,) = store.find_entities("Vladimir Putin", 1)
        months = [Period("2018-07", 1, 3), Period("2025-03", 2, 5), Period(None, 1, 1)]
        chart, _ = entity_charts(store, putin.id, putin.name, months, [])
        assert chart is not None and chart.bin == "month" and chart.lines[0].total == 3 and chart.undated == 1
        # A few weeks of months: counted again per day from the store (Putin's two seeds: one dated).
        chart, _ = entity_charts(store, putin.id, putin.name, [Period("2018-07", 1, 1), Period(None, 1, 1)], [])
        assert chart is not None and chart.bin == "day" and chart.lines[0].total == 1 and chart.undated == 1

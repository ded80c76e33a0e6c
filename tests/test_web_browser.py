"""The web UI driven end to end in a real headless Chromium (Debian's, through Playwright).

A uvicorn server serves the demo store, annotated by the real pipeline, on a free loopback
port; screenshots of each page are kept under build/screenshots/ for a person to look at.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parallax.store import SQLiteStore
from parallax.web.app import running

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (`make browser` installs it)", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402 - only once chromium is known


@pytest.fixture(scope="module")
def server(annotated_demo_store: Path) -> Iterator[str]:
    with running(str(annotated_demo_store)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()
    assert dialogs == [], f"a script ran in the page: {dialogs}"


def article_id(db: Path, title_start: str) -> int:
    with SQLiteStore(db) as store:
        (found,) = [a.id for a in store.iter_articles() if a.title and a.title.startswith(title_start)]
    assert found is not None
    return found


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_home_to_article_to_entity(server: str, page: Page) -> None:
    page.goto(server + "/")
    assert page.locator(".counts").inner_text().startswith("93")
    shot(page, "home")
    page.get_by_role("link", name="CBS News", exact=True).click()  # the outlet lists its articles
    page.wait_for_url("**/search?outlet=*")
    page.get_by_role("link", name="Trump Asked Aide To Invite Putin To Washington, White House Says").click()
    page.wait_for_url("**/articles/*")
    assert page.locator("h1").inner_text() == "Trump Asked Aide To Invite Putin To Washington, White House Says"
    assert page.locator(".text a.ent").count() > 5
    assert page.locator(".text .q").count() > 0
    assert page.locator("aside .quote").count() >= 3
    furniture = page.locator("details.furniture")
    assert not furniture.locator("pre").is_visible()
    furniture.locator("summary").click()
    assert "Watch CBS News" in furniture.locator("pre").inner_text()
    shot(page, "article_seed_cbs")
    page.locator(".text a.ent", has_text="Putin").first.click()
    page.wait_for_url("**/entities/*")
    assert "Putin" in page.locator("h1").inner_text()
    assert page.locator("ol.list li").count() >= 2  # both seeds, at least
    shot(page, "entity_putin")


def test_search_form_filters(server: str, page: Page) -> None:
    page.goto(server + "/search")
    page.fill("form.filters input[name=q]", "Syria")
    page.select_option("select[name=outlet]", "Voice of America")
    page.fill("input[name=date_from]", "2025-03-01")
    page.click("form.filters button")
    page.wait_for_url("**/search?*")
    total = int(page.locator("#total").inner_text().split()[0])
    assert total > 0
    assert page.locator("ol.hits mark").count() > 0
    assert all(meta.startswith("Voice of America") for meta in page.locator("ol.hits .meta").all_inner_texts())
    shot(page, "search_syria")


@pytest.mark.parametrize("title_start, shown", [
    ("Officials deny", ['<script>alert(1)</script>', '<img src=x onerror="alert(2)">', "<script>alert(3)</script>"]),
    ("Harbour talks", ['"><svg onload=alert(6)>', "<b onmouseover=alert(5)>Daily Hostile</b>", "</p><script>alert(7)</script>"]),
])
def test_injected_markup_is_shown_as_text_and_never_runs(
    server: str, page: Page, annotated_demo_store: Path, title_start: str, shown: list[str]
) -> None:
    page.goto(f"{server}/articles/{article_id(annotated_demo_store, title_start)}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give any injected handler time to fire (the page fixture fails on a dialog)
    body = page.locator("body").inner_text()
    assert [s for s in shown if s not in body] == []
    assert page.evaluate("document.querySelectorAll('script, img, svg, [onerror], [onload], [onmouseover]').length") == 0
    assert page.evaluate("[...document.links].filter(a => a.protocol === 'javascript:').length") == 0
    shot(page, f"injection_{title_start.split()[0].lower()}")


def test_token_guard_in_the_browser(annotated_demo_store: Path, page: Page) -> None:
    with running(str(annotated_demo_store), token="browser-token") as base:
        refused = page.goto(base + "/")
        assert refused is not None and refused.status == 401
        allowed = page.goto(base + "/?token=browser-token")
        assert allowed is not None and allowed.status == 200
        page.get_by_role("link", name="Entities").click()  # the cookie carries the token on
        page.wait_for_url("**/entities")
        assert page.locator("h1").inner_text() == "Entities"


# --- stories: the demo corpus grouped by the real clusterer ------------------------------------
@pytest.fixture(scope="module")
def story_server(storied_demo_store: Path) -> Iterator[str]:
    with running(str(storied_demo_store)) as base:
        yield base


def test_seed_storyline_page_compares_both_sides(story_server: str, page: Page, storied_demo_store: Path) -> None:
    cbs, moscow = article_id(storied_demo_store, "Trump Asked Aide"), article_id(storied_demo_store, "Russia says")
    with SQLiteStore(storied_demo_store) as store:
        (storyline,) = store.db.execute(
            "SELECT s.storyline_id FROM story_articles sa JOIN stories s ON s.id = sa.story_id WHERE sa.article_id = ?", (cbs,)
        ).fetchone()
    page.goto(f"{story_server}/storylines/{storyline}")
    assert page.locator("table.compare").is_visible()
    headers = page.locator("table.compare tr:first-child th").all_inner_texts()
    assert any(h.startswith("CBS News") for h in headers) and len(headers) >= 3
    columns = [i for i, h in enumerate(headers) if f"#{cbs} " in h or f"#{moscow} " in h]
    # The rows (facts) that both seeds tell: neither seed's cell is empty.
    both = page.evaluate(
        """(columns) => [...document.querySelectorAll('table.compare tr[id]')]
             .filter(row => columns.every(i => !row.cells[i].classList.contains('absent')))
             .map(row => [...row.cells].map(cell => cell.innerText))""",
        columns,
    )
    invitation = next(row for row in both if "AGREE" in row[0])
    assert "Sanders" in invitation[columns[0]] and "RIA Novosti ← Russian Foreign Ministry" in invitation[columns[1]]
    assert "20 March, year unknown" in page.locator("ol.story-timeline").inner_text()
    assert page.locator(".difference.contradiction").count() >= 1
    shot(page, "storyline_seeds")
    page.locator("table.grid a[href^='/stories/']").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("table.articles tr").count() >= 2
    shot(page, "story_seed")


def test_largest_story_from_the_list(story_server: str, page: Page) -> None:
    page.goto(story_server + "/stories")
    first = page.locator("table.stories tr").nth(1)
    articles = int(first.locator("td.num").inner_text())
    assert articles >= 2
    first.locator("a").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("table.articles tr").count() == articles + 1
    assert page.locator("table.articles").inner_text().count("Voice of America") >= 1
    shot(page, "story_largest")

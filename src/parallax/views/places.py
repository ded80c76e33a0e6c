"""Events on a map: the places events happened, resolved to coordinates by an offline gazetteer
(``parallax.gazetteer``), drawn as SVG on an equirectangular projection with a graticule.

A place name resolves to the most populous city of that name, else to a country (by its name or
one of the aliases in ``resources/entities.json``: "U.S." is the United States), drawn at its
capital: a country is a region, and its capital is only where the dot goes, which the label says.
Names the gazetteer does not know ("the Middle East", "Guantanamo") are listed under the map,
never guessed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from parallax.gazetteer import locate
from parallax.model import SearchFilters
from parallax.store import Store
from parallax.views.filters import resolve

WIDTH, HEIGHT = 720, 360
GRATICULE_DEGREES = 30
MAX_LABELS = 12  # the most eventful places are named on the map; the rest in their dot's tooltip
MAX_RADIUS = 14.0


@dataclass(frozen=True)
class Place:
    name: str  # as the events give it
    label: str  # what it resolved to ("Moscow, RU"; "Russia (at its capital, Moscow)")
    latitude: float
    longitude: float
    events: int
    x: float
    y: float
    r: float
    labelled: bool


@dataclass(frozen=True)
class EventMap:
    places: list[Place]
    unresolved: list[tuple[str, int]]  # place names the gazetteer does not know, with their events
    events_with_place: int
    events_without_place: int
    width: int = WIDTH
    height: int = HEIGHT
    meridians: list[float] = field(default_factory=list)
    parallels: list[float] = field(default_factory=list)


def event_map(store: Store, filters: SearchFilters | None = None) -> EventMap:
    """The places of the events in articles that pass ``filters``, resolved and projected."""
    counts = store.event_places(resolve(store, filters or SearchFilters()))
    located, unresolved = [], []
    for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        spot = locate(name)
        if spot is None:
            unresolved.append((name, n))
        else:
            located.append((name, spot, n))
    most = max((n for *_, n in located), default=1)
    places = [Place(name, label, lat, lon, n, round((lon + 180) / 360 * WIDTH, 1), round((90 - lat) / 180 * HEIGHT, 1),
                    round(max(3.0, MAX_RADIUS * math.sqrt(n / most)), 1), index < MAX_LABELS)
              for index, (name, (label, lat, lon), n) in enumerate(located)]
    with_place = sum(counts.values())
    return EventMap(places, unresolved, with_place, store.count_events(filters or SearchFilters()) - with_place,
                    meridians=[(lon + 180) / 360 * WIDTH for lon in range(-180, 181, GRATICULE_DEGREES)],
                    parallels=[(90 - lat) / 180 * HEIGHT for lat in range(-90, 91, GRATICULE_DEGREES)])

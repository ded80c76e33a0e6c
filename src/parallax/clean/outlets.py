"""Naming an article's outlet when its container does not: from the URL's host, else from the
page chrome that cleaning removed ("Watch CBS News", "View CBS News In…"), which names the site
that served the page; and describing an outlet (country, kind) for comparisons. Outlet data is the
curated, versioned registry in ``resources/outlets.json``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit


@dataclass(frozen=True)
class OutletProfile:
    """An outlet as the registry knows it: ``kind`` is wire agency, state media, public
    broadcaster or commercial; ``country`` an ISO 3166-1 alpha-2 code."""

    name: str
    country: str
    kind: str
    domains: tuple[str, ...]
    names: tuple[str, ...] = ()  # what pages call it ("VOA News")


@lru_cache(maxsize=1)
def _registry() -> dict[str, OutletProfile]:
    data = json.loads(resources.files("parallax.resources").joinpath("outlets.json").read_text("utf-8"))
    return {o["name"]: OutletProfile(o["name"], o["country"], o["kind"], tuple(o["domains"]), tuple(o["names"]))
            for o in data["outlets"]}


def outlet_kinds() -> list[str]:
    """The kinds of outlet the registry knows, sorted."""
    return sorted({p.kind for p in _registry().values()})


def outlet_profile(name: str | None, url: str | None = None) -> OutletProfile | None:
    """The registry's entry for an outlet named ``name`` (as stored), else for ``url``'s host."""
    registry = _registry()
    if name and name in registry:
        return registry[name]
    from_url = outlet_from_url(url)
    return registry.get(from_url) if from_url else None


@lru_cache(maxsize=1)
def _outlets() -> tuple[dict[str, str], list[tuple[re.Pattern[str], str]]]:
    data = json.loads(resources.files("parallax.resources").joinpath("outlets.json").read_text("utf-8"))
    by_domain = {d: o["name"] for o in data["outlets"] for d in o["domains"]}
    # Longest names first, so "CBS News" wins over a shorter name inside it.
    names = sorted(((n, o["name"]) for o in data["outlets"] for n in o["names"]), key=lambda p: -len(p[0]))
    return by_domain, [(re.compile(rf"\b{re.escape(n)}\b"), outlet) for n, outlet in names]


def outlet_from_url(url: str | None) -> str | None:
    """The outlet a URL's host belongs to (``www.cbsnews.com`` → CBS News), if curated."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    by_domain, _ = _outlets()
    while host:
        if host in by_domain:
            return by_domain[host]
        host = host.partition(".")[2]
    return None


def outlet_from_furniture(furniture: Sequence[str]) -> str | None:
    """The outlet a page's own chrome names most often; body text is not consulted, since an
    article citing Reuters is not thereby a Reuters article."""
    _, patterns = _outlets()
    counts: dict[str, int] = {}
    for line in furniture:
        for pattern, outlet in patterns:
            if pattern.search(line):
                counts[outlet] = counts.get(outlet, 0) + 1
                break
    return max(counts, key=lambda o: counts[o]) if counts else None

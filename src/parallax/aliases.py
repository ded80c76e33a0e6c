"""Which names in the store are one entity (U.N. = United Nations), and which entity of an
article is its own outlet (VOA in a Voice of America article).

Entities are linked across articles by exact name and type as annotations are written, so one
body can sit under several names. A merge pass (``plan_merges``, applied by the store's
``merge_entities``) joins them after each ingest, by three rules in order:

1. the user's aliases file (settings ``[entities] aliases_file``), which also keeps names apart;
2. the curated list in ``resources/entity_aliases.json`` (short forms that are no acronym:
   State for the State Department);
3. an acronym (all capitals, periods ignored: U.N., EU, NATO) joins the one organisation in the
   store whose initials it is (United Nations, European Union); two candidates join neither.

The user file has one rule a line; ``#`` starts a comment::

    United Nations = U.N., UN          # these names are United Nations
    Georgia != Georgia (US state)      # never join these two

An article's own outlet is no entity of its text to rank: a VOA article says "VOA" in its
furniture and bylines, and the outlet would top every list. Its mentions stay in the annotation
but are not linked store-wide (``own_outlet_entities``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from parallax.clean.outlets import outlet_profile
from parallax.errors import Errors, InputError

# Words an acronym skips ("Voice of America" → VOA, "Department of State" → DS).
CONNECTORS = frozenset("of the and for on in at to de du la le & a an".split())
# Types whose names an acronym may stand for (a person has no acronym here).
ACRONYM_TYPES = frozenset({"ORG", "NORP", "GPE", "FAC", "EVENT"})
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")
_LEADING_ARTICLE = re.compile(r"^(?:the)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Merge:
    """Entity ``source`` (named ``source_name``) is the entity ``target`` (``target_name``)."""

    source: int
    source_name: str
    target: int
    target_name: str
    rule: str  # "user", "curated" or "acronym"


@dataclass
class AliasRules:
    same: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded alias → (canonical, rule)
    apart: set[frozenset[str]] = field(default_factory=set)  # folded name pairs never joined


def fold(name: str) -> str:
    """Names compared without case, periods or a leading "the"."""
    return _LEADING_ARTICLE.sub("", name.strip()).replace(".", "").casefold()


def acronym_of(name: str) -> str | None:
    """The letters of a name written as an acronym ("U.N." → UN), else None."""
    compact = name.strip().replace(" ", "")
    return compact.replace(".", "") if _ACRONYM.fullmatch(compact) else None


def initials(name: str) -> set[str]:
    """The acronyms a name may be written as: its capitalised words' initials, with and without
    its connectors ("Democratic People's Republic of Korea" → DPRK, "Voice of America" → VOA)."""
    words = re.findall(r"[^\W\d_][\w'’-]*", _LEADING_ARTICLE.sub("", name))
    named = [w for w in words if w.casefold() not in CONNECTORS]
    if not named or not all(w[0].isupper() for w in named):
        return set()
    return {"".join(w[0] for w in named), "".join(w[0].upper() for w in words)}


@lru_cache(maxsize=1)
def _curated() -> dict[str, list[str]]:
    data = json.loads(resources.files("parallax.resources").joinpath("entity_aliases.json").read_text("utf-8"))
    return data["aliases"]


def load_rules(user_file: str | Path | None = None) -> AliasRules:
    """The curated aliases with the user's file laid over them (E904: unreadable, E905: a bad line)."""
    rules = AliasRules()
    for canonical, names in _curated().items():
        for name in names:
            rules.same[fold(name)] = (canonical, "curated")
    if not user_file:
        return rules
    path = Path(user_file)
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise InputError(Errors.E904, path=path, detail=exc.strerror or exc) from None
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "!=" in line:
            left, right = (part.strip() for part in line.split("!=", 1))
            if left and right:
                rules.apart.add(frozenset((fold(left), fold(right))))
                continue
        elif "=" in line:
            canonical, listed = (part.strip() for part in line.split("=", 1))
            others = [n.strip() for n in listed.split(",") if n.strip()]
            if canonical and others:
                for name in others:
                    rules.same[fold(name)] = (canonical, "user")
                continue
        raise InputError(Errors.E905, path=path, line=number, text=raw.strip())
    return rules


def plan_merges(entities: Sequence[tuple[int, str, str]], rules: AliasRules,
                weigh: Callable[[list[int]], dict[int, int]]) -> list[Merge]:
    """The merges the rules call for among ``entities`` (id, name, type); where several entities
    bear the target name, the one ``weigh`` gives most articles is the target."""
    by_name: dict[str, list[tuple[int, str, str]]] = {}
    for entity in entities:
        by_name.setdefault(fold(entity[1]), []).append(entity)

    def heaviest(candidates: Sequence[tuple[int, str, str]]) -> tuple[int, str, str]:
        if len(candidates) == 1:
            return candidates[0]
        weight = weigh([e[0] for e in candidates])
        return max(candidates, key=lambda e: (weight.get(e[0], 0), -e[0]))

    merges: list[Merge] = []
    merged: set[int] = set()
    for key, group in by_name.items():
        canonical, rule = rules.same.get(key, (None, ""))
        if canonical is None or fold(canonical) == key or fold(canonical) not in by_name:
            continue
        if frozenset((key, fold(canonical))) in rules.apart:
            continue
        target = heaviest(by_name[fold(canonical)])
        merges += [Merge(e[0], e[1], target[0], target[1], rule) for e in group]
        merged.update(e[0] for e in group)
    by_initials: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for entity in entities:
        if entity[2] in ACRONYM_TYPES and acronym_of(entity[1]) is None and " " in entity[1].strip():
            for letters in initials(entity[1]):
                by_initials.setdefault((letters, entity[2]), []).append(entity)
    for entity in entities:
        acronym = acronym_of(entity[1])
        if entity[0] in merged or acronym is None or entity[2] not in ACRONYM_TYPES:
            continue
        candidates = {fold(c[1]) for c in by_initials.get((acronym, entity[2]), [])}
        if len(candidates) != 1 or frozenset((fold(entity[1]), next(iter(candidates)))) in rules.apart:
            continue  # no full name in the store, or two: nothing says which
        target = heaviest(by_initials[(acronym, entity[2])])
        merges.append(Merge(entity[0], entity[1], target[0], target[1], "acronym"))
    # Several names of one target may each hold several rows: join each row into the target once.
    return [m for m in merges if m.source != m.target]


def own_outlet_entities(annotation: dict[str, Any], outlet: str | None, url: str | None = None) -> set[str]:
    """Local ids of the annotation's entities that name the article's own outlet: its name, the
    registry's names for it, or its initials (VOA for Voice of America)."""
    profile = outlet_profile(outlet, url)
    names = [n for n in (outlet, *(profile.names if profile else ())) if n]
    if profile:
        names.append(profile.name)
    if not names:
        return set()
    forms = {fold(n) for n in names} | {i.casefold() for n in names for i in initials(n) if len(i) >= 2}
    return {e["id"] for e in annotation.get("entities", []) if fold(e["name"]) in forms
            or (acronym_of(e["name"]) or "").casefold() in forms}

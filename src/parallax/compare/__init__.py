"""How each outlet tells one story: its statements aligned across articles, claim by claim.

    annotations → tellings (each stating sentence with its slots and source chain)
                → alignment by meaning (sentence embeddings + slot agreement, one-to-one per
                  article pair, joined into facts across N articles)
                → differences on aligned facts (quantity, date, place, polarity, attribution),
                  developments where publication order explains them, ranked

The output is SPEC.md's ``parallax compare`` JSON; each fact also carries, per article, the
sentence, the values as that article gives them and the final named source, and each
difference its rank, the final sources and a note ("publication order unknown"), so that the
terminal, the web page, CSV and the API show one and the same result.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from parallax.compare.align import Encoder, align, embed, model
from parallax.compare.differences import (
    Difference,
    counted_twice,
    differences,
    lead_count_differences,
    rank,
    stance_changes,
)
from parallax.compare.tellings import KINDS, StoryArticle, Telling, shared_predicate, tellings

__all__ = ["KINDS", "StoryArticle", "Telling", "compare_story", "tellings"]

# Bump when the comparison's output changes: stored story views (views/stories.py) made by
# another version are stale and made again. (They also go stale when this package's sources or
# its resources change, so a forgotten bump costs a recomputation, never a wrong page.)
COMPARE_VERSION = "1"


def compare_story(articles: Sequence[StoryArticle], story: str | int | None = None,
                  told: dict[str, list[Telling]] | None = None, encode: Encoder | None = None,
                  within: Mapping[str, Hashable] | None = None) -> dict[str, Any]:
    """The story's facts aligned across its articles, with contradictions and developments.

    ``told`` passes the articles' tellings when the caller already has them; ``encode`` a
    sentence encoder other than the model's own (the benchmarks compare encoders). ``within``
    maps each article to its story when a storyline is compared: statements are aligned across
    its stories (both sides tell that Trump invited Putin) but set against each other only
    inside one story, since two stories of a storyline are two happenings (a March phone call
    and a July summit invitation are not one event misdated): a fact told across stories shows
    each article's values with a note, never a contradiction.
    """
    meta = {a.id: a for a in articles}
    by_article = told if told is not None else {a.id: tellings(a) for a in articles}
    everything = [t for a in articles for t in by_article[a.id]]
    # A story of one article aligns nothing, so its page never loads the sentence encoder.
    aligned = len(articles) > 1
    vectors_all = embed(everything, encode) if aligned else np.zeros((len(everything), 0), dtype=np.float32)
    vectors: dict[str, np.ndarray] = {}
    offset = 0
    for a in articles:
        count = len(by_article[a.id])
        vectors[a.id] = vectors_all[offset : offset + count]
        offset += count
    order = {a.id: i for i, a in enumerate(articles)}
    # Two stories of a storyline are two happenings: their tellings are one fact only when they
    # tell of one act (both tell that Trump invited Putin; "spoke by phone on March 20" and "met
    # in Helsinki on July 16" are two facts).
    linkable = None if within is None else (
        lambda a, b: within.get(a.article) == within.get(b.article) or shared_predicate(a, b))
    groups, apart = align(by_article, vectors, linkable=linkable, languages={a.id: a.language for a in articles})
    groups.sort(key=lambda g: (-len(g[0]), min(t.index for t in g[0]), order[g[0][0].article]))
    salient = _principal_entities(everything)
    bar = model()["contradiction_threshold"]
    sure = model().get("happening_threshold", 1.0)
    parts = counted_twice(by_article)

    facts: list[dict[str, Any]] = []
    fact_of: dict[int, str] = {}
    found: list[Difference] = []
    # The tellings whose sentence already names a fact: a sentence that tells two facts the other
    # outlet tells in two sentences is in two facts, each named by a sentence of its own.
    heading: set[int] = set()
    for number, (group, score) in enumerate(groups, start=1):
        fact_id = f"f{number}"
        group.sort(key=lambda t: order[t.article])
        lead = next((t for t in group if id(t) not in heading), group[0])
        heading.add(id(lead))
        about = _about(lead)
        note = None
        if len(group) > 1 and score >= bar:
            clashes, note = differences(about, group, meta, sure=score >= sure, ambiguous=parts, within=within)
            found += clashes
        for telling in group:
            fact_of[id(telling)] = fact_id
        facts.append(_fact(fact_id, group, score, note, about))
    # Pairs matched across two articles that complete linkage put in two facts are set against
    # each other too (never noted: each telling's fact carries its own group's note).
    for left, right, score in apart:
        if score >= bar:
            pair = sorted((left, right), key=lambda t: order[t.article])
            found += differences(_about(pair[0]), pair, meta, sure=score >= sure, ambiguous=parts, within=within)[0]
    found += stance_changes(everything, meta, within)
    # A count compared across the story's leads is raised only when no aligned fact already sets
    # the same statements against each other; one that sets more of them (190 → 339 → 354
    # passengers freed, told in three articles) replaces the aligned fact's pair.
    def statements(d: Difference) -> set[int]:
        return {id(t) for t in d.tellings}

    counted = [statements(d) for d in found if d.kind == "quantity"]
    leads = [d for d in lead_count_differences(by_article, meta, within, parts)
             if not any(statements(d) <= held for held in counted)]
    found = [d for d in found if not (d.kind == "quantity" and any(statements(d) < statements(lead) for lead in leads))] + leads
    contradictions: list[dict[str, Any]] = []
    developments: list[dict[str, Any]] = []
    for position, difference in enumerate(rank(found, salient), start=1):
        entry = {
            "kind": difference.kind,
            "about": difference.about,
            "values": difference.values,
            "facts": list(dict.fromkeys(fact_of[id(t)] for t in difference.tellings)),
            "sources": difference.sources(),
            "evidence": {t.article: {"start": t.start, "end": t.end} for t in difference.tellings},
            "rank": position,
        }
        if difference.note:
            entry["note"] = difference.note
        (developments if difference.development else contradictions).append(entry)
    return {
        "story": story,
        "articles": [a.id for a in articles],
        "facts": facts,
        "contradictions": contradictions,
        "developments": developments,
    }


def _fact(fact_id: str, group: list[Telling], score: float, note: str | None, about: str) -> dict[str, Any]:
    kinds = Counter(t.kind for t in group)
    kind = max(kinds, key=lambda k: (kinds[k], -KINDS.index(k)))
    fact: dict[str, Any] = {
        "id": fact_id,
        "kind": kind,
        "text": about,
        "told_by": [t.article for t in group],
        "chains": {t.article: t.chain for t in group},
        "evidence": {t.article: {"start": t.start, "end": t.end} for t in group},
        "sentences": {t.article: t.text for t in group},
        "details": {t.article: t.detail() for t in group},
        "values": {t.article: _value(t) for t in group},
        "sources": {t.article: t.source for t in group},
    }
    if len(group) > 1:
        fact["score"] = round(score, 3)
    if note:
        fact["note"] = note
    return fact


def _about(telling: Telling, limit: int = 200) -> str:
    text = telling.text
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _value(telling: Telling) -> str:
    """The values a telling gives, in a few words: counts, dates, places, and a stance other
    than plain assertion ("denied", "unconfirmed")."""
    detail = telling.detail()
    parts = [*detail.get("quantities", []), *detail.get("dates", []), *(f"in {p}" for p in detail.get("places", []))]
    if telling.stance != "asserted":
        parts.append(telling.stance.replace("_", " "))
    return "; ".join(parts)


def _principal_entities(everything: Sequence[Telling], top: int = 5) -> frozenset[str]:
    """The story's principal actors: the entities named in the most statements."""
    counts = Counter(e for t in everything for e in t.entities)
    return frozenset(name for name, _ in counts.most_common(top))

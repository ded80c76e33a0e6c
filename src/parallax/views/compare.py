"""The comparison as an analyst reads it in a terminal (``parallax compare``).

The comparison itself is ``parallax.compare``; this view only lays it out: the differences
first (ranked, each with both values and who gives each), then the facts told by more than one
article with each outlet's sentence and chain, then, briefly, what only some tell.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parallax.compare import StoryArticle

SHOWN_ONLY_SOME = 15


def format_comparison(result: dict[str, Any], articles: Sequence[StoryArticle]) -> str:
    label = {a.id: f"[{a.id}] {a.outlet or 'outlet unknown'}" + (f" {a.published[:10]}" if a.published else "") for a in articles}
    facts = {f["id"]: f for f in result["facts"]}
    lines = [f"story {result['story']}: {len(result['articles'])} articles"]
    lines += [f"  {label[a.id]}  {a.title or ''}".rstrip() for a in articles]
    for heading, entries in (("contradictions", result["contradictions"]), ("developments", result["developments"])):
        lines.append(f"\n{heading} ({len(entries)}):")
        for entry in entries:
            note = f"  [{entry['note']}]" if entry.get("note") else ""
            lines.append(f"  #{entry.get('rank', '-')} {entry['kind']}: {entry['about']}  (facts {', '.join(entry['facts'])}){note}")
            for article, value in entry["values"].items():
                lines.append(f"      {label[article]}: {value}")
    shared = [f for f in result["facts"] if len(f["told_by"]) > 1]
    lines.append(f"\ntold by more than one ({len(shared)}):")
    for fact in shared:
        lines.append(f"  {fact['id']} {fact['kind']}: {fact['text']}")
        for article in fact["told_by"]:
            chain = " ← ".join(fact["chains"][article]) or "(no source named)"
            value = fact.get("values", {}).get(article)
            lines.append(f"      {label[article]}  via {chain}" + (f"  [{value}]" if value else ""))
            if fact["sentences"][article] != fact["text"]:
                lines.append(f"        “{fact['sentences'][article]}”")
        if fact.get("note"):
            lines.append(f"      note: {fact['note']}")
    alone = [f for f in result["facts"] if len(f["told_by"]) == 1]
    lines.append(f"\ntold by only one ({len(alone)}; the first {min(len(alone), SHOWN_ONLY_SOME)}):")
    for fact in alone[:SHOWN_ONLY_SOME]:
        lines.append(f"  {fact['id']} {fact['kind']} only {label[fact['told_by'][0]]}: {fact['text']}")
    del facts
    return "\n".join(lines)

"""A story's or storyline's events in date order, each at the granularity its text gives.

Events are aligned across articles first (``compare.align``), so one happening told by three
outlets is one entry with three pieces of evidence. Only events with a calendar date enter the
timeline; a date whose year the text leaves open (``XXXX-03-20``) is shown with its year unknown
and sorted as if in its article's publication year, or else the latest year the timeline knows
(news leaves out the year of recent dates) — it is never shown with a year the text does not give.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parallax.views.compare import StoryArticle, Telling, align, representatives, tellings
from parallax.views.dates import TimeValue, show_value


def timeline(articles: Sequence[StoryArticle], told: Sequence[Telling] | None = None) -> list[dict[str, Any]]:
    """``[{"date", "shown", "granularity", "text", "plover", "status", "told_by", "evidence"}]``
    in date order; ``evidence`` maps each article to its sentence's span and words. ``told``:
    the articles' tellings, when the caller has them already."""
    texts = {a.id: a.annotation["text"] for a in articles}
    published_year = {a.id: a.day.year if a.day else None for a in articles}
    everything = told if told is not None else [t for a in articles for t in tellings(a)]
    events = [t for t in everything if t.kind == "event"]
    entries = []
    for group in align(events):
        dated = [t for t in group if t.date]
        if not dated:
            continue
        # Different dates for one happening stay apart: each is its own point on the line.
        for value, told in _by_date(dated).items():
            first = representatives(told)
            head = told[0]
            assert head.date is not None
            entries.append({
                "date": value,
                "shown": show_value(value),
                "granularity": head.date.granularity,
                "text": head.text,
                "plover": head.plover,
                "status": head.status,
                "place": head.place,
                "told_by": list(first),
                "evidence": {
                    a: {"start": t.start, "end": t.end, "text": " ".join(texts[a][t.start : t.end].split()),
                        "chain": t.chain, "date_from": t.detail.get("date_from")}
                    for a, t in first.items()
                },
                "_value": head.date,
                "_year": published_year[head.article],
            })
    known_years = [e["_value"].year for e in entries if e["_value"].year]
    latest = max(known_years) if known_years else None
    entries.sort(key=lambda e: (e["_value"].sort_key(e["_year"] or latest), e["date"]))
    for entry in entries:
        del entry["_value"], entry["_year"]
    return entries


def _by_date(told: list[Telling]) -> dict[str, list[Telling]]:
    groups: dict[str, list[Telling]] = {}
    for telling in told:
        value: TimeValue = telling.date  # type: ignore[assignment]
        groups.setdefault(value.raw, []).append(telling)
    return groups


def format_timeline(entries: Sequence[dict[str, Any]], outlets: dict[str, str]) -> str:
    """The timeline for a terminal: one line per happening, then its evidence per article."""
    lines = []
    for entry in entries:
        status = "" if entry["status"] in (None, "asserted") else f" [{entry['status']}]"
        place = f" in {entry['place']}" if entry.get("place") else ""
        lines.append(f"{entry['shown']:<26} {entry['text']}{place}{status}")
        for article, evidence in entry["evidence"].items():
            lines.append(f"{'':<26}   [{article}] {outlets.get(article) or 'outlet unknown'}: “{evidence['text']}”")
    return "\n".join(lines) if lines else "no dated events"

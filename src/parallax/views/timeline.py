"""A story's or storyline's events in date order, each at the granularity its text gives.

The timeline reads the comparison's facts, so one happening told by three outlets is one entry
with three pieces of evidence. Only facts that tell of an event with a calendar date enter it;
tellings of one fact that give different dates stay apart (each is its own point on the line:
two invitations months apart are two entries). A date whose year the text leaves open
(``XXXX-03-20``) is shown with its year unknown and sorted as if in its article's publication
year, or else the latest year the timeline knows — never shown with a year the text does not give.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parallax.compare import StoryArticle, compare_story
from parallax.views.dates import parse_value, show_value


def timeline(articles: Sequence[StoryArticle], comparison: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """``[{"date", "shown", "granularity", "text", "plover", "status", "place", "told_by", "evidence"}]``
    in date order; ``evidence`` maps each article to its sentence's span, words and chain.
    ``comparison``: the articles' comparison, when the caller has it already."""
    result = comparison if comparison is not None else compare_story(articles)
    published_year = {a.id: a.day.year if a.day else None for a in articles}
    entries = []
    for fact in result["facts"]:
        by_date: dict[str, list[str]] = {}
        for article in fact["told_by"]:
            event = fact["details"][article].get("event")
            if not event:
                continue
            value = event.get("date") or next(iter(fact["details"][article].get("dates", [])), None)
            if value is None or parse_value(value) is None:
                continue
            by_date.setdefault(value, []).append(article)
        for value, told_by in by_date.items():
            parsed = parse_value(value)
            assert parsed is not None
            event = fact["details"][told_by[0]]["event"]
            entries.append({
                "date": value,
                "shown": show_value(value),
                "granularity": parsed.granularity,
                # The words of an article that gives this date: a fact's text is its first
                # telling's, which may date another happening (the July invitation's headline
                # beside the March call's date).
                "text": fact["text"] if fact["told_by"][0] in told_by else fact["sentences"][told_by[0]],
                "plover": event["plover"],
                "status": event.get("status"),
                "place": event.get("place"),
                "fact": fact["id"],
                "told_by": told_by,
                "evidence": {a: {**fact["evidence"][a], "text": fact["sentences"][a], "chain": fact["chains"][a]} for a in told_by},
                "_key": parsed,
                "_year": published_year.get(told_by[0]),
            })
    known_years = [e["_key"].year for e in entries if e["_key"].year]
    latest = max(known_years) if known_years else None
    entries.sort(key=lambda e: (e["_key"].sort_key(e["_year"] or latest), e["date"]))
    for entry in entries:
        del entry["_key"], entry["_year"]
    return entries


def format_timeline(entries: Sequence[dict[str, Any]], outlets: dict[str, str]) -> str:
    """The timeline for a terminal: one line per happening, then its evidence per article."""
    lines = []
    for entry in entries:
        status = "" if entry["status"] in (None, "asserted") else f" [{entry['status']}]"
        place = f" in {entry['place']}" if entry.get("place") else ""
        lines.append(f"{entry['shown']:<26} {entry['plover']}{place}{status}: {entry['text']}")
        for article, evidence in entry["evidence"].items():
            lines.append(f"{'':<26}   [{article}] {outlets.get(article) or 'outlet unknown'}: “{evidence['text']}”")
    return "\n".join(lines) if lines else "no dated events"

"""Stories: near-duplicates folded, articles about one happening grouped, stories threaded.

The functions here are what the stateless ``parallax cluster`` command calls (``parallax
similarity`` calls ``stories/similarity.py``). The clustering stack (usearch, datasketch) is
imported when they run, so that ``parallax show`` and other readers of ``stories.views`` start fast.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from parallax.errors import Errors, InputError
from parallax.stories.dates import parse_day

if TYPE_CHECKING:
    from parallax.stories.cluster import StoryItem

__all__ = ["cluster_records", "story_item", "told_days"]


def story_item(record: dict) -> StoryItem:
    """A clustering input from a JSON record (``id``, ``title``, ``text``, optional ``published``).

    ``outlet`` and ``language`` are accepted and not needed: the embedding is multilingual.
    The days the text names are read with the time tagger, so happenings months apart part.
    """
    if record.get("id") in (None, ""):
        raise InputError(Errors.E501)
    title, text = record.get("title") or "", record.get("text") or ""
    if not (title.strip() or text.strip()):
        raise InputError(Errors.E107)
    from parallax.stories.cluster import StoryItem

    published = _published_day(record.get("published"))
    return StoryItem(id=str(record["id"]), title=title, text=text, published=published,
                     dates=told_days(f"{title}\n{text}", published))


def told_days(text: str, published: date | None) -> tuple[str, ...]:
    """The calendar days a text names (TimeML values; relative ones resolved against
    ``published``): what tells a happening's date when no annotation is at hand."""
    from parallax.annotate.timex import tag_times  # the annotate package loads spaCy: only when needed

    return tuple(t.value for t in tag_times(text, published) if t.value is not None and parse_day(t.value) is not None)


def _published_day(value: object) -> date | None:
    """The calendar day of an ISO 8601 ``published`` value; None when absent."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as error:
        raise InputError(Errors.E502, detail=str(error)) from error


def cluster_records(records: Iterable[dict]) -> list[dict]:
    """``{"id", "story", "storyline"}`` per record, in input order, clustered in that order."""
    from parallax.stories.cluster import cluster_items

    result = cluster_items(story_item(record) for record in records)
    return [{"id": id_, "story": story, "storyline": storyline} for id_, story, storyline in result]

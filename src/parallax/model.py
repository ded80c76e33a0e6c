"""The data model that flows through Parallax: input → RawDocument → Article → annotations → stories.

Every stage takes one of these and returns the next, so a stage can be tested, replaced or run
in a worker without knowing the others. Only plain dataclasses live here: no I/O, no logic
beyond what keeps a value consistent.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """One document as a reader found it, before any cleaning.

    ``origin`` says where it came from precisely enough to find it again (a path, a URL,
    ``file.jsonl#12`` for a record, ``crawl.warc.gz@3345`` for a WARC record). ``hints`` holds
    the metadata the container itself gives (a JSONL record's ``title``/``published``/``outlet``,
    a WARC header's date, a feed item's title and date); cleaning trusts hints over guesses.
    """

    origin: str
    media_type: str  # "text/html" or "text/plain"
    body: bytes
    url: str | None = None
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skip:
    """An input (or part of one) that could not be read, with the one-line reason why."""

    origin: str
    reason: str


@dataclass(frozen=True)
class PublicationDate:
    """A publication date at the granularity its evidence supports.

    ``value`` is ISO 8601 cut to the granularity ("2018-07-19", "2018-07", "2018",
    "2018-07-19T14:03:00+00:00"); ``source`` names the evidence ("record", "warc", "html",
    "url", "text", "feed") so an analyst can judge it.
    """

    value: str
    granularity: str  # "datetime" | "day" | "month" | "year"
    source: str


@dataclass
class Article:
    """A cleaned news article: the unit every later stage works on.

    ``furniture`` keeps the lines cleaning removed (navigation, app prompts, related-article
    teasers) so that a reader can audit what was thrown away.
    """

    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: PublicationDate | None = None
    language: str | None = None
    furniture: list[str] = field(default_factory=list)
    origin: str = ""
    extractor: str = ""  # which cleaning stage produced the text, e.g. "trafilatura", "text"
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The `parallax extract` JSON shape (SPEC.md)."""
        return {
            "title": self.title,
            "text": self.text,
            "published": self.published.value if self.published else None,
            "published_granularity": self.published.granularity if self.published else None,
            "published_source": self.published.source if self.published else None,
            "language": self.language,
            "outlet": self.outlet,
            "url": self.url,
            "furniture": list(self.furniture),
        }


def as_dict(obj: Any) -> dict[str, Any]:
    """A dataclass as plain JSON-ready dict."""
    return asdict(obj)

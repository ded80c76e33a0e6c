"""The data model that flows through Parallax: input → RawDocument → Article → annotations → stories.

Every stage takes one of these and returns the next, so a stage can be tested, replaced or run
in a worker without knowing the others. Only plain dataclasses live here: no I/O, no logic
beyond what keeps a value consistent.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
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
    "2018-07-19T14:03:00+00:00"); ``source`` names the evidence ("given" (by a record or feed), "http", "html",
    "url", "text", "feed") so an analyst can judge it.
    """

    value: str
    granularity: str  # "datetime" | "day" | "month" | "year"
    source: str

    def day(self) -> date | None:
        """The day this date fixes, when it is known to the day or better: what the annotators
        resolve relative dates against and what places an article in time for stories."""
        if self.granularity not in {"day", "datetime"}:
            return None
        return date.fromisoformat(self.value[:10])


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


# --- Annotations (SPEC.md's annotation JSON). Offsets are character offsets into Article.text.


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) into the annotated text."""

    start: int
    end: int


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """One referent of an article with every mention of it under one canonical name."""

    id: str  # "e1", "e2", ... within an article
    name: str
    type: str  # spaCy label: PERSON, ORG, GPE, NORP, LOC, ...
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Timex:
    """A TIMEX3 time expression normalised against the document date.

    ``value`` is the TimeML value ("2018-07-19", "2018-W29", "2018-FA", "XXXX-03-20", "P3D",
    "PRESENT_REF") or None when the text does not fix it.
    """

    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None


@dataclass
class Speaker:
    start: int
    end: int
    text: str
    entity: str | None = None  # entity id once entities are resolved
    name: str | None = None  # the named antecedent when the speaker span is a pronoun or role


@dataclass
class Quote:
    kind: str  # direct | indirect | mixed
    content: Span
    cue: Span | None
    speaker: Speaker | None
    channel: str | None = None


@dataclass
class Attribution:
    """A claim with its source chain, outermost source first."""

    content: Span
    chain: list[str]


@dataclass
class Event:
    plover: str
    mode: str | None
    cameo: str | None
    actor: dict[str, Any]
    target: dict[str, Any] | None
    date: str | None
    place: str | None
    according_to: str | None
    evidence: Span
    status: str = "asserted"  # asserted | reported | negated | hypothetical | planned
    context: str | None = None  # PLOVER context where the CAMEO mapping gives one ("diplomatic", "military")

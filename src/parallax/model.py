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
    authors: list[str] = field(default_factory=list)  # the byline's people, names only
    origin: str = ""
    extractor: str = ""  # which cleaning stage produced the text, e.g. "trafilatura", "text"
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The `parallax extract` JSON shape (SPEC.md)."""
        return {
            "title": self.title,
            "authors": list(self.authors),
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
    kind: str  # direct | indirect | mixed | stance (attributed by a frame, not said: no quote in the JSON)
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


# --- Records the store gives back (store/base.py): what the stages and views read of it. ---------


@dataclass(frozen=True)
class Added:
    """What storing one article did: ``status`` is "ingested" or "duplicate"."""

    article_id: int
    status: str


@dataclass(frozen=True)
class Storyline:
    """Stories of one developing matter, threaded together as they arrive."""

    id: int
    title: str | None


@dataclass(frozen=True)
class Story:
    """Articles telling one happening. ``merged_into`` names the story a later article folded it
    into (merges can chain); a live story has none."""

    id: int
    storyline_id: int | None
    title: str | None
    first_published: str | None = None
    last_published: str | None = None
    merged_into: int | None = None


@dataclass(frozen=True)
class StorySummary:
    """A live story with what its articles (its merged stories' included) add up to."""

    id: int
    title: str | None
    storyline_id: int | None
    first_published: str | None
    last_published: str | None
    articles: int
    outlets: list[str]


@dataclass(frozen=True)
class StoryMember:
    """An article filed under a story; ``copy_of`` names the article it is a near-copy of."""

    id: int
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    published_granularity: str | None
    language: str | None
    story_id: int
    copy_of: int | None
    annotated: bool
    authors: list[str] = field(default_factory=list)
    annotation_stamp: str | None = None  # the annotation's version and time: a re-annotated member changes it


@dataclass(frozen=True)
class AssignedArticle:
    """What story assignment kept of an article it filed, enough to rebuild the clusterer:
    its stored lead vector (``None`` if missing), MinHash sketch, days and principal entities."""

    article_id: int
    story_id: int
    published: PublicationDate | None
    vector: bytes | None
    sketch: bytes | None
    shingles: int
    days: list[str]
    entities: list[str]


@dataclass(frozen=True)
class ArticleFailure:
    """A stage that failed on one article: ``stage`` ("annotate" or "stories"), the numbered
    one-line ``reason``, and how many runs have tried (``GIVE_UP_AFTER`` then leave it alone)."""

    stage: str
    reason: str
    attempts: int
    at: str


@dataclass(frozen=True)
class IndexCheckpoint:
    """The stored nearest-neighbour index of the first ``articles`` assigned articles."""

    format: str
    articles: int
    digest: str


@dataclass(frozen=True)
class ArticleRef:
    """Enough of an article to list and link it."""

    id: int
    title: str | None
    outlet: str | None
    published: str | None
    published_granularity: str | None


@dataclass(frozen=True)
class EntitySummary:
    id: int
    name: str
    type: str
    mentions: int
    articles: int


@dataclass(frozen=True)
class EntityArticle:
    article: ArticleRef
    mentions: int


@dataclass(frozen=True)
class EntityQuote:
    article: ArticleRef
    kind: str
    content: str
    cue: str | None
    channel: str | None
    speaker_text: str | None


@dataclass(frozen=True)
class EntityEvent:
    article: ArticleRef
    role: str  # "actor" or "target"
    plover: str
    mode: str | None
    status: str | None
    actor: str | None
    actor_id: int | None
    target: str | None
    target_id: int | None
    date: str | None
    place: str | None
    evidence: str


@dataclass(frozen=True)
class Alias:
    text: str
    count: int


@dataclass(frozen=True)
class Period:
    """Articles mentioning the entity in one month ("2025-03"); a year ("2018") for articles dated
    only to the year, None for undated ones."""

    period: str | None
    articles: int
    mentions: int


@dataclass(frozen=True)
class ArticleEntity:
    id: int  # store-wide, for the entity page
    local_id: str  # "e1"… within this article's annotation
    name: str
    type: str
    mentions: list[Span]


@dataclass(frozen=True)
class ArticleQuote:
    kind: str
    content: str
    start: int
    end: int
    speaker: str | None
    speaker_id: int | None
    cue: str | None
    channel: str | None


@dataclass(frozen=True)
class ArticleEvent:
    plover: str
    mode: str | None
    cameo: str | None
    status: str | None
    actor: str | None
    actor_id: int | None
    target: str | None
    target_id: int | None
    date: str | None
    place: str | None
    according_to: str | None
    according_to_id: int | None
    evidence: str
    start: int
    end: int


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a search or the stories list; every field is optional. One vocabulary for
    the CLI (``--outlet``, ``--since``…) and the API (``outlet=``, ``since=``…): see
    ``views/filters.py``. Dates are inclusive days; ``country`` (ISO 3166-1 alpha-2) and
    ``kind`` (wire agency, state media…) describe the outlet as the registry knows it, and are
    resolved to the store's outlet names in ``outlets`` before the store reads them."""

    entity: str | None = None  # an entity's name, matched without regard to case
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    plover: str | None = None  # a PLOVER event type, e.g. "CONSULT"
    country: str | None = None
    kind: str | None = None
    language: str | None = None  # ISO 639-1, as detected at ingest
    storyline: int | None = None
    outlets: tuple[str, ...] | None = None  # the outlets ``country`` and ``kind`` admit, once resolved

    def active(self) -> bool:
        return any(value is not None for value in (
            self.entity, self.outlet, self.since, self.until, self.plover, self.country, self.kind,
            self.language, self.storyline))


@dataclass(frozen=True)
class FoundArticle:
    """A search hit as the store finds it: the article and a snippet of its text, where
    ``MATCH_OPEN``/``MATCH_CLOSE`` surround the words the query matched (or its opening
    lines, unmarked, when the query had no words)."""

    article: ArticleRef
    snippet: str


@dataclass(frozen=True)
class FoundPage:
    """A page of search hits and how many articles match: exactly ``total`` when ``exact``;
    otherwise the store stopped counting there, and at least ``total`` match (more than
    ``total - 1``; ``store/sql_search.py`` says where counting stops)."""

    total: int
    exact: bool
    articles: list[FoundArticle]


# Private-use characters around matched words in a FoundArticle's snippet: no article text
# can forge them into markup, since the view splits on them before anything is rendered.
MATCH_OPEN, MATCH_CLOSE, ELLIPSIS = "\ue000", "\ue001", "…"


@dataclass(frozen=True)
class Watch:
    id: int
    name: str
    kind: str
    value: str
    webhook: str | None
    active: bool
    created_at: str
    alerts: int = 0
    undelivered: int = 0
    checked_through: int = 0  # the last article id checked against it (see ``views.watch.check_arrivals``)


@dataclass(frozen=True)
class Alert:
    """One alert with enough of its article to show it anywhere (terminal, feed, webhook)."""

    id: int
    watch: str
    kind: str
    value: str
    reason: str
    created_at: str
    article_id: int | None
    story_id: int | None
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    webhook_delivered: bool
    webhook_attempts: int
    webhook_error: str | None

    def payload(self) -> dict[str, Any]:
        """The JSON a webhook receives."""
        return {
            "alert": self.id,
            "watch": self.watch,
            "kind": self.kind,
            "value": self.value,
            "reason": self.reason,
            "created_at": self.created_at,
            "story": self.story_id,
            "article": {"id": self.article_id, "title": self.title, "outlet": self.outlet,
                        "url": self.url, "published": self.published},
        }


@dataclass(frozen=True)
class StoryMatch:
    """An article of a watched storyline's stories, in arrival order, for the development test."""

    article_id: int
    story_id: int
    copy_of: int | None
    outlet: str | None

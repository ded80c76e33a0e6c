"""One article as an analyst reads it: the cleaned text with what the annotators found in it.

``article_view`` gathers the article, where it was seen, and its annotations (entities with their
store-wide ids, quotes with speakers, source chains, events, time expressions) into plain
dataclasses that the JSON API returns as they are. ``mark_up`` cuts the text into paragraphs of
pieces, each knowing which entity, quote and time expression covers it, so that a template can
highlight the text while escaping every character of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from parallax.model import ArticleEntity, ArticleEvent, ArticleFailure, ArticleQuote, PublicationDate
from parallax.store import Store


@dataclass(frozen=True)
class ArticleAttribution:
    """A claim and its source chain, outermost source first."""

    content: str
    start: int
    end: int
    chain: list[str]


@dataclass(frozen=True)
class ArticleTime:
    text: str
    type: str
    value: str | None
    start: int
    end: int


@dataclass(frozen=True)
class ArticleView:
    id: int
    title: str | None
    authors: list[str]
    url: str | None
    outlet: str | None
    published: PublicationDate | None
    language: str | None
    extractor: str
    origin: str
    sightings: list[str]
    text: str
    furniture: list[str]
    annotation_version: str | None  # None: not annotated yet
    failures: list[ArticleFailure] = field(default_factory=list)  # stages that failed on it, with why
    entities: list[ArticleEntity] = field(default_factory=list)
    quotes: list[ArticleQuote] = field(default_factory=list)
    attributions: list[ArticleAttribution] = field(default_factory=list)
    events: list[ArticleEvent] = field(default_factory=list)
    times: list[ArticleTime] = field(default_factory=list)


@dataclass(frozen=True)
class Piece:
    """A run of text under the same highlights: the entity, quote (index into ``quotes``) and
    time expression (index into ``times``) covering it, if any, and whether it lies in the
    marked span (``anchor``: the first piece of it, where a link to the span lands)."""

    text: str
    entity_id: int | None = None
    entity_type: str | None = None
    quote: int | None = None
    time: int | None = None
    marked: bool = False
    anchor: bool = False


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # "entity" | "quote" | "time" | "mark"
    ref: int
    label: str | None = None


def article_view(store: Store, article_id: int) -> ArticleView | None:
    """The article with its annotations, or None if there is no such article."""
    article = store.get_article(article_id)
    if article is None:
        return None
    annotation: dict[str, Any] = store.annotation(article_id) or {}
    text = article.text
    return ArticleView(
        id=article_id,
        title=article.title,
        authors=article.authors,
        url=article.url,
        outlet=article.outlet,
        published=article.published,
        language=article.language,
        extractor=article.extractor,
        origin=article.origin,
        sightings=store.sightings(article_id),
        text=text,
        furniture=article.furniture,
        annotation_version=store.annotation_version(article_id),
        failures=store.article_failures(article_id),
        entities=store.article_entities(article_id),
        quotes=store.article_quotes(article_id),
        attributions=[
            ArticleAttribution(text[a["content"]["start"] : a["content"]["end"]], a["content"]["start"], a["content"]["end"], list(a["chain"]))
            for a in annotation.get("attributions", [])
        ],
        events=store.article_events(article_id),
        times=[ArticleTime(t["text"], t["type"], t.get("value"), t["start"], t["end"]) for t in annotation.get("times", [])],
    )


def mark_up(view: ArticleView, mark: tuple[int, int] | None = None) -> list[list[Piece]]:
    """The text as paragraphs (its non-blank lines) of highlighted pieces; ``mark`` is a span
    to highlight as well (the evidence a comparison links to).

    Where spans overlap, each piece records every kind that covers it; within one kind the span
    that starts last (the innermost) wins.
    """
    spans = [_Span(m.start, m.end, "entity", e.id, e.type) for e in view.entities for m in e.mentions]
    spans += [_Span(q.start, q.end, "quote", i) for i, q in enumerate(view.quotes)]
    spans += [_Span(t.start, t.end, "time", i) for i, t in enumerate(view.times)]
    if mark is not None:
        spans.append(_Span(mark[0], mark[1], "mark", 0))
    spans.sort(key=lambda s: s.start)
    text = view.text
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]
    cuts = {0, len(text), *newlines, *(i + 1 for i in newlines)}
    cuts.update(p for s in spans for p in (s.start, s.end) if 0 <= p <= len(text))
    paragraphs: list[list[Piece]] = [[]]
    anchored = False
    for begin, finish in pairwise(sorted(cuts)):
        if text[begin:finish] == "\n":
            paragraphs.append([])
            continue
        covering: dict[str, _Span] = {}
        for span in spans:
            if span.start > begin:
                break
            if span.end >= finish:
                covering[span.kind] = span
        entity, quote, time = covering.get("entity"), covering.get("quote"), covering.get("time")
        marked = "mark" in covering
        anchor = marked and not anchored and bool(text[begin:finish].strip())
        paragraphs[-1].append(
            Piece(
                text[begin:finish],
                entity.ref if entity else None,
                entity.label if entity else None,
                quote.ref if quote else None,
                time.ref if time else None,
                marked,
                anchor,
            )
        )
        anchored = anchored or anchor
    return [p for p in paragraphs if any(piece.text.strip() for piece in p)]

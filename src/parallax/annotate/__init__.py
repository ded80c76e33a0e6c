"""Annotation: who said what, when, and what happened, for one article's text.

Like a spaCy pipeline, annotation is a list of small named components, each declaring what it
reads and what it writes on one carrier (:class:`Annotations`); the order is checked once at
import, so a reordering that starves a component fails loudly instead of silently.

    parsed text → times → entities → quotes (speakers linked to entities) → attributions → events
    → claims (each stating sentence with its counts, places and stance, for comparison)

Every component is a plain function of the carrier; :func:`annotate` and
:func:`annotate_many` run them (the latter parses in batches with ``nlp.pipe``).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from datetime import date
from typing import Any

from spacy.tokens import Doc

from parallax.annotate.chains import find_attributions
from parallax.annotate.claims import Claim, find_claims, sentence_claims
from parallax.annotate.entities import link_speakers, resolve_entities
from parallax.annotate.events import code_events
from parallax.annotate.quotes import STANCE, find_quotes
from parallax.annotate.timex import tag_times
from parallax.model import Attribution, Entity, Event, Quote, Span, Timex
from parallax.nlp import load_nlp

# Bump when a component's output changes, so stored annotations can be told apart and redone.
ANNOTATOR_VERSION = "98"
# Languages the components understand; other articles keep their text and get only their
# sentences as claims (claims.sentence_claims), which the comparison aligns by meaning.
LANGUAGES = {"en"}


@dataclass
class Annotations:
    """The carrier every component reads from and writes to; ``to_json`` is SPEC's shape."""

    text: str
    published: date | None = None
    language: str | None = "en"
    outlet: str | None = None
    doc: Doc | None = None
    times: list[Timex] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def parsed(self) -> Doc:
        """The spaCy parse the components that require "doc" read; annotate_many sets it only
        while they run, so it is there whenever they are."""
        assert self.doc is not None, "an annotation component that requires the parse ran without it"
        return self.doc

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type,
                 "mentions": [{"start": m.start, "end": m.end} for m in e.mentions]}
                for e in self.entities
            ],
            "times": [
                {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value} for t in self.times
            ],
            "quotes": [_quote_json(q) for q in self.quotes if q.kind != STANCE],
            "attributions": [{"content": _span(a.content), "chain": list(a.chain)} for a in self.attributions],
            "events": [_event_json(e) for e in self.events],
            "claims": [c.to_json() for c in self.claims],
        }


@dataclass(frozen=True)
class Component:
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]
    run: Callable[[Annotations], None]


def _times(a: Annotations) -> None:
    a.times = tag_times(a.text, a.published)


def _entities(a: Annotations) -> None:
    a.entities = resolve_entities(a.parsed, a.published)


def _quotes(a: Annotations) -> None:
    a.quotes = find_quotes(a.parsed)
    link_speakers(a.entities, a.quotes)


def _attributions(a: Annotations) -> None:
    a.attributions = find_attributions(a.parsed, a.quotes, a.outlet)


def _events(a: Annotations) -> None:
    # The coder links actors and targets to entities itself (the last name in the phrase:
    # "U.S. President Donald Trump" is Trump, not the United States) and resolves pronouns.
    a.events = code_events(a.parsed, a.times, a.quotes, a.published, entities=a.entities)
    for event in a.events:
        if event.according_to and not event.according_to.startswith("e"):
            event.according_to = _entity_named(a.entities, event.according_to) or event.according_to


def _claims(a: Annotations) -> None:
    a.claims = find_claims(a.parsed)


def _c(name: str, requires: set[str], assigns: set[str], run: Callable[[Annotations], None]) -> Component:
    return Component(name, frozenset(requires), frozenset(assigns), run)


COMPONENTS: list[Component] = [
    _c("times", {"text", "published"}, {"times"}, _times),
    _c("entities", {"doc", "published"}, {"entities"}, _entities),
    _c("quotes", {"doc", "entities"}, {"quotes"}, _quotes),
    _c("attributions", {"doc", "quotes", "outlet"}, {"attributions"}, _attributions),
    _c("events", {"doc", "times", "quotes", "entities", "published"}, {"events"}, _events),
    _c("claims", {"doc"}, {"claims"}, _claims),
]


def check_order(components: Sequence[Component]) -> None:
    """Fail if a component requires something no earlier component (or the input) provides."""
    available = {"text", "published", "language", "outlet", "doc"}
    for component in components:
        missing = component.requires - available
        if missing:
            raise ValueError(f"annotation component {component.name!r} needs {sorted(missing)} first")
        available |= component.assigns


check_order(COMPONENTS)


def annotate(text: str, *, dct: date | None = None, language: str | None = "en", outlet: str | None = None) -> Annotations:
    """Annotate one text (offsets are into ``text`` exactly as given)."""
    return next(annotate_many([(text, dct, language, outlet)]))


def annotate_many(
    items: Iterable[tuple[str, date | None, str | None, str | None]], batch_size: int = 16
) -> Iterator[Annotations]:
    """Annotate (text, dct, language, outlet) tuples in order, parsing a batch at a time."""
    nlp = load_nlp()
    iterator = iter(items)
    while batch := [Annotations(text=t, published=d, language=lang, outlet=o) for t, d, lang, o in islice(iterator, batch_size)]:
        parsable = [a for a in batch if a.language in LANGUAGES or a.language is None]
        for carrier, doc in zip(parsable, nlp.pipe(a.text for a in parsable)):
            carrier.doc = doc
            for component in COMPONENTS:
                component.run(carrier)
            carrier.doc = None  # the parse is large and nobody downstream needs it
        for carrier in batch:
            if carrier.language not in LANGUAGES and carrier.language is not None:
                # No parser for its language: its sentences still align across outlets by meaning.
                carrier.claims = sentence_claims(carrier.text)
        yield from batch


def _span(span: Span | None) -> dict[str, int] | None:
    return {"start": span.start, "end": span.end} if span else None


def _quote_json(q: Quote) -> dict[str, Any]:
    speaker = None
    if q.speaker is not None:
        speaker = {"entity": q.speaker.entity, "start": q.speaker.start, "end": q.speaker.end,
                   "text": q.speaker.text, "name": q.speaker.name}
    return {"kind": q.kind, "content": _span(q.content), "cue": _span(q.cue), "speaker": speaker, "channel": q.channel}


def _event_json(e: Event) -> dict[str, Any]:
    return {
        "plover": e.plover, "mode": e.mode, "cameo": e.cameo, "actor": e.actor, "target": e.target,
        "date": e.date, "place": e.place, "according_to": e.according_to,
        "evidence": _span(e.evidence), "status": e.status, "context": e.context,
    }


def _entity_named(entities: Sequence[Entity], name: str) -> str | None:
    folded = name.casefold()
    for entity in entities:
        if entity.name.casefold() == folded or any(m.text.casefold() == folded for m in entity.mentions):
            return entity.id
    return None

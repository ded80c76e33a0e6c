"""Source chains: through whom each attributed claim reached the reader, outermost first.

A claim is rarely told first hand. "RIA Novosti reported on Friday, citing the Russian Foreign
Ministry" is the chain [RIA Novosti, Russian Foreign Ministry]; "the news agency quoted Foreign
Minister Sergei Lavrov as saying" is [RIA Novosti, Sergei Lavrov]; "According to X, Y said …"
is [X, Y]; a quote inside another quote's content ("X said Y told them …") extends the chain
of the quote that holds it. The article's own outlet, when known, is the outermost link of
every claim the article reports.

A link names or describes someone: a name, a pronoun the article resolves to a name, a
description of a person or body ("a JetBlue pilot", "security forces": WordNet's person and
group nouns), an outlet or a document. "this", "you", an unresolved "he" or a thing ("their
return", "his passport") is no link, and the chain ends before it.

The links come from the quotes of :mod:`parallax.annotate.quotes` and the cue's own phrases
("citing …", "according to …"); names are the resolved speaker names, with a person's
organisation when the article titles them with it ("White House Press Secretary Sarah
Huckabee Sanders" → "Sarah Huckabee Sanders (White House)").
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Span, Token

from parallax.annotate.quotes import (
    CITING_LEMMAS, INDEFINITE, OUTLET_LEMMAS, QuoteFinder, SpeechEvent, _clean_name, _pobj, _resource, is_document, noun_phrase,
)
from parallax.model import Attribution, Quote
from parallax.nlp import doc_ents

# Prepositions that tie a description to the body it belongs to ("a source in", "an official at",
# "a spokesman for", "a diplomat from", "an aide to").
AFFILIATION_PREPOSITIONS = ("in", "at", "for", "from", "with", "to")
# Entity labels that name a source: a person, a body, a place that speaks for its government.
SOURCE_LABELS = frozenset(("PERSON", "ORG", "GPE", "NORP", "FAC"))
# Pronouns that stand for someone named elsewhere: a link only through the name they resolve to.
REFERRING_PRONOUNS = frozenset((
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "it", "they", "them",
    "this", "that", "these", "those", "who", "whom", "which",
))


@lru_cache(maxsize=1)
def source_nouns() -> frozenset[str]:
    """Common nouns with a sense that is a person or a body (WordNet 3.0's noun.person and
    noun.group: resources/source_nouns.json, built by scripts/build_source_nouns.py)."""
    found = _resource("source_nouns.json")
    return frozenset(found["person"]) | frozenset(found["group"])


class ChainBuilder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.finder = QuoteFinder.of(doc)
        self.ents = doc_ents(doc)
        self.events: dict[tuple[int, int], SpeechEvent] = {
            (e.cue_span.start, e.cue_span.end): e for e in self.finder.events
        }

    @cached_property
    def _people(self) -> list[tuple[Span, str]]:
        """The article's PERSON entities with their clean names, in order: computed once for
        every quote's speaker (``with_affiliation`` is asked about 20 times a VOA article; when it
        cleaned every name each time, the chains took 6.5-7.3 ms an article, now 2.7-2.9)."""
        return [(ent, _clean_name(ent)) for ent in self.ents if ent.label_ == "PERSON"]

    @cached_property
    def _organisations(self) -> list[Span]:
        """The article's ORG entities a title may name: one capitalised title word ("Defence
        Minister") is often mistaken for an ORG, so an organisation of two words or more, or an
        acronym."""
        return [org for org in self.ents if org.label_ == "ORG" and (len(org) > 1 or org.text.isupper())]

    def with_affiliation(self, name: str) -> str:
        """A person's name with the organisation the article titles them with, if any."""
        for ent, person in self._people:
            if person != name:
                continue
            phrase = noun_phrase(ent.root)
            for org in self._organisations:
                if phrase.start <= org.start and org.end <= ent.start:
                    return f"{name} ({_clean_name(org)})"
        return name

    def with_body(self, head: Token, name: str) -> str:
        """A description with the body a phrase after it names ("a source in the Defense
        Ministry", "a spokesman for the Pentagon" -> "source (Defense Ministry)", "spokesman
        (Pentagon)"): the chain ends at the named body, as ``with_affiliation`` does for a
        titled person, not at "a source". A name, or a description resolved to one, stays."""
        if head.pos_ != "NOUN" or name != _clean_name(noun_phrase(head)):
            return name
        for prep in head.children:
            body = _pobj(prep) if prep.dep_ == "prep" and prep.lower_ in AFFILIATION_PREPOSITIONS else None
            # a body is named; "a report in March" is dated
            if body is not None and (body.ent_type_ in SOURCE_LABELS or (body.pos_ == "PROPN" and not body.ent_type_)):
                return f"{name} ({_clean_name(noun_phrase(body))})"
        return name

    def _source_name(self, token: Token, besides: str | None = None) -> str | None:
        """The name a chain link takes for a source phrase; ``besides`` is the speaker citing it,
        which a cited description never stands for ("Al Jazeera, citing the health ministry"
        is not Al Jazeera citing itself)."""
        owner = self.finder.resolver.document_owner(token)
        if owner is not None:
            return owner
        speaker, _ = self.finder.resolver.resolve(token)
        if not self.names_source(token, speaker.name):
            return None
        description = _clean_name(noun_phrase(token))
        name = speaker.name if speaker.name and speaker.name != besides else description
        return self.with_body(token, name)

    def names_source(self, head: Token, name: str | None) -> bool:
        """Does a speaker phrase (its head, and the name the resolver gave it) name or describe
        someone a chain may end at: a name, a pronoun or description the article resolves to a
        name, a role, group or outlet of the lexicon, or a noun with a sense WordNet gives as a
        person or a body ("a JetBlue pilot", "the owner", "security forces"), a document (a
        document with an owner is its owner already: :meth:`own_chain`)? Not a pronoun that
        resolves to no name ("this", "you", "he" with no one before) or a thing ("their return",
        "results", "his passport", "Washington's priorities")."""
        lex = self.finder.lex
        if head.lower_ in REFERRING_PRONOUNS and head.pos_ in ("PRON", "DET"):  # not "US"
            return name is not None and name != "" and name.lower() != head.lower_
        if head.pos_ in ("PRON", "DET", "PROPN") or head.ent_type_ in SOURCE_LABELS or head.lemma_.lower() in INDEFINITE:
            return True  # "others", "some", "many" describe people as "critics" does
        if head.text[:1].isupper() and head.i != head.sent.start:
            return True  # a name the tagger took for a noun ("…, Creemers said")
        lemma = head.lemma_.lower()
        if is_document(head, lex):
            return True  # "a recent study found": the chain ends at it when it names no owner
        if name and name != _clean_name(noun_phrase(head)):
            return True  # "the head" -> "UNICEF": resolved to the one it describes
        if self.finder.resolver.kind(head) is not None or lemma in OUTLET_LEMMAS:
            return True
        return lemma in source_nouns() or head.lower_ in source_nouns()

    def _inner_sources(self, event: SpeechEvent) -> list[str]:
        """Sources the cue itself names behind its speaker: 'citing X', 'according to X'."""
        inner = []
        speaker = event.speaker.name if event.speaker is not None else None
        for participle in self.finder.citing_phrases(event):
            cited = next((c for c in participle.children if c.dep_ == "dobj"), None)
            if cited is not None and (name := self._source_name(cited, besides=speaker)) is not None:
                inner.append(name)
        return inner

    def _outer_sources(self, event: SpeechEvent) -> list[str]:
        """Sources standing before the speaker: 'X quoted Y as saying', 'according to X, Y said',
        'Y, quoted by X, said'."""
        if event.quoting:
            return [event.quoting]
        outer = []
        speaker = self.finder.speaker_head(event)
        for child in speaker.children if speaker is not None else ():
            # "Witnesses quoted by the BBC said …": the BBC's report is how their words came
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if child.dep_ == "acl" and child.lemma_.lower() in CITING_LEMMAS and agent is not None and (by := _pobj(agent)) is not None:
                if (name := self._source_name(by)) is not None:
                    outer.append(name)
        for child in event.cue.children:
            if child.dep_ == "prep" and child.lower_ in self.finder.lex.according:
                to = next((c for c in child.children if c.lower_ == "to"), None)
                source = _pobj(to) if to is not None else None
                if source is None:
                    continue
                if not {source.lemma_.lower(), source.lower_} & self.finder.lex.document_nouns:
                    if (name := self._source_name(source)) is not None:
                        outer.append(name)
                elif (owner := self.finder.resolver.document_owner(source)) is not None:  # "according to a transcript on Z's website"
                    outer.append(owner)
        return outer

    def own_chain(self, quote: Quote) -> list[str]:
        event = self.events.get((quote.cue.start, quote.cue.end)) if quote.cue else None
        speaker = None
        if quote.speaker is not None:
            phrase = self.doc.char_span(quote.speaker.start, quote.speaker.end, alignment_mode="expand")
            head = phrase.root if phrase is not None and len(phrase) else None
            owner = self.finder.resolver.document_owner(head) if head is not None else None
            if owner is not None:
                speaker = owner
            elif head is None:
                speaker = quote.speaker.name or quote.speaker.text
            elif self.names_source(head, quote.speaker.name):
                speaker = self.with_body(head, self.with_affiliation(quote.speaker.name or _clean_name(noun_phrase(head))))
        chain = self._outer_sources(event) if event is not None else []
        if speaker:
            chain.append(speaker)
        if event is not None:
            chain.extend(self._inner_sources(event))
        return chain


def _contains(outer: Quote, inner: Quote) -> bool:
    return (
        outer is not inner
        and outer.content.start <= inner.content.start
        and inner.content.end <= outer.content.end
        and (outer.content.end - outer.content.start) > (inner.content.end - inner.content.start)
    )


def find_attributions(doc: Doc, quotes: Sequence[Quote], outlet: str | None = None) -> list[Attribution]:
    """Every attributed claim with its source chain, outermost first.

    ``outlet`` (the article's publisher) leads each chain when given. A quote nested in
    another quote's content inherits that quote's chain before its own links; so does the
    speech the quote finder leaves inside another report's content, no quote of its own
    (:meth:`QuoteFinder.nested`) but a claim of its own source ("CNN reported that Trump told
    his advisers he …": CNN, then Trump).
    """
    builder = ChainBuilder(doc)
    quotes = sorted([*quotes, *builder.finder.nested()], key=lambda q: (q.content.start, q.content.end))
    own = {id(q): builder.own_chain(q) for q in quotes}
    attributions = []
    for quote in quotes:
        holders = sorted(
            (q for q in quotes if _contains(q, quote)), key=lambda q: q.content.end - q.content.start, reverse=True
        )
        chain: list[str] = []
        for link in [name for holder in holders for name in own[id(holder)]] + own[id(quote)]:
            if not chain or chain[-1] != link:
                chain.append(link)
        if not chain:
            continue
        if outlet and chain[0] != outlet:
            chain.insert(0, outlet)
        attributions.append(Attribution(content=quote.content, chain=chain))
    return attributions

"""Who a pronoun or a group phrase in an event stands for: "he", "their summit", "the two leaders".

The event coder reads an actor or target off the parse of one clause; when that word is a
pronoun ("he would hold Putin accountable", "their Monday summit") the clause alone does not
say who acted. This module answers with the referent, in two steps and nothing bolder:

1. **Inside the sentence.** A pronoun under a clause whose subject comes before it refers to that
   subject when number and kind agree ("Mr. Trump said *he* …", "Bosnian Serbs said *their*
   forces …", "the committee completed *its* investigation").
2. **Across sentences.** Otherwise the nearest preceding mention of a compatible entity the
   pipeline resolved (``annotate/entities.py``), no more than a few sentences back; first-person
   pronouns inside a quote refer to its speaker.

"The two leaders" / "both leaders" stand for the two most recently mentioned people who carry a
leader's title ("President Trump", "President Putin"), which is how news prose refers back to a
summit's principals. Window, pronoun classes and titles live in ``resources/plover_lexicon.json``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from parallax.model import Entity, Quote

SUBJECT_DEPS = ("nsubj", "nsubjpass")
PERSON_LABELS = ("PERSON",)
GROUP_LABELS = ("ORG", "GPE", "NORP")


@dataclass(frozen=True)
class Referent:
    """What an actor word stands for: an entity when one is known, with the mention that names it."""

    entity: str | None
    text: str
    start: int
    end: int


class Antecedents:
    """Resolves pronoun and group actors of one document against its entities and quotes."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], quotes: Sequence[Quote], config: dict[str, Any]):
        self.doc, self.quotes = doc, quotes
        self.person = frozenset(config["person"])
        self.plural = frozenset(config["plural"])
        self.neuter = frozenset(config["neuter"])
        self.first_person = frozenset(config["first_person"])
        self.window = int(config["window_sentences"])
        self.leader_titles = frozenset(config["leader_titles"])
        self.leader_nouns = frozenset(config["leader_nouns"])
        self.group_sizes: dict[str, int] = config["group_sizes"]
        self.collective_heads = frozenset(config["collective_heads"])
        # (start, end, entity) for every named mention, in text order.
        self.mentions = sorted(
            ((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda mention: mention[:2]
        )
        self.sentence_of: dict[int, int] = {}
        for index, sent in enumerate(doc.sents):
            for token in sent:
                self.sentence_of[token.i] = index

    def antecedent(self, token: Token) -> Token | None:
        """For a third-person pronoun, the noun before it in its own sentence it refers to."""
        word = token.lower_
        if token.pos_ != "PRON" or word not in self.person | self.plural | self.neuter:
            return None
        return self._in_sentence(token, word)

    def referents(self, token: Token) -> list[Referent]:
        """The entities a pronoun with no antecedent in its sentence, or a 'two leaders' phrase,
        stands for; [] when the word names itself or nothing compatible is in reach."""
        word = token.lower_
        if token.pos_ == "PRON" and word in self.first_person:
            return self._speaker(token)
        if token.pos_ == "PRON" and word in self.person | self.plural | self.neuter:
            mention = self._preceding(token, word)
            return [mention] if mention is not None else []
        return self._group(token)

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity named last in a character span: the head of an English noun phrase comes
        last ("U.S. President Donald Trump" is Trump, "his Russian counterpart Vladimir Putin" Putin)."""
        overlapping = [(e, entity.id) for s, e, entity in self.mentions if s < end and start < e]
        return max(overlapping)[1] if overlapping else None

    # -- inside the sentence

    def _in_sentence(self, pronoun: Token, word: str) -> Token | None:
        """The subject of a clause above the pronoun, before it, agreeing with it."""
        node = pronoun
        while node.head != node:
            node = node.head
            for subject in (c for c in node.children if c.dep_ in SUBJECT_DEPS):
                if subject.i < pronoun.i and subject.pos_ != "PRON" and self._agrees(subject, word):
                    return subject
        return None

    def _agrees(self, noun: Token, word: str) -> bool:
        label = noun.ent_type_
        plural = (
            noun.tag_ in ("NNS", "NNPS")
            or any(c.dep_ == "conj" for c in noun.children)
            or noun.lemma_.lower() in self.collective_heads  # "a group of diplomats held their …"
        )
        if word in self.person:
            return label in PERSON_LABELS or (not label and noun.tag_ == "NN")
        if word in self.neuter:
            return label in GROUP_LABELS or (not label and noun.tag_ == "NN")
        return plural or label in GROUP_LABELS

    # -- across sentences

    def _preceding(self, pronoun: Token, word: str) -> Referent | None:
        """The nearest earlier entity mention of a compatible kind within the window."""
        first_sentence = self.sentence_of[pronoun.i] - self.window
        wanted = PERSON_LABELS if word in self.person else GROUP_LABELS
        best = None
        for start, end, entity in self.mentions:
            if start >= pronoun.idx:
                break
            if entity.type not in wanted:
                continue
            span = self.doc.char_span(start, end, alignment_mode="expand")
            if span is None or self.sentence_of[span.start] < first_sentence:
                continue
            best = Referent(entity.id, entity.name, start, end)
        return best

    def _speaker(self, token: Token) -> list[Referent]:
        for quote in self.quotes:
            speaker = quote.speaker
            if quote.content.start <= token.idx < quote.content.end and speaker is not None:
                return [Referent(speaker.entity, speaker.name or speaker.text, speaker.start, speaker.end)]
        return []

    # -- "the two leaders"

    def _group(self, token: Token) -> list[Referent]:
        size = next(
            (self.group_sizes[c.lower_] for c in token.children if c.dep_ in ("nummod", "det", "predet") and c.lower_ in self.group_sizes),
            None,
        )
        if size is None or token.lemma_.lower() not in self.leader_nouns:
            return []
        leaders: list[Referent] = []
        for start, end, entity in reversed(self.mentions):
            if start >= token.idx or len(leaders) == size:
                continue
            if entity.type in PERSON_LABELS and self._titled(start) and all(r.entity != entity.id for r in leaders):
                leaders.append(Referent(entity.id, entity.name, start, end))
        return list(reversed(leaders)) if len(leaders) == size else []

    def _titled(self, start: int) -> bool:
        """Whether a leader's title stands right before a mention ("President Putin")."""
        span = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None:
            return False
        return span.start > 0 and self.doc[span.start - 1].lemma_.lower() in self.leader_titles

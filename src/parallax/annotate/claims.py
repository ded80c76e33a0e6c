"""Claims: each sentence of an article that states something, with the slots a comparison needs.

A comparison of two tellings of one story meets paraphrase ("rescuers recovered 12 bodies" /
"at least a dozen people drowned"), so it aligns whole statements by meaning and then compares
their *slots*: how many of what, where, and with which stance. Those slots need the parse, and
the parse is gone once an article is annotated, so this component reads them here and the
annotation JSON keeps them (``"claims"``); a comparison from stored annotations parses nothing.

A claim is one sentence with a finite predicate (or a quote). Its slots:

- ``quantities``: every number (spaCy's CARDINAL, MONEY, PERCENT and QUANTITY entities, not
  dates or ordinals), with *what it counts* (the counted noun's lemma and phrase: "12 bodies" →
  ``body``; "800 billion yuan" → ``yuan``; "50 basis points" → ``point``), the predicate that
  governs it, and the interval its wording allows: "around 800" is not "exactly 800", "at
  least 12" is 12 or more, "tens of thousands" is 20,000–99,999, and a round figure is rounded
  ("$115 billion" admits 114.91). Two counts contradict only when their intervals are disjoint.
- ``places``: the named places a locative preposition attaches to the sentence's predicate
  ("killed in *Tripoli*", "roll off the deck near *Campbell River*"), not every place named.
- ``stance``: asserted, denied (a denial verb, or the predicate negated — by "not", or by a
  negative word as its subject, object or adverb: "none of them can be named", "no one was
  hurt", "never signed"), unconfirmed ("could not independently verify"; a verification verb
  negated, "did not confirm the death", which leaves it open), not_commented ("has
  not commented"), planned (will, plans to) or hypothetical (may, could, if; and what ought to
  be, "should have identified the hazard", which states that it was not). These are PLOVER's and
  the reporting codebooks' modalities.
- ``said_on``: the time the sentence gives its own saying ("…, the ministry said on Tuesday
  (Sep 20)"): it dates the statement, not what it reports, and the comparison leaves it out of
  the happening's dates.

Counting rules (approximation words and vague amounts) are in ``resources/claims.json``, each
word with the interval it allows.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span as SpacySpan, Token

from parallax.annotate.chains import source_nouns
from parallax.gazetteer import locate
from parallax.nlp import span_ents

NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Labels the small tagger gives place names it does not know ("in Aleppo" as NORP): taken for a
# place after a locative preposition when the gazetteer knows the name.
MISTAGGED_PLACE_LABELS = {"NORP", "ORG", "PERSON"}


@dataclass
class Quantity:
    """A number as the text gives it, the interval its wording allows, and what it counts."""

    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    approx: str | None  # the approximation word ("about", "at least", "tens of") or None
    head: str | None  # lemma of what is counted ("body", "yuan", "percent")
    noun: str | None  # the counted noun phrase as written
    verb: str | None  # lemma of the governing predicate
    # What a measure or share is of, when ``head`` is its unit: "winds of 155kmh" → "wind",
    # "a 15 per cent chance" → "chance"; None otherwise.
    measures: str | None = None
    # In a change ("doubling the 25% tariff to 50%", "rose to 31 from 26"): "from" for the value
    # before it, "to" for the value after; None for a count that states no change.
    change: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "value": self.value,
                "low": self.low, "high": None if math.isinf(self.high) else self.high,
                "approx": self.approx, "head": self.head, "noun": self.noun, "verb": self.verb,
                "measures": self.measures, "change": self.change}


@dataclass
class Place:
    start: int
    end: int
    text: str
    preposition: str
    verb: str | None


@dataclass
class Claim:
    """One stating sentence (or quote) and its comparison slots."""

    start: int
    end: int
    verb: str | None  # lemma of the main predicate (of the reported content when reported)
    stance: str = "asserted"
    negated: bool = False
    quantities: list[Quantity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    said_on: list[tuple[int, int]] = field(default_factory=list)  # the time of the saying, as character spans
    # Subordinate clauses (adverbial, relative) as character spans: what is said inside one is
    # background to the sentence, not its source ("Trump doubled the tariff after Ontario's
    # premier said he is adding a levy" is the outlet's statement).
    asides: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "verb": self.verb, "stance": self.stance,
                "negated": self.negated, "quantities": [q.to_json() for q in self.quantities],
                "places": [{"start": p.start, "end": p.end, "text": p.text, "preposition": p.preposition,
                            "verb": p.verb} for p in self.places],
                "said_on": [list(span) for span in self.said_on], "asides": [list(span) for span in self.asides]}


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """The counting and stance vocabulary (``resources/claims.json``)."""
    return json.loads(resources.files("parallax.resources").joinpath("claims.json").read_text("utf-8"))


def find_claims(doc: Doc) -> list[Claim]:
    """The stating sentences of a parsed article, in text order, with their slots."""
    claims = []
    for sentence in doc.sents:
        predicate = _predicate(sentence)
        quoted = any(t.is_quote for t in sentence)
        if predicate is None and not quoted:
            continue  # a label, a byline, a caption fragment: no statement to compare
        if sum(1 for t in sentence if t.is_alpha) < 4:
            continue
        if not quoted and _not_a_statement(sentence, predicate):
            continue
        content = _content_predicate(predicate) if predicate is not None else None
        stance, negated = _stance(sentence, predicate, content)
        claims.append(Claim(
            start=sentence.start_char,
            end=_trimmed_end(sentence),
            verb=content.lemma_.lower() if content is not None else None,
            stance=stance,
            negated=negated,
            quantities=_with_changes([q for ent in _number_spans(sentence) for q in read_quantities(ent)],
                                     _changes(sentence)),
            places=_places(sentence),
            said_on=_time_of_saying(predicate, content),
            asides=_asides(sentence, content),
        ))
    return claims


def _asides(sentence: SpacySpan, content: Token | None) -> list[tuple[int, int]]:
    """The sentence's adverbial and relative clauses that do not hold its (reported) predicate,
    as character spans: "after the premier said he is adding a levy", "who said the tariffs
    would help"."""
    out = []
    for token in sentence:
        if token.dep_ in ("advcl", "relcl"):
            subtree = list(token.subtree)
            if content is not None and subtree[0].i <= content.i <= subtree[-1].i:
                continue
            out.append((subtree[0].idx, subtree[-1].idx + len(subtree[-1])))
    return out


def sentence_claims(text: str) -> list[Claim]:
    """Claims of an article in a language the parser does not read: each sentence of four words
    or more (spaCy's rule-based multilingual sentencizer), with the figures it writes in digits.

    Without a parse there is no predicate, stance, place or counted noun, so such a claim aligns
    with other outlets' by meaning alone (the comparison's encoder is multilingual) and its
    figures are shown but never set against another count: what they count is not known.
    """
    claims = []
    for sentence in _sentencizer()(text).sents:
        if len(_WORDS.findall(sentence.text)) < 4:
            continue
        quantities = []
        for found in _DIGITS.finditer(sentence.text):
            parsed = parse_amount(found.group(0))
            if parsed is not None:
                value, low, high, approx = parsed
                start = sentence.start_char + found.start()
                quantities.append(Quantity(start, start + len(found.group(0)), found.group(0), value, low, high, approx,
                                           None, None, None))
        claims.append(Claim(start=sentence.start_char, end=_trimmed_end(sentence), verb=None, quantities=quantities))
    return claims


_WORDS = re.compile(r"\w+")
# A figure written in digits, with a thousands or decimal separator of either convention.
_DIGITS = re.compile(r"(?<![\w.,])\d{1,3}(?:[ ,.\u00a0]\d{3})+(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?(?![\d])")


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def _trimmed_end(sentence: SpacySpan) -> int:
    text = sentence.text
    return sentence.start_char + len(text.rstrip())


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _not_a_statement(sentence: SpacySpan, predicate: Token | None) -> bool:
    """A question ("Are you a print subscriber?") or a sentence addressed to the reader ("You
    may unsubscribe at any time", "By registering you agree to our privacy policy"): it tells
    of nothing that happened, and in a news text outside quotation marks it is the page's
    furniture or the writer's rhetoric, never a fact two outlets share. So is a credit line
    ("Ham Ji-ha contributed to this report", "VOA's Dari Service contributed reporting from
    Kabul"): it tells who wrote the report, not what happened, and one outlet ends many
    articles of a story with it, which the comparison would align as a fact they all tell."""
    last = next((t for t in reversed(sentence) if not t.is_space), None)
    if last is not None and last.text == "?":
        return True
    if predicate is None:
        return False
    if predicate.lemma_.lower() == "contribute" and any(t.lower_ in _CREDITED for t in predicate.subtree):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ == "you" for c in predicate.children)


# What a credit line says was contributed to: the report itself, or reporting for it.
_CREDITED = frozenset({"report", "story", "article", "reporting", "dispatch"})


def _predicate(sentence: SpacySpan) -> Token | None:
    """The sentence's finite verb with a subject, or None for a fragment."""
    root = sentence.root
    if root.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in root.children):
        return root
    for token in sentence:
        if token.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            return token
    # A finite root whose subject the parser hung elsewhere ("Of the 1,500 dead, around 530 are
    # children": "around" taken for a preposition) still states something; a label or caption
    # has no finite verb ("Photo: Reuters", "Read more").
    if root.pos_ in ("VERB", "AUX") and root.tag_ in _FINITE_TAGS:
        return root
    return None


def _content_predicate(predicate: Token) -> Token:
    """For a reporting sentence ("X said Y"), the predicate of what was reported (Y's verb).

    What is reported may also be the content clause of a noun: "could not verify the report
    that the driver had fled", "there was no confirmation that 30 soldiers were killed" state
    something about "fled" and "killed", which is what another outlet's telling is compared with.
    """
    reporting = predicate.lemma_.lower() in rules()["reporting_verbs"]
    if reporting:
        for child in predicate.children:
            if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
                return child
    if reporting or predicate.lemma_.lower() == "be":
        for argument in predicate.children:
            if argument.dep_ not in ("dobj", "nsubj", "nsubjpass", "attr") or argument.pos_ != "NOUN":
                continue
            for clause in argument.children:
                if clause.dep_ in ("acl", "ccomp") and clause.pos_ in ("VERB", "AUX") \
                        and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
                    return clause
    # "Y, X said": the reporting verb is a dependent of the content's verb; the root is content.
    return predicate


def _stance(sentence: SpacySpan, predicate: Token | None, content: Token | None) -> tuple[str, bool]:
    vocab = rules()["stance"]
    lowered = sentence.text.lower()
    if any(_said_by_someone(sentence, lowered.find(p)) for p in vocab["not_commented"] if p in lowered):
        return "not_commented", False
    if any(p in lowered for p in vocab["unconfirmed"]):
        return "unconfirmed", False
    if predicate is not None and _open_question(predicate) or _withheld_comment(sentence):
        return "not_commented", False
    negated = content is not None and _negated(content)
    lemmas = {t.lemma_.lower() for t in (predicate, content) if t is not None}
    if _denied_report(predicate, content) and not lemmas & set(vocab["denial_verbs"]):
        return "denied", True
    if lemmas & set(vocab["denial_verbs"]):
        return "denied", negated
    if negated:
        # Not confirming is no denial: "did not confirm the death of the driver" leaves the death
        # open (FactBank's underspecified, not counterfactual), as "could not verify" does.
        if lemmas & set(vocab["verification_verbs"]):
            return "unconfirmed", False
        return "denied", True
    if content is not None:
        auxiliaries = {c.lower_ for c in content.children if c.dep_ in ("aux", "auxpass")}
        heads = {content.head.lemma_.lower()} if content.dep_ == "xcomp" else set()
        if auxiliaries & set(vocab["hypothetical_modals"]) or any(c.lower_ == "if" for c in content.children if c.dep_ == "mark"):
            return "hypothetical", False
        if auxiliaries & set(vocab["planned_modals"]) or heads & set(vocab["plan_verbs"]):
            return "planned", False
    return "asserted", False


# Negative words that negate the predicate they depend on as its subject, object or adverb.
_NEGATIVE_WORDS = frozenset({"no", "none", "nobody", "nothing", "neither", "never", "nowhere", "no-one"})


def _negated(content: Token) -> bool:
    """Whether the predicate is negated: "not"/"n't", or a negative word as its subject, object or
    adverb ("none of the parties can be named", "no one was hurt", "never signed"): "cannot be
    named" and "none can be named" are one polarity."""
    for child in content.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "advmod", "attr"):
            # "no" opens the phrase ("there were no casualties"), not a compound inside it
            # ("it's a no signal area").
            if child.lower_ in _NEGATIVE_WORDS or child.left_edge.lower_ == "no" and child.left_edge.dep_ == "det":
                return True
    return False


def _time_of_saying(predicate: Token | None, content: Token | None) -> list[tuple[int, int]]:
    """The character spans of the time the sentence gives its own saying: a time the reporting
    verb itself takes ("the ministry said *on Tuesday (Sep 20)* that …", "…, police said
    *Monday*"), not one inside what is reported nor in a clause of its own ("Speaking ahead of
    Wednesday's hearing, X said": that dates the hearing). Empty when the sentence reports no one."""
    if predicate is None or content is None:
        return []
    reporting = set(rules()["reporting_verbs"])
    verb = predicate if content is not predicate and predicate.lemma_.lower() in reporting else next(
        (c for c in content.children if c.dep_ in ("parataxis", "ccomp", "advcl")
         and c.lemma_.lower() in reporting and c.i > content.i), None)
    if verb is None:
        return []
    spans = []
    for child in verb.children:
        if child.dep_ in ("prep", "npadvmod") and any(t.ent_type_ in ("DATE", "TIME") for t in child.subtree):
            words = list(child.subtree)
            spans.append((words[0].idx, words[-1].idx + len(words[-1].text)))
    return spans


def _open_question(predicate: Token) -> bool:
    """Whether the sentence says its subject gave no answer: a negated predicate over a question
    ("Police did not say whether the suspect was armed", "would not say when the talks resume",
    "did not disclose how much it paid"). It states nothing either way, so it is no assertion
    of what it asks; for a comparison it is a silence on it, as "has not commented" is."""
    if not any(c.dep_ == "neg" for c in predicate.children):
        return False
    for clause in predicate.children:
        if clause.dep_ in ("ccomp", "xcomp", "dobj") and clause.left_edge.i > predicate.i:
            first = clause.left_edge
            if first.lower_ in ("whether", "if") or first.tag_ in ("WRB", "WDT", "WP"):
                return True
    return False


# The acts of answering a reporter's question, as news reports their absence: "did not respond
# to a request for comment", "did not immediately reply", "declined to discuss the matter", "has
# yet to comment", "did not return calls seeking comment", "did not answer requests".
_ANSWERING_VERBS = frozenset({"comment", "respond", "reply", "answer", "discuss"})
# What is returned or answered when a reporter gets no answer.
_REQUESTS = frozenset({"call", "message", "request", "email", "inquiry", "query", "question"})
_WITHHOLDING_VERBS = frozenset({"decline", "refuse"})


# Subjects that stand for people: a pronoun that is not a thing's ("it", "this").
_PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "who", "someone", "anyone", "nobody"})


def _said_by_someone(sentence: SpacySpan, at: int) -> bool:
    """Whether a silence phrase found at character ``at`` of the sentence is someone's silence:
    its verb's subject is a name, a personal pronoun or a noun for a person or a body ("the
    ministry could not be reached", "Pfizer did not respond"), or the phrase has no subject to
    read ("no immediate comment"). "An agreement could not be reached" and "the engine did not
    respond" use the words of a silence for a thing."""
    start = sentence.start_char + at
    token = next((t for t in sentence if t.idx >= start), None)
    return token is None or _may_answer(token if token.dep_ not in ("aux", "auxpass", "neg") else token.head)


def _may_answer(verb: Token) -> bool:
    """Whether the subject of a verb of (not) answering can answer the press (see
    ``_said_by_someone``). A sentence that names the press's request ("It did not respond to
    requests for comment", "could not be reached for comment") is a silence whatever its
    subject; a verb with no subject read is given the benefit of the doubt."""
    if any(t.lemma_.lower() in _REQUESTS or t.lemma_.lower() == "comment" for t in verb.subtree):
        return True
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return True
    if subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or subject.pos_ == "PROPN":
        return True
    if subject.pos_ == "PRON":
        return subject.lower_ in _PERSONAL_PRONOUNS
    return subject.lemma_.lower() in source_nouns() or subject.lower_ in source_nouns()


def _withheld_comment(sentence: SpacySpan) -> bool:
    """Whether the sentence says someone gave the press no answer, however it is worded (the
    phrases of ``stance.not_commented`` are the common wordings; this reads the form): an
    answering verb negated or declined ("did not immediately reply to a request for comment",
    "declined to discuss the matter", "has yet to comment"), a request not returned ("did not
    return calls"), "no comment", "(not) available for comment", "remained silent"."""
    for token in sentence:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and (lemma in _ANSWERING_VERBS or lemma == "return" and any(
                c.dep_ == "dobj" and c.lemma_.lower() in _REQUESTS for c in token.children)):
            governor = token.head if token.dep_ == "xcomp" else None
            if (any(c.dep_ == "neg" or c.lower_ == "never" for c in token.children)
                    or governor is not None and (governor.lemma_.lower() in _WITHHOLDING_VERBS
                                                 or any(c.lower_ == "yet" for c in governor.children))) \
                    and _may_answer(governor or token):
                return True
        if lemma == "comment" and token.pos_ == "NOUN":
            if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
                return True
            available = token.head.head if token.dep_ == "pobj" and token.head.lower_ == "for" else None
            if available is not None and (available.lower_ == "unavailable" or available.lower_ == "available" and any(
                    c.dep_ == "neg" for c in (*available.children, *available.head.children))):
                return True
        if token.lower_ == "silent" and token.dep_ == "acomp" and token.head.lemma_.lower() in ("remain", "stay", "keep"):
            return True
    return False


def _denied_report(predicate: Token | None, content: Token | None) -> bool:
    """Whether the sentence says a source did not state what it reports: "Bennett did not
    allege that women are persecuted" denies that claim as his (an open question, "did not say
    whether", is a silence: ``_open_question``, read first)."""
    return predicate is not None and content is not None and content is not predicate \
        and predicate.lemma_.lower() in rules()["reporting_verbs"] and _negated(predicate)


def _places(sentence: SpacySpan) -> list[Place]:
    """Named places a locative preposition ties to a predicate of the sentence, directly ("in
    Mosul") or through the place noun it names ("in the northern city of Kirkuk")."""
    locative = set(rules()["locative_prepositions"])
    places = []
    for ent in span_ents(sentence):
        if ent.label_ not in PLACE_LABELS and ent.label_ not in MISTAGGED_PLACE_LABELS:
            continue
        head = ent.root.head
        if ent.root.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN" \
                and head.head.dep_ == "pobj" and head.head.head.lower_ in locative:
            head = head.head.head  # "in the northern city of Kirkuk": the place the city is
        if ent.root.dep_ != "pobj" or head.lower_ not in locative:
            continue
        if ent.label_ not in PLACE_LABELS and locate(ent.text) is None:
            continue  # "at Reuters", "in Trump's": no place the gazetteer knows
        governor = head.head
        while governor.pos_ not in ("VERB", "AUX") and governor.dep_ not in ("ROOT",) and governor.head is not governor:
            if governor.dep_ == "pobj" and governor.head.lower_ in ("of",):  # "north of X"
                governor = governor.head.head
                continue
            governor = governor.head
        places.append(Place(ent.start_char, ent.end_char, ent.text, head.lower_,
                            governor.lemma_.lower() if governor.pos_ in ("VERB", "AUX") else None))
    return places


# --- numbers ---------------------------------------------------------------------------------
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


# Two figures in one entity: "$106 trillion to $127 trillion", "10 to 20 million", "between 5 and 7".
_TWO_FIGURES = re.compile(r"^(.*?\d.*?)\s+(?:to|and|or)\s+(.*?\d.*)$|^(.*?\d[\d,.]*)\s*[-–]\s*(\d.*)$")


def _changes(sentence: SpacySpan) -> dict[int, str]:
    """Character offsets of the numbers a change verb takes "from" and "to" ("raised rates from
    4% to 5%", "the toll rose to 31"), by the preposition over each (``change_verbs`` in
    ``resources/claims.json``)."""
    verbs = set(rules()["change_verbs"])
    roles = {}
    for token in sentence:
        if token.dep_ == "pobj" and token.head.lower_ in ("from", "to") and token.head.head.lemma_.lower() in verbs \
                and (token.like_num or token.ent_type_ in NUMBER_LABELS):
            roles[token.idx] = token.head.lower_
    return roles


def _with_changes(quantities: list[Quantity], roles: dict[int, str]) -> list[Quantity]:
    """The counts with their part in a change: the figure after "to" is the new value, the one
    after "from" the old; given only the new one, another count of the same thing in the
    sentence is the old ("doubling the 25% tariff to 50%"). "From 4% to 5%" is one entity of
    two figures: its first is the old value, its second the new."""
    for q in quantities:
        for offset, role in roles.items():
            if q.start <= offset < q.end or q.start <= offset + 1 < q.end:
                q.change = role
    for first, second in zip(quantities, quantities[1:]):
        if "from" in (first.change, second.change) and "to" not in (first.change, second.change) \
                and second.start - first.end <= len(" to "):
            first.change, second.change = "from", "to"  # "from 4% to 5%", one entity of two figures
    for q in quantities:
        if q.change is None and any(other.change == "to" and other.head == q.head and q.head for other in quantities) \
                and not any(other.change == "from" and other.head == q.head for other in quantities):
            q.change = "from"
    return quantities


# One-word approximations that the parser also reads as prepositions ("lies over 900km east").
_APPROXIMATING_PREPOSITIONS = frozenset({"over", "under", "about", "around"})


def _number_spans(sentence: SpacySpan) -> list[SpacySpan]:
    """The sentence's numbers: its number entities, and a count the entity recogniser left out
    ("a train with approximately 900 people on board"): a number outside every entity that
    modifies a noun (dependency ``nummod``), with the words that qualify it ("approximately")."""
    doc = sentence.doc
    found = [(ent.start, ent.end, ent.label_) for ent in span_ents(sentence) if ent.label_ in NUMBER_LABELS]
    found += [(token.i, token.i + 1, "CARDINAL") for token in sentence
              if token.like_num and token.dep_ == "nummod" and token.head.pos_ == "NOUN" and not token.ent_type_]
    spans = []
    for start, end, label in sorted(found):
        # The recogniser may leave the qualifier out ("Over [six dozen] minerals"), and the
        # parser may hang it elsewhere, as a preposition ("lies over [900km] east"): right before
        # a figure these words qualify it.
        while start > sentence.start and doc[start - 1].dep_ in ("quantmod", "advmod") \
                and start <= doc[start - 1].head.i < end:
            start -= 1
        if start > sentence.start and doc[start - 1].lower_ in _APPROXIMATING_PREPOSITIONS:
            start -= 1
        spans.append(SpacySpan(doc, start, end, label=label))
    return spans


def read_quantities(ent: SpacySpan) -> list[Quantity]:
    """A number entity as values, the interval each one's wording allows, and the thing they
    count. spaCy gives "from $106 trillion to $127 trillion" as one MONEY entity: each figure is
    its own count here (a scale word given once, "10 to 20 million", scales both), since read as
    one figure the text would be 106 trillion trillion."""
    if _refers_back(ent):
        return []
    head, noun = _counted(ent)
    verb = _governor(ent)
    pieces = [(ent.start_char, ent.text)]
    found = _TWO_FIGURES.match(ent.text)
    if found:
        first, second = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
        if _scale(first.lower()) == 1.0:
            scale_words = [w for w in re.findall(r"[a-z]+", second.lower()) if w in rules()["scale_words"]]
            first = " ".join([first, *scale_words])
        pieces = [(ent.start_char, first), (ent.start_char + ent.text.rindex(second), second)]
    out = []
    for start, text in pieces:
        parsed = parse_amount(text)
        if parsed is None:
            continue
        value, low, high, approx = parsed
        end = start + len(text) if text in ent.text else ent.end_char
        out.append(Quantity(start, min(end, ent.end_char), text, value, low, high, approx, head, noun, verb,
                            measures=_measured(ent, head)))
    return out


def _refers_back(ent: SpacySpan) -> bool:
    """Whether a number written as a word is part of a definite description ("the two leaders",
    "these three countries"): it names who was already introduced and states no count."""
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    words = ent.text.lower().split()
    if words and words[0] in ("the", "these", "those"):
        before, words = words[0], words[1:]
    return before in ("the", "these", "those") and bool(words) and all(w.isalpha() for w in words) \
        and all(w in rules()["number_words"] for w in words)


def parse_amount(text: str) -> tuple[float, float, float, str | None] | None:
    """``(value, low, high, approximation)`` for a number as written, or None if none is there.

    The interval: a vague amount's own range ("dozens" 24–99); an approximation word's
    (``resources/claims.json``: "nearly 2,000" is 1,700–2,000, "more than 10,000" from 10,000
    up); else the rounding the written digits imply (800 → 750–850, 114.91 → 114.905–114.915,
    12 → 12), never looser than "about" the same figure: a writer who drops "about" claims no
    less precision than one who writes it, so "100" is 85–115, not 50–150.
    """
    vocab = rules()
    lowered = " ".join(text.lower().replace("–", "-").split())
    lowered = re.sub(r"^the\s+", "", lowered)
    scale = _scale(lowered)
    vague = next((phrase for phrase in sorted(vocab["vague_amounts"], key=len, reverse=True)
                  if re.search(rf"\b{re.escape(phrase)}\b", lowered)), None)
    if vague is not None:
        scale = _scale(re.sub(rf"\b{re.escape(vague)}\b", " ", lowered))  # "a dozen" is no scale word
        low, high = (bound * scale for bound in vocab["vague_amounts"][vague])
        value = (low + high) / 2
    else:
        number, digits = _value(lowered)
        if number is None:
            return None
        low, high = _rounding(digits, scaled=scale > 1) if digits is not None else (number, number)
        value, low, high = number * scale, low * scale, high * scale
        loosest_low, loosest_high = vocab["approximations"]["about"]
        low, high = max(low, value * loosest_low), min(high, value * loosest_high)
    approx = vague
    for phrase, (factor_low, factor_high) in sorted(vocab["approximations"].items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<![\w-]){re.escape(phrase)}\b", lowered):
            upper = math.inf if factor_high is None else value * factor_high
            if vague is None:  # the word says how far the figure may be off, in which direction
                approx, low, high = phrase, value * factor_low, upper
            else:  # "more than a dozen": the vague range, opened or widened by the word
                approx, low, high = f"{phrase} {vague}", min(low, value * factor_low), max(high, upper)
            break
    return value, low, high, approx


def _value(lowered: str) -> tuple[float | None, str | None]:
    """The number's value and its digits (as written, or those of a figure in words), for
    their rounding."""
    found = _NUMBER.search(lowered)
    if found:
        digits = found.group(0).replace(",", "")
        number = float(digits)
        # A figure of 309 digits or more is beyond a float (and any count): no amount at all, not
        # an OverflowError that costs the article its annotation (E197, found by fuzz.py).
        return (number, digits) if math.isfinite(number) else (None, None)
    words = rules()["number_words"]
    total, current, seen = 0.0, 0.0, False
    for word in re.findall(r"[a-z]+", lowered):
        if word in words:
            current += words[word]
            seen = True
    if seen:
        total += current
        # A figure in words is rounded as its digits would be: "three million" is "3 million"
        # (2.5-3.5 million, no looser than "about"), "five" is 5.
        return total, (f"{total:.0f}" if total.is_integer() else None)
    if _scale(lowered) > 1:  # "a million", "hundred"
        return 1.0, None
    return None, None


def _scale(lowered: str) -> float:
    scales = rules()["scale_words"]
    factor = 1.0
    for word in re.findall(r"[a-z]+", lowered):
        if word in scales:
            factor *= scales[word]
    return factor


def _rounding(digits: str, scaled: bool) -> tuple[float, float]:
    """The interval a written figure stands for: 800 → [750, 850], 12 → [12, 12], 1.5 → [1.45,
    1.55]; before a scale word its last digit is rounded too ("115 billion": 114.5–115.5)."""
    if "." in digits:
        places = len(digits.split(".")[1])
        half = 0.5 * 10 ** -places
    else:
        stripped = digits.lstrip("0") or "0"
        zeros = len(stripped) - len(stripped.rstrip("0"))
        if stripped == "0" or (zeros == 0 and not scaled):
            return float(digits), float(digits)
        half = 0.5 * 10 ** zeros
    value = float(digits)
    return value - half, value + half


def _counted(ent: SpacySpan) -> tuple[str | None, str | None]:
    """What a number counts: its unit for money and percentages, else the noun it modifies."""
    vocab = rules()
    if ent.label_ == "PERCENT":
        return "percent", ent.text
    for token in ent:
        unit = vocab["currency"].get(token.lower_) or vocab["currency"].get(token.text)
        if unit:
            return unit, ent.text
    root = ent.root
    # "tens of thousands of people", "12 of the miners": the noun after "of".
    for token in [root, *ent]:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of" and not (ent.start <= child.i < ent.end and child.i + 1 < ent.end):
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return objects[0].lemma_.lower(), _phrase(objects[0])
    if root.dep_ in ("nummod", "quantmod", "npadvmod", "compound", "amod") and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head.lemma_.lower(), _phrase(root.head)
    # The entity itself may end in its noun ("50 basis points" as a QUANTITY); a scale word
    # ("six dozen", "two million") is part of the figure, never what it counts.
    nouns = [t for t in ent if t.pos_ == "NOUN" and t.lower_ not in vocab["scale_words"]]
    if nouns:
        return nouns[-1].lemma_.lower(), ent.text
    # The parse may attach the number elsewhere ("all but about 50 sellers", "over six dozen
    # minerals" with the entity's own scale word for its head); a plural noun right after it is
    # still what it counts.
    following = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if following is not None and following.tag_ == "NNS":
        return following.lemma_.lower(), ent.doc[ent.start : ent.end + 1].text
    return None, None


def _measured(ent: SpacySpan, head: str | None) -> str | None:
    """What a figure given in a unit measures: the noun of which it is the amount ("winds of
    155kmh", "a rate of 4.5 per cent") or that it qualifies ("a 15 per cent chance"), when that
    noun is not the counted head itself. Two outlets' "winds of 155kmh" and "winds of 169kmh"
    measure one thing, whatever their verbs."""
    amount = ent.root
    if amount.dep_ in ("nummod", "compound", "quantmod") and amount.head.pos_ == "NOUN" and amount.head.lemma_.lower() == head:
        amount = amount.head  # "155" of "155 kmh": the amount is the unit's phrase
    if amount.dep_ == "pobj" and amount.head.lower_ == "of" and amount.head.head.pos_ == "NOUN":
        noun = amount.head.head
    elif amount.dep_ in ("nummod", "compound", "amod", "npadvmod") and amount.head.pos_ == "NOUN" \
            and not ent.start <= amount.head.i < ent.end:
        noun = amount.head
    else:
        return None
    lemma = noun.lemma_.lower()
    return lemma if lemma != head else None


def _phrase(noun: Token) -> str:
    """A noun with its modifiers (not its relative clauses): "civilians", "non-native salmon"."""
    left = min([noun.i, *(c.i for c in noun.lefts if c.dep_ in ("amod", "compound", "nummod", "det", "poss", "quantmod"))])
    doc = noun.doc
    return doc[left : noun.i + 1].text


def _governor(ent: SpacySpan) -> str | None:
    token = ent.root
    for _ in range(4):
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token.lemma_.lower()
        if token.head is token:
            break
    return None

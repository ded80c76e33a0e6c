"""Events: what happened, coded in PLOVER (event, mode, context) with the CAMEO code where one maps.

The coder reads spaCy's dependency parse, clause by clause:

1. **Triggers.** A verb or event noun from the curated lexicon (``resources/plover_lexicon.json``)
   marks an event-bearing clause. A trigger names a CAMEO code; the PLOVER event, mode and
   context it maps to come from ``resources/plover_codebook.json``, which
   ``scripts/build_plover_patterns.py`` distils from CAMEO2PLOVER and checks the lexicon against.
   Event nouns ("a suicide bombing", "held talks") are anchored on their light or happening verb.
2. **Status.** Walking up from the trigger: a negation, a modal ("could anger", "would hold
   accountable"), a planning or requesting governor ("expecting Trump to formalize") or an
   ``if`` clause mark the event negated, hypothetical or planned; a clause under a speech verb
   or inside a quote is *reported*. Only asserted and reported events describe facts.
3. **Arguments.** Actor, target, place and date are read from the trigger's own clause and
   nothing else: the grammatical subject (or the ``by`` agent), the object or an
   event-specific preposition, a place entity under a locative preposition, and a time
   expression (from ``annotate/timex.py``, when given) inside the clause. An argument that
   is not in the sentence is left empty rather than borrowed from another sentence, with two
   bounded exceptions: a pronoun or "the two leaders" stands for the entity it refers to
   (``annotate/event_actors.py``), and an undated event "during a phone call" takes the date
   of the article's one dated call between the same two entities (the text names the
   occasion; an unrelated sentence cannot lend a date).
   Verbal events with neither actor nor target are dropped as mentions ("a great deal of
   uncertainty"), as are arrests and charges in sentences about ordinary crime, deaths in
   natural or industrial disasters, repeats of an event in its sentence, and anything in a
   Title Case headline line, which the small model cannot parse.
4. **Source.** ``according_to`` is the innermost source of the reported speech the evidence
   lies in: "citing X" or "according to X" first, then the speaker of the quote that contains
   the trigger (``quotes``, when given), then the subject of the governing speech verb.

Events are returned most salient first: by sentence (the lead tells what the story is about),
facts first, then what was announced for the future, then what is only supposed or denied, then
by clause depth (the main clause before what hangs from it), verbs before nouns.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Sequence

from spacy.tokens import Doc, Span as TokenSpan, Token

from parallax.annotate.event_actors import Antecedents, Referent
from parallax.nlp import doc_text, entity_span
from parallax.model import Entity, Event, Quote, Span, Timex

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
OBJECT_DEPS = ("dobj", "obj")
# Children that open a clause of their own: their words are not this clause's arguments.
CLAUSE_DEPS = ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj", "pcomp")
# Links through which a verb shares the subject of the verb it hangs from.
SUBJECT_SHARING_DEPS = ("xcomp", "conj", "advcl", "pcomp", "acomp")  # acomp: "Syria is willing to withdraw"
PHRASE_DEPS = ("det", "poss", "amod", "compound", "nmod", "nummod", "quantmod", "case", "flat", "punct")
PLACE_LABELS = ("GPE", "LOC", "FAC")
# "March 20", "Operation Protective Edge", "Strike Force": words inside such names trigger nothing.
NON_TRIGGER_ENTITIES = ("DATE", "TIME", "PERSON", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "WORK_OF_ART", "LAW")
ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")
# Governors of getting ready: an armed actor readying an attack mobilizes (PLOVER MOBILIZE).
READINESS = ("prepare", "prepared", "ready", "poise")
# PLOVER sectors of state and armed parties: their violence at a protest is no riot.
ARMED_SECTORS = ("GOV", "MIL", "COP", "REB", "UAF")
DATE_TYPES = ("DATE", "TIME")
RELATIVE_PRONOUNS = ("who", "which", "that", "whom")
# The order statuses override each other: a negated plan is negated, a reported plan planned.
STATUS_ORDER = ("negated", "hypothetical", "planned", "reported", "asserted")
FACT_STATUSES = ("asserted", "reported")
# What a request, rejection or refusal is about, from the event it governs (PLOVER modes).
REQUEST_MODES = {
    "CONSULT": "meet", "AGREE": "meet", "RETREAT": "yield", "CONCEDE": "yield",
    "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist",
}


# --- Resources -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry resolved against the codebook: a lemma that marks an event."""

    lemma: str
    pos: str
    event: str
    mode: str | None
    context: str | None
    cameo: str | None
    explicit_mode: bool  # the lexicon fixes the mode; cue words in the sentence do not change it
    particle: str | None = None
    preposition: str | None = None
    objects: frozenset[str] = frozenset()
    prep_objects: frozenset[str] = frozenset()
    needs_compound: frozenset[str] = frozenset()
    not_compound: frozenset[str] = frozenset()
    not_subject: frozenset[str] = frozenset()
    not_preps: frozenset[str] = frozenset()  # "slammed into the coast" is no criticism
    subjects: frozenset[str] = frozenset()  # the trigger counts only with one of these subjects
    needs_xcomp: bool = False
    needs_xcomp_object: bool = False


@dataclass(frozen=True)
class Patterns:
    """The lexicon and codebook, loaded once per process."""

    triggers: dict[tuple[str, str], tuple[Trigger, ...]]
    cameo: dict[str, dict[str, Any]]
    mode_cues: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]
    mode_cameo: dict[str, dict[str, str]]
    governors: dict[str, frozenset[str]]
    hypothetical: frozenset[str]
    planned: frozenset[str]
    future_in_past: frozenset[str]
    conditional_marks: frozenset[str]
    negators: frozenset[str]
    speech_verbs: frozenset[str]
    reporting_denial: frozenset[str]
    citing: frozenset[str]
    light_verbs: frozenset[str]
    happening_verbs: frozenset[str]
    place_preps: frozenset[str]
    target_preps: dict[str, frozenset[str]]
    symmetric_events: frozenset[str]
    future_as_agree: dict[str, str]  # event announced for the future -> the CAMEO "intent" code
    future_as_threaten: frozenset[str]
    obligation: frozenset[str]
    planned_modifiers: frozenset[str]
    disaster_cues: re.Pattern[str]
    violent_cues: re.Pattern[str]
    disaster_events: frozenset[str]
    crime_cues: re.Pattern[str]
    political_cues: re.Pattern[str]
    crime_events: frozenset[str]
    partyless_events: frozenset[str]
    observer_verbs: frozenset[str]
    violent_verbs: frozenset[str]
    party_nouns: frozenset[str]
    protest_actors: frozenset[str]
    sectors: dict[str, re.Pattern[str]]
    countries: dict[str, re.Pattern[str]]
    sector_words: frozenset[str] = field(default=frozenset())
    coreference: dict[str, Any] = field(default_factory=dict)
    obligation_trigger: Trigger | None = None
    title_case: dict[str, Any] = field(default_factory=dict)
    collective_heads: frozenset[str] = field(default=frozenset())
    measure_heads: frozenset[str] = field(default=frozenset())

    def governor_kind(self, lemma: str) -> str | None:
        for kind in ("negating", "delegating", "requesting", "committing", "planning", "continuing", "attempting"):
            if lemma in self.governors[kind]:
                return kind
        return None


def _resource(name: str) -> dict[str, Any]:
    return json.loads(resources.files("parallax").joinpath("resources", name).read_text("utf-8"))


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex for a list of phrases: lowercase phrases match in any case and in the plural,
    phrases with a capital (abbreviations such as "US", "UN", "WHO") only as written, so "us"
    and "who" do not."""
    ordered = sorted(phrases, key=len, reverse=True)
    parts = [
        re.escape(p) if any(c.isupper() for c in p) else "(?i:" + re.escape(p) + "(?:e?s)?)" for p in ordered
    ]
    return re.compile(r"(?<![\w@])(?:" + "|".join(parts) + r")(?![\w])")


def _resolve(entry: dict[str, Any], cameo: dict[str, dict[str, Any]]) -> Trigger:
    mapped = cameo.get(entry.get("cameo") or "", {})
    contexts = mapped.get("context") or []
    return Trigger(
        lemma=entry["lemma"],
        pos=entry["pos"],
        event=entry["event"] if "event" in entry else mapped["event"],  # every trigger names its event
        mode=entry.get("mode", mapped.get("mode")),
        context=contexts[0] if contexts else None,
        cameo=entry.get("cameo"),
        explicit_mode="mode" in entry,
        particle=entry.get("prt"),
        preposition=entry.get("prep"),
        objects=frozenset(entry.get("obj", ())),
        prep_objects=frozenset(entry.get("prep_obj", ())),
        needs_compound=frozenset(entry.get("needs_compound", ())),
        not_compound=frozenset(entry.get("not_compound", ())),
        not_subject=frozenset(entry.get("not_subj", ())),
        not_preps=frozenset(entry.get("not_prep", ())),
        subjects=frozenset(entry.get("subj", ())),
        needs_xcomp=bool(entry.get("needs_xcomp")),
        needs_xcomp_object=bool(entry.get("needs_xcomp_object")),
    )


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """The trigger lexicon resolved against the CAMEO→PLOVER table (cached)."""
    lex, book = _resource("plover_lexicon.json"), _resource("plover_codebook.json")
    cameo = book["cameo"]
    triggers: dict[tuple[str, str], list[Trigger]] = {}
    # Curated entries first (they carry constraints), then verbs derived from CAMEO's descriptions.
    for entry in lex["triggers"] + book.get("derived_triggers", []):
        trigger = _resolve(entry, cameo)
        triggers.setdefault((trigger.lemma, trigger.pos), []).append(trigger)
    # Constrained entries (a particle, an object) are tried before the plain entry of a lemma.
    ordered = {
        key: tuple(sorted(group, key=lambda t: not (
            t.particle or t.objects or t.prep_objects or t.preposition or t.needs_compound or t.subjects
        )))
        for key, group in triggers.items()
    }
    cues = {
        event: tuple((mode, _phrase_pattern(words)) for mode, words in modes)
        for event, modes in lex["mode_cues"].items()
    }
    modality, actors = lex["modality"], lex["actors"]
    return Patterns(
        triggers=ordered,
        cameo=cameo,
        mode_cues=cues,
        mode_cameo=lex["mode_cameo"],
        governors={kind: frozenset(words) for kind, words in lex["governors"].items()},
        hypothetical=frozenset(modality["hypothetical"]),
        planned=frozenset(modality["planned"]),
        future_in_past=frozenset(modality["future_in_past"]),
        conditional_marks=frozenset(modality["conditional_marks"]),
        negators=frozenset(modality["negators"]),
        speech_verbs=_speech_verbs(lex, ordered),
        reporting_denial=frozenset(lex["reporting_denial"]),
        citing=frozenset(lex["citing"]),
        light_verbs=frozenset(lex["light_verbs"]),
        happening_verbs=frozenset(lex["happening_verbs"]),
        place_preps=frozenset(lex["place_preps"]),
        target_preps={event: frozenset(preps) for event, preps in lex["target_preps"].items()},
        symmetric_events=frozenset(lex["symmetric_events"]),
        future_as_agree=dict(lex["future_as_agree"]),
        future_as_threaten=frozenset(lex["future_as_threaten"]),
        obligation=frozenset(modality["obligation"]),
        planned_modifiers=frozenset(modality["planned_modifiers"]),
        disaster_cues=_phrase_pattern(lex["disaster_cues"]),
        violent_cues=_phrase_pattern(lex["violent_actor_cues"]),
        disaster_events=frozenset(lex["disaster_events"]),
        crime_cues=_phrase_pattern(lex["crime_cues"]),
        political_cues=_phrase_pattern(lex["political_cues"]),
        crime_events=frozenset(lex["crime_events"]),
        partyless_events=frozenset(lex["partyless_events"]),
        observer_verbs=frozenset(lex["observer_verbs"]),
        violent_verbs=frozenset(lex["violent_verbs"]),
        party_nouns=frozenset(lex["party_nouns"]),
        protest_actors=frozenset(lex["protest_actors"]),
        sectors={code: _phrase_pattern(words) for code, words in actors["sectors"].items()},
        countries={code: _phrase_pattern(words) for code, words in actors["countries"].items()},
        sector_words=frozenset(w for words in actors["sectors"].values() for w in words if " " not in w),
        coreference=lex["coreference"],
        obligation_trigger=_resolve({"lemma": "must", "pos": "VERB", "cameo": "100"}, cameo),
        title_case=lex["title_case"],
        collective_heads=frozenset(lex["coreference"]["collective_heads"]),
        measure_heads=frozenset(lex["measure_heads"]),
    )


def _speech_verbs(lex: dict[str, Any], triggers: dict[tuple[str, str], tuple[Trigger, ...]]) -> frozenset[str]:
    """Verbs that report what was said: the coder's own, and the quote finder's verbs of
    speech (``cues.json``), so "reiterated that Libya must hand over the suspects" is reported
    speech for both layers. The quote finder's verbs that are acts of their own here (a
    trigger: "urged", "accused"), that govern an event's status ("promised to", "asked X
    to"), or that hold, doubt or reject a belief rather than say something ("fears",
    "disputes") keep their own reading."""
    cues = _resource("cues.json")
    governors = {verb for verbs in lex["governors"].values() for verb in verbs}
    acts = {lemma for lemma, pos in triggers if pos == "VERB"}
    held = set(cues["belief_verbs"]) | set(cues["cognition_verbs"]) | set(cues["rejecting_verbs"]) | set(lex["reporting_denial"])
    said = set(cues["verbs"]) - governors - acts - held
    return frozenset(lex["speech_verbs"]) | said


# --- Small parse helpers -------------------------------------------------------------------


def _children(token: Token, deps: Sequence[str]) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def _pobj(prep: Token) -> Token | None:
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)


def _preps(token: Token) -> Iterable[tuple[str, Token]]:
    """(preposition, object) pairs hanging from a token ("in Helsinki", "according to X")."""
    for child in token.children:
        if child.dep_ == "prep":
            obj = _pobj(child)
            if obj is None:  # "according to X": the object hangs from the second preposition
                inner = next((c for c in child.children if c.dep_ == "prep"), None)
                obj = _pobj(inner) if inner is not None else None
            if obj is not None:
                yield child.lower_, obj
        elif child.dep_ == "agent":
            obj = _pobj(child)
            if obj is not None:
                yield "by", obj


def _entity(token: Token) -> TokenSpan | None:
    return entity_span(token)


def noun_phrase(head: Token) -> TokenSpan:
    """The noun phrase a head stands for, without a leading article or trailing conjuncts:
    "his national security adviser", "Russian President Vladimir Putin", "Washington, D.C."."""
    tokens = {head.i}
    for child in head.children:
        if child.dep_ in PHRASE_DEPS and child.i < head.i:
            tokens.update(t.i for t in child.subtree)
        elif child.dep_ == "prep" and child.lower_ == "of" and head.lemma_.lower() in patterns().collective_heads:
            tokens.update(t.i for t in child.subtree)  # "thousands of Iraqi Kurds": the Kurds act
        elif child.dep_ in ("appos", "flat", "compound") and child.i > head.i and child.pos_ == "PROPN":
            tokens.update(t.i for t in child.subtree if t.dep_ not in ("punct", "cc", "conj"))
    ent = _entity(head)
    if ent is not None:
        tokens.update(range(ent.start, ent.end))
    start, end = min(tokens), max(tokens) + 1
    doc = head.doc
    dash = next((t.i for t in doc[start:head.i] if t.text in ("-", "—", "–", "--") and t.whitespace_), None)
    if dash is not None:
        start = dash + 1  # "MOSCOW - U.S. President Donald Trump": the dateline is not the actor
    while start < end - 1 and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text not in (".",):
        end -= 1
    return doc[start:end]


def _place_phrase(token: Token) -> TokenSpan | None:
    """A place entity at a token, joined with a following ", Finland" / ", D.C." entity."""
    ent = _entity(token)
    if ent is None or ent.label_ not in PLACE_LABELS:
        return None
    doc, end = token.doc, ent.end
    if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].ent_type_ in PLACE_LABELS:
        nxt = _entity(doc[end + 1])
        if nxt is not None and nxt.label_ == "GPE" and len(nxt) <= 2 and nxt.text.replace(".", "").isupper():
            end = nxt.end  # "Washington, D.C." is one place; "Helsinki, Finland" stays Helsinki
    return doc[ent.start:end]


def _clause_tokens(anchor: Token) -> set[int]:
    """Indices of the tokens of the anchor's own clause (its subtree minus embedded clauses)."""
    inside = {anchor.i}
    stack = list(anchor.children)
    while stack:
        token = stack.pop()
        if token.dep_ in CLAUSE_DEPS and token.pos_ in ("VERB", "AUX"):
            continue
        inside.add(token.i)
        stack.extend(token.children)
    return inside


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, borrowed from the verb it depends on when it has none; the
    object of an object-control verb ("urged Iran to release …") is the subject of the xcomp."""
    current = verb
    for _ in range(4):
        subjects = _children(current, SUBJECT_DEPS)
        if subjects:
            return subjects[0]
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in ("NOUN", "PROPN"):
            return current.head
        if current.dep_ not in SUBJECT_SHARING_DEPS or current.head == current:
            return None
        if current.dep_ == "xcomp":
            objects = _children(current.head, OBJECT_DEPS)
            if objects and current.head.lemma_ not in ("promise", "vow", "pledge"):
                return objects[0]
        current = current.head
    return None


def _is_perfect_or_present(verb: Token) -> bool:
    """'has asked', 'asks': an event that holds at the time it is reported."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBN" and any(a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP") for a in _children(verb, ("aux",)))


# --- The coder -----------------------------------------------------------------------------


@dataclass
class _Candidate:
    """An event as it is being coded, before it becomes a model.Event."""

    trigger: Trigger
    token: Token  # the trigger word
    anchor: Token  # the verb whose clause carries the event (the trigger, or a noun's light verb)
    sentence: int
    plover: str
    mode: str | None
    cameo: str | None
    status: str = "asserted"
    actor: Token | None = None
    target: Token | None = None
    source: str | None = None
    date_anchor: Token | None = None  # a reporting verb whose date the event inherits
    speech: Token | None = None  # the speech verb that reports the event
    delegated: _Candidate | None = None  # the act this one delegates ("asked X to invite Y")
    depth: int = 0
    refusal: bool = False  # its own clause says it will not happen ("said it would not withdraw")
    readied: bool = False  # its actor is getting ready to do it ("the army prepared to resume shelling")
    actor_refs: list[Referent] = field(default_factory=list)  # whom a pronoun actor stands for
    target_refs: list[Referent] = field(default_factory=list)


class _Coder:
    def __init__(
        self, doc: Doc, pats: Patterns, times: Sequence[Timex], quotes: Sequence[Quote], dct: date | None,
        entities: Sequence[Entity] = (),
    ):
        self.doc, self.p, self.quotes, self.dct = doc, pats, quotes, dct
        self.text = doc_text(doc)
        self.antecedents = Antecedents(doc, entities, quotes, pats.coreference)
        # Only calendar values date an event: "now" (PRESENT_REF) says nothing about when.
        self.times = sorted(
            (t for t in times if t.type in DATE_TYPES and t.value and (t.value[0].isdigit() or t.value.startswith("XXXX"))),
            key=lambda t: t.start,
        )
        self.sentence_of = {}
        self.headlines: set[int] = set()
        title_lines: dict[int, bool] = {}  # per line start: a paragraph of many sentences is read once
        for index, sent in enumerate(doc.sents):
            line_start = self.text.rfind("\n", 0, sent.start_char) + 1
            if line_start not in title_lines:
                title_lines[line_start] = self._title_case(line_start)
            if title_lines[line_start]:
                self.headlines.add(index)
            for token in sent:
                self.sentence_of[token.i] = index

    def _title_case(self, start: int) -> bool:
        """Whether the line starting at character ``start`` is a Title Case headline ("Trump Asked
        Aide To Invite Putin To Washington, White House Says"), which the parser may split in two."""
        rule, text = self.p.title_case, self.text
        end = text.find("\n", start)
        line = self.doc.char_span(start, len(text) if end < 0 else end, alignment_mode="contract")
        if line is None:
            return False
        words = [t for t in line if t.is_alpha and t.lower_ not in rule["minor_words"]]
        if len(words) < rule["min_words"] or line.text.rstrip().endswith(".") or line.text.isupper():
            return False  # too short to tell, a sentence, or all capitals (which the model reads well enough)
        return sum(t.text[0].isupper() for t in words) >= rule["capitalised_share"] * len(words)

    # -- triggers

    def match(self, token: Token) -> Trigger | None:
        pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ in ("NOUN", "PROPN") else token.pos_
        if pos == "VERB" and token.dep_ == "amod":
            return None  # "banned munitions", "wounded soldiers": a participle describing a thing
        for trigger in self.p.triggers.get((token.lemma_.lower(), pos), ()):
            if self._fits(token, trigger):
                return trigger
        return None

    def _fits(self, token: Token, trigger: Trigger) -> bool:
        children = list(token.children)
        lemmas = {c.lemma_.lower() for c in children}
        if trigger.particle and trigger.particle not in {c.lower_ for c in children if c.dep_ in ("prt", "prep", "advmod")}:
            return False
        if trigger.preposition and trigger.preposition not in {c.lower_ for c in children if c.dep_ in ("prep", "prt")}:
            return False
        if trigger.not_preps & {c.lower_ for c in children if c.dep_ in ("prep", "prt")}:
            return False
        if trigger.objects:
            objects = [c for c in children if c.dep_ in OBJECT_DEPS + PASSIVE_SUBJECT_DEPS] if token.pos_ != "NOUN" else []
            objects += [c for o in objects for c in o.conjuncts]
            # "suspended part of a military aid program": what an 'of' names is the object too
            objects += [obj for o in objects for prep, obj in _preps(o) if prep == "of"]
            heads = {o.lemma_.lower() for o in objects} | {
                c.lemma_.lower() for o in objects for c in o.children if c.dep_ == "compound"
            }
            if not heads & trigger.objects:
                return False
        if trigger.prep_objects:
            prep_objects = {obj.lemma_.lower() for _, obj in _preps(token)} | lemmas
            if not prep_objects & trigger.prep_objects:
                return False
        if trigger.needs_compound or trigger.not_compound:
            modifiers = {c.lemma_.lower() for c in children if c.dep_ in ("compound", "amod", "nmod")}
            if trigger.needs_compound and not modifiers & trigger.needs_compound:
                return False
            if modifiers & trigger.not_compound:
                return False
        if trigger.not_subject:
            blockers = [c for c in children if c.dep_ in SUBJECT_DEPS] + [obj for _, obj in _preps(token)]
            if token.dep_ == "relcl":
                blockers.append(token.head)
            if any(b.lemma_.lower() in trigger.not_subject for b in blockers):
                return False
        if trigger.subjects and not {s.lemma_.lower() for s in self._subjects_of(token)} & trigger.subjects:
            return False
        if trigger.needs_xcomp and not _children(token, ("xcomp",)):
            return False
        if trigger.needs_xcomp_object and self._expected_party(token) is None:
            return False
        return True

    @staticmethod
    def _subjects_of(token: Token) -> list[Token]:
        """A verb's subjects, with what a quantity subject counts ("thousands of workers"); a
        noun's are those of the verb it is the object of, directly or through a preposition
        ("workers went on strike", "the union called a strike")."""
        verb = token
        while verb.pos_ in ("NOUN", "PROPN", "ADP") and verb.dep_ in OBJECT_DEPS + ("pobj", "prep") and verb.head != verb:
            verb = verb.head
        subjects = _children(verb, SUBJECT_DEPS) if verb.pos_ in ("VERB", "AUX") else []
        return subjects + [obj for s in subjects for prep, obj in _preps(s) if prep == "of"]

    @staticmethod
    def _expected_party(verb: Token) -> Token | None:
        """'expecting Trump to formalize …': the party the expectation is put on."""
        for clause in _children(verb, ("xcomp", "ccomp")):
            if any(a.lower_ == "to" for a in _children(clause, ("aux",))):
                objects = _children(verb, OBJECT_DEPS) or _children(clause, SUBJECT_DEPS)
                if objects:
                    return objects[0]
        return None

    def _anchor(self, token: Token) -> Token | None:
        """The verb whose clause carries an event noun; None when the noun stands alone."""
        token = self._measured(token)
        head = token.head
        if token.dep_ in OBJECT_DEPS + SUBJECT_DEPS + PASSIVE_SUBJECT_DEPS + ("attr",):
            if head.lemma_ in self.p.light_verbs or head.lemma_ in self.p.happening_verbs:
                return head
        if token.dep_ == "pobj" and head.head.pos_ == "VERB" and head.head.lemma_ in self.p.light_verbs:
            return head.head  # "claimed responsibility for the attack", "carried out airstrikes"
        return None

    def candidates(self) -> list[_Candidate]:
        found: list[_Candidate] = []
        for token in self.doc:
            if token.is_space or token.is_punct or token.ent_type_ in NON_TRIGGER_ENTITIES:
                continue
            if self.sentence_of[token.i] in self.headlines:
                continue
            trigger = self.match(token)
            if trigger is None and self._obliged(token):
                trigger = self.p.obligation_trigger  # refine() makes it the speaker's REQUEST
            if trigger is None:
                continue
            anchor = token if trigger.pos == "VERB" else (self._anchor(token) or token)
            found.append(_Candidate(trigger, token, anchor, self.sentence_of[token.i], trigger.event, trigger.mode, trigger.cameo))
        return found

    def _obliged(self, verb: Token) -> bool:
        """'The Bush administration declared that China must drop barriers': what a speaker says
        another party must do is a demand, whatever the act ('drop barriers') is."""
        return (
            verb.pos_ in ("VERB", "AUX") and verb.dep_ == "ccomp" and verb.head.lemma_ in self.p.speech_verbs
            and any(a.lower_ in self.p.obligation for a in _children(verb, ("aux",)))
            and bool(_children(verb, SUBJECT_DEPS))
        )

    # -- status and source

    def status(self, cand: _Candidate) -> None:
        """Set cand.status, cand.source (speech source) and cand.date_anchor from the clauses above."""
        flags: set[str] = set()
        node = cand.anchor
        if node.pos_ in ("NOUN", "PROPN"):
            node = self._noun_status(node, flags)
        for _ in range(12):
            for child in node.children:
                if child.dep_ == "neg":
                    flags.update(("negated", "not"))
                elif child.dep_ == "det" and child.lower_ == "no" and node == cand.token:
                    flags.add("negated")
                elif child.dep_ in ("aux", "auxpass") and child.lower_ in self.p.future_in_past and self._reported_clause(node):
                    flags.add("planned")  # "said they would boycott": the future of the past, not a condition
                elif child.dep_ in ("aux", "auxpass") and child.lower_ in self.p.hypothetical:
                    flags.add("hypothetical")
                elif child.dep_ in ("aux", "auxpass") and child.lower_ in self.p.planned:
                    flags.add("planned")
                elif child.dep_ == "mark" and child.lower_ in self.p.conditional_marks:
                    flags.add("hypothetical")
            if node.dep_ == "xcomp" or (node.dep_ in ("ccomp", "acl") and any(a.lower_ == "to" for a in _children(node, ("aux",)))):
                kind = self.p.governor_kind(node.head.lemma_)
                if kind == "negating":
                    flags.add("negated")
                elif kind in ("planning", "committing", "requesting"):
                    flags.add("planned")
                    cand.readied = cand.readied or node.head.lemma_ in READINESS
                # "attempting" flags nothing: an attempt is made, and PLOVER codes it as the act
                # ("both successful and attempted" assassinations are ASSAULT)
                node = node.head
                continue
            if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_ in self.p.speech_verbs | self.p.reporting_denial:
                self._reported(cand, node.head, flags)
                break
            if node.dep_ == "advcl" and any(a.lower_ == "to" for a in _children(node, ("aux",))):
                flags.add("planned")  # a purpose: "led talks to reach an agreement"
                node = node.head
                continue
            if node.dep_ in ("conj", "acomp", "attr", "oprd"):
                node = node.head
                continue
            break
        if _question(cand.token.sent):
            flags.add("hypothetical")  # "Do you think Taiwan should upgrade …?" asks, it does not tell
        if "reported" not in flags:
            self._postposed_report(cand, flags)
        if cand.source is None:
            cand.source = self._quote_source(cand.token)
            if cand.source is not None:
                flags.add("reported")
        cand.status = next((s for s in STATUS_ORDER if s in flags), "asserted")
        cand.refusal = {"not", "planned"} <= flags

    def _reported_clause(self, verb: Token) -> bool:
        """Whether a clause is what a speech verb reports ("X said they would …")."""
        return verb.dep_ in ("ccomp", "parataxis") and verb.head.lemma_ in self.p.speech_verbs

    def _noun_status(self, noun: Token, flags: set[str]) -> Token:
        """Modality of an event noun ("no talks", "a potential second meeting", "called for a
        ceasefire", "look forward to our meeting"); returns the verb whose clause it sits in."""
        for child in noun.children:
            if child.dep_ in ("amod", "compound") and child.lemma_.lower() in self.p.planned_modifiers:
                flags.add("planned")
            elif child.dep_ == "det" and child.lower_ == "no":
                flags.add("negated")
        verb = noun
        while verb.pos_ not in ("VERB", "AUX") and verb.head != verb and verb.dep_ in ("pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "appos", "conj", "compound"):
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return noun
        kind = self.p.governor_kind(verb.lemma_)
        if verb.lemma_ in self.p.governors["noun_planning"] or any(c.lower_ == "forward" for c in verb.children):
            flags.add("planned")
        elif kind == "negating":
            flags.add("negated")
        return verb

    def _reported(self, cand: _Candidate, speech: Token, flags: set[str]) -> None:
        flags.add("reported")
        if speech.lemma_ in self.p.reporting_denial or _children(speech, ("neg",)):
            flags.add("negated")
        cand.source = self._innermost_source(speech) or self._quote_source(cand.token) or self._speaker(speech)
        cand.date_anchor = cand.speech = speech

    def _postposed_report(self, cand: _Candidate, flags: set[str]) -> None:
        """'Trump invited Putin …, RIA Novosti reported, citing the Foreign Ministry'."""
        node = cand.anchor
        while True:
            for child in node.children:
                if child.dep_ in ("parataxis", "ccomp", "advcl", "conj") and child.lemma_ in self.p.speech_verbs:
                    if not _children(child, ("ccomp",)) and _children(child, SUBJECT_DEPS):
                        self._reported(cand, child, flags)
                        return
            if node.dep_ != "conj" or node.head == node:
                break
            node = node.head
        cited = self._according_to(cand.anchor)
        if cited is not None:
            flags.add("reported")
            cand.source = cited

    def _according_to(self, token: Token) -> str | None:
        for prep, obj in _preps(token):
            if prep == "according":
                return noun_phrase(obj).text
        return None

    def _innermost_source(self, speech: Token) -> str | None:
        for child in speech.children:
            if child.lemma_ in self.p.citing and child.dep_ in ("advcl", "xcomp", "conj", "prep", "acl"):
                objects = _children(child, OBJECT_DEPS) or [o for _, o in _preps(child)]
                if child.dep_ == "prep":
                    return self._according_to(speech)
                if objects:
                    return noun_phrase(objects[0]).text
        return self._according_to(speech)

    def _speaker(self, speech: Token) -> str | None:
        if speech.dep_ == "pcomp" and speech.head.lower_ == "as" and speech.head.head.lemma_ == "quote":
            quoted = _children(speech.head.head, OBJECT_DEPS)  # "quoted Lavrov as saying"
            if quoted:
                return noun_phrase(quoted[0]).text
        subject = _subject(speech)
        return noun_phrase(subject).text if subject is not None else None

    def _quote_source(self, token: Token) -> str | None:
        offset = token.idx
        for quote in self.quotes:
            if quote.content.start <= offset < quote.content.end and quote.speaker is not None:
                return quote.speaker.name or quote.speaker.text
        return None

    # -- arguments

    def arguments(self, cand: _Candidate) -> None:
        token, anchor = cand.token, cand.anchor
        if token != anchor or token.pos_ == "NOUN":
            self._noun_arguments(cand)
            return
        subjects = _children(anchor, SUBJECT_DEPS)
        passive = _children(anchor, PASSIVE_SUBJECT_DEPS)
        agent = next((_pobj(c) for c in anchor.children if c.dep_ == "agent" and _pobj(c) is not None), None)
        cand.actor = agent if passive or agent is not None else (subjects[0] if subjects else _subject(anchor))
        cand.target = self._recipient(cand, anchor, passive)
        for clause in self._complements(cand, anchor) if cand.target is None else ():
            # "offered to hand over to Great Britain …", "threatened to break relations with
            # Russia", "went on hunger strike to protest Sweden's decision": a promise, threat or
            # protest is directed at whom the act it names is
            preps = self.p.target_preps["complement"]
            cand.target = cand.target or self._recipient(cand, clause, _children(clause, PASSIVE_SUBJECT_DEPS), preps)
        if cand.trigger.needs_xcomp_object:
            cand.target = self._expected_party(anchor)
        self._split_compound_actor(cand)

    def _complements(self, cand: _Candidate, anchor: Token) -> list[Token]:
        """The clauses naming what an act is about: its to-infinitive complement, and for a
        protest its purpose ("demonstrated to demand …")."""
        clauses = _children(anchor, ("xcomp",))
        if cand.plover == "PROTEST":
            clauses += [c for c in _children(anchor, ("advcl",)) if any(a.lower_ == "to" for a in _children(c, ("aux",)))]
        return clauses

    def _recipient(
        self, cand: _Candidate, anchor: Token, passive: list[Token], preps: frozenset[str] | None = None
    ) -> Token | None:
        """The party an act is directed at: never a thing or a date ("offered concessions to X",
        "gave Tanzania a grant", "demanded that the US cancel …")."""
        objects = _children(anchor, OBJECT_DEPS)
        if preps is None:
            preps = self.p.target_preps.get(cand.plover, self.p.target_preps["default"])
        if cand.mode == "visit":
            preps = preps | self.p.target_preps["visit"]  # the host: "arrived in Amman", "a visit to Moscow"
        recipients = [obj for prep, obj in _preps(anchor) if prep in preps]
        # The actor's own troops or support are given, not targeted: "offered its troops to
        # Lebanon's president" targets the president; they stay a last resort ("arrested their leaders").
        owned = [
            o for o in objects
            if o.tag_ == "NNS" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in o.children)
        ]
        candidates = passive + _children(anchor, ("dative",)) + [o for o in objects if o not in owned] + recipients + owned
        candidates += [obj for o in objects for prep, obj in _preps(o) if prep in preps]
        if cand.plover in ("REQUEST", "ACCUSE", "REJECT"):
            candidates += [s for c in _children(anchor, ("ccomp",)) for s in _children(c, SUBJECT_DEPS)]
        for token in candidates:
            party = self._party(token)
            if party is not None:
                return party
        return None

    def _party(self, token: Token) -> Token | None:
        """The token itself when it names an actor, or X in 'hundreds of X'; else None."""
        if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
            inner = next((obj for prep, obj in _preps(token) if prep == "of"), None)
            return self._party(inner) if inner is not None else None
        if token.ent_type_ in ACTOR_LABELS or token.pos_ in ("PROPN", "PRON") or token.lemma_.lower() in self.p.sector_words:
            return token if token.lower_ not in ("it", "itself") else None
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ != "PRON":
            return self._party(owner)  # "praised Haiti's efforts": Haiti
        maker = next((c for c in token.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ACTOR_LABELS), None)
        if maker is not None:
            return maker  # "rejected an Indian proposal", "lifted a blockade on Palestinian lorries"
        inner = next((obj for prep, obj in _preps(token) if prep == "of"), None)
        if inner is not None and (token.like_num or token.lemma_.lower() in self.p.collective_heads or self.match(token)):
            return self._party(inner)  # "hundreds of X"; an act's party: "the withdrawal of Serbian forces"
        origin = next((obj for prep, obj in _preps(token) if prep in ("from", "by")), None)
        if origin is not None:
            return self._party(origin)  # "accepted demands from Shona rebels", "calls by Belarus's rulers"
        return None

    def _noun_arguments(self, cand: _Candidate) -> None:
        """'Israeli airstrikes on Gaza', 'clashes between X and Y', 'talks with X'."""
        noun, anchor = cand.token, cand.anchor
        actor = next((c for c in noun.children if c.dep_ == "poss"), None)
        if actor is None:
            actor = next(
                (c for c in noun.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ACTOR_LABELS), None
            )
        target = None
        for prep, obj in _preps(noun):
            if prep == "by" and actor is None:
                actor = obj
            elif prep == "between" and actor is None:
                actor = obj
            elif prep in self.p.target_preps.get(cand.plover, self.p.target_preps["default"]) | {"against"}:
                target = target or self._party(obj)
            elif prep == "of" and cand.plover in self.p.target_preps["noun_of"]:
                target = target or self._party(obj)  # "the expulsion of 60 diplomats", "the arrest of protesters"
        if actor is None and anchor != noun and anchor.lemma_ in self.p.light_verbs:
            actor = _subject(anchor)
        placed = _placed_under(noun)
        if placed is not None:
            # "X was put under investigation", "police placed X under house arrest": the one
            # placed under the act is its target, whoever placed them its actor.
            passive = _children(placed, PASSIVE_SUBJECT_DEPS)
            agent = next((_pobj(c) for c in placed.children if c.dep_ == "agent" and _pobj(c) is not None), None)
            placed_one = next((self._party(t) for t in passive + _children(placed, OBJECT_DEPS) if self._party(t) is not None), None)
            target = target or placed_one
            actor = actor or (agent if passive else next(iter(_children(placed, SUBJECT_DEPS)), None))
        elif actor is None and anchor == noun:
            actor = self._support_subject(noun)
        cand.actor, cand.target = actor, target
        self._split_compound_actor(cand)

    def _measured(self, noun: Token) -> Token:
        """The noun that stands in a clause for an event noun it measures: "held two rounds of
        talks", "launched a wave of attacks", "on the first day of a strike" (the verb takes
        the measure, the measure the event); else the event noun itself."""
        prep = noun.head
        if noun.dep_ != "pobj" or prep.lower_ != "of" or prep.dep_ != "prep":
            return noun
        measure = prep.head
        if measure.pos_ == "NOUN" and (measure.ent_type_ in DATE_TYPES or measure.lemma_.lower() in self.p.measure_heads):
            return measure
        return noun

    def _support_subject(self, noun: Token) -> Token | None:
        """The subject of a verb that is no event itself and takes the event noun as its object
        ("Israel and Lebanon renewed negotiations", "Serbia lodged a protest", "Saddam Hussein
        arrived on a visit"): the verb only says that its subject took part."""
        noun = self._measured(noun)
        verb = noun.head
        if noun.dep_ == "pobj" and verb.lower_ in ("on", "for"):
            verb = verb.head
        elif noun.dep_ not in OBJECT_DEPS:
            return None
        if verb.pos_ != "VERB" or self.match(verb) is not None or verb.lemma_ in self.p.observer_verbs:
            return None
        if self.p.governor_kind(verb.lemma_) in ("requesting", "negating", "delegating"):
            return None  # "urged talks", "halted aid": who asks or stops is no party to the act
        return _subject(verb)  # "announced the expulsion", "planned an attack", "resumed talks"

    def _party_like(self, token: Token) -> bool:
        """Whether a word can name who acted: a name, a pronoun, a party noun ('officials',
        'rebels', 'the coalition'), or a noun a nationality or name qualifies ('Palestinian
        youths'); not a date, an event, or a thing ('in order to', 'the decisions', 'wind')."""
        if token.ent_type_ in DATE_TYPES or self.match(token) is not None:
            return False
        if token.ent_type_ in ACTOR_LABELS or token.pos_ in ("PROPN", "PRON"):
            return True
        if self.antecedents.entity_at(token.idx, token.idx + len(token)) is not None:
            return True  # a name the tagger missed here but the article's entities know ("Trump" as a noun)
        lemma = token.lemma_.lower()
        if lemma in self.p.sector_words or lemma in self.p.protest_actors or lemma in self.p.party_nouns:
            return True
        if lemma in self.p.collective_heads or token.like_num:
            return True
        return any(c.dep_ in ("amod", "compound", "poss") and c.ent_type_ in ACTOR_LABELS for c in token.children)

    def _split_compound_actor(self, cand: _Candidate) -> None:
        """'Trump and Putin spoke by phone': actor Trump, target Putin (reciprocal events)."""
        if cand.actor is None or cand.target is not None or cand.plover not in self.p.symmetric_events:
            return
        partner = next((c for c in cand.actor.children if c.dep_ == "conj"), None)
        if partner is not None:
            cand.target = partner

    def refer(self, cand: _Candidate) -> None:
        """Pronoun and group arguments stand for their antecedents: "Mr. Trump said he would …"
        (Trump), "their Monday summit" after "the two world leaders" (Trump and Putin). A date
        or another event or a thing is no actor ("Tuesday's attack", "a suicide bombing killed five")."""
        if cand.actor is not None and not self._party_like(cand.actor):
            cand.actor = None
        for role in ("actor", "target"):
            token = getattr(cand, role)
            if token is None:
                continue
            antecedent = self.antecedents.antecedent(token)
            if antecedent is not None:
                token = antecedent
                setattr(cand, role, token)
            setattr(cand, role + "_refs", self.antecedents.referents(token))
        pair = cand.actor_refs
        if len(pair) == 2 and cand.target is None and cand.plover in self.p.symmetric_events:
            cand.actor_refs, cand.target_refs, cand.target = pair[:1], pair[1:], cand.actor

    def place(self, cand: _Candidate) -> str | None:
        heads = [cand.anchor, cand.token] + _children(cand.anchor, OBJECT_DEPS)
        for head in heads:
            for prep, obj in _preps(head):
                if prep in self.p.place_preps:
                    phrase = _place_phrase(obj)
                    if phrase is not None:
                        return phrase.text
        for obj in _children(cand.anchor, OBJECT_DEPS):
            phrase = _place_phrase(obj)
            if phrase is not None and cand.plover in ("COERCE", "ASSAULT", "CONSULT"):
                return phrase.text
        return None

    def event_date(self, cand: _Candidate) -> str | None:
        tokens = _clause_tokens(cand.anchor)
        if cand.token.pos_ in ("NOUN", "PROPN"):
            # An event noun is dated by its own time words ("their Monday summit", "talks on
            # Friday"), not by those of the nouns it governs ("the investigation into
            # interference in the 2016 election" happened after 2016).
            tokens = (tokens - {t.i for t in cand.token.subtree}) | _noun_time_tokens(cand.token)
        value = self._time_in(tokens)
        if value is None and any(c.lower_ == "when" for c in cand.anchor.children if c.dep_ == "advmod"):
            value = self._time_in(_clause_tokens(cand.anchor.head))  # "in June 2010, when Obama met …"
        if value is None and cand.date_anchor is not None and _is_perfect_or_present(cand.anchor):
            value = self._time_in(_clause_tokens(cand.date_anchor))
        if value and self.dct is not None and cand.anchor.tag_ in ("VBD", "VBN") and value[:10] > self.dct.isoformat():
            return None  # a past event cannot postdate the document: the time was misread
        return value

    def _time_in(self, token_ids: set[int]) -> str | None:
        if not self.times:
            return None
        for timex in self.times:
            span = self.doc.char_span(timex.start, timex.end, alignment_mode="expand")
            if span is not None and any(t.i in token_ids for t in span):
                return timex.value
        return None

    # -- typing

    def refine(self, cand: _Candidate) -> None:
        """Mode from instrument/form words of the same sentence; CAMEO code follows the mode."""
        cues = self.p.mode_cues.get(cand.plover)
        if cues:
            # Cues are ordered most specific first; a mode the lexicon fixes ("blew up":
            # explosives) yields only to a more specific one ("suicide bombers").
            order = [mode for mode, _ in cues]
            fixed = order.index(cand.mode) if cand.trigger.explicit_mode and cand.mode in order else None
            if not cand.trigger.explicit_mode or fixed is not None:
                sentence = cand.token.sent
                text = sentence.text + " " + " ".join(t.lemma_ for t in sentence)
                for rank, (mode, pattern) in enumerate(cues):
                    if fixed is not None and rank >= fixed:
                        break
                    if pattern.search(text):
                        cand.mode = mode
                        cand.cameo = self.p.mode_cameo.get(cand.plover, {}).get(mode, cand.cameo)
                        break
        if cand.plover in ("REQUEST", "ACCUSE", "REJECT") and cand.actor is not None and self._protester(cand.actor):
            # PLOVER: a protest that makes a demand or defies a ban is coded PROTEST, not REQUEST,
            # ACCUSE or REJECT.
            cand.plover, cand.mode, cand.cameo = "PROTEST", "demo", "141"
            cand.trigger = self.p.triggers[("protest", "VERB")][0]
        if self._obligation(cand):
            return
        if cand.refusal and cand.plover in REQUEST_MODES:
            # PLOVER REJECT: "all rejections and refusals"; an actor's word that it will not meet,
            # release, withdraw or help is CAMEO's "decline to …" (12x), the refusal a fact.
            cand.plover, cand.mode, cand.cameo = "REJECT", REQUEST_MODES[cand.plover], "120"
            cand.status = "reported" if cand.source is not None else "asserted"
        elif cand.status == "planned" and cand.plover in self.p.future_as_agree:
            # PLOVER: cooperative acts in the future (meetings, visits, aid, a release, a
            # withdrawal or a concession) are coded AGREE, as CAMEO's "express intent to …"
            # codes map (035 "express intent to yield" for both kinds of yielding).
            cand.plover, cand.mode, cand.cameo = "AGREE", None, self.p.future_as_agree[cand.plover]
        elif cand.status == "planned" and cand.readied and cand.plover == "ASSAULT" and self._armed(cand.actor):
            # PLOVER MOBILIZE: "military posturing falls short of actual use of force and is
            # typically a demonstration of military capabilities and readiness"; a threat is
            # "generally verbal". Forces getting ready to attack raise their alert (CAMEO 151/152).
            sector = _longest_match(self.p.sectors, noun_phrase(cand.actor).text) if cand.actor is not None else None
            cand.plover = "MOBILIZE"
            cand.mode, cand.cameo = ("police", "151") if sector == "COP" else ("troops", "152")
            cand.status = "reported" if cand.source is not None else "asserted"  # the readying is a fact
        elif cand.status == "planned" and cand.plover in self.p.future_as_threaten:
            # PLOVER: a conflictual act announced for the future is a THREATEN, not the act.
            cand.plover, cand.mode, cand.cameo = "THREATEN", None, "130"

    def _armed(self, actor: Token | None) -> bool:
        """A state or an armed force: "the Macedonian army", "police", "rebels", "Israel"."""
        if actor is None:
            return False
        return actor.ent_type_ == "GPE" or _longest_match(self.p.sectors, noun_phrase(actor).text) in ("MIL", "COP", "REB", "UAF")

    def _riot(self, cand: _Candidate) -> bool:
        """Violence the protesters of a protest the sentence tells of do is the protest's:
        PLOVER PROTEST 'riot' ("violent action ... the participants intend to cause physical
        injury and/or property damage"), not an ASSAULT ("youths threw stones during the
        demonstration"). It is theirs when its actor is no armed or state party, or, unnamed,
        when it used a rioter's weapons (stones, fire: PLOVER's 'primitive'), and whom it hit is
        no protester; force used on protesters stays an ASSAULT."""
        if cand.plover != "ASSAULT" or (cand.target is not None and self._protester(cand.target)):
            return False
        if cand.actor is None:
            return cand.mode == "primitive"
        return _longest_match(self.p.sectors, noun_phrase(cand.actor).text) not in ARMED_SECTORS

    def _protester(self, token: Token) -> bool:
        """'protesters', 'activists', or a protest itself ('rallies demanding change')."""
        if token.lemma_.lower() in self.p.protest_actors:
            return True
        trigger = self.match(token)
        return trigger is not None and trigger.event == "PROTEST"

    def _obligation(self, cand: _Candidate) -> bool:
        """'Britain said Libya must hand over the suspects': the speaker REQUESTs of Libya."""
        if cand.speech is None or not any(a.lower_ in self.p.obligation for a in _children(cand.anchor, ("aux",))):
            return False
        speaker = _subject(cand.speech)
        mode = REQUEST_MODES.get(cand.plover, "change")
        cand.plover, cand.mode, cand.cameo = "REQUEST", mode, "100"
        if not _question(cand.token.sent):
            cand.status = "asserted"  # the demand is the speaker's own act; a question stays one
        cand.actor, cand.target = speaker, cand.actor
        return True

    def governed(self, cand: _Candidate, by_token: dict[int, _Candidate]) -> bool:
        """Fold an event into the one that governs it; True when cand is absorbed.

        'asked his adviser to invite Putin': a delegated act is the delegator's (actor Trump,
        target the adviser). 'urged X to withdraw': the request takes its mode from what it asks.
        """
        anchor = cand.anchor
        governor = by_token.get(anchor.head.i) if anchor.dep_ in ("xcomp", "ccomp") else None
        if governor is None:
            return False
        kind = self.p.governor_kind(governor.token.lemma_)
        objects = _children(governor.anchor, OBJECT_DEPS)
        if kind == "delegating" and objects and self._subordinate(objects[0]):
            governor.plover, governor.mode, governor.cameo = cand.plover, cand.mode, cand.cameo
            governor.trigger, governor.delegated = cand.trigger, cand
            return True
        if governor.plover in ("REQUEST", "REJECT") and governor.mode is None:
            governor.mode = REQUEST_MODES.get(cand.plover, "change" if cand.plover != "ACCUSE" else None)
        if governor.plover == cand.plover:
            return True
        return False

    def _disaster(self, cand: _Candidate) -> bool:
        """Deaths, damage or evacuations in a sentence about an earthquake, a fire or a crash,
        with no armed actor or violent act in it ("threatened to storm his residence"), are no
        political event."""
        if cand.actor is not None and self.p.disaster_cues.fullmatch(cand.actor.lower_):
            return True  # a tsunami "slammed into" the coast: a natural force is no party to any event
        if cand.plover not in self.p.disaster_events:
            return False
        sentence = cand.token.sent
        violent = self.p.violent_cues.search(sentence.text) or any(
            t.pos_ == "VERB" and t.lemma_ in self.p.violent_verbs for t in sentence
        )
        return bool(self.p.disaster_cues.search(sentence.text)) and not violent

    def _ordinary_crime(self, cand: _Candidate) -> bool:
        """Arrests and charges of smugglers, robbers or drug gangs are law enforcement, not a
        political event (CASE's ORG_CRIME), unless the sentence names a political party to them."""
        if cand.plover not in self.p.crime_events:
            return False
        text = cand.token.sent.text
        return bool(self.p.crime_cues.search(text)) and not self.p.political_cues.search(text)

    @staticmethod
    def _bare_mention(cand: _Candidate, verbal_sentences: set[int]) -> bool:
        """An event noun with no verb of its own, no actor and no target ('the subject of an
        invitation') only names an event; it is coded when its sentence has nothing better."""
        return (
            cand.anchor == cand.token and cand.token.pos_ in ("NOUN", "PROPN")
            and cand.actor is None and cand.target is None and cand.sentence in verbal_sentences
        )

    def _subordinate(self, person: Token) -> bool:
        """Someone the actor can instruct: a named person, 'his adviser', an aide or official."""
        if person.ent_type_ == "PERSON" or person.text.startswith("@"):
            return True
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in person.children):
            return True
        return person.lemma_.lower() in ("aide", "adviser", "advisor", "envoy", "minister", "official", "staff")

    # -- output

    def actor_dict(self, token: Token | None, refs: Sequence[Referent] = ()) -> dict[str, Any] | None:
        if token is None:
            return None
        if len(refs) == 1:
            return self._referent_dict(refs[0])
        if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
            token = token.head.head
        phrase = noun_phrase(token)
        text = phrase.text
        return {
            "entity": self.antecedents.entity_at(phrase.start_char, phrase.end_char),
            "text": text,
            "start": phrase.start_char,
            "end": phrase.end_char,
            "country": _longest_match(self.p.countries, text),
            "sector": _longest_match(self.p.sectors, text),
        }

    def _referent_dict(self, ref: Referent) -> dict[str, Any]:
        """An argument that stands for an entity named elsewhere: its name, and the country and
        sector its naming phrase gives ("Russian President Vladimir Putin")."""
        span = self.doc.char_span(ref.start, ref.end, alignment_mode="expand")
        phrase = noun_phrase(span.root).text if span is not None else ref.text
        return {
            "entity": ref.entity,
            "text": ref.text,
            "start": ref.start,
            "end": ref.end,
            "country": _longest_match(self.p.countries, phrase),
            "sector": _longest_match(self.p.sectors, phrase),
        }

    def code(self) -> list[Event]:
        cands = self.candidates()
        by_token = {c.anchor.i: c for c in cands if c.anchor == c.token}
        for cand in cands:
            self.status(cand)
        kept = []
        for cand in cands:
            if cand.anchor != cand.token and cand.anchor.i in by_token and by_token[cand.anchor.i].plover == cand.plover:
                continue  # "launched an attack" / "a bombing killed": the verb already codes it
            if cand.anchor == cand.token and self.governed(cand, by_token):
                continue
            kept.append(cand)
        verbal_sentences = {c.sentence for c in kept if c.anchor == c.token and c.token.pos_ in ("VERB", "AUX")}
        protest_sentences = {c.sentence for c in kept if c.plover == "PROTEST"}
        events = []
        for cand in kept:
            self.arguments(cand)
            self.refer(cand)
            if self._bare_mention(cand, verbal_sentences) or self._disaster(cand) or self._ordinary_crime(cand):
                continue
            self.refine(cand)
            if cand.sentence in protest_sentences and self._riot(cand):
                cand.plover, cand.mode, cand.cameo = "PROTEST", "riot", self.p.mode_cameo["PROTEST"]["riot"]
                cand.trigger = self.p.triggers[("protest", "VERB")][0]
            if cand.actor is None and cand.target is None and cand.plover not in self.p.partyless_events:
                continue  # a verbal event with no party to it is a mention: "a great deal of uncertainty"
            cand.depth = _depth(cand.anchor, self.p.speech_verbs)
            place = self.place(cand.delegated) if cand.delegated is not None else None
            events.append((cand, place or self.place(cand)))
        events.sort(key=lambda pair: (
            pair[0].sentence, _salience(pair[0].status), pair[0].depth, pair[0].token != pair[0].anchor, pair[0].token.i
        ))
        events = self._without_repeats(events)
        dates = {id(cand): self.event_date(cand) for cand, _ in events}
        for cand, _ in events:
            if dates[id(cand)] is None:
                dates[id(cand)] = self._occasion_date(cand, [c for c, _ in events], dates)
        return [self.to_event(cand, place, dates[id(cand)]) for cand, place in events]

    @staticmethod
    def _without_repeats(events: list[tuple[_Candidate, str | None]]) -> list[tuple[_Candidate, str | None]]:
        """One event per sentence, type and actor: "five people were killed and five others were
        injured" is one attack; an event with no actor repeats any of its type before it."""
        kept: list[tuple[_Candidate, str | None]] = []
        for cand, place in events:
            if any(
                other.sentence == cand.sentence and other.plover == cand.plover
                and (cand.actor is None or (other.actor is not None and other.actor.i == cand.actor.i))
                for other, _ in kept
            ):
                continue
            kept.append((cand, place))
        return kept

    def _occasion_date(self, cand: _Candidate, others: list[_Candidate], dates: dict[int, str | None]) -> str | None:
        """The date of the occasion an undated event names, when the article dates that occasion
        once: "Trump invited Putin … during a phone call" takes the date of "Trump and Putin
        spoke by phone on March 20" — the same kind of meeting between the same two parties,
        the only such meeting the article dates. Two dated calls, or other parties, date nothing."""
        occasion = next(
            (self.match(obj) for prep, obj in _preps(cand.anchor) if prep == "during" and self.match(obj) is not None), None
        )
        parties = self._parties(cand)
        if occasion is None or occasion.event != "CONSULT" or len(parties) != 2:
            return None
        found = {
            dates[id(other)] for other in others
            if other is not cand and dates[id(other)] and other.plover == occasion.event
            and other.mode == occasion.mode and self._parties(other) == parties
        }
        return found.pop() if len(found) == 1 else None

    def _parties(self, cand: _Candidate) -> frozenset[str]:
        """The entity ids of an event's actor and target, as far as they are known."""
        ids: set[str] = set()
        for token, refs in ((cand.actor, cand.actor_refs), (cand.target, cand.target_refs)):
            if refs:
                ids.update(r.entity for r in refs if r.entity)
            elif token is not None:
                phrase = noun_phrase(token)
                entity = self.antecedents.entity_at(phrase.start_char, phrase.end_char)
                if entity is not None:
                    ids.add(entity)
        return frozenset(ids)

    def to_event(self, cand: _Candidate, place: str | None, when: str | None) -> Event:
        sentence = cand.token.sent
        text = self.text
        start, end = sentence.start_char, sentence.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        return Event(
            plover=cand.plover,
            mode=cand.mode,
            cameo=cand.cameo,
            context=cand.trigger.context if cand.plover == cand.trigger.event else None,
            actor=self.actor_dict(cand.actor, cand.actor_refs) or {"entity": None, "text": None},
            target=self.actor_dict(cand.target, cand.target_refs),
            date=when,
            place=place,
            according_to=cand.source,
            evidence=Span(start, end),
            status=cand.status,
        )


def _placed_under(noun: Token) -> Token | None:
    """The verb that places someone under an act noun ("put under investigation", "placed
    under house arrest", "kept under curfew"), or None."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ != "under" or prep.dep_ != "prep":
        return None
    verb = prep.head
    return verb if verb.pos_ in ("VERB", "AUX") else None


def _question(sentence: TokenSpan) -> bool:
    return sentence.text.rstrip(' "”’').endswith("?")


def _noun_time_tokens(noun: Token) -> set[int]:
    """The tokens of an event noun's own time modifiers: a date word before it or a date as the
    object of one of its prepositions."""
    found = {noun.i}
    for child in noun.children:
        if child.ent_type_ in DATE_TYPES:
            found.update(t.i for t in child.subtree)
        elif child.dep_ == "prep":
            obj = _pobj(child)
            if obj is not None and obj.ent_type_ in DATE_TYPES:
                found.update(t.i for t in obj.subtree)
    return found


def _depth(token: Token, skip: frozenset[str]) -> int:
    """Clause depth below the sentence root, not counting speech verbs ('X said that …')."""
    depth, node = 0, token
    while node.head != node:
        node = node.head
        if node.lemma_ not in skip:
            depth += 1
    return depth


def _longest_match(table: dict[str, re.Pattern[str]], text: str) -> str | None:
    best, best_len = None, 0
    for code, pattern in table.items():
        for match in pattern.finditer(text):
            if len(match.group(0)) > best_len:
                best, best_len = code, len(match.group(0))
    return best


def code_events(
    doc: Doc,
    times: Sequence[Timex] = (),
    quotes: Sequence[Quote] = (),
    dct: date | None = None,
    entities: Sequence[Entity] = (),
) -> list[Event]:
    """PLOVER events of a parsed document, most salient first.

    ``times`` (annotate/timex.py) supplies dates and ``quotes`` (annotate/quotes.py) the sources
    of reported speech; without them events carry no date and sources come from the parse alone.
    ``entities`` (annotate/entities.py) let a pronoun actor ("he", "their summit") stand for the
    entity it refers to; without them only antecedents inside the sentence are found.
    ``dct``, the document date, vetoes a past event dated after it. Offsets are into ``doc.text``.
    """
    return _Coder(doc, patterns(), times, quotes, dct, entities).code()


def _salience(status: str) -> int:
    """Facts first, then what an actor announced it will do (PLOVER codes intents: AGREE,
    THREATEN), then what is only supposed or denied, which PLOVER does not code at all."""
    return 0 if status in FACT_STATUSES else 1 if status == "planned" else 2


def is_fact(event: Event) -> bool:
    """An asserted or reported event, as opposed to a negated, hypothetical or planned one."""
    return event.status in FACT_STATUSES

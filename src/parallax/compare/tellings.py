"""One article's tellings: its stating sentences (the annotator's ``claims``) with every slot the
comparison reads — who says so (the chain ending at the named source), who and what it names,
how many of what, when, where, and with which stance.

A telling is the unit that is aligned across articles. Events, quotes and attributed claims are
not separate units here: they are what a sentence *is* (its kind) and what it carries (its
source, its event's actor and target), so that "Russia's foreign ministry said Trump invited
Putin" is one telling with an event, a claim and a chain, and aligns as one.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from parallax.views.dates import TimeValue, parse_value

KINDS = ("event", "quote", "claim", "quantity", "date", "place")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})\b", re.I)
_WORD = re.compile(r"[\w@$%€£]+(?:[.'’][\w]+)*", re.UNICODE)
# Pronouns and bare role words that end a chain without naming anyone.
UNNAMED = frozenset({
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "they", "them", "it", "who", "which", "that",
    "officials", "official", "reports", "report", "statement", "a statement", "sources", "source", "witnesses",
    "analysts", "experts", "residents", "authorities", "police", "the statement", "the report", "media",
})
STOPWORDS = frozenset(
    "a an the of to in on at for and or but with by from as that this these those is are was were be been being has "
    "have had will would could should can may might it its he she they we i you his her their our my your him them "
    "us me said says say told not no so than then there which who whom what when where also about after before over "
    "into such do does did just if all some any more most very mr ms mrs".split()
)


@dataclass(frozen=True)
class StoryArticle:
    """One article of the story: its id (as the output names it), annotation JSON and metadata."""

    id: str
    annotation: dict[str, Any]
    outlet: str | None = None
    published: str | None = None  # ISO 8601; its first ten characters are the day
    title: str | None = None

    @property
    def day(self) -> date | None:
        try:
            return date.fromisoformat(self.published[:10]) if self.published else None
        except ValueError:
            return None

    @property
    def moment(self) -> datetime | None:
        """The publication time, when ``published`` gives one (a day alone gives none)."""
        if not self.published or len(self.published) <= 10:
            return None
        try:
            moment = datetime.fromisoformat(self.published.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

    @property
    def language(self) -> str:
        return self.annotation.get("language") or "en"


@dataclass
class DatedTime:
    value: TimeValue
    as_given: str


@dataclass(eq=False)
class Telling:
    """One article's statement, with the slots that are compared across articles."""

    article: str
    index: int  # its order in the article (earlier = more salient in news writing)
    kind: str
    text: str
    start: int
    end: int
    chain: list[str]
    source: str | None  # the final named source, or None when the text names none
    entities: frozenset[str]
    words: frozenset[str]
    verb: str | None
    stance: str
    negated: bool = False  # the predicate itself is negated ("did not open"), not a denial verb's act
    # The sentence counts over a span of time ("in the last 15 months", "since January"): its
    # counts are running totals, not one happening's.
    period: bool = False
    quantities: list[dict[str, Any]] = field(default_factory=list)
    times: list[DatedTime] = field(default_factory=list)
    said_times: list[DatedTime] = field(default_factory=list)  # when the sentence says it was said
    weekdays: frozenset[str] = frozenset()
    places: list[str] = field(default_factory=list)  # places tied to the predicate ("killed in X")
    placenames: list[str] = field(default_factory=list)  # every place the sentence names, as written
    # Whether the sentence itself names the final source by a proper name (its name or the
    # speaker's own words), not only through "he" or "the party" resolved to someone.
    source_named: bool = False
    event: dict[str, Any] | None = None
    channel: str | None = None

    def detail(self) -> dict[str, Any]:
        """The values this telling gives, as the article gives them (for views and JSON)."""
        out: dict[str, Any] = {"stance": self.stance, "source": self.source}
        if self.event:
            out["event"] = self.event
        if self.channel:
            out["channel"] = self.channel
        if self.quantities:
            out["quantities"] = [q["text"] + (f" {q['head']}" if q.get("head") and q["head"] not in q["text"].lower() else "")
                                 for q in self.quantities]
        if self.times:
            out["dates"] = [t.value.raw for t in self.times]
        if self.places:
            out["places"] = list(self.places)
        return out


# Verbs that say too little to make two sentences one happening: "was", "had", "made" and
# "said" are the predicates of sentences about anything.
LIGHT_VERBS = frozenset({"be", "have", "do", "make", "take", "get", "give", "go", "come", "say", "tell", "include"})


def one_predicate(a: Telling, b: Telling) -> bool:
    """Whether the two sentences state one happening: the same main verb, and one that says
    something ("killed", "invited"), not "was" or "said"."""
    return bool(a.verb) and a.verb == b.verb and a.verb not in LIGHT_VERBS


def shared_predicate(a: Telling, b: Telling) -> bool:
    """Whether the two sentences tell of one kind of act: one predicate, or the predicate of one
    among the other's words ("Trump invited Putin" / "Trump asked Bolton to invite Putin"); a
    light verb ("said", "made") shares nothing."""
    if one_predicate(a, b):
        return True
    for x, y in ((a, b), (b, a)):
        stem = verb_stem(x.verb) if x.verb and x.verb not in LIGHT_VERBS else frozenset()
        if stem and stem <= y.words:
            return True
    return False


@lru_cache(maxsize=4096)
def verb_stem(verb: str) -> frozenset[str]:
    """A predicate lemma cut as ``content_words`` cuts words (asked once per pair of tellings)."""
    return content_words(verb)


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words with a crude suffix cut, so "invited" meets "invite"."""
    return frozenset(stem for stem in map(_content_stem, _WORD.findall(text.lower())) if stem)


@lru_cache(maxsize=65536)
def _content_stem(word: str) -> str:
    """One word as ``content_words`` keeps it, or "" for a stopword (a story's sentences repeat
    their words, so each is cut once)."""
    word = word.strip(".'’")
    if not word or word in STOPWORDS:
        return ""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


class _Reader:
    """An article's annotation with the look-ups tellings need."""

    def __init__(self, article: StoryArticle) -> None:
        self.meta = article
        self.ann = article.annotation
        self.text: str = self.ann["text"]
        self.names = {e["id"]: e["name"] for e in self.ann.get("entities", [])}
        self.mentions = sorted(
            (m["start"], m["end"], e["name"], e["type"]) for e in self.ann.get("entities", []) for m in e["mentions"]
        )
        self._starts = [m[0] for m in self.mentions]

    def inside(self, start: int, end: int) -> list[tuple[int, int, str, str]]:
        """The mentions wholly inside the span, in text order (found by bisection: an article
        has hundreds of mentions and each of its sentences asks)."""
        first, last = bisect_left(self._starts, start), bisect_right(self._starts, end)
        return [m for m in self.mentions[first:last] if m[1] <= end]

    def named(self, start: int, end: int) -> str | None:
        """The entity a span's words name (the longest mention inside it), if any."""
        found = [m for m in self.inside(start, end) if m[3] in ("PERSON", "ORG", "GPE", "NORP")]
        return max(found, key=lambda m: (m[3] == "PERSON", m[1] - m[0]))[2] if found else None

    def source_of(self, start: int, end: int, asides: Sequence[Sequence[int]] = ()) -> tuple[list[str], str | None, str | None]:
        """The chain (outermost first, led by the outlet), its final *named* source and the
        channel of the quote or attribution that carries the span.

        ``asides``: the sentence's subordinate clauses; a quote or attribution said wholly
        inside one is background, not what carries the sentence.

        The final source is the quote speaker's entity when the annotator linked one, else the
        named antecedent the annotator found for a pronoun or role ("he" → Fuat Oktay), else the
        chain's last element when it is a name; a bare pronoun or role word stays unnamed rather
        than being replaced by a guess.
        """
        chain: list[str] = []
        source: str | None = None
        channel: str | None = None
        best = 0
        for quote in self.ann.get("quotes", []):
            content = quote["content"]
            overlap = min(end, content["end"]) - max(start, content["start"])
            if overlap <= best or overlap < 0.3 * (content["end"] - content["start"]) or _aside(content, asides):
                continue
            best = overlap
            speaker = quote.get("speaker") or {}
            name = self.names.get(speaker.get("entity") or "") or speaker.get("name")
            if name and name.lower() in UNNAMED:
                name = None  # "a statement from the Kremlin" names its owner in the chain, not "statement"
            if not name and speaker.get("start") is not None:
                name = self.named(speaker["start"], speaker["end"])
            words = (speaker.get("text") or "").strip()
            source = name or (words if words and words.lower() not in UNNAMED else None)
            channel = quote.get("channel")
        best_attribution = 0
        for attribution in self.ann.get("attributions", []):
            content = attribution["content"]
            overlap = min(end, content["end"]) - max(start, content["start"])
            if overlap > best_attribution and not _aside(content, asides):
                best_attribution, chain = overlap, [c for c in attribution["chain"] if c]
        if chain and source is None:
            last = chain[-1]
            source = last if last.lower() not in UNNAMED else None
        if source and not any(same_source(link, source) for link in chain):
            chain = [*chain[:-1], source] if chain and chain[-1].lower() in UNNAMED else [*chain, source]
        outlet = self.meta.outlet
        if outlet and (not chain or chain[0] != outlet):
            chain = [outlet, *chain]
        return chain, source, channel


def _aside(content: dict[str, int], asides: Sequence[Sequence[int]]) -> bool:
    """Whether what a quote says lies wholly inside one of the sentence's subordinate clauses."""
    return any(start <= content["start"] and content["end"] <= end for start, end in asides)


# Words that stand for a party without naming it.
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "this", "that"})
# A denial's verb as written: "denied", "rejects", "disputed" (the lemmas of claims.json's denial_verbs).
DENIAL = re.compile(r"\b(?:denie[sd]|deny|reject(?:s|ed)?|refute[sd]?|dismisse[sd]|dismiss|dispute[sd]?|rebut(?:s|ted)?)\b", re.I)


def party_before(sentence: str, pattern: re.Pattern[str]) -> str | None:
    """Who does what ``pattern`` finds: the words before it, when they name someone ("Pfizer has
    not commented", "A spokesman for the ministry declined to comment", "Acme Corp denied"). The
    tagger often finds no entity in so short a sentence, and no speech cue makes it a quote."""
    found = pattern.search(sentence)
    if found is None or found.start() == 0:
        return None
    words = sentence[: found.start()].strip(" ,;:").split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not 0 < len(words) <= 6 or " ".join(words).lower() in _PRONOUNS:
        return None  # "He has not commented": whom it stands for is the annotator's to say
    return " ".join(words)


def _denier_first(chain: list[str], source: str | None, sentence: str, stance: str,
                  negated: bool) -> tuple[list[str], str | None]:
    """The chain and source of a sentence that denies by its verb, ending at the party denying:
    "The Afghan Taliban have rejected Pakistan's allegation that …" carries Pakistan's words as
    what is rejected, and its source is the Taliban, not Pakistan (the chain read VOA ← Afghan
    Taliban ← Pakistan, its last link the words' owner)."""
    denier = party_before(sentence, DENIAL) if stance == "denied" and not negated else None
    at = next((k for k in range(1, len(chain) - 1) if same_source(chain[k], denier)), None) if denier else None
    return (chain, source) if at is None else (chain[: at + 1], chain[at])


def same_source(a: str, b: str) -> bool:
    """Whether two source names name one source: "Kristi Noem (Homeland Security)" and "Kristi
    Noem", "the Baloch Liberation Army" and "BLA" (initials), "Lavrov" and "Sergei Lavrov"."""
    def words(name: str) -> list[str]:
        bare = re.sub(r"\(.*?(?:\)|$)", "", name.replace("’", "'")).lower()
        return [w for w in re.findall(r"[\w'-]+", bare) if w != "the"]

    left, right = words(a), words(b)
    if not left or not right:
        return False
    if set(left) <= set(right) or set(right) <= set(left):
        return True
    initials = {"".join(w[0] for w in left), "".join(w[0] for w in right)}
    return any(len(x) == 1 and x[0] in initials for x in (left, right))



def _is_name(source: str) -> bool:
    """Whether a source is a proper name ("Fred Matiang'i", "Houston Asian American Archive"),
    not a description ("residents", "armed men") that another outlet may word otherwise."""
    return any(word[:1].isupper() for word in re.findall(r"[^\W\d_][\w'’-]*", source))


_UP_TO_NOW = re.compile(r"(?:the\s+)?(?:last|past|previous)\b", re.I)


def _over_a_period(text: str, times: list[dict[str, Any]], start: int, end: int) -> bool:
    """Whether the sentence between ``start`` and ``end`` counts over a span of time up to now:
    "in the last 15 months", "over the past two days", "since January" (not "a day after the
    attack", which dates one happening)."""
    return any(start <= t["start"] < end and (t.get("type") == "DURATION" and _UP_TO_NOW.match(t["text"])
                                              or text[max(start, t["start"] - 6) : t["start"]].lower() == "since ")
               for t in times)


def _bare(name: str) -> str:
    """A name as a mention gives it, without the dateline dash or punctuation the recogniser may
    take in ("SAN JUAN, Puerto Rico - Hurricane …" gives "Puerto Rico -")."""
    return name.strip(" \t\n-–—,;:")


def _name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"\w+", name.lower()) if w not in STOPWORDS}


def tellings(article: StoryArticle) -> list[Telling]:
    """Every stating sentence of one article, in text order."""
    doc = _Reader(article)
    events = doc.ann.get("events", [])
    quotes = doc.ann.get("quotes", [])
    times = [t for t in doc.ann.get("times", []) if t.get("type") in ("DATE", "TIME", None)]
    out = []
    for index, claim in enumerate(doc.ann.get("claims", [])):
        start, end = claim["start"], claim["end"]
        sentence = " ".join(doc.text[start:end].split())
        asides = claim.get("asides", [])
        chain, source, channel = doc.source_of(start, end, asides)
        chain, source = _denier_first(chain, source, sentence, claim.get("stance") or "asserted", bool(claim.get("negated")))
        event = next((e for e in events if start <= e["evidence"]["start"] < end or e["evidence"]["start"] <= start < e["evidence"]["end"]), None)
        # A date in the sentence's own saying ("…, the ministry said on Tuesday") dates the
        # statement, not what it tells.
        said = claim.get("said_on", [])
        dated: list[DatedTime] = []
        said_dated: list[DatedTime] = []
        for t in times:
            if start <= t["start"] < end and (v := parse_value(t.get("value"))) is not None:
                saying = any(s <= t["start"] < e for s, e in said)
                (said_dated if saying else dated).append(DatedTime(v, t["text"]))
        told = doc.text[start:end]
        for s, e in said:  # the saying's words blanked, so its weekday is not the happening's
            s, e = max(s, start) - start, min(e, end) - start
            told = told[:s] + " " * (e - s) + told[e:]
        weekdays = frozenset(found.casefold() for found in _WEEKDAY.findall(told))
        quote = next((q for q in quotes if q["content"]["start"] < end and start < q["content"]["end"]
                      and not _aside(q["content"], asides)), None)
        places = [_bare(doc.named(p["start"], p["end"]) or p["text"]) for p in claim.get("places", [])]
        kind = _kind(event, quote, claim, dated, places)
        inside = doc.inside(start, end)
        out.append(Telling(
            article=article.id, index=index, kind=kind, text=sentence, start=start, end=end,
            chain=chain, source=source,
            entities=frozenset(m[2] for m in inside),
            words=content_words(sentence), verb=claim.get("verb"), stance=claim.get("stance") or "asserted",
            negated=bool(claim.get("negated")),
            period=_over_a_period(doc.text, doc.ann.get("times", []), start, end),
            quantities=list(claim.get("quantities", [])), times=dated, said_times=said_dated, weekdays=weekdays, places=places,
            placenames=list(dict.fromkeys(_bare(doc.text[m[0] : m[1]]) for m in inside if m[3] in ("GPE", "LOC"))),
            source_named=source is not None and _is_name(source) and (source in sentence or any(
                m[2] == source and _name_words(doc.text[m[0] : m[1]]) & _name_words(source) for m in inside)),
            event=_event_summary(doc, event) if event else None, channel=channel,
        ))
    _carry_doubt_back(out)
    return out


# The predicate of a sentence that doubts without saying what: "There was no independent
# confirmation of the claim", "Reuters could not verify the figures".
_DOUBTING_VERBS = frozenset({"verify", "confirm", "corroborate", "be"})


def _carry_doubt_back(told: list[Telling]) -> None:
    """A sentence that leaves unconfirmed what the sentence before it stated ("Rebels said they
    killed 30 soldiers. There was no independent confirmation of the claim.") makes that
    statement an unconfirmed one: it is what another outlet's plain statement is set against."""
    for before, doubt in zip(told, told[1:]):
        if doubt.stance == "unconfirmed" and (doubt.verb is None or doubt.verb in _DOUBTING_VERBS) \
                and before.stance == "asserted":
            before.stance = "unconfirmed"


def _kind(event: dict[str, Any] | None, quote: dict[str, Any] | None, claim: dict[str, Any],
          dated: list[DatedTime], places: list[str]) -> str:
    if quote is not None:
        return "quote" if quote["kind"] in ("direct", "mixed") else "claim"
    if event is not None:
        return "event"
    if claim.get("quantities"):
        return "quantity"
    if dated:
        return "date"
    if places:
        return "place"
    return "claim"


def _event_summary(doc: _Reader, event: dict[str, Any]) -> dict[str, Any]:
    def party(p: dict[str, Any] | None) -> str | None:
        if not p:
            return None
        if p.get("entity") in doc.names:
            return doc.names[p["entity"]]
        words = (p.get("text") or "").strip()
        return words if words and words.lower() not in UNNAMED else None

    return {"plover": event["plover"], "mode": event.get("mode"), "actor": party(event.get("actor")),
            "target": party(event.get("target")), "date": event.get("date"), "place": event.get("place"),
            "status": event.get("status")}

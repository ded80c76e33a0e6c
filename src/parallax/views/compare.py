"""How each outlet tells one story: its facts aligned across articles, claim by claim.

Every article's annotations (SPEC.md's annotation JSON) yield *tellings*: its events, quotes,
attributed claims, quantities with units, calendar dates and event places, each with the span
it came from and the source chain that carries it. Tellings are aligned across articles into
facts — the same actor–action–target, the same speaker saying the same thing, the same number
of the same thing — and a fact is told by all the story's articles or only by some. Where
articles tell one fact differently (another date, number, place or polarity, or another source
at the end of the chain) the difference is a contradiction, unless time explains it: an earlier
article could not know what a later one reports (a plan that changed, a "has not commented"
followed by a statement), and then it is a development.

Alignment is by normalised keys, not by string equality: a party is the most specific entity
whose mention lies inside the party's words ("U.S. President Donald Trump" is Donald Trump, not
the United States), so that outlets naming one person differently still meet.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from parallax.views.dates import TimeValue, compatible, later_than, parse_value, show_value

KINDS = ("event", "quote", "claim", "quantity", "date", "place")
_WORD = re.compile(r"[\w@$%€£]+(?:[.'’][\w]+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _resource() -> dict[str, Any]:
    return json.loads(resources.files("parallax.resources").joinpath("compare.json").read_text("utf-8"))


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


@dataclass(eq=False)
class Telling:
    """One article's telling of one fact: alignment keys, the values that may differ, provenance."""

    article: str
    kind: str
    text: str
    start: int
    end: int
    chain: list[str]
    detail: dict[str, Any] = field(default_factory=dict)
    # alignment keys
    plover: str | None = None
    actor: str | None = None
    target: str | None = None
    participants: frozenset[str] = frozenset()
    speaker: str | None = None
    words: frozenset[str] = frozenset()
    unit: str | None = None
    key: str | None = None
    # values compared across articles
    date: TimeValue | None = None
    place: str | None = None
    status: str | None = None
    number: float | None = None
    no_comment: bool = False


# --- reading one article ---------------------------------------------------------------------
class _Article:
    """An article's annotation with look-ups the tellings need."""

    def __init__(self, article: StoryArticle) -> None:
        self.meta = article
        self.ann = article.annotation
        self.text: str = self.ann["text"]
        self.names = {e["id"]: e["name"] for e in self.ann.get("entities", [])}
        rank = {t: i for i, t in enumerate(_resource()["party_type_rank"])}
        self.mentions = sorted(
            (m["start"], m["end"], e["name"], rank.get(e["type"], len(rank)), e["type"])
            for e in self.ann.get("entities", [])
            for m in e["mentions"]
        )

    def inside(self, start: int, end: int) -> list[tuple[int, int, str, int, str]]:
        return [m for m in self.mentions if m[0] >= start and m[1] <= end]

    def party(self, party: dict[str, Any] | None) -> str | None:
        """The entity a party's words name, most specific first; its words when no entity."""
        if not party:
            return None
        if party.get("start") is not None and party.get("end") is not None:
            found = self.inside(party["start"], party["end"])
            if found:
                return min(found, key=lambda m: (m[3], -(m[1] - m[0])))[2]
        if party.get("entity") in self.names:
            return self.names[party["entity"]]
        words = (party.get("text") or "").strip()
        if not words or words.lower() in _resource()["pronouns"]:
            return None
        return words

    def place(self, words: str | None) -> str | None:
        """An event place as the entity it names ("the United States" → United States)."""
        if not words:
            return None
        bare = re.sub(r"^the\s+", "", words.strip(), flags=re.I).lower()
        for start, end, name, _, _ in self.mentions:
            if name.lower() == bare or re.sub(r"^the\s+", "", self.text[start:end], flags=re.I).lower() == bare:
                return name
        return words.strip()

    def mentions_place(self, name: str) -> bool:
        return any(m[2] == name for m in self.mentions) or name.lower() in self.text.lower()

    def chain(self, start: int, end: int, anchor: int | None = None, according_to: str | None = None) -> list[str]:
        """The source chain of a span, outermost first, always led by the article's outlet.

        The attribution whose content holds ``anchor`` (the actor's position) carries the
        span; else the one overlapping it most; else the event's ``according_to`` source.
        """
        best: list[str] | None = None
        best_overlap = 0
        for attribution in self.ann.get("attributions", []):
            content = attribution["content"]
            if anchor is not None and content["start"] <= anchor < content["end"]:
                best = list(attribution["chain"])
                break
            overlap = min(end, content["end"]) - max(start, content["start"])
            if overlap > best_overlap:
                best, best_overlap = list(attribution["chain"]), overlap
        chain = best if best is not None else ([according_to] if according_to else [])
        outlet = self.meta.outlet
        if outlet and (not chain or chain[0] != outlet):
            chain = [outlet, *chain]
        return chain

    def channel(self, start: int, end: int, anchor: int | None = None) -> str | None:
        """The channel ("tweet", "interview with …") of the quote that carries a span, if named."""
        for quote in self.ann.get("quotes", []):
            content = quote["content"]
            inside = content["start"] <= anchor < content["end"] if anchor is not None else content["start"] < end and start < content["end"]
            if inside:
                return quote.get("channel")
        return None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentence (or line) around a span."""
        stop = self.text.rfind(". ", 0, start)
        left = max(stop + 2 if stop != -1 else 0, self.text.rfind("\n", 0, start) + 1)
        stops = [i for i in (self.text.find(". ", end), self.text.find("\n", end)) if i != -1]
        return left, (min(stops) + 1 if stops else len(self.text))


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(_resource()["stopwords"])


def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words with a crude suffix cut, so "invited" meets "invite"."""
    stop = _stopwords()
    words = set()
    for word in _WORD.findall(text.lower()):
        word = word.strip(".'’")
        if not word or word in stop:
            continue
        for suffix in ("ing", "ed", "es", "s", "e"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix):
                word = word[: -len(suffix)]
                break
        words.add(word)
    return frozenset(words)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _event_tellings(doc: _Article) -> list[Telling]:
    events = doc.ann.get("events", [])
    tellings = []
    for event in events:
        evidence = event["evidence"]
        actor, target = doc.party(event.get("actor")), doc.party(event.get("target"))
        according_to = doc.names.get(event.get("according_to") or "")
        anchor = (event.get("actor") or {}).get("start")
        verb = event["plover"] + (f" ({event['mode']})" if event.get("mode") else "")
        text = " ".join(p for p in (actor or "(someone)", verb, f"→ {target}" if target else "") if p)
        tellings.append(
            Telling(
                article=doc.meta.id, kind="event", text=text, start=evidence["start"], end=evidence["end"],
                chain=doc.chain(evidence["start"], evidence["end"], anchor, according_to),
                plover=event["plover"], actor=actor, target=target,
                participants=frozenset(m[2] for m in doc.inside(evidence["start"], evidence["end"])),
                words=content_words(doc.text[evidence["start"] : evidence["end"]]),
                date=parse_value(event.get("date")), place=doc.place(event.get("place")),
                status=event.get("status") or "asserted",
                detail={"plover": event["plover"], "mode": event.get("mode"), "cameo": event.get("cameo"),
                        "actor": (event.get("actor") or {}).get("text"), "target": (event.get("target") or {}).get("text"),
                        "date": event.get("date"), "place": event.get("place"), "status": event.get("status"),
                        "according_to": according_to,
                        "channel": doc.channel(evidence["start"], evidence["end"], anchor),
                        "other_times": [t["value"] for t in doc.ann.get("times", [])
                                        if evidence["start"] <= t["start"] < evidence["end"] and t.get("value")
                                        and t["value"] != event.get("date") and parse_value(t["value"])]},
            )
        )
    _date_from_contact(doc, tellings)
    return tellings


def _date_from_contact(doc: _Article, tellings: list[Telling]) -> None:
    """An undated event said to happen *during* a dated contact between the same parties ("invited
    him during a phone call" + "they spoke by phone on March 20") takes the contact's date."""
    words = _resource()
    nouns = "|".join(re.escape(n) for n in sorted(words["contact_nouns"], key=len, reverse=True))
    marker = re.compile(rf"\b(?:{'|'.join(words['contact_marker'])})\s+(?:an?|the|their|his|her|this|that)?\s*(?:\w+\s+)??({nouns})\b", re.I)
    dated = [t for t in tellings if t.date and t.plover == "CONSULT"]
    for telling in tellings:
        if telling.date or telling.plover == "CONSULT":
            continue
        found = marker.search(doc.text, telling.start, telling.end)
        if not found:
            continue
        contact = found.group(1).lower().split()
        parties = {telling.actor, telling.target} - {None}
        candidates = [
            c for c in dated
            if parties & ({c.actor, c.target} | c.participants) and any(w in doc.text[c.start : c.end].lower() for w in contact)
        ]
        if len({c.date.raw for c in candidates if c.date}) == 1:
            telling.date = candidates[0].date
            telling.detail["date"] = candidates[0].date.raw if candidates[0].date else None
            telling.detail["date_from"] = doc.text[candidates[0].start : candidates[0].end]


def _quote_tellings(doc: _Article) -> list[Telling]:
    tellings = []
    covered: list[tuple[int, int]] = []
    for quote in doc.ann.get("quotes", []):
        content, speaker = quote["content"], quote.get("speaker") or {}
        said = doc.text[content["start"] : content["end"]]
        name = doc.names.get(speaker.get("entity") or "") or doc.party(speaker) if speaker else None
        direct = quote["kind"] in ("direct", "mixed")
        covered.append((content["start"], content["end"]))
        tellings.append(
            Telling(
                article=doc.meta.id, kind="quote" if direct else "claim",
                text=f"{name or '(unnamed)'}: " + (f"“{said}”" if direct else said),
                start=content["start"], end=content["end"], chain=doc.chain(content["start"], content["end"]),
                speaker=name, words=content_words(said),
                detail={"speaker": name, "quote_kind": quote["kind"], "channel": quote.get("channel"),
                        "cue": doc.text[quote["cue"]["start"] : quote["cue"]["end"]] if quote.get("cue") else None,
                        "content": said},
            )
        )
    for attribution in doc.ann.get("attributions", []):
        content = attribution["content"]
        if any(s < content["end"] and content["start"] < e for s, e in covered):
            continue
        said = doc.text[content["start"] : content["end"]]
        chain = doc.chain(content["start"], content["end"])
        speaker = attribution["chain"][-1] if attribution["chain"] else None
        tellings.append(
            Telling(article=doc.meta.id, kind="claim", text=f"{speaker or '(unnamed)'}: {said}",
                    start=content["start"], end=content["end"], chain=chain, speaker=speaker,
                    words=content_words(said), detail={"speaker": speaker, "content": said})
        )
    return tellings


def _no_comment_tellings(doc: _Article) -> list[Telling]:
    """"X has not commented": a stance (no statement yet) of the party named just before it."""
    tellings = []
    for found in _no_comment_pattern().finditer(doc.text):
        left, _ = doc.sentence(found.start(), found.end())
        before = [m for m in doc.mentions if left <= m[0] and m[1] <= found.start() and m[4] in ("PERSON", "ORG", "GPE", "NORP")]
        if not before:
            continue
        speaker = before[-1][2]
        tellings.append(
            Telling(article=doc.meta.id, kind="claim", text=f"{speaker}: no comment",
                    start=found.start(), end=found.end(), chain=doc.chain(found.start(), found.end()),
                    speaker=speaker, words=frozenset({"no-comment"}), no_comment=True,
                    detail={"speaker": speaker, "content": doc.text[found.start() : found.end()]})
        )
    return tellings


@lru_cache(maxsize=1)
def _no_comment_pattern() -> re.Pattern[str]:
    phrases = "|".join(re.escape(p) for p in _resource()["no_comment"])
    return re.compile(rf"\b(?:{phrases})\b", re.I)


@lru_cache(maxsize=1)
def _quantity_pattern() -> re.Pattern[str]:
    words = _resource()
    number_words = "|".join(sorted(words["number_words"], key=len, reverse=True))
    scales = "|".join(words["scale_words"])
    return re.compile(
        rf"(?P<cur>[$€£])?(?<![\w.,-])(?P<num>\d[\d,]*(?:\.\d+)?|\b(?:{number_words})\b)"
        rf"(?:\s+(?P<scale>{scales})\b)?\s*(?P<unit>%|per cent\b|[A-Za-z][A-Za-z-]+)?",
        re.I,
    )


def _quantity_tellings(doc: _Article) -> list[Telling]:
    """Numbers with units ("12 people", "$5 million", "40%"), outside time expressions."""
    words = _resource()
    stop, units = set(words["stopwords"]), words["units"]
    window = words["thresholds"]["quantity_window_words"]
    times = [(t["start"], t["end"]) for t in doc.ann.get("times", [])]
    tellings = []
    for found in _quantity_pattern().finditer(doc.text):
        if any(s <= found.start("num") < e for s, e in times):
            continue
        raw_number, unit_word = found.group("num").lower(), (found.group("unit") or "").lower()
        if found.group("cur"):
            unit = units[found.group("cur")]
        elif unit_word in units:
            unit = units[unit_word]
        elif unit_word and unit_word not in stop:
            unit = unit_word[:-1] if unit_word.endswith("s") and len(unit_word) > 3 else unit_word
        else:
            continue
        if not raw_number[0].isdigit() and not (unit_word in units or unit_word in words["count_nouns"] or unit_word.endswith("s")):
            continue  # "two world leaders": a spelled-out number counts a plural noun, not an adjective
        if raw_number[0].isdigit():
            value = float(raw_number.replace(",", ""))
        else:
            value = float(words["number_words"][raw_number])
        if found.group("scale"):
            value *= words["scale_words"][found.group("scale").lower()]
        # The counted thing's context: nearby words of the sentence, less the names in it (who
        # reports a toll is no part of what it counts).
        # "$5 million in aid": with a currency sign the unit is the sign, not the next word.
        as_given = doc.text[found.start() : found.end("scale") if found.group("scale") else found.end("num")] if found.group("cur") else found.group(0).strip()
        left, right = doc.sentence(found.start(), found.end())
        named = set().union(*(content_words(doc.text[m[0] : m[1]]) for m in doc.inside(left, right)))
        before = _WORD.findall(doc.text[left : found.start()])[-window:]
        after = _WORD.findall(doc.text[found.end() : right])[:window]
        tellings.append(
            Telling(article=doc.meta.id, kind="quantity", text=f"{as_given} ({_number(value)} {unit})",
                    start=left, end=right, chain=doc.chain(found.start(), found.end()),
                    unit=unit, number=value, words=content_words(" ".join(before + after)) - named,
                    detail={"value": value, "unit": unit, "as_given": as_given})
        )
    return tellings


def _date_tellings(doc: _Article) -> list[Telling]:
    tellings = []
    for time in doc.ann.get("times", []):
        value = parse_value(time.get("value"))
        if value is None:
            continue
        left, right = doc.sentence(time["start"], time["end"])
        tellings.append(
            Telling(article=doc.meta.id, kind="date", text=show_value(value.raw), start=left, end=right,
                    chain=doc.chain(time["start"], time["end"]), date=value,
                    detail={"value": value.raw, "as_given": time["text"], "granularity": value.granularity})
        )
    return tellings


def _place_tellings(doc: _Article, events: Iterable[Telling]) -> list[Telling]:
    return [
        Telling(article=doc.meta.id, kind="place", text=e.place, start=e.start, end=e.end, chain=e.chain,
                key=e.place.lower(), place=e.place, detail={"place": e.place, "event": e.text})
        for e in events
        if e.place
    ]


def tellings(article: StoryArticle) -> list[Telling]:
    """Every telling in one article, events first (most salient first, as annotated)."""
    doc = _Article(article)
    events = _event_tellings(doc)
    return [*events, *_quote_tellings(doc), *_no_comment_tellings(doc), *_quantity_tellings(doc),
            *_date_tellings(doc), *_place_tellings(doc, events)]


# --- aligning across articles ----------------------------------------------------------------
def _same_fact(a: Telling, b: Telling) -> bool:
    """Whether two tellings (of one kind family) tell the same fact."""
    limits = _resource()["thresholds"]
    if a.kind == "event":
        if a.plover != b.plover or not a.actor or a.actor != b.actor:
            return False
        if a.target is None and b.target is None:
            # No target to tie them: an actor does one kind of thing many times in a story, so the
            # sentences must also be about the same things.
            return jaccard(a.words, b.words) >= limits["untargeted_event_context"]
        return a.target == b.target or bool(a.target and a.target in b.participants) or bool(b.target and b.target in a.participants)
    if a.kind in ("quote", "claim"):
        if a.no_comment or b.no_comment:
            return a.no_comment and b.no_comment and a.speaker == b.speaker
        similarity = jaccard(a.words, b.words)
        if a.speaker and a.speaker == b.speaker:
            return similarity >= limits["same_speaker_claim"]
        # Across speakers only a substantial statement counts: "the ceasefire" is no claim.
        return min(len(a.words), len(b.words)) >= limits["claim_min_words"] and similarity >= limits["any_speaker_claim"]
    if a.kind == "quantity":
        shared = len(a.words & b.words)
        return a.unit == b.unit and shared >= limits["quantity_min_shared"] and jaccard(a.words, b.words) >= limits["quantity_context"]
    if a.kind == "date":
        return a.date is not None and b.date is not None and a.date.granularity == b.date.granularity and compatible(a.date, b.date)
    return a.key == b.key


def _bucket(telling: Telling) -> tuple[object, ...]:
    """The keys ``_same_fact`` requires equal, so that only tellings sharing them are compared."""
    if telling.kind == "event":
        return ("event", telling.plover, telling.actor) if telling.actor else ("event", id(telling))
    if telling.kind in ("quote", "claim"):
        return ("no comment", telling.speaker) if telling.no_comment else ("statement",)
    if telling.kind == "quantity":
        return ("quantity", telling.unit)
    if telling.kind == "date":
        return ("date", telling.date.granularity if telling.date else None)
    return (telling.kind, telling.key)


def align(all_tellings: Sequence[Telling]) -> list[list[Telling]]:
    """Groups of tellings of one fact, in order of first telling. A telling joins the first
    group holding a matching telling (from another article, or one its own article repeats);
    otherwise it starts a group."""
    groups: list[list[Telling]] = []
    by_bucket: dict[tuple[object, ...], list[list[Telling]]] = {}
    words_of: dict[int, set[str]] = {}  # a group's words: statements and counts sharing none never match
    for telling in all_tellings:
        candidates = by_bucket.setdefault(_bucket(telling), [])
        worded = telling.kind in ("quote", "claim", "quantity") and not telling.no_comment
        for group in candidates:
            if worded and not (telling.words & words_of[id(group)]):
                continue
            if any(_same_fact(member, telling) for member in group):
                group.append(telling)
                words_of[id(group)] |= telling.words
                break
        else:
            groups.append([telling])
            words_of[id(groups[-1])] = set(telling.words)
            candidates.append(groups[-1])
    return groups


# --- the comparison --------------------------------------------------------------------------
def compare_story(articles: Sequence[StoryArticle], story: str | int | None = None,
                  told: Sequence[Telling] | None = None) -> dict[str, Any]:
    """The story's facts aligned across its articles, with contradictions and developments.

    The shape is SPEC.md's ``parallax compare`` output; each fact also carries, per article,
    ``sentences`` (the evidence's words) and ``details`` (the values as that article gives
    them), so that a side-by-side view needs nothing else. ``told`` passes the articles'
    tellings when the caller already has them (a story page also draws the timeline).
    """
    order = {a.id: i for i, a in enumerate(articles)}
    meta = {a.id: a for a in articles}
    all_tellings = list(told) if told is not None else [t for a in articles for t in tellings(a)]
    groups = align(all_tellings)
    position = {id(t): i for i, t in enumerate(all_tellings)}
    groups.sort(key=lambda g: (KINDS.index(_group_kind(g)), -len({t.article for t in g}), position[id(g[0])]))
    facts, fact_of_group = [], {}
    for number, group in enumerate(groups, start=1):
        fact_id = f"f{number}"
        fact_of_group[id(group)] = fact_id
        first = representatives(group)
        told_by = sorted(first, key=order.__getitem__)
        facts.append({
            "id": fact_id,
            "kind": _group_kind(group),
            "text": _group_text(group),
            "told_by": told_by,
            "chains": {a: first[a].chain for a in told_by},
            "evidence": {a: {"start": first[a].start, "end": first[a].end} for a in told_by},
            "sentences": {a: " ".join(meta[a].annotation["text"][first[a].start : first[a].end].split()) for a in told_by},
            "details": {a: first[a].detail for a in told_by},
        })
    contradictions: list[dict[str, Any]] = []
    developments: list[dict[str, Any]] = []
    for group in groups:
        first = representatives(group)
        if len(first) < 2:
            continue
        for difference, explained in _differences(_group_text(group), list(first.values()), meta):
            difference["facts"] = [fact_of_group[id(group)]]
            (developments if explained else contradictions).append(difference)
    for difference, explained in _stance_changes(groups, meta):
        difference["facts"] = [fact_of_group[id(g)] for g in difference.pop("groups")]
        (developments if explained else contradictions).append(difference)
    return {
        "story": story,
        "articles": [a.id for a in articles],
        "facts": facts,
        "contradictions": contradictions,
        "developments": developments,
    }


def representatives(group: Sequence[Telling]) -> dict[str, Telling]:
    """Each article's best telling of a fact: the one with the longest source chain, then a
    date, then the most salient (a headline states the fact; the body says who says so)."""
    best: dict[str, Telling] = {}
    for telling in group:
        held = best.get(telling.article)
        if held is None or (len(telling.chain), telling.date is not None) > (len(held.chain), held.date is not None):
            best[telling.article] = telling
    return best


def _group_kind(group: Sequence[Telling]) -> str:
    kinds = {t.kind for t in group}
    return "claim" if kinds == {"quote", "claim"} else group[0].kind


def _group_text(group: Sequence[Telling]) -> str:
    head = group[0]
    if head.kind != "event":
        return head.text
    targets = list(dict.fromkeys(t.target for t in group if t.target))
    verb = head.plover + (f" ({head.detail['mode']})" if head.detail.get("mode") else "")
    return " ".join(p for p in (head.actor or "(someone)", verb, ("→ " + " / ".join(targets)) if targets else "") if p)


def _number(value: float) -> str:
    return f"{value:g}" if value < 1e6 else f"{value:,.0f}"


def _same_source(a: str, b: str) -> bool:
    """Whether two source names name one source: "Kristi Noem (Homeland Security)" and "Kristi
    Noem", "the Baloch Liberation Army" and "BLA" (initials), "Lavrov" and "Sergei Lavrov"."""
    def words(name: str) -> list[str]:
        return [w for w in re.findall(r"[\w’'-]+", re.sub(r"\(.*?\)", "", name).lower()) if w != "the"]

    left, right = words(a), words(b)
    if not left or not right:
        return False
    if set(left) <= set(right) or set(right) <= set(left):
        return True
    initials = {"".join(w[0] for w in left), "".join(w[0] for w in right)}
    return any(len(x) == 1 and x[0] in initials for x in (left, right))


def _date_as_told(telling: Telling) -> str:
    """An event's date with the other times its sentence gives ("2018-07-19; also 2018-FA")."""
    assert telling.date is not None
    others = telling.detail.get("other_times") or []
    return telling.date.raw + (f"; also {', '.join(others)}" if others else "")


def _innermost_source(telling: Telling, outlet: str | None) -> str | None:
    chain = telling.chain[1:] if outlet and telling.chain and telling.chain[0] == outlet else telling.chain
    return chain[-1] if chain else None


def _differences(about: str, told: list[Telling], meta: dict[str, StoryArticle]) -> Iterable[tuple[dict[str, Any], bool]]:
    """Each way the articles telling one fact differ, and whether time explains it."""
    tolerance = _resource()["thresholds"]["quantity_tolerance"]
    pairs = [(a, b) for i, a in enumerate(told) for b in told[i + 1 :]]

    def explained(a: Telling, b: Telling) -> bool:
        early, late = sorted((a, b), key=lambda t: meta[t.article].day or date.max)
        early_day, late_day = meta[early.article].day, meta[late.article].day
        if not early_day or not late_day or early_day >= late_day:
            return False
        if early.kind == "quantity":
            return True  # a count given days apart is an update (a toll that rose), not a clash
        if early.status in ("planned", "hypothetical") and late.status in ("asserted", "reported", "negated"):
            return True
        return late.date is not None and later_than(late.date, early_day)

    def entry(kind: str, values: dict[str, str], clash: list[tuple[Telling, Telling]]) -> tuple[dict[str, Any], bool]:
        return {"kind": kind, "about": about, "values": values}, all(explained(a, b) for a, b in clash)

    dated = [(a, b) for a, b in pairs if a.date and b.date and not compatible(a.date, b.date)]
    if dated:
        yield entry("date", {t.article: _date_as_told(t) for t in told if t.date}, dated)
    if told[0].kind == "event":
        placed = [(a, b) for a, b in pairs if a.place and b.place and a.place != b.place
                  and not _Article(meta[a.article]).mentions_place(b.place) and not _Article(meta[b.article]).mentions_place(a.place)]
        if placed:
            yield entry("place", {t.article: t.place for t in told if t.place}, placed)
        flipped = [(a, b) for a, b in pairs if (a.status == "negated") != (b.status == "negated")]
        if flipped:
            yield entry("polarity", {t.article: t.status or "asserted" for t in told}, flipped)
    if told[0].kind == "quantity":
        counted = [(a, b) for a, b in pairs if a.number and b.number and abs(a.number - b.number) > tolerance * max(a.number, b.number)]
        if counted:
            yield entry("quantity", {t.article: f"{_number(t.number or 0)} {t.unit}" for t in told}, counted)
    if told[0].kind not in ("event", "quote", "claim"):
        return  # a date, number or place is not "said" by anyone in particular
    sources = {t.article: _innermost_source(t, meta[t.article].outlet) for t in told}
    named = [s for s in sources.values() if s]
    if any(not _same_source(a, b) for i, a in enumerate(named) for b in named[i + 1 :]):
        chains = {t.article: " ← ".join(t.chain) + (f" ({t.detail['channel']})" if t.detail.get("channel") else "")
                  for t in told if sources[t.article]}
        yield {"kind": "attribution", "about": about, "values": chains}, False


def _stance_changes(groups: Sequence[list[Telling]], meta: dict[str, StoryArticle]) -> Iterable[tuple[dict[str, Any], bool]]:
    """A party that "has not commented" in one article and speaks in a later one: a development.
    Silence reported after a statement contradicts nothing (it answers a later request), so only
    silence that came first (by publication day) is paired."""
    statements = [g for g in groups if g[0].kind in ("quote", "claim") and not g[0].no_comment and g[0].speaker]
    for silent in (g for g in groups if g[0].no_comment):
        for told in statements:
            if told[0].speaker != silent[0].speaker:
                continue
            quiet, spoke = silent[0], next((t for t in told if t.article != silent[0].article), None)
            if spoke is None:
                continue
            quiet_day, spoke_day = meta[quiet.article].day, meta[spoke.article].day
            if not quiet_day or not spoke_day or quiet_day >= spoke_day:
                continue
            values = {quiet.article: "no comment", spoke.article: spoke.detail.get("content") or spoke.text}
            yield {"kind": "polarity", "about": f"{quiet.speaker}'s response", "values": values, "groups": [silent, told]}, True
            break


# --- reading it in a terminal ----------------------------------------------------------------
def format_comparison(result: dict[str, Any], articles: Sequence[StoryArticle]) -> str:
    """The comparison as an analyst reads it in a terminal: agreed facts, facts only some
    outlets tell (naming them), then contradictions and developments, each with its chains."""
    label = {a.id: f"[{a.id}] {a.outlet or 'outlet unknown'}" for a in articles}
    texts = {a.id: a.annotation["text"] for a in articles}
    facts = {f["id"]: f for f in result["facts"]}
    everyone = set(result["articles"])
    lines = [f"story {result['story']}: {len(everyone)} articles"]
    lines += [f"  {label[a]}  {next((x.title for x in articles if x.id == a), '') or ''}".rstrip() for a in result["articles"]]

    def fact_lines(fact: dict[str, Any]) -> list[str]:
        out = [f"  {fact['id']} {fact['kind']}: {fact['text']}"]
        for a in fact["told_by"]:
            span = fact["evidence"][a]
            sentence = " ".join(texts[a][span["start"] : span["end"]].split())
            chain = " ← ".join(fact["chains"][a]) or "(no source named)"
            out.append(f"      {label[a]}  via {chain}")
            out.append(f"        “{sentence}”")
        return out

    shared = [f for f in result["facts"] if set(f["told_by"]) == everyone and f["kind"] in ("event", "quote", "claim", "quantity")]
    some = [f for f in result["facts"] if set(f["told_by"]) != everyone and f["kind"] in ("event", "quote", "claim", "quantity")]
    lines.append(f"\ntold by all ({len(shared)}):")
    for fact in shared:
        lines += fact_lines(fact)
    lines.append(f"\ntold by only some ({len(some)}):")
    for fact in some:
        lines += fact_lines(fact)[:1] + [f"      only {', '.join(label[a] for a in fact['told_by'])}"]
    for heading, entries in (("contradictions", result["contradictions"]), ("developments", result["developments"])):
        lines.append(f"\n{heading} ({len(entries)}):")
        for entry in entries:
            lines.append(f"  {entry['kind']}: {entry['about']}  (facts {', '.join(entry['facts'])})")
            for a, value in entry["values"].items():
                lines.append(f"      {label[a]}: {value}")
            for fact_id in entry["facts"]:
                for a in facts[fact_id]["told_by"]:
                    lines.append(f"      {label[a]} chain: {' ← '.join(facts[fact_id]['chains'][a]) or '(none)'}")
    return "\n".join(lines)


# --- the stateless command: records in, comparisons out ---------------------------------------
def compare_records(records: Sequence[dict[str, Any]], by: str = "story") -> Iterable[dict[str, Any]]:
    """``parallax compare INPUT.jsonl``: cluster the records (as ``parallax cluster``), annotate
    each record of a group of two or more with its own ``published`` day as the document date,
    and compare each such story (or storyline, ``by="storyline"``), in order of first record."""
    from parallax.annotate import annotate
    from parallax.stories import cluster_records

    assigned = cluster_records(records)  # also validates ids and published dates
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record, row in zip(records, assigned):
        groups.setdefault(row[by], []).append(record)
    for group_id, members in groups.items():
        if len(members) < 2:
            continue
        articles = []
        for record in members:
            published = str(record["published"]) if record.get("published") else None
            annotation = annotate(record.get("text") or "", dct=date.fromisoformat(published[:10]) if published else None,
                                  language=record.get("language") or "en", outlet=record.get("outlet")).to_json()
            articles.append(StoryArticle(str(record["id"]), annotation, record.get("outlet"), published, record.get("title")))
        yield compare_story(articles, group_id)

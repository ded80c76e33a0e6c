"""Differences a reader would sign, between the tellings of one aligned fact.

Each kind compares one slot, and only where both tellings fill it:

- quantity: the same counted thing (the same counted noun or unit) with intervals that do not
  meet; "around 800", "at least a dozen", "tens of thousands" and a rounded figure each allow
  what their wording allows (``annotate/claims.py``), so "$115 billion" and "$114.91 billion"
  agree and "12 bodies" and "20 bodies" do not, nor do two different bounds given alike ("more
  than 10,000" / "more than 15,000") — when the two counts are one count (the same counting
  verb, or the same main verb for both sentences; not a light verb such as "be"). A count that
  agrees with the old value of a change the other telling gives and not with its new value
  ("25% tariffs take effect" / "doubling the 25% tariff to 50%") differs too.
- date, of one happening (one predicate or one coded event, of one actor): no date of one telling is
  compatible with any of the other's. Dates more than a week apart told in differently worded
  sentences are not one happening misdated but two happenings (two invitations months apart):
  that is noted on the fact, not raised. One sentence told nearly word for word with another
  date is one happening misdated. Weekday names are compared when the text gives no calendar
  date ("early Saturday" / "on Monday").
- place: of one happening, each names a place tied to the predicate by a locative preposition
  that the other article never mentions; or one sentence told nearly word for word names
  another place in place of one (one of the two never named by the other article).
- polarity, of one predicate, one sentence told nearly word for word or a sure alignment:
  asserted against denied; stated against "could not independently verify".
- attribution: both name the final source of one claim (told nearly word for word), and the
  sources differ.

Two rules look past the aligned facts, since outlets rarely give one figure in sentences that
align: counts of one thing in the articles' leads (``lead_count_differences``: a toll, or a
counted noun with its counting verb), and a party silent in one article ("has not commented",
"did not say whether") who speaks in another (``stance_changes``).

A difference that publication order explains is a development: a count given days apart (a
toll that rose), "has not commented" or "unconfirmed" followed by a statement, a plan followed
by what happened. When the articles' days are unknown the difference is reported with the note
that the order is unknown.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from importlib import resources
from typing import Any, TypeVar

from parallax.compare.tellings import (
    DENIAL,
    LIGHT_VERBS,
    STOPWORDS,
    StoryArticle,
    Telling,
    content_words,
    one_predicate,
    party_before,
    same_source,
    verb_stem,
)
from parallax.views.dates import TimeValue, compatible, later_than

T = TypeVar("T")
# A date clash further apart than this is two happenings, not one happening misdated.
SAME_HAPPENING_DAYS = 7
# The statements of an article's lead: where news gives a happening's toll. Chosen on the
# tuning half of the comparison dev set (session 14, counts of the others set aside; labelled
# differences with both sides anchored, false ones): 6 → 7 of 18, 0; 8 and 10 → 8, 0; 12 and
# 15 → 7, 1 (a past storm's toll, "some 3,000 people died in that Category 5 storm", taken for
# the lead's); 20 → 7, 0. Of the tie the wider reach was taken.
LEAD_TELLINGS = 10
# Hours between two publication times of one day that put the articles in order (a story's
# figures move within a news cycle); set by judgement, not tuned: the dev set's labels do not
# tell a contradiction from a development.
UPDATE_HOURS = 6
# The mark of a toll of the armed side's dead ("dead (armed)"), kept apart from the victims'.
ARMED = " (armed)"
WEAK_STANCES = ("not_commented", "unconfirmed", "planned", "hypothetical")
KIND_WEIGHT = {"quantity": 1.0, "date": 0.9, "polarity": 0.9, "place": 0.8, "attribution": 0.6}


@dataclass
class Difference:
    kind: str
    about: str
    values: dict[str, str]
    tellings: list[Telling]
    development: bool = False
    note: str | None = None

    def sources(self) -> dict[str, str | None]:
        return {t.article: t.source for t in self.tellings}


def differences(about: str, told: Sequence[Telling], meta: dict[str, StoryArticle],
                sure: bool = False, ambiguous: Set[tuple[str, str]] = frozenset(),
                within: Mapping[str, Hashable] | None = None) -> tuple[list[Difference], str | None]:
    """The differences among one fact's tellings (one per article), and a note on the fact when
    its tellings date different happenings. ``sure``: the tellings were aligned with a score at
    or above the model's ``happening_threshold``, so they tell one happening whatever their
    verbs ("12 people were killed" / "20 people died"). ``ambiguous``: ``counted_twice``, the
    things an article's lead counts with figures that are parts, none of which is set against
    another telling's count. ``within`` (article → story, for a storyline): tellings from two
    stories tell two happenings (an invitation in a March call, another after a July summit),
    so their values are each one's own and never a difference; the fact says so."""
    found: list[Difference] = []
    occasions: str | None = None
    for i, a in enumerate(told):
        for b in told[i + 1 :]:
            if within is not None and within.get(a.article) != within.get(b.article):
                occasions = "told of different stories of the storyline: each article's values are its own"
                continue
            for difference in _pair(about, a, b, meta, sure, ambiguous):
                found.append(difference)
            if _different_occasions(a, b):
                occasions = "told of different occasions: " + "; ".join(
                    f"{t.article}: {', '.join(d.value.raw for d in t.times)}" for t in (a, b))
    return _merged(found), occasions


def one_happening(a: Telling, b: Telling, sure: bool = False) -> bool:
    """Whether two aligned sentences tell one happening, so that its date, place or truth can
    clash: a ``sure`` alignment, one predicate, or one coded event (the same PLOVER type); never
    when their coded events name actors that share no word. "Militants attacked a passenger
    train Tuesday" and "as the military completed an hourslong rescue operation and killed 33
    terrorists" on Wednesday are two acts of two sides, both coded ASSAULT and aligned as two
    leads of one story: their days are each act's own."""
    if _other_actors(a, b):
        return False
    if sure or one_predicate(a, b):
        return True
    return bool(a.event and b.event and a.event.get("plover") == b.event.get("plover"))


def _other_actors(a: Telling, b: Telling) -> bool:
    """Whether both sentences' coded events name their actor and the two share no content word."""
    actors = [t.event.get("actor") if t.event else None for t in (a, b)]
    return all(actors) and not content_words(str(actors[0])) & content_words(str(actors[1]))


def one_claim(a: Telling, b: Telling) -> bool:
    """Whether two sentences carry one claim nearly word for word (at least half their content
    words shared), which is what makes two different sources for it a difference rather than
    two people saying alike."""
    return bool(a.words and b.words) and len(a.words & b.words) / len(a.words | b.words) >= 0.5


def _pair(about: str, a: Telling, b: Telling, meta: dict[str, StoryArticle], sure: bool,
          ambiguous: Set[tuple[str, str]]) -> Iterable[Difference]:
    happening = one_happening(a, b, sure)
    # A count against the old value of a change the other tells, when the two tell one
    # happening: "imposed 25% tariffs on Canadian and Mexican exports" and "doubling the 25%
    # tariff on Canada's steel to 50%" align loosely and are two tariffs.
    for first, second in ((a, b), (b, a)) if happening or one_claim(a, b) else ():
        for stated, old, new in _changed(first, second):
            yield _timed(Difference("quantity", f"{about} — how many ({stated.get('head') or ''})",
                                    {first.article: _as_given(stated), second.article: f"{_as_given(old)} → {_as_given(new)}"},
                                    [a, b]), a, b, meta)
    for qa, qb in _same_counted(a, b):
        if _agree(qa, qb) or _in_lead_parts(a, qa, ambiguous) or _in_lead_parts(b, qb, ambiguous):
            continue
        # One count of one thing: the same counting verb ("killed 16" / "killed 33"), one toll
        # ("12 were killed" / "20 died"), one measured thing ("winds of 155kmh" / "winds of
        # 169kmh"), or one predicate for both sentences; "12 million in
        # need" and "24 million displaced" are two counts. A sure alignment alone is not enough:
        # "an operation hours earlier left 16 militants dead" and "airstrikes killed 50
        # militants" align, and are two operations. One sentence told nearly word for word
        # carries one count whatever its verb ("It's about $100 for each year" / "$150").
        same_count = qa.get("verb") and qa.get("verb") == qb.get("verb") and qa["verb"] not in LIGHT_VERBS
        same_toll = outcome(a, qa) is not None and outcome(a, qa) == outcome(b, qb)
        same_measure = qa.get("measures") is not None and qa.get("measures") == qb.get("measures")
        if not (same_count or same_toll or same_measure or one_predicate(a, b) or one_claim(a, b)):
            continue
        # Of one thing only if of one party and one group (``_other_parties``, ``_one_group``),
        # and both of one happening or both running totals ("1,250 killed in the last 15 months"
        # is no toll of the attack that killed 16).
        if _other_parties(a, b) and not one_claim(a, b) or not _one_group(qa, qb) or a.period != b.period:
            continue
        noun = qa.get("head") or ""
        yield _timed(Difference("quantity", f"{about} — how many ({noun})",
                                {a.article: _as_given(qa), b.article: _as_given(qb)}, [a, b]), a, b, meta)
    if happening and _date_clash(a, b):
        yield _timed(Difference("date", about, {a.article: _dates(a), b.article: _dates(b)}, [a, b]), a, b, meta)
    elif (happening or one_claim(a, b)) and _said_on_other_days(a, b):
        # One statement said on two different days: dates of the saying are compared with
        # each other only, never with the date of what was said.
        yield _timed(Difference("date", f"{about} — when it was said",
                                {x.article: "; ".join(f"{d.value.raw} ({d.as_given})" for d in x.said_times) for x in (a, b)},
                                [a, b]), a, b, meta)
    place = _place_clash(a, b, meta, happening)
    if place:
        yield Difference("place", about, {a.article: place[0], b.article: place[1]}, [a, b])
    # Truth against denial needs one proposition: the same predicate, near-verbatim wording or a
    # sure alignment (of a denial by its verb); one coded event type ("critics suggest Europe
    # can't afford it" / "lawmakers welcomed the ceasefire") is not one.
    # A sentence that negates its own predicate ("did not open the cover") is set against an
    # aligned one only when the other tells that very predicate: a sure alignment of two
    # sentences about one scene, or their shared words, do not make "did not open … and
    # assumed" deny "he had assumed", nor "She did not name them but X said" deny "X said".
    if _polarity_clash(a, b) and (sure and not (a.negated or b.negated) or one_predicate(a, b)
                                  or one_claim(a, b) and _tells_negated(a, b) and _tells_negated(b, a)
                                  or _unverified(a) or _unverified(b)):
        yield _timed(Difference("polarity", about, {a.article: a.stance, b.article: b.stance}, [a, b]), a, b, meta)
    # Only sources the sentences name by name (not a guess carried from elsewhere, nor "the
    # party" resolved to someone) are set against each other.
    if a.source_named and b.source_named and a.kind in ("quote", "claim") and b.kind in ("quote", "claim") \
            and a.source and b.source and not same_source(a.source, b.source) and not _share_name(a.source, b.source) \
            and one_claim(a, b) \
            and not _named_in(a.source, b.text) and not _named_in(b.source, a.text):
        yield Difference("attribution", about, {a.article: " ← ".join(a.chain), b.article: " ← ".join(b.chain)}, [a, b])


def _unverified(telling: Telling) -> bool:
    """Whether a sentence is about something not being confirmed, its own predicate a
    verification verb ("did not confirm the death of the train driver", "could not verify the
    figures"): what it leaves open is what an aligned sentence of another article states ("the
    driver has died"), whatever that sentence's verb."""
    return telling.stance == "unconfirmed" and telling.verb in _claims_vocabulary()["stance"]["verification_verbs"]


def _tells_negated(negating: Telling, other: Telling) -> bool:
    """Whether ``other`` tells the predicate ``negating`` negates (among its words), or
    ``negating`` negates nothing; a light verb ("was not armed") is told by any sentence."""
    if not negating.negated or not negating.verb or negating.verb in LIGHT_VERBS:
        return True
    return verb_stem(negating.verb) <= other.words


def _in_lead_parts(telling: Telling, quantity: dict[str, Any], ambiguous: Set[tuple[str, str]]) -> bool:
    """Whether a lead count is one of the parts its article counts one thing in (``counted_twice``)."""
    key = _counted_thing(quantity)
    return telling.index < LEAD_TELLINGS and key is not None and (telling.article, key) in ambiguous


def _share_name(a: str, b: str) -> bool:
    """Whether two sources share a name ("Datuk Seri Saifuddin" and "Saifuddin Abdullah", one
    minister titled and named two ways): not sure to be two sources, so no attribution clash."""
    def names(source: str) -> set[str]:
        bare = re.sub(r"\(.*?(?:\)|$)", "", source)
        return {w.lower() for w in re.findall(r"[^\W\d_][\w'’-]*", bare) if w[0].isupper() and w.lower() not in STOPWORDS}

    return bool(names(a) & names(b))


def _named_in(source: str, sentence: str) -> bool:
    """Whether a sentence names the source too, outside what it quotes (its last name as a
    word): "Houston and Chao said …" credited to Houston in one telling and to Chao in the other
    is one sentence with two speakers, not a claim moved from one source to another; a quote
    that mentions "Mr. Bennett" names no speaker."""
    words = re.findall(r"[\w'-]+", re.sub(r"\(.*?(?:\)|$)", "", source))
    unquoted = re.sub(r"“[^”]*”?|\"[^\"]*\"?", " ", sentence)
    return bool(words) and re.search(rf"\b{re.escape(words[-1])}\b", unquoted) is not None


def _changed(a: Telling, b: Telling) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """Where ``b`` tells a change of what ``a`` counts ("doubling the 25% tariff to 50%" against
    "25% tariffs take effect Wednesday"): ``a``'s one count of the thing agrees with the old
    value and not with the new. Returns (a's count, old, new) for each such thing."""
    out = []
    for head in {q["head"] for q in b.quantities if q.get("change") == "to" and q.get("head")}:
        olds = [q for q in b.quantities if q.get("head") == head and q.get("change") == "from"]
        news = [q for q in b.quantities if q.get("head") == head and q.get("change") == "to"]
        stated = [q for q in a.quantities if q.get("head") == head]
        if len(olds) == len(news) == len(stated) == 1 and not stated[0].get("change") \
                and _agree(stated[0], olds[0]) and not _agree(stated[0], news[0]):
            out.append((stated[0], olds[0], news[0]))
    return out


def _same_counted(a: Telling, b: Telling) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Pairs of counts of the same thing, one from each telling. When a sentence counts one
    thing more than once ("from $106 trillion to $127 trillion"), the counts the other telling
    gives alike are paired off first; what is left is a pair only when exactly one count is left
    on each side (which of several would correspond is not known)."""
    def by_head(told: Telling) -> dict[tuple[str, bool], list[dict[str, Any]]]:
        grouped: dict[tuple[str, bool], list[dict[str, Any]]] = {}
        for q in told.quantities:
            # The value before a change is not the telling's; a count of the others is set
            # against a count of the others only ("four others" / "six others" injured), never
            # against a whole ("five people" / "seven other people" killed).
            if q.get("head") and q.get("change") != "from":
                grouped.setdefault((q["head"], _remainder(q)), []).append(q)
        return grouped

    left, right = by_head(a), by_head(b)
    pairs = []
    for thing in left.keys() & right.keys():
        rest_a, rest_b = _pair_off(left[thing], right[thing], _agree)
        if len(left[thing]) == len(right[thing]) and len(rest_a) == 1:
            pairs.append((rest_a[0], rest_b[0]))
    return pairs


def _pair_off(left: Sequence[T], right: Sequence[T], *tests: Callable[[T, T], bool]) -> tuple[list[T], list[T]]:
    """What is left of two sentences' values after pairing off those given alike, one to one,
    by each test in turn (the strictest first)."""
    rest_left, rest_right = list(left), list(right)
    for alike in tests:
        for x in list(rest_left):
            partner = next((y for y in rest_right if alike(x, y)), None)
            if partner is not None:
                rest_left.remove(x)
                rest_right.remove(partner)
    return rest_left, rest_right


def _agree(qa: dict[str, Any], qb: dict[str, Any], bounds: bool = True) -> bool:
    """Whether two counts can be one figure: their intervals (what their wording allows) meet,
    and (with ``bounds``) they are not two different bounds given the same way. "More than
    10,000" and "more than 15,000" participants, "up to 500" and "up to 1,000" people: each
    outlet states the figure it vouches for, and a reader sets the two against each other."""
    if qa["high"] is not None and qa["high"] < qb["low"] or qb["high"] is not None and qb["high"] < qa["low"]:
        return False
    if not bounds:
        return True
    direction = _bound(qa)
    return direction is None or direction != _bound(qb) or _one_figure(qa["value"], qb["value"])


def _one_figure(x: float, y: float) -> bool:
    """Whether two figures can be one figure rounded: "up to 10 million" and "up to 9.8 million"
    customers are one bound, "more than 10,000" and "more than 15,000" two. A figure allows the
    rounding of its last non-zero digit, never looser than "about" it (as ``parse_amount``)."""
    def allowed(value: float) -> tuple[float, float]:
        exponent = Decimal(repr(value)).normalize().as_tuple().exponent
        half = 0.5 * 10 ** exponent if isinstance(exponent, int) else 0.0
        low, high = _claims_vocabulary()["approximations"]["about"]
        return max(value - half, value * low), min(value + half, value * high)

    (low_x, high_x), (low_y, high_y) = allowed(x), allowed(y)
    return low_x <= high_y and low_y <= high_x


def _bound(quantity: dict[str, Any]) -> str | None:
    """"lower" for a count given as a lower bound ("more than", "at least"), "upper" for an
    upper one ("up to", "fewer than"), None otherwise (``approximations`` in claims.json)."""
    approx = quantity.get("approx") or ""
    for phrase, (low, high) in _claims_vocabulary()["approximations"].items():
        if approx == phrase or approx.startswith(phrase + " "):
            return "lower" if high is None else "upper" if low == 0 else None
    return None


# What a count of a part names by a pronoun after "of" ("37 of whom", "three of them").
_PARTITIVE_PRONOUNS = frozenset({"whom", "which", "them", "those", "these", "us"})


def _as_given(q: dict[str, Any]) -> str:
    """The count as the article words it: "At least 20" and its noun phrase "20 people" read
    "At least 20 people"."""
    noun, text = q.get("noun") or "", q["text"]
    if text in noun:
        return noun
    if q.get("head") in _PARTITIVE_PRONOUNS:  # "37 of whom were injured" counts "37 of whom"
        return f"{text} of {noun}"
    words, noun_words = text.split(), noun.split()
    # The words the two share where the count ends and the phrase begins ("More than four dozen"
    # and "four dozen minerals" read "More than four dozen minerals").
    for size in range(min(len(words), len(noun_words)), 0, -1):
        if words[-size:] == noun_words[:size]:
            return " ".join(words + noun_words[size:])
    last = words[-1] if words else ""
    if last and noun.startswith(last):
        return text + noun[len(last):]
    if noun and last.lower() in _claims_vocabulary()["vague_amounts"]:  # "tens of thousands" of "protesters"
        return f"{text} of {noun}"
    return f"{text} {noun}".strip()


def _dates(t: Telling) -> str:
    if t.times:
        return "; ".join(f"{d.value.raw} ({d.as_given})" for d in t.times)
    return ", ".join(sorted(t.weekdays))


def _gap_days(x: TimeValue, y: TimeValue) -> float:
    """Days between two values' earliest days, assuming a shared year when one is open."""
    if x.month is None or y.month is None:
        return math.inf
    year_x = x.year or y.year or 2000
    year_y = y.year or x.year or 2000
    first = date(year_x, x.month, x.day or 1)
    second = date(year_y, y.month, y.day or 1)
    return abs((first - second).days)


# A happening dated from another one the sentence names ("rescued 190 passengers, a day after an
# attack on a train", "hours before the vote"): TimeML's signal of a relation between two events,
# so the sentence tells two happenings on two dates.
_DATED_FROM_ANOTHER = re.compile(r"\b(?:days?|hours?|weeks?|months?)\s+(?:after|before)\s+(?:a|an|the|its|his|her|their)\b", re.I)


def _date_clash(a: Telling, b: Telling) -> bool:
    """Whether two aligned tellings of one happening date it differently. A sentence that dates
    its happening from another one it names (``_DATED_FROM_ANOTHER``) is set against another
    sentence's date only when the two are one claim nearly word for word: "Militants attacked a
    train Tuesday" and "the army rescued 190 passengers Wednesday, a day after an attack on a
    train" agree."""
    if (_DATED_FROM_ANOTHER.search(a.text) or _DATED_FROM_ANOTHER.search(b.text)) and not one_claim(a, b):
        return False
    if a.times and b.times:
        if one_claim(a, b) and _one_date_left_each(a, b):
            return True
        if any(compatible(x.value, y.value) for x in a.times for y in b.times):
            return False
        # A weekday the sentence gives beside its dates ("alerted on Monday, which took place on
        # Sep 15") may be the other's date when that date's weekday is not known (no year).
        if any(_may_fall_on(day, when.value) for one, other in ((a, b), (b, a))
               for day in _loose_weekdays(one) for when in other.times):
            return False
        return one_claim(a, b) or min(_gap_days(x.value, y.value) for x in a.times for y in b.times) <= SAME_HAPPENING_DAYS
    if not a.times and not b.times and len(a.weekdays) == 1 and len(b.weekdays) == 1:
        return a.weekdays != b.weekdays
    return False


def _said_on_other_days(a: Telling, b: Telling) -> bool:
    """Whether two tellings date their statement ("the ministry said on Tuesday") to days that
    cannot be one, less than a week apart (further apart, they are two statements)."""
    if not (a.said_times and b.said_times) or a.source is None or b.source is None or not same_source(a.source, b.source):
        return False
    if any(compatible(x.value, y.value) for x in a.said_times for y in b.said_times):
        return False
    return min(_gap_days(x.value, y.value) for x in a.said_times for y in b.said_times) <= SAME_HAPPENING_DAYS


def _loose_weekdays(telling: Telling) -> list[str]:
    """The weekdays a sentence names that none of its resolved dates stands for."""
    named = {date(t.value.year, t.value.month, t.value.day).strftime("%A").lower()
             for t in telling.times if t.value.year and t.value.month and t.value.day}
    return [day for day in telling.weekdays if day.lower() not in named]


def _may_fall_on(weekday: str, value: TimeValue) -> bool:
    """Whether a date can fall on the weekday: a day of a known year is checked; a day or month
    of an unknown year can fall on any."""
    if value.year and value.month and value.day:
        return date(value.year, value.month, value.day).strftime("%A").lower() == weekday.lower()
    return value.year is None


def _one_date_left_each(a: Telling, b: Telling) -> bool:
    """Whether two sentences giving as many dates agree on all but one each, which differ: "held
    since their arrest in 2014, handed over on Feb. 27" / "in 2012 … on Feb. 27". As with counts,
    the dates given alike are paired off first."""
    if len(a.times) != len(b.times):
        return False
    # The same value first ("Feb. 27" with "Feb. 27"), then a compatible one: "2014" would
    # otherwise take the other's "Feb. 27" of an unknown year.
    rest_a, rest_b = _pair_off(a.times, b.times, lambda x, y: x.value.raw == y.value.raw,
                               lambda x, y: compatible(x.value, y.value))
    return len(rest_a) == 1 and len(rest_b) == 1


def _different_occasions(a: Telling, b: Telling) -> bool:
    if not (a.times and b.times) or one_claim(a, b) or any(compatible(x.value, y.value) for x in a.times for y in b.times):
        return False
    return min(_gap_days(x.value, y.value) for x in a.times for y in b.times) > SAME_HAPPENING_DAYS


def _place_clash(a: Telling, b: Telling, meta: dict[str, StoryArticle], happening: bool) -> tuple[str, str] | None:
    text_a = meta[a.article].annotation["text"].lower()
    text_b = meta[b.article].annotation["text"].lower()
    if happening:
        for pa in a.places:
            for pb in b.places:
                if pa.lower() != pb.lower() and pa.lower() not in text_b and pb.lower() not in text_a:
                    return pa, pb
    if one_claim(a, b):
        # One sentence told nearly word for word, each naming one place the other sentence
        # does not, and one of the two never named by the other article: the place was changed,
        # whatever its role in the sentence. Mentions are paired off: "the people of
        # Afghanistan … I have not traveled to Afghanistan" told with "… to South Korea" leaves
        # one Afghanistan over. "Africa" inside "South Africa" is no mention of its own.
        names = {p.lower() for p in a.placenames + b.placenames}

        def mentions(text: str, place: str) -> int:
            return text.count(place) - sum(text.count(longer) for longer in names if place in longer and longer != place)

        def more_often(x: Telling, y: Telling) -> list[str]:
            return [p for p in x.placenames if mentions(x.text.lower(), p.lower()) > mentions(y.text.lower(), p.lower())]

        only_a, only_b = more_often(a, b), more_often(b, a)
        if len(only_a) == 1 and len(only_b) == 1 and only_a[0].lower() != only_b[0].lower() \
                and (only_a[0].lower() not in text_b or only_b[0].lower() not in text_a):
            return only_a[0], only_b[0]
    return None


def _polarity_clash(a: Telling, b: Telling) -> bool:
    stances = {a.stance, b.stance}
    if stances == {"hypothetical", "denied"}:
        # A denial by its verb answers what was put as a possibility ("should keep their offers
        # open" / "denied that they should keep their offers open"); a plain negation does not:
        # "should have identified the hazard" says that it was not ("was not identified").
        return not (a.negated if a.stance == "denied" else b.negated)
    return stances in ({"asserted", "denied"}, {"asserted", "unconfirmed"}, {"planned", "denied"})


def published_order(first: StoryArticle, second: StoryArticle) -> int | None:
    """-1 when ``first`` came out before ``second``, 1 after it, 0 at one moment, None when a
    day is unknown. Articles of one day are in order when their publication times are
    ``UPDATE_HOURS`` apart or more (a toll given at 02:00 and another at 13:00 is the news
    moving); closer than that, or with no times, they are one moment's tellings."""
    day_a, day_b = first.day, second.day
    if not day_a or not day_b:
        return None
    if day_a != day_b:
        return -1 if day_a < day_b else 1
    moment_a, moment_b = first.moment, second.moment
    if moment_a is None or moment_b is None or abs(moment_a - moment_b) < timedelta(hours=UPDATE_HOURS):
        return 0
    return -1 if moment_a < moment_b else 1


def _timed(difference: Difference, a: Telling, b: Telling, meta: dict[str, StoryArticle]) -> Difference:
    """Mark a difference that publication order explains as a development; note an unknown order."""
    order = published_order(meta[a.article], meta[b.article])
    if order is None:
        difference.note = "publication order unknown"
        return difference
    if order == 0:
        return difference
    early, late = (a, b) if order < 0 else (b, a)
    early_day = meta[early.article].day
    if difference.kind == "quantity":
        difference.development = True  # a count given days or hours apart is an update (a toll that rose)
    elif difference.kind == "polarity" and early.stance in WEAK_STANCES:
        difference.development = True
    elif difference.kind == "date" and early_day and late.times and any(later_than(d.value, early_day) for d in late.times):
        difference.development = True  # rescheduled after the earlier article went out
    return difference


def _merged(found: list[Difference]) -> list[Difference]:
    """One difference per kind and fact: the pairwise findings of three or more articles joined."""
    merged: dict[tuple[str, bool], Difference] = {}
    for difference in found:
        key = (difference.kind, difference.development)
        held = merged.get(key)
        if held is None:
            merged[key] = difference
            continue
        held.values.update(difference.values)
        held.tellings += [t for t in difference.tellings if t not in held.tellings]
        held.note = held.note or difference.note
    return list(merged.values())


@lru_cache(maxsize=1)
def _claims_vocabulary() -> dict[str, Any]:
    """The claims annotator's vocabulary, ``resources/claims.json`` (read here rather than
    through the annotator, which loads spaCy: a comparison of stored annotations never needs it)."""
    return json.loads(resources.files("parallax.resources").joinpath("claims.json").read_text("utf-8"))


def outcome(telling: Telling, quantity: dict[str, Any]) -> str | None:
    """The human toll a count gives, if it gives one: "dead" for "12 people were killed", "45
    dead", "the death toll rose to 20", "31 people lost their lives" (the verb with its object);
    "injured", "missing", "arrested", "displaced" alike (``outcomes`` in ``resources/claims.json``)."""
    vocabulary = _claims_vocabulary()["outcomes"]
    offset = quantity["end"] - telling.start
    following = telling.text[offset:].split(None, 1)
    after = following[0].strip(".,;:)").lower() if following else ""
    complement = _complement(telling, quantity)
    for name, words in vocabulary.items():
        if name == "about":
            continue
        if quantity.get("verb") in words["verbs"] or quantity.get("head") in words["nouns"] or after in words["after"] \
                or complement in words["after"]:
            return name
        objects = words.get("verb_objects", {}).get(quantity.get("verb"), [])
        if objects and re.search(rf"\b(?:{'|'.join(objects)})\b", telling.text[offset:], re.I):
            return name
    if quantity.get("head") is None and "toll" in telling.words:
        return "dead"
    return None


# What may stand between counted people and the state a sentence gives them: auxiliaries and
# the participles that report a state ("have been confirmed dead", "were found dead", "are
# feared dead", "were left homeless").
_TO_STATE = frozenset({"is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "now", "still", "also",
                       "confirmed", "reported", "found", "left", "believed", "feared", "presumed", "declared"})


def _complement(telling: Telling, quantity: dict[str, Any]) -> str | None:
    """The state a sentence gives the counted people right after their noun phrase, past
    auxiliaries and reporting participles: "dead" of "leaving at least five people dead" and of
    "six people have been confirmed dead" (whose counting verbs, "leave" and "confirm", are no
    toll's); "saw" of "three people saw the dead bodies" (no state)."""
    noun = quantity.get("noun") or ""
    at = telling.text.find(noun, max(quantity["start"] - telling.start - len(noun), 0)) if noun else -1
    if at < 0:
        return None
    for word in telling.text[at + len(noun):].split()[:6]:
        bare = word.strip(".,;:)\"'”’").lower()
        if bare not in _TO_STATE:
            return bare
    return None


def lead_count_differences(by_article: Mapping[str, Sequence[Telling]], meta: dict[str, StoryArticle],
                           within: Mapping[str, Hashable] | None = None,
                           parts: Set[tuple[str, str]] | None = None) -> Iterable[Difference]:
    """Articles of one story that count one thing differently, wherever each counts it: outlets
    rarely put "12 people were killed" and "the death toll rose to 20", or "the plant will cut
    1,200 jobs" and "Acme is cutting 1,500 jobs", in sentences that align, yet a reader sets the
    two against each other at once.

    Only the lead counts (the first ``LEAD_TELLINGS`` statements, where news gives its figures;
    one further down is as often another happening's), and only stated ones, not planned, feared
    or denied. What a count counts is its toll kind when it gives a human toll ("dead",
    "arrested": ``outcome``), and otherwise its counted noun with its counting verb ("job" that
    is "cut"), never a light verb ("have", "be") and never the old value of a change. An
    article's toll is the largest count of its kind (a total is the largest; "three of them
    children" is a part of it); any other thing is counted by an article only when its lead
    gives it one figure (two different figures of "homes" that were "destroyed" may be two
    towns). The dead of the armed side ("30 terrorists were killed": ``armed_parties`` in
    claims.json) are a toll of their own, never the victims'. Two articles' counts differ when
    their intervals do not meet; given days apart it is a development, and a toll given days or
    hours apart is one whenever its figure changed, even within a bound ("at least 25" → "31").
    ``parts``: ``counted_twice(by_article)``, when the caller has it already.
    """
    counts: dict[str, dict[str, tuple[dict[str, Any], Telling]]] = {}
    ambiguous = counted_twice(by_article) if parts is None else parts
    for article, told in by_article.items():
        for telling, quantity in _with_tolls_summed(_lead_counts(told)):
            toll = outcome(telling, quantity)
            if toll is not None and quantity.get("head") in _claims_vocabulary()["armed_parties"]["nouns"]:
                toll += ARMED  # "30 terrorists killed" is no count of the victims
            key = toll or _counted_thing(quantity)
            if key is None or (article, key) in ambiguous:
                continue
            held = counts.setdefault(article, {}).get(key)
            if held is None or toll is not None and quantity["low"] > held[0]["low"]:
                counts[article][key] = (quantity, telling)
    ids = list(counts)
    for key in sorted({k for held in counts.values() for k in held}):
        found = []
        for x, first in enumerate(ids):
            for second in ids[x + 1 :]:
                if within is not None and within.get(first) != within.get(second):
                    continue
                if key not in counts[first] or key not in counts[second]:
                    continue
                (qa, a), (qb, b) = counts[first][key], counts[second][key]
                if not _one_group(qa, qb) or _other_parties(a, b) or a.period != b.period:
                    continue
                # Bounds are set against each other only for one counted group: "at least five
                # people" and "at least 50 militants" killed are two groups of the dead.
                one_group = qa.get("head") == qb.get("head")
                clash = not _agree(qa, qb, bounds=one_group)
                # A toll given again later with another figure is the news moving even when a
                # bound admits both ("at least 21 passengers and four troops died" on Thursday,
                # "31 people lost their lives" on Friday: the toll rose); figures of one moment
                # are compared by what they allow. Of one counted group, or a sum of groups
                # (no head): "at least five people" and "at least 50 militants" killed are two.
                update = key in _toll_keys() and published_order(meta[first], meta[second]) not in (0, None) \
                    and (one_group or not qa.get("head") or not qb.get("head")) and not _one_figure(qa["value"], qb["value"])
                if clash or update:
                    found.append(_timed(Difference("quantity", f"how many {key}", {first: _as_given(qa), second: _as_given(qb)},
                                                   [a, b]), a, b, meta))
        yield from _merged(found)


@lru_cache(maxsize=1)
def _toll_keys() -> frozenset[str]:
    """The keys of human tolls among lead counts: "dead", "dead (armed)", ... (not a counted thing)."""
    names = [name for name in _claims_vocabulary()["outcomes"] if name != "about"]
    return frozenset(names) | frozenset(name + ARMED for name in names)


def _other_parties(a: Telling, b: Telling) -> bool:
    """Whether two sentences each name someone besides their source and share no one: what they
    count belongs to two parties ("the US terminal rate at 4.46 per cent" / "Sweden's central
    bank raised its rate to 1.75 per cent"). Who says it is no party to the count ("339
    passengers were rescued, Sharif told media" / "354 passengers were freed, Chaudhry said")."""
    def parties(told: Telling) -> frozenset[str]:
        return frozenset(e.lower() for e in told.entities if not (told.source and same_source(e, told.source)))

    left, right = parties(a), parties(b)
    return bool(left and right) and not left & right


def _one_group(qa: dict[str, Any], qb: dict[str, Any]) -> bool:
    """Whether two counts can count one group: not when each qualifies what it counts and the
    qualifiers share nothing ("55 Russian prisoners" / "10 foreign prisoners" freed in one swap
    are two groups; "12 bodies" / "at least 20 people" may be one)."""
    def qualifiers(q: dict[str, Any]) -> set[str]:
        figure = set(re.findall(r"[a-z]+", (q.get("text") or "").lower()))
        head = (q.get("head") or "")[:4]
        words = re.findall(r"[a-z]+", (q.get("noun") or "").lower())
        return {w for w in words if w not in figure and w not in STOPWORDS and not (head and w.startswith(head))}

    left, right = qualifiers(qa), qualifiers(qb)
    return not (left and right) or bool(left & right)


def _lead_counts(told: Sequence[Telling]) -> Iterator[tuple[Telling, dict[str, Any]]]:
    """The counts an article's lead states (not planned, feared or denied; not the old value of
    a change; not a count of the others or of more: ``_remainder``)."""
    for telling in told:
        if telling.index < LEAD_TELLINGS and telling.stance in ("asserted", "unconfirmed"):
            for quantity in telling.quantities:
                if quantity.get("change") != "from" and not _remainder(quantity):
                    yield telling, quantity


_REMAINDER = re.compile(r"(?:other|others|more|additional|further|another)\b", re.I)


def _remainder(quantity: dict[str, Any]) -> bool:
    """Whether a count counts the others or more ("seven other people were killed", "five
    others were injured", "two more bodies were found"): what is left beside a group told
    before, or an increment, never a whole: set against another outlet's count of the others
    only (``_same_counted``), never against a whole nor among the lead counts."""
    noun, figure = quantity.get("noun") or "", quantity.get("text") or ""
    last = figure.split()[-1] if figure.split() else ""
    at = noun.find(last) if last else -1
    return at >= 0 and _REMAINDER.match(noun[at + len(last):].strip()) is not None


# What may join two counts of one toll into one sum: a few words of the first count's noun, then
# "and" ("21 passengers and four paramilitary troops died"); "including", "among" or "of whom"
# make the second a part of the first, never an addend.
_COORDINATED = re.compile(r"(?:[\s,]+[\w'’-]+){0,4}?,?\s+and\s+", re.I)
_PART = re.compile(r"\b(?:includ\w*|among|of whom|of them|of which)\b", re.I)


def _with_tolls_summed(counts: Iterable[tuple[Telling, dict[str, Any]]]) -> Iterator[tuple[Telling, dict[str, Any]]]:
    """The counts, with a sentence's coordinated counts of one toll given as their sum as well:
    "At least 21 passengers and four paramilitary troops died" tolls at least 25 dead, which
    another outlet's "25 people died" agrees with and its "21 people died" does not."""
    held = list(counts)
    yield from held
    # ``_lead_counts`` gives a sentence's counts together.
    for telling, pairs in groupby(held, key=lambda pair: pair[0]):
        run: list[dict[str, Any]] = []
        for quantity in sorted((q for _, q in pairs), key=lambda q: q["start"]):
            toll = outcome(telling, quantity)
            if run and toll is not None and toll == outcome(telling, run[-1]) and quantity.get("verb") == run[-1].get("verb"):
                gap = telling.text[run[-1]["end"] - telling.start : quantity["start"] - telling.start]
                if _COORDINATED.fullmatch(gap) and not _PART.search(gap):
                    run.append(quantity)
                    continue
            if len(run) > 1:
                yield telling, _sum_of(telling, run)
            run = [quantity] if toll is not None else []
        if len(run) > 1:
            yield telling, _sum_of(telling, run)


def _sum_of(telling: Telling, run: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One count standing for the sum of coordinated counts, worded as the sentence words them."""
    highs = [q["high"] for q in run]
    start, end = run[0]["start"], run[-1]["end"]
    last_noun = run[-1].get("noun") or ""
    text = telling.text[start - telling.start : end - telling.start]
    return {**run[-1], "start": start, "end": end, "text": text, "head": None,
            "noun": text + last_noun[len(run[-1]["text"]):] if last_noun.startswith(run[-1]["text"]) else text,
            "value": sum(q["value"] for q in run), "low": sum(q["low"] for q in run),
            "high": None if None in highs else sum(highs), "approx": run[0].get("approx")}


def counted_twice(by_article: Mapping[str, Sequence[Telling]]) -> set[tuple[str, str]]:
    """(article, counted thing) where an article's lead gives one thing (``_counted_thing``: no
    toll, whose largest figure is its total) two figures that cannot be one: "destroyed 300
    homes in the north … 120 homes in the south" are parts, and which of them another outlet's
    "about 500 homes" would correspond to is not known, so neither is set against it."""
    figures: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for article, told in by_article.items():
        for telling, quantity in _lead_counts(told):
            key = _counted_thing(quantity)
            if key is not None and outcome(telling, quantity) is None:
                figures.setdefault((article, key), []).append(quantity)
    return {held for held, given in figures.items() if any(not _agree(x, y) for x in given for y in given)}


def _counted_thing(quantity: dict[str, Any]) -> str | None:
    """What a count that is no toll counts, as "job (cut)": its counted noun and its counting
    verb, when it has both and the verb says something."""
    head, verb = quantity.get("head"), quantity.get("verb")
    if not head or not verb or verb in LIGHT_VERBS:
        return None
    return f"{head} ({verb})"


@lru_cache(maxsize=1)
def _silence() -> re.Pattern[str]:
    phrases = _claims_vocabulary()["stance"]["not_commented"]
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)), re.I)


# Where the subject of a silence worded otherwise ends ("Pfizer did not immediately reply",
# "Pfizer declined to discuss", "Pfizer has yet to comment", "Pfizer was not available"): its
# first negated auxiliary or withholding verb (``annotate.claims._withheld_comment`` reads the form).
_WITHHOLDING = re.compile(r"\b(?:(?:do|does|did|has|have|had|would|will|could|can|is|are|was|were)(?:\s+not\b|n['’]t\b)"
                          r"|(?:has|have|had)\s+yet\b|declined\b|refused\b|remain(?:s|ed)?\s+silent\b)", re.I)


def stance_changes(all_tellings: Sequence[Telling], meta: dict[str, StoryArticle],
                   within: Mapping[str, Hashable] | None = None) -> Iterable[Difference]:
    """A party that "has not commented" in one article and is quoted in another (of the same
    story, when ``within`` maps articles to stories): a development when the silence came
    first, else a difference noted as such when the order is not known (silence after a
    statement answers a later request and contradicts nothing, so it is not raised when the
    silent article came out on a later day)."""
    silent = [t for t in all_tellings if t.stance == "not_commented"]
    for quiet in silent:
        parties = quiet.entities | {p for p in (quiet.source, party_before(quiet.text, _silence())
                                                or party_before(quiet.text, _WITHHOLDING)) if p}
        # A party the silent article itself quotes on the story ("Singtel said …; Singtel did
        # not immediately respond to AFP queries") was silent on a further question only.
        if any(t.article == quiet.article and t.stance != "not_commented" and t.source
               and any(same_source(p, t.source) for p in parties) for t in all_tellings):
            continue
        for spoke in all_tellings:
            # Who spoke: the statement's source, or the subject of a denial ("Acme Corp denied the
            # allegations": an act on a noun, which the quote finder does not take for a quote).
            speaker = spoke.source or (party_before(spoke.text, DENIAL) if spoke.stance == "denied" else None)
            if spoke.article == quiet.article or not speaker or spoke.stance == "not_commented":
                continue
            if within is not None and within.get(spoke.article) != within.get(quiet.article):
                continue
            party = next((e for e in parties if same_source(e, speaker)), None)
            if party is None:
                continue
            order = published_order(meta[quiet.article], meta[spoke.article])
            values = {quiet.article: "no comment", spoke.article: spoke.text}
            about = f"{party}'s response"
            if order:
                if order > 0:
                    continue
                yield Difference("polarity", about, values, [quiet, spoke], development=True)
            else:
                # Published at one moment (two outlets' tellings of one event, most often), which
                # came first is not known: the silence is set against the statement, so noted.
                yield Difference("polarity", about, values, [quiet, spoke], note="publication order unknown")
            break


def rank(found: list[Difference], salient: frozenset[str]) -> list[Difference]:
    """Most important first: numbers, dates and denials before sources; differences about the
    story's principal actors and early (lead) sentences before the rest."""
    def weight(d: Difference) -> float:
        principal = len({e for t in d.tellings for e in t.entities} & salient)
        lead = 1.0 / (1 + min(t.index for t in d.tellings))
        return KIND_WEIGHT[d.kind] * (1 + 0.5 * min(principal, 2)) * (1 + lead)

    return sorted(found, key=weight, reverse=True)

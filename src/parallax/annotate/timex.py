"""Time expressions: find TIMEX3 spans in English news prose and normalise them (TimeML values).

Why rules and not a model: the value of "Thursday" or "last month" is arithmetic on the
document creation time (DCT), which no tagger learns; and the recognisable forms in news
are few and regular. The work is split in three:

1. *Recognition*: each :class:`Rule` is one regular expression built from the word lists in
   ``resources/timex_lexicon.json``. Every rule runs over the whole text; where candidates
   overlap the longest wins ("Thursday morning" over "Thursday"), so rules can stay simple.
2. *Direction*: a relative expression with no explicit "last"/"next" ("Thursday", "in June")
   takes its direction from the nearest tense cue in its sentence: news reports the past, so
   the default looks back; "will meet on Monday" looks ahead.
3. *Normalisation*: each rule turns its match into a (type, value) pair against the DCT, at
   the granularity the words give ("last month" is ``2018-06``, not a day). Without a DCT a
   relative expression gets ``None`` and a partial date keeps its unknown year
   (``XXXX-03-20``): nothing is guessed.
"""
from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

from parallax.annotate.timex_calendar import pick_year, relative_season, shift, weekday_date
from parallax.model import Timex

__all__ = ["tag_times"]

LEXICON = json.loads(resources.files("parallax").joinpath("resources/timex_lexicon.json").read_text("utf-8"))
MONTHS: dict[str, int] = LEXICON["months"]
WEEKDAYS: dict[str, int] = LEXICON["weekdays"]
SEASON_CODES: dict[str, str] = LEXICON["seasons"]
PARTS_OF_DAY: dict[str, str] = LEXICON["parts_of_day"]
UNITS: dict[str, str] = LEXICON["units"]
NUMBERS: dict[str, float] = LEXICON["number_words"]
ORDINALS: dict[str, int] = LEXICON["ordinals"]
REFERENCES: dict[str, str] = {
    k: v for k, v in LEXICON["references"].items() if k not in LEXICON["references_off_by_default"]}
TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
DIGITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _alt(words: Iterable[str], dot: bool = False) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    escaped = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return "(?:" + "|".join(escaped) + ")" + (r"\.?" if dot else "")


_ABBREVIATED = {w for w in MONTHS if len(w) <= 4 and w not in ("june", "july", "may")}
MONTH = f"(?:{_alt(set(MONTHS) - _ABBREVIATED)}|{_alt(_ABBREVIATED, dot=True)})"
_WEEKDAY_ABBREVIATED = {w for w in WEEKDAYS if not w.endswith("day")}
WEEKDAY = f"(?:{_alt(set(WEEKDAYS) - _WEEKDAY_ABBREVIATED)}|{_alt(_WEEKDAY_ABBREVIATED, dot=True)})"
DAY = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:\d)|{_alt(ORDINALS)})"
YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d,]\d|\d)"
SEASON = _alt(SEASON_CODES)
POD = _alt(PARTS_OF_DAY)
NUMBER = (rf"(?:\d+(?:\.\d+)?|{_alt(TENS)}(?:[\s-]+{_alt(DIGITS)})?|{_alt(NUMBERS)})"
          rf"(?:\s+(?:or|to)\s+(?:\d+|{_alt(NUMBERS)})|\s+and\s+a\s+half|\s+1/2|½)?")
VAGUE = _alt(LEXICON["vague_quantities"])
UNIT_WORD = r"(?:seconds?|minutes?|hours?|days?|weeks?|weekends?|months?|quarters?|years?|decades?|centur(?:y|ies))"
# words between a count and its unit that leave the length as it is ("an additional year",
# "three straight days", "a single day", "two more weeks")
LENGTH_ADJECTIVE = r"(?:more|additional|extra|further|single|straight|consecutive|successive|full|whole|entire)"
MODIFIER = r"(?:early|late|mid-?|the\s+(?:end|beginning|start|middle|rest|first\s+half|second\s+half)\s+of)"
RELATIVE = (r"(?:this|last|next|the\s+past|the\s+coming|the\s+previous|the\s+following|the\s+current"
            r"|the\s+latest|the\s+most\s+recent|the\s+same|this\s+past|this\s+coming)")
OFFSETS = {"this": 0, "current": 0, "same": 0, "last": -1, "past": -1, "previous": -1, "latest": -1,
           "most recent": -1, "this past": -1, "next": 1, "coming": 1, "following": 1, "this coming": 1}
CUES = re.compile(
    rf"(?P<future>(?<!\w){_alt(LEXICON['future_cues'])}(?!\w))|(?P<past>(?<!\w){_alt(LEXICON['past_cues'])}(?!\w)|\b\w+ed\b)",
    re.IGNORECASE)
# a plan reported as past: "had been due to expire Friday", "was scheduled to open Monday"
FUTURE_IN_THE_PAST = re.compile(r"\b(?:was|were|had(?:\s+been)?)\s+$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


def _key(word: str) -> str:
    return re.sub(r"\s+", " ", word.lower().rstrip("."))


def _number(words: str) -> int | None:
    """The count a number phrase gives ("twenty four" → 24), or None when it is vague."""
    words = _key(words).replace("-", " ")
    if re.search(r"\b(?:or|to|and)\b", words):
        return None  # a range or a fraction: TimeML writes X
    if re.fullmatch(r"\d+", words):
        return int(words)
    if words in NUMBERS:
        value = NUMBERS[words]
        return int(value) if value == int(value) else None
    parts = words.split()
    if len(parts) == 2 and parts[0] in TENS and parts[1] in DIGITS:
        return int(NUMBERS[parts[0]] + NUMBERS[parts[1]])
    return None


def _quantity(words: str) -> float | None:
    """The amount a count phrase gives, halves included ("2 1/2" → 2.5, "half an" → 0.5,
    "1.5" → 1.5), or None when it is vague or a range."""
    key = _key(words).replace("-", " ")
    half = re.fullmatch(r"(.+?)\s*(?:\s+and\s+a\s+half|\s+1/2|½)", key)
    if half:
        whole = _number(half[1])
        return None if whole is None else whole + 0.5
    if re.fullmatch(r"\d+\.\d+", key):
        return float(key)
    if key in NUMBERS:
        return float(NUMBERS[key])
    whole = _number(key)
    return None if whole is None else float(whole)


# the next smaller unit of each duration unit and how many of it make one: a fraction of a unit
# is written in it, as ISO 8601 durations are ("2 1/2 years" P2Y6M, "a minute and a half" PT1M30S)
SUBUNITS: dict[str, tuple[int, str]] = {"year": (12, "month"), "quarter": (3, "month"), "week": (7, "day"),
                                        "day": (24, "hour"), "hour": (60, "minute"), "minute": (60, "second")}


def _period(count: float | None, unit_word: str) -> str:
    """The TimeML value of a duration of ``count`` ``unit_word``s ("decade" and "century" in years);
    an unknown count is X in the unit named ("for years" PXY, "for decades" PXDE)."""
    if count is None:
        return ("PTX" if unit_word in LEXICON["time_units"] else "PX") + UNITS[unit_word]
    if unit_word in ("decade", "century"):
        count, unit_word = count * (10 if unit_word == "decade" else 100), "year"
    parts = [(count, unit_word)]
    whole, fraction = int(count), count - int(count)
    below = SUBUNITS.get(unit_word)
    if fraction and below and (fraction * below[0]).is_integer():
        parts = [(whole, unit_word), (int(fraction * below[0]), below[1])]
    date = "".join(f"{n:g}{UNITS[u]}" for n, u in parts if n and u not in LEXICON["time_units"])
    clock = "".join(f"{n:g}{UNITS[u]}" for n, u in parts if n and u in LEXICON["time_units"])
    return f"P{date}" + (f"T{clock}" if clock else "")


@dataclass
class Context:
    """What normalisation needs besides the match: the text, the DCT, the discourse so far."""

    text: str
    dct: datetime.date | None
    last_quarter: str | None = None  # the last quarter named, for "the quarter", "a year earlier"
    dates: list[str] = field(default_factory=list)  # values of the dates named so far, in reading order
    last_date_end: int = -1  # where the last of them ends in the text
    _sentences: list[int] = field(default_factory=list)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if not self._sentences:
            self._sentences = [0] + [m.end() for m in SENTENCE_END.finditer(self.text)] + [len(self.text)]
        lo = max(b for b in self._sentences if b <= start)
        hi = min(b for b in self._sentences if b >= end)
        return lo, hi

    def anchor(self, unit: str) -> datetime.date | None:
        """The date a relative expression in ``unit`` steps from: the last date named before it
        that is as fine as the unit ("two days later" needs a day, "the following year" a year),
        else the DCT. TimeML anchors such expressions on the time under discussion, not on
        the document's."""
        fine = ANCHOR_GRANULARITY.get(unit)
        for value in reversed(self.dates if fine else []):
            named = re.match(fine, value) if fine else None
            if named:
                try:
                    return datetime.date(*(int(part or 1) for part in named.groups()))
                except ValueError:
                    continue
        return self.dct

    def direction(self, start: int, end: int, default: int = -1) -> int:
        """+1 when the nearest tense cue in the sentence points ahead, -1 when it points back.

        With no cue at all the caller's ``default`` stands (news past for weekdays).
        """
        lo, hi = self.sentence(start, end)
        best: tuple[int, int] | None = None
        for cue in CUES.finditer(self.text, lo, hi):
            if cue.start() < end and cue.end() > start:
                continue  # a cue inside the expression itself ("next") is handled by its rule
            distance = start - cue.end() if cue.end() <= start else cue.start() - end + 1
            if best is None or distance < best[0]:
                best = (distance, -1 if not cue.group("future") or FUTURE_IN_THE_PAST.search(self.text, lo, cue.start()) else 1)
        return best[1] if best else default


# what may stand between a day and a clock time on it: "Tuesday at 3 p.m.", "March 2, around noon"
CLOCK_AFTER_DAY = re.compile(r",?\s+(?:(?:at|from|by|until|after|before|around|about)\s+)?", re.IGNORECASE)

# how fine a named date must be to anchor a step in each unit, as (year, month, day) groups
ANCHOR_GRANULARITY = {"D": r"(\d{4})-(\d\d)-(\d\d)", "W": r"(\d{4})-(\d\d)-(\d\d)", "M": r"(\d{4})-(\d\d)()",
                      "Y": r"(\d{4})()()"}


Normaliser = Callable[[re.Match[str], Context], "tuple[str, str | None] | None"]


@dataclass(frozen=True)
class Rule:
    """One recognisable form: its regex, a validity check on the raw match, its normaliser."""

    name: str
    pattern: re.Pattern[str]
    normalise: Normaliser
    check: Callable[[re.Match[str], str], bool] = lambda m, text: True


def _capitalised(word: str | None) -> bool:
    return word is not None and word[:1].isupper()


def _needs_context(word: str, words: list[str]) -> bool:
    return _key(word) in words


PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:in|on|since|until|till|by|during|through|from|of|before|after|early|late|mid|last|next|this|to|between|and|or)[\s-]+)$",
    re.IGNORECASE)


# --- normalisers -------------------------------------------------------------------------


def _leading_number(text: str) -> int:
    """The number a text that starts with a digit opens with ("21st" → 21)."""
    digits = re.match(r"\d+", text)
    assert digits is not None, text
    return int(digits[0])


def _lean(m: re.Match[str], ctx: Context) -> int:
    """How a month, a month-day or a holiday without its year leans: ahead for a plan (+1), else
    to the nearest such date (0), with the past preferred (``pick_year``); past-tense cues do not
    decide, as they are too common in news ("agreed in November to buy ... in January")."""
    return max(0, ctx.direction(m.start(), m.end(), default=0))


def _month_day(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    month = MONTHS[_key(m["month"])]
    day = _leading_number(m["day"]) if m["day"][0].isdigit() else ORDINALS[_key(m["day"])]
    if m["year"]:
        return "DATE", f"{int(m['year']):04d}-{month:02d}-{day:02d}"
    if ctx.dct is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}"
    year = pick_year(month, day, ctx.dct, _lean(m, ctx))
    return "DATE", f"{year:04d}-{month:02d}-{day:02d}"


def _numeric_date(m: re.Match[str], ctx: Context) -> tuple[str, str | None] | None:
    """ISO 2018-03-21 or US 3/21/2018 (and 3/21/18: two-digit years past the pivot are 19xx)."""
    if m["iso"]:
        year, month, day = int(m["iso"]), int(m["c1"]), int(m["c"])
    else:
        year, month, day = int(m["year"]), int(m["a"]), int(m["b"])
        if year < 100:
            year += 1900 if year > LEXICON["two_digit_year_pivot"] else 2000
    try:
        return "DATE", datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_year(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    return "DATE", f"{int(m['year']):04d}-{MONTHS[_key(m['month'])]:02d}"


def _month_relative_year(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "June last year", "January this year"."""
    if ctx.dct is None:
        return "DATE", None
    return "DATE", f"{ctx.dct.year + OFFSETS[_key(m['rel'])]:04d}-{MONTHS[_key(m['month'])]:02d}"


def _month(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    month = MONTHS[_key(m["month"])]
    if ctx.dct is None:
        return "DATE", f"XXXX-{month:02d}"
    rel = _key(m["rel"] or "")
    if rel in ("last", "this past"):
        year = ctx.dct.year - 1 if month >= ctx.dct.month else ctx.dct.year
    elif rel in ("next", "this coming"):
        year = ctx.dct.year + 1 if month <= ctx.dct.month else ctx.dct.year
    elif rel == "this":
        year = ctx.dct.year
    else:
        # a plan looks ahead; otherwise the nearest such month (past-tense cues are too common
        # in news to decide: "agreed to acquire ... in January" written in November is ahead)
        year = pick_year(month, None, ctx.dct, _lean(m, ctx))
    return "DATE", f"{year:04d}-{month:02d}"


def _weekday_direction(rel: str, m: re.Match[str], ctx: Context) -> int:
    if rel in ("last", "the previous", "this past"):
        return -2
    if rel in ("next", "the following", "the next"):
        return 2
    if rel == "this":
        return 0
    return ctx.direction(m.start(), m.end())


def _weekday(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    weekday = WEEKDAYS[_key(m["weekday"])]
    pod = f"T{PARTS_OF_DAY[_key(m['pod'])]}" if m["pod"] else ""
    if m["plural"] or m["pods"] or m["every"]:  # "Tuesdays", "Tuesday nights": every such day
        return "SET", f"XXXX-WXX-{weekday}{pod}"
    if ctx.dct is None:
        return ("TIME" if pod else "DATE"), None
    rel = _key(m["rel"] or "")
    # "the previous Friday" is the one before the day under discussion, "last Friday" the DCT's
    anchor = (ctx.anchor("D") or ctx.dct) if rel in ("the previous", "the following") else ctx.dct
    day = weekday_date(weekday, anchor, _weekday_direction(rel, m, ctx))
    return ("TIME" if pod else "DATE"), day.isoformat() + pod


DAY_OFFSETS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "last": -1, "this": 0}


def _day_word(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    anchor = _key(m["anchor"])
    pod_word = _key(m["pod"]) if m["pod"] else ("night" if anchor == "tonight" else "")
    if anchor == "last" and not pod_word:
        pod_word = "night"
    kind = "TIME" if pod_word else "DATE"
    if ctx.dct is None:
        return kind, None
    day = ctx.dct + datetime.timedelta(days=DAY_OFFSETS[anchor])
    return kind, day.isoformat() + (f"T{PARTS_OF_DAY[pod_word]}" if pod_word else "")


def _part_of_day(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "in the morning", "mid-afternoon", "overnight": a part of the day under discussion (the
    last day named, else the DCT's); "overnight" is the night before it."""
    day = ctx.anchor("D")
    if day is None:
        return "TIME", None
    if m["overnight"]:
        return "TIME", f"{day - datetime.timedelta(days=1)}TNI"
    return "TIME", f"{day}T{PARTS_OF_DAY[_key(m['pod'] or 'afternoon')]}"


def _relative_period(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    rel = _key(re.sub(r"^the\s+", "", m["rel"], flags=re.IGNORECASE))
    unit_word = _key(m["unit"])
    offset = OFFSETS[rel]
    if unit_word in SEASON_CODES:
        return "DATE", relative_season(SEASON_CODES[unit_word], offset, ctx.dct) if ctx.dct else None
    if ctx.dct is None:
        return "DATE", None
    unit = UNITS[unit_word]
    if unit == "Q" and rel == "same":
        return "DATE", ctx.last_quarter or shift(ctx.dct, "Q", -1)
    anchor = ctx.anchor(unit) if rel in ("previous", "following") else ctx.dct
    value = shift(anchor or ctx.dct, unit, offset)
    if unit == "Q":
        ctx.last_quarter = value
    return "DATE", value


def _weekend(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "the weekend": the one just past in a report, the coming one in a plan."""
    if ctx.dct is None:
        return "DATE", None
    rel = _key(m["rel"])
    if rel == "this" or (rel == "the" and ctx.dct.isoweekday() >= 6):
        return "DATE", shift(ctx.dct, "WE", 0)
    if rel == "the":
        offset = 0 if ctx.direction(m.start(), m.end()) > 0 else -1
    else:
        offset = OFFSETS[rel]
    return "DATE", shift(ctx.dct, "WE", offset)


def _next_day(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "the previous day", "the following day": a step from the last day named before, else the DCT."""
    anchor = ctx.anchor("D")
    if anchor is None:
        return "DATE", None
    return "DATE", shift(anchor, "D", OFFSETS[_key(m["rel"])])


def _season(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    code = SEASON_CODES[_key(m["season"])]
    if m["year"]:
        return "DATE", f"{int(m['year']):04d}-{code}"
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}"
    return "DATE", f"{ctx.dct.year:04d}-{code}"  # a season named bare is this year's


def _spoken_year(m: re.Match[str], ctx: Context) -> tuple[str, str | None] | None:
    """ "nineteen ninety-six", "the year two thousand" (broadcast transcripts spell years out)."""
    rest = _number(m["rest"]) if m["rest"] else 0
    if rest is None:
        return None
    if _key(m["century"]) == "nineteen":
        return ("DATE", f"19{rest:02d}") if rest >= 10 else None
    return "DATE", f"{2000 + rest:04d}"


def _year(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    return "DATE", f"{int(m['year']):04d}"


def _decade(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    if m["digits"]:
        return "DATE", m["digits"][:3]
    tens = int(m["short"][-2]) if m["short"] else LEXICON["decade_words"][_key(m["word"])]
    century = 19
    if ctx.dct is not None and 2000 + 10 * tens <= ctx.dct.year:
        century = 20
    return "DATE", f"{century}{tens}"


def _century(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    word = _key(m["ordinal"])
    number = _leading_number(word) if word[0].isdigit() else ORDINALS.get(word)
    return "DATE", f"{number - 1:02d}" if number else None


def _quarter(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "the third quarter", "fiscal 1989's second half", "Q3 2018".

    A quarter named without its year is the DCT year's, or last year's when it is still ahead
    of the DCT and nothing in the sentence looks ahead (results are reported after the fact).
    A quarter of the year under discussion becomes the reference for "the quarter".
    """
    if m["short"]:  # "Q3 2018", "H1"
        kind, number = m["short"][0], int(m["short"][1])
    else:
        word = _key(m["ordinal"])
        kind = "H" if _key(m["unit"]).startswith("half") else "Q"
        number = 4 if word in ("final", "last") else ORDINALS[word]
        if kind == "H" and word in ("final", "last"):
            number = 2
    year_text = m["year"] or m["year2"] or m["year3"]
    owner = m["owner"] or ""
    earlier_year = bool(re.search(r"last|earlier|ago|prior", owner, re.IGNORECASE))
    # "next year's first quarter", "this year's fourth quarter": the owner names the year
    owner_year = -1 if earlier_year else 1 if re.match(r"next", owner, re.IGNORECASE) else 0 if owner else None
    if year_text:
        year: str | None = f"{int(year_text):04d}"
    elif ctx.dct is None:
        year = "XXXX" if not owner_year else None
    elif owner_year is not None:
        year = f"{ctx.dct.year + owner_year:04d}"
    elif kind == "Q" and number > (ctx.dct.month - 1) // 3 + 1:
        year = f"{ctx.dct.year + min(0, ctx.direction(m.start(), m.end(), default=-1)):04d}"
    else:
        year = f"{ctx.dct.year:04d}"
    value = f"{year}-{kind}{number}" if year else None
    if kind == "Q" and value and not earlier_year:
        ctx.last_quarter = value
    return "DATE", value


def _quarter_reference(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "the quarter", "the year-earlier period": the quarter under discussion (a year back)."""
    if ctx.dct is None:
        return "DATE", None
    if m["bare"] and not ctx.last_quarter:
        return "DATE", shift(ctx.dct, "Y", -1)
    quarter = ctx.last_quarter or shift(ctx.dct, "Q", -1)
    owner = m["owner"] or m["bare"]
    if owner and re.search(r"ago|earlier|prior|last", owner, re.IGNORECASE):
        year, q = quarter.split("-")
        return "DATE", f"{int(year) - 1:04d}-{q}"
    return "DATE", quarter


def _duration(m: re.Match[str], ctx: Context) -> tuple[str, str | None] | None:
    unit_word = _key(m["unit"]).rstrip("s").replace("ie", "y") if _key(m["unit"]).endswith("ies") else _key(m["unit"]).rstrip("s")
    unit = UNITS[unit_word]
    half = m["half"] if m.re.groupindex.get("half") else None
    count = _quantity(m["count"] + (half or "")) if m["count"] else None
    direction = _key(m["direction"] or "")
    vague = _key(m["vague"] or "") if m.re.groupindex.get("vague") else ""
    coming = "coming" in (vague, re.sub(r"^the ", "", _key(m["lead"] or "")))
    if coming and not m["count"] and unit_word not in LEXICON["time_units"]:
        return "DATE", "FUTURE_REF"  # "in coming months", "the coming days": a vague future, not a length
    if direction:
        if ctx.dct is None:
            return "DATE", None
        sign = 1 if direction in ("later", "from now", "hence") else -1
        if count is None:
            return "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF"
        if unit_word in LEXICON["time_units"]:
            # "two hours ago" needs a clock time we do not have: what the text fixes is the length
            return "DURATION", _period(count, unit_word)
        if not count.is_integer():  # "two and a half years ago": a step in months
            below = SUBUNITS.get(unit_word)
            if below is None or not (count * below[0]).is_integer():
                return "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF"
            count, unit_word, unit = count * below[0], below[1], UNITS[below[1]]
        steps = int(count)
        if unit in ("DE", "CE"):  # "two decades later": a step in years, from the year under discussion
            steps, unit = steps * (10 if unit == "DE" else 100), "Y"
        if unit == "Y" and steps == 1 and ctx.last_quarter:
            # business news compares with the period under discussion: "up from $5 a year ago"
            year, q = ctx.last_quarter.split("-")
            return "DATE", f"{int(year) + sign * steps:04d}-{q}"
        anchor = ctx.anchor(unit) if direction in ("later", "earlier") else ctx.dct
        return "DATE", shift(anchor or ctx.dct, unit, sign * steps)
    return "DURATION", _period(count, unit_word)


def _long_duration(m: re.Match[str], ctx: Context) -> tuple[str, str | None] | None:
    """ "yearlong", "a week-long strike" last one unit; "decades-long" an unknown number of them."""
    unit_word = re.sub(r"ies$", "y", _key(m["unit"]))
    return "DURATION", _period(None, unit_word[:-1]) if unit_word.endswith("s") else _period(1.0, unit_word)


def _clock(m: re.Match[str], ctx: Context) -> tuple[str, str | None] | None:
    if m["word"]:
        clock = LEXICON["clock_words"][_key(m["word"])]
    else:
        hour, minute = int(m["hour"]), int(m["minute"] or 0)
        half = _key(m["ampm"] or "").replace(".", "")
        if hour > 24 or minute > 59 or (half and hour > 12):
            return None
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        clock = f"{hour:02d}:{minute:02d}"
    day = _anchor_day(m, ctx)
    return "TIME", f"{day}T{clock}" if day else None


def _anchor_day(m: re.Match[str], ctx: Context) -> str | None:
    """The day a clock time is on: its own day ("3 p.m. Tuesday", "5 p.m. EST, Nov. 6"), else a
    day named just before it ("Tuesday at 3 p.m."), else the DCT, else unknown."""
    if m["month"]:
        return _month_day(m, ctx)[1]
    anchor = m["anchor"]
    if not anchor:
        before = ctx.dates[-1] if ctx.dates and CLOCK_AFTER_DAY.fullmatch(ctx.text, ctx.last_date_end, m.start()) else ""
        if re.fullmatch(r"\d{4}-\d\d-\d\d", before):
            return before
        return ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    key = _key(anchor)
    if ctx.dct is None:
        return None
    if key in DAY_OFFSETS:
        return (ctx.dct + datetime.timedelta(days=DAY_OFFSETS[key])).isoformat()
    return weekday_date(WEEKDAYS[key], ctx.dct, ctx.direction(m.start(), m.end())).isoformat()


def _the_year(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    """ "the year", "the full year", "that year": the year under discussion, a DATE (TimeML).

    "that year" points back at the last year named; "the year" is the reporting year of the
    document, as in "a high for the year" or "earnings for the full year".
    """
    if ctx.dct is None:
        return "DATE", "XXXX"
    anchor = ctx.anchor("Y") if _key(m["det"]) == "that" else ctx.dct
    return "DATE", f"{(anchor or ctx.dct).year:04d}"


def _reference(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    return "DATE", REFERENCES[_key(m[0])]


SET_UNITS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "hourly": "PT1H", "nightly": "XXXX-XX-XXTNI"}


def _set(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    if m["adverb"]:
        return "SET", SET_UNITS[_key(m["adverb"])]
    word = _key(m["what"])
    if word in MONTHS:
        return "SET", f"XXXX-{MONTHS[word]:02d}"
    if word in SEASON_CODES:
        return "SET", f"XXXX-{SEASON_CODES[word]}"
    if word in PARTS_OF_DAY:
        return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[word]}"
    unit = UNITS[word]
    return "SET", (f"PT1{unit}" if word in LEXICON["time_units"] else f"P1{unit}")


def _holiday(m: re.Match[str], ctx: Context) -> tuple[str, str | None]:
    month_day = LEXICON["holidays"][_key(m["holiday"])]
    if m["year"]:
        return "DATE", f"{int(m['year']):04d}-{month_day}"
    if ctx.dct is None:
        return "DATE", f"XXXX-{month_day}"
    month, day = map(int, month_day.split("-"))
    return "DATE", f"{pick_year(month, day, ctx.dct, _lean(m, ctx)):04d}-{month_day}"


# --- checks on raw matches ---------------------------------------------------------------


def _month_is_a_month(m: re.Match[str], text: str) -> bool:
    """Month names are capitalised; "May"/"March" alone need a preposition or modifier."""
    word = m["month"]
    if not _capitalised(word):
        return False
    if (m.re.groupindex.get("rel") and m["rel"]) or m.start("month") > m.start():
        return True  # "last March", "early March": a modifier says it is the month
    if _needs_context(word, LEXICON["months_needing_context"]):
        return bool(PREPOSITION_BEFORE.search(text, 0, m.start()))
    return True


def _weekday_is_a_weekday(m: re.Match[str], text: str) -> bool:
    word = m["weekday"]
    return _capitalised(word) and not (_needs_context(word, LEXICON["weekdays_needing_context"]) and not word.endswith("."))


# words ending in s that are no plural noun, so no count of something after a number
WORDS_IN_S = {"as", "is", "was", "has", "does", "its", "his", "hers", "this", "thus", "plus", "us", "across",
              "unless", "whereas", "yes", "less"}


def _is_a_year(m: re.Match[str], text: str) -> bool:
    """A four-digit number is a year unless money, a count or a measure says otherwise."""
    before = text[max(0, m.start() - 2):m.start()]
    after = text[m.end():m.end() + 12].lower()
    if re.search(r"[$#£€]\s?$|\d[,.]$", before) or re.match(r"\s*(?:%|percent|-\d|,\d|\.\d)", after):
        return False
    follow = re.match(r"\s+(?:(?P<word>[a-z]+s)\b|to\s+(?P<to>\d+)(?P<then>\s+[a-z]+s\b)?)", text[m.end():m.end() + 30].lower())
    if follow is None or m["modifier"]:
        return True
    if follow["word"]:  # a count of something: "1500 workers"; not "in 2017 as", "2019 was"
        return follow["word"] in WORDS_IN_S
    # "from 2017 to 2021" spans years; "1500 to 2000 workers" is a count
    return len(follow["to"]) == 4 and int(m["year"]) < int(follow["to"]) < 2100 and (
        follow["then"] is None or follow["then"].strip() in WORDS_IN_S)


def _season_is_a_season(m: re.Match[str], text: str) -> bool:
    """ "the fall of the dollar", "a spring" are not seasons; "the fall", "in summer" are."""
    after = text[m.end():m.end() + 12]
    if re.match(r"\s+(?:of|in)\b", after, re.IGNORECASE) and not m["year"]:
        return False
    return bool(m["the"] or m["year"] or m["modifier"] or re.search(r"\b(?:in|this|last|next|during|by|until)\s+$", text[max(0, m.start() - 10):m.start()], re.IGNORECASE))


def _reference_check(m: re.Match[str], text: str) -> bool:
    """ "current" counts only as an adjective for time ("current conditions"), not in names;
    "the future" not as a noun for what becomes of something."""
    if _key(m[0]).endswith("future") and re.match(r"\s+of\b", text[m.end():], re.IGNORECASE):
        return False  # "the future of the base" is its fate, not a time
    return not (_key(m[0]) == "current" and re.match(r"\s+(?:account|affairs)", text[m.end():], re.IGNORECASE))


RATE_BEFORE = re.compile(r"(?:\d|percent|times|twice|once|dollars|cents)\s*\S*\s*$")


def _after_a_rate(m: re.Match[str], text: str) -> bool:
    """Whether a number or a frequency just precedes the match ("$5 a year", "twice a week")."""
    return bool(RATE_BEFORE.search(text[max(0, m.start() - LEXICON["rate_lookback_chars"]):m.start()]))


def _set_after_quantity(m: re.Match[str], text: str) -> bool:
    """ "a year" is a SET only after a rate."""
    return not m["per"] or _key(m["per"]) != "a" or _after_a_rate(m, text)


def _duration_check(m: re.Match[str], text: str) -> bool:
    """Bare "a"/"one" + unit needs care: "a second" is an ordinal, "one day" may be a count."""
    count = _key(m["count"] or "")
    unit = _key(m["unit"])
    if unit.startswith("second") and count in ("a", "an"):
        return False
    if m["direction"] or m["half"]:
        return True  # "a year ago", "a minute and a half" are no rates
    if re.match(r"[\s-]+old\b", text[m.end():]) or (unit.startswith("quarter") and re.match(r"\s+of\b", text[m.end():])):
        return False  # an age ("52 years old") or a fraction ("three quarters of")
    if count in ("a", "an") and re.match(r"\s+(?:after|before)\b", text[m.end():]) is None and m["lead"] is None:
        return not _after_a_rate(m, text)  # "$5 a year" is the SET rule's
    return True


# --- the grammar -------------------------------------------------------------------------


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'’-]){pattern}(?!\w|['’](?!s\b))", re.IGNORECASE)


RULES: tuple[Rule, ...] = (
    Rule("clock", _rx(
        rf"(?:(?:about|around|approximately|at\s+about|shortly\s+(?:after|before))\s+)?"
        rf"(?:(?P<hour>\d{{1,2}})(?::(?P<minute>\d\d))?\s*(?P<ampm>a\.\s?m\.|p\.\s?m\.|am|pm)|(?P<word>noon|midnight|midday))"
        rf"(?:\s+(?:[ECMP][SD]?T|GMT|UTC|local\s+time|(?:Eastern|Central|Mountain|Pacific)(?:\s+(?:Standard|Daylight))?\s+Time))?"
        rf"(?:,?\s+(?:on\s+)?(?:(?P<anchor>{WEEKDAY}|yesterday|today|tomorrow)"
        rf"|(?P<month>{MONTH})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?))?"), _clock,
        lambda m, text: not m["month"] or _capitalised(m["month"])),
    Rule("clock24", _rx(r"(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?P<ampm>)(?P<word>)(?P<anchor>)(?P<month>)(?![\d:])"),
         _clock),
    Rule("month_day", _rx(
        rf"(?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<month>{MONTH})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?"), _month_day,
        lambda m, text: _capitalised(m["month"])),
    Rule("day_month", _rx(
        rf"(?:{WEEKDAY},?\s+)?(?:the\s+)?(?P<day>{DAY})(?:\s+of)?\s+(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR}))?"), _month_day,
        lambda m, text: _capitalised(m["month"])),
    Rule("numeric_date", _rx(
        r"(?:(?P<a>1[0-2]|0?[1-9])/(?P<b>3[01]|[12]\d|0?[1-9])/(?P<year>\d{4}|\d\d)"
        r"|(?P<iso>\d{4})-(?P<c1>[01]\d)-(?P<c>[0-3]\d))(?![\d/-])"),
        _numeric_date),
    Rule("month_year", _rx(rf"(?:(?P<modifier>{MODIFIER})\s*)?(?P<month>{MONTH}),?\s+(?:of\s+)?(?P<year>{YEAR})"),
         _month_year, lambda m, text: _capitalised(m["month"])),
    Rule("month_relative_year", _rx(rf"(?P<month>{MONTH})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year"),
         _month_relative_year, lambda m, text: _capitalised(m["month"])),
    Rule("spoken_year", _rx(
        rf"(?:the\s+year\s+)?(?P<century>nineteen|two\s+thousand(?:\s+and)?)(?:[\s-]+(?P<rest>{_alt(TENS)}(?:[\s-]+{_alt(DIGITS)})?"
        rf"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_alt(DIGITS)}))?"), _spoken_year,
        lambda m, text: bool(m["rest"]) or m[0].lower().startswith("the year")),
    Rule("month", _rx(rf"(?:(?P<rel>last|next|this(?:\s+(?:past|coming))?)\s+|{MODIFIER}\s*)?(?P<month>{MONTH})"),
         _month, _month_is_a_month),
    Rule("weekday", _rx(
        rf"(?:(?P<every>every|each)\s+|(?P<rel>last|next|this(?:\s+(?:past|coming))?|the\s+(?:previous|following|next))\s+)?"
        rf"(?:(?:early|late)\s+)?(?P<weekday>{WEEKDAY})(?P<plural>s)?(?:\s+(?P<pod>{POD})(?P<pods>s)?)?"), _weekday, _weekday_is_a_weekday),
    Rule("day_word", _rx(
        rf"(?:(?:early|late|later|earlier)\s+)?(?P<anchor>yesterday|today|tonight|tomorrow)(?:\s+(?P<pod>{POD}))?"), _day_word),
    Rule("day_word_pod", _rx(
        rf"(?:(?:early|late|later|earlier)\s+)?(?P<anchor>this|last)\s+(?P<pod>{POD})"), _day_word),
    Rule("pod_day_word", _rx(
        rf"(?:(?:early|late)\s+)?(?P<pod>{POD})\s+(?P<anchor>yesterday|today|tomorrow)"), _day_word),
    Rule("part_of_day", _rx(
        r"(?:(?:early|late)\s+)?the\s+(?P<pod>morning|afternoon|evening)|(?P<overnight>overnight)|mid[\s-]?afternoon"),
        _part_of_day),
    Rule("relative_period", _rx(
        rf"(?:(?:earlier|later|{MODIFIER})\s+)?(?P<rel>{RELATIVE})\s+(?:fiscal\s+|calendar\s+)?"
        rf"(?P<unit>week|weekend|month|quarter|year|decade|century|{SEASON})"), _relative_period),
    Rule("next_day", _rx(r"the\s+(?P<rel>previous|following|next|same)\s+(?P<unit>day)"), _next_day),
    Rule("weekend", _rx(r"(?P<rel>the|this|last|next|this\s+past|this\s+coming)\s+weekend"), _weekend),
    Rule("year_ended", _rx(r"the\s+(?:fiscal\s+)?(?P<unit>year|quarter)(?=\s+(?:ended|ending|that\s+ended|to)\s)(?P<count>)(?P<direction>)(?P<lead>)"),
         lambda m, ctx: ("DURATION", f"P1{UNITS[_key(m['unit'])]}")),
    Rule("the_year", _rx(
        r"(?P<det>the|that)\s+(?:(?:full|fiscal|calendar|whole|entire)\s+)?year(?!['’]?s?\s+(?:(?:ended|ending|to|that|ago|before|"
        r"earlier|after|later|one|two|nineteen)\b|\d))(?![\w-])"),
        _the_year, lambda m, text: m[0].endswith("year")),
    Rule("season", _rx(
        rf"(?:(?P<modifier>early|late|mid-?)\s*)?(?P<the>the\s+(?:(?:early|late)\s+)?)?(?P<season>{SEASON})(?:\s+of\s+(?P<year>{YEAR}))?"),
        _season, _season_is_a_season),
    Rule("year", _rx(
        rf"(?:(?P<modifier>fiscal|calendar|early|late|mid-?|the\s+(?:end|beginning|start|middle|rest|first\s+half|second\s+half)\s+of"
        rf"(?:\s+fiscal)?)\s*)?(?P<year>{YEAR})"), _year, _is_a_year),
    Rule("decade", _rx(
        rf"(?:the\s+)?(?:(?:early|mid-?|late)\s*)?(?:(?P<digits>1[5-9]\d0|20\d0)['’]?s|(?P<short>['’]\d0)s"
        rf"|(?<=the\s)(?:(?:early|mid-?|late)\s*)?(?P<word>{_alt(LEXICON['decade_words'])}))"), _decade),
    Rule("century", _rx(rf"(?:the\s+)?(?P<ordinal>{_alt(ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))[\s-]+century"), _century),
    Rule("quarter", _rx(
        rf"(?:the\s+)?(?:(?P<year>{YEAR})\s+|(?P<owner>this\s+year['’]s|last\s+year['’]s|next\s+year['’]s|year-earlier|year-ago|prior-year)\s+)?"
        rf"(?:(?:fiscal|calendar)[\s-]+)?(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th|final|last)[\s-]+"
        rf"(?:fiscal[\s-]+)?(?P<unit>quarter|half)(?:\s+(?:of|in)\s+(?:fiscal\s+)?(?P<year2>{YEAR}))?"
        rf"|(?P<short>[QH][1-4])(?:\s+(?P<year3>{YEAR}))?"), _quarter, lambda m, text: not m["short"] or m["short"][0] in "QH"),
    Rule("quarter_reference", _rx(
        r"the\s+(?:(?P<owner>year-earlier|year-ago|prior-year|same|comparable|corresponding|latest)\s+)?(?:fiscal\s+)?"
        r"(?:quarter|period)(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?|(?P<bare>year-earlier|year-ago)"),
        _quarter_reference, lambda m, text: bool(m["owner"] or m["bare"]) or m[0].lower().endswith("quarter")),
    Rule("duration", _rx(
        r"(?:(?P<lead>the\s+(?:past|last|next|first|coming|previous|following|final|latest|remaining|same|entire|full)"
        r"|(?:more|less|fewer)\s+than|about|around|nearly|almost|approximately|roughly|over|at\s+least|at\s+most|up\s+to"
        r"|within|only|just|another|some|the)\s+)?"
        rf"(?:(?P<count>{NUMBER})|(?P<vague>{VAGUE}))[\s-]+(?:{LENGTH_ADJECTIVE}\s+)?(?P<unit>{UNIT_WORD})"
        r"(?P<half>\s+and\s+a\s+half)?(?:\s+or\s+so)?(?:\s+(?P<direction>ago|earlier|later|from\s+now|hence))?"), _duration, _duration_check),
    Rule("long_duration", _rx(
        r"(?P<count>)(?P<unit>(?:hour|day|week|month|year|decade|centur(?:y|ies))s?)-?long(?P<direction>)"), _long_duration),
    Rule("vague_duration", _rx(
        rf"(?:(?P<lead>recent|the\s+(?:past|coming|next|last|recent))\s+|(?<=\bfor\s)|(?<=\bwithin\s))(?P<count>)(?P<unit>(?:years|months|weeks|days|decades|centuries|hours|minutes))"
        r"(?P<direction>)"), _duration),
    Rule("reference", _rx(_alt(REFERENCES)), _reference, _reference_check),
    Rule("set", _rx(
        rf"(?:(?P<per>every|each|per|a)\s+(?:other\s+)?(?P<what>{_alt([*UNITS, *MONTHS, *SEASON_CODES, *PARTS_OF_DAY])})"
        r"|(?P<adverb>daily|weekly|monthly|annually|yearly|hourly|nightly)(?!\s+[a-z]+(?<!\band)(?<!\bor)\b))"), _set,
        _set_after_quantity),
    Rule("holiday", _rx(rf"(?P<holiday>{_alt(LEXICON['holidays'])})(?:\s+(?P<year>{YEAR}))?"), _holiday,
         lambda m, text: _capitalised(m["holiday"])),
)


def tag_times(text: str, dct: datetime.date | None) -> list[Timex]:
    """Every time expression in ``text``, normalised against ``dct``, sorted by start offset.

    Candidates from all rules compete: the longest span wins, ties go to the earlier rule.
    Winners are then normalised in reading order, so an anaphoric "the quarter" can take the
    quarter named before it.
    """
    candidates: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    for order, rule in enumerate(RULES):
        for match in rule.pattern.finditer(text):
            if match.end() > match.start() and rule.check(match, text):
                candidates.append((match.start(), match.end(), order, rule, match))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken: list[tuple[int, int, Rule, re.Match[str]]] = []
    for start, end, _, rule, match in candidates:
        if all(end <= s or start >= e for s, e, _, _ in taken):
            taken.append((start, end, rule, match))
    ctx = Context(text, dct)
    found: list[Timex] = []
    for start, end, rule, match in sorted(taken, key=lambda t: t[0]):
        result = rule.normalise(match, ctx)
        if result is not None:
            found.append(Timex(start, end, text[start:end], result[0], result[1]))
            if result[0] in ("DATE", "TIME") and result[1] and rule.name != "part_of_day":
                ctx.dates.append(result[1])  # a part of the day under discussion names no new day
                ctx.last_date_end = end
    return found

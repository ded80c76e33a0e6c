"""Find page furniture in plain-text news dumps, line by line but judged in context.

A text dump of a web page keeps everything the page showed: menus, "Watch CBS News", app and
cookie prompts, photo credits, share buttons, and whole "Related Articles" blocks whose
teasers read like prose and carry dates that are not the article's. Plain text has no tags or
link density to go on, so this follows jusText's idea with the signals plain text still has:

1. each line gets a first class from its length and stopword density (long, function-word
   rich lines are prose; short ones are undecided), or is pinned as furniture outright when a
   known pattern matches (``resources/furniture.json``) or it is only a date or a time;
2. undecided lines take the class of their neighbours (a short line between paragraphs is body,
   one among menu items is not), and a short complete sentence next to prose stays body;
3. a block header ("Related Articles", "Mehr zum Thema", "Comments") turns everything after it
   into furniture until body prose resumes (two prose lines in a row), so teaser sentences and
   their dates go with their block;
4. a heading-shaped line just before the first prose of a stretch (the headline, a subhead)
   is kept, so the title survives for :func:`parallax.clean.text.clean_text`;
5. the stretch of body with the most text is the article: small stretches after it, a few
   lines away, are author boxes and footer blurbs that happen to read like prose.

Recall on body lines matters more than catching the last furniture line: every rule that
removes a line that looks like prose needs a strong pattern or a block around it.

6. A learned second opinion has the last word on each line (``resources/furniture_model.json``,
   built by ``scripts/build_furniture_model.py`` from the tuning half of extraction-dev's sites):
   a regularised logistic regression over what the rules saw of the line (their verdict, first
   class, pattern pin, stopword density, length, neighbours' verdicts, distance to body) and
   the words it is made of, with only words seen on lines of three or more tuning sites, so a
   site's own menu is never learned. On extraction-dev's validation sites it lifts snippet F1
   from 0.865 (the rules) to 0.877, mostly by removing menu and teaser lines the rules kept.
"""
from __future__ import annotations

import json
import pkgutil
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any

import justext
import numpy as np


class LineKind(str, Enum):
    """What a line of a text dump is. ``BLOCK`` is furniture inside a related/more/comments block."""

    BLANK = "blank"
    BODY = "body"
    FURNITURE = "furniture"
    BLOCK = "block"


FURNITURE_KINDS = frozenset({LineKind.FURNITURE, LineKind.BLOCK})

_WORD = re.compile(r"\w+")
_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_SPACES = re.compile(r"\s+")
# The end of one sentence and the start of the next inside a line.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’»)]?\s+[\"“„«(]?[^\W\d_]")
# List bullets and decoration a text renderer puts before or after an item.
_EDGE_MARKS = "•·*-–—|>»›‹«<▪►▸◦●○■□✓✔→←↑↓#+=_~ \t:"
_SENTENCE_END = tuple('.!?…"”»«\'’)。！？;:')

# Initial classes, as in jusText.
_GOOD, _NEARGOOD, _SHORT, _BAD = "good", "neargood", "short", "bad"


@dataclass(frozen=True)
class _Thresholds:
    length_low: int
    length_high: int
    stopwords_low: float
    stopwords_high: float
    min_document_stopword_density: float
    sentence_min_words: int
    prose_min_words: int
    resume_prose_lines: int
    resume_long_line_chars: int
    resume_long_line_sentences: int
    title_max_words: int
    title_min_words: int
    title_max_lines_before_body: int
    phrase_max_words: int
    stretch_gap_lines: int
    stray_stretch_share: float
    wrap_max_width: int
    wrap_min_lines: int
    wrap_fill: float
    wrap_min_share: float
    stoplists_merged: int


@dataclass(frozen=True)
class _Rules:
    limits: _Thresholds
    strong: re.Pattern[str]
    # Strong patterns found anywhere in a line. They were whole-line patterns opening with
    # ``.*\b``, which ``fullmatch`` backtracks over the line once for each of them: searched,
    # the same lines are furniture in half the time (a VOA story is one line of ~5,000
    # characters: 11.5 -> 5.5 ms an article, half of it in cleaning, half in quotes).
    strong_phrase: re.Pattern[str]
    weak: re.Pattern[str]
    block_header: re.Pattern[str]
    date_words: frozenset[str]


def _alternation(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """The shipped patterns and thresholds, compiled once per process."""
    folder = resources.files("parallax").joinpath("resources")
    data = json.loads(folder.joinpath("furniture.json").read_text("utf-8"))
    dates = json.loads(folder.joinpath("furniture_dates.json").read_text("utf-8"))
    date_words = set(dates["month_names"]) | set(dates["weekday_names"]) | set(dates["date_line_words"])
    return _Rules(
        limits=_Thresholds(**data["thresholds"]),
        strong=_alternation(data["strong_line_patterns"]),
        strong_phrase=_alternation(data["strong_phrase_patterns"]),
        weak=_alternation(data["weak_line_patterns"]),
        block_header=_alternation(data["block_headers"]),
        date_words=frozenset(date_words),
    )


@lru_cache(maxsize=1)
def _stoplists() -> tuple[tuple[frozenset[str], ...], dict[str, tuple[int, ...]]]:
    """jusText's stopword lists (lower-cased, one per language) and, for each stopword, the
    positions of the lists holding it, so a document is scored against all lists in one pass.

    Each list's file is decoded and lower-cased whole, where ``justext.get_stoplist`` does so
    line by line (178,000 words: 0.59-0.69 -> 0.40-0.41 s CPU of every process's start, three
    fresh processes each, loaded machine; the same lists: ``tests/test_furniture.py``)."""
    lists = tuple(
        frozenset(_stoplist_file(name).decode("utf-8").lower().splitlines()) for name in sorted(justext.get_stoplists())
    )
    holders: dict[str, tuple[int, ...]] = {}
    for position, stoplist in enumerate(lists):
        for word in stoplist:
            holders[word] = holders.get(word, ()) + (position,)
    return lists, holders


def _stoplist_file(name: str) -> bytes:
    """The words of jusText's stoplist ``name``, one a line, from where ``justext.get_stoplist``
    reads them."""
    data = pkgutil.get_data("justext", f"stoplists/{name}.txt")
    assert data is not None  # the package's own loader reads files, never None
    return data


def _pick_stoplist(words: Sequence[str], minimum: float) -> frozenset[str] | None:
    """The stopwords of the languages that cover most of the document's words, or None.

    Picking by coverage instead of a language detector keeps a German or Polish page from being
    judged with English function words (which would make all its prose look like furniture).
    The best few lists are merged because pages mix languages (an English menu around German
    prose, a German forum quoting English); a page in a script without spaces (Chinese) matches
    no list well and falls back to length alone.
    """
    if not words:
        return None
    lists, holders = _stoplists()
    covered = [0] * len(lists)
    for word, count in Counter(words).items():
        for position in holders.get(word, ()):
            covered[position] += count
    ranked = sorted(range(len(lists)), key=covered.__getitem__, reverse=True)
    best = ranked[: _rules().limits.stoplists_merged]
    chosen = [lists[position] for position in best if covered[position] / len(words) >= minimum]
    return frozenset().union(*chosen) if chosen else None


@dataclass
class _Line:
    index: int
    core: str  # the line without bullets or edge decoration, spaces collapsed
    words: list[str]
    stop_density: float
    pinned: bool = False  # a pattern decided: context cannot overturn it
    header: bool = False  # opens a furniture block
    cls: str = _BAD

    @property
    def chars(self) -> int:
        return len(self.core)

    @property
    def sentence(self) -> bool:
        return self.core.endswith(_SENTENCE_END)


def _core(line: str) -> str:
    return _SPACES.sub(" ", line).strip(_EDGE_MARKS).strip()


def _is_date_line(core: str, date_words: frozenset[str]) -> bool:
    """True for a line made only of dates, times, weekdays and words like "Updated" or "Uhr"."""
    tokens = _DATE_TOKEN.findall(core.lower())
    if not tokens or not any(t.isdigit() or t in date_words for t in tokens):
        return False
    return all(t.isdigit() or t in date_words for t in tokens)


def _strong(core: str, rules: _Rules) -> bool:
    """A strong line pattern, or a strong phrase anywhere in the line."""
    return bool(rules.strong.fullmatch(core) or rules.strong_phrase.search(core))


def _block_header(core: str, words: Sequence[str], rules: _Rules) -> bool:
    """A short line that heads a furniture block ("Related articles", "Comments (12)")."""
    return len(words) <= rules.limits.phrase_max_words and bool(rules.block_header.fullmatch(core))


def _known_furniture(core: str, words: Sequence[str], rules: _Rules, prose: bool) -> bool:
    """Furniture whatever its context: a strong pattern, no words, only a date, or a weak
    pattern on a line that is not prose."""
    if _strong(core, rules):
        return True
    if not words or _is_date_line(core, rules.date_words):
        return True
    return not prose and bool(rules.weak.fullmatch(core))


def is_known_furniture(line: str) -> bool:
    """True when the line alone, without context, is furniture (a pattern or a bare date/time
    line matches). Lets a caller rule out headline candidates such as "Share this article"."""
    rules = _rules()
    core = _core(line)
    words = _WORD.findall(core)
    return _block_header(core, words, rules) or _known_furniture(core, words, rules, prose=False)


def is_furniture_phrase(line: str) -> bool:
    """True when the line is furniture by the lexicon's words alone: a strong line pattern, a
    strong phrase anywhere in it ("we use cookies", "Follow X on Twitter"), or a block header.
    Not the bare dates, symbol-only and weak-pattern lines ``is_known_furniture`` adds: the HTML
    cleaner drops these lexicon lines from trafilatura's text, where a date or a row of figures
    may be a table's and a weak pattern's line the article's (``clean/html.py``)."""
    rules = _rules()
    core = _core(line)
    return _block_header(core, _WORD.findall(core), rules) or _strong(core, rules)


def is_block_header(line: str) -> bool:
    """True when the line heads a furniture block ("Related articles", "Ähnliche Artikel"): the
    lines under it, up to prose, are the block's."""
    rules = _rules()
    core = _core(line)
    return _block_header(core, _WORD.findall(core), rules)


def _is_prose(line: _Line, rules: _Rules, use_stopwords: bool) -> bool:
    """A line that reads as a sentence of running text (a paragraph, not a label or teaser title)."""
    limits = rules.limits
    return (
        not line.pinned
        and line.sentence
        and len(line.words) >= limits.prose_min_words
        and (not use_stopwords or line.stop_density >= limits.stopwords_low)
    )


def _first_class(line: _Line, rules: _Rules, use_stopwords: bool) -> str:
    limits = rules.limits
    if line.chars < limits.length_low:
        return _SHORT
    low, high = (limits.stopwords_low, limits.stopwords_high) if use_stopwords else (0.0, 0.0)
    if line.stop_density >= high:
        return _GOOD if line.chars >= limits.length_high or _is_prose(line, rules, use_stopwords) else _NEARGOOD
    return _NEARGOOD if line.stop_density >= low else _BAD


def _features(lines: Sequence[str], rules: _Rules) -> tuple[list[_Line], bool]:
    """One _Line per non-blank input line with its first class, and whether stopwords are used."""
    cores = [(i, _core(text)) for i, text in enumerate(lines)]
    cores = [(i, core) for i, core in cores if core]
    words = [[w.lower() for w in _WORD.findall(core)] for _, core in cores]
    stoplist = _pick_stoplist([w for ws in words for w in ws], rules.limits.min_document_stopword_density)
    result = []
    for (index, core), line_words in zip(cores, words):
        density = sum(w in stoplist for w in line_words) / len(line_words) if stoplist and line_words else 0.0
        line = _Line(index=index, core=core, words=line_words, stop_density=density)
        line.header = len(line_words) <= rules.limits.phrase_max_words and bool(rules.block_header.fullmatch(core))
        line.pinned = line.header or _known_furniture(core, line_words, rules, _is_prose(line, rules, stoplist is not None))
        line.cls = _BAD if line.pinned else _first_class(line, rules, stoplist is not None)
        result.append(line)
    return result, stoplist is not None


def _neighbour_class(lines: list[_Line], start: int, step: int, skip: frozenset[str]) -> str:
    """The class of the nearest line in direction ``step`` whose class is not in ``skip``; the
    edge of the document counts as furniture."""
    position = start + step
    while 0 <= position < len(lines):
        if lines[position].cls not in skip:
            return lines[position].cls
        position += step
    return _BAD


def _revise_short(lines: list[_Line], rules: _Rules, use_stopwords: bool) -> None:
    """Give undecided short lines the class their context suggests."""
    skip_undecided = frozenset({_SHORT, _NEARGOOD})
    decided: dict[int, str] = {}
    for position, line in enumerate(lines):
        if line.cls != _SHORT:
            continue
        before = _neighbour_class(lines, position, -1, skip_undecided)
        after = _neighbour_class(lines, position, 1, skip_undecided)
        if before == after:
            decided[position] = before
        elif _next_to_prose(lines, position, rules, use_stopwords):
            decided[position] = _GOOD
        else:
            # Between furniture and prose: body only when a near-good line sits on the furniture
            # side (jusText's rule), i.e. the prose stretch really reaches this far.
            near_side = _neighbour_class(lines, position, -1 if before == _BAD else 1, frozenset({_SHORT}))
            decided[position] = _GOOD if near_side == _NEARGOOD else _BAD
    for position, cls in decided.items():
        lines[position].cls = cls


def _next_to_prose(lines: list[_Line], position: int, rules: _Rules, use_stopwords: bool) -> bool:
    """A short complete sentence right after (or before) prose is part of it, as in a closing
    one-line paragraph ("Trump and Putin spoke by phone on March 20.")."""
    line = lines[position]
    if not line.sentence or len(line.words) < rules.limits.sentence_min_words:
        return False
    if use_stopwords and line.stop_density < rules.limits.stopwords_low:
        return False
    neighbours = [lines[p] for p in (position - 1, position + 1) if 0 <= p < len(lines)]
    return any(n.cls in (_GOOD, _NEARGOOD) and not n.pinned for n in neighbours)


def _revise_neargood(lines: list[_Line]) -> None:
    """A near-good line is body unless furniture surrounds it on both sides."""
    skip = frozenset({_NEARGOOD})
    decided = {
        position: _BAD
        if _neighbour_class(lines, position, -1, skip) == _BAD and _neighbour_class(lines, position, 1, skip) == _BAD
        else _GOOD
        for position, line in enumerate(lines)
        if line.cls == _NEARGOOD
    }
    for position, cls in decided.items():
        lines[position].cls = cls


def _mark_blocks(lines: list[_Line], rules: _Rules, use_stopwords: bool, first_body: int) -> set[int]:
    """Positions of lines inside furniture blocks: from a block header until prose resumes.

    Only headers after the first body line open a block: the same words in a top menu
    ("Comments", "Latest", "Most read") would otherwise swallow the whole article. (Opening
    blocks only from the article's main stretch on was measured too: it saves a few leads but
    lets more teaser blocks above the article through; line F1 0.836 against 0.851.)
    """
    limits = rules.limits
    inside: set[int] = set()
    in_block = False
    for position, line in enumerate(lines):
        if line.header and position > first_body:
            in_block = True
        elif in_block:
            run = lines[position : position + limits.resume_prose_lines]
            resumed = len(run) == limits.resume_prose_lines and all(_is_prose(n, rules, use_stopwords) for n in run)
            long_prose = (
                _is_prose(line, rules, use_stopwords)
                and line.chars >= limits.resume_long_line_chars
                and len(_SENTENCE_BREAK.findall(line.core)) + 1 >= limits.resume_long_line_sentences
            )
            if resumed or long_prose:
                in_block = False
        if in_block:
            inside.add(position)
    return inside


def _looks_like_heading(line: _Line, rules: _Rules) -> bool:
    limits = rules.limits
    return (
        not line.pinned
        and limits.title_min_words <= len(line.words) <= limits.title_max_words
        and not line.core.endswith((".", ",", ";", ":"))
    )


def _rescue_headings(lines: list[_Line], rules: _Rules, blocks: set[int]) -> None:
    """Keep the heading-shaped line that opens each stretch of body (the headline, a subhead).

    Pinned furniture between the heading and the prose ("Image", a byline, a date) is looked
    past, up to a few lines, since that is where pages put it.
    """
    limits = rules.limits
    for position, line in enumerate(lines):
        if line.cls != _GOOD or position in blocks or (position and lines[position - 1].cls == _GOOD):
            continue
        looked = 0
        candidate = position - 1
        while candidate >= 0 and looked < limits.title_max_lines_before_body:
            previous = lines[candidate]
            if not previous.pinned:
                if previous.cls == _BAD and candidate not in blocks and _looks_like_heading(previous, rules):
                    previous.cls = _GOOD
                break
            looked += 1
            candidate -= 1


def _body_stretches(lines: list[_Line], rules: _Rules, blocks: set[int]) -> tuple[list[list[int]], int]:
    """Body lines grouped into stretches that furniture interrupts for at most
    ``stretch_gap_lines`` lines, and the index of the stretch with the most text (the article);
    -1 when there is no body."""
    stretches: list[list[int]] = []
    last_body = None
    for position, line in enumerate(lines):
        if line.cls != _GOOD or position in blocks:
            continue
        if last_body is None or position - last_body - 1 > rules.limits.stretch_gap_lines:
            stretches.append([])
        stretches[-1].append(position)
        last_body = position
    mass = [sum(lines[p].chars for p in stretch) for stretch in stretches]
    return stretches, mass.index(max(mass)) if mass else -1


def _drop_stray_stretches(lines: list[_Line], rules: _Rules, blocks: set[int]) -> None:
    """Turn small stretches of body after the article's main stretch into furniture.

    A later stretch with less than ``stray_stretch_share`` of the main one's text, more than
    the gap away, is a footer blurb, an author box or a teaser that happened to read like
    prose. Stretches before the main one are left alone: one there is as often the article's
    lead, set apart from the rest by a picture and its caption (measured: dropping those costs
    more body than the furniture it removes).
    """
    stretches, main = _body_stretches(lines, rules, blocks)
    if main < 0:
        return
    main_chars = sum(lines[p].chars for p in stretches[main])
    for stretch in stretches[main + 1 :]:
        if sum(lines[p].chars for p in stretch) < rules.limits.stray_stretch_share * main_chars:
            for position in stretch:
                lines[position].cls = _BAD


def wrapped_paragraphs(lines: Sequence[str]) -> list[list[int]]:
    """Physical lines grouped into logical ones: each hard-wrapped paragraph becomes one group.

    A dump wrapped at a fixed width (wire copy, e-mail, ``fmt`` output) has no line longer than
    the width and many lines close to it; judged one by one, every such line is "short" and a
    whole article could go as furniture. A line filled to near the width continues on the next
    non-blank line. Unwrapped text (one paragraph a line, like the seeds) is left as it is.
    """
    limits = _rules().limits
    lengths = [len(line.rstrip()) for line in lines]
    filled = [n for n in lengths if n]
    width = max(filled, default=0)
    groups = [[i] for i in range(len(lines))]
    if len(filled) < limits.wrap_min_lines or width > limits.wrap_max_width:
        return groups
    full = [n >= limits.wrap_fill * width for n in lengths]
    if sum(full) < limits.wrap_min_share * len(filled):
        return groups
    merged: list[list[int]] = []
    for index in range(len(lines)):
        continues = index > 0 and full[index - 1] and lengths[index] > 0
        if continues and merged:
            merged[-1].append(index)
        else:
            merged.append([index])
    return merged


@dataclass(frozen=True)
class LineEvidence:
    """What the rules make of a dump's logical lines (wrapped paragraphs joined), one entry per
    non-blank logical line: the learned second opinion's input (``features``: one row per line,
    in ``MODEL_FEATURES`` order; ``words``: the line's words), and the rules' own kinds."""

    groups: list[list[int]]  # input line numbers of each logical line
    positions: list[int]  # the logical line (index into ``groups``) of each non-blank one
    rule_kinds: list[LineKind]
    prose: bool  # some line read as an article's prose (else only patterns decide: step 5's fallback)
    features: np.ndarray
    words: list[frozenset[str]]


MODEL_FEATURES = (
    "rules_furniture", "rules_block", "pinned", "block_header", "first_good", "first_neargood", "first_short",
    "first_bad", "stopword_density", "log_chars", "log_words", "sentence_end", "position", "previous_furniture",
    "next_furniture", "log_lines_to_body", "digit_share", "capitalised_share", "has_bar", "stopwords_used",
)
_MODEL_WORD = re.compile(r"\b\w\w+\b")


def model_words(text: str) -> frozenset[str]:
    """The lower-cased words of two or more characters the learned second opinion reads."""
    return frozenset(_MODEL_WORD.findall(text.lower()))


def line_evidence(lines: Sequence[str]) -> LineEvidence:
    """The rules' pass over the lines (steps 1-5 of the module docstring) and what it saw."""
    rules = _rules()
    groups = wrapped_paragraphs(lines)
    logical = [" ".join(lines[i].strip() for i in group) for group in groups]
    features, use_stopwords = _features(logical, rules)
    first_classes = [line.cls for line in features]
    blocks, prose = _rule_passes(features, rules, use_stopwords)
    kinds = [LineKind.BLOCK if position in blocks else LineKind.BODY if line.cls == _GOOD else LineKind.FURNITURE
             for position, line in enumerate(features)]
    body = np.array([position for position, kind in enumerate(kinds) if kind == LineKind.BODY], dtype=int)
    count = len(features)
    rows = []
    for position, line in enumerate(features):
        before = kinds[position - 1] if position > 0 else LineKind.FURNITURE
        after = kinds[position + 1] if position + 1 < count else LineKind.FURNITURE
        tokens = line.core.split()
        rows.append([
            kinds[position] in FURNITURE_KINDS, kinds[position] == LineKind.BLOCK, line.pinned, line.header,
            first_classes[position] == _GOOD, first_classes[position] == _NEARGOOD, first_classes[position] == _SHORT,
            first_classes[position] == _BAD, line.stop_density, np.log1p(line.chars), np.log1p(len(line.words)),
            line.sentence, position / max(count - 1, 1), before in FURNITURE_KINDS, after in FURNITURE_KINDS,
            np.log1p(_lines_to_nearest(body, position)),
            sum(c.isdigit() for c in line.core) / max(line.chars, 1),
            sum(t[:1].isupper() for t in tokens) / max(len(tokens), 1), "|" in line.core, use_stopwords,
        ])
    return LineEvidence(
        groups=groups, positions=[line.index for line in features],
        rule_kinds=kinds, prose=prose, features=np.array(rows, dtype=float).reshape(count, len(MODEL_FEATURES)),
        words=[model_words(line.core) for line in features],
    )


def _lines_to_nearest(body: np.ndarray, position: int) -> int:
    """How many lines lie between ``position`` and the nearest body line (``body``: their
    positions, ascending; 50 when there is none). A bisection, not a scan: a dump of a huge page
    has tens of thousands of lines."""
    if not len(body):
        return 50
    at = int(np.searchsorted(body, position))
    return int(min(abs(position - body[k]) for k in (at - 1, at) if 0 <= k < len(body)))


@lru_cache(maxsize=1)
def furniture_model() -> dict[str, Any]:
    """The learned second opinion (``resources/furniture_model.json``)."""
    return json.loads(resources.files("parallax.resources").joinpath("furniture_model.json").read_text("utf-8"))


def furniture_probabilities(evidence: LineEvidence, model: dict[str, Any] | None = None) -> np.ndarray:
    """The second opinion's probability that each of ``evidence``'s lines is furniture."""
    model = model or furniture_model()
    if not evidence.positions:
        return np.zeros(0)
    scaled = (evidence.features - np.array(model["mean"])) / np.array(model["scale"])
    words = model["word_weights"]
    logits = scaled @ np.array(model["feature_weights"]) + model["bias"]
    logits += [sum(words.get(word, 0.0) for word in line_words) for line_words in evidence.words]
    return 1.0 / (1.0 + np.exp(-logits))


def _rule_passes(features: list[_Line], rules: _Rules, use_stopwords: bool) -> tuple[set[int], bool]:
    """Steps 2-5 over the first classes, in place; returns the positions inside furniture
    blocks, and whether any line read as an article's prose."""
    _revise_short(features, rules, use_stopwords)
    _revise_neargood(features)
    first_body = next((p for p, line in enumerate(features) if line.cls == _GOOD), len(features))
    blocks = _mark_blocks(features, rules, use_stopwords, first_body)
    _rescue_headings(features, rules, blocks)
    _drop_stray_stretches(features, rules, blocks)
    if not any(line.cls == _GOOD for line in features):
        # Nothing reads as an article (a one-line brief, a list): context has nothing to go on,
        # so only what a pattern names is removed rather than the whole text.
        for line in features:
            line.cls = _BAD if line.pinned else _GOOD
        return blocks, False
    return blocks, True


def label_lines(lines: Sequence[str]) -> list[LineKind]:
    """The kind of every line (blank, body, furniture, block furniture), in input order."""
    evidence = line_evidence(lines)
    return decide(lines, evidence, furniture_probabilities(evidence), furniture_model()["threshold"])


def decide(lines: Sequence[str], evidence: LineEvidence, probabilities: np.ndarray, threshold: float) -> list[LineKind]:
    """The rules' kinds with the learned second opinion's last word: a line the model calls body
    (probability under ``threshold``) is body; one it calls furniture keeps the rules' block, or
    is furniture. Where no line reads as prose (a brief, a list) the rules' kinds stand: the
    model learned from articles' pages, and without prose only a pattern says what is furniture.
    (A headline the model calls furniture is still the title, and stays in the text:
    :func:`parallax.clean.text.clean_text` picks the title among the lines above the first
    prose, furniture or not.)"""
    kinds = [LineKind.BLANK] * len(lines)
    for position, rule_kind, probability in zip(evidence.positions, evidence.rule_kinds, probabilities):
        if not evidence.prose:
            kind = rule_kind
        elif probability < threshold:
            kind = LineKind.BODY
        else:
            kind = rule_kind if rule_kind == LineKind.BLOCK else LineKind.FURNITURE
        for index in evidence.groups[position]:
            kinds[index] = kind if lines[index].strip() else LineKind.BLANK
    return kinds


def classify_lines(lines: Sequence[str]) -> list[bool]:
    """True for each line that is page furniture; blank lines are never furniture."""
    return [kind in FURNITURE_KINDS for kind in label_lines(lines)]


def drop_lines(lines: Sequence[str], remove: Sequence[bool]) -> str:
    """The text of the lines not removed, keeping the input's paragraph breaks.

    Blank lines on both sides of a removed stretch would leave a double gap, so a blank line is
    dropped when only removed lines separate it from the previous kept blank line; leading and
    trailing blank lines go.
    """
    kept: list[str] = []
    removed_since_blank = False
    for line, gone in zip(lines, remove):
        if gone:
            removed_since_blank = True
            continue
        if not line.strip():
            if not kept or (kept[-1].strip() == "" and removed_since_blank):
                continue
            removed_since_blank = False
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept)


def split_furniture(text: str) -> tuple[str, list[str]]:
    """(text without furniture lines, removed lines in order)."""
    lines = text.splitlines()
    remove = classify_lines(lines)
    removed = [line for line, gone in zip(lines, remove) if gone]
    return drop_lines(lines, remove), removed

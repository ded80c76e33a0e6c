"""The perturbation benchmark of the comparison: real articles told a second time with one fact
changed, so that what the comparison should find is known exactly.

Each sampled VOA story (public domain) is reworded by fixed, seeded rules that keep its facts:
reporting-verb swaps, "X said Y." ↔ "Y, X said.", small numbers as digits or words, a few
synonyms from an explicit list, adjacent sentences swapped, a few sentences dropped (see
``RULES``). Every rule is guarded so that it cannot move a fact onto another actor: no swap or
drop next to a sentence that opens with a pronoun, nothing reordered inside quotations. That
rewording alone is a *control* pair (nothing to find: every flag is false). Each *change* pair
rewords the same way and then changes exactly one thing in one sentence: a number (×2 or +50 %,
beyond any approximation word), a date (another day or month), a place (another country, city,
state or region of the same kind that the article does not name), the polarity of a verb ("did
not …", "denied that …") or the named source of a reporting verb (another named person or
organisation of the article). The ground truth is the kind, the changed sentence's offsets in
both texts and the old and new value.

The comparison then sees the original as "Outlet A" and the second telling as "Outlet B",
published the same day (so no difference is a development). A change is *found* when a
contradiction or development of the right kind has facts whose evidence overlaps the changed
sentence in both articles; *kind-agnostic* drops the kind. Every other contradiction or
development is a false flag. Articles are split by a seeded hash of their id before anything
was tuned: misses are shown (``--split tune``) for the tune half only, the validation half is
only ever counted. This is a unit-level check of the comparison (one known change, everything
else the same story); the labelled real pairs of ``compare.py`` decide.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SALT = "parallax-perturb-v1"
KINDS = ("quantity", "date", "place", "polarity", "attribution")  # SPEC's contradiction kinds
ARTICLES = 40

RULES = {
    "reporting verb": '"said" → "stated" (or "told reporters" when the sentence is only "X said Y"); "says" → "states"',
    "clause order": '"X said (that) Y." → "Y, X said." (no pronoun in Y) and "Y, X said." / "Y, said X." → "X said Y." '
                    '(Y opens with its subject); no quotation',
    "number words": "2–9 counting a noun: digits ↔ words, never inside a quotation",
    "synonym": "explicit list (began/started, begin/start, bought/purchased, nearly/almost, tried/attempted, "
               "nation→country, residents→inhabitants, assistance→aid, roughly→approximately; before a number "
               "about/approximately, more than/over), never inside a quotation",
    "reorder": "two adjacent sentences swapped when both and the next open with a proper noun, none quoted, not the lead",
    "drop": "up to 3 sentences dropped when the next opens with a proper noun (or none follows), none quoted, not the lead",
}

NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
WORD_OF = {n: w for w, n in NUMBER_WORDS.items()}
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
REPORTING = {"say", "tell", "announce", "state", "add", "write", "confirm", "claim", "report", "warn"}
NEGATIVE = {"no", "not", "n't", "never", "nothing", "none", "nobody", "neither", "nor", "without", "hardly"}
AUXILIARIES = {"be", "have", "will", "would", "can", "could", "should", "may", "might", "must", "do", "shall"}
LOCATIVE = {"in", "at", "near", "to", "from", "across", "inside", "outside", "into", "throughout", "toward", "towards"}
# One-word synonyms that keep a sentence's facts, keyed by (word, Penn tag) so that a noun is never
# swapped for a verb; two-way where the swap is symmetric.
SYNONYMS = {
    ("began", "VBD"): "started", ("started", "VBD"): "began", ("begin", "VB"): "start", ("start", "VB"): "begin",
    ("bought", "VBD"): "purchased", ("purchased", "VBD"): "bought", ("nearly", "RB"): "almost",
    ("almost", "RB"): "nearly", ("tried", "VBD"): "attempted", ("attempted", "VBD"): "tried",
    ("nation", "NN"): "country", ("residents", "NNS"): "inhabitants", ("assistance", "NN"): "aid", ("roughly", "RB"): "approximately",
}
# Places a changed place is drawn from, beyond the countries of the entity resource: a place is only
# replaced by one of its own kind (a city by a city), and only when its kind is known.
PLACES = {
    "city": ["Kyiv", "Moscow", "Beijing", "Tehran", "Baghdad", "Damascus", "Cairo", "Nairobi", "Lagos", "Kabul",
             "Islamabad", "New Delhi", "Tokyo", "Seoul", "Manila", "Jakarta", "Bangkok", "Hanoi", "Paris", "London",
             "Berlin", "Rome", "Madrid", "Warsaw", "Istanbul", "Ankara", "Beirut", "Amman", "Riyadh", "Doha",
             "Dubai", "Geneva", "Brussels", "Vienna", "Kharkiv", "Odesa", "Jerusalem", "Tel Aviv", "Washington",
             "New York", "Los Angeles", "Chicago", "Hong Kong", "Taipei", "Caracas", "Havana", "Khartoum", "Mogadishu"],
    "state": ["Texas", "California", "Florida", "Ohio", "Arizona", "Michigan", "Pennsylvania", "Virginia", "Nevada",
              "Oregon", "Alabama", "Kentucky", "Louisiana", "Minnesota", "Wisconsin", "Colorado", "Maryland", "Utah"],
    "region": ["Europe", "Africa", "Asia", "Middle East", "Latin America", "Southeast Asia", "Central Asia",
               "Caribbean", "Balkans", "Sahel", "Horn of Africa", "Gulf", "Pacific", "Arctic"],
}


def _countries() -> dict[str, tuple[list[str], list[str]]]:
    """Country → (its names, every word the article could use for it: names and demonyms), from
    the project's entity resource, so that a new place is one the article mentions in no form."""
    data = json.loads(resources.files("parallax.resources").joinpath("entities.json").read_text("utf-8"))
    out = {}
    for name, entry in data["countries"].items():
        names = [name, *entry.get("aliases", [])]
        out[name] = (names, [*names, *entry.get("demonyms", [])])
    return out


# --- the ground truth ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """The one thing a second telling changes, where it sits in both texts, and what it was."""

    kind: str  # one of KINDS
    old: str
    new: str
    about: str
    original: tuple[int, int]  # the changed sentence in the original text
    perturbed: tuple[int, int]  # the same sentence in the second telling
    old_span: tuple[int, int]  # the old value in the original text
    new_span: tuple[int, int]  # the new value in the second telling


@dataclass(frozen=True)
class Telling:
    """A second telling of an article: its text, the change (None for a control) and the
    rewording rules it used."""

    article: str
    text: str
    change: Change | None
    rules: Counter[str]


# --- editing sentences ---------------------------------------------------------------------------
@dataclass
class _Edit:
    start: int
    end: int
    text: str
    change: bool = False


@dataclass
class _Sentence:
    """A sentence of the original with inline edits and, for a clause-order rewrite, a layout:
    pieces that are original ranges (rendered with their edits, first letter re-cased) or literal
    strings."""

    span: Span
    quoted: list[tuple[int, int]]  # the quotations that overlap the sentence
    edits: list[_Edit] = field(default_factory=list)
    layout: list[tuple[int, int, str | None] | str] | None = None

    def pieces(self) -> list[tuple[int, int, str | None] | str]:
        return self.layout or [(self.span.start_char, self.span.end_char, None)]

    def free(self, start: int, end: int) -> bool:
        """Whether a rewording may edit [start, end): no other edit there, and no quotation."""
        return not any(_overlap(e.start, e.end, start, end) for e in self.edits) and \
            not any(q[0] < end and start < q[1] for q in self.quoted)

    def holds(self, edit: _Edit) -> bool:
        """Whether an edit lies wholly inside one piece of the layout (else it cannot be rendered)."""
        return any(not isinstance(p, str) and p[0] <= edit.start and edit.end <= p[1] for p in self.pieces())

    def render(self, text: str) -> tuple[str, tuple[int, int] | None]:
        """The sentence as told, and where the changed value sits in it."""
        out, mark, used = [], None, set()
        for piece in self.pieces():
            if isinstance(piece, str):
                out.append(piece)
                continue
            start, end, case = piece
            chunk, position = [], start
            for index, edit in sorted(enumerate(self.edits), key=lambda e: (e[1].start, e[1].end)):
                if index in used or not (start <= edit.start and edit.end <= end):
                    continue
                used.add(index)
                chunk.append(text[position:edit.start])
                if edit.change:
                    offset = sum(map(len, out)) + sum(map(len, chunk))
                    mark = (offset, offset + len(edit.text))
                chunk.append(edit.text)
                position = edit.end
            chunk.append(text[position:end])
            rendered = "".join(chunk)
            if case == "upper":
                rendered = rendered[:1].upper() + rendered[1:]
            elif case == "lower":
                rendered = rendered[:1].lower() + rendered[1:]
            out.append(rendered)
        return "".join(out), mark


def _overlap(a: int, b: int, c: int, d: int) -> bool:
    """Whether two edits [a, b) and [c, d) collide; an insertion (empty range) collides with an
    edit it falls strictly inside, or with another insertion at the same point."""
    if a == b and c == d:
        return a == c
    if a == b:
        return c < a < d
    if c == d:
        return a < c < b
    return a < d and c < b


def quotations(text: str) -> list[tuple[int, int]]:
    """The character ranges of quotations, marks included: "…" and “…” (running over sentences
    until they close) and ‘…’ (closed by the first ’ that no letter follows, so that an
    apostrophe does not close it). A quotation is the speaker's words: rewording never
    touches one, and no sentence is moved or dropped out of one."""
    ranges, opened = [], None
    for match in re.finditer(r"[\"“”‘]", text):
        char, at = match.group(), match.start()
        if char == "‘":
            close = re.compile(r"’(?![A-Za-z])").search(text, at + 1)
            if opened is None and close:
                ranges.append((at, close.end()))
        elif opened is None and char in '"“':
            opened = at
        elif opened is not None and char in '"”':
            ranges.append((opened, at + 1))
            opened = None
    if opened is not None:
        ranges.append((opened, len(text)))
    return ranges


def _opens_named(sentence: Span) -> bool:
    """A sentence that names its own subject first (a proper noun) leans on no sentence before it."""
    first = next((t for t in sentence if not t.is_punct and not t.is_space), None)
    return first is not None and first.pos_ == "PROPN"


def _lowerable(token: Token) -> bool:
    """A sentence-initial word that is lower-cased when it moves inside a sentence ("The
    officials"), unlike a name or a word made from one ("Iraqi officials", "I")."""
    if token.ent_type_ or token.pos_ == "PROPN" or token.text == "I":
        return False
    return token.pos_ in ("DET", "NOUN", "ADJ", "ADV", "NUM", "ADP", "CCONJ", "SCONJ", "PRON")


def _cased(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _value(token: Token) -> float | None:
    """A number token's value ("1,200", "3.5", "seven"), None for anything else."""
    text = token.text.lower()
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return None


def _counted(token: Token) -> bool:
    """A cardinal counting a noun ("seven members"), not part of a date, name, range or compound."""
    if token.ent_type_ not in ("", "CARDINAL") or token.dep_ != "nummod" or token.head.pos_ != "NOUN":
        return False
    doc = token.doc
    near = [doc[i] for i in range(max(token.i - 2, 0), min(token.i + 3, len(doc))) if i != token.i]
    return not any(t.like_num or t.text in ("-", "–", "to", "or") for t in near)


# --- rewording -------------------------------------------------------------------------------------
def _said_swap(sentence: _Sentence, rng: random.Random) -> str | None:
    for token in sentence.span:
        if token.lower_ not in ("said", "says") or not any(c.dep_ == "nsubj" for c in token.children):
            continue
        if any(c.dep_ in ("xcomp", "dobj", "dative", "neg") or c.lower_ == "of" for c in token.children) or rng.random() >= 0.5:
            continue
        if not sentence.free(token.idx, token.idx + len(token)):
            continue
        if token.lower_ == "says":
            new = "states"
        else:
            # "told reporters" names a channel: only where the sentence names none (no "in a
            # statement", "in which", "on X") and the clause follows the verb at once
            clause = [c for c in token.children if c.dep_ == "ccomp"]
            plain = token.dep_ == "ROOT" and all(c.dep_ in ("nsubj", "ccomp", "aux", "punct") for c in token.children)
            new = rng.choice(["stated", "told reporters"]) if plain and clause and clause[0].left_edge.i == token.i + 1 else "stated"
        sentence.edits.append(_Edit(token.idx, token.idx + len(token), _cased(new, token.text)))
        return "reporting verb"
    return None


def _clause_order(sentence: _Sentence) -> str | None:
    """'X said (that) Y.' ↔ 'Y, X said.' on a sentence that is exactly that and nothing more."""
    span = sentence.span
    root = span.root
    if root.lemma_ != "say" or sentence.quoted or span[-1].text != "." or span[-1].head != root:
        return None
    children = [c for c in root.children if c.i != span[-1].i]
    clause = [c for c in children if c.dep_ == "ccomp"]
    subject = [c for c in children if c.dep_ == "nsubj"]
    if len(clause) != 1 or len(subject) != 1 or any(c.dep_ not in ("ccomp", "nsubj", "aux", "advmod", "punct") for c in children):
        return None
    clause_, subject_ = clause[0], subject[0]
    first = span[0]
    proper = not _lowerable(subject_.left_edge)
    if clause_.i > root.i:  # X said (that) Y.
        if clause_.left_edge.i != root.i + 1 or clause_.right_edge.i != span[-1].i - 1:
            return None
        if any(t.tag_ in ("PRP", "PRP$") for t in clause_.subtree):
            return None  # fronted, "he" or "her" would come before the name it stands for
        if first.i != min(c.left_edge.i for c in children if c.i < root.i) or any(c.dep_ == "punct" for c in children):
            return None
        start = clause_.left_edge
        if start.lower_ == "that" and start.dep_ == "mark":
            start = span.doc[start.i + 1]
        sentence.layout = [(start.idx, clause_.right_edge.idx + len(clause_.right_edge), "upper"), ", ",
                           (first.idx, root.idx + len(root), None if proper else "lower"), "."]
        return "clause order"
    # Y, X said. / Y, said X. — only when Y opens with its subject: "X said in the past two
    # years, …" would let the time phrase date the saying
    if clause_.left_edge.i != first.i or span.doc[clause_.right_edge.i + 1].text != ",":
        return None
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.left_edge.i == first.i for c in clause_.children):
        return None
    rest = [t for t in span[clause_.right_edge.i + 2 - span.start : -1]]
    if {t.i for t in rest} != {t.i for t in subject_.subtree} | {root.i} | {t.i for c in children if c.dep_ in ("aux", "advmod") for t in c.subtree}:
        return None
    keep_case = not _lowerable(clause_.left_edge)
    said = (root.idx, root.idx + len(root), None)
    if subject_.i < root.i:
        head: list[tuple[int, int, str | None] | str] = [(rest[0].idx, root.idx + len(root), "upper")]
    else:
        if rest[0].i != root.i:
            return None
        head = [(subject_.left_edge.idx, subject_.right_edge.idx + len(subject_.right_edge), "upper"), " ", said]
    sentence.layout = [*head, " ", (first.idx, clause_.right_edge.idx + len(clause_.right_edge), None if keep_case else "lower"), "."]
    return "clause order"


def _number_words(sentence: _Sentence, rng: random.Random) -> str | None:
    for token in sentence.span:
        value = _value(token)
        if value is None or not 2 <= value <= 9 or token.i == sentence.span.start or not _counted(token):
            continue
        if rng.random() >= 0.5 or not sentence.free(token.idx, token.idx + len(token)):
            continue
        if any(not isinstance(p, str) and p[0] == token.idx for p in sentence.pieces()):
            continue  # it opens a sentence once the clauses are reordered: no digit there
        new = str(int(value)) if token.is_alpha else WORD_OF[int(value)]
        sentence.edits.append(_Edit(token.idx, token.idx + len(token), new))
        return "number words"
    return None


def _synonyms(sentence: _Sentence, rng: random.Random) -> str | None:
    used = None
    doc = sentence.span.doc
    for token in sentence.span:
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        before_number = nxt is not None and nxt.like_num
        end, new = token.idx + len(token), SYNONYMS.get((token.lower_, token.tag_))
        if token.lower_ == "about" and before_number and token.head == nxt:
            new = "approximately"
        elif token.lower_ == "approximately" and before_number:
            new = "about"
        elif token.lower_ == "over" and before_number and token.dep_ in ("quantmod", "advmod"):
            new = "more than"
        elif token.lower_ == "more" and nxt is not None and nxt.lower_ == "than" and token.i + 2 < len(doc) and doc[token.i + 2].like_num:
            new, end = "over", nxt.idx + len(nxt)
        if new is None or rng.random() >= 0.5 or not sentence.free(token.idx, end):
            continue
        sentence.edits.append(_Edit(token.idx, end, _cased(new, token.text)))
        used = "synonym"
    return used


def reword(doc: Doc, seed: str) -> tuple[list[_Sentence], list[int], set[int], Counter[str]]:
    """The rewording plan of an article: sentences with their edits, the order they are told in,
    the sentences dropped, and how often each rule fired. Deterministic in ``seed``."""
    rng = random.Random(seed)
    marks = quotations(doc.text)
    sentences = [_Sentence(s, [q for q in marks if q[0] < s.end_char and s.start_char < q[1]]) for s in doc.sents]
    used: Counter[str] = Counter()
    for sentence in sentences:
        for rule in (_said_swap(sentence, rng), _clause_order(sentence) if rng.random() < 0.5 else None,
                     _number_words(sentence, rng), _synonyms(sentence, rng)):
            if rule:
                used[rule] += 1
    quoted = {i for i, s in enumerate(sentences) if s.quoted}
    named = [_opens_named(s.span) for s in sentences]
    last = len(sentences) - 1
    # drop: a sentence whose follower names its own subject (or that is last), not the lead
    dropped: set[int] = set()
    for i in range(1, len(sentences)):
        if len(dropped) < 3 and i not in quoted and (i == last or (named[i + 1] and i + 1 not in quoted)) and rng.random() < 0.12:
            dropped.add(i)
    used["drop"] += len(dropped)
    order = list(range(len(sentences)))
    i = 1
    while i + 1 < len(order):
        a, b = order[i], order[i + 1]
        follower_ok = i + 2 > last or (named[i + 2] and i + 2 not in quoted)
        pair_ok = named[a] and named[b] and not {a, b} & (quoted | dropped) and _same_paragraph(doc, sentences[a], sentences[b])
        if pair_ok and follower_ok and rng.random() < 0.25:
            order[i], order[i + 1] = b, a
            used["reorder"] += 1
            i += 2
        else:
            i += 1
    return sentences, order, dropped, used


def _same_paragraph(doc: Doc, a: _Sentence, b: _Sentence) -> bool:
    return "\n" not in doc.text[a.span.end_char : b.span.start_char]


def _assemble(doc: Doc, sentences: list[_Sentence], order: list[int], dropped: set[int],
              target: int | None) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    """The second telling's text; where the target sentence and its changed value sit in it.
    Sentences keep the gaps of the original positions they fill (a line break stays a line break)."""
    text = doc.text
    gaps = [text[s.span.end_char : sentences[k + 1].span.start_char] if k + 1 < len(sentences) else text[s.span.end_char:]
            for k, s in enumerate(sentences)]
    out = [text[: sentences[0].span.start_char]] if sentences else []
    where, mark = None, None
    for position, index in enumerate(order):
        if index in dropped:
            continue
        rendered, value = sentences[index].render(text)
        offset = sum(map(len, out))
        if index == target:
            where = (offset, offset + len(rendered))
            mark = (offset + value[0], offset + value[1]) if value else None
        out.append(rendered)
        out.append(gaps[position])
    return "".join(out).rstrip() + ("\n" if text.endswith("\n") else ""), where, mark


# --- changes -------------------------------------------------------------------------------------
Site = tuple[int, _Edit, str, str, str]  # sentence index, the edit, old value, new value, what it is about


def _indefinite(shown: str) -> str:
    """'a' or 'an' before a number as it is read aloud (an 8, an 11, an 18, an 800, a 1,746)."""
    lead = shown.split(",")[0].split(".")[0]
    if lead[:1].isalpha():
        return "an" if lead[:1].lower() in "aeiou" else "a"
    return "an" if lead.startswith("8") or lead in ("11", "18") else "a"


def _number_sites(sentences: list[_Sentence], rng: random.Random) -> list[Site]:
    """Counts of a noun and amounts of money, percentages and measures, changed ×2 or +50 %:
    beyond what any approximation word ("about", "more than") allows. A definite count ("the
    two leaders") refers back to a count given before, and a number after a noun is a label
    ("type 2 diabetes", "Article 24"), so both are left alone."""
    sites = []
    for index, sentence in enumerate(sentences):
        doc = sentence.span.doc
        for token in sentence.span:
            value = _value(token)
            unit = token.ent_type_ in ("MONEY", "PERCENT", "QUANTITY")
            if value is None or value < 2 or not (unit or _counted(token)):
                continue
            if re.fullmatch(r"(19|20)\d\d", token.text) or token.ent_type_ not in ("", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
                continue
            before = doc[token.i - 1] if token.i > 0 else None
            if before is not None and (before.pos_ in ("NOUN", "PROPN") or before.lower_ in ("the", "these", "those", "both", "its", "their", "his", "her")):
                continue
            new = value * rng.choice([2.0, 1.5])
            if token.ent_type_ == "PERCENT" and new > 100:
                new = value * 1.5
            elif value == int(value) and new != int(new):
                new = value * 2
            if (token.ent_type_ == "PERCENT" and new > 100) or (token.is_alpha and new != int(new)):
                continue
            if token.is_alpha and int(new) in WORD_OF:
                shown = WORD_OF[int(new)]
            elif new == int(new):
                shown = f"{int(new):,}" if "," in token.text or new >= 1000 else str(int(new))
            else:
                shown = f"{new:.{max(len(token.text.partition('.')[2]), 1)}f}"
            shown, start = _cased(shown, token.text), token.idx
            article = next((t for t in (before, doc[token.i - 2] if token.i > 1 else None)
                            if t is not None and t.lower_ in ("a", "an")), None)
            if article is not None and (article.i == token.i - 1 or doc[token.i - 1].text == "$"):
                start = article.idx
                shown = _cased(_indefinite(shown), article.text) + doc.text[article.idx + len(article) : token.idx] + shown
            sites.append((index, _Edit(start, token.idx + len(token), shown, True), doc.text[start : token.idx + len(token)],
                          shown, _counted_noun(token)))
    return sites


def _counted_noun(token: Token) -> str:
    """What a number counts: the noun above it ("6 million refugees" → refugees), or its unit."""
    head = token
    while head.head != head and (head.like_num or head.lower_ in ("million", "billion", "thousand", "trillion", "$", "%")):
        head = head.head
    return head.text if head.pos_ == "NOUN" else token.ent_type_.lower() or head.text


def _governor(token: Token) -> str:
    """The word a date or place phrase is about: its head, past a preposition."""
    head = token.head
    while head.pos_ == "ADP" and head.head != head:
        head = head.head
    return head.text


def _date_sites(sentences: list[_Sentence], rng: random.Random) -> list[Site]:
    sites = []
    for index, sentence in enumerate(sentences):
        for ent in sentence.span.ents:
            if ent.label_ != "DATE":
                continue
            tokens = list(ent)
            month = next((t for t in tokens if t.text in MONTHS), None)
            day = next((t for t in tokens if month is not None and abs(t.i - month.i) == 1 and t.text.isdigit() and 1 <= int(t.text) <= 31), None)
            weekday = next((t for t in tokens if t.text in WEEKDAYS), None)
            year = next((t for t in tokens if re.fullmatch(r"(19|20)\d\d", t.text)), None)
            if day is not None:
                d = int(day.text)
                token, new = day, str(d + 7 if d <= 21 else d - 7)
            elif weekday is not None:
                token, new = weekday, WEEKDAYS[(WEEKDAYS.index(weekday.text) + rng.choice([1, 2, 3, -1, -2, -3])) % 7]
            elif month is not None:
                token, new = month, MONTHS[(MONTHS.index(month.text) + rng.choice([2, 3, -2, -3])) % 12]
            elif year is not None:
                token, new = year, str(int(year.text) + rng.choice([-2, -1, 1, 2]))
            else:
                continue
            changed = ent.text[: token.idx - ent.start_char] + new + ent.text[token.idx + len(token) - ent.start_char :]
            sites.append((index, _Edit(ent.start_char, ent.end_char, changed, True), ent.text, changed, _governor(ent.root)))
    return sites


def _place_kind(name: str, countries: dict[str, tuple[list[str], list[str]]]) -> tuple[str, str] | None:
    """The kind of a named place and its canonical name, when the lists know it."""
    for country, (names, _) in countries.items():
        if name in names:
            return "country", country
    for kind, names in PLACES.items():
        if name in names:
            return kind, name
    return None


# Countries that take "the": never drawn as a new place, so that no article has to be inserted.
_WITH_ARTICLE = {"United States", "United Kingdom", "Netherlands", "Philippines", "United Arab Emirates",
                 "Democratic Republic of the Congo", "Middle East", "Caribbean", "Balkans", "Sahel", "Horn of Africa",
                 "Gulf", "Pacific", "Arctic"}


def _place_sites(sentences: list[_Sentence], rng: random.Random, countries: dict[str, tuple[list[str], list[str]]]) -> list[Site]:
    text = sentences[0].span.doc.text if sentences else ""
    forms = {name: every for name, (_, every) in countries.items()}
    forms.update({name: [name] for names in PLACES.values() for name in names})

    def mentioned(place: str) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text) for f in forms[place])

    sites = []
    for index, sentence in enumerate(sentences):
        for ent in sentence.span.ents:
            root, doc = ent.root, ent.doc
            if ent.label_ not in ("GPE", "LOC") or root.dep_ != "pobj" or root.head.lower_ not in LOCATIVE:
                continue
            if ent.end < len(doc) and doc[ent.end].tag_ == "POS":
                continue  # "in Iraq's Anbar desert": the place is Anbar
            if any(c.i < ent.start and c.dep_ in ("amod", "compound", "nmod") for c in root.children):
                continue  # "sub-Saharan Africa", "northeastern Kenya": the modifier belongs to the old place
            start, words = ent.start_char, ent.text
            if words.lower().startswith("the "):
                words = words[4:]
            elif ent.start > 0 and doc[ent.start - 1].lower_ == "the":
                start = doc[ent.start - 1].idx
            kind = _place_kind(words, countries)
            if kind is None:
                continue
            pool = list(countries) if kind[0] == "country" else PLACES[kind[0]]
            pool = sorted(p for p in pool if p != kind[1] and p not in _WITH_ARTICLE and not mentioned(p))
            if pool:
                new = rng.choice(pool)
                sites.append((index, _Edit(start, ent.end_char, new, True), text[start : ent.end_char], new, _governor(root)))
    return sites


def _negation(verb: Token) -> tuple[int, int, str, int] | None:
    """The edit that negates a verb ('not' after its first auxiliary or after a copula, else
    'did/does/do not' and its lemma) and where the verb phrase starts."""
    if any(c.dep_ == "neg" for c in verb.children) or any(t.lower_ in NEGATIVE for t in verb.subtree):
        return None  # "will have no choice" does not take a second "not"
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    if auxiliaries:
        first = auxiliaries[0]
        if first.lemma_ not in AUXILIARIES or not first.is_alpha:
            return None
        end = first.idx + len(first)
        return end, end, " not", first.idx
    if verb.lemma_ == "be" and verb.is_alpha:
        end = verb.idx + len(verb)
        return end, end, " not", verb.idx
    helper = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
    if helper is None or not verb.is_alpha:
        return None
    return verb.idx, verb.idx + len(verb), f"{_cased(helper, verb.text)} not {verb.lemma_}", verb.idx


def _polarity_sites(sentences: list[_Sentence], rng: random.Random) -> list[Site]:
    """Negations of the main verb (of the reported clause when the sentence reports), and
    'X said Y' → 'X denied that Y'."""
    sites = []
    for index, sentence in enumerate(sentences):
        text, root = sentence.span.doc.text, sentence.span.root
        if "?" in sentence.span.text:
            continue
        verbs = [root] if root.lemma_ not in REPORTING else [c for c in root.children if c.dep_ == "ccomp"]
        for verb in verbs:
            negation = _negation(verb) if verb.pos_ in ("VERB", "AUX") and verb.lemma_ not in REPORTING else None
            if negation is None:
                continue
            start, end, inserted, phrase = negation
            close = max(end, verb.idx + len(verb))
            new = text[phrase:start] + inserted + text[end:close]
            sites.append((index, _Edit(phrase, close, new, True), text[phrase:close], new, verb.lemma_))
        clause = [c for c in root.children if c.dep_ == "ccomp" and c.left_edge.i == root.i + 1]
        if root.lower_ == "said" and root.tag_ == "VBD" and clause and not sentence.quoted \
                and any(c.dep_ == "nsubj" for c in root.children) and not any(c.dep_ == "neg" for c in root.children):
            new = "denied" if clause[0].left_edge.lower_ == "that" else "denied that"
            sites.append((index, _Edit(root.idx, root.idx + len(root), new, True), "said", new, clause[0].lemma_))
    return sites


def _speaker(token: Token) -> Token | None:
    """The name that says something: the subject of a reporting verb, or the object of
    'according to'."""
    if token.lemma_ in REPORTING and token.pos_ == "VERB":
        return next((c for c in token.children if c.dep_ == "nsubj"), None)
    doc = token.doc
    if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        return next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
    return None


def _source_sites(sentences: list[_Sentence], rng: random.Random) -> list[Site]:
    """A named source ('X said', 'according to X') replaced by another named source of the same
    article (a person or organisation that says something elsewhere in it, of the same type
    when there is one), sharing no word with it, under its fullest name in the article."""
    if not sentences:
        return []
    doc = sentences[0].span.doc

    def words(name: str) -> set[str]:
        return {w.casefold() for w in re.findall(r"\w+", name)}

    names = [Span(doc, e.start + (e[0].lower_ == "the"), e.end, label=e.label_) for e in doc.ents  # "The Red Cross" → Red Cross
             if e.label_ in ("PERSON", "ORG") and e.text.lower() != "the" and not re.search(r"['’]s\b", e.text)]
    the = {e.text for e in names if e.start > 0 and doc[e.start - 1].lower_ == "the"}  # "the U.N."

    def fullest(ent: Span) -> str:
        return max((e.text for e in names if e.label_ == ent.label_ and words(ent.text) <= words(e.text)), key=len, default=ent.text)

    said: list[tuple[int, Token, Span]] = []
    for index, sentence in enumerate(sentences):
        for token in sentence.span:
            head = _speaker(token)
            ent = next((e for e in names if head is not None and e.start <= head.i < e.end), None)
            if head is not None and ent is not None:
                said.append((index, token, ent))
    sites = []
    for index, verb, ent in said:
        others = {(e.label_, fullest(e)) for _, _, e in said if not words(e.text) & words(ent.text)}
        pool = sorted(name for label, name in others if label == ent.label_) or sorted(name for _, name in others)
        if not pool:
            continue
        new = rng.choice(pool)
        start = doc[ent.start - 1].idx if ent.start > 0 and doc[ent.start - 1].lower_ == "the" else ent.start_char
        shown = f"the {new}" if new in the else new
        if start == sentences[index].span.start_char:
            shown = shown[:1].upper() + shown[1:]
        sites.append((index, _Edit(start, ent.end_char, shown, True), doc.text[start : ent.end_char], shown, verb.text))
    return sites


def perturb(article: str, doc: Doc) -> list[Telling]:
    """The control telling of an article and one changed telling per kind that has a site.

    Deterministic: every choice comes from a generator seeded by the salt, the article id and
    the kind. Every telling shares one rewording plan. The changed sentence is never dropped;
    rewording edits in it that collide with the change are left out, and its clause order is
    kept when the change is a denial (moving the clause of 'X denied that Y' would say something
    else) or does not fit one piece of the new order."""
    countries = _countries()
    seed = f"{SALT}:{article}"
    sentences, order, dropped, used = reword(doc, seed)
    out = [Telling(article, _assemble(doc, sentences, order, dropped, None)[0], None, used)]
    finders = {"quantity": _number_sites, "date": _date_sites, "polarity": _polarity_sites, "attribution": _source_sites,
               "place": lambda s, r: _place_sites(s, r, countries)}
    for kind in KINDS:
        rng = random.Random(f"{seed}:{kind}")
        sentences = reword(doc, seed)[0]  # a fresh copy of the same plan
        sites = finders[kind](sentences, rng)
        if not sites:
            continue
        index, edit, old, new, about = sites[rng.randrange(len(sites))]
        target = sentences[index]
        target.edits = [e for e in target.edits if not _overlap(e.start, e.end, edit.start, edit.end)]
        if new.startswith("denied") or not target.holds(edit):
            target.layout = None
        target.edits.append(edit)
        text, where, mark = _assemble(doc, sentences, order, dropped - {index}, index)
        if where is None or mark is None:
            raise RuntimeError(f"{article}: the changed sentence was not rendered")
        change = Change(kind, old, new, about, (target.span.start_char, target.span.end_char), where, (edit.start, edit.end), mark)
        out.append(Telling(article, text, change, used))
    return out


# --- the benchmark ---------------------------------------------------------------------------------
def validation(article: str) -> bool:
    """The validation half, fixed by a seeded hash of the article id before anything was tuned."""
    return int(hashlib.sha256(f"{SALT}:{article}".encode()).hexdigest(), 16) % 2 == 0


def sample(records: Sequence[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """A fixed sample of articles: the first ``count`` in the order of a seeded hash of their ids."""
    return sorted(records, key=lambda r: hashlib.sha256(f"{SALT}:sample:{r['id']}".encode()).hexdigest())[:count]


@dataclass
class Outcome:
    """What the comparison made of one pair."""

    telling: Telling
    original: str  # the original article's text
    found: bool  # a difference of the right kind at the change
    found_any: bool  # a difference of any kind at the change
    false: list[dict[str, Any]]  # every other contradiction or development
    result: dict[str, Any]


def _at(difference: dict[str, Any], facts: dict[str, dict[str, Any]], article: str, sentence: tuple[int, int]) -> bool:
    """Whether a difference's facts have evidence in an article that overlaps a sentence."""
    for fact_id in difference["facts"]:
        span = facts[fact_id]["evidence"].get(article)
        if span and span["start"] < sentence[1] and span["end"] > sentence[0]:
            return True
    return False


def score(telling: Telling, original: str, result: dict[str, Any], a: str, b: str) -> Outcome:
    """Found or not, and the false flags: a difference is at the change when its facts' evidence
    overlaps the changed sentence in both articles."""
    facts = {f["id"]: f for f in result["facts"]}
    flagged = [*result["contradictions"], *result["developments"]]
    change = telling.change
    at = [d for d in flagged if change and _at(d, facts, a, change.original) and _at(d, facts, b, change.perturbed)]
    found = any(d["kind"] == change.kind for d in at) if change else False
    return Outcome(telling, original, found, bool(at), [d for d in flagged if not any(d is x for x in at)], result)


def run(records: list[dict[str, Any]]) -> tuple[list[Outcome], float]:
    """Every article's tellings compared with the original; the median comparison time (ms)."""
    from parallax.annotate import annotate_many
    from parallax.nlp import load_nlp
    from parallax.compare import StoryArticle, compare_story

    nlp = load_nlp()
    tellings = [perturb(str(r["id"]), doc) for r, doc in zip(records, nlp.pipe(r["text"] for r in records))]
    days = [date.fromisoformat(str(r["published"])[:10]) for r in records]
    texts = [(r["text"], day, "Outlet A") for r, day in zip(records, days)]
    texts += [(t.text, day, "Outlet B") for told, day in zip(tellings, days) for t in told]
    annotations = [a.to_json() for a in annotate_many((text, day, "en", outlet) for text, day, outlet in texts)]
    originals, seconds = iter(annotations[: len(records)]), iter(annotations[len(records) :])
    outcomes, times = [], []
    for record, told in zip(records, tellings):
        original = StoryArticle(f"{record['id']}-A", next(originals), "Outlet A", record["published"], record["title"])
        for number, telling in enumerate(told):
            second = StoryArticle(f"{record['id']}-B{number}", next(seconds), "Outlet B", record["published"], record["title"])
            start = time.perf_counter()
            result = compare_story([original, second], record["title"])
            times.append((time.perf_counter() - start) * 1000)
            outcomes.append(score(telling, record["text"], result, original.id, second.id))
    return outcomes, statistics.median(times) if times else 0.0


def figures(outcomes: Iterable[Outcome]) -> dict[str, tuple[int, float, float, float]]:
    """Per kind (and 'all', 'control'): pairs, recall, kind-agnostic recall, false flags per pair."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        kind = outcome.telling.change.kind if outcome.telling.change else "control"
        groups[kind].append(outcome)
        if kind != "control":
            groups["all"].append(outcome)
    out = {}
    for kind, group in groups.items():
        n = len(group)
        out[kind] = (n, sum(o.found for o in group) / n, sum(o.found_any for o in group) / n, sum(len(o.false) for o in group) / n)
    return out


def _show(difference: dict[str, Any]) -> str:
    values = "; ".join(f"{k[-2:]}: {v}" for k, v in difference.get("values", {}).items())
    return f"{difference['kind']}: {str(difference.get('about'))[:60]} — {values[:140]}"


def misses(outcomes: Iterable[Outcome]) -> Iterable[str]:
    """Lines for the tune half: each change not found (the sentence pair, the facts the comparison
    made of it and what it flagged) and each false flag of a control."""
    for outcome in outcomes:
        telling, result = outcome.telling, outcome.result
        a, b = result["articles"]
        change = telling.change
        if change is None:
            for difference in outcome.false:
                yield f"FALSE FLAG {telling.article} control: {_show(difference)}"
            continue
        if outcome.found:
            continue
        yield f"MISS {telling.article} {change.kind}: {change.old!r} → {change.new!r} (about {change.about!r})"
        yield f"   A: {' '.join(outcome.original[change.original[0] : change.original[1]].split())}"
        yield f"   B: {' '.join(telling.text[change.perturbed[0] : change.perturbed[1]].split())}"
        for fact in result["facts"]:
            spans = {x: fact["evidence"].get(x) for x in (a, b)}
            here = [x for x, sentence in ((a, change.original), (b, change.perturbed))
                    if spans[x] and spans[x]["start"] < sentence[1] and spans[x]["end"] > sentence[0]]
            if here:
                sides = "both" if len(fact["told_by"]) == 2 else ("A only" if fact["told_by"] == [a] else "B only")
                yield f"   fact {fact['id']} [{fact['kind']}, {sides}, here in {'+'.join(x[-2:] if x == b else 'A' for x in here)}]: {fact['text'][:90]}"
        for difference in [*result["contradictions"], *result["developments"]]:
            yield f"   flagged {'(at the change, wrong kind) ' if not any(difference is f for f in outcome.false) else ''}{_show(difference)}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES, help="how many VOA stories to sample")
    parser.add_argument("--split", choices=["tune"], help="print the tune half's misses (the validation half is only counted)")
    args = parser.parse_args(argv)
    path = DATA / "voa" / "voa_stories.jsonl"
    if not path.is_file():
        sys.exit(f"no VOA stories at {path}")
    records = sample([json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()], args.articles)
    outcomes, median_ms = run(records)
    halves = {"validation": [o for o in outcomes if validation(o.telling.article)],
              "tune": [o for o in outcomes if not validation(o.telling.article)]}
    if args.split == "tune":
        for line in misses(halves["tune"]):
            print(line)
        print()
    table = {half: figures(group) for half, group in halves.items()}
    print("rewording rules:", "; ".join(f"{k}: {v}" for k, v in RULES.items()))
    used = sum((o.telling.rules for o in outcomes if o.telling.change is None), Counter())
    print("rules fired over the sampled articles:", ", ".join(f"{k} {n}" for k, n in used.most_common()))
    print(f"median comparison time per pair: {median_ms:.0f} ms\n")
    print(f"{'':12}{'validation':^34}|{'tune':^34}")
    print(f"{'kind':12}" + f"{'n':>5}{'recall':>9}{'any kind':>10}{'flags/pair':>11} |" * 2)
    for kind in (*KINDS, "all", "control"):
        cells = []
        for half in halves:
            n, recall, agnostic, flags = table[half].get(kind, (0, 0.0, 0.0, 0.0))
            cells.append(f"{n:>5}" + (f"{'—':>9}{'—':>10}" if kind == "control" else f"{recall:>9.2f}{agnostic:>10.2f}") + f"{flags:>11.2f} |")
        print(f"{kind:12}" + "".join(cells))
    print()
    for half in halves:
        n, recall, agnostic, flags = table[half].get("all", (0, 0.0, 0.0, 0.0))
        controls, _, _, control_flags = table[half].get("control", (0, 0.0, 0.0, 0.0))
        articles = len({o.telling.article for o in halves[half]})
        print(f"perturbation {half}: recall {recall:.2f} (kind-agnostic {agnostic:.2f}) | false flags/pair {flags:.2f}"
              f" | controls: false flags/pair {control_flags:.2f} | n={n} changed + {controls} controls, {articles} articles")


if __name__ == "__main__":
    main()

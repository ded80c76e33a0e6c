"""A comparison (``compare_story``'s result, SPEC.md's ``compare`` shape) laid out for people and
spreadsheets: a facts × articles grid and the differences with who gives each value.

The story page, ``parallax compare STORY --format csv`` and the API's CSV all read one
``CompareTable`` built from the same result, so their counts cannot drift apart. The table relies
only on the shape SPEC.md fixes; the fields the engine may add (a fact's ``values``, ``rank`` and
``note``, a difference's ``rank``, ``note`` and ``sources``) are used when present and derived or left
empty when not, so an older or newer engine reads the same way.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from parallax.views.dates import show_value

UNKNOWN_DAY = "day unknown"

FACT_COLUMNS = ["story", "fact", "kind", "fact_text", "told_by", "article", "outlet", "published", "value", "chain",
                "sentence", "start", "end"]
DIFFERENCE_COLUMNS = ["story", "section", "rank", "kind", "about", "facts", "article", "outlet", "published", "value",
                      "source", "note"]
HEADERS = {"facts": FACT_COLUMNS, "differences": DIFFERENCE_COLUMNS}
WHAT = tuple(HEADERS)


@dataclass(frozen=True)
class Column:
    """One compared article: the grid's column, headed by its outlet and publication date."""

    id: str
    outlet: str | None
    published: str | None  # ISO 8601 as stored; its first ten characters are the day

    @property
    def day(self) -> str | None:
        return self.published[:10] if self.published and len(self.published) >= 10 else None

    @property
    def label(self) -> str:
        return self.outlet or "outlet unknown"


@dataclass(frozen=True)
class Cell:
    """How one article tells one fact: the value as it gives it, the chain carrying it, its words."""

    article: str
    value: str
    chain: list[str]
    channel: str | None
    sentence: str
    start: int
    end: int

    @property
    def distinct_value(self) -> str:
        """The value, unless it only repeats the sentence (a quote's value is its words)."""
        return "" if " ".join(self.value.split()) == self.sentence else self.value


@dataclass(frozen=True)
class Row:
    id: str
    kind: str
    text: str
    told_by: list[str]
    cells: dict[str, Cell]
    note: str | None = None  # the engine's remark on the fact, when it makes one


@dataclass(frozen=True)
class Side:
    """One article's side of a difference: its value and the source it ends at."""

    article: str
    outlet: str
    day: str | None
    value: str
    source: str | None


@dataclass(frozen=True)
class Difference:
    kind: str
    about: str
    facts: list[str]
    sides: list[Side]
    rank: int | float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Step:
    """One publication day of the developments' time axis (``day`` None: not known)."""

    day: str | None

    @property
    def shown(self) -> str:
        return self.day or UNKNOWN_DAY


@dataclass(frozen=True)
class CompareTable:
    story: Any
    columns: list[Column]
    shared: list[Row]  # facts told by two or more articles
    single: list[Row]  # facts only one article tells
    contradictions: list[Difference]
    developments: list[Difference]
    axis: list[Step] = field(default_factory=list)  # the days the developments' articles were published

    @property
    def rows(self) -> list[Row]:
        return self.shared + self.single

    @property
    def differing(self) -> dict[str, tuple[str, int]]:
        """Each fact a difference is about: the first contradiction about it (by rank), else the
        first development, as (section, position in it from 1) for the page's anchors."""
        marks: dict[str, tuple[str, int]] = {}
        for section, differences in (("contradiction", self.contradictions), ("development", self.developments)):
            for number, difference in enumerate(differences, start=1):
                for fact in difference.facts:
                    marks.setdefault(fact, (section, number))
        return marks


def compare_table(result: Mapping[str, Any], columns: Iterable[Column]) -> CompareTable:
    """The grid and the differences of one comparison; ``columns`` describe its articles (any
    order, extras ignored; an article without one is shown as "outlet unknown, day unknown")."""
    known = {c.id: c for c in columns}
    ordered = [known.get(str(a), Column(str(a), None, None)) for a in result["articles"]]
    by_id = {c.id: c for c in ordered}
    rows = [_row(fact) for fact in _ranked(result["facts"])]
    facts = {row.id: row for row in rows}
    contradictions = [_difference(d, by_id, facts) for d in _ranked(result["contradictions"])]
    developments = [_difference(d, by_id, facts) for d in _ranked(result["developments"])]
    story = result.get("story")
    if story is None and result.get("storyline") is not None:  # a storyline's stories compared together
        story = f"storyline {result['storyline']}"
    return CompareTable(
        story=story,
        columns=ordered,
        shared=[r for r in rows if len(r.told_by) > 1],
        single=[r for r in rows if len(r.told_by) <= 1],
        contradictions=contradictions,
        developments=developments,
        axis=_axis(developments),
    )


def csv_rows(table: CompareTable, what: str = "facts") -> list[list[str]]:
    """The table as CSV rows (no header: ``FACT_COLUMNS`` or ``DIFFERENCE_COLUMNS``): one per
    (fact, article telling it), or one per (difference, article giving a value)."""
    if what not in WHAT:
        raise ValueError(f"what={what!r}: one of {WHAT}")
    story = "" if table.story is None else str(table.story)
    by_id = {c.id: c for c in table.columns}
    if what == "facts":
        return [[story, row.id, row.kind, row.text, str(len(row.told_by)), article, by_id[article].outlet or "",
                 by_id[article].published or "", cell.value, " ← ".join(cell.chain), cell.sentence, str(cell.start), str(cell.end)]
                for row in table.rows for article, cell in row.cells.items()]
    rows = []
    for section, differences in (("contradiction", table.contradictions), ("development", table.developments)):
        for number, difference in enumerate(differences, start=1):
            rank = difference.rank if difference.rank is not None else number
            rows += [[story, section, str(rank), difference.kind, difference.about, " ".join(difference.facts), side.article,
                      by_id[side.article].outlet or "", by_id[side.article].published or "", side.value, side.source or "",
                      difference.note or ""]
                     for side in difference.sides]
    return rows


def write_csv(tables: Iterable[CompareTable], what: str, handle: TextIO) -> None:
    """The tables' ``what`` rows (``facts`` or ``differences``) under one header row."""
    if what not in HEADERS:
        raise ValueError(f"what={what!r}: one of {WHAT}")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(HEADERS[what])
    for table in tables:
        writer.writerows(csv_rows(table, what))


class Described(Protocol):
    """What a column needs of an article record (the store's ``StoryArticleInfo``, a ``StoryArticle``)."""

    @property
    def id(self) -> int | str: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> str | None: ...


def columns_of(articles: Iterable[Described]) -> list[Column]:
    """The columns of a story's articles, from the records that describe them."""
    return [Column(str(a.id), a.outlet, a.published) for a in articles]


# --- internals -------------------------------------------------------------------------------
def _ranked(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries by their ``rank`` (1 first) when the engine gives one, else as listed."""
    return [e for _, e in sorted(enumerate(entries), key=lambda pair: (pair[1].get("rank") is None, pair[1].get("rank") or 0, pair[0]))]


def _row(fact: dict[str, Any]) -> Row:
    values = fact.get("values") or {}
    sentences = fact.get("sentences") or {}
    details = fact.get("details") or {}
    cells = {}
    for article in fact["told_by"]:
        detail = details.get(article) or {}
        given = values.get(article)
        span = fact["evidence"][article]
        cells[article] = Cell(
            article=article,
            value=str(given) if given is not None else _value_from_detail(fact["kind"], detail, fact["text"]),
            chain=list(fact["chains"].get(article) or []),
            channel=detail.get("channel"),
            sentence=sentences.get(article, ""),
            start=span["start"],
            end=span["end"],
        )
    return Row(fact["id"], fact["kind"], fact["text"], list(fact["told_by"]), cells, fact.get("note"))


def _value_from_detail(kind: str, detail: Mapping[str, Any], text: str) -> str:
    """The value an article gives, from the details the engine keeps (used when it gives no
    ``values``): an event's date, place and stance; what was said; a number or date as written."""
    if kind == "event":
        parts = [show_value(detail["date"]) if detail.get("date") else None,
                 f"in {detail['place']}" if detail.get("place") else None,
                 detail["status"] if detail.get("status") not in (None, "asserted") else None]
        return " · ".join(p for p in parts if p)
    if kind in ("quote", "claim"):
        return str(detail.get("content") or text)
    if kind == "date":
        given, value = detail.get("as_given"), detail.get("value")
        return f"{given} ({show_value(value)})" if given and value else str(given or show_value(value))
    if kind == "quantity":
        return str(detail.get("as_given") or text)
    if kind == "place":
        return str(detail.get("place") or text)
    return text


def _difference(entry: dict[str, Any], columns: Mapping[str, Column], facts: Mapping[str, Row]) -> Difference:
    sources = entry.get("sources") or {}
    sides = []
    for article, value in entry["values"].items():
        column = columns.get(article, Column(article, None, None))
        source = sources.get(article) or _final_source(article, entry["facts"], facts)
        sides.append(Side(article, column.label, column.day, str(value), source))
    return Difference(entry["kind"], entry["about"], list(entry["facts"]), sides, entry.get("rank"), entry.get("note"))


def _final_source(article: str, fact_ids: Sequence[str], facts: Mapping[str, Row]) -> str | None:
    """The named source a fact's chain ends at in ``article`` (the first listed fact it tells)."""
    for fact_id in fact_ids:
        cell = facts[fact_id].cells.get(article) if fact_id in facts else None
        if cell is not None and cell.chain:
            return cell.chain[-1]
    return None


def _axis(developments: Sequence[Difference]) -> list[Step]:
    """The publication days of the articles the developments quote, in order; articles whose
    day is not known share a last step that says so."""
    days = {side.day for difference in developments for side in difference.sides}
    return [Step(day) for day in sorted(days, key=lambda d: (d is None, d or ""))]

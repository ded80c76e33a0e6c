"""The comparison laid out as a facts × articles grid and as CSV (``views/compare_table.py``), and
``parallax compare --format``: results in SPEC.md's shape, with and without the fields the
engine may add, and a store's story through the CLI's three formats."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from parallax.views.compare_table import DIFFERENCE_COLUMNS, FACT_COLUMNS, Column, compare_table, csv_rows, write_csv

COLUMNS = [Column("a", "Wire One", "2020-05-01T09:00:00+00:00"), Column("b", "Daily Two", "2020-05-02"),
           Column("c", None, None)]


def fact(id_: str, kind: str, text: str, told: dict[str, dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A fact as the engine writes it; ``told`` maps an article to its chain, sentence and details."""
    return {
        "id": id_, "kind": kind, "text": text, "told_by": list(told),
        "chains": {a: t["chain"] for a, t in told.items()},
        "evidence": {a: {"start": t.get("start", 0), "end": t.get("end", 10)} for a, t in told.items()},
        "sentences": {a: t["sentence"] for a, t in told.items()},
        "details": {a: t.get("details", {}) for a, t in told.items()},
        **extra,
    }


def spec_result() -> dict[str, Any]:
    """A comparison in SPEC.md's shape only: no values, ranks, notes or sources."""
    return {
        "story": 7,
        "articles": ["a", "b", "c"],
        "facts": [
            fact("f1", "event", "Police ARREST → two men", {
                "a": {"chain": ["Wire One", "Police"], "sentence": "Police arrested two men on Friday.",
                      "details": {"date": "2020-05-01", "place": "Vienna", "status": "asserted"}}}),
            fact("f2", "quantity", "12 people (12 people)", {
                "a": {"chain": ["Wire One", "Police"], "sentence": "At least 12 people were killed, police said.",
                      "details": {"value": 12.0, "unit": "people", "as_given": "12 people"}},
                "b": {"chain": ["Daily Two", "Interior Ministry"], "sentence": "The blast killed 15 people.",
                      "details": {"value": 15.0, "unit": "people", "as_given": "15 people"}}}),
            fact("f3", "quote", "Mayor: “We will rebuild”", {
                "b": {"chain": ["Daily Two", "Mayor"], "sentence": "We will rebuild", "details": {"content": "We will rebuild"}},
                "c": {"chain": [], "sentence": "We will rebuild", "details": {"content": "We will  rebuild", "channel": "tweet"}}}),
        ],
        "contradictions": [
            {"kind": "attribution", "about": "Mayor: “We will rebuild”", "values": {"b": "Daily Two ← Mayor", "c": "Mayor"}, "facts": ["f3"]},
            {"kind": "quantity", "about": "12 people (12 people)", "values": {"a": "12 people", "b": "15 people"}, "facts": ["f2"]},
        ],
        "developments": [
            {"kind": "polarity", "about": "Mayor's response", "values": {"c": "We will rebuild", "b": "no comment"}, "facts": ["f3"]},
        ],
    }


def test_grid_puts_facts_told_by_several_first_and_reads_values_from_details() -> None:
    table = compare_table(spec_result(), COLUMNS)
    assert [c.id for c in table.columns] == ["a", "b", "c"] and table.columns[2].label == "outlet unknown"
    assert [r.id for r in table.shared] == ["f2", "f3"] and [r.id for r in table.single] == ["f1"]
    assert len(table.rows) == 3  # every fact is a row: the page, the CSV and the JSON count alike
    arrest = table.single[0].cells["a"]
    assert arrest.value == "1 May 2020 · in Vienna" and arrest.chain == ["Wire One", "Police"]
    count = table.shared[0]
    assert {a: c.value for a, c in count.cells.items()} == {"a": "12 people", "b": "15 people"}
    quote = table.shared[1].cells["c"]
    assert quote.channel == "tweet" and quote.distinct_value == ""  # a quote's value is its words: shown once


def test_differences_in_listed_order_with_who_gives_each_value_and_the_source_it_ends_at() -> None:
    table = compare_table(spec_result(), COLUMNS)
    assert [d.kind for d in table.contradictions] == ["attribution", "quantity"]
    count = table.contradictions[1]
    assert [(s.outlet, s.day, s.value, s.source) for s in count.sides] == [
        ("Wire One", "2020-05-01", "12 people", "Police"), ("Daily Two", "2020-05-02", "15 people", "Interior Ministry")]
    assert count.rank is None and count.note is None
    assert table.differing == {"f3": ("contradiction", 1), "f2": ("contradiction", 2)}


def test_the_engines_added_fields_are_used_when_present() -> None:
    result = spec_result()
    result["facts"][1]["values"] = {"a": "at least 12 people", "b": "15 people"}
    result["facts"][0]["rank"] = 1  # ranks order the facts within their group (shared or single)
    result["facts"][2]["rank"] = 1
    result["facts"][1]["rank"] = 2
    result["facts"][1]["note"] = "one count is a lower bound"
    result["contradictions"][1].update(rank=1, note="counts taken the same day", sources={"a": "Vienna police", "b": "the ministry"})
    result["contradictions"][0]["rank"] = 2
    table = compare_table(result, COLUMNS)
    assert [r.id for r in table.shared] == ["f3", "f2"]
    assert table.shared[1].cells["a"].value == "at least 12 people" and table.shared[1].note == "one count is a lower bound"
    top = table.contradictions[0]
    assert (top.kind, top.rank, top.note) == ("quantity", 1, "counts taken the same day")
    assert [s.source for s in top.sides] == ["Vienna police", "the ministry"]


def test_developments_sit_on_the_publication_days_and_an_unknown_day_says_so() -> None:
    table = compare_table(spec_result(), COLUMNS)
    assert [(step.day, step.shown) for step in table.axis] == [("2020-05-02", "2020-05-02"), (None, "day unknown")]


def test_csv_has_one_row_per_fact_and_telling_article_and_per_difference_and_side() -> None:
    result = spec_result()
    table = compare_table(result, COLUMNS)
    rows = csv_rows(table, "facts")
    assert len(rows) == sum(len(f["told_by"]) for f in result["facts"]) == 5
    first = dict(zip(FACT_COLUMNS, rows[0]))
    assert first == {"story": "7", "fact": "f2", "kind": "quantity", "fact_text": "12 people (12 people)", "told_by": "2",
                     "article": "a", "outlet": "Wire One", "published": "2020-05-01T09:00:00+00:00", "value": "12 people",
                     "chain": "Wire One ← Police", "sentence": "At least 12 people were killed, police said.", "start": "0", "end": "10"}
    differences = [dict(zip(DIFFERENCE_COLUMNS, r)) for r in csv_rows(table, "differences")]
    assert [(d["section"], d["rank"], d["kind"], d["article"]) for d in differences] == [
        ("contradiction", "1", "attribution", "b"), ("contradiction", "1", "attribution", "c"),
        ("contradiction", "2", "quantity", "a"), ("contradiction", "2", "quantity", "b"),
        ("development", "1", "polarity", "c"), ("development", "1", "polarity", "b")]
    out = io.StringIO()
    write_csv([table, table], "differences", out)
    parsed = list(csv.reader(io.StringIO(out.getvalue())))
    assert parsed[0] == DIFFERENCE_COLUMNS and len(parsed) == 1 + 2 * len(differences)
    with pytest.raises(ValueError):
        write_csv([table], "everything", io.StringIO())


# --- the command ------------------------------------------------------------------------------
from test_compare import run_cli as run, seed_story  # noqa: E402 - the compare tests' helpers for the command


def test_compare_formats_of_a_story_agree(hand_storied_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story, db = str(seed_story(hand_storied_store)), str(hand_storied_store)
    code, out, _ = run(capsys, "compare", story, "--format", "json", "--db", db)
    result = json.loads(out)
    assert code == 0 and run(capsys, "compare", story, "--json", "--db", db)[1] == out  # --json stays
    code, text, _ = run(capsys, "compare", story, "--db", db)  # text, the default for a story
    assert code == 0 and f"contradictions ({len(result['contradictions'])})" in text
    assert f"developments ({len(result['developments'])})" in text
    code, out, _ = run(capsys, "compare", story, "--format", "csv", "--db", db)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == sum(len(f["told_by"]) for f in result["facts"])
    assert {r["fact"] for r in rows} == {f["id"] for f in result["facts"]}
    shared = {f["id"] for f in result["facts"] if len(f["told_by"]) == 2}
    both = [r for r in rows if r["fact"] in shared]
    assert both and {r["outlet"] for r in both} == {"CBS News", ""}  # the Moscow wire names no outlet
    code, out, _ = run(capsys, "compare", story, "--format", "csv", "--what", "differences", "--db", db)
    assert code == 0 and out.splitlines()[0] == ",".join(DIFFERENCE_COLUMNS)
    assert len(out.splitlines()) == 1 + sum(len(d["values"]) for d in result["contradictions"] + result["developments"])


def test_records_cannot_be_rendered_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"id": "1", "title": "t", "text": "Some words."}) + "\n", "utf-8")
    code, out, err = run(capsys, "compare", str(records), "--format", "text")
    assert code != 0 and out == "" and err.strip().endswith(
        "E703 --format text reads a story from the store; records are compared as json or csv")

"""Exports: JSONL, CSV and Parquet of every table, and events as GDELT 2.0 TSV rows."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from parallax.cli import main
from conftest import Stores
from parallax.store import open_store
from parallax.store.sqlite import SQLiteStore
from parallax.views.export import GDELT_COLUMNS, TABLES, export, gdelt_row, generic_cameo, rows


@pytest.fixture
def store_path(hand_annotated_store: Path, tmp_path: Path, stores: Stores) -> str:
    """The hand-annotated demo store with the two seeds filed as one story (and a merged one),
    on each backend."""
    path = tmp_path / "export.db"
    shutil.copyfile(hand_annotated_store, path)
    with SQLiteStore(path) as store:  # filled by hand here, then copied to the backend under test
        seeds = sorted(a.id for a in store.iter_articles() if a.title and a.title.startswith(("Trump Asked", "Russia says")))
        store.db.execute("INSERT INTO storylines (id, title, updated_at) VALUES (1, 'invitation', 'now')")
        store.db.execute("INSERT INTO stories (id, storyline_id, title, updated_at) VALUES (1, 1, 'Putin invited', 'now')")
        store.db.execute("INSERT INTO stories (id, storyline_id, title, merged_into, updated_at) VALUES (2, 1, 'merged', 1, 'now')")
        store.db.execute("INSERT INTO story_articles (article_id, story_id, added_at) VALUES (?, 1, 'now')", (seeds[0],))
        store.db.execute("INSERT INTO story_articles (article_id, story_id, added_at) VALUES (?, 2, 'now')", (seeds[1],))
    return stores.copy_of(path)


def _gdelt(store_path: str) -> list[list[str]]:
    out = io.StringIO()
    with open_store(store_path) as store:
        n = export(store, "events", "gdelt", out)
    lines = out.getvalue().splitlines()
    assert len(lines) == n
    return [line.split("\t") for line in lines]


def test_gdelt_rows_have_61_columns_with_cameo_dates_and_urls(store_path: str) -> None:
    assert len(GDELT_COLUMNS) == 61 and GDELT_COLUMNS[26] == "EventCode" and GDELT_COLUMNS[-1] == "SOURCEURL"
    col = {name: i for i, name in enumerate(GDELT_COLUMNS)}
    table = _gdelt(store_path)
    assert len(table) == 2 and all(len(fields) == 61 for fields in table)
    with open_store(store_path) as store:
        articles = {a.title: a for a in store.iter_articles()}
    cbs = articles["Trump Asked Aide To Invite Putin To Washington, White House Says"]
    wire = articles["Russia says Trump invited Putin to U.S. during phone call"]
    (cbs_row,) = [r for r in table if r[col["SOURCEURL"]] == (cbs.url or cbs.outlet)]  # no URL: the outlet, as GDELT does
    (wire_row,) = [r for r in table if r is not cbs_row]
    # The CBS event carries CAMEO 036.
    assert (cbs_row[col["EventCode"]], cbs_row[col["EventBaseCode"]], cbs_row[col["EventRootCode"]]) == ("036", "036", "03")
    assert cbs_row[col["QuadClass"]] == "1" and cbs_row[col["IsRootEvent"]] == "1"
    # Its event gives no day of its own, so the page's publication day (from the seed's sidecar) dates it.
    assert cbs.published is not None and cbs.published.value == "2018-07-19"
    assert (cbs_row[col["Day"]], cbs_row[col["MonthYear"]], cbs_row[col["Year"]]) == ("20180719", "201807", "2018")
    assert cbs_row[col["ActionGeo_FullName"]] == "Washington"
    assert (cbs_row[col["Actor1Name"]], cbs_row[col["Actor2Name"]]) == ("DONALD TRUMP", "VLADIMIR PUTIN")
    # The wire event has a day of its own (March 20) and no CAMEO code: CONSULT's generic 040.
    assert wire_row[col["Day"]] == "20180320" and wire_row[col["MonthYear"]] == "201803" and wire_row[col["Year"]] == "2018"
    assert wire_row[col["FractionDate"]] == f"{2018 + (3 * 30 + 20) / 365:.4f}"
    assert wire_row[col["EventCode"]] == "040" and wire_row[col["EventRootCode"]] == "04"
    assert wire_row[col["SOURCEURL"]] == (wire.url or wire.outlet or "")
    assert len(wire_row[col["DATEADDED"]]) == 14 and wire_row[col["DATEADDED"]].isdigit()
    for fields in table:  # what Parallax does not know stays empty, as in GDELT's own files
        assert fields[col["Actor1Code"]] == fields[col["GoldsteinScale"]] == fields[col["AvgTone"]] == ""
        assert fields[col["NumArticles"]] == "1"


def test_gdelt_row_keeps_tabs_and_newlines_out_of_fields() -> None:
    event = {"id": 7, "date": "2024-05", "published": "2024-05", "published_granularity": "month", "actor_entity": None,
             "actor": "the\tcouncil", "target_entity": None, "target": None, "rank": 2, "cameo": None, "plover": "ASSAULT",
             "place": "Port\nTown", "ingested_at": "2024-05-03T10:11:12+00:00", "url": None, "outlet": "Daily Example"}
    fields = "\t".join(gdelt_row(event)).split("\t")
    assert len(fields) == 61
    row = dict(zip(GDELT_COLUMNS, fields))
    assert row["Actor1Name"] == "THE COUNCIL" and row["ActionGeo_FullName"] == "Port Town"
    assert (row["Day"], row["MonthYear"], row["Year"]) == ("", "202405", "2024")  # a month is not a day
    assert row["EventCode"] == "" and "ASSAULT" not in generic_cameo()  # three CAMEO roots map to ASSAULT
    assert row["IsRootEvent"] == "0" and row["DATEADDED"] == "20240503101112" and row["SOURCEURL"] == "Daily Example"
    dated = dict(zip(GDELT_COLUMNS, gdelt_row({**event, "published": "2024-05-03T08:00:00+02:00", "published_granularity": "datetime"})))
    assert (dated["Day"], dated["FractionDate"]) == ("20240503", f"{2024 + (5 * 30 + 3) / 365:.4f}")  # the publication day


@pytest.mark.parametrize("table", TABLES)
def test_jsonl_csv_and_parquet_agree(store_path: str, tmp_path: Path, table: str) -> None:
    with open_store(store_path) as store:
        expected = list(rows(store, table))
        jsonl, text = io.StringIO(), io.StringIO()
        assert export(store, table, "jsonl", jsonl) == len(expected)
        assert export(store, table, "csv", text) == len(expected)
        assert export(store, table, "parquet", tmp_path / "t.parquet") == len(expected)
    assert expected, f"the fixture store has {table}"
    assert [json.loads(line) for line in jsonl.getvalue().splitlines()] == expected
    parsed = list(csv.DictReader(io.StringIO(text.getvalue())))
    assert len(parsed) == len(expected) and list(parsed[0]) == list(expected[0])
    assert pq.read_table(tmp_path / "t.parquet").to_pylist() == expected


def test_stories_export_counts_merged_articles(store_path: str) -> None:
    with open_store(store_path) as store:
        (story,) = rows(store, "stories")
        articles = {r["id"]: r for r in rows(store, "articles")}
    assert story["id"] == 1 and story["articles"] == 2 and len(story["article_ids"]) == 2
    assert story["outlets"] == ["CBS News"]  # the wire seed names no outlet
    assert {articles[i]["story_id"] for i in story["article_ids"]} == {1}


def test_cli_export(store_path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(store_path)
    assert main(["export", "events", "--format", "gdelt", "--db", db]) == 0
    captured = capsys.readouterr()
    assert [len(line.split("\t")) for line in captured.out.splitlines()] == [61, 61]
    assert "exported 2 events as gdelt" in captured.err
    assert main(["export", "quotes", "--format", "gdelt", "--db", db]) == 2
    assert main(["export", "stories", "--format", "parquet", "--db", db]) == 2  # Parquet needs a file
    out = tmp_path / "articles.csv"
    assert main(["export", "articles", "--format", "csv", "-o", str(out), "--db", db]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 93


def test_every_event_without_a_date_or_actor_says_why(store_path: str) -> None:
    with open_store(store_path) as store:
        events = list(rows(store, "events"))
        texts = {e["article_id"]: store.annotation(e["article_id"]) for e in events}
    for event in events:
        reasons = event["why_missing"] or ""
        assert ("date:" in reasons) == (not event["date"]) and ("actor:" in reasons) == (not event["actor"])
    # The CBS seed's event has no date of its own: its sentence holds no time ("Thursday" is in another).
    (cbs,) = [e for e in events if not e["date"]]
    assert cbs["why_missing"] == "date: its sentence has no time expression"
    assert all(t["start"] < cbs["evidence_start"] or t["end"] > cbs["evidence_end"] for t in texts[cbs["article_id"]]["times"])


def test_why_missing_reads_the_evidence_sentence() -> None:
    from parallax.views.export import why_missing

    annotation = {"times": [{"start": 0, "end": 8, "text": "Thursday", "type": "DATE", "value": "XXXX-WXX-4"},
                            {"start": 50, "end": 60, "text": "March 2025", "type": "DATE", "value": "2025-03"}],
                  "entities": [{"name": "Pakistan", "type": "GPE", "mentions": [{"start": 20, "end": 28}]},
                               {"name": "Balochistan", "type": "LOC", "mentions": [{"start": 30, "end": 41}]}]}
    event = {"date": None, "actor": None, "evidence_start": 0, "evidence_end": 45}
    assert why_missing(event, annotation) == ("date: its sentence's time does not fix a day: 'Thursday' (XXXX-WXX-4); "
                                              "actor: its sentence names Pakistan but not as the one who acts"
                                              " (a passive, or a nominal event)")
    assert why_missing({**event, "evidence_start": 46, "evidence_end": 70}, annotation) == (
        "date: its sentence's time does not fix a day: 'March 2025' (2025-03); "
        "actor: its sentence names no person, organisation or country")
    assert why_missing({**event, "date": "2025-03-01", "actor": "Pakistan"}, annotation) is None


@pytest.mark.parametrize("table", TABLES)
def test_parquet_reads_in_pandas_and_duckdb(store_path: str, tmp_path: Path, table: str) -> None:
    pandas = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / f"{table}.parquet"
    with open_store(store_path) as store:
        expected = list(rows(store, table))
        export(store, table, "parquet", path)
    frame = pandas.read_parquet(path)
    assert list(frame.columns) == list(expected[0]) and len(frame) == len(expected)
    assert frame["id"].tolist() == [r["id"] for r in expected]
    connection = duckdb.connect()
    (count,) = connection.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()
    assert count == len(expected)
    if table == "events":
        missing = connection.execute(
            f"SELECT count(*) FROM read_parquet('{path}') WHERE (date IS NULL OR actor IS NULL) AND why_missing IS NULL").fetchone()
        assert missing == (0,)

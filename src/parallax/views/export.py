"""Exports of the store's record — articles, quotes, events, stories — as JSONL, CSV or Parquet,
and events also as GDELT 2.0 event rows, so tools written for GDELT read Parallax's events.

Every table is declared once (its typed columns; the store streams its rows) and written by one streaming writer
per format, so a store of any size is exported in constant memory. List-valued columns (a
story's article ids and outlets) stay lists in JSONL and Parquet and are joined with ``;`` in CSV.

GDELT mapping (``--format gdelt``): tab-separated, no header, the 61 columns of a GDELT 2.0
``.export.CSV`` file in their order, empty where Parallax has no value, as GDELT's own files are.

==========================  ===============================================================
GDELT column                Parallax value
==========================  ===============================================================
GlobalEventID               the event's id in this store
Day, MonthYear, Year,       the event's own date when the text fixes its day; else the
FractionDate                article's publication date (to the precision it is known: a month
                            fills MonthYear and Year only). FractionDate = Year +
                            (month × 30 + day) / 365, GDELT's formula.
Actor1Name / Actor2Name     the actor / target entity's canonical name (else its text),
                            upper-cased as in GDELT
Actor1Code … Actor2Type3Code, CountryCodes   empty (Parallax does not code actors in CAMEO)
IsRootEvent                 1 for the article's leading event (events are ranked by salience)
EventCode                   the event's CAMEO code; without one, the CAMEO "not specified
                            below" code of its PLOVER type when exactly one maps (CONSULT →
                            040, from resources/plover_codebook.json), else empty
EventBaseCode, EventRootCode  the first three and two digits of EventCode
QuadClass                   from the root code: 01–05 verbal cooperation (1), 06–08 material
                            cooperation (2), 09–13 verbal conflict (3), 14–20 material conflict (4)
GoldsteinScale, AvgTone     empty (no Goldstein table or tone model is shipped)
NumMentions, NumSources, NumArticles  1 (one evidence sentence in one article)
Actor1Geo_*, Actor2Geo_*    empty
ActionGeo_FullName          the event's place as the text names it; other ActionGeo_* empty
DATEADDED                   when the article was ingested, YYYYMMDDHHMMSS (UTC)
SOURCEURL                   the article's URL (its outlet's name when it has no URL)
==========================  ===============================================================
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from parallax.store import Store

TABLES = ("articles", "quotes", "events", "stories")
FORMATS = ("jsonl", "csv", "parquet", "gdelt")
# Rows per Parquet row group: bounded memory whatever the store size.
BATCH_ROWS = 5000
CSV_LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "int", "str", "list[int]" or "list[str]"


def _columns(spec: str) -> tuple[Column, ...]:
    """Columns from "name:type name:type …" (type defaults to str)."""
    return tuple(Column(*(part.split(":") if ":" in part else (part, "str"))) for part in spec.split())


# Each table's columns, in the order ``Store.export_rows`` gives them.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "articles": _columns("id:int url title authors:list[str] outlet published published_granularity language origin ingested_at "
                         "story_id:int storyline_id:int copy_of:int text"),
    "quotes": _columns("id:int article_id:int kind speaker speaker_entity_id:int speaker_entity cue channel content "
                       "content_start:int content_end:int"),
    "events": _columns("id:int article_id:int rank:int plover mode cameo status actor actor_entity_id:int actor_entity "
                       "target target_entity_id:int target_entity date place according_to_entity_id:int according_to "
                       "evidence evidence_start:int evidence_end:int outlet url published published_granularity ingested_at"),
    "stories": _columns("id:int storyline_id:int title first_published last_published articles:int "
                        "outlets:list[str] article_ids:list[int]"),
}


# Columns computed here, after the store's: an event's why_missing says why its date or actor is empty.
DERIVED: dict[str, tuple[Column, ...]] = {"events": (Column("why_missing", "str"),)}
# Entity types that can act: a sentence naming one of these could have given the event its actor.
ACTING_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def columns_of(table: str) -> tuple[Column, ...]:
    """Every column of an exported table, in order."""
    return COLUMNS[table] + DERIVED.get(table, ())


def rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    """The table's rows as dicts keyed by column name (lists without missing values)."""
    columns = COLUMNS[table]
    annotation: tuple[int, dict[str, Any] | None] = (-1, None)  # events come grouped by article
    for raw in store.export_rows(table):
        record: dict[str, Any] = {c.name: [v for v in value if v is not None] if c.type.startswith("list") else value
                  for c, value in zip(columns, raw)}
        if table == "events":
            if annotation[0] != record["article_id"]:
                annotation = (record["article_id"], store.annotation(record["article_id"]))
            record["why_missing"] = why_missing(record, annotation[1] or {})
        yield record


def why_missing(event: dict[str, Any], annotation: dict[str, Any]) -> str | None:
    """Why an event has no date or no actor, from what its evidence sentence holds; None when it
    has both. Dates: no time expression in the sentence, or one that does not fix a day (a
    weekday of an undated article, "March 20" without its year); actors: no one who can act is
    named in the sentence, or those named are not its agent (a passive, a nominal event)."""
    start, end = event["evidence_start"], event["evidence_end"]
    reasons = []
    if not event["date"]:
        times = [t for t in annotation.get("times", []) if start <= t["start"] and t["end"] <= end and t.get("type") != "DURATION"]
        unfixed = [t for t in times if not _DAY.match(t.get("value") or "")]
        if not times:
            reasons.append("date: its sentence has no time expression")
        elif unfixed:
            shown = ", ".join(f"'{t['text']}' ({t.get('value') or 'no value'})" for t in unfixed[:2])
            reasons.append(f"date: its sentence's time does not fix a day: {shown}")
        else:
            reasons.append("date: its sentence's dates belong to another clause")
    if not event["actor"]:
        named = sorted({e["name"] for e in annotation.get("entities", []) if e.get("type") in ACTING_TYPES
                        and any(start <= m["start"] and m["end"] <= end for m in e.get("mentions", []))})
        reasons.append("actor: its sentence names no person, organisation or country" if not named else
                       f"actor: its sentence names {', '.join(named[:3])} but not as the one who acts"
                       " (a passive, or a nominal event)")
    return "; ".join(reasons) or None


def export(store: Store, table: str, fmt: str, out: IO[str] | IO[bytes] | Path) -> int:
    """Write ``table`` in ``fmt`` to ``out`` (a text stream, or a path for Parquet); returns rows."""
    if table not in COLUMNS:
        raise ValueError(f"table must be one of {TABLES}, not {table!r}")
    if fmt == "gdelt":
        if table != "events":
            raise ValueError("the GDELT format holds events only")
        return _write_gdelt(store, out)  # type: ignore[arg-type]
    writers: dict[str, Callable[[str, Iterator[dict[str, Any]], Any], int]] = {
        "jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet
    }
    writer = writers[fmt]
    return writer(table, rows(store, table), out)


def _write_jsonl(table: str, records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for n, record in enumerate(records, start=1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


def _write_csv(table: str, records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    columns = columns_of(table)
    writer = csv.writer(out)
    writer.writerow([c.name for c in columns])
    n = 0
    for n, record in enumerate(records, start=1):
        writer.writerow([
            CSV_LIST_SEPARATOR.join(map(str, record[c.name])) if c.type.startswith("list") else record[c.name]
            for c in columns
        ])
    return n


def _write_parquet(table: str, records: Iterator[dict[str, Any]], out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"int": pa.int64(), "str": pa.string(), "list[int]": pa.list_(pa.int64()), "list[str]": pa.list_(pa.string())}
    columns = columns_of(table)
    schema = pa.schema([pa.field(c.name, kinds[c.type]) for c in columns])
    n = 0
    with pq.ParquetWriter(str(out), schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) == BATCH_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or not n:  # an empty export is still a readable file with the schema
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


# -- GDELT ---------------------------------------------------------------------------------------
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{part}" for part in _ACTOR), *(f"Actor2{part}" for part in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{part}" for part in _GEO), *(f"Actor2Geo_{part}" for part in _GEO),
    *(f"ActionGeo_{part}" for part in _GEO),
    "DATEADDED", "SOURCEURL",
)
# CAMEO's four quad classes by root code (01-20).
QUAD_CLASS = {f"{root:02d}": quad for quad, roots in ((1, range(1, 6)), (2, range(6, 9)), (3, range(9, 14)), (4, range(14, 21)))
              for root in roots}
# GDELT's FractionDate: year + (month * days_per_month + day) / days_per_year.
_FRACTION_MONTH_DAYS, _FRACTION_YEAR_DAYS = 30, 365
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?!\d)")
_YEAR = re.compile(r"^(\d{4})(?!\d)")
_SEPARATORS = re.compile(r"[\t\r\n]+")


@cache
def generic_cameo() -> dict[str, str]:
    """PLOVER type → CAMEO "not specified below" code (three digits ending in 0), for the types
    that exactly one such code maps to in the shipped codebook."""
    book = json.loads(resources.files("parallax").joinpath("resources/plover_codebook.json").read_text("utf-8"))
    codes: dict[str, list[str]] = {}
    for code, entry in book["cameo"].items():
        if len(code) == 3 and code.endswith("0"):
            codes.setdefault(entry["event"], []).append(code)
    return {plover: found[0] for plover, found in codes.items() if len(found) == 1}


def gdelt_row(event: dict[str, Any]) -> list[str]:
    """One events-table row (as ``rows(store, "events")`` gives it) as the 61 GDELT fields."""
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row["GlobalEventID"] = str(event["id"])
    row.update(_gdelt_date(event["date"], event["published"], event["published_granularity"]))
    row["Actor1Name"] = (event["actor_entity"] or event["actor"] or "").upper()
    row["Actor2Name"] = (event["target_entity"] or event["target"] or "").upper()
    row["IsRootEvent"] = "1" if event["rank"] == 0 else "0"
    code = event["cameo"] or generic_cameo().get(event["plover"], "")
    if code:
        row.update(EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2],
                   QuadClass=str(QUAD_CLASS.get(code[:2], "")))
    row.update(NumMentions="1", NumSources="1", NumArticles="1")
    row["ActionGeo_FullName"] = event["place"] or ""
    added = datetime.fromisoformat(event["ingested_at"])
    row["DATEADDED"] = (added.astimezone(timezone.utc) if added.tzinfo else added).strftime("%Y%m%d%H%M%S")
    row["SOURCEURL"] = event["url"] or event["outlet"] or ""
    return [_SEPARATORS.sub(" ", value).strip() for value in row.values()]


def _gdelt_date(event_date: str | None, published: str | None, granularity: str | None) -> dict[str, str]:
    """Day, MonthYear, Year, FractionDate from the event's own day, else the publication date."""
    day_known = published if granularity in ("day", "datetime") else None
    for value in (event_date, day_known):
        if value and (m := _DAY.match(value)):
            year, month, day = map(int, m.groups())
            fraction = year + (month * _FRACTION_MONTH_DAYS + day) / _FRACTION_YEAR_DAYS
            return {"Day": f"{year:04d}{month:02d}{day:02d}", "MonthYear": f"{year:04d}{month:02d}",
                    "Year": f"{year:04d}", "FractionDate": f"{fraction:.4f}"}
    if published and (m := _MONTH.match(published)):
        return {"MonthYear": "".join(m.groups()), "Year": m.group(1)}
    if published and (m := _YEAR.match(published)):
        return {"Year": m.group(1)}
    return {}


def _write_gdelt(store: Store, out: IO[str]) -> int:
    n = 0
    for n, event in enumerate(rows(store, "events"), start=1):
        out.write("\t".join(gdelt_row(event)) + "\n")
    return n

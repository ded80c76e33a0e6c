"""Property tests of every reader (hypothesis): whatever the input, ingest ends it as articles or
numbered Skip lines (one per JSON line at least), never an exception, never nothing.

Inputs come from ``benchmarks/fuzz.py``'s generators (seeded: hypothesis draws the seed) and from
hypothesis's own bytes and text. Bounded: a few dozen examples per reader, no deadline (a page
takes what cleaning takes); ``benchmarks/fuzz.py`` runs 10,000."""
from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_script
from parallax import jobs
from parallax.settings import load_options
from parallax.store import open_store

FUZZ = load_script(Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py")
OPTIONS = load_options()
BOUNDED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)

# Characters hypothesis's text leaves out by default and a reader meets in the wild.
HOSTILE = st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\ufffe", "\u202e", "\r", "\x85"])
TEXT = st.lists(st.one_of(st.text(max_size=40), HOSTILE), max_size=20).map("".join)


def _ingest(name: str, data: bytes, beside: dict[str, bytes] | None = None) -> tuple[int, int, bool]:
    """(outcomes, non-blank lines, whole file refused) of one input ingested into a real store."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for other, content in (beside or {}).items():
            (Path(folder) / other).write_bytes(content)
        with open_store(str(Path(folder) / "p.db")) as store:
            summary = jobs.ingest([str(path)], store, OPTIONS)
            assert store.integrity_ok()
    outcomes = summary.ingested + summary.duplicate + len(summary.skipped)
    lines = len([line for line in data.split(b"\n") if line.strip()])
    return outcomes, lines, any(skip.origin == str(path) for skip in summary.skipped)


@pytest.mark.parametrize("kind", FUZZ.KINDS)
@BOUNDED
@given(seed=st.integers(0, 2**32 - 1))
def test_every_generated_input_ends_as_articles_or_skips(kind: str, seed: int) -> None:
    name, data, beside = FUZZ.make_input(kind, random.Random(seed))
    outcomes, lines, refused = _ingest(name, data, beside)
    assert outcomes >= 1
    if name == "records.jsonl" and not refused:
        assert outcomes >= lines  # every record an article or its own numbered line


@BOUNDED
@given(data=st.binary(max_size=5_000), name=st.sampled_from(["x.html", "x.txt", "x.jsonl", "x.xml", "x.warc", "x"]))
def test_any_bytes_under_any_name(data: bytes, name: str) -> None:
    assert _ingest(name, data)[0] >= (1 if data.strip() else 0)


@BOUNDED
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "url", "outlet", "published", "language"]),
                                        st.one_of(TEXT, st.integers(), st.none(), st.lists(st.integers(), max_size=3)),
                                        max_size=7), min_size=1, max_size=8))
def test_json_lines_of_any_values(records: list[dict[str, object]]) -> None:
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    outcomes, lines, _ = _ingest("records.jsonl", data)
    assert outcomes == lines == len(records)


@BOUNDED
@given(text=TEXT, meta=st.dictionaries(st.sampled_from(["title", "url", "outlet", "published", "language"]), TEXT, max_size=5))
def test_text_with_a_sidecar_of_any_values(text: str, meta: dict[str, str]) -> None:
    body = ("The council met on Tuesday and agreed to keep the bridge closed. " * 3 + text).encode("utf-8", "surrogatepass")
    sidecar = json.dumps(meta).encode()
    assert _ingest("a.txt", body, {"a.txt.meta.json": sidecar})[0] >= 1

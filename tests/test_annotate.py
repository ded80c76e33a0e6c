"""`parallax annotate` end to end: the pipeline's order check, SPEC's JSON, the seeds' gold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.annotate import COMPONENTS, Component, check_order
from parallax.cli import DEMO_CORPUS, main

SEEDS = DEMO_CORPUS / "seeds"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds" / "gold.json"


def test_a_component_that_needs_what_comes_later_is_refused() -> None:
    quotes_first = [next(c for c in COMPONENTS if c.name == "quotes"), *COMPONENTS]
    with pytest.raises(ValueError, match="quotes"):
        check_order(quotes_first)
    check_order(COMPONENTS)
    assert all(isinstance(c, Component) for c in COMPONENTS)


def _annotate(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    assert main(["annotate", *argv]) == 0
    out = capsys.readouterr().out
    return [json.loads(out)] if out.lstrip().startswith("{\n") else [json.loads(line) for line in out.splitlines()]


@pytest.mark.slow
@pytest.mark.skipif(not GOLD.exists(), reason="shared seed gold not available")
def test_seed_000_quotes_speakers_channels_and_times(capsys: pytest.CaptureFixture[str]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]["000_608ef5858c58f38e.txt"]
    [result] = _annotate(capsys, str(SEEDS / "000_608ef5858c58f38e.txt"), "--dct", "2018-07-19")
    text = result["text"]
    assert "Watch CBS News" not in text  # cleaned before annotation
    names = {e["id"]: e["name"] for e in result["entities"]}
    found = [
        (text[q["content"]["start"] : q["content"]["end"]], names.get((q["speaker"] or {}).get("entity")), q["kind"], q["channel"])
        for q in result["quotes"]
    ]
    for quote in gold["quotes"]:
        match = [f for f in found if f[0].lstrip("\"“").startswith(quote["text"])]
        assert match, f"quote not found: {quote['text']}"
        content, speaker, kind, channel = match[0]
        assert (speaker, kind) == (quote["speaker"], quote["kind"]), content
        assert (channel is None) == (quote["channel"] is None), content
    times = {(t["text"], t["value"]) for t in result["times"]}
    for t in gold["times"]:
        assert any(value == t["value"] and t["text"].endswith(found_text) for found_text, value in times), t


@pytest.mark.slow
def test_raw_offsets_are_into_the_file_and_jsonl_records_keep_their_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = SEEDS / "004_5dab1425809c78bc.txt"
    [result] = _annotate(capsys, str(raw), "--raw")
    assert result["text"] == raw.read_text(encoding="utf-8")
    march = next(t for t in result["times"] if t["text"] == "March 20")
    assert result["text"][march["start"] : march["end"]] == "March 20" and march["value"] == "XXXX-03-20"

    records = tmp_path / "r.jsonl"
    records.write_text(
        json.dumps({"id": "a", "text": "Lavrov said on Friday that talks would go on.", "published": "2018-04-06"}) + "\n"
        + json.dumps({"id": "b", "text": "Putin met Trump in Helsinki on Monday.", "published": "2018-07-19"}) + "\n",
        encoding="utf-8",
    )
    by_id = {r["id"]: r for r in _annotate(capsys, str(records))}
    assert [t["value"] for t in by_id["a"]["times"]] == ["2018-04-06"]
    assert [t["value"] for t in by_id["b"]["times"]] == ["2018-07-16"]
    assert by_id["a"]["quotes"][0]["kind"] == "indirect"

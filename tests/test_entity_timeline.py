"""An entity's timeline across storylines: `parallax timeline NAME` and its API, not one storyline."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from parallax.cli import main
from parallax.store.sqlite import SQLiteStore
from parallax.web import create_app

from conftest import add_stories


@pytest.fixture(scope="module")
def two_lines(hand_annotated_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-annotated seeds, each in a storyline of its own: Putin's two events in two storylines."""
    path = tmp_path_factory.mktemp("timeline") / "two.db"
    shutil.copyfile(hand_annotated_store, path)
    with SQLiteStore(path) as store:
        ids = {a.title or "": a.id for a in store.iter_articles()}
    cbs = next(i for t, i in ids.items() if t.startswith("Trump Asked Aide"))
    moscow = next(i for t, i in ids.items() if t.startswith("Russia says"))
    add_stories(path, {"The invitation": [[cbs]], "The phone call": [[moscow]]})
    return path


def test_timeline_of_an_entity_spans_its_storylines(two_lines: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "vladimir putin", "--db", str(two_lines)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Vladimir Putin: 2 events across 2 storylines"
    assert "The invitation" in "".join(out) and "The phone call" in "".join(out)
    assert out[1].split()[0] == "2018-03-20"  # the phone call's own date comes first
    assert main(["timeline", "vladimir putin", "--db", str(two_lines), "--json"]) == 0
    timeline = json.loads(capsys.readouterr().out)
    assert timeline["storylines"] == 2 and [e["event"]["plover"] for e in timeline["events"]] == ["CONSULT", "CONSULT"]
    assert main(["timeline", "phone call", "--db", str(two_lines)]) == 0  # words, not an entity: one storyline
    assert capsys.readouterr().out.startswith("storyline ")


def test_entity_timeline_api(two_lines: Path) -> None:
    with TestClient(create_app(str(two_lines))) as client:
        (putin,) = client.get("/api/entities", params={"q": "Vladimir Putin"}).json()
        entries = client.get(f"/api/entities/{putin['id']}/timeline").json()
        assert [e["storyline_title"] for e in entries] == ["The phone call", "The invitation"]
        assert client.get("/api/entities/999999/timeline").status_code == 404

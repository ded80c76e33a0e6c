"""The plain-text furniture finder's learned second opinion: what its build script makes of the
rules' evidence, and what it adds to the rules.

The model reads the rules' own verdicts as features, so a change to the rules leaves the shipped
model behind; the build is deterministic, so the shipped weights must come out of the script
again (the cross-validated choice of C and threshold is the script's; the fit at the shipped C
is checked here, the slow part of a rebuild being the same page evidence either way).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_script

from parallax.clean.furniture import LineKind, classify_lines, label_lines
from parallax.clean.text import clean_text
from parallax.settings import load_options

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
SHIPPED = ROOT / "src" / "parallax" / "resources" / "furniture_model.json"

PROSE = [
    "The city council voted on Tuesday to close the old harbour bridge for repairs, after engineers found "
    "cracks in two of its supports during a routine inspection last month.",
    "Work is expected to take at least six months, and the council said a ferry service would run between "
    "the two banks while the bridge is closed to traffic.",
    "Residents who use the bridge to reach the market said they were worried about the longer journey, and "
    "shop owners asked the council for help with lost trade.",
]


def test_build_reproduces_the_shipped_furniture_model() -> None:
    if not (DATA / "extraction-dev").is_dir():
        pytest.skip("extraction-dev data absent")
    build = load_script(ROOT / "scripts" / "build_furniture_model.py")
    shipped = json.loads(SHIPPED.read_text("utf-8"))
    built = build.fit(build.pages(), shipped["C"])
    stale = "the shipped furniture model is not what its script makes of today's rules: run `make models`"
    assert built["features"] == shipped["features"], stale
    for part in ("mean", "scale", "feature_weights"):
        assert built[part] == pytest.approx(shipped[part], abs=1e-5), f"{part}: {stale}"
    assert built["word_weights"].keys() == shipped["word_weights"].keys(), stale
    assert all(abs(built["word_weights"][w] - v) <= 1e-5 for w, v in shipped["word_weights"].items()), stale
    assert built["bias"] == pytest.approx(shipped["bias"], abs=1e-5), stale
    assert shipped["C"] in build.C_VALUES and shipped["threshold"] in build.THRESHOLDS


def test_a_tag_line_between_paragraphs_is_furniture() -> None:
    """The rules keep a short line between two paragraphs as body (a subhead, a closing
    sentence); a line of topic tags is not one, and the second opinion knows its words."""
    lines = ["Harbour bridge to close for repairs", "", PROSE[0], "", PROSE[1], "",
             "Transport Council Harbour Ferries", "", PROSE[2]]
    assert classify_lines(lines) == [False, False, False, False, False, False, True, False, False]


def test_the_headline_under_a_menu_is_the_title_and_stays_in_the_text() -> None:
    """The second opinion may call a headline under a menu furniture (its words are a menu
    item's); the title is still picked among the lines above the first prose, and the text keeps
    it first, as SPEC has it."""
    lines = ["Home", "News", "Sport", "Business", "Culture", "Harbour bridge to close for repairs", "",
             PROSE[0], "", PROSE[1], "", PROSE[2]]
    assert label_lines(lines)[:5] == [LineKind.FURNITURE] * 5
    article = clean_text("\n".join(lines), load_options())
    assert article.title == "Harbour bridge to close for repairs"
    assert article.text.splitlines()[0] == "Harbour bridge to close for repairs"
    assert article.furniture == ["Home", "News", "Sport", "Business", "Culture"]

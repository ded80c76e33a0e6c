"""The perturbation benchmark's generator (benchmarks/compare_perturb.py): deterministic, one
change per changed telling and confined to the sentence its offsets name, none in the control.
Uses spaCy's small model only (no annotation, no comparison)."""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import load_script
from parallax.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]

TEXT = (
    "Police in Kenya said on Tuesday that 12 people were killed when floods swept through villages in Garissa. "
    "Interior Minister Joseph Mwangi said the government would send 300 soldiers to the region. "
    "The Red Cross said its teams had reached 4,000 families by March 3. "
    "Mwangi visited the camps on Wednesday, according to the ministry. "
    "The agency warned that more rain is expected this week. "
    "Officials said that two bridges collapsed near the river. "
    "Farmers lost their crops, the Red Cross said."
)


@pytest.fixture(scope="module")
def bench():
    return load_script(ROOT / "benchmarks" / "compare_perturb.py")


@pytest.fixture(scope="module")
def tellings(bench):
    return bench.perturb("test-1", load_nlp()(TEXT))


def test_deterministic(bench, tellings):
    again = bench.perturb("test-1", load_nlp()(TEXT))
    assert [(t.text, t.change) for t in again] == [(t.text, t.change) for t in tellings]
    other = bench.perturb("test-2", load_nlp()(TEXT))  # another seed: other choices somewhere
    assert [(t.text, t.change) for t in other] != [(t.text, t.change) for t in tellings]


def test_control_has_no_change_and_one_telling_per_kind(bench, tellings):
    control, *changed = tellings
    assert control.change is None
    assert [t.change.kind for t in changed] == list(bench.KINDS)  # the text has a site of every kind


def test_the_change_is_where_its_offsets_say(tellings):
    control, *changed = tellings
    for telling in changed:
        change = telling.change
        assert change.old != change.new
        assert TEXT[change.old_span[0] : change.old_span[1]] == change.old
        assert telling.text[change.new_span[0] : change.new_span[1]] == change.new
        assert change.original[0] <= change.old_span[0] <= change.old_span[1] <= change.original[1]
        assert change.perturbed[0] <= change.new_span[0] <= change.new_span[1] <= change.perturbed[1]
        # against the control (the same rewording), every difference lies in the changed sentence
        matcher = difflib.SequenceMatcher(None, control.text, telling.text, autojunk=False)
        for op, _, _, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                assert change.perturbed[0] <= j1 <= j2 <= change.perturbed[1], (change.kind, telling.text[j1:j2])


def test_rewording_keeps_quotations(bench):
    text = 'Mwangi said, "We said we would send 300 soldiers to the country, and we will." The minister said aid began.'
    for telling in bench.perturb("quote", load_nlp()(text)):
        assert '"We said we would send' in telling.text
    assert bench.quotations(text) == [(text.index('"'), text.index('."') + 2)]

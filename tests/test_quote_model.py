"""The learned attribution-cue scorer (resources/quote_model.json) on real parses, and its build.

The model adds cues the lexicon does not list; the lexicon-only finder (``QuoteFinder(doc,
None)``) is the baseline each test compares with.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from parallax.annotate.quotes import STANCE, QuoteFinder, QuoteModel, quote_model
from parallax.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT / ".." / "shared" / "data" / "quotes-dev" / "polnear-dev"
SHIPPED = ROOT / "src" / "parallax" / "resources" / "quote_model.json"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _texts(doc, quotes):
    return [(doc.text[q.content.start:q.content.end], doc.text[q.cue.start:q.cue.end], q.speaker) for q in quotes]


def test_shipped_model_loads_with_weights_and_thresholds():
    model = quote_model()
    assert isinstance(model, QuoteModel) and model.version == json.loads(SHIPPED.read_text("utf-8"))["version"]
    assert 0.0 < model.cue.threshold < 1.0 and 0.0 < model.content.threshold < 1.0
    assert len(model.cue.weights) > 100 and len(model.content.weights) > 10
    assert 0.0 < model.cue.probability({"lemma=say": 1.0}) < 1.0


def test_an_act_the_lexicon_does_not_list_is_a_cue_but_its_noun_is_no_quote(nlp):
    doc = nlp("Trump unleashed a flurry of tweets shaming Machado.")
    assert QuoteFinder(doc, None).find() == []
    assert [e.learned for e in QuoteFinder(doc, quote_model()).events] == [True]
    # An act on a noun phrase holds no proposition (issue 14): attributed, as a stance, not quoted.
    assert [q.kind for q in QuoteFinder(doc, quote_model()).find()] == [STANCE]


def test_an_intention_with_a_preposition_is_attributed(nlp):
    # A PolNeAR dev sentence (the model is learned from all of dev: in-sample). The model
    # rebuilt at ANNOTATOR_VERSION 72 scores it 0.47 (threshold 0.4); "The mayor decided against
    # raising the tax rate" 0.38, under it (0.53 before the rebuild).
    doc = nlp("The FBI decided against recommending charges against her.")
    assert QuoteFinder(doc, None).find() == []
    [(content, cue, speaker)] = _texts(doc, QuoteFinder(doc, quote_model()).find())
    assert cue == "decided" and content.endswith("recommending charges against her") and speaker.text == "The FBI"


@pytest.mark.parametrize("sentence", [
    "Senator Ann Lee drove her car to the airport on Monday.",
    "The mayor ate a sandwich in the park.",
])
def test_verbs_that_attribute_nothing_are_not_cues(nlp, sentence):
    doc = nlp(sentence)
    finder = QuoteFinder(doc, quote_model())
    assert finder.find() == []
    verb = next(t for t in doc if t.pos_ == "VERB")
    assert finder.is_candidate(verb)  # the model was asked, and said no
    assert not quote_model().cue.accepts(finder.cue_features(verb))


@pytest.mark.slow
def test_build_reproduces_the_shipped_model():
    """The build script, run on the same PolNeAR dev articles, gives the shipped JSON exactly
    (on any CPU: its parse sums the context vectors in float64)."""
    if not POLNEAR.is_dir():
        pytest.skip("PolNeAR dev data absent")
    spec = importlib.util.spec_from_file_location("build_quote_model", ROOT / "scripts" / "build_quote_model.py")
    build = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build
    spec.loader.exec_module(build)
    bench = build.benchmark()
    pairs = bench.articles()
    docs = build.parse(path.read_text("utf-8") for path, _ in pairs)
    model = build.train(docs, [bench.read_gold(ann) for _, ann in pairs])
    assert json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n" == SHIPPED.read_text("utf-8"), \
        "the shipped model is not what its script makes of today's parses: run `make models`"

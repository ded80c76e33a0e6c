"""The comparison dev set's labels hold: every anchor is in its article, every split is
``split_of``'s, and the split itself does not move (a moved split would leak validation items
into tuning)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))  # the check imports its sibling compare_split

from compare_split import split_of  # noqa: E402


def _check():
    spec = importlib.util.spec_from_file_location("compare_labels_check", ROOT / "benchmarks" / "compare_labels_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_split_is_the_seeded_hash():
    # sha256("parallax-compare-v1:" + id) as an integer, even -> validation
    assert split_of("seeds") == "validation"
    assert split_of("1484011049_1484074948") == "tune"
    assert split_of("1483806408_1483869628") == "validation"


def test_every_anchor_is_found_and_every_split_matches():
    check = _check()
    items = check.load_labels()
    rows = check._similarity_rows()
    problems = [p for item in items for p in check.check_item(item, check.article_texts(item, rows))[0]]
    assert problems == []
    assert {item["source"] for item in items} >= {"similarity-dev"}
    # The 33 English same-event pairs (Overall <= 1.5) the issue names, and the 12 of 1.5 < Overall <= 2.0 added in session 11.
    english = [item for item in items if item["source"] == "similarity-dev" and all(a.get("lang", "en") == "en" for a in item["articles"])]
    assert len(english) == 45
    # The 5 German–English same-event pairs (Overall <= 1.5): each article names its language.
    german_english = [item for item in items if item["source"] == "similarity-dev" and item not in english]
    assert len(german_english) == 5
    assert all([a["lang"] for a in item["articles"]] == ["de", "en"] for item in german_english)


def test_a_fact_may_be_anchored_in_several_places_of_one_article():
    # A headline restating the lead tells the fact twice: a list of anchors names every place, each checked.
    check = _check()
    item = {"id": "seeds", "split": "validation", "source": "similarity-dev",
            "facts_shared": [{"kind": "event", "about": "x",
                              "anchors": {"a": ["Kubica joins Alfa Romeo", "will be a reserve driver"], "b": "the reserve driver"}}],
            "contradictions": [], "developments": []}
    texts = {"a": "Kubica joins Alfa Romeo\nRobert Kubica will be a reserve driver.", "b": "He is the reserve driver now."}
    assert check.check_item(item, texts)[0] == []
    texts["a"] = "Kubica joins Alfa Romeo\nRobert Kubica will drive."
    assert check.check_item(item, texts)[0] == ["seeds facts_shared[0]: anchor not found in article a"]


def test_the_benchmark_reads_every_anchor_of_a_list():
    spec = importlib.util.spec_from_file_location("compare_bench", ROOT / "benchmarks" / "compare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = "Kubica joins Alfa Romeo\nRobert Kubica will be a reserve driver. Kubica joins Alfa Romeo"
    assert module._anchor(text, "Kubica joins") == [(0, 12), (64, 76)]
    assert module._anchor(text, ["Kubica joins", "reserve driver"]) == [(0, 12), (64, 76), (48, 62)]

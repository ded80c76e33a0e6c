"""The clustering benchmark's scoring: distractors count against precision, never for recall."""
from pathlib import Path

from conftest import load_script

ROOT = Path(__file__).resolve().parents[1]


def test_a_distractor_in_a_story_lowers_precision_only() -> None:
    benchmark = load_script(ROOT / "benchmarks" / "clustering.py")
    article = benchmark.Article
    stream = [article("a", "", "", "e1", "en", "tune"), article("b", "", "", "e1", "en", "tune"),
              article("d", "", "", None, "de", "tune"), article("c", "", "", "e2", "en", "tune")]
    alone = benchmark.bcubed(stream, [0, 0, 1, 2])
    assert alone == (1.0, 1.0, 1.0)
    p, r, _ = benchmark.bcubed(stream, [0, 0, 0, 2])  # the distractor joined e1's story
    assert r == 1.0 and abs(p - (2 / 3 * 2 + 1) / 3) < 1e-9
    # Per-language rows keep the distractors in the clusters they score.
    p, _, _ = benchmark.bcubed(stream, [0, 0, 0, 2], lambda a: a.id != "c")
    assert abs(p - 2 / 3) < 1e-9


def test_halves_are_fixed_by_the_item_id() -> None:
    holdout = load_script(ROOT / "benchmarks" / "holdout.py")
    halves = [holdout.half(str(i), "test") for i in range(1000)]
    assert halves == [holdout.half(str(i), "test") for i in range(1000)]
    assert 400 < halves.count(holdout.VALIDATION) < 600
    assert halves != [holdout.half(str(i), "other set") for i in range(1000)]


def test_the_pair_check_scores_one_event_pairs_joined_and_others_apart() -> None:
    benchmark = load_script(ROOT / "benchmarks" / "clustering.py")
    pair = benchmark.Pair
    pairs = [pair("a", "b", 1.0, True, "tune"), pair("c", "d", 1.5, False, "tune"),
             pair("e", "f", 2.0, True, "tune"), pair("g", "h", 4.0, True, "tune"), pair("i", "j", 2.5, True, "tune")]
    joined = {("a", "b"), ("e", "f"), ("g", "h")}
    # The 2.0 pair is neither one event nor two: joined or not, it is not counted.
    assert benchmark.pair_check(pairs, lambda p: (p.first, p.second) in joined) == (1, 2, 1, 2)

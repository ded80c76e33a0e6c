"""Story clustering on Clust-McMs dev (multilingual events) and Google News titles (News-T).

Clust-McMs: articles are clustered online in file order; label 166 is noise, scored as each
article its own singleton. BCubed and pairwise precision/recall/F1, overall and per language
(language from py3langid; per-language figures score only that language's articles, with the
clusters restricted to them). The join threshold is shown as a sweep, and a 2-fold
cross-validated F1 (choose the threshold on half of the events, score the other half) is
printed beside the shipped threshold's figure.

News-T: 11,109 preprocessed Google News titles streamed in file order; NMI beside MStreamF's
published 0.873 (Yin et al., KDD 2018) and the wall time to cluster them (embedding included).

Both are run twice: on the embedding alone, and with the days each text tells of (read by the
time tagger, as ``parallax cluster`` does; neither set has publication dates), to show that
the time signal which parts the seeds' two invitations does not cost these sets anything.
"""
from __future__ import annotations

import json
import math
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

from parallax.clean.language import identify_language
from parallax.stories import told_days
from parallax.stories.cluster import StoryItem, cluster_items
from parallax.stories.embed import embed_multilingual
from parallax.stories.params import load_story_params

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "clustering-dev"
NOISE_LABEL = 166
SWEEP = [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70]
PENALTIES = [0.0, 0.05, 0.10, 0.15, 0.20, 0.30, 1.0]
MSTREAMF_NMI = 0.873


def bcubed(predicted: list, gold: list) -> tuple[float, float, float]:
    """BCubed precision, recall, F1 (Bagga & Baldwin) averaged over items."""
    by_pred, by_gold, by_both = Counter(predicted), Counter(gold), Counter(zip(predicted, gold))
    p = sum(by_both[(c, g)] / by_pred[c] for c, g in zip(predicted, gold)) / len(gold)
    r = sum(by_both[(c, g)] / by_gold[g] for c, g in zip(predicted, gold)) / len(gold)
    return p, r, _f1(p, r)


def pairwise(predicted: list, gold: list) -> tuple[float, float, float]:
    """Precision, recall, F1 over the item pairs put together."""
    pairs = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    both = pairs(Counter(zip(predicted, gold)))
    in_pred, in_gold = pairs(Counter(predicted)), pairs(Counter(gold))
    p = both / in_pred if in_pred else 1.0
    r = both / in_gold if in_gold else 1.0
    return p, r, _f1(p, r)


def nmi(predicted: list, gold: list) -> float:
    """Normalised mutual information, I / sqrt(H(pred) H(gold)) (Strehl & Ghosh)."""
    n = len(gold)
    by_pred, by_gold, by_both = Counter(predicted), Counter(gold), Counter(zip(predicted, gold))
    mutual = sum(k / n * math.log(k * n / (by_pred[c] * by_gold[g])) for (c, g), k in by_both.items())
    entropy = lambda counts: -sum(k / n * math.log(k / n) for k in counts.values())  # noqa: E731
    denominator = math.sqrt(entropy(by_pred) * entropy(by_gold))
    if not denominator:  # one side is a single cluster: identical only if both are
        return 1.0 if len(by_pred) == len(by_gold) == 1 else 0.0
    return mutual / denominator


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def load_clustmcms() -> tuple[list[StoryItem], list, list[str]]:
    raw = json.loads((DATA / "clustmcms_dev.json").read_text("utf-8"))
    items, gold, languages = [], [], []
    for article, label in zip(raw["articles"], raw["clusters"]):
        body = " ".join(s["content"] for s in article["sentences"])
        items.append(StoryItem(id=str(article["ID"]), title=article["title"], text=body,
                               dates=told_days(f"{article['title']}\n{body}", None)))
        gold.append(f"noise-{article['ID']}" if label == NOISE_LABEL else label)
        languages.append(identify_language(f"{article['title']} {body}", 0.3, 40) or "und")
    return items, gold, languages


def _cached(vectors: dict[str, np.ndarray], items: list[StoryItem]):
    """An embedder answering from precomputed vectors, so a sweep embeds once."""
    by_text = {}
    lead_chars = load_story_params().lead_chars
    from parallax.stories.embed import lead_text
    texts = [lead_text(i.title, i.text, lead_chars) for i in items]
    for text, vector in zip(texts, embed_multilingual(texts)):
        by_text[text] = vector
    vectors.update(by_text)
    return lambda batch: np.stack([vectors[t] for t in batch])


def _at(params, threshold: float):
    """The params with the join threshold moved, the merge threshold keeping its margin."""
    margin = params.merge_threshold - params.join_threshold
    return replace(params, join_threshold=threshold, merge_threshold=threshold + margin)


def _score(items, gold, embedder, params, subset=None):
    keep = range(len(items)) if subset is None else subset
    result = cluster_items([items[i] for i in keep], params, embedder)
    return [story for _, story, _ in result], [gold[i] for i in keep]


def _two_fold(items, gold, embedder, params) -> float:
    """BCubed F1 on each half of the events with the threshold chosen on the other half."""
    labels = sorted(set(gold), key=str)
    random.Random(0).shuffle(labels)
    halves = [set(labels[0::2]), set(labels[1::2])]
    folds = [[i for i, g in enumerate(gold) if g in half] for half in halves]
    scores = []
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        best = max(SWEEP, key=lambda t: bcubed(*_score(items, gold, embedder, _at(params, t), train))[2])
        scores.append(bcubed(*_score(items, gold, embedder, _at(params, best), test))[2])
    return sum(scores) / len(scores)


def _without_days(items: list[StoryItem]) -> list[StoryItem]:
    return [replace(item, dates=()) for item in items]


def clustmcms() -> tuple[float, float, float, float]:
    params = load_story_params()
    items, gold, languages = load_clustmcms()
    embedder = _cached({}, items)
    print(f"Clust-McMs dev: {len(items)} articles, languages {dict(Counter(languages))}")
    print("join threshold sweep (BCubed F1 / pairwise F1):")
    for threshold in SWEEP:
        predicted, _ = _score(items, gold, embedder, _at(params, threshold))
        print(f"  {threshold:.2f}  {bcubed(predicted, gold)[2]:.3f} / {pairwise(predicted, gold)[2]:.3f}")
    predicted, _ = _score(items, gold, embedder, params)
    print(f"{'subset':<8}{'n':>5}  {'B3 P':>6}{'B3 R':>6}{'B3 F1':>7}  {'pair P':>7}{'pair R':>7}{'pair F1':>8}")
    groups = defaultdict(list)
    for i, language in enumerate(languages):
        groups[language].append(i)
    for name, keep in [("all", list(range(len(items))))] + sorted(groups.items()):
        sub_pred, sub_gold = [predicted[i] for i in keep], [gold[i] for i in keep]
        b, pw = bcubed(sub_pred, sub_gold), pairwise(sub_pred, sub_gold)
        print(f"{name:<8}{len(keep):>5}  {b[0]:>6.3f}{b[1]:>6.3f}{b[2]:>7.3f}  {pw[0]:>7.3f}{pw[1]:>7.3f}{pw[2]:>8.3f}")
    cross_validated = _two_fold(items, gold, embedder, params)
    print("told-days penalty sweep (BCubed F1; the seeds' leads, both undated, would need > 0.16 to part):")
    for penalty in PENALTIES:
        swept, _ = _score(items, gold, embedder, replace(params, told_days_penalty=penalty))
        print(f"  {penalty:.2f}  {bcubed(swept, gold)[2]:.3f}")
    dated = sum(bool(item.dates) for item in items)
    undated_prediction, _ = _score(_without_days(items), gold, embedder, params)
    without_days = bcubed(undated_prediction, gold)[2]
    print(f"days told: {dated}/{len(items)} articles name a day; BCubed F1 without them {without_days:.3f}, "
          f"with them {bcubed(predicted, gold)[2]:.3f}")
    return bcubed(predicted, gold)[2], pairwise(predicted, gold)[2], cross_validated, without_days


def news_t() -> tuple[float, float, float, int]:
    lines = (DATA / "mstream-googlenews" / "News-T").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    gold = [r["clusterNo"] for r in records]
    started = time.perf_counter()
    items = [StoryItem(id=r["Id"], title=r["textCleaned"], text="", dates=told_days(r["textCleaned"], None))
             for r in records]
    result = cluster_items(items)
    seconds = time.perf_counter() - started
    titles = [item.title for item in items]
    vectors = dict(zip(titles, embed_multilingual(titles)))
    undated = cluster_items(_without_days(items), embedder=lambda batch: np.stack([vectors[t] for t in batch]))
    print(f"News-T: {sum(bool(i.dates) for i in items)}/{len(items)} titles name a day; NMI without days "
          f"{nmi([s for _, s, _ in undated], gold):.3f}")
    return nmi([s for _, s, _ in result], gold), nmi([s for _, s, _ in undated], gold), seconds, len(items)


def main() -> int:
    b3, pair, cv, b3_undated = clustmcms()
    news_nmi, news_undated, seconds, count = news_t()
    print(f"Clust-McMs dev BCubed F1 {b3:.3f} (2-fold CV over events {cv:.3f}; {b3_undated:.3f} without days told), "
          f"pairwise F1 {pair:.3f}; goal BCubed F1 >= 0.90")
    print(f"News-T NMI {news_nmi:.3f} ({news_undated:.3f} without days told; MStreamF 0.873), "
          f"{count} items clustered in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Aligning tellings across articles by meaning: which statements of two outlets are one fact.

Outlets paraphrase ("rescuers recovered 12 bodies from the river" / "at least a dozen people
drowned, police said"), so word overlap and exact keys miss most shared facts. A pair of
tellings is scored by a small logistic model over:

- the cosine of their sentence embeddings (multilingual USE by default, so a story told in
  two languages aligns too; the model file names the encoder it was fitted with),
- the cosine of their TF-IDF vectors over the story's own sentences (scikit-learn): on the
  tuning half a plain TF-IDF aligner found more shared facts than the embeddings alone (pair-fact
  F1 0.563 against 0.490), because outlets copying one wire keep its rare words,
- the overlap of the entities they name and of their content words,
- whether they count the same thing (a shared counted noun) and share their predicate.

Each pair of articles then gets a one-to-one matching (the Hungarian method over the scores,
keeping pairs above the model's calibrated threshold), and matches are joined into facts across
N articles, strongest first, never putting two tellings of one article into one fact.

The weights and threshold are fitted by ``scripts/build_compare_model.py`` on the tuning half
of the labelled comparison dev set (``benchmarks/compare_dev_labels.jsonl``) and shipped in
``resources/compare_model.json``.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from parallax.compare.tellings import Telling

FEATURES = ("cosine", "tfidf", "entities", "words", "counted", "verb")
Encoder = Callable[[Sequence[str]], np.ndarray]


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """The alignment model: encoder name, feature weights, bias and threshold."""
    return json.loads(resources.files("parallax.resources").joinpath("compare_model.json").read_text("utf-8"))


def encoder(name: str | None = None) -> Encoder:
    """The sentence encoder the model was fitted with (``use`` or ``minilm``)."""
    from parallax.stories.embed import embed_minilm, embed_multilingual

    chosen = name or model()["encoder"]
    return {"use": embed_multilingual, "minilm": embed_minilm}[chosen]


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def counts_same_thing(a: Telling, b: Telling) -> bool:
    """Whether the two tellings count the same thing (a shared counted noun or unit)."""
    heads = {q.get("head") for q in a.quantities} - {None}
    return bool(heads & ({q.get("head") for q in b.quantities} - {None}))


def features(a: Telling, b: Telling, cosine: float, tfidf: float) -> list[float]:
    """The pair's feature vector, in ``FEATURES`` order. (The excess of a pair's cosine over
    the two articles' mean cosine was tried as a feature: leave-one-item-out F1 0.476 against
    0.490 without it, so it is not used.)"""
    entities_a = frozenset(e.lower() for e in a.entities)
    entities_b = frozenset(e.lower() for e in b.entities)
    return [
        cosine,
        tfidf,
        jaccard(entities_a, entities_b),
        jaccard(a.words, b.words),
        1.0 if counts_same_thing(a, b) else 0.0,
        1.0 if a.verb and a.verb == b.verb else 0.0,
    ]


def probability(values: Sequence[float], fitted: dict[str, Any] | None = None) -> float:
    fitted = fitted or model()
    z = fitted["bias"] + sum(fitted["weights"][name] * value for name, value in zip(FEATURES, values))
    return 1.0 / (1.0 + math.exp(-z))


def embed(all_tellings: Sequence[Telling], encode: Encoder | None = None) -> np.ndarray:
    """Unit vectors of the tellings' sentences, one row each: the sentence embedding, then
    the L2-normalised TF-IDF vector over these sentences (so a dot product of the first part
    is the embedding cosine and of the second the TF-IDF cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not all_tellings:
        return np.zeros((0, 1), dtype=np.float32)
    texts = [t.text for t in all_tellings]
    if encode is None and model()["weights"]["cosine"] == 0:
        dense = np.zeros((len(texts), _encoder_width(None)), dtype=np.float32)  # the shipped model does not read it
    else:
        dense = np.asarray((encode or encoder())(texts), dtype=np.float32)
    try:
        sparse = TfidfVectorizer(sublinear_tf=True).fit_transform(texts).toarray().astype(np.float32)
    except ValueError:  # no word at all (numbers and marks only)
        sparse = np.zeros((len(texts), 1), dtype=np.float32)
    return np.hstack([dense, sparse])


def pair_scores(left: Sequence[Telling], right: Sequence[Telling], left_vectors: np.ndarray,
                right_vectors: np.ndarray, fitted: dict[str, Any] | None = None) -> np.ndarray:
    """The probability that each (left, right) pair tells one fact (vectors from ``embed``)."""
    scores = np.zeros((len(left), len(right)))
    if not len(left) or not len(right):
        return scores
    width = _encoder_width(fitted)
    cosines = left_vectors[:, :width] @ right_vectors[:, :width].T
    tfidf = left_vectors[:, width:] @ right_vectors[:, width:].T
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            scores[i, j] = probability(features(a, b, float(cosines[i, j]), float(tfidf[i, j])), fitted)
    return scores


def _encoder_width(fitted: dict[str, Any] | None) -> int:
    from parallax.stories.embed import MINILM_DIMENSIONS, MULTILINGUAL_DIMENSIONS

    name = (fitted or model())["encoder"]
    return {"use": MULTILINGUAL_DIMENSIONS, "minilm": MINILM_DIMENSIONS}[name]


def match(scores: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """A one-to-one matching of rows to columns maximising the total score, above ``threshold``."""
    from scipy.optimize import linear_sum_assignment

    if scores.size == 0:
        return []
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [(int(i), int(j), float(scores[i, j])) for i, j in zip(rows, cols) if scores[i, j] >= threshold]


def align(by_article: dict[str, list[Telling]], vectors: dict[str, np.ndarray],
          fitted: dict[str, Any] | None = None) -> list[tuple[list[Telling], float]]:
    """Facts across articles: groups of tellings (at most one per article) with the weakest
    link's score; every telling is in exactly one group (alone when nothing matches it)."""
    fitted = fitted or model()
    ids = list(by_article)
    links: list[tuple[float, Telling, Telling]] = []
    for x, first in enumerate(ids):
        for second in ids[x + 1 :]:
            scores = pair_scores(by_article[first], by_article[second], vectors[first], vectors[second], fitted)
            for i, j, score in match(scores, fitted["threshold"]):
                links.append((score, by_article[first][i], by_article[second][j]))
    group_of: dict[int, list[Telling]] = {id(t): [t] for told in by_article.values() for t in told}
    weakest: dict[int, float] = {}
    for score, a, b in sorted(links, key=lambda link: -link[0]):
        group_a, group_b = group_of[id(a)], group_of[id(b)]
        if group_a is group_b or {t.article for t in group_a} & {t.article for t in group_b}:
            continue
        group_a.extend(group_b)
        weakest[id(group_a)] = min(score, weakest.get(id(group_a), 1.0), weakest.get(id(group_b), 1.0))
        for telling in group_b:
            group_of[id(telling)] = group_a
    seen: set[int] = set()
    groups = []
    for told in by_article.values():
        for telling in told:
            group = group_of[id(telling)]
            if id(group) not in seen:
                seen.add(id(group))
                groups.append((group, weakest.get(id(group), 1.0)))
    return groups

"""Aligning tellings across articles by meaning: which statements of two outlets are one fact.

Outlets paraphrase ("rescuers recovered 12 bodies from the river" / "at least a dozen people
drowned, police said"), so word overlap and exact keys miss most shared facts. A pair of
tellings is scored by a small logistic model over:

- the cosine of their sentence embeddings (multilingual USE, so a story told in two languages
  aligns too; the model file names the encoder it was fitted with),
- the cosine of their TF-IDF vectors over the story's own sentences (scikit-learn), because
  outlets copying one wire keep its rare words,
- how near each is to being the other's best match (one story's sentences are all alike, so a
  cosine that aligns in one story is noise in another), and whether both lead their articles,
- the overlap of the entities they name, of their content words and of their numbers,
- whether they count the same thing (a shared counted noun) and tell of one act (the predicate
  of one among the other's words: "invited Putin" / "asked Bolton to invite Putin").

Each pair of articles then gets a one-to-one matching (the Hungarian method over the scores,
keeping pairs above the model's calibrated threshold), and matches are joined into facts across
N articles, strongest first, never putting two tellings of one article into one fact, and only
when every pair of the joined tellings was matched. A sentence the matching leaves out joins
its best partner as a two-article fact of its own when the score is high enough: one outlet's
sentence often tells two facts that the other tells in two sentences.

Two articles in two languages are scored by the model's meaning-only part (``MEANING_FEATURES``),
with a threshold of its own. The weights and thresholds are fitted by ``scripts/build_compare_model.py`` on the tuning half
of the labelled comparison dev set (``benchmarks/compare_dev_labels.jsonl``) and shipped in
``resources/compare_model.json``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.compare.tellings import LIGHT_VERBS, Telling, verb_stem

if TYPE_CHECKING:
    from scipy import sparse

# What the model of two articles in one language reads. Shared capitalised words and digit
# strings (``names``, ``figures``, below) add nothing there that entity, word and number overlap
# do not carry: fitted with them, leave-one-item-out F1 0.606 against 0.596 on the tuning half,
# but the benchmark's tuning half F1 unchanged (shared facts P 0.468 -> 0.457, R 0.554 ->
# 0.571) and its validation half lower (P 0.618 -> 0.603, R 0.585 -> 0.589).
ONE_LANGUAGE_FEATURES = ("cosine", "tfidf", "rank", "number", "lead", "entities", "words", "counted", "predicate")
# Every feature ``feature_matrix`` computes, in its column order.
FEATURES = (*ONE_LANGUAGE_FEATURES, "names", "figures")
# What still says something when the two articles are in two languages: the multilingual
# embedding, where a pair stands among its rivals by it, the lead, and the names and figures
# both sentences write alike ("Johnson", "Gove", "55"), read from the text since the annotator
# parses English only. Word, entity, predicate and parsed number overlap are zero across
# languages, so the full model scores a true German–English pair at 0.03–0.17, under its
# threshold.
MEANING_FEATURES = ("cosine", "rank", "number", "lead", "names", "figures")
Encoder = Callable[[Sequence[str]], np.ndarray]
# The score at which a sentence left out of the one-to-one matching joins its best partner as a
# second fact of that sentence (``_second_facts``). Chosen on the tuning half of the comparison
# dev set with the model fitted on all 56 tuning items (session 13; shared facts P / R,
# labelled differences found, both sides anchored): 0.3 0.461 / 0.529, 0.444, 0.222; 0.25
# 0.457 / 0.537, 0.444, 0.278; 0.2 (the alignment threshold) 0.454 / 0.566, 0.444, 0.333.
# Earlier model (20 items): none 0.403 / 0.629; 0.3 0.400 / 0.663; 0.2 0.336 / 0.682 with one
# false contradiction. The bar is never below the model's own threshold (``align``): with the
# model rebuilt in session 16 (threshold 0.35) it is that threshold.
SECOND_FACT_SCORE = 0.2


@lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """The alignment model: encoder name, feature weights, bias and threshold."""
    return json.loads(resources.files("parallax.resources").joinpath("compare_model.json").read_text("utf-8"))


def encoder(name: str | None = None) -> Encoder:
    """The sentence encoder the model was fitted with (``use``, ``e5`` or ``minilm``)."""
    from parallax.stories.embed import embed_e5_passages, embed_minilm, embed_multilingual

    chosen = name or model()["encoder"]
    return {"use": embed_multilingual, "e5": embed_e5_passages, "minilm": embed_minilm}[chosen]


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÄÖÜ][\w'’-]{2,}")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _names(text: str) -> frozenset[str]:
    """The capitalised words of a sentence but its first, lower-cased: names in any language
    that writes them so (German capitalises its nouns too, which the other side's English
    does not share, so they cost a German–English pair nothing)."""
    return frozenset(m.group().lower() for m in _NAME.finditer(text))


def _figures(text: str) -> frozenset[str]:
    """The digit strings of a sentence without their separators ("1,500" and "1.500" alike)."""
    return frozenset(m.group().replace(",", "").replace(".", "") for m in _FIGURE.finditer(text))


def _numbers(telling: Telling) -> frozenset[float]:
    return frozenset(round(float(q["value"]), 6) for q in telling.quantities if q.get("value") is not None)


class Overlaps:
    """What every two of a story's tellings share, computed once for the whole story: the
    Jaccard overlap of their numbers, entities, content words, names and figures, whether they
    count the same thing, and whether they tell of one act (``tellings.shared_predicate``).

    Each is one product of sparse membership matrices over all the story's tellings, sliced per
    pair of articles: a ten-article story has 45 pairs of articles, and the same overlaps asked
    pair by pair in Python took a third of its comparison (0.3–0.4 s of about 1.3 s).
    """

    def __init__(self, told: Sequence[Telling]) -> None:
        self.row = {id(t): i for i, t in enumerate(told)}
        self.shared: dict[str, np.ndarray] = {
            "number": _jaccards([_numbers(t) for t in told]),
            "entities": _jaccards([frozenset(e.lower() for e in t.entities) for t in told]),
            "words": _jaccards([t.words for t in told]),
            "names": _jaccards([_names(t.text) for t in told]),
            "figures": _jaccards([_figures(t.text) for t in told]),
        }
        heads = _members([frozenset(q["head"] for q in t.quantities if q.get("head")) for t in told])
        self.shared["counted"] = ((heads @ heads.T).toarray() > 0).astype(float)
        self.shared["predicate"] = _shared_predicates(told).astype(float)

    def block(self, left: Sequence[Telling], right: Sequence[Telling]) -> dict[str, np.ndarray]:
        """Each overlap of the (left, right) pairs, shape ``(len(left), len(right))``."""
        rows = np.array([self.row[id(t)] for t in left], dtype=np.intp)
        cols = np.array([self.row[id(t)] for t in right], dtype=np.intp)
        pairs = np.ix_(rows, cols)
        return {name: values[pairs] for name, values in self.shared.items()}


def _members(sets: Sequence[frozenset[Hashable]]) -> sparse.csr_matrix:
    """A 0/1 matrix, one row per set and one column per member of any of them."""
    from scipy import sparse

    vocabulary: dict[Hashable, int] = {}
    rows = [i for i, members in enumerate(sets) for _ in members]
    cols = [vocabulary.setdefault(m, len(vocabulary)) for members in sets for m in members]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(len(vocabulary), 1)))


def _jaccards(sets: Sequence[frozenset[Hashable]]) -> np.ndarray:
    """Every two sets' Jaccard overlap (0 when either is empty)."""
    members = _members(sets)
    common = (members @ members.T).toarray()
    sizes = np.array([len(s) for s in sets], dtype=float)
    union = sizes[:, None] + sizes[None, :] - common
    both = (sizes[:, None] > 0) & (sizes[None, :] > 0)
    return np.where(both, common / np.where(both, union, 1.0), 0.0)


def _shared_predicates(told: Sequence[Telling]) -> np.ndarray:
    """``shared_predicate`` of every two tellings: one main verb that says something, or the
    predicate of one among the other's content words."""
    verbs = [t.verb if t.verb and t.verb not in LIGHT_VERBS else None for t in told]
    codes: dict[str, int] = {}
    code = np.array([-1 if v is None else codes.setdefault(v, len(codes)) for v in verbs])
    same = (code[:, None] == code[None, :]) & (code[:, None] >= 0)
    stems = [verb_stem(v) if v else frozenset() for v in verbs]
    rows = _members([*stems, *(t.words for t in told)])
    stem_rows, word_rows = rows[: len(told)], rows[len(told) :]
    sizes = np.array([len(s) for s in stems])
    # The stem of row i's predicate lies whole among row j's words.
    within = ((stem_rows @ word_rows.T).toarray() == sizes[:, None]) & (sizes[:, None] > 0)
    return same | within | within.T


def feature_matrix(left: Sequence[Telling], right: Sequence[Telling], cosines: np.ndarray,
                   tfidf: np.ndarray, overlaps: Overlaps | None = None) -> np.ndarray:
    """Every (left, right) pair's features, shape ``(len(left), len(right), len(FEATURES))``.

    Besides the two similarities and slot agreement it reads where the pair stands among its
    rivals: ``rank`` is how near each side is to being the other's best match (1 when both are
    each other's first choice), since one story's sentences are all alike and an absolute cosine
    that aligns in one story is noise in another; ``lead`` is whether both open their articles
    (news puts the shared finding first); ``number`` the share of numbers they both give.
    (The excess of a pair's cosine over the two articles' mean cosine was tried as a feature:
    leave-one-item-out F1 0.476 against 0.490 without it, so it is not used.) ``overlaps``: the
    story's, when the caller compares more than these two articles.
    """
    out = np.zeros((len(left), len(right), len(FEATURES)))
    if not len(left) or not len(right):
        return out
    similar = cosines + tfidf
    # 0 for a row's best column, 1 for its second best, ...
    by_row = np.argsort(np.argsort(-similar, axis=1), axis=1)
    by_column = np.argsort(np.argsort(-similar, axis=0), axis=0)
    out[:, :, FEATURES.index("cosine")] = cosines
    out[:, :, FEATURES.index("tfidf")] = tfidf
    out[:, :, FEATURES.index("rank")] = 0.5 / (1 + by_row) + 0.5 / (1 + by_column)
    lead_left = np.array([1.0 / (1 + t.index) for t in left])
    lead_right = np.array([1.0 / (1 + t.index) for t in right])
    out[:, :, FEATURES.index("lead")] = np.minimum.outer(lead_left, lead_right)
    for name, values in (overlaps or Overlaps([*left, *right])).block(left, right).items():
        out[:, :, FEATURES.index(name)] = values
    return out


def probabilities(values: np.ndarray, fitted: dict[str, Any] | None = None) -> np.ndarray:
    """The model's probability for each feature vector (the last axis of ``values``)."""
    fitted = fitted or model()
    weights = np.array([fitted["weights"].get(name, 0.0) for name in FEATURES])
    return 1.0 / (1.0 + np.exp(-(values @ weights + fitted["bias"])))


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


def pair_features(left: Sequence[Telling], right: Sequence[Telling], left_vectors: np.ndarray,
                  right_vectors: np.ndarray, width: int, meaning_only: bool = False,
                  overlaps: Overlaps | None = None) -> np.ndarray:
    """``feature_matrix`` of two articles' tellings from their ``embed`` rows (``width``: the
    encoder's part of a row). ``meaning_only``: the pair's rank among its rivals by the
    embedding alone, TF-IDF left out (two languages share few words)."""
    cosines = left_vectors[:, :width] @ right_vectors[:, :width].T
    tfidf = np.zeros_like(cosines) if meaning_only else left_vectors[:, width:] @ right_vectors[:, width:].T
    return feature_matrix(left, right, cosines, tfidf, overlaps)


def pair_scores(left: Sequence[Telling], right: Sequence[Telling], left_vectors: np.ndarray,
                right_vectors: np.ndarray, fitted: dict[str, Any] | None = None,
                two_languages: bool = False, overlaps: Overlaps | None = None) -> np.ndarray:
    """The probability that each (left, right) pair tells one fact (vectors from ``embed``);
    for articles in ``two_languages``, by the model's meaning-only part (``MEANING_FEATURES``)."""
    if not len(left) or not len(right):
        return np.zeros((len(left), len(right)))
    fitted = fitted or model()
    values = pair_features(left, right, left_vectors, right_vectors, _encoder_width(fitted), meaning_only=two_languages,
                           overlaps=overlaps)
    return probabilities(values, fitted["two_languages"] if two_languages else fitted)


def _encoder_width(fitted: dict[str, Any] | None) -> int:
    from parallax.stories.embed import E5_DIMENSIONS, MINILM_DIMENSIONS, MULTILINGUAL_DIMENSIONS

    name = (fitted or model())["encoder"]
    return {"use": MULTILINGUAL_DIMENSIONS, "e5": E5_DIMENSIONS, "minilm": MINILM_DIMENSIONS}[name]


def match(scores: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """A one-to-one matching of rows to columns maximising the total score, above ``threshold``."""
    from scipy.optimize import linear_sum_assignment

    if scores.size == 0:
        return []
    rows, cols = linear_sum_assignment(scores, maximize=True)
    return [(int(i), int(j), float(scores[i, j])) for i, j in zip(rows, cols) if scores[i, j] >= threshold]


def align(by_article: dict[str, list[Telling]], vectors: dict[str, np.ndarray],
          fitted: dict[str, Any] | None = None,
          linkable: Callable[[Telling, Telling], bool] | None = None,
          languages: Mapping[str, str] | None = None) -> tuple[list[tuple[list[Telling], float]], list[tuple[Telling, Telling, float]]]:
    """Facts across articles: groups of tellings (at most one per article) with the weakest
    link's score; every telling is in exactly one group (alone when nothing matches it). And
    the matched pairs complete linkage kept in two groups, with their scores: two articles
    matched them, so what they tell differently is still a difference ("did not confirm the
    death of the train driver" / "the driver has died", the second already one fact with two
    other articles' "21 passengers died").

    Matches are joined strongest first, and two groups join only when every pair of their
    tellings was matched (complete linkage): a chain A~B, B~C through one loose sentence does
    not make A and C one fact. ``linkable`` says which pairs may be matched at all (others
    score 0 before the matching, so a telling can still take its best allowed partner).
    ``languages`` (article → language): two articles in two languages are scored by the model's
    meaning-only part, with its own threshold.
    """
    from threadpoolctl import threadpool_limits

    fitted = fitted or model()
    ids = list(by_article)
    overlaps = Overlaps([t for told in by_article.values() for t in told])
    links: list[tuple[float, Telling, Telling]] = []
    extra: list[tuple[list[Telling], float]] = []
    # One BLAS thread for the article pairs' small products (tens of sentences a side): with a
    # second thread on a busy machine, waking it cost more than the product. A ten-article story
    # (45 article pairs, 306 sentences) spent 2.2 s CPU in them against 0.013 s on one thread, in
    # a process that had not loaded the parser (which limits the whole process to one).
    with threadpool_limits(1, user_api="blas"):
        for x, first in enumerate(ids):
            for second in ids[x + 1 :]:
                two = languages is not None and languages.get(first) != languages.get(second)
                scores = pair_scores(by_article[first], by_article[second], vectors[first], vectors[second], fitted, two, overlaps)
                threshold = fitted["two_languages"]["threshold"] if two else fitted["threshold"]
                if linkable is not None:
                    allowed = np.array([[linkable(a, b) for b in by_article[second]] for a in by_article[first]], dtype=bool)
                    scores = np.where(allowed, scores, 0.0)
                matched_pairs = match(scores, threshold)
                for i, j, score in matched_pairs:
                    links.append((score, by_article[first][i], by_article[second][j]))
                for i, j, score in _second_facts(scores, matched_pairs, max(SECOND_FACT_SCORE, threshold)):
                    extra.append(([by_article[first][i], by_article[second][j]], score))
    matched = {frozenset((id(a), id(b))) for _, a, b in links}
    group_of: dict[int, list[Telling]] = {id(t): [t] for told in by_article.values() for t in told}
    weakest: dict[int, float] = {}
    apart: list[tuple[Telling, Telling, float]] = []
    for score, a, b in sorted(links, key=lambda link: -link[0]):
        group_a, group_b = group_of[id(a)], group_of[id(b)]
        if group_a is group_b or {t.article for t in group_a} & {t.article for t in group_b}:
            continue
        if any(frozenset((id(x), id(y))) not in matched for x in group_a for y in group_b):
            apart.append((a, b, score))
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
    return groups + extra, apart


def _second_facts(scores: np.ndarray, matched: list[tuple[int, int, float]], bar: float) -> list[tuple[int, int, float]]:
    """Pairs beyond the one-to-one matching: a sentence left unmatched whose best partner is
    already matched, with a score of at least ``bar``. One sentence often tells two facts ("was
    given 21 months' probation on Thursday after pleading guilty to six charges") that the other
    outlet tells in two sentences; the matching gives it one partner only."""
    rows = {i for i, _, _ in matched}
    cols = {j for _, j, _ in matched}
    out: list[tuple[int, int, float]] = []
    if not scores.size:
        return out
    best_column, best_row = scores.argmax(axis=1), scores.argmax(axis=0)  # each row's and column's first best
    for i in range(scores.shape[0]):
        j = int(best_column[i])
        if i not in rows and j in cols and scores[i, j] >= bar:
            out.append((i, j, float(scores[i, j])))
    for j in range(scores.shape[1]):
        i = int(best_row[j])
        if j not in cols and i in rows and scores[i, j] >= bar:
            out.append((i, j, float(scores[i, j])))
    return out

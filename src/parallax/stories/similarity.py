"""How similar two news articles are as stories: 1 = the same happening, 0 = unrelated.

Two cosines of lead embeddings per pair. multilingual-e5-small reads every pair (it ranks
SemEval-2022 pairs in every language better than USE or MiniLM alone); a second model adds
what e5 misses: MiniLM when both texts are English, multilingual USE otherwise (German,
Spanish, Turkish, Polish, Arabic, French, and pairs across them). USE lowers the English
figure and MiniLM reads English only, hence the split.

Each cosine is calibrated before mixing: below a floor every pair is equally unrelated
(annotators give ~3.8 of 4 to the whole lower third of e5 cosines) and above a ceiling equally
the same story, so the cosine is clipped to ``[floor, ceiling]`` and rescaled to [0, 1]. That
takes the noise of the flat ends out of the ranking and puts the models on one scale. The
floors, ceilings and the two weights are fitted on SemEval-2022 dev pairs and cross-validated
by ``benchmarks/similarity.py`` (see ``resources/stories.json``, ``"similarity"``).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from parallax.clean.language import identify_language
from parallax.stories.embed import embed_e5_passages, embed_minilm, embed_multilingual


@dataclass(frozen=True)
class Calibration:
    """A cosine's flat ends: at or below ``floor`` is 0, at or above ``ceiling`` is 1."""
    floor: float
    ceiling: float

    def apply(self, cosines: np.ndarray) -> np.ndarray:
        return (np.clip(cosines, self.floor, self.ceiling) - self.floor) / (self.ceiling - self.floor)


@dataclass(frozen=True)
class SimilarityParams:
    # Characters of each text the models read (the texts' useful window).
    lead_chars: int
    # Calibrations of the three models' cosines.
    e5: Calibration
    minilm: Calibration
    use: Calibration
    # Weight of calibrated MiniLM over calibrated e5 when both texts are English.
    minilm_weight_english: float
    # Weight of calibrated USE over calibrated e5 for every other pair.
    use_weight_other: float
    # Language identification settings for the English test.
    language_min_chars: int
    language_min_confidence: float


@dataclass(frozen=True)
class PairCosines:
    """The raw cosines ``score_pairs`` mixes, one entry per pair."""
    e5: np.ndarray
    # Both texts English (by language identification).
    english: np.ndarray
    # MiniLM's cosine for English pairs, USE's for the others.
    second: np.ndarray


@lru_cache(maxsize=1)
def load_similarity_params() -> SimilarityParams:
    raw = json.loads(resources.files("parallax").joinpath("resources/stories.json").read_text("utf-8"))["similarity"]
    return SimilarityParams(
        lead_chars=raw["lead_chars"],
        e5=Calibration(**raw["e5"]), minilm=Calibration(**raw["minilm"]), use=Calibration(**raw["use"]),
        minilm_weight_english=raw["minilm_weight_english"], use_weight_other=raw["use_weight_other"],
        language_min_chars=raw["language_min_chars"], language_min_confidence=raw["language_min_confidence"],
    )


def _is_english(text: str, params: SimilarityParams) -> bool:
    return identify_language(text, params.language_min_confidence, params.language_min_chars) == "en"


def _row_cosines(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", first, second)


def pair_cosines(firsts: Sequence[str], seconds: Sequence[str], params: SimilarityParams) -> PairCosines:
    """Embed each pair's leads: e5 for all, then MiniLM for English pairs and USE for the rest."""
    leads1 = [text[:params.lead_chars] for text in firsts]
    leads2 = [text[:params.lead_chars] for text in seconds]
    e5 = _row_cosines(embed_e5_passages(leads1), embed_e5_passages(leads2))
    english = np.array([_is_english(a, params) and _is_english(b, params) for a, b in zip(firsts, seconds)],
                       dtype=bool)
    second = np.zeros(len(leads1), dtype=np.float32)
    for chosen, embed in ((np.flatnonzero(english), embed_minilm), (np.flatnonzero(~english), embed_multilingual)):
        if len(chosen):
            second[chosen] = _row_cosines(embed([leads1[i] for i in chosen]), embed([leads2[i] for i in chosen]))
    return PairCosines(e5=e5, english=english, second=second)


def combine(cosines: PairCosines, params: SimilarityParams) -> np.ndarray:
    """The score in [0, 1] of each pair: calibrated e5 mixed with the calibrated second model."""
    second = np.where(cosines.english, params.minilm.apply(cosines.second), params.use.apply(cosines.second))
    weight = np.where(cosines.english, params.minilm_weight_english, params.use_weight_other)
    return (1.0 - weight) * params.e5.apply(cosines.e5) + weight * second


def score_pairs(pairs: Iterable[tuple[str, str, str]],
                params: SimilarityParams | None = None) -> list[tuple[str, float]]:
    """``(pair_id, score)`` for each ``(pair_id, text1, text2)``, score in [0, 1]."""
    params = params or load_similarity_params()
    pairs = list(pairs)
    if not pairs:
        return []
    scores = combine(pair_cosines([t for _, t, _ in pairs], [t for _, _, t in pairs], params), params)
    return [(pair_id, float(s)) for (pair_id, _, _), s in zip(pairs, np.clip(scores, 0.0, 1.0))]

"""How similar two news articles are as stories: 1 = the same happening, 0 = unrelated.

The score is a cosine of lead embeddings. Multilingual USE carries every pair (it reads
German, Spanish, Turkish, Polish, Arabic, French, and pairs across them); when both texts are
English, MiniLM, which ranks English pairs better, is mixed in with the weight chosen on dev
data (see ``resources/stories.json``, ``"similarity"``, and ``benchmarks/similarity.py``).
multilingual-e5-small, which ranks pairs in every language better than either, is then mixed
over that score with its own dev-chosen weight.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from parallax.clean.language import identify_language
from parallax.stories.embed import embed_e5_passages, embed_minilm, embed_multilingual


@dataclass(frozen=True)
class SimilarityParams:
    # Characters of each text the multilingual model reads (its useful window).
    lead_chars: int
    # Weight of MiniLM's cosine when both texts are English (USE has the rest).
    minilm_weight_english: float
    # Weight of the multilingual-e5 cosine over the USE/MiniLM score, for every pair.
    e5_weight: float
    # Language identification settings for the English test.
    language_min_chars: int
    language_min_confidence: float


@lru_cache(maxsize=1)
def load_similarity_params() -> SimilarityParams:
    raw = json.loads(resources.files("parallax").joinpath("resources/stories.json").read_text("utf-8"))
    return SimilarityParams(**raw["similarity"])


def _is_english(text: str, params: SimilarityParams) -> bool:
    return identify_language(text, params.language_min_confidence, params.language_min_chars) == "en"


def _row_cosines(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", first, second)


def score_pairs(pairs: Iterable[tuple[str, str, str]],
                params: SimilarityParams | None = None) -> list[tuple[str, float]]:
    """``(pair_id, score)`` for each ``(pair_id, text1, text2)``, score in [0, 1]."""
    params = params or load_similarity_params()
    pairs = list(pairs)
    if not pairs:
        return []
    ids = [pair_id for pair_id, _, _ in pairs]
    firsts = [text1 for _, text1, _ in pairs]
    seconds = [text2 for _, _, text2 in pairs]
    score = _row_cosines(embed_multilingual([t[:params.lead_chars] for t in firsts]),
                         embed_multilingual([t[:params.lead_chars] for t in seconds]))
    english = np.array([_is_english(a, params) and _is_english(b, params)
                        for a, b in zip(firsts, seconds)])
    if params.minilm_weight_english and english.any():
        chosen = np.flatnonzero(english)
        minilm = _row_cosines(embed_minilm([firsts[i] for i in chosen]),
                              embed_minilm([seconds[i] for i in chosen]))
        weight = params.minilm_weight_english
        score[chosen] = (1.0 - weight) * score[chosen] + weight * minilm
    if params.e5_weight:
        e5 = _row_cosines(embed_e5_passages([t[:params.lead_chars] for t in firsts]),
                          embed_e5_passages([t[:params.lead_chars] for t in seconds]))
        score = (1.0 - params.e5_weight) * score + params.e5_weight * e5
    return [(pair_id, float(s)) for pair_id, s in zip(ids, np.clip(score, 0.0, 1.0))]

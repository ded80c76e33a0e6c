"""Near-duplicate folding: wire copies and reposts of one text count once.

Two copies of a wire story differ in furniture (bylines, "Image", "Watch ..." lines, share
buttons) and in truncation (one outlet runs the first half). So the test is not Jaccard
similarity but containment: how much of the smaller text's word shingles lie inside the
larger one. MinHash estimates Jaccard J, and with the two shingle-set sizes a and b the
overlap is J * (a + b) / (1 + J); dividing by min(a, b) gives containment. LSH at a low
Jaccard finds the candidates in sublinear time; containment decides.
"""
from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from parallax.stories.params import StoryParams

# Han, kana and Hangul have no spaces: each character is a token there.
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+")
_SEED = 1
_SCHEME = "affine32"


def shingles(text: str, params: StoryParams) -> set[str]:
    """Word shingles of the text's substantial lines, lowercased and without punctuation."""
    tokens: list[str] = []
    for line in text.splitlines():
        words = _TOKEN.findall(line.lower())
        if len(words) >= params.copy_min_line_words:
            tokens.extend(words)
    size = params.shingle_words
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the larger, from their Jaccard and sizes."""
    if not size_a or not size_b:
        return 0.0
    overlap = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, overlap / min(size_a, size_b))


class CopyIndex:
    """Remembers the texts seen so far and says which earlier one a new text copies."""

    def __init__(self, params: StoryParams) -> None:
        self._params = params
        self._lsh = MinHashLSH(threshold=params.copy_candidate_jaccard,
                               num_perm=params.minhash_permutations)
        # Per text: its MinHash values (as datasketch keeps them), shingle count and arrival rank.
        self._sketches: dict[Hashable, tuple[np.ndarray, int, int]] = {}
        # One set of permutations shared by every sketch (each would otherwise keep a copy).
        self._permutations = MinHash(num_perm=params.minhash_permutations, seed=_SEED).permutations

    def sketch(self, text: str) -> Sketch | None:
        """The text's MinHash values and shingle count; None when it has no substantial line."""
        grams = shingles(text, self._params)
        if not grams:
            return None
        minhash = self._minhash()
        minhash.update_batch([g.encode("utf-8") for g in grams])
        return Sketch(minhash.hashvalues.astype(np.uint32), len(grams))

    def add(self, key: Hashable, text: str) -> Hashable | None:
        """Index ``text`` under ``key``; return the key of the earlier text it copies, if any."""
        sketch = self.sketch(text)
        return self.add_sketch(key, sketch) if sketch is not None else None

    def add_sketch(self, key: Hashable, sketch: Sketch) -> Hashable | None:
        """Index a sketched text; return the key of the earlier text it copies, if any.

        The earlier text containing the most of this one wins; a copy of a copy then joins the
        same story as the first, since callers map each key to its original's story.
        """
        minhash = self._minhash(sketch.values)
        best_key, best, best_order = None, self._params.copy_min_containment, len(self._sketches)
        # Candidates come in the LSH's set order, which changes with Python's string hashing
        # from process to process: of equal shares, the earliest text wins, so that a run gives
        # the same stories however often it was stopped and started.
        for other in self._lsh.query(minhash):
            other_values, other_size, order = self._sketches[other]
            share = containment(_jaccard(minhash.hashvalues, other_values), sketch.size, other_size)
            if share > best or (share == best and order < best_order):
                best_key, best, best_order = other, share, order
        self._lsh.insert(key, minhash, check_duplication=False)
        self._sketches[key] = (minhash.hashvalues, sketch.size, len(self._sketches))
        return best_key

    def restore_many(self, keys: Sequence[Hashable], sketches: Sequence[Sketch]) -> None:
        """Index texts seen before (rebuilding the index after a restart), asking nothing.

        What inserting them one by one does, a band of the LSH at a time over all of them and
        without a MinHash object per text: a restart restores every text the store holds.
        """
        if not keys:
            return
        values = np.stack([sketch.values for sketch in sketches]).astype(np.uint32)  # as affine32 keeps them
        band_keys: list[list[bytes]] = []
        for (start, end), table in zip(self._lsh.hashranges, self._lsh.hashtables):
            # The LSH keys a band by its values' bytes, byte-swapped (datasketch's default hashfunc).
            blob, width = values[:, start:end].byteswap().tobytes(), (end - start) * values.itemsize
            band = [blob[offset:offset + width] for offset in range(0, len(blob), width)]
            for band_key, key in zip(band, keys):
                table.insert(band_key, key)
            band_keys.append(band)
        for key, row, sketch, *bands in zip(keys, values, sketches, *band_keys):
            self._lsh.keys.insert(key, *bands)
            self._sketches[key] = (row, sketch.size, len(self._sketches))

    def _minhash(self, values: np.ndarray | None = None) -> MinHash:
        return MinHash(num_perm=self._params.minhash_permutations, seed=_SEED, scheme=_SCHEME,
                       permutations=self._permutations,
                       hashvalues=None if values is None else values.astype(np.uint64))


def _jaccard(values: np.ndarray, other: np.ndarray) -> float:
    """Estimated Jaccard similarity of two MinHash value arrays (as ``MinHash.jaccard``)."""
    return float(np.count_nonzero(values == other)) / len(values)


@dataclass(frozen=True)
class Sketch:
    """A text's MinHash values (32-bit, as datasketch's affine32 scheme makes them) and its
    shingle count: all that copy detection keeps of a text, and what the store persists."""

    values: np.ndarray
    size: int

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes, size: int) -> Sketch:
        return cls(np.frombuffer(blob, dtype="<u4"), size)

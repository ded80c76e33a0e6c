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


def containments(jaccard: np.ndarray, size: int, other_sizes: np.ndarray) -> np.ndarray:
    """Share of the smaller set inside the larger, for one text against several, from their
    Jaccard and shingle counts."""
    overlap = jaccard * (size + other_sizes) / (1.0 + jaccard)
    smaller = np.minimum(size, other_sizes)
    return np.where(smaller > 0, np.minimum(1.0, overlap / np.maximum(smaller, 1)), 0.0)


class CopyIndex:
    """Remembers the texts seen so far and says which earlier one a new text copies."""

    def __init__(self, params: StoryParams) -> None:
        self._params = params
        self._lsh = MinHashLSH(threshold=params.copy_candidate_jaccard,
                               num_perm=params.minhash_permutations)
        # Per text, by arrival rank: its key, MinHash values (a row of one growing matrix, so a
        # query scores all its candidates at once) and shingle count.
        self._keys: list[Hashable] = []
        self._rank: dict[Hashable, int] = {}
        self._values = np.zeros((0, params.minhash_permutations), dtype=np.uint64)
        self._sizes = np.zeros(0, dtype=np.int64)
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
        best_key = None
        # Candidates come in the LSH's set order, which changes with Python's string hashing
        # from process to process: of equal shares, the earliest text wins, so that a run gives
        # the same stories however often it was stopped and started.
        ranks = np.array(sorted(self._rank[other] for other in self._lsh.query(minhash)), dtype=np.int64)
        if len(ranks):
            jaccard = np.count_nonzero(self._values[ranks] == minhash.hashvalues, axis=1) / len(minhash.hashvalues)
            shares = containments(jaccard, sketch.size, self._sizes[ranks])
            best = int(np.argmax(shares))  # the first of equal shares: the earliest text
            if shares[best] >= self._params.copy_min_containment:
                best_key = self._keys[ranks[best]]
        self._lsh.insert(key, minhash, check_duplication=False)
        self._remember([key], minhash.hashvalues[None, :], [sketch.size])
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
        for key, *bands in zip(keys, *band_keys):
            self._lsh.keys.insert(key, *bands)
        self._remember(keys, values, [sketch.size for sketch in sketches])

    def _remember(self, keys: Sequence[Hashable], values: np.ndarray, sizes: Sequence[int]) -> None:
        """Append texts' MinHash rows and sizes, growing the arrays by doubling."""
        count, needed = len(self._keys), len(self._keys) + len(keys)
        if needed > len(self._values):
            capacity = max(needed, 2 * len(self._values), 1024)
            self._values = np.resize(self._values, (capacity, self._values.shape[1]))
            self._sizes = np.resize(self._sizes, capacity)
        self._values[count:needed] = values
        self._sizes[count:needed] = sizes
        for offset, key in enumerate(keys):
            self._rank[key] = count + offset
        self._keys.extend(keys)

    def _minhash(self, values: np.ndarray | None = None) -> MinHash:
        return MinHash(num_perm=self._params.minhash_permutations, seed=_SEED, scheme=_SCHEME,
                       permutations=self._permutations,
                       hashvalues=None if values is None else values.astype(np.uint64))



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

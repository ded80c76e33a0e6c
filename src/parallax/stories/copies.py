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
        # The LSH's bands (datasketch's choice of bands and rows for the candidate Jaccard); the
        # candidates are found by _Bands, which keeps a few hundred bytes per text where
        # datasketch's dict-of-sets tables kept ten kilobytes.
        self._bands = _Bands(MinHashLSH(threshold=params.copy_candidate_jaccard,
                                        num_perm=params.minhash_permutations).hashranges)
        # Per text, by arrival rank: its key, MinHash values (a row of one growing matrix, so a
        # query scores all its candidates at once) and shingle count.
        self._keys: list[Hashable] = []
        self._rank: dict[Hashable, int] = {}
        self._values = np.zeros((0, params.minhash_permutations), dtype=np.uint32)
        self._sizes = np.zeros(0, dtype=np.int64)
        # A key indexed again answers for all its texts with its latest (as the LSH's key did):
        # per rank, the rank of its key's latest text, and the ranks of each such key.
        self._latest = np.zeros(0, dtype=np.int64)
        self._again: dict[Hashable, list[int]] = {}
        # One set of permutations shared by every sketch (each would otherwise keep a copy).
        self._permutations = MinHash(num_perm=params.minhash_permutations, seed=_SEED).permutations

    def sketch(self, text: str) -> Sketch | None:
        """The text's MinHash values and shingle count; None when it has no substantial line."""
        grams = shingles(text, self._params)
        if not grams:
            return None
        minhash = MinHash(num_perm=self._params.minhash_permutations, seed=_SEED, scheme=_SCHEME,
                          permutations=self._permutations)
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
        values = np.asarray(sketch.values, dtype=np.uint32)
        best_key = None
        # Candidates are the earlier texts sharing a band with this one, by arrival rank: of
        # equal shares, the earliest text wins, so that a run gives the same stories however
        # often it was stopped and started.
        ranks = self._bands.query(values, self._values)
        if len(ranks) and self._again:
            ranks = _distinct(self._latest[ranks])
        if len(ranks):
            jaccard = np.count_nonzero(np.take(self._values, ranks, axis=0) == values, axis=1) / len(values)
            shares = containments(jaccard, sketch.size, self._sizes[ranks])
            best = int(np.argmax(shares))  # the first of equal shares: the earliest text
            if shares[best] >= self._params.copy_min_containment:
                best_key = self._keys[ranks[best]]
        self._remember([key], values[None, :], [sketch.size])
        return best_key

    def restore_many(self, keys: Sequence[Hashable], sketches: Sequence[Sketch]) -> None:
        """Index texts seen before (rebuilding the index after a restart), asking nothing:
        what inserting them one by one does, all at once."""
        if not keys:
            return
        values = np.stack([sketch.values for sketch in sketches]).astype(np.uint32)  # as affine32 keeps them
        self._remember(keys, values, [sketch.size for sketch in sketches])

    def _remember(self, keys: Sequence[Hashable], values: np.ndarray, sizes: Sequence[int]) -> None:
        """Append texts' MinHash rows and sizes (growing the arrays by doubling) and index their bands."""
        count, needed = len(self._keys), len(self._keys) + len(keys)
        if needed > len(self._values):
            capacity = max(needed, 2 * len(self._values), 1024)
            self._values = np.resize(self._values, (capacity, self._values.shape[1]))
            self._sizes = np.resize(self._sizes, capacity)
            self._latest = np.resize(self._latest, capacity)
        self._values[count:needed] = values
        self._sizes[count:needed] = sizes
        self._latest[count:needed] = np.arange(count, needed)
        for rank, key in enumerate(keys, start=count):
            if key in self._rank:
                ranks = self._again.setdefault(key, [self._rank[key]])
                ranks.append(rank)
                self._latest[ranks] = rank
            self._rank[key] = rank
        self._keys.extend(keys)
        self._bands.insert(count, values)


class _Bands:
    """The LSH's band tables over texts' MinHash rows: which earlier rows share all the values of
    at least one band with a new one (what ``MinHashLSH.query`` answers, exactly).

    Each row's band is keyed by a 64-bit hash of the band's number and values. Most keys sit in
    one sorted array (with the row each came from), the latest few thousand rows' keys in a dict
    that is merged into it when full; memory is 12 bytes per band per row, no Python object per
    row. A hash names a band's values only nearly, so each candidate's band is compared with the
    query's values before it counts.
    """

    MERGE_ROWS = 4096

    def __init__(self, hashranges: Sequence[tuple[int, int]]) -> None:
        widths = {end - start for start, end in hashranges}
        starts = [start for start, _ in hashranges]
        if len(widths) != 1 or starts != [n * (hashranges[0][1] - hashranges[0][0]) for n in range(len(starts))]:
            raise ValueError("bands of equal width, one after another")
        self._bands, self._width = len(hashranges), widths.pop()
        self._keys = np.zeros(0, dtype=np.uint64)
        self._ranks = np.zeros(0, dtype=np.int32)
        self._recent: dict[int, list[int]] = {}
        self._recent_rows = 0

    def _hashes(self, values: np.ndarray) -> np.ndarray:
        """(rows, bands) 64-bit keys of each row's bands."""
        bands = values[:, :self._bands * self._width].reshape(len(values), self._bands, self._width).astype(np.uint64)
        with np.errstate(over="ignore"):
            mixed = np.arange(1, self._bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
            for column in range(self._width):
                mixed = (mixed ^ bands[:, :, column]) * np.uint64(0xBF58476D1CE4E5B9)
                mixed ^= mixed >> np.uint64(29)
            mixed = (mixed * np.uint64(0x94D049BB133111EB)) ^ (mixed >> np.uint64(32))
        return np.asarray(mixed, dtype=np.uint64).reshape(len(values), self._bands)

    def insert(self, first: int, values: np.ndarray) -> None:
        """Index rows ``first``, ``first + 1`` ... (their values in ``values``)."""
        hashes = self._hashes(values)
        if len(values) > self.MERGE_ROWS:
            self._merge(hashes.ravel(), np.repeat(np.arange(first, first + len(values), dtype=np.int32), self._bands))
            return
        for offset, row in enumerate(hashes.tolist()):
            for key in row:
                self._recent.setdefault(key, []).append(first + offset)
        self._recent_rows += len(values)
        if self._recent_rows >= self.MERGE_ROWS:
            keys = np.fromiter(self._recent.keys(), dtype=np.uint64, count=len(self._recent))
            counts = [len(ranks) for ranks in self._recent.values()]
            ranks = np.fromiter((r for rs in self._recent.values() for r in rs), dtype=np.int32, count=sum(counts))
            self._merge(np.repeat(keys, counts), ranks)
            self._recent, self._recent_rows = {}, 0

    def _merge(self, keys: np.ndarray, ranks: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        keys, ranks = keys[order], ranks[order]
        at = np.searchsorted(self._keys, keys)
        self._keys = np.insert(self._keys, at, keys)
        self._ranks = np.insert(self._ranks, at, ranks)

    def query(self, values: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The ranks (ascending) of the rows of ``rows`` sharing a band with ``values``."""
        hashes = self._hashes(values[None, :])[0]
        low = np.searchsorted(self._keys, hashes, side="left")
        high = np.searchsorted(self._keys, hashes, side="right")
        counts = high - low
        found = int(counts.sum())
        band_of = np.repeat(np.arange(self._bands), counts)
        ranks = self._ranks[np.repeat(low - np.cumsum(counts) + counts, counts) + np.arange(found)].astype(np.int64) \
            if found else np.zeros(0, dtype=np.int64)
        if self._recent:
            recent = [(rank, band) for band, key in enumerate(hashes.tolist()) for rank in self._recent.get(key, ())]
            if recent:
                more = np.array(recent, dtype=np.int64)
                ranks, band_of = np.concatenate([ranks, more[:, 0]]), np.concatenate([band_of, more[:, 1]])
        if not len(ranks):
            return ranks
        # Each (row, band) found is checked by its band's values, read from the rows as one flat
        # array (a 2-D fancy index costs twice as much), and the rows kept are sorted and told
        # apart by hand (np.unique hashes first: 10 times slower on the ~10,000 rows a text of
        # the replay's common furniture finds at 1M, which set the 1M window's p95).
        columns = band_of[:, None] * self._width + np.arange(self._width)
        same = np.all(np.take(rows.reshape(-1), ranks[:, None] * rows.shape[1] + columns) == values[columns], axis=1)
        return _distinct(ranks[same])


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending (``np.unique`` without its hashing pass)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


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

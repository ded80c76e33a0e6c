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
from collections.abc import Hashable

from datasketch import MinHash, MinHashLSH

from parallax.stories.params import StoryParams

# Han, kana and Hangul have no spaces: each character is a token there.
_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+")
_SEED = 1


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
        self._sketches: dict[Hashable, tuple[MinHash, int]] = {}

    def add(self, key: Hashable, text: str) -> Hashable | None:
        """Index ``text`` under ``key``; return the key of the earlier text it copies, if any.

        The earlier text containing the most of this one wins; a copy of a copy then joins the
        same story as the first, since callers map each key to its original's story.
        """
        grams = shingles(text, self._params)
        if not grams:
            return None
        sketch = MinHash(num_perm=self._params.minhash_permutations, seed=_SEED)
        sketch.update_batch([g.encode("utf-8") for g in grams])
        best_key, best = None, self._params.copy_min_containment
        for other in self._lsh.query(sketch):
            other_sketch, other_size = self._sketches[other]
            share = containment(sketch.jaccard(other_sketch), len(grams), other_size)
            if share >= best:
                best_key, best = other, share
        self._lsh.insert(key, sketch)
        self._sketches[key] = (sketch, len(grams))
        return best_key

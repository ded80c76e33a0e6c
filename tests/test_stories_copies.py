"""Near-duplicate folding: wire copies fold despite furniture and truncation; others don't."""
import numpy as np

from parallax.stories.copies import CopyIndex, containments, shingles
from parallax.stories.params import load_story_params

WIRE = (
    "MOSCOW - U.S. President Donald Trump invited his Russian counterpart Vladimir Putin to the "
    "United States during a phone call, and said he would be glad to see Putin in the White "
    "House, RIA Novosti reported on Friday, citing the Russian Foreign Ministry.\n"
    "The news agency quoted Foreign Minister Sergei Lavrov as saying Trump returned to the "
    "subject of an invitation a couple of times during a call last month and that Russia was "
    "now expecting Trump to formalize the invitation.\n"
    "Lavrov said Moscow would consider any date the White House proposed and that the two "
    "sides were talking about arms control, Syria and Ukraine before any summit could happen."
)
OTHER = (
    "SINGAPORE: A man who sexually assaulted two teenage girls in his youth group was given "
    "21 months of probation on Tuesday, and ordered to do 60 hours of community service.\n"
    "The court heard that he stalked his former girlfriend after she ended the relationship, "
    "and that he had been assessed as suitable for psychological treatment."
)


def test_copy_with_other_furniture_folds_onto_original() -> None:
    index = CopyIndex(load_story_params())
    assert index.add("reuters", "Image\n" + WIRE + "\nReporting by Moscow bureau") is None
    reposted = "Watch CBS News\nAdvertisement\n" + WIRE + "\nShare this article on Facebook\n© 2018"
    assert index.add("repost", reposted) == "reuters"


def test_truncated_copy_folds_onto_full_text() -> None:
    index = CopyIndex(load_story_params())
    index.add("full", WIRE)
    first_two_paragraphs = "\n".join(WIRE.splitlines()[:2])
    assert index.add("short", first_two_paragraphs) == "full"


def test_different_happenings_are_not_copies() -> None:
    index = CopyIndex(load_story_params())
    index.add("wire", WIRE)
    assert index.add("court", OTHER) is None


def test_short_lines_do_not_count_and_containment_is_bounded() -> None:
    params = load_story_params()
    assert shingles("Image\nWatch CBS News", params) == set()
    assert containments(np.array([1.0, 0.0, 0.5]), 10, np.array([10, 10, 0])).tolist() == [1.0, 0.0, 0.0]
    assert containments(np.array([0.5]), 0, np.array([10])).tolist() == [0.0]


def test_restored_index_finds_what_the_one_it_was_saved_from_finds() -> None:
    """A restart restores every stored sketch at once; what a new text copies must not change."""
    params = load_story_params()
    texts = {"wire": WIRE, "court": OTHER, "short": "\n".join(WIRE.splitlines()[:2]),
             "court-repost": "Advertisement\n" + OTHER + "\nRead more"}
    built, restored = CopyIndex(params), CopyIndex(params)
    sketches = {key: built.sketch(text) for key, text in texts.items()}
    for key, sketch in sketches.items():
        built.add_sketch(key, sketch)
    restored.restore_many(list(sketches), list(sketches.values()))
    newcomers = ["Watch CBS News\n" + WIRE, OTHER.splitlines()[0] + "\n" + OTHER.splitlines()[1], "Nothing alike here."
                 " The council met on Tuesday to discuss the budget for roads, schools and the city library."]
    for n, text in enumerate(newcomers):
        sketch = built.sketch(text)
        assert sketch is not None
        assert built.add_sketch(f"new{n}", sketch) == restored.add_sketch(f"new{n}", sketch)
    assert built.add_sketch("again", sketches["wire"]) == restored.add_sketch("again", sketches["wire"]) == "wire"


def test_band_index_finds_what_datasketch_lsh_finds() -> None:
    """The copy index's own band tables answer exactly what MinHashLSH's query answers, through
    merges of the recent rows into the sorted ones, a bulk restore, and keys indexed again."""
    from datasketch import MinHash, MinHashLSH

    from parallax.stories.copies import _Bands

    params = load_story_params()
    lsh = MinHashLSH(threshold=params.copy_candidate_jaccard, num_perm=params.minhash_permutations)
    bands = _Bands(lsh.hashranges)
    bands.MERGE_ROWS = 50  # type: ignore[misc]
    rng = np.random.default_rng(7)
    # Few distinct values per column, so bands are often shared in part and in whole.
    rows = rng.integers(0, 3, size=(700, params.minhash_permutations)).astype(np.uint32)
    bands.insert(0, rows[:120])  # a restore: more rows than a merge holds, at once
    for rank in range(120):
        lsh.insert(rank, MinHash(num_perm=params.minhash_permutations, scheme="affine32", hashvalues=rows[rank]),
                   check_duplication=False)
    for rank in range(120, len(rows)):
        query = MinHash(num_perm=params.minhash_permutations, scheme="affine32", hashvalues=rows[rank])
        assert bands.query(rows[rank], rows).tolist() == sorted(lsh.query(query))
        bands.insert(rank, rows[rank][None, :])
        lsh.insert(rank, query, check_duplication=False)


def test_band_index_drops_rows_found_only_by_a_band_hash_collision() -> None:
    """A band's 64-bit hash names its values only nearly: a row whose band hash matches the
    query's but whose values differ in every band is no candidate (hashes cut to 2 bits here,
    so most rows collide)."""
    from datasketch import MinHash, MinHashLSH

    from parallax.stories.copies import _Bands

    class Colliding(_Bands):
        def _hashes(self, values: np.ndarray) -> np.ndarray:
            return super()._hashes(values) & np.uint64(3)

    params = load_story_params()
    lsh = MinHashLSH(threshold=params.copy_candidate_jaccard, num_perm=params.minhash_permutations)
    bands = Colliding(lsh.hashranges)
    rows = np.random.default_rng(3).integers(0, 4, size=(300, params.minhash_permutations)).astype(np.uint32)
    bands.insert(0, rows[:100])
    for rank in range(100):
        lsh.insert(rank, MinHash(num_perm=params.minhash_permutations, scheme="affine32", hashvalues=rows[rank]),
                   check_duplication=False)
    found_by_hash = 0
    for rank in range(100, len(rows)):
        query = MinHash(num_perm=params.minhash_permutations, scheme="affine32", hashvalues=rows[rank])
        expected = sorted(lsh.query(query))
        assert bands.query(rows[rank], rows).tolist() == expected
        collided = (bands._hashes(rows[:rank]) == bands._hashes(rows[rank][None, :])).any(axis=1)
        found_by_hash += int(collided.sum()) - len(expected)
        bands.insert(rank, rows[rank][None, :])
        lsh.insert(rank, query, check_duplication=False)
    assert found_by_hash > 0


def test_a_key_indexed_again_answers_with_its_latest_text() -> None:
    index = CopyIndex(load_story_params())
    index.add("wire", WIRE)
    index.add("wire", OTHER)
    assert index.add("court", "Advertisement\n" + OTHER + "\nRead more") == "wire"
    assert index.add("short", "\n".join(WIRE.splitlines()[:2])) is None

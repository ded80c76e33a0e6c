"""The thresholds and weights of story building, read from ``resources/stories.json``.

They live in a resource file, not in code, because each one was chosen on dev data by
``benchmarks/clustering.py`` / ``benchmarks/similarity.py`` (the file says how), and a new
choice should be a data change that the benchmarks can re-check.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class StoryParams:
    # What the embedding sees: the title and this many characters of the body.
    lead_chars: int
    # Near-duplicate folding: word shingles of this size, MinHash with this many permutations,
    # LSH candidates from this Jaccard, a copy when the smaller text is this much inside the other.
    shingle_words: int
    minhash_permutations: int
    copy_candidate_jaccard: float
    copy_min_containment: float
    # Lines shorter than this many words are furniture-prone (bylines, "Image", "Watch ...").
    copy_min_line_words: int
    # Online clustering: how many nearest earlier articles are consulted.
    neighbours: int
    # Join a story at join_threshold, merge two stories an article bridges at merge_threshold
    # (kept at or above join_threshold), link storylines at storyline_threshold.
    # An article's score for a story mixes its best neighbour there with the story's centroid
    # (weight of the centroid): pure nearest-neighbour linkage chains unrelated stories.
    centroid_weight: float
    join_threshold: float
    merge_threshold: float
    storyline_threshold: float
    # A crowded neighbourhood raises the bar: the score for a story is lowered by
    # background_weight times how far the mean cosine of the article's background_neighbours
    # nearest articles outside that story exceeds background_floor (see cluster.py, _crowding).
    background_neighbours: int
    background_weight: float
    background_floor: float
    # A story is bounded in time: articles further apart than this never share a story.
    story_days: int
    storyline_days: int
    # Days named only in texts (neither article dated by publication) further apart than
    # story_days lower the score for joining by this much instead of keeping the two apart.
    told_days_penalty: float
    # In the store: an article's principal entities are its this many most-mentioned entities
    # of these types (storylines link only through a shared one). Countries are left out: they
    # are the setting of most international news, not its actors.
    principal_entities: int
    principal_entity_types: tuple[str, ...]


@lru_cache(maxsize=1)
def load_story_params() -> StoryParams:
    """The shipped parameters (the ``"params"`` object of ``resources/stories.json``)."""
    raw = json.loads(resources.files("parallax").joinpath("resources/stories.json").read_text("utf-8"))
    values = raw["params"]
    values = {**values, "principal_entity_types": tuple(values["principal_entity_types"])}
    return StoryParams(**{f.name: values[f.name] for f in fields(StoryParams)})

"""The fixed tune/validation split of the comparison dev set (issue 10).

The split is a seeded hash of the item id so it is settled before anything is tuned and cannot
drift with the labels or the order of the file: an item's half depends on its id alone.
"""
from __future__ import annotations

import hashlib

SEED = "parallax-compare-v1:"


def split_of(item_id: str) -> str:
    """Return "validation" or "tune" for an item id; validation items are not read while tuning."""
    digest = hashlib.sha256((SEED + item_id).encode()).hexdigest()
    return "validation" if int(digest, 16) % 2 == 0 else "tune"

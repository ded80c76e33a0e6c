"""The fixed tune/validation halves of the reading benchmarks (issue 12: clustering, events, times).

An item's half is a seeded hash of its id, so the split is settled before anything is tuned and
cannot drift with the order of a file or with the labels: rules and thresholds are built looking
at the tune half only, and the validation half is what a benchmark reports as the honest figure.
"""
from __future__ import annotations

import hashlib

VALIDATION, TUNE = "validation", "tune"


def half(item_id: str, salt: str) -> str:
    """``"validation"`` or ``"tune"`` for an item id; ``salt`` names the data set, so two sets'
    halves are drawn independently."""
    digest = hashlib.sha256(f"parallax-holdout-v1:{salt}:{item_id}".encode()).hexdigest()
    return VALIDATION if int(digest, 16) % 2 == 0 else TUNE

"""Parallax: read the news at scale.

spaCy's thinc imports torch, when it is installed, only to offer it as a backend (``thinc.compat``);
nothing Parallax runs through spaCy needs it (the English model and the lead embedder run on
numpy), and that import is about 2 s CPU, more than half of spaCy's import and a tenth of the CPU
an ingest of 89 articles spends. So thinc's own attempt finds no torch (:class:`_TorchOutOfThinc`);
torch itself still imports for the code that needs it (the comparison's sentence encoder), before
or after spaCy.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType


class _TorchOutOfThinc:
    """An import finder that answers "no torch" to thinc's torch probe alone: while
    ``thinc.compat`` is executing and has not yet decided ``has_torch``. Torch already imported
    never reaches a finder, and thinc then uses it as before."""

    @staticmethod
    def find_spec(name: str, path: Sequence[str] | None = None, target: ModuleType | None = None) -> ModuleSpec | None:
        compat = sys.modules.get("thinc.compat")
        if name == "torch" and compat is not None and not hasattr(compat, "has_torch"):
            raise ModuleNotFoundError("torch is not offered to thinc (see parallax/__init__.py)", name=name)
        return None


if not any(isinstance(finder, _TorchOutOfThinc) for finder in sys.meta_path):
    sys.meta_path.insert(0, _TorchOutOfThinc())

"""Language identification per article (py3langid, a pure-Python langid.py with its model)."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Scanning a whole long article adds nothing: the opening few thousand characters settle it.
_SAMPLE_CHARS = 4000


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # numpy and the model: at first use

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str, min_confidence: float, min_chars: int) -> str | None:
    """ISO 639-1 code of ``text``, or None when the text is too short or the model unsure."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < min_chars:
        return None
    code, prob = _identifier().classify(sample)
    return code if prob >= min_confidence else None

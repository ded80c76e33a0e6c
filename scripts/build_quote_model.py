"""Build src/parallax/resources/quote_model.json: the learned attribution-cue scorer.

    .venv/bin/python scripts/build_quote_model.py [--out PATH]

Data: PolNeAR dev (../shared/data/quotes-dev/polnear-dev, read by benchmarks/quotes.py: one
annotation per article). PolNeAR's train split is not here, so the benchmark scores the model
cross-validated (``benchmarks/quotes.py --cv 5`` builds it on the other folds' articles with
:func:`train`).

Three logistic regressions over the named features of :class:`parallax.annotate.quotes.QuoteFinder`:

- content: for each dependent of a candidate cue that lies in a gold Cue span, is most of the
  dependent's subtree inside that relation's Content? (which complement to take);
- cue: for each candidate (a verb or noun the lexicon does not take, with a complement), does it
  lie in the Cue span of a gold relation the lexicon-only finder misses, with the content the
  content model picks overlapping that relation's Content at IoU >= 0.3? The label is the
  candidate's worth as an added prediction, so the threshold is the F1 trade-off: an added
  prediction raises F1 when it is right more often than F1 / 2 (0.4 at the lexicon's 0.72,
  ``CUE_THRESHOLD``, checked under 5-fold CV);
- keep: for each indirect or mixed quote of a lexicon cue that the finder (with the two models
  above) gives, does it match a gold relation? A quote is dropped below ``KEEP_THRESHOLD``, the
  same F1 / 2 trade-off seen from the other side.

Regularisation C for each is chosen by article-grouped 5-fold CV log-loss on the training
articles. liblinear with a fixed seed, weights rounded: the same data gives the same JSON on any machine,
because :func:`parse` recomputes the context vectors in float64 (see there).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import numpy
from spacy.tokens import Doc
from thinc.api import Model, NumpyOps

from parallax.annotate.quotes import NON_CONTENT_DEPS, LinearModel, QuoteFinder, QuoteModel
from parallax.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "parallax" / "resources" / "quote_model.json"
VERSION = "1"
SEED = 0
FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
CUE_THRESHOLD = 0.4
CONTENT_THRESHOLD = 0.5
MIN_IOU = 0.3
KEEP_THRESHOLD = 0.37
# A cue model that never fires: the finder the content examples and the cue labels are read with.
_SILENT = LinearModel(0.0, {}, math.inf)
# A keep model that drops nothing: the finder the keep examples are read with.
_ALWAYS = LinearModel(0.0, {}, -math.inf)


def benchmark() -> ModuleType:
    """benchmarks/quotes.py, which reads the PolNeAR gold (loaded once, under one name)."""
    name = "quotes_benchmark"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "quotes.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return sys.modules[name]


def _float64_tok2vec() -> Model:
    """A float64 copy of the pipeline's tok2vec, run without BLIS."""
    model = load_nlp().get_pipe("tok2vec").model.copy()
    ops = NumpyOps(use_blis=False)
    for node in model.walk():
        node.ops = ops
        for name in node.param_names:
            if node.has_param(name):
                node.set_param(name, node.get_param(name).astype(numpy.float64))
    return model


def parse(texts: Iterable[str]) -> list[Doc]:
    """The articles parsed by the shared pipeline, each ``Doc.tensor`` recomputed in float64.

    The float32 tensor depends on the CPU: BLIS picks its matrix kernel by CPU ('generic' on
    an AMD Zen 5, 'haswell' or 'zen2' on older ones), and the other float32 steps (layer
    norms) vary with it, so the context vectors differ in the 7th digit (91% of values, at most 2e-6 on PolNeAR dev)
    and the learned weights in the 5th: the JSON could be rebuilt only on the machine kind
    that built it. Summed in float64 and rounded to float32 the vectors come out with the
    same bits on every CPU (checked against an emulated Haswell), and they differ from the
    float32 ones the running finder sees by at most 1.2e-6. The parse itself is untouched.
    """
    tok2vec = _float64_tok2vec()
    docs = list(load_nlp().pipe(texts))
    for doc in docs:
        doc.tensor = tok2vec.predict([doc])[0].astype(numpy.float32)
    return docs


def _chars(tokens: list) -> set[int]:
    return {i for t in tokens for i in range(t.idx, t.idx + len(t.text))}


def _iou(a: set[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _fit(rows: list[tuple[dict[str, float], int, int]], threshold: float) -> dict:
    """A logistic regression with C chosen by grouped CV log-loss, as plain JSON weights."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.model_selection import GroupKFold

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([features for features, _, _ in rows]).tocsr()
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear takes 32-bit indices only
    y = [label for _, label, _ in rows]
    groups = [group for _, _, group in rows]

    def model(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, solver="liblinear", random_state=SEED, max_iter=1000)

    losses = {}
    for c in C_GRID:
        loss = 0.0
        for train, test in GroupKFold(n_splits=FOLDS).split(x, y, groups):
            if len(set(y[i] for i in train)) < 2:
                continue
            fitted = model(c).fit(x[train], [y[i] for i in train])
            loss += log_loss([y[i] for i in test], fitted.predict_proba(x[test])[:, 1], labels=[0, 1]) * len(test)
        losses[c] = loss
    best = min(C_GRID, key=lambda c: (losses[c], c))
    fitted = model(best).fit(x, y)
    weights = {
        name: round(float(w), 5)
        for name, w in sorted(zip(vectorizer.get_feature_names_out(), fitted.coef_[0]))
        if abs(w) >= 1e-5
    }
    return {
        "C": best,
        "examples": len(y),
        "positives": sum(y),
        "threshold": threshold,
        "bias": round(float(fitted.intercept_[0]), 5),
        "weights": weights,
    }


def content_rows(docs: list[Doc], golds: list[list]) -> list[tuple[dict[str, float], int, int]]:
    rows = []
    for group, (doc, gold) in enumerate(zip(docs, golds)):
        finder = QuoteFinder(doc, None)
        for quote in gold:
            for token in doc:
                if token.idx not in quote.cue_chars or not finder.is_candidate(token):
                    continue
                for child in token.children:
                    if child.dep_ in NON_CONTENT_DEPS:
                        continue
                    chars = _chars(list(child.subtree))
                    inside = len(chars & quote.chars) / len(chars) if chars else 0.0
                    rows.append((finder.content_features(token, child), int(inside > 0.5), group))
    return rows


def cue_rows(docs: list[Doc], golds: list[list], content: QuoteModel) -> list[tuple[dict[str, float], int, int]]:
    bench = benchmark()
    rows = []
    for group, (doc, gold) in enumerate(zip(docs, golds)):
        finder = QuoteFinder(doc, content)
        matched = {g for g, _ in bench.match(gold, bench.group_predictions(QuoteFinder(doc, None).find()))}
        missed = [quote for g, quote in enumerate(gold) if g not in matched]
        for token in doc:
            if not finder.is_candidate(token):
                continue
            tokens = finder.learned_content(token)
            if not tokens:
                continue
            chars = _chars(tokens)
            label = any(token.idx in q.cue_chars and _iou(chars, q.chars) >= MIN_IOU for q in missed)
            rows.append((finder.cue_features(token), int(label), group))
    return rows


def keep_rows(docs: list[Doc], golds: list[list], model: QuoteModel) -> list[tuple[dict[str, float], int, int]]:
    bench = benchmark()
    rows = []
    for group, (doc, gold) in enumerate(zip(docs, golds)):
        finder = QuoteFinder(doc, model)
        predicted = bench.group_predictions(finder.find())
        matched = {p for _, p in bench.match(gold, predicted)}
        events = {event.cue_span.start: event for event in finder.events}
        for p, prediction in enumerate(predicted):
            quote = prediction.quotes[0]
            event = events.get(quote.cue.start) if quote.cue is not None else None
            if event is None or event.learned or quote.kind == "direct":
                continue
            rows.append((finder.keep_features(event, finder.written_kind(quote.content)), int(p in matched), group))
    return rows


def train(docs: list[Doc], golds: list[list]) -> dict:
    """The model JSON learned from these parsed articles and their gold relations."""
    content = _fit(content_rows(docs, golds), CONTENT_THRESHOLD)
    with_content = QuoteModel(VERSION, _SILENT, LinearModel.from_json(content), _ALWAYS)
    cue = _fit(cue_rows(docs, golds, with_content), CUE_THRESHOLD)
    with_cue = QuoteModel(VERSION, LinearModel.from_json(cue), LinearModel.from_json(content), _ALWAYS)
    keep = _fit(keep_rows(docs, golds, with_cue), KEEP_THRESHOLD)
    return {
        "version": VERSION,
        "about": "Learned attribution cues beyond the lexicon (see parallax.annotate.quotes); built by scripts/build_quote_model.py.",
        "trained_on": f"PolNeAR dev, {len(docs)} articles (one annotation each)",
        "cue": cue,
        "content": content,
        "keep": keep,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    bench = benchmark()
    if not bench.DATA.is_dir():
        print(f"no PolNeAR dev data at {bench.DATA}", file=sys.stderr)
        return 1
    pairs = bench.articles()
    docs = parse(path.read_text("utf-8") for path, _ in pairs)
    model = train(docs, [bench.read_gold(ann) for _, ann in pairs])
    args.out.write_text(json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    print(f"{args.out}: " + ", ".join(
        f"{name} C {model[name]['C']} ({model[name]['positives']}/{model[name]['examples']} positive)" for name in ("cue", "content", "keep")
    ))
    return 0


if __name__ == "__main__":
    sys.exit(main())

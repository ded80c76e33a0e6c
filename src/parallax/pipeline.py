"""The ingest pipeline: the order-free stages mapped over batches, one writer in a fixed order.

    driver: read → skip inputs already stored → batches of documents ──┐
    map (anywhere: this process, worker processes, Ray actors):        │ process_batch
        clean → annotate (spaCy ``nlp.pipe`` over the batch) → embed  ◄┘
    driver: one writer, in source order:
        exact dedup and storing → annotations (cross-article entity linking) and lead vectors

What each document becomes depends on that document alone, so the map can run anywhere and in
any order; what depends on order (which of two equal texts is kept, which stored entity a bare
surname joins, and after the run the story each article joins, in article-id order:
``jobs.run_ingest``) happens in the writer, which writes the results in source order whatever
order they arrive in. The batches are cut in the driver, so every engine parses the same
documents together: a serial run, a run with worker processes and a Ray run write the same store.

(Source order, not publication day then source order: on the bundled demo, writing each window
of 512 documents by publication day joined one story fewer across outlets: 2 instead of 3.)

A worker failure is retried: a batch whose worker died is run again one document at a time, and
a document that fails alone too becomes one Skip line (E196); the run goes on.

The mapped stage is a plain function of its batch (``process_batch``); ``engines.py`` runs it
in this process, in worker processes or on Ray.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from parallax.budget import OverBudget, time_budget
from parallax.errors import Errors
from parallax.model import Article, RawDocument, Skip
from parallax.settings import Options

if TYPE_CHECKING:
    from parallax.annotate import Annotations

# Documents parsed together (spaCy's ``nlp.pipe`` batch) and sent to a worker as one task.
BATCH_DOCUMENTS = 16


@dataclass(frozen=True)
class MapConfig:
    """What the mapped stage needs besides its documents: picklable, sent once per worker."""

    options: Options
    annotate: bool = True


@dataclass(frozen=True)
class Batch:
    """Documents mapped together, each with its place in source order (``seq``); a reader's Skip
    rides along to be recorded in its place."""

    index: int
    tasks: tuple[tuple[int, RawDocument | Skip], ...]


@dataclass
class Processed:
    """One document after the order-free stages: an article (with its annotation JSON when
    annotated) or the reason it was skipped, and the CPU seconds each stage spent on it."""

    seq: int
    doc: RawDocument | Skip
    outcome: Article | Skip
    annotation: dict[str, Any] | None = None
    annotator: str | None = None  # the annotator version that made ``annotation``
    failure: str | None = None  # why annotation failed on the article (it is stored without, and retried)
    vector: tuple[str, bytes] | None = None  # the lead vector story assignment reads, with its model's name
    cpu: dict[str, float] = field(default_factory=dict)


MapFunction = Callable[[Batch, MapConfig], list[Processed]]


def batches(items: Iterable[tuple[int, RawDocument | Skip]], size: int = BATCH_DOCUMENTS) -> Iterator[Batch]:
    """Cut (seq, document) pairs into numbered batches, in order."""
    iterator = iter(items)
    index = 0
    while chunk := tuple(islice(iterator, size)):
        yield Batch(index, chunk)
        index += 1


def process_batch(batch: Batch, config: MapConfig) -> list[Processed]:
    """Clean every document of the batch, annotate the articles and embed their leads for story
    assignment (a plain function of its batch: it reads and writes nothing else, and loads its
    models once per process)."""
    from parallax.jobs import clean_one

    results: list[Processed] = []
    for seq, doc in batch.tasks:
        start = time.process_time()
        outcome = doc if isinstance(doc, Skip) else clean_one(doc, config.options)
        results.append(Processed(seq, doc, outcome, cpu={"clean": time.process_time() - start}))
    if config.annotate:
        _annotate([r for r in results if isinstance(r.outcome, Article)], config.options.document_seconds)
        _embed([r for r in results if isinstance(r.outcome, Article)])
    return results


def _embed(results: Sequence[Processed]) -> None:
    """The articles' lead vectors, as story assignment would embed them in the driver after the
    run (an article left without one, when embedding fails here, is embedded there)."""
    from parallax.stories.embed import lead_vectors, vector_model
    from parallax.stories.params import load_story_params

    if not results:
        return
    params = load_story_params()
    start = time.process_time()
    try:
        vectors = lead_vectors([(r.outcome.title or "", r.outcome.text) for r in results
                                if isinstance(r.outcome, Article)], params)
    except Exception:  # noqa: BLE001 - the assigner embeds it again and records a failure there
        return
    share = (time.process_time() - start) / len(results)
    for result, vector in zip(results, vectors):
        result.vector = (vector_model(params), vector)
        result.cpu["embed"] = share


class OverAnnotationBudget(Exception):
    """Annotation ran past its wall-clock budget: a slow pass or a pathological pattern on one
    hostile text, which must cost that article (E197, retried by the next run), never the run."""


def annotate_within(items: Sequence[tuple[str, date | None, str | None, str | None]], seconds: float) -> list[Annotations]:
    """``annotate_many`` over the items, stopped when it runs past ``seconds`` per item (none when
    0; the timer works in a process's main thread, where the serial and process engines annotate)."""
    from parallax.annotate import annotate_many

    try:
        with time_budget(seconds * len(items)):
            return list(annotate_many(items, batch_size=len(items)))
    except OverBudget:
        raise OverAnnotationBudget(f"ran past its {seconds * len(items):g}s budget (document_seconds)") from None


def _annotate(results: Sequence[Processed], seconds: float) -> None:
    """Annotate the articles as one ``nlp.pipe`` batch; one that breaks the annotator is stored
    unannotated with its reason (E197, retried by the next run) and the others are annotated
    again without it."""
    from parallax.annotate import ANNOTATOR_VERSION

    if not results:
        return
    articles = [r.outcome for r in results]
    assert all(isinstance(a, Article) for a in articles)
    items = [(a.text, a.published.day() if a.published else None, a.language, a.outlet)
             for a in articles if isinstance(a, Article)]
    start = time.process_time()
    try:
        annotated = [a.to_json() for a in annotate_within(items, seconds)]
    except Exception as exc:  # noqa: BLE001 - one odd article must never stop a run of thousands
        if len(results) == 1:
            results[0].failure = annotation_failure(exc)
            return
        for result in results:
            _annotate([result], seconds)
        return
    share = (time.process_time() - start) / len(results)
    for result, annotation in zip(results, annotated):
        result.annotation, result.annotator = annotation, ANNOTATOR_VERSION
        result.cpu["annotate"] = share


# One short article as a page and as a text file, mapped once by ``warm``: what the stages load
# on first use (spaCy's pipeline and the lead embedder, but also the language identifier, the
# page cleaner's models, the gazetteer, the annotators' lexicons; ≈ 1.8 s CPU of a VOA run's
# first batch beyond loading spaCy and the embedder) is then loaded before the first real batch.
# "at the United Nations" is there for the gazetteer (≈ 0.7 s CPU): the claims annotator reads it
# only for a name the tagger did not call a place after a locative preposition; without it, each
# forked worker loaded its own copy at its first such name.
WARM_TEXT = ('Officials in Geneva said on Monday that the talks would resume next week at the United Nations. '
             '"We are ready to work with everyone," the foreign minister told reporters, according to the agency.')
WARM_BATCH = Batch(-1, (
    (0, RawDocument("warm.txt", "text/plain", f"Talks to resume\n\n{WARM_TEXT}\n".encode())),
    (1, RawDocument("warm.html", "text/html", (f"<html><head><title>Talks to resume</title></head><body><article>"
                                                f"<h1>Talks to resume</h1><p>{WARM_TEXT}</p></article></body></html>").encode(),
                    url="https://example.org/2024/01/15/talks")),
))


@lru_cache(maxsize=1)
def warm(config: MapConfig) -> None:
    """Load everything the mapped stage loads on first use once per process, before the first
    batch, by mapping ``WARM_BATCH``: so a worker forked after ``warm`` (``engines.py``) shares
    all of it with the driver instead of loading its own."""
    process_batch(WARM_BATCH, config)


def annotation_failure(exc: BaseException) -> str:
    """The one-line reason annotation failed on an article (E197)."""
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    return Errors.E197.format(detail=detail)


def failed_alone(doc: RawDocument, detail: str) -> Skip:
    """The Skip of a document whose worker failed on it twice."""
    return Skip(doc.origin, Errors.E196.format(detail=detail))


class InOrder:
    """Results arriving in any order, handed back batch by batch in source order."""

    def __init__(self) -> None:
        self._held: dict[int, list[Processed]] = {}
        self._next = 0

    def add(self, batch_index: int, results: list[Processed]) -> Iterator[list[Processed]]:
        """Keep one batch's results; yield every batch now next in line, in order."""
        self._held[batch_index] = results
        while self._next in self._held:
            yield self._held.pop(self._next)
            self._next += 1

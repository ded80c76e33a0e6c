"""Jobs: the one place the stages are put in sequence.

    read → clean → store → annotate → stories → story views → alerts → webhooks

``run_ingest`` runs the whole sequence; the CLI (and anything else that ingests) calls it and
prints what it returns. A job holds no state of its own (the store does), reports each outcome
through a callback so that the CLI can draw progress and print skips, and keeps going past any
single bad input. The heavy stacks (spaCy, the embedding models, trafilatura) are
imported inside the jobs that need them, so a command that only reads the store starts fast.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from parallax.budget import OverBudget, time_budget
from parallax.clean.encoding import sanitize
from parallax.errors import Errors, InputError, StoreError
from parallax.model import Article, RawDocument, Skip
from parallax.settings import Options
from parallax.store import Store
from parallax.store.gateway import now

if TYPE_CHECKING:
    from parallax.aliases import Merge
    from parallax.engines import Engine
    from parallax.ingest.registry import ReadContext
    from parallax.pipeline import Batch, MapConfig, MapFunction, Processed
    from parallax.views.watch import Alert
    from parallax.webhooks import DeliveryReport

# The smallest story whose view ingest makes ahead of its page (``refresh_story_views``): stories
# changed by the run, filed into, merged or re-annotated since it began.
VIEWS_MIN_ARTICLES = 2
# Called once per document with (status, origin, detail): status is "ingested",
# "duplicate" or "skipped", or "failed" for a stored article a stage failed on; detail is the
# article title or the reason it was skipped or failed.
Progress = Callable[[str, str, str], None]


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicate: int = 0
    annotated: int = 0
    skipped: list[Skip] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)  # the articles this run added
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds the mapped stages spent, by stage

    def to_json(self) -> dict[str, object]:
        return {
            "ingested": self.ingested,
            "duplicate": self.duplicate,
            "skipped": len(self.skipped),
            "skips": [{"origin": s.origin, "reason": s.reason} for s in self.skipped],
        }


@dataclass
class IngestRun:
    """What one ``run_ingest`` did, stage by stage."""

    summary: IngestSummary
    annotated: int
    assigned: int
    alerts: list[Alert]
    delivery: DeliveryReport
    views: int = 0  # story views made ahead of the pages (``refresh_story_views``)


def run_ingest(
    sources: Sequence[str],
    store: Store,
    options: Options,
    *,
    annotate: bool = True,
    engine: str = "process",
    workers: int | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    context: ReadContext | None = None,
) -> IngestRun:
    """The whole sequence for new inputs, the order-free stages on the named engine (``serial``,
    ``process`` or ``ray``, see ``engines.py``): with ``annotate``, what the store already holds
    without current annotations is annotated first, then every new article is stored annotated,
    then every article without a story gets one; last, the watches are checked and their alerts
    delivered. Between the two, the stored views of the stories this run changed are made again
    (``refresh_story_views``), so their pages are read, not computed, when asked for."""
    from parallax.engines import make_engine

    started = now()
    annotated = annotate_store(store, progress=progress, seconds=options.document_seconds) if annotate else 0
    mapper = make_engine(engine, workers, address)
    try:
        summary = ingest(sources, store, options, annotate=annotate, engine=mapper, progress=progress, stdin=stdin,
                         context=context)
    finally:
        mapper.close()
    if annotate:
        merge_aliases(store, options)
    assigned = assign_stories(store, progress=progress) if annotate else 0
    views = refresh_story_views(store, store.stories_changed_since(started, VIEWS_MIN_ARTICLES),
                                progress=progress) if annotate else 0
    alerts, delivery = raise_alerts(store, options, stories=annotate)
    return IngestRun(summary, annotated + summary.annotated, assigned, alerts, delivery, views)


def clean_one(doc: RawDocument, options: Options) -> Article | Skip:
    """One document cleaned within ``document_seconds``, or the one-line reason it could not be."""
    from parallax.clean.document import clean  # trafilatura and friends: only for a command that cleans

    try:
        with time_budget(options.document_seconds):
            return clean(doc, options)
    except OverBudget:
        return Skip(doc.origin, Errors.E119.format(seconds=f"{options.document_seconds:g}"))
    except InputError as exc:
        return Skip(doc.origin, str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd page must never stop a run of thousands
        return Skip(doc.origin, Errors.E199.format(detail=f"{type(exc).__name__}: {exc}"))


def ingest(
    sources: Sequence[str],
    store: Store,
    options: Options,
    *,
    annotate: bool = False,
    engine: Engine | None = None,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
    map_fn: MapFunction | None = None,
    batch_size: int | None = None,
    context: ReadContext | None = None,
) -> IngestSummary:
    """Ingest every source into ``store`` (annotating each new article when ``annotate``);
    idempotent, so a killed run can simply be re-run.

    The order-free stages run on ``engine`` (default: this process); the writing is done here, in
    the order ``pipeline.py`` fixes, so every engine leaves the same store. ``map_fn`` replaces the
    mapped stage (``pipeline.process_batch``), for tests of worker failures; ``batch_size`` the
    documents per batch (``pipeline.BATCH_DOCUMENTS``).
    """
    from parallax.engines import SerialEngine
    from parallax.ingest import read_sources
    from parallax.pipeline import BATCH_DOCUMENTS, InOrder, MapConfig, batches, process_batch

    summary = IngestSummary()
    report = progress or (lambda status, origin, detail: None)
    config = MapConfig(options, annotate)

    def unseen() -> Iterator[tuple[int, RawDocument | Skip]]:
        for seq, item in enumerate(read_sources(sources, options, stdin=stdin, context=context)):
            if isinstance(item, RawDocument) and store.seen(item) is not None:
                summary.duplicate += 1
                report("duplicate", item.origin, "")
            else:
                yield seq, item

    in_order = InOrder()
    mapped = _mapped(engine or SerialEngine(), map_fn or process_batch, config, batches(unseen(), batch_size or BATCH_DOCUMENTS))
    for batch, results in mapped:
        for ready in in_order.add(batch.index, results):
            _write(ready, store, summary, report)
    return summary


def _mapped(engine: Engine, fn: MapFunction, config: MapConfig, batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Processed]]]:
    """The engine's results, with every batch a worker failed on run again one document at a
    time; a document that fails alone too is skipped (E196)."""
    from parallax.pipeline import Batch, Processed, failed_alone

    for batch, results in engine.map(fn, config, batches):
        if isinstance(results, list):
            yield batch, results
            continue
        retried: list[Processed] = []
        singles = [Batch(batch.index, (task,)) for task in batch.tasks]
        for single, again in engine.map(fn, config, singles, one_at_a_time=True):
            seq, item = single.tasks[0]
            if isinstance(again, list):
                retried += again
            else:
                retried.append(Processed(seq, item, item if isinstance(item, Skip) else failed_alone(item, again)))
        yield batch, retried


def _write(results: Sequence[Processed], store: Store, summary: IngestSummary, report: Progress) -> None:
    """Store one batch of mapped documents, in order, in one transaction (a killed run leaves
    whole batches, and the next run stores the rest)."""
    from parallax.aliases import own_outlet_entities

    with store.transaction():
        for result in results:
            for stage, seconds in result.cpu.items():
                summary.cpu[stage] = summary.cpu.get(stage, 0.0) + seconds
            outcome, origin = result.outcome, result.doc.origin
            if isinstance(outcome, Skip):
                summary.skipped.append(outcome)
                store.record_skip(sanitize(outcome.origin), sanitize(outcome.reason))
                report("skipped", outcome.origin, outcome.reason)
                continue
            assert isinstance(result.doc, RawDocument)
            added = store.add_article(outcome, result.doc)
            if added.status == "ingested":
                summary.ingested += 1
                summary.article_ids.append(added.article_id)
                if result.annotation is not None and result.annotator is not None:
                    store.save_annotations(added.article_id, result.annotation, result.annotator,
                                           own_outlet_entities(result.annotation, outcome.outlet, outcome.url))
                    summary.annotated += 1
                elif result.failure is not None:
                    store.record_failure(added.article_id, "annotate", result.failure)
                    report("failed", origin, result.failure)
                if result.vector is not None:
                    store.save_vectors(result.vector[0], [(added.article_id, result.vector[1])])
            else:
                summary.duplicate += 1
            report(added.status, origin, outcome.title or "")


def annotate_store(store: Store, *, progress: Progress | None = None, batch_size: int = 16,
                   seconds: float = 0) -> int:
    """Annotate every stored article that lacks current annotations; returns how many.

    Each article's annotations are written in their own transaction, so a killed run resumes
    where it stopped. Articles whose publication date is known use it as the document date.
    ``seconds``: the wall-clock budget per article (``document_seconds``; 0, none).
    """
    from parallax.aliases import own_outlet_entities
    from parallax.annotate import ANNOTATOR_VERSION  # loads spaCy
    from parallax.pipeline import annotate_within, annotation_failure

    report = progress or (lambda status, origin, detail: None)
    ids = store.articles_to_annotate(ANNOTATOR_VERSION)
    done = 0
    for first in range(0, len(ids), batch_size):
        batch = [a for a in map(store.get_article, ids[first : first + batch_size]) if a is not None]
        items = [(a.text, a.published.day() if a.published else None, a.language, a.outlet) for a in batch]
        try:
            results = list(zip(batch, annotate_within(items, seconds)))
        except Exception:  # noqa: BLE001 - one poison article must cost itself, never the store
            results = []
            for article, item in zip(batch, items):
                assert article.id is not None
                try:
                    results += [(article, annotated) for annotated in annotate_within([item], seconds)]
                except Exception as exc:  # noqa: BLE001 - recorded on the article, retried once by the next run
                    reason = annotation_failure(exc)
                    store.record_failure(article.id, "annotate", reason)
                    report("failed", article.origin, reason)
        for article, result in results:
            assert article.id is not None
            with store.transaction():
                annotation = result.to_json()
                store.save_annotations(article.id, annotation, ANNOTATOR_VERSION,
                                       own_outlet_entities(annotation, article.outlet, article.url))
                store.clear_failure(article.id, "annotate")
            done += 1
            report("annotated", article.origin, article.title or "")
    return done


def follow(
    sources: Sequence[str],
    store: Store,
    options: Options,
    *,
    every: float,
    rounds: int | None = None,
    engine: str = "serial",
    on_round: Callable[[int, IngestRun], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Poll ``sources`` (feeds, pages) every ``every`` seconds, ``rounds`` times (None: until
    interrupted), each round a whole ingest run (annotation, stories, alerts and webhooks).

    Politely: one fetcher for all rounds, so robots.txt, Crawl-delay and the per-host interval
    hold across them; each source is asked with the ETag/Last-Modified its last answer gave (a
    304 costs the site nothing and ingests nothing); and a feed's items already in the store are
    not fetched again. Returns the rounds run."""
    from parallax.ingest import ReadContext

    context = ReadContext(options, conditional=True, known_url=store.has_url)
    done = 0
    try:
        while rounds is None or done < rounds:
            if done:
                sleep(every)
            run = run_ingest(sources, store, options, engine=engine, context=context)
            done += 1
            if on_round is not None:
                on_round(done, run)
    finally:
        context.close()
    return done


def merge_aliases(store: Store, options: Options, *, dry_run: bool = False) -> list[Merge]:
    """Join the store's entities that are one (U.N. = United Nations: ``aliases.py``); returns
    the merges made (with ``dry_run``, the merges that would be made)."""
    from parallax.aliases import load_rules, plan_merges

    merges = plan_merges(store.entity_names(), load_rules(options.aliases_file), store.entity_weights)
    if merges and not dry_run:
        store.merge_entities([(m.source, m.target) for m in merges])
    return merges


def assign_stories(store: Store, *, progress: Progress | None = None) -> int:
    """Give every stored article without a story one, in arrival order; returns how many.

    Run after annotation: it reads the entities and the days the annotations found. A killed
    run resumes with the first article left without a story (see ``stories/store.py``).
    """
    from parallax.stories.store import assign_stories as assign  # loads the embedding stack

    return assign(store, progress)


def refresh_story_views(store: Store, stories: Iterable[int], *, progress: Progress | None = None) -> int:
    """Make the stored views (comparison and timeline, ``views/stories.py``) of these stories
    unless the ones stored are current; returns how many were made. ``run_ingest`` passes the
    stories it changed, ``parallax stories --refresh-views`` the ones it lists. A story whose
    comparison fails costs one E705 line and is left to its page to compare; a store that cannot
    be written stops the run as in every stage."""
    from parallax.views.stories import refresh_story_view  # the comparison's models load on first use

    report = progress or (lambda status, origin, detail: None)
    made = 0
    for story_id in stories:
        try:
            made += refresh_story_view(store, story_id)
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - one story's comparison must never cost the run
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
            report("failed", f"story {story_id}", Errors.E705.format(value=story_id, detail=detail))
    return made


def raise_alerts(store: Store, options: Options, *, stories: bool = True, whole_store: bool = False
                 ) -> tuple[list[Alert], DeliveryReport]:
    """Check the articles no watch has been checked against yet (``whole_store``: every article)
    against the saved watches — after annotation and stories, which entity, PLOVER and storyline
    watches read — then deliver every alert a webhook still awaits, including those an earlier
    check failed to deliver."""
    from parallax.views.watch import check_arrivals, check_watches
    from parallax.webhooks import DeliveryPolicy, deliver_alerts  # httpx: only when alerts are checked

    alerts = check_watches(store, None) if whole_store else check_arrivals(store, stories=stories)
    return alerts, deliver_alerts(store, DeliveryPolicy.from_options(options))


def compare_records(records: Sequence[dict[str, Any]], by: str = "story") -> Iterator[dict[str, Any]]:
    """``parallax compare INPUT.jsonl``: cluster the records (as ``parallax cluster``), annotate
    the records of each group of two or more (each with its own ``published`` day as the
    document date), and compare each such story (or storyline, ``by="storyline"``), in order of
    first record. The records' ids are the ids in the output.

    Records the clusterer leaves alone in their story are compared with the rest of their
    storyline: one storyline comparison then stands for its stories (aligned across them,
    differences only inside each), so records that tell one subject never come back with no
    comparison at all (the seeds: the July invitation and the March call are two stories of
    one storyline, and their comparison shows the invitation both sides tell, each with its own
    date). A storyline comparison carries ``"story": null``, its ``"storyline"`` and the
    ``"stories"`` of its articles."""
    from parallax.annotate import annotate_many
    from parallax.compare import StoryArticle, compare_story
    from parallax.stories import cluster_records

    assigned = cluster_records(records)  # also validates ids and published dates
    story_of = {str(record["id"]): row["story"] for record, row in zip(records, assigned)}
    story_sizes = Counter(row["story"] for row in assigned)
    line_of = {row["story"]: row["storyline"] for row in assigned}
    # A storyline holding a record alone in its story is compared as a whole.
    whole = {row["storyline"] for row in assigned if story_sizes[row["story"]] == 1}
    groups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
    for record, row in zip(records, assigned):
        key = ("storyline", row["storyline"]) if by == "storyline" or row["storyline"] in whole else ("story", row["story"])
        groups.setdefault(key, []).append(record)
    for (kind, group_id), members in groups.items():
        if len(members) < 2:
            continue
        published = [str(r["published"]) if r.get("published") else None for r in members]
        annotations = annotate_many(
            (r.get("text") or "", date.fromisoformat(p[:10]) if p else None, r.get("language") or "en", r.get("outlet"))
            for r, p in zip(members, published)
        )
        articles = [StoryArticle(str(r["id"]), a.to_json(), r.get("outlet"), p, r.get("title"))
                    for r, p, a in zip(members, published, annotations)]
        if kind == "story":
            yield {**compare_story(articles, group_id), "storyline": line_of[group_id]}
            continue
        stories = {a.id: story_of[a.id] for a in articles}
        yield {**compare_story(articles, None, within=stories), "storyline": group_id, "stories": stories}

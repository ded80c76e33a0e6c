"""Jobs: the one place the stages are put in sequence.

    read → clean → store → annotate → stories → alerts → webhooks

``run_ingest`` runs the whole sequence; the CLI (and anything else that ingests) calls it and
prints what it returns. A job holds no state of its own (the store does), reports each outcome
through a callback so that the CLI can draw progress and print skips, and keeps going past any
single bad input. The heavy stacks (spaCy, torch, the embedding models, trafilatura) are
imported inside the jobs that need them, so a command that only reads the store starts fast.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, BinaryIO

from parallax.errors import Errors, InputError
from parallax.model import Article, RawDocument, Skip
from parallax.settings import Options
from parallax.store import Store

if TYPE_CHECKING:
    from parallax.views.watch import Alert
    from parallax.webhooks import DeliveryReport

# Called once per document with (status, origin, detail): status is "ingested",
# "duplicate" or "skipped"; detail is the article title or the reason it was skipped.
Progress = Callable[[str, str, str], None]


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicate: int = 0
    skipped: list[Skip] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)  # the articles this run added, for the watches

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


def run_ingest(
    sources: Sequence[str],
    store: Store,
    options: Options,
    *,
    annotate: bool = True,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> IngestRun:
    """The whole sequence for new inputs: store them, annotate and give stories to whatever in
    the store lacks them (``annotate``), then check the watches and deliver their alerts."""
    summary = ingest(sources, store, options, progress=progress, stdin=stdin)
    annotated = annotate_store(store, progress=progress) if annotate else 0
    assigned = assign_stories(store, progress=progress) if annotate else 0
    alerts, delivery = raise_alerts(store, summary.article_ids, options)
    return IngestRun(summary, annotated, assigned, alerts, delivery)


def clean_one(doc: RawDocument, options: Options) -> Article | Skip:
    """One document cleaned, or the one-line reason it could not be."""
    from parallax.clean import clean  # trafilatura and friends: only for a command that cleans

    try:
        return clean(doc, options)
    except InputError as exc:
        return Skip(doc.origin, str(exc))
    except Exception as exc:  # noqa: BLE001 - one odd page must never stop a run of thousands
        return Skip(doc.origin, Errors.E199.format(detail=f"{type(exc).__name__}: {exc}"))


def ingest(
    sources: Sequence[str],
    store: Store,
    options: Options,
    *,
    progress: Progress | None = None,
    stdin: BinaryIO | None = None,
) -> IngestSummary:
    """Ingest every source into ``store``; idempotent, so a killed run can simply be re-run."""
    from parallax.ingest import read_sources

    summary = IngestSummary()
    report = progress or (lambda status, origin, detail: None)
    for item in read_sources(sources, options, stdin=stdin):
        if isinstance(item, RawDocument) and store.seen(item) is not None:
            summary.duplicate += 1
            report("duplicate", item.origin, "")
            continue
        result = item if isinstance(item, Skip) else clean_one(item, options)
        if isinstance(result, Skip):
            summary.skipped.append(result)
            store.record_skip(result.origin, result.reason)
            report("skipped", result.origin, result.reason)
            continue
        assert isinstance(item, RawDocument)  # a Skip never reaches here
        added = store.add_article(result, item)
        if added.status == "ingested":
            summary.ingested += 1
            summary.article_ids.append(added.article_id)
        else:
            summary.duplicate += 1
        report(added.status, item.origin, result.title or "")
    return summary


def annotate_store(store: Store, *, progress: Progress | None = None, batch_size: int = 16) -> int:
    """Annotate every stored article that lacks current annotations; returns how many.

    Each article's annotations are written in their own transaction, so a killed run resumes
    where it stopped. Articles whose publication date is known use it as the document date.
    """
    from parallax.annotate import ANNOTATOR_VERSION, annotate_many  # loads spaCy

    report = progress or (lambda status, origin, detail: None)
    ids = store.articles_to_annotate(ANNOTATOR_VERSION)
    done = 0
    for first in range(0, len(ids), batch_size):
        batch = [a for a in map(store.get_article, ids[first : first + batch_size]) if a is not None]
        items = [(a.text, a.published.day() if a.published else None, a.language, a.outlet) for a in batch]
        for article, result in zip(batch, annotate_many(items, batch_size=batch_size)):
            assert article.id is not None
            store.save_annotations(article.id, result.to_json(), ANNOTATOR_VERSION)
            done += 1
            report("annotated", article.origin, article.title or "")
    return done


def assign_stories(store: Store, *, progress: Progress | None = None) -> int:
    """Give every stored article without a story one, in arrival order; returns how many.

    Run after annotation: it reads the entities and the days the annotations found. A killed
    run resumes with the first article left without a story (see ``stories/store.py``).
    """
    from parallax.stories.store import assign_stories as assign  # loads the embedding stack

    return assign(store, progress)


def raise_alerts(
    store: Store, article_ids: Sequence[int] | None, options: Options
) -> tuple[list[Alert], DeliveryReport]:
    """Check arrived articles (``None``: the whole store) against the saved watches — after
    annotation and stories, which entity, PLOVER and storyline watches read — then deliver every
    alert a webhook still awaits, including those an earlier check failed to deliver."""
    from parallax.views.watch import check_watches
    from parallax.webhooks import DeliveryPolicy, deliver_alerts  # httpx: only when alerts are checked

    alerts = check_watches(store, article_ids)
    return alerts, deliver_alerts(store, DeliveryPolicy.from_options(options))


def compare_records(records: Sequence[dict[str, Any]], by: str = "story") -> Iterator[dict[str, Any]]:
    """``parallax compare INPUT.jsonl``: cluster the records (as ``parallax cluster``), annotate
    the records of each group of two or more (each with its own ``published`` day as the
    document date), and compare each such story (or storyline, ``by="storyline"``), in order of
    first record. The records' ids are the ids in the output."""
    from parallax.annotate import annotate_many
    from parallax.compare import StoryArticle, compare_story
    from parallax.stories import cluster_records

    assigned = cluster_records(records)  # also validates ids and published dates
    groups: dict[Any, list[dict[str, Any]]] = {}
    for record, row in zip(records, assigned):
        groups.setdefault(row[by], []).append(record)
    for group_id, members in groups.items():
        if len(members) < 2:
            continue
        published = [str(r["published"]) if r.get("published") else None for r in members]
        annotations = annotate_many(
            (r.get("text") or "", date.fromisoformat(p[:10]) if p else None, r.get("language") or "en", r.get("outlet"))
            for r, p in zip(members, published)
        )
        articles = [StoryArticle(str(r["id"]), a.to_json(), r.get("outlet"), p, r.get("title"))
                    for r, p, a in zip(members, published, annotations)]
        yield compare_story(articles, group_id)

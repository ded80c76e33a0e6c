"""The ``parallax`` command: argument parsing and output only.

Each sub-command parses its options, builds Options and a store once, calls one function of
the library and prints what it returned. No stage logic lives here.
"""
from __future__ import annotations

import argparse
import csv
import os
import json
import sys
from collections import Counter
from datetime import date
from collections.abc import Callable, Sequence
from itertools import chain, islice
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from parallax.errors import Errors, InputError, ParallaxError
from parallax.model import RawDocument, SearchFilters, Skip
from parallax.store import DEFAULT_DB, Store, open_store, store_location
from parallax.views.export import FORMATS as EXPORT_FORMATS, TABLES as EXPORT_TABLES, export

if TYPE_CHECKING:
    from parallax.settings import Options
    # The job runner and watches pull in the readers, HTTP and the annotators' imports: a light
    # command (`--help`, `stories`, `search`) imports them only when it runs a job.
    from parallax import jobs
    from parallax.views.digest import StoryDigest
    from parallax.views.watch import Alert
    from parallax.webhooks import DeliveryReport

DEMO_CORPUS = Path(__file__).resolve().parents[2] / "data" / "demo"
DEMO_DB = "parallax-demo.db"


def _out(args: argparse.Namespace) -> TextIO:
    return open(args.output, "w", encoding="utf-8") if getattr(args, "output", None) else sys.stdout


def _progress_printer(show_bar: bool) -> tuple[jobs.Progress, Callable[[], None]]:
    """Print skips as one line each on stderr; draw a bar when a person is watching."""
    bar = None
    if show_bar:
        from tqdm import tqdm

        bar = tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True)

    def report(status: str, origin: str, detail: str) -> None:
        if status in ("skipped", "failed"):
            line = f"{status} {origin}: {detail}"
            if bar is not None:
                bar.write(line, file=sys.stderr)
            else:
                print(line, file=sys.stderr)
        if bar is not None:
            bar.update(1)

    return report, (bar.close if bar is not None else (lambda: None))


def cmd_ingest(args: argparse.Namespace, options: Options) -> int:
    with open_store(args.db) as store:
        summary = _run_ingest(args.sources, store, options, args.json, args.progress, args.annotate,
                              engine=args.engine, workers=args.workers, address=args.address)
    return 0 if summary.ingested or summary.duplicate else 1


def _run_ingest(
    sources: Sequence[str],
    store: Store,
    options: Options,
    as_json: bool,
    progress: bool | None,
    annotate: bool = True,
    *,
    engine: str = "process",
    workers: int | None = None,
    address: str | None = None,
) -> jobs.IngestSummary:
    from parallax import jobs

    show_bar = sys.stderr.isatty() if progress is None else progress
    report, close = _progress_printer(show_bar and not as_json)
    try:
        run = jobs.run_ingest(sources, store, options, annotate=annotate, engine=engine, workers=workers,
                              address=address, progress=report, stdin=sys.stdin.buffer)
    finally:
        close()
    summary = run.summary
    if as_json:
        print(json.dumps({**summary.to_json(), "annotated": run.annotated, "assigned_to_stories": run.assigned,
                          "store": store.location, "articles": store.count_articles(),
                          "alerts": [a.payload() for a in run.alerts]}))
    else:
        print(
            f"ingested {summary.ingested}, duplicate {summary.duplicate}, skipped {len(summary.skipped)},"
            f" annotated {run.annotated}, given stories {run.assigned} — {store.count_articles()} articles in {store.location}"
        )
        _print_alerts(run.alerts)
    _print_delivery_errors(run.delivery)
    return summary


def _print_alerts(alerts: Sequence[Alert]) -> None:
    for alert in alerts:
        published = (alert.published or "????-??-??")[:10]
        print(f"alert [{alert.watch}] article {alert.article_id} {published} {alert.title or '(untitled)'} — {alert.reason}")


def _print_delivery_errors(delivery: DeliveryReport) -> None:
    for error in delivery.errors:
        print(f"webhook failed, will retry on the next check: {error}", file=sys.stderr)
    if delivery.deferred:
        print(f"{delivery.deferred} alerts wait for their webhook until the next check", file=sys.stderr)


def cmd_extract(args: argparse.Namespace, options: Options) -> int:
    """Clean without storing: one JSON object for one input, JSON lines for many."""
    from parallax import jobs

    from parallax.ingest import read_sources

    items = read_sources([args.source], options, stdin=sys.stdin.buffer)
    head = list(islice(items, 2))
    many = Path(args.source).is_dir() or len(head) > 1
    ok = 0
    last_error = ""
    out = _out(args)
    for item in chain(head, items):
        if isinstance(item, RawDocument) and args.url:
            item = RawDocument(item.origin, item.media_type, item.body, args.url, item.hints)
        result = item if isinstance(item, Skip) else jobs.clean_one(item, options)
        if isinstance(result, Skip):
            last_error = f"{result.origin}: {result.reason}"
            if many:
                print(f"skipped {last_error}", file=sys.stderr)
            continue
        ok += 1
        record: dict[str, Any] = result.to_json()
        if many:
            out.write(json.dumps({"path": result.origin, **record}, ensure_ascii=False) + "\n")
        else:
            out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    if not ok:
        print(f"parallax extract: error: {last_error or 'nothing to extract'}", file=sys.stderr)
        return 1
    return 0


def cmd_annotate(args: argparse.Namespace, options: Options) -> int:
    """Annotate files without storing: one JSON object for one input, JSON lines for many.

    A page or text is cleaned first (offsets are then into the cleaned ``text``), unless
    ``--raw``; a JSONL record's text is annotated exactly as given, with its own date.
    """
    from parallax import jobs

    from parallax.annotate import annotate
    from parallax.clean.dates import parse_date_value
    from parallax.clean.encoding import decode_text
    from parallax.ingest import read_sources

    dct = date.fromisoformat(args.dct) if args.dct else None
    items = read_sources([args.source], options, stdin=sys.stdin.buffer)
    head = list(islice(items, 2))
    many = Path(args.source).is_dir() or len(head) > 1
    out = _out(args)
    ok = 0
    last_error = ""
    language: str | None  # a record's own, else what cleaning the page found (None: unknown)
    for item in chain(head, items):
        if isinstance(item, Skip):
            last_error = f"{item.origin}: {item.reason}"
            if many:
                print(f"skipped {last_error}", file=sys.stderr)
            continue
        record_id = item.hints.get("id")
        if args.raw or record_id is not None:
            text, language, outlet = decode_text(item.body, item.hints.get("charset")), item.hints.get("language", "en"), item.hints.get("outlet")
            published = parse_date_value(item.hints.get("published", ""), "given")
            doc_date = dct or (published.day() if published else None)
        else:
            article = jobs.clean_one(item, options)
            if isinstance(article, Skip):
                last_error = f"{article.origin}: {article.reason}"
                if many:
                    print(f"skipped {last_error}", file=sys.stderr)
                continue
            text, language, outlet = article.text, article.language, article.outlet
            doc_date = dct or (article.published.day() if article.published else None)
        result = annotate(text, dct=doc_date, language=language, outlet=outlet).to_json()
        ok += 1
        if many:
            key = {"id": record_id} if record_id is not None else {"path": item.origin}
            out.write(json.dumps({**key, **result}, ensure_ascii=False) + "\n")
        else:
            out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    if not ok:
        print(f"parallax annotate: error: {last_error or 'nothing to annotate'}", file=sys.stderr)
        return 1
    return 0


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    """Records of a JSONL file; a bad line stops the command with one line naming it."""
    records = []
    with open(path, encoding="utf-8-sig") as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputError(Errors.E106, detail=f"{path} line {number}: {exc.msg}") from exc
    return records


def cmd_cluster(args: argparse.Namespace, options: Options) -> int:
    """Group JSONL records into stories and storylines, in the order given (arrival order)."""
    from parallax.stories import cluster_records

    out = _out(args)
    for row in cluster_records(_read_jsonl(args.source)):
        out.write(json.dumps(row) + "\n")
    return 0


def cmd_similarity(args: argparse.Namespace, options: Options) -> int:
    """Score CSV pairs (pair_id,text1,text2): 1 = the same story, 0 = unrelated."""
    from parallax.stories.similarity import score_pairs

    with open(args.source, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"pair_id", "text1", "text2"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(Errors.E503, detail=", ".join(sorted(missing)))
        pairs = [(row["pair_id"], row["text1"] or "", row["text2"] or "") for row in reader]
    writer = csv.writer(_out(args))
    writer.writerow(["pair_id", "score"])
    for pair_id, score in score_pairs(pairs):
        writer.writerow([pair_id, f"{score:.4f}"])
    return 0


def cmd_compare(args: argparse.Namespace, options: Options) -> int:
    """Compare a story's articles claim by claim: JSONL records (clustered and annotated here,
    one comparison per story of two or more), or a story (``--by storyline``: a storyline) in
    the store; rendered for reading, as JSON (JSON lines for records) or as CSV."""
    from parallax.views import stories
    from parallax.jobs import compare_records
    from parallax.views.compare import format_comparison
    from parallax.views.compare_table import Column, columns_of, compare_table, write_csv

    shape = "json" if args.json else args.format
    if Path(args.source).is_file():
        shape = shape or "json"
        if shape == "text":
            raise ParallaxError(Errors.E703)
        records = _read_jsonl(args.source)
        results = compare_records(records, by=args.by)
        if shape == "csv":
            columns = [Column(str(r.get("id")), r.get("outlet"), str(r["published"]) if r.get("published") else None) for r in records]
            write_csv((compare_table(result, columns) for result in results), args.what, _out(args))
            return 0
        out = _out(args)
        compared = 0
        for compared, result in enumerate(results, start=1):
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        if not compared:
            print(Errors.E706.format(count=len(records)), file=sys.stderr)
        return 0
    missing = Errors.E605 if args.by == "storyline" else Errors.E701
    if not args.source.isdigit():
        raise ParallaxError(missing, value=args.source)
    with open_store(args.db, create=False) as store:
        view = (stories.storyline_view if args.by == "storyline" else stories.story_view)(store, int(args.source))
        if view is None:
            raise ParallaxError(missing, value=args.source)
        if view.comparison is None:
            if isinstance(view, stories.StoryView) and view.storyline_id is not None:
                raise ParallaxError(Errors.E704, value=args.source, have=stories.comparable(view.articles),
                                    line=view.storyline_id,
                                    line_has=stories.comparable(stories.storyline_articles(store, view.storyline_id)))
            raise ParallaxError(Errors.E702, what=args.by, value=args.source)
        if shape == "json":
            _out(args).write(json.dumps(view.comparison, ensure_ascii=False, indent=2) + "\n")
        elif shape == "csv":
            write_csv([compare_table(view.comparison, columns_of(view.articles))], args.what, _out(args))
        else:
            _out(args).write(format_comparison(view.comparison, stories.story_articles_for_comparison(store, view.articles)) + "\n")
    return 0


def cmd_timeline(args: argparse.Namespace, options: Options) -> int:
    """An entity's events across all its storylines (the query is an entity's name), or the
    events of the storyline a query names (its id, or search words)."""
    from parallax.views import stories
    from parallax.views.entity import entity_timeline, find_entities
    from parallax.views.timeline import format_timeline

    with open_store(args.db, create=False) as store:
        named = [] if args.query.strip().isdigit() else [
            e for e in find_entities(store, args.query.strip()) if e.name.casefold() == args.query.strip().casefold()]
        if named:
            entity = named[0]
            entries = entity_timeline(store, entity.id)
            _print_entity_timeline(entity.name, entries, args.json)
            return 0
        found = stories.find_storyline(store, args.query)
        view = stories.storyline_view(store, found) if found is not None else None
        if view is None:
            raise ParallaxError(Errors.E605, value=args.query)
    if args.json:
        print(json.dumps({"storyline": view.id, "title": view.title, "events": view.timeline}, ensure_ascii=False, indent=2))
    else:
        title = view.title or (view.stories[0].title if view.stories else None)
        print(f"storyline {view.id}: {title or '(untitled)'}")
        print(format_timeline(view.timeline, {str(a.id): a.outlet or "" for a in view.articles}))
    return 0


def _print_entity_timeline(name: str, entries: Sequence[Any], as_json: bool) -> None:
    lines = {e.storyline for e in entries if e.storyline is not None}
    if as_json:
        print(json.dumps({"entity": name, "storylines": len(lines), "events": [asdict(e) for e in entries]},
                         ensure_ascii=False, indent=2))
        return
    print(f"{name}: {len(entries)} events across {len(lines)} storylines")
    for e in entries:
        v = e.event
        line = f"storyline {e.storyline}: {e.storyline_title or '(untitled)'}" if e.storyline is not None else "no storyline yet"
        print(f"  {e.day or '????-??-??'}  {v.plover:<12} {v.actor or '—'} → {v.target or '—'}  [{line}]"
              f"  {v.article.outlet or '?'} #{v.article.id}")
        print(f"      “{' '.join(v.evidence.split())[:160]}”")


def cmd_stories(args: argparse.Namespace, options: Options) -> int:
    """The store's stories, largest first: id, title, articles, outlets, dates, storyline."""
    from parallax.views.stories import list_stories

    filters = _filters(args)
    with open_store(args.db, create=False) as store:
        stories = list_stories(store, limit=args.limit, min_articles=args.min_articles, filters=filters)
        lines = store.storyline_titles([s.storyline_id for s in stories])
        if args.refresh_views:
            from parallax import jobs

            report, done = _progress_printer(False)
            made = jobs.refresh_story_views(store, [s.id for s in stories], progress=report)
            done()
            print(f"{made} story views made, {len(stories) - made} already current or failed", file=sys.stderr)
    for s in stories:
        line_title = lines.get(s.storyline_id) if s.storyline_id is not None else None
        if args.json:
            print(json.dumps({"id": s.id, "title": s.title, "articles": s.articles, "outlets": s.outlets,
                              "first_published": s.first_published, "last_published": s.last_published,
                              "storyline": {"id": s.storyline_id, "title": line_title}},
                             ensure_ascii=False))
        else:
            days = f"{(s.first_published or '????-??-??')[:10]} … {(s.last_published or '????-??-??')[:10]}"
            size = f"{_how_many(s.articles, 'article')}, {_how_many(len(s.outlets), 'outlet')}"
            print(f"[{s.id}] {days}  {size}  {s.title or '(untitled)'}\n      storyline {s.storyline_id}: {line_title or '(untitled)'}")
    return 0


def _filters(args: argparse.Namespace) -> SearchFilters:
    """The filter options of ``stories`` and ``search``, checked (a bad date is one E901 line)."""
    from parallax.views.filters import FILTER_HELP, make_filters

    return make_filters(**{name: getattr(args, name) for name in FILTER_HELP})


def _filter_options(p: argparse.ArgumentParser) -> None:
    """The filters every list command takes, named as the API's query parameters are."""
    from parallax.views.filters import FILTER_HELP

    for name, help_text in FILTER_HELP.items():
        p.add_argument(f"--{name}", type=int if name == "storyline" else str, metavar=name.upper(), help=help_text)


def cmd_show(args: argparse.Namespace, options: Options) -> int:
    """One story: its articles, copies folded with every outlet and URL, and its storyline."""
    from parallax.stories.views import show_story

    with open_store(args.db, create=False) as store:
        story = show_story(store, args.story)
        failures = {a["id"]: store.article_failures(a["id"]) for a in story["articles"]}
    for a in story["articles"]:
        a["failures"] = [asdict(f) for f in failures[a["id"]]]
    if args.json:
        print(json.dumps(story, ensure_ascii=False, indent=2))
        return 0
    day = lambda value: (value or "????-??-??")[:10]  # noqa: E731
    merged = f" (asked for {story['requested']}, merged into it)" if story["requested"] != story["id"] else ""
    print(f"story {story['id']}{merged}: {story['title'] or '(untitled)'}")
    print(f"{day(story['first_published'])} … {day(story['last_published'])}, outlets: {', '.join(story['outlets']) or '?'}")
    for a in story["articles"]:
        print(f"  [{a['id']}] {day(a['published'])}  {a['outlet'] or '?'}  {a['title'] or '(untitled)'}")
        if a["authors"]:
            print(f"        by {', '.join(a['authors'])}")
        for url in a["seen_at"]:
            print(f"        {url}")
        for f in a["failures"]:
            print(f"        failed {f['stage']}: {f['reason']} ({f['attempts']} runs)")
        for c in a["copies"]:
            print(f"      copy [{c['id']}] {day(c['published'])}  {c['outlet'] or '?'}  {c['url'] or ''}")
    line = story["storyline"]
    print(f"storyline {line['id']}: {line['title'] or '(untitled)'}")
    for s in line["stories"]:
        mark = "*" if s["id"] == story["id"] else " "
        print(f"  {mark}[{s['id']}] {day(s['first_published'])}  {s['articles']} articles  {s['title'] or '(untitled)'}")
    return 0


def cmd_search(args: argparse.Namespace, options: Options) -> int:
    """Full-text search of the store, with filters; best match first."""
    from parallax.views.search import search_articles, total_text

    filters = _filters(args)
    with open_store(args.db, create=False) as store:
        result = search_articles(store, " ".join(args.query), filters, limit=args.limit)
    if args.json:
        print(json.dumps(asdict(result), default=str, ensure_ascii=False))
        return 0
    print(total_text(result))
    for hit in result.hits:
        snippet = "".join(f"[{s.text}]" if s.match else s.text for s in hit.snippet)
        print(f"[{hit.article_id}] {(hit.published or '????-??-??')[:10]}  {hit.outlet or '?'}  {hit.title or '(untitled)'}")
        if snippet:
            print(f"      {' '.join(snippet.split())}")
    return 0


def cmd_entity(args: argparse.Namespace, options: Options) -> int:
    """An entity's page in the terminal: aliases, articles, quotes, events, company kept."""
    from parallax.views.entity import entity_profile, find_entities

    with open_store(args.db, create=False) as store:
        matches = find_entities(store, args.name)
        if not matches:
            print(f"parallax entity: no entity named like {args.name!r}", file=sys.stderr)
            return 1
        exact = [m for m in matches if m.name.casefold() == args.name.casefold()]
        profile = entity_profile(store, (exact or matches)[0].id)
    assert profile is not None
    if args.json:
        print(json.dumps(asdict(profile), default=str, ensure_ascii=False))
        return 0
    e = profile.entity
    print(f"{e.name} ({e.type}) — {e.mentions} mentions in {e.articles} articles")
    if len(matches) > 1:
        print("  also: " + ", ".join(m.name for m in matches[1:6]))
    print("  called: " + ", ".join(f"{a.text} ×{a.count}" for a in profile.aliases[:8]))
    for q in profile.quotes[:args.limit]:
        print(f"  says ({q.kind}{', ' + q.channel if q.channel else ''}): {' '.join(q.content.split())[:140]}")
    for ev in profile.events[:args.limit]:
        print(f"  {ev.role}: {ev.plover} {ev.actor or '—'} → {ev.target or '—'} {ev.date or ''}  [{ev.status}]")
    print("  with: " + ", ".join(f"{c.name} ({c.articles})" for c in profile.co_occurring[:8]))
    return 0


def cmd_serve(args: argparse.Namespace, options: Options) -> int:
    """The web UI and JSON API; ``--get PATH`` sends one request in-process and prints it."""
    from parallax import web

    db = store_location(args.db)
    if args.get:
        status, body = web.get(db, args.get)
        print(body)
        return 0 if status < 400 else 1
    token = args.token or os.environ.get("PARALLAX_TOKEN")
    web.serve(db, host=args.host, port=args.port, token=token, options=options, workers=args.workers,
              announce=lambda url: print(f"serving {db} on {url} (Ctrl-C to stop)", file=sys.stderr, flush=True))
    return 0


def cmd_watch(args: argparse.Namespace, options: Options) -> int:
    """Saved watches: add, list, rm, and check the whole store (which also retries webhooks)."""
    from parallax import jobs
    from parallax.views import watch as watches

    with open_store(args.db) as store:
        if args.action == "add":
            kind, value = next((k, getattr(args, k)) for k in watches.KINDS if getattr(args, k) is not None)
            added = watches.add_watch(store, args.name, kind, str(value), args.webhook, options.allow_private_hosts)
            print(f"watch {added.name}: {added.kind} {added.value}" + (f" → {added.webhook}" if added.webhook else ""))
        elif args.action == "rm":
            watches.remove_watch(store, args.name)
            print(f"removed watch {args.name}")
        elif args.action == "list":
            for w in watches.list_watches(store):
                hook = f" → {w.webhook} ({w.undelivered} undelivered)" if w.webhook else ""
                print(f"{w.name}\t{w.kind} {w.value}\t{w.alerts} alerts{hook}")
        else:
            alerts, delivery = jobs.raise_alerts(store, options, whole_store=True)
            _print_alerts(alerts)
            print(f"{len(alerts)} new alerts; webhooks delivered {delivery.delivered}, failed {delivery.failed},"
                  f" waiting {delivery.deferred}")
            _print_delivery_errors(delivery)
    return 0


def cmd_aliases(args: argparse.Namespace, options: Options) -> int:
    """Join the store's entities that are one (U.N. = United Nations) and say which were joined;
    ingest runs the same pass after annotating."""
    from parallax import jobs

    if args.file:
        options = replace(options, aliases_file=args.file)
    with open_store(args.db) as store:
        merges = jobs.merge_aliases(store, options, dry_run=args.dry_run)
    for m in merges:
        print(f"{m.source_name} [{m.source}] → {m.target_name} [{m.target}]  ({m.rule})")
    print(f"{len(merges)} entities {'would be ' if args.dry_run else ''}joined to another of their names", file=sys.stderr)
    return 0


def cmd_follow(args: argparse.Namespace, options: Options) -> int:
    """Poll feeds (or pages) on a schedule, each round a whole ingest that raises alerts, so
    watches fire without anyone typing ``ingest``; Ctrl-C stops between or during rounds."""
    from parallax import jobs

    from parallax.views.filters import parse_interval

    every = parse_interval(args.every)
    sources = args.sources if args.command == "follow" else args.feeds

    def said(number: int, run: jobs.IngestRun) -> None:
        s = run.summary
        print(f"round {number}: ingested {s.ingested}, duplicate {s.duplicate}, skipped {len(s.skipped)},"
              f" given stories {run.assigned}, {len(run.alerts)} alerts", flush=True)
        for skip in s.skipped:
            print(f"skipped {skip.origin}: {skip.reason}", file=sys.stderr)
        _print_alerts(run.alerts)
        _print_delivery_errors(run.delivery)

    with open_store(args.db) as store:
        print(f"following {len(sources)} sources every {args.every} into {store.location} (Ctrl-C to stop)",
              file=sys.stderr, flush=True)
        jobs.follow(sources, store, options, every=every, rounds=args.rounds, engine=args.engine, on_round=said)
    return 0


def cmd_export(args: argparse.Namespace, options: Options) -> int:
    """Write one table of the store to a file (or stdout) in JSONL, CSV, Parquet or GDELT TSV."""
    if args.format == "gdelt" and args.table != "events":
        print("parallax export: error: --format gdelt holds events only", file=sys.stderr)
        return 2
    if args.format == "parquet" and not args.output:
        print("parallax export: error: --format parquet needs -o PATH", file=sys.stderr)
        return 2
    with open_store(args.db, create=False) as store:
        if args.format == "parquet":
            n = export(store, args.table, args.format, Path(args.output))
        elif args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                n = export(store, args.table, args.format, out)
        else:
            n = export(store, args.table, args.format, sys.stdout)
    print(f"exported {n} {args.table} as {args.format}" + (f" to {args.output}" if args.output else ""), file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace, options: Options) -> int:
    """Build a fresh store from the bundled corpus, say what is in it, then serve it when a
    person is at the terminal (stdin a TTY); scripts and CI get the summary and the exit code."""
    db = args.db or DEMO_DB
    for suffix in ("", "-wal", "-shm", "-assign.lock"):
        Path(db + suffix).unlink(missing_ok=True)
    corpus = Path(args.corpus)
    with open_store(db) as store:
        summary = _run_ingest([str(corpus)], store, options, args.json, args.progress)
        if not args.json:
            _print_store_overview(store)
            _print_story_digest(store)
    if not summary.ingested:
        return 1
    serve = sys.stdin.isatty() and not args.json if args.serve is None else args.serve
    if serve:
        from parallax import web

        web.serve(db, port=args.port, options=options,
                  announce=lambda url: print(f"\nserving the demo store at {url} (Ctrl-C to stop)", flush=True))
    return 0


def _print_story_digest(store: Store) -> None:
    from parallax.views.digest import biggest_stories, stories_with_differences

    digests = biggest_stories(store)
    if not digests:
        print("\nno stories of two or more articles in this store yet")
        return
    print("\nstories told by the most outlets:")
    for d in digests:
        _print_digest(d)
    differing = stories_with_differences(store, shown={d.id for d in digests})
    if differing:
        print("\nmore stories where the comparison finds differences:")
        for d in differing:
            _print_digest(d)


def _print_digest(d: StoryDigest) -> None:
    print(f"  [story {d.id}] {_how_many(d.articles, 'article')}, {_how_many(len(d.outlets), 'outlet')}  {d.title or '(untitled)'}")
    if not d.compared:
        print("      not compared: fewer than two annotated original articles")
        return
    some = "2" if d.compared_articles == 3 else f"2–{d.compared_articles - 1}"
    shared = (f"{d.told_by_all} told by both" if d.compared_articles == 2 else
              f"{d.told_by_all} told by all {d.compared_articles}, {d.told_by_several} by {some}")
    print(f"      {d.facts} facts: {shared}, {d.told_by_one} by one;"
          f" {d.contradictions} contradictions, {d.developments} developments")
    if d.first_difference:
        print(f"      {d.first_difference}")


def _how_many(count: int, noun: str) -> str:
    """"1 outlet", "2 outlets": a count with its noun, singular for one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _print_store_overview(store: Store) -> None:
    articles = list(store.iter_articles())
    outlets = Counter(a.outlet or "(unknown outlet)" for a in articles)
    languages = Counter(a.language or "?" for a in articles)
    dated = sorted(a.published.value[:10] for a in articles if a.published)
    print(f"\n{_how_many(len(articles), 'article')} from {_how_many(len(outlets), 'outlet')}, languages {dict(languages)}")
    if dated:
        print(f"published {dated[0]} … {dated[-1]} ({len(dated)} dated, {len(articles) - len(dated)} undated)")
    for outlet, n in outlets.most_common(5):
        print(f"  {n:4d}  {outlet}")
    print("\nnewest articles:")
    newest = sorted(articles, key=lambda a: a.published.value if a.published else "", reverse=True)[:5]
    for a in newest:
        print(f"  [{a.id}] {a.published.value[:10] if a.published else '????-??-??'}  {a.title}")
    print(f"\nstore: {store.location}")


def _positive(value: str) -> int:
    """A count option: a whole number of at least 1 (argparse turns the error into one line)."""
    if not value.strip().isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of at least 1, not {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parallax", description="One story, every side: news → structured record.")
    parser.add_argument("--config", help="settings file laid over the defaults (also $PARALLAX_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_option(p: argparse.ArgumentParser, default_help: str) -> None:
        p.add_argument("--db", help=f"store: a SQLite file or a postgresql:// URL ({default_help})")

    def schedule_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--every", default="15m", metavar="INTERVAL", help="time between rounds: 90s, 15m, 1h (default 15m)")
        p.add_argument("--rounds", type=_positive, metavar="N", help="stop after N rounds (default: until Ctrl-C)")
        p.add_argument("--engine", choices=("serial", "process", "ray"), default="serial",
                       help="where cleaning and annotation run (default: this process; a round is small)")
        db_option(p, f"default $PARALLAX_DB or ./{DEFAULT_DB}")

    ingest = sub.add_parser("ingest", help="read news inputs into the store")
    ingest.add_argument("sources", nargs="+", metavar="SOURCE", help="file, directory, URL, feed or - for stdin")
    db_option(ingest, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="draw a progress bar (default: when stderr is a terminal)")
    ingest.add_argument("--annotate", action=argparse.BooleanOptionalAction, default=True,
                        help="annotate what is new in the store after ingesting (default: yes)")
    ingest.add_argument("--engine", choices=("serial", "process", "ray"), default="process",
                        help="where cleaning and annotation run: this process, worker processes (default), "
                             "or Ray (needs the ray extra)")
    ingest.add_argument("--workers", type=int, metavar="N", help="worker processes or Ray actors (default: one per core)")
    ingest.add_argument("--address", metavar="ray://HOST:PORT",
                        help="a Ray cluster to run on (default: a local one on 127.0.0.1)")
    ingest.set_defaults(run=cmd_ingest)

    extract = sub.add_parser("extract", help="clean one page or text (or a directory) to JSON, storing nothing")
    extract.add_argument("source", metavar="PATH|URL")
    extract.add_argument("--url", help="the page's URL, for metadata and dates from the URL")
    extract.add_argument("-o", "--output", help="write to this file instead of stdout")
    extract.set_defaults(run=cmd_extract)

    annotate = sub.add_parser("annotate", help="annotate a text, page, directory or JSONL file to JSON, storing nothing")
    annotate.add_argument("source", metavar="PATH")
    annotate.add_argument("--raw", action="store_true", help="annotate the text exactly as given (no cleaning)")
    annotate.add_argument("--dct", help="document creation date YYYY-MM-DD (default: the article's own date)")
    annotate.add_argument("-o", "--output", help="write to this file instead of stdout")
    annotate.set_defaults(run=cmd_annotate)

    cluster = sub.add_parser("cluster", help="group JSONL records into stories and storylines")
    cluster.add_argument("source", metavar="INPUT.jsonl")
    cluster.add_argument("-o", "--output", help="write to this file instead of stdout")
    cluster.set_defaults(run=cmd_cluster)

    similarity = sub.add_parser("similarity", help="score CSV text pairs for being the same story")
    similarity.add_argument("source", metavar="PAIRS.csv")
    similarity.add_argument("-o", "--output", help="write to this file instead of stdout")
    similarity.set_defaults(run=cmd_similarity)

    compare = sub.add_parser("compare", help="compare how each outlet tells a story, claim by claim")
    compare.add_argument("source", metavar="INPUT.jsonl|STORY", help="JSONL records, or a story id in the store")
    compare.add_argument("--by", choices=("story", "storyline"), default="story",
                         help="compare each story (default) or each storyline")
    db_option(compare, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    compare.add_argument("--format", choices=("text", "json", "csv"),
                         help="text (a story's default: for reading), json (records' default: JSON lines), or csv")
    compare.add_argument("--json", action="store_true", help="the same as --format json")
    compare.add_argument("--what", choices=("facts", "differences"), default="facts",
                         help="with --format csv: one row per (fact, article telling it), or per (contradiction or development, article)")
    compare.add_argument("-o", "--output", help="write to this file instead of stdout")
    compare.set_defaults(run=cmd_compare)

    timeline = sub.add_parser("timeline", help="an entity's events across its storylines, or a storyline's, in date order")
    timeline.add_argument("query", metavar="QUERY",
                          help="an entity's name (its events in every storyline), a storyline id, or search words")
    db_option(timeline, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    timeline.add_argument("--json", action="store_true")
    timeline.set_defaults(run=cmd_timeline)

    stories = sub.add_parser("stories", help="list the store's stories")
    db_option(stories, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    stories.add_argument("--json", action="store_true", help="one JSON object per story")
    stories.add_argument("--limit", type=_positive, default=50, help="at most this many stories (default 50)")
    stories.add_argument("--min-articles", type=_positive, default=1, metavar="N", help="only stories of N or more articles")
    stories.add_argument("--refresh-views", action="store_true",
                         help="first make the stored page views (comparison, timeline) of the stories listed that are "
                              "missing or stale, e.g. after an upgrade; ingest makes those of the stories it changes")
    _filter_options(stories)
    stories.set_defaults(run=cmd_stories)

    show = sub.add_parser("show", help="one story: its articles, copies and storyline")
    show.add_argument("story", type=int, metavar="STORY", help="story id (a merged story's id shows what it became)")
    db_option(show, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=cmd_show)

    search = sub.add_parser("search", help="full-text search of the store, with filters")
    search.add_argument("query", nargs="*", help="words or \"a phrase\" (none: newest first)")
    db_option(search, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    _filter_options(search)
    search.add_argument("--limit", type=_positive, default=20, help="at most this many articles (default 20)")
    search.add_argument("--json", action="store_true")
    search.set_defaults(run=cmd_search)

    entity = sub.add_parser("entity", help="everything the store knows about one entity")
    entity.add_argument("name")
    db_option(entity, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    entity.add_argument("--limit", type=int, default=10, help="quotes and events shown")
    entity.add_argument("--json", action="store_true")
    entity.set_defaults(run=cmd_entity)

    serve = sub.add_parser("serve", help="web UI and JSON API on 127.0.0.1")
    db_option(serve, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (others need --token)")
    serve.add_argument("--port", type=int, default=8787)
    serve.add_argument("--token", help="required from clients (also $PARALLAX_TOKEN); needed off loopback")
    serve.add_argument("--workers", type=_positive, default=1, metavar="N",
                       help="server processes answering requests side by side (default 1)")
    serve.add_argument("--get", metavar="PATH", help="send one GET request in-process, print the body, exit")
    serve.set_defaults(run=cmd_serve)

    watch = sub.add_parser("watch", help="saved watches that raise alerts as articles arrive")
    actions = watch.add_subparsers(dest="action", required=True, metavar="ACTION")
    watch_add = actions.add_parser("add", help="save a watch (one of --entity, --keyword, --plover, --storyline)")
    watch_add.add_argument("name")
    what = watch_add.add_mutually_exclusive_group(required=True)
    what.add_argument("--entity", metavar="NAME", help="articles mentioning this entity (any of its names)")
    what.add_argument("--keyword", metavar="QUERY", help='articles with all these words ("a phrase", word*)')
    what.add_argument("--plover", metavar="TYPE", help="articles with an event of this PLOVER type, e.g. PROTEST")
    what.add_argument("--storyline", metavar="ID", type=int, help="new developments in this storyline's stories")
    watch_add.add_argument("--webhook", metavar="URL", help="POST each alert to this URL as JSON")
    watch_rm = actions.add_parser("rm", help="delete a watch and its alerts")
    watch_rm.add_argument("name")
    actions.add_parser("list", help="the saved watches")
    actions.add_parser("check", help="check the whole store now (and retry undelivered webhooks)")
    for action in actions.choices.values():
        db_option(action, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    watch.set_defaults(run=cmd_watch)
    watch_run = actions.add_parser("run", help="poll feeds on a schedule so the watches fire (as `parallax follow`)")
    watch_run.add_argument("feeds", nargs="+", metavar="FEED", help="feed or page URLs")
    schedule_options(watch_run)
    watch_run.set_defaults(run=cmd_follow)

    aliases = sub.add_parser("aliases", help="join entities that are one (U.N. = United Nations) and list the joins")
    aliases.add_argument("--file", metavar="PATH", help="your aliases file ('Name = alias, alias' / 'Name != other'),"
                                                        " instead of settings [entities] aliases_file")
    aliases.add_argument("--dry-run", action="store_true", help="list the joins without making them")
    db_option(aliases, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    aliases.set_defaults(run=cmd_aliases)

    follow = sub.add_parser("follow", help="poll feeds on a schedule: ingest what is new, raise alerts")
    follow.add_argument("sources", nargs="+", metavar="FEED", help="feed or page URLs (files work too)")
    schedule_options(follow)
    follow.set_defaults(run=cmd_follow)

    export = sub.add_parser("export", help="write articles, quotes, events or stories to a file")
    export.add_argument("table", choices=EXPORT_TABLES)
    export.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl",
                        help="jsonl (default), csv, parquet (needs -o), or gdelt (events as GDELT 2.0 TSV)")
    export.add_argument("-o", "--output", help="write to this file instead of stdout")
    db_option(export, f"default $PARALLAX_DB or ./{DEFAULT_DB}")
    export.set_defaults(run=cmd_export)

    demo = sub.add_parser("demo", help="build a fresh store from the bundled corpus and show it")
    db_option(demo, f"default ./{DEMO_DB}, recreated")
    demo.add_argument("--corpus", default=str(DEMO_CORPUS), help="corpus directory")
    demo.add_argument("--json", action="store_true")
    demo.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
    demo.add_argument("--serve", action=argparse.BooleanOptionalAction, default=None,
                      help="serve the store afterwards (default: when standard input is a terminal)")
    demo.add_argument("--port", type=int, default=8787)
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The settings are read once a command is known to run: ``--help`` and a usage error
    # answer before (the settings module reads its defaults file at import).
    from parallax.settings import load_options

    try:
        options = load_options(args.config)
        return int(args.run(args, options))
    except ParallaxError as exc:
        print(f"parallax {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (e.g. `head`) has seen enough
        sys.stdout = open(os.devnull, "w")
        return 0
    except OSError as exc:
        print(f"parallax {args.command}: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"parallax {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

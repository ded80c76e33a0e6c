"""The store at scale on either backend: story assignment, search and the story page, size and memory.

Manual run, not CI: ``python benchmarks/scale.py --backend sqlite|postgres --size N``
(``--postgres URL`` names an empty database for the PostgreSQL run; ``--search-only`` skips
story assignment and the story page, and measures the rest).

Assigning every article of a 1M store one after another takes an hour or more on one core, so
a large run can assign in two runs (``--restart-at N``): the first N articles are bulk-loaded
into SQLite and assigned there by ``assign_stories`` (the real assigner, every article in
arrival order, exactly as a serial ingest leaves them: stories, merges, storylines, signals,
the stored index checkpoint), then the rest are added and a second ``assign_stories`` run
assigns them on the chosen backend (for PostgreSQL after copying the whole store over). The
second run starts as a new ``parallax ingest`` does, rebuilding the clusterer from the store
(timed apart, as the restart), so its figures are assignment against a store of N and more.
``--keep FILE`` keeps the store as the first run left it (a SQLite file), and ``--kept FILE``
starts from such a file instead of assigning the first N again (the replay is drawn up to N
without writing and checked against the file's last article, then continued): so one first
run serves both backends. ``--store LOCATION`` measures a store a run left (a SQLite file or a
PostgreSQL URL, such as a database a PostgreSQL run filled) as it is: search and the story
page only, nothing built or assigned; so a change to search is measured before and after on
one store.

The corpus is ``stories_scale.py``'s replay (perturbed copies of the VOA, Clust-McMs and News-T
dev texts, each copy's vector its base's plus noise), written to a SQLite file first: that is the
bulk load. For PostgreSQL the file is then copied into the database with ``store.copy``
(every row, ids kept), as a laptop store moved to a shared database would be, and vacuumed and
analysed (as autovacuum would, soon after). Articles carry no
annotations (annotation is measured by ``annotate_speed.py``), so story pages list and do not
compare, and entity pages are not timed here (``web_latency.py`` does, on an annotated replay).

Measured on the chosen backend, through the ``Store`` interface, in this process:
- story assignment: ``assign_stories`` over every stored article in arrival order, ms per article
  (mean, p95, slowest) over the last 1,000 before each size in ``--checkpoints`` (the clusterer is
  the same on both backends; what differs is each article's reads and its transaction). A window
  ending at a multiple of 5,000 holds the article that makes an index checkpoint (the index
  saved and loaded back, 3-4 s at 1M): its mean is above the run's average. The store keeps one
  in ten of them (every 50,000: ``STORED_CHECKPOINTS``), written on a thread and connection of
  its own while the next articles are assigned (``stories/store.py``); a run waits for the last
  one before it ends, after its last article (printed apart, with the last titles). A two-run
  assignment also prints the second run's mean over all its articles;
- search: ``search_articles`` for a common word, a pair of common words and a rare word
  (``QUERIES``), p95 ms of ``REPEAT`` runs each, with every match counted apart and the total as
  shown (the search counts only as far as ``RANKED_MATCHES`` and one more, then says "more
  than"); the two backends rank alike but not identically (BM25 / ts_rank);
- what ranking only the newest ``RANKED_MATCHES`` matches costs (``store/sql_search.py``): for
  ``AGREEMENT_QUERIES`` words drawn from random stored articles (so common words are drawn as
  often as they occur) and pairs of them, the first page beside the one ranking every match
  gives: how many pages differ, and how many of the page's articles they share; and the p95 and
  slowest ms of those sampled searches (one run each, words of every frequency);
- the story page: ``story_view`` of stories spread over the id range, p95 ms;
- store bytes per article (the SQLite file with its WAL; ``pg_database_size``), peak RSS.
Figures are ratios-free timings of one run on a shared 2-core machine: compare backends run by run.
"""
from __future__ import annotations

import argparse
import re
import random
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import numpy as np

from stories_scale import WINDOW, Replay, peak_mib
from web_latency import percentile, spread

import parallax.store.sql_search as sql_search
from parallax.store import Store, open_store
from parallax.store.copy import copy_store
from parallax.store.sqlite import SQLiteStore
from parallax.stories.store import assign_stories
from parallax.views.search import PAGE_SIZE, fts_expression, search_articles, total_text
from parallax.views.stories import story_view

# A word in most replayed copies (their credit line "Outlet N report K"); two words each in 40% of
# them and together in 10%, mostly older ones (at 1M the newest 50,000 of those 103k lie among the
# newest 479k articles, so ranking them reads that many); and a word of three base texts.
QUERIES = {"common": "report", "common pair": "news share", "rare": "stipulates"}
REPEAT = 30
STORY_PAGES = 40
# Queries compared with exact ranking: this many single words, and half as many pairs.
AGREEMENT_QUERIES = 40
# A progress line every this many articles assigned.
PROGRESS = 50000
WORD = re.compile(r"[^\W\d_]{3,}")


def to_backend(path: Path, backend: str, postgres: str | None) -> str:
    """The store at ``path`` on the backend (for PostgreSQL copied with every row, then vacuumed
    and analysed, as autovacuum would soon after); returns its location."""
    if backend == "sqlite":
        return str(path)
    assert postgres, "--postgres URL of an empty database is needed for --backend postgres"
    with SQLiteStore(path) as source, open_store(postgres) as target:
        copy_store(source, target)  # type: ignore[arg-type]
        target._run("VACUUM ANALYZE")  # type: ignore[attr-defined]
    path.unlink()
    return postgres


def timed_assignment(store: Store) -> tuple[float, list[float], float]:
    """Run ``assign_stories``: (seconds until the first article was assigned, which includes
    rebuilding the clusterer from the store; ms of each article after it; seconds from the last
    article to the run's end: the last titles, and the wait for a checkpoint still being written)."""
    stamps: list[float] = []
    started = time.perf_counter()

    def stamp(status: str, origin: str, detail: str) -> None:
        stamps.append(time.perf_counter())
        if len(stamps) % PROGRESS == 0:  # a long run says how it goes (on stderr)
            recent = np.diff(np.array(stamps[-WINDOW - 1:])) * 1000
            print(f"assigned {len(stamps)} in {stamps[-1] - started:.0f} s; last {WINDOW} mean {recent.mean():.2f} ms, "
                  f"p95 {np.percentile(recent, 95):.2f} ms; RSS peak {peak_mib():.0f} MiB", file=sys.stderr, flush=True)

    assign_stories(store, stamp)
    if not stamps:
        return 0.0, [], 0.0
    return stamps[0] - started, [float(ms) for ms in np.diff(np.array(stamps)) * 1000], time.perf_counter() - stamps[-1]


def windows_at(per_article: dict[int, float], checkpoints: list[int]) -> list[tuple[int, float, float, float]]:
    """(articles stored, mean, p95 and slowest ms) of assignment over the last ``WINDOW`` articles
    before each checkpoint whose window was timed whole (keys: the article's arrival number)."""
    windows = []
    for n in checkpoints:
        window = [per_article[k] for k in range(n - WINDOW + 1, n + 1) if k in per_article]
        if n >= WINDOW and len(window) == WINDOW:
            windows.append((n, float(np.mean(window)), float(np.percentile(window, 95)), max(window)))
    return windows


def backup(source: Path, target: Path) -> None:
    """Copy a SQLite store, whole, into one file."""
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)


def kept_store(replay: Replay, kept: Path, path: Path, articles: int) -> None:
    """Copy a store a first run left (``--keep``) to ``path`` and draw the replay up to it."""
    backup(kept, path)
    last = replay.skip(articles)
    with SQLiteStore(path) as store:
        stored = store.count_articles(), store.articles_without_story(), store._value(
            "SELECT content_hash FROM articles WHERE id = ?", (articles,))
    assert stored == (articles, [], last), f"{kept} is not the replay's first {articles} articles, all assigned"


def timed(call: object, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def agreement_queries(store: Store, rng: random.Random) -> list[str]:
    """Words of random stored articles (one each), and pairs of words of one article."""
    count, queries = store.count_articles(), list[str]()
    while len(queries) < AGREEMENT_QUERIES * 3 // 2:
        article = store.get_article(rng.randint(1, count))
        words = sorted(set(WORD.findall(f"{article.title or ''} {article.text}".lower()))) if article else []
        if len(words) >= 2:
            picked = rng.sample(words, 2 if len(queries) >= AGREEMENT_QUERIES else 1)
            queries.append(" ".join(picked))
    return queries


def every_match(store: Store, query: str) -> int:
    """How many articles match the query, every match counted."""
    expression = fts_expression(query)
    return len(store.articles_matching(expression, None)) if expression else store.count_articles()


def first_pages(store: Store, queries: list[str]) -> tuple[int, int, int, float, list[float]]:
    """(queries matching more than RANKED_MATCHES, of them those whose first page differs from
    exact ranking's, pages differing in all, the mean share of the exact first page's articles
    that the first page holds, over the queries matching more than RANKED_MATCHES; ms of each
    query's search)."""
    large = differ_large = differ = 0
    shared: list[float] = []
    times: list[float] = []
    bounded = sql_search.RANKED_MATCHES
    everything = store.count_articles()
    for query in queries:
        started = time.perf_counter()
        result = search_articles(store, query)
        times.append((time.perf_counter() - started) * 1000)
        sql_search.RANKED_MATCHES = everything  # every match ranked (and counted)
        try:
            exact = search_articles(store, query)
        finally:
            sql_search.RANKED_MATCHES = bounded
        page, exact_page = [h.article_id for h in result.hits], [h.article_id for h in exact.hits]
        assert result.total_exact == (exact.total <= bounded) and result.total <= exact.total
        large += exact.total > bounded
        differ += page != exact_page
        differ_large += page != exact_page and exact.total > bounded
        if exact.total > bounded:
            shared.append(len(set(page) & set(exact_page)) / len(exact_page))
    return large, differ_large, differ, float(np.mean(shared)) if shared else float("nan"), times


def store_bytes(store: Store, location: str) -> int:
    if location.startswith("postgres"):
        return int(store._value("SELECT pg_database_size(current_database())"))  # type: ignore[attr-defined]
    return sum(p.stat().st_size for p in Path(location).parent.glob(Path(location).name + "*"))


def measure_store(location: str, backend: str) -> int:
    """``--store``: search and the story page of a store as it is."""
    with open_store(location) as store:
        count = store.count_articles()
        searches = measure_searches(store)
        agreement = first_pages(store, agreement_queries(store, random.Random(1)))
        stories = [s.id for s in store.list_stories(limit=10**9)]
        page_ms = [ms for story in spread(stories, STORY_PAGES) for ms in timed(lambda s=story: story_view(store, s), 1)]
    print(f"{backend}: the store at {location.split('@')[-1]} as it is, {count} articles, {len(stories)} live stories")
    report(backend, searches, agreement, page_ms)
    print(f"{backend} peak RSS {peak_mib():.0f} MiB")
    return 0


def measure_searches(store: Store) -> dict[str, tuple[str, int, str, float]]:
    """Each of ``QUERIES``: (query, every match counted, the total as shown, p95 ms)."""
    searches = {}
    for kind, query in QUERIES.items():
        shown = total_text(search_articles(store, query))
        p95 = percentile(timed(lambda q=query: search_articles(store, q), REPEAT), 0.95)
        searches[kind] = (query, every_match(store, query), shown, p95)
    return searches


def report(backend: str, searches: dict[str, tuple[str, int, str, float]],
           agreement: tuple[int, int, int, float, list[float]], page_ms: list[float]) -> None:
    for kind, (query, total, shown, p95) in searches.items():
        print(f"{backend} search {kind} term {query!r} ({total} hits, shown as {shown!r}): p95 {p95:.1f} ms over {REPEAT} runs")
    large, differ_large, differ, shared, sample_ms = agreement
    print(f"{backend} first page beside exact ranking, {AGREEMENT_QUERIES * 3 // 2} sampled queries: {differ} differ; "
          f"{large} match more than {sql_search.RANKED_MATCHES} articles (only the newest ranked), {differ_large} of them differ" +
          (f"; their first page holds {shared:.0%} of the exact first page's {PAGE_SIZE} articles on average" if large else "") +
          f"; their searches p95 {percentile(sample_ms, 0.95):.1f} ms, slowest {max(sample_ms):.1f} ms")
    if page_ms:
        print(f"{backend} story page (story_view) p95 {percentile(page_ms, 0.95):.1f} ms over {len(page_ms)} stories")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=20000, help="articles in the store")
    parser.add_argument("--checkpoints", default="", help="sizes to report assignment at (default: 10k steps and --size)")
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database (for --backend postgres)")
    parser.add_argument("--search-only", action="store_true", help="skip story assignment and the story page")
    parser.add_argument("--restart-at", type=int, default=0, metavar="N",
                        help="assign the first N articles in a first run on sqlite, the rest in a second on the backend")
    parser.add_argument("--keep", metavar="FILE", help="keep the store the first run left (a SQLite file)")
    parser.add_argument("--kept", metavar="FILE", help="start from a store a first run kept (--restart-at N as it was)")
    parser.add_argument("--store", metavar="LOCATION", help="measure search and story pages of this store as it is")
    args = parser.parse_args()
    if args.store:
        return measure_store(args.store, args.backend)
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if c} | {args.size}) if args.checkpoints else \
        sorted({*range(10000, args.size, 10000), args.size})
    first = args.restart_at
    assert not (args.keep or args.kept) or first, "--keep and --kept need --restart-at"
    assert not first or 0 < first < args.size, "--restart-at is a size below --size"
    per_article: dict[int, float] = {}
    first_run = second_run = ""
    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "scale.db"
        started = time.perf_counter()
        replay = Replay(random.Random(0))
        if args.kept:
            kept_store(replay, Path(args.kept), path, first)
            first_run = f"first {first} articles assigned by an earlier run (--kept {args.kept}); "
        elif first and not args.search_only:
            replay.fill(path, first)
            load_seconds = time.perf_counter() - started
            with SQLiteStore(path) as store:
                assigned_at = time.perf_counter()
                restart, times, _ = timed_assignment(store)
                per_article.update(zip(range(2, first + 1), times))
                first_run = (f"first {first} articles bulk-loaded in {load_seconds:.0f} s and assigned on sqlite in "
                             f"{time.perf_counter() - assigned_at:.0f} s; ")
            if args.keep:
                backup(path, Path(args.keep))
        loaded_at = time.perf_counter()
        replay.fill(path, args.size)
        location = to_backend(path, args.backend, args.postgres)
        load_seconds = time.perf_counter() - (loaded_at if first_run else started)
        with open_store(location) as store:
            if not args.search_only:
                assigned = store.count_articles() - len(store.articles_without_story())
                assigned_at = time.perf_counter()
                restart, times, after_last = timed_assignment(store)
                per_article.update(zip(range(assigned + 2, args.size + 1), times))
                if first:
                    second_run = (f"; second run assigned the last {len(times) + 1} on {args.backend} in "
                                  f"{time.perf_counter() - assigned_at:.0f} s: restart (clusterer rebuilt from "
                                  f"the store of {assigned}) {restart:.1f} s, then mean {np.mean(times):.2f} ms/article "
                                  f"(p95 {np.percentile(times, 95):.2f} ms) over the {len(times)} after the first, "
                                  f"then {after_last:.1f} s to the run's end (last titles, last checkpoint written)")
            windows = windows_at(per_article, checkpoints)
            searches = measure_searches(store)
            agreement = first_pages(store, agreement_queries(store, random.Random(1)))
            stories = [] if args.search_only else [s.id for s in store.list_stories(limit=10**9)]
            page_ms = [ms for story in spread(stories, STORY_PAGES) for ms in timed(lambda s=story: story_view(store, s), 1)]
            size_bytes = store_bytes(store, location)
            count = store.count_articles()
    copied = " and the store copied to postgres (vacuumed, analysed)" if args.backend == "postgres" else ""
    print(f"{args.backend}: {count} replayed articles; {first_run}" +
          (f"the rest added{copied} in {load_seconds:.0f} s; " if first_run else f"bulk-loaded in {load_seconds:.0f} s; ") +
          ("story assignment not run (--search-only)" if args.search_only else f"{len(stories)} live stories after assignment")
          + second_run)
    for n, mean, p95, slowest in windows:
        where = "sqlite, first run" if first and n <= first else args.backend
        print(f"{args.backend} assignment at {n} stored ({where}): mean {mean:.2f} ms/article, p95 {p95:.2f} ms, "
              f"slowest {slowest:.0f} ms")
    report(args.backend, searches, agreement, page_ms)
    not_run = [what for what, skipped in (("assignment and story page", args.search_only), ("1M", count < 1_000_000)) if skipped]
    print(f"{args.backend} store {size_bytes / count:.0f} bytes/article; peak RSS {peak_mib():.0f} MiB "
          f"(size {count}{''.join(f'; {what} not run' for what in not_run)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

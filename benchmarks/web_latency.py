"""Latency of the web UI and JSON API: article page, entity page, story page and search API.

Builds the demo store (the bundled seeds and 89 VOA stories, ingested, annotated and grouped
into stories by the real pipeline) in a temporary directory (``--keep DIR`` keeps it, and the
replayed store, for the next run), or uses ``--db PATH``, measures it,
then replays it to ``--replay`` articles (50,000 unless told; 0 skips it: see
``replay_store.py``, whose copies keep the demo's story sizes while entity pages and searches
see every copy) and measures that store too. On each store it requests article pages, the most
mentioned entities' pages, the pages of stories with two or more articles (each reads its
stored view; the views of a replayed store's stories are made first, as ingest makes them) —
up to ``MAX_PAGES`` of each, spread evenly over the store — and a fixed set of analyst-style
searches (with and without filters), from one keep-alive HTTP client against the real server (``parallax.web.serve``, i.e. uvicorn, in its
own process on a loopback port: a server thread inside the measuring process would add tens of
milliseconds of GIL contention), after a warm-up. Prints p50/p95/max per endpoint and store; the
key figures come last, one line per store.
"""
from __future__ import annotations

import argparse
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from parallax.store.sqlite import SQLiteStore
from parallax.views.stories import refresh_story_view
from replay_store import build_demo_store, replay

ROUNDS = 3  # passes over each endpoint's request list
WARMUP = 5
REQUEST_TIMEOUT = 120.0
TOP_ENTITIES = 40
MAX_PAGES = 200  # article and story pages requested per store, spread over it
KEY_ORDER = ("story page", "search API", "article page", "entity page")
START_TIMEOUT = 30.0
SEARCHES: list[dict[str, str]] = [
    {"q": "Putin"},
    {"q": "Syria ceasefire"},
    {"q": '"White House"'},
    {"q": "elect*"},
    {"q": "China Taiwan", "outlet": "Voice of America"},
    {"q": "minister", "since": "2025-01-01", "until": "2025-12-31"},
    {"q": "talks", "plover": "CONSULT"},
    {"q": "", "entity": "Donald Trump"},
    {"q": "the"},
]


@contextmanager
def server_process(db: Path) -> Iterator[str]:
    """``parallax.web.serve`` on a free loopback port in a child process; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = f"from parallax.web import serve; serve({str(db)!r}, port={port})"
    child = subprocess.Popen([sys.executable, "-c", code])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                httpx.get(base + "/api/stories")
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError("the web server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        child.terminate()
        child.wait()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(client: httpx.Client, requests: list[Callable[[httpx.Client], object]]) -> list[float]:
    """Milliseconds per request, ROUNDS passes over ``requests`` after a short warm-up."""
    for call in requests[:WARMUP]:
        call(client)
    times: list[float] = []
    for _ in range(ROUNDS):
        for call in requests:
            start = time.perf_counter()
            response = call(client)
            times.append((time.perf_counter() - start) * 1000)
            assert getattr(response, "status_code") == 200, response
    return times


def spread(ids: list[int], most: int) -> list[int]:
    """At most ``most`` of ``ids``, evenly spaced, so a large store is sampled end to end."""
    step = max(1, -(-len(ids) // most))
    return ids[::step]


def measure_store(db: Path) -> tuple[str, dict[str, list[float]]]:
    """What was requested of the store at ``db``, and milliseconds per request by endpoint."""
    with SQLiteStore(db) as store:
        articles = spread([int(r[0]) for r in store.db.execute("SELECT id FROM articles ORDER BY id")], MAX_PAGES)
        entities = [int(r[0]) for r in store.db.execute(
            "SELECT entity_id FROM entity_mentions GROUP BY entity_id ORDER BY count(*) DESC LIMIT ?", (TOP_ENTITIES,))]
        size = store.count_articles()
        stories = spread([int(r[0]) for r in store.db.execute(
            """SELECT story_id FROM story_articles sa JOIN stories s ON s.id = sa.story_id
               WHERE s.merged_into IS NULL GROUP BY story_id HAVING count(*) >= 2 ORDER BY story_id""")], MAX_PAGES)
    # The views of the stories requested, as ingest stores them for every story it changes
    # (none to make on a store built by ingest; a replayed store's copies were filed without it).
    started = time.perf_counter()
    with SQLiteStore(db) as store:
        made = sum(refresh_story_view(store, story) for story in stories)
    print(f"{db.name}: {made} of {len(stories)} story views made ahead in {time.perf_counter() - started:.0f} s")
    # A story page whose view is missing computes it, seconds on a cold process: no 5 s cut-off.
    with server_process(db) as base, httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        endpoints = {
            "article page": [lambda c, i=i: c.get(f"/articles/{i}") for i in articles],
            "entity page": [lambda c, i=i: c.get(f"/entities/{i}") for i in entities],
            "story page": [lambda c, i=i: c.get(f"/stories/{i}") for i in stories],
            "search API": [lambda c, p=p: c.get("/api/search", params=p) for p in SEARCHES],
        }
        results = {name: measure(client, calls) for name, calls in endpoints.items()}
    described = (f"{size} articles: {len(articles)} article pages, {len(entities)} entities, "
                 f"{len(stories)} stories of 2+ articles, {len(SEARCHES)} searches")
    return described, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store to measure (and replay) instead of the demo store")
    parser.add_argument("--replay", type=int, default=50000, metavar="N",
                        help="also measure the store replayed to N articles (0: do not)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the demo and replayed stores in DIR; a later run given the same DIR reuses them")
    args = parser.parse_args()
    figures: dict[str, tuple[str, dict[str, list[float]]]] = {}
    with tempfile.TemporaryDirectory(prefix="parallax-web-latency-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source = Path(args.db) if args.db else folder / "demo.db"
        if not args.db and not source.exists():
            build_demo_store(folder / "building.db")
            (folder / "building.db").rename(source)
        label = f"store {args.db}" if args.db else "demo store"
        figures[label] = measure_store(source)
        if args.replay:
            replayed = folder / f"replay-{args.replay}.db"
            if not replayed.exists():
                building = folder / "replaying.db"
                copy = sqlite3.connect(building)
                with SQLiteStore(source) as original:
                    original.db.backup(copy)
                copy.close()
                started = time.perf_counter()
                with SQLiteStore(building) as store:
                    replay(store, args.replay)
                print(f"replayed to {args.replay} articles in {time.perf_counter() - started:.0f} s")
                building.rename(replayed)
            with SQLiteStore(replayed) as store:
                size = store.count_articles()
            figures[f"{size}-article store"] = measure_store(replayed)
    for label, (described, results) in figures.items():
        print(f"{label}: {described}")
        print(f"{'endpoint':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for name, samples in results.items():
            print(f"{name:<14}{len(samples):>9}{statistics.median(samples):>9.1f}{percentile(samples, 0.95):>9.1f}{max(samples):>9.1f}")
    for label, (_, results) in figures.items():
        print(f"{label}: " + ", ".join(f"{name} p95 {percentile(results[name], 0.95):.1f} ms" for name in KEY_ORDER))


if __name__ == "__main__":
    main()

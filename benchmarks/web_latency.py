"""Latency of the web UI and JSON API: article page, entity page, story page and search API.

Builds the demo store (the bundled seeds and 89 VOA stories, ingested and annotated by the real
pipeline, its stories grouped by the real clusterer when ingest has not written any) in a
temporary directory, or uses ``--db PATH``, then requests every article page, the most
mentioned entities' pages, the pages of the stories with two or more articles (each computes its
comparison and timeline per request) and a fixed set of analyst-style searches (with and without
filters) from one keep-alive HTTP client against the real server (``parallax.web.serve``, i.e.
uvicorn, in its own process on a loopback port: a server thread inside the measuring process
would add tens of milliseconds of GIL contention), after a warm-up. Prints p50/p95/max per endpoint; the key figures come last.

The ≥ 50k-article figure the issue asks for needs a replayed store of that size, which does not
exist yet; pass it with ``--db`` when it does.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from parallax import jobs
from parallax.settings import load_options
from parallax.store import SQLiteStore

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
ROUNDS = 3  # passes over each endpoint's request list
WARMUP = 5
TOP_ENTITIES = 40
START_TIMEOUT = 30.0
SEARCHES: list[dict[str, str]] = [
    {"q": "Putin"},
    {"q": "Syria ceasefire"},
    {"q": '"White House"'},
    {"q": "elect*"},
    {"q": "China Taiwan", "outlet": "Voice of America"},
    {"q": "minister", "date_from": "2025-01-01", "date_to": "2025-12-31"},
    {"q": "talks", "plover": "CONSULT"},
    {"q": "", "entity": "Donald Trump"},
    {"q": "the"},
]


def build_demo_store(directory: Path) -> Path:
    path = directory / "demo.db"
    with SQLiteStore(path) as store:
        jobs.ingest([str(DEMO / "seeds"), str(DEMO / "voa" / "voa_stories.jsonl")], store, load_options())
        jobs.annotate_store(store)
        if not store.db.execute("SELECT count(*) FROM story_articles").fetchone()[0]:
            write_stories(store)
    return path


def write_stories(store: SQLiteStore) -> None:
    """Group the store's articles with the real clusterer and write the story tables, for a
    store whose ingest does not write stories yet."""
    from parallax.stories import cluster_records

    articles = list(store.iter_articles())
    rows = cluster_records({"id": str(a.id), "title": a.title or "", "text": a.text,
                            "published": a.published.value[:10] if a.published else None} for a in articles)
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    storylines: dict[object, int] = {}
    stories: dict[object, int] = {}
    db = store.db
    db.execute("BEGIN")
    for row in rows:
        if row["storyline"] not in storylines:
            storylines[row["storyline"]] = int(db.execute("INSERT INTO storylines (updated_at) VALUES (?)", (now,)).lastrowid)
        if row["story"] not in stories:
            stories[row["story"]] = int(db.execute("INSERT INTO stories (storyline_id, updated_at) VALUES (?, ?)",
                                                   (storylines[row["storyline"]], now)).lastrowid)
        db.execute("INSERT INTO story_articles (article_id, story_id, added_at) VALUES (?, ?, ?)",
                   (int(row["id"]), stories[row["story"]], now))
    db.execute("COMMIT")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store to measure instead of building the demo store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else build_demo_store(Path(tmp))
        with SQLiteStore(db) as store:
            articles = [int(r[0]) for r in store.db.execute("SELECT id FROM articles ORDER BY id")]
            entities = [int(r[0]) for r in store.db.execute(
                "SELECT entity_id FROM entity_mentions GROUP BY entity_id ORDER BY count(*) DESC LIMIT ?", (TOP_ENTITIES,))]
            size = store.count_articles()
            stories = [int(r[0]) for r in store.db.execute(
                """SELECT story_id FROM story_articles sa JOIN stories s ON s.id = sa.story_id
                   WHERE s.merged_into IS NULL GROUP BY story_id HAVING count(*) >= 2 ORDER BY story_id""")]
        with server_process(db) as base, httpx.Client(base_url=base) as client:
            endpoints = {
                "article page": [lambda c, i=i: c.get(f"/articles/{i}") for i in articles],
                "entity page": [lambda c, i=i: c.get(f"/entities/{i}") for i in entities],
                "story page": [lambda c, i=i: c.get(f"/stories/{i}") for i in stories],
                "search API": [lambda c, p=p: c.get("/api/search", params=p) for p in SEARCHES],
            }
            results = {name: measure(client, calls) for name, calls in endpoints.items()}
    print(f"store: {size} articles, {len(entities)} entities and {len(stories)} stories of 2+ articles measured ({'--db ' + str(db) if args.db else 'demo store'})")
    print(f"{'endpoint':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, samples in results.items():
        print(f"{name:<14}{len(samples):>9}{statistics.median(samples):>9.1f}{percentile(samples, 0.95):>9.1f}{max(samples):>9.1f}")
    print("≥50k-article replay store: not measured yet (no such store exists; run with --db when it does)")
    for name, samples in results.items():
        print(f"{name}: p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms")


if __name__ == "__main__":
    main()

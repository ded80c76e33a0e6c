"""Latency of the web UI and JSON API: article page, entity page and search API.

Builds the demo store (the bundled seeds and 89 VOA stories, ingested and annotated by the real
pipeline) in a temporary directory, or uses ``--db PATH``, then requests every article page,
the most mentioned entities' pages and a fixed set of analyst-style searches (with and without
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
    return path


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
        with server_process(db) as base, httpx.Client(base_url=base) as client:
            endpoints = {
                "article page": [lambda c, i=i: c.get(f"/articles/{i}") for i in articles],
                "entity page": [lambda c, i=i: c.get(f"/entities/{i}") for i in entities],
                "search API": [lambda c, p=p: c.get("/api/search", params=p) for p in SEARCHES],
            }
            results = {name: measure(client, calls) for name, calls in endpoints.items()}
    print(f"store: {size} articles, {len(entities)} entities measured ({'--db ' + str(db) if args.db else 'demo store'})")
    print(f"{'endpoint':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, samples in results.items():
        print(f"{name:<14}{len(samples):>9}{statistics.median(samples):>9.1f}{percentile(samples, 0.95):>9.1f}{max(samples):>9.1f}")
    print("≥50k-article replay store: not measured yet (no such store exists; run with --db when it does)")
    for name, samples in results.items():
        print(f"{name}: p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms")


if __name__ == "__main__":
    main()

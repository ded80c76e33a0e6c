"""Cost of watches and exports at scale: how long checking arrivals holds up ingest, and export speed.

Builds the demo store (seeds and 89 VOA stories, ingested, annotated and grouped into stories by
the real pipeline) or takes ``--db``, then replays it to ``--articles`` rows (``replay_store.py``:
each copy a distinct article under a rotating outlet, with its annotations, mentions, quotes and
events, in a copy of its original's story and storyline). With one watch of each kind (entity,
keyword, PLOVER, storyline; webhooks to a local receiver), it times ``raise_alerts`` on batches of
arrivals (matching and webhook delivery, as ingest calls it), matching the whole store (``watch
check`` without its delivery, which its budget bounds), and each export.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from parallax import jobs
from parallax.settings import load_options
from parallax.store.sqlite import SQLiteStore
from parallax.views.export import export
from parallax.views.watch import add_watch, check_watches
from replay_store import build_demo_store, replay

BATCH = 50  # arrivals per check, about what one feed poll brings
BATCHES = 20


class _Hook(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts += 1  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an annotated store to start from (default: build the demo store)")
    parser.add_argument("--articles", type=int, default=20000, help="replay the store up to this many articles")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parallax-watch-bench-"))
    try:
        path = work / "bench.db"
        if args.db:
            shutil.copyfile(args.db, path)
        else:
            build_demo_store(path)
        hook = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
        hook.posts = 0  # type: ignore[attr-defined]
        threading.Thread(target=hook.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
        options = load_options()
        with SQLiteStore(path) as store:
            copies = replay(store, args.articles)
            line = store.db.execute("SELECT storyline_id FROM stories ORDER BY id LIMIT 1").fetchone()[0]
            add_watch(store, "putin", "entity", "Putin", webhook=url)
            add_watch(store, "ceasefire", "keyword", "ceasefire", webhook=url)
            add_watch(store, "consult", "plover", "CONSULT", webhook=url)
            add_watch(store, "line", "storyline", str(line), webhook=url)
            total = store.count_articles()
            arrivals = copies[-BATCH * BATCHES:]
            batch_seconds, alerts = [], 0
            for first in range(0, len(arrivals), BATCH):
                started = time.perf_counter()
                raised, _ = jobs.raise_alerts(store, arrivals[first : first + BATCH], options)
                batch_seconds.append(time.perf_counter() - started)
                alerts += len(raised)
            whole = timed(lambda: check_watches(store, None))  # matching only: delivery is budgeted apart
            repeat = check_watches(store, None)
            print(f"{total} articles; {len(arrivals)} arrivals in batches of {BATCH}: {alerts} alerts, {hook.posts} POSTs")  # type: ignore[attr-defined]
            print(f"{'export':<18} {'rows':>8} {'seconds':>8} {'rows/s':>9}")
            export_rates = {}
            for table, fmt in (("articles", "jsonl"), ("articles", "parquet"), ("events", "csv"), ("events", "gdelt"),
                               ("quotes", "jsonl"), ("stories", "parquet")):
                out = work / f"{table}.{fmt}"
                with out.open("w", encoding="utf-8", newline="") as handle:
                    started = time.perf_counter()
                    rows = export(store, table, fmt, out if fmt == "parquet" else handle)
                    seconds = time.perf_counter() - started
                export_rates[f"{table}.{fmt}"] = rows / seconds if seconds else 0.0
                print(f"{table + '.' + fmt:<18} {rows:>8} {seconds:>8.2f} {export_rates[f'{table}.{fmt}']:>9.0f}")
        hook.shutdown()
        p95 = statistics.quantiles(batch_seconds, n=20)[-1]
        print(f"repeat whole-store check raised {len(repeat)} alerts (must be 0)")
        print(f"check per arrival batch: p50 {statistics.median(batch_seconds) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
        print(f"whole-store check: {whole:.2f} s for {total} articles")
        print(f"export rows/s: events.gdelt {export_rates['events.gdelt']:.0f}, articles.parquet {export_rates['articles.parquet']:.0f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Cost of watches and exports at scale: how long checking arrivals holds up ingest, and export speed.

Builds the demo store (seeds and 89 VOA stories, ingested and annotated by the real pipeline) or
takes ``--db``, then replays it to ``--articles`` rows: each original is copied (text varied, so
each copy is a distinct article) with its entity mentions and events, every copy filed in its
original's story under a rotating outlet name. With one watch of each kind (entity, keyword,
PLOVER, storyline; webhooks to a local receiver), it times ``raise_alerts`` on batches of
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
from parallax.store import SQLiteStore
from parallax.views.export import export
from parallax.views.watch import add_watch, check_watches

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
BATCH = 50  # arrivals per check, about what one feed poll brings
BATCHES = 20
OUTLETS = 12  # outlet names the replayed copies rotate through


class _Hook(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet."""

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts += 1  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()


def build_demo_store(path: Path) -> None:
    with SQLiteStore(path) as store:
        jobs.ingest([str(DEMO / "seeds"), str(DEMO / "voa" / "voa_stories.jsonl")], store, load_options())
        jobs.annotate_store(store)


def replay(store: SQLiteStore, target: int) -> list[int]:
    """Copy the store's articles (with mentions and events) until it holds ``target``; file each
    original in a story of its own storyline and its copies beside it. Returns the copies' ids."""
    db = store.db
    originals = [int(r[0]) for r in db.execute("SELECT id FROM articles ORDER BY id")]
    db.execute("BEGIN")
    for original in originals:
        line = db.execute("INSERT INTO storylines (title, updated_at) VALUES ('replay', 'now')").lastrowid
        story = db.execute("INSERT INTO stories (storyline_id, updated_at) VALUES (?, 'now')", (line,)).lastrowid
        db.execute("INSERT OR IGNORE INTO story_articles (article_id, story_id, added_at) VALUES (?, ?, 'now')", (original, story))
    copies: list[int] = []
    n = len(originals)
    while n < target:
        source = originals[n % len(originals)]
        new = db.execute(
            """INSERT INTO articles (url, url_key, content_hash, title, text, outlet, published, published_granularity,
                   published_source, language, extractor, origin, furniture, ingested_at)
               SELECT url || '#r' || ?, NULL, content_hash || ?, title, text || ' ', ?, published, published_granularity,
                   published_source, language, extractor, origin || '#r', furniture, ingested_at FROM articles WHERE id = ?""",
            (n, n, f"Outlet {n % OUTLETS}", source),
        ).lastrowid
        db.execute("""INSERT INTO entity_mentions (article_id, entity_id, local_id, start, end, text)
                      SELECT ?, entity_id, local_id, start, end, text FROM entity_mentions WHERE article_id = ?""", (new, source))
        db.execute("""INSERT INTO events (article_id, rank, plover, mode, cameo, status, actor_entity_id, actor_text, target_entity_id,
                      target_text, date, place, according_to_entity_id, evidence, evidence_start, evidence_end)
                      SELECT ?, rank, plover, mode, cameo, status, actor_entity_id, actor_text, target_entity_id, target_text,
                      date, place, according_to_entity_id, evidence, evidence_start, evidence_end FROM events WHERE article_id = ?""",
                   (new, source))
        db.execute("""INSERT INTO story_articles (article_id, story_id, added_at)
                      SELECT ?, story_id, 'now' FROM story_articles WHERE article_id = ?""", (new, source))
        copies.append(int(new))
        n += 1
    db.execute("COMMIT")
    return copies


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

"""Pages under load while an ingest writes: 16 connections for 30 s on the story, search and
article pages of a store served by ``parallax serve`` (the real server, on loopback), while
another process ingests into the same store. Prints, per page, requests/s, p50 and p99, and
the errors (any non-200 answer or failed request).

    python benchmarks/load.py --db parallax-demo.db [--connections 16] [--seconds 30] [--workers 2]

The store is copied first, so the one given is not written to. The writer ingests the bundled
VOA stories again as new articles (each text given a distinct last sentence).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
VOA = ROOT / "data" / "demo" / "voa" / "voa_stories.jsonl"


def _paths(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as con:
        stories = [r[0] for r in con.execute("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id LIMIT 20")]
        articles = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id LIMIT 20")]
    return {"story": [f"/stories/{s}" for s in stories], "search": ["/search?q=president", "/search?q=police+said",
                                                                    "/api/search?q=russia"],
            "article": [f"/articles/{a}" for a in articles]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=1, help="server processes (parallax serve --workers)")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    with tempfile.TemporaryDirectory(prefix="parallax-load-") as folder:
        db = Path(folder) / "store.db"
        shutil.copy(args.db, db)
        records = Path(folder) / "more.jsonl"
        records.write_text("".join(json.dumps({**json.loads(line), "id": f"x{n}", "url": None,
                                               "text": json.loads(line)["text"] + f" Update {n}."}) + "\n"
                                   for n, line in enumerate(VOA.open(encoding="utf-8"))), "utf-8")
        paths = _paths(db)
        port = 18787
        server = subprocess.Popen([sys.executable, "-m", "parallax.cli", "serve", "--db", str(db), "--port", str(port),
                                   "--workers", str(args.workers)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            writer = subprocess.Popen([sys.executable, "-m", "parallax.cli", "ingest", str(records), "--db", str(db),
                                       "--no-progress", "--engine", "serial"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            timings: dict[str, list[float]] = {kind: [] for kind in paths}
            errors: dict[str, int] = {kind: 0 for kind in paths}
            deadline = time.monotonic() + args.seconds
            lock = threading.Lock()

            def hammer(worker: int) -> None:
                kinds = list(paths)
                n = worker
                with httpx.Client(base_url=base, timeout=30) as client:
                    while time.monotonic() < deadline:
                        kind = kinds[n % len(kinds)]
                        path = paths[kind][n % len(paths[kind])]
                        n += 1
                        started = time.monotonic()
                        try:
                            ok = client.get(path).status_code == 200
                        except httpx.HTTPError:
                            ok = False
                        with lock:
                            timings[kind].append(time.monotonic() - started)
                            errors[kind] += not ok

            threads = [threading.Thread(target=hammer, args=(w,)) for w in range(args.connections)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            writing = writer.poll() is None
            writer.wait()
        finally:
            server.terminate()
            server.wait()
    parts = []
    for kind, times in timings.items():
        cuts = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
        parts.append(f"{kind} {len(times) / args.seconds:.1f} req/s, p50 {1000 * cuts[49]:.0f} ms, p99 {1000 * cuts[98]:.0f} ms, "
                     f"errors {errors[kind]}")
    print(f"load.py --connections {args.connections} --seconds {args.seconds:g} --workers {args.workers} (ingest writing "
          f"{'throughout' if writing else 'part of the time'}): " + "; ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

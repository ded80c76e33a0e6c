"""Crash safety: ``parallax ingest`` killed with SIGKILL at random moments, then run again, must
leave the store an uninterrupted run leaves: no article lost, none twice, the same alerts once.

The corpus is the bundled VOA stories in four JSON-lines files. A reference store is built by
one uninterrupted run with three keyword watches saved first. Then, ``--kills`` times, a fresh
store with the same watches is ingested into, killed after a random share of the reference
run's time (so kills land in reading, cleaning, storing, and with ``--annotate`` annotation and
story assignment, and in the alert check at the end), and ingested again to completion. Each is
compared with the reference by content (articles by content hash, alerts by watch and article
hash): lost and duplicated articles, alerts missing, extra or raised twice, and SQLite's
integrity check.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOA = ROOT / "data" / "demo" / "voa" / "voa_stories.jsonl"
WATCHES = (("president", "president"), ("police", "police"), ("election", "election*"))
PARTS = 4


def corpus(folder: Path) -> Path:
    """The VOA stories in ``PARTS`` files (several inputs, several batches)."""
    records = VOA.read_text("utf-8").splitlines()
    target = folder / "corpus"
    target.mkdir()
    for part in range(PARTS):
        (target / f"part{part}.jsonl").write_text("\n".join(records[part::PARTS]) + "\n", "utf-8")
    return target


def _command(source: Path, db: Path, annotate: bool) -> list[str]:
    return [sys.executable, "-m", "parallax.cli", "ingest", str(source), "--db", str(db), "--no-progress",
            "--engine", "serial", "--annotate" if annotate else "--no-annotate"]


def fresh_store(db: Path) -> None:
    from parallax.store import open_store
    from parallax.views.watch import add_watch

    with open_store(str(db)) as store:
        for name, words in WATCHES:
            add_watch(store, name, "keyword", words)


def state(db: Path) -> tuple[bool, Counter[str], Counter[tuple[str, str]]]:
    """(integrity ok, articles by content hash, alerts by (watch, article hash)) of a store."""
    from parallax.store import open_store

    with open_store(str(db)) as store:
        ok = store.integrity_ok()
        articles = Counter(r[0] for r in store._run("SELECT content_hash FROM articles"))
        alerts = Counter((r[0], r[1]) for r in store._run(
            "SELECT w.name, a.content_hash FROM alerts x JOIN watches w ON w.id = x.watch_id JOIN articles a ON a.id = x.article_id"))
    return ok, articles, alerts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--annotate", action="store_true", help="annotate and assign stories too (slow)")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="parallax-kill-") as folder:
        source = corpus(Path(folder))
        reference = Path(folder) / "reference.db"
        fresh_store(reference)
        started = time.monotonic()
        subprocess.run(_command(source, reference, args.annotate), env=env, check=True, capture_output=True)
        seconds = time.monotonic() - started
        ok, articles, alerts = state(reference)
        assert ok and alerts, "the reference run raised no alerts"
        lost = doubled = alert_missing = alert_extra = alert_twice = broken = 0
        killed_at: list[float] = []
        for kill in range(args.kills):
            db = Path(folder) / f"killed{kill}.db"
            fresh_store(db)
            share = rng.uniform(0.05, 1.05)
            run = subprocess.Popen(_command(source, db, args.annotate), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                run.wait(timeout=share * seconds)
            except subprocess.TimeoutExpired:
                run.send_signal(signal.SIGKILL)
                run.wait()
                killed_at.append(share)
            rerun = subprocess.run(_command(source, db, args.annotate), env=env, capture_output=True, text=True)
            if rerun.returncode not in (0, 1):
                print(f"kill {kill}: the rerun failed: {rerun.stderr.strip().splitlines()[-1:]}")
            ok, got, raised = state(db)
            broken += not ok
            lost += sum((articles - got).values())
            doubled += sum(n - 1 for n in got.values() if n > 1)
            alert_missing += sum((alerts - raised).values())
            alert_extra += sum((raised - alerts).values())
            alert_twice += sum(n - 1 for n in raised.values() if n > 1)
            for suffix in ("", "-wal", "-shm", "-assign.lock"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    mode = "ingest + annotation + stories + alerts" if args.annotate else "ingest + alerts"
    print(f"kill.py --kills {args.kills}{' --annotate' if args.annotate else ''} ({mode}; reference run {seconds:.0f} s, "
          f"{sum(articles.values())} articles, {sum(alerts.values())} alerts): {len(killed_at)} runs killed "
          f"(at {min(killed_at, default=0):.2f}-{max(killed_at, default=0):.2f} of the reference time), the rest finished first; "
          f"after each rerun: integrity failures {broken}, articles lost {lost}, duplicated {doubled}; "
          f"alerts missing {alert_missing}, extra {alert_extra}, raised twice {alert_twice}")
    return 0 if not (broken or lost or doubled or alert_missing or alert_extra or alert_twice) else 1


if __name__ == "__main__":
    sys.exit(main())

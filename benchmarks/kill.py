"""Crash safety: ``parallax ingest`` killed with SIGKILL at random moments, then run again, must
leave the store an uninterrupted run leaves: no article lost, none twice, the same alerts once.

The corpus is the bundled VOA stories in four JSON-lines files. A reference store is built by
one uninterrupted run with three keyword watches saved first (with ``--annotate`` also an
entity watch, which reads the annotations). Then, ``--kills`` times, a fresh store with the same
watches is ingested into, killed, and ingested again to completion. Each is compared with the
reference by content (articles by content hash, alerts by watch and article hash): lost and
duplicated articles, alerts missing, extra or raised twice, SQLite's integrity check, and with
``--annotate`` articles left without a story or in two.

Where the kill lands: without ``--annotate``, after a random share of the reference run's time.
With it, a run's stages are told apart by what the store shows while it runs (polled every
``POLL`` seconds), because a share of the reference time misses the late stages whenever a run
is faster than the reference (model loading varies with the machine's load): the kills take the
stages in turn — ingest (start-up, reading, cleaning, until the first batch is stored),
annotation (the batches being stored: each batch is annotated before it is written, which is
most of its time), stories (every article stored, not all given a story), views (every article
given a story, the changed stories' views being made, no watch checked yet), alerts (a watch
checked through the newest article, the others being checked, the process ending) — each at a
random point of that stage's length in the reference run, counted from the moment the killed
run enters it, or at once when the run is past it sooner. The stage a kill actually hit is read
from the store just before the signal.

``--index-checkpoint N`` makes the runs (the reference too) checkpoint the story index every N
articles, written to the store in parts of ``--index-part-bytes`` (the corpus is far smaller
than the shipped interval, 5,000, so otherwise no stored checkpoint is ever written), and
``--stage`` aims the kills at the stages named (stories, and views: the run waits for the last
checkpoint being written after every article has its story): so kills land while a stored checkpoint is being
written (counted from what the killed store holds: parts beside the stored checkpoint's), and
each rerun restarts from a stored checkpoint and must still make the reference's stories.
"""
from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parallax.store import Store

ROOT = Path(__file__).resolve().parents[1]
VOA = ROOT / "data" / "demo" / "voa" / "voa_stories.jsonl"
WATCHES = (("president", "keyword", "president"), ("police", "keyword", "police"), ("election", "keyword", "election*"))
ENTITY_WATCHES = (("trump", "entity", "Donald Trump"),)  # with --annotate: alerts that need annotation and stories
PARTS = 4
POLL = 0.05
STAGES = ("ingest", "annotation", "stories", "views", "alerts")


def corpus(folder: Path) -> Path:
    """The VOA stories in ``PARTS`` files (several inputs, several batches)."""
    records = VOA.read_text("utf-8").splitlines()
    target = folder / "corpus"
    target.mkdir()
    for part in range(PARTS):
        (target / f"part{part}.jsonl").write_text("\n".join(records[part::PARTS]) + "\n", "utf-8")
    return target


# A run with a smaller index checkpoint interval and part size than the shipped ones.
CHECKPOINTING = ("import sys, parallax.stories.cluster as cluster, parallax.store.sql_stories as stories; "
                 "cluster.INDEX_CHECKPOINT = {every}; stories.INDEX_PART_BYTES = {part}; "
                 "from parallax.cli import main; sys.exit(main())")


def _command(source: Path, db: Path, annotate: bool, checkpoint: tuple[int, int] | None = None,
             engine: str = "serial") -> list[str]:
    """The ingest command (``checkpoint``: the index checkpoint interval and part bytes to run with;
    ``engine``: where the order-free stages run, ``--engine``)."""
    run = ["-c", CHECKPOINTING.format(every=checkpoint[0], part=checkpoint[1])] if checkpoint else ["-m", "parallax.cli"]
    return [sys.executable, *run, "ingest", str(source), "--db", str(db), "--no-progress",
            "--engine", engine, "--annotate" if annotate else "--no-annotate"]


def checkpoint_being_written(db: Path) -> bool:
    """Whether the store holds parts of an index checkpoint beside the stored one's (a write, or
    the dropping of the replaced parts, was cut short)."""
    from parallax.store import open_store
    from parallax.store.sql_stories import INDEX_PART_RANGE

    with open_store(str(db)) as store:
        first = store._value("SELECT first_part FROM story_index WHERE id = 1")
        held = store._run("SELECT part FROM story_index_parts").fetchall()
    return any(first is None or not first <= part < first + INDEX_PART_RANGE for (part,) in held)


def fresh_store(db: Path, annotate: bool) -> None:
    from parallax.store import open_store
    from parallax.views.watch import add_watch

    with open_store(str(db)) as store:
        for name, kind, value in WATCHES + (ENTITY_WATCHES if annotate else ()):
            add_watch(store, name, kind, value)


def stage_of(stored: int, settled: int, newest: int, checked: int, articles: int) -> int:
    """The stage (index into ``STAGES``) of a run that stores ``articles`` in all, from what its
    store shows: articles stored, the last id through which all have a story, the last id, the
    furthest any watch has been checked through."""
    if stored == 0:
        return 0
    if stored < articles:
        return 1
    if settled < newest:
        return 2
    return 3 if checked < newest else 4


def look(store: Store) -> tuple[int, int, int, int]:
    """(articles stored, settled through, newest id, checked through) of a store a run writes."""
    return (store.count_articles(), store.settled_through(stories=True), store.settled_through(stories=False),
            max(watch.checked_through for watch in store.watches()))


def timed_stages(run: subprocess.Popen[bytes], store: Store) -> tuple[list[float], float]:
    """The seconds each stage of ``run`` took, watched through ``store`` until it ends, and the
    whole run's seconds."""
    started = time.monotonic()
    samples: list[tuple[float, tuple[int, int, int, int]]] = []
    while run.poll() is None:
        samples.append((time.monotonic(), look(store)))
        time.sleep(POLL)
    ended = time.monotonic()
    articles = store.count_articles()
    entered = [started] + [ended] * (len(STAGES) - 1)
    for moment, seen in reversed(samples):
        for later in range(1, stage_of(*seen, articles) + 1):
            entered[later] = min(entered[later], moment)
    return [b - a for a, b in zip(entered, entered[1:] + [ended])], ended - started


def kill_in_stage(run: subprocess.Popen[bytes], store: Store, articles: int, target: int, seconds: float) -> int | None:
    """SIGKILL ``run`` ``seconds`` after it enters stage ``target``, or as soon as it is past that
    stage (a run faster than the reference: the kill lands at the start of the next stage, not
    after the run has ended); the stage the store shows at the kill, or None when the run ended
    first."""
    entered: float | None = None
    while run.poll() is None:
        now = time.monotonic()
        stage = stage_of(*look(store), articles)
        if entered is None and stage >= target:
            entered = now
        if entered is not None and (now - entered >= seconds or stage > target):
            run.send_signal(signal.SIGKILL)
            run.wait()
            return stage
        time.sleep(POLL if entered is None else min(POLL, seconds - (now - entered)))
    return None


def state(db: Path) -> tuple[bool, Counter[str], Counter[tuple[str, str]], int, frozenset[frozenset[str]]]:
    """(integrity ok, articles by content hash, alerts by (watch, article hash), articles without
    a story, the stories as sets of article hashes) of a store."""
    from parallax.store import open_store

    with open_store(str(db)) as store:
        ok = store.integrity_ok()
        articles = Counter(r[0] for r in store._run("SELECT content_hash FROM articles"))
        alerts = Counter((r[0], r[1]) for r in store._run(
            "SELECT w.name, a.content_hash FROM alerts x JOIN watches w ON w.id = x.watch_id JOIN articles a ON a.id = x.article_id"))
        merged = dict(store._run("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL").fetchall())
        members: dict[int, set[str]] = {}
        for story, content in store._run("SELECT s.story_id, a.content_hash FROM story_articles s JOIN articles a ON a.id = s.article_id"):
            while story in merged:
                story = merged[story]
            members.setdefault(story, set()).add(content)
        storyless = sum(articles.values()) - sum(len(m) for m in members.values())
    return ok, articles, alerts, storyless, frozenset(frozenset(m) for m in members.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--annotate", action="store_true", help="annotate and assign stories too (slow)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--engine", choices=("serial", "process"), default="serial",
                        help="where the runs map the order-free stages (process: worker processes, killed with the driver)")
    parser.add_argument("--stage", choices=STAGES, action="append",
                        help="with --annotate: aim the kills at this stage (repeated: at these in turn)")
    parser.add_argument("--index-checkpoint", type=int, default=0, metavar="N",
                        help="checkpoint the story index every N articles (default: the shipped interval)")
    parser.add_argument("--index-part-bytes", type=int, default=4096, help="with --index-checkpoint: bytes a part")
    args = parser.parse_args(argv)
    checkpoint = (args.index_checkpoint, args.index_part_bytes) if args.index_checkpoint else None
    from parallax.store import open_store

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="parallax-kill-") as folder:
        source = corpus(Path(folder))
        reference = Path(folder) / "reference.db"
        fresh_store(reference, args.annotate)
        with open_store(str(reference)) as watched:
            run = subprocess.Popen(_command(source, reference, args.annotate, checkpoint, args.engine), env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            lengths, seconds = timed_stages(run, watched)
        assert run.returncode == 0, f"the reference run failed ({run.returncode})"
        ok, articles, alerts, storyless, stories = state(reference)
        assert ok and alerts, "the reference run raised no alerts"
        assert not (args.annotate and storyless), "the reference run left articles without a story"
        total = sum(articles.values())
        if args.annotate:
            print("reference stages (s): " + ", ".join(f"{name} {length:.1f}" for name, length in zip(STAGES, lengths)), flush=True)
        lost = doubled = alert_missing = alert_extra = alert_twice = broken = left = regrouped = mid_write = 0
        killed_at: list[float] = []
        hit = Counter[str]()
        for kill in range(args.kills):
            db = Path(folder) / f"killed{kill}.db"
            fresh_store(db, args.annotate)
            run = subprocess.Popen(_command(source, db, args.annotate, checkpoint, args.engine), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if args.annotate:
                target = STAGES.index(args.stage[kill % len(args.stage)]) if args.stage else kill % len(STAGES)
                with open_store(str(db)) as watched:
                    landed = kill_in_stage(run, watched, total, target, rng.uniform(0, 1) * lengths[target])
                landed_in = STAGES[landed] if landed is not None else "finished first"
                hit[landed_in] += 1
            else:
                share = rng.uniform(0.05, 1.05)
                try:
                    run.wait(timeout=share * seconds)
                except subprocess.TimeoutExpired:
                    run.send_signal(signal.SIGKILL)
                    run.wait()
                    killed_at.append(share)
            writing = checkpoint is not None and checkpoint_being_written(db)
            mid_write += writing
            rerun = subprocess.run(_command(source, db, args.annotate, checkpoint, args.engine), env=env, capture_output=True, text=True)
            if rerun.returncode not in (0, 1):
                print(f"kill {kill}: the rerun failed: {rerun.stderr.strip().splitlines()[-1:]}", flush=True)
            ok, got, raised, without, grouped = state(db)
            missing, extra = sum((articles - got).values()), sum(n - 1 for n in got.values() if n > 1)
            broken += not ok
            lost += missing
            doubled += extra
            alert_missing += sum((alerts - raised).values())
            alert_extra += sum((raised - alerts).values())
            alert_twice += sum(n - 1 for n in raised.values() if n > 1)
            if args.annotate:
                left += without
                regrouped += grouped != stories
                print(f"kill {kill}: aimed at {STAGES[target]}, hit {landed_in}"
                      f"{' (a stored checkpoint being written)' if writing else ''}; integrity {'ok' if ok else 'FAILED'}, "
                      f"articles lost {missing}, duplicated {extra}; alerts {sum(raised.values())}/{sum(alerts.values())} "
                      f"(missing {sum((alerts - raised).values())}, extra {sum((raised - alerts).values())}), storyless {without}, "
                      f"stories {'as' if grouped == stories else 'NOT as'} the reference", flush=True)
            for suffix in ("", "-wal", "-shm", "-assign.lock"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
    mode = "ingest + annotation + stories + views + alerts" if args.annotate else "ingest + alerts"
    if checkpoint:
        mode += (f"; the story index checkpointed every {checkpoint[0]} articles, stored in parts of {checkpoint[1]} bytes: "
                 f"{mid_write} kills while a stored checkpoint was being written")
    if args.annotate:
        where = ", ".join(f"{name} {hit[name]}" for name in (*STAGES, "finished first"))
        killed = f"{sum(hit[name] for name in STAGES)} runs killed ({where}); "
        extra = f"; articles without a story {left}, stories unlike the reference's in {regrouped} runs"
    else:
        killed = (f"{len(killed_at)} runs killed (at {min(killed_at, default=0):.2f}-{max(killed_at, default=0):.2f} "
                  "of the reference time), the rest finished first; ")
        extra = ""
    options = "".join(f" --stage {stage}" for stage in args.stage or ()) + \
        (f" --index-checkpoint {args.index_checkpoint}" if args.index_checkpoint else "") + \
        (f" --engine {args.engine}" if args.engine != "serial" else "")
    print(f"kill.py --kills {args.kills}{' --annotate' if args.annotate else ''}{options} ({mode}; reference run {seconds:.0f} s, "
          f"{total} articles, {sum(alerts.values())} alerts): {killed}"
          f"after each rerun: integrity failures {broken}, articles lost {lost}, duplicated {doubled}; "
          f"alerts missing {alert_missing}, extra {alert_extra}, raised twice {alert_twice}{extra}")
    return 0 if not (broken or lost or doubled or alert_missing or alert_extra or alert_twice or left) else 1


if __name__ == "__main__":
    sys.exit(main())

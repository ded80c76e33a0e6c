"""A killed ingest resumes: SIGKILL mid-run, run again, every article stored exactly once; and
two ingests writing the same inputs at once store each article once. On both backends."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Stores
from parallax.cli import DEMO_CORPUS
from parallax.store import is_postgres, open_store

VARIANTS = 6  # distinct copies of each VOA story: enough work that the kill lands mid-run


def _corpus(tmp_path: Path) -> tuple[Path, int]:
    """Many small JSONL files made distinct by a trailing sentence."""
    records = [json.loads(line) for line in (DEMO_CORPUS / "voa" / "voa_stories.jsonl").open(encoding="utf-8")]
    folder = tmp_path / "corpus"
    folder.mkdir()
    for variant in range(VARIANTS):
        with (folder / f"part{variant:02d}.jsonl").open("w", encoding="utf-8") as out:
            for record in records:
                copy = dict(record, id=f"{record['id']}-{variant}", url=f"{record['url']}?v={variant}")
                copy["text"] = f"{record['text']} Variant {variant}."
                out.write(json.dumps(copy) + "\n")
    return folder, VARIANTS * len(records)


def _count(location: str) -> int:
    """Articles stored so far, read beside the writer (0 while the store is not there yet)."""
    if is_postgres(location):
        import psycopg

        with psycopg.connect(location) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    try:
        con = sqlite3.connect(f"file:{location}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (from /proc: each process's parent is its stat's 4th field)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _wait_gone(pids: set[int], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {pid for pid in alive if Path(f"/proc/{pid}").exists() and not _zombie(pid)}
    assert not alive, f"worker processes {sorted(alive)} outlived the killed ingest"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def _ingest(folder: Path, location: str) -> list[str]:
    return [sys.executable, "-m", "parallax.cli", "ingest", str(folder), "--db", location, "--no-progress", "--no-annotate"]


def _stored_once(location: str, expected: int) -> None:
    with open_store(location) as store:
        assert store.integrity_ok()
        assert store.count_articles() == expected
        hashes = store._one("SELECT count(DISTINCT content_hash), count(DISTINCT url_key) FROM articles")
        assert tuple(hashes) == (expected, expected)
        # Every input was seen once on the rerun or before it: no record is missing a sighting.
        assert store._value("SELECT count(DISTINCT origin) FROM sightings") == expected


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_stores_every_article_once(tmp_path: Path, stores: Stores) -> None:
    folder, expected = _corpus(tmp_path)
    location = stores.empty()
    command = _ingest(folder, location)
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(location) < expected // 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus bigger"
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _count(location)
    assert 0 < at_kill < expected
    _wait_gone(workers)  # the killed driver's worker processes end with it

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    _stored_once(location, expected)


@pytest.mark.slow
def test_two_ingests_of_the_same_inputs_at_once_store_each_article_once(tmp_path: Path, stores: Stores) -> None:
    folder, expected = _corpus(tmp_path)
    location = stores.empty()
    with open_store(location):
        pass  # created and migrated before the writers race
    writers = [subprocess.Popen(_ingest(folder, location), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    outcomes = [w.communicate(timeout=600) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err[-2000:] for _, err in outcomes]
    _stored_once(location, expected)

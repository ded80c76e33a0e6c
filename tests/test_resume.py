"""A killed ingest resumes: SIGKILL mid-run, run again, every article stored exactly once."""
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

from parallax.cli import DEMO_CORPUS
from parallax.store import open_store

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


def _count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_ingest_then_rerun_stores_every_article_once(tmp_path: Path) -> None:
    folder, expected = _corpus(tmp_path)
    db = tmp_path / "p.db"
    command = [sys.executable, "-m", "parallax.cli", "ingest", str(folder), "--db", str(db), "--no-progress", "--no-annotate"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(db) < expected // 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _count(db)
    assert 0 < at_kill < expected

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with open_store(str(db)) as store:
        assert store.integrity_ok()
        assert store.count_articles() == expected
        hashes = store.db.execute("SELECT count(DISTINCT content_hash), count(DISTINCT url_key) FROM articles").fetchone()
        assert tuple(hashes) == (expected, expected)
        # Every input was seen once on the rerun or before it: no record is missing a sighting.
        assert store.db.execute("SELECT count(DISTINCT origin) FROM sightings").fetchone()[0] == expected

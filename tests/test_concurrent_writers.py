"""Concurrent writers into one SQLite store: processes opening a new store at once all find one
whole schema (50 synchronised tries); two ingests into a new store path store each article once; two story assigners
at once file each article once (one waits for the other)."""
from __future__ import annotations

import json
import os
from collections import Counter
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parallax.cli import DEMO_CORPUS
from parallax.store import open_store
from parallax.store.migrations import MIGRATIONS

SRC = Path(__file__).resolve().parents[1] / "src"
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}

# Each process waits for a common start time, so the opens and writes really overlap.
# Articles for two assigners: enough that the first is still at work when the second starts.
ARTICLES = 300

_AT_ONCE = "import sys, time; time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"

# Opens each new store path at its own moment (start + n × step), the same moments in every
# process: many synchronised tries for the cost of one start-up; a failure is printed, not fatal.
_OPEN_EACH = """
import sys, time
from parallax.store import open_store
start, step = float(sys.argv[1]), float(sys.argv[2])
for n, location in enumerate(sys.argv[3:]):
    time.sleep(max(0.0, start + n * step - time.time()))
    try:
        open_store(location).close()
    except Exception as exc:
        print(f"{location}: {type(exc).__name__}: {exc}")
"""
# Synchronised tries: the probe's 50 (it saw 50 of 50 fail before the schema was set up under the write lock).
TRIES = 50

_ASSIGN = _AT_ONCE + """
import zlib
import numpy as np
from parallax.store import open_store
from parallax.stories.params import load_story_params
from parallax.stories.store import assign_stories

def embed(texts):  # a stand-in embedder: a fixed vector per text, the same in every process
    rows = [np.random.default_rng(zlib.crc32(t.encode())).random(8).astype(np.float32) for t in texts]
    return np.stack([r / np.linalg.norm(r) for r in rows])

with open_store(sys.argv[2]) as store:
    print(assign_stories(store, embedder=embed, params=load_story_params()))
"""


def _together(scripts: list[list[str]], timeout: float = 300) -> list[subprocess.CompletedProcess[str]]:
    start = time.time() + 2.0
    running = [subprocess.Popen([sys.executable, "-c", script[0], str(start), *script[1:]], env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for script in scripts]
    done = []
    for process in running:
        out, err = process.communicate(timeout=timeout)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def test_processes_opening_a_new_store_at_once_all_find_its_schema(tmp_path: Path) -> None:
    locations = [str(tmp_path / f"new{attempt}.db") for attempt in range(TRIES)]
    results = _together([[_OPEN_EACH, "0.25", *locations] for _ in range(3)])
    assert [(r.returncode, r.stdout) for r in results] == [(0, "")] * 3, [r.stdout[-1500:] + r.stderr[-1500:] for r in results]
    for location in locations:
        with open_store(location) as store:
            assert store.schema_version == len(MIGRATIONS) and store.integrity_ok()


@pytest.mark.slow
def test_two_ingests_into_a_new_store_path_store_each_article_once(tmp_path: Path) -> None:
    source = DEMO_CORPUS / "voa" / "voa_stories.jsonl"
    expected = sum(1 for line in source.open(encoding="utf-8") if line.strip())
    location = str(tmp_path / "fresh.db")
    ingest = ("import runpy; sys.argv = ['parallax', 'ingest', sys.argv[3], '--db', sys.argv[2], '--no-progress', "
              "'--no-annotate', '--engine', 'serial']\nrunpy.run_module('parallax.cli', run_name='__main__')\n")
    results = _together([[_AT_ONCE + ingest, location, str(source)] for _ in range(2)], timeout=600)
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-1500:] for r in results]
    with open_store(location) as store:
        assert store.integrity_ok() and store.count_articles() == expected
        assert store._value("SELECT count(DISTINCT content_hash) FROM articles") == expected


def test_two_story_assigners_at_once_file_each_article_once(tmp_path: Path) -> None:
    location = str(tmp_path / "p.db")
    records = tmp_path / "records.jsonl"
    paragraph = "Officials met on Tuesday to discuss the {0} plan; the council will publish findings on the {0} next month. "
    records.write_text("".join(json.dumps({"id": str(n), "title": f"Plan {n}", "text": paragraph.format(f"topic {n}") * 3}) + "\n"
                               for n in range(ARTICLES)), "utf-8")
    from parallax import jobs
    from parallax.settings import load_options

    with open_store(location) as store:
        assert jobs.ingest([str(records)], store, load_options()).ingested == ARTICLES
    results = _together([[_ASSIGN, location] for _ in range(2)])
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-1500:] for r in results]
    assert sorted(int(r.stdout.split()[-1]) for r in results) == [0, ARTICLES]  # one assigned all, the other waited
    with open_store(location) as store:
        assert store._value("SELECT count(*) FROM story_articles") == ARTICLES
        assert store.articles_without_story() == []
        assert store._value("SELECT count(*) FROM article_failures") == 0  # no assigner met the other's filing


def test_pages_are_served_while_an_ingest_writes(tmp_path: Path) -> None:
    """serve reads (its own connections, WAL readers) while a writer commits batch after batch:
    no request fails, none waits on the writer's lock."""
    import threading

    import httpx

    from parallax import jobs
    from parallax.settings import load_options
    from parallax.web.app import running

    location = str(tmp_path / "p.db")
    with open_store(location) as store:
        jobs.ingest([str(DEMO_CORPUS / "seeds")], store, load_options())
    answers: list[int] = []
    writing = threading.Event()
    with running(location) as base:

        def read() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while writing.is_set():
                    for path in ("/", "/api/search?q=president", "/api/stories", "/api/articles/1", "/stories"):
                        answers.append(client.get(path).status_code)

        writing.set()
        reader = threading.Thread(target=read)
        reader.start()
        try:
            with open_store(location) as store:
                summary = jobs.ingest([str(DEMO_CORPUS / "voa" / "voa_stories.jsonl")], store, load_options())
        finally:
            writing.clear()
            reader.join()
    assert summary.ingested == 89
    assert answers and set(answers) == {200}, Counter(answers)

"""The ingest engines: the same store whichever runs the order-free stages, and worker failures
retried, a document that fails twice skipped with one line (real worker processes, real Ray)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from parallax import jobs
from parallax.cli import DEMO_CORPUS
from parallax.engines import Engine, ProcessEngine, SerialEngine, make_engine
from parallax.errors import ParallaxError
from parallax.model import RawDocument, Skip
from parallax.pipeline import Batch, MapConfig, Processed, process_batch
from parallax.settings import load_options
from parallax.store import open_store

# Columns that record when a row was written, not what it holds.
WHEN = {"ingested_at", "annotated_at", "seen_at", "added_at", "updated_at", "written_at", "at", "created_at"}
CRASH_ONCE, CRASH_ALWAYS = "CRASH-ONCE", "CRASH-ALWAYS"
SRC = Path(__file__).resolve().parents[1] / "src"


def store_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (full-text index shadows and timestamps left out), in id order."""
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")]
        contents = {}
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] not in WHEN]
            contents[table] = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
        return contents
    finally:
        db.close()


def corpus(folder: Path, records: int = 7) -> Path:
    """A small real corpus: VOA stories (one record twice, a duplicate), both seeds, one junk file."""
    folder.mkdir()
    lines = (DEMO_CORPUS / "voa" / "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()[:records]
    (folder / "a_voa.jsonl").write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")
    for seed in sorted((DEMO_CORPUS / "seeds").glob("*.txt")):
        (folder / f"b_{seed.name}").write_bytes(seed.read_bytes())
    (folder / "c_junk.bin").write_bytes(bytes(range(256)) * 8)
    return folder


def run(engine: Engine, source: Path, db: Path, annotate: bool = True, **kwargs: object) -> jobs.IngestSummary:
    try:
        with open_store(str(db)) as store:
            summary = jobs.ingest([str(source)], store, load_options(), annotate=annotate, engine=engine,
                                  batch_size=2, **kwargs)  # type: ignore[arg-type]
            if annotate:
                jobs.assign_stories(store)
            return summary
    finally:
        engine.close()


@pytest.mark.slow
def test_serial_and_two_worker_processes_write_the_same_store(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in")
    serial = run(SerialEngine(), source, tmp_path / "serial.db")
    parallel = run(ProcessEngine(2), source, tmp_path / "process.db")
    assert (serial.ingested, serial.duplicate, len(serial.skipped), serial.annotated) == (9, 1, 1, 9)
    assert (parallel.ingested, parallel.duplicate, len(parallel.skipped)) == (9, 1, 1)
    one, other = store_contents(tmp_path / "serial.db"), store_contents(tmp_path / "process.db")
    assert len(one["annotations"]) == 9 and len(one["story_articles"]) == 9 and one["quotes"]
    assert one == other


def where_mapped(batch: Batch, config: MapConfig) -> list[Processed]:
    """Each document skipped with where it was mapped: the process and its spaCy pipeline's address."""
    from parallax.nlp import load_nlp

    return [Processed(seq, doc, Skip("", f"{os.getpid()} {id(load_nlp())}")) for seq, doc in batch.tasks]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_worker_processes_share_the_models_the_driver_loaded() -> None:
    """Forked once the driver has loaded the models, a worker maps with the driver's spaCy
    pipeline (the same object, inherited copy-on-write) instead of loading one of its own."""
    from parallax.nlp import load_nlp

    docs = [(n, RawDocument(f"{n}.txt", "text/plain", b"x")) for n in range(4)]
    engine = ProcessEngine(2)
    try:
        mapped = list(engine.map(where_mapped, MapConfig(load_options()), [Batch(0, tuple(docs[:2])), Batch(1, tuple(docs[2:]))]))
    finally:
        engine.close()
    places = [r.outcome.reason.split() for _, results in mapped if isinstance(results, list) for r in results
              if isinstance(r.outcome, Skip)]
    assert len(places) == 4 and str(os.getpid()) not in {pid for pid, _ in places}
    assert {address for _, address in places} == {str(id(load_nlp()))}


def test_warming_loads_what_the_annotators_load_on_first_use() -> None:
    """``warm`` (run in the driver before it forks its workers) loads the gazetteer too, which the
    claims annotator reads only at a name after a locative preposition that the tagger did not
    call a place: loaded later, every worker loaded a copy of its own. A fresh process, so that
    nothing an earlier test loaded counts."""
    code = ("from parallax.pipeline import MapConfig, warm; from parallax.settings import load_options; "
            "from parallax.gazetteer import _gazetteer; warm(MapConfig(load_options())); "
            "print(_gazetteer.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["1"]


def crashing(batch: Batch, config: MapConfig) -> list[Processed]:
    """The real mapped stage, except that a worker dies on a marked document: always, or only the
    first time (a marker file beside the input remembers)."""
    for _, doc in batch.tasks:
        if isinstance(doc, RawDocument) and CRASH_ALWAYS.encode() in doc.body:
            os._exit(3)
        if isinstance(doc, RawDocument) and CRASH_ONCE.encode() in doc.body:
            marker = Path(doc.origin).with_suffix(".crashed")
            if not marker.exists():
                marker.touch()
                os._exit(3)
    return process_batch(batch, config)


def crash_corpus(folder: Path) -> Path:
    folder.mkdir()
    seeds = sorted((DEMO_CORPUS / "seeds").glob("*.txt"))
    body = seeds[0].read_text(encoding="utf-8")
    (folder / "a.txt").write_text(body, encoding="utf-8")
    (folder / "b.txt").write_text(body.replace("\n\n", f"\n\n{CRASH_ONCE} ", 1), encoding="utf-8")
    (folder / "c.txt").write_text(body.replace("\n\n", f"\n\n{CRASH_ALWAYS} ", 1), encoding="utf-8")
    (folder / "d.txt").write_text(seeds[1].read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def check_crash_run(summary: jobs.IngestSummary) -> None:
    assert summary.ingested == 3, summary  # a, b (its worker died once: retried) and d
    assert [s.origin.rsplit("/", 1)[-1] for s in summary.skipped] == ["c.txt"]
    assert summary.skipped[0].reason.startswith("E196 ")


@pytest.mark.slow
def test_a_dead_worker_is_retried_and_a_document_failing_twice_is_one_skip(tmp_path: Path) -> None:
    """Real worker processes dying (no annotation, so that each fresh worker starts quickly).

    One worker, so that the batch holding CRASH-ONCE runs before the one holding CRASH-ALWAYS:
    with two, a worker dying takes the pool and its sibling down, and when CRASH-ALWAYS died
    first, CRASH-ONCE had not run yet and died on its retry, its first run (a fresh-clone CI run
    under load drew that order). Two workers writing the same store are tested above."""
    summary = run(ProcessEngine(1), crash_corpus(tmp_path / "in"), tmp_path / "p.db", annotate=False, map_fn=crashing)
    check_crash_run(summary)
    with open_store(str(tmp_path / "p.db")) as store:
        assert store.count_articles() == 3 and store.integrity_ok()


def test_an_unknown_engine_is_a_numbered_error() -> None:
    with pytest.raises(ParallaxError, match="^E801 "):
        make_engine("spark")


@pytest.fixture()
def ray_engine() -> Iterator[Callable[[int], Engine]]:
    """Ray engines on a local Ray bound to 127.0.0.1; Ray is shut down after the test, whatever happens."""
    ray = pytest.importorskip("ray")
    from parallax.ray_engine import RayEngine

    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the crashing stage travels by value
    try:
        yield lambda workers: RayEngine(workers)
    finally:
        ray.shutdown()


@pytest.mark.slow
def test_a_ray_run_writes_the_store_a_serial_run_writes(tmp_path: Path, ray_engine: Callable[[int], Engine]) -> None:
    source = corpus(tmp_path / "in", records=5)
    run(SerialEngine(), source, tmp_path / "serial.db")
    summary = run(ray_engine(2), source, tmp_path / "ray.db")
    assert (summary.ingested, summary.duplicate, len(summary.skipped)) == (7, 1, 1)
    assert store_contents(tmp_path / "serial.db") == store_contents(tmp_path / "ray.db")


@pytest.mark.slow
def test_a_dead_ray_worker_is_retried_and_a_document_failing_twice_is_one_skip(tmp_path: Path) -> None:
    """Real Ray workers dying, in a Python process of its own: run after another Ray test in the
    same pytest process, the run hung (Ray's second local start in one process; the run itself
    passes on a fresh one), so the test starts the fresh one."""
    pytest.importorskip("ray")
    code = "\n".join([
        "import sys",
        "from pathlib import Path",
        f"sys.path.insert(0, {str(Path(__file__).resolve().parent)!r})",
        "import ray",
        "from ray import cloudpickle",
        "import test_engines as t",
        "from parallax.ray_engine import RayEngine",
        "cloudpickle.register_pickle_by_value(t)  # the crashing stage travels by value",
        f"folder = Path({str(tmp_path)!r})",
        "try:",
        "    summary = t.run(RayEngine(2), t.crash_corpus(folder / 'in'), folder / 'p.db', annotate=False,"
        " map_fn=t.crashing)",
        "    t.check_crash_run(summary)",
        "finally:",
        "    ray.shutdown()",
        "print('checked')",
    ])
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)}, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.split()[-1:] == ["checked"], done.stderr[-3000:]
    with open_store(str(tmp_path / "p.db")) as store:
        assert store.count_articles() == 3 and store.integrity_ok()


def test_the_mapped_stage_stores_the_lead_vectors_story_assignment_embeds(tmp_path: Path) -> None:
    """Embedding is mapped with annotation; the vectors stored are those the assigner would
    have embedded in the driver, to the bit, so a run's stories do not depend on where."""
    from parallax.stories.embed import embed_multilingual, lead_text, vector_bytes, vector_model
    from parallax.stories.params import load_story_params

    params = load_story_params()
    with open_store(str(tmp_path / "s.db")) as store:
        jobs.ingest([str(corpus(tmp_path / "in", records=3))], store, load_options(), annotate=True,
                    engine=SerialEngine(), batch_size=2)
        articles = list(store.iter_articles())
        stored = store.vectors(vector_model(params), [a.id for a in articles if a.id is not None])
    expected = embed_multilingual([lead_text(a.title or "", a.text, params.lead_chars) for a in articles])
    assert len(articles) == 5 and [stored.get(a.id or 0) for a in articles] == [vector_bytes(v) for v in expected]

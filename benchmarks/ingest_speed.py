"""Ingest speed end to end (read → clean → annotate → store → stories → alerts), engine by engine,
each beside a plain spaCy parse of the same texts in the same run.

Corpora: the 89 VOA stories written out as one .txt file each (title line, blank line, body),
and the extraction-dev pages (``../shared/data/extraction-dev/html``) wrapped as WARC response
records in one .warc.gz (the first ``--pages``; mostly German: only English articles are annotated).
Engines (``parallax ingest --engine``): serial; worker processes (2); Ray with 1 and with 2 actors.
Each run ingests the corpus into a fresh SQLite store through ``jobs.run_ingest`` and is timed by
the wall clock, in a fresh process of its own, so that every engine pays its start (imports, model
loading, worker start-up) inside the clock as a command-line run does, and none finds the models an
earlier run loaded. Right before each run, the plain parse:
spaCy's ``nlp.pipe`` (batches of 16, the stock model as spaCy loads it, without our memoised
components, loaded and warmed outside the clock, one process) over every text the run stores; "of parse" is the run's articles/s over the parse's.
CPU seconds per article by stage come from the serial run: read and write (the driver), clean,
annotate and embed (the mapped stage), stories (assignment). On a machine shared with other jobs
the wall clock says more about the neighbours than about us, so each run's CPU seconds per
article (this process and its worker processes; Ray's workers are not ours to count) are printed
beside the plain parse's, and "CPU of parse" is the parse's CPU per article over the run's.
"store" is a digest of what the run's store holds (each article's text, annotations, lead vector
and story, in article order), "NO" beside it when it differs from the first run's: a faster engine
must not change it, nor may a change meant to be faster (compare the digests of two checkouts).

    .venv/bin/python benchmarks/ingest_speed.py [--pages N] [--engines serial,process,ray1,ray2] [--corpora voa,warc]
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import multiprocessing
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax import jobs
from parallax.engines import Engine, ProcessEngine, SerialEngine
from parallax.settings import load_options
from parallax.store import open_store

if TYPE_CHECKING:
    from spacy.language import Language

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
GOAL_PER_SECOND = 20.0  # issue 11: ≥ 20 articles/s on 2 cores, and ≥ 1.0 of the plain parse


def write_voa(folder: Path) -> Path:
    folder.mkdir()
    for line in (DATA / "voa" / "voa_stories.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        (folder / f"{record['id']}.txt").write_text(f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")
    return folder


def write_warc(path: Path, pages: int) -> Path:
    """Some eval keys are labels ("hard::site.html"), not URLs: a crawler would have a URL."""
    evaldata = json.loads((DATA / "extraction-dev" / "evaldata.json").read_text(encoding="utf-8"))
    files = [(url, DATA / "extraction-dev" / "html" / f"{entry['file']}.gz") for url, entry in sorted(evaldata.items())]
    files = [(url, file) for url, file in files if file.exists()][: pages or None]
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, (key, page) in enumerate(files):
            url = key if key.startswith(("http://", "https://")) else f"https://example.org/page/{n}"
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(gzip.decompress(page.read_bytes())),
                                               http_headers=headers)
            writer.write_record(record)
    return path


def ingest_fresh(source: Path, db: Path, engine: str) -> tuple[int, float, float, dict[str, float], list[str], str]:
    """``ingest`` on the named engine in a fresh process (spawned: it inherits nothing loaded)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(ingest_named, source, db, engine).result()


def ingest_named(source: Path, db: Path, engine: str) -> tuple[int, float, float, dict[str, float], list[str], str]:
    return ingest(source, db, engines()[engine]())


def engines() -> dict[str, Callable[[], Engine]]:
    def ray(workers: int) -> Callable[[], Engine]:
        def make() -> Engine:
            from parallax.ray_engine import RayEngine

            return RayEngine(workers)
        return make

    return {"serial": SerialEngine, "process": lambda: ProcessEngine(2), "ray1": ray(1), "ray2": ray(2)}


def children_cpu() -> float:
    """CPU seconds of this process's finished child processes (the worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ingest(source: Path, db: Path, engine: Engine) -> tuple[int, float, float, dict[str, float], list[str], str]:
    """Inputs, wall seconds, CPU seconds (this process and its workers), CPU seconds by stage
    (driver ones measured here), stored texts, and a digest of the store's content."""
    options = load_options(per_host_interval=0)
    with open_store(str(db)) as store:
        start, cpu, children = time.perf_counter(), time.process_time(), children_cpu()
        try:
            summary = jobs.ingest([str(source)], store, options, annotate=True, engine=engine)
        finally:
            engine.close()
        driver = time.process_time() - cpu
        stories = time.process_time()
        jobs.assign_stories(store)
        stories = time.process_time() - stories
        jobs.raise_alerts(store, options)
        wall = time.perf_counter() - start
        total = time.process_time() - cpu + children_cpu() - children
        articles = list(store.iter_articles())
        texts = [a.text for a in articles]
        filed = {a.article_id: (a.story_id, a.vector) for a in store.assigned_articles()}
        content = [(a.text, store.annotation(a.id), filed.get(a.id)) for a in articles if a.id is not None]
        digest = hashlib.md5(pickle.dumps(content)).hexdigest()
    mapped = sum(summary.cpu.values()) if isinstance(engine, SerialEngine) else 0.0
    stages = {"read+write": driver - mapped, **summary.cpu, "stories": stories}
    return summary.ingested + summary.duplicate + len(summary.skipped), wall, total, stages, texts, digest


@lru_cache(maxsize=1)
def stock_nlp() -> Language:
    """spaCy's pipeline of the model as spaCy loads it."""
    import spacy

    from parallax.nlp import MODEL

    return spacy.load(MODEL)


def plain_parse(texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds for stock spaCy alone over the texts (model loaded and warmed before)."""
    nlp = stock_nlp()
    list(nlp.pipe(texts[:2]))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="extraction-dev pages in the WARC (0: all 990)")
    parser.add_argument("--engines", default="serial,process,ray1,ray2")
    parser.add_argument("--corpora", default="voa,warc")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    chosen = [name for name in engines() if name in args.engines.split(",")]
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        writers = {"voa": lambda: write_voa(work / "voa"), "warc": lambda: write_warc(work / "pages.warc.gz", args.pages)}
        corpora = {name: write() for name, write in writers.items() if name in args.corpora.split(",")}
        print(f"{'corpus':6} {'engine':8} {'inputs':>6} {'seconds':>8} {'articles/s':>10} {'parse/s':>8} {'of parse':>8}"
              f" {'CPU s/art':>9} {'parse CPU':>9} {'CPU of parse':>12} {'store':>11}")
        for corpus, source in corpora.items():
            texts: list[str] = []
            figures = []
            first = ""
            for name in chosen:
                parse = plain_parse(texts) if texts else None
                inputs, wall, cpu, stages, texts, digest = ingest_fresh(source, work / f"{corpus}-{name}.db", name)
                first = first or digest
                parse = parse or plain_parse(texts)  # the first run's texts are known only after it
                rate, parse_rate = inputs / wall, len(texts) / parse[0]
                ours = not name.startswith("ray")
                per, parse_per = cpu / max(1, inputs), parse[1] / max(1, len(texts))
                of_cpu = f"{parse_per / per:12.2f}" if ours else f"{'n/a':>12}"
                print(f"{corpus:6} {name:8} {inputs:6d} {wall:8.1f} {rate:10.2f} {parse_rate:8.2f} {rate / parse_rate:8.2f}"
                      f" {per if ours else float('nan'):9.3f} {parse_per:9.3f} {of_cpu} {digest[:8]:>8}{'' if digest == first else ' NO':3}",
                      flush=True)
                cpu_figure = f"; CPU {per:.3f} s/article, {parse_per / per:.2f} of the parse's {parse_per:.3f}" if ours else ""
                same = "" if digest == first else "; its store DIFFERS from the first run's"
                figures.append(f"{name} {rate:.1f}/s ({rate / parse_rate:.2f} of parse{cpu_figure}{same})")
                if name == "serial":
                    by_stage = {stage: seconds / max(1, inputs) for stage, seconds in stages.items()}
                    lines.append(f"{corpus} serial CPU s/article: " + ", ".join(f"{s} {v:.3f}" for s, v in by_stage.items()))
            lines.append(f"{corpus} ({inputs} inputs): " + "; ".join(figures))
    print(f"goal: ≥ {GOAL_PER_SECOND:.0f} articles/s on 2 cores and ≥ 1.0 of the plain parse")
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

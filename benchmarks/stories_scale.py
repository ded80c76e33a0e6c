"""Story assignment at scale: time per article with 10k and 100k articles in the store, and memory.

No corpus of 100k real articles is at hand, so one is replayed from the dev texts: the 89 VOA
stories, the 209 Clust-McMs articles and the 11,109 News-T titles are the base texts, and the
store is filled with perturbed copies of them, cycling through the bases: sentences shuffled,
the tail trimmed, furniture lines added ("Advertisement", "Watch ... News", share prompts), the
publication date shifted by up to a few days around a base date (VOA's own; a random day in
2019-2025 for the others). About half of the articles are News-T titles, so the texts are shorter
than a news feed's; copy detection therefore sees fewer shingles than real articles give it.

Embedding is measured apart, on a sample of base texts: it is order-free and batchable, so a
deployment embeds as articles arrive. In the replay each base text is embedded once and a copy's
vector is the base vector plus Gaussian noise scaled to a cosine of about 0.9 with it (about how
close two outlets' leads on one happening are); the vectors are written to ``article_vectors``
before assignment starts, as ingest would have. Articles are written to the store directly
(cleaning and annotation are other benchmarks).

The store is filled to each size in turn (10k, then 100k), and after each filling
``assign_stories`` runs over the new articles in arrival order, timing each article (its reads,
sketch, nearest-neighbour search, decision and transaction); the figures are the mean, median
and 95th percentile over the last 1,000 articles before each size is reached. Each run after the
first starts by rebuilding the clusterer from the store, as a new ``parallax ingest`` does. A copy
of the store is kept at each size, and the rebuild a restart costs (``_StoryWriter``: reading the
stored vectors, sketches, days and entities, loading or rebuilding the nearest-neighbour index)
is timed on each, with the ingest modules already imported as in an ingest run. ``--keep DIR``
keeps the copies, and a later run given the same DIR only times the restarts again. Peak memory
is the process's maximum resident set size (``resource.getrusage``).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

import parallax.jobs  # noqa: F401  (a restart happens inside an ingest run, which has it loaded)
from parallax.store.sqlite import SQLiteStore
from parallax.store.keys import content_hash
from parallax.stories.embed import embed_multilingual, lead_text
from parallax.stories.params import load_story_params
from parallax.stories.store import _StoryWriter, assign_stories, vector_model

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
WINDOW = 1000
COPY_COSINE = 0.9
EMBED_SAMPLE = 200
FURNITURE = ["Advertisement", "Watch {outlet} News", "Share this article on Facebook", "Image", "Read more"]
OUTLETS = [f"Outlet {i}" for i in range(40)]
FIRST_DAY, LAST_DAY = date(2019, 1, 1), date(2025, 12, 31)
MAX_SHIFT_DAYS = 3


def base_texts(rng: random.Random) -> list[tuple[str, str, date]]:
    """(title, text, base day) of every dev text the replay draws on."""
    bases = []
    for line in (DATA / "voa" / "voa_stories.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        bases.append((record["title"], record["text"], date.fromisoformat(record["published"][:10])))
    span = (LAST_DAY - FIRST_DAY).days

    def random_day() -> date:
        return FIRST_DAY + timedelta(days=rng.randrange(span))

    clustmcms = json.loads((DATA / "clustering-dev" / "clustmcms_dev.json").read_text("utf-8"))
    for article in clustmcms["articles"]:
        bases.append((article["title"], "\n\n".join(s["content"] for s in article["sentences"]), random_day()))
    for line in (DATA / "clustering-dev" / "mstream-googlenews" / "News-T").read_text("utf-8").splitlines():
        if line.strip():
            title = json.loads(line)["textCleaned"]
            bases.append((title, title, random_day()))
    return bases


def perturb(title: str, text: str, day: date, copy: int, rng: random.Random) -> tuple[str, str, date, str]:
    """A copy of a base text as another outlet might run it (copy 0 is the base itself)."""
    outlet = OUTLETS[copy % len(OUTLETS)]
    if copy == 0:
        return title, text, day, outlet
    sentences = [s for s in text.replace("\n", " ").split(". ") if s]
    if len(sentences) > 2 and rng.random() < 0.5:
        head = sentences[:1]
        rest = sentences[1:]
        rng.shuffle(rest)
        sentences = head + rest
    if len(sentences) > 3 and rng.random() < 0.5:
        sentences = sentences[: max(2, int(len(sentences) * 0.7))]
    furniture = [f.format(outlet=outlet) for f in rng.sample(FURNITURE, 2)]
    # Each copy says which it is, so no two copies are the same text (the store would fold them).
    body = "\n\n".join([furniture[0], ". ".join(sentences), f"{outlet} report {copy}", furniture[1]])
    return title, body, day + timedelta(days=rng.randint(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS)), outlet


class Replay:
    """The replayed corpus, written to a store in stages (each stage continues the same random
    streams, so a store filled to 10k and then to 100k holds what one filled to 100k at once would)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.bases = base_texts(rng)
        params = load_story_params()
        started = time.perf_counter()
        self._base_vectors = embed_multilingual([lead_text(t, x, params.lead_chars) for t, x, _ in self.bases])
        self.embed_seconds = time.perf_counter() - started
        self._sigma = np.sqrt((1.0 / COPY_COSINE**2 - 1.0) / self._base_vectors.shape[1])
        self._noise = np.random.default_rng(0)
        self._model = vector_model(params)
        self.written = 0

    def fill(self, path: Path, size: int) -> None:
        """Add replayed articles and their vectors to the store until it holds ``size``."""
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with SQLiteStore(path) as store:
            db = store.db
            db.execute("BEGIN")
            for i, title, text, day, outlet, vector in self._articles(size):
                cursor = db.execute(
                    """INSERT INTO articles (url, url_key, content_hash, title, text, outlet, published,
                       published_granularity, published_source, language, extractor, origin, ingested_at)
                       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    (f"https://replay.example/{i}", f"replay.example/{i}", content_hash(f"{i}\n{text}"), title,
                     text, outlet, day.isoformat(), "day", "replay", None, "replay", f"replay#{i}", now))
                db.execute("INSERT INTO article_vectors (article_id, model, vector) VALUES (?,?,?)",
                           (cursor.lastrowid, self._model, vector.tobytes()))
            db.execute("COMMIT")

    def skip(self, size: int) -> str:
        """Draw the articles up to ``size`` without writing them (a store that already holds them
        continues from here); returns the content hash the last of them is stored under."""
        last = ""
        for i, _, text, _, _, _ in self._articles(size):
            last = content_hash(f"{i}\n{text}")
        return last

    def _articles(self, size: int) -> Iterator[tuple[int, str, str, date, str, np.ndarray]]:
        """(number, title, text, day, outlet, unit vector) of each article after those written, to ``size``."""
        bases, base_vectors, rng = self.bases, self._base_vectors, self._rng
        for i in range(self.written, size):
            base = i % len(bases)
            title, text, day, outlet = perturb(*bases[base], i // len(bases), rng)
            vector = base_vectors[base] if i < len(bases) else (
                base_vectors[base] + self._noise.normal(0, self._sigma, base_vectors.shape[1]))
            yield i, title, text, day, outlet, (vector / np.linalg.norm(vector)).astype(np.float32)
            self.written = i + 1


def embedding_ms(bases: list[tuple[str, str, date]]) -> float:
    """Milliseconds per article to embed title + lead, on a sample of full-length base texts."""
    params = load_story_params()
    sample = [lead_text(t, x, params.lead_chars) for t, x, _ in bases[:EMBED_SAMPLE]]
    embed_multilingual(sample[:2])  # load the model outside the timing
    started = time.perf_counter()
    embed_multilingual(sample)
    return (time.perf_counter() - started) * 1000 / len(sample)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def assign_in_stages(folder: Path, sizes: list[int]) -> dict[str, object]:
    """Fill one store to each size in turn and assign its stories (a new run, so a restart,
    per size), keeping a copy of the store at each size; the figures of the assignment."""
    started = time.perf_counter()
    replay = Replay(random.Random(0))
    built = time.perf_counter() - started
    embed_ms = embedding_ms(replay.bases)
    work = folder / "work.db"
    per_article: list[float] = []
    before_peak = peak_mib()
    assign_seconds = 0.0
    for size in sizes:
        replay.fill(work, size)
        stamps: list[float] = []
        with SQLiteStore(work) as store:
            started = time.perf_counter()
            assign_stories(store, lambda status, origin, detail: stamps.append(time.perf_counter()))
            assign_seconds += time.perf_counter() - started
            # The first article of a later stage also waits for the restart: it is outside the windows.
            per_article.extend(float(ms) for ms in np.diff(np.array([started] + stamps)) * 1000)
            copy = sqlite3.connect(folder / f"scale-{size}.db")
            store.db.backup(copy)
            copy.close()
            if size == sizes[-1]:
                db = store.db
                stories = db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
                copies = db.execute("SELECT count(*) FROM story_articles WHERE copy_of IS NOT NULL").fetchone()[0]
                merges = db.execute("SELECT count(*) FROM story_merges").fetchone()[0]
    work.unlink()
    for suffix in ("-wal", "-shm"):
        work.with_name(work.name + suffix).unlink(missing_ok=True)
    windows = []
    for size in sizes:
        window = np.array(per_article[max(0, size - WINDOW):size])
        windows.append((size, float(window.mean()), float(np.median(window)), float(np.percentile(window, 95))))
    return {"bases": len(replay.bases), "built_s": built, "assigned": len(per_article), "assign_s": assign_seconds,
            "stories": stories, "copies": copies, "merges": merges, "windows": windows, "embed_ms": embed_ms,
            "peak_mib": peak_mib(), "before_peak_mib": before_peak}


def restart_seconds(path: Path) -> float:
    """Seconds to rebuild the clusterer from the store at ``path``, as a new run does first."""
    with SQLiteStore(path) as store:
        started = time.perf_counter()
        writer = _StoryWriter(store, load_story_params(), embed_multilingual)
        seconds = time.perf_counter() - started  # a checkpoint it writes anew is written beside the run
        writer.close()
        return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="10000,100000",
                        help="store sizes to report, comma-separated (the store is filled to each in turn)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the stores (scale-SIZE.db) and figures in DIR; a later run given the same "
                             "DIR reuses them and times the restarts again")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.size.split(","))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(args.keep or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / "figures.json"
        if kept.exists() and json.loads(kept.read_text())["sizes"] == sizes:
            figures = json.loads(kept.read_text())
            print(f"reusing the stores in {folder}")
        else:
            figures = {"sizes": sizes, **assign_in_stages(folder, sizes)}
            kept.write_text(json.dumps(figures))
        restarts = [(size, restart_seconds(folder / f"scale-{size}.db")) for size in sizes]
    print(f"store of {sizes[-1]} replayed articles from {figures['bases']} base texts "
          f"(base texts embedded once in {figures['built_s']:.0f} s)")
    print(f"assigned {figures['assigned']} articles in {figures['assign_s']:.0f} s: {figures['stories']} stories, "
          f"{figures['copies']} folded copies, {figures['merges']} merges")
    print(f"{'stored':>8}{'mean ms':>9}{'median':>8}{'p95':>8}")
    for size, mean, median, p95 in figures["windows"]:
        print(f"{size:>8}{mean:>9.2f}{median:>8.2f}{p95:>8.2f}")
    print("assignment ms/article (mean over the last 1,000 before each size): "
          + ", ".join(f"{s // 1000}k stored {m:.2f}" for s, m, _, _ in figures["windows"]) + "; goal <= 10 ms")
    print(f"embedding (title + lead, USE multilingual, 1 thread) {figures['embed_ms']:.1f} ms/article, apart from "
          f"assignment; peak memory {figures['peak_mib']:.0f} MiB (max RSS; {figures['before_peak_mib']:.0f} MiB "
          "before assignment, embedding model loaded)")
    print("restart (rebuilding the clusterer from the store): "
          + ", ".join(f"{s // 1000}k stored {seconds:.1f} s" for s, seconds in restarts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

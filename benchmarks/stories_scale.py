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

Then ``assign_stories`` runs over the whole store in arrival order, timing each article (its
reads, sketch, nearest-neighbour search, decision and transaction); the figures are the mean,
median and 95th percentile over the last 1,000 articles before each size is reached. The state
rebuild a restart costs is timed on the full store. Peak memory is the process's maximum
resident set size (``resource.getrusage``).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from parallax.store import SQLiteStore
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


def build_store(path: Path, size: int, rng: random.Random) -> tuple[int, float]:
    """Fill the store with ``size`` replayed articles and their vectors; (base texts, seconds embedding)."""
    bases = base_texts(rng)
    params = load_story_params()
    started = time.perf_counter()
    base_vectors = embed_multilingual([lead_text(t, x, params.lead_chars) for t, x, _ in bases])
    embed_seconds = time.perf_counter() - started
    sigma = np.sqrt((1.0 / COPY_COSINE**2 - 1.0) / base_vectors.shape[1])
    noise = np.random.default_rng(0)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    model = vector_model(params)
    with SQLiteStore(path) as store:
        db = store.db
        db.execute("BEGIN")
        for i in range(size):
            base = i % len(bases)
            title, text, day, outlet = perturb(*bases[base], i // len(bases), rng)
            cursor = db.execute(
                """INSERT INTO articles (url, url_key, content_hash, title, text, outlet, published,
                   published_granularity, published_source, language, extractor, origin, ingested_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (f"https://replay.example/{i}", f"replay.example/{i}", content_hash(f"{i}\n{text}"), title, text,
                 outlet, day.isoformat(), "day", "replay", None, "replay", f"replay#{i}", now))
            vector = base_vectors[base] if i < len(bases) else base_vectors[base] + noise.normal(0, sigma, base_vectors.shape[1])
            vector = (vector / np.linalg.norm(vector)).astype(np.float32)
            db.execute("INSERT INTO article_vectors (article_id, model, vector) VALUES (?,?,?)",
                       (cursor.lastrowid, model, vector.tobytes()))
        db.execute("COMMIT")
    return len(bases), embed_seconds / len(bases)


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="10000,100000",
                        help="store sizes to report, comma-separated (the largest is built)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.size.split(","))
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scale.db"
        started = time.perf_counter()
        base_count, _ = build_store(path, sizes[-1], rng)
        print(f"store of {sizes[-1]} replayed articles from {base_count} base texts built in "
              f"{time.perf_counter() - started:.0f} s (base texts embedded once)")
        embed_ms = embedding_ms(base_texts(random.Random(0)))
        stamps: list[float] = []
        before_peak = peak_mib()
        with SQLiteStore(path) as store:
            started = time.perf_counter()
            assigned = assign_stories(store, lambda status, origin, detail: stamps.append(time.perf_counter()))
            total = time.perf_counter() - started
            stories = store.db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
            copies = store.db.execute("SELECT count(*) FROM story_articles WHERE copy_of IS NOT NULL").fetchone()[0]
            merges = store.db.execute("SELECT count(*) FROM story_merges").fetchone()[0]
            assign_peak = peak_mib()
            started = time.perf_counter()
            _StoryWriter(store, load_story_params(), embed_multilingual)
            rebuild = time.perf_counter() - started
        per_article = np.diff(np.array([started - total] + stamps)) * 1000 if stamps else np.zeros(0)
        print(f"assigned {assigned} articles in {total:.0f} s: {stories} stories, {copies} folded copies, {merges} merges")
        print(f"{'stored':>8}{'mean ms':>9}{'median':>8}{'p95':>8}")
        figures = []
        for size in sizes:
            window = per_article[max(0, size - WINDOW):size]
            figures.append((size, float(window.mean()), float(np.median(window)), float(np.percentile(window, 95))))
            print(f"{size:>8}{figures[-1][1]:>9.2f}{figures[-1][2]:>8.2f}{figures[-1][3]:>8.2f}")
        print(f"restart: rebuilding the clusterer from {assigned} stored articles takes {rebuild:.1f} s")
    print("assignment ms/article (mean over the last 1,000 before each size): "
          + ", ".join(f"{s // 1000}k stored {m:.2f}" for s, m, _, _ in figures) + "; goal <= 10 ms")
    print(f"embedding (title + lead, USE multilingual, 1 thread) {embed_ms:.1f} ms/article, apart from assignment; "
          f"peak memory {assign_peak:.0f} MiB (max RSS; {before_peak:.0f} MiB before assignment, embedding model loaded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Stories kept up to date in the store as articles arrive.

``assign_stories`` gives every stored article without a story one, in arrival order (article
id), with the same :class:`OnlineClusterer` that ``parallax cluster`` runs. Its state is rebuilt
from the store at the start of each run: vectors from ``article_vectors`` (nothing is embedded
twice) and sketches, days and principal entities from ``article_signals`` (no text or
annotation is read again). Most of a rebuild's cost is inserting every vector into the
nearest-neighbour index again (a graph search each), so the clusterer's index checkpoints (every
``INDEX_CHECKPOINT`` articles, see ``stories/cluster.py``) are kept in the store too
(``story_index``, the latest only), written in the transaction of the article that completed
one and stamped with the vector model, the index library's version and a digest of the article
ids and vectors it holds. A restart loads it when all three still match the store's first
assigned articles and inserts only the articles after those; otherwise it inserts every vector
and writes the latest checkpoint anew. Either way the clusterer is the one that never stopped.
Each article's assignment is one transaction: its story row (new or not), any merge it causes,
any storylines it joins. A run killed at any point leaves whole assignments only, and the next
run carries on from the first article without one.

What an article brings: its lead embedding (multilingual USE), its MinHash sketch (copies),
the days it tells of (its publication day, the day-valued time expressions and event dates of
its annotations) and its principal entities (its most-mentioned persons and organisations). Event types are not used: the coder's types are too coarse (AGREE, CONSULT)
to tell one happening from another here.

Titles are a reader's, not generated prose: a story is titled by its most central article
(the one closest to the story's centroid); a storyline by its most representative story title
(the one whose words its other stories' titles use most) with the attribution taken off.
Titles are refreshed after each batch for the stories it touched.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from importlib import resources
from importlib.metadata import version

import numpy as np

from parallax.stories.cluster import Assignment, Embedder, OnlineClusterer, StoryItem
from parallax.stories.copies import Sketch
from parallax.stories.dates import parse_day
from parallax.stories.embed import embed_multilingual
from parallax.stories.params import StoryParams, load_story_params
from parallax.model import PublicationDate
from parallax.store import SQLiteStore

# Called once per article assigned with (status, origin, detail), as the ingest jobs report.
Progress = Callable[[str, str, str], None]

# What the stored vectors are: a changed model or lead length must not mix with old vectors.
VECTOR_MODEL = "use-multilingual-v3"
# Parts a stored index checkpoint is written in (a value in SQLite is at most 1 GB).
INDEX_PART_BYTES = 32 << 20


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def vector_model(params: StoryParams) -> str:
    return f"{VECTOR_MODEL}/lead{params.lead_chars}"


@dataclass(frozen=True)
class _Pending:
    """An article waiting for a story, with what the clusterer reads of it."""

    item: StoryItem
    origin: str


def assign_stories(store: SQLiteStore, progress: Progress | None = None, *,
                   embedder: Embedder = embed_multilingual, batch_size: int = 64,
                   params: StoryParams | None = None) -> int:
    """Give every article without a story one, oldest id first; returns how many were assigned."""
    params = params or load_story_params()
    report = progress or (lambda status, origin, detail: None)
    pending_ids = [int(r[0]) for r in store.db.execute(
        """SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id
           WHERE s.article_id IS NULL ORDER BY a.id""")]
    if not pending_ids:
        return 0
    writer = _StoryWriter(store, params, embedder)
    done = 0
    for first in range(0, len(pending_ids), batch_size):
        batch = [_pending(store, article_id, params) for article_id in pending_ids[first:first + batch_size]]
        vectors = writer.vectors([p.item for p in batch])
        touched: set[int] = set()
        try:
            for pending, vector in zip(batch, vectors):
                touched.add(writer.assign(pending, vector))
                done += 1
                report("assigned", pending.origin, pending.item.title)
        finally:
            # Interrupted or not, what was assigned gets its titles (a story keeps its first
            # article's title until then, and after a hard kill until it is touched again).
            writer.refresh_titles(touched)
    return done


class _StoryWriter:
    """The clusterer, rebuilt from the store, and the writes that mirror its decisions."""

    def __init__(self, store: SQLiteStore, params: StoryParams, embedder: Embedder) -> None:
        self._store = store
        self._db = store.db
        self._params = params
        self._model = vector_model(params)
        self._clusterer = OnlineClusterer(params, embedder, new_story=self._new_story)
        self._index_format = f"{self._model}|usearch {version('usearch')}"
        # A digest of the ids and vectors of the articles in the clusterer, in order.
        self._digest = _Digest()
        self._restore()

    # -- rebuilding -----------------------------------------------------------------------
    def _restore(self) -> None:
        stale = [int(r[0]) for r in self._db.execute(
            """SELECT s.article_id FROM story_articles s LEFT JOIN article_vectors v ON v.article_id = s.article_id
               WHERE v.vector IS NULL OR v.model != ?""", (self._model,))]
        fresh = dict(zip(stale, self._embed_and_store(stale))) if stale else {}
        rows = self._db.execute(
            """SELECT s.article_id, s.story_id, a.published, a.published_granularity, v.vector,
                      g.sketch, g.shingles, g.days, g.entities
               FROM story_articles s JOIN articles a ON a.id = s.article_id
               LEFT JOIN article_vectors v ON v.article_id = s.article_id
               LEFT JOIN article_signals g ON g.article_id = s.article_id
               ORDER BY s.article_id""").fetchall()
        ids = np.array([int(r["article_id"]) for r in rows], dtype="<i8")
        blobs = [_vector_bytes(fresh[i]) if i in fresh else r["vector"] for i, r in zip(ids.tolist(), rows)]
        vectors = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(rows), -1) if rows else np.zeros((0, 0), "<f4")
        items = [StoryItem(str(r["article_id"]), "", "", _published_day(r["published"], r["published_granularity"]),
                           tuple(json.loads(r["days"] or "[]")), frozenset(json.loads(r["entities"] or "[]")))
                 for r in rows]
        sketches = [Sketch.from_bytes(r["sketch"], int(r["shingles"])) if r["sketch"] else None for r in rows]
        checkpoint = self._stored_checkpoint(ids, vectors)
        self._clusterer.restore_many(items, vectors, sketches, [int(r["story_id"]) for r in rows], checkpoint)
        first_of_storyline: dict[int, int] = {}
        for storyline, story in self._db.execute(
                "SELECT storyline_id, id FROM stories WHERE merged_into IS NULL ORDER BY id"):
            first = first_of_storyline.setdefault(storyline, story)
            if first != story:
                self._clusterer.link_storyline(first, story)
        rebuilt = self._clusterer.take_checkpoint()
        if rebuilt is not None:
            with _transaction(self._db):
                self._write_checkpoint(rebuilt, _Digest().update(ids[:rebuilt[0]], vectors[:rebuilt[0]]).value())

    # -- the stored index checkpoint -------------------------------------------------------
    def _stored_checkpoint(self, ids: np.ndarray, vectors: np.ndarray) -> tuple[int, bytes] | None:
        """The stored index checkpoint, when it holds the first of these articles as they are now
        (the digest takes in all of them either way)."""
        row = self._db.execute("SELECT format, articles, digest FROM story_index WHERE id = 1").fetchone()
        held = 0
        if row is not None and row["format"] == self._index_format and row["articles"] <= len(ids) \
                and self._clusterer.is_checkpoint(row["articles"]):
            held = int(row["articles"])
        usable = held > 0 and self._digest.update(ids[:held], vectors[:held]).value() == row["digest"]
        self._digest.update(ids[held:], vectors[held:])
        if not usable:
            return None
        return held, b"".join(r[0] for r in self._db.execute("SELECT data FROM story_index_parts ORDER BY part"))

    def _write_checkpoint(self, checkpoint: tuple[int, bytes], digest: str) -> None:
        """Replace the stored index checkpoint (inside the caller's transaction)."""
        held, data = checkpoint
        view = memoryview(data)
        self._db.execute("DELETE FROM story_index_parts")
        self._db.executemany("INSERT INTO story_index_parts (part, data) VALUES (?, ?)",
                             [(n, view[start:start + INDEX_PART_BYTES])
                              for n, start in enumerate(range(0, len(data), INDEX_PART_BYTES))])
        self._db.execute(
            "INSERT OR REPLACE INTO story_index (id, format, articles, digest, written_at) VALUES (1, ?, ?, ?, ?)",
            (self._index_format, held, digest, _now()))

    # -- vectors --------------------------------------------------------------------------
    def vectors(self, items: Sequence[StoryItem]) -> np.ndarray:
        """The items' lead vectors: stored ones read back, the rest embedded and stored."""
        ids = [int(i.id) for i in items]
        stored = {int(r[0]): np.frombuffer(r[1], dtype=np.float32) for r in self._db.execute(
            f"SELECT article_id, vector FROM article_vectors WHERE model = ? AND article_id IN ({','.join('?' * len(ids))})",
            (self._model, *ids))}
        missing = [i for i in items if int(i.id) not in stored]
        if missing:
            vectors = self._clusterer.embed(missing)
            self._write_vectors([int(i.id) for i in missing], vectors)
            stored.update(zip((int(i.id) for i in missing), vectors))
        return np.stack([stored[i] for i in ids])

    def _embed_and_store(self, article_ids: list[int]) -> np.ndarray:
        rows = {int(r["id"]): r for r in self._db.execute(
            f"SELECT id, title, text FROM articles WHERE id IN ({','.join('?' * len(article_ids))})", article_ids)}
        items = [StoryItem(str(i), rows[i]["title"] or "", rows[i]["text"]) for i in article_ids]
        vectors = self._clusterer.embed(items)
        self._write_vectors(article_ids, vectors)
        return vectors

    def _write_vectors(self, article_ids: list[int], vectors: np.ndarray) -> None:
        with _transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO article_vectors (article_id, model, vector) VALUES (?, ?, ?)",
                [(i, self._model, _vector_bytes(v)) for i, v in zip(article_ids, vectors)])

    # -- assigning ------------------------------------------------------------------------
    def _new_story(self) -> int:
        """A new story in a storyline of its own (called by the clusterer inside assign's transaction)."""
        now = _now()
        storyline = self._db.execute("INSERT INTO storylines (updated_at) VALUES (?)", (now,)).lastrowid
        return int(self._db.execute("INSERT INTO stories (storyline_id, updated_at) VALUES (?, ?)",
                                    (storyline, now)).lastrowid)

    def assign(self, pending: _Pending, vector: np.ndarray) -> int:
        """Assign one article and write what changed, in one transaction; returns its story."""
        item = pending.item
        sketch = self._clusterer.sketch(item)
        with _transaction(self._db):
            assignment = self._clusterer.assign(item, vector, sketch)
            self._write(assignment, pending, sketch)
            self._digest.update(np.array([int(item.id)]), np.asarray(vector)[None, :])
            checkpoint = self._clusterer.take_checkpoint()
            if checkpoint is not None:
                self._write_checkpoint(checkpoint, self._digest.value())
        return assignment.story

    def _write(self, assignment: Assignment, pending: _Pending, sketch: Sketch | None) -> None:
        db, now, article_id, story = self._db, _now(), int(pending.item.id), assignment.story
        for folded in assignment.merged:
            db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (story, folded))
            db.execute("UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?", (story, now, folded))
            db.execute("INSERT INTO story_merges (from_story, into_story, bridging_article, at) VALUES (?,?,?,?)",
                       (folded, story, article_id, now))
        for kept, folded in assignment.linked:
            self._join_storylines(kept, folded, now)
        copy_of = None
        if assignment.copy_of is not None:
            original = int(assignment.copy_of)
            row = db.execute("SELECT copy_of FROM story_articles WHERE article_id = ?", (original,)).fetchone()
            copy_of = int(row[0]) if row and row[0] is not None else original
        db.execute("INSERT INTO story_articles (article_id, story_id, copy_of, added_at) VALUES (?,?,?,?)",
                   (article_id, story, copy_of, now))
        db.execute(
            """UPDATE stories SET title = COALESCE(title, ?), updated_at = ?,
                   first_published = (SELECT min(a.published) FROM story_articles s JOIN articles a ON a.id = s.article_id
                                      WHERE s.story_id = stories.id),
                   last_published = (SELECT max(a.published) FROM story_articles s JOIN articles a ON a.id = s.article_id
                                     WHERE s.story_id = stories.id)
               WHERE id = ?""", (pending.item.title or None, now, story))
        db.execute(
            """INSERT OR REPLACE INTO article_signals (article_id, sketch, shingles, days, entities)
               VALUES (?,?,?,?,?)""",
            (article_id, sketch.to_bytes() if sketch else None, sketch.size if sketch else 0,
             json.dumps(list(pending.item.dates)), json.dumps(sorted(pending.item.entities), ensure_ascii=False)))

    def _join_storylines(self, kept_story: int, folded_story: int, now: str) -> None:
        """Fold the storyline of one story into another's (the clusterer names storylines by story)."""
        lines = {int(r[0]): r[1] for r in self._db.execute(
            "SELECT id, storyline_id FROM stories WHERE id IN (?, ?)", (kept_story, folded_story))}
        kept, folded = lines[kept_story], lines[folded_story]
        if kept == folded:
            return
        self._db.execute("UPDATE stories SET storyline_id = ? WHERE storyline_id = ?", (kept, folded))
        self._db.execute("DELETE FROM storylines WHERE id = ?", (folded,))
        self._db.execute("UPDATE storylines SET updated_at = ? WHERE id = ?", (now, kept))

    # -- titles ---------------------------------------------------------------------------
    def refresh_titles(self, stories: set[int]) -> None:
        """Title each touched story by its most central article, and its storyline by its most
        representative story title."""
        live = {self._store.resolve_story(s) for s in stories} - {None}
        if not live:
            return
        with _transaction(self._db):
            for story in live:
                title = self._central_title(story)
                if title:
                    self._db.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story))
            storylines = {int(r[0]) for r in self._db.execute(
                f"SELECT storyline_id FROM stories WHERE id IN ({','.join('?' * len(live))})", tuple(live))}
            for storyline in storylines:
                self._db.execute("UPDATE storylines SET title = ?, updated_at = ? WHERE id = ?",
                                 (storyline_title(self._db, storyline), _now(), storyline))

    def _central_title(self, story: int) -> str | None:
        rows = self._db.execute(
            """SELECT a.title, v.vector FROM story_articles s JOIN articles a ON a.id = s.article_id
               JOIN article_vectors v ON v.article_id = s.article_id
               WHERE s.story_id = ? AND s.copy_of IS NULL AND v.model = ? AND coalesce(a.title, '') != ''
               ORDER BY s.article_id""", (story, self._model)).fetchall()
        if not rows:
            return None
        matrix = np.stack([np.frombuffer(r["vector"], dtype=np.float32) for r in rows])
        return str(rows[int(np.argmax(matrix @ matrix.sum(axis=0)))]["title"])


def _pending(store: SQLiteStore, article_id: int, params: StoryParams) -> _Pending:
    """An article as the clusterer reads it, with its days and principal entities from its annotations."""
    db = store.db
    row = db.execute("SELECT title, text, published, published_granularity, origin FROM articles WHERE id = ?",
                     (article_id,)).fetchone()
    published = _published_day(row["published"], row["published_granularity"])
    annotation = store.annotation(article_id)
    days: list[str] = []
    if annotation:
        days = [t["value"] for t in annotation.get("times", []) if t.get("value")]
        days += [e["date"] for e in annotation.get("events", []) if e.get("date")]
    types = params.principal_entity_types
    entities = [r[0] for r in db.execute(
        f"""SELECT e.name FROM entity_mentions m JOIN entities e ON e.id = m.entity_id
            WHERE m.article_id = ? AND e.type IN ({','.join('?' * len(types))})
            GROUP BY e.id ORDER BY count(*) DESC, min(m.start) LIMIT ?""",
        (article_id, *types, params.principal_entities))]
    item = StoryItem(str(article_id), row["title"] or "", row["text"], published,
                     tuple(sorted({d for d in days if parse_day(d) is not None})), frozenset(entities))
    return _Pending(item, row["origin"])


class _Digest:
    """A digest of article ids and their vectors, in order, fed a block at a time."""

    def __init__(self) -> None:
        self._ids = hashlib.blake2b(digest_size=16)
        self._vectors = hashlib.blake2b(digest_size=16)

    def update(self, ids: np.ndarray, vectors: np.ndarray) -> _Digest:
        self._ids.update(np.ascontiguousarray(ids, dtype="<i8").tobytes())
        self._vectors.update(np.ascontiguousarray(vectors, dtype="<f4").tobytes())
        return self

    def value(self) -> str:
        return f"{self._ids.hexdigest()}:{self._vectors.hexdigest()}"


def _vector_bytes(vector: np.ndarray) -> bytes:
    """A vector as ``article_vectors`` stores it."""
    return np.asarray(vector, dtype="<f4").tobytes()


def _published_day(value: str | None, granularity: str | None) -> date | None:
    return PublicationDate(value, granularity or "", "store").day() if value else None


class _transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (the store runs in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")


# -- storyline titles ------------------------------------------------------------------------
@dataclass(frozen=True)
class _TitleRules:
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    word: re.Pattern[str]


@lru_cache(maxsize=1)
def _title_rules() -> _TitleRules:
    raw = json.loads(resources.files("parallax").joinpath("resources/stories.json").read_text("utf-8"))["titles"]
    return _TitleRules(re.compile(raw["attribution_prefix"], re.I), re.compile(raw["attribution_suffix"], re.I),
                       re.compile(raw["word"]))


def without_attribution(title: str) -> str:
    """A headline with its "..., X says" / "X says ..." taken off, when what stays reads alone."""
    rules = _title_rules()
    title = rules.suffix.sub("", title).strip()
    match = rules.prefix.match(title)
    rest = title[match.end():] if match else ""
    return rest if rest[:1].isupper() else title


def storyline_title(db: sqlite3.Connection, storyline: int) -> str | None:
    """The storyline's most representative story title, attribution taken off.

    Representative = whose words the storyline's other articles' story titles use most: each
    word of a title counts the articles of the *other* stories whose title has it, averaged over
    the title's words (linear in the storyline's size); ties go to the larger, then the older story.
    """
    rows = db.execute(
        """SELECT st.id, st.title, count(sa.article_id) AS size FROM stories st
           LEFT JOIN story_articles sa ON sa.story_id = st.id
           WHERE st.storyline_id = ? AND st.merged_into IS NULL AND st.title IS NOT NULL
           GROUP BY st.id ORDER BY st.id""", (storyline,)).fetchall()
    if not rows:
        return None
    word = _title_rules().word
    words = [{w.lower() for w in word.findall(r["title"])} for r in rows]
    used_by: dict[str, int] = {}
    for row, title_words in zip(rows, words):
        for w in title_words:
            used_by[w] = used_by.get(w, 0) + row["size"]

    def shared(i: int) -> float:
        return sum(used_by[w] - rows[i]["size"] for w in words[i]) / max(1, len(words[i]))

    best = max(range(len(rows)), key=lambda i: (shared(i), rows[i]["size"], -rows[i]["id"]))
    return without_attribution(rows[best]["title"])

"""Stories kept up to date in the store as articles arrive.

``assign_stories`` gives every stored article without a story one, in arrival order (article
id), with the same :class:`OnlineClusterer` that ``parallax cluster`` runs. Its state is rebuilt
from the store at the start of each run: vectors from ``article_vectors`` (nothing is embedded
twice) and sketches, days and principal entities from ``article_signals`` (no text or
annotation is read again). Most of a rebuild's cost is inserting every vector into the
nearest-neighbour index again (a graph search each), so the clusterer's index checkpoints (every
``INDEX_CHECKPOINT`` articles, see ``stories/cluster.py``; past the first ``STORED_CHECKPOINTS``
only every ``STORED_CHECKPOINTS``-th) are kept in the store too (``story_index``, the latest
only), stamped with the vector model, the index library's version and a digest of the article
ids and vectors it holds. A checkpoint is the whole index (about 2 kB an article: 17-20 s to
write at 1M articles), so it is written on a connection and thread of its own
(``_CheckpointWriter``) while the articles after it are assigned, and replaces the stored one
whole once written (``save_index_checkpoint``); a run waits for it before it ends. A restart
loads it when all three still match the store's first assigned articles and inserts only the
articles after those (and stores the latest checkpoint it made only where a run would have);
otherwise it inserts every vector and writes the latest checkpoint anew. Either way the
clusterer is the one that never stopped.
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
Titles are refreshed after each batch for the stories it touched: a story's when a titled
original joined it or a story merged into it (``title_stale``, set with the article, so a run
killed before the refresh leaves it to the next), a storyline's when any of its stories grew. A
large story's central article is followed as articles join it (``_CentralTitle``), so its
members are read again only when a newcomer could have changed which is central.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from importlib.metadata import version

import numpy as np

from parallax.errors import Errors, StoreError
from parallax.model import IndexCheckpoint, PublicationDate
from parallax.store import Store
from parallax.stories.cluster import Assignment, Embedder, OnlineClusterer, StoryItem
from parallax.stories.copies import Sketch
from parallax.stories.dates import parse_day
from parallax.stories.embed import embed_multilingual, vector_bytes, vector_model
from parallax.stories.params import StoryParams, load_story_params

# Called once per article assigned with (status, origin, detail), as the ingest jobs report.
Progress = Callable[[str, str, str], None]


@dataclass(frozen=True)
class _Pending:
    """An article waiting for a story, with what the clusterer reads of it."""

    item: StoryItem
    origin: str


def assign_stories(store: Store, progress: Progress | None = None, *,
                   embedder: Embedder = embed_multilingual, batch_size: int = 64,
                   params: StoryParams | None = None) -> int:
    """Give every article without a story one, oldest id first; returns how many were assigned.

    One assigner runs at a time per store (``store.assigning``): the clusterer is rebuilt from
    the store, so a second one running beside it would decide from a stale copy."""
    params = params or load_story_params()
    report = progress or (lambda status, origin, detail: None)
    with store.assigning():
        pending_ids = store.articles_without_story()
        if not pending_ids:
            return 0
        writer = _StoryWriter(store, params, embedder)
        done = 0
        try:
            for first in range(0, len(pending_ids), batch_size):
                batch = [_pending(store, article_id, params) for article_id in pending_ids[first:first + batch_size]]
                touched: set[int] = set()
                try:
                    for pending, vector in _with_vectors(store, writer, batch, report):
                        try:
                            touched.add(writer.assign(pending, vector))
                        except StoreError:
                            raise  # the store's own failure (disk full, read-only) stops the run: not this article's
                        except Exception as exc:  # noqa: BLE001 - one poison article must cost itself, never the store
                            _failed(store, pending, exc, report)
                            # the clusterer may hold part of what it failed on: rebuilt from the store
                            writer.refresh_titles(touched)
                            touched = set()
                            writer.close()
                            writer = _StoryWriter(store, params, embedder)
                            continue
                        done += 1
                        report("assigned", pending.origin, pending.item.title)
                finally:
                    # Interrupted or not, what was assigned gets its titles (a story keeps its first
                    # article's title until then, and after a hard kill until it is touched again).
                    writer.refresh_titles(touched)
        finally:
            writer.close()  # the last checkpoint made is in the store before the run ends
        return done


def _with_vectors(store: Store, writer: _StoryWriter, batch: list[_Pending], report: Progress) -> list[tuple[_Pending, np.ndarray]]:
    """The batch's articles with their vectors, embedded together; when that fails, one by one,
    and an article that fails alone is recorded (E198) and left out."""
    try:
        return list(zip(batch, writer.vectors([p.item for p in batch])))
    except Exception:  # noqa: BLE001 - found out below, article by article
        pass
    paired: list[tuple[_Pending, np.ndarray]] = []
    for pending in batch:
        try:
            paired.append((pending, writer.vectors([pending.item])[0]))
        except Exception as exc:  # noqa: BLE001 - recorded on the article, retried once by the next run
            _failed(store, pending, exc, report)
    return paired


def _failed(store: Store, pending: _Pending, exc: Exception, report: Progress) -> None:
    reason = Errors.E198.format(detail=" ".join(f"{type(exc).__name__}: {exc}".split())[:200])
    store.record_failure(int(pending.item.id), "stories", reason)
    report("failed", pending.origin, reason)


class _StoryWriter:
    """The clusterer, rebuilt from the store, and the writes that mirror its decisions."""

    def __init__(self, store: Store, params: StoryParams, embedder: Embedder) -> None:
        self._store = store
        self._params = params
        self._model = vector_model(params)
        self._clusterer = OnlineClusterer(params, embedder, new_story=store.new_story)
        self._index_format = f"{self._model}|usearch {version('usearch')}"
        # A digest of the ids and vectors of the articles in the clusterer, in order.
        self._digest = _Digest()
        self._checkpoints = _CheckpointWriter(store)
        # The central article of each large story touched, followed as articles join it.
        self._central: dict[int, _CentralTitle] = {}
        self._restore()

    def close(self) -> None:
        """Wait for the stored checkpoint being written, if any (its failure is raised here)."""
        self._checkpoints.wait()

    # -- rebuilding -----------------------------------------------------------------------
    def _restore(self) -> None:
        store = self._store
        stale = store.assigned_without_vector(self._model)
        fresh = dict(zip(stale, self._embed_and_store(stale))) if stale else {}
        assigned = store.assigned_articles()
        ids = np.array([a.article_id for a in assigned], dtype="<i8")
        blobs = [vector_bytes(fresh[a.article_id]) if a.article_id in fresh else a.vector or b"" for a in assigned]
        vectors = (np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(assigned), -1) if assigned
                   else np.zeros((0, 0), "<f4"))
        items = [StoryItem(str(a.article_id), "", "", _published_day(a.published), tuple(a.days), frozenset(a.entities))
                 for a in assigned]
        sketches = [Sketch.from_bytes(a.sketch, a.shingles) if a.sketch else None for a in assigned]
        checkpoint = self._stored_checkpoint(ids, vectors)
        self._clusterer.restore_many(items, vectors, sketches, [a.story_id for a in assigned], checkpoint)
        first_of_storyline: dict[int | None, int] = {}
        for story in store.live_stories():
            first = first_of_storyline.setdefault(story.storyline_id, story.id)
            if first != story.id:
                self._clusterer.link_storyline(first, story.id)
        rebuilt = self._clusterer.take_checkpoint()
        # The latest checkpoint made in the rebuild replaces the stored one when none could be
        # loaded, or at a point a run stores one at (so a restart never inserts more than a run
        # leaves to it): not at every restart, each writing the whole index (27 s at 990k).
        if rebuilt is not None and (checkpoint is None or self._clusterer.is_stored_checkpoint(rebuilt[0])):
            self._write_checkpoint(rebuilt, _Digest().update(ids[:rebuilt[0]], vectors[:rebuilt[0]]).value())

    # -- the stored index checkpoint -------------------------------------------------------
    def _stored_checkpoint(self, ids: np.ndarray, vectors: np.ndarray) -> tuple[int, bytes] | None:
        """The stored index checkpoint, when it holds the first of these articles as they are now
        (the digest takes in all of them either way)."""
        stored = self._store.index_checkpoint()
        held = 0
        if stored is not None and stored.format == self._index_format and stored.articles <= len(ids) \
                and self._clusterer.is_checkpoint(stored.articles):
            held = stored.articles
        usable = stored is not None and held > 0 \
            and self._digest.update(ids[:held], vectors[:held]).value() == stored.digest
        self._digest.update(ids[held:], vectors[held:])
        if not usable:
            return None
        return held, self._store.index_checkpoint_data()

    def _write_checkpoint(self, checkpoint: tuple[int, bytes], digest: str) -> None:
        """Replace the stored index checkpoint, on the checkpoint writer's own connection."""
        held, data = checkpoint
        self._checkpoints.write(IndexCheckpoint(self._index_format, held, digest), data)

    # -- vectors --------------------------------------------------------------------------
    def vectors(self, items: Sequence[StoryItem]) -> np.ndarray:
        """The items' lead vectors: stored ones read back, the rest embedded and stored."""
        ids = [int(i.id) for i in items]
        stored = {i: np.frombuffer(v, dtype=np.float32) for i, v in self._store.vectors(self._model, ids).items()}
        missing = [i for i in items if int(i.id) not in stored]
        if missing:
            vectors = self._clusterer.embed(missing)
            self._write_vectors([int(i.id) for i in missing], vectors)
            stored.update(zip((int(i.id) for i in missing), vectors))
        return np.stack([stored[i] for i in ids])

    def _embed_and_store(self, article_ids: list[int]) -> np.ndarray:
        articles = [self._store.get_article(i) for i in article_ids]
        items = [StoryItem(str(i), a.title or "" if a else "", a.text if a else "") for i, a in zip(article_ids, articles)]
        vectors = self._clusterer.embed(items)
        self._write_vectors(article_ids, vectors)
        return vectors

    def _write_vectors(self, article_ids: list[int], vectors: np.ndarray) -> None:
        self._store.save_vectors(self._model, [(i, vector_bytes(v)) for i, v in zip(article_ids, vectors)])

    # -- assigning ------------------------------------------------------------------------
    def assign(self, pending: _Pending, vector: np.ndarray) -> int:
        """Assign one article and write what changed, in one transaction; returns its story."""
        item = pending.item
        sketch = self._clusterer.sketch(item)
        with self._store.transaction():
            assignment = self._clusterer.assign(item, vector, sketch)
            self._write(assignment, pending, sketch)
            self._store.clear_failure(int(item.id), "stories")
        self._digest.update(np.array([int(item.id)]), np.asarray(vector)[None, :])
        checkpoint = self._clusterer.take_checkpoint()
        if checkpoint is not None and self._clusterer.is_stored_checkpoint(checkpoint[0]):
            self._write_checkpoint(checkpoint, self._digest.value())
        self._follow_central(assignment, item.title if item.title and assignment.copy_of is None else None, vector)
        return assignment.story

    def _write(self, assignment: Assignment, pending: _Pending, sketch: Sketch | None) -> None:
        self._store.file_article(
            int(pending.item.id), assignment.story, merged=assignment.merged, linked=assignment.linked,
            copy_of=int(assignment.copy_of) if assignment.copy_of is not None else None, title=pending.item.title,
            sketch=sketch.to_bytes() if sketch else None, shingles=sketch.size if sketch else 0,
            days=list(pending.item.dates), entities=sorted(pending.item.entities))

    # -- titles ---------------------------------------------------------------------------
    def refresh_titles(self, stories: set[int]) -> None:
        """Title each touched story by its most central article, and its storyline by its most
        representative story title."""
        live = {s for s in (self._store.resolve_story(s) for s in stories) if s is not None}
        if not live:
            return
        # Only a story a titled original joined (or one merged into) may have another central
        # original: the rest keep their title (most articles of a large story are copies).
        stale = self._store.stale_titles(live)
        titles = {story: title for story in stale if (title := self._central_title(story))}
        storylines = {story.storyline_id for story in map(self._store.get_story, live)
                      if story is not None and story.storyline_id is not None}
        with self._store.transaction():
            self._store.set_story_titles(titles, stale)
            self._store.set_storyline_titles({line: storyline_title(self._store, line, self._clusterer.story_size)
                                              for line in storylines})

    def _central_title(self, story: int) -> str | None:
        """The title of the story's titled original closest to the sum of them all (the first
        by id among equals): followed, or found from the members read from the store."""
        if (followed := self._central.get(story)) is not None:
            return followed.title
        rows = self._store.central_title_candidates(story, self._model)
        if not rows:
            return None
        central = _CentralTitle([title for title, _ in rows],
                                np.stack([np.frombuffer(vector, dtype=np.float32) for _, vector in rows]))
        if len(rows) >= FOLLOWED_STORY_MEMBERS:
            self._central[story] = central
        return central.title

    def _follow_central(self, assignment: Assignment, title: str | None, vector: np.ndarray) -> None:
        """Keep the followed central articles up to date with an article just assigned (``title``
        when it is a titled original, which a story's title may come from)."""
        for folded in assignment.merged:  # a merged story's members change at once: read again
            self._central.pop(folded, None)
        if assignment.merged:
            self._central.pop(assignment.story, None)
        followed = self._central.get(assignment.story)
        if followed is not None and title is not None and not followed.add(title, vector):
            del self._central[assignment.story]  # the newcomer may have moved the centre: read again


# Stories of at least this many titled originals have their central article followed as
# articles join (``_CentralTitle``); a smaller one is read again when touched (cheap).
FOLLOWED_STORY_MEMBERS = 16


class _CentralTitle:
    """A story's central titled original, kept up to date as titled originals join it without
    reading the others again while the newcomers cannot have changed which one it is.

    Central is the member ``i`` with the greatest ``v_i . S`` (``S`` the sum of the members'
    vectors; ties to the first by id). A newcomer ``k`` adds ``v_i . v_k`` to each member's
    score: exactly known for the central member, at most the largest norm times ``|v_k|`` for
    any other, whose scores are only bounded from above; the newcomer's own is ``v_k . S``.
    While the central member's score stays above that bound and the newcomer's (by a margin far
    above rounding), it is the one a reading of every member would find; a newcomer above both
    is. Otherwise ``add`` returns False and the story is read again. Scores are float64, in
    both ways of finding the central member."""

    # Margin a decision keeps over rounding (scores are sums of up to ~10^5 products of unit vectors).
    MARGIN = 1e-6

    def __init__(self, titles: list[str], vectors: np.ndarray) -> None:
        vectors64 = vectors.astype(np.float64)
        self._sum = vectors64.sum(axis=0)
        scores = vectors64 @ self._sum
        best = int(np.argmax(scores))
        self.title = titles[best]
        self._vector = vectors64[best]
        self._score = float(scores[best])
        others = np.delete(scores, best)
        self._others = float(others.max()) if len(others) else -np.inf  # a bound on any other's score
        self._norm = float(np.linalg.norm(vectors64, axis=1).max())

    def add(self, title: str, vector: np.ndarray) -> bool:
        """Take in a newcomer (a titled original joining the story); False when the central
        member can no longer be told without reading them all."""
        v = np.asarray(vector, dtype=np.float64)
        norm = float(np.linalg.norm(v))
        self._sum = self._sum + v
        score = self._score + float(self._vector @ v)
        others = self._others + self._norm * norm
        newcomer = float(v @ self._sum)
        self._norm = max(self._norm, norm)
        if score > max(others, newcomer) + self.MARGIN:
            self._score, self._others = score, max(others, newcomer)
            return True
        if newcomer > max(others, score) + self.MARGIN:  # the newcomer is central (the newest: no tie)
            self.title, self._vector = title, v
            self._score, self._others = newcomer, max(others, score)
            return True
        return False


class _CheckpointWriter:
    """Writes stored index checkpoints on a connection and a thread of their own, one at a time,
    so no article's assignment waits while one is written (``save_index_checkpoint`` writes it
    beside the stored one, in small transactions, and swaps it in whole). A failure is raised
    by the next ``write`` or ``wait``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    def write(self, checkpoint: IndexCheckpoint, data: bytes) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._save, args=(checkpoint, data), name="index-checkpoint", daemon=True)
        self._thread.start()

    def _save(self, checkpoint: IndexCheckpoint, data: bytes) -> None:
        try:
            with self._store.connect_again() as own:
                own.save_index_checkpoint(checkpoint, data)
        except BaseException as exc:  # noqa: BLE001 - handed to the assigning thread
            self._failure = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure


def _pending(store: Store, article_id: int, params: StoryParams) -> _Pending:
    """An article as the clusterer reads it, with its days and principal entities from its annotations."""
    article = store.get_article(article_id)
    assert article is not None  # it was just listed as waiting, and nothing deletes articles
    annotation = store.annotation(article_id)
    days: list[str] = []
    if annotation:
        days = [t["value"] for t in annotation.get("times", []) if t.get("value")]
        days += [e["date"] for e in annotation.get("events", []) if e.get("date")]
    entities = store.principal_entities(article_id, params.principal_entity_types, params.principal_entities)
    item = StoryItem(str(article_id), article.title or "", article.text, _published_day(article.published),
                     tuple(sorted({d for d in days if parse_day(d) is not None})), frozenset(entities))
    return _Pending(item, article.origin)


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


def _published_day(published: PublicationDate | None) -> date | None:
    return published.day() if published else None


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


@lru_cache(maxsize=65536)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _title_rules().word.findall(title))


def without_attribution(title: str) -> str:
    """A headline with its "..., X says" / "X says ..." taken off, when what stays reads alone."""
    rules = _title_rules()
    title = rules.suffix.sub("", title).strip()
    match = rules.prefix.match(title)
    rest = title[match.end():] if match else ""
    return rest if rest[:1].isupper() else title


def storyline_title(store: Store, storyline: int, sizes: Callable[[int], int] | None = None) -> str | None:
    """The storyline's most representative story title, attribution taken off.

    Representative = whose words the storyline's other articles' story titles use most: each
    word of a title counts the articles of the *other* stories whose title has it, averaged over
    the title's words (linear in the storyline's size); ties go to the larger, then the older story.
    ``sizes`` gives a story's articles when the caller knows them (the assigner's clusterer),
    so they are not counted in the store (a storyline may hold a thousand stories).
    """
    rows = (store.storyline_story_titles(storyline) if sizes is None else
            [(story, title, sizes(story)) for story, title in store.storyline_titled_stories(storyline)])
    if not rows:
        return None
    words = [_title_words(title) for _, title, _ in rows]
    used_by: dict[str, int] = {}
    counted = used_by.get
    for (_, _, size), title_words in zip(rows, words):
        for w in title_words:
            used_by[w] = counted(w, 0) + size
    # A title's words' counts summed, less its own story's articles once per word: integers until
    # the one division, so exactly the mean of (count - own articles) over its words. Scored in
    # one pass (a storyline's title is chosen again after every batch that touched it, and the
    # largest hold a thousand stories: scoring them word by word was a third of a batch's titles at 1M).
    count = used_by.__getitem__
    best = max(range(len(rows)), key=lambda i: (
        (sum(map(count, words[i])) - rows[i][2] * len(words[i])) / max(1, len(words[i])), rows[i][2], -rows[i][0]))
    return without_attribution(rows[best][1])

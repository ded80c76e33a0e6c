"""The Ray engine: the order-free stages as a Ray Data actor pool (``pip install 'parallax-news[ray]'``).

``parallax ingest --engine ray [--workers N] [--address ray://HOST:PORT]``. The driver reads the
inputs and cuts the batches (as every engine does, so every engine parses the same documents
together); Ray Data maps ``pipeline.process_batch`` over them in ``N`` actors, each loading the
models once; the results stream back to the one writer in the driver (``jobs.ingest``), which
writes them in its fixed order whatever order they arrive in. Without ``--address`` a local Ray
is started for the run, bound to 127.0.0.1 with no dashboard, and shut down after it. On a
cluster, Parallax must be installed on every node, and the batches travel through Ray's object
store (spilled to disk when they do not fit in memory).

Failures: an actor that dies is restarted and its batch retried once (``max_task_retries``);
a batch that fails again is dropped by Ray Data (``max_errored_blocks``) and reported failed, so
``jobs.ingest`` runs its documents one at a time and skips (E196) one that fails alone too.

Spark: the mapped stage is a plain function of its batch, so a ``mapInArrow`` adapter is a few
lines. With a DataFrame of one row per batch (``index`` long, ``batch`` binary: a pickled
``pipeline.Batch``) built from the driver's batches::

    def mapped(tables):  # one Python worker's partition: an iterator of pyarrow.RecordBatch
        warm(config)     # the models, once per Python worker
        for table in tables:
            rows = table.to_pydict()
            yield pa.RecordBatch.from_pydict({"index": rows["index"], "results": [
                pickle.dumps(process_batch(pickle.loads(b), config)) for b in rows["batch"]]})

    df.mapInArrow(mapped, "index long, results binary").toLocalIterator()

feeds the same ``(batch, results)`` stream to the writer (failures: Spark's task retries, then
this module's per-document rule).
"""
from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from parallax.engines import Mapped, failure
from parallax.errors import Errors, ParallaxError
from parallax.pipeline import Batch, MapConfig, MapFunction, warm

# How often Ray retries a batch whose actor died (on the actor restarted) before it counts failed.
RETRIES = 1


class _Mapper:
    """One Ray Data actor: loads the models once, then maps pickled batches."""

    def __init__(self, fn: MapFunction, config: MapConfig) -> None:
        self._fn, self._config = fn, config
        warm(config)

    def __call__(self, rows: dict[str, np.ndarray]) -> dict[str, Any]:
        results, errors = [], []
        for blob in rows["batch"]:
            try:
                results.append(pickle.dumps(self._fn(pickle.loads(blob), self._config)))
                errors.append("")
            except Exception as exc:  # noqa: BLE001 - retried one document at a time by the driver
                results.append(b"")
                errors.append(failure(exc))
        return {"index": rows["index"], "results": np.array(results, dtype=object),
                "error": np.array(errors, dtype=object)}


class RayEngine:
    """Ray Data over the batches, ``workers`` actors at a time."""

    def __init__(self, workers: int, address: str | None = None) -> None:
        try:
            import ray
        except ImportError as exc:
            raise ParallaxError(Errors.E802) from exc
        self._ray = ray
        self._workers = workers
        self._started = False
        if ray.is_initialized():
            return
        try:
            if address:
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            else:
                ray.init(address="local", num_cpus=workers, include_dashboard=False, _node_ip_address="127.0.0.1",
                         logging_level=logging.ERROR, log_to_driver=False)
        except Exception as exc:  # noqa: BLE001 - Ray's own errors are many; the run stops with one line
            raise ParallaxError(Errors.E803, detail=failure(exc)) from exc
        self._started = True

    def map(self, fn: MapFunction, config: MapConfig, batches: Iterable[Batch], *,
            one_at_a_time: bool = False) -> Iterator[Mapped]:
        if not one_at_a_time:
            yield from self._run(fn, config, list(batches), self._workers)
            return
        for batch in batches:  # each alone: an actor that dies takes no other batch's block with it
            yield from self._run(fn, config, [batch], 1)

    def _run(self, fn: MapFunction, config: MapConfig, batches: list[Batch], actors: int) -> Iterator[Mapped]:
        import ray.data

        held = dict(enumerate(batches))  # by position: retried documents share their batch's index
        if not held:
            return
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.max_errored_blocks = -1  # a batch that fails twice is reported, not the run's end
        rows = [{"index": position, "batch": pickle.dumps(batch)} for position, batch in held.items()]
        # A fixed pool of actors (compute=, which replaced the deprecated concurrency=). Restarts
        # and task retries still go as remote args: Ray 2.60 warns that these are deprecated but
        # offers no named parameter for them yet (the extra pins ray[data]==2.60.0).
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            _Mapper, fn_constructor_args=(fn, config), batch_size=1, compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=1, max_restarts=-1, max_task_retries=RETRIES)
        for row in dataset.iter_rows():
            batch = held.pop(int(row["index"]))
            yield batch, row["error"] or pickle.loads(row["results"])
        for batch in held.values():  # dropped by Ray after failing again
            yield batch, "its Ray worker failed"

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False

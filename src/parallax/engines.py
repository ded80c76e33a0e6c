"""Where the order-free stages run: this process, worker processes, or Ray.

An engine maps a function of one batch (``pipeline.process_batch``) over batches and yields each
batch with its results, or with the reason its worker failed on it (the caller retries those
one document at a time). Every engine loads the models once per worker, never per batch.

- ``serial``: in this process, one batch after another.
- ``process`` (the default): worker processes (``--workers``, default the number of cores),
  started only when there is more than one batch to map; the driver meanwhile reads and writes.
  On Linux they are forked from the driver once it has loaded the models (``start_method``).
- ``ray``: a Ray Data actor pool (``ray_engine.py``; the ``ray`` extra).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from typing import Protocol

from parallax.errors import Errors, ParallaxError
from parallax.pipeline import Batch, MapConfig, MapFunction, Processed, warm

ENGINES = ("serial", "process", "ray")
# Batches queued per worker beyond the one it is on: enough to keep it busy, few enough that a
# huge input is read as it is mapped, not all at once.
QUEUED_PER_WORKER = 2
# How often a worker looks whether the process that started it is still there.
PARENT_CHECK_SECONDS = 0.5

# A batch with its results, or with the one-line reason its worker failed on it.
Mapped = tuple[Batch, "list[Processed] | str"]


class Engine(Protocol):
    def map(self, fn: MapFunction, config: MapConfig, batches: Iterable[Batch], *,
            one_at_a_time: bool = False) -> Iterator[Mapped]:
        """``fn`` over the batches; ``one_at_a_time`` maps each alone in a worker (retries: a
        batch that kills its worker then takes no other batch down with it)."""
        ...

    def close(self) -> None: ...


def failure(exc: BaseException) -> str:
    """A worker's failure in one line."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:200]


def default_workers() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def make_engine(name: str, workers: int | None = None, address: str | None = None) -> Engine:
    """The engine called ``name`` (``serial``, ``process`` or ``ray``)."""
    if name == "serial":
        return SerialEngine()
    if name == "process":
        return ProcessEngine(workers or default_workers())
    if name == "ray":
        from parallax.ray_engine import RayEngine

        return RayEngine(workers or default_workers(), address)
    raise ParallaxError(Errors.E801, value=name)


class SerialEngine:
    """The batches mapped here, one after another."""

    def map(self, fn: MapFunction, config: MapConfig, batches: Iterable[Batch], *,
            one_at_a_time: bool = False) -> Iterator[Mapped]:
        warm(config)
        for batch in batches:
            try:
                yield batch, fn(batch, config)
            except Exception as exc:  # noqa: BLE001 - retried one document at a time by the caller
                yield batch, failure(exc)

    def close(self) -> None:
        pass


def start_method() -> str:
    """How worker processes start: ``fork`` on Linux, so that a worker forked once the driver
    has loaded the models (``warm``) shares them copy-on-write and starts at once, where each
    spawned worker loads its own (≈ 4–5 s CPU, once per worker per run: with 2 workers on 89
    VOA stories ≈ 0.1 s per article, twice what the annotators cost); ``spawn`` elsewhere
    (macOS and Windows libraries are not safe to use in a forked child)."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def start_worker(config: MapConfig) -> None:
    """A worker process's start: the models loaded (a forked worker has them already)."""
    threading.Thread(target=exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    warm(config)


def exit_with_parent(parent: int) -> None:
    """End this worker once the process that started it is gone (this one is then handed to
    another parent): a driver killed with SIGKILL cannot shut its pool down, and its workers,
    models loaded, would otherwise wait for work that never comes, for good."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


class ProcessEngine:
    """Worker processes, forked from the driver after it has loaded the models or spawned and
    each loading them once (``start_method``); they share no state with the driver beyond the
    loaded models (a forked worker never touches the driver's store), and results come back
    in the order the batches went out."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: MapFunction, config: MapConfig, batches: Iterable[Batch], *,
            one_at_a_time: bool = False) -> Iterator[Mapped]:
        iterator = iter(batches)
        head = list(islice(iterator, 2))
        if len(head) < 2 and self._pool is None and not one_at_a_time:
            # one batch: starting workers would cost more than mapping it here
            yield from SerialEngine().map(fn, config, head)
            return
        in_flight: deque[tuple[Batch, Future[list[Processed]]]] = deque()
        limit = 1 if one_at_a_time else self._workers * (1 + QUEUED_PER_WORKER)
        for batch in chain(head, iterator):
            in_flight.append((batch, self._submit(fn, config, batch)))
            if len(in_flight) >= limit:
                yield self._result(*in_flight.popleft())
        while in_flight:
            yield self._result(*in_flight.popleft())

    def _submit(self, fn: MapFunction, config: MapConfig, batch: Batch) -> Future[list[Processed]]:
        if self._pool is None:
            method = start_method()
            if method == "fork":
                warm(config)  # here, once: every worker forked below inherits what it loaded
            self._pool = ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context(method),
                                             initializer=start_worker, initargs=(config,))
        try:
            return self._pool.submit(fn, batch, config)
        except BrokenProcessPool:  # a worker died under an earlier batch: start afresh
            self.close()
            return self._submit(fn, config, batch)

    def _result(self, batch: Batch, future: Future[list[Processed]]) -> Mapped:
        try:
            return batch, future.result()
        except BrokenProcessPool as exc:
            self.close()  # every batch the dead pool held comes back failed and is retried
            return batch, failure(exc)
        except Exception as exc:  # noqa: BLE001 - retried one document at a time by the caller
            return batch, failure(exc)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

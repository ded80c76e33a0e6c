"""A wall-clock budget for one piece of work on hostile input (cleaning a page, parsing a feed):
past it the work is stopped and the input skipped with one line, so no input holds a run.

A real-time timer signal interrupts the work at its next Python step, and Python's regular
expressions check for signals as they backtrack, so neither a slow pass nor a catastrophic
pattern outlives the budget; a library call into C that checks for nothing is bounded apart, by
the size caps (``max_file_bytes``, ``max_html_tags``) on what it is given. Signals reach only a
process's main thread, which is where the serial engine and every worker process
(``engines.py``) clean and where the driver reads; elsewhere (a Ray actor's thread) no budget is
set and the size caps alone bound the work.
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class OverBudget(BaseException):
    """Raised into work that ran past its budget (a BaseException, as KeyboardInterrupt is, so no
    library's ``except Exception`` swallows it)."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``OverBudget`` in this thread after ``seconds`` of wall-clock time (none when
    ``seconds`` is 0 or this is not the main thread)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""Start-up of the light commands: ``parallax --help``, ``stories``, ``search`` on an empty store.

Issue 11 asks that ``parallax --help`` and other light commands start in under 0.3 s. Each
command runs as a fresh process (``python -m parallax``, this checkout's code), alternating
with a bare interpreter (``python -c pass``) as the reference, so a loaded machine slows both
alike; the figures are the medians over the runs, wall and CPU (user + system, from
``getrusage`` of the finished child), and the ratio of each command's wall time to the bare
interpreter's in the same run. Python may write its bytecode cache (``PYTHONDONTWRITEBYTECODE``
is removed from the children's environment, and each command runs once before the timed runs),
as it does for a user: a run that compiles every module of ours each time measures the compiler.

    .venv/bin/python benchmarks/startup.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
GOAL_SECONDS = 0.3


def timed(command: list[str], env: dict[str, str], cwd: str) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command`` (its output discarded; it must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (default 9)")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "empty.db")
        # An empty store for the commands that read one (``watch list`` creates it).
        subprocess.run([sys.executable, "-m", "parallax", "watch", "list", "--db", db], env=env, cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        reference = [sys.executable, "-c", "pass"]
        commands = {
            "--help": ["--help"],
            "stories (empty store)": ["stories", "--db", db],
            "search word (empty store)": ["search", "word", "--db", db],
        }
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in ["python -c pass", *commands]}
        for arguments in commands.values():  # the bytecode cache written, as after a user's first run
            timed([sys.executable, "-m", "parallax", *arguments], env, tmp)
        for _ in range(args.runs):
            for name, arguments in commands.items():
                timings["python -c pass"].append(timed(reference, env, tmp))
                timings[name].append(timed([sys.executable, "-m", "parallax", *arguments], env, tmp))
    bare = statistics.median(wall for wall, _ in timings["python -c pass"])
    for name, runs in timings.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{name}: wall {wall:.3f} s, CPU {cpu:.3f} s, {wall / bare:.1f}x a bare interpreter "
              f"(median of {len(runs)})")
    worst = max(statistics.median(w for w, _ in timings[name]) for name in commands)
    print(f"slowest light command {worst:.3f} s wall (goal < {GOAL_SECONDS} s); bare interpreter {bare:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

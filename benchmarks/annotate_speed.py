"""Annotation speed on the VOA corpus beside spaCy's raw parse speed, in the same run.

Three passes over the same 89 VOA stories on this machine (2 cores, one process):
  1. spaCy alone: ``nlp.pipe`` over the texts (the floor every annotator pays);
  2. the full annotator without events (times, entities, quotes, attributions);
  3. the full annotator with events.
The issue's goal is annotation at ≥ 60% of the raw parse speed.

    .venv/bin/python benchmarks/annotate_speed.py [--limit N]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from parallax import annotate as pipeline
from parallax.nlp import load_nlp

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "voa" / "voa_stories.jsonl"


def run(items: list[tuple[str, date | None, str, None]], components: list[pipeline.Component]) -> float:
    """Seconds to annotate every item with these components."""
    saved = list(pipeline.COMPONENTS)
    pipeline.COMPONENTS[:] = components
    try:
        start = time.perf_counter()
        for _ in pipeline.annotate_many(items):
            pass
        return time.perf_counter() - start
    finally:
        pipeline.COMPONENTS[:] = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    records = [json.loads(line) for line in DATA.open(encoding="utf-8")][: args.limit]
    items = [(r["text"], date.fromisoformat(r["published"][:10]), "en", None) for r in records]
    nlp = load_nlp()
    list(nlp.pipe(r["text"] for r in records[:4]))  # load and warm up outside the clock

    start = time.perf_counter()
    for _ in nlp.pipe((r["text"] for r in records), batch_size=16):
        pass
    parse = time.perf_counter() - start
    without_events = run(items, [c for c in pipeline.COMPONENTS if c.name != "events"])
    with_events = run(items, list(pipeline.COMPONENTS))

    n = len(records)
    print(f"{'pass':28} {'seconds':>8} {'articles/s':>11} {'of parse':>9}")
    for name, seconds in (("spaCy parse only", parse), ("annotate without events", without_events),
                          ("annotate with events", with_events)):
        print(f"{name:28} {seconds:8.1f} {n / seconds:11.2f} {parse / seconds:9.0%}")
    print(f"{n} VOA articles; goal: annotation ≥ 60% of the raw parse speed")
    print(f"parse {n / parse:.2f}/s  annotate {n / without_events:.2f}/s ({parse / without_events:.0%})"
          f"  with events {n / with_events:.2f}/s ({parse / with_events:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

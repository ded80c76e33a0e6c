"""HTML → article text on trafilatura's evaluation set: plain trafilatura against Parallax.

Reads ``../shared/data/extraction-dev`` (990 pages, mostly German; see its README). The metric
is trafilatura's own: each "with" snippet found in the output (whitespace-normalised substring)
is a true positive, each one missing a false negative; each "without" snippet found is a false
positive, each one absent a true negative. Both extractors run in the same pass, so their
pages/s are comparable. Pages with a gold date stand in for news pages; on them the
publication date of ``clean_html`` is compared with htmldate alone (its defaults).

    .venv/bin/python benchmarks/extraction.py [--limit N] [--no-lines] [--furniture]

``--no-lines`` switches off the furniture line pass and ``--furniture`` adds the plain-text
furniture classifier (``parallax.clean.furniture``), to measure what each contributes.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from htmldate import find_date

from parallax.clean.furniture import split_furniture
from parallax.clean.html import FurniturePatterns, clean_html, default_patterns, load_patterns_data
from parallax.errors import InputError
from parallax.settings import Options, load_options

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "extraction-dev"


@dataclass
class Tally:
    """Snippet confusion counts and time spent for one extractor on one group of pages."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pages: int = 0
    seconds: float = 0.0

    def add(self, item: dict, text: str) -> None:
        found = _norm(text)
        hits = sum(_norm(s) in found for s in item["with"])
        leaks = sum(_norm(s) in found for s in item["without"])
        self.tp += hits
        self.fn += len(item["with"]) - hits
        self.fp += leaks
        self.tn += len(item["without"]) - leaks
        self.pages += 1

    def scores(self) -> tuple[float, float, float, float]:
        """precision, recall, F1, accuracy."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        return precision, recall, f1, (self.tp + self.tn) / total if total else 0.0


@dataclass
class Results:
    """Tallies per extractor and page group, and date hits on pages with a gold date."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    date_hits: dict[str, int] = field(default_factory=dict)
    dated_pages: int = 0

    def tally(self, extractor: str, group: str) -> Tally:
        return self.tallies.setdefault((extractor, group), Tally())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pages(limit: int | None) -> Iterator[tuple[str, dict, bytes]]:
    """(url, gold item, HTML bytes) for each page of the set, or for ``limit`` pages spread
    evenly over it (the file groups pages by source, so its first pages are not a sample)."""
    gold = list(json.loads((DATA / "evaldata.json").read_text("utf-8")).items())
    if limit is not None and limit < len(gold):
        gold = [gold[number * len(gold) // limit] for number in range(limit)]
    for url, item in gold:
        yield url, item, gzip.decompress((DATA / "html" / f"{item['file']}.gz").read_bytes())


def plain_trafilatura(html: bytes, url: str) -> str:
    """trafilatura with its default settings, as a user would call it."""
    return trafilatura.extract(html, url=url) or ""


def parallax_extractor(options: Options, patterns: FurniturePatterns, with_furniture: bool) -> Callable:
    """Our cleaner as ``(html, url) -> (text, published value or None)``."""

    def run(html: bytes, url: str) -> tuple[str, str | None]:
        try:
            article = clean_html(html, url, options, patterns)
        except InputError:
            return "", None
        text = article.text
        if with_furniture:
            text, _ = split_furniture(text)
        return text, article.published.value if article.published else None

    return run


def evaluate(limit: int | None, patterns: FurniturePatterns, with_furniture: bool = False) -> Results:
    """Run both extractors over the set and tally them per page group."""
    ours = parallax_extractor(load_options(), patterns, with_furniture)
    results = Results()
    for url, item, html in pages(limit):
        group = "dated" if item.get("date") else "undated"
        start = time.perf_counter()
        text = plain_trafilatura(html, url)
        elapsed = time.perf_counter() - start
        for name in (group, "all"):
            results.tally("trafilatura", name).add(item, text)
            results.tally("trafilatura", name).seconds += elapsed
        start = time.perf_counter()
        text, published = ours(html, url)
        elapsed = time.perf_counter() - start
        for name in (group, "all"):
            results.tally("parallax", name).add(item, text)
            results.tally("parallax", name).seconds += elapsed
        if item.get("date"):
            results.dated_pages += 1
            baseline = find_date(html, url=url)
            results.date_hits["htmldate"] = results.date_hits.get("htmldate", 0) + (baseline == item["date"])
            hit = published is not None and published[:10] == item["date"]
            results.date_hits["parallax"] = results.date_hits.get("parallax", 0) + hit
    return results


def report(results: Results) -> None:
    print(f"{'extractor':<12} {'pages':<8} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'pages/s':>8}")
    for (extractor, group), tally in sorted(results.tallies.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if group == "all":
            continue
        precision, recall, f1, accuracy = tally.scores()
        print(
            f"{extractor:<12} {group:<8} {precision:6.3f} {recall:6.3f} {f1:6.3f} {accuracy:6.3f}"
            f" {tally.pages / tally.seconds if tally.seconds else 0:8.1f}"
        )
    dated = results.dated_pages or 1
    print(
        f"publication date exact on {results.dated_pages} dated pages:"
        + "".join(f"  {name} {hits / dated:.3f}" for name, hits in results.date_hits.items())
    )
    for extractor in ("trafilatura", "parallax"):
        tally = results.tally(extractor, "all")
        precision, recall, f1, accuracy = tally.scores()
        print(
            f"{extractor:<12} P {precision:.3f} R {recall:.3f} F1 {f1:.3f} acc {accuracy:.3f}"
            f" {tally.pages / tally.seconds if tally.seconds else 0:.1f} pages/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only N pages, spread over the set")
    parser.add_argument("--no-lines", action="store_true", help="without the furniture line pass")
    parser.add_argument("--furniture", action="store_true", help="add parallax.clean.furniture's line classifier")
    args = parser.parse_args()
    patterns = default_patterns()
    if args.no_lines:
        data = load_patterns_data()
        patterns = FurniturePatterns.from_json({**data, "lines": {}})
    report(evaluate(args.limit, patterns, args.furniture))


if __name__ == "__main__":
    main()

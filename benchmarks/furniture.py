"""Plain-text furniture removal, measured on the seeds and on text dumps of extraction-dev.

1. Seeds (``../shared/data/seeds/gold.json``): every furniture line removed, every body line
   kept, the title right and kept at the head of the text, and seed 004's published date None
   (its only dates are in furniture).
2. Dev: each extraction-dev page rendered as visible text, one block per line
   (``scripts/build_furniture_dev.py``; built into ``build/`` on first run). Two figures:
   - snippet P/R/F1 with trafilatura's metric over the cleaned text (a "with" snippet kept is a
     TP, missing an FN; a "without" snippet kept is an FP, removed a TN), for "keep every line"
     (the do-nothing baseline), plain jusText on the same lines (the library the furniture
     rules grew from), ``split_furniture`` and ``clean_text``;
   - line P/R/F1 for furniture detection on the lines holding exactly one kind of snippet.
   Broken down by English pages (py3langid on the page text) and news pages (og:type article).
   Also clean_text's headline (matches evaldata's gold title, either containing the other) and
   published date (precision: the day agrees with evaldata's gold date when one is given).
   Every dev figure is printed for the validation half (pages of sites ``pages_split`` puts
   there, never read while tuning) beside the tuning half, which is in-sample for the rules
   written since the split, and for all pages together.

Run: ``.venv/bin/python benchmarks/furniture.py`` from the repository root.
"""
from __future__ import annotations

import html
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import justext
import py3langid

from parallax.clean.furniture import classify_lines, drop_lines
from parallax.clean.text import clean_text
from parallax.settings import load_options

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / ".." / "shared" / "data"
DEV_FILE = REPO / "build" / "furniture-dev.jsonl"
sys.path.insert(0, str(REPO / "scripts"))
import build_furniture_dev  # noqa: E402  (the dev-set builder lives with the scripts)
from pages_split import site_of, split_of  # noqa: E402  (benchmarks/ is on the path when run as a script)

OPTIONS = load_options()
# Pinned floors (the figures when this benchmark was last tuned, less a small margin): a change
# that drops below them has lost body text or let furniture back in.
FLOOR_DEV_SNIPPET_F1 = 0.86
FLOOR_SEED_CHECKS = 1.0


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    def prf(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def row(self, name: str) -> str:
        precision, recall, f1 = self.prf()
        return f"{name:<34} P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}  (n={self.tp + self.fp + self.fn + self.tn})"


def seed_checks() -> tuple[int, int, list[str]]:
    """(checks passed, checks run, failure descriptions) for the seed gold."""
    seeds = DATA / "seeds"
    gold = json.loads((seeds / "gold.json").read_text("utf-8"))
    passed = total = 0
    failures: list[str] = []
    for name, expected in gold["articles"].items():
        raw = (seeds / name).read_text("utf-8")
        lines = raw.splitlines()
        furniture = classify_lines(lines)
        article = clean_text(raw, OPTIONS)
        checks = [(f"{name} line {n} removed", furniture[n - 1]) for n in expected["furniture_lines"]]
        checks += [(f"{name} line {n} kept", not furniture[n - 1]) for n in expected["body_lines"]]
        checks += [(f"{name} line {n} in text", lines[n - 1].strip() in article.text) for n in expected["body_lines"]]
        checks.append((f"{name} title", article.title == expected["title"]))
        # The headline is no furniture: SPEC's plain-text ``text`` is the input minus furniture
        # lines, so it keeps the headline (d038151).
        checks.append((f"{name} title kept in text", article.text.startswith(expected["title"])))
        gold_date = gold["metadata"][name]["published"]
        got = article.published.value if article.published else None
        # The text of seed 000 holds no date at all, so None is right for it from text alone.
        if gold_date is None:
            checks.append((f"{name} published None", got is None))
        for label, ok in checks:
            total += 1
            passed += ok
            if not ok:
                failures.append(label)
    return passed, total, failures


def voa_checks() -> tuple[float, int, int]:
    """(share of body characters kept, titles right, stories) on VOA's clean stories.

    They carry no furniture, so every character removed is body lost: a recall check on news
    prose (title line, blank line, the paragraphs as published).
    """
    kept = total = titles = stories = 0
    with (DATA / "voa" / "voa_stories.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            article = clean_text(f"{story['title']}\n\n{story['text']}", OPTIONS)
            stories += 1
            titles += article.title == story["title"]
            for paragraph in filter(str.strip, story["text"].splitlines()):
                total += len(paragraph)
                kept += len(paragraph) * (paragraph.strip() in article.text)
    return kept / total, titles, stories


def dev_records() -> list[dict]:
    if not DEV_FILE.exists():
        DEV_FILE.parent.mkdir(parents=True, exist_ok=True)
        with DEV_FILE.open("w", encoding="utf-8") as handle:
            for record in build_furniture_dev.dev_records():
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    with DEV_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def snippet_counts(kept_text: str, record: dict) -> Counts:
    """trafilatura's evaluation metric over one page's kept text."""
    text = build_furniture_dev.normalise(kept_text)
    counts = Counts()
    for snippet in record["with"]:
        if snippet in text:
            counts.tp += 1
        else:
            counts.fn += 1
    for snippet in record["without"]:
        if snippet in text:
            counts.fp += 1
        else:
            counts.tn += 1
    return counts


def line_counts(lines: list[str], furniture: list[bool], record: dict) -> Counts:
    """Furniture detection (positive = furniture) on lines holding one kind of snippet."""
    counts = Counts()
    for line, removed in zip(lines, furniture):
        body = any(s in line for s in record["with"])
        boiler = any(s in line for s in record["without"])
        if body == boiler:
            continue
        if boiler:
            counts.tp += removed
            counts.fn += not removed
        else:
            counts.fp += removed
            counts.tn += not removed
    return counts


def _title_agrees(title: str | None, gold_title: str | None) -> bool | None:
    """None when there is no gold title; otherwise whether one (normalised) contains the other."""
    if not gold_title:
        return None
    if title is None:
        return False
    ours, theirs = (build_furniture_dev.normalise(t).lower() for t in (title, gold_title))
    return ours in theirs or theirs in ours


def _date_agrees(published: object, gold_date: str | None) -> bool | None:
    """None when nothing was predicted or there is no gold date; otherwise whether the days agree."""
    if published is None or not gold_date:
        return None
    return published.value[:10] == gold_date[:10]  # type: ignore[attr-defined]


@cache
def _justext_stoplists() -> dict[str, frozenset[str]]:
    return {name: frozenset(justext.get_stoplist(name)) for name in justext.get_stoplists()}


def plain_justext(record: dict) -> tuple[str, list[bool]]:
    """The plain library on the same lines: jusText's paragraph classifier, each line a
    paragraph, with the one stoplist of jusText's that covers most of the page's words (jusText
    takes one language; its default settings otherwise)."""
    words = " ".join(record["lines"]).lower().split()
    stoplists = _justext_stoplists()
    best = max(sorted(stoplists), key=lambda name: sum(word in stoplists[name] for word in words))
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in record["lines"]) + "</body></html>"
    kept = [paragraph.text for paragraph in justext.justext(page, stoplists[best]) if not paragraph.is_boilerplate]
    return "\n".join(kept), []


def page_groups(record: dict) -> Iterable[str]:
    """The groups a page counts in: all pages, English, English news, news; each also within
    its half of the split (``validation/en``, ``tune/en`` ...)."""
    half = split_of(site_of(record["url"]))
    text = " ".join(record["lines"])
    english = py3langid.classify(text[:5000])[0] == "en"
    for group in ("all", "en" if english else None, "en-news" if english and record["og_article"] else None,
                  "news" if record["og_article"] else None):
        if group:
            yield group
            yield f"{half}/{group}"


def main() -> None:
    passed, total, failures = seed_checks()
    for failure in failures:
        print("seed FAIL:", failure)

    records = dev_records()

    def keep_all(record: dict) -> tuple[str, list[bool]]:
        return "\n".join(record["lines"]), [False] * len(record["lines"])

    def split(record: dict) -> tuple[str, list[bool]]:
        furniture = classify_lines(record["lines"])
        return drop_lines(record["lines"], furniture), furniture

    def article(record: dict) -> tuple[str, list[bool]]:
        cleaned = clean_text("\n".join(record["lines"]), OPTIONS)
        titles.append(_title_agrees(cleaned.title, gold[record["url"]].get("title")))
        dates.append(_date_agrees(cleaned.published, gold[record["url"]].get("date")))
        return cleaned.text, []

    gold = json.loads((DATA / "extraction-dev" / "evaldata.json").read_text("utf-8"))
    titles: list[bool | None] = []
    dates: list[bool | None] = []

    methods: dict[str, Callable[[dict], tuple[str, list[bool]]]] = {
        "keep every line": keep_all, "jusText": plain_justext, "split_furniture": split, "clean_text": article}
    snippets: dict[tuple[str, str], Counts] = {}
    lines: dict[str, Counts] = {}
    pages: dict[str, int] = {}
    started = time.perf_counter()
    for record in records:
        groups = list(page_groups(record))
        for group in groups:
            pages[group] = pages.get(group, 0) + 1
        for method, run in methods.items():
            kept, furniture = run(record)
            counts = snippet_counts(kept, record)
            for group in groups:
                snippets.setdefault((method, group), Counts()).add(counts)
            if method == "split_furniture":
                per_line = line_counts(record["lines"], furniture, record)
                for group in groups:
                    lines.setdefault(group, Counts()).add(per_line)
    seconds = time.perf_counter() - started

    print(f"dev pages: {len(records)}; groups: {pages}; {seconds:.1f}s for all methods")
    for group in sorted(pages):
        for method in methods:
            print(snippets[(method, group)].row(f"snippets {group:<18} {method}"))
        print(lines[group].row(f"lines    {group:<18} furniture"))
    with_title = [t for t in titles if t is not None]
    predicted_dates = [d for d in dates if d is not None]
    gold_dates = sum(1 for entry in gold.values() if entry.get("date"))
    print()
    print(f"seeds: {passed}/{total} checks passed")
    voa_kept, voa_titles, voa_stories = voa_checks()
    print(f"voa (clean news, no furniture): body characters kept {voa_kept:.3f}, titles right {voa_titles}/{voa_stories}")
    print(
        f"dev titles right {sum(with_title)}/{len(with_title)} ({sum(with_title) / len(with_title):.3f}) | "
        f"published given {len(predicted_dates)}/{gold_dates} pages with a gold date, right "
        f"{sum(predicted_dates)} (precision {sum(predicted_dates) / max(len(predicted_dates), 1):.3f})"
    )
    for group in (f"{half}/{kind}" for kind in ("all", "en", "en-news") for half in ("validation", "tune")):
        base = snippets[("keep every line", group)].prf()[2]
        plain = snippets[("jusText", group)].prf()[2]
        split_f1 = snippets[("split_furniture", group)].prf()
        clean_f1 = snippets[("clean_text", group)].prf()
        line_prf = lines[group].prf()
        print(
            f"dev {group:<18} snippet F1 keep-all {base:.3f} | jusText {plain:.3f} | split_furniture P {split_f1[0]:.3f} R {split_f1[1]:.3f} "
            f"F1 {split_f1[2]:.3f} | clean_text F1 {clean_f1[2]:.3f} | furniture lines P {line_prf[0]:.3f} "
            f"R {line_prf[1]:.3f} F1 {line_prf[2]:.3f}"
        )
    dev_f1 = snippets[("split_furniture", "all")].prf()[2]
    floors_met = dev_f1 >= FLOOR_DEV_SNIPPET_F1 and passed / total >= FLOOR_SEED_CHECKS
    print(f"floors (dev snippet F1 >= {FLOOR_DEV_SNIPPET_F1}, all seed checks): {'met' if floors_met else 'NOT MET'}")
    if not floors_met:
        sys.exit(1)


if __name__ == "__main__":
    main()

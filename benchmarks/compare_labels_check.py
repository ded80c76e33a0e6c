"""Check the hand-labelled comparison dev set (``compare_dev_labels.jsonl``, issue 10).

Each label cites its articles by short verbatim anchors (a list of them where one article tells
the fact in several places: a headline restating the lead); the benchmark aligns the engine's
facts to the labels through those anchors, so an anchor that is not in its article's text (as
the article is read) would silently turn into a miss. This script finds every anchor in its
article, checks each item's split against ``split_of`` (the split is fixed by the item id, not
by whoever edits the file), and prints the counts per split. It prints counts only: never the
labels' contents, so running it reveals nothing of the validation half.

Article texts: similarity pairs are the SemEval-2022 task 8 dev CSV's ``text1``/``text2`` (read
from ``../shared/data``; an article may name its language, ``"lang": "de"``, and its anchors are
then copied from its own text, German from the German); seeds are the seed files there; demo articles are files under the
repo's ``data/demo`` (a JSON-lines record when ``record`` names its id); clustering-dev items are
events of Clust-McMs dev (``clustmcms_dev.json`` there), an article's text its sentences'
``content`` joined with single spaces (as ``clustering_data.clustmcms`` and ``compare.py`` read
it). Items with ``"facts_complete": false`` list a selection of the shared facts. A fact or difference
that contradicts is also listed among the shared facts (both articles tell it, differently).
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from compare_split import split_of

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "compare_dev_labels.jsonl"
SIMILARITY_CSV = DATA / "similarity-dev" / "semeval2022_t8_dev.csv"
CLUSTMCMS = DATA / "clustering-dev" / "clustmcms_dev.json"
FACT_KINDS = {"event", "quote", "claim", "quantity", "date", "place"}
DIFF_KINDS = {"date", "quantity", "place", "polarity", "attribution"}
SOURCES = {"similarity-dev", "seeds", "demo", "clustering-dev"}


def load_labels(path: Path = LABELS) -> list[dict]:
    """The labelled items, one JSON object a line."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _similarity_rows() -> dict[str, dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(SIMILARITY_CSV, encoding="utf-8", newline="") as f:
        return {row["pair_id"]: row for row in csv.DictReader(f)}


def clustmcms_bodies() -> dict[int, str]:
    """Clust-McMs dev bodies by article ID: the sentences' content joined with single spaces."""
    raw = json.loads(CLUSTMCMS.read_text("utf-8"))
    return {a["ID"]: " ".join(s["content"] for s in a["sentences"]) for a in raw["articles"]}


def _jsonl_record(path: Path, record_id: str) -> str:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and str((record := json.loads(line)).get("id")) == record_id:
                return str(record["text"])
    raise KeyError(f"{path}: no record {record_id}")


def article_texts(item: dict, rows: dict[str, dict[str, str]], bodies: dict[int, str] | None = None) -> dict[str, str]:
    """Each article's text exactly as the benchmark reads it, by article id."""
    texts = {}
    for art in item["articles"]:
        if item["source"] == "clustering-dev":
            texts[art["id"]] = (bodies if bodies is not None else clustmcms_bodies())[art["clustmcms_id"]]
        elif item["source"] == "similarity-dev":
            texts[art["id"]] = rows[art["pair_id"]][art["side"]]
        elif item["source"] == "seeds":
            texts[art["id"]] = (DATA / art["path"]).read_text("utf-8")
        elif "record" in art:
            texts[art["id"]] = _jsonl_record(ROOT / art["path"], str(art["record"]))
        else:
            texts[art["id"]] = (ROOT / art["path"]).read_text("utf-8")
    return texts


def check_item(item: dict, texts: dict[str, str]) -> tuple[list[str], int]:
    """Problems found in one item, and how many anchors occur more than once in their article."""
    problems, repeated = [], 0
    where = item["id"]
    if item.get("source") not in SOURCES:
        problems.append(f"{where}: source {item.get('source')!r}")
    if item.get("source") == "clustering-dev" and item.get("facts_complete") is not False:
        problems.append(f"{where}: a clustering-dev item's shared facts are a selection (facts_complete false)")
    if item.get("split") != split_of(item["id"]):
        problems.append(f"{where}: split {item.get('split')!r}, split_of says {split_of(item['id'])!r}")
    entries = [(group, FACT_KINDS if group == "facts_shared" else DIFF_KINDS, n, e)
               for group in ("facts_shared", "contradictions", "developments") for n, e in enumerate(item[group])]
    for group, kinds, n, entry in entries:
        label = f"{where} {group}[{n}]"  # an index, never the label's words
        if entry.get("kind") not in kinds:
            problems.append(f"{label}: kind {entry.get('kind')!r}")
        if len(entry["anchors"]) < 2:
            problems.append(f"{label}: fewer than two articles")
        if group != "facts_shared" and set(entry.get("values", {})) != set(entry["anchors"]):
            problems.append(f"{label}: values and anchors name different articles")
        for article, anchors in entry["anchors"].items():
            text = texts.get(article)
            if text is None:
                problems.append(f"{label}: article {article} is not among the item's articles")
                continue
            for anchor in [anchors] if isinstance(anchors, str) else anchors:
                if anchor not in text:
                    problems.append(f"{label}: anchor not found in article {article}")
                    continue
                repeated += text.count(anchor) > 1
                if not 3 <= len(anchor.split()) <= 15:
                    problems.append(f"{label}: anchor of {len(anchor.split())} words in article {article}")
    return problems, repeated


def main() -> int:
    items = load_labels()
    rows = _similarity_rows() if any(i["source"] == "similarity-dev" for i in items) else {}
    bodies = clustmcms_bodies() if any(i["source"] == "clustering-dev" for i in items) else {}
    problems, repeated = [], 0
    ids = Counter(i["id"] for i in items)
    problems += [f"{i}: listed {n} times" for i, n in ids.items() if n > 1]
    counts: dict[str, Counter] = {"tune": Counter(), "validation": Counter()}
    for item in items:
        found, rep = check_item(item, article_texts(item, rows, bodies))
        problems += found
        repeated += rep
        c = counts[split_of(item["id"])]
        c["items"] += 1
        c[f"items from {item['source']}"] += 1
        c["shared facts"] += len(item["facts_shared"])
        c["contradictions"] += len(item["contradictions"])
        c["developments"] += len(item["developments"])
    for problem in problems:
        print(problem)
    print(f"anchors found: {'all' if not problems else 'NOT all'}; anchors occurring more than once in their article: {repeated}")
    for split in ("tune", "validation"):
        c = counts[split]
        sources = ", ".join(f"{k.removeprefix('items from ')} {v}" for k, v in sorted(c.items()) if k.startswith("items from"))
        print(f"{split}: {c['items']} items ({sources}), {c['shared facts']} shared facts, "
              f"{c['contradictions']} contradictions, {c['developments']} developments")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

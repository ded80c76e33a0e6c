"""The articles of the clustering benchmark: Clust-McMs dev, its halves, and distractors.

Clust-McMs dev's events are split into a tune and a validation half by a seeded hash of the
event label (a noise article, label 166, by its own id), so an event's articles are all in one
half: thresholds are chosen on the tune half's events and the validation half reports.

The density test mixes a half's articles with distractors: news articles of other corpora in
``../shared/data`` (the SemEval-2022 similarity pairs' articles in ten languages, the fundus
pages' bodies from 41 countries, VOA, PolNeAR, TimeBank, the CASE 2021 snippets), split by the
same kind of hash into the same two halves. None of them tells of a Clust-McMs event (those
are 2010s-2020s Singapore and South-East Asian happenings), so a dev article that shares its
story with a distractor is a precision error. The stream is ordered by a seeded hash of the
item ids, so distractors arrive before, between and after the dev articles of each event.
"""
from __future__ import annotations

import csv
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from holdout import half  # noqa: E402

from parallax.clean.language import identify_language  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
CLUSTMCMS = DATA / "clustering-dev" / "clustmcms_dev.json"
NOISE_LABEL = 166


@dataclass(frozen=True)
class Article:
    """One article of the benchmark stream: ``gold`` is its event (None for a distractor)."""

    id: str
    title: str
    text: str
    gold: str | None
    language: str
    half: str


def _language(title: str, text: str) -> str:
    return identify_language(f"{title} {text[:2000]}", 0.3, 40) or "und"


def clustmcms() -> list[Article]:
    """Clust-McMs dev in file order; noise articles are each their own event."""
    raw = json.loads(CLUSTMCMS.read_text("utf-8"))
    articles = []
    for article, label in zip(raw["articles"], raw["clusters"]):
        body = " ".join(s["content"] for s in article["sentences"])
        gold = f"noise-{article['ID']}" if label == NOISE_LABEL else str(label)
        articles.append(Article(f"clustmcms:{article['ID']}", article["title"], body, gold,
                                _language(article["title"], body), half(gold, "clustmcms")))
    return articles


def _similarity() -> list[tuple[str, str, str]]:
    """The SemEval-2022 pairs' articles, each once (the first line of a text is its title)."""
    csv.field_size_limit(1 << 30)
    seen: dict[str, tuple[str, str, str]] = {}
    with (DATA / "similarity-dev" / "semeval2022_t8_dev.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for article_id, text in zip(row["pair_id"].split("_"), (row["text1"], row["text2"])):
                title, _, body = text.partition("  ")
                if not body.strip() or len(title) > 300:  # no title line: the whole text is the body
                    title, body = "", text
                seen.setdefault(article_id, (f"semeval:{article_id}", title, body))
    return list(seen.values())


def _fundus() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((DATA / "metadata-dev" / "fundus").glob("*/*.json")):
        for key, record in json.loads(path.read_text("utf-8")).items():
            body = record.get("body") or {}
            paragraphs = list(body.get("summary") or [])
            for section in body.get("sections") or []:
                paragraphs += section.get("headline") or []
                paragraphs += section.get("paragraphs") or []
            if paragraphs:
                found.append((f"fundus:{path.parent.name}/{path.stem}/{key}", record.get("title") or "",
                              "\n".join(paragraphs)))
    return found


def _voa() -> list[tuple[str, str, str]]:
    lines = (DATA / "voa" / "voa_stories.jsonl").read_text("utf-8").splitlines()
    return [(f"voa:{r['id']}", r["title"], r["text"]) for r in map(json.loads, filter(str.strip, lines))]


def _polnear() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((DATA / "quotes-dev" / "polnear-dev" / "text").glob("*.txt")):
        title, _, body = path.read_text("utf-8").strip().partition("\n")
        found.append((f"polnear:{path.stem}", title, body))
    return found


def _timebank() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted((DATA / "timex-dev" / "TimeBank").glob("*.tml")):
        text = ET.parse(path).getroot().find("TEXT")
        if text is not None:
            found.append((f"timebank:{path.stem}", "", " ".join("".join(text.itertext()).split())))
    return found


def _case() -> list[tuple[str, str, str]]:
    with (DATA / "events-dev" / "case2021_task2_dev.tsv").open(encoding="utf-8") as handle:
        return [(f"case2021:{r['id']}", "", r["EventSnippet"]) for r in csv.DictReader(handle, delimiter="\t")]


def distractors() -> list[Article]:
    """News articles of the other dev corpora, each with its half."""
    found = []
    for loader in (_similarity, _fundus, _voa, _polnear, _timebank, _case):
        for article_id, title, text in loader():
            if (title + text).strip():
                found.append(Article(article_id, title, text, None, _language(title, text),
                                     half(article_id, "distractors")))
    return found


@dataclass(frozen=True)
class Pair:
    """A SemEval-2022 pair of articles with its Overall score (1 = the same event ... 4 = unrelated)."""

    first: str
    second: str
    overall: float
    english: bool
    half: str


# The pair check's own split (a salt of its own: the comparison benchmark splits some of these
# pairs by another hash), drawn before anything was looked at.
PAIR_SALT = "semeval-pairs-clustering"


def semeval_pairs() -> list[Pair]:
    """Every SemEval-2022 dev pair, its articles named as the distractors name them."""
    csv.field_size_limit(1 << 30)
    with (DATA / "similarity-dev" / "semeval2022_t8_dev.csv").open(encoding="utf-8") as handle:
        return [Pair(*(f"semeval:{i}" for i in row["pair_id"].split("_")), float(row["Overall"]),
                     row["lang1"] == row["lang2"] == "en", half(row["pair_id"], PAIR_SALT))
                for row in csv.DictReader(handle)]


def stream(articles: list[Article]) -> list[Article]:
    """The articles in a seeded random arrival order."""
    return sorted(articles, key=lambda a: hashlib.sha256(f"parallax-stream-v1:{a.id}".encode()).hexdigest())

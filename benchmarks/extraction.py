"""HTML → article text, title, bylines and date, against plain trafilatura and htmldate.

Two dev sets, each split once by a seeded hash of the site (``pages_split.py``), fixed before
any rule was measured: the validation half decides, the tune half is in-sample.

- ``../shared/data/extraction-dev`` (990 pages, mostly German; trafilatura's evaluation set).
  Text is trafilatura's own metric: each "with" snippet found in the output (whitespace-
  normalised substring) is a true positive, each one missing a false negative; each "without"
  snippet found is a false positive. Gold titles, authors and dates where the set has them.
- ``../shared/data/metadata-dev/fundus`` (258 news pages, 181 publishers, 41 countries).
  Text is the mean per-page F1 of word 4-shingles against the gold body (summary, section
  headlines and paragraphs), the metric of the article-extraction benchmarks; CJK characters
  count as words.

Titles are exact (whitespace and quote style normalised); authors are micro F1 over names (case-insensitive);
dates are day-exact on pages with a gold date: ``acc`` is right/all, ``wrong`` is a date given
that is not the gold one, over all (no date is neither). The plain libraries run in the same
pass: trafilatura's ``extract``/``extract_metadata`` with defaults, htmldate's ``find_date``
in its default (extensive) and fast mode.

    .venv/bin/python benchmarks/extraction.py [--limit N] [--ablate] [--split tune] [--authors] [--author-errors] [--dates]
        [--date-errors]

``--ablate`` runs the tune halves (or ``--split validation``, to check that a rule's gain holds;
its figures only), once per cleaning rule switched off (each pattern group, the furniture lexicon's
lines, the teasers under a related heading, the headline line, reader comments left out), and prints each rule's
contribution on both sets, in the mean and as the number of sites it helps and hurts (how the
rules of ``clean/html.py`` were kept or dropped: a rule stays if it helps on more sites than it
hurts on both sets). Each page is extracted once per trafilatura setting and the rules applied
to that text, so the run takes minutes. ``--authors`` measures the
bylines alone (ours and trafilatura's metadata, both halves); ``--author-errors`` prints the tune
half's author errors page by page, to build byline rules from (never the validation half's).
``--dates`` measures the publication dates alone (ours and htmldate's, both halves; a page our
cleaner refuses as too short is dated all the same, so a figure may differ by a page from the full run's);
``--date-errors`` prints the tune half's wrong dates with the sources behind ours and the gold's, counted by class.
"""
from __future__ import annotations

import argparse
import gzip
import html as html_module
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import trafilatura
from htmldate import find_date
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from parallax.clean.html import (EXTRACTION, FurniturePatterns, article_text, clean_html, default_patterns, html_authors,
                                 html_date_sources, html_headline, html_published, load_patterns_data)
from parallax.errors import InputError
from parallax.settings import Options, load_options

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages_split import site_of, split_of  # noqa: E402

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
EXTRACTION_DEV = SHARED / "extraction-dev"
FUNDUS = SHARED / "metadata-dev" / "fundus"
SETS = ("extraction-dev", "fundus")
SPLITS = ("validation", "tune")


@dataclass
class Page:
    """One dev page with whatever gold its set gives (None: not annotated)."""

    dataset: str
    page_id: str
    site: str
    url: str
    html: bytes
    title: str | None
    authors: list[str] | None
    date: str | None
    snippets_with: list[str] = field(default_factory=list)
    snippets_without: list[str] = field(default_factory=list)
    body: str | None = None

    @property
    def split(self) -> str:
        return split_of(self.site)


@dataclass
class Reading:
    """What one system read from one page."""

    text: str = ""
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    seconds: float = 0.0


def extraction_dev_pages() -> Iterator[Page]:
    """The trafilatura evaluation pages with their snippets and metadata gold."""
    gold = json.loads((EXTRACTION_DEV / "evaldata.json").read_text("utf-8"))
    for url, item in gold.items():
        yield Page(
            dataset="extraction-dev",
            page_id=url,
            site=site_of(url),
            url=url if "://" in url else "",
            html=gzip.decompress((EXTRACTION_DEV / "html" / f"{item['file']}.gz").read_bytes()),
            title=item.get("title"),
            authors=split_names(item["author"]) if item.get("author") else None,  # str or list
            date=item.get("date"),
            snippets_with=item["with"],
            snippets_without=item["without"],
        )


def fundus_pages() -> Iterator[Page]:
    """The fundus parser test pages: a publisher's JSON is keyed by parser version, and the
    versions in order are its pages in crawl-date order (fundus picks the parser by crawl date)."""
    for gold_file in sorted(FUNDUS.glob("*/*.json")):
        publisher = gold_file.stem
        country = gold_file.parent
        meta = json.loads((country / "meta.info").read_text("utf-8"))
        files = sorted(path.name for path in country.glob(f"{publisher}_*.html.gz") if re.fullmatch(
            re.escape(publisher) + r"_\d{4}_\d{2}_\d{2}\.html\.gz", path.name))
        gold = json.loads(gold_file.read_text("utf-8"))
        versions = sorted(gold, key=lambda version: [int(part) for part in version[1:].split("_")])
        for version, name in zip(versions, files, strict=True):
            item = gold[version]
            body = item["body"]
            parts = list(body.get("summary", []))
            for section in body.get("sections", []):
                parts += section.get("headline", []) + section.get("paragraphs", [])
            yield Page(
                dataset="fundus",
                page_id=f"{country.name}/{name}",
                site=f"{country.name}/{publisher}",
                url=meta[name]["url"],
                html=gzip.decompress((country / name).read_bytes()),
                title=item["title"],
                authors=item.get("authors") or [],
                date=item["publishing_date"][:10] if item.get("publishing_date") else None,
                body="\n".join(parts),
            )


def load_pages(limit: int | None, split: str | None) -> list[Page]:
    """Both sets (``limit`` pages of each, spread over it), optionally one half only."""
    chosen: list[Page] = []
    for source in (extraction_dev_pages, fundus_pages):
        found = [page for page in source() if split is None or page.split == split]
        if limit is not None and limit < len(found):
            found = [found[number * len(found) // limit] for number in range(limit)]
        chosen += found
    return chosen


_NAME_SEPARATORS = re.compile(r"\s*(?:;|,|\||/|&|\band\b|\bund\b|\bet\b)\s*", re.I)


def split_names(value: str | list[str]) -> list[str]:
    """A gold author string ("A und B", "A; B") or list as a list of names."""
    values = [value] if isinstance(value, str) else value
    return [name for part in values for name in _NAME_SEPARATORS.split(part) if name.strip()]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", html_module.unescape(text)).strip()


# typographic and straight quotes are one character to a title's reader (the gold mixes them)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "\u3000": " "})


def _title_key(title: str) -> str:
    return _norm(title.translate(_QUOTES))


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _name_key(name: str) -> str:
    return _norm(name).casefold()


def gold_people(page: Page, gold: set[str]) -> set[str]:
    """The gold names that are people: the spec's byline holds people only, so a gold "author"
    that is the outlet itself ("BBC News" on bbc.co.uk, "nieuwsblad.be") is not counted either way."""
    outlets = {key for key in (_letters(page.site.split("/")[-1]), _letters(site_of(page.url or page.site)))
               if len(key) >= 3}
    return {name for name in gold if not any(o in _letters(name) or _letters(name) in o for o in outlets)}


_WORDS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W_]+")


def shingles(text: str, size: int = 4) -> Counter:
    """Word ``size``-grams of a text (lower case; each CJK character is a word)."""
    words = _WORDS.findall(text.lower())
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)))


def shingle_f1(found: str, gold: str) -> float:
    """F1 of the shingle multisets of a text and its gold."""
    ours, theirs = shingles(found), shingles(gold)
    common = sum((ours & theirs).values())
    if not common:
        return 0.0
    precision, recall = common / sum(ours.values()), common / sum(theirs.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Score:
    """Counts for one system on one (set, half)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    shingle_f1: list[float] = field(default_factory=list)
    titles: int = 0
    titles_right: int = 0
    author_tp: int = 0
    author_fp: int = 0
    author_fn: int = 0
    people_tp: int = 0
    people_fp: int = 0
    people_fn: int = 0
    dated: int = 0
    dates_right: int = 0
    dates_wrong: int = 0
    pages: int = 0
    seconds: float = 0.0

    def add(self, page: Page, reading: Reading) -> None:
        self.pages += 1
        self.seconds += reading.seconds
        if page.dataset == "extraction-dev":
            found = _norm(reading.text)
            hits = sum(_norm(snippet) in found for snippet in page.snippets_with)
            self.tp += hits
            self.fn += len(page.snippets_with) - hits
            self.fp += sum(_norm(snippet) in found for snippet in page.snippets_without)
        else:
            self.shingle_f1.append(shingle_f1(reading.text, page.body or ""))
        if page.title:
            self.titles += 1
            self.titles_right += _title_key(reading.title or "") == _title_key(page.title)
        if page.authors is not None:
            gold = {_name_key(name) for name in page.authors}
            found = {_name_key(name) for name in reading.authors}
            self.author_tp += len(gold & found)
            self.author_fp += len(found - gold)
            self.author_fn += len(gold - found)
            people = gold_people(page, gold)
            found_people = {name for name in found if name not in gold - people}
            self.people_tp += len(people & found_people)
            self.people_fp += len(found_people - people)
            self.people_fn += len(people - found_people)
        if page.date:
            self.dated += 1
            if reading.date:
                right = reading.date[:10] == page.date
                self.dates_right += right
                self.dates_wrong += not right

    def text_score(self) -> float:
        """Snippet F1 (extraction-dev) or mean shingle F1 (fundus)."""
        if self.shingle_f1:
            return statistics.fmean(self.shingle_f1)
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def author_f1(self) -> float:
        denominator = 2 * self.author_tp + self.author_fp + self.author_fn
        return 2 * self.author_tp / denominator if denominator else 0.0

    def people_f1(self) -> float:
        """Authors F1 with the outlet's own name left out of the gold (and not counted when found)."""
        denominator = 2 * self.people_tp + self.people_fp + self.people_fn
        return 2 * self.people_tp / denominator if denominator else 0.0


# month names of the sets' main languages (en, de, fr, es, pt, it, nl), for finding a gold date
# written out on its page
_MONTHS = [names.split() for names in (
    "January February March April May June July August September October November December",
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "januari februari maart april mei juni juli augustus september oktober november december",
)]


def written_forms(day: date) -> set[str]:
    """The ways a page may write a day (lower case): ISO and its variants, day-first and
    month-first numbers, and the month named in full or by its first three letters."""
    y, m, d = day.year, day.month, day.day
    forms = {f"{y}-{m:02}-{d:02}", f"{y}/{m:02}/{d:02}", f"{y}.{m:02}.{d:02}", f"{y}{m:02}{d:02}", f"{y}-{m}-{d}",
             f"{d:02}.{m:02}.{y}", f"{d}.{m}.{y}", f"{d:02}.{m:02}.{y % 100:02}", f"{d:02}/{m:02}/{y}", f"{d}/{m}/{y}",
             f"{m:02}/{d:02}/{y}", f"{m}/{d}/{y}", f"{d:02}-{m:02}-{y}", f"{y}年{m}月{d}日"}
    for names in _MONTHS:
        for month in (names[m - 1], names[m - 1][:3]):
            month = month.lower()
            forms |= {f"{d}. {month} {y}", f"{d:02}. {month} {y}", f"{d} {month} {y}", f"{d:02} {month} {y}",
                      f"{month} {d}, {y}", f"{month}. {d}, {y}", f"{d} de {month} de {y}", f"{d}. {month}. {y}"}
    return forms


def gold_date_shown(page: Page) -> bool | None:
    """Whether the page's HTML (text, attributes, scripts) writes its gold day in a common form;
    None when the gold is no calendar day ("2022-29-11"). A day the page never writes cannot be
    read from it: the share of such pages bounds every reader's right dates from above and, for
    a reader that dates every page, its wrong ones from below."""
    try:
        day = date.fromisoformat(page.date or "")
    except ValueError:
        return None
    page_text = " ".join(page.html.decode("utf-8", "replace").lower().split())
    return any(form in page_text for form in written_forms(day))


def report_gold_dates(pages: list[Page]) -> None:
    """Per set and half: how many gold dates the page itself writes (the reachable share)."""
    print("gold dates written on their page (the share any reader of the page can reach):")
    for dataset in SETS:
        for split in SPLITS:
            shown = [gold_date_shown(page) for page in pages if page.dataset == dataset and page.split == split and page.date]
            if shown:
                print(f"  {dataset:<14} {split:<10} {sum(s is True for s in shown)}/{len(shown)} = "
                      f"{sum(s is True for s in shown) / len(shown):.3f} (gold no calendar day: {sum(s is None for s in shown)})")


def merged(scores: dict[tuple[str, str, str], Score], system: str, dataset: str) -> Score:
    """One system's counts on both halves of a set together (for the test gate)."""
    total = Score()
    for split in SPLITS:
        part = scores.get((system, dataset, split))
        if part is not None:
            for name, value in vars(part).items():
                setattr(total, name, getattr(total, name) + value)
    return total


def _timed(run: Callable[[Page], Reading]) -> Callable[[Page], Reading]:
    def timed(page: Page) -> Reading:
        start = time.perf_counter()
        reading = run(page)
        reading.seconds = time.perf_counter() - start
        return reading

    return timed


def library_text(page: Page) -> Reading:
    """trafilatura as a user calls it: text, title and author with its defaults."""
    reading = library_metadata(page)
    reading.text = trafilatura.extract(page.html, url=page.url or None) or ""
    return reading


def library_metadata(page: Page) -> Reading:
    """trafilatura's metadata alone, with its defaults: title and author."""
    metadata = extract_metadata(page.html, default_url=page.url or None)
    authors = [name.strip() for name in (metadata.author or "").split(";") if name.strip()]
    return Reading(title=metadata.title, authors=authors)


def parallax_authors(page: Page) -> Reading:
    """Our bylines alone (as ``clean_html`` gives them)."""
    return Reading(authors=html_authors(page.html, page.url or None))


def parallax_dates(page: Page) -> Reading:
    """Our publication date alone (as ``clean_html`` gives it)."""
    published = html_published(page.html, page.url or None)
    return Reading(date=published.value if published else None)


def htmldate_default(page: Page) -> Reading:
    return Reading(date=find_date(page.html, url=page.url or None))


def htmldate_fast(page: Page) -> Reading:
    return Reading(date=find_date(page.html, url=page.url or None, extensive_search=False))


def parallax_reader(options: Options, patterns: FurniturePatterns) -> Callable[[Page], Reading]:
    """Our cleaner as a reader of pages."""

    def run(page: Page) -> Reading:
        try:
            article = clean_html(page.html, page.url or None, options, patterns)
        except InputError:
            return Reading()
        return Reading(
            text=article.text,
            title=article.title,
            authors=article.authors,
            date=article.published.value if article.published else None,
        )

    return run


def evaluate(pages: list[Page], systems: dict[str, Callable[[Page], Reading]]) -> dict[tuple[str, str, str], Score]:
    """Scores per (system, set, half)."""
    scores: dict[tuple[str, str, str], Score] = {}
    timed = {name: _timed(run) for name, run in systems.items()}
    for page in pages:
        for name, run in timed.items():
            scores.setdefault((name, page.dataset, page.split), Score()).add(page, run(page))
    return scores


# what each plain library is measured on (the others give no answer there); ours: everything
MEASURES = {"trafilatura": ("text", "title", "authors"), "htmldate": ("date",), "htmldate-fast": ("date",),
            "parallax-authors": ("authors",), "trafilatura-meta": ("authors",), "parallax-dates": ("date",)}
_ALL = ("text", "title", "authors", "date")


def report(scores: dict[tuple[str, str, str], Score]) -> None:
    """One block per set: text, titles, authors, dates; validation and in-sample side by side."""
    systems = list(dict.fromkeys(name for name, _, _ in scores))
    for dataset in SETS:
        print(f"== {dataset}  (authF1: gold as is; people: the outlet's own name not counted)")
        print(f"{'system':<14} {'half':<10} {'pages':>5} {'text':>6} {'title':>6} {'authF1':>6} {'people':>6}"
              f" {'date':>6} {'wrong':>6} {'pages/s':>7}")
        for split in SPLITS:
            for name in systems:
                score = scores.get((name, dataset, split))
                if score is None or not score.pages:
                    continue
                measured = MEASURES.get(name, _ALL)
                dated = score.dated or 1
                figures = {
                    "text": f"{score.text_score():6.3f}",
                    "title": f"{score.titles_right / (score.titles or 1):6.3f}",
                    "authors": f"{score.author_f1():6.3f} {score.people_f1():6.3f}",
                    "date": f"{score.dates_right / dated:6.3f} {score.dates_wrong / dated:6.3f}",
                }
                blank = {"text": f"{'-':>6}", "title": f"{'-':>6}", "authors": f"{'-':>6} {'-':>6}", "date": f"{'-':>6} {'-':>6}"}
                cells = " ".join(figures[k] if k in measured else blank[k] for k in _ALL)
                speed = score.pages / score.seconds if score.seconds else 0
                print(f"{name:<14} {split:<10} {score.pages:>5} {cells} {speed:7.1f}")


def rule_variants() -> dict[str, FurniturePatterns]:
    """The shipped patterns, and one variant per pattern rule with that rule switched off."""
    data = load_patterns_data()
    variants = {"all rules": data, "-all lines": {**data, "lines": {}, "lexicon": False}, "-lexicon": {**data, "lexicon": False}}
    for name in data["lines"]:
        variants[f"-line {name}"] = {**data, "lines": {k: v for k, v in data["lines"].items() if k != name}}
    variants["-teasers under heading"] = {**data, "teaser_max_chars": -1}
    return {name: FurniturePatterns.from_json(variant) for name, variant in variants.items()}


@dataclass
class Extraction:
    """One page as the ablation reads it: trafilatura's text with the cleaner's settings, with
    reader comments as well, plain trafilatura's (defaults), and the page's headline."""

    page: Page
    text: str
    with_comments: str
    library: str
    title: str | None


def extractions(pages: list[Page]) -> Iterator[Extraction]:
    """Each page extracted once per trafilatura setting: the cleaning rules apply to the text
    after it (``clean/html.article_text``), so switching one off needs no new extraction."""
    for page in pages:
        url = page.url or None
        tree = load_html(page.html)
        library = trafilatura.extract(page.html, url=url) or ""
        if tree is None:
            yield Extraction(page, "", "", library, None)
            continue
        text, with_comments = (trafilatura.extract(deepcopy(tree), url=url, **{**EXTRACTION, "include_comments": comments})
                               or "" for comments in (False, True))
        yield Extraction(page, text, with_comments, library, html_headline(tree, url))


def ablation_texts(extraction: Extraction, min_chars: int) -> dict[str, str]:
    """The text of one page under every variant: all rules, each switched off, none (trafilatura
    with the cleaner's settings), and plain trafilatura. A text too short for an article is none
    (``clean_html`` refuses the page)."""

    def cleaned(extracted: str, patterns: FurniturePatterns, title: str | None) -> str:
        text, _ = article_text(extracted, title, patterns)
        return text if len(text) >= min_chars else ""

    variants = rule_variants()
    title = extraction.title
    texts = {name: cleaned(extraction.text, patterns, title) for name, patterns in variants.items()}
    texts["-headline line"] = cleaned(extraction.text, variants["all rules"], None)
    texts["-comments left out"] = cleaned(extraction.with_comments, variants["all rules"], title)
    texts["no rules"] = extraction.text
    texts["trafilatura"] = extraction.library
    return texts


def site_counts(scores: dict[tuple[str, str, str], Score], rule: str, variant: str, dataset: str) -> tuple[int, int]:
    """On how many sites of ``dataset`` the text figure of ``rule`` is above, and on how many
    below, that of ``variant`` (scores keyed by system, set and site): a rule that helps on few
    sites and much on one is written for that site, and a mean dominated by one site hides it."""
    sites = [site for name, data, site in scores if name == rule and data == dataset]
    figures = [(scores[(rule, dataset, site)].text_score(), scores[(variant, dataset, site)].text_score())
               for site in sites]
    return sum(ours > theirs + 1e-9 for ours, theirs in figures), sum(ours < theirs - 1e-9 for ours, theirs in figures)


def ablate(pages: list[Page], split: str) -> None:
    """Each rule's contribution to the text figure on both sets (one half's pages), in the mean
    and counted by site: ``sites +/-`` is how many sites the shipped rules (``all rules``) do
    better and worse on than the variant, so for a rule switched off, the sites it helps and hurts."""
    min_chars = load_options().min_text_chars
    whole: dict[tuple[str, str, str], Score] = {}
    by_site: dict[tuple[str, str, str], Score] = {}
    for extraction in extractions([page for page in pages if page.split == split]):
        page = extraction.page
        for name, text in ablation_texts(extraction, min_chars).items():
            whole.setdefault((name, page.dataset, split), Score()).add(page, Reading(text=text))
            by_site.setdefault((name, page.dataset, page.site), Score()).add(page, Reading(text=text))
    names = list(dict.fromkeys(name for name, _, _ in whole))
    full = {dataset: whole[("all rules", dataset, split)].text_score() for dataset in SETS}
    print(f"{f'variant ({split} halves)':<26}" + "".join(f" {dataset:>15} {'Δ':>7} {'sites +/-':>9}" for dataset in SETS))
    for name in names:
        cells = ""
        for dataset in SETS:
            figure = whole[(name, dataset, split)].text_score()
            helped, hurt = site_counts(by_site, "all rules", name, dataset)
            cells += f" {figure:15.4f} {figure - full[dataset]:+7.4f} {f'{helped}/{hurt}':>9}"
        print(f"{name:<26}{cells}")
    print("sites per set: " + ", ".join(
        f"{dataset} {len({site for n, d, site in by_site if n == 'all rules' and d == dataset})}" for dataset in SETS))


def report_author_errors(pages: list[Page]) -> None:
    """Each tune page whose names (people only, as the "people" column counts them) differ from
    the gold: what was missed and what was found that is not in the gold. Tune pages only: the
    validation half is not read while building."""
    print("tune-half author errors (people; - missed, + false):")
    for page in pages:
        if page.split != "tune" or page.authors is None:
            continue
        gold = {_name_key(name) for name in page.authors}
        found = {_name_key(name) for name in html_authors(page.html, page.url or None)}
        people = gold_people(page, gold)
        found_people = {name for name in found if name not in gold - people}
        if people != found_people:
            print(f"  {page.dataset:<14} {page.page_id[:90]}")
            print(f"      - {sorted(people - found_people)}  + {sorted(found_people - people)}  (right {sorted(people & found_people)})")


def report_date_errors(pages: list[Page]) -> None:
    """Each tune page our date is wrong on: which date sources give our day and which the gold's,
    and the wrong dates counted by class (a gold no reader can reach, sources agreeing on another
    day), to see what a rule could fix before writing it. Tune pages only: the validation half is
    not read while building."""
    print("tune-half wrong dates (ours <- the sources giving it; gold <- those giving it):")
    classes: Counter = Counter()
    for page in pages:
        if page.split != "tune" or not page.date:
            continue
        published = html_published(page.html, page.url or None)
        if published is None or published.value[:10] == page.date:
            continue
        sources = html_date_sources(page.html, page.url or None)
        ours = sorted(name for name, day in sources.items() if day and day[:10] == published.value[:10])
        gold = sorted(name for name, day in sources.items() if day and day[:10] == page.date)
        shown = gold_date_shown(page)
        kind = ("gold no calendar day" if shown is None else "gold never written on its page" if not shown
                else "gold written, a source gives it" if gold else "gold written, no source gives it")
        classes[kind] += 1
        classes["ours given by 3 sources or more"] += len(ours) >= 3
        print(f"  {page.dataset:<14} {page.page_id[:80]}")
        print(f"      {published.value[:10]} <- {ours}; gold {page.date} <- {gold} ({kind})")
    for kind, count in classes.most_common():
        print(f"  {count:4d}  {kind}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only N pages of each set, spread over it")
    parser.add_argument("--split", choices=SPLITS, default=None, help="one half only")
    parser.add_argument("--ablate", action="store_true", help="each rule switched off (tune halves unless --split)")
    parser.add_argument("--authors", action="store_true", help="bylines only, ours and trafilatura's (minutes quicker)")
    parser.add_argument("--author-errors", action="store_true", help="print the tune half's author errors (tune only)")
    parser.add_argument("--dates", action="store_true", help="publication dates only, ours and htmldate's (minutes quicker)")
    parser.add_argument("--date-errors", action="store_true", help="print the tune half's wrong dates by source (tune only)")
    args = parser.parse_args()
    if args.author_errors:
        report_author_errors(load_pages(args.limit, "tune"))
        return
    if args.date_errors:
        report_date_errors(load_pages(args.limit, "tune"))
        return
    pages = load_pages(args.limit, (args.split or "tune") if args.ablate else args.split)
    if args.ablate:
        ablate(pages, args.split or "tune")
        return
    if args.authors:
        report(evaluate(pages, {"parallax-authors": parallax_authors, "trafilatura-meta": library_metadata}))
        return
    if args.dates:
        report(evaluate(pages, {"parallax-dates": parallax_dates, "htmldate": htmldate_default, "htmldate-fast": htmldate_fast}))
        report_gold_dates(pages)
        return
    systems = {
        "parallax": parallax_reader(load_options(), default_patterns()),
        "trafilatura": library_text,
        "htmldate": htmldate_default,
        "htmldate-fast": htmldate_fast,
    }
    report(evaluate(pages, systems))
    report_gold_dates(pages)


if __name__ == "__main__":
    main()

"""clean_text: title, body, furniture and a publication date only from the article's own header."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from parallax.clean.text import clean_text, find_date
from parallax.model import PublicationDate
from parallax.settings import load_options

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seeds"
OPTIONS = load_options()

PROSE = (
    "The council voted on Monday to build a new bridge across the river next year, and the mayor "
    "said the town had waited long enough for a crossing that was first promised a decade ago."
)


def _seed(name: str) -> tuple[str, dict]:
    if not (SEEDS / "gold.json").exists():
        pytest.skip("seed data not available (../shared/data/seeds)")
    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))["articles"][name]
    return (SEEDS / name).read_text("utf-8"), gold


@pytest.mark.parametrize("name", ["000_608ef5858c58f38e.txt", "004_5dab1425809c78bc.txt"])
def test_seed_article(name: str) -> None:
    raw, gold = _seed(name)
    lines = raw.splitlines()
    article = clean_text(raw, OPTIONS)
    assert article.title == gold["title"]
    # SPEC: the text is the input minus furniture, so the headline line stays, first.
    kept = [lines[n - 1].strip() for n in sorted([gold["title_line"], *gold["body_lines"]])]
    assert [line.strip() for line in article.text.split("\n\n")] == kept
    assert [line.strip() for line in article.furniture] == [lines[n - 1].strip() for n in gold["furniture_lines"]]
    assert article.extractor == "text" and article.language is None


def test_seed_004_date_in_related_block_is_not_its_date() -> None:
    raw, _ = _seed("004_5dab1425809c78bc.txt")
    assert clean_text(raw, OPTIONS).published is None


def test_header_date_found() -> None:
    text = f"Bridge approved after decade of delay\n\nJuly 19, 2018 / 3:02 PM\n\n{PROSE}\n\n{PROSE}"
    article = clean_text(text, OPTIONS)
    assert article.title == "Bridge approved after decade of delay"
    assert article.published == PublicationDate("2018-07-19T15:02:00", "datetime", "text")
    assert article.text == f"Bridge approved after decade of delay\n\n{PROSE}\n\n{PROSE}"


def test_dateline_date_found() -> None:
    text = f"Bridge approved\n\nMOSCOW, March 12, 2019 (Reuters) - {PROSE}\n\n{PROSE}"
    assert clean_text(text, OPTIONS).published == PublicationDate("2019-03-12", "day", "text")


def test_date_in_furniture_ignored() -> None:
    text = f"Bridge approved\n\n{PROSE}\n\n{PROSE}\n\nRelated Articles\n\nOther story\n\n08-01-2026\n\n12 January 2026"
    article = clean_text(text, OPTIONS)
    assert article.published is None
    assert "12 January 2026" in article.furniture


@pytest.mark.parametrize(
    ("line", "value", "granularity"),
    [
        ("Published 12 March 2019", "2019-03-12", "day"),
        ("Updated: 2019-03-12", "2019-03-12", "day"),
        ("Stand: 12.03.2019, 14:05 Uhr", "2019-03-12T14:05:00", "datetime"),
        ("Published March 2019", "2019-03", "month"),
        ("08-01-2026", None, None),
        ("March 2019", None, None),
    ],
)
def test_find_date(line: str, value: str | None, granularity: str | None) -> None:
    found = find_date(line)
    assert (found.value, found.granularity) == (value, granularity) if found else value is None


def test_empty_text() -> None:
    article = clean_text("", OPTIONS)
    assert (article.text, article.title, article.published, article.furniture) == ("", None, None, [])


def test_hard_wrapped_text_keeps_its_paragraphs() -> None:
    """A dump wrapped at 72 columns has only "short" lines; judged alone they would all go."""
    wrapped = "\n\n".join(textwrap.fill(p, 72) for p in [PROSE, PROSE.replace("Monday", "Tuesday"), PROSE])
    text = f"Bridge approved after decade of delay\n\nShare this article\n\n{wrapped}\n\nRelated Articles\n\nOther story"
    article = clean_text(text, OPTIONS)
    assert article.title == "Bridge approved after decade of delay"
    assert article.text == f"Bridge approved after decade of delay\n\n{wrapped}"
    assert article.furniture == ["Share this article", "Related Articles", "Other story"]


def test_headline_worded_unlike_the_body_is_still_the_title() -> None:
    text = f"Sanction of Albanian PM raises questions\n\n{PROSE}\n\n{PROSE}"
    article = clean_text(text, OPTIONS)
    assert article.title == "Sanction of Albanian PM raises questions"
    assert article.text == f"Sanction of Albanian PM raises questions\n\n{PROSE}\n\n{PROSE}"

"""Furniture detection on the seeds (gold line numbers) and on small texts written for the case."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.clean.furniture import classify_lines, split_furniture

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seeds"

GERMAN = (
    "Die Stadt hat am Montag beschlossen, dass die neue Brücke über den Fluss im nächsten Jahr "
    "gebaut wird. Der Bürgermeister sagte, man habe lange genug darauf gewartet und die Kosten "
    "seien inzwischen gut abzuschätzen."
)
RELATED = [
    "Related Articles",
    "",
    "Storm hits the coast, thousands without power",
    "",
    "In a statement, the utility said crews were working through the night to restore service…",
    "",
    "  • World",
    "",
    "    08-01-2026",
    "",
    "  • 06:37AM",
]


def _gold() -> dict:
    if not (SEEDS / "gold.json").exists():
        pytest.skip("seed data not available (../shared/data/seeds)")
    return json.loads((SEEDS / "gold.json").read_text("utf-8"))["articles"]


@pytest.mark.parametrize("name", ["000_608ef5858c58f38e.txt", "004_5dab1425809c78bc.txt"])
def test_seed_furniture_removed_and_body_kept(name: str) -> None:
    gold = _gold()[name]
    lines = (SEEDS / name).read_text("utf-8").splitlines()
    furniture = classify_lines(lines)
    assert [n for n in gold["furniture_lines"] if not furniture[n - 1]] == []
    assert [n for n in gold["body_lines"] if furniture[n - 1]] == []
    assert not furniture[gold["title_line"] - 1]


def test_german_paragraph_is_kept() -> None:
    lines = ["Startseite", "Politik", "", GERMAN, "", "Impressum", "Datenschutz"]
    assert classify_lines(lines) == [True, True, False, False, False, True, True]


def test_related_block_with_dates_is_removed() -> None:
    body = [GERMAN.replace("Die Stadt", "Die Gemeinde"), "", GERMAN, ""]
    text, removed = split_furniture("\n".join(body + RELATED))
    assert text == "\n".join(body).strip()
    assert removed == [line for line in RELATED if line.strip()]


def test_body_resuming_after_inline_read_more_is_kept() -> None:
    paragraphs = [GERMAN, "", "Read more", "", GERMAN, "", GERMAN]
    assert classify_lines(paragraphs) == [False, False, True, False, False, False, False]


def test_short_closing_sentence_after_prose_is_kept() -> None:
    lines = [GERMAN, "", "Die Arbeiten beginnen im März.", "", "Kommentare", "", "Toller Artikel!"]
    assert classify_lines(lines)[:3] == [False, False, False]
    assert classify_lines(lines)[4:] == [True, False, True]


def test_empty_text() -> None:
    assert classify_lines([]) == []
    assert split_furniture("") == ("", [])
    assert split_furniture("\n\n  \n") == ("", [])


def test_text_without_prose_loses_only_known_furniture() -> None:
    lines = ["Storm hits the coast", "Share this article", "Power is back on."]
    assert classify_lines(lines) == [False, True, False]


def test_the_stoplists_are_justexts_own() -> None:
    """The stoplists, read a file at a time, are the words ``justext.get_stoplist`` gives for
    every language, lower-cased, and each stopword knows every list holding it."""
    import justext

    from parallax.clean.furniture import _stoplists

    lists, holders = _stoplists()
    names = sorted(justext.get_stoplists())
    assert lists == tuple(frozenset(w.lower() for w in justext.get_stoplist(name)) for name in names)
    assert set(holders) == set().union(*lists)
    assert all(list(positions) == sorted(set(positions)) and all(word in lists[p] for p in positions)
               for word, positions in holders.items())
    assert sum(map(len, holders.values())) == sum(map(len, lists))  # every list holding a word is named


def test_strong_phrases_mark_a_line_wherever_they_stand() -> None:
    """A strong phrase pattern is searched: found at the start, in the middle or at the end of a
    long line, the line is furniture; one tied to the end of the line (\\Z) counts only there."""
    from parallax.clean.furniture import is_known_furniture

    prose = "The council met on Tuesday to discuss the budget for the coming year, and members argued for hours."
    assert not is_known_furniture(prose)
    assert is_known_furniture(f"{prose} We use cookies to improve your experience. {prose}")
    assert is_known_furniture(f"Comments are moderated. {prose}")
    assert is_known_furniture(f"{prose} Photo: Jane Doe")
    assert not is_known_furniture(f"Photo: the council chamber was full. {prose} {prose}")

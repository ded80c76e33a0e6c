"""Entity resolution on the seeds and on constructions written for the purpose."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from parallax.annotate.entities import _recurrences, link_speakers, resolve_entities
from parallax.model import Entity, Mention, Quote, Span, Speaker
from parallax.nlp import load_nlp

SEEDS = Path(__file__).resolve().parents[1] / "data" / "demo" / "seeds"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds" / "gold.json"

pytestmark = pytest.mark.slow


def _body(name: str) -> str:
    """The seed without its gold furniture lines, as cleaning leaves it."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"][name]
    lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    return "\n".join(line for n, line in enumerate(lines, start=1) if n not in gold["furniture_lines"])


def _by_name(text: str, dct: date | None = None) -> dict[str, set[str]]:
    entities = resolve_entities(load_nlp()(text), dct)
    return {e.name: {m.text for m in e.mentions} for e in entities}


@pytest.mark.skipif(not GOLD.exists(), reason="shared seed gold not available")
@pytest.mark.parametrize("name", ["000_608ef5858c58f38e.txt", "004_5dab1425809c78bc.txt"])
def test_seed_entities_match_the_gold(name: str) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"][name]["entities"]
    found = _by_name(_body(name))
    for canonical, mentions in gold.items():
        assert canonical in found, f"{canonical} not resolved; got {sorted(found)}"
        for mention in mentions:
            # The gold gives the phrase ("Foreign Minister Sergei Lavrov"); our mention may be
            # its name part ("Sergei Lavrov"), so one of ours inside the phrase counts.
            assert any(m.casefold() in mention.casefold() for m in found[canonical]), (
                f"{mention!r} not a mention of {canonical}: {sorted(found[canonical])}"
            )


def test_office_phrase_resolves_by_document_date_when_the_article_names_nobody() -> None:
    found = _by_name("The U.S. president said on Monday that talks would continue.", date(2022, 3, 1))
    assert found["Joe Biden"] == {"The U.S. president"}


def test_office_phrase_without_date_or_named_holder_is_left_alone() -> None:
    found = _by_name("The U.S. president said on Monday that talks would continue.")
    assert not any("president" in m.casefold() for ms in found.values() for m in ms)


def test_different_people_sharing_a_surname_are_not_merged_by_title() -> None:
    found = _by_name("Former President George W. Bush met President Biden. Bush said little.")
    assert "Joe Biden" in found and "George W. Bush" in found
    assert "Bush" in found["George W. Bush"]


def test_demonym_joins_its_country_and_an_unknown_group_stays_itself() -> None:
    found = _by_name("Ukrainian forces held the line, Ukraine said, while Kurdish groups waited.")
    assert {"Ukrainian", "Ukraine"} <= found["Ukraine"]
    assert "Kurdish" in found


def test_pronoun_speaker_becomes_a_mention_of_its_entity() -> None:
    text = "Donald Trump spoke on Friday. He said the talks went well."
    doc = load_nlp()(text)
    entities = resolve_entities(doc)
    start = text.index("He said")
    quote = Quote("indirect", Span(start + 8, len(text)), Span(start + 3, start + 7),
                  Speaker(start, start + 2, "He", name="Donald Trump"))
    link_speakers(entities, [quote])
    trump = next(e for e in entities if e.name == "Donald Trump")
    assert quote.speaker is not None and quote.speaker.entity == trump.id
    assert "He" in {m.text for m in trump.mentions}


def test_a_name_inside_a_speaker_modifier_is_no_link() -> None:
    text = "Donald Trump spoke on Friday. Iraqi officials said the strike worked. Trump said it was a success."
    doc = load_nlp()(text)
    entities = resolve_entities(doc)
    start = text.index("Iraqi officials")
    officials = Quote("indirect", Span(start + 21, start + 38), Span(start + 16, start + 20),
                      Speaker(start, start + 15, "Iraqi officials"))
    start = text.index("Trump said")
    trump = Quote("indirect", Span(start + 11, len(text) - 1), Span(start + 6, start + 10),
                  Speaker(start, start + 5, "Trump", name="Donald Trump"))
    link_speakers(entities, [officials, trump])
    assert officials.speaker is not None and officials.speaker.entity is None
    assert trump.speaker is not None and trump.speaker.entity == next(e.id for e in entities if e.name == "Donald Trump")


@pytest.mark.parametrize("speaker_text, linked", [("Interior Minister Fred Matiang'i", True), ("the Fred Administration", False)])
def test_a_person_name_cut_short_by_the_tagger_links_a_body_named_after_them_does_not(speaker_text: str, linked: bool) -> None:
    text = f"{speaker_text} said the talks went well."
    start = text.index("Fred")  # the tagger's cut: "Fred" alone is the person's mention
    fred = Entity("e1", "Fred", "PERSON", [Mention(start, start + 4, "Fred")])
    end = len(speaker_text)
    quote = Quote("indirect", Span(end + 6, len(text) - 1), Span(end + 1, end + 5), Speaker(0, end, speaker_text))
    link_speakers([fred], [quote])
    assert quote.speaker is not None and (quote.speaker.entity == "e1") == linked


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="RIAé_@1 .'’-\n", max_size=40), st.sampled_from(["RIA", "RI", "A", "I A", "A.", "é"]))
def test_name_recurrences_are_the_word_bounded_pattern_s_matches(text: str, form: str) -> None:
    pattern = re.compile(rf"(?<![\w@]){re.escape(form)}(?![\w])")
    assert list(_recurrences(text, form)) == [m.span() for m in pattern.finditer(text)]

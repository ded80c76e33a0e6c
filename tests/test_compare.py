"""Claim-by-claim comparison and timelines: hand-built annotations (fast), then the seeds
annotated by the real pipeline (slow)."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parallax.views.compare import StoryArticle, compare_story, format_comparison
from parallax.views.dates import compatible, parse_value, show_value
from parallax.views.timeline import timeline

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seeds"

ENTITIES = {
    "Donald Trump": ("PERSON", ["U.S. President Donald Trump", "Donald Trump", "Trump"]),
    "Vladimir Putin": ("PERSON", ["his Russian counterpart Vladimir Putin", "Vladimir Putin", "Putin"]),
    "Ministry of Health": ("ORG", ["the Ministry of Health", "health ministry"]),
    "Reuters": ("ORG", ["Reuters"]),
    "Interior Ministry": ("ORG", ["Interior Ministry"]),
    "Police": ("ORG", ["police"]),
    "Geneva": ("GPE", ["Geneva"]),
    "Vienna": ("GPE", ["Vienna"]),
    "United States": ("GPE", ["U.S.", "the United States"]),
}


def span(text: str, piece: str) -> dict[str, int]:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece)}


def article(id_: str, text: str, *, events: list[dict[str, Any]] = (), quotes: list[dict[str, Any]] = (),
            attributions: list[dict[str, Any]] = (), times: list[tuple[str, str]] = (), outlet: str | None = None,
            published: str | None = None) -> StoryArticle:
    """A StoryArticle whose annotation is built from exact substrings of ``text``."""
    entities, ids = [], {}
    for name, (type_, forms) in ENTITIES.items():
        pattern = r"\b(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)"
        found = [{"start": m.start(), "end": m.end()} for m in re.finditer(pattern, text)]
        if found:
            ids[name] = f"e{len(entities) + 1}"
            entities.append({"id": ids[name], "name": name, "type": type_, "mentions": found})

    def party(words: str | None) -> dict[str, Any] | None:
        return {"entity": None, "text": words, **span(text, words)} if words else None

    annotation = {
        "text": text, "published": published, "language": "en", "entities": entities,
        "times": [{**span(text, t), "text": t, "type": "DATE", "value": v} for t, v in times],
        "quotes": [{"kind": q["kind"], "content": span(text, q["content"]), "cue": None,
                    "speaker": {"entity": ids[q["speaker"]], "name": q["speaker"], **span(text, q["speaker_text"])},
                    "channel": q.get("channel")} for q in quotes],
        "attributions": [{"content": span(text, a["content"]), "chain": a["chain"]} for a in attributions],
        "events": [{"plover": v["plover"], "mode": None, "cameo": None, "actor": party(v["actor"]),
                    "target": party(v.get("target")), "date": v.get("date"), "place": v.get("place"),
                    "according_to": ids.get(v.get("according_to", "")), "status": v.get("status", "asserted"),
                    "evidence": span(text, v["evidence"])} for v in events],
    }
    return StoryArticle(id_, annotation, outlet, published)


def kinds(entries: list[dict[str, Any]]) -> list[str]:
    return [e["kind"] for e in entries]


def test_one_happening_named_differently_is_one_fact_told_by_both() -> None:
    a = article("a", "U.S. President Donald Trump met his Russian counterpart Vladimir Putin in Geneva.",
                events=[{"plover": "CONSULT", "actor": "U.S. President Donald Trump", "target": "his Russian counterpart Vladimir Putin",
                         "place": "Geneva", "evidence": "U.S. President Donald Trump met his Russian counterpart Vladimir Putin in Geneva."}],
                outlet="Reuters")
    b = article("b", "Trump and Putin held talks in Geneva. Putin spoke first.",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "place": "Geneva",
                         "evidence": "Trump and Putin held talks in Geneva."}])
    result = compare_story([a, b], "s1")
    (event,) = [f for f in result["facts"] if f["kind"] == "event"]
    assert event["told_by"] == ["a", "b"] and event["text"] == "Donald Trump CONSULT → Vladimir Putin"
    assert event["chains"] == {"a": ["Reuters"], "b": []}
    assert b.annotation["text"][event["evidence"]["b"]["start"] : event["evidence"]["b"]["end"]] == "Trump and Putin held talks in Geneva."
    (place,) = [f for f in result["facts"] if f["kind"] == "place"]
    assert place["text"] == "Geneva" and place["told_by"] == ["a", "b"]
    assert result["contradictions"] == [] and result["developments"] == []


def test_different_date_and_place_for_one_happening_contradict() -> None:
    a = article("a", "Trump met Putin in Geneva on March 20.", published="2018-03-22",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "date": "2018-03-20", "place": "Geneva",
                         "evidence": "Trump met Putin in Geneva on March 20."}])
    b = article("b", "Trump met Putin in Vienna on March 21.", published="2018-03-22",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "date": "2018-03-21", "place": "Vienna",
                         "evidence": "Trump met Putin in Vienna on March 21."}])
    result = compare_story([a, b], "s1")
    assert kinds(result["contradictions"]) == ["date", "place"]
    date_clash = result["contradictions"][0]
    assert date_clash["values"] == {"a": "2018-03-20", "b": "2018-03-21"}
    assert date_clash["facts"] == [result["facts"][0]["id"]] and date_clash["about"] == "Donald Trump CONSULT → Vladimir Putin"


def test_dates_at_coarser_granularity_do_not_contradict() -> None:
    a = article("a", "Trump met Putin on March 20.", events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin",
                                                            "date": "XXXX-03-20", "evidence": "Trump met Putin on March 20."}])
    b = article("b", "Trump met Putin in March.", events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin",
                                                          "date": "2018-03", "evidence": "Trump met Putin in March."}])
    assert compare_story([a, b])["contradictions"] == []


def test_a_plan_that_changed_later_is_a_development() -> None:
    a = article("a", "Trump will meet Putin on Tuesday.", published="2018-03-16",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "date": "2018-03-20", "status": "planned",
                         "evidence": "Trump will meet Putin on Tuesday."}])
    b = article("b", "Trump met Putin on Wednesday.", published="2018-03-22",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "date": "2018-03-21",
                         "evidence": "Trump met Putin on Wednesday."}])
    result = compare_story([a, b])
    assert result["contradictions"] == [] and kinds(result["developments"]) == ["date"]


def test_no_comment_then_a_denial_is_a_development_and_the_reverse_nothing() -> None:
    silent = "The health ministry has not commented on the report."
    denial = "The health ministry denied the report, saying the figures were false."
    quote = {"kind": "indirect", "content": "the figures were false", "speaker": "Ministry of Health", "speaker_text": "health ministry"}
    first = article("a", silent, published="2020-05-01")
    later = article("b", denial, published="2020-05-02", quotes=[quote])
    result = compare_story([first, later])
    (development,) = result["developments"]
    assert development["kind"] == "polarity" and development["values"] == {"a": "no comment", "b": "the figures were false"}
    assert result["contradictions"] == []
    reversed_result = compare_story([article("a", denial, published="2020-05-01", quotes=[quote]),
                                     article("b", silent, published="2020-05-02")])
    assert reversed_result["contradictions"] == [] and reversed_result["developments"] == []  # silence answers a later request


def test_numbers_of_the_same_thing_contradict_beyond_rounding() -> None:
    a = article("a", "At least 12 people were killed in the blast, police said.")
    b = article("b", "The blast killed 15 people, the Interior Ministry said.")
    c = article("c", "Officials said 12 people were killed in the blast.")
    result = compare_story([a, b, c])
    (counted,) = [f for f in result["facts"] if f["kind"] == "quantity"]
    assert counted["told_by"] == ["a", "b", "c"]
    (clash,) = result["contradictions"]
    assert clash["kind"] == "quantity" and clash["values"] == {"a": "12 people", "b": "15 people", "c": "12 people"}


def test_denied_against_asserted_is_a_polarity_contradiction() -> None:
    a = article("a", "Trump met Putin in Geneva.", published="2018-03-22",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "evidence": "Trump met Putin in Geneva."}])
    b = article("b", "Trump did not meet Putin in Geneva.", published="2018-03-22",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "status": "negated",
                         "evidence": "Trump did not meet Putin in Geneva."}])
    assert kinds(compare_story([a, b])["contradictions"]) == ["polarity"]


def test_one_claim_attributed_to_different_sources() -> None:
    claim = "the vaccine caused no serious side effects in the trial"
    a = article("a", f"Reuters reported that {claim}, citing the Ministry of Health.",
                attributions=[{"content": claim, "chain": ["Reuters", "Ministry of Health"]}], outlet="Reuters")
    b = article("b", f"The Interior Ministry said {claim}.",
                attributions=[{"content": claim, "chain": ["Interior Ministry"]}])
    result = compare_story([a, b])
    (fact,) = [f for f in result["facts"] if f["kind"] == "claim"]
    assert fact["chains"] == {"a": ["Reuters", "Ministry of Health"], "b": ["Interior Ministry"]}
    (clash,) = result["contradictions"]
    assert clash["kind"] == "attribution" and clash["values"] == {"a": "Reuters ← Ministry of Health", "b": "Interior Ministry"}


def test_terminal_rendering_names_outlets_and_chains() -> None:
    a = article("a", "Trump met Putin in Geneva.", outlet="Reuters",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "evidence": "Trump met Putin in Geneva."}])
    b = article("b", "Trump met Putin. Police closed roads.",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "evidence": "Trump met Putin."}])
    shown = format_comparison(compare_story([a, b], 7), [a, b])
    assert "told by all (1):" in shown and "[a] Reuters  via Reuters" in shown and "“Trump met Putin.”" in shown


@pytest.mark.parametrize(("value", "shown"), [
    ("2018-07-19", "19 July 2018"), ("XXXX-03-20", "20 March, year unknown"), ("2018-07", "July 2018"),
    ("2018-FA", "fall 2018"), ("2018-W29", "week 29 of 2018"), ("2016", "2016"), ("PRESENT_REF", "PRESENT_REF"),
])
def test_values_are_shown_at_their_granularity(value: str, shown: str) -> None:
    assert show_value(value) == shown


def test_value_compatibility() -> None:
    def ok(a: str, b: str) -> bool:
        return compatible(parse_value(a), parse_value(b))  # type: ignore[arg-type]

    assert ok("2018-10-02", "2018-FA") and ok("XXXX-03-20", "2018-03-20") and ok("2018-07-19", "2018-W29")
    assert not ok("2018-07-19", "2018-FA") and not ok("2018-07-19", "XXXX-03-20") and not ok("2018-07-19", "2018-W30")


def test_timeline_orders_by_date_and_keeps_unknown_years() -> None:
    a = article("a", "Trump met Putin in Geneva in July 2018. They spoke on March 20.", published="2018-07-20",
                events=[{"plover": "CONSULT", "actor": "Trump", "target": "Putin", "date": "2018-07", "place": "Geneva",
                         "evidence": "Trump met Putin in Geneva in July 2018."},
                        {"plover": "CONSULT", "actor": "They", "date": "XXXX-03-20", "evidence": "They spoke on March 20."}])
    entries = timeline([a])
    assert [e["shown"] for e in entries] == ["20 March, year unknown", "July 2018"]
    assert entries[1]["granularity"] == "month" and entries[1]["evidence"]["a"]["text"] == "Trump met Putin in Geneva in July 2018."


# --- the seeds, annotated by the real pipeline ----------------------------------------------
@pytest.fixture(scope="module")
def seeds() -> list[StoryArticle]:
    """The two seeds as `parallax compare` reads records: text as given, each with its own date."""
    if not (SEEDS / "gold.json").is_file():
        pytest.skip("the seed data (../shared/data/seeds) is not here")
    from parallax.annotate import annotate

    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))
    articles = []
    for name, meta in sorted(gold["metadata"].items()):
        text = (SEEDS / name).read_text("utf-8")
        published = meta["published"]
        annotation = annotate(text, dct=date.fromisoformat(published) if published else None, outlet=meta["outlet"]).to_json()
        articles.append(StoryArticle(name[:3], annotation, meta["outlet"], published, gold["articles"][name]["title"]))
    return articles


@pytest.mark.slow
def test_seeds_invitation_told_by_both_with_each_sides_chain_dates_and_channel(seeds: list[StoryArticle]) -> None:
    result = compare_story(seeds, "seeds")
    invitation = next(f for f in result["facts"] if f["kind"] == "event" and f["told_by"] == ["000", "004"])
    assert invitation["text"].startswith("Donald Trump AGREE") and "Vladimir Putin" in invitation["text"]
    chains = invitation["chains"]
    assert chains["000"][0] == "CBS News" and "Sanders" in chains["000"][-1]
    assert chains["004"][-2:] == ["RIA Novosti", "Russian Foreign Ministry"]
    assert invitation["details"]["000"]["channel"] == "tweet"
    by_kind = {c["kind"]: c for c in result["contradictions"] if c["facts"] == [invitation["id"]]}
    assert by_kind["date"]["values"]["000"].startswith("2018-07-19") and "2018-FA" in by_kind["date"]["values"]["000"]
    assert by_kind["date"]["values"]["004"] == "XXXX-03-20"
    assert "(tweet)" in by_kind["attribution"]["values"]["000"] and "Russian Foreign Ministry" in by_kind["attribution"]["values"]["004"]


@pytest.mark.slow
def test_seeds_timeline_call_summit_invitation(seeds: list[StoryArticle]) -> None:
    entries = timeline(seeds)
    shown = [(e["shown"], e["plover"]) for e in entries]
    call = shown.index(("20 March, year unknown", "CONSULT"))
    summit = shown.index(("16 July 2018", "CONSULT"))
    invitation = next(i for i, e in enumerate(entries) if e["date"] == "2018-07-19" and e["plover"] == "AGREE")
    assert call < summit < invitation
    assert "Helsinki" in entries[summit]["evidence"]["000"]["text"]


def test_a_count_given_days_apart_is_an_update() -> None:
    a = article("a", "At least 12 people were killed in the blast, police said.", published="2024-01-01")
    b = article("b", "The blast killed 15 people, the Interior Ministry said.", published="2024-01-03")
    result = compare_story([a, b])
    assert result["contradictions"] == [] and kinds(result["developments"]) == ["quantity"]


def test_one_source_named_two_ways_is_no_attribution_clash() -> None:
    claim = "the vaccine caused no serious side effects in the trial"
    a = article("a", f"Reuters reported that {claim}.", attributions=[{"content": claim, "chain": ["Reuters", "Ministry of Health (Kenya)"]}],
                outlet="Reuters")
    b = article("b", f"MOH said {claim}.", attributions=[{"content": claim, "chain": ["MOH"]}])
    assert compare_story([a, b])["contradictions"] == []


# --- the commands ----------------------------------------------------------------------------
def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from parallax.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def seed_story(db: Path) -> int:
    from parallax.store import SQLiteStore

    with SQLiteStore(db) as store:
        return int(store.db.execute(
            """SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id
               WHERE a.outlet = 'CBS News'""").fetchone()[0])


def test_compare_a_story_from_the_store(hand_storied_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = str(seed_story(hand_storied_store))
    code, out, _ = run_cli(capsys, "compare", story, "--db", str(hand_storied_store))
    assert code == 0 and "told by all" in out and "Donald Trump CONSULT → Vladimir Putin" in out and "via CBS News" in out
    code, out, _ = run_cli(capsys, "compare", story, "--json", "--db", str(hand_storied_store))
    result = json.loads(out)
    assert code == 0 and result["story"] == int(story) and len(result["articles"]) == 2
    code, _, err = run_cli(capsys, "compare", "999999", "--db", str(hand_storied_store))
    assert code == 2 and "E701" in err


def test_timeline_finds_a_storyline_by_entity_words_or_id(hand_storied_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "timeline", "Vladimir Putin", "--db", str(hand_storied_store))
    assert code == 0 and "20 March 2018" in out and "Trump and Putin spoke by phone on March 20." in out
    code, out, _ = run_cli(capsys, "timeline", "invited Putin", "--json", "--db", str(hand_storied_store))
    line = json.loads(out)
    assert code == 0 and line["events"][0]["date"] == "2018-03-20"
    code, out, _ = run_cli(capsys, "timeline", str(line["storyline"]), "--json", "--db", str(hand_storied_store))
    assert json.loads(out)["storyline"] == line["storyline"]
    code, _, err = run_cli(capsys, "timeline", "zzyzx nothing", "--db", str(hand_storied_store))
    assert code == 2 and "E605" in err


@pytest.mark.slow
def test_compare_jsonl_records_by_storyline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not (SEEDS / "gold.json").is_file():
        pytest.skip("the seed data (../shared/data/seeds) is not here")
    gold = json.loads((SEEDS / "gold.json").read_text("utf-8"))
    records = tmp_path / "seeds.jsonl"
    records.write_text("".join(
        json.dumps({"id": name[:3], "title": gold["articles"][name]["title"], "text": (SEEDS / name).read_text("utf-8"),
                    "published": meta["published"], "outlet": meta["outlet"]}) + "\n"
        for name, meta in sorted(gold["metadata"].items())), "utf-8")
    code, out, _ = run_cli(capsys, "compare", str(records), "--by", "storyline")
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and line["articles"] == ["000", "004"]
    assert any(f["kind"] == "event" and f["told_by"] == ["000", "004"] for f in line["facts"])
    assert {"date", "attribution"} <= {c["kind"] for c in line["contradictions"]}

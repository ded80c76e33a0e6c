"""Source chains on the seeds (full text, as in test_quotes.py) and on written sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from parallax.annotate.chains import find_attributions
from parallax.annotate.quotes import find_quotes
from parallax.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / ".." / "shared" / "data" / "seeds"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def _chains(nlp, text: str, outlet: str | None = None) -> dict[str, list[str]]:
    doc = nlp(text)
    return {
        doc.text[a.content.start:a.content.end]: a.chain
        for a in find_attributions(doc, find_quotes(doc), outlet)
    }


def _chain_of(chains: dict[str, list[str]], prefix: str) -> list[str]:
    found = [chain for content, chain in chains.items() if content.startswith(prefix)]
    assert found, f"no claim starting {prefix!r} in {list(chains)}"
    return found[0]


def _seed(name: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("seed data absent")
    return (SEEDS / name).read_text("utf-8")


@pytest.mark.slow
def test_seed_000_tweet_chain_with_outlet(nlp):
    chains = _chains(nlp, _seed("000_608ef5858c58f38e.txt"), outlet="CBS News")
    assert _chain_of(chains, "President Trump has asked his national security adviser") == [
        "CBS News",
        "Sarah Huckabee Sanders (White House)",
    ]


@pytest.mark.slow
def test_seed_004_agency_chains(nlp):
    chains = _chains(nlp, _seed("004_5dab1425809c78bc.txt"))
    assert _chain_of(chains, "U.S. President Donald Trump invited") == ["RIA Novosti", "Russian Foreign Ministry"]
    assert _chain_of(chains, "Trump returned to the subject") == ["RIA Novosti", "Sergei Lavrov"]


@pytest.mark.slow
def test_outlet_leads_when_given(nlp):
    chains = _chains(nlp, _seed("004_5dab1425809c78bc.txt"), outlet="Reuters")
    assert _chain_of(chains, "Trump returned to the subject") == ["Reuters", "RIA Novosti", "Sergei Lavrov"]


@pytest.mark.slow
def test_according_to_before_a_speaker(nlp):
    chains = _chains(nlp, "According to Interfax, Defence Minister Karl Noss said the troops would withdraw by June.")
    assert _chain_of(chains, "the troops would withdraw") == ["Interfax", "Karl Noss"]


@pytest.mark.slow
def test_speaker_reporting_what_another_told_them(nlp):
    chains = _chains(nlp, "Ms. Ortiz said Governor Dan Reyes told them the plant would close.")
    assert _chain_of(chains, "the plant would close") == ["Ortiz", "Dan Reyes"]


@pytest.mark.parametrize("text, prefix, chain", [
    ("RIA Novosti reported on Friday, citing the Russian Foreign Ministry, that Lavrov would travel to Ankara.",
     "Lavrov would travel", ["RIA Novosti", "Russian Foreign Ministry"]),
    ("According to a transcript on the Kremlin's website, Putin said the talks went well.",
     "the talks went well", ["Kremlin", "Putin"]),
    ("The newspaper Dawn reported that 20 people were killed.", "20 people", ["Dawn"]),
    ("A U.N. report said the camps were full.", "the camps were full", ["U.N."]),
    ("According to a report by Amnesty International, the prisoners were tortured.", "the prisoners", ["Amnesty International"]),
    ("China's state-run Xinhua news agency said the ships left port.", "the ships left", ["Xinhua news agency"]),
    ("A statement posted by the National News Agency said the operation seized critical data.", "the operation seized",
     ["National News Agency"]),
    # "data" and "figures" are documents too, though the lemmatizer makes them "datum" and "figure"
    ("According to data from the World Bank, growth slowed to 2 percent.", "growth slowed", ["World Bank"]),
    ("According to figures released by the health ministry, 30 people died.", "30 people died", ["health ministry"]),
    # the cited source is another than the one citing it, wherever the parser hangs "citing"
    ("Al Jazeera, citing the health ministry in Gaza, said 30 people died.", "30 people died",
     ["Al Jazeera", "health ministry (Gaza)"]),
    ("The ministry said 30 people died, citing local officials.", "30 people died", ["ministry", "local officials"]),
    # a description ends at the body it belongs to
    ("Russia will respond, TASS reported, citing a source in the Defense Ministry.", "Russia will respond",
     ["TASS", "source (Defense Ministry)"]),
    ("A spokesman for the Pentagon said the strike was lawful.", "the strike was lawful", ["spokesman (Pentagon)"]),
    # the one quoted said it, also when what was said comes first
    ("The talks failed, Interfax quoted Deputy Foreign Minister Sergei Ryabkov as saying.", "The talks failed",
     ["Interfax", "Sergei Ryabkov"]),
    # a document ends at the outlet it appeared in or the site it was posted on, not at "reports"
    ("According to reports in the Wall Street Journal, the deal was close.", "the deal was close", ["Wall Street Journal"]),
    ("According to a transcript posted on the White House website, Biden said the talks were productive.",
     "the talks were productive", ["White House", "Biden"]),
    ("According to a study in the journal Nature, the ice is melting faster.", "the ice is melting", ["Nature"]),
    # the platform carries a channel, its owner speaks through it; a date is no body
    ("A statement posted on the Hamas Telegram channel said the fighters had withdrawn.", "the fighters", ["Hamas"]),
    ("A report in March said the camps were full.", "the camps were full", ["report"]),
    # "quoting X" names a source as "citing X" does, and a citing phrase is its speaker's wherever
    # the parser hangs it: on the speaker, after "according to", deep in what was reported
    ("The agency said, quoting witnesses, that the building collapsed.", "the building collapsed", ["agency", "witnesses"]),
    ("A British charity for the disabled, citing World Bank data, says the world could gain trillions annually.",
     "the world could gain", ["British charity", "World Bank"]),
    ("Suga will meet Prime Minister Narendra Modi, according to Kyodo News, citing Japanese government sources.",
     "Suga will meet Prime Minister Narendra Modi", ["Kyodo News", "Japanese government sources"]),
    ("On Monday, CNN reported that Trump told his advisers he does not want to meet with Kim before the election, "
     "quoting sources familiar with the matter.", "he does not want", ["CNN", "sources", "Trump"]),
    ("The Times of Israel, quoting a military spokesman, said two soldiers died.", "two soldiers died",
     ["Times of Israel", "military spokesman"]),
    # the outlet that quotes or cites a speaker is the link before it
    ("Witnesses quoted by the BBC said the shelling began at dawn.", "the shelling began", ["BBC", "Witnesses"]),
    ("A senior official cited by the New York Times said the deal was off.", "the deal was off",
     ["New York Times", "senior official"]),
])
def test_chain_ends_at_the_named_source_not_at_its_document(nlp, text, prefix, chain):
    assert _chain_of(_chains(nlp, text), prefix) == chain


@pytest.mark.parametrize("text, prefix, chain", [
    ("This shows that the plan has failed.", "the plan has failed", ["VOA"]),
    ("“You said that the plan has failed.”\n\nYou said the talks would go on.", "the talks would go on", ["VOA"]),
    ("Their return shows that he paid no tax.", "he paid no tax", ["VOA"]),
    ("His passport showed that he was four years younger.", "he was four years younger", ["VOA"]),
    # kept: a description of a person or body (WordNet), an indefinite "some", a document, a name
    ("A JetBlue pilot said the plane was safe.", "the plane was safe", ["VOA", "JetBlue pilot"]),
    ("Security forces said they killed all six attackers.", "they killed", ["VOA", "Security forces"]),
    ("Some said the attack was a blunder.", "the attack was a blunder", ["VOA", "Some"]),
    ("Reports said the talks had collapsed.", "the talks had collapsed", ["VOA", "Reports"]),
    ("Senator Elizabeth Warren arrived late on Monday. She said the bridge would reopen.", "the bridge would reopen",
     ["VOA", "Elizabeth Warren"]),
])
def test_chain_ends_at_someone_a_reader_could_name(nlp, text, prefix, chain):
    # A link that names no one ("this", "you", an unresolved "he", "their return") is no source
    # (issue 14): the chain ends before it, at the outlet when nothing else names the source.
    found = [c for content, c in _chains(nlp, text, outlet="VOA").items() if content.startswith(prefix)]
    assert found == ([chain] if chain != ["VOA"] else []), found


@pytest.mark.parametrize("text, chains", [
    ("Suga will meet Prime Minister Narendra Modi, according to Kyodo News, citing Japanese government sources.",
     {"Suga will meet Prime Minister Narendra Modi": ["Kyodo News", "Japanese government sources"]}),
    ("The strike killed 12 people, the Syrian Observatory for Human Rights said, citing sources on the ground.",
     {"The strike killed 12 people": ["Syrian Observatory for Human Rights", "sources"]}),
])
def test_a_citing_phrase_is_no_part_of_what_was_said(nlp, text, chains):
    assert _chains(nlp, text) == chains

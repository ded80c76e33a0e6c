"""The claim-by-claim comparison against the hand-labelled dev set, split before tuning.

Items (``compare_dev_labels.jsonl``, checked by ``compare_labels_check.py``): the 33 English
same-event pairs of SemEval-2022 dev (Overall ≤ 1.5), the seeds, and the demo's multi-outlet
stories, each labelled for the facts two or more articles tell, contradictions and
developments, with verbatim anchors; and Clust-McMs dev events (``clustering-dev``: an event's
English articles, up to 4), whose differences are labelled in full but whose shared facts are a
selection of the key ones (``"facts_complete": false``): there only shared-fact recall is
counted (their predicted facts are left out of precision), and a line of their own gives them.
The five German–English same-event pairs of SemEval-2022 dev (Overall ≤ 1.5) are items too, each
article with its language (``"lang"``) and annotated in it: they count in their halves' lines, and
a line of their own gives them (both halves together, too few to split) beside the TF-IDF aligner
on the same items, which cannot align across languages. The half an item belongs to is fixed by
``compare_split.split_of``; only the tuning half's errors are printed (``--details``), the
validation half prints figures only.

Scored per pair of articles: a predicted fact told by articles A and B matches a labelled one
when its sentence in A overlaps the label's anchor in A and its sentence in B the anchor in B.
Shared-fact precision is the share of predicted (fact, article pair)s that match a labelled
fact; recall the share of labelled ones matched. A predicted difference (contradiction or
development) matches a labelled one of the same kind when its facts' sentences overlap the
label's anchor on at least one side (the other side may give its value in another sentence than
the one labelled: "on Monday" in the body where the label anchors the caption's date);
"false contradictions per story" counts the predicted contradictions that match none. Beside
it, "both sides anchored" counts a labelled difference found only when the difference's own
sentences overlap the label's anchors in two articles (a loose pairing that meets the label on
one side is not counted there), and "as contradiction or development as labelled" only when
the difference is also in the label's list (a development: what publication order explains).

A line needing no label: the English SemEval pairs of different happenings (Overall > 2), where
every difference found is false, counted per half.

Beside it, in the same run: a plain TF-IDF aligner (scikit-learn's TfidfVectorizer over the same
sentences, cosine, one-to-one matching, threshold chosen on the tuning half's English items), and
the gold-derived seed checks (gold.json: the invitation agreed by both sides, each side's channel and chain, the
dates that differ). The items are also run the way ``parallax compare records.jsonl`` runs them
(the records clustered first, each story or storyline compared): a pair the clusterer splits
into two storylines gets no comparison there, which ``compare_story`` on the item does not
show. The speed lines: the median time per article of each item's comparison (in this process,
whose parser limits BLAS to one thread), and a comparison of a ten-article story from stored
annotations as ``parallax compare STORY`` runs it: the ten articles of the demo's tariffs and
Pakistan train stories (White House and VOA, 44,000 characters) compared as one story — the demo
has none of ten articles, and what the comparison costs grows with the sentences compared —
annotated here and compared in a fresh process that loads no parser, its encoder loaded first,
the median of three runs (goal ≤ 1 s).
"""
from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare_split import split_of  # noqa: E402

from parallax.annotate import annotate_many  # noqa: E402
from parallax.compare import StoryArticle, compare_story, tellings  # noqa: E402
from parallax.compare.align import match  # noqa: E402
from parallax.views.timeline import timeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / ".." / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "compare_dev_labels.jsonl"


# --- the dev set -----------------------------------------------------------------------------
def load_items() -> list[dict[str, Any]]:
    """Every labelled item with its articles' records (id, text, title, published, outlet, and
    language where the label gives one: ``"lang"`` on the article; English otherwise)."""
    csv.field_size_limit(10**9)
    pairs = {row["pair_id"]: row for row in csv.DictReader(open(DATA / "similarity-dev" / "semeval2022_t8_dev.csv", encoding="utf-8"))}
    gold = json.loads((DATA / "seeds" / "gold.json").read_text("utf-8"))
    # Clust-McMs dev events: the body is the sentences' content joined with single spaces (as
    # compare_labels_check and clustering_data read it); the data names no outlets or dates.
    clustmcms = {a["ID"]: a for a in json.loads((DATA / "clustering-dev" / "clustmcms_dev.json").read_text("utf-8"))["articles"]}
    items = []
    for line in LABELS.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        assert item["split"] == split_of(item["id"]), item["id"]
        records = []
        for a in item["articles"]:
            if "clustmcms_id" in a:
                raw = clustmcms[a["clustmcms_id"]]
                records.append({"id": a["id"], "text": " ".join(s["content"] for s in raw["sentences"]), "title": raw["title"],
                                "outlet": f"outlet {len(records) + 1}"})
            elif "pair_id" in a:
                records.append({"id": a["id"], "text": pairs[a["pair_id"]][a["side"]], "outlet": f"outlet {len(records) + 1}",
                                "language": a.get("lang", "en")})
            elif a.get("path", "").startswith("seeds/"):
                name = a["path"].split("/", 1)[1]
                meta = gold["metadata"][name]
                records.append({"id": a["id"], "text": (DATA / a["path"]).read_text("utf-8"), "title": gold["articles"][name]["title"],
                                "published": meta["published"], "outlet": meta["outlet"] or "Moscow wire"})
            else:
                records.append(_demo_record(a))
        item["records"] = records
        items.append(item)
    return items


def _demo_record(article: dict[str, Any]) -> dict[str, Any]:
    path = ROOT / article["path"]
    if path.suffix == ".jsonl":
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            if str(record.get("id")) == str(article.get("record", article["id"])):
                return {**record, "id": article["id"]}
        raise KeyError(article)
    return {"id": article["id"], "text": path.read_text("utf-8")}


def story_articles(records: Sequence[dict[str, Any]]) -> list[StoryArticle]:
    days = [date.fromisoformat(str(r["published"])[:10]) if r.get("published") else None for r in records]
    annotations = annotate_many((r["text"], d, r.get("language", "en"), r.get("outlet")) for r, d in zip(records, days))
    return [StoryArticle(str(r["id"]), a.to_json(), r.get("outlet"), r.get("published"), r.get("title"))
            for r, a in zip(records, annotations)]


# --- scoring ---------------------------------------------------------------------------------
def _anchor(text: str, anchor: str | list[str]) -> list[tuple[int, int]]:
    """Every place the anchor occurs (a caption or a tweet may repeat a sentence); a list of
    anchors is every place an article tells the fact (its headline restating the lead, a quote
    given raw and again in a paraphrase): a sentence on any of them tells it."""
    spans = []
    for one in [anchor] if isinstance(anchor, str) else anchor:
        start = text.find(one)
        while start >= 0:
            spans.append((start, start + len(one)))
            start = text.find(one, start + 1)
    return spans


def _overlaps(span: dict[str, int], anchor: list[tuple[int, int]]) -> bool:
    return any(span["start"] < end and start < span["end"] for start, end in anchor)


def _pairs(ids: Sequence[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]


def score_item(item: dict[str, Any], result: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """Counts for one item: shared pair-facts, differences, and the misses/false ones (for details)."""
    gold_facts = [(pair, {a: _anchor(texts[a], f["anchors"][a]) for a in pair}, f)
                  for f in item["facts_shared"] for pair in _pairs([a for a in f["anchors"] if a in texts])]
    predicted = [(pair, {a: fact["evidence"][a] for a in pair}, fact)
                 for fact in result["facts"] for pair in _pairs(fact["told_by"])]

    def same(pred: tuple[Any, ...], gold: tuple[Any, ...]) -> bool:
        return set(pred[0]) == set(gold[0]) and all(_overlaps(pred[1][a], gold[1][a]) for a in gold[0])

    matched_gold = [g for g in gold_facts if any(same(p, g) for p in predicted)]
    if item.get("facts_complete") is False:
        predicted = []  # shared facts labelled as a selection: recall only, they leave precision alone
    matched_pred = [p for p in predicted if any(same(p, g) for g in gold_facts)]
    facts = {f["id"]: f for f in result["facts"]}
    gold_diffs = [(d, {a: _anchor(texts[a], d["anchors"][a]) for a in d["anchors"] if a in texts})
                  for d in item["contradictions"] + item["developments"]]

    def diff_matches(found: dict[str, Any], gold: tuple[dict[str, Any], dict[str, list[tuple[int, int]]]], kind: bool,
                     strict: bool = False) -> bool:
        if kind and found["kind"] != gold[0]["kind"]:
            return False
        spans: dict[str, list[dict[str, int]]] = {}
        if "evidence" in found:  # the very sentences the difference sets against each other
            for article, span in found["evidence"].items():
                spans.setdefault(article, []).append(span)
        else:
            for fact_id in found["facts"]:
                for article, span in facts[fact_id]["evidence"].items():
                    spans.setdefault(article, []).append(span)
        # Anchored on at least one side: the other side may tell the clashing value in another
        # sentence than the one labelled (a caption, a later paragraph). ``strict``: on every
        # labelled side the difference has a sentence on (a loose pairing that meets the label
        # on one side only is not counted).
        hits = [any(_overlaps(s, anchor) for s in spans.get(article, [])) for article, anchor in gold[1].items()
                if not strict or article in spans]
        return all(hits) and len(hits) >= 2 if strict else any(hits)

    found_diffs = result["contradictions"] + result["developments"]
    developments = {id(d) for d in result["developments"]}
    labelled_developments = {id(d) for d in item["developments"]}

    def same_list(found: dict[str, Any], gold: tuple[dict[str, Any], Any]) -> bool:
        """Found in the list the label is in: a development (publication order explains it) or a contradiction."""
        return (id(found) in developments) == (id(gold[0]) in labelled_developments) and diff_matches(found, gold, True)

    def aligned(gold: tuple[dict[str, Any], dict[str, list[tuple[int, int]]]]) -> bool:
        """Some fact holds the labelled sentences of two articles (the difference could be seen)."""
        return any(sum(_overlaps(span, gold[1][a]) for a, span in fact["evidence"].items() if a in gold[1]) >= 2
                   for fact in result["facts"])

    return {
        "pred_facts": len(predicted), "pred_facts_ok": len(matched_pred),
        "gold_diffs_aligned": sum(aligned(g) for g in gold_diffs),
        "gold_diffs_aligned_found": sum(aligned(g) and any(diff_matches(d, g, True) for d in found_diffs) for g in gold_diffs),
        "gold_facts": len(gold_facts), "gold_facts_found": len(matched_gold),
        "pred_diffs": len(found_diffs),
        "pred_diffs_ok": sum(any(diff_matches(d, g, True) for g in gold_diffs) for d in found_diffs),
        "gold_diffs": len(gold_diffs),
        "gold_diffs_found": sum(any(diff_matches(d, g, True) for d in found_diffs) for g in gold_diffs),
        "gold_diffs_found_any_kind": sum(any(diff_matches(d, g, False) for d in found_diffs) for g in gold_diffs),
        "gold_diffs_found_list": sum(any(same_list(d, g) for d in found_diffs) for g in gold_diffs),
        "gold_diffs_found_strict": sum(any(diff_matches(d, g, True, strict=True) for d in found_diffs) for g in gold_diffs),
        "false_contradictions": sum(not any(diff_matches(d, g, True) for g in gold_diffs) for d in result["contradictions"]),
        "missed_facts": [g[2]["about"] for g in gold_facts if g not in matched_gold],
        "false_facts": [" || ".join(p[2]["sentences"][a][:90] for a in p[0]) for p in predicted if p not in matched_pred],
        "false_diffs": [f"{d['kind']}: {d['values']}" for d in found_diffs if not any(diff_matches(d, g, True) for g in gold_diffs)],
        "misfiled_diffs": [f"{g[0]['kind']}: {g[0]['about']}" for g in gold_diffs
                           if any(diff_matches(d, g, True) for d in found_diffs) and not any(same_list(d, g) for d in found_diffs)],
        "missed_diffs": [f"{g[0]['kind']}: {g[0]['about']}{' [its sentences aligned in one fact]' if aligned(g) else ''}"
                         for g in gold_diffs if not any(diff_matches(d, g, True) for d in found_diffs)],
    }


def summary_selection(rows: Sequence[dict[str, Any]]) -> str:
    """Figures of the items whose shared facts are a labelled selection (clustering-dev):
    differences P/R, shared-fact recall only."""
    def ratio(a: str, b: str) -> float:
        total = sum(r[b] for r in rows)
        return sum(r[a] for r in rows) / total if total else float("nan")

    return (f"differences P {ratio('pred_diffs_ok', 'pred_diffs'):.3f} R {ratio('gold_diffs_found', 'gold_diffs'):.3f} "
            f"({sum(x['gold_diffs'] for x in rows)} labelled, {sum(x['pred_diffs'] for x in rows)} found) | "
            f"false contradictions/story {sum(r['false_contradictions'] for r in rows) / max(len(rows), 1):.2f} | "
            f"shared-fact recall {ratio('gold_facts_found', 'gold_facts'):.3f} ({sum(x['gold_facts'] for x in rows)} labelled) | n={len(rows)}")


def summary(rows: Sequence[dict[str, Any]]) -> str:
    def ratio(a: str, b: str) -> float:
        total = sum(r[b] for r in rows)
        return sum(r[a] for r in rows) / total if total else float("nan")

    p, r = ratio("pred_facts_ok", "pred_facts"), ratio("gold_facts_found", "gold_facts")
    dp, dr = ratio("pred_diffs_ok", "pred_diffs"), ratio("gold_diffs_found", "gold_diffs")
    false = sum(r["false_contradictions"] for r in rows) / max(len(rows), 1)
    return (f"shared facts P {p:.3f} R {r:.3f} ({sum(x['gold_facts'] for x in rows)} labelled) | "
            f"differences P {dp:.3f} R {dr:.3f} (any kind R {ratio('gold_diffs_found_any_kind', 'gold_diffs'):.3f}; "
            f"both sides anchored R {ratio('gold_diffs_found_strict', 'gold_diffs'):.3f}; "
            f"as contradiction or development as labelled R {ratio('gold_diffs_found_list', 'gold_diffs'):.3f}; "
            f"{sum(x['gold_diffs'] for x in rows)} labelled, {sum(x['pred_diffs'] for x in rows)} found; "
            f"labelled sentences aligned in one fact {sum(x['gold_diffs_aligned'] for x in rows)}, "
            f"of which found {sum(x['gold_diffs_aligned_found'] for x in rows)}) | "
            f"false contradictions/story {false:.2f} | n={len(rows)}")


# --- the plain-library reference: TF-IDF alignment --------------------------------------------
def tfidf_result(articles: Sequence[StoryArticle], threshold: float) -> dict[str, Any]:
    """Facts from TF-IDF cosine over the same sentences, one-to-one per article pair."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    told = {a.id: tellings(a) for a in articles}
    everything = [t for a in articles for t in told[a.id]]
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform([t.text for t in everything]) if everything else None
    facts = []
    offset = {}
    position = 0
    for a in articles:
        offset[a.id] = position
        position += len(told[a.id])
    for a, b in _pairs([x.id for x in articles]):
        if matrix is None or not told[a] or not told[b]:
            continue
        left = matrix[offset[a] : offset[a] + len(told[a])]
        right = matrix[offset[b] : offset[b] + len(told[b])]
        scores = np.asarray((left @ right.T).todense())
        for i, j, _ in match(scores, threshold):
            x, y = told[a][i], told[b][j]
            facts.append({"id": f"t{len(facts)}", "told_by": [a, b], "evidence": {a: {"start": x.start, "end": x.end}, b: {"start": y.start, "end": y.end}},
                          "sentences": {a: x.text, b: y.text}})
    return {"facts": facts, "contradictions": [], "developments": []}


# --- the command's own path: parallax compare records.jsonl ------------------------------------
def records_result(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What ``parallax compare records.jsonl`` gives for the item's records (clustered first, so
    a pair the clusterer splits into two storylines is compared by nobody), as one result: the
    facts and differences of every comparison it prints, fact ids kept apart."""
    from parallax.jobs import compare_records

    merged: dict[str, Any] = {"facts": [], "contradictions": [], "developments": []}
    for number, result in enumerate(compare_records(records)):
        ids = {f["id"]: f"{number}:{f['id']}" for f in result["facts"]}
        merged["facts"] += [{**f, "id": ids[f["id"]]} for f in result["facts"]]
        for key in ("contradictions", "developments"):
            merged[key] += [{**d, "facts": [ids[x] for x in d["facts"]]} for d in result[key]]
    return merged


# --- the seeds' gold checks ------------------------------------------------------------------
def seed_checks(articles: Sequence[StoryArticle], result: dict[str, Any]) -> dict[str, bool]:
    """gold.json's note: the invitation shown as agreed by both sides, each side's own channel
    and chain, the dates that differ; its relations: two happenings (no date contradiction);
    and the storyline's call → summit → invitation order."""
    both = [f for f in result["facts"] if len(f["told_by"]) == 2 and all("invit" in f["sentences"][a].lower() for a in f["told_by"])]
    def each_sides_chain(fact: dict[str, Any]) -> bool:
        chains = fact["chains"]
        return any("Sanders" in s or "White House" in s for s in chains["000"][1:]) and any(
            "RIA" in s for s in chains["004"]) and any("Foreign Ministry" in s for s in chains["004"])

    invitation = next((f for f in both if each_sides_chain(f)), both[0] if both else None)
    events = timeline(articles, result)
    dates = [e["date"] for e in events]
    return {
        "invitation told by both": invitation is not None,
        "CBS chain ends with Sanders or the White House": bool(invitation) and any(
            "Sanders" in s or "White House" in s for s in invitation["chains"]["000"][1:]),
        "Moscow chain names RIA Novosti and the Foreign Ministry": bool(invitation) and any(
            "RIA" in s for s in invitation["chains"]["004"]) and any("Foreign Ministry" in s for s in invitation["chains"]["004"]),
        "dates differ (shown per side), no date contradiction": bool(invitation) and invitation["values"]["000"] != invitation["values"]["004"]
        and not any(c["kind"] == "date" and invitation["id"] in c["facts"] for c in result["contradictions"]),
        "timeline has the March 20 call before the July 19 invitation": any(d.endswith("03-20") for d in dates)
        and any(d.startswith("2018-07") for d in dates)
        and min(i for i, d in enumerate(dates) if d.endswith("03-20")) < max(i for i, d in enumerate(dates) if d.startswith("2018-07")),
    }


TEN_ARTICLE_ITEMS = ("demo:tariffs-canada-mexico-2025-03", "demo:pakistan-train-hijacking-2025-03")


def ten_article_story(items: Sequence[dict[str, Any]]) -> str:
    """The ten-article speed line: the articles annotated here, compared in a fresh process."""
    import subprocess
    import tempfile

    records = [r for item in items if item["id"] in TEN_ARTICLE_ITEMS for r in item["records"]][:10]
    articles = story_articles(records)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as stored:
        json.dump([a.__dict__ for a in articles], stored)
        stored.flush()
        out = subprocess.run([sys.executable, __file__, "--time-story", stored.name], capture_output=True, text=True,
                             check=True).stdout.split()
    wall, cpu, facts = float(out[0]), float(out[1]), int(out[2])
    return (f"compare of a {len(articles)}-article story from stored annotations (as parallax compare STORY): "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU, median of 3 after the encoder is loaded; {facts} facts")


def time_story(path: str) -> None:
    """``--time-story``: compare the stored articles three times; print median wall, CPU, facts."""
    articles = [StoryArticle(**a) for a in json.loads(Path(path).read_text("utf-8"))]
    compare_story(articles[:2])  # loads the encoder and the model
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        result = compare_story(articles)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    print(statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs), len(result["facts"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="print the tuning half's misses and false finds")
    parser.add_argument("--no-command", action="store_true",
                        help="skip the figures of the command's own path (records clustered, then compared)")
    parser.add_argument("--time-story", metavar="ARTICLES.json", help=argparse.SUPPRESS)  # ten_article_story's process
    args = parser.parse_args()
    if args.time_story:
        time_story(args.time_story)
        return
    items = load_items()
    rows: dict[str, list[dict[str, Any]]] = {"tune": [], "validation": []}
    clustering_rows: dict[str, list[dict[str, Any]]] = {"tune": [], "validation": []}
    command_rows: dict[str, list[dict[str, Any]]] = {"tune": [], "validation": []}
    baseline_rows: dict[float, dict[str, list[dict[str, Any]]]] = {}
    # Items with an article not in English (German–English SemEval pairs), both halves: a line of
    # their own beside the TF-IDF aligner's; the TF-IDF threshold is chosen without them.
    multilingual: dict[str, list[Any]] = {"rows": [], "splits": [], "baseline": []}
    baseline_english_tune: dict[float, list[dict[str, Any]]] = {}
    seeds: dict[str, bool] = {}
    timings = []
    for item in items:
        articles = story_articles(item["records"])
        texts = {a.id: a.annotation["text"] for a in articles}
        start = time.perf_counter()
        result = compare_story(articles, item["id"])
        timings.append((time.perf_counter() - start, len(articles)))
        row = score_item(item, result, texts)
        rows[item["split"]].append(row)
        if item["source"] == "clustering-dev":
            clustering_rows[item["split"]].append(row)
        foreign = any(r.get("language", "en") != "en" for r in item["records"])
        baselines = {}
        for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
            baselines[threshold] = score_item(item, tfidf_result(articles, threshold), texts)
            baseline_rows.setdefault(threshold, {"tune": [], "validation": []})[item["split"]].append(baselines[threshold])
            if item["split"] == "tune" and not foreign:
                baseline_english_tune.setdefault(threshold, []).append(baselines[threshold])
        if foreign:
            multilingual["rows"].append(row)
            multilingual["splits"].append(item["split"])
            multilingual["baseline"].append(baselines)
        if not args.no_command:
            command_rows[item["split"]].append(score_item(item, records_result(item["records"]), texts))
        if item["id"] == "seeds":
            seeds = seed_checks(articles, result)
        if args.details and item["split"] == "tune":
            print(f"== {item['id']}")
            for key in ("missed_facts", "false_facts", "missed_diffs", "misfiled_diffs", "false_diffs"):
                for entry in row[key]:
                    print(f"   {key}: {entry}")
    best = max(baseline_english_tune, key=lambda t: _f1(baseline_english_tune[t]))
    for name, passed in seeds.items():
        print(f"seed check: {'PASS' if passed else 'FAIL'} {name}")
    per_article = [seconds / count for seconds, count in timings]
    print(f"compare time: median {statistics.median(per_article) * 1000:.0f} ms per article of a story "
          f"(≈ {statistics.median(per_article) * 10:.2f} s for 10 articles); slowest item {max(s for s, _ in timings):.2f} s")
    print(ten_article_story(items))
    print(f"TF-IDF aligner (threshold {best} chosen on tune) tune:       {summary(baseline_rows[best]['tune'])}")
    print(f"TF-IDF aligner (threshold {best} chosen on tune) validation: {summary(baseline_rows[best]['validation'])}")
    if not args.no_command:
        print(f"as parallax compare records.jsonl runs it (clustered first) tune:       {summary(command_rows['tune'])}")
        print(f"as parallax compare records.jsonl runs it (clustered first) validation: {summary(command_rows['validation'])}")
    print(f"in-sample (tune half): {summary(rows['tune'])}")
    print(f"validation half:       {summary(rows['validation'])}")
    print(f"clustering-dev items (shared facts a selection) tune:       {summary_selection(clustering_rows['tune'])}")
    print(f"clustering-dev items (shared facts a selection) validation: {summary_selection(clustering_rows['validation'])}")
    if multilingual["rows"]:
        label = (f"German–English items ({len(multilingual['rows'])}; labelled blind, both halves together: "
                 f"tune {multilingual['splits'].count('tune')} + validation {multilingual['splits'].count('validation')})")
        print(f"{label}: {summary(multilingual['rows'])}")
        print(f"{label}, TF-IDF aligner (threshold {best}): {summary([b[best] for b in multilingual['baseline']])}")
    apart = different_happenings()
    print("pairs of different happenings (SemEval-2022 dev, English, Overall > 2; every difference false): "
          + " | ".join(f"{half} {sum(counts)} differences in {len(counts)} pairs ({sum(map(bool, counts))} pairs with any)"
                       for half, counts in apart.items()))


def different_happenings() -> dict[str, list[int]]:
    """Differences found per pair where none can be right: the English SemEval-2022 dev pairs
    whose annotators judged them of different happenings (Overall > 2; the dev set takes those
    ≤ 1.5 and the 12 of 1.5–2.0). A comparison of two happenings sets no value against another
    (the story clusterer may still put them in one story), so every difference found is false.
    Split by ``split_of`` of the pair id like the dev set; needs no label."""
    csv.field_size_limit(10**9)
    found: dict[str, list[int]] = {"tune": [], "validation": []}
    with open(DATA / "similarity-dev" / "semeval2022_t8_dev.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["lang1"] != "en" or row["lang2"] != "en" or float(row["Overall"]) <= 2.0:
                continue
            first, second = row["pair_id"].split("_")
            records = [{"id": first, "text": row["text1"], "outlet": "outlet 1"},
                       {"id": second, "text": row["text2"], "outlet": "outlet 2"}]
            result = compare_story(story_articles(records), row["pair_id"])
            found[split_of(row["pair_id"])].append(len(result["contradictions"]) + len(result["developments"]))
    return found


def _f1(rows: Sequence[dict[str, Any]]) -> float:
    p = sum(r["pred_facts_ok"] for r in rows) / max(sum(r["pred_facts"] for r in rows), 1)
    r = sum(r["gold_facts_found"] for r in rows) / max(sum(r["gold_facts"] for r in rows), 1)
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    main()

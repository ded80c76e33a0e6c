"""The claim-by-claim comparison on the seeds (checked against gold.json's relations) and on the
VOA stories (grouped by the real clusterer, annotated by the real pipeline).

The seeds have gold: the invitation told by both sides, each side's own chain (the White House
press secretary's tweet; RIA Novosti ← the Russian Foreign Ministry), the differing dates, and a
timeline March 20 call → July 16 summit → July 19 invitation. Each is a pass/fail check.

The VOA corpus has no comparison gold; what it shows is what the thresholds in
``resources/compare.json`` do on real multi-article stories: how many facts align across
articles, how many contradictions and developments they raise, and how long a comparison takes.
Read the contradictions it prints: each should be a real difference, not two happenings aligned.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from parallax.annotate import annotate_many
from parallax.stories import cluster_records
from parallax.views.compare import StoryArticle, compare_story
from parallax.views.timeline import timeline

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SHOWN_CONTRADICTIONS = 12


def _articles(records: list[dict]) -> list[StoryArticle]:
    """Annotate records (text as given, each with its own published day) into StoryArticles."""
    days = [date.fromisoformat(str(r["published"])[:10]) if r.get("published") else None for r in records]
    annotations = annotate_many((r["text"], day, "en", r.get("outlet")) for r, day in zip(records, days))
    return [StoryArticle(str(r["id"]), a.to_json(), r.get("outlet"), r.get("published"), r.get("title"))
            for r, a in zip(records, annotations)]


def seed_checks() -> dict[str, bool]:
    gold = json.loads((DATA / "seeds" / "gold.json").read_text("utf-8"))
    records = [{"id": name[:3], "title": gold["articles"][name]["title"], "text": (DATA / "seeds" / name).read_text("utf-8"),
                "published": meta["published"], "outlet": meta["outlet"]} for name, meta in sorted(gold["metadata"].items())]
    articles = _articles(records)
    result = compare_story(articles, "seeds")
    both = [f for f in result["facts"] if f["kind"] == "event" and len(f["told_by"]) == 2]
    invitation = next((f for f in both if "Vladimir Putin" in f["text"] and f["text"].startswith("Donald Trump")), None)
    clashes = {c["kind"]: c for c in result["contradictions"] if invitation and c["facts"] == [invitation["id"]]}
    events = timeline(articles)
    order = [next((i for i, e in enumerate(events) if e["date"] == value and e["plover"] == plover), None)
             for value, plover in (("XXXX-03-20", "CONSULT"), ("2018-07-16", "CONSULT"), ("2018-07-19", "AGREE"))]
    return {
        "invitation told by both": invitation is not None,
        "CBS chain ends with Sanders (White House)": bool(invitation) and "Sanders" in invitation["chains"]["000"][-1],
        "Moscow chain RIA Novosti ← Russian Foreign Ministry": bool(invitation)
        and invitation["chains"]["004"][-2:] == ["RIA Novosti", "Russian Foreign Ministry"],
        "CBS channel is a tweet": bool(invitation) and invitation["details"]["000"].get("channel") == "tweet",
        "dates differ: 2018-07-19 (fall) vs XXXX-03-20": "date" in clashes
        and clashes["date"]["values"].get("004") == "XXXX-03-20" and "2018-FA" in clashes["date"]["values"].get("000", ""),
        "sources differ (attribution)": "attribution" in clashes,
        "timeline call → summit → invitation": None not in order and order == sorted(order),  # type: ignore[type-var]
    }


def voa_figures() -> tuple[list[dict], list[tuple[str, dict]]]:
    records = [json.loads(line) for line in (DATA / "voa" / "voa_stories.jsonl").read_text("utf-8").splitlines() if line.strip()]
    for record in records:
        record["outlet"] = "Voice of America"
    stories: dict[int, list[dict]] = {}
    for record, row in zip(records, cluster_records(records)):
        stories.setdefault(row["story"], []).append(record)
    grouped = [members for members in stories.values() if len(members) >= 2]
    articles = iter(_articles([r for members in grouped for r in members]))
    rows, shown = [], []
    for members in grouped:
        chosen = [next(articles) for _ in members]
        start = time.perf_counter()
        result = compare_story(chosen, members[0]["title"])
        elapsed = (time.perf_counter() - start) * 1000
        everyone = len(chosen)
        factual = [f for f in result["facts"] if f["kind"] in ("event", "quote", "claim", "quantity")]
        rows.append({
            "title": members[0]["title"], "articles": everyone, "facts": len(factual),
            "shared": sum(len(f["told_by"]) > 1 for f in factual), "all": sum(len(f["told_by"]) == everyone for f in factual),
            "contradictions": Counter(c["kind"] for c in result["contradictions"]),
            "developments": len(result["developments"]), "ms": elapsed,
        })
        shown += [(members[0]["title"], c) for c in result["contradictions"]]
    return rows, shown


def main() -> None:
    if not (DATA / "seeds" / "gold.json").is_file():
        sys.exit(f"no dev data at {DATA}")
    checks = seed_checks()
    print("seeds (gold.json relations):")
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    rows, shown = voa_figures()
    print(f"\nVOA stories of two or more articles (real clusterer): {len(rows)}")
    print(f"{'articles':>8}{'facts':>7}{'shared':>8}{'by all':>8}{'contra':>8}{'devel':>7}{'ms':>8}  title")
    for row in rows:
        print(f"{row['articles']:>8}{row['facts']:>7}{row['shared']:>8}{row['all']:>8}{sum(row['contradictions'].values()):>8}"
              f"{row['developments']:>7}{row['ms']:>8.0f}  {row['title'][:60]}")
    print(f"\nfirst {SHOWN_CONTRADICTIONS} contradictions, to judge by eye:")
    for title, clash in shown[:SHOWN_CONTRADICTIONS]:
        values = "; ".join(f"{k}: {v}" for k, v in clash["values"].items())
        print(f"  [{title[:40]}] {clash['kind']}: {clash['about'][:60]} — {values[:150]}")
    kinds = sum((row["contradictions"] for row in rows), Counter())
    facts = sum(row["facts"] for row in rows)
    shared = sum(row["shared"] for row in rows)
    print(f"\nseed checks passed: {sum(checks.values())}/{len(checks)}")
    print(f"VOA: {len(rows)} stories, {facts} facts, {shared} told by more than one article ({shared / max(facts, 1):.1%})")
    print(f"VOA contradictions: {sum(kinds.values())} ({', '.join(f'{k} {n}' for k, n in kinds.most_common()) or 'none'}),"
          f" developments {sum(row['developments'] for row in rows)}")
    print(f"VOA comparison time per story: median {statistics.median(r['ms'] for r in rows):.0f} ms, max {max(r['ms'] for r in rows):.0f} ms")


if __name__ == "__main__":
    main()

"""Build src/parallax/resources/plover_codebook.json from the PLOVER sources in ../shared/data/plover.

Why a build step: the event coder must say, for a CAMEO code, which PLOVER event, mode and
context it maps to, and must only ever emit event/mode pairs the PLOVER codebook defines. Both
facts live in third-party files we may not copy into the repository (CAMEO2PLOVER-2021.txt,
NGEC's structured codebook). This script distils them into a small table of codes (no prose),
and checks the hand-curated trigger lexicon (resources/plover_lexicon.json) against it, so a
typo in a CAMEO code or an invented mode fails the build instead of leaking into the data.

It also derives verb triggers from the CAMEO descriptions themselves ("Accede to demands …",
"Criticize or denounce", "Defy norms, law"): the verbs a description opens with, each mapped to
the most general code it opens, kept only when every code it opens maps to one PLOVER event, the
verb is not a generic one ("Express intent to …", "Make a visit") and the curated lexicon does
not already have it. The curated lexicon stays first: it carries the constraints (objects,
particles) that a one-word description cannot.

Run: .venv/bin/python scripts/build_plover_patterns.py  (rewrites the resource; deterministic)
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLOVER_DIR = ROOT / ".." / "shared" / "data" / "plover"
RESOURCES = ROOT / "src" / "parallax" / "resources"
OUTPUT = RESOURCES / "plover_codebook.json"
LEXICON = RESOURCES / "plover_lexicon.json"
# "0841: RETREAT, release,   legal # Return, release person(s)"
CAMEO_LINE = re.compile(r"^(\d{3,4}):\s*([A-Z]+)\s*,([^,#]*),?([^#]*)#?")
# Verbs that open a description but name no event by themselves, or name one only with words
# the description goes on to give ("Use as human shield", "Receive inspectors", "Allow …").
GENERIC_VERBS = frozenset({
    "allow", "apolgize", "attempt", "bring", "carry", "conduct", "declare", "defend", "employ", "engage",
    "express", "find", "give", "increase", "make", "receive", "use", "other", "physically", "sexually",
    "police", "information", "peacekeeping", "politicians", "sanctions", "radiological", "liable",
    "demands", "discuss", "break", "stop", "ostruct", "violate",
})
# "Arrest, detain, or charge with legal action": the parts of a description's verb list.
VERB_LIST = re.compile(r",\s*(?:or\s+)?|\s+or\s+")


def _clean(value: str) -> str | None:
    value = value.strip().replace(" ", "")
    return value or None


def read_cameo_table(path: Path) -> dict[str, dict[str, object]]:
    """CAMEO code -> {event, mode, context} (contexts may be several, ';'-separated)."""
    table: dict[str, dict[str, object]] = {}
    for line in path.read_text("utf-8").splitlines():
        match = CAMEO_LINE.match(line.strip())
        if not match:
            continue
        code, event, mode, context = match.groups()
        contexts = [c for c in (_clean(part) for part in context.split(";")) if c]
        # The first mapping of a code wins (the source lists 175 twice with the same mapping).
        table.setdefault(code, {"event": event, "mode": _clean(mode), "context": contexts})
    return table


def opening_verbs(description: str) -> list[str]:
    """The verbs a CAMEO description opens with: 'Return, release person(s)' -> return, release."""
    verbs = []
    for part in VERB_LIST.split(description.split("(")[0].strip()):
        words = part.split()
        if not words or not words[0].isalpha():
            break
        verbs.append(words[0].lower())
        if len(words) > 1:
            break  # the verb list ends where the first verb takes its object
    return verbs


def derive_triggers(path: Path, table: dict[str, dict[str, object]], lexicon: dict) -> list[dict[str, str]]:
    """Verb triggers read off the CAMEO descriptions (see the module docstring)."""
    codes: dict[str, list[str]] = {}
    for line in path.read_text("utf-8").splitlines():
        match = CAMEO_LINE.match(line.strip())
        if not match or "#" not in line:
            continue
        for verb in opening_verbs(line.split("#", 1)[1]):
            codes.setdefault(verb, []).append(match.group(1))
    curated = {t["lemma"] for t in lexicon["triggers"] if t["pos"] == "VERB"}
    derived = []
    for verb, found in sorted(codes.items()):
        events = {table[code]["event"] for code in found if code in table}
        if verb in GENERIC_VERBS or verb in curated or len(events) != 1:
            continue
        general = min((code for code in found if code in table), key=lambda code: (len(code), code))
        derived.append({"lemma": verb, "pos": "VERB", "cameo": general})
    return derived


def read_modes(path: Path) -> dict[str, list[str]]:
    """PLOVER event -> the modes the structured codebook defines for it (sorted)."""
    modes: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            modes.setdefault(row["event"].strip(), set())
            if row["mode"].strip():
                modes[row["event"].strip()].add(row["mode"].strip())
    return {event: sorted(values) for event, values in sorted(modes.items())}


def check_lexicon(lexicon: dict, table: dict, modes: dict[str, list[str]]) -> list[str]:
    """Every trigger must name a known CAMEO code and resolve to a codebook event/mode pair."""
    problems = []
    for trigger in lexicon["triggers"]:
        code = trigger.get("cameo")
        if code is not None and code not in table:
            problems.append(f"{trigger['lemma']}: unknown CAMEO code {code}")
            continue
        mapped = table.get(code, {}) if code else {}
        event = trigger.get("event", mapped.get("event"))
        mode = trigger.get("mode", mapped.get("mode"))
        if event not in modes:
            problems.append(f"{trigger['lemma']}: event {event} is not in the codebook")
        elif mode is not None and mode not in modes[event]:
            problems.append(f"{trigger['lemma']}: mode {event}/{mode} is not in the codebook")
    for event, code in lexicon["future_as_agree"].items():
        if table.get(code, {}).get("event") != "AGREE":
            problems.append(f"future_as_agree {event} -> {code} is not an AGREE code")
    for event, pairs in lexicon["mode_cameo"].items():
        for mode, code in pairs.items():
            if code not in table or mode not in modes.get(event, []):
                problems.append(f"mode_cameo {event}/{mode} -> {code} does not resolve")
    return problems


def main() -> int:
    cameo_path = PLOVER_DIR / "CAMEO2PLOVER-2021.txt"
    codebook_path = PLOVER_DIR / "PLOVER_structured_codebook_updated.csv"
    if not cameo_path.exists() or not codebook_path.exists():
        print(f"PLOVER sources not found under {PLOVER_DIR}", file=sys.stderr)
        return 1
    table = read_cameo_table(cameo_path)
    modes = read_modes(codebook_path)
    lexicon = json.loads(LEXICON.read_text("utf-8"))
    problems = check_lexicon(lexicon, table, modes)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    derived = derive_triggers(cameo_path, table, lexicon)
    digest = hashlib.sha256(cameo_path.read_bytes() + codebook_path.read_bytes()).hexdigest()[:16]
    resource = {
        "about": "CAMEO code -> PLOVER event/mode/context (codes only), and the modes per PLOVER event. "
        "Built by scripts/build_plover_patterns.py from CAMEO2PLOVER-2021.txt (openeventdata/PLOVER, "
        "CC BY-SA 4.0) and NGEC's PLOVER_structured_codebook_updated.csv (MIT).",
        "version": "1",
        "sources_sha256": digest,
        "cameo": dict(sorted(table.items())),
        "modes": modes,
        "derived_triggers": derived,
    }
    OUTPUT.write_text(json.dumps(resource, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(table)} CAMEO codes, {len(modes)} events, "
          f"{len(lexicon['triggers'])} triggers checked, {len(derived)} derived: "
          + ", ".join(t["lemma"] for t in derived))
    return 0


if __name__ == "__main__":
    sys.exit(main())

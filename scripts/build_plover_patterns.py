"""Build src/parallax/resources/plover_codebook.json from the PLOVER sources in ../shared/data/plover.

Why a build step: the event coder must say, for a CAMEO code, which PLOVER event, mode and
context it maps to, and must only ever emit event/mode pairs the PLOVER codebook defines. Both
facts live in third-party files we may not copy into the repository (CAMEO2PLOVER-2021.txt,
NGEC's structured codebook). This script distils them into a small table of codes (no prose),
and checks the hand-curated trigger lexicon (resources/plover_lexicon.json) against it, so a
typo in a CAMEO code or an invented mode fails the build instead of leaking into the data.

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
    digest = hashlib.sha256(cameo_path.read_bytes() + codebook_path.read_bytes()).hexdigest()[:16]
    resource = {
        "about": "CAMEO code -> PLOVER event/mode/context (codes only), and the modes per PLOVER event. "
        "Built by scripts/build_plover_patterns.py from CAMEO2PLOVER-2021.txt (openeventdata/PLOVER, "
        "CC BY-SA 4.0) and NGEC's PLOVER_structured_codebook_updated.csv (MIT).",
        "version": "1",
        "sources_sha256": digest,
        "cameo": dict(sorted(table.items())),
        "modes": modes,
    }
    OUTPUT.write_text(json.dumps(resource, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(table)} CAMEO codes, {len(modes)} events, "
          f"{len(lexicon['triggers'])} triggers checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())

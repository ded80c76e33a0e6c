"""Build src/parallax/resources/source_nouns.json: the nouns that name a person or a body, from
WordNet 3.0's lexicographer classes.

Why: a source chain should end at someone a reader could name or describe ("a JetBlue pilot",
"the owner", "security chiefs", "the military"), not at "this", "you", "their return" or
"results" (issue 14). Which common nouns describe people or bodies is a lexical fact that
WordNet records for every noun sense (its lexicographer file: ``noun.person``, ``noun.group``),
so the list is derived from it instead of being grown one error at a time. A noun counts when any
of its senses is a person or a body ("owner", "witness", "the head" of an agency, "security
forces", "the leadership"): the list decides what a chain may drop, so it errs on the side of
keeping a source ("year" and "image" stay in by a rare sense; "return", "results", "review",
"passport" and "rhetoric" have no such sense). The class (person or group) is the first such
sense's.

Source: Debian's ``wordnet-base`` package (``apt-get install wordnet-base``; the Princeton
WordNet 3.0 database in /usr/share/wordnet), read directly: no download, no Python package.
Only common nouns of one word are kept (a name, "Aaron" or "AARP", is written capitalised in
WordNet and left to the entity recogniser), lower case. The WordNet licence asks that its
notice go with every copy of the database or of work derived from it: the resource carries it.

Run: .venv/bin/python scripts/build_source_nouns.py [--wordnet DIR] (rewrites the resource;
deterministic: sorted lists).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "parallax" / "resources" / "source_nouns.json"
WORDNET = Path("/usr/share/wordnet")
CLASSES = {"noun.person": "person", "noun.group": "group"}
# WordNet 3.0's lexicographer file numbers (lexnames), as data.noun gives them.
LEXNAMES = {18: "noun.person", 14: "noun.group"}
NOTICE = (
    "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND "
    "DATABASE IS PROVIDED \"AS IS\" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, "
    "EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO "
    "REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT "
    "THE USE OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY "
    "PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS. The name of Princeton University or Princeton "
    "may not be used in advertising or publicity pertaining to distribution of the software and/or "
    "database. Title to copyright in this software, database and any associated documentation shall "
    "at all times remain with Princeton University and LICENSEE agrees to preserve same. Permission "
    "to use, copy, modify and distribute this software and database and its documentation for any "
    "purpose and without fee or royalty is hereby granted, provided that you agree to comply with "
    "this copyright notice and statements, including the disclaimer, and that the same appear on ALL "
    "copies of the software, database and documentation, including modifications that you make for "
    "internal use or for distribution."
)


def synsets(wordnet: Path) -> dict[str, tuple[int, frozenset[str]]]:
    """Noun synset offset -> (its lexicographer file number, its words as written) (data.noun)."""
    found = {}
    with (wordnet / "data.noun").open(encoding="latin-1") as data:
        for line in data:
            if line.startswith("  "):  # the licence header
                continue
            fields = line.split()
            count = int(fields[3], 16)
            words = frozenset(fields[4 + 2 * k] for k in range(count))
            found[fields[0]] = (int(fields[1]), words)
    return found


def senses(wordnet: Path) -> dict[str, list[str]]:
    """Noun lemma -> the synset offsets of its senses (index.noun)."""
    found = {}
    with (wordnet / "index.noun").open(encoding="latin-1") as index:
        for line in index:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, pointers = fields[0], int(fields[3])
            found[lemma] = fields[4 + pointers + 2:]
    return found


def build(wordnet: Path) -> dict[str, object]:
    found = synsets(wordnet)
    lists: dict[str, list[str]] = {name: [] for name in CLASSES.values()}
    for lemma, offsets in senses(wordnet).items():
        if "_" in lemma or not lemma.isascii() or not lemma[:1].isalpha():
            continue
        for offset in offsets:
            lexfile, words = found[offset]
            lexname = LEXNAMES.get(lexfile)
            # A sense written capitalised is a name ("Aaron", "AARP"), the entity recogniser's business.
            if lexname is not None and lemma in words:
                lists[CLASSES[lexname]].append(lemma)
                break
    return {
        "_about": "Common nouns with a WordNet 3.0 sense that is a person (noun.person) or a body "
                  "(noun.group), single words, lower case; built by scripts/build_source_nouns.py "
                  "from Debian's wordnet-base. Read by annotate/chains.py: a source chain link must name "
                  "or describe a person or body.",
        "_license": NOTICE,
        **{name: sorted(set(words)) for name, words in lists.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=WORDNET, help="WordNet 3.0 database directory")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not (args.wordnet / "data.noun").is_file():
        print(f"no WordNet database at {args.wordnet} (apt-get install wordnet-base)", file=sys.stderr)
        return 1
    built = build(args.wordnet)
    args.out.write_text(json.dumps(built, ensure_ascii=False, indent=0) + "\n", "utf-8")
    print(f"{args.out}: {len(built['person'])} person nouns, {len(built['group'])} group nouns")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())

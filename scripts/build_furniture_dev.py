"""Derive a plain-text furniture dev set from trafilatura's evaluation pages.

Why: the plain-text cleaner sees what a text dump of a web page looks like (every visible
block on its own line, menus and footers included), but no labelled set of such dumps exists.
trafilatura's eval set (``../shared/data/extraction-dev``) labels snippets of 990 pages as
body ("with") or boilerplate ("without"); rendering each page's visible text one block per
line turns those snippets into line labels.

The output is third-party text, so it goes to a gitignored path (``build/`` by default),
never into the repository. Run: ``.venv/bin/python scripts/build_furniture_dev.py [OUT]``.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from lxml import html as lxml_html
from trafilatura.utils import load_html

REPO = Path(__file__).resolve().parents[1]
DEV_DIR = REPO / ".." / "shared" / "data" / "extraction-dev"
DEFAULT_OUT = REPO / "build" / "furniture-dev.jsonl"

# Elements whose text a browser never shows.
INVISIBLE = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas")
# Elements that start a new line in a rendered page (a text browser breaks at these).
BLOCKS = frozenset(
    "address article aside blockquote body br caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main nav "
    "ol option p pre section summary table tbody td tfoot th thead title tr ul".split()
)
SPACES = re.compile(r"\s+")


def _walk(element: lxml_html.HtmlElement, out: list[str]) -> None:
    """Append the element's text to ``out``, with "\\n" marks at block boundaries."""
    tag = element.tag if isinstance(element.tag, str) else ""
    is_block = tag.lower() in BLOCKS
    if is_block:
        out.append("\n")
    # Line breaks in the HTML source are spaces on screen: only block boundaries break lines.
    if element.text and isinstance(element.tag, str):
        out.append(SPACES.sub(" ", element.text))
    for child in element:
        if isinstance(child.tag, str) and child.tag.lower() not in INVISIBLE:
            _walk(child, out)
        if child.tail:
            out.append(SPACES.sub(" ", child.tail))
    if is_block:
        out.append("\n")


def visible_lines(page: bytes) -> list[str]:
    """The page's visible text, one block per line, whitespace collapsed, blank lines dropped."""
    tree = load_html(page)
    if tree is None:
        return []
    body = tree.find(".//body")
    parts: list[str] = []
    _walk(body if body is not None else tree, parts)
    lines = (SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def normalise(text: str) -> str:
    """Whitespace-collapsed text, the form snippets are matched in."""
    return SPACES.sub(" ", text).strip()


def dev_records(dev_dir: Path = DEV_DIR) -> Iterator[dict]:
    """One record per evaluation page: its url, rendered lines and labelled snippets."""
    evaldata = json.loads((dev_dir / "evaldata.json").read_text("utf-8"))
    for url, entry in evaldata.items():
        path = dev_dir / "html" / f"{entry['file']}.gz"
        if not path.exists():
            continue
        page = gzip.decompress(path.read_bytes())
        meta_article = b'og:type" content="article' in page or b"og:type' content='article" in page
        yield {
            "url": url,
            "file": entry["file"],
            "og_article": meta_article,
            "lines": visible_lines(page),
            "with": [normalise(s) for s in entry.get("with", []) if normalise(s)],
            "without": [normalise(s) for s in entry.get("without", []) if normalise(s)],
        }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for count, record in enumerate(dev_records(), start=1):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {count} pages to {out}")


if __name__ == "__main__":
    main()

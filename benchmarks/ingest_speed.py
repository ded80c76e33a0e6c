"""Ingest speed end to end (read → clean → store) for plain text, HTML and WARC inputs.

Text: the VOA stories written out as one .txt file each (title line, blank line, body).
HTML: the extraction-dev pages (../shared/data/extraction-dev/html/*.html.gz).
WARC: the same pages wrapped as WARC response records in one .warc.gz.
Each kind is ingested into a fresh SQLite store on this machine; the figure is articles per
second of wall time over every input (skips included, since they cost time too).

    .venv/bin/python benchmarks/ingest_speed.py [--limit N]
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax import jobs
from parallax.settings import load_options
from parallax.store import open_store

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
GDELT_PER_SECOND = 2.3  # ≈ 200k articles/day (SPEC.md)


def write_text_inputs(folder: Path) -> None:
    for line in (DATA / "voa" / "voa_stories.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        (folder / f"{record['id']}.txt").write_text(f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")


def html_pages(limit: int | None) -> list[tuple[str, Path]]:
    evaldata = json.loads((DATA / "extraction-dev" / "evaldata.json").read_text(encoding="utf-8"))
    pages = [(url, DATA / "extraction-dev" / "html" / f"{entry['file']}.gz") for url, entry in sorted(evaldata.items())]
    pages = [(url, path) for url, path in pages if path.exists()]
    return pages[:limit] if limit else pages


def write_html_inputs(folder: Path, pages: list[tuple[str, Path]]) -> None:
    for n, (_, path) in enumerate(pages):
        (folder / f"{n:04d}.html.gz").write_bytes(path.read_bytes())


def write_warc(path: Path, pages: list[tuple[str, Path]]) -> None:
    """Some eval keys are labels ("hard::site.html"), not URLs: a crawler would have a URL."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, (key, page) in enumerate(pages):
            url = key if key.startswith(("http://", "https://")) else f"https://example.org/page/{n}"
            body = gzip.decompress(page.read_bytes())
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)


def measure(name: str, source: Path, workdir: Path) -> tuple[str, int, int, float]:
    options = load_options(per_host_interval=0)
    with open_store(str(workdir / f"{name}.db")) as store:
        start = time.perf_counter()
        summary = jobs.ingest([str(source)], store, options)
        elapsed = time.perf_counter() - start
    total = summary.ingested + summary.duplicate + len(summary.skipped)
    return name, total, summary.ingested, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="use only the first N HTML pages")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    pages = html_pages(args.limit)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for sub in ("text", "html"):
            (work / sub).mkdir()
        write_text_inputs(work / "text")
        write_html_inputs(work / "html", pages)
        write_warc(work / "pages.warc.gz", pages)
        results.append(measure("text", work / "text", work))
        results.append(measure("html", work / "html", work))
        results.append(measure("warc", work / "pages.warc.gz", work))
    print(f"{'input':6} {'inputs':>7} {'stored':>7} {'seconds':>8} {'articles/s':>11}")
    for name, total, stored, elapsed in results:
        print(f"{name:6} {total:7d} {stored:7d} {elapsed:8.1f} {total / elapsed:11.1f}")
    print(f"anchor: GDELT ≈ {GDELT_PER_SECOND} articles/s")
    print("  ".join(f"{name} {total / elapsed:.1f}/s" for name, total, _, elapsed in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

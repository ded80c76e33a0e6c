"""Fuzzing every reader: generated hostile inputs through ingest, counting what must never happen.

Generates ``--inputs`` (default 10,000) inputs across every kind Parallax reads, from seeds in
the repository (the bundled VOA stories, the test pages) and from nothing: HTML (mutated pages,
tag soup, deep nesting, tag floods, stray NULs and surrogates in entities, legacy encodings),
plain text (control characters, a one-line dump over the article cap, binary junk), JSON lines
(lone-surrogate escapes in every field, deep nesting, bad lines between good ones, non-object
lines), sidecars (deep, broken, hostile values), WARC (well-formed, cut short, a "WARC/1.0" line
then junk, bad HTTP status lines), RSS/Atom (items linking inward, entity bombs, cut feeds), and
any of them gzipped whole, truncated, or as a gzip bomb. Each input is ingested (read, cleaned,
stored) into a real SQLite store, in a worker process watched by the parent; with
``--annotate`` each is ingested as ``parallax ingest`` does it, annotating (spaCy, entities,
quotes, claims, events, time expressions, within ``document_seconds``) and embedding what it
adds (``jobs.ingest(annotate=True)``, the one path), so hostile text reaches the annotator, and
a ninth kind is added: prose built for the annotator's rules (impossible times, counts of
thousands of digits, unbalanced and nested quotes, attribution chains, endless sentences):

- crash: an exception out of ``jobs.ingest`` (a run-ending traceback);
- hang: one input past ``--hang-seconds`` (the worker is killed and the run goes on);
- silent drop: an input that ends as neither an article nor a Skip line, or a JSON-lines input
  with fewer outcomes than lines (every record is an article or a numbered line); with
  ``--annotate``, also an article it added that is neither annotated nor recorded with a
  numbered reason (E197 on the article, retried by the next run);
- peak RSS: the largest resident set of any worker.

Then the same inputs go through the plain libraries alone (``json.loads`` per line, warcio,
feedparser, trafilatura) for comparison: how many of them end in an exception there. Each
input's kind and seed is printed for every failure, so it can be made again
(``make_input(kind, random.Random(seed))``).
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import multiprocessing
import multiprocessing.process
import queue
import random
import re
import resource
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parallax.store import Store

ROOT = Path(__file__).resolve().parents[1]
VOA = ROOT / "data" / "demo" / "voa" / "voa_stories.jsonl"
PAGES = sorted((ROOT / "tests" / "fixtures" / "web" / "news").glob("*.html"))

# Inputs between two progress lines on stderr.
PROGRESS_EVERY = 250

KINDS = ("html", "text", "jsonl", "sidecar", "warc", "feed", "gzip", "binary")
# With --annotate, a ninth kind: plain text built for the annotator's rules (``prose_input``).
ANNOTATOR_KINDS = (*KINDS, "prose")
HOSTILE = ["\x00", "\ud800", "\udfff", "\ufffe", "\x07", "\x1b[31m", "\u202e", "\r", "\x85", "&#0;", "&#xD800;",
           "<script>alert(1)</script>", "javascript:alert(1)", "\u0000\u0001", "𝕏", "\ufeff"]
ENCODINGS = ["utf-8", "utf-16", "latin-1", "cp1251", "shift_jis", "gb18030", "utf-32"]


# -- seeds -------------------------------------------------------------------------------------
def _texts() -> list[str]:
    return [json.loads(line)["text"] for line in VOA.open(encoding="utf-8")]


def _pages() -> list[bytes]:
    return [p.read_bytes() for p in PAGES]


TEXTS = _texts()
SEED_PAGES = _pages()


# -- generators: one input as (file name, bytes, extra files beside it) -------------------------
def _noise(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HOSTILE) if rng.random() < 0.3 else chr(rng.randrange(32, 0x2FFF)) for _ in range(n))


def _mutate(rng: random.Random, data: bytes) -> bytes:
    """Byte-level damage: cuts, repeats, flips, inserted hostile strings."""
    damaged = bytearray(data)
    for _ in range(rng.randrange(1, 8)):
        if not damaged:
            break
        at = rng.randrange(len(damaged))
        choice = rng.random()
        if choice < 0.25:
            damaged[at] = rng.randrange(256)
        elif choice < 0.5:
            damaged[at:at] = _noise(rng, rng.randrange(1, 20)).encode("utf-8", "surrogatepass")
        elif choice < 0.7:
            del damaged[at:at + rng.randrange(1, 200)]
        elif choice < 0.85:
            span = bytes(damaged[at:at + rng.randrange(1, 50)])
            damaged[at:at] = span * rng.randrange(1, 50)
        else:
            del damaged[at:]
    return bytes(damaged)


def html_input(rng: random.Random) -> tuple[str, bytes]:
    text = rng.choice(TEXTS)
    style = rng.randrange(7)
    if style == 0:
        body = rng.choice(SEED_PAGES)
    elif style == 1:
        depth = rng.choice([10, 300, 5_000, 50_000])
        body = ("<html><body>" + "<div>" * depth + text + "</div>" * depth + "</body></html>").encode()
    elif style == 2:
        body = ("<html><body><article>" + "<b>x</b>" * rng.choice([10, 1_000, 100_000, 300_000]) + text + "</article></body></html>").encode()
    elif style == 3:
        soup = "".join(rng.choice(["<p>", "</p>", "<div", ">", "<", "&amp", "&#", "<!--", "-->", "<![CDATA[", "]]>",
                                   "<script>", "</script>", "<style>", text[:200], _noise(rng, 10)]) for _ in range(rng.randrange(10, 3_000)))
        body = soup.encode("utf-8", "surrogatepass")
    elif style == 4:
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p)
        page = f'<html><head><meta charset="{rng.choice(ENCODINGS)}"><title>{_noise(rng, 20)}</title></head><body><article>{paragraphs}</article></body></html>'
        body = page.encode(rng.choice(ENCODINGS), "replace")
    elif style == 5:
        body = ("<html><body><p>" + text + "</p>" * 3 + "</body></html>").encode() * rng.randrange(1, 400)
    else:
        body = ("<p>" + ("&#xD800;&#0;\x00" + text) * rng.randrange(1, 5) + "</p>").encode("utf-8", "surrogatepass")
    return "page.html", _mutate(rng, body) if rng.random() < 0.5 else body


def text_input(rng: random.Random) -> tuple[str, bytes]:
    text = rng.choice(TEXTS)
    style = rng.randrange(5)
    if style == 0:
        body = text.encode(rng.choice(ENCODINGS), "replace")
    elif style == 1:
        body = (text + _noise(rng, 200)).encode("utf-8", "surrogatepass")
    elif style == 2:
        body = (text.replace("\n", " ") * rng.choice([10, 1_000, 5_000])).encode()  # one long line; past the cap
    elif style == 3:
        body = ("\n" * rng.randrange(1, 1000) + text + "\x00" * rng.randrange(0, 50)).encode()
    else:
        body = _mutate(rng, text.encode())
    return "article.txt", body


def _record(rng: random.Random) -> str:
    text = rng.choice(TEXTS)
    fields = {"id": rng.choice([rng.randrange(10**6), _noise(rng, 5), None, [1], 1.5]),
              "text": rng.choice([text, text + "\ud800", "", None, 5, {"a": 1}, _noise(rng, 300) + text]),
              "title": rng.choice([_noise(rng, 30), "Title \udc00", None, 7, "x" * 10_000]),
              "url": rng.choice(["https://example.org/\ud800", "javascript:alert(1)", "http://127.0.0.1/x", None, "https://example.org/a"]),
              "outlet": rng.choice(["Out\ud83dlet", _noise(rng, 10), None]),
              "published": rng.choice(["2024-13-45", "yesterday", "\x00", None, "2024-03-01", 99999999999999999999])}
    line = json.dumps({k: v for k, v in fields.items() if v is not None or rng.random() < 0.2})
    style = rng.randrange(10)
    if style == 0:
        depth = rng.choice([70, 1_000, 100_000])
        return '{"text": "x", "a": ' + "[" * depth + "]" * depth + "}"
    if style == 1:
        return line[: rng.randrange(1, len(line) + 1)]
    if style == 2:
        return rng.choice(["[1, 2]", "null", "7", '"text"', "{}", "{", "\x00\x00"])
    return line


def jsonl_input(rng: random.Random) -> tuple[str, bytes]:
    lines = [_record(rng) for _ in range(rng.randrange(1, 30))]
    return "records.jsonl", ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def sidecar_input(rng: random.Random) -> tuple[str, bytes, dict[str, bytes]]:
    name, body = text_input(rng)
    choice = rng.randrange(4)
    if choice == 0:
        meta = '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}"
    elif choice == 1:
        meta = json.dumps({"title": "T\ud800", "url": "https://a.example/\udfff", "outlet": _noise(rng, 20), "published": "\x00"})
    elif choice == 2:
        meta = _noise(rng, 100)
    else:
        meta = json.dumps([1, 2, 3])
    return name, body, {name + ".meta.json": meta.encode("utf-8", "surrogatepass")}


def warc_input(rng: random.Random) -> tuple[str, bytes]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    style = rng.randrange(6)
    if style == 0:
        return "crawl.warc", b"WARC/1.0\r\n" + rng.randbytes(rng.randrange(0, 5_000))
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=rng.random() < 0.5)
    for n in range(rng.randrange(1, 6)):
        page = rng.choice(SEED_PAGES) if rng.random() < 0.7 else rng.choice(TEXTS).encode()
        status = "200 OK" if style != 1 else rng.choice(["200 OK", "garbage", "999 What", ""])
        http = StatusAndHeaders(status, [("Content-Type", rng.choice(["text/html; charset=utf-8", "text/plain", "image/png", "text/html; charset=\x00"]))],
                                protocol=rng.choice(["HTTP/1.1", "HTTP/1.1", "FTP/9"]))
        record = writer.create_warc_record(f"https://example.org/{n}", "response", payload=io.BytesIO(page), http_headers=http)
        writer.write_record(record)
    data = buffer.getvalue()
    if style == 2:
        data = data[: rng.randrange(1, len(data))]
    elif style == 3:
        data = _mutate(rng, data)
    elif style == 4:
        data += rng.randbytes(rng.randrange(1, 500))
    return "crawl.warc.gz" if data[:2] == b"\x1f\x8b" else "crawl.warc", data


def feed_input(rng: random.Random) -> tuple[str, bytes]:
    items = "".join(
        f"<item><title>{rng.choice(['T', _noise(rng, 10).replace('<', ''), '&bomb;'])}</title>"
        f"<link>{rng.choice(['http://127.0.0.1:9/a', 'http://169.254.169.254/', 'gopher://x/', '', 'http://10.0.0.1/'])}</link></item>"
        for _ in range(rng.randrange(0, 8)))
    style = rng.randrange(4)
    prolog = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY bomb "&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' if style == 0 else '<?xml version="1.0" encoding="utf-8"?>')
    if rng.random() < 0.5:
        body = f'{prolog}<rss version="2.0"><channel><title>&xxe;</title>{items}</channel></rss>' if style == 0 else \
            f'{prolog}<rss version="2.0"><channel><title>Feed</title>{items}</channel></rss>'
    else:
        entries = items.replace("<item>", "<entry>").replace("</item>", "</entry>")
        body = f'{prolog}<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>{entries}</feed>'
    data = body.encode("utf-8", "surrogatepass")
    if style == 1:
        data = data[: rng.randrange(1, len(data))]
    elif style == 2:
        data = _mutate(rng, data)
    return "feed.xml", data


def gzip_input(rng: random.Random) -> tuple[str, bytes]:
    name, body = rng.choice([html_input, text_input, jsonl_input, feed_input])(rng)
    style = rng.randrange(4)
    if style == 0:  # a bomb: megabytes of zeros (or of one short line) in a few kilobytes
        filler = b"\x00" if rng.random() < 0.5 else b'{"text": ""}\n'
        body = filler * (rng.choice([2, 60, 300]) * 1_000_000 // len(filler))
    data = gzip.compress(body, compresslevel=rng.choice([1, 9]))
    if style == 1:
        data = data[: rng.randrange(1, len(data))]
    elif style == 2:
        data = _mutate(rng, data)
    return name + ".gz", data


# Phrases the annotator's rules read (times, quotes, counts, attributions), made hostile.
PROSE = ["at 25:61 on February 30, 99999", "in the year 0", "from 2099 to 1899", "Q7 2024", "the 45th of Smarch",
         "2024-13-45T99:99:99Z", "last 99999999999 years", "every 3rd Tuesday since 10,000 BC", "yesterday's tomorrow",
         "1" + "0" * 5_000 + " people were killed", "at least -5 soldiers", "about 1.5e308 jobs", "three dozen dozen",
         '"', "\u201c", "\u201d", "'", "\u00ab", "said", "said that", "according to", "told reporters", "denied that",
         "did not say whether", "the ministry said", "Putin,", "(", ")", "--", "\u2026", "e\u0301" * 50, "\u200d" * 20,
         "\u202e", "\ufffd", "\t", "\x0c", "U.S.", "No.", "a.m.", "Mr."]


def prose_input(rng: random.Random) -> tuple[str, bytes]:
    """Text built to reach the annotator's rules with what they parse made hostile: broken and
    impossible times, counts of thousands of digits, unbalanced and deeply nested quotes, chains
    of attributions, one sentence of thousands of words, the same name thousands of times."""
    words = rng.choice(TEXTS).split(" ")
    style = rng.randrange(5)
    if style == 0:  # hostile phrases spliced in between the words
        for _ in range(rng.randrange(1, 200)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(PROSE))
        text = " ".join(words)
    elif style == 1:  # quotes opened and never closed, or nested deep
        depth = rng.choice([5, 100, 2_000])
        text = " ".join(words[:50]) + ' he said, "' + ' she said, "'.join(words[50:50 + depth] or ["x"]) + " " + " ".join(words[50:])
    elif style == 2:  # one sentence of thousands of words: no full stop at all
        text = " ".join(w.strip(".?!") for w in words) * rng.choice([1, 5, 20])
    elif style == 3:  # one phrase many times over
        text = " ".join(words[:30]) + " " + (rng.choice(PROSE) + " ") * rng.choice([100, 2_000, 20_000])
    else:  # chains of attribution: X said Y told Z that ...
        text = " ".join(f"{rng.choice(['Putin', 'the ministry', 'officials', 'he', 'Acme Corp'])} "
                        f"{rng.choice(['said', 'told reporters', 'denied that', 'claimed'])}" for _ in range(rng.choice([10, 500, 5_000]))) + ". " + " ".join(words)
    return "article.txt", text.encode("utf-8", "surrogatepass")


def binary_input(rng: random.Random) -> tuple[str, bytes]:
    head = rng.choice([b"", b"%PDF-1.4", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"SQLite format 3\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<"])
    return rng.choice(["x.bin", "x.html", "x.txt", "x.jsonl"]), head + rng.randbytes(rng.randrange(0, 20_000))


GENERATORS: dict[str, Callable[[random.Random], tuple]] = {
    "html": html_input, "text": text_input, "jsonl": jsonl_input, "sidecar": sidecar_input,
    "warc": warc_input, "feed": feed_input, "gzip": gzip_input, "binary": binary_input, "prose": prose_input,
}


def make_input(kind: str, rng: random.Random) -> tuple[str, bytes, dict[str, bytes]]:
    """One generated input of ``kind``: its file name, its bytes and any files beside it."""
    made = GENERATORS[kind](rng)
    return (made[0], made[1], made[2] if len(made) == 3 else {})


# -- running -----------------------------------------------------------------------------------
def _unannotated(store: Store, article_ids: list[int]) -> list[str]:
    """Of the articles an annotating ingest added, those neither annotated by the current
    annotator nor recorded as failed with a numbered reason: what it dropped without a word."""
    from parallax.annotate import ANNOTATOR_VERSION

    return [f"article {article_id}" for article_id in article_ids
            if store.annotation_version(article_id) != ANNOTATOR_VERSION
            and not any(f.stage == "annotate" and re.match(r"E\d{3} ", f.reason) for f in store.article_failures(article_id))]


def _worker(tasks: multiprocessing.Queue, results: multiprocessing.Queue, folder: str, annotate: bool) -> None:
    """Ingest each task's input into one store (annotating what it adds when ``annotate``);
    report (index, outcomes, jsonl lines, error, articles annotated, failed, left unannotated)."""
    from parallax import jobs
    from parallax.settings import load_options
    from parallax.store import open_store

    options = load_options()
    with open_store(str(Path(folder) / f"store-{multiprocessing.current_process().pid}.db")) as store:
        while (task := tasks.get()) is not None:
            index, kind, seed = task
            name, data, beside = make_input(kind, random.Random(seed))
            where = Path(folder) / f"in-{index}"
            where.mkdir()
            (where / name).write_bytes(data)
            for other, content in beside.items():
                (where / other).write_bytes(content)
            lines = 0
            annotated, failed, silent = 0, [], []
            try:
                summary = jobs.ingest([str(where / name)], store, options, annotate=annotate)
                outcomes = summary.ingested + summary.duplicate + len(summary.skipped)
                error = None
                whole_file_refused = any(skip.origin == str(where / name) for skip in summary.skipped)
                if name == "records.jsonl" and not whole_file_refused:  # every line an outcome
                    lines = len([line for line in data.split(b"\n") if line.strip()])
                if annotate:
                    silent = _unannotated(store, summary.article_ids)
                    annotated = summary.annotated
                    failed = [f.reason.split(":")[0][:80] for article_id in summary.article_ids
                              for f in store.article_failures(article_id) if f.stage == "annotate"]
            except Exception as exc:  # noqa: BLE001 - what the benchmark counts
                outcomes, error = 0, f"{type(exc).__name__}: {str(exc)[:200]}"
            results.put((index, outcomes, lines, error, annotated, failed, silent))


HANG = "hang"


def _next_result(results: multiprocessing.Queue, worker: multiprocessing.process.BaseProcess,
                 hang_seconds: float) -> tuple | str:
    """The worker's next result; ``HANG`` when none comes within ``hang_seconds``, or why there
    will be none when the worker is gone without one (killed by the kernel for its memory, a
    crash in C code): a crash, not a hang to wait out."""
    deadline = time.monotonic() + hang_seconds
    while True:
        try:
            return results.get(timeout=max(0.0, min(1.0, deadline - time.monotonic())))
        except queue.Empty:
            if not worker.is_alive():
                try:
                    return results.get(timeout=1)  # what it put just before it ended
                except queue.Empty:
                    return f"its worker died (exit code {worker.exitcode})"
            if time.monotonic() >= deadline:
                return HANG


def run_ours(inputs: list[tuple[int, str, int]], hang_seconds: float, annotate: bool = False) -> dict[str, object]:
    """Every input ingested in a watched worker; failures by kind, the articles annotated and
    failed with their reason (``annotate``), and the workers' peak RSS."""
    context = multiprocessing.get_context("spawn")
    crashes: list[str] = []
    hangs: list[str] = []
    drops: list[str] = []
    done = annotated = 0
    failed: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="parallax-fuzz-") as folder:
        pending = list(inputs)
        while pending:
            tasks, results = context.Queue(), context.Queue()
            for task in pending:
                tasks.put(task)
            tasks.put(None)
            worker = context.Process(target=_worker, args=(tasks, results, folder, annotate))
            worker.start()
            finished: set[int] = set()
            position = 0
            while position < len(pending):
                index, kind, seed = pending[position]
                result = _next_result(results, worker, hang_seconds)
                if isinstance(result, str):  # the worker is stuck on this input, or died of it
                    (hangs if result == HANG else crashes).append(f"{kind} seed {seed}" + ("" if result == HANG else f": {result}"))
                    worker.kill()
                    worker.join()
                    finished.add(index)
                    position += 1
                    break
                got, outcomes, lines, error, annotated_now, failed_now, silent = result
                finished.add(got)
                position += 1
                done += 1
                annotated += annotated_now
                failed.update(failed_now)
                if done % PROGRESS_EVERY == 0:
                    print(f"  {done} inputs: crashes {len(crashes)}, hangs {len(hangs)}, drops {len(drops)}",
                          file=sys.stderr, flush=True)
                if error is not None:
                    crashes.append(f"{kind} seed {seed}: {error}")
                elif outcomes == 0 or (lines and outcomes < lines):
                    drops.append(f"{kind} seed {seed}: {outcomes} outcomes for {lines or 1} expected")
                elif silent:
                    drops.append(f"{kind} seed {seed}: {', '.join(silent)} neither annotated nor failed with a code")
            else:
                worker.join()
            pending = [t for t in pending if t[0] not in finished]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    return {"done": done, "crashes": crashes, "hangs": hangs, "drops": drops, "peak_mb": peak,
            "annotated": annotated, "failed": failed}


def run_plain(inputs: list[tuple[int, str, int]]) -> Counter[str]:
    """The inputs through the plain libraries alone: how many raise, by kind. (Those that would
    hang or exhaust memory there are not run: the bombs and floods, named in the count.)"""
    import feedparser
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    raised: Counter[str] = Counter()
    for _index, kind, seed in inputs:
        name, data, beside = make_input(kind, random.Random(seed))
        if len(data) > 2_000_000 or data.count(b"<") > 200_000 or kind == "gzip":
            raised["not run (bomb or flood)"] += 1
            continue
        try:
            if name.endswith(".jsonl"):
                for line in data.splitlines():
                    if line.strip():
                        record = json.loads(line)
                        str(record.get("title", "")).encode("utf-8")  # what a store or terminal does with it
            elif "warc" in name:
                for record in ArchiveIterator(io.BytesIO(data)):
                    record.content_stream().read()
            elif name.endswith(".xml"):
                feedparser.parse(io.BytesIO(data))
            elif beside:
                for content in beside.values():
                    json.loads(content)
            else:
                text = trafilatura.extract(data.decode("utf-8", "surrogateescape")) or ""
                text.encode("utf-8")
        except Exception:  # noqa: BLE001 - what the comparison counts
            raised[kind] += 1
    return raised


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--hang-seconds", type=float, default=120.0)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain-library comparison")
    parser.add_argument("--annotate", action="store_true",
                        help="annotate and embed what each input adds, as parallax ingest does")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    kinds = ANNOTATOR_KINDS if args.annotate else KINDS
    inputs = [(n, kinds[n % len(kinds)], rng.randrange(2**32)) for n in range(args.inputs)]
    started = time.monotonic()
    ours = run_ours(inputs, args.hang_seconds, args.annotate)
    seconds = time.monotonic() - started
    for label in ("crashes", "hangs", "drops"):
        for line in ours[label][:20]:  # type: ignore[index]
            print(f"{label[:-1]}: {line}")
    if not args.no_plain:
        plain = run_plain(inputs)
        print("plain libraries alone (json.loads, warcio, feedparser, trafilatura): exceptions by kind "
              + ", ".join(f"{k} {v}" for k, v in sorted(plain.items())) + f"; total {sum(v for k, v in plain.items() if not k.startswith('not run'))}")
    if args.annotate:
        failed = ours["failed"]
        assert isinstance(failed, Counter)
        print(f"annotation: {ours['annotated']} articles annotated, {sum(failed.values())} stored unannotated with a "
              "numbered reason" + "".join(f"\n  {count} x {reason}" for reason, count in failed.most_common()))
    print(f"fuzz.py --inputs {args.inputs} --seed {args.seed}{' --annotate' if args.annotate else ''}: {ours['done']} inputs "
          f"ingested{' and annotated' if args.annotate else ''} in {seconds:.0f} s ({len(kinds)} kinds); crashes {len(ours['crashes'])}, hangs (> {args.hang_seconds:g} s) {len(ours['hangs'])}, "  # type: ignore[arg-type]
          f"silent drops {len(ours['drops'])}, peak RSS {ours['peak_mb']:.0f} MB")  # type: ignore[arg-type]
    return 0 if not (ours["crashes"] or ours["hangs"] or ours["drops"]) else 1


if __name__ == "__main__":
    sys.exit(main())

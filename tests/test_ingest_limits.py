"""Every reader is total: hostile inputs end as one numbered Skip each (or a sanitised article),
the records after them are still read, and nothing reaches the store that it cannot hold."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from parallax.clean.encoding import sanitize
from parallax.ingest import read_sources
from parallax.jobs import clean_one, ingest
from parallax.model import Article, RawDocument, Skip
from parallax.settings import load_options
from parallax.store import open_store

TEXT = "The council met on Tuesday and agreed to keep the bridge closed until repairs are done. " * 3


def _read(path: Path, **overrides: object) -> list[RawDocument | Skip]:
    return list(read_sources([str(path)], load_options(**overrides)))


def test_sanitize_replaces_lone_surrogates_and_drops_controls() -> None:
    assert sanitize("a\ud800b\x00c\x07d\ufffee\tf\ng") == "a\ufffdbcde\tf\ng"
    assert sanitize("plain ascii") == "plain ascii"
    assert sanitize("😀 stays") == "😀 stays"  # a surrogate pair decoded by JSON is one character


def test_lone_surrogates_in_a_record_are_sanitised_and_stored(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"id": 1, "text": TEXT + "\ud800", "title": "Bad \udc00 title",
                         "url": "https://example.org/\ud800", "outlet": "Out\ud83dlet"}),
             json.dumps({"id": 2, "text": TEXT.replace("bridge", "tunnel") + "\x00\x01", "title": "Fine"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = _read(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.hints["title"] == "Bad \ufffd title" and first.hints["outlet"] == "Out\ufffdlet"
    assert first.url == "https://example.org/\ufffd"
    assert b"\x00" not in second.body and second.body.decode("utf-8").endswith("done. ")
    with open_store(str(tmp_path / "p.db")) as store:
        summary = ingest([str(path)], store, load_options())
        assert (summary.ingested, len(summary.skipped)) == (2, 0)
        again = ingest([str(path)], store, load_options())  # a rerun does not fail either
        assert (again.ingested, again.duplicate) == (0, 2)


def test_a_deeply_nested_line_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    deep = '{"id": 1, "text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    brackets_in_strings = json.dumps({"id": 2, "text": TEXT, "note": "[" * 500})
    lines = [deep, brackets_in_strings, json.dumps({"id": 3, "text": TEXT})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second, third = _read(path)
    assert first == Skip(f"{path}#1", "E117 JSON nested deeper than 64 levels (max_json_depth)")
    assert isinstance(second, RawDocument) and isinstance(third, RawDocument)


def test_a_deeply_nested_sidecar_is_ignored_and_its_file_read(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text('{"title": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    skip, doc = _read(page)
    assert isinstance(skip, Skip) and skip.reason.startswith("E117") and skip.reason.endswith("(sidecar ignored)")
    assert isinstance(doc, RawDocument) and doc.hints == {}


def test_a_warc_line_followed_by_junk_is_one_skip(tmp_path: Path) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(b"WARC/1.0\r\n" + bytes(range(256)) * 10)
    assert _read(path) == [Skip(f"{path}@0", "E108 broken WARC (a record without WARC-Type or Content-Length)")]


def test_jsonl_of_short_lines_is_capped_as_a_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl.gz"
    line = json.dumps({"id": 1, "text": ""}) + "\n"
    path.write_bytes(gzip.compress(line.encode() * 10_000))
    found = _read(path, max_file_bytes=len(line) * 100)
    assert len(found) == 101  # the 100 lines within the cap (each E107), then one Skip for the rest
    assert found[-1] == Skip(f"{path}#101", f"E104 input larger than the {len(line) * 100} byte cap; lines from 101 on not read")


def test_an_article_over_the_character_cap_is_skipped_with_its_length(tmp_path: Path) -> None:
    options = load_options(max_article_chars=2_000)
    long_text = RawDocument("long.txt", "text/plain", (TEXT * 20).encode())
    assert clean_one(long_text, options) == Skip("long.txt", f"E116 article of {len(TEXT) * 20} characters, over the cap of 2000 (max_article_chars)")
    paragraphs = "".join(f"<p>{TEXT} Paragraph {n}.</p>" for n in range(40))
    page = RawDocument("long.html", "text/html", f"<html><body><article>{paragraphs}</article></body></html>".encode())
    skipped = clean_one(page, options)
    assert isinstance(skipped, Skip) and skipped.reason.startswith("E116 article of ")
    assert isinstance(clean_one(RawDocument("short.txt", "text/plain", TEXT.encode()), options), Article)


def test_a_page_of_too_many_tags_is_skipped_before_parsing() -> None:
    page = RawDocument("tags.html", "text/html", b"<html><body>" + b"<b>x</b>" * 2_000 + b"</body></html>")
    assert clean_one(page, load_options(max_html_tags=1_000)) == Skip("tags.html", "E118 HTML page of more than 1000 tags (max_html_tags)")


def test_cleaning_past_the_time_budget_is_one_skip() -> None:
    paragraphs = "".join(f"<div><p>{TEXT} Paragraph {n}.</p></div>" for n in range(3_000))
    page = RawDocument("slow.html", "text/html", f"<html><body>{paragraphs}</body></html>".encode())
    assert clean_one(page, load_options(document_seconds=0.001)) == Skip("slow.html", "E119 not cleaned within 0.001s (document_seconds)")


def test_a_feed_parsed_past_the_time_budget_is_one_skip(tmp_path: Path) -> None:
    """feedparser has no limit of its own (48 MB of items took it 165 s): the same budget holds."""
    path = tmp_path / "feed.xml"
    items = "".join(f"<item><title>T{n}</title><description>{TEXT}</description></item>" for n in range(5_000))
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>', "utf-8")
    assert _read(path, document_seconds=0.001) == [Skip(str(path), "E120 not read within 0.001s (document_seconds)")]
    assert len(_read(path)) == 5_000  # within the default budget: every item read (each one a Skip: no link)


def test_a_page_nested_past_the_parsers_depth_is_one_skip() -> None:
    """HTML nesting needs no cap of ours (settings.cfg): lxml's parser stops at 256 levels, so a
    page of 60,000 nested elements within the tag cap costs one Skip and little time."""
    depth = 60_000
    page = f"<html><body>{'<div>' * depth}<p>{TEXT}</p>{'</div>' * depth}</body></html>".encode()
    outcome = clean_one(RawDocument("deep.html", "text/html", page), load_options(document_seconds=30))
    assert isinstance(outcome, Skip) and outcome.reason.startswith("E110")


def test_a_file_of_unusable_lines_stops_after_the_skip_cap(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"text": ""}\n' * 1_000_000))  # 13 MB of records without text
    found = _read(path, max_skipped_records=50)
    assert len(found) == 51 and all(s.reason.startswith("E107") for s in found[:50] if isinstance(s, Skip))
    assert found[-1] == Skip(f"{path}#51", "E121 50 records of this input skipped; the rest, from this line on, not read (max_skipped_records)")


def test_an_archive_without_a_page_is_one_skip(tmp_path: Path) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/a.png", "response",
                                                  payload=io.BytesIO(b"\x89PNG"), http_headers=http))
    path = tmp_path / "images.warc"
    path.write_bytes(buffer.getvalue())
    assert _read(path) == [Skip(str(path), "E122 no page in the archive: not one 200 HTML or text response record")]


def test_a_text_file_over_four_bytes_a_character_of_the_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(TEXT.encode() * 100)
    assert _read(path, max_article_chars=1_000) == [
        Skip(str(path), f"E116 article of at least {len(TEXT) * 100 // 4} characters, over the cap of 1000 (max_article_chars)")]

"""WARC input: fixture archives written here with warcio's own writer, whole and truncated."""
from __future__ import annotations

import gzip
import io
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.ingest import read_sources
from parallax.jobs import clean_one, ingest
from parallax.model import RawDocument, Skip
from parallax.settings import load_options
from parallax.store.sqlite import SQLiteStore

OPTIONS = load_options(per_host_interval=0.0)

PAGE = "<html><head><title>Story {n}</title></head><body><p>Story number {n}. " + "Filler text. " * 60 + "</p></body></html>"


def _response(writer: WARCWriter, url: str, body: bytes, *, status: str = "200 OK",
              content_type: str = "text/html; charset=utf-8", last_modified: str | None = None) -> None:
    headers = [("Content-Type", content_type)]
    if last_modified:
        headers.append(("Last-Modified", last_modified))
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": "2024-03-14T21:10:00Z"})
    writer.write_record(record)


def write_crawl(path: Path, *, gzip: bool) -> bytes:
    """Three articles among the records a real crawl also holds (warcinfo, request, image, 404)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "parallax-tests"}))
    _response(writer, "https://example.org/1", PAGE.format(n=1).encode(), last_modified="Thu, 14 Mar 2024 20:00:00 GMT")
    writer.write_record(writer.create_warc_record("https://example.org/2", "request", payload=io.BytesIO(b"GET /2 HTTP/1.1\r\n\r\n")))
    _response(writer, "https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(50), content_type="image/png")
    _response(writer, "https://example.org/gone", b"<html>gone</html>", status="404 Not Found")
    _response(writer, "https://example.org/2", PAGE.format(n=2).encode("cp1252"), content_type="text/html")
    _response(writer, "https://example.org/3.txt", "Story number 3, plain text. Straße.".encode(), content_type="text/plain")
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("gzip", [True, False])
def test_a_crawl_yields_its_200_html_and_text_pages(tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_crawl(path, gzip=gzip)
    documents = list(read_sources([str(path)], OPTIONS))
    assert all(isinstance(document, RawDocument) for document in documents)
    assert [document.url for document in documents] == ["https://example.org/1", "https://example.org/2", "https://example.org/3.txt"]
    first, second, third = documents
    assert first.origin.startswith(f"{path}@")
    assert first.media_type == "text/html" and b"Story number 1." in first.body
    assert first.hints == {"url": "https://example.org/1", "fetched": "2024-03-14T21:10:00Z",
                           "last_modified": "Thu, 14 Mar 2024 20:00:00 GMT", "charset": "utf-8"}
    assert "last_modified" not in second.hints
    assert third.media_type == "text/plain" and third.body.decode("utf-8").endswith("Straße.")


def test_the_origin_offset_finds_the_record_again(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_crawl(path, gzip=True)
    for document in read_sources([str(path)], OPTIONS):
        offset = int(document.origin.rsplit("@", 1)[1])
        with path.open("rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)))
            assert record.rec_headers.get_header("WARC-Target-URI") == document.url


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("keep", [0.5, 0.8])
def test_a_truncated_crawl_yields_what_came_before_then_one_e108(tmp_path, gzip, keep):
    whole = tmp_path / "whole.warc"
    data = write_crawl(whole, gzip=gzip)
    expected = [document.url for document in read_sources([str(whole)], OPTIONS)]
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[: int(len(data) * keep)])
    items = list(read_sources([str(cut)], OPTIONS))
    documents, skips = items[:-1], items[-1]
    assert isinstance(skips, Skip) and skips.reason.startswith("E108 broken WARC")
    assert all(isinstance(document, RawDocument) for document in documents)
    assert [document.url for document in documents] == expected[: len(documents)]
    assert len(documents) < len(expected)


def test_a_record_over_the_page_cap_is_skipped_and_the_rest_read(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_crawl(path, gzip=True)
    items = list(read_sources([str(path)], load_options(max_bytes=100)))
    assert [type(item).__name__ for item in items] == ["Skip", "Skip", "RawDocument"]
    assert items[0].reason == "E104 input larger than the 100 byte cap"


# --- records that cannot be read as what they claim to be


def _raw_response(writer: WARCWriter, url: str, block: bytes) -> str:
    """A response record whose block is written exactly as given; returns its WARC-Record-ID.

    warcio's builder parses (and refuses) a bad HTTP head, so the record is built as a resource
    with the response record's headers; the bytes on disk are those of a response record.
    """
    record_id = f"<urn:uuid:{uuid.uuid4()}>"
    warc_headers = StatusAndHeaders("", [("WARC-Type", "response"), ("WARC-Record-ID", record_id),
                                         ("WARC-Target-URI", url), ("WARC-Date", "2024-03-14T21:10:00Z")],
                                    protocol="WARC/1.0")
    writer.write_record(writer.create_warc_record(url, "resource", payload=io.BytesIO(block), length=len(block),
                                                  warc_content_type="application/http; msgtype=response",
                                                  warc_headers=warc_headers))
    return record_id


BAD_HTTP_HEADS = {
    "not a status line": b"Content-Type: text/html\r\n\r\n" + PAGE.format(n=9).encode(),
    "junk": b"\x00\x17\x8e junk \xff\r\n\r\n" + PAGE.format(n=9).encode(),
    "status not a number": b"HTTP/1.1 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE.format(n=9).encode(),
    "empty block": b"",
}


def write_crawl_with_bad_record(path: Path, block: bytes, *, gzip: bool) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "parallax-tests"}))
    _response(writer, "https://example.org/1", PAGE.format(n=1).encode())
    record_id = _raw_response(writer, "https://example.org/bad", block)
    _response(writer, "https://example.org/3", PAGE.format(n=3).encode())
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue(), record_id


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("case", list(BAD_HTTP_HEADS))
def test_a_response_record_with_unreadable_http_headers_is_one_e114_and_the_rest_is_read(tmp_path, gzip, case):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    _, record_id = write_crawl_with_bad_record(path, BAD_HTTP_HEADS[case], gzip=gzip)
    first, skip, third = read_sources([str(path)], OPTIONS)
    assert isinstance(first, RawDocument) and isinstance(third, RawDocument)
    assert [first.url, third.url] == ["https://example.org/1", "https://example.org/3"]
    assert isinstance(skip, Skip)
    assert skip.reason.startswith(f"E114 WARC response record {record_id} (https://example.org/bad) has unreadable HTTP headers")
    offset = int(skip.origin.rsplit("@", 1)[1])
    with path.open("rb") as handle:
        handle.seek(offset)
        assert next(iter(ArchiveIterator(handle))).rec_headers.get_header("WARC-Record-ID") == record_id


def test_an_unreadable_record_counts_as_skipped_in_the_run_summary(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_crawl_with_bad_record(path, BAD_HTTP_HEADS["junk"], gzip=True)
    with SQLiteStore(tmp_path / "store.db") as store:
        summary = ingest([str(path)], store, OPTIONS)
    assert summary.ingested == 2
    assert [skip.reason[:4] for skip in summary.skipped] == ["E114"]
    assert summary.to_json()["skipped"] == 1


def test_records_that_hold_no_page_are_passed_over_quietly(tmp_path):
    path = tmp_path / "crawl.warc"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "parallax-tests"}))
    writer.write_record(writer.create_warc_record("https://example.org/1", "request", payload=io.BytesIO(b"GET /1 HTTP/1.1\r\n\r\n")))
    writer.write_record(writer.create_warc_record("https://example.org/1", "metadata", payload=io.BytesIO(b"outlink: https://example.org/2\r\n"),
                                                  warc_content_type="application/warc-fields"))
    writer.write_record(writer.create_warc_record("dns:example.org", "response", payload=io.BytesIO(b"20240314211000\nexample.org. 300 IN A 93.184.216.34\n"),
                                                  warc_content_type="text/dns"))
    _response(writer, "https://example.org/1", PAGE.format(n=1).encode())
    path.write_bytes(buffer.getvalue())
    [document] = read_sources([str(path)], OPTIONS)
    assert isinstance(document, RawDocument) and document.url == "https://example.org/1"


def _record_spans(path: Path) -> list[tuple[int, int]]:
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        spans = []
        for record in records:
            records.read_to_end(record)
            spans.append((records.get_record_offset(), records.get_record_length()))
    return spans


@pytest.mark.parametrize("gzip", [True, False])
def test_a_cut_anywhere_in_a_record_keeps_the_records_before_and_says_so_once(tmp_path, gzip):
    """Cuts inside the WARC header, the HTTP head, the payload and its last bytes of every record."""
    whole = tmp_path / ("whole.warc.gz" if gzip else "whole.warc")
    data, _ = write_crawl_with_bad_record(whole, BAD_HTTP_HEADS["junk"], gzip=gzip)
    complete = list(read_sources([str(whole)], OPTIONS))
    starts = [int(item.origin.rsplit("@", 1)[1]) for item in complete]
    cut_path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    for offset, length in _record_spans(whole)[1:]:  # a cut inside the first record leaves no WARC to read
        for cut in (offset + 3, offset + length // 3, offset + length // 2, offset + length - 6):
            cut_path.write_bytes(data[:cut])
            items = list(read_sources([str(cut_path)], OPTIONS))
            # the records before the cut, and the cut one too when only its gzip trailer is gone
            renamed = [replace(item, origin=item.origin.replace(str(whole), str(cut_path))) for item in complete]
            read = items[:-1]
            assert read == renamed[: len(read)] and len(read) >= sum(start < offset for start in starts), cut
            assert isinstance(items[-1], Skip) and items[-1].reason.startswith("E108 broken WARC"), (cut, items[-1])


def test_the_archived_http_charset_decodes_the_page(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    page = PAGE.format(n=1).replace("Story number 1.", "Путин.")  # too little Cyrillic for a guess
    _response(writer, "https://example.org/1", page.encode("cp1251"), content_type="text/html; charset=windows-1251")
    path.write_bytes(buffer.getvalue())
    [document] = read_sources([str(path)], OPTIONS)
    assert document.hints["charset"] == "windows-1251"
    article = clean_one(document, OPTIONS)
    assert not isinstance(article, Skip) and article.text.startswith("Путин.")


@pytest.mark.parametrize("keep", [10, 40])
def test_a_warc_gz_cut_before_its_first_record_is_broken_not_empty(tmp_path, keep):
    data = write_crawl(tmp_path / "whole.warc.gz", gzip=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:keep])
    (skip,) = read_sources([str(cut)], OPTIONS)
    assert isinstance(skip, Skip) and skip.reason.startswith("E103 not valid gzip (Compressed file ended before")
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(gzip.compress(b"  \n"))  # whole, and holding nothing
    assert [s.reason for s in read_sources([str(empty)], OPTIONS)] == ["E101 empty input"]

"""WARC input: fixture archives written here with warcio's own writer, whole and truncated."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.ingest import read_sources
from parallax.model import RawDocument, Skip
from parallax.settings import load_options

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
                           "last_modified": "Thu, 14 Mar 2024 20:00:00 GMT"}
    assert "last_modified" not in second.hints
    assert third.media_type == "text/plain" and third.body.decode("utf-8").endswith("Straße.")


def test_the_origin_offset_finds_the_record_again(tmp_path):
    from warcio.archiveiterator import ArchiveIterator

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

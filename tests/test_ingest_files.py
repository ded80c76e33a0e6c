"""Local inputs: text, HTML, gzip, JSON lines, stdin, directories, and every kind of bad file."""
from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from parallax.ingest import Reader, read_sources, register_reader, registered_readers
from parallax.ingest.registry import _READERS
from parallax.model import RawDocument, Skip
from parallax.settings import load_options

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "seeds"
WEB = Path(__file__).resolve().parent / "fixtures" / "web"

OPTIONS = load_options(per_host_interval=0.0)


def read(*sources: str | Path, options=OPTIONS, stdin=None) -> list[RawDocument | Skip]:
    return list(read_sources([str(source) for source in sources], options, stdin=stdin))


def only(items: list[RawDocument | Skip]) -> RawDocument | Skip:
    assert len(items) == 1, items
    return items[0]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared/data/seeds")
def test_the_seed_articles_are_plain_text():
    documents = [item for item in read(SEEDS) if isinstance(item, RawDocument)]
    seeds = [document for document in documents if document.origin.endswith(".txt")]
    assert len(seeds) == 2
    assert all(document.media_type == "text/plain" for document in seeds)
    assert b"Huckabee Sanders" in seeds[0].body


def test_html_is_sniffed_by_content_not_name(tmp_path):
    disguised = tmp_path / "story.txt"
    disguised.write_bytes((WEB / "news" / "bridge-vote.html").read_bytes())
    document = only(read(disguised))
    assert document.media_type == "text/html"
    assert document.origin == str(disguised)


def test_broken_html_is_passed_on_unchanged():
    page = WEB / "news" / "ferry-strike.html"
    assert only(read(page)).body == page.read_bytes()


def test_gzipped_html_is_unzipped(tmp_path):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress((WEB / "news" / "bridge-vote.html").read_bytes()))
    document = only(read(page))
    assert document.media_type == "text/html"
    assert "€40m" in document.body.decode("utf-8")


def test_truncated_gzip_is_e103(tmp_path):
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress((WEB / "news" / "bridge-vote.html").read_bytes())[:-40])
    skip = only(read(page))
    assert skip.reason.startswith("E103 not valid gzip")


def test_legacy_encodings_become_utf8_plain_text(tmp_path):
    text = "Müller said the café’s “last” night was a success – €5 a head.\n"
    (tmp_path / "a_cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "b_utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "c_bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    documents = read(tmp_path)
    assert [document.body.decode("utf-8") for document in documents] == [text, text, text]


def test_empty_and_blank_files_are_e101(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_bytes(b" \n\t\n")
    assert [skip.reason for skip in read(tmp_path)] == ["E101 empty input", "E101 empty input"]


def test_binary_junk_and_known_binary_formats(tmp_path):
    import random

    (tmp_path / "junk.html").write_bytes(random.Random(3).randbytes(5000))
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    reasons = [skip.reason for skip in read(tmp_path)]
    assert reasons == [
        "E102 binary data, not text or HTML",
        "E111 unsupported input type (JPEG image)",
        "E111 unsupported input type (PDF)",
    ]


def test_a_200_mb_sparse_file_is_skipped_unread(tmp_path):
    dump = tmp_path / "dump.txt"
    with dump.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: takes no disk, and reading it would be slow
    skip = only(read(dump))
    assert skip == Skip(str(dump), f"E104 input larger than the {OPTIONS.max_file_bytes} byte cap")


def test_a_gzip_bomb_is_capped_while_unzipping(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a line of text\n" * 200_000))  # 3 MB unzipped, 10 kB zipped
    skip = only(read(bomb, options=load_options(max_file_bytes=1_000_000)))
    assert skip.reason == "E104 input larger than the 1000000 byte cap"


def test_missing_and_unreadable_paths(tmp_path):
    (tmp_path / "a_file.txt").write_text("Some text.\n", encoding="utf-8")
    missing, not_a_directory = read(tmp_path / "nope.txt", tmp_path / "a_file.txt" / "child")
    assert missing == Skip(str(tmp_path / "nope.txt"), "E112 no such file or directory")
    assert not_a_directory.reason == "E113 not readable (Not a directory)"


def test_directories_are_walked_in_sorted_order_without_hidden_entries(tmp_path):
    for name in ["b/2.txt", "b/1.txt", "a.txt", "c/d/e.txt", ".git/config", "b/.hidden.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {name}.\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    items = read(tmp_path)
    origins = [Path(item.origin).relative_to(tmp_path).as_posix() for item in items]
    assert origins == ["a.txt", "b/1.txt", "b/2.txt", "c/d/e.txt", "loop"]
    assert all(isinstance(item, RawDocument) for item in items[:-1])
    # the link is not followed (it would never end), but it is said: its files may be wanted
    assert items[-1].reason.startswith("E111 unsupported input type (a link to a directory")


def test_the_run_goes_on_after_bad_inputs(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    good = WEB / "news" / "logbook.txt"
    items = read(tmp_path / "missing", tmp_path / "empty.txt", good)
    assert [type(item).__name__ for item in items] == ["Skip", "Skip", "RawDocument"]


def test_stdin_is_read_and_capped():
    document = only(read("-", stdin=io.BytesIO(b"<html><body><p>From a pipe.</p></body></html>")))
    assert (document.origin, document.media_type) == ("<stdin>", "text/html")
    skip = only(read("-", options=load_options(max_file_bytes=10), stdin=io.BytesIO(b"x" * 11)))
    assert skip == Skip("<stdin>", "E104 input larger than the 10 byte cap")


# --- JSON lines


def _record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_jsonl_records_with_bad_lines_in_between(tmp_path):
    lines = [
        _record(id="a1", text="Die Straße bleibt gesperrt.", title="Sperrung", published="2024-03-14",
                url="https://example.org/a1", outlet="Kurier", language="de", section="Lokal"),
        '{"id": "a2", "text": "cut off',
        "",
        _record(id="a3", title="No body"),
        "[1, 2]",
        _record(id=4, text="Numbers as ids are fine."),
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, broken, no_text, not_object, fourth = read(path)
    assert first.origin == f"{path}#1"
    assert first.media_type == "text/plain"
    assert first.body.decode("utf-8") == "Die Straße bleibt gesperrt."
    assert first.url == "https://example.org/a1"
    assert first.hints == {"id": "a1", "title": "Sperrung", "published": "2024-03-14",
                           "url": "https://example.org/a1", "outlet": "Kurier", "language": "de"}
    assert broken.origin == f"{path}#2" and broken.reason.startswith("E106 malformed JSON line")
    assert no_text == Skip(f"{path}#4", "E107 JSON record without text")
    assert not_object == Skip(f"{path}#5", "E106 malformed JSON line (a JSON list, not an object)")
    assert (fourth.origin, fourth.hints) == (f"{path}#6", {"id": "4"})


def test_gzipped_jsonl_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(b"\xef\xbb\xbf" + _record(id="x", text="Hello.").encode("utf-8") + b"\n"))
    assert only(read(path)).body == b"Hello."


def test_a_pretty_printed_json_document_is_one_skip(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"articles": [{"id": 1, "text": "x"}]}, indent=2), encoding="utf-8")
    assert only(read(path)).reason == "E111 unsupported input type (a JSON document, not JSON lines)"


def test_an_overlong_jsonl_line_is_skipped_and_the_next_read(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(_record(id="big", text="x" * 5000) + "\n" + _record(id="ok", text="Short.") + "\n", encoding="utf-8")
    skip, document = read(path, options=load_options(max_bytes=1000))
    assert skip == Skip(f"{path}#1", "E104 input larger than the 1000 byte cap")
    assert document.hints["id"] == "ok"


# --- the registry


def test_a_new_reader_registers_like_the_built_ins(tmp_path):
    def sniff_csv(head):
        return head.has_suffix(".csv")

    def read_csv(blob, context) -> Iterator[RawDocument | Skip]:
        for number, line in enumerate(blob.read_all(context.options.max_file_bytes).splitlines(), start=1):
            yield RawDocument(origin=f"{blob.origin}#{number}", media_type="text/plain", body=line)

    reader = register_reader(Reader("csv-lines", sniff_csv, read_csv), before="jsonl")
    try:
        names = [existing.name for existing in registered_readers()]
        assert names == ["warc", "feed", "csv-lines", "jsonl", "html", "text"]
        path = tmp_path / "titles.csv"
        path.write_text("first,title\nsecond,title\n", encoding="utf-8")
        assert [document.body for document in read(path)] == [b"first,title", b"second,title"]
        with pytest.raises(ValueError):
            register_reader(Reader("csv-lines", sniff_csv, read_csv))
    finally:
        _READERS.remove(reader)


def test_a_sidecar_gives_its_file_back_the_metadata_the_site_gave(tmp_path: Path) -> None:
    page = tmp_path / "story.txt"
    page.write_text("Headline\n\nA paragraph of news prose that is long enough to be kept as body text here.\n")
    (tmp_path / "story.txt.meta.json").write_text(
        json.dumps({"published": "2018-07-19", "outlet": "CBS News", "url": "https://www.cbsnews.com/a", "other": "x"})
    )
    items = list(read_sources([str(tmp_path)], load_options()))
    assert len(items) == 1  # the sidecar is not an input of its own
    doc = items[0]
    assert isinstance(doc, RawDocument)
    assert doc.hints == {"published": "2018-07-19", "outlet": "CBS News", "url": "https://www.cbsnews.com/a"}
    assert doc.url == "https://www.cbsnews.com/a"


def test_a_broken_sidecar_is_one_line_and_its_file_is_still_read(tmp_path: Path) -> None:
    page = tmp_path / "story.txt"
    page.write_text("Headline\n\nA paragraph of news prose that is long enough to be kept as body text here.\n")
    (tmp_path / "story.txt.meta.json").write_text("{not json")
    items = list(read_sources([str(page)], load_options()))
    skips = [i for i in items if isinstance(i, Skip)]
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert len(skips) == 1 and skips[0].origin.endswith(".meta.json") and "E106" in skips[0].reason
    assert len(docs) == 1 and docs[0].hints == {}


def test_an_outside_reader_that_fails_unexpectedly_costs_its_input_one_line(tmp_path):
    """A reader with a bug (here: a CSV reader that trusts every row to have two fields) ends
    only the input it was reading, after what it had yielded, with one E115 line."""

    def sniff_csv(head):
        return head.has_suffix(".csv")

    def read_csv(blob, context):
        for number, row in enumerate(blob.read_all(context.options.max_file_bytes).decode("utf-8").splitlines(), 1):
            title, text = row.split(",")
            yield RawDocument(f"{blob.origin}#{number}", "text/plain", text.encode("utf-8"), hints={"title": title})

    reader = register_reader(Reader("csv-pairs", sniff_csv, read_csv), before="jsonl")
    try:
        rows = tmp_path / "rows.csv"
        rows.write_text("first,A story\nsecond,with,a comma\nthird,never read\n", encoding="utf-8")
        after = tmp_path / "z.txt"
        after.write_text("The next input is read as usual.\n", encoding="utf-8")
        first, skip, document = read(rows, after)
    finally:
        _READERS.remove(reader)
    assert first.hints == {"title": "first"}
    assert skip == Skip(str(rows), "E115 could not be read (ValueError: too many values to unpack (expected 2))")
    assert document.origin == str(after)


def test_a_text_file_starting_with_a_brace_is_text(tmp_path):
    """Issue 12: a ``.txt`` is JSON only by its name or media type, never by its first character."""
    note = tmp_path / "note.txt"
    note.write_text('{Editor\'s note} The council voted on Tuesday to close the bridge for repairs.\n', encoding="utf-8")
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(_record(id="1", text="The council voted on Tuesday.") + "\n", encoding="utf-8")
    text, record = read(note, jsonl)
    assert text.media_type == "text/plain" and text.body.startswith(b"{Editor's note}")
    assert record.media_type == "text/plain" and record.origin.endswith("records.jsonl#1")

"""decode_text: the bytes → text step every reader and cleaner relies on."""
from __future__ import annotations

import codecs
import random

import pytest

from parallax.clean.encoding import codec_for_label, decode_text, declared_charset, looks_binary
from parallax.errors import InputError

NEWS = "Müller said the café’s “last” night was a success – €5 a head, naïvely.\n"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252"])
def test_encodings_news_comes_in(codec):
    assert decode_text(NEWS.encode(codec)) == NEWS


def test_latin1_without_cp1252_punctuation():
    text = "Le président a déclaré à l'Élysée qu'il était très satisfait.\n"
    assert decode_text(text.encode("latin-1")) == text


def test_cyrillic_in_windows_1251():
    text = "Министр иностранных дел заявил, что переговоры продолжатся в пятницу.\n"
    assert decode_text(text.encode("cp1251")) == text


def test_a_declared_charset_decides_between_guesses():
    page = '<html><head><meta charset="windows-1250"></head><body>Zażółć gęślą jaźń</body></html>'
    assert declared_charset(page.encode("cp1250")) == "cp1250"
    assert decode_text(page.encode("cp1250")) == page


def test_a_lying_declaration_loses_to_valid_utf8():
    page = '<html><head><meta charset="iso-8859-1"></head><body>Straße</body></html>'
    assert decode_text(page.encode("utf-8")) == page


@pytest.mark.parametrize("body", [b"", b"   \n\t", "\ufeff  \n".encode("utf-8")])
def test_empty_input_is_e101(body):
    with pytest.raises(InputError, match="^E101"):
        decode_text(body)


def test_random_bytes_are_e102():
    junk = random.Random(11).randbytes(3000)
    assert looks_binary(junk)
    with pytest.raises(InputError, match="^E102"):
        decode_text(junk)


def test_a_broken_utf16_body_after_its_mark_is_e105():
    with pytest.raises(InputError, match="^E105"):
        decode_text(b"\xff\xfeA\x00\x00\xd8")  # a lone surrogate half


# --- the transport's charset (HTTP Content-Type, or as archived in a WARC)

RUSSIAN = "<html><body><p>Лавров и Путин</p><p>The council met on Thursday.</p></body></html>"


def test_the_transport_charset_decides_what_detection_cannot():
    page = RUSSIAN.replace("Лавров и Путин", "Путин")
    assert decode_text(page.encode("cp1251")) != page  # too little Cyrillic for any guess
    assert decode_text(page.encode("cp1251"), "windows-1251") == page


@pytest.mark.parametrize(("body", "charset", "expected"), [
    (codecs.BOM_UTF8 + RUSSIAN.encode(), "windows-1251", RUSSIAN),  # a mark beats the transport
    (RUSSIAN.replace("<html>", '<html><meta charset="koi8-r">').encode("cp1251"), "windows-1251",
     RUSSIAN.replace("<html>", '<html><meta charset="koi8-r">')),  # the transport beats the page
    (RUSSIAN.encode("utf-8"), "iso-8859-1", RUSSIAN),  # valid non-ASCII UTF-8 beats a legacy label
    (RUSSIAN.replace("<html>", '<html><meta charset="windows-1251">').encode("cp1251"), "shift_jis",
     RUSSIAN.replace("<html>", '<html><meta charset="windows-1251">')),  # a label that cannot decode it loses
])
def test_evidence_order(body, charset, expected):
    assert decode_text(body, charset) == expected


@pytest.mark.parametrize("label", ["x-klingon", "utf-7", "utf-16", "", "  ", "\"'"])
def test_a_label_naming_no_web_encoding_is_ignored(label):
    page = RUSSIAN.replace("<html>", '<html><meta charset="windows-1251">')
    assert codec_for_label(label) is None
    assert decode_text(page.encode("cp1251"), label) == page


@pytest.mark.parametrize(("label", "codec"), [
    ("ISO-8859-1", "cp1252"), ("US-ASCII", "cp1252"), ('"windows-1251"', "cp1251"), ("Shift_JIS", "cp932"),
    ("x-sjis", "cp932"), ("windows-874", "cp874"), ("gb2312", "gbk"), ("euc-kr", "cp949"), ("utf8", "utf-8"),
    ("iso-8859-8-i", "iso8859-8"), ("x-mac-cyrillic", "mac-cyrillic"), ("KOI8-R", "koi8-r"),
])
def test_labels_read_as_browsers_read_them(label, codec):
    assert codec_for_label(label) == codec


def test_windows_31j_characters_in_a_page_labelled_shift_jis():
    text = "<p>① 東京都知事</p>"  # a circled digit: Windows-31J, not JIS X 0208
    assert decode_text(text.encode("cp932"), "Shift_JIS") == text


def test_utf8_with_a_stray_latin1_byte_stays_utf8():
    """A CMS that pastes one Latin-1 byte into a UTF-8 page: one U+FFFD, not a garbled page."""
    page = '<html><head><meta charset="utf-8"></head><body>Mäscot, das Schaf. Grüße aus Köln – {} Ende.</body></html>'
    body = page.format("\x00").encode("utf-8").replace(b"\x00", "ä".encode("latin-1"))
    assert decode_text(body) == page.format("\ufffd")
    assert decode_text(body, "iso-8859-1") == page.format("\ufffd")  # the bytes outweigh a legacy label


def test_legacy_text_with_an_accidental_utf8_sequence_is_not_utf8():
    # "Â©" in cp1252 bytes is valid UTF-8 for "©"; the other six accented letters are not
    page = '<meta charset="windows-1252"><p>Der Preis: 5 Â© für Müller, Straße, Größe und Übermaß.</p>'
    assert decode_text(page.encode("cp1252")) == page

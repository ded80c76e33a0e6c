"""decode_text: the bytes → text step every reader and cleaner relies on."""
from __future__ import annotations

import random

import pytest

from parallax.clean.encoding import decode_text, declared_charset, looks_binary
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

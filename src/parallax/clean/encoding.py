"""Bytes → text for documents whose encoding nobody told us reliably.

News arrives as UTF-8, as Windows-1252 from old CMSes, as UTF-16 from Windows exports, and now
and then as something that is not text at all. The order of evidence, most reliable first, is
the browsers' (WHATWG HTML, "determining the character encoding") with one addition:

1. a byte-order mark (it cannot be there by accident);
2. UTF-8, when the body has non-ASCII bytes and (nearly) all of them form valid UTF-8
   sequences: text in a legacy encoding almost never does, while servers that send Apache's
   default ``charset=iso-8859-1`` with UTF-8 pages are common (a browser shows those as "Ã©";
   we read them right), and so are UTF-8 pages with a stray Latin-1 byte pasted in (read with
   one U+FFFD where a guess would garble every accented letter of the page);
3. the charset the transport gives (HTTP ``Content-Type``, also as archived in a WARC);
4. the charset the document declares in its own ``<meta>`` or XML declaration;
5. charset-normalizer's statistical guess, with ties broken towards Windows-1252, the encoding
   the web actually means when it says latin-1 (WHATWG Encoding Standard).

A declared charset (3 or 4) that is unknown, not a web encoding, or does not decode the body
is a lie and is passed over for the next piece of evidence: a wrong label never costs a page.

Binary junk is refused before any guessing: charset-normalizer would happily "decode" random
bytes in some single-byte code page.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from parallax.errors import Errors, InputError

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BYTE_ORDER_MARKS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 control bytes that never occur in text (tab, newline, form feed, carriage return are fine).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])

# What ``sanitize`` drops: the control bytes above as characters, and the two noncharacters.
_DROPPED_CHARACTERS = dict.fromkeys([*_CONTROL_BYTES, 0xFFFE, 0xFFFF])
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# Share of control bytes above which a body is binary. Random or compressed bytes have about
# 11% (29 of 256 values; at least 8.7% in 500 random blobs), the most in any of the 990 real
# pages of extraction-dev is 0.02% (benchmarks/ingest_decoding.py): 1% sits between with room.
BINARY_CONTROL_SHARE = 0.01

# Valid non-ASCII UTF-8 characters per invalid sequence from which a body is UTF-8 with stray
# bytes. Legacy text forms valid multi-byte sequences only by accident: of the 27 dev pages
# that are not valid UTF-8 (extraction-dev), the 23 in legacy encodings have at most 0.29 valid
# per invalid (GBK), the 4 UTF-8 pages with stray Latin-1 bytes at least 25.
MOSTLY_UTF8_RATIO = 4

# Browsers look for a <meta charset> in the first 1024 bytes (WHATWG HTML, "prescan a byte
# stream to determine its encoding"); a declaration later than that is ignored by them too.
DECLARATION_WINDOW = 1024

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)

# What the web means by latin-1 and ASCII labels (the WHATWG Encoding Standard maps them all to
# windows-1252), and the most common legacy encoding of Western news.
_WEB_DEFAULT = "cp1252"

# Labels browsers know that Python's codec registry does not (WHATWG Encoding Standard, "Names
# and labels"), as Python codecs.
_LABEL_ALIASES = {
    "windows-874": "cp874", "dos-874": "cp874", "windows-31j": "cp932", "x-sjis": "cp932",
    "x-gbk": "gbk", "x-euc-jp": "euc_jp", "iso-8859-8-i": "iso8859_8", "csiso88598i": "iso8859_8",
    "x-mac-cyrillic": "mac_cyrillic", "x-mac-roman": "mac_roman", "x-x-big5": "big5hkscs",
    "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8", "unicode20utf8": "utf-8", "x-unicode20utf8": "utf-8",
    **{f"x-cp125{digit}": f"cp125{digit}" for digit in range(9)},
}

# Where the WHATWG standard decodes a label with a superset of the encoding it names (browsers
# read "iso-8859-1" as windows-1252 and "shift_jis" as Windows-31J), keyed by Python codec name.
_WHATWG_SUPERSETS = {
    "ascii": _WEB_DEFAULT, "iso8859-1": _WEB_DEFAULT, "iso8859-9": "cp1254", "iso8859-11": "cp874",
    "tis-620": "cp874", "gb2312": "gbk", "shift_jis": "cp932", "euc_kr": "cp949", "big5": "big5hkscs",
}

# UTF-16 and UTF-32 are only believed with a byte-order mark: a declaration of them inside the
# page is always wrong (the bytes that spell it are ASCII), and a body without the mark has been
# refused as binary before any label is read.
_UNICODE_WITHOUT_MARK = frozenset({"utf-16", "utf-16-be", "utf-16-le", "utf-32", "utf-32-be", "utf-32-le"})

# The legacy encodings a browser can decode (WHATWG Encoding Standard, as Python codecs). A
# page in any other encoding would be unreadable on the web, so guesses are kept to these:
# left free, charset-normalizer takes short cp1252 news text for DOS code page 850. The two Mac
# encodings are left out too: they won ties against cp1252 on English text whose only
# non-ASCII bytes are curly quotes (12 of 168 round trips in benchmarks/ingest_decoding.py).
WEB_ENCODINGS = (
    "utf_8", "utf_16_be", "utf_16_le", "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5",
    "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "koi8_r", "koi8_u", "cp874", "cp1250", "cp1251",
    "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb18030",
    "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)


@lru_cache(maxsize=1)
def _labelled_web_codecs() -> frozenset[str]:
    """Every codec a charset label may name: the guessable ones, the supersets browsers read some
    labels as, and the Mac encodings (left out of guessing, but a page that names one means it).
    Made on first use: looking up the 47 codecs imports their modules (~30 ms), which a command
    that only sanitises a query (``parallax search``) should not pay."""
    names = (*WEB_ENCODINGS, *_WHATWG_SUPERSETS.values(), "mac_roman", "mac_cyrillic")
    return frozenset(codecs.lookup(name).name for name in names) - _UNICODE_WITHOUT_MARK


def decode_text(body: bytes, charset: str | None = None) -> str:
    """Decode a document body to text, or raise InputError E101/E102/E105 when it is not text.

    ``charset`` is the label the transport gave (an HTTP ``Content-Type`` charset), if any.
    """
    if not body.strip():
        raise InputError(Errors.E101)
    text = _decode_with_mark(body)
    if text is None:
        if looks_binary(body):
            raise InputError(Errors.E102)
        text = _decode_unmarked(body, codec_for_label(charset) if charset else None)
    text = sanitize(text)
    if not text.strip():
        raise InputError(Errors.E101)
    return text


def sanitize(text: str) -> str:
    """``text`` with what no later stage can handle taken out: a lone surrogate (a JSON ``\\ud800``,
    a file name in a broken encoding) becomes U+FFFD, which UTF-8, SQLite and the terminal all
    take; NUL and the other C0 control characters but tab, newline, form feed and carriage return,
    DEL and the noncharacters U+FFFE/U+FFFF are dropped.

    Called once at the boundary (``ingest.documents.make_document`` for every document and its
    metadata, the JSONL text, the store's record of a skip), so no stage meets them."""
    if text.isascii() and text.isprintable():
        return text
    return _LONE_SURROGATE.sub("\ufffd", text).translate(_DROPPED_CHARACTERS)


def looks_binary(sample: bytes) -> bool:
    """True when ``sample`` is not text in any encoding we read (a BOM vouches for UTF-16/32)."""
    if not sample or byte_order_mark_codec(sample):
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(sample)


def byte_order_mark_codec(body: bytes) -> str | None:
    """The codec a leading byte-order mark names, if there is one."""
    for mark, codec in _BYTE_ORDER_MARKS:
        if body.startswith(mark):
            return codec
    return None


def declared_charset(body: bytes) -> str | None:
    """The Python codec of the charset an HTML ``<meta>`` or XML declaration names, if valid."""
    match = _DECLARED_CHARSET.search(body[:DECLARATION_WINDOW])
    if not match:
        return None
    return codec_for_label((match.group(1) or match.group(2)).decode("ascii"))


def codec_for_label(label: str) -> str | None:
    """The Python codec a browser would decode a charset label with, None for a label that
    names no web encoding (``utf-7``, ``x-junk``): such a label is ignored, as browsers do."""
    name = label.strip().strip("\"'").lower()
    try:
        codec = codecs.lookup(_LABEL_ALIASES.get(name, name)).name
    except LookupError:
        return None
    codec = _WHATWG_SUPERSETS.get(codec, codec)
    return codec if codec in _labelled_web_codecs() else None


def _decode_with_mark(body: bytes) -> str | None:
    codec = byte_order_mark_codec(body)
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(Errors.E105, detail=f"{codec} after its byte-order mark: {err.reason}") from err


def _decode_unmarked(body: bytes, transport_codec: str | None) -> str:
    if not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd")
        bad = replaced - body.count("\ufffd".encode())  # the replacements decoding made
        good = len(text) - len(text.encode("ascii", errors="ignore")) - replaced  # valid non-ASCII
        if good >= MOSTLY_UTF8_RATIO * bad:
            return text
    for codec in (transport_codec, declared_charset(body)):
        if codec:
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                pass  # the declaration lies; try the next evidence
    if body.isascii():
        return body.decode("ascii")
    guess = _guess_codec(body)
    if guess is None:
        raise InputError(Errors.E105, detail="not UTF-8 and no encoding fits")
    return body.decode(guess, errors="replace")


def _guess_codec(body: bytes) -> str | None:
    """charset-normalizer's best web encoding, unless Windows-1252 fits as well or better.

    On short Western text several code pages score the same (cp1250, cp1252, cp1257 all decode
    "café" plausibly) and charset-normalizer's pick among equals is arbitrary; English text
    whose only non-ASCII bytes are curly quotes even goes to DOS Cyrillic ("Russia’s" read as
    "RussiaТs"). Windows-1252 wins ties, and wins whenever it glues fewer foreign letters into
    Latin words than the guess does: that is what a wrong code page looks like.
    """
    import charset_normalizer  # ~35 ms to import: loaded only when a body needs detecting, not for sanitize

    matches = charset_normalizer.from_bytes(body, cp_isolation=list(WEB_ENCODINGS))
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if _WEB_DEFAULT in match.could_be_from_charset and match.chaos <= best.chaos and match.coherence >= best.coherence:
            return _WEB_DEFAULT
    try:
        western = body.decode(_WEB_DEFAULT)
    except UnicodeDecodeError:
        return best.encoding
    if _mixed_script_words(western) < _mixed_script_words(str(best)):
        return _WEB_DEFAULT
    return best.encoding


_WORD = re.compile(r"[^\W\d_]+")


def _mixed_script_words(text: str) -> int:
    """Words with ASCII letters and letters of a non-Latin script in them ("RussiaТs")."""
    return sum(
        1
        for word in _WORD.findall(text)
        if not word.isascii()
        and any(char.isascii() for char in word)
        and any(not char.isascii() and not unicodedata.name(char, "").startswith("LATIN") for char in word)
    )

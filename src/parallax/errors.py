"""Every message Parallax shows a user, numbered so it can be searched for and asserted in tests.

A reader or cleaner that cannot handle an input raises :class:`InputError` with one of these
codes; the ingest job turns it into one line ("skipped PATH: E103 not valid gzip") and goes on.
"""
from __future__ import annotations

from enum import Enum


class Errors(str, Enum):
    E101 = "empty input"
    E102 = "binary data, not text or HTML"
    E103 = "not valid gzip ({detail})"
    E104 = "input larger than the {limit} byte cap"
    E105 = "unreadable text encoding ({detail})"
    E106 = "malformed JSON line ({detail})"
    E107 = "JSON record without text"
    E108 = "broken WARC ({detail})"
    E109 = "broken feed ({detail})"
    E110 = "no article text found"
    E111 = "unsupported input type ({detail})"
    E112 = "no such file or directory"
    E113 = "not readable ({detail})"
    E114 = "WARC response record {record} has unreadable HTTP headers ({detail})"
    E115 = "could not be read ({detail})"
    E116 = "article of {chars} characters, over the cap of {limit} (max_article_chars)"
    E117 = "JSON nested deeper than {limit} levels (max_json_depth)"
    E118 = "HTML page of more than {limit} tags (max_html_tags)"
    E119 = "not cleaned within {seconds}s (document_seconds)"
    E120 = "not read within {seconds}s (document_seconds)"
    E121 = "{skipped} records of this input skipped; the rest, from this line on, not read (max_skipped_records)"
    E122 = "no page in the archive: not one 200 HTML or text response record"
    E196 = "its worker failed on it twice ({detail})"
    E197 = "could not be annotated ({detail})"
    E198 = "could not be given a story ({detail})"
    E199 = "could not be cleaned ({detail})"
    E201 = "HTTP error ({detail})"
    E202 = "timed out after {seconds}s"
    E203 = "disallowed by robots.txt"
    E204 = "only http and https URLs are fetched"
    E205 = "response larger than the {limit} byte cap"
    E206 = "not an HTML or text response ({detail})"
    E207 = "robots.txt of {host} asks for {delay}s between requests; waiting {cap}s (max_crawl_delay)"
    E208 = "not a valid URL ({detail})"
    E209 = "robots.txt could not be read ({detail}), so the site is not crawled (RFC 9309)"
    E210 = "cannot reach {host}: nothing answers there ({detail})"
    E220 = "refusing {host}: {address} is a private, loopback or link-local address (allow it in settings.cfg [http] allow_private_hosts)"
    E301 = "database is not a Parallax store ({detail})"
    E302 = "database schema {found} is newer than this Parallax ({known})"
    E303 = "no Parallax store at {path}"
    E304 = "cannot open the PostgreSQL store {location} ({detail})"
    E305 = "cannot open the store {path} ({detail})"
    E306 = "the store {path} is read-only ({detail}); nothing was written"
    E307 = "the store {path} could not be written ({detail}): is the disk full? The failed write was rolled back; run again when there is room"
    E309 = "the query ran past its {seconds}s budget and was stopped; narrow it"
    E308 = "the store {path} is locked by another process ({detail}); try again when it is done"
    E401 = "refusing to serve on {host} without a token: only 127.0.0.1 / localhost may be served open"
    E501 = "record without an id"
    E502 = "unreadable published date ({detail})"
    E503 = "CSV without the columns pair_id, text1, text2 (missing {detail})"
    E601 = "a watch named {name} already exists"
    E602 = "no watch named {name}"
    E603 = "unknown PLOVER event type {value} (known: {known})"
    E604 = "a keyword watch needs at least one word"
    E605 = "no storyline {value} in the store"
    E606 = "a webhook must be an http or https URL, not {value}"
    E607 = "an empty watch name or value"
    E608 = "a webhook URL with a user name or password in it is refused: they would be stored and logged in clear"
    E701 = "no story {value} in the store"
    E702 = "{what} {value} has fewer than two annotated articles to compare"
    E704 = ("story {value} has {have} annotated article(s) to compare, fewer than two; its storyline has {line_has}:"
            " parallax compare {line} --by storyline")
    E703 = "--format text reads a story from the store; records are compared as json or csv"
    E705 = "story {value} could not be compared ahead of time ({detail}); its page compares it when asked"
    E706 = "nothing compared: the clusterer put each of the {count} records in a storyline of its own"
    E901 = "unreadable date {value}: give YYYY-MM-DD, YYYY-MM, Nd or Nw (days or weeks ago), today or yesterday"
    E902 = "unknown outlet kind {value} (known: {known})"
    E903 = "not a country code {value}: give two letters (ISO 3166-1), e.g. US or RU"
    E402 = "cannot serve on {host}:{port} ({detail})"
    E904 = "cannot read the aliases file {path} ({detail})"
    E905 = "aliases file {path} line {line}: {text!r} is neither 'Name = alias, alias' nor 'Name != other name'"
    E906 = "unreadable interval {value}: give seconds or a number with s, m or h (90s, 15m, 1h), at least {least}s"
    E410 = "a query of {count} {what}; at most {limit} (settings.cfg [web])"
    E801 = "unknown ingest engine {value} (serial, process or ray)"
    E802 = "the Ray engine needs the ray extra: pip install 'parallax-news[ray]'"
    E803 = "could not start or reach Ray ({detail})"

    def format(self, *args: object, **kwargs: object) -> str:
        """The numbered one-line message, e.g. ``E103 not valid gzip (CRC check failed)``.

        It takes str.format's arguments (the messages use named fields only) so a code is still
        the str it inherits from wherever a str is expected.
        """
        return f"{self.name} {self.value.format(*args, **kwargs)}"


class ParallaxError(Exception):
    """Base of the errors Parallax reports to users as one line."""

    def __init__(self, code: Errors, **kwargs: object) -> None:
        self.code = code
        super().__init__(code.format(**kwargs))


class InputError(ParallaxError):
    """One input cannot be used; the run skips it and goes on."""


class StoreError(ParallaxError):
    """The store cannot be opened or migrated; the run stops."""

"""The two identities that make ingest idempotent: a normalised URL and a content hash.

An article reached through ``http://Example.com/a?utm_source=x#top`` and
``https://example.com/a`` is one article; so is the same text arriving as a file and again
inside a WARC. Exact duplicates only: near-duplicates (wire copies) are the stories stage's job.
"""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

_SPACE = re.compile(r"\s+")


def url_key(url: str | None) -> str | None:
    """A URL reduced to what identifies the page: scheme folded to https, host lower-cased,
    tracking parameters dropped, query sorted, fragment and trailing slash removed."""
    if not url or not url.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
        return None
    from courlan import normalize_url  # urllib3 and friends: only when a URL is stored, not at start

    try:
        normal = normalize_url(url, trailing_slash=False)
    except ValueError:
        return None
    parts = urlsplit(normal)
    return urlunsplit(("https", parts.netloc.lower().removeprefix("www."), parts.path.rstrip("/"), parts.query, ""))


def content_hash(text: str) -> str:
    """SHA-256 of the text with case and whitespace folded, so re-wrapped copies collide."""
    folded = _SPACE.sub(" ", text).strip().casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def raw_hash(body: bytes) -> str:
    """SHA-1 of the raw bytes: cheap identity of an input already seen, to skip re-cleaning it."""
    return hashlib.sha1(body).hexdigest()

"""The fixed tune/validation split of the page dev sets (issue 12): extraction-dev and fundus.

A page's half is a seeded hash of its site, fixed before any rule was measured, so it cannot
drift with the rules, the gold or the order of the files. Hashing the site rather than the page
keeps every page of one publisher in one half (fundus has up to three pages per publisher):
a rule written on a site's tune page cannot pass for a rule that holds on unseen sites.
"""
from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

SEED = "parallax-pages-v1:"


def split_of(site: str) -> str:
    """Return "validation" or "tune" for a site key; validation pages are not read while tuning."""
    digest = hashlib.sha256((SEED + site).encode()).hexdigest()
    return "validation" if int(digest, 16) % 2 == 0 else "tune"


def site_of(url: str) -> str:
    """The site a page belongs to: its host without "www.", the archived host for web.archive.org."""
    parts = urlsplit(url)
    if parts.hostname == "web.archive.org" and "/http" in parts.path:
        return site_of(parts.path[parts.path.index("/http") + 1 :])
    return (parts.hostname or url).removeprefix("www.")

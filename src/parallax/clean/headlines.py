"""The article's headline, not the page title: no site suffix, no SEO variant.

A page names its article several times: the ``<title>`` (often "Headline | Outlet"), Open
Graph and Twitter titles (often a variant written for sharing), the schema.org ``headline``
of the article object, and the ``<h1>`` the reader sees. The publisher's declared article
headline comes first; else the ``<h1>`` that one of the meta titles also gives (so it is the
article's heading, not a site banner); else the Open Graph title, else trafilatura's. A site
suffix ("… - Taipei Times", "…｜日刊ゲンダイDIGITAL") is cut when what follows the separator is
the outlet's name. Measured on both dev sets by ``benchmarks/extraction.py`` (title exact).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from parallax.clean.bylines import jsonld_objects, name_key

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# separators between a headline and the site's name in a page title
_SITE_SEPARATOR = re.compile(r"\s+[|•*·»:–—-]\s+|\s*[｜：]\s*|\s+::\s+")


def page_headline(tree: HtmlElement, library_title: str | None, site_names: Iterable[str]) -> str | None:
    """The article's headline (whitespace-normalised), or None when the page gives none."""
    sites = {key for key in (name_key(name) for name in site_names) if len(key) >= 3}
    declared = [_clean(item["headline"]) for item, _ in jsonld_objects(tree) if isinstance(item.get("headline"), str)]
    titles = [*tree.xpath('//meta[@property="og:title"]/@content'), library_title or ""]
    metas = [title for title in map(_clean, titles) if title and name_key(title) not in sites]
    headings = [_clean(h1.text_content()) for h1 in tree.xpath("//h1")]
    confirmed = [h for h in headings if h and name_key(h) not in sites and any(h in title for title in metas)]
    page_title = [_clean(title) for title in tree.xpath("//head/title/text()")[:1]]
    for title in (*declared, *confirmed, *metas, *page_title):
        if title:
            return _without_site(title, sites)
    return None


def _clean(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _without_site(title: str, sites: set[str]) -> str:
    """``title`` without trailing parts that name the site ("Headline - Section | Outlet" keeps
    "Headline - Section": only what names the outlet goes)."""
    while True:
        parts = list(_SITE_SEPARATOR.finditer(title))
        if not parts:
            return title
        last = parts[-1]
        tail = name_key(title[last.end() :])
        if not tail or not any(site in tail or tail in site for site in sites if len(tail) >= 3):
            return title
        title = title[: last.start()].strip()

"""Bylines: the people who wrote a page, names only.

trafilatura finds a byline in JSON-LD, meta tags and the page's author elements, and splits
it into names; what it keeps that is not a person is the publisher (a page's ``author`` meta
is often the outlet, or the company that owns it: "Condé Nast", "Heise Online", "mdr.de"),
the same name twice (a display name and a URL slug), and a name with its punctuation lost
("Miguel A Herguedas"). The publisher's own words settle those: schema.org ``author``
objects typed ``Person`` give names as written, and the ``publisher`` and ``Organization``
objects, ``og:site_name`` and the host name say who is not a person; a name trafilatura
read from a template (a meta tag, an address) and the page never shows is not a byline, nor
is an account ("@handle", "facebook.com"), and one it shows is written as the page writes it
("Miguel A. Herguedas"). Measured on both dev sets by
``benchmarks/extraction.py`` (authors F1, validation beside tune). Tried and removed because the
tune gain did not hold on validation (issue 12): falling back from the meta tags to the
visible byline elements (``itemprop``/``rel`` author, trafilatura's byline classes), and a
logistic model over all those candidates. What a page without metadata names is read only where
two of its own conventions agree: a link to an author's archive page (or mail address) whose
text is the name the address gives, and a Chinese page's editor line; else its byline line, a
byline word and names of two to four capitalised words ("Von Cosima Künzel", "Par Didier Roy");
else an author field of its own scripts (an analytics data layer) that it shows as a whole text;
else a name and then the date under the headline ("Sehernur Karsu | 05.04.2025"); else the text of
the page's ``rel="author"`` link; else the user name of the post's author answering a comment.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:  # records' bylines are read without loading lxml
    from lxml.html import HtmlElement

# what a byline puts before or after the names ("By", "Von", "Text:"), in the languages of the
# dev sets; a name is never one of these words
# (Chinese and Japanese bylines: "责任编辑：", "记者：", "文：")
_PREFIX = re.compile(r"^\s*(?:(?:(?:written|posted|reported)\s+by|by|von|vom|par|por|door|av|af|text|autor(?:in)?|author)\b[\s:]*"
                     r"|(?:责任编辑|责编|编辑|編輯|作者|记者|記者|撰稿|文)\s*[:：]\s*)", re.I)
# one byline naming several people (a German interview credits both: "A im Gespräch mit B")
_JOINERS = re.compile(r"\s*(?:;|\||/|&|、|\s(?:and|und|et|og|och|en|y|e|im gespräch mit)\s)\s*", re.I)
# a byline word inside a name string, then a name of two capitalised words or more: what stands
# before it is a title or a section ("Capital von Jemima Kelly"), not a name ("Ursula von der Leyen",
# "Alexander von Humboldt" stay whole)
_INNER_BYLINE = re.compile(r"\S\s+(?:by|von|par|por)\s+((?:[^\W\d_][\w'’.-]*\s+)+[^\W\d_][\w'’.-]*)$", re.I)
# where the names end: a date (a number that starts a word: "BR24 Redaktion" is one name), an
# e-mail, a URL, a "for the …" tail, the label of a German date ("Sara Zinnecker Stand: 12.03.2020"
# read without its date)
_TAIL = re.compile(r"\s*(?:\b\d|\S+@\S+|https?://|\be-?mail\b|\bfor the\b|\bim gespräch\b|\bupdated\b|\bpublished\b|\bstand\s*:?\s*$).*$",
                   re.I)
# the labels of a page's fields that an author heuristic reads as a name ("Name", "Datum", "Follow")
_LABELS = frozenset({"name", "datum", "date", "follow", "folgen", "share", "teilen", "author", "authors", "autor", "autoren"})
# readers' comments (a class or id that starts with "comment": "comments-area", "comment-body",
# "commentlist"): their "Par Bruno Gobin, le 15 mai" names a reader, not the article's author; an
# opinion piece's own "commentary" class is no comment section
_IN_COMMENTS = ("ancestor::*[contains(concat(' ', normalize-space(@class), ' ', @id, ' '), ' comment')"
                " and not(contains(concat(' ', normalize-space(@class), ' ', @id, ' '), ' commentary'))]")
# an author's archive page ("/author/jil-schuller", "/autor/c1ph4/"): a link to it whose text
# is the same name as its address is a byline, wherever the page puts it
_AUTHOR_PAGE = re.compile(r"/(?:author|autor|auteur|autore|redakteur|journalist|writer)(?:s|en)?/([^/?#]+)", re.I)
# the number a CMS appends to an archive page's address ("/auteur/emmanuelle-ducros-187")
_ARCHIVE_ID = re.compile(r"[-_.]\d+/?$")
_ARCHIVE_LINKS = ("//body//a[@href][not(ancestor::nav or ancestor::footer or ancestor::header or ancestor::aside"
                  f" or {_IN_COMMENTS})]")
# the links after the headline: the article's own byline stands there, teasers above it name others
_ARCHIVE_LINKS_AFTER_HEADLINE = "(//h1)[1]/following::a[@href]"
# a byline as a page writes it: a byline word first, then the names; before the word, at most a
# rule of dashes or bullets ("---- by Kenneth Surin") or the posting date ("Posted on September 21,
# 2020 by Adi Tzlil", the default byline of blog templates)
_BYLINE_WORD = re.compile(r"^(?:[-–—·•*»\s]+|(?:posted|published|veröffentlicht|publié|publicado)\b[^!?]{0,40}?\d[^!?]{0,20}?\s)?"
                          r"(?:(?:written|posted|geschrieben|text|ein artikel|verfasst)\s+(?:by|von)|by|von|par|por|door|av|af"
                          r"|autor(?:in)?|auteur|author)\b\s*:?\s*", re.I)
_BYLINE_START = re.compile(_BYLINE_WORD.pattern + r"(?=\S)", re.I)
_OUTSIDE_OTHERS = ("not(ancestor::script or ancestor::style or ancestor::nav or ancestor::footer"
                   f" or ancestor::aside or ancestor::li or ancestor::figure or ancestor::figcaption or {_IN_COMMENTS})")
_BYLINE_TEXTS = f"//body//text()[{_OUTSIDE_OTHERS}]"
# the text after the headline, where a name and the date after it are the byline ("Sehernur Karsu |
# 05.04.2025", "Jacobo Betancur Peláez | Publicado hace 3 horas"), up to this many characters
_AFTER_HEADLINE_TEXTS = f"(//h1)[1]/following::text()[{_OUTSIDE_OTHERS}]"
_AFTER_HEADLINE_ALL_TEXTS = "(//h1)[1]/following::text()[not(ancestor::script or ancestor::style)]"
_NOT_HEADER_LIST = frozenset({"nav", "footer", "aside", "figure", "figcaption"})
_NAME_DATE_LINE = re.compile(r"^([^|·•]+?)\s*[|·•]\s*(.*)$")
_NAME_DATE_CHARS = 1500
_MAX_BYLINE_CHARS = 100
_MAX_BYLINE_NAME_WORDS = 4
# the words that open another credit after a byline's names ("Illustration von", "Photos by")
_CREDIT_WORDS = frozenset({"von", "by", "par", "por", "door"})
# the lower-case words inside a name ("Jose de la Cruz", "Robin van Persie"); not "von", a byline word, nor
# "der", an article ("Projektleiterin der HSS")
_PARTICLES = frozenset({"de", "la", "del", "da", "das", "do", "dos", "di", "du", "van", "bin", "al"})
# a Chinese page's editors: "(责编：牛镛、岳弘彬)", "责任编辑：孔德明"
_CJK_EDITORS = re.compile(r"(?:责任编辑|责编|編輯|编辑)\s*[:：]\s*([^\s()（）]{2,}(?:、[^\s()（）]{2,})*)")
# the schema.org types of a page's own work, whose ``author`` is its byline: articles, postings,
# reports, and the recipes and how-tos of magazine pages ("Recipe", "HowTo"; a "WebPage" or
# "WebSite" author is the site's, and reading those did not hold, issue 12)
_ARTICLE_TYPES = re.compile(r"article|posting|report|recipe|howto", re.I)
_ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation", "WebSite", "Brand"})
# a name given as a URL slug or user name ("chuck-ross", "edilson.la.rosa"): no spaces, no capitals
_SLUG = re.compile(r"^[a-z0-9]+(?:[-._][a-z0-9]+)+$")
_SLUG_PARTS = re.compile(r"[-._]")
# an account, not a name as a byline writes it: a handle ("@natgeouk"), a domain or user name
# with dots and no space ("facebook.com", "evgenia.karp")
_ACCOUNT = re.compile(r"^@|^[^\s.]+(?:\.[^\s.]+)+$")
# the page's text as a reader sees it: no scripts, styles or head
_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_VISIBLE_OUTSIDE_COMMENTS = f"//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or {_IN_COMMENTS})]"
# what stands between the words of a name: spaces, punctuation, underscores
_NOT_WORD = re.compile(r"[\W_]+")
_MAX_NAME_CHARS = 60
_MAX_NAME_WORDS = 6
# the label of an editor's or translator's credit, right before a name ("Edited by", "Editor :",
# "Hrsg.", "übersetzt von", "traduit par")
_EDITOR_LABEL = re.compile(r"(?:edited|editor|editora|editado|hrsg\.?|herausgegeben|translated|übersetzt|traducido|traduit"
                           r"|traduzido)\b\W{0,4}(?:by|von|por|par|de)?\W{0,3}$", re.I)
_EDITOR_LABEL_CHARS = 30
# an author field of a page's own script (an analytics data layer: "'author': 'Naufal Zuhdi'")
_SCRIPT_AUTHOR = re.compile(r"""["']?(?:author|authors|autor|author_?name)["']?\s*[:=]\s*["']([^"'<>{}\[\]]{3,60})["']""", re.I)
_SCRIPTS = "//script[not(@type) or not(contains(@type, 'json'))]"
_VISIBLE_PIECES = ("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::nav"
                   f" or ancestor::footer or ancestor::aside or ancestor::li or {_IN_COMMENTS})]")
# a comment the post's author wrote (WordPress's comment classes), and the visible text inside one
_BY_POST_AUTHOR = "//body//*[contains(concat(' ', normalize-space(@class), ' '), ' bypostauthor ')]"
_VISIBLE_PIECES_HERE = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
# how far apart two names of one byline may stand ("By April Roach @aprilroach28 Daniel O'Mahony")
_BYLINE_GAP = 25


def page_authors(tree: HtmlElement, library_authors: str | None, site_names: Iterable[str | None],
                 url: str | None = None) -> list[str]:
    """The page's authors: JSON-LD ``Person`` names when the publisher declares them (with the
    names trafilatura found that the byline writes right beside them), else the
    names trafilatura found (``library_authors``, "A; B") that the page shows, else the names of
    the links to an author's archive page that agree with its address, else those of its byline
    line; the outlet (``site_names``:
    its name, its host's; a name the page's host ``url`` holds or abbreviates) and its owners dropped.

    A name trafilatura read from a template's meta tag or a heuristic and the page never shows
    ("No Author", "Ciphacipha Net" from cipha@cipha.net, a JSON-LD address's "Germany") is not a
    byline. Measured on the tune halves (``benchmarks/extraction.py``): authors F1 names only
    extraction-dev 0.655 → 0.665, fundus 0.897 → 0.900; no tune page lost a right name. Names
    written as the page writes them ("T. V. Raman", not trafilatura's "T V Raman") and declared
    user names in their shown form ("edilson.la.rosa"): extraction-dev tune 0.665 → 0.689,
    validation 0.678 → 0.694; fundus unchanged on both halves. Issue 12, fourth pass (tune
    names only, extraction-dev / fundus, each change alone): the outlet in the host (a name the
    host holds, "Google" on security.googleblog.com, or whose initials it is, "Deutsche Welle" on
    dw.com) 0.689 → 0.701 / 0.900; byline words ("Vom", "责任编辑：", a trailing "Stand", "A im
    Gespräch mit B", field labels such as "Name") 0.689 → 0.710 / 0.900; a declared user name
    written without separators in its shown form ("arianschlichenmayer") 0.689 → 0.693 / 0.900;
    the archive-link and editor fallback 0.689 → 0.699 / 0.900 → 0.913. All four: tune 0.737 / 0.913,
    validation 0.694 → 0.719 / 0.838 (unchanged). Last, where neither names anyone, the page's
    byline line (``_byline_line_names``): tune 0.737 → 0.780 / 0.913 → 0.917, validation 0.719 →
    0.748 / 0.838 → 0.839 (a first form that read figure captions too gave fundus 0.832). Sixth
    pass: the authors of a Recipe or HowTo object count as an article's (``_ARTICLE_TYPES``):
    tune 0.780 → 0.785 / 0.917, validation 0.748 → 0.754 / 0.839; a byline label alone in its
    element read with the text after it ("<span>Autor:</span> Fritz Imhof"): tune 0.785 → 0.791 /
    0.924, validation unchanged (0.758 / 0.839); a digit inside a word ends no name ("BR24
    Redaktion", the outlet's desk, was read "BR"): tune 0.791 / 0.924 → 0.928, validation unchanged.
    Seventh pass: a name trafilatura found beside a declared one in the page's byline (a co-author
    the JSON-LD leaves out): tune 0.791 → 0.796 / 0.928, validation unchanged (0.758 / 0.839); all
    of trafilatura's shown names joined to the declared ones had cost fundus 0.900 → 0.854.
    Readers' comments give no byline line or archive link (``_IN_COMMENTS``): tune 0.796 → 0.797 /
    0.928, validation unchanged. A name the page writes only after an editor's or translator's
    label ("Edited by Adrian Parr", "Editor : Heryadi") is not the writer's: tune 0.797 → 0.799 /
    0.928 → 0.931, validation unchanged. Eighth pass, last of the fallbacks: an author field of
    the page's own scripts that it shows as a whole text piece (``_script_names``): tune 0.799 /
    0.931 → 0.799 / 0.935, validation 0.758 → 0.762 / 0.839. An archive address with the id its
    CMS appends ("/auteur/emmanuelle-ducros-187", ``_ARCHIVE_ID``): tune 0.799 → 0.802 / 0.935,
    validation unchanged (0.762 / 0.839). Last, a name and then the date under the headline
    ("Sehernur Karsu | 05.04.2025", ``_name_date_names``): tune 0.802 / 0.935 → 0.804 / 0.939,
    validation unchanged. A byline line after a rule of dashes or the posting date ("---- by
    Kenneth Surin", "Posted on September 21, 2020 by Adi Tzlil"): tune 0.804 → 0.809 / 0.939,
    validation unchanged (0.762 / 0.839). Last of all, the text of the first ``rel="author"`` link
    (``_rel_author_names``; blog templates' bylines, user names too): tune 0.809 → 0.817 / 0.939,
    validation 0.762 → 0.765 / 0.839. A name trafilatura found must be shown outside readers'
    comments ("stephangoeldi said on August 3" was read as two names): tune 0.817 → 0.820 / 0.939,
    validation 0.765 → 0.770 / 0.839. The byline line may stand in a list item within
    ``_NAME_DATE_CHARS`` after the headline where no other element has one (``_header_list_texts``):
    tune 0.820 / 0.939 → 0.820 / 0.947, validation 0.770 → 0.775 / 0.839. The archive link after
    the headline first, and an archive address that is the first word of its link's name: tune
    0.820 → 0.825 / 0.947, validation 0.775 → 0.778 / 0.839. Last of all, the user name of the
    post's author answering a comment (``_post_author_comment_names``): tune 0.825 → 0.829 / 0.947,
    validation 0.778 → 0.780 / 0.839."""
    people, organisations = _declared(tree)
    library = (library_authors or "").split(";")
    page_text = " ".join(tree.xpath(_VISIBLE_TEXT))
    # a name declared as its URL slug or user name ("chuck-ross", "edilson.la.rosa") takes the
    # form the page shows, else the slug's words capitalised; a user name written without
    # separators ("arianschlichenmayer") the spaced form the page shows ("Arian Schlichenmayer")
    shown = {name_key(name): name.strip() for name in library if " " in name.strip()}
    names: list[str] = [
        shown.get(name_key(name), " ".join(word.capitalize() for word in _SLUG_PARTS.split(name)))
        if _SLUG.match(name) else _spaced(name, page_text)
        for name in people
    ]
    # a name only trafilatura found (meta tags, byline heuristics) must be one the reader sees,
    # and is written as the page writes it
    shows: Callable[[str], bool] = lambda key: True  # noqa: E731
    if not names:
        shows = name_key(" ".join(tree.xpath(_VISIBLE_OUTSIDE_COMMENTS))).__contains__
        names = [_as_written(name, page_text) for name in library]
    else:  # a co-author the JSON-LD leaves out that the byline writes beside a declared name
        declared = list(names)
        names += [_as_written(name, page_text) for name in library if name.strip()
                  and any(_beside(name, person, page_text) for person in declared)]
    not_people = {name_key(name) for name in [*organisations, *site_names] if name and len(name_key(name)) >= 3}
    host = (urlsplit(url).hostname or "").removeprefix("www.") if url else ""

    def is_outlet(name: str, key: str) -> bool:
        # the outlet in its host: a name the host holds ("Google" on security.googleblog.com,
        # "Happyface" on happyface313.com) or whose initials are its first label ("Deutsche Welle"
        # on dw.com, "Hanns-Seidel-Stiftung" on hss.de)
        return (any(outlet in key for outlet in not_people) or (len(key) >= 4 and key in name_key(host))
                or _initials(name) == host.split(".")[0])

    found: dict[str, str] = {}
    for raw in names:
        for name in _split(raw):
            key = name_key(name)
            if (key and key not in found and key not in _LABELS and not is_outlet(name, key) and shows(key)
                    and not _credited_only_as_editor(name, page_text)):
                found[key] = name
    for fallback in (_archive_names(tree, page_text), _byline_line_names(tree), _script_names(tree),
                     _name_date_names(tree), _rel_author_names(tree), _post_author_comment_names(tree)):
        if found:
            break
        for name in fallback:
            key = name_key(name)
            if key and key not in found and key not in _LABELS and not is_outlet(name, key):
                found[key] = name
    return list(found.values())


def _beside(name: str, other: str, page_text: str) -> bool:
    """Whether the page writes ``name`` right beside ``other``, in one byline: at most
    ``_BYLINE_GAP`` characters apart with no sentence end between ("By April Roach @aprilroach28
    Daniel O'Mahony", "Sadhbh O'Sullivan , Elisabeth Kochan")."""
    a, b = re.escape(" ".join(name.split())), re.escape(" ".join(other.split()))
    gap = r"[^.!?\n]{0,%d}" % _BYLINE_GAP
    return re.search(f"{a}{gap}{b}|{b}{gap}{a}", page_text, re.I) is not None


def _credited_only_as_editor(name: str, page_text: str) -> bool:
    """Whether every place the page writes ``name`` follows an editor's or translator's label
    ("Edited by Adrian Parr", "Editor : Heryadi"): the page credits that person with another's
    text, and the writer is someone else (a name also written without the label stays)."""
    places = [found.start() for found in re.finditer(r"(?<![^\W_])" + re.escape(" ".join(name.split())), page_text, re.I)]
    return bool(places) and all(_EDITOR_LABEL.search(page_text[max(0, start - _EDITOR_LABEL_CHARS):start])
                                for start in places)


def _spaced(name: str, page_text: str) -> str:
    """A lower-case user name run together ("arianschlichenmayer") as the page writes it with
    spaces between its words ("Arian Schlichenmayer"), else as it is."""
    if not (name.isalpha() and name.islower()):
        return name
    letters = r"[\W_]{0,2}".join(re.escape(letter) for letter in name)
    for written in re.finditer(r"(?<![^\W_])" + letters + r"(?![^\W_])", page_text, re.I):
        if " " in written[0]:
            return " ".join(written[0].split())
    return name


def _initials(name: str) -> str:
    """The initials of a name of two words or more ("Hanns-Seidel-Stiftung" → "hss"), else ""."""
    words = [word for word in re.split(r"[\s\-]+", name) if word]
    return "".join(word[0].casefold() for word in words) if len(words) >= 2 else ""


def _archive_names(tree: HtmlElement, page_text: str) -> Iterator[str]:
    """Names a page without metadata gives its byline in two published forms: a link to the
    author's archive page or mail address whose text is the same name as the address
    ("<a href="/autor/jil-schuller">Jil Schuller</a>", "mailto:david.straub@…" on "David Straub,
    MDR THÜRINGEN"), or an archive page named by the first word of the name its link writes
    whole ("/author/amelie/" for "Amelie Marie Nishizawa": a blog's user name), outside
    navigation, headers, footers and asides, the first such link after the headline (a teaser
    above it names its own author) or else before it, and those beside it (a list of related
    articles further down names other authors); and a Chinese page's editors ("(责编：牛镛、岳弘彬)")."""
    byline = None
    links = tree.xpath(_ARCHIVE_LINKS)
    after = set(tree.xpath(_ARCHIVE_LINKS_AFTER_HEADLINE))
    for link in [link for link in links if link in after] + [link for link in links if link not in after]:
        if byline is not None and link.getparent() is not byline:
            continue
        href = unquote(link.get("href") or "")
        archive = _AUTHOR_PAGE.search(href)
        if archive is not None:
            address = _ARCHIVE_ID.sub("", archive[1])
        elif href.startswith("mailto:") and "@" in href:
            address = href.removeprefix("mailto:").split("@")[0]
        else:
            continue
        text = " ".join(link.text_content().split())
        for name in (text, *_split(text)):
            if name and (name_key(name) == name_key(address) or (
                    archive is not None and len(_capitalised_run(name.split())) == len(name.split())
                    and name_key(name.split()[0]) == name_key(address))):
                byline = link.getparent()
                yield name
                break
    for editors in _CJK_EDITORS.finditer(page_text):
        yield from editors[1].split("、")


def _script_names(tree: HtmlElement) -> Iterator[str]:
    """The author fields of the page's own scripts (analytics data layers) whose value the page
    shows as a whole text piece outside lists, asides, navigation, footers and comments: a name the
    publisher's template fills in twice, once for its trackers and once for the reader."""
    pieces = {" ".join(text.split()) for text in tree.xpath(_VISIBLE_PIECES)}
    for script in tree.xpath(_SCRIPTS):
        for field in _SCRIPT_AUTHOR.finditer(script.text or ""):
            if (name := " ".join(field[1].split())) in pieces:
                yield name


def _byline_line_names(tree: HtmlElement) -> Iterator[str]:
    """The names of the first short element whose text is a byline: a byline word ("By", "Von",
    "Par", "Autor:", "Written by") and then names of capitalised words ("Von Cosima Künzel",
    "Par Matthieu Hy le 07 Mai 2020", "By Jose de la Cruz"), outside navigation, footers, asides,
    list items (other articles' bylines) and figures (a photo's credit: "By Getty Images"). A name is two words or more: one capitalised word
    is as often a noun, a place or a role ("Uta Staschewski, Projektleiterin"). Where no such
    element names anyone, a list item right under the headline (``_header_list_texts``: the
    article's own line of fields, "<li>Von: <a>Bill McCarthy</a></li>") may."""
    for text_node in chain(tree.xpath(_BYLINE_TEXTS), _header_list_texts(tree)):
        if not _BYLINE_WORD.match(text_node.strip()):
            continue
        element = text_node.getparent()
        if text_node.is_tail:  # "<b>Foto</b> Von Cosima Künzel": the words after the element
            text = " ".join(text_node.split())
        elif len(element.text_content().split()) == 1 and (element.tail or "").strip():
            # a label and its value: "<span>Autor:</span> Fritz Imhof<br>" (the label's parent
            # holds the page's other fields too: "Datum: 19.11.2021 Autor: …")
            text = " ".join(f"{text_node} {element.tail}".split())
        else:  # "<span>By</span> <a>Ana Costa</a>": the element's parent holds the names
            element = element if len(element.text_content().split()) > 1 else element.getparent()
            text = " ".join(element.text_content().split())
        start = _BYLINE_START.match(text) if len(text) <= _MAX_BYLINE_CHARS else None
        if start is None:
            continue
        names = [" ".join(words) for part in _JOINERS.split(text[start.end():]) for piece in part.split(",")
                 if (words := _capitalised_run(piece.split()))]
        if names:
            yield from names
            return


def _header_list_texts(tree: HtmlElement) -> Iterator[str]:
    """The text pieces of list items within ``_NAME_DATE_CHARS`` of text after the headline, outside
    navigation, footers, asides and figures: a template that lists the article's fields (author,
    date, category) under its headline; other articles' lists stand further down."""
    read = 0
    for text_node in tree.xpath(_AFTER_HEADLINE_ALL_TEXTS):
        if read > _NAME_DATE_CHARS:
            return
        read += len(text_node.strip())
        element = text_node.getparent()
        tags = {node.tag for node in (element, *element.iterancestors())}
        if "li" in tags and not tags & _NOT_HEADER_LIST:
            yield text_node


def _name_date_names(tree: HtmlElement) -> Iterator[str]:
    """The name of a byline written without a byline word, as a name and then the date: the first
    text piece after the headline (within ``_NAME_DATE_CHARS``, outside lists, asides, figures,
    navigation, footers and comments) that is two to four capitalised words, a separator ("|",
    "·", "•") and a number after it or in the next piece ("Sehernur Karsu |" <span>05.04.2025</span>)."""
    pieces: list[str] = []
    for text in tree.xpath(_AFTER_HEADLINE_TEXTS):
        if " ".join(text.split()):
            pieces.append(" ".join(text.split()))
        if sum(map(len, pieces)) > _NAME_DATE_CHARS:
            break
    for number, piece in enumerate(pieces):
        line = _NAME_DATE_LINE.match(piece)
        if line is None:
            continue
        words = line[1].split()
        after = line[2] or (pieces[number + 1] if number + 1 < len(pieces) else "")
        if _capitalised_run(words) == words and any(char.isdigit() for char in after):
            yield line[1]
            return


def _rel_author_names(tree: HtmlElement) -> Iterator[str]:
    """The text of the page's first link typed ``rel="author"`` (HTML's link type for "information
    about the author of the current article"), outside navigation, footers, asides, lists and
    comments: the byline of blog templates ("<a rel="author" href="/author/murdelta/">marc</a>")."""
    for link in tree.xpath(f"//body//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')][{_OUTSIDE_OTHERS}]"):
        if text := " ".join(link.text_content().split()):
            yield text
            return


def _post_author_comment_names(tree: HtmlElement) -> Iterator[str]:
    """The name of the post's author where it answers readers' comments: WordPress classes a comment
    by the post's author "bypostauthor" and "comment-author-{user name}", and the comment shows that
    name ("<li class="comment bypostauthor comment-author-jancak"> … Kommentar von <a>jancak</a>").
    The first such comment whose visible text writes the classed user name gives it."""
    for comment in tree.xpath(_BY_POST_AUTHOR):
        user = next((name.removeprefix("comment-author-") for name in (comment.get("class") or "").split()
                     if name.startswith("comment-author-")), "")
        for text in comment.xpath(_VISIBLE_PIECES_HERE):
            if user and name_key(text) == name_key(user):
                yield " ".join(text.split())
                return


def _capitalised_run(words: list[str]) -> list[str]:
    """The words a name starts with: two to four capitalised ones, with the lower-case particles
    between them ("Jose de la Cruz"), up to the label of the next credit ("Christian Seiler
    Illustration von Markus Wurzer", "Kossivi Tiassou Edition : M-A. Pioerron"); none when the first
    is not capitalised or the name is one word (German capitalises its nouns: "Von Montag an")."""
    run: list[str] = []
    for number, word in enumerate(words):
        following = words[number + 1] if number + 1 < len(words) else ""
        if word.endswith(":") or following == ":" or following.casefold() in _CREDIT_WORDS:
            break
        if word[0].isupper() and any(c.isalpha() for c in word) and not any(c.isdigit() for c in word):
            run.append(word.rstrip(";"))
        elif run and word in _PARTICLES and (following[:1].isupper() or following in _PARTICLES):
            run.append(word)
        else:
            break
    while run and run[-1] in _PARTICLES:
        run.pop()
    capitalised = sum(word[0].isupper() for word in run)
    return run if 2 <= capitalised <= _MAX_BYLINE_NAME_WORDS and not _BYLINE_START.match(run[0]) else []


def _as_written(name: str, page_text: str) -> str:
    """A name with the punctuation between its words the page gives it: trafilatura keeps only
    letters and spaces ("T V Raman", "Michael L Anderson", "ThE PaiN") where the byline reads
    "T. V. Raman", "Michael L. Anderson", "ThE_PaiN". The first place the page's visible text
    writes the same words, in order, with only punctuation or spaces between them, gives the
    form; a name the page writes only as trafilatura does is kept as it is."""
    words = [re.escape(word) for word in _NOT_WORD.split(name) if word]
    if len(words) < 2:
        return name
    written = re.search(r"(?<![^\W_])" + r"[\W_]{1,3}".join(words) + r"(?![^\W_])", page_text, re.I)
    if written is None or " ".join(written[0].split()).casefold() == " ".join(name.split()).casefold():
        return name
    return " ".join(written[0].split())


def byline_names(byline: str) -> list[str]:
    """The names of a byline a record or feed gives ("By A and B; C"), each once."""
    return list({name_key(name): name for name in _split(byline)}.values())


def _split(raw: str) -> Iterator[str]:
    """The names one byline string holds, each cleaned of what surrounds it."""
    for part in _JOINERS.split(raw):
        name = _TAIL.sub("", _PREFIX.sub("", " ".join(part.split()))).strip(" ,.:-–—|")
        inner = _INNER_BYLINE.search(name)  # "Capital von Jemima Kelly": the magazine, then the byline
        if inner and all(word[0].isupper() for word in inner[1].split()):
            name = inner[1]
        if name.count(",") == 1 and " " not in name.replace(", ", ""):  # "Brazil, Rachel": surname first
            surname, given = name.split(", ")
            name = f"{given} {surname}"
        for piece in name.split(", "):
            if (2 <= len(piece) <= _MAX_NAME_CHARS and len(piece.split()) <= _MAX_NAME_WORDS
                    and any(c.isalpha() for c in piece) and not _ACCOUNT.search(piece)):
                yield piece


def name_key(name: str) -> str:
    """A name as compared: letters and digits only, case folded ("Emma-Mackenzie" = "Emma Mackenzie")."""
    return "".join(c for c in name.casefold() if c.isalnum())


def host_names(url: str | None) -> list[str]:
    """The names a host gives its outlet: "hessenschau.de" → "hessenschau.de", "hessenschau"."""
    host = (urlsplit(url).hostname or "") if url else ""
    host = host.removeprefix("www.")
    return [host, host.split(".")[0]] if host else []


def _declared(tree: HtmlElement) -> tuple[list[str], list[str]]:
    """Person names of the article objects' ``author``, and every organisation named as author
    or publisher, from the page's JSON-LD."""
    people: list[str] = []
    organisations: list[str] = []
    for item, is_article in jsonld_objects(tree):
        for publisher in _as_list(item.get("publisher")):
            organisations.append(_name_of(publisher))
        for author in _as_list(item.get("author")):
            name = _name_of(author)
            if isinstance(author, dict) and any(kind in _ORGANISATION_TYPES for kind in _types(author)):
                organisations.append(name)
            elif is_article and name:
                people.append(name)
    return [name for name in dict.fromkeys(people) if name], [name for name in organisations if name]


def jsonld_objects(tree: HtmlElement) -> Iterator[tuple[dict, bool]]:
    """Every object of the page's JSON-LD, and whether it is an article (NewsArticle, BlogPosting…)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (json.JSONDecodeError, ValueError):
            continue
        for item in _objects(data):
            yield item, any(_ARTICLE_TYPES.search(kind) for kind in _types(item))


def _objects(data: Any) -> Iterator[dict]:
    """Every JSON object in a JSON-LD document (``@graph`` and nested ones included)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.extend(value for key, value in item.items() if key in ("@graph", "mainEntity", "itemListElement"))


def _types(item: dict) -> list[str]:
    return [str(kind) for kind in _as_list(item.get("@type"))]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _name_of(value: Any) -> str:
    if isinstance(value, str):
        return value if not value.startswith(("http://", "https://")) else ""
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    return ""

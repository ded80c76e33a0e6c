"""clean_html: main text, metadata and furniture of HTML news pages (pages written for these tests)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_script
from parallax.clean.html import clean_html, default_patterns
from parallax.errors import Errors, InputError
from parallax.settings import load_options

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "html"
EXTRACTION_DEV = ROOT / ".." / "shared" / "data" / "extraction-dev"


@pytest.fixture(scope="module")
def options():
    return load_options()


@pytest.fixture(scope="module")
def news(options):
    return clean_html((PAGES / "news_related.html").read_bytes(), "https://courier.example.org/x", options)


def test_article_text_kept(news):
    assert "voted on Wednesday evening to open a second ferry line" in news.text
    assert "The first crossings are expected next spring" in news.text
    assert news.extractor == "trafilatura"


def test_related_block_caption_share_bar_and_prompt_stay_out(news):
    for furniture in ("Related Articles", "Fishing fleet sees record winter catch", "Island school wins", "Marta Jensen",
                      "Share on Facebook", "Sign up for our morning newsletter"):
        assert furniture not in news.text
    assert "2026" not in news.text


def test_read_more_line_is_furniture(news):
    assert "Island villages ask for a night ferry" not in news.text
    # the byline line is the lexicon's furniture (the article's authors hold the names)
    assert news.furniture == ["By Ana Costa and Luis Lima", "Read more: Island villages ask for a night ferry"]


def test_the_headline_is_the_title_not_the_first_line_of_the_text(news, options):
    """Issue 12: trafilatura keeps the <h1> on some pages; the title holds it, the text starts with the article."""
    assert news.title == "Harbour council approves new ferry line"
    assert not news.text.startswith("Harbour council") and "Harbour council approves" not in news.furniture
    page = (PAGES / "news_related.html").read_text("utf-8").replace("<h1>Harbour council approves new ferry line</h1>",
                                                                   "<h1>Council news</h1>")
    assert clean_html(page, None, options).text.startswith("Council news")  # another heading is text


def test_related_heading_takes_its_teasers_with_it(options):
    page = (PAGES / "news_related.html").read_text("utf-8").replace(
        "<p>Read more: Island villages ask for a night ferry</p>",
        "<p>Related stories</p><p>Island villages ask for a night ferry</p><p>Lighthouse restoration finally begins</p>")
    article = clean_html(page, None, options)
    assert "Lighthouse restoration" not in article.text and "The first crossings are expected" in article.text
    assert article.furniture[-3:] == ["Related stories", "Island villages ask for a night ferry", "Lighthouse restoration finally begins"]


def test_metadata_from_the_page(news):
    assert news.title == "Harbour council approves new ferry line"
    assert news.outlet == "The Tidewater Courier"
    assert news.url == "https://courier.example.org/news/harbour-ferry-line"  # the canonical link
    assert news.published is not None
    assert (news.published.value, news.published.granularity, news.published.source) == ("2019-03-14", "day", "html")
    assert news.language is None


def test_meta_date_wins_over_a_2026_teaser(options):
    page = (PAGES / "teaser_date.html").read_bytes()
    article = clean_html(page, "https://rail.example.com/strike-ends", options)
    assert article.published is not None
    assert article.published.value == "2018-07-19"
    assert article.published.source == "html"


def test_a_day_only_a_generic_date_meta_gives_is_no_date(options):
    """Issue 12: a bare ``date`` or Dublin Core ``DC.date`` meta tag (often the print edition's day or
    the last change) is all that dates the page: no date; a publication meta tag, or another source
    giving the same day, dates it."""
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace('property="article:published_time"', 'name="DC.date"')
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published is None
    shown = page.replace("</h1>", '</h1>\n<p class="byline"><time datetime="2018-07-19">19 July 2018</time></p>')
    assert clean_html(shown, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_the_json_ld_publication_day_outweighs_a_generic_date_tag(options):
    """Issue 12: a print edition's ``date`` tag gives the day after the JSON-LD ``datePublished``:
    the tag (and htmldate, which reads it) does not vote against the declared publication."""
    declared = ('<meta name="date" content="2018-07-20">'
                '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2018-07-19T19:30:00+02:00"}'
                "</script>")
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        '<meta property="article:published_time" content="2018-07-19">', declared).replace(
        '<span class="date">March 3, 2026</span>', "")
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_a_meta_date_holding_the_updates_time_does_not_outvote_the_json_ld(options):
    """Issue 12: the template fills ``article:published_time`` with the instant the JSON-LD declares as
    the article's ``dateModified`` (the day after its ``datePublished``): that tag is the update's,
    and it (with htmldate, which reads it) does not vote. Where the publication is the same day, the
    update's tag changes nothing."""
    def page_with(published_tag: str) -> str:
        declared = (f'<meta property="article:published_time" content="{published_tag}">'
                    '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2018-07-19T13:23:00Z",'
                    ' "dateModified": "2018-07-20T19:49:50Z"}</script>')
        return (PAGES / "teaser_date.html").read_text("utf-8").replace(
            '<meta property="article:published_time" content="2018-07-19">', declared).replace(
            '<span class="date">March 3, 2026</span>', "")

    published = clean_html(page_with("2018-07-20T19:49:50Z"), "https://rail.example.com/strike-ends", options).published
    assert published is not None and published.value == "2018-07-19"
    # another time of the day after is no update's: the two days stand against each other
    assert clean_html(page_with("2018-07-20T08:00:00Z"), "https://rail.example.com/strike-ends", options).published is None


def test_the_json_ld_date_is_the_article_objects_not_its_images(options):
    """Issue 12: htmldate's JSON pattern takes the first "datePublished" of the script, here the
    article image's (the day before); the article object's own ``datePublished`` is the JSON-LD's
    day, and it agrees with the meta tag."""
    declared = ('<meta property="article:published_time" content="2018-07-19">'
                '<script type="application/ld+json">{"@type": "NewsArticle", "image": {"@type": "ImageObject",'
                ' "datePublished": "2018-07-12T08:00:00Z"}, "datePublished": "2018-07-19T19:30:00+02:00"}</script>')
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        '<meta property="article:published_time" content="2018-07-19">', declared)
    published = clean_html(page, "https://rail.example.com/strike-ends", options).published
    assert published is not None and published.value == "2018-07-19"


def test_date_only_in_url_says_so(options):
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace('<meta property="article:published_time" content="2018-07-19">', "")
    page = page.replace('<span class="date">March 3, 2026</span>', "")  # a teaser's date would tie with the URL's
    article = clean_html(page, "https://rail.example.com/2018/07/20/strike-ends", options)
    assert article.published is not None
    assert (article.published.value, article.published.source) == ("2018-07-20", "url")


def test_no_article_raises_e110(options):
    with pytest.raises(InputError) as raised:
        clean_html((PAGES / "no_article.html").read_bytes(), None, options)
    assert raised.value.code is Errors.E110


@pytest.mark.parametrize("body", [b"", b"   ", b"\x00\x01\x02binary"])
def test_empty_or_junk_raises_e110(options, body):
    with pytest.raises(InputError) as raised:
        clean_html(body, None, options)
    assert raised.value.code is Errors.E110


def test_truncated_html_still_gives_text(options):
    page = (PAGES / "news_related.html").read_text("utf-8")
    cut = page[: page.index("the two thousand people")]
    article = clean_html(cut, None, options)
    assert "voted on Wednesday evening" in article.text
    assert "Supporters said the new line would halve travel times for" in article.text


def test_bytes_in_a_declared_legacy_encoding(options):
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace("utf-8", "windows-1252")
    page = page.replace("Passenger groups", "Pässenger groups")
    article = clean_html(page.encode("cp1252"), None, options)
    assert "Pässenger groups welcomed" in article.text


@pytest.mark.slow
@pytest.mark.skipif(not (EXTRACTION_DEV / "evaldata.json").is_file(), reason="needs ../shared/data/extraction-dev")
def test_not_worse_than_the_plain_libraries_on_dev_pages():
    """The eval gate, on 30 pages of each dev set (both halves): our text is at least plain
    trafilatura's, our titles and bylines at least as often right, and our dates no more often
    wrong than htmldate's. The bylines are read as ``--authors`` and BENCHMARKS.md read them, on
    their own (``html_authors``): a page whose only text is furniture (a photo caption) holds no
    article and is refused, and a byline is measured apart from that."""
    benchmark = load_script(ROOT / "benchmarks" / "extraction.py")
    pages = benchmark.load_pages(30, None)
    systems = {"parallax": benchmark.parallax_reader(load_options(), default_patterns()),
               "trafilatura": benchmark.library_text, "htmldate": benchmark.htmldate_default,
               "parallax-authors": benchmark.parallax_authors}
    scores = benchmark.evaluate(pages, systems)
    for dataset in benchmark.SETS:
        ours, plain, dates, bylines = (benchmark.merged(scores, name, dataset) for name in systems)
        assert ours.text_score() >= plain.text_score() - 0.005
        assert ours.titles_right >= plain.titles_right
        assert bylines.author_f1() >= plain.author_f1()
        assert ours.dates_wrong <= dates.dates_wrong


def test_the_benchmark_knows_a_gold_date_the_page_never_writes():
    """The reachable share of gold dates (benchmarks/extraction.py): a day written out in any common
    form counts, another day does not, and a gold that is no calendar day is neither."""
    benchmark = load_script(ROOT / "benchmarks" / "extraction.py")

    def page(gold: str) -> object:
        html = "<html><body><p>Erschienen am 19. Oktober 2019</p><time datetime='2019-10-18'>gestern</time></body></html>"
        return benchmark.Page("extraction-dev", "p", "example.org", "", html.encode(), None, None, gold)

    assert benchmark.gold_date_shown(page("2019-10-19")) is True
    assert benchmark.gold_date_shown(page("2019-10-18")) is True
    assert benchmark.gold_date_shown(page("2019-10-20")) is False
    assert benchmark.gold_date_shown(page("2019-29-10")) is None


def test_article_text_is_every_rule_on_top_of_trafilatura():
    """clean_html's rules after trafilatura in one step, which the ablation switches off one by one:
    the furniture lines go (and are kept apart), a first line that is the headline goes, and
    without a title the headline line stays."""
    from parallax.clean.html import article_text

    extracted = "Harbour council approves new ferry line\nThe council voted to open a second line.\nRead more: Island villages"
    assert article_text(extracted, "Harbour council approves new ferry line", default_patterns()) == (
        "The council voted to open a second line.", ["Read more: Island villages"])
    assert article_text(extracted, None, default_patterns())[0].startswith("Harbour council approves")


def test_lines_the_furniture_lexicon_knows_leave_the_html_text():
    """Issue 12: the plain-text furniture lexicon's lines (strong lines and phrases, block headers)
    leave trafilatura's text too, a long one as well; a table's row of figures and a date line,
    which ``is_known_furniture`` also calls furniture, stay (they may be the article's)."""
    from parallax.clean.html import article_text

    prompt = ("Follow The Courier on Twitter and Instagram @TidewaterCourier and on Facebook @TidewaterCourier. Send us a "
              "message on WhatsApp at 1-555-0199 or email us at newsroom@courier.example.org with your story ideas.")
    assert len(prompt) > default_patterns().max_line_chars
    extracted = "\n".join(["The council voted to open a second line.", "Log in or create an account to continue", prompt,
                           "| 2025 | 1,204 | 0.40% |", "Freitag, 28.04.2023, 19:25", "The first crossings are next spring."])
    text, dropped = article_text(extracted, None, default_patterns())
    assert dropped == ["Log in or create an account to continue", prompt]
    assert "| 2025 | 1,204 | 0.40% |" in text and "Freitag, 28.04.2023, 19:25" in text


def test_a_block_header_of_the_lexicon_takes_its_teasers_with_it():
    """As a "Related" heading does: the furniture lexicon's block header ("Ähnliche Artikel") heads
    the teaser headlines under it, up to the next prose."""
    from parallax.clean.html import article_text

    extracted = "\n".join(["Der Gemeinderat hat die zweite Fährlinie beschlossen.", "Ähnliche Artikel",
                           "Inseldörfer fordern eine Nachtfähre", "Leuchtturm wird endlich saniert",
                           "Die ersten Fahrten sind für das Frühjahr geplant."])
    text, dropped = article_text(extracted, None, default_patterns())
    assert dropped == ["Ähnliche Artikel", "Inseldörfer fordern eine Nachtfähre", "Leuchtturm wird endlich saniert"]
    assert text.endswith("Die ersten Fahrten sind für das Frühjahr geplant.")


def test_the_ablation_counts_the_sites_a_rule_helps_and_hurts():
    """A rule that gains much on one site and loses a little on two others raises the mean and
    still helps on fewer sites than it hurts: the ablation counts sites, not only the mean."""
    benchmark = load_script(ROOT / "benchmarks" / "extraction.py")
    gold = "one two three four five six seven eight nine ten"
    scores = {}
    for site, with_rule, without_rule in (("a.example", gold, "one two three four"),
                                          ("b.example", "one two three four five six seven eight", gold),
                                          ("c.example", "one two three four five six seven eight", gold),
                                          ("d.example", gold, gold)):
        page = benchmark.Page("fundus", site, site, "", b"", None, None, None, body=gold)
        for name, text in (("all rules", with_rule), ("-rule", without_rule)):
            scores.setdefault((name, "fundus", site), benchmark.Score()).add(page, benchmark.Reading(text=text))
    mean = {name: sum(scores[(name, "fundus", s)].text_score() for s in ("a.example", "b.example", "c.example")) / 3
            for name in ("all rules", "-rule")}
    assert mean["all rules"] > mean["-rule"]
    assert benchmark.site_counts(scores, "all rules", "-rule", "fundus") == (1, 2)


_BYLINE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour council approves new ferry line | The Tidewater Courier</title>
<meta property="og:site_name" content="The Tidewater Courier">
<meta name="author" content="Tidewater Media Group">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Harbour council approves new ferry line",
 "author": [{"@type": "Person", "name": "Ana M. Costa"}, {"@type": "Person", "name": "luis-lima"},
            {"@type": "Organization", "name": "The Tidewater Courier"}],
 "publisher": {"@type": "Organization", "name": "Tidewater Media Group"}}</script>
</head><body><article><h1>Harbour council approves new ferry line</h1>
<p class="byline">By <a rel="author" href="/luis-lima">Luis Lima</a></p>
<p>The harbour council voted on Wednesday evening to open a second ferry line between the north pier and the
island villages, ending a dispute that has divided the town for three years.</p>
<p>Councillors approved the plan by nine votes to four after a debate that ran past midnight.</p>
</article></body></html>"""


def test_authors_are_the_people_the_publisher_names(options):
    """Issue 12: names as the page writes them, a slug in its shown form, never the outlet or its owner."""
    article = clean_html(_BYLINE_PAGE, "https://courier.example.org/news/ferry", options)
    assert article.authors == ["Ana M. Costa", "Luis Lima"]
    assert article.to_json()["authors"] == ["Ana M. Costa", "Luis Lima"]


def test_the_date_alone_is_the_one_the_article_gets(options):
    """The benchmark's dates-only pass reads the day ``clean_html`` stores, without the text."""
    from parallax.clean.html import html_published
    page = (PAGES / "teaser_date.html").read_bytes()
    published = html_published(page, "https://rail.example.com/strike-ends")
    assert published == clean_html(page, "https://rail.example.com/strike-ends", options).published
    assert published is not None and published.value == "2018-07-19"
    assert html_published("", None) is None


def test_the_bylines_alone_are_the_ones_the_article_gets(options):
    """The benchmark's authors-only pass reads what ``clean_html`` stores, without the text."""
    from parallax.clean.html import html_authors
    assert html_authors(_BYLINE_PAGE, "https://courier.example.org/news/ferry") == ["Ana M. Costa", "Luis Lima"]
    assert html_authors("", None) == []


def test_a_name_the_byline_writes_beside_a_declared_one_is_an_author_too(options):
    """Issue 12: the JSON-LD names one author, the byline two ("By Ana M. Costa and Rui Sousa") and
    trafilatura reads both from the meta tag: the second is a co-author; a name trafilatura found
    that the page writes elsewhere (a photo credit further down) is not."""
    from parallax.clean.html import html_authors
    page = _BYLINE_PAGE.replace('{"@type": "Person", "name": "luis-lima"},', "").replace(
        '<meta name="author" content="Tidewater Media Group">', '<meta name="author" content="Ana M. Costa, Rui Sousa">')
    beside = page.replace('<a rel="author" href="/luis-lima">Luis Lima</a>', "Ana M. Costa and Rui Sousa")
    assert html_authors(beside, "https://courier.example.org/news/ferry") == ["Ana M. Costa", "Rui Sousa"]
    apart = page.replace('<a rel="author" href="/luis-lima">Luis Lima</a>', "Ana M. Costa").replace(
        "</article>", "<p>Rui Sousa took the photographs.</p></article>")
    assert html_authors(apart, "https://courier.example.org/news/ferry") == ["Ana M. Costa"]


def test_a_name_the_page_credits_only_as_editor_is_no_author(options):
    """Issue 12: the JSON-LD names the editor beside the writer, and the page writes the editor's name
    only after "Edited by": the writer is the author; a name also written in the byline stays."""
    from parallax.clean.html import html_authors
    edited = _BYLINE_PAGE.replace('<a rel="author" href="/luis-lima">Luis Lima</a></p>',
                                  '<a rel="author" href="/luis-lima">Luis Lima</a>. Edited by Ana M. Costa</p>')
    assert html_authors(edited, "https://courier.example.org/news/ferry") == ["Luis Lima"]
    both = edited.replace("By <a", "By Ana M. Costa and <a")
    assert html_authors(both, "https://courier.example.org/news/ferry") == ["Ana M. Costa", "Luis Lima"]


def test_a_readers_comment_is_no_byline(options):
    """Issue 12: with no metadata naming anyone, a comment's "Par Bruno Gobin, le 15 mai" is a
    reader's, not the article's byline; the same line in the article is its byline."""
    from parallax.clean.html import html_authors
    page = _BYLINE_PAGE.replace('"author": [', '"contributor": [').replace(
        '<meta name="author" content="Tidewater Media Group">', "").replace(
        '<p class="byline">By <a rel="author" href="/luis-lima">Luis Lima</a></p>', "")
    comment = '<p>Par Bruno Gobin, le mercredi 15 mai 2019</p><p>Tout à fait.</p>'
    commented = page.replace("</article>", f'</article><div id="comments"><div class="comment-body">{comment}</div></div>')
    assert html_authors(commented, "https://courier.example.org/news/ferry") == []
    signed = page.replace("</h1>", "</h1>" + comment)
    assert html_authors(signed, "https://courier.example.org/news/ferry") == ["Bruno Gobin"]


def test_a_page_without_declared_people_falls_back_to_its_byline_without_the_owner(options):
    page = _BYLINE_PAGE.replace('"author": [', '"contributor": [')
    article = clean_html(page, "https://courier.example.org/news/ferry", options)
    assert "Tidewater Media Group" not in article.authors and "The Tidewater Courier" not in article.authors


def test_a_name_the_page_never_shows_is_no_byline(options):
    """A template's author meta tag ("No Author") that no reader sees is not a byline; the shown one is
    (and where it names no one shown, the page's byline line does)."""
    page = _BYLINE_PAGE.replace('"author": [', '"contributor": [').replace(
        '<meta name="author" content="Tidewater Media Group">', '<meta name="author" content="Nora Quill">')
    assert clean_html(page, "https://courier.example.org/news/ferry", options).authors == ["Luis Lima"]  # its byline line
    shown = page.replace('<a rel="author" href="/luis-lima">Luis Lima</a>', '<a rel="author" href="/nq">Nora Quill</a>')
    assert clean_html(shown, "https://courier.example.org/news/ferry", options).authors == ["Nora Quill"]


def test_a_name_keeps_the_punctuation_the_page_writes(options):
    """trafilatura reads the author meta tag "R.C. Baker" as "R C Baker"; the byline the reader
    sees gives the name its points back (a name written only with spaces is left as it is)."""
    page = _BYLINE_PAGE.replace('"author": [', '"contributor": [').replace(
        '<meta name="author" content="Tidewater Media Group">', '<meta name="author" content="R.C. Baker">')
    page = page.replace('<a rel="author" href="/luis-lima">Luis Lima</a>', '<a rel="author" href="/rcb">R.C. Baker</a>')
    assert clean_html(page, "https://courier.example.org/news/ferry", options).authors == ["R.C. Baker"]
    plain = page.replace(">R.C. Baker</a>", ">R C Baker</a>")
    assert clean_html(plain, "https://courier.example.org/news/ferry", options).authors == ["R C Baker"]


def test_a_declared_user_name_takes_the_shown_name(options):
    """A JSON-LD Person named by a dotted user name ("luis.lima") is the byline's "Luis Lima"."""
    page = _BYLINE_PAGE.replace('"name": "luis-lima"', '"name": "luis.lima"')
    assert clean_html(page, "https://courier.example.org/news/ferry", options).authors == ["Ana M. Costa", "Luis Lima"]


def test_byline_strings_become_names_only():
    from parallax.clean.bylines import byline_names

    assert byline_names("By Ana Costa and Luis Lima | 14 March 2019 - Email the author") == ["Ana Costa", "Luis Lima"]
    assert byline_names("Von Jemima Kelly; Brazil, Rachel") == ["Jemima Kelly", "Rachel Brazil"]
    assert byline_names("Ana Costa, Luis Lima & Emma-Mackenzie; emma mackenzie") == ["Ana Costa", "Luis Lima", "emma mackenzie"]
    # an account is not a name: a handle, a domain, a dotted user name
    assert byline_names("@natgeouk; facebook.com; evgenia.karp; R.C. Baker") == ["R.C. Baker"]
    # a magazine or section before the byline word is no part of the name; a nobiliary "von" is
    assert byline_names("Capital Von Jemima Kelly") == ["Jemima Kelly"]
    assert byline_names("Ursula von der Leyen; Alexander von Humboldt") == ["Ursula von der Leyen", "Alexander von Humboldt"]


def test_a_page_that_contradicts_itself_has_no_date(options):
    """Issue 12: the meta tags say one day, the URL another: an unknown date, not a guess."""
    from parallax.clean.document import clean
    from parallax.model import RawDocument

    page = (PAGES / "teaser_date.html").read_bytes()
    url = "https://rail.example.com/2019/01/05/strike-ends"
    assert clean_html(page, url, options).published is None
    assert clean(RawDocument("page.html", "text/html", page, url=url), options).published is None


def test_the_day_most_sources_give_wins_over_the_url(options):
    """Issue 12: the meta tags and JSON-LD agree on a day, the URL's folder says the day before."""
    declared = ('<meta property="article:published_time" content="2018-07-20T09:00:00+02:00">'
                '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2018-07-20T09:00:00+02:00"}'
                "</script>")
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace('<meta property="article:published_time" content="2018-07-19">', declared)
    article = clean_html(page, "https://rail.example.com/2018/07/19/strike-ends", options)
    assert article.published is not None
    assert (article.published.value, article.published.source) == ("2018-07-20", "html")


def test_a_date_line_that_contradicts_the_meta_date_leaves_no_date(options):
    """Issue 12: a meta date (and htmldate, which reads it) against the page's own date line
    under the headline (its ``<time>`` and its text): two days tie, so no date rather than a guess."""
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        "</h1>", '</h1>\n<p class="byline"><time datetime="2018-07-18">18 July 2018</time></p>')
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published is None
    related = page.replace('<p class="byline">', "<ul><li>").replace("</time></p>", "</time></li></ul>")
    assert clean_html(related, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_a_date_line_labelled_published_outvotes_a_meta_date(options):
    """Issue 12: the same date line as above, labelled as the publication's ("Published"), is the
    page's own word for its date: three sources against the meta tag's two, not a tie."""
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        "</h1>", '</h1>\n<p class="byline">Published <time datetime="2018-07-18">18 July 2018</time></p>')
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published.value == "2018-07-18"
    # in a list of other articles the label is theirs
    related = page.replace('<p class="byline">', "<ul><li>").replace("</time></p>", "</time></li></ul>")
    assert clean_html(related, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_the_json_ld_date_loses_only_to_a_clear_majority(options):
    """Issue 12: the JSON-LD ``datePublished`` says another day than the meta tag (and htmldate,
    which reads it): two against one is no clear answer, no date; with the page's date line
    (its ``<time>`` and its text) agreeing with the meta tag, four against one, the majority's day."""
    declared = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2018-07-12"}</script></head>'
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace("</head>", declared)
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published is None
    shown = page.replace("</h1>", '</h1>\n<p class="byline"><time datetime="2018-07-19">19 July 2018</time></p>')
    assert clean_html(shown, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_a_date_far_below_the_headline_is_no_date_line(options):
    """Issue 12: the same date as in the test above, written after a thousand characters of the
    article, is a day the article mentions, not its date line: the meta date stands."""
    body = "<p>" + " ".join(["The timetable for the coming winter is being drawn up by the operator and the union."] * 14) + "</p>"
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        "</h1>", f'</h1>\n{body}<p class="byline"><time datetime="2018-07-18">18 July 2018</time></p>')
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_a_day_the_article_mentions_far_down_is_no_date(options):
    """Issue 12: a page whose only date is one its text mentions after a thousand characters
    (htmldate's extensive search would take it) has no date: htmldate votes in its fast mode."""
    body = "<p>" + " ".join(["The timetable for the coming winter is being drawn up by the operator and the union."] * 14) + "</p>"
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        '<meta property="article:published_time" content="2018-07-19">', "").replace(
        '<span class="date">March 3, 2026</span>', "").replace(
        "</h1>", f"</h1>\n{body}<p>The strike was called on 18 July 2018 by the union.</p>")
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published is None
    dated = page.replace("</title>", '</title><meta property="article:published_time" content="2018-07-19">')
    assert clean_html(dated, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_a_date_line_that_shows_the_update_leaves_no_date(options):
    """Issue 12: the page declares one day published and another modified, and its date line shows
    the update: publication or update, which day the page means is unclear."""
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        "</h1>", '</h1>\n<p class="byline">Updated 21 July 2018</p>')
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"
    modified = page.replace("</title>", '</title><meta property="article:modified_time" content="2018-07-21T10:00:00+00:00">')
    assert clean_html(modified, "https://rail.example.com/strike-ends", options).published is None
    # a "modified" day before the publication is no update of it: the published day stands
    earlier = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        "</h1>", '</h1>\n<p class="byline">12 July 2018</p>').replace(
        "</title>", '</title><meta property="article:modified_time" content="2018-07-12T10:00:00+00:00">')
    assert clean_html(earlier, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"


def test_the_headline_without_the_site_suffix(options):
    """Issue 12: the article's headline, not the page title with the outlet after it."""
    page = _BYLINE_PAGE.replace('"headline": "Harbour council approves new ferry line",', "")
    page = page.replace("<h1>Harbour council approves new ferry line</h1>", "<h1>The Tidewater Courier</h1><h2>Ferry</h2>")
    article = clean_html(page, "https://courier.example.org/news/ferry", options)
    assert article.title == "Harbour council approves new ferry line"


def _tree(body: str):
    from lxml.html import fromstring

    return fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")


def test_the_outlet_its_host_holds_or_abbreviates_is_no_author():
    """Issue 12: a name the page's host holds ("Google" on security.googleblog.com) or whose
    initials are its first label ("Deutsche Welle" on dw.com) is the outlet, not a byline."""
    from parallax.clean.bylines import page_authors

    tree = _tree("<p>Posted by Google</p><p>Deutsche Welle</p><p>Ana Costa</p>")
    assert page_authors(tree, "Google", ["Security Blog"], "https://security.googleblog.com/2020/05/x.html") == []
    assert page_authors(tree, "Deutsche Welle", ["DW"], "https://www.dw.com/fr/x") == []
    assert page_authors(tree, "Deutsche Welle; Ana Costa", [], "https://www.courier.example.org/x") == [
        "Deutsche Welle", "Ana Costa"]


def test_a_name_only_readers_comments_show_is_no_byline():
    """Issue 12: a name trafilatura found that the page shows only in its readers' comments
    ("stephangoeldi said on August 3") is a reader's; an opinion piece whose own element is
    classed "commentary" keeps the byline it shows."""
    from parallax.clean.bylines import page_authors

    comments = '<div class="comments-area"><p>Stephan Goeldi said on August 3</p><p>Great post.</p></div>'
    tree = _tree(f"<article><p>The ferry runs again.</p></article>{comments}")
    assert page_authors(tree, "Stephan Goeldi", [], "https://courier.example.org/x") == []
    opinion = _tree('<div class="full news commentary article"><p>Von Ingo Arzt</p><p>The mine must go.</p></div>')
    assert page_authors(opinion, "Ingo Arzt", [], "https://courier.example.org/x") == ["Ingo Arzt"]


def test_a_byline_in_the_list_of_fields_under_the_headline_counts():
    """Issue 12: a template that lists the article's fields under its headline ("<li>Von: <a>Bill
    McCarthy</a>, <a>Marisha Goldhamer</a></li>") gives its byline there; a list item far below
    the headline (other articles' bylines) does not."""
    from parallax.clean.bylines import page_authors

    fields = ('<ul><li>Von: <span><a href="/bill-mccarthy">Bill McCarthy</a>,</span>'
              ' <span><a href="/marisha-goldhamer">Marisha Goldhamer</a></span></li><li>24.05.2026</li></ul>')
    body = "<p>" + "The ferry runs again after the strike. " * 50 + "</p>"
    tree = _tree(f"<h1>Ferry strike ends</h1>{fields}{body}")
    assert page_authors(tree, None, [], "https://courier.example.org/x") == ["Bill McCarthy", "Marisha Goldhamer"]
    related = _tree(f"<h1>Ferry strike ends</h1>{body}{fields}")
    assert page_authors(related, None, [], "https://courier.example.org/x") == []


def test_the_archive_link_after_the_headline_is_the_articles_own():
    """Issue 12: a teaser above the headline links its author's archive page; the article's byline
    after the headline links its own, whose address is the author's first name ("/author/amelie/",
    a blog's user name): the byline after the headline is the article's."""
    from parallax.clean.bylines import page_authors

    teaser = '<div class="teaser"><p>Vegan food in Japan</p><p>By <a href="/author/chiaraterzuolo/">Chiara Terzuolo</a></p></div>'
    byline = '<p>By <a href="/author/amelie/">Amelie Marie Nishizawa</a></p>'
    tree = _tree(f"{teaser}<h1>Dealing with chikan</h1>{byline}<p>The train was full.</p>")
    assert page_authors(tree, None, [], "https://blog.example.com/x") == ["Amelie Marie Nishizawa"]
    # a first name that only starts the link's text is no name ("Amelie posted recently" is not one)
    unnamed = _tree(f'<h1>Dealing with chikan</h1><p><a href="/author/amelie/">Amelie posted recently</a></p>')
    assert page_authors(unnamed, None, [], "https://blog.example.com/x") == []


def test_the_post_authors_answer_to_a_comment_names_the_author():
    """Issue 12: a blog page that names its author nowhere else shows the name where the author
    answers a reader: WordPress classes that comment "bypostauthor comment-author-{user}"; a
    reader's comment names a reader."""
    from parallax.clean.bylines import page_authors

    def page(classes: str) -> str:
        return ("<h1>Ins neue Jahr</h1><p>Ich wünsche allen ein gutes Jahr.</p><ol class='commentlist'>"
                "<li class='comment odd comment-author-heumann'><cite>Kommentar von <a>Margit Heumann</a></cite>"
                f"<p>Alles Gute!</p></li><li class='{classes}'><cite>Kommentar von <span class='fn'>"
                "<a href='http://www.jancak.at'>jancak</a></span></cite><p>Danke!</p></li></ol>")

    by_author = _tree(page("comment byuser comment-author-jancak bypostauthor even"))
    assert page_authors(by_author, None, [], "https://literatur.example.com/x") == ["jancak"]
    by_reader = _tree(page("comment byuser comment-author-jancak even"))
    assert page_authors(by_reader, None, [], "https://literatur.example.com/x") == []


def test_byline_words_around_the_names_are_dropped():
    """Issue 12: "Vom" before a name, a Chinese editor label, a German date label after it, a German
    interview credit naming both, and field labels trafilatura reads as a name."""
    from parallax.clean.bylines import byline_names, page_authors

    assert byline_names("Vom Krimiblogger") == ["Krimiblogger"]
    assert byline_names("责任编辑：孔德明") == ["孔德明"]
    assert byline_names("牛镛、岳弘彬") == ["牛镛", "岳弘彬"]
    assert byline_names("Sara Zinnecker Stand") == ["Sara Zinnecker"]
    assert byline_names("Richard David Precht im Gespräch mit Karin Fischer") == ["Richard David Precht", "Karin Fischer"]
    tree = _tree("<p>Name</p><p>Datum</p><p>Follow</p>")
    assert page_authors(tree, "Name; Datum; Follow", [], "https://courier.example.org/x") == []


def test_a_declared_user_name_run_together_takes_the_shown_name(options):
    """Issue 12: a JSON-LD Person named by a user name without separators ("luislima") is the
    byline's "Luis Lima"."""
    page = _BYLINE_PAGE.replace('"name": "luis-lima"', '"name": "luislima"')
    assert clean_html(page, "https://courier.example.org/news/ferry", options).authors == ["Ana M. Costa", "Luis Lima"]


def test_the_author_of_a_recipe_or_how_to_is_its_byline():
    """Issue 12: a magazine page's own work may be a schema.org Recipe or HowTo; its declared
    Person is the byline (a user name in its words), as an article's is."""
    from parallax.clean.bylines import page_authors

    for kind, name, byline in (("Recipe", "Kathrin", "Kathrin"), ("HowTo", "robert.stitz", "Robert Stitz")):
        tree = _tree(f"""<script type="application/ld+json">{{"@type": "{kind}", "name": "Lemon cake",
            "author": {{"@type": "Person", "name": "{name}"}}}}</script><h1>Lemon cake</h1><p>Mix.</p>""")
        assert page_authors(tree, None, [], "https://courier.example.org/x") == [byline]


def test_a_page_without_metadata_names_the_author_its_archive_link_agrees_with():
    """Issue 12: with no name in the page's metadata, the link to an author's archive page (or
    mail address) whose text is the name its address gives is the byline, and the links beside
    it; not a link in the navigation, not one that disagrees with its address, not the authors
    of a related-articles list further down. A Chinese page's editor line is read too."""
    from parallax.clean.bylines import page_authors

    tree = _tree("""<nav><a href="/author/team-lead/">Team Lead</a></nav>
        <article><h1>Ferry line approved</h1>
        <p>Von <a href="/autor/jil-schuller">Jil Schuller</a> und <a href="/autor/ben-ott/">Ben Ott</a>,
        <a href="/autor/redaktion/">JF</a></p><p>The council voted.</p></article>
        <div class="related"><p><a href="/autor/eva-berg/">Eva Berg</a></p></div>""")
    assert page_authors(tree, None, [], "https://courier.example.org/x") == ["Jil Schuller", "Ben Ott"]
    mail = _tree('<p>von <a href="mailto:david.straub@mdr.de">David Straub, MDR THÜRINGEN</a></p>')
    assert page_authors(mail, None, ["MDR"], "https://www.mdr.de/x") == ["David Straub"]
    editors = _tree("<p>航天领域实现科学梦想。</p><div>(责编：牛镛、岳弘彬)</div>")
    assert page_authors(editors, None, [], "http://world.people.com.cn/x") == ["牛镛", "岳弘彬"]
    # a page whose metadata names someone it shows keeps that name only
    named = _tree('<p>Ana Costa</p><p><a href="/autor/jil-schuller">Jil Schuller</a></p>')
    assert page_authors(named, "Ana Costa", [], "https://courier.example.org/x") == ["Ana Costa"]


def test_an_archive_address_with_the_number_its_cms_appends_still_names_the_author():
    """Issue 12: "/auteur/emmanuelle-ducros-187" is Emmanuelle Ducros's archive page: the number
    after her name is the CMS's id, not part of the name the address gives."""
    from parallax.clean.bylines import page_authors

    tree = _tree('<h1>Glyphosate</h1><p><a href="/auteur/emmanuelle-ducros-187">Emmanuelle Ducros</a></p><p>Text.</p>')
    assert page_authors(tree, None, [], "https://www.lopinion.fr/x") == ["Emmanuelle Ducros"]


def test_a_page_without_metadata_names_the_people_of_its_byline_line():
    """Issue 12: with no name in the metadata and no archive link, the first short element that
    reads as a byline ("Von …", "Par …", "Autor: …") gives its names of two to four capitalised
    words; not a German noun after "Von", not a byline in a list of related articles."""
    from parallax.clean.bylines import page_authors

    def authors(body: str, library: str | None = None) -> list[str]:
        return page_authors(_tree(body), library, [], "https://courier.example.org/x")

    assert authors("<h1>Ferry</h1><p>Von Cosima Künzel</p><p>The council voted.</p>") == ["Cosima Künzel"]
    assert authors("<p>Par Matthieu Hy le 07 Mai 2020</p>") == ["Matthieu Hy"]
    assert authors("<p>By Jose de la Cruz</p>") == ["Jose de la Cruz"]
    assert authors("<p>Text von Christian Seiler Illustration von Markus Wurzer</p>") == ["Christian Seiler"]
    assert authors("<p>Autorin: Uta Staschewski, Projektleiterin der HSS</p>") == ["Uta Staschewski"]
    assert authors("<p>Von Montag an gilt der neue Fahrplan.</p>") == []
    assert authors("<ul><li>Von Eva Berg</li></ul>") == []
    assert authors("<figure><img src='x.jpg'><figcaption>By Getty Images</figcaption></figure>") == []
    assert authors("<p><span>By</span> <a href='/x'>Ana Costa</a></p>") == ["Ana Costa"]
    assert authors("<p>Ana Costa</p><p>Von Cosima Künzel</p>", "Ana Costa") == ["Ana Costa"]


def test_a_byline_line_may_open_with_a_rule_or_its_posting_date():
    """Issue 12: a byline word after a rule of dashes ("---- by Kenneth Surin") or after the
    posting date, as blog templates write it ("Posted on September 21, 2020 by Adi Tzlil"), opens
    a byline line; a "Published" without a date before "by" does not (a book's publisher)."""
    from parallax.clean.bylines import page_authors

    def authors(body: str) -> list[str]:
        return page_authors(_tree(body), None, [], "https://courier.example.org/x")

    assert authors("<h1>Micropolitics</h1><div><em>---- by Kenneth Surin</em></div><p>Text.</p>") == ["Kenneth Surin"]
    assert authors("<h1>Bags</h1><div>Posted on September 21, 2020 by Adi Tzlil</div><p>Text.</p>") == ["Adi Tzlil"]
    assert authors("<h1>Ferry</h1><div>Veröffentlicht am 03.05.2022 von Cosima Künzel</div>") == ["Cosima Künzel"]
    assert authors("<h1>Books</h1><div>Published by Penguin Random House</div>") == []


def test_a_page_naming_no_one_else_gives_the_text_of_its_rel_author_link():
    """Issue 12: last of the fallbacks, the first link typed rel="author" (HTML's link to the
    article's author) names the author as the page writes it, user names too; not a rel="author"
    link in a list of other articles or in readers' comments, and not over a byline line."""
    from parallax.clean.bylines import page_authors

    def authors(body: str) -> list[str]:
        return page_authors(_tree(body), None, [], "https://courier.example.org/x")

    link = '<a href="https://courier.example.org/author/murdelta/" rel="author">marc</a>'
    assert authors(f"<h1>Barcamp</h1><span class='author vcard'>{link}</span><p>Text.</p>") == ["marc"]
    assert authors(f"<h1>Barcamp</h1><ul><li>{link}</li></ul><p>Text.</p>") == []
    assert authors(f"<h1>Barcamp</h1><p>Text.</p><div class='comment-body'>{link}</div>") == []
    assert authors(f"<h1>Barcamp</h1><p>Von Cosima Künzel</p><span>{link}</span>") == ["Cosima Künzel"]


def test_a_page_without_metadata_names_the_author_its_data_layer_and_its_text_agree_on():
    """Issue 12: with no name in the metadata, no archive link and no byline line, an author field
    of the page's own script ("'author': 'Naufal Zuhdi'", an analytics data layer) names the
    author where the page shows that name as a whole text piece; not where it shows it only
    inside a sentence or in a list of related articles, nor its editor's field."""
    from parallax.clean.bylines import page_authors

    def authors(body: str) -> list[str]:
        layer = "<script>dataLayer.push({'author': 'Naufal Zuhdi', 'editor': 'Heryadi'});</script>"
        return page_authors(_tree(layer + body), None, [], "https://courier.example.org/x")

    assert authors('<h1>Ferry</h1><div class="author-2">Naufal Zuhdi</div><div>Heryadi</div><p>Text.</p>') == ["Naufal Zuhdi"]
    assert authors("<h1>Ferry</h1><p>Naufal Zuhdi said the council voted.</p>") == []
    assert authors("<h1>Ferry</h1><ul><li>Naufal Zuhdi</li></ul>") == []


def test_a_name_and_then_the_date_under_the_headline_is_a_byline():
    """Issue 12: with nothing else naming anyone, a name of capitalised words, a separator and a
    date (or a time, "hace 3 horas") right under the headline is the byline; not one word, not a
    section without a date, not a name in a list of related articles."""
    from parallax.clean.bylines import page_authors

    def authors(body: str) -> list[str]:
        return page_authors(_tree(body), None, [], "https://courier.example.org/x")

    assert authors('<h1>Ferry</h1><span>Sehernur Karsu |</span><span>05.04.2025</span><p>Text.</p>') == ["Sehernur Karsu"]
    assert authors("<h1>Ferry</h1><h6>Jacobo Betancur Peláez | Publicado hace 3 horas</h6>") == ["Jacobo Betancur Peláez"]
    assert authors("<h1>Ferry</h1><p>Politik | 05.04.2025</p>") == []
    assert authors("<h1>Ferry</h1><p>Lokales Leben | Sport</p>") == []
    assert authors("<h1>Ferry</h1><ul><li>Eva Berg | 05.04.2025</li></ul>") == []


def test_a_digit_inside_a_word_does_not_end_the_name():
    """Issue 12: a date ends a byline's names ("Ana Costa 12.03.2020"), a digit inside a word does
    not: "BR24 Redaktion" is the outlet's desk, not a person "BR"."""
    from parallax.clean.bylines import byline_names, page_authors

    assert byline_names("Ana Costa 12.03.2020") == ["Ana Costa"]
    assert byline_names("BR24 Redaktion") == ["BR24 Redaktion"]
    tree = _tree('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person",'
                 ' "name": "BR24 Redaktion"}}</script><p>Der Text.</p>')
    assert page_authors(tree, "BR", ["BR24"], "https://www.br.de/nachrichten/x") == []


def test_a_byline_label_gives_the_names_right_after_it():
    """Issue 12: a byline label alone in its element ("<span>Autor:</span> Fritz Imhof") is read
    with the text that follows it, not with its parent's other fields ("Datum: …", "Quelle: …")."""
    from parallax.clean.bylines import page_authors

    tree = _tree("<h1>Sprachregeln</h1><div><span>Datum:</span> 19.11.2021<br><span>Autor:</span> Fritz Imhof<br>"
                 "<span>Quelle:</span> Livenet</div><p>Der Text.</p>")
    assert page_authors(tree, None, [], "https://courier.example.org/x") == ["Fritz Imhof"]
    tree = _tree("<p><h5>Datum: </h5>03.11.2021 <br><h5>Autor: </h5>Peter Maahn/SP-X</p>")
    assert page_authors(tree, None, [], "https://courier.example.org/x") == ["Peter Maahn"]


def test_a_utc_time_the_page_also_gives_in_its_own_zone_is_dated_on_the_publishers_day(options):
    """Issue 12: the meta tags and JSON-LD give the publication in UTC (past midnight), the date
    line under the headline gives the same instant in the publisher's zone (the evening before):
    the page was published on the publisher's day, not on the UTC one."""
    utc = "2018-07-20T03:37:37+00:00"
    declared = (f'<meta property="article:published_time" content="{utc}">'
                f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{utc}"}}</script>')
    page = (PAGES / "teaser_date.html").read_text("utf-8").replace(
        '<meta property="article:published_time" content="2018-07-19">', declared)
    assert clean_html(page, "https://rail.example.com/strike-ends", options).published.value == "2018-07-20"
    local = page.replace("</h1>", '</h1>\n<p class="byline"><time datetime="2018-07-19T23:37:37-04:00">July 19</time></p>')
    assert clean_html(local, "https://rail.example.com/strike-ends", options).published.value == "2018-07-19"
    # another instant in another zone is no twin of the UTC one: the UTC day stands
    other = local.replace("2018-07-19T23:37:37-04:00", "2018-07-19T20:00:00-04:00")
    assert clean_html(other, "https://rail.example.com/strike-ends", options).published.value == "2018-07-20"
    # a day the URL writes is the publisher's already: only the sources that read a time move
    from parallax.clean.html import html_date_sources

    sources = html_date_sources(local, "https://rail.example.com/2018/07/20/strike-ends")
    assert (sources["meta"], sources["json-ld"], sources["time"], sources["url"]) == (
        "2018-07-19", "2018-07-19", "2018-07-19", "2018-07-20")

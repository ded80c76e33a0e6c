"""Full-text search and its filters, on the demo corpus with the seeds annotated by hand."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import Stores
from parallax.clean.encoding import sanitize
from parallax.errors import ParallaxError
from parallax.store import Store, open_store
from parallax.views.entity import find_entities
from parallax.views.filters import make_filters, resolve
from parallax.views.stories import find_storyline
from parallax.views.search import SearchFilters, facet_values, fts_expression, search_articles, split_snippet, total_text

SEED_CBS = "Trump Asked Aide To Invite Putin To Washington, White House Says"
SEED_MOSCOW = "Russia says Trump invited Putin to U.S. during phone call"


@pytest.fixture(scope="module")
def store(hand_annotated_store: Path, module_stores: Stores):
    """The hand-annotated demo store, on each backend."""
    with open_store(module_stores.copy_of(hand_annotated_store)) as opened:
        yield opened


def titles(result) -> list[str | None]:
    return [hit.title for hit in result.hits]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Putin Trump", '"Putin" "Trump"'),
        ('"White House" invit*', '"White House" "invit"*'),
        ("NEAR( AND -x", '"NEAR(" "AND" "-x"'),
        ('"unbalanced', '"unbalanced"'),
        ("* ( )", None),
        ("", None),
    ],
)
def test_query_becomes_quoted_terms(query: str, expected: str | None) -> None:
    assert fts_expression(query) == expected


@pytest.mark.parametrize("query", ['NEAR(', 'a OR', '"', "title:x", "^start", "x AND (y", "col:*", "'; DROP TABLE articles; --",
                                   "0\x00", "a\x00 b", "\ud800x"])
def test_fts_syntax_in_a_query_is_searched_for_not_obeyed(store: Store, query: str) -> None:
    result = search_articles(store, query)  # would raise sqlite3.OperationalError if passed raw
    assert result.total >= 0
    assert store.count_articles() > 90


def test_best_match_first_with_marked_snippet(store: Store) -> None:
    result = search_articles(store, "Putin invit*")
    assert set(titles(result)[:2]) == {SEED_CBS, SEED_MOSCOW}
    matched = [s.text.lower() for s in result.hits[0].snippet if s.match]
    assert matched and all(word.startswith(("putin", "invit")) for word in matched)


def test_phrase_must_appear_as_written(store: Store) -> None:
    assert SEED_MOSCOW in titles(search_articles(store, '"phone call"'))
    assert search_articles(store, '"call phone"').total == 0


def test_outlet_and_date_range_narrow_the_results(store: Store) -> None:
    everywhere = search_articles(store, "Russia").total
    voa = search_articles(store, "Russia", SearchFilters(outlet="Voice of America"))
    assert 0 < voa.total < everywhere
    assert {hit.outlet for hit in voa.hits} == {"Voice of America"}
    day = SearchFilters(since=date(2025, 3, 14), until=date(2025, 3, 14))
    that_day = search_articles(store, "", day)
    assert that_day.total > 0
    assert all(hit.published and hit.published.startswith("2025-03-14") for hit in that_day.hits)
    assert search_articles(store, "", SearchFilters(since=date(2030, 1, 1))).total == 0


def test_entity_and_plover_filters_use_the_annotations(store: Store) -> None:
    lavrov = search_articles(store, "", SearchFilters(entity="sergei lavrov"))
    assert titles(lavrov) == [SEED_MOSCOW]
    consult = search_articles(store, "Putin", SearchFilters(plover="consult"))
    assert set(titles(consult)) == {SEED_CBS, SEED_MOSCOW}
    assert search_articles(store, "Putin", SearchFilters(plover="ASSAULT")).total == 0


def test_no_words_lists_filtered_articles_newest_first(store: Store) -> None:
    listing = search_articles(store, "", SearchFilters(outlet="Voice of America"), limit=50)
    assert listing.fts_query is None and listing.total == 89
    dates = [hit.published for hit in listing.hits]
    assert dates == sorted(dates, reverse=True)


def test_paging_walks_the_whole_result(store: Store) -> None:
    first = search_articles(store, "the", limit=10)
    second = search_articles(store, "the", offset=10, limit=10)
    assert first.total == second.total > 20
    assert not {h.article_id for h in first.hits} & {h.article_id for h in second.hits}


def test_snippet_markers_become_segments() -> None:
    segments = split_snippet("…a \ue000call\ue001 and \ue000Putin\ue001")
    assert [(s.text, s.match) for s in segments] == [("…a ", False), ("call", True), (" and ", False), ("Putin", True)]


def test_facets_list_what_the_store_has(store: Store) -> None:
    choices = facet_values(store)
    assert "Voice of America" in choices["outlets"] and "CBS News" in choices["outlets"]
    assert choices["plover"] == ["CONSULT"]


# Each filter with a value that finds something, to be typed with a NUL inside and with a lone
# surrogate after it. Sanitised as a search query is, the NUL is dropped (the same articles as
# the clean value) and the surrogate becomes U+FFFD: a value like any other, never a server error.
FILTER_VALUES = {"outlet": "Voice of America", "country": "US", "kind": "state media", "language": "en",
                 "entity": "sergei lavrov", "plover": "consult", "since": "2025-03-14", "until": "2025-03-14"}


@pytest.mark.parametrize("name", sorted(FILTER_VALUES))
def test_a_nul_or_lone_surrogate_in_a_filter_is_sanitised_as_a_query_is(store: Store, name: str) -> None:
    value = FILTER_VALUES[name]
    clean = search_articles(store, "", make_filters(**{name: value}), limit=100)
    assert clean.total > 0
    with_nul = search_articles(store, "", make_filters(**{name: value[:1] + "\x00" + value[1:]}), limit=100)
    assert [hit.article_id for hit in with_nul.hits] == [hit.article_id for hit in clean.hits]
    assert store.count_filtered_stories(1, resolve(store, make_filters(**{name: value[:1] + "\x00" + value[1:]}))) \
        == store.count_filtered_stories(1, resolve(store, make_filters(**{name: value})))
    try:
        filters = make_filters(**{name: value + "\ud800"})
    except ParallaxError as exc:  # a value the filter checks (country, kind, a date): its numbered line
        assert re.match(r"E9\d\d ", str(exc))
        return
    assert search_articles(store, "", filters).total == 0
    assert store.count_filtered_stories(1, resolve(store, filters)) == 0


@pytest.mark.parametrize("typed", ["sergei\x00 lavrov", "lavrov\ud800", "\x00", "\udfff"])
def test_a_nul_or_lone_surrogate_in_a_name_is_sanitised_as_a_query_is(store: Store, typed: str) -> None:
    """Entity and storyline names as the CLI and the API take them."""
    found = [e.name for e in find_entities(store, typed)]
    assert found == [e.name for e in find_entities(store, sanitize(typed))]
    assert ("Sergei Lavrov" in found) == (typed in ("sergei\x00 lavrov", "\x00"))  # "\x00": no name, every entity
    assert find_storyline(store, typed) == find_storyline(store, sanitize(typed))


def test_only_the_newest_matches_are_ranked_and_the_rest_follow_newest_first(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The results contract at scale (``store/sql_search.py``): the newest ``RANKED_MATCHES``
    (highest ids) come first, best match first, as a query with no more matches than that is
    ranked in full; older matches follow newest first."""
    import parallax.store.sql_search as sql_search

    everything = search_articles(store, "the", limit=1000)
    matches = store.articles_matching('"the"', None)
    assert everything.total == len(matches) > 20 and everything.total_exact
    newest = set(sorted(matches)[-5:])
    full_rank = [h.article_id for h in everything.hits]
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", 5)
    bounded = search_articles(store, "the", limit=1000)
    order = [h.article_id for h in bounded.hits]
    assert sorted(order) == matches
    assert order[:5] == [i for i in full_rank if i in newest]  # the newest, ranked among themselves
    assert order[5:] == sorted(matches, reverse=True)[5:]  # then the older ones, newest first
    pages = [h.article_id for offset in range(0, len(matches), 3)
             for h in search_articles(store, "the", offset=offset, limit=3).hits]
    assert pages == order  # pages walk the same order, across the ranked window's edge
    # A query matching no more than the ranked window is ranked in full, as before.
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", len(matches))
    assert [h.article_id for h in search_articles(store, "the", limit=1000).hits] == full_rank


@pytest.mark.parametrize("counts_while_ranking", [False, True])
def test_matches_are_counted_up_to_the_ranked_window_or_the_page_and_one_more(
        store: Store, monkeypatch: pytest.MonkeyPatch, counts_while_ranking: bool) -> None:
    """The count contract (``store/sql_search.py``, ``FoundPage``), the same on both backends
    and both ways of counting (apart, or in the ranking pass): exact up to the ranked window or
    the page's end, whichever is further; past it ``total`` is a lower bound (the bound + 1, so
    "more than the bound") and ``total_exact`` is false."""
    import parallax.store.sql_search as sql_search

    monkeypatch.setattr(type(store), "_counts_while_ranking", counts_while_ranking)

    matches = len(store.articles_matching('"the"', None))
    assert matches > 20
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", 5)
    first = search_articles(store, "the", limit=3)
    assert (first.total, first.total_exact, len(first.hits)) == (6, False, 3)
    assert total_text(first) == "more than 5 articles"
    # Past the window the count goes as far as the page asked for, and one more: a "next page"
    # test against total (the web page's) stays right.
    deeper = search_articles(store, "the", offset=9, limit=3)
    assert (deeper.total, deeper.total_exact, len(deeper.hits)) == (13, False, 3)
    last = search_articles(store, "the", offset=matches - 2, limit=3)
    assert (last.total, last.total_exact, len(last.hits)) == (matches, True, 2)
    beyond = search_articles(store, "the", offset=matches + 5, limit=3)
    assert (beyond.total, beyond.total_exact, beyond.hits) == (matches, True, [])
    order = [h.article_id for h in search_articles(store, "the", limit=1000).hits]
    pages = [h.article_id for offset in range(0, matches, 4) for h in search_articles(store, "the", offset=offset, limit=4).hits]
    assert pages == order and sorted(order) == store.articles_matching('"the"', None)
    # At the edge: exactly as many matches as counted is exact; one more is not.
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", matches)
    edge = search_articles(store, "the", limit=3)
    assert (edge.total, edge.total_exact) == (matches, True) and total_text(edge) == f"{matches} articles"
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", matches - 1)
    over = search_articles(store, "the", limit=3)
    assert (over.total, over.total_exact) == (matches, False)
    # A page inside the ranked window's reach but past every match: counted all the same.
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", matches + 10)
    past = search_articles(store, "the", offset=matches + 2, limit=3)
    assert (past.total, past.total_exact, past.hits) == (matches, True, [])
    # Filters narrow what is counted, as they narrow what is ranked; a query under the bound is exact.
    monkeypatch.setattr(sql_search, "RANKED_MATCHES", 5)
    cbs = search_articles(store, "the", SearchFilters(outlet="CBS News"))
    assert cbs.total_exact and cbs.total == len(cbs.hits) == 1
    phone = search_articles(store, '"phone call"')
    assert (phone.total, phone.total_exact) == (len(store.articles_matching('"phone call"', None)), True)
    one = search_articles(store, '"phone call"', SearchFilters(entity="sergei lavrov"))
    assert (one.total, one.total_exact) == (1, True) and total_text(one) == "1 article"
    # Listing without words counts exactly.
    listing = search_articles(store, "", SearchFilters(outlet="Voice of America"), limit=3)
    assert (listing.total, listing.total_exact) == (89, True)


def test_a_count_is_written_with_thousands_separators() -> None:
    from parallax.views.search import SearchResult

    assert total_text(SearchResult("report", '"report"', SearchFilters(), 50_001, 0, total_exact=False)) == "more than 50,000 articles"
    assert total_text(SearchResult("report", '"report"', SearchFilters(), 1_037, 0)) == "1,037 articles"
    assert total_text(SearchResult("report", '"report"', SearchFilters(), 1, 0)) == "1 article"


def test_the_newest_matches_are_ranked_alike_when_they_lie_far_apart(stores: Stores, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The results and count contracts where the articles' ids lie far apart: on PostgreSQL,
    where the search index is partitioned by id and the newest matches are gathered newest
    partition first (``parallax_newest_matches``), a query's newest matches lie in many
    partitions, some holding none, and the ranked window ends inside one."""
    import sqlite3

    import parallax.store.sql_search as sql_search
    from parallax.store.sqlite import SQLiteStore

    path = tmp_path / "spread.db"
    SQLiteStore(str(path)).close()
    with sqlite3.connect(path) as db:
        for n in range(1, 41):
            # 'alpha' in every article, more often in some; 'beta' in every third; ids 37,001 apart.
            text = f"Article {n} says alpha. " + "alpha again. " * (n % 5) + ("beta too. " if n % 3 == 0 else "Nothing else.")
            db.execute("""INSERT INTO articles (id, url_key, content_hash, title, text, origin, ingested_at)
                          VALUES (?, ?, ?, ?, ?, 'spread.txt', '2025-01-01T00:00:00')""",
                       (1 + (n - 1) * 37_001, f"k{n}", f"h{n}", "Alpha news" if n % 7 == 0 else f"Report {n}", text))
    with open_store(stores.copy_of(path)) as store:
        if stores.backend == "postgres":
            assert store._value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'article_search'::regclass") == 15
        for query in ("alpha", "beta", "alpha beta"):
            matches = store.articles_matching(fts_expression(query), None)
            full_rank = [h.article_id for h in search_articles(store, query, limit=100).hits]
            assert sorted(full_rank) == matches
            for window in (1, 4, 9):
                monkeypatch.setattr(sql_search, "RANKED_MATCHES", window)
                newest = set(sorted(matches)[-window:])
                found = search_articles(store, query, limit=100)
                order = [h.article_id for h in found.hits]
                assert order[:window] == [i for i in full_rank if i in newest]
                assert order[window:] == sorted(matches, reverse=True)[window:]
                assert (found.total, found.total_exact) == (len(matches), True)  # counted as far as the page's end
                first = search_articles(store, query, limit=2)
                assert [h.article_id for h in first.hits] == order[:2]
                assert (first.total, first.total_exact) == \
                    ((max(window, 2) + 1, False) if len(matches) > max(window, 2) else (len(matches), True))
                pages = [h.article_id for offset in range(0, len(matches), 3)
                         for h in search_articles(store, query, offset=offset, limit=3).hits]
                assert pages == order

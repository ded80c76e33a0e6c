"""Days an article tells of: parsing TimeML day values and the distance between two articles."""
from datetime import date

from parallax.stories.dates import article_days, days_apart, firm, parse_day


def test_only_day_values_count() -> None:
    assert parse_day("2018-07-19") == date(2018, 7, 19).toordinal()
    assert parse_day("2018-07-19T10:00") == date(2018, 7, 19).toordinal()
    assert parse_day("XXXX-03-20") == (3, 20)
    assert parse_day("XXXX-02-29") == (2, 29)
    for value in ("2018-07", "2018-W29", "XXXX-FA", "PRESENT_REF", "P3D", "2018-02-30", None, ""):
        assert parse_day(value) is None


def test_closest_pair_of_days_decides_and_no_days_is_no_evidence() -> None:
    july = article_days(date(2018, 7, 19), ["2018-07-16", "2010-06"])
    march_call = article_days(None, ["XXXX-03-20"])
    assert days_apart(july, march_call) == (date(2018, 7, 16) - date(2018, 3, 20)).days
    assert days_apart(july, article_days(None, ["2016-11-08", "2018-07-20"])) == 1
    assert days_apart(july, article_days(None, [])) == 0


def test_days_named_in_two_undated_texts_are_soft_evidence() -> None:
    undated, other = article_days(None, ["2021-02-01"]), article_days(None, ["XXXX-09-19"])
    assert days_apart(undated, other) == 135 and not firm(undated, other)
    assert firm(article_days(date(2021, 2, 1), []), other)


def test_unknown_years_compare_across_the_year_boundary() -> None:
    assert days_apart(article_days(date(2019, 1, 2), []), article_days(None, ["XXXX-12-30"])) == 3
    assert days_apart(article_days(date(2019, 1, 2), ["XXXX-01-02"]), article_days(None, ["XXXX-12-30"])) == 3
    assert days_apart(article_days(date(2019, 3, 1), []), article_days(None, ["XXXX-02-29"])) == 1

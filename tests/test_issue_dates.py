"""The licence's issue date under its seal: numerals lost or bent by the seal's strokes."""

from extractors.fields import business_license
from extractors.fields.common import crossed_numeral_dates, headless_dates, parse_date
from extractors.page import Line, Page
from tests.test_layout import reread_as


def _issue(*date_boxes, founded="2014年03月01日", reread=None):
    lines = [Line("成立日期", (100, 400, 200, 430), 0.99), Line(founded, (250, 400, 480, 430), 0.99),
             Line("登记机关", (1479, 1170, 1638, 1206), 0.99), *date_boxes]
    page = Page(file="f.jpg", number=1, source="ocr", lines=lines)
    if reread is not None:
        reread_as(page, reread)
    return business_license.extract([page]).get("issue_date")


def test_a_year_that_lost_its_first_numerals_is_the_one_since_the_founding_ending_in_those_read():
    # 二〇 read as EO1 in a box of its own, 一四年… in the next
    got = _issue(Line("EO1", (1554, 1285, 1626, 1308), 0.41), Line("一四年八月二十八日", (1619, 1284, 1883, 1312), 1.0))
    assert got.value == "2014-08-28" and got.confidence < 0.8
    # a year ending in 一 fits 2021 as well as 2011 for an entity founded in 2011: none taken
    assert _issue(Line("一年十月二日", (1619, 1284, 1883, 1312), 1.0), founded="2011年10月02日") is None
    assert headless_dates("一四年八月二十八日") == ["1914-08-28", "2014-08-28"]


def test_a_date_whose_whole_year_went_unboxed_is_read_again_from_further_left():
    got = _issue(Line("年十一月二十二日", (1578, 1284, 1782, 1312), 1.0), founded="2011年10月02日",
                 reread="二〇一一年十一月二十二日")
    assert got.value == "2011-11-22"


def test_a_ten_that_a_seals_stroke_turned_into_another_character():
    assert parse_date("二〇二三年七月二平八日") == "2023-07-28"
    assert parse_date("二〇二三年平月三日") == "2023-10-03"


def test_a_numeral_of_the_day_read_as_its_digit():
    assert parse_date("二〇二四年五月2十八日") == "2024-05-28"
    assert parse_date("二〇二四年十二月1日") == "2024-12-01"
    assert parse_date("二〇一七年十月三4一日") is None  # no day 341: read again, not guessed


def test_a_day_of_mixed_digits_and_numerals_gives_no_headless_date():
    assert headless_dates("三4一日") == [] and headless_dates("一年十月三4一日") == []


def test_a_year_read_with_a_ten_is_the_one_reading_of_it_as_one_or_seven_since_the_founding():
    # the seal's ring crossed the 一 of 二〇一五 (read 十), and every second reading saw it so
    got = _issue(Line("O十五年十月三十日", (1554, 1284, 1883, 1312), 0.97), founded="2015年10月30日",
                 reread="二O十五年十月三十日")
    assert got.value == "2015-10-30" and got.confidence < 0.8
    assert crossed_numeral_dates("二〇十五年十月三十日") == ["2015-10-30", "2075-10-30"]
    assert crossed_numeral_dates("二〇一五年十月三十日") == []
    # 2011 and 2017 both date a licence of an entity founded in 2010: neither is taken
    assert _issue(Line("二〇一十年三月一日", (1554, 1284, 1883, 1312), 0.97), founded="2010年01月05日",
                  reread="二〇一十年三月一日") is None


def test_a_year_whose_start_reads_as_latin_letters_under_the_seal_is_read_again_from_further_left():
    got = _issue(Line("CO", (1352, 1294, 1393, 1315), 0.65), Line("六年五月二日", (1390, 1287, 1581, 1323), 0.97),
                 founded="2016年02月02日", reread="二〇一六年五月二日")
    assert got.value == "2016-05-02"

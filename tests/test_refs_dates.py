"""Dates in every CLDR language: the embed bylines of 41 languages, Twitter's widget forms,
citation forms, clock times, and (where Babel is installed) every locale CLDR has."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import date

import pytest
from conftest import ROOT

from archiver.refs import scan
from archiver.refs.dates import find_date, find_time, month_number, parse_date

# Long and medium dates as CLDR writes them (6 December 2024, 24 March 2019), per language.
LANGUAGES = [
    ("en", "December 6, 2024", "Mar 24, 2019"),
    ("es", "6 de diciembre de 2024", "24 mar 2019"),
    ("fr", "6 décembre 2024", "24 mars 2019"),
    ("de", "6. Dezember 2024", "24.03.2019"),
    ("pt", "6 de dezembro de 2024", "24 de mar. de 2019"),
    ("it", "6 dicembre 2024", "24 mar 2019"),
    ("nl", "6 december 2024", "24 mrt 2019"),
    ("ru", "6 декабря 2024 г.", "24 мар. 2019 г."),
    ("uk", "6 грудня 2024 р.", "24 бер. 2019 р."),
    ("pl", "6 grudnia 2024", "24 mar 2019"),
    ("tr", "6 Aralık 2024", "24 Mar 2019"),
    ("ar", "٦ ديسمبر ٢٠٢٤", "24\u200f/03\u200f/2019"),
    ("fa", "۶ دسامبر ۲۰۲۴", "24 مارس 2019"),
    ("he", "6 בדצמבר 2024", "24 במרץ 2019"),
    ("hi", "6 दिसंबर 2024", "24 मार्च 2019"),
    ("bn", "6 ডিসেম্বর, 2024", "24 মার্চ, 2019"),
    ("ja", "2024年12月6日", "2019/03/24"),
    ("zh", "2024年12月6日", "2019年3月24日"),
    ("ko", "2024년 12월 6일", "2019. 3. 24."),
    ("vi", "6 tháng 12, 2024", "24 thg 3, 2019"),
    ("th", "6 ธันวาคม ค.ศ. 2024", "24 มี.ค. 2019"),
    ("id", "6 Desember 2024", "24 Mar 2019"),
    ("ms", "6 Disember 2024", "24 Mac 2019"),
    ("el", "6 Δεκεμβρίου 2024", "24 Μαρ 2019"),
    ("fi", "6. joulukuuta 2024", "24.3.2019"),
    ("sv", "6 december 2024", "24 mars 2019"),
    ("da", "6. december 2024", "24. mar. 2019"),
    ("nb", "6. desember 2024", "24. mars 2019"),
    ("cs", "6. prosince 2024", "24. 3. 2019"),
    ("sk", "6. decembra 2024", "24. 3. 2019"),
    ("hu", "2024. december 6.", "2019. márc. 24."),
    ("ro", "6 decembrie 2024", "24 mar. 2019"),
    ("bg", "6 декември 2024 г.", "24.03.2019 г."),
    ("sr", "6. децембар 2024.", "24. 3. 2019."),
    ("hr", "6. prosinca 2024.", "24. ožu 2019."),
    ("lt", "2024 m. gruodžio 6 d.", "2019-03-24"),
    ("lv", "2024. gada 6. decembris", "2019. gada 24. marts"),
    ("et", "6. detsember 2024", "24. märts 2019"),
    ("ka", "6 დეკემბერი, 2024", "24 მარ. 2019"),
    ("hy", "06 դեկտեմբերի, 2024 թ.", "24 մրտ, 2019 թ."),
    ("ta", "6 டிசம்பர், 2024", "24 மார்., 2019"),
]


@pytest.mark.parametrize(("lang", "long", "medium"), LANGUAGES, ids=[x[0] for x in LANGUAGES])
def test_long_and_medium_dates_of_41_languages(lang: str, long: str, medium: str) -> None:
    assert parse_date(long) == date(2024, 12, 6)
    assert parse_date(medium, lang) == date(2019, 3, 24)


@pytest.mark.parametrize(("lang", "long", "_medium"), LANGUAGES, ids=[x[0] for x in LANGUAGES])
def test_an_embed_whose_byline_date_is_in_any_of_them_is_an_attribution(
    lang: str, long: str, _medium: str
) -> None:
    refs = scan(f"Short post text\n— Someone (@someone) {long}\n")
    (att,) = [r for r in refs if r.kind == "attribution"]
    assert (att.date, att.handle, att.text) == ("2024-12-06", "someone", "Short post text")
    assert long.startswith(att.date_text)  # the date as written (a closing full stop may stay)


@pytest.mark.parametrize(
    ("text", "iso", "written"),
    [
        ("2016, 2月 9", "2016-02-09", "2016, 2月 9"),  # Twitter's Japanese widget
        ("2月 22, 2012", "2012-02-22", "2月 22, 2012"),
        ("2018年9月29日", "2018-09-29", "2018年9月29日"),
        ("(2020, September 2).", "2020-09-02", "2020, September 2"),  # APA 7
        ("1 May 2011, 3:58 p.m.", "2011-05-01", "1 May 2011"),  # MLA
        ("24 березня 2019 р. then", "2019-03-24", "24 березня 2019 р."),
        ("8 марта 2021 г.", "2021-03-08", "8 марта 2021 г."),
        ("Dec. 6th, 2024", "2024-12-06", "Dec. 6th, 2024"),
        ("2024-12-06", "2024-12-06", "2024-12-06"),
        ("6 ธันวาคม 2567", "2024-12-06", "6 ธันวาคม 2567"),  # the Thai solar era
        ("2024年12月6日金曜日", "2024-12-06", "2024年12月6日"),
    ],
)
def test_widget_and_citation_forms(text: str, iso: str, written: str) -> None:
    found = find_date(text, 1 if text.startswith("(") else 0)
    assert found is not None and (found.date.isoformat(), found.text) == (iso, written)


def test_all_digit_dates_only_when_their_order_is_known() -> None:
    assert parse_date("12/06/2024") is None  # June or December: not guessed
    assert parse_date("12/06/2024", "en") == date(2024, 12, 6)
    assert parse_date("12/06/2024", "en-GB") == date(2024, 6, 12)
    assert parse_date("12/06/2024", "de") == date(2024, 6, 12)
    assert parse_date("25/06/2024") == date(2024, 6, 25)  # only one reading


def test_a_language_reads_its_own_month_names() -> None:
    # "listopad" is November in Czech and Polish, October in Croatian.
    assert month_number("listopad") == 11
    assert month_number("listopad", "hr") == 10
    assert month_number("Listopadu", "cs") == 11


@pytest.mark.parametrize(
    "text",
    ["", "December", "32 December 2024", "February 30, 2024", "6 Blursday 2024", "2024", "@@@"],
)
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None


def test_clock_times() -> None:
    assert find_time(", 3:58 p.m. Tweet.") == ("15:58", 11)
    assert find_time(" 12:05 AM")[0] == "00:05"
    assert find_time(" 15:58")[0] == "15:58"
    assert find_time(" 25:00") is None
    assert find_time(" and then 3:58") is None  # not right after the date


babel_present = importlib.util.find_spec("babel") is not None


@pytest.mark.skipif(not babel_present, reason="Babel is not installed")
def test_every_cldr_locale_round_trips() -> None:
    from babel import localedata
    from babel.dates import format_date

    days = (date(2024, 12, 6), date(2019, 3, 24), date(2011, 5, 1))
    tried = wrong = 0
    for ident in localedata.locale_identifiers():
        for day in days:
            for width in ("long", "medium"):
                tried += 1
                wrong += parse_date(format_date(day, width, locale=ident), ident) != day
    assert tried > 6000
    assert wrong / tried < 0.015, f"{wrong} of {tried} CLDR dates misread"


@pytest.mark.skipif(not babel_present, reason="Babel is not installed")
def test_the_committed_table_is_what_babel_gives() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "cldr_dates.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_reading_dates_needs_no_babel_and_loads_fast() -> None:
    code = (
        "import sys, time; t = time.perf_counter();"
        "from archiver.refs.dates import parse_date; parse_date('6 May 2020');"
        "print(time.perf_counter() - t, 'babel' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    seconds, babel_loaded = done.stdout.split()
    assert babel_loaded == "False" and float(seconds) < 0.3


def test_english_month_names_read_as_the_cldr_table_reads_them() -> None:
    from archiver.refs import dates

    table = dates._table()
    assert len(dates.ENGLISH_MONTHS) == 24  # twelve names, eleven short forms and "sept"
    assert all(table.months[name] == n for name, n in dates.ENGLISH_MONTHS.items())


def test_an_english_date_does_not_load_the_cldr_table() -> None:
    code = (
        "import sys; from archiver.refs.dates import find_date;"
        "found = find_date('December 6, 2024');"
        "print(found.date, 'archiver.refs.cldr' in sys.modules);"
        "find_date('6 de diciembre de 2024'); print('archiver.refs.cldr' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["2024-12-06", "False", "True"], done.stderr

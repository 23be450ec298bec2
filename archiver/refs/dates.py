"""Dates as embed code renders them under an attribution, in many languages.

`December 6, 2024`, `6 December 2024`, `28 de marzo de 2017`, `6. Dezember 2024`,
`24 марта 2019 г.`, `٦ ديسمبر ٢٠٢٤`, `2019年3月24日`, `2019년 3월 24일`, and the like.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_MONTHS = {
    # English, Spanish, French, German, Portuguese, Italian, Dutch, Turkish, Polish (genitive),
    # Russian and Ukrainian (genitive, as dates are written), Arabic (two traditions).
    1: "january jan enero ene janvier janv januar jän janeiro gennaio gen januari ocak stycznia "
    "января янв січня січ يناير",
    2: "february feb febrero février févr februar fevereiro fev febbraio februari şubat lutego "
    "февраля фев лютого лют فبراير شباط",
    3: "march mar marzo mars märz mär março maart mart marca марта мар березня бер مارس آذار",
    4: "april apr abril avril avr aprile nisan kwietnia апреля апр квітня квіт أبريل إبريل نيسان",
    5: "may mayo mai maio maggio mei mayıs maja мая травня трав مايو أيار",
    6: "june jun junio juin juni junho giugno giu haziran czerwca июня июн червня черв يونيو "
    "حزيران",
    7: "july jul julio juillet juil juli julho luglio lug temmuz lipca июля июл липня лип يوليو "
    "تموز",
    8: "august aug agosto août aout augustus ağustos sierpnia августа авг серпня серп أغسطس آب",
    9: "september sep sept septiembre septembre setembro settembre set eylül września сентября "
    "сен вересня вер سبتمبر أيلول",
    10: "october oct octubre octobre oktober okt outubro ottobre ott ekim października октября "
    "окт жовтня жовт أكتوبر",
    11: "november nov noviembre novembre novembro kasım listopada ноября ноя листопада лист نوفمبر",
    12: "december dec diciembre dic décembre déc dezember dez dezembro dicembre aralık grudnia "
    "декабря дек грудня груд ديسمبر",
}
MONTHS: dict[str, int] = {}
for _number, _names in _MONTHS.items():
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)
# Arabic names of two words ("كانون الثاني") are matched on their first word plus the second.
MONTHS.update({"كانون الثاني": 1, "كانون الأول": 12, "تشرين الأول": 10, "تشرين الثاني": 11})

_WORD = r"[^\W\d_]+(?:\s(?:الثاني|الأول))?\.?"
DATE_PATTERN = (
    r"(?:"
    rf"(?P<m1>{_WORD})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"  # December 6, 2024
    r"|"
    rf"(?P<d2>\d{{1,2}})\.?\s+(?:de\s+)?(?P<m2>{_WORD})[,،]?\s+(?:de\s+)?(?P<y2>\d{{4}})"
    r"(?:\s?(?:г|р)\.)?"  # 28 de marzo de 2017, 24 марта 2019 г.
    r"|"
    r"(?P<y3>\d{4})\s?[年년]\s?(?P<m3>\d{1,2})\s?[月월]\s?(?P<d3>\d{1,2})\s?[日일]"  # 2019年3月24日
    r"|"
    r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})\b"  # 2024-12-06, as some scrapers write it
    r")"
)
DATE_RE = re.compile(DATE_PATTERN)


def month_number(word: str) -> int | None:
    key = unicodedata.normalize("NFC", word).lower().rstrip(".")
    return MONTHS.get(key)


def parse_date(match: re.Match[str]) -> date | None:
    """The date a DATE_PATTERN match names, or None when its words are not a month."""
    groups = match.groupdict()
    numeric = "3" if groups.get("y3") else "4" if groups.get("y4") else None
    if numeric:
        year, month, day = (int(groups[f"{part}{numeric}"]) for part in "ymd")
    else:
        suffix = "1" if groups.get("y1") else "2"
        month = month_number(groups[f"m{suffix}"] or "")
        if month is None:
            return None
        year, day = int(groups[f"y{suffix}"]), int(groups[f"d{suffix}"])
    try:
        return date(year, month, day)
    except ValueError:
        return None

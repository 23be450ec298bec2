"""The time a post's id encodes, and the date a document shows for a post checked against it;
with no id, the ids a handle's day can hold (see lookup.py)."""

from __future__ import annotations

import time
from datetime import date
from functools import lru_cache

from .ids import FIRST_SNOWFLAKE_DAY, LAST_SEQUENTIAL_ID, SNOWFLAKE_EPOCH_MS, ascii_id
from .ref import Ref


def _iso(status_id: str) -> str | None:
    """The time a post's id encodes, as ISO 8601 in UTC to the millisecond (`…T10:00:00.123Z`);
    None for ids from before November 2010."""
    value = int(status_id)
    if value <= LAST_SEQUENTIAL_ID:
        return None
    seconds, ms = divmod((value >> 22) + SNOWFLAKE_EPOCH_MS, 1000)
    day, second = divmod(seconds, 86400)
    hours, minutes = divmod(second // 60, 60)
    return f"{_day(day)}T{hours:02d}:{minutes:02d}:{second % 60:02d}.{ms:03d}Z"


@lru_cache(maxsize=1024)
def _day(day: int) -> str:
    """Day `day` since 1970-01-01 as `YYYY-MM-DD` (documents cite many posts of a day)."""
    return time.strftime("%Y-%m-%d", time.gmtime(day * 86400))


def placeholder_id(digits: str) -> bool:
    """`1234567890123456789`, `1111111111111111111`: the ids guides and API documentation write
    as a model of one (counting up from 1, or one digit over and over), not a post cited."""
    return len(digits) >= 10 and (COUNTING.startswith(digits) or digits == digits[0] * len(digits))


COUNTING = "1234567890" * 2


def fits_id(status_id: str, day: date) -> bool:
    """Whether a post of `day` can have the id `status_id` (a day either side: time zones)."""
    encoded = _iso(status_id)
    if encoded is None:
        return day.isoformat() <= FIRST_SNOWFLAKE_DAY
    return abs((day - date.fromisoformat(encoded[:10])).days) <= 1


def finish(r: Ref) -> None:
    """The time a post's id encodes, checked against the date shown; or, with no id, the ids
    the handle's day can hold."""
    if r.status_id and not r.status_id.isascii():  # the post's id as X writes it
        written, r.status_id = r.status_id, ascii_id(r.status_id)
        if r.canonical_url:
            r.canonical_url = r.canonical_url.replace(written, r.status_id)
    if r.status_id:
        r.snowflake_time = _iso(r.status_id)
        _check_date(r)
    elif r.kind in ("attribution", "citation") and r.handle and r.date:
        ids = _day_ids(r.date)
        r.id_range = list(ids) if ids else None


@lru_cache(maxsize=1024)
def _day_ids(day: str) -> tuple[str, str] | None:
    """The lowest and highest id a post of `day` (ISO) can have; documents repeat their days."""
    from .lookup import id_range  # loaded for unlinked embeds and citations only

    bounds = id_range(date.fromisoformat(day))
    return (str(bounds[0]), str(bounds[1])) if bounds else None


def _check_date(r: Ref) -> None:
    if r.kind not in ("attribution", "citation"):
        return
    year = r.date_text if r.date is None and (r.date_text or "").isdigit() else None
    if year and r.snowflake_time and r.snowflake_time[:4] != year:  # APA's `(2023).` alone
        r.warnings.append(
            f"year {year} disagrees with the time its id encodes ({r.snowflake_time})"
        )
    if not r.date:
        return
    if not r.snowflake_time:  # an id from before November 2010 (or one a PDF's line cut short)
        if r.status_id and r.date > FIRST_SNOWFLAKE_DAY:
            r.warnings.append(
                f"date {r.date_text!r} is after November 2010, but id {r.status_id} is from "
                "before (cut short?)"
            )
        return
    encoded = date.fromisoformat(r.snowflake_time[:10])
    shown = date.fromisoformat(r.date)
    if abs((shown - encoded).days) > 1 and not _footnote_mark(r, shown):
        r.warnings.append(
            f"date {r.date_text!r} disagrees with the time its id encodes ({r.snowflake_time})"
        )


def _footnote_mark(r: Ref, shown: date) -> bool:
    """Whether `r`'s id of 19 digits is one of 18 posted on its entry's day `shown`, with a
    footnote's number run into it (PDF text): it is then read so, with a warning."""
    written = r.status_id or ""
    shorter = written[:18]
    if len(written) != 19 or not fits_id(shorter, shown):
        return False
    r.warnings.append(
        f"id read as {shorter}: the {written[18]!r} run into it read as a footnote's mark (the "
        f"date {r.date_text!r} is that id's)"
    )
    r.status_id, r.snowflake_time = shorter, _iso(shorter)
    r.url = r.url.replace(written, shorter) if r.url else r.url
    r.canonical_url = r.canonical_url.replace(written, shorter) if r.canonical_url else None
    return True

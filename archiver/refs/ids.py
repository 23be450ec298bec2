"""Post ids: the time a snowflake id encodes, and whether digits can be a post's id at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

SNOWFLAKE_EPOCH_MS = 1288834974657
FIRST_SNOWFLAKE_DAY = "2010-11-05"  # ids from this day on encode their time (ISO date, UTC)
LAST_SEQUENTIAL_ID = 30_000_000_000  # ids before snowflakes (Nov 2010) stayed below this
FIRST_ID = 20  # the first post kept (jack's, 21 March 2006): no post has a lower id


def snowflake_time(status_id: str | int) -> datetime | None:
    """The creation time a snowflake id encodes, or None for ids from before November 2010."""
    value = int(status_id)
    if value <= LAST_SEQUENTIAL_ID:
        return None
    return datetime.fromtimestamp(((value >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, UTC)


def ascii_id(digits: str) -> str:
    """A post id in ASCII digits: one written in other digits (`１８６…`, full width) is the
    same post's."""
    return digits if digits.isascii() else str(int(digits))


def plausible_id(digits: str, now: datetime | None = None) -> bool:
    """True for ids a real post can have: sequential (pre-2010) or snowflake up to now."""
    return plausible(digits, id_ceiling(now))


def id_ceiling(now: datetime | None) -> float:
    """The latest creation time (ms since the epoch) a plausible id may encode: a day past now."""
    return ((now or datetime.now(UTC)) + timedelta(days=1)).timestamp() * 1000


def plausible(digits: str, latest_ms: float) -> bool:
    if not digits.isdigit() or len(digits) > 19 or digits.startswith("0"):
        return False
    value = int(digits)
    if value <= LAST_SEQUENTIAL_ID:
        return value >= FIRST_ID  # `/status/16`: an id a line break cut short, not a post
    if len(digits) < 15:  # between the two id schemes: a snowflake id that was cut short
        return False
    return (value >> 22) + SNOWFLAKE_EPOCH_MS <= latest_ms


def marked(digits: str, latest_ms: float) -> tuple[str, str | None]:
    """An id with a footnote's mark run into it (`…/status/<19 digits>12`, `…/<18 digits>3`):
    the id, when one of 19 or 18 digits is plausible before the rest (an id no longer than 19
    digits; ten times an 18-digit one's time is far in the future, so the two cannot both be),
    with a warning."""
    for length in (19, 18):
        if plausible(digits[:length], latest_ms):
            mark = digits[length:]
            why = (
                "no id has more than 19 digits"
                if len(digits) > 19
                else "whole, its time is to come"
            )
            return digits[:length], (
                f"id read as {digits[:length]}: the {mark!r} run into it read as a footnote's "
                f"mark ({why})"
            )
    return digits, None

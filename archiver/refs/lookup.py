"""Finding the post an unlinked embed or citation shows: `— Name (@handle) Date` and no link.

A post id is a snowflake: its top bits are the creation time in milliseconds. The day as
written may be in any UTC offset (−12 h to +14 h), so the post was made between the day's start
14 hours early and its end 14 hours late, and its id lies in `id_range(day)`.

The Wayback Machine's CDX server lists the captures of a handle's status URLs; a prefix query
on the decimal prefixes that cover the range, from the earliest moment the post can have been
made (a capture never predates its post; there is no upper bound on when it was captured),
lists the candidates. `parse_cdx` reads the answer (JSON or the default text), `candidates`
keeps the ids in range, and `score` compares the embed's body with a candidate's text.

Pure functions only: the asking is the archive's part.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from .ids import FIRST_SNOWFLAKE_DAY, SNOWFLAKE_EPOCH_MS

CDX_ENDPOINT = "https://web.archive.org/cdx/search/cdx"
CDX_FIELDS = ("original", "timestamp", "statuscode", "mimetype", "digest")
DEFAULT_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
HOSTS = ("twitter.com", "mobile.twitter.com", "x.com")  # (the index keys each apart)
SLACK = timedelta(hours=14)  # the widest UTC offsets: −12:00 and +14:00, rounded up
MAX_PREFIXES = 4
STATUS_PATH_RE = re.compile(r"/(?P<handle>[A-Za-z0-9_]{1,15})/status(?:es)?/(?P<id>\d{6,19})")
CONFIDENT = 0.9
# Below CONFIDENT whatever their likeness: texts whose words differ (a number, a `not`, a
# reply's addressee changes what a post says), or the same few words any post may hold
UNSURE = 0.85
FEWEST_WORDS = 4  # the same words, this many at least, name one post
SAME = 0.99  # a candidate with the document's very words
APA_WORDS = 20  # APA quotes a post's first twenty words: that many may be a beginning


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def id_range(day: date, slack: timedelta = SLACK) -> tuple[int, int] | None:
    """The lowest and highest id a post made on `day` (local to its writer) can have; None
    before snowflake ids (5 November 2010), whose ids encode no time."""
    if day.isoformat() < FIRST_SNOWFLAKE_DAY:
        return None
    start = datetime.combine(day, time(), UTC) - slack
    end = datetime.combine(day + timedelta(days=1), time(), UTC) + slack
    low = (_ms(start) - SNOWFLAKE_EPOCH_MS) << 22
    high = ((_ms(end) - SNOWFLAKE_EPOCH_MS) << 22) | ((1 << 22) - 1)
    return max(low, 0), high


def decimal_prefixes(low: int, high: int, most: int = MAX_PREFIXES) -> list[str]:
    """The fewest, then longest, decimal prefixes whose numbers cover [low, high] (at most
    `most` per digit count)."""
    out: list[str] = []
    for digits in range(len(str(low)), len(str(high)) + 1):
        lo = max(low, 10 ** (digits - 1))
        hi = min(high, 10**digits - 1)
        for length in range(digits, 0, -1):
            scale = 10 ** (digits - length)
            first, last = lo // scale, hi // scale
            if last - first + 1 <= most or length == 1:
                out += [str(p) for p in range(first, last + 1)]
                break
    return out


def cdx_urls(handle: str, day: date) -> list[str]:
    """The CDX queries that list `handle`'s captured status URLs a post of `day` can have."""
    bounds = id_range(day)
    if bounds is None:
        return []
    since = (datetime.combine(day, time(), UTC) - SLACK).strftime("%Y%m%d%H%M%S")
    urls = []
    for host in HOSTS:
        for prefix in decimal_prefixes(*bounds):
            query = {
                "url": f"{host}/{handle}/status/{prefix}",
                "matchType": "prefix",
                "from": since,
                "output": "json",
                "fl": ",".join(CDX_FIELDS),  # every capture: the first may be a redirect
            }
            urls.append(f"{CDX_ENDPOINT}?{urlencode(query, safe='/,')}")
    return urls


def parse_cdx(body: bytes | str, fields: tuple[str, ...] = DEFAULT_FIELDS) -> list[dict[str, str]]:
    """Rows of a CDX answer: JSON (the first row names the fields; an empty row and a resume
    key may end it) or the default text, one capture per line with `fields` in order."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return []
        if not isinstance(data, list) or not data or not isinstance(data[0], list):
            return []
        header = [str(name) for name in data[0]]
        return [
            dict(zip(header, map(str, row), strict=True))
            for row in data[1:]
            if isinstance(row, list) and len(row) == len(header)
        ]
    rows = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == len(fields):
            row = dict(zip(fields, parts, strict=True))
            if row.get("timestamp", "0").isdigit():
                rows.append(row)
    return rows


@dataclass
class Candidate:
    """A captured status URL of the handle whose id fits the day."""

    status_id: str
    url: str
    captures: list[str] = field(default_factory=list)  # "<timestamp> <statuscode> <mimetype>"


def candidates(rows: list[dict[str, str]], handle: str, day: date) -> list[Candidate]:
    """The handle's status ids in `rows` that a post of `day` can have, oldest first."""
    bounds = id_range(day)
    if bounds is None:
        return []
    found: dict[str, Candidate] = {}
    for row in rows:
        m = STATUS_PATH_RE.search(row.get("original", ""))
        if m is None or m.group("handle").lower() != handle.lower():
            continue
        status_id = m.group("id")
        if not bounds[0] <= int(status_id) <= bounds[1]:
            continue
        item = found.setdefault(status_id, Candidate(status_id, row["original"]))
        item.captures.append(
            " ".join(row.get(k, "-") for k in ("timestamp", "statuscode", "mimetype"))
        )
    return sorted(found.values(), key=lambda c: int(c.status_id))


LINK_RE = re.compile(r"(?:https?://)?(?:t\.co|pic\.(?:twitter|x)\.com)/(\w+)", re.IGNORECASE)
OTHER_URL_RE = re.compile(r"https?://\S+")
WORD_RE = re.compile(r"\w+")


@dataclass
class Match:
    """How well a candidate's text matches an embed's body, and why."""

    status_id: str
    confidence: float
    evidence: list[str]

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


def _words(text: str) -> list[str]:
    text = LINK_RE.sub(" ", OTHER_URL_RE.sub(lambda m: "" if "t.co/" in m.group(0) else " ", text))
    return WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())


def score(body: str, candidate: Candidate, text: str) -> Match:
    """Compare the text a document shows (`body`) with a candidate post's `text`."""
    mine, theirs = _words(body), _words(text)
    evidence = [f"id {candidate.status_id} fits the day", f"{len(candidate.captures)} captures"]
    if not mine or not theirs:
        return Match(candidate.status_id, 0.0, [*evidence, "no words to compare"])
    from difflib import SequenceMatcher  # loaded on first use: extract never needs it

    ratio = SequenceMatcher(None, mine, theirs, autojunk=False).ratio()
    links = {c.lower() for c in LINK_RE.findall(body)} & {c.lower() for c in LINK_RE.findall(text)}
    confidence = min(ratio, UNSURE)  # alike is not the same: `3 people` is not `30 people`
    cut = body.rstrip().endswith(("…", "...")) or len(mine) >= APA_WORDS  # a quote's beginning
    if mine == theirs and len(mine) >= FEWEST_WORDS:
        confidence = SAME
        evidence.append("same words")
    elif mine == theirs:
        evidence.append(f"the same {len(mine)} words, too few to name one post")
    elif cut and len(mine) >= FEWEST_WORDS * 2 and theirs[: len(mine)] == mine:
        confidence = 0.95  # a citation quotes the post's first words (APA: twenty), or cut it
        evidence.append(f"the post's first {len(mine)} words")
    else:
        evidence.append(f"{ratio:.0%} of words in common order")
    if links:  # (evidence, never in place of the words: a repost shows the same link)
        evidence.append("same short link: " + ", ".join(sorted(links)))
    return Match(candidate.status_id, round(confidence, 3), evidence)


def best_match(matches: list[Match]) -> Match | None:
    """The match to use: confident and clearly ahead of any other; None when unsure."""
    ranked = sorted(matches, key=lambda m: m.confidence, reverse=True)
    if not ranked or not ranked[0].confident:
        return None
    if ranked[0].confidence >= SAME and (len(ranked) == 1 or ranked[1].confidence < SAME):
        return ranked[0]  # the one post with the document's very words
    if len(ranked) > 1 and ranked[1].confidence > ranked[0].confidence - 0.1:
        return None
    return ranked[0]

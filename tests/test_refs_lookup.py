"""Link-less embeds: the id range of a handle's day, the CDX queries for it, CDX answers in the
server's real shapes, candidates and the text score; end to end against a loopback CDX."""

from __future__ import annotations

import json
import random
import urllib.request
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import SHARED

from archiver.refs import scan
from archiver.refs.ids import SNOWFLAKE_EPOCH_MS
from archiver.refs.lookup import (
    Candidate,
    best_match,
    candidates,
    cdx_urls,
    decimal_prefixes,
    id_range,
    parse_cdx,
    score,
)

CORPUS_CDX = (
    SHARED / "corpus" / "wayback" / "cdx-text-prefix-twitter.com_SputnikNewsUS-status-lines.txt"
)


def snowflake_at(moment: datetime, low_bits: int = 0) -> int:
    return ((int(moment.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS) << 22) | low_bits


def test_the_range_holds_every_post_of_the_day_in_any_utc_offset() -> None:
    day = date(2024, 12, 6)
    low, high = id_range(day)
    midnight = datetime(2024, 12, 6, tzinfo=UTC)
    # 00:00 at UTC+14 is 10:00 the day before in UTC; 23:59 at UTC-12 is 11:59 the day after.
    for moment in (midnight - timedelta(hours=14), midnight + timedelta(hours=35, minutes=59)):
        assert low <= snowflake_at(moment) <= high
        assert low <= snowflake_at(moment, (1 << 22) - 1) <= high
    assert snowflake_at(midnight - timedelta(hours=14, seconds=1)) < low
    assert snowflake_at(midnight + timedelta(hours=38, seconds=1)) > high
    assert id_range(date(2009, 6, 1)) is None  # ids from before November 2010 encode no time


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (1017347835294646272, 1018133009007640575),
        (999999999999990000, 1000000000000000500),  # across a change in digit count
        (1864994181010350326, 1864994181010350326),
        (20, 98765),
    ],
)
def test_decimal_prefixes_cover_the_range(low: int, high: int) -> None:
    prefixes = decimal_prefixes(low, high)
    rng = random.Random(low)
    for number in (low, high, *(rng.randint(low, high) for _ in range(200))):
        assert any(str(number).startswith(p) for p in prefixes)
    assert len(prefixes) <= 9 * (len(str(high)) - len(str(low)) + 1)


def test_cdx_queries_name_the_handles_status_urls_from_the_earliest_post_time() -> None:
    urls = cdx_urls("SputnikNewsUS", date(2018, 7, 13))
    assert len(urls) == 6  # three hosts (the index keys mobile.twitter.com apart), two prefixes
    for url in urls:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "https",
            "web.archive.org",
            "/cdx/search/cdx",
        )
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert query["matchType"] == "prefix" and query["output"] == "json"
        assert query["from"] == "20180712100000" and "to" not in query
        assert query["fl"] == "original,timestamp,statuscode,mimetype,digest"
        assert query["url"].split("/status/")[1] in ("1017", "1018")
    assert {urlsplit(u).query.split("&")[0] for u in urls} == {
        "url=twitter.com/SputnikNewsUS/status/1017",
        "url=twitter.com/SputnikNewsUS/status/1018",
        "url=mobile.twitter.com/SputnikNewsUS/status/1017",
        "url=mobile.twitter.com/SputnikNewsUS/status/1018",
        "url=x.com/SputnikNewsUS/status/1017",
        "url=x.com/SputnikNewsUS/status/1018",
    }
    assert cdx_urls("jack", date(2006, 3, 21)) == []


# The CDX server's JSON output: a header row naming the fields asked for (fl=), one row per
# capture, and with showResumeKey an empty row then the key (wayback-cdx-server README).
CDX_JSON = json.dumps(
    [
        ["original", "timestamp", "statuscode", "mimetype", "digest"],
        [
            "https://twitter.com/SputnikNewsUS/status/1017513932490182657",
            "20180712210000",
            "-",
            "application/json",
            "XYB7BJZ6IFOZMR35F5FY3XFUHVITDKWI",
        ],
        [
            "https://twitter.com/SputnikNewsUS/status/1017929168602923008",
            "20180714003000",
            "-",
            "application/json",
            "NRDJJYZHQYEHG4GUHCWBN63JI7MP2QAT",
        ],
        [
            "https://twitter.com/sputniknewsus/status/1017929168602923008?lang=en",
            "20180801120000",
            "200",
            "text/html",
            "KCNLECFYWHP234OZCH3USGRSAHMYOUMB",
        ],
        [
            "https://twitter.com/SputnikNewsUS/status/1014056148289241088",
            "20180703080000",
            "-",
            "application/json",
            "BGA6NUORC6TAOCSJZ2FONHJVQTFVXLUG",
        ],
        [],
        ["com%2Ctwitter%29%2Fsputniknewsus%2Fstatus%2F1018+20180801120000%21"],
    ]
)
# The default text output: seven space-separated fields (the corpus file's shape).
CDX_TEXT = (
    "com,twitter)/sputniknewsus/status/1017513932490182657 20180712210000 "
    "https://twitter.com/SputnikNewsUS/status/1017513932490182657 application/json - "
    "XYB7BJZ6IFOZMR35F5FY3XFUHVITDKWI 1546\n"
    "com,twitter)/sputniknewsus/status/1007884228946776064 20180616071944 "
    "http://twitter.com/SputnikNewsUS/status/1007884228946776064 unk 301 "
    "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ 452\n"
)


def test_cdx_answers_in_json_and_text() -> None:
    rows = parse_cdx(CDX_JSON)
    assert len(rows) == 4 and rows[0]["statuscode"] == "-"
    found = candidates(rows, "SputnikNewsUS", date(2018, 7, 13))
    assert [c.status_id for c in found] == ["1017513932490182657", "1017929168602923008"]
    assert found[1].captures == [
        "20180714003000 - application/json",
        "20180801120000 200 text/html",
    ]
    text_rows = parse_cdx(CDX_TEXT.encode())
    assert [r["statuscode"] for r in text_rows] == ["-", "301"]
    assert [c.status_id for c in candidates(text_rows, "sputniknewsus", date(2018, 7, 13))] == [
        "1017513932490182657"
    ]
    for hostile in (b"", b"[", b'{"a": 1}', b"[[1,2],[3]]", b"\xff\xfe garbage", "[]"):
        assert parse_cdx(hostile) == []


@pytest.mark.skipif(not CORPUS_CDX.is_file(), reason=f"corpus not present at {CORPUS_CDX}")
def test_the_corpus_cdx_rows() -> None:
    rows = parse_cdx(CORPUS_CDX.read_bytes())
    assert len(rows) == 10
    found = candidates(rows, "SputnikNewsUS", date(2018, 7, 13))
    assert [c.status_id for c in found] == ["1017513932490182657", "1017929168602923008"]
    assert len(found[1].captures) == 2  # the corpus repeats that row


def test_scores_and_the_confident_choice() -> None:
    right = Candidate("1017929168602923008", "u", ["20180714003000 - application/json"])
    wrong = Candidate("1017513932490182657", "u", [])
    body = "Trump and Putin meet in Helsinki on Monday pic.twitter.com/AbCdEfGh12"
    same = score(body, right, "Trump and Putin meet in Helsinki on Monday https://t.co/AbCdEfGh12")
    assert same.confident and "same words" in same.evidence
    assert "same short link: abcdefgh12" in same.evidence
    other = score(body, wrong, "Weather today: sunny in Moscow, 25 degrees")
    assert other.confidence < 0.3
    assert best_match([other, same]) is same
    close = score(body, wrong, "Trump and Putin meet in Helsinki on Monday!")
    assert close.confident and best_match([same, close]) is None  # two fit: unresolved
    assert score("", right, "text").confidence == 0.0


def test_an_unlinked_embed_is_resolved_against_a_loopback_cdx(replay) -> None:
    texts = {
        "1017513932490182657": "US sanctions: what the new measures mean for Moscow",
        "1017929168602923008": "Trump and Putin to meet in Helsinki on Monday https://t.co/Xy12AbCd9Q",
    }

    def cdx(handler) -> object:
        from replay import json_reply

        query = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        prefix = query["url"].lower()
        header, *rows = json.loads(CDX_JSON)[:5]
        rows = [r for r in rows if r[0].lower().split("//")[1].startswith(prefix)]
        return json_reply([header, *rows] if rows else [])

    replay.add("web.archive.org", "/cdx/search/cdx", cdx)
    page = (
        "The agency's English service posted it the same evening:\n"
        "Trump and Putin to meet in Helsinki on Monday pic.twitter.com/Xy12AbCd9Q\n"
        "— Sputnik (@SputnikNewsUS) July 13, 2018\n"
    )
    (att,) = [r for r in scan(page) if r.kind == "attribution"]
    assert att.text == "Trump and Putin to meet in Helsinki on Monday pic.twitter.com/Xy12AbCd9Q"
    assert att.status_id is None and att.id_range is not None
    rows = []
    for url in cdx_urls(att.handle, date.fromisoformat(att.date)):
        parts = urlsplit(url)
        request = urllib.request.Request(
            f"{replay.origin}{parts.path}?{parts.query}", headers={"Host": parts.netloc}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            rows += parse_cdx(answer.read())
    found = candidates(rows, att.handle, date.fromisoformat(att.date))
    assert [c.status_id for c in found] == list(texts)
    low, high = map(int, att.id_range)
    assert all(low <= int(c.status_id) <= high for c in found)
    best = best_match([score(att.text, c, texts[c.status_id]) for c in found])
    assert best is not None and best.status_id == "1017929168602923008"
    assert any("same short link" in e for e in best.evidence)
    assert len(replay.hits("web.archive.org")) == 6


def test_a_candidate_is_confident_only_when_its_words_are_the_documents() -> None:
    """Alike is not the same: a differing number, a `not`, another reply's addressee or a repost's
    `RT @…` (its link the same) keep a candidate below the bar; the same words (enough to name
    one post), or the post's first words as a citation cuts them (`…`, APA's twenty), are
    confident; of two, the very words win."""
    body = "The mayor said that 3 people were injured in the fire on Main Street this morning."
    near = Candidate("1", "u", ["20240101000000 200 application/json"])
    same = Candidate("2", "u", ["20240101000000 200 application/json"])
    for other in (
        body.replace("3 people", "30 people"),
        body.replace("said that", "said that not"),
        "RT @CityNews: " + body,
    ):
        assert not score(body, near, other).confident, other
    assert not score("Thank you!", near, "Thank you!!").confident
    assert score(body, same, body).confident
    first = " ".join(body.split()[:9])
    assert score(first + "…", same, body).confident  # cut, as a citation cuts a quote
    assert not score(first, same, body).confident  # whole as written: perhaps another post
    linked = body + " pic.twitter.com/AbC123"  # a repost shows the same link: words decide
    assert not score(linked, near, "RT @CityNews: " + linked).confident
    both = [score(body, near, body.replace("3 people", "30 people")), score(body, same, body)]
    assert best_match(both) is not None and best_match(both).status_id == "2"
    longer = [score(first + "…", near, body), score(body, same, body)]  # the very words win
    assert best_match(longer) is not None and best_match(longer).status_id == "2"

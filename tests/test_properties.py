"""Property tests: every real URL form is found exactly; random text never crashes or invents
posts; every reference points at the text it was found in."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.refs import scan
from archiver.refs.citations import is_placeholder
from archiver.refs.dates import find_date, parse_date
from archiver.refs.ids import SNOWFLAKE_EPOCH_MS, plausible_id
from archiver.refs.urls import RESERVED

HOSTS = [
    "twitter.com",
    "x.com",
    "fxtwitter.com",
    "vxtwitter.com",
    "fixupx.com",
    "fixvx.com",
    "nitter.net",
    "twitter-com.translate.goog",  # Google Translate's proxy of a page
]
handles = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True).filter(
    lambda h: h.lower() not in RESERVED
)
now_ms = int(datetime.now(UTC).timestamp() * 1000)
snowflakes = (
    st.integers(min_value=1, max_value=now_ms - SNOWFLAKE_EPOCH_MS)
    .flatmap(lambda ms: st.integers(0, 2**22 - 1).map(lambda low: (ms << 22) | low))
    .filter(lambda i: len(str(i)) >= 15)
)
ids = st.one_of(st.integers(20, 30_000_000_000), snowflakes).map(str)  # no post below 20


def positions_hold(text: str, refs: list) -> None:
    lines = text.split("\n")
    for r in refs:
        assert lines[r.line - 1][r.column - 1 :].startswith(r.match.split("\n")[0])


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["https://", "http://", ""]),
    sub=st.sampled_from(["", "www.", "mobile.", "m."]),
    host=st.sampled_from(HOSTS),
    handle=handles,
    path=st.sampled_from(["status", "statuses"]),
    status_id=ids,
    tail=st.sampled_from(["", "/", "/photo/1", "/video/1", "?s=20", "?s=20&t=Ab-c_9", "#m"]),
    before=st.sampled_from(["", " ", "(", "see ", "«", "\n"]),
    after=st.sampled_from(["", " ", ")", ").", ",", ".", "!", "\n", " — more"]),
)
def test_every_status_url_form_is_found(
    scheme, sub, host, handle, path, status_id, tail, before, after
) -> None:
    url = f"{scheme}{sub}{host}/{handle}/{path}/{status_id}{tail}"
    text = f"{before}{url}{after}"
    posts = [r for r in scan(text) if r.status_id]
    assert len(posts) == 1
    (post,) = posts
    assert post.kind == "status_url"
    assert post.status_id == status_id and post.handle == handle
    assert post.canonical_url == f"https://x.com/{handle}/status/{status_id}"
    assert post.match == url.rstrip("/") or post.match == url
    positions_hold(text, [post])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_crashes_or_invents_a_post(text: str) -> None:
    refs = scan(text)
    assert not [r for r in refs if r.status_id]
    positions_hold(text, refs)


TOKENS = [
    "twitter.com",
    "x.com",
    "/",
    "status",
    "statuses",
    "i",
    "web",
    "@",
    "—",
    "-",
    "(@",
    ")",
    " ",
    "\n",
    "t.co",
    "pic.twitter.com",
    "share?",
    "intent/tweet",
    "12345678901234567",
    "1864994181010350326",
    "99999999999999999999",
    "…",
    "December 6, 2024",
    "<p>",
    "</p>",
    "<blockquote>",
    "</blockquote>",
    "&mdash;",
    "abc",
    "é",
    "日本",
    ".xml",
    "?s=20",
    "#",
    "[@",
    "]",
    "(2020, September 2). ",
    '"',
    "[Tweet]",
    "(Tweet) – via Twitter.",
    "{{cite tweet|user=",
    "|number=",
    "}}",
    " Tweet.",
    "1 May 2011, 3:58 p.m.",
    "username",
    # the cues other readers start from: cards, widgets, pasted pages, entries, columns
    ' class="tweet"',
    '<div class="twitter-embed" data-attrs="{&quot;url&quot;:&quot;',
    "&quot;}",
    ' data-component-name="Twitter2ToDOM">',
    ' data-tweet-id="',
    'alt="Twitter avatar for @',
    '<a href="https://x.com/',
    '">',
    "</a>",
    ' on X: "',
    " / X",
    "<!--",
    "-->",
    "\n",
    "     ",
    "-\n",
    " Retrieved March 20, 2023, from ",
    "·",
    "Replying to @",
    "1.2K",
    "TY  - ",
    "@misc{k,",
    "\\[@",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_tricky_token_soup_gives_only_well_formed_references(text: str) -> None:
    refs = scan(text)
    for r in refs:
        assert r.kind in ("status_url", "short_link", "attribution", "citation", "account")
        if r.status_id:
            assert plausible_id(r.status_id) and r.status_id in text
        if r.kind == "short_link":
            assert r.canonical_url.startswith("https://t.co/")
    assert len({r.status_id for r in refs if r.status_id}) == len([r for r in refs if r.status_id])
    positions_hold(text, refs)


ENTRIES = [
    "{name} [@{handle}]. (2020, September 2). {text} [Tweet]. Twitter.",
    '{name} (@{handle}), "{text}," Twitter, April 22, 2015, 11:10 a.m.',
    '{name} ({handle}). "{text}." 1 May 2011, 3:58 p.m. Tweet.',
    '@{handle}. "{text}." X, 4 Mar. 2024, 9:15 a.m.',
    '{name} [@{handle}] (7 February 2015). "{text}" (Tweet) – via Twitter.',
    "{{{{cite tweet |user={handle} |author={name} |title={text} |date=2019-11-27}}}}",
]
# (no `<`: a tag never closed, `<P` then the entry, hides the rest as a browser does: htmlview)
prose = st.text(st.characters(blacklist_characters='@[](){}|"\n<'), max_size=60)
names = st.from_regex(r"[A-Z][a-z]{1,10}(?: [A-Z][a-z]{1,10})?", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(
    before=prose,
    after=prose,
    entry=st.sampled_from(ENTRIES),
    name=names,
    handle=handles.filter(lambda h: not is_placeholder(h)),
    text=st.from_regex(r"[A-Za-z ,!]{1,60}", fullmatch=True).map(str.strip).filter(bool),
)
def test_a_citations_author_is_never_an_account(before, after, entry, name, handle, text) -> None:
    document = f"{before}\n{entry.format(name=name, handle=handle, text=text)}\n{after}"
    refs = scan(document)
    cited = [r for r in refs if r.kind == "citation"]
    assert [r.handle for r in cited] == [handle]
    assert not [r for r in refs if r.kind == "account" and r.handle.lower() == handle.lower()]
    positions_hold(document, refs)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.sampled_from([None, "en", "de", "ja", "ar", "xx"]))
def test_dates_never_raise(text: str, lang: str | None) -> None:
    found = parse_date(text, lang)
    assert found is None or 1000 <= found.year <= 2999
    at = find_date(text, 0, lang)
    assert at is None or text[at.start : at.end] == at.text

"""Every answer shape the services give, asked through a real Http of the replay server and
checked field by field: syndication, FxTwitter, vxTwitter and oEmbed answers of every kind, and
the Wayback Machine's captures in every era (fixtures in tests/fixtures/replay/answers/, each
following the real shape SOURCES.md names)."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest
from replay import FIXTURES, Reply, cdx_by_url, json_reply

from archiver.config import Settings, parse_connect_to
from archiver.net import Http
from archiver.record import from_twitter_date, id_time
from archiver.sources import ALL, Reading, Target
from archiver.sources.wayback import parse_snapshot
from archiver.store import Store

ANSWERS = FIXTURES / "answers"


def ask(replay, tmp_path: Path, source: str, status_id: str, handle: str | None = None) -> Reading:  # type: ignore[no-untyped-def]
    async def run() -> Reading:
        settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0)
        async with Http(settings, Store(tmp_path / "a")) as http:
            return await ALL[source].ask(http, Target(status_id, handle))

    return asyncio.run(run())


def syndication(replay, tmp_path: Path, name: str, status_id: str) -> Reading:  # type: ignore[no-untyped-def]
    replay.add(
        "cdn.syndication.twimg.com", "/tweet-result", json_reply(ANSWERS / "syndication" / name)
    )
    return ask(replay, tmp_path, "syndication", status_id)


def fx(replay, tmp_path: Path, name: str, status_id: str, status: int = 200) -> Reading:  # type: ignore[no-untyped-def]
    replay.add("api.fxtwitter.com", "*", json_reply(ANSWERS / "fxtwitter" / name, status))
    return ask(replay, tmp_path, "fxtwitter", status_id)


def vx(replay, tmp_path: Path, name: str, status_id: str, status: int = 200) -> Reading:  # type: ignore[no-untyped-def]
    replay.add("api.vxtwitter.com", "*", json_reply(ANSWERS / "vxtwitter" / name, status))
    return ask(replay, tmp_path, "vxtwitter", status_id)


def serve_wayback(replay, captures: list[tuple[str, str, str, bytes]]) -> None:  # type: ignore[no-untyped-def]
    """A CDX server listing (timestamp, original URL, mimetype, body) captures, newest last as
    the CDX server lists them, and the raw snapshot of each."""
    header = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    rows = [header]
    for i, (stamp, original, mimetype, body) in enumerate(captures):
        rows.append(["com,twitter)/x", stamp, original, mimetype, "200", f"D{i}", str(len(body))])
        kind = "application/json" if "json" in mimetype else "text/html; charset=utf-8"
        replay.add(
            "web.archive.org",
            f"/web/{stamp}id_/{original}",
            Reply(200, body, {"Content-Type": kind}),
        )
    listing = ("[" + ",\n".join(json.dumps(r) for r in rows) + "]").encode()
    replay.add("web.archive.org", "/cdx/search/cdx", json_reply(listing))


def wayback(
    replay, tmp_path: Path, status_id: str, *files: str, handle: str = "harbornotes"
) -> Reading:  # type: ignore[no-untyped-def]
    """Ask the wayback source for a post whose captures are `files`, oldest first."""
    captures = []
    for i, name in enumerate(files):
        body = (ANSWERS / "wayback" / name).read_bytes()
        mimetype = "application/json" if name.endswith(".json") else "text/html"
        stamp = f"20{10 + i:02d}0101120000"
        captures.append((stamp, f"https://twitter.com/{handle}/status/{status_id}", mimetype, body))
    serve_wayback(replay, captures)
    return ask(replay, tmp_path, "wayback", status_id, handle)


def copies(reading: Reading) -> dict[str, object]:
    return {c.status_id: c for c in reading.embedded}


# --- syndication ---------------------------------------------------------------------------


def test_syndication_reply_keeps_its_parent_whole(replay, tmp_path: Path) -> None:
    reading = syndication(replay, tmp_path, "reply-with-parent.json", "1900489987191734681")
    r = reading.record
    assert (r.handle, r.author_id, r.created_at) == (
        "harbornotes",
        "1402233445566778881",
        "2025-03-14T10:11:37Z",
    )
    assert (r.reply_to_status_id, r.reply_to_handle) == ("1900478729679801273", "tidewatch_ops")
    assert r.text.startswith("@tidewatch_ops Inner basin read 4.82 m")
    assert r.edit_ids == ["1900489987191734681"] and r.latest_version is True and not r.edited
    (parent,) = reading.embedded
    assert (parent.status_id, parent.handle, parent.author_id) == (
        "1900478729679801273",
        "tidewatch_ops",
        "88112233",
    )
    assert (
        parent.text
        == "Spring tide peaked just after six this morning. Anyone else log the inner basin?"
    )
    assert parent.created_at == "2025-03-14T09:26:53Z"


def test_syndication_quote_carries_the_quoted_post_and_its_photo(replay, tmp_path: Path) -> None:
    reading = syndication(replay, tmp_path, "quote-full.json", "1900315957130167475")
    assert reading.record.quoted_status_id == "1900291315594166349"
    quoted = copies(reading)["1900291315594166349"]
    assert (quoted.handle, quoted.author_name) == ("mira_kestrel", "Mira Kestrel")
    assert quoted.text.startswith("Tomorrow morning's tide is the highest of the year.")
    (photo,) = quoted.media
    assert photo.url == "https://pbs.twimg.com/media/GmMkSlip01AbCd.jpg"
    assert (photo.width, photo.height) == (2048, 1365)
    assert photo.alt_text == "The lower slipway at low water with two dinghies on trailers"
    assert quoted.counts["likes"] == 140


def test_syndication_quote_of_a_post_it_cannot_show_says_so(replay, tmp_path: Path) -> None:
    """The quoted post is a tombstone (a protected account's, say): the quoting post is kept
    whole, with a note that it quotes a post the source does not show, and why."""
    import json

    answer = json.loads((ANSWERS / "syndication" / "quote-full.json").read_text())
    answer["quoted_tweet"] = {
        "__typename": "TweetTombstone",
        "tombstone": {
            "text": {
                "text": "You’re unable to view this Post because this account "
                "owner limits who can view their Posts. Learn more"
            }
        },
    }
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(answer))
    record = ask(replay, tmp_path, "syndication", "1900315957130167475").record
    assert record.gaps == [] and record.text
    assert "quotes a post syndication does not show: You’re unable to view this Post" in (
        "\n".join(record.notes)
    )


def test_syndication_edits_name_every_version(replay, tmp_path: Path) -> None:
    latest = syndication(replay, tmp_path, "edited-latest.json", "2013584222974902314").record
    assert latest.edit_ids == ["2013582289400758313", "2013584222974902314"]
    assert latest.edited and latest.latest_version is True
    stale = syndication(replay, tmp_path, "edited-stale.json", "2013582289400758313").record
    assert stale.text == "Ferry cancelled this afternoon (15:30 sailing)."
    assert stale.latest_version is False
    assert any("newest is 2013584222974902314" in n for n in stale.notes)


def test_syndication_poll_card(replay, tmp_path: Path) -> None:
    r = syndication(replay, tmp_path, "poll-card.json", "1830656935326647084").record
    assert r.poll["choices"] == [
        {"label": "High water", "votes": 412},
        {"label": "Wave height", "votes": 288},
        {"label": "Wind", "votes": 97},
    ]
    assert (r.poll["ends_at"], r.poll["closed"]) == ("2024-09-03T17:20:00Z", True)


def test_syndication_gif_with_bitrate_zero(replay, tmp_path: Path) -> None:
    r = syndication(replay, tmp_path, "gif-bitrate-zero.json", "1991507617117111772").record
    (gif,) = r.media
    assert (gif.kind, gif.url) == ("gif", "https://video.twimg.com/tweet_video/GcMkLoop01AbCd.mp4")
    assert gif.variants == [{"url": gif.url, "bitrate": 0, "type": "video/mp4"}]


def test_syndication_video_in_a_unified_card_is_the_posts_media(replay, tmp_path: Path) -> None:
    """A publisher's video sits in the card's JSON, `mediaDetails` empty: it is the post's
    media all the same, read as a `mediaDetails` video is (every MP4, best bitrate first)."""
    r = syndication(replay, tmp_path, "unified-card-video.json", "1929470601987092529").record
    (video,) = r.media
    base = "https://video.twimg.com/amplify_video/1929468475472544769/vid/avc1"
    assert (video.kind, video.url) == ("video", f"{base}/1920x1080/PaFerryHigh01.mp4?tag=16")
    assert [v["bitrate"] for v in video.variants] == [None, 288000, 2176000, 10368000]
    assert (video.width, video.height, video.duration_ms) == (1920, 1080, 29463)
    assert video.poster.endswith("/img/PaFerryThumb01.jpg") and not r.notes
    # where the card leads and what it says, not only its t.co link
    assert (r.card_url, r.card_title) == (
        "https://portaline-ferries.example/summer",
        "Summer timetable: every sailing",
    )


@pytest.mark.parametrize(
    ("card", "words"),
    [
        ("{not json", "cannot be read"),
        ("1" * 5000, "cannot be read"),  # an integer Python will not convert
        ("[" * 50_000 + "]" * 50_000, "cannot be read"),
        (" " * (1024 * 1024 + 1), "too large"),
        (None, "without its JSON"),
        ('{"media_entities": "x"}', None),
        ('{"media_entities": [1, "x", null]}', None),
        ('{"destination_objects": {"b": {"data": {"url_data": {"url": "javascript:x"}}}}}', None),
        ('{"destination_objects": [1], "component_objects": {"d": {"type": "details"}}}', None),
    ],
)
def test_syndication_unreadable_unified_card_is_a_note(
    replay, tmp_path: Path, card: str | None, words: str | None
) -> None:
    data = json.loads((ANSWERS / "syndication" / "unified-card-video.json").read_text())
    data["card"]["binding_values"]["unified_card"]["string_value"] = card
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(data))
    reading = ask(replay, tmp_path, "syndication", "1929470601987092529")
    assert reading.outcome == "found" and reading.record.media == []
    assert [words in n for n in reading.record.notes] == ([True] if words else [])
    assert reading.record.card_url == "https://t.co/PaFerryC01"  # the card's own link, then


def test_syndication_media_only_sensitive_post(replay, tmp_path: Path) -> None:
    r = syndication(replay, tmp_path, "media-only-sensitive.json", "2021655481545655459").record
    assert (r.lang, r.possibly_sensitive, r.text) == ("zxx", True, "https://t.co/Qm3vHarb01")
    assert r.text_expanded == "https://x.com/harbornotes/status/2021655481545655459/photo/1"


@pytest.mark.parametrize(
    ("name", "state", "words"),
    [
        ("tombstone-deleted.json", "deleted", "deleted by the Post author"),
        ("tombstone-protected.json", "protected", "limits who can view"),
        ("tombstone-withheld.json", "withheld", "withheld in Germany, Türkiye"),
        ("tombstone-account-gone.json", "unavailable", "account that no longer exists"),
        ("tombstone-unavailable.json", "unavailable", "This Post is unavailable"),
        ("tombstone-violated-rules.json", "unavailable", "violated the X Rules"),
        ("tombstone-age-restricted-empty.json", "age_restricted", "empty tombstone"),
    ],
)
def test_syndication_tombstones_name_their_state_and_words(
    replay, tmp_path: Path, name: str, state: str, words: str
) -> None:
    reading = syndication(replay, tmp_path, name, "1743240929080246273")
    assert (reading.outcome, reading.state) == ("gone", state)
    assert reading.reason.startswith("syndication: ") and words in reading.reason


def test_syndication_not_found_and_bad_request(replay, tmp_path: Path) -> None:
    reading = syndication(replay, tmp_path, "not-found-empty.json", "1743240929080246273")
    assert (reading.outcome, reading.state) == ("not_found", "unavailable")
    replay.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        json_reply(ANSWERS / "syndication" / "bad-request-400.json", 400),
    )
    reading = ask(replay, tmp_path, "syndication", "1743240929080246273")
    assert reading.outcome == "error" and "Bad request." in reading.reason


# --- FxTwitter ------------------------------------------------------------------------------


def test_fxtwitter_repost_is_recorded_as_the_repost(replay, tmp_path: Path) -> None:
    reading = fx(replay, tmp_path, "v2-repost-answered-with-original.json", "1991791063987128872")
    r = reading.record
    assert r.status_id == "1991791063987128872"  # the post asked for, not the original
    assert r.repost_of_status_id == "1991507617117111772"
    assert r.created_at == id_time("1991791063987128872") == "2025-11-21T08:49:30Z"
    assert r.handle is None and r.author_name is None  # FxTwitter does not name the reposter
    (original,) = reading.embedded
    assert (original.status_id, original.handle, original.author_id) == (
        "1991507617117111772",
        "mira_kestrel",
        "2977001122",
    )
    assert original.created_at == "2025-11-20T14:03:11Z"
    assert original.counts["views"] == 90211 and original.source_app == "Twitter for iPhone"
    (gif,) = original.media
    assert gif.kind == "gif" and gif.variants[0]["bitrate"] == 0


def test_fxtwitter_repost_with_reposted_by_names_the_reposter(replay, tmp_path: Path) -> None:
    data = json.loads((ANSWERS / "fxtwitter" / "v2-repost-answered-with-original.json").read_text())
    data["status"]["reposted_by"] = {
        "id": "1402233445566778881",
        "name": "Harbor Notes",
        "screen_name": "harbornotes",
    }
    replay.add("api.fxtwitter.com", "*", json_reply(data))
    r = ask(replay, tmp_path, "fxtwitter", "1991791063987128872").record
    assert (r.handle, r.author_name, r.author_id) == (
        "harbornotes",
        "Harbor Notes",
        "1402233445566778881",
    )


def test_fxtwitter_quote_reply_note_poll_card(replay, tmp_path: Path) -> None:
    quote = fx(replay, tmp_path, "v2-quote.json", "1900315957130167475")
    assert quote.record.quoted_status_id == "1900291315594166349"
    quoted = copies(quote)["1900291315594166349"]
    assert quoted.handle == "mira_kestrel" and quoted.media[0].alt_text
    reply = fx(replay, tmp_path, "v2-reply-community-note.json", "1900489987191734681").record
    assert (reply.reply_to_status_id, reply.reply_to_handle) == (
        "1900478729679801273",
        "tidewatch_ops",
    )
    assert reply.community_note.startswith("The inner basin gauge was recalibrated on 12 March")
    poll = fx(replay, tmp_path, "v2-poll.json", "1830656935326647084").record
    assert [c["votes"] for c in poll.poll["choices"]] == [412, 288, 97] and poll.poll["closed"]
    card = fx(replay, tmp_path, "v2-card-external.json", "1929100605649846338").record
    assert card.card_url == "https://www.youtube.com/embed/AbCdEfGhIjK"  # the player card
    assert card.text_expanded.endswith("https://www.youtube.com/watch?v=AbCdEfGhIjK")


def test_fxtwitter_article_is_the_posts_text(replay, tmp_path: Path) -> None:
    """An X Article's post has no text of its own: its title and blocks are the text kept."""
    reading = fx(replay, tmp_path, "v2-article.json", "1930100000000000001")
    assert reading.outcome == "found"
    assert reading.record.text == (
        "How the inner basin gauge was recalibrated\n\nWhat went wrong\n\n"
        "On 12 March the inner basin gauge read 30 cm high.\n\n"
        "https://x.com/tidewatch_ops/status/1900478729679801273\n\n"
        "Swap the float before the spring tides."
    )
    assert reading.record.notes == [
        "fxtwitter: an X Article: its text is the article's title and blocks"
    ]


def test_fxtwitter_quote_of_a_gone_post_keeps_its_id_and_no_record_of_it(
    replay, tmp_path: Path
) -> None:
    """A quoted post that is a tombstone is not a post: no embedded copy (it would be kept as a
    live post with no author nor text), its id kept, the tombstone's words in a note."""
    reading = fx(replay, tmp_path, "v2-quote-of-a-deleted-post.json", "1900315957130167475")
    assert reading.outcome == "found" and reading.embedded == []
    assert reading.record.quoted_status_id == "1900291315594166349"
    assert reading.record.notes == [
        "fxtwitter: the quoted post 1900291315594166349 is gone: This post is deleted (deleted)"
    ]


def test_fxtwitter_reply_names_its_parent_under_status(replay, tmp_path: Path) -> None:
    """Today's `replying_to` (FxEmbed api-schemas.ts APIReplyingTo) names the parent `status`."""
    data = json.loads((ANSWERS / "fxtwitter" / "v2-reply-community-note.json").read_text())
    data["status"]["replying_to"] = {
        "screen_name": "tidewatch_ops",
        "status": "1900478729679801273",
        "url": "https://x.com/tidewatch_ops/status/1900478729679801273",
        "profile_url": "https://x.com/tidewatch_ops",
    }
    replay.add("api.fxtwitter.com", "*", json_reply(data))
    r = ask(replay, tmp_path, "fxtwitter", "1900489987191734681").record
    assert (r.reply_to_status_id, r.reply_to_handle) == ("1900478729679801273", "tidewatch_ops")


def test_fxtwitter_media_only_post_keeps_its_link_expanded(replay, tmp_path: Path) -> None:
    r = fx(replay, tmp_path, "v2-sensitive-media-only.json", "2021655481545655459").record
    assert (r.text, r.possibly_sensitive, r.lang) == ("https://t.co/Qm3vHarb01", True, "zxx")
    assert r.text_expanded == "https://x.com/harbornotes/status/2021655481545655459/photo/1"


def test_fxtwitter_video_and_refusals(replay, tmp_path: Path) -> None:
    r = fx(replay, tmp_path, "v2-video.json", "2021655481545655459").record
    (video,) = r.media
    assert video.kind == "video" and ".mp4" in video.url and video.duration_ms
    reading = fx(replay, tmp_path, "private-401.json", "1756234044011446274", 401)
    assert (reading.outcome, reading.state) == ("gone", "protected")
    reading = fx(replay, tmp_path, "api-fail-500.json", "1756234044011446274", 500)
    assert reading.outcome == "error"
    # FxTwitter's 404 names no cause: it answers so for live posts too while it cannot reach X
    reading = fx(replay, tmp_path, "../../fxtwitter-notfound.json", "1756234044011446274", 404)
    assert (reading.outcome, reading.state) == ("not_found", "unavailable")


def test_fxtwitter_raw_text_is_read_without_xs_html_escapes(replay, tmp_path: Path) -> None:
    """`raw_text.text` is X's `full_text` as X gives it (`&amp;`, `&lt;`, `&gt;`); FxTwitter
    unescapes only `text`. The record holds what the author wrote."""
    r = fx(replay, tmp_path, "v2-escaped-raw-text.json", "1918217549095477939").record
    said = "Tide & swell today: north breakwater > 3 m, inner basin < 1 m. Boats stay in."
    assert r.text == f"{said} https://t.co/Hb8ampTide"
    assert r.text_expanded == f"{said} https://harbor-notes.example/tides?from=north&to=south"


def test_fxtwitter_video_formats_alone_are_its_variants(replay, tmp_path: Path) -> None:
    """Today's APIVideo may carry only `formats` (FxEmbed api-schemas.ts): every bitrate can
    still be tried."""
    data = json.loads((ANSWERS / "fxtwitter" / "v2-video.json").read_text())
    for video in data["status"]["media"]["all"] + data["status"]["media"]["videos"]:
        del video["variants"]
    replay.add("api.fxtwitter.com", "*", json_reply(data))
    (video,) = ask(replay, tmp_path, "fxtwitter", "2021655481545655459").record.media
    assert [(v["type"], v["bitrate"]) for v in video.variants] == [
        ("application/x-mpegURL", None),
        ("video/mp4", 632000),
        ("video/mp4", 2176000),
    ]
    assert video.variants[1]["url"].endswith("/320x568/hbLow01.mp4?tag=12")


@pytest.mark.parametrize(
    ("name", "status", "state", "words"),
    [
        ("v2-tombstone-suspended-404.json", 404, "suspended", "from a suspended account"),
        ("v2-tombstone-deleted-404.json", 404, "deleted", "This post is deleted"),
        ("v2-protected-401.json", 401, "protected", "401"),
    ],
)
def test_fxtwitter_tombstones_name_their_state(
    replay, tmp_path: Path, name: str, status: int, state: str, words: str
) -> None:
    """The asked post as a tombstone names why it is gone, read by the rule every source uses."""
    reading = fx(replay, tmp_path, name, "1743240929080246273", status)
    assert (reading.outcome, reading.state) == ("gone", state)
    assert reading.reason.startswith("fxtwitter: ") and words in reading.reason


# --- vxTwitter ------------------------------------------------------------------------------


def test_vxtwitter_repost_embeds_the_original(replay, tmp_path: Path) -> None:
    reading = vx(replay, tmp_path, "repost.json", "1991791063987128872")
    r = reading.record
    assert (r.status_id, r.handle, r.repost_of_status_id) == (
        "1991791063987128872",
        "harbornotes",
        "1991507617117111772",
    )
    assert r.created_at == "2025-11-21T08:49:30Z" and r.text.startswith("RT @mira_kestrel: ")
    (original,) = reading.embedded
    assert (original.handle, original.text) == (
        "mira_kestrel",
        "How the new groyne moves sand, in one loop",
    )


def test_vxtwitter_repost_of_a_quote_quotes_nothing_itself(replay, tmp_path: Path) -> None:
    """A repost's top-level `qrt` is the post its original quotes: the repost names only its
    original; the quoted post is kept as the original's."""
    reading = vx(replay, tmp_path, "repost-of-a-quote.json", "1916616127914131822")
    r = reading.record
    assert (r.repost_of_status_id, r.quoted_status_id) == ("1916386840762106184", None)
    copies = {c.status_id: c for c in reading.embedded}
    assert copies["1916386840762106184"].quoted_status_id == "1916364871933039014"
    assert copies["1916364871933039014"].handle == "elonmusk"


def test_vxtwitter_repost_whose_original_it_could_not_fetch(replay, tmp_path: Path) -> None:
    """`retweet: null` with `retweetURL`: still a repost, of the post the URL names."""
    reading = vx(replay, tmp_path, "repost-original-not-fetched.json", "1916616127914131822")
    assert reading.record.repost_of_status_id == "1916386840762106184"
    assert reading.record.reposted_handle is None and reading.embedded == []


def test_vxtwitter_quote_whose_quoted_post_it_could_not_fetch(replay, tmp_path: Path) -> None:
    """`qrtURL` with no `qrt`: still a quote, of the post the URL names."""
    reading = vx(replay, tmp_path, "quote-original-not-fetched.json", "1674561759422578690")
    assert reading.record.quoted_status_id == "1674197531301904388"
    assert reading.record.repost_of_status_id is None and reading.embedded == []


def test_vxtwitter_poll_reply_quote(replay, tmp_path: Path) -> None:
    poll = vx(replay, tmp_path, "poll.json", "1830656935326647084").record
    assert [c["label"] for c in poll.poll["choices"]] == ["High water", "Wave height", "Wind"]
    reply = vx(replay, tmp_path, "reply-with-note.json", "1900489987191734681").record
    assert (reply.reply_to_status_id, reply.reply_to_handle) == (
        "1900478729679801273",
        "tidewatch_ops",
    )
    assert reply.community_note.startswith("The inner basin gauge")
    quote = vx(replay, tmp_path, "quote-sensitive-photos.json", "1900315957130167475")
    quoted = copies(quote)[quote.record.quoted_status_id]
    assert quoted.possibly_sensitive is True and len(quoted.media) == 2


def test_vxtwitter_failure_that_guesses_is_not_deleted(replay, tmp_path: Path) -> None:
    """Its guesses name no cause: the answer says only that vxTwitter does not have the post."""
    reading = vx(replay, tmp_path, "error-failed-to-scan.json", "1743240929080246273", 404)
    assert (reading.outcome, reading.state) == ("not_found", "unavailable")


def test_vxtwitter_failure_page_is_not_found_and_other_html_an_error(
    replay, tmp_path: Path
) -> None:
    """The API answers a post it cannot fetch with its HTML message page, HTTP 200: it does not
    have the post. Any other HTML is no answer at all."""
    page = (ANSWERS / "vxtwitter" / "failed-to-scan-page.html").read_bytes()
    html = {"Content-Type": "text/html; charset=utf-8"}
    replay.add("api.vxtwitter.com", "*", Reply(200, page, {**html, "Cache-Tag": "message"}))
    reading = ask(replay, tmp_path, "vxtwitter", "1743240929080246273")
    assert (reading.outcome, reading.state) == ("not_found", "unavailable")
    assert reading.reason.startswith("vxtwitter: Failed to scan your link!")
    other = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>"
    replay.add("api.vxtwitter.com", "*", Reply(200, other, html))
    reading = ask(replay, tmp_path, "vxtwitter", "1743240929080246273")
    assert reading.outcome == "error" and "not JSON" in reading.reason


# --- oEmbed ---------------------------------------------------------------------------------


def test_oembed_lang_and_times_without_reading_the_byline(replay, tmp_path: Path) -> None:
    replay.add(
        "publish.twitter.com", "/oembed", json_reply(ANSWERS / "oembed" / "en-2024-lang-attr.json")
    )
    r = ask(replay, tmp_path, "oembed", "1800186155627446572").record
    assert (r.handle, r.author_name, r.lang) == ("harbornotes", "Harbor Notes", "en")
    assert (
        r.text
        == "Harbour office closed Monday for the bank holiday. Gauges keep reporting as usual."
    )
    assert r.created_at == id_time("1800186155627446572")

    replay.add("publish.twitter.com", "/oembed", json_reply(ANSWERS / "oembed" / "ja-2012-v1.json"))
    r = ask(replay, tmp_path, "oembed", "172280000000000000").record
    assert (r.handle, r.author_name) == ("kumo_shiryou", "雲資料館")
    assert r.created_at == "2012-02-22T11:17:23Z"  # data-datetime; the byline reads 2月 22, 2012
    assert r.lang is None  # the blockquote's lang="ja" is the widget's, not the post's
    assert r.text.startswith("来週の潮位表を掲載しました。")

    replay.add(
        "publish.twitter.com", "/oembed", json_reply(ANSWERS / "oembed" / "ja-2019-data-lang.json")
    )
    r = ask(replay, tmp_path, "oembed", "1086465821242294342").record
    assert (r.lang, r.created_at) == ("ja", id_time("1086465821242294342"))


def test_oembed_year_first_byline_is_read_all_the_same(replay, tmp_path: Path) -> None:
    code = (ANSWERS / "oembed" / "ja-2015-year-first.html").read_text()
    answer = {
        "url": "https://twitter.com/kumo_shiryou/status/645125165675446284",
        "author_name": "雲資料館",
        "author_url": "https://twitter.com/kumo_shiryou",
        "html": code,
    }
    replay.add("publish.twitter.com", "/oembed", json_reply(answer))
    r = ask(replay, tmp_path, "oembed", "645125165675446284").record
    assert (r.lang, r.handle) == ("ja", "kumo_shiryou")
    assert r.text == "@harbornotes 満潮の時刻が一時間ずれていますね。訂正版をお願いします。"
    assert r.created_at == id_time("645125165675446284")


# --- the Wayback Machine: archived API answers ---------------------------------------------


def test_wayback_v2_lookup_with_video(replay, tmp_path: Path) -> None:
    reading = wayback(replay, tmp_path, "2021655481545655459", "v2-single-video.json")
    r = reading.record
    assert (r.handle, r.author_name, r.author_id) == (
        "harbornotes",
        "Harbor Notes",
        "1402233445566778881",
    )
    assert (r.created_at, r.lang, r.source_app) == (
        "2026-02-11T18:40:02Z",
        "en",
        "Twitter for Android",
    )
    assert (
        r.text
        == "Swell over the north breakwater today #StormWeek via @tidewatch_ops https://t.co/Qm3vHarb01"
    )
    assert r.text_expanded.endswith("https://x.com/harbornotes/status/2021655481545655459/video/1")
    (video,) = r.media
    assert video.url.endswith("/720x1280/hbHigh01.mp4?tag=12")  # the best bit_rate
    assert (video.width, video.height, video.duration_ms) == (720, 1280, 21334)
    assert [v["bitrate"] for v in video.variants] == [632000, 2176000, None]
    assert r.counts["views"] == 12045 and r.place == {"id": "0a1b2c3d4e5f6071"}
    assert r.note_tweet is False  # an empty note_tweet means nothing
    assert r.snapshot_at == "2010-01-01T12:00:00Z"
    assert (
        r.snapshot_url
        == "https://web.archive.org/web/20100101120000id_/https://twitter.com/harbornotes/status/2021655481545655459"
    )
    assert (
        r.provenance == "text recovered from the Wayback Machine snapshot of 2010-01-01 12:00 UTC"
    )
    assert reading.embedded == []  # includes.tweets repeats the post itself


def test_wayback_v2_long_reply_that_quotes(replay, tmp_path: Path) -> None:
    reading = wayback(replay, tmp_path, "1900489987191734681", "v2-reply-quote-note.json")
    r = reading.record
    assert r.note_tweet and r.text.endswith("Photos of the marker post below.")
    assert "https://harbor-notes.example/log/2025-w11" in r.text_expanded
    assert (r.reply_to_status_id, r.reply_to_handle, r.quoted_status_id) == (
        "1900478729679801273",
        "tidewatch_ops",
        "1900291315594166349",
    )
    assert r.media[0].alt_text.startswith("A tide marker post")
    found = copies(reading)
    assert found["1900478729679801273"].handle == "tidewatch_ops"
    assert found["1900291315594166349"].author_name == "Mira Kestrel"
    assert all(c.snapshot_at == r.snapshot_at for c in reading.embedded)


def test_wayback_v2_text_is_read_without_xs_html_escapes(replay, tmp_path: Path) -> None:
    """API v2 gives `text` HTML-escaped as v1.1 did (`infantry &amp; artillery`)."""
    r = wayback(replay, tmp_path, "1611672036101431987", "v2-escaped-text.json").record
    said = "Tide & swell today: north breakwater > 3 m, inner basin < 1 m. Boats stay in. &c."
    assert r.text == f"{said} https://t.co/Hb8ampTide"
    assert r.text_expanded == f"{said} https://harbor-notes.example/tides?from=north&to=south"


def test_wayback_v2_repost_whose_original_is_missing(replay, tmp_path: Path) -> None:
    reading = wayback(replay, tmp_path, "1991791063987128872", "v2-retweet-gif.json")
    r = reading.record
    assert r.repost_of_status_id == "1991507617117111772" and r.handle == "harbornotes"
    (original,) = reading.embedded
    assert (original.status_id, original.handle, original.author_id) == (
        "1991507617117111772",
        "mira_kestrel",
        "2977001122",
    )
    assert original.text == "How the new groyne moves sand, in one loop https://t.co/MkGif00005"
    assert original.created_at == id_time("1991507617117111772")
    assert r.media[0].kind == "gif" and r.media[0].variants[0]["bitrate"] == 0


def test_wayback_v2_poll_place_withheld_and_edits(replay, tmp_path: Path) -> None:
    r = wayback(replay, tmp_path, "1830656935326647084", "v2-poll-place-withheld.json").record
    assert r.withheld_in == ["DE", "FR"]
    assert r.place == {
        "id": "5c2b3a1d0e9f8a71",
        "name": "Port Aline, Westshire",
        "country_code": "GB",
    }
    assert [c["votes"] for c in r.poll["choices"]] == [412, 288, 97] and r.poll["closed"]
    r = wayback(replay, tmp_path, "2013584222974902314", "v2-edited.json").record
    assert r.edit_ids == ["2013582289400758313", "2013584222974902314"] and r.latest_version


def test_wayback_v2_multi_lookup_and_errors(replay, tmp_path: Path) -> None:
    r = wayback(
        replay, tmp_path, "1900478729679801273", "v2-multi-lookup.json", handle="tidewatch_ops"
    ).record
    assert r.text.startswith("Spring tide peaked") and r.author_name == "Tidewatch Ops"
    for name, status_id, state in (
        ("v2-multi-lookup.json", "1756234044011446274", "protected"),
        ("v2-protected.json", "1756234044011446274", "protected"),
        ("v2-not-found.json", "1743240929080246273", "unavailable"),
    ):
        reading = wayback(replay, tmp_path, status_id, name)
        assert (reading.outcome, reading.state) == ("gone", state), name
        assert status_id in reading.reason


def test_wayback_v11_streaming_repost_of_a_long_quote(replay, tmp_path: Path) -> None:
    reading = wayback(replay, tmp_path, "1240896399340470309", "v11-flat-retweet-quote.json")
    r = reading.record
    assert (r.repost_of_status_id, r.quoted_status_id) == ("1240740094407607674", None)
    found = copies(reading)
    original = found["1240740094407607674"]
    assert (
        original.text.endswith("…") is False and original.quoted_status_id == "1240204460815287173"
    )
    assert found["1240204460815287173"].handle == "portaline_gov"


def test_wayback_v11_show_reply_video_place(replay, tmp_path: Path) -> None:
    r = wayback(
        replay, tmp_path, "1059118611035065616", "v11-show-extended-reply-video.json"
    ).record
    assert (r.reply_to_status_id, r.reply_to_handle) == ("1059112705455030827", "tidewatch_ops")
    assert r.possibly_sensitive is True and r.place["name"] == "Port Aline, Westshire"
    (video,) = r.media
    assert video.kind == "video" and video.url.endswith("PierHigh01.mp4?tag=5")  # 2176000 of four
    r = wayback(replay, tmp_path, "902863640720310360", "v11-show-withheld.json").record
    assert r.withheld_in == ["DE", "TR"] and r.source_app == "TweetDeck"


def test_wayback_v11_compatibility_form_is_a_cut_text(replay, tmp_path: Path) -> None:
    """statuses/show without `tweet_mode=extended`: `truncated`, 140 characters, `…` and a link
    to the post itself. The record says it lacks the whole text (the capture is partial)."""
    reading = wayback(
        replay, tmp_path, "1242355542020030466", "v11-show-compat-truncated.json", handle="x"
    )
    r = reading.record
    assert reading.outcome == "found" and r.handle == "mira_kestrel"
    assert r.text.endswith("a s\u2026 https://t.co/b46v7DEzGB")
    assert r.gaps == ["the whole text: wayback's copy is cut short (`truncated`)"]
    full = wayback(replay, tmp_path, "1059118611035065616", "v11-show-extended-reply-video.json")
    assert full.record.gaps == []


def test_wayback_skips_an_api_error_for_an_older_capture(replay, tmp_path: Path) -> None:
    reading = wayback(
        replay,
        tmp_path,
        "1059118611035065616",
        "v11-show-extended-reply-video.json",
        "v11-error-bad-auth.json",
    )
    assert reading.outcome == "found" and reading.record.snapshot_at.startswith("2010")
    assert [e.url.split("/web/")[1][:14] for e in reading.exchanges if "id_/" in e.url] == [
        "20110101120000",
        "20100101120000",
    ]


# --- the Wayback Machine: status pages ------------------------------------------------------


def test_wayback_2016_permalink(replay, tmp_path: Path) -> None:
    reading = wayback(
        replay,
        tmp_path,
        "745171248870330514",
        "permalink-2016-reply-photo.html",
        handle="HarborNotes",
    )
    r = reading.record
    assert (r.handle, r.author_name, r.author_id) == ("HarborNotes", "Harbor Notes", "394950011")
    assert r.created_at == "2016-06-21T08:27:25Z"  # data-time
    assert (
        r.text
        == "Inner basin at 4.6 m, the slipway is under. Don't park on the lower road tonight."
    )
    assert r.lang == "en" and [m.url for m in r.media] == [
        "https://pbs.twimg.com/media/ClHbNt2UkAAq7Zx.jpg"
    ]
    assert (r.reply_to_status_id, r.reply_to_handle) == ("744979653063607562", "HarborNotes")
    (parent,) = reading.embedded
    assert parent.text == "Storm log thread for the week. Readings below as they come in."
    assert parent.created_at == "2016-06-20T19:46:05Z"
    assert r.counts == {"reposts": 18, "likes": 64}


def test_wayback_2019_permalink_with_quote(replay, tmp_path: Path) -> None:
    reading = wayback(
        replay,
        tmp_path,
        "1129729391719354514",
        "permalink-2019-reply-quote.html",
        handle="mira_kestrel",
    )
    r = reading.record
    assert r.text.startswith("@tidewatch_ops Same pattern as last spring") and "👇" in r.text
    assert r.text_expanded.endswith("https://twitter.com/portaline_gov/status/1129507819221943173")
    assert r.reply_to_handle == "tidewatch_ops" and r.author_id == "2977001122"
    assert r.created_at == id_time("1129729391719354514") == "2019-05-18T12:44:11Z"
    (quoted,) = reading.embedded
    assert (quoted.status_id, quoted.handle, quoted.author_name) == (
        "1129507819221943173",
        "portaline_gov",
        "Port Aline Council",
    )
    assert (
        quoted.text.startswith("Gauge report for the spring tides is out.") and quoted.lang == "en"
    )
    assert [m.url for m in quoted.media] == ["https://pbs.twimg.com/media/D6xPaGauge19Ab.jpg"]


def test_wayback_2018_japanese_permalink_and_2015_mobile_page(replay, tmp_path: Path) -> None:
    r = wayback(
        replay,
        tmp_path,
        "991923474396086303",
        "permalink-2018-ja-two-photos.html",
        handle="kumo_shiryou",
    ).record
    assert (r.author_name, r.lang, r.text) == (
        "雲資料館",
        "ja",
        "今朝の積雲。港の上だけ晴れていました。",
    )
    assert len(r.media) == 2 and r.created_at == id_time("991923474396086303")
    r = wayback(
        replay, tmp_path, "568154373092278872", "mobile-2015.html", handle="HarborNotes"
    ).record
    assert (r.handle, r.author_name) == ("HarborNotes", "Harbor Notes")
    assert (
        r.text
        == "Ferry timetable changes from Monday: first boat 06:40, last 21:15. Details https://t.co/Mb15Link01"
    )
    assert r.text_expanded.endswith("https://harbor-notes.example/ferry/2015-02")
    # m2 shows a reply's parent above it, in its timeline markup (a table.tweet with its own
    # .user-info and avatar): the author is still the main tweet's
    page = (ANSWERS / "wayback" / "mobile-2015.html").read_text()
    parent = (
        '<div class="timeline inreplytos"><table class="tweet"><tr class="tweet-header">'
        '<td class="avatar"><img src="https://pbs.twimg.com/profile_images/1/parent_normal.png"'
        ' /></td><td class="user-info"><strong class="fullname">Parent Person</strong>'
        '<div class="username"><span>@</span>ParentAcct</div></td></tr><tr><td>'
        '<div class="tweet-text" data-id="568150000000000000"><div class="dir-ltr">When do the'
        " ferries change?</div></div></td></tr></table>"
    )
    url = "https://twitter.com/HarborNotes/status/568154373092278872"
    reply = page.replace('<div class="timeline inreplytos">', parent, 1).encode()
    serve_wayback(replay, [("20150218210600", url, "text/html", reply)])
    r = ask(replay, tmp_path, "wayback", "568154373092278872", "HarborNotes").record
    assert (r.handle, r.author_name) == ("HarborNotes", "Harbor Notes")
    assert "parent_normal" not in (r.author_avatar or "") and r.text.startswith("Ferry timetable")


def test_wayback_2010_status_page(replay, tmp_path: Path) -> None:
    r = wayback(
        replay, tmp_path, "28441502541", "status-2010-classic.html", handle="HarborNotes"
    ).record
    assert (r.handle, r.author_name, r.created_at) == (
        "HarborNotes",
        "Harbor Notes",
        from_twitter_date("Thu Oct 21 09:14:05 +0000 2010"),
    )
    assert r.text == (
        "Storm surge warning lifted for the inner harbour. Ferries run again from 14:00 "
        "http://bit.ly/hn2010 & updates on the quay"
    )
    assert (r.reply_to_handle, r.reply_to_status_id) == ("tidewatch_ops", "28440000000")
    assert r.author_avatar and r.author_avatar.endswith("harbor_normal.png")


def test_wayback_2010_timeline_page_takes_the_asked_item(replay, tmp_path: Path) -> None:
    """A profile page of the time lists posts as `li.hentry`: the one asked is read, with its
    own author, and a page without it shows no post."""
    item = (
        '<li class="hentry u-{handle} status" id="status_{id}"><span class="status-body">'
        '<strong><a class="tweet-url screen-name" href="http://twitter.com/{handle}">{handle}'
        '</a></strong><span class="entry-content">{text}</span><span class="meta entry-meta">'
        '<a class="entry-date" rel="bookmark" href="http://twitter.com/{handle}/status/{id}">'
        '<span class="published timestamp" data="{{time:\'Fri Oct 22 07:00:00 +0000 2010\'}}">'
        "about 1 hour ago</span></a></span></span></li>"
    )
    page = (
        '<html><body id="profile"><ol id="timeline" class="statuses">'
        + item.format(handle="tidewatch_ops", id="28500000001", text="Gauge 7 back online.")
        + item.format(handle="HarborNotes", id="28500000002", text="Quay reopened &lt;3")
        + "</ol></body></html>"
    ).encode()
    url = "https://twitter.com/HarborNotes/status/28500000002"
    serve_wayback(replay, [("20101022080000", url, "text/html", page)])
    r = ask(replay, tmp_path, "wayback", "28500000002", "HarborNotes").record
    assert (r.handle, r.text, r.author_name) == ("HarborNotes", "Quay reopened <3", None)
    serve_wayback(replay, [("20101022080000", url.replace("02", "03"), "text/html", page)])
    assert ask(replay, tmp_path, "wayback", "28500000003", "HarborNotes").record is None


def test_wayback_2022_meta_tags_with_content_first(replay, tmp_path: Path) -> None:
    r = wayback(
        replay, tmp_path, "1554860932985786514", "responsive-2022-meta.html", handle="tidewatch_ops"
    ).record
    assert (r.handle, r.author_name) == ("tidewatch_ops", "Tidewatch Ops")
    assert r.text == GAUGE_7


def test_wayback_x_page_title_names_the_author_without_the_handle(replay, tmp_path: Path) -> None:
    """x.com's pages title a post `Name (@handle) on X`: the name is the part before it."""
    r = wayback(
        replay, tmp_path, "1554860932985786514", "x-meta-2025.html", handle="tidewatch_ops"
    ).record
    assert (r.handle, r.author_name, r.text) == ("tidewatch_ops", "Tidewatch Ops", GAUGE_7)


GAUGE_7 = "Gauge 7 is back online after the cable repair. Readings from 14:00 onward are live & corrected."  # noqa: E501


def test_wayback_keeps_a_posts_own_quote_marks(replay, tmp_path: Path) -> None:
    page = (ANSWERS / "wayback" / "responsive-2022-meta.html").read_text()
    own = "&quot;Gauge 7 is back,&quot; said the crew. “Readings resume at 14:00”"
    page = page.replace(f"“{GAUGE_7.replace('&', '&amp;')}”", f"“{own}”")
    assert own in page
    original = "https://twitter.com/tidewatch_ops/status/1554860932985786514"
    serve_wayback(replay, [("20220803170000", original, "text/html", page.encode())])
    r = ask(replay, tmp_path, "wayback", "1554860932985786514", "tidewatch_ops").record
    assert r.text == '"Gauge 7 is back," said the crew. “Readings resume at 14:00”'


def test_wayback_skips_javascript_shells_for_an_older_capture(replay, tmp_path: Path) -> None:
    reading = wayback(
        replay,
        tmp_path,
        "2021655481545655459",
        "v2-single-video.json",
        "x-js-shell-titled-2026.html",
        "x-js-shell-2025.html",
    )
    assert reading.outcome == "found" and reading.record.snapshot_at == "2010-01-01T12:00:00Z"
    shells = wayback(replay, tmp_path, "2021655481545655459", "x-js-shell-titled-2026.html")
    assert shells.outcome == "not_found" and "JavaScript shell" in shells.reason


def test_wayback_reads_past_many_shells_with_its_fetches_bounded(replay, tmp_path: Path) -> None:
    """Status pages captured since X's new web app (2020) are shells, each with a digest of its
    own: archived answers and the pages of the years before are read first, so a page of 2016
    behind twenty newer shells gives the post at the first fetch; with no post among them, the
    search stops at sixteen fetches."""
    status_id, url = (
        "745171248870330514",
        "https://twitter.com/HarborNotes/status/745171248870330514",
    )
    page = (ANSWERS / "wayback" / "permalink-2016-reply-photo.html").read_bytes()
    shell = (ANSWERS / "wayback" / "x-js-shell-2025.html").read_bytes()
    shells = [(f"2025{m:02d}01120000", url, "text/html", shell) for m in range(1, 11)]
    shells += [(f"2026{m:02d}01120000", url, "text/html", shell) for m in range(1, 11)]
    serve_wayback(replay, [("20160621120000", url, "text/html", page), *shells])
    reading = ask(replay, tmp_path, "wayback", status_id, "HarborNotes")
    assert reading.outcome == "found" and reading.record.snapshot_at == "2016-06-21T12:00:00Z"
    assert len([p for p in replay.hits("web.archive.org") if p.startswith("/web/")]) == 1
    before = len(replay.hits("web.archive.org"))
    serve_wayback(replay, shells)
    reading = ask(replay, tmp_path, "wayback", status_id, "HarborNotes")
    assert reading.outcome == "not_found" and "JavaScript shell" in reading.reason
    fetched = [p for p in replay.hits("web.archive.org")[before:] if p.startswith("/web/")]
    assert len(fetched) == 16


def test_wayback_follows_its_redirect_to_a_nearby_capture_of_the_post(
    replay, tmp_path: Path
) -> None:
    """The capture the index lists answers 302 "found capture at …" (the Wayback Machine's
    own move to a capture a second away): the copy there is read, not passed over as a
    redirect that says nothing (the post was then "gone" with no text, exit 0)."""
    status_id = "2021655481545655459"
    url = f"https://twitter.com/harbornotes/status/{status_id}"
    answer = (ANSWERS / "wayback" / "v2-single-video.json").read_bytes()
    serve_wayback(replay, [("20260211120000", url, "application/json", answer)])
    moved = f"https://web.archive.org/web/20260211120001id_/{url}"
    why = {"X-Archive-Redirect-Reason": "found capture at 20260211120001"}
    replay.add(
        "web.archive.org",
        f"/web/20260211120000id_/{url}",
        Reply(302, b"", {"Location": moved, **why}),
    )
    replay.add("web.archive.org", moved.split("archive.org")[1], json_reply(answer))
    reading = ask(replay, tmp_path, "wayback", status_id, "harbornotes")
    assert reading.outcome == "found" and reading.record.snapshot_at == "2026-02-11T12:00:01Z"
    assert reading.record.snapshot_url == moved


def test_wayback_page_without_its_author_takes_the_handle_of_the_url_captured(
    replay, tmp_path: Path
) -> None:
    """A post asked for by its id alone: a page that shows only its text (meta tags) was
    captured under the author's URL, which names the handle (the record had none: `@?`)."""
    status_id = "1020522510494789632"
    url = f"https://twitter.com/SputnikNewsUS/status/{status_id}"
    page = (FIXTURES / f"wayback-snapshot-{status_id}.html").read_bytes()
    serve_wayback(replay, [("20180721151149", url, "text/html", page)])
    reading = ask(replay, tmp_path, "wayback", status_id)
    assert reading.outcome == "found" and reading.record.handle == "SputnikNewsUS"


def test_wayback_reads_archived_answers_before_newer_pages(replay, tmp_path: Path) -> None:
    """The twitter.com JSON copy (how the archive keeps posts since X's pages became
    JavaScript) is read before newer x.com captures."""
    status_id = "2021655481545655459"
    answer = (ANSWERS / "wayback" / "v2-single-video.json").read_bytes()
    shell = (ANSWERS / "wayback" / "x-js-shell-2025.html").read_bytes()
    x_url = f"https://x.com/harbornotes/status/{status_id}"
    captures = [
        (
            "20260211120000",
            f"https://twitter.com/harbornotes/status/{status_id}",
            "application/json",
            answer,
        )
    ]
    captures += [(f"2026{m:02d}15120000", x_url, "text/html", shell) for m in range(3, 7)]
    serve_wayback(replay, captures)
    reading = ask(replay, tmp_path, "wayback", status_id, "harbornotes")
    assert reading.outcome == "found" and reading.record.snapshot_at == "2026-02-11T12:00:00Z"


def test_a_gone_post_cited_by_its_i_web_url_is_found_under_its_author(
    replay, tmp_path: Path
) -> None:
    """No handle known: the archived redirect of `twitter.com/i/web/status/<id>` names the
    author (its `Location`), and the captures under the author's URL are then asked for."""
    status_id = "2021655481545655459"
    i_web = f"https://twitter.com/i/web/status/{status_id}"
    own = f"https://twitter.com/harbornotes/status/{status_id}"
    listings = {
        f"twitter.com/i/web/status/{status_id}": [
            ["com,twitter)/i", "20251002080000", i_web, "unk", "302", "R1", "0"]
        ],
        f"twitter.com/harbornotes/status/{status_id}": [
            ["com,twitter)/h", "20251001080000", own, "application/json", "200", "J1", "10"]
        ],
    }

    replay.add("web.archive.org", "/cdx/search/cdx", cdx_by_url(listings))
    replay.add(
        "web.archive.org",
        f"/web/20251002080000id_/{i_web}",
        Reply(302, b"", {"Location": f"https://web.archive.org/web/20251002080000/{own}"}),
    )
    answer = (ANSWERS / "wayback" / "v2-single-video.json").read_bytes()
    replay.add(
        "web.archive.org",
        f"/web/20251001080000id_/{own}",
        Reply(200, answer, {"Content-Type": "application/json"}),
    )
    reading = ask(replay, tmp_path, "wayback", status_id)
    assert reading.outcome == "found" and reading.record.handle == "harbornotes"
    assert reading.record.snapshot_at == "2025-10-01T08:00:00Z"


@pytest.mark.parametrize(
    ("body", "state"),
    [
        # the v1.1 streaming API's deletion notice (Twitter's "Streaming message types")
        (
            b'{"delete":{"status":{"id":1240896399340470309,"id_str":"1240896399340470309",'
            b'"user_id":3,"user_id_str":"3"},"timestamp_ms":"1584800000000"}}',
            "deleted",
        ),
        (b'{"errors":[{"code":34,"message":"Sorry, that page does not exist."}]}', "unavailable"),
        (b'{"errors":[{"code":144,"message":"No status found with that ID."}]}', "unavailable"),
        (b'{"errors":[{"code":63,"message":"User has been suspended."}]}', "suspended"),
    ],
)
def test_archived_answers_that_say_the_post_is_gone(body: bytes, state: str) -> None:
    reading = parse_snapshot(body, Target("1240896399340470309"))
    assert (reading.outcome, reading.state) == ("gone", state)


@pytest.mark.parametrize(
    ("status", "body", "why"),
    [
        (503, b"Service Unavailable", "HTTP 503"),
        (
            200,
            b"org.archive.wayback.exception.AdministrativeAccessControlException: "
            b"Blocked Site Error",
            "the archive excludes this account",
        ),
        (403, b"AdministrativeAccessControlException: Blocked Site Error", "excludes this account"),
    ],
)
def test_a_failed_index_lookup_is_an_error_not_no_capture(
    replay, tmp_path: Path, status: int, body: bytes, why: str
) -> None:
    """An index that fails (503, an account the archive excludes) says nothing of the post:
    the answer is an error (asked again later), never "no capture of this post"."""
    replay.add(
        "web.archive.org", "/cdx/search/cdx", Reply(status, body, {"Content-Type": "text/plain"})
    )
    reading = ask(replay, tmp_path, "wayback", "1059118611035065616", "harbornotes")
    assert reading.outcome == "error" and why in reading.reason
    assert reading.reason.startswith("wayback: the index did not answer")


def test_wayback_asks_every_host_with_and_without_the_handle(replay, tmp_path: Path) -> None:
    replay.add(
        "web.archive.org",
        "/cdx/search/cdx",
        json_reply(ANSWERS / "wayback" / "cdx-json-empty.json"),
    )
    reading = ask(replay, tmp_path, "wayback", "1059118611035065616", "harbornotes")
    assert reading.outcome == "not_found"
    asked = {path.split("url=")[1].split("&")[0] for path in replay.hits("web.archive.org")}
    assert asked == {
        f"{host}/{owner}/status/1059118611035065616"
        for host in ("twitter.com", "mobile.twitter.com", "x.com")
        for owner in ("harbornotes", "i/web", "i")
    } | {"twitter.com/harbornotes/statuses/1059118611035065616"}


# --- hostile answers -----------------------------------------------------------------------

ODD_VALUES = [None, "", [], {}, 0, -1, 1e300, True, "x", [1], {"a": 1}]


def mangle(value: object, rng: random.Random) -> object:
    """`value` with some keys dropped and some values swapped for ones of another type."""
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            roll = rng.random()
            if roll < 0.05:
                continue
            out[key] = rng.choice(ODD_VALUES) if roll < 0.12 else mangle(inner, rng)
        return out
    if isinstance(value, list):
        return [mangle(inner, rng) for inner in value if rng.random() > 0.05]
    return value


@pytest.mark.parametrize("path", sorted(ANSWERS.rglob("*.json")), ids=lambda p: p.name)
def test_parsers_do_not_raise_on_mangled_answers(path: Path) -> None:
    """The safety net in Source.ask is for surprises; answers of a shape close to the real one,
    with keys missing or of the wrong type, are read (or refused) by the parsers themselves."""
    rng = random.Random(path.name)
    data = json.loads(path.read_bytes())
    service = path.parent.name
    for _ in range(60):
        body = json.dumps(mangle(data, rng)).encode()
        target = Target("1991791063987128872")
        if service == "wayback":
            reading = parse_snapshot(body, target)
        else:
            reading = ALL[service].parse(200, body, target)
        assert reading.outcome in ("found", "gone", "not_found", "error")


@pytest.mark.parametrize("path", sorted((ANSWERS / "wayback").glob("*.html")), ids=lambda p: p.name)
def test_page_reader_does_not_raise_on_cut_or_garbled_pages(path: Path) -> None:
    page = path.read_bytes()
    rng = random.Random(path.name)
    status_id = "745171248870330514"
    for _ in range(30):
        cut = page[: rng.randrange(len(page))]
        noise = bytes(rng.randrange(256) for _ in range(64))
        for body in (cut, cut + noise + page[len(cut) :]):
            assert parse_snapshot(body, Target(status_id)).outcome in (
                "found",
                "not_found",
                "error",
            )


def test_fxtwitters_facets_expand_the_http_links_of_older_posts() -> None:
    """Posts of before 2014 hold `http://t.co/…` links (corpus oembed/436461658601713664.json:
    `Pepephone rompe la baraja - http://t.co/mFn7mcB1vy`); FxTwitter's facet for one names it
    as written: the expanded text says where it led, the text keeps it."""
    fx = json.loads((ANSWERS / "fxtwitter" / "v2-poll.json").read_text())
    written = "RT @PabloHerreros Pepephone rompe la baraja - http://t.co/mFn7mcB1vy"
    facet = {
        "type": "url",
        "original": "http://t.co/mFn7mcB1vy",
        "replacement": "https://pepe.es/b",
    }
    fx["status"].update(id="436461658601713664", raw_text={"text": written, "facets": [facet]})
    reading = ALL["fxtwitter"].parse(200, json.dumps(fx).encode(), Target("436461658601713664"))
    assert reading.record is not None and reading.record.text == written
    assert reading.record.text_expanded == written.replace(facet["original"], facet["replacement"])


def test_wayback_pages_of_right_to_left_posts_of_2009_and_of_2013_ancestors(
    replay, tmp_path: Path
) -> None:
    """Three shapes of archived pages, as scrapers of their time read them: a mobile page's
    right-to-left text whose mentions and hashtags are `a.dir-ltr` (lschmelzeisen/nasty's
    mobile markup of 2019), kept whole, never its first mention alone; a 2009 page's
    `<abbr class="published" title="ISO">` (a Wayback scraper's selector), the time of a post
    whose id encodes none; a 2013 reply page's ancestor whose paragraph is `p.js-tweet-text`
    alone (a 2013 URL-title grabber's selector)."""
    page = (ANSWERS / "wayback" / "mobile-2015.html").read_text()
    rtl = (
        '<div class="dir-rtl" dir="rtl">مرحبا <a href="/OHiwi2" class="twitter-atreply dir-ltr" '
        'dir="ltr" data-screenname="OHiwi2">@OHiwi2</a> شكرا <a href="/hashtag/Testtweet" '
        'class="twitter-hashtag dir-ltr" dir="ltr">#Testtweet</a></div>'
    )
    start = page.index('<div class="dir-ltr" dir="ltr">  Ferry')
    page = page[:start] + rtl + page[page.index("</div>", start) + len("</div>") :]
    url = "https://twitter.com/HarborNotes/status/568154373092278872"
    serve_wayback(replay, [("20150218210600", url, "text/html", page.encode())])
    r = ask(replay, tmp_path, "wayback", "568154373092278872", "HarborNotes").record
    assert r.text == "مرحبا @OHiwi2 شكرا #Testtweet"

    page = (ANSWERS / "wayback" / "status-2010-classic.html").read_text()
    page = page.replace(
        '<span class="published timestamp" data="{time:\'Thu Oct 21 09:14:05 +0000 2010\'}">'
        "9:14 AM Oct 21st</span>",
        '<abbr class="published" title="2009-10-12T19:44:16+00:00">12:44 PM Oct 12th</abbr>',
    ).replace("28441502541", "4792563481")
    url = "https://twitter.com/HarborNotes/status/4792563481"
    serve_wayback(replay, [("20091013000000", url, "text/html", page.encode())])
    r = ask(replay, tmp_path, "wayback", "4792563481", "HarborNotes").record
    assert r.created_at == "2009-10-12T19:44:16Z" and r.text.startswith("Storm surge warning")

    page = (ANSWERS / "wayback" / "permalink-2016-reply-photo.html").read_text()
    ancestor = "TweetTextSize  js-tweet-text tweet-text"
    assert page.count(ancestor) == 2  # the ancestor's and a reply's below
    page = page.replace(ancestor, "js-tweet-text", 1)
    url = "https://twitter.com/HarborNotes/status/745171248870330514"
    serve_wayback(replay, [("20160621120000", url, "text/html", page.encode())])
    reading = ask(replay, tmp_path, "wayback", "745171248870330514", "HarborNotes")
    assert [e.text for e in reading.embedded] == [
        "Storm log thread for the week. Readings below as they come in."
    ]

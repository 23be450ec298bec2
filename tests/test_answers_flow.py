"""The whole flow (archiver.capture.archive, in process) on answers that matter when a post is
gone: a repost, a quote whose quoted post has vanished, a deleted post recovered from every shape
the Wayback Machine holds, and states that the run summary and `show` report alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replay import FIXTURES, Handler, Reply, json_reply
from test_answers import serve_wayback
from world import FAKE_MP4, jpeg

from archiver.archive import Archive
from archiver.capture import Options, archive, read_inputs, retry
from archiver.config import Settings, parse_connect_to
from archiver.export import export
from archiver.record import V1_FIELDS, PostRecord, canonical_json
from archiver.store import digest_bytes
from archiver.views import post_view

ANSWERS = FIXTURES / "answers"
REPOST, ORIGINAL = "1991791063987128872", "1991507617117111772"
QUOTE, QUOTED = "1900315957130167475", "1900291315594166349"
DELETED = ANSWERS / "syndication" / "tombstone-deleted.json"


def run(home: Path, replay, *names: str) -> tuple[Archive, list[dict]]:  # type: ignore[no-untyped-def]
    store = Archive.open(home, create=True)
    settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)
    cited, _ = archive(store, settings, read_inputs(list(names), None), Options())
    return store, [c.to_dict() for c in cited]


def media_hosts(replay) -> None:  # type: ignore[no-untyped-def]
    photo = jpeg()
    replay.add("pbs.twimg.com", "*", Reply(200, photo, {"Content-Type": "image/jpeg"}))
    replay.add("video.twimg.com", "*", Reply(200, FAKE_MP4, {"Content-Type": "video/mp4"}))


def answered_whole(replay, status_id: str, whole: str) -> None:  # type: ignore[no-untyped-def]
    """FxTwitter answering the long post `status_id` whole: `whole` its text."""
    fx = json.loads((ANSWERS / "fxtwitter" / "v2-poll.json").read_text())
    fx["status"].update(id=status_id, text=whole, raw_text={"text": whole, "facets": []})
    fx["status"].pop("poll")
    fx["status"]["is_note_tweet"] = True
    replay.add("api.fxtwitter.com", "*", json_reply(json.dumps(fx).encode()))


def nothing_known(replay, syndication: Reply | None = None) -> None:  # type: ignore[no-untyped-def]
    """Every source answers as it does for a post it does not have."""
    replay.add("cdn.syndication.twimg.com", "/tweet-result", syndication or json_reply({}))
    replay.add("api.fxtwitter.com", "*", json_reply(FIXTURES / "fxtwitter-notfound.json", 404))
    replay.add(
        "api.vxtwitter.com",
        "*",
        json_reply(ANSWERS / "vxtwitter" / "error-failed-to-scan.json", 404),
    )
    replay.add("publish.twitter.com", "*", Reply(404, b"", {"Content-Type": "text/html"}))
    replay.add(
        "web.archive.org",
        "/cdx/search/cdx",
        json_reply(ANSWERS / "wayback" / "cdx-json-empty.json"),
    )


def by_id(answers: dict[str, Reply]):  # type: ignore[no-untyped-def]
    """A route answering for whichever of `answers`' ids the request names."""

    def route(handler: Handler) -> Reply:
        found = [reply for status_id, reply in answers.items() if status_id in handler.path]
        return found[0] if found else json_reply({})

    return route


def test_a_repost_is_the_reposters_post_and_its_original_is_captured(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    nothing_known(replay)
    media_hosts(replay)
    fx = json_reply(ANSWERS / "fxtwitter" / "v2-repost-answered-with-original.json")
    replay.add("api.fxtwitter.com", "*", fx)  # for the repost and for the original alike
    replay.add(
        "api.vxtwitter.com", "*", by_id({REPOST: json_reply(ANSWERS / "vxtwitter" / "repost.json")})
    )

    store, summary = run(home, replay, REPOST)

    assert [(s["status_id"], s["outcome"]) for s in summary] == [(REPOST, "captured")]
    repost = post_view(store, REPOST)
    assert (repost["handle"], repost["author_name"]) == ("harbornotes", "Harbor Notes")
    assert repost["created_at"] == "2025-11-21T08:49:30Z"  # the repost's own time, not 2025-11-20
    assert repost["repost_of_status_id"] == ORIGINAL and repost["state"] == "live"
    assert repost["url"] == f"https://x.com/harbornotes/status/{REPOST}"
    original = post_view(store, ORIGINAL)
    assert (original["handle"], original["author_id"]) == ("mira_kestrel", "2977001122")
    assert original["created_at"] == "2025-11-20T14:03:11Z" and original["state"] == "live"
    assert original["text"] == "How the new groyne moves sand, in one loop https://t.co/MkGif00005"
    embedded = [c for c in original["captures"] if c["outcome"] == "embedded"]
    assert embedded and all(c["reason"] == f"embedded in the answer for {REPOST}" for c in embedded)
    fx_round = [c for c in repost["captures"] if c["source"] == "fxtwitter"]
    assert embedded[0]["digest"] == fx_round[0]["digest"]  # the same bytes, kept once
    assert any(c["outcome"] == "found" for c in original["captures"])  # and its own job asked
    assert [m["status"] for m in original["media"] if m["kind"] == "gif"] == ["ok"]


def test_a_quoted_post_that_has_vanished_survives_from_the_quote(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    nothing_known(replay)
    media_hosts(replay)
    replay.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        by_id(
            {
                QUOTE: json_reply(ANSWERS / "syndication" / "quote-full.json"),
                QUOTED: json_reply(DELETED),
            }
        ),
    )

    store, summary = run(home, replay, QUOTE)

    assert [(s["status_id"], s["outcome"]) for s in summary] == [(QUOTE, "captured")]
    assert post_view(store, QUOTE)["quoted_status_id"] == QUOTED
    quoted = post_view(store, QUOTED)
    assert quoted["state"] == "deleted"
    assert (
        quoted["state_reason"]
        == "syndication: This Post was deleted by the Post author. Learn more"
    )
    assert (quoted["handle"], quoted["author_name"]) == ("mira_kestrel", "Mira Kestrel")
    assert quoted["text"].startswith("Tomorrow morning's tide is the highest of the year.")
    assert quoted["record_digest"] and quoted["record_source"] == "syndication"
    (photo,) = [m for m in quoted["media"] if m["kind"] == "photo"]
    assert photo["status"] == "ok" and photo["remote_url"].endswith("GmMkSlip01AbCd.jpg")
    outcomes = [(c["source"], c["outcome"]) for c in quoted["captures"]]
    assert ("syndication", "embedded") in outcomes and ("syndication", "gone") in outcomes


SHAPES = [
    (
        "v2-single-video.json",
        "2021655481545655459",
        "harbornotes",
        "Swell over the north breakwater today",
    ),
    (
        "v11-show-extended-reply-video.json",
        "1059118611035065616",
        "harbornotes",
        "@tidewatch_ops Footage from the pier head",
    ),
    (
        "v11-flat-retweet-quote.json",
        "1240896399340470309",
        "harbornotes",
        "RT @mira_kestrel: Three weeks",
    ),
    (
        "permalink-2016-reply-photo.html",
        "745171248870330514",
        "HarborNotes",
        "Inner basin at 4.6 m",
    ),
    (
        "permalink-2019-reply-quote.html",
        "1129729391719354514",
        "mira_kestrel",
        "@tidewatch_ops Same pattern",
    ),
    ("permalink-2018-ja-two-photos.html", "991923474396086303", "kumo_shiryou", "今朝の積雲。"),
    (
        "mobile-2015.html",
        "568154373092278872",
        "HarborNotes",
        "Ferry timetable changes from Monday",
    ),
    ("responsive-2022-meta.html", "1554860932985786514", "tidewatch_ops", "Gauge 7 is back online"),
]


@pytest.mark.parametrize(
    ("name", "status_id", "handle", "text"), SHAPES, ids=[s[0] for s in SHAPES]
)
def test_a_deleted_post_is_recovered_from_each_wayback_shape(
    home: Path, replay, name: str, status_id: str, handle: str, text: str
) -> None:  # type: ignore[no-untyped-def]
    nothing_known(replay, json_reply(DELETED))
    media_hosts(replay)
    kind = "application/json" if name.endswith(".json") else "text/html"
    shell = (ANSWERS / "wayback" / "x-js-shell-2025.html").read_bytes()
    serve_wayback(
        replay,
        [
            (
                "20190101000000",
                f"https://twitter.com/{handle}/status/{status_id}",
                kind,
                (ANSWERS / "wayback" / name).read_bytes(),
            ),
            ("20250101000000", f"https://x.com/{handle}/status/{status_id}", "text/html", shell),
        ],
    )

    store, summary = run(home, replay, status_id)

    (entry,) = summary
    assert (entry["outcome"], entry["state"]) == ("gone", "deleted")
    assert (
        entry["reason"]
        == "deleted: syndication: This Post was deleted by the Post author. Learn more"
    )
    view = post_view(store, status_id)
    assert view["state"] == entry["state"]
    assert view["handle"] == handle and view["text"].startswith(text)
    assert view["record_source"] == "wayback"
    # the state rests on the tombstone: the check names its source, not the last one asked
    assert [(c["state"], c["source"]) for c in view["checks"]] == [("deleted", "syndication")]
    assert (
        view["provenance"]["text"]
        == "text recovered from the Wayback Machine snapshot of 2019-01-01 00:00 UTC"
    )
    assert view["provenance"]["snapshot_url"].endswith(
        f"/web/20190101000000id_/https://twitter.com/{handle}/status/{status_id}"
    )
    assert view["created_at"] is not None


@pytest.mark.parametrize(
    ("syndication", "state"),
    [
        (json_reply({}), "unavailable"),  # a made-up id: no source knows it
        (
            json_reply(ANSWERS / "syndication" / "tombstone-age-restricted-empty.json"),
            "age_restricted",
        ),
        (json_reply(ANSWERS / "syndication" / "tombstone-protected.json"), "protected"),
    ],
    ids=["unknown-id", "age-restricted", "protected"],
)
def test_the_run_summary_and_show_agree_on_the_state(
    home: Path, replay, syndication: Reply, state: str
) -> None:  # type: ignore[no-untyped-def]
    nothing_known(replay, syndication)
    status_id = "1743240929080246273"

    store, (entry,) = run(home, replay, status_id)

    view = post_view(store, status_id)
    assert entry["outcome"] == "gone" and entry["state"] == view["state"] == state
    assert entry["reason"] == f"{state}: {view['state_reason']}"
    source = "oembed" if state == "unavailable" else "syndication"  # the last live one asked
    assert [(c["state"], c["source"]) for c in view["checks"]] == [(state, source)]
    assert "deleted" not in entry["reason"]  # the words of a source that only guesses stay out


def test_a_version_1_record_keeps_its_digest_and_a_new_one_round_trips() -> None:
    old = {name: None for name in V1_FIELDS}
    old.update(
        status_id="20",
        source="syndication",
        text="just setting up my twttr",
        counts={"likes": 1},
        note_tweet=False,
        media=[
            {
                "kind": "photo",
                "url": "https://pbs.twimg.com/media/x.jpg",
                "width": 1,
                "height": 1,
                "duration_ms": None,
                "alt_text": None,
                "variants": [],
                "poster": None,
            }
        ],
        notes=[],
        state="live",
    )
    written = canonical_json(old)
    again = PostRecord.from_dict(json.loads(written))
    assert again.schema == 1
    assert digest_bytes(canonical_json(again.to_dict())) == digest_bytes(written)
    new = PostRecord("21", "fxtwitter", repost_of_status_id="20", edit_ids=["21"])
    data = json.loads(canonical_json(new.to_dict()))
    assert data["schema"] == 2 and data["repost_of_status_id"] == "20"
    assert PostRecord.from_dict(data).to_dict() == new.to_dict()


def test_a_long_post_cut_short_is_partial_until_a_source_gives_it_whole(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    """Syndication gives a long post's first 280 characters only: with no other source the
    capture is partial and says why; `retry` asks again, and a whole text completes it."""
    status_id = "2089040211736981944"
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "long-post-cut.json"))
    media_hosts(replay)
    store, (entry,) = run(home, replay, status_id)
    assert entry["outcome"] == "partial"
    assert entry["reason"] == (
        "the text is cut short: syndication gives a long post's first 280 characters only"
    )
    cut = post_view(store, status_id)["text"]
    whole = cut + " And here is the rest of the post, which only a whole answer holds."
    answered_whole(replay, status_id, whole)
    settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)
    (again,) = retry(store, settings, Options())
    assert again.outcome == "captured" and post_view(store, status_id)["text"] == whole


def vx_answer(status_id: str, text: str) -> Reply:
    """vxTwitter's answer for `status_id` (its reply-with-note.json's shape), `text` its text."""
    vx = json.loads((ANSWERS / "vxtwitter" / "reply-with-note.json").read_text())
    vx.update(tweetID=status_id, text=text, media_extended=[], mediaURLs=[])
    return json_reply(json.dumps(vx).encode())


def test_vxtwitters_text_of_a_long_post_is_never_taken_for_the_whole_post(
    home: Path, replay
) -> None:  # type: ignore[no-untyped-def]
    """BetterTwitFix gives a long post's text with its links expanded (longer than the post's
    own), a link to a post deleted, and nothing after the first link it left unexpanded. With
    FxTwitter failing, the capture is partial and says so; once FxTwitter answers, its text,
    t.co links and all, is the record's, however longer vxTwitter's is."""
    status_id = "2089040211736981944"
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "long-post-cut.json"))
    media_hosts(replay)
    cut = json.loads((ANSWERS / "syndication" / "long-post-cut.json").read_text())["text"]
    rest = " Sources: https://t.co/AbCdEf1234 and the thread https://t.co/ZyXwVu9876 . The end."
    whole = cut.replace("&amp;", "&") + rest
    # vxApi.py: the first 280 characters' links expanded; stripEndTCO: nothing after a t.co left
    expanded = "https://www.example.org/a/very/long/article/address?utm_source=twitter"
    vx_text = whole.split(" Sources:")[0].replace("https://t.co/T2mVAYeSf0", expanded)
    replay.add("api.fxtwitter.com", "*", Reply(500, b"{}", {"Content-Type": "application/json"}))
    replay.add("api.vxtwitter.com", "*", vx_answer(status_id, vx_text + " Sources:"))
    store, (entry,) = run(home, replay, status_id)
    assert entry["outcome"] == "partial", entry
    assert entry["reason"] == (
        "the text is cut short: vxtwitter gives a long post's text up to the first link it "
        "left unexpanded only"
    )
    answered_whole(replay, status_id, whole)
    replay.add(
        "api.vxtwitter.com", "*", vx_answer(status_id, vx_text + " Sources: " + expanded * 3)
    )
    settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)
    (again,) = retry(store, settings, Options(recapture=True))
    assert again.outcome == "captured", again
    assert post_view(store, status_id)["text"] == whole


def test_an_oembed_answer_that_shows_a_photo_it_does_not_list_is_partial(
    home: Path, replay
) -> None:  # type: ignore[no-untyped-def]
    nothing_known(replay)
    replay.add("publish.twitter.com", "*", json_reply(ANSWERS / "oembed" / "photo-link-only.json"))
    store, (entry,) = run(home, replay, "463440424141459456")
    assert entry["outcome"] == "partial"
    assert entry["reason"] == (
        "media not listed: the text shows pic.twitter.com/YuKy2rcjyU; oembed lists none"
    )
    view = post_view(store, "463440424141459456")
    assert view["state"] == "live" and view["text"].endswith("pic.twitter.com/YuKy2rcjyU")
    from conftest import run_cli

    shown = run_cli("--archive", str(home), "show", "463440424141459456").stdout
    assert "note: incomplete: media not listed: the text shows pic.twitter.com/YuKy2rcjyU" in shown


def test_a_documents_partial_capture_is_partial_in_its_bundle(
    home: Path, replay, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """What archive calls partial, the document's bundle does too, and export says so (exit 3)."""
    from conftest import run_cli

    nothing_known(replay)
    replay.add("publish.twitter.com", "*", json_reply(ANSWERS / "oembed" / "photo-link-only.json"))
    article = tmp_path / "article.md"
    article.write_text("The view: https://twitter.com/Interior/status/463440424141459456\n")
    store, (entry,) = run(home, replay, str(article))
    assert entry["outcome"] == "partial"
    out = tmp_path / "bundle"
    made = run_cli("--archive", str(home), "export", "--document", str(article), "-o", str(out))
    assert made.returncode == 3, made.stderr
    assert "1 of 1 citations not archived (1 partial)" in made.stderr
    (row,) = json.loads((out / "data" / "report.json").read_text())
    assert row["status"] == (
        "partial (media not listed: the text shows pic.twitter.com/YuKy2rcjyU; oembed lists none)"
    )
    page = (out / "data" / "index.html").read_text()
    assert "incomplete: media not listed: the text shows pic.twitter.com/YuKy2rcjyU" in page


def test_a_retry_that_gets_less_keeps_the_record_it_had(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    """A long post cut short is asked again by `retry`; when only oEmbed answers then (its text
    shorter, no photo listed), the record with the post's text and photos stays the one cited."""
    status_id = "2089040211736981944"
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "long-post-cut.json"))
    media_hosts(replay)
    store, (entry,) = run(home, replay, status_id)
    before = post_view(store, status_id)
    photos = [m for m in before["media"] if m["kind"] == "photo"]
    assert entry["outcome"] == "partial" and len(photos) == 4
    replay.add("cdn.syndication.twimg.com", "/tweet-result", Reply(503, b"", {}))
    embed = (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A shorter text '
        'pic.twitter.com/AbCdEfGhIj</p>&mdash; GK68 (@GK68_6) <a href="https://twitter.com/'
        f'GK68_6/status/{status_id}">May 1, 2026</a></blockquote>'
    )
    replay.add("publish.twitter.com", "*", json_reply({"html": embed, "author_name": "GK68"}))
    settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)
    (again,) = retry(store, settings, Options())
    after = post_view(store, status_id)
    assert again.outcome == "partial"
    assert after["record_digest"] == before["record_digest"] and after["media"] == before["media"]
    assert [c["source"] for c in after["captures"] if c["source"] == "oembed"]  # asked, kept


def test_a_repost_given_as_its_rt_text_alone_asks_on_and_is_partial(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    """FxTwitter answers a repost as itself ("RT @Interior: …", cut, no original named): the
    other sources are asked; none names the original, so the capture is partial and says so."""
    status_id = "1913971863018955017"
    nothing_known(replay)
    replay.add(
        "api.fxtwitter.com", "*", json_reply(ANSWERS / "fxtwitter" / "v1-repost-as-itself.json")
    )
    store, (entry,) = run(home, replay, status_id)
    assert entry["outcome"] == "partial"
    assert "the post it reposts: fxtwitter gives the repost as X shows it" in entry["reason"]
    view = post_view(store, status_id)
    assert (view["handle"], view["state"]) == ("WhiteHouse", "live")
    assert {c["source"] for c in view["captures"]} >= {"fxtwitter", "vxtwitter", "oembed"}


def test_a_repost_named_by_another_source_completes_the_rt_answer(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    status_id = "1916616127914131822"
    nothing_known(replay)
    media_hosts(replay)
    rt = json.loads((ANSWERS / "fxtwitter" / "v1-repost-as-itself.json").read_text())
    rt["tweet"]["id"] = status_id
    replay.add("api.fxtwitter.com", "*", by_id({status_id: json_reply(json.dumps(rt).encode())}))
    vx = json_reply(ANSWERS / "vxtwitter" / "repost-of-a-quote.json")
    replay.add("api.vxtwitter.com", "*", by_id({status_id: vx}))
    store, (entry,) = run(home, replay, status_id)
    assert entry["outcome"] == "captured"
    view = post_view(store, status_id)
    assert (view["handle"], view["repost_of_status_id"]) == ("elonmusk", "1916386840762106184")
    assert view["quoted_status_id"] is None


@pytest.mark.parametrize("fault", ["index", "snapshot"])
def test_a_deleted_posts_archive_that_fails_is_asked_again_by_retry(
    home: Path, replay, fault: str
) -> None:  # type: ignore[no-untyped-def]
    """The post is deleted, and the Wayback Machine's index (or the capture it lists) answers
    503: the archived copy was not read, so the reference is not settled as gone: it fails
    (exit 3) naming the archive's error, and `retry` asks again once the archive answers."""
    name, status_id, handle, text = SHAPES[0]
    nothing_known(replay, json_reply(DELETED))
    media_hosts(replay)
    unavailable = Reply(503, b"Service Unavailable", {"Content-Type": "text/html"})
    original = f"https://twitter.com/{handle}/status/{status_id}"
    body = (ANSWERS / "wayback" / name).read_bytes()
    serve_wayback(replay, [("20190101000000", original, "application/json", body)])
    failing = "/cdx/search/cdx" if fault == "index" else f"/web/20190101000000id_/{original}"
    replay.add("web.archive.org", failing, unavailable)

    store, summary = run(home, replay, status_id)

    (entry,) = summary
    assert (entry["outcome"], entry["state"]) == ("failed", "deleted")
    why = "the index did not answer" if fault == "index" else "1 captures could not be read"
    assert entry["reason"].startswith("deleted: syndication: This Post was deleted") and (
        f"wayback: {why}" in entry["reason"]
    )
    assert post_view(store, status_id)["text"] is None
    settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)
    early = export(store, settings, home.parent / "early.zip", [status_id])
    assert early.not_archived == "1 of 1 posts not archived (1 failed)"

    serve_wayback(replay, [("20190101000000", original, "application/json", body)])  # healed
    (again,) = [c.to_dict() for c in retry(store, settings, Options())]
    assert (again["outcome"], again["state"]) == ("gone", "deleted")
    view = post_view(store, status_id)
    assert view["text"].startswith(text) and view["record_source"] == "wayback"
    # its bundle holds the archived copy: the post is archived, though deleted
    bundle = export(store, settings, home.parent / "bundle.zip", [status_id])
    assert bundle.not_archived is None


def test_a_post_whose_account_is_gone_is_unavailable_not_live(home: Path, replay) -> None:  # type: ignore[no-untyped-def]
    """Syndication gives the post without its author (the account no longer exists), and no
    other source has it: its text is kept, and it is not called live."""
    status_id = "2023357708301455483"
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "account-gone-no-user.json"))
    store, (entry,) = run(home, replay, status_id)
    view = post_view(store, status_id)
    assert view["state"] == "unavailable" and view["text"]
    assert "syndication gives the post without its author" in view["state_reason"]
    assert entry["outcome"] != "captured"


def test_an_edited_post_asked_by_its_first_id_keeps_its_newest_version_apart(
    home: Path, replay
) -> None:  # type: ignore[no-untyped-def]
    """Asked for the first version of an edited post, syndication answers with the newest
    (another id, whose `edit_tweet_ids` name both): the newest is kept as its own post, and the
    version asked for is not given that text; the reason says which version the source gave."""
    from world import tweet

    first, newest = "1641086480675225601", "1641086480675229999"
    nothing_known(replay)
    edited = tweet(newest, edit_control={"edit_tweet_ids": [first, newest]})
    edited["text"] = "EDITED VERSION of the post"
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(edited))

    store, summary = run(home, replay, first)

    (entry,) = summary  # not gone: X still shows earlier versions; asked again by retry
    assert entry["status_id"] == first
    assert (entry["outcome"], entry["state"]) == ("failed", "unknown")
    assert (
        f"syndication: gives the newest version of this edited post, {newest}" in (entry["reason"])
    )
    assert post_view(store, first)["text"] is None
    kept = post_view(store, newest)
    assert kept["text"] == "EDITED VERSION of the post" and kept["state"] == "live"


def test_an_age_restricted_post_is_asked_again_when_a_source_that_shows_it_failed(
    home: Path, replay
) -> None:  # type: ignore[no-untyped-def]
    """Syndication hides a sensitive post from signed-out viewers (an empty tombstone) while
    FxTwitter, which shows it, answers 503: the post exists and was not read, so the reference
    fails (it was "gone", settled, and `retry` never asked again); once FxTwitter answers,
    `retry` captures it live."""
    status_id = "2021655481545655459"
    hidden = ANSWERS / "syndication" / "tombstone-age-restricted-empty.json"
    nothing_known(replay, json_reply(hidden))
    media_hosts(replay)
    replay.add("api.fxtwitter.com", "*", Reply(503, b"busy", {"Content-Type": "text/plain"}))

    store, (entry,) = run(home, replay, status_id)
    assert (entry["outcome"], entry["state"]) == ("failed", "age_restricted"), entry
    assert "fxtwitter: server error 503" in entry["reason"]

    answer = ANSWERS / "fxtwitter" / "v2-sensitive-media-only.json"
    replay.add("api.fxtwitter.com", f"/2/status/{status_id}", json_reply(answer))
    settings = Settings(connect_to=parse_connect_to(replay.connect_to), retries=0, backoff=0.0)
    (again,) = [c.to_dict() for c in retry(store, settings, Options())]
    assert (again["outcome"], again["state"]) == ("captured", "live"), again

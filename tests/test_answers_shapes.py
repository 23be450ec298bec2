"""Service answers of shapes the corpus did not have: an X Article post as syndication gives
it (its text only the link to the article), and a deleted post cited by its `i/web` URL whose
archived redirects form a chain (the newest only moves the host to x.com). Shapes as
tests/fixtures/SOURCES.md says."""

from __future__ import annotations

import json

import pytest
from replay import FIXTURES, Reply, cdx_by_url, json_reply
from test_answers_flow import media_hosts, nothing_known, run

from archiver.views import post_view

ANSWERS = FIXTURES / "answers"


CHAIN = "2021655481545655459"
I_WEB = f"https://twitter.com/i/web/status/{CHAIN}"
OWN = f"https://twitter.com/harbornotes/status/{CHAIN}"
# the index's row of a capture of the post's own URL (archived JSON, which holds the post)
OWN_ROW = [
    "com,twitter)/harbornotes/status/" + CHAIN,
    "20260213000000",
    OWN,
    "application/json",
    "200",
    "J1",
    "10",
]


def archived_redirects(replay, moved: bool) -> None:  # type: ignore[no-untyped-def]
    redirects = [
        ["com,twitter)/i/web/status/" + CHAIN, "20260601000000", I_WEB, "unk", "301", "R1", "0"],
        ["com,twitter)/i/web/status/" + CHAIN, "20260212000000", I_WEB, "unk", "301", "R2", "0"],
    ]
    listings = {
        f"twitter.com/i/web/status/{CHAIN}": redirects if moved else redirects[1:],
        f"twitter.com/harbornotes/status/{CHAIN}": [
            OWN_ROW,
        ],
    }

    replay.add("web.archive.org", "/cdx/search/cdx", cdx_by_url(listings))
    # newest: the host move (path kept); older: the redirect to the author's URL
    replay.add(
        "web.archive.org",
        f"/web/20260601000000id_/{I_WEB}",
        Reply(301, b"", {"Location": f"https://x.com/i/web/status/{CHAIN}"}),
    )
    replay.add(
        "web.archive.org", f"/web/20260212000000id_/{I_WEB}", Reply(301, b"", {"Location": OWN})
    )
    replay.add(
        "web.archive.org",
        f"/web/20260213000000id_/{OWN}",
        Reply(
            200,
            (ANSWERS / "wayback" / "v2-single-video.json").read_bytes(),
            {"Content-Type": "application/json"},
        ),
    )


@pytest.mark.parametrize("moved", [False, True], ids=["one-redirect-control", "then-host-move"])
def test_a_deleted_posts_copy_is_found_through_a_redirect_chain(home, replay, moved) -> None:  # type: ignore[no-untyped-def]
    """The newest archived redirect of `i/web/status/<id>` only moves the host (to
    `x.com/i/web/…`, naming no author): an older one that names the author is read."""
    nothing_known(replay, json_reply(ANSWERS / "syndication" / "tombstone-deleted.json"))
    media_hosts(replay)
    archived_redirects(replay, moved)

    store, _ = run(home, replay, f"https://x.com/i/web/status/{CHAIN}")
    view = post_view(store, CHAIN)
    assert view["text"] and view["handle"] == "harbornotes"


ARTICLE_POST = "2023357708301455483"
ARTICLE = "2023357000000000000"


def syndication_article() -> bytes:
    data = json.loads((ANSWERS / "syndication" / "media-only-sensitive.json").read_text())
    data["id_str"] = ARTICLE_POST
    data["text"] = "https://t.co/KW3rQbdBJT"
    data["display_text_range"] = [0, 23]
    data["entities"] = {
        "urls": [
            {
                "display_url": f"x.com/i/article/{ARTICLE}",
                "expanded_url": f"https://x.com/i/article/{ARTICLE}",
                "indices": [0, 23],
                "url": "https://t.co/KW3rQbdBJT",
            }
        ]
    }
    data["article"] = {
        "rest_id": ARTICLE,
        "title": "How the inner basin gauge was recalibrated",
        "preview_text": "On 12 March the inner basin gauge read 30 cm high. Here is what changed.",
        "cover_media": {
            "media_info": {"original_img_url": "https://pbs.twimg.com/media/GsArticleCover.jpg"}
        },
    }
    return json.dumps(data).encode()


def fx_article() -> bytes:
    data = json.loads((ANSWERS / "fxtwitter" / "v2-article.json").read_text())
    data["status"]["id"] = ARTICLE_POST
    data["status"]["author"]["screen_name"] = "harbornotes"  # (the syndication answer's author)
    return json.dumps(data).encode()


def test_an_article_post_keeps_the_articles_text(home, replay) -> None:  # type: ignore[no-untyped-def]
    """Syndication gives an X Article post's text as the link to the article alone, the
    article under `article`: the capture asks on, and FxTwitter's article text is kept."""
    nothing_known(replay, json_reply(syndication_article()))
    media_hosts(replay)
    replay.add("api.fxtwitter.com", "*", json_reply(fx_article()))

    store, (entry,) = run(home, replay, ARTICLE_POST)
    view = post_view(store, ARTICLE_POST)

    # What is right: the post IS the article; its title (and body, which FxTwitter gives) is
    # its content. Keeping only "https://t.co/KW3rQbdBJT" and calling the capture whole loses it.
    assert "How the inner basin gauge was recalibrated" in (view["text"] or ""), (
        f"stored text {view['text']!r}, outcome {entry['outcome']}; fxtwitter asked: "
        f"{bool(replay.hits('api.fxtwitter.com'))}"
    )


def test_an_article_post_no_other_source_gives_says_what_is_missing(home, replay) -> None:  # type: ignore[no-untyped-def]
    """With syndication's answer alone, the capture of an X Article post is partial, and its
    reason says what syndication gives of an article (its title and preview), not a long post's
    first 280 characters."""
    nothing_known(replay, json_reply(syndication_article()))
    media_hosts(replay)

    store, (entry,) = run(home, replay, ARTICLE_POST)

    assert entry["outcome"] == "partial"
    assert entry["reason"] == (
        "the text is cut short: syndication gives an X Article's title and preview only"
    )

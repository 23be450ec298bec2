"""An embed with no link (`— Name (@handle) Date`): the handle and day bound its id, a loopback
stand-in of the Wayback Machine's CDX server lists the handle's captured posts, and the one
whose archived text matches the embed's body is taken (with its evidence); when none matches
well enough, the reference stays unresolved, naming the candidates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import run_cli
from replay import Reply, json_reply
from world import query_id, tweet

from archiver.refs.lookup import id_range

LOW, HIGH = id_range(date(2023, 3, 3))
MATCH, OTHER = str(LOW + (HIGH - LOW) // 2), str(LOW + (HIGH - LOW) // 3)
BODY = "The bridge at Kherson is down again, and the ferry is the only way across this week."
DOC = f"""A field report.

{BODY}
— Nobody Known (@nobody_known) March 3, 2023

More text of the article.
"""


def stand_in(server, texts: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """CDX rows for each candidate id; each snapshot an archived syndication answer."""

    def cdx(handler) -> Reply:  # type: ignore[no-untyped-def]
        asked = parse_qs(urlsplit(handler.path).query)["url"][0]
        prefix = asked.split("/status/")[1]
        rows = [["original", "timestamp", "statuscode", "mimetype", "digest"]] + [
            [
                f"https://twitter.com/nobody_known/status/{i}",
                "20230305120000",
                "200",
                "application/json",
                f"D{i}",
            ]
            for i in texts
            if i.startswith(prefix)
        ]
        return json_reply(rows if len(rows) > 1 else [])

    def snapshot(handler) -> Reply:  # type: ignore[no-untyped-def]
        status_id = handler.path.rsplit("/", 1)[1]
        return json_reply(
            tweet(
                status_id,
                text=texts[status_id],
                user={"id_str": "9", "name": "Nobody Known", "screen_name": "nobody_known"},
            )
        )

    server.add("web.archive.org", "/cdx/search/cdx", cdx)
    server.add("web.archive.org", "*", snapshot)


def archive(home: Path, server, tmp_path: Path) -> tuple[dict, object]:  # type: ignore[no-untyped-def]
    doc = tmp_path / "report.txt"
    doc.write_text(DOC)
    result = run_cli(
        "--archive", str(home), "--connect-to", server.connect_to, "archive", str(doc), "--json"
    )
    (entry,) = json.loads(result.stdout)
    return entry, result


def test_the_post_whose_archived_text_matches_is_taken(home: Path, world, tmp_path: Path) -> None:
    server, _ = world
    stand_in(server, {MATCH: BODY, OTHER: "Lunch photos from the weekend market, nothing more."})
    live = tweet(
        MATCH,
        text=BODY,
        user={"id_str": "9", "name": "Nobody Known", "screen_name": "nobody_known"},
    )
    answers = server.routes[("cdn.syndication.twimg.com", "/tweet-result")]
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        lambda h: json_reply(live) if query_id(h) == MATCH else answers(h),
    )
    entry, result = archive(home, server, tmp_path)
    assert (entry["status_id"], entry["outcome"]) == (MATCH, "captured"), result.stdout
    post = json.loads(run_cli("--archive", str(home), "show", MATCH, "--json").stdout)
    assert post["text"] == BODY and "witness" in {c["source"] for c in post["captures"]}
    with __import__("sqlite3").connect(home / "archive.db") as conn:
        (why,) = conn.execute("SELECT last_error FROM job WHERE kind = 'find'").fetchone()
        (linked,) = conn.execute(
            "SELECT p.status_id FROM reference r JOIN post p ON p.id = r.post_id "
            "WHERE r.kind = 'attribution'"
        ).fetchone()
    assert linked == MATCH and "same words" in why and MATCH in why


def test_no_confident_match_stays_unresolved_with_the_candidates(
    home: Path, world, tmp_path: Path
) -> None:
    server, _ = world
    stand_in(
        server,
        {
            MATCH: "Completely different words about football scores tonight.",
            OTHER: "Lunch photos from the weekend market, nothing more.",
        },
    )
    entry, result = archive(home, server, tmp_path)
    assert entry["outcome"] == "unresolved" and result.returncode == 3
    assert "no confident match" in entry["reason"] and MATCH in entry["reason"]
    assert "witness" in entry["reason"]
    out = tmp_path / "bundle"  # the document's bundle says what the lookup weighed
    run_cli(
        "--archive", str(home), "export", "--document", str(tmp_path / "report.txt"), "-o", str(out)
    )
    (row,) = json.loads((out / "data" / "report.json").read_text())
    assert row["status"].startswith("unresolved (the document's rendering is kept as a witness; ")
    assert "no confident match; candidates: " in row["status"] and MATCH in row["status"]


def test_a_post_whose_words_differ_is_never_taken_for_the_cited_one(
    home: Path, world, tmp_path: Path
) -> None:
    """The only candidate says `3 people` where the document says `30`, or another account's
    post sits under the handle's URL: neither is the cited post. Likeness is not sameness."""
    server, _ = world
    stand_in(server, {MATCH: BODY.replace("down again", "not down again")})
    entry, _ = archive(home, server, tmp_path)
    assert entry["outcome"] == "unresolved" and "no confident match" in entry["reason"]


def test_an_index_that_does_not_answer_is_asked_again_not_taken_for_none(
    home: Path, world, tmp_path: Path
) -> None:
    """The index answering 503: the reference is no "nothing fits", closed for good; it fails
    and `retry` asks again, then finds the post."""
    server, _ = world
    server.add("web.archive.org", "/cdx/search/cdx", Reply(503, b"down", {}))
    entry, result = archive(home, server, tmp_path)
    assert entry["outcome"] == "failed" and "index did not answer" in entry["reason"], entry
    stand_in(server, {MATCH: BODY})
    again = run_cli("--archive", str(home), "--connect-to", server.connect_to, "retry", "--json")
    with __import__("sqlite3").connect(home / "archive.db") as conn:
        (why,) = conn.execute("SELECT last_error FROM job WHERE kind = 'find'").fetchone()
    assert "same words" in why and MATCH in why, again.stdout


def test_a_recapture_looks_a_link_less_citation_up_again(home: Path, world, tmp_path: Path) -> None:
    """Nothing archived fit the day the first time; `--recapture` looks again, and takes the
    post the archive holds since."""
    server, _ = world
    stand_in(server, {})
    entry, _ = archive(home, server, tmp_path)
    assert entry["outcome"] == "unresolved"
    stand_in(server, {MATCH: BODY})
    run_cli(
        "--archive", str(home), "--connect-to", server.connect_to, "archive",
        str(tmp_path / "report.txt"), "--recapture",
    )  # fmt: skip
    with __import__("sqlite3").connect(home / "archive.db") as conn:
        (why,) = conn.execute("SELECT last_error FROM job WHERE kind = 'find'").fetchone()
    assert "same words" in why and MATCH in why


def test_another_accounts_post_under_the_handles_url_is_no_candidate(
    home: Path, world, tmp_path: Path
) -> None:
    """X serves any post under any handle in its URL: an archived copy of another account's
    post there is no candidate, and the lookup ends (nothing fits), never failing for retry."""
    server, _ = world
    stand_in(server, {MATCH: BODY})
    server.add(
        "web.archive.org",
        "*",
        lambda h: json_reply(
            tweet(MATCH, text=BODY, user={"id_str": "8", "name": "Other", "screen_name": "other"})
        ),
    )
    entry, _ = archive(home, server, tmp_path)
    assert (
        entry["outcome"] == "unresolved"
        and "no archived post of @nobody_known fits" in (entry["reason"])
    )

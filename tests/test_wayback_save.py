"""A public copy on request: Save Page Now (version 2) against a loopback stand-in that answers
as the API does (queued then done, an error, a rate limit), and the copy carried into
citations and {{cite tweet}} as the archive URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from replay import Reply, json_reply
from world import HOMS

KEYS = "myaccess:verysecret"
FAST = {"ARCHIVER_WAYBACK_KEYS": KEYS, "ARCHIVER_SAVE_POLL": "0.05", "ARCHIVER_SAVE_TIMEOUT": "5"}
POST_URL = f"https://x.com/lummideast/status/{HOMS}"
SNAPSHOT = f"https://web.archive.org/web/20241207101500/{POST_URL}"


class Job:
    """The status endpoint: `pending` answers, then the last one given."""

    def __init__(self, *answers: dict) -> None:
        self.answers = list(answers)

    def __call__(self, _handler) -> Reply:  # type: ignore[no-untyped-def]
        return json_reply(self.answers.pop(0) if len(self.answers) > 1 else self.answers[0])


def stand_in(server, submit: Reply, status: Job | None = None) -> None:  # type: ignore[no-untyped-def]
    server.add("web.archive.org", "/save", submit)
    if status is not None:
        server.add("web.archive.org", "/save/status/spn2-7f3a", status)


def cli(home: Path, server, *args: str, env: dict | None = None):  # type: ignore[no-untyped-def]
    return run_cli(
        "--archive",
        str(home),
        "--connect-to",
        server.connect_to,
        *args,
        env={**FAST, **(env or {})},
    )


def test_archive_with_wayback_waits_for_the_job_and_cites_the_snapshot(
    home: Path, world, tmp_path: Path
) -> None:
    server, _ = world
    stand_in(
        server,
        json_reply({"url": POST_URL, "job_id": "spn2-7f3a"}),
        Job(
            {"status": "pending", "job_id": "spn2-7f3a", "resources": []},
            {"status": "pending", "job_id": "spn2-7f3a", "resources": []},
            {
                "status": "success",
                "job_id": "spn2-7f3a",
                "original_url": POST_URL,
                "timestamp": "20241207101500",
                "duration_sec": 6.2,
                "resources": [],
            },
        ),
    )
    result = cli(home, server, "archive", HOMS, "--wayback", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    ((path, headers, body),) = server.posted
    assert (
        path == "/save"
        and body == f"url={POST_URL}".replace(":", "%3A").replace("/", "%2F").encode()
    )
    assert headers["Authorization"] == f"LOW {KEYS}" and headers["Accept"] == "application/json"

    post = json.loads(cli(home, server, "show", HOMS, "--json").stdout)
    saves = [c for c in post["captures"] if c["source"] == "save"]
    assert [c["outcome"] for c in saves] == ["lookup", "lookup", "lookup", "found"]
    assert saves[-1]["final_url"] == SNAPSHOT
    assert post["archive_copy"] == {
        "url": SNAPSHOT,
        "at": "2024-12-07T10:15:00Z",
        "source": "wayback",
    }
    assert KEYS.split(":")[1].encode() not in (home / "archive.db").read_bytes()  # never stored

    out = tmp_path / "bundle"
    assert cli(home, server, "export", HOMS, "-o", str(out)).returncode == 0
    wiki = (out / "data" / "citations" / "cite-tweet.wiki").read_text()
    assert f"|archive-url={SNAPSHOT}" in wiki and "|archive-date=2024-12-07" in wiki
    assert SNAPSHOT in (out / "data" / "citations" / "apa.txt").read_text()


def test_an_error_a_rate_limit_and_missing_keys_are_said_plainly(home: Path, world) -> None:
    server, _ = world
    assert cli(home, server, "archive", HOMS).returncode == 0
    stand_in(
        server,
        json_reply({"url": POST_URL, "job_id": "spn2-7f3a"}),
        Job(
            {
                "status": "error",
                "job_id": "spn2-7f3a",
                "status_ext": "error:service-unavailable",
                "message": "Service is temporarily unavailable. Please try again later.",
            }
        ),
    )
    failed = cli(home, server, "wayback", HOMS, "--json")
    assert failed.returncode == 3
    (row,) = json.loads(failed.stdout)
    assert row["outcome"] == "failed" and "error:service-unavailable" in row["reason"]

    stand_in(
        server,
        json_reply(
            {
                "status": "error",
                "status_ext": "error:too-many-daily-captures",
                "message": "You have reached your daily limit",
            },
            status=429,
        ),
    )
    limited = json.loads(cli(home, server, "wayback", HOMS, "--json").stdout)
    assert "rate limited" in limited[0]["reason"]

    nokeys = cli(home, server, "wayback", HOMS, "--json", env={"ARCHIVER_WAYBACK_KEYS": ""})
    assert "access keys" in json.loads(nokeys.stdout)[0]["reason"]
    post = json.loads(cli(home, server, "show", HOMS, "--json").stdout)
    assert post["archive_copy"] is None  # no public copy was made
    assert cli(home, server, "verify").returncode == 0


@pytest.mark.parametrize(
    ("original", "stamp"),
    [
        ("https://x.com/i/flow/login?redirect_after_login=%2Flummideast", "20241207101500"),
        ("https://example.org/elsewhere", "20241207101500"),
        (
            f"https://x.com/i/flow/login?redirect_after_login=/lummideast/status/{HOMS}",
            "20241207101500",
        ),
        (POST_URL, "²³"),  # digits, but not ASCII ones: no snapshot's time
    ],
)
def test_a_save_of_another_page_is_no_copy_of_the_post(
    home: Path, world, original: str, stamp: str
) -> None:
    """Save Page Now says `success` for what its crawler reached: X's login page when X sent it
    there, or any URL. Only a snapshot of the post's own URL, at a real time, is its copy."""
    server, _ = world
    assert cli(home, server, "archive", HOMS).returncode == 0
    done = {
        "status": "success",
        "job_id": "spn2-7f3a",
        "original_url": original,
        "timestamp": stamp,
    }
    stand_in(server, json_reply({"url": POST_URL, "job_id": "spn2-7f3a"}), Job(done))
    result = cli(home, server, "wayback", HOMS, "--json")
    (row,) = json.loads(result.stdout)
    assert result.returncode == 3 and row["outcome"] == "failed", row
    post = json.loads(cli(home, server, "show", HOMS, "--json").stdout)
    assert post["archive_copy"] is None

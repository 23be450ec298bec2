"""`archiver list` and `archiver search`: filters, full-text search in any script, the documents
and the queue, and JSON that round-trips the database's rows. The archive is made by a real
run against the replay world, with an Arabic, a Japanese and a hostile post added."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC
from pathlib import Path

import psycopg
import pytest
import world
from conftest import ROOT, make_team, run_cli
from replay import ReplayServer, json_reply
from sqlmodel import col, select
from world import DARAA, HOMS, SHRINE, SPUTNIK, jpeg, query_id, tweet

from archiver.archive import Archive
from archiver.browse import Filters, count_posts, list_posts, reader
from archiver.browse.search import Search, fold
from archiver.errors import InputError
from archiver.models import Media, Post
from archiver.record import iso_utc

SEED = ROOT / "seeds" / "syria-offensive-2024-12-06.txt"
ARABIC = "1865200000000000001"
JAPANESE = "1865200000000000002"
HOSTILE = "1865200000000000003"
ARABIC_TEXT = "عاجل: المعارضة السورية تعلن دخول مدينة حِمْص بعد معارك عنيفة"
JAPANESE_TEXT = "東京都で震度5弱の地震が発生しました。交通機関に影響"
HOSTILE_TEXT = (
    '</div><script src="https://evil.example/x.js"></script> "><img src=x onerror=alert(2)>'
)
EXTRA = {
    ARABIC: tweet(
        ARABIC,
        text=ARABIC_TEXT,
        lang="ar",
        created_at="2024-12-07T08:15:00.000Z",
        user={"id_str": "2", "name": "الجزيرة", "screen_name": "AJArabic"},
    ),
    JAPANESE: tweet(
        JAPANESE,
        text=JAPANESE_TEXT,
        lang="ja",
        created_at="2024-12-08T01:00:00.000Z",
        user={"id_str": "3", "name": "NHKニュース", "screen_name": "nhk_news"},
        mediaDetails=[
            {
                "type": "photo",
                "media_url_https": "https://pbs.twimg.com/media/GeQuake1WgAAmap1.jpg",
                "ext_alt_text": "倒壊した建物の写真",
            }
        ],
        card={"binding_values": {"title": {"string_value": "Earthquake bulletin: Tokyo"}}},
    ),
    HOSTILE: tweet(
        HOSTILE,
        text=HOSTILE_TEXT + " \u202egnp.exe",
        created_at="2024-12-05T12:00:00.000Z",
        # a name a spreadsheet would run as a formula
        user={
            "id_str": "9",
            "name": '=HYPERLINK("https://evil.example","<i>Mallory</i>")',
            "screen_name": "mallory",
        },
        photos=["https://pbs.twimg.com/media/GeMissing1WgAAmap1.jpg"],  # never served: fails
    ),
}


def build_archive(home: Path) -> ReplayServer:
    """The replay world's posts (from the seed document) and the extra ones, archived."""
    server = ReplayServer()
    world.build(server)
    standard = server.routes[("cdn.syndication.twimg.com", "/tweet-result")]
    server.add(
        "cdn.syndication.twimg.com",
        "/tweet-result",
        lambda h: json_reply(EXTRA[query_id(h)]) if query_id(h) in EXTRA else standard(h),  # type: ignore[operator]
    )
    quake = jpeg(color=(40, 40, 200))
    server.add(
        "pbs.twimg.com",
        "/media/GeQuake1WgAAmap1",
        lambda h: world.Reply(200, quake, {"Content-Type": "image/jpeg"}),
    )
    what = (str(SEED), ARABIC, JAPANESE, HOSTILE, SPUTNIK)
    result = run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", *what)
    assert result.returncode == 3, result.stderr  # the hostile post's photo is missing
    return server


BUILT: dict[str, tuple[Path, dict[str, str]]] = {}


def shared_archive(  # type: ignore[no-untyped-def]
    factory: pytest.TempPathFactory, request=None, backend: str = "embedded"
) -> Path:
    """One archive of each backend for every test that only reads (built once per run); a
    team archive's settings are put in the environment for the test."""
    if backend not in BUILT:
        team = {}
        if backend == "team":
            postgres, endpoint = (request.getfixturevalue(f) for f in ("postgres", "s3_endpoint"))
            team = make_team(postgres, endpoint)
        BUILT[backend] = (factory.mktemp("browse") / "archive", team)
    home, team = BUILT[backend]
    for key, value in team.items():
        request.getfixturevalue("monkeypatch").setenv(key, value)
    if not home.exists():
        build_archive(home).close()
    return home


@pytest.fixture(params=["embedded", "team"])
def archived(tmp_path_factory: pytest.TempPathFactory, request) -> Path:  # type: ignore[no-untyped-def]
    """The browse archive, on each backend."""
    return shared_archive(tmp_path_factory, request, request.param)


@pytest.fixture
def embedded_archived(tmp_path_factory: pytest.TempPathFactory, request) -> Path:  # type: ignore[no-untyped-def]
    """The browse archive on the embedded backend alone (for tests that edit its SQLite file)."""
    return shared_archive(tmp_path_factory, request)


def listed(home: Path, *args: str) -> list[dict]:
    result = run_cli("--archive", str(home), "list", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def ids(rows: list[dict]) -> list[str]:
    return [r["status_id"] for r in rows]


NEWEST_FIRST = [JAPANESE, ARABIC, SHRINE, DARAA, HOMS, world.QUOTED, HOSTILE, SPUTNIK]


def test_list_json_round_trips_the_rows_of_the_database(archived: Path) -> None:
    rows = listed(archived)
    archive = Archive.open(archived)
    with archive.session() as sess:
        posts = {p.status_id: p for p in sess.exec(select(Post)) if p.status_id}
        media = sess.exec(select(Media).where(col(Media.kind).in_(["photo", "video", "gif"])))
        counts: dict[int, int] = {}
        for m in media:
            counts[m.post_id] = counts.get(m.post_id, 0) + 1
    assert ids(rows) == NEWEST_FIRST and set(ids(rows)) == set(posts)
    for row in rows:
        post = posts[row["status_id"]]
        assert row["handle"] == post.handle and row["author_name"] == post.author_name
        assert row["text"] == post.text and row["lang"] == post.lang
        assert row["state"] == post.state and row["state_reason"] == post.state_reason
        assert row["created_at"] == iso_utc(post.created_at.replace(tzinfo=UTC))  # type: ignore[union-attr]
        assert row["archived_at"] == iso_utc(post.first_seen_at.replace(tzinfo=UTC))
        assert row["media"] == counts.get(post.id, 0)  # type: ignore[arg-type]
    as_lines = run_cli("--archive", str(archived), "list", "--jsonl").stdout.splitlines()
    assert [json.loads(line) for line in as_lines] == rows
    as_csv = list(
        csv.DictReader(io.StringIO(run_cli("--archive", str(archived), "list", "--csv").stdout))
    )
    assert [r["status_id"] for r in as_csv] == NEWEST_FIRST
    assert as_csv[1]["text"] == ARABIC_TEXT and as_csv[0]["media"] == "1"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--state", "suspended"], [SPUTNIK]),
        (["--state", "gone"], [SPUTNIK]),
        (["--state", "deleted,suspended", "--state", "live", "--limit", "2"], [JAPANESE, ARABIC]),
        (["--handle", "@LUMMIDEAST"], [HOMS]),
        (["--since", "2024-12-07"], [JAPANESE, ARABIC]),
        (["--until", "2024-12-05"], [HOSTILE, SPUTNIK]),  # a date alone: to the end of the day
        (["--since", "2024-12-06T10:00Z", "--until", "2024-12-06T11:00:00+00:00"], [SHRINE, DARAA]),
        (["--time", "captured", "--since", "1h"], NEWEST_FIRST),
        (["--time", "captured", "--until", "2020-01-01"], []),
        (["--document", SEED.name], [SHRINE, DARAA, HOMS]),
        (["--document", "1", "--has-media"], [SHRINE, DARAA, HOMS]),
        (["--source", "fxtwitter"], [SHRINE]),
        (["--source", "wayback"], [SPUTNIK]),
        (["--has-media"], [JAPANESE, SHRINE, DARAA, HOMS, HOSTILE]),
        (["--failed"], [HOSTILE]),
        (["--sort", "handle", "--limit", "3"], [ARABIC, SHRINE, HOMS]),
        (["--reverse", "--limit", "2"], [SPUTNIK, HOSTILE]),
        (["--search", "Homs", "--state", "live"], [HOMS]),
    ],
)
def test_filters(archived: Path, args: list[str], expected: list[str]) -> None:
    assert ids(listed(archived, *args)) == expected


def test_a_failed_post_says_why(archived: Path) -> None:
    (row,) = listed(archived, "--failed")
    assert row["problem"].startswith("photo: ") and "HTTP 404" in row["problem"]
    table = run_cli("--archive", str(archived), "list", "--failed").stdout.splitlines()
    assert table[0].startswith(HOSTILE) and "[photo: " in table[0]
    assert table[-1] == "1 of 1 posts"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("حمص", [ARABIC]),  # the post writes it with short vowels: حِمْص
        ("حِمْص", [ARABIC]),
        ("المعارضة السورية", [ARABIC]),
        ("الجزيرة", [ARABIC]),  # the author's name
        ("地震", [JAPANESE]),  # two characters: shorter than a trigram
        ("東京都", [JAPANESE]),
        ("交通機関 地震", [JAPANESE]),
        ("倒壊", [JAPANESE]),  # the photo's alt text
        ("写真", [JAPANESE]),  # the last words of all the post's indexed text
        ("震", [JAPANESE]),  # one character
        ("earthquake BULLETIN", [JAPANESE]),  # the card's title
        ("nhk_news", [JAPANESE]),
        ("milit*", [SHRINE]),
        ('"gates of Homs"', [HOMS]),
        ('"Homs of gates"', []),
        ("Homs Tokyo", []),
        ("mallory script", [HOSTILE]),
    ],
)
def test_search_in_every_script(archived: Path, words: str, expected: list[str]) -> None:
    result = run_cli("--archive", str(archived), "search", words, "--json")
    assert result.returncode == 0, result.stderr
    assert ids(json.loads(result.stdout)) == expected


@pytest.mark.parametrize(
    "words",
    [
        '"',
        "NEAR(",
        "AND",
        "OR NOT",
        "*",
        ")(",
        "title:x",
        '"unbalanced',
        "a\"b'c",
        "'; DROP TABLE post; --",
        "^",
        "-",
        "東",
    ],
)
def test_search_never_fails_on_what_is_typed(archived: Path, words: str) -> None:
    result = run_cli("--archive", str(archived), "search", words, "--json")
    if result.returncode == 2:  # nothing to search for: one clear line
        assert result.stderr.count("\n") == 1 and "no words to search for" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)
    assert "Traceback" not in result.stderr


def test_fold_is_the_one_the_index_uses(home: Path) -> None:
    archive = Archive.open(home, create=True)
    marks = "".join(map(chr, (*range(0x64B, 0x653), 0x670, 0x640, 0x622, 0x623, 0x625, 0x671)))
    text = f"قال{marks}أحمد إِنَّ حمص"
    with archive.session() as sess:
        sess.add(Post(status_id="20", text=text))
    with reader(archive) as conn:
        (body,) = conn.execute("SELECT body FROM search_words WHERE rowid = 1").fetchone()
        assert body.strip() == fold(text) and fold(text) == "قال" + "ا" * 4 + "احمد ان حمص"
        assert list_posts(conn, Filters(search="احمد")) == []  # one word with قال: no match
        assert [r["status_id"] for r in list_posts(conn, Filters(search="ان حمص"))] == ["20"]


def test_the_index_changes_with_the_rows_in_the_same_transaction(home: Path) -> None:
    archive = Archive.open(home, create=True)
    with archive.session() as sess:
        sess.add(Post(status_id="20", handle="jack", text="just setting up my twttr"))

    def found(words: str) -> list[str]:
        with reader(archive) as conn:
            return [str(r["status_id"]) for r in list_posts(conn, Filters(search=words))]

    assert found("twttr") == ["20"] and found("jack") == ["20"]
    with archive.session() as sess:
        post = sess.exec(select(Post)).one()
        post.text = "something else entirely"
        sess.add(Media(post_id=post.id, position=0, kind="photo", remote_url="u", alt_text="a cat"))  # type: ignore[arg-type]
    assert found("twttr") == [] and found("entirely") == ["20"] and found("cat") == ["20"]
    with pytest.raises(RuntimeError), archive.session() as sess:
        post = sess.exec(select(Post)).one()
        post.text = "rolled back"
        sess.flush()
        assert sess.exec(select(Post.id)).all() == [post.id]
        raise RuntimeError("the writer fails")
    assert found("rolled") == [] and found("entirely") == ["20"]
    with archive.session() as sess:
        for m in sess.exec(select(Media)):
            sess.delete(m)
    assert found("cat") == []
    with sqlite3.connect(home / "archive.db") as conn:  # the FTS tables agree with themselves
        conn.execute("INSERT INTO search_words (search_words) VALUES ('integrity-check')")
        conn.execute("INSERT INTO search_grams (search_grams) VALUES ('integrity-check')")


def test_documents_and_their_counts(archived: Path) -> None:
    result = run_cli("--archive", str(archived), "list", "--documents", "--json")
    (doc,) = json.loads(result.stdout)
    assert doc["path"].endswith(SEED.name) and doc["digest"].startswith("sha256:")
    assert (doc["citations"], doc["archived"], doc["gone"], doc["unresolved"]) == (3, 3, 0, 0)
    table = run_cli("--archive", str(archived), "list", "--documents").stdout.splitlines()
    assert table[0].startswith("1  3  3  0  0  0  ") and table[-1] == "1 documents"


def test_the_queue_says_what_failed_and_why(archived: Path) -> None:
    waiting = json.loads(run_cli("--archive", str(archived), "list", "--jobs", "--json").stdout)
    assert [(j["kind"], j["target"], j["state"]) for j in waiting] == [("post", HOSTILE, "failed")]
    assert "HTTP 404" in waiting[0]["last_error"]
    done = listed(archived, "--jobs", "--state", "done")
    assert {j["target"] for j in done} >= {HOMS, ARABIC, JAPANESE} and len(done) >= 8
    bad = run_cli("--archive", str(archived), "list", "--jobs", "--state", "sleeping")
    assert bad.returncode == 2 and "not a job state" in bad.stderr


def test_a_job_whose_run_was_killed_says_so(embedded_archived: Path, tmp_path: Path) -> None:
    """A job claimed by a run of this machine that is gone (killed): `list --jobs` says so
    and that `retry` takes it, never just `running`."""
    import shutil
    import socket

    home = tmp_path / "archive"
    shutil.copytree(embedded_archived, home)
    gone = f"{socket.gethostname()}:{2**22 + 5}:0"  # (no process has that pid)
    with sqlite3.connect(home / "archive.db") as conn:
        conn.execute(
            "UPDATE job SET state = 'running', claimed_by = ? WHERE target = ?", (gone, HOSTILE)
        )
    conn.close()
    (job,) = json.loads(run_cli("--archive", str(home), "list", "--jobs", "--json").stdout)
    assert (job["target"], job["state"], job["run_gone"]) == (HOSTILE, "running", True)
    table = run_cli("--archive", str(home), "list", "--jobs").stdout
    assert "running (its run is gone: retry takes it)" in table


def test_a_post_known_only_from_its_document_is_listed_until_identified(
    embedded_archived: Path, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "archive"
    shutil.copytree(embedded_archived, copy)

    def counted() -> tuple[int, int]:  # (counted, listed) of the posts with "Homs"
        with reader(Archive.open(copy)) as conn:
            found = Filters(search="gates Homs")
            return count_posts(conn, found), len(list_posts(conn, found))

    assert counted() == (1, 1)  # the witness of HOMS's embed is identified: not listed
    with sqlite3.connect(copy / "archive.db") as conn:  # as after a run without the network
        (witness,) = conn.execute(
            "SELECT id FROM post WHERE witness_key LIKE 'lummideast|%'"
        ).fetchone()
        conn.execute(
            "UPDATE reference SET post_id = ? WHERE kind = 'attribution' "
            "AND \"match\" LIKE '%lummideast%'",
            (witness,),
        )
    rows = listed(copy, "--handle", "lummideast")
    assert [r["status_id"] for r in rows] == [HOMS, None]
    assert rows[1]["state"] == "unknown" and rows[1]["text"].startswith("Homs control map")
    table = run_cli("--archive", str(copy), "list", "--handle", "lummideast").stdout
    assert "(no id)" in table
    assert counted() == (2, 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "vanished"], "--state 'vanished': not a post state"),
        (["--since", "last tuesday"], "--since 'last tuesday': expected a date"),
        (["--until", "2024-13-45"], "--until '2024-13-45': expected a date"),
        (["--source", "myspace"], "--source 'myspace': not a source"),
        (["--document", "nowhere.txt"], "--document 'nowhere.txt': no such document"),
        (["--sort", "random"], "--sort 'random': expected one of"),
        (["--time", "never"], "--time 'never': expected one of"),
        (["--search", "?!"], "no words to search for"),
    ],
)
def test_bad_filters_get_one_clear_line(archived: Path, args: list[str], message: str) -> None:
    result = run_cli("--archive", str(archived), "list", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("archiver list: error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_table_keeps_hostile_text_off_the_terminal(archived: Path) -> None:
    lines = run_cli("--archive", str(archived), "list", "--handle", "mallory").stdout.splitlines()
    assert lines[0].startswith(HOSTILE + "  @mallory")
    assert "\u202e" not in lines[0] and "gnp.exe" not in lines[0][:90]  # cut before, no RLO
    assert all(ch.isprintable() for ch in "".join(lines))
    for form in ("--csv", "--jsonl"):  # the machine-readable forms are printed safely too
        out = run_cli("--archive", str(archived), "list", "--handle", "mallory", form).stdout
        assert "\u202e" not in out and all(ch.isprintable() or ch in "\r\n" for ch in out), form
    out = run_cli("--archive", str(archived), "list", "--handle", "mallory", "--csv").stdout
    (row,) = csv.DictReader(io.StringIO(out))  # no cell a spreadsheet would run as a formula
    assert row["author_name"] == '\'=HYPERLINK("https://evil.example","<i>Mallory</i>")'


def test_the_library_gives_what_the_command_prints(archived: Path) -> None:
    archive = Archive.open(archived)
    with reader(archive) as conn:
        page = list_posts(conn, Filters.parse(state=["live"], limit=3, offset=1))
        assert ids(page) == NEWEST_FIRST[1:4]
        assert count_posts(conn, Filters.parse(state=["live"], limit=3)) == 7
        with pytest.raises(InputError):
            Search.parse('" * ( )')
        with pytest.raises((sqlite3.OperationalError, psycopg.Error)):  # it cannot write
            conn.execute("DELETE FROM post")

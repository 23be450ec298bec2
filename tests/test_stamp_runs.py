"""Trusted timestamps end to end: each run's custody record stamped by a real TSA on loopback
(OpenSSL's `ts -reply`), offline runs and killed runs stamped later, stamps checked by
`archiver verify` and by `openssl ts -verify`, and carried into bundles."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, run_process
from stamp_tsa import LoopbackTsas
from world import HOMS, SHRINE

from archiver.record import canonical_json
from archiver.stamp import merkle_root

SEED = ROOT / "seeds" / "syria-offensive-2024-12-06.txt"


@pytest.fixture
def tsas(world, tmp_path: Path) -> LoopbackTsas:
    server, _ = world
    return LoopbackTsas(server, tmp_path / "pki")


def env(tsas: LoopbackTsas, *names: str) -> dict[str, str]:
    """The settings a user would give: the TSAs to ask and the roots they trust."""
    return {
        "ARCHIVER_TSA_URLS": ",".join(tsas.url(n) for n in names),
        "ARCHIVER_TSA_ROOTS": str(tsas.roots_pem),
        "ARCHIVER_TSA_TIMEOUT": "2",
    }


def cli(home: Path, tsas: LoopbackTsas, *args: str, stamp_with: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    environment = (
        env(tsas, *stamp_with) if stamp_with else {"ARCHIVER_TSA_ROOTS": str(tsas.roots_pem)}
    )
    return run_cli(
        "--archive", str(home), "--connect-to", tsas.replay.connect_to, *args, env=environment
    )


def rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(home / "archive.db") as conn:
        return conn.execute(sql).fetchall()


def blob(home: Path, digest: str) -> Path:
    hexdigest = digest.removeprefix("sha256:")
    return home / "objects" / "sha256" / hexdigest[:2] / hexdigest


def openssl_verify_run(home: Path, run: int, tsas: LoopbackTsas) -> subprocess.CompletedProcess:
    """What a third party does with the run's blobs alone: the record's root, the token, openssl."""
    (custody, response, chain) = rows(
        home,
        "SELECT run.custody_digest, response_digest, chain_digest FROM run "
        f"JOIN runstamp ON runstamp.run_id = run.id WHERE run.id = {run}",
    )[0]
    root = json.loads(blob(home, custody).read_bytes())["merkle_root"].removeprefix("sha256:")
    return subprocess.run(
        ["openssl", "ts", "-verify", "-in", str(blob(home, response)), "-digest", root]
        + ["-CAfile", str(tsas.roots_pem), "-untrusted", str(blob(home, chain))],
        capture_output=True,
        text=True,
    )


def test_a_run_is_stamped_at_its_end_and_everyone_can_check_it(tsas, home: Path) -> None:
    result = cli(home, tsas, "archive", HOMS, stamp_with=("good",))
    assert result.returncode == 0, result.stderr
    ((run, command, ended, custody),) = rows(
        home, "SELECT id, command, ended_at, custody_digest FROM run"
    )
    assert command == "archive" and ended and custody
    record = json.loads(blob(home, custody).read_bytes())
    added = {d for (d,) in rows(home, f"SELECT digest FROM blob WHERE run_id = {run}")}
    (post_record,) = rows(home, f"SELECT record_digest FROM post WHERE status_id = '{HOMS}'")[0]
    assert set(record["digests"]) == added and post_record in added
    assert record["kind"] == "archiver custody record" and record["run"] == str(run)
    assert hashlib.sha256(blob(home, custody).read_bytes()).hexdigest() == custody[7:]

    checked = openssl_verify_run(home, run, tsas)
    assert checked.returncode == 0 and "Verification: OK" in checked.stdout, checked.stderr
    shown = cli(home, tsas, "show", HOMS)
    assert "timestamped by Loopback TSA at " in shown.stdout
    verified = cli(home, tsas, "verify")
    assert verified.returncode == 0, verified.stdout
    assert f"run {run}: timestamped by Loopback TSA" in verified.stdout


def test_an_offline_run_is_stamped_later_and_never_before_its_content(tsas, home: Path) -> None:
    assert cli(home, tsas, "archive", HOMS).returncode == 0  # no TSA: nothing is sent anywhere
    assert rows(home, "SELECT count(*) FROM runstamp") == [(0,)]
    assert "timestamped" not in cli(home, tsas, "show", HOMS).stdout
    asked = [p for p in tsas.replay.posted if p[0] == "/good"]
    assert not asked
    nothing = cli(home, tsas, "stamp")
    assert nothing.returncode == 2 and "tsa_urls" in nothing.stderr  # nothing to ask: say so

    later = cli(home, tsas, "stamp", "--pending", "--json", stamp_with=("good",))
    assert later.returncode == 0, later.stderr
    (done,) = json.loads(later.stdout)
    assert done["stamps"][0]["tsa"] == "Loopback TSA"
    ((ended, stamped),) = rows(
        home, "SELECT run.ended_at, runstamp.time FROM run JOIN runstamp ON run_id = run.id"
    )
    assert stamped[:19] >= ended[:19]  # genTime is to the second (the TSA's accuracy)
    assert openssl_verify_run(home, done["run"], tsas).returncode == 0
    again = cli(home, tsas, "stamp", "--json", stamp_with=("good",))
    assert json.loads(again.stdout) == []  # every run is stamped: nothing to do


def test_a_tsa_that_fails_leaves_the_run_unstamped_and_says_so(tsas, home: Path) -> None:
    result = cli(home, tsas, "archive", "-q", HOMS, stamp_with=("garbage", "hang"))
    assert result.returncode == 0  # the capture stands; only its stamp is missing
    # said even with -q (results only): a run left without its trusted time is one
    assert "not stamped by" in result.stderr and "archiver stamp" in result.stderr
    assert rows(home, "SELECT count(*) FROM runstamp") == [(0,)]
    later = cli(home, tsas, "stamp", stamp_with=("expired", "good"))
    assert later.returncode == 0, later.stdout + later.stderr
    assert rows(home, "SELECT count(*) FROM runstamp") == [(1,)]  # the expired TSA's is refused


def test_a_killed_run_gets_its_custody_record_when_stamped(tsas, home: Path) -> None:
    killed = run_process(
        "--archive", str(home), "--connect-to", tsas.replay.connect_to, "archive", HOMS,
        env={"ARCHIVER_CRASH_AT": "sources:committed"},
    )  # fmt: skip
    assert killed.returncode == 70
    ((run, custody),) = rows(home, "SELECT id, custody_digest FROM run")
    assert custody is None
    added = {d for (d,) in rows(home, f"SELECT digest FROM blob WHERE run_id = {run}")}
    assert added
    later = cli(home, tsas, "stamp", str(run), "--json", stamp_with=("good",))
    assert later.returncode == 0, later.stderr
    ((custody,),) = rows(home, "SELECT custody_digest FROM run")
    assert set(json.loads(blob(home, custody).read_bytes())["digests"]) == added
    assert openssl_verify_run(home, run, tsas).returncode == 0


def test_a_killed_run_is_accounted_for_by_the_next_run_with_no_tsa(tsas, home: Path) -> None:
    """With no TSA set, a run killed before its end gets its custody record (dated by its last
    blob) when the next run begins: no run stays open waiting for `archiver stamp`."""
    killed = run_process(
        "--archive", str(home), "--connect-to", tsas.replay.connect_to, "archive", HOMS,
        env={"ARCHIVER_CRASH_AT": "sources:committed"},
    )  # fmt: skip
    assert killed.returncode == 70
    ((run, custody, ended),) = rows(home, "SELECT id, custody_digest, ended_at FROM run")
    assert custody is None and ended is None
    added = {d for (d,) in rows(home, f"SELECT digest FROM blob WHERE run_id = {run}")}
    assert cli(home, tsas, "retry").returncode == 0
    ((custody, ended),) = rows(home, f"SELECT custody_digest, ended_at FROM run WHERE id = {run}")
    assert custody is not None and ended is not None
    assert set(json.loads(blob(home, custody).read_bytes())["digests"]) == added
    assert rows(home, f"SELECT count(*) FROM runstamp WHERE run_id = {run}") == [(0,)]
    # another machine's run, quiet for longer than a lease (waiting out a rate limit): not
    # judged by a run here, which cannot see its process
    with sqlite3.connect(home / "archive.db") as conn:
        conn.execute(
            "INSERT INTO run (command, runner, started_at) VALUES "
            "('work', 'elsewhere.example:42:7', datetime('now', '-1 hour'))"
        )
    assert cli(home, tsas, "retry").returncode == 0
    assert rows(home, "SELECT custody_digest FROM run WHERE runner LIKE 'elsewhere%'") == [(None,)]


def test_a_changed_stamp_or_custody_record_fails_verify(tsas, home: Path) -> None:
    assert cli(home, tsas, "archive", HOMS, stamp_with=("good",)).returncode == 0
    ((response,),) = rows(home, "SELECT response_digest FROM runstamp")
    path = blob(home, response)
    data = bytearray(path.read_bytes())
    data[-40] ^= 1
    os.chmod(path, 0o644)
    path.write_bytes(bytes(data))
    result = cli(home, tsas, "verify")
    assert result.returncode == 1
    assert "run 1: timestamp" in result.stdout or "run 1: timestamp" in result.stderr


def test_a_bundle_carries_its_posts_custody_and_its_own_stamp(tsas, home: Path, tmp_path) -> None:
    assert cli(home, tsas, "archive", HOMS, SHRINE, stamp_with=("good",)).returncode == 0
    out = tmp_path / "bundle"
    made = cli(home, tsas, "export", HOMS, "-o", str(out), stamp_with=("good",))
    assert made.returncode == 0, made.stderr
    assert (out / "timestamps" / "tagmanifest-sha256.txt.tsr").is_file()
    assert (out / "data" / "custody" / "run-1.json").is_file()
    assert "timestamped by Loopback TSA" in (out / "data" / "index.html").read_text()
    assert "timestamped by Loopback TSA" in (out / "data" / "citations" / "apa.txt").read_text()
    readme = (out / "data" / "README.txt").read_text()
    assert "openssl ts -verify" in readme and "data/custody/run-N.json" in readme

    checked = cli(home, tsas, "verify", str(out))
    assert checked.returncode == 0, checked.stdout
    assert "timestamps/tagmanifest-sha256.txt.tsr: timestamped by Loopback TSA" in checked.stdout
    assert f"data/posts/{HOMS}/record.json: timestamped by" in checked.stdout
    ssl = subprocess.run(
        ["openssl", "ts", "-verify", "-in", "timestamps/tagmanifest-sha256.txt.tsr"]
        + ["-data", "tagmanifest-sha256.txt", "-CAfile", str(tsas.roots_pem)]
        + ["-untrusted", "timestamps/chain.pem"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    assert ssl.returncode == 0, ssl.stderr

    # a custody record made over, consistent in itself (one digest dropped, its root made
    # again): the stamp dates another root
    changed = tmp_path / "changed"
    shutil.copytree(out, changed)
    custody = changed / "data" / "custody" / "run-1.json"
    forged = json.loads(custody.read_bytes())
    forged["digests"] = forged["digests"][:-1]
    forged["merkle_root"] = merkle_root(forged["digests"])
    custody.write_bytes(canonical_json(forged))
    broken = cli(home, tsas, "verify", str(changed), "--json")
    problems = [p["problem"] for p in json.loads(broken.stdout)["problems"]]
    assert broken.returncode == 1
    assert any(p.startswith("data/custody/run-1.json: timestamp") for p in problems), problems

    # the bag's token moved to another bundle dates nothing there
    other = tmp_path / "other"
    assert cli(home, tsas, "export", SHRINE, "-o", str(other), stamp_with=("good",)).returncode == 0
    shutil.copy(out / "timestamps" / "tagmanifest-sha256.txt.tsr", other / "timestamps")
    moved = cli(home, tsas, "verify", str(other), "--json")
    problems = [p["problem"] for p in json.loads(moved.stdout)["problems"]]
    assert moved.returncode == 1
    assert any(
        p.startswith("timestamps/tagmanifest-sha256.txt.tsr: ") and "match" not in p
        for p in problems
    ), problems  # not only the manifests' complaint: the stamp itself dates other content


def readme_check(bundle: Path, post_id: str, roots: Path) -> subprocess.CompletedProcess:
    """The bundle README's commands for a post's trusted time, run exactly as printed (its
    indented blocks and its program from the margin; N, <id> and the TSA's root filled in)."""
    readme = (bundle / "data" / "README.txt").read_text()
    section = readme.split("Trusted times of the posts")[1]
    commands = [p for p in section.split("\n\n") if p.startswith(("    ", "python3 "))]
    script = "\n".join(commands).replace("run-N", "run-1").replace("<id>", post_id)
    script = script.replace("tsa-root.pem", str(roots))
    return subprocess.run(["bash", "-ec", script], cwd=bundle, capture_output=True, text=True)


def test_the_readmes_own_commands_check_a_posts_time_and_refuse_a_forged_list(
    tsas, home: Path, tmp_path
) -> None:
    assert cli(home, tsas, "archive", HOMS, stamp_with=("good",)).returncode == 0
    out = tmp_path / "bundle"
    assert cli(home, tsas, "export", HOMS, "-o", str(out)).returncode == 0
    checked = readme_check(out, HOMS, tsas.roots_pem)
    assert checked.returncode == 0, checked.stderr
    # exported with no TSA, of stamped runs: the bundle's own stamp is missing, and said so
    verified = cli(home, tsas, "verify", str(out))
    assert verified.returncode == 0 and "no trusted timestamp of its own" in verified.stderr
    assert "Verification: OK" in checked.stdout and "the root is the list's" in checked.stdout
    # a forged record's digest slipped into the list, the stamped root kept: refused
    custody = out / "data" / "custody" / "run-1.json"
    record = json.loads(custody.read_bytes())
    record["digests"] = sorted([*record["digests"], "sha256:" + "ab" * 32])
    os.chmod(custody, 0o644)
    custody.write_bytes(canonical_json(record))
    forged = readme_check(out, HOMS, tsas.roots_pem)
    assert forged.returncode != 0 and "THE ROOT IS NOT THE ROOT OF THE LIST" in forged.stdout


def test_a_run_going_on_another_machine_is_left_to_stamp_itself(tsas, home: Path) -> None:
    assert cli(home, tsas, "archive", HOMS).returncode == 0  # run 1, offline: unstamped
    from archiver.archive import Archive

    digest, size = Archive.open(home).store.put(b"a blob another machine's run just added")
    with sqlite3.connect(home / "archive.db") as conn:
        conn.execute(
            "INSERT INTO run (command, runner, started_at) VALUES "
            "('work', 'elsewhere.example:42', datetime('now'))"
        )
        conn.execute(
            "INSERT INTO blob (digest, size, derived, created_at, run_id) "
            "VALUES (?, ?, 0, datetime('now'), 2)",
            (digest, size),
        )
    first = cli(home, tsas, "stamp", "--pending", "--json", stamp_with=("good",))
    assert [d["run"] for d in json.loads(first.stdout)] == [1]
    assert rows(home, "SELECT custody_digest FROM run WHERE id = 2") == [(None,)]
    with sqlite3.connect(home / "archive.db") as conn:  # quiet for longer than a lease: gone
        conn.execute("UPDATE blob SET created_at = datetime('now', '-1 hour') WHERE run_id = 2")
    later = cli(home, tsas, "stamp", "--pending", "--json", stamp_with=("good",))
    assert [d["run"] for d in json.loads(later.stdout)] == [2]
    ((custody,),) = rows(home, "SELECT custody_digest FROM run WHERE id = 2")
    assert json.loads(blob(home, custody).read_bytes())["digests"] == [digest]


def _remake_manifests(bag: Path) -> None:
    """Manifests, tag manifests and Payload-Oxum made again over the bag as it now is, with no
    timestamps/: what a forger who changed the payload would do."""
    shutil.rmtree(bag / "timestamps", ignore_errors=True)
    files = sorted(p for p in (bag / "data").rglob("*") if p.is_file())
    info = [
        f"Payload-Oxum: {sum(p.stat().st_size for p in files)}.{len(files)}"
        if line.startswith("Payload-Oxum:")
        else line
        for line in (bag / "bag-info.txt").read_text().splitlines()
    ]
    (bag / "bag-info.txt").write_text("\n".join(info) + "\n")
    for kind, names in (("manifest", files), ("tagmanifest", None)):
        for algorithm in ("sha256", "sha512"):
            listed = names or [
                bag / n for n in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt",
                                  "manifest-sha512.txt")
            ]  # fmt: skip
            (bag / f"{kind}-{algorithm}.txt").write_text(
                "".join(
                    f"{hashlib.new(algorithm, p.read_bytes()).hexdigest()}  "
                    f"{p.relative_to(bag).as_posix()}\n"
                    for p in listed
                )
            )


def test_a_changed_record_in_a_bag_remade_without_its_stamp_fails(
    tsas, home: Path, tmp_path
) -> None:
    """The bag's own stamp taken away and a post rewritten, every manifest made again: the
    stamped custody record of the run still names the record as it was, so the post's claim of
    a trusted time and the custody record both fail."""
    assert cli(home, tsas, "archive", HOMS, stamp_with=("good",)).returncode == 0
    out = tmp_path / "bundle"
    assert cli(home, tsas, "export", HOMS, "-o", str(out), stamp_with=("good",)).returncode == 0
    post = out / "data" / "posts" / HOMS
    record = (post / "record.json").read_bytes().replace(b"Rebels are at", b"Rebels took")
    (post / "record.json").write_bytes(record)
    view = json.loads((post / "post.json").read_text())
    view["record_digest"] = "sha256:" + hashlib.sha256(record).hexdigest()
    (post / "post.json").write_text(json.dumps(view))
    _remake_manifests(out)

    checked = cli(home, tsas, "verify", str(out), "--json")
    problems = [p["problem"] for p in json.loads(checked.stdout)["problems"]]
    assert checked.returncode == 1
    assert problems == [
        f"data/posts/{HOMS}/record.json: data/posts/{HOMS}/post.json and the folder do not say "
        "what it says (text)",  # (post.json still shows the text as it was)
        "data/custody/run-1.json: lists no post record of the bundle (one was changed?)",
        f"data/posts/{HOMS}/post.json: says its record was timestamped, but no stamped custody "
        "record of the bundle lists the record it holds",
    ]

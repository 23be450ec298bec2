"""`archiver verify`: every kind of damage is found, named with what it affects, exit 1;
a clean archive exits 0; `--repair` restores from a second archive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import query, run_cli
from world import HOMS

from archiver.archive import Archive


@pytest.fixture
def filled(tmp_path: Path, world, request) -> Path:  # type: ignore[no-untyped-def]
    """An archive holding the Homs post, its photo and their captures (on the test's backend,
    if it names one)."""
    if "backend" in request.fixturenames:
        request.getfixturevalue("backend")
    server, _ = world
    home = tmp_path / "archive"
    result = run_cli("--archive", str(home), "--connect-to", server.connect_to, "archive", HOMS)
    assert result.returncode == 0, result.stderr
    return home


def verify(home: Path, *args: str) -> tuple[int, dict]:
    result = run_cli("--archive", str(home), "verify", "--json", *args)
    return result.returncode, json.loads(result.stdout)


def photo_path(home: Path) -> tuple[str, Path]:
    view = json.loads(run_cli("--archive", str(home), "show", HOMS, "--json").stdout)
    digest = next(m["digest"] for m in view["media"] if m["kind"] == "photo")
    return digest, home / "objects" / "sha256" / digest[7:9] / digest[7:]


def writable(path: Path) -> Path:
    path.chmod(0o644)
    return path


def test_clean_archive_passes_and_records_when(backend: str, filled: Path) -> None:
    code, report = verify(filled)
    assert code == 0 and report["ok"] and report["problems"] == []
    ((blobs, size),) = query(filled, "SELECT count(*), sum(size) FROM blob")
    assert (report["checked"], report["bytes"]) == (blobs, size) and blobs >= 5
    again, second = verify(filled, "--since", "1d")
    assert again == 0 and second["checked"] == 0  # all were verified a moment ago
    code, sampled = verify(filled, "--sample", "2")
    assert code == 0 and sampled["checked"] == 2


def damaged(path: Path, damage: str) -> None:
    """The object at `path` as a failing disk leaves it: a bit flipped, missing, or a FIFO or a
    folder in its place."""
    if damage == "flipped bit":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        writable(path).write_bytes(bytes(data))
        return
    writable(path).unlink()
    if damage == "fifo":
        os.mkfifo(path)
    elif damage == "folder":
        (path / "inside").mkdir(parents=True)


@pytest.mark.parametrize("damage", ["flipped bit", "fifo", "folder"])
def test_recapturing_a_post_heals_its_damaged_photo(filled: Path, world, damage: str) -> None:  # type: ignore[no-untyped-def]
    """The disk flipped a bit of an object (or a FIFO, or a folder, took its place); the post
    archived again brings the same bytes, which take the damaged copy's place: `captured` is
    then true (never hanging on a FIFO), and verify is clean."""
    server, _ = world
    digest, path = photo_path(filled)
    damaged(path, damage)
    assert verify(filled)[0] == 1
    again = run_cli(
        "--archive",
        str(filled),
        "--connect-to",
        server.connect_to,
        "archive",
        HOMS,
        "--recapture",
        "--json",
    )
    assert json.loads(again.stdout)[0]["outcome"] == "captured", again.stdout
    code, report = verify(filled)
    assert code == 0 and report["ok"], report["problems"]
    assert oct(path.stat().st_mode & 0o777) == "0o444"


@pytest.mark.parametrize("damage", ["flipped bit", "missing"])
def test_recapturing_a_post_heals_its_damaged_record(filled: Path, world, damage: str) -> None:  # type: ignore[no-untyped-def]
    """The post's record blob damaged or gone: archived again, the same record's bytes take
    its place, as a photo's do. (A missing one failed the run with FileNotFoundError; a
    damaged one stayed damaged under a run that said `captured`.)"""
    server, _ = world
    view = json.loads(run_cli("--archive", str(filled), "show", HOMS, "--json").stdout)
    digest = view["record_digest"]
    path = filled / "objects" / "sha256" / digest[7:9] / digest[7:]
    damaged(path, damage)
    assert verify(filled)[0] == 1
    base = ["--archive", str(filled), "--connect-to", server.connect_to]
    again = run_cli(*base, "archive", HOMS, "--recapture", "--json")
    assert json.loads(again.stdout)[0]["outcome"] == "captured", again.stdout + again.stderr
    code, report = verify(filled)
    assert code == 0 and report["ok"], report["problems"]


def test_flipped_bit_is_corrupt_and_names_the_photo(filled: Path) -> None:
    digest, path = photo_path(filled)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    writable(path).write_bytes(bytes(data))
    code, report = verify(filled)
    assert code == 1 and not report["ok"]
    (problem,) = report["problems"]
    assert problem["digest"] == digest and problem["problem"].startswith("corrupt")
    assert (
        problem["affects"] == [f"post {HOMS} photo 1"]
        or f"post {HOMS} photo 1" in problem["affects"]
    )


def test_truncated_deleted_renamed_and_extra_files(filled: Path) -> None:
    digest, path = photo_path(filled)
    writable(path).write_bytes(path.read_bytes()[:100])
    code, report = verify(filled)
    assert code == 1 and "truncated" in report["problems"][0]["problem"]

    path.unlink()
    code, report = verify(filled)
    assert code == 1 and report["problems"][0]["problem"] == "missing"

    record = json.loads(run_cli("--archive", str(filled), "show", HOMS, "--json").stdout)
    record_digest = record["record_digest"]
    record_path = filled / "objects" / "sha256" / record_digest[7:9] / record_digest[7:]
    renamed = filled / "objects" / "sha256" / "00" / record_digest[7:]
    renamed.parent.mkdir(exist_ok=True)
    record_path.rename(renamed)
    (filled / "objects" / "sha256" / "ab").mkdir(exist_ok=True)
    (filled / "objects" / "sha256" / "ab" / "notes.txt").write_text("not an object")
    code, report = verify(filled)
    problems = {(p["digest"], p["problem"].split(" ")[0]) for p in report["problems"]}
    assert (record_digest, "missing") in problems  # the record is not where it belongs
    assert (record_digest, "stray") in problems  # and something sits in the wrong shard
    assert (None, "stray") in problems  # and a file that is no object at all


def test_row_pointing_at_a_missing_blob(filled: Path) -> None:
    import sqlite3

    with sqlite3.connect(filled / "archive.db") as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE media SET blob_digest = ?", ("sha256:" + "e" * 64,))
    code, report = verify(filled)
    assert code == 1
    problem = next(p for p in report["problems"] if p["digest"] == "sha256:" + "e" * 64)
    assert "does not list" in problem["problem"] and problem["affects"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("text = 'FORGED TEXT'", "row and its record disagree (text)"),
        (
            "record_digest = (SELECT blob_digest FROM capture WHERE source = 'syndication')",
            "row and its record disagree (status_id",
        ),
        (
            "record_digest = (SELECT blob_digest FROM media WHERE kind = 'photo')",
            "record is no record",
        ),
    ],
    ids=["text", "an-answer", "a-photo"],
)
def test_a_post_row_that_is_not_what_its_record_says(filled: Path, change: str, said: str) -> None:
    """The text `show` and a bundle print comes from the post's row: a row whose text was
    changed, or that points at another blob than its record (an answer, a photo), is named,
    though every object hashes right."""
    import sqlite3

    with sqlite3.connect(filled / "archive.db") as conn:
        conn.execute(f"UPDATE post SET {change} WHERE status_id = ?", (HOMS,))  # noqa: S608
    code, report = verify(filled)
    assert code == 1
    (problem,) = [p for p in report["problems"] if p["problem"].startswith(f"post {HOMS}: its ")]
    assert said in problem["problem"]


def test_unreadable_file(filled: Path) -> None:
    digest, path = photo_path(filled)
    path.chmod(0)
    command = [sys.executable, "-m", "archiver", "--archive", str(filled), "verify", "--json"]
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    (problem,) = [p for p in report["problems"] if p["digest"] == digest]
    assert problem["problem"] == "unreadable (permission denied)"


def test_repair_from_a_second_archive(filled: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    shutil.copytree(filled, mirror)
    digest, path = photo_path(filled)
    writable(path).write_bytes(b"garbage")
    result = run_cli("--archive", str(filled), "verify", "--repair", str(mirror))
    assert result.returncode == 0, result.stdout
    assert f"repaired {digest}" in result.stdout and str(mirror) in result.stdout
    assert verify(filled)[0] == 0
    assert Archive.open(filled).store.read_bytes(digest) == Archive.open(mirror).store.read_bytes(
        digest
    )


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_repair_from_a_bundle(filled: Path, tmp_path: Path, form: str) -> None:
    """A bundle's manifest names each file by its hash: a record and a raw answer come back
    from it as a photo does."""
    bundle = tmp_path / ("b.zip" if form == "zip" else "b")
    assert run_cli("--archive", str(filled), "export", HOMS, "-o", str(bundle)).returncode == 0
    view = json.loads(run_cli("--archive", str(filled), "show", HOMS, "--json").stdout)
    lost = [view["record_digest"], view["captures"][0]["digest"], photo_path(filled)[0]]
    for digest in lost:
        (filled / "objects" / "sha256" / digest[7:9] / digest[7:]).unlink()
    result = run_cli("--archive", str(filled), "verify", "--repair", str(bundle))
    assert result.returncode == 0, result.stdout
    assert all(f"repaired {digest}" in result.stdout for digest in lost)
    assert verify(filled)[0] == 0


def test_repair_from_a_damaged_bundle_says_what_it_could_not_find(
    filled: Path, tmp_path: Path
) -> None:
    bundle, damaged = tmp_path / "b.zip", tmp_path / "damaged.zip"
    assert run_cli("--archive", str(filled), "export", HOMS, "-o", str(bundle)).returncode == 0
    digest, path = photo_path(filled)
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(damaged, "w") as out:
        for info in source.infolist():  # the photo the manifest names is not in the zip
            if not info.filename.endswith(".jpg"):
                out.writestr(info, source.read(info))
    path.unlink()
    result = run_cli("--archive", str(filled), "verify", "--repair", str(damaged))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert digest in result.stdout and f"repaired {digest}" not in result.stdout


def test_repair_from_a_bundle_whose_copy_fails_its_crc_is_no_repair(
    filled: Path, tmp_path: Path
) -> None:
    """The bundle's member that holds the photo is damaged (its CRC fails as it is read): no
    copy to repair from, said in the report, no traceback."""
    bundle, damaged = tmp_path / "b.zip", tmp_path / "damaged.zip"
    assert run_cli("--archive", str(filled), "export", HOMS, "-o", str(bundle)).returncode == 0
    digest, path = photo_path(filled)
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(damaged, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            info.compress_type = zipfile.ZIP_STORED  # the photo's bytes as they are, to damage
            out.writestr(info, data)
    raw = bytearray(damaged.read_bytes())
    photo = path.read_bytes()
    at = raw.find(photo[100:140])
    raw[at] ^= 0x01
    damaged.write_bytes(bytes(raw))
    path.unlink()
    result = run_cli("--archive", str(filled), "verify", "--repair", str(damaged))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert digest in result.stdout and f"repaired {digest}" not in result.stdout


def test_bad_since_is_a_usage_error(filled: Path) -> None:
    result = run_cli("--archive", str(filled), "verify", "--since", "forever")
    assert result.returncode == 2 and "--since" in result.stderr


def test_verify_changes_nothing_not_even_a_missing_folder(filled: Path) -> None:
    shutil.rmtree(filled / "objects")
    shutil.rmtree(filled / "tmp", ignore_errors=True)
    code, report = verify(filled)
    assert code == 1 and report["problems"]  # every blob is missing, and said so
    assert sorted(p.name for p in filled.iterdir() if not p.name.startswith("archive.db")) == []


def _read_only_mount(source: Path, target: Path, *command: str) -> subprocess.CompletedProcess:
    """Run `command` with `source` bound read-only at `target`, in a mount namespace of its own
    (as root, or as a user where user namespaces are allowed)."""
    script = 'mount --bind -o ro "$1" "$2" && shift 2 && exec "$@"'
    for unshare in (["unshare", "-m"], ["unshare", "-rm"]):
        probe = [*unshare, "sh", "-c", script, "sh", str(source), str(target), "true"]
        if shutil.which("unshare") and subprocess.run(probe, capture_output=True).returncode == 0:
            return subprocess.run(
                [*unshare, "sh", "-c", script, "sh", str(source), str(target), *command],
                capture_output=True,
                text=True,
                timeout=120,
            )
    pytest.skip("no mount namespace to make a read-only mount in")


@pytest.mark.parametrize("taken", ["while a run held it", "closed"])
def test_an_evidence_copy_on_read_only_media_is_read_verified_and_exported(
    filled: Path, tmp_path: Path, taken: str
) -> None:
    """On a read-only mount SQLite cannot make the index (`-shm`) a database in WAL mode is read
    through. A copy taken while a run held the archive carries its write-ahead log: read from a
    private copy with the log replayed. A copy of the database alone: read as it is. Either
    way verify, show and export work, nothing on the mount changes, and a write is refused."""
    import sqlite3

    held = sqlite3.connect(filled / "archive.db")  # a run still holds it: the log is not empty
    held.execute("PRAGMA wal_autocheckpoint = 0")
    held.execute("UPDATE post SET author_name = 'Held' WHERE status_id = ?", (HOMS,))
    held.commit()
    copy = tmp_path / "copy"
    if taken == "closed":  # every page in the database file: its log can go
        held.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(filled, copy)
    held.close()
    (copy / "archive.db-shm").unlink(missing_ok=True)
    if taken == "closed":
        (copy / "archive.db-wal").unlink(missing_ok=True)
    else:
        assert (copy / "archive.db-wal").stat().st_size > 0
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    mount = tmp_path / "mount"
    mount.mkdir()
    out = tmp_path / "bundle.zip"
    arch = [sys.executable, "-m", "archiver", "--archive", str(mount)]
    done = _read_only_mount(
        copy,
        mount,
        "sh",
        "-c",
        '"$@" verify --json > "$0.verify" && "$@" show --json ' + HOMS + ' > "$0.show" && '
        '"$@" export --output "$0" ' + HOMS + ' && "$@" retry; echo "retry $?" >&2',
        str(out),
        *arch,
    )
    assert json.loads(Path(f"{out}.verify").read_text() or "{}").get("ok"), done.stderr
    assert json.loads(Path(f"{out}.show").read_text())["author_name"] == "Held"  # the log's
    assert zipfile.is_zipfile(out)
    assert "is read-only" in done.stderr and "retry 2" in done.stderr
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before

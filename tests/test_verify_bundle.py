"""`archiver verify BUNDLE` on hostile bundles: every zip or file error is a named problem (exit
1), never a traceback; links, devices and duplicate names are problems; memory stays bounded
(a 1 GiB zip bomb, checked from a child process)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import run_cli, wait_with_peak

from archiver.export.bagit import Entry, build_bag, write_bag
from archiver.verify import check_bundle

RECORD = b'{"id": "20", "text": "just setting up my twttr"}\n'


def bag_files() -> dict[str, bytes]:
    """A small, whole bag as archiver writes it: name → bytes (paths from the bag root)."""
    digest = "sha256:" + hashlib.sha256(RECORD).hexdigest()
    payload = [
        Entry("data/posts/20/record.json", RECORD),
        Entry("data/posts/20/post.json", json.dumps({"record_digest": digest}).encode()),
        Entry("data/README.txt", b"a bundle\n"),
    ]
    return {e.path: e.data for e in build_bag(payload, [("Source-Organization", "tests")])}  # type: ignore[misc]


def member(
    name: str,
    data: bytes,
    method: int = 8,
    flags: int = 0,
    raw: bytes | None = None,
    crc: int | None = None,
    size: int | None = None,
    mode: int = 0o100644,
    extra: bytes = b"",
) -> dict:
    """One zip entry; `raw` is its stored bytes when they are not `data` compressed."""
    if raw is None:
        raw = data if method == 0 else _deflate(data)
    return {
        "name": name.encode(),
        "raw": raw,
        "method": method,
        "flags": flags,
        "crc": zlib.crc32(data) if crc is None else crc,
        "size": len(data) if size is None else size,
        "mode": mode,
        "extra": extra,
    }


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def write_zip(path: Path, members: list[dict]) -> Path:
    """A zip written field by field (PKWARE APPNOTE 4.3.7 and 4.3.12), so that tests can give
    it what zipfile would refuse to write: wrong CRCs, encryption flags, unknown methods."""
    body, central = b"", b""
    for m in members:
        offset = len(body)
        fields = (20, m["flags"], m["method"], 0, 0x21, m["crc"], len(m["raw"]), m["size"])
        extra = m.get("extra", b"")
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, len(m["name"]), len(extra))
        body += m["name"] + extra + m["raw"]
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 0x0314, *fields, len(m["name"]), len(extra),
            0, 0, 0, m["mode"] << 16, offset,
        )  # fmt: skip
        central += m["name"] + extra
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(central), len(body), 0)  # fmt: skip
    path.write_bytes(body + central + end)
    return path


def plain(files: dict[str, bytes], root: str = "bundle/", method: int = 8) -> list[dict]:
    return [member(root + name, data, method) for name, data in files.items()]


def verify_json(path: Path) -> tuple[int, dict, str]:
    result = run_cli("verify", str(path), "--json")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout) if result.stdout else {}, result.stderr


def problems(report: dict) -> str:
    return "\n".join(p["problem"] for p in report["problems"])


def test_a_whole_bag_verifies_as_zip_and_as_folder(tmp_path: Path) -> None:
    code, report, _ = verify_json(write_zip(tmp_path / "b.zip", plain(bag_files())))
    assert code == 0 and report["ok"] and report["checked"] == 3 + 4, report
    entries = [Entry(name, data) for name, data in bag_files().items()]
    write_bag(entries, tmp_path / "folder")
    code, report, _ = verify_json(tmp_path / "folder")
    assert code == 0 and report["ok"], report


@pytest.mark.parametrize(
    ("name", "damage", "expected"),
    [
        ("bad CRC", {"crc": 1}, "Bad CRC-32"),
        ("encrypted", {"flags": 1}, "encrypted"),
        ("unknown method", {"method": 99}, "unknown compression method 99"),
        ("not deflate", {"raw": b"\xff" * 40}, "unreadable"),
        ("truncated stream", {"raw": _deflate(RECORD)[:8]}, "unreadable"),
    ],
)
def test_zip_damage_to_one_entry_is_a_named_problem(
    tmp_path: Path, name: str, damage: dict, expected: str
) -> None:
    members = plain(bag_files())
    target = next(m for m in members if m["name"].endswith(b"record.json"))
    target.update(damage)
    code, report, _ = verify_json(write_zip(tmp_path / "b.zip", members))
    assert code == 1 and not report["ok"], name
    text = problems(report)
    assert "data/posts/20/record.json" in text and expected in text, text


def test_hostile_tag_files_and_records(tmp_path: Path) -> None:
    files = bag_files()
    files["manifest-sha256.txt"] = (
        b"\xff\xfe not utf-8  data/README.txt\n" + files["manifest-sha256.txt"]
    )
    files["data/posts/20/post.json"] = b"[1, 2, 3]"
    files["data/posts/30/post.json"] = b"{" * 100_000  # deep enough to exhaust a parser's stack
    files["bag-info.txt"] = b"Payload-Oxum: \xff\xff\n"
    code, report, _ = verify_json(write_zip(tmp_path / "b.zip", plain(files)))
    text = problems(report)
    assert code == 1
    assert "manifest-sha256.txt: line 1 is not `DIGEST  PATH` in UTF-8" in text
    assert "data/posts/20/post.json: not a JSON object" in text
    assert "data/posts/30/post.json: not JSON" in text
    assert "bag-info.txt is not UTF-8" in text


def test_duplicate_names_links_and_unsafe_paths_in_a_zip(tmp_path: Path) -> None:
    files = bag_files()
    forged = member("bundle/data/posts/20/record.json", b'{"text": "forged"}')
    link = member("bundle/data/link", b"/etc/passwd", method=0, mode=0o120777)
    climb = member("bundle/../../evil.txt", b"x")
    code, report, _ = verify_json(
        write_zip(tmp_path / "b.zip", [forged, *plain(files), link, climb])
    )
    text = problems(report)
    assert code == 1
    assert "'bundle/data/posts/20/record.json' is in the zip 2 times" in text
    assert "a symbolic link in bundle: 'bundle/data/link'" in text
    assert "unsafe path in bundle: 'bundle/../../evil.txt'" in text


@pytest.mark.parametrize(
    "alias", ["bundle/./data/README.txt", "./bundle/data/README.txt", "bundle//data/README.txt",
              "BUNDLE/data/README.txt", "bundle/DATA/readme.txt"],
)  # fmt: skip
def test_names_that_unpack_to_one_file_are_a_forgery(tmp_path: Path, alias: str) -> None:
    """A second entry whose name unzip tools (or a case-blind disk) make the same file: the
    copy left in place may be the forged one."""
    forged = member(alias, b"a forged page\n")
    code, report, _ = verify_json(write_zip(tmp_path / "b.zip", [*plain(bag_files()), forged]))
    assert code == 1 and f"'bundle/data/README.txt', {alias!r} unpack to one file" in problems(
        report
    )


def test_a_file_outside_the_bag_is_a_problem(tmp_path: Path) -> None:
    stray = member("evil.html", b"<script>alert(1)</script>")
    code, report, _ = verify_json(write_zip(tmp_path / "b.zip", [*plain(bag_files()), stray]))
    assert code == 1 and "'evil.html' is outside the bag's folder" in problems(report)


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (b"MZ\x90\x00" * 64, b"", "bytes before the zip's first entry: not a bundle as written"),
        (b"", b"trailing", "bytes after the zip's end: not a bundle as written"),
    ],
    ids=["a-program-before", "bytes-after"],
)
def test_a_zip_inside_other_bytes_is_not_the_bundle(
    tmp_path: Path, before: bytes, after: bytes, said: str
) -> None:
    """A zip with bytes before it (a program that is a zip too) or after it reads as a zip, but
    its hash is no longer the bundle's that export wrote: a problem, whatever its entries say."""
    whole = write_zip(tmp_path / "b.zip", plain(bag_files())).read_bytes()
    (tmp_path / "b.zip").write_bytes(before + whole + after)
    code, report, _ = verify_json(tmp_path / "b.zip")
    assert code == 1 and problems(report) == said
    (tmp_path / "b.zip").write_bytes(whole)  # a comment is the zip's own (`zip -z`, git archive)
    with zipfile.ZipFile(tmp_path / "b.zip", "a") as commented:
        commented.comment = b"made from commit 0123abc"
    code, report, _ = verify_json(tmp_path / "b.zip")
    assert code == 0 and report["problems"] == []


@pytest.mark.parametrize("form", ["folder", "zip"])
def test_a_bag_that_lost_its_declaration_is_damaged_not_a_stranger(
    tmp_path: Path, form: str
) -> None:
    """bagit.txt gone, its manifests still there: a damaged bundle (exit 1), not something that
    was never a bag (exit 2)."""
    files = {n: d for n, d in bag_files().items() if n != "bagit.txt"}
    if form == "zip":
        path = write_zip(tmp_path / "b.zip", plain(files))
    else:
        path = tmp_path / "b"
        for name, data in files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_bytes(data)
    code, _, stderr = verify_json(path)
    assert code == 1 and "a bag whose bagit.txt is missing" in stderr


def test_a_folder_of_several_bags_or_with_files_beside_its_bag(tmp_path: Path) -> None:
    """A folder holding two bags is no bundle to call ok on the first one's word: verify each;
    a file beside a bag's folder is outside what its manifests cover, as in a zip."""
    for name in ("two/a", "two/b", "one/bundle"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        write_bag([Entry(n, d) for n, d in bag_files().items()], tmp_path / name)
    code, _, stderr = verify_json(tmp_path / "two")
    assert code == 2 and "holds 2 bags (a, b): verify each" in stderr
    (tmp_path / "one" / "NOTE.txt").write_text("trust me")
    code, report, _ = verify_json(tmp_path / "one")
    assert code == 1 and problems(report) == (
        "'NOTE.txt' is outside the bag's folder: no manifest covers it"
    )


def test_a_link_out_of_a_folder_bag_is_a_problem_and_never_followed(tmp_path: Path) -> None:
    entries = [Entry(name, data) for name, data in bag_files().items()]
    write_bag(entries, tmp_path / "bag")
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"a file outside the bag\n")
    readme = tmp_path / "bag" / "data" / "README.txt"
    readme.unlink()
    readme.symlink_to(secret)  # the manifest now lists a link that points outside
    (tmp_path / "bag" / "data" / "loop").symlink_to(tmp_path / "bag" / "data" / "loop")
    os.mkfifo(tmp_path / "bag" / "data" / "fifo")
    code, report, _ = verify_json(tmp_path / "bag")
    text = problems(report)
    assert code == 1
    assert "symbolic link in bundle: 'data/README.txt' (never followed)" in text
    assert "symbolic link in bundle: 'data/loop'" in text
    assert "a FIFO (named pipe) in bundle: 'data/fifo' (never opened)" in text
    assert "data/README.txt: listed in manifest-sha256.txt, missing" in text


@pytest.mark.parametrize(
    "what", ["fifo", "folder without a bag", "text file", "missing", "zip cut short"]
)
def test_what_is_not_a_bundle_is_one_line_exit_2(tmp_path: Path, what: str) -> None:
    """Not a bundle: exit 2; a zip cut short is a damaged bundle: exit 1, as any damage is."""
    target = tmp_path / "target"
    if what == "fifo":
        os.mkfifo(target)
    elif what == "folder without a bag":
        target.mkdir()
    elif what == "text file":
        target.write_text("hello")
    elif what == "zip cut short":
        whole = write_zip(tmp_path / "whole.zip", plain(bag_files())).read_bytes()
        target.write_bytes(whole[: len(whole) // 2])
    if what == "fifo":  # a FIFO once blocked here for ever: a real process, with a timeout
        result = subprocess.run(
            [sys.executable, "-m", "archiver", "verify", str(target)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    else:
        result = run_cli("verify", str(target))  # type: ignore[assignment]
    assert result.returncode == (1 if what == "zip cut short" else 2), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(target) in result.stderr
    if what == "zip cut short":
        assert "a damaged zip" in result.stderr


def test_a_zip_bomb_in_a_tag_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """bag-info.txt inflating to 1 GiB: read up to its limit, named, and memory stays small."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again or len(again) < 2048  # every MiB of zeros deflates alike from here
    raw = block + again * 1023 + packer.flush()
    crc = 0
    zero = bytes(1 << 20)
    for _ in range(1024):
        crc = zlib.crc32(zero, crc)
    files = bag_files()
    del files["bag-info.txt"]
    for name in ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):  # so it is not hashed
        lines = files[name].decode().splitlines(keepends=True)
        files[name] = "".join(line for line in lines if "bag-info" not in line).encode()
    bomb = member("bundle/bag-info.txt", b"", raw=raw, crc=crc, size=1 << 30)
    path = write_zip(tmp_path / "bomb.zip", [*plain(files), bomb])
    assert path.stat().st_size < 2 * 1024 * 1024
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "verify", str(path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    code, peak = wait_with_peak(proc)
    out, err = proc.communicate()
    assert code == 1, err
    report = json.loads(out)
    assert "bag-info.txt: unreadable (larger than 1,048,576 bytes (not read))" in problems(report)
    assert peak < 150, f"peak {peak:.0f} MiB"


def test_check_bundle_is_a_library_call(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "b.zip", plain(bag_files(), method=0))
    assert check_bundle(path).ok
    copy = tmp_path / "copy.zip"
    shutil.copy(path, copy)
    data = bytearray(copy.read_bytes())
    data[data.index(b"just setting up")] ^= 0x20  # one bit of a stored entry: its CRC fails
    copy.write_bytes(bytes(data))
    assert not check_bundle(copy).ok


def test_verify_bundle_reports_progress_per_file(tmp_path: Path) -> None:
    result = run_cli("verify", str(write_zip(tmp_path / "b.zip", plain(bag_files()))))
    lines = result.stderr.splitlines()
    assert result.returncode == 0 and len(lines) == 7, result.stderr
    assert lines[-1].startswith("verify: [7/7, ") and lines[-1].endswith(": ok")
    assert run_cli("verify", "-q", str(tmp_path / "b.zip")).stderr == ""


def test_a_file_no_manifest_lists_is_named(tmp_path: Path) -> None:
    """A tag file beside the manifests (allowed by BagIt) is not checked: verify says so with its
    verdict, even with -q (a file added later beside `bagit.txt` is vouched for by nothing)."""
    files = {**bag_files(), "NOTE.txt": b"added later\n"}
    bundle = write_zip(tmp_path / "b.zip", plain(files))
    report = check_bundle(bundle)
    assert report.ok and report.unchecked == ["NOTE.txt"]
    result = run_cli("verify", "-q", str(bundle))
    assert result.returncode == 0
    assert result.stdout.strip().endswith(": ok; not checked, in no manifest: NOTE.txt")
    assert result.stdout.startswith("checked 7 files, ")


def test_a_manifest_whose_lines_are_split_by_tabs_or_several_spaces_verifies(
    tmp_path: Path,
) -> None:
    """RFC 8493 (2.1.3) lets one or more spaces or tabs stand between a digest and its path,
    as other tools write them: such a whole bag verifies, and its damage is still found."""
    files = bag_files()
    for name in ("manifest-sha256.txt", "manifest-sha512.txt"):
        lines = files[name].decode().splitlines(keepends=True)
        files[name] = "".join(
            line.replace("  ", "\t" if i % 2 else " \t ", 1) for i, line in enumerate(lines)
        ).encode()
    files = {**files, **retagged(files)}
    report = check_bundle(write_zip(tmp_path / "b.zip", plain(files)))
    assert report.ok, [p.problem for p in report.problems]
    files["data/README.txt"] = b"another bundle\n"
    report = check_bundle(write_zip(tmp_path / "c.zip", plain(files)))
    found = [p.problem for p in report.problems]
    assert "data/README.txt: sha256 does not match manifest-sha256.txt" in found
    assert "data/README.txt: sha512 does not match manifest-sha512.txt" in found


def retagged(files: dict[str, bytes]) -> dict[str, bytes]:
    """The tag manifests made again for `files`' tag files (after a manifest was rewritten)."""
    from archiver.export.bagit import tag_manifest

    tags = [Entry(n, d) for n, d in files.items() if not n.startswith(("data/", "tagmanifest-"))]
    return {e.path: e.data for e in (tag_manifest(tags, a) for a in ("sha256", "sha512"))}  # type: ignore[misc]


@pytest.mark.parametrize("unicode_path", [False, True])
def test_a_zip_that_names_its_files_in_utf8_as_info_zip_does_verifies(
    tmp_path: Path, unicode_path: bool
) -> None:
    """`zip` (Info-ZIP) writes a UTF-8 name without the UTF-8 flag (and, in some builds, gives
    it again in a Unicode Path field, 0x7075): a bag with `données é.txt` in it, zipped again
    with `zip -r`, verifies as it did as a folder."""
    name = "data/données é.txt"
    payload = [Entry(p, d) for p, d in bag_files().items() if p.startswith("data/")]
    files = {e.path: e.data for e in build_bag([*payload, Entry(name, b"x")], [])}  # type: ignore[misc]
    members = []
    for path, data in files.items():
        raw = ("bundle/" + path).encode()
        unicode_path = struct.pack("<BI", 1, zlib.crc32(raw)) + raw
        field = struct.pack("<HH", 0x7075, len(unicode_path)) + unicode_path
        field = field if unicode_path and not raw.isascii() else b""
        members.append({**member("", data, extra=field), "name": raw})
    report = check_bundle(write_zip(tmp_path / "b.zip", members))
    assert report.ok, [p.problem for p in report.problems]


def test_a_unicode_path_field_that_names_another_file_is_a_problem(tmp_path: Path) -> None:
    """An entry whose raw name is `bundle/../evil.txt` and whose Unicode Path field (0x7075, its
    CRC right) says `bundle/data/ok.txt`: tools that read the raw name unpack something else
    than the one verified, so two names are a problem."""
    members = []
    for path, data in bag_files().items():
        raw = ("bundle/" + path).encode()
        members.append({**member("", data), "name": raw})
    evil = b"bundle/../evil.txt"
    alias = b"bundle/data/ok.txt"
    field = struct.pack("<BI", 1, zlib.crc32(evil)) + alias
    members.append({**member("", b"x", extra=struct.pack("<HH", 0x7075, len(field)) + field),
                    "name": evil})  # fmt: skip
    report = check_bundle(write_zip(tmp_path / "b.zip", members))
    assert not report.ok
    assert any("by its Unicode path: two names" in p.problem for p in report.problems)
    # a raw UTF-8 name the field renames (`café` as `cafë`), and a name with a NUL in it
    # (`manifest-sha256.txt\x00x`: unzip tools write the manifest the bag lists)
    raw = "bundle/data/café.txt".encode()
    field = struct.pack("<BI", 1, zlib.crc32(raw)) + "bundle/data/cafë.txt".encode()
    renamed = {
        **member("", b"x", extra=struct.pack("<HH", 0x7075, len(field)) + field),
        "name": raw,
    }
    nul = {**member("", b"forged"), "name": b"bundle/manifest-sha256.txt\x00x"}
    for odd, said in ((renamed, "two names"), (nul, "is in the zip 2 times")):
        report = check_bundle(write_zip(tmp_path / "c.zip", [*members[:-1], odd]))
        assert not report.ok and any(said in p.problem for p in report.problems), said


def test_a_file_listed_twice_in_a_manifest_is_a_problem(tmp_path: Path) -> None:
    """`sha256sum -c` reads the first line and other tools the last: a bag that lists a file
    twice lets each reader believe another digest."""
    files = bag_files()
    line = next(x for x in files["manifest-sha256.txt"].splitlines() if b"record.json" in x)
    files["manifest-sha256.txt"] = b"0" * 64 + line[64:] + b"\n" + files["manifest-sha256.txt"]
    report = check_bundle(write_zip(tmp_path / "b.zip", plain(files)))
    assert not report.ok
    assert any("listed twice in manifest-sha256.txt" in p.problem for p in report.problems)


def test_media_and_answers_are_tied_to_their_names_and_history_not_only_to_manifests(
    tmp_path: Path,
) -> None:
    """A bag remade with a photo swapped for another under the first one's name, a raw answer
    changed, and a post listing a photo the bag lacks: its manifests all agree, yet each is a
    problem, since the record's digest (what a citation quotes) no longer covers what is shown."""
    photo, other = b"\xff\xd8 the photo kept", b"\xff\xd8 another photo"
    answer = b'{"id_str": "20"}'
    digest = "sha256:" + hashlib.sha256(RECORD).hexdigest()
    photo_digest = "sha256:" + hashlib.sha256(photo).hexdigest()
    missing = "sha256:" + "0" * 64

    def bag(shown: bytes, raw: bytes, listed: list[str]) -> dict[str, bytes]:
        post = {"record_digest": digest, "media": [{"digest": d} for d in listed]}
        history = {
            "captures": [{"id": 7, "digest": "sha256:" + hashlib.sha256(answer).hexdigest()}]
        }
        payload = [
            Entry("data/posts/20/record.json", RECORD),
            Entry("data/posts/20/post.json", json.dumps(post).encode()),
            Entry("data/posts/20/history.json", json.dumps(history).encode()),
            Entry(f"data/posts/20/media/{photo_digest[7:]}.jpg", shown),
            Entry("data/posts/20/raw/000007-syndication.json", raw),
        ]
        return {e.path: e.data for e in build_bag(payload, [("Source-Organization", "t")])}  # type: ignore[misc]

    code, report, _ = verify_json(
        write_zip(tmp_path / "whole.zip", plain(bag(photo, answer, [photo_digest])))
    )
    assert code == 0 and report["ok"], report
    forged = bag(other, b'{"id_str": "21"}', [photo_digest, missing])
    code, report, _ = verify_json(write_zip(tmp_path / "forged.zip", plain(forged)))
    assert code == 1
    assert problems(report).splitlines() == [
        f"data/posts/20/media/{photo_digest[7:]}.jpg: does not hash to the SHA-256 it is named by",
        "data/posts/20/post.json: lists a photo or video the bundle does not hold",
        "data/posts/20/raw/000007-syndication.json: does not hash to the digest "
        "data/posts/20/history.json gives (gives another digest)",
    ]


RECORD_20 = b'{"status_id": "20", "handle": "jack", "text": "just setting up my twttr"}'
RECORD_21 = b'{"status_id": "21", "handle": "biz", "text": "just setting up my twttr too"}'


def remade(post: dict, entries: dict[str, bytes]) -> list[Entry]:
    """A bag remade whole (its manifests recomputed) around post 20's post.json and `entries`."""
    files = {"data/posts/20/post.json": json.dumps(post).encode(), **entries}
    return [Entry(name, data) for name, data in files.items()]


HOP_FILE = "data/links/t.co_Away12345a/raw/000002-resolve.html.txt"


def hop_report(digest: str) -> bytes:
    """A document bundle's report.json: one t.co citation that led to no post, its hop kept."""
    hop = {"url": "https://t.co/Away12345a", "digest": digest, "file": HOP_FILE[5:]}
    return json.dumps([{"match": "https://t.co/Away12345a", "hops": [hop]}]).encode()


def said(record: bytes) -> dict:
    return {"record_digest": "sha256:" + hashlib.sha256(record).hexdigest()}


@pytest.mark.parametrize(
    ("post", "entries", "problem"),
    [
        (
            said(RECORD_20),
            {},
            "data/posts/20/post.json: cites a record the bundle does not hold "
            "(data/posts/20/record.json)",
        ),
        (
            {**said(RECORD_21), "status_id": "20", "text": "just setting up my twttr too"},
            {"data/posts/20/record.json": RECORD_21},
            "data/posts/20/record.json: data/posts/20/post.json and the folder do not say what "
            "it says (status_id, folder)",
        ),
        (
            {**said(RECORD_20), "status_id": "20", "handle": "jack", "text": "FORGED TEXT"},
            {"data/posts/20/record.json": RECORD_20},
            "data/posts/20/record.json: data/posts/20/post.json and the folder do not say what "
            "it says (text)",
        ),
        (
            said(RECORD_20),
            {
                "data/posts/20/record.json": RECORD_20,
                "data/posts/20/history.json": json.dumps(
                    {
                        "captures": [
                            {"id": 4, "source": "syndication", "digest": "sha256:" + "a" * 64}
                        ]
                    }
                ).encode(),
            },
            "data/posts/20/history.json: lists capture 4, whose answer the bundle does not hold",
        ),
        (
            said(RECORD_20),
            {
                "data/posts/20/record.json": RECORD_20,
                "data/posts/20/raw/x000004-syndication.json": b"{}",
            },
            "data/posts/20/raw/x000004-syndication.json: named after no capture",
        ),
        (
            said(RECORD_20),
            {
                "data/posts/20/record.json": RECORD_20,
                "data/report.json": hop_report("sha256:" + hashlib.sha256(b"<head>").hexdigest()),
                HOP_FILE: b"<head>FORGED",
            },
            f"{HOP_FILE}: does not hash to the digest data/report.json gives",
        ),
        (
            said(RECORD_20),
            {"data/posts/20/record.json": RECORD_20, "data/report.json": hop_report("x")},
            f"data/report.json: lists an answer the bundle does not hold ({HOP_FILE})",
        ),
        (
            said(RECORD_20),
            {"data/posts/20/record.json": RECORD_20, "data/report.json": b"[]", HOP_FILE: b""},
            f"{HOP_FILE}: named after no hop data/report.json gives",
        ),
    ],
    ids=[
        "record-gone",
        "another-posts-record",
        "text-forged",
        "answer-gone",
        "answer-renamed",
        "hop-forged",
        "hop-gone",
        "hop-unlisted",
    ],
)
def test_a_bag_remade_without_its_evidence_or_with_anothers_is_no_bundle(
    tmp_path: Path, post: dict, entries: dict[str, bytes], problem: str
) -> None:
    """Manifests remade around a changed bag prove nothing: the record its post.json cites must
    be in it, be that post's (its folder's, its post.json's) and say what post.json shows; every
    answer history.json lists must be in it, and every answer named after a capture."""
    files = {
        e.path: e.data for e in build_bag(remade(post, entries), [("Source-Organization", "t")])
    }  # type: ignore[misc]
    code, report, _ = verify_json(write_zip(tmp_path / "b.zip", plain(files)))
    assert code == 1 and problems(report).splitlines() == [problem]


def test_a_trusted_time_claimed_with_no_stamp_and_hostile_raw_names(tmp_path: Path) -> None:
    """A post.json that says its record was timestamped, in a bag with no stamp at all (both
    folders removed), is a problem; a raw answer named by an id of thousands of digits (no name
    archiver writes) is no traceback."""
    digest = "sha256:" + hashlib.sha256(RECORD).hexdigest()
    post = {"record_digest": digest, "trusted_time": "timestamped by Some TSA at 2026-01-01"}
    payload = [
        Entry("data/posts/20/record.json", RECORD),
        Entry("data/posts/20/post.json", json.dumps(post).encode()),
        Entry("data/posts/20/history.json", b'{"captures": [{"id": 1, "digest": "x"}]}'),
        Entry(f"data/posts/20/raw/{'9' * 5000}-syndication.json", b"{}"),
    ]
    files = {e.path: e.data for e in build_bag(payload, [("Source-Organization", "t")])}  # type: ignore[misc]
    code, report, stderr = verify_json(write_zip(tmp_path / "b.zip", plain(files)))
    assert code == 1 and "Traceback" not in stderr
    assert problems(report).splitlines() == [
        f"data/posts/20/raw/{'9' * 182}: named after no capture",
        "data/posts/20/history.json: lists capture 1, whose answer the bundle does not hold",
        "data/posts/20/post.json: says its record was timestamped, but no stamped custody record"
        " of the bundle lists the record it holds",
    ]


def test_a_report_too_large_to_read_is_no_damage_unless_its_hops_depend_on_it(
    tmp_path: Path, monkeypatch
) -> None:
    """A document bundle's report.json past what verify reads whole (here made small) is
    vouched for by the manifests alone: no problem, unless answers under data/links/ need
    it to be checked, which is then said."""
    from archiver.verify import contents

    monkeypatch.setattr(contents, "MAX_HISTORY", 1024)
    big = json.dumps([{"match": "x" * 100, "status": "archived"}] * 40).encode()
    post = said(RECORD_20)
    for extra, problem in (({}, None), ({HOP_FILE: b""}, "answers under data/links/ not checked")):
        entries = remade(post, {"data/posts/20/record.json": RECORD_20, "data/report.json": big})
        entries += [Entry(name, data) for name, data in extra.items()]
        files = {e.path: e.data for e in build_bag(entries, [("Source-Organization", "t")])}  # type: ignore[misc]
        code, report, _ = verify_json(write_zip(tmp_path / f"b{len(extra)}.zip", plain(files)))
        if problem is None:
            assert code == 0 and report["ok"], report
        else:
            assert code == 1 and problem in problems(report), report

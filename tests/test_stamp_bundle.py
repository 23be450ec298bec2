"""Stamped bundles: a real bag, stamped by a loopback OpenSSL TSA, checked by archiver, by
bagit-python and by the README's own commands (sha256sum, openssl); then damaged."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import bagit
import pytest
from stamp_tsa import LoopbackTsas

from archiver.export.bagit import Entry, build_bag, write_folder
from archiver.stamp import bundle
from archiver.stamp.bundle import (
    README_SECTION,
    stamp_bag_folder,
    verify_bag_folder,
    verify_bag_stamps,
)
from archiver.stamp.trust import Trust
from archiver.stamp.tsa import Reason

TOKEN = "timestamps/tagmanifest-sha256.txt.tsr"


@pytest.fixture
def tsas(replay, tmp_path: Path) -> LoopbackTsas:
    return LoopbackTsas(replay, tmp_path / "pki")


def make_bag(folder: Path, text: str = "one post") -> Path:
    payload = [
        Entry("data/README.txt", README_SECTION.encode()),
        Entry("data/posts/20/record.json", json.dumps({"text": text}).encode()),
        Entry("data/posts/20/photo.jpg", bytes(range(256)) * 40),
    ]
    write_folder(build_bag(payload, [("Source-Organization", "Loopback")]), folder)
    return folder


def readme_check(folder: Path) -> subprocess.CompletedProcess[str]:
    """The README's first block of commands, run as written, in the bag's folder."""
    block = README_SECTION.split("\n\n")[2]
    return subprocess.run(
        ["bash", "-ec", block], cwd=folder, capture_output=True, text=True, timeout=60
    )


def openssl_with(folder: Path, roots: Path) -> bool:
    result = subprocess.run(
        ["openssl", "ts", "-verify", "-in", TOKEN, "-data", "tagmanifest-sha256.txt"]
        + ["-CAfile", str(roots), "-untrusted", "timestamps/chain.pem"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    return result.returncode == 0


def test_a_stamped_bag_checks_with_archiver_bagit_and_the_readme_commands(tsas, tmp_path) -> None:
    folder = make_bag(tmp_path / "bag")
    stamped_before = (folder / "tagmanifest-sha256.txt").read_bytes()
    result = stamp_bag_folder(folder, [tsas.url("good")], tsas.trust)
    assert len(result.stamps) == 1 and not result.failures
    assert [name for name, _ in result.files] == [
        TOKEN,
        "timestamps/chain.pem",
        "timestamps/root.pem",
    ]
    assert (folder / TOKEN).read_bytes() == result.stamps[0].response
    assert (folder / "tagmanifest-sha256.txt").read_bytes() == stamped_before
    listed = {line.split("  ")[1] for line in (folder / "tagmanifest-sha512.txt").open()}
    assert listed == {
        "bagit.txt\n",
        "bag-info.txt\n",
        "manifest-sha256.txt\n",
        "manifest-sha512.txt\n",
        *(f"{name}\n" for name, _ in result.files),
    }

    bagit.Bag(str(folder)).validate()  # the Library of Congress' own checker agrees
    readme = readme_check(folder)
    assert readme.returncode == 0 and "Verification: OK" in readme.stdout, readme.stderr
    checked = verify_bag_folder(folder, tsas.trust)
    assert checked.stamped and not checked.problems
    assert [(path, s.tsa) for path, s in checked.stamps] == [(TOKEN, "Loopback TSA")]
    shown = subprocess.run(
        ["openssl", "ts", "-reply", "-in", TOKEN, "-text"], cwd=folder, capture_output=True
    )
    assert b"Time stamp:" in shown.stdout and b"Loopback TSA" in shown.stdout


def test_one_changed_byte_fails_archiver_and_the_standard_tools(tsas, tmp_path) -> None:
    original = make_bag(tmp_path / "bag")
    stamp_bag_folder(original, [tsas.url("good")], tsas.trust)
    for number, name in enumerate(
        ("tagmanifest-sha256.txt", "bag-info.txt", "data/posts/20/photo.jpg")
    ):
        folder = tmp_path / f"copy-{number}"
        shutil.copytree(original, folder)
        damaged = bytearray((folder / name).read_bytes())
        at = 0 if name.startswith("tagmanifest") else len(damaged) // 2  # a digest's first digit
        damaged[at] = ord("0") if damaged[at] != ord("0") else ord("1")
        (folder / name).write_bytes(bytes(damaged))
        assert readme_check(folder).returncode != 0, name
        with pytest.raises(bagit.BagValidationError):
            bagit.Bag(str(folder)).validate()
        checked = verify_bag_folder(folder, tsas.trust)
        if name == "tagmanifest-sha256.txt":
            assert [(p, r.split(":")[0]) for p, r in checked.problems] == [
                (TOKEN, Reason.WRONG_IMPRINT)
            ]
            assert not openssl_with(folder, tsas.roots_pem)
        else:  # the stamp still dates the manifests; the manifests catch the file
            assert checked.stamps and not checked.problems
            assert openssl_with(folder, tsas.roots_pem)


def test_a_token_moved_to_another_bundle_fails(tsas, tmp_path) -> None:
    first = make_bag(tmp_path / "first", "one post")
    second = make_bag(tmp_path / "second", "another post")
    stamp_bag_folder(first, [tsas.url("good")], tsas.trust)
    shutil.copytree(first / "timestamps", second / "timestamps")
    checked = verify_bag_folder(second, tsas.trust)
    assert not checked.stamps and checked.problems[0][1].startswith(Reason.WRONG_IMPRINT)
    assert not openssl_with(second, tsas.roots_pem)
    assert readme_check(second).returncode != 0


def test_a_forged_stamp_under_the_forgers_own_root_is_untrusted(tsas, tmp_path) -> None:
    folder = make_bag(tmp_path / "bag")
    anyone = Trust.from_pem(tsas.stranger_root.pem())
    forged = stamp_bag_folder(folder, [tsas.url("stranger")], anyone)
    assert len(forged.stamps) == 1
    checked = verify_bag_folder(folder, tsas.trust)
    assert [(p, r.split(":")[0]) for p, r in checked.problems] == [(TOKEN, Reason.UNTRUSTED)]
    # openssl trusts whatever root it is given: the bundle's own root.pem says nothing alone,
    # which is why the README asks to compare it with the TSA's, or to bring one's own
    assert readme_check(folder).returncode == 0
    assert not openssl_with(folder, tsas.roots_pem)


def test_several_tsas_each_leave_a_stamp_and_failures_are_reported(tsas, tmp_path) -> None:
    folder = make_bag(tmp_path / "bag")
    urls = [tsas.url("garbage"), tsas.url("good"), tsas.url("bare"), tsas.url("expired")]
    result = stamp_bag_folder(folder, urls, tsas.trust)
    assert len(result.stamps) == 1 and {f.reason for f in result.failures} == {
        Reason.NOT_A_RESPONSE,
        Reason.UNTRUSTED,  # the bare token lacks its intermediate, which no setting gives
        Reason.EXPIRED,
    }
    trust_both = Trust.from_pem(tsas.root.pem() + tsas.intermediate.pem())
    more = stamp_bag_folder(make_bag(tmp_path / "two"), urls[1:3], trust_both)
    assert [n for n, _ in more.files][3:] == [
        "timestamps/tagmanifest-sha256.txt.2.tsr",
        "timestamps/chain.2.pem",
        "timestamps/root.2.pem",
    ]
    checked = verify_bag_folder(tmp_path / "two", tsas.trust)
    assert [p for p, _ in checked.stamps] == [TOKEN, "timestamps/tagmanifest-sha256.txt.2.tsr"]
    bagit.Bag(str(tmp_path / "two")).validate()


def test_nothing_is_written_when_no_tsa_stamps(tsas, tmp_path) -> None:
    folder = make_bag(tmp_path / "bag")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = stamp_bag_folder(folder, [tsas.url("garbage")], tsas.trust, timeout=2)
    assert not result.stamps and len(result.failures) == 1
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    unstamped = verify_bag_folder(folder, tsas.trust)
    assert not unstamped.stamped


def test_a_zipped_bag_checks_the_same(tsas, tmp_path) -> None:
    folder = make_bag(tmp_path / "bag")
    stamp_bag_folder(folder, [tsas.url("good")], tsas.trust)
    (folder / "timestamps" / "chain.pem").unlink()  # the token carries its chain anyway
    archive = shutil.make_archive(str(tmp_path / "bag"), "zip", folder)
    with zipfile.ZipFile(archive) as bag:
        checked = verify_bag_stamps(bag.namelist(), bag.read, tsas.trust)
    assert len(checked.stamps) == 1 and not checked.problems
    with zipfile.ZipFile(archive) as bag:
        names = [n for n in bag.namelist() if n != "tagmanifest-sha256.txt"]
        missing = verify_bag_stamps(names, bag.read, tsas.trust)
    assert missing.problems == [("tagmanifest-sha256.txt", bundle.MISSING)]

"""A zip as `unzip` reads it: an entry's name (`zip`, Info-ZIP, writes UTF-8 names without the
UTF-8 flag, and may give them again in a Unicode Path field, 0x7075, which a forger can make
name another file than the raw name does), and bytes around the zip that no entry holds."""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from typing import BinaryIO


def unicode_name(info: zipfile.ZipInfo) -> str:
    """An entry's name. zipfile reads a name not flagged UTF-8 as cp437, but `zip` (Info-ZIP)
    writes one in UTF-8 unflagged, as `unzip` then makes it: the name is read as UTF-8 when
    it is, or from Info-ZIP's Unicode Path field (0x7075, APPNOTE 4.6.9) when that is for
    these bytes (its CRC-32 says so); else as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.orig_filename.split("\x00")[0].encode("cp437")  # (cut at a NUL, as zipfile's)
    extra, at = info.extra, 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        data, at = extra[at + 4 : at + 4 + size], at + 4 + size
        if kind == 0x7075 and data[:5] == struct.pack("<BI", 1, zlib.crc32(raw)):
            raw = data[5:]
            break
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return info.filename


def renamed(info: zipfile.ZipInfo, name: str) -> bool:
    """Whether `name` (read from the entry's Unicode Path field) names another file than the
    entry's raw name: the raw name itself when it is UTF-8, else its ASCII characters (what
    reading it in one encoding or another leaves alone)."""
    raw = info.orig_filename
    try:
        return raw.encode("cp437").decode("utf-8") != name
    except (UnicodeError, ValueError):
        return "".join(c for c in raw if c < "\x80") != "".join(c for c in name if c < "\x80")


def framing(handle: BinaryIO) -> list[str]:
    """Bytes before a zip's first entry or after its end (a zip inside another file: a program
    that is a zip too): none that export writes, none a manifest covers."""
    problems = []
    handle.seek(0)
    if handle.read(4) != b"PK\x03\x04":
        problems.append("bytes before the zip's first entry: not a bundle as written")
    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(0, size - END_REACH))
    tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")  # the end record: 22 bytes, then its comment, if any
    if end < 0 or int.from_bytes(tail[end + 20 : end + 22], "little") != len(tail) - end - 22:
        problems.append("bytes after the zip's end: not a bundle as written")
    handle.seek(0)
    return problems


END_REACH = 22 + 65535  # the end record and the longest comment a zip may give it

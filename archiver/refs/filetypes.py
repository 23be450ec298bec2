"""What a file is, from its first bytes: text (in which encoding), a package archiver reads
(PDF, Word), one it names but does not read (OpenDocument, Excel, EPUB, a zip), or a binary."""

from __future__ import annotations

import codecs
import re

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\x7fELF",
    b"SQLite format 3",
)


def sniff(head: bytes) -> tuple[str | None, int]:
    """(encoding, BOM length) for the start of a file; encoding None means binary."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    if head.startswith(BINARY_MAGIC):
        return None, 0
    sample = head[:8192]
    nuls = sample.count(0)
    if nuls:
        wide = _utf16(sample)  # UTF-16 saved without its BOM: every other byte NUL
        if wide is not None:
            return wide, 0
        if nuls > max(2, len(sample) // 100):  # a stray NUL or two is text's; more, a binary's
            return None, 0
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\x1b")
    if sample and controls / len(sample) > 0.1:
        return None, 0
    return "utf-8", 0


# An HTML page's or an XML file's own word on its encoding: `<meta charset="…">`,
# `<meta http-equiv="Content-Type" content="text/html; charset=…">`, `<?xml … encoding="…"?>`
DECLARED_RE = re.compile(
    rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]{1,40})|<\?xml[^>]{0,100}?encoding\s*=\s*"
    rb"[\"']([\w.:-]{1,40})",
    re.IGNORECASE,
)
# Labels as browsers read them (the WHATWG Encoding Standard): each the superset it stands for
SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
}


# The legacy encodings a page may declare and be written in (Python's names for them); any
# other label (UTF-16 or -32 declared in a file read as bytes, a codec of bytes such as base64)
# is not taken
LEGACY_RE = re.compile(
    r"cp\d{3,4}|iso8859-\d{1,2}|koi8-[ru]|mac-[a-z]+|shift_jis|euc_jp|euc_kr|iso2022_jp[\w-]*"
    r"|gb18030|gbk|gb2312|big5(?:hkscs)?|tis-620"
)


def browser_encoding(label: str | None) -> str | None:
    """The legacy encoding a charset label names, as a browser reads it (the superset it stands
    for: `Shift_JIS` as Windows' cp932); None for UTF-8, for a label of no legacy text encoding
    and for one Python does not know."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(SUPERSETS.get(label, label)).name
    except LookupError:
        return None
    return name if LEGACY_RE.fullmatch(name) else None


def declared(head: bytes) -> str | None:
    """The legacy encoding a page or an XML file (`head` starts with markup) declares in its
    first bytes, as a browser reads it; None when it declares none or UTF-8."""
    if head.lstrip()[:1] != b"<":
        return None
    found = DECLARED_RE.search(head[:4096])
    if found is None:
        return None
    return browser_encoding((found.group(1) or found.group(2)).decode("ascii"))


def utf8(data: bytes) -> bool:
    """Whether `data` is UTF-8 (its last character perhaps cut short)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def _utf16(sample: bytes) -> str | None:
    """UTF-16's byte order for text written in it without a BOM (Latin text: the high byte of
    most characters is NUL, on one side only), or None."""
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 8:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        order = "utf-16-le"
    elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        order = "utf-16-be"
    else:
        return None
    text = sample[: len(sample) // 2 * 2].decode(order, "replace")
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f\x1b")
    return order if controls <= 0.1 * len(text) else None  # else binary, as it looks


# Packaged formats archiver does not read, told apart by what their zip holds first.
PACKAGES = (
    (b"application/epub+zip", "an EPUB book (convert it to PDF or text)"),
    (b"xl/", "an Excel workbook (save its sheets as CSV)"),
    (b"ppt/", "a PowerPoint file (save it as PDF)"),
)


def skipped(head: bytes) -> str:
    """Why a binary file is skipped, naming what it is when a user can convert it."""
    if head.startswith(b"PK\x03\x04"):
        said = next((why for mark, why in PACKAGES if mark in head[:4096]), None)
        return f"not read: {said or 'a zip archive (unpack it and name its files)'}"
    return "binary file skipped"


def packaged(head: bytes, suffix: str) -> str | None:
    """'pdf', 'docx', 'opendocument', 'rtf' or 'webarchive' for the formats read whole, else
    None. A PDF starts with `%PDF-`; readers allow junk before it (up to 1 KiB), here only in a
    file named .pdf, so that a text that mentions `%PDF-1.7` stays text."""
    from .opendoc import is_opendocument
    from .rtf import is_rtf
    from .webarchive import is_webarchive

    if is_rtf(head):
        return "rtf"
    if is_webarchive(head, suffix):
        return "webarchive"
    if is_opendocument(head, suffix):
        return "opendocument"
    if head.startswith(b"%PDF-") or (suffix.lower() == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and (
        suffix.lower() in (".docx", ".docm", ".dotx") or b"word/" in head
    ):
        return "docx"
    return None

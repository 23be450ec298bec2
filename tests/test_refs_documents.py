"""PDF and Word files that cite posts, made here with pypdf and python-docx (no binaries are
committed): pages and paragraphs as positions, link annotations and hyperlinks as URLs."""

from __future__ import annotations

import codecs
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import run_cli, wait_with_peak
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from archiver.refs import extract_paths

LEADING = 14


def _pdf_text(line: str) -> bytes:
    raw = line.encode("cp1252")  # WinAnsiEncoding: the em dash and curly quotes fit
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: list[tuple[list[str], list[tuple]]]) -> bytes:
    """A PDF whose pages hold `lines` of Helvetica text from the top, and link annotations
    over (line number, URL), or (line number, URL, the rectangle given the line's baseline)."""
    writer = PdfWriter()
    for number, (lines, links) in enumerate(pages):
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        shown = b" ".join(_pdf_text(line) + b" Tj T*" for line in lines)
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 9 Tf 40 750 Td %d TL " % LEADING + shown + b" ET")
        page[NameObject("/Contents")] = writer._add_object(stream)
        for line, url, *box in links:
            y = 750 - (line - 1) * LEADING
            rect = box[0](y) if box else (40, y - 2, 400, y + 9)
            writer.add_annotation(page_number=number, annotation=Link(rect=rect, url=url))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ARTICLE = [
    "The regime's forces withdrew from the city overnight, and by the morning the rebels",
    "controlled the roads to the south, according to officials in the region.",
    "",
    "Homs control map as of today. Rebels are at the gates of Homs city.",
    "\u2014 Liveuamap MiddleEast (@lummideast) December 6, 2024",
    "",
    "The statement came a day after the militia's post (see the original).",
]
REFERENCES = [
    "References",
    "Athar, Sohaib (ReallyVirtual). \u201cHelicopter hovering above Abbottabad at 1AM (is a",
    "rare event).\u201d 1 May 2011, 3:58 p.m. Tweet.",
    "NASA [@NASA]. (2024, November 15). Today marks 25 years since the launch of the first",
    "International Space Station module, Zarya [Tweet]. X. https://x.com/NASA/status/1857344100000000000",
]


def extract_one(path: Path) -> tuple[list[dict], object]:
    (doc,) = extract_paths([str(path)])
    refs = [r.to_dict() for r in doc.refs]
    return refs, doc


def test_a_pdf_report_gives_pages_and_its_links(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(
        make_pdf(
            [
                (
                    ARTICLE,
                    [
                        (5, "https://twitter.com/lummideast/status/1864994181010350326"),
                        (7, "https://x.com/clashreport/status/1865063522435358835"),
                    ],
                ),
                (REFERENCES, []),
            ]
        )
    )
    refs, doc = extract_one(path)
    assert doc.error is None and not doc.skipped
    (embed,) = [r for r in refs if r["kind"] == "attribution"]
    assert (embed["page"], embed["line"], embed["handle"]) == (1, 5, "lummideast")
    assert embed["status_id"] == "1864994181010350326"  # the annotation on its byline
    assert embed["text"] == "Homs control map as of today. Rebels are at the gates of Homs city."
    (linked,) = [r for r in refs if r["kind"] == "status_url"]
    assert (linked["page"], linked["line"], linked["status_id"]) == (1, 7, "1865063522435358835")
    cited = {r["handle"]: r for r in refs if r["kind"] == "citation"}
    assert cited["ReallyVirtual"]["page"] == 2 and cited["ReallyVirtual"]["line"] == 2
    assert cited["ReallyVirtual"]["time"] == "15:58"
    assert cited["ReallyVirtual"]["text"].startswith("Helicopter hovering above Abbottabad")
    assert cited["NASA"]["status_id"] == "1857344100000000000"
    assert cited["NASA"]["date"] == "2024-11-15"


def test_a_pdf_whose_lines_cut_dates_and_urls(tmp_path: Path) -> None:
    """A PDF's lines end where the page does: inside an entry's date, before its URL, after a
    URL's slash. Each post is still read whole, and no author becomes an account."""
    lines = [
        'Athar, Sohaib (ReallyVirtual). "Helicopter hovering above Abbottabad at 1AM (is a rare',
        'event)." 1 May',
        "2011, 3:58 p.m. Tweet.",
        "Donald J. Trump (@realDonaldTrump), Twitter (Jan. 8, 2021, 9:46 AM), https://twitter.com/",
        "realDonaldTrump/status/1347555316863553542.",
        "Trump, Donald J. (@realDonaldTrump), Twitter (Jan. 27, 2017, 6:53 AM),",
        "https://twitter.com/realDonaldTrump/status/825030212398571521.",
        "As Musk said (https://x.com/elonmusk/",
        "status/1585841080431321088), the bird was freed.",
    ]
    path = tmp_path / "filing.pdf"
    path.write_bytes(make_pdf([(lines, [])]))
    refs, _ = extract_one(path)
    assert [(r["kind"], r["handle"], r["date"], r["status_id"]) for r in refs] == [
        ("citation", "ReallyVirtual", "2011-05-01", None),
        ("citation", "realDonaldTrump", "2021-01-08", "1347555316863553542"),
        ("citation", "realDonaldTrump", "2017-01-27", "825030212398571521"),
        ("status_url", "elonmusk", None, "1585841080431321088"),
    ]
    assert refs[3]["url"] == "https://x.com/elonmusk/status/1585841080431321088"


def test_a_link_over_words_is_placed_on_its_own_line_and_word(tmp_path: Path) -> None:
    """A link whose rectangle reaches up to the line above (as writers draw it: from below the
    baseline to a font size above it) is anchored on its own line, where its words start: it is
    not the post of the citation on the line above."""
    lines = [
        'Athar, Sohaib (ReallyVirtual). "Helicopter hovering above Abbottabad." 1 May 2011. Tweet.',
        "Hours later the White House confirmed it on Twitter.",
    ]
    # "confirmed it" begins 28 characters in; Helvetica's letters are about half an em wide
    over = (
        2,
        "https://twitter.com/WhiteHouse/status/64913264479735808",
        lambda y: (158, y - 3, 210, y + LEADING),
    )
    path = tmp_path / "links.pdf"
    path.write_bytes(make_pdf([(lines, [over])]))
    refs, _ = extract_one(path)
    assert [(r["kind"], r["line"], r["status_id"]) for r in refs] == [
        ("citation", 1, None),
        ("status_url", 2, "64913264479735808"),
    ]
    assert 20 <= refs[1]["column"] <= 32


def test_a_pdf_through_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "one.pdf"
    path.write_bytes(make_pdf([(["See https://x.com/jack/status/20 for the first post."], [])]))
    result = run_cli("extract", str(path), "--jsonl")
    assert result.returncode == 0, result.stderr
    (ref,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (ref["status_id"], ref["page"], ref["line"], ref["column"]) == ("20", 1, 1, 5)


def test_pages_past_the_drawing_limits_are_left_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    """A page holding more drawing than a page of text ever does is left, and past the
    document's budget the rest is, each with a warning: a small file cannot keep a run for
    hours."""
    from archiver.refs import pdf

    lines = [f"https://x.com/jack/status/{n}" for n in range(20, 24)]
    pages = [([line, "filler " * 40 * (n == 1)], []) for n, line in enumerate(lines)]
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf(pages))
    monkeypatch.setattr(pdf, "PAGE_CONTENT", 200)  # page 2's stream (356 bytes) is larger
    monkeypatch.setattr(pdf, "DOCUMENT_CONTENT", 200)  # pages 1 and 3 fit (76 each), not 4
    refs, doc = extract_one(path)
    assert [(r["status_id"], r["page"]) for r in refs] == [("20", 1), ("22", 3)]
    assert doc.warnings[0].startswith("page 2: not read (")
    assert doc.warnings[1].startswith("pages 4-4: not read (")


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF written by hand, object by object (for shapes no writer makes)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)


# Acrobat's "encrypt with certificate": a public-key handler pypdf does not implement.
PUBSEC = raw_pdf(
    [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 4 /R 4 /Length 128 >>",
    ],
    b"/Encrypt 3 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
)


@pytest.mark.parametrize(
    ("body", "words"),
    [(b"%PDF-1.7\n" + b"\x00garbage" * 100, "not a readable PDF"), (PUBSEC, "encrypted")],
)
def test_a_broken_pdf_is_one_clear_error(tmp_path: Path, body: bytes, words: str) -> None:
    path, after = tmp_path / "broken.pdf", tmp_path / "next.txt"
    path.write_bytes(body)
    after.write_text("https://x.com/jack/status/20\n")
    result = run_cli("extract", str(path), str(after), "--jsonl")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert '"status_id": "20"' in result.stdout  # the next file is still read


def _hyperlink(paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run, shown = OxmlElement("w:r"), OxmlElement("w:t")
    shown.text = text
    run.append(shown)
    link.append(run)
    paragraph._p.append(link)


FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">1. Conan O\'Brien (@ConanOBrien), '
    "\u201cIn honor of Earth Day, I\u2019m recycling my tweets,\u201d Twitter, April 22, 2015, "
    '11:10 a.m., </w:t></w:r><w:hyperlink r:id="rIdLink1"><w:r><w:t>the post</w:t></w:r>'
    "</w:hyperlink></w:p></w:footnote></w:footnotes>"
)
FOOTNOTE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdLink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/hyperlink" Target="https://twitter.com/ConanOBrien/status/590940792967016448" '
    'TargetMode="External"/></Relationships>'
)


def test_a_word_filing_gives_paragraphs_tables_notes_and_hyperlinks(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Exhibit 4. The defendant's account published the following:")
    document.add_paragraph("Homs control map as of today. Rebels are at the gates of Homs city.")
    byline = document.add_paragraph("\u2014 Liveuamap MiddleEast (@lummideast) ")
    status = "https://twitter.com/lummideast/status/1864994181010350326"
    _hyperlink(byline, status, "December 6, 2024")
    see = document.add_paragraph("Compare ")
    _hyperlink(see, "https://x.com/clashreport/status/1865063522435358835?s=20", "this post")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "APA"
    table.cell(0, 1).text = (
        "NASA [@NASA]. (2024, November 15). Today marks 25 years since the launch of the first "
        "International Space Station module, Zarya [Tweet]. X."
    )
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(tmp_path / "f.docx", "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("word/footnotes.xml", FOOTNOTES)
        out.writestr("word/_rels/footnotes.xml.rels", FOOTNOTE_RELS)
    refs, doc = extract_one(tmp_path / "f.docx")
    assert doc.error is None
    (embed,) = [r for r in refs if r["kind"] == "attribution"]
    assert (embed["line"], embed["column"], embed["status_id"]) == (3, 1, "1864994181010350326")
    assert embed["text"] == "Homs control map as of today. Rebels are at the gates of Homs city."
    (linked,) = [r for r in refs if r["kind"] == "status_url"]
    assert (linked["line"], linked["column"]) == (4, 9)  # "this post" in paragraph 4
    assert linked["status_id"] == "1865063522435358835"
    cited = {r["handle"]: r for r in refs if r["kind"] == "citation"}
    assert (cited["NASA"]["line"], cited["NASA"]["column"]) == (6, 1)  # the table's 2nd cell
    note = cited["ConanOBrien"]
    assert note["line"] == 7 and note["style"] == "chicago" and note["time"] == "11:10"
    assert note["status_id"] == "590940792967016448"  # the footnote's hyperlink
    assert all(r["page"] is None for r in refs)


def test_the_same_words_linked_twice_in_word_are_two_places(tmp_path: Path) -> None:
    """`Earlier reporting is [here] and [here]`, each word linked to another post: each
    reference stands where its own link is."""
    document = docx.Document()
    para = document.add_paragraph("Earlier reporting is ")
    _hyperlink(para, "https://x.com/a/status/1865063522435358835", "here")
    para.add_run(" and ")
    _hyperlink(para, "https://x.com/b/status/1865063522435358836", "here")
    document.save(tmp_path / "h.docx")
    refs, _ = extract_one(tmp_path / "h.docx")
    assert [(r["status_id"], r["column"]) for r in refs] == [
        ("1865063522435358835", 22),
        ("1865063522435358836", 31),
    ]


def word_parts(paragraphs: bytes = b"") -> tuple[dict[str, bytes], bytes]:
    """A Word document's parts as python-docx saves them, `paragraphs` (raw XML) added at the
    start of its body; and the body's XML."""
    document = docx.Document()
    document.add_paragraph("see https://twitter.com/jack/status/20")
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    body = parts["word/document.xml"]
    at = body.find(b"<w:body>") + len(b"<w:body>")
    parts["word/document.xml"] = body[:at] + paragraphs + body[at:]
    return parts, parts["word/document.xml"]


def zipped(parts: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_a_word_comments_source_is_read_after_the_notes(tmp_path: Path) -> None:
    """Editors and fact-checkers put a claim's source in a comment (`word/comments.xml`, which
    the document's relationships name as Word writes them): it is read as the notes are."""
    parts, _ = word_parts()
    parts["word/comments.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:comment w:id="0" w:author="Editor"><w:p><w:r><w:t>Source is '
        b"https://x.com/Editor/status/1864956397312987487</w:t></w:r></w:p></w:comment>"
        b"</w:comments>"
    )
    rels = parts["word/_rels/document.xml.rels"]
    parts["word/_rels/document.xml.rels"] = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/comments" Target="comments.xml"/></Relationships>',
    )
    refs, doc = extract_one(zipped(parts, tmp_path / "c.docx"))
    assert doc.error is None
    assert [r["status_id"] for r in refs] == ["20", "1864956397312987487"]


def test_what_word_shows_is_read_wherever_it_is_nested(tmp_path: Path) -> None:
    """A bibliography's content control, an inline control, a tracked insertion, a HYPERLINK
    field, a smart tag: Word shows their text; a tracked deletion it does not."""
    t = b"<w:r><w:t>https://twitter.com/jack/status/%d</w:t></w:r>"
    added = (
        b"<w:sdt><w:sdtContent><w:p>" + t % 21 + b"</w:p></w:sdtContent></w:sdt>"
        b"<w:p><w:sdt><w:sdtContent>" + t % 22 + b"</w:sdtContent></w:sdt></w:p>"
        b'<w:p><w:ins w:id="1" w:author="Ed">' + t % 23 + b"</w:ins></w:p>"
        b'<w:p><w:fldSimple w:instr=" HYPERLINK &quot;https://x.com/jack/status/24&quot; ">'
        b"<w:r><w:t>the post</w:t></w:r></w:fldSimple></w:p>"
        b'<w:p><w:smartTag w:uri="x" w:element="y">' + t % 25 + b"</w:smartTag></w:p>"
        b'<w:p><w:del w:id="2" w:author="Ed"><w:r><w:delText>https://twitter.com/jack/status/26'
        b"</w:delText></w:r></w:del></w:p>"
    )
    parts, _ = word_parts(added)
    refs, doc = extract_one(zipped(parts, tmp_path / "report.docx"))
    assert doc.error is None
    found = {r["status_id"]: r["line"] for r in refs if r["kind"] == "status_url"}
    # the paragraph that holds only deleted text is an empty line: "20" is on line 7
    assert found == {"21": 1, "22": 2, "23": 3, "24": 4, "25": 5, "20": 7}, found


def test_a_hyperlink_field_word_split_over_runs_is_read_whole(tmp_path: Path) -> None:
    """A complex field (`fldChar` begin, instruction, separate, result, end) whose instruction
    Word wrote in several runs, as it does after an edit: the address is the runs joined."""
    split = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        b'<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://twitter.com/PO</w:instrText>'
        b'</w:r><w:r><w:instrText>TUS/status/1346928882595885058" </w:instrText></w:r>'
        b'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the post</w:t></w:r>'
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    parts, _ = word_parts(split)
    refs, doc = extract_one(zipped(parts, tmp_path / "split.docx"))
    assert doc.error is None
    found = [(r["status_id"], r["handle"]) for r in refs if r["kind"] == "status_url"]
    assert ("1346928882595885058", "POTUS") in found and len(found) == 2, found


def test_word_lines_are_its_paragraphs_as_word_numbers_them(tmp_path: Path) -> None:
    """Empty paragraphs count; a paragraph's tab stops are no text; a text box written twice
    (mc:Choice and its mc:Fallback copy) is read once."""
    box = (
        b'<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/'
        b'markup-compatibility/2006"><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>'
        b"https://x.com/a/status/21</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback>"
        b"<w:txbxContent><w:p><w:r><w:t>https://x.com/a/status/21</w:t></w:r></w:p>"
        b"</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    added = (
        b"<w:p><w:r><w:t>Intro</w:t></w:r></w:p><w:p/><w:p/>"
        b'<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr></w:p>' + box
    )
    parts, _ = word_parts(added)
    refs, doc = extract_one(zipped(parts, tmp_path / "lines.docx"))
    found = [(r["status_id"], r["line"]) for r in refs if r["kind"] == "status_url"]
    # Intro, two empty, the tab stops' empty one, the text box's, its holder, then "20"
    assert found == [("21", 5), ("20", 7)], found


def test_a_word_part_that_would_unpack_past_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = b"<w:p><w:r><w:t>" + b"a" * (70 * 1024 * 1024) + b"</w:t></w:r></w:p>"
    parts, _ = word_parts(big)
    path = zipped(parts, tmp_path / "bomb.docx")
    assert path.stat().st_size < 1_000_000
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "extract", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    code, peak = wait_with_peak(proc)
    assert code == 2 and "unpacks to" in proc.stderr.read()  # type: ignore[union-attr]
    assert peak < 100  # MiB: nothing of it was unpacked


# Where a zip's local (PK 3 4) and central (PK 1 2) headers keep: the name's length, the name,
# the general-purpose flags (bit 0: encrypted), the compression method.
HEADERS = {
    b"PK\x03\x04": {"length": 26, "name": 30, "flags": 6, "method": 8},
    b"PK\x01\x02": {"length": 28, "name": 46, "flags": 8, "method": 10},
}


def with_header(zipped: bytes, name: bytes, field: str, value: int) -> bytes:
    """`zipped` with `field` of entry `name` set to `value` in both its headers."""
    data = bytearray(zipped)
    for signature, offsets in HEADERS.items():
        at = 0
        while (at := data.find(signature, at)) >= 0:
            size = int.from_bytes(
                data[at + offsets["length"] : at + offsets["length"] + 2], "little"
            )
            if data[at + offsets["name"] : at + offsets["name"] + size] == name:
                data[at + offsets[field] : at + offsets[field] + 2] = value.to_bytes(2, "little")
            at += 4
    return bytes(data)


@pytest.mark.parametrize("kind", ["not xml", "cut", "entities", "encrypted", "method 99"])
def test_a_broken_word_file_is_one_clear_error(tmp_path: Path, kind: str) -> None:
    parts, body = word_parts()
    at = body.find(b"<w:document")
    laughs = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    broken = {
        "not xml": b"<not xml",
        "cut": body[:-20],
        "entities": body[:at]
        + b'<!DOCTYPE w:document [<!ENTITY l0 "lol">'
        + laughs
        + b"]>"
        + body[at:].replace(b"see https", b"&l9; see https"),
    }
    if kind in broken:
        parts["word/document.xml"] = broken[kind]
    path = zipped(parts, tmp_path / "broken.docx")
    if kind == "encrypted":  # the document part's headers say so
        path.write_bytes(with_header(path.read_bytes(), b"word/document.xml", "flags", 1))
    elif kind == "method 99":
        path.write_bytes(with_header(path.read_bytes(), b"word/document.xml", "method", 99))
    after = tmp_path / "next.txt"
    after.write_text("https://x.com/jack/status/30\n")
    result = run_cli("extract", str(path), str(after), "--jsonl")
    assert result.returncode == 2 and "not a readable Word document" in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert '"status_id": "30"' in result.stdout  # the next file is still read


def test_a_text_that_mentions_the_pdf_signature_is_text(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("A PDF starts with %PDF-1.7.\nSource: https://twitter.com/jack/status/20\n")
    assert [r["status_id"] for r in extract_one(notes)[0]] == ["20"]


def test_mail_is_read_decoded_one_message_at_a_time(tmp_path: Path) -> None:
    """A message's quoted-printable soft line breaks cut URLs (`…/status/16=` then the rest):
    the parts are read decoded, plain and HTML alike, each post once; an mbox's messages each,
    a base64 HTML part too; an attachment is not read. The mail stdlib writes them here."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["Subject"] = "news@example.org", "The post"
    plain = (
        "The minister posted (https://twitter.com/GrantShapps/status/1635564811296038913?s=20)"
        " and deleted it. See https://t.co/AbCdEf1234 and @BBCBreaking's coverage.\n"
    )
    message.set_content(plain, cte="quoted-printable")
    message.add_alternative(
        '<p>It <a href="https://twitter.com/GrantShapps/status/1635564811296038913">posted</a>.'
        '</p><blockquote class="twitter-tweet"><p>We are committed to this.</p>&mdash; Grant '
        'Shapps (@grantshapps) <a href="https://twitter.com/grantshapps/status/'
        '1635564811296038914">March 14, 2023</a></blockquote>',
        subtype="html",
        cte="base64",
    )
    message.add_attachment(
        b"https://twitter.com/jack/status/20", maintype="text", subtype="plain", filename="a.txt"
    )
    raw = message.as_bytes()
    assert b"GrantShapps/status/1635564811296038913" not in raw  # cut by a soft line break
    eml = tmp_path / "brief.eml"
    eml.write_bytes(raw)
    refs, doc = extract_one(eml)
    assert [(r["kind"], r["status_id"] or r["handle"]) for r in refs] == [  # (HTML part first)
        ("status_url", "1635564811296038913"),
        ("attribution", "1635564811296038914"),
        ("short_link", None),
        ("account", "BBCBreaking"),
    ]
    # the same post in both parts: the HTML part's embed, its fuller form, is the one kept
    both = EmailMessage()
    both["From"], both["Subject"] = "news@example.org", "Today"
    both.set_content(
        "The bridge is open: https://twitter.com/springfield/status/1653730000000000001\n"
    )
    both.add_alternative(
        '<blockquote class="twitter-tweet"><p>The bridge is open and safe.</p>&mdash; City '
        '(@springfield) <a href="https://twitter.com/springfield/status/1653730000000000001">May '
        "3, 2023</a></blockquote>",
        subtype="html",
    )
    (tmp_path / "both.eml").write_bytes(both.as_bytes())
    (kept,) = extract_one(tmp_path / "both.eml")[0]
    assert (kept["kind"], kept["status_id"], kept["text"]) == (
        "attribution",
        "1653730000000000001",
        "The bridge is open and safe.",
    )
    box = tmp_path / "inbox.mbox"
    box.write_bytes(
        b"From a@b Sat Jan  3 01:05:34 2004\n"
        + raw
        + b"\nFrom c@d Sun Jan  4 01:05:34 2004\n"
        + b"Subject: two\n\nhttps://x.com/jack/status/21\n"
    )
    refs, _ = extract_one(box)
    assert [r["status_id"] for r in refs if r["kind"] != "account" and r["status_id"]] == [
        "1635564811296038913",
        "1635564811296038914",
        "21",
    ]
    # a message whose body says `From … 10:30`: one message all the same; and a Markdown file
    # that starts `From zero…` is no mail
    told = EmailMessage()
    told["From"], told["Subject"] = "a@b.org", "x"
    told.set_content(
        "From the newsroom on Monday at 10:30 we saw this\n"
        "https://twitter.com/jack/status/1347569870578266115 and that.\n",
        cte="quoted-printable",
    )
    (tmp_path / "told.eml").write_bytes(told.as_bytes())
    assert [r["status_id"] for r in extract_one(tmp_path / "told.eml")[0]] == [
        "1347569870578266115"
    ]
    notes = tmp_path / "notes.md"
    notes.write_text("From zero to hero at 10:30\n\n```\nContent-Type: text/plain\n```\n\n@jack\n")
    assert [(r["handle"], r["line"]) for r in extract_one(notes)[0]] == [("jack", 7)]


def test_a_page_saved_as_one_file_is_read_decoded(tmp_path: Path) -> None:
    """Chrome's "Webpage, Single File" (`.mhtml`, headers `From: <Saved by Blink>` first) is a
    MIME message whose HTML is quoted-printable, its soft line breaks cutting URLs: it is read
    decoded, by its name or by its first header, never as the raw encoding (a cut id, a cut
    handle as an account)."""
    from email.message import EmailMessage

    page = EmailMessage()
    page["From"], page["Subject"] = "<Saved by Blink>", "Ukraine live"
    page["Snapshot-Content-Location"] = "https://www.example.com/live/ukraine"
    page.set_content(
        "<p>Article paragraph here, long enough that the line is cut.</p>"
        '<blockquote class="twitter-tweet"><p lang="en">Breaking: strikes reported near the '
        "airport in Kharkiv.</p>&mdash; Kyiv Independent (@KyivIndependent) "
        '<a href="https://twitter.com/KyivIndependent/status/1496700000000000001">February 24, '
        "2022</a></blockquote><p>As the magazine defence reporter, who was in Kyiv on that "
        'morning, <a href="https://twitter.com/IAPonomarenko/status/'
        '1496701838374391812">Illia Ponomarenko</a> reported.</p>',
        subtype="html",
        cte="quoted-printable",
    )
    raw = page.as_bytes().replace(b"MIME-Version: 1.0\n", b"")
    raw = raw.replace(b"From: <Saved by Blink>\n", b"")
    raw = b"From: <Saved by Blink>\nMIME-Version: 1.0\n" + raw  # Chrome's header order
    assert re.search(rb"/status/14967\d+=\n\d", raw)  # a soft line break cuts the id
    for name in ("page.mhtml", "page.txt"):
        (tmp_path / name).write_bytes(raw)
        refs, _ = extract_one(tmp_path / name)
        assert [(r["kind"], r["status_id"], r["handle"]) for r in refs] == [
            ("attribution", "1496700000000000001", "KyivIndependent"),
            ("status_url", "1496701838374391812", "IAPonomarenko"),
        ], name


def test_a_saved_pages_part_in_a_legacy_charset_is_read_as_browsers_read_it(
    tmp_path: Path,
) -> None:
    """A part of a saved page (or a message) in Shift_JIS is read as Windows' superset, as a
    browser reads it: `①` is a character of it, not undecodable bytes."""
    body = (
        '<blockquote class="twitter-tweet"><p lang="ja">テスト①ですよ</p>&mdash; 首相官邸 '
        '(@kantei) <a href="https://twitter.com/kantei/status/1600000000000000005">2022年12月6日'
        "</a></blockquote>"
    )
    raw = (
        b"From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: text/html; charset=Shift_JIS"
        b"\nContent-Transfer-Encoding: 8bit\n\n" + body.encode("cp932")
    )
    (tmp_path / "page.mhtml").write_bytes(raw)
    refs, _ = extract_one(tmp_path / "page.mhtml")
    assert [(r["kind"], r["author_name"], r["text"]) for r in refs] == [
        ("attribution", "首相官邸", "テスト①ですよ")
    ]


def test_a_saved_pages_part_that_names_no_charset_is_read_in_the_pages_own(tmp_path: Path) -> None:
    """Chrome writes a saved page's HTML part as `Content-Type: text/html` with no charset (in a
    `multipart/related` message); the page's `<meta>` names it (Chrome's own pages: UTF-8): the
    names and text are read in it, never as undecodable bytes; a page that names a legacy one
    is read in that."""
    import quopri

    def saved(html: str, charset: str) -> bytes:
        body = quopri.encodestring(html.encode(charset))
        return (
            b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.com/\r\n"
            b"Subject: page\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
            b'\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc----"\r\n\r\n'
            b"------MultipartBoundary--abc----\r\nContent-Type: text/html\r\n"
            b"Content-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable"
            b"\r\nContent-Location: https://example.com/\r\n\r\n"
            + body.replace(b"\n", b"\r\n")
            + b"\r\n------MultipartBoundary--abc------\r\n"
        )

    embed = (
        '<blockquote class="twitter-tweet"><p lang="{lang}">{text}</p>&mdash; {name} (@{handle}) '
        '<a href="https://twitter.com/{handle}/status/1519480761749016577">{date}</a></blockquote>'
    )
    pages = {
        "ja.mhtml": (
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
            "</head><body>"
            + embed.format(
                lang="ja",
                text="日本語のツイート",
                name="首相官邸",
                handle="kantei",
                date="2022年4月28日",
            ),
            "utf-8",
            ("首相官邸", "日本語のツイート"),
        ),
        "ru.mhtml": (
            '<html><head><meta charset="windows-1251"></head><body>'
            + embed.format(
                lang="ru",
                text="Текст поста",
                name="Пресс-служба",
                handle="kremlin_ru",
                date="28 апреля 2022 г.",
            ),
            "cp1251",
            ("Пресс-служба", "Текст поста"),
        ),
    }
    for name, (html, charset, shown) in pages.items():
        (tmp_path / name).write_bytes(saved(html, charset))
        refs, _ = extract_one(tmp_path / name)
        assert [(r["kind"], r["author_name"], r["text"]) for r in refs] == [
            ("attribution", *shown)
        ], name


def test_a_safari_web_archive_is_read_page_and_frames(tmp_path: Path) -> None:
    """Safari saves a page as a `.webarchive` (WebKit's LegacyWebArchive: a binary property
    list with `WebMainResource` {`WebResourceData`, `WebResourceMIMEType`,
    `WebResourceTextEncodingName`}, `WebSubresources`, `WebSubframeArchives`): the page's HTML
    and each frame's (an embedded post's widget) are read, in their encodings; the files the
    page loaded are not; a damaged one is one clear error."""
    import plistlib

    def resource(html: str, url: str, encoding: str = "UTF-8") -> dict:
        return {
            "WebResourceData": html.encode("cp1251" if encoding == "windows-1251" else "utf-8"),
            "WebResourceMIMEType": "text/html",
            "WebResourceTextEncodingName": encoding,
            "WebResourceURL": url,
            "WebResourceFrameName": "",
        }

    widget = (
        '<blockquote class="twitter-tweet"><p lang="ru">Текст поста</p>&mdash; Пресс-служба '
        '(@kremlin_ru) <a href="https://twitter.com/kremlin_ru/status/1519480761749016577">28 '
        "апреля 2022 г.</a></blockquote>"
    )
    archive = {
        "WebMainResource": resource(
            '<p>Story <a href="https://x.com/NASA/status/1519480761749016578">here</a></p>'
            '<iframe src="https://platform.twitter.com/embed/Tweet.html"></iframe>',
            "https://example.com/story",
        ),
        "WebSubresources": [
            {
                "WebResourceData": b"https://x.com/jack/status/20",
                "WebResourceMIMEType": "application/javascript",
                "WebResourceURL": "https://example.com/app.js",
            }
        ],
        "WebSubframeArchives": [
            {
                "WebMainResource": resource(
                    widget, "https://platform.twitter.com/embed/Tweet.html", "windows-1251"
                )
            }
        ],
    }
    (tmp_path / "story.webarchive").write_bytes(plistlib.dumps(archive, fmt=plistlib.FMT_BINARY))
    refs, doc = extract_one(tmp_path / "story.webarchive")
    assert [(r["kind"], r["status_id"], r["author_name"], r["text"]) for r in refs] == [
        ("status_url", "1519480761749016578", None, None),
        ("attribution", "1519480761749016577", "Пресс-служба", "Текст поста"),
    ]
    looped = {"WebMainResource": resource(widget, "https://example.com/")}
    looped["WebSubframeArchives"] = [looped] * 300  # (a frame that names itself, many times)
    (tmp_path / "looped.webarchive").write_bytes(plistlib.dumps(looped, fmt=plistlib.FMT_BINARY))
    refs, doc = extract_one(tmp_path / "looped.webarchive")
    assert [r["status_id"] for r in refs] == ["1519480761749016577"]
    (tmp_path / "cut.webarchive").write_bytes(
        plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)[:300]
    )
    refs, doc = extract_one(tmp_path / "cut.webarchive")
    assert refs == [] and doc.error.startswith("not a readable Safari web archive: ")


def test_an_opendocument_files_paragraphs_notes_links_and_cells(tmp_path: Path) -> None:
    """LibreOffice's `.odt` (a zip whose `mimetype` comes first, its text in `content.xml`):
    paragraphs and headings are lines, a footnote's paragraph is a line of its own, a link
    (`text:a xlink:href`) counts like its URL, `text:s` is its run of spaces; a tracked change's
    deleted text and a comment are not read. A spreadsheet's (`.ods`) cells are paragraphs too;
    a damaged one is one clear error."""
    import zipfile

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xlink="http://www.w3.org/1999/xlink"'
    )

    def package(path: Path, kind: str, body: str) -> None:
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
            out.writestr(
                "content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
                f'office:version="1.3"><office:body>{body}</office:body></office:document-content>',
            )

    package(
        tmp_path / "filing.odt",
        "text",
        '<office:text><text:tracked-changes><text:changed-region text:id="ct1"><text:deletion>'
        "<text:p>https://x.com/gone/status/1519480761749016570</text:p></text:deletion>"
        "</text:changed-region></text:tracked-changes>"
        '<text:h text:outline-level="1">Exhibits</text:h>'
        '<text:p>The post https://x.com/jack/status/20<text:note text:note-class="footnote">'
        "<text:note-citation>1"
        "</text:note-citation><text:note-body><text:p>Donald J. Trump (@realDonaldTrump), "
        "Twitter (Jan. 8, 2021, 9:46 AM), https://twitter.com/realDonaldTrump/status/"
        "1347569870578266115.</text:p></text:note-body></text:note> was removed.</text:p>"
        '<text:p>See<text:s text:c="2"/><text:a xlink:type="simple" xlink:href="https://x.com/'
        'NASA/status/1519480761749016577">this post</text:a>.<office:annotation><dc:creator>Ed'
        "</dc:creator><text:p>check https://x.com/jack/status/20</text:p></office:annotation>"
        "</text:p></office:text>",
    )
    refs, doc = extract_one(tmp_path / "filing.odt")
    assert doc.error is None
    assert [(r["kind"], r["status_id"], r["line"], r["column"]) for r in refs] == [
        ("citation", "1347569870578266115", 2, 1),
        ("status_url", "20", 3, 10),  # (its footnote's mark `1` is no digit of its id)
        ("status_url", "1519480761749016577", 4, 6),
    ]
    package(
        tmp_path / "sheet.ods",
        "spreadsheet",
        "<office:spreadsheet><table:table><table:table-row><table:table-cell><text:p>"
        "https://twitter.com/jack/status/20</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet>",
    )
    refs, _ = extract_one(tmp_path / "sheet.ods")
    assert [(r["kind"], r["status_id"]) for r in refs] == [("status_url", "20")]
    (tmp_path / "cut.odt").write_bytes((tmp_path / "filing.odt").read_bytes()[:120])
    refs, doc = extract_one(tmp_path / "cut.odt")
    assert refs == [] and doc.error.startswith("not a readable OpenDocument file: ")


def test_rtf_is_read_as_its_text(tmp_path: Path) -> None:
    """RTF as TextEdit saves it (`\\cocoartf`, a paragraph ended by `\\` and a line break,
    `\\'93` in the code page) and as Word writes it (`\\par`, `\\u8220?` with its fallback,
    a HYPERLINK field, `\\'c8` in code page 1251, a picture's hex and `{\\*…}` groups not
    read): references with their text decoded, a paragraph a line."""
    textedit = (
        b"{\\rtf1\\ansi\\ansicpg1252\\cocoartf2709\n\\cocoatextscaling0\\cocoaplatform0"
        b"{\\fonttbl\\f0\\fswiss\\fcharset0 Helvetica;}\n{\\colortbl;\\red255\\green255"
        b"\\blue255;}\n{\\*\\expandedcolortbl;;}\n\\pard\\tx566\\pardirnatural\n\n"
        b"\\f0\\fs24 \\cf0 References\\\n\\\nTrump, D. J. [@realDonaldTrump]. (2019, "
        b"September 6). \\'93Just returned to the White House\\'94 [Tweet]. Twitter. "
        b"https://twitter.com/realDonaldTrump/status/1170305718425137152\\\n}"
    )
    word = (
        b"{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
        b"{\\*\\generator Riched20 10.0.19041}\\uc1\\pard "
        b"{\\pict\\pngblip 89504e470d0a1a0a0000000d49484452}"
        b"\\'d1\\'ec. \\u8220?"
        b'{\\field{\\*\\fldinst{HYPERLINK "https://x.com/kremlin_ru/status/1519480761749016577'
        b"\"}}{\\fldrslt{\\ul \\'ef\\'ee\\'f1\\'f2}}}\\u8221?.\\par\n"
        b"{\\*\\bkmkstart x}https://x.com/after_mark/status/1519480761749016578 is shown.\\par}"
    )
    (tmp_path / "notes.rtf").write_bytes(textedit)
    (tmp_path / "memo.rtf").write_bytes(word)
    refs, doc = extract_one(tmp_path / "notes.rtf")
    assert doc.error is None and not doc.skipped
    assert [(r["kind"], r["status_id"], r["text"], r["line"]) for r in refs] == [
        ("citation", "1170305718425137152", "Just returned to the White House", 3)
    ]
    refs, doc = extract_one(tmp_path / "memo.rtf")
    assert [(r["kind"], r["status_id"], r["line"]) for r in refs] == [
        ("status_url", "1519480761749016577", 1),
        ("status_url", "1519480761749016578", 2),
    ]
    from archiver.refs import rtf

    (first, _), (second, _) = list(rtf._paragraphs(word))
    assert first == "См. “пост”." and second.startswith("https://x.com/after_mark/")
    astral = b"{\\rtf1\\ansi\\uc1 Fire \\u-10179?\\u-8704? and \\u-10179? alone\\par}"
    assert [text for text, _ in rtf._paragraphs(astral)] == ["Fire 😀 and \ufffd alone"]
    # a table's cells are lines of their own (an id and the next cell's number never run
    # together); an escape of no character is one replacement character, the rest still read
    table = b"{\\rtf1 https://twitter.com/jack/status/20\\cell 5\\cell\\row x\\u-70000?y\\par}"
    assert [text for text, _ in rtf._paragraphs(table)] == [
        "https://twitter.com/jack/status/20",
        "5",
        "",
        "x\ufffdy",
    ]


def test_a_newsletters_plain_part_does_not_repeat_the_post_its_html_part_shows(
    tmp_path: Path,
) -> None:
    """A newsletter's message holds its post twice: the HTML part's card (Substack's, with the
    post's URL) and the plain part's copy of the card's words (`Name @handle`, the text, its
    time), which names no id. One post, the card's; a post only the plain part shows is kept."""
    from email.message import EmailMessage

    from test_extract import SUBSTACK_CARD

    message = EmailMessage()
    message["From"], message["Subject"] = "matt@substack.com", "Weekly"
    message.set_content(
        "I've wondered about this a bit:\n\nTwitter avatar for @mattarderne\n"
        "Matt Arderne 🌊 @mattarderne\nin 2025, what option does an LLM have but to do the data "
        "modelling in dbt?\n\nsomewhat serious question\n1:32 PM ∙ Mar 5, 2025\n\n"
        "Twitter avatar for @jack\njack @jack\njust setting up my twttr\n"
        "9:50 PM ∙ Mar 21, 2006\n"
    )
    message.add_alternative(SUBSTACK_CARD, subtype="html")
    (tmp_path / "weekly.eml").write_bytes(message.as_bytes())
    refs, _ = extract_one(tmp_path / "weekly.eml")
    assert [(r["kind"], r["handle"], r["status_id"], r["date"]) for r in refs] == [
        ("attribution", "mattarderne", "1897279053784383925", "2025-03-05"),
        ("attribution", "jack", None, "2006-03-21"),
    ]


def test_an_apple_mail_message_is_read_decoded_without_its_property_list(tmp_path: Path) -> None:
    """Apple Mail keeps a message as `.emlx`: its length in bytes on the first line, the RFC 822
    message, then Mail's own property list (flags, a copy of the subject): the message is read
    decoded (quoted-printable's soft line break inside an id), the property list is not."""
    import quopri

    html = b'<p>See <a href="https://twitter.com/elonmusk/status/1519480761749016577">this</a></p>'
    message = (
        b"Return-Path: <tips@example.org>\nSubject: tip\nMIME-Version: 1.0\nContent-Type: "
        b"text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        + quopri.encodestring(b"<p>" + b"words " * 12 + b"</p>" + html)
        + b"\n"
    )
    assert b"=\n" in message  # a soft line break cuts the URL
    plist = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>subject</key>'
        b"<string>https://x.com/plist/status/1519480761749016578</string></dict></plist>\n"
    )
    (tmp_path / "12345.emlx").write_bytes(b"%d      \n" % len(message) + message + plist)
    refs, doc = extract_one(tmp_path / "12345.emlx")
    assert doc.error is None
    assert [(r["kind"], r["status_id"]) for r in refs] == [("status_url", "1519480761749016577")]


def test_a_feeds_escaped_html_is_read_as_html(tmp_path: Path) -> None:
    """Atom's `<content type="html">` and RSS's `<description>` hold a post's HTML escaped
    (Blogger's feeds, most static sites'): its embed is read with its author, date and text,
    at its line in the feed; CDATA's HTML as before."""
    embed = (
        '<blockquote class="twitter-tweet"><p lang="en">Explosions in Kyiv right now.</p>'
        '&mdash; Illia Ponomarenko (@IAPonomarenko) <a href="https://twitter.com/IAPonomarenko/'
        'status/1496701838374391812?ref_src=twsrc%5Etfw">February 24, 2022</a></blockquote>'
    )
    escaped = embed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    atom = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'<entry>\n<title>Day one</title>\n<content type="html">{escaped}</content>\n</entry>\n'
        f"<entry>\n<content><![CDATA[{embed.replace('1496701838374391812', '1496701838374391813')}"
        "]]></content>\n</entry>\n</feed>\n"
    )
    (tmp_path / "feed.atom").write_text(atom)
    refs, _ = extract_one(tmp_path / "feed.atom")
    assert [
        (r["kind"], r["status_id"], r["author_name"], r["date"], r["text"], r["line"]) for r in refs
    ] == [
        (
            "attribution",
            "1496701838374391812",
            "Illia Ponomarenko",
            "2022-02-24",
            "Explosions in Kyiv right now.",
            5,
        ),
        (
            "attribution",
            "1496701838374391813",
            "Illia Ponomarenko",
            "2022-02-24",
            "Explosions in Kyiv right now.",
            8,
        ),
    ]


def test_an_x_archives_own_posts_are_named_after_its_account(tmp_path: Path) -> None:
    """X's archive of an account keeps its posts in `data/tweets.js` with no user and the
    account in `data/account.js` beside them: the posts are that account's."""
    data = tmp_path / "twitter-archive" / "data"
    data.mkdir(parents=True)
    (data / "account.js").write_text(
        'window.YTD.account.part0 = [\n  { "account" : { "username" : "DmytroKuleba", '
        '"accountId" : "1234" } }\n]\n'
    )
    (data / "tweets.js").write_text(
        'window.YTD.tweets.part0 = [\n  { "tweet" : { "id_str" : "1579394473245913088", '
        '"id" : "1579394473245913088", "full_text" : "Words.", "retweet_count" : "0", '
        '"entities" : { } } }\n]\n'
    )
    refs, _ = extract_one(data / "tweets.js")
    assert [(r["status_id"], r["handle"], r["canonical_url"]) for r in refs] == [
        (
            "1579394473245913088",
            "DmytroKuleba",
            "https://x.com/DmytroKuleba/status/1579394473245913088",
        )
    ]


def test_a_notebooks_cells_are_read_as_what_they_are(tmp_path: Path) -> None:
    """A Jupyter notebook (as nbformat writes it, non-ASCII escaped or not): each cell read as
    its text, a Markdown cell's quoted embed whole, at its cell (`page`) and line there; its
    outputs not read."""
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": [
                    "## Case study\n",
                    "\n",
                    "> Touchdown confirmed! The rover is safely on the surface of Mars.\n",
                    "> — NASA (@NASA) [February 18, 2021](https://twitter.com/NASA/status/"
                    "1362857406829355011)\n",
                ],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "source": ["url = 'https://x.com/elonmusk/status/1518677066325053441'\n"],
                "outputs": [{"output_type": "stream", "text": ["https://x.com/a/status/20\n"]}],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    for ascii_only in (False, True):
        path = tmp_path / "study.ipynb"
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=ascii_only))
        refs, _ = extract_one(path)
        assert [(r["kind"], r["status_id"], r["page"], r["line"], r["text"]) for r in refs] == [
            (
                "attribution",
                "1362857406829355011",
                1,
                4,
                "Touchdown confirmed! The rover is safely on the surface of Mars.",
            ),
            ("status_url", "1518677066325053441", 2, 1, None),
        ]


def test_a_pdfs_ligatures_are_read_as_their_letters(tmp_path: Path) -> None:
    """A typesetter draws `fi` and `fl` as one glyph, which PDF text gives as one character
    (`ﬁ`): a handle or a URL that holds one is read whole (`OfficialDGISPR`), not cut into a
    false account `@Of`."""
    from pypdf.generic import ArrayObject, NumberObject

    lines = [
        b"(1. ISPR \\(@Of\x01cialDGISPR\\), post of 29 August 2022,) Tj T*",
        b"(https://twitter.com/Of\x01cialDGISPR/status/1564212345678901249.) Tj T*",
        b"(2. https://twitter.com/\x02ightradar24/status/1564300000000000001) Tj T*",
    ]
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    encoding = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Encoding"),
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/Differences"): ArrayObject(
                [NumberObject(1), NameObject("/fi"), NameObject("/fl")]
            ),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Times-Roman"),
            NameObject("/Encoding"): writer._add_object(encoding),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 9 Tf 40 750 Td 14 TL " + b" ".join(lines) + b" ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    (tmp_path / "report.pdf").write_bytes(out.getvalue())
    refs, _ = extract_one(tmp_path / "report.pdf")
    assert [(r["kind"], r["handle"], r["status_id"]) for r in refs] == [
        ("account", "OfficialDGISPR", None),
        ("status_url", "OfficialDGISPR", "1564212345678901249"),
        ("status_url", "flightradar24", "1564300000000000001"),
    ]


def test_json_ld_is_json(tmp_path: Path) -> None:
    """`.jsonld` (schema.org dumps, fact-check exports) is JSON: its `@context`, `@type` and
    `@id` keys are no accounts."""
    path = tmp_path / "claim.jsonld"
    path.write_text(
        '{"@context": "https://schema.org", "@type": "SocialMediaPosting",\n'
        ' "@id": "https://twitter.com/NASA/status/1362526017063473154"}\n'
    )
    refs, _ = extract_one(path)
    assert [(r["kind"], r["status_id"]) for r in refs] == [("status_url", "1362526017063473154")]


def test_exports_name_the_posts_they_hold_as_records(tmp_path: Path) -> None:
    """X's archive of an account (`tweets.js`), twarc2's JSON Lines and a collector's CSV hold
    posts as records (an id, a text, keys only posts have), not as URLs: each is named, by
    its user's handle where the record gives it; a t.co link a record expands itself is no
    short link to resolve; a chat's message with an id and a text is no post."""
    archive = tmp_path / "tweets.js"
    archive.write_text(
        "window.YTD.tweets.part0 = [\n"
        ' {"tweet": {"id_str": "1997370581860180189", "full_text": "@Emarged see https://t.co/MU6dJIEl1k",\n'
        '  "entities": {"urls": [{"url": "https://t.co/MU6dJIEl1k", "expanded_url": "https://example.org/a"},\n'
        '   {"url": "https://t.co/Ab12Cd34Ef", "expanded_url": "https://twitter.com/groshbarr/status/727553659291070464"}],\n'
        '   "user_mentions": [{"screen_name": "Emarged"}]}}}\n]\n'
    )
    refs, _ = extract_one(archive)
    assert [(r["kind"], r["status_id"], r["handle"], r["line"]) for r in refs] == [
        ("status_url", "1997370581860180189", None, 2),
        ("account", None, "Emarged", 2),
        ("status_url", "727553659291070464", "groshbarr", 4),
    ]
    collected = tmp_path / "tweets.jsonl"
    collected.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "id": "1394735776701816833",
                        "text": "hi",
                        "author_id": "11",
                        "conversation_id": "1394735776701816833",
                    }
                ],
                "includes": {"users": [{"id": "11", "username": "LachiVeronica"}]},
            }
        )
        + "\n"
        + json.dumps({"id": 1234567, "type": "message", "text": "a chat's message"})
        + "\n"
    )
    refs, _ = extract_one(collected)
    assert [(r["kind"], r["status_id"], r["handle"]) for r in refs] == [
        ("status_url", "1394735776701816833", "LachiVeronica")
    ]
    table = tmp_path / "tweets.csv"
    table.write_text(
        "id,created_at,username,tweet\n"
        "1356978349244649475,2021-02-03,elonmusk,Flags\n"
        "1.26426E+18,2021-02-03,someone,an id a spreadsheet rounded\n"
        "1356900000000000000,2021-02-03,Tesla,Model\n"
    )
    refs, _ = extract_one(table)
    assert [(r["kind"], r["status_id"], r["handle"], r["line"]) for r in refs] == [
        ("status_url", "1356978349244649475", "elonmusk", 2),
        ("status_url", "1356900000000000000", "Tesla", 4),
    ]
    toots = tmp_path / "toots.csv"  # a Mastodon export's ids are no posts of X
    toots.write_text("id,created_at,content\n109876543210987654,2023-01-01,Hello\n")
    assert extract_one(toots)[0] == []


def test_a_large_export_is_read_a_record_at_a_time(tmp_path: Path, monkeypatch) -> None:
    """Past what is parsed whole (WHOLE_LIMIT, here made small), X's archive (a JSON array)
    and JSON Lines are read a record at a time, each post at its line; a record that does not
    parse leaves the rest read as text; a CSV is read as text, with a warning."""
    from archiver.refs import blocks, cells, documents

    monkeypatch.setattr(cells, "WHOLE_LIMIT", 2048)
    monkeypatch.setattr(documents, "WHOLE_LIMIT", 2048)
    monkeypatch.setattr(blocks, "BLOCK_CHARS", 1024)
    records = [
        {
            "tweet": {
                "id_str": str(1200000000000000000 + i),
                "full_text": f"post {i} " + "x" * 200,
                "entities": {"urls": []},
            }
        }
        for i in range(40)
    ]
    archive = tmp_path / "tweets.js"
    archive.write_text("window.YTD.tweets.part0 = " + json.dumps(records, indent=1))
    refs, doc = extract_one(archive)
    assert [(r["status_id"], r["line"]) for r in refs] == [
        (str(1200000000000000000 + i), 4 + 9 * i) for i in range(40)
    ]
    assert doc.warnings == []
    lines = tmp_path / "tweets.jsonl"
    lines.write_text(
        "\n".join(json.dumps(r["tweet"]) for r in records)
        + "\nnot json https://x.com/a/status/20\n"
    )
    refs, _ = extract_one(lines)
    assert [(r["status_id"], r["line"]) for r in refs] == [
        (str(1200000000000000000 + i), 1 + i) for i in range(40)
    ] + [("20", 41)]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(records[:20])[:-300] + ' "https://x.com/b/status/21" ' * 200)
    refs, _ = extract_one(broken)
    assert [r["status_id"] for r in refs][-1] == "21" and len(refs) >= 19
    table = tmp_path / "big.csv"
    table.write_text(
        "id,text\n"
        + "".join(
            f"{1200000000000000000 + i},https://x.com/c/status/{30 + i}\n" for i in range(200)
        )
    )
    refs, doc = extract_one(table)
    assert len(refs) == 200 and doc.warnings == ["over 0 MiB: read as text, not as CSV"]


def test_a_json_line_past_what_is_parsed_whole_is_read_as_text_in_overlapping_blocks(
    tmp_path: Path, monkeypatch
) -> None:
    """A JSON document on one line past WHOLE_LIMIT (here made small) is read as text from
    there, with a warning: in blocks read with their neighbours, so a URL across the point
    where the line grew past the limit keeps its whole id (never another post's)."""
    from archiver.refs import blocks, cells, documents

    monkeypatch.setattr(cells, "WHOLE_LIMIT", 2048)
    monkeypatch.setattr(documents, "WHOLE_LIMIT", 2048)
    monkeypatch.setattr(blocks, "BLOCK_CHARS", 1024)
    url = "https://twitter.com/a/status/1864994181010350326"
    for before in range(2000, 2100, 7):  # the URL across each point the reading may cut
        doc = tmp_path / f"one-line-{before}.json"
        doc.write_text('{"text":"' + "w " * (before // 2) + url + " and more" * 300 + '"}\n')
        refs, result = extract_one(doc)
        assert [(r["status_id"], r["line"]) for r in refs] == [("1864994181010350326", 1)]
        assert result.warnings == ["line 1 over 0 MiB: read as text from there"]


def test_a_dataset_of_post_ids_names_each_post(tmp_path: Path) -> None:
    """Datasets are shared as one post id a line (DocNow's catalog; a hydrator's input), with
    or without a header: each line's post, read a block at a time; a text that only starts
    with numbers is read as text."""
    dataset = tmp_path / "ids.txt"
    dataset.write_text("tweet_id\n501064188211765249\n501064196642340864\r\n\n501064197632167936\n")
    refs, _ = extract_one(dataset)
    assert [(r["status_id"], r["line"], r["url"]) for r in refs] == [
        ("501064188211765249", 2, "https://x.com/i/web/status/501064188211765249"),
        ("501064196642340864", 3, "https://x.com/i/web/status/501064196642340864"),
        ("501064197632167936", 5, "https://x.com/i/web/status/501064197632167936"),
    ]
    prose = tmp_path / "notes.txt"
    prose.write_text("501064188211765249\n2024 was a year.\nhttps://x.com/jack/status/20\n")
    refs, _ = extract_one(prose)
    assert [r["status_id"] for r in refs] == ["20"]


def test_hostile_exports_and_mail_are_read_or_left_never_raised(tmp_path: Path) -> None:
    """A number past the digits Python converts, a CSL date part no calendar has, a header the
    mail parser raises on, a collection whose last line an interrupted run cut, a Mastodon
    table with a `username` column, an id list with a sentence in it."""
    cases = {
        "big.json": '[{"id": ' + "1" * 5000 + ', "text": "x"}, "https://x.com/a/status/20"]',
        "csl.json": '[{"type": "post", "author": [{"literal": "A [@abc]"}],'
        ' "issued": {"date-parts": [["\u00b2", 99999999999999999999]]}}]',
        "bad.eml": "From: a@b\nContent-Type: text/plain; a*\n\nhttps://twitter.com/jack/status/21\n",
        "cut.jsonl": "\n".join(
            json.dumps({"id_str": str(1200000000000000000 + i), "text": "x", "entities": {}})
            for i in range(3)
        )
        + '\n{"id_str": "12',
        "toots.csv": "id,username,content\n109876543210987654,bob,Hello\n",
        "ids.txt": "501064188211765249\n501064196642340864\n501064197632167936\nsee @someone\n",
    }
    found = {}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        refs, _ = extract_one(tmp_path / name)
        found[name] = [r["status_id"] or r["handle"] for r in refs]
    assert found == {
        "big.json": ["20"],
        "csl.json": ["abc"],
        "bad.eml": ["21"],
        "cut.jsonl": ["1200000000000000000", "1200000000000000001", "1200000000000000002"],
        "toots.csv": [],
        "ids.txt": ["501064188211765249", "501064196642340864", "501064197632167936", "someone"],
    }


def test_a_small_word_file_of_many_mentions_stays_small_in_memory(tmp_path: Path) -> None:
    """A few kilobytes of Word file that unpack to 150,000 `@ab`: read a block at a time, each
    account made once, memory stays that of a block (it was a gigabyte per million)."""
    import subprocess
    import sys

    document = docx.Document()
    for _ in range(6000):
        document.add_paragraph("@ab " * 25)
    document.add_paragraph("and https://x.com/jack/status/20")
    document.save(tmp_path / "many.docx")
    proc = subprocess.Popen(
        [sys.executable, "-m", "archiver", "extract", "--json", str(tmp_path / "many.docx")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    code, peak = wait_with_peak(proc)
    refs = json.loads(proc.stdout.read())  # type: ignore[union-attr]
    assert code == 0 and [(r["kind"], r["handle"], r["line"]) for r in refs] == [
        ("account", "ab", 1),
        ("status_url", "jack", 6001),
    ]
    assert peak < 105, f"{peak:.0f} MiB"  # 140 MiB when each mention was a ref


@pytest.mark.parametrize("form", ["word online", "strict"])
def test_word_files_as_word_online_and_strict_open_xml_write_them(
    tmp_path: Path, form: str
) -> None:
    """Word Online names its main part `word/document2.xml` (the package's relationships say
    which part is the document); Strict Open XML writes the same elements in other namespaces.
    Both are read as a Word file is."""
    document = docx.Document()
    document.add_paragraph("The account posted https://x.com/jack/status/20 at noon.")
    document.add_paragraph("NASA [@NASA]. (2024, November 15). Zarya at 25 [Tweet]. X.")
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(tmp_path / "f.docx", "w") as out:
        for item in source.infolist():
            data, name = source.read(item.filename), item.filename
            if form == "word online":
                data = data.replace(b"word/document.xml", b"word/document2.xml")
                data = data.replace(b'Target="document.xml"', b'Target="document2.xml"')
                name = name.replace("document.xml", "document2.xml")
            else:
                data = data.replace(
                    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                ).replace(
                    b'http://schemas.openxmlformats.org/officeDocument/2006/relationships"',
                    b'http://purl.oclc.org/ooxml/officeDocument/relationships"',
                )
            out.writestr(name, data)
    refs, doc = extract_one(tmp_path / "f.docx")
    assert doc.error is None
    assert [(r["kind"], r["handle"], r["line"]) for r in refs] == [
        ("status_url", "jack", 1),
        ("citation", "NASA", 2),
    ]


def test_a_table_whose_ids_a_spreadsheet_rounded_says_so(tmp_path: Path) -> None:
    """`1.76E+18` in an id column (Excel's rounding of a 19-digit id), or the same written out
    (`1717212345678900000`: 15 digits, then zeros) cannot name a post: the row is not read as
    one, and a warning says how many ids were lost and why."""
    table = tmp_path / "posts.csv"
    table.write_text(
        "id,conversation_id,username,tweet\n"
        "1.76E+18,1.76E+18,elonmusk,Excel mangled\n"
        "1760000000000000011,1760000000000000011,nasa,fine\n"
    )
    refs, doc = extract_one(table)
    assert [(r["status_id"], r["line"]) for r in refs] == [("1760000000000000011", 3)]
    assert doc.warnings == [
        "post ids a spreadsheet rounded (1.76E+18, or 1760000000000000000 written out), not "
        "readable: 1; export the table again with the id column as text"
    ]
    # the rounded ids written out whole: 15 digits, then zeros; most of the column so
    table.write_text(
        "tweet_id,user_screen_name,text\n"
        "1717212345678900000,WallStreetSilv,WOW. Look at this.\n"
        "1717201234567890000,dom_lucre,Hamas paragliders\n"
        "1496701838374390000,IAPonomarenko,Explosions in Kyiv\n"
        "1760000000000000011,nasa,fine\n"
    )
    refs, doc = extract_one(table)
    assert [(r["status_id"], r["line"]) for r in refs] == [("1760000000000000011", 5)]
    assert "not readable: 3;" in doc.warnings[0]
    # one id of a column that ends so is a post's own
    table.write_text(
        "tweet_id,user_screen_name,text\n"
        "1717212345678900000,WallStreetSilv,WOW. Look at this.\n"
        "1760000000000000011,nasa,fine\n"
        "1760000000000000012,nasa,fine too\n"
    )
    refs, doc = extract_one(table)
    assert [r["status_id"] for r in refs] == [
        "1717212345678900000",
        "1760000000000000011",
        "1760000000000000012",
    ]
    assert doc.warnings == []


def test_snscrapes_records_expand_their_own_short_links(tmp_path: Path) -> None:
    """snscrape writes each link of a post as `{"url": <the link>, "tcourl": <its t.co>}`: that
    t.co is expanded already, no short link to resolve."""
    record = {
        "id": 1496720000000000000,
        "url": "https://twitter.com/bellingcat/status/1496720000000000000",
        "rawContent": "Thread: https://t.co/AbCdEf1234",
        "conversationId": 1496720000000000000,
        "user": {"username": "bellingcat"},
        "links": [
            {
                "url": "https://twitter.com/KyivIndependent/status/1496700000000000001",
                "text": "twitter.com/KyivIndependen…",
                "tcourl": "https://t.co/AbCdEf1234",
            }
        ],
    }
    path = tmp_path / "tweets.jsonl"
    path.write_text(json.dumps(record) + "\n")
    refs, _ = extract_one(path)
    assert [(r["kind"], r["status_id"]) for r in refs] == [
        ("status_url", "1496720000000000000"),
        ("status_url", "1496700000000000001"),
    ]


def test_a_table_saved_as_text_is_read_as_a_table(tmp_path: Path) -> None:
    """Excel's "Text (Tab delimited)" and "Unicode Text" (UTF-16 with its BOM, CRLF) and a CSV
    under a `.txt` name: a header with an id column and a text column makes the file the table
    it is; a sentence with commas on the first line does not."""
    rows = [
        ["tweet_id", "screen_name", "text"],
        ["1717212345678901234", "NASA", "Liftoff of Artemis"],
        ["1717212345678901235", "SpaceX", "Starship stacked"],
    ]
    tabs = "".join("\t".join(row) + "\r\n" for row in rows)
    (tmp_path / "tabs.txt").write_text(tabs)
    (tmp_path / "unicode.txt").write_bytes(codecs.BOM_UTF16_LE + tabs.encode("utf-16-le"))
    (tmp_path / "commas.txt").write_text("".join(",".join(row) + "\n" for row in rows))
    for name in ("tabs.txt", "unicode.txt", "commas.txt"):
        refs, _ = extract_one(tmp_path / name)
        assert [(r["status_id"], r["handle"], r["line"]) for r in refs] == [
            ("1717212345678901234", "NASA", 2),
            ("1717212345678901235", "SpaceX", 3),
        ], name
    prose = tmp_path / "prose.txt"
    prose.write_text("The id, the text, the date.\nSee https://x.com/jack/status/20\n")
    assert [r["status_id"] for r in extract_one(prose)[0]] == ["20"]


def test_a_word_paragraph_with_line_breaks_keeps_positions(tmp_path: Path) -> None:
    """Shift+Enter breaks a line inside a paragraph (`w:br`): a reference's line is still its
    paragraph, its column the character in it, for paragraphs after it too."""
    document = docx.Document()
    document.add_paragraph("one").add_run().add_break()
    document.paragraphs[0].add_run("two https://x.com/jack/status/1866000000000000002")
    document.add_paragraph("see https://x.com/jack/status/1866000000000000000")
    document.add_paragraph("and https://x.com/esa/status/1866000000000000001")
    document.save(tmp_path / "br.docx")
    refs, doc = extract_one(tmp_path / "br.docx")
    assert doc.error is None
    assert [(r["status_id"][-1], r["line"], r["column"]) for r in refs] == [
        ("2", 1, 9),
        ("0", 2, 5),
        ("1", 3, 5),
    ]


def test_an_accounts_archive_tweet_headers_name_its_posts(tmp_path: Path) -> None:
    """X's archive of an account lists every post in `tweet-headers.js` by id, its author's id
    and its time, without text: each is a post to archive."""
    headers = tmp_path / "tweet-headers.js"
    headers.write_text(
        "window.YTD.tweet_headers.part0 = [\n"
        '  { "tweet" : { "tweet_id" : "1979736667021087142", "user_id" : "322603863",\n'
        '      "created_at" : "Sun Oct 19 02:29:37 +0000 2025" } },\n'
        '  { "tweet" : { "tweet_id" : "1977039067859894552", "user_id" : "322603863",\n'
        '      "created_at" : "Sat Oct 11 15:50:20 +0000 2025" } }\n]\n'
    )
    refs, _ = extract_one(headers)
    assert [(r["status_id"], r["line"]) for r in refs] == [
        ("1979736667021087142", 2),
        ("1977039067859894552", 4),
    ]


def test_a_post_of_xs_archive_is_at_its_own_id_not_its_edit_list(tmp_path: Path) -> None:
    """X's archive sets `edit_info` (with `editTweetIds`, which hold the post's own id) above
    `id_str`: a post's line is its `id_str`'s."""
    record = {
        "tweet": {
            "edit_info": {"initial": {"editTweetIds": ["1977039067859894552"]}},
            "entities": {"urls": []},
            "favorite_count": "3",
            "id_str": "1977039067859894552",
            "id": "1977039067859894552",
            "full_text": "Look at this launch",
        }
    }
    archive = tmp_path / "tweets.js"
    archive.write_text("window.YTD.tweets.part0 = " + json.dumps([record, record], indent=2))
    refs, _ = extract_one(archive)
    lines = archive.read_text().split("\n")
    ((status_id, line),) = [(r["status_id"], r["line"]) for r in refs]
    assert status_id == "1977039067859894552" and '"id_str"' in lines[line - 1]
    from archiver.refs.cells import ID_KEYS, _Cursor

    listed = '{"x": ["111"], "y": ["111"], "z": ["111"], "w": ["111"],\n "v": ["111"]}'
    assert _Cursor(listed).find("111", ID_KEYS) == (1, 9)  # none keyed: the first place


def test_a_post_cited_only_in_a_reference_managers_field_is_read(tmp_path: Path) -> None:
    """A draft whose bibliography is not inserted yet: the post is only in Zotero's field code
    (`ADDIN ZOTERO_ITEM CSL_CITATION {…"URL":…}`), the text shown `(NASA [@NASA], 2022)`."""
    csl = (
        b' ADDIN ZOTERO_ITEM CSL_CITATION {"citationID":"a1","properties":{"formattedCitation":'
        b'"(NASA [@NASA], 2022)"},"citationItems":[{"id":42,"itemData":{"id":42,"type":"post",'
        b'"title":"Artemis I","URL":"https://twitter.com/NASA/status/1592772442163011586",'
        b'"author":[{"literal":"NASA"}]}}]} '
    )
    field = (
        b'<w:p><w:r><w:t xml:space="preserve">As NASA announced </w:t></w:r>'
        b'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
        + csl
        + b'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        b"<w:r><w:t>(NASA [@NASA], 2022)</w:t></w:r>"
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    parts, _ = word_parts(field)
    refs, doc = extract_one(zipped(parts, tmp_path / "draft.docx"))
    assert doc.error is None
    found = [r["status_id"] for r in refs if r["kind"] == "status_url"]
    assert "1592772442163011586" in found, refs

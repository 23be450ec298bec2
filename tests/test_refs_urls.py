"""Posts named by URL or by id in embed markup, in the forms real documents write them."""

from __future__ import annotations

from archiver.refs import scan


def posts(text: str, document: str = "-") -> list[tuple[str | None, str | None]]:
    return [(r.handle, r.status_id) for r in scan(text, document) if r.kind == "status_url"]


def test_hugo_shortcodes_name_the_post_whatever_their_name_and_argument_order() -> None:
    """Hugo's `x` shortcode (0.141), the older `twitter` and `twitter_simple`, arguments
    unquoted or with the id first, as Hugo sites write them."""
    text = (
        '{{< twitter user="jeqo89" id="1770087702978757098" >}}\n'
        "{{< twitter user=russmckendrick id=812717388332351488 >}}\n"
        '{{< x user="nateberkopec" id="936627901071466496" >}}\n'
        '{{< twitter_simple user="DesignReviewed" id="1085870671291310081" >}}\n'
        '{{< tweet id="1032709720505831425" user="davidpine7" >}}\n'
        '{{< xkcd id="1032709720505831426" >}} {{< x user="a" id="notanid" >}}\n'
    )
    assert posts(text, "post.md") == [
        ("jeqo89", "1770087702978757098"),
        ("russmckendrick", "812717388332351488"),
        ("nateberkopec", "936627901071466496"),
        ("DesignReviewed", "1085870671291310081"),
        ("davidpine7", "1032709720505831425"),
    ]


def test_mdx_embed_tweet_link_is_the_posts_path() -> None:
    """mdx-embed and sveltekit-embed write `<Tweet tweetLink="user/status/id" />`."""
    text = '<Tweet tweetLink="DThompsonDev/status/1315087467733815297" />\n'
    assert posts(text, "post.mdx") == [("DThompsonDev", "1315087467733815297")]


def test_the_tweet_components_of_react_blogs() -> None:
    """`<StaticTweet id>` (Next.js blogs), react-twitter-embed's `<TwitterTweetEmbed tweetId>`,
    `<TweetEmbed tweetId>`; a `Tweet id=` in prose is no component."""
    text = (
        '<StaticTweet id="1346928882595885058" />\n'
        "<TwitterTweetEmbed tweetId={'1346928882595885059'} />\n"
        '<TweetEmbed tweetId="1346928882595885060" />\n'
        'A Tweet id="1346928882595885062" in prose\n'
    )
    assert [i for _, i in posts(text, "post.mdx")] == [
        "1346928882595885058",
        "1346928882595885059",
        "1346928882595885060",
    ]


def test_urls_a_pdf_broke_after_the_scheme_or_a_dot_and_old_ports() -> None:
    """LaTeX's url package breaks a URL after its scheme's colon or a dot of the host; old
    archived URLs carry the port; Jetpack's shortcode may give the id alone."""
    text = (
        "See https://twitter.\ncom/jack/status/1585841080431321088 and https:\n"
        "//x.com/elonmusk/status/1585841080431321089, http://twitter.com:80/jack/status/"
        "1585841080431321090 and the end of a sentence.\n"
        "[tweet 759034293385502721 align='center']\n"
        "curl 'https://cdn.syndication.twimg.com/tweet-result?features=tfw&id=1585841080431321092"
        "&token=4'\n"
    )
    assert posts(text, "refs.txt") == [
        ("jack", "1585841080431321088"),
        ("elonmusk", "1585841080431321089"),
        ("jack", "1585841080431321090"),
        (None, "759034293385502721"),
        (None, "1585841080431321092"),
    ]


def test_hashbang_urls_percent_encoded_or_escaped_and_escaped_underscores() -> None:
    """2010-2012's `#!/` URLs with `!` percent-encoded (as blog engines saved them) or `#`
    escaped (Pandoc's Markdown), and `\\_` in URLs (Markdown, LaTeX, BibTeX): the backslashes
    are markup, the handle is whole (`john_doe`, not an account `john`)."""
    text = (
        "[tweets](https://twitter.com/#%21/selenamarie/status/50586220211867648)\n"
        "[https://twitter.com/\\#!/kaz\\_goto/status/167571575296634881](x)\n"
        "Source: twitter.com/john\\_doe/status/1585841080431321088\n"
        "note = {twitter.com/jane\\_roe/status/1585841080431321099},\n"
        "By [Taras](https://twitter.com/\\#!/taras\\_glek) and http://twitter.com/#%21/japerk.\n"
    )
    refs = scan(text, "post.md")
    assert [(r.kind, r.handle, r.status_id, r.url) for r in refs] == [
        (
            "status_url",
            "selenamarie",
            "50586220211867648",
            "https://twitter.com/#%21/selenamarie/status/50586220211867648",
        ),
        (
            "status_url",
            "kaz_goto",
            "167571575296634881",
            "https://twitter.com/#!/kaz_goto/status/167571575296634881",
        ),
        (
            "status_url",
            "john_doe",
            "1585841080431321088",
            "twitter.com/john_doe/status/1585841080431321088",
        ),
        (
            "status_url",
            "jane_roe",
            "1585841080431321099",
            "twitter.com/jane_roe/status/1585841080431321099",
        ),
        ("account", "taras_glek", None, "https://twitter.com/#!/taras_glek"),
        ("account", "japerk", None, "http://twitter.com/#%21/japerk"),
    ]


def test_fxtwitter_subdomains_and_media_suffixes_name_the_post() -> None:
    """FxTwitter's `d.` (direct media) and `api.` subdomains, and the media URL with the file's
    suffix (`…/status/<id>.jpg`); an API path of X itself (`statuses/<id>.json`) is no post."""
    text = (
        "https://d.fxtwitter.com/jack/status/1585841080431321081\n"
        "Also https://api.fxtwitter.com/jack/status/1585841080431321082\n"
        "Image: https://fxtwitter.com/jack/status/1585841080431321083.jpg.\n"
        "API: https://twitter.com/jack/statuses/1585841080431321084.json\n"
        "Not: https://d.twitter.com/jack/status/1585841080431321085\n"
    )
    refs = [r for r in scan(text) if r.kind == "status_url"]
    assert [(r.handle, r.status_id, r.match.split("/")[2]) for r in refs] == [
        ("jack", "1585841080431321081", "d.fxtwitter.com"),
        ("jack", "1585841080431321082", "api.fxtwitter.com"),
        ("jack", "1585841080431321083", "fxtwitter.com"),
    ]
    assert refs[2].match.endswith("/1585841080431321083.jpg")


def test_a_url_of_a_placeholder_handle_is_a_model_not_a_reference() -> None:
    """Guides write `twitter.com/username` and `…/yourhandle/status/…` where a real URL goes."""
    text = (
        "Replace @username with your handle, e.g. https://twitter.com/username or "
        "https://twitter.com/yourhandle/status/1234567890123456789.\n"
        "Follow us @YourCompany. Example: https://twitter.com/user/status/1234567890\n"
        "Real: https://twitter.com/jack/status/20 and https://twitter.com/jack\n"
    )
    assert [(r.kind, r.handle) for r in scan(text)] == [
        ("status_url", "jack"),
        ("account", "jack"),
    ]


def test_a_post_id_in_other_digits_is_the_same_posts() -> None:
    """`１８６…` (full width) or Arabic-Indic digits in a status URL or named alone: the post's
    id in ASCII digits, so that it is one post, asked for as X writes it."""
    from archiver.capture.inputs import parse_inline
    from archiver.names import status_id_of
    from archiver.refs import scan

    ascii_id = "1864994181010350326"
    full = ascii_id.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    (found,) = scan(f"see https://x.com/lummideast/status/{full} today")
    assert found.status_id == ascii_id
    assert found.canonical_url == f"https://x.com/lummideast/status/{ascii_id}"
    assert found.url.endswith(full)  # the link as written stays as written
    assert status_id_of(full) == ascii_id
    assert status_id_of(f"https://x.com/lummideast/status/{full}") == ascii_id
    assert parse_inline(full).status_id == ascii_id


def test_a_status_url_cut_by_a_line_break_and_an_indentation_is_joined() -> None:
    """A numbered Markdown list's continuation lines and `pdftotext -layout` indent the rest of
    a URL the line cut: after a slash, inside the id's path, after a dot of the host; the URL is
    joined whole, and an entry's URL is the entry's own."""
    from archiver.refs import scan

    listed = (
        "1. Lopez, M. [@MayorLopez]. (2020, June 1). Curfew begins at 9pm tonight for all "
        "residents [Tweet]. Twitter. https://twitter.com/MayorLopez/status/\n"
        "   1267563412345678901\n"
        "2. Reyes, A. [@AnaReyesNews]. (2021, May 3). Polls close at 8 [Tweet]. Twitter. "
        "https://twitter.com/\n   AnaReyesNews/status/1389267563412345678\n"
    )
    cited = [(r.kind, r.handle, r.status_id, r.line) for r in scan(listed) if r.kind != "account"]
    assert cited == [
        ("citation", "MayorLopez", "1267563412345678901", 1),
        ("citation", "AnaReyesNews", "1389267563412345678", 3),
    ]
    laid_out = "See https://twitter.\n         com/MayorLopez/status/1267563412345678901 and\n"
    laid_out += "also https://x.com/NASA/\n         status/1389267563412345678 today"
    assert [r.status_id for r in scan(laid_out) if r.kind == "status_url"] == [
        "1267563412345678901",
        "1389267563412345678",
    ]


def test_a_footnote_mark_run_into_an_id_is_read_apart_with_a_warning() -> None:
    """PDF text runs a superscript footnote mark into the URL before it (`…/status/<id>13`): no
    id has more than 19 digits, so the id is the 19 (or 18) digits a post can have, the rest a
    mark, and a warning says so; so is an 18-digit id with one digit run into it, whose 19
    would name a time to come. A whole id is read as it is."""
    from archiver.refs import scan

    text = (
        "Posted at https://twitter.com/NASA/status/150012345678901248113 and at\n"
        "https://twitter.com/esa/status/98765432109876543212 and "
        "https://twitter.com/jack/status/1500123456789012482 and (2011-2018, eighteen digits)\n"
        "https://twitter.com/barackobama/status/8965232320980787203\n"
    )
    found = [(r.handle, r.status_id, bool(r.warnings)) for r in scan(text)]
    assert found == [
        ("NASA", "1500123456789012481", True),
        ("esa", "987654321098765432", True),
        ("jack", "1500123456789012482", False),
        ("barackobama", "896523232098078720", True),
    ]


def test_a_footnote_mark_after_an_18_digit_id_its_entrys_date_tells_apart() -> None:
    """`…/status/<18 digits>5`: 19 digits that make an id of a later year, in an entry dated on
    the day the first 18 encode; the id is those 18, with a warning. An entry of another day
    keeps its 19 digits and is warned of the disagreement."""
    from archiver.refs import scan

    note = (
        '12. Barack Obama (@BarackObama), "Four more years," Twitter, {day}, 9:00 p.m., '
        "https://twitter.com/BarackObama/status/1966123456789012345.\n"
    )
    (marked,) = scan(note.format(day="April 29, 2012"))
    assert (marked.status_id, marked.url) == (
        "196612345678901234",
        "https://twitter.com/BarackObama/status/196612345678901234",
    )
    assert "footnote's mark" in marked.warnings[0]
    (other,) = scan(note.format(day="May 3, 2013"))
    assert other.status_id == "1966123456789012345" and "disagrees" in other.warnings[0]


def test_a_url_cut_on_pleading_paper_is_joined_past_the_line_number() -> None:
    """A court filing's pleading paper numbers each line (1-28), and its text keeps the number
    before each line: a URL its line cuts goes on after the next line's number."""
    from archiver.refs import scan

    text = (
        "8 Exhibit B: Defendant's post of March 4, 2023, https://x.com/AcmeCorpCEO/status/\n"
        "9 1632074733506379776.\n"
        "10 Exhibit C: a reply, https://twitter.com/JaneRoeReports/\n"
        "11 status/1632100000000000000.\n"
        "12 Exhibit D: the post at https://twitter.com/AcmeCorp\n"
        "13 CEO/status/1632461234567890944, deleted on March 6, 2023.\n"
    )
    assert [(r.kind, r.handle, r.status_id) for r in scan(text)] == [
        ("status_url", "AcmeCorpCEO", "1632074733506379776"),
        ("status_url", "JaneRoeReports", "1632100000000000000"),
        ("status_url", "AcmeCorpCEO", "1632461234567890944"),
    ]


def test_pdf_cuts_inside_an_id_a_handle_or_status() -> None:
    """An id a line break cut with a hyphen (`13469549-⏎70910707707`) is joined, and its link is
    the URL without the hyphen; so is a handle cut after a letter, as LaTeX and a browser's print
    to PDF cut it (`…/realDonald⏎Trump/status/…`), or with a typesetter's hyphen, and the word
    `status` cut the same ways: never an account named `realDonald`. A handle joined longer
    than 15 letters is no handle, and a profile URL at a line's end stays one."""
    from archiver.refs import scan

    text = (
        "[7] https://twitter.com/realDonaldTrump/status/13469549-\n70910707707\n"
        "[9] https://twitter.com/realDonald\nTrump/status/1346954970910707709\n"
        "[10] https://twitter.com/realDonald-\n   Trump/status/1347555316863553542\n"
        "[11] https://twitter.com/GeoConfirmed/st\natus/1498550000000000001\n"
        "[12] https://twitter.com/elonmusk/sta-\ntus/1518677066325053441\n"
        "[13] https://twitter.com/Kharkiv_Regio\nnal/status/1498541234567890123\n"
        "[14] https://x.com/NASA\nnews/status/ were read, and https://x.com/jack\nagain.\n"
    )
    found = scan(text)
    assert [(r.kind, r.handle, r.status_id) for r in found] == [
        ("status_url", "realDonaldTrump", "1346954970910707707"),
        ("status_url", "realDonaldTrump", "1346954970910707709"),
        ("status_url", "realDonaldTrump", "1347555316863553542"),
        ("status_url", "GeoConfirmed", "1498550000000000001"),
        ("status_url", "elonmusk", "1518677066325053441"),
        ("account", "NASA", None),
        ("account", "jack", None),
    ]
    assert found[0].url == "https://twitter.com/realDonaldTrump/status/1346954970910707707"
    assert found[2].url == "https://x.com/realDonaldTrump/status/1347555316863553542"


def test_a_display_url_split_over_spans_names_the_whole_id() -> None:
    """Pages show a long URL's text cut over spans: X's page (`<span aria-hidden="true">`
    parts behind a t.co link), its older page (`js-display-url`, then an `invisible` span) and
    Mastodon's (`ellipsis`, then `invisible`). The id is the parts joined; the part before the
    markup is no post of its own."""
    x_page = (
        '<a href="https://t.co/Ab12Cd34Ef" role="link"><span aria-hidden="true">https://</span>'
        'x.com/AP/status/1603949<span aria-hidden="true">101154201603</span>'
        '<span aria-hidden="true">…</span></a>'
    )
    old_page = (
        '<a href="https://t.co/xyz" class="twitter-timeline-link"><span class="invisible">'
        'https://</span><span class="js-display-url">twitter.com/CNN/status/946</span><span '
        'class="invisible">137848498888704</span><span class="tco-ellipsis">…</span></a>'
    )
    mastodon = (
        '<p><a href="https://twitter.com/yuletide/status/1603949101154201603" rel="nofollow">'
        '<span class="invisible">https://</span><span class="ellipsis">twitter.com/yuletide/'
        'status/1603949</span><span class="invisible">101154201603</span></a></p>'
    )
    for page, post in (
        (x_page, ("1603949101154201603", "AP")),
        (old_page, ("946137848498888704", "CNN")),
        (mastodon, ("1603949101154201603", "yuletide")),
    ):
        posts = [(r.status_id, r.handle) for r in scan(page, is_html=True) if r.status_id]
        assert posts == [post], page
    # a span that ends the URL, then other digits: the URL as it is
    page = '<p>https://x.com/AP/status/1603949101154201603<span class="n">2</span></p>'
    assert [r.status_id for r in scan(page, is_html=True)] == ["1603949101154201603"]


def test_the_invisible_breaks_a_word_processor_puts_in_urls_are_not_the_urls() -> None:
    """Word's and LibreOffice's "no-width optional break" (U+200C, U+200B) after each slash of a
    long URL in a footnote, or inside its id: the URL read without them, never the id's first
    part; a zero-width character elsewhere in the text (Persian's ZWNJ) changes nothing."""
    cases = {
        "https://twitter.com/\u200cjack/\u200cstatus/\u200c1519480761749016577": "jack",
        "(https://x.com/\u200bNASA/\u200bstatus/\u200b1519480761749016577).": "NASA",
        "https://twitter.com/jack/status/151948\u200b0761749016577 and on": "jack",
        "https://twitter.com/jack/status/1519480761749016577\u00ad": "jack",
        "می\u200cخواهم https://x.com/a/status/1519480761749016577": "a",
    }
    for text, handle in cases.items():
        refs = scan(text)
        assert [(r.status_id, r.handle) for r in refs] == [("1519480761749016577", handle)], text
        assert "\u200b" not in refs[0].url and "\u200c" not in refs[0].url
        assert refs[0].url.endswith(f".com/{handle}/status/1519480761749016577")
    note = (
        "1. Donald J. Trump (@realDonaldTrump), Twitter (Jan. 8, 2021, 9:46 AM), "
        "https://twitter.com/\u200crealDonaldTrump/\u200cstatus/\u200c1347569870578266115.\n"
    )
    assert [(r.kind, r.status_id) for r in scan(note)] == [("citation", "1347569870578266115")]


def test_a_pages_breaks_in_a_url_are_not_the_url_nor_cut_its_handle_or_id() -> None:
    """Publishers break long URLs in markup (`<wbr>`, `&shy;`, `&#8203;`) or with the raw
    characters: the post is read whole, never the id's first digits (an older post's id) nor
    the handle's first letters as an account."""
    page = (
        "<p>https://x.com/<wbr>Kyiv/<wbr>status/<wbr>1864956397312987918</p>\n"
        "<p>https://x.com/Kyiv/status/18649563973<WBR>12987919</p>\n"
        "<p>https://x.com/Kyiv/status/18649563973&shy;12987911</p>\n"
        "<p>https://x.com/Kyiv/status/18649563973&#8203;12987914</p>\n"
        "<p>https://x.com/Ky&shy;iv/status/1864956397312987910</p>\n"
        "<p>x.com/Kyiv/<wbr>status/<wbr>1864956397312987920 and https://x.com/jack</p>\n"
    )
    assert [(r.kind, r.status_id or r.handle) for r in scan(page, is_html=True)] == [
        *(("status_url", f"1864956397312987{n}") for n in (918, 919, 911, 914, 910, 920)),
        ("account", "jack"),
    ]
    after = "<P>The post https://x.com/jack/status/1864956397312987921<WBR> was shared.</P>"
    assert [r.status_id for r in scan(after, is_html=True)] == ["1864956397312987921"]
    text = "See https://x.com/Ky\u00adiv/status/1864956397312987907 and x.com/Ky\u200biv now.\n"
    assert [(r.kind, r.status_id) for r in scan(text)] == [("status_url", "1864956397312987907")]


def test_a_url_whose_host_a_lines_end_cuts_is_read_whole() -> None:
    """Word's and Google Docs' PDFs break a long URL in a narrow column or a footnote at any
    letter, its host's too (`https://x.co` / `m/…`, `https://twit` / `ter.com/…`): the post is
    read, at the URL's place; another site's URL cut so names nothing."""
    text = (
        "4 See https://x.co\nm/KyivIndependent/status/1864956397312987904 for the claim.\n\n"
        "5 See https://twit\n   ter.com/KyivIndependent/status/1864956397312987905 for it.\n"
        "6 See https://example.co\nm/status/1864956397312987906 and more.\n\n"
        "7 See https://twit-\nter.com/KyivIndependent/status/1864956397312987907 (hyphenated).\n"
        "8 See https://twitter-\ncom.translate.goog/jack/status/1864956397312987908 (its own).\n"
    )
    found = [(r.status_id, r.handle, r.line, r.column) for r in scan(text)]
    assert found == [
        ("1864956397312987904", "KyivIndependent", 1, 7),
        ("1864956397312987905", "KyivIndependent", 4, 7),
        ("1864956397312987907", "KyivIndependent", 9, 7),
        ("1864956397312987908", "jack", 11, 7),
    ]
    # an APA entry whose URL a typesetter hyphenated in its host takes the URL's post
    entry = (
        "Obama, B. [@BarackObama]. (2012, November 7). Four more years [Tweet]. Twitter. "
        "https://twit-\nter.com/BarackObama/status/266031293945503744\n"
    )
    assert [(r.kind, r.status_id) for r in scan(entry)] == [("citation", "266031293945503744")]


def test_a_defanged_status_url_names_its_post() -> None:
    """Threat reports and OSINT notes write links "defanged", not to be followed: `hxxps`,
    `[.]`, `(.)`, `[:]`. The post is read, at the URL's place, as written."""
    for text, handle in (
        ("IOC: hxxps://x[.]com/HaboubiAnis/status/1759480761749016577 (X)", "HaboubiAnis"),
        ("hXXp://twitter(.)com/jack/status/1519480761749016577", "jack"),
        ("- https[:]//twitter[.]com/jack/status/1519480761749016577\n", "jack"),
        ("hxxps://twitter[.]com/NASA/status/1519480761749016577", "NASA"),
    ):
        refs = scan(text)
        ids = {"HaboubiAnis": "1759480761749016577"}
        assert [(r.status_id, r.handle) for r in refs] == [
            (ids.get(handle, "1519480761749016577"), handle)
        ], text
        assert refs[0].match in text and "[" not in refs[0].url and "(." not in refs[0].url
        assert refs[0].url.lower().endswith(f"/{handle.lower()}/status/{refs[0].status_id}")
    assert [r.status_id for r in scan("[.] https://x.com/a/status/1519480761749016577")] == [
        "1519480761749016577"
    ]


def test_a_mirrors_status_url_names_the_post() -> None:
    """TwStalker's copy of a post (`twstalker.com/<handle>/status/<id>`), cited as a secondary
    archive of it; twiiit.com's, which sends a reader on to a Nitter instance."""
    text = "Secondary archive of his X post: https://twstalker.com/paulg/status/1516856119740141575"
    assert [(r.status_id, r.handle) for r in scan(text)] == [("1516856119740141575", "paulg")]
    text = "Mirror: https://twiiit.com/bellingcat/status/1500000000000000020"
    assert [(r.status_id, r.handle) for r in scan(text)] == [("1500000000000000020", "bellingcat")]


def test_a_status_url_wrapped_twice_names_its_post() -> None:
    """An Outlook safe link around a Google redirect: the post's URL percent-encoded twice
    (`https%253A%252F%252Ftwitter.com%252Fjack…`)."""
    text = (
        "https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.google.com%2Furl"
        "%3Fq%3Dhttps%253A%252F%252Ftwitter.com%252Fjack%252Fstatus%252F1519480761749016505"
        "%26sa%3DD&data=05"
    )
    assert [(r.status_id, r.handle) for r in scan(text)] == [("1519480761749016505", "jack")]


def test_a_url_in_html_escaped_inside_an_attribute_ends_before_its_quote() -> None:
    """A tooltip's HTML kept in an attribute (`data-original-title="<a href=&quot;…&quot;>"`):
    the URL ends before the escaped quote."""
    page = (
        '<li data-original-title="<a target=&quot;_blank&quot; href=&quot;https://twitter.com/'
        'greenheartex/status/1105045271522742273?s=21&quot;>X</a>">x</li>'
    )
    (ref,) = scan(page, is_html=True)
    assert ref.url == "https://twitter.com/greenheartex/status/1105045271522742273?s=21"


def test_a_url_past_the_reach_of_a_defang_mark_is_never_cut_into_a_wrong_id() -> None:
    """A long token with a mark near its start (an IOC line, a redirect's parameters): a URL the
    mark's window ends inside is not read cut short (`/status/15194` is no post)."""
    text = "[.]" + "q" * 372 + "https://x.com/a/status/1519480761749016577&more"
    assert [r.status_id for r in scan(text)] == ["1519480761749016577"]
    # a long query the window ends inside: the id is whole, the post read
    long_query = "see hxxps://twitter[.]com/jack/status/1519480761749016577?" + "utm=b&" * 120
    assert [r.status_id for r in scan(long_query)] == ["1519480761749016577"]


def test_a_urls_entities_are_read_with_their_semicolon_only() -> None:
    """`&amp;` in an href is `&`; a query's own `&quoted=1` or `&not_x=` is not an entity (HTML
    reads one without its `;` in text, never in an attribute); `&#34;` ends a URL in HTML kept
    escaped in an attribute."""
    assert [
        r.url for r in scan("https://twitter.com/g/status/1105045271522742273?s=21&quoted=1")
    ] == ["https://twitter.com/g/status/1105045271522742273?s=21&quoted=1"]
    page = '<a href="https://twitter.com/g/status/1105045271522742273?a=1&amp;not_x=2">x</a>'
    assert [r.url for r in scan(page, is_html=True)] == [
        "https://twitter.com/g/status/1105045271522742273?a=1&not_x=2"
    ]
    escaped = '<li title="<a href=&#34;https://twitter.com/g/status/1105045271522742273&#34;>">'
    assert [r.url for r in scan(escaped, is_html=True)] == [
        "https://twitter.com/g/status/1105045271522742273"
    ]


def test_a_models_id_is_no_post() -> None:
    """API documentation and guides write `1234567890123456789` (or one digit over and over)
    where an id goes: in a code block, a JSON sample, a sentence; a real id beside is read."""
    text = (
        "```\ntweet_id: 1234567890123456789\nurl: https://x.com/i/status/1234567890123456789\n```\n"
        'Request body: `{"tweetUrl": "https://x.com/handle/status/1234567890123456789"}`\n'
        "Supported: Twitter (https://x.com/SpaceX/status/1234567890123456789), "
        "https://twitter.com/elonmusk/status/1111111111111111111 and "
        "https://x.com/i/web/status/1234567890.\n"
        "Real: https://twitter.com/jack/status/20\n"
    )
    assert [(r.kind, r.status_id) for r in scan(text) if r.kind != "account"] == [
        ("status_url", "20")
    ]


def test_a_url_a_typesetter_cut_before_a_dot_or_a_slash() -> None:
    """The Chicago Manual (7.47) has URLs broken before a dot or a slash, as law reviews and
    reports print them: the post is read whole, its footnote's citation takes its id."""
    text = (
        "214 See Donald J. Trump (@realDonaldTrump), TWITTER (Jan. 8, 2021, 9:46 AM), "
        "https://twitter\n   .com/realDonaldTrump/status/1347555316863553542.\n\n"
        "215 Donald J. Trump (@realDonaldTrump), TWITTER (Jan. 8, 2021, 9:46 AM), "
        "https://twitter.com\n   /realDonaldTrump/status/1347555316863553543.\n\n"
        "218 Donald J. Trump (@realDonaldTrump), TWITTER (Jan. 8, 2021, 9:46 AM), "
        "https://twitter.com/realDonaldTrump\n   /status/1347555316863553546.\n\n"
        "See https://twitter\n.com/NASA/status/1592772442163011586 for the launch.\n"
    )
    assert [(r.kind, r.status_id) for r in scan(text)] == [
        ("citation", "1347555316863553542"),
        ("citation", "1347555316863553543"),
        ("citation", "1347555316863553546"),
        ("status_url", "1592772442163011586"),
    ]


def test_an_apa_entrys_url_cut_before_its_status_keeps_its_id() -> None:
    text = (
        "NASA [@NASA]. (2021, February 18). Perseverance has landed [Tweet]. Twitter.\n"
        "https://twitter.com/NASA\n/status/1362512022487437318\n"
    )
    assert [(r.kind, r.status_id) for r in scan(text)] == [("citation", "1362512022487437318")]

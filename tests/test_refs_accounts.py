"""`@word`s that are not accounts on X: other sites' logins and handles, chat mentions, code."""

from __future__ import annotations

from archiver.refs import scan


def accounts(text: str, document: str = "-") -> list[str | None]:
    return [r.handle for r in scan(text, document) if r.kind == "account"]


def test_github_logins_are_not_cut_into_accounts() -> None:
    """GitHub's release notes credit `@jane-doe` and `@github-actions[bot]`: X's handles hold
    no hyphen, so neither is an account, not even its part before the hyphen."""
    text = (
        "* @jane-doe made their first contribution in https://github.com/acme/widget/pull/125\n"
        "Thanks to @dependabot and @github-actions[bot] for updates; ask @jack- or @NASA.\n"
    )
    assert accounts(text, "CHANGELOG.md") == ["dependabot", "jack", "NASA"]


def test_a_handle_labelled_as_another_platforms_is_not_an_account() -> None:
    """A bio or a footer lists handles by platform: `Instagram: @natgeo` is Instagram's."""
    text = (
        "Instagram: @natgeo. TikTok: @khaby.lame. Threads: @zuck\n"
        "instagram:@nasa, IG: @esa, Twitter: @jack, Hi @NASA\n"
        "Follow us on Instagram @natgeo and TikTok @nba, or on X @BBCWorld.\n"
    )
    assert accounts(text) == ["jack", "NASA", "BBCWorld"]


def test_swift_and_kotlin_annotations_and_chat_group_mentions_are_not_accounts() -> None:
    """Swift's `@objc` and `@IBOutlet`, Kotlin's `@JvmStatic`; Slack's and Discord's `@here`,
    `@channel` and `@everyone`."""
    text = (
        "In Swift @objc and @IBOutlet, @State and @Binding; Kotlin @JvmStatic; Perl's @ARGV.\n"
        "Slack: ping @channel and @here. Tag @everyone. Follow @Here_News.\n"
        "Install @babel/core and @types/node first; ask @NASA or @Jack/Posts.\n"
    )
    assert accounts(text) == ["Here_News", "NASA", "Jack"]


def test_an_indented_code_block_is_code_in_markdown_only() -> None:
    """Markdown's code block indented four spaces (a Django decorator); not a list item's
    indented paragraph, and not in plain text, where indenting means nothing."""
    text = (
        "Django:\n\n    @cache_page(60 * 15)\n    def my_view(request):\n\n\tpass @cached\n\n"
        "Then:\n\n- item\n\n    Continued, by @jack\n"
    )
    assert accounts(text, "post.md") == ["jack"]
    assert accounts(text, "notes.txt") == ["cache_page", "cached", "jack"]


def test_github_release_notes_and_an_embed_cards_own_author_are_no_accounts() -> None:
    """GitHub's generated notes credit logins (`by @octocat in https://github.com/…`, `@a made
    their first contribution`); Substack's card of a post shows its author's handle inside the
    link to that post. Neither is an account the document cites; a mention beside them is."""
    notes = (
        "* Fix crash by @octocat in https://github.com/acme/widget/pull/123\n"
        "* @monalisa made their first contribution in https://github.com/acme/widget/pull/125\n"
        "Thanks to @NASA for the data.\n"
    )
    assert [(r.kind, r.handle) for r in scan(notes)] == [("account", "NASA")]
    card = (
        '<div class="tweet"><a href="https://twitter.com/kroger/status/1271516803756425218">'
        '<span class="tweet-author-name">Kroger</span><span class="tweet-author">@kroger</span>'
        "<p>As a company…</p></a></div><p>Asked, @kroger said nothing more.</p>"
    )
    assert [(r.kind, r.handle) for r in scan(card)] == [
        ("status_url", "kroger"),
        ("account", "kroger"),
    ]


def test_a_mention_in_an_embeds_byline_name_is_not_an_account() -> None:
    """An author's display name may hold another `@word` (`Jukan @COMPUTEX`): part of the name."""
    text = (
        '<blockquote class="twitter-tweet"><p>Body</p>&mdash; Jukan @COMPUTEX (@jukan05) '
        '<a href="https://twitter.com/jukan05/status/1798000000000000000">June 4, 2024</a>'
        "</blockquote>\n<p>Later, @COMPUTEX replied.</p>"
    )
    assert accounts(text) == ["COMPUTEX"]
    (embed,) = [r for r in scan(text) if r.kind == "attribution"]
    assert embed.author_name == "Jukan @COMPUTEX" and embed.handle == "jukan05"


def test_chat_exports_and_json_keys_name_no_accounts() -> None:
    """Slack's and Discord's mentions of a user id (`<@U024BE7LH>`), a phone number in a chat
    export (`@4915123456789`), JSON-LD's and Logstash's keys (`@context`, `@timestamp`)."""
    text = "Slack <@U024BE7LH> said; WhatsApp @4915123456789 wrote; ask @jack or @12345.\n"
    assert accounts(text) == ["jack", "12345"]
    from archiver.refs.cells import read_json

    data = '{"@context": "https://schema.org", "@timestamp": "x", "author": "@NASA"}'
    assert [r.handle for r in read_json(data, "post.json")] == ["NASA"]


def test_a_time_written_after_an_at_sign_is_no_account() -> None:
    """`@10:30`, `@9.15`, `@19h30` in notes and mail say when, not who; all-digit handles that
    are not times stay accounts."""
    text = "Meet @10:30 or @9.15 (Paris: @19h30); follow @1234, @12 and @2024h today.\n"
    assert accounts(text) == ["1234", "12", "2024h"]


def test_blade_directives_phpdoc_tags_and_tex_commands_are_no_accounts() -> None:
    """Laravel Blade's `@endif`, `@foreach`, `@csrf`…, PHPDoc's `@var`, TeX's `\\@ifundefined`
    and a guide's `@YourTwitterHandle` are code or placeholders; a mention beside them is one."""
    text = (
        "Blade: @if($x) @endif @foreach @csrf @yield('content') @section('x')\n"
        "PHP: @var int $x; @throws Exception\n"
        "TeX: \\makeatletter \\@ifundefined; a guide's @YourTwitterHandle;\n"
        "as @BBCBreaking reported.\n"
        "Words that are handles too, without a call: ask @yield and @stack.\n"
    )
    assert accounts(text) == ["BBCBreaking", "yield", "stack"]


def test_handles_other_platforms_name_in_prose_are_no_accounts_on_x() -> None:
    """OSINT and fact-check reports name where an account is: `the Telegram channel @rybar`
    (and `@a and @b` after it), `TikTok user @…`, `The YouTube channel @…`, `On Instagram,
    @natgeo`. Those are not accounts on X; mentions beside them are."""
    text = (
        "The video first appeared on the Telegram channel @rybar before spreading.\n"
        "It was reposted by the pro-Kremlin Telegram channels @readovkanews and @grey_zone.\n"
        "On Telegram, @WarGonzo shared it. TikTok user @newsbyte_ua uploaded the clip.\n"
        "The YouTube channel @DWNews covered it. On Instagram, @natgeo shared the photo.\n"
        "On Twitter, @jack and @biz wrote; the X account @Support answered.\n"
        "The Telegram channels @rybar2, @readovka2 and @grey_zone2 posted it.\n"
        "He quit Facebook, @zuck said. After YouTube, @MrBeast moved on.\n"
        "His Truth Social account @realDonaldTrump and, On Truth Social, @TeamTrump; on social "
        "media, @WhiteHouse.\n"
    )
    assert accounts(text) == ["jack", "biz", "Support", "zuck", "MrBeast", "WhiteHouse"]


def test_followers_makers_and_an_account_that_is_elsewhere_are_not_x_accounts() -> None:
    """`her Instagram followers (@selenagomez)`, `YouTuber @MrBeast`, `Our Threads account is
    @zuck`: another platform's; `work @home` names X's own page, which no account can be."""
    text = (
        "The singer told her 300 million Instagram followers (@selenagomez).\n"
        "YouTuber @MrBeast uploaded a new video. Our Threads account is @zuck.\n"
        "I will work @home today. The X account @Support answered, and @jack agreed.\n"
    )
    assert accounts(text) == ["Support", "jack"]


def test_a_telegram_html_exports_mentions_are_telegrams() -> None:
    """Telegram Desktop's HTML export links a mention to no page (`<a href=""
    onclick="return ShowMentionName()">@h</a>`), as its JSON export marks it a mention: a
    Telegram username, not an account on X; one linked to X's profile is."""
    page = (
        '<div class="text">Подписаться: <a href="" onclick="return ShowMentionName()">@intelslava'
        '</a> | on X <a href="https://x.com/jack">@jack</a></div>\n'
    )
    assert [r.handle for r in scan(page) if r.kind == "account"] == ["jack"]


def test_a_name_with_the_letter_x_does_not_name_the_platform() -> None:
    """A Telegram channel's handle is that platform's in the whole text unless its line names X
    too. `Malcolm X`, `Generation X`, an `X-ray` do not name X; `on X` and an `X post` do."""
    text = (
        "The Telegram channel @rybar quoted Malcolm X.\n"
        "Generation X readers of the Telegram channel @readovkanews saw the X-ray.\n"
        "The Telegram channel @grey_zone, also on X, posted it.\n"
        "In an X post, the Telegram channel @WarGonzo agreed.\n"
        "Later @rybar, @readovkanews, @grey_zone and @WarGonzo deleted it.\n"
        "Contact: Telegram @rybar_tg | X @rybar_tg\n"  # the same handle on both: X's too
    )
    assert accounts(text) == ["grey_zone", "WarGonzo", "rybar_tg"]


def test_a_mention_linked_to_another_sites_profile_is_that_sites_account(tmp_path) -> None:
    """Mastodon's status HTML links each mention to its profile there (`<a href="https://
    mastodon.social/@Gargron" class="u-url mention">@<span>Gargron</span></a>`), as Bluesky's
    pages do: those are not accounts on X. A mention linked to X's profile, or in the words of a
    link to an article, still is. Telegram's export (`result.json`) holds its mentions as
    entities (`{"type": "mention", "text": "@rybar"}`): Telegram's usernames."""
    import json

    from archiver.refs import extract_paths

    page = (
        '<p><span class="h-card"><a href="https://mastodon.social/@Gargron" class="u-url '
        'mention">@<span>Gargron</span></a></span> see <a href="https://bsky.app/profile/'
        'jay.bsky.team">@jay.bsky.team</a>, <a href="https://twitter.com/jack">@jack</a> and '
        '<a href="https://example.com/story">what @NASA said</a></p>'
    )
    assert [r.handle for r in scan(page, is_html=True) if r.kind == "account"] == ["jack", "NASA"]
    export = {
        "name": "Rybar",
        "type": "public_channel",
        "messages": [
            {
                "id": 12,
                "type": "message",
                "from_id": "channel1326223284",
                "text": [
                    "subscribe to ",
                    {"type": "mention", "text": "@rybar"},
                    " via https://x.com/BBCWorld",
                ],
                "text_entities": [
                    {"type": "plain", "text": "subscribe to "},
                    {"type": "mention", "text": "@rybar"},
                    {"type": "plain", "text": " via https://x.com/BBCWorld"},
                ],
            }
        ],
    }
    (tmp_path / "result.json").write_text(json.dumps(export, indent=1))
    found = [r for doc in extract_paths([str(tmp_path / "result.json")]) for r in doc.refs]
    assert [(r.kind, r.handle) for r in found] == [("account", "BBCWorld")]


def test_a_cited_posts_author_written_again_is_no_account() -> None:
    """Chicago's short note (`Belcourt (@nakinisowin), "Poetry…"`) after the full one, and an
    author-date in-text citation (`(@NASA 2024)`): the author of a cited post, not an account
    the text cites. The same handle in prose is one."""
    notes = (
        "1. Billy-Ray Belcourt (@nakinisowin), “Poetry is a way of life,” Twitter, June 4, 2020, "
        "8:15 p.m., https://twitter.com/nakinisowin/status/1268687218003546112.\n"
        "2. Belcourt (@nakinisowin), “Poetry is a way.”\n"
        '3. Smith (@smith_j), "A short title."\n'
    )
    assert [(r.kind, r.handle) for r in scan(notes)] == [("citation", "nakinisowin")]
    text = "As the agency noted (@NASA 2024), the launch slipped (@jack, 2006a; Smith 2010)."
    assert accounts(text) == []
    assert accounts("As Jack Dorsey (@jack) wrote, the launch by @NASA slipped.") == [
        "jack",
        "NASA",
    ]


def test_an_embedded_posts_author_is_no_account_in_the_page_nor_in_oembed_json(
    tmp_path,
) -> None:
    """An embed's author named again in the text (`As @NASA wrote:` above NASA's post) and an
    oEmbed answer's `author_url`: the author of a post the document cites, not an account."""
    import json

    from archiver.refs import extract_paths

    page = (
        '<p>As @NASA wrote:</p><blockquote class="twitter-tweet"><p>Liftoff!</p>&mdash; NASA '
        '(@NASA) <a href="https://twitter.com/NASA/status/1519480761749016577">April 28, 2022</a>'
        "</blockquote><p>Follow @esa too.</p>"
    )
    assert [r.handle for r in scan(page, is_html=True) if r.kind == "account"] == ["esa"]
    oembed = {
        "url": "https://twitter.com/Interior/status/463440424141459456",
        "author_name": "US Department of the Interior",
        "author_url": "https://twitter.com/Interior",
        "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Sunsets over <a href='
        '"https://twitter.com/GrandTetonNPS?ref_src=twsrc%5Etfw">@GrandTetonNPS</a></p>&mdash; US '
        'Department of the Interior (@Interior) <a href="https://twitter.com/Interior/status/'
        '463440424141459456?ref_src=twsrc%5Etfw">May 5, 2014</a></blockquote>',
        "provider_name": "Twitter",
        "type": "rich",
    }
    (tmp_path / "oembed.json").write_text(json.dumps(oembed))
    found = [
        (r.kind, r.handle) for d in extract_paths([str(tmp_path / "oembed.json")]) for r in d.refs
    ]
    assert found == [("attribution", "Interior"), ("account", "GrandTetonNPS")]


def test_handles_of_telegram_matrix_packages_and_pandoc_keys_are_not_accounts() -> None:
    """Bots' READMEs (`Telegram (@BotFather)`, then `search for @BotFather`), OSINT reports
    (`channel Rybar (@rybar) on Telegram`, `Telegram channels such as @a and @b`), Matrix's
    user ids, npm's scoped packages where the text speaks of building with them, and an R
    Markdown paper's in-text keys where its front matter names a bibliography; an X handle in
    a line that names X stays one."""
    bots = (
        "## Step 2: Create Bot on Telegram (@BotFather)\n"
        "1. **Open Telegram** and search for: **@BotFather**\n"
        "The strike was first reported by the milblogger channel Rybar (@rybar) on Telegram. "
        "Pro-Kremlin Telegram channels such as @readovkanews and @rian_ru amplified it.\n"
        "The claim was then shared on X by @rybar's critics, including @EliotHiggins.\n"
        "Matrix: @t_x:matrix.org or @jotrorox:matrix.org\n"
        "- Built with @mui/material components; only depends on @tanstack/react-query.\n"
    )
    assert [r.handle for r in scan(bots, "README.md") if r.kind == "account"] == [
        "rybar",  # its own line names X
        "EliotHiggins",
    ]
    paper = (
        "---\ntitle: Misinformation\nbibliography: references.bib\n---\n\n"
        "As @vosoughi2018 showed, and @Cinelli2020 extend, while [@lazer2018] agrees.\n"
    )
    assert [r for r in scan(paper, "paper.Rmd") if r.kind == "account"] == []
    assert [r.handle for r in scan(paper, "notes.txt") if r.kind == "account"] == [
        "vosoughi2018",
        "Cinelli2020",
    ]


def test_what_labels_a_handle_another_platforms_and_what_does_not() -> None:
    """`(@h) on Social Media` is no Truth Social; a handle given for X and another platform at
    once (`on Twitter and Instagram (@nasa)`) is X's; a Twitter list written `@nytimes/politics`
    in prose is its owner's, where no package is spoken of."""
    text = (
        "Chapter 3: Donald Trump (@realDonaldTrump) on Social Media\n"
        "Follow NASA on Twitter and Instagram (@nasa) for launch news.\n"
        "I follow the news using the list @nytimes/politics every morning.\n"
    )
    assert [r.handle for r in scan(text) if r.kind == "account"] == [
        "realDonaldTrump",
        "nasa",
        "nytimes",
    ]

"""URL forms that name posts, short links and accounts, and their canonical forms.

Everything here works on plain strings; positions are offsets into the string scanned.
"""

from __future__ import annotations

import html
import os
import re
from typing import NamedTuple

from .cues import near
from .ids import id_ceiling, marked, plausible

# Hosts that serve a post at /<user>/status/<id>. Nitter mirrors come and go: extend the list
# with ARCHIVER_NITTER_HOSTS="host1,host2".
# Embed-fixing mirrors also serve a post on their subdomains (FxTwitter's `d.` for its media,
# `api.` for its data) and its media at the URL with the file's suffix (`…/status/<id>.jpg`).
MIRROR_HOSTS = "fxtwitter.com vxtwitter.com fixupx.com fixvx.com twittpr.com".split()
STATUS_HOSTS = (
    """
    twitter.com x.com nitter.net nitter.poast.org nitter.privacydev.net xcancel.com nitter.space
    nitter.cz nitter.it nitter.1d4.us nitter.kavin.rocks twitter-com.translate.goog
    x-com.translate.goog tweetdeck.twitter.com twstalker.com twiiit.com
""".split()
    + MIRROR_HOSTS
)
PROFILE_HOSTS = ["twitter.com", "x.com"]
HANDLE = r"[A-Za-z0-9_]{1,15}"
# A handle and the hashbang of 2010-2012's URLs (`twitter.com/#!/user`) as URLs are written in
# Markdown, LaTeX and BibTeX: `_` escaped (`john\_doe`), `#` escaped (Pandoc's `\#!/`), `!`
# percent-encoded (`#%21/`). The backslashes are markup, not part of the URL.
URL_HANDLE = r"(?:[A-Za-z0-9_]|\\_){1,15}"
HASHBANG = r"(?:\\?#(?:!|%21)/)?"
# First path segments that are pages of the site, not accounts.
# X's own pages, which no account can be named after (`x.com/home`), and the other first parts
# of its paths that are no handle
PAGES = frozenset(
    """i home search hashtag intent share settings explore notifications messages login logout
    signup tos privacy compose""".split()
)
RESERVED = PAGES | frozenset(
    """
    about help account following followers lists download jobs
    widgets oauth status statuses who_to_follow rules media personalization notices
    verified_followers communities bookmarks topics moments events tweetdeck web
    privacy_policy en es fr de ja ar pt ru it ko nl tr pl sv id hi
""".split()
)


def hosts_pattern(hosts: list[str]) -> str:
    return "|".join(re.escape(h) for h in sorted(set(hosts), key=len, reverse=True))


def status_hosts() -> list[str]:
    extra = os.environ.get("ARCHIVER_NITTER_HOSTS", "")
    return STATUS_HOSTS + [h.strip().lower() for h in extra.split(",") if h.strip()]


def is_x_host(host: str) -> bool:
    """Whether `host` is X's (twitter.com, x.com and their subdomains, t.co) or a mirror's."""
    host = host.lower().rstrip(".")
    return host == "t.co" or any(host == h or host.endswith("." + h) for h in status_hosts())


_TAIL = r"(?:/(?:photo|video)/\d{1,2})?/?(?:\?[^\s\"'<>()\[\]{},|\\^`]*)?(?:#[\w.-]*)?"


TAIL_RE = re.compile(_TAIL)
# The rest of an id on the next line: joined when the whole has the 17 to 19 digits of every
# post since December 2010 (a part with fewer is rarely an id: 16 digits were the first month
# of snowflakes, 12 to 15 no id at all), and is plausible.
# A line break inside a URL, and the next line's indentation (a Markdown list item's, a PDF's
# column as pdftotext lays it out): the one rule every URL form and its cue follow
LINE_CUT = r"\r?\n[ \t]*(?:[1-9]\d?[ \t]+(?=\S))?"  # (a pleading's line number, `9 `, first)
BREAK = rf"(?:{LINE_CUT})?"
LINE_CUT_RE = re.compile(LINE_CUT)
CUT_ID_RE = re.compile(rf"-?{LINE_CUT}(\d{{1,19}})(?!\d)")  # (`-`: a hyphen the cut added)
# The rest of an id behind markup: a display URL whose text a page split over spans (X's page,
# `…/status/1603949<span aria-hidden="true">101154201603</span>`; its older page and Mastodon's,
# `…/status/946</span><span class="invisible">137848498888704`). Joined likewise; the part
# before the markup is never an id of its own.
SPAN_CUT_ID_RE = re.compile(r"(?:</?span\b[^<>]{0,200}>)+(\d{1,19})(?!\d)")
SPAN_TAG_RE = re.compile(r"</?span\b[^<>]{0,200}>")
SOFT_BREAKS = "\u200b\u200c\u200d\u2060\u00ad\ufeff"  # see wrapped.py
# The same in a page's markup: `<wbr>`, a soft hyphen's or a zero-width space's entity
HTML_BREAK_RE = re.compile(r"<wbr\s*/?>|&(?:shy|#173|#x0*ad|#8203|#x200b);", re.IGNORECASE)
ESCAPED_QUOTE_RE = re.compile(r"&(?:quot|#34|#x22);", re.IGNORECASE)  # a URL's end there
ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _status_re(hosts: list[str]) -> re.Pattern[str]:
    # A PDF's line may end after any slash of the URL (`twitter.com/`, `x.com/user/`), and as
    # LaTeX's url package breaks it, after the scheme's colon and a dot of the host; as the
    # Chicago Manual (7.47) has typesetters break it, before a dot or a slash.
    broken_hosts = hosts_pattern(hosts).replace(r"\.", rf"{BREAK}\.{BREAK}")
    return re.compile(
        rf"(?<![\w.-])(?:https?:{BREAK}//{BREAK})?(?:www\.|mobile\.|m\.)?"
        rf"(?:[a-z]{{1,8}}\.(?=(?:{hosts_pattern(MIRROR_HOSTS)})/))?"
        rf"(?P<host>{broken_hosts})(?::(?:80|443))?"  # the port old archived URLs carry
        rf"{BREAK}/{BREAK}(?:{HASHBANG}(?P<user>{URL_HANDLE}){BREAK}/{BREAK}status(?:es)?"
        rf"|i/web/status|i/status|statuses){BREAK}/{BREAK}(?P<id>\d+)" + _TAIL,
        re.IGNORECASE,
    )


STATUS_RE = _status_re(status_hosts())
SHORT_RE = re.compile(
    r"(?:(?<![\w.-])(?:https?://)?t\.co|(?:https?://)?pic\.(?:twitter|x)\.com)"
    r"/(?P<code>[A-Za-z0-9]+)",
    re.IGNORECASE,
)
API_PATH_RE = re.compile(r"\.\w")
MEDIA_SUFFIX_RE = re.compile(r"\.(?:jpe?g|png|gif|webp|mp4)(?!\w|\.\w)", re.IGNORECASE)
# Cues: a literal each form holds (found fast), checked for what must surround it there. Letters
# are spelled in both cases, with the four letters outside ASCII that a case-blind pattern takes
# for ASCII ones (İ and ı for i, ſ for s, K for k).
CASELESS_HANDLE = "[A-Za-z0-9_\u0130\u0131\u017f\u212a]"
STATUS_CUE = re.compile(
    rf"/{BREAK}[sS][tT][aA][tT][uU][sS](?=(?:[eE][sS\u017f])?{BREAK}/{BREAK}\d)"
)
SHORT_CUE = re.compile(  # t.co/… or pic.twitter.com/… or pic.x.com/…
    r"\.(?:(?<=[tT]\.)[cC][oO]|(?<=[pP][iI\u0130\u0131][cC]\.[xX]\.)[cC][oO][mM]"
    r"|(?<=[pP][iI\u0130\u0131][cC]\.[tT][wW][iI\u0130\u0131][tT][tT][eE][rR]\.)[cC][oO][mM])"
    r"/(?=[A-Za-z0-9\u0130\u0131\u017f\u212a])"
)
TRAILING_PUNCT = ".,;:!?)]}'\"…"
TCO_CODE_LEN = 10  # every t.co and pic.twitter.com code since 2012


class StatusURL(NamedTuple):
    url: str  # exactly as written
    status_id: str
    handle: str | None
    start: int
    end: int
    link: str | None = None  # the post's URL, when `url` is markup that names it by id
    warning: str | None = None

    @property
    def canonical_url(self) -> str:
        return canonical_status_url(self.status_id, self.handle)


def canonical_status_url(status_id: str, handle: str | None) -> str:
    return f"https://x.com/{handle or 'i/web'}/status/{status_id}"


def post_url(status_id: str | None, handle: str | None) -> str | None:
    """An embed's or a citation's post URL, once its id is known."""
    return canonical_status_url(status_id, handle) if status_id else None


# How far past the cue the search runs: the required part of a match (an id, a code, a handle)
# and its usual tail, plus cues.MARGIN.
STATUS_AHEAD = 64  # `es/`, an id and a query
SHORT_AHEAD = 28  # a ten-letter code
# How far before its cue a match can start: `https://pic.twitter` before `.com/`. Every
# start tried costs a little.
SHORT_BACK = 19


def trim_punct(text: str, start: int, end: int, floor: int) -> int:
    """Drop trailing punctuation a linkifier would not take (never below `floor`)."""
    while end > floor and text[end - 1] in TRAILING_PUNCT:
        end -= 1
    return end


def find_status_urls(text: str) -> list[StatusURL]:
    found = []
    latest_ms = None
    for m in near(STATUS_RE, STATUS_CUE, text, 80, STATUS_AHEAD, past_spaces=True):
        digits, id_end = m.group("id"), m.end("id")
        after = text[id_end : id_end + 3]
        mirror = m.group("host").replace("\n", "").replace("\r", "").lower() in MIRROR_HOSTS
        media = MEDIA_SUFFIX_RE.match(text, id_end) if mirror else None  # `…/<id>.jpg`
        ellipsis = (after[:1] == "…" or after == "...") and len(digits) < 19  # (19: whole)
        brk = HTML_BREAK_RE.match(text, id_end) if after[:1] in ("<", "&") else None
        broken = (after[:1] != "" and after[0] in SOFT_BREAKS) or (
            brk is not None and text[brk.end() : brk.end() + 1].isdigit()  # the id goes on
        )  # read whole by wrapped.py
        if ellipsis or (API_PATH_RE.match(after) and not media) or broken:
            continue  # cut short ("…/status/18649…"), an API path ("statuses/123.xml")
        if latest_ms is None:
            latest_ms = id_ceiling(None)
        start, match_end = m.start(), media.end() if media else m.end()
        spans = cut = None
        if len(digits) < 17:
            spans = SPAN_CUT_ID_RE.match(text, id_end) if text.startswith("<", id_end) else None
            cut = spans or CUT_ID_RE.match(text, id_end)
        hyphen = None
        if cut and 17 <= len(digits) + len(cut.group(1)) <= 19:
            whole = digits + cut.group(1)  # an id a PDF's line break cut in two
            if plausible(whole, latest_ms):
                hyphen = f"{digits}-" if cut.group(0).startswith("-") else None
                digits, id_end, spans = whole, cut.end(), None
                match_end = TAIL_RE.match(text, id_end).end()  # type: ignore[union-attr]
        if spans:
            continue  # a display URL's first part, whose rest does not make an id
        warning = None
        if 19 < len(digits) <= 21 or (len(digits) == 19 and not plausible(digits, latest_ms)):
            digits, warning = marked(digits, latest_ms)  # a footnote's mark run into the id
        if not plausible(digits, latest_ms):
            continue
        user = m.group("user")
        user = user.replace("\\", "") if user else user
        if user and user.lower() == "i":
            user = None  # /i/status/<id>: no handle in the URL
        elif user and user.lower() in RESERVED:
            continue
        if len(digits) < 9 and "\n" in text[m.start() : id_end]:
            continue  # `status/` at a line's end, then a list's number: not an id cut in two
        end = trim_punct(text, start, match_end, id_end)
        quoted = ESCAPED_QUOTE_RE.search(text, id_end, match_end)  # HTML in an attribute
        end = quoted.start() if quoted else end
        url = text[start:end]
        plain = LINE_CUT_RE.sub("", url).replace("\\", "")  # a line cut, escapes
        if "<" in plain:
            plain = SPAN_TAG_RE.sub("", plain)
        if hyphen:
            plain = plain.replace(hyphen, hyphen[:-1], 1)
        link = unescape_url(plain) if plain != url else None
        if warning:
            link = canonical_status_url(digits, user)
        found.append(StatusURL(url, digits, user, start, end, link, warning))
    from .wrapped import find_wrapped  # the forms inside other services' links

    latest_ms = latest_ms or id_ceiling(None)
    found += find_wrapped(text, lambda digits: plausible(digits, latest_ms))
    return found


# Embeds that name a post by its id alone, in the markup of the tools that render them: AMP's
# `<amp-twitter data-tweetid=…>`, a widget's `data-tweet-id`, the iframe the widget makes
# (`platform.twitter.com/embed/Tweet.html?…id=…`, or `index.html`), Hugo's `{{< tweet user="…"
# id="…" >}}` (its arguments in any order, quoted or not; the `x`, `twitter` and `twitter_simple`
# shortcodes alike; the older `{{< tweet 123 >}}`), MDX's `<Tweet id="…" />` (react-tweet,
# `tweetId` or `tweetLink` in others), and the web intents of an embed's buttons
# (`intent/like?tweet_id=…`). Each form with a literal a text must hold for it to be looked for
# (each search starts with its literal, which the regex engine finds fast).
EMBED_ID = r"(?P<id>\d{4,19})(?!\w)"  # an id, whole (a clone's `<Tweet id={1} />` is not one)
# A query's parameters before the one wanted, skipped one by one (at most 20), each `&` written
# bare or as `&amp;` (taken whole: trying both splits of every `&amp;` was exponential).
QUERY_SKIP = r"(?:[^\s\"'<>&#]{0,200}&(?:amp;)?+){0,20}?"
SHORTCODE_ARGS = r"[^{}<>]{0,300}?"  # a shortcode's other arguments, in any order
EMBED_ID_FORMS = (
    ("data-tweet", re.compile(rf"""data-tweet-?id\s*=\s*["']?{EMBED_ID}""")),
    # Thread Reader App's page of a thread, each post `data-tweet="…"` (the whole value an id:
    # a share button's `data-tweet` holds the text it offers)
    ("data-tweet=", re.compile(r"""data-tweet=(["'])(?P<id>\d{4,19})\1""")),
    (  # Hugo's shortcodes: `tweet`, `x`, and the older `twitter` and `twitter_simple`
        "{{",
        re.compile(
            r"\{\{[<%]\s*(?:tweet|twitter(?:_simple)?|x)\s+"
            rf"(?=(?:{SHORTCODE_ARGS}\s)?user\s*=\s*[\"']?(?P<user>{HANDLE})[\"']?[\s>%])?"
            rf"(?:{SHORTCODE_ARGS}\s)?(?:id\s*=\s*)?[\"']?{EMBED_ID}[\"']?{SHORTCODE_ARGS}[>%]\}}\}}",
            re.IGNORECASE,
        ),
    ),
    (  # react-tweet's `<Tweet id>` (and blogs' `<StaticTweet>`, react-twitter-embed's
        # `<TwitterTweetEmbed tweetId>`…); mdx-embed's and sveltekit-embed's `tweetLink` is the
        # URL's path: `user/status/id`
        "Tweet",
        re.compile(
            r"<(?:Static|Twitter|Embedded|Client)?Tweet(?:Embed)?\s(?:[^<>]*?\s)?"
            r"(?:(?:id|tweetId)\s*=\s*[{\"']*"
            rf"|tweetLink\s*=\s*[{{\"']*(?P<user>{HANDLE})/status/){EMBED_ID}"
        ),
    ),
    (  # Embetty's element, a privacy-minded embed German publishers (heise) serve
        "embetty-tweet",
        re.compile(rf"""<embetty-tweet\s(?:[^<>]*?\s)?status\s*=\s*["']?{EMBED_ID}"""),
    ),
    (  # Liquid's tags by id alone (Forem's, as on dev.to): `{% twitter 834439977220112384 %}`
        "{%",
        re.compile(rf"\{{%-?\s*(?:tweet|twitter)\s+[\"']?{EMBED_ID}[\"']?\s*-?%\}}"),
    ),
    (  # Jetpack's shortcode by id alone: `[tweet 759034293385502721 align='center']`
        "[tweet",
        re.compile(rf"\[tweet\s+(?:id=)?[\"']?{EMBED_ID}[\"']?(?:\s[^\[\]]{{0,200}})?\]"),
    ),
    (  # the widget's iframe (`Tweet.html`, the newer `index.html`), on its own host only
        "/embed/",
        re.compile(
            r"platform\.(?:twitter|x)\.com/embed/(?:Tweet|index)\.html\?"
            rf"{QUERY_SKIP}id={EMBED_ID}"
        ),
    ),
    (  # the embed widget's own data API, as developers' notes and scrapers cite it
        "tweet-result",
        re.compile(rf"cdn\.syndication\.twimg\.com/tweet-result\?{QUERY_SKIP}id={EMBED_ID}"),
    ),
    (  # the web intents an embed's buttons link to: reply, repost, like
        "intent/",
        re.compile(
            r"(?<![\w.-])(?:www\.|mobile\.)?(?:twitter|x)\.com/intent/(?:tweet|retweet|like|favorite)\?"
            rf"{QUERY_SKIP}(?:in_reply_to|tweet_id)={EMBED_ID}"
        ),
    ),
)


def find_embed_ids(text: str) -> list[StatusURL]:
    """Posts named by id in embed markup (EMBED_ID_FORMS), as status URLs whose link is made."""
    found: list[StatusURL] = []
    if "{" not in text and "weet" not in text and "/embed/" not in text:  # most texts: none
        return found
    for literal, form in EMBED_ID_FORMS:
        if literal not in text:
            continue
        latest_ms = id_ceiling(None)
        for m in form.finditer(text):
            digits = m.group("id")
            if plausible(digits, latest_ms):
                user = m.groupdict().get("user")
                link = canonical_status_url(digits, user)
                found.append(StatusURL(m.group(0), digits, user, m.start(), m.end(), link))
    return sorted(found, key=lambda f: f.start)


class ShortLink(NamedTuple):
    url: str
    code: str
    start: int
    end: int
    warning: str | None = None

    @property
    def canonical_url(self) -> str:
        return f"https://t.co/{self.code}"


def find_short_links(text: str) -> list[ShortLink]:
    """Short links, each with its code; not one an ellipsis cuts short (`https://t.co/AbC…`,
    a retweet's text cut at 140 characters): what is left of it names another link, or none."""
    found = []
    for m in near(SHORT_RE, SHORT_CUE, text, SHORT_BACK, SHORT_AHEAD, past_spaces=True):
        code, end, warning = m.group("code"), m.end(), None
        if len(code) < TCO_CODE_LEN and text.startswith(("…", "..."), end):
            continue
        if len(code) > TCO_CODE_LEN and "pic." in m.group(0).lower():
            end = m.start("code") + TCO_CODE_LEN  # glued to the word after it
            code = code[:TCO_CODE_LEN]
            warning = (
                "short link glued to the following text; code taken as its first 10 characters"
            )
        found.append(ShortLink(text[m.start() : end], code, m.start(), end, warning))
    return found


def unescape_url(url: str) -> str:
    """A URL as written in HTML (`&amp;`) made literal: an entity with its `;` only, as in an
    attribute (`?a=1&quoted=2` and `&not_x=` are the query's own)."""
    return ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), url) if "&" in url else url

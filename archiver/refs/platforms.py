"""Where a reference-list entry says its post is: on X (Twitter, by its names, an entry's marker,
or the post's URL after the entry), or on another platform (an Instagram or TikTok post's entry,
whose handle is not an account on X)."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from .urls import BREAK, LINE_CUT, LINE_CUT_RE

if TYPE_CHECKING:
    from .accounts import Account

# `, Twitter (Jan. 8, 2021, 9:46 AM)`; and as congressional reports write it, `, Twitter, June
# 15, 2022 7:40 p.m. ET, available at URL`. Law reviews set the platform in small capitals,
# which their PDFs' text gives as `TWITTER`; and a PDF's line may break after the comma.
# X as entries name it since 2023: `X (formerly Twitter)`, `X, formerly (known as) Twitter`
X_NAME = (
    r"X(?:[ \t\u00a0]+\((?:formerly[ \t\u00a0]+)?Twitter\)"
    r"|,[ \t\u00a0]+formerly(?:[ \t\u00a0]+known[ \t\u00a0]+as)?[ \t\u00a0]+Twitter)?"
)
BLUEBOOK_PLATFORM = (
    rf"[ \t\u00a0]*,[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?(?:Twitter|TWITTER|{X_NAME})"
    r"(?:[ \t\u00a0]*\(|,(?=[ \t\u00a0]*[A-Z]))"
)
BLUEBOOK_RE = re.compile(BLUEBOOK_PLATFORM)
MARKER_RE = re.compile(
    r"\s*(?:\((?:https?://)?[^\s()]+\)\s*)?"  # a rendered citation's link, printed
    r"(?:\\?\[[^\]\n]{1,40}\]\.?\s*){0,4}?\\?[\[(]"  # `\[Tweet\]`: as Markdown escapes it
    # as APA's guides in other languages write it: Spanish, Russian and Ukrainian, Japanese,
    # Chinese, Korean, Arabic, Persian, Welsh, Indonesian
    r"(?P<marker>Tweet|Post|Retweet|Repost|Thread|Twitter post|Tuit|Твит|Твіт|Пост|Допис|ツイート"
    r"|ポスト|推文|트윗|تغريدة|توییت|Trydariad|Cuitan"
    # a thread, a quote, a reply; X's word for a post in Portuguese, Spanish, German, Turkish
    r"|(?:Twitter|Tweet) thread|Quote (?:Tweet|post)|Quoted tweet|Tweet reply|Reply to tweet"
    r"|Postagem|Publicación|Publicação|Beitrag|Gönderi)\\?[\])]\.?",
    re.IGNORECASE,
)
PLATFORM_RE = re.compile(  # (its name as APA's guides in other languages write it, too)
    r"[ \t\u00a0]*(?:[–—-][ \t\u00a0]*)?(?:via[ \t\u00a0]+)?[*_]?"
    rf"(?:(?:Twitter|{X_NAME})(?:[ \t\u00a0]+post)?"
    r"|tweet(?=,)|تويتر|توییتر|Твиттер|Твітер|트위터|ツイッター|推特)[*_]?(?P<end>[.,،]?)"
)
# The platform a line break put on a line of its own: `… [Tweet].\nTwitter. https://…`
WRAPPED_PLATFORM_RE = re.compile(
    r"[ \t\u00a0]*\r?\n[ \t\u00a0]*"
    rf"(?:Twitter|{X_NAME})(?P<end>\.)"
)
ENTRY_REACH = 400  # how far an entry's platform is looked for past its handle
# Another platform named where an entry names its platform: after the quoted title (`"…."
# Instagram,`), after a bracketed description (`[Photograph]. TikTok.`) or in brackets
# (Harvard's `[Instagram]`); not in prose (`…in 2021. Truth Social`).
OTHER_PLATFORMS = (
    r"Instagram|TikTok|Facebook|YouTube|Threads|Mastodon|Bluesky|LinkedIn|Reddit|Tumblr|Weibo"
    r"|Telegram|Snapchat|Pinterest|Twitch|Truth Social"
)
OTHER_PLATFORM_RE = re.compile(rf"(?:[\"”’'\]][.,]?[ \t\u00a0]*|\[)(?:{OTHER_PLATFORMS})\b")
# After a Bluebook entry's handle: `(@harvardlaw), INSTAGRAM (Sept. 4, 2019)`, in small capitals
AFTER_RE = re.compile(rf"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?(?i:{OTHER_PLATFORMS})[ \t\u00a0]*\(")
# A handle labelled as another platform's, in a bio or a page's footer: `Instagram: @natgeo`,
# `on Instagram @natgeo and TikTok @nba` (the platform's name, as written, right before it).
LABEL_RE = re.compile(rf"\b(?i:{OTHER_PLATFORMS}|IG)[ \t\u00a0]*:[ \t\u00a0]*\Z")
NAMED_BEFORE = frozenset(OTHER_PLATFORMS.replace("Truth Social", "Social").split("|") + ["IG"])
LABEL_REACH = 40  # (`Telegram channels such as @a`)
X_NAMED_RE = re.compile(r"\b(?:Twitter|Tweet|X(?=[ \t\u00a0]*[.,(])|x\.com/)")
URL_AFTER_RE = re.compile(  # APA 6 and Harvard say where: "Retrieved from", "Available at:"
    # Runs of spaces taken whole (`*+`): a long run no URL follows costs one pass, not n².
    # (Word sets direction marks around a URL in Arabic, Hebrew or Persian text)
    r"[ \t\u00a0\u200e\u200f]*+[,.]?[ \t\u00a0\u200e\u200f]*+(?P<wrap>\n[ \t\u00a0]*+)?"
    # when it was read: `viewed 19 February 2014,` (Harvard), `Accessed: July 13, 2023,` (IEEE)
    r"(?:\[?(?i:viewed|accessed):?[ \t\u00a0]+[\w ,.]{4,30}?[,.\]][,.]?[ \t\u00a0]*+)?"
    r"(?:\[Online\]\.?[ \t\u00a0]*+)?"  # IEEE: `[Online]. Available: URL`; GOST: `URL: URL`
    r"(?:[–—-][ \t\u00a0]*+(?=URL|Режим))?"  # GOST's dash before it: `24 февр. — URL: …`
    # (`Avail-`, `able:`: a line's end hyphenated)
    # `Retrieved March 20, 2023, from`; APA in Spanish, Portuguese, Italian, German, French:
    # `Recuperado (el 3 de enero de 2023,) de`, `Recuperato da`, `Abgerufen am … von`, `Repéré à`
    r"(?:(?:(?:Retrieved|Recuperad[oa]|Recuperato|Abgerufen|Récupéré)"
    r"(?:[ \t\u00a0]+[\w ,.]{4,40}?,?)?[ \t\u00a0]+(?:from|de|desde|da|von|sur)\b:?"
    r"|Repéré[ \t\u00a0]+à:?|[Aa]vail(?:-\r?\n[ \t\u00a0]*)?able"
    r"(?:(?:[ \t\u00a0]+|\r?\n[ \t\u00a0]*)(?:at|from))?:?|URL:|Режим[ \t\u00a0]+доступ[ау]:"
    # ABNT's; ISO 690 in Spanish and French (`Disponible sur :`)
    r"|Dispon[ií]vel[ \t\u00a0]+em:|Disponible[ \t\u00a0]+(?:en|sur)[ \t\u00a0]?:)"
    r"[ \t\u00a0]*+(?:\n[ \t\u00a0]*+)?)?"
    r"[\u200e\u200f]?<?"
    r"(?:(?:https?://)?web\.archive\.org/web/\d{1,14}[a-z_]{0,3}/)?"  # a Wayback copy of it
    # a PDF's line may end after the scheme's colon, a dot of the host, or a slash of the
    # URL (not its last: more path follows)
    rf"(?:https?:{BREAK}//{BREAK})?(?:www\.|mobile\.)?"
    # (cut before `.` or `/` too, or hyphenated as a word: `twit-` / `ter.com`)
    rf"(?:(?:twit(?:-{LINE_CUT})?ter|x){BREAK}\.{BREAK}com|(?P<tco>t\.co)){BREAK}/"
    rf"(?P<path>(?:[^\s<>\"]|(?<=/){LINE_CUT}(?=[^\s/]*/|\d)|{LINE_CUT}(?=/(?:status|photo/|video/|\d)))+)"
)


def names_x(text: str, pos: int) -> bool:
    """Whether X (or Twitter), or a post's URL there, follows an entry's marker."""
    return bool(PLATFORM_RE.match(text, pos) or URL_AFTER_RE.match(text, pos))


def elsewhere(text: str, pos: int, others: list[int]) -> bool:
    """Whether the entry going on at `pos` names another platform as where the post is, before
    any name of X (`"…" Instagram, 3 Mar. 2023.`, `[Photograph]. TikTok.`): in a list run
    together on one line, the next entry's platform is not this one's. `others` are where the
    text names other platforms (`other_platforms`), in order."""
    i = bisect_left(others, pos)
    if i == len(others) or others[i] > pos + ENTRY_REACH or "\n\n" in text[pos : others[i]]:
        return False
    return not X_NAMED_RE.search(text, pos, others[i])


# X named as the platform: `on X`, `X post`, `X (formerly Twitter)`, `X:`, `X @h`; not a name's
# letter (`Malcolm X`, `Generation X`, `X-ray`)
X_WORD_RE = re.compile(
    r"\b(?:[Tt]witter|[Tt]weet(?:s|ed)?)\b"
    r"|\b(?:on|On|via|Via|an|An|the|The|to|from|From|and|or)[ \t\u00a0]+X\b(?![-'’])"
    r"|\bX(?=[ \t\u00a0]*(?:\(formerly|[Pp]osts?\b|account|handle|user|:|@\w)|\.com\b)"
)
LINE_REACH = 200


def x_handle(text: str, mention: Account, elsewhere: set[str]) -> bool:
    """Whether `mention` is X's: a handle the text labels another platform's elsewhere
    (`Telegram (@BotFather)`, lower-cased in `elsewhere`) is that platform's, unless its own
    line names X."""
    return mention.handle.lower() not in elsewhere or names_x_near(text, mention.start)


def names_x_near(text: str, at: int) -> bool:
    """Whether the line around `at` names X (Twitter, a tweet): there a handle is X's."""
    low = max(text.rfind("\n", max(0, at - LINE_REACH), at) + 1, at - LINE_REACH)
    high = text.find("\n", at, at + LINE_REACH)
    return X_WORD_RE.search(text, low, high if high >= 0 else at + LINE_REACH) is not None


def labelled_elsewhere(text: str, at: int, end: int) -> bool:
    """Whether the `@handle` at `at` (ending at `end`) is labelled as another platform's:
    `Threads: @zuck`, `the Telegram channel @rybar` (and `@a and @b` after it), `On TikTok,
    @user`, or a Bluebook entry's `(@harvardlaw), INSTAGRAM (Sept. 4, 2019)`."""
    if text.startswith("),", end) and AFTER_RE.match(text, end + 2):
        return True
    on = ON_AFTER_RE.match(text, end)  # `the milblogger channel Rybar (@rybar) on Telegram`
    if on is not None and on["platform"] in NAMED_BEFORE and on["platform"] != "Social":
        return True  # (`Social` is Truth Social's alone: `(@h) on Social Media` is no label)
    for _ in range(LISTED_REACH):
        before = text[max(0, at - LABEL_REACH) : at].rstrip(" \t\u00a0")
        if before.endswith(":"):
            return LABEL_RE.search(before + " ") is not None
        # (set lookups, not searches: every mention of a text asks)
        words = before.split()
        listed = words[-2] if len(words) > 1 and words[-1] in LISTED else words[-1] if words else ""
        if listed.startswith("@") and (listed is not words[-1] or listed.endswith(",")):
            at = text.rfind(listed.rstrip(","), max(0, at - LABEL_REACH), at)  # `@a, @b and @c`
            continue
        if words and words[-1].startswith("(") and X_WORD_RE.search(before):
            return False  # `on Twitter and Instagram (@nasa)`: X's too
        if words and words[-1] == "(":  # `Bot on Telegram (@BotFather)`
            words.pop()
        elif words and words[-1].startswith("(") and len(words[-1]) > 1:
            words[-1] = words[-1][1:]
        if len(words) > 2 and " ".join(words[-2:]).lower() in LEADS:  # `channels such as @a`
            words[-2:] = []
        elif len(words) > 1 and words[-1].lower() in LEADS:  # `channels like @a`
            words.pop()
        if len(words) > 2 and words[-1] in ("is", "was") and words[-2].lower() in KINDS:
            words.pop()  # `Our Threads account is @zuck`
        if len(words) > 1 and words[-1].lower() in KINDS:  # `the Telegram channel @rybar`
            words.pop()
        if words and words[-1].rstrip(",") in MAKERS:  # `YouTuber @MrBeast`
            return True
        if len(words) > 1 and words[-2] == "Truth" and words[-1].startswith("Social"):
            words[-2:] = ["Social" + words[-1][6:]]  # one word: `Truth Social`, `Truth Social,`
        last = words[-1] if words else ""
        if last.endswith(",") and len(words) > 1 and words[-2].lower() in ("on", "via"):
            last = last[:-1]  # `On Telegram, @WarGonzo` (not `He quit Facebook, @zuck said`)
        truth = last != "Social" or "Truth Social" in before  # `Social` is Truth Social's alone
        return last in NAMED_BEFORE and truth
    return False


# What a platform's account is called: `the YouTube channel @DWNews`, `TikTok user @…`
KINDS = frozenset(
    """channel channels user users account accounts page pages group groups profile bot bots
    followers subscribers""".split()
)
MAKERS = frozenset("YouTuber YouTubers TikToker TikTokers Instagrammer Instagrammers".split())
LEADS = frozenset(("such as", "like", "including", "e.g.", "namely"))  # `channels such as @a`
ON_AFTER_RE = re.compile(r"\)[ \t\u00a0]+(?:on|via|in)[ \t\u00a0]+(?P<platform>[A-Z][\w.]*\w)")
LISTED = frozenset(("and", "or", "&"))
LISTED_REACH = 8  # mentions listed after a label that still count as its


def other_platforms(text: str) -> list[int]:
    """Where `text` names another platform as an entry does (see OTHER_PLATFORM_RE)."""
    return [m.start() for m in OTHER_PLATFORM_RE.finditer(text)]


def with_url(text: str, end: int, handle: str | None = None) -> int:
    """The entry's end, past the post's URL when one follows it. A URL on the next line (a
    wrapped entry) is the entry's only when it is a status URL of no other account than
    `handle` (a short link there may begin the next paragraph)."""
    url = URL_AFTER_RE.match(text, end)
    if url is None:
        return end
    if url.group("wrap"):
        user = LINE_CUT_RE.sub("", url.group("path")).split("/", 1)[0].lower()
        if url.group("tco") or user not in ("i", (handle or "").lower()):
            return end
    return url.end() - (text[url.end() - 1] in ".,;")


def platform_end(text: str, pos: int) -> int:
    platform = PLATFORM_RE.match(text, pos) or WRAPPED_PLATFORM_RE.match(text, pos)
    return platform.end() if platform else pos

"""Embeds a consent plugin holds back until the reader agrees, kept in the page as data its
script draws from: Embed Privacy's `var _oembed_<md5> = '…'` (the embed's HTML, entities
escaped, in JSON, in a JavaScript string with PHP's `addslashes`), and Borlabs Cookie's
`<div class="borlabs-hide" data-borlabs-cookie-type="content-blocker">` holding it in base64
(in a `<script type="text/template">`, or bare). Both are WordPress plugins common on
European sites; a page saved with one shows no post, only a button. Other sites keep the
embed's HTML escaped in an element's attribute (`data-html="&lt;blockquote …"`)."""

from __future__ import annotations

import base64
import binascii
import html
import json
import re

EMBED_PRIVACY_RE = re.compile(r"var _oembed_[0-9a-f]{32} = '(?P<js>(?:[^'\\\n]|\\.){1,500000})';")
SLASHED_RE = re.compile(r"\\(.)")  # addslashes: `\"`, `\\`, `\'`
BORLABS_RE = re.compile(
    r"data-borlabs-cookie-type=\"content-blocker\"[^<>]{0,400}>\s*"
    r"(?:<script type=\"text/template\">)?\s*(?P<b64>[A-Za-z0-9+/]{8,2000000}={0,2})"
)
# Any element's attribute holding the embed's HTML escaped, for a script to draw it from:
# `<div class="embed" data-html="&lt;blockquote class=&quot;twitter-tweet&quot;&gt;…">`
ESCAPED_EMBED_RE = re.compile(
    r"=\s*\"(?P<esc>&lt;blockquote\b[^\"]{1,200000}?&lt;/blockquote&gt;)", re.IGNORECASE
)
CUES = ("_oembed_", "borlabs-cookie-type", "&lt;blockquote")


def held_back(src: str) -> list[tuple[int, str]]:
    """(where, the embed's HTML) of each embed held back in `src` (HTML source); never raises."""
    found = []
    if "_oembed_" in src:
        for m in EMBED_PRIVACY_RE.finditer(src):
            try:
                data = json.loads(SLASHED_RE.sub(r"\1", m["js"]))
            except (ValueError, RecursionError):
                continue
            embed = data.get("embed") if isinstance(data, dict) else None
            if isinstance(embed, str):
                found.append((m.start(), html.unescape(embed)))
    if "borlabs-cookie-type" in src:
        for m in BORLABS_RE.finditer(src):
            try:
                found.append((m.start(), base64.b64decode(m["b64"]).decode("utf-8", "replace")))
            except (ValueError, binascii.Error):
                continue
    if "&lt;blockquote" in src:
        found += [(m.start("esc"), html.unescape(m["esc"])) for m in ESCAPED_EMBED_RE.finditer(src)]
    return found

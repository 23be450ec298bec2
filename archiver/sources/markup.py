"""Reading the markup of archived pages and embed code: a forgiving HTML5 parser (selectolax,
on the Lexbor engine: any bytes give a tree, never an exception) and the text of a post's
paragraph as the service wrote it."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

STATUS_LINK_RE = re.compile(r"/status(?:es)?/(\d{1,19})(?!\d)")


def parse_html(page: str) -> LexborHTMLParser:
    return LexborHTMLParser(page)


def attr(node: LexborNode | None, name: str) -> str | None:
    """An attribute's value, None when absent or empty."""
    if node is None:
        return None
    value = node.attributes.get(name)
    return value.strip() or None if isinstance(value, str) else None


def text_of(node: LexborNode | None) -> str | None:
    """The visible text of a node, whitespace collapsed."""
    if node is None:
        return None
    return " ".join(node.text(deep=True, separator=" ").split()) or None


def classes(node: LexborNode) -> set[str]:
    return set((node.attributes.get("class") or "").split())


def post_text(node: LexborNode) -> tuple[str, list[dict[str, str]]]:
    """The text of a post's paragraph with its t.co links as written (a link's `href`, not its
    shortened display), emoji as their characters, and the hidden trailing links (the photo's
    pic.twitter.com, the quoted post's URL) left out; and each link's expanded URL."""
    parts: list[str] = []
    links: list[dict[str, str]] = []

    def walk(parent: LexborNode) -> None:
        for child in parent.iter(include_text=True):
            if child.tag == "-text":
                parts.append(child.text_content or "")
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag == "img":
                parts.append(child.attributes.get("alt") or "")
            elif child.tag == "a":
                if "u-hidden" in classes(child):
                    continue
                href = child.attributes.get("href") or ""
                expanded = child.attributes.get("data-expanded-url")
                if href.startswith("https://t.co/") or href.startswith("http://t.co/"):
                    parts.append(href)
                    if expanded:
                        links.append({"url": href, "expanded_url": expanded})
                else:
                    walk(child)
            elif child.tag not in ("script", "style"):
                walk(child)

    walk(node)
    return "".join(parts).strip(), links

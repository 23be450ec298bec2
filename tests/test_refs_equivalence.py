"""The fast paths find exactly what the plain ones found. `extract_paths` and `scan` are run over
the project's documents, the corpus embeds, the extract benchmark's generated corpus and a
seeded soup of every form the readers know; each part's output is compared with the digest the
code gave before it was made fast (a change of results fails here and names the part)."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

from archiver.refs import Ref, blocks, extract_file, extract_paths, scan

DOCS = Path(__file__).parent / "fixtures" / "docs"

# sha256 of each part's JSONL, recorded before the fast paths (commit d0f9472). The soups' were
# recorded again when a link inside an embed came to name the embed's post by its id even where
# the link comes before the embed's own (in_post changed on 32 lines, nothing else). The docs'
# were recorded again when `@handle` in a code span stopped being an account (one line, in
# SOURCES.md: "`@Pigsonthewing (…)`"). The soups' again when a byline on the line of the text
# before it (`…regime— Name (@h)`, an embed's code read with no breaks) came to stop at a line
# above that ends its sentence: bodies changed, and an embed whose body no longer held another
# post's link kept its own. The docs' again when a footnote's `; ` came to end the citation
# before it (one author name in SOURCES.md lost the text of the entry before it). The soups'
# again when a byline's dash or name could end its line (hard-wrapped HTML: `&mdash;\nName
# (@h)`) and a name stopped holding a dash after a space (`the -- Jack` is `Jack`): four names
# lost the words before their dash, and a `&#8212;<div>… (@i) 6 марта 2021 г.` became a byline.
# The soups' again when a citation's author came to start after the sentence of prose before
# it (`…said. Jack (@home), "…"`): 64 names lost the prose before them, and one citation no
# longer took the id of a link in that prose. The soups' again when a line ending `…said:` came
# to introduce the embed below it (news copy's `The minister said:`): bodies that took such
# lines of the soup's prose end under them, and links above them are no longer inside an embed.
# The soups' again when a citation's author name lost a footnote's number before it (`12 Name`):
# 81 and 34 names lost the number their soup put first, nothing else changed. The docs' again
# when a citation inside prose's parentheses came to start after the one it opens with (two
# author names in SOURCES.md lost the prose before their `(`). The soups' again when a line
# ending `…said:` came to introduce the embed below it only on a line of its own: bodies whose
# first line held such a colon keep what is before it, as before. The soup's again when a
# comment came to hide its URLs in text read as Markdown or wikitext too, as HTML's did (the
# soup's `<!-- x.com/… -->` read as text: 167 lines fewer or without the handle it lent). The
# soups' again when a 19-digit id before an ellipsis came to be whole (`…/status/<19 digits>…`,
# a piece of the soup): its status URLs are found, and citations nearby take their ids. The
# soups' again when an embed in a page came to own the link its byline stands in (a widget's
# time link): six and two status URLs' `in_post` name the embed they are now inside. The soup's
# again when a post's URL of the byline's own handle written right after its date came to be
# the embed's: three embeds of @jack take such a URL's id (a citation of that id folds in). The
# soup's again when an id with digits run into it (a footnote's mark) came to be read apart:
# three citations take the id of the URL in them. The soups' again when a cited post's author
# written again in the same text (or as `(@h 2024)`) stopped being an account: 684 accounts of
# the soup's citation handles went, and 41 profile URLs of those handles are now their first.
# The soups' and the benchmark's again when an embed's author came under the same rule: 380
# and 176 accounts of embed authors went (the benchmark's `As @h wrote (…):` above @h's embed),
# 6 profile URLs came first; nothing else changed. The soup's again when a URL's entities came
# to be read only with their `;` (as in an attribute: `?a=1&quoted=2` is the query's own): three
# citations' `url` keep a bare `&nbsp` the soup ends a URL with, where it was a no-break space.
# The soups' again when the stop after an author's name came to be left out of it (`ALVES,
# Vanessa. (Vanessa_CI).`; an initial's and `Jr.`'s kept): the soup's citation authors that
# ended with one lost it, nothing else changed. The soups' again when `@home` and `@i` in prose
# stopped being accounts (X's own pages): 115 and 125 such accounts went, nothing else changed.
# The soup's again when the block right above a byline came to be the post's text however
# long, up to a post's 280: six embeds' empty texts became the soup's line above them (two of
# them holding a profile URL of their author's, no longer an account cited apart). The soups'
# again when a profile URL of a cited post's author stopped being an account, as its mention
# had (255 went), and an embed's body came to stop at a line naming its author's `@handle`
# (11 texts shorter; two citations of a line so cut bound to the embed's id, its link's).
# The soups' again when that line came to stop a body right above the byline too: 29 embeds
# whose line above named their handle lost that text (five then took their byline's own id,
# the status URL no longer reported apart).
EXPECTED = {
    "docs": "bd58d6062694c2a3af818fab2499e3e7794583c4f9f7232904eb6ed21a61934e",
    "embeds": "aa2cf0a4bcc7fea28e38487e3beafadcfb8c6801dd558de1e96a31edcc4169a3",
    "bench": "b380738bae4ff5b561b9490bb46e15a3f61b3bcbd8db0c6a61b3f1d56bdc322f",
    "bench-one-line": "236f81d1f56bcc2efe41ea91a04e0b5ef85ecbff2d491652c883f322eecef2b0",
    "soup": "9e538216c40010141fcc61b69b3cfaaa91fbbf872f34bafb032c8f9ab31cf88e",
    "soup-blocks": "88db8e90df8b74c25d1e186a3e1602501f2871810174708844d0043463b00704",
}

# Pieces of every form: URLs, short links, accounts, bylines in several languages, citations,
# markup, entities, quoting, scripts, and the text around them. {h} handle, {i} id, {c} code,
# {n} a name.
PIECES = [
    "https://x.com/{h}/status/{i}",
    "twitter.com/{h}/statuses/{i}?s=20&amp;t=x",
    "https://mobile.twitter.com/{h}/status/{i}/photo/1",
    "x.com/i/web/status/{i}",
    "https://nitter.net/{h}/status/{i}#m",
    "https://twitter.com/{h}/status/{i}…",
    "t.co/{c}",
    "pic.twitter.com/{c}",
    "people.pic.twitter.com/{c}Later",
    "https://t.co/{c}",
    "https://x.com/{h}",
    "twitter.com/@{h}",
    "x.com/#!/{h}",
    "@{h}",
    "e@{h}.com",
    "[@{h}]",
    "(@{h})",
    "— {n} (@{h}) December 6, 2024",
    '&mdash; {n} (@{h}) <a href="https://twitter.com/{h}/status/{i}?ref_src=twsrc%5Etfw">'
    "March 3, 2019</a>",
    "-- {n} (@{h}) 6 марта 2021 г.",
    "— {n} (@{h}) 2019年3月24日",
    "– {n} (@{h})\n 28 de marzo de 2017",
    "— {n} (@{h}) 31 February 2020",
    "— {n} (@{h}) 6. joulukuuta 2024",
    "— (@{h}) ٦ ديسمبر ٢٠٢٤",
    "{n} [@{h}]. (2020, September 2). Text here [Image attached] [Tweet]. Twitter. "
    "https://twitter.com/{h}/status/{i}",
    '{n} [@{h}] (7 February 2015). "Quoted text" (Tweet) – via Twitter.',
    '@{h} (June 12, 2016). "Words" (https://x.com/{h}/status/{i}) (Tweet) – via Twitter.',
    '{n} ({h}). "Text." 1 May 2011, 3:58 p.m. Tweet.',
    '@{h}. "Text." X, 4 Mar. 2024, 9:15 a.m., x.com/{h}/status/{i}.',
    '{n} (@{h}), "Text," Twitter, April 22, 2015, 11:10 a.m., https://twitter.com/{h}/status/{i}.',
    "{{{{cite tweet |user={h} |number={i} |title=T |date=7 February 2015}}}}",
    "[@username]",
    "@twitter handle",
    '<blockquote class="twitter-tweet"><p>Body &amp; more {c}</p>',
    "</blockquote>",
    "<p>",
    "</p>",
    "<br>",
    "<div>",
    "</div>",
    "<!-- x.com/{h}/status/{i} -->",
    "<script>var a='https://x.com/{h}/status/{i}'</script>",
    "<style>p{{}}</style>",
    "&amp;",
    "&#8212;",
    "&nbsp;",
    "&#x1F989;",
    "&bogus;",
    '<a href="https://x.com/{h}/status/{i}">link</a>',
    "As {n} wrote:",
    "The account posted:",
    "\n",
    "\n\n",
    " ",
    "\t",
    "\r\n",
    ". ",
    "The rebels said.",
    "Owl bet",
    "ورقتنا",
    "東京で",
    "> quoted line",
    "| cell |",
    "1. ",
    "^ a b ",
    "pic.twitter.com/{c}\n",
]
WORDS = "the rebels city regime forces report said according officials region control".split()


def soup(rng: random.Random, pieces: int) -> str:
    out = []
    for _ in range(pieces):
        piece = rng.choice(PIECES)
        handle = rng.choice(["jack", "NASA", "a_b", f"user{rng.randrange(100)}", "i", "home"])
        status_id = rng.choice(
            ["20", "1453110110599868418", str(rng.randrange(10**18, 18 * 10**17)), "0123"]
        )
        code = "".join(rng.choice("abcdefghijkLMNOP0123456789") for _ in range(rng.choice([8, 10])))
        name = rng.choice(["Jack", "San Diego Zoo", "Rob (he/him)", "", "Liveuamap MiddleEast"])
        out.append(piece.format(h=handle, i=status_id, c=code, n=name))
        if rng.random() < 0.5:
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(30)))
            out.append(" " + words + rng.choice(["", ".", ":", "\n", " "]))
    return "".join(out)


def lines(refs: Iterable[Ref]) -> Iterator[str]:
    for r in refs:
        data = r.to_dict()
        data["document"] = Path(str(data["document"])).name
        yield json.dumps(data, ensure_ascii=False, sort_keys=True)


def documents_lines(names: list[str]) -> Iterator[str]:
    for doc in extract_paths(names):
        yield from lines(doc.refs)
        yield f"# {Path(doc.document).name} {doc.warnings} {doc.error} {doc.skipped}"


def digest(out: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(out).encode()).hexdigest()


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "bench" / "extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory) -> list[Path]:
    """The benchmark's generator, seeded: one text and one HTML file of 256 KiB."""
    bench = bench_module()
    folder = tmp_path_factory.mktemp("corpus")
    rng = random.Random(42)
    files = [folder / "doc0000.txt", folder / "doc0001.html"]
    for path in files:
        bench.make_file(path, 256 * 1024, rng)
    return files


def test_documents_give_what_they_gave() -> None:
    assert digest(documents_lines([str(DOCS), str(ROOT / "seeds")])) == EXPECTED["docs"]


EMBEDS = SHARED / "corpus" / "embed-html"


@pytest.mark.skipif(not EMBEDS.is_dir(), reason=f"corpus not present at {EMBEDS}")
def test_corpus_embeds_give_what_they_gave() -> None:
    embeds = EMBEDS
    assert digest(documents_lines([str(embeds)])) == EXPECTED["embeds"]


def test_the_benchmark_corpus_gives_what_it_gave(bench_corpus, tmp_path) -> None:
    assert digest(documents_lines([str(p) for p in bench_corpus])) == EXPECTED["bench"]
    one_line = []
    for path in bench_corpus:
        flat = tmp_path / path.name
        flat.write_bytes(path.read_bytes().replace(b"\n", b" "))
        one_line.append(str(flat))
    assert digest(documents_lines(one_line)) == EXPECTED["bench-one-line"]


def test_a_soup_of_every_form_gives_what_it_gave() -> None:
    rng = random.Random(7)
    out = []
    for k in range(400):
        text = soup(rng, rng.randrange(1, 60))
        for is_html in (None, True, False):
            out.append(f"# {k} {is_html}")
            out.extend(lines(scan(text, is_html=is_html)))
    assert digest(out) == EXPECTED["soup"]


def test_a_soup_read_in_small_blocks_gives_what_it_gave(monkeypatch) -> None:
    monkeypatch.setattr(blocks, "BLOCK_CHARS", 4096)
    monkeypatch.setattr(blocks, "CARRY_CHARS", 1024)
    text = soup(random.Random(8), 4000)
    out = []
    for name, data in [
        ("soup.txt", text),
        ("soup.html", text),
        ("soup-line.txt", text.replace("\n", " ")),
        ("soup-line.html", text.replace("\n", " ")),
    ]:
        doc = extract_file(name, io.BytesIO(data.encode()), Path(name).suffix)
        out.append(f"# {name}")
        out.extend(lines(doc.refs))
    assert digest(out) == EXPECTED["soup-blocks"]

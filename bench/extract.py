"""Extract benchmark: megabytes per second over a generated corpus of mixed text and HTML,
against `grep -oE` for status URLs over the same files run side by side (medians), with peak
memory; one file four times larger (memory does not grow with the input); the same text on a
single line (time stays linear); and `archiver extract` on a small file, start-up included.

    python bench/extract.py                  # 120 MB corpus, 3 runs
    python bench/extract.py --mb 20 --runs 1 # a quick look
    python bench/extract.py --body-start     # where scraped embeds' bodies start: accuracy
"""

from __future__ import annotations

import argparse
import html
import random
import re
import sys
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PYTHON, ROOT, median_of, report  # noqa: E402

from archiver.refs import scan  # noqa: E402

WORDS = (
    "the rebels city regime forces report said according officials region control "
    "government statement army border week Tuesday sources video footage analysts"
).split()
GREP = r"https?://(www\.|mobile\.)?(twitter|x)\.com/[A-Za-z0-9_]{1,15}/status/[0-9]+"
EXTRACT = """
import sys
from archiver.refs import extract_paths
count = sum(1 for doc in extract_paths(sys.argv[1:]) for _ in doc.refs)
print(count, file=sys.stderr)
"""


def paragraph(rng: random.Random, length: int = 90) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def status(rng: random.Random) -> tuple[str, str]:
    handle = "user" + str(rng.randrange(10_000))
    return handle, str(rng.randrange(1_500_000_000_000_000_000, 1_860_000_000_000_000_000))


def text_chunk(rng: random.Random) -> str:
    handle, sid = status(rng)
    code = "".join(rng.choice("abcdefghijkLMNOP0123456789") for _ in range(10))
    return "\n".join(
        [
            paragraph(rng),
            f"As @{handle} wrote (https://x.com/{handle}/status/{sid}?s=20):",
            "Short post body line " + str(sid)[-4:] + f" pic.twitter.com/{code}",
            f"— Some Name (@{handle}) December 6, 2024",
            paragraph(rng),
            "",
        ]
    )


def html_chunk(rng: random.Random) -> str:
    handle, sid = status(rng)
    return (
        f'<p>{paragraph(rng)}</p>\n<blockquote class="twitter-tweet"><p lang="en" '
        f'dir="ltr">Post text &amp; more <a href="https://t.co/Ab{sid[-8:]}">'
        f'pic.twitter.com/Ab{sid[-8:]}</a></p>&mdash; Name (@{handle}) <a href="https://'
        f'twitter.com/{handle}/status/{sid}?ref_src=twsrc%5Etfw">December 6, 2024</a>'
        f'</blockquote>\n<p>{paragraph(rng)} <a href="https://example.org/a">link</a></p>\n'
    )


def make_file(path: Path, size: int, rng: random.Random) -> None:
    html = path.suffix == ".html"
    with open(path, "w") as out:
        written = 0
        while written < size:
            chunk = html_chunk(rng) if html else text_chunk(rng)
            written += out.write(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=120)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--body-start", action="store_true", help="measure body starts only")
    args = parser.parse_args()
    if args.body_start:
        measure_body_start()
        return
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        corpus.mkdir()
        per_file = 2 * 1024 * 1024
        for i in range(args.mb // 2):
            make_file(corpus / f"doc{i:04d}.{'html' if i % 2 else 'txt'}", per_file, rng)
        files = sorted(str(p) for p in corpus.iterdir())
        grep_out = open(Path(scratch) / "grep.out", "w")  # noqa: SIM115
        total_mb = sum(Path(f).stat().st_size for f in files) / 1e6
        ours, grep = [], []
        for _ in range(args.runs):  # side by side, so that both see the same machine load
            ours.append(median_of(1, [PYTHON, "-c", EXTRACT, *files], env=env, stderr=-3))
            # Into a file: writing to /dev/null, GNU grep stops at the first match.
            grep.append(median_of(1, ["grep", "-ohE", GREP, *files], stdout=grep_out))
        rows = [
            ("archiver extract (library)", *_median(ours)),
            ("grep -oE status URLs", *_median(grep)),
        ]
        report(
            f"{len(files)} files, {total_mb:.0f} MB of text and HTML",
            rows,
            "grep -oE status URLs",
            f"archiver: {total_mb / rows[0][1]:.1f} MB/s; grep: {total_mb / rows[1][1]:.1f} MB/s "
            "(grep finds only status URLs; archiver also embeds, short links and accounts)",
        )

        small, large = Path(scratch) / "one-small.txt", Path(scratch) / "one-large.txt"
        make_file(small, args.mb * 1024 * 1024 // 4, rng)
        make_file(large, args.mb * 1024 * 1024, rng)
        rows = [
            (
                f"one {small.stat().st_size / 1e6:.0f} MB file",
                *median_of(1, [PYTHON, "-c", EXTRACT, str(small)], env=env, stderr=-3),
            ),
            (
                f"one {large.stat().st_size / 1e6:.0f} MB file",
                *median_of(1, [PYTHON, "-c", EXTRACT, str(large)], env=env, stderr=-3),
            ),
        ]
        report(
            "streaming: peak memory for one file four times larger",
            rows,
            rows[0][0],
            "text is read in 1 MiB blocks; what grows is the set of distinct references seen "
            "(about 100 bytes each), which keeps each post once per document",
        )

        single = Path(scratch) / "one-line.txt"
        single.write_bytes(large.read_bytes().replace(b"\n", b" "))
        rows = [
            (
                f"{large.stat().st_size / 1e6:.0f} MB, lines",
                *median_of(args.runs, [PYTHON, "-c", EXTRACT, str(large)], env=env, stderr=-3),
            ),
            (
                f"{single.stat().st_size / 1e6:.0f} MB, one line",
                *median_of(args.runs, [PYTHON, "-c", EXTRACT, str(single)], env=env, stderr=-3),
            ),
        ]
        report(
            "the same text on a single line",
            rows,
            rows[0][0],
            f"extra for one line: {rows[1][1] - rows[0][1]:.2f} s",
        )
        startup(Path(scratch), env, args.runs)


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    times = sorted(t for t, _ in runs)
    return times[len(times) // 2], max(peak for _, peak in runs)


def startup(scratch: Path, env: dict[str, str], runs: int) -> None:
    """`archiver extract` on a small file, start-up included, and the library's import."""
    small = scratch / "small.txt"
    small.write_text("See https://x.com/jack/status/20 and\nBody\n— Jack (@jack) March 21, 2006\n")
    rows = [
        (
            "archiver extract small.txt",
            *median_of(runs, [PYTHON, "-m", "archiver", "extract", str(small)], env=env, stdout=-3),
        ),
        (
            "python -c 'import archiver.refs'",
            *median_of(runs, [PYTHON, "-c", "import archiver.refs"], env=env),
        ),
        ("python -c pass", *median_of(runs, [PYTHON, "-c", "pass"], env=env)),
    ]
    report("start-up: one small file", rows, "python -c pass")


# Where a scraped embed's body starts. Each corpus embed (../shared/corpus/embed-html/) is set
# in an article four ways and rendered as text the way scrapers do, with the standard library's
# HTMLParser: its text nodes joined as they come, or with a line break for each block. The right
# body is the embed's <p> rendered the same way. The seed article's three embeds count too.

CORPUS = ROOT.parent / "shared" / "corpus" / "embed-html"
BLOCKS = {"p", "div", "blockquote", "br", "li", "h1", "h2", "h3", "tr"}
PARA = (
    "The offensive began at dawn, according to officials in the region, and by the evening "
    "the government had lost control of the main road; analysts said the footage shared online "
    "showed the scale of the retreat. "
)
AFTER = "Later that week the army issued a statement denying the reports."
SHORT = "Residents were told to stay indoors."  # a short line of the article, introducing nothing
INTROS = [
    "{name} wrote on Twitter:",
    "As {name} put it on X:",
    "The account posted:",
    "{name} tweeted:",
]
SEED_BODIES = {  # the seed's embeds as the tests know them: first and last words
    "lummideast": ("Homs control map as of today.", "pic.twitter.com/eXVL4tHqrq"),
    "ThomasVLinge": ("#Syria: regime forces are leaving", "pic.twitter.com/sNmBN4ugDI"),
    "clashreport": ("An Iranian militia films the Sayyida", "pic.twitter.com/RwHMFZUGfl"),
}


class GetText(HTMLParser):
    def __init__(self, blocks: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks, self.out, self.skip = blocks, [], 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif self.blocks and tag in BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        elif self.blocks and tag in BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data)


def get_text(source: str, blocks: bool) -> str:
    parser = GetText(blocks)
    parser.feed(source)
    parser.close()
    text = "".join(parser.out)
    return re.sub(r"\n\s*\n+", "\n", text) if blocks else text


def squash(text: str) -> str:
    return " ".join(text.split())


def corpus_cases() -> list[tuple[str, str, str]]:
    """(context, scraped text, right body) for every corpus embed with a byline."""
    cases = []
    for i, path in enumerate(sorted(CORPUS.glob("*.html"))):
        source = path.read_text()
        quote = source[: source.lower().index("</blockquote>") + len("</blockquote>")]
        body = re.search(r"<p\b[^>]*>(.*?)</p>", quote, re.DOTALL)
        byline = re.search(r"[—]\s*(.*?)\s*\(@", html.unescape(re.sub(r"<[^>]+>", "", quote)))
        if body is None or byline is None:
            continue  # a publisher's placeholder for a deleted post: no body to find
        intro = INTROS[i % len(INTROS)].format(name=byline.group(1))
        contexts = {
            "after a paragraph": f"<p>{PARA}</p>\n{quote}\n<p>{AFTER}</p>",
            "introduced": f"<p>{PARA}</p>\n<p>{intro}</p>\n{quote}\n<p>{AFTER}</p>",
            "introduced, glued": f"<p>{PARA}</p><p>{intro}</p>{quote}<p>{AFTER}</p>",
            "after a short line": f"<p>{PARA}</p>\n<p>{SHORT}</p>\n{quote}\n<p>{AFTER}</p>",
        }
        for blocks in (False, True):
            right = squash(get_text(body.group(0), blocks))
            for name, page in contexts.items():
                cases.append((name, get_text(page, blocks), right))
    return cases


def measure_body_start() -> None:
    right, total = Counter(), Counter()
    for context, text, body in corpus_cases():
        found = [r for r in scan(text, is_html=False) if r.kind == "attribution"]
        total[context] += 1
        right[context] += bool(found) and squash(found[0].text or "") == body
    seed = (ROOT / "seeds" / "syria-offensive-2024-12-06.txt").read_text()
    for r in scan(seed):
        if r.kind == "attribution" and r.handle in SEED_BODIES:
            first, last = SEED_BODIES[r.handle]
            total["seed article"] += 1
            right["seed article"] += r.text.startswith(first) and r.text.endswith(last)
    print("where a scraped embed's body starts: right / cases")
    for context in total:
        print(f"  {context:<22} {right[context]:>4} / {total[context]}")
    print(
        f"  {'all':<22} {sum(right.values()):>4} / {sum(total.values())}"
        f"  ({sum(right.values()) / sum(total.values()):.0%})"
    )


if __name__ == "__main__":
    main()

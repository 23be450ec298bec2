"""Write archiver/refs/cldr.py: month names and date-pattern pieces of every CLDR locale.

The table is generated from Babel's copy of CLDR so that reading a date needs no Babel at run
time (loading every locale through Babel takes seconds; the table loads in about a millisecond).

    python tools/cldr_dates.py            # rewrite archiver/refs/cldr.py
    python tools/cldr_dates.py --check    # exit 1 when the committed table differs
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import babel
from babel import Locale, localedata

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from archiver.refs.dates import normalize  # noqa: E402  (one normalisation, both sides)

TARGET = ROOT / "archiver" / "refs" / "cldr.py"
FIELD_RE = re.compile(r"%\((\w+)\)s")
WORD_RE = re.compile(r"[^\W\d_]+")
# Big languages settle a word two locales read differently ("listopad": November in Czech and
# Polish, October in Croatian) when no majority does.
PRIORITY = "en es fr de pt ru ar it ja zh ko tr pl nl uk fa hi id vi cs".split()


def month_names(locale: Locale) -> dict[str, int]:
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                key = normalize(name)
                if key and not key.isdigit():
                    names.setdefault(key, number)
    return names


def pattern_pieces(locale: Locale) -> list[list[str]]:
    """Each long, medium and full date pattern as [literal, field, literal, field, …]."""
    pieces = []
    for width in ("full", "long", "medium"):
        pattern = locale.date_formats[width].format
        pieces.append(FIELD_RE.split(pattern))
    return pieces


def numeric_order(locale: Locale) -> str:
    """The order of year, month and day in the locale's short date: 'dmy', 'mdy' or 'ymd'."""
    fields = [f[0].lower() for f in FIELD_RE.findall(locale.date_formats["short"].format)]
    order = "".join(f for f in fields if f in "dmy")
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def build() -> str:
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    per_lang: dict[str, dict[str, int]] = defaultdict(dict)
    orders: dict[str, str] = {}
    glue: set[str] = set()
    trailing: set[str] = set()
    year_marks: set[str] = set()
    day_marks: set[str] = set()
    attached: set[str] = set()
    langs: set[str] = set()
    for ident in sorted(localedata.locale_identifiers()):
        try:
            locale = Locale.parse(ident)
        except (ValueError, babel.UnknownLocaleError):
            continue
        lang = locale.language
        langs.add(lang)
        orders[ident.lower()] = numeric_order(locale)
        for key, number in month_names(locale).items():
            if key not in per_lang[lang]:
                per_lang[lang][key] = number
                votes[key][number] += 1
        for era in locale.eras["abbreviated"].values():
            glue.update(normalize(w) for w in WORD_RE.findall(era))  # ค.ศ.
        for parts in pattern_pieces(locale):
            for i in range(0, len(parts), 2):
                literal = parts[i]
                words = [normalize(w) for w in WORD_RE.findall(literal)]
                glue.update(w for w in words if w)
                before = parts[i - 1][0] if i else ""
                mark = normalize(literal)
                if WORD_RE.fullmatch(mark) and len(mark) <= 3 and before in ("y", "d"):
                    (year_marks if before == "y" else day_marks).add(mark)  # 2019年, 6mh
                after = parts[i + 1][0] if i + 1 < len(parts) else ""
                if before == "M" and literal[:1].isalpha():  # abenduaren: 'MMMM'ren''
                    attached.add(normalize(WORD_RE.match(literal).group(0)))
                if after == "M" and literal[-1:].isalpha():  # בדצמבר: 'בMMMM'
                    attached.add(normalize(WORD_RE.findall(literal)[-1]))
                if i == len(parts) - 1 and before in ("y", "d"):
                    trailing.update(w for w in words if w)
    rank = {lang: i for i, lang in enumerate(PRIORITY)}

    def choose(key: str) -> int:
        counts = votes[key]
        best = max(counts.values())
        tied = [n for n, c in counts.items() if c == best]
        if len(tied) == 1:
            return tied[0]
        by_rank = sorted(
            (rank.get(lang, 99), names[key])
            for lang, names in per_lang.items()
            if key in names and names[key] in tied
        )
        return by_rank[0][1]

    # A word patterns write between fields ("de") is read as that, even where one language
    # names a month so ("de": December in Jola-Fonyi): that language keeps it as an override.
    months = {key: choose(key) for key in votes if key not in glue and not set(key) & set("|_;,=:")}
    overrides = {
        lang: {
            k: n
            for k, n in sorted(names.items())
            if months.get(k) != n and not set(k) & set("|_;,=:")
        }
        for lang, names in sorted(per_lang.items())
    }
    overrides = {lang: words for lang, words in overrides.items() if words}
    by_month: dict[int, list[str]] = defaultdict(list)
    for key, number in sorted(months.items()):
        by_month[number].append(key)
    # A language's own order ('en': mdy), and a region's where it differs ('en_gb': dmy).
    not_dmy = {
        ident: order
        for ident, order in sorted(orders.items())
        if order != (orders.get(ident.split("_")[0], "dmy") if "_" in ident else "dmy")
    }
    out = [
        '"""CLDR month names and date-pattern pieces for every locale Babel ships.',
        "",
        f"Generated by tools/cldr_dates.py from Babel {babel.__version__} (CLDR); do not edit.",
        "Keys are normalised by archiver.refs.dates.normalize. Each table is one string per line,",
        "words joined by '|' and a space inside a word written '_' ('tháng_12'): long lines of",
        "one word each, which keeps the module short.",
        '"""',
        "",
        f"LANGUAGES = {len(langs)}",
        "# Names of months 1 to 12, one line each.",
        *assign("MONTHS", [joined(by_month[n]) for n in range(1, 13)], tuple_of=True),
        "# lang:name=month,… ; where a language reads a name differently from the table above.",
        *assign(
            "OVERRIDES",
            [
                ";".join(
                    f"{lang}:" + ",".join(f"{joined([k])}={n}" for k, n in words.items())
                    for lang, words in overrides.items()
                )
            ],
        ),
        "# locale:order of an all-digit date in a short format, where not the language's (or dmy).",
        *assign("NUMERIC_ORDER", [joined(f"{k}:{v}" for k, v in not_dmy.items())]),
        "# Words that date patterns write between their fields ('de', 'gada', 'г').",
        *assign("GLUE", [joined(sorted(glue))]),
        "# Of those, the ones a pattern ends with after the year or day ('г', 'р', 'd').",
        *assign("TRAILING", [joined(sorted(trailing))]),
        "# What a pattern writes onto a month's name, before or after it (בדצמבר, abenduaren).",
        *assign("ATTACHED", [joined(sorted(a for a in attached if len(a) > 1 or not a.isascii()))]),
        "# What a pattern writes right after a year's or a day's digits (年, 일, mh).",
        *assign("YEAR_MARKS", [joined(sorted(year_marks))]),
        *assign("DAY_MARKS", [joined(sorted(day_marks))]),
        "",
    ]
    return formatted("\n".join(out))


def joined(words: object) -> str:
    """Words as one token: '|' between them, '_' for a space inside one."""
    return "|".join(str(w).replace(" ", "_") for w in words)  # type: ignore[attr-defined]


def assign(name: str, lines: list[str], tuple_of: bool = False) -> list[str]:
    """`NAME = ("…",)[0]` (or a tuple of strings): each string alone on a line, so that it is
    one word, which the line-length rule lets be long."""
    return [f"{name} = (", *(f"    {line!r}," for line in lines), ")" if tuple_of else ")[0]"]


def formatted(source: str) -> str:
    """The module as `ruff format` leaves it, so that the lint check and --check agree."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(TARGET), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = TARGET.read_text(encoding="utf-8") == text
        print("cldr.py is current" if same else "cldr.py differs from what Babel gives")
        raise SystemExit(0 if same else 1)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text.encode()) // 1024} KiB)")


if __name__ == "__main__":
    main()

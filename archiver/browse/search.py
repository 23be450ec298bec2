"""Words a user types, as conditions on the full-text tables (schema step 7).

A word in a script written with spaces (Latin, Arabic, Cyrillic…) is looked up in
`search_words` (unicode61: case and diacritics folded); a word with characters of a script
written without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar) is looked up as a
substring in `search_grams` (trigrams). Trigrams need three characters: a shorter word (東京,
서울) is looked for in the indexed text row by row.

Nothing the user types is FTS syntax: each word becomes a quoted FTS string, so `"`, `NEAR(`,
`AND` or `*` alone are words or nothing, never an error. `"two words"` is a phrase; a word that
ends in `*` is a prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError

UNSPACED_RE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u3040-\u30ff\u3100-\u318f"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003134f]"
)
TERM_RE = re.compile(r'"([^"]*)"|(\S+)')
WORD_RE = re.compile(r"\w")
# Folded as `search_body` folds (migrations, step 7): Arabic short vowels, shadda, sukun,
# superscript alef and tatweel dropped; alef with madda or hamza, and alef wasla, read as alef.
FOLD = str.maketrans(
    {chr(c): None for c in (*range(0x64B, 0x653), 0x670, 0x640)}
    | {chr(c): "\u0627" for c in (0x622, 0x623, 0x625, 0x671)}
)


def fold(text: str) -> str:
    return text.translate(FOLD)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


@dataclass
class Search:
    """A query as SQL: `where` conditions on `post.id` and their parameters."""

    words: list[str] = field(default_factory=list)  # FTS strings for search_words
    grams: list[str] = field(default_factory=list)  # FTS strings for search_grams
    short: list[str] = field(default_factory=list)  # substrings too short for trigrams

    @classmethod
    def parse(cls, query: str) -> Search:
        """The words of `query`; InputError when it has none."""
        found = cls()
        for phrase, bare in TERM_RE.findall(fold(query)):
            term = (phrase or bare).strip()
            prefix = not phrase and term.endswith("*")
            term = term.strip("*").strip()
            if not WORD_RE.search(term):
                continue  # punctuation alone: nothing any index holds
            if not UNSPACED_RE.search(term):
                found.words.append(_quoted(term) + ("*" if prefix else ""))
            elif len(term) >= 3:
                found.grams.append(_quoted(term))
            else:
                found.short.append(term)
        if not (found.words or found.grams or found.short):
            raise InputError(f"search {query[:200]!r}: no words to search for")
        return found

    def where(self, post: str = "post.id") -> tuple[list[str], list[object]]:
        """SQL conditions that the post `post` names matches, and their parameters."""
        sql: list[str] = []
        params: list[object] = []
        if self.words:
            sql.append(f"{post} IN (SELECT rowid FROM search_words WHERE search_words MATCH ?)")
            params.append(" ".join(self.words))
        if self.grams:
            sql.append(f"{post} IN (SELECT rowid FROM search_grams WHERE search_grams MATCH ?)")
            params.append(" ".join(self.grams))
        for term in self.short:
            sql.append(f"{post} IN (SELECT rowid FROM search_grams WHERE instr(body, ?) > 0)")
            params.append(term)
        return sql, params

"""Words a user types, as conditions on the full-text tables (schema step 7).

A word in a script written with spaces (Latin, Arabic, Cyrillic…) is looked up in
`search_words` (unicode61: case and diacritics folded); a word with characters of a script
written without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Myanmar) is looked up as a
substring in `search_grams` (trigrams). Trigrams need three characters: a shorter word (東京,
서울) is looked up as any of the indexed trigrams it begins (read from the index's vocabulary).

Nothing the user types is FTS syntax: each word becomes a quoted FTS string, so `"`, `NEAR(`,
`AND` or `*` alone are words or nothing, never an error. `"two words"` is a phrase; a word that
ends in `*` is a prefix.

A team archive (PostgreSQL, see pgdb.py) answers the same words from `search_post`: a word as a
phrase of the 'simple' configuration in `words` (a tsvector), a word of an unspaced script as a
substring of `body`; both sides folded by the database's `search_fold`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from ..errors import InputError
from .pgreader import POSTGRESQL, dialect

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
    terms: list[tuple[str, bool]] = field(default_factory=list)  # (word, prefix) as typed
    pieces: list[str] = field(default_factory=list)  # unspaced words as typed

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
                found.terms.append((term, prefix))
                continue
            found.pieces.append(term)
            if len(term) >= 3:
                found.grams.append(_quoted(term))
            else:
                found.short.append(term)
        if not (found.words or found.grams or found.short):
            raise InputError(f"search {query[:200]!r}: no words to search for")
        return found

    def matches(self, conn: sqlite3.Connection) -> list[tuple[str, str]] | None:
        """(table, MATCH expression) for each index the words need; None when no text can
        match (a short word that begins no indexed trigram)."""
        grams = list(self.grams)
        for term in self.short:  # the trigrams it begins: every place it is in (see step 7)
            started = _trigrams_from(conn, term)
            if not started:
                return None
            grams.append("(" + " OR ".join(map(_quoted, started)) + ")")
        found = [("search_words", self.words), ("search_grams", grams)]
        return [(table, " AND ".join(terms)) for table, terms in found if terms]

    def where(self, conn: sqlite3.Connection, post: str = "post.id") -> tuple[list[str], list]:
        """SQL conditions that the post `post` names matches, and their parameters."""
        if dialect(conn) == POSTGRESQL:
            return self._pg_where(post)
        matches = self.matches(conn)
        if matches is None:
            return ["0"], []
        sql = [f"{post} IN (SELECT rowid FROM {t} WHERE {t} MATCH ?)" for t, _ in matches]
        return sql, [expression for _, expression in matches]

    def _pg_where(self, post: str) -> tuple[list[str], list]:
        sql, params = [], []
        found = f"{post} IN (SELECT post_id FROM search_post WHERE "
        for term, prefix in self.terms:
            if prefix:  # the last word's lexeme as a prefix: 'two' <-> 'wor':*
                words = re.findall(r"\w+", term)
                sql.append(found + "words @@ to_tsquery('simple', search_fold(?)))")
                params.append(" <-> ".join(f"'{w}'" for w in words) + ":*")
            else:  # `<` and `>` read as spaces, as they are indexed (see pgdb.py)
                sql.append(found + "words @@ phraseto_tsquery('simple', search_fold(?)))")
                params.append(term.replace("<", " ").replace(">", " "))
        for piece in self.pieces:
            sql.append(found + "body LIKE '%' || search_fold(?) || '%')")
            params.append(re.sub(r"([\\%_])", r"\\\1", piece))
        return sql, params


def _trigrams_from(conn: sqlite3.Connection, term: str) -> list[str]:
    """The indexed trigrams that begin with `term` (one or two characters)."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_grams_terms "
        "USING fts5vocab(main, search_grams, row)"
    )
    start = term.lower()  # the trigram index folds case
    rows = conn.execute(
        "SELECT term FROM temp.search_grams_terms WHERE term >= ? AND term < ?",
        (start, start + "\U0010ffff"),
    )
    return [r[0] for r in rows]

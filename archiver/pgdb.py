"""A team archive's database on PostgreSQL (psycopg 3), through the same sqlmodel models.

The schema is built from the models (`metadata.create_all`, which adds the tables a newer
archiver declares), and `archiver_schema` records the schema version reached, the one
`migrations.LATEST` names, as SQLite's `user_version` does. A later step that changes a table
already there adds its PostgreSQL statements to `CHANGES`.

Search is kept by the database itself, as on SQLite (migrations, step 7): triggers on `post`
and `media` keep one `search_post` row per post, its folded text (`body`, for substrings:
scripts written without spaces, with a trigram index where pg_trgm is there) and its words
(`words`, a tsvector of the 'simple' configuration: no stemming, no stop words).
"""

from __future__ import annotations

import warnings

from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SAWarning
from sqlmodel import SQLModel

from . import models  # noqa: F401  (registers the tables)
from .errors import InputError, SchemaError
from .migrations import LATEST

CHANGES: dict[int, list[str]] = {}  # version: statements for tables that exist (none yet)
VERSION_TABLE = "archiver_schema"
# What search folds (as `search_body` does on SQLite, step 7): Arabic alef forms read as alef,
# short vowels, shadda, sukun, superscript alef and tatweel dropped. `translate` maps the first
# four characters to the four alefs and drops the rest.
FOLD_FROM = "".join(
    chr(c) for c in (0x622, 0x623, 0x625, 0x671, *range(0x64B, 0x653), 0x670, 0x640)
)
FOLD_TO = "\u0627" * 4
BODY = """coalesce(p.text, '') || ' ' || coalesce(p.author_name, '') || ' '
    || coalesce(p.handle, '') || ' ' || coalesce(p.card_title, '') || ' ' || coalesce(
        (SELECT string_agg(alt_text, ' ') FROM media WHERE media.post_id = p.id), '')"""
SEARCH = [
    # One folding for what is indexed and what is asked (see browse/search.py).
    f"""CREATE FUNCTION search_fold(raw TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT {{unaccent}}(lower(translate(raw, '{FOLD_FROM}', '{FOLD_TO}'))) $$""",
    "CREATE TABLE search_post (post_id INTEGER PRIMARY KEY, body TEXT NOT NULL, "
    "words TSVECTOR NOT NULL)",
    "CREATE INDEX search_post_words ON search_post USING gin (words)",
    f"""CREATE FUNCTION search_refresh(target INTEGER) RETURNS void LANGUAGE plpgsql AS $$
DECLARE folded TEXT;
BEGIN
    SELECT search_fold({BODY}) INTO folded FROM post p WHERE p.id = target;
    IF folded IS NULL THEN
        DELETE FROM search_post WHERE post_id = target;
    ELSE
        -- the parser drops what reads as a markup tag: <script> is words here
        INSERT INTO search_post
        VALUES (target, folded, to_tsvector('simple', translate(folded, '<>', '  ')))
        ON CONFLICT (post_id) DO UPDATE SET body = excluded.body, words = excluded.words;
    END IF;
END $$""",
    """CREATE FUNCTION search_post_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN PERFORM search_refresh(OLD.id); RETURN OLD; END IF;
    PERFORM search_refresh(NEW.id);
    RETURN NEW;
END $$""",
    """CREATE FUNCTION search_media_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM search_refresh(OLD.post_id); END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.post_id <> OLD.post_id
            OR NEW.alt_text IS DISTINCT FROM OLD.alt_text) THEN
        PERFORM search_refresh(NEW.post_id);
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER search_post AFTER INSERT OR DELETE OR UPDATE OF text, author_name, handle, "
    "card_title ON post FOR EACH ROW EXECUTE FUNCTION search_post_changed()",
    "CREATE TRIGGER search_media AFTER INSERT OR DELETE OR UPDATE OF alt_text, post_id ON media "
    "FOR EACH ROW EXECUTE FUNCTION search_media_changed()",
    "CREATE INDEX search_post_handle ON post (lower(handle))",
    # A field of a JSON text, or NULL when the text is not JSON (SQLite's json_valid guard).
    """CREATE FUNCTION json_field(data TEXT, name TEXT) RETURNS TEXT LANGUAGE plpgsql
    IMMUTABLE AS $$
BEGIN
    RETURN data::jsonb ->> name;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$""",
]
TRIGRAMS = "CREATE INDEX search_post_grams ON search_post USING gin (body gin_trgm_ops)"


def engine_url(url: str) -> str:
    """`url` with psycopg 3 as its driver (SQLAlchemy's default for PostgreSQL is psycopg2)."""
    try:
        parsed = make_url(url)
    except (ValueError, ArgumentError):  # a port that is no number, a bad scheme
        from .team import without_password

        raise InputError(f"database {without_password(url)[:200]!r}: not a valid URL") from None
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def make_engine(url: str, create: bool = False) -> Engine:
    """An engine for the PostgreSQL database at `url`, its schema made (`create`) or brought up
    to date; InputError when the database holds no archive and `create` is not asked."""
    engine = create_engine(
        engine_url(url),
        pool_pre_ping=True,
        connect_args={"options": "-c timezone=UTC", "connect_timeout": 10},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        import psycopg.types.string

        # Times are kept as text in SQLite; a string compared with a time column here is cast
        # by the server, as a literal would be (not sent as text, which has no such operator).
        dbapi_conn.adapters.register_dumper(str, psycopg.types.string.StrDumperUnknown)

    migrate(engine, create)
    return engine


def schema_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return _version(conn)


def _version(conn) -> int:  # type: ignore[no-untyped-def]
    exists = conn.execute(text("SELECT to_regclass(:name)"), {"name": VERSION_TABLE}).scalar()
    if exists is None:
        return 0
    return conn.execute(text(f"SELECT max(version) FROM {VERSION_TABLE}")).scalar() or 0


def migrate(engine: Engine, create: bool = False) -> int:
    """Build or update the schema in one transaction (one process at a time: an advisory lock)."""
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(7261)"))
        current = _version(conn)
        if current > LATEST:
            raise SchemaError(
                f"archive schema version {current} is newer than this archiver knows ({LATEST}); "
                "upgrade archiver"
            )
        if current == LATEST:
            return current
        if current == 0:
            tables = conn.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            ).scalar()
            if tables:
                raise SchemaError("the database has tables but no archiver schema version")
            if not create:
                raise InputError(
                    "no archive in this database (create one with `archiver init --database URL`)"
                )
        _models().create_all(conn)
        if current == 0:
            _create_search(conn)
            conn.execute(text(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)"))
        for version in range(current + 1, LATEST + 1):
            for statement in CHANGES.get(version, []):
                conn.execute(text(statement))
        conn.execute(text(f"DELETE FROM {VERSION_TABLE}"))
        conn.execute(text(f"INSERT INTO {VERSION_TABLE} VALUES ({LATEST})"))
    return LATEST


def _models() -> MetaData:
    """A copy of the models' tables: creating them here (a cycle, a run and its custody blob,
    is made with ALTER TABLE) leaves marks on the tables that SQLite's must not see."""
    copy = MetaData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # that cycle, which ALTER TABLE resolves
        for table in SQLModel.metadata.sorted_tables:
            table.to_metadata(copy)
    return copy


def _create_search(conn) -> None:  # type: ignore[no-untyped-def]
    """The search table and its triggers; accents folded and a trigram index where the
    server has the extensions (contrib; both trusted: a database owner may add them)."""
    have = _extension(conn, "unaccent"), _extension(conn, "pg_trgm")
    for statement in SEARCH:
        unaccent = "unaccent" if have[0] else ""
        conn.execute(text(statement.replace("{unaccent}", unaccent)))
    if have[1]:
        conn.execute(text(TRIGRAMS))


def _extension(conn, name: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        with conn.begin_nested():
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
        return True
    except Exception:  # not installed, or not allowed: search works without it, slower
        return False

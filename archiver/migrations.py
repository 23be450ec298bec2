"""Schema versions. Each step moves an archive from version N-1 to N; `PRAGMA user_version` says
where an archive stands. Steps are frozen once released: change the schema by appending a step
(and the matching change in `models.py`; a test checks that the two agree).

Full-text search lives in the database alone (step 7): triggers on `post` and `media` keep two
FTS5 tables in step with the rows, inside the transaction that writes them, whoever writes.
"""

from __future__ import annotations

import sqlite3

STEPS: list[tuple[int, str, str]] = [
    (
        1,
        "initial tables",
        """
CREATE TABLE blob (
    digest VARCHAR NOT NULL PRIMARY KEY, size INTEGER NOT NULL, media_type VARCHAR,
    derived BOOLEAN NOT NULL, created_at DATETIME NOT NULL, verified_at DATETIME);
CREATE TABLE document (
    id INTEGER NOT NULL PRIMARY KEY, blob_digest VARCHAR NOT NULL REFERENCES blob (digest),
    path VARCHAR NOT NULL, media_type VARCHAR, added_at DATETIME NOT NULL);
CREATE TABLE post (
    id INTEGER NOT NULL PRIMARY KEY, status_id VARCHAR UNIQUE, witness_key VARCHAR UNIQUE,
    handle VARCHAR, author_name VARCHAR, author_id VARCHAR, created_at DATETIME, text VARCHAR,
    lang VARCHAR, state VARCHAR NOT NULL, state_reason VARCHAR, reply_to_status_id VARCHAR,
    quoted_status_id VARCHAR, record_digest VARCHAR REFERENCES blob (digest),
    first_seen_at DATETIME NOT NULL, updated_at DATETIME NOT NULL);
CREATE TABLE reference (
    id INTEGER NOT NULL PRIMARY KEY, document_id INTEGER REFERENCES document (id),
    post_id INTEGER REFERENCES post (id), kind VARCHAR NOT NULL, line INTEGER,
    "column" INTEGER, "match" VARCHAR NOT NULL, status_id VARCHAR, data VARCHAR NOT NULL,
    added_at DATETIME NOT NULL);
CREATE TABLE capture (
    id INTEGER NOT NULL PRIMARY KEY, post_id INTEGER REFERENCES post (id),
    reference_id INTEGER REFERENCES reference (id), source VARCHAR NOT NULL,
    url VARCHAR NOT NULL, final_url VARCHAR, http_status INTEGER, headers VARCHAR NOT NULL,
    fetched_at DATETIME NOT NULL, elapsed_ms INTEGER,
    blob_digest VARCHAR REFERENCES blob (digest), outcome VARCHAR NOT NULL, reason VARCHAR,
    tool_version VARCHAR NOT NULL);
CREATE TABLE media (
    id INTEGER NOT NULL PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES post (id),
    position INTEGER NOT NULL, kind VARCHAR NOT NULL, remote_url VARCHAR NOT NULL,
    blob_digest VARCHAR REFERENCES blob (digest), rendition VARCHAR, media_type VARCHAR,
    width INTEGER, height INTEGER, duration_ms INTEGER, bitrate INTEGER, alt_text VARCHAR,
    phash VARCHAR, status VARCHAR NOT NULL, reason VARCHAR,
    UNIQUE (post_id, position, remote_url));
CREATE TABLE "check" (
    id INTEGER NOT NULL PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES post (id),
    at DATETIME NOT NULL, state VARCHAR NOT NULL, source VARCHAR NOT NULL,
    capture_id INTEGER REFERENCES capture (id));
CREATE TABLE job (
    id INTEGER NOT NULL PRIMARY KEY, kind VARCHAR NOT NULL, target VARCHAR NOT NULL,
    reference_id INTEGER REFERENCES reference (id), state VARCHAR NOT NULL,
    attempts INTEGER NOT NULL, next_try_at DATETIME, last_error VARCHAR,
    created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, UNIQUE (kind, target));
""",
    ),
    (
        2,
        "indexes for lookups by post, blob, document, handle, status id, job state, image hash",
        """
CREATE INDEX ix_document_blob_digest ON document (blob_digest);
CREATE INDEX ix_post_handle ON post (handle);
CREATE INDEX ix_reference_document_id ON reference (document_id);
CREATE INDEX ix_reference_post_id ON reference (post_id);
CREATE INDEX ix_reference_status_id ON reference (status_id);
CREATE INDEX ix_capture_post_id ON capture (post_id);
CREATE INDEX ix_capture_reference_id ON capture (reference_id);
CREATE INDEX ix_capture_blob_digest ON capture (blob_digest);
CREATE INDEX ix_media_post_id ON media (post_id);
CREATE INDEX ix_media_blob_digest ON media (blob_digest);
CREATE INDEX ix_media_phash ON media (phash);
CREATE INDEX ix_check_post_id ON "check" (post_id);
CREATE INDEX ix_job_state ON job (state);
""",
    ),
    (
        3,
        "jobs record who runs them and what they found",
        """
ALTER TABLE job ADD COLUMN claimed_by VARCHAR;
ALTER TABLE job ADD COLUMN result VARCHAR;
""",
    ),
    (
        4,
        "media record what the bytes are (format, mode, frames, codec) and a derived thumbnail",
        """
ALTER TABLE media ADD COLUMN format VARCHAR;
ALTER TABLE media ADD COLUMN mode VARCHAR;
ALTER TABLE media ADD COLUMN frames INTEGER;
ALTER TABLE media ADD COLUMN codec VARCHAR;
ALTER TABLE media ADD COLUMN thumbnail_digest VARCHAR REFERENCES blob (digest);
""",
    ),
]

STEPS.append(
    (
        5,
        "references keep the short links they cite, so a resolved link points them at its post",
        """
CREATE TABLE reference_link (
    id INTEGER NOT NULL PRIMARY KEY, reference_id INTEGER NOT NULL REFERENCES reference (id),
    url VARCHAR NOT NULL, UNIQUE (reference_id, url));
CREATE INDEX ix_reference_link_url ON reference_link (url);
INSERT INTO reference_link (reference_id, url)
    SELECT id, json_extract(CASE WHEN json_valid(data) THEN data ELSE '{}' END, '$.canonical_url')
    FROM reference WHERE kind = 'short_link' AND json_extract(
        CASE WHEN json_valid(data) THEN data ELSE '{}' END, '$.canonical_url') IS NOT NULL;
INSERT OR IGNORE INTO reference_link (reference_id, url)
    SELECT reference.id, links.value FROM reference,
        json_each(CASE WHEN json_valid(reference.data) THEN reference.data ELSE '{}' END,
                  '$.short_links') AS links
    WHERE reference.kind = 'attribution'
""",
    )
)

STEPS.append(
    (
        6,
        "posts name the post a repost reposts, and every version of an edited post",
        """
ALTER TABLE post ADD COLUMN repost_of_status_id VARCHAR;
ALTER TABLE post ADD COLUMN edit_ids VARCHAR
""",
    )
)

# What search reads of a post: its text, author, handle, card title and the alt text of its media,
# with Arabic short vowels, tatweel and the hamza forms of alef folded away (in step with
# `browse.search.fold`), so that حمص finds حِمْص and احمد finds أحمد. Two spaces end it, so
# that every character of it starts a trigram (a word of one or two characters is found by the
# trigrams it starts). Handles are compared without case, through an index of their own.
STEPS.append(
    (
        7,
        "full-text search over posts: words (unicode61) and trigrams (scripts written unspaced)",
        """
ALTER TABLE post ADD COLUMN card_title VARCHAR;
CREATE INDEX ix_post_created_at ON post (created_at);
CREATE INDEX ix_capture_fetched_at ON capture (fetched_at);
CREATE INDEX search_post_handle ON post (lower(handle));
CREATE VIEW search_body AS SELECT id,
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(
        coalesce(text, '') || ' ' || coalesce(author_name, '') || ' ' || coalesce(handle, '')
        || ' ' || coalesce(card_title, '') || ' ' || coalesce(
            (SELECT group_concat(alt_text, ' ') FROM media WHERE media.post_id = post.id), '')
        || '  ',
    char(1611), ''), char(1612), ''), char(1613), ''), char(1614), ''), char(1615), ''),
    char(1616), ''), char(1617), ''), char(1618), ''), char(1648), ''), char(1600), ''),
    char(1570), char(1575)), char(1571), char(1575)), char(1573), char(1575)),
    char(1649), char(1575)) AS body
    FROM post;
CREATE VIRTUAL TABLE search_words USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_grams USING fts5(body, tokenize = 'trigram');
INSERT INTO search_words (rowid, body) SELECT id, body FROM search_body;
INSERT INTO search_grams (rowid, body) SELECT id, body FROM search_body;
CREATE VIEW search_refresh AS SELECT NULL AS post_id;
CREATE TRIGGER search_refresh_post INSTEAD OF INSERT ON search_refresh BEGIN
    DELETE FROM search_words WHERE rowid = new.post_id;
    DELETE FROM search_grams WHERE rowid = new.post_id;
    INSERT INTO search_words (rowid, body) SELECT id, body FROM search_body WHERE id = new.post_id;
    INSERT INTO search_grams (rowid, body) SELECT id, body FROM search_body WHERE id = new.post_id;
END;
CREATE TRIGGER search_post_insert AFTER INSERT ON post BEGIN
    INSERT INTO search_refresh (post_id) VALUES (new.id);
END;
CREATE TRIGGER search_post_update AFTER UPDATE OF text, author_name, handle, card_title ON post
    WHEN new.text IS NOT old.text OR new.author_name IS NOT old.author_name
        OR new.handle IS NOT old.handle OR new.card_title IS NOT old.card_title BEGIN
    INSERT INTO search_refresh (post_id) VALUES (new.id);
END;
CREATE TRIGGER search_post_delete AFTER DELETE ON post BEGIN
    INSERT INTO search_refresh (post_id) VALUES (old.id);
END;
CREATE TRIGGER search_media_insert AFTER INSERT ON media WHEN new.alt_text IS NOT NULL BEGIN
    INSERT INTO search_refresh (post_id) VALUES (new.post_id);
END;
CREATE TRIGGER search_media_update AFTER UPDATE OF alt_text, post_id ON media
    WHEN new.alt_text IS NOT old.alt_text OR new.post_id IS NOT old.post_id BEGIN
    INSERT INTO search_refresh (post_id) VALUES (old.post_id);
    INSERT INTO search_refresh (post_id) VALUES (new.post_id);
END;
CREATE TRIGGER search_media_delete AFTER DELETE ON media WHEN old.alt_text IS NOT NULL BEGIN
    INSERT INTO search_refresh (post_id) VALUES (old.post_id);
END
""",
    )
)

STEPS.append(
    (
        8,
        "runs: each run's custody record and its RFC 3161 timestamps; blobs name their run",
        """
CREATE TABLE run (
    id INTEGER NOT NULL PRIMARY KEY, command VARCHAR NOT NULL, runner VARCHAR, operator VARCHAR,
    started_at DATETIME NOT NULL, ended_at DATETIME,
    custody_digest VARCHAR REFERENCES blob (digest));
CREATE TABLE runstamp (
    id INTEGER NOT NULL PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES run (id),
    tsa VARCHAR NOT NULL, url VARCHAR, time DATETIME NOT NULL,
    response_digest VARCHAR NOT NULL REFERENCES blob (digest),
    chain_digest VARCHAR NOT NULL REFERENCES blob (digest));
CREATE INDEX ix_runstamp_run_id ON runstamp (run_id);
ALTER TABLE blob ADD COLUMN run_id INTEGER REFERENCES run (id);
CREATE INDEX ix_blob_run_id ON blob (run_id)
""",
    )
)

LATEST = STEPS[-1][0]


def statements(script: str) -> list[str]:
    """The statements of one step, split at the `;` that end them (not those inside a
    trigger's body or a string)."""
    out, pending = [], ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            out.append(pending.strip().removesuffix(";").strip())
            pending = ""
    return [statement for statement in out if statement]

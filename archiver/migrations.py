"""Schema versions. Each step moves an archive from version N-1 to N; `PRAGMA user_version` says
where an archive stands. Steps are frozen once released: change the schema by appending a step
(and the matching change in `models.py`; a test checks that the two agree).
"""

from __future__ import annotations

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

LATEST = STEPS[-1][0]


def statements(script: str) -> list[str]:
    """The statements of one step (steps hold no `;` inside a statement)."""
    return [part.strip() for part in script.split(";") if part.strip()]

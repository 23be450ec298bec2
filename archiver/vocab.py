"""The one vocabulary: post states, what an exchange said, what became of a reference, jobs and
media. Every module spells these words through the enums here; JSON output keeps the values.
"""

from __future__ import annotations

from enum import StrEnum


class PostState(StrEnum):
    """What is known of a post now."""

    LIVE = "live"
    DELETED = "deleted"  # only on a positive signal (a tombstone or message that says so)
    SUSPENDED = "suspended"
    PROTECTED = "protected"
    WITHHELD = "withheld"  # in some countries (named in the reason)
    AGE_RESTRICTED = "age_restricted"  # exists, hidden from signed-out viewers as sensitive
    LOGIN_REQUIRED = "login_required"  # exists, shown only to signed-in viewers
    UNAVAILABLE = "unavailable"  # no source has it, and none says why
    UNKNOWN = "unknown"  # not asked yet, or no source answered


# States in which the post cannot be seen now (it may still exist).
GONE_STATES = frozenset(PostState) - {PostState.LIVE, PostState.UNKNOWN}
# States in which the post exists and is hidden from one kind of viewer only: a source that reads
# it as another (signed in, elsewhere) may show it.
HIDDEN_STATES = frozenset({PostState.AGE_RESTRICTED, PostState.LOGIN_REQUIRED, PostState.WITHHELD})


class Outcome(StrEnum):
    """What one exchange (a capture row) said."""

    FOUND = "found"  # it holds the post
    EMBEDDED = "embedded"  # the answer for another post holds this one whole (a quote's quoted…)
    GONE = "gone"  # it says the post is not available (a tombstone, a refusal)
    NOT_FOUND = "not_found"  # it does not know the post
    ERROR = "error"  # a failure: transport, server error, a payload that cannot be read
    REDIRECT = "redirect"  # a hop to another URL
    LOOKUP = "lookup"  # an intermediate answer that led to the next request (an index listing)
    REFUSED = "refused"  # archiver refused to follow it (off the service's hosts)
    NOT_POST = "not_post"  # a short link that leads somewhere that is not a post


class Verdict(StrEnum):
    """What became of a reference after a run (`archiver archive --json` `outcome`)."""

    CAPTURED = "captured"  # the record and every media item are kept whole
    PARTIAL = "partial"  # the record is kept; some media is missing (the reason says which)
    ALREADY = "already"  # archived before, nothing new was needed
    GONE = "gone"  # the post is not available now (the state says how)
    UNRESOLVED = "unresolved"  # no post could be identified from the reference
    FAILED = "failed"  # no source could be read
    PENDING = "pending"  # waiting for the network or a rate limit: `archiver retry`


DONE_VERDICTS = frozenset({Verdict.CAPTURED, Verdict.ALREADY, Verdict.GONE})


class JobKind(StrEnum):
    RESOLVE = "resolve"  # a short link
    POST = "post"  # a post a reference names
    QUOTED = "quoted"  # a post another post quotes or reposts
    FIND = "find"  # an embed or citation without a link: look its post up by handle and day


class JobState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MediaKind(StrEnum):
    PHOTO = "photo"
    VIDEO = "video"
    GIF = "gif"
    CARD_IMAGE = "card_image"
    AVATAR = "avatar"
    LINKED = "linked"  # a video the post links to elsewhere (with --follow-media-links)


# The media a post shows, by the kinds archiver knows (what `list` and the viewer filter by).
POST_MEDIA = frozenset({MediaKind.PHOTO, MediaKind.VIDEO, MediaKind.GIF})
# What archiver adds to a post's own media (a card's picture, the author's avatar, a video the
# post links to): kept when they can be, their failures reported, but they do not make a capture
# partial. Every other kind does, one a source names that archiver does not know included.
ADDED_MEDIA = frozenset({MediaKind.CARD_IMAGE, MediaKind.AVATAR, MediaKind.LINKED})
IMAGE_KINDS = frozenset({MediaKind.PHOTO, MediaKind.CARD_IMAGE, MediaKind.AVATAR})


# The reference kinds that cite one post (an account or a bare id names none).
CITING_KINDS = ("status_url", "attribution", "short_link", "citation")


class MediaStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    PENDING = "pending"


class Step(StrEnum):
    """Capture rows that are not a source's answer about a post."""

    RESOLVE = "resolve"  # a short-link hop
    MEDIA = "media"  # a photo, video or picture
    WITNESS = "witness"  # what a citing document shows
    SAVE = "save"  # asking a public archive (the Wayback Machine) to keep a copy
    FIND = "find"  # looking an unlinked post up in the Wayback Machine's index

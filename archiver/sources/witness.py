"""What the citing document itself shows of a post: author, handle, date and text."""

from __future__ import annotations

from pathlib import PurePath

from ..record import PostRecord
from ..vocab import PostState


def witnessed(shown: dict) -> dict:
    """What a document shows of a post (a reference's fields), as a witness keeps it: the
    document by its file's name. A witness travels in bundles, which must not carry the folders
    of the disk the document was read on (the archive's document row keeps its path)."""
    document = str(shown.get("document") or "-")
    return {**shown, "document": PurePath(document).name or document}


def witness_record(status_id: str | None, shown: dict) -> PostRecord:
    """The record of a post as a document shows it (kept until a source gives the post)."""
    return PostRecord(
        status_id=status_id or "",
        source="witness",
        handle=shown.get("handle"),
        author_name=shown.get("author_name"),
        text=shown.get("text"),
        text_expanded=shown.get("text"),
        state=PostState.UNKNOWN,
        state_reason=f"as shown by {shown.get('document')} (dated {shown.get('date_text')})",
    )


def witness_url(shown: dict) -> str:
    """Where the document shows the post, as a capture's URL."""
    return f"witness:{shown.get('document')}#L{shown.get('line')}"

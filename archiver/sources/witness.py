"""What the citing document itself shows of a post: author, handle, date and text."""

from __future__ import annotations

from ..net import Exchange, Http
from ..record import PostRecord, canonical_json
from ..store import Store
from .base import Reading, Source, Target


def witness_record(status_id: str | None, shown: dict) -> PostRecord:
    return PostRecord(
        status_id=status_id or "",
        source="witness",
        handle=shown.get("handle"),
        author_name=shown.get("author_name"),
        text=shown.get("text"),
        text_expanded=shown.get("text"),
        state="unknown",
        state_reason=f"as shown by {shown.get('document')} (dated {shown.get('date_text')})",
    )


def witness_exchange(store: Store, shown: dict) -> Exchange:
    """What the document shows, stored as a JSON blob and described like an answer."""
    digest, size = store.put(canonical_json(shown))
    return Exchange(
        url=f"witness:{shown.get('document')}#L{shown.get('line')}",
        digest=digest,
        size=size,
        headers={"content-type": "application/json"},
    )


class Witness(Source):
    name = "witness"
    live = False

    async def fetch(self, http: Http, target: Target) -> Reading:
        if not target.witness:
            return Reading("not_found", reason="witness: no citing document shows this post")
        digest, size = http.store.put(canonical_json(target.witness))
        where = f"{target.witness.get('document')}#L{target.witness.get('line')}"
        exchange = Exchange(
            url=f"witness:{where}",
            final_url=None,
            digest=digest,
            size=size,
            headers={"content-type": "application/json"},
        )
        record = witness_record(target.status_id, target.witness)
        return Reading("found", record=record, exchanges=[exchange])

"""What a bundle's files say of each other, checked against the bytes: each post record hashes
to the digest its post.json cites (the digest a citation quotes); each media file hashes to the
SHA-256 it is named by, and each photo or video a post.json lists is in the bundle as that
file; each raw answer hashes to the digest its history.json gives for that capture. Manifests
alone prove only that the files are those the bundle was made with (or remade with); these
tie the media and the answers to the record, and the record to its citation."""

from __future__ import annotations

import json
import re

from .bundle import MAX_JSON_BYTES, Bag, Unreadable
from .report import Report

POST_RE = re.compile(r"(data/posts/[^/]+)/post\.json\Z")
MEDIA_RE = re.compile(r"data/posts/[^/]+/media/(?P<hex>[0-9a-f]{64})\.[A-Za-z0-9]{1,8}\Z")
MAX_HISTORY = 64 * 1024 * 1024  # a post's captures and checks: years of hourly rechecks
RAW_RE = re.compile(r"(data/posts/[^/]+)/raw/(?P<id>\d{6,18})-[^/]*\Z")


def check_contents(bag: Bag, present: set[str], sha256: dict[str, str], report: Report) -> None:
    """Add a problem for each file whose bytes are not what another file says they are.
    `sha256` holds the digest of each file read whole (one that could not be is named already)."""
    media = {}  # digest → file
    for name in sorted(present):
        named = MEDIA_RE.match(name)
        if named is None:
            continue
        media["sha256:" + named["hex"]] = name
        if name in sha256 and sha256[name] != "sha256:" + named["hex"]:
            report.add(f"{name}: does not hash to the SHA-256 it is named by", sha256[name])
    for name in sorted(present):
        base = POST_RE.match(name)
        if base is None:
            continue
        post = _json(bag, name, report)
        if post is not None:
            _check_post(bag, name, base[1], post, present, sha256, media, report)
        history = base[1] + "/history.json"
        kept = _json(bag, history, report, MAX_HISTORY) if history in present else {}
        if kept is not None:  # (no history: every answer in raw/ is named after no capture)
            _check_raw(history, base[1], kept, present, sha256, report)
    if "data/report.json" in present:
        _check_hops(bag, present, sha256, report)


def _json(bag: Bag, name: str, report: Report, limit: int = MAX_JSON_BYTES) -> dict | None:
    try:
        data = json.loads(bag.read(name, limit))
    except Unreadable as exc:
        report.add(f"{name}: unreadable ({exc})")
        return None
    except (ValueError, RecursionError):
        report.add(f"{name}: not JSON")
        return None
    if not isinstance(data, dict):
        report.add(f"{name}: not a JSON object")
        return None
    return data


def _check_post(
    bag: Bag,
    name: str,
    base: str,
    post: dict,
    present: set[str],
    sha256: dict[str, str],
    media: dict[str, str],
    report: Report,
) -> None:
    cited, record = post.get("record_digest"), base + "/record.json"
    if cited is not None and not isinstance(cited, str):
        report.add(f"{name}: record_digest is not a string")
    elif cited is not None and record not in present:
        report.add(f"{name}: cites a record the bundle does not hold ({record})", cited[:100])
    elif cited is not None and record in sha256 and sha256[record] != cited:
        report.add(f"{record} does not hash to the digest {name} cites", cited[:100])
    elif cited is not None and record in sha256:
        _check_said(bag, record, name, base, post, report)
    items = post.get("media") if isinstance(post.get("media"), list) else []
    for item in items:
        digest = item.get("digest") if isinstance(item, dict) else None
        if isinstance(digest, str) and digest.startswith("sha256:") and digest not in media:
            report.add(f"{name}: lists a photo or video the bundle does not hold", digest[:100])


def _check_raw(
    name: str, base: str, history: dict, present: set[str], sha256: dict[str, str], report: Report
) -> None:
    listed = _dicts(history.get("captures"))
    given = {str(c.get("id")): c.get("digest") for c in listed}
    sources = {str(c.get("id")): c.get("source") for c in listed}
    held = set()
    for raw in sorted(n for n in present if n.startswith(base + "/raw/")):
        m = RAW_RE.match(raw)
        if m is None:
            report.add(f"{raw[:200]}: named after no capture")
            continue
        held.add(m["id"].lstrip("0") or "0")
        if raw not in sha256:
            continue
        digest = given.get(m["id"].lstrip("0") or "0")
        if digest != sha256[raw]:
            said = "names no such capture" if digest is None else "gives another digest"
            report.add(f"{raw}: does not hash to the digest {name} gives ({said})", sha256[raw])
    for capture, digest in given.items():
        if digest and capture not in held and sources.get(capture) != "media":
            report.add(f"{name}: lists capture {capture}, whose answer the bundle does not hold")


def _check_hops(bag: Bag, present: set[str], sha256: dict[str, str], report: Report) -> None:
    """The answers of short links that led to no post (data/links/): each is a hop report.json
    gives, and hashes to the digest it gives."""
    links = sorted(n for n in present if n.startswith("data/links/"))
    try:
        rows = json.loads(bag.read("data/report.json", MAX_HISTORY))
    except Unreadable as exc:  # (its bytes are the manifests'; only its hops are not checked)
        if links:
            report.add(f"data/report.json: {exc}: the answers under data/links/ not checked")
        return
    except (ValueError, RecursionError):
        rows = None
    if not isinstance(rows, list):
        report.add("data/report.json: not a JSON list of citations")
        return
    hops = [h for r in rows if isinstance(r, dict) for h in _dicts(r.get("hops"))]
    given = {f"data/{h['file']}": h.get("digest") for h in hops if isinstance(h.get("file"), str)}
    for name in links:
        if name not in given:
            report.add(f"{name[:200]}: named after no hop data/report.json gives")
        elif name in sha256 and given[name] != sha256[name]:
            report.add(f"{name}: does not hash to the digest data/report.json gives", sha256[name])
    for name in sorted(n for n in given if n not in present):
        report.add(f"data/report.json: lists an answer the bundle does not hold ({name[:200]})")


def _dicts(value: object) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _check_said(bag: Bag, record: str, name: str, base: str, post: dict, report: Report) -> None:
    """The record is the post's its folder and post.json name, and post.json (what a bundle's
    page and citations show) says what the record says of its text and author."""
    said = _json(bag, record, report)
    if said is None:
        return
    status_id = said.get("status_id")
    differ = [  # (what either leaves out is not compared)
        field
        for field in ("status_id", "text", "handle")
        if None not in (said.get(field), post.get(field)) and said.get(field) != post.get(field)
    ]
    if isinstance(status_id, str) and status_id.isdigit() and base.rsplit("/", 1)[-1] != status_id:
        differ.append("folder")
    if differ:
        report.add(f"{record}: {name} and the folder do not say what it says ({', '.join(differ)})")

"""The contract every source keeps: ask for one post, read the answer into a `Reading`.

A source knows one service's URLs, hosts and payloads and nothing else. Most need only `url` and
`parse`; a source with more than one request (wayback) or none (witness) overrides `fetch`.

The safety net is `ask`: whatever a source's code does with a payload, every exchange it made is
in the reading (so every answer becomes a capture row), anything it raises becomes an `error`
reading ("unexpected payload (…)"), and a record that is not about the post asked for, or whose
fields have the wrong types, is refused the same way. The next source is then asked.

An answer often carries other posts whole: the post a quote quotes, the post a repost reposts,
a reply's parent. A source returns them as `embedded` records; they are kept as captures of
those posts (so they survive if asking for them directly fails later). An embedded copy that is
unsound is dropped, with a note on the record; it never spoils the reading.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..errors import stops_the_run
from ..exchange import Exchange
from ..fence import Fence
from ..net import Http, readable, recording
from ..record import PostRecord
from ..vocab import Outcome, PostState


@dataclass
class Target:
    status_id: str
    handle: str | None = None
    witness: dict | None = None  # what a citing document shows of the post


@dataclass
class Reading:
    outcome: Outcome  # found, gone (tombstone), not_found, error
    record: PostRecord | None = None
    state: PostState | None = None  # for gone: which state the answer names
    reason: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    retry_after: float | None = None  # rate limited beyond the cap: try again later
    offline: bool = False
    embedded: list[PostRecord] = field(default_factory=list)  # other posts the answer holds


def unexpected(source: str, exc: BaseException) -> str:
    """The reason given for a payload a parser could not read."""
    detail = str(exc).replace("\n", " ")[:160]
    return f"{source}: unexpected payload ({type(exc).__name__}{': ' + detail if detail else ''})"


class Source:
    name = "source"
    live = True  # speaks for the post's state now (an archive or a witness does not)
    cut_text: str | None = None  # what it gives of a long post, when not all of it
    fence = Fence("source")  # the service's own hosts; redirects stay inside

    def url(self, target: Target) -> str:
        raise NotImplementedError

    def parse(self, status: int, body: bytes, target: Target) -> Reading:
        raise NotImplementedError

    async def fetch(self, http: Http, target: Target) -> Reading:
        exchange = await http.get(self.url(target), self.fence)
        return self.read(exchange, target)

    async def ask(self, http: Http, target: Target) -> Reading:
        """Ask for `target`; never raises on what the service answers (see the module doc)."""
        with recording() as log:
            try:
                reading = await self.fetch(http, target)
                if reading.record is not None and _newer_version(reading.record, target):
                    reading = only_newer(self.name, reading)
                if reading.record is not None:
                    reading.record.check(target.status_id)
                reading.embedded = sound_copies(reading, target.status_id)
            except Exception as exc:  # the safety net: any surprise in a payload
                if stops_the_run(exc):
                    raise  # this machine's disk, not the answer: the run stops (NoSpace)
                reading = Reading(Outcome.ERROR, reason=unexpected(self.name, exc))
        reading.exchanges = log
        if log:
            last = log[-1]
            reading.offline = reading.offline or last.offline
            reading.retry_after = reading.retry_after or last.retry_after
        return reading

    def read(self, exchange: Exchange, target: Target, limit: int = 64 * 1024 * 1024) -> Reading:
        """The reading of one exchange: transport failures first, then the payload."""
        if exchange.error or exchange.status is None:
            return Reading(Outcome.ERROR, reason=f"{self.name}: {exchange.error or 'no answer'}")
        if exchange.status == 429:
            return Reading(Outcome.ERROR, reason=f"{self.name}: rate limited (429)")
        if exchange.status >= 500:
            return Reading(Outcome.ERROR, reason=f"{self.name}: server error {exchange.status}")
        if exchange.location:
            return Reading(
                Outcome.ERROR, reason=f"{self.name}: redirected to {exchange.location[:200]}"
            )
        body, problem = readable(exchange, limit)
        if body is None:
            return Reading(Outcome.ERROR, reason=f"{self.name}: {problem}")
        return self.parse(exchange.status, body, target)


def _newer_version(record: PostRecord, target: Target) -> bool:
    """Whether `record` is a later version of the edited post asked for (a source gives the
    newest version for every id of an edited post)."""
    return record.status_id != target.status_id and target.status_id in (record.edit_ids or [])


def later(status_id: str, than: str) -> bool:
    """Whether post `status_id` was posted after post `than` (ids grow with time)."""
    return status_id.isdigit() and than.isdigit() and int(status_id) > int(than)


def only_newer(source: str, reading: Reading) -> Reading:
    """The answer for an earlier version of an edited post, which gave the newest instead: not
    the version asked for (the next source is asked); the newest is kept as its own post."""
    newer = reading.record
    assert newer is not None
    return Reading(  # (an error, not "not found": the version asked for may well be there)
        Outcome.ERROR,
        reason=f"{source}: gives the newest version of this edited post, {newer.status_id}",
        embedded=[newer, *reading.embedded],
    )


MAX_EMBEDDED = 32  # other posts one answer may hold: a quote, its quote, a thread's parents…
# (a chain of 900 quotes is a hostile answer's, each one a post and a job)


def sound_copies(reading: Reading, status_id: str) -> list[PostRecord]:
    """The embedded records worth keeping: one per other post, each sound, at most
    MAX_EMBEDDED: those the record names first (its quote, its parent, the post it reposts),
    then the nearest (a thread's parents come oldest first); in the answer's order."""
    kept: dict[str, PostRecord] = {}
    record = reading.record
    copies = reading.embedded
    if len(copies) > MAX_EMBEDDED:
        named = (
            {record.quoted_status_id, record.reply_to_status_id, record.repost_of_status_id}
            if record is not None
            else set()
        )
        first = [i for i, c in enumerate(copies) if c.status_id in named]
        rest = [i for i in reversed(range(len(copies))) if copies[i].status_id not in named]
        chosen = set((first + rest)[:MAX_EMBEDDED])
        if record is not None:
            record.notes.append(
                f"the answer holds {len(copies):,} other posts: the {MAX_EMBEDDED} it names or "
                "nearest kept"
            )
        copies = [c for i, c in enumerate(copies) if i in chosen]
    for copy in copies:
        try:
            copy.check(str(copy.status_id))
            if not copy.status_id.isdigit() or copy.status_id == status_id:
                continue
        except ValueError as exc:
            if reading.record is not None:
                reading.record.notes.append(f"an embedded post was dropped: {exc}")
            continue
        kept.setdefault(copy.status_id, copy)
    return list(kept.values())


def load_json(body: bytes) -> tuple[object | None, str | None]:
    """The JSON in `body`, or (None, why not). Nesting too deep to read is a reason too."""
    if not body.strip():
        return None, "empty body"
    # Parsed, each value costs 50-100 bytes: count them first (commas and openings bound them),
    # so that an answer of millions of tiny values cannot take gigabytes.
    values = body.count(b",") + body.count(b"[") + body.count(b"{")
    if values > MAX_JSON_VALUES:
        return None, f"too many values to read ({values:,}; at most {MAX_JSON_VALUES:,})"
    try:
        data = json.loads(body)
    # ValueError covers bad JSON, bytes that are not UTF-8, and an integer of over 4,300 digits.
    except (ValueError, RecursionError) as exc:
        snippet = body[:40].decode("utf-8", "replace").replace("\n", " ")
        return None, f"not JSON ({exc.__class__.__name__}; starts {snippet!r})"
    # `"\ud800"` is valid JSON but no text: such a half of a pair is shown as U+FFFD, as a
    # reader would see it (the answer itself is kept as received).
    return (whole_text(data) if LONE_ESCAPE_RE.search(body) else data), None


STATUS_PATH_ID_RE = re.compile(r"/status(?:es)?/(\d{1,19})(?:[/?#]|$)")


def status_id_in(url: object) -> str | None:
    """The post id a status URL names (`https://twitter.com/i/status/<id>`, `…/statuses/<id>?…`)."""
    match = STATUS_PATH_ID_RE.search(url) if isinstance(url, str) else None
    return match[1] if match else None


MAX_JSON_VALUES = 1_000_000  # a post's answer holds hundreds; an index listing, thousands
LONE_ESCAPE_RE = re.compile(rb"\\u[dD][89a-fA-F]")  # a surrogate written as an escape


def whole_text(data: object) -> object:
    """`data` with every string that holds a lone surrogate mended (iteratively: any depth)."""
    root = [data]
    stack: list[tuple[list | dict, object]] = [(root, 0)]
    while stack:
        holder, key = stack.pop()
        value = holder[key]  # type: ignore[index]
        if isinstance(value, str):
            holder[key] = _mended(value)  # type: ignore[index]
        elif isinstance(value, dict):
            mended = {_mended(k): v for k, v in value.items()}
            holder[key] = mended  # type: ignore[index]
            stack.extend((mended, k) for k in mended)
        elif isinstance(value, list):
            stack.extend((value, i) for i in range(len(value)))
    return root[0]


def _mended(text: str) -> str:
    try:
        text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def load_object(source: str, body: bytes) -> tuple[dict | None, Reading | None]:
    """The JSON object in `body`, or the error reading that says why there is none."""
    data, problem = load_json(body)
    if problem or not isinstance(data, dict):
        return None, Reading(Outcome.ERROR, reason=f"{source}: {problem or 'not a JSON object'}")
    return data, None


HEDGES = ("may be due to", "this may be", "might be", "one of the following")
# "This Post is from an account that no longer exists": the account is gone (deactivated, which
# can be undone for 30 days, or removed), not the post deleted by its author
ACCOUNT_GONE_RE = re.compile(r"account (?:that )?(?:no longer exists|does(?: not|n't) exist)")


def state_from_text(text: str) -> PostState:
    """The post state a tombstone or error message describes; `unavailable` when it says no
    more than that the post cannot be seen, or only guesses at why."""
    lower = text.lower().replace("\u2019", "'")
    if any(hedge in lower for hedge in HEDGES) or ACCOUNT_GONE_RE.search(lower):
        return PostState.UNAVAILABLE
    for words, state in (
        (("suspended",), PostState.SUSPENDED),
        (("withheld",), PostState.WITHHELD),
        (
            ("age-restricted", "age restricted", "sensitive", "adult content"),
            PostState.AGE_RESTRICTED,
        ),
        (("log in", "login", "sign in", "signed in"), PostState.LOGIN_REQUIRED),
        (
            (
                "protected",
                "private",
                "only confirmed followers",
                "limits who can view",
                "not authorized",
            ),
            PostState.PROTECTED,
        ),
        (("deleted", "no longer exists", "doesn't exist", "does not exist"), PostState.DELETED),
    ):
        if any(word in lower for word in words):
            return state
    return PostState.UNAVAILABLE


REFUSALS = (401, 403, 404, 410)  # the post is not there for us: deleted, private, suspended…


def refusal(source: str, status: int | None, message: str) -> Reading:
    """A source's answer without the post: gone (with the state its message names) when the
    status says the post is not available, an error otherwise. A 404 whose message names no
    cause (FxTwitter's `NOT_FOUND`) says only that the source does not have the post: FxTwitter
    answers so for live posts too while it cannot reach X."""
    if status in REFUSALS:
        state = state_from_text(message)
        if status == 404 and state == PostState.UNAVAILABLE:
            return Reading(Outcome.NOT_FOUND, state=state, reason=f"{source}: {message}")
        return Reading(Outcome.GONE, state=state, reason=f"{source}: {message}")
    return Reading(Outcome.ERROR, reason=f"{source}: {message}")


def obj(value: object) -> dict:
    """`value` when it is a JSON object, else an empty one (a payload of surprising shape)."""
    return value if isinstance(value, dict) else {}


def objects(value: object) -> list[dict]:
    """The JSON objects in `value` when it is a list, else none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def poll_choices(options: object, label: str, votes: str) -> list[dict[str, object]]:
    """A poll's choices as `{label, votes}`, from objects that name the two `label` and `votes`."""
    return [{"label": o.get(label), "votes": o.get(votes)} for o in objects(options)]


def dig(data: object, *keys: str | int) -> object:
    """`data[k1][k2]…`, or None where a step is missing or of the wrong type."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(data, list) or not -len(data) <= key < len(data):
                return None
            data = data[key]
        elif isinstance(data, dict):
            data = data.get(key)
        else:
            return None
    return data

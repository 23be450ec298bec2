"""A setting's value as written (a flag, the environment, a config file) read and checked:
its kind's type and bounds, and for URLs a host and a port that parse; SettingError names
where the value came from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from .errors import InputError, SettingError

if TYPE_CHECKING:
    from .config import Setting


def parse_connect_to(entries: list[str] | str | None) -> dict[str, str]:
    """Parse `host=scheme://addr:port` entries (comma-separated or a list); `*` maps every host.

    Like curl's `--connect-to`: a request for a mapped host goes to the given origin instead, with
    path and query unchanged and the `Host` header still naming the original host.
    """
    if not entries:
        return {}
    if isinstance(entries, str):
        entries = [entries]
    routes: dict[str, str] = {}
    for entry in entries:
        for item in filter(None, (part.strip() for part in entry.split(","))):
            host, sep, target = item.partition("=")
            parts = split_url(target.strip())
            if (
                parts is None
                or not sep
                or not host.strip()
                or parts.scheme not in ("http", "https")
                or not parts.netloc
            ):
                raise InputError(f"connect-to {item[:200]!r}: expected HOST=http://ADDRESS:PORT")
            routes[host.strip().lower()] = f"{parts.scheme}://{parts.netloc}"
    return routes


def split_url(url: str) -> SplitResult | None:
    """`url`'s parts; None when its host or port is malformed (`http://[::1`, a port past
    65535, or 0)."""
    try:
        parts = urlsplit(url)
        return parts if parts.port != 0 else None  # (`.port` raises for a malformed one)
    except ValueError:
        return None


def convert(setting: Setting, raw: Any, where: str, comma_lists: bool) -> Any:
    """`raw` (a string from the environment or a flag, or a TOML value) as the setting's kind."""
    kind = setting.kind
    if kind in ("routes", "hosts", "urls"):
        items = raw.split(",") if isinstance(raw, str) and comma_lists else raw
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise SettingError(f"{where}: expected a list of strings")
        if kind == "routes":
            try:
                return parse_connect_to(items)
            except InputError as exc:
                raise SettingError(f"{where}: {exc}") from None
        if kind == "urls":
            return [_http_url(u.strip(), where) for u in items if u.strip()]
        return [h.strip().lower() for h in items if h.strip()]
    if kind in ("path", "text", "url", "secret"):
        if not isinstance(raw, str) or not raw or "\x00" in raw:
            raise SettingError(f"{where}: expected a non-empty string")
        if kind != "path" and (len(raw) > 1000 or not raw.isprintable()):  # (U+2028 too)
            raise SettingError(f"{where}: expected one line of at most 1,000 characters")
        if kind == "url" and split_url(raw) is None:  # (not quoted: it may hold a password)
            raise SettingError(f"{where}: not a valid URL (its host or port)")
        if kind == "secret" and ":" not in raw.strip(":"):  # (never quoted)
            raise SettingError(f"{where}: expected ACCESS:SECRET")
        return Path(raw).expanduser() if kind == "path" else raw
    number = _number(raw, int if kind == "int" else float, where)
    if setting.least is not None and number < setting.least:
        raise SettingError(f"{where}={raw!r}: must be at least {setting.least:g}")
    return number


def _http_url(url: str, where: str) -> str:
    parts = split_url(url)
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(url) > 2000
    ):
        raise SettingError(f"{where}: {url[:200]!r} is not an http(s) URL")
    return url


def _number(raw: Any, kind: type, where: str) -> float:
    if isinstance(raw, bool) or (kind is int and isinstance(raw, float)):
        raise SettingError(f"{where}={raw!r}: not {'a whole' if kind is int else 'a'} number")
    try:
        value = kind(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError, OverflowError):
        raise SettingError(f"{where}={str(raw)[:100]!r}: not a number") from None
    if kind is float and not (value == value and abs(value) < 1e12):  # NaN, inf, absurd
        raise SettingError(f"{where}={raw!r}: not a usable number")
    if kind is int and abs(value) >= 2**62:
        raise SettingError(f"{where}={raw!r}: too large")
    return value

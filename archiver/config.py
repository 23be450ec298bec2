"""Settings: archive home, endpoint routing and limits (env `ARCHIVER_*`, overridden by flags)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .errors import InputError

DEFAULT_HOME = Path("archive")
# Settings a user may set as ARCHIVER_<NAME> (e.g. ARCHIVER_PER_HOST=4).
NUMBERS = {
    "timeout": float,
    "concurrency": int,
    "per_host": int,
    "retries": int,
    "backoff": float,
    "retry_after_cap": float,
    "max_response_bytes": int,
    "max_media_bytes": int,
    "save_poll": float,
    "save_timeout": float,
}


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
            parts = urlsplit(target.strip())
            if (
                not sep
                or not host.strip()
                or parts.scheme not in ("http", "https")
                or not parts.netloc
            ):
                raise InputError(f"connect-to {item!r}: expected HOST=http://ADDRESS:PORT")
            routes[host.strip().lower()] = f"{parts.scheme}://{parts.netloc}"
    return routes


@dataclass
class Settings:
    """Everything a run can be told; built from the environment, then from CLI flags."""

    home: Path = DEFAULT_HOME
    connect_to: dict[str, str] = field(default_factory=dict)
    timeout: float = 20.0  # seconds per request
    max_response_bytes: int = 64 * 1024 * 1024  # API and HTML bodies
    max_media_bytes: int = 8 * 1024**3  # one media file
    max_redirects: int = 5
    concurrency: int = 8  # requests at once, all hosts
    per_host: int = 2  # requests at once to one host
    retries: int = 3
    backoff: float = 0.5  # seconds before the first retry; doubled each time, plus jitter
    retry_after_cap: float = 60.0  # longest Retry-After honoured inline, in seconds
    source_organization: str = "archiver user"
    wayback_keys: str | None = None  # Save Page Now: "ACCESS:SECRET" (archive.org S3-like keys)
    save_poll: float = 5.0  # seconds between looks at a Save Page Now job
    save_timeout: float = 300.0  # longest wait for a Save Page Now job

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        settings = cls()
        if env.get("ARCHIVER_HOME"):
            settings.home = Path(env["ARCHIVER_HOME"])
        settings.connect_to = parse_connect_to(env.get("ARCHIVER_CONNECT_TO"))
        if env.get("ARCHIVER_WAYBACK_KEYS"):
            settings.wayback_keys = env["ARCHIVER_WAYBACK_KEYS"]
        if env.get("ARCHIVER_SOURCE_ORGANIZATION"):
            settings.source_organization = env["ARCHIVER_SOURCE_ORGANIZATION"]
        for name, kind in NUMBERS.items():
            value = env.get(f"ARCHIVER_{name.upper()}")
            if value:
                try:
                    setattr(settings, name, kind(value))
                except ValueError:
                    raise InputError(f"ARCHIVER_{name.upper()}={value!r}: not a number") from None
        return settings

    def route(self, host: str) -> str | None:
        """The origin that replaces `host` (scheme://addr:port), or None to go direct."""
        host = host.lower()
        return self.connect_to.get(host) or self.connect_to.get("*")

    def routed(self, url: str) -> tuple[str, dict[str, str]]:
        """The URL to ask and the headers to add: with a route, the route's origin and the
        original `Host`; path and query unchanged."""
        parts = urlsplit(url)
        origin = self.route(parts.hostname or "")
        if origin is None:
            return url, {}
        target = urlsplit(origin)
        return urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, "")), {
            "Host": parts.netloc
        }

"""Settings: flags > environment (`ARCHIVER_*`) > the archive's config.toml > the user's
config.toml > defaults. `SETTINGS` is the one table of them; the README's is checked against it.

The user's file is `$ARCHIVER_CONFIG`, else `$XDG_CONFIG_HOME/archiver/config.toml` (by default
`~/.config/archiver/config.toml`); the archive's is `ARCHIVE/config.toml`. Both are flat TOML:

    timeout = 30
    connect_to = ["*=http://127.0.0.1:8901"]
    source_organization = "Newsroom"

`home` cannot be set in an archive's own file (it names where that file is). Relative paths in a
file are relative to the file's folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import InputError, SettingError
from .values import convert
from .values import parse_connect_to as parse_connect_to  # (where callers look for it)

DEFAULT_HOME = Path("archive")
CONFIG_NAME = "config.toml"
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    """One setting: its name (attribute and config key; env `ARCHIVER_<NAME>`), its kind, the
    least value it may take (numbers), what it means, and its global flag if it has one."""

    name: str
    kind: str  # "path", "routes", "hosts", "urls", "text", "url", "secret", "int", "float"
    help: str
    least: float | None = None
    flag: str | None = None

    @property
    def env(self) -> str:
        return f"ARCHIVER_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "path", "the archive home", flag="--archive"),
    Setting(
        "connect_to",
        "routes",
        "send a host's requests to another origin, like curl's --connect-to "
        "(`HOST=http://ADDR:PORT`, `*` for every host; comma-separated in the environment)",
        flag="--connect-to",
    ),
    Setting("timeout", "float", "seconds to wait for each request", least=0.001),
    Setting("concurrency", "int", "requests at once, all hosts together", least=1),
    Setting("per_host", "int", "requests at once to one host", least=1),
    Setting("retries", "int", "retries of a request after a connection error, timeout or 5xx", 0),
    Setting("backoff", "float", "seconds before the first retry; doubled each time", least=0),
    Setting("retry_after_cap", "float", "longest Retry-After waited for inline (seconds)", 0),
    Setting("max_redirects", "int", "redirects followed per request", least=0),
    Setting("max_response_bytes", "int", "largest API or HTML answer kept", least=1),
    Setting("max_media_bytes", "int", "largest media file kept", least=1),
    Setting("source_organization", "text", "Source-Organization in a bundle's bag-info.txt"),
    Setting("contact_name", "text", "Contact-Name in a bundle's bag-info.txt"),
    Setting("contact_email", "text", "Contact-Email in a bundle's bag-info.txt"),
    Setting("nitter_hosts", "hosts", "more Nitter mirrors whose status URLs count as posts"),
    Setting(
        "wayback_keys",
        "secret",
        "Save Page Now access keys, `ACCESS:SECRET` (archive.org's S3-like keys): sent to the "
        "Wayback Machine, never stored or shown",
    ),
    Setting("save_poll", "float", "seconds between looks at a Save Page Now job", least=0.01),
    Setting("save_timeout", "float", "longest wait for a Save Page Now job (seconds)", 0.1),
    Setting(
        "tsa_urls",
        "urls",
        "RFC 3161 time-stamping authorities that stamp each run's custody record and each bundle "
        "(none: nothing is sent anywhere; stamp later with `archiver stamp`)",
    ),
    Setting("tsa_roots", "path", "PEM file of the roots trusted for TSA chains (none: certifi's)"),
    Setting("tsa_timeout", "float", "seconds to wait for each TSA", least=0.1),
    Setting("operator", "text", "who runs the captures, as written in each run's custody record"),
    Setting(
        "database",
        "url",
        "the database of a team archive, `postgresql://USER@HOST:PORT/NAME` (a password is best "
        "kept in PGPASSWORD or ~/.pgpass); default: archive.db in the home",
        flag="--database",
    ),
    Setting(
        "store",
        "url",
        "where a team archive keeps its blobs, `s3://BUCKET/PREFIX`; default: objects/ in the home",
        flag="--store",
    ),
    Setting("s3_endpoint", "url", "the S3-compatible service's URL (default: AWS's own)"),
    Setting("s3_region", "text", "the S3 region"),
    Setting("s3_keys", "secret", "S3 access keys, `ACCESS:SECRET`: never stored or shown"),
    Setting(
        "lease",
        "float",
        "seconds a team archive's worker holds a job without renewing its claim; a worker gone "
        "longer releases its jobs",
        least=1,
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass
class Settings:
    """Everything a run can be told (see SETTINGS); `load` builds it from every layer."""

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
    source_organization: str | None = None  # bag-info fields: written only when set
    contact_name: str | None = None
    contact_email: str | None = None
    nitter_hosts: list[str] = field(default_factory=list)
    wayback_keys: str | None = None
    save_poll: float = 5.0
    save_timeout: float = 300.0
    tsa_urls: list[str] = field(default_factory=list)
    tsa_roots: Path | None = None
    tsa_timeout: float = 10.0
    operator: str | None = None
    database: str | None = None
    store: str | None = None
    s3_endpoint: str | None = None
    s3_region: str = "us-east-1"
    s3_keys: str | None = None
    lease: float = 300.0
    origins: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Defaults, then the environment (no config files)."""
        settings = cls()
        settings.apply(environment(os.environ if env is None else env))
        return settings

    @classmethod
    def load(
        cls, flags: dict[str, Any] | None = None, env: dict[str, str] | None = None
    ) -> Settings:
        """flags > environment > the archive's config.toml > the user's config.toml > defaults.
        A bad value anywhere is a SettingError naming where it came from."""
        env = dict(os.environ if env is None else env)
        given = {k: v for k, v in (flags or {}).items() if v not in (None, [], {})}
        flagged = {
            k: convert(BY_NAME[k], str(v) if isinstance(v, Path) else v, BY_NAME[k].flag or k, True)
            for k, v in given.items()
        }
        from_env = environment(env)
        settings = cls()
        user = user_config_path(env)
        if user is not None:
            settings.apply(read_config(user), f"user config {user}")
        for layer, origin in ((from_env, "env"), (flagged, "flag")):  # where the archive is
            settings.apply({k: v for k, v in layer.items() if k == "home"}, origin)
        archive_file = settings.home / CONFIG_NAME
        if _is_file(archive_file):
            values = read_config(archive_file)
            if "home" in values:
                raise SettingError(f"{archive_file}: `home` cannot be set in an archive's config")
            settings.apply(values, f"archive config {archive_file}")
        settings.apply(from_env, "env")
        settings.apply(flagged, "flag")
        return settings

    def apply(self, values: dict[str, Any], origin: str = "env") -> None:
        """Set `values` (already checked), recording where each came from."""
        for name, value in values.items():
            if name == "connect_to":
                value = {**self.connect_to, **value}  # routes of every layer; higher ones win
            setattr(self, name, value)
            setting = BY_NAME[name]
            if origin == "env":
                self.origins[name] = f"env {setting.env}"
            elif origin == "flag":
                self.origins[name] = f"flag {setting.flag}"
            elif origin:
                self.origins[name] = origin
        if "nitter_hosts" in values:  # read by refs.urls from the environment, in every process
            os.environ["ARCHIVER_NITTER_HOSTS"] = ",".join(self.nitter_hosts)

    def describe(self) -> list[dict[str, object]]:
        """Every setting: name, value, where it came from, env variable, meaning."""
        rows = []
        for s in SETTINGS:
            value = getattr(self, s.name)
            if s.kind == "secret":
                value = "(set)" if value else None  # never shown
            elif s.kind == "url" and value:
                from .team import without_password

                value = without_password(value)
            rows.append(
                {
                    "name": s.name,
                    "value": str(value) if isinstance(value, Path) else value,
                    "shown": shown(value),
                    "from": self.origins.get(s.name, "default"),
                    "env": s.env,
                    "help": s.help,
                }
            )
        return rows

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


def defaults() -> dict[str, object]:
    """Each setting's default value."""
    base = Settings()
    return {f.name: getattr(base, f.name) for f in fields(base) if f.name in BY_NAME}


def shown(value: object) -> str:
    """A setting's value as `archiver config` and the README show it."""
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items()) or "(none)"
    if isinstance(value, list):
        return ",".join(value) or "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def documented() -> list[tuple[str, ...]]:
    """The README's settings table, row by row: config key, environment, flag, default, what."""
    values = defaults()
    return [
        (
            f"`{s.name}`",
            f"`{s.env}`",
            f"`{s.flag}`" if s.flag else "",
            shown(values[s.name]),
            s.help,
        )
        for s in SETTINGS
    ]


def user_config_path(env: dict[str, str]) -> Path | None:
    """The user's config file when there is one."""
    if env.get("ARCHIVER_CONFIG"):
        path = Path(env["ARCHIVER_CONFIG"]).expanduser()
        if not _is_file(path):
            raise SettingError(f"ARCHIVER_CONFIG={str(path)[:200]!r}: no such file")
        return path
    base = env.get("XDG_CONFIG_HOME") or os.path.join(env.get("HOME") or "~", ".config")
    path = Path(base).expanduser() / "archiver" / CONFIG_NAME
    return path if _is_file(path) else None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long, a loop of links: not a config file
        return False


def environment(env: dict[str, str]) -> dict[str, Any]:
    """The settings the environment sets, checked."""
    found: dict[str, Any] = {}
    for s in SETTINGS:
        raw = env.get(s.env)
        if raw:
            found[s.name] = convert(s, raw, s.env, comma_lists=True)
    return found


def read_config(path: Path) -> dict[str, Any]:
    """The settings a config file sets, checked; SettingError names the file and the key."""
    import tomllib

    from .paths import read_regular

    try:
        data = tomllib.loads(read_regular(path, MAX_CONFIG_BYTES).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingError(f"{path}: not a TOML config file ({exc})") from None
    except InputError as exc:
        raise SettingError(str(exc)) from None
    values: dict[str, Any] = {}
    for key, raw in data.items():
        setting = BY_NAME.get(key)
        if setting is None:
            known = ", ".join(BY_NAME)
            raise SettingError(f"{path}: unknown setting {key[:100]!r} (known: {known})")
        value = convert(setting, raw, f"{path}: {key}", comma_lists=False)
        if setting.kind == "path" and not value.expanduser().is_absolute():
            value = path.parent / value
        values[key] = value
    return values

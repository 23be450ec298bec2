"""`archiver serve`: a local, read-only web viewer of an archive.

Built on Starlette (ASGI) served by uvicorn, with the Jinja templates the bundle's page is made
of. Pages: `/` the posts (the filters and search of `archiver list`), `/post/ID`, `/documents`,
`/document/N`, `/jobs`; files: `/media/DIGEST` (shown inline, Range requests answered),
`/blob/DIGEST` (a download), `/static/*.css`. No page has a script or loads anything from
elsewhere; see `guard.py` for the headers, the Host check and the token.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from collections.abc import Callable
from pathlib import Path

import uvicorn
from jinja2 import FileSystemLoader
from sqlmodel import create_engine
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp

from ..archive import BUSY_TIMEOUT_S, Archive
from ..browse import reader
from ..export.citable import clean
from ..export.html import environment
from . import files, pages
from .guard import LOOPBACK_NAMES, Guard

TEMPLATES = Path(__file__).parent / "templates"
EXCERPT = 200  # characters of a post's text in the list


def excerpt(text: str | None) -> str:
    words = clean(text)
    return words[:EXCERPT] + ("…" if len(words) > EXCERPT else "")


def badge(state: str | None) -> str:
    """The CSS class of a state's badge: live, gone, or pending (unknown)."""
    return {"live": "", "unknown": "pending"}.get(state or "unknown", "gone")


def make_app(archive: Archive, token: str | None = None, hosts: list[str] | None = None) -> Guard:
    """The viewer of `archive` as an ASGI app. `hosts`: the names the Host header may give
    (None: any); `token`: asked of every request when set."""
    app = Starlette(
        routes=[
            Route("/", pages.list_page),
            Route("/post/{status_id}", pages.post_page),
            Route("/documents", pages.documents_page),
            Route("/document/{id:int}", pages.document_view),
            Route("/jobs", pages.jobs_page),
            Route("/media/{digest}", files.media_response),
            Route("/blob/{digest}", files.blob_response),
            Route("/static/{name}", files.style_response),
        ],
        exception_handlers={404: pages.not_found_page},
    )
    env = environment(FileSystemLoader(TEMPLATES))
    env.filters.update(excerpt=excerpt, badge=badge)
    app.state.archive = archive
    app.state.readonly = archive if archive.shared else read_only(archive)
    app.state.reader = lambda: reader(archive)
    app.state.templates = env
    return Guard(app, hosts, token)


def read_only(archive: Archive) -> Archive:
    """The archive through a read-only connection to its SQLite file."""
    engine = create_engine(
        f"sqlite:///file:{archive.read_uri.removeprefix('file://')}&uri=true",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
    )
    return Archive(
        archive.home, archive.store, engine, database=archive.database, immutable=archive.immutable
    )


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host` and `port` (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Named TCP, so that asyncio turns Nagle off on each connection: a response is written in
    # two parts, and on a kept-alive connection the second would wait for a delayed ACK (40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    return sock


def server(app: ASGIApp) -> uvicorn.Server:
    """A uvicorn server for `app`; `.run(sockets=[bind(...)])` serves until `.should_exit`."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


def serve(
    archive: Archive,
    host: str = "127.0.0.1",
    port: int = 8000,
    say: Callable[[str], None] = print,
    warn: Callable[[str], None] = print,
) -> None:
    """Serve the viewer until interrupted. Bound to loopback it answers only requests that
    name loopback; bound elsewhere it warns and asks for a token it prints in the URL."""
    sock = bind(host, port)
    address = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{address}:{sock.getsockname()[1]}/"
    if is_loopback(host):
        app = make_app(archive, None, list(LOOPBACK_NAMES))
        say(f"archiver serve: {archive.home} at {url} (read-only; Ctrl-C stops)")
    else:
        token = secrets.token_urlsafe(24)
        app = make_app(archive, token, None)
        warn(
            f"archiver serve: warning: listening on {host}, not loopback: anyone who can reach "
            "this address and has the token can read the archive"
        )
        say(f"archiver serve: {archive.home} at {url}?token={token}")
    server(app).run(sockets=[sock])

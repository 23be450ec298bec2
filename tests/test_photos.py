"""Photos fetched and checked in the image workers (photos.py), and the kept-alive connections
they read over (download.py), against real loopback servers."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import hashlib
import io
import os
import signal
import socket
import threading
import time
from pathlib import Path

from PIL import Image
from replay import Reply
from test_net import settings

from archiver import download, photos
from archiver.exchange import Exchange
from archiver.fence import MEDIA
from archiver.net import Http, Way, recording
from archiver.store import Store

URL = "https://pbs.twimg.com/media/P.jpg"


def jpeg(width: int = 1200, height: int = 900) -> bytes:
    out = io.BytesIO()
    Image.radial_gradient("L").resize((width, height)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def get_photo(server, home: Path, during=None):  # type: ignore[no-untyped-def]
    """(the last exchange, every exchange) of GET URL as a photo; `during()` runs meanwhile."""

    async def run():  # type: ignore[no-untyped-def]
        async with Http(settings(server, timeout=5.0), Store(home)) as http:
            with recording() as log:
                task = asyncio.ensure_future(http.get(URL, MEDIA, keep=False, way=Way.IMAGE))
                if during is not None:
                    await asyncio.to_thread(during)
                return await task, log

    return asyncio.run(run())


def check(blob):  # type: ignore[no-untyped-def]
    return asyncio.run(photos.check(blob))


def test_a_photo_is_fetched_and_checked_in_a_worker(replay, tmp_path: Path) -> None:
    body = jpeg()
    replay.add("pbs.twimg.com", "/media/P.jpg", Reply(200, body, {"Content-Type": "image/jpeg"}))
    Store(tmp_path).create()
    last, _ = get_photo(replay, tmp_path)
    assert last.ok and last.digest == "sha256:" + hashlib.sha256(body).hexdigest()
    assert last.blob.tmp_path.read_bytes() == body  # staged by the worker, in this store
    assert last.blob.store.root == tmp_path
    facts = check(last.blob)
    assert (facts.format, facts.width, facts.height, facts.problem) == ("JPEG", 1200, 900, None)
    with Image.open(facts.thumbnail.tmp_path) as thumb:
        assert thumb.size == (300, 225)  # decoded at 1/4 scale: longer side >= 256
    assert (
        facts.thumbnail.digest
        == "sha256:" + hashlib.sha256(facts.thumbnail.tmp_path.read_bytes()).hexdigest()
    )


def test_a_body_sent_encoded_is_kept_as_sent_and_not_checked(replay, tmp_path: Path) -> None:
    body = gzip.compress(jpeg())
    headers = {"Content-Type": "image/jpeg", "Content-Encoding": "gzip"}
    replay.add("pbs.twimg.com", "/media/P.jpg", Reply(200, body, headers))
    Store(tmp_path).create()
    last, _ = get_photo(replay, tmp_path)
    assert last.blob.tmp_path.read_bytes() == body
    problem = check(last.blob).problem  # the bytes as sent: gzip, not JPEG
    assert "does not decode" in problem and "/tmp/" not in problem and "put-" not in problem


def test_the_check_made_while_the_slot_went_on_is_what_the_run_gets(replay, tmp_path: Path) -> None:
    """The worker answers the fetch at once (the host's slot goes to the next request) and
    checks the picture meanwhile: `check` gets that check; one not wanted leaves nothing."""
    replay.add("pbs.twimg.com", "*", Reply(200, jpeg(), {"Content-Type": "image/jpeg"}))
    store = Store(tmp_path)
    store.create()

    async def run():  # type: ignore[no-untyped-def]
        async with Http(settings(replay, timeout=5.0), store) as http:
            kept = await http.get(URL, MEDIA, keep=False, way=Way.IMAGE)
            dropped = await http.get(URL + "?2", MEDIA, keep=False, way=Way.IMAGE)
            assert kept.blob.tmp_path in photos._CHECKED  # its check, under way or done
            await asyncio.wait_for(asyncio.shield(photos._CHECKED[dropped.blob.tmp_path]), 5)
            photos.forget(dropped.blob)  # (its check done: its thumbnail goes now)
            return kept, dropped, await photos.check(kept.blob)

    kept, dropped, facts = asyncio.run(run())
    assert (facts.width, facts.height, facts.problem) == (1200, 900, None)
    assert facts.thumbnail.store is store and facts.thumbnail.tmp_path.exists()
    deadline = time.monotonic() + 5
    while any(w.busy for w in photos._WORKERS) and time.monotonic() < deadline:
        threading.Event().wait(0.02)  # the dropped check's answer comes, and is let go
    threading.Event().wait(0.1)
    left = set(store.tmp.iterdir())
    assert left == {kept.blob.tmp_path, dropped.blob.tmp_path, facts.thumbnail.tmp_path}


def test_a_worker_that_dies_is_replaced_and_its_photo_asked_again(replay, tmp_path: Path) -> None:
    body, asked = jpeg(), []

    def slow_once(_handler) -> Reply:  # type: ignore[no-untyped-def]
        asked.append(1)
        delay = 1.0 if len(asked) == 1 else 0.0
        return Reply(200, body, {"Content-Type": "image/jpeg"}, delay=delay)

    def kill_the_busy_worker() -> None:
        while not asked:
            threading.Event().wait(0.01)
        for worker in photos._WORKERS:
            if worker.busy:
                os.kill(worker.process.pid, signal.SIGKILL)

    replay.add("pbs.twimg.com", "/media/P.jpg", slow_once)
    Store(tmp_path).create()
    last, log = get_photo(replay, tmp_path, during=kill_the_busy_worker)
    assert last.ok and check(last.blob).width == 1200 and len(asked) == 2
    assert log[0].transient and "image worker" in log[0].error and "ended" in log[0].error


def test_a_kept_connection_the_server_dropped_is_asked_again_on_a_new_one(
    tmp_path: Path,
) -> None:
    """A server that answers one request per connection, then closes it without saying so."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            accepted.append(conn)
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    store, kept = Store(tmp_path), {}
    store.create()
    routed = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    for _ in range(2):
        got = Exchange(url=routed)
        download.fetch(routed, {"Host": "pbs.twimg.com"}, 5.0, 100, store, got, kept)
        assert got.ok and got.blob.tmp_path.read_bytes() == b"hello", got.error
        threading.Event().wait(0.05)  # the server has closed it by now
    thread.join(5)
    assert len(accepted) == 2  # the second request went out again on a new connection
    listener.close()


def test_bytes_past_an_answers_length_are_never_read_as_the_next_answer(tmp_path: Path) -> None:
    """A server that sends more than its answer's `Content-Length` (here a whole second answer,
    a moment later) on a kept-alive connection: the next request goes out on a new connection
    and its own answer is the one kept, not the leftovers of the first."""
    listener = socket.create_server(("127.0.0.1", 0))
    first, second = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", b"HTTP/1.1 200 OK\r\n"
    held = []

    def serve() -> None:
        conn, _ = listener.accept()
        held.append(conn)  # kept open: its leftovers wait there
        conn.recv(65536)
        conn.sendall(first + b"hello")
        threading.Event().wait(0.05)
        conn.sendall(first + b"forgd")  # past the 5 bytes declared
        with contextlib.suppress(OSError):
            again, _ = listener.accept()
            again.recv(65536)
            again.sendall(second + b"Content-Length: 5\r\n\r\nright")
            again.close()

    listener.settimeout(5)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    store, kept = Store(tmp_path), {}
    store.create()
    routed = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
    bodies = []
    for _ in range(2):
        got = Exchange(url=routed)
        download.fetch(routed, {"Host": "pbs.twimg.com"}, 2.0, 100, store, got, kept)
        bodies.append(got.blob.tmp_path.read_bytes() if got.blob else got.error)
        threading.Event().wait(0.1)  # the leftovers have come by now
    thread.join(5)
    assert bodies == [b"hello", b"right"]
    listener.close()


def test_a_run_cut_short_leaves_no_staged_photo_and_the_next_run_works(
    replay, tmp_path: Path
) -> None:
    """A photo still being fetched when its run ends (a timeout, ^C): what the worker staged for
    it is removed, and the workers still answer the next run."""
    body = jpeg()
    replay.add(
        "pbs.twimg.com", "/media/P.jpg", Reply(200, body, {"Content-Type": "image/jpeg"}, delay=0.5)
    )
    Store(tmp_path).create()

    async def cut_short() -> None:
        async with Http(settings(replay, timeout=5.0), Store(tmp_path)) as http:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(http.get(URL, MEDIA, keep=False, way=Way.IMAGE), 0.1)

    asyncio.run(cut_short())  # its loop is closed when the answer comes
    threading.Event().wait(1.0)
    assert list((tmp_path / "tmp").iterdir()) == []
    replay.routes[("pbs.twimg.com", "/media/P.jpg")] = Reply(200, body, {})
    last, _ = get_photo(replay, tmp_path)
    assert last.ok and check(last.blob).width == 1200


def test_a_bomb_is_refused_whatever_the_warnings_filter(tmp_path: Path) -> None:
    import warnings

    from archiver import images

    Store(tmp_path).create()
    big = io.BytesIO()
    Image.new("L", (12000, 10000)).save(big, "PNG")  # 120 Mpx: over the limit, under twice it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        facts = images.check_image(big.getvalue(), Store(tmp_path))
    assert facts.problem.startswith("decompression bomb refused") and facts.thumbnail is None


def test_a_url_with_spaces_or_letters_beyond_ascii_is_sent_encoded(replay, tmp_path: Path) -> None:
    body = jpeg(64, 48)
    replay.add("pbs.twimg.com", "/media/%C3%A9%20x.jpg", Reply(200, body, {}))
    Store(tmp_path).create()

    async def run():  # type: ignore[no-untyped-def]
        async with Http(settings(replay), Store(tmp_path)) as http:
            url = "https://pbs.twimg.com/media/é x.jpg"
            return await http.get(url, MEDIA, keep=False, way=Way.IMAGE)

    assert asyncio.run(run()).ok


def test_a_thread_keeps_few_connections(tmp_path: Path) -> None:
    """Kept-alive connections to many origins: the least recently used are closed."""
    from replay import ReplayServer

    servers = [ReplayServer() for _ in range(download.KEEP + 2)]
    store, kept = Store(tmp_path), {}
    store.create()
    try:
        for server in servers:
            server.add("pbs.twimg.com", "/x", Reply(200, b"ok", {}))
            got = Exchange(url="x")
            download.fetch(
                f"{server.origin}/x", {"Host": "pbs.twimg.com"}, 5, 100, store, got, kept
            )
            assert got.ok
        assert len(kept) == download.KEEP
        assert [port for _, _, port in kept] == [
            int(s.origin.rsplit(":", 1)[1]) for s in servers[-download.KEEP :]
        ]
    finally:
        for server in servers:
            server.close()

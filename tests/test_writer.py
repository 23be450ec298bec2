"""The one writer (capture/writer.py) with a real archive and its real process: decisions sent
together land in one transaction; one that fails is lost alone, its caller told why."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

import pytest
from sqlmodel import Session, select

from archiver.archive import Archive
from archiver.capture.writer import WriteFailed, Writer
from archiver.models import Post


def add_post(status_id: str, sess: Session) -> str:
    sess.add(Post(status_id=status_id, text=f"post {status_id}"))
    sess.flush()
    return status_id


def add_then_fail(sess: Session) -> None:
    sess.add(Post(status_id="999", text="never kept"))
    sess.flush()
    raise ValueError("this decision cannot be made")


def test_a_failing_decision_is_lost_alone(tmp_path: Path) -> None:
    archive = Archive.open(tmp_path / "a", create=True)

    async def go() -> list[object]:
        async with Writer(archive) as writer:
            return await asyncio.gather(
                *(writer.do("post", partial(add_post, str(20 + i))) for i in range(5)),
                writer.do("bad", add_then_fail),
                *(writer.do("post", partial(add_post, str(40 + i))) for i in range(5)),
                return_exceptions=True,
            )

    results = asyncio.run(go())
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 1 and isinstance(failed[0], WriteFailed)
    assert "this decision cannot be made" in str(failed[0])
    with archive.session() as sess:
        kept = sorted(p.status_id for p in sess.exec(select(Post)))
    assert kept == sorted([str(20 + i) for i in range(5)] + [str(40 + i) for i in range(5)])


@pytest.mark.parametrize("count", [1, 300])
def test_decisions_all_land(tmp_path: Path, count: int) -> None:
    archive = Archive.open(tmp_path / "a", create=True)

    async def go() -> list[str]:
        async with Writer(archive) as writer:
            return await asyncio.gather(
                *(writer.do("post", partial(add_post, str(100 + i))) for i in range(count))
            )

    assert asyncio.run(go()) == [str(100 + i) for i in range(count)]
    with archive.session() as sess:
        assert len(sess.exec(select(Post)).all()) == count

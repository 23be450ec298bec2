"""Step 2 of a capture (capture/cite.py) on a real archive: what the inputs cite becomes
reference rows, post rows and queued jobs, a few statements for a whole list, with the same
rows as one by one: a reference seen again is reused, each post's job names the first reference
to it, and a finished job is asked again only with --recapture."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from sqlmodel import select

from archiver.archive import Archive
from archiver.capture.cite import take_in
from archiver.capture.inputs import Item, parse_inline
from archiver.models import Job, Post, Reference, ReferenceLink
from archiver.vocab import JobKind, JobState

A, B = "1864994181010350326", "1864994181014544630"


def rows(archive: Archive) -> tuple[list, list, list, list]:
    with archive.session() as sess:
        refs = sess.exec(select(Reference).order_by(Reference.id)).all()
        jobs = sess.exec(select(Job).order_by(Job.id)).all()
        posts = sess.exec(select(Post).order_by(Post.id)).all()
        links = sess.exec(select(ReferenceLink)).all()
        return refs, jobs, posts, links


def test_a_list_and_a_document_become_rows_once(tmp_path: Path) -> None:
    archive = Archive.open(tmp_path / "a", create=True)
    doc = tmp_path / "doc.md"
    doc.write_text(f"See https://x.com/jack/status/{A} and https://t.co/AbCdEf1234 .\n")
    named = [Item(ref=parse_inline(v)) for v in (A, B, A, "https://t.co/XyZ0123456")]
    intake = take_in(archive, [*named, Item(path=doc)], None, recapture=False)
    refs, jobs, posts, links = rows(archive)

    assert [r.match for r in refs] == [A, B, "https://t.co/XyZ0123456"] + [
        f"https://x.com/jack/status/{A}",
        "https://t.co/AbCdEf1234",
    ]
    by_id = {p.id: p.status_id for p in posts}
    assert sorted(by_id.values()) == sorted([A, B])
    assert {r.match: by_id.get(r.post_id) for r in refs if r.status_id} == {
        A: A,
        B: B,
        f"https://x.com/jack/status/{A}": A,
    }
    post_jobs = {j.target: j for j in jobs if j.kind == JobKind.POST}
    assert sorted(post_jobs) == sorted([A, B])
    assert post_jobs[A].reference_id == refs[0].id  # the first reference to the post
    resolve = sorted(j.target for j in jobs if j.kind == JobKind.RESOLVE)
    assert resolve == ["https://t.co/AbCdEf1234", "https://t.co/XyZ0123456"]
    assert sorted(link.url for link in links) == resolve
    assert intake.job_ids == {j.id for j in jobs}
    assert len(intake.cited) == 6  # the list's four (A twice) and the document's two

    # Taken in again: the same rows, nothing added; a done job stays done...
    with archive.session() as sess:
        sess.execute(update(Job).where(Job.target == B).values(state=JobState.DONE))
    take_in(archive, [*named, Item(path=doc)], None, recapture=False)
    again = rows(archive)
    assert [r.id for r in again[0]] == [r.id for r in refs]
    assert [(j.id, j.state) for j in again[1]] == [
        (j.id, JobState.DONE if j.target == B else j.state) for j in jobs
    ]
    assert len(again[2]) == len(posts) and len(again[3]) == len(links)
    # ...unless asked again.
    take_in(archive, named[1:2], None, recapture=True)
    assert {j.target: j.state for j in rows(archive)[1]}[B] == JobState.PENDING


def test_a_link_resolved_before_names_its_posts_job_first(tmp_path: Path) -> None:
    """A short link already resolved to post C, named before C itself: C's job names the link's
    reference, which points at C at once."""
    archive = Archive.open(tmp_path / "a", create=True)
    link, c = "https://t.co/XyZ0123456", "1864994181018738934"
    take_in(archive, [Item(ref=parse_inline(link))], None, recapture=False)
    with archive.session() as sess:
        sess.execute(update(Job).where(Job.target == link).values(state=JobState.DONE, result=c))
    take_in(archive, [Item(ref=parse_inline(v)) for v in (link, c)], None, recapture=False)
    refs, jobs, posts, _ = rows(archive)
    by_match = {r.match: r for r in refs}
    post_job = next(j for j in jobs if j.kind == JobKind.POST and j.target == c)
    assert post_job.reference_id == by_match[link].id
    assert {p.id: p.status_id for p in posts}[by_match[link].post_id] == c
    assert by_match[link].status_id == c and by_match[c].post_id == by_match[link].post_id


def test_a_long_list_on_stdin_is_taken_in_whole_a_group_at_a_time(tmp_path: Path) -> None:
    """2,500 posts on stdin, more than two groups of references: every reference a row in one
    document, each post a job naming its reference."""
    import io

    from archiver.capture.cite import NAMED_GROUP

    ids = [str(1864994181010350326 + 4096 * i) for i in range(2500)]
    assert len(ids) > 2 * NAMED_GROUP
    lines = "".join(f"https://x.com/user{i}/status/{s}\n" for i, s in enumerate(ids)).encode()
    archive = Archive.open(tmp_path / "a", create=True)
    intake = take_in(archive, [Item(stdin=True)], io.BytesIO(lines), recapture=False)
    refs, jobs, posts, _ = rows(archive)
    assert [r.status_id for r in refs] == ids and len({r.document_id for r in refs}) == 1
    assert sorted(p.status_id for p in posts) == sorted(ids)
    by_post = {r.status_id: r.id for r in refs}
    assert {j.target: j.reference_id for j in jobs if j.kind == JobKind.POST} == by_post
    assert len(intake.cited) == 2500 and intake.job_ids == {j.id for j in jobs}

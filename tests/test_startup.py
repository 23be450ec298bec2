"""Start-up stays cheap: `--help`, `--version` and `extract` import none of the heavy packages
(SQLAlchemy, SQLModel, pydantic, Pillow, httpx; Rich only to draw), `show` and `stats` none but
Rich, and `import archiver` loads the
library surface only when it is used. Real processes: what a process imports is the point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "PIL", "httpx", "rich", "yt_dlp", "pypdf")
PROBE = """
import json, runpy, sys
sys.argv = ["archiver", *json.loads(sys.argv[1])]
code = 0
try:
    runpy.run_module("archiver", run_name="__main__")
except SystemExit as exc:
    code = exc.code
loaded = [m for m, module in sys.modules.items() if module is not None]  # None: marked absent
print(json.dumps([code, sorted(m for m in loaded if m.split(".")[0] in {heavy})]),
      file=sys.stderr)
"""


def imports_of(*args: str, cwd: Path | None = None) -> tuple[int, set[str]]:
    """(exit code, heavy top-level packages imported) of `archiver ARGS` in a new process."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY)), json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
    )
    code, modules = json.loads(result.stderr.strip().splitlines()[-1])
    return code, {m.split(".")[0] for m in modules}


@pytest.mark.parametrize(
    "args", [("--help",), ("--version",), ("stats", "--help"), ("export", "--help")]
)
def test_help_and_version_import_nothing_heavy(args: tuple[str, ...]) -> None:
    code, heavy = imports_of(*args)
    assert code in (0, None) and heavy == set(), heavy


def test_extract_imports_nothing_heavy_for_text(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("see https://x.com/jack/status/20\n")
    code, heavy = imports_of("extract", str(note), "--jsonl")
    assert code in (0, None) and heavy == set(), heavy


def test_show_and_stats_read_without_the_orm(tmp_path: Path) -> None:
    """The read-only commands read the database with plain SQL: no SQLAlchemy, SQLModel,
    pydantic, Pillow or httpx (Rich draws the tables), and they read the right rows."""
    from archiver.archive import Archive
    from archiver.models import Blob, Post

    archive = Archive.open(tmp_path / "a", create=True)
    digest, size = archive.store.put(b'{"id": "20"}')
    with archive.session() as sess:
        sess.add(Blob(digest=digest, size=size))
        sess.add(Post(status_id="20", handle="jack", text="just setting up", record_digest=digest))
    archive.engine.dispose()
    for args in (("show", "20", "--json"), ("stats", "--json")):
        code, heavy = imports_of("--archive", str(tmp_path / "a"), *args)
        assert code in (0, None) and heavy <= {"rich"}, (args, heavy)
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver",
            "--archive",
            str(tmp_path / "a"),
            "show",
            "20",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    view = json.loads(shown.stdout)
    assert (view["handle"], view["text"], view["record_digest"]) == (
        "jack",
        "just setting up",
        digest,
    )


def test_import_archiver_is_cheap_and_its_surface_loads_on_use() -> None:
    code = (
        "import sys, archiver\n"
        "before = 'sqlalchemy' in sys.modules\n"
        "from archiver import Archive, Settings, check_bundle, export, verify, archive\n"
        "import archiver.verify, archiver.archive\n"
        "print(before, callable(archiver.verify), callable(archiver.archive), Archive.__name__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True", "Archive"], result.stderr


def test_shell_completion_script_and_completions() -> None:
    """The completion script names the program; asked as a shell asks, commands complete."""
    script = subprocess.run(  # from a shell, as a user asks: the shell is found among parents
        ["bash", "-c", f"'{sys.executable}' -m archiver --show-completion bash; exit $?"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert script.returncode == 0 and "_ARCHIVER_COMPLETE" in script.stdout.upper()
    asked = subprocess.run(
        [sys.executable, "-m", "archiver"],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "_ARCHIVER_COMPLETE": "complete_bash",
            "COMP_WORDS": "archiver ver",
            "COMP_CWORD": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert "verify" in asked.stdout.split(), asked.stdout + asked.stderr

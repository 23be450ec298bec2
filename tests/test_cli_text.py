"""Hostile post text is shown, never obeyed: `show` prints no raw escape, control or bidi
character and reads no Rich markup from data; `--json` keeps the text exact but escaped; the
plain-text citations carry none of those characters."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from replay import json_reply
from world import tweet

from archiver.text import for_plain_text, for_terminal, json_safe, one_line

POST = "1864994181010350399"
TEXT = (
    "clear \x1b[2J\x1b[H title \x1b]0;pwned\x07 link \x1b]8;;https://evil.example\x1b\\here"
    "\x1b]8;;\x1b\\ nul \x00 bell \x07 back\rover c1 \x9b31m bidi \u202eevil\u202c"
    " [link=https://evil.example]click[/link] [bold]loud[/] :smile:"
)
NAME = "[/] \x1b[31mred [link=https://evil.example]me[/link]"
RAW = ["\x1b", "\x00", "\x07", "\r", "\x9b", "\u202e", "\u202c"]


@pytest.fixture
def hostile(tmp_path: Path, replay) -> Path:
    """An archive holding one post whose text and author name are hostile."""
    payload = tweet(POST, text=TEXT, user={"id_str": "1", "name": NAME, "screen_name": "evil"})
    replay.add("cdn.syndication.twimg.com", "/tweet-result", json_reply(payload))
    for host in ("api.fxtwitter.com", "api.vxtwitter.com", "publish.twitter.com"):
        replay.add(host, "*", json_reply({}, 404))
    home = tmp_path / "archive"
    result = run_cli("--archive", str(home), "--connect-to", replay.connect_to, "archive", POST)
    assert result.returncode == 0, result.stdout + result.stderr
    return home


def test_show_prints_hostile_text_visibly_and_obeys_none_of_it(hostile: Path) -> None:
    result = run_cli("show", POST, "--archive", str(hostile))
    assert result.returncode == 0, result.stderr
    for char in RAW:
        assert char not in result.stdout, repr(char)
    assert "␛[2J" in result.stdout and "␀" in result.stdout and "⟨RLO⟩" in result.stdout
    assert "<U+009B>" in result.stdout
    assert "[link=https://evil.example]click[/link]" in result.stdout  # shown, not a link
    assert "[/]" in result.stdout and ":smile:" in result.stdout


def test_show_json_keeps_the_exact_text_escaped(hostile: Path) -> None:
    result = run_cli("show", POST, "--json", "--archive", str(hostile))
    assert result.returncode == 0, result.stderr
    for char in RAW:
        assert char not in result.stdout, repr(char)
    view = json.loads(result.stdout)
    assert view["text"] == TEXT and view["author_name"] == NAME


def test_plain_text_citations_carry_visible_marks(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle.zip"
    result = run_cli("export", POST, "-o", str(out), "--archive", str(hostile))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as bundle:
        for name in ("apa.txt", "mla.txt", "chicago.txt", "citations.bib", "cite-tweet.wiki"):
            text = bundle.read(f"bundle/data/citations/{name}").decode()  # in bundle/
            for char in RAW:
                assert char not in text, (name, repr(char))
            assert "pwned" in text and "evil" in text, name  # the words stay
    assert run_cli("verify", str(out)).returncode == 0


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1bb", "a␛b"),
        ("\x00\x07\x08\x7f", "␀␇␈␡"),
        ("tab\tand\nline", "tab\tand\nline"),
        ("\x85\x9b", "<U+0085><U+009B>"),
        ("\u2028\u2029", "<U+2028><U+2029>"),
        ("x\u202ey\u2066z", "x⟨RLO⟩y⟨LRI⟩z"),
        ("lone \ud800", "lone \ufffd"),
        ("emoji 👩‍👩‍👧 and עברית", "emoji 👩‍👩‍👧 and עברית"),
    ],
)
def test_visible_marks(raw: str, shown: str) -> None:
    assert for_terminal(raw) == shown == for_plain_text(raw)
    shown.encode("utf-8")  # always printable


def test_one_line_and_json_safe() -> None:
    assert one_line("a\n\n b\x1b  c") == "a b␛ c"
    assert one_line("abcdef", 4) == "abc…"
    dumped = json_safe(json.dumps({"t": "\x9b\u202e\ud800\x1b"}, ensure_ascii=False))
    assert json.loads(dumped) == {"t": "\x9b\u202e\ud800\x1b"}
    assert not any(c in dumped for c in "\x9b\u202e\ud800\x1b")


def test_a_table_sent_to_a_pipe_is_plain_aligned_columns() -> None:
    from archiver.cli import render

    grid = render.table(("post", "text"), [("20", "地震 \x1b[2J"), ("1865", "ok")], "posts")
    lines = grid.plain().splitlines()
    assert lines[0] == "posts"
    assert lines[1] == "post  text"
    assert lines[2].startswith("20    地震 ") and "\x1b" not in lines[2]  # made safe, not obeyed
    assert lines[3] == "1865  ok"
    # the column after a wide script still lines up: widths are counted in terminal cells
    from rich.cells import cell_len

    wide = render.table(("a", "b"), [("地震", "x"), ("ab", "y")]).plain().splitlines()
    columns = [
        cell_len(line[: line.index(mark)]) for line, mark in zip(wide[1:], "xy", strict=True)
    ]
    assert columns == [6, 6]  # 地震 takes four cells, as a terminal draws it


def test_a_file_name_with_a_line_break_keeps_its_row_whole(tmp_path: Path) -> None:
    """A file whose name holds a line break and an escape: `extract`'s table shows it on its
    one row, the escape visible, never obeyed."""
    name = tmp_path / "\x1b[31mred\nname.txt"
    name.write_text("https://x.com/a/status/1864994181010350326\n")
    result = run_cli("extract", str(name))
    assert result.returncode == 0
    (row,) = [line for line in result.stdout.splitlines() if "1864994181010350326" in line]
    assert row.startswith("␛[31mred name.txt:1:1") and "\x1b" not in result.stdout

"""Settings: flags > environment > the archive's config.toml > the user's config.toml >
defaults; `archiver config` says where each came from; bad values are one line naming where
they came from; the README's settings and command tables agree with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from conftest import ROOT, run_cli

from archiver.cli import app
from archiver.config import SETTINGS, Settings, documented


def effective(home: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    result = run_cli("config", "--json", "--archive", str(home), *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_each_layer_wins_over_the_ones_below(tmp_path: Path) -> None:
    user = tmp_path / "user.toml"
    user.write_text('timeout = 7\nretries = 1\nper_host = 3\nsource_organization = "User"\n')
    home = tmp_path / "archive"
    home.mkdir()
    (home / "config.toml").write_text("retries = 2\nper_host = 4\nconcurrency = 16\n")
    env = {"ARCHIVER_CONFIG": str(user), "ARCHIVER_PER_HOST": "5"}
    seen = effective(home, "--connect-to", "t.co=http://127.0.0.1:9", env=env)
    assert seen["timeout"] == {"value": 7.0, "from": f"user config {user}"}
    assert seen["retries"] == {"value": 2, "from": f"archive config {home / 'config.toml'}"}
    assert seen["concurrency"]["value"] == 16
    assert seen["per_host"] == {"value": 5, "from": "env ARCHIVER_PER_HOST"}
    assert seen["connect_to"] == {
        "value": {"t.co": "http://127.0.0.1:9"},
        "from": "flag --connect-to",
    }
    assert seen["backoff"] == {"value": 0.5, "from": "default"}
    assert seen["source_organization"]["value"] == "User"


def test_the_user_config_can_name_the_archive(tmp_path: Path) -> None:
    config_home = tmp_path / "xdg"
    (config_home / "archiver").mkdir(parents=True)
    (config_home / "archiver" / "config.toml").write_text('home = "somewhere"\n')
    env = {"XDG_CONFIG_HOME": str(config_home)}
    result = run_cli("init", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (config_home / "archiver" / "somewhere" / "archive.db").is_file()  # beside the file
    assert run_cli("stats", "--json", env=env).returncode == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("timeout = ", "not a TOML config file"),
        ("timeuot = 3", "unknown setting 'timeuot'"),
        ("timeout = -1", "timeout=-1: must be at least"),
        ('concurrency = "many"', "concurrency='many': not a number"),
        ("per_host = 2.5", "not a whole number"),
        ("retries = true", "not a whole number"),
        ('connect_to = "nonsense"', "connect-to 'nonsense'"),
        ('home = "elsewhere"', "`home` cannot be set in an archive's config"),
        ('source_organization = "a\\nb"', "one line"),
        ('source_organization = "a\\u2028Payload-Oxum: 1.1"', "one line"),  # bagit splits
        ('contact_name = "a\\u0085b"', "one line"),
    ],
)
def test_a_bad_archive_config_is_one_line_naming_the_file(
    tmp_path: Path, text: str, words: str
) -> None:
    home = tmp_path / "archive"
    assert run_cli("init", "--archive", str(home)).returncode == 0
    (home / "config.toml").write_text(text + "\n")
    result = run_cli("stats", "--archive", str(home))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "config.toml" in result.stderr and words in result.stderr, result.stderr


def test_a_missing_or_odd_user_config_is_one_line(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.toml", Path("/dev/zero")):
        result = run_cli("config", env={"ARCHIVER_CONFIG": str(path)})
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "ARCHIVER_CONFIG" in result.stderr


def test_settings_load_is_a_library_call(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("max_redirects = 2\n")
    settings = Settings.load({"home": tmp_path}, env={"ARCHIVER_RETRIES": "0"})
    assert (settings.max_redirects, settings.retries, settings.home) == (2, 0, tmp_path)
    assert Settings().retries == 3  # the defaults stay the defaults


def table(heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after `heading` in the README."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index(heading) :]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
        elif rows:
            break
    return rows[2:]  # below the header and its rule


def test_the_readme_settings_table_is_the_code_s() -> None:
    assert [tuple(row) for row in table("## Settings")] == documented()
    assert {s.name for s in SETTINGS} == set(Settings.__dataclass_fields__) - {"origins"}


def test_the_readme_command_table_names_every_command() -> None:
    documented_commands = [re.match(r"`(\w+)", row[0]).group(1) for row in table("## Commands")]  # type: ignore[union-attr]
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert sorted(documented_commands) == sorted(commands)
    for row in table("## Commands"):
        name = re.match(r"`(\w+)", row[0]).group(1)  # type: ignore[union-attr]
        assert row[2].startswith(f"`archiver {name}") or f" {name}" in row[2], row

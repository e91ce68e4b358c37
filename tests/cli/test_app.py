"""The root command: version, help, one-line errors and a fast start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

import wattz.cli
from tests.cli.helpers import run
from wattz import __version__
from wattz.cli.app import COMMAND_GROUPS, app

HEAVY_MODULES = ("sqlalchemy", "sqlmodel", "alembic", "ollama", "garth", "fitparse", "fit_tool")


def test_version_prints_the_package_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"wattz {__version__}"


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["workout", "--help"]])
def test_startup_imports_no_heavy_library(args: list[str]) -> None:
    probe = (
        "import sys\n"
        "from wattz.cli.app import main\n"
        f"sys.argv = ['wattz', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"loaded = [m for m in {HEAVY_MODULES!r} if m in sys.modules]\n"
        "print('LOADED=' + ','.join(loaded), file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert "LOADED=\n" in completed.stderr or completed.stderr.rstrip().endswith("LOADED=")


def test_pure_core_imports_no_adapter_library() -> None:
    probe = (
        "import sys\n"
        "import importlib, pkgutil, wattz.awp, wattz.plan, wattz.adapt\n"
        "for pkg in (wattz.awp, wattz.plan, wattz.adapt):\n"
        "    for info in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(f'{pkg.__name__}.{info.name}')\n"
        "banned = ('typer', 'rich', 'sqlalchemy', 'sqlmodel', 'ollama', 'garth', 'fitparse',\n"
        "          'fit_tool', 'gpxpy')\n"
        "print(','.join(m for m in banned if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == ""


def _commands(group: TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf command, walked the way a user reaches it (lazy groups included)."""
    found: list[tuple[str, ...]] = []
    context = typer.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, TyperGroup):
            found.extend(_commands(command, (*prefix, name)))
        else:
            found.append((*prefix, name))
    return found


ROOT = typer.main.get_command(app)
assert isinstance(ROOT, TyperGroup)


def test_every_command_module_is_listed_and_loads() -> None:
    modules = {p.stem for p in Path(wattz.cli.__file__).parent.glob("*.py")}
    commands = {name for name in modules if f"wattz.cli.{name}" in COMMAND_GROUPS.values()}
    assert commands == {path.rsplit(".", 1)[1] for path in COMMAND_GROUPS.values()}
    assert ROOT.list_commands(typer.Context(ROOT)) == list(COMMAND_GROUPS)


def test_running_one_command_builds_no_other_command_group() -> None:
    probe = (
        "import sys\n"
        "from wattz.cli.app import main\n"
        "sys.argv = ['wattz', 'goal', 'list', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED=' + ','.join(sorted(m for m in sys.modules"
        " if m.startswith('wattz.cli.') and m.count('.') == 2)), file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    loaded = completed.stderr.rsplit("LOADED=", 1)[1].strip().split(",")
    assert "wattz.cli.goal" in loaded
    assert not {"wattz.cli.plan", "wattz.cli.workout", "wattz.cli.audit"} & set(loaded)


@pytest.mark.parametrize("command", _commands(ROOT), ids=" ".join)
def test_every_command_has_help_text(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    help_lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(help_lines) >= 3
    assert "Usage" in result.stdout


def test_unknown_option_is_a_usage_error_with_exit_2() -> None:
    result = run("athlete", "show", "--no-such-option")
    assert result.exit_code == 2


def test_a_wattz_error_is_one_line_on_stderr_without_traceback() -> None:
    result = run("athlete", "show")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: no athlete yet")
    assert "Traceback" not in result.stderr


def test_bad_pinned_today_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATTZ_TODAY", "tomorrow-ish")
    result = run("athlete", "set", "--ftp", "250")
    assert result.exit_code == 1
    assert "WATTZ_TODAY" in result.stderr


def test_debug_shows_the_traceback() -> None:
    env = {**os.environ, "WATTZ_DEBUG": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "wattz", "athlete", "show"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode != 0
    assert "Traceback" in completed.stderr


def test_installed_console_script_runs() -> None:
    script = Path(sys.executable).parent / "wattz"
    completed = subprocess.run(
        [str(script), "workout", "schema"],
        capture_output=True,
        text=True,
        check=True,
    )
    schema = json.loads(completed.stdout)
    assert schema["title"] == "AWP 1.0 workout"


@pytest.mark.sqlite_only("holds SQLite's file lock from a second connection")
def test_a_locked_store_is_one_line_with_exit_3(
    wattz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from wattz.model import store

    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    store.dispose_engines()
    monkeypatch.setattr(store, "SQLITE_BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(next(wattz_home.rglob("*.db")), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = run("goal", "add", "Marmotte", "--date", "2027-03-14")
    finally:
        holder.close()
        store.dispose_engines()
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: the store failed: database is locked")
    assert "nothing was stored" in lines[0]
    assert json.loads(run("goal", "list", "--json").stdout) == []

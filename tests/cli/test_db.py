"""``wattz db check`` and ``wattz db backup`` through the CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlmodel import select

from tests.cli.helpers import run
from tests.cli.plan_scenarios import build_plan
from wattz.model.store import SCHEMA_HEAD, session_scope
from wattz.model.tables import PlannedWorkout


def test_check_of_a_consistent_store_is_one_ok_line() -> None:
    build_plan()
    result = run("db", "check")
    assert result.exit_code == 0, result.stdout
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith("ok: ") and f"schema {SCHEMA_HEAD}" in line
    assert result.stderr == ""


def test_check_prints_one_line_per_finding_and_exits_1() -> None:
    build_plan()
    with session_scope() as session:
        for workout in session.exec(select(PlannedWorkout).limit(2)):
            workout.awp = {}
            session.add(workout)
    result = run("db", "check")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("awp: workout ") for line in lines)


def test_check_json_lists_the_findings() -> None:
    build_plan()
    ok = run("db", "check", "--json")
    assert ok.exit_code == 0
    document = json.loads(ok.stdout)
    assert document["findings"] == [] and document["schema_revision"] == SCHEMA_HEAD
    with session_scope() as session:
        workout = session.exec(select(PlannedWorkout)).first()
        assert workout is not None
        workout.awp = {}
        session.add(workout)
    bad = run("db", "check", "--json")
    assert bad.exit_code == 1
    (finding,) = json.loads(bad.stdout)["findings"]
    assert finding["check"] == "awp"


@pytest.mark.sqlite_only("a SQLite file that does not exist yet")
def test_check_without_a_store_is_a_one_line_error() -> None:
    result = run("db", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no store at ")
    assert len(result.stderr.strip().splitlines()) == 1


# --- backup ---------------------------------------------------------------------------------


@pytest.mark.sqlite_only("restores by pointing WATTZ_DATABASE_URL at a SQLite copy")
def test_a_backup_restores_to_the_same_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_plan()
    original = run("plan", "show", "--json").stdout
    copy = tmp_path / "saved" / "wattz-backup.db"
    copy.parent.mkdir()
    result = run("db", "backup", str(copy))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("backup: ") and "checked: consistent" in result.stdout
    assert sorted(p.name for p in copy.parent.iterdir()) == ["wattz-backup.db"]
    monkeypatch.setenv("WATTZ_DATABASE_URL", f"sqlite:///{copy}")
    restored = run("plan", "show", "--json")
    assert restored.exit_code == 0
    assert json.loads(restored.stdout) == json.loads(original)


@pytest.mark.sqlite_only("a SQLite file backup")
def test_backup_never_overwrites_a_file_unless_forced(tmp_path: Path) -> None:
    build_plan()
    existing = tmp_path / "keep.db"
    existing.write_text("precious")
    refused = run("db", "backup", str(existing))
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: ") and "--force" in refused.stderr
    assert existing.read_text() == "precious"
    forced = run("db", "backup", str(existing), "--force", "--json")
    assert forced.exit_code == 0
    document = json.loads(forced.stdout)
    assert document["method"] == "sqlite-online-backup" and document["check"]["findings"] == []
    assert existing.read_bytes().startswith(b"SQLite format 3")


def test_backup_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    build_plan()
    result = run("db", "backup", str(tmp_path / "nowhere" / "copy.db"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_backup_of_postgresql_without_pg_dump_is_an_external_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WATTZ_DATABASE_URL", "postgresql+psycopg://coach@127.0.0.1:1/wattz")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("db", "backup", str(tmp_path / "dump"))
    assert result.exit_code == 3
    assert result.stderr.startswith("error: pg_dump is not on PATH — ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "dump").exists()


@pytest.mark.skipif(
    not os.environ.get("WATTZ_TEST_POSTGRES_URL"), reason="needs the suite's PostgreSQL server"
)
def test_backup_of_postgresql_is_a_pg_restore_archive(tmp_path: Path) -> None:
    build_plan()
    dump = tmp_path / "wattz.dump"
    result = run("db", "backup", str(dump))
    assert result.exit_code == 0, result.stderr
    assert "pg_restore" in result.stdout
    assert dump.read_bytes().startswith(b"PGDMP")
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE public planned_workout" in listing

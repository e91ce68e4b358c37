"""``backup_store`` on SQLite while other connections write: the copy holds what was
committed when it began, never a write in progress, and stands alone as one file."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tests.cli.plan_scenarios import build_plan
from wattz.services.db_backup import backup_store
from wattz.services.db_check import check_store

pytestmark = pytest.mark.sqlite_only("SQLite's online backup API and WAL file")


def athletes_in(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return [name for (name,) in connection.execute("SELECT name FROM athlete ORDER BY name")]
    finally:
        connection.close()


def test_backup_while_another_connection_holds_a_write_transaction(
    wattz_home: Path, tmp_path: Path
) -> None:
    build_plan()
    writer = sqlite3.connect(wattz_home / "wattz.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO athlete (name, created_at) VALUES ('half-written', '2026-11-25')")
    try:
        started = time.monotonic()
        report = backup_store(tmp_path / "copy.db")
        elapsed = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert elapsed < 2.0  # a reader in WAL mode does not wait for the writer
    assert report.check is not None and report.check.findings == []
    assert athletes_in(tmp_path / "copy.db") == ["default"]


def test_backup_includes_commits_still_in_the_wal(wattz_home: Path, tmp_path: Path) -> None:
    build_plan()
    writer = sqlite3.connect(wattz_home / "wattz.db", isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO athlete (name, created_at) VALUES ('in-wal', '2026-11-25')")
    try:
        assert (wattz_home / "wattz.db-wal").stat().st_size > 0
        backup_store(tmp_path / "copy.db")
    finally:
        writer.close()
    assert athletes_in(tmp_path / "copy.db") == ["default", "in-wal"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]


def test_the_copy_is_one_self_contained_file(tmp_path: Path) -> None:
    build_plan()
    copy = tmp_path / "copy.db"
    backup_store(copy)
    connection = sqlite3.connect(copy)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        connection.close()
    assert check_store(f"sqlite:///{copy}").findings == []


def test_a_failed_backup_leaves_no_partial_file(tmp_path: Path, wattz_home: Path) -> None:
    from wattz.errors import ExternalError
    from wattz.model.store import dispose_engines

    build_plan()
    dispose_engines()
    (wattz_home / "wattz.db").write_bytes(b"not a database at all" * 100)

    with pytest.raises(ExternalError):
        backup_store(tmp_path / "copy.db")
    assert list(tmp_path.glob("*copy.db*")) == []

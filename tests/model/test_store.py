"""The store opens itself: migrated to the newest schema on first use, WAL on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel, select

from wattz.model.store import (
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    database_lock,
    dispose_engines,
    engine,
    session_scope,
)
from wattz.model.tables import Athlete


@pytest.fixture(autouse=True)
def fresh_engines() -> None:
    dispose_engines()


def test_schema_head_constant_matches_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


@pytest.mark.sqlite_only("the file in WATTZ_HOME and its WAL journal")
def test_first_open_creates_the_database_in_wattz_home(wattz_home: Path) -> None:
    with engine().connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        journal = connection.execute(text("PRAGMA journal_mode")).scalar()
    assert (wattz_home / "wattz.db").is_file()
    assert revision == SCHEMA_HEAD
    assert journal == "wal"


def test_migrations_build_exactly_the_tables_the_code_declares() -> None:
    with engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_a_failed_unit_of_work_stores_nothing() -> None:
    with pytest.raises(RuntimeError), session_scope() as session:
        session.add(Athlete(name="ghost"))
        session.flush()
        raise RuntimeError("boom")
    with session_scope() as session:
        assert session.exec(select(Athlete)).all() == []


def test_a_database_lock_keeps_a_second_holder_out_until_it_is_released() -> None:
    if engine().dialect.name != "postgresql":
        pytest.skip("on SQLite the lock file beside the database is the lock")
    with database_lock("audit", 0) as first, database_lock("audit", 0.2) as second:
        assert first and not second
        with database_lock("another", 0) as other:
            assert other, "locks of other names are independent"
    with database_lock("audit", 0) as again:
        assert again


@pytest.mark.sqlite_only("PostgreSQL's lock is an advisory lock, tested above")
def test_on_sqlite_the_database_lock_leaves_it_to_the_lock_file() -> None:
    with database_lock("audit", 0) as first, database_lock("audit", 0) as second:
        assert first and second


def test_database_url_overrides_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("WATTZ_DATABASE_URL", url)
    with session_scope() as session:
        session.add(Athlete(name="remote"))
    assert (tmp_path / "elsewhere.db").is_file()


@pytest.mark.sqlite_only("only SQLite keeps the store in the data folder")
def test_an_unwritable_data_dir_is_an_external_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wattz.errors import ExternalError

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("WATTZ_HOME", str(blocker / "sub"))
    with pytest.raises(ExternalError):
        engine()


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("foo://bar", 1, "is not a database URL"),
        ("postgresql+psycopg2://localhost:1/x", 3, "driver"),
        ("postgresql+psycopg://wattz@127.0.0.1:1/x", 3, "cannot open the store"),
    ],
)
def test_a_bad_database_url_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, url: str, code: int, message: str
) -> None:
    from tests.cli.helpers import run

    monkeypatch.setenv("WATTZ_DATABASE_URL", url)
    result = run("athlete", "show")
    assert result.exit_code == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

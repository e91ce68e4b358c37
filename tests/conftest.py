"""Shared fixtures: every test runs with its own WATTZ_HOME, its own store and a pinned today.

The store is SQLite in WATTZ_HOME unless WATTZ_TEST_POSTGRES_URL names a PostgreSQL server
the suite may create databases on (`.ci/postgres run …` and `make test-postgres` set it):
then every test that can reach the store gets a fresh database of its own, copied from a
template migrated once per run, and dropped after the test.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import LiteralString

import pytest
from hypothesis import settings

# Property tests explore new examples on a developer's machine, but CI must be repeatable:
# a red build should never depend on the day's random seed.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"

TODAY = "2026-11-25"

POSTGRES_VARIABLE = "WATTZ_TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_VARIABLE, "")

STORELESS = frozenset({"adapt", "awp", "export", "plan", "sources"})
"""Test packages that never open the store (the pure core and the file formats): on
PostgreSQL they skip the ~0.2 s a fresh database costs. One that did open it would
quietly use SQLite in its WATTZ_HOME, never another test's database."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests about SQLite's own files are skipped with their reason."""
    if not POSTGRES_URL:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "about SQLite itself"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))


class _PostgresServer:
    """Creates and drops the per-test databases over one autocommit connection."""

    def __init__(self, url: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        self._url = make_url(url)
        admin = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._admin = psycopg.connect(admin, autocommit=True)
        self._names = (f"wattz_test_{os.getpid()}_{n}" for n in itertools.count())
        self.template = f"wattz_template_{os.getpid()}"

    def url_of(self, database: str) -> str:
        return self._url.set(database=database).render_as_string(hide_password=False)

    def create_template(self) -> None:
        self.drop(self.template)
        self._execute("CREATE DATABASE {}", self.template)

    def create(self) -> str:
        """A fresh copy of the template (FILE_COPY: twice as fast as WAL_LOG for it)."""
        name = next(self._names)
        self._execute("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY", name, self.template)
        return name

    def drop(self, database: str) -> None:
        # FORCE ends connections a test left behind (a CLI subprocess, an undisposed pool).
        self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", database)

    def close(self) -> None:
        self._admin.close()

    def _execute(self, statement: LiteralString, *names: str) -> None:
        from psycopg import sql

        self._admin.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[_PostgresServer | None]:
    """The server of WATTZ_TEST_POSTGRES_URL with a template migrated to the head, or None."""
    if not POSTGRES_URL:
        yield None
        return
    from wattz.model.store import dispose_engines, engine

    server = _PostgresServer(POSTGRES_URL)
    server.create_template()
    engine(server.url_of(server.template))
    dispose_engines()  # CREATE DATABASE … TEMPLATE needs the template without connections
    yield server
    dispose_engines()
    server.drop(server.template)
    server.close()


@pytest.fixture(autouse=True)
def wattz_home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Path]:
    """No test touches the real data dir or another test's store; today is pinned."""
    home = tmp_path / "wattz-home"
    monkeypatch.setenv("WATTZ_HOME", str(home))
    monkeypatch.setenv("WATTZ_TODAY", TODAY)
    monkeypatch.delenv("WATTZ_DATABASE_URL", raising=False)
    monkeypatch.delenv("WATTZ_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    if not POSTGRES_URL or _package_of(request) in STORELESS:
        yield home
        return
    server: _PostgresServer = request.getfixturevalue("postgres_server")
    from wattz.model.store import dispose_engines

    database = server.create()
    monkeypatch.setenv("WATTZ_DATABASE_URL", server.url_of(database))
    yield home
    dispose_engines()
    server.drop(database)


def _package_of(request: pytest.FixtureRequest) -> str:
    """The test's package below tests/ ("cli", "plan", …)."""
    parts = request.path.relative_to(Path(__file__).parent).parts
    return parts[0] if len(parts) > 1 else ""


def corpus_files(folder: str, *suffixes: str) -> list[Path]:
    """Files of ../shared/corpus/<folder> with the given suffixes (empty when absent)."""
    base = CORPUS / folder
    if not base.is_dir():
        return []
    wanted = {suffix.lower() for suffix in suffixes}
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix.lower() in wanted)


requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent (a fresh clone has no ../shared)"
)

"""Opening the store: engine, pragmas, migrations applied on open, sessions.

SQLite gets WAL mode, a busy timeout and foreign keys; the schema is brought to the
newest alembic revision the first time a process opens the database, so a user never
runs migrations by hand. PostgreSQL (``postgresql+psycopg://…``) runs the same
migrations; its migrations take an advisory lock, so two processes opening a new
database at once do not both create it, and ``database_lock`` gives the audit a lock
that every machine sharing the database sees.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from wattz.errors import ExternalError, InvalidValue
from wattz.settings import DATABASE_URL_VARIABLE, database_url

SCHEMA_HEAD = "0003"
"""The newest migration's revision; a test checks it against alembic's script directory."""

SQLITE_BUSY_TIMEOUT_MS = 5000
LOCK_POLL_S = 0.1
MIGRATION_LOCK = "wattz migrations"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

_engines: dict[str, Engine] = {}


def engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: the configured store), migrated to the head."""
    url = url or database_url()
    cached = _engines.get(url)
    if cached is not None:
        return cached
    created = _create_engine(url)
    _migrate(created)
    _engines[url] = created
    return created


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back on any exception."""
    with Session(engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def database_lock(name: str, wait_s: float, url: str | None = None) -> Iterator[bool]:
    """An exclusive lock named ``name`` on the database itself; yields whether it was
    taken within ``wait_s``.

    On PostgreSQL, coaches on several machines share one database but not one data
    folder, so a lock file cannot keep two of their audits apart: this is a session
    advisory lock, held on a connection of its own and released when the block ends or
    the process dies. On SQLite the database is a file in one place and the caller's
    lock file next to it already is that lock: it yields True without connecting.
    """
    created = engine(url)
    if created.dialect.name != "postgresql":
        yield True
        return
    key = _lock_key(name)
    # A session of its own, out of the pool: closing it ends the advisory lock for sure,
    # and a pool disposed meanwhile (the audit does, for its stamp) cannot strand it as an
    # open connection nobody closes.
    raw = created.raw_connection()
    session: Any = raw.dbapi_connection
    raw.detach()
    try:
        session.autocommit = True
        cursor = session.cursor()
        deadline = time.monotonic() + wait_s
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", (key,))
            if cursor.fetchone()[0]:
                break
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(LOCK_POLL_S)
        yield True
    finally:
        raw.close()  # the session ends, and the lock with it


def _lock_key(name: str) -> int:
    """A stable 32-bit key for an advisory lock (the same in every process)."""
    return zlib.crc32(name.encode())


def dispose_engines() -> None:
    """Close every pooled connection (tests and backups call this)."""
    for created in _engines.values():
        created.dispose()
    _engines.clear()


def unmigrated_engine(url: str) -> Engine:
    """An engine for ``url`` that neither migrates nor pools: to inspect a store as it is
    (``wattz db check``), with the same pragmas and the same one-line errors."""
    from sqlalchemy.pool import NullPool

    return _create_engine(url, as_is=True, poolclass=NullPool)


def _create_engine(url: str, *, as_is: bool = False, **options: Any) -> Engine:
    """``as_is``: open the database without changing it (no data folder, no WAL switch)."""
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:" and not as_is:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ExternalError(
                    f"cannot create the data folder {Path(path).parent}: {error.strerror}",
                    "set WATTZ_HOME to a writable folder",
                ) from None
        created = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **options
        )
        if not as_is:
            event.listen(created, "connect", _sqlite_pragmas)
        return created
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return create_engine(url, pool_pre_ping=True, **options)
    except (ArgumentError, NoSuchModuleError):
        raise InvalidValue(
            f"{DATABASE_URL_VARIABLE} is not a database URL wattz can use",
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
        ) from None
    except ImportError as error:
        raise ExternalError(
            f"the database driver for {DATABASE_URL_VARIABLE} is not installed ({error.name})",
            "install it into wattz's environment, e.g. pip install 'psycopg[binary]'",
        ) from None


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _migrate(created: Engine) -> None:
    """Upgrade to SCHEMA_HEAD unless the database is there already (the common, fast path)."""
    try:
        with created.connect() as connection:
            if _current_revision(connection) == SCHEMA_HEAD:
                return
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with created.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Held to the end of this transaction: a second process opening a new
                # database at once waits here, then finds the schema at the head.
                key = _lock_key(MIGRATION_LOCK)
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
                if _current_revision(connection) == SCHEMA_HEAD:
                    return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except ExternalError:
        raise
    except Exception as error:
        raise ExternalError(
            f"cannot open the store at {created.url.render_as_string(hide_password=True)}: "
            f"{type(error).__name__}: {error}".splitlines()[0],
            "check WATTZ_DATABASE_URL / WATTZ_HOME",
        ) from error


def _current_revision(connection: Any) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])

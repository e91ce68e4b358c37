"""``wattz db backup FILE``: a copy of the store taken while wattz may be writing to it.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot — what was committed when it started, never a write still in progress, also
when other processes hold a write transaction or the WAL has pages not yet checkpointed.
The copy is written beside FILE, made a single self-contained file (rollback journal, no
WAL beside it), checked with ``wattz db check``, flushed to disk and only then renamed
to FILE, so FILE is either the whole backup or absent.

PostgreSQL: ``pg_dump --format=custom`` (restore with ``pg_restore``), into a temporary
file renamed the same way. The password, if the URL has one, goes to pg_dump through
PGPASSWORD rather than its command line, which other users of the machine can read.

An existing FILE is never overwritten unless asked (``force``).
"""

from __future__ import annotations

import os
import sqlite3
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.engine import URL, make_url

from wattz.errors import Conflict, ExternalError, NotFound
from wattz.services.db_check import CheckReport, check_store

PG_DUMP = "pg_dump"


class BackupMethod(StrEnum):
    SQLITE = "sqlite-online-backup"
    PG_DUMP = "pg_dump"


class BackupReport(BaseModel):
    """What ``wattz db backup --json`` prints."""

    path: str
    method: BackupMethod
    size_bytes: int
    check: CheckReport | None
    """``db check`` of the copy (SQLite); None for a pg_dump archive, which is not a store."""


def backup_store(target: Path, *, force: bool = False, url: str | None = None) -> BackupReport:
    """Copy the store at ``url`` (default: the configured one) to ``target``."""
    from wattz.settings import database_url

    url = url or database_url()
    target = target.expanduser().absolute()
    if target.exists() and not force:
        raise Conflict(f"{target} exists already", "choose another file or add --force")
    if target.is_dir():
        raise Conflict(f"{target} is a folder", "name a file to write the backup to")
    if not target.parent.is_dir():
        raise NotFound(f"the folder {target.parent} does not exist", "create it first")
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        if url.startswith("sqlite"):
            source = Path(url.split(":///", 1)[-1]).absolute()
            if not source.is_file():
                raise NotFound(f"no store at {source}", "there is nothing to back up yet")
            if source.resolve() == target.resolve():
                raise Conflict("the backup would overwrite the store itself", "name another file")
            _sqlite_backup(source, partial)
            check: CheckReport | None = check_store(f"sqlite:///{partial}")
            method = BackupMethod.SQLITE
        else:
            _pg_dump(make_url(url), partial)
            check, method = None, BackupMethod.PG_DUMP
        _flush(partial)
        partial.replace(target)
        _flush(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    if check is not None:
        check.database = str(target)
    return BackupReport(
        path=str(target), method=method, size_bytes=target.stat().st_size, check=check
    )


def _sqlite_backup(source: Path, partial: Path) -> None:
    from wattz.model.store import SQLITE_BUSY_TIMEOUT_MS

    partial.unlink(missing_ok=True)
    try:
        reader = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            writer = sqlite3.connect(partial)
            try:
                reader.backup(writer)
                # The copy inherits WAL mode; a backup is one file that stands alone.
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
        finally:
            reader.close()
    except sqlite3.Error as error:
        raise ExternalError(
            f"cannot back up {source}: {error}", "check the disk space and the folder"
        ) from None


def _pg_dump(url: URL, partial: Path) -> None:
    import shutil
    import subprocess

    program = shutil.which(PG_DUMP)
    if program is None:
        raise ExternalError(
            "pg_dump is not on PATH",
            "install PostgreSQL's client tools (Debian: apt install postgresql-client)",
        )
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    completed = subprocess.run(
        [
            program,
            "--format=custom",
            "--no-password",
            f"--file={partial}",
            f"--dbname={plain.render_as_string(hide_password=False)}",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines() or [f"exit status {completed.returncode}"]
        raise ExternalError(
            f"pg_dump failed: {lines[0]}", "check WATTZ_DATABASE_URL and the server"
        )


def _flush(path: Path) -> None:
    """fsync a file or a folder (the rename), so a power cut cannot keep half of it."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

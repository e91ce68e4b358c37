"""The nightly audit as a job: idempotent, locked, quiet, and fed by its ride sources."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run
from tests.cli.plan_scenarios import (
    DAY,
    add_ride,
    build_plan,
    changes,
    day_of,
    keys,
    loading_weeks,
    on,
    settle,
)
from tests.conftest import CORPUS, requires_corpus
from wattz.services.audit import audit_lock, run_audit

RIDE = CORPUS / "fit" / "activities" / "Garmin830_with_Stages.fit"


def database() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order: the store's whole content."""
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from wattz.model.store import engine

    content: dict[str, list[tuple[Any, ...]]] = {}
    with engine().connect() as connection:
        for table in sorted(SQLModel.metadata.tables):
            rows = connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).all()
            content[table] = [tuple(row) for row in rows]
    return content


@pytest.fixture
def missed_key(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A plan settled to a key workout's day, the key workout missed, an unplanned race the
    day before the next key workout, and today the morning after the miss."""
    plan = build_plan()
    key = keys(loading_weeks(plan)[0])[0]
    settle(monkeypatch, day_of(key))
    add_ride(day_of(key), None, tss=190, duration_s=3 * 3600, intensity_factor=0.84)
    on(monkeypatch, day_of(key) + DAY)
    return key


def test_an_audit_run_twice_leaves_the_same_database(missed_key: dict[str, Any]) -> None:
    first = run("audit")
    assert first.exit_code == 0 and "change" in first.stdout
    after_first = database()
    second = run("audit")
    assert second.exit_code == 0
    assert second.stdout == "" and second.stderr == ""
    assert database() == after_first


def test_a_second_audit_waits_for_the_lock_then_leaves_the_work_to_the_first(
    missed_key: dict[str, Any], wattz_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wattz.services.audit.LOCK_WAIT_S", 0.2)
    before = database()
    with audit_lock(wattz_home, 0.0) as held:
        assert held
        result = run("audit")
        report = run_audit(None, day_of(missed_key) + DAY, wait_s=0.1)
    assert result.exit_code == 0
    assert "another wattz audit is running" in result.stderr and result.stdout == ""
    assert report.locked and not report.athletes
    assert database() == before, "the locked-out audit changed nothing"
    assert run("audit").exit_code == 0
    assert any(c["action"] == "move" for c in changes())


def test_two_audits_started_at_once_apply_one_set_of_changes(
    missed_key: dict[str, Any], wattz_home: Path
) -> None:
    env = os.environ | {"WATTZ_HOME": str(wattz_home)}
    command = [sys.executable, "-m", "wattz", "audit", "--json"]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], [o[1] for o in outputs]
    reports = [json.loads(out) for out, _ in outputs]
    applied = [r for r in reports if not r["locked"] and r["athletes"][0]["changes"]]
    assert len(applied) == 1, "one audit did the night's work"
    other = next(r for r in reports if r is not applied[0])
    assert other["locked"] or not other["athletes"][0]["changes"]
    listed = changes()
    assert len(listed) == len(applied[0]["athletes"][0]["changes"]) + sum(
        1 for c in listed if c["id"] < applied[0]["athletes"][0]["changes"][0]["id"]
    )
    triggers = [(c["trigger"], c["action"]) for c in applied[0]["athletes"][0]["changes"]]
    assert triggers.count(("skipped", "move")) == 1


def test_dry_run_leaves_the_database_as_it_was(missed_key: dict[str, Any]) -> None:
    before = database()
    result = run("audit", "--dry-run", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["dry_run"] and report["athletes"][0]["changes"]
    assert database() == before


# --- sources --------------------------------------------------------------------------------------


@requires_corpus
def test_a_folder_source_is_imported_once_and_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    folder = tmp_path / "rides"
    folder.mkdir()
    shutil.copy(RIDE, folder / RIDE.name)
    (folder / "notes.fit").write_bytes(b"not a FIT file at all")
    added = run("source", "add", str(folder), "--json")
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["kind"] == "folder"
    first = run("audit")
    assert first.exit_code == 0, first.stderr
    assert "1 ride imported" in first.stdout and "1 file not readable" in first.stdout
    assert "notes.fit" in first.stdout
    rides = json.loads(run("ride", "list", "--json").stdout)
    assert len(rides) == 1
    calls: list[object] = []
    monkeypatch.setattr("wattz.services.rides.import_rides", lambda *a, **k: calls.append(a))
    second = run("audit")
    assert second.exit_code == 0 and second.stdout == "", "the bad file is not reported again"
    assert calls == [], "nothing new: no file is read"
    (source,) = json.loads(run("source", "list", "--json").stdout)
    assert source["files_seen"] == 2


@requires_corpus
def test_a_file_that_changed_is_read_again(tmp_path: Path) -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    folder = tmp_path / "rides"
    folder.mkdir()
    target = folder / "ride.fit"
    target.write_bytes(b"half a download")
    assert run("source", "add", str(folder)).exit_code == 0
    assert "not readable" in run("audit").stdout
    shutil.copy(RIDE, target)
    os.utime(target, ns=(1, 2_000_000_000_000_000_000))
    assert "1 ride imported" in run("audit").stdout


@requires_corpus
def test_a_device_source_reads_the_mounted_units_activity_folder(tmp_path: Path) -> None:
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.sources_config import add_source

    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    unit = tmp_path / "media" / "GARMIN"
    (unit / "GARMIN" / "Activity").mkdir(parents=True)
    (unit / "GARMIN" / "NewFiles").mkdir()
    shutil.copy(RIDE, unit / "GARMIN" / "Activity" / RIDE.name)
    with session_scope() as session:
        add_source(session, resolve_athlete(session, None), "device")
    report = run_audit(None, dt.date(2026, 11, 25), mount_roots=[tmp_path / "media"])
    assert [len(a.imported) for a in report.athletes] == [1]
    again = run_audit(None, dt.date(2026, 11, 25), mount_roots=[tmp_path / "media"])
    assert again.nothing_to_do
    nothing_mounted = run_audit(None, dt.date(2026, 11, 26), mount_roots=[tmp_path / "none"])
    assert nothing_mounted.nothing_to_do


def test_a_garmin_source_that_cannot_sync_is_a_note_not_a_failed_night() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("source", "add", "garmin").exit_code == 0
    result = run("audit", "--json")
    assert result.exit_code == 0
    (night,) = json.loads(result.stdout)["athletes"]
    assert any(note.startswith("Garmin Connect:") for note in night["notes"])


def test_source_add_refuses_what_is_not_a_folder_and_what_is_there_already(
    tmp_path: Path,
) -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    missing = run("source", "add", str(tmp_path / "nope"))
    assert missing.exit_code == 1 and "is not a folder" in missing.stderr
    assert run("source", "add", str(tmp_path)).exit_code == 0
    twice = run("source", "add", str(tmp_path))
    assert twice.exit_code == 1 and "is a source already" in twice.stderr
    assert run("source", "add", "device").exit_code == 0
    listed = run("source", "list")
    assert listed.exit_code == 0 and "device" in listed.stdout and str(tmp_path) in listed.stdout


def test_source_list_with_none_says_how_to_add_one() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    result = run("source", "list")
    assert result.exit_code == 0 and result.stdout == ""
    assert "wattz source add" in result.stderr


# --- the stamp: a night already audited is known without opening the store ----------------------


@pytest.mark.sqlite_only("the stamp is of the SQLite files; PostgreSQL always audits")
def test_a_second_audit_the_same_day_on_the_same_store_skips_the_work(
    missed_key: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wattz.services import audit_stamp

    assert run("audit").exit_code == 0
    today = day_of(missed_key) + DAY
    assert audit_stamp.nothing_new(today)
    calls: list[object] = []
    monkeypatch.setattr("wattz.services.audit.run_audit", lambda *a, **k: calls.append(a))
    assert run("audit").stdout == ""
    assert calls == [], "the store was not even opened"
    assert not audit_stamp.nothing_new(today + DAY), "a new day is a new audit"


@pytest.mark.sqlite_only("the stamp is of the SQLite files; PostgreSQL always audits")
def test_any_write_to_the_store_or_a_new_ride_file_makes_the_audit_run(
    missed_key: dict[str, Any], tmp_path: Path
) -> None:
    from wattz.services import audit_stamp

    today = day_of(missed_key) + DAY
    folder = tmp_path / "rides"
    folder.mkdir()
    assert run("source", "add", str(folder)).exit_code == 0
    assert run("audit").exit_code == 0
    assert audit_stamp.nothing_new(today)
    (folder / "new.fit").write_bytes(b"not yet a ride")
    assert not audit_stamp.nothing_new(today)
    assert run("audit").exit_code == 0
    assert audit_stamp.nothing_new(today)
    later = next(w for w in keys(loading_weeks(build_plan_json())[1]))
    assert run("workout", "skip", str(later["id"]), "--reason", "travel").exit_code == 0
    assert not audit_stamp.nothing_new(today)


def test_sources_the_stamp_cannot_see_always_run_the_audit(missed_key: dict[str, Any]) -> None:
    from wattz.services import audit_stamp

    assert run("source", "add", "device").exit_code == 0
    assert run("audit").exit_code == 0
    assert not audit_stamp.nothing_new(day_of(missed_key) + DAY)


def build_plan_json() -> dict[str, Any]:
    result = run("plan", "show", "--json")
    plan: dict[str, Any] = json.loads(result.stdout)["plan"]
    return plan

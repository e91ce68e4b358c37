"""``check_store``: a store a command left is consistent; each half-state a torn write
could leave behind is named by the check that catches it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from tests.cli.helpers import run
from tests.cli.plan_scenarios import DAY, build_plan, day_of, keys, loading_weeks, on, settle
from wattz.model.store import SCHEMA_HEAD, dispose_engines, session_scope
from wattz.model.tables import Block, Plan, PlannedWorkout, UserWorkout, Week
from wattz.services.db_check import MAX_FINDINGS_PER_CHECK, check_store


def checks_of(report_findings: list) -> set[str]:  # type: ignore[type-arg]
    return {finding.check for finding in report_findings}


def test_a_fresh_plan_is_consistent() -> None:
    build_plan()
    report = check_store()
    assert report.findings == []
    assert report.ok
    assert report.schema_revision == SCHEMA_HEAD
    assert report.plans == 1 and report.workouts > 50


def test_a_plan_that_lived_through_moves_and_a_deload_is_consistent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = build_plan()
    key = keys(loading_weeks(plan)[0])[0]
    settle(monkeypatch, day_of(key))
    assert run("workout", "skip", str(key["id"]), "--reason", "busy").exit_code == 0
    on(monkeypatch, day_of(key) + DAY)
    assert run("audit").exit_code == 0
    today = day_of(key) + DAY
    assert (
        run("sick", "--from", today.isoformat(), "--to", (today + DAY).isoformat()).exit_code == 0
    )
    assert run("audit").exit_code == 0
    assert "deload" in run("changes").stdout
    assert check_store().findings == []


def test_a_store_with_athletes_but_no_plan_is_consistent() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    report = check_store()
    assert report.ok and report.plans == 0


def _plan(session: Session) -> Plan:
    return session.exec(select(Plan)).one()


def _no_workouts(session: Session) -> None:
    for row in session.exec(select(PlannedWorkout)):
        session.delete(row)


def _no_blocks(session: Session) -> None:
    _no_workouts(session)
    session.flush()
    for week in session.exec(select(Week)):
        session.delete(week)
    session.flush()
    for block in session.exec(select(Block)):
        session.delete(block)


def _block_numbered_twice(session: Session) -> None:
    second = session.exec(select(Block).where(Block.order == 2)).one()
    second.order = 1
    session.add(second)


def _gap_between_blocks(session: Session) -> None:
    last = session.exec(select(Block).order_by(col(Block.order).desc())).first()
    assert last is not None
    last.start += dt.timedelta(days=7)
    session.add(last)


def _week_missing_its_start(session: Session) -> None:
    week = session.exec(select(Week).where(Week.number == 2)).first()
    assert week is not None
    week.start += dt.timedelta(days=3)
    session.add(week)


def _block_longer_than_its_weeks(session: Session) -> None:
    block = session.exec(select(Block).where(Block.order == 1)).one()
    block.duration_weeks += 1
    session.add(block)


def _workout_outside_its_week(session: Session) -> None:
    workout = session.exec(select(PlannedWorkout).order_by(col(PlannedWorkout.date))).first()
    assert workout is not None
    workout.date += dt.timedelta(days=21)
    session.add(workout)


def _broken_document(session: Session) -> None:
    workout = session.exec(select(PlannedWorkout)).first()
    assert workout is not None
    workout.awp = {"schemaVersion": "1.0", "meta": {"title": "x"}, "steps": []}
    session.add(workout)


def _broken_library_document(session: Session) -> None:
    session.add(
        UserWorkout(title="torn", duration_s=60, tss=1.0, primary_zone=1, awp={"steps": "no"})
    )


def _old_revision(session: Session) -> None:
    from sqlalchemy import text

    session.execute(text("UPDATE alembic_version SET version_num = '0001'"))


@pytest.mark.parametrize(
    ("damage", "check", "words"),
    [
        (_no_workouts, "plans", "has no workouts"),
        (_no_blocks, "plans", "has no blocks"),
        (_block_numbered_twice, "blocks", "not 1…n"),
        (_gap_between_blocks, "blocks", "where block"),
        (_week_missing_its_start, "weeks", "week 2 starts"),
        (_block_longer_than_its_weeks, "weeks", "its duration says"),
        (_workout_outside_its_week, "workouts", "outside its week"),
        (_broken_document, "awp", "workout "),
        (_broken_library_document, "awp", "library workout"),
        (_old_revision, "schema", "schema revision 0001"),
    ],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_each_half_state_is_a_finding_of_its_check(
    damage: Callable[[Session], None], check: str, words: str
) -> None:
    build_plan()
    with session_scope() as session:
        damage(session)
    dispose_engines()
    report = check_store()
    assert not report.ok
    assert check in checks_of(report.findings)
    assert any(words in f.message for f in report.findings if f.check == check), report.findings


def test_the_check_does_not_migrate_an_old_store() -> None:
    build_plan()
    with session_scope() as session:
        _old_revision(session)
    dispose_engines()
    assert check_store().schema_revision == "0001"


def test_thousands_of_findings_are_capped_per_check() -> None:
    build_plan()
    with session_scope() as session:
        for workout in session.exec(select(PlannedWorkout)):
            workout.awp = {}
            session.add(workout)
    report = check_store()
    awp = [f for f in report.findings if f.check == "awp"]
    assert len(awp) == MAX_FINDINGS_PER_CHECK + 1
    assert awp[-1].message.startswith("… and ")


@pytest.mark.sqlite_only("SQLite's own pragmas and files")
def test_a_dangling_foreign_key_is_found_by_sqlite(wattz_home: Path) -> None:
    build_plan()
    dispose_engines()
    connection = sqlite3.connect(wattz_home / "wattz.db")
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("UPDATE planned_workout SET week_id = 999999 WHERE id = 1")
    connection.commit()
    connection.close()
    report = check_store()
    assert "foreign_keys" in checks_of(report.findings)
    assert any("missing week 999999" in f.message for f in report.findings)


@pytest.mark.sqlite_only("SQLite's own files")
def test_a_file_that_is_not_a_database_is_a_finding_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, " * 200)
    monkeypatch.setenv("WATTZ_DATABASE_URL", f"sqlite:///{junk}")
    report = check_store()
    assert [f.check for f in report.findings] == ["open"]
    assert "not a database" in report.findings[0].message


@pytest.mark.sqlite_only("the SQLite file's absence")
def test_no_store_yet_is_not_found_and_creates_nothing(wattz_home: Path) -> None:
    from wattz.errors import NotFound

    with pytest.raises(NotFound):
        check_store()
    assert not (wattz_home / "wattz.db").exists()

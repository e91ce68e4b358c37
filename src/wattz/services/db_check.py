"""``wattz db check``: is the store whole? An empty list of findings means consistent.

Every command writes in one transaction, so a crash (even SIGKILL) must leave the store
either before or after a command, never between. This module is how that is checked
after the fact, on SQLite and PostgreSQL alike:

- the engine's own checks (SQLite only: ``PRAGMA integrity_check`` and
  ``PRAGMA foreign_key_check``; PostgreSQL enforces foreign keys as it writes);
- the schema: the alembic revision is wattz's ``SCHEMA_HEAD`` and every table and column
  the code declares exists;
- wattz's own rules, the ones a half-finished write would break: a plan has its blocks,
  numbered 1…n and back to back in time, each with its ``duration_weeks`` weeks numbered
  1…n, seven days apart; a week, a workout and a ride point at rows of the same plan and
  athlete; a live plan has workouts; every stored AWP document validates.

The check opens its own engine and never migrates: it reports a database as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, inspect, select, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from wattz.errors import NotFound

WEEK = dt.timedelta(days=7)
MAX_FINDINGS_PER_CHECK = 50
"""A broken store can yield thousands of findings; beyond this many per check, one
summary line says how many more there were."""


class Finding(BaseModel):
    """One inconsistency: which check found it and what it is, in words."""

    model_config = ConfigDict(frozen=True)

    check: str
    message: str


class CheckReport(BaseModel):
    """What ``wattz db check --json`` prints; ``findings`` empty means consistent."""

    database: str
    dialect: str
    schema_revision: str | None
    plans: int = 0
    workouts: int = 0
    findings: list[Finding] = []

    @property
    def ok(self) -> bool:
        return not self.findings


def check_store(url: str | None = None) -> CheckReport:
    """Check the store at ``url`` (default: the configured one) without changing it."""
    from wattz.settings import database_url

    url = url or database_url()
    with _inspection_engine(url) as engine:
        report = CheckReport(
            database=engine.url.render_as_string(hide_password=True),
            dialect=engine.dialect.name,
            schema_revision=None,
        )
        findings = _Findings()
        try:
            with engine.connect() as connection:
                if engine.dialect.name == "sqlite":
                    _sqlite_checks(connection, findings)
                report.schema_revision = _schema_checks(connection, findings)
                if not findings.has("schema"):
                    report.plans, report.workouts = _rule_checks(connection, findings)
        except Exception as error:  # a file that is not a database, a lost connection
            from sqlalchemy.exc import SQLAlchemyError

            if not isinstance(error, SQLAlchemyError):
                raise
            findings.add("open", _first_line(error))
        report.findings = findings.done()
    return report


class _Findings:
    """Findings collected check by check, each check capped at ``MAX_FINDINGS_PER_CHECK``."""

    def __init__(self) -> None:
        self._by_check: dict[str, list[Finding]] = {}
        self._extra: dict[str, int] = {}

    def add(self, check: str, message: str) -> None:
        found = self._by_check.setdefault(check, [])
        if len(found) < MAX_FINDINGS_PER_CHECK:
            found.append(Finding(check=check, message=message))
        else:
            self._extra[check] = self._extra.get(check, 0) + 1

    def has(self, check: str) -> bool:
        return bool(self._by_check.get(check))

    def done(self) -> list[Finding]:
        result: list[Finding] = []
        for check, found in self._by_check.items():
            result += found
            if self._extra.get(check):
                result.append(Finding(check=check, message=f"… and {self._extra[check]} more"))
        return result


@contextmanager
def _inspection_engine(url: str) -> Iterator[Engine]:
    """An engine that opens the database as it is: no migration, no new file, no pool."""
    from wattz.model.store import unmigrated_engine

    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if not path or path == ":memory:" or not Path(path).is_file():
            raise NotFound(
                f"no store at {path or url}", "wattz creates it on first use, e.g. athlete set"
            )
    created = unmigrated_engine(url)
    try:
        yield created
    finally:
        created.dispose()


def _sqlite_checks(connection: Connection, findings: _Findings) -> None:
    for (line,) in connection.execute(text("PRAGMA integrity_check")):
        if line != "ok":
            findings.add("integrity", str(line))
    for table, rowid, parent, _key in connection.execute(text("PRAGMA foreign_key_check")):
        findings.add("foreign_keys", f"{table} row {rowid} points at a missing {parent} row")


def _schema_checks(connection: Connection, findings: _Findings) -> str | None:
    """The revision, and a finding for it or for any declared table or column missing."""
    import wattz.model.tables  # noqa: F401 - registers the tables on SQLModel.metadata
    from wattz.model.store import SCHEMA_HEAD

    inspector = inspect(connection)
    revision: str | None = None
    if not inspector.has_table("alembic_version"):
        findings.add("schema", "no alembic_version table: this is not a wattz store")
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    if len(rows) != 1:
        findings.add("schema", f"alembic_version holds {len(rows)} rows, expected 1")
    else:
        revision = str(rows[0][0])
        if revision != SCHEMA_HEAD:
            findings.add(
                "schema",
                f"schema revision {revision}, this wattz expects {SCHEMA_HEAD} "
                "(any other wattz command upgrades an older store)",
            )
    for table in SQLModel.metadata.sorted_tables:
        if not inspector.has_table(table.name):
            findings.add("schema", f"table {table.name} is missing")
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                findings.add("schema", f"column {table.name}.{column.name} is missing")
    return revision


def _rule_checks(connection: Connection, findings: _Findings) -> tuple[int, int]:
    """wattz's own rules; returns how many plans and workouts were looked at."""
    from wattz.model.tables import (
        Activity,
        Block,
        Goal,
        Plan,
        PlannedWorkout,
        UserWorkout,
        Week,
    )

    plan_t, goal_t = _table(Plan), _table(Goal)
    block_t, week_t, workout_t = _table(Block), _table(Week), _table(PlannedWorkout)
    plans = {
        row.id: row
        for row in connection.execute(
            select(plan_t.c.id, plan_t.c.athlete_id, plan_t.c.goal_id, plan_t.c.deleted_at)
        )
    }
    goals = {
        row.id: row.athlete_id
        for row in connection.execute(select(goal_t.c.id, goal_t.c.athlete_id))
    }
    blocks = list(
        connection.execute(
            select(
                block_t.c.id,
                block_t.c.plan_id,
                block_t.c.order,
                block_t.c.start,
                block_t.c.duration_weeks,
            ).order_by(block_t.c.plan_id, block_t.c.order, block_t.c.id)
        )
    )
    weeks = list(
        connection.execute(
            select(
                week_t.c.id, week_t.c.plan_id, week_t.c.block_id, week_t.c.number, week_t.c.start
            ).order_by(week_t.c.block_id, week_t.c.start, week_t.c.id)
        )
    )
    for plan_id, plan in plans.items():
        if goals.get(plan.goal_id) != plan.athlete_id:
            findings.add("plans", f"plan {plan_id}'s goal {plan.goal_id} is not its athlete's")
    _check_blocks(plans, blocks, weeks, findings)

    weeks_by_id = {week.id: week for week in weeks}
    plans_with_workouts: set[int] = set()
    workouts = 0
    for row in connection.execute(
        select(
            workout_t.c.id,
            workout_t.c.plan_id,
            workout_t.c.week_id,
            workout_t.c.date,
            workout_t.c.awp,
        )
    ):
        workouts += 1
        plans_with_workouts.add(row.plan_id)
        week = weeks_by_id.get(row.week_id)
        if row.plan_id not in plans:
            findings.add("workouts", f"workout {row.id} belongs to missing plan {row.plan_id}")
        elif week is None:
            findings.add("workouts", f"workout {row.id} belongs to missing week {row.week_id}")
        elif week.plan_id != row.plan_id:
            findings.add(
                "workouts", f"workout {row.id} is in plan {row.plan_id} but its week is not"
            )
        elif not week.start <= row.date < week.start + WEEK:
            findings.add(
                "workouts",
                f"workout {row.id} on {row.date.isoformat()} lies outside its week "
                f"({week.start.isoformat()})",
            )
        _check_document(findings, f"workout {row.id}", row.awp)
    for plan_id, plan in plans.items():
        if plan.deleted_at is None and plan_id not in plans_with_workouts:
            findings.add("plans", f"plan {plan_id} has no workouts (half-built?)")

    user_t = _table(UserWorkout)
    for row in connection.execute(select(user_t.c.id, user_t.c.awp)):
        _check_document(findings, f"library workout {row.id}", row.awp)

    activity_t = _table(Activity)
    owner_of_workout = {
        row.id: plans[row.plan_id].athlete_id
        for row in connection.execute(select(workout_t.c.id, workout_t.c.plan_id))
        if row.plan_id in plans
    }
    for row in connection.execute(
        select(activity_t.c.id, activity_t.c.athlete_id, activity_t.c.planned_workout_id).where(
            activity_t.c.planned_workout_id.is_not(None)
        )
    ):
        if owner_of_workout.get(row.planned_workout_id) != row.athlete_id:
            findings.add(
                "rides",
                f"ride {row.id} is matched to workout {row.planned_workout_id}, "
                "which is not in a plan of its athlete",
            )
    return len(plans), workouts


def _check_blocks(
    plans: dict[int, Any], blocks: list[Any], weeks: list[Any], findings: _Findings
) -> None:
    """Blocks 1…n back to back; each with its weeks 1…n, seven days apart."""
    blocks_of: dict[int, list[Any]] = {}
    for block in blocks:
        blocks_of.setdefault(block.plan_id, []).append(block)
    weeks_of: dict[int, list[Any]] = {}
    block_plan = {block.id: block.plan_id for block in blocks}
    for week in weeks:
        weeks_of.setdefault(week.block_id, []).append(week)
        if week.plan_id not in plans:
            findings.add("weeks", f"week {week.id} belongs to missing plan {week.plan_id}")
        elif block_plan.get(week.block_id) is None:
            findings.add("weeks", f"week {week.id} belongs to missing block {week.block_id}")
        elif block_plan[week.block_id] != week.plan_id:
            findings.add("weeks", f"week {week.id} is in plan {week.plan_id} but its block is not")
    for plan_id in plans:
        ordered = blocks_of.get(plan_id, [])
        if not ordered:
            findings.add("plans", f"plan {plan_id} has no blocks (half-built?)")
            continue
        orders = [block.order for block in ordered]
        if orders != list(range(1, len(ordered) + 1)):
            findings.add("blocks", f"plan {plan_id}'s blocks are numbered {orders}, not 1…n")
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            expected = earlier.start + WEEK * earlier.duration_weeks
            if later.start != expected:
                findings.add(
                    "blocks",
                    f"plan {plan_id}: block {later.order} starts {later.start.isoformat()}, "
                    f"not {expected.isoformat()} where block {earlier.order} ends",
                )
        for block in ordered:
            _check_weeks(plan_id, block, weeks_of.get(block.id, []), findings)
    for block in blocks:
        if block.plan_id not in plans:
            findings.add("blocks", f"block {block.id} belongs to missing plan {block.plan_id}")


def _check_weeks(plan_id: int, block: Any, weeks: list[Any], findings: _Findings) -> None:
    where = f"plan {plan_id}, block {block.order}"
    if len(weeks) != block.duration_weeks:
        findings.add(
            "weeks", f"{where} has {len(weeks)} weeks, its duration says {block.duration_weeks}"
        )
    numbers = [week.number for week in weeks]
    if numbers != list(range(1, len(weeks) + 1)):
        findings.add("weeks", f"{where}: weeks numbered {numbers}, not 1…n")
    for position, week in enumerate(weeks):
        expected = block.start + WEEK * position
        if week.start != expected:
            findings.add(
                "weeks",
                f"{where}: week {week.number} starts {week.start.isoformat()}, "
                f"not {expected.isoformat()}",
            )


def _check_document(findings: _Findings, what: str, document: Any) -> None:
    from wattz.awp.validate import validate_data

    report = validate_data(document)
    if not report.ok:
        first = report.findings[0]
        findings.add("awp", f"{what}: {first.path}: {first.message}")


def _table(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


def _first_line(error: Exception) -> str:
    orig = getattr(error, "orig", None)
    return (str(orig) if orig is not None else str(error)).splitlines()[0]

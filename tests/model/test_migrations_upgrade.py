"""A store written by any earlier wattz opens in this one: upgraded to ``SCHEMA_HEAD`` on
first use, with its athletes, plans, workouts and rides intact and usable.

The revisions come from alembic's script directory, so a new migration is covered here
without touching this file. Each database is built at its revision by alembic itself and
filled through the tables *as they were then* (reflected from the database, not today's
models), with the columns every revision since 0001 has.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from tests.cli.helpers import run
from wattz.model.store import MIGRATIONS_DIR, SCHEMA_HEAD, dispose_engines, engine
from wattz.settings import database_url

MONDAY = dt.date(2026, 11, 23)
CREATED = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)
AWP = {
    "schemaVersion": "1.0",
    "meta": {"title": "Endurance 60", "totalDurationSeconds": 3600},
    "steps": [
        {"type": "SteadyState", "duration": 3600, "power": {"type": "steady", "value": 0.65}}
    ],
}


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def earlier_revisions() -> list[str | None]:
    """Every revision before the head, oldest first; None is the empty database."""
    script = ScriptDirectory.from_config(_config())
    oldest_first = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    return [None, *oldest_first[:-1]]


@pytest.fixture
def raw_engine(wattz_home: Path) -> Iterator[Engine]:
    """The test's store opened without wattz (so without its migration on open)."""
    wattz_home.mkdir(parents=True, exist_ok=True)
    dispose_engines()
    created = create_engine(database_url(), poolclass=NullPool)
    yield created
    created.dispose()


def build_at(raw: Engine, revision: str | None) -> None:
    """The store at ``revision``: emptied to the base first (a PostgreSQL test database
    arrives at the head), then upgraded by alembic."""
    config = _config()
    with raw.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        if revision is not None:
            command.upgrade(config, revision)


def fill(connection: Connection) -> None:
    """An athlete with an FTP and a grid, a goal, a one-week plan with one workout, and
    the ride that did it."""
    tables = MetaData()
    tables.reflect(connection)

    def insert(table: str, /, **values: Any) -> int:
        result = connection.execute(tables.tables[table].insert().values(**values))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    athlete = insert("athlete", name="ann", created_at=CREATED)
    insert("ftp_entry", athlete_id=athlete, ftp_w=250, valid_from=None, created_at=CREATED)
    insert("availability_slot", athlete_id=athlete, weekday=5, minutes=120, venue="any")
    goal = insert(
        "goal",
        athlete_id=athlete,
        name="Marmotte",
        date=dt.date(2027, 3, 14),
        priority="A",
        discipline="road",
        created_at=CREATED,
    )
    plan = insert(
        "plan",
        athlete_id=athlete,
        goal_id=goal,
        start=MONDAY,
        target_date=dt.date(2027, 3, 14),
        strategy="LINEAR",
        rhythm="3:1",
        ramp=5.0,
        start_ctl=40.0,
        generator="builtin",
        created_at=CREATED,
    )
    block = insert(
        "block",
        plan_id=plan,
        order=1,
        name="Base 1",
        type="BASE",
        focus="AEROBIC_ENDURANCE",
        start=MONDAY,
        duration_weeks=1,
    )
    week = insert(
        "week",
        plan_id=plan,
        block_id=block,
        number=1,
        start=MONDAY,
        is_recovery=False,
        is_taper=False,
        tss_target=50,
        volume_target_minutes=60,
        focus="AEROBIC_ENDURANCE",
        loading_index=1,
    )
    workout = insert(
        "planned_workout",
        plan_id=plan,
        week_id=week,
        date=MONDAY + dt.timedelta(days=5),
        title="Endurance 60",
        duration_s=3600,
        tss=42.3,
        intensity_factor=0.65,
        primary_zone=2,
        role="support",
        status="completed",
        source="builtin",
        venue="any",
        forced=False,
        awp=AWP,
        updated_at=CREATED,
    )
    insert(
        "activity",
        athlete_id=athlete,
        content_hash="0" * 64,
        start=dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC),
        local_date=dt.date(2026, 11, 28),
        sport="cycling",
        duration_s=3660,
        tss=44.0,
        planned_workout_id=workout,
        created_at=CREATED,
    )


@pytest.mark.parametrize("revision", earlier_revisions(), ids=lambda r: r or "empty")
def test_a_store_at_an_earlier_revision_is_upgraded_with_its_data(
    raw_engine: Engine, revision: str | None
) -> None:
    build_at(raw_engine, revision)
    if revision is not None:
        with raw_engine.begin() as connection:
            fill(connection)
    raw_engine.dispose()

    with engine().connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            SCHEMA_HEAD
        )
    checked = run("db", "check")
    assert checked.exit_code == 0, checked.stdout
    if revision is None:
        return
    athlete = json.loads(run("athlete", "show", "--json").stdout)
    assert athlete["name"] == "ann" and athlete["ftp_w"] == 250
    plan = json.loads(run("plan", "show", "--json").stdout)["plan"]
    assert plan["goal"]["name"] == "Marmotte"
    (workout,) = plan["blocks"][0]["weeks"][0]["workouts"]
    assert workout["status"] == "completed" and workout["awp"] == AWP
    (ride,) = json.loads(run("ride", "list", "--json").stdout)
    assert ride["tss"] == 44.0
    audited = run("audit", "--date", "2026-11-30", "--json")
    assert audited.exit_code == 0, audited.stderr
    assert json.loads(audited.stdout)["athletes"][0]["plan_id"] == plan["id"]
    assert run("db", "check").exit_code == 0


def test_the_oldest_revision_is_the_first_migration() -> None:
    """The list above starts at an empty database: nothing before 0001 is left out."""
    assert earlier_revisions()[:2] == [None, "0001"]

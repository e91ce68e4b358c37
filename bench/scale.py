"""A coach's scale: the nightly `wattz audit --all` of 200 athletes on PostgreSQL.

Run: .venv/bin/python bench/scale.py   (or make bench)
Target (issue 9): ≥ 20 athletes/s, whole process.

The server is WATTZ_TEST_POSTGRES_URL when set (a server the bench may create a database
on), else a throwaway one started and stopped with .ci/postgres. The store is built in
process through the services, as the CLI would leave it: 200 athletes, each with a grid,
a goal 16 weeks out, a plan and four weeks of rides (most workouts ridden as planned,
some skipped, some cut short), audited every night so far. Each timed night adds that
day's rides for every athlete, then runs `wattz audit --all` as cron would: a subprocess.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from user_shell import user_environment

ROOT = Path(__file__).resolve().parents[1]
WATTZ = str(Path(sys.executable).parent / "wattz")
POSTGRES = ROOT / ".ci" / "postgres"
SERVER_VARIABLE = "WATTZ_TEST_POSTGRES_URL"

ATHLETES = 200
TARGET_PER_S = 20.0
START = dt.date(2026, 11, 25)
EVENT = START + dt.timedelta(weeks=16)
FIRST_NIGHT = START + dt.timedelta(weeks=4)
NIGHTS = 3
GRID = {0: 0, 1: 60, 2: 45, 3: 60, 4: 0, 5: 180, 6: 120}
SKIP_SHARE = 0.1
SHORT_SHARE = 0.1


@contextmanager
def postgres_server() -> Iterator[str]:
    """WATTZ_TEST_POSTGRES_URL, or a throwaway server for the length of the bench."""
    given = os.environ.get(SERVER_VARIABLE)
    if given:
        yield given
        return
    folder = tempfile.mkdtemp(prefix="wattz-scale-pg-")
    try:
        started = subprocess.run(
            [str(POSTGRES), "start", folder], check=True, capture_output=True, text=True
        )
        yield started.stdout.strip()
    finally:
        subprocess.run([str(POSTGRES), "stop", folder], check=False)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A database of the bench's own on the server, dropped afterwards."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    name = f"wattz_scale_{os.getpid()}"
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        from wattz.model.store import dispose_engines

        dispose_engines()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(drop)


def build_store(athletes: int) -> None:
    """Athletes with a grid, a goal and a plan from START (services, one transaction each)."""
    from wattz.model.store import session_scope
    from wattz.plan.domain import DaySlot, Discipline, Priority
    from wattz.services.athletes import add_athlete, set_athlete
    from wattz.services.goals import add_goal, set_weekly
    from wattz.services.plans import PlanRequest, create_plan

    grid = {day: DaySlot(minutes) for day, minutes in GRID.items()}
    for index in range(athletes):
        with session_scope() as session:
            name = f"athlete-{index:03d}"
            add_athlete(session, name)
            athlete = set_athlete(session, name=name, ftp_w=180 + index % 150)
            set_weekly(session, athlete, grid)
            add_goal(
                session,
                athlete,
                name="Goal",
                date=EVENT,
                priority=Priority.A,
                discipline=Discipline.ROAD,
                today=START,
            )
            create_plan(session, athlete, PlanRequest(goal_name="Goal"), START)


def ride_day(day: dt.date, rng: random.Random) -> int:
    """Every athlete's rides of ``day``: planned workouts ridden, cut short or skipped."""
    from sqlalchemy import insert
    from sqlmodel import col, select

    from wattz.model.store import session_scope
    from wattz.model.tables import Activity, Plan, PlannedWorkout

    with session_scope() as session:
        workouts = session.exec(
            select(Plan.athlete_id, PlannedWorkout)
            .join(Plan, col(Plan.id) == col(PlannedWorkout.plan_id))
            .where(col(Plan.deleted_at).is_(None), PlannedWorkout.date == day)
            .order_by(col(PlannedWorkout.id))
        ).all()
        rows = []
        for athlete_id, workout in workouts:
            draw = rng.random()
            if draw < SKIP_SHARE or workout.status != "pending":
                continue
            ratio = 0.6 if draw < SKIP_SHARE + SHORT_SHARE else 1.0
            duration_s = int(workout.duration_s * ratio)
            rows.append(
                {
                    "athlete_id": athlete_id,
                    "content_hash": f"scale-{workout.id}-{day.isoformat()}",
                    "start": dt.datetime.combine(day, dt.time(17, 0), tzinfo=dt.UTC),
                    "local_date": day,
                    "duration_s": duration_s,
                    "moving_s": duration_s,
                    "tss": workout.tss * ratio,
                    "tss_source": "power",
                    "intensity_factor": workout.intensity_factor,
                    "planned_workout_id": workout.id,
                    "compliance": 0.5 if ratio < 1 else 0.93,
                    "compliance_detail": {
                        "duration_ratio": ratio,
                        "score": 0.5 if ratio < 1 else 0.93,
                    },
                    "created_at": dt.datetime.now(dt.UTC),
                }
            )
        if rows:
            session.execute(insert(Activity), rows)
    return len(rows)


def audit_all(home: str, night: dt.date) -> float:
    """`wattz audit --all` on ``night`` as cron runs it; its wall time in seconds."""
    env = {**user_environment(), "WATTZ_HOME": home, "WATTZ_TODAY": night.isoformat()}
    started = time.perf_counter()
    done = subprocess.run([WATTZ, "audit", "--all", "--json"], env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"wattz audit --all failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def settle(home: str, rng: random.Random) -> None:
    """Four weeks lived and audited night by night, in process (untimed)."""
    from wattz.services.audit import run_audit

    day = START
    while day < FIRST_NIGHT - dt.timedelta(days=1):
        ride_day(day, rng)
        day += dt.timedelta(days=1)
        if day.weekday() == 0 or day == FIRST_NIGHT - dt.timedelta(days=1):
            run_audit(None, day, all_athletes=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--athletes", type=int, default=ATHLETES)
    parser.add_argument("--profile", action="store_true", help="cProfile one audit in process")
    options = parser.parse_args()
    rng = random.Random(9)
    with (
        tempfile.TemporaryDirectory() as home,
        postgres_server() as server,
        fresh_database(server) as url,
    ):
        os.environ.update(WATTZ_HOME=home, WATTZ_DATABASE_URL=url, WATTZ_TODAY=START.isoformat())
        started = time.perf_counter()
        build_store(options.athletes)
        built = time.perf_counter() - started
        settle(home, rng)
        settled = time.perf_counter() - started - built
        print(
            f"setup: {options.athletes} athletes with plans in {built:.0f} s, "
            f"four weeks ridden and audited in {settled:.0f} s"
        )
        if options.profile:
            profile(FIRST_NIGHT, rng)
            return
        nights = []
        for night_index in range(NIGHTS):
            night = FIRST_NIGHT + dt.timedelta(days=night_index)
            ridden = ride_day(night - dt.timedelta(days=1), rng)
            seconds = audit_all(home, night)
            nights.append(options.athletes / seconds)
            print(
                f"night {night.isoformat()}: {ridden} new rides, audit --all {seconds:.1f} s, "
                f"{options.athletes / seconds:.1f} athletes/s"
            )
    print(
        f"audit --all, {options.athletes} athletes on PostgreSQL: "
        f"median {statistics.median(nights):.1f} athletes/s "
        f"(min {min(nights):.1f}, max {max(nights):.1f}; target ≥ {TARGET_PER_S:.0f}/s)"
    )


def profile(night: dt.date, rng: random.Random) -> None:
    """Where one night's audit spends its time (in process, top 25 by cumulative time)."""
    from wattz.services.audit import run_audit

    ride_day(night - dt.timedelta(days=1), rng)
    profiler = cProfile.Profile()
    profiler.runcall(run_audit, None, night, all_athletes=True)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()

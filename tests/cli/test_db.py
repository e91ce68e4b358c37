"""``wattz db check`` and ``wattz db backup`` through the CLI."""

from __future__ import annotations

import json

from sqlmodel import select

from tests.cli.helpers import run
from tests.cli.plan_scenarios import build_plan
from wattz.model.store import SCHEMA_HEAD, session_scope
from wattz.model.tables import PlannedWorkout


def test_check_of_a_consistent_store_is_one_ok_line() -> None:
    build_plan()
    result = run("db", "check")
    assert result.exit_code == 0, result.stdout
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith("ok: ") and f"schema {SCHEMA_HEAD}" in line
    assert result.stderr == ""


def test_check_prints_one_line_per_finding_and_exits_1() -> None:
    build_plan()
    with session_scope() as session:
        for workout in session.exec(select(PlannedWorkout).limit(2)):
            workout.awp = {}
            session.add(workout)
    result = run("db", "check")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("awp: workout ") for line in lines)


def test_check_json_lists_the_findings() -> None:
    build_plan()
    ok = run("db", "check", "--json")
    assert ok.exit_code == 0
    document = json.loads(ok.stdout)
    assert document["findings"] == [] and document["schema_revision"] == SCHEMA_HEAD
    with session_scope() as session:
        workout = session.exec(select(PlannedWorkout)).first()
        assert workout is not None
        workout.awp = {}
        session.add(workout)
    bad = run("db", "check", "--json")
    assert bad.exit_code == 1
    (finding,) = json.loads(bad.stdout)["findings"]
    assert finding["check"] == "awp"


def test_check_without_a_store_is_a_one_line_error() -> None:
    result = run("db", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no store at ")
    assert len(result.stderr.strip().splitlines()) == 1

"""``wattz changes``: the change log, one change in full, and undo that restores the plan
exactly (compared as ``plan show --json``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.helpers import run
from tests.cli.plan_scenarios import (
    DAY,
    audit,
    build_plan,
    changes,
    day_of,
    keys,
    loading_weeks,
    on,
    settle,
    show,
)

CONTRACT = {
    "id",
    "created_at",
    "trigger",
    "action",
    "workout_ids",
    "before",
    "after",
    "reason",
    "undone",
}


@pytest.fixture
def plan() -> dict[str, Any]:
    return build_plan()


def deload_now(plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], int]:
    """A settled plan, then two sick days from today and the audit's deload: the plan as
    it was before the deload, and the deload's change id."""
    week = loading_weeks(plan)[1]
    today = day_of(week)
    settle(monkeypatch, today)
    before = show()
    sick = run("sick", "--from", today.isoformat(), "--to", (today + DAY).isoformat())
    assert sick.exit_code == 0
    audit()
    deload = next(c for c in changes() if c["action"] == "deload")
    return before, deload["id"]


def test_changes_json_is_a_list_following_the_contract(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    before, deload_id = deload_now(plan, monkeypatch)
    listed = changes()
    assert listed and all(set(change) == CONTRACT for change in listed)
    deload = next(c for c in listed if c["id"] == deload_id)
    assert deload["trigger"] == "sick" and deload["undone"] is False
    assert deload["workout_ids"] and isinstance(deload["workout_ids"][0], int)
    assert {"workouts", "weeks", "blocks"} <= set(deload["before"]) | set(deload["after"])
    changed = {w["id"] for w in deload["after"]["workouts"]}
    assert changed <= set(deload["workout_ids"])
    assert [c["id"] for c in listed] == sorted(c["id"] for c in listed), "oldest first"


def test_undo_after_a_deload_restores_the_plan_exactly(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    before, deload_id = deload_now(plan, monkeypatch)
    assert show() != before, "the deload changed the plan"
    result = run("changes", "undo", str(deload_id))
    assert result.exit_code == 0, result.stderr
    assert f"undone: #{deload_id}" in result.stdout
    assert show() == before
    assert next(c for c in changes() if c["id"] == deload_id)["undone"] is True


def test_undoing_twice_is_refused_clearly(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, deload_id = deload_now(plan, monkeypatch)
    assert run("changes", "undo", str(deload_id)).exit_code == 0
    again = run("changes", "undo", str(deload_id))
    assert again.exit_code == 1
    assert again.stdout == ""
    assert f"change {deload_id} was undone already" in again.stderr
    assert again.stderr.count("\n") == 1


def test_an_undone_deload_is_not_redone_by_the_next_audit(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    before, deload_id = deload_now(plan, monkeypatch)
    assert run("changes", "undo", str(deload_id)).exit_code == 0
    listed = changes()
    audit()
    assert changes() == listed
    assert show() == before


def test_a_change_a_later_change_built_on_is_refused_until_that_one_is_undone(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = keys(loading_weeks(plan)[0])[0]
    settle(monkeypatch, day_of(key))
    before = show()
    assert run("workout", "skip", str(key["id"]), "--reason", "busy").exit_code == 0
    skip_id = changes()[-1]["id"]
    audit()
    later = [c for c in changes() if c["id"] > skip_id]
    assert any(c["action"] == "move" for c in later)
    refused = run("changes", "undo", str(skip_id))
    assert refused.exit_code == 1
    assert "undo it first: wattz changes undo" in refused.stderr
    for change in reversed(later):
        assert run("changes", "undo", str(change["id"])).exit_code == 0
    assert run("changes", "undo", str(skip_id)).exit_code == 0
    assert show() == before, "the night undone in reverse order is no night at all"


def test_undo_of_a_move_puts_the_workout_back(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = keys(loading_weeks(plan)[0])[0]
    target = day_of(key) + 2 * DAY
    on(monkeypatch, day_of(key) - DAY)
    before = show()
    moved = run("workout", "move", str(key["id"]), target.isoformat(), "--force")
    assert moved.exit_code == 0, moved.stderr
    change_id = changes()[-1]["id"]
    assert run("changes", "undo", str(change_id)).exit_code == 0
    assert show() == before


def test_changes_show_prints_why_and_each_workout_before_and_after(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, deload_id = deload_now(plan, monkeypatch)
    result = run("changes", "show", str(deload_id))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"change {deload_id}: sick → deload")
    assert "why: unwell" in result.stdout
    assert "workout " in result.stdout and " → " in result.stdout
    as_json = json.loads(run("changes", "show", str(deload_id), "--json").stdout)
    assert set(as_json) == CONTRACT


def test_the_change_log_table_lists_every_change(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, deload_id = deload_now(plan, monkeypatch)
    result = run("changes")
    assert result.exit_code == 0
    assert "sick → deload" in result.stdout


def test_no_changes_yet_is_said_on_stderr(plan: dict[str, Any]) -> None:
    result = run("changes")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no changes yet" in result.stderr
    assert json.loads(run("changes", "--json").stdout) == []


def test_an_unknown_change_is_not_found(plan: dict[str, Any]) -> None:
    for command in ("show", "undo"):
        result = run("changes", command, "999")
        assert result.exit_code == 1
        assert "no change 999" in result.stderr


def test_changes_without_a_plan_says_how_to_build_one() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    result = run("changes")
    assert result.exit_code == 1 and "plan new" in result.stderr

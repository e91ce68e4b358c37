"""Negotiating with the plan (blueprint §5.1): ``workout move`` with its impact check and
the three answers, ``workout skip``, ``wattz sick``, and a new availability grid."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from tests.cli.helpers import run
from tests.cli.plan_scenarios import (
    DAY,
    build_plan,
    changes,
    day_of,
    keys,
    loading_weeks,
    on,
    show,
    weeks,
    workout,
    workouts,
)


@pytest.fixture
def plan(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    built = build_plan()
    on(monkeypatch, day_of(loading_weeks(built)[0]) - DAY)
    return built


def long_ride(plan: dict[str, Any]) -> dict[str, Any]:
    week = loading_weeks(plan)[0]
    return max(week["workouts"], key=lambda w: w["duration_s"])


def a_short_day(plan: dict[str, Any], after: dt.date) -> dt.date:
    """The first Tuesday (a 60-minute indoor day in the grid) after ``after``."""
    day = after + DAY
    while day.weekday() != 1:
        day += DAY
    return day


def test_a_move_with_no_conflict_just_moves(plan: dict[str, Any]) -> None:
    week = loading_weeks(plan)[0]
    support = min(
        (w for w in week["workouts"] if w["role"] == "support"), key=lambda w: w["duration_s"]
    )
    friday = day_of(week) + 4 * DAY
    assert run("availability", "override", f"{friday.isoformat()}=60").exit_code == 0
    result = run("workout", "move", str(support["id"]), friday.isoformat())
    assert result.exit_code == 0, result.stderr
    assert f"to {friday:%a %d %b}" in result.stdout
    moved = workout(show(), support["id"])
    assert day_of(moved) == friday and moved["status"] == "moved"
    assert changes()[-1]["trigger"] == "user-move" and changes()[-1]["action"] == "move"


def test_a_conflict_is_explained_with_the_answers_that_resolve_it(plan: dict[str, Any]) -> None:
    ride = long_ride(plan)
    day = a_short_day(plan, day_of(ride))
    result = run("workout", "move", str(ride["id"]), day.isoformat())
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "you have 1:00 h on Tuesdays" in result.stderr
    assert "--force" in result.stderr
    assert workout(show(), ride["id"]) == workout(plan, ride["id"]), "nothing moved"


def test_scale_down_fits_the_day_and_keeps_the_intervals(plan: dict[str, Any]) -> None:
    week = loading_weeks(plan)[0]
    key = max(keys(week), key=lambda w: w["duration_s"])
    friday = day_of(week) + 4 * DAY
    assert key["duration_s"] > 45 * 60 and day_of(key) != friday
    assert run("availability", "override", f"{friday.isoformat()}=45").exit_code == 0
    asked = run("workout", "move", str(key["id"]), friday.isoformat())
    assert asked.exit_code == 1 and "--scale-down" in asked.stderr
    both = run("workout", "move", str(key["id"]), friday.isoformat(), "--scale-down", "--force")
    assert both.exit_code == 1, "one answer at a time"
    result = run("workout", "move", str(key["id"]), friday.isoformat(), "--scale-down")
    assert result.exit_code == 0, result.stderr
    moved = workout(show(), key["id"])
    assert moved["duration_s"] <= 45 * 60 < key["duration_s"]
    assert moved["title"] == key["title"]
    assert _work(moved["awp"]) == _work(key["awp"]), "the intervals are kept"
    assert changes()[-1]["action"] == "scale-down"


def _work(document: dict[str, Any]) -> list[tuple[int, float]]:
    """The work steps (above Z2) of an AWP document, unrolled: (seconds, power)."""
    from wattz.awp.models import Workout
    from wattz.awp.timeline import unroll

    return [
        (segment.duration_s, round(segment.mean_power, 3))
        for segment in unroll(Workout.model_validate(document))
        if not segment.is_free and segment.mean_power > 0.75 and segment.intensity == "active"
    ]


def test_force_moves_over_the_conflict_and_says_so(plan: dict[str, Any]) -> None:
    ride = long_ride(plan)
    day = a_short_day(plan, day_of(ride))
    result = run("workout", "move", str(ride["id"]), day.isoformat(), "--force", "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["change"]["action"] == "force"
    assert "forced by the athlete" in document["change"]["reason"]
    assert day_of(workout(show(), ride["id"])) == day


def test_swap_trades_places_with_that_days_workout(plan: dict[str, Any]) -> None:
    week = loading_weeks(plan)[0]
    tuesday, thursday = day_of(week) + DAY, day_of(week) + 3 * DAY
    (a,) = [w for w in week["workouts"] if day_of(w) == tuesday]
    (b,) = [w for w in week["workouts"] if day_of(w) == thursday]
    plain = run("workout", "move", str(a["id"]), thursday.isoformat())
    assert plain.exit_code == 1 and "already holds" in plain.stderr and "--swap" in plain.stderr
    result = run("workout", "move", str(a["id"]), thursday.isoformat(), "--swap")
    assert result.exit_code == 0, result.stderr
    after = show()
    assert day_of(workout(after, a["id"])) == thursday
    assert day_of(workout(after, b["id"])) == tuesday
    assert changes()[-1]["action"] == "swap"


def test_a_key_workout_into_a_recovery_week_is_a_conflict(plan: dict[str, Any]) -> None:
    key = keys(loading_weeks(plan)[0])[0]
    recovery = next(w for w in weeks(plan) if w["is_recovery"])
    tuesday = day_of(recovery) + DAY
    result = run("workout", "move", str(key["id"]), tuesday.isoformat())
    assert result.exit_code == 1
    assert "recovery week" in result.stderr


def test_key_days_side_by_side_are_a_conflict(plan: dict[str, Any]) -> None:
    first, second = keys(loading_weeks(plan)[1])[:2]
    beside = day_of(second) - DAY
    if beside == day_of(first):
        beside = day_of(second) + DAY
    result = run("workout", "move", str(first["id"]), beside.isoformat())
    assert result.exit_code == 1
    assert "side by side" in result.stderr


def test_the_past_and_the_event_day_cannot_be_forced(plan: dict[str, Any]) -> None:
    key = keys(loading_weeks(plan)[0])[0]
    past = run("workout", "move", str(key["id"]), "2026-11-20", "--force")
    assert past.exit_code == 1 and "in the past" in past.stderr
    event = run("workout", "move", str(key["id"]), plan["goal"]["date"], "--force")
    assert event.exit_code == 1
    assert "no answer resolves this" in event.stderr


def test_moving_an_unknown_or_ridden_workout_is_refused(plan: dict[str, Any]) -> None:
    unknown = run("workout", "move", "9999", "2026-12-10")
    assert unknown.exit_code == 1 and "no workout 9999" in unknown.stderr
    bad_date = run("workout", "move", "1", "next-week")
    assert bad_date.exit_code == 1 and "not a date" in bad_date.stderr


def test_skip_records_the_reason_for_the_next_audit(plan: dict[str, Any]) -> None:
    key = keys(loading_weeks(plan)[0])[0]
    result = run("workout", "skip", str(key["id"]), "--reason", "TRAVEL")
    assert result.exit_code == 0, result.stderr
    assert "travel" in result.stdout and "next audit" in result.stderr
    assert workout(show(), key["id"])["status"] == "skipped"
    (change,) = changes()
    assert (change["trigger"], change["action"]) == ("user-skip", "skip")
    again = run("workout", "skip", str(key["id"]), "--reason", "travel")
    assert again.exit_code == 1 and "already" in again.stderr


def test_skip_needs_a_known_reason(plan: dict[str, Any]) -> None:
    key = keys(loading_weeks(plan)[0])[0]
    result = run("workout", "skip", str(key["id"]), "--reason", "lazy")
    assert result.exit_code == 1
    assert "busy|travel" in result.stderr
    missing = run("workout", "skip", str(key["id"]))
    assert missing.exit_code == 2, "a missing option is Typer's usage error"


def test_sick_records_wellness_days_and_refuses_a_backwards_span(plan: dict[str, Any]) -> None:
    result = run("sick", "--from", "2026-12-01", "--to", "2026-12-03", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["days"] == ["2026-12-01", "2026-12-02", "2026-12-03"]
    listed = json.loads(run("wellness", "list", "--json").stdout)
    assert [row["date"] for row in listed if row["sick"]] == [
        "2026-12-01",
        "2026-12-02",
        "2026-12-03",
    ]
    backwards = run("sick", "--from", "2026-12-05", "--to", "2026-12-01")
    assert backwards.exit_code == 1 and "before --from" in backwards.stderr


def test_a_new_availability_grid_re_places_the_future_workouts(
    plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete
    from wattz.services.negotiation import replace_for_availability

    before = show()
    today = day_of(loading_weeks(plan)[0]) - DAY
    assert run("availability", "set", "sat=60", "sun=240").exit_code == 0
    replaced = [c for c in changes() if c["trigger"] == "availability"]
    if not replaced:  # until ``availability set`` makes the call itself
        with session_scope() as session:
            view = replace_for_availability(session, resolve_athlete(session, None), today)
        assert view is not None
        replaced = [c for c in changes() if c["trigger"] == "availability"]
    (change,) = replaced
    after = show()
    for item in workouts(after):
        if day_of(item) > today and item["status"] in ("pending", "moved"):
            if day_of(item).weekday() == 5:
                assert item["duration_s"] <= 60 * 60, "Saturdays now have an hour"
    past = [w for w in workouts(before) if day_of(w) <= today]
    assert [w for w in workouts(after) if day_of(w) <= today] == past
    assert run("changes", "undo", str(change["id"])).exit_code == 0
    assert show() == before, "undo puts the workouts back (the grid stays as set)"

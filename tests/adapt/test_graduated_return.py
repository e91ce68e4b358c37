"""The graduated return after illness (DESIGN.md, issue 7) as a property of the plan:
which days it takes (``PlanState.recovery``), what the deload puts on them, and that no
later rule or re-projection puts anything else there."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from tests.adapt.plans_for_rules import DAY, season_plan
from tests.adapt.test_rules import loading_weeks, run
from wattz.adapt import invariants
from wattz.adapt.adjust import easy_ride
from wattz.adapt.deload import recovery_days, return_minutes, with_recovery
from wattz.adapt.negotiation import is_legal_slot
from wattz.adapt.plan_state import PlanState, WellnessDay, WorkoutState
from wattz.adapt.replan import reproject
from wattz.plan.domain import Role, Status

RETURN = {invariants.Rule.GRADUATED_RETURN}


def spell(first: dt.date, days: int) -> list[dt.date]:
    return [first + k * DAY for k in range(days)]


def week_starts(plan: PlanState) -> list[dt.date]:
    """Mondays of the plan's first few BASE loading weeks."""
    return [plan.weeks[i].start for i in loading_weeks(plan)]


def test_a_return_is_a_rest_day_a_spin_then_rides_growing_fifteen_minutes_a_day() -> None:
    assert [return_minutes(day) for day in range(1, 8)] == [0, 45, 60, 75, 90, 90, 90]
    sick = spell(dt.date(2027, 1, 4), 5)
    days = recovery_days([sick])
    assert [days[d] for d in sick] == [0] * 5, "no riding while unwell"
    after = [days.get(sick[-1] + k * DAY) for k in range(1, 7)]
    assert after == [0, 45, 60, 75, 90, None], "max(3, days sick) days of return"


def test_where_spells_overlap_the_stricter_day_wins() -> None:
    first = spell(dt.date(2027, 1, 4), 1)
    second = spell(dt.date(2027, 1, 7), 1)  # unwell again on the first return's day 3
    days = recovery_days([first, second])
    assert days[dt.date(2027, 1, 7)] == 0
    assert days[dt.date(2027, 1, 8)] == 0, "the second spell's rest day"


def test_a_long_easy_ride_on_a_return_day_is_shortened_not_kept() -> None:
    """A two-hour recovery spin carries less TSS than a 75-minute easy ride, but four
    days after being unwell it is twice as long as the return allows."""
    plan = season_plan()
    monday = week_starts(plan)[1]
    sick = spell(monday - 2 * DAY, 4)  # Saturday to Tuesday
    saturday = next(w for w in plan.workouts if w.date == monday + 5 * DAY)
    long_spin = easy_ride(saturday, 120, Role.RECOVERY, 120, "Easy weekend")
    assert long_spin is not None and long_spin.duration_s == 120 * 60
    plan = plan.with_items([long_spin])
    outcome = run(plan, sick[-1] + DAY, wellness=tuple(WellnessDay(d, sick=True) for d in sick))
    ride = outcome.plan.workout(saturday.id)
    assert ride.is_live and ride.duration_s <= return_minutes(4) * 60
    assert invariants.check(outcome.plan, sick[-1] + DAY, rules=RETURN) == []


def test_re_projection_places_nothing_on_the_days_of_a_return_and_keeps_its_rides() -> None:
    plan = season_plan()
    monday = week_starts(plan)[2]
    sick = spell(monday - 3 * DAY, 3)  # Friday to Sunday: Monday rests, Tuesday spins
    tuesday = next(w for w in plan.workouts if w.date == monday + DAY)
    spin = easy_ride(tuesday, 60, Role.RECOVERY, 45, "Back from being unwell")
    assert spin is not None
    returning = with_recovery(plan.with_items([spin]), [sick])
    days = [monday + k * DAY for k in range(3)]
    assert all(returning.is_recovering(day) for day in days)
    before = [w for w in returning.workouts if w.date in days]
    projection = reproject(returning, monday, fresh_weeks={monday}, today=monday - DAY)
    placed = returning.with_items(
        projection.workouts, projection.weeks, removed_workouts=projection.removed_workouts
    )
    assert [w for w in placed.workouts if w.date in days] == before, "held as they were"
    assert invariants.check(placed, monday, rules=RETURN) == []
    unaware = reproject(plan.with_items([spin]), monday, fresh_weeks={monday}, today=monday - DAY)
    assert any(w.date == spin.date and w.is_key for w in unaware.workouts), (
        "a plan that does not know of the return puts the week's first key day there"
    )


def test_the_audit_moves_no_workout_onto_a_day_of_the_return() -> None:
    plan = season_plan()
    monday = week_starts(plan)[1]
    key = next(w for w in plan.workouts if w.date == monday + DAY and w.is_key)
    wednesday = monday + 2 * DAY
    assert is_legal_slot(plan, key, wednesday, monday, keep_light=True)
    returning = with_recovery(plan, [spell(monday + DAY, 1)])
    assert returning.recovery[wednesday] == 0
    assert not is_legal_slot(returning, key, wednesday, monday, keep_light=True)


def _on(plan: PlanState, day: dt.date) -> WorkoutState:
    return next(w for w in plan.workouts if w.date == day and w.is_live)


def test_the_invariant_finds_work_the_return_does_not_allow() -> None:
    plan = season_plan()
    monday = week_starts(plan)[1]
    sick = spell(monday + DAY, 4)  # Tuesday to Friday: Saturday to Tuesday return
    saturday = monday + 5 * DAY
    returning = with_recovery(plan, [sick])
    long_ride, sunday, key = (_on(plan, saturday + k * DAY) for k in (0, 1, 3))
    assert long_ride.duration_s > 0 and sunday.duration_s > 45 * 60 and key.is_key
    findings = invariants.check(returning, saturday, rules=RETURN)
    assert [f.date for f in findings] == [long_ride.date, sunday.date, key.date], (
        "a ride on the rest day, one longer than the spin, key work"
    )
    forced = returning.with_items([replace(w, forced=True) for w in (long_ride, sunday, key)])
    assert invariants.check(forced, saturday, rules=RETURN) == [], "the athlete's choice"
    ridden = returning.with_items([replace(long_ride, status=Status.COMPLETED)])
    assert len(invariants.check(ridden, saturday, rules=RETURN)) == 2, "only what is to come"

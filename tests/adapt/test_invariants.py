"""The event-day rule of ``wattz.adapt.invariants`` on a lived plan: which peak it
measures against, and the one case a sickness settles before the plan has a say."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.adapt.plans_for_rules import DAY, SIX_HOURS, TEN_HOURS, season_plan
from wattz.adapt import invariants
from wattz.adapt.deload import return_end
from wattz.adapt.plan_state import PlanState
from wattz.plan.domain import Event, Priority, Status

EVENT_DAY = {invariants.Rule.EVENT_DAY}


def sick(plan: PlanState, first: dt.date, last: dt.date) -> PlanState:
    """The plan with every workout from ``first`` to ``last`` cancelled (a sick spell)."""
    cancelled = [
        replace(w, status=Status.CANCELLED) for w in plan.workouts if first <= w.date <= last
    ]
    return plan.with_items(cancelled)


def test_a_fresh_plan_keeps_event_day_form_against_its_season_peak() -> None:
    plan = season_plan(grid=TEN_HOURS, start_ctl=50.0)
    assert invariants.check(plan, plan.start, rules=EVENT_DAY) == []
    loads = invariants.fitness(plan)
    eve = loads[plan.target.date - DAY].ctl
    assert eve >= 0.9 * invariants.peak_ctl(plan, plan.start, loads)


def test_fitness_lost_before_today_is_not_the_peak_the_taper_is_held_to() -> None:
    plan = season_plan(grid=TEN_HOURS, start_ctl=50.0)
    event = plan.target.date
    taper = invariants.taper_start(plan)
    lived = sick(plan, taper, taper + 4 * DAY)
    loads = invariants.fitness(lived)
    today = taper + 5 * DAY
    assert invariants.peak_ctl(lived, today, loads) == max(
        loads[d].ctl for d in loads if today - DAY <= d < event
    )
    assert invariants.peak_ctl(lived, today, loads) < loads[taper - DAY].ctl


def test_sick_until_the_day_before_the_event_settles_event_day_form() -> None:
    """Ten-hour athlete, sick for the event's last six days: ATL collapses and TSB
    overshoots +25, but every day left is a return-to-riding day — loading a
    just-recovered athlete to pull TSB down would trade health for a number."""
    plan = season_plan(grid=TEN_HOURS, start_ctl=50.0)
    event = plan.target.date
    spell = [event - n * DAY for n in range(7, 1, -1)]
    lived = sick(plan, spell[0], event - DAY)
    today = event - DAY
    findings = invariants.check(lived, today, rules=EVENT_DAY)
    assert [f.message for f in findings if "TSB" in f.message], "TSB overshoots +25"
    recovering = return_end(spell)
    assert recovering >= event - DAY
    assert invariants.form_is_settled(lived, today, recovering)
    assert invariants.check(lived, today, rules=EVENT_DAY, recovering_until=recovering) == []


def test_with_one_free_day_before_the_event_the_rule_applies_again() -> None:
    plan = season_plan(grid=TEN_HOURS, start_ctl=50.0)
    event = plan.target.date
    lived = sick(plan, event - 7 * DAY, event - DAY)
    today = event - DAY
    assert not invariants.form_is_settled(lived, today, event - 2 * DAY)
    assert invariants.check(lived, today, rules=EVENT_DAY, recovering_until=event - 2 * DAY)


RACES = (
    Event("Omloop", dt.date(2027, 1, 23), Priority.B),
    Event("Kermesse", dt.date(2027, 2, 13), Priority.C),
)


@pytest.mark.parametrize("grid", [SIX_HOURS, TEN_HOURS], ids=["6h", "10h"])
def test_the_audit_sees_b_and_c_races_as_the_load_the_engine_planned(
    grid: tuple[int, ...],
) -> None:
    """A race is load on its day in the audit's projection too, and a week shaped around a
    race (race + openers) is not judged as a recovery share: a fresh plan holding races
    breaks none of the rules the nightly audit checks, so it re-projects nothing."""
    raced = season_plan(grid=grid, start_ctl=50.0, other_events=RACES)
    for race in RACES:
        assert raced.daily_tss()[race.date] == race.expected_tss
        assert not raced.live_on(race.date)
    assert invariants.check(raced, raced.start) == []

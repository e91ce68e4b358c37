"""The adaptation rules (blueprint §6.2, DESIGN.md), specified on a real 16-week season.

Each test sets up what happened — a skip and its reason, a failed or easy ride, a sick
spell, an unplanned race — runs one audit (``wattz.adapt.rules.audit``) and reads what
it proposes. Dates and workouts are found in the season rather than hard-coded, so the
tests say what the rule does whatever the plans engine places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.adapt.plans_for_rules import DAY, season_plan, with_status
from wattz.adapt import invariants
from wattz.adapt.plan_state import PlanState, RideState, WellnessDay, WorkoutState
from wattz.adapt.proposal import Action, Trigger
from wattz.adapt.rules import AuditInput, AuditOutcome, History, audit, is_hard
from wattz.plan.domain import BlockType, DaySlot, Reason, Role, Status


def loading_weeks(plan: PlanState, block_type: BlockType = BlockType.BASE) -> list[int]:
    return [
        index
        for index, week in enumerate(plan.weeks)
        if plan.block_of_week(week).type is block_type
        and not week.is_recovery
        and not week.is_taper
    ]


def keys_of(plan: PlanState, week_index: int) -> list[WorkoutState]:
    return [w for w in plan.workouts_of(plan.weeks[week_index]) if w.is_key]


def first_key(plan: PlanState) -> WorkoutState:
    return keys_of(plan, loading_weeks(plan)[0])[0]


def run(
    plan: PlanState,
    today: dt.date,
    *,
    since: dt.date | None = None,
    rides: tuple[RideState, ...] = (),
    wellness: tuple[WellnessDay, ...] = (),
    history: History | None = None,
    baseline: float | None = None,
) -> AuditOutcome:
    """One audit as the service runs it, with everything before ``since`` audited."""
    since = since or today - DAY
    done = [
        replace(w, status=Status.COMPLETED, audited=True)
        for w in plan.workouts
        if w.date < since and w.status is Status.PENDING
    ]
    plan = plan.with_items(done)
    return audit(AuditInput(plan, today, since, rides, wellness, baseline, history or History()))


def only(outcome: AuditOutcome, action: Action) -> list:  # type: ignore[type-arg]
    return [c for c in outcome.changes if c.action is action]


def ride_for(workout: WorkoutState, ride_id: int = 1, **fields: object) -> RideState:
    values: dict[str, object] = {
        "id": ride_id,
        "date": workout.date,
        "duration_s": workout.duration_s,
        "tss": workout.tss,
        "intensity_factor": workout.intensity_factor,
        "planned_workout_id": workout.id,
        "compliance": 0.95,
        "duration_ratio": 1.0,
    }
    values.update(fields)
    return RideState(**values)  # type: ignore[arg-type]


# --- skipped key workouts ------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [Reason.BUSY, Reason.TRAVEL, Reason.NO_TIME, None])
def test_a_key_workout_skipped_for_lack_of_time_moves_keeping_its_title(
    reason: Reason | None,
) -> None:
    plan = season_plan()
    key = first_key(plan)
    plan = with_status(plan, key.id, Status.SKIPPED, skip_reason=reason)
    outcome = run(plan, key.date + DAY)
    (move,) = [c for c in outcome.changes if c.trigger is Trigger.SKIPPED]
    assert move.action is Action.MOVE
    moved = next(w for w in move.workouts if w.id < 0)
    assert moved.title == key.title and moved.awp == key.awp
    assert moved.status is Status.MOVED
    assert key.date < moved.date <= key.date + 7 * DAY
    after = outcome.plan
    assert after.workout(key.id).status is Status.SKIPPED, "the miss stays on record"
    assert not invariants.check(after, key.date + DAY, rules={invariants.Rule.KEY_DAYS})
    assert not after.week_of(moved.date).is_recovery  # type: ignore[union-attr]


def test_a_key_workout_missed_with_no_ride_and_no_answer_is_moved_by_the_audit() -> None:
    plan = season_plan()
    key = first_key(plan)
    outcome = run(plan, key.date + DAY)
    classify = only(outcome, Action.CLASSIFY)[0]
    assert any(w.id == key.id and w.status is Status.SKIPPED for w in classify.workouts)
    assert only(outcome, Action.MOVE), "a key workout missed with no answer moves"
    assert key.id in outcome.audited


def test_support_rides_on_the_new_day_are_pushed_aside_or_dropped() -> None:
    plan = season_plan()
    key = first_key(plan)
    plan = with_status(plan, key.id, Status.SKIPPED, skip_reason=Reason.BUSY)
    outcome = run(plan, key.date + DAY)
    move = only(outcome, Action.MOVE)[0]
    moved = next(w for w in move.workouts if w.id < 0)
    displaced = [w for w in move.workouts if w.id > 0 and w.id != key.id]
    assert all(w.role is not Role.KEY for w in displaced)
    assert all(w.date != moved.date or not w.is_live for w in displaced)
    assert len(outcome.plan.live_on(moved.date)) == 1


def test_a_missed_key_workout_never_lands_next_to_another_key_day_or_in_a_recovery_week() -> None:
    plan = season_plan()
    for index in loading_weeks(plan) + loading_weeks(plan, BlockType.BUILD):
        for key in keys_of(plan, index):
            skipped = with_status(plan, key.id, Status.SKIPPED, skip_reason=Reason.BUSY)
            outcome = run(skipped, key.date + DAY)
            for change in outcome.changes:
                for workout in change.workouts:
                    if workout.id < 0:
                        week = outcome.plan.week_of(workout.date)
                        assert week is not None and not week.is_recovery and not week.is_taper
            assert not invariants.check(
                outcome.plan, key.date + DAY, rules={invariants.Rule.KEY_DAYS}
            )


def test_with_no_legal_slot_it_replaces_the_next_key_workout_of_lower_priority() -> None:
    plan = season_plan()
    index = loading_weeks(plan)[1]
    first, second = keys_of(plan, index)[:2]
    # Only the second key's day has time within the week: the first has nowhere else.
    overrides = {
        first.date + k * DAY: DaySlot(0) for k in range(1, 8) if first.date + k * DAY != second.date
    }
    grid = replace(plan.availability, overrides=overrides)
    lower = replace(second, tss=first.tss - 5)
    plan = replace(plan, availability=grid).with_items([lower])
    plan = with_status(plan, first.id, Status.SKIPPED, skip_reason=Reason.TRAVEL)
    outcome = run(plan, first.date + DAY)
    (change,) = [c for c in outcome.changes if c.trigger is Trigger.SKIPPED]
    if change.action is Action.REPLACE:
        dropped = next(w for w in change.workouts if w.id == second.id)
        assert dropped.status is Status.CANCELLED
        assert "dropped" in change.reason
    else:
        assert change.action is Action.DROP, "a key of equal or higher priority is kept"


def test_with_no_legal_slot_and_nothing_of_lower_priority_the_miss_is_dropped_and_logged() -> None:
    plan = season_plan()
    key = first_key(plan)
    grid = replace(
        plan.availability, overrides={key.date + k * DAY: DaySlot(0) for k in range(1, 8)}
    )
    plan = replace(plan, availability=grid)
    plan = with_status(plan, key.id, Status.SKIPPED, skip_reason=Reason.BUSY)
    outcome = run(plan, key.date + DAY)
    (drop,) = [c for c in outcome.changes if c.trigger is Trigger.SKIPPED]
    assert drop.action is Action.DROP
    assert "no legal slot" in drop.reason


def test_only_misses_of_the_last_two_days_are_moved() -> None:
    plan = season_plan()
    key = first_key(plan)
    late = run(plan, key.date + 3 * DAY, since=key.date - DAY)
    assert not only(late, Action.MOVE)
    assert any("not moved" in note for note in late.notes)
    assert late.plan.workout(key.id).status is Status.SKIPPED, "still classified"


def test_a_missed_support_ride_changes_nothing_but_the_weeks_target() -> None:
    plan = season_plan()
    support = next(w for w in plan.workouts_of(plan.weeks[1]) if w.role is Role.SUPPORT)
    outcome = run(plan, support.date + DAY, since=support.date)
    assert [c.action for c in outcome.changes if c.action is not Action.REPROJECT] == [
        Action.CLASSIFY
    ]
    assert outcome.plan.workout(support.id).status is Status.SKIPPED


# --- failed and easy workouts --------------------------------------------------------------------


@pytest.mark.parametrize(("reason", "percent"), [(Reason.TOO_HARD, 10), (Reason.FATIGUE, 5)])
def test_a_failed_workout_regresses_the_next_similar_one(reason: Reason, percent: int) -> None:
    plan = season_plan()
    key = first_key(plan)
    ride = ride_for(key, compliance=0.3, duration_ratio=0.7, reason=reason)
    outcome = run(plan, key.date + DAY, since=key.date, rides=(ride,))
    (regress,) = only(outcome, Action.REGRESS)
    (easier,) = [w for w in regress.workouts if w.id != key.id and w.is_key]
    before = plan.workout(easier.id)
    assert easier.date > key.date
    assert easier.intensity_factor < before.intensity_factor
    assert easier.level == max(1, (before.level or 1) - 1)
    assert f"{percent:g} %" in regress.reason


def test_a_failed_workout_for_lack_of_time_changes_nothing() -> None:
    plan = season_plan()
    key = first_key(plan)
    ride = ride_for(key, compliance=0.3, duration_ratio=0.5, reason=Reason.NO_TIME)
    outcome = run(plan, key.date + DAY, since=key.date, rides=(ride,))
    assert not only(outcome, Action.REGRESS)
    assert outcome.plan.workout(key.id).status is Status.FAILED


def test_an_easy_key_workout_progresses_the_next_key_workout_once_a_week() -> None:
    plan = season_plan()
    index = loading_weeks(plan)[1]
    first, second = keys_of(plan, index)[:2]
    ride = ride_for(first, rpe=3, compliance=0.95)
    outcome = run(plan, first.date + DAY, since=first.date, rides=(ride,))
    (progress,) = only(outcome, Action.PROGRESS)
    harder = progress.workouts[0]
    assert harder.id == second.id
    assert (harder.level or 0) == (second.level or 0) + 1 or harder.tss > second.tss
    history = History(progress_days=(first.date + DAY,))
    ride2 = ride_for(second, ride_id=2, rpe=2, compliance=0.96)
    again = run(outcome.plan, second.date + DAY, since=second.date, rides=(ride2,), history=history)
    assert not only(again, Action.PROGRESS), "at most one level a week"


def test_a_ride_that_felt_easy_but_missed_the_targets_is_not_progress() -> None:
    plan = season_plan()
    key = first_key(plan)
    ride = ride_for(key, rpe=3, compliance=0.85)
    outcome = run(plan, key.date + DAY, since=key.date, rides=(ride,))
    assert not only(outcome, Action.PROGRESS)


# --- sick -----------------------------------------------------------------------------------------


def test_sickness_deloads_then_returns_gradually_and_keeps_the_event_and_taper() -> None:
    plan = season_plan()
    index = loading_weeks(plan)[1]
    week = plan.weeks[index]
    sick = (week.start, week.start + DAY)
    today = week.start
    outcome = run(plan, today, wellness=tuple(WellnessDay(d, sick=True) for d in sick))
    (deload,) = only(outcome, Action.DELOAD)
    assert deload.trigger is Trigger.SICK
    after = outcome.plan
    for workout in after.workouts:
        if workout.date in sick:
            assert not workout.is_live, "nothing is ridden while sick"
    easy_days = [sick[-1] + k * DAY for k in range(1, 4)]
    for workout in after.workouts:
        if workout.date in easy_days and workout.is_live:
            assert workout.role is not Role.KEY and workout.primary_zone <= 2
    taper = [(w.start, w.is_taper, w.tss_target > 0) for w in plan.weeks if w.is_taper]
    assert [(w.start, w.is_taper, True) for w in after.weeks if w.is_taper] == taper
    assert after.target == plan.target
    assert deload.cause["sick_days"] == [d.isoformat() for d in sick]
    assert not invariants.check(
        after,
        today,
        rules={invariants.Rule.WEEK_TSS, invariants.Rule.RHYTHM, invariants.Rule.BLOCK_ORDER},
    )


def test_a_sick_week_that_lost_its_load_becomes_the_blocks_recovery_week() -> None:
    plan = season_plan()
    index = next(i for i in loading_weeks(plan) if not plan.weeks[i - 1].is_recovery)
    week = plan.weeks[index]
    sick = tuple(week.start + k * DAY for k in range(3))  # Monday to Wednesday
    outcome = run(plan, week.start, wellness=tuple(WellnessDay(d, sick=True) for d in sick))
    (deload,) = only(outcome, Action.DELOAD)
    after = outcome.plan
    assert after.week(week.id).is_recovery
    assert "recovery week" in deload.reason
    assert deload.blocks, "the blocks are regrouped around the new recovery week"
    assert not invariants.check(
        after, week.start, rules={invariants.Rule.RHYTHM, invariants.Rule.BLOCK_ORDER}
    )
    assert [w.start for w in after.weeks if w.is_taper] == [
        w.start for w in plan.weeks if w.is_taper
    ], "the taper never moves"


def test_a_spell_already_acted_on_is_not_deloaded_again() -> None:
    plan = season_plan()
    week = plan.weeks[loading_weeks(plan)[1]]
    sick = (WellnessDay(week.start, sick=True),)
    history = History(sick_days=frozenset({week.start}))
    outcome = run(plan, week.start, wellness=sick, history=history)
    assert not only(outcome, Action.DELOAD)


def test_a_workout_skipped_as_sick_deloads_instead_of_moving() -> None:
    plan = season_plan()
    key = first_key(plan)
    plan = with_status(plan, key.id, Status.SKIPPED, skip_reason=Reason.SICK)
    outcome = run(plan, key.date + DAY)
    assert only(outcome, Action.DELOAD)
    assert not only(outcome, Action.MOVE)


# --- HRV and unplanned rides ----------------------------------------------------------------------


def test_an_hrv_red_flag_turns_the_next_key_workout_into_a_recovery_ride() -> None:
    plan = season_plan()
    key = keys_of(plan, loading_weeks(plan)[2])[0]
    today = key.date - DAY
    normal = [WellnessDay(today - k * DAY, hrv_ms=70.0) for k in range(10, 75)]
    low = [WellnessDay(today - k * DAY, hrv_ms=40.0) for k in range(10)]
    outcome = run(plan, today, wellness=tuple(normal + low))
    (flag,) = only(outcome, Action.RECOVERY)
    assert flag.trigger is Trigger.HRV
    (easy,) = flag.workouts
    assert easy.id == key.id and easy.role is Role.RECOVERY and easy.primary_zone <= 2


def test_an_unplanned_hard_ride_moves_or_eases_the_next_days_key_workout() -> None:
    plan = season_plan()
    key = keys_of(plan, loading_weeks(plan)[1])[0]
    race = RideState(99, key.date - DAY, 3 * 3600, 180.0, 0.82)
    assert is_hard(race)
    outcome = run(plan, key.date, since=key.date - DAY, rides=(race,))
    (change,) = [c for c in outcome.changes if c.trigger is Trigger.UNPLANNED_RIDE]
    assert change.action in (Action.MOVE, Action.EASE)
    changed = next(w for w in change.workouts if w.id == key.id)
    if change.action is Action.MOVE:
        assert changed.date > key.date
    else:
        assert changed.intensity_factor < key.intensity_factor
    assert change.cause == {"ride_id": 99}


def test_an_easy_unplanned_spin_changes_nothing() -> None:
    plan = season_plan()
    key = keys_of(plan, loading_weeks(plan)[1])[0]
    spin = RideState(98, key.date - DAY, 3600, 35.0, 0.6)
    outcome = run(plan, key.date, since=key.date - DAY, rides=(spin,))
    assert not [c for c in outcome.changes if c.trigger is Trigger.UNPLANNED_RIDE]


# --- the season stays in line ---------------------------------------------------------------------


def test_an_audit_run_again_on_its_own_result_proposes_nothing() -> None:
    plan = season_plan()
    key = first_key(plan)
    plan = with_status(plan, key.id, Status.SKIPPED, skip_reason=Reason.BUSY)
    first = run(plan, key.date + DAY)
    settled = first.plan.with_items(
        [replace(w, audited=True) for w in first.plan.workouts if w.id in first.audited]
    )
    second = audit(AuditInput(settled, key.date + DAY, key.date + DAY))
    assert second.changes == ()


def test_load_lost_before_a_recovery_week_re_projects_it_to_its_share() -> None:
    plan = season_plan()
    recovery = next(i for i, w in enumerate(plan.weeks) if w.is_recovery and i > 1)
    loading = plan.weeks[recovery - 1]
    keys = [w for w in plan.workouts_of(loading) if w.is_key]
    today = loading.end
    plan = plan.with_items(
        [replace(w, status=Status.SKIPPED, audited=True, skip_reason=Reason.FATIGUE) for w in keys]
    )
    outcome = run(plan, today)
    assert not invariants.check(
        outcome.plan, today, rules={invariants.Rule.RECOVERY_SHARE, invariants.Rule.WEEK_TSS}
    )


def test_a_remembered_out_of_reach_result_belongs_to_its_plan_alone() -> None:
    """Two plans alike but for a week of days off must not share the memo's answer: one
    audit's 'out of reach' once leaked into another plan's night in the same process."""
    from wattz.adapt.rules import _fingerprint

    plan = season_plan()
    night = first_key(plan).date + DAY
    days_off = replace(plan.availability, overrides={night + k * DAY: DaySlot(0) for k in range(7)})
    assert _fingerprint(plan, night) == _fingerprint(season_plan(), night)
    assert _fingerprint(plan, night) != _fingerprint(replace(plan, availability=days_off), night)
    assert _fingerprint(plan, night) != _fingerprint(plan, night + DAY)

"""The adaptation rules: from the plan, the rides, wellness and today to proposed changes.

Blueprint §6.2's table is the floor (DESIGN.md, coaching rules):

- skipped + busy / travel / no time (or a key workout missed with no answer): move the
  key workout, title kept, to the next slot that fits within 7 days, pushing support
  rides aside; never two key days back to back, never into a recovery week; with no
  legal slot it replaces the next key workout of lower priority (dropped and logged),
  else it is dropped and logged;
- skipped + sick / injured, or ``wattz sick``: deload and re-plan the rest of the season
  (``wattz.adapt.deload``);
- failed + too hard / fatigue: regress the next similar workout 10 % / 5 %, a level lower;
- failed + no time: no change;
- completed + easy (RPE < 4, a key workout, compliance ≥ 90 %): progress the next key
  workout, at most one level a week;
- a missed support or recovery ride: no change;
- HRV red flag (``wattz.adapt.hrv``): the next key workout becomes a recovery ride;
- an unplanned hard ride (a race, a group ride): the key workout the day after moves, or
  eases.

Only misses of the last two days are moved; older unaudited days (a first audit, a
laptop off for a week) are classified, not moved. Each workout's outcome is acted on
once (``WorkoutState.audited``); sick spells, HRV flags and unplanned rides once per
cause (``History``), even when the athlete undid what the audit did about them.

The days of a sickness and of the graduated return after it (``PlanState.recovery``,
derived from the unwell days each night) belong to the return: no rule moves, pushes,
progresses or places work onto them, and no re-projection refits their rides.

Load that leaves the plan rewrites the week's TSS target; when the weeks to come then
break the plans issue's rules (the ramp, a recovery week's share, event-day form), the
rest of the season is re-projected (``wattz.adapt.replan``). Pure: today is a parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from wattz.adapt import invariants
from wattz.adapt.adjust import (
    REGRESS_FATIGUE_PERCENT,
    REGRESS_TOO_HARD_PERCENT,
    eased,
    easy_ride,
    progressed,
    regressed,
)
from wattz.adapt.compliance import Band, band_of
from wattz.adapt.deload import deload, return_end, spells, unwell_weeks, with_recovery
from wattz.adapt.hrv import red_flags
from wattz.adapt.negotiation import is_legal_slot
from wattz.adapt.plan_state import (
    DAY,
    PlanState,
    RideState,
    WeekState,
    WellnessDay,
    WorkoutState,
    days,
)
from wattz.adapt.proposal import Action, ProposedChange, Trigger
from wattz.adapt.replan import (
    fit_ride,
    is_flexible,
    reproject,
    retargeted,
    tuned_taper,
)
from wattz.errors import WattzError
from wattz.plan import library
from wattz.plan.domain import Reason, Role, Status

MOVE_WINDOW_DAYS = 2
"""Only misses of the last two days are moved (DESIGN.md)."""
MOVE_HORIZON_DAYS = 7
"""A missed key workout moves to a slot within 7 days of its date."""
LOOKAHEAD_DAYS = 21
"""The "next similar" or "next key" workout is looked for this far ahead: three weeks
reach past a recovery week to the same session in the next loading week."""
EASY_RPE = 4
"""Completed with RPE < 4 is easy (blueprint §6.2)."""
EASY_COMPLIANCE = 0.90
PROGRESS_EVERY_DAYS = 7
"""At most one level a week (DESIGN.md)."""
UNPLANNED_HARD_TSS = 150.0
"""Coggan: a ride of TSS 150+ leaves residual fatigue the next day."""
UNPLANNED_RACE_IF = 0.85
UNPLANNED_RACE_MIN_TSS = 60.0
"""Or race-like intensity (IF ≥ 0.85) for long enough to matter."""
RIDDEN_SHARE_FOR_TIME = 0.8
"""A failed ride with no answer that still lasted 80 % of the plan failed on the
intervals, so the audit reads it as fatigue; shorter, as running out of time."""
MISS_EPSILON = 1e-3
MAX_REPROJECTIONS = 8
"""A re-projection has to bring the plan measurably closer to its rules to be kept."""
JIT_DAYS = 7
"""An empty week is filled about a week before it starts (DESIGN.md, generation)."""
MOVE_REASONS = frozenset(
    {None, Reason.BUSY, Reason.TRAVEL, Reason.NO_TIME, Reason.EQUIPMENT, Reason.OK, Reason.EASY}
)
TIRED_REASONS = frozenset({Reason.TOO_HARD, Reason.FATIGUE})
UNWELL_REASONS = frozenset({Reason.SICK, Reason.INJURED})
MAX_REASON_CHARS = 1000


@dataclass(frozen=True)
class History:
    """What earlier audits acted on, read from the change log (undone changes too: an
    athlete who undid a deload does not want it back the next night)."""

    sick_days: frozenset[dt.date] = frozenset()
    hrv_days: frozenset[dt.date] = frozenset()
    ride_ids: frozenset[int] = frozenset()
    progress_days: tuple[dt.date, ...] = ()
    """Plan days of progressions still in force."""


@dataclass(frozen=True)
class AuditInput:
    plan: PlanState
    today: dt.date
    since: dt.date
    """The first day not yet audited."""
    rides: Sequence[RideState] = ()
    """Rides from ``since`` (and any matched to the workouts being classified)."""
    wellness: Sequence[WellnessDay] = ()
    """Wellness of the last ~70 days (HRV needs 60 days of history)."""
    hrv_baseline_ms: float | None = None
    history: History = History()


@dataclass(frozen=True)
class AuditOutcome:
    plan: PlanState
    changes: tuple[ProposedChange, ...]
    audited: frozenset[int]
    """Workouts whose outcome the rules acted on (never again)."""
    notes: tuple[str, ...] = ()


@dataclass
class _Night:
    """The running state of one audit."""

    plan: PlanState
    today: dt.date
    changes: list[ProposedChange] = field(default_factory=list)
    audited: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def apply(self, change: ProposedChange | None) -> None:
        if change is None:
            return
        change = change.only_differences(self.plan)
        if change.is_empty:
            return
        self.plan = change.applied_to(self.plan)
        self.changes.append(change)


def audit(inputs: AuditInput) -> AuditOutcome:
    """Everything one nightly audit proposes, in the order it applies them."""
    night = _Night(inputs.plan, inputs.today)
    rides_by_workout: dict[int, RideState] = {}
    for ride in inputs.rides:
        if ride.planned_workout_id is not None:
            rides_by_workout.setdefault(ride.planned_workout_id, ride)
    night.apply(_classify(night.plan, rides_by_workout, inputs.today))
    unwell = _unwell_days(night.plan, inputs)
    unwell_spells = spells(unwell)
    night.plan = with_recovery(night.plan, unwell_spells)
    for spell in unwell_spells:
        if set(spell) <= inputs.history.sick_days:
            continue
        if return_end(spell) < inputs.today:
            continue  # its easy days are over: nothing is left to deload
        extends = bool(set(spell) & inputs.history.sick_days)
        result = deload(night.plan, spell, inputs.today, extends=extends)
        if result is not None:
            night.apply(result.change)
    _outcomes(night, rides_by_workout, set(unwell), inputs.history)
    _hrv(night, inputs)
    _unplanned(night, inputs)
    recovering = max((return_end(spell) for spell in unwell_spells), default=None)
    _repair_projection(night, unwell_weeks(night.plan, unwell_spells), recovering)
    _fill(night)
    return AuditOutcome(
        night.plan, tuple(night.changes), frozenset(night.audited), tuple(night.notes)
    )


# --- classification --------------------------------------------------------------------------


def status_of(ride: RideState) -> Status:
    """A matched ride's status from its compliance colour (green, yellow, red)."""
    band = band_of(ride.compliance if ride.compliance is not None else 0.0)
    return {Band.GREEN: Status.COMPLETED, Band.YELLOW: Status.PARTIAL}.get(band, Status.FAILED)


def _classify(
    plan: PlanState, rides: dict[int, RideState], today: dt.date
) -> ProposedChange | None:
    changed: list[WorkoutState] = []
    lines: list[str] = []
    for workout in plan.workouts:
        if workout.date > today or not workout.is_open:
            continue
        ride = rides.get(workout.id)
        if ride is not None:
            status = status_of(ride)
            how = f"{status.value} ({(ride.compliance or 0):.0%})"
        elif workout.date < today:
            status, how = Status.SKIPPED, "skipped (no ride)"
        else:
            continue
        changed.append(replace(workout, status=status))
        lines.append(f"{_day(workout.date)} {workout.title}: {how}")
    if not changed:
        return None
    after = plan.with_items(changed)
    weeks = _retargets(after, {w.week_id for w in changed})
    reason = "; ".join(lines)
    if weeks:
        reason += "; " + _target_words(plan, weeks)
    return ProposedChange(Trigger.AUDIT, Action.CLASSIFY, _clip(reason), tuple(changed), weeks)


# --- sick spells ---------------------------------------------------------------------------------


def _unwell_days(plan: PlanState, inputs: AuditInput) -> list[dt.date]:
    unwell = {entry.date for entry in inputs.wellness if entry.unwell}
    unwell |= {
        w.date
        for w in plan.workouts
        if w.status is Status.SKIPPED and w.skip_reason in UNWELL_REASONS
    }
    unwell |= {
        ride.date
        for ride in inputs.rides
        if ride.reason in UNWELL_REASONS and ride.date <= inputs.today
    }
    return sorted(unwell)


# --- each workout's outcome ----------------------------------------------------------------------


def _outcomes(
    night: _Night, rides: dict[int, RideState], unwell: set[dt.date], history: History
) -> None:
    progress_days = list(history.progress_days)
    pending = [
        w
        for w in night.plan.workouts
        if not w.audited
        and (
            (
                w.date < night.today
                and w.status in (Status.SKIPPED, Status.FAILED, Status.COMPLETED, Status.PARTIAL)
            )
            or (w.status is Status.SKIPPED and w.skip_reason is not None)
        )
    ]
    for original in pending:
        workout = night.plan.workout(original.id)
        night.audited.add(workout.id)
        if workout.status is Status.SKIPPED:
            if workout.date in unwell or workout.skip_reason in UNWELL_REASONS:
                continue
            if workout.is_key and workout.skip_reason in MOVE_REASONS:
                if workout.date >= night.today - MOVE_WINDOW_DAYS * DAY:
                    night.apply(reschedule(night.plan, workout, night.today))
                else:
                    night.notes.append(
                        f"{_day(workout.date)} {workout.title}: missed more than "
                        f"{MOVE_WINDOW_DAYS} days ago — classified, not moved"
                    )
        elif workout.status is Status.FAILED:
            ride = rides.get(workout.id)
            percent = _regress_percent(ride)
            if percent is not None:
                night.apply(_regress(night.plan, workout, percent, night.today, ride))
        elif workout.status is Status.COMPLETED:
            ride = rides.get(workout.id)
            if workout.is_key and ride is not None and _easy(ride):
                recent = [d for d in progress_days if (night.today - d).days < PROGRESS_EVERY_DAYS]
                if recent:
                    night.notes.append(
                        f"{_day(workout.date)} {workout.title} was easy; a level was already "
                        f"added on {_day(recent[-1])} (at most one a week)"
                    )
                    continue
                change = _progress(night.plan, workout, night.today)
                if change is not None:
                    night.apply(change)
                    progress_days.append(night.today)


def _regress_percent(ride: RideState | None) -> float | None:
    if ride is None:
        return None
    if ride.reason is Reason.TOO_HARD:
        return REGRESS_TOO_HARD_PERCENT
    if ride.reason is Reason.FATIGUE:
        return REGRESS_FATIGUE_PERCENT
    if ride.reason is None and (ride.duration_ratio or 0.0) >= RIDDEN_SHARE_FOR_TIME:
        return REGRESS_FATIGUE_PERCENT
    return None


def _easy(ride: RideState) -> bool:
    compliant = ride.compliance is not None and ride.compliance >= EASY_COMPLIANCE
    felt_easy = (ride.rpe is not None and ride.rpe < EASY_RPE) or ride.reason is Reason.EASY
    return compliant and felt_easy


def _next_open(
    plan: PlanState, after: dt.date, today: dt.date, *, key: bool, like: WorkoutState | None = None
) -> WorkoutState | None:
    first = max(after + DAY, today)
    for workout in plan.live_between(first, after + LOOKAHEAD_DAYS * DAY):
        if not workout.is_open or workout.forced or plan.is_recovering(workout.date):
            continue
        if key and not workout.is_key:
            continue
        if like is not None and not _similar(like, workout):
            continue
        return workout
    return None


def _similar(a: WorkoutState, b: WorkoutState) -> bool:
    """Same role, and the same library focus (or primary zone without a library id)."""
    if a.role is not b.role:
        return False
    focus_a, focus_b = _focus(a), _focus(b)
    if focus_a is not None and focus_b is not None:
        return focus_a == focus_b
    return a.primary_zone == b.primary_zone


def _focus(workout: WorkoutState) -> str | None:
    if workout.library_id is None:
        return None
    try:
        return library.template(workout.library_id).focus.value
    except WattzError:
        return None


def _regress(
    plan: PlanState, failed: WorkoutState, percent: float, today: dt.date, ride: RideState | None
) -> ProposedChange | None:
    target = _next_open(plan, failed.date, today, key=False, like=failed)
    why = ride.reason.value if ride is not None and ride.reason is not None else "no answer"
    if target is None:
        return None
    easier = regressed(target, percent, f"Failed {failed.title} on {_day(failed.date)}")
    if easier is None:
        return None
    return _with_week_balance(
        plan,
        ProposedChange(
            Trigger.FAILED,
            Action.REGRESS,
            f"{failed.title} on {_day(failed.date)} failed ({why}): the next similar workout, "
            f"{target.title} on {_day(target.date)}, {percent:g} % easier and a level lower",
            (easier,),
            about=(failed.id,),
        ),
    )


def _progress(plan: PlanState, easy: WorkoutState, today: dt.date) -> ProposedChange | None:
    target = _next_open(plan, easy.date, today, key=True)
    if target is None:
        return None
    harder = progressed(target, f"{easy.title} on {_day(easy.date)} felt easy")
    if harder is None:
        return None
    slot_s = plan.availability.slot_on(target.date).minutes * 60
    if harder.duration_s > slot_s and not target.forced:
        return None
    return _with_week_balance(
        plan,
        ProposedChange(
            Trigger.EASY,
            Action.PROGRESS,
            f"{easy.title} on {_day(easy.date)} was easy: the next key workout, "
            f"{target.title} on {_day(target.date)}, goes up a level",
            (harder,),
            about=(easy.id,),
        ),
    )


# --- rescheduling a missed key workout ---------------------------------------------------------


def reschedule(plan: PlanState, missed: WorkoutState, today: dt.date) -> ProposedChange:
    """Move a missed key workout to the next legal slot within 7 days, pushing a support
    ride aside; else replace the next key workout of lower priority; else drop it."""
    first = max(today, missed.date + DAY)
    last = missed.date + MOVE_HORIZON_DAYS * DAY
    what = f"{missed.title} ({_day(missed.date)}, {_why(missed)})"
    copy = replace(
        missed,
        id=plan.next_temp_id(),
        status=Status.MOVED,
        skip_reason=None,
        audited=False,
    )
    for day in days(first, last):
        if not is_legal_slot(plan, missed, day, today, keep_light=True):
            continue
        week = plan.week_of(day)
        assert week is not None
        moved = replace(copy, date=day, week_id=week.id)
        pushed, note = _push_aside(plan, day, today)
        change = ProposedChange(
            Trigger.SKIPPED,
            Action.MOVE,
            f"missed {what}: moved to {_day(day)}, title kept{note}",
            (moved, *pushed),
            about=(missed.id,),
        )
        return _with_week_balance(plan, change)
    for day in days(first, last):
        rival = next((w for w in plan.live_on(day) if w.is_key and w.is_open), None)
        if rival is None or _priority(plan, rival) >= _priority(plan, missed):
            continue
        trial = plan.with_items([replace(rival, status=Status.CANCELLED)])
        if not is_legal_slot(trial, missed, day, today, keep_light=True):
            continue
        week = plan.week_of(day)
        assert week is not None
        moved = replace(copy, date=day, week_id=week.id)
        dropped = replace(rival, status=Status.CANCELLED)
        change = ProposedChange(
            Trigger.SKIPPED,
            Action.REPLACE,
            f"missed {what}: no free slot within {MOVE_HORIZON_DAYS} days, so it replaces "
            f"{rival.title} on {_day(day)}, which is dropped",
            (moved, dropped),
            about=(missed.id,),
        )
        return _with_week_balance(plan, change)
    return _with_week_balance(
        plan,
        ProposedChange(
            Trigger.SKIPPED,
            Action.DROP,
            f"missed {what}: no legal slot within {MOVE_HORIZON_DAYS} days and no key "
            "workout of lower priority to replace — dropped",
            (),
            about=(missed.id,),
        ),
        extra_weeks=(missed.week_id,),
    )


def _push_aside(
    plan: PlanState, day: dt.date, today: dt.date
) -> tuple[tuple[WorkoutState, ...], str]:
    """The day's open support or recovery rides, moved to a free day later in the week
    (one that fits them), else cancelled."""
    result: list[WorkoutState] = []
    words: list[str] = []
    week = plan.week_of(day)
    assert week is not None
    taken = {w.date for w in plan.workouts if w.is_live}
    for workout in plan.live_on(day):
        if not workout.is_open:
            continue
        target = next(
            (
                d
                for d in days(max(day + DAY, today), week.end)
                if d not in taken
                and not plan.is_recovering(d)
                and plan.availability.slot_on(d).minutes * 60 >= workout.duration_s
                and not any(e.date == d for e in plan.events)
            ),
            None,
        )
        if target is None:
            result.append(replace(workout, status=Status.CANCELLED))
            words.append(f"{workout.title} dropped")
        else:
            taken.add(target)
            result.append(replace(workout, date=target, status=Status.MOVED))
            words.append(f"{workout.title} pushed to {_day(target)}")
    return tuple(result), ("; " + ", ".join(words)) if words else ""


def _priority(plan: PlanState, workout: WorkoutState) -> tuple[int, float]:
    """Key workouts rank by whether they train the week's focus, then by TSS."""
    week = plan.week(workout.week_id)
    focus = _focus(workout)
    on_focus = int(focus is not None and week.focus is not None and focus == week.focus.value)
    return on_focus, workout.tss


def _why(workout: WorkoutState) -> str:
    return workout.skip_reason.value if workout.skip_reason is not None else "no answer"


# --- HRV and unplanned rides ----------------------------------------------------------------------


def _hrv(night: _Night, inputs: AuditInput) -> None:
    recent = max(inputs.since, inputs.today - MOVE_WINDOW_DAYS * DAY)
    flags = red_flags(inputs.wellness, recent, inputs.today, inputs.hrv_baseline_ms)
    fresh = [day for day in flags if day not in inputs.history.hrv_days]
    if not fresh:
        return
    flagged = fresh[0]
    plan = night.plan
    target = next(
        (
            w
            for w in plan.live_between(night.today, night.today + LOOKAHEAD_DAYS * DAY)
            if w.is_open and w.is_key
        ),
        None,
    )
    cause = {"hrv_days": [day.isoformat() for day in fresh]}
    if target is None:
        night.notes.append(f"HRV red flag on {_day(flagged)}: no key workout ahead to ease")
        return
    slot = plan.availability.slot_on(target.date).minutes
    easy = easy_ride(target, slot, Role.RECOVERY, 60, f"HRV red flag on {_day(flagged)}")
    if easy is None:
        easy = replace(target, status=Status.CANCELLED)
    change = ProposedChange(
        Trigger.HRV,
        Action.RECOVERY,
        f"HRV red flag on {_day(flagged)} (7-day ln rMSSD below the normal range three "
        f"mornings running): {target.title} on {_day(target.date)} becomes a recovery ride",
        (easy,),
        cause=cause,
    )
    night.apply(_with_week_balance(plan, change))


def is_hard(ride: RideState) -> bool:
    """A race or a hard group ride: TSS ≥ 150, or IF ≥ 0.85 for TSS ≥ 60."""
    tss = ride.tss or 0.0
    if tss >= UNPLANNED_HARD_TSS:
        return True
    return (ride.intensity_factor or 0.0) >= UNPLANNED_RACE_IF and tss >= UNPLANNED_RACE_MIN_TSS


def _unplanned(night: _Night, inputs: AuditInput) -> None:
    for ride in inputs.rides:
        if (
            ride.planned_workout_id is not None
            or ride.id in inputs.history.ride_ids
            or not inputs.since <= ride.date <= night.today
            or not is_hard(ride)
        ):
            continue
        plan = night.plan
        after = ride.date + DAY
        key = next((w for w in plan.live_on(after) if w.is_key and w.is_open), None)
        if key is None or after < night.today:
            continue
        what = f"an unplanned hard ride on {_day(ride.date)} (TSS {ride.tss or 0:.0f})"
        cause = {"ride_id": ride.id}
        change: ProposedChange | None = None
        for day in days(after + DAY, after + MOVE_HORIZON_DAYS * DAY):
            trial = plan.with_items([replace(key, date=day)])
            if is_legal_slot(trial, key, day, night.today, keep_light=True):
                week = plan.week_of(day)
                assert week is not None
                moved = replace(key, date=day, week_id=week.id, status=Status.MOVED)
                pushed, note = _push_aside(plan, day, night.today)
                change = ProposedChange(
                    Trigger.UNPLANNED_RIDE,
                    Action.MOVE,
                    f"after {what}, {key.title} moves from {_day(after)} to {_day(day)}{note}",
                    (moved, *pushed),
                    cause=cause,
                )
                break
        if change is None:
            easier = eased(key, f"After {what}")
            if easier is None:
                continue
            change = ProposedChange(
                Trigger.UNPLANNED_RIDE,
                Action.EASE,
                f"after {what}, {key.title} on {_day(after)} eases 10 % (no legal day to move "
                "it to)",
                (easier,),
                cause=cause,
            )
        night.apply(_with_week_balance(plan, change))


# --- keeping weeks and the season in line ------------------------------------------------------


def _with_week_balance(
    plan: PlanState, change: ProposedChange, extra_weeks: Iterable[int] = ()
) -> ProposedChange:
    """The change plus what keeps each touched week within ±10 % of its target: support
    rides trimmed when it added load, the target rewritten when it removed load."""
    after = change.applied_to(plan)
    touched = {w.week_id for w in change.workouts} | set(extra_weeks)
    for workout in change.workouts:
        if workout.id > 0:
            touched.add(plan.workout(workout.id).week_id)
    trims: list[WorkoutState] = []
    for week_id in sorted(touched):
        week = after.week(week_id)
        live = after.live_tss(week)
        if live > (1 + invariants.WEEK_TSS_TOLERANCE) * week.tss_target:
            trims += _trim(after, week, live - week.tss_target, {w.id for w in change.workouts})
    if trims:
        after = after.with_items(trims)
    weeks = _retargets(after, touched)
    reason = change.reason
    if weeks:
        reason += "; " + _target_words(plan, weeks)
    return replace(change, reason=_clip(reason), workouts=(*change.workouts, *trims), weeks=weeks)


def _trim(
    plan: PlanState, week: WeekState, excess: float, protected: set[int]
) -> list[WorkoutState]:
    flexible = [w for w in plan.workouts_of(week) if is_flexible(plan, w) and w.id not in protected]
    current = sum(w.tss for w in flexible)
    if not flexible or current <= 0:
        return []
    keep_share = max(0.0, (current - excess) / current)
    trimmed: list[WorkoutState] = []
    for workout in flexible:
        slot = plan.availability.slot_on(workout.date).minutes
        refit = fit_ride(workout, slot, workout.tss * keep_share)
        if refit != workout:
            trimmed.append(refit)
    return trimmed


def _retargets(plan: PlanState, week_ids: Iterable[int]) -> tuple[WeekState, ...]:
    result: list[WeekState] = []
    for week_id in sorted(set(week_ids)):
        week = plan.week(week_id)
        new = retargeted(plan, week)
        if new != week:
            result.append(new)
    return tuple(result)


def _repair_projection(
    night: _Night, sick_weeks: set[dt.date], recovering: dt.date | None = None
) -> None:
    """Re-project the season when the weeks ahead broke the ramp, a recovery week's
    share or event-day form: again and again while each pass brings the plan closer to
    its rules without breaking another, logged as one change. What is still missed
    after that is out of reach, and the audit says so. Because the last pass is one
    that found nothing better, the next audit on the same plan finds nothing either."""
    start = night.plan
    current = start
    findings = _projection_misses(current, night.today, sick_weeks, recovering)
    first = findings
    if not findings:
        return
    key = _fingerprint(start, night.today)
    if key in _OUT_OF_REACH:
        night.notes.append(_OUT_OF_REACH[key])
        return
    others = set(invariants.Rule) - invariants.PROJECTION_RULES
    broken = len(invariants.check(current, night.today, rules=others))
    for _ in range(MAX_REPROJECTIONS):
        candidate = _reprojected(current, night.today, sick_weeks, recovering)
        left = _projection_misses(candidate, night.today, sick_weeks, recovering)
        better = _closer(left, findings)
        if not better or len(invariants.check(candidate, night.today, rules=others)) > broken:
            break
        current, findings = candidate, left
        if not findings:
            break
    if findings:
        note = "out of reach with the days left: " + "; ".join(f.message for f in findings)
        _remember_out_of_reach(_fingerprint(current, night.today), note)
        night.notes.append(note)
    if current is start:
        return
    morning = invariants.fitness(current)[current.target.date]
    why = "; ".join(f.message for f in first[:3])
    reason = (
        f"the weeks ahead no longer kept the plan's rules ({why}): the rest of the season "
        f"is re-projected from {_day(night.today + DAY)} — event-day TSB {morning.tsb:+.0f}"
    )
    if findings:
        reason += "; out of reach now: " + "; ".join(f.message for f in findings)
    change = _difference(start, current, Trigger.LOAD, Action.REPROJECT, _clip(reason))
    night.apply(change)


def _closer(new: list[invariants.Finding], old: list[invariants.Finding]) -> bool:
    """Whether ``new`` is closer to the rules than ``old``: the ramp and the recovery
    share come first (they always can be kept), event-day form second (late in a
    season it may be out of reach)."""

    def score(findings: list[invariants.Finding]) -> tuple[float, float]:
        event = [f for f in findings if f.rule is invariants.Rule.EVENT_DAY]
        weekly = [f for f in findings if f.rule is not invariants.Rule.EVENT_DAY]
        return invariants.total_miss(weekly), invariants.total_miss(event)

    (new_weekly, new_event), (old_weekly, old_event) = score(new), score(old)
    if new_weekly < old_weekly - MISS_EPSILON:
        return True
    return new_weekly <= old_weekly + MISS_EPSILON and new_event < old_event - MISS_EPSILON


def _projection_misses(
    plan: PlanState, today: dt.date, sick_weeks: set[dt.date], recovering: dt.date | None
) -> list[invariants.Finding]:
    return invariants.check(
        plan,
        today,
        rules=invariants.PROJECTION_RULES,
        unwell_weeks=sick_weeks,
        recovering_until=recovering,
    )


def _reprojected(
    plan: PlanState, today: dt.date, sick_weeks: set[dt.date], recovering: dt.date | None
) -> PlanState:
    """One pass: the engine's re-projection (taper weeks placed afresh), then the taper
    fine-tuned when event-day form still misses. When no tuning of the re-placed taper
    holds the rule, the taper as it stands is tuned instead: placing a taper afresh can
    land a little further from the rule than the one it replaces (a knife-edge TSB of
    +4.99), and the one in place may be a refit away from it."""
    fresh = {w.start for w in plan.weeks if w.is_taper and w.start > today}
    projection = reproject(plan, today + DAY, fresh_weeks=fresh)
    projected = plan.with_items(
        projection.workouts, projection.weeks, removed_workouts=projection.removed_workouts
    )
    left = _projection_misses(projected, today, sick_weeks, recovering)
    if not any(f.rule is invariants.Rule.EVENT_DAY for f in left):
        return projected
    tuned = tuned_taper(projected, today)
    if tuned is not None:
        return tuned
    in_place = tuned_taper(plan, today)
    if in_place is not None and in_place is not plan:
        return in_place
    return projected


def _difference(
    before: PlanState, after: PlanState, trigger: Trigger, action: Action, reason: str
) -> ProposedChange:
    """The change that turns ``before`` into ``after``."""
    workouts = tuple(w for w in after.workouts if w.id < 0 or _differs(before, w))
    kept = {w.id for w in after.workouts}
    removed = tuple(w.id for w in before.workouts if w.id not in kept)
    weeks = tuple(w for w in after.weeks if w != before.week(w.id))
    return ProposedChange(
        trigger, action, reason, workouts=workouts, weeks=weeks, removed_workouts=removed
    )


_OUT_OF_REACH: dict[int, str] = {}
"""Plans (by fingerprint and night) a re-projection could not improve, so a second audit
the same night does not repeat the attempt. The night is part of the key: a result must
never depend on which nights one process happened to audit before."""
OUT_OF_REACH_MEMORY = 512


def _fingerprint(plan: PlanState, today: dt.date) -> int:
    """Everything a re-projection reads: two plans that differ only in, say, a week of
    days off must never share a remembered result (one did, across two audits)."""
    availability = plan.availability
    return hash(
        (
            today,
            plan.id,
            plan.start,
            plan.target,
            plan.strategy,
            plan.rhythm,
            plan.ramp,
            plan.start_ctl,
            plan.other_events,
            availability.weekly,
            tuple(sorted(availability.overrides.items())),
            tuple(
                (w.id, w.date, w.status, w.tss, w.role, w.duration_s)
                for w in plan.workouts
                if w.is_live
            ),
            tuple((w.id, w.tss_target, w.is_recovery, w.is_taper) for w in plan.weeks),
            tuple(sorted(plan.recovery.items())),
        )
    )


def _remember_out_of_reach(key: int, note: str) -> None:
    if len(_OUT_OF_REACH) >= OUT_OF_REACH_MEMORY:
        _OUT_OF_REACH.pop(next(iter(_OUT_OF_REACH)))
    _OUT_OF_REACH[key] = note


def _differs(plan: PlanState, workout: WorkoutState) -> bool:
    try:
        return plan.workout(workout.id) != workout
    except KeyError:
        return True


def _fill(night: _Night) -> None:
    plan = night.plan
    horizon = night.today + JIT_DAYS * DAY
    empty = [
        week.start
        for week in plan.weeks
        if week.start <= horizon
        and week.end > night.today
        and not plan.workouts_of(week)
        and week.tss_target > 0
    ]
    if not empty:
        return
    projection = reproject(plan, night.today + DAY, fresh_weeks=empty)
    names = ", ".join(_day(start) for start in empty)
    night.apply(
        projection.as_change(
            Trigger.FILL, Action.FILL, f"the week of {names} starts soon: its workouts placed"
        )
    )


# --- words ---------------------------------------------------------------------------------------


def _target_words(plan: PlanState, weeks: Iterable[WeekState]) -> str:
    return ", ".join(
        f"week of {_day(w.start)} target {plan.week(w.id).tss_target} → {w.tss_target} TSS"
        for w in weeks
    )


def _clip(text: str) -> str:
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def _day(day: dt.date) -> str:
    return day.strftime("%a %d %b")

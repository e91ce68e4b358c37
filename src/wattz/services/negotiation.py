"""Negotiating with the plan (blueprint §5): move a workout, skip one, report sick, and
re-place the season when the availability grid changes.

Every change goes through the change log (``wattz.services.changes``), so the athlete
can list it and undo it like the audit's own. The impact analysis is pure
(``wattz.adapt.negotiation``); this module loads the plan, applies the answer and says
what happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from pydantic import BaseModel
from sqlmodel import Session, select

from wattz.adapt.negotiation import MoveImpact, Resolution, analyze_move, move_change
from wattz.adapt.plan_state import PlanState
from wattz.adapt.proposal import Action, ProposedChange, Trigger
from wattz.adapt.replan import reproject
from wattz.errors import Conflict, InvalidValue, NotFound
from wattz.model.tables import Athlete, Plan, WellnessEntry
from wattz.plan.domain import Reason, Status
from wattz.services.changes import ChangeView, apply_change, change_view, plan_state

MAX_SICK_DAYS = 60
"""A longer absence is a new season, not a deload: ``wattz plan new --replace``."""
SKIPPABLE = frozenset({Status.PENDING, Status.MOVED, Status.SKIPPED})


class ConflictView(BaseModel):
    kind: str
    message: str


class ImpactView(BaseModel):
    """What moving a workout would do (``workout move --json`` prints it on a conflict)."""

    workout_id: int
    title: str
    from_date: dt.date
    to_date: dt.date
    conflicts: list[ConflictView]
    options: list[Resolution]
    scaled_minutes: int | None = None


class MoveResult(BaseModel):
    impact: ImpactView
    change: ChangeView


def impact_view(impact: MoveImpact) -> ImpactView:
    return ImpactView(
        workout_id=impact.workout.id,
        title=impact.workout.title,
        from_date=impact.workout.date,
        to_date=impact.day,
        conflicts=[ConflictView(kind=c.kind.value, message=c.message) for c in impact.conflicts],
        options=list(impact.options),
        scaled_minutes=impact.scaled_minutes,
    )


def check_move(
    session: Session, athlete: Athlete, workout_id: int, day: dt.date, today: dt.date
) -> ImpactView:
    """The impact of moving a workout, without moving it."""
    plan = _active(session, athlete)
    state = plan_state(session, athlete, plan)
    _require_open(state.workout(_known(state, workout_id)).status, workout_id, "moved")
    return impact_view(analyze_move(state, workout_id, day, today))


def move_workout(
    session: Session,
    athlete: Athlete,
    workout_id: int,
    day: dt.date,
    answer: Resolution | None,
    today: dt.date,
) -> MoveResult:
    """Move a workout to ``day``; with a conflict, ``answer`` says how to resolve it
    (None raises Conflict naming the conflicts and the answers that resolve them)."""
    plan = _active(session, athlete)
    state = plan_state(session, athlete, plan)
    workout = state.workout(_known(state, workout_id))
    _require_open(workout.status, workout_id, "moved")
    if workout.date == day:
        raise InvalidValue(
            f"workout {workout_id} is on {day.isoformat()} already", "name another day"
        )
    impact = analyze_move(state, workout_id, day, today)
    if impact.conflicts and (answer is None or answer not in impact.options):
        raise Conflict(_conflict_text(impact), _options_text(impact, answer))
    change = move_change(state, impact, answer if impact.conflicts else None)
    entry = apply_change(session, plan, change, today)
    return MoveResult(impact=impact_view(impact), change=change_view(entry))


def skip_workout(
    session: Session, athlete: Athlete, workout_id: int, reason: Reason, today: dt.date
) -> ChangeView:
    """Record a skip and its reason; the next audit decides what follows."""
    plan = _active(session, athlete)
    state = plan_state(session, athlete, plan)
    workout = state.workout(_known(state, workout_id))
    if workout.status not in SKIPPABLE:
        raise Conflict(
            f"workout {workout_id} is {workout.status.value}; only a workout not yet ridden "
            "can be skipped",
            "log how a ride went with: wattz ride log ID --rpe N --reason R",
        )
    if workout.status is Status.SKIPPED and workout.skip_reason is reason:
        raise Conflict(
            f"workout {workout_id} is recorded as skipped ({reason.value}) already",
            "the next audit acts on it: wattz audit",
        )
    skipped = replace(workout, status=Status.SKIPPED, skip_reason=reason)
    change = ProposedChange(
        Trigger.USER_SKIP,
        Action.SKIP,
        f"{workout.title} on {workout.date.strftime('%a %d %b')} skipped ({reason.value}); "
        "the next audit decides what follows",
        (skipped,),
    )
    return change_view(apply_change(session, plan, change, today))


def record_sick(
    session: Session,
    athlete: Athlete,
    first: dt.date,
    last: dt.date | None,
    today: dt.date,
    *,
    injured: bool = False,
) -> list[dt.date]:
    """Mark the days from ``first`` to ``last`` (default: through today) sick (or
    injured) in wellness; the audit deloads the plan from them, today included."""
    last = last if last is not None else max(first, today)
    if last < first:
        raise InvalidValue(
            f"--to {last.isoformat()} is before --from {first.isoformat()}",
            "give the first day, then the last",
        )
    count = (last - first).days + 1
    if count > MAX_SICK_DAYS:
        raise InvalidValue(
            f"{count} days is more than a deload covers ({MAX_SICK_DAYS} at most)",
            "after a long break build a new plan: wattz plan new --replace",
        )
    assert athlete.id is not None
    days = [first + dt.timedelta(days=k) for k in range(count)]
    existing = {
        row.date: row
        for row in session.exec(
            select(WellnessEntry).where(
                WellnessEntry.athlete_id == athlete.id,
                WellnessEntry.date >= first,
                WellnessEntry.date <= last,
            )
        )
    }
    for day in days:
        row = existing.get(day) or WellnessEntry(athlete_id=athlete.id, date=day)
        if injured:
            row.injured = True
        else:
            row.sick = True
        session.add(row)
    session.flush()
    return days


def replace_for_availability(
    session: Session, athlete: Athlete, today: dt.date
) -> ChangeView | None:
    """After the availability grid changed: the active plan's workouts from tomorrow
    re-placed on the new grid and the rest of the season re-projected (logged, undoable).
    None without a plan, or when nothing had to change."""
    from wattz.services.plans import active_plan_or_none

    plan = active_plan_or_none(session, athlete)
    if plan is None:
        return None
    state = plan_state(session, athlete, plan)
    cut = max(today + dt.timedelta(days=1), state.start)
    if cut >= state.target.date:
        return None
    fresh = {week.start for week in state.weeks if week.end >= cut}
    projection = reproject(state, cut, fresh_weeks=fresh)
    change = projection.as_change(
        Trigger.AVAILABILITY,
        Action.REPLACE_ALL,
        f"the availability grid changed: workouts from {cut.strftime('%a %d %b')} re-placed "
        f"on it and the season re-projected (event-day TSB {projection.event_day.tsb:+.0f}); "
        "undoing this puts the workouts back, not the old grid",
    ).only_differences(state)
    if change.is_empty:
        return None
    return change_view(apply_change(session, plan, change, today))


def _active(session: Session, athlete: Athlete) -> Plan:
    from wattz.services.plans import active_plan

    return active_plan(session, athlete)


def _known(state: PlanState, workout_id: int) -> int:
    try:
        state.workout(workout_id)
    except KeyError:
        raise NotFound(
            f"no workout {workout_id} in the active plan",
            "see the ids with: wattz plan show --json",
        ) from None
    return workout_id


def _require_open(status: Status, workout_id: int, verb: str) -> None:
    if status not in (Status.PENDING, Status.MOVED):
        raise Conflict(
            f"workout {workout_id} is {status.value}; only a workout still to ride can be {verb}",
            "pick a pending workout: wattz calendar",
        )


def _conflict_text(impact: MoveImpact) -> str:
    what = f"moving {impact.workout.title!r} to {impact.day.strftime('%a %d %b')}"
    return f"{what}: " + "; ".join(c.message for c in impact.conflicts)


def _options_text(impact: MoveImpact, answer: Resolution | None) -> str:
    if not impact.options:
        return "no answer resolves this; pick another day"
    flags = " | ".join(f"--{option.value}" for option in impact.options)
    wrong = f"--{answer.value} does not resolve it; " if answer is not None else ""
    return f"{wrong}choose {flags}"

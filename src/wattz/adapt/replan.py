"""Re-projecting the rest of a season after the plan lost (or moved) load.

The plans engine (``wattz.plan.skeleton.realize``) derives each week's target from the
CTL and ATL the weeks before it *actually* leave and re-checks every rule on what a
week realizes — the ramp, the recovery share, event-day form. Re-projection runs that
same engine over the plan as it now stands:

- days before ``cut`` are history (or already settled): their live workouts are fed
  to the engine as they are, so it starts every later week from the true state;
- from ``cut`` on, each week is realized against its new target in one of two ways.
  *Rescale* keeps the week's workouts and lets its flexible ones — built-in support
  rides still pending — take up the difference (the same template, at the duration and
  level whose TSS is closest, ``wattz.plan.library.fit``), so key sessions and what
  the rules did to them stay put. *Place* lays the week out afresh
  (``wattz.plan.placement.place_week``): for weeks whose role in the rhythm changed
  (a deload's relayout), weeks with nothing in them yet, and a new availability grid.

The event date and the taper's weeks never move; the result says where event-day form
lands so the caller can tell the athlete when the rules are out of reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from wattz.adapt.plan_state import DAY, BlockState, PlanState, WeekState, WorkoutState, days
from wattz.adapt.proposal import Action, ProposedChange, Trigger
from wattz.errors import WattzError
from wattz.plan import library
from wattz.plan.domain import (
    Availability,
    BlockPlan,
    BlockType,
    DaySlot,
    Event,
    PlannedSession,
    Rhythm,
    Role,
    Source,
    Status,
    Strategy,
    WeekPlan,
)
from wattz.plan.placement import MIN_SESSION_MINUTES, place_week, week_level
from wattz.plan.skeleton import (
    PREP_RAMP_SHARE,
    BlockSpec,
    Form,
    Skeleton,
    WeekKind,
    WeekSpec,
    build_skeleton,
    realize,
)

WEEK_TSS_TOLERANCE = 0.10
"""A week lands within ±10 % of its target (the plans issue)."""
TAPER_SHARES = (0.0, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
"""Shares of their TSS the taper's flexible rides may take (``tuned_taper``)."""
RESCALE_DEADBAND_SHARE = 0.03
RESCALE_DEADBAND_TSS = 3.0
"""A week already within 3 % (or 3 TSS) of its new target keeps its rides unchanged:
re-projection should not churn workouts over rounding."""


@dataclass(frozen=True)
class Reprojection:
    """New states for the weeks from ``cut`` on and the workouts they now hold."""

    workouts: tuple[WorkoutState, ...]
    removed_workouts: tuple[int, ...]
    weeks: tuple[WeekState, ...]
    event_day: Form
    peak_ctl: float

    def as_change(self, trigger: Trigger, action: Action, reason: str) -> ProposedChange:
        return ProposedChange(
            trigger,
            action,
            reason,
            workouts=self.workouts,
            weeks=self.weeks,
            removed_workouts=self.removed_workouts,
        )


def week_kind(plan: PlanState, week: WeekState) -> WeekKind:
    """A stored week's role in the rhythm, as the skeleton names it."""
    block_type = plan.block_of_week(week).type
    if block_type is BlockType.PREP:
        return WeekKind.PREP
    if block_type is BlockType.TRANSITION:
        return WeekKind.TRANSITION
    if week.is_taper:
        return WeekKind.TAPER
    if week.is_recovery:
        return WeekKind.RECOVERY
    return WeekKind.LOADING


def reproject(
    plan: PlanState,
    cut: dt.date,
    *,
    fresh_weeks: Collection[dt.date] = (),
    level_offsets: Mapping[dt.date, int] | None = None,
    today: dt.date | None = None,
) -> Reprojection:
    """Targets and workouts for every week from ``cut`` on (see the module docstring).

    ``fresh_weeks`` (week starts) are placed afresh, others rescaled; ``level_offsets``
    shift a freshly placed week's progression level (−1: key work a level lower after
    a sickness). Days before ``cut`` are left exactly as they are. The taper is aimed
    at 90 % of the peak still reachable from ``today`` (default: the day before
    ``cut``), the peak ``wattz.adapt.invariants`` checks it against.
    """
    skeleton = skeleton_for(plan)
    realizer = _Realizer(plan, skeleton, cut, frozenset(fresh_weeks), dict(level_offsets or {}))
    from wattz.adapt import invariants

    first = invariants.peak_from(plan, today or cut - DAY) + DAY
    realization = realize(skeleton, realizer, peak_from=first)
    targets = {week.start: week for week in realization.weeks}
    workouts: dict[int, WorkoutState] = {}
    removed: list[int] = []
    weeks: list[WeekState] = []
    for week in plan.weeks:
        if week.end < cut:
            continue
        kept = realizer.kept.get(week.start)
        if kept is None:
            continue
        for workout in kept.workouts:
            workouts[workout.id] = workout
        removed += kept.removed
        target = targets.get(week.start)
        if target is None:
            continue
        realized = kept.total
        tss_target = target.tss_target
        if abs(realized - tss_target) > WEEK_TSS_TOLERANCE * tss_target:
            tss_target = round(realized)
        weeks.append(
            replace(
                week,
                tss_target=tss_target,
                volume_target_minutes=target.volume_target_minutes,
            )
        )
    return Reprojection(
        workouts=tuple(workouts.values()),
        removed_workouts=tuple(removed),
        weeks=tuple(weeks),
        event_day=realization.event_day,
        peak_ctl=realization.peak_ctl,
    )


def tuned_taper(plan: PlanState, today: dt.date) -> PlanState | None:
    """When event-day form misses its window, the taper's flexible rides still to come
    refitted until both rules hold; None when no shape does.

    The rides before the event week and those in it take separate shares of their TSS
    (``TAPER_SHARES``): lengthening the earlier ones keeps CTL (ATL forgets them by
    event day), shortening the later ones lets TSB rise — a step taper, the shape that
    keeps most fitness for a given freshness. Of the shapes that hold, the one nearest
    its current rides wins. A TSB above +25 (the athlete was sick: ATL collapsed) is
    met with more riding, never with more rest.

    The engine aims the taper before it is placed; this is the fine adjustment on the
    placed rides that a late miss (a skipped taper session, a sickness) calls for.
    """
    from wattz.adapt import invariants

    event = plan.target.date
    first = max(today + DAY, invariants.taper_start(plan))
    rides = [w for w in plan.live_between(first, event - DAY) if is_flexible(plan, w)]
    if not rides:
        return None
    if not invariants.check(plan, today, rules={invariants.Rule.EVENT_DAY}):
        return plan
    event_week = event - 6 * DAY
    shapes = sorted(
        ((early, late) for early in TAPER_SHARES for late in TAPER_SHARES),
        key=lambda shape: abs(shape[0] - 1) + abs(shape[1] - 1),
    )
    for early, late in shapes:
        changed: list[WorkoutState] = []
        for workout in rides:
            keep = late if workout.date >= event_week else early
            if keep == 1.0:
                continue
            slot = plan.availability.slot_on(workout.date).minutes
            refit = fit_ride(workout, slot, workout.tss * keep)
            if keep < 1 and refit.tss > workout.tss * keep * (1 + WEEK_TSS_TOLERANCE):
                refit = replace(workout, status=Status.CANCELLED)
            changed.append(refit)
        if not changed:
            continue
        trial = plan.with_items(changed)
        trial = trial.with_items(
            weeks=[retargeted(trial, w) for w in trial.weeks if w.end >= first]
        )
        if not invariants.check(trial, today, rules={invariants.Rule.EVENT_DAY}):
            return trial
    return None


def retargeted(plan: PlanState, week: WeekState) -> WeekState:
    """The week with its target rewritten to what its live workouts carry, when they
    left the ±10 % band (DESIGN.md: adaptation that removes load rewrites the target)."""
    live = plan.live_tss(week)
    if abs(live - week.tss_target) <= WEEK_TSS_TOLERANCE * week.tss_target:
        return week
    return replace(week, tss_target=round(live))


def fit_ride(workout: WorkoutState, slot_minutes: int, target_tss: float) -> WorkoutState:
    """A built-in ride refitted to a TSS: its template at the duration (within the slot)
    and level (its own, or one either side) closest to ``target_tss``."""
    if workout.library_id is None or workout.level is None:
        return workout
    try:
        template = library.template(workout.library_id)
    except WattzError:
        return workout
    levels = [
        lv for lv in (workout.level, workout.level - 1, workout.level + 1) if lv in library.LEVELS
    ]
    pick = library.fit(template, levels, slot_minutes, target_tss)
    if pick is None:
        return workout
    return workout.with_workout(pick.workout, level=pick.level)


def is_flexible(plan: PlanState, workout: WorkoutState) -> bool:
    """A ride re-projection may lengthen or shorten: a pending built-in support or
    recovery ride — not one on a day of the graduated return after illness
    (``PlanState.recovery``), whose length the return prescribes."""
    return (
        workout.status is Status.PENDING
        and workout.role is not Role.KEY
        and workout.source is Source.BUILTIN
        and workout.library_id is not None
        and workout.level is not None
        and not workout.forced
        and not plan.is_recovering(workout.date)
    )


# --- the skeleton of a stored plan ---------------------------------------------------------------


def skeleton_for(plan: PlanState) -> Skeleton:
    """The plans engine's skeleton for ``plan``: its settings and grid from the same
    inputs ``plan new`` used, its layout from the blocks and weeks as they now stand."""
    transition = sum(
        1 for week in plan.weeks if plan.block_of_week(week).type is BlockType.TRANSITION
    )
    fresh = _fresh_skeleton(
        plan.start,
        plan.target,
        plan.strategy,
        plan.rhythm,
        plan.ramp,
        round(plan.start_ctl, 3),
        plan.other_events,
        transition,
        plan.availability.weekly,
        tuple(sorted(plan.availability.overrides.items())),
    )
    return replace(fresh, layout=_layout(plan, fresh))


@lru_cache(maxsize=64)
def _fresh_skeleton(
    start: dt.date,
    target: Event,
    strategy: Strategy,
    rhythm: Rhythm,
    ramp: float,
    start_ctl: float,
    other_events: tuple[Event, ...],
    transition_weeks: int,
    weekly: tuple[DaySlot, ...],
    overrides: tuple[tuple[dt.date, DaySlot], ...],
) -> Skeleton:
    return build_skeleton(
        start=start,
        event=target,
        availability=Availability(weekly, dict(overrides)),
        today=start,
        strategy=strategy,
        rhythm=rhythm,
        ramp=ramp,
        start_ctl=start_ctl,
        other_events=other_events,
        transition_weeks=transition_weeks,
    )


def _layout(plan: PlanState, fresh: Skeleton) -> tuple[BlockSpec, ...]:
    specs = {spec.start: spec for block in fresh.layout for spec in block.weeks}
    blocks: list[BlockSpec] = []
    for block in plan.blocks:
        weeks: list[WeekSpec] = []
        for week in plan.weeks:
            if week.block_id != block.id:
                continue
            kind = week_kind(plan, week)
            original = specs.get(week.start)
            if original is not None and original.kind is kind:
                share = original.ramp_share
            else:
                share = {WeekKind.PREP: PREP_RAMP_SHARE, WeekKind.LOADING: 1.0}.get(kind, 0.0)
            weeks.append(
                WeekSpec(
                    start=week.start,
                    first_day=max(week.start, plan.start),
                    kind=kind,
                    block_type=block.type,
                    focus=week.focus or block.focus,
                    number=week.number,
                    loading_index=week.loading_index,
                    ramp_share=share,
                )
            )
        if weeks:
            blocks.append(
                BlockSpec(
                    order=block.order,
                    name=block.name,
                    type=block.type,
                    focus=block.focus,
                    progression=block.progression or "",
                    weeks=tuple(weeks),
                )
            )
    return tuple(blocks)


def block_plan(block: BlockState) -> BlockPlan:
    """A stored block as placement sees it (its weeks are not needed there)."""
    return BlockPlan(
        order=block.order,
        name=block.name,
        type=block.type,
        focus=block.focus,
        start=block.start,
        weeks=(),
        recovery_week_index=block.recovery_week_index,
        progression=block.progression or "",
    )


def earlier_blocks(plan: PlanState, block: BlockState) -> int:
    """Blocks of the same type before this one (a second BASE starts a level higher)."""
    return sum(1 for other in plan.blocks if other.type is block.type and other.order < block.order)


# --- realizing weeks ------------------------------------------------------------------------------


@dataclass
class _Attempt:
    workouts: tuple[WorkoutState, ...]
    """New or changed workouts on the week's free days."""
    removed: tuple[int, ...]
    total: float
    """The whole week's live TSS with this attempt."""
    key_days: tuple[dt.date, ...]


@dataclass
class _Realizer:
    """The engine's ``WeekRealizer`` over a stored plan (see the module docstring)."""

    plan: PlanState
    skeleton: Skeleton
    cut: dt.date
    fresh: frozenset[dt.date]
    level_offsets: dict[dt.date, int]
    attempts: dict[tuple[dt.date, int], _Attempt] = field(default_factory=dict)
    kept: dict[dt.date, _Attempt] = field(default_factory=dict)
    next_id: int = 0

    def __post_init__(self) -> None:
        self.next_id = self.plan.next_temp_id()
        self.weeks = {week.start: week for week in self.plan.weeks}
        self.key_days = {
            w.date for w in self.plan.workouts if w.is_live and w.is_key and w.date < self.cut
        }

    def realize(self, week: WeekPlan) -> Mapping[dt.date, float]:
        attempt = self._attempt(week)
        self.attempts[(week.start, week.tss_target)] = attempt
        daily: dict[dt.date, float] = {}
        stored = self.weeks.get(week.start)
        if stored is None:
            return daily
        changed = {w.id: w for w in attempt.workouts}
        removed = set(attempt.removed)
        for workout in self.plan.workouts_of(stored):
            if workout.id in removed or workout.id in changed:
                continue
            if workout.is_live:
                daily[workout.date] = daily.get(workout.date, 0.0) + workout.tss
        for workout in attempt.workouts:
            if workout.is_live:
                daily[workout.date] = daily.get(workout.date, 0.0) + workout.tss
        return daily

    def keep(self, week: WeekPlan) -> None:
        attempt = self.attempts.pop((week.start, week.tss_target), None)
        self.attempts = {k: v for k, v in self.attempts.items() if k[0] != week.start}
        if attempt is None:
            return
        self.kept[week.start] = attempt
        self.key_days.update(attempt.key_days)

    # --- one week ---------------------------------------------------------------------

    def _attempt(self, week: WeekPlan) -> _Attempt:
        stored = self.weeks.get(week.start)
        if stored is None:
            return _Attempt((), (), 0.0, ())
        existing = self.plan.workouts_of(stored)
        fixed_tss = sum(w.tss for w in existing if w.is_live and w.date < self.cut)
        free_days = list(days(max(stored.start, self.cut), stored.end))
        if not free_days or stored.end < self.cut:
            total = self.plan.live_tss(stored)
            return _Attempt(
                (), (), total, tuple(w.date for w in existing if w.is_live and w.is_key)
            )
        target_free = max(0.0, week.tss_target - fixed_tss)
        opens = [w for w in existing if w.date >= self.cut and w.is_open]
        if week.start in self.fresh or not opens:
            return self._place(stored, week, existing, opens, free_days, target_free, fixed_tss)
        return self._rescale(stored, existing, opens, target_free, fixed_tss)

    def _rescale(
        self,
        stored: WeekState,
        existing: Iterable[WorkoutState],
        opens: list[WorkoutState],
        target_free: float,
        fixed_tss: float,
    ) -> _Attempt:
        flexible = [w for w in opens if is_flexible(self.plan, w)]
        held = sum(w.tss for w in opens if not is_flexible(self.plan, w) and w.is_live)
        current = sum(w.tss for w in flexible)
        need = target_free - held
        keys = tuple(w.date for w in existing if w.is_live and w.is_key)
        deadband = max(RESCALE_DEADBAND_TSS, RESCALE_DEADBAND_SHARE * (target_free + fixed_tss))
        if not flexible or abs(need - current) <= deadband:
            return _Attempt((), (), fixed_tss + held + current, keys)
        refits = self._best_refit(flexible, need)
        changed = [new for new, old in zip(refits, flexible, strict=True) if new != old]
        total = fixed_tss + held + sum(w.tss for w in refits if w.is_live)
        return _Attempt(tuple(changed), (), total, keys)

    def _best_refit(self, flexible: list[WorkoutState], need: float) -> list[WorkoutState]:
        """The flexible rides refitted to carry ``need`` TSS between them: all of them
        in proportion, or — when rides at their shortest would still carry too much (a
        recovery week after a week that lost its load) — without the smallest few,
        whichever lands closest."""
        order = sorted(range(len(flexible)), key=lambda i: flexible[i].tss)
        best: tuple[float, list[WorkoutState]] | None = None
        for dropped in range(len(flexible) + 1):
            gone = set(order[:dropped])
            kept_tss = sum(w.tss for i, w in enumerate(flexible) if i not in gone)
            kept_count = len(flexible) - dropped
            trial: list[WorkoutState] = []
            for index, workout in enumerate(flexible):
                if index in gone:
                    trial.append(replace(workout, status=Status.CANCELLED))
                    continue
                share = workout.tss / kept_tss if kept_tss else 1 / kept_count
                slot = self.skeleton.availability.slot_on(workout.date).minutes
                trial.append(fit_ride(workout, slot, max(0.0, need * share)))
            miss = abs(sum(w.tss for w in trial if w.is_live) - need)
            if best is None or miss < best[0] - RESCALE_DEADBAND_TSS:
                best = (miss, trial)
            if miss <= WEEK_TSS_TOLERANCE * max(need, 0.0):
                break
        assert best is not None
        return best[1]

    def _place(
        self,
        stored: WeekState,
        week: WeekPlan,
        existing: Iterable[WorkoutState],
        opens: list[WorkoutState],
        free_days: list[dt.date],
        target_free: float,
        fixed_tss: float,
    ) -> _Attempt:
        plan = self.plan
        block = plan.block_of_week(stored)
        plan_block = block_plan(block)
        grid = _without(self.skeleton.availability, plan.recovery, free_days)
        # The return's own rides are held as they are; nothing new goes on its days.
        held = [w for w in opens if plan.is_recovering(w.date)]
        opens = [w for w in opens if not plan.is_recovering(w.date)]
        fixed_tss += sum(w.tss for w in held if w.is_live)
        target_free = max(0.0, target_free - sum(w.tss for w in held if w.is_live))
        riding = [d for d in free_days if grid.slot_on(d).minutes >= MIN_SESSION_MINUTES]
        keys_before = [d for d in self.key_days if d < free_days[0]]
        level = week_level(plan_block, week, earlier_blocks=earlier_blocks(plan, block))
        level = min(max(level + self.level_offsets.get(stored.start, 0), 1), 10)
        sessions: list[PlannedSession] = []
        if riding and target_free > 0:
            after = free_days[-1] + DAY
            events = [e for e in plan.events if free_days[0] <= e.date <= after]
            partial = replace(week, tss_target=round(target_free))
            sessions = place_week(
                partial,
                plan_block,
                grid,
                free_days,
                plan.strategy,
                events,
                previous_key_day=max(keys_before, default=None),
                level=level,
            )
        reusable = {w.date: w for w in opens if w.status is Status.PENDING}
        workouts: list[WorkoutState] = []
        for session in sessions:
            previous = reusable.pop(session.date, None)
            workouts.append(self._state(session, stored, previous))
        removed = tuple(w.id for w in reusable.values())
        # Moved workouts stay: the athlete (or a rule) put them there on purpose.
        kept_moved = [w for w in opens if w.status is Status.MOVED]
        total = fixed_tss + sum(w.tss for w in workouts) + sum(w.tss for w in kept_moved)
        keys = [w.date for w in existing if w.is_live and w.is_key and w.date < self.cut]
        keys += [w.date for w in workouts if w.is_key] + [w.date for w in kept_moved if w.is_key]
        return _Attempt(tuple(workouts), removed, total, tuple(keys))

    def _state(
        self, session: PlannedSession, week: WeekState, previous: WorkoutState | None
    ) -> WorkoutState:
        if previous is None:
            workout_id = self.next_id
            self.next_id -= 1
        else:
            workout_id = previous.id
        base = WorkoutState.from_session(session, workout_id, week.id)
        if previous is not None and _same_content(previous, base):
            return previous
        return base


def _without(
    grid: Availability, recovery: Mapping[dt.date, int], days: Iterable[dt.date]
) -> Availability:
    """The grid with no time on the days of a sickness or its graduated return: placing
    a week afresh leaves them to the return."""
    closed = {day: DaySlot(0) for day in days if day in recovery}
    if not closed:
        return grid
    return replace(grid, overrides={**grid.overrides, **closed})


def _same_content(a: WorkoutState, b: WorkoutState) -> bool:
    return (a.date, a.role, a.awp, a.library_id, a.level, a.venue) == (
        b.date,
        b.role,
        b.awp,
        b.library_id,
        b.level,
        b.venue,
    )

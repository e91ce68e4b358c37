"""Plans: build a season from the athlete's goal and grid, store it, read it back, delete it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlmodel import Session, col, select

from wattz.errors import Conflict, InvalidValue, NotFound
from wattz.model.tables import (
    Activity,
    Athlete,
    Block,
    Goal,
    Plan,
    PlannedWorkout,
    Week,
    core_table,
)
from wattz.plan.availability import require_riding_day
from wattz.plan.domain import BlockPlan, PlannedSession, Priority, Rhythm, Strategy
from wattz.plan.fitness import daily_totals, fitness_series
from wattz.services.goals import (
    as_event,
    find_goal,
    list_goals,
    load_availability,
    races_in_plan,
)

if TYPE_CHECKING:
    from wattz.coach.generator import Generation
    from wattz.plan.season import Season
    from wattz.services.plan_views import PlanView

MAX_RUNWAY_WEEKS = 52
CTL_HISTORY_DAYS = 120
"""Ride history this far back seeds the starting CTL (≈ 3 time constants of 42 days)."""


@dataclass(frozen=True)
class PlanRequest:
    """What ``plan new`` asks for; None means 'wattz decides'."""

    goal_name: str
    start: dt.date | None = None
    strategy: Strategy = Strategy.LINEAR
    rhythm: Rhythm = Rhythm.THREE_ONE
    ramp: float | None = None
    start_ctl: float | None = None
    generator: str = "builtin"
    replace: bool = False
    model: str | None = None
    """The Ollama model for ``generator`` auto|ollama (None: WATTZ_MODEL, else the default)."""


@dataclass(frozen=True)
class PlanDraft:
    """A season built and (when asked) written by a model, not yet stored.

    Building reads the store only, so a command can show the draft, ask the person, and
    take the write lock just for the moment of storing it.
    """

    request: PlanRequest
    start: dt.date
    season: Season
    generator: str
    """What the plan's ``generator`` column records: builtin or ollama."""
    generation: Generation | None

    @property
    def sessions(self) -> tuple[PlannedSession, ...]:
        """The workouts to store: the model's where it wrote them, else the library's."""
        return self.season.sessions if self.generation is None else self.generation.sessions


def create_plan(
    session: Session,
    athlete: Athlete,
    request: PlanRequest,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
) -> PlanView:
    """Build the season and store plan, blocks, weeks and workouts in the caller's transaction.

    ``progress`` receives notes for the person (which generator writes the plan, what a
    model wrote); the goal's course, when it has one, shapes the specialty block.
    """
    draft = draft_plan(session, athlete, request, today, progress)
    return load_plan_view(session, athlete, store_plan(session, athlete, draft, today, progress))


def draft_plan(
    session: Session,
    athlete: Athlete,
    request: PlanRequest,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
) -> PlanDraft:
    """Check the request and build the season (the model's part included); writes nothing."""
    goal = find_goal(session, athlete, request.goal_name)
    if Priority(goal.priority) is not Priority.A:
        raise InvalidValue(
            f"goal {goal.name!r} has priority {goal.priority}",
            "a plan targets an A event; B and C events join the plan of the A event around them",
        )
    start = request.start or today
    if goal.date <= today:
        raise InvalidValue(
            f"the event {goal.name!r} on {goal.date.isoformat()} is in the past",
            "add a goal with a future date",
        )
    if start < today:
        raise InvalidValue(f"--start {start.isoformat()} is in the past", "start today or later")
    if start >= goal.date:
        raise InvalidValue(
            f"--start {start.isoformat()} is not before the event ({goal.date.isoformat()})",
            "start the plan earlier",
        )
    if (goal.date - start).days > MAX_RUNWAY_WEEKS * 7:
        raise InvalidValue(
            f"the event is {(goal.date - start).days // 7} weeks away; a plan covers at most "
            f"{MAX_RUNWAY_WEEKS}",
            f"start the plan later (--start) within {MAX_RUNWAY_WEEKS} weeks of the event",
        )
    availability = load_availability(session, athlete)
    require_riding_day(availability.weekly)
    _check_no_active_plan_for(session, athlete, goal, request)
    start_ctl = request.start_ctl
    if start_ctl is None:
        start_ctl = ctl_from_history(session, athlete, start)
    if start_ctl is not None and not 0 <= start_ctl <= 200:
        raise InvalidValue(f"--start-ctl {start_ctl:g} is out of range", "use 0–200")

    from wattz.plan.season import build_season
    from wattz.services.coaching import choose_generator, coach_season
    from wattz.services.courses import course_demands_of

    choice = choose_generator(request.generator, request.model)
    if choice.note and progress is not None:
        progress(choice.note)
    demands = course_demands_of(goal)
    other_events = [as_event(g) for g in races_in_plan(list_goals(session, athlete), goal, start)]
    season = build_season(
        start=start,
        event=as_event(goal),
        other_events=other_events,
        strategy=request.strategy,
        rhythm=request.rhythm,
        ramp=request.ramp,
        start_ctl=start_ctl,
        availability=availability,
        today=today,
        course=demands,
    )
    generation = coach_season(choice, season, goal, demands, today, progress)
    return PlanDraft(request, start, season, choice.label, generation)


def store_plan(
    session: Session,
    athlete: Athlete,
    draft: PlanDraft,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Store a draft in the caller's transaction, replacing the plan it replaces.

    The goal and the active plan are read again: between drafting and storing another
    command may have changed them.
    """
    from wattz.services.coaching import record_generation

    request, season, generation = draft.request, draft.season, draft.generation
    goal = find_goal(session, athlete, request.goal_name)
    existing = _check_no_active_plan_for(session, athlete, goal, request)
    if existing is not None and (existing.goal_id == goal.id or request.replace):
        existing.deleted_at = dt.datetime.now(dt.UTC)
        session.add(existing)
    assert athlete.id is not None and goal.id is not None
    plan = Plan(
        athlete_id=athlete.id,
        goal_id=goal.id,
        start=draft.start,
        target_date=goal.date,
        strategy=request.strategy.value,
        rhythm=request.rhythm.value,
        ramp=season.ramp,
        start_ctl=season.start_ctl,
        generator=draft.generator,
        feasibility=season.feasibility,
    )
    session.add(plan)
    session.flush()
    _store_blocks(session, plan, season.blocks, draft.sessions)
    if generation is not None:
        assert plan.id is not None
        record_generation(session, plan.id, generation, today)
        if progress is not None:
            progress(generation.summary)
    return plan


def _check_no_active_plan_for(
    session: Session, athlete: Athlete, goal: Goal, request: PlanRequest
) -> Plan | None:
    """The athlete's active plan, refused when it is for the same goal without --replace."""
    existing = active_plan_or_none(session, athlete)
    if existing is not None and existing.goal_id == goal.id and not request.replace:
        raise Conflict(
            f"an active plan for {goal.name!r} exists already (plan {existing.id})",
            "add --replace to build a new one",
        )
    return existing


def _store_blocks(
    session: Session,
    plan: Plan,
    blocks: tuple[BlockPlan, ...],
    sessions: tuple[PlannedSession, ...],
) -> None:
    """Blocks and weeks as rows (one flush each: their ids are needed), workouts as one
    Core insert of plain rows.

    A 52-week plan holds ~260 workouts: ORM objects for them cost more than generating
    the season. Blocks and weeks go through the ORM, which fetches their ids on every
    SQLite a user may have (INSERT … RETURNING of many rows needs SQLite 3.35).
    """
    assert plan.id is not None
    block_rows = [
        Block(
            plan_id=plan.id,
            order=block.order,
            name=block.name,
            type=block.type.value,
            focus=block.focus.value,
            start=block.start,
            duration_weeks=block.duration_weeks,
            recovery_week_index=block.recovery_week_index,
            progression=block.progression,
        )
        for block in blocks
    ]
    session.add_all(block_rows)
    session.flush()
    week_rows: list[Week] = []
    for block, block_row in zip(blocks, block_rows, strict=True):
        assert block_row.id is not None
        week_rows.extend(
            Week(
                plan_id=plan.id,
                block_id=block_row.id,
                number=week.number,
                start=week.start,
                is_recovery=week.is_recovery,
                is_taper=week.is_taper,
                tss_target=week.tss_target,
                volume_target_minutes=week.volume_target_minutes,
                focus=week.focus.value,
                loading_index=week.loading_index,
            )
            for week in block.weeks
        )
    session.add_all(week_rows)
    session.flush()
    starts = sorted((row.start, row.id) for row in week_rows if row.id is not None)
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "plan_id": plan.id,
            "week_id": _week_for(starts, planned.date),
            "date": planned.date,
            "title": planned.workout.meta.title,
            "description": planned.workout.meta.description,
            "duration_s": planned.duration_s,
            "tss": planned.tss,
            "intensity_factor": planned.intensity_factor,
            "primary_zone": planned.primary_zone,
            "role": planned.role.value,
            "status": "pending",
            "source": planned.source.value,
            "library_id": planned.library_id or None,
            "level": planned.level,
            "venue": planned.venue,
            "forced": False,
            "awp": planned.workout.to_json_dict(),
            "updated_at": now,
        }
        for planned in sessions
    ]
    if rows:
        session.connection().execute(insert(core_table(PlannedWorkout)), rows)


def _week_for(starts: list[tuple[dt.date, int]], day: dt.date) -> int:
    """The id of the week holding ``day`` (the first week for a day before them all)."""
    chosen = starts[0][1]
    for start, week_id in starts:
        if start <= day:
            chosen = week_id
    return chosen


def ctl_from_history(session: Session, athlete: Athlete, day: dt.date) -> float | None:
    """CTL on the evening before ``day`` from stored rides, or None with no recent rides."""
    since = day - dt.timedelta(days=CTL_HISTORY_DAYS)
    rides = session.exec(
        select(col(Activity.local_date), col(Activity.tss)).where(
            Activity.athlete_id == athlete.id,
            Activity.local_date >= since,
            Activity.local_date < day,
        )
    ).all()
    scored = [(ride_date, tss) for ride_date, tss in rides if tss is not None]
    if not scored:
        return None
    series = fitness_series(daily_totals(scored), since, day - dt.timedelta(days=1))
    return series[-1].ctl if series else None


def active_plan_or_none(session: Session, athlete: Athlete) -> Plan | None:
    """The athlete's active plan: the latest not deleted."""
    return session.exec(
        select(Plan)
        .where(Plan.athlete_id == athlete.id, col(Plan.deleted_at).is_(None))
        .order_by(col(Plan.created_at).desc(), col(Plan.id).desc())
    ).first()


def active_plan(session: Session, athlete: Athlete) -> Plan:
    plan = active_plan_or_none(session, athlete)
    if plan is None:
        raise NotFound(
            f"athlete {athlete.name!r} has no plan",
            "build one with: wattz plan new --goal NAME --yes",
        )
    return plan


def list_plans(session: Session, athlete: Athlete) -> list[tuple[Plan, Goal]]:
    rows = session.exec(
        select(Plan, Goal)
        .where(Plan.athlete_id == athlete.id, Plan.goal_id == Goal.id)
        .order_by(col(Plan.created_at).desc(), col(Plan.id).desc())
    ).all()
    return [(plan, goal) for plan, goal in rows]


def delete_plan(session: Session, athlete: Athlete) -> Plan:
    """Mark the active plan deleted (rows stay for the change log and undo)."""
    plan = active_plan(session, athlete)
    plan.deleted_at = dt.datetime.now(dt.UTC)
    session.add(plan)
    session.flush()
    return plan


def load_plan_view(session: Session, athlete: Athlete, plan: Plan) -> PlanView:
    """The whole plan as its JSON document, in six queries."""
    from wattz.services.coaching import replaced_reasons
    from wattz.services.plan_views import plan_view

    goal = session.get(Goal, plan.goal_id)
    assert goal is not None
    blocks = list(session.exec(select(Block).where(Block.plan_id == plan.id)))
    weeks = list(session.exec(select(Week).where(Week.plan_id == plan.id)))
    workouts = list(session.exec(select(PlannedWorkout).where(PlannedWorkout.plan_id == plan.id)))
    replaced = replaced_reasons(session, plan)
    events = races_in_plan(list_goals(session, athlete), goal, plan.start)
    return plan_view(plan, athlete.name, goal, blocks, weeks, workouts, replaced, events)

"""The coach as a use case: which generator writes a plan, running it, recording what it did.

``--generator builtin`` never touches the network. ``auto`` asks the server for its
models within a short limit and uses the model only when the server answers and has
it, saying which it chose; ``ollama`` insists, and a server that is down, slow or
without the model is an external error (exit 3). Nothing here prints: the choice's
note and the run's summary are returned (or passed to ``progress``) for the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from wattz.errors import InvalidValue
from wattz.model.tables import Athlete, Goal, Plan, PlanChange, PlannedWorkout
from wattz.plan.course import CourseDemands
from wattz.plan.domain import Discipline, Role

if TYPE_CHECKING:
    from wattz.adapt.plan_state import PlanState, WorkoutState
    from wattz.coach.client import ServerStatus
    from wattz.coach.config import CoachConfig
    from wattz.coach.generator import Generation, SeasonDraft
    from wattz.plan.season import Season

# The coach package (prompts, fences, the HTTP client) loads only when a model is asked:
# ``--generator builtin``, the default, should not pay for it.

GENERATORS = ("builtin", "auto", "ollama")
GENERATION_TRIGGER = "generation"
REPLACE_ACTION = "replace"


@dataclass(frozen=True)
class GeneratorChoice:
    """Who writes the plan: the library alone, or a model (``config``) inside the fences."""

    requested: str
    config: CoachConfig | None
    note: str | None = None

    @property
    def uses_model(self) -> bool:
        return self.config is not None

    @property
    def label(self) -> str:
        """What the plan's ``generator`` column records: ``builtin`` or ``ollama``."""
        return "ollama" if self.uses_model else "builtin"


def parse_generator(value: str) -> str:
    chosen = value.strip().lower()
    if chosen not in GENERATORS:
        raise InvalidValue(
            f"--generator {value!r} is not one of {'|'.join(GENERATORS)}",
            "use builtin (the library), ollama (a local model) or auto (ollama when it answers)",
        )
    return chosen


def coach_status(model: str | None = None) -> ServerStatus:
    """The configured server and model, probed within the probe limit (never raises)."""
    from wattz.coach.config import coach_config

    return coach_status_of(coach_config(model))


def choose_generator(requested: str, model: str | None = None) -> GeneratorChoice:
    """Decide who writes the plan; ``ollama`` raises CoachUnavailable when it cannot."""
    kind = parse_generator(requested)
    if kind == "builtin":
        return GeneratorChoice(kind, None)
    from wattz.coach.client import CoachUnavailable
    from wattz.coach.config import coach_config

    config = coach_config(model)
    status = coach_status_of(config)
    problem = _problem(status)
    if problem is None:
        return GeneratorChoice(
            kind,
            config,
            f"{kind}: {config.model} on Ollama at {config.host} writes key workouts inside "
            "the engine's fences; the built-in library the rest",
        )
    if kind == "ollama":
        message, hint = problem
        raise CoachUnavailable(message, hint)
    return GeneratorChoice(kind, None, f"auto: {problem[0]}; the built-in library writes the plan")


def coach_status_of(config: CoachConfig) -> ServerStatus:
    """``config``'s server and model, probed within the probe limit (never raises)."""
    from wattz.coach.client import probe

    return probe(config)


def coach_season(
    choice: GeneratorChoice,
    season: Season,
    goal: Goal,
    course: CourseDemands | None,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
) -> Generation | None:
    """Let the chosen model rewrite the season's current and next block (None: builtin).

    With ``ollama`` a server that fails during the run is an error (nothing is stored);
    with ``auto`` the library keeps what the model did not write, and the summary says
    why the model stopped.
    """
    if choice.config is None:
        return None
    from wattz.coach.generator import SeasonDraft

    draft = SeasonDraft(
        blocks=season.blocks,
        sessions=season.sessions,
        availability=season.availability,
        strategy=season.settings.strategy,
        rhythm=season.settings.rhythm,
        start=season.settings.start,
        start_ctl=season.start_ctl,
        discipline=Discipline(goal.discipline),
        course=course,
    )
    return _run_model(choice, draft, today, progress)


def _run_model(
    choice: GeneratorChoice,
    draft: SeasonDraft,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
    weeks: frozenset[dt.date] | None = None,
) -> Generation:
    """One model run within the configured budget; ``ollama`` insists on the server, so
    one that fails during the run is an error (nothing is stored), ``auto`` keeps what
    the library wrote."""
    from wattz.coach.client import CoachUnavailable, OllamaClient
    from wattz.coach.generator import generate

    assert choice.config is not None
    client = OllamaClient(choice.config)
    try:
        generation = generate(
            draft, client, today, progress, budget_s=choice.config.run_budget_s, weeks=weeks
        )
    finally:
        client.close()
    if generation.unavailable and choice.requested == "ollama":
        raise CoachUnavailable(
            generation.stopped or f"Ollama at {choice.config.host} stopped answering",
            "nothing was stored; try again, or use --generator builtin",
        )
    return generation


def record_generation(
    session: Session,
    plan_id: int,
    generation: Generation,
    today: dt.date,
    asked: Mapping[dt.date, int] | None = None,
) -> list[PlanChange]:
    """One change-log entry per replaced workout: which day, which model, and why.

    The entries carry no before/after rows (the library's workout stands as it was), so
    undoing one changes nothing; they are the record, listed by ``wattz changes``.
    ``asked`` maps each day asked about to its workout's id when the plan may hold
    other workouts on that day (an audit's plan, with moved or skipped ones).
    """
    from wattz.coach.proposal import Verdict

    if asked is None:
        rows = session.exec(select(PlannedWorkout).where(PlannedWorkout.plan_id == plan_id))
        by_date = {row.date: row for row in rows}
    else:
        found = {day: session.get(PlannedWorkout, row_id) for day, row_id in asked.items()}
        by_date = {day: row for day, row in found.items() if row is not None}
    entries: list[PlanChange] = []
    for outcome in generation.outcomes:
        if outcome.verdict is not Verdict.REPLACED:
            continue
        row = by_date.get(outcome.date)
        if row is None or row.id is None:
            continue
        cause = {
            "model": generation.model,
            "library_id": row.library_id,
            "title": row.title,
            "calls": outcome.calls,
        }
        entry = PlanChange(
            plan_id=plan_id,
            trigger=GENERATION_TRIGGER,
            action=REPLACE_ACTION,
            workout_ids=[row.id],
            before={},
            after={"cause": cause},
            reason=f"{outcome.date.isoformat()}: {outcome.reason or 'replaced'}"[:1000],
            as_of=today,
        )
        session.add(entry)
        entries.append(entry)
    session.flush()
    return entries


def replaced_reasons(session: Session, plan: Plan) -> dict[int, str]:
    """Workout id → why the model's proposal for it gave way to the library's (the
    change log's generation entries; the latest wins)."""
    rows = session.exec(
        select(PlanChange)
        .where(
            PlanChange.plan_id == plan.id,
            PlanChange.trigger == GENERATION_TRIGGER,
            PlanChange.action == REPLACE_ACTION,
        )
        .order_by(col(PlanChange.id))
    )
    reasons: dict[int, str] = {}
    for row in rows:
        # the entry's reason is "YYYY-MM-DD: why"; the workout's date is already in the view
        day, _, why = row.reason.partition(": ")
        text = why if why and _is_date(day) else row.reason
        for workout_id in row.workout_ids:
            reasons[workout_id] = text
    return reasons


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _problem(status: ServerStatus) -> tuple[str, str] | None:
    """Why the server cannot be used (message, hint), or None when it can."""
    if not status.reachable:
        return (
            status.error or f"Ollama at {status.host} is not reachable",
            "start it with: ollama serve (or set OLLAMA_HOST), or use --generator builtin",
        )
    if not status.has_model:
        present = ", ".join(status.models) or "none"
        return (
            f"Ollama at {status.host} has no model {status.model} (it has: {present})",
            f"pull it with: ollama pull {status.model}, or name another with --model",
        )
    return None


def coach_filled_weeks(
    session: Session,
    athlete: Athlete,
    plan: Plan,
    weeks: frozenset[dt.date],
    choice: GeneratorChoice,
    today: dt.date,
) -> tuple[Generation | None, list[PlanChange]]:
    """Let the chosen model rewrite the key workouts of weeks the audit just filled.

    The same fences as ``plan new``: the library's fill stands wherever the model's
    workout does not pass, with the reason in the change log; what the model wrote (and
    the easy rides re-fitted around it) is one change, undoable like any other.
    """
    if choice.config is None or not weeks:
        return None, []
    from wattz.adapt.proposal import Action, ProposedChange, Trigger
    from wattz.services.changes import apply_change, plan_state
    from wattz.services.courses import course_demands_of

    goal = session.get(Goal, plan.goal_id)
    assert goal is not None
    state = plan_state(session, athlete, plan)
    draft, states = _draft_of(state, weeks, Discipline(goal.discipline), course_demands_of(goal))
    generation = _run_model(choice, draft, today, weeks=weeks)
    changed = tuple(
        old.with_workout(
            new.workout,
            source=new.source,
            library_id=new.library_id or None,
            level=new.level,
        )
        for old, new in zip(states, generation.sessions, strict=True)
        if new.workout != old.workout or new.source is not old.source
    )
    entries: list[PlanChange] = []
    if changed:
        days = ", ".join(sorted({w.date.isoformat() for w in changed}))
        entry = apply_change(
            session,
            plan,
            ProposedChange(
                Trigger.FILL,
                Action.FILL,
                f"{generation.model} wrote workouts for {days}; easy rides re-fitted around them",
                changed,
                cause={"model": generation.model},
            ),
            today,
        )
        entries.append(entry)
    assert plan.id is not None
    asked = {w.date: w.id for w in states if w.role is Role.KEY}
    entries += record_generation(session, plan.id, generation, today, asked)
    return generation, entries


def _draft_of(
    state: PlanState,
    weeks: frozenset[dt.date],
    discipline: Discipline,
    course: CourseDemands | None,
) -> tuple[SeasonDraft, tuple[WorkoutState, ...]]:
    """The stored plan as the generator reads it: every block with its weeks, and the
    live workouts of ``weeks`` (sorted by day, as the generator keeps them)."""
    from wattz.coach.generator import SeasonDraft
    from wattz.plan.domain import BlockPlan, PlannedSession, WeekPlan

    blocks = []
    for block in sorted(state.blocks, key=lambda b: b.order):
        plans = tuple(
            WeekPlan(
                start=week.start,
                number=week.number,
                block_type=block.type,
                focus=week.focus or block.focus,
                is_recovery=week.is_recovery,
                tss_target=week.tss_target,
                volume_target_minutes=week.volume_target_minutes,
                loading_index=week.loading_index,
                is_taper=week.is_taper,
            )
            for week in sorted(state.weeks, key=lambda w: w.start)
            if week.block_id == block.id
        )
        blocks.append(
            BlockPlan(
                order=block.order,
                name=block.name,
                type=block.type,
                focus=block.focus,
                start=block.start,
                weeks=plans,
                recovery_week_index=block.recovery_week_index,
                progression=block.progression or "",
            )
        )
    live = sorted(
        (
            w
            for w in state.workouts
            if w.is_live and any(start <= w.date < start + dt.timedelta(days=7) for start in weeks)
        ),
        key=lambda w: w.date,
    )
    sessions = tuple(
        PlannedSession(
            date=w.date,
            workout=w.workout,
            role=w.role,
            library_id=w.library_id or "",
            level=w.level or 0,
            primary_zone=w.primary_zone,
            tss=w.tss,
            intensity_factor=w.intensity_factor,
            duration_s=w.duration_s,
            venue=w.venue,
            source=w.source,
        )
        for w in live
    )
    draft = SeasonDraft(
        blocks=tuple(blocks),
        sessions=sessions,
        availability=state.availability,
        strategy=state.strategy,
        rhythm=state.rhythm,
        start=state.start,
        start_ctl=state.start_ctl,
        discipline=discipline,
        course=course,
    )
    return draft, tuple(live)

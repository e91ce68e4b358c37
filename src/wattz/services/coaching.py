"""The coach as a use case: which generator writes a plan, running it, recording what it did.

``--generator builtin`` never touches the network. ``auto`` asks the server for its
models within a short limit and uses the model only when the server answers and has
it, saying which it chose; ``ollama`` insists, and a server that is down, slow or
without the model is an external error (exit 3). Nothing here prints: the choice's
note and the run's summary are returned (or passed to ``progress``) for the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from wattz.errors import InvalidValue
from wattz.model.tables import Goal, PlanChange, PlannedWorkout
from wattz.plan.course import CourseDemands
from wattz.plan.domain import Discipline

if TYPE_CHECKING:
    from wattz.coach.client import ServerStatus
    from wattz.coach.config import CoachConfig
    from wattz.coach.generator import Generation
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
            f"{kind}: {config.model} on Ollama at {config.host} writes the current and next "
            "block's key workouts; the built-in library the rest",
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
    from wattz.coach.client import CoachUnavailable, OllamaClient
    from wattz.coach.generator import SeasonDraft, generate

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
    client = OllamaClient(choice.config)
    try:
        generation = generate(
            draft, client, today, progress, budget_s=choice.config.run_budget_s
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
    session: Session, plan_id: int, generation: Generation, today: dt.date
) -> list[PlanChange]:
    """One change-log entry per replaced workout: which day, which model, and why.

    The entries carry no before/after rows (nothing existed before the plan), so undoing
    one changes nothing; they are the record, listed by ``wattz changes``.
    """
    from wattz.coach.proposal import Verdict

    workouts = session.exec(select(PlannedWorkout).where(PlannedWorkout.plan_id == plan_id))
    by_date = {row.date: row for row in workouts}
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

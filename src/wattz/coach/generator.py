"""Block by block over a season: which workouts the model writes, and what stands when it
cannot (blueprint §2.4, DESIGN.md "Generation is block by block").

The built-in library has already filled every week (the season arrives complete). The
model is asked to rewrite the key workouts of the *current* block — the one holding
max(today, plan start) — and the next one; later blocks stay the library's until an
audit asks again about a week before they start. Key workouts are where structure
matters; support and recovery rides are the engine's ballast: after a week's model
workouts are in, they are re-fitted so the week lands on its target
(``wattz.coach.rebalance``), and if the week still breaks a rule the model's workouts
give way, one at a time, to the library's.

A workout that never passes is replaced by the library's choice with the reason kept;
after ``MAX_REPLACED_IN_A_ROW`` such in a row the model is not asked again in the run,
and when the server itself fails (unreachable, a timeout) nothing more is asked either
— the caller decides whether that is an error (``--generator ollama``) or a fallback
(``--generator auto``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Workout
from wattz.coach.client import ChatReply, CoachUnavailable, LLMClient, Message, ModelTooSlow
from wattz.coach.fences import DayBrief, allowed_zones, week_findings
from wattz.coach.prompting import BlockBrief
from wattz.coach.proposal import MAX_CORRECTIONS, Verdict, propose
from wattz.coach.rebalance import rebalance_week
from wattz.plan.course import CourseDemands
from wattz.plan.domain import (
    WEEKDAYS,
    Availability,
    BlockPlan,
    Discipline,
    PlannedSession,
    Rhythm,
    Role,
    Source,
    Strategy,
    WeekPlan,
)

ROLES_ASKED = (Role.KEY,)
"""The model writes the key sessions; the library's easy rides balance the week."""
MODEL_BLOCKS = 2
"""The current block and the next (DESIGN.md)."""
MAX_REPLACED_IN_A_ROW = 3
REASON_MAX_CHARS = 900
"""Fits the change log's reason (1000 characters) with room for its prefix."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeasonDraft:
    """A season as the library filled it, and what the model is told about it."""

    blocks: tuple[BlockPlan, ...]
    sessions: tuple[PlannedSession, ...]
    availability: Availability
    strategy: Strategy
    rhythm: Rhythm
    start: dt.date
    start_ctl: float
    discipline: Discipline = Discipline.ROAD
    course: CourseDemands | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one workout the model was asked for."""

    date: dt.date
    verdict: Verdict
    calls: int
    rounds: int
    title: str
    reason: str | None = None


@dataclass(frozen=True)
class Generation:
    """The season after the model's turn, and how the turn went."""

    model: str
    sessions: tuple[PlannedSession, ...]
    outcomes: tuple[Outcome, ...]
    blocks: tuple[int, ...]
    """Orders of the blocks the model was asked to write."""
    calls: int
    seconds: float
    not_asked: int
    """Key workouts left to the library after the model stopped being asked."""
    stopped: str | None = None
    unavailable: bool = False
    """The server failed (rather than the model's workouts): ``stopped`` says how."""

    def count(self, verdict: Verdict) -> int:
        return sum(1 for outcome in self.outcomes if outcome.verdict is verdict)

    @property
    def accepted(self) -> int:
        return self.count(Verdict.FIRST) + self.count(Verdict.CORRECTED)

    @property
    def summary(self) -> str:
        """One line for the person: what the model wrote and what the library kept."""
        asked = len(self.outcomes)
        text = (
            f"{self.model} wrote {self.accepted} of {asked} key workouts "
            f"({self.count(Verdict.FIRST)} first time, {self.count(Verdict.CORRECTED)} after "
            f"corrections); {self.count(Verdict.REPLACED)} replaced by the library"
        )
        if self.not_asked:
            text += f", {self.not_asked} not asked"
        text += f" — {self.calls} model calls in {_clock(self.seconds)}"
        if self.stopped:
            text += f"; stopped: {self.stopped}"
        return text


def model_blocks(
    blocks: Sequence[BlockPlan], today: dt.date, start: dt.date
) -> tuple[BlockPlan, ...]:
    """The current block (holding max(today, start)) and the next one."""
    anchor = max(today, start)
    for index, block in enumerate(blocks):
        end = block.start + dt.timedelta(weeks=block.duration_weeks)
        if block.start <= anchor < end:
            return tuple(blocks[index : index + MODEL_BLOCKS])
    if blocks and anchor < blocks[0].start:
        return tuple(blocks[:MODEL_BLOCKS])
    return ()


def generate(
    draft: SeasonDraft,
    client: LLMClient,
    today: dt.date,
    progress: Progress | None = None,
    *,
    budget_s: float | None = None,
    weeks: frozenset[dt.date] | None = None,
) -> Generation:
    """The draft with the model's key workouts in the current and next block — or, with
    ``weeks`` (their Mondays), in those weeks only (the audit's just-in-time fill).

    After ``budget_s`` seconds no new workout is asked for: the run ends within the
    budget and one workout's calls, whatever the model's speed.
    """
    started = time.monotonic()
    counted = _Counted(client)
    deadline = None if budget_s is None else started + budget_s
    run = _Run(draft, counted, today, progress or _quiet, deadline)
    if weeks is None:
        chosen = model_blocks(draft.blocks, today, draft.start)
    else:
        chosen = tuple(b for b in draft.blocks if any(w.start in weeks for w in b.weeks))
    for block in chosen:
        brief = BlockBrief(
            block=block,
            count=len(draft.blocks),
            strategy=draft.strategy,
            rhythm=draft.rhythm,
            start_ctl=draft.start_ctl,
            discipline=draft.discipline,
            course=draft.course,
        )
        for week in block.weeks:
            if weeks is None or week.start in weeks:
                run.week(brief, week)
    return Generation(
        model=client.model,
        sessions=tuple(run.sessions),
        outcomes=tuple(run.outcomes),
        blocks=tuple(block.order for block in chosen),
        calls=counted.calls,
        seconds=time.monotonic() - started,
        not_asked=run.not_asked,
        stopped=run.stopped,
        unavailable=run.unavailable,
    )


def model_session(reference: PlannedSession, workout: Workout) -> PlannedSession:
    """A model's workout in the day the library's ``reference`` held, with its metrics."""
    metrics = workout_metrics(workout)
    return replace(
        reference,
        workout=workout,
        library_id="",
        primary_zone=metrics.primary_zone,
        tss=round(metrics.tss, 1),
        intensity_factor=round(metrics.intensity_factor, 3),
        duration_s=metrics.duration_s,
        source=Source.LLM,
        replaced_reason=None,
    )


class _Counted:
    """The client, counting every call made through it (also those of an aborted workout)."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.calls = 0

    @property
    def model(self) -> str:
        return self.client.model

    def chat(
        self,
        messages: Sequence[Message],
        *,
        schema: Mapping[str, Any] | None,
        max_tokens: int,
        temperature: float,
    ) -> ChatReply:
        self.calls += 1
        return self.client.chat(
            messages, schema=schema, max_tokens=max_tokens, temperature=temperature
        )

    def close(self) -> None:
        self.client.close()


class _Run:
    """The state of one generation run: the sessions so far and the counters."""

    def __init__(
        self,
        draft: SeasonDraft,
        client: LLMClient,
        today: dt.date,
        progress: Progress,
        deadline: float | None = None,
    ) -> None:
        self.draft = draft
        self.deadline = deadline
        self.client = client
        self.today = today
        self.progress = progress
        self.sessions = sorted(draft.sessions, key=lambda s: s.date)
        self.outcomes: list[Outcome] = []
        self.not_asked = 0
        self.in_a_row = 0
        self.stopped: str | None = None
        self.unavailable = False

    def week(self, brief: BlockBrief, week: WeekPlan) -> None:
        end = week.start + dt.timedelta(days=7)
        indices = [i for i, s in enumerate(self.sessions) if week.start <= s.date < end]
        library_week = [self.sessions[i] for i in indices]
        total = sum(s.tss for s in library_week)
        slots = [
            (day, slot.minutes, slot.venue)
            for day in (week.start + dt.timedelta(days=k) for k in range(7))
            for slot in (self.draft.availability.slot_on(day),)
        ]
        asked_any = False
        for index in indices:
            session = self.sessions[index]
            if session.role not in ROLES_ASKED or session.date < self.today:
                continue
            if self.stopped is None and self.deadline is not None:
                if time.monotonic() > self.deadline:
                    self.stopped = "the run's time budget was spent; the library wrote the rest"
            if self.stopped is not None:
                self.not_asked += 1
                continue
            share = week.tss_target * session.tss / total if total > 0 else session.tss
            day = DayBrief(
                date=session.date,
                week=week,
                block_type=brief.block.type,
                role=session.role,
                slot_minutes=self.draft.availability.slot_on(session.date).minutes,
                venue=session.venue,
                share_tss=share,
                allowed_zones=allowed_zones(brief.block.type, self.draft.strategy),
                reference=session,
            )
            asked_any |= self._ask(index, brief, day, slots)
        if asked_any:
            self._fence_week(indices, library_week, week)

    def _ask(
        self,
        index: int,
        brief: BlockBrief,
        day: DayBrief,
        slots: Sequence[tuple[dt.date, int, str]],
    ) -> bool:
        label = f"{WEEKDAYS[day.date.weekday()].title()} {day.date.isoformat()}"
        self.progress(f"{self.client.model}: {brief.block.name}, {label} …")
        try:
            proposal = propose(self.client, brief, day, slots)
        except ModelTooSlow as error:
            # The model answers but cannot finish in time: the day stays the library's,
            # recorded like any replaced workout, and the model is not asked again.
            self.stopped = error.message
            self._replace(index, day, 0, 0, f"the model was too slow: {error.message}")
            return True
        except CoachUnavailable as error:
            self.stopped = str(error)
            self.unavailable = True
            self.not_asked += 1
            return False
        session = self.sessions[index]
        if proposal.workout is None:
            reason = _replaced_reason(proposal.findings)
            self._replace(index, day, proposal.calls, proposal.rounds, reason)
            self.in_a_row += 1
            if self.in_a_row >= MAX_REPLACED_IN_A_ROW:
                self.stopped = (
                    f"{MAX_REPLACED_IN_A_ROW} workouts in a row never passed; "
                    "the library wrote the rest"
                )
            return True
        self.in_a_row = 0
        self.sessions[index] = model_session(session, proposal.workout)
        self.outcomes.append(
            Outcome(
                day.date,
                proposal.verdict,
                proposal.calls,
                proposal.rounds,
                proposal.workout.meta.title,
            )
        )
        self.progress(f"{label}: accepted {proposal.workout.meta.title!r} ({proposal.verdict})")
        return True

    def _replace(self, index: int, day: DayBrief, calls: int, rounds: int, reason: str) -> None:
        """The library's workout stands for the day, with why the model's did not."""
        session = self.sessions[index]
        self.sessions[index] = replace(session, replaced_reason=reason)
        title = session.workout.meta.title
        self.outcomes.append(Outcome(day.date, Verdict.REPLACED, calls, rounds, title, reason))
        label = f"{WEEKDAYS[day.date.weekday()].title()} {day.date.isoformat()}"
        self.progress(f"{label}: replaced by the library's {title!r}")

    def _fence_week(
        self, indices: Sequence[int], library_week: Sequence[PlannedSession], week: WeekPlan
    ) -> None:
        """Re-balance the easy rides; while the week breaks a rule, model workouts give way."""
        originals = dict(zip(indices, library_week, strict=True))
        while True:
            current = [
                self.sessions[i]
                if self.sessions[i].source is Source.LLM
                else replace(originals[i], replaced_reason=self.sessions[i].replaced_reason)
                for i in indices
            ]
            balanced = rebalance_week(current, week.tss_target, self.draft.availability)
            problems = week_findings(balanced, library_week, week.tss_target, self.draft.strategy)
            model_indices = [i for i in indices if self.sessions[i].source is Source.LLM]
            if not problems or not model_indices:
                for i, session in zip(indices, balanced, strict=True):
                    self.sessions[i] = session
                return
            worst = max(
                model_indices,
                key=lambda i: abs(self.sessions[i].tss - originals[i].tss),
            )
            reason = _replaced_reason(problems, "the week could not keep its rules with it: ")
            self.sessions[worst] = replace(originals[worst], replaced_reason=reason)
            self._mark_replaced(self.sessions[worst].date, reason)

    def _mark_replaced(self, day: dt.date, reason: str) -> None:
        for position, outcome in enumerate(self.outcomes):
            if outcome.date == day:
                self.outcomes[position] = replace(outcome, verdict=Verdict.REPLACED, reason=reason)


def _replaced_reason(findings: Sequence[str], prefix: str | None = None) -> str:
    head = prefix or f"the model's workout never passed ({1 + MAX_CORRECTIONS} attempts): "
    text = head + "; ".join(findings)
    return text if len(text) <= REASON_MAX_CHARS else text[: REASON_MAX_CHARS - 1] + "…"


def _quiet(_: str) -> None:
    return None


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"

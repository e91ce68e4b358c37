"""What a rule proposes: a change to the plan with its trigger, action and reason in words.

A proposal carries the *new* state of every item it touches (workouts, weeks, blocks),
the ids of items it removes, and what fired it (``cause``), so the audit can tell a
sick spell or an HRV dip it has already acted on from a new one. The store keeps the
state before and after each change, which is what makes every change undoable
(DESIGN.md principle 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wattz.adapt.plan_state import BlockState, PlanState, WeekState, WorkoutState
from wattz.plan.domain import Availability


class Trigger(StrEnum):
    """What set a change off (the change log's ``trigger``)."""

    AUDIT = "audit"
    """The nightly audit classifying what was ridden."""
    SKIPPED = "skipped"
    FAILED = "failed"
    EASY = "completed-easy"
    SICK = "sick"
    HRV = "hrv-red-flag"
    UNPLANNED_RIDE = "unplanned-ride"
    LOAD = "load"
    """Load left the plan and the rest of the season no longer kept its rules."""
    FILL = "fill"
    """A week about to start had no workouts yet (just-in-time generation)."""
    USER_MOVE = "user-move"
    USER_SKIP = "user-skip"
    AVAILABILITY = "availability"


class Action(StrEnum):
    """What the change did (the change log's ``action``)."""

    CLASSIFY = "classify"
    MOVE = "move"
    REPLACE = "replace"
    DROP = "drop"
    DELOAD = "deload"
    REGRESS = "regress"
    PROGRESS = "progress"
    RECOVERY = "recovery"
    EASE = "ease"
    REPROJECT = "re-project"
    FILL = "fill"
    SCALE_DOWN = "scale-down"
    SWAP = "swap"
    FORCE = "force"
    SKIP = "skip"
    REPLACE_ALL = "re-place"


@dataclass(frozen=True)
class ProposedChange:
    """One change: the new state of what it touches, and why."""

    trigger: Trigger
    action: Action
    reason: str
    workouts: tuple[WorkoutState, ...] = ()
    """New states; a negative id is a workout this change creates."""
    weeks: tuple[WeekState, ...] = ()
    blocks: tuple[BlockState, ...] = ()
    """New states; a negative id is a block this change creates."""
    removed_workouts: tuple[int, ...] = ()
    removed_blocks: tuple[int, ...] = ()
    availability: Availability | None = None
    """The grid this change assumes (a re-placement after the grid changed)."""
    cause: Mapping[str, Any] = field(default_factory=dict)
    """What fired it, as JSON data: ``{"sick_days": [...]}``, ``{"ride_id": 12}`` …"""
    about: tuple[int, ...] = ()
    """Workouts the change is about but leaves as they are (the missed one a move
    copies, the failed one a regression answers)."""

    @property
    def workout_ids(self) -> tuple[int, ...]:
        """The workouts it is about, then every workout it touches."""
        seen: dict[int, None] = dict.fromkeys(self.about)
        for workout in self.workouts:
            seen[workout.id] = None
        for workout_id in self.removed_workouts:
            seen[workout_id] = None
        return tuple(seen)

    @property
    def is_empty(self) -> bool:
        """Nothing to write and nothing to log (a dropped miss changes no row but is
        logged all the same)."""
        return not (
            self.about
            or self.workouts
            or self.weeks
            or self.blocks
            or self.removed_workouts
            or self.removed_blocks
        )

    def applied_to(self, plan: PlanState) -> PlanState:
        """The plan with this change folded in."""
        return plan.with_items(
            self.workouts,
            self.weeks,
            self.blocks,
            self.removed_workouts,
            self.removed_blocks,
            self.availability,
        )

    def only_differences(self, plan: PlanState) -> ProposedChange:
        """This change without the items it would leave as they are in ``plan``."""
        workouts = tuple(w for w in self.workouts if not _same_workout(plan, w))
        weeks = tuple(w for w in self.weeks if not _same(plan.weeks, w))
        blocks = tuple(b for b in self.blocks if not _same(plan.blocks, b))
        return ProposedChange(
            self.trigger,
            self.action,
            self.reason,
            workouts,
            weeks,
            blocks,
            self.removed_workouts,
            self.removed_blocks,
            self.availability,
            self.cause,
            self.about,
        )


def _same_workout(plan: PlanState, workout: WorkoutState) -> bool:
    if workout.id < 0:
        return False
    try:
        return plan.workout(workout.id) == workout
    except KeyError:
        return False


def _same(items: tuple[WeekState, ...] | tuple[BlockState, ...], item: object) -> bool:
    return any(existing == item for existing in items)

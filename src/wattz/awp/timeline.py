"""Unrolling an AWP tree into the flat timeline a trainer, a chart or a metric reads."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wattz.awp.models import FreeRide, Repeat, Step, TextEvent, Workout
from wattz.awp.validate import MAX_UNROLLED_SEGMENTS, steps_extent
from wattz.errors import InvalidWorkout

FREE_RIDE_ASSUMED_POWER = 0.55
"""Power assumed for FreeRide (no target) in metrics: the top of Coggan's Z1, so a
free-ride section neither inflates a plan's TSS nor counts as work."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One unrolled step: when it starts, how long it lasts and what it asks for."""

    start_s: int
    duration_s: int
    power_start: float | None
    power_end: float | None
    step_type: str
    intensity: str
    cadence: int | None = None
    instruction: str | None = None
    text_events: tuple[TextEvent, ...] = ()

    @property
    def end_s(self) -> int:
        return self.start_s + self.duration_s

    @property
    def is_free(self) -> bool:
        return self.power_start is None

    def power_at(self, offset_s: float) -> float:
        """Target at ``offset_s`` seconds into the segment (linear for ramps)."""
        if self.power_start is None or self.power_end is None:
            return FREE_RIDE_ASSUMED_POWER
        if self.duration_s <= 0:
            return self.power_start
        return self.power_start + (self.power_end - self.power_start) * offset_s / self.duration_s

    @property
    def mean_power(self) -> float:
        if self.power_start is None or self.power_end is None:
            return FREE_RIDE_ASSUMED_POWER
        return (self.power_start + self.power_end) / 2


def unroll(workout: Workout) -> tuple[Segment, ...]:
    """The workout as consecutive segments; refuses trees too large to unroll."""
    extent = steps_extent(workout.steps)
    if extent.segments > MAX_UNROLLED_SEGMENTS:
        raise InvalidWorkout(
            f"the workout unrolls to {extent.segments:,} segments; at most "
            f"{MAX_UNROLLED_SEGMENTS:,} are allowed"
        )
    return tuple(_unroll_steps(workout.steps, 0))


def _unroll_steps(steps: Sequence[Step], start_s: int) -> Iterator[Segment]:
    clock = start_s
    for step in steps:
        for segment in _unroll_step(step, clock):
            clock = segment.end_s
            yield segment


def _unroll_step(step: Step, start_s: int) -> Iterator[Segment]:
    if isinstance(step, Repeat):
        clock = start_s
        for repetition in range(step.repeats):
            if repetition and step.rest_between is not None:
                for segment in _unroll_step(step.rest_between, clock):
                    clock = segment.end_s
                    yield segment
            for segment in _unroll_steps(step.content, clock):
                clock = segment.end_s
                yield segment
        return
    if isinstance(step, FreeRide):
        low = high = None
    elif step.power.type == "steady":
        low = high = step.power.value
    else:
        low, high = step.power.start, step.power.end
    intensity = step.intensity or _default_intensity(step.type)
    yield Segment(
        start_s=start_s,
        duration_s=step.duration,
        power_start=low,
        power_end=high,
        step_type=step.type,
        intensity=intensity,
        cadence=step.cadence,
        instruction=step.instruction,
        text_events=tuple(step.text_events or ()),
    )


def _default_intensity(step_type: str) -> str:
    return {"Warmup": "warmup", "Cooldown": "cooldown"}.get(step_type, "active")

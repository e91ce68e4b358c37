"""An AWP workout as a head unit can follow it: flat steps, counted repeats, no ramps.

Garmin and Wahoo units hold a power target per step and cannot move it within a step,
and their repeats have no "rest between, but not after the last". So before a FIT or
.plan writer sees a workout, this module

- steps each ramp into pieces that each cross at most ``RAMP_PIECE_FRACTION`` of FTP and
  last at most ``RAMP_PIECE_MAX_S`` (at most ``MAX_RAMP_STEPS``, none under a second), each
  targeting the range the ramp crosses in it, so the middle of every range is the ramp's
  mean there and the workout's load is kept;
- writes ``n × content`` with ``restBetween`` as ``(n − 1) × (content, rest)`` + content;
- drops repeats of one, and unrolls repeats nested deeper than the unit can count.

Durations are kept to the second, so the whole workout lasts exactly as long.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from wattz.awp.models import FreeRide, Repeat, Step, Workout

RAMP_PIECE_FRACTION = 0.05
"""A stepped ramp moves the target by at most 5 % FTP at a time: a change a rider feels
as smooth, and fine enough that NP (and so TSS) hardly moves."""
RAMP_PIECE_MAX_S = 300
"""…and holds a target for at most five minutes, so a long gentle ramp still moves."""
SPLIT_STEADY_MIN_S = 600
"""Steady steps from ten minutes on are split to keep their work (see ``_steady``)."""
MAX_RAMP_STEPS = 20
"""A ramp becomes at most this many pieces (units cap a workout near 100 steps)."""

_STEP_NAMES = {
    "Warmup": "Warm up",
    "Cooldown": "Cool down",
    "SteadyState": "Interval",
    "Ramp": "Ramp",
    "FreeRide": "Free ride",
}


@dataclass(frozen=True)
class UnitStep:
    """One timed step: a power range in fractions of FTP (None: no target)."""

    duration_s: int
    power_low: float | None
    power_high: float | None
    intensity: str
    """``warmup``, ``active``, ``rest`` or ``cooldown`` (the FIT intensity names)."""
    name: str
    notes: str | None = None
    cadence: int | None = None


@dataclass(frozen=True)
class UnitRepeat:
    """``content`` done ``repeats`` (≥ 2) times in all."""

    repeats: int
    content: tuple[UnitNode, ...]


UnitNode = UnitStep | UnitRepeat


def head_unit_steps(workout: Workout, max_depth: int = 4) -> list[UnitNode]:
    """The workout as a unit's step tree, repeats nested at most ``max_depth`` deep."""
    return _nodes(workout.steps, max_depth)


def count_steps(nodes: Sequence[UnitNode]) -> int:
    """Messages a FIT file needs: one per step plus one per repeat."""
    return sum(1 + count_steps(n.content) if isinstance(n, UnitRepeat) else 1 for n in nodes)


def unit_seconds(nodes: Sequence[UnitNode]) -> int:
    return sum(
        n.repeats * unit_seconds(n.content) if isinstance(n, UnitRepeat) else n.duration_s
        for n in nodes
    )


def _nodes(steps: Sequence[Step], depth_left: int) -> list[UnitNode]:
    nodes: list[UnitNode] = []
    for step in steps:
        nodes.extend(_node(step, depth_left))
    return nodes


def _node(step: Step, depth_left: int) -> list[UnitNode]:
    if not isinstance(step, Repeat):
        return list(_leaf(step))
    if step.rest_between is not None and step.repeats > 1:
        body = [*step.content, step.rest_between]
        first = Repeat(repeats=step.repeats - 1, content=body)
        return [*_node(first, depth_left), *_nodes(step.content, depth_left)]
    if step.repeats == 1:
        return _nodes(step.content, depth_left)
    if depth_left <= 0:
        once = _nodes(step.content, depth_left)
        return [node for _ in range(step.repeats) for node in once]
    return [UnitRepeat(step.repeats, tuple(_nodes(step.content, depth_left - 1)))]


def _leaf(step: Step) -> list[UnitStep]:
    assert not isinstance(step, Repeat)
    intensity = {"Warmup": "warmup", "Cooldown": "cooldown"}.get(step.type, "active")
    if step.intensity == "rest" and intensity == "active":
        intensity = "rest"
    name = _STEP_NAMES[step.type] if intensity != "rest" else "Recovery"
    notes = step.instruction
    if isinstance(step, FreeRide):
        return [UnitStep(step.duration, None, None, intensity, name, notes, step.cadence)]
    power = step.power
    if power.type == "steady":
        return _steady(step.duration, power.value, intensity, name, notes, step.cadence)
    pieces = ramp_pieces(step.duration, power.end - power.start)
    bounds = [round(step.duration * i / pieces) for i in range(pieces + 1)]
    span = power.end - power.start
    steps = []
    for index in range(pieces):
        start_s, end_s = bounds[index], bounds[index + 1]
        at_start = power.start + span * start_s / step.duration
        at_end = power.start + span * end_s / step.duration
        steps.append(
            UnitStep(
                end_s - start_s,
                min(at_start, at_end),
                max(at_start, at_end),
                intensity,
                f"{name} {index + 1}/{pieces}" if pieces > 1 else name,
                notes if index == 0 else None,
                step.cadence,
            )
        )
    return steps


def _steady(
    duration_s: int, value: float, intensity: str, name: str, notes: str | None, cadence: int | None
) -> list[UnitStep]:
    """A steady target; a long one between two half-percents is split to keep its work.

    Units hold whole percents, so a range's middle can only fall on a half percent. A
    long step at, say, 72.6 % is written as 72.5 % then 73 % for the shares of its time
    that give the same mean, rather than an hour at 72.5 %.
    """
    half_percents = value * 200
    lower, upper = math.floor(half_percents), math.ceil(half_percents)
    share = half_percents - lower
    upper_s = round(duration_s * share)
    if duration_s < SPLIT_STEADY_MIN_S or upper == lower or upper_s in (0, duration_s):
        return [UnitStep(duration_s, value, value, intensity, name, notes, cadence)]
    return [
        UnitStep(
            duration_s - upper_s, lower / 200, lower / 200, intensity, f"{name} 1/2", notes, cadence
        ),
        UnitStep(upper_s, upper / 200, upper / 200, intensity, f"{name} 2/2", None, cadence),
    ]


def ramp_pieces(duration_s: int, change: float) -> int:
    """How many steps a ramp of ``duration_s`` moving by ``change`` (fraction) becomes."""
    wanted = max(
        math.ceil(abs(change) / RAMP_PIECE_FRACTION - 1e-9),
        math.ceil(duration_s / RAMP_PIECE_MAX_S),
    )
    return max(1, min(MAX_RAMP_STEPS, duration_s, wanted))


def percent_range(low: float, high: float) -> tuple[int, int]:
    """Whole-percent bounds whose middle is as near the intended middle as can be.

    Units take % FTP in whole numbers. A steady 72.6 % becomes 72–73 (middle 72.5)
    rather than 73–73, and a stepped ramp's piece keeps its mean as near, so a
    unit riding the middle of the range — and wattz reading the file back — lands within
    0.25 % FTP of the intended target.
    """
    total = round((low + high) * 100)  # twice the middle, in whole percent
    bottom = min(round(low * 100), total // 2)
    return bottom, total - bottom

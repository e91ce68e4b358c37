"""Transforms that take a valid AWP workout and return a valid AWP workout.

They are where a plan meets a life: the impact analysis of a moved workout ("scale it
down — keep the intervals, cut the recovery and endurance volume", blueprint §5.1) and
the adaptation rules (regress the next similar workout 5–10 %, progress after an easy
one, blueprint §6.2).

Every leaf step plays one role, judged from its type, its ``intensity`` and its power:

- *work*: an active step above the top of Coggan's Z2 (0.75 FTP). Never shortened.
- *filler*: a top-level endurance step (≤ Z2, or FreeRide) in a workout that has work.
  Cut first, and removed outright when needed.
- *warm*: a top-level Warmup or Cooldown. Cut next, down to a few minutes.
- *recovery*: a step marked ``"intensity": "rest"``, or an easy step (≤ Z2) inside a
  Repeat. Cut next, down to half its length.
- *endurance*: in a workout with no work at all, the easy riding *is* the workout: cut
  last, never below twenty minutes in all.

Only when every role is at its floor are repeat counts lowered, never below half the
original count; the time this frees is then handed back in the reverse order, so filler
stays cut longest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import (
    Cooldown,
    FreeRide,
    LeafStep,
    Meta,
    RampPower,
    Repeat,
    SteadyPower,
    Step,
    TextEvent,
    Warmup,
    Workout,
)
from wattz.awp.timeline import FREE_RIDE_ASSUMED_POWER
from wattz.awp.validate import MAX_POWER_FRACTION, steps_extent, validate_workout
from wattz.awp.zones import POWER_ZONES
from wattz.errors import InvalidValue, InvalidWorkout

StepRole = Literal["work", "filler", "warm", "recovery", "endurance"]
IntensityScope = Literal["work", "all"]

ENDURANCE_CEILING = POWER_ZONES[1].upper or 0.75
"""Top of Coggan's Z2 (0.75 FTP): at or below it a step is endurance or recovery."""

WARMUP_MIN_S = 300
"""A warm-up is never cut below 5 minutes: the shortest that still prepares for work."""

COOLDOWN_MIN_S = 180
"""A cool-down is never cut below 3 minutes of easy spinning."""

RECOVERY_MIN_SHARE = 0.5
"""A recovery keeps at least half its length, so the work:rest ratio stays near the
coach's intent (a 2:1 becomes at most 4:1)."""

RECOVERY_MIN_S = 30
"""…and at least 30 s, the shortest rest that lets power targets settle on a trainer."""

ENDURANCE_MIN_S = 20 * 60
"""An endurance ride keeps at least 20 minutes of its easy riding in all."""

REPEAT_MIN_SHARE = 0.5
"""A Repeat keeps at least half its repetitions (rounded up, at least one)."""

MIN_STEP_S = 60
"""Filler shorter than a minute is dropped rather than left as a sliver."""

MAX_INTENSITY_CHANGE_PERCENT = 50.0
"""A change larger than ±50 % is a different workout, not an adjustment of this one."""

POWER_DECIMALS = 3
"""Scaled power targets are rounded to 0.1 % of FTP (below a watt at any FTP)."""

# Order in which time is taken away; it is handed back in the reverse order.
_CUT_ORDER: tuple[StepRole, ...] = ("filler", "warm", "recovery", "endurance")

StepPath = tuple[int | str, ...]
Ancestors = tuple[tuple[StepPath, str], ...]
"""Each enclosing Repeat's path and whether a leaf is in its content or its rest."""
_CONTENT = "content"
_REST = "restBetween"


@dataclass(frozen=True)
class _Leaf:
    """A leaf step at one place in the tree, with what it may be cut to."""

    path: StepPath
    step: LeafStep
    role: StepRole
    floor_s: int
    ancestors: Ancestors

    def multiplicity(self, counts: dict[StepPath, int]) -> int:
        return _multiplicity(self.ancestors, counts)


def _multiplicity(ancestors: Ancestors, counts: dict[StepPath, int]) -> int:
    """How many times a leaf is ridden with these repeat counts."""
    times = 1
    for repeat_path, part in ancestors:
        count = counts[repeat_path]
        times *= count if part == _CONTENT else count - 1
    return times


@dataclass(frozen=True)
class _RepeatNode:
    path: StepPath
    repeats: int
    min_repeats: int


def shortest_duration_s(workout: Workout) -> int:
    """The shortest duration ``scale_to_duration`` can bring ``workout`` to, in seconds.

    Every role at its floor and every Repeat at its minimum count; the impact analysis
    uses it to decide whether scaling down can fit a slot at all.
    """
    _require_valid(workout)
    leaves, repeats = _survey(workout)
    return _floor_total(leaves, {r.path: r.min_repeats for r in repeats})


def scale_to_duration(workout: Workout, target_s: int) -> Workout:
    """``workout`` shortened to at most ``target_s`` seconds, keeping its intensity.

    Work steps keep their power and length; time comes out of filler, then warm-up and
    cool-down, then recoveries (then easy riding, in a workout that is only that), and
    only then out of repeat counts. The result lasts ``target_s`` exactly unless whole
    repetitions or a dropped sliver of filler leave it a little shorter. A workout
    already no longer than ``target_s`` is returned unchanged.

    Raises InvalidWorkout for an invalid input and InvalidValue when ``target_s`` is
    below ``shortest_duration_s(workout)``.
    """
    _require_valid(workout)
    if target_s <= 0:
        raise InvalidValue(
            f"a workout can only be scaled to a positive duration, got {target_s} s",
            "give the minutes the slot allows",
        )
    if steps_extent(workout.steps).seconds <= target_s:
        return workout
    leaves, repeats = _survey(workout)
    counts = {r.path: r.repeats for r in repeats}
    shortest_s = _floor_total(leaves, {r.path: r.min_repeats for r in repeats})
    if shortest_s > target_s:
        raise InvalidValue(
            f"'{workout.meta.title}' cannot be scaled to {_minutes(target_s)}: it needs at "
            f"least {_minutes(shortest_s)} to keep its point",
            "give it a longer slot, or swap it for a shorter workout",
        )
    while _floor_total(leaves, counts) > target_s:
        _drop_one_repetition(repeats, counts, leaves, target_s)
    durations = _hand_back(leaves, counts, target_s - _floor_total(leaves, counts))
    steps = [
        rebuilt
        for index, step in enumerate(workout.steps)
        if (rebuilt := _rebuild(step, (index,), durations, counts)) is not None
    ]
    return _with_steps(workout, steps)


def scale_intensity(workout: Workout, percent: float, scope: IntensityScope = "work") -> Workout:
    """``workout`` with its power targets raised or lowered by ``percent`` (−50 to +50).

    With ``scope="work"`` only the work steps change (the intervals a regression or a
    progression is about, blueprint §6.2; in a workout with no work, its endurance
    riding); warm-up, cool-down and recoveries stay put. ``scope="all"`` scales every
    target, like a trainer app's intensity slider. Targets are rounded to 0.001 FTP and
    kept within 0–3.0 FTP, so the result is always valid.
    """
    _require_valid(workout)
    if not -MAX_INTENSITY_CHANGE_PERCENT <= percent <= MAX_INTENSITY_CHANGE_PERCENT:
        raise InvalidValue(
            f"an intensity change must be between -{MAX_INTENSITY_CHANGE_PERCENT:g} % and "
            f"+{MAX_INTENSITY_CHANGE_PERCENT:g} %, got {percent:g} %",
            "pick another workout for a bigger change",
        )
    factor = 1 + percent / 100
    leaves, _ = _survey(workout)
    chosen = {leaf.path for leaf in leaves if scope == "all" or leaf.role in {"work", "endurance"}}
    steps = [_rescale(step, (index,), chosen, factor) for index, step in enumerate(workout.steps)]
    return _with_steps(workout, steps)


def step_roles(workout: Workout) -> dict[StepPath, StepRole]:
    """The role of each leaf step, keyed by its place in the tree.

    A path is the top-level index followed by ``"content", i`` or ``"restBetween"`` for
    each Repeat it sits in, e.g. ``(1, "content", 0)``.
    """
    leaves, _ = _survey(workout)
    return {leaf.path: leaf.role for leaf in leaves}


def _require_valid(workout: Workout) -> None:
    findings = validate_workout(workout)
    if findings:
        raise InvalidWorkout(
            f"the workout is not valid AWP ({findings[0]})",
            [str(finding) for finding in findings],
            hint="validate and fix it before scaling",
        )


def _survey(workout: Workout) -> tuple[list[_Leaf], list[_RepeatNode]]:
    """Every leaf with its role and floor, and every Repeat with its minimum count."""
    placed = list(_walk(workout.steps, (), ()))
    has_work = any(_raw_role(step, ancestors) == "work" for _, step, ancestors in placed)
    roles = {path: _role(step, ancestors, has_work) for path, step, ancestors in placed}
    repeats = [
        _RepeatNode(path, step.repeats, max(1, math.ceil(step.repeats * REPEAT_MIN_SHARE)))
        for path, step in _walk_repeats(workout.steps, ())
    ]
    counts = {r.path: r.repeats for r in repeats}
    endurance_s = sum(
        step.duration * _multiplicity(ancestors, counts)
        for path, step, ancestors in placed
        if roles[path] == "endurance"
    )
    leaves = [
        _Leaf(path, step, roles[path], _floor_of(step, roles[path], endurance_s), ancestors)
        for path, step, ancestors in placed
    ]
    return leaves, repeats


def _walk(
    steps: Sequence[Step], prefix: StepPath, ancestors: Ancestors
) -> Iterator[tuple[StepPath, LeafStep, Ancestors]]:
    for index, step in enumerate(steps):
        yield from _walk_step(step, (*prefix, index), ancestors)


def _walk_step(
    step: Step, path: StepPath, ancestors: Ancestors
) -> Iterator[tuple[StepPath, LeafStep, Ancestors]]:
    if isinstance(step, Repeat):
        yield from _walk(step.content, (*path, _CONTENT), (*ancestors, (path, _CONTENT)))
        if step.rest_between is not None:
            yield from _walk_step(step.rest_between, (*path, _REST), (*ancestors, (path, _REST)))
    else:
        yield path, step, ancestors


def _walk_repeats(steps: Sequence[Step], prefix: StepPath) -> Iterator[tuple[StepPath, Repeat]]:
    for index, step in enumerate(steps):
        yield from _walk_repeat(step, (*prefix, index))


def _walk_repeat(step: Step, path: StepPath) -> Iterator[tuple[StepPath, Repeat]]:
    if isinstance(step, Repeat):
        yield path, step
        yield from _walk_repeats(step.content, (*path, _CONTENT))
        if step.rest_between is not None:
            yield from _walk_repeat(step.rest_between, (*path, _REST))


def _role(step: LeafStep, ancestors: Ancestors, has_work: bool) -> StepRole:
    role = _raw_role(step, ancestors)
    if not has_work and role in {"filler", "recovery"} and not _is_rest(step):
        return "endurance"
    return role


def _raw_role(step: LeafStep, ancestors: Ancestors) -> StepRole:
    """The role judged from the step alone, before knowing whether the workout has work."""
    in_repeat = bool(ancestors)
    if not in_repeat and isinstance(step, Warmup | Cooldown):
        return "warm"
    if _is_rest(step):
        return "recovery"
    if _peak_power(step) <= ENDURANCE_CEILING:
        return "recovery" if in_repeat else "filler"
    return "work"


def _is_rest(step: LeafStep) -> bool:
    return step.intensity == "rest"


def _peak_power(step: LeafStep) -> float:
    if isinstance(step, FreeRide):
        return FREE_RIDE_ASSUMED_POWER
    if isinstance(step.power, SteadyPower):
        return step.power.value
    return max(step.power.start, step.power.end)


def _floor_of(step: LeafStep, role: StepRole, endurance_s: int) -> int:
    duration = step.duration
    if role == "work":
        return duration
    if role == "filler":
        return 0
    if role == "warm":
        return min(duration, WARMUP_MIN_S if isinstance(step, Warmup) else COOLDOWN_MIN_S)
    if role == "recovery":
        return min(duration, max(math.ceil(duration * RECOVERY_MIN_SHARE), RECOVERY_MIN_S))
    keep_share = min(1.0, ENDURANCE_MIN_S / endurance_s) if endurance_s else 1.0
    return min(duration, math.ceil(duration * keep_share))


def _floor_total(leaves: Sequence[_Leaf], counts: dict[StepPath, int]) -> int:
    return sum(leaf.floor_s * leaf.multiplicity(counts) for leaf in leaves)


def _drop_one_repetition(
    repeats: Sequence[_RepeatNode],
    counts: dict[StepPath, int],
    leaves: Sequence[_Leaf],
    target_s: int,
) -> None:
    """Lower one Repeat's count by one, on the way to fitting ``target_s``.

    When one repetition less somewhere is enough, drop the one that frees the least time
    (the result lands nearest the target); otherwise take from the Repeat that has kept
    the largest share of its repetitions, so sets shrink evenly. The caller has checked
    that every Repeat at its minimum count fits.
    """
    now_s = _floor_total(leaves, counts)
    saving_s = {
        r.path: now_s - _floor_total(leaves, {**counts, r.path: counts[r.path] - 1})
        for r in repeats
        if counts[r.path] > r.min_repeats
    }
    candidates = [r for r in repeats if r.path in saving_s]
    finishing = [r for r in candidates if now_s - saving_s[r.path] <= target_s]
    if finishing:
        chosen = min(finishing, key=lambda r: (saving_s[r.path], r.path))
    else:
        chosen = min(
            candidates, key=lambda r: (-counts[r.path] / r.repeats, saving_s[r.path], r.path)
        )
    counts[chosen.path] -= 1


def _hand_back(
    leaves: Sequence[_Leaf], counts: dict[StepPath, int], slack_s: int
) -> dict[StepPath, int]:
    """Durations with every leaf at its floor plus ``slack_s`` returned, last-cut first."""
    durations = {leaf.path: leaf.floor_s for leaf in leaves}
    for leaf in leaves:
        if leaf.multiplicity(counts) == 0:
            durations[leaf.path] = leaf.step.duration  # an unused restBetween stays as written
    for role in reversed(_CUT_ORDER):
        group = [leaf for leaf in leaves if leaf.role == role and leaf.multiplicity(counts) > 0]
        given = _share_out(group, counts, slack_s, avoid_slivers=role == "filler")
        for path, seconds in given.items():
            durations[path] += seconds
        slack_s -= sum(given[leaf.path] * leaf.multiplicity(counts) for leaf in group)
    return durations


def _share_out(
    group: Sequence[_Leaf], counts: dict[StepPath, int], amount_s: int, *, avoid_slivers: bool
) -> dict[StepPath, int]:
    """Seconds to add to each leaf of ``group`` (per repetition), ``amount_s`` in all.

    In proportion to each leaf's room above its floor; whole seconds left over go to the
    leaves ridden fewest times. Filler that would come back as a sliver gets nothing.
    """
    active = list(group)
    while True:
        given = _proportional(active, counts, amount_s)
        slivers = [
            leaf
            for leaf in active
            if avoid_slivers and 0 < given[leaf.path] < min(leaf.step.duration, MIN_STEP_S)
        ]
        if not slivers:
            return {leaf.path: given.get(leaf.path, 0) for leaf in group}
        shortest = min(slivers, key=lambda leaf: (given[leaf.path], leaf.path))
        active.remove(shortest)


def _proportional(
    group: Sequence[_Leaf], counts: dict[StepPath, int], amount_s: int
) -> dict[StepPath, int]:
    rooms = {leaf.path: leaf.step.duration - leaf.floor_s for leaf in group}
    capacity = sum(rooms[leaf.path] * leaf.multiplicity(counts) for leaf in group)
    if capacity <= amount_s:
        return rooms
    given = {leaf.path: rooms[leaf.path] * amount_s // capacity for leaf in group}
    left_s = amount_s - sum(given[leaf.path] * leaf.multiplicity(counts) for leaf in group)
    for leaf in sorted(group, key=lambda leaf: (leaf.multiplicity(counts), leaf.path)):
        times = leaf.multiplicity(counts)
        extra = min(rooms[leaf.path] - given[leaf.path], left_s // times)
        given[leaf.path] += extra
        left_s -= extra * times
    return given


def _rebuild(
    step: Step, path: StepPath, durations: dict[StepPath, int], counts: dict[StepPath, int]
) -> Step | None:
    """The step with its new durations and counts; None for filler cut away entirely."""
    if isinstance(step, Repeat):
        content = [
            rebuilt
            for index, child in enumerate(step.content)
            if (rebuilt := _rebuild(child, (*path, _CONTENT, index), durations, counts)) is not None
        ]
        rest = (
            None
            if step.rest_between is None
            else _rebuild(step.rest_between, (*path, _REST), durations, counts)
        )
        return step.model_copy(
            update={"repeats": counts[path], "content": content, "rest_between": rest}
        )
    duration = durations[path]
    if duration <= 0:
        return None
    if duration == step.duration:
        return step
    return step.model_copy(
        update={"duration": duration, "text_events": _moved_events(step, duration)}
    )


def _moved_events(step: LeafStep, duration_s: int) -> list[TextEvent] | None:
    """Cues keep their relative place in a shortened step, so each stays inside it."""
    if step.text_events is None:
        return None
    return [
        event.model_copy(update={"offset": event.offset * duration_s // step.duration})
        for event in step.text_events
    ]


def _rescale(step: Step, path: StepPath, chosen: set[StepPath], factor: float) -> Step:
    if isinstance(step, Repeat):
        content = [
            _rescale(child, (*path, _CONTENT, index), chosen, factor)
            for index, child in enumerate(step.content)
        ]
        rest = (
            None
            if step.rest_between is None
            else _rescale(step.rest_between, (*path, _REST), chosen, factor)
        )
        return step.model_copy(update={"content": content, "rest_between": rest})
    if path not in chosen or isinstance(step, FreeRide):
        return step
    power = step.power
    scaled: SteadyPower | RampPower
    if isinstance(power, SteadyPower):
        scaled = power.model_copy(update={"value": _scaled_power(power.value, factor)})
    else:
        scaled = power.model_copy(
            update={
                "start": _scaled_power(power.start, factor),
                "end": _scaled_power(power.end, factor),
            }
        )
    return step.model_copy(update={"power": scaled})


def _scaled_power(fraction: float, factor: float) -> float:
    return min(MAX_POWER_FRACTION, max(0.0, round(fraction * factor, POWER_DECIMALS)))


def _with_steps(workout: Workout, steps: list[Step]) -> Workout:
    """A new document around ``steps`` with its declared total (and TSS) brought up to date.

    Rebuilt through validation so the result is a fresh, checked model, not a copy
    that merely looks like one.
    """
    draft = workout.model_copy(
        update={
            "steps": steps,
            "meta": workout.meta.model_copy(
                update={"total_duration_seconds": steps_extent(steps).seconds}
            ),
        }
    )
    result = Workout.model_validate_json(draft.to_json())
    if result.meta.estimated_tss is None:
        return result
    meta: Meta = result.meta.model_copy(
        update={"estimated_tss": round(workout_metrics(result).tss, 1)}
    )
    return result.model_copy(update={"meta": meta})


def _minutes(seconds: int) -> str:
    minutes, rest_s = divmod(seconds, 60)
    return f"{minutes} min" if not rest_s else f"{minutes} min {rest_s} s"

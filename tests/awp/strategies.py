"""Hypothesis strategies for AWP 1.0 documents: valid workouts and near-misses.

Shared with other packages' tests (plan, adapt, export) that need arbitrary workouts.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from wattz.awp.models import (
    Cooldown,
    FreeRide,
    Meta,
    Ramp,
    RampPower,
    Repeat,
    SteadyPower,
    SteadyState,
    Step,
    TextEvent,
    Warmup,
    Workout,
)
from wattz.awp.validate import MAX_TOTAL_SECONDS, MAX_UNROLLED_SEGMENTS, steps_extent

MAX_DEPTH = 3

# Mostly the powers real workouts use, sometimes anything the protocol allows.
power_fractions = st.one_of(
    st.integers(30, 150).map(lambda percent: percent / 100),
    st.floats(0.0, 3.0, allow_nan=False, allow_infinity=False),
)
durations_s = st.one_of(st.integers(1, 1800), st.sampled_from([30, 60, 120, 300, 600, 1200]))
powers = st.one_of(
    st.builds(SteadyPower, value=power_fractions),
    st.builds(RampPower, start=power_fractions, end=power_fractions),
)


_cadences = st.none() | st.integers(20, 200)
_intensities = st.none() | st.sampled_from(["active", "rest"])
_cue_places = st.none() | st.lists(st.integers(0, 999), max_size=3)
_leaf_kinds = st.sampled_from([Warmup, Cooldown, SteadyState, Ramp, FreeRide])


@st.composite
def leaf_steps(draw: st.DrawFn) -> Step:
    """A Warmup, Cooldown, SteadyState, Ramp or FreeRide with optional extras."""
    duration = draw(durations_s)
    places = draw(_cue_places)
    extras: dict[str, Any] = {
        "cadence": draw(_cadences),
        "intensity": draw(_intensities),
        "text_events": None
        if places is None
        else [TextEvent(offset=place * duration // 1000, message="cue") for place in places],
    }
    kind = draw(_leaf_kinds)
    if kind is FreeRide:
        return FreeRide(duration=duration, **extras)
    step: Step = kind(duration=duration, power=draw(powers), **extras)
    return step


_LEAVES = leaf_steps()


@functools.cache
def step_lists(depth: int = 0) -> st.SearchStrategy[list[Step]]:
    """Steps with Repeat blocks nested at most ``MAX_DEPTH`` levels deep."""
    widest = 5 - depth  # deeper lists are shorter: trees stay quick to draw
    if depth >= MAX_DEPTH:
        return st.lists(_LEAVES, min_size=1, max_size=widest)
    return st.lists(st.one_of(_LEAVES, repeats(depth + 1)), min_size=1, max_size=widest)


@st.composite
def repeats(draw: st.DrawFn, depth: int) -> Step:
    return Repeat(
        repeats=draw(st.integers(1, 8)),
        content=draw(step_lists(depth)),
        rest_between=draw(st.none() | _LEAVES),
    )


@st.composite
def workouts(draw: st.DrawFn) -> Workout:
    """A valid AWP 1.0 workout (its declared total equals its unrolled sum)."""
    steps: list[Step] = []
    for step in draw(step_lists()):
        extent = steps_extent([*steps, step])
        if extent.segments <= MAX_UNROLLED_SEGMENTS and extent.seconds <= MAX_TOTAL_SECONDS:
            steps.append(step)
    if not steps:  # every drawn step alone was too large to ride
        steps = [SteadyState(duration=3600, power=SteadyPower(value=0.7))]
    estimated = draw(st.none() | st.just(50.0))
    return Workout(
        meta=Meta(
            title=draw(st.text(max_size=20)),
            total_duration_seconds=steps_extent(steps).seconds,
            estimated_tss=estimated,
        ),
        steps=steps,
    )


def json_values() -> st.SearchStrategy[Any]:
    """Arbitrary JSON, for inputs of the wrong shape."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=20,
    )

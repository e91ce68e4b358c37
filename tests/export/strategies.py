"""Hypothesis strategies for AWP workouts as a coach writes them (whole percents of FTP)."""

from __future__ import annotations

from hypothesis import assume
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
from wattz.awp.validate import steps_extent, validate_workout

fractions = st.integers(min_value=30, max_value=150).map(lambda percent: percent / 100)
sprint_fractions = st.integers(min_value=30, max_value=250).map(lambda percent: percent / 100)
"""Above 150 % FTP only for a minute at most: nobody rides 250 % for ten minutes."""
SPRINT_MAX_S = 60
durations = st.integers(min_value=1, max_value=900)
cadences = st.none() | st.integers(min_value=60, max_value=120)
words = st.text(alphabet="abcdefghij klm", min_size=1, max_size=20).map(str.strip).filter(bool)


@st.composite
def powers(draw: st.DrawFn, duration_s: int) -> SteadyPower | RampPower:
    values = sprint_fractions if duration_s <= SPRINT_MAX_S else fractions
    start = draw(values)
    if draw(st.booleans()):
        return SteadyPower(value=start)
    end = draw(values.filter(lambda value: value != start))
    return RampPower(start=start, end=end)


@st.composite
def leaves(draw: st.DrawFn) -> Step:
    duration = draw(durations)
    cadence = draw(cadences)
    events = None
    if draw(st.booleans()) and duration > 1:
        offset = draw(st.integers(min_value=0, max_value=duration - 1))
        events = [TextEvent(offset=offset, message=draw(words))]
    kind = draw(st.sampled_from(["SteadyState", "Ramp", "Warmup", "Cooldown", "FreeRide"]))
    if kind == "FreeRide":
        return FreeRide(duration=duration, cadence=cadence, text_events=events)
    step_type = {"SteadyState": SteadyState, "Ramp": Ramp, "Warmup": Warmup, "Cooldown": Cooldown}
    return step_type[kind](
        duration=duration,
        power=draw(powers(duration)),
        cadence=cadence,
        text_events=events,
        intensity=draw(st.sampled_from([None, "rest"])),
    )


def repeats(children: st.SearchStrategy[Step]) -> st.SearchStrategy[Step]:
    return st.builds(
        lambda times, content, rest: Repeat(repeats=times, content=content, rest_between=rest),
        st.integers(min_value=1, max_value=5),
        st.lists(children, min_size=1, max_size=3),
        st.none() | leaves(),
    )


steps = st.recursive(leaves(), repeats, max_leaves=6)


@st.composite
def workouts(draw: st.DrawFn) -> Workout:
    body = draw(st.lists(steps, min_size=1, max_size=5))
    extent = steps_extent(body)
    assume(extent.seconds <= 4 * 3600 and extent.segments <= 400)
    workout = Workout(
        meta=Meta(title=draw(words), total_duration_seconds=extent.seconds), steps=body
    )
    assume(not validate_workout(workout))
    return workout

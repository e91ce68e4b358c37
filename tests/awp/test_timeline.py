"""Unrolling: the AWP tree as the flat, gapless timeline a trainer, a chart or a metric reads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.awp.strategies import workouts
from wattz.awp.metrics import workout_metrics
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
from wattz.awp.timeline import FREE_RIDE_ASSUMED_POWER, Segment, unroll
from wattz.awp.validate import MAX_UNROLLED_SEGMENTS, steps_extent
from wattz.errors import InvalidWorkout


def workout_of(*steps: Step) -> Workout:
    return Workout(
        meta=Meta(title="test", total_duration_seconds=steps_extent(steps).seconds),
        steps=list(steps),
    )


def steady(duration_s: int, value: float) -> SteadyState:
    return SteadyState(duration=duration_s, power=SteadyPower(value=value))


def shape(segments: tuple[Segment, ...]) -> list[tuple[int, int, float | None]]:
    return [(s.start_s, s.duration_s, s.power_start) for s in segments]


def test_steps_follow_each_other_without_gaps() -> None:
    segments = unroll(workout_of(steady(300, 0.5), steady(600, 1.0), steady(120, 0.6)))
    assert shape(segments) == [(0, 300, 0.5), (300, 600, 1.0), (900, 120, 0.6)]
    assert segments[-1].end_s == 1020


def test_rest_between_comes_between_repetitions_not_after_the_last() -> None:
    repeat = Repeat(repeats=3, content=[steady(60, 1.2)], rest_between=steady(30, 0.4))
    segments = unroll(workout_of(repeat, steady(10, 0.5)))
    assert [s.power_start for s in segments] == [1.2, 0.4, 1.2, 0.4, 1.2, 0.5]
    assert segments[-1].start_s == 3 * 60 + 2 * 30


def test_nested_repeats_unroll_depth_first() -> None:
    sets = Repeat(
        repeats=2,
        content=[Repeat(repeats=2, content=[steady(30, 1.3), steady(30, 0.5)])],
        rest_between=steady(120, 0.45),
    )
    powers = [s.power_start for s in unroll(workout_of(sets))]
    assert powers == [1.3, 0.5, 1.3, 0.5, 0.45, 1.3, 0.5, 1.3, 0.5]


def test_a_ramp_keeps_its_start_and_end_and_is_linear_between() -> None:
    (segment,) = unroll(workout_of(Ramp(duration=100, power=RampPower(start=0.5, end=1.0))))
    assert (segment.power_start, segment.power_end) == (0.5, 1.0)
    assert segment.power_at(0) == 0.5
    assert segment.power_at(50) == pytest.approx(0.75)
    assert segment.power_at(100) == 1.0
    assert segment.mean_power == pytest.approx(0.75)


def test_a_free_ride_has_no_target_and_counts_as_easy_riding() -> None:
    (segment,) = unroll(workout_of(FreeRide(duration=300)))
    assert segment.is_free
    assert segment.power_start is None and segment.power_end is None
    assert segment.power_at(10) == segment.mean_power == FREE_RIDE_ASSUMED_POWER


def test_intensity_defaults_from_the_step_type_unless_given() -> None:
    segments = unroll(
        workout_of(
            Warmup(duration=60, power=SteadyPower(value=0.5)),
            steady(60, 1.0),
            SteadyState(duration=60, power=SteadyPower(value=0.5), intensity="rest"),
            Cooldown(duration=60, power=SteadyPower(value=0.5)),
        )
    )
    assert [s.intensity for s in segments] == ["warmup", "active", "rest", "cooldown"]
    assert [s.step_type for s in segments] == ["Warmup", "SteadyState", "SteadyState", "Cooldown"]


def test_cadence_instruction_and_cues_travel_with_each_repetition() -> None:
    cue = TextEvent(offset=10, message="Spin up")
    step = SteadyState(
        duration=60,
        power=SteadyPower(value=1.1),
        cadence=100,
        instruction="High cadence",
        text_events=[cue],
    )
    segments = unroll(workout_of(Repeat(repeats=2, content=[step])))
    assert all(s.cadence == 100 and s.instruction == "High cadence" for s in segments)
    assert all(s.text_events == (cue,) for s in segments)


def test_a_tree_too_large_to_unroll_is_refused_before_unrolling() -> None:
    huge = Workout.model_construct(
        meta=Meta(title="huge", total_duration_seconds=0),
        steps=[Repeat(repeats=10**9, content=[steady(1, 1.0)])],
    )
    with pytest.raises(InvalidWorkout, match=f"at most {MAX_UNROLLED_SEGMENTS:,}"):
        unroll(huge)


@settings(max_examples=75, deadline=None)
@given(workouts())
def test_unrolled_duration_equals_the_metrics_duration_and_the_declared_total(
    workout: Workout,
) -> None:
    segments = unroll(workout)
    extent = steps_extent(workout.steps)
    assert len(segments) == extent.segments
    assert sum(s.duration_s for s in segments) == extent.seconds
    assert workout.meta.total_duration_seconds == extent.seconds
    assert workout_metrics(workout).duration_s == extent.seconds
    for before, after in zip(segments, segments[1:], strict=False):
        assert after.start_s == before.end_s

"""Transforms: scaling a workout to a shorter duration, and scaling its intensity.

The rule of scaling down (blueprint §5.1, DESIGN.md): keep the intervals, take the time
out of endurance filler first, then warm-up and cool-down, then recoveries, and only
then out of repeat counts — never below a useful minimum.
"""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.awp.strategies import workouts
from wattz.awp.metrics import workout_metrics
from wattz.awp.models import (
    Cooldown,
    FreeRide,
    LeafStep,
    Meta,
    RampPower,
    Repeat,
    SteadyPower,
    SteadyState,
    Step,
    TextEvent,
    Warmup,
    Workout,
)
from wattz.awp.transforms import (
    COOLDOWN_MIN_S,
    ENDURANCE_MIN_S,
    MIN_STEP_S,
    WARMUP_MIN_S,
    IntensityScope,
    scale_intensity,
    scale_to_duration,
    shortest_duration_s,
    step_roles,
)
from wattz.awp.validate import steps_extent, validate_document, validate_workout
from wattz.errors import InvalidValue, InvalidWorkout

PROPERTY_SETTINGS = settings(max_examples=75, deadline=None)


def workout_of(*steps: Step, estimated_tss: float | None = None) -> Workout:
    return Workout(
        meta=Meta(
            title="test",
            total_duration_seconds=steps_extent(steps).seconds,
            estimated_tss=estimated_tss,
        ),
        steps=list(steps),
    )


def steady(duration_s: int, value: float, **extras: object) -> SteadyState:
    return SteadyState(duration=duration_s, power=SteadyPower(value=value), **extras)


def two_by_twenty() -> Workout:
    """15' warm-up, 15' Z2 filler, 2×20' at 95 % with 5' rest, 10' cool-down: 85 min."""
    return workout_of(
        Warmup(duration=900, power=RampPower(start=0.5, end=0.75)),
        steady(900, 0.65),
        Repeat(
            repeats=2,
            content=[steady(1200, 0.95)],
            rest_between=steady(300, 0.5, intensity="rest"),
        ),
        Cooldown(duration=600, power=RampPower(start=0.75, end=0.5)),
    )


def vo2_sets() -> Workout:
    """10' warm-up, 4 × (5 × 1' at 120 % / 1' at 50 %), 4' free ride between, 5' cool-down."""
    return workout_of(
        Warmup(duration=600, power=RampPower(start=0.5, end=0.75)),
        Repeat(
            repeats=4,
            content=[
                Repeat(repeats=5, content=[steady(60, 1.2), steady(60, 0.5)]),
            ],
            rest_between=FreeRide(duration=240),
        ),
        Cooldown(duration=300, power=SteadyPower(value=0.5)),
    )


def duration_of(workout: Workout) -> int:
    return steps_extent(workout.steps).seconds


def work_blocks(workout: Workout) -> set[tuple[float | None, float | None, int]]:
    """Power and length of every work step, wherever it sits."""
    return {
        _shape(leaf_at(workout, path))
        for path, role in step_roles(workout).items()
        if role == "work"
    }


def leaf_at(workout: Workout, path: tuple[int | str, ...]) -> LeafStep:
    """The step a ``step_roles`` path points at."""
    node: Step | list[Step] = workout.steps
    for part in path:
        if isinstance(part, int):
            assert isinstance(node, list)
            node = node[part]
        elif part == "content":
            assert isinstance(node, Repeat)
            node = node.content
        else:
            assert isinstance(node, Repeat) and node.rest_between is not None
            node = node.rest_between
    assert not isinstance(node, list | Repeat)
    return node


def _shape(step: LeafStep) -> tuple[float | None, float | None, int]:
    if isinstance(step, FreeRide):
        return (None, None, step.duration)
    if isinstance(step.power, SteadyPower):
        return (step.power.value, step.power.value, step.duration)
    return (step.power.start, step.power.end, step.duration)


class TestRoles:
    def test_each_leaf_is_work_filler_warm_or_recovery(self) -> None:
        assert step_roles(two_by_twenty()) == {
            (0,): "warm",
            (1,): "filler",
            (2, "content", 0): "work",
            (2, "restBetween"): "recovery",
            (3,): "warm",
        }

    def test_easy_steps_inside_a_repeat_are_recoveries(self) -> None:
        roles = step_roles(vo2_sets())
        assert roles[(1, "content", 0, "content", 0)] == "work"
        assert roles[(1, "content", 0, "content", 1)] == "recovery"
        assert roles[(1, "restBetween")] == "recovery"

    def test_a_ride_with_no_work_is_all_endurance_between_warmup_and_cooldown(self) -> None:
        ride = workout_of(
            Warmup(duration=600, power=SteadyPower(value=0.5)),
            steady(7200, 0.68),
            FreeRide(duration=600),
            Cooldown(duration=300, power=SteadyPower(value=0.5)),
        )
        assert list(step_roles(ride).values()) == ["warm", "endurance", "endurance", "warm"]

    def test_a_step_marked_rest_is_a_recovery_whatever_its_power(self) -> None:
        workout = workout_of(steady(600, 1.0), steady(300, 0.8, intensity="rest"), steady(600, 1.0))
        assert step_roles(workout)[(1,)] == "recovery"


class TestScaleToDuration:
    def test_a_workout_that_already_fits_is_returned_unchanged(self) -> None:
        workout = two_by_twenty()
        assert scale_to_duration(workout, 5100) is workout
        assert scale_to_duration(workout, 9000) is workout

    def test_filler_is_cut_first(self) -> None:
        scaled = scale_to_duration(two_by_twenty(), 4500)
        assert duration_of(scaled) == 4500
        warmup, filler, intervals, cooldown = scaled.steps
        assert isinstance(filler, SteadyState) and filler.duration == 300
        assert (warmup.duration, cooldown.duration) == (900, 600)  # type: ignore[union-attr]
        assert intervals == two_by_twenty().steps[2]

    def test_filler_goes_entirely_before_the_warmup_is_touched_then_warmup_and_cooldown(
        self,
    ) -> None:
        scaled = scale_to_duration(two_by_twenty(), 3600)
        assert duration_of(scaled) == 3600
        assert [step.type for step in scaled.steps] == ["Warmup", "Repeat", "Cooldown"]
        warmup, intervals, cooldown = scaled.steps
        assert intervals == two_by_twenty().steps[2]
        assert isinstance(warmup, Warmup) and isinstance(cooldown, Cooldown)
        assert 900 + 600 - (warmup.duration + cooldown.duration) == 5100 - 900 - 3600
        assert warmup.power == RampPower(start=0.5, end=0.75)  # a steeper ramp, same targets

    def test_recoveries_are_cut_after_warmup_and_cooldown_reach_their_floors(self) -> None:
        floors_s = WARMUP_MIN_S + 2 * 1200 + 300 + COOLDOWN_MIN_S
        scaled = scale_to_duration(two_by_twenty(), floors_s - 100)
        warmup, intervals, cooldown = scaled.steps
        assert (warmup.duration, cooldown.duration) == (WARMUP_MIN_S, COOLDOWN_MIN_S)  # type: ignore[union-attr]
        assert isinstance(intervals, Repeat) and intervals.repeats == 2
        assert intervals.rest_between is not None
        assert intervals.rest_between.duration == 200  # type: ignore[union-attr]

    def test_repeat_counts_fall_only_when_every_floor_is_reached(self) -> None:
        scaled = scale_to_duration(two_by_twenty(), 3000)
        intervals = scaled.steps[-2]
        assert isinstance(intervals, Repeat)
        assert intervals.repeats == 1
        assert intervals.content == [steady(1200, 0.95)]
        assert duration_of(scaled) == 3000  # freed time is handed back, filler last

    def test_repeat_counts_never_fall_below_half(self) -> None:
        shortest = scale_to_duration(vo2_sets(), shortest_duration_s(vo2_sets()))
        outer = shortest.steps[1]
        assert isinstance(outer, Repeat) and outer.repeats == 2
        inner = outer.content[0]
        assert isinstance(inner, Repeat) and inner.repeats == 3
        assert inner.content[0] == steady(60, 1.2)
        assert inner.content[1].duration == 30  # type: ignore[union-attr]

    def test_lands_on_the_target_exactly_when_a_top_level_step_has_room(self) -> None:
        for target_s in range(3000, 5100, 97):
            assert duration_of(scale_to_duration(two_by_twenty(), target_s)) == target_s

    def test_below_the_useful_minimum_is_refused_with_one_line_saying_so(self) -> None:
        shortest_s = shortest_duration_s(two_by_twenty())
        assert shortest_s == WARMUP_MIN_S + 1200 + COOLDOWN_MIN_S
        with pytest.raises(InvalidValue, match=r"cannot be scaled to 20 min: it needs at least"):
            scale_to_duration(two_by_twenty(), 1200)
        assert duration_of(scale_to_duration(two_by_twenty(), shortest_s)) == shortest_s

    def test_a_non_positive_target_is_refused(self) -> None:
        with pytest.raises(InvalidValue, match="positive duration"):
            scale_to_duration(two_by_twenty(), 0)

    def test_an_invalid_workout_is_refused_with_its_findings(self) -> None:
        broken = two_by_twenty().model_copy(
            update={"meta": Meta(title="broken", total_duration_seconds=1)}
        )
        with pytest.raises(InvalidWorkout) as caught:
            scale_to_duration(broken, 600)
        assert any("totalDurationSeconds" in finding for finding in caught.value.findings)

    def test_filler_is_dropped_rather_than_left_as_a_sliver(self) -> None:
        workout = workout_of(steady(1200, 0.65), steady(600, 1.0), steady(1200, 0.65))
        scaled = scale_to_duration(workout, 600 + 2 * 20)
        assert [step.duration for step in scaled.steps] == [600]  # type: ignore[union-attr]
        assert 600 + 40 - MIN_STEP_S < duration_of(scaled) <= 640

    def test_filler_is_cut_in_proportion(self) -> None:
        workout = workout_of(steady(1200, 0.65), steady(600, 1.0), steady(600, 0.65))
        scaled = scale_to_duration(workout, 600 + 900)
        assert [step.duration for step in scaled.steps] == [600, 600, 300]  # type: ignore[union-attr]

    def test_an_endurance_ride_keeps_twenty_minutes_of_easy_riding(self) -> None:
        ride = workout_of(
            Warmup(duration=600, power=SteadyPower(value=0.5)),
            steady(9600, 0.68),
            Cooldown(duration=600, power=SteadyPower(value=0.5)),
        )
        assert shortest_duration_s(ride) == WARMUP_MIN_S + ENDURANCE_MIN_S + COOLDOWN_MIN_S
        hour = scale_to_duration(ride, 3600)
        assert [step.duration for step in hour.steps] == [  # type: ignore[union-attr]
            WARMUP_MIN_S,
            3600 - WARMUP_MIN_S - COOLDOWN_MIN_S,
            COOLDOWN_MIN_S,
        ]

    def test_text_events_stay_inside_their_shortened_step(self) -> None:
        workout = workout_of(
            steady(1200, 0.65, text_events=[TextEvent(offset=1190, message="nearly")]),
            steady(600, 1.0),
        )
        scaled = scale_to_duration(workout, 1200)
        filler = scaled.steps[0]
        assert isinstance(filler, SteadyState) and filler.text_events is not None
        assert filler.text_events[0].offset == 595
        assert not validate_workout(scaled)

    def test_the_declared_total_and_an_estimated_tss_follow_the_new_steps(self) -> None:
        workout = workout_of(*two_by_twenty().steps, estimated_tss=1.0)
        scaled = scale_to_duration(workout, 3600)
        assert scaled.meta.total_duration_seconds == 3600
        assert scaled.meta.estimated_tss == round(workout_metrics(scaled).tss, 1)
        assert scale_to_duration(two_by_twenty(), 3600).meta.estimated_tss is None

    def test_scaling_down_keeps_the_intensity_factor_up(self) -> None:
        before = workout_metrics(two_by_twenty())
        after = workout_metrics(scale_to_duration(two_by_twenty(), 3600))
        assert after.intensity_factor > before.intensity_factor
        assert after.primary_zone == before.primary_zone == 4


class TestScaleToDurationProperties:
    @PROPERTY_SETTINGS
    @given(workouts(), st.floats(0.05, 1.2))
    def test_scaling_never_yields_an_invalid_document(self, workout: Workout, share: float) -> None:
        target_s = max(1, round(duration_of(workout) * share))
        try:
            scaled = scale_to_duration(workout, target_s)
        except InvalidValue:
            assert target_s < shortest_duration_s(workout)
            return
        assert not validate_workout(scaled)
        assert validate_document(scaled.to_json()).ok
        assert shortest_duration_s(workout) <= duration_of(scaled) <= target_s

    @PROPERTY_SETTINGS
    @given(workouts(), st.floats(0.05, 1.0))
    def test_work_steps_keep_their_power_and_length(self, workout: Workout, share: float) -> None:
        target_s = max(shortest_duration_s(workout), round(duration_of(workout) * share))
        scaled = scale_to_duration(workout, target_s)
        assert work_blocks(scaled) == work_blocks(workout)

    @PROPERTY_SETTINGS
    @given(workouts())
    def test_the_shortest_duration_is_reachable(self, workout: Workout) -> None:
        shortest_s = shortest_duration_s(workout)
        assert duration_of(scale_to_duration(workout, shortest_s)) == shortest_s


class TestScaleIntensity:
    def test_minus_five_percent_lowers_the_intervals_only(self) -> None:
        easier = scale_intensity(two_by_twenty(), -5)
        intervals = easier.steps[2]
        assert isinstance(intervals, Repeat)
        assert intervals.content == [steady(1200, 0.902)]
        assert intervals.rest_between == steady(300, 0.5, intensity="rest")
        original = two_by_twenty()
        assert [easier.steps[i] for i in (0, 1, 3)] == [original.steps[i] for i in (0, 1, 3)]
        assert duration_of(easier) == duration_of(original)

    def test_scope_all_scales_every_target_like_a_trainer_slider(self) -> None:
        harder = scale_intensity(two_by_twenty(), 10, scope="all")
        assert harder.steps[0].power == RampPower(start=0.55, end=0.825)  # type: ignore[union-attr]
        assert harder.steps[1] == steady(900, 0.715)

    def test_an_endurance_ride_scales_its_riding_not_its_warmup(self) -> None:
        ride = workout_of(Warmup(duration=600, power=SteadyPower(value=0.5)), steady(3600, 0.7))
        scaled = scale_intensity(ride, 10)
        assert scaled.steps == [ride.steps[0], steady(3600, 0.77)]

    def test_zero_percent_changes_nothing(self) -> None:
        assert scale_intensity(two_by_twenty(), 0) == two_by_twenty()

    def test_targets_stay_within_the_protocol_range(self) -> None:
        sprint = workout_of(steady(10, 2.9), FreeRide(duration=60))
        assert scale_intensity(sprint, 50).steps[0] == steady(10, 3.0)

    @pytest.mark.parametrize("percent", [-50.1, 50.1, -100, 200])
    def test_changes_beyond_fifty_percent_are_refused(self, percent: float) -> None:
        with pytest.raises(InvalidValue, match="between -50 % and \\+50 %"):
            scale_intensity(two_by_twenty(), percent)

    def test_the_estimated_tss_follows_the_new_targets(self) -> None:
        workout = workout_of(*two_by_twenty().steps, estimated_tss=1.0)
        easier = scale_intensity(workout, -10)
        assert easier.meta.estimated_tss == round(workout_metrics(easier).tss, 1)

    @PROPERTY_SETTINGS
    @given(workouts(), st.floats(-50, 50), st.sampled_from(get_args(IntensityScope)))
    def test_scaling_intensity_keeps_the_document_valid_and_moves_if_one_way(
        self, workout: Workout, percent: float, scope: IntensityScope
    ) -> None:
        scaled = scale_intensity(workout, percent, scope=scope)
        assert not validate_workout(scaled)
        assert duration_of(scaled) == duration_of(workout)
        before = workout_metrics(workout).intensity_factor
        after = workout_metrics(scaled).intensity_factor
        rounding = 0.001
        if percent >= 0:
            assert after >= before - rounding
        else:
            assert after <= before + rounding

"""What a head unit gets: stepped ramps, counted repeats, the same total time."""

from __future__ import annotations

from wattz.export.headunit import (
    MAX_RAMP_STEPS,
    UnitRepeat,
    UnitStep,
    head_unit_steps,
    percent_range,
    ramp_pieces,
    unit_seconds,
)
from wattz.sources.workout_text import parse_workout_text


def test_rest_between_becomes_repeats_of_content_and_rest_then_the_last_content() -> None:
    from wattz.awp.models import Meta, Repeat, SteadyPower, SteadyState, Workout

    work = SteadyState(duration=60, power=SteadyPower(value=1.2))
    rest = SteadyState(duration=120, power=SteadyPower(value=0.5), intensity="rest")
    workout = Workout(
        meta=Meta(title="R", total_duration_seconds=3 * 60 + 2 * 120),
        steps=[Repeat(repeats=3, content=[work], rest_between=rest)],
    )
    nodes = head_unit_steps(workout)
    assert isinstance(nodes[0], UnitRepeat) and nodes[0].repeats == 2
    assert [step.intensity for step in nodes[0].content] == ["active", "rest"]  # type: ignore[union-attr]
    assert isinstance(nodes[1], UnitStep) and nodes[1].duration_s == 60
    assert unit_seconds(nodes) == workout.meta.total_duration_seconds


def test_repeats_deeper_than_the_unit_counts_are_spelled_out() -> None:
    workout = parse_workout_text("2x(3x(30s 150%, 30s 50%), 5m 55%)", "N").workout
    (outer,) = head_unit_steps(workout, max_depth=1)
    assert isinstance(outer, UnitRepeat) and len(outer.content) == 7
    assert all(isinstance(node, UnitStep) for node in outer.content)


def test_ramp_pieces_are_bounded() -> None:
    assert ramp_pieces(600, 0.30) == 6
    assert ramp_pieces(3600, 0.10) == 12  # no target held longer than five minutes
    assert ramp_pieces(29, 1.78) == MAX_RAMP_STEPS
    assert ramp_pieces(3, 1.0) == 3  # never a piece under a second


def test_percent_range_keeps_the_middle() -> None:
    assert percent_range(0.95, 0.95) == (95, 95)
    assert percent_range(0.725, 0.725) == (72, 73)
    assert percent_range(0.45, 0.5) == (45, 50)

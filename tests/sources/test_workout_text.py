"""The short text syntax for typing workouts (intervals.icu style)."""

from __future__ import annotations

import pytest

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Cooldown, FreeRide, Repeat, SteadyState, Warmup
from wattz.errors import InvalidValue
from wattz.sources.workout_text import format_workout_text, parse_workout_text


def test_the_example_from_the_issue() -> None:
    workout = parse_workout_text(
        "10m ramp 50-75%; 3x(8m 100% 95rpm, 4m 55%); 10m 50%", "Threshold"
    ).workout
    warmup, repeat, last = workout.steps
    assert isinstance(warmup, Warmup) and warmup.duration == 600
    assert (warmup.power.start, warmup.power.end) == (0.5, 0.75)  # type: ignore[union-attr]
    assert isinstance(repeat, Repeat) and repeat.repeats == 3
    on, off = repeat.content
    assert (on.duration, on.power.value, on.cadence) == (480, 1.0, 95)  # type: ignore[union-attr]
    assert (off.duration, off.power.value) == (240, 0.55)  # type: ignore[union-attr]
    assert isinstance(last, SteadyState) and last.duration == 600
    assert workout.meta.title == "Threshold"
    assert workout_metrics(workout).duration_s == 600 + 3 * 720 + 600


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s 50%", 30), ("8m 50%", 480), ("1h30m 50%", 5400), ("1m30 50%", 90), ("2.5m 50%", 150)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_workout_text(text, "T").workout.meta.total_duration_seconds == seconds


def test_targets_ranges_zones_watts_labels_and_instructions() -> None:
    workout = parse_workout_text(
        'warmup 5m 55%\n10m 88-94% 90-100rpm; 5m z2; 2m 250w "push"; 1m free; 3m 50% rest; '
        "cooldown 5m ramp 60-40%",
        "T",
        ftp_w=250,
    ).workout
    warm, ranged, zone, watts, free, rest, cool = workout.steps
    assert isinstance(warm, Warmup)
    assert (ranged.power.value, ranged.cadence) == (0.91, 95)  # type: ignore[union-attr]
    assert zone.power.value == 0.65  # type: ignore[union-attr]
    assert (watts.power.value, watts.instruction) == (1.0, "push")  # type: ignore[union-attr]
    assert isinstance(free, FreeRide)
    assert rest.intensity == "rest"
    assert isinstance(cool, Cooldown)


def test_power_above_three_times_ftp_is_clamped_with_a_warning() -> None:
    imported = parse_workout_text("10s 400%", "Sprint")
    assert imported.workout.steps[0].power.value == 3.0  # type: ignore[union-attr]
    assert imported.warnings == ("the step at column 1: power 400 % FTP clamped to 300 %",)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("", 1),
        ("garbage text", 1),
        ("10m 50", 5),
        ("3x(10m 50%", 11),
        ("10m ramp 50%", 10),
        ("10m 50% 60%", 9),
        ("0s 50%", 1),
        ("10m 50% )", 9),
        ("2.5x(1m 50%)", 1),
        ("10m 50% ~", 9),
    ],
)
def test_garbage_is_refused_with_its_column(text: str, column: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_workout_text(text, "T")
    message = str(raised.value)
    assert f"at column {column}:" in message and "\n" not in message


def test_watts_without_an_ftp_are_refused() -> None:
    with pytest.raises(InvalidValue, match="no FTP"):
        parse_workout_text("10m 200w", "T")


def test_format_writes_the_same_syntax() -> None:
    text = 'warmup 10m ramp 50-75%; 3x(8m 100% 95rpm, 4m 55% rest "easy"); 10m free'
    assert format_workout_text(parse_workout_text(text, "T").workout) == text

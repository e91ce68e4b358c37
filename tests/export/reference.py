"""One workout that touches every feature the writers handle, for golden files."""

from __future__ import annotations

from wattz.awp.models import Meta, Repeat, SteadyPower, SteadyState, TextEvent, Workout
from wattz.sources.workout_text import parse_workout_text


def reference_workout() -> Workout:
    """Warm-up ramp, on/off intervals with cadence, a repeat with rest between, cues."""
    base = parse_workout_text(
        'warmup 10m ramp 45-75% "Easy start"; 3x(8m 100% 95rpm, 4m 55% rest); 5m free 85rpm; '
        "cooldown 10m ramp 60-40%",
        "Threshold Ladders",
    ).workout
    rest_between = Repeat(
        repeats=3,
        content=[
            SteadyState(
                duration=60,
                power=SteadyPower(value=1.2),
                text_events=[TextEvent(offset=30, message="Halfway, hold it")],
            )
        ],
        rest_between=SteadyState(duration=120, power=SteadyPower(value=0.5), intensity="rest"),
    )
    steps = [*base.steps[:2], rest_between, *base.steps[2:]]
    total = base.meta.total_duration_seconds + 3 * 60 + 2 * 120
    return Workout(
        meta=Meta(
            title="Threshold Ladders",
            description="Three 8-minute threshold efforts, then short VO2 bursts.",
            author="wattz",
            total_duration_seconds=total,
        ),
        steps=steps,
    )

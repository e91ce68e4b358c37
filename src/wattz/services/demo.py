"""The built-in demo: what ``wattz demo`` builds and shows."""

from __future__ import annotations

from wattz.awp.models import Workout


def demo_workout() -> Workout:
    """A classic sweet-spot session (2 × 20 min at 90 % with ramped warm-up and cool-down)."""
    return Workout.model_validate(
        {
            "schemaVersion": "1.0",
            "meta": {
                "title": "Sweet Spot 2x20",
                "description": "Two 20-minute blocks just under threshold: the most "
                "time-efficient way to raise FTP.",
                "author": "wattz",
                "totalDurationSeconds": 3900,
            },
            "steps": [
                {
                    "type": "Warmup",
                    "duration": 600,
                    "power": {"type": "ramp", "start": 0.45, "end": 0.75},
                },
                {
                    "type": "Repeat",
                    "repeats": 2,
                    "content": [
                        {
                            "type": "SteadyState",
                            "duration": 1200,
                            "power": {"type": "steady", "value": 0.9},
                            "cadence": 90,
                            "instruction": "Smooth and seated; breathe deep.",
                        }
                    ],
                    "restBetween": {
                        "type": "SteadyState",
                        "duration": 300,
                        "power": {"type": "steady", "value": 0.5},
                        "intensity": "rest",
                    },
                },
                {
                    "type": "Cooldown",
                    "duration": 600,
                    "power": {"type": "ramp", "start": 0.6, "end": 0.4},
                },
            ],
        }
    )

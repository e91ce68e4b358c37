"""Round trips over the whole built-in library: every template, as .zwo and as .fit.

AWP → zwo → AWP and AWP → fit → AWP keep the duration to the second and TSS within 0.5
(FIT rides ramps as short steps: the allowed difference). Each template is built once, at
a level and length that rotate through low/middle/top and 45 min/90 min/4 h, so every
combination is covered without building 700 workouts (FIT decoding is the slow part).
"""

from __future__ import annotations

import pytest

from tests.export.test_roundtrip import ROUND_TRIPS, assert_same_ride
from wattz.plan.library import TEMPLATES, build, min_minutes

LEVELS = (1, 5, 10)
MINUTES = (45, 90, 240)
CASES = [
    (template.id, LEVELS[index % 3], MINUTES[(index // 3) % 3])
    for index, template in enumerate(TEMPLATES)
]


@pytest.mark.parametrize("fmt", ["zwo", "fit"])
@pytest.mark.parametrize(("template_id", "level", "minutes"), CASES)
def test_every_library_workout_survives_zwo_and_fit(
    template_id: str, level: int, minutes: int, fmt: str
) -> None:
    workout = build(template_id, level, max(min_minutes(template_id, level), minutes))
    assert_same_ride(workout, ROUND_TRIPS[fmt](workout))

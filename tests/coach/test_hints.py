"""Corrections that name the number to change, and only changes that would pass."""

from __future__ import annotations

import json
from typing import Any

from tests.coach.test_prompting import DAY
from wattz.awp.validate import validate_data
from wattz.coach.fences import workout_findings
from wattz.coach.hints import correction_hints
from wattz.coach.schema import day_schema, pinned


def skeleton(power: float, repeats: int = 3, total: int | None = None) -> dict[str, Any]:
    steps: list[dict[str, Any]] = [
        {"type": "Warmup", "duration": 600, "power": {"type": "ramp", "start": 0.5, "end": 0.75}},
        {
            "type": "Repeat",
            "repeats": repeats,
            "content": [
                {
                    "type": "SteadyState",
                    "duration": 600,
                    "power": {"type": "steady", "value": power},
                },
                {
                    "type": "SteadyState",
                    "duration": 300,
                    "power": {"type": "steady", "value": 0.5},
                    "intensity": "rest",
                },
            ],
        },
        {"type": "Cooldown", "duration": 300, "power": {"type": "ramp", "start": 0.6, "end": 0.4}},
    ]
    seconds = 600 + repeats * 900 + 300
    return {"steps": steps, "meta": {"title": "T", "totalDurationSeconds": total or seconds}}


def passes(document: dict[str, Any]) -> bool:
    report = validate_data(document)
    return report.workout is not None and not workout_findings(report.workout, DAY, "Base 1")


def test_a_wrong_total_alone_is_named_with_the_sum() -> None:
    good = next(skeleton(p) for p in (0.8, 0.85, 0.9, 0.95, 1.0) if passes(skeleton(p)))
    good["meta"]["totalDurationSeconds"] = 1234
    correction = correction_hints(json.dumps(good), DAY, "Base 1")
    assert correction.lines == ("meta.totalDurationSeconds: 3600 (the sum of the steps)",)
    assert correction.pins == ((("meta", "totalDurationSeconds"), 3600),)


def test_a_load_too_low_names_the_power_to_write_and_the_change_passes() -> None:
    document = skeleton(0.8, repeats=1, total=999)
    assert not passes(document)
    correction = correction_hints(json.dumps(document), DAY, "Base 1")
    assert correction, "some single change must pass"
    hints = correction.lines
    fixed = json.loads(json.dumps(document))
    for hint in hints:
        label, _, change = hint.partition(": ")
        value = json.loads(change.split(" → ")[-1].split(" (")[0])
        if label == "meta.totalDurationSeconds":
            fixed["meta"]["totalDurationSeconds"] = value
        elif label == "repeats":
            fixed["steps"][1]["repeats"] = value
        elif label == "the effort's power":
            fixed["steps"][1]["content"][0]["power"]["value"] = value
        else:
            raise AssertionError(hint)
    assert passes(fixed), hints


def test_no_hint_for_what_is_not_the_skeleton() -> None:
    assert not correction_hints("not json", DAY, "Base 1")
    assert not correction_hints('{"steps": [], "meta": {}}', DAY, "Base 1")


def test_the_correction_schema_allows_only_the_named_values() -> None:
    document = skeleton(0.8, repeats=1, total=999)
    correction = correction_hints(json.dumps(document), DAY, "Base 1")
    schema = pinned(day_schema(DAY.max_seconds, DAY.allowed_zones), correction.pins)
    for path, value in correction.pins:
        node = schema
        for key in path:
            node = node["prefixItems"][key] if isinstance(key, int) else node["properties"][key]
        assert node == {"const": value}
    untouched = day_schema(DAY.max_seconds, DAY.allowed_zones)
    assert (
        schema["properties"]["steps"]["prefixItems"][0]
        == (untouched["properties"]["steps"]["prefixItems"][0])
    )

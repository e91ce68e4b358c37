"""The AWP 1.0 models: camelCase on the wire, frozen values, a discriminated union on type."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from wattz.awp.models import (
    FreeRide,
    Meta,
    RampPower,
    Repeat,
    SteadyPower,
    SteadyState,
    Warmup,
    Workout,
    json_schema,
)

WIRE = {
    "schemaVersion": "1.0",
    "meta": {"title": "Openers", "totalDurationSeconds": 900, "estimatedTSS": 20.5},
    "steps": [
        {"type": "Warmup", "duration": 300, "power": {"type": "ramp", "start": 0.5, "end": 0.7}},
        {
            "type": "Repeat",
            "repeats": 3,
            "content": [
                {
                    "type": "SteadyState",
                    "duration": 60,
                    "power": {"type": "steady", "value": 1.1},
                    "textEvents": [{"offset": 0, "message": "Go"}],
                }
            ],
            "restBetween": {"type": "FreeRide", "duration": 60},
        },
        {"type": "FreeRide", "duration": 360},
    ],
}


def test_wire_json_reads_into_typed_steps() -> None:
    workout = Workout.model_validate(WIRE)
    warmup, repeat, free_ride = workout.steps
    assert isinstance(warmup, Warmup) and warmup.power == RampPower(start=0.5, end=0.7)
    assert isinstance(repeat, Repeat) and isinstance(repeat.rest_between, FreeRide)
    assert isinstance(repeat.content[0], SteadyState)
    assert repeat.content[0].text_events is not None
    assert isinstance(free_ride, FreeRide)
    assert workout.meta.sport == "bike"
    assert workout.meta.estimated_tss == 20.5


def test_written_json_uses_wire_keys_and_omits_what_is_unset() -> None:
    workout = Workout.model_validate(WIRE)
    assert workout.to_json_dict() == {**WIRE, "meta": {**WIRE["meta"], "sport": "bike"}}  # type: ignore[dict-item]
    assert json.loads(workout.to_json()) == workout.to_json_dict()
    assert Workout.model_validate_json(workout.to_json()) == workout


def test_models_accept_field_names_as_well_as_wire_keys() -> None:
    by_name = Meta(title="x", total_duration_seconds=60)
    by_alias = Meta.model_validate({"title": "x", "totalDurationSeconds": 60})
    assert by_name == by_alias


def test_workouts_are_frozen_values() -> None:
    step = SteadyState(duration=60, power=SteadyPower(value=1.0))
    with pytest.raises(ValidationError):
        step.duration = 30  # type: ignore[misc]
    assert hash(step.power) == hash(SteadyPower(value=1.0))


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError):
        Workout.model_validate({**WIRE, "version": 2})


def test_a_workout_needs_at_least_one_step() -> None:
    with pytest.raises(ValidationError):
        Workout(meta=Meta(title="empty", total_duration_seconds=0), steps=[])


class TestJsonSchema:
    def test_the_schema_is_draft_2020_12_with_a_title(self) -> None:
        schema = json_schema()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["title"] == "AWP 1.0 workout"
        json.dumps(schema)  # printable as-is

    def test_the_schema_uses_wire_keys_and_requires_what_the_design_requires(self) -> None:
        schema = json_schema()
        assert set(schema["required"]) == {"meta", "steps"}
        assert "schemaVersion" in schema["properties"]
        definitions = schema["$defs"]
        assert set(definitions["Meta"]["required"]) == {"title", "totalDurationSeconds"}
        assert set(definitions["SteadyState"]["required"]) == {"duration", "power"}
        assert set(definitions["FreeRide"]["required"]) == {"duration"}
        assert set(definitions["Repeat"]["required"]) == {"repeats", "content"}
        assert "restBetween" in definitions["Repeat"]["properties"]
        assert "textEvents" in definitions["SteadyState"]["properties"]

    def test_steps_are_a_union_discriminated_on_type(self) -> None:
        steps = json_schema()["properties"]["steps"]["items"]
        assert steps["discriminator"]["propertyName"] == "type"
        assert set(steps["discriminator"]["mapping"]) == {
            "Warmup",
            "Cooldown",
            "SteadyState",
            "Ramp",
            "FreeRide",
            "Repeat",
        }

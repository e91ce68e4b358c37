"""The Atomic Workout Protocol 1.0 as pydantic models.

A workout is a tree of steps; ``Repeat`` nests steps. Durations are whole seconds and
power is a fraction of FTP. These models check *shape* only (types, required keys,
string lengths); numeric ranges and arithmetic are the logic layer's job
(``wattz.awp.validate``) so every finding there reads the same way to a person or a model.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1.0"] = "1.0"

TITLE_MAX_CHARS = 120
TEXT_MAX_CHARS = 1000
SHORT_TEXT_MAX_CHARS = 80
MAX_TEXT_EVENTS_PER_STEP = 50

Intensity = Literal["active", "rest"]


class _Document(BaseModel):
    """Shared configuration: camelCase on the wire, frozen values, no unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class SteadyPower(_Document):
    """One power target held for the whole step."""

    type: Literal["steady"] = "steady"
    value: float = Field(description="Fraction of FTP, e.g. 0.95")


class RampPower(_Document):
    """Power moving linearly from ``start`` to ``end`` over the step."""

    type: Literal["ramp"] = "ramp"
    start: float = Field(description="Fraction of FTP at the start of the step")
    end: float = Field(description="Fraction of FTP at the end of the step")


Power = Annotated[SteadyPower | RampPower, Field(discriminator="type")]


class TextEvent(_Document):
    """A cue shown ``offset`` seconds into its step."""

    offset: int = Field(description="Seconds from the start of the step")
    message: str = Field(max_length=SHORT_TEXT_MAX_CHARS * 2)


class _StepBase(_Document):
    cadence: int | None = Field(default=None, description="Target cadence in rpm")
    instruction: str | None = Field(default=None, max_length=TEXT_MAX_CHARS)
    text_events: list[TextEvent] | None = Field(
        default=None, alias="textEvents", max_length=MAX_TEXT_EVENTS_PER_STEP
    )
    intensity: Intensity | None = None


class Warmup(_StepBase):
    type: Literal["Warmup"] = "Warmup"
    duration: int = Field(description="Seconds")
    power: Power


class Cooldown(_StepBase):
    type: Literal["Cooldown"] = "Cooldown"
    duration: int = Field(description="Seconds")
    power: Power


class SteadyState(_StepBase):
    type: Literal["SteadyState"] = "SteadyState"
    duration: int = Field(description="Seconds")
    power: Power


class Ramp(_StepBase):
    type: Literal["Ramp"] = "Ramp"
    duration: int = Field(description="Seconds")
    power: Power


class FreeRide(_StepBase):
    """Riding with no power target (the trainer leaves resistance to the rider)."""

    type: Literal["FreeRide"] = "FreeRide"
    duration: int = Field(description="Seconds")


class Repeat(_StepBase):
    """``content`` done ``repeats`` times, ``restBetween`` between repetitions only."""

    type: Literal["Repeat"] = "Repeat"
    repeats: int
    content: list[Step]
    rest_between: Step | None = Field(default=None, alias="restBetween")


Step = Annotated[
    Warmup | Cooldown | SteadyState | Ramp | FreeRide | Repeat,
    Field(discriminator="type"),
]
PoweredStep = Warmup | Cooldown | SteadyState | Ramp
LeafStep = Warmup | Cooldown | SteadyState | Ramp | FreeRide

Repeat.model_rebuild()


class Meta(_Document):
    title: str = Field(max_length=TITLE_MAX_CHARS)
    description: str | None = Field(default=None, max_length=TEXT_MAX_CHARS * 2)
    author: str | None = Field(default=None, max_length=SHORT_TEXT_MAX_CHARS)
    sport: str = Field(default="bike", max_length=20)
    total_duration_seconds: int = Field(alias="totalDurationSeconds")
    estimated_tss: float | None = Field(default=None, alias="estimatedTSS")


class Workout(_Document):
    """A whole AWP 1.0 document."""

    schema_version: Literal["1.0"] = Field(default=SCHEMA_VERSION, alias="schemaVersion")
    meta: Meta
    steps: list[Step] = Field(min_length=1)

    def to_json_dict(self) -> dict[str, Any]:
        """The document as JSON-ready data with its wire (camelCase) keys."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, exclude_none=True)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of AWP 1.0, as ``wattz workout schema`` prints it."""
    schema = Workout.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "AWP 1.0 workout"
    return schema

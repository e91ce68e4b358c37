"""The three-layer AWP validator: syntax (JSON) → schema (pydantic) → logic.

Every finding is a JSON path plus one plain sentence, written so it can be shown to an
athlete or fed straight back to a language model in a correction round
("steps[2].content[0].duration must be > 0, got 0"). Size limits are checked
arithmetically before anything is unrolled, so a hostile document costs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from wattz.awp.models import Repeat, Step, Workout

MAX_DOCUMENT_BYTES = 1_000_000
MAX_NESTING_DEPTH = 4
MAX_UNROLLED_SEGMENTS = 2_000
MAX_TOTAL_SECONDS = 24 * 3600
MAX_POWER_FRACTION = 3.0
CADENCE_RANGE_RPM = (20, 200)

Layer = Literal["syntax", "schema", "logic"]
_STEP_TAGS = frozenset({"Warmup", "Cooldown", "SteadyState", "Ramp", "FreeRide", "Repeat"})
_POWER_TAGS = frozenset({"steady", "ramp"})


@dataclass(frozen=True)
class Finding:
    """One problem: where it is (a JSON path) and what is wrong, in words."""

    layer: Layer
    path: str
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validation: the parsed workout when valid, and every finding."""

    workout: Workout | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return self.workout is not None and not self.findings


@dataclass(frozen=True)
class Extent:
    """Size of a step or document once unrolled, computed without unrolling."""

    segments: int
    seconds: int


def validate_document(data: bytes | str) -> ValidationReport:
    """Run syntax, schema and logic checks on raw input; never raises on bad input."""
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > MAX_DOCUMENT_BYTES:
        return _fail(
            "syntax",
            "$",
            f"the document is {size:,} bytes; at most {MAX_DOCUMENT_BYTES:,} are accepted",
        )
    if size == 0 or not (data.strip() if isinstance(data, str) else data.strip()):
        return _fail("syntax", "$", "the document is empty; expected a JSON object")
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        parsed = json.loads(text)
    except UnicodeDecodeError as error:
        return _fail("syntax", "$", f"the document is not UTF-8 text (byte {error.start})")
    except json.JSONDecodeError as error:
        return _fail(
            "syntax",
            "$",
            f"the document is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
        )
    except RecursionError:
        return _fail("syntax", "$", "the document nests too deeply to read; flatten it")
    except ValueError as error:
        return _fail("syntax", "$", f"the document is not valid JSON: {error}")
    return validate_data(parsed)


def validate_data(parsed: Any) -> ValidationReport:
    """Schema and logic checks on already-parsed JSON data."""
    if not isinstance(parsed, dict):
        return _fail("schema", "$", f"the document must be a JSON object, got {_json_type(parsed)}")
    depth = _raw_nesting_depth(parsed.get("steps"))
    if depth > MAX_NESTING_DEPTH:
        return ValidationReport(None, (_too_deep(),))
    try:
        workout = Workout.model_validate(parsed)
    except ValidationError as error:
        return ValidationReport(None, tuple(_schema_findings(error)))
    except RecursionError:
        return _fail("schema", "$", "the document nests too deeply to read")
    findings = tuple(logic_findings(workout))
    return ValidationReport(None if findings else workout, findings)


def validate_workout(workout: Workout) -> tuple[Finding, ...]:
    """Logic findings for an already-built workout (empty when it is valid)."""
    return tuple(logic_findings(workout))


def logic_findings(workout: Workout) -> Iterator[Finding]:
    """Durations, power range, nesting, size bounds and the declared total."""
    depth = nesting_depth(workout.steps)
    if depth > MAX_NESTING_DEPTH:
        yield _too_deep()
        return
    yield from _check_steps(workout.steps, "steps")
    extent = steps_extent(workout.steps)
    if extent.segments > MAX_UNROLLED_SEGMENTS:
        yield Finding(
            "logic",
            "steps",
            f"steps unroll to {extent.segments:,} segments; at most "
            f"{MAX_UNROLLED_SEGMENTS:,} are allowed",
        )
    if extent.seconds > MAX_TOTAL_SECONDS:
        yield Finding(
            "logic",
            "steps",
            f"steps add up to {extent.seconds:,} s; a workout may last at most "
            f"{MAX_TOTAL_SECONDS:,} s (24 h)",
        )
    declared = workout.meta.total_duration_seconds
    if declared != extent.seconds and extent.seconds <= MAX_TOTAL_SECONDS:
        yield Finding(
            "logic",
            "meta.totalDurationSeconds",
            f"meta.totalDurationSeconds is {declared} but the steps add up to "
            f"{extent.seconds} s; make them equal",
        )


def steps_extent(steps: Sequence[Step]) -> Extent:
    """Unrolled segment count and seconds of a step list, by arithmetic only."""
    segments = 0
    seconds = 0
    for step in steps:
        extent = step_extent(step)
        segments += extent.segments
        seconds += extent.seconds
    return Extent(segments, seconds)


def step_extent(step: Step) -> Extent:
    """Unrolled size of one step; a Repeat multiplies, never loops."""
    if isinstance(step, Repeat):
        body = steps_extent(step.content)
        repeats = max(step.repeats, 0)
        rest = step_extent(step.rest_between) if step.rest_between else Extent(0, 0)
        gaps = max(repeats - 1, 0)
        return Extent(
            body.segments * repeats + rest.segments * gaps,
            body.seconds * repeats + rest.seconds * gaps,
        )
    return Extent(1, step.duration)


def _check_steps(steps: Sequence[Step], path: str) -> Iterator[Finding]:
    for index, step in enumerate(steps):
        yield from _check_step(step, f"{path}[{index}]")


def _check_step(step: Step, path: str) -> Iterator[Finding]:
    if isinstance(step, Repeat):
        if step.repeats < 1:
            yield Finding(
                "logic", f"{path}.repeats", _must(f"{path}.repeats", ">= 1", step.repeats)
            )
        if not step.content:
            yield Finding("logic", f"{path}.content", f"{path}.content must hold at least one step")
        yield from _check_steps(step.content, f"{path}.content")
        if step.rest_between is not None:
            yield from _check_step(step.rest_between, f"{path}.restBetween")
    else:
        if step.duration <= 0:
            yield Finding(
                "logic", f"{path}.duration", _must(f"{path}.duration", "> 0", step.duration)
            )
        if step.type != "FreeRide":
            power = step.power
            values = (
                [("value", power.value)]
                if power.type == "steady"
                else [("start", power.start), ("end", power.end)]
            )
            for name, value in values:
                if not 0.0 <= value <= MAX_POWER_FRACTION:
                    yield Finding(
                        "logic",
                        f"{path}.power.{name}",
                        f"{path}.power.{name} must be between 0 and {MAX_POWER_FRACTION} "
                        f"(a fraction of FTP, 1.0 = 100 %), got {value:g}",
                    )
        for offset_index, event in enumerate(step.text_events or ()):
            if not 0 <= event.offset < max(step.duration, 1):
                event_path = f"{path}.textEvents[{offset_index}].offset"
                yield Finding(
                    "logic",
                    event_path,
                    f"{event_path} must lie within the step (0 to {step.duration - 1} s), "
                    f"got {event.offset}",
                )
    low, high = CADENCE_RANGE_RPM
    if step.cadence is not None and not low <= step.cadence <= high:
        yield Finding(
            "logic",
            f"{path}.cadence",
            f"{path}.cadence must be between {low} and {high} rpm, got {step.cadence}",
        )


def _too_deep() -> Finding:
    return Finding(
        "logic",
        "steps",
        f"steps nest Repeat blocks more than {MAX_NESTING_DEPTH} levels deep; flatten them",
    )


def _must(path: str, bound: str, got: object) -> str:
    return f"{path} must be {bound}, got {got}"


def _raw_nesting_depth(steps: object, depth: int = 0) -> int:
    """Levels of Repeat nesting in raw JSON, stopping one past the limit (stays cheap)."""
    if not isinstance(steps, list) or depth > MAX_NESTING_DEPTH:
        return depth
    deepest = depth
    for step in steps:
        if isinstance(step, dict) and isinstance(step.get("content"), list):
            deepest = max(deepest, _raw_nesting_depth(step["content"], depth + 1))
    return deepest


def nesting_depth(steps: Sequence[Step]) -> int:
    """Levels of Repeat nesting: 0 for a flat workout, 1 for a plain Repeat."""
    return max((1 + nesting_depth(s.content) for s in steps if isinstance(s, Repeat)), default=0)


def _schema_findings(error: ValidationError) -> Iterator[Finding]:
    seen: set[tuple[str, str]] = set()
    for detail in error.errors(include_url=False):
        path = _path_of(detail["loc"])
        message = _describe(path, detail)
        if detail["type"] == "union_tag_invalid":
            path = f"{path}.type"  # the message names the field at fault; so does the path
        if (path, message) in seen:
            continue
        seen.add((path, message))
        yield Finding("schema", path, message)


def _path_of(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in _STEP_TAGS or part in _POWER_TAGS or part.startswith("function-"):
            continue
        elif not part.isidentifier():
            path += f"[{_short(part)}]"  # an odd key, quoted so the path stays one line
        else:
            path += f".{part}" if path else part
    return path or "$"


def _describe(path: str, detail: Any) -> str:
    kind = detail["type"]
    given = detail.get("input")
    if kind == "missing":
        return f"{path} is required"
    if kind == "extra_forbidden":
        return f"{path} is not a field of AWP 1.0; remove it"
    if kind == "union_tag_invalid":
        context = detail.get("ctx", {})
        expected = context.get("expected_tags", "")
        return f"{path}.type must be one of {expected}, got {_short(context.get('tag', given))}"
    if kind == "union_tag_not_found":
        return f'{path} needs a "type" field'
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        return f"{path} must be {expected}, got {_short(given)}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{path} must be a whole number, got {_short(given)}"
    if kind in {"float_type", "float_parsing"}:
        return f"{path} must be a number, got {_short(given)}"
    if kind in {"string_type"}:
        return f"{path} must be a string, got {_short(given)}"
    if kind == "string_too_long":
        limit = detail.get("ctx", {}).get("max_length")
        return f"{path} must be at most {limit} characters long"
    if kind in {"list_type"}:
        return f"{path} must be a list, got {_json_type(given)}"
    if kind == "too_short":
        return f"{path} must hold at least one item"
    if kind == "too_long":
        limit = detail.get("ctx", {}).get("max_length")
        return f"{path} must hold at most {limit} items"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"{path} must be an object, got {_json_type(given)}"
    return f"{path}: {detail['msg'].lower()}"


def _short(value: object) -> str:
    text = json.dumps(value) if _is_json(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_json(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "null" if value is None else type(value).__name__


def _fail(layer: Layer, path: str, message: str) -> ValidationReport:
    return ValidationReport(None, (Finding(layer, path, message),))

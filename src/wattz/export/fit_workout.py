"""AWP → FIT workout file (file type 5), written with fit-tool.

Garmin's FIT profile and its "Encoding Workout Files" cookbook: a ``file_id`` (type
workout), one ``workout`` message (name, sport, number of steps) and the ``workout_step``
messages. Every step is timed (``duration_type`` time, in seconds); power targets are
custom ranges in % FTP (``custom_target_power_low``/``high``, values up to 1000 mean
% FTP, so the file follows the rider's FTP on the unit); a repeat is a step of type
``repeat_until_steps_cmplt`` pointing back at its first step with the total count.
Cadence goes in the secondary target. Ramps arrive already stepped (``export.headunit``).

The bytes depend on the workout only (no clock), so re-exporting is byte-identical; the
serial number is derived from the workout so that several wattz workouts on one unit
differ in (type, manufacturer, product, serial), as the profile asks.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from wattz.awp.models import Workout
from wattz.export.headunit import UnitNode, UnitRepeat, UnitStep, head_unit_steps, percent_range

FIT_TIME_CREATED_MS = 1_577_836_800_000
"""2020-01-01T00:00Z: a fixed creation time keeps the bytes reproducible."""
# workout_step field numbers and values, Garmin FIT profile (Profile.xlsx, workout_step).
_MESSAGE_INDEX = 254
_DURATION_TYPE, _DURATION_VALUE, _TARGET_TYPE, _TARGET_VALUE = 1, 2, 3, 4
_CUSTOM_LOW, _CUSTOM_HIGH, _INTENSITY = 5, 6, 7
_SECONDARY_TARGET_TYPE, _SECONDARY_TARGET_VALUE = 19, 20
_SECONDARY_CUSTOM_LOW, _SECONDARY_CUSTOM_HIGH = 21, 22
_DURATION_TIME, _REPEAT_UNTIL_STEPS_CMPLT = 0, 6
_TARGET_OPEN, _TARGET_CADENCE, _TARGET_POWER = 2, 3, 4
_INTENSITIES = {"active": 0, "rest": 1, "warmup": 2, "cooldown": 3}

WORKOUT_NAME_MAX_BYTES = 48
STEP_NAME_MAX_BYTES = 30
NOTES_MAX_BYTES = 100


def workout_to_fit(workout: Workout) -> bytes:
    """The workout as FIT bytes (header, messages and CRC)."""
    return _fit_bytes(workout.to_json())


@lru_cache(maxsize=256)
def _fit_bytes(document: str) -> bytes:
    """Cached by document: a season repeats the same workouts many times."""
    workout = Workout.model_validate_json(document)
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    nodes = head_unit_steps(workout)
    messages: list[Any] = []
    _append_steps(nodes, messages)

    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = _serial_number(workout)
    file_id.time_created = FIT_TIME_CREATED_MS

    header = WorkoutMessage()
    header.workout_name = _fit_text(workout.meta.title, WORKOUT_NAME_MAX_BYTES)
    header.sport = {"bike": Sport.CYCLING, "run": Sport.RUNNING}.get(
        workout.meta.sport, Sport.GENERIC
    )
    header.num_valid_steps = len(messages)

    builder = FitFileBuilder(auto_define=True, min_string_size=16)
    builder.add(file_id)
    builder.add(header)
    builder.add_all(messages)
    data: bytes = builder.build().to_bytes()
    return data


def _append_steps(nodes: Sequence[UnitNode], messages: list[Any]) -> None:
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage

    for node in nodes:
        if isinstance(node, UnitRepeat):
            first = len(messages)
            _append_steps(node.content, messages)
            repeat = WorkoutStepMessage()
            _set(repeat, _MESSAGE_INDEX, len(messages))
            _set(repeat, _DURATION_TYPE, _REPEAT_UNTIL_STEPS_CMPLT)
            _set(repeat, _DURATION_VALUE, first)  # the step to go back to
            _set(repeat, _TARGET_VALUE, node.repeats)  # repetitions in all
            messages.append(repeat)
        else:
            messages.append(_step_message(node, len(messages)))


def _step_message(step: UnitStep, index: int) -> Any:
    """One timed step; raw field values (profile units) skip fit-tool's slow sub-field
    resolution, which made long plans take seconds to export."""
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage

    message = WorkoutStepMessage()
    _set(message, _MESSAGE_INDEX, index)
    message.workout_step_name = _fit_text(step.name, STEP_NAME_MAX_BYTES)
    _set(message, _DURATION_TYPE, _DURATION_TIME)
    _set(message, _DURATION_VALUE, step.duration_s * 1000)  # duration_time: scale 1000
    if step.power_low is None or step.power_high is None:
        _set(message, _TARGET_TYPE, _TARGET_OPEN)
        _set(message, _TARGET_VALUE, 0)
    else:
        low, high = percent_range(step.power_low, step.power_high)
        _set(message, _TARGET_TYPE, _TARGET_POWER)
        _set(message, _TARGET_VALUE, 0)  # power zone 0: the custom range below applies
        _set(message, _CUSTOM_LOW, low)
        _set(message, _CUSTOM_HIGH, high)
    _set(message, _INTENSITY, _INTENSITIES.get(step.intensity, 0))
    if step.notes:
        message.notes = _fit_text(step.notes, NOTES_MAX_BYTES)
    if step.cadence is not None:
        _set(message, _SECONDARY_TARGET_TYPE, _TARGET_CADENCE)
        _set(message, _SECONDARY_TARGET_VALUE, 0)
        _set(message, _SECONDARY_CUSTOM_LOW, step.cadence)
        _set(message, _SECONDARY_CUSTOM_HIGH, step.cadence)
    return message


def _set(message: Any, field_id: int, raw: int) -> None:
    message.get_field(field_id).set_encoded_value(0, raw)


def _serial_number(workout: Workout) -> int:
    return zlib.crc32(workout.to_json().encode("utf-8")) or 1


def _fit_text(text: str, max_bytes: int) -> str:
    """Text cut to ``max_bytes`` of UTF-8 without splitting a character."""
    encoded = " ".join(text.split()).encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", "ignore")

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
from typing import Any

from wattz.awp.models import Workout
from wattz.export.headunit import UnitNode, UnitRepeat, UnitStep, head_unit_steps, percent_range

FIT_TIME_CREATED_MS = 1_577_836_800_000
"""2020-01-01T00:00Z: a fixed creation time keeps the bytes reproducible."""
WORKOUT_NAME_MAX_BYTES = 48
STEP_NAME_MAX_BYTES = 30
NOTES_MAX_BYTES = 100


def workout_to_fit(workout: Workout) -> bytes:
    """The workout as FIT bytes (header, messages and CRC)."""
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
    from fit_tool.profile.profile_type import WorkoutStepDuration

    for node in nodes:
        if isinstance(node, UnitRepeat):
            first = len(messages)
            _append_steps(node.content, messages)
            repeat = WorkoutStepMessage()
            repeat.message_index = len(messages)
            repeat.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            repeat.duration_step = first
            repeat.target_repeat_steps = node.repeats
            messages.append(repeat)
        else:
            messages.append(_step_message(node, len(messages)))


def _step_message(step: UnitStep, index: int) -> Any:
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import Intensity, WorkoutStepDuration, WorkoutStepTarget

    message = WorkoutStepMessage()
    message.message_index = index
    message.workout_step_name = _fit_text(step.name, STEP_NAME_MAX_BYTES)
    message.intensity = {
        "warmup": Intensity.WARMUP,
        "cooldown": Intensity.COOLDOWN,
        "rest": Intensity.REST,
    }.get(step.intensity, Intensity.ACTIVE)
    message.duration_type = WorkoutStepDuration.TIME
    message.duration_time = float(step.duration_s)
    if step.power_low is None or step.power_high is None:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
    else:
        low, high = percent_range(step.power_low, step.power_high)
        message.target_type = WorkoutStepTarget.POWER
        message.target_power_zone = 0
        message.custom_target_power_low = low
        message.custom_target_power_high = high
    if step.cadence is not None:
        message.secondary_target_type = WorkoutStepTarget.CADENCE
        message.secondary_target_value = 0
        message.secondary_custom_target_cadence_low = step.cadence
        message.secondary_custom_target_cadence_high = step.cadence
    if step.notes:
        message.notes = _fit_text(step.notes, NOTES_MAX_BYTES)
    return message


def _serial_number(workout: Workout) -> int:
    return zlib.crc32(workout.to_json().encode("utf-8")) or 1


def _fit_text(text: str, max_bytes: int) -> str:
    """Text cut to ``max_bytes`` of UTF-8 without splitting a character."""
    encoded = " ".join(text.split()).encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", "ignore")

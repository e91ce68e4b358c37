"""AWP → FIT workout file (file type 5).

Garmin's FIT profile and its "Encoding Workout Files" cookbook: a ``file_id`` (type
workout), one ``workout`` message (name, sport, number of steps) and the ``workout_step``
messages. Every step is timed (``duration_type`` time, in ms); power targets are custom
ranges in % FTP (``custom_target_value_low``/``high``: values up to 1000 mean % FTP, so the
unit applies the rider's own FTP); a repeat is a step of type ``repeat_until_steps_cmplt``
whose ``duration_value`` is the step to go back to and ``target_value`` the count in all.
Cadence goes in the secondary target; intensity is warmup/active/rest/cooldown; step
names and notes carry the instructions. Ramps arrive already stepped (``export.headunit``).

The three message types are encoded here with ``struct`` (FIT protocol 1.0: 14-byte
header with its CRC, one definition per message type, little-endian, file CRC-16). The
first version built them with fit-tool, which took 10–40 ms per workout — seven seconds for
a 24-week plan against a 2-second budget (``bench/export.py``); this takes well under a
millisecond. fit-tool still reads FIT workouts (``sources.fit_workout``), and Garmin's own
SDK decodes every file written here in the tests, CRCs included.

The bytes depend on the workout only (no clock), so re-exporting is byte-identical; the
serial number is derived from the workout so several wattz workouts on one unit differ in
(type, manufacturer, product, serial), as the profile asks.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

from wattz.awp.models import Workout
from wattz.export.headunit import UnitNode, UnitRepeat, UnitStep, head_unit_steps, percent_range

FIT_TIME_CREATED = 946_771_200
"""2020-01-01T00:00Z in FIT time (seconds since 1989-12-31T00:00Z): reproducible bytes."""
WORKOUT_NAME_MAX_BYTES = 48
STEP_NAME_MAX_BYTES = 30
NOTES_MAX_BYTES = 100

PROTOCOL_VERSION = 0x10  # 1.0: read by every unit, old Edges included
PROFILE_VERSION = 21212  # the Garmin profile these field numbers come from (21.212)
MANUFACTURER_DEVELOPMENT = 255

# Base types (FIT protocol, "Base Types").
_ENUM, _UINT16, _UINT32, _UINT32Z, _STRING = 0x00, 0x84, 0x86, 0x8C, 0x07
_INVALID = {_ENUM: 0xFF, _UINT16: 0xFFFF, _UINT32: 0xFFFFFFFF, _UINT32Z: 0}
_CODES = {_ENUM: "B", _UINT16: "H", _UINT32: "I", _UINT32Z: "I"}
_SIZES = {_ENUM: 1, _UINT16: 2, _UINT32: 4, _UINT32Z: 4}

# Global message numbers and field numbers (Profile.xlsx).
_FILE_ID, _WORKOUT, _WORKOUT_STEP = 0, 26, 27
_FILE_TYPE_WORKOUT = 5
_SPORTS = {"bike": 2, "run": 1}
_DURATION_TIME, _REPEAT_UNTIL_STEPS_CMPLT = 0, 6
_TARGET_OPEN, _TARGET_CADENCE, _TARGET_POWER = 2, 3, 4
_INTENSITIES = {"active": 0, "rest": 1, "warmup": 2, "cooldown": 3}

Field = tuple[int, int, int]
"""(field number, size in bytes, base type)."""


def workout_to_fit(workout: Workout) -> bytes:
    """The workout as FIT bytes (header, messages and CRC)."""
    steps: list[dict[int, int | str]] = []
    _append_steps(head_unit_steps(workout), steps)
    records = bytearray()
    records += _message(
        0,
        _FILE_ID,
        [(0, 1, _ENUM), (1, 2, _UINT16), (2, 2, _UINT16), (3, 4, _UINT32Z), (4, 4, _UINT32)],
        [
            {
                0: _FILE_TYPE_WORKOUT,
                1: MANUFACTURER_DEVELOPMENT,
                2: 0,
                3: _serial_number(workout),
                4: FIT_TIME_CREATED,
            }
        ],
    )
    name = _fit_text(workout.meta.title, WORKOUT_NAME_MAX_BYTES)
    records += _message(
        1,
        _WORKOUT,
        [(8, _string_size([name]), _STRING), (4, 1, _ENUM), (6, 2, _UINT16)],
        [{8: name, 4: _SPORTS.get(workout.meta.sport, 0), 6: len(steps)}],
    )
    names = [str(step.get(0, "")) for step in steps]
    notes = [str(step.get(8, "")) for step in steps]
    step_fields: list[Field] = [(254, 2, _UINT16), (0, _string_size(names), _STRING)]
    step_fields += [(1, 1, _ENUM), (2, 4, _UINT32), (3, 1, _ENUM), (4, 4, _UINT32)]
    step_fields += [(5, 4, _UINT32), (6, 4, _UINT32), (7, 1, _ENUM)]
    if any(notes):
        step_fields.append((8, _string_size(notes), _STRING))
    if any(19 in step for step in steps):
        step_fields += [(19, 1, _ENUM), (20, 4, _UINT32), (21, 4, _UINT32), (22, 4, _UINT32)]
    records += _message(2, _WORKOUT_STEP, step_fields, steps)
    header = struct.pack("<BBHI4s", 14, PROTOCOL_VERSION, PROFILE_VERSION, len(records), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    body = header + records
    return bytes(body + struct.pack("<H", fit_crc(body)))


def _append_steps(nodes: Sequence[UnitNode], steps: list[dict[int, int | str]]) -> None:
    for node in nodes:
        if isinstance(node, UnitRepeat):
            first = len(steps)
            _append_steps(node.content, steps)
            index = len(steps)
            steps.append({254: index, 1: _REPEAT_UNTIL_STEPS_CMPLT, 2: first, 4: node.repeats})
        else:
            steps.append(_step(node, len(steps)))


def _step(step: UnitStep, index: int) -> dict[int, int | str]:
    values: dict[int, int | str] = {
        254: index,
        0: _fit_text(step.name, STEP_NAME_MAX_BYTES),
        1: _DURATION_TIME,
        2: step.duration_s * 1000,  # duration_time: ms
        7: _INTENSITIES.get(step.intensity, 0),
    }
    if step.power_low is None or step.power_high is None:
        values.update({3: _TARGET_OPEN, 4: 0})
    else:
        low, high = percent_range(step.power_low, step.power_high)
        values.update({3: _TARGET_POWER, 4: 0, 5: low, 6: high})  # zone 0: custom range
    if step.notes:
        values[8] = _fit_text(step.notes, NOTES_MAX_BYTES)
    if step.cadence is not None:
        values.update({19: _TARGET_CADENCE, 20: 0, 21: step.cadence, 22: step.cadence})
    return values


def _message(
    local: int, global_number: int, fields: Sequence[Field], rows: Sequence[dict[int, int | str]]
) -> bytes:
    """One definition message, then one data message per row (absent values invalid)."""
    definition = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
    definition += b"".join(struct.pack("<BBB", *field) for field in fields)
    layout = "<B" + "".join(
        f"{size}s" if base == _STRING else _CODES[base] for _, size, base in fields
    )
    packer = struct.Struct(layout)
    data = bytearray(definition)
    for row in rows:
        values: list[int | bytes] = [local]
        for number, _size, base in fields:
            value = row.get(number)
            if base == _STRING:
                values.append(str(value or "").encode("utf-8"))
            else:
                values.append(_INVALID[base] if value is None else int(value))
        data += packer.pack(*values)
    return bytes(data)


def _string_size(texts: Sequence[str]) -> int:
    """Bytes for the longest text plus its terminating zero."""
    return max((len(text.encode("utf-8")) for text in texts), default=0) + 1


_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def fit_crc(data: bytes | bytearray) -> int:
    """FIT's CRC-16 (FIT protocol, "CRC"), nibble by nibble as Garmin's SDK computes it."""
    crc = 0
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def _serial_number(workout: Workout) -> int:
    return zlib.crc32(workout.to_json().encode("utf-8")) or 1


def _fit_text(text: str, max_bytes: int) -> str:
    """Text cut to ``max_bytes`` of UTF-8 without splitting a character."""
    encoded = " ".join(text.split()).encode("utf-8")[:max_bytes]
    return encoded.decode("utf-8", "ignore")

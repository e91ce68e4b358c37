"""FIT workout files (file type 5) into AWP, read with fit-tool.

A FIT workout is a flat list of ``workout_step`` messages; a repeat is a step of duration
type ``repeat_until_steps_cmplt`` that sends the unit back to step ``duration_step``
``repeat_steps`` times in all (Garmin FIT profile, ``workout_step``). Power targets are
``custom_target_power_low``/``high`` in % FTP (0–1000) or watts + 1000, or a power zone
``target_power_zone`` 1–7 (the unit's own zones, read here as the middle of Coggan's).

wattz workouts are timed, so steps that end otherwise (distance, heart rate, the lap
button) are given a duration and a warning saying so; heart-rate targets are not carried
(the step becomes a free ride). A conditional repeat ("until heart rate above …") runs
once. Files that fit-tool cannot decode, or that hold no workout steps, are refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wattz.awp.models import Step
from wattz.awp.zones import POWER_ZONES
from wattz.errors import InvalidValue
from wattz.sources.workout_files import ImportedWorkout, Normaliser, RawStep

ASSUMED_SPEED_M_S = 30 / 3.6
"""Speed used to time a step that ends after a distance (30 km/h, a steady road pace)."""
OPEN_STEP_ASSUMED_S = 300
"""Duration given to a step that ends on the lap button or a heart-rate/power condition."""
CUSTOM_POWER_WATTS_OFFSET = 1000
"""FIT ``workout_power``: values above 1000 are watts + 1000, below are % FTP."""

_DURATION_TIME = 0
_DURATION_DISTANCE = 1
_DURATION_REPEAT_STEPS = 6
_FIRST_REPEAT = 6
_LAST_REPEAT = 13
_TARGET_POWER_TYPES = {4, 7, 8, 9, 10}
_TARGET_OPEN = 2
_TARGET_HEART_RATE = 1
_TARGET_CADENCE = 3
_GENERIC_NAME = re.compile(
    r"^(Warm up|Cool down|Interval|Ramp|Free ride|Recovery)( \d+/\d+)?$", re.IGNORECASE
)
"""Step names that only repeat the step's kind (wattz writes these): not instructions."""
_INTENSITY_NAMES = {0: "active", 1: "rest", 2: "warmup", 3: "cooldown", 4: "rest", 5: "active"}
_SPORT_NAMES = {0: "generic", 1: "run", 2: "bike", 5: "swim", 10: "training"}


@dataclass(frozen=True)
class _FitStep:
    index: int
    name: str | None
    notes: str | None
    duration_type: int | None
    duration_time: float | None
    duration_value: float | None
    duration_step: int | None
    repeat_steps: int | None
    target_type: int | None
    target_value: int | None
    power_low: int | None
    power_high: int | None
    intensity: int | None
    cadence_low: int | None
    cadence_high: int | None


def read_fit_workout(data: bytes, source_name: str, ftp_w: int | None = None) -> ImportedWorkout:
    """Parse FIT workout bytes; a corrupt file or an activity file is refused in one line."""
    from fit_tool.exceptions import FitError
    from fit_tool.fit_file import FitFile
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage

    normaliser = Normaliser(source_name)
    try:
        fit_file = FitFile.from_bytes(data)
    except FitError as error:
        raise normaliser.refuse(
            f"not a readable FIT file ({_first_line(error)})", "copy the file again"
        ) from None
    except (ValueError, IndexError, KeyError, TypeError) as error:
        raise normaliser.refuse(
            f"not a readable FIT file ({type(error).__name__}: {_first_line(error)})",
            "copy the file again",
        ) from None
    title: str | None = None
    sport: str | None = None
    file_type: int | None = None
    raw_steps: list[_FitStep] = []
    for record in fit_file.records:
        message = record.message
        if isinstance(message, FileIdMessage):
            file_type = _enum_value(message.type)
        elif isinstance(message, WorkoutMessage):
            title = message.workout_name
            sport = _SPORT_NAMES.get(_enum_value(message.sport) or -1)
        elif isinstance(message, WorkoutStepMessage):
            raw_steps.append(_fit_step(message, len(raw_steps)))
    if not raw_steps:
        kind = "an activity" if file_type == 4 else "a FIT file"
        raise normaliser.refuse(
            f"is {kind} with no workout steps", "import rides with `wattz ride import`"
        )
    builder = _Builder(normaliser, ftp_w, source_name)
    steps = builder.build(sorted(raw_steps, key=lambda step: step.index))
    workout = normaliser.finish(steps, title=title, sport=sport if sport != "generic" else None)
    return normaliser.imported(workout, "fit")


def _fit_step(message: Any, position: int) -> _FitStep:
    target_type = _enum_value(message.target_type)
    is_power = target_type in _TARGET_POWER_TYPES
    secondary = _enum_value(message.secondary_target_type)
    cadence_low: int | None = None
    cadence_high: int | None = None
    if target_type == _TARGET_CADENCE:
        cadence_low, cadence_high = (
            message.custom_target_cadence_low,
            (message.custom_target_cadence_high),
        )
    elif secondary == _TARGET_CADENCE:
        cadence_low = message.secondary_custom_target_cadence_low
        cadence_high = message.secondary_custom_target_cadence_high
    index = message.message_index
    return _FitStep(
        index=index if isinstance(index, int) else position,
        name=message.workout_step_name or None,
        notes=message.notes or None,
        duration_type=_enum_value(message.duration_type),
        duration_time=message.duration_time,
        duration_value=message.duration_value,
        duration_step=message.duration_step,
        repeat_steps=message.target_repeat_steps,
        target_type=target_type,
        target_value=message.target_value,
        power_low=message.custom_target_power_low if is_power else None,
        power_high=message.custom_target_power_high if is_power else None,
        intensity=_enum_value(message.intensity),
        cadence_low=cadence_low,
        cadence_high=cadence_high,
    )


class _Builder:
    """Folds the flat step list into AWP, nesting each repeat over the steps it covers."""

    def __init__(self, normaliser: Normaliser, ftp_w: int | None, source_name: str) -> None:
        self.normaliser = normaliser
        self.ftp_w = ftp_w
        self.source_name = source_name

    def build(self, fit_steps: Sequence[_FitStep]) -> list[Step]:
        # Each entry: (message index of the first FIT step it came from, AWP steps).
        built: list[tuple[int, list[Step]]] = []
        for step in fit_steps:
            where = f"step {step.index + 1}" + (f" “{step.name}”" if step.name else "")
            duration_type = step.duration_type
            if duration_type is not None and _FIRST_REPEAT <= duration_type <= _LAST_REPEAT:
                built.append(self._repeat(step, built, where))
            else:
                leaf = self._leaf(step, where)
                built.append((step.index, [leaf] if leaf is not None else []))
        return [awp for _, steps in built for awp in steps]

    def _repeat(
        self, step: _FitStep, built: list[tuple[int, list[Step]]], where: str
    ) -> tuple[int, list[Step]]:
        """Replace the built entries the repeat covers with one entry holding the Repeat."""
        start = step.duration_step if step.duration_step is not None else 0
        covered = [entry for entry in built if entry[0] >= start]
        if not covered:
            self.normaliser.warn(f"{where}: a repeat of no earlier steps was dropped")
            return step.index, []
        del built[len(built) - len(covered) :]
        content = [awp for _, steps in covered for awp in steps]
        if step.duration_type == _DURATION_REPEAT_STEPS:
            times = step.repeat_steps or 1
        else:
            self.normaliser.warn(
                f"{where}: a repeat that ends on a condition, not a count, is done once"
            )
            times = 1
        return covered[0][0], self.normaliser.repeat(times, content, where)

    def _leaf(self, step: _FitStep, where: str) -> Step | None:
        intensity = _INTENSITY_NAMES.get(step.intensity if step.intensity is not None else 0)
        kind = {"warmup": "Warmup", "cooldown": "Cooldown"}.get(intensity or "", "SteadyState")
        low, high = self._power(step, where)
        if low is None:
            kind = "FreeRide"
        cadence = None
        if step.cadence_low is not None:
            cadence = (step.cadence_low + (step.cadence_high or step.cadence_low)) / 2
        name = None if step.name is None or _GENERIC_NAME.match(step.name) else step.name
        instruction = " — ".join(text for text in (name, step.notes) if text) or None
        return self.normaliser.leaf(
            RawStep(
                kind=kind,
                duration_s=self._seconds(step, where),
                power_start=low,
                power_end=high,
                cadence=cadence,
                instruction=instruction,
                intensity="rest" if intensity == "rest" else None,
            ),
            where,
        )

    def _seconds(self, step: _FitStep, where: str) -> float:
        if step.duration_type == _DURATION_TIME and step.duration_time is not None:
            return step.duration_time
        if step.duration_type == _DURATION_DISTANCE and step.duration_value:
            metres = float(step.duration_value)
            seconds = round(metres / ASSUMED_SPEED_M_S)
            self.normaliser.warn(
                f"{where} ends after {metres:g} m; timed as {seconds} s at "
                f"{ASSUMED_SPEED_M_S * 3.6:.0f} km/h"
            )
            return seconds
        self.normaliser.warn(
            f"{where} ends on a condition, not a time; timed as {OPEN_STEP_ASSUMED_S} s"
        )
        return OPEN_STEP_ASSUMED_S

    def _power(self, step: _FitStep, where: str) -> tuple[float | None, float | None]:
        """Midpoint target as a fraction of FTP (a range is ridden at its middle)."""
        if step.target_type == _TARGET_HEART_RATE:
            self.normaliser.warn(f"{where}: a heart-rate target is not carried; ridden free")
            return None, None
        if step.target_type not in _TARGET_POWER_TYPES:
            return None, None
        if step.power_low is not None and (step.power_low or step.power_high):
            high = step.power_high if step.power_high is not None else step.power_low
            middle = (self._fraction(step.power_low, where) + self._fraction(high, where)) / 2
            return middle, middle
        zone = step.target_value or 0
        if 1 <= zone <= len(POWER_ZONES):
            band = POWER_ZONES[zone - 1]
            upper = band.upper if band.upper is not None else band.lower + 0.3
            middle = round((band.lower + upper) / 2, 3)
            self.normaliser.warn(f"{where}: power zone {zone} read as {middle * 100:.0f} % FTP")
            return middle, middle
        return None, None

    def _fraction(self, value: int, where: str) -> float:
        if value <= CUSTOM_POWER_WATTS_OFFSET:
            return value / 100
        watts = value - CUSTOM_POWER_WATTS_OFFSET
        if not self.ftp_w:
            raise InvalidValue(
                f"{self.source_name}: {where} targets {watts} W and no FTP was given",
                "set the athlete's FTP so watts can become % FTP",
            )
        return watts / self.ftp_w


def _enum_value(value: Any) -> int | None:
    if value is None:
        return None
    raw = getattr(value, "value", value)
    return raw if isinstance(raw, int) else None


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:120] if text else type(error).__name__

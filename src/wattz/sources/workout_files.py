"""Workout files into AWP: the one entry point, and the normaliser every reader shares.

Real workout files are untidy: fractional seconds, zero-length blocks, sprints written at
400 % FTP, cues placed after the end of their block. A reader does not refuse such a file;
it hands the raw values to a :class:`Normaliser`, which rounds, drops and clamps them and
records each repair as a warning for the caller to show. Only a file that cannot be read
at all (not XML, not FIT, no steps) is refused, with one line naming the file.

Readers (``sources.zwo``, ``sources.ergmrc``, ``sources.fit_workout``) are imported lazily
by :func:`read_workout_file`, so importing this module costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wattz.awp.models import (
    MAX_TEXT_EVENTS_PER_STEP,
    SHORT_TEXT_MAX_CHARS,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    Cooldown,
    FreeRide,
    Intensity,
    Meta,
    Power,
    Ramp,
    RampPower,
    Repeat,
    SteadyPower,
    SteadyState,
    Step,
    TextEvent,
    Warmup,
    Workout,
)
from wattz.awp.validate import (
    CADENCE_RANGE_RPM,
    MAX_POWER_FRACTION,
    MAX_TOTAL_SECONDS,
    MAX_UNROLLED_SEGMENTS,
    steps_extent,
    validate_workout,
)
from wattz.errors import InvalidValue, InvalidWorkout, NotFound

MAX_WORKOUT_FILE_BYTES = 5_000_000
"""Larger files are refused before parsing: no real workout file comes near this."""

MESSAGE_MAX_CHARS = SHORT_TEXT_MAX_CHARS * 2
DESCRIPTION_MAX_CHARS = TEXT_MAX_CHARS * 2
AUTHOR_MAX_CHARS = SHORT_TEXT_MAX_CHARS

SUFFIX_FORMATS = {".zwo": "zwo", ".mrc": "mrc", ".erg": "erg", ".fit": "fit", ".json": "json"}
"""File suffix → format name, for the formats :func:`read_workout_file` reads."""


_POWERED_STEPS: dict[str, type[Warmup | Cooldown | SteadyState | Ramp]] = {
    "Warmup": Warmup,
    "Cooldown": Cooldown,
    "SteadyState": SteadyState,
    "Ramp": Ramp,
}


@dataclass(frozen=True)
class ImportedWorkout:
    """A workout read from a file, with every repair the reader made, in words."""

    workout: Workout
    warnings: tuple[str, ...]
    format: str
    source_name: str


@dataclass(frozen=True)
class RawStep:
    """One leaf step as a reader found it, before normalising (seconds may be fractional)."""

    kind: str
    """``Warmup``, ``Cooldown``, ``SteadyState``, ``Ramp`` or ``FreeRide``."""
    duration_s: float
    power_start: float | None = None
    power_end: float | None = None
    cadence: float | None = None
    instruction: str | None = None
    text_events: Sequence[tuple[float, str]] = ()
    intensity: str | None = None


@dataclass
class Normaliser:
    """Turns raw values from a file into valid AWP steps, noting each repair it makes."""

    source_name: str
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def seconds(self, value: float, where: str) -> int:
        """Whole seconds: fractions are rounded (silently, real files are full of them).

        A step longer than a whole workout may last is refused here, in a short line,
        before it is turned into a number with hundreds of digits."""
        if not math.isfinite(value) or value > MAX_TOTAL_SECONDS:
            raise self.refuse(
                f"{where} has no usable duration ({value:.6g} s; at most {MAX_TOTAL_SECONDS:,})"
            )
        return max(round(value), 0)

    def power(self, value: float, where: str) -> float:
        """A fraction of FTP within 0–3.0; values outside are clamped with a warning."""
        if value != value:
            raise self.refuse(f"{where} has no usable power target")
        if value > MAX_POWER_FRACTION:
            ceiling = MAX_POWER_FRACTION * 100
            self.warn(f"{where}: power {value * 100:.0f} % FTP clamped to {ceiling:.0f} %")
            return MAX_POWER_FRACTION
        if value < 0:
            self.warn(f"{where}: negative power {value * 100:.0f} % FTP raised to 0 %")
            return 0.0
        return round(value, 4)

    def cadence(self, value: float | None, where: str) -> int | None:
        if value is None or value == 0:
            return None
        if not math.isfinite(value):
            self.warn(f"{where}: cadence {value} is not a number of rpm and was dropped")
            return None
        rpm = round(value)
        low, high = CADENCE_RANGE_RPM
        if not low <= rpm <= high:
            self.warn(f"{where}: cadence {rpm} rpm is outside {low}–{high} rpm and was dropped")
            return None
        return rpm

    def leaf(self, raw: RawStep, where: str) -> Step | None:
        """An AWP leaf step, or None (with a warning) when it lasts no whole second."""
        duration = self.seconds(raw.duration_s, where)
        if duration <= 0:
            self.warn(f"{where}: a step of {raw.duration_s:g} s was dropped")
            return None
        cadence = self.cadence(raw.cadence, where)
        instruction = _clip(raw.instruction, TEXT_MAX_CHARS)
        events = self.text_events(raw.text_events, duration, where) or None
        intensity: Intensity | None = (
            "rest" if raw.intensity == "rest" else "active" if raw.intensity == "active" else None
        )
        if raw.kind == "FreeRide" or raw.power_start is None:
            return FreeRide(
                duration=duration,
                cadence=cadence,
                instruction=instruction,
                text_events=events,
                intensity=intensity,
            )
        start = self.power(raw.power_start, where)
        same = raw.power_end is None or raw.power_end == raw.power_start
        end = start if same else self.power(raw.power_end or 0.0, where)
        power: Power = SteadyPower(value=start) if start == end else RampPower(start=start, end=end)
        step_type = _POWERED_STEPS.get(raw.kind, SteadyState)
        return step_type(
            duration=duration,
            power=power,
            cadence=cadence,
            instruction=instruction,
            text_events=events,
            intensity=intensity,
        )

    def text_events(
        self, events: Sequence[tuple[float, str]], duration_s: int, where: str
    ) -> list[TextEvent]:
        """Cues inside the step, in order; cues past its end or beyond the cap are dropped."""
        kept: list[TextEvent] = []
        for offset, message in sorted(events, key=lambda event: event[0]):
            text = " ".join(message.split())
            if not text:
                continue
            if not math.isfinite(offset):
                self.warn(f"{where}: the cue {_quote(text)} at {offset} s was dropped")
                continue
            second = round(offset)
            if not 0 <= second < duration_s:
                self.warn(
                    f"{where}: the cue {_quote(text)} at {offset:g} s lies outside the "
                    f"{duration_s} s step and was dropped"
                )
                continue
            if len(kept) == MAX_TEXT_EVENTS_PER_STEP:
                self.warn(f"{where}: cues beyond {MAX_TEXT_EVENTS_PER_STEP} were dropped")
                break
            kept.append(TextEvent(offset=second, message=_clip(text, MESSAGE_MAX_CHARS) or text))
        return kept

    def repeat(
        self,
        repeats: int,
        content: Sequence[Step],
        where: str,
        rest_between: Step | None = None,
    ) -> list[Step]:
        """A Repeat, collapsed to its content when it repeats once; nothing when empty."""
        if not content:
            self.warn(f"{where}: a repeat with no steps was dropped")
            return []
        if repeats < 1:
            self.warn(f"{where}: a repeat of {repeats} times was dropped")
            return []
        self.check_repeats(repeats, where)
        if repeats == 1:
            return list(content)
        return [Repeat(repeats=repeats, content=list(content), rest_between=rest_between)]

    def check_repeats(self, repeats: float, where: str) -> None:
        """Refuse a repeat count that alone passes the unrolled-length limit, before a
        reader spells it out (a hostile file says ``Repeat="1e12"``)."""
        if not math.isfinite(repeats) or repeats > MAX_UNROLLED_SEGMENTS:
            raise self.refuse(
                f"{where} repeats {repeats:.6g} times; at most {MAX_UNROLLED_SEGMENTS:,} "
                "segments are allowed"
            )

    def finish(
        self,
        steps: Sequence[Step],
        *,
        title: str | None,
        description: str | None = None,
        author: str | None = None,
        sport: str | None = None,
    ) -> Workout:
        """The whole document, its total computed; logic findings refuse it in one line."""
        if not steps:
            raise self.refuse("holds no workout steps")
        name = (
            _clip(" ".join((title or "").split()), TITLE_MAX_CHARS)
            or Path(self.source_name).stem[:TITLE_MAX_CHARS]
            or "Imported workout"
        )
        meta = Meta(
            title=name,
            description=_clip((description or "").strip(), DESCRIPTION_MAX_CHARS),
            author=_clip(" ".join((author or "").split()), AUTHOR_MAX_CHARS),
            sport=(sport or "bike").strip().lower()[:20] or "bike",
            total_duration_seconds=steps_extent(steps).seconds,
        )
        workout = Workout(meta=meta, steps=list(steps))
        findings = validate_workout(workout)
        if findings:
            raise InvalidWorkout(
                f"{self.source_name}: {findings[0].message}",
                [finding.message for finding in findings],
                hint="the file was read but is not a workout wattz can keep",
            )
        from wattz.awp.metrics import workout_metrics

        tss = round(workout_metrics(workout).tss, 1)
        return workout.model_copy(update={"meta": meta.model_copy(update={"estimated_tss": tss})})

    def refuse(self, problem: str, hint: str | None = None) -> InvalidWorkout:
        """The one-line error for a file that cannot be read, naming the file."""
        return InvalidWorkout(
            f"{self.source_name}: {problem}", hint=hint or "check the file, or export it again"
        )

    def imported(self, workout: Workout, format: str) -> ImportedWorkout:
        return ImportedWorkout(workout, tuple(self.warnings), format, self.source_name)


def read_workout_file(path: Path, ftp_w: int | None = None) -> ImportedWorkout:
    """Read a .zwo, .mrc, .erg, .fit or AWP .json workout file into AWP.

    ``ftp_w`` turns watt targets (.erg without an FTP header, FIT targets in watts) into
    fractions of FTP; files that carry their own FTP use it.
    """
    format_name = SUFFIX_FORMATS.get(path.suffix.lower())
    if format_name is None:
        known = ", ".join(sorted(SUFFIX_FORMATS))
        raise InvalidValue(
            f"{path.name}: wattz does not read {path.suffix or 'suffix-less'} files",
            f"give a {known} file",
        )
    data = _read_bytes(path)
    return read_workout_bytes(data, format_name, path.name, ftp_w)


def read_workout_bytes(
    data: bytes, format_name: str, source_name: str, ftp_w: int | None = None
) -> ImportedWorkout:
    """Read workout bytes of a named format (``zwo``, ``mrc``, ``erg``, ``fit``, ``json``)."""
    if format_name == "zwo":
        from wattz.sources.zwo import read_zwo

        return read_zwo(data, source_name)
    if format_name in ("mrc", "erg"):
        from wattz.sources.ergmrc import read_ergmrc

        return read_ergmrc(data, source_name, ftp_w)
    if format_name == "fit":
        from wattz.sources.fit_workout import read_fit_workout

        return read_fit_workout(data, source_name, ftp_w)
    if format_name == "json":
        return _read_awp_json(data, source_name)
    raise InvalidValue(f"unknown workout format {format_name!r}", "use zwo, mrc, erg, fit or json")


def _read_awp_json(data: bytes, source_name: str) -> ImportedWorkout:
    from wattz.awp.validate import validate_document

    report = validate_document(data)
    if report.workout is None:
        findings = [finding.message for finding in report.findings]
        raise InvalidWorkout(
            f"{source_name}: {findings[0]}", findings, hint="fix the document and try again"
        )
    return ImportedWorkout(report.workout, (), "json", source_name)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_WORKOUT_FILE_BYTES:
            raise InvalidWorkout(
                f"{path.name}: {size:,} bytes is too large for a workout file",
                hint=f"workout files are far smaller than {MAX_WORKOUT_FILE_BYTES:,} bytes",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path} does not exist", "check the path") from None
    except IsADirectoryError:
        raise InvalidValue(f"{path} is a folder", "name the workout files in it") from None
    except OSError as error:
        raise InvalidValue(f"{path} cannot be read: {error.strerror}", "check the file") from None


def _clip(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(text: str) -> str:
    return f"“{text if len(text) <= 40 else text[:37] + '...'}”"

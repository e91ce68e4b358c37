"""TrainerRoad-style .erg and .mrc workout files into AWP.

Both are text: a ``[COURSE HEADER]`` of ``KEY = value`` lines (``FTP``, ``DESCRIPTION``,
``FILE NAME``) and a units line ``MINUTES WATTS`` (.erg) or ``MINUTES PERCENT`` (.mrc),
then ``[COURSE DATA]``: points of (decimal minutes, target), tab- or space-separated.
The target moves linearly from one point to the next, so two points at the same minute
make a step change and two different targets make a ramp (GoldenCheetah's ErgFile reads
them the same way). ``[COURSE TEXT]`` lines are ``seconds<TAB>message[<TAB>duration]``.

Watts become fractions of FTP with the file's own ``FTP =`` header when it has one (the
watts were written for that rider), else with the caller's ``ftp_w``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from wattz.awp.models import Step
from wattz.errors import InvalidValue
from wattz.sources.workout_files import ImportedWorkout, Normaliser, RawStep

_SECTION = re.compile(r"^\[\s*(?P<name>[A-Z ]+?)\s*\]$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z ]+?)\s*=\s*(?P<value>.*)$")


@dataclass(frozen=True)
class _Point:
    minutes: float
    value: float


def read_ergmrc(data: bytes, source_name: str, ftp_w: int | None = None) -> ImportedWorkout:
    """Parse .erg (watts) or .mrc (percent of FTP) bytes; the units line decides which."""
    normaliser = Normaliser(source_name)
    text = _decode(data, normaliser)
    header: dict[str, str] = {}
    units: str | None = None
    points: list[_Point] = []
    cues: list[tuple[float, str]] = []
    section: str | None = None
    saw_data = False
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        match = _SECTION.match(line)
        if match:
            name = match["name"].upper()
            section = None if name.startswith("END ") else name
            saw_data = saw_data or section == "COURSE DATA"
            continue
        if section == "COURSE HEADER":
            fields = line.split()
            if len(fields) >= 2 and fields[0].upper() == "MINUTES":
                units = fields[1].upper()
            elif header_match := _HEADER_LINE.match(line):
                header[header_match["key"].strip().upper()] = header_match["value"].strip()
        elif section == "COURSE DATA":
            point = _data_point(line, number, normaliser)
            if point is not None:
                points.append(point)
        elif section == "COURSE TEXT":
            cue = _cue(line)
            if cue is not None:
                cues.append(cue)
    if not saw_data:
        raise normaliser.refuse(
            "has no [COURSE DATA] section", "is it really a TrainerRoad .erg or .mrc file?"
        )
    if len(points) < 2:
        raise normaliser.refuse("holds fewer than two course points; there is no workout")
    scale = _scale(units, source_name, header, ftp_w, normaliser)
    steps = _steps(points, scale, cues, normaliser)
    workout = normaliser.finish(
        steps,
        title=header.get("DESCRIPTION") or _stem(header.get("FILE NAME")),
        description=None,
    )
    return normaliser.imported(workout, "erg" if units == "WATTS" else "mrc")


def _decode(data: bytes, normaliser: Normaliser) -> str:
    if b"\x00" in data[:4096]:
        raise normaliser.refuse("is binary, not an .erg/.mrc text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _data_point(line: str, number: int, normaliser: Normaliser) -> _Point | None:
    fields = line.split()
    if len(fields) < 2 or fields[1].upper() == "LAP":
        return None
    try:
        point = _Point(float(fields[0]), float(fields[1]))
    except ValueError:
        point = None
    # float() also reads "inf" and "nan", which are no point in time or target.
    if point is None or not (math.isfinite(point.minutes) and math.isfinite(point.value)):
        raise normaliser.refuse(
            f"line {number} ({line[:30]!r}) is not a point of minutes and target"
        )
    return point


def _cue(line: str) -> tuple[float, str] | None:
    fields = [field.strip() for field in line.split("\t")]
    if len(fields) < 2:
        fields = line.split(None, 1)
    try:
        return float(fields[0]), fields[1]
    except (ValueError, IndexError):
        return None


def _scale(
    units: str | None,
    source_name: str,
    header: dict[str, str],
    ftp_w: int | None,
    normaliser: Normaliser,
) -> float:
    """The factor turning a course value into a fraction of FTP."""
    if units is None:
        units = "WATTS" if source_name.lower().endswith(".erg") else "PERCENT"
        normaliser.warn(f"no MINUTES WATTS/PERCENT line; read as {units.lower()} from the suffix")
    if units == "PERCENT":
        return 0.01
    if units != "WATTS":
        raise normaliser.refuse(f"course values in {units} are not supported (only WATTS/PERCENT)")
    file_ftp = header.get("FTP", "")
    try:
        header_ftp = float(file_ftp) if file_ftp else None
    except ValueError:
        header_ftp = None
    if header_ftp and header_ftp > 0:
        return 1 / header_ftp
    if ftp_w and ftp_w > 0:
        return 1 / ftp_w
    raise InvalidValue(
        f"{source_name}: its targets are in watts and it names no FTP",
        "set the athlete's FTP (or pass the FTP the file was written for)",
    )


def _steps(
    points: list[_Point],
    scale: float,
    cues: list[tuple[float, str]],
    normaliser: Normaliser,
) -> list[Step]:
    steps: list[Step] = []
    remaining = sorted(cues)
    previous = points[0]
    for index, point in enumerate(points[1:], start=2):
        if point.minutes < previous.minutes:
            normaliser.warn(
                f"point {index} at {point.minutes:g} min goes back in time and was skipped"
            )
            continue
        start_s = round(previous.minutes * 60)
        end_s = round(point.minutes * 60)
        if end_s > start_s:
            inside = [(t - start_s, m) for t, m in remaining if start_s <= t < end_s]
            remaining = [(t, m) for t, m in remaining if not start_s <= t < end_s]
            low = previous.value * scale
            high = point.value * scale
            step = normaliser.leaf(
                RawStep(
                    "SteadyState" if low == high else "Ramp",
                    end_s - start_s,
                    low,
                    high,
                    text_events=inside,
                ),
                f"segment {previous.minutes:g}–{point.minutes:g} min",
            )
            if step is not None:
                steps.append(step)
        previous = point
    for offset, message in remaining:
        normaliser.warn(f"the cue “{message}” at {offset:g} s lies past the end and was dropped")
    return _merge_steady(steps)


def _merge_steady(steps: list[Step]) -> list[Step]:
    """Join back-to-back steady segments at the same target (files repeat points)."""
    merged: list[Step] = []
    for step in steps:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.type == "SteadyState"
            and step.type == "SteadyState"
            and last.power == step.power
            and not step.text_events
        ):
            merged[-1] = last.model_copy(update={"duration": last.duration + step.duration})
        else:
            merged.append(step)
    return merged


def _stem(name: str | None) -> str | None:
    if not name:
        return None
    return name.rsplit(".", 1)[0]

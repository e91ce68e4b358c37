"""AWP → TrainerRoad-layout .mrc (percent of FTP) and .erg (watts at one FTP) files.

The layout TrainerRoad, GoldenCheetah and most trainer apps read: a ``[COURSE HEADER]``
(``VERSION = 2``, ``UNITS = ENGLISH``, ``DESCRIPTION``, ``FILE NAME``, ``FTP`` for .erg,
then ``MINUTES PERCENT`` or ``MINUTES WATTS``), ``[COURSE DATA]`` with one
``minutes<TAB>target`` point at the start and end of every step (decimal minutes, two
places: 0.01 min = 0.6 s, so every whole second reads back exactly), and
``[COURSE TEXT]`` with ``seconds<TAB>message<TAB>seconds shown`` cues. CRLF line ends, as
TrainerRoad writes them. A free ride has no ERG target; it is written at
``FREE_RIDE_ASSUMED_POWER`` with a cue saying the rider is free.
"""

from __future__ import annotations

from wattz.awp.models import Workout
from wattz.awp.timeline import FREE_RIDE_ASSUMED_POWER, Segment, unroll
from wattz.errors import InvalidValue

CUE_SHOWN_S = 10
_NEWLINE = "\r\n"


def workout_to_mrc(workout: Workout) -> bytes:
    """The workout as .mrc bytes, targets in percent of FTP."""
    return _course(workout, "PERCENT", None)


def workout_to_erg(workout: Workout, ftp_w: int) -> bytes:
    """The workout as .erg bytes, targets in watts at ``ftp_w``."""
    if ftp_w <= 0:
        raise InvalidValue(f"an FTP of {ftp_w} W cannot make an .erg", "set the athlete's FTP")
    return _course(workout, "WATTS", ftp_w)


def _course(workout: Workout, units: str, ftp_w: int | None) -> bytes:
    title = _one_line(workout.meta.title)
    header = ["[COURSE HEADER]", "VERSION = 2", "UNITS = ENGLISH", f"DESCRIPTION = {title}"]
    header.append(f"FILE NAME = {title}")
    if ftp_w is not None:
        header.append(f"FTP = {ftp_w}")
    header += [f"MINUTES {units}", "[END COURSE HEADER]"]
    segments = unroll(workout)
    points: list[tuple[int, str]] = []
    cues: list[tuple[int, str]] = []
    for segment in segments:
        start, end = _targets(segment, ftp_w)
        for second, value in ((segment.start_s, start), (segment.end_s, end)):
            if not points or points[-1] != (second, value):
                points.append((second, value))
        cues.extend(_segment_cues(segment))
    data = ["[COURSE DATA]"]
    data += [f"{second / 60:.2f}\t{value}" for second, value in points]
    data.append("[END COURSE DATA]")
    lines = header + data
    if cues:
        lines.append("[COURSE TEXT]")
        lines += [f"{second}\t{message}\t{CUE_SHOWN_S}" for second, message in cues]
        lines.append("[END COURSE TEXT]")
    return (_NEWLINE.join(lines) + _NEWLINE).encode("utf-8")


def _targets(segment: Segment, ftp_w: int | None) -> tuple[str, str]:
    low = segment.power_start if segment.power_start is not None else FREE_RIDE_ASSUMED_POWER
    high = segment.power_end if segment.power_end is not None else low
    if ftp_w is None:
        return _percent(low), _percent(high)
    return str(round(low * ftp_w)), str(round(high * ftp_w))


def _segment_cues(segment: Segment) -> list[tuple[int, str]]:
    cues = []
    if segment.is_free:
        cues.append((segment.start_s, "Free ride: ride by feel"))
    if segment.instruction:
        cues.append((segment.start_s, _one_line(segment.instruction)))
    for event in segment.text_events:
        cues.append((segment.start_s + event.offset, _one_line(event.message)))
    return cues


def _percent(fraction: float) -> str:
    text = f"{fraction * 100:.1f}".rstrip("0").rstrip(".")
    return text or "0"


def _one_line(text: str) -> str:
    """Tabs and line breaks would break the tab-separated layout."""
    return " ".join(text.split())

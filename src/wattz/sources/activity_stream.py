"""The compact 1 Hz stream of an activity's moving time, as it is stored.

An activity keeps its samples so its metrics can be recomputed when FTP or LTHR change.
Only moving time is kept: pauses (timer stopped, or no record for longer than
``PAUSE_GAP_S``) are not filled with zeros or interpolated, they are simply absent, and
``runs`` remembers where each stretch of riding began so a chart can still draw the
pauses. Every channel has one value (or ``None`` when the sensor said nothing) per moving
second, so channel ``i`` of every list is the same second.

Stored as zlib-compressed JSON: a one-hour ride is a few tens of kilobytes, and any
language can read it back.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from wattz.errors import InvalidValue

STREAM_FORMAT_VERSION = 1

Channel = tuple[int | None, ...]


@dataclass(frozen=True)
class ActivityStream:
    """1 Hz channels over moving seconds, and the stretches (runs) they were ridden in.

    ``runs`` holds ``(offset_s, length_s)`` pairs: a run starts ``offset_s`` seconds after
    the activity's start and lasts ``length_s`` seconds; the lengths add up to the length
    of every channel. Units are in the names: watts, beats/min, rev/min, mm/s, decimetres.
    """

    runs: tuple[tuple[int, int], ...]
    power_w: Channel
    hr_bpm: Channel
    cadence_rpm: Channel
    speed_mm_s: Channel
    altitude_dm: Channel

    def __post_init__(self) -> None:
        moving_s = sum(length for _, length in self.runs)
        for channel in _CHANNELS:
            if len(getattr(self, channel)) != moving_s:
                raise ValueError(f"channel {channel} does not cover the {moving_s} s of its runs")

    @property
    def moving_s(self) -> int:
        return len(self.power_w)

    @property
    def has_power(self) -> bool:
        return any(value is not None for value in self.power_w)

    @property
    def has_heart_rate(self) -> bool:
        return any(value is not None for value in self.hr_bpm)

    def offsets_s(self) -> Iterator[int]:
        """Seconds since the activity's start of each sample, pauses skipped."""
        for offset_s, length_s in self.runs:
            yield from range(offset_s, offset_s + length_s)

    def to_json_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {"version": STREAM_FORMAT_VERSION}
        document["runs"] = [list(run) for run in self.runs]
        for channel in _CHANNELS:
            document[channel] = list(getattr(self, channel))
        return document

    def to_bytes(self) -> bytes:
        """zlib-compressed JSON, for a BLOB column."""
        text = json.dumps(self.to_json_dict(), separators=(",", ":"))
        return zlib.compress(text.encode(), level=6)

    @classmethod
    def from_json_dict(cls, document: dict[str, Any]) -> ActivityStream:
        if document.get("version") != STREAM_FORMAT_VERSION:
            raise InvalidValue(
                f"a stored activity stream has format {document.get('version')!r}, not "
                f"{STREAM_FORMAT_VERSION}",
                "re-import the ride's FIT file",
            )
        try:
            return cls(
                runs=tuple((int(offset), int(length)) for offset, length in document["runs"]),
                **{channel: tuple(document[channel]) for channel in _CHANNELS},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidValue(
                f"a stored activity stream is damaged ({error})", "re-import the ride's FIT file"
            ) from None

    @classmethod
    def from_bytes(cls, blob: bytes) -> ActivityStream:
        try:
            document = json.loads(zlib.decompress(blob))
        except (zlib.error, ValueError) as error:
            raise InvalidValue(
                f"a stored activity stream is damaged ({error})", "re-import the ride's FIT file"
            ) from None
        if not isinstance(document, dict):
            raise InvalidValue(
                "a stored activity stream is damaged", "re-import the ride's FIT file"
            )
        return cls.from_json_dict(document)

    @classmethod
    def empty(cls) -> ActivityStream:
        return cls((), (), (), (), (), ())


_CHANNELS = tuple(f.name for f in fields(ActivityStream) if f.name != "runs")

"""Reading a FIT activity file into what wattz keeps of a ride (or a run, or a swim).

What is read: every record's time, power, heart rate, cadence, speed and altitude; the
laps; the sport; the device; the activity's local time. What comes out is a
``FitActivity``: the start (UTC), the local date the ride counts on, the elapsed time,
the 1 Hz moving-time stream (``ActivityStream``) and the laps. Metrics are not computed
here: they depend on the FTP in force on the day and live in ``wattz.adapt.ride_metrics``.

Decisions a real athlete's files forced:

- **Pauses** are the spans where the timer was stopped (``event`` = timer, stop…start) or
  where no record came for more than ``PAUSE_GAP_S``. They are cut out of the stream, never
  zero-filled or interpolated. Shorter gaps are the device's *smart recording* (it writes
  only when something changes), so the last sample holds until the next one.
- **Damaged files**: a truncated file, a corrupt chained header or an undefined local
  message keep everything read before the break (``problem`` says what and where); a file
  with nothing readable is an ``InvalidValue`` naming it. A record whose clock jumps more
  than a day ahead (a crashing recorder's last gasp) or backwards is dropped.
- **Relative clocks**: FIT times below ``0x10000000`` count from the device's switch-on
  (FIT profile, ``date_time``). They are anchored on the activity message's
  ``local_timestamp``; a file with relative times and no anchor is refused.
- **Local date**: the FIT ``local_timestamp`` (the device knew the zone), else the given
  IANA time zone, else the system's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wattz.errors import InvalidValue, NotFound
from wattz.sources.activity_stream import ActivityStream
from wattz.sources.fit_binary import DecodedFit, Message, decode

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
"""FIT ``date_time`` counts seconds from 1989-12-31 00:00 UTC (FIT profile)."""
RELATIVE_TIME_LIMIT = 0x10000000
"""FIT ``date_time`` values below this are seconds since the device was switched on."""
PAUSE_GAP_S = 10
"""No record for longer than this is a pause (auto-pause without a timer event); shorter
gaps are smart recording. The corpus manifest counts pauses with the same threshold."""
MAX_CLOCK_JUMP_S = 86_400
"""A record more than a day after the previous one is garbage, not a long pause."""
MAX_POWER_W = 3_000
"""Above any human's sprint peak (track sprinters reach ~2,500 W): a sensor glitch."""
MAX_HR_BPM = 250

FILE_TYPE_ACTIVITY = 4
FILE_TYPE_NAMES = {1: "device", 2: "settings", 5: "workout", 6: "course", 7: "schedules"}
TIMER_EVENT = 0
TIMER_START = 0
TIMER_STOPS = frozenset({1, 4, 8, 9})
"""event_type stop, stop_all, stop_disable, stop_disable_all (FIT profile)."""
BIKE_SUB_SPORTS = frozenset({"indoor_cycling", "spin", "virtual_activity"})
GARMIN_MANUFACTURERS = frozenset({1, 13, 15})
"""garmin, dynastream_oem, dynastream: their products are named in ``garmin_product``."""

NEWER_MANUFACTURERS = {294: "coros"}
"""FIT profile names newer than fitparse 1.2's copy of the profile (FIT SDK Profile.xlsx)."""
NEWER_GARMIN_PRODUCTS = {2158: "fr735xt", 3122: "edge_830"}

PROFILE: dict[int, dict[int, str]] = {
    0: {0: "type", 1: "manufacturer", 2: "product", 4: "time_created", 8: "product_name"},
    12: {0: "sport", 1: "sub_sport"},
    18: {2: "start_time", 5: "sport", 6: "sub_sport", 7: "total_elapsed_time"},
    19: {
        2: "start_time",
        7: "total_elapsed_time",
        8: "total_timer_time",
        9: "total_distance",
        15: "avg_heart_rate",
        19: "avg_power",
    },
    20: {
        2: "altitude",
        3: "heart_rate",
        4: "cadence",
        6: "speed",
        7: "power",
        73: "enhanced_speed",
        78: "enhanced_altitude",
    },
    21: {0: "event", 1: "event_type"},
    34: {5: "local_timestamp"},
}
FILE_ID, SPORT, SESSION, LAP, RECORD, EVENT, ACTIVITY = 0, 12, 18, 19, 20, 21, 34


@dataclass(frozen=True)
class Lap:
    """A lap as the device closed it; times in seconds, offsets from the activity's start."""

    start_offset_s: int
    elapsed_s: int
    timer_s: int | None
    distance_m: float | None
    avg_power_w: int | None
    avg_hr_bpm: int | None


@dataclass(frozen=True)
class FitActivity:
    """One activity read from a FIT file: when, what sport, on what, and its samples."""

    source: str
    """The file's name, for messages."""
    content_sha256: str
    """Hash of the file's bytes: the same file imported twice is recognised by it."""
    start: dt.datetime
    """First sample, timezone-aware UTC."""
    local_date: dt.date
    """The day the activity counts on, in the athlete's local time."""
    utc_offset_s: int | None
    """Local minus UTC as the device recorded it; ``None`` when a zone was assumed."""
    sport: str
    sub_sport: str | None
    device: str | None
    elapsed_s: int
    stream: ActivityStream
    laps: tuple[Lap, ...]
    problem: str | None = None
    """What was wrong with a damaged file that was read in part; ``None`` when whole."""
    dropped_records: int = 0

    @property
    def is_bike(self) -> bool:
        """Compliance and power TSS are for bike rides only."""
        return self.sport in ("cycling", "e_biking") or self.sub_sport in BIKE_SUB_SPORTS


def read_fit_activity(path: Path, time_zone: str | None = None) -> FitActivity:
    """Read the FIT activity at ``path``; ``time_zone`` (IANA) when the file has none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path} does not exist", "check the path") from None
    except OSError as error:
        raise InvalidValue(f"{path} cannot be read ({error.strerror})", "check the file") from None
    return parse_fit_activity(data, path.name, time_zone)


def parse_fit_activity(data: bytes, source: str, time_zone: str | None = None) -> FitActivity:
    """The activity in ``data`` (the bytes of a FIT file named ``source`` in messages)."""
    zone = _zone(time_zone)
    try:
        decoded = decode(data, PROFILE)
    except ValueError as error:
        raise InvalidValue(
            f"{source} is not a readable FIT file ({error})", "check that it is a FIT activity"
        ) from None
    file_type = _first(decoded, FILE_ID, "type")
    if isinstance(file_type, int) and file_type != FILE_TYPE_ACTIVITY:
        kind = FILE_TYPE_NAMES.get(file_type, f"type {file_type}")
        raise InvalidValue(
            f"{source} is a FIT {kind} file, not an activity",
            "import workouts with `wattz workout import`"
            if kind == "workout"
            else "rides are in the device's Activity folder",
        )
    records = decoded.messages[RECORD]
    shift = _clock_shift(decoded, records, source)
    spans = _timer_spans(decoded.messages[EVENT], shift)
    stream, first_s, last_s, dropped = _stream(records, shift, spans)
    if first_s is None or last_s is None:
        raise InvalidValue(
            f"{source} holds no timed records", "check that it is a recorded activity"
        )
    start = FIT_EPOCH + dt.timedelta(seconds=first_s)
    utc_offset_s = _utc_offset_s(decoded)
    if shift.local_minus_utc_s is not None:
        # Relative clock anchored on local time: the zone gives UTC, not the other way.
        local_start = (start + dt.timedelta(seconds=shift.local_minus_utc_s)).replace(tzinfo=None)
        start = local_start.replace(tzinfo=zone).astimezone(dt.UTC)
        local_date = local_start.date()
    elif utc_offset_s is not None:
        local_date = (start + dt.timedelta(seconds=utc_offset_s)).date()
    else:
        local_date = start.astimezone(zone).date()
    sport, sub_sport = _sport(decoded)
    return FitActivity(
        source=source,
        content_sha256=hashlib.sha256(data).hexdigest(),
        start=start,
        local_date=local_date,
        utc_offset_s=utc_offset_s,
        sport=sport,
        sub_sport=sub_sport,
        device=_device(decoded),
        elapsed_s=last_s - first_s + 1,
        stream=stream,
        laps=_laps(decoded.messages[LAP], first_s - shift.seconds),
        problem=decoded.problem,
        dropped_records=dropped,
    )


def _zone(time_zone: str | None) -> dt.tzinfo | None:
    """The athlete's zone; ``None`` stands for the system's (``astimezone`` with no zone)."""
    if time_zone is None:
        return None
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            f"unknown time zone {time_zone!r}", "use an IANA name such as Europe/Paris"
        ) from None


def _first(decoded: DecodedFit, message: int, name: str) -> int | float | str | None:
    for values in decoded.messages[message]:
        value = values.get(name)
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class _ClockShift:
    seconds: int
    """Added to a file's times to make them absolute (0 for an absolute clock)."""
    local_minus_utc_s: int | None
    """Set when the anchor was local time: the shifted times are then local, not UTC."""


def _clock_shift(decoded: DecodedFit, records: Sequence[Message], source: str) -> _ClockShift:
    first = next((r["timestamp"] for r in records if isinstance(r.get("timestamp"), int)), None)
    if first is None or int(first) >= RELATIVE_TIME_LIMIT:
        return _ClockShift(0, None)
    for activity in decoded.messages[ACTIVITY]:
        relative, local = activity.get("timestamp"), activity.get("local_timestamp")
        if isinstance(relative, int) and isinstance(local, int) and local >= RELATIVE_TIME_LIMIT:
            # Times become local wall-clock; the caller turns them into UTC with the zone.
            return _ClockShift(local - relative, 0)
    raise InvalidValue(
        f"{source} has only device-relative times and no local time to anchor them",
        "export the activity again from the device or Garmin Connect",
    )


def _utc_offset_s(decoded: DecodedFit) -> int | None:
    """Local minus UTC from the activity message, when the device knew its zone."""
    for activity in decoded.messages[ACTIVITY]:
        utc, local = activity.get("timestamp"), activity.get("local_timestamp")
        if isinstance(utc, int) and isinstance(local, int) and utc >= RELATIVE_TIME_LIMIT:
            offset_s = local - utc
            if abs(offset_s) <= 14 * 3600:
                return offset_s
    return None


def _timer_spans(events: Sequence[Message], shift: _ClockShift) -> list[tuple[int, float]]:
    """Spans (stop, start) when the timer was stopped, in time order; the last may be open."""
    timed: list[tuple[int, int]] = []
    for event in events:
        second, event_type = event.get("timestamp"), event.get("event_type")
        if event.get("event") == TIMER_EVENT and isinstance(second, int):
            timed.append(
                (second + shift.seconds, event_type if isinstance(event_type, int) else -1)
            )
    timed.sort()
    spans: list[tuple[int, float]] = []
    stopped_at: int | None = None
    for second, event_type in timed:
        if event_type in TIMER_STOPS and stopped_at is None:
            stopped_at = second
        elif event_type == TIMER_START and stopped_at is not None:
            spans.append((stopped_at, second))
            stopped_at = None
    if stopped_at is not None:
        spans.append((stopped_at, math.inf))
    return spans


def _stream(
    records: Sequence[Message], shift: _ClockShift, spans: Sequence[tuple[int, float]]
) -> tuple[ActivityStream, int | None, int | None, int]:
    """The 1 Hz moving-time stream: (stream, first second, last second, records dropped).

    One pass over the records: garbage clocks dropped, samples of one second merged,
    samples inside a stopped-timer span left out, short gaps held, pauses cut.
    """
    runs: list[tuple[int, int]] = []
    power: list[int | None] = []
    hr: list[int | None] = []
    cadence: list[int | None] = []
    speed: list[int | None] = []
    altitude: list[int | None] = []
    columns = (power, hr, cadence, speed, altitude)
    dropped = 0
    first_s: int | None = None
    last_s: int | None = None
    kept_s: int | None = None
    origin = run_start = 0
    span_index = 0
    span_count = len(spans)
    for record in records:
        raw_second = record.get("timestamp")
        if not isinstance(raw_second, int):
            continue
        second = raw_second + shift.seconds
        if last_s is not None:
            step = second - last_s
            if step < 0 or step > MAX_CLOCK_JUMP_S:
                dropped += 1
                continue
        else:
            first_s = origin = second
        last_s = second
        while span_index < span_count and spans[span_index][1] <= second:
            span_index += 1
        if span_index < span_count and spans[span_index][0] < second:
            continue  # the timer was stopped
        get = record.get
        watts = get("power")
        heart = get("heart_rate")
        velocity = get("enhanced_speed")
        if velocity is None:
            velocity = get("speed")
        height = get("enhanced_altitude")
        if height is None:
            height = get("altitude")
        row = (
            watts if isinstance(watts, int) and watts <= MAX_POWER_W else None,
            heart if isinstance(heart, int) and 0 < heart <= MAX_HR_BPM else None,
            _integer(get("cadence")),
            _integer(velocity),
            # FIT altitude: raw / 5 − 500 m, so decimetres are raw × 2 − 5000.
            height * 2 - 5000 if isinstance(height, int) else None,
        )
        if kept_s is None:
            run_start = second
        else:
            gap = second - kept_s
            if gap == 0:
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        column[-1] = value
                continue
            paused = gap > PAUSE_GAP_S or (
                span_index > 0 and kept_s <= spans[span_index - 1][0] < second
            )
            if paused:
                runs.append((run_start - origin, kept_s - run_start + 1))
                run_start = second
            elif gap > 1:
                # Smart recording: the device wrote nothing because nothing changed.
                for column in columns:
                    column.extend([column[-1]] * (gap - 1))
        for column, value in zip(columns, row, strict=True):
            column.append(value)
        kept_s = second
    if first_s is None or last_s is None:
        return ActivityStream.empty(), None, None, dropped
    if kept_s is not None:
        runs.append((run_start - origin, kept_s - run_start + 1))
    stream = ActivityStream(
        tuple(runs), tuple(power), tuple(hr), tuple(cadence), tuple(speed), tuple(altitude)
    )
    return stream, first_s, last_s, dropped


def _integer(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _sport(decoded: DecodedFit) -> tuple[str, str | None]:
    names = _enum_names()
    for message in (SESSION, SPORT, LAP):
        for values in decoded.messages[message]:
            sport = values.get("sport")
            if isinstance(sport, int):
                sub_sport = values.get("sub_sport")
                sub_name = (
                    names.sub_sports.get(sub_sport, str(sub_sport))
                    if isinstance(sub_sport, int)
                    else None
                )
                return names.sports.get(sport, f"sport_{sport}"), sub_name
    return "generic", None


def _device(decoded: DecodedFit) -> str | None:
    names = _enum_names()
    for file_id in decoded.messages[FILE_ID]:
        manufacturer = file_id.get("manufacturer")
        if not isinstance(manufacturer, int):
            continue
        product = file_id.get("product_name") or file_id.get("product")
        if isinstance(product, int) and manufacturer in GARMIN_MANUFACTURERS:
            product = names.garmin_products.get(product, product)
        maker = names.manufacturers.get(manufacturer, f"manufacturer_{manufacturer}")
        return maker if product is None else f"{maker} {product}"
    return None


def _laps(laps: Sequence[Message], start_s: int) -> tuple[Lap, ...]:
    """Laps with offsets from the activity's first sample (``start_s``, the file's clock)."""
    result: list[Lap] = []
    for lap in laps:
        lap_start, elapsed = lap.get("start_time"), lap.get("total_elapsed_time")
        if not isinstance(lap_start, int) or not isinstance(elapsed, int):
            continue
        timer = lap.get("total_timer_time")
        distance = lap.get("total_distance")
        power, hr = lap.get("avg_power"), lap.get("avg_heart_rate")
        result.append(
            Lap(
                start_offset_s=lap_start - start_s,
                elapsed_s=round(elapsed / 1000),
                timer_s=round(timer / 1000) if isinstance(timer, int) else None,
                distance_m=distance / 100 if isinstance(distance, int) else None,
                avg_power_w=power if isinstance(power, int) else None,
                avg_hr_bpm=hr if isinstance(hr, int) else None,
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class _EnumNames:
    sports: dict[int, str]
    sub_sports: dict[int, str]
    manufacturers: dict[int, str]
    garmin_products: dict[int, str]


@lru_cache(maxsize=1)
def _enum_names() -> _EnumNames:
    """FIT profile names, borrowed from fitparse's profile (loaded once, on first use)."""
    from fitparse.profile import FIELD_TYPES

    def values(name: str) -> dict[int, str]:
        return dict(FIELD_TYPES[name].values)

    return _EnumNames(
        values("sport"),
        values("sub_sport"),
        {**values("manufacturer"), **NEWER_MANUFACTURERS},
        {**values("garmin_product"), **NEWER_GARMIN_PRODUCTS},
    )

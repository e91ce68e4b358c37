"""Athletes: who is training, their FTP history, body and heart-rate anchors, zones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, select

from wattz.awp.zones import heart_rate_zone_bpm, power_zone_watts
from wattz.errors import Conflict, ExternalError, InvalidValue, NotFound
from wattz.model.tables import Athlete, FtpEntry

DEFAULT_ATHLETE_NAME = "default"
FTP_RANGE_W = (40, 800)
WEIGHT_RANGE_KG = (25.0, 250.0)
LTHR_RANGE_BPM = (80, 220)
MAX_HR_RANGE_BPM = (100, 240)
HRV_RANGE_MS = (5.0, 300.0)


class ZoneBand(BaseModel):
    zone: int
    name: str
    low: int
    high: int | None


class FtpChange(BaseModel):
    ftp_w: int
    valid_from: dt.date | None


class AthleteProfile(BaseModel):
    """What ``athlete show --json`` prints."""

    name: str
    ftp_w: int | None
    ftp_history: list[FtpChange]
    weight_kg: float | None
    w_per_kg: float | None
    lthr_bpm: int | None
    max_hr_bpm: int | None
    hrv_baseline_ms: float | None
    time_zone: str | None
    power_zones: list[ZoneBand]
    heart_rate_zones: list[ZoneBand]


def resolve_athlete(session: Session, name: str | None) -> Athlete:
    """The athlete a command acts on: the named one, else the only one."""
    if name is not None:
        found = session.exec(select(Athlete).where(Athlete.name == name)).first()
        if found is None:
            raise NotFound(f"no athlete named {name!r}", _choices_hint(session))
        return found
    athletes = session.exec(select(Athlete).order_by(Athlete.name)).all()
    if not athletes:
        raise NotFound("no athlete yet", "create one with: wattz athlete set --ftp 250")
    if len(athletes) > 1:
        names = ", ".join(a.name for a in athletes)
        raise InvalidValue(
            f"several athletes share this store ({names})", "name one with --athlete NAME"
        )
    return athletes[0]


def add_athlete(session: Session, name: str) -> Athlete:
    """A new athlete in the store (several may share one)."""
    name = _checked_name(name)
    if session.exec(select(Athlete).where(Athlete.name == name)).first() is not None:
        raise Conflict(f"an athlete named {name!r} exists already", "choose another name")
    athlete = Athlete(name=name)
    session.add(athlete)
    session.flush()
    return athlete


def rename_athlete(session: Session, old: str, new: str, home: Path) -> Athlete:
    """Give athlete ``old`` the name ``new`` (names stay unique).

    wattz keeps an athlete's Garmin Connect login in ``home/garmin/NAME``; that folder
    moves with the name, after the row is renamed and before the caller commits, so a
    failed move leaves the old name (the transaction rolls back) rather than a login lost.
    """
    from wattz.services.garmin import garmin_dir

    athlete = session.exec(select(Athlete).where(Athlete.name == old)).first()
    if athlete is None:
        raise NotFound(f"no athlete named {old!r}", _choices_hint(session))
    new = _checked_name(new)
    if new == athlete.name:
        return athlete
    if session.exec(select(Athlete).where(Athlete.name == new)).first() is not None:
        raise Conflict(f"an athlete named {new!r} exists already", "choose another name")
    before = garmin_dir(home, athlete)
    athlete.name = new
    session.add(athlete)
    session.flush()
    after = garmin_dir(home, athlete)
    if before.is_dir():
        try:
            before.rename(after)
        except OSError as error:
            raise ExternalError(
                f"cannot move {before} to {after}: {error.strerror}",
                "check the data folder's permissions; the athlete keeps the old name",
            ) from None
    return athlete


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidValue("an athlete needs a name", "use 1–80 characters")
    return name


def set_athlete(
    session: Session,
    *,
    name: str | None,
    ftp_w: int | None = None,
    valid_from: dt.date | None = None,
    weight_kg: float | None = None,
    lthr_bpm: int | None = None,
    max_hr_bpm: int | None = None,
    hrv_baseline_ms: float | None = None,
    time_zone: str | None = None,
) -> Athlete:
    """Create or update the athlete; the first call creates ``default``.

    An FTP without ``valid_from`` holds for all history until a later dated change;
    with it, it holds from that day on. Metrics use the FTP in force on the day.
    """
    _check_range("--ftp", ftp_w, FTP_RANGE_W, "W")
    _check_range("--weight", weight_kg, WEIGHT_RANGE_KG, "kg")
    _check_range("--lthr", lthr_bpm, LTHR_RANGE_BPM, "bpm")
    _check_range("--max-hr", max_hr_bpm, MAX_HR_RANGE_BPM, "bpm")
    _check_range("--hrv-baseline", hrv_baseline_ms, HRV_RANGE_MS, "ms")
    if time_zone is not None:
        _check_time_zone(time_zone)
    if valid_from is not None and ftp_w is None:
        raise InvalidValue("--from dates an FTP change", "give --ftp with it")
    athlete = _find_or_create(session, name)
    if ftp_w is None and not ftp_history(session, athlete):
        raise InvalidValue(f"athlete {athlete.name!r} has no FTP yet", "set one with --ftp WATTS")
    for field, value in (
        ("weight_kg", weight_kg),
        ("lthr_bpm", lthr_bpm),
        ("max_hr_bpm", max_hr_bpm),
        ("hrv_baseline_ms", hrv_baseline_ms),
        ("time_zone", time_zone),
    ):
        if value is not None:
            setattr(athlete, field, value)
    session.add(athlete)
    session.flush()
    if ftp_w is not None:
        assert athlete.id is not None
        existing = session.exec(
            select(FtpEntry).where(
                FtpEntry.athlete_id == athlete.id, FtpEntry.valid_from == valid_from
            )
            if valid_from is not None
            else select(FtpEntry).where(
                FtpEntry.athlete_id == athlete.id,
                FtpEntry.valid_from == None,  # noqa: E711 - SQL IS NULL
            )
        ).first()
        entry = existing or FtpEntry(athlete_id=athlete.id, ftp_w=ftp_w, valid_from=valid_from)
        entry.ftp_w = ftp_w
        session.add(entry)
        session.flush()
    return athlete


def ftp_history(session: Session, athlete: Athlete) -> list[FtpEntry]:
    """FTP entries, the undated base first, then by date."""
    entries = session.exec(select(FtpEntry).where(FtpEntry.athlete_id == athlete.id)).all()
    return sorted(entries, key=lambda e: (e.valid_from is not None, e.valid_from or dt.date.min))


def ftp_on(history: list[FtpEntry], day: dt.date) -> int | None:
    """The FTP in force on ``day``: the latest change on or before it, else the base.

    Before the first dated change with no undated base, the earliest known value is
    the best estimate, so it is used.
    """
    in_force: int | None = None
    for entry in history:
        if entry.valid_from is None or entry.valid_from <= day:
            in_force = entry.ftp_w
    if in_force is None and history:
        in_force = history[0].ftp_w
    return in_force


def require_ftp(session: Session, athlete: Athlete, day: dt.date) -> int:
    ftp = ftp_on(ftp_history(session, athlete), day)
    if ftp is None:
        raise NotFound(
            f"athlete {athlete.name!r} has no FTP", "set one with: wattz athlete set --ftp 250"
        )
    return ftp


def athlete_profile(session: Session, athlete: Athlete, today: dt.date) -> AthleteProfile:
    history = ftp_history(session, athlete)
    ftp_w = ftp_on(history, today)
    power_zones = (
        [
            ZoneBand(zone=z.number, name=z.name, low=low, high=high)
            for z, low, high in power_zone_watts(ftp_w)
        ]
        if ftp_w
        else []
    )
    hr_zones = (
        [
            ZoneBand(zone=z.number, name=z.name, low=low, high=high)
            for z, low, high in heart_rate_zone_bpm(athlete.lthr_bpm)
        ]
        if athlete.lthr_bpm
        else []
    )
    return AthleteProfile(
        name=athlete.name,
        ftp_w=ftp_w,
        ftp_history=[FtpChange(ftp_w=e.ftp_w, valid_from=e.valid_from) for e in history],
        weight_kg=athlete.weight_kg,
        w_per_kg=round(ftp_w / athlete.weight_kg, 2) if ftp_w and athlete.weight_kg else None,
        lthr_bpm=athlete.lthr_bpm,
        max_hr_bpm=athlete.max_hr_bpm,
        hrv_baseline_ms=athlete.hrv_baseline_ms,
        time_zone=athlete.time_zone,
        power_zones=power_zones,
        heart_rate_zones=hr_zones,
    )


def _find_or_create(session: Session, name: str | None) -> Athlete:
    if name is None:
        athletes = session.exec(select(Athlete)).all()
        if not athletes:
            return Athlete(name=DEFAULT_ATHLETE_NAME)
        return resolve_athlete(session, None)
    found = session.exec(select(Athlete).where(Athlete.name == name)).first()
    if found is not None:
        return found
    if session.exec(select(Athlete)).first() is not None:
        raise NotFound(
            f"no athlete named {name!r}",
            f"add one with: wattz athlete add {name} ({_choices_hint(session)})",
        )
    return Athlete(name=name)


def _choices_hint(session: Session) -> str:
    names = [a.name for a in session.exec(select(Athlete).order_by(Athlete.name)).all()]
    return f"athletes here: {', '.join(names)}" if names else "no athlete exists yet"


def _check_range(option: str, value: Any, bounds: tuple[Any, Any], unit: str) -> None:
    if value is None:
        return
    low, high = bounds
    if not low <= value <= high:
        raise InvalidValue(f"{option} {value} {unit} is out of range", f"use {low}–{high} {unit}")


def _check_time_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(
            f"--tz {name!r} is not a time zone", "use an IANA name such as Europe/Paris"
        ) from None

"""Wellness: the morning numbers (HRV, resting heart rate, sleep) and sick/injured days.

One entry per athlete and day; logging a day again updates only what is given, so a
Garmin sync and a hand-typed sleep figure can meet in the same row.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlmodel import Session, col, select

from wattz.errors import InvalidValue
from wattz.model.tables import Athlete, WellnessEntry

HRV_RANGE_MS = (5.0, 300.0)
"""rMSSD: single digits in illness or overreaching, rarely above 200 ms even in the fit."""
RHR_RANGE_BPM = (25, 120)
SLEEP_RANGE_H = (0.0, 24.0)


class WellnessRow(BaseModel):
    """One day, as ``wellness list --json`` prints it."""

    date: dt.date
    hrv_ms: float | None
    rhr_bpm: int | None
    sleep_h: float | None
    sick: bool
    injured: bool


def log_wellness(
    session: Session,
    athlete: Athlete,
    day: dt.date,
    hrv_ms: float | None = None,
    rhr_bpm: int | None = None,
    sleep_h: float | None = None,
    sick: bool | None = None,
    injured: bool | None = None,
) -> WellnessRow:
    """Record (or update) the athlete's wellness on ``day``; ``None`` keeps what is there."""
    if all(value is None for value in (hrv_ms, rhr_bpm, sleep_h, sick, injured)):
        raise InvalidValue("nothing to log", "give --hrv, --rhr, --sleep, --sick or --injured")
    _check("--hrv", hrv_ms, HRV_RANGE_MS, "ms")
    _check("--rhr", rhr_bpm, RHR_RANGE_BPM, "bpm")
    _check("--sleep", sleep_h, SLEEP_RANGE_H, "h")
    assert athlete.id is not None
    entry = session.exec(
        select(WellnessEntry).where(
            WellnessEntry.athlete_id == athlete.id, WellnessEntry.date == day
        )
    ).first() or WellnessEntry(athlete_id=athlete.id, date=day)
    if hrv_ms is not None:
        entry.hrv_ms = hrv_ms
    if rhr_bpm is not None:
        entry.rhr_bpm = rhr_bpm
    if sleep_h is not None:
        entry.sleep_h = sleep_h
    if sick is not None:
        entry.sick = sick
    if injured is not None:
        entry.injured = injured
    session.add(entry)
    session.flush()
    return _row(entry)


def list_wellness(
    session: Session,
    athlete: Athlete,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[WellnessRow]:
    """The athlete's wellness days, oldest first."""
    query = select(WellnessEntry).where(WellnessEntry.athlete_id == athlete.id)
    if since is not None:
        query = query.where(WellnessEntry.date >= since)
    if until is not None:
        query = query.where(WellnessEntry.date <= until)
    return [_row(entry) for entry in session.exec(query.order_by(col(WellnessEntry.date))).all()]


def _row(entry: WellnessEntry) -> WellnessRow:
    return WellnessRow(
        date=entry.date,
        hrv_ms=entry.hrv_ms,
        rhr_bpm=entry.rhr_bpm,
        sleep_h=entry.sleep_h,
        sick=entry.sick,
        injured=entry.injured,
    )


def _check(option: str, value: float | None, bounds: tuple[float, float], unit: str) -> None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise InvalidValue(
            f"{option} {value:g} {unit} is out of range",
            f"use {bounds[0]:g}–{bounds[1]:g} {unit}",
        )

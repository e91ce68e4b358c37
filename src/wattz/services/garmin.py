"""Garmin Connect sync: new activities in as FIT files, HRV and resting HR into wellness,
the plan's upcoming workouts out to the watch's calendar.

Files live in the data dir, per athlete (``garmin/<athlete>/``): the tokens, the FIT
files downloaded (imported like any others, so duplicates are recognised by content),
and ``uploads.json``, wattz's record of the workouts it put on Garmin's calendar, so a
second sync uploads only what is new or changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from wattz.awp.models import Workout
from wattz.model.tables import Athlete, PlannedWorkout
from wattz.plan.domain import Status
from wattz.services.athletes import ftp_history, ftp_on
from wattz.services.rides import ImportReport, Progress, import_rides
from wattz.services.wellness import log_wellness
from wattz.sources.garmin import GarminConnect
from wattz.sources.garmin_workout import garmin_workout

if TYPE_CHECKING:
    from requests.adapters import BaseAdapter

SYNC_DAYS_BACK = 14
"""How far back a sync looks for activities and wellness."""
UPLOAD_DAYS_AHEAD = 7
"""Upcoming workouts put on the watch's calendar: the coming week."""
UPLOAD_STATUSES = frozenset({Status.PENDING.value, Status.MOVED.value})


class UploadedWorkout(BaseModel):
    planned_workout_id: int
    date: dt.date
    title: str
    garmin_workout_id: int


class GarminSyncReport(BaseModel):
    downloaded: int
    rides: ImportReport
    wellness_days: int
    uploaded: list[UploadedWorkout]
    already_uploaded: int


def garmin_dir(home: Path, athlete: Athlete) -> Path:
    return home / "garmin" / athlete.name


def token_dir(home: Path, athlete: Athlete) -> Path:
    return garmin_dir(home, athlete) / "tokens"


def garmin_login(
    home: Path,
    athlete: Athlete,
    email: str,
    password: str,
    prompt_mfa: Callable[[], str] | None = None,
    transport: BaseAdapter | None = None,
) -> Path:
    """Log in and save the tokens; returns the folder holding them."""
    folder = token_dir(home, athlete)
    GarminConnect.login(email, password, folder, transport=transport, prompt_mfa=prompt_mfa)
    return folder


def garmin_sync(
    session: Session,
    athlete: Athlete,
    home: Path,
    today: dt.date,
    days_back: int = SYNC_DAYS_BACK,
    transport: BaseAdapter | None = None,
    progress: Progress | None = None,
) -> GarminSyncReport:
    """Download new activities and wellness since ``days_back`` days, then upload the
    coming week's workouts."""
    connect = GarminConnect.resume(token_dir(home, athlete), transport=transport)
    folder = garmin_dir(home, athlete) / "activities"
    folder.mkdir(parents=True, exist_ok=True)
    since = today - dt.timedelta(days=days_back)

    fresh: list[Path] = []
    for activity in connect.activities(since):
        path = folder / f"{activity.activity_id}.fit"
        if not path.exists():
            data = connect.download_fit(activity.activity_id)
            partial = path.with_suffix(".part")
            partial.write_bytes(data)
            partial.replace(path)
        fresh.append(path)
    rides = import_rides(session, athlete, fresh, progress=progress) if fresh else ImportReport()

    wellness_days = 0
    day = since
    while day <= today:
        hrv_ms = connect.hrv_ms(day)
        rhr_bpm = connect.resting_hr_bpm(day)
        if hrv_ms is not None or rhr_bpm is not None:
            log_wellness(session, athlete, day, hrv_ms=hrv_ms, rhr_bpm=rhr_bpm)
            wellness_days += 1
        day += dt.timedelta(days=1)

    uploaded, already = _upload_workouts(session, athlete, home, connect, today)
    connect.save_tokens()  # garth may have refreshed the access token
    return GarminSyncReport(
        downloaded=len(fresh),
        rides=rides,
        wellness_days=wellness_days,
        uploaded=uploaded,
        already_uploaded=already,
    )


def _upload_workouts(
    session: Session, athlete: Athlete, home: Path, connect: GarminConnect, today: dt.date
) -> tuple[list[UploadedWorkout], int]:
    from wattz.services.plans import active_plan_or_none

    plan = active_plan_or_none(session, athlete)
    if plan is None:
        return [], 0
    rows = session.exec(
        select(PlannedWorkout)
        .where(
            PlannedWorkout.plan_id == plan.id,
            PlannedWorkout.date >= today,
            PlannedWorkout.date <= today + dt.timedelta(days=UPLOAD_DAYS_AHEAD),
            col(PlannedWorkout.status).in_(UPLOAD_STATUSES),
        )
        .order_by(col(PlannedWorkout.date))
    ).all()
    record_path = garmin_dir(home, athlete) / "uploads.json"
    record = _read_record(record_path)
    history = ftp_history(session, athlete)
    uploaded: list[UploadedWorkout] = []
    already = 0
    for row in rows:
        assert row.id is not None
        ftp_w = ftp_on(history, row.date)
        if ftp_w is None:
            continue
        document = garmin_workout(Workout.model_validate(row.awp), ftp_w, name=row.title)
        fingerprint = _fingerprint(document, row.date)
        if record.get(str(row.id), {}).get("fingerprint") == fingerprint:
            already += 1
            continue
        garmin_id = connect.upload_workout(document)
        connect.schedule_workout(garmin_id, row.date)
        record[str(row.id)] = {
            "garmin_workout_id": garmin_id,
            "date": row.date.isoformat(),
            "fingerprint": fingerprint,
        }
        _write_record(record_path, record)  # after each, so a failure keeps what was done
        uploaded.append(
            UploadedWorkout(
                planned_workout_id=row.id,
                date=row.date,
                title=row.title,
                garmin_workout_id=garmin_id,
            )
        )
    return uploaded, already


def _fingerprint(document: dict[str, Any], day: dt.date) -> str:
    text = json.dumps(document, sort_keys=True) + day.isoformat()
    return hashlib.sha256(text.encode()).hexdigest()


def _read_record(path: Path) -> dict[str, dict[str, Any]]:
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _write_record(path: Path, record: dict[str, dict[str, Any]]) -> None:
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(record, indent=2, sort_keys=True))
    partial.replace(path)

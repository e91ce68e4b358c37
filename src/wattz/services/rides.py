"""Rides in: import activity files, list and show rides, log the ride survey, recompute.

Importing reads files (in worker processes for bulk imports, ``wattz.sources``), skips
what the store already holds (same bytes, or the same start and sport from another
export), computes each ride's metrics at the FTP in force on its local date
(``wattz.adapt.ride_metrics``), keeps the 1 Hz stream so they can be recomputed, and
matches rides to the active plan's workouts with their compliance (``wattz.adapt``).
Workout statuses are left to the audit, which classifies and repairs the plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from wattz.adapt.compliance import classify, score_ride
from wattz.adapt.matching import NEARBY_DAYS, Planned, Ridden, match_activities
from wattz.adapt.ride_metrics import RideMetrics, TssSource, ride_metrics, rpe_tss
from wattz.awp.models import Workout
from wattz.awp.timeline import unroll
from wattz.errors import Conflict, InvalidValue, NotFound
from wattz.model.tables import Activity, Athlete, FtpEntry, PlannedWorkout
from wattz.plan.domain import Reason, Role, Status
from wattz.services.athletes import ftp_history, ftp_on, require_ftp
from wattz.sources.activity_files import ReadResult, find_activity_files, map_files, read_one
from wattz.sources.activity_stream import ActivityStream
from wattz.sources.fit_activity import FitActivity

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each file."""
RPE_RANGE = (1, 10)
BIKE_SPORTS = frozenset({"cycling", "e_biking"})
BIKE_SUB_SPORTS = frozenset({"indoor_cycling", "spin", "virtual_activity"})


class RideRow(BaseModel):
    """One ride as ``ride list --json`` prints it (keys are a contract: the rides issue)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    id: int
    start: dt.datetime
    date: dt.date
    sport: str
    duration_s: int
    moving_s: int | None
    avg_power_w: float | None
    np_w: float | None
    intensity_factor: float | None = Field(alias="if")
    tss: float | None
    tss_source: str | None
    avg_hr_bpm: float | None
    planned_workout_id: int | None
    compliance: float | None
    rpe: int | None
    reason: str | None


class FtpSuggestion(BaseModel):
    """A ride whose best 20 minutes × 0.95 beat the FTP in force on its day."""

    ride_id: int
    date: dt.date
    best_20min_power_w: float
    ftp_w: int
    suggested_ftp_w: int

    @property
    def command(self) -> str:
        return f"wattz athlete set --ftp {self.suggested_ftp_w} --from {self.date.isoformat()}"


class ImportedRide(BaseModel):
    id: int
    path: str
    start: dt.datetime
    sport: str
    tss: float | None
    tss_source: str
    note: str | None = None
    """What was wrong with a damaged file that was read in part."""


class SkippedFile(BaseModel):
    path: str
    reason: str


class ImportReport(BaseModel):
    """What an import did, file by file: nothing here is printed by the service."""

    imported: list[ImportedRide] = []
    duplicates: list[SkippedFile] = []
    failed: list[SkippedFile] = []
    ftp_suggestion: FtpSuggestion | None = None


class IntervalView(BaseModel):
    start_s: int
    duration_s: int
    target_w: float
    avg_power_w: float | None
    in_band_share: float
    band: str


class RideDetail(BaseModel):
    """What ``ride show`` draws: the summary, zones, the trace and the planned profile."""

    ride: RideRow
    device: str | None
    sub_sport: str | None
    ftp_w: int
    lthr_bpm: int | None
    best_20min_power_w: float | None
    power_zone_s: list[int]
    hr_zone_s: list[int]
    power_w: list[int | None]
    """1 Hz moving-time power."""
    hr_bpm: list[int | None]
    planned_title: str | None
    planned_w: list[float | None]
    """1 Hz planned target power (W), aligned with ``power_w``; empty without a plan."""
    intervals: list[IntervalView]


def import_rides(
    session: Session,
    athlete: Athlete,
    paths: Sequence[Path],
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import the activity files in ``paths`` (files or folders, recursively).

    Files whose bytes the store already holds are skipped before they are decoded; the
    rest are read and measured in worker processes (``workers``, default every core) so
    this process only writes.
    """
    require_ftp(session, athlete, dt.date.max)  # an athlete without FTP is refused up front
    history = [
        FtpEntry(athlete_id=e.athlete_id, ftp_w=e.ftp_w, valid_from=e.valid_from)
        for e in ftp_history(session, athlete)
    ]
    files, missing = find_activity_files(paths)
    report = ImportReport(
        failed=[SkippedFile(path=str(r.path), reason=str(r.error)) for r in missing]
    )
    known_hashes = _known_hashes(session, athlete)
    known_starts = _known_starts(session, athlete)
    total = len(files)
    done = 0
    fresh: list[Path] = []
    for path in files:
        content_hash = _content_hash(path)
        if content_hash in known_hashes:
            ride_id = known_hashes[content_hash]
            report.duplicates.append(
                SkippedFile(path=str(path), reason=f"already imported as ride {ride_id}")
            )
            done += 1
            if progress is not None:
                progress(done, total)
        else:
            fresh.append(path)
    touched: set[dt.date] = set()
    best: FtpSuggestion | None = None
    measure = partial(
        _read_and_measure, time_zone=athlete.time_zone, history=history, lthr_bpm=athlete.lthr_bpm
    )
    for result, measured in map_files(measure, fresh, workers):
        done += 1
        activity = result.activity
        if activity is None or measured is None:
            report.failed.append(SkippedFile(path=str(result.path), reason=str(result.error)))
        elif activity.content_sha256 in known_hashes:  # the same file twice in this batch
            report.duplicates.append(
                SkippedFile(
                    path=str(result.path),
                    reason=f"already imported as ride {known_hashes[activity.content_sha256]}",
                )
            )
        elif (activity.start, activity.sport) in known_starts:
            ride_id = known_starts[(activity.start, activity.sport)]
            report.duplicates.append(
                SkippedFile(
                    path=str(result.path),
                    reason=f"the same {activity.sport} start as ride {ride_id}",
                )
            )
        else:
            metrics, ride_ftp_w = measured
            row = _store(session, athlete, result.path, activity, metrics)
            assert row.id is not None
            known_hashes[activity.content_sha256] = row.id
            known_starts[(activity.start, activity.sport)] = row.id
            touched.add(activity.local_date)
            report.imported.append(
                ImportedRide(
                    id=row.id,
                    path=str(result.path),
                    start=activity.start,
                    sport=activity.sport,
                    tss=row.tss,
                    tss_source=metrics.tss_source.value,
                    note=activity.problem,
                )
            )
            best = _better_suggestion(best, row, metrics, ride_ftp_w)
        if progress is not None:
            progress(done, total)
    if touched:
        refresh_compliance(session, athlete, touched)
    report.ftp_suggestion = best
    return report


def _read_and_measure(
    path: Path, time_zone: str | None, history: list[FtpEntry], lthr_bpm: int | None
) -> tuple[ReadResult, tuple[RideMetrics, int] | None]:
    """Read one file and compute its metrics at the FTP of its day (runs in a worker)."""
    result = read_one(path, time_zone)
    activity = result.activity
    if activity is None:
        return result, None
    ftp_w = ftp_on(history, activity.local_date)
    assert ftp_w is not None  # the caller refused an athlete without FTP
    metrics = ride_metrics(
        activity.stream, ftp_w=ftp_w, lthr_bpm=lthr_bpm, is_bike=activity.is_bike
    )
    return result, (metrics, ftp_w)


def _content_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader reports it, in its own words


def list_rides(
    session: Session,
    athlete: Athlete,
    sport: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[RideRow]:
    """The athlete's rides, oldest first; ``sport`` filters (``bike`` means any cycling)."""
    query = select(Activity).where(Activity.athlete_id == athlete.id)
    if since is not None:
        query = query.where(Activity.local_date >= since)
    if until is not None:
        query = query.where(Activity.local_date <= until)
    rows = session.exec(query.order_by(col(Activity.start), col(Activity.id))).all()
    if sport is not None:
        wanted = sport.lower()
        rows = [
            row
            for row in rows
            if row.sport == wanted or (wanted in ("bike", "ride") and _is_bike(row))
        ]
    return [ride_row(row) for row in rows]


def ride_detail(session: Session, athlete: Athlete, ride_id: int) -> RideDetail:
    """Everything ``ride show`` draws for one ride."""
    row = _get_ride(session, athlete, ride_id)
    ftp_w = require_ftp(session, athlete, row.local_date)
    stream = _stream_of(row)
    metrics = _metrics(row, stream, ftp_w, athlete.lthr_bpm)
    planned_title: str | None = None
    planned_w: list[float | None] = []
    intervals: list[IntervalView] = []
    workout_row = (
        session.get(PlannedWorkout, row.planned_workout_id) if row.planned_workout_id else None
    )
    if workout_row is not None:
        planned_title = workout_row.title
        document = Workout.model_validate(workout_row.awp)
        offset_s = int((row.compliance_detail or {}).get("offset_s", 0))
        planned_w = [None] * offset_s
        for segment in unroll(document):
            planned_w.extend(
                None if segment.is_free else segment.power_at(second + 0.5) * ftp_w
                for second in range(segment.duration_s)
            )
        for interval in (row.compliance_detail or {}).get("intervals", []):
            intervals.append(IntervalView.model_validate(interval))
    return RideDetail(
        ride=ride_row(row),
        device=row.device,
        sub_sport=row.sub_sport,
        ftp_w=ftp_w,
        lthr_bpm=athlete.lthr_bpm,
        best_20min_power_w=metrics.best_20min_power_w if metrics else None,
        power_zone_s=list(metrics.power_zone_s) if metrics else [],
        hr_zone_s=list(metrics.hr_zone_s) if metrics else [],
        power_w=list(stream.power_w),
        hr_bpm=list(stream.hr_bpm),
        planned_title=planned_title,
        planned_w=planned_w,
        intervals=intervals,
    )


def log_ride(
    session: Session,
    athlete: Athlete,
    ride: int | dt.date,
    rpe: int | None,
    reason: Reason | None,
) -> RideRow:
    """Record the ride survey (blueprint §6.2): RPE 1–10 and a reason.

    ``ride`` is a ride id or a date; a date with several rides asks for the id. A ride
    whose TSS came from RPE is re-estimated with the logged value.
    """
    if rpe is not None and not RPE_RANGE[0] <= rpe <= RPE_RANGE[1]:
        raise InvalidValue(f"--rpe {rpe} is outside 1–10", "rate the effort from 1 (easy) to 10")
    if rpe is None and reason is None:
        raise InvalidValue("nothing to log", "give --rpe 1-10 and/or --reason")
    row = _find_ride(session, athlete, ride)
    if rpe is not None:
        row.rpe = rpe
        if row.tss_source == TssSource.RPE.value:
            row.tss = rpe_tss(row.moving_s or row.duration_s, rpe)
    if reason is not None:
        row.reason = reason.value
    session.add(row)
    session.flush()
    return ride_row(row)


def recompute_metrics(session: Session, athlete: Athlete, since: dt.date | None = None) -> int:
    """Recompute every stored ride's metrics (after an FTP or LTHR change); returns how
    many rides were updated. Compliance follows."""
    history = ftp_history(session, athlete)
    query = select(Activity).where(Activity.athlete_id == athlete.id)
    if since is not None:
        query = query.where(Activity.local_date >= since)
    count = 0
    days: set[dt.date] = set()
    for row in session.exec(query).all():
        ftp_w = ftp_on(history, row.local_date)
        if ftp_w is None or row.streams is None:
            continue
        metrics = _metrics(row, _stream_of(row), ftp_w, athlete.lthr_bpm)
        if metrics is None:
            continue
        _apply_metrics(row, metrics)
        session.add(row)
        days.add(row.local_date)
        count += 1
    session.flush()
    if days:
        refresh_compliance(session, athlete, days)
    return count


def ftp_suggestion(
    session: Session, athlete: Athlete, since: dt.date | None = None
) -> FtpSuggestion | None:
    """The strongest ride (since ``since``) whose best 20 minutes beat the FTP of its day,
    for the audit to mention."""
    history = ftp_history(session, athlete)
    query = select(Activity).where(Activity.athlete_id == athlete.id)
    if since is not None:
        query = query.where(Activity.local_date >= since)
    best: FtpSuggestion | None = None
    for row in session.exec(query).all():
        ftp_w = ftp_on(history, row.local_date)
        if ftp_w is None or row.streams is None or not _is_bike(row):
            continue
        metrics = _metrics(row, _stream_of(row), ftp_w, athlete.lthr_bpm)
        if metrics is not None:
            best = _better_suggestion(best, row, metrics, ftp_w)
    return best


def refresh_compliance(session: Session, athlete: Athlete, days: Iterable[dt.date]) -> None:
    """Re-match rides and planned workouts around ``days`` and store each ride's
    compliance (``planned_workout_id``, ``compliance``, ``compliance_detail``)."""
    from wattz.services.plans import active_plan_or_none

    days = set(days)
    if not days:
        return
    low = min(days) - dt.timedelta(days=2 * NEARBY_DAYS)
    high = max(days) + dt.timedelta(days=2 * NEARBY_DAYS)
    activities = session.exec(
        select(Activity)
        .where(
            Activity.athlete_id == athlete.id,
            Activity.local_date >= low,
            Activity.local_date <= high,
        )
        .order_by(col(Activity.id))
    ).all()
    plan = active_plan_or_none(session, athlete)
    workouts: list[PlannedWorkout] = []
    if plan is not None:
        workouts = list(
            session.exec(
                select(PlannedWorkout)
                .where(
                    PlannedWorkout.plan_id == plan.id,
                    PlannedWorkout.date >= low,
                    PlannedWorkout.date <= high,
                )
                .order_by(col(PlannedWorkout.id))
            ).all()
        )
    planned = [p for p in map(_planned, workouts) if p is not None]
    by_id = {p.workout_id: p for p in planned}
    ridden = {row.id: _ridden(row) for row in activities}
    matches = match_activities(list(ridden.values()), planned)
    history = ftp_history(session, athlete)
    # Rides near the edge of the window may compete for workouts outside it: only rides
    # within NEARBY_DAYS of a touched day are re-scored (all their rivals were seen).
    inner_low = min(days) - dt.timedelta(days=NEARBY_DAYS)
    inner_high = max(days) + dt.timedelta(days=NEARBY_DAYS)
    claimed = {matches[row.id] for row in activities if row.id in matches}
    for row in activities:
        workout_id = matches.get(row.id)
        if not inner_low <= row.local_date <= inner_high:
            if row.planned_workout_id in claimed and workout_id != row.planned_workout_id:
                _score(row, None, history)  # its workout went to a ride inside the window
            continue
        _score(row, by_id.get(workout_id) if workout_id is not None else None, history)
    session.flush()


def _score(row: Activity, planned: Planned | None, history: list[FtpEntry]) -> None:
    """Store ``row``'s match and compliance (or clear them when it matched nothing)."""
    ftp_w = ftp_on(history, planned.date) if planned is not None else None
    if planned is None or ftp_w is None or not isinstance(planned.workout_id, int):
        row.planned_workout_id = None
        row.compliance = None
        row.compliance_detail = None
    else:
        scored = score_ride(planned, _ridden(row, with_power=True), ftp_w)
        row.planned_workout_id = planned.workout_id
        row.compliance = round(scored.score, 3)
        row.compliance_detail = scored.to_json_dict()


class WorkoutOutcome(BaseModel):
    """What the rides say about one planned workout, for the audit to act on."""

    planned_workout_id: int
    date: dt.date
    role: str
    status: str
    """The status stored on the workout now."""
    outcome: str
    """completed | partial | failed from its ride's compliance; skipped when its day passed
    without one; else the stored status (nothing to say yet)."""
    ride_id: int | None
    compliance: float | None
    rpe: int | None
    reason: str | None


def workout_outcomes(
    session: Session, athlete: Athlete, start: dt.date, end: dt.date, today: dt.date
) -> list[WorkoutOutcome]:
    """The active plan's workouts from ``start`` to ``end`` with what their rides say
    (``adapt.compliance.classify``). Reads only: the audit decides what to change."""
    from wattz.services.plans import active_plan_or_none

    plan = active_plan_or_none(session, athlete)
    if plan is None:
        return []
    workouts = session.exec(
        select(PlannedWorkout)
        .where(
            PlannedWorkout.plan_id == plan.id,
            PlannedWorkout.date >= start,
            PlannedWorkout.date <= end,
        )
        .order_by(col(PlannedWorkout.date), col(PlannedWorkout.id))
    ).all()
    ids = [w.id for w in workouts]
    rides = {
        row.planned_workout_id: row
        for row in session.exec(
            select(Activity).where(
                Activity.athlete_id == athlete.id, col(Activity.planned_workout_id).in_(ids)
            )
        ).all()
    }
    outcomes: list[WorkoutOutcome] = []
    for workout in workouts:
        assert workout.id is not None
        ride = rides.get(workout.id)
        planned = _planned(workout)
        if ride is not None and ride.compliance_detail:
            outcome = str(ride.compliance_detail.get("status", workout.status))
        elif planned is not None:
            outcome = classify(planned, None, today).value
        else:
            outcome = workout.status
        outcomes.append(
            WorkoutOutcome(
                planned_workout_id=workout.id,
                date=workout.date,
                role=workout.role,
                status=workout.status,
                outcome=outcome,
                ride_id=ride.id if ride is not None else None,
                compliance=ride.compliance if ride is not None else None,
                rpe=ride.rpe if ride is not None else None,
                reason=ride.reason if ride is not None else None,
            )
        )
    return outcomes


def ride_row(row: Activity) -> RideRow:
    assert row.id is not None
    return RideRow(
        id=row.id,
        start=row.start if row.start.tzinfo else row.start.replace(tzinfo=dt.UTC),
        date=row.local_date,
        sport=row.sport,
        duration_s=row.duration_s,
        moving_s=row.moving_s,
        avg_power_w=_round(row.avg_power_w, 1),
        np_w=_round(row.np_w, 1),
        intensity_factor=_round(row.intensity_factor, 3),
        tss=_round(row.tss, 1),
        tss_source=row.tss_source,
        avg_hr_bpm=_round(row.avg_hr_bpm, 1),
        planned_workout_id=row.planned_workout_id,
        compliance=row.compliance,
        rpe=row.rpe,
        reason=row.reason,
    )


def _store(
    session: Session, athlete: Athlete, path: Path, activity: FitActivity, metrics: RideMetrics
) -> Activity:
    assert athlete.id is not None
    distance_m = sum(lap.distance_m or 0.0 for lap in activity.laps) or None
    row = Activity(
        athlete_id=athlete.id,
        content_hash=activity.content_sha256,
        start=activity.start,
        local_date=activity.local_date,
        sport=activity.sport,
        sub_sport=activity.sub_sport,
        device=activity.device[:80] if activity.device else None,
        duration_s=activity.elapsed_s,
        distance_m=distance_m,
        streams=activity.stream.to_json_dict(),
        source_path=str(path)[:500],
    )
    _apply_metrics(row, metrics)
    session.add(row)
    session.flush()
    return row


def _apply_metrics(row: Activity, metrics: RideMetrics) -> None:
    row.moving_s = metrics.moving_s
    row.avg_power_w = metrics.avg_power_w
    row.np_w = metrics.np_w
    row.intensity_factor = metrics.intensity_factor
    row.tss = metrics.tss
    row.tss_source = metrics.tss_source.value
    row.avg_hr_bpm = metrics.avg_hr_bpm
    row.max_hr_bpm = metrics.max_hr_bpm


def _metrics(
    row: Activity, stream: ActivityStream, ftp_w: int, lthr_bpm: int | None
) -> RideMetrics | None:
    if not stream.moving_s:
        return None
    return ride_metrics(stream, ftp_w=ftp_w, lthr_bpm=lthr_bpm, rpe=row.rpe, is_bike=_is_bike(row))


def _better_suggestion(
    best: FtpSuggestion | None, row: Activity, metrics: RideMetrics, ftp_w: int
) -> FtpSuggestion | None:
    if metrics.ftp_suggestion_w is None or metrics.best_20min_power_w is None:
        return best
    if best is not None and best.suggested_ftp_w >= metrics.ftp_suggestion_w:
        return best
    assert row.id is not None
    return FtpSuggestion(
        ride_id=row.id,
        date=row.local_date,
        best_20min_power_w=round(metrics.best_20min_power_w, 1),
        ftp_w=ftp_w,
        suggested_ftp_w=metrics.ftp_suggestion_w,
    )


def _stream_of(row: Activity) -> ActivityStream:
    if row.streams is None:
        return ActivityStream.empty()
    return ActivityStream.from_json_dict(row.streams)


def _is_bike(row: Activity) -> bool:
    return row.sport in BIKE_SPORTS or row.sub_sport in BIKE_SUB_SPORTS


def _planned(row: PlannedWorkout) -> Planned | None:
    try:
        document = Workout.model_validate(row.awp)
        return Planned(row.id, row.date, Status(row.status), Role(row.role), document)
    except ValueError:
        return None  # a damaged stored workout is not matched rather than failing the import


def _ridden(row: Activity, with_power: bool = False) -> Ridden:
    power: Sequence[int | None] = _stream_of(row).power_w if with_power else ()
    return Ridden(
        activity_id=row.id,
        date=row.local_date,
        is_bike=_is_bike(row),
        moving_s=row.moving_s or row.duration_s,
        tss=row.tss,
        power_w=power,
    )


def _known_hashes(session: Session, athlete: Athlete) -> dict[str, int]:
    rows = session.exec(
        select(col(Activity.content_hash), col(Activity.id)).where(
            Activity.athlete_id == athlete.id
        )
    ).all()
    return {content_hash: ride_id for content_hash, ride_id in rows if ride_id is not None}


def _known_starts(session: Session, athlete: Athlete) -> dict[tuple[dt.datetime, str], int]:
    rows = session.exec(
        select(col(Activity.start), col(Activity.sport), col(Activity.id)).where(
            Activity.athlete_id == athlete.id
        )
    ).all()
    return {
        (start if start.tzinfo else start.replace(tzinfo=dt.UTC), sport): ride_id
        for start, sport, ride_id in rows
        if ride_id is not None
    }


def _get_ride(session: Session, athlete: Athlete, ride_id: int) -> Activity:
    row = session.get(Activity, ride_id)
    if row is None or row.athlete_id != athlete.id:
        raise NotFound(f"no ride {ride_id}", "list rides with: wattz ride list")
    return row


def _find_ride(session: Session, athlete: Athlete, ride: int | dt.date) -> Activity:
    if not isinstance(ride, dt.date):
        return _get_ride(session, athlete, ride)
    day = ride
    rows = session.exec(
        select(Activity).where(Activity.athlete_id == athlete.id, Activity.local_date == day)
    ).all()
    if not rows:
        raise NotFound(f"no ride on {day.isoformat()}", "list rides with: wattz ride list")
    if len(rows) > 1:
        ids = ", ".join(str(r.id) for r in sorted(rows, key=lambda r: r.start))
        raise Conflict(
            f"{len(rows)} rides on {day.isoformat()} ({ids})",
            f"name one: wattz ride log {rows[0].id} …",
        )
    return rows[0]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)

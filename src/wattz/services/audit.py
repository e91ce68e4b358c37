"""The nightly audit: new rides in, every unaudited day classified, the rules applied,
the change log written (blueprint §6.3, DESIGN.md data flow).

Run from cron, so it is:

- **idempotent** — each workout's outcome is acted on once (``audited``), sick spells,
  HRV flags and unplanned rides once per cause (read back from the change log), and the
  plan's last audited day moves forward; a second run the same night changes nothing;
- **locked** — an exclusive lock file in the data folder: a second audit started while
  one runs waits up to ``LOCK_WAIT_S``, then reports that another audit holds the lock
  and does nothing (exit 0: the first one is doing the work);
- **quiet** — a night with nothing new reports ``nothing_to_do`` and the CLI prints
  nothing, so cron mail stays empty.

``dry_run`` runs everything in a transaction that is rolled back: the report says what
would change. The rules are pure (``wattz.adapt.rules``); this module reads the store
into their inputs and writes their proposals back (``wattz.services.changes``).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pydantic import BaseModel
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from wattz.adapt.plan_state import PlanState, RideState, WellnessDay, WorkoutState
from wattz.adapt.rules import AuditInput, History, audit
from wattz.errors import InvalidValue, NotFound, WattzError
from wattz.model.tables import Activity, Athlete, Plan, PlanChange, PlannedWorkout, WellnessEntry
from wattz.plan.domain import Reason
from wattz.services.changes import ChangeView, apply_changes, change_view, load_plan, read_rows
from wattz.settings import data_dir

LOCK_FILE = "audit.lock"
LOCK_WAIT_S = 5.0
"""How long a second audit waits for the first before leaving it the work."""
LOCK_POLL_S = 0.05
RIDE_LOOKBACK_DAYS = 16
"""Rides this far before the first unaudited day still matter: a move looks 7 days
ahead of a miss up to two days old, an unplanned ride the day after it."""
WELLNESS_LOOKBACK_DAYS = 70
"""HRV's normal range needs the 60 days before the week being judged."""
WELLNESS_LOOKAHEAD_DAYS = 60
"""``wattz sick --to`` may name days ahead: the audit cancels their workouts too."""


class ImportLine(BaseModel):
    path: str
    ride_id: int | None = None
    problem: str | None = None


class AthleteAudit(BaseModel):
    """What the audit did for one athlete."""

    athlete: str
    plan_id: int | None
    imported: list[ImportLine] = []
    failed: list[ImportLine] = []
    classified: int = 0
    changes: list[ChangeView] = []
    notes: list[str] = []
    ftp_suggestion: str | None = None

    @property
    def did_something(self) -> bool:
        return bool(self.imported or self.failed or self.changes)


class AthleteFailure(BaseModel):
    """An athlete whose audit failed (``--all``): rolled back, the others still audited."""

    athlete: str
    error: str


class AuditReport(BaseModel):
    """What ``wattz audit --json`` prints."""

    date: dt.date
    dry_run: bool
    locked: bool = False
    """Another audit held the lock: this one did nothing."""
    athletes: list[AthleteAudit] = []
    skipped: list[str] = []
    """``--all``: athletes without an active plan, not audited."""
    failed: list[AthleteFailure] = []

    @property
    def nothing_to_do(self) -> bool:
        return (
            not self.locked and not self.failed and not any(a.did_something for a in self.athletes)
        )


@contextmanager
def audit_lock(folder: Path, wait_s: float) -> Iterator[bool]:
    """An exclusive lock on ``folder/audit.lock``; yields whether it was acquired
    within ``wait_s``. The operating system releases it if the process dies."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = open(folder / LOCK_FILE, "a+")
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(LOCK_POLL_S)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


def run_audit(
    athlete_name: str | None,
    today: dt.date,
    *,
    all_athletes: bool = False,
    dry_run: bool = False,
    wait_s: float | None = None,
    mount_roots: Sequence[Path] | None = None,
    generator: str = "builtin",
    model: str | None = None,
) -> AuditReport:
    """Audit the named athlete, else the only one — or, with ``all_athletes``, every
    athlete with an active plan (a coach's nightly run).

    ``generator`` and ``model`` choose who writes the key workouts of weeks filled just
    in time, as for ``plan new`` (a dry run never asks a model: nothing would be kept).

    One lock covers the whole run; each athlete is audited in a transaction of its own,
    so with ``all_athletes`` one athlete's failure is rolled back and reported in
    ``failed`` while the others are still audited (a single athlete's failure raises).
    ``wait_s`` (default ``LOCK_WAIT_S``) is how long to wait for an audit already
    running. The bench calls this directly: one engine serves every athlete.
    """
    from wattz.model.store import database_lock, dispose_engines
    from wattz.services import audit_stamp

    if all_athletes and athlete_name is not None:
        raise InvalidValue("--all and --athlete exclude each other", "give one of them")
    report = AuditReport(date=today, dry_run=dry_run)
    wait = LOCK_WAIT_S if wait_s is None else wait_s
    # The file keeps audits on this machine apart; the database lock, those of every
    # machine sharing a PostgreSQL store (on SQLite it is the file's).
    with audit_lock(data_dir(), wait) as acquired, database_lock(LOCK_FILE, wait) as held:
        if not (acquired and held):
            report.locked = True
            return report
        try:
            for athlete_id, name in _targets(athlete_name, all_athletes, report):
                _audit_one(
                    athlete_id,
                    name,
                    today,
                    report,
                    all_athletes,
                    dry_run,
                    mount_roots,
                    "builtin" if dry_run else generator,
                    model,
                )
        except BaseException:
            audit_stamp.forget()
            raise
        if report.failed:
            audit_stamp.forget()
        elif not dry_run and athlete_name is None and mount_roots is None:
            dispose_engines()  # SQLite checkpoints on close: the stamp must see that
            audit_stamp.record(today)
    return report


def _targets(
    athlete_name: str | None, all_athletes: bool, report: AuditReport
) -> list[tuple[int, str]]:
    """Who to audit, as (id, name); ``--all`` skips (and lists) athletes with no plan."""
    from wattz.model.store import session_scope
    from wattz.services.athletes import resolve_athlete

    with session_scope() as session:
        if not all_athletes:
            if athlete_name is None and session.exec(select(Athlete.id)).first() is None:
                return []  # a store with nobody in it yet: nothing to audit, quietly
            athlete = resolve_athlete(session, athlete_name)
            assert athlete.id is not None
            return [(athlete.id, athlete.name)]
        rows = session.exec(select(Athlete.id, Athlete.name).order_by(col(Athlete.name))).all()
        planned = set(
            session.exec(
                select(Plan.athlete_id).where(col(Plan.deleted_at).is_(None)).distinct()
            ).all()
        )
    targets: list[tuple[int, str]] = []
    for athlete_id, name in rows:
        assert athlete_id is not None
        if athlete_id in planned:
            targets.append((athlete_id, name))
        else:
            report.skipped.append(name)
    return targets


def _audit_one(
    athlete_id: int,
    name: str,
    today: dt.date,
    report: AuditReport,
    isolate: bool,
    dry_run: bool,
    mount_roots: Sequence[Path] | None,
    generator: str = "builtin",
    model: str | None = None,
) -> None:
    """One athlete in one transaction; with ``isolate`` a failure is recorded, not raised
    (``WATTZ_DEBUG`` raises it anyway, for the traceback)."""
    from wattz.model.store import session_scope
    from wattz.settings import debug_enabled

    try:
        with session_scope() as session:
            athlete = session.get(Athlete, athlete_id)
            if athlete is None:
                raise NotFound(f"athlete {name!r} was removed during the audit", "run it again")
            result = audit_athlete(session, athlete, today, mount_roots, generator, model)
            if dry_run:
                session.rollback()
    except Exception as error:
        if not isolate or debug_enabled():
            raise
        message = (
            str(error) if isinstance(error, WattzError) else f"{type(error).__name__}: {error}"
        )
        report.failed.append(AthleteFailure(athlete=name, error=message.splitlines()[0]))
        return
    report.athletes.append(result)


def audit_athlete(
    session: Session,
    athlete: Athlete,
    today: dt.date,
    mount_roots: Sequence[Path] | None = None,
    generator: str = "builtin",
    model: str | None = None,
) -> AthleteAudit:
    """One athlete's audit inside the caller's transaction.

    ``generator``/``model`` are ``plan new``'s: with ``auto`` or ``ollama`` the model
    rewrites the key workouts of weeks the audit fills just in time, inside the same
    fences (the server is probed only when a week was filled).
    """
    from wattz.services.plans import active_plan_or_none

    result = AthleteAudit(athlete=athlete.name, plan_id=None)
    _import_from_sources(session, athlete, today, result, mount_roots)
    plan = active_plan_or_none(session, athlete)
    if plan is None:
        return result
    assert plan.id is not None
    result.plan_id = plan.id
    state, rows = load_plan(session, athlete, plan)
    since = plan.audited_through + dt.timedelta(days=1) if plan.audited_through else plan.start
    since = min(since, today)
    outcome = audit(
        AuditInput(
            plan=state,
            today=today,
            since=since,
            rides=_rides(session, athlete, since, today),
            wellness=_wellness(session, athlete, today),
            hrv_baseline_ms=athlete.hrv_baseline_ms,
            history=history(session, plan),
        )
    )
    ids: dict[int, int] = {}
    filled: set[dt.date] = set()
    # The workouts the night writes (its changes' and its audited marks'), made rows at once.
    read_rows(session, rows, outcome.changes, ids, outcome.audited)
    entries = apply_changes(session, plan, outcome.changes, today, ids, rows)
    for change, entry in zip(outcome.changes, entries, strict=True):
        result.changes.append(change_view(entry))
        if change.action.value == "classify":
            result.classified += len(change.workouts)
        if change.action.value == "fill":
            filled.update(_empty_weeks(state, change.workouts))
    audited = rows.get(session, PlannedWorkout, (ids.get(w, w) for w in outcome.audited))
    for row in audited.values():
        if not row.audited:
            row.audited = True
            session.add(row)
    last = today - dt.timedelta(days=1)
    if plan.audited_through is None or plan.audited_through < last:
        plan.audited_through = max(last, plan.start - dt.timedelta(days=1))
        session.add(plan)
    session.flush()
    result.notes += list(outcome.notes)
    if filled and generator != "builtin":
        _coach_fill(session, athlete, plan, frozenset(filled), today, generator, model, result)
    return result


def _empty_weeks(state: PlanState, workouts: Iterable[WorkoutState]) -> set[dt.date]:
    """The Mondays of the weeks a fill placed workouts in that had none before (a fill
    re-projects the rest of the season too; the model is asked about new weeks only)."""
    weeks = {state.week(w.week_id) for w in workouts}
    return {week.start for week in weeks if not state.workouts_of(week)}


def _coach_fill(
    session: Session,
    athlete: Athlete,
    plan: Plan,
    weeks: frozenset[dt.date],
    today: dt.date,
    generator: str,
    model: str | None,
    result: AthleteAudit,
) -> None:
    """The model's turn at the weeks just filled: its changes, and its summary as a note."""
    from wattz.services.coaching import choose_generator, coach_filled_weeks

    choice = choose_generator(generator, model)
    if choice.note:
        result.notes.append(choice.note)
    generation, entries = coach_filled_weeks(session, athlete, plan, weeks, choice, today)
    result.changes += [change_view(entry) for entry in entries]
    if generation is not None:
        result.notes.append(generation.summary)


def history(session: Session, plan: Plan) -> History:
    """What earlier audits acted on, from the plan's change log (undone changes too).

    Only what it needs: of ``after`` its ``cause``, extracted by the database, since
    ``before`` and ``after`` hold whole rows (a re-projection's, the season's documents)
    and decoding them was most of the cost of reading the log."""
    sick: set[dt.date] = set()
    hrv: set[dt.date] = set()
    rides: set[int] = set()
    progress: list[dt.date] = []
    for found, action, undone_at, as_of in session.exec(
        select(
            col(PlanChange.after)["cause"],
            col(PlanChange.action),
            col(PlanChange.undone_at),
            col(PlanChange.as_of),
        )
        .where(PlanChange.plan_id == plan.id)
        .order_by(col(PlanChange.id))
    ):
        cause = found or {}
        sick.update(dt.date.fromisoformat(day) for day in cause.get("sick_days", []))
        hrv.update(dt.date.fromisoformat(day) for day in cause.get("hrv_days", []))
        if "ride_id" in cause:
            rides.add(int(cause["ride_id"]))
        if action == "progress" and undone_at is None and as_of is not None:
            progress.append(as_of)
    return History(frozenset(sick), frozenset(hrv), frozenset(rides), tuple(progress))


def _rides(session: Session, athlete: Athlete, since: dt.date, today: dt.date) -> list[RideState]:
    """The rides the rules look at: plain columns, without their 1 Hz streams (never
    needed here, and decoding them is most of the cost of reading a ride)."""
    from wattz.services.rides import BIKE_SPORTS, BIKE_SUB_SPORTS

    first = since - dt.timedelta(days=RIDE_LOOKBACK_DAYS)
    rows = session.execute(
        select_columns(
            col(Activity.id),
            col(Activity.local_date),
            col(Activity.moving_s),
            col(Activity.duration_s),
            col(Activity.tss),
            col(Activity.intensity_factor),
            col(Activity.sport),
            col(Activity.sub_sport),
            col(Activity.planned_workout_id),
            col(Activity.compliance),
            col(Activity.compliance_detail),
            col(Activity.rpe),
            col(Activity.reason),
        )
        .where(
            col(Activity.athlete_id) == athlete.id,
            col(Activity.local_date) >= first,
            col(Activity.local_date) <= today,
        )
        .order_by(col(Activity.id))
    ).all()
    rides: list[RideState] = []
    for (
        ride_id,
        local_date,
        moving_s,
        duration_s,
        tss,
        intensity_factor,
        sport,
        sub_sport,
        planned_workout_id,
        compliance,
        compliance_detail,
        rpe,
        reason,
    ) in rows:
        detail = compliance_detail or {}
        rides.append(
            RideState(
                id=ride_id,
                date=local_date,
                duration_s=moving_s or duration_s,
                tss=tss,
                intensity_factor=intensity_factor,
                is_bike=sport in BIKE_SPORTS or sub_sport in BIKE_SUB_SPORTS,
                planned_workout_id=planned_workout_id,
                compliance=compliance,
                duration_ratio=detail.get("duration_ratio"),
                interval_score=detail.get("interval_score"),
                rpe=rpe,
                reason=_reason(reason),
            )
        )
    return rides


def _reason(value: str | None) -> Reason | None:
    try:
        return Reason(value) if value else None
    except ValueError:
        return None


def _wellness(session: Session, athlete: Athlete, today: dt.date) -> list[WellnessDay]:
    rows = session.exec(
        select(WellnessEntry).where(
            WellnessEntry.athlete_id == athlete.id,
            WellnessEntry.date >= today - dt.timedelta(days=WELLNESS_LOOKBACK_DAYS),
            WellnessEntry.date <= today + dt.timedelta(days=WELLNESS_LOOKAHEAD_DAYS),
        )
    ).all()
    return [WellnessDay(r.date, r.hrv_ms, r.sick, r.injured) for r in rows]


def _sync_garmin(session: Session, athlete: Athlete, today: dt.date, result: AthleteAudit) -> None:
    """Garmin Connect's new activities and wellness; a failure is a note, not the end of
    the night's audit (the folder sources and the rules still run)."""
    from wattz.services.garmin import garmin_sync

    try:
        report = garmin_sync(session, athlete, data_dir(), today)
    except WattzError as error:
        result.notes.append(f"Garmin Connect: {error}")
        return
    for ride in report.rides.imported:
        result.imported.append(ImportLine(path=ride.path, ride_id=ride.id, problem=ride.note))
    for failed in report.rides.failed:
        result.failed.append(ImportLine(path=failed.path, problem=failed.reason))


def _import_from_sources(
    session: Session,
    athlete: Athlete,
    today: dt.date,
    result: AthleteAudit,
    mount_roots: Sequence[Path] | None,
) -> None:
    from wattz.services.rides import import_rides
    from wattz.services.sources_config import (
        Outcome,
        SourceKind,
        new_files,
        remember,
        sources_of,
    )

    found = []
    for source in sources_of(session, athlete):
        if SourceKind(source.kind) is SourceKind.GARMIN:
            _sync_garmin(session, athlete, today, result)
            continue
        found += new_files(session, source, mount_roots)
    if not found:
        return
    try:
        report = import_rides(session, athlete, [item.path for item in found], workers=1)
    except WattzError as error:
        result.notes.append(f"rides not imported: {error}")
        return
    outcomes: dict[str, Outcome] = {}
    for ride in report.imported:
        outcomes[ride.path] = Outcome.IMPORTED
        result.imported.append(ImportLine(path=ride.path, ride_id=ride.id, problem=ride.note))
    for skipped in report.duplicates:
        outcomes[skipped.path] = Outcome.DUPLICATE
    for failed in report.failed:
        outcomes[failed.path] = Outcome.FAILED
        result.failed.append(ImportLine(path=failed.path, problem=failed.reason))
    remember(session, found, outcomes)
    if report.ftp_suggestion is not None:
        suggestion = report.ftp_suggestion
        result.ftp_suggestion = (
            f"ride {suggestion.ride_id} on {suggestion.date.isoformat()}: best 20 min "
            f"{suggestion.best_20min_power_w:.0f} W suggests FTP {suggestion.suggested_ftp_w} W "
            f"— {suggestion.command}"
        )

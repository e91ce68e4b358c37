"""SQLModel tables. Enum-valued columns hold the contract spellings of DESIGN.md as text.

Workouts keep their AWP document as JSON (the recipe) next to metric columns (for
queries), as blueprint §3.3 recommends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import JSON, BigInteger, Column, Index, Table, UniqueConstraint
from sqlmodel import Field, SQLModel


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def core_table(model: type[SQLModel]) -> Table:
    """The SQLAlchemy Core table behind a table model, for bulk statements without ORM
    objects (SQLModel's typing does not show it)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


class _Table(SQLModel):
    """Base of every table: pydantic builds a table's validator the first time one is
    needed, not at import; most commands never validate a row, and building the fifteen
    at startup costs ~20 ms of every command."""

    # SQLModel types this as its own SQLModelConfig (ConfigDict plus two keys), not exported.
    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


class Athlete(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    weight_kg: float | None = None
    lthr_bpm: int | None = None
    max_hr_bpm: int | None = None
    hrv_baseline_ms: float | None = None
    time_zone: str | None = Field(default=None, max_length=64)
    created_at: dt.datetime = Field(default_factory=_utcnow)


class FtpEntry(_Table, table=True):
    """One FTP value; ``valid_from`` None means it holds for all history before later ones."""

    __tablename__ = "ftp_entry"
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    ftp_w: int
    valid_from: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=_utcnow)


class AvailabilitySlot(_Table, table=True):
    __tablename__ = "availability_slot"
    __table_args__ = (UniqueConstraint("athlete_id", "weekday"),)
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    minutes: int
    venue: str = Field(default="any", max_length=10)


class AvailabilityOverride(_Table, table=True):
    __tablename__ = "availability_override"
    __table_args__ = (UniqueConstraint("athlete_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    date: dt.date
    minutes: int
    venue: str = Field(default="any", max_length=10)


class Goal(_Table, table=True):
    __table_args__ = (UniqueConstraint("athlete_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    name: str = Field(max_length=120)
    date: dt.date
    priority: str = Field(default="A", max_length=1)
    discipline: str = Field(default="road", max_length=10)
    race_hours: float | None = None
    """How long the athlete expects to race; None: the discipline's typical race."""
    course: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: dt.datetime = Field(default_factory=_utcnow)


class Plan(_Table, table=True):
    """The macrocycle; ``deleted_at`` set means deleted (kept for the change log)."""

    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    start: dt.date
    target_date: dt.date
    strategy: str = Field(max_length=12)
    rhythm: str = Field(max_length=3)
    ramp: float
    start_ctl: float
    generator: str = Field(default="builtin", max_length=20)
    feasibility: str | None = Field(default=None, max_length=400)
    created_at: dt.datetime = Field(default_factory=_utcnow)
    deleted_at: dt.datetime | None = None
    audited_through: dt.date | None = None
    """The last day the nightly audit has classified and acted on (None: none yet)."""


class Block(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    order: int
    name: str = Field(max_length=80)
    type: str = Field(max_length=12)
    focus: str = Field(max_length=24)
    start: dt.date
    duration_weeks: int
    recovery_week_index: int | None = None
    progression: str | None = Field(default=None, max_length=400)


class Week(_Table, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    block_id: int = Field(foreign_key="block.id", index=True)
    number: int
    start: dt.date
    is_recovery: bool = False
    is_taper: bool = False
    tss_target: int
    volume_target_minutes: int
    focus: str | None = Field(default=None, max_length=24)
    loading_index: int = 0


class PlannedWorkout(_Table, table=True):
    __tablename__ = "planned_workout"
    __table_args__ = (Index("ix_planned_workout_plan_date", "plan_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    week_id: int = Field(foreign_key="week.id", index=True)
    date: dt.date
    title: str = Field(max_length=120)
    description: str | None = Field(default=None, max_length=2000)
    duration_s: int
    tss: float
    intensity_factor: float
    primary_zone: int
    role: str = Field(max_length=10)
    status: str = Field(default="pending", max_length=10)
    source: str = Field(default="builtin", max_length=10)
    library_id: str | None = Field(default=None, max_length=80)
    level: int | None = None
    venue: str = Field(default="any", max_length=10)
    forced: bool = False
    awp: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: dt.datetime = Field(default_factory=_utcnow)
    skip_reason: str | None = Field(default=None, max_length=12)
    """Why the athlete skipped it (``workout skip --reason``); the audit acts on it."""
    audited: bool = False
    """Whether the audit has applied the rules to this workout's outcome (once only)."""


class Activity(_Table, table=True):
    """A ride (or any sport) that was done, with a summary and compact 1 Hz streams."""

    __table_args__ = (UniqueConstraint("athlete_id", "content_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    content_hash: str = Field(max_length=64)
    start: dt.datetime
    local_date: dt.date = Field(index=True)
    sport: str = Field(default="cycling", max_length=30)
    sub_sport: str | None = Field(default=None, max_length=30)
    device: str | None = Field(default=None, max_length=80)
    duration_s: int
    moving_s: int | None = None
    distance_m: float | None = None
    avg_power_w: float | None = None
    np_w: float | None = None
    intensity_factor: float | None = None
    tss: float | None = None
    tss_source: str | None = Field(default=None, max_length=5)
    avg_hr_bpm: float | None = None
    max_hr_bpm: int | None = None
    rpe: int | None = None
    reason: str | None = Field(default=None, max_length=12)
    planned_workout_id: int | None = Field(default=None, foreign_key="planned_workout.id")
    compliance: float | None = None
    compliance_detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    streams: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    source_path: str | None = Field(default=None, max_length=500)
    created_at: dt.datetime = Field(default_factory=_utcnow)


class WellnessEntry(_Table, table=True):
    __tablename__ = "wellness_entry"
    __table_args__ = (UniqueConstraint("athlete_id", "date"),)
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    date: dt.date
    hrv_ms: float | None = None
    rhr_bpm: int | None = None
    sleep_h: float | None = None
    sick: bool = False
    injured: bool = False


class PlanChange(_Table, table=True):
    """One entry of the change log: what changed, why, and the state before and after."""

    __tablename__ = "plan_change"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    created_at: dt.datetime = Field(default_factory=_utcnow)
    trigger: str = Field(max_length=40)
    action: str = Field(max_length=40)
    workout_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reason: str = Field(max_length=1000)
    undone_at: dt.datetime | None = None
    as_of: dt.date | None = None
    """The plan's day the change was made for (the audit's date), as opposed to the
    wall-clock ``created_at``; rules such as "one level a week" count in plan days."""


class UserWorkout(_Table, table=True):
    """A workout the athlete added to the library (imported from a file or typed)."""

    __tablename__ = "user_workout"
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int | None = Field(default=None, foreign_key="athlete.id", index=True)
    title: str = Field(max_length=120)
    source: str = Field(default="user", max_length=10)
    origin: str | None = Field(default=None, max_length=500)
    duration_s: int
    tss: float
    primary_zone: int
    awp: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: dt.datetime = Field(default_factory=_utcnow)


class ActivitySource(_Table, table=True):
    """Where ``wattz audit`` looks for new rides: a folder, a device, Garmin Connect."""

    __tablename__ = "activity_source"
    __table_args__ = (UniqueConstraint("athlete_id", "kind", "location"),)
    id: int | None = Field(default=None, primary_key=True)
    athlete_id: int = Field(foreign_key="athlete.id", index=True)
    kind: str = Field(max_length=10)
    location: str = Field(default="", max_length=500)
    created_at: dt.datetime = Field(default_factory=_utcnow)


class SourceFile(_Table, table=True):
    """A file the audit has seen in an activity source, so a night with nothing new reads
    nothing; a file whose size or modification time changed is read again."""

    __tablename__ = "source_file"
    __table_args__ = (UniqueConstraint("source_id", "path"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="activity_source.id", index=True)
    path: str = Field(max_length=1000)
    size: int
    mtime_ns: int = Field(sa_type=BigInteger)
    outcome: str = Field(max_length=12)
    """imported | duplicate | failed"""

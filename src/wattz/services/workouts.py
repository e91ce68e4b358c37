"""Workout summaries: the metrics of an AWP document at an athlete's FTP, as a value."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import Workout


class WorkoutSummary(BaseModel):
    """What ``workout show --json`` prints."""

    model_config = {"populate_by_name": True}

    title: str
    ftp_w: int
    duration_s: int
    tss: float
    intensity_factor: float = Field(serialization_alias="if")
    np_w: int
    kj: float
    primary_zone: int
    zone_seconds: dict[str, int]
    awp: dict[str, Any]


def workout_summary(workout: Workout, ftp_w: int) -> WorkoutSummary:
    metrics = workout_metrics(workout)
    return WorkoutSummary(
        title=workout.meta.title,
        ftp_w=ftp_w,
        duration_s=metrics.duration_s,
        tss=round(metrics.tss, 1),
        intensity_factor=round(metrics.intensity_factor, 3),
        np_w=metrics.np_w(ftp_w),
        kj=round(metrics.kilojoules(ftp_w), 1),
        primary_zone=metrics.primary_zone,
        zone_seconds={f"z{i}": round(s) for i, s in enumerate(metrics.zone_seconds, start=1)},
        awp=workout.to_json_dict(),
    )

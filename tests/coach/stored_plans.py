"""Reading a stored plan back (``plan show --json``) and checking the plans issue's rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wattz.awp.validate import validate_data

GRID = ("mon=0", "tue=60:indoor", "wed=90", "thu=60:indoor", "fri=0", "sat=180:outdoor", "sun=120")


def workouts(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for b in document["plan"]["blocks"] for week in b["weeks"] for w in week["workouts"]]


def assert_keeps_the_rules(document: dict[str, Any], reference: dict[str, Any]) -> None:
    """The plans issue's rules on what is stored, whatever the model wrote."""
    minutes = {g.split("=")[0]: int(g.split("=")[1].split(":")[0]) for g in GRID}
    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    library_miss = {
        week["start"]: abs(week["planned_tss"] - week["tss_target"]) / week["tss_target"]
        for block in reference["plan"]["blocks"]
        for week in block["weeks"]
        if week["tss_target"]
    }
    key_days: list[dt.date] = []
    for block in document["plan"]["blocks"]:
        for week in block["weeks"]:
            if week["tss_target"]:
                miss = abs(week["planned_tss"] - week["tss_target"]) / week["tss_target"]
                assert miss <= max(0.10, library_miss[week["start"]]) + 1e-6, week["start"]
            for workout in week["workouts"]:
                day = dt.date.fromisoformat(workout["date"])
                assert workout["duration_s"] <= minutes[weekdays[day.weekday()]] * 60
                report = validate_data(workout["awp"])
                assert report.ok, (workout["date"], report.findings)
                if workout["role"] == "key":
                    key_days.append(day)
    key_days.sort()
    assert all((b - a).days > 1 for a, b in zip(key_days, key_days[1:], strict=False))

"""Golden files pin the exact bytes of each exporter for one reference workout.

A writer change that alters output fails here; when the change is meant, regenerate with
``WATTZ_UPDATE_GOLDEN=1 pytest tests/export/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.export.reference import reference_workout
from wattz.export.formats import render_workout
from wattz.export.ics import CalendarEntry, sessions_to_ics

GOLDEN = Path(__file__).parent / "golden"
FTP_W = 250


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("WATTZ_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {name}; run with WATTZ_UPDATE_GOLDEN=1"
    assert data == path.read_bytes(), f"{name} changed; regenerate if this was intended"


@pytest.mark.parametrize("fmt", ["zwo", "mrc", "erg", "fit", "plan", "json"])
def test_workout_files_match_their_golden_bytes(fmt: str) -> None:
    check_golden(f"threshold_ladders.{fmt}", render_workout(reference_workout(), fmt, FTP_W))


def test_calendar_matches_its_golden_bytes() -> None:
    entries = [
        CalendarEntry(dt.date(2026, 12, 1), "Threshold Ladders", "75 min · TSS 80", "w1"),
        CalendarEntry(dt.date(2026, 12, 3), "Endurance, 90 min", "Z2; keep it easy", "w2"),
    ]
    check_golden("plan.ics", sessions_to_ics(entries, "Gran Fondo plan"))

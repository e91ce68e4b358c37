"""Exporting to folders and devices: atomic, idempotent, and touching only wattz's files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.export.test_devices import make_edge
from wattz.errors import ExternalError, InvalidValue
from wattz.export.devices import ExportTarget, resolve_target
from wattz.export.exporter import ExportItem, export_workouts
from wattz.export.formats import FORMATS
from wattz.sources.workout_text import parse_workout_text

MONDAY = dt.date(2026, 11, 30)


def item(key: str, text: str, title: str, day: int | None = 0) -> ExportItem:
    workout = parse_workout_text(text, title).workout
    date = MONDAY + dt.timedelta(days=day) if day is not None else None
    return ExportItem(key=key, workout=workout, date=date)


WEEK = [
    item("w1", "10m ramp 50-75%; 3x(8m 100%, 4m 55%); 10m 50%", "Threshold", 1),
    item("w2", "90m 65%", "Endurance", 3),
    item("w3", "5m 55%; 6x(30s 150%, 30s 50%); 5m 50%", "Sprints", 5),
]


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_exports_a_week_to_a_folder(tmp_path: Path, fmt: str) -> None:
    report = export_workouts(WEEK, fmt, tmp_path / "out", 250, tmp_path / "record")
    expected = 1 if fmt == "ics" else 3
    assert len(report.written) == expected and names(tmp_path / "out") == sorted(
        path.name for path in report.written
    )
    assert all(path.stat().st_size > 0 for path in report.written)


def test_file_names_are_dated_and_safe(tmp_path: Path) -> None:
    hostile = item("x", "5m 50%", "../../etc/passwd: <b> Ünïcödé ", 0)
    report = export_workouts([hostile, *WEEK], "zwo", tmp_path / "out", None, tmp_path / "rec")
    assert names(tmp_path / "out") == [
        "2026-11-30_etc_passwd_b_Unicode.zwo",
        "2026-12-01_Threshold.zwo",
        "2026-12-03_Endurance.zwo",
        "2026-12-05_Sprints.zwo",
    ]
    assert all(path.parent == tmp_path / "out" for path in report.written)


def test_re_exporting_is_idempotent(tmp_path: Path) -> None:
    first = export_workouts(WEEK, "fit", tmp_path / "out", None, tmp_path / "rec")
    stamps = {path: path.stat().st_mtime_ns for path in first.written}
    second = export_workouts(WEEK, "fit", tmp_path / "out", None, tmp_path / "rec")
    assert (second.written, second.removed) == ((), ())
    assert set(second.unchanged) == set(first.written)
    assert {path: path.stat().st_mtime_ns for path in first.written} == stamps


def test_workouts_the_plan_no_longer_holds_are_removed_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.zwo").write_text("the rider's own workout")
    export_workouts(WEEK, "zwo", out, None, tmp_path / "rec")
    moved = item("w2", "90m 65%", "Endurance", 4)  # moved to Friday
    report = export_workouts(
        [WEEK[0], moved], "zwo", out, None, tmp_path / "rec", keep_keys={"w1", "w2"}
    )
    assert [path.name for path in report.removed] == [
        "2026-12-03_Endurance.zwo",
        "2026-12-05_Sprints.zwo",
    ]
    assert names(out) == ["2026-12-01_Threshold.zwo", "2026-12-04_Endurance.zwo", "mine.zwo"]
    assert (out / "mine.zwo").read_text() == "the rider's own workout"


def test_exporting_one_week_keeps_the_other_weeks_files(tmp_path: Path) -> None:
    export_workouts(WEEK, "zwo", tmp_path / "out", None, tmp_path / "rec")
    later = item("w9", "60m 60%", "Next week", 7)
    report = export_workouts([later], "zwo", tmp_path / "out", None, tmp_path / "rec")
    assert report.removed == () and len(names(tmp_path / "out")) == 4


def test_a_file_changed_since_wattz_wrote_it_is_left_alone(tmp_path: Path) -> None:
    first = export_workouts(WEEK, "mrc", tmp_path / "out", None, tmp_path / "rec")
    edited = first.written[2]
    edited.write_text("edited by the rider")
    report = export_workouts(
        WEEK[:2], "mrc", tmp_path / "out", None, tmp_path / "rec", keep_keys=[]
    )
    assert report.removed == ()
    assert edited.read_text() == "edited by the rider"
    assert any("changed since wattz wrote it" in warning for warning in report.warnings)


def test_someone_else_s_file_with_the_same_name_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "2026-12-03_Endurance.json").write_text("{}")
    report = export_workouts(WEEK, "json", out, None, tmp_path / "rec")
    assert (out / "2026-12-03_Endurance.json").read_text() == "{}"
    assert (out / "2026-12-03_Endurance_2.json").exists()
    assert report.warnings


def test_the_record_lives_in_the_data_dir_not_on_the_device(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE")
    target = resolve_target(str(tmp_path / "EDGE"), [], home=tmp_path / "home")
    before = sorted(str(p.relative_to(tmp_path / "EDGE")) for p in (tmp_path / "EDGE").rglob("*"))
    report = export_workouts(WEEK, "fit", target, None, tmp_path / "wattz-home")
    after = sorted(str(p.relative_to(tmp_path / "EDGE")) for p in (tmp_path / "EDGE").rglob("*"))
    new = sorted(set(after) - set(before))
    assert new == [f"GARMIN/NewFiles/{path.name}" for path in sorted(report.written)]
    assert (tmp_path / "wattz-home" / "exports.json").exists()


def test_a_device_refuses_formats_it_cannot_read(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE")
    target = resolve_target(str(tmp_path / "EDGE"), [], home=tmp_path / "home")
    with pytest.raises(InvalidValue, match="does not read .zwo"):
        export_workouts(WEEK, "zwo", target, None, tmp_path / "rec")


def test_erg_needs_an_ftp_and_ics_needs_dates(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="needs an FTP"):
        export_workouts(WEEK, "erg", tmp_path / "out", None, tmp_path / "rec")
    undated = item("l1", "30m 60%", "Library workout", None)
    with pytest.raises(InvalidValue, match="needs dated workouts"):
        export_workouts([undated], "ics", tmp_path / "out", None, tmp_path / "rec")
    assert not (tmp_path / "out").exists()


def test_a_unit_pulled_out_mid_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_edge(tmp_path / "EDGE")
    target = resolve_target(str(tmp_path / "EDGE"), [], home=tmp_path / "home")
    real_replace = os.replace
    calls = {"count": 0}

    def unplugged(source: str, destination: str) -> None:
        calls["count"] += 1
        if calls["count"] == 2:
            raise OSError(5, "Input/output error")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", unplugged)
    with pytest.raises(ExternalError) as raised:
        export_workouts(WEEK, "fit", target, None, tmp_path / "rec")
    assert raised.value.exit_code == 3 and "Input/output error" in str(raised.value)
    folder = target.folder
    assert names(folder) == ["2026-12-01_Threshold.fit"]  # the first file, whole; no temp file
    monkeypatch.setattr(os, "replace", real_replace)
    report = export_workouts(WEEK, "fit", target, None, tmp_path / "rec")
    assert len(report.unchanged) == 1 and len(report.written) == 2


def test_a_target_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "gone").write_text("not a folder")
    with pytest.raises(InvalidValue, match="is a file"):
        export_workouts(WEEK, "zwo", ExportTarget(tmp_path / "gone"), None, tmp_path / "rec")


def test_a_folder_that_disappears_mid_export_is_an_external_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mount" / "plans"
    real_mkstemp = tempfile.mkstemp
    calls = {"count": 0}

    def vanishing(*args: Any, **kwargs: Any) -> tuple[int, str]:
        calls["count"] += 1
        if calls["count"] == 2:
            shutil.rmtree(tmp_path / "mount")  # the unit is pulled out
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", vanishing)
    with pytest.raises(ExternalError, match="still connected") as raised:
        export_workouts(WEEK, "plan", folder, None, tmp_path / "rec")
    assert raised.value.exit_code == 3
    assert not (tmp_path / "mount").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_read_only_folder_is_an_external_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExternalError):
            export_workouts(WEEK, "zwo", folder, None, tmp_path / "rec")
        assert names(folder) == []
    finally:
        folder.chmod(0o700)


def test_report_as_json(tmp_path: Path) -> None:
    report = export_workouts(WEEK[:1], "plan", tmp_path / "out", None, tmp_path / "rec")
    document = report.to_json_dict()
    assert document["format"] == "plan" and document["device"] is None
    assert document["written"] == [str(tmp_path / "out" / "2026-12-01_Threshold.plan")]

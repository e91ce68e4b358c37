"""``wattz export`` and ``wattz device list`` through the CLI, as a person runs them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import run
from tests.export.test_devices import make_edge

GRID = ["mon=0", "tue=60:indoor", "wed=45", "thu=60:indoor", "fri=0", "sat=180:outdoor", "sun=120"]


def build_plan() -> dict[str, Any]:
    """An athlete with FTP 250, a week's availability, a goal and the plan for it."""
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("availability", "set", *GRID).exit_code == 0
    assert run("goal", "add", "Marmotte", "--date", "2027-03-14").exit_code == 0
    result = run("plan", "new", "--goal", "Marmotte", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)["plan"]
    return document


@pytest.fixture
def plan() -> dict[str, Any]:
    return build_plan()


def workouts_of(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for b in plan["blocks"] for wk in b["weeks"] for w in wk["workouts"]]


def test_device_list_finds_a_mounted_edge(tmp_path: Path) -> None:
    make_edge(tmp_path / "media" / "EDGE")
    result = run("device", "list", "--json", "--root", str(tmp_path / "media"))
    assert result.exit_code == 0, result.stderr
    (device,) = json.loads(result.stdout)
    assert device["kind"] == "garmin" and device["name"] == "Garmin Edge 530"
    assert device["workouts_dir"] == str(tmp_path / "media" / "EDGE" / "GARMIN" / "NewFiles")
    table = run("device", "list", "--root", str(tmp_path / "media"))
    assert table.exit_code == 0 and "Edge 530" in table.stdout


def test_device_list_with_nothing_mounted_says_so_on_stderr(tmp_path: Path) -> None:
    result = run("device", "list", "--root", str(tmp_path))
    assert result.exit_code == 0 and result.stdout == ""
    assert "no device found" in result.stderr


def test_export_a_week_to_a_garmin_mount_root(plan: dict[str, Any], tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE")
    first = workouts_of(plan)[0]
    result = run("export", "--week", first["date"], "--to", str(tmp_path / "EDGE"), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["format"] == "fit" and report["device"]["kind"] == "garmin"
    written = [Path(path) for path in report["written"]]
    assert written and all(path.parent.name == "NewFiles" and path.exists() for path in written)
    again = run("export", "--week", first["date"], "--to", str(tmp_path / "EDGE"), "--json")
    assert json.loads(again.stdout)["written"] == []


def test_export_the_plan_as_a_calendar(plan: dict[str, Any], tmp_path: Path) -> None:
    result = run("export", "--format", "ics", "--to", str(tmp_path / "cal"))
    assert result.exit_code == 0, result.stderr
    (calendar,) = (tmp_path / "cal").iterdir()
    assert calendar.name == "Marmotte_plan.ics"
    assert calendar.read_text().count("BEGIN:VEVENT") == len(
        [w for w in workouts_of(plan) if w["date"] >= os.environ["WATTZ_TODAY"]]
    )
    assert "written" in result.stdout


def test_a_plain_folder_needs_a_format(plan: dict[str, Any], tmp_path: Path) -> None:
    result = run("export", "--to", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stdout == "" and "--format" in result.stderr


def test_a_device_that_is_not_mounted_exits_3(plan: dict[str, Any], tmp_path: Path) -> None:
    result = run("export", "--to", "garmin", "--root", str(tmp_path))
    assert result.exit_code == 3
    assert result.stderr.startswith("error: no Garmin device is mounted")


def test_an_unknown_workout_exits_1(plan: dict[str, Any], tmp_path: Path) -> None:
    result = run("export", "--workout", "999999", "--format", "zwo", "--to", str(tmp_path))
    assert result.exit_code == 1 and "no workout 999999" in result.stderr


def test_a_unit_pulled_out_mid_write_exits_3_and_leaves_no_partial_file(
    plan: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_edge(tmp_path / "EDGE")
    real_replace = os.replace
    calls = {"count": 0}

    def unplugged(source: str, destination: str) -> None:
        calls["count"] += 1
        if calls["count"] == 3:
            raise OSError(5, "Input/output error")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", unplugged)
    result = run("export", "--to", str(tmp_path / "EDGE"))
    assert result.exit_code == 3
    assert "Input/output error" in result.stderr and "\n" == result.stderr[-1]
    new_files = tmp_path / "EDGE" / "GARMIN" / "NewFiles"
    names = sorted(path.name for path in new_files.iterdir())
    assert len(names) == 2 and all(name.endswith(".fit") for name in names)

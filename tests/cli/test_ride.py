"""``wattz ride``, ``wellness`` and ``fitness`` from the command line: data on stdout,
notes on stderr, one line per bad file, the contract's JSON keys, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import CORPUS, requires_corpus
from wattz.model.store import dispose_engines

ACTIVITIES = CORPUS / "fit" / "activities"
RIDE_KEYS = {
    "id",
    "start",
    "sport",
    "duration_s",
    "avg_power_w",
    "np_w",
    "if",
    "tss",
    "tss_source",
    "avg_hr_bpm",
    "planned_workout_id",
    "compliance",
}


@pytest.fixture(autouse=True)
def athlete() -> None:
    dispose_engines()
    assert run("athlete", "set", "--ftp", "250", "--lthr", "165", "--tz", "UTC").exit_code == 0


def rides_folder(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "rides"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(ACTIVITIES / name, folder / name)
    return folder


@requires_corpus
def test_import_reports_each_file_and_a_bad_one_in_one_line(tmp_path: Path) -> None:
    folder = rides_folder(tmp_path, "Garmin830_with_Stages.fit", "activity-unexpected-eof.fit")
    (folder / "junk.fit").write_text("not a ride")

    result = run("ride", "import", str(folder))

    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("imported ride") == 2
    assert "2 imported, 0 already there, 1 failed" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "junk.fit" in errors[0]
    assert "ends early" in result.stderr  # the truncated file's note


@requires_corpus
def test_importing_twice_adds_nothing(tmp_path: Path) -> None:
    folder = rides_folder(tmp_path, "Garmin830_with_Stages.fit")
    run("ride", "import", str(folder))

    again = run("ride", "import", str(folder))

    assert again.exit_code == 0
    assert "0 imported, 1 already there" in again.stdout
    listed = json.loads(run("ride", "list", "--json").stdout)
    assert len(listed) == 1


def test_importing_only_bad_files_exits_1(tmp_path: Path) -> None:
    (tmp_path / "junk.fit").write_text("not a ride")

    result = run("ride", "import", str(tmp_path / "junk.fit"))

    assert result.exit_code == 1
    assert "junk.fit" in result.stderr


@requires_corpus
def test_ride_list_json_has_the_contract_keys_and_sport_filters(tmp_path: Path) -> None:
    folder = rides_folder(tmp_path, "Garmin830_with_Stages.fit", "developer-types-sample.fit")
    run("ride", "import", str(folder))

    result = run("ride", "list", "--json")
    runs = json.loads(run("ride", "list", "--json", "--sport", "running").stdout)

    assert result.exit_code == 0
    rides = json.loads(result.stdout)
    assert len(rides) == 2 and all(RIDE_KEYS <= set(ride) for ride in rides)
    assert {ride["tss_source"] for ride in rides} == {"power", "hr"}
    assert [ride["sport"] for ride in runs] == ["running"]
    assert result.stderr == ""


@requires_corpus
def test_ride_show_draws_the_summary_zones_and_trace(tmp_path: Path) -> None:
    run("ride", "import", str(ACTIVITIES / "sample-activity-indoor-trainer.fit"))
    ride_id = json.loads(run("ride", "list", "--json").stdout)[0]["id"]

    result = run("ride", "show", str(ride_id))

    assert result.exit_code == 0, result.stderr
    assert "NP" in result.stdout and "Time in power zones" in result.stdout
    assert "█" in result.stdout


def test_ride_show_of_an_unknown_ride_exits_1() -> None:
    result = run("ride", "show", "99")

    assert result.exit_code == 1
    assert result.stderr.startswith("error: no ride 99")


@requires_corpus
def test_ride_log_records_the_survey_and_checks_its_values() -> None:
    run("ride", "import", str(ACTIVITIES / "event_timestamp.fit"))

    logged = run("ride", "log", "2017-06-13", "--rpe", "7", "--reason", "OK")
    bad_rpe = run("ride", "log", "2017-06-13", "--rpe", "12")
    bad_reason = run("ride", "log", "2017-06-13", "--reason", "lazy")

    assert logged.exit_code == 0, logged.stderr
    assert "RPE 7" in logged.stdout and "ok" in logged.stdout
    assert bad_rpe.exit_code == 1 and bad_reason.exit_code == 1
    ride = json.loads(run("ride", "list", "--json").stdout)[0]
    assert ride["rpe"] == 7 and ride["reason"] == "ok"


@requires_corpus
def test_an_ftp_beaten_on_a_ride_is_suggested() -> None:
    run("athlete", "set", "--ftp", "200")

    result = run("ride", "import", str(ACTIVITIES / "Edge810-Vector-2013-08-16-15-35-10.fit"))

    assert "athlete set --ftp 297 --from 2013-08-16" in result.stderr


def test_wellness_is_logged_updated_and_listed() -> None:
    assert run("wellness", "log", "2026-11-24", "--hrv", "62", "--rhr", "48").exit_code == 0
    assert run("wellness", "log", "2026-11-24", "--sleep", "7.5", "--sick").exit_code == 0

    rows = json.loads(run("wellness", "list", "--json").stdout)

    assert rows == [
        {
            "date": "2026-11-24",
            "hrv_ms": 62.0,
            "rhr_bpm": 48,
            "sleep_h": 7.5,
            "sick": True,
            "injured": False,
        }
    ]


def test_wellness_values_out_of_range_exit_1() -> None:
    result = run("wellness", "log", "today", "--hrv", "900")

    assert result.exit_code == 1
    assert "--hrv" in result.stderr


@requires_corpus
def test_fitness_without_a_plan_shows_actuals_and_exits_0() -> None:
    run("ride", "import", str(ACTIVITIES))

    drawn = run("fitness", "--from", "2025-04-01")
    document = json.loads(run("fitness", "--from", "2025-04-01", "--json").stdout)

    assert drawn.exit_code == 0, drawn.stderr
    assert "CTL" in drawn.stdout and "no plan" in drawn.stderr
    assert document["has_plan"] is False
    assert document["days"][-1]["date"] == "2026-11-25"
    may_9 = next(day for day in document["days"] if day["date"] == "2025-05-09")
    assert may_9["tss"] > 0  # the Karoo ride


@requires_corpus
def test_rides_are_recomputed_after_an_ftp_change() -> None:
    run("ride", "import", str(ACTIVITIES / "Garmin830_with_Stages.fit"))
    before = json.loads(run("ride", "list", "--json").stdout)[0]["tss"]
    run("athlete", "set", "--ftp", "200", "--from", "2020-01-01")

    result = run("ride", "recompute")

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "recomputed 1 ride"
    after = json.loads(run("ride", "list", "--json").stdout)[0]["tss"]
    assert after == pytest.approx(before * (250 / 200) ** 2, rel=0.01)

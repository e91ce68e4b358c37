"""Damaged files through the CLI: one ``error: … — hint`` line on stderr, exit 1, and
nothing stored — for a workout, a ride and a course (issue 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli.helpers import run
from tests.cli.test_kill import fit_ride
from wattz.model.store import engine

ZWO = (
    b'<workout_file><name>Tempo</name><workout><SteadyState Duration="600" Power="0.8"/>'
    b"</workout></workout_file>"
)
AWP = (
    b'{"schemaVersion": "1.0", "meta": {"title": "t", "totalDurationSeconds": 60}, "steps": '
    b'[{"type": "SteadyState", "duration": 60, "power": {"type": "steady", "value": 0.5}}]}'
)
GPX = (
    b'<gpx version="1.1"><trk><trkseg>' + b'<trkpt lat="46.0" lon="7.0"><ele>100</ele></trkpt>' * 3
)
GPX += b"</trkseg></trk></gpx>"


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and " — " in lines[0] and "Traceback" not in stderr
    return lines[0]


def rows(home: Path, table: str) -> int:
    """Rows in ``table`` of the test's store (SQLite or PostgreSQL), read through wattz."""
    return int(scalar(f"SELECT count(*) FROM {table}"))


def scalar(query: str) -> object:
    with engine().connect() as connection:
        return connection.execute(text(query)).scalar()


@pytest.fixture
def athlete(wattz_home: Path) -> Path:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0
    assert run("goal", "add", "Marmotte", "--date", "2027-03-14").exit_code == 0
    return wattz_home


@pytest.mark.parametrize(("name", "data"), [("cut.json", AWP[:40]), ("flip.json", AWP[:-1])])
def test_workout_validate_on_a_damaged_document(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("workout", "validate", str(path))
    assert result.exit_code == 1
    assert name in one_error_line(result.stderr)


@pytest.mark.parametrize(
    ("name", "data"),
    [("cut.zwo", ZWO[:70]), ("inf.zwo", ZWO.replace(b'"600"', b'"1e300"'))],
)
def test_workout_import_of_a_damaged_file_stores_nothing(
    athlete: Path, tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("workout", "import", str(path))
    assert result.exit_code == 1
    assert name in one_error_line(result.stderr)
    assert rows(athlete, "user_workout") == 0


@pytest.mark.parametrize("cut_at", [20, 40])
def test_ride_import_of_a_file_broken_before_its_records_stores_nothing(
    athlete: Path, tmp_path: Path, cut_at: int
) -> None:
    path = tmp_path / "broken.fit"
    path.write_bytes(fit_ride(0)[:cut_at])
    result = run("ride", "import", str(path))
    assert result.exit_code == 1
    assert "broken.fit" in one_error_line(result.stderr)
    assert rows(athlete, "activity") == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cut.gpx", GPX[:60]),
        ("nan.gpx", GPX.replace(b'lat="46.0"', b'lat="nan"', 1)),
        ("far.gpx", GPX.replace(b'lat="46.0"', b'lat="-46.0"', 1)),
    ],
)
def test_course_add_of_a_damaged_file_stores_nothing(
    athlete: Path, tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = run("course", "add", str(path), "--goal", "Marmotte")
    assert result.exit_code == 1
    assert name in one_error_line(result.stderr)
    course = scalar("SELECT course FROM goal")
    assert course in (None, "null")  # SQLAlchemy's JSON column writes None as JSON null

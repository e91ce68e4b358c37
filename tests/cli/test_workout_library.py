"""``wattz workout import | new | list``: the athlete's own workouts, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import CORPUS, requires_corpus


@pytest.fixture(autouse=True)
def athlete() -> None:
    assert run("athlete", "set", "--ftp", "250").exit_code == 0


def listed() -> list[dict[str, object]]:
    result = run("workout", "list", "--json")
    assert result.exit_code == 0, result.stderr
    items: list[dict[str, object]] = json.loads(result.stdout)
    return items


@requires_corpus
def test_importing_real_files_adds_them_to_the_library() -> None:
    files = [CORPUS / "zwo" / "Mayfield.zwo", CORPUS / "ergmrc" / "FTPCheckup.erg"]
    result = run("workout", "import", *map(str, files), "--json")
    assert result.exit_code == 0, result.stderr
    imported = json.loads(result.stdout)
    assert [w["source"] for w in imported] == ["imported", "imported"]
    assert {w["title"] for w in listed()} == {w["title"] for w in imported}


@requires_corpus
def test_one_bad_file_stores_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zwo"
    broken.write_text("<workout_file><workout>")
    result = run("workout", "import", str(CORPUS / "zwo" / "Mayfield.zwo"), str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: broken.zwo")
    assert len(result.stderr.strip().splitlines()) == 1
    assert listed() == []


def test_a_typed_workout_is_stored_with_its_metrics() -> None:
    result = run(
        "workout",
        "new",
        "10m ramp 50-75%; 3x(8m 100% 95rpm, 4m 55%); 10m 50%",
        "--title",
        "Threshold 3x8",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    (workout,) = json.loads(result.stdout)
    assert workout["duration_s"] == 56 * 60
    assert workout["primary_zone"] == 4
    assert listed()[0]["title"] == "Threshold 3x8"


def test_bad_text_is_one_line_and_exit_1() -> None:
    result = run("workout", "new", "3x(8m banana)", "--title", "x")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert listed() == []


@requires_corpus
def test_show_reads_a_zwift_file_and_draws_it_at_80_columns() -> None:
    result = run("workout", "show", str(CORPUS / "zwo" / "Mayfield.zwo"), width=80)
    assert result.exit_code == 0, result.stderr
    assert "Jon's Short Mix" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())

"""Hostile GPX: arbitrary bytes, damaged real courses, absurd coordinates and XML attacks
give a course profile or one ``InvalidValue`` line — quickly, in little memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import corpus_files, requires_corpus
from tests.sources import xml_attacks
from tests.sources.hostile import (
    FUZZ,
    mutated,
    peak_megabytes,
    seeds,
    time_limit,
    value_or_wattz_error,
)
from wattz.errors import InvalidValue
from wattz.plan.course import MAX_CLIMB_LENGTH_M, CourseProfile, ProfilePoint, course_profile
from wattz.sources.gpx_course import gpx_course

COURSES = seeds(corpus_files("gpx", ".gpx"))
NUMBERS = ["inf", "-inf", "nan", "1e308", "-1e308", "91", "-181", "0", "", "x", "45.5"]


def reads_or_refuses(data: bytes) -> None:
    result = value_or_wattz_error(lambda: gpx_course(data, "hostile"))
    if isinstance(result, CourseProfile):
        assert result.distance_m >= 0


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_course_or_one_line(data: bytes) -> None:
    reads_or_refuses(data)


@FUZZ
@given(st.lists(st.tuples(*[st.sampled_from(NUMBERS)] * 3), min_size=1, max_size=5))
def test_absurd_coordinates_and_elevations_are_a_course_or_one_line(
    points: list[tuple[str, str, str]],
) -> None:
    track = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele></trkpt>' for lat, lon, ele in points
    )
    reads_or_refuses(f'<gpx version="1.1"><trk><trkseg>{track}</trkseg></trk></gpx>'.encode())


@requires_corpus
@FUZZ
@given(mutated(COURSES or [b""]))
def test_a_damaged_real_course_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(data)


@pytest.mark.parametrize(
    "attack",
    [xml_attacks.billion_laughs, xml_attacks.quadratic_blowup, xml_attacks.deeply_nested],
    ids=["billion-laughs", "quadratic-blowup", "deep-nesting"],
)
def test_xml_attacks_are_refused_quickly_in_little_memory(attack: object) -> None:
    data = attack("gpx")  # type: ignore[operator]
    assert peak_megabytes(lambda: reads_or_refuses(data)) < 100


def test_an_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    result = value_or_wattz_error(
        lambda: gpx_course(xml_attacks.external_entity("gpx", secret), "course")
    )
    assert "SECRET-CONTENT" not in str(result)


def test_one_point_a_continent_away_is_refused_quickly() -> None:
    """Found by bench/fuzz_readers.py (atheris): one latitude digit changed made a 4,700 km
    gentle "climb" that took two minutes to profile."""
    track = "".join(
        f'<trkpt lat="{lat}" lon="7.0"><ele>{ele}</ele></trkpt>'
        for lat, ele in [(46.0, 100), (46.001, 101), (6.0, 3000), (46.002, 102)]
    )
    data = f'<gpx version="1.1"><trk><trkseg>{track}</trkseg></trk></gpx>'.encode()
    with time_limit(5.0), pytest.raises(InvalidValue, match="8,906 km; at most 2,000 km"):
        gpx_course(data, "glitch")


def test_a_long_steady_rise_is_profiled_in_linear_time() -> None:
    points = [ProfilePoint(i * 100.0, i * 3.0) for i in range(3_001)]  # 300 km at 3 %
    with time_limit(20.0):
        profile = course_profile("drag", [points])
    assert profile.distance_m == pytest.approx(300_000)
    assert max(climb.length_m for climb in profile.climbs) <= MAX_CLIMB_LENGTH_M

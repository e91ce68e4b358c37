"""GPX files from ../shared/corpus into course profiles, checked against gpxpy's own figures."""

from __future__ import annotations

from pathlib import Path

import gpxpy
import pytest

from tests.conftest import CORPUS, corpus_files, requires_corpus
from wattz.errors import InvalidValue, NotFound
from wattz.plan.course import Character
from wattz.sources.gpx_course import gpx_course, read_gpx_course

GPX_FILES = corpus_files("gpx", ".gpx")
GPX = CORPUS / "gpx"
AGREEMENT = 0.02
"""Distance and climbing agree with gpxpy's within 2 % (issue 8)."""


@requires_corpus
@pytest.mark.parametrize("path", GPX_FILES, ids=lambda p: p.name)
def test_distance_and_climbing_agree_with_gpxpy(path: Path) -> None:
    document = gpxpy.parse(path.read_bytes())
    profile = read_gpx_course(path)
    assert profile.distance_m == pytest.approx(document.length_3d(), rel=AGREEMENT)
    uphill = document.get_uphill_downhill().uphill
    assert profile.climbing_m == pytest.approx(uphill, rel=AGREEMENT, abs=1.0)


@requires_corpus
def test_stelvio_is_mountainous_with_one_hc_climb() -> None:
    profile = read_gpx_course(GPX / "Italy_-_Passo_dello_Stelvio.gpx")
    assert profile.name == "Italy - Passo dello Stelvio"
    assert profile.character is Character.MOUNTAINOUS
    assert profile.climbs[0].category == "HC"
    steep = sum(b.distance_share for b in profile.gradient if (b.low_pct or 0) >= 6)
    assert steep > 0.7


@requires_corpus
def test_richmond_park_is_rolling_with_only_short_climbs() -> None:
    profile = read_gpx_course(GPX / "Richmond_Park.gpx")
    assert profile.character is Character.ROLLING
    assert profile.gradient[0].distance_share > 0.75
    assert all(climb.estimated_s < 5 * 60 for climb in profile.climbs)


@requires_corpus
def test_a_ride_with_no_elevation_is_unknown_with_a_note() -> None:
    profile = read_gpx_course(GPX / "A_ride_mapped_on_11_22_2011.gpx")
    assert profile.character is Character.UNKNOWN
    assert profile.distance_m == pytest.approx(96_384, rel=0.01)
    assert "no elevation" in profile.notes[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid XML"),
        (b"\x00\x01\x02 not xml", "not valid XML"),
        (b"<gpx><trk><trkseg><trkpt lat='x' lon='1'/></trkseg></trk></gpx>", "not a readable"),
        (b"<gpx></gpx>", "no track or route points"),
    ],
)
def test_broken_files_are_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        gpx_course(data, "broken", "broken.gpx")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_route_without_a_track_is_read() -> None:
    data = (
        b"<gpx version='1.1' creator='t' xmlns='http://www.topografix.com/GPX/1/1'><rte>"
        b"<rtept lat='46.0' lon='10.0'><ele>100</ele></rtept>"
        b"<rtept lat='46.01' lon='10.0'><ele>150</ele></rtept></rte></gpx>"
    )
    profile = gpx_course(data, "Route")
    assert profile.distance_m == pytest.approx(1_113, rel=0.01)
    assert profile.climbing_m == pytest.approx(50)


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_gpx_course(tmp_path / "nope.gpx")

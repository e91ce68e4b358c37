"""Course profiles and their demands: what a route asks of a rider, computed from points."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, requires_corpus
from wattz.plan import library
from wattz.plan.course import (
    GRADIENT_LABELS,
    MAX_SPEED_M_S,
    Character,
    CourseDemands,
    ProfilePoint,
    character_of,
    climb_category,
    course_demands,
    course_profile,
    course_summary,
    filtered_elevations,
    specialty_focus,
    speed_m_s,
)
from wattz.plan.domain import (
    Availability,
    BlockFocus,
    BlockType,
    DaySlot,
    Discipline,
    Event,
    Priority,
    Role,
)
from wattz.plan.library_parts import Specialty
from wattz.plan.season import build_season


def road(*legs: tuple[float, float], step_m: float = 20.0) -> list[ProfilePoint]:
    """A course of legs (length in m, gradient in %), a point every ``step_m``."""
    points = [ProfilePoint(0.0, 100.0)]
    distance, elevation = 0.0, 100.0
    for length_m, gradient_pct in legs:
        for _ in range(round(length_m / step_m)):
            distance += step_m
            elevation += step_m * gradient_pct / 100
            points.append(ProfilePoint(distance, elevation))
    return points


def test_a_flat_road_is_flat_and_all_of_it_under_two_percent() -> None:
    profile = course_profile("Polder", [road((40_000, 0.0))])
    assert profile.character is Character.FLAT
    assert profile.climbing_m == pytest.approx(0.0)
    assert profile.distance_m == pytest.approx(40_000)
    assert profile.gradient[0].label == "<2 %"
    assert profile.gradient[0].distance_share == pytest.approx(1.0)
    assert profile.climbs == []


def test_a_long_steep_climb_is_mountainous_with_an_hc_climb() -> None:
    profile = course_profile("Col", [road((2_000, 0.0), (15_000, 7.0), (3_000, -6.0))])
    assert profile.character is Character.MOUNTAINOUS
    assert profile.climbing_m == pytest.approx(1050, rel=0.01)
    [climb] = profile.climbs
    assert climb.length_m == pytest.approx(15_000, rel=0.02)
    assert climb.mean_gradient_pct == pytest.approx(7.0, abs=0.1)
    assert climb.category == "HC"
    assert climb.estimated_s > 60 * 60
    by_label = {band.label: band for band in profile.gradient}
    assert by_label["6–8 %"].distance_share == pytest.approx(0.75, abs=0.02)
    # climbing is slow: the climb takes far more of the time than of the distance
    assert by_label["6–8 %"].time_share > 0.9


def test_short_kickers_make_a_course_rolling_not_hilly() -> None:
    kicker = ((1_500, 0.0), (400, 6.0), (400, -6.0))
    profile = course_profile("Park", [road(*(kicker * 8))])
    assert profile.climbing_m_per_km > 10
    assert profile.character is Character.ROLLING
    assert all(climb.estimated_s < 5 * 60 for climb in profile.climbs)


def test_one_long_pass_in_a_long_flat_race_makes_it_hilly() -> None:
    profile = course_profile("Pass", [road((60_000, 0.0), (6_000, 5.0), (6_000, -5.0))])
    assert profile.climbing_m_per_km < 10
    assert profile.character is Character.HILLY


def test_climbs_are_trimmed_to_the_part_that_climbs() -> None:
    profile = course_profile("False flat", [road((3_000, 1.0), (1_000, 6.0), (2_000, -4.0))])
    [climb] = profile.climbs
    assert climb.start_m >= 2_500
    assert climb.mean_gradient_pct >= 3.0


def test_segments_add_no_climbing_across_their_gap() -> None:
    first = road((1_000, 0.0))
    second = [ProfilePoint(p.distance_m + 1_000, 400.0) for p in road((1_000, 0.0))]
    profile = course_profile("Two tracks", [first, second])
    assert profile.climbing_m == pytest.approx(0.0)
    assert profile.distance_m == pytest.approx(2_000)


def test_no_elevation_gives_an_unknown_course_with_a_note() -> None:
    points = [ProfilePoint(i * 50.0, None) for i in range(200)]
    profile = course_profile("Mapped", [points])
    assert profile.character is Character.UNKNOWN
    assert not profile.has_elevation
    assert profile.notes and "no elevation" in profile.notes[0]
    assert profile.estimated_time_s > 0
    demands = course_demands(profile)
    assert demands.terrain is None and demands.focus is None
    assert specialty_focus(demands, BlockFocus.VO2_MAX) is BlockFocus.VO2_MAX


@pytest.mark.parametrize(
    ("length_m", "gradient_pct", "category"),
    [
        (1_000, 5.0, None),
        (2_000, 5.0, "4"),
        (4_000, 5.0, "3"),
        (8_000, 5.0, "2"),
        (10_000, 7.0, "1"),
        (20_000, 7.0, "HC"),
    ],
)
def test_climb_categories_follow_strava_scores(
    length_m: float, gradient_pct: float, category: str | None
) -> None:
    assert climb_category(length_m, gradient_pct) == category


def test_the_speed_model_gives_believable_speeds() -> None:
    flat_kmh = speed_m_s(0.0) * 3.6
    assert 30 < flat_kmh < 38
    assert 8 < speed_m_s(0.08) * 3.6 < 14
    assert speed_m_s(-0.08) == MAX_SPEED_M_S
    assert speed_m_s(0.05, power_w=300) > speed_m_s(0.05, power_w=200)


def test_the_filter_is_gpxpys() -> None:
    assert filtered_elevations([10.0, 20.0, 10.0, None, 5.0]) == [10.0, 14.0, 10.0, None, 5.0]


@pytest.mark.parametrize(
    ("per_km", "longest_s", "character"),
    [
        (2.0, 0, Character.FLAT),
        (8.0, 120, Character.ROLLING),
        (15.0, 180, Character.ROLLING),
        (12.0, 600, Character.HILLY),
        (4.0, 1_500, Character.HILLY),
        (25.0, 1_500, Character.MOUNTAINOUS),
    ],
)
def test_character(per_km: float, longest_s: int, character: Character) -> None:
    assert character_of(per_km, longest_s) is character


def test_hilly_and_flat_courses_make_different_demands() -> None:
    hilly = course_demands(course_profile("Col", [road((12_000, 7.0))]))
    flat = course_demands(course_profile("Polder", [road((40_000, 0.0))]))
    assert hilly.terrain is Specialty.CLIMBING and flat.terrain is Specialty.FLAT
    assert specialty_focus(hilly, BlockFocus.VO2_MAX) is BlockFocus.THRESHOLD
    assert specialty_focus(flat, BlockFocus.VO2_MAX) is BlockFocus.VO2_MAX
    assert hilly.cadence_rpm is not None and flat.cadence_rpm is not None
    assert hilly.cadence_rpm[1] < flat.cadence_rpm[0]
    assert "torque" in hilly.emphasis and "sprints" in flat.emphasis


def test_the_summary_names_the_longest_climb() -> None:
    text = course_summary(course_profile("Col", [road((2_000, 0.0), (12_000, 7.0))]))
    assert text.startswith("Col: 14.0 km, +840 m")
    assert "longest climb 12." in text and "(HC, about" in text


def test_the_profile_for_drawing_is_bounded() -> None:
    profile = course_profile("Long", [road((200_000, 0.5), step_m=50)])
    assert 2 <= len(profile.profile) <= 400
    assert profile.profile[0][0] == 0.0
    assert profile.profile[-1][0] == pytest.approx(profile.distance_m)


legs = st.lists(st.tuples(st.floats(100, 3_000), st.floats(-12, 12)), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(legs)
def test_shares_add_up_and_times_are_positive(course: list[tuple[float, float]]) -> None:
    profile = course_profile("Any", [road(*course)])
    assert sum(b.distance_share for b in profile.gradient) == pytest.approx(1.0, abs=1e-3)
    assert sum(b.time_share for b in profile.gradient) == pytest.approx(1.0, abs=1e-3)
    assert [b.label for b in profile.gradient] == list(GRADIENT_LABELS)
    assert profile.estimated_time_s >= math.floor(profile.distance_m / MAX_SPEED_M_S) - 1
    assert profile.climbing_m >= 0 and profile.descent_m >= 0
    for climb in profile.climbs:
        assert climb.mean_gradient_pct >= 3.0 and climb.length_m >= 300
        assert climb.gain_m <= profile.climbing_m + 1


# --- the course shapes the season ------------------------------------------------------------


def _specialty_weeks(course: CourseDemands | None) -> tuple[BlockFocus, list[str]]:
    """The PEAK block's focus and its key workouts' templates, for one course."""
    today = dt.date(2026, 11, 25)
    grid = Availability(
        (
            DaySlot(0),
            DaySlot(75, "indoor"),
            DaySlot(60),
            DaySlot(75),
            DaySlot(0),
            DaySlot(240, "outdoor"),
            DaySlot(90),
        )
    )
    event = Event("Goal", today + dt.timedelta(weeks=16), Priority.A, Discipline.ROAD)
    season = build_season(start=today, event=event, availability=grid, today=today, course=course)
    [peak] = [block for block in season.blocks if block.type is BlockType.PEAK]
    end = peak.start + dt.timedelta(weeks=peak.duration_weeks)
    keys = [
        s.library_id for s in season.sessions if peak.start <= s.date < end and s.role is Role.KEY
    ]
    return peak.focus, keys


@requires_corpus
def test_a_hilly_and_a_flat_course_get_different_specialty_blocks() -> None:
    from wattz.sources.gpx_course import read_gpx_course

    gpx = CORPUS / "gpx"
    hilly = course_demands(read_gpx_course(gpx / "Italy_-_Passo_dello_Stelvio.gpx"))
    flat = course_demands(read_gpx_course(gpx / "Richmond_Park.gpx"))
    hilly_focus, hilly_keys = _specialty_weeks(hilly)
    flat_focus, flat_keys = _specialty_weeks(flat)
    plain_focus, plain_keys = _specialty_weeks(None)
    assert hilly_focus is BlockFocus.THRESHOLD
    assert flat_focus is plain_focus is BlockFocus.VO2_MAX
    assert hilly_keys and flat_keys
    assert {library.template(k).specialty for k in hilly_keys} == {Specialty.CLIMBING}
    assert {library.template(k).specialty for k in flat_keys} == {Specialty.FLAT}
    assert not set(hilly_keys) & set(flat_keys)
    assert set(plain_keys) != set(flat_keys)


def test_without_a_course_the_season_is_unchanged() -> None:
    assert _specialty_weeks(None) == _specialty_weeks(
        course_demands(
            course_profile("Mapped", [[ProfilePoint(i * 50.0, None) for i in range(99)]])
        )
    )

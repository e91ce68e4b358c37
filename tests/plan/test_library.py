"""The built-in workout library: coverage, valid documents, progression and choosing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wattz.awp.metrics import workout_metrics
from wattz.awp.models import FreeRide, Repeat, Step, Workout
from wattz.awp.timeline import unroll
from wattz.awp.validate import validate_workout
from wattz.errors import InvalidValue, NotFound
from wattz.plan import library
from wattz.plan.domain import BlockFocus, Role
from wattz.plan.library import LEVELS, TEMPLATES, Specialty, Template

IDS = [t.id for t in TEMPLATES]
EFFORT_ABOVE_Z2 = 0.75
HARD_EFFORT = 1.05


def durations_for(t: Template, level: int) -> list[int]:
    shortest = library.min_minutes(t.id, level)
    return sorted({shortest, shortest + 13, 240} - set(range(shortest)))


def all_steps(steps: list[Step]) -> Iterator[Step]:
    for step in steps:
        yield step
        if isinstance(step, Repeat):
            yield from all_steps(step.content)
            if step.rest_between is not None:
                yield from all_steps([step.rest_between])


# --- the catalogue -------------------------------------------------------------------------------


def test_the_library_holds_at_least_sixty_templates_with_unique_ids() -> None:
    assert len(TEMPLATES) >= 60
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("focus", list(BlockFocus))
def test_every_focus_has_general_key_workouts_to_progress_through(focus: BlockFocus) -> None:
    role = Role.SUPPORT if focus is BlockFocus.AEROBIC_ENDURANCE else Role.KEY
    assert library.templates(focus, role), focus


@pytest.mark.parametrize(
    ("specialty", "role"),
    [
        (Specialty.CLIMBING, Role.KEY),
        (Specialty.FLAT, Role.KEY),
        (Specialty.OPENER, Role.KEY),
        (Specialty.RACE_PACE, Role.KEY),
        (Specialty.LONG, Role.SUPPORT),
        (Specialty.BRIEF_EFFORTS, Role.SUPPORT),
    ],
)
def test_specialty_taper_and_deload_work_is_there(specialty: Specialty, role: Role) -> None:
    assert library.templates(role=role, specialty=specialty)


def test_recovery_spins_exist_for_both_venues() -> None:
    assert library.templates(role=Role.RECOVERY, venue="indoor")
    assert library.templates(role=Role.RECOVERY, venue="outdoor")


def test_every_template_suits_a_venue_and_every_focus_can_be_ridden_on_the_road() -> None:
    assert all(t.indoor or t.outdoor for t in TEMPLATES)
    for focus in BlockFocus:
        assert library.templates(focus, venue="outdoor"), focus


def test_openers_and_taper_work_are_short() -> None:
    for specialty in (Specialty.OPENER, Specialty.RACE_PACE):
        for t in library.templates(specialty=specialty, role=Role.KEY):
            assert library.min_minutes(t.id, 5) <= 60, t.id


def test_unknown_templates_and_levels_are_refused() -> None:
    with pytest.raises(NotFound):
        library.template("no-such-workout")
    with pytest.raises(InvalidValue):
        library.build("ss-steady", 11, 90)
    with pytest.raises(InvalidValue):
        library.build("ss-steady", 0, 90)


def test_a_slot_too_short_for_the_main_set_is_refused() -> None:
    shortest = library.min_minutes("ss-steady", 10)
    with pytest.raises(InvalidValue, match="needs at least"):
        library.build("ss-steady", 10, shortest - 1)


# --- every template, every level, many durations --------------------------------------------------


@pytest.mark.parametrize("template_id", IDS)
def test_every_level_builds_a_valid_document_of_exactly_the_minutes(template_id: str) -> None:
    t = library.template(template_id)
    for level in LEVELS:
        for minutes in durations_for(t, level):
            workout = library.build(template_id, level, minutes)
            assert validate_workout(workout) == (), (template_id, level, minutes)
            assert workout.meta.total_duration_seconds == minutes * 60
            metrics = library.session_metrics(template_id, level, minutes)
            assert metrics.duration_s == minutes * 60
            assert workout.meta.estimated_tss == round(metrics.tss, 1)
            assert workout.meta.title and workout.meta.description
            assert workout.meta.author == "wattz"


@pytest.mark.parametrize("template_id", IDS)
def test_levels_increase_the_work_at_equal_duration(template_id: str) -> None:
    t = library.template(template_id)
    minutes = max(library.min_minutes(template_id, level) for level in LEVELS) + 10
    metrics = [library.session_metrics(template_id, level, minutes) for level in LEVELS]
    tss = [m.tss for m in metrics]
    assert all(harder > easier for easier, harder in zip(tss, tss[1:], strict=False)), tss
    if t.zone >= 3:
        in_zone = [sum(m.zone_seconds[t.zone - 1 :]) for m in metrics]
        assert all(b >= a for a, b in zip(in_zone, in_zone[1:], strict=False)), in_zone


@pytest.mark.parametrize("template_id", IDS)
def test_recoveries_inside_interval_sets_are_marked_rest(template_id: str) -> None:
    for level in (1, 5, 10):
        workout = library.build(template_id, level, library.min_minutes(template_id, level))
        for step in all_steps(workout.steps):
            if not isinstance(step, Repeat) or step.rest_between is None:
                continue
            hard = any(
                s.type != "Repeat" and s.type != "FreeRide" and _peak(s) > EFFORT_ABOVE_Z2
                for s in all_steps(step.content)
            )
            if hard:
                assert step.rest_between.intensity == "rest", (template_id, level)


def _peak(step: Step) -> float:
    power = getattr(step, "power", None)
    if power is None:
        return 0.0
    return float(power.value if power.type == "steady" else max(power.start, power.end))


@pytest.mark.parametrize("t", [t for t in TEMPLATES if t.outdoor], ids=lambda t: t.id)
def test_outdoor_templates_can_be_ridden_on_the_road(t: Template) -> None:
    """No short on/offs in traffic: a hard effort under a minute is followed by at least
    two minutes of easy riding before anything hard again; recoveries last a minute."""
    for level in LEVELS:
        segments = unroll(library.build(t.id, level, library.min_minutes(t.id, level)))
        for index, here in enumerate(segments):
            if here.intensity == "rest":
                assert here.duration_s >= 60, (t.id, level)
            if (here.power_start or 0.0) <= HARD_EFFORT or here.duration_s >= 60:
                continue
            following = segments[index + 1 : index + 2]
            if following and (following[0].power_start or 0.0) > EFFORT_ABOVE_Z2:
                continue  # one effort with a hard start, not an on/off
            easy_s = 0
            for after in segments[index + 1 :]:
                if max(after.power_start or 0.0, after.power_end or 0.0) > EFFORT_ABOVE_Z2:
                    break
                easy_s += after.duration_s
            assert easy_s >= 120, (t.id, level, here)


@pytest.mark.parametrize("t", [t for t in TEMPLATES if t.indoor], ids=lambda t: t.id)
def test_indoor_templates_set_a_target_for_every_step_so_erg_mode_can_follow(
    t: Template,
) -> None:
    workout = library.build(t.id, 5, library.min_minutes(t.id, 5) + 20)
    assert not any(isinstance(step, FreeRide) for step in all_steps(workout.steps))


@pytest.mark.parametrize(
    ("template_id", "low", "high"),
    [("tempo-low-cadence", 55, 70), ("ss-torque", 55, 70), ("tempo-high-cadence", 100, 110)],
)
def test_cadence_is_set_where_it_is_the_point(template_id: str, low: int, high: int) -> None:
    workout = library.build(template_id, 3, 90)
    work = [
        s
        for s in all_steps(workout.steps)
        if s.type == "SteadyState" and s.intensity != "rest" and _peak(s) > EFFORT_ABOVE_Z2
    ]
    assert work and all(s.cadence is not None and low <= s.cadence <= high for s in work)


@settings(max_examples=150, deadline=None)
@given(
    template_id=st.sampled_from(IDS),
    level=st.sampled_from(list(LEVELS)),
    extra_minutes=st.integers(0, 300),
)
def test_fast_metrics_equal_the_unrolled_metrics(
    template_id: str, level: int, extra_minutes: int
) -> None:
    minutes = library.min_minutes(template_id, level) + extra_minutes
    fast = library.session_metrics(template_id, level, minutes)
    slow = workout_metrics(library.build(template_id, level, minutes))
    assert fast.duration_s == slow.duration_s
    assert fast.tss == pytest.approx(slow.tss, rel=1e-9)
    assert fast.intensity_factor == pytest.approx(slow.intensity_factor, rel=1e-9)
    assert fast.primary_zone == slow.primary_zone
    assert fast.zone_seconds == pytest.approx(slow.zone_seconds, abs=1e-6)


def test_built_workouts_are_cached_values() -> None:
    assert library.build("vo2-classic", 4, 75) is library.build("vo2-classic", 4, 75)
    assert isinstance(library.build("vo2-classic", 4, 75), Workout)


# --- choosing ------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    focus=st.sampled_from(list(BlockFocus)),
    role=st.sampled_from([Role.KEY, Role.SUPPORT, Role.RECOVERY]),
    level=st.sampled_from(list(LEVELS)),
    minutes=st.integers(10, 300),
    target=st.floats(5, 300),
    venue=st.sampled_from(["indoor", "outdoor", "any"]),
    rotation=st.integers(0, 50),
)
def test_a_choice_fits_its_minutes_venue_focus_and_role(
    focus: BlockFocus,
    role: Role,
    level: int,
    minutes: int,
    target: float,
    venue: str,
    rotation: int,
) -> None:
    pick = library.choose(focus, role, level, minutes, target, venue, rotation=rotation)  # type: ignore[arg-type]
    if pick is None:
        assert all(
            library.min_minutes(t.id, lv) > minutes
            for t in library.templates(focus, role, venue)  # type: ignore[arg-type]
            for lv in LEVELS
            if lv <= level + 1
        )
        return
    assert pick.minutes <= minutes
    assert pick.template.focus is focus and pick.template.role is role
    assert pick.template.suits(venue)
    assert pick.workout.meta.total_duration_seconds == pick.minutes * 60
    assert pick.metrics.tss == pytest.approx(workout_metrics(pick.workout).tss, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    template_id=st.sampled_from(IDS),
    level=st.sampled_from(list(LEVELS)),
    minutes=st.integers(20, 240),
    target=st.floats(10, 250),
)
def test_fit_lands_as_close_to_the_target_as_the_offered_durations_allow(
    template_id: str, level: int, minutes: int, target: float
) -> None:
    t = library.template(template_id)
    levels = [lv for lv in (level, level - 1, level + 1) if lv in LEVELS]
    pick = library.fit(t, levels, minutes, target)
    offered = [
        (abs(library.session_metrics(template_id, lv, m).tss - target), lv, m)
        for lv in levels
        for m in range(library.min_minutes(template_id, lv), minutes + 1)
        if m == library.min_minutes(template_id, lv) or m % 5 == 0
    ]
    if not offered:
        assert pick is None
        return
    assert pick is not None
    assert abs(pick.metrics.tss - target) == pytest.approx(min(offered)[0], abs=1e-9)


def test_a_short_slot_gets_a_lower_level_rather_than_nothing() -> None:
    pick = library.choose(BlockFocus.SWEET_SPOT, Role.KEY, 10, 45, 60, "indoor")
    assert pick is not None
    assert pick.level < 9 and pick.minutes <= 45


def test_nothing_fits_ten_minutes() -> None:
    assert library.choose(BlockFocus.THRESHOLD, Role.KEY, 5, 10, 20) is None


def test_rotation_turns_through_the_family() -> None:
    chosen = {
        library.choose(BlockFocus.VO2_MAX, Role.KEY, 5, 90, 90, "indoor", rotation=r)
        for r in range(8)
    }
    assert len({pick.template.id for pick in chosen if pick is not None}) >= 3


def test_a_higher_target_gets_a_longer_or_harder_workout() -> None:
    easy = library.choose(BlockFocus.AEROBIC_ENDURANCE, Role.SUPPORT, 5, 240, 60, "outdoor")
    hard = library.choose(BlockFocus.AEROBIC_ENDURANCE, Role.SUPPORT, 5, 240, 160, "outdoor")
    assert easy is not None and hard is not None
    assert easy.metrics.tss == pytest.approx(60, abs=5)
    assert hard.metrics.tss == pytest.approx(160, abs=8)
    assert hard.minutes > easy.minutes


def test_polarized_choices_stay_out_of_tempo() -> None:
    assert library.is_polarized("vo2-classic")
    assert library.is_polarized("end-steady")
    assert not library.is_polarized("tempo-steady")
    assert not library.is_polarized("ss-steady")
    assert library.choose(BlockFocus.TEMPO, Role.KEY, 5, 90, 80, polarized=True) is None
    pick = library.choose(BlockFocus.THRESHOLD, Role.KEY, 5, 90, 80, polarized=True)
    assert pick is not None
    assert pick.metrics.zone_seconds[2] == 0


def test_specialties_are_only_chosen_when_asked_for() -> None:
    general = library.templates(BlockFocus.VO2_MAX, Role.KEY)
    assert all(t.specialty is None for t in general)
    opener = library.choose(None, Role.KEY, 5, 60, 40, specialty=Specialty.OPENER)
    assert opener is not None and opener.template.specialty is Specialty.OPENER

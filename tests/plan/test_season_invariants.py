"""The bar of issue 4: invariants of whole placed seasons, over a grid.

4 strategies × 2 rhythms × runways of 4, 8, 12, 16, 24, 36 and 52 weeks × 3 weekly
grids (one of a 4 h/week athlete) = 168 seasons. Every figure is computed here from the
*placed* workouts — fitness from their TSS, zones from their AWP documents — never
taken from the plan's own projection. Each case is named ``STRATEGY-rhythm-Nw-grid`` so
a failure says which season broke which rule.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import pytest

from wattz.awp.metrics import workout_metrics
from wattz.awp.validate import validate_document
from wattz.plan.domain import (
    Availability,
    BlockType,
    DaySlot,
    Discipline,
    Event,
    Priority,
    Rhythm,
    Role,
    Strategy,
    WeekPlan,
)
from wattz.plan.fitness import FitnessDay, daily_totals, fitness_series
from wattz.plan.placement import MIN_SESSION_MINUTES, opener_tss
from wattz.plan.season import Season, build_season
from wattz.plan.skeleton import tsb_outside_rule

EVENT = dt.date(2027, 10, 3)  # a Sunday
DAY = dt.timedelta(days=1)
ORDER = [
    BlockType.PREP,
    BlockType.BASE,
    BlockType.BUILD,
    BlockType.PEAK,
    BlockType.RACE,
    BlockType.TRANSITION,
]


def grid(*minutes: int, venues: str = "") -> Availability:
    kinds = {"i": "indoor", "o": "outdoor", "a": "any"}
    return Availability(
        tuple(
            DaySlot(m, kinds[venues[i]] if venues else "any")  # type: ignore[arg-type]
            for i, m in enumerate(minutes)
        )
    )


@dataclass(frozen=True)
class Athlete:
    availability: Availability
    start_ctl: float


ATHLETES = {
    # Weeknights indoors, weekends outdoors: 6 h and a CTL in the mid-thirties.
    "6h": Athlete(grid(0, 60, 60, 0, 60, 120, 60, venues="aiiaioo"), 35),
    "10h": Athlete(grid(0, 90, 60, 90, 0, 180, 180), 50),
    # The 4 h/week athlete: an hour on two weeknights and on both weekend days.
    "4h": Athlete(grid(0, 60, 0, 60, 0, 60, 60), 25),
}
RUNWAYS = (4, 8, 12, 16, 24, 36, 52)
CASES = list(itertools.product(Strategy, Rhythm, RUNWAYS, ATHLETES))


def case_id(case: tuple[Strategy, Rhythm, int, str]) -> str:
    strategy, rhythm, weeks, athlete = case
    return f"{strategy.value}-{rhythm.value}-{weeks}w-{athlete}"


@dataclass(frozen=True)
class Built:
    season: Season
    weeks: int
    fitness: dict[dt.date, FitnessDay]
    """From the placed sessions' TSS, start to event day."""

    @property
    def short(self) -> bool:
        return self.weeks < 8

    def placed_tss(self, week: WeekPlan) -> float:
        return sum(s.tss for s in self.season.sessions_in(week))

    def loading_weeks(self) -> Iterator[WeekPlan]:
        """Weeks before the event, TRANSITION excluded."""
        return (w for w in self.season.weeks if w.block_type is not BlockType.TRANSITION)


@cache
def built(strategy: Strategy, rhythm: Rhythm, weeks: int, athlete: str) -> Built:
    profile = ATHLETES[athlete]
    start = EVENT - (7 * weeks - 1) * DAY
    season = build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        availability=profile.availability,
        today=start,
        strategy=strategy,
        rhythm=rhythm,
        start_ctl=profile.start_ctl,
    )
    daily = daily_totals((s.date, s.tss) for s in season.sessions)
    series = fitness_series(daily, start, EVENT, profile.start_ctl)
    return Built(season, weeks, {day.date: day for day in series})


@cache
def findings(document: str) -> list[str]:
    """Validation findings of one AWP document (seasons share many documents)."""
    return [str(finding) for finding in validate_document(document).findings]


# --- the invariants, each a check on one built season ----------------------------------


def check_blocks_come_in_order(case: Built) -> None:
    ranks = [ORDER.index(block.type) for block in case.season.blocks]
    assert ranks == sorted(ranks)
    assert case.season.blocks[-1].type is BlockType.RACE
    if not case.short:
        types = {block.type for block in case.season.blocks}
        assert BlockType.BASE in types and types & {BlockType.BUILD, BlockType.PEAK}


def check_recovery_comes_on_time_and_carries_50_to_65_percent(case: Built) -> None:
    loading = case.season.settings.rhythm.loading_weeks
    run = 0
    previous: WeekPlan | None = None
    for week in case.loading_weeks():
        counted = week.block_type not in (BlockType.PREP, BlockType.RACE)
        if week.is_recovery:
            run = 0
            assert previous is not None and not previous.is_recovery
            share = case.placed_tss(week) / case.placed_tss(previous)
            assert 0.50 <= share <= 0.65, f"recovery week {week.start}: {share:.0%}"
        elif counted:
            run += 1
            assert run <= loading, f"{run} loading weeks in a row by {week.start}"
        previous = week


def check_projected_ramp_never_exceeds_the_chosen_rate(case: Built) -> None:
    ramp = case.season.ramp
    before = case.season.start_ctl
    for week in case.loading_weeks():
        after = case.fitness[min(week.start + 6 * DAY, EVENT)].ctl
        assert after - before <= ramp + 1e-9, f"week {week.start}: +{after - before:.2f}"
        before = after


def check_each_week_lands_within_10_percent_of_its_target(case: Built) -> None:
    for week in case.season.weeks:
        placed = case.placed_tss(week)
        assert abs(placed - week.tss_target) <= 0.10 * week.tss_target, (
            f"week {week.start}: placed {placed:.0f} for a target of {week.tss_target}"
        )


def check_every_workout_fits_its_day(case: Built) -> None:
    grid = case.season.availability
    for session in case.season.sessions:
        slot = grid.slot_on(session.date)
        assert session.duration_s <= slot.minutes * 60, session.date
        assert session.date != EVENT


def check_no_key_days_back_to_back(case: Built) -> None:
    keys = sorted(s.date for s in case.season.sessions if s.role is Role.KEY)
    for first, second in itertools.pairwise(keys):
        assert (second - first).days > 1, f"key days {first} and {second}"


def check_event_day_form(case: Built) -> None:
    morning = case.fitness[EVENT]
    if case.short:
        assert morning.tsb > 0
        return
    peak = max(day.ctl for date, day in case.fitness.items() if date < EVENT)
    assert 5 <= morning.tsb <= 25
    assert case.fitness[EVENT - DAY].ctl >= 0.90 * peak


def check_polarized_weeks_keep_75_percent_in_z1_z2_and_10_percent_at_most_in_z3(
    case: Built,
) -> None:
    if case.season.settings.strategy is not Strategy.POLARIZED:
        return
    for week in case.season.weeks:
        zones = [0.0] * 7
        for session in case.season.sessions_in(week):
            seconds = workout_metrics(session.workout).zone_seconds
            zones = [a + b for a, b in zip(zones, seconds, strict=True)]
        total = sum(zones)
        if total:
            assert (zones[0] + zones[1]) / total >= 0.75, week.start
            assert zones[2] / total <= 0.10, week.start


def check_every_awp_document_is_valid(case: Built) -> None:
    for session in case.season.sessions:
        assert findings(session.workout.to_json()) == [], session.date
        assert session.workout.meta.total_duration_seconds == session.duration_s


CHECKS = (
    check_blocks_come_in_order,
    check_recovery_comes_on_time_and_carries_50_to_65_percent,
    check_projected_ramp_never_exceeds_the_chosen_rate,
    check_each_week_lands_within_10_percent_of_its_target,
    check_every_workout_fits_its_day,
    check_no_key_days_back_to_back,
    check_event_day_form,
    check_polarized_weeks_keep_75_percent_in_z1_z2_and_10_percent_at_most_in_z3,
    check_every_awp_document_is_valid,
)


@pytest.mark.parametrize("params", CASES, ids=[case_id(c) for c in CASES])
def test_the_placed_season_keeps_every_invariant(
    params: tuple[Strategy, Rhythm, int, str],
) -> None:
    """One test per season (each test costs a temporary home): every check runs, and
    a failure lists each broken invariant by name with its first finding."""
    case = built(*params)
    broken = []
    for check in CHECKS:
        try:
            check(case)
        except AssertionError as error:
            first = str(error).splitlines()[0] if str(error) else "failed"
            broken.append(f"{check.__name__.removeprefix('check_')}: {first}")
    assert not broken, "\n".join(broken)


# --- beyond the grid ------------------------------------------------------------------------


def test_the_openers_placed_are_the_session_the_taper_was_projected_with() -> None:
    """The skeleton projects the openers' day with ``opener_tss``; placement must put
    exactly that session there, or event-day TSB drifts (~0.12 per TSS on the eve)."""
    for params in [c for c in CASES if c[2] in (8, 24)]:
        season = built(*params).season
        week = season.weeks[-1]
        opener = next(s for s in season.sessions_in(week) if s.date == EVENT - DAY)
        slot = season.availability.slot_on(opener.date)
        projected = opener_tss(Discipline.ROAD, slot, season.settings.strategy, week.tss_target)
        assert projected is not None and opener.tss == pytest.approx(projected, abs=0.05)
        assert "Openers" in opener.workout.meta.title


def test_no_workout_is_shorter_than_30_minutes() -> None:
    """A 15-minute spin on a leftover slot is not worth getting changed for: such a day
    rests and the week's TSS goes elsewhere (the grid keeps its ±10 %)."""
    short = [
        (case_id(params), s.date, s.workout.meta.title)
        for params in CASES
        for s in built(*params).season.sessions
        if s.duration_s < MIN_SESSION_MINUTES * 60
    ]
    assert MIN_SESSION_MINUTES == 30
    assert short == []


def test_the_4h_athletes_event_day_form_keeps_a_margin_inside_the_rule() -> None:
    """The 4 h/week athlete's window is narrow (CTL ≥ 90 % of a low plateau allows
    TSB of about +6…+7 at best, with the eve's openers): openers projected as placed
    and the last taper week re-aimed on its placed workouts keep TSB clear of +5 (it
    reached +5.04 before). CTL still sits near 90 % of the peak: there the taper trades
    the last of its CTL margin for TSB."""
    for params in [c for c in CASES if c[3] == "4h" and c[2] >= 8]:
        case = built(*params)
        peak = max(day.ctl for date, day in case.fitness.items() if date < EVENT)
        assert case.fitness[EVENT].tsb >= 5.25, case_id(params)
        assert case.fitness[EVENT - DAY].ctl >= 0.90 * peak, case_id(params)


def test_b_and_c_events_have_no_workout_and_only_openers_in_their_mini_taper() -> None:
    start = EVENT - (7 * 16 - 1) * DAY
    b_day, c_day = EVENT - 8 * 7 * DAY, EVENT - 4 * 7 * DAY - DAY  # a Sunday, a Saturday
    season = build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        availability=ATHLETES["10h"].availability,
        today=start,
        start_ctl=45,
        other_events=[Event("B race", b_day, Priority.B), Event("C race", c_day, Priority.C)],
    )
    dates = {s.date: s for s in season.sessions}
    assert b_day not in dates and c_day not in dates and EVENT not in dates
    for event_day, light in ((b_day, 3), (c_day, 2)):
        mini_taper = [
            dates[d] for d in (event_day - n * DAY for n in range(1, light + 1)) if d in dates
        ]
        keys = [s for s in mini_taper if s.role is Role.KEY]
        assert len(keys) <= 1 and all("Openers" in s.workout.meta.title for s in keys), keys
    week = next(w for w in season.weeks if w.start <= b_day <= w.start + 6 * DAY)
    assert {b_day - DAY, b_day - 2 * DAY, b_day - 3 * DAY} <= set(week.light_days)


def with_b_and_c_races(athlete: str) -> tuple[Season, dt.date, dt.date]:
    """16 weeks to the A race, a B road race ending week 8 (a Sunday) and a C road
    race on the Saturday of week 12."""
    start = EVENT - (7 * 16 - 1) * DAY
    b_day, c_day = EVENT - 8 * 7 * DAY, EVENT - 4 * 7 * DAY - DAY
    season = build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        availability=ATHLETES[athlete].availability,
        today=start,
        start_ctl=ATHLETES[athlete].start_ctl,
        other_events=[Event("B race", b_day, Priority.B), Event("C race", c_day, Priority.C)],
    )
    return season, b_day, c_day


def week_of(season: Season, day: dt.date) -> WeekPlan:
    return next(w for w in season.weeks if w.start <= day <= w.start + 6 * DAY)


def is_plain_loading(week: WeekPlan) -> bool:
    return not (week.is_recovery or week.is_taper or week.race_tss) and week.block_type in (
        BlockType.BASE,
        BlockType.BUILD,
        BlockType.PEAK,
    )


def test_a_b_or_c_race_is_load_and_its_week_carries_about_70_percent_of_a_loading_week() -> None:
    """Issue 4: the race counts (road ≈ 3.5 h at IF 0.82 ≈ 235 TSS) and its week, race
    included, lands 20–40 % under the loading weeks around it — not ~50 % under, as
    when the race was a blank day; the workouts carry ``tss_target`` on their own."""
    season, b_day, c_day = with_b_and_c_races("10h")
    weeks = list(season.weeks)
    for race_day in (b_day, c_day):
        week = week_of(season, race_day)
        assert week.race_tss == Event("x", race_day, Priority.B).expected_tss == 235
        assert not week.is_recovery, "the case is a race in a loading week"
        placed = sum(s.tss for s in season.sessions_in(week))
        assert abs(placed - week.tss_target) <= 0.10 * week.tss_target
        index = weeks.index(week)
        before = next(w for w in reversed(weeks[:index]) if is_plain_loading(w))
        after = next(w for w in weeks[index + 1 :] if is_plain_loading(w))
        around = (
            sum(s.tss for s in season.sessions_in(before))
            + sum(s.tss for s in season.sessions_in(after))
        ) / 2
        share = (placed + week.race_tss) / around
        assert 0.60 <= share <= 0.80, f"race week {week.start}: {share:.0%} of {around:.0f}"
        # The projection carries the race on its day (no workout there): the day's CTL
        # moves by (race TSS − CTL) / 42.
        ctl = {d.date: d.ctl for d in season.projection}
        eve = ctl[race_day - DAY]
        assert ctl[race_day] - eve == pytest.approx((week.race_tss - eve) / 42)


def test_a_race_day_has_no_workout_and_the_days_before_it_ride_lighter() -> None:
    """The mini-taper: the 2–3 days before a B/C race carry less than the same weekdays
    of the next plain loading week (openers, not the week's big sessions)."""
    season, b_day, c_day = with_b_and_c_races("10h")
    weeks = list(season.weeks)
    for race_day, light in ((b_day, 3), (c_day, 2)):
        week = week_of(season, race_day)
        normal = next(w for w in weeks[weeks.index(week) + 1 :] if is_plain_loading(w))
        tss = {s.date: s.tss for s in season.sessions}
        assert race_day not in tss
        taper = [race_day - n * DAY for n in range(1, light + 1)]
        same = [d + (normal.start - week.start) for d in taper]
        mini, plain = sum(tss.get(d, 0.0) for d in taper), sum(tss.get(d, 0.0) for d in same)
        assert 0 < mini < plain, f"{race_day}: {mini:.0f} before the race, {plain:.0f} normally"


def test_a_race_that_outweighs_a_week_leaves_only_its_openers() -> None:
    """The 4 h/week athlete: a 235-TSS road race is more than the week's riding, so the
    week is the openers and the race (no filler sessions on top), and the race is still
    projected as load."""
    season, b_day, c_day = with_b_and_c_races("4h")
    for race_day in (b_day, c_day):
        week = week_of(season, race_day)
        sessions = season.sessions_in(week)
        assert [s.workout.meta.title.split(":")[0] for s in sessions] == ["Openers"]
        assert 0 < week.tss_target < 0.25 * week.race_tss


def season_with_a_c_race(athlete: str, days_before: int, weeks: int = 24) -> Season:
    profile = ATHLETES[athlete]
    start = EVENT - (7 * weeks - 1) * DAY
    others = [Event("Club race", EVENT - days_before * DAY, Priority.C)] if days_before else []
    return build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        other_events=others,
        availability=profile.availability,
        today=start,
        start_ctl=profile.start_ctl,
    )


@pytest.mark.parametrize("days_before", [6, 9])
def test_a_race_that_crowds_the_taper_is_named_in_the_feasibility_line(days_before: int) -> None:
    """The 4 h/week athlete cannot absorb a 235-TSS road race in the taper's last two
    weeks: event-day form misses the rule. The same hours without the race meet it, so
    the line blames the race and says what to do — not 'the closest these hours allow'."""
    assert "misses" not in (season_with_a_c_race("4h", 0).feasibility or "")
    line = season_with_a_c_race("4h", days_before).feasibility or ""
    race_day = (EVENT - days_before * DAY).isoformat()
    assert f"the C race 'Club race' on {race_day} ({days_before} days before)" in line
    assert "too little room — ride it as a short tune-up, or drop it" in line
    assert "the closest these hours allow" not in line


@pytest.mark.parametrize("days_before", [6, 9, 13])
def test_a_short_race_in_the_taper_leaves_event_day_form_inside_the_rule(
    days_before: int,
) -> None:
    """The same 4 h/week athlete with a one-hour criterium instead of a 3.5-hour road race:
    67 TSS, which the taper absorbs — the length the athlete gives is the load counted."""
    profile = ATHLETES["4h"]
    start = EVENT - (7 * 24 - 1) * DAY
    crit = Event("Crit", EVENT - days_before * DAY, Priority.C, hours=1.0)
    assert crit.expected_tss == 67
    season = build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        other_events=[crit],
        availability=profile.availability,
        today=start,
        start_ctl=profile.start_ctl,
    )
    assert "misses" not in (season.feasibility or "")
    daily = daily_totals([*((s.date, s.tss) for s in season.sessions), (crit.date, 67.0)])
    fitness = {d.date: d for d in fitness_series(daily, start, EVENT, profile.start_ctl)}
    assert 5 <= fitness[EVENT].tsb <= 25


def test_a_race_far_from_the_event_is_not_blamed() -> None:
    line = season_with_a_c_race("4h", 60).feasibility or ""
    assert "Club race" not in line


def test_a_tsb_a_hair_outside_the_rule_is_not_printed_as_inside_it() -> None:
    assert tsb_outside_rule(4.987, 5, 25) == "+4.99"
    assert tsb_outside_rule(4.96, 5, 25) == "+4.96"
    assert tsb_outside_rule(4.996, 5, 25) == "+4.99"  # rounded away from the rule
    assert tsb_outside_rule(25.004, 5, 25) == "+25.01"
    assert tsb_outside_rule(3.2, 5, 25) == "+3"
    assert tsb_outside_rule(25.3, 5, 25) == "+25.3"
    assert tsb_outside_rule(-0.3, 0.01, 25) == "-0"  # short runways: above 0, at most +25
    assert tsb_outside_rule(26.2, 0.01, 25) == "+26"


def test_several_crowding_races_name_the_nearest_and_the_line_fits_its_column() -> None:
    """Two long-named races in the last three weeks: the line names the nearest (its name
    cut), counts the other, and stays within the 400 characters the store keeps."""
    profile = ATHLETES["4h"]
    start = EVENT - (7 * 24 - 1) * DAY
    long_name = "Grand Prix " + "x" * 109
    season = build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        other_events=[
            Event(long_name, EVENT - 20 * DAY, Priority.B),
            Event(long_name + " 2", EVENT - 9 * DAY, Priority.C),
        ],
        availability=profile.availability,
        today=start,
        start_ctl=profile.start_ctl,
    )
    line = season.feasibility or ""
    assert f"the C race 'Grand Prix {'x' * 28}…' on {(EVENT - 9 * DAY).isoformat()}" in line
    assert "(9 days before) and 1 other race before it leave the taper too little room" in line
    assert len(line) <= 400


def test_a_mid_week_start_places_nothing_before_it() -> None:
    start = EVENT - (7 * 12 - 4) * DAY
    season = build_season(
        start=start,
        event=Event("A race", EVENT, Priority.A),
        availability=ATHLETES["6h"].availability,
        today=start,
    )
    assert season.weeks[0].start < start
    assert min(s.date for s in season.sessions) >= start
    assert season.skeleton.settings.start_ctl_estimated


def test_a_season_is_a_value_the_store_can_keep() -> None:
    first = built(Strategy.LINEAR, Rhythm.THREE_ONE, 12, "6h").season
    again = build_season(
        start=first.settings.start,
        event=first.settings.target,
        availability=ATHLETES["6h"].availability,
        today=first.settings.start,
        start_ctl=first.start_ctl,
    )
    assert again.sessions == first.sessions and again.blocks == first.blocks
    days = [s.date for s in first.sessions]
    assert days == sorted(days) and len(days) == len(set(days))
    assert first.ramp == first.settings.ramp and first.start_ctl == 35
    assert first.feasibility is None or first.feasibility.startswith(("race-day", "event-day"))
    assert sum(len(first.sessions_in(w)) for w in first.weeks) == len(first.sessions)

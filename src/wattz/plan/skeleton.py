"""The season skeleton: the weeks from a plan's start to its A event, grouped into blocks
per strategy, each week with a TSS and a volume target — before any workout is chosen.

The rules are DESIGN.md's "Coaching rules", followed to the letter:

- Order PREP → BASE → BUILD → PEAK/specialty → RACE (taper) → TRANSITION. Runways of
  8 weeks or more are cut into mesocycles of rhythm length (3:1 → 4 weeks, 2:1 → 3) and
  always hold BASE and BUILD (or PEAK) weeks; shorter runways use 1-week blocks.
- Rhythm: at most 3 (or 2) loading weeks before a recovery week, counted across block
  boundaries from the first week after PREP until the RACE block. The cycles are laid
  back from the taper, so the taper starts from the top of a full run of loading weeks.
  A recovery week carries 50–65 % of the previous loading week's TSS.
- A loading week's TSS raises projected CTL by the ramp, capped by what the week's
  available hours can carry (hours × IF_cap² × 100, a day's hours beyond 90 minutes at
  endurance IF); the projected ramp never exceeds the chosen rate, and when the cap
  binds the plan says so in a feasibility line.
- The taper (RACE block: two weeks, or one on short runways and for plans that plateau
  at their cap) cuts volume 40–60 % and brings TSB to +5…+25 on event day with CTL
  ≥ 90 % of its peak (TSB > 0 on runways under 8 weeks).
- B and C events get a 2–3 day mini-taper (about −30 %) with that week's target lowered
  to match; their day, like the A event's, is not a workout, but the race is load: its
  expected TSS (``Event.expected_tss``) is projected on its day, so a loading week
  holding one carries about 70 % of a normal week race included (``WeekPlan.race_tss``
  beside the workouts' ``tss_target``), and a recovery week the recovery share.

Weeks are counted back from the A event: the last week is the seven days ending on the
event day, so the taper is whole weeks and the week containing the event ends the plan's
loading. For the usual Sunday event the weeks run Monday–Sunday. A plan that starts
mid-week keeps a partial first week (a PREP week): its days before the start carry no
availability.

Projections spread each week's TSS over its riding days in proportion to their available
minutes (less on mini-taper days, falling towards the event in its week, openers last)
and run through ``wattz.plan.fitness``. The same engine (``realize``), fed with placed
workouts instead of the spread, builds the season (``wattz.plan.season``): each week's
target then follows from what the workouts before it left, and every rule is checked on
what is placed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Protocol

from wattz.errors import InvalidValue
from wattz.plan.domain import (
    Availability,
    BlockFocus,
    BlockPlan,
    BlockType,
    DaySlot,
    Discipline,
    Event,
    Priority,
    Rhythm,
    Strategy,
    WeekPlan,
)
from wattz.plan.fitness import (
    ATL_TIME_CONSTANT_DAYS,
    CTL_TIME_CONSTANT_DAYS,
    FitnessDay,
    fitness_series,
)
from wattz.plan.placement import MIN_SESSION_MINUTES, opener_tss

# --- the ramp -------------------------------------------------------------------------

RAMP_FLOOR_CTL_PER_WEEK = 3.0
RAMP_CEILING_CTL_PER_WEEK = 5.0
"""The default ramp min(5, 3 + 0.1 × (70 − CTL)) is clamped to 3–5 (DESIGN.md)."""
RAMP_PIVOT_CTL = 70.0
RAMP_SLOPE = 0.1
MIN_RAMP_CTL_PER_WEEK = 1.0
"""Below one CTL a week a plan only maintains; ask for a maintenance plan instead."""
MAX_RAMP_CTL_PER_WEEK = 8.0
"""The most an athlete may choose (DESIGN.md); beyond it overreaching is the plan."""
PREP_RAMP_SHARE = 0.5
"""PREP weeks bring back the habit at half the ramp before the counted loading starts."""
MAX_START_CTL = 200.0
"""Above a Grand Tour rider's CTL (~150–180): a typo, not an athlete."""

# --- what the available hours can carry -----------------------------------------------

IF_CAP: Mapping[BlockType, float] = {
    BlockType.PREP: 0.62,
    BlockType.BASE: 0.70,
    BlockType.BUILD: 0.75,
    BlockType.PEAK: 0.75,
    BlockType.RACE: 0.75,
    BlockType.TRANSITION: 0.60,
}
"""Highest mean intensity factor an hour of a week is planned at: the weekly TSS cap is
hours × IF_cap² × 100 (DESIGN.md: ≈ 0.70 in BASE, 0.75 in BUILD/PEAK). PREP weeks are
endurance only, ridden at most in the middle of Z2."""
POLARIZED_IF_CAP = 0.72
"""POLARIZED weeks keep ≥ 75 % of their riding in Z1–Z2 and ≤ 10 % in Z3 (DESIGN.md):
with a quarter of the time hard at most, an hour of such a week carries IF ≈ 0.72, not
0.75, once warm-ups and recoveries are counted as the easy time they are."""
LONG_RIDE_AFTER_MINUTES = 90
LONG_RIDE_IF_CAP = 0.65
"""A day's riding beyond 90 minutes is endurance riding: intervals fit in the first 90
minutes, the rest of a long ride is Z2 (IF ≈ 0.65, the built-in long rides' ceiling).
Without this a week of long weekend slots would be asked for TSS no week of real
workouts carries — a 10 h week with two 3 h rides tops out near IF 0.70, not 0.75."""

RECOVERY_IF = 0.60
TAPER_IF = 0.74
TRANSITION_IF = 0.58
NOMINAL_IF: Mapping[BlockType, float] = {
    BlockType.PREP: 0.60,
    BlockType.BASE: 0.68,
    BlockType.BUILD: 0.72,
    BlockType.PEAK: 0.72,
    BlockType.RACE: TAPER_IF,
    BlockType.TRANSITION: TRANSITION_IF,
}
"""Typical intensity factor of a week, used to turn its TSS into minutes: recovery
weeks are mostly Z1–Z2, taper weeks keep their race-pace efforts over less riding."""

# --- starting CTL without history ------------------------------------------------------

GRID_SHARE_RIDDEN = 0.6
"""With no ride history, assume the athlete now rides about 60 % of the time they offer…"""
GRID_HABITUAL_IF = 0.65
"""…at endurance intensity. A deliberately cautious guess: ramping from too low a CTL
costs a little fitness, from too high a CTL it costs the athlete."""

# --- rhythm, recovery, taper -----------------------------------------------------------

RECOVERY_SHARE = 0.575
RECOVERY_SHARE_RANGE = (0.50, 0.65)
"""A recovery week carries 50–65 % of the previous loading week's TSS (DESIGN.md); the
plan aims at the middle."""

SHORT_RUNWAY_MAX_WEEKS = 7
"""Runways of up to 7 weeks use 1-week blocks and a one-week taper (DESIGN.md)."""
MIN_RUNWAY_DAYS = 13
"""Two weeks including the event day: one loading week and the taper week."""
MAX_RUNWAY_WEEKS = 52
PREP_MIN_RUNWAY_WEEKS = 12
"""Runways this long start with a PREP week even when the first week is whole."""
TAPER_WEEKS_LONG_RUNWAY = (2, 1)
"""A long runway's RACE block is two weeks (14 days, the event day last: DESIGN.md's
7–14), or one when two cannot keep CTL ≥ 90 % of its peak — a plan that plateaus at its
hours cap has no ramp to taper from. A short runway's is the event week (7 days: 5–7)."""
MAX_TRANSITION_WEEKS = 4

TSB_WINDOW = (5.0, 25.0)
"""Event-day TSB (DESIGN.md; Coggan/Allen's race-ready range)."""
SHORT_RUNWAY_MIN_TSB = 0.0
"""Runways under 8 weeks only need to arrive fresh (TSB > 0)."""
TSB_AIM = 15.0
AIM_MARGIN = 5.0
CTL_MARGIN_WEIGHT = CTL_TIME_CONSTANT_DAYS / ATL_TIME_CONSTANT_DAYS
"""The taper aims at the middle of the rule's window, not at its edges, so placed
workouts that land a few TSS off their targets (or a skipped opener) still arrive in
it. Its margin is the least of TSB − 5, 25 − TSB and the CTL above 90 % of the peak,
the last weighted by 6: a TSS misplaced moves TSB about six times as much as CTL
(time constants 7 and 42 days). The taper takes the largest margin up to 5 (TSB
+10…+20 with room on CTL), then TSB nearest +15. An athlete on few hours has a narrow
window: from a plateau at CTL 28, CTL ≥ 90 % of the peak allows TSB of about +10 at
most, and the middle of what is possible is TSB ≈ +8 with CTL ≈ 92 %."""
AIM_MISS_WEIGHT = 1e-3
"""A last taper week inside the rule but short of the aim is retried for it; that miss
counts at most this much, and a broken rule at least this much more, so a retry never
trades the rule for the aim."""
PEAK_CTL_SHARE = 0.90
LAST_WEEK_STEPS = 200
"""The last taper week's corrected target is searched on this many steps of its TSS."""
TAPER_VOLUME_SHARE = (0.40, 0.60)
"""The taper keeps 40–60 % of the last loading week's volume (a cut of 40–60 %, Bosquet
et al. 2007, Med Sci Sports Exerc 39:1358; intensity is kept)."""
TAPER_FRACTIONS = tuple(0.10 + 0.10 * step for step in range(10))
"""Candidate taper weeks as fractions of the last loading week's TSS (0.1–1.0; the last
week's target is then refined continuously once its predecessors are known). A
two-week taper may keep the first week whole and cut the event week hard (a step
taper): for an athlete on few hours whose CTL still climbs into the taper, it is the
only shape that keeps CTL ≥ 90 % of its peak and still arrives fresh."""
FINAL_STRETCH_RAMP_SHARES = (1.0, 0.75, 0.5, 0.25, 0.0)
FINAL_STRETCH_CAP_FLOOR = 0.8
"""When no taper can bring the athlete fresh enough, the loading weeks right before it
ramp at these shares of the chosen rate, and those held by the hours cap ride a little
under it (at share 0, 80 % of the cap): the largest share that works is kept. Arriving
at the taper less fatigued is the only way some short, steep plans — and athletes on
few hours — can end fresh with CTL ≥ 90 % of its peak."""

MINI_TAPER_DAYS: Mapping[Priority, int] = {Priority.A: 3, Priority.B: 3, Priority.C: 2}
MINI_TAPER_KEEP = 0.70
"""B/C events: the 2–3 days before them carry about 30 % less (DESIGN.md), and a loading
week holding such a race carries about 70 % of a normal one, the race's own load
(``Event.expected_tss``) included: the workouts take what is left, never less than the
race's openers (a low-hours athlete's race may outweigh a whole normal week)."""
OPENER_DAYS = 2
OPENER_MINUTES = 45
OPENER_WEIGHT = 0.5
"""The two days before the A event carry openers only (DESIGN.md: openers 1–2 days
before): at most 45 minutes, mostly easy with a few brief race-pace efforts, so the
projection gives such a day half the TSS per minute of the week's other riding."""
EVENT_WEEK_FULL_DAYS = 5
"""In the event week, days five or more before the event carry their full share; nearer
the event the share falls linearly to the openers' (a progressive taper: Mujika &
Padilla 2003, Med Sci Sports Exerc 35:1182)."""
TRANSITION_SHARE = 0.40
"""A transition week rides 40 % of the last loading week, easy."""

TSS_TOLERANCE = 0.10
"""A week's workouts carry its TSS target within ±10 % (issue 4)."""
RETRIES = 3
"""Attempts to bring a realized week inside its rule before accepting the closest."""
_EPSILON = 1e-6
_DAY = dt.timedelta(days=1)
_CTL_KEEP = 1 - 1 / CTL_TIME_CONSTANT_DAYS
_ATL_KEEP = 1 - 1 / ATL_TIME_CONSTANT_DAYS

SPECIALTY_FOCUS: Mapping[Discipline, BlockFocus] = {
    Discipline.ROAD: BlockFocus.VO2_MAX,
    Discipline.GRAVEL: BlockFocus.THRESHOLD,
    Discipline.MTB: BlockFocus.ANAEROBIC_CAPACITY,
    Discipline.TT: BlockFocus.THRESHOLD,
}
"""The PEAK (specialty) block's focus by discipline: surges for road, sustained power
for gravel and time trials, repeated short efforts for mountain biking."""


class WeekKind(StrEnum):
    """What a week does in the rhythm."""

    PREP = "prep"
    LOADING = "loading"
    RECOVERY = "recovery"
    TAPER = "taper"
    TRANSITION = "transition"


@dataclass(frozen=True)
class WeekSpec:
    """One week of the layout: its place in the season, before any number is put on it."""

    start: dt.date
    """First day of the 7-day microcycle."""
    first_day: dt.date
    """First day the plan covers: later than ``start`` only in a partial first week."""
    kind: WeekKind
    block_type: BlockType
    focus: BlockFocus
    number: int
    loading_index: int
    ramp_share: float = 0.0
    """Share of the chosen ramp this week aims at (loading and PREP weeks)."""

    @property
    def end(self) -> dt.date:
        return self.start + 6 * _DAY

    @property
    def days(self) -> tuple[dt.date, ...]:
        count = (self.end - self.first_day).days + 1
        return tuple(self.first_day + offset * _DAY for offset in range(count))


@dataclass(frozen=True)
class BlockSpec:
    """One mesocycle of the layout."""

    order: int
    name: str
    type: BlockType
    focus: BlockFocus
    progression: str
    weeks: tuple[WeekSpec, ...]


@dataclass(frozen=True)
class Form:
    """Fitness on the morning of a day: the loads of the evening before."""

    date: dt.date
    ctl: float
    atl: float

    @property
    def tsb(self) -> float:
        return self.ctl - self.atl


@dataclass(frozen=True)
class Feasibility:
    """Whether the chosen ramp fits the athlete's hours, in numbers and in words."""

    weekly_hours: float
    ramp: float
    uncapped_ctl: float
    """Race-day CTL the chosen ramp would reach with unlimited time."""
    expected_ctl: float
    """Race-day CTL the plan projects."""
    line: str | None
    """Set when the hours cap binds: "race-day CTL 85 is out of reach with 6 h/week;
    expect 62". Not an error: the plan is still the best the hours allow."""

    @property
    def capped(self) -> bool:
        return self.line is not None


@dataclass(frozen=True)
class PlanSettings:
    """The validated inputs a season is built from."""

    start: dt.date
    target: Event
    events: tuple[Event, ...]
    strategy: Strategy
    rhythm: Rhythm
    ramp: float
    start_ctl: float
    start_atl: float
    start_ctl_estimated: bool
    transition_weeks: int
    specialty_focus: BlockFocus | None = None
    """The PEAK block's focus when the event's course asks for one (``wattz.plan.course``);
    None keeps the discipline's (``SPECIALTY_FOCUS``)."""

    @property
    def is_short(self) -> bool:
        return runway_weeks(self.start, self.target.date) <= SHORT_RUNWAY_MAX_WEEKS


@dataclass(frozen=True)
class Realization:
    """Weeks with their targets and the daily TSS that fills them (spread or placed)."""

    blocks: tuple[BlockPlan, ...]
    daily_tss: Mapping[dt.date, float]
    projection: tuple[FitnessDay, ...]
    """Start to event day, then any transition weeks."""
    event_day: Form
    peak_ctl: float
    """Highest projected CTL from the start (or ``peak_from``) to the eve of the event: the
    peak the taper keeps 90 % of."""

    @property
    def weeks(self) -> tuple[WeekPlan, ...]:
        return tuple(week for block in self.blocks for week in block.weeks)


@dataclass(frozen=True)
class Skeleton:
    """The season before workouts: settings, layout, targets, projection, feasibility."""

    settings: PlanSettings
    availability: Availability
    """The athlete's grid with zero minutes on days no workout may go: before the
    start, and every event day."""
    light_days: frozenset[dt.date]
    """Mini-taper days before B/C events."""
    opener_days: frozenset[dt.date]
    """The days before the A event that carry openers only."""
    layout: tuple[BlockSpec, ...]
    realization: Realization
    feasibility: Feasibility

    @property
    def blocks(self) -> tuple[BlockPlan, ...]:
        return self.realization.blocks

    @property
    def weeks(self) -> tuple[WeekPlan, ...]:
        return self.realization.weeks

    @property
    def event_day(self) -> Form:
        return self.realization.event_day

    @property
    def peak_ctl(self) -> float:
        return self.realization.peak_ctl


class WeekRealizer(Protocol):
    """Turns a week's targets into daily TSS: the proportional spread here, placed
    workouts in the season."""

    def realize(self, week: WeekPlan) -> Mapping[dt.date, float]:
        """Daily TSS for the week; called again with a corrected target when a rule is
        missed."""
        ...

    def keep(self, week: WeekPlan) -> None:
        """The attempt with this target is the one the plan keeps."""
        ...


# --- public helpers --------------------------------------------------------------------


ASPIRATIONAL_BUILD_WEEKS = 16
"""The feasibility line measures the hours against one build season at the chosen ramp,
not against a ramp compounded over a year that no coach would prescribe."""
ASPIRATIONAL_CTL_CEILING = 130.0
"""The highest race-day CTL the feasibility line ever names: a ramp held for a year would
promise numbers beyond a professional's (~120–150), which helps nobody plan."""


def default_ramp(ctl: float) -> float:
    """CTL/week a plan ramps at unless the athlete chooses: min(5, 3 + 0.1 × (70 − CTL))
    clamped to 3–5 (DESIGN.md): fitter athletes build more slowly."""
    raw = RAMP_FLOOR_CTL_PER_WEEK + RAMP_SLOPE * (RAMP_PIVOT_CTL - ctl)
    return min(RAMP_CEILING_CTL_PER_WEEK, max(RAMP_FLOOR_CTL_PER_WEEK, raw))


def estimate_start_ctl(availability: Availability) -> float:
    """Starting CTL guessed from the weekly grid when there is no ride history.

    Assumes the athlete rides ``GRID_SHARE_RIDDEN`` of the offered hours at IF
    ``GRID_HABITUAL_IF`` (TSS = hours × IF² × 100), steadily, so CTL is the daily mean.
    """
    hours = availability.weekly_minutes / 60
    weekly_tss = hours * GRID_SHARE_RIDDEN * GRID_HABITUAL_IF**2 * 100
    return round(weekly_tss / 7, 1)


def week_capacity_tss(
    day_minutes: Iterable[int], block_type: BlockType, strategy: Strategy = Strategy.LINEAR
) -> float:
    """The most TSS a week's riding days can carry: hours × IF_cap² × 100, each day's
    hours beyond 90 minutes at the long-ride cap."""
    cap = IF_CAP[block_type]
    if strategy is Strategy.POLARIZED:
        cap = min(cap, POLARIZED_IF_CAP)
    long_cap = min(cap, LONG_RIDE_IF_CAP)
    total = 0.0
    for minutes in day_minutes:
        short = min(minutes, LONG_RIDE_AFTER_MINUTES)
        total += short * cap**2 + (minutes - short) * long_cap**2
    return total / 60 * 100


def volume_minutes(tss: float, available_minutes: int, intensity_factor: float) -> int:
    """Minutes of riding that carry ``tss`` at a typical IF, never more than available."""
    if tss <= 0 or available_minutes <= 0:
        return 0
    minutes = tss / (intensity_factor**2 * 100) * 60
    return round(min(minutes, available_minutes))


def runway_weeks(start: dt.date, event_date: dt.date) -> int:
    """Weeks from the start to the event day, a partial first week counted whole."""
    return -(-((event_date - start).days + 1) // 7)


def build_skeleton(
    *,
    start: dt.date,
    event: Event,
    availability: Availability,
    today: dt.date,
    strategy: Strategy = Strategy.LINEAR,
    rhythm: Rhythm = Rhythm.THREE_ONE,
    ramp: float | None = None,
    start_ctl: float | None = None,
    start_atl: float | None = None,
    other_events: Sequence[Event] = (),
    transition_weeks: int = 0,
    specialty_focus: BlockFocus | None = None,
) -> Skeleton:
    """The season skeleton from ``start`` to the A event ``event``.

    ``ramp`` is CTL/week (default from the starting CTL, see ``default_ramp``; 1–8
    allowed); ``start_ctl`` and ``start_atl`` are the loads on the evening before the
    start (CTL estimated from the grid when unknown, ATL defaults to CTL).
    ``other_events`` may hold any goals: those strictly between the start and the target get a
    mini-taper, the rest are ignored. Raises InvalidValue for a past event, a start
    after the event, a runway under two weeks or over 52, a ramp or CTL out of range,
    or a grid with no riding day. ``specialty_focus`` replaces the discipline's focus of
    the PEAK (specialty) block, as the event's course asks (POLARIZED keeps VO2max).
    """
    settings = _settings(
        start=start,
        target=event,
        availability=availability,
        today=today,
        strategy=strategy,
        rhythm=rhythm,
        ramp=ramp,
        start_ctl=start_ctl,
        start_atl=start_atl,
        events=other_events,
        transition_weeks=transition_weeks,
        specialty_focus=specialty_focus,
    )
    options = (1,) if settings.is_short else TAPER_WEEKS_LONG_RUNWAY
    effective, light_days, opener_days = _effective_availability(settings, availability)
    context = _context(settings, effective, light_days, opener_days)
    best: _Outcome | None = None
    for race_weeks in options:
        outcome = _run(_layout(settings, race_weeks), context, _Spread(context), choose=True)
        if best is None or outcome.miss < best.miss:
            best = outcome
        if outcome.miss == (0.0, 0.0):
            break
    assert best is not None
    layout = best.layout
    realization = _finish(layout, best.state, context)
    uncapped_ctl = realization.event_day.ctl
    if best.capped:
        retained = best.event_day.ctl / (best.state.taper_start_ctl or 1.0)
        uncapped_ctl = min(
            _uncapped_taper_start_ctl(layout, context) * retained,
            settings.start_ctl + settings.ramp * ASPIRATIONAL_BUILD_WEEKS,
            ASPIRATIONAL_CTL_CEILING,
        )
    feasibility = assess_feasibility(
        settings, availability, realization.event_day, realization.peak_ctl, uncapped_ctl
    )
    return Skeleton(settings, effective, light_days, opener_days, layout, realization, feasibility)


RACE_CROWDING_DAYS = 28
"""B/C races this close before the A event are the first suspects when its taper misses."""


def misses_event_day(settings: PlanSettings, event_day: Form, peak_ctl: float) -> bool:
    """Whether event-day form lies outside the taper's rule."""
    return _event_miss(event_day, peak_ctl, settings.is_short, strict=True) > 0


def races_crowding_the_taper(
    settings: PlanSettings, event_day: Form, peak_ctl: float
) -> tuple[Event, ...]:
    """The B/C races within ``RACE_CROWDING_DAYS`` of the A event, when event-day form
    misses its rule (none otherwise): the suspects a season rebuilt without them tests."""
    if not misses_event_day(settings, event_day, peak_ctl):
        return ()
    first = settings.target.date - dt.timedelta(days=RACE_CROWDING_DAYS)
    return tuple(e for e in settings.events if first <= e.date < settings.target.date)


RACE_NAME_CHARS = 40
"""A race's name in the feasibility line is cut to this, so the line fits its column."""


def crowding_cause(races: Sequence[Event], target: Event) -> str:
    """Why the taper misses, when the same season without ``races`` would have met it:
    the race nearest the event is named, the others counted."""
    nearest = max(races, key=lambda race: race.date)
    days = (target.date - nearest.date).days
    name = nearest.name
    if len(name) > RACE_NAME_CHARS:
        name = name[: RACE_NAME_CHARS - 1] + "…"
    named = (
        f"the {nearest.priority.value} race {name!r} on {nearest.date.isoformat()} "
        f"({days} day{'s' if days != 1 else ''} before)"
    )
    if len(races) > 1:
        others = len(races) - 1
        named += f" and {others} other race{'s' if others > 1 else ''} before it"
        return f"{named} leave the taper too little room — ride them easy, or drop them"
    advice = (
        "ride it as openers, or drop it" if days <= 2 else "ride it as a short tune-up, or drop it"
    )
    return f"{named} leaves the taper too little room — {advice}"


def tsb_outside_rule(tsb: float, low: float, high: float) -> str:
    """TSB in as few decimals as show whether it lies outside ``low``…``high`` (4.99 is
    not "+5"); past two decimals it is rounded away from the rule."""
    inside = low <= tsb <= high
    for decimals in (0, 1, 2):
        if (low <= round(tsb, decimals) <= high) == inside:
            return f"{tsb:+.{decimals}f}"
    outward = math.floor(tsb * 100) if tsb < low else math.ceil(tsb * 100)
    return f"{outward / 100:+.2f}"


def assess_feasibility(
    settings: PlanSettings,
    availability: Availability,
    event_day: Form,
    peak_ctl: float,
    uncapped_ctl: float,
    miss_cause: str | None = None,
) -> Feasibility:
    """The feasibility line: set when the hours cap keeps race-day CTL below what the
    ramp would reach, or when the taper cannot bring event-day form inside its rule
    (``miss_cause`` says why when the hours are not the reason)."""
    hours = availability.weekly_minutes / 60
    expected = event_day.ctl
    parts = []
    if round(uncapped_ctl) > round(expected):
        parts.append(
            f"race-day CTL {round(uncapped_ctl)} is out of reach with {_hours(hours)} h/week; "
            f"expect {round(expected)}"
        )
    if misses_event_day(settings, event_day, peak_ctl):
        share = round(100 * expected / peak_ctl) if peak_ctl else 100
        if settings.is_short:
            aim = "TSB above 0, at most +25"
            tsb = tsb_outside_rule(event_day.tsb, SHORT_RUNWAY_MIN_TSB + 0.01, TSB_WINDOW[1])
        else:
            aim = "TSB +5…+25 with CTL ≥ 90 % of its peak"
            tsb = tsb_outside_rule(event_day.tsb, *TSB_WINDOW)
        parts.append(
            f"event-day TSB {tsb} with CTL at {share} % of its peak misses the taper's aim "
            f"({aim}): {miss_cause or 'the closest these hours allow'}"
        )
    line = "; ".join(parts) or None
    return Feasibility(hours, settings.ramp, uncapped_ctl, expected, line)


# --- validation -------------------------------------------------------------------------


def _settings(
    *,
    start: dt.date,
    target: Event,
    availability: Availability,
    today: dt.date,
    strategy: Strategy,
    rhythm: Rhythm,
    ramp: float | None,
    start_ctl: float | None,
    start_atl: float | None,
    events: Sequence[Event],
    transition_weeks: int,
    specialty_focus: BlockFocus | None = None,
) -> PlanSettings:
    if target.date < today:
        raise InvalidValue(
            f"the event {target.name!r} on {target.date.isoformat()} is in the past "
            f"(today is {today.isoformat()})",
            "choose a goal whose date is still ahead",
        )
    if start < today:
        raise InvalidValue(
            f"the plan cannot start on {start.isoformat()}, before today ({today.isoformat()})",
            "start today or later",
        )
    if start >= target.date:
        raise InvalidValue(
            f"the plan starts on {start.isoformat()}, not before its event "
            f"{target.name!r} on {target.date.isoformat()}",
            "start before the event",
        )
    runway_days = (target.date - start).days
    if runway_days < MIN_RUNWAY_DAYS:
        raise InvalidValue(
            f"the event {target.name!r} is {runway_days} days after the start; a plan needs "
            "at least two weeks",
            "ride easy with openers the two days before, or plan for a later event",
        )
    if (runway_days + 1) // 7 > MAX_RUNWAY_WEEKS:
        raise InvalidValue(
            f"the event {target.name!r} is {runway_days // 7} weeks after the start; a plan "
            f"covers at most {MAX_RUNWAY_WEEKS}",
            "start the plan later",
        )
    if len(availability.weekly) != 7:
        raise InvalidValue(
            f"the availability grid has {len(availability.weekly)} days, not 7",
            "give one slot per weekday, Monday first",
        )
    if any(slot.minutes < 0 for slot in availability.weekly):
        raise InvalidValue("the availability grid has negative minutes", "use 0 for rest days")
    if not any(slot.minutes > 0 for slot in availability.weekly):
        raise InvalidValue(
            "the availability grid has no riding day", "give at least one day minutes, e.g. sat=120"
        )
    if start_ctl is not None and not 0 <= start_ctl <= MAX_START_CTL:
        raise InvalidValue(
            f"starting CTL {start_ctl:g} is out of range", f"use 0–{MAX_START_CTL:g}"
        )
    if start_atl is not None and not 0 <= start_atl <= 2 * MAX_START_CTL:
        raise InvalidValue(
            f"starting ATL {start_atl:g} is out of range", f"use 0–{2 * MAX_START_CTL:g}"
        )
    if ramp is not None and not MIN_RAMP_CTL_PER_WEEK <= ramp <= MAX_RAMP_CTL_PER_WEEK:
        raise InvalidValue(
            f"a ramp of {ramp:g} CTL/week is out of range",
            f"choose {MIN_RAMP_CTL_PER_WEEK:g}–{MAX_RAMP_CTL_PER_WEEK:g} CTL/week "
            "(3–5 suits most athletes)",
        )
    if not 0 <= transition_weeks <= MAX_TRANSITION_WEEKS:
        raise InvalidValue(
            f"{transition_weeks} transition weeks is out of range",
            f"use 0–{MAX_TRANSITION_WEEKS}",
        )
    estimated = start_ctl is None
    ctl = estimate_start_ctl(availability) if start_ctl is None else float(start_ctl)
    atl = ctl if start_atl is None else float(start_atl)
    chosen = default_ramp(ctl) if ramp is None else float(ramp)
    others = tuple(
        sorted(
            (e for e in events if start <= e.date < target.date and e != target),
            key=lambda e: e.date,
        )
    )
    return PlanSettings(
        start=start,
        target=target,
        events=others,
        strategy=Strategy(strategy),
        rhythm=Rhythm(rhythm),
        ramp=chosen,
        start_ctl=ctl,
        start_atl=atl,
        start_ctl_estimated=estimated,
        transition_weeks=transition_weeks,
        specialty_focus=specialty_focus,
    )


# --- layout -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Group:
    type: BlockType
    kinds: tuple[WeekKind, ...]


def _layout(settings: PlanSettings, race_weeks: int) -> tuple[BlockSpec, ...]:
    """Weeks and blocks in order, with types, foci and rhythm — no numbers yet."""
    event = settings.target.date
    weeks = runway_weeks(settings.start, event)
    first_start = event - (7 * weeks - 1) * _DAY
    partial = settings.start > first_start
    short = weeks <= SHORT_RUNWAY_MAX_WEEKS
    prep_weeks = 1 if partial or weeks >= PREP_MIN_RUNWAY_WEEKS else 0
    main_weeks = weeks - race_weeks - prep_weeks
    cycle = settings.rhythm.loading_weeks + 1
    # The rhythm is counted back from the taper, so the weeks right before it are a full
    # run of loading weeks: the taper starts from the top of the plan's last cycle.
    kinds = [
        WeekKind.RECOVERY if (main_weeks - index) % cycle == 0 else WeekKind.LOADING
        for index in range(main_weeks)
    ]
    if kinds and kinds[0] is WeekKind.RECOVERY:
        # Nothing to recover from yet: ease in with another PREP week instead.
        kinds.pop(0)
        prep_weeks += 1
    chunks: list[list[WeekKind]] = [[]]
    for kind in kinds:
        chunks[-1].append(kind)
        if short or kind is WeekKind.RECOVERY:
            chunks.append([])
    chunks = [chunk for chunk in chunks if chunk]
    types = _main_types(len(chunks), short)
    groups: list[_Group] = []
    if prep_weeks:
        groups.append(_Group(BlockType.PREP, (WeekKind.PREP,) * prep_weeks))
    groups += [_Group(kind, tuple(chunk)) for kind, chunk in zip(types, chunks, strict=True)]
    groups.append(_Group(BlockType.RACE, (WeekKind.TAPER,) * race_weeks))
    if settings.transition_weeks:
        groups.append(
            _Group(BlockType.TRANSITION, (WeekKind.TRANSITION,) * settings.transition_weeks)
        )
    return _blocks(groups, settings, first_start)


BUILD_SHARE = 0.4
"""Of the loading mesocycles before the PEAK block, about 40 % are BUILD, the rest BASE:
the long aerobic base comes first (Friel, The Cyclist's Training Bible)."""


def _main_types(count: int, short: bool) -> list[BlockType]:
    """Block types for the loading part: BASE, then BUILD, then one PEAK block."""
    if count == 0:
        return []
    if short:
        if count == 1:
            return [BlockType.PEAK]
        peak, base = 1, count // 3
    else:
        if count == 1:
            return [BlockType.BASE]
        peak = 1 if count >= 3 else 0
        base = count - peak - max(1, round((count - peak) * BUILD_SHARE))
    build = count - peak - base
    return [BlockType.BASE] * base + [BlockType.BUILD] * build + [BlockType.PEAK] * peak


def _blocks(
    groups: Sequence[_Group], settings: PlanSettings, first_start: dt.date
) -> tuple[BlockSpec, ...]:
    block_foci, week_foci = _foci(groups, settings)
    named = [group for group in groups if group.kinds != (WeekKind.RECOVERY,)]
    totals = {kind: sum(1 for group in named if group.type is kind) for kind in BlockType}
    seen: dict[BlockType, int] = {}
    blocks: list[BlockSpec] = []
    week_index = 0
    phase_loading: dict[BlockType, int] = {}
    short = settings.is_short
    for order, group in enumerate(groups, start=1):
        name = group.type.value.title()
        if group.kinds == (WeekKind.RECOVERY,):
            name = "Recovery"
        elif totals[group.type] > 1:
            seen[group.type] = seen.get(group.type, 0) + 1
            name = f"{name} {seen[group.type]}"
        specs: list[WeekSpec] = []
        loading = 0
        for number, kind in enumerate(group.kinds, start=1):
            start = first_start + 7 * week_index * _DAY
            first_day = max(start, settings.start)
            if kind is WeekKind.RECOVERY or kind is WeekKind.TRANSITION:
                index = 0
            elif short:
                # 1-week blocks: progression counts the phase's loading weeks.
                phase_loading[group.type] = phase_loading.get(group.type, 0) + 1
                index = phase_loading[group.type]
            else:
                loading += 1
                index = loading
            share = {WeekKind.PREP: PREP_RAMP_SHARE, WeekKind.LOADING: 1.0}.get(kind, 0.0)
            specs.append(
                WeekSpec(
                    start=start,
                    first_day=first_day,
                    kind=kind,
                    block_type=group.type,
                    focus=week_foci[week_index],
                    number=number,
                    loading_index=index,
                    ramp_share=share,
                )
            )
            week_index += 1
        blocks.append(
            BlockSpec(
                order=order,
                name=name,
                type=group.type,
                focus=block_foci[order - 1],
                progression=_progression(group.type, settings.strategy),
                weeks=tuple(specs),
            )
        )
    return tuple(blocks)


_LINEAR_FOCI: Mapping[BlockType, tuple[BlockFocus, ...]] = {
    BlockType.BASE: (BlockFocus.AEROBIC_ENDURANCE, BlockFocus.TEMPO, BlockFocus.SWEET_SPOT),
    BlockType.BUILD: (BlockFocus.THRESHOLD, BlockFocus.VO2_MAX),
}
_BLOCK_FOCI: Mapping[BlockType, tuple[BlockFocus, ...]] = {
    BlockType.BASE: (BlockFocus.AEROBIC_ENDURANCE, BlockFocus.SWEET_SPOT),
    BlockType.BUILD: (BlockFocus.VO2_MAX, BlockFocus.THRESHOLD),
}
_UNDULATING_WEEKS: Mapping[BlockType, tuple[BlockFocus, ...]] = {
    BlockType.BASE: (BlockFocus.AEROBIC_ENDURANCE, BlockFocus.TEMPO, BlockFocus.SWEET_SPOT),
    BlockType.BUILD: (BlockFocus.THRESHOLD, BlockFocus.VO2_MAX, BlockFocus.SWEET_SPOT),
}


def _foci(
    groups: Sequence[_Group], settings: PlanSettings
) -> tuple[list[BlockFocus], list[BlockFocus]]:
    """Each block's focus and each week's, per strategy.

    LINEAR progresses endurance → tempo → sweet spot → threshold → VO2max → specialty;
    BLOCK concentrates one focus per block, alternating; UNDULATING keeps LINEAR's block
    foci but rotates the focus week to week; POLARIZED is endurance and VO2max only.
    """
    strategy = settings.strategy
    specialty = settings.specialty_focus or SPECIALTY_FOCUS[settings.target.discipline]
    if strategy is Strategy.POLARIZED:
        specialty = BlockFocus.VO2_MAX
    counts = {kind: sum(1 for g in groups if g.type is kind) for kind in BlockType}
    seen: dict[BlockType, int] = {}
    block_foci: list[BlockFocus] = []
    week_foci: list[BlockFocus] = []
    rotation = 0
    for group in groups:
        index = seen.get(group.type, 0)
        seen[group.type] = index + 1
        focus = _block_focus(group.type, strategy, specialty, index, counts[group.type])
        block_foci.append(focus)
        for kind in group.kinds:
            week_focus = focus
            if kind in (WeekKind.RECOVERY, WeekKind.TRANSITION, WeekKind.PREP):
                week_focus = BlockFocus.AEROBIC_ENDURANCE
            elif strategy is Strategy.UNDULATING and kind is WeekKind.LOADING:
                cycle = _UNDULATING_WEEKS.get(
                    group.type, (specialty, BlockFocus.VO2_MAX, BlockFocus.THRESHOLD)
                )
                start = cycle.index(focus) if focus in cycle else 0
                week_focus = cycle[(start + rotation) % len(cycle)]
                rotation += 1
            week_foci.append(week_focus)
    return block_foci, week_foci


def _block_focus(
    block_type: BlockType, strategy: Strategy, specialty: BlockFocus, index: int, count: int
) -> BlockFocus:
    if block_type in (BlockType.PREP, BlockType.TRANSITION):
        return BlockFocus.AEROBIC_ENDURANCE
    if block_type in (BlockType.PEAK, BlockType.RACE):
        return specialty
    if strategy is Strategy.POLARIZED:
        return BlockFocus.AEROBIC_ENDURANCE if block_type is BlockType.BASE else BlockFocus.VO2_MAX
    if strategy is Strategy.BLOCK:
        cycle = _BLOCK_FOCI[block_type]
        return cycle[index % len(cycle)]
    sequence = _LINEAR_FOCI[block_type]
    if count == 1:
        return sequence[0]
    return sequence[int(index * (len(sequence) - 1) / (count - 1) + 0.5)]


_PROGRESSION: Mapping[BlockType, str] = {
    BlockType.PREP: "Easy endurance to rebuild the habit; CTL rises at half the ramp",
    BlockType.BASE: "Longer rides each loading week; time in the focus zone +10 % a week",
    BlockType.BUILD: "Interval time in zone +10 % each loading week; one level a week",
    BlockType.PEAK: "Race-specific efforts at race duration; volume steady",
    BlockType.RACE: "Volume cut 40–60 %, intensity kept; openers 1–2 days before the event",
    BlockType.TRANSITION: "Easy, unstructured riding; recover before the next season",
}
_STRATEGY_NOTE: Mapping[Strategy, str] = {
    Strategy.LINEAR: "",
    Strategy.UNDULATING: "; the focus changes week to week",
    Strategy.BLOCK: "; one concentrated focus",
    Strategy.POLARIZED: "; ≥ 75 % of riding in Z1–Z2, ≤ 10 % in Z3, hard days VO2max",
}


def _progression(block_type: BlockType, strategy: Strategy) -> str:
    note = "" if block_type in (BlockType.RACE, BlockType.TRANSITION) else _STRATEGY_NOTE[strategy]
    return _PROGRESSION[block_type] + note


def _effective_availability(
    settings: PlanSettings, availability: Availability
) -> tuple[Availability, frozenset[dt.date], frozenset[dt.date]]:
    """The grid with zero minutes where no workout may go, the mini-taper days and the
    openers' days."""
    overrides = dict(availability.overrides)
    weeks = runway_weeks(settings.start, settings.target.date)
    day = settings.target.date - (7 * weeks - 1) * _DAY
    while day < settings.start:
        overrides[day] = DaySlot(0, "any")
        day += _DAY
    light: set[dt.date] = set()
    for event in (*settings.events, settings.target):
        overrides[event.date] = DaySlot(0, availability.slot_on(event.date).venue)
        if event is settings.target:
            continue
        for back in range(1, MINI_TAPER_DAYS[event.priority] + 1):
            light.add(event.date - back * _DAY)
    race_day = settings.target.date
    openers = {race_day - back * _DAY for back in range(1, OPENER_DAYS + 1)}
    light -= {e.date for e in settings.events} | openers
    openers = {day for day in openers if day >= settings.start}
    grid = Availability(availability.weekly, overrides)
    return grid, frozenset(light), frozenset(openers)


# --- the engine ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """A week's simulated days with their minutes and how its TSS spreads over them."""

    days: tuple[dt.date, ...]
    minutes: tuple[int, ...]
    shares: tuple[float, ...]
    light_share: float
    light_days: tuple[dt.date, ...]
    ctl_response: float
    """CTL added at the span's end by one TSS spread by ``shares``."""
    ctl_carry: float
    """Share of the CTL before the span still there at its end."""
    openers: tuple[tuple[Discipline, DaySlot] | None, ...] = ()
    """Days that carry openers (the event's discipline and the day's slot): a session
    of its own size (``wattz.plan.placement.opener_tss``), not a share of the week."""
    strategy: Strategy = Strategy.LINEAR
    races: tuple[float, ...] = ()
    """The expected load of a B/C race on its day, 0 elsewhere: no workout goes there,
    but the race is load all the same."""
    usual_minutes: tuple[int, ...] = ()
    """The athlete's minutes with the race days given back: what a normal week of these
    days could carry, the mini-taper's reference."""

    @property
    def race_tss(self) -> float:
        return sum(self.races)

    def loaded(self, daily: Mapping[dt.date, float]) -> dict[dt.date, float]:
        """The workouts' daily TSS with the week's races added on their days."""
        loads = dict(daily)
        for day, race in zip(self.days, self.races, strict=True):
            if race:
                loads[day] = loads.get(day, 0.0) + race
        return loads

    @property
    def available_minutes(self) -> int:
        return sum(self.minutes)

    def fixed(self, tss: float) -> tuple[float, ...]:
        """TSS of the openers, day by day, in a week whose target is ``tss``."""
        if not any(self.openers):
            return (0.0,) * len(self.days)
        return tuple(
            0.0 if o is None else opener_tss(o[0], o[1], self.strategy, tss) or 0.0
            for o in self.openers
        )

    def daily(self, tss: float) -> tuple[float, ...]:
        """The week's TSS day by day: the openers first, the rest by ``shares`` (a target
        below the openers scales them down)."""
        if not any(self.openers):
            return tuple(tss * share for share in self.shares)
        fixed = self.fixed(tss)
        total_fixed = sum(fixed)
        if total_fixed and (tss <= total_fixed or not any(self.shares)):
            return tuple(f * tss / total_fixed for f in fixed)
        rest = tss - total_fixed
        return tuple(f + rest * s for f, s in zip(fixed, self.shares, strict=True))


@dataclass(frozen=True)
class _Context:
    settings: PlanSettings
    availability: Availability
    light_days: frozenset[dt.date]
    opener_days: frozenset[dt.date]
    capped: bool
    spans: dict[dt.date, _Span] = field(default_factory=dict, compare=False)
    opener_loads: Mapping[dt.date, tuple[Discipline, DaySlot]] = field(
        default_factory=dict, compare=False
    )
    """Day → the openers placement puts there before an event (``_opener_loads``)."""
    race_loads: Mapping[dt.date, float] = field(default_factory=dict, compare=False)
    """Day → the expected TSS of the B/C race on it."""
    placed: bool = False
    """Realizing placed workouts (not the spread the taper was solved on): the last
    taper week is then retried for the aim, not only for the rule."""

    def span(self, spec: WeekSpec) -> _Span:
        """The week's span, computed once per plan (keyed by its start)."""
        span = self.spans.get(spec.start)
        if span is None:
            span = self.spans[spec.start] = _make_span(spec, self)
        return span


def _context(
    settings: PlanSettings,
    availability: Availability,
    light_days: frozenset[dt.date],
    opener_days: frozenset[dt.date],
    *,
    placed: bool = False,
) -> _Context:
    return _Context(
        settings,
        availability,
        light_days,
        opener_days,
        capped=True,
        opener_loads=_opener_loads(settings, availability),
        race_loads={event.date: float(event.expected_tss) for event in settings.events},
        placed=placed,
    )


def _opener_loads(
    settings: PlanSettings, availability: Availability
) -> dict[dt.date, tuple[Discipline, DaySlot]]:
    """The openers placement will put before each event, day → (discipline, slot): the
    day before, or
    the one before that when the first has no time (``wattz.plan.placement``). The
    projection counts them as they are, not as a share of the week: an opener is a
    fixed session, and projecting it lighter than it is costs event-day TSB."""
    events = (*settings.events, settings.target)
    event_days = {event.date for event in events}
    loads: dict[dt.date, tuple[Discipline, DaySlot]] = {}
    for event in sorted(events, key=lambda e: e.date):
        for back in (1, 2):
            day = event.date - back * _DAY
            slot = availability.slot_on(day)
            if day < settings.start or day in event_days or slot.minutes < MIN_SESSION_MINUTES:
                continue
            if back == 2 and (settings.target.date - day).days % 7 == 0:
                break  # the last day of its week: that week is placed without the event
            if opener_tss(event.discipline, slot, settings.strategy, math.inf) is not None:
                loads[day] = (event.discipline, slot)
            break
    return loads


def _make_span(spec: WeekSpec, context: _Context) -> _Span:
    days = spec.days
    minutes = tuple(context.availability.slot_on(day).minutes for day in days)
    weights = [_day_weight(day, m, context) for day, m in zip(days, minutes, strict=True)]
    total = sum(weights)
    shares = tuple(w / total for w in weights) if total > 0 else (0.0,) * len(days)
    openers = tuple(context.opener_loads.get(day) for day in days)
    total_minutes = sum(minutes)
    light = sum(m for day, m in zip(days, minutes, strict=True) if day in context.light_days)
    races = tuple(context.race_loads.get(day, 0.0) for day in days)
    weekly = context.availability.weekly
    usual = tuple(
        weekly[day.weekday()].minutes if race else m
        for day, m, race in zip(days, minutes, races, strict=True)
    )
    return _Span(
        days=days,
        minutes=minutes,
        shares=shares,
        light_share=light / total_minutes if total_minutes else 0.0,
        light_days=tuple(
            day for day in days if day in context.light_days or day in context.opener_days
        ),
        ctl_response=_response(shares)[0],
        ctl_carry=_CTL_KEEP ** len(days),
        openers=openers,
        strategy=context.settings.strategy,
        races=races,
        usual_minutes=usual,
    )


def _day_weight(day: dt.date, minutes: int, context: _Context) -> float:
    """How much of its week's TSS a day is projected to carry: its minutes, less on
    mini-taper days; in the event week less each day closer to the event (a
    progressive taper), openers only on the last two days (the openers' own session is
    fixed, not a share: ``_opener_loads``)."""
    if day in context.opener_loads:
        return 0.0
    if day in context.opener_days:
        return min(minutes, OPENER_MINUTES) * OPENER_WEIGHT
    if day in context.light_days:
        return minutes * MINI_TAPER_KEEP
    days_left = (context.settings.target.date - day).days
    if days_left < EVENT_WEEK_FULL_DAYS:
        return minutes * (days_left - OPENER_DAYS) / (EVENT_WEEK_FULL_DAYS - OPENER_DAYS)
    return float(minutes)


def _response(shares: Iterable[float]) -> tuple[float, float]:
    """CTL and ATL added at the end of a span by one TSS spread over it by ``shares``."""
    ctl = atl = 0.0
    for share in shares:
        ctl = ctl * _CTL_KEEP + share / CTL_TIME_CONSTANT_DAYS
        atl = atl * _ATL_KEEP + share / ATL_TIME_CONSTANT_DAYS
    return ctl, atl


@dataclass
class _State:
    """The running state of a realization; copied to try alternatives."""

    ctl: float
    atl: float
    peak: float = 0.0
    daily: dict[dt.date, float] = field(default_factory=dict)
    weeks: list[WeekPlan] = field(default_factory=list)
    last_loading_tss: float = 0.0
    last_loading_minutes: int = 0
    previous_tss: float = 0.0
    capped: bool = False
    """Whether the hours cap held some loading week below its ramp."""
    taper_start_ctl: float = 0.0
    peak_from: dt.date = dt.date.min
    """The peak counts CTL from the evening before this day on (see ``realize``)."""

    def copy(self) -> _State:
        return replace(self, daily=dict(self.daily), weeks=list(self.weeks))


@dataclass(frozen=True)
class _Outcome:
    layout: tuple[BlockSpec, ...]
    state: _State
    event_day: Form
    miss: tuple[float, float]
    """How far event-day form and taper volume miss their rules, then the aim (0: in)."""
    capped: bool


def realize(
    skeleton: Skeleton, realize_week: WeekRealizer, *, peak_from: dt.date | None = None
) -> Realization:
    """The skeleton's weeks with targets re-derived from what ``realize_week`` puts in
    them: each week's target follows from the state its predecessors *actually* left,
    and every rule (ramp, recovery share, event-day form) is re-checked on what comes
    back, with up to ``RETRIES`` corrected targets. The season feeds placed workouts.

    ``peak_from``: a re-projection on a lived plan counts the peak the taper keeps 90 %
    of from the evening before this day (today) on — CTL the athlete held earlier and
    lost (to sickness, to missed weeks) is not a peak the days left can taper from.
    """
    context = _context(
        skeleton.settings,
        skeleton.availability,
        skeleton.light_days,
        skeleton.opener_days,
        placed=True,
    )
    outcome = _run(skeleton.layout, context, realize_week, choose=False, peak_from=peak_from)
    return _finish(outcome.layout, outcome.state, context)


def _run(
    layout: tuple[BlockSpec, ...],
    context: _Context,
    realize_week: WeekRealizer,
    *,
    choose: bool,
    peak_from: dt.date | None = None,
) -> _Outcome:
    """Realize the layout; with ``choose``, first pick the largest ramp share of the
    loading weeks before the taper that lets the taper reach its aim (projected)."""
    settings = context.settings
    specs = [spec for block in layout for spec in block.weeks]
    taper = [i for i, spec in enumerate(specs) if spec.kind is WeekKind.TAPER]
    stretch = taper[0]
    while stretch > 0 and specs[stretch - 1].kind is WeekKind.LOADING:
        stretch -= 1
    state = _State(settings.start_ctl, settings.start_atl, peak_from=peak_from or settings.start)
    tapers = [specs[i] for i in taper]
    for index in range(stretch):
        _step(state, specs[index], tapers, context, realize_week)
    shares = FINAL_STRETCH_RAMP_SHARES if choose and stretch < taper[0] else (None,)
    best: tuple[tuple[float, float], _State, list[WeekSpec]] | None = None
    for share in shares:
        trial = state.copy() if len(shares) > 1 else state
        tail = [
            replace(spec, ramp_share=share)
            if share is not None and stretch <= i < taper[0]
            else spec
            for i, spec in enumerate(specs)
        ]
        for index in range(stretch, taper[-1] + 1):
            _step(trial, tail[index], tapers, context, realize_week)
        miss = _taper_miss(trial, context)
        if best is None or miss < best[0]:
            best = (miss, trial, tail)
        if miss == (0.0, 0.0):
            break
    assert best is not None
    miss, state, specs = best
    event_day = _eve(state)
    for index in range(taper[-1] + 1, len(specs)):
        _step(state, specs[index], tapers, context, realize_week)
    by_start = {spec.start: spec for spec in specs}
    layout = tuple(
        replace(block, weeks=tuple(by_start[spec.start] for spec in block.weeks))
        for block in layout
    )
    return _Outcome(layout, state, event_day, miss, state.capped)


def _taper_miss(state: _State, context: _Context) -> tuple[float, float]:
    """(rule miss, aim miss) of a state that has run through the event week: event-day
    form, plus the taper's volume outside 40–60 % of the last loading week's."""
    short = context.settings.is_short
    form = _eve(state)
    tapers = [week.volume_target_minutes for week in state.weeks if week.is_taper]
    volume = sum(tapers) / len(tapers) / max(1, state.last_loading_minutes)
    low, high = TAPER_VOLUME_SHARE
    volume_miss = max(low - volume, volume - high, 0.0)
    rule = _event_miss(form, state.peak, short, strict=True) + volume_miss
    aim = _event_miss(form, state.peak, short, strict=False)
    return (round(rule, 6), round(aim, 6))


def _uncapped_taper_start_ctl(layout: Sequence[BlockSpec], context: _Context) -> float:
    """CTL at the taper's start had every week met its ramp with unlimited hours: the
    feasibility line's "race-day CTL 85" is this, times what the real taper keeps."""
    settings = context.settings
    ctl = settings.start_ctl
    previous = 0.0
    for block in layout:
        for spec in block.weeks:
            span = context.span(spec)
            if spec.kind is WeekKind.TAPER:
                return ctl
            if spec.kind is WeekKind.RECOVERY:
                tss = RECOVERY_SHARE * previous
                ctl = ctl * span.ctl_carry + tss * span.ctl_response
            else:
                goal = ctl + settings.ramp * spec.ramp_share * len(span.days) / 7
                previous = (goal - ctl * span.ctl_carry) / (span.ctl_response or 1.0)
                ctl = goal
    return ctl


def _eve(state: _State) -> Form:
    """Form on event morning from a state that has just run the event day (no load)."""
    return Form(dt.date.min, state.ctl / _CTL_KEEP, state.atl / _ATL_KEEP)


def _finish(layout: Sequence[BlockSpec], state: _State, context: _Context) -> Realization:
    settings = context.settings
    by_start = {week.start: week for week in state.weeks}
    blocks = tuple(
        BlockPlan(
            order=block.order,
            name=block.name,
            type=block.type,
            focus=block.focus,
            start=block.weeks[0].start,
            weeks=tuple(by_start[spec.start] for spec in block.weeks),
            recovery_week_index=next(
                (s.number for s in block.weeks if s.kind is WeekKind.RECOVERY), None
            ),
            progression=block.progression,
        )
        for block in layout
    )
    end = layout[-1].weeks[-1].end
    projection = tuple(
        fitness_series(state.daily, settings.start, end, settings.start_ctl, settings.start_atl)
    )
    event_date = settings.target.date
    eve_index = (event_date - settings.start).days - 1
    eve = projection[eve_index]
    first = max(0, (state.peak_from - settings.start).days - 1)
    peak = max(day.ctl for day in projection[first : eve_index + 1])
    form = Form(event_date, eve.ctl, eve.atl)
    return Realization(blocks, dict(state.daily), projection, form, peak)


def _step(
    state: _State,
    spec: WeekSpec,
    tapers: Sequence[WeekSpec],
    context: _Context,
    realize_week: WeekRealizer,
) -> None:
    """Target, realize, check (and correct) one week, then advance the state over it."""
    span = context.span(spec)
    settings = context.settings
    capacity = week_capacity_tss(span.minutes, spec.block_type, settings.strategy)
    if not context.capped:
        capacity = math.inf
    kind = spec.kind
    target: float
    if kind is WeekKind.TAPER:
        if spec is tapers[0]:
            state.taper_start_ctl = state.ctl
        target = _solve_taper(state, tapers[tapers.index(spec) :], context)
    elif kind is WeekKind.RECOVERY:
        target = min(capacity, RECOVERY_SHARE * state.previous_tss)
        if span.race_tss:
            target = min(capacity, _with_race(span, target, target))
    elif kind is WeekKind.TRANSITION:
        target = min(capacity, TRANSITION_SHARE * state.last_loading_tss)
    else:
        ramp = settings.ramp * spec.ramp_share * len(span.days) / 7
        wanted = _tss_for_ctl(state, span, state.ctl + ramp)
        if wanted > capacity + 1 and spec.ramp_share == 1.0:
            state.capped = True
        usual = week_capacity_tss(span.usual_minutes, spec.block_type, settings.strategy)
        if kind is WeekKind.LOADING:
            floor = FINAL_STRETCH_CAP_FLOOR
            capacity *= floor + (1 - floor) * spec.ramp_share
            usual *= floor + (1 - floor) * spec.ramp_share
        target = min(capacity, wanted)
        if span.race_tss:
            target = _race_week_target(span, min(usual, wanted), capacity)
        elif kind is WeekKind.LOADING:
            target *= 1 - (1 - MINI_TAPER_KEEP) * span.light_share
    target = float(max(0, math.floor(target))) if span.available_minutes else 0.0

    best: tuple[float, WeekPlan, Mapping[dt.date, float]] | None = None
    for _attempt in range(RETRIES + 1):
        week = _week_plan(spec, span, int(target), settings.strategy)
        daily = realize_week.realize(week) if target > 0 else {}
        last = spec is tapers[-1]
        miss, corrected = _check(state, spec, span, target, daily, last, capacity, context)
        if best is None or miss < best[0]:
            best = (miss, week, daily)
        if miss <= 0 or corrected is None or corrected == target:
            break
        target = corrected
    assert best is not None
    _, week, daily = best
    realize_week.keep(week)
    _commit(state, spec, span, week, daily, context)


def _race_week_target(span: _Span, normal: float, capacity: float) -> float:
    """The workouts' share of a loading week that holds a B/C race: the week, race
    included, at ``MINI_TAPER_KEEP`` of the ``normal`` week these days would carry."""
    return min(capacity, _with_race(span, MINI_TAPER_KEEP * normal, normal))


def _with_race(span: _Span, total: float, week_tss: float) -> float:
    """The workouts' TSS in a week whose load, its races included, should be ``total``:
    what the races leave, never less than their openers (sized for a week of
    ``week_tss``) — a low-hours athlete's race can outweigh a whole week, which is then
    the mini-taper's openers and the race."""
    workouts = total - span.race_tss
    openers = sum(span.fixed(week_tss))
    if workouts >= openers:
        return workouts
    # The openers are sized for the week they are in: settle them for the week they make.
    for _ in range(3):
        openers = sum(span.fixed(max(workouts, openers)))
    return max(workouts, openers)


def _tss_for_ctl(state: _State, span: _Span, goal_ctl: float) -> float:
    """Week TSS that lifts CTL to ``goal_ctl`` by the span's end, spread by its shares."""
    rise = goal_ctl - state.ctl * span.ctl_carry
    if not any(span.openers):
        return max(0.0, rise / span.ctl_response) if span.ctl_response > 0 else 0.0
    # The openers' size follows the week's target: settle it in a few rounds.
    tss = max(0.0, rise / span.ctl_response) if span.ctl_response > 0 else 0.0
    for _ in range(3):
        fixed = span.fixed(tss)
        fixed_tss, fixed_ctl = sum(fixed), _response(fixed)[0]
        if rise <= fixed_ctl or span.ctl_response <= 0:
            return fixed_tss * max(0.0, rise) / fixed_ctl if fixed_ctl else 0.0
        tss = fixed_tss + (rise - fixed_ctl) / span.ctl_response
    return tss


def _week_plan(spec: WeekSpec, span: _Span, target: int, strategy: Strategy) -> WeekPlan:
    nominal = RECOVERY_IF if spec.kind is WeekKind.RECOVERY else NOMINAL_IF[spec.block_type]
    ceiling = POLARIZED_IF_CAP if strategy is Strategy.POLARIZED else 1.0
    nominal = min(nominal, IF_CAP[spec.block_type], ceiling)
    return WeekPlan(
        start=spec.start,
        number=spec.number,
        block_type=spec.block_type,
        focus=spec.focus,
        is_recovery=spec.kind in (WeekKind.RECOVERY, WeekKind.TRANSITION),
        tss_target=target,
        volume_target_minutes=volume_minutes(target, span.available_minutes, nominal),
        loading_index=spec.loading_index,
        is_taper=spec.kind is WeekKind.TAPER,
        light_days=span.light_days,
        race_tss=round(span.race_tss),
    )


def _advance(
    ctl: float, atl: float, days: Iterable[dt.date], daily: Mapping[dt.date, float]
) -> tuple[float, float, float]:
    """Loads after ``days``, and the highest CTL reached on them."""
    peak = 0.0
    for day in days:
        tss = daily.get(day, 0.0)
        ctl += (tss - ctl) / CTL_TIME_CONSTANT_DAYS
        atl += (tss - atl) / ATL_TIME_CONSTANT_DAYS
        peak = max(peak, ctl)
    return ctl, atl, peak


def _check(
    state: _State,
    spec: WeekSpec,
    span: _Span,
    target: float,
    daily: Mapping[dt.date, float],
    last_taper: bool,
    capacity: float,
    context: _Context,
) -> tuple[float, float | None]:
    """How far a realized week misses its rule (≤ 0: it keeps it) and a corrected target."""
    settings = context.settings
    realized = sum(daily.get(day, 0.0) for day in span.days)
    if spec.kind is WeekKind.TRANSITION or realized <= 0:
        return 0.0, None
    off = abs(realized - target) / target
    if off > TSS_TOLERANCE:
        # The week's days cannot carry the target (or carry far more): ask for what
        # they carry, so the target stays a promise the workouts keep.
        return off, float(round(realized if realized < target else target**2 / realized))
    if spec.kind is WeekKind.RECOVERY and state.previous_tss > 0:
        share = (realized + span.race_tss) / state.previous_tss
        low, high = RECOVERY_SHARE_RANGE
        miss = max(low - share, share - high)
        if miss > 0:
            wanted = target * (RECOVERY_SHARE * state.previous_tss) / (realized + span.race_tss)
            return miss, float(math.floor(_with_race(span, wanted, target)))
    ctl, _, _ = _advance(state.ctl, state.atl, span.days, span.loaded(daily))
    carried = state.ctl * span.ctl_carry
    excess = (ctl - state.ctl) - settings.ramp
    if excess > -_EPSILON:
        gain_per_tss = (ctl - carried) / (realized + span.race_tss)
        allowed = (state.ctl + settings.ramp - 0.01 - carried) / gain_per_tss
        workouts = max(0.0, allowed - span.race_tss)
        return excess + _EPSILON, float(math.floor(target * workouts / realized))
    if last_taper:
        return _check_event_day(state, span, target, daily, realized, capacity, context)
    return 0.0, None


def _check_event_day(
    state: _State,
    span: _Span,
    target: float,
    daily: Mapping[dt.date, float],
    realized: float,
    capacity: float,
    context: _Context,
) -> tuple[float, float | None]:
    """The last taper week: event-day TSB and CTL against the rule, then against the aim
    (the middle of the rule), on the workouts placed; a target to bring them there.

    The taper was solved on the projection's spread; placed workouts land a little
    differently (a key session here, a spin there), and an event-day margin lost to
    that is won back here. The openers stay as they are (a fixed session); the rest of
    the week scales.
    """
    settings = context.settings
    eve_days = [day for day in span.days if day < settings.target.date]
    ctl, atl, peak_here = _advance(state.ctl, state.atl, eve_days, span.loaded(daily))
    peak = max(state.peak, peak_here)
    form = Form(settings.target.date, ctl, atl)
    miss = _event_miss(form, peak, settings.is_short, strict=True)
    if miss > 0:
        miss += AIM_MISS_WEIGHT  # above any miss of the aim alone
    elif context.placed:
        aim = _event_miss(form, peak, settings.is_short, strict=False)
        miss = AIM_MISS_WEIGHT * aim / AIM_MARGIN
    if miss <= 0:
        return 0.0, None
    fixed = dict(zip(span.days, span.fixed(target), strict=True))
    fixed_tss = sum(fixed.values())
    variable = realized - fixed_tss
    if variable <= 0:
        return miss, None
    response_ctl, response_atl = _response(
        (daily.get(day, 0.0) - fixed.get(day, 0.0)) / variable for day in eve_days
    )
    slope = response_ctl - response_atl
    if slope >= 0 or response_ctl <= 0:
        return miss, None
    # Event-morning TSB and CTL are linear in the week's riding besides the openers (its
    # shape kept): take the TSS whose form scores best (inside the rule, then the widest
    # margin, then TSB nearest the aim).
    top = min(capacity, 3 * max(realized, target)) - fixed_tss
    best: tuple[tuple[float, float, float], float] | None = None
    for step in range(LAST_WEEK_STEPS + 1):
        tss = top * step / LAST_WEEK_STEPS
        trial = Form(
            form.date,
            ctl + response_ctl * (tss - variable),
            form.atl + response_atl * (tss - variable),
        )
        score = _form_score(trial, peak, settings.is_short)
        if best is None or score < best[0]:
            best = (score, tss)
    assert best is not None
    corrected = fixed_tss + max(0.0, target - fixed_tss) * best[1] / variable
    return miss, float(round(min(corrected, capacity)))


def _event_miss(form: Form, peak: float, short: bool, strict: bool) -> float:
    """Distance from the event-day rule (strict) or from the aim (not strict: the margin
    short of ``AIM_MARGIN``)."""
    if not strict:
        return max(0.0, AIM_MARGIN - _margin(form.tsb, form.ctl, peak, short))
    low = SHORT_RUNWAY_MIN_TSB + 0.01 if short else TSB_WINDOW[0]
    tsb = form.tsb
    miss = max(low - tsb, tsb - TSB_WINDOW[1], 0.0)
    if not short:
        miss += max(0.0, PEAK_CTL_SHARE * peak - form.ctl)
    return miss


def _margin(tsb: float, ctl: float, peak: float, short: bool) -> float:
    """How far event-day form lies inside the rule (see ``AIM_MARGIN``)."""
    low = SHORT_RUNWAY_MIN_TSB if short else TSB_WINDOW[0]
    margin = min(tsb - low, TSB_WINDOW[1] - tsb)
    if not short:
        margin = min(margin, CTL_MARGIN_WEIGHT * (ctl - PEAK_CTL_SHARE * peak))
    return margin


def _form_score(form: Form, peak: float, short: bool) -> tuple[float, float, float]:
    """Event-day form ranked: the rule, then the margin up to the aim, then TSB near
    ``TSB_AIM`` (a hair of CTL breaking ties)."""
    return (
        round(_event_miss(form, peak, short, strict=True), 6),
        round(_event_miss(form, peak, short, strict=False), 6),
        abs(form.tsb - TSB_AIM) - 0.01 * form.ctl,
    )


def _commit(
    state: _State,
    spec: WeekSpec,
    span: _Span,
    week: WeekPlan,
    daily: Mapping[dt.date, float],
    context: _Context,
) -> None:
    """Advance the state over a kept week, its races included: a recovery week after a
    race week is measured against the load the athlete carried, race and all, but a
    race week is no loading reference for the taper or the transition."""
    event = context.settings.target.date
    loads = span.loaded(daily)
    realized = 0.0
    for day in span.days:
        tss = loads.get(day, 0.0)
        if tss:
            state.daily[day] = tss
            realized += tss
        state.ctl += (tss - state.ctl) / CTL_TIME_CONSTANT_DAYS
        state.atl += (tss - state.atl) / ATL_TIME_CONSTANT_DAYS
        if state.peak_from - _DAY <= day < event:
            state.peak = max(state.peak, state.ctl)
    state.previous_tss = realized
    loading = spec.kind in (WeekKind.LOADING, WeekKind.PREP)
    if loading and realized > 0 and not span.race_tss:
        state.last_loading_tss = realized
        state.last_loading_minutes = week.volume_target_minutes
    state.weeks.append(week)


# --- the taper --------------------------------------------------------------------------------


def _solve_taper(state: _State, weeks: Sequence[WeekSpec], context: _Context) -> float:
    """This taper week's target, planning the rest of the taper with it: volume kept at
    40–60 % of the last loading week, event-day TSB as near ``TSB_AIM`` as the CTL rule
    allows.

    Event-morning loads are linear in each week's TSS, so every candidate (a fraction of
    the last loading week's TSS per week, never rising towards the event) costs a few
    additions.
    """
    settings = context.settings
    event = settings.target.date
    short = settings.is_short
    reference_tss = state.last_loading_tss or 7 * state.ctl
    reference_minutes = state.last_loading_minutes or max(
        1, volume_minutes(reference_tss, 10_000, NOMINAL_IF[BlockType.BUILD])
    )
    spans = [context.span(spec) for spec in weeks]
    eve_days = [sum(1 for day in span.days if day < event) for span in spans]
    after = sum(eve_days)
    base_ctl = state.ctl * _CTL_KEEP**after
    base_atl = state.atl * _ATL_KEEP**after
    options: list[list[_TaperOption]] = []
    for span, count in zip(spans, eve_days, strict=True):
        after -= count
        carried = state.ctl * span.ctl_carry
        capacity = week_capacity_tss(span.minutes, BlockType.RACE, settings.strategy)
        if not context.capped:
            capacity = math.inf
        week_options: list[_TaperOption] = []
        for fraction in TAPER_FRACTIONS:
            tss = float(math.floor(min(capacity, fraction * reference_tss)))
            volume = volume_minutes(tss, span.available_minutes, TAPER_IF) / reference_minutes
            daily = tuple(d + r for d, r in zip(span.daily(tss), span.races, strict=True))
            ctl_added, atl_added = _response(daily[:count])
            # A taper week may still lift CTL (a step taper's first week): its highest
            # day, about the week's end plus its biggest day's rise, may set a new peak.
            rise = max(daily, default=0.0) / CTL_TIME_CONSTANT_DAYS
            week_options.append(
                (
                    tss,
                    volume,
                    ctl_added * _CTL_KEEP**after,
                    atl_added * _ATL_KEEP**after,
                    carried + _response(daily)[0] + rise,
                )
            )
        options.append(week_options)

    low_volume, high_volume = TAPER_VOLUME_SHARE
    low_tsb = SHORT_RUNWAY_MIN_TSB if short else TSB_WINDOW[0]
    high_tsb = TSB_WINDOW[1]
    rule_share = 0.0 if short else PEAK_CTL_SHARE
    best_score = (math.inf, math.inf, math.inf)
    best_tss = 0.0
    for combo in _combinations(options):
        volume = ctl = atl = 0.0
        for option in combo:
            volume += option[1]
            ctl += option[2]
            atl += option[3]
        volume /= len(combo)
        ctl += base_ctl
        tsb = ctl - base_atl - atl
        peak = max(state.peak, combo[0][4])
        score = (
            max(low_volume - volume, volume - high_volume, 0.0)
            + max(low_tsb - tsb, tsb - high_tsb, 0.0)
            + max(rule_share * peak - ctl, 0.0),
            max(0.0, AIM_MARGIN - _margin(tsb, ctl, peak, short)),
            abs(tsb - TSB_AIM) - 0.01 * ctl,
        )
        if score < best_score:
            best_score, best_tss = score, combo[0][0]
    return best_tss


_TaperOption = tuple[float, float, float, float, float]
"""A candidate taper week: TSS, volume share of the last loading week, CTL and ATL it
adds on event morning, and the highest CTL it may reach itself."""


def _combinations(
    options: Sequence[Sequence[_TaperOption]],
) -> Iterable[Sequence[_TaperOption]]:
    """One option per week, the later week never above the earlier."""
    if len(options) == 1:
        return ((option,) for option in options[0])
    first, second = options[0], options[1]
    return ((first[i], second[j]) for i in range(len(first)) for j in range(i + 1))


@dataclass(frozen=True)
class _Spread:
    """The projection's placement: a week's TSS over its riding days, by their weights."""

    context: _Context

    def realize(self, week: WeekPlan) -> Mapping[dt.date, float]:
        span = self.context.spans[week.start]
        return {
            day: tss for day, tss in zip(span.days, span.daily(week.tss_target), strict=True) if tss
        }

    def keep(self, week: WeekPlan) -> None:
        """Nothing to keep: the spread is recomputed from the target."""


def _hours(hours: float) -> str:
    return f"{round(hours, 1):g}"

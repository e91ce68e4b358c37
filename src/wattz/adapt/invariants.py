"""The plans issue's invariants, checked on a plan that has lived through audits.

The same rules ``tests/plan/test_season_invariants.py`` holds a fresh season to
(DESIGN.md, coaching rules), counted over live workouts only (pending, moved,
completed, partial) and with fitness projected from the plan's own TSS:

- blocks in order; at most ``rhythm`` loading weeks before a recovery week, never two
  recovery weeks in a row, and a recovery week carries 50–65 % of the week before;
- each week's live TSS within ±10 % of its target (adaptation that removes load
  rewrites the target, so this holds for weeks already ridden too);
- the weekly CTL rise never above the chosen ramp;
- every open workout within its day's availability unless the athlete forced it, and
  none on an event day; no key days back to back;
- event-day TSB +5…+25 and CTL ≥ 90 % of its peak (TSB > 0 on runways under 8 weeks),
  the peak being the highest CTL still reachable from today (``peak_ctl``);
- POLARIZED weeks: ≥ 75 % of riding time in Z1–Z2, ≤ 10 % in Z3;
- the graduated return after illness (issue 7, ``PlanState.recovery``): nothing still
  to ride on an unwell day or the return's rest day, no key work on its days, and no
  ride longer than the day allows (a 45-minute spin, then 15 minutes more a day) unless
  the athlete forced it.

The peak is the highest CTL from the eve of the taper on, and once the taper has begun
from yesterday evening on: never an evening already past. On a fresh plan CTL climbs
into the taper, so this is the season's peak and the rule is the plans issue's. Fitness
the athlete held and then lost — to a sickness, to sessions skipped — is not a peak the
days left can taper from: winning it back would break the ramp (or, for an athlete whose
hours cap the load, is impossible), and cramming missed work into a taper is the one
thing a coach never does. So the rule holds the plan to what the taper keeps of the
fitness the athlete still has, measured from the day it is checked.

One case is settled before the plan has a say: when every day left before the event
is a day of the graduated return after illness (``recovering_until`` on or after the
event's eve: sick until the day before, or nearly), those days are rest, a recovery
spin and short easy rides by prescription. Loading a just-recovered athlete to pull TSB
down, or resting them less to keep CTL, would trade health for a number, so event-day
form is then not the plan's to keep and the rule is not applied. With a single free
day left the rule applies again.

What the athlete has already ridden cannot be re-planned, so the rules about the shape
of the load — the ramp, the recovery share and the polarized split — are checked on the
weeks still to come (those starting after ``today``); the rest hold for every week.
A week the athlete was sick in (or easing back from it) is one they did not choose, so
a recovery week that is such a week, or follows one, is not held to the 50–65 % share
(``unwell_weeks``): its reference is sickness, not training.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from wattz.adapt.plan_state import DAY, PlanState, WeekState
from wattz.awp.metrics import workout_metrics
from wattz.plan.domain import BlockType, Strategy
from wattz.plan.fitness import ATL_TIME_CONSTANT_DAYS, CTL_TIME_CONSTANT_DAYS

BLOCK_ORDER = (
    BlockType.PREP,
    BlockType.BASE,
    BlockType.BUILD,
    BlockType.PEAK,
    BlockType.RACE,
    BlockType.TRANSITION,
)
RECOVERY_SHARE_RANGE = (0.50, 0.65)
"""A recovery week carries 50–65 % of the previous week's TSS (DESIGN.md)."""
WEEK_TSS_TOLERANCE = 0.10
EVENT_TSB_RANGE = (5.0, 25.0)
EVENT_PEAK_CTL_SHARE = 0.90
SHORT_RUNWAY_WEEKS = 8
"""Runways under 8 weeks only need a positive event-day TSB (the plans issue)."""
POLARIZED_EASY_SHARE = 0.75
POLARIZED_TEMPO_SHARE = 0.10
RAMP_EPSILON = 1e-9
SHARE_EPSILON = 1e-9


class Rule(StrEnum):
    BLOCK_ORDER = "block-order"
    RHYTHM = "rhythm"
    RECOVERY_SHARE = "recovery-share"
    WEEK_TSS = "week-tss"
    RAMP = "ramp"
    AVAILABILITY = "availability"
    KEY_DAYS = "key-days"
    EVENT_DAY = "event-day"
    POLARIZED = "polarized"
    GRADUATED_RETURN = "graduated-return"


PROJECTION_RULES = frozenset({Rule.RAMP, Rule.RECOVERY_SHARE, Rule.EVENT_DAY})
"""The rules a re-projection of the weeks to come can repair."""


@dataclass(frozen=True)
class Finding:
    rule: Rule
    date: dt.date
    message: str
    miss: float = 0.0
    """How far off, in the rule's own unit (CTL/week, share, TSB or CTL points)."""

    def __str__(self) -> str:
        return f"{self.rule} {self.date.isoformat()}: {self.message}"


@dataclass(frozen=True, slots=True)
class Load:
    """A day's fitness: CTL and ATL in the evening, TSB in the morning (as
    ``wattz.plan.fitness.fitness_series`` has them)."""

    ctl: float
    atl: float
    tsb: float


def fitness(plan: PlanState) -> dict[dt.date, Load]:
    """CTL/ATL/TSB from the plan's start to its end, from live workouts' planned TSS.

    The same recurrence as ``wattz.plan.fitness.fitness_series`` (42/7-day constants),
    unrolled here because the audit evaluates it several times a night.
    """
    cached: dict[dt.date, Load] | None = plan.memo.get("fitness")
    if cached is not None:
        return cached
    daily = plan.daily_tss()
    ctl = atl = plan.start_ctl
    loads: dict[dt.date, Load] = {}
    day = plan.start
    end = plan.end
    while day <= end:
        tsb = ctl - atl
        tss = daily.get(day, 0.0)
        ctl += (tss - ctl) / CTL_TIME_CONSTANT_DAYS
        atl += (tss - atl) / ATL_TIME_CONSTANT_DAYS
        loads[day] = Load(ctl, atl, tsb)
        day += DAY
    plan.memo["fitness"] = loads
    return loads


def taper_start(plan: PlanState) -> dt.date:
    """The first day of the RACE block (the taper), or the event week's Monday."""
    for block in plan.blocks:
        if block.type is BlockType.RACE:
            return max(block.start, plan.start)
    return max(plan.target.date - 6 * DAY, plan.start)


def total_miss(findings: Iterable[Finding]) -> float:
    """All misses added up: a re-projection is kept only when it lowers this."""
    return sum(finding.miss for finding in findings)


def runway_is_short(plan: PlanState) -> bool:
    weeks = -(-((plan.target.date - plan.start).days + 1) // 7)
    return weeks < SHORT_RUNWAY_WEEKS


def check(
    plan: PlanState,
    today: dt.date,
    *,
    rules: Collection[Rule] = tuple(Rule),
    unwell_weeks: Collection[dt.date] = (),
    recovering_until: dt.date | None = None,
) -> list[Finding]:
    """Every invariant the plan breaks as of ``today`` (empty: it keeps them all).

    ``recovering_until``: the last day of the graduated return after the latest
    sickness (``wattz.adapt.deload.return_end``), if any."""
    findings: list[Finding] = []
    loads = fitness(plan) if {Rule.RAMP, Rule.EVENT_DAY} & set(rules) else {}
    if Rule.BLOCK_ORDER in rules:
        findings += _block_order(plan)
    if Rule.RHYTHM in rules or Rule.RECOVERY_SHARE in rules:
        findings += _rhythm(plan, today, rules, unwell_weeks)
    if Rule.WEEK_TSS in rules:
        findings += _week_tss(plan)
    if Rule.RAMP in rules:
        findings += _ramp(plan, today, loads)
    if Rule.AVAILABILITY in rules:
        findings += _availability(plan, today)
    if Rule.KEY_DAYS in rules:
        findings += _key_days(plan)
    if Rule.EVENT_DAY in rules and not form_is_settled(plan, today, recovering_until):
        findings += _event_day(plan, today, loads)
    if Rule.POLARIZED in rules:
        findings += _polarized(plan, today)
    if Rule.GRADUATED_RETURN in rules:
        findings += _graduated_return(plan, today)
    return findings


def _block_order(plan: PlanState) -> list[Finding]:
    ranks = [BLOCK_ORDER.index(block.type) for block in plan.blocks]
    if ranks != sorted(ranks):
        names = " → ".join(block.type.value for block in plan.blocks)
        return [Finding(Rule.BLOCK_ORDER, plan.start, f"blocks out of order: {names}")]
    return []


def _counted(plan: PlanState, week: WeekState) -> bool:
    return plan.block_of_week(week).type not in (BlockType.PREP, BlockType.RACE)


def _rhythm(
    plan: PlanState, today: dt.date, rules: Collection[Rule], unwell: Collection[dt.date]
) -> list[Finding]:
    findings: list[Finding] = []
    loading = plan.rhythm.loading_weeks
    run = 0
    previous: WeekState | None = None
    for week in plan.weeks:
        if plan.block_of_week(week).type is BlockType.TRANSITION:
            break
        if week.is_recovery:
            run = 0
            if previous is None or previous.is_recovery:
                if Rule.RHYTHM in rules:
                    findings.append(Finding(Rule.RHYTHM, week.start, "two recovery weeks in a row"))
            elif Rule.RECOVERY_SHARE in rules and week.start > today:
                before = plan.live_tss(previous)
                share = plan.live_tss(week) / before if before else 0.0
                low, high = RECOVERY_SHARE_RANGE
                # A week shaped by sickness or by a B/C race (race + openers) is not a
                # recovery share the engine chose, so the share rule does not judge it.
                chosen = (
                    week.start not in unwell
                    and previous.start not in unwell
                    and not plan.holds_race(week)
                    and not plan.holds_race(previous)
                )
                if chosen and before and not low - SHARE_EPSILON <= share <= high + SHARE_EPSILON:
                    findings.append(
                        Finding(
                            Rule.RECOVERY_SHARE,
                            week.start,
                            f"recovery week carries {share:.0%} of the week before",
                            max(low - share, share - high),
                        )
                    )
        elif _counted(plan, week):
            run += 1
            if run > loading and Rule.RHYTHM in rules:
                findings.append(Finding(Rule.RHYTHM, week.start, f"{run} loading weeks in a row"))
        previous = week
    return findings


def _week_tss(plan: PlanState) -> list[Finding]:
    findings: list[Finding] = []
    for week in plan.weeks:
        live = plan.live_tss(week)
        if abs(live - week.tss_target) > WEEK_TSS_TOLERANCE * week.tss_target + SHARE_EPSILON:
            findings.append(
                Finding(
                    Rule.WEEK_TSS,
                    week.start,
                    f"live workouts carry {live:.0f} TSS for a target of {week.tss_target}",
                )
            )
    return findings


def _ramp(plan: PlanState, today: dt.date, loads: Mapping[dt.date, Load]) -> list[Finding]:
    findings: list[Finding] = []
    before = plan.start_ctl
    for week in plan.weeks:
        if plan.block_of_week(week).type is BlockType.TRANSITION:
            break
        end = min(week.end, plan.target.date)
        after = loads[end].ctl if end in loads else before
        rise = after - before
        if week.start > today and rise > plan.ramp + RAMP_EPSILON:
            findings.append(
                Finding(
                    Rule.RAMP,
                    week.start,
                    f"CTL rises {rise:+.2f} (ramp {plan.ramp:g})",
                    rise - plan.ramp,
                )
            )
        before = after
    return findings


def _availability(plan: PlanState, today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    event_days = {event.date for event in plan.events}
    for workout in plan.workouts:
        if not workout.is_open or workout.date < today:
            continue
        if workout.date in event_days:
            findings.append(Finding(Rule.AVAILABILITY, workout.date, "a workout on an event day"))
        slot_s = plan.availability.slot_on(workout.date).minutes * 60
        if workout.duration_s > slot_s and not workout.forced:
            findings.append(
                Finding(
                    Rule.AVAILABILITY,
                    workout.date,
                    f"{workout.title!r} lasts {workout.duration_s // 60} min, "
                    f"the day has {slot_s // 60}",
                )
            )
    return findings


def _graduated_return(plan: PlanState, today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    for workout in plan.workouts:
        allowed = plan.recovery.get(workout.date)
        if allowed is None or not workout.is_open or workout.date < today or workout.forced:
            continue
        if allowed == 0:
            why = "a day of rest after illness"
        elif workout.is_key:
            why = "key work on a day of the graduated return"
        elif workout.duration_s > allowed * 60:
            why = f"{workout.duration_s // 60} min where the graduated return allows {allowed}"
        else:
            continue
        findings.append(Finding(Rule.GRADUATED_RETURN, workout.date, f"{workout.title!r}: {why}"))
    return findings


def _key_days(plan: PlanState) -> list[Finding]:
    keys = sorted({w.date for w in plan.workouts if w.is_live and w.is_key})
    return [
        Finding(Rule.KEY_DAYS, second, f"key days {first} and {second} back to back")
        for first, second in itertools.pairwise(keys)
        if (second - first).days <= 1
    ]


def peak_from(plan: PlanState, today: dt.date) -> dt.date:
    """The first evening the 90 % rule's peak counts: the taper's eve, or yesterday
    once the taper has begun (see the module docstring)."""
    return max(taper_start(plan), today, plan.start) - DAY


def peak_ctl(plan: PlanState, today: dt.date, loads: Mapping[dt.date, Load]) -> float:
    """The peak the 90 % rule measures event-day CTL against: the highest CTL still
    reachable from ``today`` — from the taper's eve on, never from an evening already
    past."""
    event = plan.target.date
    first = peak_from(plan, today)
    return max((day.ctl for date, day in loads.items() if first <= date < event), default=0.0)


def form_is_settled(plan: PlanState, today: dt.date, recovering_until: dt.date | None) -> bool:
    """Whether every day left before the event is a day of the graduated return after
    illness, so event-day form is not the plan's to keep (see the module docstring)."""
    if recovering_until is None:
        return False
    return recovering_until >= plan.target.date - DAY and today <= plan.target.date


def _event_day(plan: PlanState, today: dt.date, loads: Mapping[dt.date, Load]) -> list[Finding]:
    event = plan.target.date
    morning = loads.get(event)
    if morning is None:
        return []
    if runway_is_short(plan):
        if morning.tsb > 0:
            return []
        return [
            Finding(
                Rule.EVENT_DAY, event, f"event-day TSB {morning.tsb:+.1f} is not > 0", -morning.tsb
            )
        ]
    findings: list[Finding] = []
    low, high = EVENT_TSB_RANGE
    if not low <= morning.tsb <= high:
        findings.append(
            Finding(
                Rule.EVENT_DAY,
                event,
                f"event-day TSB {morning.tsb:+.1f} outside +5…+25",
                max(low - morning.tsb, morning.tsb - high),
            )
        )
    peak = peak_ctl(plan, today, loads)
    eve = loads[event - DAY].ctl
    if eve < EVENT_PEAK_CTL_SHARE * peak:
        findings.append(
            Finding(
                Rule.EVENT_DAY,
                event,
                f"event-day CTL {eve:.1f} is under 90 % of its peak {peak:.1f}",
                EVENT_PEAK_CTL_SHARE * peak - eve,
            )
        )
    return findings


def _polarized(plan: PlanState, today: dt.date) -> list[Finding]:
    if plan.strategy is not Strategy.POLARIZED:
        return []
    findings: list[Finding] = []
    for week in plan.weeks:
        if week.start <= today:
            continue
        zones = [0.0] * 7
        for workout in plan.workouts_of(week):
            if workout.is_live:
                seconds = workout_metrics(workout.workout).zone_seconds
                zones = [a + b for a, b in zip(zones, seconds, strict=True)]
        total = sum(zones)
        if not total:
            continue
        easy = (zones[0] + zones[1]) / total
        tempo = zones[2] / total
        if easy < POLARIZED_EASY_SHARE or tempo > POLARIZED_TEMPO_SHARE:
            findings.append(
                Finding(
                    Rule.POLARIZED,
                    week.start,
                    f"{easy:.0%} of riding in Z1–Z2 and {tempo:.0%} in Z3",
                )
            )
    return findings

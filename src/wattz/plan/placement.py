"""Placement: one week's workouts on the athlete's availability grid (pure).

The skeleton gives a week its type, focus and TSS target; placement decides what each
day holds (DESIGN.md, coaching rules):

- rest where a day has no time (or too little to ride) and on event days;
- the long ride on the longest slot; key sessions never on consecutive days, counting
  the previous week's last key day and the openers the day before an event;
- no workout longer than its slot; indoor slots get trainer workouts, outdoor slots
  ones that can be ridden on the road;
- key sessions by block and strategy: BASE 1–2 (tempo, sweet spot), BUILD/PEAK 2–3;
  POLARIZED at most two hard days (three from 8 h a week) with ≥ 75 % of the riding in
  Z1–Z2 and ≤ 10 % in Z3; recovery weeks easy with one short session of brief efforts;
  taper weeks keep short race-pace efforts and openers 1–2 days before the event;
- the week's TSS within ±10 % of its target whenever the slots can carry it: key days
  and the long day take the bigger shares, then endurance rides are lengthened,
  shortened or made a little harder or easier until the total lands.

The week's progression level (``week_level``) rises with the block's loading weeks; it
is a parameter, so an audit can progress or regress it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import combinations

from wattz.plan import library
from wattz.plan.domain import (
    Availability,
    BlockFocus,
    BlockPlan,
    BlockType,
    DaySlot,
    Discipline,
    Event,
    PlannedSession,
    Role,
    Strategy,
    Venue,
    WeekPlan,
)
from wattz.plan.library import LEVELS, Pick, Specialty, Template

__all__ = [
    "MIN_SESSION_MINUTES",
    "OPENER_LEVEL",
    "last_key_day",
    "opener_tss",
    "place_week",
    "week_level",
]

MIN_SESSION_MINUTES = 30
"""No workout is shorter than this, and slots shorter than this are rest days: a ride
needs a warm-up and a cool-down too, and a 15-minute spin is not worth getting changed
for (the TSS goes to the week's other days instead)."""

KEY_NATURAL_MINUTES = 75
"""A key session's share of the week is first sized as if it lasted 75 minutes."""
KEY_MAX_MINUTES = 120
"""A key session on a normal day rides at most this long, unless the week's target needs
the whole slot (then the extra is endurance around the main set)."""
OPENER_MAX_MINUTES = 60
OPENER_LEVEL = 2
"""Openers prime the legs, they do not progress: always a light level (two or three
short efforts and a few snap sprints, about 40 minutes and 30 TSS), whatever the week's
level. The skeleton projects the opener's day with this very session (``opener_tss``),
so the taper's aim for event-day form survives placement."""
OPENER_WEEK_SHARE = 0.30
"""Openers carry at most 30 % of their week's TSS (down to the shortest opener): an
athlete on 4 h a week, whose event week carries ~80 TSS, opens with 30 minutes, not 40
— on the eve, every TSS costs about 0.12 of event-day TSB."""
SET_PIECE_MINUTES = 40
"""Openers and a recovery week's brief efforts last about 40 minutes (the skeleton's
projection counts the openers' day as at most 45 minutes of half-weight riding)."""
BRIEF_MAX_MINUTES = 75
RECOVERY_MAX_MINUTES = 60
LONG_MIN_MINUTES = 90
"""A "long ride" template is used from 90 minutes on; shorter days ride plain endurance."""

BASE_SECOND_KEY_HOURS = 6.0
"""BASE weeks carry a second key session from 6 hours a week of riding time."""
THIRD_KEY_HOURS = 8.0
"""BUILD/PEAK weeks carry a third key session, and POLARIZED weeks a third hard day,
from 8 hours a week (DESIGN.md)."""
POLARIZED_HARD_DAYS = 2
POLARIZED_EASY_SHARE = 0.75
POLARIZED_TEMPO_SHARE = 0.10
"""POLARIZED: ≥ 75 % of riding time in Z1–Z2 and ≤ 10 % in Z3 (DESIGN.md; Seiler)."""

LEVEL_SLACK_SHARE = 0.10
"""A structured session moves off the week's level (±1) only when that misses the
day's TSS by more than 10 %."""
RIDE_SLACK_SHARE = 0.25
"""An endurance ride more than 25 % off its share is swapped for one that lands closer."""
TSS_AIM_SHARE = 0.02
"""Placement aims within 2 % of the week's target: well inside ±10 %, and close enough
for the skeleton's projection of event-day form to hold for the placed workouts."""
REBALANCE_PASSES = 5
KEY_WEIGHT = 1.5
"""Key sessions take a larger share than their size alone: when the week is short of
TSS, endurance gives way before the intervals do."""
AFTER_HARD_WEIGHT = 0.7
"""An endurance day right after a key day or the long ride takes a smaller share."""
LIGHT_DAY_WEIGHT = 0.7
RACE_WEEK_DAYS = 4
RACE_WEEK_WEIGHT = 0.7
"""Endurance in the four days before an event takes a smaller share: a race week's
load goes early, so the athlete arrives fresh (TSB rises as the event nears)."""
"""Mini-taper days before a B/C event carry about 30 % less (DESIGN.md)."""
USEFUL_SHARE = 0.5
"""An endurance day allotted less than half of a 45-minute ride is better left as rest."""
USEFUL_MINUTES = 45

BLOCK_START_LEVEL: Mapping[BlockType, int] = {
    BlockType.PREP: 1,
    BlockType.BASE: 2,
    BlockType.BUILD: 3,
    BlockType.PEAK: 4,
    BlockType.RACE: 4,
    BlockType.TRANSITION: 1,
}
"""Level of a block's first loading week; each further loading week is one level up."""

ENDURANCE_LEVEL = 5
"""Endurance rides start at level 5 (66 % FTP) and move up or down to carry the TSS."""
EASY_WEEK_ENDURANCE_LEVEL = 3
BRIEF_LEVEL = 3
RECOVERY_LEVEL = 4

KEY_FOCI: Mapping[BlockFocus, tuple[BlockFocus, BlockFocus, BlockFocus]] = {
    BlockFocus.AEROBIC_ENDURANCE: (BlockFocus.TEMPO, BlockFocus.SWEET_SPOT, BlockFocus.TEMPO),
    BlockFocus.TEMPO: (BlockFocus.TEMPO, BlockFocus.SWEET_SPOT, BlockFocus.TEMPO),
    BlockFocus.SWEET_SPOT: (BlockFocus.SWEET_SPOT, BlockFocus.TEMPO, BlockFocus.THRESHOLD),
    BlockFocus.THRESHOLD: (BlockFocus.THRESHOLD, BlockFocus.VO2_MAX, BlockFocus.SWEET_SPOT),
    BlockFocus.VO2_MAX: (BlockFocus.VO2_MAX, BlockFocus.THRESHOLD, BlockFocus.ANAEROBIC_CAPACITY),
    BlockFocus.ANAEROBIC_CAPACITY: (
        BlockFocus.ANAEROBIC_CAPACITY,
        BlockFocus.VO2_MAX,
        BlockFocus.THRESHOLD,
    ),
    BlockFocus.NEUROMUSCULAR_POWER: (
        BlockFocus.NEUROMUSCULAR_POWER,
        BlockFocus.VO2_MAX,
        BlockFocus.THRESHOLD,
    ),
}
"""The week's key sessions by focus: the focus first, then what supports it (BASE keys
are tempo and sweet spot; BUILD pairs threshold with VO2max, and so on)."""

POLARIZED_FOCUS: Mapping[BlockFocus, BlockFocus] = {
    BlockFocus.AEROBIC_ENDURANCE: BlockFocus.VO2_MAX,
    BlockFocus.TEMPO: BlockFocus.THRESHOLD,
    BlockFocus.SWEET_SPOT: BlockFocus.THRESHOLD,
}
"""POLARIZED hard days stay out of Z3: tempo and sweet spot become threshold or VO2max."""

OPENER_FOCUS: Mapping[Discipline, BlockFocus] = {
    Discipline.ROAD: BlockFocus.VO2_MAX,
    Discipline.GRAVEL: BlockFocus.THRESHOLD,
    Discipline.MTB: BlockFocus.VO2_MAX,
    Discipline.TT: BlockFocus.THRESHOLD,
}

_DAY = dt.timedelta(days=1)


class _Kind(StrEnum):
    KEY = "key"
    OPENER = "opener"
    BRIEF = "brief"
    LONG = "long"
    SUPPORT = "support"
    RECOVERY = "recovery"


_FIXED = (_Kind.KEY, _Kind.OPENER, _Kind.BRIEF)
"""Structured sessions: their level comes from the week, not from the TSS to carry."""
_SET_PIECES = (_Kind.OPENER, _Kind.BRIEF)
"""Sessions that keep their natural size whatever the week's target."""
_ROLE = {
    _Kind.KEY: Role.KEY,
    _Kind.OPENER: Role.KEY,
    _Kind.BRIEF: Role.SUPPORT,
    _Kind.LONG: Role.SUPPORT,
    _Kind.SUPPORT: Role.SUPPORT,
    _Kind.RECOVERY: Role.RECOVERY,
}


# --- public API ----------------------------------------------------------------------------------


def week_level(block: BlockPlan, week: WeekPlan, *, earlier_blocks: int = 0) -> int:
    """Progression level (1–10) of a week's key sessions.

    The block type's start (BASE 2, BUILD 3, PEAK 4), plus ``earlier_blocks`` (earlier
    blocks of the same type this season, so a second BASE starts higher), plus one per
    loading week; a recovery week sits one below the block's start and a taper at it.
    """
    start = BLOCK_START_LEVEL[block.type] + earlier_blocks
    if week.is_recovery:
        level = start - 1
    elif week.is_taper:
        level = start
    else:
        level = start + max(week.loading_index, 1) - 1
    return min(max(level, min(LEVELS)), max(LEVELS))


def last_key_day(sessions: Iterable[PlannedSession]) -> dt.date | None:
    """The last key day of placed sessions: the next week's ``previous_key_day``."""
    return max((s.date for s in sessions if s.role is Role.KEY), default=None)


def opener_tss(
    discipline: Discipline, slot: DaySlot, strategy: Strategy, week_tss: float
) -> float | None:
    """TSS of the openers placement puts on a day with ``slot`` before an event of
    ``discipline`` in a week whose target is ``week_tss``; None when no opener fits the
    slot (the day gets an easy spin)."""
    return _opener_tss(discipline, slot, strategy, week_tss)


@lru_cache(maxsize=4096)
def _opener_tss(
    discipline: Discipline, slot: DaySlot, strategy: Strategy, week_tss: float
) -> float | None:
    if slot.minutes < MIN_SESSION_MINUTES:
        return None
    context = _Week(
        target=0.0,
        block_type=BlockType.RACE,
        focus=OPENER_FOCUS[discipline],
        strategy=strategy,
        level=OPENER_LEVEL,
        rotation=0,
        easy=False,
        endurance_level=ENDURANCE_LEVEL,
        terrain=None,
        taper=True,
        hard_budget=None,
    )
    day = _Day(dt.date.min, slot, _Kind.OPENER, OPENER_FOCUS[discipline], Specialty.OPENER)
    _prepare(day, context)
    if day.kind is not _Kind.OPENER:
        return None
    pick = _realize(day, _opener_target(day, week_tss), context)
    return None if pick is None else pick.metrics.tss


def _opener_target(day: _Day, week_tss: float) -> float:
    """The openers' TSS: their natural size, or ``OPENER_WEEK_SHARE`` of a small week."""
    natural = min(max(day.natural, day.lo), day.hi)
    return max(min(natural, OPENER_WEEK_SHARE * week_tss), day.floor)


def place_week(
    week: WeekPlan,
    block: BlockPlan,
    availability: Availability,
    days: Sequence[dt.date],
    strategy: Strategy,
    events: Sequence[Event] = (),
    *,
    previous_key_day: dt.date | None = None,
    level: int | None = None,
    terrain: Specialty | None = None,
) -> list[PlannedSession]:
    """The week's workouts, one per riding day at most, in date order.

    ``days`` are the week's dates inside the plan's range; ``events`` any events on or
    just after them (their day stays empty and the day before gets openers);
    ``previous_key_day`` the last key day already placed before ``days``; ``level``
    overrides ``week_level`` (an audit's progression or regression); ``terrain``
    (``Specialty.CLIMBING`` or ``FLAT``) shapes PEAK and taper key sessions.
    Pure and deterministic: the same arguments give the same sessions.
    """
    slots = tuple((day, availability.slot_on(day)) for day in days)
    chosen = level if level is not None else week_level(block, week)
    return list(
        _place(
            week,
            block.type,
            block.start.toordinal() // 7,
            slots,
            strategy,
            tuple(events),
            previous_key_day,
            chosen,
            terrain,
        )
    )


# --- the week's shape ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Day:
    """One riding day while the week is being placed."""

    date: dt.date
    slot: DaySlot
    kind: _Kind
    focus: BlockFocus | None = None
    specialty: Specialty | None = None
    weight: float = 1.0
    candidates: tuple[Template, ...] = ()
    template: Template | None = None
    levels: tuple[int, ...] = ()
    cap: int = 0
    lo: float = 0.0
    hi: float = 0.0
    hi_usual: float = 0.0
    floor: float = 0.0
    planned_lo: float = 0.0
    """For structured sessions: the least TSS at the lowest level allowed (``lo`` is at
    the week's level)."""
    """For endurance: the most the day carries at its usual intensity (the whole slot)."""
    natural: float = 0.0
    target: float = 0.0
    pick: Pick | None = None
    index: int = 0
    """Turns the day's template rotation: a key session's rank, else its place in the week."""
    is_long: bool = False
    """A key session on the week's longest slot: it may fill the slot with endurance."""

    @property
    def role(self) -> Role:
        return _ROLE[self.kind]


@dataclass(frozen=True, slots=True)
class _Week:
    """What placement needs to know about the week beyond its days."""

    target: float
    block_type: BlockType
    focus: BlockFocus
    strategy: Strategy
    level: int
    rotation: int
    """Turns the template families: fixed within a block, so its weeks progress the same
    workouts level by level (3×12 → 2×20 → 3×15), and changes from block to block."""
    easy: bool
    """Recovery or transition week: support rides stay in Z1–Z2."""
    endurance_level: int
    terrain: Specialty | None
    taper: bool
    hard_budget: int | None
    quiet: frozenset[dt.date] = field(default_factory=frozenset)
    race_week: bool = False
    """An event falls in the week or just after it."""

    @property
    def polarized(self) -> bool:
        return self.strategy is Strategy.POLARIZED


@lru_cache(maxsize=2048)
def _place(
    week: WeekPlan,
    block_type: BlockType,
    block_index: int,
    slots: tuple[tuple[dt.date, DaySlot], ...],
    strategy: Strategy,
    events: tuple[Event, ...],
    previous_key_day: dt.date | None,
    level: int,
    terrain: Specialty | None,
) -> tuple[PlannedSession, ...]:
    if week.tss_target <= 0:
        return ()
    event_days = {event.date for event in events}
    riding = [
        (day, slot)
        for day, slot in slots
        if day not in event_days and slot.minutes >= MIN_SESSION_MINUTES
    ]
    if not riding:
        return ()
    riding_days = {day for day, _ in riding}
    openers = _opener_days(events, riding_days)
    quiet = (
        set(week.light_days)
        | {event.date + _DAY for event in events}
        | {event.date - back * _DAY for event in events for back in (1, 2)}
    ) - set(openers)
    hours = sum(slot.minutes for _, slot in riding) / 60
    easy = week.is_recovery or block_type in (BlockType.TRANSITION, BlockType.PREP)
    context = _Week(
        target=float(week.tss_target),
        block_type=block_type,
        focus=week.focus,
        strategy=strategy,
        level=level,
        rotation=block_index,
        easy=easy,
        endurance_level=EASY_WEEK_ENDURANCE_LEVEL if easy else ENDURANCE_LEVEL,
        terrain=terrain if block_type in (BlockType.PEAK, BlockType.RACE) else None,
        taper=week.is_taper,
        hard_budget=_hard_budget(strategy, hours),
        quiet=frozenset(quiet),
        race_week=bool(events),
    )
    pool = _shape_week(week, riding, openers, events, previous_key_day, hours, context)
    while True:
        plan = list(pool)
        _allocate(plan, context)
        _realize_all(plan, context)
        _rebalance(plan, context)
        # A POLARIZED week that had to give up a hard day is placed again from scratch,
        # so the days left out for the hard one can take the riding back.
        if not context.polarized or _polarize(plan, context):
            break
        pool = [d for d in pool if d.template is not None]
    return tuple(_session(day) for day in sorted(plan, key=lambda d: d.date) if day.pick)


def _opener_days(events: Iterable[Event], riding: set[dt.date]) -> dict[dt.date, Event]:
    """The day before each event, or the day before that when the first has no time."""
    openers: dict[dt.date, Event] = {}
    for event in sorted(events, key=lambda e: e.date):
        for back in (1, 2):
            day = event.date - back * _DAY
            if day in riding:
                openers[day] = event
                break
    return openers


def _hard_budget(strategy: Strategy, hours: float) -> int | None:
    if strategy is not Strategy.POLARIZED:
        return None
    return POLARIZED_HARD_DAYS + (1 if hours >= THIRD_KEY_HOURS else 0)


def _key_count(week: WeekPlan, context: _Week, hours: float, openers: int) -> int:
    """Key sessions the week asks for (openers count against POLARIZED's hard days)."""
    if week.is_recovery or context.block_type in (BlockType.PREP, BlockType.TRANSITION):
        count = 0
    elif week.is_taper:
        count = 1 if openers else 2
    elif context.block_type is BlockType.BASE:
        count = 2 if hours >= BASE_SECOND_KEY_HOURS else 1
    else:
        count = 3 if hours >= THIRD_KEY_HOURS else 2
    if context.hard_budget is not None:
        count = min(count, max(context.hard_budget - openers, 0))
    return count


def _shape_week(
    week: WeekPlan,
    riding: Sequence[tuple[dt.date, DaySlot]],
    openers: Mapping[dt.date, Event],
    events: Sequence[Event],
    previous_key_day: dt.date | None,
    hours: float,
    context: _Week,
) -> list[_Day]:
    """Decide what kind of session each riding day holds, and from which templates."""
    slot_of = dict(riding)
    days = [day for day, _ in riding]
    long_day = _long_day(days, slot_of, openers, context)
    blocked = set(context.quiet) | set(openers)
    blocked |= {day + step * _DAY for day in openers for step in (-1, 1)}
    if previous_key_day is not None:
        blocked.add(previous_key_day + _DAY)
    count = _key_count(week, context, hours, len(openers))
    foci = _key_foci(context, week)
    key_days = _key_days(days, slot_of, count, long_day, blocked, previous_key_day, foci, context)
    brief_day = None
    if week.is_recovery and not openers:
        # A race's openers are the recovery week's brief efforts (and the race its load).
        brief_day = _brief_day(days, slot_of, long_day, context)
    plan: list[_Day] = []
    for index, day in enumerate(days):
        slot = slot_of[day]
        if day in openers:
            event = openers[day]
            item = _Day(day, slot, _Kind.OPENER, focus=OPENER_FOCUS[event.discipline])
            item.specialty = Specialty.OPENER
        elif day in key_days:
            position = sorted(key_days, key=lambda d: (-slot_of[d].minutes, d)).index(day)
            item = _Day(day, slot, _Kind.KEY, focus=foci[position], is_long=day == long_day)
            item.specialty = Specialty.RACE_PACE if context.taper else context.terrain
            item.index = position
        elif day == long_day and slot.minutes >= LONG_MIN_MINUTES:
            item = _Day(day, slot, _Kind.LONG)
        elif day == brief_day:
            item = _Day(day, slot, _Kind.BRIEF, specialty=Specialty.BRIEF_EFFORTS)
        elif any(day == e.date + _DAY for e in events) or _is_eve_of_eve(day, events):
            item = _Day(day, slot, _Kind.RECOVERY)
        else:
            item = _Day(day, slot, _Kind.SUPPORT)
            if day in context.quiet:
                item.weight = LIGHT_DAY_WEIGHT
            elif day - _DAY in key_days or day - _DAY == long_day:
                item.weight = AFTER_HARD_WEIGHT
            if any(0 < (e.date - day).days <= RACE_WEEK_DAYS for e in events):
                # The riding of a race week comes early: fresher legs on the day.
                item.weight *= RACE_WEEK_WEIGHT
        if item.kind is not _Kind.KEY:
            item.index = index
        plan.append(item)
    for item in plan:
        _prepare(item, context)
    return [item for item in plan if item.template is not None]


def _is_eve_of_eve(day: dt.date, events: Sequence[Event]) -> bool:
    """Two days before an event: an easy spin, so nothing hard sits beside the openers."""
    return any(day == e.date - 2 * _DAY for e in events)


def _long_day(
    days: Sequence[dt.date],
    slot_of: Mapping[dt.date, DaySlot],
    openers: Mapping[dt.date, Event],
    context: _Week,
) -> dt.date | None:
    """The longest slot (the later one on a tie: weekends) that is not kept light."""
    if context.block_type is BlockType.TRANSITION:
        return None
    free = [d for d in days if d not in openers and d not in context.quiet]
    if not free:
        return None
    return max(free, key=lambda d: (slot_of[d].minutes, d))


def _key_foci(context: _Week, week: WeekPlan) -> tuple[BlockFocus, BlockFocus, BlockFocus]:
    focus = context.focus
    if context.polarized:
        focus = POLARIZED_FOCUS.get(focus, focus)
    if context.strategy is Strategy.BLOCK:
        first = KEY_FOCI[focus][0]
        return (first, first, first)
    foci = KEY_FOCI[focus]
    if context.polarized:
        foci = (
            foci[0],
            POLARIZED_FOCUS.get(foci[1], foci[1]),
            POLARIZED_FOCUS.get(foci[2], foci[2]),
        )
    if context.strategy is Strategy.UNDULATING and week.number % 2 == 0:
        foci = (foci[1], foci[0], foci[2])
    return foci


def _key_days(
    days: Sequence[dt.date],
    slot_of: Mapping[dt.date, DaySlot],
    count: int,
    long_day: dt.date | None,
    blocked: set[dt.date],
    previous_key_day: dt.date | None,
    foci: Sequence[BlockFocus],
    context: _Week,
) -> set[dt.date]:
    """Up to ``count`` key days, never two in a row, on slots a key workout fits.

    Among the allowed sets the largest wins, then the one with the most usable minutes
    and the widest spacing; the long day hosts a key session only when nothing else can.
    """
    if count == 0:
        return set()
    candidates = [
        day
        for day in days
        if day not in blocked and _fits_key(slot_of[day], foci[0], context, day == long_day)
    ]
    best: tuple[int, float, tuple[dt.date, ...]] = (0, 0.0, ())
    for size in range(min(count, len(candidates)), 0, -1):
        for chosen in combinations(candidates, size):
            if any((b - a).days == 1 for a, b in zip(chosen, chosen[1:], strict=False)):
                continue
            score = _key_score(chosen, slot_of, long_day, previous_key_day)
            if (size, score) > best[:2]:
                best = (size, score, chosen)
        if best[0]:
            break
    return set(best[2])


def _key_score(
    chosen: Sequence[dt.date],
    slot_of: Mapping[dt.date, DaySlot],
    long_day: dt.date | None,
    previous_key_day: dt.date | None,
) -> float:
    score = sum(min(slot_of[d].minutes, KEY_MAX_MINUTES) for d in chosen)
    marks = ([previous_key_day] if previous_key_day else []) + list(chosen)
    score += sum(15 * min((b - a).days, 3) for a, b in zip(marks, marks[1:], strict=False))
    if long_day is not None:
        if long_day in chosen:
            score -= 400
        if long_day + _DAY in chosen:
            score -= 20
    return score


def _fits_key(slot: DaySlot, focus: BlockFocus, context: _Week, is_long: bool) -> bool:
    specialty = Specialty.RACE_PACE if context.taper else context.terrain
    return _key_fits(slot, focus, specialty, context.polarized, is_long)


@lru_cache(maxsize=1024)
def _key_fits(
    slot: DaySlot, focus: BlockFocus, specialty: Specialty | None, polarized: bool, is_long: bool
) -> bool:
    groups = _key_candidates(focus, slot.venue, specialty, polarized, is_long)
    return any(library.min_minutes(t.id, 1) <= slot.minutes for group in groups for t in group)


def _brief_day(
    days: Sequence[dt.date],
    slot_of: Mapping[dt.date, DaySlot],
    long_day: dt.date | None,
    context: _Week,
) -> dt.date | None:
    """The recovery week's one short session of brief efforts: a mid-sized slot."""
    options = [d for d in days if d != long_day and d not in context.quiet]
    options = [d for d in options if slot_of[d].minutes >= 30]
    if not options:
        return None
    return max(options, key=lambda d: (min(slot_of[d].minutes, 60), -d.toordinal()))


# --- templates, levels and bounds per day -------------------------------------------------------


Groups = tuple[tuple[Template, ...], ...]
"""Candidate templates in groups, preferred group first; rotation turns within a group."""


@lru_cache(maxsize=1024)
def _key_candidates(
    focus: BlockFocus | None,
    venue: Venue,
    specialty: Specialty | None,
    polarized: bool,
    is_long: bool,
) -> Groups:
    groups: list[tuple[Template, ...]] = []
    if is_long and specialty is None and not polarized:
        groups.append(library.templates(focus, Role.KEY, venue, Specialty.LONG))
    if specialty is not None:
        groups.append(library.templates(focus, Role.KEY, venue, specialty, polarized=polarized))
        if specialty in (Specialty.RACE_PACE, Specialty.OPENER):
            groups.append(library.templates(None, Role.KEY, venue, specialty, polarized=polarized))
    if specialty is not Specialty.OPENER:
        groups.append(library.templates(focus, Role.KEY, venue, None, polarized=polarized))
    if not any(groups):
        groups.append(library.templates(None, Role.KEY, venue, specialty, polarized=polarized))
    return _distinct(groups)


@lru_cache(maxsize=1024)
def _flexible_candidates(
    kind: _Kind, venue: Venue, polarized: bool, easy: bool, base: bool
) -> Groups:
    ae = BlockFocus.AEROBIC_ENDURANCE
    if kind is _Kind.RECOVERY:
        return (library.templates(ae, Role.RECOVERY, venue),)
    if kind is _Kind.BRIEF:
        return (library.templates(ae, Role.SUPPORT, venue, Specialty.BRIEF_EFFORTS),)
    general = library.templates(ae, Role.SUPPORT, venue, polarized=polarized)
    if easy or polarized:
        general = tuple(t for t in general if library.is_easy(t.id))
    if kind is not _Kind.LONG:
        return (general,)
    long_rides = library.templates(ae, Role.SUPPORT, venue, Specialty.LONG, polarized=polarized)
    if base and not easy and not polarized:
        long_rides += library.templates(BlockFocus.TEMPO, Role.SUPPORT, venue, Specialty.LONG)
    return _distinct([long_rides, general])


def _distinct(groups: Iterable[tuple[Template, ...]]) -> Groups:
    seen: set[str] = set()
    result: list[tuple[Template, ...]] = []
    for group in groups:
        fresh = tuple(t for t in group if t.id not in seen)
        seen.update(t.id for t in fresh)
        if fresh:
            result.append(fresh)
    return tuple(result)


def _ordered(groups: Groups, turn: int) -> tuple[Template, ...]:
    return tuple(t for group in groups for t in _rotated(group, turn))


def _rotated(candidates: tuple[Template, ...], turn: int) -> tuple[Template, ...]:
    if not candidates:
        return candidates
    start = turn % len(candidates)
    return candidates[start:] + candidates[:start]


def _prepare(day: _Day, context: _Week) -> None:
    """Pick the day's template (rotating through its family week by week) and its bounds.

    A day whose slot no template of its kind fits is demoted: key → endurance →
    recovery spin → rest.
    """
    venue = day.slot.venue
    # Openers are always the same session for a discipline, so the skeleton can project
    # their TSS (``opener_tss``): no rotation, their own level.
    turn = 0 if day.kind is _Kind.OPENER else context.rotation + day.index
    while True:
        if day.kind in (_Kind.KEY, _Kind.OPENER):
            groups = _key_candidates(
                day.focus, venue, day.specialty, context.polarized, day.is_long
            )
            cap = day.slot.minutes
            if day.kind is _Kind.OPENER:
                cap = min(cap, OPENER_MAX_MINUTES)
        else:
            groups = _flexible_candidates(
                day.kind,
                venue,
                context.polarized,
                context.easy or context.taper or day.date in context.quiet,
                context.block_type is BlockType.BASE,
            )
            cap = day.slot.minutes
            if day.kind is _Kind.RECOVERY:
                cap = min(cap, RECOVERY_MAX_MINUTES)
            elif day.kind is _Kind.BRIEF:
                cap = min(cap, BRIEF_MAX_MINUTES)
        ordered = _ordered(groups, turn)
        level = OPENER_LEVEL if day.kind is _Kind.OPENER else context.level
        for t in ordered:
            levels = _levels_for(day.kind, t.id, cap, level, context.easy)
            if levels:
                day.template, day.levels, day.cap = t, levels, cap
                day.candidates = ordered
                _bounds(day, context)
                return
        demoted = {
            _Kind.KEY: _Kind.SUPPORT,
            _Kind.OPENER: _Kind.RECOVERY,
            _Kind.LONG: _Kind.SUPPORT,
            _Kind.BRIEF: _Kind.SUPPORT,
            _Kind.SUPPORT: _Kind.RECOVERY,
        }.get(day.kind)
        if demoted is None:
            return
        day.kind, day.specialty, day.focus, day.is_long = demoted, None, None, False


@lru_cache(maxsize=8192)
def _levels_for(kind: _Kind, template_id: str, cap: int, level: int, easy: bool) -> tuple[int, ...]:
    """Levels a day may use, preferred first; empty when the template cannot fit."""
    if kind in (_Kind.KEY, _Kind.OPENER):
        near = tuple(
            lv
            for lv in (level, level - 1, level + 1)
            if lv in LEVELS and library.min_minutes(template_id, lv) <= cap
        )
        if near:
            return near
        lower = [
            lv for lv in range(level - 2, 0, -1) if library.min_minutes(template_id, lv) <= cap
        ]
        return (lower[0],) if lower else ()
    if kind is _Kind.BRIEF:
        return (BRIEF_LEVEL,) if library.min_minutes(template_id, BRIEF_LEVEL) <= cap else ()
    # Every endurance level stays in Z2, so even an easy week may use them all when its
    # target asks for it; the usual level is where it starts.
    return tuple(lv for lv in LEVELS if library.min_minutes(template_id, lv) <= cap)


def _bounds(day: _Day, context: _Week) -> None:
    """Lowest and highest TSS the day can carry, and its natural share."""
    t = day.template
    assert t is not None
    low, high = min(day.levels), max(day.levels)
    if day.kind in _FIXED:
        # The floor is the week's level at its shortest; only a week that cannot fit
        # otherwise takes a session down a level (``floor``). The ceiling stays at the
        # week's level: a long slot is no reason for a harder session.
        # Bounds are estimates for sharing the week out: taken at the comfortable
        # shortest (full warm-up), which the workouts chosen later mostly use anyway.
        preferred = day.levels[0]
        shortest = _comfortable(t.id, preferred, day.cap)
        day.lo = library.tss_at(t.id, preferred, shortest)
        day.floor = library.tss_at(t.id, low, _shortest(t.id, low))
        day.planned_lo = day.lo
        day.hi = library.tss_at(t.id, preferred, day.cap)
        usual_cap = day.cap if day.is_long else max(min(day.cap, KEY_MAX_MINUTES), shortest)
        day.hi_usual = library.tss_at(t.id, preferred, usual_cap)
        minutes = max(shortest, min(day.cap, KEY_NATURAL_MINUTES))
        if day.kind is not _Kind.KEY:  # openers and brief efforts: short and sharp
            minutes = max(_shortest(t.id, preferred), SET_PIECE_MINUTES)
        minutes = min(minutes, day.cap)
        day.natural = library.tss_at(t.id, preferred, minutes)
        if day.kind is _Kind.KEY:
            day.natural *= KEY_WEIGHT
    else:
        # An endurance day can always be shortened to nothing (rest); its hardest
        # version is only worked out when a week needs it (``_hardest``).
        usual = min(max(_usual_level(day, context), low), high)
        day.hi_usual = library.tss_at(t.id, usual, day.cap)
        day.natural = day.hi_usual * day.weight
        if day.kind is _Kind.LONG:
            # The long ride stays long (the longest of the week) unless the week's
            # target cannot afford it.
            minutes = max(min(day.cap, LONG_MIN_MINUTES), _comfortable(t.id, usual, day.cap))
            day.lo = library.tss_at(t.id, usual, min(minutes, day.cap))


def _comfortable(template_id: str, level: int, cap: int) -> int:
    """The shortest duration with a full warm-up, or the shortest at all in a tight slot."""
    comfortable = max(library.comfortable_minutes(template_id, level), MIN_SESSION_MINUTES)
    return comfortable if comfortable <= cap else _shortest(template_id, level)


def _shortest(template_id: str, level: int) -> int:
    """The shortest a template is placed: its own shortest, never under 30 minutes."""
    return max(library.min_minutes(template_id, level), MIN_SESSION_MINUTES)


def _hardest(day: _Day) -> float:
    """The most TSS the day can carry: its template's highest allowed level, whole slot."""
    if not day.hi:
        assert day.template is not None
        day.hi = library.tss_at(day.template.id, max(day.levels), day.cap)
    return day.hi


# --- how much each day carries -------------------------------------------------------------------


def _allocate(plan: list[_Day], context: _Week) -> None:
    """Give each day a TSS target that adds up to the week's.

    Openers and brief efforts keep their natural size; key sessions and endurance days
    share the rest in proportion to their natural size (key sessions weighted up, a day
    after a hard one or before an event down), each within what its slot carries at the
    usual endurance intensity. A day left too little to be worth riding becomes rest
    (the long ride last). Only when every slot is full do endurance rides get harder.
    """
    everyone = list(plan)
    while True:
        pieces = [d for d in plan if d.kind in _SET_PIECES]
        shared = [d for d in plan if d.kind not in _SET_PIECES]
        for day in pieces:
            if day.kind is _Kind.OPENER:
                day.target = _opener_target(day, context.target)
            else:
                day.target = min(max(day.natural, day.lo), day.hi)
        budget = context.target - sum(d.target for d in pieces)
        _share(shared, budget, usual=True)
        short = [d for d in shared if d.kind not in _FIXED and d.target < _useful(d)]
        if not short or len(plan) == 1:
            break
        worst = min(short, key=lambda d: (d.kind is _Kind.LONG, d.target, d.slot.minutes, d.date))
        if context.race_week:
            # Before an event, rest the day nearest to it rather than an early one.
            worst = max(short, key=lambda d: (d.kind is not _Kind.LONG, d.date))
        others = sum(d.target for d in plan) - worst.target
        if abs(context.target - others - _smallest(worst)) < abs(context.target - others):
            # Riding it briefly lands the week closer than resting: a short ride then.
            for day in short:
                day.target = max(day.target, _smallest(day))
            break
        plan.remove(worst)
    if sum(d.target for d in plan) < context.target:
        _share(shared, budget, usual=False)
        return
    # Over the target with everything at its floor: key sessions may go down a level,
    # then the long ride may be shortened, and at last a key session that the week
    # cannot afford becomes an endurance ride.
    for relax in (_Kind.KEY, _Kind.LONG):
        if sum(d.target for d in plan) <= context.target * (1 + TSS_AIM_SHARE):
            return
        for day in shared:
            if day.kind is relax:
                day.lo = day.floor if relax is _Kind.KEY else 0.0
        _share(shared, budget, usual=True)
    keys = [d for d in plan if d.kind is _Kind.KEY]
    if keys and sum(d.target for d in plan) > context.target * (1 + TSS_AIM_SHARE):
        _demote(max(keys, key=lambda d: (d.lo, d.date)), context)
        plan[:] = [d for d in everyone if d.template is not None]
        _allocate(plan, context)


def _demote(day: _Day, context: _Week) -> None:
    """Turn a key session into an endurance ride (the week cannot afford it)."""
    day.kind, day.focus, day.specialty, day.is_long = _Kind.SUPPORT, None, None, False
    day.template, day.pick, day.hi, day.lo, day.floor = None, None, 0.0, 0.0, 0.0
    _prepare(day, context)


def _smallest(day: _Day) -> float:
    """The least TSS a ride on the day can carry: a short recovery spin, usually."""
    spins = _flexible_candidates(_Kind.RECOVERY, day.slot.venue, False, True, False)
    options = [(t.id, 1) for group in spins for t in group]
    if day.template is not None:
        options.append((day.template.id, min(day.levels)))
    return min(
        (
            library.tss_at(template_id, level, _shortest(template_id, level))
            for template_id, level in options
            if library.min_minutes(template_id, level) <= day.slot.minutes
        ),
        default=0.0,
    )


def _useful(day: _Day) -> float:
    t = day.template
    assert t is not None
    level = min(day.levels)
    minutes = min(max(USEFUL_MINUTES, _comfortable(t.id, level, day.cap)), day.cap)
    return USEFUL_SHARE * library.tss_at(t.id, level, minutes)


def _share(days: Sequence[_Day], total: float, *, usual: bool) -> None:
    """Targets proportional to the days' natural sizes, clamped to their bounds (for
    endurance, the usual intensity's or the hardest's), summing to ``total`` when the
    bounds allow: water-filling, solved exactly on the piecewise-linear sum."""
    if not days:
        return
    bounds = [(d, max(d.natural, 1e-6), _ceiling(d, usual)) for d in days]
    if total <= sum(d.lo for d, _, _ in bounds):
        for d, _, _ in bounds:
            d.target = d.lo
        return
    if total >= sum(ceiling for _, _, ceiling in bounds):
        for d, _, ceiling in bounds:
            d.target = ceiling
        return

    def reached(scale: float) -> float:
        return sum(min(max(w * scale, d.lo), c) for d, w, c in bounds)

    breaks = sorted({d.lo / w for d, w, _ in bounds} | {c / w for _, w, c in bounds})
    low = 0.0
    for scale in breaks:
        if reached(scale) >= total:
            high = scale
            break
        low = scale
    else:  # pragma: no cover - the ceiling check above returns first
        high = breaks[-1]
    at_low, at_high = reached(low), reached(high)
    scale = (
        high if at_high == at_low else low + (total - at_low) / (at_high - at_low) * (high - low)
    )
    for d, w, c in bounds:
        d.target = min(max(w * scale, d.lo), c)


def _ceiling(day: _Day, usual: bool) -> float:
    if day.kind in _SET_PIECES or not usual:
        return _hardest(day)
    return day.hi_usual


def _spread(days: Sequence[_Day], gap: float) -> None:
    """Move ``gap`` TSS onto (or off) the days in proportion to their room to move."""
    rooms = [(_hardest(d) - d.target) if gap > 0 else (d.target - d.lo) for d in days]
    total_room = sum(rooms)
    if total_room <= 0:
        return
    share = min(1.0, abs(gap) / total_room)
    sign = 1.0 if gap > 0 else -1.0
    for d, room in zip(days, rooms, strict=True):
        d.target += sign * room * share


# --- turning targets into workouts ---------------------------------------------------------------


def _realize_all(plan: Sequence[_Day], context: _Week) -> None:
    for day in plan:
        day.pick = _realize(day, day.target, context)


def _realize(day: _Day, target: float, context: _Week) -> Pick | None:
    t = day.template
    assert t is not None
    if day.kind in _FIXED:
        # The week's level first: progression stays as planned unless a neighbouring
        # level lands the day's TSS clearly better.
        # (A week that had to take it below the week's level's shortest asks for the
        # neighbouring levels straight away.)
        pick = _fit(t, day.levels[:1], day.cap, target)
        off = pick is None or abs(pick.metrics.tss - target) > LEVEL_SLACK_SHARE * target
        if off or target < day.planned_lo:
            pick = _fit(t, day.levels, day.cap, target) or pick
        return pick
    pick = _fit(t, (_flexible_level(day, target, context),), day.cap, target)
    short_long = pick is not None and pick.minutes < LONG_MIN_MINUTES
    if short_long and t.specialty is Specialty.LONG:
        # A short "long ride" is plain endurance: the closest of the other rides.
        return _closest_ride(day, target, context) or pick
    if pick is None or abs(pick.metrics.tss - target) > RIDE_SLACK_SHARE * max(target, 1.0):
        # This ride's drills need more time than the day's share: another ride fits.
        return _closest_ride(day, target, context) or pick
    return pick


def _fit(t: Template, levels: Sequence[int], cap: int, target: float) -> Pick | None:
    return library.fit(t, levels, cap, target, shortest=MIN_SESSION_MINUTES)


def _closest_ride(day: _Day, target: float, context: _Week) -> Pick | None:
    """The day's candidates (or, for a very small share, a recovery spin) landing closest;
    a "long ride" template only when the ride really is long."""
    options = [(day.kind, t) for t in day.candidates]
    if day.kind is not _Kind.RECOVERY:
        spins = _flexible_candidates(_Kind.RECOVERY, day.slot.venue, False, True, False)
        options += [(_Kind.RECOVERY, t) for group in spins for t in group]
    picks = []
    for kind, other in options:
        cap = min(day.cap, RECOVERY_MAX_MINUTES) if kind is _Kind.RECOVERY else day.cap
        levels = _levels_for(kind, other.id, cap, context.level, context.easy)
        if levels and other.specialty is not Specialty.LONG:
            plain = _Day(day.date, day.slot, kind, template=other, levels=levels)
            plain.cap = cap
            level = _flexible_level(plain, target, context)
            picks.append(_fit(other, (level,), cap, target))
    found = [p for p in picks if p is not None]
    return min(found, key=lambda p: abs(p.metrics.tss - target)) if found else None


def _usual_level(day: _Day, context: _Week) -> int:
    return RECOVERY_LEVEL if day.kind is _Kind.RECOVERY else context.endurance_level


def _flexible_level(day: _Day, target: float, context: _Week) -> int:
    """The endurance level for a target: the usual level when a ride of the slot's length
    or shorter can carry it, a harder one when even the whole slot is not enough (the
    lowest that does), an easier one when even the shortest ride is too much."""
    t = day.template
    assert t is not None
    levels = day.levels
    preferred = min(max(_usual_level(day, context), levels[0]), levels[-1])
    if library.tss_at(t.id, preferred, day.cap) < target:
        harder = [lv for lv in levels if lv > preferred]
        return _first(harder, lambda lv: library.tss_at(t.id, lv, day.cap) >= target, preferred)
    if library.tss_at(t.id, preferred, _comfortable(t.id, preferred, day.cap)) > target:
        easier = [lv for lv in reversed(levels) if lv < preferred]
        return _first(
            easier,
            lambda lv: library.tss_at(t.id, lv, _comfortable(t.id, lv, day.cap)) <= target,
            preferred,
        )
    return preferred


def _first(levels: Sequence[int], good: Callable[[int], bool], default: int) -> int:
    """The first level that is good enough, else the last (``default`` when there are
    none); ``good`` turns true once and stays true along ``levels`` (TSS rises with
    level), so halving finds it."""
    if not levels:
        return default
    low, high = 0, len(levels) - 1
    while low < high:
        middle = (low + high) // 2
        if good(levels[middle]):
            high = middle
        else:
            low = middle + 1
    return levels[low]


def _total(plan: Iterable[_Day]) -> float:
    return sum(d.pick.metrics.tss for d in plan if d.pick is not None)


def _rebalance(plan: list[_Day], context: _Week) -> None:
    """Nudge endurance days (then key sessions) until the week lands near its target;
    a week still over it rests an endurance day when that lands closer."""
    aim = TSS_AIM_SHARE * context.target
    _nudge(plan, context, aim)
    while context.target + aim < _total(plan):
        gap = _total(plan) - context.target
        spare = [d for d in plan if d.kind not in _FIXED and d.pick is not None]
        if not spare or len(plan) == 1:
            return
        day = min(spare, key=lambda d: (d.kind is _Kind.LONG, d.pick.metrics.tss if d.pick else 0))
        kept = [(d, d.target, d.pick) for d in plan if d is not day]
        plan.remove(day)
        _nudge(plan, context, aim)
        if abs(_total(plan) - context.target) >= gap:  # resting it did not help: undo
            for other, target, pick in kept:
                other.target, other.pick = target, pick
            plan.append(day)
            plan.sort(key=lambda d: d.date)
            return


def _nudge(plan: Sequence[_Day], context: _Week, aim: float) -> None:
    for _ in range(REBALANCE_PASSES):
        gap = context.target - _total(plan)
        if abs(gap) <= aim:
            return
        flexible = [d for d in plan if d.kind not in _FIXED and d.pick is not None]
        # Openers keep their size: it is what the skeleton projected for their day.
        fixed = [d for d in plan if d.kind in (_Kind.KEY, _Kind.BRIEF) and d.pick is not None]
        for group in (flexible, fixed):
            if not group:
                continue
            for day in group:
                assert day.pick is not None
                day.target = day.pick.metrics.tss
            _spread(group, gap)
            for day in group:
                day.pick = _realize(day, day.target, context) or day.pick
            gap = context.target - _total(plan)
            if abs(gap) <= aim:
                return


def _polarize(plan: list[_Day], context: _Week) -> bool:
    """Keep POLARIZED weeks ≥ 75 % in Z1–Z2 and ≤ 10 % in Z3: ease the hardest key
    session a level at a time (shorter main sets) and let endurance refill the TSS.
    False when a key session had to become an endurance ride: place the week again."""
    for _ in range(len(LEVELS)):
        zones = [0.0] * 7
        for day in plan:
            if day.pick is not None:
                zones = [a + b for a, b in zip(zones, day.pick.metrics.zone_seconds, strict=True)]
        total = sum(zones)
        easy, tempo = (zones[0] + zones[1]) / max(total, 1.0), zones[2] / max(total, 1.0)
        if easy >= POLARIZED_EASY_SHARE and tempo <= POLARIZED_TEMPO_SHARE:
            return True
        keys = [d for d in plan if d.kind is _Kind.KEY and d.pick is not None]
        if not keys:
            return True
        hardest = max(keys, key=lambda d: sum(d.pick.metrics.zone_seconds[2:]) if d.pick else 0)
        assert hardest.pick is not None and hardest.template is not None
        template_id = hardest.template.id
        easier = [
            level
            for level in range(hardest.pick.level - 1, 0, -1)
            if library.min_minutes(template_id, level) <= hardest.cap
        ]
        pick = None
        if easier:
            hardest.levels = (easier[0],)
            pick = _realize(hardest, hardest.target, context)
        if pick is not None:
            hardest.pick = pick
        else:  # already as easy as it gets: one hard day fewer
            _demote(hardest, context)
            return False
        _nudge(plan, context, TSS_AIM_SHARE * context.target)
    return True


def _session(day: _Day) -> PlannedSession:
    pick = day.pick
    assert pick is not None
    metrics = pick.metrics
    role = day.role if day.kind in _FIXED else pick.template.role
    return PlannedSession(
        date=day.date,
        workout=pick.workout,
        role=role,
        library_id=pick.template.id,
        level=pick.level,
        primary_zone=metrics.primary_zone,
        tss=round(metrics.tss, 1),
        intensity_factor=round(metrics.intensity_factor, 3),
        duration_s=metrics.duration_s,
        venue=day.slot.venue,
    )

"""The built-in workouts: parametric templates across every block focus.

Each progression table lists, per level 1–10, how much work the main set holds; a level
always asks for more than the one below it (more time in zone, or the same time with
less rest). Intensities follow Coggan's zones as fractions of FTP (Allen & Coggan,
*Training and Racing with a Power Meter*): tempo 0.76–0.90, sweet spot 0.88–0.94,
threshold 0.95–1.05, VO2max 1.06–1.20, anaerobic 1.21–1.50, neuromuscular above 1.50.
Interval formats follow common coaching practice (TrainerRoad's progression levels,
Rønnestad's 30/15s, Billat's 30/30s, over-unders, openers the day before a race).

Outdoor templates keep to what a road allows: no short on/offs in traffic, recoveries
of a minute or more, long steady blocks, free riding where terrain sets the effort.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict

from wattz.plan.domain import BlockFocus, Role
from wattz.plan.library_parts import (
    EASY_POWER,
    ENDURANCE_FILLER_POWER,
    LEVELS,
    MainSet,
    Part,
    Specialty,
    Template,
    easy,
    free,
    minutes_label,
    ramp,
    reps,
    steady,
)

AE = BlockFocus.AEROBIC_ENDURANCE
TEMPO = BlockFocus.TEMPO
SS = BlockFocus.SWEET_SPOT
THR = BlockFocus.THRESHOLD
VO2 = BlockFocus.VO2_MAX
AC = BlockFocus.ANAEROBIC_CAPACITY
NM = BlockFocus.NEUROMUSCULAR_POWER
KEY, SUPPORT, RECOVERY = Role.KEY, Role.SUPPORT, Role.RECOVERY

Table = Sequence[tuple[int, int]]
"""Per level: (how many, seconds each)."""


def _m(minutes: float) -> int:
    return round(minutes * 60)


def main_set(label: str, *parts: Part) -> MainSet:
    """A main set padded with easy spinning to a whole minute, so durations stay round."""
    main = MainSet(label, parts)
    spare = -main.seconds % 60
    if spare:
        # At least a minute: a shorter easy step is a fiddly on/off on the road.
        main = MainSet(label, (*parts, easy(spare + 60, say="Recover.")))
    return main


def endurance_power(level: int) -> float:
    """Endurance rides climb through Coggan Z2 with the level: 0.60 at 1, 0.726 at 10."""
    return round(0.60 + 0.014 * (level - 1), 3)


def recovery_power(level: int) -> float:
    """Recovery spins stay in Z1: 0.42 at level 1 up to 0.528 at 10."""
    return round(0.42 + 0.012 * (level - 1), 3)


SPRINT_REST_POWER = 0.58
"""Recoveries between sprints: easy, but brisk enough to keep the legs warm."""

PRIMERS: tuple[Part, ...] = (
    reps(3, steady(30, 1.05, cadence=100, say="Primer: brisk, not hard."), between=easy(60)),
    easy(150, 0.55, say="Settle before the main set."),
)
"""Three short primers before hard work: the warm-up VO2max and sprint sets need."""


def intervals(
    table: Table,
    power: float | Sequence[float],
    *,
    rest: Callable[[int], int],
    say: str,
    cadence: int | None = None,
    rest_say: str = "Easy spin; let the breathing settle.",
    rest_power: float = EASY_POWER,
    prime: bool = False,
    unit: str = "",
) -> Callable[[int], MainSet]:
    """N × on at a power, with a recovery that depends on the length of the effort."""

    def main(level: int) -> MainSet:
        count, on_s = table[level - 1]
        watts = power if isinstance(power, float) else power[level - 1]
        work = reps(
            count,
            steady(on_s, watts, cadence=cadence, say=say),
            between=easy(rest(on_s), rest_power, say=rest_say),
        )
        label = f"{count}×{minutes_label(on_s)}{unit}"
        return main_set(label, *(PRIMERS if prime else ()), work)

    return main


def shaped(
    table: Table,
    shape: Callable[[int], tuple[Part, ...]],
    *,
    rest: Callable[[int], int],
    rest_say: str = "Easy spin; let the breathing settle.",
    prime: bool = False,
    label: Callable[[int, int], str] | None = None,
) -> Callable[[int], MainSet]:
    """N × an effort with inner structure (over-unders, ladders, surges) built by ``shape``."""

    def main(level: int) -> MainSet:
        count, on_s = table[level - 1]
        work = reps(count, *shape(on_s), between=easy(rest(on_s), say=rest_say))
        text = label(count, on_s) if label else f"{count}×{minutes_label(on_s)}"
        return main_set(text, *(PRIMERS if prime else ()), work)

    return main


def micro(
    table: Table,
    on_s: int,
    off_s: int,
    power: float,
    *,
    say: str,
    off_power: float = 0.50,
    set_rest_s: int = 300,
    cadence: int | None = None,
) -> Callable[[int], MainSet]:
    """Sets of short on/offs (30/30, 40/20, 30/15): trainer work, too fiddly for a road."""

    def main(level: int) -> MainSet:
        sets, count = table[level - 1]
        inner = reps(
            count,
            steady(on_s, power, cadence=cadence, say=say),
            between=easy(off_s, off_power, say="Float; stay on the pedals."),
        )
        work = reps(sets, inner, between=easy(set_rest_s, say="Between sets: spin easy."))
        return main_set(f"{sets}×{count}×{on_s}/{off_s} s", *PRIMERS, work)

    return main


def endurance_drills(
    table: Table,
    drill: Callable[[int], tuple[Part, ...]],
    *,
    label: str,
    ride_power: Callable[[int], float] = endurance_power,
) -> Callable[[int], MainSet]:
    """Endurance riding with a drill every few minutes: (how many, seconds of riding between)."""

    def main(level: int) -> MainSet:
        count, ride_s = table[level - 1]
        block = (steady(ride_s, ride_power(level), say="Endurance between drills."), *drill(level))
        return main_set(f"{count}× {label}", reps(count, *block))

    return main


def no_main(level: int) -> MainSet:
    return MainSet("", ())


def _rest_ratio(ratio: float, low_s: int, high_s: int) -> Callable[[int], int]:
    return lambda on_s: max(low_s, min(high_s, round(on_s * ratio / 30) * 30))


def _fixed(seconds: int) -> Callable[[int], int]:
    return lambda on_s: seconds


def _levels(start: float, stop: float) -> tuple[float, ...]:
    step = (stop - start) / 9
    return tuple(round(start + step * index, 3) for index in range(10))


# --- progression tables (per level: count, seconds) -------------------------------------


def _sets(text: str) -> Table:
    """A progression written as it reads: "2x15 3x12 …" (count × minutes), level 1 first."""
    table = tuple((int(n), _m(float(t))) for n, t in (item.split("x") for item in text.split()))
    assert len(table) == len(LEVELS), text
    return table


def _counts(seconds: int, text: str) -> Table:
    """A progression of counts of one effort length: "4 5 6 …", level 1 first."""
    table = tuple((int(n), seconds) for n in text.split())
    assert len(table) == len(LEVELS), text
    return table


TEMPO_TABLE = _sets("2x12 2x15 3x12 2x20 3x15 2x25 3x20 2x30 3x25 2x40")
SWEET_SPOT_TABLE = _sets("2x12 3x10 2x15 3x12 2x20 3x15 4x12 3x20 2x30 4x20")
CLIMB_TABLE = _sets("2x10 2x12 2x15 3x12 2x20 3x15 2x25 3x20 2x30 3x25")
ROAD_BLOCK_TABLE = _sets("1x20 1x25 2x15 1x35 2x20 1x45 2x25 2x30 1x70 2x40")
THRESHOLD_TABLE = _sets("3x6 4x6 3x9 4x8 3x12 2x20 3x15 4x12 3x20 2x30")
OVER_UNDER_TABLE = _sets("2x9 3x9 2x15 3x12 2x18 3x15 4x12 3x18 4x15 3x21")
VO2_TABLE = _sets("4x3 5x3 6x3 5x4 6x4 5x5 7x4 6x5 7x5 8x5")
VO2_LONG_TABLE = _sets("3x5 3x6 4x5 4x6 5x5 4x7 5x6 4x8 5x7 5x8")
HILL_TABLE = _sets("4x3 5x3 4x4 5x4 6x4 5x5 6x5 7x5 6x6 7x6")
ATTACK_TABLE = _sets("3x4 4x4 4x5 5x4 5x5 6x5 6x6 7x5 7x6 8x6")
RACE_PACE_TABLE = _sets("2x4 3x4 2x6 3x5 2x8 3x6 4x5 3x7 4x6 3x8")
TOUCH_TABLE = _sets("2x2 3x2 4x2 3x3 5x2 4x3 5x3 6x3 7x3 8x3")
LONG_TEMPO_TABLE = _sets("1x10 1x15 2x10 1x20 2x15 1x30 2x20 3x15 2x25 3x20")
LONG_SS_TABLE = _sets("1x15 1x20 2x12 2x15 2x18 2x20 3x15 2x25 3x20 2x30")
DRILL_TABLE = _sets("2x9 3x9 3x7 4x7 4x6 5x6 5x5 6x5 6x4 7x4")
"""Endurance with drills: (how many drills, minutes of endurance before each)."""
MICRO_TABLE: Table = (
    (2, 6),
    (2, 8),
    (3, 6),
    (3, 8),
    (3, 10),
    (4, 8),
    (3, 12),
    (4, 10),
    (4, 12),
    (5, 12),
)
"""Short on/offs: (sets, repetitions per set)."""
RONNESTAD_TABLE: Table = (
    (2, 9),
    (2, 11),
    (2, 13),
    (3, 10),
    (3, 11),
    (3, 12),
    (3, 13),
    (4, 11),
    (4, 12),
    (4, 13),
)
REPEAT_TABLE: Table = (
    (2, 5),
    (2, 6),
    (3, 5),
    (3, 6),
    (2, 10),
    (3, 8),
    (4, 7),
    (3, 10),
    (4, 9),
    (4, 10),
)
FLAT_SPRINT_TABLE: Table = (
    (2, 2),
    (2, 3),
    (2, 4),
    (3, 3),
    (2, 5),
    (3, 4),
    (3, 5),
    (4, 4),
    (3, 6),
    (4, 5),
)
ONE_MINUTE_TABLE = _counts(60, "5 6 7 8 9 10 12 14 16 18")
TWO_MINUTE_TABLE = _counts(120, "3 4 5 6 7 8 9 10 11 12")
HILL_EFFORT_TABLE = _counts(45, "5 6 7 8 9 10 12 14 16 18")
SPRINT_TABLE = _counts(15, "4 5 6 7 8 9 10 11 12 14")
START_TABLE = _counts(12, "4 5 6 7 8 9 10 11 12 14")
SPIN_UP_TABLE = _counts(90, "4 5 6 7 8 9 10 11 12 14")
TAPER_EFFORT_TABLE = _counts(45, "2 3 4 5 6 7 8 9 10 12")
TAPER_SPRINT_TABLE = _counts(12, "2 3 4 5 6 7 8 9 10 12")
BRIEF_TABLE = _counts(30, "2 3 4 5 6 7 8 9 10 11")


# --- shapes ------------------------------------------------------------------------------


def _cadence_ladder(
    power: float, cadences: tuple[int, int, int]
) -> Callable[[int], tuple[Part, ...]]:
    def shape(on_s: int) -> tuple[Part, ...]:
        third = on_s // 3
        return tuple(
            steady(
                third if index < 2 else on_s - 2 * third,
                power,
                cadence=rpm,
                say=f"Same power at {rpm} rpm: change gear, not effort.",
            )
            for index, rpm in enumerate(cadences)
        )

    return shape


def _with_surges(
    power: float, surge: float, every_s: int, surge_s: int, say: str
) -> Callable[[int], tuple[Part, ...]]:
    """An interval of ``power`` broken by a short surge every ``every_s`` seconds."""

    def shape(on_s: int) -> tuple[Part, ...]:
        count = max(1, on_s // every_s)
        tail = on_s - count * every_s
        block = reps(
            count,
            steady(every_s - surge_s, power, say=say),
            steady(surge_s, surge, cadence=105, say="Surge! Out of the saddle, then settle back."),
        )
        return (block,) if tail == 0 else (block, steady(tail, power, say=say))

    return shape


def _over_under(under: float, over: float) -> Callable[[int], tuple[Part, ...]]:
    def shape(on_s: int) -> tuple[Part, ...]:
        return (
            reps(
                on_s // 180,
                steady(120, under, say="Under: just below threshold, controlled."),
                steady(60, over, say="Over: lift it above threshold and hold on."),
            ),
        )

    return shape


def _ladder(steps: tuple[float, ...], say: str) -> Callable[[int], tuple[Part, ...]]:
    def shape(on_s: int) -> tuple[Part, ...]:
        part = on_s // len(steps)
        last = on_s - part * (len(steps) - 1)
        return tuple(
            steady(part if index < len(steps) - 1 else last, power, say=say)
            for index, power in enumerate(steps)
        )

    return shape


def _rising(
    start: float, end: float, say: str, cadence: int | None = None
) -> Callable[[int], tuple[Part, ...]]:
    def shape(on_s: int) -> tuple[Part, ...]:
        return (ramp(on_s, start, end, cadence=cadence, say=say),)

    return shape


def _hard_start(kick: float, hold: float) -> Callable[[int], tuple[Part, ...]]:
    def shape(on_s: int) -> tuple[Part, ...]:
        return (
            steady(30, kick, cadence=105, say="Hard start: jump, get the oxygen uptake up fast."),
            steady(on_s - 30, hold, say="Settle to a hard, sustainable VO2max pace."),
        )

    return shape


def _attack(on_s: int) -> tuple[Part, ...]:
    return (
        steady(60, 1.25, cadence=75, say="Attack: out of the saddle, go clear."),
        steady(on_s - 60, 0.90, cadence=80, say="Seated, hold the gap at sweet spot."),
    )


def _breakaway(on_s: int) -> tuple[Part, ...]:
    return (
        steady(on_s - 60, 1.10, cadence=95, say="Bridge across: hard, steady, aero."),
        steady(60, 0.95, cadence=95, say="Hold the gap just under threshold."),
    )


PYRAMIDS: tuple[tuple[int, ...], ...] = (
    (1, 2, 3, 2, 1),
    (1, 2, 3, 3, 2, 1),
    (2, 3, 4, 3, 2),
    (1, 2, 3, 4, 3, 2, 1),
    (2, 3, 4, 4, 3, 2),
    (2, 3, 4, 5, 4, 3),
    (3, 4, 5, 5, 4, 3),
    (2, 3, 4, 5, 5, 4, 3, 2),
    (3, 4, 5, 6, 5, 4, 3),
    (3, 4, 5, 6, 6, 5, 4, 3),
)
"""Per level, the minutes of each effort; the total time at VO2max rises every level."""


def _pyramid(powers: dict[int, float], say: str) -> Callable[[int], MainSet]:
    """A pyramid of efforts; each recovery as long as the shorter effort beside it."""

    def main(level: int) -> MainSet:
        minutes = PYRAMIDS[level - 1]
        parts: list[Part] = list(PRIMERS)
        for index, length in enumerate(minutes):
            if index:
                parts.append(easy(_m(min(length, minutes[index - 1]))))
            parts.append(steady(_m(length), powers.get(length, 1.10), say=say))
        label = "-".join(str(n) for n in minutes) + " min"
        return main_set(label, *parts)

    return main


def _anaerobic_ladder(level: int) -> MainSet:
    rungs = (30, 45, 60, 45, 30)
    sets = (1, 1, 2, 2, 2, 3, 3, 3, 4, 4)[level - 1]
    power = (1.35, 1.40, 1.35, 1.40, 1.45, 1.35, 1.40, 1.45, 1.40, 1.45)[level - 1]
    ladder: list[Part] = []
    for index, seconds in enumerate(rungs):
        if index:
            ladder.append(easy(120, say="Full recovery: spin easy."))
        ladder.append(
            steady(
                seconds, power + (0.1 if seconds == 30 else 0.0), cadence=100, say="All in, smooth."
            )
        )
    work = reps(sets, *ladder, between=easy(360, say="Between ladders: 6 min easy."))
    return main_set(f"{sets}× 30-45-60-45-30 s", *PRIMERS, work)


OPENER_EFFORTS = (2, 2, 3, 3, 3, 4, 4, 4, 5, 5)
OPENER_SPRINTS = (2, 3, 2, 3, 4, 3, 4, 5, 4, 5)
"""Openers per level: race-pace efforts and snap sprints; each level adds one of either."""


def _opener(
    extra_sprints: int, effort_power: float, effort_s: int, say: str
) -> Callable[[int], MainSet]:
    def main(level: int) -> MainSet:
        count = OPENER_EFFORTS[level - 1]
        sprints = OPENER_SPRINTS[level - 1] + extra_sprints
        efforts = reps(
            count, steady(effort_s, effort_power, say=say), between=easy(max(effort_s, 120))
        )
        kicks = reps(
            sprints,
            steady(15, 1.60, cadence=110, say="Snap sprint: fast legs, not a full effort."),
            between=easy(165),
        )
        label = f"{count}×{minutes_label(effort_s)} + {sprints}×15 s"
        return main_set(label, efforts, easy(180, say="Easy before the sprints."), kicks)

    return main


def _brief_efforts(power: float, say: str) -> Callable[[int], MainSet]:
    def main(level: int) -> MainSet:
        count, on_s = BRIEF_TABLE[level - 1]
        block = reps(
            count,
            steady(on_s, power, cadence=100, say=say),
            between=easy(270, endurance_power(level), say="Back to easy endurance."),
        )
        return main_set(f"{count}×{on_s} s", block)

    return main


def _spin_ups(level: int) -> tuple[Part, ...]:
    return (steady(60, 0.60, cadence=110, say="Spin up to 110 rpm; stay smooth, no bouncing."),)


def _single_leg(level: int) -> tuple[Part, ...]:
    return (
        steady(30, 0.50, cadence=80, say="Left leg only: pull through the bottom of the stroke."),
        steady(30, 0.50, cadence=80, say="Right leg only: same, smooth circles."),
        steady(60, 0.55, cadence=95, say="Both legs: keep that smoothness."),
    )


def _torque(level: int) -> tuple[Part, ...]:
    return (steady(180, 0.72, cadence=60, say="Big gear, 55–65 rpm, seated and still."),)


def _sprinkle(level: int) -> tuple[Part, ...]:
    return (
        steady(10, 1.60, cadence=110, say="Sprint: 10 s hard, from a rolling start."),
        easy(110, 0.55, say="Easy: let the legs clear."),
    )


def _rolling(level: int) -> MainSet:
    """Two free-ridden rolling sections; the level lifts the endurance between them."""
    section = free(600, "Rolling terrain by feel: keep the rises below threshold.")
    between = steady(1200, endurance_power(level), say="Steady endurance on the flat.")
    return main_set("2× 10-min rolling sections", reps(2, section, between=between))


def _recovery_spinups(level: int) -> MainSet:
    count = 2 + level // 2
    block = reps(
        count,
        steady(
            30, recovery_power(level), cadence=110, say="Light spin-up to 110 rpm, no pressure."
        ),
        steady(270, recovery_power(level), cadence=90, say="Easy."),
    )
    return main_set(f"{count}× spin-ups", block)


def _sprint_sets(level: int) -> MainSet:
    sets, per_set = FLAT_SPRINT_TABLE[level - 1]
    on_s = 15
    inner = reps(
        per_set,
        steady(
            on_s, 1.80, cadence=110, say="Flat sprint from 30 km/h: wind it up, finish the line."
        ),
        between=easy(285, SPRINT_REST_POWER, say="Roll easy; full recovery."),
    )
    work = reps(sets, inner, between=easy(300, 0.65, say="Endurance between sets."))
    return main_set(f"{sets}×{per_set}×{on_s} s", *PRIMERS, work)


# --- the catalogue ------------------------------------------------------------------------


class _Warm(TypedDict):
    warmup_s: int
    cooldown_s: int
    compact_warmup_s: int
    compact_cooldown_s: int


_RECOVERY_KW = _Warm(warmup_s=300, cooldown_s=300, compact_warmup_s=180, compact_cooldown_s=120)
_ENDURANCE_KW = _Warm(warmup_s=600, cooldown_s=300, compact_warmup_s=300, compact_cooldown_s=180)
_HARD_KW = _Warm(warmup_s=720, cooldown_s=600, compact_warmup_s=480, compact_cooldown_s=300)
"""Warm-up and cool-down lengths (standard, and compact for a tight slot): hard sessions
need the longest warm-up, recovery spins hardly any."""

ROAD_SAY = "On the road: pick a quiet stretch or a steady climb; ride by power or feel."

TEMPLATES: tuple[Template, ...] = (
    # --- recovery ---------------------------------------------------------------------------
    Template(
        "rec-spin",
        "Recovery Spin",
        AE,
        RECOVERY,
        "A short, very easy spin that speeds recovery without adding fatigue.",
        no_main,
        zone=1,
        filler=recovery_power,
        filler_say="Very easy: light gear, 85–95 rpm, breathe through the nose.",
        **_RECOVERY_KW,
    ),
    Template(
        "rec-spinups",
        "Recovery with Spin-ups",
        AE,
        RECOVERY,
        "Easy spinning with a few light, high-cadence spin-ups to keep the legs supple.",
        _recovery_spinups,
        zone=1,
        filler=recovery_power,
        filler_say="Very easy spinning.",
        **_RECOVERY_KW,
    ),
    Template(
        "rec-coffee",
        "Easy Coffee Spin",
        AE,
        RECOVERY,
        "An easy road spin on flat roads: small gears, no efforts, enjoy the ride.",
        no_main,
        zone=1,
        filler=recovery_power,
        indoor=False,
        filler_say="Flat roads, small gears; if a hill comes, spin up it.",
        **_RECOVERY_KW,
    ),
    Template(
        "rec-flush",
        "Leg Flush",
        AE,
        RECOVERY,
        "Easy, high-ish cadence spinning to flush the legs the day after a hard session.",
        no_main,
        zone=1,
        filler=recovery_power,
        outdoor=False,
        filler_say="Easy at 95–100 rpm: light and fast, no pressure.",
        **_RECOVERY_KW,
    ),
    # --- endurance ---------------------------------------------------------------------------
    Template(
        "end-steady",
        "Endurance",
        AE,
        SUPPORT,
        "Steady aerobic riding in zone 2: builds fat metabolism, capillaries and durability.",
        no_main,
        zone=2,
        filler=endurance_power,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-long-road",
        "Long Endurance Ride",
        AE,
        SUPPORT,
        "The week's long ride on the road: steady zone 2, fuel early and often.",
        no_main,
        zone=2,
        filler=endurance_power,
        indoor=False,
        specialty=Specialty.LONG,
        filler_say="Conversational pace; eat every 30 min, drink every 15.",
        **_ENDURANCE_KW,
    ),
    Template(
        "end-long-steady",
        "Long Steady Endurance",
        AE,
        SUPPORT,
        "A long zone-2 ride that works indoors or out: hold the power, keep the cadence up.",
        no_main,
        zone=2,
        filler=endurance_power,
        specialty=Specialty.LONG,
        filler_say="Steady zone 2 at 85–95 rpm; eat and drink on schedule.",
        **_ENDURANCE_KW,
    ),
    Template(
        "end-cadence",
        "Endurance with Cadence Drills",
        AE,
        SUPPORT,
        "Zone 2 with one-minute spin-ups: pedalling efficiency at no extra cost.",
        endurance_drills(DRILL_TABLE, _spin_ups, label="spin-ups"),
        zone=2,
        filler=endurance_power,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-single-leg",
        "Endurance with Pedalling Drills",
        AE,
        SUPPORT,
        "Zone 2 with single-leg drills for a rounder pedal stroke; a trainer session.",
        endurance_drills(DRILL_TABLE, _single_leg, label="single-leg drills"),
        zone=2,
        filler=endurance_power,
        outdoor=False,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-torque",
        "Endurance with Low-Cadence Strength",
        AE,
        SUPPORT,
        "Zone 2 with low-cadence, big-gear blocks: strength for climbing, kind to the heart.",
        endurance_drills(DRILL_TABLE, _torque, label="3-min big-gear blocks"),
        zone=2,
        filler=endurance_power,
        specialty=Specialty.CLIMBING,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-sprinkles",
        "Endurance with Sprints",
        AE,
        SUPPORT,
        "Zone 2 with short, sharp 10-second sprints to keep the top end awake.",
        endurance_drills(DRILL_TABLE, _sprinkle, label="10-s sprints"),
        zone=2,
        filler=endurance_power,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-rolling",
        "Rolling Roads",
        AE,
        SUPPORT,
        "Free riding over rolling terrain, alternating with steady zone 2 on the flat.",
        _rolling,
        zone=2,
        filler=endurance_power,
        indoor=False,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-long-tempo",
        "Long Ride with Tempo",
        TEMPO,
        SUPPORT,
        "A long endurance ride with tempo blocks in the middle: muscular endurance for the road.",
        intervals(
            LONG_TEMPO_TABLE,
            0.80,
            rest=_fixed(600),
            say="Tempo: steady, strong, 85–95 rpm.",
            rest_say="Back to endurance.",
            rest_power=0.62,
            unit=" tempo",
        ),
        zone=3,
        specialty=Specialty.LONG,
        pre_share=0.5,
        **_ENDURANCE_KW,
    ),
    Template(
        "end-long-sweet-spot",
        "Long Ride with Sweet Spot",
        SS,
        KEY,
        "A long ride with sweet-spot blocks after the first hour: the classic base long day.",
        intervals(
            LONG_SS_TABLE,
            0.89,
            rest=_fixed(600),
            say="Sweet spot: hard but sustainable.",
            rest_say="Back to endurance.",
            rest_power=0.62,
            unit=" sweet spot",
        ),
        zone=3,
        specialty=Specialty.LONG,
        pre_share=0.4,
        **_ENDURANCE_KW,
    ),
    # --- tempo -----------------------------------------------------------------------------
    Template(
        "tempo-steady",
        "Tempo",
        TEMPO,
        KEY,
        "Steady tempo intervals: muscular endurance and aerobic power, the backbone of base.",
        intervals(
            TEMPO_TABLE,
            _levels(0.80, 0.85),
            rest=_fixed(300),
            say="Tempo: strong and steady, 85–95 rpm.",
        ),
        zone=3,
    ),
    Template(
        "tempo-cadence",
        "Tempo Cadence Ladder",
        TEMPO,
        KEY,
        "Tempo intervals split into thirds at 85, 95 and 105 rpm: same power, different gears.",
        shaped(TEMPO_TABLE, _cadence_ladder(0.82, (85, 95, 105)), rest=_fixed(300)),
        zone=3,
    ),
    Template(
        "tempo-surges",
        "Tempo with Surges",
        TEMPO,
        KEY,
        "Tempo broken by a 10-second surge every two minutes, like holding a wheel in a group.",
        shaped(
            TEMPO_TABLE,
            _with_surges(0.80, 1.30, 120, 10, "Tempo between surges."),
            rest=_fixed(300),
        ),
        zone=3,
        outdoor=False,
    ),
    Template(
        "tempo-low-cadence",
        "Low-Cadence Tempo",
        TEMPO,
        KEY,
        "Tempo at 60–65 rpm: the torque of a long climb without needing the mountain.",
        intervals(
            TEMPO_TABLE,
            0.82,
            rest=_fixed(300),
            cadence=62,
            say="Big gear at 60–65 rpm, seated, quiet upper body.",
        ),
        zone=3,
        specialty=Specialty.CLIMBING,
    ),
    Template(
        "tempo-high-cadence",
        "High-Cadence Tempo",
        TEMPO,
        KEY,
        "Tempo at 100–105 rpm: the leg speed flat roads and fast group rides ask for.",
        intervals(
            TEMPO_TABLE,
            0.80,
            rest=_fixed(300),
            cadence=102,
            say="Light gear at 100–105 rpm; stay smooth on the saddle.",
        ),
        zone=3,
        specialty=Specialty.FLAT,
    ),
    Template(
        "tempo-progressive",
        "Progressive Tempo",
        TEMPO,
        KEY,
        "Each tempo interval builds from low to high tempo: learn to hold pace as fatigue rises.",
        shaped(
            TEMPO_TABLE,
            _rising(0.77, 0.88, "Build steadily through the interval."),
            rest=_fixed(300),
        ),
        zone=3,
    ),
    Template(
        "tempo-road",
        "Tempo on the Road",
        TEMPO,
        KEY,
        "Long, unbroken tempo blocks for open roads: find a steady route and settle in.",
        intervals(ROAD_BLOCK_TABLE, 0.82, rest=_fixed(600), say=ROAD_SAY),
        zone=3,
        pre_share=0.3,
    ),
    # --- sweet spot -------------------------------------------------------------------------
    Template(
        "ss-steady",
        "Sweet Spot",
        SS,
        KEY,
        "Sweet-spot intervals just under threshold: the most fitness per hour of training.",
        intervals(
            SWEET_SPOT_TABLE,
            _levels(0.88, 0.92),
            rest=_fixed(300),
            say="Sweet spot: hard but controlled, 85–95 rpm.",
        ),
        zone=4,
    ),
    Template(
        "ss-bursts",
        "Sweet Spot with Bursts",
        SS,
        KEY,
        "Sweet spot with a short burst every three minutes: recover while still working.",
        shaped(
            SWEET_SPOT_TABLE,
            _with_surges(0.89, 1.30, 180, 15, "Sweet spot between bursts."),
            rest=_fixed(300),
        ),
        zone=4,
        outdoor=False,
    ),
    Template(
        "ss-torque",
        "Sweet Spot Torque",
        SS,
        KEY,
        "Sweet spot at 60–70 rpm: climbing strength and seated power.",
        intervals(
            SWEET_SPOT_TABLE,
            0.88,
            rest=_fixed(300),
            cadence=65,
            say="Big gear, 60–70 rpm, seated: push through the whole stroke.",
        ),
        zone=3,
        specialty=Specialty.CLIMBING,
    ),
    Template(
        "ss-climbs",
        "Sustained Climbs",
        SS,
        KEY,
        "Long sweet-spot climbs at 75 rpm; outdoors, use a real climb and descend to recover.",
        intervals(
            CLIMB_TABLE,
            0.91,
            rest=_rest_ratio(0.5, 300, 600),
            cadence=75,
            say="Climb at sweet spot, 70–80 rpm; stand for 20 s each 5 min.",
            rest_say="Descend or spin easy.",
        ),
        zone=4,
        specialty=Specialty.CLIMBING,
        pre_share=0.3,
    ),
    Template(
        "ss-ramps",
        "Sweet Spot Ramps",
        SS,
        KEY,
        "Each interval climbs from the bottom to the top of sweet spot.",
        shaped(
            SWEET_SPOT_TABLE,
            _rising(0.86, 0.94, "Build gradually; finish strong."),
            rest=_fixed(300),
        ),
        zone=4,
    ),
    Template(
        "ss-cadence",
        "Sweet Spot Cadence Changes",
        SS,
        KEY,
        "Sweet spot alternating 85, 100 and 70 rpm: power through any cadence.",
        shaped(SWEET_SPOT_TABLE, _cadence_ladder(0.89, (85, 100, 70)), rest=_fixed(300)),
        zone=3,
    ),
    Template(
        "ss-road",
        "Sweet Spot on the Road",
        SS,
        KEY,
        "Long unbroken sweet-spot blocks for a quiet road or a long drag.",
        intervals(ROAD_BLOCK_TABLE, 0.89, rest=_fixed(600), say=ROAD_SAY),
        zone=3,
        pre_share=0.3,
    ),
    Template(
        "ss-aero",
        "Aero Sweet Spot",
        SS,
        KEY,
        "Sweet spot in the drops or on the aerobars at 90–95 rpm: power where speed is made.",
        intervals(
            SWEET_SPOT_TABLE,
            0.88,
            rest=_fixed(300),
            cadence=92,
            say="Low and narrow: drops or aerobars, relaxed shoulders.",
        ),
        zone=3,
        specialty=Specialty.FLAT,
    ),
    # --- threshold ----------------------------------------------------------------------------
    Template(
        "thr-steady",
        "Threshold",
        THR,
        KEY,
        "Intervals at FTP: raise the power you can hold for an hour.",
        intervals(
            THRESHOLD_TABLE,
            _levels(0.95, 1.00),
            rest=_rest_ratio(0.5, 240, 480),
            say="Threshold: right on FTP, steady breathing, 85–95 rpm.",
        ),
        zone=4,
    ),
    Template(
        "thr-over-under",
        "Over-Unders",
        THR,
        KEY,
        "Alternating just under and just over threshold: clear lactate while working.",
        shaped(OVER_UNDER_TABLE, _over_under(0.95, 1.08), rest=_fixed(300)),
        zone=4,
        outdoor=False,
    ),
    Template(
        "thr-climb",
        "Threshold Climbs",
        THR,
        KEY,
        "Threshold at 70–75 rpm as on a steady climb; outdoors, use a real climb.",
        intervals(
            THRESHOLD_TABLE,
            0.97,
            rest=_rest_ratio(0.5, 300, 480),
            cadence=72,
            say="Climbing threshold, 70–75 rpm; seated, breathe deep.",
            rest_say="Descend or spin easy.",
        ),
        zone=4,
        specialty=Specialty.CLIMBING,
    ),
    Template(
        "thr-tt",
        "Time-Trial Threshold",
        THR,
        KEY,
        "Threshold on the aerobars at 95 rpm: time-trial and breakaway power.",
        intervals(
            THRESHOLD_TABLE,
            0.97,
            rest=_rest_ratio(0.5, 240, 480),
            cadence=95,
            say="TT position, 95 rpm, eyes up, power steady.",
        ),
        zone=4,
        specialty=Specialty.FLAT,
    ),
    Template(
        "thr-ladder",
        "Threshold Ladders",
        THR,
        KEY,
        "Each interval steps up 92, 97 and 102 % of FTP.",
        shaped(
            THRESHOLD_TABLE,
            _ladder((0.92, 0.97, 1.02), "Step up; hold it smooth."),
            rest=_rest_ratio(0.5, 240, 480),
        ),
        zone=4,
    ),
    Template(
        "thr-surges",
        "Criterium Threshold",
        THR,
        KEY,
        "Threshold with a sprint-out-of-the-corner surge every two minutes.",
        shaped(
            THRESHOLD_TABLE,
            _with_surges(0.95, 1.50, 120, 10, "Threshold between corners."),
            rest=_rest_ratio(0.5, 240, 480),
        ),
        zone=4,
        specialty=Specialty.FLAT,
        outdoor=False,
    ),
    Template(
        "thr-road",
        "Threshold on the Road",
        THR,
        KEY,
        "Long threshold blocks for an open road or a long climb.",
        intervals(ROAD_BLOCK_TABLE, _levels(0.94, 0.97), rest=_fixed(600), say=ROAD_SAY),
        zone=4,
        pre_share=0.3,
    ),
    Template(
        "thr-rising",
        "Threshold Progression",
        THR,
        KEY,
        "Each interval ramps from sweet spot through FTP: finish where it hurts.",
        shaped(
            THRESHOLD_TABLE,
            _rising(0.90, 1.04, "Build through FTP; finish strong."),
            rest=_rest_ratio(0.5, 240, 480),
        ),
        zone=4,
    ),
    # --- VO2max -------------------------------------------------------------------------------
    Template(
        "vo2-classic",
        "VO2max Intervals",
        VO2,
        KEY,
        "Three- to five-minute efforts at 115 % of FTP: the classic way to raise the ceiling.",
        intervals(
            VO2_TABLE,
            1.15,
            rest=_rest_ratio(1.0, 120, 300),
            prime=True,
            say="VO2max: hard, high cadence 95–105 rpm, breathe deep.",
        ),
        zone=5,
        **_HARD_KW,
    ),
    Template(
        "vo2-30-30",
        "30/30s",
        VO2,
        KEY,
        "Billat's 30/30s: thirty seconds hard, thirty easy, accumulating time near VO2max.",
        micro(MICRO_TABLE, 30, 30, 1.20, say="On: 120 %, spin fast.", cadence=100),
        zone=5,
        outdoor=False,
        **_HARD_KW,
    ),
    Template(
        "vo2-40-20",
        "40/20s",
        VO2,
        KEY,
        "Forty seconds on, twenty off: short rests keep oxygen uptake high.",
        micro(MICRO_TABLE, 40, 20, 1.18, say="On: 118 %, stay seated, high cadence.", cadence=100),
        zone=5,
        outdoor=False,
        **_HARD_KW,
    ),
    Template(
        "vo2-30-15",
        "30/15s (Rønnestad)",
        VO2,
        KEY,
        "Rønnestad's short intervals: 30 s hard, 15 s easy, in sets of about ten minutes.",
        micro(
            RONNESTAD_TABLE,
            30,
            15,
            1.22,
            say="On: 122 %, 100+ rpm.",
            off_power=0.55,
            set_rest_s=180,
            cadence=102,
        ),
        zone=5,
        outdoor=False,
        **_HARD_KW,
    ),
    Template(
        "vo2-hard-starts",
        "Hard-Start VO2max",
        VO2,
        KEY,
        "Each interval opens with a 30-second kick, so oxygen uptake rises sooner.",
        shaped(VO2_TABLE, _hard_start(1.40, 1.10), rest=_rest_ratio(1.0, 120, 300), prime=True),
        zone=5,
        **_HARD_KW,
    ),
    Template(
        "vo2-long",
        "Long VO2max Intervals",
        VO2,
        KEY,
        "Five- to seven-minute efforts at the low end of VO2max; good on a steady road climb.",
        intervals(
            VO2_LONG_TABLE,
            1.08,
            rest=_rest_ratio(0.8, 180, 300),
            prime=True,
            say="Just above threshold pace, 90–100 rpm; even pacing.",
        ),
        zone=5,
        **_HARD_KW,
    ),
    Template(
        "vo2-hills",
        "Hill Repeats",
        VO2,
        KEY,
        "Three- to six-minute climbs at 110 %, recovering on the way down.",
        intervals(
            HILL_TABLE,
            1.10,
            rest=_rest_ratio(1.0, 180, 360),
            prime=True,
            cadence=80,
            say="Climb hard, 75–85 rpm; stand for the steep bits.",
            rest_say="Turn around, descend, spin easy.",
        ),
        zone=5,
        specialty=Specialty.CLIMBING,
        **_HARD_KW,
    ),
    Template(
        "vo2-pyramid",
        "VO2max Pyramid",
        VO2,
        KEY,
        "Efforts climb and descend in length; shorter efforts go a little harder.",
        _pyramid(
            {1: 1.20, 2: 1.18, 3: 1.15, 4: 1.12, 5: 1.10, 6: 1.08, 7: 1.07},
            "VO2max: high cadence, even effort.",
        ),
        zone=5,
        **_HARD_KW,
    ),
    Template(
        "vo2-breakaway",
        "Breakaway Efforts",
        VO2,
        KEY,
        "Bridge to the break at VO2max, then hold the gap just under threshold.",
        shaped(VO2_TABLE, _breakaway, rest=_rest_ratio(1.0, 180, 300), prime=True),
        zone=5,
        specialty=Specialty.FLAT,
        **_HARD_KW,
    ),
    # --- anaerobic capacity ----------------------------------------------------------------------
    Template(
        "ac-one-minute",
        "One-Minute Efforts",
        AC,
        KEY,
        "One-minute efforts at 130 % with long recoveries: anaerobic capacity and tolerance.",
        intervals(
            ONE_MINUTE_TABLE,
            1.30,
            rest=_fixed(180),
            prime=True,
            cadence=100,
            say="Go hard from the start; hold 100+ rpm to the end.",
        ),
        zone=6,
        **_HARD_KW,
    ),
    Template(
        "ac-two-minute",
        "Two-Minute Efforts",
        AC,
        KEY,
        "Two-minute efforts at 122 %: the pain of a short climb or a late attack.",
        intervals(
            TWO_MINUTE_TABLE,
            1.22,
            rest=_fixed(240),
            prime=True,
            cadence=95,
            say="Even pacing: the last 30 s must still be 122 %.",
        ),
        zone=6,
        **_HARD_KW,
    ),
    Template(
        "ac-repeatability",
        "Repeatability",
        AC,
        KEY,
        "Sets of 20-second surges with 40 s easy: closing gaps again and again on flat roads.",
        micro(
            REPEAT_TABLE,
            20,
            40,
            1.50,
            say="Surge: 150 %, out of the saddle, then sit.",
            off_power=0.55,
            cadence=105,
        ),
        zone=6,
        specialty=Specialty.FLAT,
        outdoor=False,
        **_HARD_KW,
    ),
    Template(
        "ac-attacks",
        "Climbing Attacks",
        AC,
        KEY,
        "Attack out of the saddle for a minute, then hold sweet spot seated: race-winning climbs.",
        shaped(
            ATTACK_TABLE,
            _attack,
            rest=_rest_ratio(1.0, 180, 360),
            prime=True,
            label=lambda count, on_s: f"{count}× attack + {minutes_label(on_s - 60)}",
        ),
        zone=6,
        specialty=Specialty.CLIMBING,
        **_HARD_KW,
    ),
    Template(
        "ac-ladder",
        "Anaerobic Ladders",
        AC,
        KEY,
        "Ladders of 30, 45 and 60 seconds, all in, with full recovery.",
        _anaerobic_ladder,
        zone=6,
        outdoor=False,
        **_HARD_KW,
    ),
    Template(
        "ac-hill-sprints",
        "Hill Efforts",
        AC,
        KEY,
        "Forty-five-second efforts up a short, steep hill; roll back down to recover.",
        intervals(
            HILL_EFFORT_TABLE,
            1.40,
            rest=_fixed(255),
            prime=True,
            cadence=85,
            say="Up the hill at 140 %: seated start, stand to finish.",
            rest_say="Roll back down, spin easy.",
        ),
        zone=6,
        specialty=Specialty.CLIMBING,
        **_HARD_KW,
    ),
    # --- neuromuscular power -----------------------------------------------------------------
    Template(
        "nm-sprints",
        "Sprint Power",
        NM,
        KEY,
        "Fifteen-second maximal sprints with full recovery: peak power and sprint form.",
        intervals(
            SPRINT_TABLE,
            2.00,
            rest=_fixed(285),
            prime=True,
            cadence=110,
            say="Maximal sprint: explode, then spin it out to 120 rpm.",
            rest_say="Full recovery: spin easy.",
            rest_power=SPRINT_REST_POWER,
        ),
        zone=7,
        **_HARD_KW,
    ),
    Template(
        "nm-standing-starts",
        "Standing Starts",
        NM,
        KEY,
        "Twelve-second sprints from almost a standstill in a big gear: raw torque.",
        intervals(
            START_TABLE,
            1.80,
            rest=_fixed(288),
            prime=True,
            cadence=60,
            say="From 10 km/h in a big gear: stand, drive the pedals (use level mode, not ERG).",
            rest_say="Full recovery: spin easy.",
            rest_power=SPRINT_REST_POWER,
        ),
        zone=7,
        **_HARD_KW,
    ),
    Template(
        "nm-flat-sprints",
        "Flat Sprints from Speed",
        NM,
        KEY,
        "Sprints launched from speed on a flat road, in sets, the way a bunch sprint starts.",
        _sprint_sets,
        zone=7,
        specialty=Specialty.FLAT,
        **_HARD_KW,
    ),
    Template(
        "nm-uphill-sprints",
        "Uphill Sprints",
        NM,
        KEY,
        "Short sprints up a steep grade from a low speed: force at low cadence.",
        intervals(
            START_TABLE,
            1.70,
            rest=_fixed(288),
            prime=True,
            cadence=70,
            say="Uphill, from slow: all in for 12 s.",
            rest_say="Roll back down and spin.",
            rest_power=SPRINT_REST_POWER,
        ),
        zone=7,
        specialty=Specialty.CLIMBING,
        **_HARD_KW,
    ),
    Template(
        "nm-spin-ups",
        "High-Cadence Spin-ups",
        NM,
        SUPPORT,
        "Light-resistance spin-ups to 130 rpm: leg speed and coordination, little fatigue.",
        endurance_drills(
            SPIN_UP_TABLE,
            lambda level: (
                steady(30, 0.75, cadence=130, say="Build to 130+ rpm, no bouncing on the saddle."),
            ),
            label="30-s spin-ups",
            ride_power=lambda level: ENDURANCE_FILLER_POWER,
        ),
        zone=2,
        outdoor=False,
        **_ENDURANCE_KW,
    ),
    # --- openers (taper: the day or two before an event) --------------------------------------
    Template(
        "open-classic",
        "Openers",
        VO2,
        KEY,
        "Day-before-race openers: a few short hard efforts and snap sprints; ready, not tired.",
        _opener(1, 1.15, 60, "Race pace: hard but not all out."),
        zone=5,
        specialty=Specialty.OPENER,
        **_HARD_KW,
    ),
    Template(
        "open-threshold",
        "Race-Pace Openers",
        THR,
        KEY,
        "Two or three short efforts at threshold and a few sprints: rehearse race pace.",
        _opener(0, 1.00, 180, "Race pace at FTP: settle into it."),
        zone=4,
        specialty=Specialty.OPENER,
        **_HARD_KW,
    ),
    Template(
        "open-sprint",
        "Sprint Openers",
        NM,
        KEY,
        "Short VO2 efforts and more sprints: wake the fast fibres for a criterium or a sprint.",
        _opener(2, 1.10, 60, "Quick effort at 110 %."),
        zone=5,
        specialty=Specialty.OPENER,
        **_HARD_KW,
    ),
    Template(
        "open-tt",
        "TT Openers",
        THR,
        KEY,
        "Efforts at time-trial pace on the aerobars before a TT.",
        _opener(0, 0.98, 240, "TT pace, aero, 95 rpm."),
        zone=4,
        specialty=Specialty.OPENER,
        **_HARD_KW,
    ),
    Template(
        "open-climb",
        "Climbing Openers",
        VO2,
        KEY,
        "Short climbing efforts at VO2max and a couple of sprints, before a hilly race.",
        _opener(0, 1.08, 120, "Climbing pace, 80 rpm."),
        zone=5,
        specialty=Specialty.OPENER,
        **_HARD_KW,
    ),
    # --- race-pace work for taper weeks -------------------------------------------------------
    Template(
        "taper-threshold",
        "Race-Pace Threshold",
        THR,
        KEY,
        "Short efforts at race pace: keep the intensity while volume comes down.",
        intervals(
            RACE_PACE_TABLE, 1.00, rest=_fixed(240), say="Race pace at FTP: smooth and sure."
        ),
        zone=4,
        specialty=Specialty.RACE_PACE,
        **_HARD_KW,
    ),
    Template(
        "taper-vo2",
        "Short VO2max Touches",
        VO2,
        KEY,
        "A few two-minute efforts at VO2max to keep the top end sharp during the taper.",
        intervals(
            TOUCH_TABLE,
            1.15,
            rest=_fixed(180),
            prime=True,
            cadence=100,
            say="Hard, high cadence, controlled.",
        ),
        zone=5,
        specialty=Specialty.RACE_PACE,
        **_HARD_KW,
    ),
    Template(
        "taper-sweet-spot",
        "Short Sweet Spot",
        SS,
        KEY,
        "Brief sweet-spot blocks: rhythm without fatigue in the last days before racing.",
        intervals(RACE_PACE_TABLE, 0.90, rest=_fixed(180), say="Sweet spot: relaxed and steady."),
        zone=3,
        specialty=Specialty.RACE_PACE,
    ),
    Template(
        "taper-tempo",
        "Race-Rhythm Tempo",
        TEMPO,
        KEY,
        "Tempo at the rhythm of a long event: practise eating and drinking at race pace.",
        intervals(
            RACE_PACE_TABLE,
            0.83,
            rest=_fixed(180),
            say="Race rhythm: eat and drink as you will on the day.",
        ),
        zone=3,
        specialty=Specialty.RACE_PACE,
    ),
    Template(
        "taper-anaerobic",
        "Sharpening Efforts",
        AC,
        KEY,
        "A few 45-second efforts with full recovery: sharp legs, no fatigue.",
        intervals(
            TAPER_EFFORT_TABLE,
            1.30,
            rest=_fixed(255),
            prime=True,
            cadence=100,
            say="Sharp and fast, 100+ rpm.",
        ),
        zone=6,
        specialty=Specialty.RACE_PACE,
        **_HARD_KW,
    ),
    Template(
        "taper-sprints",
        "Sprint Sharpening",
        NM,
        KEY,
        "A handful of sprints with long recoveries to keep the snap in the legs.",
        intervals(
            TAPER_SPRINT_TABLE,
            1.80,
            rest=_fixed(288),
            prime=True,
            cadence=110,
            say="Fast sprint, not maximal.",
            rest_power=SPRINT_REST_POWER,
        ),
        zone=7,
        specialty=Specialty.RACE_PACE,
        **_HARD_KW,
    ),
    # --- recovery weeks: one short session of brief efforts -------------------------------------
    Template(
        "rw-brief",
        "Easy with Brief Efforts",
        AE,
        SUPPORT,
        "Recovery-week riding with a few 30-second efforts, so the legs remember speed.",
        _brief_efforts(1.10, "Brief effort: quick and light, not a sprint."),
        zone=2,
        specialty=Specialty.BRIEF_EFFORTS,
        filler=endurance_power,
        **_ENDURANCE_KW,
    ),
    Template(
        "rw-fast-pedal",
        "Easy with Fast Pedalling",
        AE,
        SUPPORT,
        "Recovery-week riding with 30-second fast-pedalling bursts at moderate power.",
        _brief_efforts(0.85, "Fast pedalling, 110+ rpm, moderate power."),
        zone=2,
        specialty=Specialty.BRIEF_EFFORTS,
        filler=endurance_power,
        **_ENDURANCE_KW,
    ),
)

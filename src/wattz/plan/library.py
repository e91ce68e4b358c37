"""The built-in workout library: parametric AWP templates, their metrics, and choosing one.

A template (``library_catalog``) fixes a main set per progression level 1–10; this module
wraps it in a warm-up, endurance filler and a cool-down to fill exactly the minutes asked
(``build``), scores it (``session_metrics``) and picks the template, level and duration
whose TSS lands closest to a day's share of the week (``choose``).

Speed matters (a 52-week plan is generated in well under 100 ms), so metrics are not
computed by unrolling each candidate. They are exact all the same: NP needs the sum of
the fourth powers of 30-second rolling means. Inside a long steady step every window is
the same, and inside a ramp the window mean is linear, so both sum in closed form; only
the windows that straddle a change of power are summed one by one — and those depend
on the few seconds around the change, so they are cached and shared by every workout.
Endurance filler is one long steady step, so a template's metrics at any duration
follow in closed form from one computation at a reference length, and time in zone is
worked out only for the workouts finally chosen. ``tests/plan/test_library.py`` checks
the results against ``wattz.awp.metrics``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, repeat
from operator import add, sub
from typing import Literal

from wattz.awp.metrics import ROLLING_WINDOW_S, primary_zone_of
from wattz.awp.models import (
    Cooldown,
    FreeRide,
    Meta,
    Ramp,
    RampPower,
    Repeat,
    SteadyPower,
    SteadyState,
    Step,
    TextEvent,
    Warmup,
    Workout,
)
from wattz.awp.zones import POWER_ZONES, power_zone
from wattz.errors import InvalidValue, NotFound
from wattz.plan.domain import BlockFocus, Role, Venue
from wattz.plan.library_catalog import TEMPLATES
from wattz.plan.library_parts import LEVELS, Effort, MainSet, Part, Specialty, Template

__all__ = [
    "LEVELS",
    "TEMPLATES",
    "Pick",
    "SessionMetrics",
    "Specialty",
    "Template",
    "build",
    "choose",
    "comfortable_minutes",
    "fit",
    "is_easy",
    "is_polarized",
    "min_minutes",
    "session_metrics",
    "template",
    "templates",
    "tss_at",
]

AUTHOR = "wattz"
DURATION_STEP_MIN = 5
"""Durations the chooser offers: the shortest a template allows, then whole 5 minutes."""

MIN_RIDE_FILLER_S = 600
"""A template with no main set (an endurance ride, a spin) rides at least 10 minutes of it."""

SPLIT_FILLER_MIN_S = 20 * 60
"""Filler is split around the main set (``Template.pre_share``) only from 20 minutes on."""

SPLIT_PART_MIN_S = 5 * 60
FUELING_EVERY_S = 30 * 60
"""Long endurance blocks remind the rider to eat every 30 minutes."""

COOLDOWN_END_POWER = 0.40
WARMUP_START_POWER = 0.45
RECOVERY_WARMUP_START_POWER = 0.40
HARD_WARMUP_END_POWER = 0.75
"""Warm-ups for interval sessions ramp to the top of Z2, never into tempo."""

GOOD_FIT_SHARE = 0.05
GOOD_FIT_MIN_TSS = 3.0
"""A pick within 5 % (or 3 TSS) of its target stops the search through other templates."""

MAX_TEMPLATES_TRIED = 4
Z3_INDEX = 2

Regime = Literal["none", "post", "split"]
Run = tuple[int, float, float, bool]
"""One unrolled step: seconds, power at its start and end (fractions of FTP), active."""

_BY_ID: dict[str, Template] = {t.id: t for t in TEMPLATES}


@dataclass(frozen=True, slots=True)
class SessionMetrics:
    """What a built workout asks for: as ``wattz.awp.metrics.workout_metrics`` computes it."""

    duration_s: int
    tss: float
    intensity_factor: float
    primary_zone: int
    zone_seconds: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Pick:
    """A template at a level and a duration, with its metrics; ``workout`` builds it."""

    template: Template
    level: int
    minutes: int
    metrics: SessionMetrics

    @property
    def workout(self) -> Workout:
        return build(self.template.id, self.level, self.minutes)


# --- finding templates -----------------------------------------------------------------------


def template(template_id: str) -> Template:
    """The template with this id; NotFound names the choices' shape when there is none."""
    try:
        return _BY_ID[template_id]
    except KeyError:
        raise NotFound(
            f"no built-in workout {template_id!r}", "ids look like 'ss-steady' or 'vo2-classic'"
        ) from None


def templates(
    focus: BlockFocus | None = None,
    role: Role | None = None,
    venue: Venue = "any",
    specialty: Specialty | None = None,
    *,
    polarized: bool = False,
) -> tuple[Template, ...]:
    """Templates matching every given criterion; ``specialty`` None means general work only."""
    return _templates(focus, role, venue, specialty, polarized)


@lru_cache(maxsize=512)
def _templates(
    focus: BlockFocus | None,
    role: Role | None,
    venue: Venue,
    specialty: Specialty | None,
    polarized: bool,
) -> tuple[Template, ...]:
    return tuple(
        t
        for t in TEMPLATES
        if (focus is None or t.focus is focus)
        and (role is None or t.role is role)
        and t.suits(venue)
        and t.specialty is specialty
        and (not polarized or is_polarized(t.id))
    )


@cache
def is_polarized(template_id: str) -> bool:
    """Whether a template keeps clear of Z3 (tempo) at every level: fit for POLARIZED weeks."""
    t = template(template_id)
    if power_zone(t.filler_power(max(LEVELS))) > 2:
        return False
    return all(_main_zones(template_id, level)[1][Z3_INDEX] == 0 for level in LEVELS)


@cache
def is_easy(template_id: str) -> bool:
    """Whether a template stays in Z1–Z2 at every level: recovery weeks' riding."""
    t = template(template_id)
    if power_zone(t.filler_power(max(LEVELS))) > 2:
        return False
    return all(
        power_zone(max(run[1], run[2])) <= 2
        for level in LEVELS
        for run in _main_runs(template_id, level)
    )


# --- layout: where the minutes go --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    warmup_s: int
    cooldown_s: int
    pre_s: int
    post_s: int

    @property
    def filler_s(self) -> int:
        return self.pre_s + self.post_s

    @property
    def regime(self) -> Regime:
        if self.pre_s:
            return "split"
        return "post" if self.post_s else "none"


@dataclass(frozen=True, slots=True)
class _Shape:
    """A template at one level: what the chooser needs, computed once."""

    template: Template
    level: int
    main_s: int
    floor_s: int
    standard_s: int
    compact_s: int
    min_minutes: int


@lru_cache(maxsize=1024)
def _shape(template_id: str, level: int) -> _Shape:
    t = template(template_id)
    main_s = _main(template_id, level).seconds
    floor_s = 0 if main_s else MIN_RIDE_FILLER_S
    compact_s = t.compact_warmup_s + main_s + t.compact_cooldown_s + floor_s
    return _Shape(
        template=t,
        level=level,
        main_s=main_s,
        floor_s=floor_s,
        standard_s=t.warmup_s + main_s + t.cooldown_s + floor_s,
        compact_s=compact_s,
        min_minutes=-(-compact_s // 60),
    )


def _layout(shape: _Shape, minutes: int) -> _Layout | None:
    """Warm-up, filler before and after the main set, cool-down; None when it cannot fit."""
    t = shape.template
    total_s = minutes * 60
    if total_s >= shape.standard_s:
        warmup_s, cooldown_s = t.warmup_s, t.cooldown_s
    elif total_s >= shape.compact_s:
        warmup_s, cooldown_s = t.compact_warmup_s, t.compact_cooldown_s
    else:
        return None
    filler_s = total_s - warmup_s - shape.main_s - cooldown_s
    pre_s = 0
    if shape.main_s and t.pre_share > 0 and filler_s >= SPLIT_FILLER_MIN_S:
        pre_s = round(filler_s * t.pre_share / 60) * 60
        pre_s = min(max(pre_s, SPLIT_PART_MIN_S), filler_s - SPLIT_PART_MIN_S)
    return _Layout(warmup_s, cooldown_s, pre_s, filler_s - pre_s)


def min_minutes(template_id: str, level: int) -> int:
    """The shortest whole-minute duration a template can be built at, at a level."""
    return _shape(template_id, level).min_minutes


def comfortable_minutes(template_id: str, level: int) -> int:
    """The shortest duration with the template's full warm-up and cool-down."""
    return -(-_shape(template_id, level).standard_s // 60)


# --- the main set as runs and as AWP steps -----------------------------------------------------


def _check_level(level: int) -> None:
    if level not in LEVELS:
        raise InvalidValue(f"level {level} is out of range", "levels run from 1 to 10")


@lru_cache(maxsize=1024)
def _main(template_id: str, level: int) -> MainSet:
    _check_level(level)
    main = template(template_id).main(level)
    if main.seconds % 60:
        raise InvalidValue(f"{template_id} level {level}: a main set must last whole minutes")
    return main


@lru_cache(maxsize=1024)
def _main_runs(template_id: str, level: int) -> tuple[Run, ...]:
    return tuple(_runs_of(_main(template_id, level).parts))


def _runs_of(parts: Iterable[Part]) -> list[Run]:
    runs: list[Run] = []
    for part in parts:
        if isinstance(part, Effort):
            end = part.power if part.end is None else part.end
            runs.append((part.seconds, part.power, end, not part.rest))
            continue
        body = _runs_of(part.content)
        gap = _runs_of((part.between,)) if part.between is not None else []
        runs += body + (gap + body) * max(part.repeats - 1, 0)
    return runs


@lru_cache(maxsize=1024)
def _main_steps(template_id: str, level: int) -> tuple[Step, ...]:
    return tuple(_step_of(part) for part in _main(template_id, level).parts)


def _step_of(part: Part) -> Step:
    if isinstance(part, Effort):
        intensity: Literal["rest"] | None = "rest" if part.rest else None
        if part.free:
            return FreeRide(
                duration=part.seconds,
                cadence=part.cadence,
                instruction=part.say,
                intensity=intensity,
            )
        if part.end is not None and part.end != part.power:
            return Ramp(
                duration=part.seconds,
                power=RampPower(start=part.power, end=part.end),
                cadence=part.cadence,
                instruction=part.say,
                intensity=intensity,
            )
        return SteadyState(
            duration=part.seconds,
            power=SteadyPower(value=part.power),
            cadence=part.cadence,
            instruction=part.say,
            intensity=intensity,
        )
    return Repeat(
        repeats=part.repeats,
        content=[_step_of(inner) for inner in part.content],
        rest_between=None if part.between is None else _step_of(part.between),
    )


def _warmup_powers(t: Template, level: int) -> tuple[float, float]:
    filler = t.filler_power(level)
    if t.role is Role.RECOVERY:
        return RECOVERY_WARMUP_START_POWER, filler
    if _shape(t.id, level).main_s == 0:
        return WARMUP_START_POWER, filler
    return WARMUP_START_POWER, HARD_WARMUP_END_POWER


def _cooldown_powers(t: Template, level: int) -> tuple[float, float]:
    start = min(t.filler_power(level), 0.60)
    return start, min(COOLDOWN_END_POWER, start)


# --- exact metrics, fast ---------------------------------------------------------------------

Edge = tuple[int, float, float]
"""The part of a long run that windows straddling its end see: (seconds, start, end)."""


def _samples(seconds: int, start: float, end: float, first: int, stop: int) -> list[float]:
    """1 Hz samples ``first``..``stop``-1 of a run, as ``wattz.awp.metrics`` samples it."""
    if start == end:
        return [start] * (stop - first)
    slope = (end - start) / seconds
    return [start + slope * (k + 0.5) for k in range(first, stop)]


@lru_cache(maxsize=8192)
def _straddling_sum(left: Edge | None, shorts: tuple[Edge, ...], right: Edge | None) -> float:
    """Σ mean⁴ over the windows that touch more than one run between two long runs."""
    reach = ROLLING_WINDOW_S - 1
    samples: list[float] = []
    if left is not None:
        seconds, start, end = left
        samples += _samples(seconds, start, end, seconds - reach, seconds)
    for seconds, start, end in shorts:
        samples += _samples(seconds, start, end, 0, seconds)
    if right is not None:
        seconds, start, end = right
        samples += _samples(seconds, start, end, 0, reach)
    sums = list(accumulate(samples, initial=0.0))
    width = ROLLING_WINDOW_S
    window_sums = map(sub, sums[width:], sums[: len(sums) - width])
    return float(sum(map(pow, window_sums, repeat(4)))) / width**4


@lru_cache(maxsize=4096)
def _inside_sum(seconds: int, start: float, end: float) -> float:
    """Σ mean⁴ over the windows wholly inside one run (a ramp's window mean is linear)."""
    windows = seconds - ROLLING_WINDOW_S + 1
    if start == end:
        return windows * start**4
    slope = (end - start) / seconds
    centre = start + slope * ROLLING_WINDOW_S / 2
    # Σ (centre + slope·k)⁴ for k < windows, expanded with the power sums of 0..windows-1.
    n = windows - 1
    s1 = n * (n + 1) // 2
    s2 = n * (n + 1) * (2 * n + 1) // 6
    s3 = s1 * s1
    s4 = n * (n + 1) * (2 * n + 1) * (3 * n * n + 3 * n - 1) // 30
    return float(
        windows * centre**4
        + 4 * centre**3 * slope * s1
        + 6 * centre**2 * slope**2 * s2
        + 4 * centre * slope**3 * s3
        + slope**4 * s4
    )


def _edge(run: Run) -> Edge:
    seconds, start, end, _ = run
    # A steady run looks the same from any window beside it, whatever its length.
    return (ROLLING_WINDOW_S, start, end) if start == end else (seconds, start, end)


@dataclass(frozen=True, slots=True)
class _Stretch:
    """Consecutive runs summarised for the metrics, so stretches join without unrolling.

    ``inner`` is Σ mean⁴ over the windows from the start of the first long run (≥ 30 s)
    to the end of the last; the short runs outside them are kept as they are, because
    the windows there also see the neighbouring stretch.
    """

    head: tuple[Edge, ...]
    first: Edge | None
    inner: float
    last: Edge | None
    tail: tuple[Edge, ...]
    seconds: int

    def then(self, other: _Stretch) -> _Stretch:
        """This stretch followed by ``other``."""
        seconds = self.seconds + other.seconds
        if self.first is None:
            head = self.head + other.head
            return _Stretch(head, other.first, other.inner, other.last, other.tail, seconds)
        if other.first is None:
            tail = self.tail + other.head
            return _Stretch(self.head, self.first, self.inner, self.last, tail, seconds)
        inner = self.inner + _straddling_sum(self.last, self.tail + other.head, other.first)
        return _Stretch(self.head, self.first, inner + other.inner, other.last, other.tail, seconds)

    @property
    def fourth_sum(self) -> float:
        """Σ over every 30 s window of (mean power)⁴, the heart of NP."""
        if self.first is None:
            return _straddling_sum(None, self.head, None)
        return (
            _straddling_sum(None, self.head, self.first)
            + self.inner
            + _straddling_sum(self.last, self.tail, None)
        )


def _stretch(runs: Sequence[Run]) -> _Stretch:
    """Summarise runs: interiors in closed form, straddling windows from the cache."""
    head: tuple[Edge, ...] = ()
    first: Edge | None = None
    last: Edge | None = None
    inner = 0.0
    pending: list[Edge] = []
    for run in runs:
        seconds, start, end, _ = run
        if seconds >= ROLLING_WINDOW_S:
            edge = _edge(run)
            if first is None:
                first, head = edge, tuple(pending)
            else:
                inner += _straddling_sum(last, tuple(pending), edge)
            inner += _inside_sum(seconds, start, end)
            last, pending = edge, []
        elif seconds > 0:
            pending.append((seconds, start, end))
    if first is None:
        head, pending = tuple(pending), []
    return _Stretch(
        head=head,
        first=first,
        inner=inner,
        last=last,
        tail=tuple(pending),
        seconds=sum(run[0] for run in runs),
    )


@lru_cache(maxsize=4096)
def _run_stretch(seconds: int, start: float, end: float, active: bool) -> _Stretch:
    return _stretch([(seconds, start, end, active)])


@lru_cache(maxsize=1024)
def _main_stretch(template_id: str, level: int) -> _Stretch:
    return _stretch(_main_runs(template_id, level))


Zones = tuple[float, ...]


@lru_cache(maxsize=1024)
def _main_zones(template_id: str, level: int) -> tuple[Zones, Zones]:
    """Seconds per zone of the main set: all of it, and its active (work) steps."""
    runs = _main_runs(template_id, level)
    return tuple(_zone_seconds(runs)), tuple(_zone_seconds(r for r in runs if r[3]))


@lru_cache(maxsize=4096)
def _ramp_zones(seconds: int, start: float, end: float) -> Zones:
    return tuple(_zone_seconds([(seconds, start, end, False)]))


def _zone_seconds(runs: Iterable[Run]) -> list[float]:
    """Seconds per Coggan zone, ramps split where they cross bounds (as the metrics do)."""
    seconds = [0.0] * len(POWER_ZONES)
    durations: dict[tuple[float, float], int] = {}
    for duration_s, low, high, _ in runs:
        durations[low, high] = durations.get((low, high), 0) + duration_s
    for (low, high), duration_s in durations.items():
        if low == high:
            seconds[power_zone(low) - 1] += duration_s
            continue
        bottom, top = sorted((low, high))
        for index, zone in enumerate(POWER_ZONES):
            upper = top if zone.upper is None else min(zone.upper, top)
            overlap = upper - max(zone.lower, bottom)
            if overlap > 0:
                seconds[index] += duration_s * overlap / (top - bottom)
    return seconds


@dataclass(frozen=True, slots=True)
class _Core:
    """Metrics of a template at a level with ``filler_s`` of filler, ready to extrapolate."""

    fixed_s: int
    filler_s: int
    filler_power: float
    filler_zone: int
    fourth_sum: float


REFERENCE_FILLER_S = 60
"""Filler of at least one window (30 s) is one long run: metrics grow linearly with it."""


@lru_cache(maxsize=4096)
def _core(template_id: str, level: int, warmup_s: int, cooldown_s: int, regime: Regime) -> _Core:
    """Warm-up, filler, main set, filler, cool-down joined, at the reference filler."""
    t = template(template_id)
    filler = t.filler_power(level)
    warm = _warmup_powers(t, level)
    cool = _cooldown_powers(t, level)
    filler_part = _run_stretch(REFERENCE_FILLER_S, filler, filler, True)
    whole = _run_stretch(warmup_s, warm[0], warm[1], False)
    filler_s = 0
    if regime == "split":
        whole = whole.then(filler_part)
        filler_s += REFERENCE_FILLER_S
    whole = whole.then(_main_stretch(template_id, level))
    if regime != "none":
        whole = whole.then(filler_part)
        filler_s += REFERENCE_FILLER_S
    whole = whole.then(_run_stretch(cooldown_s, cool[0], cool[1], False))
    return _Core(
        fixed_s=whole.seconds - filler_s,
        filler_s=filler_s,
        filler_power=filler,
        filler_zone=power_zone(filler) - 1,
        fourth_sum=whole.fourth_sum,
    )


@lru_cache(maxsize=4096)
def _core_zones(
    template_id: str, level: int, warmup_s: int, cooldown_s: int
) -> tuple[Zones, Zones]:
    """Seconds per zone of warm-up, main set and cool-down (filler is added by the
    caller): everything, and the active steps (warm-up and cool-down are not)."""
    t = template(template_id)
    main_all, main_active = _main_zones(template_id, level)
    warm = _ramp_zones(warmup_s, *_warmup_powers(t, level))
    cool = _ramp_zones(cooldown_s, *_cooldown_powers(t, level))
    return tuple(map(add, map(add, warm, main_all), cool)), main_active


def _core_for(shape: _Shape, layout: _Layout) -> _Core:
    return _core(shape.template.id, shape.level, layout.warmup_s, layout.cooldown_s, layout.regime)


def _tss(shape: _Shape, minutes: int) -> float:
    """TSS of the shape at ``minutes`` (which must fit): the chooser's inner loop."""
    layout = _layout(shape, minutes)
    assert layout is not None
    core = _core_for(shape, layout)
    duration_s = core.fixed_s + layout.filler_s
    fourth = core.fourth_sum + (layout.filler_s - core.filler_s) * core.filler_power**4
    mean_fourth = max(fourth, 0.0) / (duration_s - ROLLING_WINDOW_S + 1)
    return float(duration_s / 36 * mean_fourth**0.5)


@lru_cache(maxsize=65536)
def tss_at(template_id: str, level: int, minutes: int) -> float:
    """TSS of ``build(template_id, level, minutes)`` without building it (cached)."""
    _check_level(level)
    shape = _shape(template_id, level)
    if minutes < shape.min_minutes:
        raise _too_short(shape, minutes)
    return _tss(shape, minutes)


def session_metrics(template_id: str, level: int, minutes: int) -> SessionMetrics:
    """Duration, TSS, IF, primary zone and time in zone of ``build(template_id, level, minutes)``.

    Equal (to rounding) to ``wattz.awp.metrics.workout_metrics`` of the built workout.
    """
    _check_level(level)
    shape = _shape(template_id, level)
    layout = _layout(shape, minutes)
    if layout is None:
        raise _too_short(shape, minutes)
    return _metrics(shape, layout)


def _metrics(shape: _Shape, layout: _Layout) -> SessionMetrics:
    core = _core_for(shape, layout)
    duration_s = core.fixed_s + layout.filler_s
    extra = layout.filler_s - core.filler_s
    fourth = core.fourth_sum + extra * core.filler_power**4
    np_fraction = (max(fourth, 0.0) / (duration_s - ROLLING_WINDOW_S + 1)) ** 0.25
    every, active = _core_zones(shape.template.id, shape.level, layout.warmup_s, layout.cooldown_s)
    zones = list(every)
    zones[core.filler_zone] += layout.filler_s
    has_active = layout.filler_s > 0 or any(active)
    work = list(active) if has_active else zones
    if has_active:
        work[core.filler_zone] += layout.filler_s
    return SessionMetrics(
        duration_s=duration_s,
        tss=duration_s / 3600 * np_fraction**2 * 100,
        intensity_factor=np_fraction,
        primary_zone=primary_zone_of(work),
        zone_seconds=tuple(zones),
    )


def _too_short(shape: _Shape, minutes: int) -> InvalidValue:
    return InvalidValue(
        f"{shape.template.name} at level {shape.level} needs at least "
        f"{shape.min_minutes} minutes, not {minutes}",
        "pick a lower level or a longer slot",
    )


# --- building the AWP document ------------------------------------------------------------------


@lru_cache(maxsize=4096)
def build(template_id: str, level: int, minutes: int) -> Workout:
    """The template at ``level`` filling exactly ``minutes``: a valid AWP 1.0 document.

    Warm-up, cool-down and endurance filler stretch or shrink; the main set is the
    level's. Raises InvalidValue when the minutes cannot hold the main set.
    """
    _check_level(level)
    shape = _shape(template_id, level)
    t = shape.template
    layout = _layout(shape, minutes)
    if layout is None:
        raise _too_short(shape, minutes)
    metrics = _metrics(shape, layout)
    main = _main(template_id, level)
    filler = t.filler_power(level)
    warm = _warmup_powers(t, level)
    cool = _cooldown_powers(t, level)
    steps: list[Step] = [_warmup_step(layout.warmup_s, *warm, t.warmup_say)]
    if layout.pre_s:
        steps.append(_filler_step(layout.pre_s, filler, t.filler_say))
    steps += _main_steps(template_id, level)
    if layout.post_s:
        steps.append(_filler_step(layout.post_s, filler, t.filler_say))
    steps.append(_cooldown_step(layout.cooldown_s, *cool, t.cooldown_say))
    meta = Meta(
        title=_title(t, main, minutes),
        description=_description(t, level, main, layout, filler),
        author=AUTHOR,
        total_duration_seconds=metrics.duration_s,
        estimated_tss=round(metrics.tss, 1),
    )
    return Workout(meta=meta, steps=steps)


# Steps are frozen values: the same warm-up or filler is shared by many workouts.
@lru_cache(maxsize=1024)
def _warmup_step(seconds: int, start: float, end: float, say: str) -> Warmup:
    return Warmup(duration=seconds, power=RampPower(start=start, end=end), instruction=say)


@lru_cache(maxsize=1024)
def _cooldown_step(seconds: int, start: float, end: float, say: str) -> Cooldown:
    return Cooldown(duration=seconds, power=RampPower(start=start, end=end), instruction=say)


@lru_cache(maxsize=4096)
def _filler_step(seconds: int, power: float, say: str) -> SteadyState:
    events = [
        TextEvent(offset=offset, message="Eat something and drink.")
        for offset in range(FUELING_EVERY_S, seconds, FUELING_EVERY_S)
    ]
    return SteadyState(
        duration=seconds,
        power=SteadyPower(value=power),
        instruction=say,
        text_events=events or None,
    )


def _clock(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}" if hours else f"{rest} min"


def _title(t: Template, main: MainSet, minutes: int) -> str:
    return f"{t.name}: {main.label}" if main.label else f"{t.name} {_clock(minutes)}"


def _description(t: Template, level: int, main: MainSet, layout: _Layout, filler: float) -> str:
    percent = round(filler * 100)
    if main.label:
        body = f"Main set: {main.label}."
        if layout.filler_s:
            body += f" {_clock(layout.filler_s // 60)} of endurance at {percent} % FTP around it."
    else:
        body = f"{_clock(layout.filler_s // 60)} at {percent} % FTP."
    return f"{t.description} {body} Level {level}/10."


# --- choosing -----------------------------------------------------------------------------------


def fit(
    t: Template, levels: Iterable[int], minutes: int, target_tss: float, *, shortest: int = 0
) -> Pick | None:
    """The level (tried in the order given) and duration ≤ ``minutes`` closest to a TSS.

    Durations offered are the template's shortest (or ``shortest`` minutes when that is
    longer: a plan places no 15-minute spin), then whole multiples of 5 minutes.
    On equal distance the earlier level wins, so list the preferred level first.
    """
    best: tuple[float, _Shape, int] | None = None
    for level in levels:
        shape = _shape(t.id, level)
        found = _closest_minutes(shape, minutes, target_tss, shortest)
        if found is not None and (best is None or found[0] < best[0]):
            best = (found[0], shape, found[1])
    if best is None:
        return None
    _, shape, chosen = best
    layout = _layout(shape, chosen)
    assert layout is not None  # _closest_minutes only returns durations that fit
    return Pick(t, shape.level, chosen, _metrics(shape, layout))


def _closest_minutes(
    shape: _Shape, minutes: int, target_tss: float, floor: int = 0
) -> tuple[float, int] | None:
    """(|TSS − target|, minutes) of the best duration offered; TSS rises with duration.

    A bracketing search that guesses by linear interpolation (TSS is nearly linear in
    the filler), falling back to halving when a guess does not narrow the bracket much.
    """
    shortest = max(shape.min_minutes, floor)
    if shortest > minutes:
        return None
    step = DURATION_STEP_MIN
    first_round = -(-shortest // step) * step
    odd = 1 if first_round != shortest else 0
    count = odd + max(0, (minutes - first_round) // step + 1)

    def at(index: int) -> int:
        return shortest if odd and index == 0 else first_round + step * (index - odd)

    template_id, level = shape.template.id, shape.level
    low, high = 0, count - 1
    tss_high = tss_at(template_id, level, at(high))
    if tss_high <= target_tss or high == 0:
        return abs(target_tss - tss_high), at(high)
    # Most targets lie above the durations that need a compact warm-up: look at the
    # first comfortable duration before the shortest, which is rarely needed.
    comfortable = next((i for i in range(low, high) if at(i) * 60 >= shape.standard_s), high)
    if comfortable > low:
        tss_comfortable = tss_at(template_id, level, at(comfortable))
        if tss_comfortable < target_tss:
            low = comfortable
            tss_low = tss_comfortable
        else:
            high, tss_high = comfortable, tss_comfortable
            tss_low = tss_at(template_id, level, at(low))
    else:
        tss_low = tss_at(template_id, level, at(low))
    if tss_low >= target_tss:
        return tss_low - target_tss, at(low)
    bisect = False
    while high - low > 1:
        if bisect:
            guess = (low + high) // 2
        else:
            share = (target_tss - tss_low) / (tss_high - tss_low)
            guess = min(high - 1, max(low + 1, round(low + share * (high - low))))
        tss = tss_at(template_id, level, at(guess))
        width = high - low
        if tss < target_tss:
            low, tss_low = guess, tss
        else:
            high, tss_high = guess, tss
        bisect = (high - low) * 2 > width
    if target_tss - tss_low <= tss_high - target_tss:
        return target_tss - tss_low, at(low)
    return tss_high - target_tss, at(high)


def choose(
    focus: BlockFocus | None,
    role: Role,
    level: int,
    minutes: int,
    target_tss: float,
    venue: Venue = "any",
    *,
    specialty: Specialty | None = None,
    rotation: int = 0,
    polarized: bool = False,
) -> Pick | None:
    """The best-fitting built-in workout for a day, or None when nothing fits its minutes.

    Candidates share the focus (None: any), role, venue and specialty; POLARIZED weeks
    keep to templates with no tempo. ``rotation`` (say, the week number) turns through
    the candidates so consecutive weeks differ. For each template the level (``level``,
    then one below, then one above) and the duration closest to ``target_tss`` are
    chosen, never longer than ``minutes``; the first template within 5 % of the target
    wins, else the closest of a few. When no level within ±1 fits the minutes, the
    highest lower level that fits is used.
    """
    _check_level(level)
    candidates = _templates(focus, role, venue, specialty, polarized)
    if not candidates:
        return None
    start = rotation % len(candidates)
    ordered = candidates[start:] + candidates[:start]
    near = [lv for lv in (level, level - 1, level + 1) if lv in LEVELS]
    tolerance = max(GOOD_FIT_MIN_TSS, GOOD_FIT_SHARE * target_tss)
    best: Pick | None = None
    tried = 0
    for t in ordered:
        pick = fit(t, near, minutes, target_tss)
        if pick is None:
            continue
        tried += 1
        if best is None or abs(pick.metrics.tss - target_tss) < abs(best.metrics.tss - target_tss):
            best = pick
        if abs(best.metrics.tss - target_tss) <= tolerance or tried >= MAX_TEMPLATES_TRIED:
            break
    if best is not None:
        return best
    for t in ordered:
        for lower in range(level - 2, 0, -1):
            if min_minutes(t.id, lower) <= minutes:
                return fit(t, (lower,), minutes, target_tss)
    return None

"""Course profiles: what an event's route asks of a rider, and how that shapes the specialty block.

A GPX reader (``wattz.sources.gpx_course``) turns a file into segments of points
(distance along the course, elevation); everything from there on is arithmetic here:

- **Climbing** is the sum of rises of the elevations after gpxpy's three-point filter
  (0.3 · previous + 0.4 · this + 0.3 · next, per segment), so wattz and gpxpy agree on
  what a course climbs; raw GPS or DEM elevations overstate it by a few per cent.
- **Gradients** are read over ``GRADIENT_STEP_M`` stretches of the filtered profile
  (single points are too noisy) and counted by distance and by estimated riding time in
  the bands < 2, 2–4, 4–6, 6–8 and > 8 %; descents count as < 2 %.
- **Time** comes from the steady-state power balance of road cycling (Martin et al.
  1998, J Appl Biomech 14:276) at a reference rider's power, so a steep kilometre
  weighs more than a flat one, as it does for the legs.
- **Climbs** are rises of at least ``MIN_CLIMB_LENGTH_M`` at ``MIN_CLIMB_GRADIENT_PCT``,
  categorized by Strava's published score (length in m × gradient in %).
- **Character** (flat, rolling, hilly, mountainous) weighs how much a course climbs per
  kilometre and how long its longest climb keeps a rider going uphill: sustained
  climbing is what changes the training, not the metres alone.

``course_demands`` turns a profile into the focus and terrain of the specialty (PEAK)
block and the words a model is given about the course (blueprint §4.2).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from wattz.plan.domain import BlockFocus
from wattz.plan.library_parts import Specialty

# --- gradients and time ------------------------------------------------------------------------

GRADIENT_EDGES_PCT = (2.0, 4.0, 6.0, 8.0)
"""Band edges of the gradient histogram (DESIGN.md: < 2, 2–4, 4–6, 6–8, > 8 %)."""
GRADIENT_LABELS = ("<2 %", "2–4 %", "4–6 %", "6–8 %", ">8 %")
GRADIENT_STEP_M = 100.0
"""Gradients are measured over 100 m: long enough to average out elevation noise, short
enough to keep a steep ramp of a few hundred metres visible."""

REFERENCE_POWER_W = 200.0
"""Steady power of the reference rider the time estimate assumes (a trained amateur)."""
SYSTEM_MASS_KG = 80.0
"""Rider and bike."""
CDA_M2 = 0.32
"""Drag area on the hoods (Martin et al. 1998 measured 0.27–0.33 m²)."""
CRR = 0.005
"""Rolling resistance of road tyres on asphalt."""
AIR_DENSITY_KG_M3 = 1.225
"""Sea level at 15 °C."""
GRAVITY_M_S2 = 9.81
MAX_SPEED_M_S = 15.0
"""54 km/h: descents are ridden at what bends and brakes allow, not what power would give."""

# --- climbs --------------------------------------------------------------------------------

MIN_CLIMB_LENGTH_M = 300.0
MIN_CLIMB_GRADIENT_PCT = 3.0
"""A rise is a climb from 300 m at 3 % (the thresholds Strava and Best Bike Split use)."""
MAX_CLIMB_LENGTH_M = 100_000.0
"""No paved climb is longer (the longest run about 40–60 km): trimming a rise looks no
further, which keeps it linear in the rise's length — a GPS glitch that puts one point a
continent away once made a 4,700 km "rise" whose quadratic trim ran for two minutes."""
CLIMB_DIP_TOLERANCE_M = 10.0
"""A climb goes on through dips shallower than this: a false flat is still the same climb."""
CLIMB_CATEGORY_SCORES = (("HC", 80_000.0), ("1", 64_000.0), ("2", 32_000.0), ("3", 16_000.0))
CAT4_MIN_SCORE = 8_000.0
"""Strava's climb categories by length (m) × gradient (%): Cat 4 > 8000, Cat 3 > 16000,
Cat 2 > 32000, Cat 1 > 64000, HC > 80000 (Strava support, "Climb Categorization")."""

# --- character -----------------------------------------------------------------------------

FLAT_MAX_M_PER_KM = 5.0
"""Under 5 m of climbing per km (500 m per 100 km) a course is flat whatever its bumps."""
HILLY_MIN_M_PER_KM = 10.0
MOUNTAINOUS_MIN_M_PER_KM = 20.0
SUSTAINED_CLIMB_S = 5 * 60
"""A climb lasting 5 minutes or more is ridden at threshold, not sprinted over: below it
a course's hills are surges (rolling), from it on they are climbs (hilly)."""
MOUNTAIN_CLIMB_S = 20 * 60
"""A climb of 20 minutes or more at the reference power makes a course mountainous."""

PROFILE_POINTS = 400
"""Points kept for drawing the elevation profile; a terminal is never wider."""


class Character(StrEnum):
    FLAT = "flat"
    ROLLING = "rolling"
    HILLY = "hilly"
    MOUNTAINOUS = "mountainous"
    UNKNOWN = "unknown"
    """The file has no elevation: the course's climbing cannot be known."""


@dataclass(frozen=True, slots=True)
class ProfilePoint:
    """A point of the course: metres from the start (along the ground) and elevation."""

    distance_m: float
    elevation_m: float | None


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GradientBand(_Value):
    """One band of the gradient histogram, by distance and by estimated time."""

    label: str
    low_pct: float | None
    high_pct: float | None
    distance_m: float
    distance_share: float
    time_s: float
    time_share: float


class Climb(_Value):
    """A climb: where it starts, how long and steep it is, its category and duration."""

    start_m: float
    length_m: float
    gain_m: float
    mean_gradient_pct: float
    max_gradient_pct: float
    category: str | None
    """"HC", "1" … "4", or None for a climb too small to be categorized."""
    estimated_s: int


class CourseProfile(_Value):
    """What a course is: distance, climbing, gradients, climbs and its character.

    Stored as the goal's ``course`` (JSON) and printed by ``wattz course show --json``.
    """

    name: str
    distance_m: float
    climbing_m: float
    descent_m: float
    has_elevation: bool
    min_elevation_m: float | None
    max_elevation_m: float | None
    climbing_m_per_km: float
    estimated_time_s: int
    reference_power_w: float
    gradient: list[GradientBand]
    climbs: list[Climb]
    character: Character
    notes: list[str]
    profile: list[tuple[float, float]]
    """(distance_m, elevation_m) pairs for drawing, at most ``PROFILE_POINTS``."""

    @property
    def longest_climb(self) -> Climb | None:
        return max(self.climbs, key=lambda climb: climb.estimated_s, default=None)


def speed_m_s(gradient: float, power_w: float = REFERENCE_POWER_W) -> float:
    """Steady speed at ``power_w`` on a gradient (rise/run, 0.05 = 5 %).

    Solves P = v · (m·g·(sin θ + Crr·cos θ) + ½·ρ·CdA·v²) for v by bisection (the
    left side rises with v wherever it is positive), capped at ``MAX_SPEED_M_S``.
    """
    theta = math.atan(gradient)
    resist_n = SYSTEM_MASS_KG * GRAVITY_M_S2 * (math.sin(theta) + CRR * math.cos(theta))
    drag = 0.5 * AIR_DENSITY_KG_M3 * CDA_M2

    def surplus(v: float) -> float:
        return v * (resist_n + drag * v * v) - power_w

    if surplus(MAX_SPEED_M_S) <= 0:
        return MAX_SPEED_M_S
    low, high = 0.0, MAX_SPEED_M_S
    for _ in range(50):
        middle = (low + high) / 2
        if surplus(middle) > 0:
            high = middle
        else:
            low = middle
    return max(low, 0.1)


def filtered_elevations(elevations: Sequence[float | None]) -> list[float | None]:
    """gpxpy's elevation filter: 0.3 · previous + 0.4 · this + 0.3 · next, ends kept."""
    size = len(elevations)
    result: list[float | None] = []
    for index, value in enumerate(elevations):
        if value is not None and 0 < index < size - 1:
            before, after = elevations[index - 1], elevations[index + 1]
            if before is not None and after is not None:
                value = 0.3 * before + 0.4 * value + 0.3 * after
        result.append(value)
    return result


def course_profile(
    name: str,
    segments: Sequence[Sequence[ProfilePoint]],
    power_w: float = REFERENCE_POWER_W,
) -> CourseProfile:
    """The profile of a course given as segments of points (distance along the course).

    Distance runs on across segments (a gap between two tracks adds nothing); climbing
    is counted inside segments only. Elevation is used when at least half the points
    carry it; otherwise the course is of unknown character.
    """
    points = [point for segment in segments for point in segment]
    distance_m = max((p.distance_m for p in points), default=0.0) - min(
        (p.distance_m for p in points), default=0.0
    )
    with_elevation = sum(1 for p in points if p.elevation_m is not None)
    notes: list[str] = []
    if not points or with_elevation * 2 < len(points):
        notes.append(
            "the file has no elevation: climbing is unknown and the specialty block "
            "follows the discipline"
        )
        flat_s = distance_m / speed_m_s(0.0, power_w)
        return CourseProfile(
            name=name,
            distance_m=round(distance_m, 1),
            climbing_m=0.0,
            descent_m=0.0,
            has_elevation=False,
            min_elevation_m=None,
            max_elevation_m=None,
            climbing_m_per_km=0.0,
            estimated_time_s=round(flat_s),
            reference_power_w=power_w,
            gradient=_bands([distance_m, 0, 0, 0, 0], [flat_s, 0, 0, 0, 0]),
            climbs=[],
            character=Character.UNKNOWN,
            notes=notes,
            profile=[],
        )
    climbing_m = descent_m = 0.0
    filtered_segments: list[list[ProfilePoint]] = []
    for segment in segments:
        smooth = filtered_elevations([p.elevation_m for p in segment])
        for before, after in zip(smooth, smooth[1:], strict=False):
            if before is not None and after is not None:
                climbing_m += max(after - before, 0.0)
                descent_m += max(before - after, 0.0)
        filtered_segments.append(
            [
                ProfilePoint(p.distance_m, e)
                for p, e in zip(segment, smooth, strict=True)
                if e is not None
            ]
        )
    if with_elevation < len(points):
        missing = len(points) - with_elevation
        notes.append(f"{missing} of {len(points)} points have no elevation; they are skipped")
    samples = _resample([p for s in filtered_segments for p in s])
    steps = list(zip(samples, samples[1:], strict=False))
    band_m = [0.0] * len(GRADIENT_LABELS)
    band_s = [0.0] * len(GRADIENT_LABELS)
    for (x0, y0), (x1, y1) in steps:
        run_m = x1 - x0
        if run_m <= 0:
            continue
        gradient = (y1 - y0) / run_m
        band = _band_of(gradient * 100)
        band_m[band] += run_m
        band_s[band] += run_m / speed_m_s(gradient, power_w)
    climbs = _climbs(samples, power_w)
    elevations = [y for _, y in samples]
    per_km = climbing_m / (distance_m / 1000) if distance_m > 0 else 0.0
    longest_s = max((c.estimated_s for c in climbs), default=0)
    return CourseProfile(
        name=name,
        distance_m=round(distance_m, 1),
        climbing_m=round(climbing_m, 1),
        descent_m=round(descent_m, 1),
        has_elevation=True,
        min_elevation_m=round(min(elevations), 1),
        max_elevation_m=round(max(elevations), 1),
        climbing_m_per_km=round(per_km, 1),
        estimated_time_s=round(sum(band_s)),
        reference_power_w=power_w,
        gradient=_bands(band_m, band_s),
        climbs=climbs,
        character=character_of(per_km, longest_s),
        notes=notes,
        profile=_thin(samples),
    )


def character_of(climbing_m_per_km: float, longest_climb_s: int) -> Character:
    """Flat, rolling, hilly or mountainous from climbing density and the longest climb.

    Density alone misleads both ways: a short park loop with a few 30 m kickers climbs
    10 m/km yet never asks for more than a minute uphill (rolling), while a long
    flat-ish road race with one 25-minute pass asks for threshold climbing (hilly).
    """
    if climbing_m_per_km < FLAT_MAX_M_PER_KM and longest_climb_s < SUSTAINED_CLIMB_S:
        return Character.FLAT
    if longest_climb_s >= MOUNTAIN_CLIMB_S and climbing_m_per_km >= MOUNTAINOUS_MIN_M_PER_KM:
        return Character.MOUNTAINOUS
    if longest_climb_s >= SUSTAINED_CLIMB_S and (
        climbing_m_per_km >= HILLY_MIN_M_PER_KM or longest_climb_s >= MOUNTAIN_CLIMB_S
    ):
        return Character.HILLY
    return Character.ROLLING


def climb_category(length_m: float, mean_gradient_pct: float) -> str | None:
    """Strava's category of a climb: "HC", "1" … "4", or None below Cat 4."""
    score = length_m * mean_gradient_pct
    for category, floor in CLIMB_CATEGORY_SCORES:
        if score > floor:
            return category
    return "4" if score > CAT4_MIN_SCORE else None


def _band_of(gradient_pct: float) -> int:
    for index, edge in enumerate(GRADIENT_EDGES_PCT):
        if gradient_pct < edge:
            return index
    return len(GRADIENT_EDGES_PCT)


def _bands(band_m: Sequence[float], band_s: Sequence[float]) -> list[GradientBand]:
    total_m = sum(band_m) or 1.0
    total_s = sum(band_s) or 1.0
    lows: list[float | None] = [None, *GRADIENT_EDGES_PCT]
    highs: list[float | None] = [*GRADIENT_EDGES_PCT, None]
    return [
        GradientBand(
            label=label,
            low_pct=low,
            high_pct=high,
            distance_m=round(metres, 1),
            distance_share=round(metres / total_m, 4),
            time_s=round(seconds, 1),
            time_share=round(seconds / total_s, 4),
        )
        for label, low, high, metres, seconds in zip(
            GRADIENT_LABELS, lows, highs, band_m, band_s, strict=True
        )
    ]


def _resample(points: Sequence[ProfilePoint]) -> list[tuple[float, float]]:
    """The filtered profile every ``GRADIENT_STEP_M``, linearly interpolated, ends kept."""
    known = [(p.distance_m, p.elevation_m) for p in points if p.elevation_m is not None]
    if not known:
        return []
    start, end = known[0][0], known[-1][0]
    samples: list[tuple[float, float]] = []
    index = 0
    position = start
    while position < end:
        while index + 1 < len(known) and known[index + 1][0] < position:
            index += 1
        samples.append((position - start, _interpolate(known, index, position)))
        position += GRADIENT_STEP_M
    samples.append((end - start, known[-1][1]))
    return samples


def _interpolate(known: Sequence[tuple[float, float]], index: int, position: float) -> float:
    x0, y0 = known[index]
    if index + 1 >= len(known):
        return y0
    x1, y1 = known[index + 1]
    if x1 <= x0:
        return y0
    share = min(max((position - x0) / (x1 - x0), 0.0), 1.0)
    return y0 + (y1 - y0) * share


def _climbs(samples: Sequence[tuple[float, float]], power_w: float) -> list[Climb]:
    """Climbs: rises that run until the road dips deeper than the tolerance, each trimmed
    to its steepest-biggest part (see ``_trim``)."""
    climbs: list[Climb] = []
    if len(samples) < 2:
        return climbs
    low = top = 0
    for index in range(1, len(samples)):
        elevation = samples[index][1]
        if elevation > samples[top][1]:
            top = index
        if samples[top][1] - elevation > CLIMB_DIP_TOLERANCE_M:
            climbs += _climb(samples, low, top, power_w)
            low = top = index
        elif elevation < samples[low][1]:
            # Below where the rise began (and within the tolerance of its top, so the
            # rise was small): the climb, if any, starts from here.
            low = top = index
    climbs += _climb(samples, low, top, power_w)
    return climbs


def _distance(sample: tuple[float, float]) -> float:
    return sample[0]


def _trim(samples: Sequence[tuple[float, float]], low: int, top: int) -> tuple[int, int] | None:
    """The hardest stretch of a rise at ≥ 3 % over ≥ 300 m, or None.

    A rise measured from its lowest to its highest point often starts and ends with
    false flat that dilutes its gradient; the climb is the stretch with the highest
    gain² / length, the core of the FIETS climb score (Fiets magazine; Climbbybike),
    which favours the steep part over a longer, diluted one of nearly the same gain.
    """
    best: tuple[float, int, int] | None = None
    for start in range(low, top):
        x0, y0 = samples[start]
        furthest = bisect.bisect_right(samples, x0 + MAX_CLIMB_LENGTH_M, key=_distance) - 1
        for end in range(min(top, furthest), start, -1):
            x1, y1 = samples[end]
            length_m = x1 - x0
            gain_m = y1 - y0
            if length_m < MIN_CLIMB_LENGTH_M:
                break
            if gain_m / length_m * 100 >= MIN_CLIMB_GRADIENT_PCT:
                score = gain_m * gain_m / length_m
                if best is None or score > best[0]:
                    best = (score, start, end)
    return None if best is None else (best[1], best[2])


def _climb(
    samples: Sequence[tuple[float, float]], low: int, top: int, power_w: float
) -> list[Climb]:
    if top <= low:
        return []
    trimmed = _trim(samples, low, top)
    if trimmed is None:
        return []
    low, top = trimmed
    start_m, base = samples[low]
    end_m, summit = samples[top]
    length_m = end_m - start_m
    gain_m = summit - base
    gradient_pct = gain_m / length_m * 100
    steepest = 0.0
    seconds = 0.0
    for (x0, y0), (x1, y1) in zip(samples[low:top], samples[low + 1 : top + 1], strict=True):
        if x1 > x0:
            gradient = (y1 - y0) / (x1 - x0)
            steepest = max(steepest, gradient * 100)
            seconds += (x1 - x0) / speed_m_s(gradient, power_w)
    return [
        Climb(
            start_m=round(start_m, 1),
            length_m=round(length_m, 1),
            gain_m=round(gain_m, 1),
            mean_gradient_pct=round(gradient_pct, 1),
            max_gradient_pct=round(steepest, 1),
            category=climb_category(length_m, gradient_pct),
            estimated_s=round(seconds),
        )
    ]


def _thin(samples: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(samples) <= PROFILE_POINTS:
        return [(round(x, 1), round(y, 1)) for x, y in samples]
    stride = (len(samples) - 1) / (PROFILE_POINTS - 1)
    picked = [samples[round(i * stride)] for i in range(PROFILE_POINTS)]
    return [(round(x, 1), round(y, 1)) for x, y in picked]


# --- demands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseDemands:
    """What a course asks for, in the terms the plan and the model understand.

    ``focus`` replaces the discipline's specialty focus for the PEAK block when set;
    ``terrain`` is the library specialty key workouts of that block are chosen from.
    """

    character: Character
    terrain: Specialty | None
    focus: BlockFocus | None
    cadence_rpm: tuple[int, int] | None
    summary: str
    emphasis: str


CLIMBING_CADENCE_RPM = (60, 75)
"""Low-cadence torque work for long climbs (seated big-gear efforts)."""
FLAT_CADENCE_RPM = (90, 105)
"""High-cadence tempo and surges for courses ridden fast in a bunch."""

_CLIMBING_EMPHASIS = (
    "sustained threshold and sweet-spot climbing efforts of 10–20 minutes or more, "
    "low-cadence (60–75 rpm) torque intervals, pacing a long climb evenly"
)
_FLAT_EMPHASIS = (
    "high-cadence (90–105 rpm) tempo, repeatability (surges of 30 s–3 min with short "
    "recoveries, as when closing gaps or cresting short rises), and sprints"
)


def course_demands(profile: CourseProfile) -> CourseDemands:
    """Focus, terrain and words for the specialty block (blueprint §4.2).

    Hilly and mountainous courses ask for sustained climbing (THRESHOLD, climbing
    templates, low cadence); flat and rolling ones for speed and repeated surges (the
    discipline's own focus, flat templates, high cadence). A course of unknown
    character changes nothing.
    """
    summary = course_summary(profile)
    if profile.character in (Character.HILLY, Character.MOUNTAINOUS):
        return CourseDemands(
            profile.character,
            Specialty.CLIMBING,
            BlockFocus.THRESHOLD,
            CLIMBING_CADENCE_RPM,
            summary,
            _CLIMBING_EMPHASIS,
        )
    if profile.character in (Character.FLAT, Character.ROLLING):
        return CourseDemands(
            profile.character, Specialty.FLAT, None, FLAT_CADENCE_RPM, summary, _FLAT_EMPHASIS
        )
    return CourseDemands(profile.character, None, None, None, summary, "")


def specialty_focus(demands: CourseDemands | None, default: BlockFocus) -> BlockFocus:
    """The PEAK block's focus: the course's when it has one, else the discipline's."""
    if demands is None or demands.focus is None:
        return default
    return demands.focus


def course_summary(profile: CourseProfile) -> str:
    """One plain sentence about a course, for people and for the model's prompt."""
    head = f"{profile.name}: {profile.distance_m / 1000:.1f} km"
    if not profile.has_elevation:
        return f"{head}, elevation unknown."
    steep = sum(b.time_share for b in profile.gradient if b.low_pct is not None and b.low_pct >= 6)
    text = (
        f"{head}, +{profile.climbing_m:.0f} m ({profile.climbing_m_per_km:.0f} m/km), "
        f"{profile.character.value}; {steep * 100:.0f} % of the riding time at 6 % or steeper"
    )
    longest = profile.longest_climb
    if longest is not None:
        category = f"Cat {longest.category}" if longest.category not in (None, "HC") else None
        label = "HC" if longest.category == "HC" else category or "uncategorized"
        text += (
            f"; longest climb {longest.length_m / 1000:.1f} km at "
            f"{longest.mean_gradient_pct:.1f} % ({label}, about {longest.estimated_s // 60} min)"
        )
    return text + "."

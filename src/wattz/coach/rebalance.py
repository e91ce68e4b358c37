"""Re-balancing a week around the model's workouts: the easy rides carry the difference.

A model's key workout may land up to 15 % off its day's share, so after a week's model
workouts are in, its support and recovery rides (the library's, never the model's) are
re-fitted — longer or shorter within their slot, a level up or down — until the week
lands within a few per cent of its target, as placement does for the library's own week.
Key days and the long ride's role are left where placement put them, so no rule about
which day is hard moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from wattz.plan import library
from wattz.plan.domain import Availability, PlannedSession, Role, Source

AIM_SHARE = 0.04
"""Aim within 4 % of the week's target so it lands well inside the ±10 % rule."""
PASSES = 4
LEVEL_REACH = 2
"""A ride may move two levels either way (endurance power ±3–4 % of FTP)."""
RECOVERY_RIDE_MAX_MINUTES = 60
"""Recovery rides stay short however long the slot (as placement keeps them)."""
FLEXIBLE_ROLES = (Role.SUPPORT, Role.RECOVERY)


def rebalance_week(
    sessions: Sequence[PlannedSession],
    target_tss: float,
    availability: Availability,
) -> list[PlannedSession]:
    """The week with its library support/recovery rides re-fitted toward ``target_tss``."""
    week = list(sessions)
    aim = AIM_SHARE * target_tss
    for _ in range(PASSES):
        gap = target_tss - sum(s.tss for s in week)
        if abs(gap) <= aim:
            break
        flexible = [i for i, s in enumerate(week) if _is_flexible(s)]
        weight = sum(week[i].tss for i in flexible)
        if not flexible or weight <= 0:
            break
        changed = False
        for index in flexible:
            session = week[index]
            wanted = max(session.tss + gap * session.tss / weight, 1.0)
            refit = _refit(session, wanted, availability)
            if refit is not None and refit.tss != session.tss:
                week[index] = refit
                changed = True
        if not changed:
            break
    return week


def _is_flexible(session: PlannedSession) -> bool:
    return (
        session.role in FLEXIBLE_ROLES
        and session.source is Source.BUILTIN
        and bool(session.library_id)
    )


def _refit(
    session: PlannedSession, target_tss: float, availability: Availability
) -> PlannedSession | None:
    """The session's template at the level and minutes closest to ``target_tss``."""
    try:
        template = library.template(session.library_id)
    except Exception:  # a session from a template the library no longer has stays as it is
        return None
    minutes = availability.slot_on(session.date).minutes
    if session.role is Role.RECOVERY:
        minutes = min(minutes, max(RECOVERY_RIDE_MAX_MINUTES, session.duration_s // 60))
    levels = _levels_near(session.level)
    pick = library.fit(template, levels, minutes, target_tss)
    if pick is None:
        return None
    metrics = pick.metrics
    return replace(
        session,
        workout=pick.workout,
        level=pick.level,
        primary_zone=metrics.primary_zone,
        tss=round(metrics.tss, 1),
        intensity_factor=round(metrics.intensity_factor, 3),
        duration_s=metrics.duration_s,
    )


def _levels_near(level: int) -> tuple[int, ...]:
    """The session's level first, then outward, within the library's range."""
    order = [level]
    for step in range(1, LEVEL_REACH + 1):
        order += [level - step, level + step]
    return tuple(lv for lv in order if lv in library.LEVELS)

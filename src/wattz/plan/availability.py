"""Reading the weekly availability grid as athletes type it: ``mon=0 tue=60 wed=45:indoor``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from wattz.errors import InvalidValue
from wattz.plan.domain import WEEKDAYS, DaySlot, Venue

MAX_SLOT_MINUTES = 720
"""Twelve hours: longer than any training day a plan should ask for."""

VENUES: tuple[Venue, ...] = ("indoor", "outdoor", "any")


def parse_slot(text: str, where: str) -> DaySlot:
    """``60``, ``45:indoor`` or ``240:outdoor`` → a DaySlot."""
    minutes_text, _, venue_text = text.partition(":")
    try:
        minutes = int(minutes_text)
    except ValueError:
        raise InvalidValue(
            f"{where}: {minutes_text!r} is not a number of minutes", "write e.g. tue=60:indoor"
        ) from None
    if not 0 <= minutes <= MAX_SLOT_MINUTES:
        raise InvalidValue(
            f"{where}: {minutes} minutes is out of range", f"use 0–{MAX_SLOT_MINUTES} minutes"
        )
    venue = venue_text.lower() or "any"
    if venue not in VENUES:
        raise InvalidValue(
            f"{where}: {venue_text!r} is not a venue", "use indoor, outdoor or leave it out"
        )
    return DaySlot(minutes, venue)


def parse_weekly(specs: Iterable[str]) -> dict[int, DaySlot]:
    """``day=minutes[:venue]`` items → weekday index (Monday 0) → slot."""
    slots: dict[int, DaySlot] = {}
    for spec in specs:
        day, sep, value = spec.partition("=")
        key = day.strip().lower()[:3]
        if not sep or key not in WEEKDAYS:
            raise InvalidValue(
                f"{spec!r} is not a day's availability", "write e.g. mon=0 tue=60 sat=240:outdoor"
            )
        slots[WEEKDAYS.index(key)] = parse_slot(value, day)
    if not slots:
        raise InvalidValue("no day given", "write e.g. mon=0 tue=60 sat=240:outdoor")
    return slots


def parse_overrides(specs: Iterable[str]) -> dict[dt.date, DaySlot]:
    """``YYYY-MM-DD=minutes[:venue]`` items → date → slot."""
    overrides: dict[dt.date, DaySlot] = {}
    for spec in specs:
        day, sep, value = spec.partition("=")
        try:
            date = dt.date.fromisoformat(day)
        except ValueError:
            date = None
        if not sep or date is None:
            raise InvalidValue(
                f"{spec!r} is not a dated override",
                "write e.g. 2027-03-14=0 or 2027-03-15=90:indoor",
            )
        overrides[date] = parse_slot(value, day)
    return overrides


def require_riding_day(weekly: Iterable[DaySlot]) -> None:
    """A grid with no riding day cannot carry a plan."""
    if not any(slot.minutes > 0 for slot in weekly):
        raise InvalidValue(
            "the availability grid has no riding day", "give at least one day minutes, e.g. sat=120"
        )

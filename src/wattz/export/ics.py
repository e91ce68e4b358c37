"""A plan's sessions as an iCalendar (.ics) file of all-day events, written with icalendar.

Each workout is one all-day ``VEVENT`` (``DTSTART;VALUE=DATE`` and the next day as the
exclusive ``DTEND``, RFC 5545 §3.6.1) whose summary is the title and whose description is
the workout's summary, so it shows in any calendar app. Events are ``TRANSPARENT``: a
training session should not mark the day busy. UIDs come from the caller's stable keys and
``DTSTAMP`` from the session date, so exporting the same plan twice gives the same bytes
and calendar apps update events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

PRODUCT_ID = "-//wattz//training plan//EN"
UID_DOMAIN = "wattz"


@dataclass(frozen=True)
class CalendarEntry:
    """One session: its day, a title and a few lines saying what it is."""

    date: dt.date
    title: str
    summary: str
    key: str
    """Stable identity of the session (a workout id): the event's UID."""


def sessions_to_ics(entries: Sequence[CalendarEntry], calendar_name: str = "wattz plan") -> bytes:
    """The sessions as .ics bytes, ordered by date then key."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for entry in sorted(entries, key=lambda item: (item.date, item.key)):
        event = icalendar.Event()
        event.add("uid", f"{entry.key}@{UID_DOMAIN}")
        event.add("dtstamp", dt.datetime.combine(entry.date, dt.time(), tzinfo=dt.UTC))
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + dt.timedelta(days=1))
        event.add("summary", entry.title)
        if entry.summary:
            event.add("description", entry.summary)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data

"""The text formats' layouts: TrainerRoad .mrc/.erg, Wahoo .plan and the .ics calendar."""

from __future__ import annotations

import datetime as dt

from wattz.export.ergmrc import workout_to_erg, workout_to_mrc
from wattz.export.ics import CalendarEntry, sessions_to_ics
from wattz.export.wahoo_plan import workout_to_plan
from wattz.sources.workout_text import parse_workout_text

WORKOUT = parse_workout_text('10m ramp 50-75%; 2x(1m 120% "go", 2m 50%); 3m free', "Mix").workout


def test_mrc_is_tab_separated_decimal_minutes_with_course_text() -> None:
    lines = workout_to_mrc(WORKOUT).decode().split("\r\n")
    assert lines[:7] == [
        "[COURSE HEADER]",
        "VERSION = 2",
        "UNITS = ENGLISH",
        "DESCRIPTION = Mix",
        "FILE NAME = Mix",
        "MINUTES PERCENT",
        "[END COURSE HEADER]",
    ]
    data = lines[lines.index("[COURSE DATA]") + 1 : lines.index("[END COURSE DATA]")]
    assert data[:4] == ["0.00\t50", "10.00\t75", "10.00\t120", "11.00\t120"]
    assert data[-1] == "19.00\t55"
    text = lines[lines.index("[COURSE TEXT]") + 1 : lines.index("[END COURSE TEXT]")]
    assert text == ["600\tgo\t10", "780\tgo\t10", "960\tFree ride: ride by feel\t10"]


def test_erg_holds_watts_at_the_athlete_s_ftp() -> None:
    text = workout_to_erg(WORKOUT, 280).decode()
    assert "FTP = 280\r\nMINUTES WATTS\r\n" in text
    assert "0.00\t140\r\n10.00\t210\r\n10.00\t336\r\n" in text


def test_wahoo_plan_header_and_one_level_of_repeat() -> None:
    text = workout_to_plan(WORKOUT).decode()
    assert text.startswith("=HEADER=\n\nNAME=Mix\nDURATION=1140\nPLAN_TYPE=0\nWORKOUT_TYPE=0\n")
    assert "=INTERVAL=\nINTERVAL_NAME=Repeat\nREPEAT=2\nMESG_DURATION_SEC>=0?EXIT\n" in text
    assert "=SUBINTERVAL=\nINTERVAL_NAME=Interval\nPERCENT_FTP_LO=120\nPERCENT_FTP_HI=120\n" in text
    free = text.split("INTERVAL_NAME=Free ride\n")[1]
    assert free.startswith("MESG_DURATION_SEC>=180?EXIT")  # no target on a free ride
    durations = [
        int(line.split(">=")[1].split("?")[0]) for line in text.splitlines() if ">=" in line
    ]
    assert sum(durations) == 600 + 180 + 180  # a repeat lists its steps once; its own line is 0


def test_ics_events_are_all_day_with_the_summary() -> None:
    data = sessions_to_ics(
        [CalendarEntry(dt.date(2026, 12, 1), "Mix", "19 min · TSS 20", "w1")], "Plan"
    ).decode()
    assert "DTSTART;VALUE=DATE:20261201\r\n" in data and "DTEND;VALUE=DATE:20261202\r\n" in data
    assert "UID:w1@wattz\r\n" in data and "DESCRIPTION:19 min · TSS 20\r\n" in data
    assert "X-WR-CALNAME:Plan\r\n" in data

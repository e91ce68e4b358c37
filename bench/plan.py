"""Plan generation speed: a 52-week plan, whole process and in-process.

Run: .venv/bin/python bench/plan.py
Targets (issue 4): `wattz plan new --yes` ≤ 1.0 s whole process; generation ≤ 100 ms.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from user_shell import user_environment

WATTZ = str(Path(sys.executable).parent / "wattz")
TODAY = dt.date(2026, 11, 25)
EVENT = TODAY + dt.timedelta(weeks=52) - dt.timedelta(days=1)
GRID = ["mon=0", "tue=60:indoor", "wed=90", "thu=60:indoor", "fri=0", "sat=240:outdoor", "sun=150"]
RUNS = 9


def whole_process() -> list[float]:
    samples = []
    base = user_environment()
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as home:
            env = {**base, "WATTZ_HOME": home, "WATTZ_TODAY": TODAY.isoformat()}

            def wattz(*args: str, env: dict[str, str] = env) -> None:
                subprocess.run([WATTZ, *args], env=env, check=True, capture_output=True)

            wattz("athlete", "set", "--ftp", "250")
            wattz("availability", "set", *GRID)
            wattz("goal", "add", "Season goal", "--date", EVENT.isoformat())
            started = time.perf_counter()
            wattz("plan", "new", "--goal", "Season goal", "--yes")
            samples.append(time.perf_counter() - started)
    return samples


def in_process() -> list[float]:
    from wattz.plan.availability import parse_weekly
    from wattz.plan.domain import (
        Availability,
        DaySlot,
        Discipline,
        Event,
        Priority,
        Rhythm,
        Strategy,
    )
    from wattz.plan.season import build_season

    slots = parse_weekly(GRID)
    availability = Availability(tuple(slots.get(i, DaySlot(0)) for i in range(7)))
    event = Event("Season goal", EVENT, Priority.A, Discipline.ROAD)
    samples = []
    for run in range(RUNS + 1):
        from wattz.awp import metrics

        metrics._metrics_of_json.cache_clear()
        started = time.perf_counter()
        build_season(
            start=TODAY,
            event=event,
            other_events=[],
            strategy=Strategy.LINEAR,
            rhythm=Rhythm.THREE_ONE,
            ramp=None,
            start_ctl=None,
            availability=availability,
            today=TODAY,
        )
        if run:
            samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    generation = in_process()
    print(
        f"generation of a 52-week season (in process, cold metric cache): "
        f"median {statistics.median(generation) * 1000:.1f} ms (target ≤ 100 ms)"
    )
    process = whole_process()
    print(
        f"wattz plan new --yes, 52 weeks (whole process): median "
        f"{statistics.median(process):.2f} s, best {min(process):.2f} s of {RUNS} "
        f"(target ≤ 1.0 s; load average now {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()

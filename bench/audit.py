"""The nightly audit's speed, whole process: a night with nothing new, and one new ride.

Run: .venv/bin/python bench/audit.py
Targets (issue 7): `wattz audit` with nothing new ≤ 0.8 s (no network source); with one
new ride ≤ 1.5 s.

The store holds a 16-week plan a month in, a folder source with 20 rides already
imported (one-hour copies of a corpus ride, made as bench/import.py makes them, so the
folder is walked and every file's size and time compared), and the audits before it
done, as a real cron night finds it. Each "new ride" run adds one more ride file.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from user_shell import user_environment

WATTZ = str(Path(sys.executable).parent / "wattz")
BENCH = Path(__file__).resolve().parent
CORPUS_DAY = dt.date(2013, 8, 16)
"""The corpus ride bench/import.py copies was ridden on this day."""
START = dt.date(2026, 11, 25)
EVENT = START + dt.timedelta(weeks=16)
NIGHT = START + dt.timedelta(days=28)
GRID = ["mon=0", "tue=60:indoor", "wed=45", "thu=60:indoor", "fri=0", "sat=180:outdoor", "sun=120"]
HISTORY_FILES = 20
RUNS = 5


def _import_bench() -> ModuleType:
    """bench/import.py, for its FIT copier (one hour of a corpus ride, dates shifted)."""
    spec = importlib.util.spec_from_file_location("bench_import", BENCH / "import.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ride_on(day: dt.date) -> bytes:
    """A valid one-hour FIT ride on ``day`` (a new file, a new start: a new ride)."""
    copier = _import_bench()
    shift_s = (day - CORPUS_DAY).days * copier.DAY_S
    data: bytes = copier.one_hour_copy(copier.CORPUS_RIDE.read_bytes(), shift_s)
    return data


def wattz(home: str, today: dt.date, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**user_environment(), "WATTZ_HOME": home, "WATTZ_TODAY": today.isoformat()}
    return subprocess.run([WATTZ, *args], env=env, check=True, capture_output=True, text=True)


def prepared(home: str, rides: Path) -> None:
    """A plan a month in, a folder source with history imported, yesterday audited."""
    wattz(home, START, "athlete", "set", "--ftp", "250")
    wattz(home, START, "availability", "set", *GRID)
    wattz(home, START, "goal", "add", "Goal", "--date", EVENT.isoformat())
    wattz(home, START, "plan", "new", "--goal", "Goal", "--yes")
    rides.mkdir()
    for index in range(HISTORY_FILES):
        day = NIGHT - dt.timedelta(days=HISTORY_FILES + RUNS + 1 - index)
        (rides / f"history-{index:02d}.fit").write_bytes(ride_on(day))
    wattz(home, START, "source", "add", str(rides))
    wattz(home, NIGHT, "audit")
    wattz(home, NIGHT, "audit")


def timed(home: str) -> float:
    started = time.perf_counter()
    wattz(home, NIGHT, "audit")
    return time.perf_counter() - started


def main() -> None:
    if not _import_bench().CORPUS_RIDE.is_file():
        sys.exit("bench/audit needs ../shared/corpus (the ride bench/import.py copies)")
    quiet: list[float] = []
    one_ride: list[float] = []
    with tempfile.TemporaryDirectory() as scratch:
        home = str(Path(scratch) / "home")
        rides = Path(scratch) / "rides"
        prepared(home, rides)
        for _ in range(RUNS):
            quiet.append(timed(home))
        for run in range(RUNS):
            day = NIGHT - dt.timedelta(days=RUNS - run)
            (rides / f"new-{run}.fit").write_bytes(ride_on(day))
            one_ride.append(timed(home))
    print(
        f"audit, nothing new:  median {statistics.median(quiet):.2f} s "
        f"(min {min(quiet):.2f}, max {max(quiet):.2f}; target ≤ 0.8 s)"
    )
    print(
        f"audit, one new ride: median {statistics.median(one_ride):.2f} s "
        f"(min {min(one_ride):.2f}, max {max(one_ride):.2f}; target ≤ 1.5 s)"
    )


if __name__ == "__main__":
    main()

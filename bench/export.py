"""Exporting a 24-week plan in every format: whole-process time per format (target ≤ 2 s).

A season of 24 weeks × 6 sessions is built from the built-in library (levels and lengths
rotating as a real plan's do, long rides up to 4 h), then each format is exported into a
fresh folder by a separate Python process, so the figure includes interpreter start-up,
imports and writing every file atomically with fsync — what `wattz export` pays, less the
store query.

Run: .venv/bin/python bench/export.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WEEKS = 24
SESSIONS_PER_WEEK = 6
FTP_W = 250
RUNS = 3
TARGET_S = 2.0
FORMATS = ("zwo", "mrc", "erg", "fit", "plan", "json", "ics")
START = dt.date(2027, 1, 4)


def season_items() -> list[object]:
    """144 library sessions across 24 weeks (the same mix a generated plan holds)."""
    from wattz.export.exporter import ExportItem
    from wattz.plan.library import TEMPLATES, build, min_minutes

    items = []
    for week in range(WEEKS):
        for slot in range(SESSIONS_PER_WEEK):
            template = TEMPLATES[(week * 7 + slot * 11) % len(TEMPLATES)]
            level = 1 + (week // 3 + slot) % 10
            minutes = max(min_minutes(template.id, level), (45, 60, 75, 90, 120, 240)[slot])
            day = START + dt.timedelta(days=week * 7 + slot)
            workout = build(template.id, level, minutes)
            items.append(ExportItem(f"workout-{week}-{slot}", workout, day))
    return items


def export_once(fmt: str, folder: str) -> None:
    """What the child process does: build the season, export it, report its own timings."""
    started = time.perf_counter()
    items = season_items()
    built = time.perf_counter()
    from wattz.export.exporter import export_workouts

    report = export_workouts(items, fmt, Path(folder) / "out", FTP_W, Path(folder) / "record")  # type: ignore[arg-type]
    done = time.perf_counter()
    files = len(report.written)
    print(f"{files} {built - started:.3f} {done - built:.3f}")


def main() -> None:
    print(f"{WEEKS}-week plan, {WEEKS * SESSIONS_PER_WEEK} workouts, {RUNS} runs per format")
    print(f"{'format':<7}{'files':>6}{'process s':>11}{'build s':>9}{'export s':>10}  verdict")
    worst = 0.0
    for fmt in FORMATS:
        samples: list[tuple[float, int, float, float]] = []
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                result = subprocess.run(
                    [sys.executable, __file__, "--one", fmt, folder],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                elapsed = time.perf_counter() - started
            files, build_s, export_s = result.stdout.split()
            samples.append((elapsed, int(files), float(build_s), float(export_s)))
        elapsed = statistics.median(sample[0] for sample in samples)
        _, files_n, build_s_, export_s_ = min(samples, key=lambda s: abs(s[0] - elapsed))
        worst = max(worst, elapsed)
        verdict = "ok" if elapsed <= TARGET_S else "OVER TARGET"
        print(f"{fmt:<7}{files_n:>6}{elapsed:>11.2f}{build_s_:>9.2f}{export_s_:>10.2f}  {verdict}")
    print(f"slowest format: {worst:.2f} s (target ≤ {TARGET_S:.0f} s)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        export_once(sys.argv[2], sys.argv[3])
    else:
        main()

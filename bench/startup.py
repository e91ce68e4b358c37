"""Start-up time: `wattz --version` and `wattz --help` against a bare `python -c pass`.

Run: .venv/bin/python bench/startup.py   (target: within 0.15 s of the bare interpreter)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from user_shell import user_environment

RUNS = 15
WATTZ = str(Path(sys.executable).parent / "wattz")


def wall_time(command: list[str]) -> float:
    """Median whole-process wall time over RUNS runs, after one warm-up run."""
    subprocess.run(command, capture_output=True, check=True, env=user_environment())
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=user_environment())
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    bare = wall_time([sys.executable, "-c", "pass"])
    print(f"python -c pass      {bare * 1000:7.1f} ms")
    for args in (["--version"], ["--help"]):
        elapsed = wall_time([WATTZ, *args])
        verdict = "ok" if elapsed - bare <= 0.15 else "OVER TARGET"
        print(
            f"wattz {' '.join(args):<13} {elapsed * 1000:7.1f} ms  "
            f"(+{(elapsed - bare) * 1000:.1f} ms; target +150 ms: {verdict})"
        )


if __name__ == "__main__":
    main()

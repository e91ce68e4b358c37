"""``wattz demo``: wattz's main job on a built-in example, with no setup and no network."""

from __future__ import annotations

import typer

from wattz.cli.console import out


def demo() -> None:
    """Show wattz on a built-in example (safe to run again; uses only the data dir)."""
    from wattz.awp.metrics import workout_metrics
    from wattz.awp.timeline import unroll
    from wattz.cli.render.workout import metrics_line, profile_lines, steps_table, zones_line
    from wattz.services.demo import demo_workout

    workout = demo_workout()
    ftp_w = 250
    metrics = workout_metrics(workout)
    out().print(f"[bold]{workout.meta.title}[/] — a built-in workout at FTP {ftp_w} W")
    out().print(metrics_line(metrics, ftp_w))
    width = max(20, min(out().width, 160) - 1)
    for line in profile_lines(unroll(workout), width, height=8):
        out().print(line, no_wrap=True, crop=True)
    out().print(zones_line(metrics))
    out().print(steps_table(workout, ftp_w))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)

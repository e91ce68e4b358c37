"""``wattz device``: head units and Zwift folders wattz can write workouts to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import JsonOption, command_group

app = command_group("Devices: find mounted Garmin and Wahoo units and Zwift's folder.")

RootOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--root",
        help="Where to look for mounted storage (repeatable; default: /media/$USER, "
        "/run/media/$USER, /media, /mnt, /Volumes and gvfs MTP mounts).",
    ),
]


@app.command("list")
def list_(json: JsonOption = False, root: RootOption = None) -> None:
    """List mounted devices and where each wants new workout files."""
    from rich.table import Table

    from wattz.services.exports import list_devices

    devices = list_devices(root or None)
    if json:
        print_json([device.to_json_dict() for device in devices])
        return
    if not devices:
        note("no device found — connect a Garmin or Wahoo unit, or pass --root PATH")
        return
    table = Table(show_edge=False)
    for column in ("Kind", "Name", "Writes to", "Format"):
        table.add_column(column)
    for device in devices:
        table.add_row(device.kind, device.name, str(device.workouts_dir), device.default_format)
    out().print(table)

"""``wattz coach``: the local model that may write workouts — is it there, and which."""

from __future__ import annotations

from typing import Annotated

import typer

from wattz.cli.console import note, out, print_json
from wattz.cli.options import JsonOption, command_group

app = command_group("The Ollama model behind --generator ollama|auto: status.")

ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Model to look for (default: WATTZ_MODEL, else qwen2.5:3b)."),
]


@app.command("status")
def status(model: ModelOption = None, json: JsonOption = False) -> None:
    """Whether the Ollama server answers, its models, and whether it has the configured one."""
    from wattz.coach.client import CoachUnavailable
    from wattz.services.coaching import coach_status

    found = coach_status(model)
    if json:
        print_json(
            {
                "host": found.host,
                "reachable": found.reachable,
                "models": list(found.models),
                "model": found.model,
                "has_model": found.has_model,
                "error": found.error,
            }
        )
    else:
        console = out()
        state = "reachable" if found.reachable else "not reachable"
        console.print(f"server: {found.host} ({state})")
        if found.reachable:
            console.print(f"models: {', '.join(found.models) or 'none'}")
            mark = "present" if found.has_model else "missing"
            console.print(f"model:  {found.model} ({mark})")
    if not found.reachable:
        raise CoachUnavailable(
            found.error or f"Ollama at {found.host} is not reachable",
            "start it with: ollama serve (or set OLLAMA_HOST)",
        )
    if not found.has_model and not json:
        note(f"pull it with: ollama pull {found.model} (or choose another with --model)")

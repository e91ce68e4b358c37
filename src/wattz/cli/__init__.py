"""The command line: Typer sub-apps per command group, Rich rendering, error mapping."""

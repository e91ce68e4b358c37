"""awp/ is pure: stdlib and pydantic only — no CLI, store, model, network, files or clock."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import wattz.awp

AWP_DIR = Path(wattz.awp.__file__).parent
MODULES = sorted(
    f"wattz.awp.{path.stem}" for path in AWP_DIR.glob("*.py") if path.stem != "__init__"
)

ALLOWED_IMPORTS = {
    "__future__",
    "collections",
    "dataclasses",
    "functools",
    "itertools",
    "json",
    "math",
    "operator",
    "typing",
    "pydantic",
    "wattz",
}
"""Top-level packages awp may import: nothing that reads files, the clock or the network."""

ALLOWED_WATTZ = ("wattz.awp", "wattz.errors")

HEAVY = ("typer", "rich", "sqlmodel", "sqlalchemy", "alembic", "ollama", "garth", "fitparse")


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_awp_module_imports_only_the_pure_allowance() -> None:
    assert "wattz.awp.transforms" in MODULES
    for path in AWP_DIR.glob("*.py"):
        for name in imported_names(path):
            assert name.split(".")[0] in ALLOWED_IMPORTS, f"{path.name} imports {name}"
            if name.startswith("wattz"):
                assert name.startswith(ALLOWED_WATTZ), f"{path.name} imports {name}"


def test_importing_awp_loads_no_heavy_library() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(done.stdout))
    assert not {name for name in loaded if name.split(".")[0] in HEAVY}
    assert not {name for name in loaded if name.startswith(("fit_tool", "gpxpy"))}
    assert not {
        name for name in loaded if name.startswith("wattz.") and not name.startswith(ALLOWED_WATTZ)
    }

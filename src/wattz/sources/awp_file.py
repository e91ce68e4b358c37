"""Reading an AWP JSON document from disk through the three-layer validator."""

from __future__ import annotations

from pathlib import Path

from wattz.awp.models import Workout
from wattz.awp.validate import MAX_DOCUMENT_BYTES, validate_document
from wattz.errors import InvalidWorkout, NotFound


def load_awp_file(path: Path) -> Workout:
    """The workout in ``path``, or InvalidWorkout carrying every finding."""
    if not path.is_file():
        raise NotFound(f"{path}: no such file", "check the path")
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise InvalidWorkout(
            f"{path.name}: the file is {size:,} bytes; at most {MAX_DOCUMENT_BYTES:,} are accepted",
            hint="an AWP document is a small JSON file",
        )
    report = validate_document(path.read_bytes())
    if report.workout is None:
        first = report.findings[0].message
        more = f" (+{len(report.findings) - 1} more)" if len(report.findings) > 1 else ""
        raise InvalidWorkout(
            f"{path.name}: {first}{more}",
            [f.message for f in report.findings],
            hint="fix the document and validate it again",
        )
    return report.workout

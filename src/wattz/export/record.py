"""wattz's record of the files it wrote, kept in its data dir and never on a device.

Per export target (a device's identity, or a folder's path) it lists each file wattz
wrote: the workout key it came from, its format and the SHA-256 of its bytes. That is
what lets a later export remove files the plan no longer holds while never touching a
file someone else put there — or one changed since wattz wrote it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from wattz.export.atomic import write_atomic

RECORD_FILE_NAME = "exports.json"
RECORD_VERSION = 1


@dataclass(frozen=True)
class WrittenFile:
    key: str
    format: str
    sha256: str


@dataclass
class ExportRecord:
    """Files wattz wrote, by target key, then by file name."""

    path: Path
    targets: dict[str, dict[str, WrittenFile]] = field(default_factory=dict)
    unreadable: bool = False
    """The record existed but could not be read: nothing will be removed this time."""

    def files(self, target_key: str) -> dict[str, WrittenFile]:
        return self.targets.setdefault(target_key, {})

    def save(self) -> None:
        """Write the record atomically (its folder is created the first time)."""
        document = {
            "version": RECORD_VERSION,
            "targets": {
                key: {
                    name: {"key": item.key, "format": item.format, "sha256": item.sha256}
                    for name, item in sorted(files.items())
                }
                for key, files in sorted(self.targets.items())
                if files
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))


def load_record(record_dir: Path) -> ExportRecord:
    """The record in ``record_dir`` (empty when there is none yet)."""
    path = record_dir / RECORD_FILE_NAME
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return ExportRecord(path)
    except (OSError, ValueError):
        return ExportRecord(path, unreadable=True)
    try:
        targets = {
            str(key): {
                str(name): WrittenFile(str(item["key"]), str(item["format"]), str(item["sha256"]))
                for name, item in files.items()
            }
            for key, files in document["targets"].items()
        }
    except (KeyError, TypeError, AttributeError):
        return ExportRecord(path, unreadable=True)
    return ExportRecord(path, targets)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

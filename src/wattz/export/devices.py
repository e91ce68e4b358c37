"""Finding head units and Zwift's workout folder, and where each wants new workout files.

- **Garmin** (USB mass storage, or MTP through gvfs on newer units): a ``GARMIN`` folder
  whose ``GarminDevice.xml`` lists, per FIT file type, where the unit reads new files;
  workouts are ``FIT_TYPE_5`` with ``TransferDirection`` ``InputToUnit`` (usually
  ``GARMIN/NewFiles``). Without a readable XML, ``GARMIN/NewFiles`` is used.
- **Wahoo ELEMNT**: a storage root holding ``plans/`` (where it reads .plan workouts) and
  ``exports/``.
- **Zwift**: ``Documents/Zwift/Workouts/<user id>/`` under a home folder, or under
  ``Users/*/`` of a mounted Windows drive.

Mounted storage is looked for one or two levels under the usual mount roots
(:func:`default_mount_roots`); callers pass their own roots in tests. Nothing here writes.
"""

from __future__ import annotations

import contextlib
import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from wattz.errors import Conflict, ExternalError, InvalidValue

DeviceKind = Literal["garmin", "wahoo", "zwift"]
DEVICE_KINDS: tuple[DeviceKind, ...] = ("garmin", "wahoo", "zwift")
GARMIN_WORKOUT_FILE_TYPE = "FIT_TYPE_5"
GARMIN_DEFAULT_NEW_FILES = "GARMIN/NewFiles"
_INPUT_DIRECTIONS = ("InputToUnit", "InputOutput")
_KIND_NAMES = {"garmin": "Garmin", "wahoo": "Wahoo ELEMNT", "zwift": "Zwift"}


@dataclass(frozen=True)
class Device:
    """A place that takes workout files: a mounted unit, or Zwift's folder."""

    kind: DeviceKind
    name: str
    root: Path
    """The mount root (for Zwift, the home or drive holding ``Documents``)."""
    workouts_dir: Path
    """Where new workout files go."""
    formats: tuple[str, ...]
    """Formats the device reads from ``workouts_dir``, the preferred one first."""
    device_id: str | None = None
    via: Literal["usb", "mtp", "folder"] = "usb"
    note: str | None = None

    @property
    def default_format(self) -> str:
        return self.formats[0]

    @property
    def key(self) -> str:
        """Identity for wattz's record of what it wrote (stable across mount points)."""
        if self.device_id:
            return f"{self.kind}:{self.device_id}"
        return f"{self.kind}:{self.workouts_dir}"

    def to_json_dict(self) -> dict[str, str | list[str] | None]:
        return {
            "kind": self.kind,
            "name": self.name,
            "root": str(self.root),
            "workouts_dir": str(self.workouts_dir),
            "formats": list(self.formats),
            "default_format": self.default_format,
            "device_id": self.device_id,
            "via": self.via,
            "note": self.note,
        }


@dataclass(frozen=True)
class ExportTarget:
    """Where an export goes: a folder, the device it belongs to (if any), its record key."""

    folder: Path
    device: Device | None = None

    @property
    def key(self) -> str:
        return self.device.key if self.device else f"folder:{self.folder}"


def default_mount_roots(
    environ: Mapping[str, str] | None = None, uid: int | None = None
) -> list[Path]:
    """Where desktops mount removable storage (udisks, macOS) and gvfs puts MTP devices."""
    env = os.environ if environ is None else environ
    user = env.get("USER") or env.get("LOGNAME") or ""
    user_id = uid if uid is not None else (os.getuid() if hasattr(os, "getuid") else 0)
    roots = []
    if user:
        roots += [Path("/media") / user, Path("/run/media") / user]
    roots += [Path("/media"), Path("/mnt"), Path("/Volumes"), Path(f"/run/user/{user_id}/gvfs")]
    return roots


def detect_devices(
    mount_roots: Sequence[Path] | None = None, home: Path | None = None
) -> list[Device]:
    """Every device found under ``mount_roots`` (and Zwift's folder under ``home``)."""
    roots = default_mount_roots() if mount_roots is None else list(mount_roots)
    found: dict[Path, Device] = {}
    candidates = list(_candidates(roots))
    for candidate, via in candidates:
        for device in probe(candidate, via):
            found.setdefault(device.workouts_dir, device)
    zwift_home = home if home is not None else Path.home() if mount_roots is None else None
    if zwift_home is not None:
        # A home folder is only searched for Zwift: its own plans/ or GARMIN/ are not units.
        for device in _zwift(zwift_home):
            found.setdefault(device.workouts_dir, device)
    return sorted(found.values(), key=lambda d: (d.kind, str(d.workouts_dir)))


def probe(path: Path, via: Literal["usb", "mtp", "folder"] = "usb") -> list[Device]:
    """The devices whose root is ``path`` (a Garmin, an ELEMNT, Zwift folders)."""
    devices: list[Device] = []
    garmin = _garmin(path, via)
    if garmin is not None:
        devices.append(garmin)
    wahoo = _wahoo(path, via)
    if wahoo is not None:
        devices.append(wahoo)
    devices.extend(_zwift(path))
    return devices


def resolve_target(
    to: str, mount_roots: Sequence[Path] | None = None, home: Path | None = None
) -> ExportTarget:
    """``--to``: ``garmin``/``wahoo``/``zwift`` (the one mounted), or a path.

    A path that is a device's root writes where that device wants new files; any other
    path is a plain folder (created when missing).
    """
    name = to.strip()
    if name.lower() in DEVICE_KINDS:
        kind = name.lower()
        matches = [d for d in detect_devices(mount_roots, home) if d.kind == kind]
        label = _KIND_NAMES[kind]
        if not matches:
            raise ExternalError(
                f"no {label} device is mounted",
                "connect it (and unlock it for file transfer) or name its folder with --to PATH",
            )
        if len(matches) > 1:
            places = ", ".join(str(d.workouts_dir) for d in matches)
            raise Conflict(
                f"{len(matches)} {label} devices are mounted ({places})",
                "name one with --to PATH",
            )
        return ExportTarget(matches[0].workouts_dir, matches[0])
    if not name:
        raise InvalidValue("--to is empty", "give garmin, wahoo, zwift or a folder")
    path = Path(name).expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise InvalidValue(f"{path} is a file, not a folder", "give a folder or a device")
    if path.is_dir():
        devices = [d for d in probe(path) if d.kind != "zwift" or d.root == path]
        if len(devices) == 1 or (devices and len({d.kind for d in devices}) == 1):
            return ExportTarget(devices[0].workouts_dir, devices[0])
        if len(devices) > 1:
            places = ", ".join(str(d.workouts_dir) for d in devices)
            raise Conflict(f"{path} holds several devices ({places})", "name the folder itself")
    return ExportTarget(path)


def garmin_new_files_path(device_xml: bytes) -> tuple[str | None, str | None, str | None]:
    """(workouts folder, model name, unit id) from GarminDevice.xml bytes; None when absent."""
    root = ElementTree.fromstring(device_xml)
    model = _find_text(root, ("Model", "Description"))
    unit_id = _find_text(root, ("Id",))
    for data_type in _descendants(root, "DataType"):
        if _find_text(data_type, ("Name",)) != GARMIN_WORKOUT_FILE_TYPE:
            continue
        for file_element in _children(data_type, "File"):
            direction = _find_text(file_element, ("TransferDirection",))
            folder = _find_text(file_element, ("Location", "Path"))
            if direction in _INPUT_DIRECTIONS and folder:
                return folder, model, unit_id
    return None, model, unit_id


def _candidates(roots: Iterable[Path]) -> Iterator[tuple[Path, Literal["usb", "mtp", "folder"]]]:
    for root in roots:
        if not _is_dir(root):
            continue
        is_gvfs = root.name == "gvfs"
        if not is_gvfs:
            yield root, "usb"
        for child in _subfolders(root):
            if is_gvfs or child.name.startswith(("mtp:", "gphoto2:")):
                # gvfs: mtp:host=<device>/<storage name>/GARMIN …
                for storage in _subfolders(child):
                    yield storage, "mtp"
                yield child, "mtp"
            else:
                yield child, "usb"


def _garmin(path: Path, via: Literal["usb", "mtp", "folder"]) -> Device | None:
    garmin_dir = _child_folder(path, "garmin")
    if garmin_dir is None:
        return None
    xml_file = _child_file(garmin_dir, "garmindevice.xml")
    if xml_file is None and _child_folder(garmin_dir, "newfiles") is None:
        return None  # a folder merely called GARMIN (the volume label units mount under)
    relative: str | None = None
    model: str | None = None
    unit_id: str | None = None
    note: str | None = None
    if xml_file is not None:
        try:
            relative, model, unit_id = garmin_new_files_path(xml_file.read_bytes())
        except (OSError, ElementTree.ParseError):
            note = "GarminDevice.xml is unreadable; using GARMIN/NewFiles"
    if relative is None or not _is_safe_relative(relative):
        relative = GARMIN_DEFAULT_NEW_FILES
    if model and not model.lower().startswith("garmin"):
        model = f"Garmin {model}"
    return Device(
        kind="garmin",
        name=model or "Garmin unit",
        root=path,
        workouts_dir=_resolve_case_insensitive(path, relative),
        formats=("fit",),
        device_id=unit_id,
        via=via,
        note=note,
    )


def _wahoo(path: Path, via: Literal["usb", "mtp", "folder"]) -> Device | None:
    plans = _child_folder(path, "plans")
    if plans is None:
        return None
    labelled = any(word in str(path).lower() for word in ("elemnt", "wahoo"))
    if _child_folder(path, "exports") is None and not labelled:
        return None
    return Device(
        kind="wahoo", name="Wahoo ELEMNT", root=path, workouts_dir=plans, formats=("plan",), via=via
    )


def _zwift(path: Path) -> list[Device]:
    homes = [path]
    users = _child_folder(path, "users")
    if users is not None:
        homes.extend(_subfolders(users))
    devices = []
    for home in homes:
        workouts = home / "Documents" / "Zwift" / "Workouts"
        for user_dir in _subfolders(workouts):
            devices.append(
                Device(
                    kind="zwift",
                    name=f"Zwift (user {user_dir.name})",
                    root=home,
                    workouts_dir=user_dir,
                    formats=("zwo",),
                    device_id=None,
                    via="folder",
                )
            )
    return devices


def _is_safe_relative(relative: str) -> bool:
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    return bool(parts) and not relative.startswith(("/", "\\")) and ".." not in parts


def _resolve_case_insensitive(root: Path, relative: str) -> Path:
    """``root/relative`` matching existing folders whatever their case (FAT mounts vary)."""
    current = root
    for part in PurePosixPath(relative.replace("\\", "/")).parts:
        existing = _child_folder(current, part.lower())
        current = existing if existing is not None else current / part
    return current


def _child_folder(folder: Path, lower_name: str) -> Path | None:
    for child in _subfolders(folder):
        if child.name.lower() == lower_name:
            return child
    return None


def _child_file(folder: Path, lower_name: str) -> Path | None:
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.lower() == lower_name and entry.is_file():
                return Path(entry.path)
    return None


def _subfolders(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if not entry.name.startswith(".") and _entry_is_dir(entry)
            )
    except OSError:
        return []


def _entry_is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (child for child in element if _local(child.tag) == name)


def _descendants(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (node for node in element.iter() if _local(node.tag) == name)


def _find_text(element: ElementTree.Element, path: Sequence[str]) -> str | None:
    current: ElementTree.Element | None = element
    for name in path:
        current = next(_children(current, name), None) if current is not None else None
    if current is None or current.text is None:
        return None
    return current.text.strip() or None

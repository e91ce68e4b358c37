"""Finding devices on real directory trees shaped like mounted units."""

from __future__ import annotations

from pathlib import Path

import pytest

from wattz.errors import Conflict, ExternalError, InvalidValue
from wattz.export.devices import default_mount_roots, detect_devices, resolve_target

EDGE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Device xmlns="http://www.garmin.com/xmlschemas/GarminDevice/v2">
  <Model><PartNumber>006-B3122-00</PartNumber><Description>Edge 530</Description></Model>
  <Id>3312345678</Id>
  <MassStorageMode>
    <DataType><Name>FIT_TYPE_4</Name><File><Location><Path>GARMIN/Activity</Path>
      </Location><TransferDirection>OutputFromUnit</TransferDirection></File></DataType>
    <DataType><Name>FIT_TYPE_5</Name>
      <File><Location><Path>GARMIN/Workouts</Path></Location>
        <TransferDirection>OutputFromUnit</TransferDirection></File>
      <File><Location><Path>GARMIN/NewFiles</Path></Location>
        <TransferDirection>InputToUnit</TransferDirection></File>
    </DataType>
  </MassStorageMode>
</Device>
"""


def make_edge(root: Path, xml: str = EDGE_XML) -> Path:
    garmin = root / "GARMIN"
    (garmin / "NewFiles").mkdir(parents=True)
    (garmin / "Activity").mkdir()
    (garmin / "GarminDevice.xml").write_text(xml)
    return root


def make_elemnt(root: Path) -> Path:
    (root / "plans").mkdir(parents=True)
    (root / "exports").mkdir()
    return root


def test_a_mounted_edge_is_found_with_the_folder_its_xml_names(tmp_path: Path) -> None:
    media = tmp_path / "media" / "rider"
    make_edge(media / "GARMIN")
    (device,) = detect_devices([media], home=tmp_path / "home")
    assert (device.kind, device.name, device.device_id) == (
        "garmin",
        "Garmin Edge 530",
        "3312345678",
    )
    assert device.workouts_dir == media / "GARMIN" / "GARMIN" / "NewFiles"
    assert device.formats == ("fit",) and device.via == "usb"


def test_the_folder_name_is_matched_whatever_its_case(tmp_path: Path) -> None:
    root = tmp_path / "EDGE"
    (root / "Garmin" / "NEWFILES").mkdir(parents=True)
    (root / "Garmin" / "garmindevice.xml").write_text(EDGE_XML)
    (device,) = detect_devices([tmp_path], home=tmp_path / "home")
    assert device.workouts_dir == root / "Garmin" / "NEWFILES"


def test_an_unreadable_device_xml_falls_back_to_new_files(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE", xml="<Device><Model>")
    (device,) = detect_devices([tmp_path], home=tmp_path / "home")
    assert device.workouts_dir == tmp_path / "EDGE" / "GARMIN" / "NewFiles"
    assert device.note is not None and "unreadable" in device.note


def test_an_xml_naming_a_folder_outside_the_unit_is_ignored(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE", xml=EDGE_XML.replace("GARMIN/NewFiles", "../../etc"))
    (device,) = detect_devices([tmp_path], home=tmp_path / "home")
    assert device.workouts_dir == tmp_path / "EDGE" / "GARMIN" / "NewFiles"


def test_mtp_units_under_gvfs_are_found(tmp_path: Path) -> None:
    gvfs = tmp_path / "run" / "user" / "1000" / "gvfs"
    make_edge(gvfs / "mtp:host=091e_4f4e_0000cafe" / "Internal Storage")
    (device,) = detect_devices([gvfs], home=tmp_path / "home")
    assert device.via == "mtp"
    assert device.workouts_dir.parts[-3:] == ("Internal Storage", "GARMIN", "NewFiles")


def test_wahoo_and_zwift_are_found(tmp_path: Path) -> None:
    make_elemnt(tmp_path / "mnt" / "ELEMNT BOLT")
    home = tmp_path / "home"
    (home / "Documents" / "Zwift" / "Workouts" / "123456").mkdir(parents=True)
    devices = detect_devices([tmp_path / "mnt"], home=home)
    assert [(d.kind, d.default_format) for d in devices] == [("wahoo", "plan"), ("zwift", "zwo")]
    assert devices[1].workouts_dir == home / "Documents" / "Zwift" / "Workouts" / "123456"


def test_zwift_on_a_mounted_windows_drive(tmp_path: Path) -> None:
    drive = tmp_path / "mnt" / "c"
    (drive / "Users" / "ana" / "Documents" / "Zwift" / "Workouts" / "42").mkdir(parents=True)
    (device,) = detect_devices([tmp_path / "mnt"], home=tmp_path / "home")
    assert device.kind == "zwift" and device.workouts_dir.name == "42"


def test_plain_folders_and_missing_roots_find_nothing(tmp_path: Path) -> None:
    (tmp_path / "USB" / "photos").mkdir(parents=True)
    (tmp_path / "USB2" / "plans").mkdir(parents=True)  # plans/ alone is not an ELEMNT
    assert detect_devices([tmp_path, tmp_path / "absent"], home=tmp_path / "home") == []


def test_default_roots_follow_the_user_and_uid() -> None:
    roots = default_mount_roots({"USER": "ana"}, uid=1000)
    assert Path("/media/ana") in roots and Path("/run/media/ana") in roots
    assert Path("/run/user/1000/gvfs") in roots and Path("/Volumes") in roots


def test_to_a_device_kind_picks_the_mounted_one(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE")
    target = resolve_target("garmin", [tmp_path], home=tmp_path / "home")
    assert target.folder == tmp_path / "EDGE" / "GARMIN" / "NewFiles"
    assert target.key == "garmin:3312345678"


def test_to_a_device_kind_that_is_not_mounted_is_an_external_error(tmp_path: Path) -> None:
    with pytest.raises(ExternalError, match="no Garmin device is mounted") as raised:
        resolve_target("garmin", [tmp_path], home=tmp_path / "home")
    assert raised.value.exit_code == 3


def test_two_units_of_a_kind_must_be_named(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE1")
    make_edge(tmp_path / "EDGE2", xml=EDGE_XML.replace("3312345678", "99"))
    with pytest.raises(Conflict, match="2 Garmin devices"):
        resolve_target("garmin", [tmp_path], home=tmp_path / "home")


def test_to_a_mount_root_writes_where_the_unit_wants_files(tmp_path: Path) -> None:
    make_edge(tmp_path / "EDGE")
    target = resolve_target(str(tmp_path / "EDGE"), [], home=tmp_path / "home")
    assert target.device is not None
    assert target.folder == tmp_path / "EDGE" / "GARMIN" / "NewFiles"


def test_to_any_other_path_is_a_plain_folder(tmp_path: Path) -> None:
    target = resolve_target(str(tmp_path / "out"), [], home=tmp_path / "home")
    assert (target.folder, target.device) == (tmp_path / "out", None)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(InvalidValue, match="is a file"):
        resolve_target(str(tmp_path / "file.txt"), [], home=tmp_path / "home")

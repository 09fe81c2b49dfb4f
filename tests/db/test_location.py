"""Risky places for the database file: cloud-sync folders, network shares and mounts."""

from __future__ import annotations

import pytest

from desta_tui.db.location import read_mounts, risky_location

MOUNTS = r"""/dev/sda1 / ext4 rw,relatime 0 0
server:/export/hub /srv/hub nfs4 rw 0 0
//nas/office /home/officer/Office\040Share cifs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    "path, words",
    [
        ("/home/officer/OneDrive - CaVSA/desta.sqlite3", "OneDrive"),
        ("/home/officer/Dropbox/desta.sqlite3", "Dropbox"),
        ("/home/officer/Google Drive/My Drive/desta.sqlite3", "Google Drive"),
        ("/Users/o/Library/Mobile Documents/com~apple~CloudDocs/desta.sqlite3", "iCloud"),
        ("/mnt/c/Users/officer/desta.sqlite3", "/mnt/"),
        ("//server/share/desta.sqlite3", "network share"),
        ("\\\\server\\share\\desta.sqlite3", "network share"),
        ("/srv/hub/desta.sqlite3", "nfs4"),
        ("/home/officer/Office Share/desta.sqlite3", "cifs"),
    ],
)
def test_risky_places_are_named(path, words):
    warning = risky_location(path, mounts_text=MOUNTS)
    assert warning is not None and words in warning


@pytest.mark.parametrize(
    "path", ["/home/officer/.local/share/desta/desta.sqlite3", "/tmp/desta.sqlite3",
             "/home/officer/dropboxes-are-fine-as-words/desta.sqlite3"]
)  # fmt: skip
def test_ordinary_local_folders_are_quiet(path):
    assert risky_location(path, mounts_text=MOUNTS) is None


def test_mount_paths_with_spaces_are_decoded():
    assert ("/home/officer/Office Share", "cifs") in read_mounts(MOUNTS)


def test_this_machine_is_read_without_error(tmp_path):
    # whatever /proc/mounts holds here, a pytest temp folder is not a sync folder
    assert risky_location(tmp_path / "x.sqlite3") is None or "network" in risky_location(
        tmp_path / "x.sqlite3"
    )

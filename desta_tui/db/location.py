"""Risky places for a SQLite file: network shares and cloud-sync folders, where files break."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path, PurePath

# Sync clients copy the file while SQLite writes it and rename over it: the classic corruption.
CLOUD_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud",
    "iclouddrive": "iCloud",
    "mobile documents": "iCloud",
    "box sync": "Box",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "pcloud drive": "pCloud",
    "sync.com": "Sync.com",
}

# Filesystems where SQLite's locks are not to be trusted.
NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs", "sshfs", "afs",
    "ncpfs", "9p", "davfs", "fuse.davfs2", "fuse.rclone", "webdav", "glusterfs", "ceph",
}  # fmt: skip

MOUNTS_FILE = Path("/proc/mounts")


def _decode_mount_path(text: str) -> str:
    # /proc/mounts writes a space in a path as \040, a tab as \011 and so on
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match[1], 8)), text)


def read_mounts(mounts_text: str | None = None) -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs from /proc/mounts; empty where there is none."""
    if mounts_text is None:
        try:
            mounts_text = MOUNTS_FILE.read_text(encoding="latin-1")
        except OSError:
            return []
    mounts = []
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_decode_mount_path(parts[1]), parts[2].lower()))
    return mounts


def mount_of(path: Path, mounts: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The mount (point, type) that holds path: the longest mount point it lies under."""
    best: tuple[str, str] | None = None
    text = str(path)
    for point, fstype in mounts:
        prefix = point.rstrip("/") + "/"
        if (text == point or text.startswith(prefix) or point == "/") and (
            best is None or len(point) > len(best[0])
        ):
            best = (point, fstype)
    return best


def risky_location(path: Path | str, *, mounts_text: str | None = None) -> str | None:
    """Why a database at path is at risk (a sentence), or None for an ordinary local folder."""
    raw = str(path)
    if raw.startswith(("//", "\\\\")):
        return (
            f"The database {raw} is on a network share. SQLite files on shared drives get "
            "corrupted when two computers use them: keep it on this computer's own disk."
        )
    resolved = Path(raw).expanduser()
    with contextlib.suppress(OSError):
        resolved = resolved.resolve()
    for part in PurePath(resolved).parts[:-1]:
        folded = part.casefold()
        for marker, service in CLOUD_FOLDERS.items():
            if (
                folded == marker
                or folded.startswith(marker + " ")
                or folded.startswith(marker + "-")
            ):
                return (
                    f"The database {resolved} is in a {service} folder. Sync programs copy the "
                    "file while Desta writes it, which can corrupt it: move it to a folder that "
                    "is not synced, and back it up with `desta backup` instead."
                )
    if sys.platform.startswith("win"):
        drive = os.path.splitdrive(str(resolved))[0]
        if drive.startswith("\\\\"):
            return (
                f"The database {resolved} is on a network share: "
                "keep it on this computer's own disk."
            )
        return None
    if str(resolved).startswith("/mnt/"):
        return (
            f"The database {resolved} is under /mnt/, usually a network or shared drive. SQLite "
            "files there can be corrupted: keep it on this computer's own disk."
        )
    mount = mount_of(resolved, read_mounts(mounts_text))
    if mount is not None and mount[1] in NETWORK_FILESYSTEMS:
        return (
            f"The database {resolved} is on a network drive ({mount[1]} at {mount[0]}). SQLite "
            "files on network drives get corrupted: keep it on this computer's own disk."
        )
    return None

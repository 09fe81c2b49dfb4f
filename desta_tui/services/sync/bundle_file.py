"""Bundle files: one zip a site writes and another reads, checked whole before any of it is used.

Inside: `manifest.json` (which hub, which site, the schema, what the site held, the counts and a
sha256 over everything), `changes.jsonl` (one change a line) and, in a full bundle, a
`snapshot.json` of every record. A file cut short while copying fails the zip's own checks; a
file altered after it was written fails the sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desta_tui.domain.errors import BundleError

FORMAT = "desta-bundle"
#: the bundle layout this Desta writes; a newer one is refused
FORMAT_VERSION = 1
SUFFIX = ".desta-bundle"
MANIFEST = "manifest.json"
CHANGES = "changes.jsonl"
SNAPSHOT = "snapshot.json"
#: the first schema that has sites and a change log (migration 0006)
FIRST_SYNC_SCHEMA = 6


@dataclass(frozen=True)
class Bundle:
    """A bundle read and checked: its manifest, its changes, and a full bundle's snapshot."""

    path: Path
    manifest: dict[str, Any]
    changes: list[dict[str, Any]]
    snapshot: dict[str, Any] | None

    @property
    def uuid(self) -> str:
        return self.manifest["bundle_uuid"]

    @property
    def is_full(self) -> bool:
        return bool(self.manifest.get("is_full"))


def _canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _digest(manifest: dict[str, Any], changes: bytes, snapshot: bytes) -> str:
    unsigned = {key: value for key, value in manifest.items() if key != "sha256"}
    digest = hashlib.sha256(_canonical(unsigned))
    for part in (changes, snapshot):
        digest.update(b"\0")
        digest.update(part)
    return digest.hexdigest()


def write_bundle(
    path: Path,
    manifest: dict[str, Any],
    changes: Iterable[dict[str, Any]],
    snapshot: dict[str, Any] | None = None,
) -> str:
    """Write the bundle at `path` (all at once: a half-written file never has the name); return
    its sha256."""
    changes_bytes = b"".join(_canonical(change) + b"\n" for change in changes)
    snapshot_bytes = _canonical(snapshot) if snapshot is not None else b""
    manifest = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION}
    manifest["sha256"] = _digest(manifest, changes_bytes, snapshot_bytes)
    path = Path(path).expanduser()
    if path.is_dir():
        raise BundleError(f"{path} is a folder: give a file name.")
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.writestr(CHANGES, changes_bytes)
            if snapshot is not None:
                archive.writestr(SNAPSHOT, snapshot_bytes)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BundleError(f"Cannot write {path}: {error.strerror}.") from None
    return manifest["sha256"]


def _damaged(path: Path) -> BundleError:
    return BundleError(
        f"{path.name} is damaged or incomplete (cut short while copying?): ask for it again. "
        "Nothing was changed."
    )


def read_bundle(path: Path | str, *, changes: bool = True) -> Bundle:
    """Open and check a bundle: BundleError, with a sentence, if it is missing, not a bundle,
    damaged, cut short or altered. `changes=False` checks it all but keeps only the manifest."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise BundleError(f"There is no bundle file {path}.")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names or CHANGES not in names:
                raise BundleError(f"{path.name} is not a Desta bundle. Nothing was changed.")
            manifest_bytes = archive.read(MANIFEST)
            changes_bytes = archive.read(CHANGES)
            snapshot_bytes = archive.read(SNAPSHOT) if SNAPSHOT in names else b""
    except BundleError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise _damaged(path) from None
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise _damaged(path) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{path.name} is not a Desta bundle. Nothing was changed.")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BundleError(
            f"{path.name} was written by a newer Desta (bundle format "
            f"{manifest.get('format_version')}): upgrade Desta here first. Nothing was changed."
        )
    if manifest.get("sha256") != _digest(manifest, changes_bytes, snapshot_bytes):
        raise BundleError(
            f"{path.name} has been altered since it was written (its checksum does not match): "
            "ask for it again. Nothing was changed."
        )
    try:
        found = [json.loads(line) for line in changes_bytes.splitlines() if line] if changes else []
        snapshot = json.loads(snapshot_bytes) if changes and snapshot_bytes else None
    except ValueError:
        raise _damaged(path) from None
    return Bundle(path, manifest, found, snapshot)

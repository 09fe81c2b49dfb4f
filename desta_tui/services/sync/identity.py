"""This database's hub and site: names, the ticket prefix, and the other sites it knows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from desta_tui.db.database import db
from desta_tui.db.models import SyncChange, SyncConflict, SyncPeer, SyncSite, random_uuid
from desta_tui.domain.errors import ValidationError
from desta_tui.domain.tickets import format_reference

#: the longest site name kept
MAX_SITE_NAME = 80


@dataclass(frozen=True)
class PeerInfo:
    """Another site of the hub, as this database knows it."""

    site_uuid: str
    site_name: str
    last_bundle_at: datetime | None
    is_full_bundle: bool


@dataclass(frozen=True)
class SiteInfo:
    """Where this database stands among the hub's sites."""

    hub_uuid: str
    hub_name: str
    site_uuid: str
    site_name: str
    ticket_prefix: str
    joined_from: str
    joined_at: datetime | None
    changes_made_here: int
    peers: tuple[PeerInfo, ...]
    open_conflicts: int

    @property
    def label(self) -> str:
        return site_label(self.site_uuid, self.site_name)


def site_label(site_uuid: str, name: str = "") -> str:
    """How a site is named to people: its name, else the start of its identity."""
    return name or f"site {site_uuid[:8]}"


def this_site() -> SyncSite:
    """This database's identity row (made by migration 0006; made here if it went missing)."""
    site = SyncSite.select().order_by(SyncSite.id).first()
    if site is None:
        with db.atomic():
            site = SyncSite.create(hub_uuid=random_uuid(), site_uuid=random_uuid(), held="{}")
    return site


def held_of(site: SyncSite) -> dict[str, int]:
    """origin site -> the last of its changes held here (this site's own included)."""
    held = {key: int(value) for key, value in json.loads(site.held or "{}").items()}
    if site.last_seq:
        held[site.site_uuid] = int(site.last_seq)
    return held


def site_info() -> SiteInfo:
    site = this_site()
    peers = tuple(
        PeerInfo(
            peer.site_uuid,
            peer.site_name,
            peer.last_bundle_at,
            peer.site_uuid.startswith(FULL_BUNDLE_PREFIX),
        )
        for peer in SyncPeer.select().where(SyncPeer.is_peer).order_by(SyncPeer.site_name)
    )
    made_here = SyncChange.select().where(SyncChange.origin_site == site.site_uuid).count()
    open_conflicts = SyncConflict.select().where(SyncConflict.resolved_at.is_null()).count()
    return SiteInfo(
        hub_uuid=site.hub_uuid,
        hub_name=site.hub_name or _hub_name_setting(),
        site_uuid=site.site_uuid,
        site_name=site.site_name,
        ticket_prefix=site.ticket_prefix,
        joined_from=site.joined_from,
        joined_at=site.joined_at,
        changes_made_here=made_here,
        peers=peers,
        open_conflicts=open_conflicts,
    )


def _hub_name_setting() -> str:
    from desta_tui.services.settings import get_setting

    return str(get_setting("hub_name", "") or "")


#: a full bundle written here stands in the list of peers under this prefix and its uuid
FULL_BUNDLE_PREFIX = "bundle:"


def set_site_name(name: str) -> SiteInfo:
    """Name this site ("Church hall laptop"): bundles and conflicts say where changes came from."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("site_name", "give the site a name, like Church hall laptop")
    if len(name) > MAX_SITE_NAME:
        raise ValidationError("site_name", f"a site name is at most {MAX_SITE_NAME} characters")
    with db.atomic():
        site = this_site()
        SyncSite.update(site_name=name).where(SyncSite.id == site.id).execute()
    return site_info()


def set_ticket_prefix(prefix: str) -> SiteInfo:
    """The letters this site's tickets carry (T-LDN-0001), so no two sites number alike."""
    prefix = (prefix or "").strip().upper()
    if prefix:
        format_reference(1, prefix)  # the tickets' own rule for a prefix: ValidationError if not
    with db.atomic():
        site = this_site()
        SyncSite.update(ticket_prefix=prefix).where(SyncSite.id == site.id).execute()
    return site_info()


def site_ticket_prefix() -> str | None:
    """The prefix new tickets made here carry, or None at the hub (T-0001)."""
    row = SyncSite.select(SyncSite.ticket_prefix).order_by(SyncSite.id).first()
    return (row.ticket_prefix or None) if row is not None else None


def default_ticket_prefix(site_uuid: str) -> str:
    """A joining site's prefix until it is given one: S and the start of its identity."""
    return "S" + "".join(char for char in site_uuid.upper() if char.isalnum())[:4]


def site_names() -> dict[str, str]:
    """Every site this database has heard of, by uuid: its name (this one's too)."""
    names = {peer.site_uuid: peer.site_name for peer in SyncPeer.select()}
    site = this_site()
    names[site.site_uuid] = site.site_name
    return names


def name_of_site(site_uuid: str, names: dict[str, str] | None = None) -> str:
    names = site_names() if names is None else names
    return site_label(site_uuid, names.get(site_uuid, ""))


def remember_site(site_uuid: str, name: str, ticket_prefix: str = "") -> None:
    """Keep the name of a site heard of in a bundle (a peer's knowledge is kept elsewhere)."""
    if not site_uuid or site_uuid == this_site().site_uuid:
        return
    peer = SyncPeer.get_or_none(SyncPeer.site_uuid == site_uuid)
    if peer is None:
        SyncPeer.create(site_uuid=site_uuid, site_name=name or "", ticket_prefix=ticket_prefix,
                        known="{}", is_peer=False)  # fmt: skip
    elif name and (peer.site_name != name or peer.ticket_prefix != ticket_prefix):
        SyncPeer.update(site_name=name, ticket_prefix=ticket_prefix or peer.ticket_prefix).where(
            SyncPeer.id == peer.id
        ).execute()


def continue_as_new_site() -> bool:
    """After a backup is put back: this database may be behind what the other sites already
    hold from it, so it carries on under a new site identity (never giving a change number
    twice), holding its own earlier changes as another site's. True if it did."""
    with db.atomic():
        site = this_site()
        if not site.last_seq:
            return False
        old, new = site.site_uuid, random_uuid()
        held = held_of(site)
        prefix = site.ticket_prefix
        if prefix and prefix == default_ticket_prefix(old):
            prefix = default_ticket_prefix(new)
        SyncSite.update(
            site_uuid=new, last_seq=0, held=json.dumps(held, sort_keys=True), ticket_prefix=prefix
        ).where(SyncSite.id == site.id).execute()
        remember_site(old, f"{site_label(old, site.site_name)} (before the restore)")
    return True

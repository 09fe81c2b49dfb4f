"""What the board pack prints: its meeting's agenda, decisions due, the action log, risks,
contracts and their money, the pipeline, performance, members by borough."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from peewee import JOIN, fn

from desta_tui.db.models import (
    Borough,
    Consortium,
    Contract,
    ContractPartner,
    Membership,
    Organisation,
)
from desta_tui.domain.choices import CONTRACT_STAGES, MEMBERSHIP_STATUSES
from desta_tui.domain.periods import Period
from desta_tui.services.contracts import ContractDetail
from desta_tui.services.lookups import ConsortiumChoice
from desta_tui.services.meetings import BoardPackExtras, board_pack_extras
from desta_tui.services.performance import ContractPerformance, contracts_performance
from desta_tui.services.reporting.consortium import (
    LIVE_MEMBERSHIP,
    PackCover,
    consortium_contracts,
    find_consortium,
    pack_cover,
    pack_period,
)
from desta_tui.services.reporting.pack_meeting import PackMeeting, pack_meeting
from desta_tui.services.reporting.pipeline import PIPELINE_STAGES, PipelineLine, pipeline_lines
from desta_tui.services.reporting.stamp import PrintStamp, print_stamp

NO_BOROUGH = "No borough"


@dataclass(frozen=True)
class MemberLine:
    name: str
    status: str
    joined_on: date | None
    has_board_seat: bool
    is_smg_member: bool


@dataclass(frozen=True)
class BoroughMembers:
    borough: str
    members: tuple[MemberLine, ...]


@dataclass(frozen=True)
class ContractValueLine:
    contract: ContractDetail
    partner_count: int


@dataclass(frozen=True)
class BoardPack:
    """What the board sees: members by borough, contracts and values, pipeline, performance."""

    cover: PackCover
    meeting: PackMeeting
    #: decisions due and taken, the action log, the risk register
    extras: BoardPackExtras
    members_by_borough: tuple[BoroughMembers, ...]
    member_count: int
    board_seats: int
    contracts: tuple[ContractValueLine, ...]
    pipeline: tuple[PipelineLine, ...]
    performance: tuple[ContractPerformance, ...]
    """Figures to the pack's month, one per contract in delivery."""
    today: date
    stamp: PrintStamp

    @property
    def period(self) -> Period:
        return self.cover.period


def members_by_borough(consortium: ConsortiumChoice) -> list[BoroughMembers]:
    """Live members grouped by their home borough (none: "No borough"), names in order."""
    query = (
        Membership.select(Membership, Organisation, Borough)
        .join(Consortium)
        .switch(Membership)
        .join(Organisation)
        .join(Borough, join_type=JOIN.LEFT_OUTER, on=Organisation.borough == Borough.id)
        .where(
            (Consortium.uuid == consortium.uuid)
            & Membership.archived_at.is_null()
            & Organisation.archived_at.is_null()
            & Membership.status.in_(LIVE_MEMBERSHIP)
        )
    )
    groups: dict[str, list[MemberLine]] = defaultdict(list)
    for m in query:
        org = m.organisation
        borough = org.borough.name if org.borough_id else NO_BOROUGH
        groups[borough].append(
            MemberLine(
                name=org.name,
                status=MEMBERSHIP_STATUSES.label(m.status),
                joined_on=m.joined_on,
                has_board_seat=m.has_board_seat,
                is_smg_member=m.is_smg_member,
            )
        )
    return [
        BoroughMembers(name, tuple(sorted(groups[name], key=lambda m: m.name.casefold())))
        for name in sorted(groups, key=lambda b: (b == NO_BOROUGH, b.casefold()))
    ]


def _partner_counts(contracts: list[ContractDetail]) -> dict[str, int]:
    """contract uuid -> how many live partners it has (one query for all of them)."""
    if not contracts:
        return {}
    return dict(
        ContractPartner.select(Contract.uuid, fn.COUNT(ContractPartner.id))
        .join(Contract)
        .where(
            Contract.uuid.in_([c.uuid for c in contracts]) & ContractPartner.archived_at.is_null()
        )
        .group_by(Contract.uuid)
        .tuples()
    )


def board_pack(consortium_name: str | None, period_text: str | Period) -> BoardPack:
    """Gather the board pack for a consortium and month."""
    consortium = find_consortium(consortium_name)
    period = period_text if isinstance(period_text, Period) else pack_period(period_text)
    stamp = print_stamp()
    # the contracts won or being won; those not won are history
    contracts = consortium_contracts(consortium, (*PIPELINE_STAGES, "in_delivery", "ended"))
    partner_counts = _partner_counts(contracts)
    stage_order = {code: n for n, code in enumerate(CONTRACT_STAGES.codes)}
    groups = members_by_borough(consortium)
    members = [m for g in groups for m in g.members]
    cover = pack_cover(consortium, period)
    return BoardPack(
        cover=cover,
        meeting=pack_meeting(consortium, period, "board", cover.meeting_on),
        extras=board_pack_extras(consortium.uuid, period, as_of=stamp.printed_on),
        members_by_borough=tuple(groups),
        member_count=len(members),
        board_seats=sum(1 for m in members if m.has_board_seat),
        contracts=tuple(
            ContractValueLine(contract=c, partner_count=partner_counts.get(c.uuid, 0))
            for c in sorted(contracts, key=lambda c: (-stage_order[c.stage], c.title.casefold()))
        ),
        pipeline=tuple(pipeline_lines(contracts, stamp.printed_on)),
        performance=tuple(
            contracts_performance([c.uuid for c in contracts if c.stage == "in_delivery"], period)
        ),
        today=stamp.printed_on,
        stamp=stamp,
    )

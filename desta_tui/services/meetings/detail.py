"""One meeting's read model, `MeetingDetail`: attendance, quorum, the agenda with declarations,
decisions and actions, the actions carried forward."""

from __future__ import annotations

from collections.abc import Iterable

from desta_tui.db.models import (
    AgendaItem,
    Contract,
    ContractPartner,
    Decision,
    Meeting,
    MeetingAttendance,
    Organisation,
    SupportTicket,
)
from desta_tui.domain.choices import PARTNER_ROLES
from desta_tui.domain.meetings import (
    Stake,
    meeting_title,
    quorum,
    quorum_for_item,
    suggested_declarations,
)
from desta_tui.services.context import today
from desta_tui.services.meetings.common import (
    chair_has_casting_vote,
    find,
    next_meeting,
    previous_meeting,
    rule_for,
    voting_members,
)
from desta_tui.services.meetings.lines import (
    action_lines,
    action_order,
    actions_query,
    attendance_lines,
    carried_actions,
    decision_lines,
    decisions_query,
    declaration_lines,
    meeting_row,
)
from desta_tui.services.meetings.views import (
    AgendaItemView,
    LinkRef,
    MeetingDetail,
    MeetingRef,
    VotingMember,
)


def meeting_ref(meeting: Meeting | None) -> MeetingRef | None:
    if meeting is None:
        return None
    title = meeting_title(meeting.body, meeting.meeting_on, meeting.consortium.short_name)
    return MeetingRef(meeting.uuid, title, meeting.meeting_on, meeting.status)


def _links(items: list[AgendaItem]) -> dict[tuple[str, str], LinkRef]:
    """The records the items are about, named: a contract's title, a ticket's reference."""
    wanted: dict[str, set[str]] = {}
    for item in items:
        if item.link_table and item.link_uuid:
            wanted.setdefault(item.link_table, set()).add(item.link_uuid)
    found: dict[tuple[str, str], LinkRef] = {}

    def add(table: str, uuid: str, label: str) -> None:
        found[(table, uuid)] = LinkRef(table, uuid, label)

    if uuids := wanted.get("contract"):
        for contract in Contract.select().where(Contract.uuid.in_(list(uuids))):
            add("contract", contract.uuid, contract.title)
    if uuids := wanted.get("organisation"):
        for org in Organisation.select().where(Organisation.uuid.in_(list(uuids))):
            add("organisation", org.uuid, org.name)
    if uuids := wanted.get("support_ticket"):
        for ticket in SupportTicket.select().where(SupportTicket.uuid.in_(list(uuids))):
            add("support_ticket", ticket.uuid, f"{ticket.reference}: {ticket.subject}")
    if uuids := wanted.get("meeting"):
        for meeting in Meeting.select().where(Meeting.uuid.in_(list(uuids))):
            ref = meeting_ref(meeting)
            add("meeting", meeting.uuid, ref.title if ref else "")
    return found


def member_stakes(items: Iterable[AgendaItem], member_ids: set[int]) -> list[Stake]:
    """The members' own parts in the records the items are about: partners on a contract, the
    provider and support provider of a ticket, the organisation itself."""
    wanted: dict[str, set[str]] = {}
    for item in items:
        if item.link_table and item.link_uuid:
            wanted.setdefault(item.link_table, set()).add(item.link_uuid)
    if not member_ids or not wanted:
        return []
    stakes = []
    if uuids := wanted.get("contract"):
        query = (
            ContractPartner.select(ContractPartner, Contract, Organisation)
            .join(Contract)
            .switch(ContractPartner)
            .join(Organisation)
            .where(
                Contract.uuid.in_(list(uuids))
                & ContractPartner.organisation.in_(list(member_ids))
                & ContractPartner.archived_at.is_null()
            )
        )
        for partner in query:
            role = PARTNER_ROLES.label(partner.role).lower()
            org, contract = partner.organisation, partner.contract
            words = f"{role} on {contract.title}"
            stakes.append(Stake(org.uuid, org.name, "contract", contract.uuid, words))
    if uuids := wanted.get("support_ticket"):
        for ticket in SupportTicket.select().where(SupportTicket.uuid.in_(list(uuids))):
            for org_id, words in ((ticket.provider_id, "provider"),
                                  (ticket.support_provider_id, "support provider")):  # fmt: skip
                if org_id in member_ids:
                    org = Organisation.get_by_id(org_id)
                    stakes.append(Stake(org.uuid, org.name, "support_ticket", ticket.uuid,
                                        f"{words} on {ticket.reference}"))  # fmt: skip
    if uuids := wanted.get("organisation"):
        query = Organisation.select().where(
            Organisation.uuid.in_(list(uuids)) & Organisation.id.in_(list(member_ids))
        )
        for org in query:
            stakes.append(
                Stake(org.uuid, org.name, "organisation", org.uuid, "the item is about it")
            )
    return stakes


def get_meeting(meeting_uuid: str) -> MeetingDetail:
    """The meeting and everything recorded of it (archived meetings too, to look at)."""
    meeting = find(Meeting, meeting_uuid, live=False)
    consortium = meeting.consortium
    row = meeting_row(meeting, consortium)
    on = today()
    voters = voting_members(consortium.id, meeting.body)
    attendance = attendance_lines(meeting, voters)
    present = {line.organisation_uuid for line in attendance
               if line.kind == "present" and line.is_voting_member}  # fmt: skip
    apologies = {line.organisation_uuid for line in attendance
                 if line.kind == "apologies" and line.is_voting_member}  # fmt: skip
    rule = rule_for(meeting.body)
    whole = quorum(len(present), len(voters), rule)

    items = list(
        AgendaItem.select()
        .where((AgendaItem.meeting == meeting) & AgendaItem.archived_at.is_null())
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    declared = declaration_lines(item.id for item in items)
    decisions = sorted(
        decision_lines(decisions_query().where(Meeting.id == meeting.id).order_by(Decision.id)),
        key=lambda line: line.item_number or len(items) + 1,  # stable: in the order put
    )
    raised = sorted(
        action_lines(actions_query().where(Meeting.id == meeting.id), on, meeting.meeting_on),
        key=action_order,
    )
    previous, following = previous_meeting(meeting), next_meeting(meeting)
    carried = carried_actions(meeting, previous.meeting_on if previous else None, on)
    attending = MeetingAttendance.select(MeetingAttendance.organisation).where(
        (MeetingAttendance.meeting == meeting) & MeetingAttendance.archived_at.is_null()
    )
    members = set(voters) | {row.organisation_id for row in attending if row.organisation_id}
    stakes = member_stakes(items, members)
    links = _links(items)

    agenda = []
    for number, item in enumerate(items, start=1):
        item_declarations = tuple(declared.get(item.id, ()))
        declaring = {line.organisation_uuid for line in item_declarations}
        withdrawn = {line.organisation_uuid for line in item_declarations if line.is_withdrawn}
        carried_from = ""
        if item.carried_from_id:
            carried_from = meeting_ref(item.carried_from.meeting).title
        agenda.append(
            AgendaItemView(
                uuid=item.uuid,
                number=number,
                kind=item.kind,
                title=item.title,
                description=item.description,
                presenter=item.presenter,
                link=links.get((item.link_table, item.link_uuid)),
                carried_from=carried_from,
                is_deferred=item.is_deferred,
                is_standing=item.kind != "item",
                minutes=item.minutes,
                declarations=item_declarations,
                suggested_declarations=tuple(
                    suggested_declarations(item.link_table, item.link_uuid, stakes, declaring)
                ),
                decisions=tuple(d for d in decisions if d.agenda_item_uuid == item.uuid),
                actions=tuple(a for a in raised if a.agenda_item_uuid == item.uuid),
                quorum=quorum_for_item(present, withdrawn, len(voters), rule),
            )
        )
    return MeetingDetail(
        meeting=row,
        attendance=tuple(attendance),
        voting_members=tuple(
            VotingMember(org.uuid, org.name, org.uuid in present, org.uuid in apologies)
            for org in voters.values()
        ),
        quorum=whole,
        quorum_rule_text=rule.text,
        chair_has_casting_vote=chair_has_casting_vote(),
        agenda=tuple(agenda),
        declarations=tuple(line for item in agenda for line in item.declarations),
        decisions=tuple(decisions),
        actions_raised=tuple(raised),
        actions_carried=tuple(carried),
        minutes=meeting.minutes,
        notes=meeting.notes,
        previous=meeting_ref(previous),
        next=meeting_ref(following),
        minutes_approval_meeting=meeting_ref(meeting.minutes_approval_meeting)
        if meeting.minutes_approval_meeting_id
        else None,
    )

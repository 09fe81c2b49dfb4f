"""The demo's meetings: the Desta SMG of September, October and November 2012, two board
meetings, the register of interests and the risk register, as at 05/11/2012.

September's minutes were approved at October's meeting; October's meeting is held, its minutes
drafted and put to November's, whose papers went out on the demo's today. At October's SMG the
Westway Wellbeing Project declared an interest in its own support ticket and withdrew; the rest
carried its improvement plan. Actions still open come forward to November.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desta_tui.db.models import (
    AgendaItem,
    Consortium,
    Contact,
    Contract,
    Decision,
    Declaration,
    Meeting,
    MeetingAction,
    MeetingAttendance,
    Organisation,
    RegisteredInterest,
    Risk,
    SupportTicket,
    Vote,
)
from desta_tui.domain.meetings import (
    decision_outcome,
    default_meeting_period,
    quorum,
    quorum_rule_for,
    standing_agenda,
)
from desta_tui.services.meetings.common import voting_members

RAIN = "Rain Trust"
WESTWAY = "Westway Wellbeing Project"
WHITE_CITY = "White City Health Circle"
FULHAM = "Fulham Carers' Network"
SOMALI = "Shepherd's Bush Somali Welfare Group"
GOLBORNE = "Golborne Community Health Forum"
ETHIOPIAN = "Ethiopian Community Wellbeing Association (የኢትዮጵያ ማህበረሰብ)"
CHURCH_STREET = "Church Street Neighbourhood Trust"
POLISH = "Polish Social & Cultural Support (Łączy Nas)"
HUB_OFFICER = "Shani Lee (hub contracts officer)"


class DemoMeetings:
    """Writes the meeting records with the demo builder's `record` (its timestamps, no audit)."""

    def __init__(self, record: Callable[..., Any]) -> None:
        self.record = record
        self.desta = Consortium.get(Consortium.short_name == "Desta")

    def org(self, name: str) -> Organisation:
        return Organisation.get(Organisation.name == name)

    def person(self, org_name: str) -> Contact:
        """The organisation's first contact: the one who comes to meetings."""
        return (
            Contact.select()
            .where(Contact.organisation == self.org(org_name))
            .order_by(Contact.is_primary.desc(), Contact.id)
            .first()
        )

    def meeting(
        self, body: str, on: date, status: str, items: list[dict], **values
    ) -> tuple[Meeting, dict[str, AgendaItem]]:
        """A meeting with its body's standing agenda (`items` go before any other business),
        and its items by kind or key."""
        meeting = self.record(Meeting, consortium=self.desta, body=body, meeting_on=on,
                              start_time="10:00", status=status,
                              period=default_meeting_period(on).key, **values)  # fmt: skip
        standing = [{"kind": item.kind, "title": item.title} for item in standing_agenda(body)]
        agenda = standing[:-1] + items + standing[-1:]  # any other business comes last
        made = {}
        for position, item in enumerate(agenda, start=1):
            item = dict(item)
            key = item.pop("key", item["kind"])
            made[key] = self.record(AgendaItem, meeting=meeting, position=position, **item)
        return meeting, made

    def attend(self, meeting: Meeting, present: list[str], apologies: list[str] = (),
               chair: str = "", observers: list[str] = ()) -> None:  # fmt: skip
        for kind, names in (("present", present), ("apologies", apologies)):
            for name in names:
                person = self.person(name)
                self.record(
                    MeetingAttendance,
                    meeting=meeting,
                    contact=person,
                    organisation=person.organisation_id,
                    kind=kind,
                    role="chair" if name == chair and kind == "present" else "member",
                )
        for name in observers:
            self.record(MeetingAttendance, meeting=meeting, name=name, kind="observer",
                        role="minute_taker" if name == HUB_OFFICER else "member")  # fmt: skip

    def decide(self, meeting: Meeting, item: AgendaItem, title: str, votes: dict[str, str],
               proposer: str = "", seconder: str = "", **values) -> Decision:  # fmt: skip
        """A motion, with its outcome and quorum worked out by the rules when it was voted."""
        if votes:
            members = len(voting_members(self.desta.id, meeting.body))
            staying = sum(1 for choice in votes.values() if choice != "withdrawn")
            standing = quorum(staying, members, quorum_rule_for(meeting.body, None),
                              withdrawn=len(votes) - staying)  # fmt: skip
            values.update(outcome=decision_outcome(votes.values()).outcome,
                          is_quorate=standing.is_quorate, voting_member_count=members,
                          present_count=staying, quorum_needed=standing.needed,
                          decided_on=meeting.meeting_on)  # fmt: skip
        decision = self.record(
            Decision, meeting=meeting, agenda_item=item, title=title,
            proposer=self.person(proposer) if proposer else None,
            seconder=self.person(seconder) if seconder else None, **values,
        )  # fmt: skip
        for name, choice in votes.items():
            person = self.person(name)
            self.record(Vote, decision=decision, organisation=person.organisation_id,
                        contact=person, choice=choice)  # fmt: skip
        return decision

    def action(self, meeting: Meeting, item: AgendaItem | None, description: str, owner: str,
               due_on: date, done_on: date | None = None, progress: str = "") -> None:  # fmt: skip
        self.record(MeetingAction, meeting=meeting, agenda_item=item, description=description,
                    owner=owner, due_on=due_on, is_done=done_on is not None, done_on=done_on,
                    progress=progress)  # fmt: skip

    def link_minutes(self, item: AgendaItem, meeting: Meeting) -> None:
        """The minutes item names the meeting whose minutes it puts for approval."""
        item.link_table, item.link_uuid = "meeting", meeting.uuid
        item.save()

    def build(self) -> None:
        self.smg_meetings()
        self.board_meetings()
        self.register_of_interests()
        self.risks()

    def smg_meetings(self) -> None:
        ticket = SupportTicket.get(SupportTicket.reference == "T-0001")
        eps = Contract.get(Contract.title == "Expert Patient Service")
        september, _ = self.meeting(
            "smg", date(2012, 9, 11), "minutes_approved", [], place="CaVSA, Hammersmith",
            papers_sent_on=date(2012, 9, 4), minutes_drafted_on=date(2012, 9, 14),
            minutes="Westway's enrolments were discussed; the Rain Trust will find a tutor.",
        )  # fmt: skip
        self.attend(september, [RAIN, WESTWAY, WHITE_CITY, FULHAM, SOMALI, GOLBORNE, ETHIOPIAN],
                    [CHURCH_STREET, POLISH], chair=RAIN, observers=[HUB_OFFICER])  # fmt: skip
        self.action(september, None,
                    "Recruit and train a replacement tutor for Westway", "Rain Trust",
                    date(2012, 10, 31), done_on=date(2012, 10, 29),
                    progress="Tutor trained; first course starts 5 November.")  # fmt: skip

        october, items = self.meeting(
            "smg", date(2012, 10, 9), "held",
            [{"kind": "item", "key": "westway", "title": "Westway Wellbeing Project: recovery of "
              "enrolments", "link_table": "support_ticket", "link_uuid": ticket.uuid,
              "presenter": "Rain Trust", "minutes": "The improvement plan was agreed."},
             {"kind": "item", "key": "expenses", "title": "Volunteer expenses for course tutors",
              "is_deferred": True, "minutes": "Deferred: the policy draft was not ready."}],
            place="CaVSA, Hammersmith", papers_sent_on=date(2012, 10, 2),
            minutes_drafted_on=date(2012, 10, 16),
            minutes="Seven members present; quorate. Westway declared an interest in the item "
            "on its own ticket and withdrew. The improvement plan for Westway was carried.",
        )  # fmt: skip
        Meeting.update(minutes_approved_on=october.meeting_on, minutes_approval_meeting=october
                       ).where(Meeting.id == september.id).execute()  # fmt: skip
        self.link_minutes(items["minutes"], september)
        self.attend(october, [RAIN, WESTWAY, WHITE_CITY, FULHAM, SOMALI, GOLBORNE, ETHIOPIAN],
                    [CHURCH_STREET, POLISH], chair=RAIN, observers=[HUB_OFFICER])  # fmt: skip
        westway = self.person(WESTWAY)
        self.record(Declaration, agenda_item=items["westway"], organisation=westway
                    .organisation_id, contact=westway, is_withdrawn=True,
                    description="The ticket is about Westway's own delivery.")  # fmt: skip
        self.decide(
            october, items["westway"],
            "Approve Westway's improvement plan: two taster sessions and weekly enrolment "
            "figures to the Rain Trust",
            {RAIN: "for", WHITE_CITY: "for", FULHAM: "for", SOMALI: "for", GOLBORNE: "abstain",
             ETHIOPIAN: "for", WESTWAY: "withdrawn"},
            proposer=WHITE_CITY, seconder=FULHAM,
        )  # fmt: skip
        self.action(
            october,
            items["westway"],
            "Run two taster sessions at the Westway centre",
            "Westway Wellbeing Project",
            date(2012, 11, 16),
            progress="First session booked for 8 November.",
        )
        self.action(october, items["performance"], "Send the overdue October return",
                    "Church Street Neighbourhood Trust", date(2012, 10, 19))  # fmt: skip
        self.action(october, items["compliance"],
                    "Remind members whose papers expire by January", "Desta hub: contracts "
                    "officer", date(2012, 10, 31), done_on=date(2012, 10, 24))  # fmt: skip

        october_items = items
        november, items = self.meeting(
            "smg", date(2012, 11, 13), "papers_sent",
            [{"kind": "item", "key": "expenses", "title": "Volunteer expenses for course tutors",
              "carried_from": october_items["expenses"]},
             {"kind": "item", "key": "targets", "title": "Expert Patient Service: year 2 target "
              "profile", "link_table": "contract", "link_uuid": eps.uuid,
              "presenter": "Desta hub: contracts officer"}],
            place="CaVSA, Hammersmith", papers_sent_on=date(2012, 11, 5),
        )  # fmt: skip
        self.link_minutes(items["minutes"], october)
        self.attend(november, [], [GOLBORNE])
        self.decide(november, items["targets"],
                    "Agree the year 2 target profile for the Expert Patient Service", {},
                    due_on=date(2012, 11, 13))  # fmt: skip

    def board_meetings(self) -> None:
        asc = Contract.get(Contract.title == "Adult Social Care Prevention Services")
        october, items = self.meeting(
            "board", date(2012, 10, 23), "held",
            [{"kind": "item", "key": "tender", "title": "Tender: Adult Social Care Prevention "
              "Services", "link_table": "contract", "link_uuid": asc.uuid,
              "minutes": "The board agreed to bid, with the Rain Trust as support provider."}],
            place="Desta office", papers_sent_on=date(2012, 10, 16),
            minutes_drafted_on=date(2012, 10, 26),
            minutes="Five of seven directors present; quorate. The tender was approved.",
        )  # fmt: skip
        board = [RAIN, WHITE_CITY, "Brent Carers Alliance", "Ealing Stroke Support Group",
                 "Harrow Deaf Access"]  # fmt: skip
        self.attend(october, board, ["Hillingdon Diabetes Peer Group",
                                     "Queen's Park Older Women's Network"],
                    chair=WHITE_CITY, observers=[HUB_OFFICER])  # fmt: skip
        self.decide(october, items["tender"],
                    "Submit a tender for Adult Social Care Prevention Services (£280,000)",
                    {RAIN: "for", WHITE_CITY: "for", "Brent Carers Alliance": "for",
                     "Ealing Stroke Support Group": "against", "Harrow Deaf Access": "abstain"},
                    proposer=RAIN, seconder="Harrow Deaf Access")  # fmt: skip
        self.action(october, items["tender"], "Prepare the tender budget and the "
                    "partners' allocations", "Desta hub: director", date(2012, 11, 23))  # fmt: skip
        december, december_items = self.meeting("board", date(2012, 12, 18), "planned", [],
                                place="Desta office")  # fmt: skip
        self.decide(december, december_items["decisions"],
                    "Approve the consortium's budget for 2013/14", {},
                    due_on=date(2012, 12, 18))  # fmt: skip

    def register_of_interests(self) -> None:
        entries = [
            (RAIN, "Chair of the Rain Trust is a trustee of Golborne Community Health Forum",
             date(2011, 4, 1), None),
            (WHITE_CITY, "Chief executive sits on the NHS Inner North West London patient panel",
             date(2012, 1, 9), None),
            (FULHAM, "Finance officer was a paid tutor for the Rain Trust",
             date(2011, 10, 1), date(2012, 3, 31)),
        ]  # fmt: skip
        for name, description, starts, ends in entries:
            person = self.person(name)
            self.record(RegisteredInterest, consortium=self.desta, organisation=person
                        .organisation_id, contact=person, description=description,
                        starts_on=starts, ends_on=ends)  # fmt: skip

    def risks(self) -> None:
        entries = [
            ("Westway's enrolments do not recover before year 2", 4, 3, "SMG chair",
             date(2012, 11, 13), "open", "Improvement plan; Rain Trust tutor in place."),
            ("A delivery partner works without valid insurance", 3, 4,
             "Desta hub: contracts officer", date(2012, 11, 30), "open",
             "Golborne's insurance expired: payments held until a certificate is seen."),
            ("National providers undercut the consortium on price", 3, 3, "Board",
             date(2013, 1, 31), "monitoring",
             "Cost model reviewed after Community Health Champions."),
            ("Late monitoring returns delay the commissioner's payment", 2, 2,
             "Desta hub: contracts officer", date(2012, 12, 31), "open",
             "Returns template simplified; reminders a week before the deadline."),
        ]  # fmt: skip
        for title, likelihood, impact, owner, review, status, mitigation in entries:
            self.record(Risk, consortium=self.desta, title=title, likelihood=likelihood,
                        impact=impact, owner=owner, review_on=review, status=status,
                        mitigation=mitigation)  # fmt: skip


def build_demo_meetings(record: Callable[..., Any]) -> None:
    DemoMeetings(record).build()

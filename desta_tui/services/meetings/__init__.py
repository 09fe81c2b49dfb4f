"""Meetings as records: the SMG, the board and the AGM, with attendance, quorum, agenda,
declarations of interest, decisions on an equal vote, actions, minutes and the risk register.

`meetings` (create, edit, status, list), `attendance` (and the quorum), `agenda` (standing
items, items carried forward, order, item minutes), `declarations` (per item, with suggestions
from members' own contracts and tickets), `interests` (the standing register), `decisions`
(motions and votes), `actions`, `minutes` (draft, approve at the next meeting, lock, correct),
`risks`; `detail` builds the read model `MeetingDetail`, `pack_data` what the packs print.
The rules live in `desta_tui.domain.meetings`. Import from the package, not its modules:
each is imported when one of its names is first used (desta_tui/lazy.py).
"""

from __future__ import annotations

from desta_tui.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        ".actions": (
            "action_log",
            "add_meeting_action",
            "archive_meeting_action",
            "note_action_progress",
            "restore_meeting_action",
            "set_meeting_action_done",
            "update_meeting_action",
        ),
        ".agenda": (
            "add_agenda_item",
            "carry_forward_items",
            "defer_agenda_item",
            "move_agenda_item",
            "remove_agenda_item",
            "restore_agenda_item",
            "save_item_minutes",
            "update_agenda_item",
        ),
        ".attendance": (
            "attendance_kind_choices",
            "attendance_role_choices",
            "attendee_choices",
            "meeting_quorum",
            "record_attendance",
            "remove_attendance",
            "update_attendance",
        ),
        ".coming": ("next_meeting",),
        ".decisions": (
            "archive_decision",
            "decisions_due",
            "decisions_taken",
            "propose_decision",
            "record_votes",
            "reopen_decision",
            "restore_decision",
            "update_decision",
            "vote_choices",
        ),
        ".declarations": (
            "declare_interest",
            "remove_declaration",
            "suggested_declarations_for",
            "update_declaration",
        ),
        ".detail": ("get_meeting",),
        ".interests": (
            "archive_registered_interest",
            "end_registered_interest",
            "get_registered_interest",
            "list_registered_interests",
            "register_interest",
            "restore_registered_interest",
            "update_registered_interest",
        ),
        ".meeting_row": ("MeetingRow",),
        ".meetings": (
            "archive_meeting",
            "change_meeting_status",
            "create_meeting",
            "find_meeting_for_period",
            "list_meetings",
            "mark_meeting_held",
            "meeting_body_choices",
            "meeting_status_choices",
            "restore_meeting",
            "send_papers",
            "undo_meeting_archive",
            "update_meeting",
        ),
        ".minutes": (
            "approve_minutes",
            "correct_minutes",
            "save_minutes",
        ),
        ".pack_data": (
            "board_pack_extras",
            "meeting_pack_data",
        ),
        ".risks": (
            "add_risk",
            "archive_risk",
            "get_risk",
            "list_risks",
            "restore_risk",
            "risk_status_choices",
            "undo_risk_archive",
            "update_risk",
        ),
        ".views": (
            "ActionLine",
            "AgendaItemView",
            "AttendanceLine",
            "BoardPackExtras",
            "DecisionLine",
            "DeclarationLine",
            "ItemMinutes",
            "LastMeetingMinutes",
            "LinkRef",
            "MeetingDetail",
            "MeetingPackData",
            "MeetingRef",
            "RegisteredInterestLine",
            "RiskLine",
            "VoteLine",
            "VotingMember",
        ),
    },
)

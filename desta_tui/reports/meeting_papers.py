"""The papers every meeting pack shares: the cover with the agenda and its pages, attendance and
the quorum, declarations, the last meeting's minutes and matters arising, decisions with their
tally, actions, risks, any other business, an item's own paper and the attendance sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from desta_tui.reports.document import PORTRAIT_FRAME_WIDTH
from desta_tui.reports.flowables import (
    PageRef,
    data_table,
    empty_note,
    heading,
    key_value_table,
    para,
    rag_cell,
    title_block,
)
from desta_tui.reports.report_parts import on, strong
from desta_tui.services.meetings import (
    ActionLine,
    AgendaItemView,
    AttendanceLine,
    DecisionLine,
    MeetingPackData,
    RiskLine,
)
from desta_tui.services.reporting.consortium import PackCover
from desta_tui.services.reporting.exceptions import cut_note
from desta_tui.services.reporting.pack_meeting import PackAgendaItem, PackMeeting

MINUTES_IN_PACK = 3000
"""The last meeting's minutes longer than this are cut in the pack (the meeting's record keeps
them whole); a pack must not grow by a dozen pages for one long text."""
ITEM_TEXT_IN_PACK = 800
"""An item's description (a paragraph across the page): cut here."""
CELL_TEXT_IN_PACK = 240
"""Text in a table's cell (an action's progress, a motion's details, a risk's mitigation,
a declaration, a minute): cut here, as a narrow column makes a long text very tall."""
IN_THE_RECORD = "… (continued in the meeting's record)"
OUTLINE_CHARACTERS = 90
SHEET_BLANK_ROWS = 6
"""Rows left blank on the attendance sheet for observers and guests."""
SHEET_KEY = "attendance-sheet"


def cut(text: str, limit: int = CELL_TEXT_IN_PACK) -> str:
    return cut_note((text or "").strip(), limit, IN_THE_RECORD)


def outline_title(text: str) -> str:
    """Words for the viewer's bookmarks pane: one line, not too long."""
    text = " ".join(text.split())
    return text if len(text) <= OUTLINE_CHARACTERS else text[: OUTLINE_CHARACTERS - 1] + "…"


def paper_heading(number: str, title: str, key: str) -> Flowable:
    """A paper's heading: numbered as on the agenda, a bookmark and a page the cover cites."""
    words = f"{number} {title}".strip()
    return heading(words, 1, bookmark=key, outline=outline_title(words))


def part_heading(number: str, title: str, key: str) -> Flowable:
    """A part of a paper: a second-level outline entry."""
    words = f"{number} {title}".strip()
    return heading(words, 2, bookmark=key, outline=outline_title(words), outline_level=1)


# --- the cover -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaLine:
    """A line of the cover's agenda: number, item, presenter, what the pack holds for it and
    the key of the place its paper starts (its page is printed beside it)."""

    number: str
    title: str
    presenter: str
    summary: str
    key: str


def meeting_when(meeting: PackMeeting) -> str:
    """`Tuesday 13/11/2012 at 10:00`."""
    words = meeting.meeting_on.strftime("%A ") + on(meeting.meeting_on)
    return f"{words} at {meeting.start_time}" if meeting.start_time else words


def cover_story(
    title: str, cover: PackCover, meeting: PackMeeting, lines: Sequence[AgendaLine]
) -> list[Flowable]:
    """Page one: what, for whom, when and where the meeting sits, which month it reports on,
    and the agenda with the page each paper starts on."""
    story: list[Flowable] = title_block(title, cover.consortium)
    record = meeting.record
    # without a record, only the SMG has a usual day (Settings, or the second Tuesday)
    expected = record is not None or meeting.body == "smg"
    pairs = [
        ("Meeting", meeting_when(meeting) if expected else "not yet arranged"),
        ("Place", meeting.place),
        ("Reports on", cover.period.long_label),
    ]
    if record is not None:
        pairs += [
            ("Chair", record.chair),
            ("Papers sent", on(record.meeting.papers_sent_on)),
            ("Status", record.meeting.status_label),
        ]
    pairs.append(("Hub", cover.hub_name))
    story.append(key_value_table([(k, v) for k, v in pairs if v]))
    if record is None:
        story.append(
            para(
                f"No {meeting.body_short} meeting reporting on {cover.period.long_label} is in "
                f"the meetings records: this pack follows the {meeting.body_short}'s standing "
                "agenda."
            )
        )
    story.append(heading("Agenda", 1))
    rows = [
        [line.number, line.title, line.presenter, line.summary, PageRef(line.key)] for line in lines
    ]
    story += data_table(["", "Item", "Presenter", "In the pack", "Page"], rows, numeric_cols=(4,))
    story.append(PageBreak())
    return story


# --- attendance and the quorum ---------------------------------------------------------------


def _people(lines: Sequence[AttendanceLine]) -> list[list]:
    return [[line.name, line.organisation_name, line.role_label] for line in lines]


def attendance_paper(meeting: PackMeeting, number: str, title: str, key: str) -> list[Flowable]:
    """Who is there, who sent apologies, who is absent, observers; the quorum line."""
    story: list[Flowable] = [paper_heading(number, title, key)]
    record = meeting.record
    if record is None:
        story.append(empty_note("No meeting is recorded: the members with a seat are listed."))
        story += data_table(["Members with a seat"], [[name] for name in meeting.seat_holders])
        return story
    story.append(para(record.quorum_line, "body_strong"))
    held = record.meeting.status not in ("planned", "papers_sent")
    groups = (
        ("Present", record.present),
        ("Apologies", record.apologies),
        ("Absent", record.absent),
        ("Observers", record.observers),
    )
    for label, lines in groups:
        if not lines:
            if label == "Apologies" or (held and label == "Present"):
                story.append(para(f"{label}: none recorded.", "note"))
            continue
        story += data_table(["Name", "Organisation", "Role"], _people(lines), title=label)
    if not held:
        sent = {line.organisation_name for line in record.apologies}
        expected = [[m.name] for m in record.voting_members if m.name not in sent]
        if expected:
            story += data_table(
                ["Members with a vote expected"], expected, title="Expected (sign the sheet)"
            )
    return story


# --- declarations of interest ----------------------------------------------------------------


def item_declarations(item: AgendaItemView) -> list[Flowable]:
    """Under an item's own heading: who declared an interest in it, who might."""
    story: list[Flowable] = []
    for line in item.declarations:
        withdrew = " and withdrew from the item" if line.is_withdrawn else ""
        story.append(
            para(f"Declared: {line.who}: {cut(line.description, ITEM_TEXT_IN_PACK)}{withdrew}.")
        )
    for reason, names in grouped_suggestions(item):
        story.append(para(f"To consider declaring ({reason}): {'; '.join(names)}.", "note"))
    return story


def grouped_suggestions(item: AgendaItemView) -> list[tuple[str, list[str]]]:
    """The members who may have an interest in an item, grouped by why (a contract's nine
    partners are one line, not nine)."""
    groups: dict[str, list[str]] = {}
    for suggestion in item.suggested_declarations:
        groups.setdefault(suggestion.reason, []).append(suggestion.organisation_name)
    return list(groups.items())


def declarations_paper(meeting: PackMeeting, number: str, title: str, key: str) -> list[Flowable]:
    """Declarations for each item, suggestions for items about members' own records, and the
    register of interests."""
    story: list[Flowable] = [paper_heading(number, title, key)]
    record = meeting.record
    if record is None:
        story.append(empty_note("Members declare any interest in the items as the meeting opens."))
        return story
    story.append(
        para(
            "Members declare any interest in an item before it is taken, and say whether they "
            "withdraw from it; a member who withdraws does not count towards that item's quorum."
        )
    )
    declared = [
        [f"{line.item_number} {line.item_title}", line.who, cut(line.description),
         strong("Withdrew") if line.is_withdrawn else "Stays"]
        for line in record.declarations
    ]  # fmt: skip
    if declared:
        story += data_table(
            ["Item", "Who", "Interest", "Withdraws"], declared, title="Declared for this meeting"
        )
    else:
        held = record.meeting.status not in ("planned", "papers_sent")
        words = "none" if held else "none so far"
        story.append(para(f"Declared for this meeting: {words}.", "note"))
    suggested = [
        [f"{item.number} {item.title}", reason, "; ".join(names)]
        for item in record.agenda
        for reason, names in grouped_suggestions(item)
    ]
    if suggested:
        story += data_table(
            ["Item", "Why", "Members who may have an interest"],
            suggested,
            title="To consider: items about members' own contracts, tickets or organisations",
        )
    interests = [
        [line.who, cut(line.description), on(line.starts_on), on(line.ends_on)]
        for line in record.registered_interests
    ]
    if interests:
        story += data_table(
            ["Who", "Interest", "From", "Until"], interests, title="Register of interests"
        )
    return story


# --- decisions, actions ----------------------------------------------------------------------


def decision_rows(decisions: Sequence[DecisionLine], *, with_meeting: bool = False) -> list[list]:
    rows = []
    for d in decisions:
        motion = d.title + (f"\n{cut(d.details)}" if d.details else "")
        result = d.result_text
        if d.is_pending and d.due_on:
            result += f" (due {on(d.due_on)})"
        elif d.quorate_text:
            result += f"; {d.quorate_text}"
        row = [motion, d.proposer or "–", d.seconder or "–", result]
        if with_meeting:
            row.insert(0, d.meeting_title)
        elif d.item_number:
            row.insert(0, str(d.item_number))
        else:
            row.insert(0, "")
        rows.append(row)
    return rows


def decisions_table(
    decisions: Sequence[DecisionLine], title: str | None = None, *, with_meeting: bool = False
) -> list[Flowable]:
    """Motions with proposer, seconder and the tally (or "To be decided")."""
    first = "Meeting" if with_meeting else "Item"
    return data_table(
        [first, "Motion", "Proposed by", "Seconded by", "Result"],
        decision_rows(decisions, with_meeting=with_meeting),
        title=title,
    )


def _carried(times: int) -> str:
    if times <= 0:
        return "New"
    return "Once" if times == 1 else f"{times} times"


def action_rows(actions: Sequence[ActionLine], *, with_meeting: bool = True) -> list[list]:
    rows = []
    for a in actions:
        state = a.status_label
        if a.progress:
            state += f": {cut(a.progress)}"
        row = [a.description, a.owner, on(a.due_on), _carried(a.times_carried),
               strong(state) if a.is_overdue else state]  # fmt: skip
        if with_meeting:
            row.insert(1, a.meeting_title)
        rows.append(row)
    return rows


def actions_table(
    actions: Sequence[ActionLine], title: str | None = None, *, with_meeting: bool = True
) -> list[Flowable]:
    """Actions with their owner, due date, how many meetings they have come to, and progress."""
    headers = ["Action", "Owner", "Due", "Carried", "Progress"]
    if with_meeting:
        headers.insert(1, "Raised at")
    return data_table(headers, action_rows(actions, with_meeting=with_meeting), title=title)


# --- the last meeting's minutes and matters arising ----------------------------------------


def minutes_paper(meeting: PackMeeting, number: str, title: str, key: str) -> list[Flowable]:
    """The last meeting's minutes put for approval, its decisions with their tally, and the
    actions carried forward (matters arising)."""
    story: list[Flowable] = [paper_heading(number, title, key)]
    record = meeting.record
    last = record.last_meeting if record is not None else None
    if last is None:
        story.append(empty_note(f"No earlier {meeting.body_short} meeting is recorded."))
    else:
        story += last_minutes(last, number)
    story += matters_arising(record, number)
    return story


def last_minutes(last, number: str) -> list[Flowable]:
    story: list[Flowable] = [
        part_heading(f"{number}.1", f"Minutes of the {last.meeting.title}", f"minutes-{number}")
    ]
    if last.is_approved:
        where = f" at the {last.approved_at}" if last.approved_at else ""
        state = f"Approved on {on(last.approved_on)}{where}."
    else:
        state = "Put to this meeting for approval as a true record."
    pairs = [
        ("Status", state),
        ("Present", "; ".join(last.present) or "none recorded"),
        ("Apologies", "; ".join(last.apologies) or "none"),
    ]
    story.append(key_value_table(pairs))
    if last.minutes:
        story.append(para(cut(last.minutes, MINUTES_IN_PACK)))
    if last.items:
        story += data_table(
            ["", "Item", "Minute"],
            [[str(i.number), i.title, cut(i.minutes)] for i in last.items],
        )
    if last.decisions:
        story += decisions_table(last.decisions, "Decisions")
    return story


def matters_arising(record: MeetingPackData | None, number: str) -> list[Flowable]:
    story: list[Flowable] = [
        part_heading(f"{number}.2", "Matters arising: actions carried forward", f"arising-{number}")
    ]
    actions = record.actions_carried if record is not None else ()
    if not actions:
        story.append(empty_note("No actions carried forward."))
        return story
    open_count = sum(1 for a in actions if not a.is_done)
    overdue = sum(1 for a in actions if a.is_overdue)
    story.append(
        para(
            f"{open_count} open ({overdue} overdue), and those done since the last meeting. "
            "Carried: how many meetings an action has come back to."
        )
    )
    story += actions_table(actions)
    return story


# --- risks -----------------------------------------------------------------------------------


def risk_rows(risks: Sequence[RiskLine]) -> list[list]:
    rows = []
    for r in risks:
        review = on(r.review_on)
        if r.is_review_due:
            review = strong(f"{review} (due)")
        rows.append(
            [
                r.title + (f"\n{cut(r.description)}" if r.description else ""),
                f"{r.likelihood} x {r.impact} = {r.score}",
                rag_cell(r.band.rag.word, r.band.rag.symbol, r.band.label),
                r.owner,
                cut(r.mitigation),
                review,
            ]
        )
    return rows


def risks_table(risks: Sequence[RiskLine]) -> list[Flowable]:
    """The risk register: likelihood x impact, its band, owner, mitigation, review date."""
    if not risks:
        return [empty_note("No open risks on the register.")]
    return data_table(
        ["Risk", "Likelihood x impact", "Band", "Owner", "Mitigation", "Review by"],
        risk_rows(risks),
    )


# --- items with no paper of their own ------------------------------------------------------


def item_paper(
    item: PackAgendaItem,
    body: list[Flowable] | None = None,
    *,
    actions: Sequence[ActionLine] = (),
) -> list[Flowable]:
    """An item's own paper: who presents it, what it is about, where it came from, the
    declarations on it, its motions with their tally, actions raised on it; then `body`."""
    number = str(item.number)
    story: list[Flowable] = [paper_heading(number, item.title, item.key)]
    view = item.item
    pairs = [("Presenter", item.presenter)]
    if view is not None:
        if view.link is not None:
            pairs.append(("About", view.link.label))
        if view.carried_from:
            pairs.append(("Carried forward", f"from the {view.carried_from}"))
        if view.is_deferred:
            pairs.append(("Deferred", "This item was deferred."))
    pairs = [(k, v) for k, v in pairs if v]
    if pairs:
        story.append(key_value_table(pairs))
    if item.description:
        story.append(para(cut(item.description, ITEM_TEXT_IN_PACK)))
    if view is not None:
        story += item_declarations(view)
        if view.decisions:
            story += decisions_table(view.decisions, "Motions")
        raised = [a for a in (*view.actions, *actions) if a.agenda_item_uuid == view.uuid]
        if raised:
            story += actions_table(raised, "Actions", with_meeting=False)
    if body:
        story += body
    elif len(story) == 1 or (view is not None and not (view.decisions or item.description)):
        story.append(empty_note("No paper: taken at the meeting."))
    return story


def aob_paper(item: PackAgendaItem) -> list[Flowable]:
    story = item_paper(item, [])
    if not item.description:
        story[-1] = empty_note(
            "Any other business is notified to the chair before the meeting; none had been "
            "when this pack was printed."
        )
    return story


# --- the attendance sheet --------------------------------------------------------------------


def attendance_sheet(meeting: PackMeeting, number: str = "") -> list[Flowable]:
    """A page to sign: one row per member with a seat, and blank rows for others."""
    title = f"Attendance sheet: {meeting.body_short}"
    if meeting.record is not None or meeting.body == "smg":
        title += f", {meeting_when(meeting)}"
    story: list[Flowable] = [
        PageBreak(),
        paper_heading(number, title, SHEET_KEY),
        para(
            "Please sign against your organisation and print your name; observers and guests "
            "use the rows at the end. A member who signs counts towards the quorum."
        ),
    ]
    room = "\n\n"  # three lines high: room to sign
    rows = [[name, room, ""] for name in meeting.seat_holders]
    rows += [[room, "", ""] for _ in range(SHEET_BLANK_ROWS)]
    width = PORTRAIT_FRAME_WIDTH
    story += data_table(
        ["Organisation", "Name (please print)", "Signature"],
        rows,
        col_widths=[width * 0.42, width * 0.3, width * 0.28],
    )
    return story


# --- putting papers in agenda order ----------------------------------------------------------

Paper = Callable[[PackAgendaItem], list[Flowable]]


def agenda_story(
    meeting: PackMeeting, papers: dict[str, Paper], leftovers: Sequence[tuple[str, str]]
) -> tuple[list[Flowable], list[PackAgendaItem]]:
    """The papers in agenda order: each item's paper from `papers` by its kind (an item of a
    kind with no paper gets its own short paper). `leftovers` are (kind, title) of papers
    printed after the agenda when no item of their kind is on it, numbered on from the last.

    Returns the story and the items made for the leftovers, for the cover.
    """
    story: list[Flowable] = []
    for item in meeting.agenda:
        paper = papers.get(item.kind)
        story.append(CondPageBreak(120))
        story += paper(item) if paper is not None else item_paper(item)
    seen = {item.kind for item in meeting.agenda}
    extra: list[PackAgendaItem] = []
    for kind, title in leftovers:
        if kind in seen or kind not in papers:
            continue
        item = PackAgendaItem(len(meeting.agenda) + len(extra) + 1, kind, title, "", "", None)
        story.append(CondPageBreak(120))
        story += papers[kind](item)
        extra.append(item)
    return story, extra

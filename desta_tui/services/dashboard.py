"""The dashboard's figures and the lines that need attention, for the chosen consortium (or all)."""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import fn

from desta_tui.db.models import (
    Consortium,
    Contract,
    Membership,
    Organisation,
    SupportTicket,
)
from desta_tui.domain.choices import CONTRACT_STAGES, TICKET_STAGES
from desta_tui.domain.dates import format_uk_date
from desta_tui.domain.metrics import format_figure
from desta_tui.domain.money import format_money
from desta_tui.domain.paper_states import EXPIRED, EXPIRING
from desta_tui.domain.periods import Period, last_ended_month
from desta_tui.domain.rag import Rag
from desta_tui.domain.ticket_due import UNFINISHED_STATUSES
from desta_tui.lazy import lazy_exports
from desta_tui.services.context import today
from desta_tui.services.members.papers_due import count_papers_due, papers_due_among
from desta_tui.services.performance.exceptions import worst_exceptions
from desta_tui.services.performance.figures import FigureRow
from desta_tui.services.performance.metrics import contracts_in_delivery
from desta_tui.services.performance.months import missing_returns_by_contract
from desta_tui.services.settings import compliance_warning_days

# the consortium pick list (services.lookups) is offered here as well, imported when first
# asked for: the dashboard's own reading needs no pick list
_REEXPORTED, __getattr__, __dir__ = lazy_exports(
    __name__, {"desta_tui.services.lookups": ("consortium_choices",)}
)

DASHBOARD_LIST_LIMIT = 20
"""Lines of a kind the dashboard shows, the worst first, before "… and N more": the list is for
reading (a large hub has thousands of red figures), and each section lists them all."""


@dataclass(frozen=True)
class StageLine:
    stage: str
    label: str
    count: int
    value_pence: int


@dataclass(frozen=True)
class DashboardLine:
    """One line of the dashboard a person can open: `opens` says where it leads.

    `opens` is ("contracts", contract uuid or None), ("contract_stage", stage), ("figure",
    contract uuid, partner uuid, metric code), ("month", contract uuid, period key),
    ("organisation", organisation uuid), ("tickets", stage), ("ticket", ticket uuid) or
    ("conflicts",).
    """

    key: str
    area: str
    text: str
    figure: str
    severity: str | None
    opens: tuple[str | None, ...]
    figure_row: FigureRow | None = None


@dataclass(frozen=True)
class LineGroup:
    """The dashboard's lines of one kind, the worst first: at most DASHBOARD_LIST_LIMIT of them
    for the lists that grow with the hub, and how many there are in all."""

    kind: str
    lines: list[DashboardLine]
    total: int
    #: what the lines not shown are, in words ("red or amber figures"), and their area column,
    #: for the line "… and N more"
    rest_are: str = ""
    rest_area: str = ""
    #: where they are all listed: an `opens` with no record, so the section opens on its list
    rest_opens: tuple[str | None, ...] = ()

    @property
    def more(self) -> int:
        """How many lines of this kind are not among `lines`."""
        return self.total - len(self.lines)


def _capped(
    kind: str,
    lines: list[DashboardLine],
    rest: tuple[str, str, tuple],
    total: int = -1,
) -> LineGroup:
    """The first DASHBOARD_LIST_LIMIT of `lines` (already worst first) and their total; `rest`
    is (what they are, their area, where they are all listed)."""
    total = len(lines) if total < 0 else total
    rest_are, rest_area, rest_opens = rest
    return LineGroup(kind, lines[:DASHBOARD_LIST_LIMIT], total, rest_are, rest_area, rest_opens)


@dataclass(frozen=True)
class DashboardSummary:
    consortium_name: str
    member_count: int
    organisation_count: int
    contracts_by_stage: list[StageLine] = field(default_factory=list)
    open_ticket_count: int = 0
    compliance_expired: int = 0
    compliance_expiring: int = 0
    compliance_warning_days: int = 60
    #: the month whose returns are due by now (the one before today's)
    last_month: Period | None = None
    #: the lines in the order shown: contracts by stage, figures at red or amber, returns
    #: missing, tickets by stage, overdue tickets, papers due, commissioner contact overdue
    groups: list[LineGroup] = field(default_factory=list)
    #: partners' figures at red and at amber, in all (the lines show the worst)
    red_count: int = 0
    amber_count: int = 0
    #: open conflicts from other sites (offline sync), for the whole hub
    conflict_count: int = 0

    @property
    def lines(self) -> list[DashboardLine]:
        """Every line shown, group after group."""
        return [line for group in self.groups for line in group.lines]

    def group(self, kind: str) -> LineGroup | None:
        return next((group for group in self.groups if group.kind == kind), None)


def dashboard_summary(consortium_uuid: str | None = None) -> DashboardSummary:
    consortium = (
        Consortium.get_or_none(Consortium.uuid == consortium_uuid) if consortium_uuid else None
    )
    members = Membership.select(Membership.id).where(
        Membership.archived_at.is_null() & (Membership.status == "active")
    )
    contracts = Contract.select(
        Contract.stage, fn.COUNT(Contract.id), fn.SUM(Contract.total_value_pence)
    ).where(Contract.archived_at.is_null())
    member_orgs = Membership.select(Membership.organisation).where(Membership.archived_at.is_null())
    tickets = SupportTicket.select().where(
        SupportTicket.archived_at.is_null() & SupportTicket.status.in_(UNFINISHED_STATUSES)
    )
    if consortium is not None:
        members = members.where(Membership.consortium == consortium)
        contracts = contracts.where(Contract.consortium == consortium)
        member_orgs = member_orgs.where(Membership.consortium == consortium)
        tickets = tickets.join(Contract).where(Contract.consortium == consortium)
    # PostgreSQL sums a bigint column as numeric (a Decimal): money stays integer pence
    by_stage = {stage: (count, int(value or 0)) for stage, count, value in
                contracts.group_by(Contract.stage).tuples()}  # fmt: skip
    warning_days = compliance_warning_days()
    now = today()
    expired, expiring = _papers_due(member_orgs, now, warning_days)
    last_month = last_ended_month(now)
    worst = worst_exceptions(consortium_uuid, DASHBOARD_LIST_LIMIT, with_sparklines=False)
    # the open tickets counted once, by stage: their lines, and in all the headline's count
    tickets_by_stage = _tickets_by_stage(tickets)
    stage_lines, ticket_lines = _stage_lines(by_stage), _ticket_lines(tickets_by_stage)
    groups = [
        LineGroup("stages", stage_lines, len(stage_lines)),
        _capped(
            "figures",
            _performance_lines(worst.rows),
            ("red or amber figures", "Red, amber", ("figure", None, None, None)),
            total=worst.total,
        ),
        _capped(
            "missing",
            _missing_lines(consortium_uuid, last_month),
            (f"returns missing for {last_month.label}", "Return missing", ("month", None, None)),
        ),
        LineGroup("ticket_stages", ticket_lines, len(ticket_lines)),
        _overdue_ticket_group(consortium_uuid),
        _capped(
            "papers",
            _compliance_lines(member_orgs, now, warning_days),
            (f"papers due within {warning_days} days", "Compliance", ("organisation", None)),
            total=expired + expiring,
        ),
        _capped(
            "contacts",
            _overdue_lines(consortium_uuid),
            ("contracts overdue a contact", "Commissioner", ("contracts", None)),
        ),
    ]
    conflicts = _conflict_count()
    conflict_lines = _conflict_lines(conflicts)
    groups.append(LineGroup("conflicts", conflict_lines, len(conflict_lines)))
    return DashboardSummary(
        consortium_name=consortium.name if consortium else "All consortia",
        member_count=members.count(),
        organisation_count=_member_organisations(member_orgs),
        contracts_by_stage=[
            StageLine(choice.code, choice.label, *by_stage.get(choice.code, (0, 0)))
            for choice in CONTRACT_STAGES
        ],
        open_ticket_count=sum(tickets_by_stage.values()),
        compliance_expired=expired,
        compliance_expiring=expiring,
        compliance_warning_days=warning_days,
        last_month=last_month,
        groups=groups,
        red_count=worst.red,
        amber_count=worst.amber,
        conflict_count=conflicts,
    )


def _member_organisations(member_orgs) -> int:
    """Live organisations with a live membership (of the consortium): the organisations the
    memberships name, less the archived ones among them, each count read from an index (an
    archived organisation is rare; looking up every member's organisation is not cheap)."""
    named = member_orgs.select(fn.COUNT(Membership.organisation.distinct())).scalar()
    archived = Organisation.select(Organisation.id).where(Organisation.archived_at.is_null(False))
    gone = (
        member_orgs.select(fn.COUNT(Membership.organisation.distinct()))
        .where(Membership.organisation.in_(archived))
        .scalar()
    )
    return int(named or 0) - int(gone or 0)


def _stage_lines(by_stage: dict[str, tuple[int, int]]) -> list[DashboardLine]:
    return [
        DashboardLine(
            key=f"stage|{choice.code}",
            area="Contracts",
            text=f"{choice.label}: {by_stage[choice.code][0]} contract"
            f"{'s' if by_stage[choice.code][0] != 1 else ''}",
            figure=format_money(by_stage[choice.code][1]),
            severity=None,
            opens=("contract_stage", choice.code),
        )
        for choice in CONTRACT_STAGES
        if by_stage.get(choice.code, (0, 0))[0]
    ]


def _performance_lines(exceptions: list[FigureRow]) -> list[DashboardLine]:
    lines = []
    for row in exceptions:
        if row.unit == "rate":
            detail = f"{row.percent} ({format_figure(row.actual_to_date, row.unit)} "
            detail += f"against {row.target_text})"
        else:
            detail = f"{row.percent} ({row.actual_to_date:,} of {row.target_to_date:,})"
        lines.append(
            DashboardLine(
                key=f"figure|{row.contract_uuid}|{row.partner_uuid}|{row.metric_code}",
                area=f"{row.rag.label}",
                text=f"{row.organisation_name}: {row.metric_name} ({row.contract_title})",
                figure=detail,
                severity="error" if row.rag.rag is Rag.RED else "warning",
                opens=("figure", row.contract_uuid, row.partner_uuid, row.metric_code),
                figure_row=row,
            )
        )
    return lines


def _missing_lines(consortium_uuid: str | None, last_month: Period) -> list[DashboardLine]:
    # the two columns shown, not whole contracts: a large hub has a hundred in delivery
    query = contracts_in_delivery(consortium_uuid, Contract.uuid, Contract.title)
    # which partners owe the month is the performance service's (one rule: months_due)
    contracts = list(query.order_by(Contract.title).tuples())
    missing = missing_returns_by_contract([uuid for uuid, _title in contracts], last_month)
    lines = []
    for uuid, title in contracts:
        for name in missing[uuid]:
            lines.append(
                DashboardLine(
                    key=f"missing|{uuid}|{name}",
                    area="Return missing",
                    text=f"{name}: no {last_month.label} return ({title})",
                    figure="",
                    severity="warning",
                    opens=("month", uuid, last_month.key),
                )
            )
    return lines


def _tickets_by_stage(tickets) -> dict[str | None, int]:
    """How many of `tickets` there are at each stage (None: none given)."""
    return dict(
        tickets.select(SupportTicket.stage, fn.COUNT(SupportTicket.id))
        .group_by(SupportTicket.stage)
        .tuples()
    )


def _ticket_lines(by_stage: dict[str | None, int]) -> list[DashboardLine]:
    return [
        DashboardLine(
            key=f"tickets|{choice.code}",
            area="Open tickets",
            text=f"{choice.label}: {by_stage[choice.code]} open",
            figure="",
            severity="warning" if choice.code == "remedial_action" else None,
            opens=("tickets", choice.code),
        )
        for choice in TICKET_STAGES
        if by_stage.get(choice.code)
    ]


def _overdue_ticket_group(consortium_uuid: str | None) -> LineGroup:
    """The most overdue tickets, with how late each is in words (#7), and how many are."""
    from desta_tui.services.tickets.overdue import count_overdue_tickets, overdue_tickets

    lines = [
        DashboardLine(
            key=f"ticket|{row.uuid}",
            area="Overdue ticket",
            text=f"{row.reference} {row.provider_name}: {row.subject}",
            figure=row.due_text,
            severity="error",
            opens=("ticket", row.uuid),
        )
        for row in overdue_tickets(consortium_uuid, limit=DASHBOARD_LIST_LIMIT)
    ]
    total = count_overdue_tickets(consortium_uuid)
    return LineGroup(
        "overdue_tickets", lines, total, "overdue tickets", "Overdue ticket", ("tickets", None)
    )


def _papers_due(organisations, now, warning_days: int) -> tuple[int, int]:
    """How many papers in force have expired, and how many expire within the warning days
    (a renewed paper does not count)."""
    counts = count_papers_due(organisations, warning_days, now)
    return counts[EXPIRED], counts[EXPIRING]


def _compliance_lines(organisations, now, warning_days: int) -> list[DashboardLine]:
    """The first DASHBOARD_LIST_LIMIT papers expired or expiring, soonest first, in the words
    every place uses (domain.compliance); the Members section lists them all."""
    papers = papers_due_among(organisations, warning_days, now, limit=DASHBOARD_LIST_LIMIT)
    return [
        DashboardLine(
            key=f"paper|{paper.uuid}",
            area="Compliance",
            text=f"{paper.organisation_name}: {paper.kind_label}",
            figure=paper.state_text,
            severity="error" if paper.state == EXPIRED else "warning",
            opens=("organisation", paper.organisation_uuid),
        )
        for paper in papers
    ]


def _overdue_lines(consortium_uuid: str | None) -> list[DashboardLine]:
    from desta_tui.services.contracts.contact_due import overdue_commissioner_contacts

    lines = []
    for overdue in overdue_commissioner_contacts(consortium_uuid):
        if overdue.last_contacted_on is None:
            figure = "never contacted"
        else:
            figure = (
                f"last {format_uk_date(overdue.last_contacted_on)} ({overdue.days_since} days; "
                f"every {overdue.interval_days})"
            )
        who = f" ({overdue.commissioner_name})" if overdue.commissioner_name else ""
        lines.append(
            DashboardLine(
                key=f"contact|{overdue.contract_uuid}",
                area="Commissioner",
                text=f"{overdue.contract_title}{who}: contact overdue",
                figure=figure,
                severity="warning",
                opens=("contracts", overdue.contract_uuid),
            )
        )
    return lines


def _conflict_count() -> int:
    from desta_tui.services.sync.open_conflicts import conflict_count

    return conflict_count()


def _conflict_lines(count: int) -> list[DashboardLine]:
    """One line opening the Conflicts screen while any conflict from another site is open."""
    if count <= 0:
        return []
    return [
        DashboardLine(
            key="conflicts",
            area="Conflicts",
            text=f"Conflicts from other sites: {count}",
            figure="",
            severity="warning",
            opens=("conflicts",),
        )
    ]

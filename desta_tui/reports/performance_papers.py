"""The performance papers both packs print: exceptions that argue their case, a partner x
metric RAG grid on one page, a contract's details, the month-by-month table that adds up to
date, and charts of cumulative delivery against the target trajectory."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreakIfNotEmpty,
    Table,
    TableStyle,
)

from desta_tui.domain.periods import Period
from desta_tui.reports.charts import chart_legend, trajectory_chart
from desta_tui.reports.document import LANDSCAPE_FRAME_WIDTH, PORTRAIT_FRAME_WIDTH, KeptTogether
from desta_tui.reports.flowables import (
    data_table,
    empty_note,
    heading,
    key_value_table,
    para,
    rag_cell,
)
from desta_tui.reports.meeting_papers import part_heading
from desta_tui.reports.report_parts import (
    figure_numeric_cols,
    figure_rows,
    money,
    on,
    strong,
)
from desta_tui.reports.styles import CELL_FONT_SIZE, CELL_PAD_X, text_width
from desta_tui.services.performance import ContractPerformance, ContractTrajectories
from desta_tui.services.reporting.exceptions import ExceptionLine

MONTHS_SHOWN = 12
"""Monthly columns in the month-by-month table; earlier months are summed in one column."""
LEAST_NAME_WIDTH = 100.0
"""Below this, the month-by-month table takes a landscape page to give names room."""
CHART_COLUMNS = 3
MOST_CHARTS = 24
"""Past this many partners, only those red or amber on the metric get a chart (eight rows of
three: a contract of 200 providers would otherwise draw 67 pages of them)."""
SMALL_CHART_HEIGHT = 140.0
TOTAL_CHART_HEIGHT = 165.0
ACTUAL_WORDS = "delivered, cumulative"
TARGET_WORDS = "target trajectory, cumulative"


# --- exceptions ------------------------------------------------------------------------------


def _by_partner(lines: Sequence[ExceptionLine]) -> list[list[ExceptionLine]]:
    """The lines grouped by contract and partner, in the order the worst line of each comes."""
    groups: dict[tuple[str, str], list[ExceptionLine]] = {}
    for line in lines:
        key = (line.figure.contract_uuid, line.figure.partner_uuid or "")
        groups.setdefault(key, []).append(line)
    return list(groups.values())


def _cases(group: Sequence[ExceptionLine]) -> list[list[ExceptionLine]]:
    """A partner's figures grouped by the case made for them: one ticket usually covers all of
    them; notes are typed per figure; figures nobody covers come last."""
    found: dict[object, list[ExceptionLine]] = {}
    for line in group:
        case = line.case
        key = (
            None
            if case is None or case.is_open
            else (case.source, case.cause, case.action, case.owner, case.recovery_on)
        )
        found.setdefault(key, []).append(line)
    return sorted(found.values(), key=lambda lines: lines[0].case is None or lines[0].case.is_open)


def _case_pairs(line: ExceptionLine) -> list[tuple[str, object]]:
    """Cause, action, owner, recovery date and where they come from; or who should act."""
    case = line.case
    if case is None or case.is_open:
        acting = case.should_act if case is not None else ""
        who = f"{acting}, the contract's support provider," if acting else "The hub"
        return [
            (
                "NO TICKET",
                f"Nobody has said why, or what is being done: {who} should act (open a support "
                "ticket, or note the cause, action, owner and recovery date on the exception).",
            )
        ]
    if case.source == "ticket" and line.ticket is not None:
        source = f"Support ticket {line.ticket.reference} ({line.ticket.stage_label})"
        if line.ticket.is_overdue:
            source += f", {line.ticket.due_text.lower()}"
    else:
        source = "Noted on the exception"
        if case.noted_for is not None:
            source += f" for {case.noted_for.long_label}"
    pairs: list[tuple[str, object]] = [
        ("Cause", case.cause or "not said"),
        ("Action", case.action or strong("none planned")),
        ("Owner", case.owner or strong("nobody named")),
        ("Recovery by", on(case.recovery_on) or strong("no date")),
        ("From", source),
    ]
    return pairs


def _history_cells(line: ExceptionLine) -> list:
    return [rag_cell(rag.word, rag.symbol) for _month, rag in line.history]


def exceptions_part(lines: Sequence[ExceptionLine], period: Period, number: str) -> list[Flowable]:
    """Every red or amber figure, grouped by partner: the last three months of each, the figures
    behind its status, and the partner's case (cause, action, owner, recovery date)."""
    story: list[Flowable] = [part_heading(number, "Exceptions", f"exceptions-{number}")]
    if not lines:
        story.append(empty_note(f"No red or amber figures to the end of {period.long_label}."))
        return story
    groups = _by_partner(lines)
    open_groups = [g for g in groups if g[0].case is None or g[0].case.is_open]
    # the heading and the words under it go with the first partner, never alone on a page
    lead: list[Flowable] = [story.pop()]
    lead.append(
        para(
            f"Every red or amber figure to the end of {period.long_label}, worst first, by "
            f"partner: {len(lines)} figures at {len(groups)} partners; {len(open_groups)} "
            "partners with no ticket or note (NO TICKET) say who should act. Each figure shows "
            "its last three months and the figures behind its status."
        )
    )
    months = [month.label for month, _ in lines[0].history]
    widths = [112.0, 50.0, 50.0, 50.0]
    widths.append(PORTRAIT_FRAME_WIDTH - sum(widths))
    for group in groups:
        first = group[0].figure
        rows = [[line.figure.metric_name, *_history_cells(line), line.why] for line in group]
        reds = sum(1 for line in group if line.figure.rag.rag.word == "Red")
        ambers = len(group) - reds
        count = ", ".join(f"{n} {word}" for n, word in ((reds, "red"), (ambers, "amber")) if n)
        block: list[Flowable] = [heading(f"{first.organisation_name} ({count})", 2)]
        block += data_table(["Metric", *months, "Why: the figures behind it"], rows,
                            col_widths=widths)  # fmt: skip
        cases = _cases(group)
        for lines in cases:
            pairs = _case_pairs(lines[0])
            if len(cases) > 1:
                pairs.insert(0, ("For", ", ".join(line.figure.metric_name for line in lines)))
            block.append(key_value_table(pairs))
        story.append(KeptTogether([*lead, *block]))
        lead = []
    return story


# --- the RAG grid ----------------------------------------------------------------------------


def rag_grid(
    perf: ContractPerformance, title: str, lead: Sequence[Flowable] = ()
) -> list[Flowable]:
    """Partners down, metrics across: each cell the status (symbol and word) and the share of
    the target to date achieved; all partners last. `lead` (a heading) stays with it."""
    metrics = [(t.metric_code, t.metric_name) for t in perf.totals]
    if not metrics:
        return []
    names: list[str] = []
    cells: dict[str, dict[str, object]] = {}
    for row in perf.rows:
        if row.organisation_name not in cells:
            names.append(row.organisation_name)
            cells[row.organisation_name] = {}
        cells[row.organisation_name][row.metric_code] = row
    rows = []
    for name in names:
        rows.append([name, *(_grid_cell(cells[name].get(code)) for code, _ in metrics)])
    totals = {t.metric_code: t for t in perf.totals}
    rows.append([strong("All partners"), *(_grid_cell(totals.get(code)) for code, _ in metrics)])
    first = min(PORTRAIT_FRAME_WIDTH * 0.2, 120.0)
    rest = (PORTRAIT_FRAME_WIDTH - first) / len(metrics)
    # the metrics' names in a smaller type: "Completions" whole in a column of its own
    headers = ["Partner", *(para(name, "cell_header_small") for _, name in metrics)]
    story = data_table(
        headers, rows, col_widths=[first, *([rest] * len(metrics))], title=title, total_rows=1
    )
    # the grid stays on one page, with the heading before it: it moves whole when it must
    story = [KeptTogether([*lead, *story])]
    story.append(
        para(
            "Each cell: the status to date (✓ Green, ! Amber, ✗ Red, – No data) and the share "
            "of the target to date achieved.",
            "small",
        )
    )
    return story


def _grid_cell(row) -> object:
    if row is None:
        return ""
    return rag_cell(row.rag.rag.word, row.rag.rag.symbol, row.rag.percent)


# --- a contract ------------------------------------------------------------------------------


def contract_details(contract, partners, perf, number: str) -> list[Flowable]:
    """A contract in delivery: values, partners and allocations, its totals to date."""
    runs = " to ".join(d for d in (on(contract.starts_on), on(contract.ends_on)) if d)
    pairs = [
        ("Commissioner", contract.commissioner_name),
        ("Reference", contract.reference),
        ("Value", f"{money(contract.total_value_pence)} in all; "
                  f"{money(contract.annual_value_pence)} a year"),
        ("Runs", runs),
        ("Boroughs", ", ".join(contract.boroughs)),
        ("Support provider",
         contract.support_provider.name if contract.support_provider else ""),
    ]  # fmt: skip
    if perf is not None:
        pairs.append(("Figures to", f"the end of {perf.up_to.long_label}"))
    story: list[Flowable] = [
        KeptTogether(
            [
                part_heading(number, contract.title, f"contract-{number}"),
                key_value_table([(k, v) for k, v in pairs if v]),
            ]
        )
    ]
    headers = ["Partner", "Role", "Boroughs", "Allocation"]
    rows = [[p.organisation_name, p.role_label, ", ".join(p.boroughs),
             money(p.allocated_value_pence)] for p in partners]  # fmt: skip
    if any(p.term_text for p in partners):
        # a partner joining late or leaving early owes returns for its own months only
        headers.append("Dates")
        for row, p in zip(rows, partners, strict=True):
            row.append(p.term_words)
    story += data_table(headers, rows, numeric_cols=(3,), title="Partners")
    if perf is None or not (perf.totals or perf.rows):
        story.append(empty_note("No targets or returns for this contract yet."))
        return story
    headers, rows = figure_rows(perf.totals, with_partner=False)
    story += data_table(
        headers, rows, numeric_cols=figure_numeric_cols(False), title="All partners: to date"
    )
    return story


# --- month by month, and the charts ----------------------------------------------------------


def _month_header(period: Period) -> str:
    """`Oct` over `'12`: twelve months and their totals fit a portrait page."""
    return f"{period.first_day:%b}\n'{period.year % 100:02d}"


def _line_widths(text: str) -> float:
    return max(text_width(line, CELL_FONT_SIZE, True) for line in text.split("\n"))


def monthly_story(trajectory: ContractTrajectories | None) -> list[Flowable]:
    """The metric month by month for each partner over the last twelve months, the months
    before summed in one column and the total to date at the end, so each row adds up to
    date; all partners, then the target due; the all-partners chart under it."""
    if trajectory is None or not trajectory.months:
        return []
    months = trajectory.months
    shown = min(MONTHS_SHOWN, len(months))
    earlier = len(months) - shown
    # the months before those shown, summed (some may be summed already in the trajectory)
    before = earlier or trajectory.total.earlier_actual or trajectory.total.earlier_target
    headers = ["Partner"]
    if before:
        last_before = months[earlier].previous()
        headers.append(f"To\n{_month_header(last_before).replace(chr(10), ' ')}")
    headers += [_month_header(m) for m in months[-shown:]]
    headers.append("To\ndate")

    def line(name, values: Sequence[int | None], summed: int) -> list:
        cells: list = [name]
        if before:
            cells.append(f"{summed + sum(v or 0 for v in values[:earlier]):,}")
        cells += ["–" if v is None else f"{v:,}" for v in values[-shown:]]
        cells.append(f"{summed + sum(v or 0 for v in values):,}")
        return cells

    rows = [line(p.name, p.actuals, p.earlier_actual) for p in trajectory.partners]
    total = trajectory.total
    rows.append([strong(c) for c in line("All partners", total.actuals, total.earlier_actual)])
    rows.append(line("Target due", total.targets, total.earlier_target))
    # every figure and month whole; the partners' names wrap in what is left, and when that
    # is too little for a name (big figures), the table takes a landscape page
    columns = list(zip(headers, *rows, strict=True))[1:]
    widths = [
        max(_line_widths(str(cell)) for cell in column) + 2 * CELL_PAD_X + 2 for column in columns
    ]
    landscape = PORTRAIT_FRAME_WIDTH - sum(widths) < LEAST_NAME_WIDTH
    frame = LANDSCAPE_FRAME_WIDTH if landscape else PORTRAIT_FRAME_WIDTH
    story = data_table(
        headers,
        rows,
        col_widths=[max(frame - sum(widths), LEAST_NAME_WIDTH), *widths],
        numeric_cols=range(1, len(headers)),
        landscape_if_wider_than=PORTRAIT_FRAME_WIDTH,
        title=f"{trajectory.metric_name} month by month ({trajectory.contract_title})",
        total_rows=2,  # all partners and the target: never alone at the top of a page
    )
    after: list[Flowable] = [
        para(
            "Each row adds up to its total to date. A dash: no return for the month yet. "
            "Target due: what all partners were due to deliver each month.",
            "small",
        ),
        CondPageBreak(TOTAL_CHART_HEIGHT + 30),
        chart_legend(frame, ACTUAL_WORDS, TARGET_WORDS),
        trajectory_chart(
            months,
            total.cumulative_actuals,
            total.cumulative_targets,
            width=frame,
            height=TOTAL_CHART_HEIGHT,
            title=f"All partners: {trajectory.metric_name.lower()} delivered against the "
            f"target, {_since(trajectory)} to {months[-1].label}",
        ),
    ]
    # on a landscape page the chart goes with the table, before the return to portrait
    at = len(story) - 1 if isinstance(story[-1], PageBreakIfNotEmpty) else len(story)
    story[at:at] = after
    return story


def _since(trajectory: ContractTrajectories) -> str:
    """Where the totals start: the contract's first month (the chart may show later months
    only, starting from what was delivered before them)."""
    first = trajectory.first_month or trajectory.months[0]
    return first.label


def partner_charts(
    trajectory: ContractTrajectories | None, perf: ContractPerformance | None, number: str
) -> list[Flowable]:
    """One small chart per partner: cumulative delivery against the target trajectory since
    the contract's first month, headed with the partner's status to date."""
    if trajectory is None or not trajectory.partners:
        return []
    status = {}
    severity = {}
    if perf is not None:
        for row in perf.rows:
            if row.metric_code == trajectory.metric_code:
                status[row.organisation_uuid] = f"{row.rag.rag.label} {row.rag.percent}"
                severity[row.organisation_uuid] = row.rag.rag.severity
    partners = list(trajectory.partners)
    left_out = 0
    if len(partners) > MOST_CHARTS:
        # a big contract: the partners behind are drawn, worst first; the rest are on track
        behind = [p for p in partners if severity.get(p.organisation_uuid, 0) >= 2]
        behind.sort(key=lambda p: -severity.get(p.organisation_uuid, 0))
        left_out = len(partners) - len(behind[:MOST_CHARTS])
        partners = behind[:MOST_CHARTS]
    width = PORTRAIT_FRAME_WIDTH / CHART_COLUMNS
    drawings = [
        trajectory_chart(
            trajectory.months,
            p.cumulative_actuals,
            p.cumulative_targets,
            width=width - 4,
            height=SMALL_CHART_HEIGHT,
            title=p.name,
            status=status.get(p.organisation_uuid, ""),
        )
        for p in partners
    ]
    grid = [drawings[i : i + CHART_COLUMNS] for i in range(0, len(drawings), CHART_COLUMNS)]
    if not grid:
        grid = [[""] * CHART_COLUMNS]
    grid[-1] += [""] * (CHART_COLUMNS - len(grid[-1]))
    table = Table(
        grid,
        colWidths=[width] * CHART_COLUMNS,
        style=TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
        hAlign="LEFT",
    )
    first, last = trajectory.months[0], trajectory.months[-1]
    span = f"delivered against the target, {_since(trajectory)} to {last.label}"
    if _since(trajectory) != first.label:
        # the totals run from the contract's start; the charts draw its last months only
        span = f"cumulative since {_since(trajectory)}, {first.label} to {last.label}"
    return [
        CondPageBreak(SMALL_CHART_HEIGHT + 90),
        part_heading(
            number,
            f"{trajectory.metric_name} by partner: {span}",
            f"charts-{number}",
        ),
        para(
            "Each chart adds up a partner's returns month by month (solid line, dots) against "
            "the target it was due to reach by then (dashed line, squares): a solid line under "
            "the dashed one is behind. A line that stops early is a return not yet in.",
            "small",
        ),
        chart_legend(PORTRAIT_FRAME_WIDTH, ACTUAL_WORDS, TARGET_WORDS),
        table,
        *(
            [
                para(
                    f"{left_out} partners not drawn: the first {MOST_CHARTS} behind target are "
                    "(the grid above has every partner).",
                    "small",
                )
            ]  # fmt: skip
            if left_out
            else []
        ),
    ]


__all__ = [
    "contract_details",
    "exceptions_part",
    "monthly_story",
    "partner_charts",
    "rag_grid",
]

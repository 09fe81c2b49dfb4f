"""The dashboard's start imports what the dashboard shows, not every feature's write side."""

from __future__ import annotations

import shutil
import subprocess
import sys

# the modules that open, edit and close records, and the read models of record pages: none of
# them draws the dashboard
NOT_ON_THE_DASHBOARD_PATH = [
    "desta_tui.services.contracts.commissioner_contacts",
    # the partner form's pick list (and the shared pick lists behind it); the contact interval
    # the overdue contacts need is contact_due's
    "desta_tui.services.contracts.choices",
    "desta_tui.services.lookups",
    # the pipeline's and the contact log's read models (overdue contacts: contracts.contact_due)
    "desta_tui.services.contracts.overview_views",
    "desta_tui.services.contracts.records",
    "desta_tui.services.contracts.views",
    "desta_tui.services.meetings.actions",
    "desta_tui.services.meetings.decisions",
    "desta_tui.services.meetings.minutes",
    "desta_tui.services.meetings.views",
    "desta_tui.services.members.organisations",
    "desta_tui.services.members.views",
    # the contracts, metrics and partners the Performance section offers to pick from
    "desta_tui.services.performance.contract_choices",
    "desta_tui.services.performance.figure_notes",
    "desta_tui.services.performance.returns",
    "desta_tui.services.performance.trajectory",
    "desta_tui.services.sync.conflicts",
    "desta_tui.services.tickets.editing",
    "desta_tui.services.tickets.lifecycle",
    # the list's filter and counts per rung (overdue tickets: tickets.overdue)
    "desta_tui.services.tickets.listing",
    "desta_tui.services.tickets.views",
    # the meeting rules (quorum, votes, declarations, risks: seven classes built at import);
    # the dashboard names the next meeting with domain.meeting_bodies alone
    "desta_tui.domain.meetings",
    # the ticket rules (references, moves, log entries); overdue tickets need domain.ticket_due
    "desta_tui.domain.tickets",
    # the compliance gaps, summary and a paper's checks; papers due need domain.paper_states
    "desta_tui.domain.compliance",
    # quarters and financial years (two classes and three patterns); the months are in periods
    "desta_tui.domain.quarters",
    # the audit trail and the change log behind every write (and the search text kept with them)
    "desta_tui.services.audit",
    "desta_tui.services.search_index",
    "desta_tui.services.sync.log",
]

DASHBOARD_START = """
import sys
from desta_tui.services.session import open_database
from desta_tui.ui.screens.dashboard.dashboard_screen import FiguresAhead

open_database(sys.argv[1])
ahead = FiguresAhead(None)
ahead.read()  # the figures as the app reads them while it builds the dashboard
assert ahead.take(None) is not None, "the figures were not read"
print([name for name in sys.argv[2:] if name in sys.modules])
"""


def test_the_dashboard_path_leaves_the_write_side_unimported(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    command = [sys.executable, "-c", DASHBOARD_START, str(path), *NOT_ON_THE_DASHBOARD_PATH]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", "the dashboard imported " + result.stdout


APP_START = """
import sys
from desta_tui.ui.app import DestaApp

class UpToTheNotices(DestaApp):
    def _database_opened(self):
        super()._database_opened()  # the warning, the backup plan, the drafts notice
        self.call_after_refresh(self.exit)

UpToTheNotices(target=sys.argv[1]).run(headless=True)
print([name for name in sys.argv[2:] if name in sys.modules])
"""


def test_a_demo_starts_without_the_backup_service(demo_template, tmp_path):
    # a demo takes no daily backup: the plan says so (services.backup_plan) without the
    # service that copies, checks and restores files
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    modules = ["desta_tui.services.backup_plan", "desta_tui.services.backup"]
    command = [sys.executable, "-c", APP_START, str(path), *modules]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['desta_tui.services.backup_plan']", result.stdout

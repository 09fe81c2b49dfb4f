"""`desta pack` and `desta report` as a user runs them: files written, one-line errors, exit 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.helpers import ROOT, UNPRIVILEGED_ID, desta, unprivileged_prefix


@pytest.fixture
def demo_file(demo_template, tmp_path) -> str:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, path)
    return str(path)


def _documents() -> Path:
    return Path(os.environ["DESTA_DOCUMENTS_DIR"])


def test_pack_writes_the_default_file_in_documents(demo_file):
    done = desta("pack", "--period", "2012-10", "--db", demo_file)
    assert done.returncode == 0, done.stderr
    path = _documents() / "desta-smg-pack-2012-10.pdf"
    assert done.stdout.strip() == str(path)
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "£670,000" in text and "Service Management Group meeting pack" in text


def test_board_pack_to_a_chosen_file(demo_file, tmp_path):
    target = tmp_path / "board.pdf"
    done = desta("--db", demo_file, "pack", "--period", "Oct 2012", "--consortium", "desta",
                 "--board", "-o", str(target))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Board pack" in PdfReader(target).pages[0].extract_text()


def test_reports_from_the_command_line(demo_file, tmp_path):
    for args in (("member", "Rain Trust"), ("contract", "Expert Patient Service"),
                 ("tickets", "--open")):  # fmt: skip
        target = tmp_path / f"{args[0]}.pdf"
        done = desta("report", *args, "-o", str(target), "--db", demo_file)
        assert done.returncode == 0, done.stderr
        assert target.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pack", "--period", "2012-13"), "'2012-13' is not a month"),
        (("pack", "--period", "2012-10", "--consortium", "Nowhere"), "No consortium is called"),
        (("pack", "--period", "2012-10", "-o", "/no/such/folder/p.pdf"), "does not exist"),
        (("report", "member", "No Such Member"), "No member organisation is called"),
        (("report", "contract", "No Such Contract"), "No contract is called"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(demo_file, args, message):
    done = desta(*args, "--db", demo_file)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0]
    assert "Traceback" not in done.stderr


@pytest.fixture
def unprivileged_home(demo_template):
    """A folder an unprivileged user owns, with a copy of the demo: pytest's own temporary
    folders are private to whoever runs the tests, so the user could not reach them."""
    prefix = unprivileged_prefix()
    if prefix is None:
        pytest.skip("running as root with neither setpriv nor runuser to drop privileges")
    home = Path(tempfile.mkdtemp(prefix="desta-unprivileged-"))
    try:
        home.chmod(0o755)
        shutil.copyfile(demo_template, home / "demo.sqlite3")
        for name in ("data", "config", "documents", "locked"):
            (home / name).mkdir()
        if prefix:
            for path in [home, *home.rglob("*")]:
                os.chown(path, UNPRIVILEGED_ID, UNPRIVILEGED_ID)
        probe = subprocess.run([*prefix, sys.executable, "-c", "import desta_tui.cli"],
                               capture_output=True, text=True, cwd=home,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
        if probe.returncode != 0:
            pytest.skip(f"the unprivileged user cannot run this Python: {probe.stderr.strip()}")
        yield home, prefix
    finally:
        (home / "locked").chmod(0o700)
        shutil.rmtree(home)


def test_unwritable_output_is_refused(unprivileged_home):
    home, prefix = unprivileged_home
    folder = home / "locked"
    folder.chmod(0o500)
    env = {"HOME": str(home), "DESTA_DATA_DIR": str(home / "data"),
           "DESTA_CONFIG_DIR": str(home / "config"),
           "DESTA_DOCUMENTS_DIR": str(home / "documents")}  # fmt: skip
    done = desta("pack", "--period", "2012-10", "-o", str(folder / "p.pdf"),
                 "--db", str(home / "demo.sqlite3"), env=env, prefix=prefix)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "permission denied" in done.stderr and "Traceback" not in done.stderr
    assert list(folder.iterdir()) == []


def test_output_that_is_a_file_in_place_of_a_folder(demo_file, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    done = desta("pack", "--period", "2012-10", "-o", str(blocker / "p.pdf"), "--db", demo_file)
    assert done.returncode == 1
    assert "is not a folder" in done.stderr


def test_pack_and_report_commands_do_not_slow_version():
    code = (
        "import sys; from desta_tui.cli import build_parser; build_parser();"
        "print([m for m in ('reportlab', 'textual') if m in sys.modules])"
    )
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])  # fmt: skip
    assert done.stdout.strip() == "[]", done.stderr


def _too_tall_story(*_args):
    from reportlab.platypus import Spacer

    return [Spacer(10, 5_000)]  # cannot be split: reportlab's LayoutError


@pytest.mark.parametrize(
    ("module", "args"),
    [
        ("smg_pack", ("pack", "--period", "2012-10")),
        ("board_pack", ("pack", "--period", "2012-10", "--board")),
        ("member_report", ("report", "member", "Rain Trust")),
        ("contract_report", ("report", "contract", "Expert Patient Service")),
        ("tickets_report", ("report", "tickets")),
    ],
)
def test_a_pdf_that_cannot_be_laid_out_is_one_line_and_exit_1(
    demo_file, tmp_path, monkeypatch, capsys, module, args
):
    import importlib

    from desta_tui.cli import main

    monkeypatch.setattr(importlib.import_module(f"desta_tui.reports.{module}"), "story",
                        _too_tall_story)  # fmt: skip
    target = tmp_path / "out.pdf"
    code = main([*args, "-o", str(target), "--db", demo_file])
    stderr = capsys.readouterr().err
    assert code == 1
    assert stderr.splitlines() == [
        f"desta: Cannot write {target}: something in it is too large for a page (at page 2); "
        "nothing was written."
    ]
    assert not target.exists()

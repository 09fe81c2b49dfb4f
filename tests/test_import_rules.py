"""The layers import one way: domain is pure; db and services never touch textual or reportlab."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "desta_tui"

FORBIDDEN = {
    "domain": {"peewee", "playhouse", "textual", "reportlab", "desta_tui.db", "desta_tui.services",
               "desta_tui.ui", "desta_tui.reports"},
    "db": {"textual", "reportlab", "desta_tui.services", "desta_tui.ui", "desta_tui.reports"},
    "services": {"textual", "reportlab", "desta_tui.ui", "desta_tui.reports"},
    "reports": {"textual", "peewee", "playhouse", "desta_tui.db", "desta_tui.ui"},
    "ui": {"peewee", "playhouse", "desta_tui.db", "reportlab"},
}  # fmt: skip


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in imported_names(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_what_it_may(layer):
    assert violations(layer) == []


def test_domain_imports_only_the_standard_library_and_itself():
    found = []
    for path in (PACKAGE / "domain").rglob("*.py"):
        for name in imported_names(path):
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names and not name.startswith("desta_tui.domain"):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert found == []


def test_every_module_opens_with_a_docstring():
    missing = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if ast.get_docstring(tree) is None:
            missing.append(str(path.relative_to(PACKAGE.parent)))
    assert missing == []


def test_services_load_without_textual_or_reportlab():
    code = (
        "import sys, pkgutil, importlib\n"
        "import desta_tui.services as s\n"
        # every module, the packages' too: a package's names load only when first used
        "for m in pkgutil.walk_packages(s.__path__, 'desta_tui.services.'):\n"
        "    importlib.import_module(m.name)\n"
        "print([m for m in ('textual', 'reportlab') if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=PACKAGE.parent)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_linter_contracts_are_kept():
    """The layer contracts in pyproject.toml, checked by import-linter itself."""
    result = subprocess.run([sys.executable, "-c", LINT_IMPORTS], capture_output=True, text=True,
                            cwd=PACKAGE.parent)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


LINT_IMPORTS = "import sys\nfrom importlinter.cli import lint_imports\nsys.exit(lint_imports())\n"
